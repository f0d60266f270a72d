"""Build and check entry points: ``python -m press_core.build [--check]``.

Runs Pelican with the press plugins into a fresh temporary folder beside the
output folder and swaps it in only when the whole build succeeded, so a failed
build never destroys the last good ``output/``.  Pages that did not change are
hard-linked from that last good output (:mod:`press_core.pagecache`), and it is
deleted by a background process once the new one is in place.  Content problems are printed
one per line (``path:line: what — fix``) with exit status 1 and no traceback.

Pelican renders; then :mod:`press_core.postbuild` fingerprints the theme's assets and
writes the ``.gz``/``.br`` siblings and the offline zip.  The last step of every build
is ``SHA256SUMS`` at the output root: the checksum of every other file, sorted, in
the format ``sha256sum -c`` reads.  Two builds of the same commit give the same file,
so anyone can check a mirror (README, "Verifying a mirror").
"""

from __future__ import annotations

import argparse
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
from .pagecache import PREVIOUS_OUTPUT
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
    fresh = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    settings = None
    try:
        previous = {PREVIOUS_OUTPUT: str(output)} if output.is_dir() else {}  # pages to reuse
        settings = load_settings(settings_file, content, **overrides, **previous, OUTPUT_PATH=str(fresh))
        run_pelican(settings)
        files, digests = postbuild.finish(fresh, settings, CHECKSUMS)  # fingerprint, compress, offline zip
        sums = write_checksums(fresh, processes=processes_of(settings), known=digests, files=files)
        postbuild.record_compression(settings, sums)  # for the next build's reuse of .gz/.br
    except (ContentError, LanguageTableError, WorkerLostError) as exc:
        _discard(fresh, settings)
        print(exc, file=sys.stderr)
        print(f"Build stopped: nothing was written; {output.name}/ is unchanged.", file=sys.stderr)
        return 1
    except BaseException:
        _discard(fresh, settings)
        raise
    _swap(fresh, output)
    pagecache.settle(settings, built=True)
    files = (output / CHECKSUMS).read_bytes().count(b"\n") + 1  # every other file, and itself
    print(f"Built {files} files into {output} in {time.perf_counter() - started:.1f} s")
    return 0


CHECKSUMS = "SHA256SUMS"


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
        old = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
        os.rmdir(old)
        os.rename(output, old)
    os.rename(fresh, output)
    for old in output.parent.glob(f".{output.name}.old-*"):  # this one, and any an interruption left
        _remove_later(old)


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
    sys.exit(main())
