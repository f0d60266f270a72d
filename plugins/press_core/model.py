"""The content graph: one language-neutral model read once, rendered per language.

An :class:`Item` is one piece of content (an article, a standing page) under a
stable ``key``; its :class:`Version` objects are the language files.  Facts that
do not depend on language (date, category, authors) live on the item, so every
translation agrees on them by construction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from .git import FileHistory

SECTIONS = {"article": "articles", "page": "pages", "paper": "papers", "outside": "outside"}
TEXT_KINDS = ("article", "paper", "outside")  # dated texts: listed (and fed) by tag and author


@dataclass(frozen=True)
class Tag:
    slug: str
    label: str


@dataclass(frozen=True)
class Correction:
    """A dated correction notice, written in its file's language (``corrections:``)."""

    date: dt.datetime
    note: str  # sanitised, bidi-isolated inline HTML


@dataclass
class Version:
    item: Item
    lang: str
    title: str  # plain text, as written
    title_html: str  # sanitised, bidi-isolated inline HTML
    summary: str  # sanitised HTML
    body: str  # sanitised HTML
    source: str  # repository-relative path of the file
    tags: list[Tag] = field(default_factory=list)
    modified: dt.datetime | None = None
    corrections: list[Correction] = field(default_factory=list)  # oldest first
    history: FileHistory | None = None  # the file's git history (press_provenance); None: not read

    @property
    def is_original(self) -> bool:
        return self.lang == self.item.original_lang

    @property
    def date(self) -> dt.datetime | None:
        return self.item.date

    @property
    def path(self) -> str:
        return self.item.path(self.lang)

    @property
    def sort_key(self):
        return (-(self.item.date.timestamp() if self.item.date else 0), self.item.key)


@dataclass
class Item:
    kind: str  # "article" | "page" | "paper" | "outside" (press_blocs)
    key: str
    original_lang: str
    date: dt.datetime | None = None
    category: str | None = None
    authors: list[str] = field(default_factory=list)
    versions: dict[str, Version] = field(default_factory=dict)
    # What a section plugin knows about the item beyond the shared facts, e.g. the voice,
    # bloc, question and reply of a position paper (press_blocs.model.Paper).
    details: object | None = None

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.key}"

    def path(self, lang: str) -> str:
        return f"{lang}/{SECTIONS[self.kind]}/{self.key}/index.html"

    @property
    def original(self) -> Version:
        return self.versions[self.original_lang]


@dataclass
class ContentGraph:
    items: list[Item]
    categories: dict[str, dict[str, str]]  # key -> {lang: label}
    people: dict[str, dict[str, str]]  # key -> {lang: name}
    default_lang: str
    sections: dict[str, object] = field(default_factory=dict)  # plugin sections (register_section)
    warnings: list = field(default_factory=list)  # problems.Problem that do not stop the build
    _orders: dict = field(default_factory=dict, init=False, repr=False, compare=False)  # see _sorted

    def of_kind(self, kind: str) -> list[Item]:
        return [item for item in self.items if item.kind == kind]

    def versions(self, lang: str, kind: str = "article") -> list[Version]:
        """Versions in ``lang``, newest first, ties broken by key (deterministic)."""

        def found():
            return (item.versions[lang] for item in self.of_kind(kind) if lang in item.versions)

        return self._sorted((lang, kind), found)

    def texts(self, lang: str) -> list[Version]:
        """Versions in ``lang`` of every dated text kind (TEXT_KINDS), newest first, then by key."""

        def found():
            return (version for kind in TEXT_KINDS for version in self.versions(lang, kind))

        return self._sorted((lang, None), found)

    def _sorted(self, key: tuple, versions: Callable[[], Iterable[Version]]) -> list[Version]:
        """A new list of ``versions()`` in order, sorted once while the items stay the same:
        plugins ask for the same lists (a 10k build sorted some thirty, 0.4 s); a section reader
        adding items (papers) makes the next call sort again."""
        found = self._orders.get(key)
        if found is None or found[0] != len(self.items):
            found = self._orders[key] = (len(self.items), sorted(versions(), key=lambda v: v.sort_key))
        return list(found[1])

    def label(self, table: dict[str, str], lang: str) -> str:
        """A label in ``lang``, else in the default language, else any."""
        return table.get(lang) or table.get(self.default_lang) or next(iter(table.values()), "")

    def category_label(self, key: str, lang: str) -> str:
        return self.label(self.categories.get(key, {}), lang) or key

    def person_name(self, key: str, lang: str) -> str:
        return self.label(self.people.get(key, {}), lang) or key
