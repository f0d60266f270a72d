"""The build's speed-ups change nothing in the output (issue 10).

* Caches (rendered Markdown, pages and ``.gz``/``.br`` siblings of the last output): a build with
  a warm cache after a setting, a template or a translation catalog changed equals a clean build
  of the same input, byte for byte (every file, through ``SHA256SUMS``).
* Parallel work (press_core.parallel, ``RENDER_PROCESSES``): a build with two worker processes
  equals one built in a single process, byte for byte; the workers really are other processes.

The content is the benchmark's generator (tools/bench.py) at a small size, so every section
(articles, blocs, finance, congresses) and every parallel step has enough work to fork.
"""

from __future__ import annotations

import gc
import os
import shutil
import signal
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, run_build
from hypothesis import given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(ROOT / "tools"))
import bench

from press_core import parallel, postbuild
from press_search import index as search_index

ITEMS = 24  # articles per language: some 400 pages and 1,300 files, enough for two workers each


def settings_file(folder: Path, extra: str = "") -> Path:
    """pelicanconf.py plus ``extra`` lines, in another folder."""
    folder.mkdir(parents=True, exist_ok=True)
    settings = folder / "settings.py"
    settings.write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from pelicanconf import *  # noqa: F403\n"
        f"THEME = {str(ROOT / 'theme')!r}\n"
        f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\n" + extra,
        encoding="utf-8",
    )
    return settings


def build(content: Path, output: Path, settings: Path, cache: Path, theme: Path | None = None) -> Path:
    args = ["--settings", settings, "--content", content, "--output", output, "--cache", cache]
    result = run_build(*args, *(["--theme", theme] if theme else []))
    assert result.returncode == 0, result.stdout + result.stderr
    return output


def sums(output: Path) -> list[str]:
    """``SHA256SUMS``: one line per file of the output, with its digest."""
    lines = (output / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert len(lines) > 1000
    return lines


def differing(one: Path, other: Path) -> list[str]:
    """The files whose digests differ, or that only one of the two outputs has."""
    return sorted(set(sums(one)) ^ set(sums(other)))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    content = tmp_path_factory.mktemp("perf") / "content"
    bench.generate(content, ITEMS, sections=True)
    return content


@pytest.fixture(scope="module")
def warm(corpus, tmp_path_factory):
    """A build with two worker processes; its cache then holds every entry of this input."""
    top = tmp_path_factory.mktemp("warm")
    cache = top / "cache"
    output = build(corpus, top / "output", settings_file(top, "RENDER_PROCESSES = 2\n"), cache)
    assert (cache / "markdown.sqlite").exists() and (cache / "pages.pickle").exists()
    return output, cache


# -- parallel == serial ------------------------------------------------------------------------------
def test_fork_map_uses_worker_processes_and_keeps_the_order():
    def job(index):
        time.sleep(0.005)  # long enough that both workers get batches
        return index * index, os.getpid()

    found = parallel.fork_map(job, 200, 2)
    assert [square for square, _ in found] == [index * index for index in range(200)]
    workers = {pid for _, pid in found}
    assert len(workers) == 2 and os.getpid() not in workers
    assert set(parallel.fork_map(lambda index: os.getpid(), 200, 1)) == {os.getpid()}
    assert {pid for _, pid in parallel.fork_map(lambda i: (i, os.getpid()), 20, 2)} == {os.getpid()}


def test_a_worker_error_reaches_the_build():
    def job(index):
        if index == 150:
            raise LookupError("page 150 links to 'nowhere', which no plugin registered")
        return index

    with pytest.raises(LookupError, match="page 150 links to 'nowhere'"):
        parallel.fork_map(job, 200, 2)


def test_a_killed_worker_stops_the_build_instead_of_hanging_it():
    """The out-of-memory killer may take a worker mid-job: the parent must notice and stop with
    a clear message (multiprocessing.Pool waited forever for the lost job)."""
    parent = os.getpid()

    def job(index):
        if index == 150 and os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return index

    def hung(signum, frame):
        raise AssertionError("fork_map still waits for the killed worker after 60 s")

    before = signal.signal(signal.SIGALRM, hung)
    signal.alarm(60)
    try:
        with pytest.raises(parallel.WorkerLostError, match="RENDER_PROCESSES = 1"):
            parallel.fork_map(job, 200, 2)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, before)
    assert parallel.fork_map(lambda index: index, 200, 2) == list(range(200))  # the next run is whole


