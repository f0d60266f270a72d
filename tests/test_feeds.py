"""Feeds (press_feeds): valid Atom and RSS per language, read back by feedparser and newsboat."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import feedparser
import pytest
from conftest import FIXTURES, ROOT, build_site, html_files, parse, resolve, run_build

from press_core.reading import tag_slug
from press_core.yamlfile import parse_yaml, split_front_matter

BASE = "http://localhost:8000/"  # FEED_SITEURL in pelicanconf.py (SITEURL is empty there)
LANGS = ("ar", "ckb", "en")
BIDI_CONTROLS = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ATOM_XPATH = '//link[@rel="alternate"][@type="application/atom+xml"]'

# Added to a copy of the small fixture site: a second category and person, a text with a
# relative link, a `modified:` date, and two texts published at the same minute.
EXTRA_FILES = {
    "articles/wages-analysis.en.md": """---
title: Wages and the cost of living
date: 2025-02-01
modified: "2025-02-03 09:00"
category: analysis
authors: [hana-karim, sara-aziz]
tags: [wages, Tigris]
summary: Rents rose while wages stood still.
---
Rents rose by 14.5% in two years. See also [the water report](../water-report/index.html).
""",
    "articles/wages-analysis.ar.md": """---
title: الأجور وكلفة المعيشة في «بغداد» 2025
translation: true
tags: [الأجور, المياه]
---
ارتفعت الإيجارات بنسبة 14.5% خلال عامين. انظر [تقرير المياه](../water-report/index.html).
""",
    "articles/wages-analysis.ckb.md": """---
title: مووچە و تێچووی ژیان لە سلێمانی؟
translation: true
---
کرێی خانوو لە دوو ساڵدا بەرز بووەوە.
""",
    "articles/port-workers.ar.md": """---
