"""The static search index of one language: documents -> the classic scripts the search page loads.

Written by hand because the index must be plain classic scripts (``file://`` forbids fetch, modules,
WebAssembly and workers) in a format small enough for 10,000 documents per language; no library
writes that.  Files, all in ``<lang>/search/`` (the browser side is ``theme/static/js/search.js``):

* ``meta.js``: ``window.PressSearchRules`` (the analyzer rules) and ``window.PressSearchMeta``:
  ``n`` (documents), ``shards`` (which shard files exist: :func:`shard_tree`),
  ``sections``/``blocs``/``years`` (the filter values) and ``groups`` (``[first document,
  section, [blocs], year]``: documents are numbered so that each combination of filter values is one
  run of numbers, so filtering needs no per-document table).
* ``shard-XXXX[-XXXX…].js``: ``PressSearch.addShard(key, {term: postings})``.  A shard holds the
  terms that begin with its key (code points in hex); a shard bigger than ``SHARD_BYTES`` is split by
  the next character (the ``shards`` tree shows which were), and a term equal to a split prefix
  lives in the key + ``0000`` shard.  ``postings`` is one string of (document number delta, impact)
  pairs, each number written in base 32 (see :func:`encode`).
* ``doc/N.js``: ``PressSearch.addDocs(first, [[link, title, date, section, excerpt], …])``, the
  records of documents ``DOCS_PER_FILE`` × N onwards, loaded only for the results on screen (``link``
  is the page's path from the output root without a final ``index.html``; the excerpt is the start of
  the text, for the highlighted snippet).  A few records a file: one file per document would cost
  more in gzip overhead than the few extra bytes a query loads.
* ``terms.js``: ``PressSearch.addTerms([[term, word], …])``, the most frequent terms and a word that
  gives each, loaded only when a query finds nothing ("did you mean").

Building is two steps so the first can run in parallel and be cached: :func:`analyze` turns a run of
documents into term counts (:class:`Analysis`, kept by :class:`AnalysisStore`), :func:`finish` merges
a language's runs into postings and files.

Ranking is BM25F: a title occurrence counts ``TITLE_WEIGHT`` body occurrences; the term-frequency
part of BM25 is computed here (``impact``, quantized to 1..31) and the browser multiplies it by the
term's idf, which it derives from the posting count.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import importlib.metadata
import json
import math
import os
import pickle
import re
import time
import zlib
from array import array
from collections import Counter
from dataclasses import dataclass
from functools import cache
from operator import itemgetter
from pathlib import Path

from press_core.pagecache import files_digest

from .analysis import tokens

K1, B = 1.2, 0.75
TITLE_WEIGHT = 3
LEVELS = 31  # impacts are quantized to 1..LEVELS (one base-32 digit)
SHARD_BYTES = 24_000  # split a shard whose file would be bigger than this (about 10 KB gzipped)
EXCERPT_CHARS = 160
DOCS_PER_FILE = 4  # records per doc/N.js
SUGGESTION_TERMS = 4000  # terms.js: the most frequent terms
COMMON_TF = 5  # finish() tabulates the impacts of term frequencies below this for every document
RUN_DOCS = 500  # documents analyzed together (one job of the build's workers, one cache entry)
FINAL = "0123456789abcdefghijklmnopqrstuv"  # the last base-32 digit of a number
MORE = "ABCDEFGHIJKLMNOPQRSTUVWXYZwxyz-_"  # every earlier digit
END = "\0"  # a term equal to a split prefix goes to the prefix + END shard

_INLINE = "a|abbr|b|bdi|bdo|cite|code|data|dfn|em|i|kbd|mark|q|s|samp|small|span|strong|sub|sup|time|u|var"
_INLINE_TAG = re.compile(rf"</?(?:{_INLINE})\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def html_text(markup: str) -> str:
    """Plain text of sanitised HTML: inline tags vanish, block tags separate words."""
    return html.unescape(_TAG.sub(" ", _INLINE_TAG.sub("", markup or "")))


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The start of ``text``, whitespace collapsed, cut at a word boundary with an ellipsis."""
    start = _SPACE.sub(" ", text[: 4 * limit]).strip()  # the start is enough, unless mostly spaces
    text = start if len(start) > limit else _SPACE.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[:limit]
    return (cut[: cut.rfind(" ")] if " " in cut else cut).rstrip(" ,.;:،؛") + "…"