def test_a_build_whose_worker_is_killed_stops_and_keeps_the_last_output(corpus, warm, tmp_path):
    """The whole path: a real build whose workers the system kills ends with one message, exit
    status 1 and no traceback, and the last good output is left as it was.  The fresh folder of
    a build killed outright before (no chance to clean up) goes with the next build."""
    output = tmp_path / "output"
    shutil.copytree(warm[0], output)
    before = (output / "SHA256SUMS").read_bytes()
    (tmp_path / ".output.new-killed/en").mkdir(parents=True)
    (tmp_path / ".output.new-killed/en/index.html").write_text("half a build", encoding="utf-8")
    dies = settings_file(
        tmp_path,
        "RENDER_PROCESSES = 2\n"
        "import os as _os, signal as _signal\n"
        "import press_core.parallel as _parallel\n"
        "_build, _run = _os.getpid(), _parallel._run\n"
        "def _killed_in_a_worker(indices):\n"
        "    if _os.getpid() != _build:\n"
        "        _os.kill(_os.getpid(), _signal.SIGKILL)\n"
        "    return _run(indices)\n"
        "_killed_in_a_worker.__module__, _killed_in_a_worker.__qualname__ = _parallel.__name__, '_run'\n"
        "_parallel._run = _killed_in_a_worker\n",
    )
    args = ["--settings", dies, "--content", corpus, "--output", output, "--cache", tmp_path / "cache"]
    result = run_build(*args)
    assert result.returncode == 1
    assert "a worker process of the build died" in result.stderr and "Traceback" not in result.stderr
    assert "output/ is unchanged" in result.stderr
    assert (output / "SHA256SUMS").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".output.new-")] == []


def test_render_processes_setting():
    assert parallel.processes_of({"RENDER_PROCESSES": 1}) == 1
    assert parallel.processes_of({"RENDER_PROCESSES": 3}) == 3
    assert parallel.processes_of({"RENDER_PROCESSES": 0}) == len(os.sched_getaffinity(0))
    assert parallel.processes_of({}) == len(os.sched_getaffinity(0))


def test_parallel_build_equals_serial_build(corpus, warm, tmp_path):
    settings = settings_file(tmp_path, "RENDER_PROCESSES = 1\n")
    serial = build(corpus, tmp_path / "serial", settings, tmp_path / "cache")
    assert differing(warm[0], serial) == []
    assert (warm[0] / "SHA256SUMS").read_bytes() == (serial / "SHA256SUMS").read_bytes()


# -- a warm cache never leaks into a changed build ---------------------------------------------------
def rebuild_of(warm, folder: Path) -> tuple[Path, Path]:
    """The warm build's output and cache as another checkout's: the output's files hard-linked
    (the same files, as the page cache recorded them), the cache copied."""
    shutil.copytree(warm[0], folder / "cached", copy_function=os.link)
    shutil.copytree(warm[1], folder / "cache")
    return folder / "cached", folder / "cache"


def cached_and_clean(corpus, warm, tmp_path, extra="", theme=None) -> tuple[Path, Path]:
    """The same changed input built over the warm output with its cache, and from nothing."""
    settings = settings_file(tmp_path / "settings", "RENDER_PROCESSES = 2\n" + extra)
    output, cache = rebuild_of(warm, tmp_path)
    cached = build(corpus, output, settings, cache, theme)
    clean = build(corpus, tmp_path / "clean", settings, tmp_path / "empty-cache", theme)
    return cached, clean


def same_files(one: Path, other: Path, suffix: str = ".html") -> set[str]:
    """Files of ``one`` that are the very files (hard links) of ``other``."""
    found = set()
    for relative in postbuild.files_under(one):
        here, there = one / relative, other / relative
        if relative.endswith(suffix) and there.exists() and here.stat().st_ino == there.stat().st_ino:
            found.add(relative)
    return found


def test_changed_article_rebuilds_its_pages_and_keeps_the_rest(corpus, warm, tmp_path):
    """One article edited: its pages and the listings that show it are rendered again, every
    other page (and its .gz/.br) is the previous output's file, left in place, and so is every
    search index file that comes out with the same bytes; the result equals
    a clean build, file for file.  A page edited by hand in the output is rendered again too,
    never kept, and a file the build does not make is removed."""
    content = tmp_path / "content"
    shutil.copytree(corpus, content)
    key = next(p.name[:-6] for p in sorted((content / "articles").glob("*.en.md"))
               if (content / f"articles/{p.name[:-6]}.ar.md").exists())  # fmt: skip
    article = content / f"articles/{key}.en.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("\ntitle: ", "\ntitle: Amended ", 1), encoding="utf-8")
    settings = settings_file(tmp_path / "settings", "RENDER_PROCESSES = 2\n")
    output, cache = rebuild_of(warm, tmp_path)
    tampered = output / "en/tags/index.html"
    tampered.unlink()  # a new file in its place, not the one the cache recorded
    tampered.write_text("edited by hand", encoding="utf-8")
    (output / "en/stray").mkdir()
    (output / "en/stray/left-behind.html").write_text("not made by the build", encoding="utf-8")
    cached = build(content, output, settings, cache)
    clean = build(content, tmp_path / "clean", settings, tmp_path / "empty-cache")
    assert differing(cached, clean) == []
    assert sorted(postbuild.files_under(cached)) == sorted(postbuild.files_under(clean))
    assert not (cached / "en/stray").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(f".{cached.name}.")] == []  # no journal
    assert "edited by hand" not in tampered.read_text(encoding="utf-8")
    pages = [relative for relative in postbuild.files_under(cached) if relative.endswith(".html")]
    showing = {r for r in pages if "Amended " in (cached / r).read_text(encoding="utf-8")}
    assert f"en/articles/{key}/index.html" in showing and len(showing) > 2  # and listings, feeds page …
    kept = same_files(cached, warm[0])
    assert len(kept) > 0.8 * len(pages)
    assert not showing & kept
    others = [r for r in pages if "/articles/" in r and f"/{key}/" not in r]
    assert others and set(others) <= kept  # an article's page shows that article only
    assert "en/tags/index.html" not in kept
    index_files = {r for r in postbuild.files_under(cached) if "/search/" in r and r.endswith(".js")}
    index_kept = same_files(cached, warm[0], ".js") & index_files
    assert {r for r in index_files if not r.startswith("en/")} <= index_kept  # languages not edited
    assert {r for r in index_files if r.startswith("en/")} - index_kept  # the edited title's terms
    assert index_kept & {r for r in index_files if r.startswith("en/")}  # the en files it left as they were
    (runs, merges), (warm_runs, warm_merges) = (stored_search(folder) for folder in (cache, warm[1]))
    assert len(runs - warm_runs) == len(warm_runs - runs) == 1  # only the edited text's run analyzed again
    assert len(merges - warm_merges) == 1 and len(merges & warm_merges) == 2  # and its language merged
    assert same_files(cached, warm[0], ".html.br") >= {f"{relative}.br" for relative in kept} & set(
        postbuild.files_under(cached)
    )


