"""Congresses: agenda, motions, votes, elections, resolutions and dissent — pages, feed and open data.

Adds to the build:

* the ``congresses`` section of the content graph (``press_congress.reading``: every
  count checked, every result and every elected candidate recomputed);
* per language: the congresses index ``<lang>/congresses/`` (page id ``congresses``),
  one page per congress (``congress:<n>``: overview, agenda with jump links and
  recording timestamps, minutes, motions with their votes, elections and the
  composition of each elected body), and a stable, citable page per motion
  (``motion:<n>/<id>``) and per resolution (``resolution:<n>/<id>``), both in search;
* the "Congress documents" feed (motions and resolutions) through
  :func:`press_feeds.add_section_feed`;
* open data, language-neutral: ``congresses/<n>/congress-<n>.popolo.json`` (Popolo-aligned,
  valid against ``popolo-congress.schema.json``, copied beside it) and
  ``congresses/<n>/congress-<n>-votes.csv``.

The vote bar is a handful of ``<rect>`` computed in :meth:`View.segments` (mirrored for
right-to-left pages): one proportional bar needs no charting library, and one would bring
scripts or requests the pages must not have.
"""

from __future__ import annotations

import datetime as dt
import html
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from pelican import signals

from press_content import CONTEXT_KEY
from press_core.reading import register_section
from press_core.site import Page, SearchEntry, site_of, write_file
from press_feeds import add_section_feed

from . import opendata
from .model import Congress, Congresses, Counts, GroupCounts, Localized, Motion, Resolution
from .reading import read

SECTION = "congresses"
CHROME_KEYS = ("graph", "site_name", "nav_categories", "nav_pages")


# -- what templates need, per language ------------------------------------------------------
@dataclass(frozen=True)
class Shown:
    """A text in the reader's language, or in another one marked with its ``lang``/``dir``."""

    html: str
    lang: str
    dir: str
    foreign: bool  # True: not written in the page's language


@dataclass(frozen=True)
class Segment:
    option: str
    value: int
    x: float
    width: float


class View:
    """Helpers the congress templates call (``view.…``), bound to one language."""

    def __init__(self, section: Congresses, graph, blocs, language, languages):
        self.section, self.graph, self.blocs = section, graph, blocs
        self.language, self.languages = language, languages
        self.lang = language.code

    def text(self, localized: Localized | None) -> Shown:
        if localized is None:
            return Shown("", self.lang, self.language.direction, False)
        code, found = localized.pick(self.lang, self.section.default_lang)
        return Shown(found, code, self.languages[code].direction, code != self.lang)

    def missing(self, localized: Localized) -> list:
        """Languages a text is written in, when the page's language is not one of them."""
        if localized.has(self.lang):
            return []
        return [language for language in self.languages.values() if localized.has(language.code)]

    def person(self, key: str) -> str:
        return self.graph.person_name(key, self.lang)

    def bloc_name(self, bloc_id: str) -> str:
        """Sanitised HTML of the bloc's name in this language (its id when blocs are not enabled)."""
        known = getattr(self.blocs, "blocs", None) or {}
        bloc = known.get(bloc_id)
        if bloc is None:
            return html.escape(bloc_id)
        if hasattr(bloc, "name_html"):
            return bloc.name_html(self.lang)  # sanitised by press_blocs
        return html.escape(bloc.name(self.lang))

    def groups(self, by_bloc: list[GroupCounts]) -> list[GroupCounts]:
        """A breakdown in the blocs plugin's order for this language (BLOC_ORDER), never the file's."""
        known = getattr(self.blocs, "blocs", None) or {}
        ordered = getattr(self.blocs, "ordered", None)
        if ordered is None or not all(group.bloc in known for group in by_bloc):
            return sorted(by_bloc, key=lambda group: group.bloc)
        rank = {bloc.id: index for index, bloc in enumerate(ordered(self.lang))}
        return sorted(by_bloc, key=lambda group: rank[group.bloc])

    @staticmethod
    def outside_blocs(counts: Counts, by_bloc: list[GroupCounts]) -> Counts | None:
        """What the breakdown leaves out (delegates in no bloc, or not recorded); None if nothing."""
        rest = {
            option: (value - sum(group.counts.get(option) or 0 for group in by_bloc))
            for option, value in counts.used()
        }
        if not any(rest.values()):
            return None
        return Counts(**rest)

    def segments(self, counts: Counts, width: float = 1000.0) -> list[Segment]:
        """The vote bar, start side first: in a right-to-left page the first option is at the right."""
        used = [(option, value) for option, value in counts.used() if value]
        total = sum(value for _, value in used) or 1
        found, position = [], 0.0
        for option, value in used:
            size = width * value / total
            x = width - position - size if self.language.is_rtl else position
            found.append(Segment(option, value, round(x, 2), round(size, 2)))
            position += size
        return found

    def percent(self, share) -> str:
        return self.language.number(float(share), "#,##0%")

    def stamp(self, when: dt.datetime | None) -> str:
        return self.language.digits(when.strftime("%H:%M")) if when else ""

    def compositions(self) -> list[tuple[Congress, object, object]]:
        """``(congress, election, composition)`` for every election, newest congress first."""
        limit = self.section.term_limit
        return [
            (congress, election, election.composition(limit))
            for congress in self.section.congresses
            for election in congress.elections
        ]


