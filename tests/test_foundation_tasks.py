"""Translator and editor flows through the real invoke tasks, in a copy of the project."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, parse

INVOKE = Path(sys.executable).with_name("invoke")


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the project with the small fixture site as its content."""
    for name in ("pelicanconf.py", "publishconf.py", "tasks.py"):
        shutil.copy(ROOT / name, tmp_path / name)
    for name in ("theme", "translations", "plugins"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(FIXTURES / "minimal", tmp_path / "content")
    return tmp_path


def invoke(project: Path, *args) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(INVOKE), *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONPATH": ""},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_add_locale_gives_an_ltr_subsite_and_a_status_report(project):
    invoke(project, "add-locale", "ku")
    assert (project / "translations/ku/LC_MESSAGES/messages.po").exists()
    assert '"code": "ku"' in (project / "pelicanconf.py").read_text(encoding="utf-8")
    invoke(project, "build")
    home = parse(project / "output/ku/index.html")
    assert (home.get("lang"), home.get("dir")) == ("ku", "ltr")
    assert "Latest" in home.text_content(), "untranslated UI strings fall back to English"
    article = parse(project / "output/ku/articles/water-report/index.html")
    assert article.xpath('//meta[@name="robots"]'), "no Kurmanji text yet: the honest page"
    switcher = parse(project / "output/en/articles/water-report/index.html").xpath(
        '//nav[@class="languages"]//a/@lang'
    )
    assert "ku" in switcher
    report = {
        row["code"]: row for row in json.loads((project / "output/translation-status.json").read_text())
    }
    assert report["ku"]["ui_percent"] == 0 and report["ku"]["ui_total"] > 20
    assert len(report["ku"]["content_missing"]) == report["ku"]["content_total"]
    status = parse(project / "output/ku/translation-status/index.html").text_content()
    assert "kurdî" in status


def test_new_article_scaffolds_a_valid_original_and_translation(project):
    invoke(project, "new-article", "--lang", "ckb", "--key", "budget-2026", "--title", "بودجەی ٢٠٢٦")
    invoke(project, "new-article", "--lang", "en", "--key", "budget-2026", "--title", "Budget 2026")
    translation = (project / "content/articles/budget-2026.en.md").read_text(encoding="utf-8")
    assert "translation: true" in translation
    invoke(project, "check")
    invoke(project, "build")
    assert (project / "output/ckb/articles/budget-2026/index.html").exists()
    assert (project / "output/en/articles/budget-2026/index.html").exists()


def test_i18n_extract_and_update_keep_catalogs_complete(project):
    invoke(project, "i18n-update")
    po = (project / "translations/ar/LC_MESSAGES/messages.po").read_text(encoding="utf-8")
    assert "nplurals=6" in po and "#, fuzzy" not in po
    invoke(project, "i18n-compile")
    assert (project / "translations/ar/LC_MESSAGES/messages.mo").exists()


def test_publish_to_a_folder_equals_output(project, tmp_path):
    target = tmp_path / "published"
    invoke(project, "publish", "--target", str(target))
    built = sorted(p.relative_to(project / "output") for p in (project / "output").rglob("*"))
    assert built == sorted(p.relative_to(target) for p in target.rglob("*"))
