"""The search analyzer: text -> index terms, for Arabic (ar), Central Kurdish / Sorani (ckb) and English (en).

The build indexes every page with :func:`analyze`; the browser analyzes the reader's query with
``theme/static/js/analyzer.js``.  Both read the same ``rules.json`` (beside this file), so a word is
turned into the same term at build time and at query time: that agreement is what the tests check,
vector by vector, against node.

The pipeline (all of it driven by ``rules.json``):

1. Unicode NFKC (never NFD/NFKD: those would split Sorani ئ into ي + hamza), a few sequence fixes,
   then harakat, Quranic marks, tatweel, bidi controls and other invisible characters are removed,
   Arabic-Indic and Persian digits fold to ASCII, and the text is lowercased.
2. Tokens are runs of letters (with their combining marks and ZWNJ) or runs of digits; everything
   else separates them (so ``2025م`` gives ``2025`` and ``م``).
3. Per language: stopwords, letter folding (Arabic hamza/alef/yeh/teh-marbuta forms; Sorani typed on an
   Arabic keyboard), then a *light* affix stripper (one prefix and one suffix for Arabic, stacked
   suffixes for Sorani) or, for English, the Snowball English (Porter2) stemmer.

Why hand-written: no maintained library does light Arabic *and* Sorani stemming with folding that beats
Pagefind's (which neither folds Arabic letter variants nor Sorani keyboard spellings).  whoosh's Arabic
stemmer is ISRI, a root extractor: it conflates unrelated words that share a root (حكومة/محكمة,
كتاب/كاتب/مكتب), so it is not used.  The English side uses ``snowballstemmer``; analyzer.js carries a
port of the same algorithm, checked against it on thousands of words.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

import snowballstemmer

RULES_PATH = Path(__file__).with_name("rules.json")
ZWNJ = "\u200c"

__all__ = ["RULES_PATH", "analyze", "load_rules", "normalize", "tokens"]


@dataclass(frozen=True)
class _Lang:
    """One language's compiled rules."""

    char_map: dict[str, str] = field(default_factory=dict)
    seq: tuple[tuple[str, str], ...] = ()
    initial: dict[str, str] = field(default_factory=dict)
    final: dict[str, str] = field(default_factory=dict)
    stop_raw: bool = True
    stopwords: frozenset[str] = frozenset()
    prefixes: tuple[tuple[str, int, tuple[str, ...]], ...] = ()
    prefix_rounds: int = 0
    suffixes: tuple[tuple[str, int, tuple[str, ...]], ...] = ()
    suffix_rounds: int = 0
    stemmer: str = ""

    def fold(self, token: str) -> str:
        """Letter folding of one token (no stemming)."""
        token = "".join(self.char_map.get(ch, ch) for ch in token)
        for old, new in self.seq:
            token = token.replace(old, new)
        token = token.replace(ZWNJ, "")
        if token and token[0] in self.initial:
            token = self.initial[token[0]] + token[1:]
        return self.final_fold(token)

    def final_fold(self, token: str) -> str:
        """The word-final folding (Sorani heh -> ae), also re-applied after every affix is stripped."""
        if token and token[-1] in self.final:
            token = token[:-1] + self.final[token[-1]]
        return token


@dataclass(frozen=True)
class _Rules:
    seq: tuple[tuple[str, str], ...]
    strip: re.Pattern[str]
    digits: dict[int, str]
    other_digits: re.Pattern[str]  # any digit that ``digits`` changes (str.translate is slow: skip it)
    langs: dict[str, _Lang]


def _affixes(entries) -> tuple[tuple[str, int, tuple[str, ...]], ...]:
    """``[affix, shortest remainder, [allowed remainder endings]?]`` entries, longest affix first (stable)."""
    parsed = [(e[0], int(e[1]), tuple(e[2]) if len(e) > 2 else ()) for e in entries]
    return tuple(sorted(parsed, key=lambda e: -len(e[0])))


def _compile_lang(spec: dict, base: Callable[[str], str]) -> _Lang:
    """One language's rules; ``base`` runs the language-independent steps (stopwords get them too)."""
    words = spec.get("stopwords", [])
    lang = _Lang(
        char_map=dict(spec.get("map", {})),
        seq=tuple(spec.get("seq", {}).items()),
        initial=dict(spec.get("initial", {})),
        final=dict(spec.get("final", {})),
        stop_raw=spec.get("stop_stage", "raw") == "raw",
        stopwords=frozenset(base(w) for w in words),
        prefixes=_affixes(spec.get("prefixes", [])),
        prefix_rounds=int(spec.get("prefix_rounds", 1)),
        suffixes=_affixes(spec.get("suffixes", [])),
        suffix_rounds=int(spec.get("suffix_rounds", 1)),
        stemmer=spec.get("stemmer", ""),
    )
    if not lang.stop_raw:  # matched after folding: fold the list the same way
        lang = replace(lang, stopwords=frozenset(lang.fold(w) for w in lang.stopwords))
    return lang


def load_rules(path: Path = RULES_PATH) -> dict:
    """The rule file as data (what the site embeds as ``window.PressSearchRules``)."""
    return json.loads(path.read_text(encoding="utf-8"))


