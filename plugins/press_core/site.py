"""The page registry: every plugin adds pages; one renderer writes them all.

Plugins describe pages (language, a language-neutral ``id`` such as
``article:congress-call``, output path, template, context) during
``generate_context``.  Because all pages are known before anything is rendered,
the language switcher and ``hreflang`` links only ever point at pages that exist.

All links are relative: a page at depth *d* reaches the output root through
``"../" * d``; directory pages are linked as explicit ``index.html`` so the site
also works opened from disk (``file://``).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from .languages import Language
from .paths import inside, unsafe_relative_path

SITE_KEY = "press_site"


@dataclass
class SearchEntry:
    """What the search index (press_search) knows of a page; set ``Page.search`` to index it."""

    title: str  # plain text
    text: str  # the page's text: plain text or sanitised HTML (tags are dropped)
    section: str  # section key, e.g. "articles", "papers", "motions", "finance"
    date: dt.datetime | None = None
    facets: dict[str, str] = field(default_factory=dict)  # e.g. {"bloc": "green-left", "year": "2025"}


@dataclass
class Page:
    lang: str  # language code, or "" for the language-neutral root pages
    id: str  # the same id in every language, e.g. "article:congress-call", "home"
    path: str  # output path, e.g. "ar/articles/congress-call/index.html"
    template: str
    context: dict = field(default_factory=dict)
    translated: bool = True  # False for the honest "not translated" stand-in
    fallback_id: str = "home"  # where the switcher goes when ``id`` is missing in a language
    search: SearchEntry | None = None  # indexed by press_search when set

    @property
    def root(self) -> str:
        return "../" * self.path.count("/")


class DuplicatePageError(ValueError):
    pass


class Site:
    """Pages of the whole build, keyed by ``(id, lang)``."""

    def __init__(self, languages: list[Language]):
        self.languages = languages
        self.by_code = {language.code: language for language in languages}
        self._pages: dict[tuple[str, str], Page] = {}
        self._paths: dict[str, Page] = {}

    def add(self, page: Page) -> Page:
        reason = unsafe_relative_path(page.path)  # absolute, "..", empty parts, reserved names …
        if reason:
            raise ValueError(f"page path {page.path!r} must stay inside output/: it {reason}")
        if page.path in self._paths:
            raise DuplicatePageError(
                f"two pages write {page.path}: {self._paths[page.path].id} and {page.id}"
            )
        self._pages[(page.id, page.lang)] = page
        self._paths[page.path] = page
        return page

    def get(self, page_id: str, lang: str) -> Page | None:
        return self._pages.get((page_id, lang))

    def pages(self, lang: str | None = None) -> list[Page]:
        pages = sorted(self._paths.values(), key=lambda p: p.path)
        return pages if lang is None else [p for p in pages if p.lang == lang]

    def switcher(self, page: Page) -> list[tuple[Language, Page]]:
        """For each language, the same page there (or its fallback)."""
        result = []
        for language in self.languages:
            target = self.get(page.id, language.code) or self.get(page.fallback_id, language.code)
            if target is not None:
                result.append((language, target))
        return result

    def alternates(self, page: Page) -> list[Page]:
        """Real translations of ``page`` (for ``<link rel=alternate hreflang>``)."""
        if not page.translated:
            return []
        found = (self.get(page.id, language.code) for language in self.languages)
        return [p for p in found if p is not None and p.translated]


def write_file(output_path: str | Path, relative: str, content: str | bytes) -> None:
    """Write ``content`` (text, as UTF-8 with its line ends as they are; or bytes) as ``relative``."""
    target = inside(output_path, relative)  # refuses ../, absolute paths, links out, NUL …
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "wb") as handle:
        handle.write(content.encode("utf-8") if isinstance(content, str) else content)


def write_or_keep(output_path: str | Path, relative: str, data: bytes, previous) -> bool:
    """Write ``data`` as ``relative``, unless ``previous`` (the last good output as
    :func:`press_core.postbuild.previous_output` trusts it; None: write) has that file with the
    same bytes, untouched since: then it stays there, and this returns True.  The caller then
    adds ``relative`` to the :data:`~press_core.pagecache.KEPT_FILES` setting, in the build's
    own process.  A rebuild after one edit so skips some 8,000 search and feed files at 10k
    articles that would come out the same: writing them, compressing them, moving them in."""
    if previous is not None and previous.holds(relative, data):
        return True
    write_file(output_path, relative, data)
    return False


def site_of(context) -> Site:
    """The build's one :class:`Site`, created on first use from ``LANGUAGES``."""
    from .languages import load_languages

    if SITE_KEY not in context:
        context[SITE_KEY] = Site(load_languages(context))
    return context[SITE_KEY]
