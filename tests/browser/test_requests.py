"""Zero third-party requests: every page loads only from its own site, served or opened from disk."""

from __future__ import annotations

import pytest

from .support import CODES, PAGE_TYPES, Tab, instances

ARTICLE = next(t for t in PAGE_TYPES if t.name == "article")


def assert_loaded_cleanly(tab: Tab, allowed: str) -> None:
    foreign = [url for _, url in tab.requests if not url.startswith(allowed) and not url.startswith("data:")]
    assert not foreign, f"{tab.current()}: requests outside {allowed}: {foreign}"
    assert not tab.failed, f"{tab.current()}: failed requests: {tab.failed}"
    # The browser's own guess at /favicon.ico (the press declares no icon) is not the page's request.
    errors = [(text, url) for text, url in tab.errors if not url.endswith("/favicon.ico")]
    assert not errors, f"{tab.current()}: console errors: {errors}"


@pytest.mark.parametrize("instance", instances())
def test_only_own_site_is_requested(tab, site, instance):
    tab.open(instance.path(site.output))
    assert any(kind == "stylesheet" for kind, _ in tab.requests), "no stylesheet was requested"
    assert_loaded_cleanly(tab, f"{site.origin}/")


@pytest.mark.parametrize("lang", CODES)
def test_article_opened_from_disk_loads_css_and_fonts(tab, site, lang):
    path = ARTICLE.find(site.output, lang)
    tab.page.goto(site.file_url(path), wait_until="load")
    loaded = tab.page.evaluate(
        """async () => {
        await document.fonts.ready;
        const sheets = [...document.querySelectorAll('link[rel=stylesheet]')];
        return {
          sheets: sheets.length,
          applied: sheets.filter(link => link.sheet !== null).length,
          masthead: getComputedStyle(document.querySelector('.masthead')).display,
          fonts: [...document.fonts].filter(f => f.status === 'loaded').map(f => `${f.family} ${f.weight}`),
        };
    }"""
    )
    assert_loaded_cleanly(tab, "file://")
    assert loaded["sheets"] >= 1 and loaded["applied"] == loaded["sheets"], loaded
    assert loaded["masthead"] == "flex", f"press.css is not applied from disk: {loaded}"
    assert loaded["fonts"], f"{path}: no web font loaded from disk ({loaded})"
    fonts = [url for kind, url in tab.requests if kind == "font"]
    assert fonts and all(url.startswith("file://") for url in fonts), fonts
