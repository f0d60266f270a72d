"""Provenance, corrections, verifiable builds, sitemap and public addresses (issue 9)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest
from conftest import FIXTURES, ROOT, build_site, parse, run_build
from lxml import etree

from press_core.build import write_checksums
from press_core.git import SHORT_ID, parse_log, read_history, source_date
from press_sitemap import SITEMAP_NS, XHTML_NS

ARTICLE = "articles/water-report.en.md"  # the English original of water-report
DATES = ["2025-01-15T10:00:00+03:00", "2025-02-01T12:30:00+03:00", "2025-03-10T09:15:00+03:00"]
EASTERN_DIGITS = set("٠١٢٣٤٥٦٧٨٩")
NAMESPACES = {"s": SITEMAP_NS, "xhtml": XHTML_NS}


# -- helpers -------------------------------------------------------------------------------------
def git(repo: Path, *args: str, date: str | None = None) -> str:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    result = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return result.stdout.strip()


@pytest.fixture
def repo(tmp_path) -> Path:
    """A git repository holding the minimal site in content/: three commits change water-report.en.

    The third moves the file into articles/2025/ (and edits it): its history follows the rename.
    """
    top = tmp_path / "repo"
    shutil.copytree(FIXTURES / "minimal", top / "content")
    git(top, "init", "-q", "-b", "main")
    git(top, "config", "user.name", "Press Test")
    git(top, "config", "user.email", "press-test@example.org")
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "Add the minimal press", date=DATES[0])
    article = top / "content" / ARTICLE
    article.write_text(article.read_text(encoding="utf-8") + "\nIt covers the whole basin.\n", "utf-8")
    git(top, "commit", "-q", "-am", "Water report: cover the whole basin", date=DATES[1])
    moved = top / "content/articles/2025/water-report.en.md"
    moved.parent.mkdir()
    git(top, "mv", f"content/{ARTICLE}", "content/articles/2025/water-report.en.md")
    moved.write_text(moved.read_text(encoding="utf-8") + "Figures are from March.\n", "utf-8")
    git(top, "commit", "-q", "-am", "Water report: file under 2025, date the figures", date=DATES[2])
    return top


def settings_with(tmp_path: Path, **values) -> Path:
    """A settings file: pelicanconf.py plus ``values``."""
    path = tmp_path / "testconf.py"
    lines = [
        "import sys",
        f"sys.path.insert(0, {str(ROOT)!r})",
        "from pelicanconf import *  # noqa: F403",
        f"THEME = {str(ROOT / 'theme')!r}",
        f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]",
        *(f"{name} = {value!r}" for name, value in values.items()),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def history_of(page) -> list:
    return page.xpath('//section[@class="provenance"]//ol[@class="history"]/li')


# -- A. provenance ---------------------------------------------------------------------------------
def test_history_from_git(repo, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    settings = settings_with(tmp_path, REPOSITORY_URL="https://git.example.org/party/press/")
    output = build_site(repo / "content", tmp_path / "output", settings)
    head = git(repo, "rev-parse", "HEAD")
    first = git(repo, "rev-list", "--max-parents=0", "HEAD")

    page = parse(output / "en/articles/water-report/index.html")
    entries = history_of(page)
    assert len(entries) == 3, "three commits changed the file (one of them moved it)"
    assert [li.xpath("string(time/@datetime)")[:10] for li in entries] == [d[:10] for d in reversed(DATES)]
    assert "file under 2025" in entries[0].text_content()
    facts = page.xpath('//section[@class="provenance"]/dl/dd')
    assert facts[0].xpath("string(time/@datetime)").startswith("2025-01-15"), "first published"
    assert facts[1].xpath("string(time/@datetime)").startswith("2025-03-10"), "last changed"
    link = facts[1].xpath(".//a")[0]
    assert link.text_content() == head[:SHORT_ID]
    assert link.get("href") == f"https://git.example.org/party/press/commit/{head}"
    assert "content/articles/2025/water-report.en.md" in page.xpath('string(//p[@class="source"])')

    translation = parse(output / "ar/articles/water-report/index.html")
    assert len(history_of(translation)) == 1, "the Arabic file was committed once"
    shown = translation.xpath('//section[@class="provenance"]/dl/dd[1]/time')[0].text
    assert EASTERN_DIGITS & set(shown) and not re.search(r"[0-9]", shown), shown
    assert first[:SHORT_ID] in translation.xpath('string(//section[@class="provenance"])')

    verify = (output / "en/verify/index.html").read_text(encoding="utf-8")
    assert f"git checkout {head}" in verify and "git clone https://git.example.org/party/press/" in verify
    assert "not committed" not in verify


def test_uncommitted_and_changed_files_say_so(repo, tmp_path):
    (repo / "content/articles/new-call.en.md").write_text(
        "---\ntitle: A new call\ndate: 2025-04-01\ncategory: news\n---\nText.\n", encoding="utf-8"
    )
    article = repo / "content/articles/2025/water-report.en.md"
    article.write_text(article.read_text(encoding="utf-8") + "Draft sentence.\n", encoding="utf-8")
    output = build_site(repo / "content", tmp_path / "output")
    new = parse(output / "en/articles/new-call/index.html")
    assert "Not yet committed" in new.xpath('string(//section[@class="provenance"])')
    assert not history_of(new)
    changed = parse(output / "en/articles/water-report/index.html")
    assert len(history_of(changed)) == 3
    assert "changes that are not yet committed" in changed.xpath('string(//section[@class="provenance"])')
    verify = parse(output / "en/verify/index.html").xpath('string(//article[@class="verify"])')
    assert "not committed" in verify


def test_one_git_log_for_the_whole_build(repo, tmp_path, monkeypatch):
    """Git is run a fixed number of times, however many files there are."""
    calls = []
    real = subprocess.run

    def counting(args, *rest, **kwargs):
        calls.append(args)
        return real(args, *rest, **kwargs)

    monkeypatch.setattr(subprocess, "run", counting)
    history = read_history(repo / "content")
    assert history.available and history.head is not None
    assert len([c for c in calls if "log" in c]) == 2  # the built commit, and every content file's history
    assert len(calls) == 4
    assert len(history.files) == len([p for p in (repo / "content").rglob("*") if p.is_file()])


def test_parse_log_follows_renames():
    def record(full, date, subject, *changes):
        return f"\x1e{full}\x1f{date}\x1f{subject}\0\n" + "".join(f"{c}\0" for c in changes)

    text = (
        record("c" * 40, "2025-03-01T00:00:00+00:00", "move", "R090", "a/old.md", "a/new.md")
        + record("b" * 40, "2025-02-01T00:00:00+00:00", "edit", "M", "a/old.md", "M", "a/other.md")
        + record("a" * 40, "2025-01-01T00:00:00+00:00", "add", "A", "a/old.md", "A", "a/other.md")
    )
    files = parse_log(text)
    assert [c.subject for c in files["a/new.md"]] == ["move", "edit", "add"]
    assert [c.subject for c in files["a/other.md"]] == ["edit", "add"]
    assert "a/old.md" not in files


def test_not_a_git_checkout(minimal_content, tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # never find a repository above
    output = build_site(minimal_content, tmp_path / "output")
    page = parse(output / "en/articles/water-report/index.html")
    assert "History not available (not built from a git checkout)." in page.text_content()
    assert not history_of(page)
    arabic = parse(output / "ar/articles/water-report/index.html")
    assert "السجل غير متاح" in arabic.xpath('string(//section[@class="provenance"])')
    verify = parse(output / "en/verify/index.html").text_content()
    assert "not built from a git checkout" in verify and "git checkout COMMIT" in verify


def test_git_missing(repo, tmp_path, monkeypatch):
    assert not read_history(repo / "content", git=str(tmp_path / "no-such-git")).available
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # the build runs sys.executable by its full path
    output = build_site(repo / "content", tmp_path / "output")
    page = parse(output / "en/articles/water-report/index.html")
    assert "History not available" in page.text_content()


# -- B. corrections --------------------------------------------------------------------------------
CORRECTION_EN = (
    "corrections:\n"
    "  - date: 2025-02-03\n"
    "    note: An earlier version gave the wrong *year* for the report.\n"
    "  - date: 2025-01-20\n"
    "    note: The basin was misnamed.\n"
)
CORRECTION_AR = "corrections:\n  - date: 2025-02-03\n    note: ذكرت نسخة سابقة سنة خاطئة للتقرير.\n"


def add_front_matter(content: Path, relative: str, text: str) -> None:
    path = content / relative
    source = path.read_text(encoding="utf-8")
    end = source.index("\n---", 3) + 1
    path.write_text(source[:end] + text + source[end:], encoding="utf-8")


def test_corrections_render_at_the_top(minimal_content, tmp_path):
    add_front_matter(minimal_content, ARTICLE, CORRECTION_EN)
    add_front_matter(minimal_content, "articles/water-report.ar.md", CORRECTION_AR)
    output = build_site(minimal_content, tmp_path / "output")

    page = parse(output / "en/articles/water-report/index.html")
    article = page.xpath("//main/article")[0]
    first = article[0]
    assert (first.tag, first.get("class"), first.get("role")) == ("aside", "corrections", "note")
    items = first.xpath(".//li")
    assert [li.xpath("string(time/@datetime)")[:10] for li in items] == ["2025-01-20", "2025-02-03"]
    assert "wrong year" in items[1].text_content() and items[1].xpath(".//em")
    assert first.xpath("string(h2)") == "Corrections"

    arabic = parse(output / "ar/articles/water-report/index.html").xpath("//main/article")[0][0]
    assert arabic.get("class") == "corrections"
    assert "سنة خاطئة" in arabic.text_content() and arabic.xpath("string(h2)") == "تصحيح"
    assert EASTERN_DIGITS & set(arabic.xpath("string(.//time)"))

    untouched = parse(output / "ar/articles/basra-strike/index.html")
    assert not untouched.xpath('//aside[@class="corrections"]')
    assert not parse(output / "ckb/articles/water-report/index.html").xpath('//aside[@class="corrections"]')


BAD_CORRECTIONS = {
    "malformed date": (
        "corrections:\n  - date: 2025-13-40\n    note: Fixed.\n",
        ":8: malformed date '2025-13-40' — write it as YYYY-MM-DD",
    ),
    "missing note": (
        "corrections:\n  - date: 2025-02-03\n",
        ":8: correction without a note — add `note: …`",
    ),
    "empty note": (
        "corrections:\n  - date: 2025-02-03\n    note: ''\n",
        ":9: correction without a note — add `note: …`",
    ),
    "missing date": (
        "corrections:\n  - note: Fixed.\n",
        ":8: correction without a date — add `date: YYYY-MM-DD`",
    ),
    "not a list": ("corrections: Fixed the year.\n", ":7: corrections must be a list — write corrections:"),
    "unknown field": (
        "corrections:\n  - date: 2025-02-03\n    note: Fixed.\n    by: someone\n",
        ":10: unknown correction field 'by' — a correction has only `date:` and `note:`",
    ),
    "before the text": (
        "corrections:\n  - date: 2024-02-03\n    note: Fixed.\n",
        ":8: correction dated 2024-02-03, before the text's own date 2025-01-15 — check the year",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_CORRECTIONS))
def test_bad_corrections_are_reported(case, minimal_content, tmp_path):
    text, expected = BAD_CORRECTIONS[case]
    add_front_matter(minimal_content, ARTICLE, text)
    result = run_build("--content", minimal_content, "--output", tmp_path / "output")
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("content/")]
    assert lines == [line for line in lines if line.startswith(f"content/{ARTICLE}:")], lines
    assert any(expected in line for line in lines), result.stderr
    assert not (tmp_path / "output").exists()


# -- C. verifiable builds --------------------------------------------------------------------------
def test_two_builds_of_one_commit_are_identical(repo, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    clone = tmp_path / "elsewhere" / "clone"
    clone.parent.mkdir()
    subprocess.run(["git", "clone", "-q", str(repo), str(clone)], check=True, capture_output=True)
    monkeypatch.setenv("TZ", "UTC")
    first = build_site(repo / "content", tmp_path / "first")
    time.sleep(1.1)
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    second = build_site(clone / "content", tmp_path / "elsewhere" / "second")

    sums = (first / "SHA256SUMS").read_bytes()
    assert sums == (second / "SHA256SUMS").read_bytes()
    assert tree(first) == tree(second)
    listed = [line.split("  ", 1)[1] for line in sums.decode().splitlines()]
    assert listed == sorted(listed, key=str.encode)
    assert set(listed) == set(tree(first)) - {"SHA256SUMS"}
    assert "en/verify/index.html" in listed
    if shutil.which("sha256sum"):
        check = subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=first, capture_output=True)
        assert check.returncode == 0, check.stdout + check.stderr


def test_checksum_file_format(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b/z.txt").write_text("z")
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "b/odd\\name.txt").write_text("odd")
    lines = write_checksums(tmp_path).read_text(encoding="utf-8").splitlines()
    assert [line.split("  ", 1)[1] for line in lines] == ["a.txt", "b/odd\\\\name.txt", "b/z.txt"]
    assert lines[1].startswith("\\") and lines[2].endswith("  b/z.txt")
    if shutil.which("sha256sum"):
        check = subprocess.run(
            ["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=tmp_path, capture_output=True
        )
        assert check.returncode == 0, check.stdout + check.stderr


def test_a_build_date_is_never_now(repo, monkeypatch):
    history = read_history(repo / "content")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert source_date(history).isoformat() == DATES[-1], "the built commit's date"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert source_date(history).isoformat() == "2023-11-14T22:13:20+00:00"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert source_date(None) is None


def test_every_page_links_the_verify_page(demo_site):
    for code in ("ar", "ckb", "en"):
        page = parse(demo_site / code / "index.html")
        links = page.xpath('//footer[@class="colophon"]//a[contains(@href, "verify/index.html")]')
        assert links, code
        verify = parse(demo_site / code / "verify/index.html")
        assert verify.xpath('//pre[@dir="ltr"]/code[contains(., "python3 dev.py build")]')
        assert verify.xpath('//a[contains(@href, "SHA256SUMS")]')
    assert (demo_site / "SHA256SUMS").exists()


# -- D. sitemap and robots.txt ---------------------------------------------------------------------
# The sitemaps.org 0.9 schema, reduced to what the press writes; extensions (xhtml:link) are allowed
# as in the official schema's <xsd:any namespace="##other">.
SITEMAP_XSD = f"""<?xml version="1.0" encoding="UTF-8"?>
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="{SITEMAP_NS}"
            xmlns="{SITEMAP_NS}" elementFormDefault="qualified">
  <xsd:element name="urlset">
    <xsd:complexType><xsd:sequence>
      <xsd:element ref="url" minOccurs="1" maxOccurs="50000"/>
    </xsd:sequence></xsd:complexType>
  </xsd:element>
  <xsd:element name="url">
    <xsd:complexType><xsd:sequence>
      <xsd:element name="loc" type="xsd:anyURI"/>
      <xsd:element name="lastmod" minOccurs="0" type="xsd:dateTime"/>
      <xsd:any namespace="##other" processContents="lax" minOccurs="0" maxOccurs="unbounded"/>
    </xsd:sequence></xsd:complexType>
  </xsd:element>
