"""Helpers of the safety tests: quick build settings, and the XSS fixture site.

The XSS fixture site puts every payload of tests/fixtures/safety_xss/payloads.txt in every
text field.  Shared by tests/test_safety_xss.py (the built HTML, feeds and search index, read statically)
and tests/browser/test_xss.py (the same site in headless Chromium).  ``FIELDS`` is the table
of text fields: one function per field that puts a payload into the content; a new field
(bloc descriptions, minutes, finance labels) is one more entry.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

from conftest import FIXTURES, ROOT, build_site


def quick_settings(folder: Path, **overrides) -> Path:
    """A settings file: pelicanconf.py without the slow post-build steps, plus ``overrides``."""
    lines = [
        "import runpy",
        f"globals().update({{k: v for k, v in runpy.run_path({str(ROOT / 'pelicanconf.py')!r}).items()"
        " if k.isupper()})",
        "PRECOMPRESS = False",
        'OFFLINE_COPY = ""',
        *(f"{name} = {value!r}" for name, value in overrides.items()),
    ]
    path = folder / "quickconf.py"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


PAYLOADS_FILE = FIXTURES / "safety_xss" / "payloads.txt"
ESCAPES = {"\\t": "\t", "\\n": "\n", "\\r": "\r", "\\0": "\0"}


REFUSED = "refused: "


def payloads(refused: bool = False) -> list[str]:
    """The payloads the build accepts, or (``refused``) those it must refuse with a message."""
    found = []
    for line in PAYLOADS_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith(REFUSED) != refused:
            continue
        line = line.removeprefix(REFUSED)
        for token, character in ESCAPES.items():
            line = line.replace(token, character)
        found.append(line)
    return found


def yaml_text(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are YAML)."""
    return json.dumps(text, ensure_ascii=False)


class Article:
    """The fields of one article file, filled by ``FIELDS``; ``write()`` makes the .md file."""

    def __init__(self, key: str, lang: str, translation: bool):
        self.key, self.lang, self.translation = key, lang, translation
        self.meta: dict[str, str] = {"title": yaml_text(f"Safe title {key}")}
        self.body = f"Plain paragraph of {key}."

    def write(self, content: Path, number: int) -> None:
        meta = dict(self.meta)
        if self.translation:
            meta["translation"] = "true"
            for field in ("date", "category", "authors"):
                meta.pop(field, None)
        else:
            meta.setdefault("date", f"2025-01-{1 + number % 28:02d}")
        lines = [f"{name}: {value}" for name, value in meta.items()]
        text = "---\n" + "\n".join(lines) + "\n---\n" + self.body + "\n"
        (content / "articles" / f"{self.key}.{self.lang}.md").write_text(text, encoding="utf-8")


def _body(article: Article, payload: str, number: int, data: dict) -> None:
    article.body = f"Before the payload.\n\n{payload}\n\nAfter the payload: {payload}"


def _title(article: Article, payload: str, number: int, data: dict) -> None:
    article.meta["title"] = yaml_text(f"Payload {number} {payload}")


def _summary(article: Article, payload: str, number: int, data: dict) -> None:
    article.meta["summary"] = yaml_text(payload)


def _tags(article: Article, payload: str, number: int, data: dict) -> None:
    article.meta["tags"] = f"[{yaml_text(payload)}, payloads]"


def _correction(article: Article, payload: str, number: int, data: dict) -> None:
    article.meta["corrections"] = f"\n  - date: 2025-02-01\n    note: {yaml_text(payload)}"


def _person(article: Article, payload: str, number: int, data: dict) -> None:
    key = f"person-{number}"
    data["people"][key] = {"name": {"ar": payload, "ckb": payload, "en": payload}}
    article.meta["authors"] = f"[{key}]"


def _category(article: Article, payload: str, number: int, data: dict) -> None:
    key = f"category-{number}"
    data["categories"][key] = {"ar": payload, "ckb": payload, "en": payload}
    article.meta["category"] = key


# field name -> how a payload gets into it.  Add bloc descriptions, minutes and finance labels here.
FIELDS: dict[str, Callable[[Article, str, int, dict], None]] = {
    "markdown body": _body,
    "title": _title,
    "summary": _summary,
    "tags": _tags,
    "correction note": _correction,
    "people names": _person,
    "category labels": _category,
}


def write_content(content: Path, chosen: list[str] | None = None) -> list[str]:
    """Write the fixture site into ``content`` (a copy of tests/fixtures/minimal); return the keys.

    Each payload is one article, original in English and translated into Arabic (the
    right-to-left path through bidi isolation); Sorani gets the "not translated" pages,
    which show the other languages' titles.
    """
    shutil.copytree(FIXTURES / "minimal", content)
    data = {"people": {}, "categories": {}}
    keys = []
    for number, payload in enumerate(payloads() if chosen is None else chosen, start=1):
        key = f"payload-{number:03d}"
        keys.append(key)
        for lang, translation in (("en", False), ("ar", True)):
            article = Article(key, lang, translation)
            for fill in FIELDS.values():
                fill(article, payload, number, data)
            article.write(content, number)
    with open(content / "people.yml", "a", encoding="utf-8") as handle:
        handle.write("\n")
        for key, person in data["people"].items():
            names = "".join(f"\n    {lang}: {yaml_text(name)}" for lang, name in person["name"].items())
            handle.write(f"{key}:\n  name:{names}\n")
    with open(content / "categories.yml", "a", encoding="utf-8") as handle:
        handle.write("\n")
        for key, labels in data["categories"].items():
            text = "".join(f"\n  {lang}: {yaml_text(label)}" for lang, label in labels.items())
            handle.write(f"{key}:{text}\n")
    return keys


def build_xss_site(folder: Path) -> Path:
    write_content(folder / "content")
    return build_site(folder / "content", folder / "output", quick_settings(folder))
