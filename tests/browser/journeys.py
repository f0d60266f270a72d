"""What a reader does, and what must hold on every page — as plain functions that assert.

A journey takes a ``Tab`` (support.py) and a language code and fails with ``AssertionError``
when the site lets the reader down; tests call them, and test_suite_catches_breakage.py calls
them on a deliberately broken build to prove they notice.  The sections' journeys (blocs and
reply threads, the positions matrix, a congress's motions, a finance report) take ``via="file"``
to walk the same way through the output folder opened from disk.  To add a journey for a new
feature, write one function here and one parametrized test.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .support import ARTIFACTS, CODES, LANGUAGES, WIDTHS, Tab, same_item


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
        const line = el.getClientRects()[0] || rect;  // a link wrapped over lines: hit its first line
        const x = Math.min(Math.max(line.left + line.width / 2, 0), innerWidth - 1);
        const y = Math.min(Math.max(line.top + line.height / 2, 0), innerHeight - 1);
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
          href: el.href || null,
        };
    }"""
    )


# --- the sections: blocs and positions, congresses, finance ------------------------------------------

SECTIONS = ("blocs", "outside", "congresses", "finance")  # linked from the masthead: <lang>/<name>/index.html


def start(tab: Tab, path: str, via: str = "http") -> None:
    """Open a page over HTTP, or (``via="file"``) straight from the output folder, as a reader
    who unpacked a copy of the site would: every link must then work without a server."""
    if via == "http":
        tab.open(path)
        return
    assert via == "file", via
    tab.page.set_viewport_size({"width": WIDTHS["wide"], "height": 800})
    tab.page.emulate_media(media="screen")
    tab.page.goto(tab.site.file_url(path), wait_until="load")
    tab.page.evaluate("document.fonts.ready.then(() => true)")
    assert tab.current() == path, f"{path} opened as {tab.page.url}"


def section_link(tab: Tab, lang: str, name: str):
    return tab.page.locator(f'nav.sections a[href$="{lang}/{name}/index.html"]')


def link_paths(tab: Tab, selector: str, within=None) -> list[str]:
    """Where the links matching ``selector`` lead, as output-relative paths (fragments dropped)."""
    root = within if within is not None else tab.page
    hrefs = root.locator(selector).evaluate_all("links => links.map(a => a.href.split('#')[0])")
    return [tab.site.path_of(href) for href in hrefs]


def link_to(tab: Tab, selector: str, path: str, within=None):
    """The first link matching ``selector`` that leads to ``path``."""
    paths = link_paths(tab, selector, within)
    assert path in paths, f"{tab.current()}: no link to {path} among `{selector}`: {paths}"
    root = within if within is not None else tab.page
    return root.locator(selector).nth(paths.index(path))


def plain_number(lang: str, text: str) -> int:
    """The whole number ``text`` shows, which must be written exactly as ``Language.number()``
    writes it in ``lang`` (its digits, its grouping)."""
    language = LANGUAGES[lang]
    value = int("".join(digits_of(lang, text)) or "-1")
    written = language.number(value)
    assert text.strip() == written, f"{text.strip()!r} is not {value} as {lang} writes it ({written!r})"
    return value


def digits_of(lang: str, text: str) -> str:
    """The ASCII digits of a figure shown in ``lang``; fails on digits of another script."""
    native = {LANGUAGES[lang].digits(str(d)): str(d) for d in range(10)}
    foreign = [ch for ch in text if ch.isdigit() and ch not in native]
    assert not foreign, f"{text.strip()!r}: digits {foreign} are not the digits of {lang} ({''.join(native)})"
    return "".join(native[ch] for ch in text if ch in native)


def boxes(tab: Tab, selectors: dict[str, str]) -> dict:
    """Bounding boxes (viewport coordinates) of each selector's first element, and the page's direction."""
    return tab.page.evaluate(
        """(selectors) => {
        const out = {dir: getComputedStyle(document.documentElement).direction, innerHeight};
        for (const [name, selector] of Object.entries(selectors)) {
          const el = document.querySelector(selector);
          out[name] = el ? el.getBoundingClientRect().toJSON() : null;
        }
        return out;
    }""",
        selectors,
    )