def encode(numbers) -> str:
    """Non-negative integers as base-32 digits: ``MORE`` digits, then one ``FINAL`` digit, each."""
    out = []
    for n in numbers:
        digits = [FINAL[n % 32]]
        n //= 32
        while n:
            digits.append(MORE[n % 32])
            n //= 32
        out.append("".join(reversed(digits)))
    return "".join(out)


def decode(text: str) -> list[int]:
    """The inverse of :func:`encode`."""
    out, n = [], 0
    for ch in text:
        if ch in FINAL:
            out.append(n * 32 + FINAL.index(ch))
            n = 0
        else:
            n = n * 32 + MORE.index(ch)
    return out


def postings_of(text: str) -> list[tuple[int, int]]:
    """``(document, impact)`` pairs of an encoded postings string."""
    numbers, out, doc = decode(text), [], -1
    for delta, impact in zip(numbers[::2], numbers[1::2], strict=True):
        doc += delta
        out.append((doc, impact))
    return out


def shard_key(term: str, split: set[str]) -> str:
    """The prefix (or split prefix + END) naming the shard that holds ``term``."""
    term += END
    k = 1
    while term[:k] in split and k < len(term):
        k += 1
    return term[:k]


def shard_name(key: str) -> str:
    return "-".join(f"{ord(ch):04x}" for ch in key)


@dataclass
class Document:
    """What the index keeps of one page: its record.  Its words go straight into the postings
    (:func:`build`): at tens of thousands of pages a language, keeping them per page would not fit
    a worker's share of the build's memory."""

    path: str  # the page's output path, e.g. "en/articles/congress-call/index.html"
    title: str
    section: str
    date: dt.datetime | None
    date_text: str  # the date as the language writes it
    blocs: tuple[str, ...] = ()
    year: str = ""
    excerpt: str = ""  # the start of the plain text (:func:`excerpt`), set by :func:`build`

    @property
    def group(self) -> tuple[str, tuple[str, ...], str]:
        return (self.section, self.blocs, self.year)

    @property
    def shown(self) -> tuple:
        """What the index and the listing show of the document, but its words."""
        date = self.date.isoformat() if self.date else ""
        return (self.path, self.title, self.section, date, self.date_text, self.blocs, self.year)


def facet_values(value) -> tuple[str, ...]:
    """A facet given as a string (ids separated by spaces or commas) or a list, as sorted ids."""
    parts = re.split(r"[\s,]+", value) if isinstance(value, str) else [str(v) for v in value or ()]
    return tuple(sorted({p for p in parts if p}))


def document(entry, path: str, date_text: str) -> Document:
    """The :class:`Document` of a ``press_core.site.SearchEntry`` (its words: :func:`build`)."""
    facets = entry.facets or {}
    year = str(facets.get("year") or (entry.date.year if entry.date else ""))
    blocs = facet_values(facets.get("bloc", ()))
    return Document(path, entry.title, entry.section, entry.date, date_text, blocs, year)


@dataclass
class Index:
    docs: list[Document]  # in document-number order
    terms: dict[str, str]  # term -> encoded postings
    split: set[str]
    shards: dict[str, dict[str, str]]  # shard key -> {term: postings}
    meta: dict
    suggestions: list[list[str]]


def _order_key(doc: Document):
    """Each (section, blocs, year) group one run of numbers; newest first inside a group."""
    return (doc.group, -(doc.date.timestamp() if doc.date else 0), doc.path)


def order(pages: list[tuple[Document, object]]) -> list[tuple[Document, object]]:
    """``(document, search entry)`` pairs in document-number order."""
    return sorted(pages, key=lambda page: _order_key(page[0]))