def test_a_file_with_the_bytes_the_last_output_has_is_left_there_not_written(warm, tmp_path):
    """``write_or_keep``: the last good output's file stays (nothing is written) when this build
    makes the same bytes and neither it nor its siblings changed since; otherwise it is written."""
    from press_core.pagecache import PREVIOUS_OUTPUT
    from press_core.site import write_or_keep

    output, cache = rebuild_of(warm, tmp_path)
    previous = postbuild.previous_output({"CACHE_PATH": str(cache), PREVIOUS_OUTPUT: str(output)})
    fresh = tmp_path / "fresh"
    files = set(postbuild.files_under(output))
    shard = min(r for r in files if r.startswith("ar/search/") and f"{r}.gz" in files)  # one with siblings
    data = (output / shard).read_bytes()
    assert previous is not None and f"{shard}.br" in files
    assert write_or_keep(fresh, shard, data, previous) and not (fresh / shard).exists()
    assert not write_or_keep(fresh, shard, data + b"\n", previous)
    assert (fresh / shard).read_bytes() == data + b"\n"
    assert not write_or_keep(fresh, "ar/search/new.js", b"x", previous)  # the last output has none
    assert not write_or_keep(fresh / "none", shard, data, None)  # no last output to trust
    os.utime(output / f"{shard}.br")  # a sibling touched since that build: not trusted
    assert not write_or_keep(fresh / "again", shard, data, previous)
    assert (fresh / "again" / shard).read_bytes() == data


def stored_search(cache: Path) -> tuple[set[str], set[str]]:
    """The search analyses of runs, and the merged indexes, that ``cache`` holds."""
    names = {p.name for p in (cache / "search").iterdir()}
    merged = {name for name in names if name.startswith("merged-")}
    return names - merged, merged


def test_a_rebuild_stopped_while_moving_its_files_in_is_completed_by_the_next(tmp_path, monkeypatch):
    """A rebuild moves its files into output/ under a journal.  Stopped half-way, output/ still
    lists the old site (SHA256SUMS moves last), and the next build's first step completes the
    move: files taking the place of folders and folders of files included."""
    from press_core import build as press_build

    output, fresh = tmp_path / "output", tmp_path / ".output.new-1"
    old = {"index.html": "old home", "kept/index.html": "kept", "gone/deep/index.html": "gone",
           "was-folder/x.html": "x", "was-file": "a file", "feed.xml": "same",
           "SHA256SUMS": "old sums"}  # fmt: skip
    new = {"index.html": "new home", "was-folder": "now a file", "was-file/y.html": "now in a folder",
           "added/deep/z.html": "added", "feed.xml": "same", "SHA256SUMS": "new sums"}  # fmt: skip
    for folder, files in ((output, old), (fresh, new)):
        for relative, text in files.items():
            (folder / relative).parent.mkdir(parents=True, exist_ok=True)
            (folder / relative).write_text(text, encoding="utf-8")
    replace, moved = os.replace, []

    def stopped(source, target):
        if str(source).startswith(str(fresh)):
            if len(moved) == 2:
                raise KeyboardInterrupt
            moved.append(target)
        replace(source, target)

    same = (output / "feed.xml").stat().st_ino
    monkeypatch.setattr(os, "replace", stopped)
    with pytest.raises(KeyboardInterrupt):
        press_build._move_in(fresh, output, set(new) | {"kept/index.html"}, set(old), {"feed.xml"})
    monkeypatch.undo()
    assert (tmp_path / ".output.moving").exists() and len(moved) == 2
    assert (output / "SHA256SUMS").read_text(encoding="utf-8") == "old sums"
    press_build._finish_moving(output)
    found = {name: (output / name).read_text(encoding="utf-8") for name in postbuild.files_under(output)}
    assert found == {**new, "kept/index.html": "kept"}
    assert not (output / "gone").exists() and not fresh.exists()
    assert not (tmp_path / ".output.moving").exists()
    assert (output / "feed.xml").stat().st_ino == same  # the same bytes: left as it was


