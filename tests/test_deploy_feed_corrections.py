"""Corrections in feeds (issues 6 and 9): a text's `corrections:` head its Atom and RSS entries too.

A reader who follows the press in a feed reader must see a correction as a reader of the page
does: the notice (heading in the feed's language, dates in its digits, the note as written) at
the top of the entry's content, and the entry's updated date moved to the latest correction.
"""

from __future__ import annotations

import shutil

import feedparser
import pytest
from conftest import FIXTURES, build_site
from lxml import html as lxml_html

ARTICLE = "articles/water-report.en.md"
CORRECTIONS_EN = (
    "corrections:\n"
    "  - date: 2025-01-20\n"
    "    note: The basin was misnamed.\n"
    "  - date: 2025-02-03\n"
    "    note: An earlier version gave the wrong *year* for the report.\n"
)
CORRECTION_AR = "corrections:\n  - date: 2025-02-03\n    note: ذكرت نسخة سابقة سنة خاطئة للتقرير.\n"
EASTERN_DIGITS = set("٠١٢٣٤٥٦٧٨٩")


def add_front_matter(content, relative: str, text: str) -> None:
    path = content / relative
    source = path.read_text(encoding="utf-8")
    end = source.index("\n---", 3) + 1
    path.write_text(source[:end] + text + source[end:], encoding="utf-8")


@pytest.fixture(scope="module")
def corrected(tmp_path_factory):
    content = tmp_path_factory.mktemp("corrected") / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    add_front_matter(content, ARTICLE, CORRECTIONS_EN)
    add_front_matter(content, "articles/water-report.ar.md", CORRECTION_AR)
    return build_site(content, content.parent / "output")


def entry_of(output, feed: str, key: str):
    parsed = feedparser.parse((output / feed).read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    found = [e for e in parsed.entries if e.link.endswith(f"/articles/{key}/index.html")]
    assert len(found) == 1, [e.link for e in parsed.entries]
    return found[0]


@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_an_english_entry_starts_with_its_corrections(corrected, kind):
    entry = entry_of(corrected, f"en/feeds/all.{kind}.xml", "water-report")
    content = entry.content[0].value
    body = lxml_html.fragment_fromstring(content, create_parent="div")
    notice = body[0]
    assert notice.tag == "aside" and notice.get("class") == "corrections"
    assert notice.xpath("string(p)") == "Corrections"
    items = notice.xpath(".//li")
    assert [li.xpath("string(time/@datetime)")[:10] for li in items] == ["2025-01-20", "2025-02-03"]
    assert items[0].text_content() == "January 20, 2025: The basin was misnamed."
    assert items[1].xpath(".//em") and "wrong year" in items[1].text_content()
    assert body[1].text_content() == "The committee published its water report for 2025.", "then the text"
    if kind == "atom":
        assert entry.updated.startswith("2025-02-03"), "updated: the latest correction"


def test_an_arabic_entry_says_correction_in_arabic_with_arabic_digits(corrected):
    entry = entry_of(corrected, "ar/feeds/all.atom.xml", "water-report")
    notice = lxml_html.fragment_fromstring(entry.content[0].value, create_parent="div")[0]
    assert notice.xpath("string(p)") == "تصحيح"
    shown = notice.xpath("string(.//time)")
    assert EASTERN_DIGITS & set(shown) and not any(c.isascii() and c.isdigit() for c in shown), shown
    assert "سنة خاطئة" in notice.text_content()


def test_entries_without_corrections_have_no_notice(corrected):
    kurdish = entry_of(corrected, "ckb/feeds/all.atom.xml", "water-report")
    assert "corrections" not in kurdish.content[0].value, "a translation without corrections: shows none"
    for entry in feedparser.parse((corrected / "en/feeds/all.atom.xml").read_bytes()).entries:
        if not entry.link.endswith("/articles/water-report/index.html"):
            assert 'class="corrections"' not in entry.content[0].value, entry.link
