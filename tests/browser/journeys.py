"""What a reader does, and what must hold on every page — as plain functions that assert.

A journey takes a ``Tab`` (support.py) and a language code and fails with ``AssertionError``
when the site lets the reader down; tests call them, and test_suite_catches_breakage.py calls
them on a deliberately broken build to prove they notice.  To add a journey for a new feature
(blocs, finance, congress, search), write one function here and one parametrized test.
"""

from __future__ import annotations

from .support import ARTIFACTS, CODES, LANGUAGES, Tab, same_item


def follow(tab: Tab, locator) -> None:
    """Click a link and wait until the page it leads to has loaded."""
    assert locator.count() >= 1, f"{tab.current()}: no link {locator}"
    with tab.page.expect_navigation(wait_until="load"):
        locator.first.click()


def assert_language(tab: Tab, lang: str) -> None:
    assert tab.html("lang") == lang, f"{tab.current()}: <html lang={tab.html('lang')!r}>, expected {lang!r}"
    direction = LANGUAGES[lang].direction
    assert tab.html("dir") == direction, (
        f"{tab.current()}: <html dir={tab.html('dir')!r}>, expected {direction}"
    )
    assert tab.page.locator("h1").first.is_visible(), f"{tab.current()}: no visible <h1>"


def switch_language(tab: Tab, other: str) -> None:
    """Use the language switcher; it must land on the same item in ``other``."""
    before = tab.current()
    link = tab.page.locator(f'nav.languages a[hreflang="{other}"]')
    assert link.is_visible(), f"{before}: the switcher offers no visible link to {other}"
    follow(tab, link)
    after = tab.current()
    assert after.startswith(f"{other}/") and same_item(after) == same_item(before), (
        f"the switcher on {before} led to {after}, not to the same item in {other}"
    )
    assert_language(tab, other)


# --- journeys ---------------------------------------------------------------------------------------


def switcher_journey(tab: Tab, lang: str) -> None:
    """Home → first article → every other language via the switcher (same item) → back each time."""
    home = f"{lang}/index.html"
    tab.open(home)
    assert_language(tab, lang)
    first = tab.page.locator("main .summaries h2 a").first
    title = " ".join(first.inner_text().split())
    follow(tab, first)
    article = tab.current()
    assert article.startswith(f"{lang}/articles/"), f"the first summary on {home} led to {article}"
    assert " ".join(tab.page.locator("h1").first.inner_text().split()) == title
    for other in CODES:
        if other == lang:
            continue
        switch_language(tab, other)
        tab.page.go_back(wait_until="load")
        assert tab.current() == article, f"Back from {other} led to {tab.current()}, not {article}"
        assert_language(tab, lang)
    tab.page.go_back(wait_until="load")
    assert tab.current() == home


def untranslated_journey(tab: Tab, lang: str, key: str, available: set[str]) -> None:
    """Reach an item ``lang`` lacks through the switcher: an honest page linking the languages it has."""
    source = sorted(available)[0]
    tab.open(f"{source}/articles/{key}/index.html")
    switch_language(tab, lang)
    honest = tab.current()
    notice = tab.page.locator("article.untranslated")
    assert notice.is_visible(), f"{honest}: no visible 'not translated yet' notice"
    assert tab.page.locator('meta[name="robots"][content="noindex"]').count() == 1, f"{honest}: indexable"
    offered = notice.locator("a[hreflang]")
    codes = sorted(offered.nth(i).get_attribute("hreflang") for i in range(offered.count()))
    assert codes == sorted(available), f"{honest} offers {codes}, the item exists in {sorted(available)}"
    for code in codes:
        follow(tab, notice.locator(f'a[hreflang="{code}"]'))
        assert tab.current() == f"{code}/articles/{key}/index.html", tab.current()
        assert_language(tab, code)
        assert tab.page.locator("article.untranslated").count() == 0, f"{tab.current()} is a stand-in too"
        assert tab.page.locator("article .body").first.is_visible()
        tab.page.go_back(wait_until="load")
        assert tab.current() == honest


def not_found_journey(tab: Tab, lang: str | None) -> None:
    """A mistyped address: status 404, a page in the right language, a way back to the articles."""
    missing = f"{lang}/no-such-page.html" if lang else "no-such-page.html"
    response = tab.page.goto(tab.site.url(missing), wait_until="load")
    assert response.status == 404, f"{missing}: HTTP {response.status}"
    if lang:
        assert_language(tab, lang)
        follow(tab, tab.page.locator(f'main a[href$="{lang}/index.html"]'))
        assert tab.current() == f"{lang}/index.html"
        return
    assert tab.page.locator("h1").is_visible()
    for code in CODES:
        follow(tab, tab.page.locator(f'main li[lang="{code}"] a'))
        assert tab.current() == f"{code}/index.html"
        assert_language(tab, code)
        tab.page.go_back(wait_until="load")


