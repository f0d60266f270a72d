"""Client-side search, static and file:// compatible: a build-time index and the shared analyzer.

Adds to the build, for each language:

* the search page ``<lang>/search/index.html`` (page id ``search``, template ``search.html``) with
  filters by section, bloc and year built from what the language's index holds;
* the full listing ``<lang>/search/all/index.html`` (page id ``search-all``, ``search_all.html``):
  every indexed text by section and year, where the search form submits when JavaScript is off;
* beside the search page, the index of every registered page that has ``Page.search`` set
  (``press_core.site.SearchEntry``: articles and standing pages from press_pages, and whatever other
  sections register): classic scripts only, so it also works opened from disk.  The format is in
  :mod:`press_search.index` (setting ``SEARCH_SHARD_BYTES``: split shards bigger than this,
  default 24,000); terms come from :mod:`press_search.analysis`, the same rules the
  browser's ``theme/static/js/analyzer.js`` applies to the query.

The workers analyze runs of about 500 documents (:func:`press_search.index.runs`) and merge each
language's runs into its index, in one pass: a language's merge starts as soon as its runs are
done.  The analyses are kept in ``CACHE_PATH/search/`` by the texts they come from, so a rebuild
analyzes only the runs whose texts changed; so are the merged files of each language, by its
runs' keys and what its documents show, so a rebuild merges only the languages that changed
(at 10k, a merge took a worker a second).  An index file the last good output has with the same
bytes is left there, not written again (``press_core.site.write_or_keep``).
"""

from __future__ import annotations

import contextlib
import tempfile
import time
from collections import Counter
from itertools import groupby
from pathlib import Path

from pelican import signals

from press_content import CONTEXT_KEY
from press_core import postbuild
from press_core.markup import CODE_SALT as MARKUP_SALT
from press_core.markup import plain_inline
from press_core.pagecache import KEPT_FILES
from press_core.parallel import fork_map, processes_of
from press_core.site import Page, site_of, write_or_keep

from . import index as search_index
from .analysis import load_rules
from .index import html_text  # noqa: F401  (the tests compare indexed text with it)

TIMINGS: dict[str, float] = {}  # seconds spent indexing in this process (read by tools/bench_search.py)


def _public(data):
    """``data`` without its ``_`` note keys, at every depth."""
    if isinstance(data, dict):
        return {k: _public(v) for k, v in data.items() if not k.startswith("_")}
    if isinstance(data, list):
        return [_public(v) for v in data]
    return data


def bloc_names(graph, lang: str) -> list[tuple[str, str]]:
    """``(id, name)`` of the blocs, in the configured (neutral) order when press_blocs is present."""
    blocs = graph.sections.get("blocs") if graph is not None else None
    if blocs is None:
        return []
    return [(bloc.id, bloc.name(lang)) for bloc in blocs.ordered(lang)]