def test_changed_setting_with_warm_cache_equals_clean_build(corpus, warm, tmp_path):
    extra = 'PAGE_SIZE = 4\nBROTLI_QUALITY = 3\nSITE_NAMES = {**SITE_NAMES, "en": "The Changed Press"}\n'
    cached, clean = cached_and_clean(corpus, warm, tmp_path, extra)
    assert differing(cached, clean) == []
    changed = differing(warm[0], clean)
    assert any(line.endswith("en/index.html") for line in changed)  # the change took effect
    assert any(line.endswith(".html.br") for line in changed)
    assert (clean / "en/page/5/index.html").exists() and not (warm[0] / "en/page/5/index.html").exists()


def test_changed_template_with_warm_cache_equals_clean_build(corpus, warm, tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    article = theme / "templates/article.html"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("<article>", '<article class="changed">', 1), encoding="utf-8")
    cached, clean = cached_and_clean(corpus, warm, tmp_path, theme=theme)
    assert differing(cached, clean) == []
    assert b'<article class="changed">' in (clean / "en/articles/item-000002/index.html").read_bytes()
    assert any("/articles/" in line for line in differing(warm[0], clean))


def test_changed_catalog_with_warm_cache_equals_clean_build(corpus, warm, tmp_path):
    translations = tmp_path / "translations"
    shutil.copytree(ROOT / "translations", translations)
    catalog = translations / "ar/LC_MESSAGES/messages.po"
    text = catalog.read_text(encoding="utf-8")
    start = text.index('msgid "Skip to content"')
    end = text.index("\n\n", start)
    entry = text[start:end]
    changed = entry.split("msgstr")[0] + 'msgstr "إلى النص مباشرة"'
    catalog.write_text(text[:start] + changed + text[end:], encoding="utf-8")
    cached, clean = cached_and_clean(corpus, warm, tmp_path, f"TRANSLATIONS_PATH = {str(translations)!r}\n")
    assert differing(cached, clean) == []
    assert "إلى النص مباشرة" in (clean / "ar/index.html").read_text(encoding="utf-8")
    assert "إلى النص مباشرة" not in (warm[0] / "ar/index.html").read_text(encoding="utf-8")


# -- the offline zip reuses the .gz streams: the same bytes as compressing again ---------------------
def test_offline_zip_equals_one_compressed_from_scratch(warm, tmp_path):
    """postbuild hands zipfile each .gz sibling's deflate stream (and, for the siblings this build
    wrote, the CRC and size from their trailers, without reading the files); a zip written the
    plain way (``ZipFile.writestr`` compressing every file itself) must come out byte for byte the same."""
    output = warm[0]
    skip = {"SHA256SUMS", "open-press-offline.zip"}
    files = postbuild.offline_files(output, skip)
    reused = {relative for relative in files if (output / f"{relative}.gz").exists()}
    assert len(reused) > 500  # most entries do come from a .gz
    plain = tmp_path / "plain.zip"
    stamp = postbuild.ZIP_EPOCH.timetuple()[:6]
    with zipfile.ZipFile(plain, "w") as archive:
        for relative in files:
            info = zipfile.ZipInfo(f"again/{relative}", date_time=stamp)
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, (output / relative).read_bytes(), compresslevel=postbuild.GZIP_LEVEL)
    for gzipped in (set(), reused):
        ours = postbuild.write_offline_copy(output, "again.zip", None, files, gzipped=gzipped)
        try:
            assert ours.read_bytes() == plain.read_bytes()
        finally:
            ours.unlink()


def test_offline_zip_takes_the_streams_compression_made(warm, tmp_path):
    """The compression workers send each file's deflate stream back with its digests, and the
    zip is made from those (kept in a Spool), not from the ``.gz`` siblings read back: with
    every sibling deleted it is still the same bytes as a zip compressed from scratch."""
    site = tmp_path / "site"
    shutil.copytree(warm[0], site, ignore=shutil.ignore_patterns("*.gz", "*.br"))
    files = postbuild.offline_files(site, {"SHA256SUMS", "open-press-offline.zip"})
    scratch = postbuild.write_offline_copy(site, "again.zip", None, files)
    fresh = scratch.read_bytes()
    scratch.unlink()
    with postbuild.Spool() as spool:
        digests = postbuild.compress(site, postbuild.DEFAULT_BROTLI_QUALITY, 2, spool=spool)
        texts = [r for r in files if os.path.splitext(r)[1] in postbuild.TEXT_SUFFIXES]
        assert sorted(spool.at) == sorted(texts)  # small files too: deflated by the workers
        gzipped = {relative[:-3] for relative in digests if relative.endswith(".gz")}
        assert len(gzipped) > 500
        for relative in gzipped:
            (site / f"{relative}.gz").unlink()
        ours = postbuild.write_offline_copy(site, "again.zip", None, files, gzipped=gzipped, spool=spool)
    assert ours.read_bytes() == fresh


