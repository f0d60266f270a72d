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


def test_every_page_requests_only_its_own_site(browser, site):
    """Every HTML page of the build, not one per type: zero requests to any other host."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    foreign, failed = [], []
    context.on(
        "request", lambda r: r.url.startswith(f"{site.origin}/") or foreign.append((r.frame.url, r.url))
    )
    # (net::ERR_ABORTED: a late request, such as the icon, cut off by going to the next page)
    context.on(
        "requestfailed", lambda r: r.failure == "net::ERR_ABORTED" or failed.append((r.url, r.failure))
    )
    page = context.new_page()
    pages = sorted(path.relative_to(site.output).as_posix() for path in site.output.rglob("*.html"))
    try:
        for path in pages:
            page.goto(site.url(path), wait_until="load")
    finally:
        context.close()
    assert len(pages) > 100
    assert not foreign, f"requests outside {site.origin}: {foreign[:10]}"
    assert not failed, f"failed requests: {failed[:10]}"


@pytest.mark.parametrize("lang", CODES)
def test_search_runs_from_disk_under_the_policy(tab, site, lang):
    """The Content-Security-Policy allows the site's own scripts from file:// too."""
    tab.page.add_init_script(
        "window.__violations = []; document.addEventListener('securitypolicyviolation',"
        " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    tab.page.goto(site.file_url(f"{lang}/search/index.html"), wait_until="load")
    assert tab.page.get_attribute("meta[http-equiv='Content-Security-Policy']", "content")
    assert tab.page.evaluate("window.__violations") == []
    assert tab.page.locator("#search-form").is_visible(), "search.js did not run from disk"
    assert_loaded_cleanly(tab, "file://")
