"""The demo press: one read, three subsites, language facts from Babel, links that resolve."""

from __future__ import annotations

import json
import re

from babel import Locale
from conftest import ROOT, html_files, parse, resolve

from press_core.build import load_settings
from press_core.languages import load_languages

LANGUAGES = load_languages(load_settings(ROOT / "pelicanconf.py"))
CODES = {language.code for language in LANGUAGES}
EASTERN_DIGITS = set("٠١٢٣٤٥٦٧٨٩")


def test_each_language_has_a_subsite_and_the_root_links_them(demo_site):
    for code in CODES:
        assert (demo_site / code / "index.html").exists()
    root = parse(demo_site / "index.html")
    assert not root.xpath("//script"), "the root page must work without JavaScript"
    for language in LANGUAGES:
        links = root.xpath(f'//li[@lang="{language.code}"]//a')
        assert links, f"root page does not link {language.code}"
        assert language.name in links[0].text_content()
        assert resolve(demo_site / "index.html", links[0].get("href")).exists()
        assert links[0].getparent().get("dir") == language.direction


def test_every_page_has_lang_and_babel_direction(demo_site):
    pages = html_files(demo_site)
    assert len(pages) > 30
    for path in pages:
        page = parse(path)
        lang, direction = page.get("lang"), page.get("dir")
        assert lang in CODES, path
        assert (
            direction == Locale.parse(next(x.locale_id for x in LANGUAGES if x.code == lang)).text_direction
        )


def test_rtl_subsites_are_rtl_and_english_is_ltr(demo_site):
    assert parse(demo_site / "ar/index.html").get("dir") == "rtl"
    assert parse(demo_site / "ckb/index.html").get("dir") == "rtl"
    assert parse(demo_site / "en/index.html").get("dir") == "ltr"


def test_switcher_and_hreflang_links_resolve(demo_site):
    checked = 0
    for path in html_files(demo_site):
        page = parse(path)
        for link in page.xpath('//nav[@class="languages"]//a') + page.xpath('//link[@rel="alternate"]'):
            assert resolve(path, link.get("href")).exists(), f"{path}: {link.get('href')}"
            checked += 1
    assert checked > 100


def test_switcher_lands_on_the_same_item(demo_site):
    article = next((demo_site / "en/articles").glob("*/index.html"))
    key = article.parent.name
    page = parse(article)
    targets = {
        a.get("hreflang") or a.get("lang"): a.get("href") for a in page.xpath('//nav[@class="languages"]//a')
    }
    for code in CODES:
        assert targets[code].endswith(f"{code}/articles/{key}/index.html")


def _items_by_language():
    items = {}
    for path in (ROOT / "content/articles").rglob("*.md"):
        key, code, _ = path.name.rsplit(".", 2)
        items.setdefault(key, set()).add(code)
    return items


def test_untranslated_items_lead_to_an_honest_page(demo_site):
    partial = {key: codes for key, codes in _items_by_language().items() if codes != CODES}
    assert partial, "the demo must have untranslated items"
    for key, codes in partial.items():
        for missing in CODES - codes:
            path = demo_site / missing / "articles" / key / "index.html"
            page = parse(path)
            assert page.xpath('//meta[@name="robots"][@content="noindex"]')
            assert not page.xpath('//link[@rel="alternate"]'), "a stand-in page claims no translations"
            offered = [a.get("href") for a in page.xpath('//article[contains(@class,"untranslated")]//a')]
            assert sorted(h.split("/")[-4] for h in offered) == sorted(codes)
            for href in offered:
                assert resolve(path, href).exists()
        for code in codes:  # and it still appears in its own language's listing
            home_pages = sorted((demo_site / code).glob("index.html")) + sorted(
                (demo_site / code).glob("page/*/index.html")
            )
            assert any(f"articles/{key}/index.html" in p.read_text(encoding="utf-8") for p in home_pages)


def test_arabic_dates_use_iraqi_months_and_eastern_digits(demo_site):
    text = "".join(p.read_text(encoding="utf-8") for p in (demo_site / "ar/articles").rglob("index.html"))
    times = re.findall(r"<time datetime=\"[^\"]+\">([^<]+)</time>", text)
    assert times
    assert any("كانون الثاني" in t for t in times), "ar_IQ month names (كانون الثاني) expected"
    for shown in times:
        assert not re.search(r"[0-9]", shown), shown
        assert EASTERN_DIGITS & set(shown), shown


def test_sorani_uses_eastern_digits_and_english_latin(demo_site):
    for code, pattern in (("ckb", r"[٠-٩]"), ("en", r"[0-9]")):
        text = (demo_site / code / "index.html").read_text(encoding="utf-8")
        times = re.findall(r"<time datetime=\"[^\"]+\">([^<]+)</time>", text)
        assert times and all(re.search(pattern, t) for t in times), (code, times)
    english = (demo_site / "en/index.html").read_text(encoding="utf-8")
    assert not EASTERN_DIGITS & set("".join(re.findall(r"<time[^>]*>([^<]+)</time>", english)))


def test_latin_names_inside_rtl_text_are_isolated(demo_site):
    bodies = [parse(p) for p in (demo_site / "ar/articles").rglob("index.html")]
    isolated = [b.text_content() for page in bodies for b in page.xpath('//div[@class="body"]//bdi')]
    assert any(re.search(r"[A-Za-z]{3,}", text) for text in isolated)
    for page in bodies:
        for paragraph in page.xpath('//div[@class="body"]//p'):
            loose = "".join(paragraph.xpath("text()"))  # direct text, outside <bdi>/<a>/<code>
            assert not re.search(r"[A-Za-z]{2,}", loose), loose


def test_translation_status_page_and_report(demo_site):
    report = {row["code"]: row for row in json.loads((demo_site / "translation-status.json").read_text())}
    assert set(report) == CODES
    assert report["en"]["source_language"] is True
    assert report["ar"]["ui_percent"] == 100
    assert any(report[code]["content_missing"] for code in CODES)
    page = parse(demo_site / "en/translation-status/index.html")
    assert page.xpath("//table[@class='status']//tbody/tr")


def test_each_markdown_file_is_read_once(monkeypatch, tmp_path):
    """One read: the e-mail check scans each Markdown text as the content reader reads it."""
    from collections import Counter
    from pathlib import Path

    import press_blocs
    import press_congress
    import press_finance
    from press_core.reading import read_content, register_section

    # Every section reader (not the plugins' register(): that would connect their generators to
    # every later in-process build of this test worker).
    register_section("press_blocs", press_blocs.SECTION, press_blocs.read_blocs)
    register_section("press_finance", press_finance.SECTION, press_finance.read_finance)
    register_section("press_congress", press_congress.SECTION, press_congress.read)
    reads: Counter = Counter()
    read_text = Path.read_text

    def counting(self, *args, **kwargs):
        reads[self] += 1
        return read_text(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", counting)
    # One process: reads in forked workers (a cold build parses 64 or more files of a kind
    # there) would not reach this process's counter.
    settings = {**load_settings(ROOT / "pelicanconf.py"), "CACHE_PATH": str(tmp_path), "RENDER_PROCESSES": 1}
    read_content(settings)
    markdown = {path: count for path, count in reads.items() if path.suffix == ".md"}
    assert len(markdown) == len(list((ROOT / "content").rglob("*.md")))
    assert set(markdown.values()) == {1}
