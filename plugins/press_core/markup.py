"""Markdown to safe HTML, with Latin runs isolated inside right-to-left text.

* Markdown: python-markdown with ``extra`` (tables, footnotes, attribute lists)
  and ``toc`` with Unicode anchors, so Arabic and Kurdish headings get readable ids.
* Sanitising: nh3 (ammonia) with ONE allow-list (:data:`ALLOWED_TAGS`,
  :data:`ALLOWED_ATTRIBUTES`, :data:`ALLOWED_CLASSES`, :data:`URL_SCHEMES`; see
  docs/SAFETY.md) — every contributed text passes through it before a template,
  feed or search index sees it.  Everything else is removed: scripts, event
  handlers, ``style`` attributes and elements, ``javascript:``/``data:``/``vbscript:``
  URLs, forms, SVG and MathML, ``<iframe>``/``<object>``/``<embed>``.
  :func:`render_markdown`, :func:`render_inline` and :func:`plain_inline` are the
  only ways contributed text becomes HTML; every other field is plain text that
  the templates escape.
* Embedded players (``<iframe>``, ``<embed>``, ``<object>``, ``<video>``,
  ``<audio>`` from another host) become a plain outbound link
  (``<a class="embed-link">``), so no page ever loads a video platform; the
  templates add a privacy note beside such links.
* Bidi isolation: written here because no library does it.  In ar/ckb text a
  Latin name, URL or number such as "Rosa Luxemburg", "https://example.org" or
  "14.5%" is wrapped in ``<bdi>`` so the Unicode bidi algorithm cannot reorder
  the surrounding sentence.  Code, existing ``<bdi>``/``dir=`` spans and links'
  URLs are left alone.
* Speed: Python-Markdown tries each of its inline patterns on every text node, about 40 %
  of converting a page of plain paragraphs.  :class:`PlainTextInline` hands a text node on
  unchanged when it holds none of the characters an inline pattern needs (the ones registered
  for our extensions, checked against :data:`INLINE_TRIGGERS` when the converter is made):
  the same HTML, sooner.  Python-Markdown has no such switch, hence the subclass.
"""

from __future__ import annotations

import hashlib
import html
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import InlineProcessor, Treeprocessor

from .cachestore import CacheStore

# --- the allow-list (docs/SAFETY.md describes it; nothing else survives sanitising) -----------------
ALLOWED_TAGS = {
    # text structure: headings (h1 is the page's own title), paragraphs, lists, quotes
    "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote", "ol", "ul", "li", "dl", "dt", "dd",
    "div", "details", "summary", "figure", "figcaption", "pre",
    # tables
    "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
    # inline text; bdi/bdo and dir/lang (below) isolate mixed-direction passages
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "del", "dfn", "em", "i", "ins", "kbd", "mark", "q",
    "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
    # images: only files of the site itself (remote ones are refused; press_images rewrites them)
    "img",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"dir", "lang", "id", "title"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start", "reversed"},
    "time": {"datetime"},
}
# ``class`` only with these values: the footnotes python-markdown writes and the embed links below.
ALLOWED_CLASSES = {
    "a": {"footnote-ref", "footnote-backref", "embed-link"},
    "div": {"footnote"},
}
URL_SCHEMES = {"http", "https", "mailto"}  # plus relative URLs; never javascript:, data:, vbscript:
EMBED_CLASS = "embed-link"

_PLACEHOLDER = re.compile("(\x02[^\x03]*\x03)")
_LATIN = r"A-Za-z0-9\u00C0-\u024F"
_LTR_RUN = re.compile(rf"[{_LATIN}](?:[{_LATIN}.,:/@_\-+%&'#?=~]|\s(?=[{_LATIN}]))*")
_TRAILING_PUNCTUATION = ".,:-"
_SKIP_TAGS = {"code", "pre", "bdi", "bdo", "kbd", "samp", "script", "style", "math"}


