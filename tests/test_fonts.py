"""Checks for the vendored Arabic-script web fonts and the CSS that loads them.

The fonts are built by tools/subset_fonts.py; see theme/static/fonts/README.md.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
FONTS_DIR = ROOT / "theme" / "static" / "fonts"
CSS_FILE = ROOT / "theme" / "static" / "css" / "fonts.css"

MAX_BYTES = 60 * 1024
EXPECTED_FONTS = {"naskh-arabic-regular.woff2", "naskh-arabic-bold.woff2"}
WOFF2_FILES = sorted(FONTS_DIR.glob("*.woff2"))

SORANI_LETTERS = "ڕڵۆێەڤگپچژکیئ"
ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهويةىأإآءؤئ"
EASTERN_ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
REQUIRED_CHARS = sorted(set(SORANI_LETTERS + ARABIC_LETTERS + EASTERN_ARABIC_DIGITS))

URL_RE = re.compile(r"""url\(\s*(?P<quote>['"]?)(?P<url>.*?)(?P=quote)\s*\)""")
COMMENT_RE = re.compile(r"/\*.*?\*/", re.DOTALL)
FONT_FACE_RE = re.compile(r"@font-face\s*\{(?P<body>[^}]*)\}")
UNICODE_RANGE_RE = re.compile(r"unicode-range\s*:\s*(?P<value>[^;}]+)")


def font_id(path: Path) -> str:
    return path.name


def css_text() -> str:
    return COMMENT_RE.sub("", CSS_FILE.read_text(encoding="utf-8"))


def parse_unicode_range(value: str) -> set[int]:
    codepoints: set[int] = set()
    for part in value.split(","):
        part = part.strip().upper()
        assert part.startswith("U+"), f"unexpected unicode-range part {part!r}"
        spec = part[2:]
        if "-" in spec:
            start, end = (int(x, 16) for x in spec.split("-"))
        elif "?" in spec:
            start, end = int(spec.replace("?", "0"), 16), int(spec.replace("?", "F"), 16)
        else:
            start = end = int(spec, 16)
        codepoints.update(range(start, end + 1))
    return codepoints


@pytest.fixture(scope="module", params=WOFF2_FILES, ids=font_id)
def woff2(request: pytest.FixtureRequest) -> Path:
    return request.param


@pytest.fixture(scope="module")
def font(woff2: Path):
    with TTFont(woff2) as loaded:
        yield loaded


def test_expected_fonts_present() -> None:
    present = {path.name for path in WOFF2_FILES}
    missing = EXPECTED_FONTS - present
    assert not missing, f"missing: {sorted(missing)}"


def test_license_present() -> None:
    license_text = (FONTS_DIR / "LICENSE-OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in license_text
    assert "Google LLC" in license_text


def test_woff2_decodes(woff2: Path) -> None:
    with TTFont(woff2) as loaded:
        assert loaded.flavor == "woff2"
        glyf = loaded["glyf"]
        for name in loaded.getGlyphOrder():
            glyf[name].expand(glyf)
        # A full round trip to plain TrueType decompiles every remaining table.
        loaded.flavor = None
        buffer = io.BytesIO()
        loaded.save(buffer)
    assert buffer.tell() > 0


def test_woff2_size(woff2: Path) -> None:
    size = woff2.stat().st_size
    assert 0 < size <= MAX_BYTES, f"{woff2.name} is {size} bytes, limit is {MAX_BYTES}"


@pytest.mark.parametrize("char", REQUIRED_CHARS, ids=lambda c: f"U+{ord(c):04X}")
def test_cmap_covers_required_char(font: TTFont, char: str) -> None:
    glyph = font.getBestCmap().get(ord(char))
    assert glyph is not None, f"no glyph for {char} (U+{ord(char):04X})"
    assert glyph in font.getGlyphOrder()


def test_no_latin_letters_or_ascii_digits(font: TTFont) -> None:
    cmap = font.getBestCmap()
    latin = [chr(c) for c in range(0x30, 0x7B) if chr(c).isalnum() and c in cmap]
    assert not latin, f"subset should leave Latin letters and ASCII digits to the system font: {latin}"


def test_gsub_has_arabic_joining_features(font: TTFont) -> None:
    assert "GSUB" in font, "GSUB table missing"
    gsub = font["GSUB"].table
    lookups_by_feature: dict[str, int] = {}
    for record in gsub.FeatureList.FeatureRecord:
        lookups_by_feature[record.FeatureTag] = (
            lookups_by_feature.get(record.FeatureTag, 0) + record.Feature.LookupCount
        )
    for tag in ("init", "fina"):
        assert lookups_by_feature.get(tag), f"GSUB feature {tag!r} missing or empty"


def test_css_urls_are_relative_and_exist() -> None:
    urls = [match.group("url") for match in URL_RE.finditer(css_text())]
    assert urls, "no url() found in fonts.css"
    for url in urls:
        assert not url.startswith(("/", "http", "//")), f"url() must be relative: {url}"
        assert "://" not in url, f"url() must not name a host: {url}"
        target = (CSS_FILE.parent / url.split("?")[0].split("#")[0]).resolve()
        assert target.is_file(), f"url({url}) does not point to an existing file ({target})"


def test_css_unicode_range_matches_subset() -> None:
    faces = [match.group("body") for match in FONT_FACE_RE.finditer(css_text())]
    assert faces, "no @font-face rules in fonts.css"
    referenced = set()
    for body in faces:
        url_match = URL_RE.search(body)
        range_match = UNICODE_RANGE_RE.search(body)
        assert url_match and range_match, f"@font-face needs src url() and unicode-range: {body}"
        path = (CSS_FILE.parent / url_match.group("url")).resolve()
        referenced.add(path)
        with TTFont(path) as loaded:
            cmap = set(loaded.getBestCmap())
        declared = parse_unicode_range(range_match.group("value"))
        assert cmap == declared, (
            f"unicode-range for {path.name} differs from its cmap: "
            f"missing {sorted(hex(c) for c in cmap - declared)}, "
            f"extra {sorted(hex(c) for c in declared - cmap)}"
        )
    assert {path.resolve() for path in WOFF2_FILES} <= referenced, "a WOFF2 file is not used by fonts.css"
