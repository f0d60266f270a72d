"""Every XSS payload in every text field builds, and no page, feed or index carries an executable construct.

The site is tests/safety_support.py's: each payload of tests/fixtures/safety_xss/payloads.txt in the
Markdown body, title, summary, tags, correction note, author name and category label of one
article (English original, Arabic translation).  This file reads the output with parsers;
tests/browser/test_xss.py loads the same site in Chromium.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from conftest import parse, run_build
from lxml import etree
from lxml import html as lxml_html
from safety_support import FIELDS, build_xss_site, payloads, quick_settings, write_content

# (the theme's own inline SVG icons are fine: an SVG can only run script through <script>, on*
# attributes or javascript: links, which are checked everywhere)
FORBIDDEN_TAGS = {
    "iframe", "object", "embed", "frame", "frameset", "base", "style", "math", "template", "applet",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "background", "poster", "xlink:href", "cite"}
BAD_SCHEME = re.compile(r"^(?:javascript|vbscript|data|livescript|mocha):", re.IGNORECASE)


@pytest.fixture(scope="module")
def xss_site(tmp_path_factory):
    return build_xss_site(tmp_path_factory.mktemp("xss"))


def squeeze(url: str) -> str:
    """A URL as browsers read it: ASCII whitespace and control characters inside are ignored."""
    return re.sub(r"[\x00-\x20\x7f]+", "", url)


class Tokens(HTMLParser):
    """Start tags and attributes as Python's HTML5-style tokenizer sees them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def executable_constructs(markup: str, where: str) -> list[str]:
    """What in ``markup`` could run script, load from elsewhere or restyle the page."""
    found = []
    tokens = Tokens()
    tokens.feed(markup)
    tokens.close()
    for tag, attrs in tokens.tags:
        names = {name for name, _ in attrs}
        if tag in FORBIDDEN_TAGS:
            found.append(f"{where}: <{tag}>")
        if tag == "script" and "src" not in names:
            found.append(f"{where}: inline <script>")
        if tag == "meta" and any(n == "http-equiv" and (v or "").lower() == "refresh" for n, v in attrs):
            found.append(f"{where}: <meta http-equiv=refresh>")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                found.append(f"{where}: <{tag} {name}=…>")
            if name == "style":
                found.append(f"{where}: <{tag} style={value!r}>")
            if name in URL_ATTRIBUTES or name == "srcset":
                if BAD_SCHEME.match(squeeze(value)):
                    found.append(f"{where}: <{tag} {name}={value!r}>")
                if tag != "a" and (urlsplit(squeeze(value)).netloc or squeeze(value).startswith("//")):
                    found.append(f"{where}: <{tag} {name}={value!r}> loads from another host")
            if tag == "script" and name == "src" and urlsplit(value).netloc:
                found.append(f"{where}: script from {value}")
            if tag == "link" and name == "href" and urlsplit(value).netloc:
                found.append(f"{where}: <link> to {value}")
    return found


def test_enough_payloads_in_every_field():
    assert len(payloads()) >= 50
    assert set(FIELDS) >= {
        "markdown body", "title", "summary", "tags", "correction note", "people names", "category labels"
    }  # fmt: skip


def test_payload_site_builds_and_shows_every_payload_article(xss_site):
    for number in range(1, len(payloads()) + 1):
        for lang in ("en", "ar"):
            page = xss_site / lang / "articles" / f"payload-{number:03d}" / "index.html"
            assert page.is_file(), page
            tree = parse(page)
            assert tree.xpath("//h1")[0].text_content().startswith(f"Payload {number} "), page


def test_no_page_holds_an_executable_construct(xss_site):
    pages = sorted(xss_site.rglob("*.html"))
    assert len(pages) > 500
    problems = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        problems += executable_constructs(text, page.relative_to(xss_site).as_posix())
        for element in lxml_html.fromstring(text.encode()).iter():
            if not isinstance(element.tag, str):
                continue
            for name, value in element.attrib.items():
                assert not name.lower().startswith("on"), f"{page}: {element.tag} {name}"
                if name in URL_ATTRIBUTES:
                    assert not BAD_SCHEME.match(squeeze(value)), f"{page}: {element.tag} {name}={value}"
    assert not problems, "\n".join(problems[:40])


def test_payload_text_is_shown_as_text(xss_site):
    """The sanitiser removes constructs, the templates escape plain text: a title stays readable."""
    page = parse(xss_site / "en" / "articles" / "payload-001" / "index.html")
    assert page.xpath("//h1")[0].text_content() == "Payload 1 <script>alert('XSS')</script>"
    assert "<script>alert('XSS')</script>" in page.xpath("//title")[0].text_content()
    tags = page.xpath("//p[@class='tags']//a")
    assert "<script>alert('XSS')</script>" in [tag.text_content() for tag in tags]


def test_feeds_carry_no_executable_construct(xss_site):
    """HTML in feeds (Atom content/summary of type html; an RSS item's description) is sanitised;
    plain-text fields (Atom titles of type text, RSS titles, a channel's description) are text by
    definition: a reader that shows them as HTML is broken (feedgen escapes them)."""
    feeds = sorted(xss_site.rglob("*.xml"))
    assert any("feeds" in feed.parts for feed in feeds)
    site = "http://localhost:8000/"  # FEED_SITEURL: feeds link the site absolutely
    problems = []
    for feed in feeds:
        for element in etree.parse(str(feed)).iter():
            if not isinstance(element.tag, str) or not element.text:
                continue
            name = etree.QName(element).localname
            parent = element.getparent()
            in_item = parent is not None and etree.QName(parent).localname == "item"
            is_html = (name == "description" and in_item) or element.get("type") in ("html", "xhtml")
            if is_html or (name in ("content", "summary") and element.get("type") != "text"):
                found = executable_constructs(element.text.replace(site, "/"), f"{feed.name} <{name}>")
                problems += found
    assert not problems, "\n".join(problems[:40])


def test_search_index_holds_titles_as_json_text(xss_site):
    """The index is data in classic scripts: a title is a JSON string, never markup."""
    title = "Payload 1 <script>alert('XSS')</script>"
    forms = {
        json.dumps(title, ensure_ascii=False),
        json.dumps(title),
        json.dumps(title).replace("<", "\\u003c"),
    }
    scripts = [path.read_text(encoding="utf-8") for path in (xss_site / "en" / "search").rglob("*.js")]
    assert scripts
    assert any(form in text for form in forms for text in scripts)


def test_refused_payloads_stop_the_build_with_their_line(tmp_path):
    refused = payloads(refused=True)
    assert refused
    content = tmp_path / "content"
    keys = write_content(content, refused)
    result = run_build(
        "--settings", quick_settings(tmp_path), "--content", content, "--output", tmp_path / "output"
    )
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    for key in keys:
        source = (content / "articles" / f"{key}.en.md").read_text(encoding="utf-8").splitlines()
        body_line = next(n for n, line in enumerate(source, start=1) if line.startswith("Before the payload"))
        found = re.search(
            rf"content/articles/{key}\.en\.md:(\d+): image .* is not a file in content/ — add the image",
            result.stderr,
        )
        assert found and body_line <= int(found.group(1)) <= body_line + 4, result.stderr
    assert not (tmp_path / "output").exists()