def test_offline_zip_takes_the_unchanged_entries_of_the_last_one(warm, tmp_path):
    """A rebuild's zip copies the entries of unchanged files from the last output's zip (read in
    one pass) and no others: the same bytes as a zip written from scratch."""
    output, site = warm[0], tmp_path / "site"
    shutil.copytree(output, site)
    page = site / "en/index.html"
    page.write_bytes(page.read_bytes() + b"<!-- the last build's text -->")
    earlier = postbuild.write_offline_copy(site, "again.zip", None, postbuild.offline_files(site, set()))
    files = postbuild.offline_files(output, {"SHA256SUMS", "open-press-offline.zip"})
    scratch = postbuild.write_offline_copy(output, "again.zip", None, files)
    fresh = scratch.read_bytes()
    scratch.unlink()
    unchanged = set(files) - {"en/index.html"}
    entries = {}  # where each entry is, as the build lists them for the next one
    postbuild.write_offline_copy(
        site, "again.zip", None, postbuild.offline_files(site, set()), located=entries
    )
    assert entries == zip_entries(earlier)
    for taken, same in ((unchanged, True), (unchanged | {"en/index.html"}, False)):
        for listed in (None, entries):  # the central directory read, or the build's list
            with postbuild.EarlierCopy(earlier, "again", taken, listed) as copy:
                ours = postbuild.write_offline_copy(output, "again.zip", None, files, earlier=copy)
            assert (ours.read_bytes() == fresh) == same  # the stale entry, when wrongly listed, is taken
            ours.unlink()


def zip_entries(path: Path) -> dict[str, tuple[int, int, int, int]]:
    """Where each entry of the zip at ``path`` is, as its central directory says."""
    with zipfile.ZipFile(path) as archive:
        return {
            i.filename: (i.header_offset, i.compress_size, i.CRC, i.file_size) for i in archive.infolist()
        }


def test_the_cache_lists_the_zip_entries_for_that_zip_only(warm, tmp_path):
    """The build lists where each entry of its offline zip is (for the next build's EarlierCopy);
    the list counts only for a zip with the identity it was written for."""
    output, cache = rebuild_of(warm, tmp_path)
    copy = output / postbuild.DEFAULT_OFFLINE_COPY
    assert postbuild._zip_entries(str(cache), copy.stat()) == zip_entries(copy)
    os.utime(copy, ns=(0, 0))
    assert postbuild._zip_entries(str(cache), copy.stat()) is None
    assert postbuild._zip_entries(str(tmp_path / "no cache"), copy.stat()) is None


def test_offline_zip_does_not_take_a_stale_gz_for_its_file(warm, tmp_path):
    """A ``.gz`` that does not fit its file (edited after compressing) is not used for it, even
    when listed as written by this build: the zip holds the file as it is."""
    output = tmp_path / "site"
    shutil.copytree(warm[0], output)
    page = output / "en/index.html"
    assert page.with_name("index.html.gz").is_file()
    page.write_bytes(page.read_bytes() + b"<!-- edited -->")
    files = postbuild.offline_files(output, set())
    ours = postbuild.write_offline_copy(output, "again.zip", None, files, gzipped={"en/index.html"})
    with zipfile.ZipFile(ours) as archive:
        assert archive.read("again/en/index.html") == page.read_bytes()
        assert archive.testzip() is None


def test_jobs_over_a_series_of_fresh_pools_come_back_in_order(monkeypatch):
    """Large runs go to one pool after another (fresh forks keep memory near one copy): the
    results are still job(0), job(1), … in order, and later pools really are new workers."""
    monkeypatch.setattr(parallel, "BATCHES_PER_WORKER", 2)  # 17 batches of 31 jobs: five pools
    results = parallel.fork_map(lambda i: (i * i, os.getpid()), 500, 2)
    assert [value for value, _ in results] == [i * i for i in range(500)]
    workers = {pid for _, pid in results}
    assert os.getpid() not in workers and len(workers) > 2


def test_a_large_run_forks_no_more_than_max_pools(monkeypatch):
    """Forking costs in proportion to the parent's memory, which grows with the site like the
    number of jobs: so a run of any size forks at most MAX_POOLS pools, whose workers then
    run more batches each; the results still come back in order."""
    monkeypatch.setattr(parallel, "BATCHES_PER_WORKER", 1)  # 17 batches of 31 jobs: nine pools…
    monkeypatch.setattr(parallel, "MAX_POOLS", 3)  # … but three at most
    results = parallel.fork_map(lambda i: (i * i, os.getpid()), 500, 2)
    assert [value for value, _ in results] == [i * i for i in range(500)]
    workers = {pid for _, pid in results}
    assert os.getpid() not in workers and 2 < len(workers) <= 2 * 3


