"""Build and check entry points: ``python -m press_core.build [--check]``.

Runs Pelican with the press plugins into a fresh temporary folder beside the
output folder and swaps it in only when the whole build succeeded, so a failed
build never destroys the last good ``output/``.  Content problems are printed
one per line (``path:line: what — fix``) with exit status 1 and no traceback.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from .languages import LanguageTableError
from .problems import ContentError


def load_settings(settings_file: str | Path, content: str | Path | None = None, **overrides):
    from pelican.settings import read_settings

    if content is not None:
        overrides["PATH"] = str(Path(content).resolve())
    return read_settings(str(settings_file), override=overrides)


def run_pelican(settings) -> dict:
    from pelican import Pelican
    from pelican.log import console

    console.quiet = True  # Pelican's own summary counts its (unused) article generator
    pelican = Pelican(settings)
    pelican.run()
    return pelican.settings


def build(settings_file: str | Path, output: str | Path, content: str | Path | None = None) -> int:
    output = Path(output).resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    fresh = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    try:
        settings = load_settings(settings_file, content, OUTPUT_PATH=str(fresh))
        run_pelican(settings)
    except (ContentError, LanguageTableError) as exc:
        shutil.rmtree(fresh, ignore_errors=True)
        print(exc, file=sys.stderr)
        print(f"Build stopped: nothing was written; {output.name}/ is unchanged.", file=sys.stderr)
        return 1
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    _swap(fresh, output)
    files = sum(len(names) for _, _, names in os.walk(output))
    print(f"Built {files} files into {output} in {time.perf_counter() - started:.1f} s")
    return 0


def _swap(fresh: Path, output: Path) -> None:
    os.chmod(fresh, 0o755)
    old = None
    if output.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
        os.rmdir(old)
        os.rename(output, old)
    os.rename(fresh, output)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


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
    versions = sum(len(item.versions) for item in graph.items)
    print(f"OK: {len(graph.items)} items in {versions} language files, no problems.")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="press_core.build", description=__doc__.splitlines()[0])
    parser.add_argument("--settings", default="pelicanconf.py")
    parser.add_argument("--output", default="output")
    parser.add_argument("--content", default=None, help="content folder (default: PATH from the settings)")
    parser.add_argument("--check", action="store_true", help="validate only; write nothing")
    args = parser.parse_args(argv)
    if args.check:
        return check(args.settings, args.content)
    return build(args.settings, args.output, args.content)


if __name__ == "__main__":
    sys.exit(main())
