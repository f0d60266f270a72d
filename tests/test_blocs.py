"""Blocs, position papers, questions, official line, outside voices (issue 3) and bloc feeds (issue 6).

Builds tests/fixtures/blocs (three blocs whose names sort differently in each language, one
dissolved; two questions; a reply thread across blocs; an official position; a member in
personal capacity; an outside voice) and the demo content, and checks the pages and feeds.
"""

from __future__ import annotations

import re
import shutil
import sys

import feedparser
import pytest
import yaml
from conftest import FIXTURES, ROOT, build_site, parse, resolve, run_build

FIXTURE = FIXTURES / "blocs"
LANGS = ("ar", "ckb", "en")
BLOC_LINK = re.compile(r"/blocs/([a-z0-9-]+)/index\.html$")


def settings_with(folder, **values):
    path = folder / "testconf.py"
    lines = [
        "import sys",
        f"sys.path.insert(0, {str(ROOT)!r})",
        "from pelicanconf import *  # noqa: F403",
        f"THEME = {str(ROOT / 'theme')!r}",
        f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]",
        *(f"{name} = {value!r}" for name, value in values.items()),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_site(FIXTURE, tmp_path_factory.mktemp("blocs") / "output")


@pytest.fixture
def content(tmp_path):
    target = tmp_path / "content"
    shutil.copytree(FIXTURE, target)
    return target


def bloc_ids(links) -> list[str]:
    return [match[1] for href in links if (match := BLOC_LINK.search(href))]


def matrix_columns(site, lang):
    tree = parse(site / lang / "positions" / "index.html")
    return bloc_ids(tree.xpath("//table//thead//a/@href"))


def question_columns(site, lang, question="tax"):
    tree = parse(site / lang / "questions" / question / "index.html")
    return bloc_ids(tree.xpath("//section[@class='position']/h3/a/@href"))


def index_order(site, lang):
    tree = parse(site / lang / "blocs" / "index.html")
    return bloc_ids(tree.xpath("//ul[@class='bloc-list']/li/*[self::h2 or self::h3]/a/@href"))


def names(bloc_id):
    return yaml.safe_load((FIXTURE / "blocs" / bloc_id / "bloc.yml").read_text(encoding="utf-8"))["name"]


# -- ordering ----------------------------------------------------------------------------


def test_default_order_is_alphabetical_in_each_language_by_collation(site):
    import pyuca

    collator = pyuca.Collator()
    blocs = ["alpha", "beta", "gamma"]
    for lang in LANGS:
        expected = sorted(blocs, key=lambda b: collator.sort_key(names(b)[lang]))
        assert matrix_columns(site, lang) == expected, lang
        assert question_columns(site, lang) == expected, lang
        # the index lists active blocs first (in that order), then the former ones
        active = [b for b in expected if b != "gamma"]
        assert index_order(site, lang) == [*active, "gamma"], lang
    # the languages really disagree, and Sorani collation is not code-point order (پ ڕ ز)
    assert len({tuple(matrix_columns(site, lang)) for lang in LANGS}) == 3
    by_code_point = sorted(blocs, key=lambda b: names(b)["ckb"])
    assert matrix_columns(site, "ckb") != by_code_point


@pytest.mark.parametrize(
    "setting, expected",
    [("founded", ["alpha", "gamma", "beta"]), (["gamma", "alpha", "beta"], ["gamma", "alpha", "beta"])],
)
def test_changing_the_order_setting_changes_it_everywhere(tmp_path, setting, expected):
    out = build_site(FIXTURE, tmp_path / "out", settings_with(tmp_path, BLOC_ORDER=setting))
    for lang in LANGS:
        assert matrix_columns(out, lang) == expected
        assert question_columns(out, lang) == expected
        assert index_order(out, lang) == [b for b in expected if b != "gamma"] + ["gamma"]


