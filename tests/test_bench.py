"""The benchmark's corpus is valid content, and `bench` prints its whole table (no timing asserted)."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import PLUGINS, ROOT, run_build

sys.path.insert(0, str(ROOT / "tools"))
import bench


def test_generated_corpus_is_valid_and_deterministic(tmp_path):
    first = bench.generate(tmp_path / "a" / "content", 30)
    second = bench.generate(tmp_path / "b" / "content", 30)
    assert first == second
    names = sorted(p.name for p in (tmp_path / "a/content/articles").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b/content/articles").iterdir())
    for name in names[:10]:
        a = (tmp_path / "a/content/articles" / name).read_bytes()
        assert a == (tmp_path / "b/content/articles" / name).read_bytes()
    assert {name.split(".")[1] for name in names} == {"ar", "ckb", "en"}
    assert first < 30 * 3, "about one item in ten is left untranslated"
    result = run_build("--check", "--content", tmp_path / "a/content")
    assert result.returncode == 0, result.stderr


def test_corpus_with_every_section_passes_the_check(tmp_path):
    """Blocs, papers, finance and congresses in their real formats: `invoke check` accepts them all."""
    content = tmp_path / "content"
    files = bench.generate(content, 600, sections=True)
    result = run_build("--check", "--content", content)
    assert result.returncode == 0, result.stderr
    assert len(list((content / "blocs").glob("*/papers/*.md"))) > 120  # 60 papers, most in 3 languages
    assert len(list((content / "finance/accounts").glob("*.yml"))) == 6  # quarters, one per 100 articles
    assert (content / "congresses/1/motions.yml").exists()
    assert (content / "congresses/1/minutes.ckb.md").exists()
    assert files == sum(1 for path in content.rglob("*") if path.is_file()) - 2  # categories, people
    again = tmp_path / "again"
    assert bench.generate(again, 600, sections=True) == files
    for path in (content / "finance/accounts").iterdir():
        assert path.read_bytes() == (again / "finance/accounts" / path.name).read_bytes()


def test_bench_prints_every_row():
    env = {**os.environ, "PYTHONPATH": str(PLUGINS)}
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools/bench.py"), "--articles", "6", "--runs", "2"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    for row in (
        "press: cold",
        "press: nothing changed",
        "press: one article changed",
        "bare Pelican (reference)",
        "press: cold, 3N",
        "ratio 3N / N",
        "ratio press cold / bare Pelican",
        "ratio one change / press cold",
        "peak memory of a press build",
    ):
        assert row in result.stdout
    lines = result.stdout.splitlines()
    cold = next(line for line in lines if line.startswith("press: cold "))
    assert len(cold.split()) == 9  # name (2 words), files in, seconds, RSS, PSS, files out, MB, index MB
    # each build ran twice; the table counts the faster run
    block = next(number for number, line in enumerate(lines) if line.startswith("Each run's times"))
    assert lines[block + 1].startswith("press: cold ")
    first, second = map(float, lines[block + 1].split()[2:])
    assert float(cold.split()[3]) == min(first, second)
