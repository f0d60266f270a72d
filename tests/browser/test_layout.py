"""Layout as rendered: no sideways scrolling at 360 px, start-aligned text, RTL navigation from the
right, Latin runs isolated in RTL text, "current page" links that lead to the page; screenshots of
every page type at 360 and 1280 px."""

from __future__ import annotations

import pytest

from . import journeys
from .support import LANGUAGES, SCREENSHOTS, WIDTHS, instances


@pytest.mark.parametrize("instance", instances())
def test_layout_and_screenshots(tab, site, instance):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.open(instance.path(site.output), width=WIDTHS["narrow"])
    chrome = journeys.CHROME_CHECKS if instance.type.chrome else []
    for check in [*journeys.RENDER_CHECKS, *chrome]:
        check(tab)
    tab.page.screenshot(path=str(SCREENSHOTS / f"{instance.id}-{WIDTHS['narrow']}.png"), full_page=True)
    tab.page.set_viewport_size({"width": WIDTHS["wide"], "height": 800})
    for check in chrome:
        check(tab)
    tab.page.screenshot(path=str(SCREENSHOTS / f"{instance.id}-{WIDTHS['wide']}.png"), full_page=True)


@pytest.mark.parametrize("lang", [code for code, language in LANGUAGES.items() if language.is_rtl])
def test_latin_names_in_rtl_articles_render_in_bdi(tab, site, lang):
    isolated = []
    for article in sorted((site.output / lang / "articles").glob("*/index.html")):
        tab.open(article.relative_to(site.output).as_posix(), width=WIDTHS["narrow"])
        isolated += journeys.check_latin_is_isolated(tab)
    assert any(len(text) >= 3 for text in isolated), (
        f"no Latin name in any {lang} article: the check is vacuous"
    )
