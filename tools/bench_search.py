"""Search benchmark: ``invoke bench-search [--docs N]``; our search side by side with Pagefind.

Generates a deterministic corpus with tools/bench.py's generator (its frequent words, plus a Zipf-
distributed vocabulary of made-up words per language, so the index sees a realistic long tail), builds
it with the press, then indexes the same built pages with Pagefind (the ``pagefind`` PyPI package's
binary), and measures both in Debian's headless Chromium over a local http server that keeps
connections open, as static hosts do (``browser.support.Site``):

* runtime JavaScript (gzipped) the search needs;
* the first query on a freshly opened search page and later queries on the same page: requests and
  bytes transferred (gzipped sizes: the build writes ``.gz`` beside every file; Pagefind's files are
  compressed already), up to and including the data of the first page of results;
* p95 of the query time (from the query to the first results with their titles on screen);
* index size per language (gzipped), and indexing time as a share of the full build.

Not part of the test suite (tests/test_search_bench.py runs it on a tiny corpus, to keep it working).
Written by hand: no tool measures two static search engines in one browser session.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import math
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "plugins"))

import bench  # noqa: E402  (tools/bench.py: the corpus generator)

LANGS = bench.LANGS
TRANSLATED = 0.9 + 0.1 / len(LANGS)  # share of items a language has (bench.py leaves 1 in 10 untranslated)
PAGE = 10  # results on the first screen (search.js's PAGE)
PAGEFIND_GLOB = "*/{articles,pages}/*/index.html"  # the pages our index holds for this corpus
_SYLLABLE_TEXT = {  # made-up words are built from syllables, as real words are (random letters compress less)
    "ar": "كا تب مر سل ين عم ال ون قا نو حر ية جم هو شع بي عد لا ست ثم رو فة دي نة",
    "ckb": "کا رە گە ڕان دە کە ری نا وە زی بێ شە هە ڵب ژا ئا سۆ ژن پێ کو رد",
    "en": "ca re con tion al in pro ver ment ter mi so la de pe ri sta ble com ex",
}
SYLLABLES = {lang: text.split(" ") for lang, text in _SYLLABLE_TEXT.items()}


# --- the corpus ----------------------------------------------------------------------------------------


def vocabulary(lang: str, size: int, seed: int = 11) -> list[str]:
    """``size`` distinct made-up words of two to four syllables in ``lang``."""
    rng, words = random.Random(f"{seed}-{lang}"), set()
    syllables = SYLLABLES[lang]
    while len(words) < size:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def zipf_paragraph(rare: dict[str, list[str]], weights: list[float]):
    """A replacement for bench._paragraph: half the words from bench's list, half Zipf-distributed."""

    def paragraph(rng: random.Random, lang: str) -> str:
        sentences = []
        for _ in range(rng.randint(3, 6)):
            count = rng.randint(8, 18)
            common = [rng.choice(bench.WORDS[lang]) for _ in range(count // 2)]
            long_tail = rng.choices(rare[lang], cum_weights=weights, k=count - count // 2)
            words = common + long_tail
            rng.shuffle(words)
            if lang != "en" and rng.random() < 0.3:
                words.insert(
                    rng.randint(0, len(words)), rng.choice(["Rosa Luxemburg", "2025", "14.5%", "IQD"])
                )
            sentences.append(" ".join(words) + ".")
        return " ".join(sentences)

    return paragraph


def generate(content: Path, docs: int) -> int:
    """A corpus with at least ``docs`` documents per language; returns the number of items."""
    items = math.ceil(docs / TRANSLATED)
    size = max(2000, docs * 3)
    rare = {lang: vocabulary(lang, size) for lang in LANGS}
    weights, total = [], 0.0
    for rank in range(1, size + 1):
        total += 1 / rank
        weights.append(total)
    original_paragraph, original_words = bench._paragraph, {k: list(v) for k, v in bench.WORDS.items()}
    try:
        bench._paragraph = zipf_paragraph(rare, weights)
        for lang in LANGS:  # titles draw from bench.WORDS: give them a few hundred more words
            bench.WORDS[lang] = original_words[lang] + rare[lang][:: max(1, size // 400)]
        bench.generate(content, items)
    finally:
        bench._paragraph = original_paragraph
        bench.WORDS.update(original_words)
    return items


# --- building -------------------------------------------------------------------------------------------

_BUILD = """
import json, sys
sys.path.insert(0, {plugins!r})
from press_core import build
import press_search
status = build.build({settings!r}, {output!r}, content={content!r}, CACHE_PATH={cache!r})
print("BENCH " + json.dumps(press_search.TIMINGS))
sys.exit(status)
"""


def build_press(content: Path, output: Path) -> tuple[float, float]:
    """(build seconds, indexing seconds) of our build, in a child process."""
    code = _BUILD.format(
        plugins=str(ROOT / "plugins"),
        settings=str(ROOT / "pelicanconf.py"),
        output=str(output),
        content=str(content),
        cache=str(content.parent / "cache"),
    )
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"the build failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    line = next(line for line in done.stdout.splitlines() if line.startswith("BENCH "))
    return seconds, json.loads(line[6:]).get("index_seconds", 0.0)


def build_pagefind(output: Path) -> float:
    """Index the built article and page views with Pagefind into output/pagefind; seconds."""
    started = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pagefind",
            "--site",
            str(output),
            "--glob",
            "*/{articles,pages}/*/index.html",
        ],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"pagefind failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return time.perf_counter() - started


# --- sizes ------------------------------------------------------------------------------------------------


def gz_size(path: Path) -> int:
    """Bytes on the wire with gzip: the build's .gz twin, else compressed here (Pagefind's are already)."""
    twin = path.with_name(path.name + ".gz")
    if twin.exists():
        return twin.stat().st_size
    data = path.read_bytes()
    if path.suffix.startswith(".pf_") or data[:2] == b"\x1f\x8b":
        return len(data)
    return len(gzip.compress(data, 9))


def index_size(folder: Path) -> int:
    return sum(gz_size(p) for p in folder.rglob("*") if p.is_file() and p.suffix not in (".gz", ".br"))


def pagefind_index_size(output: Path, lang: str) -> int:
    folder = output / "pagefind"
    return sum(
        p.stat().st_size
        for p in folder.rglob("*")
        if p.is_file() and (p.name.startswith(f"{lang}_") or f".{lang}_" in p.name or f"{lang}-" in p.name)
    )


# --- the browser ----------------------------------------------------------------------------------------


def queries(output: Path, lang: str, count: int, seed: int = 5) -> list[str]:
    """Queries from real words of the corpus: one to three words, frequent and rare, some unfinished."""
    sys.path.insert(0, str(ROOT / "plugins"))
    rng = random.Random(f"{seed}-{lang}")
    text = " ".join(
        p.read_text(encoding="utf-8").split("---", 2)[2]
        for p in sorted((output.parent / "content" / "articles").glob(f"*.{lang}.md"))[:200]
    )
    words = [w.strip(".,") for w in text.split() if len(w.strip(".,")) >= 4 and not w[0].isdigit()]
    out = []
    for _ in range(count):
        chosen = [rng.choice(words) for _ in range(rng.choice([1, 1, 2, 3]))]
        if rng.random() < 0.3:
            chosen[-1] = chosen[-1][: max(3, len(chosen[-1]) - 2)]  # still typing
        out.append(" ".join(chosen))
    return out


OURS_QUERY = """async ([q, page]) => {
  const list = document.getElementById('search-results'), input = document.getElementById('search-q');
  const started = performance.now();
  input.value = q;
  document.getElementById('search-form').requestSubmit();
  await new Promise(done => {
    const check = () => list.getAttribute('aria-busy') === 'false' ? done() : setTimeout(check, 1);
    check();
  });
  return [performance.now() - started, list.children.length];
}"""

PAGEFIND_QUERY = """async ([q, page]) => {
  if (!window.pf) {
    window.pf = await import('/pagefind/pagefind.js');
    await window.pf.init();
  }
  const started = performance.now();
  const found = await window.pf.search(q);
  const data = await Promise.all(found.results.slice(0, page).map(r => r.data()));
  return [performance.now() - started, data.length];
}"""


def measure_browser(output: Path, lang: str, engine: str, qs: list[str]) -> dict:
    from browser.support import Site, launch_browser
    from playwright.sync_api import sync_playwright

    site = Site(output)
    sizes: dict[str, int] = {}

    def wire(url: str) -> int:
        path = output / site.path_of(url)
        if path not in sizes:
            sizes[path] = gz_size(path) if path.is_file() else 0
        return sizes[path]

    try:
        with sync_playwright() as playwright:
            browser = launch_browser(playwright)
            context = browser.new_context(bypass_csp=True)
            tab = context.new_page()
            seen: list[str] = []
            tab.on("request", lambda r: seen.append(r.url))
            if engine == "press":
                tab.goto(site.url(f"{lang}/search/index.html"), wait_until="load")
                script = OURS_QUERY
            else:
                blank = output / lang / "pagefind-bench.html"
                blank.write_text(f'<!doctype html><html lang="{lang}"><title>bench</title></html>', "utf-8")
                tab.goto(site.url(f"{lang}/pagefind-bench.html"), wait_until="load")
                script = PAGEFIND_QUERY

            def relevant(urls):
                skip = (".html", ".css", ".woff2", ".woff", ".svg", ".png", ".ico")
                return [u for u in urls if not u.split("?")[0].endswith(skip)]

            page_load = relevant(seen)
            seen.clear()
            first_ms, _ = tab.evaluate(script, [qs[0], PAGE])
            first = page_load + relevant(seen)
            seen.clear()
            times, later = [first_ms], []
            for q in qs[1:]:
                ms, _ = tab.evaluate(script, [q, PAGE])
                times.append(ms)
                later.append(relevant(seen))
                seen.clear()
            browser.close()
    finally:
        site.stop()
    runtime = [u for u in first if "/theme/js/" in u or u.endswith(("pagefind.js", ".pagefind"))]
    later_bytes = sorted(sum(wire(u) for u in urls) for urls in later)
    later_requests = sorted(len(urls) for urls in later)
    return {
        "runtime_kb": sum(wire(u) for u in runtime) / 1024,
        "first_kb": sum(wire(u) for u in first) / 1024,
        "first_requests": len(first),
        "later_kb_p95": _p95(later_bytes) / 1024,
        "later_requests_p95": _p95(later_requests),
        "p95_ms": _p95(sorted(times[1:] or times)),
        "median_ms": statistics.median(times),
    }


def _p95(values: list[float]) -> float:
    return values[min(len(values) - 1, math.ceil(0.95 * len(values)) - 1)] if values else 0.0


# --- the report -----------------------------------------------------------------------------------------


def run(docs: int, count: int, keep: Path | None = None, pagefind: bool = True) -> dict:
    with contextlib.ExitStack() as stack:
        tmp = keep or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="press-bench-search-")))
        content, output = tmp / "content", tmp / "output"
        if content.exists():
            shutil.rmtree(content)
        items = generate(content, docs)
        build_seconds, index_seconds = build_press(content, output)
        pagefind_seconds = build_pagefind(output) if pagefind else None
        result = {
            "items": items,
            "build_seconds": build_seconds,
            "index_seconds": index_seconds,
            "pagefind_seconds": pagefind_seconds,
            "langs": {},
        }
        for lang in LANGS:
            qs = queries(output, lang, count)
            meta = (output / lang / "search" / "meta.js").read_text(encoding="utf-8")
            result["langs"][lang] = {
                "docs": json.loads(meta.split("window.PressSearchMeta = ", 1)[1].rstrip(";\n"))["n"],
                "press": {
                    **measure_browser(output, lang, "press", qs),
                    "index_mb": index_size(output / lang / "search") / 2**20,
                },
            }
            if pagefind:
                result["langs"][lang]["pagefind"] = {
                    **measure_browser(output, lang, "pagefind", qs),
                    "index_mb": pagefind_index_size(output, lang) / 2**20,
                }
        return result


ROWS = (
    ("runtime JS, KB gzipped", "runtime_kb", "{:.1f}", "≤ 12"),
    ("first query: KB transferred", "first_kb", "{:.1f}", "≤ 80"),
    ("first query: requests", "first_requests", "{:d}", "≤ 5"),
    ("later query: KB (p95)", "later_kb_p95", "{:.1f}", "≤ 40"),
    ("later query: requests (p95)", "later_requests_p95", "{:d}", ""),
    ("query time p95, ms", "p95_ms", "{:.1f}", "≤ 50"),
    ("query time median, ms", "median_ms", "{:.1f}", ""),
    ("index, MB gzipped", "index_mb", "{:.2f}", "≤ 6"),
)


def report(result: dict) -> str:
    lines = [
        f"{result['items']} items; documents per language: "
        + ", ".join(f"{lang} {data['docs']}" for lang, data in result["langs"].items()),
        f"press build {result['build_seconds']:.1f} s, of which indexing {result['index_seconds']:.1f} s "
        f"({100 * result['index_seconds'] / result['build_seconds']:.1f} %, target ≤ 20 %)"
        + (
            f"; Pagefind indexing the same pages {result['pagefind_seconds']:.1f} s"
            if result["pagefind_seconds"] is not None
            else ""
        ),
        "",
        f"{'':30}"
        + "".join(
            f"{lang + ' press':>12}" + (f"{lang + ' Pagefind':>14}" if "pagefind" in data else "")
            for lang, data in result["langs"].items()
        )
        + f"{'target':>9}",
    ]
    for label, key, fmt, target in ROWS:
        cells = ""
        for data in result["langs"].values():
            cells += f"{fmt.format(data['press'][key]):>12}"
            if "pagefind" in data:
                cells += f"{fmt.format(data['pagefind'][key]):>14}"
        lines.append(f"{label:30}{cells}{target:>9}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000, help="documents per language (default 10000)")
    parser.add_argument("--queries", type=int, default=100, help="queries per language (default 100)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temp folder)")
    parser.add_argument("--json", type=Path, help="also write the numbers to this file")
    parser.add_argument(
        "--no-pagefind",
        action="store_true",
        help="measure the press only (Pagefind's slowest queries take minutes each at 10,000 documents)",
    )
    args = parser.parse_args(argv)
    print(
        f"Search benchmark: {args.docs} documents per language, {args.queries} queries, "
        f"{os.cpu_count()} cores",
        flush=True,
    )
    result = run(args.docs, args.queries, args.keep, pagefind=not args.no_pagefind)
    print(report(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