def _isolate(text: str) -> list[str | ET.Element]:
    """Split text into plain strings and ``<bdi>`` elements for each Latin run."""
    pieces: list[str | ET.Element] = []
    for segment in _PLACEHOLDER.split(text):
        if segment.startswith("\x02"):
            pieces.append(segment)
            continue
        position = 0
        for match in _LTR_RUN.finditer(segment):
            run = match.group().rstrip(_TRAILING_PUNCTUATION)
            pieces.append(segment[position : match.start()])
            element = ET.Element("bdi")
            element.text = run
            pieces.append(element)
            position = match.start() + len(run)
        pieces.append(segment[position:])
    return pieces


def _attach(parent: ET.Element, index: int, pieces, set_leading) -> int:
    """Put ``pieces`` at ``index`` in ``parent``; ``set_leading`` receives the first string."""
    leading: list[str] = []
    last: ET.Element | None = None
    for piece in pieces:
        if isinstance(piece, str):
            if last is None:
                leading.append(piece)
            else:
                last.tail = (last.tail or "") + piece
        else:
            piece.tail = ""
            parent.insert(index, piece)
            index += 1
            last = piece
    set_leading("".join(leading))
    return index


class BidiIsolation(Treeprocessor):
    def run(self, root: ET.Element) -> None:
        self._walk(root)

    def _walk(self, element: ET.Element) -> None:
        if element.tag in _SKIP_TAGS or "dir" in element.attrib:
            return
        children = list(element)
        if element.text and _LTR_RUN.search(element.text):
            _attach(element, 0, _isolate(element.text), lambda s: setattr(element, "text", s))
        for child in children:
            self._walk(child)
            if child.tail and _LTR_RUN.search(child.tail):
                position = list(element).index(child) + 1
                _attach(element, position, _isolate(child.tail), lambda s, c=child: setattr(c, "tail", s))


class BidiExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 - python-markdown API name
        # After inline patterns (20) and prettify (10), before unescape (0).
        md.treeprocessors.register(BidiIsolation(md), "bidi_isolation", 5)


# The inline patterns of python-markdown with our extensions, as registered (name -> regex), and
# (INLINE_TRIGGERS) what a text needs for any of them to match: each one begins with one of
# these characters, or (linebreak) is two spaces before a newline.
INLINE_PATTERNS = {
    "backtick": r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)",
    "escape": r"\\(.)",
    "footnote": r"\[\^([^\]]*)\]",
    "reference": r"(?<!\!)\[",
    "link": r"(?<!\!)\[",
    "image_link": r"\!\[",
    "image_reference": r"\!\[",
    "short_reference": r"(?<!\!)\[",
    "short_image_ref": r"\!\[",
    "autolink": r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>",
    "automail": r"<([^<> !]+@[^@<> ]+)>",
    "linebreak": r"  \n",
    "html": (
        r"""(<(\/?+[a-zA-Z][^\s"'<>@]*+(?:\s+[^\s"'=<>]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s"'=<>]++))?+)*+"""
        r"""\s*+/?|!--(?:(?!<!--|-->).)*--|[?](?:(?!<[?]|[?]>).)*[?]|!\[CDATA\[(?:(?!<!\[CDATA\[|\]\]>).)*\]\])>)"""
    ),
    "entity": r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)",
    "em_strong": r"\*|_",
}
INLINE_TRIGGERS = re.compile(r"[`\\\[<&*_]|  \n")


class PlainTextInline(InlineProcessor):
    """Python-Markdown's inline step, which leaves a text that no inline pattern can match as it is
    without trying each pattern on it.  Used only while the registered patterns are the ones in
    :data:`INLINE_PATTERNS` (:func:`known_inline_patterns`); otherwise every text is tried."""

    def __init__(self, md: markdown.Markdown):
        super().__init__(md)
        self.skip_plain = known_inline_patterns(md)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        if self.skip_plain and INLINE_TRIGGERS.search(data) is None:
            return data
        return super()._InlineProcessor__handleInline(data, patternIndex)


