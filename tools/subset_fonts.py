"""Build the self-hosted Arabic-script web fonts vendored in theme/static/fonts/.

Why this exists
---------------
The site is published in Arabic, Central Kurdish (Sorani, Arabic script) and
English, and its pages must not load anything from third-party hosts, so web
fonts cannot come from a font CDN. Debian ships the full desktop fonts (about
180 KB of hinted TrueType each), which is far too heavy to serve on every page.
This script cuts them down to small WOFF2 subsets that are committed to the
repository and served by the site itself.

Source
------
Debian package ``fonts-noto-core`` (installed with ``apt-get install
fonts-noto-core``), files under /usr/share/fonts/truetype/noto/:

* NotoNaskhArabic-Regular.ttf / NotoNaskhArabic-Bold.ttf (preferred, body text)
* NotoSansArabic-Regular.ttf / NotoSansArabic-Bold.ttf (used only if Naskh is missing)

The fonts are licensed under the SIL Open Font License 1.1; the licence text
is vendored next to the output as LICENSE-OFL.txt.

What the subset keeps
---------------------
* Arabic (U+0600-06FF): all Arabic and Sorani letters (including ڕ ڵ ۆ ێ ە ڤ
  گ پ چ ژ ک ی), Arabic punctuation, Arabic-Indic and Persian digits.
* Arabic Supplement (U+0750-077F) where the font has it.
* ZWNJ/ZWJ, LRM/RLM, bidi isolates, ALM, NBSP, guillemets and the basic ASCII
  punctuation used inside Arabic text -- but no Latin letters and no ASCII
  digits: Latin text is left to the system font.
* The OpenType features needed to shape Arabic (joining forms, required and
  standard ligatures, mark positioning, language-specific forms, kerning).
  Hinting is dropped; browsers do not need it for this script.

Only code points that the source font actually has end up in the subset. The
script prints each output's size (every file must stay <= 60 KB) and the CSS
``unicode-range`` that matches it, for theme/static/css/fonts.css.

Re-running
----------
From the repository root::

    .venv/bin/python tools/subset_fonts.py

or with explicit directories::

    .venv/bin/python tools/subset_fonts.py \\
        --source-dir /usr/share/fonts/truetype/noto --out-dir theme/static/fonts

Then run ``.venv/bin/python -m pytest tests/test_fonts.py`` and update
theme/static/fonts/README.md (package version) and LICENSE-OFL.txt (copyright
years) if the Debian package changed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE_DIR = Path("/usr/share/fonts/truetype/noto")
DEFAULT_OUT_DIR = REPO_ROOT / "theme" / "static" / "fonts"

MAX_BYTES = 60 * 1024

# Source families in order of preference: (source file prefix, output prefix).
FAMILIES = [
    ("NotoNaskhArabic", "naskh-arabic"),
    ("NotoSansArabic", "sans-arabic"),
]
WEIGHTS = [("Regular", "regular"), ("Bold", "bold")]

# Inclusive code point ranges requested for the subset.
UNICODE_RANGES = [
    (0x0020, 0x002F),  # space and ASCII punctuation ! " # $ % & ' ( ) * + , - . /
    (0x003A, 0x0040),  # : ; < = > ? @
    (0x005B, 0x0060),  # [ \ ] ^ _ `
    (0x007B, 0x007E),  # { | } ~
    (0x00A0, 0x00A0),  # NO-BREAK SPACE
    (0x00AB, 0x00AB),  # LEFT-POINTING DOUBLE ANGLE QUOTATION MARK
    (0x00BB, 0x00BB),  # RIGHT-POINTING DOUBLE ANGLE QUOTATION MARK
    (0x0600, 0x06FF),  # Arabic (includes U+061C ARABIC LETTER MARK)
    (0x0750, 0x077F),  # Arabic Supplement
    (0x200C, 0x200F),  # ZWNJ, ZWJ, LRM, RLM
    (0x2010, 0x2011),  # HYPHEN, NON-BREAKING HYPHEN
    (0x2066, 0x2069),  # LRI, RLI, FSI, PDI
    (0x25CC, 0x25CC),  # DOTTED CIRCLE (shown by shapers for stray combining marks)
]

# OpenType layout features to keep; everything else (aalt, dlig, tnum, ...) is dropped.
LAYOUT_FEATURES = [
    # joining forms
    "init",
    "medi",
    "fina",
    "isol",
    # ligatures and contextual forms
    "rlig",
    "liga",
    "calt",
    "ccmp",
    "locl",
    # positioning
    "mark",
    "mkmk",
    "kern",
    "curs",
]


def requested_codepoints() -> list[int]:
    codepoints: list[int] = []
    for start, end in UNICODE_RANGES:
        codepoints.extend(range(start, end + 1))
    return codepoints


def subset_options() -> subset.Options:
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = list(LAYOUT_FEATURES)
    options.layout_scripts = ["*"]
    options.hinting = False
    options.drop_tables += ["DSIG", "gasp"]
    # Keep all English name records, including the copyright (0), trademark (7)
    # and licence (13, 14) strings the OFL asks to travel with the font.
    options.name_IDs = ["*"]
    options.name_languages = [0x0409]
    options.glyph_names = False
    options.notdef_outline = True
    options.recalc_bounds = True
    options.recalc_timestamp = False
    options.prune_unicode_ranges = True
    return options


def find_sources(source_dir: Path) -> tuple[str, list[tuple[Path, str]]]:
    """Return (output prefix, [(source path, output file name), ...]) for the first complete family."""
    for family, out_prefix in FAMILIES:
        pairs = [
            (source_dir / f"{family}-{weight}.ttf", f"{out_prefix}-{suffix}.woff2")
            for weight, suffix in WEIGHTS
        ]
        if all(path.is_file() for path, _ in pairs):
            return out_prefix, pairs
    wanted = ", ".join(f"{family}-{{Regular,Bold}}.ttf" for family, _ in FAMILIES)
    raise FileNotFoundError(
        f"none of {wanted} found in {source_dir}; install them with: apt-get install fonts-noto-core"
    )


def subset_font(source: Path, destination: Path) -> None:
    # recalcTimestamp=False: keep head.modified from the source so output is reproducible.
    font = TTFont(source, lazy=False, recalcTimestamp=False)
    subsetter = subset.Subsetter(options=subset_options())
    subsetter.populate(unicodes=requested_codepoints())
    subsetter.subset(font)
    font.flavor = "woff2"
    destination.parent.mkdir(parents=True, exist_ok=True)
    font.save(destination, reorderTables=False)
    font.close()


def css_unicode_range(codepoints: list[int]) -> str:
    """Format code points as a compact CSS unicode-range value."""
    parts: list[str] = []
    ordered = sorted(set(codepoints))
    i = 0
    while i < len(ordered):
        start = end = ordered[i]
        while i + 1 < len(ordered) and ordered[i + 1] == end + 1:
            i += 1
            end = ordered[i]
        parts.append(f"U+{start:04X}" if start == end else f"U+{start:04X}-{end:04X}")
        i += 1
    return ", ".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--source-dir",
        type=Path,
        default=DEFAULT_SOURCE_DIR,
        help=f"directory holding the Debian fonts-noto-core TTFs (default: {DEFAULT_SOURCE_DIR})",
    )
    parser.add_argument(
        "--out-dir",
        type=Path,
        default=DEFAULT_OUT_DIR,
        help="directory to write the WOFF2 subsets to (default: theme/static/fonts in this repository)",
    )
    args = parser.parse_args(argv)

    try:
        out_prefix, pairs = find_sources(args.source_dir)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if out_prefix != FAMILIES[0][1]:
        print(f"note: {FAMILIES[0][0]} not found, falling back to {pairs[0][0].stem.split('-')[0]}")

    too_big = []
    for source, name in pairs:
        destination = args.out_dir / name
        subset_font(source, destination)
        size = destination.stat().st_size
        with TTFont(destination) as result:
            codepoints = list(result.getBestCmap())
            glyphs = len(result.getGlyphOrder())
        status = "ok" if size <= MAX_BYTES else f"TOO BIG (limit {MAX_BYTES} bytes)"
        print(
            f"{source.name} -> {destination}: {size} bytes ({size / 1024:.1f} KB), "
            f"{len(codepoints)} code points, {glyphs} glyphs, {status}"
        )
        print(f"  unicode-range: {css_unicode_range(codepoints)};")
        if size > MAX_BYTES:
            too_big.append(destination)

    if too_big:
        print(f"error: {len(too_big)} file(s) exceed {MAX_BYTES} bytes", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
