"""Reader journeys in every language: switcher, untranslated items, 404, root chooser, print, and
through the sections (blocs and their reply threads, the positions matrix, a congress's motions,
a finance report), over HTTP and from disk (file://), and by keyboard only."""

from __future__ import annotations

import pytest

from . import journeys
from .support import CODES, PAGE_TYPES, content_languages

ARTICLE = next(t for t in PAGE_TYPES if t.name == "article")
CONGRESS = next(t for t in PAGE_TYPES if t.name == "congress")
FINANCE_REPORT = next(t for t in PAGE_TYPES if t.name == "finance-period")
VIA = ["http", "file"]  # served, and opened from an unpacked copy: relative links must work in both
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


@pytest.mark.parametrize("via", VIA)
@pytest.mark.parametrize("lang", CODES)
def test_bloc_question_and_reply_thread(tab, lang, via):
    journeys.bloc_thread_journey(tab, lang, via)


@pytest.mark.parametrize("via", VIA)
@pytest.mark.parametrize("lang", CODES)
def test_positions_matrix(tab, lang, via):
    journeys.positions_matrix_journey(tab, lang, via)


@pytest.mark.parametrize("via", VIA)
@pytest.mark.parametrize("lang", CODES)
def test_congress_agenda_jumps_to_a_motion_with_its_vote_and_dissent(tab, site, lang, via):
    journeys.congress_motion_journey(tab, lang, CONGRESS.find(site.output, lang), via)


@pytest.mark.parametrize("via", VIA)
@pytest.mark.parametrize("lang", CODES)
def test_finance_report_table_and_chart(tab, site, lang, via):
    journeys.finance_report_journey(tab, lang, FINANCE_REPORT.find(site.output, lang), via)


@pytest.mark.parametrize("lang", CODES)
def test_keyboard_reaches_the_sections(tab, site, lang):
    journeys.keyboard_sections_journey(tab, lang, CONGRESS.find(site.output, lang))
