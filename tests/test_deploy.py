"""Deployment (issue 9): the offline copy, `invoke publish` (folder, rsync, git branch), the CI
templates, and builds that give identical SHA256SUMS elsewhere — .gz, .br and the zip included.

* The zip holds every file of the site (not the compressed siblings) under one folder, sorted,
  with fixed dates and permissions; unzipped and opened from file:// in Chromium, the language
  chooser, the switcher and the search work.
* `invoke publish --target DIR` leaves DIR equal to output/ (also over an older copy), refuses a
  folder that is no copy of the site; rsync does the same; `--branch` pushes one reproducible
  commit whose tree is output/ (plus .nojekyll) and adds none when nothing changed.
* deploy/ci/: previews on pull requests without secrets, publishing on main only.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from browser.support import launch_browser
from conftest import ROOT, build_site

from press_core import publish
from press_core.postbuild import is_sibling

ZIP = "open-press-offline.zip"  # OFFLINE_COPY in pelicanconf.py
INVOKE = Path(sys.executable).with_name("invoke")
CACHE = ROOT / ".cache"  # CACHE_PATH of pelicanconf.py, shared by the test builds
GIT_ENV = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def git(repo: Path, *args: str, date: str | None = None) -> str:
    env = {**os.environ, **GIT_ENV}
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    result = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return result.stdout.strip()


def commit_all(repo: Path, message: str, date: str) -> None:
    git(repo, "add", "-A")
    git(
        repo,
        "-c",
        "user.name=Press Test",
        "-c",
        "user.email=t@example.org",
        "commit",
        "-qm",
        message,
        date=date,
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the project (demo content) in its own git repository with one commit."""
    top = tmp_path_factory.mktemp("project") / "press"
    top.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "node_modules")
    for name in ("pelicanconf.py", "publishconf.py", "tasks.py", ".gitignore"):
        shutil.copy(ROOT / name, top / name)
    for name in ("theme", "translations", "plugins", "content"):
        shutil.copytree(ROOT / name, top / name, ignore=ignore)
    git(top, "init", "-q", "-b", "main")
    commit_all(top, "The press", "2025-03-01T12:00:00+03:00")
    return top


