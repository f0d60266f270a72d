"""The blocs section's model: blocs, questions, official bodies, and what a paper is.

``graph.sections["blocs"]`` is a :class:`Blocs`: ``blocs`` (an ordered dict
bloc id → :class:`Bloc`, in the ``BLOC_ORDER`` of the default language),
``questions``, ``bodies`` and ``official_motions``.  Position papers and outside
voices are ordinary :class:`~press_core.model.Item` s of kind ``paper`` and
``outside`` in ``graph.items`` (so translations, corrections, provenance and
feeds work as for articles); ``item.details`` is their :class:`Paper`.

Ordering is neutral and configurable (``BLOC_ORDER``): ``"alphabetical"`` (the
default) sorts by the bloc's name *in the reader's language* with the Unicode
Collation Algorithm (pyuca; Sorani letters such as ڕ ڤ ۆ ێ are not in code-point
order), ``"founded"`` by founding date, ``"rotation"`` rotates the alphabetical-by-id
list by the build date's day number (the same order in every language), and a
list of ids fixes the order by hand.  The official line is never a bloc and is
never placed first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache

import pyuca

from press_core.model import ContentGraph, Item, Version

VOICES = ("bloc", "official", "personal", "outside")
STATUSES = ("active", "dissolved", "merged")
ORDER_MODES = ("alphabetical", "founded", "rotation")


@cache
def collator() -> pyuca.Collator:
    return pyuca.Collator()  # the Default Unicode Collation Element Table, loaded once


def label(table: dict[str, str], lang: str, default_lang: str) -> str:
    """A text in ``lang``, else in the default language, else any."""
    return table.get(lang) or table.get(default_lang) or next(iter(table.values()), "")


@dataclass
class Bloc:
    id: str
    names: dict[str, str]  # lang -> plain text
    names_html: dict[str, str]  # lang -> escaped, bidi-isolated inline HTML
    descriptions: dict[str, str]  # lang -> sanitised HTML
    founded: dt.datetime | None
    status: str  # "active" | "dissolved" | "merged"
    source: str  # repository path of bloc.yml
    default_lang: str
    ended: dt.datetime | None = None  # dissolution or merger date
    merged_into: str | None = None
    contact: str = ""
    editors: list[str] = field(default_factory=list)  # git handles (@name) or review e-mails
    logo: str | None = None  # the logo's path inside content/, for the image() template global

    @property
    def page_id(self) -> str:
        return f"bloc:{self.id}"

    @property
    def folder(self) -> str:
        return f"content/blocs/{self.id}/"

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    def name(self, lang: str) -> str:
        return label(self.names, lang, self.default_lang)

    def name_html(self, lang: str) -> str:
        return label(self.names_html, lang, self.default_lang)

    def description(self, lang: str) -> str:
        return label(self.descriptions, lang, self.default_lang)

    def path(self, lang: str) -> str:
        return f"{lang}/blocs/{self.id}/index.html"


@dataclass
class Question:
    id: str
    titles: dict[str, str]
    titles_html: dict[str, str]
    descriptions: dict[str, str]
    opened: dt.datetime | None
    source: str
    line: int
    default_lang: str

    @property
    def page_id(self) -> str:
        return f"question:{self.id}"

    def title(self, lang: str) -> str:
        return label(self.titles, lang, self.default_lang)

    def title_html(self, lang: str) -> str:
        return label(self.titles_html, lang, self.default_lang)

    def description(self, lang: str) -> str:
        return label(self.descriptions, lang, self.default_lang)

    def path(self, lang: str) -> str:
        return f"{lang}/questions/{self.id}/index.html"


@dataclass
class Body:
    """A body of the party that adopts official positions (content/official/bodies.yml)."""

    id: str
    names: dict[str, str]
    names_html: dict[str, str]
    default_lang: str

    def name(self, lang: str) -> str:
        return label(self.names, lang, self.default_lang)

    def name_html(self, lang: str) -> str:
        return label(self.names_html, lang, self.default_lang)


@dataclass
class Paper:
    """Whose voice a paper or outside piece is, and where it stands in the debate."""

    voice: str  # one of VOICES
    blocs: list[str] = field(default_factory=list)  # voice "bloc": the signing blocs, owner first
    body: str | None = None  # voice "official": the adopting body
    motion: str | None = None  # voice "official": "<congress-number>/<motion-id>"
    member_of: str | None = None  # voice "personal": the writer's bloc, if they name one
    question: str | None = None
    reply_to: str | None = None  # key of the paper this one answers
    replies: list[Item] = field(default_factory=list)  # papers answering this one, oldest first
    by: dict[str, str] = field(default_factory=dict)  # voice "outside": the writer, per language
    affiliation: dict[str, str] = field(default_factory=dict)  # voice "outside", per language

    @property
    def motion_page_id(self) -> str | None:
        return f"motion:{self.motion}" if self.motion else None

    def by_name(self, lang: str, default_lang: str) -> str:
        return label(self.by, lang, default_lang) if self.by else ""

    def affiliation_of(self, lang: str, default_lang: str) -> str:
        return label(self.affiliation, lang, default_lang) if self.affiliation else ""


@dataclass
class Blocs:
    """``graph.sections["blocs"]``."""

    blocs: dict[str, Bloc]  # ordered as BLOC_ORDER gives for the default language
    questions: dict[str, Question]
    bodies: dict[str, Body]
    order: str | list[str]  # the BLOC_ORDER setting
    default_lang: str
    rotation_day: int = 0  # the build date's day number, for BLOC_ORDER = "rotation"
    # Every `motion:` of an official paper, as (ref, source path, line), so press_congress can
    # report a reference to a motion that does not exist.
    official_motions: list[tuple[str, str, int]] = field(default_factory=list)

    # -- ordering ------------------------------------------------------------
    def ordered(self, lang: str, blocs=None) -> list[Bloc]:
        """``blocs`` (default: all) in the configured order for a reader of ``lang``."""
        chosen = list(self.blocs.values()) if blocs is None else list(blocs)
        by_id = sorted(chosen, key=lambda bloc: bloc.id)
        if isinstance(self.order, list | tuple):
            rank = {bloc_id: index for index, bloc_id in enumerate(self.order)}
            return sorted(by_id, key=lambda bloc: rank.get(bloc.id, len(rank)))
        if self.order == "founded":
            return sorted(by_id, key=lambda bloc: bloc.founded or dt.datetime.max.replace(tzinfo=dt.UTC))
        if self.order == "rotation" and by_id:
            shift = self.rotation_day % len(by_id)
            return by_id[shift:] + by_id[:shift]
        return sorted(by_id, key=lambda bloc: collator().sort_key(bloc.name(lang).casefold()))

    def active(self, lang: str) -> list[Bloc]:
        return [bloc for bloc in self.ordered(lang) if bloc.is_active]

    def former(self, lang: str) -> list[Bloc]:
        return [bloc for bloc in self.ordered(lang) if not bloc.is_active]

    # -- papers --------------------------------------------------------------
    @staticmethod
    def papers(graph: ContentGraph) -> list[Item]:
        return graph.of_kind("paper")

    def papers_of(self, graph: ContentGraph, bloc_id: str) -> list[Item]:
        """Papers a bloc signed (alone or jointly), newest first."""
        found = [item for item in self.papers(graph) if bloc_id in item.details.blocs]
        return newest_first(found)

    def members_of(self, graph: ContentGraph, bloc_id: str) -> list[Item]:
        """Papers its members wrote in their personal capacity, newest first."""
        found = [
            item
            for item in self.papers(graph)
            if item.details.voice == "personal" and item.details.member_of == bloc_id
        ]
        return newest_first(found)

    def on_question(self, graph: ContentGraph, question_id: str) -> list[Item]:
        found = [item for item in self.papers(graph) if item.details.question == question_id]
        found += [item for item in graph.of_kind("outside") if item.details.question == question_id]
        return newest_first(found)

    def columns(self, graph: ContentGraph, lang: str) -> list[Bloc]:
        """The matrix columns: every active bloc, and former blocs that took a position."""
        with_positions = {
            bloc_id for item in self.papers(graph) if item.details.question for bloc_id in item.details.blocs
        }
        return [bloc for bloc in self.ordered(lang) if bloc.is_active or bloc.id in with_positions]

    def positions(self, graph: ContentGraph, question_id: str, lang: str) -> list[tuple[object, list]]:
        """One row per bloc column then the official line: ``(bloc or "official", papers)``."""
        on = self.on_question(graph, question_id)
        rows: list[tuple[object, list]] = [
            (bloc, [item for item in on if bloc.id in item.details.blocs])
            for bloc in self.columns(graph, lang)
        ]
        rows.append(("official", [item for item in on if item.details.voice == "official"]))
        return rows

    def others_on(self, graph: ContentGraph, question_id: str) -> list[Item]:
        """Members in their personal capacity and outside voices on a question."""
        return [
            item
            for item in self.on_question(graph, question_id)
            if item.details.voice in ("personal", "outside")
        ]

    def repliable(self, graph: ContentGraph) -> dict[str, Item]:
        """Papers and outside voices by key: what a ``reply_to`` can name (see :meth:`thread`)."""
        return {paper.key: paper for paper in [*self.papers(graph), *graph.of_kind("outside")]}

    @staticmethod
    def thread(repliable: dict[str, Item], item: Item) -> list[Item]:
        """The chain of papers ``item`` replies to, oldest first (not including ``item``);
        ``repliable`` is :meth:`repliable` of the graph, made once for all its papers."""
        chain, seen = [], {item.key}
        current = item
        while current.details.reply_to and current.details.reply_to in repliable:
            current = repliable[current.details.reply_to]
            if current.key in seen:
                break
            seen.add(current.key)
            chain.append(current)
        return list(reversed(chain))

    def versions(self, graph: ContentGraph, lang: str, items: list[Item]) -> list[Version]:
        return [item.versions[lang] for item in items if lang in item.versions]


def newest_first(items: list[Item]) -> list[Item]:
    return sorted(items, key=lambda item: (-(item.date.timestamp() if item.date else 0), item.key))