def wait_until(tab: Tab, script: str, arg=None, timeout: int = 3000) -> bool:
    """Whether the page function ``script`` turns true within ``timeout`` ms (no exception)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        tab.page.wait_for_function(script, arg=arg, timeout=timeout)
    except PlaywrightTimeout:
        return False
    return True


THREAD_PAIR = """() => {
  // A reply in the question's threads whose blocs differ from those of the paper it answers,
  // both written or translated in the page's language (an untitled language is marked with lang).
  const blocsOf = (li) => [...li.querySelectorAll(':scope > .byline a')].map(a => a.href)
    .filter(href => /\\/blocs\\/[^/]+\\/index\\.html$/.test(href)).sort();
  const translated = (a) => !a.querySelector('[lang]');
  for (const li of document.querySelectorAll('ul.thread li li')) {
    const up = li.parentElement.closest('li');
    const reply = li.querySelector(':scope > a'), parent = up.querySelector(':scope > a');
    const mine = blocsOf(li), theirs = blocsOf(up);
    if (mine.length && theirs.length && !mine.some(b => theirs.includes(b))
        && translated(reply) && translated(parent)) {
      return {reply: reply.href, parent: parent.href, replyBlocs: mine, parentBlocs: theirs};
    }
  }
  return null;
}"""


def bloc_thread_journey(tab: Tab, lang: str, via: str = "http") -> None:
    """Blocs → the first bloc → one of its papers → the question it answers (every position side by
    side, the official line last) → a reply from another bloc in the threads → "in reply to" back to
    the paper it answers → its "replies" forward again → Back retraces the way."""
    page = tab.page
    start(tab, f"{lang}/index.html", via)
    follow(tab, section_link(tab, lang, "blocs"))
    assert tab.current() == f"{lang}/blocs/index.html", f"the Blocs link led to {tab.current()}"
    assert_language(tab, lang)
    follow(tab, page.locator("ul.bloc-list h2 a"))
    bloc = tab.current()
    assert re.fullmatch(rf"{lang}/blocs/[a-z0-9-]+/index\.html", bloc), f"the first bloc link led to {bloc}"
    assert_language(tab, lang)

    own = 'section[aria-labelledby="bloc-papers"] h3 a:not(:has([lang]))'  # papers readable in lang
    paper = question = None
    for candidate in link_paths(tab, own):
        follow(tab, link_to(tab, own, candidate))
        assert tab.current() == candidate, f"{bloc}: the link to {candidate} led to {tab.current()}"
        assert bloc in link_paths(tab, ".voice a"), f"{candidate} does not say it is a paper of {bloc}"
        if page.locator(".question-link a").count():
            paper, question = candidate, link_paths(tab, ".question-link a")[0]
            break
        page.go_back(wait_until="load")
    assert question, f"no paper of {bloc} in {lang} is on a question under debate"
    follow(tab, page.locator(".question-link a"))
    assert tab.current() == question, f"{paper}: the question link led to {tab.current()}"
    assert_language(tab, lang)

    columns = page.locator(".positions section.position")
    heading = link_to(tab, ".positions section.position h3 a", bloc)
    assert heading.is_visible(), f"{question}: the column of {bloc} is not visible"
    column = columns.filter(has=page.locator(f'h3 a[href="{heading.get_attribute("href")}"]'))
    listed = link_paths(tab, "ol.papers a", within=column)
    assert paper in listed, f"{question}: {paper} is not in its bloc's column"
    assert columns.last.locator("h3 a").count() == 0, f"{question}: the official line is not the last column"
    assert columns.count() == len(link_paths(tab, ".positions section.position h3 a")) + 1

    pair = page.evaluate(THREAD_PAIR)
    assert pair, f"{question}: the reply threads show no reply from one bloc to another's paper in {lang}"
    parent, reply = tab.site.path_of(pair["parent"]), tab.site.path_of(pair["reply"])
    reply_blocs = {tab.site.path_of(b) for b in pair["replyBlocs"]}
    follow(tab, link_to(tab, "ul.thread a", reply))
    assert tab.current() == reply, f"{question}: the thread's link to {reply} led to {tab.current()}"
    assert_language(tab, lang)
    assert reply_blocs <= set(link_paths(tab, ".voice a")), f"{reply} does not name its blocs {reply_blocs}"
    follow(tab, link_to(tab, "nav.in-reply a", parent))
    assert tab.current() == parent, f"{reply}: 'in reply to' led to {tab.current()}, not {parent}"
    assert_language(tab, lang)
    follow(tab, link_to(tab, "section.replies a", reply))
    assert tab.current() == reply, f"{parent}: its replies lead to {tab.current()}, not {reply}"
    for back in (parent, reply, question):
        page.go_back(wait_until="load")
        assert tab.current() == back, f"Back led to {tab.current()}, not {back}"


def positions_matrix_journey(tab: Tab, lang: str, via: str = "http") -> None:
    """Blocs → the positions matrix: a column per bloc, the official line last, in the same order
    as on every question's page; each bloc's first mark opens that bloc's paper on that row's question."""
    page = tab.page
    matrix = f"{lang}/positions/index.html"
    start(tab, f"{lang}/blocs/index.html", via)
    follow(tab, page.locator(f'.section-links a[href$="{matrix}"]'))
    assert tab.current() == matrix, f"the positions link led to {tab.current()}"
    assert_language(tab, lang)
    table = page.locator(".matrix table")
    assert table.is_visible(), f"{matrix}: the matrix is not visible"
    blocs = link_paths(tab, ".matrix thead th a")
    headers = table.locator("thead th")
    assert len(blocs) >= 2 and headers.count() == len(blocs) + 2, (
        f"{matrix}: expected the question column, one column per bloc and the official line; got "
        f"{headers.count()} columns for {len(blocs)} blocs"
    )
    assert headers.last.locator("a").count() == 0, f"{matrix}: the official line is not the last column"
    questions = link_paths(tab, ".matrix tbody th a")
    rows = table.locator("tbody tr")
    assert questions and rows.count() == len(questions), f"{matrix}: one row per question expected"

    followed = 0
    for index, bloc in enumerate(blocs):
        for row in range(rows.count()):
            cell = rows.nth(row).locator("td").nth(index)
            if cell.locator("a").count() == 0:
                assert cell.locator(".none").is_visible(), f"{matrix}: an empty cell says nothing"
                continue
            follow(tab, cell.locator("a"))
            target = tab.current()
            assert_language(tab, lang)
            if page.locator("article.untranslated").count():  # an honest "not translated yet" page
                assert page.locator("article.untranslated").is_visible()
            else:
                assert bloc in link_paths(tab, ".voice a"), f"{matrix}: {bloc}'s mark led to {target}"
                assert link_paths(tab, ".question-link a") == [questions[row]], (
                    f"{matrix}: the mark in row {questions[row]} led to {target}, on another question"
                )
            page.go_back(wait_until="load")
            assert tab.current() == matrix
            followed += 1
            break
    assert followed >= 2, f"{matrix}: fewer than two blocs have a position to open"

    follow(tab, link_to(tab, ".matrix tbody th a", questions[0]))
    assert link_paths(tab, ".positions section.position h3 a") == blocs, (
        f"{questions[0]} orders the blocs differently from {matrix}"
    )


FIND_MOTION = """() => {
  // A motion with its vote bar and an adopted resolution that has a dissenting opinion beside it.
  for (const m of document.querySelectorAll('article.motion')) {
    const id = m.id.replace(/^motion-/, '');
    if (m.querySelector(`#vote-${id} svg.vote-bar rect`)
        && m.querySelector('.beside.with-dissent .resolution')
        && m.querySelector('.beside.with-dissent .dissent')) return id;
  }
  return null;
}"""

HEADING_IN_VIEW = """(id) => {
  const h = document.getElementById(`motion-${id}-heading`), r = h && h.getBoundingClientRect();
  return !!r && location.hash === `#motion-${id}` && r.top >= -1 && r.bottom <= innerHeight;
}"""


def congress_motion_journey(tab: Tab, lang: str, congress: str, via: str = "http") -> None:
    """Congresses → a congress → the agenda's jump link to a motion: the motion is in view, shows its
    vote (bar and counts in the language's digits) and the dissent beside its resolution (side by
    side at 1280 px, stacked at 360 px); its own page shows the vote and links back to the anchor."""
    page = tab.page
    start(tab, f"{lang}/index.html", via)
    follow(tab, section_link(tab, lang, "congresses"))
    assert tab.current() == f"{lang}/congresses/index.html", f"the Congresses link led to {tab.current()}"
    assert_language(tab, lang)
    follow(tab, link_to(tab, "main a", congress))
    assert tab.current() == congress
    assert_language(tab, lang)

    motion = page.evaluate(FIND_MOTION)
    assert motion, f"{congress}: no motion with a vote bar and a dissent beside its resolution"
    jump = page.locator(f'.agenda-nav a[href="#motion-{motion}"]')
    assert jump.count() == 1 and jump.is_visible(), f"{congress}: no agenda link jumps to motion {motion}"
    jump.click()
    check_motion_in_view(tab, motion)
    check_vote(tab, lang, motion)
    check_dissent_beside_resolution(tab, motion)

    follow(tab, page.locator(f"#motion-{motion}-heading a"))
    motion_page = congress.replace("index.html", f"motions/{motion}/index.html")
    assert tab.current() == motion_page, f"motion {motion}'s heading led to {tab.current()}"
    assert_language(tab, lang)
    check_vote(tab, lang, motion)
    follow(tab, page.locator(f'.kicker a[href$="#motion-{motion}"]'))
    assert tab.current() == congress, f"{motion_page}: the link back led to {tab.current()}"
    check_motion_in_view(tab, motion)


def check_motion_in_view(tab: Tab, motion: str) -> None:
    if not wait_until(tab, HEADING_IN_VIEW, motion):
        where = boxes(tab, {"heading": f"#motion-{motion}-heading"})
        raise AssertionError(
            f"{tab.page.url}: motion {motion}'s heading is not in view after the jump: {where['heading']} "
            f"(viewport height {where['innerHeight']})"
        )


def check_vote(tab: Tab, lang: str, motion: str) -> None:
    """The motion's vote: a visible bar whose segments match the counts, the counts written in the
    language's digits, the first option (yes) starting at the start side (right in RTL)."""
    vote = tab.page.locator(f"#vote-{motion}")
    bar = vote.locator("svg.vote-bar")
    assert bar.is_visible(), f"{tab.current()}: motion {motion}'s vote has no visible bar"
    counts = {}
    for option, text in vote.locator("table.vote-counts td").evaluate_all(
        "cells => cells.map(td => [td.dataset.option, td.textContent])"
    ):
        try:
            counts[option] = plain_number(lang, text)
        except AssertionError as error:
            raise AssertionError(f"{tab.current()}: motion {motion}, {option}: {error}") from None
    assert counts.get("yes", 0) > 0, f"{tab.current()}: motion {motion}: counts {counts}"
    found = bar.evaluate(
        """(svg) => {
        const box = (el) => el.getBoundingClientRect().toJSON();
        return {svg: box(svg), dir: getComputedStyle(svg).direction,
                rects: [...svg.querySelectorAll('rect')].map(r => ({
                  option: r.getAttribute('class').replace('bar-', ''),
                  width: parseFloat(r.getAttribute('width')), box: box(r)}))};
    }"""
    )
    total = sum(counts.values())
    segments = [rect["option"] for rect in found["rects"]]
    assert segments == list(counts), f"{tab.current()}: the bar shows {segments}, the counts {list(counts)}"
    for rect in found["rects"]:
        share = counts[rect["option"]] / total
        assert abs(rect["width"] / 1000 - share) < 0.002, (
            f"{tab.current()}: the {rect['option']} segment is {rect['width'] / 10:.1f}% of the bar, "
            f"the counts say {share:.1%}"
        )
    side = "right" if found["dir"] == "rtl" else "left"
    first, svg = found["rects"][0]["box"], found["svg"]
    assert abs(first[side] - svg[side]) <= 2, (
        f"{tab.current()}: the {segments[0]} segment does not start at the {side} edge of the bar"
    )


