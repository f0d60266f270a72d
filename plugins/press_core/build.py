"""Build and check entry points: ``python -m press_core.build [--check]``.

Runs Pelican with the press plugins into a fresh temporary folder beside the
output folder, and changes ``output/`` only when the whole build succeeded, so a failed
build never destroys the last good ``output/``.  A first build (or one that keeps nothing)
takes the fresh folder's place in one rename, and the old output is deleted by a background
process.  A rebuild keeps the pages that did not change where they are
(:mod:`press_core.pagecache`) and writes only the rest: once it succeeded, its files are moved
into ``output/`` and the files it no longer makes are deleted, under a journal
(``.output.moving`` beside it) that the next build completes first if this one is stopped
half-way; ``SHA256SUMS`` moves last.  A fresh folder that a build killed outright left
behind is deleted by the next build.  Content problems are printed one per line
(``path:line: what — fix``) with exit status 1 and no traceback.

Pelican renders; then :mod:`press_core.postbuild` fingerprints the theme's assets and
writes the ``.gz``/``.br`` siblings and the offline zip.  The last step of every build
is ``SHA256SUMS`` at the output root: the checksum of every other file, sorted, in
the format ``sha256sum -c`` reads.  Two builds of the same commit give the same file,
so anyone can check a mirror (README, "Verifying a mirror").
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import pagecache, postbuild
from .languages import LanguageTableError
from .pagecache import KEPT_FILES, PREVIOUS_OUTPUT
from .parallel import WorkerLostError, processes_of
from .problems import ContentError


class _DeliberateLocale(logging.Filter):
    """``LOCALE = []`` is deliberate (the press never calls locale.setlocale; Babel formats
    every date and number), but Pelican warns that no locale could be set: drop that line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Locale could not be set")


logging.getLogger("pelican.settings").addFilter(_DeliberateLocale())


def load_settings(settings_file: str | Path, content: str | Path | None = None, **overrides):
    from pelican.settings import read_settings

    if content is not None:
        overrides["PATH"] = str(Path(content).resolve())
    overrides.setdefault("PRESS_SETTINGS_FILE", str(Path(settings_file).resolve()))  # for messages
    return read_settings(str(settings_file), override=overrides)


def run_pelican(settings) -> dict:
    from pelican import Pelican
    from pelican.log import console

    console.quiet = True  # Pelican's own summary counts its (unused) article generator
    pelican = Pelican(settings)
    pelican.run()
    return pelican.settings


def build(
    settings_file: str | Path, output: str | Path, content: str | Path | None = None, **overrides
) -> int:
    """Build into ``output``; ``overrides`` replace settings (e.g. ``THEME``)."""
    output = Path(output).resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    if moving_journal(output).exists():  # a build stopped while moving its files in: finish that first
        _finish_moving(output)
    for killed in output.parent.glob(f".{output.name}.new-*"):  # what a killed build had written
        os.rename(killed, _old_name(output))  # deleted in the background with the other old folders
    fresh = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    settings, present = None, Listing(output, start=False)
    thresholds = gc.get_threshold()
    gc.set_threshold(*FEW_COLLECTIONS)
    try:
        previous = {PREVIOUS_OUTPUT: str(output)} if output.is_dir() else {}  # pages to reuse
        settings = load_settings(settings_file, content, **overrides, **previous, OUTPUT_PATH=str(fresh))
        cache = Path(settings.get("CACHE_PATH") or output / "no cache")
        if previous and (cache / pagecache.CACHE_NAME).is_file():  # pages may be kept there
            present = Listing(output, start=True)  # what output/ holds, for moving this build in
        run_pelican(settings)
        files, digests, same = postbuild.finish(fresh, settings, CHECKSUMS)  # fingerprint, compress, zip
        sums = write_checksums(fresh, processes=processes_of(settings), known=digests, files=files)
        postbuild.record_compression(settings, sums)  # for the next build's reuse of .gz/.br
    except (ContentError, LanguageTableError, WorkerLostError) as exc:
        present.stop()
        _discard(fresh, settings)
        print(exc, file=sys.stderr)
        print(f"Build stopped: nothing was written; {output.name}/ is unchanged.", file=sys.stderr)
        return 1
    except BaseException:
        present.stop()
        _discard(fresh, settings)
        raise
    finally:
        gc.set_threshold(*thresholds)
    if settings.get(KEPT_FILES):
        _move_in(fresh, output, files | {CHECKSUMS}, present.files(), same)
    else:
        present.stop()
        _swap(fresh, output)
    pagecache.settle(settings, built=True)
    files = (output / CHECKSUMS).read_bytes().count(b"\n") + 1  # every other file, and itself
    print(f"Built {files} files into {output} in {time.perf_counter() - started:.1f} s")
    return 0


