"""Site search (press_search): the static index the build writes, and the search page in Chromium.

* Python: every page with ``Page.search`` set is indexed (articles, standing pages, and a test
  plugin's pages with bloc/year facets); a document's indexed terms are exactly analysis.analyze() of
  its title and text; the index files are classic scripts; two builds give identical index files;
  adding (deleting) an article adds (removes) it; shards split by longer prefixes when big, and
  search.js finds the same shard, decodes the same postings.
* Browser (Debian's chromium through Playwright, never a downloaded browser): in ar, ckb and en, over
  http://127.0.0.1 and from file://, a query (variant Arabic spelling, Sorani typed with Arabic letters,
  an inflected English word) finds the article and opens it; a standing page is found; filters by
  section, bloc and year narrow the results; snippets mark the matched words; "did you mean" offers
  an indexed word when nothing matches; without JavaScript the form opens the full listing.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest
from browser.support import Site, launch_browser
from conftest import ROOT, build_site, parse
from lxml import html as lxml_html
from playwright.sync_api import expect

from press_search import html_text
from press_search import index as search_index
from press_search.analysis import analyze, load_rules
from press_search.index import (
    decode,
    encode,
    plan_shards,
    postings_of,
    shard_key,
    shard_name,
    shard_tree,
)

LANGS = ("ar", "ckb", "en")
# language -> (query, article key whose title it must find)
QUERIES = {
    "ar": ("اجور", "public-wages-2025"),  # the title writes أجور
    "ckb": ("كەرتي گشتي", "public-wages-2025"),  # Arabic ي for ی; the title has کەرتی گشتی
    "en": ("salaries", "public-wages-2025"),  # the title has "salary"
}
SHARD = re.compile(r'^PressSearch\.addShard\("([0-9a-f-]+)", (\{.*\})\);\n$', re.S)
DOC = re.compile(r"^PressSearch\.addDocs\((\d+), (\[.*\])\);\n$", re.S)
SEARCH_JS = ROOT / "tests" / "js" / "run_search.js"

# A plugin (written into a temp folder) registering pages of another section with bloc and year facets.
FACET_PLUGIN = """
from pelican import signals
import datetime as dt
from press_core.site import Page, SearchEntry, site_of

PAPERS = [
    ("p1", "Wind farms for Basra", "The green-left bloc asks for wind farms.", "green-left", 2024),
    ("p2", "Wind and water", "Labour platform: wind turbines need unions.", "labour-platform", 2025),
    ("p3", "Joint paper on <b>wind</b> & tax", "Both blocs sign this wind paper.",
     "green-left labour-platform", 2025),
]

class Papers:
    def __init__(self, context, *args, **kwargs):
        self.context = context

    def generate_context(self):
        site = site_of(self.context)
        for language in site.languages:
            chrome = site.get("home", language.code).context
            for key, title, text, blocs, year in PAPERS:
                entry = SearchEntry(title, f"<p>{text}</p>", "papers", dt.datetime(year, 3, 1, tzinfo=dt.UTC),
                                    {"bloc": blocs, "year": str(year)})
                path = f"{language.code}/fixture-papers/{key}/index.html"
                site.add(Page(language.code, "fixture-paper:" + key, path, "404.html", dict(chrome),
                              search=entry))

def get_generators(pelican):
    return Papers

def register():
    signals.get_generators.connect(get_generators)