def check_dissent_beside_resolution(tab: Tab, motion: str) -> None:
    """The dissent sits beside the resolution at 1280 px (the resolution on the start side) and
    below it at 360 px, at the same width."""
    scope = f"#motion-{motion} .beside.with-dissent"
    selectors = {"resolution": f"{scope} .resolution", "dissent": f"{scope} .dissent"}
    where = tab.current()
    try:
        tab.page.set_viewport_size({"width": WIDTHS["wide"], "height": 800})
        wide = boxes(tab, selectors)
        res, dis = wide["resolution"], wide["dissent"]
        assert res and dis, f"{where}: motion {motion} has no resolution with a dissent"
        apart = res["right"] <= dis["left"] + 1 or dis["right"] <= res["left"] + 1
        assert apart and abs(res["top"] - dis["top"]) <= 2, (
            f"{where}: at {WIDTHS['wide']} px the dissent is not side by side with the resolution "
            f"(resolution {res}, dissent {dis})"
        )
        if wide["dir"] == "rtl":
            start_first = res["left"] >= dis["right"] - 1
        else:
            start_first = res["right"] <= dis["left"] + 1
        assert start_first, f"{where}: the resolution is not on the start side of its dissent ({wide['dir']})"
        tab.page.set_viewport_size({"width": WIDTHS["narrow"], "height": 800})
        narrow = boxes(tab, selectors)
        res, dis = narrow["resolution"], narrow["dissent"]
        assert dis["top"] >= res["bottom"] - 1, (
            f"{where}: at {WIDTHS['narrow']} px the dissent does not stack below the resolution "
            f"(resolution {res}, dissent {dis})"
        )
        assert abs(res["left"] - dis["left"]) <= 2 and abs(res["right"] - dis["right"]) <= 2, (
            f"{where}: at {WIDTHS['narrow']} px the stacked resolution and dissent differ in width"
        )
    finally:
        tab.page.set_viewport_size({"width": WIDTHS["wide"], "height": 800})