CHECKSUMS = postbuild.CHECKSUMS
# The garbage collector's thresholds while a build runs.  The build holds millions of objects
# for its whole run (the content graph, the pages), which every full collection walks: at 10k a
# rebuild made eleven of them, 1.9 s, and they found some 600 objects to free in all.  So a
# full collection waits for a thousand collections of the middle generation (Python's default:
# ten), and the youngest is collected every 10,000 allocations (default 700), not 2,600 times.
FEW_COLLECTIONS = (10_000, 10, 1_000)


def write_checksums(
    folder: str | Path,
    name: str = CHECKSUMS,
    processes: int = 1,
    known: dict[str, str] | None = None,
    files: set[str] | None = None,
) -> Path:
    """Write ``folder/name``: ``<sha256>  <path>`` for every other file, sorted by path.

    GNU ``sha256sum`` format (:func:`postbuild.checksum_text`).  ``known``: digests computed
    already (while compressing, and for the offline copy's own list), of files not changed since;
    the other files are hashed by ``processes`` forked workers (press_core.parallel).  ``files``:
    the folder's files (relative paths), if the caller has them.
    """
    folder = Path(folder)
    files = postbuild.files_under(folder) if files is None else files
    files = [relative for relative in files if relative != name]
    digests = postbuild.digests_of(folder, files, processes, known)
    target = folder / name
    with open(target, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(postbuild.checksum_text(digests))
    return target


def _discard(fresh: Path, settings) -> None:
    shutil.rmtree(fresh, ignore_errors=True)
    if settings is not None:
        pagecache.settle(settings, built=False)


def _swap(fresh: Path, output: Path) -> None:
    os.chmod(fresh, 0o755)
    if output.exists():
        os.rename(output, _old_name(output))
    os.rename(fresh, output)
    _remove_old(output)


def _old_name(output: Path) -> Path:
    """A free name beside ``output`` for a folder to delete."""
    old = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
    os.rmdir(old)
    return old


def _remove_old(output: Path) -> None:
    for old in output.parent.glob(f".{output.name}.old-*"):  # this build's, and any an interruption left
        _remove_later(old)


def moving_journal(output: Path) -> Path:
    """The plan of a rebuild moving its files into ``output`` (see :func:`_move_in`); it exists
    only while they move, or when that was cut short (the next build completes it)."""
    return output.parent / f".{output.name}.moving"


class Listing:
    """The files of a folder (relative paths), listed by a process of its own while the build
    goes on: walking the 53,000 folders of a 10k site's output took a rebuild 5 s when the
    system had let go of them since the last build, on the processor reading content leaves idle."""

    CODE = """if True:
        import os, sys
        os.nice(19)  # the build's processes come first
        sys.path.insert(0, sys.argv[1])
        from press_core.postbuild import files_under
        names = files_under(sys.argv[2])
        sys.stdout.buffer.write(b"\\0".join(name.encode("utf-8", "surrogateescape") for name in names))
    """

    def __init__(self, folder: Path, start: bool):
        self.folder, self.process, self.out = folder, None, None
        if start:
            self.out = tempfile.TemporaryFile()  # noqa: SIM115 (closed by files() or stop())
            plugins = str(Path(__file__).resolve().parent.parent)
            command = [sys.executable, "-c", self.CODE, plugins, str(folder)]
            self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=self.out)

    def files(self) -> set[str]:
        """The list (waiting for it); walked here if the process failed or was not started."""
        if self.process is not None:
            with self.out:
                if self.process.wait() == 0:
                    self.out.seek(0)
                    data = self.out.read().decode("utf-8", "surrogateescape")
                    return set(data.split("\0")) if data else set()
        return set(postbuild.files_under(self.folder))

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.out.close()


