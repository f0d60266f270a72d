"""Congresses (press_congress) on the demo site: pages, recounted results, dissent, data, feed, search."""

from __future__ import annotations

import csv
import json
import math
from fractions import Fraction

import feedparser
import jsonschema
import pytest
from conftest import ROOT, parse, resolve

from press_core.problems import Problems
from press_core.yamlfile import load_data_file

LANGS = ("ar", "ckb", "en")
CONGRESSES = ROOT / "content" / "congresses"
SCHEMA = ROOT / "plugins" / "press_congress" / "popolo-congress.schema.json"
DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def number(text: str) -> int:
    """A figure as the page shows it (locale digits, grouping separators) back to an int."""
    return int("".join(ch for ch in text.translate(DIGITS) if ch.isdigit()))


def popolo(site, n: int) -> dict:
    return json.loads((site / f"congresses/{n}/congress-{n}.popolo.json").read_text(encoding="utf-8"))


def numbers() -> list[int]:
    return sorted(int(path.name) for path in CONGRESSES.iterdir() if path.is_dir())


def motions_file(n: int) -> dict:
    return load_data_file(CONGRESSES / str(n) / "motions.yml", Problems(ROOT))


# -- acceptance 1: the demo content --------------------------------------------------------------
def test_demo_content_has_what_the_issue_asks(demo_site):
    documents = [popolo(demo_site, n) for n in numbers()]
    concluded = [d for d in documents if d["events"][0]["status"] == "concluded"]
    assert len(concluded) >= 2
    motions = [m for d in documents for m in d["motions"] if m["classification"] == "motion"]
    assert len(motions) >= 6
    events = [e for d in documents for e in d["vote_events"]]
    motion_votes = [e for e in events if e["motion_id"].count("/") == 1]
    assert any(e["result"] == "rejected" for e in motion_votes), "one motion fails"
    assert any(e["requirement"] == "two-thirds" for e in motion_votes), "one needs two thirds"
    assert any(e["group_results"] for e in motion_votes), "one has a per-bloc breakdown"
    assert any(e["ballot"] == "roll-call" for e in motion_votes), "one is a roll call"
    assert any(d["votes"] for d in documents)
    elections = [e for d in documents for e in d["elections"]]
    assert elections and all(e["composition"]["members"] == e["seats"] for e in elections)
    assert sum(len(d["dissents"]) for d in documents) >= 2
    for n in numbers():
        for lang in LANGS:
            assert (CONGRESSES / str(n) / f"minutes.{lang}.md").is_file()


def test_an_untranslated_minutes_part_is_shown_honestly(demo_site):
    """ckb lacks the minutes of one agenda item: its page says so and links the same spot elsewhere."""
    page = demo_site / "ckb/congresses/3/index.html"
    notes = parse(page).xpath('//section[@id="agenda-report"]//p[contains(@class, "untranslated")]')
    assert len(notes) == 1
    links = notes[0].xpath(".//a/@href")
    assert sorted(h.rsplit("#", 1)[1] for h in links) == ["agenda-report", "agenda-report"]
    assert {resolve(page, h).relative_to(demo_site).as_posix() for h in links} == {
        "ar/congresses/3/index.html",
        "en/congresses/3/index.html",
    }
    assert not parse(page).xpath('//section[@id="agenda-report"]//div[contains(@class, "minutes")]')
    for lang in ("ar", "en"):
        other = parse(demo_site / f"{lang}/congresses/3/index.html")
        assert other.xpath('//section[@id="agenda-report"]//div[contains(@class, "minutes")]/p')
        assert not other.xpath('//section[@id="agenda-report"]//p[contains(@class, "untranslated")]')