def known_inline_patterns(md: markdown.Markdown) -> bool:
    """True if ``md``'s inline patterns are exactly those :data:`INLINE_TRIGGERS` was derived from."""
    registered = {name: item.pattern for name, item in md.inlinePatterns._data.items()}  # pinned markdown
    return registered == INLINE_PATTERNS


def _new_markdown(rtl: bool) -> markdown.Markdown:
    extensions = [
        "extra",
        "sane_lists",
        markdown.extensions.toc.TocExtension(slugify=slugify_unicode, permalink=False),
    ]
    if rtl:
        extensions.append(BidiExtension())
    md = markdown.Markdown(extensions=extensions, output_format="html")
    md.treeprocessors.register(PlainTextInline(md), "inline", 20)  # in place of Markdown's own
    return md


_RENDERERS: dict[bool, markdown.Markdown] = {}


def sanitize(html: str) -> str:
    """Keep only the allow-list; everything else is removed (text of unknown tags stays)."""
    return _CLEANER.clean(html)


# The allow-list as one nh3 cleaner, made once (nh3.clean with keywords builds one per call).
_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags={"script", "style", "template", "noscript", "svg", "math", "iframe", "object"},
    attributes=ALLOWED_ATTRIBUTES,
    allowed_classes=ALLOWED_CLASSES,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer",
)


_EMBED = re.compile(
    r"<(iframe|embed|object|video|audio)\b([^>]*)>(?:.*?</\1\s*>)?", re.IGNORECASE | re.DOTALL
)
_EMBED_SOURCE = re.compile(r"""\b(?:src|data)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
# Player addresses → the platform's ordinary page for the same video.
_PLAYER_PAGES = (
    (re.compile(r"^https?://(?:www\.)?youtube(?:-nocookie)?\.com/embed/([\w-]+)"), "https://www.youtube.com/watch?v={}"),
    (re.compile(r"^https?://player\.vimeo\.com/video/(\d+)"), "https://vimeo.com/{}"),
    (re.compile(r"^https?://(?:www\.)?dailymotion\.com/embed/video/(\w+)"), "https://www.dailymotion.com/video/{}"),
)  # fmt: skip


def outbound_page(url: str) -> str:
    """The ordinary web page for an embedded player's address (or the address itself)."""
    for pattern, page in _PLAYER_PAGES:
        match = pattern.match(url)
        if match:
            return page.format(match.group(1))
    return url


def _embeds_to_links(raw: str) -> str:
    """``<iframe src=…>`` and other players from another host → a plain outbound link.

    Only the address is taken from the contributed tag; the link is built here and
    then sanitised like everything else, so a ``javascript:`` address still goes.
    """

    def link(match: re.Match) -> str:
        found = _EMBED_SOURCE.search(match.group(2))
        url = html.unescape(next((g for g in found.groups() if g is not None), "")) if found else ""
        if not re.match(r"^https?://", url.strip(), re.IGNORECASE):
            return ""
        page = outbound_page(url.strip())
        shown = re.sub(r"^https?://(?:www\.)?", "", page)
        return f'<a class="{EMBED_CLASS}" href="{html.escape(page)}"><bdi>{html.escape(shown)}</bdi></a>'

    return _EMBED.sub(link, raw)


def has_embed_link(html_text: str) -> bool:
    """True when sanitised HTML holds an outbound link made from an embedded player."""
    return f'class="{EMBED_CLASS}"' in html_text


def render_markdown(text: str | bytes, rtl: bool) -> str:
    """Markdown (str, or UTF-8 bytes) → sanitised HTML (with bidi isolation when ``rtl``)."""
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    md = _RENDERERS.get(rtl)
    if md is None:
        md = _RENDERERS[rtl] = _new_markdown(rtl)
    html = md.reset().convert(text)
    return sanitize(_embeds_to_links(html))


def render_inline(text: str, rtl: bool) -> str:
    """A one-line field (title, summary) as sanitised inline HTML without the <p>."""
    html = render_markdown(text, rtl)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html


_REMOTE_RESOURCE = re.compile(r"""<img\b[^>]*\bsrc=["']?(?:[a-z][a-z0-9+.-]*:|//)""", re.IGNORECASE)


_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)