def _compile(raw: dict) -> _Rules:
    digits = {ord(ch): str(i) for system in raw["digits"] for i, ch in enumerate(system)}
    changed = "".join(sorted(chr(code) for code, ascii_digit in digits.items() if chr(code) != ascii_digit))
    rules = _Rules(
        seq=tuple(raw.get("seq", {}).items()),
        strip=re.compile("[" + raw["strip"] + "]"),
        digits=digits,
        other_digits=re.compile("[" + re.escape(changed) + "]" if changed else "(?!)"),
        langs={},
    )
    for code, spec in raw["langs"].items():
        rules.langs[code] = _compile_lang(spec, lambda text: _base(rules, text))
    return rules


@cache
def _rules() -> _Rules:
    return _compile(load_rules())


def _base(rules: _Rules, text: str) -> str:
    """The language-independent steps on a whole text: NFKC, sequences, strip, digits, lowercase."""
    text = unicodedata.normalize("NFKC", text)
    for old, new in rules.seq:
        text = text.replace(old, new)
    text = rules.strip.sub("", text)
    if rules.other_digits.search(text):
        text = text.translate(rules.digits)
    return text.lower()


def _kind(ch: str) -> str:
    """``L`` for letters, combining marks and ZWNJ; ``N`` for numbers; ``""`` for separators."""
    if ch == ZWNJ:
        return "L"
    cat = unicodedata.category(ch)[0]
    return "L" if cat in "LM" else cat if cat == "N" else ""


def _split_chunk(chunk: str) -> tuple[str, ...]:
    """Runs of letters (ZWNJ trimmed off their ends) and runs of digits in text without whitespace."""
    out: list[str] = []
    run, run_kind = [], ""
    for ch in chunk + " ":
        kind = _kind(ch)
        if kind != run_kind and run:
            token = "".join(run).strip(ZWNJ)
            if token:
                out.append(token)
            run = []
        run_kind = kind
        if kind:
            run.append(ch)
    return tuple(out)


def _language(code: str) -> _Lang:
    """The rules for ``code`` (``ar``, ``ckb-IQ``, ``en_GB`` …); unknown languages only get the base steps."""
    primary = re.split(r"[-_]", (code or "").lower())[0]
    return _rules().langs.get(primary, _Lang())


def _strip_affixes(lang: _Lang, word: str, affixes, rounds: int, suffix: bool) -> str:
    """Up to ``rounds`` strips; each takes the longest affix whose remainder is long enough and fits."""
    for _ in range(rounds):
        for affix, shortest, after in affixes:
            if suffix and word.endswith(affix):
                rest = word[: -len(affix)]
                fits = not after or rest.endswith(after)
            elif not suffix and word.startswith(affix):
                rest = word[len(affix) :]
                fits = not after or rest.startswith(after)
            else:
                continue
            if len(rest) >= shortest and fits:
                word = lang.final_fold(rest)
                break
        else:
            break
    return word


@cache
def _snowball(name: str):
    return snowballstemmer.stemmer(name)


def _stem(lang: _Lang, word: str) -> str:
    word = _strip_affixes(lang, word, lang.prefixes, lang.prefix_rounds, suffix=False)
    word = _strip_affixes(lang, word, lang.suffixes, lang.suffix_rounds, suffix=True)
    if lang.stemmer:
        word = _snowball(lang.stemmer).stemWord(word)
    return word


CHUNKS_KEPT = 500_000  # per language: what tokens() remembers of the words it met


@cache
def _chunks(lang: str) -> dict[str, tuple[tuple[str, str | None], ...]]:
    """``lang``'s memo for :func:`tokens`: text without whitespace -> its tokens."""
    return {}


def tokens(text: str, lang: str) -> list[tuple[str, str | None]]:
    """``(folded token, term or None)`` for every token; the term is None for a stopword.

    Whitespace separates tokens anyway, so the text is cut there and each piece is analyzed once
    per process: a build meets the same words again and again.  The tuples are shared, so callers
    can count them as they are."""
    primary = re.split(r"[-_]", (lang or "").lower())[0]
    known = _chunks(primary)
    out: list[tuple[str, str | None]] = []
    for chunk in _base(_rules(), text or "").split():
        found = known.get(chunk)
        if found is None:
            if len(known) >= CHUNKS_KEPT:
                known.clear()
            found = known[chunk] = tuple(_token(primary, raw) for raw in _split_chunk(chunk))
        out += found
    return out


def _token(lang: str, raw: str) -> tuple[str, str | None]:
    """One token's folded form and term."""
    if _kind(raw[0]) == "N":  # numbers are terms as they are
        return (raw, raw)
    rules = _language(lang)
    folded = rules.fold(raw)
    if (raw if rules.stop_raw else folded) in rules.stopwords or not folded:
        return (folded, None)
    return (folded, _stem(rules, folded))


def analyze(text: str, lang: str) -> list[str]:
    """The index terms of ``text`` in language ``lang``, in text order (repeats kept)."""
    return [term for _, term in tokens(text, lang) if term]


def normalize(text: str, lang: str) -> str:
    """``text`` folded for matching and highlighting: tokens folded, not stemmed, stopwords kept."""
    return " ".join(folded for folded, _ in tokens(text, lang) if folded)