def finance_report_journey(tab: Tab, lang: str, report: str, via: str = "http") -> None:
    """Finance → the overview (chart and table of the periods) → a period's report: the income and
    expenses charts and tables are visible and show the same figures, in the language's digits,
    the bars growing from the start side."""
    page = tab.page
    overview = f"{lang}/finance/index.html"
    start(tab, f"{lang}/index.html", via)
    follow(tab, section_link(tab, lang, "finance"))
    assert tab.current() == overview, f"the Finance link led to {tab.current()}"
    assert_language(tab, lang)
    periods = 'table.figures[data-table="overview-periods"]'
    check_visible(tab, page.locator("figure.chart svg").first, "the overview chart")
    check_visible(tab, page.locator(periods), "the table of periods")
    check_amounts(tab, lang, page.locator(periods))
    follow(tab, link_to(tab, f"{periods} a", report))
    assert tab.current() == report, f"{overview}: the link to {report} led to {tab.current()}"
    assert_language(tab, lang)
    for kind in ("income", "expenses"):
        section = page.locator(f'section[aria-labelledby="{kind}-title"]')
        chart, table = section.locator("figure.chart svg"), section.locator("table.figures")
        check_visible(tab, chart, f"the {kind} chart")
        check_visible(tab, table, f"the {kind} table")
        check_amounts(tab, lang, table)
        rows = table.locator("tr.level-category")
        labels = [text.strip() for text in rows.locator('td[data-column="category"]').all_text_contents()]
        amounts = [text.strip() for text in rows.locator('td[data-column="amount"]').all_text_contents()]
        chart_labels = [text.strip() for text in chart.locator("text.chart-label").all_text_contents()]
        assert sorted(chart_labels) == sorted(labels), (
            f"{report}: the {kind} chart and table name different categories"
        )
        values = [text.strip() for text in chart.locator("text.chart-value").all_text_contents()]
        assert sorted(values) == sorted(amounts), (
            f"{report}: the {kind} chart shows {values}, its table {amounts}"
        )
        check_bars_grow_from_start(tab, chart, kind)


