"""Site search (press_search): the static index the build writes, and the search page in Chromium.

* Python: every document's indexed terms are exactly analysis.analyze() of its title and body text;
  the index files are classic scripts; two builds give identical index files; adding (deleting) an
  article adds (removes) its terms.
* Browser (Debian's chromium through Playwright, never a downloaded browser): in ar, ckb and en, over
  http://127.0.0.1 and from file://, a query (variant Arabic spelling, Sorani typed with Arabic letters,
  an inflected English word) finds the article, and its first result opens the article page.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
from browser.support import Site, launch_browser
from conftest import ROOT, build_site, parse
from lxml import html as lxml_html

from press_search import html_text
from press_search.analysis import analyze, load_rules

LANGS = ("ar", "ckb", "en")
# language -> (query, article key whose title it must find)
QUERIES = {
    "ar": ("اجور", "public-wages-2025"),  # the title writes أجور
    "ckb": ("كەرتي گشتي", "public-wages-2025"),  # Arabic ي for ی; the title has کەرتی گشتی
    "en": ("salaries", "public-wages-2025"),  # the title has "salary"
}
SHARD = re.compile(r'^PressSearch\.addShard\("([0-9a-f]{4,})", (\{.*\})\);\n$', re.S)


def _global(path: Path, name: str):
    text = path.read_text(encoding="utf-8")
    prefix = f"window.{name} = "
    assert text.startswith(prefix) and text.endswith(";\n"), path
    return json.loads(text[len(prefix) : -2])


def load_index(output: Path, lang: str) -> tuple[list, dict[str, list]]:
    """(docs, term -> postings) of one language's built index."""
    folder = output / lang / "search"
    docs = _global(folder / "docs.js", "PressSearchDocs")
    terms: dict[str, list] = {}
    for path in sorted(folder.glob("shard-*.js")):
        match = SHARD.match(path.read_text(encoding="utf-8"))
        assert match, f"{path} is not one PressSearch.addShard(...) call"
        assert path.name == f"shard-{match[1]}.js"
        shard = json.loads(match[2])
        assert all(f"{ord(term[0]):04x}" == match[1] for term in shard), path
        terms.update(shard)
    return docs, terms


def indexed_terms(output: Path, lang: str) -> dict[str, Counter]:
    """Article page path -> Counter of the terms the index holds for it."""
    docs, terms = load_index(output, lang)
    found = {doc[0]: Counter() for doc in docs}
    for term, postings in terms.items():
        for number, tf, _ in postings:
            found[docs[number][0]][term] = tf
    return found


# --- the index (Python side) ------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_indexed_terms_are_the_analyzers_terms_of_title_and_body(demo_site, lang):
    docs, terms = load_index(demo_site, lang)
    articles = sorted((demo_site / lang / "articles").glob("*/index.html"))
    real = [p for p in articles if parse(p).xpath("//div[@class='body']")]
    assert len(docs) == len(real) > 0
    per_doc = indexed_terms(demo_site, lang)
    for url, title, _date, _section, length in docs:
        page = (demo_site / lang / "search" / url).resolve()
        assert page.exists(), url
        tree = parse(page)
        body = tree.xpath("//div[@class='body']")[0]
        body_html = "".join(lxml_html.tostring(child, encoding="unicode") for child in body)
        title_terms = analyze(title, lang)
        expected = Counter(title_terms + analyze(html_text((body.text or "") + body_html), lang))
        assert per_doc[url] == expected, url
        assert length == sum(expected.values())
        in_title = {t for t, postings in terms.items() for p in postings if p[2] and docs[p[0]][0] == url}
        assert in_title == set(title_terms)


def test_index_files_are_classic_scripts(demo_site):
    theme = demo_site / "theme" / "js"
    scripts = [*sorted(demo_site.glob("*/search/*.js")), theme / "search.js", theme / "analyzer.js"]
    assert len(scripts) > 10
    for path in scripts:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(import|export)\s", text, re.M), path
        assert "fetch(" not in text and "import(" not in text and "Worker(" not in text, path


@pytest.mark.parametrize("lang", LANGS)
def test_rules_script_is_rules_json_without_notes(demo_site, lang):
    embedded = _global(demo_site / lang / "search" / "rules.js", "PressSearchRules")
    assert not any(key.startswith("_") for key in _keys(embedded))
    assert embedded["langs"].keys() == load_rules()["langs"].keys()


def _keys(data):
    if isinstance(data, dict):
        for key, value in data.items():
            yield key
            yield from _keys(value)
    elif isinstance(data, list):
        for value in data:
            yield from _keys(value)


