"""Broken content stops the build with `path:line: what — fix`, no traceback, old output intact."""

from __future__ import annotations

import hashlib

import pytest
from conftest import ROOT, build_site, run_build

CASES = {
    "missing title": (
        "articles/water-report.en.md",
        "title: Water report for the Tigris basin\n",
        "",
        "articles/water-report.en.md:2: missing title — add a line `title: …`",
    ),
    "unknown language code": (
        "articles/water-report.fr.md",
        None,
        "---\ntitle: Rapport sur l'eau\ntranslation: true\n---\nTexte.\n",
        "articles/water-report.fr.md:1: unknown language code 'fr' — use one of ar, ckb, en",
    ),
    "malformed date": (
        "articles/sulaimani-teachers.ckb.md",
        "date: 2024-11-03",
        "date: 2024-13-45",
        "articles/sulaimani-teachers.ckb.md:3: malformed date '2024-13-45' — write it as YYYY-MM-DD",
    ),
    "translation without original": (
        "articles/lost-key.ar.md",
        None,
        "---\ntitle: نص بلا أصل\ntranslation: true\n---\nنص.\n",
        "articles/lost-key.ar.md:3: translation of 'lost-key' has no original — add the original file",
    ),
    "unknown category": (
        "articles/basra-strike.ar.md",
        "category: news",
        "category: gossip",
        "articles/basra-strike.ar.md:4: unknown category 'gossip' — use one of: news",
    ),
    "invalid YAML": (
        "articles/basra-strike.ar.md",
        "authors: [sara-aziz]",
        "authors: [sara-aziz",
        "articles/basra-strike.ar.md:6: front matter is not valid YAML",
    ),
    "two originals": (
        "articles/water-report.ar.md",
        "translation: true\n",
        "",
        "articles/water-report.en.md:1: 'water-report' has two originals (ar and en) — add",
    ),
}


def tree_digest(folder):
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def break_content(content, relative, old, new):
    path = content / relative
    if old is None:
        path.write_text(new, encoding="utf-8")
    else:
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_reported_and_output_kept(case, minimal_content, tmp_path):
    relative, old, new, expected = CASES[case]
    output = build_site(minimal_content, tmp_path / "output")
    before = tree_digest(output)
    break_content(minimal_content, relative, old, new)

    result = run_build("--content", minimal_content, "--output", output)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if line.startswith("content/")]
    assert len(lines) == 1, result.stderr
    assert expected in lines[0], lines[0]
    assert " — " in lines[0]
    assert tree_digest(output) == before, "a failed build must leave output/ untouched"
    assert not list(tmp_path.glob(".output.*")), "temporary build folders are cleaned up"

    check = run_build("--check", "--content", minimal_content)
    assert check.returncode == 1 and lines[0] in check.stderr


def test_several_problems_are_reported_together(minimal_content, tmp_path):
    for case in ("missing title", "malformed date", "unknown language code"):
        break_content(minimal_content, *CASES[case][:3])
    result = run_build("--check", "--content", minimal_content)
    assert result.returncode == 1
    assert len([line for line in result.stderr.splitlines() if line.startswith("content/")]) == 3


def test_check_passes_on_the_demo_content():
    result = run_build("--check", "--content", ROOT / "content")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK:")