def _move_in(fresh: Path, output: Path, files: set[str], present: set[str], same: set[str]) -> None:
    """Make ``output`` the site whose files are ``files`` (relative paths): this build's, in
    ``fresh``, and the pages it kept in ``output``; ``present``: the files ``output`` holds;
    ``same``: files of ``fresh`` that ``output`` has with the same bytes, left as they are.  The
    plan is written first, so :func:`_finish_moving` can complete it after an interruption."""
    plan = {"from": fresh.name, "obsolete": sorted(present - files), "same": sorted(same & present)}
    journal = moving_journal(output)
    pending = journal.with_name(journal.name + ".new")
    with open(pending, "w", encoding="utf-8") as handle:
        json.dump(plan, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(pending, journal)
    _finish_moving(output)


def _finish_moving(output: Path) -> None:
    """Carry out the journal's plan; every step may have been done already (a second run of a
    plan cut short does the rest).  The files no longer made go first (and folders they leave
    empty), so a file may take the place of a folder and the other way round."""
    journal = moving_journal(output)
    plan = json.loads(journal.read_text(encoding="utf-8"))
    fresh = output.parent / plan["from"]
    folders = set()
    for relative in plan["obsolete"]:
        with contextlib.suppress(FileNotFoundError, NotADirectoryError):  # gone, or a folder is a file now
            os.unlink(output / relative)
        folders.update(Path(relative).parents)
    for folder in sorted(folders - {Path(".")}, key=lambda f: -len(f.parts)):
        with contextlib.suppress(OSError):  # not empty: it holds files of this build
            os.rmdir(output / folder)
    if fresh.is_dir():
        same = set(plan.get("same", ()))
        moving = [relative for relative in postbuild.files_under(fresh) if relative not in same]
        moving.sort(key=lambda relative: relative == CHECKSUMS)
        for relative in moving:  # SHA256SUMS last: it lists a whole site
            source, target = fresh / relative, output / relative
            try:
                os.replace(source, target)
            except FileNotFoundError:  # a new folder
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, target)
            except IsADirectoryError:  # an empty folder where the site now has a file
                shutil.rmtree(target)
                os.replace(source, target)
        os.rename(fresh, _old_name(output))  # the copies of unchanged files: deleted in the background
    journal.unlink()
    _remove_old(output)


def _remove_later(folder: Path) -> None:
    """Delete the previous output in a process of its own, which the build does not wait for:
    the new output is in place already, and a large site's hundred thousand files take tens of
    seconds to delete (issue 10), at the lowest priority, so that it takes what the next build
    leaves of the processor.  An interrupted deletion is taken up by the next build."""
    code = "import os, shutil, sys; os.nice(19); shutil.rmtree(sys.argv[1], ignore_errors=True)"
    subprocess.Popen(
        [sys.executable, "-c", code, str(folder)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # not stopped by the Ctrl-C that stops a later `invoke serve`
    )


def check(settings_file: str | Path, content: str | Path | None = None) -> int:
    """Validate content and catalogs without writing anything."""
    from pelican import Pelican

    from .i18n import catalogs_of
    from .reading import read_content

    try:
        settings = load_settings(settings_file, content)
        Pelican(settings)  # registers plugins, as the build does
        graph = read_content(settings)
        catalogs_of(dict(settings))
    except (ContentError, LanguageTableError) as exc:
        print(exc, file=sys.stderr)
        return 1
    for warning in graph.warnings:  # e.g. PDF metadata naming its author: clean, then commit
        print(f"warning: {warning}", file=sys.stderr)
    versions = sum(len(item.versions) for item in graph.items)
    print(f"OK: {len(graph.items)} items in {versions} language files, no problems.")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="press_core.build", description=__doc__.splitlines()[0])
    parser.add_argument("--settings", default="pelicanconf.py")
    parser.add_argument("--output", default="output")
    parser.add_argument("--content", default=None, help="content folder (default: PATH from the settings)")
    parser.add_argument("--theme", default=None, help="theme folder (default: THEME from the settings)")
    parser.add_argument("--cache", default=None, help="cache folder (default: CACHE_PATH from the settings)")
    parser.add_argument("--check", action="store_true", help="validate only; write nothing")
    args = parser.parse_args(argv)
    if args.check:
        return check(args.settings, args.content)
    overrides = {"THEME": str(Path(args.theme).resolve())} if args.theme else {}
    if args.cache:
        overrides["CACHE_PATH"] = str(Path(args.cache).resolve())
    return build(args.settings, args.output, args.content, **overrides)


if __name__ == "__main__":
    status = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Leave without tearing the build's objects down one by one (and collecting them once more):
    # at 10k that took the process 0.6 s after the build had finished.  Nothing is left to
    # close: the output is in place, the caches saved, the workers gone.
    os._exit(status)