# -- acceptance 2: pages, anchors, recomputed results, dissent beside its resolution --------------
@pytest.mark.parametrize("lang", LANGS)
def test_congress_pages_have_anchors_for_every_item_and_motion(demo_site, lang):
    index_page = demo_site / f"{lang}/congresses/index.html"
    linked = {resolve(index_page, h) for h in parse(index_page).xpath("//main//a/@href")}
    for n in numbers():
        page = demo_site / f"{lang}/congresses/{n}/index.html"
        assert page.resolve() in linked, f"the index links congress {n}"
        tree = parse(page)
        ids = set(tree.xpath("//@id"))
        jumps = tree.xpath('//nav[contains(@class, "agenda-nav")]//a[starts-with(@href, "#")]/@href')
        assert jumps and all(h[1:] in ids for h in jumps)
        document = popolo(demo_site, n)
        for motion in document["motions"]:
            if motion["classification"] == "motion":
                motion_id = motion["id"].split("/")[1]
                assert f"motion-{motion_id}" in ids and f"#motion-{motion_id}" in jumps
                assert f"agenda-{motion['agenda_item']}" in ids
                assert (demo_site / f"{lang}/congresses/{n}/motions/{motion_id}/index.html").is_file()
        for resolution in document["resolutions"]:
            assert (
                demo_site / f"{lang}/congresses/{n}/resolutions/{resolution['id'].split('/')[1]}/index.html"
            ).is_file()
        # recording timestamps: plain links to the party's own recordings at that second, no embeds
        stamps = tree.xpath('//a[contains(@class, "timestamp")]/@href')
        assert stamps and all(h.startswith("https://video.press.example.org/") and "#t=" in h for h in stamps)
        assert not tree.xpath("//iframe | //video | //audio | //embed | //object")


def expected_result(counts: dict, requirement: str, accredited: int, quorum: Fraction) -> tuple[str, int]:
    """The statute's counting rules, written out independently of the plugin."""
    yes, no = counts.get("yes", 0), counts.get("no", 0)
    present = sum(counts.get(option, 0) for option in ("yes", "no", "abstain", "invalid"))
    base = yes + no if requirement in ("simple-majority", "two-thirds") else accredited
    needed = {
        "simple-majority": base // 2 + 1,
        "absolute-majority": base // 2 + 1,
        "two-thirds": math.ceil(Fraction(2, 3) * base),
        "two-thirds-of-accredited": math.ceil(Fraction(2, 3) * base),
    }[requirement]
    if present < math.ceil(quorum * accredited):
        return "no-quorum", needed
    return ("adopted" if yes >= needed else "rejected"), needed


@pytest.mark.parametrize("lang", LANGS)
def test_results_shown_are_recounted_from_the_counts(demo_site, lang):
    for n in numbers():
        congress = load_data_file(CONGRESSES / str(n) / "congress.yml", Problems(ROOT))
        sessions = {s["id"]: s["accredited"] for s in congress["sessions"]}
        quorum = Fraction(str(congress.get("quorum", "1/2")))
        for motion in motions_file(n)["motions"]:
            tree = parse(demo_site / f"{lang}/congresses/{n}/motions/{motion['id']}/index.html")
            votes = [(motion["id"], motion["requirement"], motion["vote"])]
            votes += [
                (f"{motion['id']}-{a['id']}", a.get("requirement", "simple-majority"), a["vote"])
                for a in motion.get("amendments", [])
                if "vote" in a
            ]
            for vote_id, requirement, vote in votes:
                counts = {({True: "yes", False: "no"}.get(k, k)): v for k, v in vote["counts"].items()}
                accredited = sessions[vote.get("session", next(iter(sessions)))]
                result, needed = expected_result(counts, requirement, accredited, quorum)
                section = tree.xpath(f'//section[@data-vote="{vote_id}"]')[0]
                assert f"result-{result}" in section.get("class")
                assert int(section.xpath(".//dd[@data-needed]/@data-needed")[0]) == needed
                shown = {
                    td.get("data-option"): number(td.text_content())
                    for td in section.xpath('.//table[@class="vote-counts"]//td')
                }
                assert shown == counts