title: عمال الموانئ يواصلون الإضراب
date: "2025-05-01 18:30"
category: news
authors: [hana-karim]
tags: [الإضراب]
---
يواصل عمال الموانئ إضرابهم.
""",
}


@dataclass
class Built:
    content: Path
    output: Path


def feed_content(target: Path) -> Path:
    shutil.copytree(FIXTURES / "minimal", target)
    with open(target / "categories.yml", "a", encoding="utf-8") as handle:
        handle.write("analysis:\n  ar: تحليلات\n  ckb: شیکاری\n  en: Analysis\n")
    with open(target / "people.yml", "a", encoding="utf-8") as handle:
        handle.write("hana-karim:\n  name:\n    ar: هناء كريم\n    ckb: هەنا کەریم\n    en: Hana Karim\n")
    for name, text in EXTRA_FILES.items():
        (target / name).write_text(text, encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory) -> Built:
    root = tmp_path_factory.mktemp("feeds")
    content = feed_content(root / "content")
    return Built(content, build_site(content, root / "output"))


@pytest.fixture(params=["fixture", "demo"])
def any_site(request) -> Built:
    if request.param == "demo":
        return Built(ROOT / "content", request.getfixturevalue("demo_site"))
    return request.getfixturevalue("fixture_site")


# -- helpers ------------------------------------------------------------------------
def feed_files(output: Path, lang: str = "*") -> list[Path]:
    return sorted(output.glob(f"{lang}/feeds/**/*.xml"))


def read_feed(path: Path):
    return feedparser.parse(path.read_bytes())


def output_file(output: Path, url: str) -> Path:
    """The file in output/ that an absolute feed URL names."""
    assert url.startswith(BASE), url
    return output / unquote(url[len(BASE) :].split("#", 1)[0])


def entry_key(output: Path, entry) -> str:
    """``<key>`` of an entry linking ``<lang>/articles/<key>/index.html``."""
    return output_file(output, entry.link).parent.name


def sources(content: Path) -> dict[tuple[str, str], dict]:
    """(key, lang) → front matter, with date/category/authors taken from the original."""
    found = {}
    for path in sorted((content / "articles").rglob("*.md")):
        key, lang, _ = path.name.rsplit(".", 2)
        meta = parse_yaml(split_front_matter(path.read_text(encoding="utf-8"))[0])
        if meta.get("status") != "draft":
            found[(key, lang)] = dict(meta)
    for (key, _lang), meta in found.items():
        original = next(m for (k, _), m in found.items() if k == key and not m.get("translation"))
        for field in ("date", "category", "authors"):
            meta[field] = original.get(field)
    return found


def keys_in(output: Path, path: Path) -> set[str]:
    return {entry_key(output, entry) for entry in read_feed(path).entries}


# -- 1. every feed is valid, in its language, and links into output/ ------------------------
def test_every_feed_parses_in_its_language_and_its_links_resolve(any_site):
    output = any_site.output
    files = feed_files(output)
    for lang in LANGS:
        for name in ("all.atom.xml", "all.rss.xml", "articles.atom.xml", "articles.rss.xml"):
            assert (output / lang / "feeds" / name).exists()
    for path in files:
        raw = path.read_text(encoding="utf-8")
        data = read_feed(path)
        where = path.relative_to(output)
        assert data.bozo == 0, f"{where}: {data.get('bozo_exception')}"
        lang = where.parts[0]
        assert data.feed.language == lang, where
        assert data.version == ("atom10" if path.name.endswith(".atom.xml") else "rss20"), where
        assert data.feed.title and (data.feed.get("subtitle") or data.feed.get("description")), where
        self_links = [link.href for link in data.feed.links if link.rel == "self"]
        assert [output_file(output, url) for url in self_links] == [path], where
        assert output_file(output, data.feed.link).exists(), where
        if path.name.endswith(".rss.xml"):
            assert "<author>" not in raw, f"{where}: RSS <author> would be an e-mail address"
        else:
            assert "<email>" not in raw, where
        stamps = re.findall(r"<(?:updated|published)>([^<]+)<", raw) + re.findall(
            r"<(?:pubDate|lastBuildDate)>([^<]+)<", raw
        )
        assert stamps and all(re.search(r"(?:[+-]\d\d:?\d\d|Z)$", s) for s in stamps), where
        assert len(data.entries) <= 20, where
        ids = [entry.id for entry in data.entries]
        assert len(set(ids)) == len(ids) and all(i.startswith("tag:press.example.org,2025:") for i in ids)
        for entry in data.entries:
            target = output_file(output, entry.link)
            assert target.exists(), f"{where}: {entry.link}"
            assert target.relative_to(output).parts[0] == lang, f"{where}: {entry.link}"
            assert entry.get("content") and entry.get("summary") is not None, where
            assert not re.search(r'(?:href|src)="(?!https?:|mailto:)', entry.content[0].value), where


def test_relative_links_in_texts_become_absolute_and_authors_are_names(fixture_site):
    data = read_feed(fixture_site.output / "en/feeds/all.atom.xml")
    entry = next(e for e in data.entries if e.link.endswith("/wages-analysis/index.html"))
    assert f'href="{BASE}en/articles/water-report/index.html"' in entry.content[0].value
    assert [a.name for a in entry.authors] == ["Hana Karim", "Sara Aziz"]
    assert entry.published == "2025-02-01T00:00:00+03:00"
    assert entry.updated == "2025-02-03T09:00:00+03:00", "modified: is the entry's update"
    assert {t.term for t in entry.tags} == {"analysis", "wages", "tigris"}
    rss = read_feed(fixture_site.output / "ar/feeds/all.rss.xml")
    entry = next(e for e in rss.entries if e.link.endswith("/wages-analysis/index.html"))
    assert [a["name"] for a in entry.authors] == ["هناء كريم", "سارة عزيز"], "dc:creator, in Arabic"
    assert entry.id == "tag:press.example.org,2025:ar/article/wages-analysis"


# -- 2. Arabic and Kurdish round-trip exactly ---------------------------------------------------
def test_titles_round_trip_exactly_and_no_bidi_controls_are_added(any_site):
    output, found = any_site.output, sources(any_site.content)
    checked = 0
    for lang in ("ar", "ckb"):
        names = {"ar": "المنبر المفتوح", "ckb": "مینبەری کراوە"}
        for path in feed_files(output, lang):
            data = read_feed(path)
            assert data.feed.title.startswith(names[lang]), path
            for entry in data.entries:
                page = output_file(output, entry.link)
                assert entry.title == " ".join(parse(page).find(".//h1").text_content().split()), path
                source = found.get((entry_key(output, entry), lang))  # articles: also their file
                if "/articles/" in entry.link:
                    assert entry.title == str(source["title"]).strip(), path
                checked += 1
    assert checked
    if any_site.content != ROOT / "content":  # the fixture's sources have no bidi controls at all
        for path in feed_files(output):
            assert not BIDI_CONTROLS & set(path.read_text(encoding="utf-8")), path


# -- 3. a real feed reader ------------------------------------------------------------------------
def newsboat(folder: Path, *commands: str) -> str:
    executable = shutil.which("newsboat")
    if executable is None:
        pytest.fail("newsboat is not installed — apt-get install newsboat (python3 dev.py test does it)")
    env = {"HOME": str(folder), "XDG_CONFIG_HOME": str(folder), "XDG_DATA_HOME": str(folder)}
    env |= {"XDG_CACHE_HOME": str(folder), "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin", "TERM": "dumb"}
    args = ["-u", "urls", "-c", "cache.db", "-C", "config"]
    result = subprocess.run(
        [executable, *args, "-x", *commands], cwd=folder, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.mark.parametrize("name", ["ar/feeds/all.atom.xml", "ckb/feeds/all.rss.xml", "en/feeds/all.atom.xml"])
def test_newsboat_loads_the_feed_and_lists_every_entry(fixture_site, tmp_path, name):
    path = fixture_site.output / name
    (tmp_path / "urls").write_text(f"file://{path}\n", encoding="utf-8")
    (tmp_path / "config").write_text("", encoding="utf-8")
    newsboat(tmp_path, "reload")
    unread = newsboat(tmp_path, "print-unread")
    entries = read_feed(path).entries
    assert entries
    assert re.search(r"(\d+) unread articles?", unread).group(1) == str(len(entries)), unread
    with sqlite3.connect(tmp_path / "cache.db") as cache:
        stored = dict(cache.execute("SELECT guid, title FROM rss_item"))
    assert stored == {entry.id: entry.title for entry in entries}, "newsboat reads ids and titles as written"


# -- 4. reproducible, and ids independent of the address --------------------------------------------
def test_two_builds_give_byte_identical_feeds(fixture_site, tmp_path):
    again = build_site(fixture_site.content, tmp_path / "elsewhere" / "public")
    first = {p.relative_to(fixture_site.output): p.read_bytes() for p in feed_files(fixture_site.output)}
    second = {p.relative_to(again): p.read_bytes() for p in feed_files(again)}
    assert first.keys() == second.keys() and len(first) > 20
    assert [name for name in first if first[name] != second[name]] == []


def settings_file(folder: Path, extra: str) -> Path:
    """pelicanconf.py plus ``extra`` lines, in another folder."""
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


def test_ids_stay_the_same_when_the_site_moves(fixture_site, tmp_path):
    settings = settings_file(tmp_path, 'SITEURL = "https://mirror.example.net/press"\n')
    moved = build_site(fixture_site.content, tmp_path / "output", settings=settings)
    for path in feed_files(fixture_site.output):
        here, there = read_feed(path), read_feed(moved / path.relative_to(fixture_site.output))
        assert there.feed.get("id") == here.feed.get("id")  # Atom only
        assert [e.id for e in there.entries] == [e.id for e in here.entries]
        assert all(e.link.startswith("https://mirror.example.net/press/") for e in there.entries)
        self_link = next(link.href for link in there.feed.links if link.rel == "self")
        assert self_link.startswith("https://mirror.example.net/press/")


def test_a_bad_feed_setting_stops_the_build_with_its_line(fixture_site, tmp_path):
    settings = settings_file(tmp_path, 'FEED_ID_AUTHORITY = "https://press.example.org"\n')
    output = tmp_path / "out"
    result = run_build("--settings", settings, "--content", fixture_site.content, "--output", output)
    assert result.returncode == 1 and not output.exists()
    problem = "settings.py:6: FEED_ID_AUTHORITY 'https://press.example.org' is not a tag: URI authority — "
    assert problem in result.stderr


SECTION_PLUGIN = """
from pelican import signals