def test_a_merge_waits_for_a_run_in_progress_and_makes_one_that_never_comes(tmp_path):
    """The search merge waits for runs another worker is analyzing; a run whose file never
    appears (its worker was killed, the cache folder emptied) is analyzed by the merge itself
    after ``patience``, so a build cannot hang there."""
    store = search_index.AnalysisStore(tmp_path / "search")
    made: list[str] = []

    def make(value):
        return lambda: made.append(value) or {"analysis": value}

    writer = threading.Timer(0.3, lambda: store.ensure("in-progress", make("from the other worker")))
    writer.start()
    assert store.wait("in-progress", make("here"), patience=30) == {"analysis": "from the other worker"}
    assert made == ["from the other worker"]
    shutil.rmtree(tmp_path / "search")
    started = time.monotonic()
    assert store.wait("never", make("here"), patience=0.2) == {"analysis": "here"}
    assert 0.2 <= time.monotonic() - started < 10
    assert store.load("never") == {"analysis": "here"}  # stored, as ensure stores it


# -- the page cache's keys ---------------------------------------------------------------------------
def test_page_keys_follow_values_through_reference_cycles():
    """Objects that point at each other (a congress and its motions) hash the same whichever
    one the hashing starts from, in any order, and a change anywhere in the cycle shows."""
    from dataclasses import dataclass, field

    from press_core.pagecache import Digester

    @dataclass(eq=False)
    class Congress:
        title: str
        motions: list = field(default_factory=list)

    @dataclass(eq=False)
    class Motion:
        title: str
        congress: Congress

    def made(title: str):
        congress = Congress("Fourth congress")
        congress.motions = [Motion(title, congress), Motion("On wages", congress)]
        return congress

    first, again = made("On water"), made("On water")
    one, other = Digester(), Digester()
    assert one.digest({"motion": first.motions[0]}) == other.digest({"motion": again.motions[0]})
    assert one.digest(first) == other.digest(again)  # after other entry points were memoised
    assert one.digest({"motion": first.motions[1]}) == Digester().digest({"motion": again.motions[1]})
    changed = made("On water and power")
    assert Digester().digest({"motion": changed.motions[1]}) != one.digest({"motion": first.motions[1]})


def test_compiled_templates_kept_for_the_next_build_speak_no_language(tmp_path):
    """A template compiled for Arabic and kept in the cache folder renders English digits,
    dates and numbers in the English environment that loads it, as without a cache; an edited
    template is compiled again."""
    import datetime as dt

    from press_core.build import load_settings
    from press_core.languages import load_languages
    from press_core.templating import add_language_filters, environment

    languages = {lang.code: lang for lang in load_languages(load_settings(ROOT / "pelicanconf.py"))}
    templates = tmp_path / "templates"
    templates.mkdir()
    page = templates / "page.html"
    page.write_text("{{ '2024' | digits }} {{ 1234 | number }} {{ day | date }}", encoding="utf-8")

    def rendered(lang: str, cache=tmp_path / "cache") -> str:
        env = environment([str(templates)], cache=cache)
        add_language_filters(env, languages[lang])
        return env.get_template("page.html").render(day=dt.date(2024, 3, 5))

    assert rendered("ar").startswith("٢٠٢٤ ")
    assert list(tmp_path.glob("cache/jinja-*/*"))  # kept
    assert rendered("en") == rendered("en", cache=None)
    assert rendered("en").startswith("2024 1,234 ")
    page.write_text("{{ '7' | digits }}", encoding="utf-8")
    assert rendered("ar") == "٧"


def test_only_templates_that_read_the_whole_graph_depend_on_all_content():
    from press_core.pagecache import templates_reading_graph
    from press_core.templating import environment

    found = templates_reading_graph(environment([str(ROOT / "theme/templates")]))
    assert {"positions.html", "question.html", "blocs.html"} <= found  # they hand it to the blocs' helpers
    assert not {"article.html", "listing.html", "home.html", "base.html", "macros.html"} & found