</xsd:schema>
"""


def local_file(output: Path, url: str, base: str) -> Path:
    assert url.startswith(base + "/"), url
    return output / unquote(url[len(base) + 1 :])


def test_sitemap_lists_real_pages_with_their_translations(demo_site):
    base = "http://localhost:8000"  # FEED_SITEURL: SITEURL is empty in pelicanconf.py
    document = etree.parse(str(demo_site / "sitemap.xml"))
    etree.XMLSchema(etree.fromstring(SITEMAP_XSD.encode())).assertValid(document)
    urls = document.getroot().findall("s:url", NAMESPACES)
    listed = {}
    for url in urls:
        loc = url.findtext("s:loc", namespaces=NAMESPACES)
        path = local_file(demo_site, loc, base)
        assert path.exists(), loc
        listed[path] = url
        links = url.findall("xhtml:link", NAMESPACES)
        if path.name == "index.html" and path.parent == demo_site:
            continue  # the language chooser has no translations
        codes = [link.get("hreflang") for link in links]
        assert codes[-1] == "x-default" and codes.count("x-default") == 1, loc
        assert all(link.get("rel") == "alternate" for link in links)
        assert loc in [link.get("href") for link in links], "a page is among its own alternates"
        for link in links:
            target = local_file(demo_site, link.get("href"), base)
            assert target.exists(), link.get("href")
            page = parse(target)
            assert not page.xpath('//meta[@name="robots"]'), "alternates are real translations"
            if link.get("hreflang") != "x-default":
                assert page.get("lang") == link.get("hreflang")
    for path in sorted(demo_site.rglob("*.html")):
        page = parse(path)
        stand_in = bool(page.xpath('//meta[@name="robots"][@content="noindex"]'))
        if stand_in or path.name == "404.html":
            assert path not in listed, path
        else:
            assert path in listed, f"{path} is missing from sitemap.xml"
    article = next(u for p, u in listed.items() if "/articles/" in p.as_posix())
    assert article.findtext("s:lastmod", namespaces=NAMESPACES)

    robots = (demo_site / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {base}/sitemap.xml" in robots.splitlines()


def test_sitemap_uses_siteurl_and_escapes_paths(minimal_content, tmp_path):
    base = "https://press.example.org/news&views"  # "&" must be escaped in the XML (written as text)
    settings = settings_with(tmp_path, SITEURL=base + "/")
    output = build_site(minimal_content, tmp_path / "output", settings)
    root = etree.parse(str(output / "sitemap.xml")).getroot()
    locs = root.xpath("//s:loc/text()", namespaces=NAMESPACES)
    assert locs and all(loc.startswith(base + "/") for loc in locs)
    hrefs = root.xpath("//xhtml:link/@href", namespaces=NAMESPACES)
    assert hrefs and all(href.startswith(base + "/") for href in hrefs)
    tag = next(loc for loc in locs if "/ar/tags/" in loc and "/index.html" in loc and "%" in loc)
    assert urlsplit(tag).path.isascii() and local_file(output, tag, base).exists()
    assert f"Sitemap: {base}/sitemap.xml" in (output / "robots.txt").read_text()


# -- E. mirrors and the onion service --------------------------------------------------------------
ONION = "http://" + "a" * 56 + ".onion"


def test_mirrors_and_onion_location(minimal_content, tmp_path):
    mirrors = [
        {"url": "https://mirror.example.net/press/", "label": "mirror.example.net"},
        {"url": "https://ipfs.example.com/press/", "label": {"ar": "نسخة IPFS", "en": "IPFS copy"}},
    ]
    settings = settings_with(tmp_path, MIRRORS=mirrors, ONION_ADDRESS=ONION + "/")
    output = build_site(minimal_content, tmp_path / "output", settings)
    page = parse(output / "en/articles/water-report/index.html")
    meta = page.xpath('//meta[@http-equiv="onion-location"]/@content')
    assert meta == [f"{ONION}/en/articles/water-report/index.html"]
    assert parse(output / "index.html").xpath('//meta[@http-equiv="onion-location"]/@content') == [
        f"{ONION}/index.html"
    ]
    assert not parse(output / "en/404.html").xpath('//meta[@http-equiv="onion-location"]')
    tag = parse(output / "ar/tags/المياه/index.html").xpath('//meta[@http-equiv="onion-location"]/@content')
    assert tag == [f"{ONION}/ar/tags/{quote('المياه')}/index.html"], "a URL, percent-encoded"
    footer = page.xpath('//p[@class="mirrors"]//a')
    assert [(a.get("href"), a.text_content()) for a in footer] == [
        ("https://mirror.example.net/press/", "mirror.example.net"),
        ("https://ipfs.example.com/press/", "IPFS copy"),
    ]
    ckb = parse(output / "ckb/index.html").xpath('//p[@class="mirrors"]//a')
    assert ckb[1].text_content() == "نسخة IPFS", "a missing label falls back to DEFAULT_LANG's"


def test_no_mirrors_no_onion_by_default(demo_site):
    page = parse(demo_site / "en/index.html")
    assert not page.xpath('//meta[@http-equiv="onion-location"]') and not page.xpath('//p[@class="mirrors"]')


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"ONION_ADDRESS": "http://example.org"}, ":6: ONION_ADDRESS 'http://example.org' is not an onion"),
        ({"MIRRORS": [{"label": "x"}]}, ":6: mirror {'label': 'x'} has no http(s) url"),
        (
            {"MIRRORS": [{"url": "https://m.example.net/"}]},
            ":6: mirror 'https://m.example.net/' has no label",
        ),
    ],
)
def test_bad_address_settings_are_reported(values, expected, minimal_content, tmp_path):
    settings = settings_with(tmp_path, **values)
    result = run_build("--settings", settings, "--content", minimal_content, "--output", tmp_path / "out")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"testconf.py{expected}" in result.stderr
    assert not (tmp_path / "out").exists()