def test_rotation_order_is_the_same_in_every_language_and_follows_the_build_date(tmp_path):
    import os
    import subprocess

    settings = settings_with(tmp_path, BLOC_ORDER="rotation")
    orders = []
    for day in (0, 1):
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT / "plugins"),
            "SOURCE_DATE_EPOCH": str(1_700_000_000 + day * 86400),
        }
        out = tmp_path / f"out{day}"
        args = ["--settings", settings, "--content", FIXTURE, "--output", out]
        result = subprocess.run(
            [sys.executable, "-m", "press_core.build", *map(str, args)],
            env=env,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        columns = {lang: matrix_columns(out, lang) for lang in LANGS}
        assert len({tuple(order) for order in columns.values()}) == 1
        orders.append(columns["en"])
    assert sorted(orders[0]) == sorted(orders[1]) and orders[0] != orders[1]


# -- question page, matrix, replies, voices -----------------------------------------------


def links_in(tree, xpath):
    return {href.split("/")[-2] for href in tree.xpath(xpath)}


def test_question_page_lists_every_position_side_by_side(site):
    tree = parse(site / "en" / "questions" / "tax" / "index.html")
    sections = tree.xpath("//section[@class='position']")
    by_heading = {
        (bloc_ids(s.xpath("h3/a/@href")) or ["official"])[0]: links_in(
            s, ".//ol/li/*[self::h2 or self::h3 or self::h4]/a/@href"
        )
        for s in sections
    }
    assert by_heading == {
        "alpha": {"alpha-tax", "beta-tax"},  # beta-tax is a joint paper of beta and alpha
        "beta": {"beta-tax"},
        "gamma": {"gamma-tax"},
        "official": {"official-tax"},
    }
    assert sections[-1].xpath("string(h3)") == "Official line"  # never first
    others = tree.xpath(
        "//h2[.='Members in a personal capacity and outside voices']/following-sibling::ol[1]"
    )
    assert links_in(others[0], "li/*[self::h2 or self::h3 or self::h4]/a/@href") == {"sara-tax", "critic-tax"}
    # each position gives its date and the languages it exists in
    first = sections[0].xpath(".//ol/li")[0]
    assert first.xpath(".//time/@datetime") and first.xpath(".//span[@class='availability']/a/@hreflang")


def test_matrix_shows_who_took_a_position(site):
    tree = parse(site / "en" / "positions" / "index.html")
    header = [th.text_content().strip() for th in tree.xpath("//thead/tr/th")]
    assert header == ["Question", "Bridge Bloc", "Meadow Bloc", "Zenith Bloc", "Official line"]
    rows = {}
    for row in tree.xpath("//tbody/tr"):
        question = row.xpath("th/a/@href")[0].split("/")[-2]
        rows[question] = [links_in(cell, "a/@href") for cell in row.xpath("td")]
    assert rows == {
        "tax": [{"beta-tax"}, {"gamma-tax"}, {"alpha-tax", "beta-tax"}, {"official-tax"}],
        "rivers": [{"beta-rivers"}, set(), set(), set()],
    }
    for href in tree.xpath("//tbody//a/@href"):
        assert resolve(site / "en" / "positions" / "index.html", href).exists()


def test_reply_links_go_both_ways_across_blocs(site):
    def page(key, lang="en", kind="papers"):
        return parse(site / lang / kind / key / "index.html")

    # gamma-tax → beta-tax → alpha-tax: the thread above gamma's paper, oldest first
    assert [h.split("/")[-2] for h in page("gamma-tax").xpath("//nav[@class='in-reply']//li/a/@href")] == [
        "alpha-tax",
        "beta-tax",
    ]
    assert links_in(page("alpha-tax"), "//section[@class='replies']//li/a/@href") == {"beta-tax"}
    assert links_in(page("beta-tax", "ckb"), "//section[@class='replies']//li/a/@href") == {"gamma-tax"}
    assert links_in(page("official-tax"), "//section[@class='replies']//li/a/@href") == {"critic-tax"}
    critic = page("critic-tax", kind="outside")
    assert links_in(critic, "//nav[@class='in-reply']//li/a/@href") == {"official-tax"}
    # the question page nests the whole thread
    tree = parse(site / "en" / "questions" / "tax" / "index.html")
    nested = tree.xpath("//ul[@class='thread']/li/ul/li/ul/li/a/@href")
    assert [h.split("/")[-2] for h in nested] == ["gamma-tax"]


@pytest.mark.parametrize(
    "path, voice",
    [
        ("en/papers/alpha-tax", "Position paper of the bloc Zenith Bloc."),
        ("ckb/papers/beta-tax", None),
        ("en/papers/official-tax", "Official line of the party, adopted by the Council."),
        ("en/papers/sara-tax", "Written by Sara Aziz in a personal capacity: not a position of any bloc"),
        ("en/outside/critic-tax", "Outside voice: Nadia Critic is not a member of the party."),
    ],
)
def test_every_paper_says_whose_voice_it_is(site, path, voice):
    text = " ".join(parse(site / path / "index.html").xpath("string(//p[@class='voice'])").split())
    if voice is None:  # the joint paper, in Sorani: both blocs named and linked
        tree = parse(site / path / "index.html")
        assert bloc_ids(tree.xpath("//p[@class='voice']/a/@href")) == ["beta", "alpha"]
    else:
        assert text.startswith(voice), text


def test_untranslated_paper_gets_the_honest_stand_in(site):
    tree = parse(site / "en" / "papers" / "beta-tax" / "index.html")
    assert tree.xpath("//meta[@name='robots']/@content") == ["noindex"]
    assert tree.xpath("//article[@class='untranslated']//a/@hreflang") == ["ckb"]


def test_bloc_page_lists_its_papers_newest_first_and_its_members(site):
    tree = parse(site / "en" / "blocs" / "beta" / "index.html")
    papers = tree.xpath("//section[@aria-labelledby='bloc-papers']//ol/li/h3/a/@href")
    assert [h.split("/")[-2] for h in papers] == ["beta-rivers", "beta-tax"]
    members = tree.xpath("//section[@aria-labelledby='bloc-members']//ol/li/h3/a/@href")
    assert [h.split("/")[-2] for h in members] == ["sara-tax"]
    assert (
        "Dissolved on June 30, 2024." in parse(site / "en" / "blocs" / "gamma" / "index.html").text_content()
    )



def test_bloc_logo_goes_through_the_image_pipeline(site):
    page = site / "en" / "blocs" / "beta" / "index.html"
    sources = parse(page).xpath("//p[@class='bloc-logo']//source/@srcset")
    img = parse(page).xpath("//p[@class='bloc-logo']//img")
    assert sources and len(img) == 1 and img[0].get("width") and img[0].get("height")
    for srcset in [*sources, img[0].get("srcset") or img[0].get("src")]:
        for candidate in srcset.split(","):
            url = candidate.split()[0]
            assert not url.startswith(("/", "http")), url
            assert resolve(page, url).is_file(), url
    assert not parse(site / "en" / "blocs" / "alpha" / "index.html").xpath("//p[@class='bloc-logo']")

# -- feeds ---------------------------------------------------------------------------------


def feed_keys(site, lang, name):
    parsed = feedparser.parse((site / lang / "feeds" / f"{name}.atom.xml").read_bytes())
    assert parsed.bozo == 0, parsed.bozo_exception
    assert parsed.feed.get("language") == lang
    return {entry.link.rstrip("/").split("/")[-2] for entry in parsed.entries}


def expected_bloc_papers(bloc_id, lang):
    """From the fixture files: papers in the bloc's folder, and papers naming it in joint_with."""
    found = set()
    for path in (FIXTURE / "blocs").glob("*/papers/*.md"):
        key, file_lang, _ = path.name.split(".")
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
        original = next(p for p in path.parent.glob(f"{key}.*.md") if "translation:" not in p.read_text())
        signers = {
            path.parts[-3],
            *yaml.safe_load(original.read_text().split("---")[1]).get("joint_with", []),
        }
        if file_lang == lang and bloc_id in signers and front:
            found.add(key)
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_a_bloc_feed_contains_exactly_that_blocs_papers(site, lang):
    for bloc_id in ("alpha", "beta", "gamma"):
        assert feed_keys(site, lang, f"bloc-{bloc_id}") == expected_bloc_papers(bloc_id, lang), bloc_id
    title = feedparser.parse((site / lang / "feeds" / "bloc-beta.atom.xml").read_bytes()).feed.title
    assert names("beta")[lang] in title
    assert feed_keys(site, "en", "outside") == {"critic-tax"}
    assert {"official-tax", "sara-tax", "alpha-tax"} <= feed_keys(site, "en", "papers")


def test_bloc_page_links_its_own_feed(site):
    tree = parse(site / "ar" / "blocs" / "alpha" / "index.html")
    assert any(h.endswith("feeds/bloc-alpha.atom.xml") for h in tree.xpath("//link[@rel='alternate']/@href"))
    assert any(
        h.endswith("feeds/bloc-alpha.atom.xml") for h in tree.xpath("//aside[@class='subscribe']//a/@href")
    )


# -- the demo ------------------------------------------------------------------------------


def test_demo_has_blocs_questions_positions_threads_and_outside_voices(demo_site):
    section_names = {}
    for path in sorted((ROOT / "content" / "blocs").glob("*/bloc.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert set(data["name"]) == set(LANGS)
        section_names[path.parent.name] = data["name"]
    assert {"labour-platform", "democratic-renewal", "green-left"} <= set(section_names)
    questions = yaml.safe_load((ROOT / "content" / "questions.yml").read_text(encoding="utf-8"))
    assert len(questions) >= 2
    for question in questions:
        tree = parse(demo_site / "en" / "questions" / question / "index.html")
        filled = [s for s in tree.xpath("//section[@class='position']") if s.xpath(".//ol/li")]
        assert len(filled) >= 3 and filled[-1].xpath("string(h3)") == "Official line"
    # a reply thread of depth ≥ 2 across blocs
    tree = parse(demo_site / "en" / "questions" / "elections-2025" / "index.html")
    deep = tree.xpath("//ul[@class='thread']/li/ul/li/ul/li")
    assert deep
    chain = tree.xpath("//ul[@class='thread']/li[ul/li/ul/li]")[0]  # a root with depth ≥ 2 below it
    levels = [chain, chain.xpath("ul/li[ul/li]")[0], chain.xpath("ul/li/ul/li")[0]]
    owners = [bloc_ids(li.xpath("span/a/@href")) for li in levels]
    assert all(owners) and len({tuple(o) for o in owners}) == 3  # three blocs answer each other
    assert len({p.name.split(".")[0] for p in (ROOT / "content" / "outside").glob("*.md")}) >= 2
    # the official line names its congress vote (linked once the congress minutes have it)
    voice = parse(demo_site / "en" / "papers" / "official-elections-2025" / "index.html").xpath(
        "//p[@class='voice']"
    )
    assert "Congress vote: 3/m3." in " ".join(voice[0].text_content().split())


# -- bad input -----------------------------------------------------------------------------

BAD = {
    "unknown bloc id": (
        "blocs/beta/papers/beta-tax.ckb.md",
        "joint_with: [alpha]",
        "joint_with: [alpha, nope]",
        "content/blocs/beta/papers/beta-tax.ckb.md:6: unknown bloc id 'nope' — use one of: alpha, beta",
    ),
    "reply to a paper that does not exist": (
        "blocs/gamma/papers/gamma-tax.en.md",
        "reply_to: beta-tax",
        "reply_to: ghost-paper",
        "content/blocs/gamma/papers/gamma-tax.en.md:5: replies to 'ghost-paper', which does not exist — ",
    ),
    "unknown question": (
        "blocs/alpha/papers/alpha-tax.en.md",
        "question: tax",
        "question: taxes",
        "content/blocs/alpha/papers/alpha-tax.en.md:4: unknown question 'taxes' — use one of: rivers, tax",
    ),
    "paper after its bloc dissolved": (
        "blocs/gamma/papers/gamma-tax.en.md",
        "date: 2024-05-01",
        "date: 2024-07-01",
        "content/blocs/gamma/papers/gamma-tax.en.md:3: dated 2024-07-01, "
        "after bloc 'gamma' dissolved on 2024-06-30",
    ),
    "bloc folder without bloc.yml": (
        "blocs/delta/papers/delta-paper.en.md",
        None,
        "---\ntitle: Delta\ndate: 2024-01-01\n---\nText.\n",
        "content/blocs/delta/papers/delta-paper.en.md:1: bloc folder 'delta' has no bloc.yml — add",
    ),
    "duplicate keys": (
        "official/alpha-tax.en.md",
        None,
        "---\ntitle: Same key\ndate: 2024-01-01\nadopted_by: council\n---\nText.\n",
        "content/official/alpha-tax.en.md:1: duplicate key 'alpha-tax': "
        "content/blocs/alpha/papers/alpha-tax.ar.md uses it too — rename",
    ),
    "field of another voice": (
        "outside/critic-tax.en.md",
        "by: Nadia Critic",
        "by: Nadia Critic\nadopted_by: council",
        "content/outside/critic-tax.en.md:7: 'adopted_by' does not apply to an outside voice — remove it",
    ),
    "merged into unknown bloc": (
        "blocs/gamma/bloc.yml",
        "status: dissolved",
        "status: merged\nmerged_into: omega",
        "content/blocs/gamma/bloc.yml:11: merged into unknown bloc 'omega' — use one of: alpha, beta, gamma",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_is_reported_with_path_and_line(content, tmp_path, case):
    relative, old, new, message = BAD[case]
    path = content / relative
    if old is None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(new, encoding="utf-8")
    else:
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    for args in (["--check"], ["--output", tmp_path / "out"]):
        result = run_build("--content", content, *args)
        assert result.returncode != 0
        assert message in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_official_motions_are_exposed_for_the_congress_reader(content):
    sys.path.insert(0, str(ROOT / "plugins"))
    import press_blocs
    from press_core.build import load_settings
    from press_core.reading import read_content, register_section

    path = content / "official" / "official-tax.en.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("adopted_by: council", "adopted_by: council\nmotion: 1/m2")
    )
    settings = load_settings(ROOT / "pelicanconf.py", content)
    settings["PLUGINS"] = ["press_content", "press_blocs"]
    # The section reader alone: press_blocs.register() would also connect its page generator,
    # ahead of press_content's, for every later in-process build of this test worker.
    register_section("press_blocs", press_blocs.SECTION, press_blocs.read_blocs)
    graph = read_content(settings)
    assert graph.sections["blocs"].official_motions == [("1/m2", "content/official/official-tax.en.md", 6)]
    blocs = graph.sections["blocs"]
    assert list(blocs.blocs) == ["beta", "alpha", "gamma"]  # the default language's (ar) order
    assert blocs.blocs["gamma"].status == "dissolved" and blocs.blocs["alpha"].name("fr") == "الزيتون"


# -- git tooling ---------------------------------------------------------------------------


def test_codeowners_files_are_committed_and_match_the_bloc_editors():
    from press_blocs.tools import codeowners_files

    generated = codeowners_files(ROOT / "content", ROOT)
    for relative, text in generated.items():
        assert (ROOT / relative).read_text(encoding="utf-8") == text, f"run `invoke codeowners` ({relative})"
    for path in sorted((ROOT / "content" / "blocs").glob("*/bloc.yml")):
        editors = yaml.safe_load(path.read_text(encoding="utf-8"))["editors"]
        line = f"/content/blocs/{path.parent.name}/ " + " ".join(editors)
        for relative in (".github/CODEOWNERS", ".gitlab/CODEOWNERS"):
            lines = (ROOT / relative).read_text(encoding="utf-8").splitlines()
            assert line in lines, relative


def test_codeowners_follow_a_change_of_editors(content):
    from press_blocs.tools import codeowners_files

    path = content / "blocs" / "beta" / "bloc.yml"
    path.write_text(path.read_text().replace('["@beta-editor"]', '["@new-editor", "@beta-editor"]'))
    github = codeowners_files(content, content.parent)[".github/CODEOWNERS"]
    assert "/content/blocs/beta/ @new-editor @beta-editor" in github.splitlines()


def test_new_paper_scaffolds_a_paper_that_passes_check(content):
    from press_blocs.tools import ToolError, new_paper

    target, translation = new_paper(
        content, list(LANGS), "beta", "ckb", question="rivers", reply_to="alpha-tax", key="beta-answer"
    )
    assert target == content / "blocs" / "beta" / "papers" / "beta-answer.ckb.md" and not translation
    second, translation = new_paper(content, list(LANGS), "beta", "en", key="beta-answer")
    assert translation and "translation: true" in second.read_text(encoding="utf-8")
    result = run_build("--content", content, "--check")
    assert result.returncode == 0, result.stderr
    for kwargs, message in (
        ({"bloc": "nope", "lang": "en"}, "unknown bloc 'nope'"),
        ({"bloc": "beta", "lang": "fr"}, "unknown language 'fr'"),
        ({"bloc": "beta", "lang": "en", "question": "none"}, "unknown question 'none'"),
        ({"bloc": "beta", "lang": "en", "reply_to": "ghost"}, "'ghost'"),
    ):
        with pytest.raises(ToolError, match=message):
            new_paper(content, list(LANGS), **kwargs)