# -- content files parsed by an earlier build --------------------------------------------------------
def test_a_cache_store_gives_back_what_was_saved_for_the_same_stamp_and_salt(tmp_path):
    """What one build stores the next gets, for the same stamp and salt only; what a build
    neither took nor stored is dropped; a build stopped before saving leaves the last saved
    state; a file that is not a store is started anew."""
    from press_core.cachestore import CacheStore

    path = tmp_path / "cache" / "values.sqlite"
    first = CacheStore(path, b"salt")
    first.put("a", b"alpha", "stamp 1")
    first.put("b", b"beta")
    first.put("c", b"gamma")
    first.save()
    second = CacheStore(path, b"salt")
    assert second.get("a", "stamp 2") is None  # the file changed since
    assert (second.get("a", "stamp 1"), second.get("b")) == (b"alpha", b"beta")
    second.put("d", b"delta")
    second.save()  # "c" was not taken: dropped
    third = CacheStore(path, b"salt")
    assert (sorted(third.stamps), third.get("d")) == (["a", "b", "d"], b"delta")
    third.put("e", b"epsilon")
    del third  # stopped before saving: its write was never committed
    gc.collect()  # (the connection is on a reference cycle: closed, and rolled back, here)
    assert sorted(CacheStore(path, b"salt").stamps) == ["a", "b", "d"]
    assert CacheStore(path, b"other code").get("b") is None  # another salt: nothing
    assert CacheStore(path, b"salt").stamps == {}  # and the file was started anew
    path.write_bytes(b"not a database" * 100)
    damaged = CacheStore(path, b"salt")
    assert damaged.get("a") is None
    damaged.put("a", b"again")
    damaged.save()
    assert CacheStore(path, b"salt").get("a") == b"again"
    assert CacheStore(None, b"salt").get("a") is None  # no cache folder: keeps nothing


def test_a_cache_store_reads_expected_keys_a_chunk_at_a_time_in_any_order(tmp_path, monkeypatch):
    """Keys announced with ``expect`` come back with their own values, and only for their own
    stamp, in a query per chunk; asked out of order, twice, or unannounced, they still do."""
    from press_core import cachestore
    from press_core.cachestore import CacheStore

    monkeypatch.setattr(cachestore, "CHUNK", 4)
    path = tmp_path / "values.sqlite"
    first = CacheStore(path, b"salt")
    for n in range(10):
        first.put(f"k{n}", f"value {n}".encode(), f"stamp {n}")
    first.save()
    store = CacheStore(path, b"salt")
    queries = []
    store._db.set_trace_callback(queries.append)
    store.expect(["k0", "k1", "gone", "k2", "k3", "k4", "k5", "k6", "k7", "k8"])
    assert [store.get(f"k{n}", f"stamp {n}") for n in range(6)] == [f"value {n}".encode() for n in range(6)]
    assert len(queries) == 2  # k0-k3, then k4-k7
    assert store.get("k6", "stamp 5") is None  # read ahead, but for another stamp
    assert store.get("k8", "stamp 8") == b"value 8"
    assert store.get("k7", "stamp 7") == b"value 7"  # out of order
    assert store.get("k1", "stamp 1") == b"value 1"  # taken twice
    assert store.get("k9", "stamp 9") == b"value 9"  # not announced
    store.save()  # k6 was never taken: dropped
    assert sorted(CacheStore(path, b"salt").stamps) == [f"k{n}" for n in range(10) if n != 6]


def test_a_read_that_fails_leaves_its_caches_unlocked(corpus, tmp_path):
    """A section reader that fails mid-read (a bug, not a content problem) leaves the cache
    files closed: the next build in the same process (``invoke serve``) can write them."""
    import sqlite3

    from press_core import reading
    from press_core.build import load_settings

    settings = load_settings(ROOT / "pelicanconf.py", corpus, CACHE_PATH=str(tmp_path / "cache"))

    def failing(reader, graph):
        raise RuntimeError("a reader's bug")

    reading.register_section("press_failing_fixture", "failing", failing)
    try:
        with pytest.raises(RuntimeError, match="a reader's bug"):
            reading.read_content({**settings, "PLUGINS": [*settings["PLUGINS"], "press_failing_fixture"]})
    finally:
        del reading._SECTION_READERS["press_failing_fixture"]
    for name in ("sources.sqlite", "markdown.sqlite"):
        with sqlite3.connect(tmp_path / "cache" / name, timeout=0) as db:
            db.execute("BEGIN IMMEDIATE")  # no other connection holds a write lock
    assert reading.read_content(settings).items