def root_chooser_journey(tab: Tab) -> None:
    """The site root: a heading and one link per language, each in its own language and direction."""
    tab.open("index.html")
    assert tab.page.locator("h1").is_visible(), "the root chooser has no visible <h1>"
    for code in CODES:
        choice = tab.page.locator(f'main li[lang="{code}"]')
        assert choice.get_attribute("dir") == LANGUAGES[code].direction
        follow(tab, choice.locator("a"))
        assert tab.current() == f"{code}/index.html"
        assert_language(tab, code)
        tab.page.go_back(wait_until="load")
        assert tab.current() == "index.html"


def print_journey(tab: Tab, path: str, lang: str) -> None:
    """Print preview of an article: navigation gone, title and body text there (PDF kept as artifact)."""
    tab.open(path, media="print")
    for selector in (".skip", "nav.languages", "nav.sections", ".colophon ul"):
        assert tab.page.locator(selector).first.is_hidden(), f"{path}: {selector} is printed"
    assert tab.page.locator("main h1").is_visible(), f"{path}: no title in print"
    body = tab.page.locator("article .body p").first
    assert body.is_visible() and body.inner_text().strip(), f"{path}: no body text in print"
    (ARTIFACTS / "print").mkdir(parents=True, exist_ok=True)
    tab.page.pdf(path=str(ARTIFACTS / "print" / f"article-{lang}.pdf"), format="A4")


def keyboard_journey(tab: Tab, path: str, lang: str) -> None:
    """Tab → skip link (visible) → Enter → focus in main; links show focus; the switcher works by keys."""
    page = tab.page
    tab.open(path)
    page.keyboard.press("Tab")
    focused = describe_focus(tab)
    assert "skip" in focused["classes"], f"{path}: the first Tab focused {focused['html']}, not the skip link"
    assert focused["onScreen"], f"{path}: the focused skip link is not visible ({focused['rect']})"
    assert focused["outline"], f"{path}: the focused skip link has no visible outline"
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'main'", timeout=2000)
    page.keyboard.press("Tab")
    assert describe_focus(tab)["inMain"], f"{path}: Tab after the skip link left <main>"

    tab.open(path)  # from the top again: every link of the masthead shows its focus
    seen = 0
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = describe_focus(tab)
        if focused["tag"] == "a":
            assert focused["outline"], f"{path}: focused link {focused['html']} has no visible outline"
            seen += 1
        if focused["switcherTo"] and focused["switcherTo"] != lang:
            break
    else:
        raise AssertionError(f"{path}: 40 Tabs never reached the language switcher")
    other = focused["switcherTo"]
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press("Enter")
    assert tab.current() == f"{other}/{same_item(path)}", (
        f"{path}: Enter on the switcher led to {tab.current()}"
    )
    assert_language(tab, other)
    assert seen >= 2


def describe_focus(tab: Tab) -> dict:
    return tab.page.evaluate(
        """() => {
        const el = document.activeElement;
        const style = getComputedStyle(el);
        const rect = el.getBoundingClientRect();
        const x = Math.min(Math.max(rect.left + rect.width / 2, 0), innerWidth - 1);
        const y = Math.min(Math.max(rect.top + rect.height / 2, 0), innerHeight - 1);
        const hit = document.elementFromPoint(x, y);
        const link = el.closest('nav.languages a[hreflang]');
        return {
          tag: el.tagName.toLowerCase(),
          classes: [...el.classList],
          html: el.outerHTML.slice(0, 120),
          rect: [rect.left, rect.top, rect.right, rect.bottom].map(Math.round),
          onScreen: rect.width > 0 && rect.height > 0 && rect.top >= 0 && rect.left >= 0
            && rect.right <= innerWidth && rect.bottom <= innerHeight
            && style.visibility !== 'hidden' && Number(style.opacity) > 0
            && !!hit && (hit === el || el.contains(hit)),
          outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
          inMain: !!el.closest('main') && el.tagName !== 'MAIN',
          switcherTo: link ? link.getAttribute('hreflang') : null,
        };
    }"""
    )


# --- checks on the page as rendered (used at 360 px for every page type) ----------------------------


def check_no_horizontal_scroll(tab: Tab) -> None:
    widths = tab.page.evaluate(
        """() => {
        const root = document.scrollingElement;
        const wide = [...document.body.querySelectorAll('*')]
          .filter(el => el.getBoundingClientRect().right > root.clientWidth + 1
                     || el.getBoundingClientRect().left < -1)
          .filter(el => getComputedStyle(el).position !== 'absolute')
          .slice(0, 5).map(el => el.outerHTML.slice(0, 100));
        return {scroll: root.scrollWidth, client: root.clientWidth, wide};
    }"""
    )
    assert widths["scroll"] <= widths["client"], (
        f"{tab.current()}: horizontal scrollbar at {widths['client']} px "
        f"(content {widths['scroll']} px wide); too wide: {widths['wide']}"
    )