"""


def _global(path: Path, name: str):
    """The JSON value of ``window.<name> = …;`` in a generated script."""
    for line in path.read_text(encoding="utf-8").splitlines():
        prefix = f"window.{name} = "
        if line.startswith(prefix):
            assert line.endswith(";"), path
            return json.loads(line[len(prefix) : -1])
    raise AssertionError(f"{path} sets no window.{name}")


def load_index(output: Path, lang: str) -> tuple[dict, list, dict[str, list]]:
    """(meta, document records by number, term -> [(doc, impact)]) of one language's built index."""
    folder = output / lang / "search"
    meta = _global(folder / "meta.js", "PressSearchMeta")
    docs = []
    for number in range(0, meta["n"], meta["per_file"]):
        match = DOC.match((folder / "doc" / f"{number // meta['per_file']}.js").read_text(encoding="utf-8"))
        assert match and int(match[1]) == number
        docs += [
            ["../../" + link + ("index.html" if link.endswith("/") else ""), *rest]
            for link, *rest in json.loads(match[2])
        ]
    assert len(docs) == meta["n"]
    terms: dict[str, list] = {}
    names = set()
    for path in sorted(folder.glob("shard-*.js")):
        match = SHARD.match(path.read_text(encoding="utf-8"))
        assert match, f"{path} is not one PressSearch.addShard(...) call"
        assert path.name == f"shard-{match[1]}.js"
        names.add(match[1])
        for term, postings in json.loads(match[2]).items():
            split = {p for p in meta["shards"] if p}
            assert shard_name(shard_key(term, split)) == match[1], (term, path)
            terms[term] = postings_of(postings)
    assert {shard_name(key) for key in _keys_of(meta["shards"])} == names
    return meta, docs, terms


def _keys_of(tree: dict[str, str]) -> set[str]:
    """Every shard key the meta tree names (leaves: a prefix + a character that is not split)."""
    return {prefix + ch for prefix, chars in tree.items() for ch in chars if prefix + ch not in tree}


def indexed_terms(output: Path, lang: str) -> dict[str, set]:
    """Document url -> the set of terms the index holds for it."""
    _, docs, terms = load_index(output, lang)
    found = {doc[0]: set() for doc in docs}
    for term, postings in terms.items():
        for number, _impact in postings:
            found[docs[number][0]].add(term)
    return found


def settings_file(folder: Path, extra: str) -> Path:
    """pelicanconf.py plus ``extra`` lines (and ``folder`` as a plugin path), in another folder."""
    settings = folder / "settings.py"
    settings.write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from pelicanconf import *  # noqa: F403\n"
        f"THEME = {str(ROOT / 'theme')!r}\n"
        f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}, {str(folder)!r}]\n" + extra,
        encoding="utf-8",
    )
    return settings


@pytest.fixture(scope="module")
def facet_site(tmp_path_factory) -> Path:
    """The minimal fixture with three "papers" pages (bloc and year facets) and tiny shards (all split)."""
    from conftest import FIXTURES

    folder = tmp_path_factory.mktemp("facets")
    (folder / "search_fixture_papers.py").write_text(FACET_PLUGIN, encoding="utf-8")
    settings = settings_file(
        folder,
        'PLUGINS = [p for p in PLUGINS if p != "press_search"] + []\n'
        'PLUGINS.insert(PLUGINS.index("press_render"), "search_fixture_papers")\n'
        'PLUGINS.insert(PLUGINS.index("press_render"), "press_search")\n'
        "SEARCH_SHARD_BYTES = 20\n",
    )
    return build_site(FIXTURES / "minimal", folder / "output", settings=settings)


# --- the index (Python side) ------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_indexed_terms_are_the_analyzers_terms_of_title_and_text(demo_site, lang):
    meta, docs, terms = load_index(demo_site, lang)
    views = [
        p
        for kind in ("articles", "pages")
        for p in sorted((demo_site / lang / kind).glob("*/index.html"))
        if parse(p).xpath("//div[@class='body']")
    ]
    urls = [doc[0] for doc in docs]
    assert len(set(urls)) == len(urls) == meta["n"]
    assert {f"../../{p.relative_to(demo_site).as_posix()}" for p in views} <= set(urls)
    assert any("/pages/" in url for url in urls) and any("/articles/" in url for url in urls)
    per_doc = indexed_terms(demo_site, lang)
    for page in views:
        url = f"../../{page.relative_to(demo_site).as_posix()}"
        title = docs[urls.index(url)][1]
        body = parse(page).xpath("//div[@class='body']")[0]
        body_html = "".join(lxml_html.tostring(child, encoding="unicode") for child in body)
        expected = set(analyze(title, lang) + analyze(html_text((body.text or "") + body_html), lang))
        assert per_doc[url] == expected, url
    assert all(1 <= impact <= 31 for postings in terms.values() for _, impact in postings)