def test_unchanged_content_files_are_not_read_again(corpus, monkeypatch, tmp_path):
    """A second read takes every unchanged text from ``sources.cache`` and reads the edited one;
    the content equals a read without a cache, also from a damaged cache file.  A PUBLIC_EMAILS
    change reads every file again."""
    import press_blocs
    from press_core import sourcecache
    from press_core.build import load_settings
    from press_core.problems import ContentError
    from press_core.reading import read_content, register_section

    register_section("press_blocs", press_blocs.SECTION, press_blocs.read_blocs)
    monkeypatch.setattr(sourcecache, "RACY_SECONDS", 0)  # the files were written just now
    content = tmp_path / "content"
    shutil.copytree(corpus, content)
    article = sorted((content / "articles").glob("*.en.md"))[0]
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("\n---\n", "\n---\nWrite to press@example.org.\n\n", 1), encoding="utf-8")
    public = {"PUBLIC_EMAILS": ["press@example.org"]}
    settings = load_settings(ROOT / "pelicanconf.py", content, CACHE_PATH=str(tmp_path / "cache"), **public)

    def texts(graph) -> list[tuple]:
        return [(i.kind, i.key, v.lang, v.title, v.body, v.summary, v.tags, v.source)
                for i in graph.items for v in i.versions.values()]  # fmt: skip

    read_content(settings)
    edited = sorted((content / "articles").glob("*.ar.md"))[1]
    edited.write_text(edited.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: Amended ", 1))
    read, read_text = [], Path.read_text

    def counting(path, *args, **kwargs):
        read.append(path)
        return read_text(path, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", counting)
    cached = read_content(settings)
    texts_read = [path for path in read if path.suffix == ".md" and path.parent.parent.name != "congresses"]
    assert texts_read == [edited]  # (congress minutes, if their reader is registered, are read again)
    assert {"article", "paper", "outside"} <= {item.kind for item in cached.items}
    amended = next(item for item in cached.items if item.key == edited.name.split(".")[0])
    assert amended.versions["ar"].title.startswith("Amended ")
    assert texts(cached) == texts(read_content({**settings, "CACHE_PATH": None}))
    for stored in (tmp_path / "cache" / sourcecache.CACHE_NAME, tmp_path / "cache" / "markdown.sqlite"):
        data = stored.read_bytes()
        stored.write_bytes(data[: len(data) // 2] + bytes(len(data) - len(data) // 2))  # entries damaged
    assert texts(read_content(settings)) == texts(cached)
    with pytest.raises(ContentError, match=r"press@example\.org"):
        read_content({**settings, "PUBLIC_EMAILS": []})


def test_a_cold_read_in_workers_reports_what_a_serial_read_does(corpus, tmp_path):
    """Without a cache, forked workers parse the front matter (``ContentReader.parse_ahead``):
    their problems (bad YAML, a file that is not UTF-8, an e-mail address) reach the build as a
    serial read reports them."""
    import press_blocs
    from press_core.build import load_settings
    from press_core.problems import ContentError
    from press_core.reading import read_content, register_section

    register_section("press_blocs", press_blocs.SECTION, press_blocs.read_blocs)
    content = tmp_path / "content"
    shutil.copytree(corpus, content)
    articles = sorted((content / "articles").glob("*.md"))
    assert len(articles) >= 2 * parallel.MIN_JOBS_PER_PROCESS  # enough for two workers
    articles[3].write_text("---\ntitle: [unclosed\n---\nText.\n", encoding="utf-8")
    articles[40].write_bytes(b"---\ntitle: caf\xe9\n---\n")
    text = articles[-2].read_text(encoding="utf-8")
    articles[-2].write_text(text + "\nWrite to someone@example.org.\n", encoding="utf-8")
    reports = []
    for processes in (2, 1):
        overrides = {"CACHE_PATH": None, "RENDER_PROCESSES": processes}
        settings = load_settings(ROOT / "pelicanconf.py", content, **overrides)
        with pytest.raises(ContentError) as caught:
            read_content(settings)
        reports.append(str(caught.value))
    assert reports[0] == reports[1]
    lines = reports[0].splitlines()
    assert len(lines) == 3, lines
    assert any(articles[3].name in line and "not valid YAML" in line for line in lines)
    assert any(articles[40].name in line and "not UTF-8" in line for line in lines)
    assert any(articles[-2].name in line and "someone@example.org" in line for line in lines)


def _both_inline_steps(rtl: bool):
    """A converter that skips plain text nodes (the build's) and one that tries every pattern."""
    from press_core import markup

    quick, full = markup._new_markdown(rtl), markup._new_markdown(rtl)
    assert quick.treeprocessors["inline"].skip_plain  # the patterns are the ones INLINE_TRIGGERS knows
    full.treeprocessors["inline"].skip_plain = False
    return quick, full


MARKDOWN_PIECES = [
    "word", "كلمة", "وشە", " ", "  ", "\n", "\n\n", "*", "**", "_", "`", "\\", "[", "]", "(", ")", "!",
    "<", ">", "&", ";", "#", "^", ":", "-", "1.", "http://a.example/x", "a@b.example", "&amp;",
    "<b>", "</b>", "<!-- c -->", "Rosa Luxemburg", "14.5%", "[^1]", "[^1]: note", "*[HTML]: abbr",
    "| a | b |\n|---|---|\n| 1 | 2 |", "{: .x }", "~~~\ncode\n~~~", "> ", "Term\n:   def",
]  # fmt: skip


@given(
    text=st.lists(st.sampled_from(MARKDOWN_PIECES), max_size=12).map("".join),
    rtl=st.booleans(),
)
@settings(max_examples=400, deadline=None)
def test_skipping_plain_text_in_the_inline_step_changes_no_html(text, rtl):
    quick, full = _both_inline_steps(rtl)
    assert quick.reset().convert(text) == full.reset().convert(text)


def test_the_inline_step_gives_the_same_html_for_every_demo_text():
    texts = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "content").rglob("*.md"))]
    assert len(texts) > 50
    for rtl in (False, True):
        quick, full = _both_inline_steps(rtl)
        for text in texts:
            assert quick.reset().convert(text) == full.reset().convert(text)