def check_text_starts_at_start(tab: Tab) -> None:
    """Body text aligns to the start side: right in RTL, left in LTR; the page keeps its direction."""
    found = tab.page.evaluate(
        """() => {
        const page = document.documentElement.dir || 'ltr';
        const body = getComputedStyle(document.body).direction;
        const wrong = [];
        const selector = 'main p, main h1, main h2, main h3, main li, main td, main th, main caption, '
          + 'main dt, main dd, main blockquote, .masthead p, .colophon p';
        for (const el of document.querySelectorAll(selector)) {
          const style = getComputedStyle(el);
          if (style.display === 'none' || /text-align/.test(el.getAttribute('style'))) continue;  // author's
          const ok = style.direction === 'rtl' ? ['start', 'right'] : ['start', 'left'];
          if (!ok.includes(style.textAlign)) {
            wrong.push(`${el.outerHTML.slice(0, 80)} (${style.direction}): text-align ${style.textAlign}`);
          }
        }
        return {page, body, wrong};
    }"""
    )
    assert found["body"] == found["page"], (
        f"{tab.current()}: <body> is {found['body']} in a {found['page']} page"
    )
    assert not found["wrong"], f"{tab.current()}: text not aligned to the start side: {found['wrong'][:5]}"


def check_navigation_starts_at_start_edge(tab: Tab) -> None:
    """In RTL the brand and the first navigation item sit at the right edge (at the left in LTR)."""
    boxes = tab.page.evaluate(
        """() => {
        const box = (el) => el.getBoundingClientRect().toJSON();
        const content = (el) => {
          const r = el.getBoundingClientRect(), s = getComputedStyle(el);
          return {left: r.left + parseFloat(s.paddingLeft), right: r.right - parseFloat(s.paddingRight)};
        };
        const masthead = document.querySelector('.masthead');
        const nav = document.querySelector('nav.sections');
        return {
          dir: getComputedStyle(document.documentElement).direction,
          masthead: content(masthead),
          brand: box(masthead.firstElementChild),
          nav: content(nav.querySelector('ul')),
          items: [...nav.querySelectorAll('li')].map(box),
        };
    }"""
    )
    side = "right" if boxes["dir"] == "rtl" else "left"
    where = tab.current()

    def at_edge(inner, outer, what):
        gap = abs(inner[side] - outer[side])
        assert gap <= 2, f"{where}: {what} is {gap:.0f} px from the {side} edge ({boxes['dir']} page)"

    at_edge(boxes["brand"], boxes["masthead"], "the site name (first masthead item)")
    first, items = boxes["items"][0], boxes["items"]
    at_edge(first, boxes["nav"], "the first item of the sections navigation")
    row = [item for item in items if abs(item["top"] - first["top"]) < 2]
    outermost = max if side == "right" else min
    assert first[side] == outermost(item[side] for item in row), (
        f"{where}: the first navigation item is not the {side}-most of its row"
    )


def check_latin_is_isolated(tab: Tab) -> list[str]:
    """Latin names in RTL text sit in <bdi> (or an element with ``dir``): returns the isolated runs.

    A Latin run is a name when its text node holds no right-to-left letters (an author, a tag,
    "Atom"), or when it is content (an article body or a heading).  Latin words inside a
    translated UI sentence are the translator's to place and are not checked here.
    """
    found = tab.page.evaluate(
        """() => {
        const loose = [], isolated = [];
        const rtlLetters = /[\\u0590-\\u08FF\\uFB1D-\\uFDFF\\uFE70-\\uFEFF]/;
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) {
          const node = walker.currentNode, parent = node.parentElement;
          if (!/[A-Za-z]{2,}/.test(node.data) || parent.closest('script, style')) continue;
          const text = node.data.trim().slice(0, 60);
          const wrapper = parent.closest('bdi, [dir]:not(html)');
          const isolates = wrapper && ['isolate', 'isolate-override', 'plaintext']
            .includes(getComputedStyle(wrapper).unicodeBidi);
          if (isolates && getComputedStyle(wrapper).direction === 'ltr') {
            if (getComputedStyle(wrapper.parentElement).direction === 'rtl') isolated.push(text);
            continue;
          }
          if (getComputedStyle(parent).direction !== 'rtl') continue;
          const name = !rtlLetters.test(node.data) || parent.closest('.body, h1, h2, h3');
          if (name) loose.push(text);
        }
        return {loose, isolated};
    }"""
    )
    assert not found["loose"], (
        f"{tab.current()}: Latin names loose in right-to-left text: {found['loose'][:5]}"
    )
    return found["isolated"]


RENDER_CHECKS = [check_no_horizontal_scroll, check_text_starts_at_start, check_latin_is_isolated]
CHROME_CHECKS = [check_navigation_starts_at_start_edge]  # pages with the masthead