@dataclass
class Analysis:
    """The words of a run of documents, numbered from 0 (what :func:`finish` merges; a cached,
    pickled value: see :class:`AnalysisStore`)."""

    lengths: array  # each document's length in words (a title word counts TITLE_WEIGHT)
    terms: list[str]
    ends: array  # where each term's postings end in ``numbers``
    numbers: array  # each term's postings in turn: document number, term frequency, number, …
    surface: Counter  # (term, folded word) -> occurrences, for "did you mean"
    excerpts: list[str]
    # Three flat arrays, not a dict of one array per term: they pickle 15 times as fast.

    def postings(self):
        """``(term, its numbers)`` for each term."""
        start = 0
        for term, end in zip(self.terms, self.ends, strict=True):
            yield term, self.numbers[start:end]
            start = end


_TERM = itemgetter(1)  # (folded word, term) -> term


def analyze(pages: list[tuple[Document, object]], lang: str) -> Analysis:
    """Analyze each text of ``pages`` (in document-number order) once: its length, and (number,
    term frequency) appended to each of its terms' postings."""
    words: Counter = Counter()  # (folded word, term or None) -> occurrences
    lengths = array("i")
    postings: dict[str, array] = {}
    excerpts = []
    for number, (_, entry) in enumerate(pages):
        text = html_text(entry.text)
        excerpts.append(excerpt(text))
        body, title = tokens(text, lang), tokens(entry.title, lang)
        words.update(body)  # Counter.update of a list and Counter(map(...)) count in C: this is per word
        words.update(title)
        counts = Counter(map(_TERM, body))
        for term in map(_TERM, title):
            counts[term] += TITLE_WEIGHT
        for stopword in (None, ""):
            counts.pop(stopword, None)
        lengths.append(sum(counts.values()))
        for term, tf in counts.items():
            numbers = postings.get(term)
            if numbers is None:
                numbers = postings[term] = array("i")
            numbers.append(number)
            numbers.append(tf)
    surface = Counter({(term, folded): count for (folded, term), count in words.items() if term})
    flat, ends = array("i"), array("i")
    for numbers in postings.values():
        flat.extend(numbers)
        ends.append(len(flat))
    return Analysis(lengths, list(postings), ends, flat, surface, excerpts)


def runs(docs: list[Document], size: int = RUN_DOCS) -> list[range]:
    """Document numbers cut into runs of about ``size``, to analyze (and cache) apart.  A run ends
    after a document whose path hashes to 0 modulo ``size`` (or at twice ``size``), so adding or
    removing a document changes its own run only, not the cached analyses of the others."""
    out, start = [], 0
    for number, doc in enumerate(docs):
        if zlib.crc32(doc.path.encode()) % size == 0 or number + 1 - start >= 2 * size:
            out.append(range(start, number + 1))
            start = number + 1
    if start < len(docs):
        out.append(range(start, len(docs)))
    return out


@cache
def _code_digest() -> bytes:
    """What an analysis depends on besides its texts: this plugin's code and rules, the stemmer."""
    return files_digest([Path(__file__).parent]) + importlib.metadata.version("snowballstemmer").encode()


def analysis_key(pages: list[tuple[Document, object]], lang: str) -> str:
    """The cache key of :func:`analyze` ``(pages, lang)``."""
    return _key((lang, *(text for _, entry in pages for text in (entry.title, entry.text))))


def merge_key(run_keys: list[str], docs: list[Document], *more: object) -> str:
    """The cache key of a language's merged index: its runs' analysis keys, what each document
    shows besides its words (link, title, section, dates, facets) and ``more`` (the settings and
    names the index files and the search pages read)."""
    return "merged-" + _key((*run_keys, *(repr(doc.shown) for doc in docs), *map(repr, more)))


def _key(parts) -> str:
    """A digest of this code and the texts ``parts``, each with its length (so none runs into the
    next).  SHA-256 (its first 16 bytes): a rebuild hashes every text, and on processors with SHA
    instructions it runs twice as fast as BLAKE2b (as the page keys, press_core.pagecache)."""
    digest = hashlib.sha256(_code_digest())
    for part in parts:
        data = part.encode()
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()[:32]


