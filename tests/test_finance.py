"""Finance (press_finance): demo content, tables in every language's digits, SVG charts,
downloads equal to the pages, the Frictionless package, the section feed and donor protection."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import feedparser
import pytest
import yaml
from babel import numbers
from conftest import ROOT, parse

CONTENT = ROOT / "content" / "finance"
LANGS = ("ar", "ckb", "en")
LOCALES = {"ar": "ar_IQ", "ckb": "ckb", "en": "en"}
EASTERN = set("٠١٢٣٤٥٦٧٨٩")
NUMERIC_KINDS = ("money", "rate", "share", "count")


def load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def finance_pages(output: Path, lang: str) -> list[Path]:
    return sorted((output / lang / "finance").rglob("index.html"))


def to_decimal(text: str, lang: str) -> Decimal:
    """A number as shown on a page (locale digits and separators) back to a Decimal."""
    ascii_digits = "".join(
        str(unicodedata.decimal(c)) if unicodedata.decimal(c, None) is not None else c for c in text
    )
    cleaned = re.sub(r"[\u200e\u200f\u061c\u00a0\s%٪؜]", "", ascii_digits)
    system = "latn" if lang == "en" else "arab"
    return numbers.parse_decimal(cleaned.replace("‎", ""), locale=LOCALES[lang], numbering_system=system)


# -- acceptance 1: the demo content ------------------------------------------------------------
def test_demo_has_three_years_of_quarters_in_iqd_with_one_usd_line():
    periods = sorted(path.stem for path in (CONTENT / "accounts").glob("*.yml"))
    years = sorted({p[:4] for p in periods})
    assert len(years) == 3 and periods == [f"{y}-q{q}" for y in years for q in range(1, 5)]
    currencies = {load(CONTENT / "accounts" / f"{p}.yml")["currency"] for p in periods}
    assert currencies == {"IQD"}
    text = "\n".join((CONTENT / "accounts" / f"{p}.yml").read_text() for p in periods)
    assert len(re.findall(r"foreign: \{currency: USD, amount: \d+, rate: \d+\}", text)) == 1


def test_demo_donations_straddle_the_threshold_and_one_is_withheld():
    data = load(CONTENT / "donations.yml")
    threshold = Decimal("2500000")
    totals: dict = {}
    for d in data["donations"]:
        key = (d["donor"], str(d["date"])[:4])
        totals[key] = totals.get(key, Decimal(0)) + Decimal(str(d["amount"]))
    assert any(t > threshold for t in totals.values()) and any(t <= threshold for t in totals.values())
    assert sum(1 for d in data["donations"] if "withheld" in d) == 1


def test_demo_party_tax_has_four_representatives_one_in_arrears(demo_site):
    reps = load(CONTENT / "party-tax.yml")["representatives"]
    assert len(reps) == 4
    owing = [r["person"] for r in reps if sum(p["due"] - p["paid"] for p in r["payments"]) > 0]
    assert owing == ["ali-jabbar"]
    page = parse(demo_site / "en" / "finance" / "party-tax" / "index.html")
    row = page.xpath('//table[@data-table="party-tax-totals"]//tr[@data-row="ali-jabbar"]')[0]
    assert "mark-arrears" in row.get("class")
    assert row.xpath('.//td[@data-column="arrears"]/data/@value') == ["2200000"]
    assert "Ali Jabbar owes" in page.text_content()
    index = parse(demo_site / "en" / "finance" / "index.html")  # arrears are never hidden
    assert index.xpath('//table[@data-table="overview-arrears"]//tr/@data-row') == ["ali-jabbar"]


def test_declarations_highlight_new_assets_and_large_changes(demo_site):
    people = sorted(path.stem for path in (CONTENT / "declarations").glob("*.yml"))
    assert len(people) == 3
    assert all(len(load(CONTENT / "declarations" / f"{p}.yml")["years"]) >= 2 for p in people)
    page = parse(demo_site / "en" / "finance" / "declarations" / "ali-jabbar" / "index.html")
    new = page.xpath(
        '//table[@data-table="declarations-ali-jabbar"]//tr[contains(@class, "mark-new")]/@data-row'
    )
    assert "2024-assets-land-diyala" in new and "2024-assets-car" in new
    large = page.xpath(
        '//table[@data-table="declarations-ali-jabbar-summary"]//tr[contains(@class, "mark-large")]'
    )
    assert [row.get("data-row") for row in large] == ["2024"]
    assert "large change" in large[0].text_content()
    assert "This is a large change." in page.text_content()
    hana = parse(demo_site / "en" / "finance" / "declarations" / "hana-karim" / "index.html")
    assert not hana.xpath('//tr[contains(@class, "mark-large")]')  # small yearly changes stay plain
    assert hana.xpath('//tr[@data-row="2024-gifts-books-2023"][contains(@class, "mark-removed")]')


# -- acceptance 2: tables and charts in ar/ckb/en ------------------------------------------------
@pytest.mark.parametrize("lang", LANGS)
def test_amounts_are_written_in_the_languages_digits(demo_site, lang):
    page = parse(demo_site / lang / "finance" / "2024-q2" / "index.html")
    cells = page.xpath('//td[contains(@class, "num")]/data')
    assert len(cells) > 20
    for cell in cells:
        shown = cell.text_content()
        digits = {c for c in shown if c.isdigit()}
        assert digits <= (EASTERN if lang != "en" else set("0123456789")), shown
        assert to_decimal(shown, lang) == Decimal(cell.get("value")), shown
    assert page.xpath("/html/@dir") == ["ltr" if lang == "en" else "rtl"]


def chart_svgs(path: Path) -> list[str]:
    return re.findall(r"<svg\b[^>]*class=\"chart-svg\".*?</svg>", path.read_text(encoding="utf-8"), re.S)


@pytest.mark.parametrize("lang", LANGS)
def test_every_chart_is_well_formed_accessible_svg(demo_site, lang):
    found = 0
    for path in finance_pages(demo_site, lang):
        for markup in chart_svgs(path):
            found += 1
            svg = ET.fromstring(markup)  # well-formed XML, or this raises
            ns = "{http://www.w3.org/2000/svg}"
            assert svg.tag == f"{ns}svg" and svg.get("role") == "img" and svg.get("viewBox")
            assert svg.get("width") is None and svg.get("height") is None  # scales with the page
            title_id, desc_id = svg.get("aria-labelledby").split()
            assert svg.find(f"{ns}title").get("id") == title_id and svg.find(f"{ns}title").text
            assert svg.find(f"{ns}desc").get("id") == desc_id and svg.find(f"{ns}desc").text
            assert not svg.findall(f".//{ns}script") and "on" not in " ".join(
                a[:2] for e in svg.iter() for a in e.attrib
            )
            assert svg.get("direction") == ("ltr" if lang == "en" else "rtl")
            labels = "".join(t.text or "" for t in svg.iter(f"{ns}text"))
            assert any(c in EASTERN for c in labels) == (lang != "en"), labels
    assert found == 1 + 2 * 12  # the overview and two breakdowns per period


def test_charts_are_mirrored_in_right_to_left_languages(demo_site):
    def first_and_last_bar(lang):
        svg = ET.fromstring(chart_svgs(demo_site / lang / "finance" / "index.html")[0])
        bars = [
            float(r.get("x"))
            for r in svg.iter("{http://www.w3.org/2000/svg}rect")
            if r.find("{*}title") is not None
        ]
        return bars[0], bars[-1]

    first, last = first_and_last_bar("en")
    assert first < last  # time runs left to right
    first, last = first_and_last_bar("ar")
    assert first > last  # and right to left in Arabic


# -- acceptance 3: downloads equal the pages; the data package validates ---------------------------
def csv_rows(output: Path, href_path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(href_path.read_text(encoding="utf-8"))))


@pytest.mark.parametrize("lang", LANGS)
def test_csv_and_json_downloads_hold_exactly_the_figures_on_each_page(demo_site, lang):
    checked = 0
    for path in finance_pages(demo_site, lang):
        page = parse(path)
        links = page.xpath('//a[@data-download="csv"]/@href')
        (json_href,) = page.xpath('//a[@data-download="json"]/@href')
        assert links, path
        shown_tables = set(page.xpath("//table/@data-table"))
        document = json.loads((path.parent / json_href).resolve().read_text(encoding="utf-8"))
        assert {t["name"] for t in document["tables"]} == shown_tables
        by_name = {t["name"]: t for t in document["tables"]}
        for href in links:
            target = (path.parent / href).resolve()
            name = target.stem
            rows = csv_rows(demo_site, target)
            html_rows = page.xpath(f'//table[@data-table="{name}"]//tr[@data-row]')
            shown_rows = {r.get("data-row"): r for r in html_rows}
            assert len(shown_rows) == len(html_rows) == len(rows), (path, name)  # row keys are unique
            assert set(shown_rows) == {row["row"] for row in rows}, (path, name)
            assert [r["row"] for r in by_name[name]["rows"]] == [row["row"] for row in rows]
            for row, from_json in zip(rows, by_name[name]["rows"], strict=True):
                tr = shown_rows[row["row"]]
                for column, value in row.items():
                    cell = tr.xpath(f'./td[@data-column="{column}"]')
                    if column in ("row", "level") or column.rsplit("_", 1)[-1] in LANGS:
                        continue
                    assert cell, (path, name, column)
                    json_value = from_json[column]
                    assert ("" if json_value is None else str(json_value)) == value
                    shown = cell[0].xpath("./data | ./a/data | ./time")
                    if not value:
                        assert not shown, (path, name, column)
                        continue
                    element = shown[0]
                    if element.tag == "time":
                        assert element.get("datetime") == value
                    else:
                        assert element.get("value") == value
                        if "num" in (cell[0].get("class") or ""):
                            number = to_decimal(element.text_content(), lang)
                            if "%" in element.text_content() or "٪" in element.text_content():
                                number /= 100
                            assert number == Decimal(value), (path, name, column, element.text_content())
                    checked += 1
    assert checked > 1000


def test_datapackage_validates_with_frictionless(demo_site):
    from frictionless import Package, validate

    package_path = demo_site / "finance" / "datapackage.json"
    report = validate(str(package_path))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    package = Package(str(package_path))
    described = {resource.path for resource in package.resources}
    written = {f"data/{p.name}" for p in (demo_site / "finance" / "data").glob("*.csv")}
    assert described == written and len(written) > 50


def test_section_feed_has_one_entry_per_period_report(demo_site):
    for lang in LANGS:
        feed = feedparser.parse((demo_site / lang / "feeds" / "finance.atom.xml").read_bytes())
        assert feed.bozo == 0
        assert feed.feed.get("language") == lang
        ids = [entry.id for entry in feed.entries]
        assert len(ids) == 12 and all(i.endswith(f":{lang}/finance/{i[-7:]}") for i in ids)
        assert ids[0].endswith("2024-q4")  # newest approval first
    ar = feedparser.parse((demo_site / "ar" / "feeds" / "finance.atom.xml").read_bytes())
    assert ar.entries[0].title == "الحسابات: الربع ٤، ٢٠٢٤"


# -- acceptance 5: donor protection ---------------------------------------------------------------
def text_files(output: Path) -> list[Path]:
    return [
        p
        for p in output.rglob("*")
        if p.is_file() and p.suffix in (".html", ".csv", ".json", ".xml", ".js", ".txt")
    ]


def test_no_small_or_withheld_donor_is_ever_identified_anywhere(demo_site):
    data = load(CONTENT / "donations.yml")
    named = set(data["donors"])
    internal = {d["donor"] for d in data["donations"] if d["donor"] not in named}
    assert {"d-0099", "d-0142"} <= internal
    everything = "\n".join(p.read_text(encoding="utf-8") for p in text_files(demo_site))
    for reference in internal:
        assert not re.search(rf"(?<![\w-]){reference}(?![\w-])", everything), reference
    # Sara Qadir is named for 2023 (above the threshold) but gave less in 2024: no 2024 output names her.
    names = [*data["donors"]["sara-qadir"]["name"].values(), "sara-qadir"]
    assert any(name in everything for name in names)
    year_2024 = [p for p in text_files(demo_site) if "2024-q" in p.as_posix()]
    assert len(year_2024) > 20
    for path in year_2024:
        text = path.read_text(encoding="utf-8")
        assert not any(name in text for name in names), path


def test_withheld_donations_are_published_as_a_count_total_and_basis(demo_site):
    page = parse(demo_site / "en" / "finance" / "2024-q4" / "index.html")
    notice = " ".join(page.xpath('//p[contains(@class, "withheld")]')[0].text_content().split())
    assert notice.startswith("1 donor, total IQD6,000,000, withheld for security reasons.")
    assert "security-sensitive public post in Kirkuk" in notice
    row = page.xpath('//tr[@data-row="withheld"]')[0]
    assert row.xpath('./td[@data-column="amount"]/data/@value') == ["6000000"]


def test_period_reports_are_in_the_search_index_with_their_year(demo_site):
    for lang in LANGS:
        index = "\n".join(p.read_text(encoding="utf-8") for p in (demo_site / lang / "search").rglob("*.js"))
        for period in ("2022-q1", "2024-q2", "2024-q4"):
            assert f'["{lang}/finance/{period}/",' in index, (lang, period)  # a record's link
        assert "finance" in index and "2023" in index
