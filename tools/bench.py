"""Build benchmark: ``invoke bench [--articles N]``.

Generates a deterministic synthetic corpus in the press's own format (N items per
language for ar / ckb / en, realistic lengths, mixed tags, about one in ten
untranslated), then builds it several ways in one run and prints a table:

* our build: cold, again with nothing changed, and after changing one article;
* bare Pelican 4.12 (default theme, no plugins) on the same articles, as the reference;
* our build on 3N items, to show how time grows.

Each build runs in a child process; time is wall-clock and peak memory is the
child's ``ru_maxrss``.  Written by hand because no library generates a
trilingual corpus in this project's format.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("ar", "ckb", "en")
_WORD_TEXT = {
    "ar": "الحزب المؤتمر العمال الأجور الكهرباء المياه دجلة الانتخابات النظام الداخلي اللجنة المركزية "
    "المحافظات بغداد البصرة الموازنة الرواتب النقابات الحرية المساواة التيارات الأعضاء الوثائق القرار "
    "التضامن الإضراب الخدمات الشباب النساء الحكومة البرلمان الدستور الشفافية المال العام",
    "ckb": "پارت کۆنگرە کرێکاران مووچە کارەبا ئاو دیجلە هەڵبژاردن پەیڕەو لیژنەی ناوەندی پارێزگاکان "
    "سلێمانی هەولێر بودجە سەندیکا ئازادی یەکسانی ڕەوتەکان ئەندامان بەڵگەنامە بڕیار هاوپشتی مانگرتن "
    "خزمەتگوزاری گەنجان ژنان حکومەت پەرلەمان دەستوور ڕوونی دەسەڵات",
    "en": "party congress workers wages electricity water Tigris elections statute central committee "
    "provinces Baghdad Basra budget unions freedom equality tendencies members documents decision "
    "solidarity strike services youth women government parliament constitution transparency",
}
WORDS = {lang: text.split(" ") for lang, text in _WORD_TEXT.items()}
TAGS = {lang: WORDS[lang][:24] for lang in LANGS}


def _paragraph(rng: random.Random, lang: str) -> str:
    sentences = []
    for _ in range(rng.randint(3, 6)):
        words = [rng.choice(WORDS[lang]) for _ in range(rng.randint(8, 18))]
        if lang != "en" and rng.random() < 0.3:
            words.insert(rng.randint(0, len(words)), rng.choice(["Rosa Luxemburg", "2025", "14.5%", "IQD"]))
        sentences.append(" ".join(words) + ".")
    return " ".join(sentences)


def generate(content: Path, items: int, seed: int = 7, pelican: Path | None = None) -> int:
    """Write the corpus (and, if ``pelican`` is given, the same articles in Pelican's format)."""
    rng = random.Random(seed)
    (content / "articles").mkdir(parents=True)
    (content / "categories.yml").write_text(
        "".join(f"{c}:\n  ar: {c}\n  ckb: {c}\n  en: {c}\n" for c in ("news", "analysis", "statements")),
        encoding="utf-8",
    )
    (content / "people.yml").write_text(
        "".join(f"writer-{i}:\n  name:\n    en: Writer {i}\n" for i in range(20)), encoding="utf-8"
    )
    if pelican:
        pelican.mkdir(parents=True)
    files = 0
    for number in range(items):
        key = f"item-{number:06d}"
        original = LANGS[number % 3]
        languages = [original] if rng.random() < 0.1 else list(LANGS)
        date = f"20{15 + number % 10}-{1 + number % 12:02d}-{1 + number % 28:02d}"
        category = ("news", "analysis", "statements")[number % 3]
        author = f"writer-{number % 20}"
        for lang in languages:
            tags = rng.sample(TAGS[lang], 3)
            title = " ".join(rng.choice(WORDS[lang]) for _ in range(6))
            body = "\n\n".join(_paragraph(rng, lang) for _ in range(8))
            if lang == original:
                meta = f"date: {date}\ncategory: {category}\nauthors: [{author}]\n"
            else:
                meta = "translation: true\n"
            front = f"---\ntitle: {title}\n{meta}tags: [{', '.join(tags)}]\n---\n"
            (content / "articles" / f"{key}.{lang}.md").write_text(front + body + "\n", encoding="utf-8")
            if pelican:
                header = f"Title: {title}\nDate: {date}\nCategory: {category}\nAuthor: {author}\n"
                header += f"Tags: {', '.join(tags)}\nSlug: {key}\nLang: {lang}\n"
                if lang != original:
                    header += "Translation: true\n"
                (pelican / f"{key}.{lang}.md").write_text(header + "\n" + body + "\n", encoding="utf-8")
            files += 1
    return files


def measure(command: list[str], env=None) -> tuple[float, int]:
    """Run ``command``; return (seconds, peak RSS in MB of the child)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{process.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss // 1024


def tree_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def our_build(content: Path, output: Path) -> list[str]:
    """Our build, with its cache beside the content (so the first run is cold)."""
    cache = content.parent / f"cache-{content.name}"
    return [sys.executable, "-m", "press_core.build", "--content", str(content), "--output", str(output),
            "--cache", str(cache)]


def pelican_build(content: Path, output: Path, settings: Path) -> list[str]:
    return [sys.executable, "-m", "pelican", str(content), "-o", str(output), "-s", str(settings), "-q"]


def run(items: int, scaling: bool = True) -> list[tuple]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins")}
    rows = []
    with tempfile.TemporaryDirectory(prefix="press-bench-") as tmp:
        tmp = Path(tmp)
        files = generate(tmp / "content", items, pelican=tmp / "pelican")
        settings = tmp / "bare.py"
        settings.write_text('SITENAME = "bench"\nTIMEZONE = "Asia/Baghdad"\nDEFAULT_LANG = "en"\n')

        def row(name, command, output):
            seconds, rss = measure(command, env)
            count, size = tree_size(output)
            rows.append((name, files, seconds, rss, count, size))
            return seconds

        cold = row("press: cold", our_build(tmp / "content", tmp / "out"), tmp / "out")
        row("press: nothing changed", our_build(tmp / "content", tmp / "out"), tmp / "out")
        changed = next((tmp / "content/articles").glob("item-000001.*.md"))
        changed.write_text(changed.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
        row("press: one article changed", our_build(tmp / "content", tmp / "out"), tmp / "out")
        bare = row(
            "bare Pelican (reference)", pelican_build(tmp / "pelican", tmp / "bare", settings), tmp / "bare"
        )
        if scaling:
            shutil.rmtree(tmp / "content")
            files3 = generate(tmp / "content", items * 3)
            seconds, rss = measure(our_build(tmp / "content", tmp / "out3"), env)
            count, size = tree_size(tmp / "out3")
            rows.append(("press: cold, 3N", files3, seconds, rss, count, size))
            rows.append(("ratio 3N / N", None, seconds / cold, None, None, None))
        rows.append(("ratio press / bare Pelican", None, cold / bare, None, None, None))
    return rows


def print_table(rows) -> None:
    print(f"{'run':30} {'files in':>9} {'seconds':>9} {'peak MB':>8} {'files out':>10} {'MB out':>8}")
    for name, files, seconds, rss, count, size in rows:
        cells = [
            f"{files:>9}" if files is not None else " " * 9,
            f"{seconds:>9.2f}",
            f"{rss:>8}" if rss is not None else " " * 8,
            f"{count:>10}" if count is not None else " " * 10,
            f"{size / 1e6:>8.1f}" if size is not None else " " * 8,
        ]
        print(f"{name:30} " + " ".join(cells))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000, help="items per language (default 1000)")
    parser.add_argument("--no-scaling", action="store_true", help="skip the 3N row")
    args = parser.parse_args(argv)
    print(f"Benchmark: {args.articles} items × {len(LANGS)} languages on {os.cpu_count()} cores")
    print_table(run(args.articles, scaling=not args.no_scaling))
    return 0


if __name__ == "__main__":
    sys.exit(main())
