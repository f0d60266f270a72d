"""XSS payloads in every text field, every page loaded in headless Chromium: nothing executes.

The site is tests/safety_support.py's (each payload of tests/fixtures/safety_xss/payloads.txt in
the body, title, summary, tags, correction note, author name and category label of one article).
Chromium runs with the Content-Security-Policy switched off (``bypass_csp``), so the sanitiser
alone has to stop every payload; a second test shows the policy stopping what a sanitiser might
miss.  A payload that ran would open a dialog (alert/confirm/prompt), log ``XSS-MARKER`` or make a
request to another host (xss.invalid); each is recorded.
"""

from __future__ import annotations

import pytest
from safety_support import build_xss_site

from .support import Site

MARKER = "XSS-MARKER"


@pytest.fixture(scope="module")
def xss_site(tmp_path_factory):
    served = Site(build_xss_site(tmp_path_factory.mktemp("xss-browser")))
    yield served
    served.stop()


class Watch:
    """Dialogs, console markers and foreign requests of one browser context."""

    def __init__(self, context, origin: str):
        self.origin, self.dialogs, self.markers, self.foreign = origin, [], [], []
        self.failures: dict[str, str] = {}  # url -> why the browser did not load it
        context.on("page", self.attach)

    def attach(self, page):
        page.on("dialog", lambda dialog: (self.dialogs.append((page.url, dialog.message)), dialog.dismiss()))
        page.on(
            "console",
            lambda message: MARKER in message.text and self.markers.append((page.url, message.text)),
        )
        page.on("request", self.request)
        page.on("requestfailed", lambda request: self.failures.setdefault(request.url, request.failure))

    def request(self, request):
        if not request.url.startswith(self.origin):
            self.foreign.append((request.frame.url if request.frame else "", request.url))

    def assert_clean(self, blocked_by_policy_is_fine: bool = False):
        assert not self.dialogs, f"a payload opened a dialog: {self.dialogs[:5]}"
        assert not self.markers, f"a payload logged the marker: {self.markers[:5]}"
        foreign = [
            (page, url)
            for page, url in self.foreign
            if not (
                blocked_by_policy_is_fine and self.failures.get(url) in ("csp", "net::ERR_BLOCKED_BY_CSP")
            )
        ]
        assert not foreign, f"requests outside the local server: {foreign[:5]} ({self.failures})"


def test_no_payload_executes_on_any_page(browser, xss_site):
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 800})
    watch = Watch(context, f"{xss_site.origin}/")
    page = context.new_page()
    pages = sorted(path.relative_to(xss_site.output).as_posix() for path in xss_site.output.rglob("*.html"))
    assert len(pages) > 500
    try:
        for path in pages:
            response = page.goto(xss_site.url(path), wait_until="load")
            assert response is not None and response.status in (200, 404), path
            # hover and focus whatever the page holds, for payloads waiting on an event
            page.evaluate(
                """() => { for (const el of document.querySelectorAll('main *')) {
                    el.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
                    el.dispatchEvent(new FocusEvent('focus'));
                } }"""
            )
        for lang in ("en", "ar"):  # titles rendered by the search script
            page.goto(xss_site.url(f"{lang}/search/index.html") + "?q=payload", wait_until="load")
            page.wait_for_timeout(300)
            assert page.locator("#search-results li").count() > 0, f"{lang}: search found nothing"
    finally:
        context.close()
    watch.assert_clean()


def test_the_policy_stops_what_a_sanitiser_would_miss(browser, xss_site):
    """A page with script injected after the build (as if the sanitiser had failed): blocked."""
    home = (xss_site.output / "en" / "index.html").read_text(encoding="utf-8")
    injected = (
        f"<script>alert('XSS')</script><img src=# onerror=\"console.log('{MARKER}')\">"
        '<img src="http://xss.invalid/pixel.png" alt=""></body>'
    )
    probe = xss_site.output / "en" / "csp-probe.html"
    probe.write_text(home.replace("</body>", injected), encoding="utf-8")
    try:
        for url in (xss_site.url("en/csp-probe.html"), xss_site.file_url("en/csp-probe.html")):
            context = browser.new_context()
            watch = Watch(context, "file://" if url.startswith("file:") else f"{xss_site.origin}/")
            page = context.new_page()
            page.add_init_script(
                "window.__violations = []; document.addEventListener('securitypolicyviolation',"
                " e => window.__violations.push(e.violatedDirective));"
            )
            page.goto(url, wait_until="load")
            violations = page.evaluate("window.__violations")
            css = page.evaluate("getComputedStyle(document.querySelector('.masthead')).display")
            context.close()
            watch.assert_clean(blocked_by_policy_is_fine=True)  # the browser never sent it
            assert {"script-src-elem", "script-src-attr", "img-src"} <= set(violations), (url, violations)
            assert css == "flex", f"{url}: the site's own CSS did not load under the policy"
    finally:
        probe.unlink()
