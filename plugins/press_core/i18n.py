"""gettext catalogs for the UI, compiled in memory by every build.

``translations/<code>/LC_MESSAGES/messages.po`` is read with Babel and turned
into a :class:`gettext.GNUTranslations` without writing ``.mo`` files, so no
compiled catalog is ever committed or stale.

The ``Plural-Forms`` header is always derived from CLDR through
``babel.plural.to_gettext`` (zero, one, two, few, many, other).  Babel's own
``babel.messages.plurals`` table — what ``pybabel init`` writes — swaps two of
the six Arabic forms (Babel issue #816: 11 gets "other" and 100 gets "many");
a catalog whose header disagrees with CLDR is reported, not silently used.
"""

from __future__ import annotations

import gettext
import io
from dataclasses import dataclass
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.plural import to_gettext

from .problems import Problems

DOMAIN = "messages"


def cldr_plural_forms(locale: Locale) -> str:
    return to_gettext(locale.plural_form).strip().rstrip(";") + ";"


def _plural_function(header: str):
    expression = header.split("plural=", 1)[1].strip().rstrip(";")
    return gettext.c2py(expression)


def same_plural_rule(header_a: str, header_b: str) -> bool:
    try:
        a, b = _plural_function(header_a), _plural_function(header_b)
    except (IndexError, ValueError, SyntaxError):
        return False
    return all(a(n) == b(n) for n in range(0, 1001))


def catalog_path(translations_dir: Path, code: str) -> Path:
    return Path(translations_dir) / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def apply_cldr_plurals(catalog: Catalog, locale: Locale) -> None:
    catalog.mime_headers = [("Plural-Forms", cldr_plural_forms(locale))]


def read_catalog(path: Path, locale: Locale) -> Catalog:
    with open(path, "rb") as handle:
        return read_po(handle, locale=locale, abort_invalid=True)


@dataclass
class CatalogStats:
    total: int
    translated: int

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.translated / self.total)


def stats_of(catalog: Catalog) -> CatalogStats:
    messages = [m for m in catalog if m.id]
    return CatalogStats(len(messages), sum(1 for m in messages if _is_translated(m)))


def _is_translated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return not message.fuzzy and all(strings)


def load_translations(translations_dir: Path, code: str, locale: Locale, problems: Problems):
    """Compile one catalog in memory.

    Returns ``(translations, stats)``; a language without a catalog (the source
    language, English) gets :class:`gettext.NullTranslations` and ``None``.
    """
    path = catalog_path(translations_dir, code)
    if not path.exists():
        return gettext.NullTranslations(), None
    try:
        catalog = read_catalog(path, locale)
    except PoFileError as exc:
        problems.add(path, exc.lineno, f"catalog is not valid ({exc})", "fix the .po syntax on that line")
        return gettext.NullTranslations(), None
    expected = cldr_plural_forms(locale)
    if not same_plural_rule(catalog.plural_forms, expected):
        problems.add(
            path,
            _header_line(path, "Plural-Forms"),
            f"Plural-Forms '{catalog.plural_forms}' differs from CLDR for {locale}",
            f"set it to '{expected}' (invoke i18n-update does) and keep msgstr[n] in CLDR order",
        )
    apply_cldr_plurals(catalog, locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer), stats_of(catalog)


def _header_line(path: Path, header: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(f'"{header}:'):
            return number
    return 1


CATALOGS_KEY = "press_catalogs"


def catalogs_of(context) -> dict:
    """``{code: (translations, stats)}`` for every language, compiled once per build.

    Raises :class:`~press_core.problems.ContentError` if a catalog is broken.
    """
    if CATALOGS_KEY not in context:
        from .site import site_of

        problems = Problems(Path(context["PATH"]).parent)
        translations_dir = Path(context["TRANSLATIONS_PATH"])
        context[CATALOGS_KEY] = {
            language.code: load_translations(translations_dir, language.code, language.locale, problems)
            for language in site_of(context).languages
        }
        problems.raise_if_any()
    return context[CATALOGS_KEY]