@pytest.mark.parametrize("lang", LANGS)
def test_dissent_is_beside_the_resolution_it_dissents_from(demo_site, lang):
    for n in numbers():
        for dissent in popolo(demo_site, n)["dissents"]:
            dissent_id, target = dissent["id"].split("/")[1], dissent["on"].split("/")[1]
            pages = [f"{lang}/congresses/{n}/index.html"]
            if dissent["on_classification"] == "resolution":
                pages.append(f"{lang}/congresses/{n}/resolutions/{target}/index.html")
            for path in pages:
                tree = parse(demo_site / path)
                pair = tree.xpath(
                    f'//div[contains(@class, "beside") and contains(@class, "with-dissent")]'
                    f'[./div[@class="main-text"]/*[@id="{dissent["on_classification"]}-{target}"]]'
                    f'[./div[@class="dissents"]/aside[@id="dissent-{dissent_id}"]]'
                )
                assert len(pair) == 1, f"{path}: dissent {dissent_id} is not beside {target}"


def test_vote_bar_is_accessible_and_right_to_left_where_the_page_is(demo_site):
    for lang in LANGS:
        tree = parse(demo_site / f"{lang}/congresses/3/motions/m1/index.html")
        svg = tree.xpath('//section[@data-vote="m1"]/*[local-name()="svg"]')[0]
        assert svg.get("role") == "img"
        title_id, desc_id = svg.get("aria-labelledby").split()
        desc = tree.xpath(f'//*[@id="{desc_id}"]')[0].text_content()
        assert tree.xpath(f'//*[@id="{title_id}"]')[0].text_content().strip()
        rects = svg.xpath('.//*[local-name()="rect"]')
        first = rects[0]
        assert first.get("class") == "bar-yes"
        x, width = float(first.get("x")), float(first.get("width"))
        if lang == "en":
            assert x == 0 and "141" in desc
        else:  # the bar starts on the right, figures in Eastern Arabic digits
            assert math.isclose(x + width, 1000, abs_tol=0.02) and "١٤١" in desc and "141" not in desc
        assert math.isclose(sum(float(r.get("width")) for r in rects), 1000, abs_tol=0.05)


def test_per_bloc_breakdown_follows_the_blocs_order(demo_site):
    for lang in LANGS:
        tree = parse(demo_site / f"{lang}/congresses/3/motions/m1/index.html")
        rows = tree.xpath('//section[@data-vote="m1"]//table[@class="by-bloc"]//tr[@data-group]')
        groups = [row.get("data-group") for row in rows]
        assert groups[-1] == "", "the delegates outside the listed blocs come last"
        blocs_page = parse(demo_site / f"{lang}/blocs/index.html")
        order = [
            h.split("/")[-2] for h in blocs_page.xpath('//main//a[contains(@href, "/index.html")]/@href')
        ]
        ranked = [order.index(bloc) for bloc in groups[:-1]]
        assert ranked == sorted(ranked)


def test_composition_of_the_elected_body(demo_site):
    tree = parse(demo_site / "en/congresses/3/index.html")
    election = tree.xpath('//section[@id="election-central-committee"]')[0]
    women = election.xpath('.//dd[@data-share="women"]')[0].text_content()
    assert women == "3 of 7 (43%)"
    assert election.xpath('.//dd[@data-share="under-35"]')[0].text_content() == "2 of 7 (29%)"
    assert election.xpath('.//dd[@data-share="over-term-limit"]')[0].text_content().strip() == "Karwan Omar"
    elected = [row.xpath("./th")[0].text_content() for row in election.xpath('.//tr[@class="elected"]')]
    assert len(elected) == 7 and elected[0] == "Hana Karim"
    ar = parse(demo_site / "ar/congresses/3/index.html")
    assert "٣" in ar.xpath('//dd[@data-share="women"]')[0].text_content()


