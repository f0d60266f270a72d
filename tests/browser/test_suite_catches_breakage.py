"""The suite notices a broken site: a theme with known bugs is built, and the journeys must fail
(switcher, RTL navigation, reply links between blocs' papers, a dissent beside its resolution)."""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import run_build

from . import journeys
from .support import PAGE_TYPES, ROOT, WIDTHS, Site

CONGRESS = next(t for t in PAGE_TYPES if t.name == "congress")


def break_switcher(theme):
    """Every language switcher link points at that language's home page instead of the same item."""
    base = theme / "templates" / "base.html"
    text = base.read_text(encoding="utf-8")
    nav = re.search(r'<nav class="languages".*?</nav>', text, re.S)
    assert nav and 'href="{{ url }}"' in nav.group(0), "base.html's switcher changed: update this test"
    broken = nav.group(0).replace('href="{{ url }}"', 'href="{{ root }}{{ language.code }}/index.html"')
    base.write_text(text.replace(nav.group(0), broken), encoding="utf-8")


def break_rtl_navigation(theme):
    """The sections navigation is laid out left to right whatever the page's direction."""
    with open(theme / "static" / "css" / "press.css", "a", encoding="utf-8") as css:
        css.write("\n.masthead nav.sections ul { direction: ltr; }\n")


def break_reply_links(theme):
    """A paper's "Replies" link to the paper itself instead of to each reply."""
    paper = theme / "templates" / "paper.html"
    text = paper.read_text(encoding="utf-8")
    link = '<a href="{{ href(reply.id) }}">'
    assert text.count(link) == 1, "paper.html's replies changed: update this test"
    paper.write_text(text.replace(link, '<a href="{{ href(item.id) }}">'), encoding="utf-8")


def break_dissent_beside(theme):
    """A dissenting opinion is pushed below the resolution it dissents from, on wide screens too."""
    with open(theme / "static" / "css" / "press.css", "a", encoding="utf-8") as css:
        css.write("\n.beside.with-dissent { display: block; }\n")


@pytest.fixture(scope="module")
def broken_site(tmp_path_factory):
    theme = tmp_path_factory.mktemp("broken") / "theme"
    shutil.copytree(ROOT / "theme", theme)
    break_switcher(theme)
    break_rtl_navigation(theme)
    break_reply_links(theme)
    break_dissent_beside(theme)
    output = theme.parent / "output"
    result = run_build("--content", ROOT / "content", "--output", output, "--theme", theme)
    assert result.returncode == 0, result.stdout + result.stderr
    served = Site(output)
    yield served
    served.stop()


def test_switcher_journey_fails_when_the_switcher_points_home(open_tab, broken_site):
    with pytest.raises(AssertionError, match="not to the same item"):
        journeys.switcher_journey(open_tab(broken_site), "en")


def test_layout_check_fails_when_rtl_navigation_starts_at_the_left(open_tab, broken_site):
    tab = open_tab(broken_site)
    tab.open("ar/index.html", width=WIDTHS["narrow"])
    with pytest.raises(AssertionError, match="first item of the sections navigation"):
        journeys.check_navigation_starts_at_start_edge(tab)


def test_thread_journey_fails_when_replies_do_not_lead_to_the_reply(open_tab, broken_site):
    with pytest.raises(AssertionError, match=r"no link to \S+ among `section\.replies a`"):
        journeys.bloc_thread_journey(open_tab(broken_site), "en")


def test_congress_journey_fails_when_the_dissent_is_not_beside_the_resolution(open_tab, broken_site):
    with pytest.raises(AssertionError, match="not side by side with the resolution"):
        journeys.congress_motion_journey(open_tab(broken_site), "ar", CONGRESS.find(broken_site.output, "ar"))


def test_the_same_checks_pass_on_the_real_theme(open_tab, site):
    journeys.switcher_journey(open_tab(site), "en")
    tab = open_tab(site)
    tab.open("ar/index.html", width=WIDTHS["narrow"])
    journeys.check_navigation_starts_at_start_edge(tab)
    journeys.bloc_thread_journey(open_tab(site), "en")
    journeys.congress_motion_journey(open_tab(site), "ar", CONGRESS.find(site.output, "ar"))