def test_every_indexed_document_links_to_a_page(demo_site):
    for lang in LANGS:
        meta, docs, _ = load_index(demo_site, lang)
        for url, title, _date, section, excerpt in docs:
            assert (demo_site / lang / "search" / url).resolve().is_file(), url
            assert title and meta["sections"][section] and len(excerpt) <= 161


def test_title_words_weigh_more_than_text_words(demo_site):
    _, docs, terms = load_index(demo_site, "en")
    electricity = dict(terms[analyze("electricity", "en")[0]])
    in_title = [d for d in electricity if "electricit" in docs[d][1].lower()]
    elsewhere = [d for d in electricity if d not in in_title]
    assert in_title and elsewhere
    assert max(electricity[d] for d in in_title) == max(electricity.values())
    assert min(electricity[d] for d in in_title) > min(electricity[d] for d in elsewhere)


def test_index_files_are_classic_scripts(demo_site):
    theme = demo_site / "theme" / "js"
    scripts = [
        *sorted(demo_site.glob("*/search/*.js")),
        *sorted(demo_site.glob("*/search/doc/*.js")),
        *sorted(theme.glob("search*.js")),
        *sorted(theme.glob("analyzer*.js")),
    ]
    assert len(scripts) > 30
    for path in scripts:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(import|export)\s", text, re.M), path
        assert "fetch(" not in text and "import(" not in text and "Worker(" not in text, path


@pytest.mark.parametrize("lang", LANGS)
def test_meta_script_carries_rules_json_without_notes(demo_site, lang):
    embedded = _global(demo_site / lang / "search" / "meta.js", "PressSearchRules")
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


def test_search_form_submits_to_the_full_listing(demo_site):
    for lang in LANGS:
        page = demo_site / lang / "search" / "index.html"
        tree = parse(page)
        form = tree.xpath("//form[@role='search']")[0]
        assert form.get("action") == "all/index.html" and form.get("method") == "get"
        assert form.get("hidden") is None  # usable without JavaScript
        assert tree.xpath("//form//input[@name='q']/@id") == tree.xpath("//label[@for='search-q']/@for")
        for select in tree.xpath("//form//select"):
            assert tree.xpath(f"//label[@for='{select.get('id')}']"), select.get("id")
        assert tree.xpath("//*[@role='status']/@aria-live") == ["polite"]
        assert not tree.xpath("//script[not(@src)]") and not tree.xpath("//@*[starts-with(name(), 'on')]")
        nav = tree.xpath("//nav[@class='sections']//a/@href")
        assert f"../../{lang}/search/index.html" in nav
        listing = page.parent / form.get("action")
        links = {href for href in parse(listing).xpath("//main//li/a/@href")}
        _, docs, _ = load_index(demo_site, lang)
        assert links == {"../" + doc[0] for doc in docs}
        assert all((listing.parent / href).resolve().is_file() for href in links)


def test_index_is_deterministic(demo_site, tmp_path):
    again = build_site(ROOT / "content", tmp_path / "output")
    for lang in LANGS:
        first = {
            p.relative_to(demo_site): p.read_bytes() for p in (demo_site / lang / "search").rglob("*.js")
        }
        second = {p.relative_to(again): p.read_bytes() for p in (again / lang / "search").rglob("*.js")}
        assert first == second


@pytest.fixture(scope="module")
def quokka_builds(tmp_path_factory):
    """The minimal site built with an extra article, then again after deleting it."""
    import shutil

    from conftest import FIXTURES

    folder = tmp_path_factory.mktemp("quokka")
    content = folder / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    article = content / "articles" / "quokka-census.en.md"
    article.write_text(
        "---\ntitle: Quokkas counted\ndate: 2025-02-01\ncategory: news\n---\n"
        "The branch counted seventeen quokkas on the island.\n",
        encoding="utf-8",
    )
    with_it = build_site(content, folder / "with")
    article.unlink()
    return with_it, build_site(content, folder / "without")


def test_added_article_is_indexed_and_deleted_one_is_gone(quokka_builds):
    with_it, without = quokka_builds
    url = "../../en/articles/quokka-census/index.html"
    assert {"quokka", "seventeen"} <= indexed_terms(with_it, "en")[url]
    _, docs, terms = load_index(without, "en")
    assert url not in [doc[0] for doc in docs] and "quokka" not in terms