# -- acceptance 4: open data ------------------------------------------------------------------------
def test_popolo_json_validates_against_the_shipped_schema(demo_site):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert (demo_site / "congresses/popolo-congress.schema.json").read_bytes() == SCHEMA.read_bytes()
    for n in numbers():
        document = popolo(demo_site, n)
        jsonschema.validate(document, schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
        organizations = {o["id"] for o in document["organizations"]}
        persons = {p["id"] for p in document["persons"]}
        motions = {m["id"] for m in document["motions"]}
        for event in document["vote_events"]:
            assert event["motion_id"] in motions
            assert all(group["group_id"] in organizations for group in event["group_results"])
        assert all(v["voter_id"] in persons for v in document["votes"])
        assert all(
            m["person_id"] in persons and m["organization_id"] in organizations
            for m in document["memberships"]
        )
        assert "@" not in json.dumps(document), "no e-mail address is ever published"


def test_a_broken_document_fails_the_schema(demo_site):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    document = popolo(demo_site, 3)
    document["vote_events"][0]["counts"][0]["value"] = -1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema)


@pytest.mark.parametrize("lang", LANGS)
def test_csv_of_votes_equals_the_figures_on_the_pages(demo_site, lang):
    checked = 0
    for n in numbers():
        with open(
            demo_site / f"congresses/{n}/congress-{n}-votes.csv", encoding="utf-8", newline=""
        ) as handle:
            rows = list(csv.DictReader(handle))
        assert rows
        for row in rows:
            tree = parse(demo_site / f"{lang}/congresses/{n}/motions/{row['motion']}/index.html")
            section = tree.xpath(f'//section[@data-vote="{row["vote_event"]}"]')[0]
            if row["group"]:
                cells = section.xpath(f'.//table[@class="by-bloc"]//tr[@data-group="{row["group"]}"]/td')
            else:
                cells = section.xpath('.//table[@class="vote-counts"]//td')
                assert f"result-{row['result']}" in section.get("class")
                assert section.xpath(".//dd[@data-needed]/@data-needed")[0] == row["needed"]
            shown = {td.get("data-option"): td.text_content() for td in cells}
            for option in ("yes", "no", "abstain", "absent", "excused", "invalid"):
                if row[option] == "":
                    assert option not in shown or shown[option] == "—"
                else:
                    assert number(shown[option]) == int(row[option]), (row, option)
            checked += 1
    assert checked >= 10


# -- feed and search ----------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGS)
def test_congress_documents_feed(demo_site, lang):
    feed = feedparser.parse((demo_site / f"{lang}/feeds/congress.atom.xml").read_bytes())
    assert feed.bozo == 0
    assert feed.feed.language == lang
    links = [entry.link for entry in feed.entries]
    assert any("/congresses/3/motions/m1/" in link for link in links)
    assert any("/congresses/4/resolutions/r1/" in link for link in links)
    for entry in feed.entries:
        path = entry.link.split("http://localhost:8000/", 1)[1]
        assert path.startswith(f"{lang}/") and (demo_site / path).is_file()
    listing = demo_site / f"{lang}/congresses/index.html"
    linked = {resolve(listing, h) for h in parse(listing).xpath("//main//a/@href")}
    assert (demo_site / f"{lang}/feeds/congress.atom.xml").resolve() in linked


@pytest.mark.parametrize("lang", LANGS)
def test_motions_and_resolutions_are_in_search(demo_site, lang):
    index = "".join(
        path.read_text(encoding="utf-8") for path in sorted((demo_site / lang / "search").rglob("*.js"))
    )
    # a record's link is the page's path from the output root, without its final index.html
    assert f'["{lang}/congresses/3/motions/m2/",' in index
    assert f'["{lang}/congresses/4/resolutions/r1/",' in index


def test_pages_name_their_source_files(demo_site):
    tree = parse(demo_site / "en/congresses/3/motions/m1/index.html")
    sources = tree.xpath('//p[@class="source"]//code/text()')
    assert "content/congresses/3/motions.yml" in sources