from press_feeds import add_section_feed


class NotesGenerator:
    def __init__(self, context, *args, **kwargs):
        self.context = context

    def generate_context(self):
        graph = self.context["press_content"]
        add_section_feed(
            self.context, "notes", "Articles", lambda lang: [v for v in graph.versions(lang) if v.tags]
        )


def get_generators(pelican):
    return NotesGenerator


def register():
    signals.get_generators.connect(get_generators)
"""


def test_a_section_adds_its_feed_with_one_call(fixture_site, tmp_path):
    (tmp_path / "notes_section.py").write_text(SECTION_PLUGIN, encoding="utf-8")
    plugins = 'PLUGINS = [p for p in PLUGINS if p != "press_feeds"]\n'
    plugins += 'PLUGINS[PLUGINS.index("press_render"):0] = ["notes_section", "press_feeds"]\n'
    output = build_site(fixture_site.content, tmp_path / "output", settings=settings_file(tmp_path, plugins))
    found = sources(fixture_site.content)
    for lang in LANGS:
        wanted = {key for (key, code), meta in found.items() if code == lang and meta.get("tags")}
        notes = output / lang / "feeds/notes.atom.xml"
        assert keys_in(output, notes) == wanted and (wanted or lang == "ckb"), lang  # no ckb text has tags
        assert read_feed(notes).feed.id == f"tag:press.example.org,2025:{lang}/feeds/notes"
        everything = output / lang / "feeds/all.atom.xml"
        assert everything.read_bytes() == (fixture_site.output / lang / "feeds/all.atom.xml").read_bytes()
        directory = parse(output / lang / "feeds/index.html")
        assert directory.xpath('//a[@href="../../' + lang + '/feeds/notes.atom.xml"]'), lang
    assert read_feed(output / "ar/feeds/notes.atom.xml").feed.title == "المنبر المفتوح: المقالات"


# -- 5. each feed holds exactly its texts ---------------------------------------------------------
def test_language_category_tag_and_author_feeds_hold_exactly_their_texts(fixture_site):
    output, found = fixture_site.output, sources(fixture_site.content)
    for lang in LANGS:
        mine = {key: meta for (key, code), meta in found.items() if code == lang}
        feeds = output / lang / "feeds"
        for kind in ("atom", "rss"):
            assert keys_in(output, feeds / f"all.{kind}.xml") == set(mine)
            assert keys_in(output, feeds / f"articles.{kind}.xml") == set(mine)
            for category in ("news", "analysis"):
                wanted = {k for k, m in mine.items() if m["category"] == category}
                path = feeds / f"categories/{category}.{kind}.xml"
                assert keys_in(output, path) == wanted, (lang, category)
            tags = {tag_slug(str(t)): str(t) for m in mine.values() for t in m.get("tags") or []}
            assert {p.name.split(".")[0] for p in (feeds / "tags").glob(f"*.{kind}.xml")} == set(tags)
            for slug, label in tags.items():
                wanted = {k for k, m in mine.items() if label in map(str, m.get("tags") or [])}
                assert keys_in(output, feeds / f"tags/{slug}.{kind}.xml") == wanted, (lang, label)
            for person in ("sara-aziz", "hana-karim"):
                wanted = {k for k, m in mine.items() if person in (m["authors"] or [])}
                path = feeds / f"authors/{person}.{kind}.xml"
                assert (keys_in(output, path) if path.exists() else set()) == wanted, (lang, person)
    newest_first = [entry_key(output, e) for e in read_feed(output / "ar/feeds/all.atom.xml").entries]
    assert newest_first == ["basra-strike", "port-workers", "wages-analysis", "water-report"], (
        "by date, then key for the two texts of the same minute"
    )


# -- 6. pages advertise feeds that exist ----------------------------------------------------------
def test_feeds_page_lists_every_feed_and_every_advertised_feed_exists(any_site):
    output = any_site.output
    for lang in LANGS:
        page_path = output / lang / "feeds/index.html"
        page = parse(page_path)
        linked = {resolve(page_path, a.get("href")) for a in page.xpath("//main//a[@type]")}
        shown = {output_file(output, code.text_content()) for code in page.xpath("//main//code")}
        existing = {p.resolve() for p in feed_files(output, lang)}
        assert linked == existing and {p.resolve() for p in shown} == existing, lang
    listings = 0
    for path in html_files(output):
        page = parse(path)
        lang = page.get("lang")
        if path.parent == output or lang not in LANGS:
            continue
        feeds = [resolve(path, link.get("href")) for link in page.xpath(ATOM_XPATH)]
        assert all(feed.exists() for feed in feeds), path
        if not page.xpath('//meta[@name="robots"]'):
            assert (output / lang / "feeds/all.atom.xml").resolve() in feeds, f"{path}: no all-content feed"
        footer = [resolve(path, a.get("href")) for a in page.xpath('//footer[@class="colophon"]//a')]
        assert (output / lang / "feeds/index.html").resolve() in footer, path
        relative = path.relative_to(output / lang).as_posix()
        if relative == "index.html" or re.match(r"(categories|tags|authors)/[^/]+/index\.html$", relative):
            anchors = page.xpath('//main//a[@type="application/atom+xml"]')
            visible = [resolve(path, a.get("href")) for a in anchors]
            assert visible and all(feed in feeds and feed.exists() for feed in visible), path
            assert page.xpath('//main//svg[@aria-hidden="true"]'), path
            listings += 1
    assert listings >= 3 * len(LANGS)


def test_feeds_never_touch_the_process_locale(minimal_content, tmp_path, monkeypatch):
    """feedgen's RSS dates and Pelican's LOCALE would call locale.setlocale; the press avoids both."""
    import locale

    from press_core.build import build

    calls = []
    real = locale.setlocale
    monkeypatch.setattr(locale, "setlocale", lambda *args: calls.append(args) or real(*args))
    assert build(ROOT / "pelicanconf.py", tmp_path / "out", minimal_content) == 0
    assert (tmp_path / "out/en/feeds/all.rss.xml").exists()
    assert [args for args in calls if len(args) > 1] == [], "only queries, never a change of locale"
