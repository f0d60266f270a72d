"""The Nu HTML checker (vnu-jar) on one page of every page type in every language: no errors."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from .support import ARTIFACTS, VNU, instances, require

CANARY = '<!doctype html>\n<html lang="en"><title>canary</title><p><div>block in a paragraph</div></p>\n'


@pytest.fixture(scope="module")
def canary(tmp_path_factory) -> Path:
    """A page with a known error, checked in the same run: proves the checker really read files."""
    path = tmp_path_factory.mktemp("vnu") / "canary.html"
    path.write_text(CANARY, encoding="utf-8")
    return path.resolve()


@pytest.fixture(scope="module")
def vnu_messages(site, node_modules, canary) -> dict[Path, list[dict]]:
    """Every page instance's file checked in one java run: file -> its error messages."""
    java = require("java", "default-jre-headless")
    pages = {(site.output / param.values[0].path(site.output)).resolve() for param in instances()}
    files = sorted(pages | {canary})
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    try:
        messages = json.loads(result.stderr or result.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"vnu.jar gave no JSON report (exit {result.returncode}):\n{result.stderr[-3000:]}")
    by_file: dict[Path, list[dict]] = {path: [] for path in files}
    for message in messages:
        path = Path(unquote(urlsplit(message.get("url", "")).path)).resolve()
        by_file.setdefault(path, []).append(message)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "vnu.json").write_text(json.dumps(messages, indent=2, ensure_ascii=False) + "\n")
    return by_file


@pytest.mark.parametrize("instance", instances())
def test_html_is_valid(site, vnu_messages, instance):
    path = instance.path(site.output)
    errors = vnu_messages[(site.output / path).resolve()]
    assert not errors, f"{path}: {len(errors)} HTML error(s)\n" + "\n".join(
        f"  line {m.get('lastLine', '?')}: {m.get('message')}  «{(m.get('extract') or '').strip()[:100]}»"
        for m in errors
    )


def test_no_stray_checker_messages(site, vnu_messages, canary):
    """Non-page messages (a file vnu could not read, a crash) also fail the run."""
    expected = {(site.output / p.values[0].path(site.output)).resolve() for p in instances()} | {canary}
    stray = {str(path): msgs for path, msgs in vnu_messages.items() if path not in expected and msgs}
    assert not stray, stray


def test_checker_catches_a_known_error(vnu_messages, canary):
    assert any("“p”" in m.get("message", "") for m in vnu_messages[canary]), vnu_messages[canary]
