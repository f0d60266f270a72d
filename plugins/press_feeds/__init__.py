"""Atom and RSS 2.0 feeds in every language, written with feedgen.

Adds to the build, for each language:

* ``<lang>/feeds/all.atom.xml`` and ``all.rss.xml``: every dated text of every section;
* one pair per section — ``articles`` now; a later section (position papers, outside
  voices, finance reports, congress documents) adds its own with one call of
  :func:`add_section_feed` from its plugin's ``generate_context`` (listed before
  ``press_feeds`` in ``PLUGINS``), and its texts join the all-content feed;
* one pair per category, tag and author (``<lang>/feeds/categories/<key>.atom.xml`` …);
* the feeds directory ``<lang>/feeds/index.html`` (page id ``feeds``, template
  ``feeds.html``) with every feed's absolute address for pasting into a reader;
* ``feeds`` in the context of every page of that language: ``feeds.head`` (the
  all-content feed and the page's own, for ``<link rel="alternate">``) and
  ``feeds.own`` (the feeds of a listing page, for its visible subscribe links).

Titles and descriptions are the macros of ``theme/templates/feed_strings.html``,
rendered with the language's gettext catalog, so ``invoke i18n-extract`` finds them.
Feed and entry ids are ``tag:`` URIs (RFC 4151) made of ``FEED_ID_AUTHORITY`` and
the content key, so they survive a move to another domain or subpath.  Feeds need
absolute links: they use ``SITEURL``, or ``FEED_SITEURL`` when SITEURL is empty.
An entry's content starts with the text's correction notice (``corrections:``), as its
page does, and its updated date is the latest correction's.  Entries are ordered by date
then key, at most ``FEED_LIMIT`` per feed, and every date comes from the content (never
"now"), so two builds give identical files.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, urljoin, urlsplit

import feedgen.entry
import feedgen.feed
from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator
from pelican import signals

from press_content import CONTEXT_KEY
from press_core import postbuild
from press_core.i18n import catalogs_of
from press_core.markup import first_paragraph
from press_core.model import ContentGraph, Version
from press_core.pagecache import KEPT_FILES, NOT_IN_PAGES
from press_core.problems import ContentError, Problem, setting_line
from press_core.site import Page, site_of, write_or_keep
from press_core.templating import environment, template_dirs

# feedgen formats RSS dates by switching the process-wide locale (locale.setlocale) around
# strftime.  The press never touches the locale (principle 5; it is process-global and not
# thread-safe), so RSS dates use the standard library's locale-independent RFC 2822 formatter,
# which writes the same "Sat, 01 Mar 2025 18:30:00 +0300" form.
feedgen.entry.formatRFC2822 = feedgen.feed.formatRFC2822 = email.utils.format_datetime

SECTIONS_KEY = "press_feed_sections"
FEEDS_KEY = "press_feeds"
DEFAULT_SITEURL = "http://localhost:8000"
DEFAULT_AUTHORITY = "press.example.org,2025"
DEFAULT_LIMIT = 20
GROUPS = ("main", "categories", "tags", "authors")  # the headings of the directory page
# feed kind -> (folder under <lang>/feeds/, group on the directory page)
KINDS = {
    "all": ("", "main"),
    "section": ("", "main"),
    "category": ("categories/", "categories"),
    "tag": ("tags/", "tags"),
    "author": ("authors/", "authors"),
}
RESERVED_SECTIONS = {"all", "index", "categories", "tags", "authors"}
SECTION_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# RFC 4151 taggingEntity: a domain name (or e-mail address) and a date it was held.
AUTHORITY = re.compile(r"^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?,\d{4}(?:-\d{2}(?:-\d{2})?)?$")
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Section:
    name: str  # URL-safe: the feeds are <lang>/feeds/<name>.atom.xml and .rss.xml
    label: str | Callable[[str], str]  # a UI msgid, or a function lang -> name (a bloc's own name)
    versions: Callable[[str], list[Version]]  # the section's texts in one language
    page_id: str | None = None  # the listing page that advertises the feed


def add_section_feed(
    context,
    name: str,
    label: str,
    versions: Callable[[str], list[Version]],
    page_id: str | None = None,
) -> None:
    """Give a section its own feed in every language, and a place in the all-content feed.

    ``label`` is the section's name as a msgid (e.g. ``"Position papers"``); it must
    appear in a template, as the section's own heading usually does, for ``invoke
    i18n-extract`` to find it.  A name that is content, not UI (a bloc's name), is
    given as a function ``label(lang)`` returning it in that language.
    ``versions(lang)`` returns that language's texts
    (:class:`~press_core.model.Version`; texts without a date are left out);
    ``page_id`` is the section's listing page, which then links the feed.  Call it
    from a plugin's ``generate_context`` before ``press_feeds`` runs::

        add_section_feed(context, "papers", "Position papers",
                         lambda lang: graph.versions(lang, "paper"), page_id="papers")
    """
    if not SECTION_NAME.match(name) or name in RESERVED_SECTIONS:
        raise ValueError(
            f"feed section name {name!r}: use lowercase a-z, 0-9 and -, other than "
            + ", ".join(sorted(RESERVED_SECTIONS))
        )
    sections = context.setdefault(SECTIONS_KEY, {})
    if name in sections:
        raise ValueError(f"two plugins register the feed section {name!r}")
    sections[name] = Section(name, label, versions, page_id)


@dataclass
class Feed:
    """One feed in one language, written as Atom and as RSS 2.0."""

    id: str  # language-neutral, e.g. "all", "section:articles", "category:news"
    lang: str
    path: str  # output path without extension, e.g. "ar/feeds/categories/news"
    title: str
    description: str
    group: str  # one of GROUPS
    page_id: str  # the HTML page the feed follows (its alternate link)
    entries: list[Version] = field(default_factory=list, repr=False, metadata=NOT_IN_PAGES)  # feed files only
    atom_url: str = ""
    rss_url: str = ""

    @property
    def atom(self) -> str:
        return f"{self.path}.atom.xml"

    @property
    def rss(self) -> str:
        return f"{self.path}.rss.xml"


# -- settings ------------------------------------------------------------------
def feed_settings(settings) -> tuple[str, str, int]:
    """``(base URL with a trailing slash, tag authority, limit)``; bad values stop the build."""
    problems = []
    name = "SITEURL" if settings.get("SITEURL") else "FEED_SITEURL"
    base = settings.get(name) or DEFAULT_SITEURL
    parts = urlsplit(base) if isinstance(base, str) else None
    if not (parts and parts.scheme in ("http", "https") and parts.hostname):
        problems.append(
            Problem(
                *setting_line(settings, name),
                f"{name} {base!r} is not an absolute http(s) address, which feeds need",
                'write e.g. "https://press.example.org" or "https://example.org/press"',
            )
        )
    authority = settings.get("FEED_ID_AUTHORITY", DEFAULT_AUTHORITY)
    if not (isinstance(authority, str) and AUTHORITY.match(authority)):
        problems.append(
            Problem(
                *setting_line(settings, "FEED_ID_AUTHORITY"),
                f"FEED_ID_AUTHORITY {authority!r} is not a tag: URI authority",
                'write a domain the party held and a year it did, e.g. "press.example.org,2025"',
            )
        )
    limit = settings.get("FEED_LIMIT", DEFAULT_LIMIT)
    if not (isinstance(limit, int) and not isinstance(limit, bool) and limit > 0):
        problems.append(
            Problem(
                *setting_line(settings, "FEED_LIMIT"),
                f"FEED_LIMIT {limit!r} is not a positive whole number",
                "write the number of entries per feed, e.g. FEED_LIMIT = 20",
            )
        )
    if problems:
        raise ContentError(problems)
    return base.rstrip("/") + "/", authority, limit


# -- texts ----------------------------------------------------------------------
def strings_module(templates: list[str], translations):
    """``feed_strings.html`` as a module whose macros speak one language (plain text)."""
    env = environment(templates, translations, autoescape=False)  # plain text; feedgen escapes it
    return env.get_template("feed_strings.html").module


def _text(markup) -> str:
    return " ".join(str(markup).split())


_LINKING_TAG = re.compile(r'<(?:a|img|source)\b(?:[^>"]|"[^"]*")*>')
_URL_ATTRIBUTE = re.compile(r'\b(href|src|srcset)="([^"]*)"')  # srcset: press_images' <picture>


def absolute_links(fragment: str, page_url: str) -> str:
    """Make every ``href``/``src`` of sanitised HTML absolute against ``page_url``.

    The HTML comes from nh3, which always double-quotes attributes and escapes ``<``
    in text, so a tag pattern is exact here.
    """

    def attribute(match: re.Match) -> str:
        value = html.unescape(match.group(2))
        if match.group(1) == "srcset":  # "url 480w, url 960w"
            url = ", ".join(
                " ".join([urljoin(page_url, part.split()[0]), *part.split()[1:]])
                for part in value.split(",")
                if part.strip()
            )
        else:
            url = urljoin(page_url, value)
        return f'{match.group(1)}="{html.escape(url, quote=True)}"'

    return _LINKING_TAG.sub(lambda tag: _URL_ATTRIBUTE.sub(attribute, tag.group()), fragment)


def updated_of(version: Version) -> dt.datetime:
    """The last significant change: date, ``modified:`` or the latest correction."""
    dates = [version.date, version.modified]
    dates += [correction.date for correction in getattr(version, "corrections", None) or []]
    return max(d for d in dates if d is not None)


def corrections_html(version: Version, translations, language) -> str:
    """The correction notice that heads the page (``macros.html``), for the entry's content:
    the same msgids (Correction/Corrections, ": ") and the language's dates, so a reader
    sees a correction in the feed, not only on the site."""
    found = getattr(version, "corrections", None) or []
    if not found:
        return ""
    heading = translations.gettext("Correction" if len(found) == 1 else "Corrections")
    colon = html.escape(translations.gettext(": "))
    items = "".join(
        f'<li><time datetime="{c.date.isoformat()}">{html.escape(language.date(c.date))}</time>'
        f"{colon}{c.note}</li>"  # the note is sanitised HTML (press_core.markup)
        for c in found
    )
    heading = f"<p><strong>{html.escape(heading)}</strong></p>"
    return f'<aside class="corrections">{heading}<ul>{items}</ul></aside>'


def entry_order(version: Version):
    return (-version.date.timestamp(), version.item.key, version.item.kind)


# -- the feeds plugin -------------------------------------------------------------
class FeedsGenerator:
    def __init__(self, context, settings, path, theme, output_path, **kwargs):
        self.context, self.settings, self.output_path = context, settings, output_path
        self.templates = template_dirs(settings, theme)

    def generate_context(self):
        self.base, self.authority, self.limit = feed_settings(self.settings)
        graph: ContentGraph = self.context[CONTEXT_KEY]
        site = site_of(self.context)
        catalogs = catalogs_of(self.context)
        registered = self.context.get(SECTIONS_KEY, {})
        articles = Section("articles", "Articles", lambda lang: graph.versions(lang, "article"), "home")
        sections = [registered.get("articles", articles)]
        sections += [section for name, section in registered.items() if name != "articles"]
        names = self.settings.get("SITE_NAMES", {})
        self.feeds: list[Feed] = []
        self.speakers = {}  # lang -> (translations, Language): for the entries' correction notices
        for language in site.languages:
            lang = language.code
            translations = catalogs[language.code][0]
            self.speakers[lang] = (translations, language)
            strings = strings_module(self.templates, translations)
            site_name = names.get(lang) or names.get(graph.default_lang) or self.settings["SITENAME"]
            feeds = self.language_feeds(graph, lang, sections, strings, translations, site_name)
            self.feeds += feeds
            self.add_directory(site, lang, feeds)
        self.context[FEEDS_KEY] = self.feeds

    def language_feeds(self, graph, lang, sections, strings, translations, site_name) -> list[Feed]:
        wanted = []  # (kind, key, name, page_id, entries) of every feed of the language

        def feed(kind: str, key: str, name: str, page_id: str, entries: list[Version]) -> None:
            wanted.append((kind, key, name, page_id, entries))

        by_section = [(section, section.versions(lang)) for section in sections]
        everything = {v.item.id: v for _, versions in by_section for v in versions}
        feed("all", "all", "", "home", list(everything.values()))
        for section, versions in by_section:
            name = section.label(lang) if callable(section.label) else translations.gettext(section.label)
            feed("section", section.name, name, section.page_id or "feeds", versions)
        articles = graph.versions(lang)
        for key in graph.categories:
            chosen = [v for v in articles if v.item.category == key]
            feed("category", key, graph.category_label(key, lang), f"category:{key}", chosen)
        texts = graph.texts(lang)  # tag and author feeds follow their listings: every text kind
        tags: dict = {}
        for version in texts:
            for tag in version.tags:
                tags.setdefault(tag.slug, (tag, []))[1].append(version)
        for slug, (tag, chosen) in sorted(tags.items()):
            feed("tag", slug, tag.label, f"tag:{slug}", chosen)
        authors: dict = {}
        for version in texts:
            for key in version.item.authors:
                authors.setdefault(key, []).append(version)
        for key, chosen in sorted(authors.items()):
            feed("author", key, graph.person_name(key, lang), f"author:{key}", chosen)
        # Each dated text's place in entry_order, found once: a text is in several feeds (at
        # 10k articles the feeds sorted 220,000 entries, by a date read through its item).
        dated = {id(v): v for *_, entries in wanted for v in entries if v.date is not None}
        rank = {key: n for n, key in enumerate(sorted(dated, key=lambda key: entry_order(dated[key])))}
        result = []
        for kind, key, name, page_id, entries in wanted:
            folder, group = KINDS[kind]
            title = _text(strings.feed_title(kind, site_name, name))
            description = _text(strings.feed_description(kind, site_name, name))
            in_order = sorted((v for v in entries if id(v) in rank), key=lambda v: rank[id(v)])
            feed_id = key if kind == "all" else f"{kind}:{key}"
            path = f"{lang}/feeds/{folder}{key}"
            found = Feed(feed_id, lang, path, title, description, group, page_id, in_order)
            found.atom_url, found.rss_url = self.url(found.atom), self.url(found.rss)
            result.append(found)
        return result

    def add_directory(self, site, lang: str, feeds: list[Feed]) -> None:
        """``<lang>/feeds/index.html``: every feed of the language, grouped."""
        home = site.get("home", lang)
        chrome = dict(home.context) if home is not None else {}
        groups = [(group, [f for f in feeds if f.group == group]) for group in GROUPS]
        site.add(
            Page(
                lang,
                "feeds",
                f"{lang}/feeds/index.html",
                "feeds.html",
                {**chrome, "versions": [], "feed_groups": [(g, found) for g, found in groups if found]},
            )
        )

    def advertise(self) -> None:
        """Each page's ``feeds``: ``head`` (the language's all-content feed and the page's own,
        for ``<link rel="alternate">``; none on "not translated" stand-ins) and ``own`` (the
        feeds a listing page links visibly).  Run once every plugin has registered its pages."""
        site = site_of(self.context)
        by_page: dict[tuple[str, str], list[Feed]] = {}
        for found in self.feeds:
            by_page.setdefault((found.page_id, found.lang), []).append(found)
        everything_in = {found.lang: found for found in self.feeds if found.id == "all"}
        shared: dict[tuple, dict] = {}  # pages with the same feeds share one value: keyed once
        for page in site.pages():
            if not page.lang:
                continue  # the language-neutral root pages
            owner = (page.id.split("/page/", 1)[0], page.lang) if page.id != "feeds" else None
            own = by_page.get(owner, [])
            key = (page.lang, page.translated, owner if own else None)
            if key not in shared:
                everything = everything_in[page.lang]
                head = [everything, *(f for f in own if f is not everything)] if page.translated else []
                shared[key] = {"head": head, "own": own}
            page.context["feeds"] = shared[key]

    # -- writing -------------------------------------------------------------------
    def url(self, path: str) -> str:
        return self.base + quote(path, safe="/")

    def tag_uri(self, specific: str) -> str:
        return f"tag:{self.authority}:{quote(specific, safe='/:-')}"

    def generator(self, found: Feed, entries: list[Version]) -> FeedGenerator:
        site = site_of(self.context)
        graph: ContentGraph = self.context[CONTEXT_KEY]
        names = self.settings.get("SITE_NAMES", {})
        page = site.get(found.page_id, found.lang)
        page_url = self.url(page.path) if page is not None else self.url(f"{found.lang}/index.html")
        fg = FeedGenerator()
        fg.load_extension("dc", atom=False, rss=True)  # dc:creator: RSS <author> must be an e-mail
        fg.id(self.tag_uri(found.path))  # e.g. tag:press.example.org,2025:ar/feeds/all
        fg.title(found.title)
        fg.subtitle(found.description)  # Atom subtitle and RSS description
        fg.language(found.lang)
        press = names.get(found.lang) or names.get(graph.default_lang) or self.settings["SITENAME"]
        fg.author({"name": press})  # the press, for entries without authors of their own
        fg.link(href=page_url, rel="alternate", type="text/html", hreflang=found.lang)
        newest = None
        for version in entries:
            entry = fg.add_entry(self.entry(version, graph), order="append")  # registers dc on it
            if version.item.authors:
                entry.dc.dc_creator([graph.person_name(key, version.lang) for key in version.item.authors])
            when = updated_of(version)
            newest = when if newest is None or when > newest else newest
        fg.updated(newest or self.fallback_updated(found.lang))  # never "now": builds are reproducible
        return fg

    def fallback_updated(self, lang: str) -> dt.datetime:
        everything = next(f for f in self.feeds if f.lang == lang and f.id == "all")
        return max((updated_of(v) for v in everything.entries), default=EPOCH)

    def entry(self, version: Version, graph: ContentGraph) -> FeedEntry:
        item, lang = version.item, version.lang
        page_url = self.url(version.path)
        entry = FeedEntry()
        entry.id(self.tag_uri(f"{lang}/{item.kind}/{item.key}"))
        entry.title(version.title)
        entry.link(href=page_url, rel="alternate", type="text/html", hreflang=lang)
        entry.published(version.date)
        entry.updated(updated_of(version))
        notice = corrections_html(version, *self.speakers[lang])  # at the top, as on the page
        entry.content(absolute_links(notice + version.body, page_url), type="html")
        summary = version.summary or first_paragraph(version.body)  # RSS needs one beside the content
        if summary:
            entry.summary(absolute_links(summary, page_url), type="html")
        names = [graph.person_name(key, lang) for key in item.authors]
        if names:
            entry.author([{"name": name} for name in names])  # names only, never e-mail addresses
        categories = []
        if item.category:
            label = graph.category_label(item.category, lang)
            categories.append({"term": item.category, "label": label, "scheme": self.tag_uri("category")})
        scheme = self.tag_uri("tag")
        categories += [{"term": tag.slug, "label": tag.label, "scheme": scheme} for tag in version.tags]
        if categories:
            entry.category(categories)
        return entry

    def generate_output(self, writer):
        # Every plugin's generate_context has run by now (search, sections listed after us too),
        # and press_render, listed after press_feeds, has not rendered yet.
        self.advertise()
        previous, kept = postbuild.previous_output(self.settings), self.settings.setdefault(KEPT_FILES, set())
        for found in self.feeds:
            fg = self.generator(found, found.entries[: self.limit])
            for path, kind, render in (
                (found.atom, "application/atom+xml", fg.atom_str),
                (found.rss, "application/rss+xml", fg.rss_str),
            ):
                alternate = [link for link in fg.link() if link.get("rel") == "alternate"]
                # RSS's <link> is feedgen's last link: the HTML page, after the self link.
                fg.link([{"href": self.url(path), "rel": "self", "type": kind}, *alternate], replace=True)
                if write_or_keep(self.output_path, path, render(pretty=True), previous):
                    kept.add(path)  # the last output's file has these bytes: it stays


def get_generators(pelican):
    return FeedsGenerator


def register():
    signals.get_generators.connect(get_generators)