def test_pages_of_other_sections_are_indexed_with_their_facets(facet_site):
    meta, docs, terms = load_index(facet_site, "en")
    assert meta["sections"] == ["articles", "pages", "papers"]
    assert meta["blocs"] == ["green-left", "labour-platform"] and meta["years"] == ["2025", "2024"]
    papers = {doc[0].split("/")[-2]: n for n, doc in enumerate(docs) if "/fixture-papers/" in doc[0]}
    assert set(papers) == {"p1", "p2", "p3"}
    wind = dict(terms["wind"])
    assert set(wind) == set(papers.values())
    groups = {g[0]: g for g in meta["groups"]}
    starts = sorted(groups)

    def group(n):
        return groups[max(s for s in starts if s <= n)]

    blocs_of = {key: {meta["blocs"][b] for b in group(n)[2]} for key, n in papers.items()}
    assert blocs_of == {
        "p1": {"green-left"},
        "p2": {"labour-platform"},
        "p3": {"green-left", "labour-platform"},
    }
    assert {key: meta["years"][group(n)[3]] for key, n in papers.items()} == {
        "p1": "2024",
        "p2": "2025",
        "p3": "2025",
    }


def test_big_shards_split_by_longer_prefixes(facet_site):
    meta, _, terms = load_index(facet_site, "en")  # load_index checks every term is where shard_key says
    split = {p for p in meta["shards"] if p}
    assert any(len(p) >= 2 for p in split), split  # SEARCH_SHARD_BYTES = 20: split twice at least
    assert all(
        len((facet_site / "en" / "search" / f"shard-{shard_name(k)}.js").read_bytes()) < 400
        for k in _keys_of(meta["shards"])
        if len(k) > 1
    )
    assert terms


def test_encoding_round_trips():
    numbers = [0, 1, 31, 32, 33, 1023, 1024, 99999, 7]
    assert decode(encode(numbers)) == numbers
    assert postings_of(encode([1, 5, 3, 31, 100, 1])) == [(0, 5), (3, 31), (103, 1)]


def test_shard_plan_keeps_every_term_findable():
    terms = {w: encode([1, 3] * n) for n, w in enumerate(["a", "ab", "abc", "abd", "b", "ba", "c"] * 1, 5)}
    split, shards = plan_shards(terms, limit=40)
    assert split and all(shards[shard_key(t, split)][t] == terms[t] for t in terms)
    assert sorted(t for shard in shards.values() for t in shard) == sorted(terms)
    assert shard_tree(shards)[""] == "abc"


class _Entry:
    def __init__(self, title: str, text: str):
        self.title, self.text = title, text


def _pages(count: int, skip: int = -1) -> list:
    return [
        (
            search_index.Document(f"en/articles/a{n}/index.html", f"Title {n}", "articles", None, ""),
            _Entry(f"T{n}", f"word{n % 7} x"),
        )
        for n in range(count)
        if n != skip
    ]


def test_runs_change_only_where_a_document_was_removed():
    """The cache keeps an analysis per run: removing a document must not move the other runs."""
    docs = [doc for doc, _ in _pages(3000)]
    fewer = [doc for doc, _ in _pages(3000, skip=1500)]
    spans = {tuple(d.path for d in docs[r.start : r.stop]) for r in search_index.runs(docs, 100)}
    after = {tuple(d.path for d in fewer[r.start : r.stop]) for r in search_index.runs(fewer, 100)}
    assert len(spans) > 10 and all(1 <= len(s) <= 200 for s in spans)
    assert len(spans - after) == 1 and len(after - spans) == 1


def test_an_index_merged_from_runs_equals_one_analyzed_whole():
    pages = search_index.order(_pages(1200))
    whole = search_index.finish([doc for doc, _ in pages], [search_index.analyze(pages, "en")])
    again = search_index.order(_pages(1200))
    merged = search_index.build(again, "en")
    assert len(search_index.runs([doc for doc, _ in again])) > 1
    assert (merged.terms, merged.suggestions, [d.excerpt for d in merged.docs]) == (
        whole.terms,
        whole.suggestions,
        [d.excerpt for d in whole.docs],
    )


