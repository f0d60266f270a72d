"""Catalog maintenance for translators: extract, update, compile, add a locale.

Thin wrappers around Babel's extract / ``Catalog.update`` / ``write_mo`` that
always write the CLDR ``Plural-Forms`` header (see :mod:`press_core.i18n` for
why Babel's default is not used), plus :func:`add_language_row`, which appends
a row to ``LANGUAGES`` in ``pelicanconf.py`` at the end of the list literal.
"""

from __future__ import annotations

import ast
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from .i18n import apply_cldr_plurals, catalog_path

TEMPLATE_METHODS = [("**.html", "jinja2.ext:babel_extract")]
TEMPLATE_OPTIONS = {
    "**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}
}
PROJECT = "open-press"


def extract(templates_dir: Path, pot_path: Path) -> Catalog:
    catalog = Catalog(project=PROJECT, version="1", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(templates_dir), TEMPLATE_METHODS, TEMPLATE_OPTIONS
    ):
        location = (Path("theme/templates") / filename).as_posix()
        catalog.add(message, None, [(location, lineno)], auto_comments=comments, context=context)
    pot_path.parent.mkdir(parents=True, exist_ok=True)
    with open(pot_path, "wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, sort_output=True)
    return catalog


def _read_template(pot_path: Path) -> Catalog:
    with open(pot_path, "rb") as handle:
        return read_po(handle)


def _write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        write_po(handle, catalog, width=100, sort_output=True, ignore_obsolete=True)


def init_catalog(pot_path: Path, translations_dir: Path, code: str, locale_id: str) -> Path:
    locale = Locale.parse(locale_id)
    catalog = _read_template(pot_path)
    catalog.locale = locale
    catalog.revision_date = catalog.creation_date
    apply_cldr_plurals(catalog, locale)
    path = catalog_path(translations_dir, code)
    _write(catalog, path)
    return path


def update_catalog(pot_path: Path, translations_dir: Path, code: str, locale_id: str) -> Path:
    locale = Locale.parse(locale_id)
    path = catalog_path(translations_dir, code)
    with open(path, "rb") as handle:
        catalog = read_po(handle, locale=locale)
    catalog.update(_read_template(pot_path), no_fuzzy_matching=False)
    apply_cldr_plurals(catalog, locale)
    _write(catalog, path)
    return path


def compile_catalog(translations_dir: Path, code: str, locale_id: str) -> Path:
    path = catalog_path(translations_dir, code)
    with open(path, "rb") as handle:
        catalog = read_po(handle, locale=Locale.parse(locale_id), abort_invalid=True)
    apply_cldr_plurals(catalog, Locale.parse(locale_id))
    target = path.with_suffix(".mo")
    with open(target, "wb") as handle:
        write_mo(handle, catalog)
    return target


def add_language_row(settings_file: Path, row: dict) -> None:
    """Insert ``row`` as the last element of the ``LANGUAGES = [...]`` literal."""
    source = settings_file.read_text(encoding="utf-8")
    tree = ast.parse(source)
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "LANGUAGES" for t in node.targets):
            if not isinstance(node.value, ast.List):
                break
            codes = [ast.literal_eval(element).get("code") for element in node.value.elts]
            if row["code"] in codes:
                return
            lines = source.splitlines(keepends=True)
            closing = node.value.end_lineno - 1  # the line holding "]"
            rendered = "    {" + ", ".join(f"{k!r}: {v!r}" for k, v in row.items()).replace("'", '"') + "},\n"
            lines.insert(closing, rendered)
            settings_file.write_text("".join(lines), encoding="utf-8")
            return
    raise ValueError(f"{settings_file}: no `LANGUAGES = [...]` list found")