def test_search_page_without_javascript_links_the_full_listing(demo_site):
    for lang in LANGS:
        page = demo_site / lang / "search" / "index.html"
        tree = parse(page)
        form = tree.xpath("//form[@role='search']")[0]
        assert form.get("action") == "index.html" and form.get("method") == "get"
        assert form.get("hidden") is not None  # shown by search.js: never a dead form without it
        assert tree.xpath("//form//input[@name='q']/@id") == tree.xpath("//form//label/@for")
        links = tree.xpath("//noscript//a/@href")
        assert links == [f"../../{lang}/index.html"] and (page.parent / links[0]).resolve().exists()
        assert tree.xpath("//*[@role='status']/@aria-live") == ["polite"]
        assert not tree.xpath("//script[not(@src)]") and not tree.xpath("//@*[starts-with(name(), 'on')]")
        nav = tree.xpath("//nav[@class='sections']//a/@href")
        assert f"../../{lang}/search/index.html" in nav


def test_index_is_deterministic(demo_site, tmp_path):
    again = build_site(ROOT / "content", tmp_path / "output")
    for lang in LANGS:
        first = {p.name: p.read_bytes() for p in (demo_site / lang / "search").iterdir()}
        second = {p.name: p.read_bytes() for p in (again / lang / "search").iterdir()}
        assert first == second


def test_added_article_is_found_and_deleted_one_is_gone(minimal_content, tmp_path):
    article = minimal_content / "articles" / "quokka-census.en.md"
    article.write_text(
        "---\ntitle: Quokkas counted\ndate: 2025-02-01\ncategory: news\n---\n"
        "The branch counted seventeen quokkas on the island.\n",
        encoding="utf-8",
    )
    output = build_site(minimal_content, tmp_path / "with")
    found = indexed_terms(output, "en")
    url = "../../en/articles/quokka-census/index.html"
    assert found[url]["quokka"] == 2 and found[url]["seventeen"] == 1
    article.unlink()
    output = build_site(minimal_content, tmp_path / "without")
    docs, terms = load_index(output, "en")
    assert url not in [doc[0] for doc in docs] and "quokka" not in terms


# --- the search page in Chromium ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_browser(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def served(demo_site):
    site = Site(demo_site)
    yield site.origin
    site.stop()


@pytest.fixture
def page(chromium):
    context = chromium.new_context()
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    context.close()
    assert not errors


def _search_and_open(tab, start: str, lang: str, typed: bool) -> str:
    query, key = QUERIES[lang]
    if typed:
        tab.goto(start)
        tab.fill("#search-q", query)
        tab.press("#search-q", "Enter")
    else:
        tab.goto(f"{start}?q={quote(query)}")
        assert tab.input_value("#search-q") == query
    results = tab.locator("#search-results li a")
    results.first.wait_for()
    status = tab.locator("#search-status").inner_text()
    assert status and status != tab.locator("#search-status").get_attribute("data-searching")
    hrefs = results.evaluate_all("links => links.map(a => a.href)")
    assert hrefs and any(f"/{lang}/articles/{key}/index.html" in h for h in hrefs), hrefs
    with tab.expect_navigation():
        results.first.click()
    assert re.search(rf"/{lang}/articles/[^/]+/index\.html$", tab.url), tab.url
    assert tab.locator("article h1").count() == 1
    return tab.url


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("typed", [True, False], ids=["typed", "query-string"])
def test_search_over_http(page, served, lang, typed):
    _search_and_open(page, f"{served}/{lang}/search/index.html", lang, typed)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("typed", [True, False], ids=["typed", "query-string"])
def test_search_from_file(page, demo_site, lang, typed):
    url = _search_and_open(page, (demo_site / lang / "search" / "index.html").as_uri(), lang, typed)
    assert url.startswith("file://")


def test_prefix_of_the_last_word_and_keyboard(page, served):
    page.goto(f"{served}/en/search/index.html")
    page.focus("#search-q")
    page.keyboard.type("electri")  # unfinished: prefix of "electricity"
    page.locator("#search-results li a").first.wait_for()
    assert "electricity-crisis-2024" in page.locator("#search-results li a").first.get_attribute("href")
    assert page.locator("#search-status").inner_text().endswith("found")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") in ("BUTTON", "A")


def test_nothing_found_says_so(page, served):
    page.goto(f"{served}/ar/search/index.html?q={quote('زرافة')}")
    page.wait_for_function("document.getElementById('search-status').textContent.length > 0")
    assert page.locator("#search-results li").count() == 0
    assert page.locator("#search-status").inner_text() == "لم يُعثر على أي مقال"


def test_without_javascript_the_page_points_to_the_listing(chromium, served):
    context = chromium.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(f"{served}/ckb/search/index.html")
    assert not tab.locator("#search-form").is_visible()
    link = tab.locator("noscript a, .search-noscript a").first
    assert link.is_visible()
    link.click()
    assert tab.url.endswith("/ckb/index.html")
    context.close()