def test_impacts_are_the_bm25_term_frequency_part():
    """finish() tabulates the impacts of small term frequencies: every tf, small or large, in the
    title or the text, gets the quantized BM25 value of its document's length."""
    texts = [("Wind", "wind " * tf + "calm " * (20 - tf)) for tf in range(1, 15)] + [("Calm", "calm")]
    assert 14 + search_index.TITLE_WEIGHT > search_index.COMMON_TF  # frequencies past the table too
    pages = search_index.order(
        [
            (
                search_index.Document(f"en/articles/a{n}/index.html", title, "articles", None, ""),
                _Entry(title, text),
            )
            for n, (title, text) in enumerate(texts)
        ]
    )
    index = search_index.finish([doc for doc, _ in pages], [search_index.analyze(pages, "en")])
    average = sum(len(text.split()) + search_index.TITLE_WEIGHT for _, text in texts) / len(texts)
    for term, title_word in (("wind", "Wind"), ("calm", "Calm")):
        expected = []
        for number, (_, entry) in enumerate(pages):
            tf = entry.text.split().count(term) + search_index.TITLE_WEIGHT * (entry.title == title_word)
            if tf:
                length = len(entry.text.split()) + search_index.TITLE_WEIGHT
                norm = search_index.K1 * (1 - search_index.B + search_index.B * length / average)
                share = tf / (tf + norm)
                expected.append(
                    (number, max(1, min(search_index.LEVELS, math.ceil(share * search_index.LEVELS))))
                )
        assert postings_of(index.terms[term]) == expected


@pytest.mark.parametrize(
    "text",
    ["", "  a  b  ", "word " * 40, " " * 700 + "late start", "x" * 170, "a\n\n\t" * 300 + " tail", "w " * 80],
)
def test_excerpt_is_the_start_of_the_text_with_spaces_collapsed(text):
    collapsed = " ".join(text.split())
    got = search_index.excerpt(text)
    if len(collapsed) <= search_index.EXCERPT_CHARS:
        assert got == collapsed
    else:
        assert (
            got.endswith("…")
            and collapsed.startswith(got[:-1])
            and len(got) <= search_index.EXCERPT_CHARS + 1
        )
        assert collapsed[len(got) - 1] == " " or " " not in collapsed[: search_index.EXCERPT_CHARS]


