"""Author protection: no e-mail address from git or from content reaches output/ unless marked public."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess

from conftest import FIXTURES, run_build
from safety_support import quick_settings

from press_core.privacy import emails_in, redact_emails

AUTHOR = "sara.private@example.net"
COMMITTER = "ci-robot@example.com"
IN_SUBJECT = "tipster@example.org"
IN_BODY = "reviewer@example.org"


def git(repo, *args, email=AUTHOR):
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Sara Private",
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": "CI Robot",
        "GIT_COMMITTER_EMAIL": COMMITTER,
        "GIT_AUTHOR_DATE": "2025-02-01T10:00:00+03:00",
        "GIT_COMMITTER_DATE": "2025-02-01T10:00:00+03:00",
    }
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def texts(output):
    """Every published file as text (compressed siblings decompressed)."""
    for path in sorted(output.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        yield path, data.decode("utf-8", "replace")


def test_git_metadata_never_publishes_an_address(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "minimal", repo / "content")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(
        repo,
        "commit",
        "-q",
        "-m",
        f"Add water report (thanks {IN_SUBJECT})",
        "-m",
        f"Signed-off-by: R <{IN_BODY}>",
    )
    article = repo / "content" / "articles" / "water-report.en.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nA second paragraph.\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", f"Extend the report <{AUTHOR}>", email="other.person@example.net")
    log = subprocess.run(["git", "log", "--format=%ae %ce %s %b"], cwd=repo, capture_output=True, text=True)
    assert AUTHOR in log.stdout and IN_SUBJECT in log.stdout  # the repository does carry them
    output = tmp_path / "output"
    result = run_build(
        "--settings", quick_settings(tmp_path), "--content", repo / "content", "--output", output
    )
    assert result.returncode == 0, result.stderr
    page = (output / "en" / "articles" / "water-report" / "index.html").read_text(encoding="utf-8")
    assert "Add water report (thanks [e-mail address removed])" in page  # history is shown …
    for path, text in texts(output):  # … without any address
        for address in (AUTHOR, COMMITTER, IN_SUBJECT, IN_BODY, "other.person@example.net"):
            assert address not in text, (path, address)
        assert "Sara Private" not in text and "CI Robot" not in text, path  # nor author names


def test_address_in_content_stops_the_build(minimal_content, tmp_path):
    article = minimal_content / "articles" / "water-report.en.md"
    article.write_text(
        article.read_text(encoding="utf-8") + "\nWrite to <sara@example.net> or s&#97;ra2@example.net.\n",
        encoding="utf-8",
    )
    with open(minimal_content / "people.yml", "a", encoding="utf-8") as handle:
        handle.write("leaky:\n  name:\n    en: Leaky (leaky@example.net)\n")
    result = run_build("--settings", quick_settings(tmp_path), "--check", "--content", minimal_content)
    assert result.returncode == 1
    line = len(article.read_text(encoding="utf-8").splitlines())
    people = len((minimal_content / "people.yml").read_text(encoding="utf-8").splitlines())
    where = f"content/articles/water-report.en.md:{line}"
    for expected in (
        f"{where}: e-mail address sara@example.net in a content file — remove it",
        f"{where}: e-mail address sara2@example.net in a content file",
        f"content/people.yml:{people}: e-mail address leaky@example.net in a content file",
    ):
        assert expected in result.stderr, (expected, result.stderr)
    assert "or add it to PUBLIC_EMAILS in pelicanconf.py" in result.stderr


def test_public_address_is_published(minimal_content, tmp_path):
    article = minimal_content / "articles" / "water-report.en.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nPress office: <press@example.org>\n", "utf-8")
    output = tmp_path / "output"
    settings = quick_settings(tmp_path, PUBLIC_EMAILS=["press@example.org"])
    result = run_build("--settings", settings, "--content", minimal_content, "--output", output)
    assert result.returncode == 0, result.stderr
    page = (output / "en" / "articles" / "water-report" / "index.html").read_text(encoding="utf-8")
    assert "mailto:" in page  # python-markdown writes the address as entities; it is there on purpose


def test_address_finder():
    assert emails_in("a &#115;ara@example.net b") == ["sara@example.net"]
    assert emails_in("mailto:x%40example.org") == ["x@example.org"]
    assert emails_in("no address here: @handle, a@b, 1.5@2") == []
    assert redact_emails("thanks a.b+c@example.co.uk!") == "thanks [e-mail address removed]!"
