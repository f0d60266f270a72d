"""The sanitiser: one allow-list, no executable construct out of any input, embeds become links.

A property test (hypothesis) feeds random text and generated HTML-ish fragments through every
helper that turns contributed text into HTML and parses the result: no script, no event handler,
no javascript:/vbscript:/data: URL, no style, nothing outside the allow-list.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from press_core import markup
from press_core.markup import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_CLASSES,
    ALLOWED_TAGS,
    has_embed_link,
    plain_inline,
    render_inline,
    render_markdown,
    sanitize,
)

BAD_SCHEME = re.compile(r"^(?:javascript|vbscript|data|livescript):", re.IGNORECASE)
URL_ATTRIBUTES = {"href", "src", "cite", "action", "formaction", "data", "background", "poster", "srcset"}


class Collect(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.raw_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def constructs(html: str) -> list[str]:
    """Everything in ``html`` outside the allow-list or able to run script or load something."""
    parser = Collect()
    parser.feed(html)
    parser.close()
    found = []
    for tag, attrs in parser.tags:
        if tag not in ALLOWED_TAGS:
            found.append(f"<{tag}>")
        allowed = ALLOWED_ATTRIBUTES.get("*", set()) | ALLOWED_ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") or name == "style":
                found.append(f"<{tag} {name}>")
            elif name == "class":
                if not set(value.split()) <= ALLOWED_CLASSES.get(tag, set()):
                    found.append(f"<{tag} class={value!r}>")
            elif name not in allowed and name != "rel":
                found.append(f"<{tag} {name}>")
            if name in URL_ATTRIBUTES and BAD_SCHEME.match(re.sub(r"[\x00-\x20\x7f]+", "", value)):
                found.append(f"<{tag} {name}={value!r}>")
    return found


# Pieces of markup that attacks are made of; hypothesis strings them together with random text.
FRAGMENTS = [
    "<script>", "</script>", "<SCRIPT SRC=//xss.invalid/x.js>", "<img", "<IMG", " src=", " SRC=", " onerror=",
    " onload=", " onmouseover=", "alert(1)", "javascript:", "JaVaScRiPt:", "jav\tascript:", "vbscript:",
    "data:text/html,", "&#106;", "&#x6A;", "&#0000106", "&colon;", "<a href=", "<a", "</a>", '"', "'", "`",
    ">", "<", "/", "=", "<svg", "<svg/onload=alert(1)>", "<math>", "<iframe src=", "<object data=", "<embed",
    "<form action=", "<style>", "@import", "expression(", "url(", "style=", "<!--", "-->", "<![CDATA[", "]]>",
    "<base href=", "<meta http-equiv=refresh content=", "<details open ontoggle=", "<template>", "<noscript>",
    "<textarea>", "<title>", "<bdi dir=rtl>", " dir=", " lang=", " class=", "{: onclick=alert(1)}",
    "[x](", "](javascript:alert(1))", "![y](", ")", "\n\n", "\n", "    ", "\0", "\u202e", "<p", "<table>",
    "<td style=", "<div class=footnote>", "<a class=skip ", "<input onfocus=", "<video src=", "<audio src=",
    "https://www.youtube.com/embed/abc", "http://xss.invalid/", "//xss.invalid", "<br/>",
]  # fmt: skip
TEXT = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=24).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, st.booleans())
def test_no_executable_construct_from_any_text(text, rtl):
    for helper, html in (
        ("render_markdown", render_markdown(text, rtl)),
        ("render_inline", render_inline(text, rtl)),
        ("sanitize", sanitize(text)),
    ):
        assert not constructs(html), (helper, text, html)
    plain = plain_inline(text, rtl)
    parser = Collect()
    parser.feed(plain)
    assert {tag for tag, _ in parser.tags} <= {"bdi"}, (text, plain)
    assert all(not attrs for _, attrs in parser.tags), (text, plain)


def test_allowed_constructs_survive():
    html = render_markdown(
        "## Heading\n\n* one\n* two\n\n| a | b |\n|:-:|--:|\n| 1 | 2 |\n\n"
        'Text[^1] <bdi dir="rtl" lang="ar">عربي</bdi> [link](https://example.org/)\n\n[^1]: A note.',
        rtl=False,
    )
    for fragment in ('<h2 id="heading">', "<ul>", "<table>", '<sup id="fnref:1">', 'class="footnote"',
                     '<bdi dir="rtl" lang="ar">', 'href="https://example.org/"'):  # fmt: skip
        assert fragment in html, (fragment, html)
    assert "style=" not in html  # table alignment is dropped with every style attribute


def test_style_and_foreign_classes_are_removed():
    html = sanitize('<p style="background:url(http://xss.invalid/)" class="skip masthead">x</p>')
    assert html == "<p>x</p>", html


def test_video_embeds_become_outbound_links():
    html = render_markdown(
        'Watch <iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=3"></iframe> now.\n\n'
        '<iframe width="640" src="https://player.vimeo.com/video/76979871"></iframe>\n\n'
        '<iframe src="javascript:alert(1)"></iframe>',
        rtl=False,
    )
    assert "<iframe" not in html
    assert 'href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"' in html
    assert 'href="https://vimeo.com/76979871"' in html
    assert "javascript" not in html
    assert has_embed_link(html) and html.count('class="embed-link"') == 2


def test_allow_list_is_documented():
    """docs/SAFETY.md names every allowed tag and attribute: the one list editors read."""
    doc = (ROOT / "docs" / "SAFETY.md").read_text(encoding="utf-8")
    for tag in ALLOWED_TAGS:
        assert f"`{tag}`" in doc, tag
    for attributes in ALLOWED_ATTRIBUTES.values():
        for name in attributes:
            assert f"`{name}`" in doc, name
    for scheme in markup.URL_SCHEMES:
        assert f"`{scheme}:`" in doc, scheme


# What templates may mark ``| safe``: fields the markup helpers (render_markdown, render_inline,
# plain_inline) made, by their name.  A new one ends in ``_html`` or is added here with the plugin
# that makes it; the XSS table (tests/safety_support.py FIELDS) should then cover the field.
SAFE_FIELDS = {
    "body", "summary", "note",  # press_core.reading: articles, pages, corrections
    "html",  # press_congress: motion and minutes text (render/plain_inline)
    "description", "minutes", "minutes_preamble",  # press_blocs, press_congress (render_markdown)
    "bloc_name",  # press_congress: a bloc's name_html
    "svg",  # press_finance: charts drawn by the plugin, labels escaped there
}  # fmt: skip


def test_templates_mark_safe_only_sanitised_fields():
    """``| safe`` only on ``…_html`` fields or the reviewed names of ``SAFE_FIELDS``.

    Everything else a template prints (labels, names, tags) is escaped by Jinja's autoescape.
    """
    found = []
    for template in sorted((ROOT / "theme" / "templates").glob("*.html")):
        text = template.read_text(encoding="utf-8")
        for expression in re.findall(r"\{\{\s*([^{}|]+?)\s*\|\s*safe\s*\}\}", text):
            names = re.findall(r"[A-Za-z_]\w*", re.sub(r"\(.*?\)|\[.*?\]", "", expression))
            field = names[-1] if names else ""
            if not (field.endswith("_html") or field in SAFE_FIELDS):
                found.append(f"{template.name}: {expression.strip()} | safe")
    assert not found, found