def build(project: Path, output: Path, cwd: Path = ROOT, **env: str) -> Path:
    """Build the project's content with its own code; the brotli cache is the shared one."""
    command = [sys.executable, "-m", "press_core.build", "--settings", project / "pelicanconf.py"]
    command += ["--content", project / "content", "--output", output, "--cache", CACHE]
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    environment.update(PYTHONPATH=str(project / "plugins"), **env)
    result = subprocess.run(list(map(str, command)), cwd=cwd, env=environment, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return output


@pytest.fixture(scope="module")
def built(project, tmp_path_factory) -> Path:
    return build(project, tmp_path_factory.mktemp("built") / "output")


# -- reproducible: another folder, another working directory, another time zone ------------------------
def test_two_builds_elsewhere_give_identical_checksums_with_siblings_and_zip(project, built, tmp_path):
    clone = tmp_path / "elsewhere" / "clone"
    subprocess.run(["git", "clone", "-q", str(project), str(clone)], check=True, capture_output=True)
    workdir = tmp_path / "somewhere"
    workdir.mkdir()
    # Another folder, another working directory, another time zone (UTC+14; the first build ran in
    # the machine's), neither with SOURCE_DATE_EPOCH.
    second = build(clone, tmp_path / "elsewhere" / "site", cwd=workdir, TZ="Pacific/Kiritimati")

    sums = (built / "SHA256SUMS").read_text(encoding="utf-8")
    assert sums == (second / "SHA256SUMS").read_text(encoding="utf-8")
    listed = {line.split("  ", 1)[1] for line in sums.splitlines()}
    assert ZIP in listed and "en/index.html.gz" in listed and "en/index.html.br" in listed
    assert any(name.startswith("theme/css/press.") and name.endswith(".css.br") for name in listed)
    assert listed == set(tree(built)) - {"SHA256SUMS"}
    assert tree(built) == tree(second)


# -- the offline copy ----------------------------------------------------------------------------------
def test_offline_zip_holds_the_site_with_fixed_metadata(built):
    with zipfile.ZipFile(built / ZIP) as archive:
        infos = archive.infolist()
        names = [info.filename for info in infos]
        assert names == sorted(names, key=str.encode)
        folder = ZIP.removesuffix(".zip") + "/"
        assert all(name.startswith(folder) for name in names)
        expected = {
            path: data
            for path, data in tree(built).items()
            if path not in (ZIP, "SHA256SUMS") and not is_sibling(built / path)
        }
        # its own SHA256SUMS: the site's lines for exactly the files the copy holds
        site_lines = (built / "SHA256SUMS").read_text(encoding="utf-8").splitlines(keepends=True)
        expected["SHA256SUMS"] = "".join(
            line for line in site_lines if line.split("  ", 1)[1].rstrip("\n") in expected
        ).encode("utf-8")
        assert {name.removeprefix(folder) for name in names} == set(expected)
        for info in infos:
            assert archive.read(info) == expected[info.filename.removeprefix(folder)], info.filename
            assert info.date_time == (2025, 3, 1, 9, 0, 0), "the built commit's date, in UTC"
            assert (info.external_attr >> 16) == 0o100644 and info.create_system == 3
    verify = (built / "en/verify/index.html").read_text(encoding="utf-8")
    assert f'href="../../{ZIP}"' in verify


def test_unzipped_offline_copy_checks_itself_with_sha256sum(built, tmp_path):
    """The verify page says `sha256sum -c SHA256SUMS` checks any complete copy: the zip's too."""
    with zipfile.ZipFile(built / ZIP) as archive:
        archive.extractall(tmp_path)
    copy = tmp_path / ZIP.removesuffix(".zip")
    done = subprocess.run(
        ["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=copy, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    listed = len((copy / "SHA256SUMS").read_text(encoding="utf-8").splitlines())
    assert listed == sum(1 for path in copy.rglob("*") if path.is_file()) - 1  # every file but itself
    (copy / "en" / "index.html").write_text("tampered", encoding="utf-8")
    done = subprocess.run(
        ["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=copy, capture_output=True, text=True
    )
    assert done.returncode != 0 and "en/index.html: FAILED" in done.stdout


def test_offline_copy_from_disk_switches_languages_and_searches(built, tmp_path):
    from playwright.sync_api import sync_playwright

    with zipfile.ZipFile(built / ZIP) as archive:
        archive.extractall(tmp_path)
    site = tmp_path / ZIP.removesuffix(".zip")
    with sync_playwright() as playwright:
        browser = launch_browser(playwright)
        page = browser.new_context().new_page()
        requests, failed, errors = [], [], []
        page.on("request", lambda r: requests.append(r.url))
        # a request the next page cut short is not a file missing from the copy (opening a result
        # right after searching: Chromium re-fetches the page icon as search.js updates the address)
        page.on("requestfailed", lambda r: r.failure != "net::ERR_ABORTED" and failed.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((site / "index.html").as_uri())
        with page.expect_navigation():
            page.locator('a[hreflang="ckb"]').first.click()
        assert page.url == (site / "ckb/index.html").as_uri()
        assert page.get_attribute("html", "dir") == "rtl"
        assert page.evaluate("getComputedStyle(document.querySelector('.masthead')).display") == "flex"
        with page.expect_navigation():
            page.locator('nav.languages a[hreflang="en"]').click()
        assert page.url == (site / "en/index.html").as_uri()
        with page.expect_navigation():
            page.locator("nav.sections a", has_text="Search").click()
        page.fill("#search-q", "salaries")
        page.press("#search-q", "Enter")
        results = page.locator("#search-results li a")
        results.first.wait_for()
        hrefs = results.evaluate_all("links => links.map(a => a.href)")
        assert any(h.endswith("/en/articles/public-wages-2025/index.html") for h in hrefs), hrefs
        with page.expect_navigation():
            page.locator('#search-results a[href*="public-wages-2025"]').first.click()
        assert page.locator("article h1").count() == 1
        assert page.url.startswith(site.as_uri())
        browser.close()
    assert not failed and not errors, (failed, errors)
    assert all(url.startswith(site.as_uri()) for url in requests), "everything comes from the unzipped copy"


# -- invoke publish ------------------------------------------------------------------------------------
def invoke(project: Path, *args) -> subprocess.CompletedProcess:
    env = {**os.environ, **GIT_ENV, "PYTHONPATH": ""}
    return subprocess.run(
        [str(INVOKE), *args], cwd=project, env=env, capture_output=True, text=True, timeout=600
    )


def test_publish_to_a_folder_makes_it_equal_to_output(project, tmp_path):
    target = tmp_path / "www" / "press"
    result = invoke(project, "publish", "--target", str(target))
    assert result.returncode == 0, result.stdout + result.stderr
    output = project / "output"
    assert "Published to" in result.stdout
    assert tree(target) == tree(output)
    home = (output / "en/404.html").read_text(encoding="utf-8")
    assert "https://press.example.org/" in home, "built with publishconf.py (SITEURL)"

    (target / "old-page.html").write_text("gone")
    (target / "en/index.html").write_text("stale")
    (target / "old-folder").mkdir()
    (target / "old-folder/x.css").write_text("x")
    assert publish.to_folder(output, target)
    assert tree(target) == tree(output)
    assert not (target / "old-folder").exists()
    assert publish.to_folder(output, target) == [], "nothing to copy the second time"

    stranger = tmp_path / "someone-elses"
    stranger.mkdir()
    (stranger / "thesis.odt").write_text("do not delete")
    result = invoke(project, "publish", "--skip-build", "--target", str(stranger))
    assert result.returncode == 1
    assert "holds no SHA256SUMS" in result.stderr and "Traceback" not in result.stderr
    assert (stranger / "thesis.odt").exists()

    journal = project / ".output.moving"  # a rebuild stopped while moving its files in
    journal.write_text('{"from": ".output.new-x", "obsolete": []}', encoding="utf-8")
    try:
        result = invoke(project, "publish", "--skip-build", "--target", str(target))
    finally:
        journal.unlink()
    assert result.returncode == 1 and "build again, then publish" in result.stderr


def test_publish_over_rsync(built, tmp_path):
    assert publish.kind_of("deploy@press.example.org:/srv/www/press", None) == "rsync"
    assert publish.kind_of("host:press", None) == "rsync"
    assert publish.kind_of(str(tmp_path / "a:b"), None) == "folder"
    assert publish.kind_of("git@github.com:party/press.git", "gh-pages") == "git"
    command = publish.rsync_command(built, "deploy@host:/srv/www/press")
    assert command[-2:] == [f"{built.as_posix()}/", "deploy@host:/srv/www/press/"]
    assert "--delete" in command and "--checksum" in command
    target = tmp_path / "rsynced"
    target.mkdir()
    (target / "stale.html").write_text("old")
    publish.to_rsync(built, str(target))  # the same command, with a local destination
    assert tree(target) == tree(built)
    assert all(oct(p.stat().st_mode & 0o777) == "0o644" for p in target.rglob("*") if p.is_file())


def branch_tree(remote: Path, branch: str, into: Path) -> dict[str, bytes]:
    into.mkdir()
    archive = subprocess.run(
        ["git", "--git-dir", str(remote), "archive", "--format=tar", branch], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return tree(into)


def test_publish_to_a_git_branch(project, built, tmp_path):
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    output = built
    arguments = ["--skip-build", "--output", str(output), "--target", str(remote), "--branch", "gh-pages"]
    result = invoke(project, "publish", *arguments)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Published to branch gh-pages" in result.stdout
    expected = {**tree(output), ".nojekyll": b""}
    assert branch_tree(remote, "gh-pages", tmp_path / "first") == expected
    first = git(remote, "rev-parse", "gh-pages")
    source = git(project, "rev-parse", "HEAD")
    assert git(remote, "log", "-1", "--format=%cI|%aI|%s", "gh-pages") == (
        f"2025-03-01T09:00:00+00:00|2025-03-01T09:00:00+00:00|Publish the site built from {source}"
    )
    assert git(project, "status", "--porcelain") == "", "the checkout and its index are untouched"

    assert publish.to_branch(output, str(remote), "gh-pages", project) is None, "unchanged: no commit"
    other = tmp_path / "other.git"
    git(tmp_path, "init", "-q", "--bare", str(other))
    assert publish.to_branch(output, str(other), "gh-pages", project) == first, "the same commit anywhere"

    changed = tmp_path / "changed"
    shutil.copytree(output, changed)
    (changed / "en/index.html").write_text("<!doctype html><title>new</title>")
    (changed / ZIP).unlink()
    second = publish.to_branch(changed, str(remote), "gh-pages", project)
    assert git(remote, "rev-parse", "gh-pages") == second and git(remote, "rev-parse", "gh-pages^") == first
    assert branch_tree(remote, "gh-pages", tmp_path / "second") == {**tree(changed), ".nojekyll": b""}


def test_publish_to_a_branch_needs_a_checkout(built, tmp_path, monkeypatch):
    loose = tmp_path / "not-a-repo"
    loose.mkdir()
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    with pytest.raises(publish.PublishError, match="not a git checkout"):
        publish.to_branch(built, str(tmp_path / "remote.git"), "gh-pages", loose)


# -- CI templates ----------------------------------------------------------------------------------
def _runs(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in job.get("steps", []))


def test_github_workflow_previews_pull_requests_and_publishes_main_only():
    workflow = yaml.safe_load((ROOT / "deploy/ci/github-actions.yml").read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert set(triggers) == {"pull_request", "push"}, "never pull_request_target or workflow_run"
    assert triggers["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "read"}
    jobs = workflow["jobs"]
    preview, deploy = jobs["preview"], jobs["publish"]
    assert preview["if"] == "github.event_name == 'pull_request'"
    assert "python3 dev.py check" in _runs(preview) and "python3 dev.py build" in _runs(preview)
    upload = [s for s in preview["steps"] if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert upload and upload[0]["with"]["path"] == "output/"
    assert "secrets." not in yaml.safe_dump(preview) and "environment" not in preview
    assert "permissions" not in preview, "the read-only default"
    assert deploy["if"] == "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    assert deploy["environment"] == "production"
    assert "python3 dev.py publish" in _runs(deploy) and "python3 dev.py check" in _runs(deploy)
    jobs_with_secrets = [name for name, job in jobs.items() if "secrets." in yaml.safe_dump(job)]
    assert jobs_with_secrets == ["publish"]


def test_gitlab_pipeline_previews_merge_requests_and_publishes_the_default_branch_only():
    pipeline = yaml.safe_load((ROOT / "deploy/ci/gitlab-ci.yml").read_text(encoding="utf-8"))
    main_only = '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH && $CI_PIPELINE_SOURCE == "push"'
    preview, pages = pipeline["preview"], pipeline["pages"]
    assert preview["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert preview["script"] == ["python3 dev.py check", "python3 dev.py build"]
    assert preview["artifacts"]["paths"] == ["output/"]
    assert "DEPLOY_" not in yaml.safe_dump(preview) and "environment" not in preview
    assert pages["rules"] == [{"if": main_only}]
    assert pages["environment"]["name"] == "production"
    script = "\n".join(pages["script"])
    assert "python3 dev.py check" in script and "python3 dev.py publish" in script
    assert "DEPLOY_TARGET" in script and pages["artifacts"]["paths"] == ["public/"]
    for name, job in pipeline.items():
        if isinstance(job, dict) and "script" in job and name != "pages":
            assert "DEPLOY_" not in yaml.safe_dump(job), name


def test_the_ci_templates_do_not_run_on_this_repository():
    assert not (ROOT / ".github/workflows").exists() or not any(
        "dev.py publish" in p.read_text(encoding="utf-8") for p in (ROOT / ".github/workflows").glob("*.yml")
    )
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "deploy/ci/github-actions.yml" in readme and "deploy/ci/gitlab-ci.yml" in readme


def test_the_build_date_of_the_zip_falls_back_without_git(minimal_content, tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    output = build_site(minimal_content, tmp_path / "output")
    with zipfile.ZipFile(output / ZIP) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2025, 6, 1, tzinfo=dt.UTC).timestamp())))
    output = build_site(minimal_content, tmp_path / "again")
    with zipfile.ZipFile(output / ZIP) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2025, 6, 1, 0, 0, 0)}