class SearchGenerator:
    def __init__(self, context, settings, path, theme, output_path, **kwargs):
        self.context, self.settings, self.output_path = context, settings, output_path

    def generate_context(self):
        site = site_of(self.context)
        for language in site.languages:
            chrome = {**site.get("home", language.code).context}
            code = language.code
            site.add(Page(code, "search", f"{code}/search/index.html", "search.html", dict(chrome)))
            site.add(
                Page(code, "search-all", f"{code}/search/all/index.html", "search_all.html", dict(chrome))
            )

    def generate_output(self, writer):
        started = time.perf_counter()
        self.write_indexes()
        TIMINGS["index_seconds"] = TIMINGS.get("index_seconds", 0) + time.perf_counter() - started

    def write_indexes(self):
        graph = self.context.get(CONTEXT_KEY)
        site = site_of(self.context)
        rules = _public(load_rules())
        processes = processes_of(self.settings)
        shard_bytes = int(self.settings.get("SEARCH_SHARD_BYTES", search_index.SHARD_BYTES))
        languages = [language.code for language in site.languages]
        # Each language's searchable pages in document-number order, then cut into runs: the
        # workers analyze runs (many jobs of one size, so both cores stay busy to the end), then
        # merge each language's runs into its index (one job per language).
        ordered = {
            language.code: search_index.order(
                [
                    (
                        search_index.document(
                            page.search,
                            page.path,
                            language.date(page.search.date) if page.search.date else "",
                        ),
                        page.search,
                    )
                    for page in site.pages(language.code)
                    if page.search is not None
                ]
            )
            for language in site.languages
        }
        runs = [
            (code, ordered[code][run.start : run.stop])
            for code in languages
            for run in search_index.runs([doc for doc, _ in ordered[code]])
        ]
        keys = [search_index.analysis_key(pages, code) for code, pages in runs]
        listing_roots = {code: site.get("search-all", code).root for code in languages}
        merged = {  # what each language's merge makes, by what it depends on
            language.code: search_index.merge_key(
                [key for key, (code, _) in zip(keys, runs, strict=True) if code == language.code],
                [doc for doc, _ in ordered[language.code]],
                shard_bytes,
                rules,
                bloc_names(graph, language.code),
                language.direction,
                listing_roots[language.code],
                MARKUP_SALT,  # plain_inline() of the listing's titles
            )
            for language in site.languages
        }
        # Files the last good output has with the same bytes stay there (most of them, after one
        # edit: the languages without it, and the other shards of its language).
        previous = postbuild.previous_output(self.settings)
        with contextlib.ExitStack() as stack:
            cache = self.settings.get("CACHE_PATH")
            folder = (
                Path(cache) / "search" if cache else Path(stack.enter_context(tempfile.TemporaryDirectory()))
            )
            store = search_index.AnalysisStore(folder)

            def analysis(number: int):  # what makes run ``number``'s analysis
                code, pages = runs[number]
                return lambda: search_index.analyze(pages, code)

            def merge(language) -> tuple[dict, list[str]]:  # one language's runs merged, its files written
                code = language.code
                if store.path(merged[code]).exists():  # an earlier build's, from the same runs
                    files, values = store.load(merged[code])
                else:
                    docs = [doc for doc, _ in ordered[code]]
                    analyses = [
                        store.wait(keys[number], analysis(number))
                        for number, (lang, _) in enumerate(runs)
                        if lang == code
                    ]
                    index = search_index.finish(docs, analyses, shard_bytes)
                    files = search_index.files(index, rules)
                    rtl = language.direction == "rtl"
                    values = self.fill_pages(graph, code, rtl, index, listing_roots[code])
                    store.ensure(merged[code], lambda: (files, values))
                kept = []
                for relative, text in files.items():
                    path = f"{code}/search/{relative}"
                    if write_or_keep(self.output_path, path, text.encode("utf-8"), previous):
                        kept.append(path)
                return values, kept

            def job(number: int) -> tuple | None:
                if number < len(runs):
                    store.ensure(keys[number], analysis(number))
                    return None
                return merge(site.languages[number - len(runs)])

            # One pass: the runs of every language, then each language's merge, which waits for
            # its runs (all handed out before it, so they are done or in progress).  A merge thus
            # starts while the other core still analyzes the last runs, and no core waits for a
            # whole round to end.
            found = fork_map(job, len(runs) + len(languages), processes, jobs_per_process=1)[len(runs) :]
            store.keep_only([*keys, *merged.values()])
        for language, (pages, kept) in zip(site.languages, found, strict=True):
            for page_id, values in pages.items():
                site.get(page_id, language.code).context.update(values)
            self.settings.setdefault(KEPT_FILES, set()).update(kept)

    @staticmethod
    def fill_pages(graph, lang: str, rtl: bool, index, listing_root: str) -> dict[str, dict]:
        """The filter values for the search page, the grouped list for the listing page (whose
        links start with ``listing_root``) (page id -> what to add to its context)."""
        meta = index.meta
        count = Counter()
        for doc in index.docs:
            count["section", doc.section] += 1
            count["year", doc.year] += 1
            for bloc in doc.blocs:
                count["bloc", bloc] += 1
        names = dict(bloc_names(graph, lang))
        order = [b for b in names if b in meta["blocs"]] + [b for b in meta["blocs"] if b not in names]
        filters = {
            "section": [(key, count["section", key]) for key in meta["sections"]],
            "bloc": [(key, names.get(key, key), count["bloc", key]) for key in order],
            "year": [(year, count["year", year]) for year in meta["years"]],
        }
        listing = []
        for section, docs in groupby(sorted(index.docs, key=lambda d: d.section), key=lambda d: d.section):
            newest = sorted(docs, key=lambda d: (-(d.date.timestamp() if d.date else 0), d.path))
            by_year = [
                (year, [(listing_root + d.path, plain_inline(d.title, rtl), d.date_text) for d in group])
                for year, group in groupby(newest, key=lambda d: d.year)
            ]
            listing.append((section, by_year))
        return {
            "search": {"search_filters": filters, "search_total": len(index.docs)},
            "search-all": {"search_listing": listing},
        }


def get_generators(pelican):
    return SearchGenerator


def register():
    signals.get_generators.connect(get_generators)
