"""Fixtures of the real-browser suite: one demo build, one local server, one chromium for the package.

Playwright (from requirements.txt) drives Debian's chromium (``/usr/bin/chromium``; never a
browser downloaded by ``playwright install``).  axe-core and the Nu HTML checker (vnu-jar) come
from the npm registry: ``npm ci`` installs them into tests/browser/node_modules on first use and
again whenever package-lock.json changes.  A missing chromium, java or npm fails the suite with a
message saying what to install; nothing is skipped.  Reports, screenshots and PDFs go to
test-artifacts/.
"""

from __future__ import annotations

import pytest

from .support import REPORTS, Site, Tab, ensure_node_modules, launch_browser


@pytest.fixture(scope="session")
def node_modules():
    ensure_node_modules()


@pytest.fixture(scope="package")
def site(demo_site):
    """The demo build (tests/conftest.py's demo_site) served on 127.0.0.1 at a free port."""
    served = Site(demo_site)
    yield served
    served.stop()


@pytest.fixture(scope="package")
def browser():
    """Chromium for this package only: one sync Playwright may run per thread, and other test
    files start their own after this package is done."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_browser(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="package")
def browser_context(browser):
    """One context for the whole suite: its cache makes page loads cheap."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, device_scale_factor=1)
    yield context
    context.close()


@pytest.fixture(scope="package")
def idle_pages():
    return []


@pytest.fixture
def open_tab(browser_context, idle_pages):
    """open_tab(site) -> a Tab recording what its page loads; the page is reused by later tests."""
    from playwright.sync_api import Error as PlaywrightError

    tabs = []

    def open_tab(on_site: Site) -> Tab:
        tabs.append(Tab(idle_pages.pop() if idle_pages else browser_context.new_page(), on_site))
        return tabs[-1]

    yield open_tab
    for tab in tabs:
        tab.detach()
        try:
            tab.page.goto("about:blank")
            idle_pages.append(tab.page)
        except PlaywrightError:
            tab.page.close()


@pytest.fixture
def tab(open_tab, site) -> Tab:
    return open_tab(site)


def pytest_terminal_summary(terminalreporter):
    for title, text in REPORTS.items():
        terminalreporter.write_sep("-", title)
        terminalreporter.write_line(text)
