"""Shared fixtures: real builds of the demo site and of small fixture sites into temp folders."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html as lxml_html

ROOT = Path(__file__).resolve().parent.parent
PLUGINS = ROOT / "plugins"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(PLUGINS))


def run_build(*args, cwd=ROOT) -> subprocess.CompletedProcess:
    """Run ``python -m press_core.build`` the way tasks.py does, capturing output."""
    env = {**os.environ, "PYTHONPATH": str(PLUGINS)}
    return subprocess.run(
        [sys.executable, "-m", "press_core.build", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def build_site(content: Path, output: Path, settings: Path = ROOT / "pelicanconf.py") -> Path:
    result = run_build("--settings", settings, "--content", content, "--output", output)
    assert result.returncode == 0, result.stdout + result.stderr
    return output


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Path:
    """The demo content in content/, built once per test session."""
    return build_site(ROOT / "content", tmp_path_factory.mktemp("demo") / "output")


@pytest.fixture
def minimal_content(tmp_path) -> Path:
    """A writable copy of the small fixture site (content/ layout)."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", target)
    return target


def html_files(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


def parse(path: Path):
    return lxml_html.fromstring(path.read_bytes())


def resolve(page: Path, href: str) -> Path:
    """The file a relative link on ``page`` points to (fragment and query removed)."""
    from urllib.parse import unquote

    target = unquote(href.split("#", 1)[0].split("?", 1)[0])
    resolved = (page.parent / target).resolve()
    return resolved / "index.html" if resolved.is_dir() else resolved