def first_paragraph(html: str) -> str:
    """The inner HTML of the first ``<p>`` of sanitised HTML (the default summary), or ""."""
    match = _PARAGRAPH.search(html)
    return match.group(1) if match else ""


def has_remote_resource(html: str) -> bool:
    """True when sanitised HTML still embeds an image from another host."""
    return bool(_REMOTE_RESOURCE.search(html))


def plain_inline(text: str, rtl: bool) -> str:
    """Plain text (a title) as HTML: escaped, with Latin runs isolated when ``rtl``."""
    if not rtl:
        return html.escape(text, quote=False)
    parts = []
    for piece in _isolate(text):
        if isinstance(piece, str):
            parts.append(html.escape(piece, quote=False))
        else:
            parts.append(f"<bdi>{html.escape(piece.text, quote=False)}</bdi>")
    return "".join(parts)


class MarkdownCache:
    """Rendered Markdown keyed by a hash of the text, its direction and this module's code.

    Markdown is most of a build's time; an unchanged file is never rendered twice.
    The key covers everything the HTML depends on (the text, rtl or not, the
    source of this module, the markdown and nh3 versions), so no stale entry can
    be used; entries not used by a build are dropped when it saves.  The entries are
    UTF-8 in a :class:`~press_core.cachestore.CacheStore`, read as they are used.
    """

    def __init__(self, path: Path | None):
        self.store = CacheStore(path, CODE_SALT.encode())
        self.prefetched: dict[str, str] = {}
        self.keys: dict[tuple[str, bool], str] = {}  # the keys prefetch computed, for render

    @staticmethod
    def key(text: str | bytes, rtl: bool) -> str:
        """The key of ``text``, given as str or as UTF-8 (a content file's body, as the source
        cache keeps it: hashed without being decoded)."""
        hasher = hashlib.sha256(f"{CODE_SALT}\0{int(rtl)}\0".encode())
        hasher.update(text if isinstance(text, bytes) else text.encode())
        return hasher.hexdigest()

    def prefetch(self, texts: list[tuple[str | bytes, bool]], processes: int) -> None:
        """Render the ``(text, rtl)`` pairs not cached yet, spread over ``processes`` forked
        workers (press_core.parallel); :meth:`render` then finds them (a cold build's speed-up).
        Each is stored as it arrives, while the workers go on (at 10k articles, 1.5 s that
        would otherwise come after them).  The cached ones are read in this order (a rebuild's)."""
        from .parallel import fork_imap

        missing, order = {}, []
        for text, rtl in texts:
            key = self.keys[text, rtl] = self.key(text, rtl)
            order.append(key)
            if key not in self.store:
                missing[key] = (text, rtl)
        self.store.expect(order)
        keys = sorted(missing)
        rendered = fork_imap(lambda index: render_markdown(*missing[keys[index]]), len(keys), processes)
        for key, html_text in zip(keys, rendered, strict=True):
            self.prefetched[key] = html_text
            self.store.put(key, html_text.encode("utf-8"))

    def render(self, text: str | bytes, rtl: bool) -> str:
        """``text`` (str, or UTF-8 bytes) as sanitised HTML."""
        key = self.keys.get((text, rtl)) or self.key(text, rtl)
        data = self.store.get(key)
        if data is not None:
            return data.decode("utf-8")
        found = self.prefetched.get(key)
        if found is None:  # the same text may come again
            found = self.prefetched[key] = render_markdown(text, rtl)
        if key not in self.store.stored:
            self.store.put(key, found.encode("utf-8"))
        return found

    def save(self) -> None:
        self.store.save()


# What the HTML made here depends on besides its text: this module's code, Markdown's and nh3's versions.
CODE_SALT = hashlib.sha256(
    Path(__file__).read_bytes() + markdown.__version__.encode() + nh3.__version__.encode()
).hexdigest()