class AnalysisStore:
    """Analyses on disk, one pickle per run named by its :func:`analysis_key`: the workers that
    analyze write them, each language's finishing worker reads its own (so no analysis passes
    through the build's own process), and the next build reuses every run whose texts did not
    change; beside them each language's merged files and search-page values, named by its
    :func:`merge_key`.  ``CACHE_PATH/search/``, or a temporary folder when the build keeps no cache."""

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.pickle"

    def ensure(self, key: str, make) -> None:
        """Store ``make()`` under ``key`` unless an earlier build did."""
        if self.path(key).exists():
            return
        self.folder.mkdir(parents=True, exist_ok=True)  # again: someone may have emptied the cache
        temporary = self.path(key).with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(pickle.dumps(make(), protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, self.path(key))

    def load(self, key: str):
        return pickle.loads(self.path(key).read_bytes())

    def wait(self, key: str, make, patience: float = 120.0, poll: float = 0.01) -> Analysis:
        """:meth:`load`, once another worker has stored ``key`` (it is being analyzed right now).

        A run takes well under a second to analyze; if ``key`` is still missing after
        ``patience`` seconds (someone emptied the cache folder after it was stored; a worker
        killed while analyzing it stops the whole build, press_core.parallel), it is made here
        with ``make``, as :meth:`ensure` would: the same analysis, so
        the index is the same, and this merge never waits forever."""
        deadline = time.monotonic() + patience
        while not self.path(key).exists():
            if time.monotonic() > deadline:
                self.ensure(key, make)
                break
            time.sleep(poll)
        return self.load(key)

    def keep_only(self, keys) -> None:
        """Delete what this build did not use."""
        wanted = {self.path(key).name for key in keys}
        for path in self.folder.iterdir():
            if path.name not in wanted:
                path.unlink(missing_ok=True)


def finish(docs: list[Document], analyses: list[Analysis], shard_bytes: int = SHARD_BYTES) -> Index:
    """The index of ``docs`` (in document-number order) from the analyses of their runs, in order:
    each posting's term frequency becomes its BM25 impact once the average length is known."""
    lengths = array("i")
    surface: Counter = Counter()
    segments: dict[str, list[tuple[int, array]]] = {}  # term -> (first number of the run, postings)
    for analysis in analyses:
        first = len(lengths)
        for doc, text in zip(docs[first : first + len(analysis.excerpts)], analysis.excerpts, strict=True):
            doc.excerpt = text
        lengths.extend(analysis.lengths)
        surface.update(analysis.surface)
        for term, numbers in analysis.postings():
            segments.setdefault(term, []).append((first, numbers))
    average = sum(lengths) / len(lengths) if docs else 1
    norms = [K1 * (1 - B + B * length / (average or 1)) for length in lengths]
    # Per posting only two table lookups: the delta's digits, and the impact digit of (tf, document)
    # for the few small term frequencies that make up nearly every posting (98 % have tf <= 4).
    digits = [encode((number,)) for number in range(len(docs) + 1)]
    common = [[FINAL[_level(tf, norm)] for norm in norms] for tf in range(COMMON_TF)]
    terms, counts = {}, {}
    for term, parts in segments.items():
        out, previous = [], -1
        for first, numbers in parts:
            pairs = iter(numbers)
            for number, tf in zip(pairs, pairs, strict=True):
                number += first
                impact = common[tf][number] if tf < COMMON_TF else FINAL[_level(tf, norms[number])]
                out.append(digits[number - previous] + impact)
                previous = number
        terms[term] = "".join(out)
        counts[term] = len(out)
    split, shards = plan_shards(terms, shard_bytes)
    return Index(docs, terms, split, shards, _meta(docs, shards), _suggestions(counts, surface))


def _level(tf: int, norm: float) -> int:
    """The quantized BM25 impact (1..LEVELS) of a term frequency in a document of length ``norm``."""
    impact = tf * (K1 + 1) / (tf + norm)
    return max(1, min(LEVELS, math.ceil(impact / (K1 + 1) * LEVELS)))


def build(pages: list[tuple[Document, object]], lang: str, shard_bytes: int = SHARD_BYTES) -> Index:
    """The index of ``(document, search entry)`` pairs in language ``lang``, in one process."""
    pages = order(pages)
    docs = [doc for doc, _ in pages]
    return finish(docs, [analyze(pages[run.start : run.stop], lang) for run in runs(docs)], shard_bytes)


def _size(term: str, postings: str) -> int:
    return len(term.encode()) + len(postings) + 6  # "term":"postings",


def plan_shards(terms: dict[str, str], limit: int = SHARD_BYTES) -> tuple[set[str], dict[str, dict]]:
    """Group terms by first character, splitting any group over ``limit`` bytes by the next one."""
    split: set[str] = set()
    shards: dict[str, dict[str, str]] = {}

    def place(prefix: str, chosen: list[str]) -> None:
        size = sum(_size(t, terms[t]) for t in chosen)
        if size <= limit or all(len(t + END) <= len(prefix) for t in chosen):
            shards[prefix] = {t: terms[t] for t in chosen}
            return
        split.add(prefix)
        children: dict[str, list[str]] = {}
        for t in chosen:
            children.setdefault((t + END)[: len(prefix) + 1], []).append(t)
        for child, inside in sorted(children.items()):
            place(child, inside)

    first: dict[str, list[str]] = {}
    for term in sorted(terms):
        first.setdefault(term[0], []).append(term)
    for prefix, chosen in first.items():
        place(prefix, chosen)
    return split, shards


def shard_tree(keys) -> dict[str, str]:
    """Which shards exist: ``{prefix: the characters that follow it in shard keys}``; the keys of this
    mapping other than ``""`` are the split prefixes.  The browser asks only for shards that exist."""
    tree: dict[str, set[str]] = {}
    for key in keys:
        for k in range(len(key)):
            tree.setdefault(key[:k], set()).add(key[k])
    return {prefix: "".join(sorted(chars)) for prefix, chars in tree.items()}


def _meta(docs: list[Document], shards: dict) -> dict:
    sections = sorted({d.section for d in docs})
    blocs = sorted({b for d in docs for b in d.blocs})
    years = sorted({d.year for d in docs if d.year}, reverse=True)
    groups, last = [], None
    for number, doc in enumerate(docs):
        if doc.group != last:
            last = doc.group
            groups.append(
                [
                    number,
                    sections.index(doc.section),
                    [blocs.index(b) for b in doc.blocs],
                    years.index(doc.year) if doc.year else -1,
                ]
            )
    return {
        "n": len(docs),
        "per_file": DOCS_PER_FILE,
        "shards": shard_tree(shards),
        "sections": sections,
        "blocs": blocs,
        "years": years,
        "groups": groups,
    }


def _suggestions(counts: dict[str, int], surface: Counter) -> list[list[str]]:
    """The most frequent terms (``counts``: documents holding them), each with its most frequent word."""
    word: dict[str, tuple[int, str]] = {}
    for (term, folded), count in surface.items():
        if term not in word or (count, folded) > word[term]:
            word[term] = (count, folded)
    ranked = sorted(counts, key=lambda t: (-counts[t], t))[:SUGGESTION_TERMS]
    return [[t, word.get(t, (0, t))[1]] for t in sorted(ranked)]


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def files(index: Index, rules: dict) -> dict[str, str]:
    """Relative path (inside ``<lang>/search/``) -> text of every index file."""
    meta = f"window.PressSearchRules = {_json(rules)};\nwindow.PressSearchMeta = {_json(index.meta)};\n"
    out = {
        "meta.js": meta,
        "terms.js": f"PressSearch.addTerms({_json(index.suggestions)});\n",
    }
    for key, terms in sorted(index.shards.items()):
        name = shard_name(key)
        out[f"shard-{name}.js"] = f'PressSearch.addShard("{name}", {_json(terms)});\n'
    sections = index.meta["sections"]
    for first in range(0, len(index.docs), DOCS_PER_FILE):
        records = [
            [link(doc.path), doc.title, doc.date_text, sections.index(doc.section), doc.excerpt]
            for doc in index.docs[first : first + DOCS_PER_FILE]
        ]
        out[f"doc/{first // DOCS_PER_FILE}.js"] = f"PressSearch.addDocs({first}, {_json(records)});\n"
    return out


def link(path: str) -> str:
    """A record's link: the page's output path without a final ``index.html``."""
    return path[: -len("index.html")] if path.endswith("/index.html") else path
