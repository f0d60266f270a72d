"""Fingerprinted theme assets, the favicon and the precompressed .gz/.br siblings (issue 9).

* every stylesheet, script and icon a page links is a fingerprinted file that exists, named by
  the hash of its bytes, reached from every depth (and from the SITEURL on 404 pages);
  fonts.css names the fingerprinted fonts; no unfingerprinted copy is left behind;
* press_core.assets on a small theme: url() rewriting, a font change renames the CSS too;
* every text file has .gz and .br siblings that decompress to it, with a fixed gzip header,
  all listed in SHA256SUMS; a rebuild links the last output's siblings of unchanged files and
  writes the same bytes as compressing afresh.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import struct
import time
from pathlib import Path

import brotli
import pytest
from conftest import ROOT, build_site, parse, resolve
from lxml import etree
from PIL import Image

from press_core import pagecache, postbuild
from press_core.assets import AssetError, Manifest, fingerprint
from press_core.pagecache import PREVIOUS_OUTPUT
from press_core.postbuild import MIN_SIBLING_BYTES, TEXT_SUFFIXES, gzip_bytes

FINGERPRINT = re.compile(r"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{8})(?P<ext>\.[a-z0-9]+)$")
ASSET_LINKS = '//link[@rel="stylesheet" or @rel="icon"]/@href | //script/@src'


def _listed(output: Path) -> dict[str, str]:
    lines = (output / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    return {line.split("  ", 1)[1]: line.split("  ", 1)[0] for line in lines}


# -- fingerprinted assets in the demo build ----------------------------------------------------------
def test_pages_link_fingerprinted_assets_that_exist(demo_site):
    theme = demo_site / "theme"
    seen = set()
    pages = sorted(demo_site.rglob("*.html"))
    assert len(pages) > 50
    for page in pages:
        links = parse(page).xpath(ASSET_LINKS)
        stylesheets = {
            FINGERPRINT.match(link.rsplit("/", 1)[-1])["stem"] for link in links if link.endswith(".css")
        }
        assert {"fonts", "press"} <= stylesheets, f"{page}: fonts.css and press.css, got {links}"
        for href in links:
            if href.startswith(("../", "theme/")):  # the theme's, not the search index's own scripts
                target = resolve(page, href)
                assert target.is_file(), f"{page.relative_to(demo_site)} links {href}, which is not built"
                if theme in target.parents:
                    seen.add(target)
    assert {p.suffix for p in seen} == {".css", ".js", ".svg", ".png"}
    for path in sorted(theme.rglob("*")):
        if path.suffix in (".css", ".js", ".woff2", ".svg", ".png"):
            match = FINGERPRINT.match(path.name)
            assert match, f"{path.relative_to(demo_site)} has no fingerprint"
            assert hashlib.sha256(path.read_bytes()).hexdigest()[:8] == match["hash"], path
    sources = ROOT / "theme" / "static"
    for source in sources.rglob("*"):
        if source.suffix in (".css", ".js", ".woff2"):
            plain = theme / source.relative_to(sources)
            assert not plain.exists(), f"the unfingerprinted {plain.relative_to(demo_site)} is still there"


def test_fonts_css_names_the_fingerprinted_fonts(demo_site):
    [css] = sorted((demo_site / "theme/css").glob("fonts.*.css"))
    urls = re.findall(r'url\("([^"]+)"\)', css.read_text(encoding="utf-8"))
    assert len(urls) == 2
    for url in urls:
        font = (css.parent / url).resolve()
        assert font.is_file() and font.suffix == ".woff2" and FINGERPRINT.match(font.name), url


def test_favicon_is_linked_from_every_page(demo_site):
    for page in sorted(demo_site.rglob("*.html")):
        icons = parse(page).xpath('//head/link[@rel="icon"]')
        assert [icon.get("type") for icon in icons] == ["image/svg+xml", "image/png"], page
        svg = resolve(page, icons[0].get("href"))
        assert etree.parse(str(svg)).getroot().tag == "{http://www.w3.org/2000/svg}svg"
        with Image.open(resolve(page, icons[1].get("href"))) as png:
            assert png.size == (32, 32) and png.format == "PNG"


def test_404_pages_link_assets_from_the_siteurl(minimal_content, tmp_path):
    settings = tmp_path / "conf.py"
    settings.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *  # noqa: F403\n"
        f"THEME = {str(ROOT / 'theme')!r}\nPLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\n"
        'SITEURL = "https://example.org/press"\n',
        encoding="utf-8",
    )
    output = build_site(minimal_content, tmp_path / "output", settings)
    for path in ("404.html", "en/404.html"):
        hrefs = parse(output / path).xpath(ASSET_LINKS)
        assert hrefs and all(href.startswith("https://example.org/press/theme/") for href in hrefs), hrefs
        for href in hrefs:
            assert (output / href.removeprefix("https://example.org/press/")).is_file(), href
    assert parse(output / "en/index.html").xpath(ASSET_LINKS)[0].startswith("../theme/css/fonts.")


# -- press_core.assets on a theme of its own ---------------------------------------------------------
@pytest.fixture
def small_theme(tmp_path) -> Path:
    static = tmp_path / "theme" / "static"
    (static / "css").mkdir(parents=True)
    (static / "fonts").mkdir()
    (static / "fonts" / "a.woff2").write_bytes(b"font A")
    (static / "fonts" / "LICENSE.txt").write_text("licence")
    (static / "css" / "base.css").write_text("body { color: red; }\n")
    (static / "css" / "site.css").write_text(
        '@import url("base.css");\n'
        "@font-face { src: url('../fonts/a.woff2?v=1#x') format('woff2'), url(../fonts/missing.woff2); }\n"
        'a { background: url("data:image/png;base64,AAAA") , url(https://example.org/x.png),'
        " url(/abs.png); }\n"
    )
    return tmp_path / "theme"


def test_manifest_rewrites_css_urls_and_follows_content(small_theme, tmp_path):
    settings = {"THEME": str(small_theme), "THEME_STATIC_PATHS": ["static"], "THEME_STATIC_DIR": "theme"}
    manifest = Manifest.of_theme(settings)
    assert set(manifest.assets) == {"css/base.css", "css/site.css", "fonts/a.woff2"}, "not the licence"
    font = manifest.assets["fonts/a.woff2"].published
    base = manifest.assets["css/base.css"].published
    site = manifest.assets["css/site.css"]
    text = site.data.decode()
    assert f'@import url("{Path(base).name}");' in text
    assert f"url('../{font}?v=1#x')" in text
    assert "url(../fonts/missing.woff2)" in text, "a file the theme lacks stays as written"
    assert 'url("data:image/png;base64,AAAA")' in text and "url(https://example.org/x.png)" in text
    assert "url(/abs.png)" in text
    assert site.published == f"css/site.{hashlib.sha256(site.data).hexdigest()[:8]}.css"
    assert manifest.path("css/site.css") == f"theme/{site.published}"
    with pytest.raises(AssetError, match=r"css/nope\.css"):
        manifest.path("css/nope.css")

    (small_theme / "static/fonts/a.woff2").write_bytes(b"font A, hinted")
    changed = Manifest.of_theme(settings)
    assert changed.assets["fonts/a.woff2"].published != font
    assert changed.assets["css/site.css"].published != site.published, "a new font renames the CSS"
    assert changed.assets["css/base.css"].published == base

    output = tmp_path / "out"
    (output / "theme/css").mkdir(parents=True)
    (output / "theme/css/site.css").write_text("as Pelican copied it")
    fingerprint(output, changed)
    assert not (output / "theme/css/site.css").exists()
    assert (output / "theme" / changed.assets["css/site.css"].published).read_bytes() == changed.assets[
        "css/site.css"
    ].data


# -- precompressed siblings ----------------------------------------------------------------------------
def test_every_text_file_has_gzip_and_brotli_siblings(demo_site):
    listed = _listed(demo_site)
    texts = [p for p in demo_site.rglob("*") if p.is_file() and p.suffix in TEXT_SUFFIXES]
    assert {p.suffix for p in texts} >= {".html", ".css", ".js", ".xml", ".json", ".svg", ".txt"}
    for path in texts:
        data = path.read_bytes()
        for suffix, unpack in ((".gz", gzip.decompress), (".br", brotli.decompress)):
            sibling = path.with_name(path.name + suffix)
            relative = sibling.relative_to(demo_site).as_posix()
            if not sibling.exists():
                assert len(data) < MIN_SIBLING_BYTES, f"{relative} is missing"  # small files gain nothing
                continue
            packed = sibling.read_bytes()
            assert unpack(packed) == data, relative
            assert len(packed) < len(data), relative
            assert listed[relative] == hashlib.sha256(packed).hexdigest(), relative
            if suffix == ".gz":
                flags, mtime = packed[3], struct.unpack("<I", packed[4:8])[0]
                assert (flags, mtime, packed[9]) == (0, 0, 255), f"{relative}: no name, no time, OS unknown"
    for path in demo_site.rglob("*"):
        if path.suffix in (".woff2", ".png", ".zip"):
            assert not path.with_name(path.name + ".gz").exists(), "binary files are not recompressed"
    assert "SHA256SUMS.gz" not in listed and not (demo_site / "SHA256SUMS.gz").exists()


def test_gzip_bytes_do_not_depend_on_the_machine():
    one = gzip_bytes(b"the same text " * 100)
    assert one[:10] == b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # level 6: XFL 0
    assert gzip.decompress(one) == b"the same text " * 100


def _site(folder: Path, pages: dict[str, str]) -> Path:
    for relative, text in pages.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text(text, encoding="utf-8")
    return folder


def test_siblings_of_unchanged_files_are_the_previous_outputs(tmp_path):
    """A rebuild links the last output's .gz/.br of a file it has with the same bytes at the same
    path and compresses the rest; the result equals compressing everything afresh.  A sibling
    changed after SHA256SUMS was written is not taken."""
    page = "<p>" + "نص الصفحة " * 300 + "</p>"
    pages = {f"ar/{name}/index.html": f"{page}{name}" for name in ("same", "copied", "changed", "tampered")}
    old = _site(tmp_path / "old", pages)
    digests = postbuild.compress(old, 5)
    (old / "SHA256SUMS").write_text(postbuild.checksum_text(digests), encoding="utf-8")
    tampered = old / "ar/tampered/index.html.br"
    time.sleep(0.05)
    tampered.write_bytes(tampered.read_bytes())  # the same bytes, written after SHA256SUMS
    settings = {"CACHE_PATH": str(tmp_path / "cache"), PREVIOUS_OUTPUT: str(old), "BROTLI_QUALITY": 5}
    assert postbuild.previous_output(settings, "SHA256SUMS") is None  # no record of how it was made
    postbuild.record_compression(settings, old / "SHA256SUMS")
    pagecache.settle(settings, built=True)
    assert postbuild.previous_output({**settings, "BROTLI_QUALITY": 4}, "SHA256SUMS") is None
    other = _site(tmp_path / "other", {"SHA256SUMS": (old / "SHA256SUMS").read_text(encoding="utf-8")})
    assert postbuild.previous_output({**settings, PREVIOUS_OUTPUT: str(other)}, "SHA256SUMS") is None
    previous = postbuild.previous_output(settings, "SHA256SUMS")

    new = _site(tmp_path / "new", {**pages, "ar/changed/index.html": page + "changed again"})
    fresh = _site(tmp_path / "fresh", {**pages, "ar/changed/index.html": page + "changed again"})
    assert postbuild.compress(new, 5, previous=previous) == postbuild.compress(fresh, 5)
    for relative in pages:
        for suffix in (".gz", ".br"):
            sibling = relative + suffix
            assert (new / sibling).read_bytes() == (fresh / sibling).read_bytes()
            linked = (new / sibling).stat().st_ino == (old / sibling).stat().st_ino
            assert linked == (relative in ("ar/same/index.html", "ar/copied/index.html")), sibling
