"""Reader journeys in every language: switcher, untranslated items, 404, root chooser, print."""

from __future__ import annotations

import pytest

from . import journeys
from .support import CODES, PAGE_TYPES, content_languages

ARTICLE = next(t for t in PAGE_TYPES if t.name == "article")
UNTRANSLATED = sorted(
    (lang, key, codes) for key, codes in content_languages().items() for lang in CODES if lang not in codes
)


@pytest.mark.parametrize("lang", CODES)
def test_home_article_switcher_and_back(tab, lang):
    journeys.switcher_journey(tab, lang)


@pytest.mark.parametrize(
    ("lang", "key", "available"), [pytest.param(*row, id=f"{row[1]}-{row[0]}") for row in UNTRANSLATED]
)
def test_untranslated_item_is_an_honest_page(tab, lang, key, available):
    journeys.untranslated_journey(tab, lang, key, available)


def test_demo_has_untranslated_items_in_every_language():
    assert {lang for lang, _, _ in UNTRANSLATED} == set(CODES)


@pytest.mark.parametrize("lang", [*CODES, None], ids=[*CODES, "root"])
def test_not_found_page(tab, lang):
    journeys.not_found_journey(tab, lang)


def test_root_chooser(tab):
    journeys.root_chooser_journey(tab)


@pytest.mark.parametrize("lang", CODES)
def test_print_preview_of_an_article(tab, site, lang):
    journeys.print_journey(tab, ARTICLE.find(site.output, lang), lang)


@pytest.mark.parametrize("lang", CODES)
@pytest.mark.parametrize("kind", ["home", "article"])
def test_keyboard(tab, site, kind, lang):
    path = next(t for t in PAGE_TYPES if t.name == kind).find(site.output, lang)
    journeys.keyboard_journey(tab, path, lang)
