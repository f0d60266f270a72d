"""Client-side search, static and file:// compatible: a build-time index and the shared analyzer.

Adds to the build, for each language: the page ``<lang>/search/index.html`` (page id ``search``,
template ``search.html``), and beside it in ``<lang>/search/`` the classic scripts the page loads
(no fetch, modules or workers, so the search also works opened from disk):

* ``rules.js``: ``window.PressSearchRules = {…}``, the analyzer rules (``rules.json`` without its
  ``_`` notes) that ``theme/js/analyzer.js`` reads, so queries get the index's terms;
* ``docs.js``: ``window.PressSearchDocs = [[url, title, date, section, length], …]``, one row per
  article in the language (url relative to the search page, ``length`` = its number of terms);
* ``shard-XXXX.js``: ``PressSearch.addShard("XXXX", {term: [[doc, tf, in_title], …], …})``, the
  terms whose first character is U+XXXX (so the last, unfinished query word is found by prefix
  within one shard).

Terms are :func:`press_search.analysis.analyze` of each article's title and body text in that
language; output is deterministic (sorted keys, compact JSON).
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter

from pelican import signals

from press_content import CONTEXT_KEY
from press_core.site import Page, site_of, write_file

from .analysis import analyze, load_rules

_INLINE = "a|abbr|b|bdi|bdo|cite|code|data|dfn|em|i|kbd|mark|q|s|samp|small|span|strong|sub|sup|time|u|var"
_INLINE_TAG = re.compile(rf"</?(?:{_INLINE})\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


def html_text(markup: str) -> str:
    """Plain text of sanitised HTML: inline tags vanish, block tags separate words."""
    return html.unescape(_TAG.sub(" ", _INLINE_TAG.sub("", markup or "")))


def shard_of(term: str) -> str:
    """The shard a term lives in: its first character's code point, 4+ hex digits."""
    return f"{ord(term[0]):04x}"


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def build_index(versions, lang: str, root: str, date, section) -> tuple[list, dict[str, dict]]:
    """``(docs, shards)`` for ``versions``: shards map shard id -> term -> postings."""
    docs, shards = [], {}
    for number, version in enumerate(versions):
        title_terms = analyze(version.title, lang)
        counts = Counter(title_terms + analyze(html_text(version.body), lang))
        in_title = set(title_terms)
        docs.append(
            [root + version.path, version.title, date(version), section(version), sum(counts.values())]
        )
        for term, tf in sorted(counts.items()):
            postings = shards.setdefault(shard_of(term), {}).setdefault(term, [])
            postings.append([number, tf, 1 if term in in_title else 0])
    return docs, shards


class SearchGenerator:
    def __init__(self, context, settings, path, theme, output_path, **kwargs):
        self.context, self.output_path = context, output_path

    def generate_context(self):
        site = site_of(self.context)
        for language in site.languages:
            home = site.get("home", language.code)
            site.add(
                Page(
                    language.code,
                    "search",
                    f"{language.code}/search/index.html",
                    "search.html",
                    {**home.context},
                )
            )

    def generate_output(self, writer):
        graph = self.context[CONTEXT_KEY]
        site = site_of(self.context)
        rules = _json(_public(load_rules()))
        for language in site.languages:
            code = language.code
            folder = f"{code}/search"
            docs, shards = build_index(
                graph.versions(code),
                code,
                site.get("search", code).root,
                lambda v, lang=language: lang.date(v.date) if v.date else "",
                lambda v, lang=code: graph.category_label(v.item.category, lang) if v.item.category else "",
            )
            write_file(self.output_path, f"{folder}/rules.js", f"window.PressSearchRules = {rules};\n")
            write_file(self.output_path, f"{folder}/docs.js", f"window.PressSearchDocs = {_json(docs)};\n")
            for shard, terms in sorted(shards.items()):
                write_file(
                    self.output_path,
                    f"{folder}/shard-{shard}.js",
                    f'PressSearch.addShard("{shard}", {_json(terms)});\n',
                )


def _public(data):
    """``data`` without its ``_`` note keys, at every depth."""
    if isinstance(data, dict):
        return {k: _public(v) for k, v in data.items() if not k.startswith("_")}
    if isinstance(data, list):
        return [_public(v) for v in data]
    return data


def get_generators(pelican):
    return SearchGenerator


def register():
    signals.get_generators.connect(get_generators)