def check_visible(tab: Tab, locator, what: str) -> None:
    assert locator.count() >= 1, f"{tab.current()}: no {what}"
    locator.first.scroll_into_view_if_needed()
    box = locator.first.bounding_box()
    assert locator.first.is_visible() and box and box["width"] >= 200 and box["height"] >= 40, (
        f"{tab.current()}: {what} is not visible ({box})"
    )


def check_amounts(tab: Tab, lang: str, table) -> None:
    """Every figure of the table is its exact value (``<data value>``) in the language's digits."""
    cells = table.locator("td.num data").evaluate_all(
        "items => items.map(d => [d.getAttribute('value'), d.textContent])"
    )
    assert cells, f"{tab.current()}: a table without figures"
    symbols = LANGUAGES[lang].locale.number_symbols  # by numbering system, as Language.number() uses them
    decimal = symbols.get(LANGUAGES[lang].numbering_system, symbols["latn"])["decimal"]
    for value, text in cells:
        whole, _, fraction = text.partition(decimal)
        try:
            shown = Decimal(f"{digits_of(lang, whole)}.{digits_of(lang, fraction) or 0}")
        except AssertionError as error:
            raise AssertionError(f"{tab.current()}: {error}") from None
        assert shown == abs(Decimal(value)), f"{tab.current()}: {text.strip()!r} is shown for {value}"