def test_search_js_finds_the_same_shards_and_postings(facet_site):
    """search.js (run by node) names the same shard as index.py for every term, and decodes alike."""
    from test_search_analysis import _node

    meta, _, terms = load_index(facet_site, "en")
    split = {p for p in meta["shards"] if p}
    words = [*sorted(terms), "zzz", "wi", "wind", "windy"]
    encoded = [encode([3, 1, 40, 2, 1025, 31]), encode([0])]
    payload = {
        "shards": meta["shards"],
        "terms": words,
        "encoded": encoded,
        "pairs": [["electrcity", "electricity"], ["كتاب", "مكتب"], ["abc", "abc"]],
    }
    proc = subprocess.run(
        [_node(), str(SEARCH_JS)],
        input=json.dumps(payload, ensure_ascii=False),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    keys = _keys_of(meta["shards"])
    expected = [shard_name(shard_key(w, split)) if shard_key(w, split) in keys else None for w in words]
    assert out["shards"] == expected and out["shards"][: len(terms)] == [
        shard_name(shard_key(t, split)) for t in sorted(terms)
    ]
    assert out["decoded"] == [decode(e) for e in encoded]
    assert out["distances"] == [1, 2, 0]


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
    tab.on("console", lambda m: m.type == "error" and errors.append(m.text))
    yield tab
    context.close()
    assert not errors


def _results(tab) -> list[str]:
    """The result links' hrefs once the search has answered and shown its first results."""
    tab.wait_for_selector("#search-results[aria-busy='false']", state="attached")
    return tab.locator("#search-results li h2 a").evaluate_all("links => links.map(a => a.href)")


def _search_and_open(tab, start: str, lang: str, typed: bool) -> str:
    query, key = QUERIES[lang]
    if typed:
        tab.goto(start)
        tab.fill("#search-q", query)
        tab.press("#search-q", "Enter")
    else:
        tab.goto(f"{start}?q={quote(query)}")
        assert tab.input_value("#search-q") == query
    results = tab.locator("#search-results li h2 a")
    results.first.wait_for()
    status = tab.locator("#search-status").inner_text()
    assert status and status != tab.locator("#search-status").get_attribute("data-searching")
    hrefs = results.evaluate_all("links => links.map(a => a.href)")
    assert hrefs and any(f"/{lang}/articles/{key}/index.html" in h for h in hrefs), hrefs
    with tab.expect_navigation():
        results.first.click()  # at once: before the address has caught up with the search
    assert re.search(rf"/{lang}/(articles|pages)/[^/]+/index\.html$", tab.url), tab.url
    assert tab.locator("main h1").count() == 1
    opened = tab.url
    tab.go_back()  # the search page comes back with its search, as opening the result recorded it
    assert f"q={quote(query)}" in tab.url, tab.url
    assert tab.input_value("#search-q") == query
    assert hrefs == _results(tab)
    return opened


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("typed", [True, False], ids=["typed", "query-string"])
def test_search_over_http(page, served, lang, typed):
    _search_and_open(page, f"{served}/{lang}/search/index.html", lang, typed)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("typed", [True, False], ids=["typed", "query-string"])
def test_search_from_file(page, demo_site, lang, typed):
    url = _search_and_open(page, (demo_site / lang / "search" / "index.html").as_uri(), lang, typed)
    assert url.startswith("file://")


@pytest.mark.parametrize("lang", LANGS)
def test_standing_page_is_found_with_marked_snippet(page, demo_site, served, lang):
    title = (
        parse(demo_site / lang / "pages" / "contribute" / "index.html").xpath("//main//h1")[0].text_content()
    )
    page.goto(f"{served}/{lang}/search/index.html?q={quote(title)}")
    hrefs = _results(page)
    assert any(h.endswith(f"/{lang}/pages/contribute/index.html") for h in hrefs), hrefs
    terms = set(analyze(title, lang))
    marks = page.locator("#search-results mark").all_inner_texts()
    assert marks and all(
        set(analyze(m, lang)) & terms or any(t.startswith(tuple(terms)) for t in analyze(m, lang))
        for m in marks
    ), marks
    assert page.locator("#search-results .snippet mark").count() > 0 or page.locator("h2 mark").count() > 0


@pytest.mark.parametrize("lang", LANGS)
def test_snippets_mark_the_matched_words_and_isolate_latin(page, demo_site, lang):
    query, _ = QUERIES[lang]
    page.goto((demo_site / lang / "search" / "index.html").as_uri() + f"?q={quote(query)}")
    _results(page)
    terms = analyze(query, lang)
    marks = page.locator("#search-results mark").all_inner_texts()
    assert marks
    for mark in marks:
        got = analyze(mark, lang)
        assert got and all(any(t == q or (q == terms[-1] and t.startswith(q)) for q in terms) for t in got), (
            mark
        )
    if lang != "en":  # Latin runs inside Arabic/Kurdish snippets sit in <bdi>
        loose = page.evaluate(
            """() => [...document.querySelectorAll('#search-results .snippet, #search-results h2 a')]
                .flatMap(el => [...el.childNodes]).filter(n => n.nodeType === 3 && /[A-Za-z]/.test(n.data))
                .map(n => n.data)"""
        )
        assert loose == []


def test_filters_narrow_by_section_bloc_and_year(page, facet_site):
    base = (facet_site / "en" / "search" / "index.html").as_uri()
    page.goto(base + "?q=wind")
    assert len(_results(page)) == 3
    labels = page.locator("#search-bloc option").all_inner_texts()
    assert labels[1:] == ["green-left", "labour-platform"]
    page.select_option("#search-bloc", "labour-platform")
    hrefs = _results(page)
    assert sorted(h.split("/")[-2] for h in hrefs) == ["p2", "p3"]
    page.wait_for_url(re.compile(r"\?q=wind&bloc=labour-platform$"))  # once the reader pauses
    page.select_option("#search-year", "2024")
    assert _results(page) == [] and page.locator("#search-status").inner_text() == "0 results"
    page.select_option("#search-bloc", "")
    assert [h.split("/")[-2] for h in _results(page)] == ["p1"]
    page.goto(base + "?q=wind&section=papers&year=2025")
    assert page.input_value("#search-section") == "papers"
    assert sorted(h.split("/")[-2] for h in _results(page)) == ["p2", "p3"]
    # index data never becomes markup: the title's "<b>" stays text
    assert page.locator("#search-results b").count() == 0
    assert "<b>" in page.locator("#search-results").inner_text()


def test_filters_are_keyboard_operable(page, facet_site):
    page.goto((facet_site / "en" / "search" / "index.html").as_uri() + "?q=wind")
    _results(page)
    page.focus("#search-q")
    page.keyboard.press("Tab")  # the search button
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "search-section"
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # choose the first bloc
    assert page.input_value("#search-bloc") == "green-left"
    assert sorted(h.split("/")[-2] for h in _results(page)) == ["p1", "p3"]


@pytest.mark.parametrize("lang", LANGS)
def test_did_you_mean_offers_an_indexed_word(page, demo_site, served, lang):
    if lang == "en":
        typo = "electrcity"
    else:  # a frequent word of this language's index, misspelt: its last two letters swapped
        terms_js = (demo_site / lang / "search" / "terms.js").read_text(encoding="utf-8")
        suggestions = json.loads(re.match(r"PressSearch\.addTerms\((.*)\);\n$", terms_js, re.S)[1])
        word = next(w for _, w in suggestions if len(w) >= 6 and not w.isdigit())
        typo = word[:-3] + word[-2] + word[-3] + word[-1]
    page.goto(f"{served}/{lang}/search/index.html?q={quote(typo)}")
    assert _results(page) == []
    hint = page.locator("#search-suggestion a")
    hint.wait_for()
    suggested = hint.inner_text()
    assert analyze(suggested, lang) and suggested != typo
    if lang == "en":
        assert suggested == "electricity"
    hint.click()
    assert page.input_value("#search-q") == suggested
    assert _results(page), suggested
    assert page.locator("#search-suggestion").is_hidden()


def test_prefix_of_the_last_word_and_keyboard(page, served):
    page.goto(f"{served}/en/search/index.html")
    page.focus("#search-q")
    page.keyboard.type("electri")  # unfinished: prefix of "electricity"
    expect(page).to_have_url(re.compile(r"\?q=electri$"))  # the last keystroke's search started
    assert "electricity-crisis-2024" in _results(page)[0]
    assert page.locator("#search-status").inner_text().endswith("results")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") in ("BUTTON", "A", "SELECT")


def test_nothing_found_says_so(page, served):
    page.goto(f"{served}/ar/search/index.html?q={quote('زرافة')}")
    assert _results(page) == []
    assert page.locator("#search-status").inner_text() == "لا نتائج"


@pytest.mark.parametrize("lang", LANGS)
def test_without_javascript_the_form_opens_the_full_listing(chromium, served, lang):
    context = chromium.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(f"{served}/{lang}/search/index.html")
    assert tab.locator("#search-form").is_visible() and tab.locator(".search-noscript").is_visible()
    tab.fill("#search-q", QUERIES[lang][0])
    with tab.expect_navigation():
        tab.press("#search-q", "Enter")
    assert re.search(rf"/{lang}/search/all/index\.html\?q=", tab.url), tab.url
    link = tab.locator(f"main li a[href$='/articles/{QUERIES[lang][1]}/index.html']")
    assert link.count() == 1
    with tab.expect_navigation():
        link.click()
    assert tab.url.endswith(f"/{lang}/articles/{QUERIES[lang][1]}/index.html")
    context.close()


def test_added_article_is_found_in_the_browser_and_deleted_one_is_not(page, quokka_builds):
    with_it, without = quokka_builds
    page.goto((with_it / "en" / "search" / "index.html").as_uri() + "?q=quokkas")
    assert [h.split("/")[-2] for h in _results(page)] == ["quokka-census"]
    page.goto((without / "en" / "search" / "index.html").as_uri() + "?q=quokkas")
    assert _results(page) == []