# -- feed entries ---------------------------------------------------------------------------
@dataclass
class DocumentItem:
    """The language-neutral part of a feed entry (what press_feeds reads from ``version.item``)."""

    kind: str  # "motion" | "resolution"
    key: str  # "<congress>/<id>", unique within the kind
    id: str  # the page id
    date: dt.datetime
    authors: list[str] = field(default_factory=list)
    category: str | None = None


@dataclass
class DocumentVersion:
    """A motion or resolution in one language, shaped like press_core's Version for press_feeds."""

    item: DocumentItem
    lang: str
    title: str
    title_html: str
    summary: str
    body: str
    path: str
    tags: list = field(default_factory=list)
    modified: dt.datetime | None = None
    corrections: list = field(default_factory=list)

    @property
    def date(self) -> dt.datetime:
        return self.item.date


def documents(section: Congresses, lang: str) -> list[DocumentVersion]:
    """Motions and resolutions whose title and text are written in ``lang``, newest first."""
    found = []
    for congress in section.congresses:
        for motion in congress.motions:
            entries: list[tuple[str, Motion | Resolution, Localized, Localized]] = [
                ("motion", motion, motion.title, motion.text)
            ]
            if motion.resolution:
                entries.append(
                    ("resolution", motion.resolution, motion.resolution.title, motion.resolution.text)
                )
            for kind, thing, title, text in entries:
                if not (title.has(lang) and text.has(lang)):
                    continue
                item = DocumentItem(kind, thing.ref, thing.page_id, motion.date)
                found.append(
                    DocumentVersion(
                        item,
                        lang,
                        title.source[lang],
                        title.html[lang],
                        "",
                        text.html[lang],
                        thing.path(lang),
                    )
                )
    return sorted(found, key=lambda v: (-v.date.timestamp(), v.item.key, v.item.kind))


# -- the generator --------------------------------------------------------------------------
class CongressGenerator:
    def __init__(self, context, settings, path, theme, output_path, **kwargs):
        self.context, self.settings, self.output_path = context, settings, output_path

    def generate_context(self):
        graph = self.context[CONTEXT_KEY]
        section: Congresses | None = graph.sections.get(SECTION)
        if not section or not section.congresses:
            return
        self.section = section
        site = site_of(self.context)
        blocs = graph.sections.get("blocs")
        languages = {language.code: language for language in site.languages}
        for language in site.languages:
            lang = language.code
            home = site.get("home", lang)
            chrome = {key: home.context[key] for key in CHROME_KEYS if home and key in home.context}
            view = View(section, graph, blocs, language, languages)
            common = {**chrome, "section": section, "view": view, "term_limit": section.term_limit}
            site.add(Page(lang, "congresses", f"{lang}/congresses/index.html", "congresses.html", common))
            for congress in section.congresses:
                self.add_congress(site, lang, congress, {**common, "congress": congress})
        add_section_feed(
            self.context,
            "congress",
            "Congress documents",
            lambda lang: documents(section, lang),
            "congresses",
        )

    def add_congress(self, site, lang: str, congress: Congress, context: dict) -> None:
        site.add(
            Page(
                lang,
                congress.page_id,
                congress.path(lang),
                "congress.html",
                context,
                fallback_id="congresses",
            )
        )
        year = str(congress.start.year)
        for motion in congress.motions:
            facets = {"congress": str(congress.number), "year": year}
            if motion.vote:
                facets["result"] = motion.vote.result
            if motion.proposer.bloc:
                facets["bloc"] = motion.proposer.bloc
            search = None
            if motion.title.has(lang) and motion.text.has(lang):
                search = SearchEntry(
                    motion.title.source[lang], motion.text.html[lang], "motions", motion.date, facets
                )
            site.add(
                Page(
                    lang,
                    motion.page_id,
                    motion.path(lang),
                    "motion.html",
                    {**context, "motion": motion},
                    fallback_id=congress.page_id,
                    search=search,
                )
            )
            resolution = motion.resolution
            if resolution is None:
                continue
            search = None
            if resolution.title.has(lang) and resolution.text.has(lang):
                search = SearchEntry(
                    resolution.title.source[lang],
                    resolution.text.html[lang],
                    "resolutions",
                    motion.date,
                    {**facets, "result": "adopted"},
                )
            site.add(
                Page(
                    lang,
                    resolution.page_id,
                    resolution.path(lang),
                    "motion_resolution.html",
                    {**context, "motion": motion, "resolution": resolution},
                    fallback_id=congress.page_id,
                    search=search,
                )
            )

    def generate_output(self, writer):
        section = getattr(self, "section", None)
        if section is None:
            return
        graph = self.context[CONTEXT_KEY]
        blocs = graph.sections.get("blocs")
        names = self.settings.get("SITE_NAMES") or {}
        for congress in section.congresses:
            document = opendata.popolo(congress, section, graph, blocs, names)
            write_file(self.output_path, congress.json_path, opendata.to_json(document))
            write_file(self.output_path, congress.csv_path, opendata.to_csv(congress))
        target = Path(self.output_path) / "congresses" / opendata.SCHEMA.name
        shutil.copyfile(opendata.SCHEMA, target)


def get_generators(pelican):
    return CongressGenerator


def register():
    register_section(__name__, SECTION, read)
    signals.get_generators.connect(get_generators)