def check_bars_grow_from_start(tab: Tab, chart, kind: str) -> None:
    bars = chart.evaluate(
        """(svg) => ({dir: getComputedStyle(svg).direction,
          rects: [...svg.querySelectorAll('rect')].map(r => r.getBoundingClientRect().toJSON())})"""
    )
    side = "right" if bars["dir"] == "rtl" else "left"
    edges = [rect[side] for rect in bars["rects"]]
    assert edges and max(edges) - min(edges) <= 1, (
        f"{tab.current()}: the {kind} bars do not all start at the {side} ({bars['dir']}): {edges}"
    )
    other = "left" if side == "right" else "right"
    assert all(abs(rect[other] - rect[side]) > 0 for rect in bars["rects"]), f"{tab.current()}: an empty bar"


def tab_to(tab: Tab, selector: str, limit: int = 120) -> dict:
    """Press Tab until the focused element matches ``selector``; it and every link passed on the
    way must show a visible focus outline."""
    for _ in range(limit):
        tab.page.keyboard.press("Tab")
        focused = describe_focus(tab)
        if focused["tag"] == "a":
            assert focused["outline"], f"{tab.current()}: focused link {focused['html']} shows no outline"
        if tab.page.evaluate("(s) => document.activeElement.matches(s)", selector):
            assert focused["outline"], f"{tab.current()}: {focused['html']} has no visible focus outline"
            assert focused["onScreen"], f"{tab.current()}: the focused {focused['html']} is off screen"
            return focused
    raise AssertionError(f"{tab.current()}: {limit} Tabs never reached `{selector}`")


def press_enter_and_load(tab: Tab) -> None:
    with tab.page.expect_navigation(wait_until="load"):
        tab.page.keyboard.press("Enter")


def keyboard_sections_journey(tab: Tab, lang: str, congress: str) -> None:
    """Keyboard only: Tab reaches the masthead link of each section (blocs, outside voices,
    congresses, finance) with visible focus and Enter opens it; inside them, Tab and Enter reach the
    positions matrix, a finance report, and an agenda jump link that moves the focus to its motion."""
    page = tab.page
    for name in SECTIONS:
        tab.open(f"{lang}/index.html")
        tab_to(tab, f'nav.sections a[href$="{lang}/{name}/index.html"]')
        press_enter_and_load(tab)
        assert tab.current() == f"{lang}/{name}/index.html", f"Enter on {name} led to {tab.current()}"
        assert_language(tab, lang)
        if name == "blocs":
            tab_to(tab, f'.section-links a[href$="{lang}/positions/index.html"]')
            press_enter_and_load(tab)
            assert tab.current() == f"{lang}/positions/index.html"
            tab_to(tab, ".matrix")  # the scrollable matrix takes the focus, to scroll it by keys
        if name == "finance":
            tab_to(tab, 'table.figures[data-table="overview-periods"] a')
            press_enter_and_load(tab)
            assert re.fullmatch(rf"{lang}/finance/[0-9q-]+/index\.html", tab.current()), tab.current()

    tab.open(congress)
    focused = tab_to(tab, '.agenda-nav a[href^="#motion-"]')
    motion = focused["href"].rsplit("#motion-", 1)[1]
    page.keyboard.press("Enter")
    check_motion_in_view(tab, motion)
    page.keyboard.press("Tab")
    inside = page.evaluate("(id) => !!document.activeElement.closest(`#motion-${id}`)", motion)
    assert inside, f"{congress}: Tab after the jump to motion {motion} focused {describe_focus(tab)['html']}"
    assert describe_focus(tab)["outline"], f"{congress}: the focused link in motion {motion} shows no focus"


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


def check_current_page_links(tab: Tab) -> None:
    """A link announced as the current page (``aria-current="page"``) leads to this very page."""
    elsewhere = tab.page.evaluate(
        """() => [...document.querySelectorAll('a[aria-current="page"]')]
          .filter(a => a.href.split('#')[0] !== location.href.split('#')[0])
          .map(a => a.outerHTML.slice(0, 120))"""
    )
    assert not elsewhere, f"{tab.current()}: links marked as the current page lead elsewhere: {elsewhere[:3]}"


RENDER_CHECKS = [
    check_no_horizontal_scroll,
    check_text_starts_at_start,
    check_latin_is_isolated,
    check_current_page_links,
]
CHROME_CHECKS = [check_navigation_starts_at_start_edge]  # pages with the masthead
