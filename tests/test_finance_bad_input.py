"""Finance validation: tests/fixtures/finance builds; breaking it one rule at a time stops
`check` (exit 1) with that rule's `path:line: … — fix` message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, build_site, run_build

GOOD = FIXTURES / "finance"


def finance_content(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    shutil.copytree(GOOD, content / "finance", ignore=shutil.ignore_patterns("README.md"))
    return content


def replace(path: str, old: str, new: str):
    def apply(finance: Path):
        target = finance / path
        text = target.read_text(encoding="utf-8")
        assert text.count(old) >= 1, f"{path} lacks {old!r}"
        target.write_text(text.replace(old, new, 1), encoding="utf-8")

    return apply


def rename(path: str, new: str):
    return lambda finance: (finance / path).rename(finance / new)


def copy(path: str, new: str):
    return lambda finance: shutil.copy(finance / path, finance / new)


def write(path: str, text: str):
    return lambda finance: (finance / path).write_text(text, encoding="utf-8")


Q1, Q2 = "accounts/2024-q1.yml", "accounts/2024-q2.yml"
QUIET_QUARTER = """currency: IQD
opening: 9819000
income: {}
income_total: 0
expenses: {}
expenses_total: 0
closing: 9819000
approved: {date: 2025-01-20, by: {en: the Central Committee}}
"""
# (id, changes, file the problem is in, text on the expected line (None: line 1), part of the message)
CASES = [
    (
        "currency-code",
        [replace(Q1, "currency: IQD", "currency: IQQ")],
        Q1,
        "currency: IQQ",
        "'IQQ' is not an ISO 4217 currency code",
    ),
    (
        "malformed-decimal",
        [replace(Q1, "opening: 1000000", "opening: 1 000 000")],
        Q1,
        "opening:",
        "'opening' '1 000 000' is not a well-formed decimal",
    ),
    (
        "float-like-exponent",
        [replace(Q2, "total: 600000", "total: 6e5")],
        Q2,
        "total: 6e5",
        "'total' '6e5' is not a well-formed decimal",
    ),
    (
        "minor-units",
        [replace(Q1, "amount: 200000}", "amount: 200000.5}")],
        Q1,
        "200000.5",
        "has more decimals than IQD has (0)",
    ),
    (
        "lines-sum-to-category",
        [replace(Q1, "amount: 300000}", "amount: 300001}")],
        Q1,
        "total: 500000",
        "income 'dues': total 500,000 IQD is not the sum of its lines (500,001 IQD)",
    ),
    (
        "categories-sum-to-period",
        [replace(Q1, "income_total: 4350000", "income_total: 4350001")],
        Q1,
        "income_total:",
        "income_total 4,350,001 IQD is not the sum of the income categories",
    ),
    (
        "opening-income-expenses-closing",
        [replace(Q1, "closing: 4619000", "closing: 4619001")],
        Q1,
        "closing:",
        "closing balance 4,619,001 IQD is not opening + income − expenses (4,619,000 IQD)",
    ),
    (
        "continuity",
        [
            replace(Q2, "opening: 4619000", "opening: 4619100"),
            replace(Q2, "closing: 9819000", "closing: 9819100"),
        ],
        Q2,
        "opening:",
        "opening balance 4,619,100 IQD is not 2024-q1's closing balance 4,619,000 IQD",
    ),
    (
        "gap",
        [write("accounts/2024-q4.yml", QUIET_QUARTER)],
        "accounts/2024-q4.yml",
        None,
        "gap between 2024-q2 and 2024-q4",
    ),
    (
        "overlap",
        [copy(Q1, "accounts/2024.yml"), replace("accounts/2024.yml", "date: 2024-04-20", "date: 2025-01-20")],
        "accounts/2024.yml",
        None,
        "period 2024 overlaps 2024-q1",
    ),
    (
        "period-file-name",
        [rename(Q2, "accounts/2024-second.yml")],
        "accounts/2024-second.yml",
        None,
        "file name '2024-second.yml' is not a period",
    ),
    (
        "currency-changes",
        [replace(Q2, "currency: IQD", "currency: EUR")],
        Q2,
        None,
        "currency changes from IQD (2024-q1) to EUR",
    ),
    (
        "date-inside-period",
        [replace(Q1, "date: 2024-01-05", "date: 2024-04-05")],
        Q1,
        "date: 2024-04-05",
        "line dated 2024-04-05, outside the period (2024-01-01 to 2024-03-31)",
    ),
    (
        "malformed-date",
        [replace(Q1, "date: 2024-01-05", "date: 2024-01-35")],
        Q1,
        "date: 2024-01-35",
        "malformed date '2024-01-35'",
    ),
    (
        "approval-after-period",
        [replace(Q1, "date: 2024-04-20", "date: 2024-03-20")],
        Q1,
        "date: 2024-03-20",
        "approved on 2024-03-20, before the period ended (2024-03-31)",
    ),
    (
        "unknown-category",
        [replace(Q1, "  publishing:", "  printing:")],
        Q1,
        "  printing:",
        "unknown expenses category 'printing'",
    ),
    (
        "exchange-rate",
        [replace(Q1, "rate: 1310}", "rate: 1300}")],
        Q1,
        "amount: 131000\n",
        "100 USD at 1300 is 130,000 IQD, not 131,000 IQD",
    ),
    (
        "foreign-currency-code",
        [replace(Q1, "currency: USD", "currency: USX")],
        Q1,
        "currency: USX",
        "'USX' is not an ISO 4217 currency code",
    ),
    (
        "duplicate-key",
        [replace("categories.yml", "  publishing: {", "  rent: {")],
        "categories.yml",
        "  rent: {ar: نشر",
        "duplicate key 'rent' (first on line 7)",
    ),
    (
        "duplicate-donation-id",
        [replace("donations.yml", "id: 2024-002", "id: 2024-001")],
        "donations.yml",
        "id: 2024-001, date: 2024-02-01",
        "duplicate donation id '2024-001' (first on line 6)",
    ),
    (
        "unknown-language",
        [replace(Q1, "en: Office rent}", "fr: Loyer}")],
        Q1,
        "fr: Loyer",
        "unknown language code 'fr'",
    ),
    (
        "donation-outside-accounts",
        [replace("donations.yml", "date: 2024-05-02", "date: 2024-08-02")],
        "donations.yml",
        "date: 2024-08-02",
        "donation 2024-004 dated 2024-08-02 falls in no accounts period",
    ),
    (
        "named-donor-at-or-below-threshold",
        [replace("donations.yml", "amount: 3000000}", "amount: 2500000}")],
        "donations.yml",
        "  hawre-salih:",
        "donor 'hawre-salih' is named but gives at most the threshold",
    ),
    (
        "unnamed-donor-above-threshold",
        [replace("donations.yml", "amount: 400000}", "amount: 2600000}")],
        "donations.yml",
        "donor: d-0001",
        "donor 'd-0001' gives 2,600,000 IQD in 2024 (above the threshold 2,500,000 IQD) without a name",
    ),
    (
        "withheld-without-basis",
        [
            replace(
                "donations.yml",
                "withheld: {ar: خطر على سلامة المتبرع, ckb: مەترسی بۆ سەلامەتیی بەخشەر, en: A risk to the "
                "donor's safety}",
                "withheld:",
            )
        ],
        "donations.yml",
        "withheld:",
        "donation 2024-003 is withheld without a stated basis",
    ),
    (
        "withheld-at-or-below-threshold",
        [replace("donations.yml", "amount: 100000}", "amount: 100000, withheld: {en: fear}}")],
        "donations.yml",
        "donor: d-0003",
        "donation 2024-004 is withheld, but donor 'd-0003' gives 100,000 IQD in 2024",
    ),
    (
        "donations-ledger",
        [replace("donations.yml", "amount: 400000}", "amount: 400001}")],
        Q1,
        "  donations:",
        "income 'donations' of 2024-q1 is 3,400,000 IQD, but donations.yml gives 3,400,001 IQD",
    ),
    (
        "party-tax-ledger",
        [replace("party-tax.yml", "paid: 450000}", "paid: 440000}")],
        Q1,
        "  party-tax:",
        "income 'party-tax' of 2024-q1 is 450,000 IQD, but party-tax.yml (paid) gives 440,000 IQD",
    ),
    (
        "party-tax-due",
        [replace("party-tax.yml", "due: 450000, paid: 450000", "due: 460000, paid: 450000")],
        "party-tax.yml",
        "due: 460000",
        "due 460,000 IQD is not rate × salary (450,000 IQD), beyond the tolerance 1,000 IQD",
    ),
    (
        "party-tax-period",
        [replace("party-tax.yml", "period: 2024-q2", "period: 2025-q2")],
        "party-tax.yml",
        "period: 2025-q2",
        "unknown period '2025-q2'",
    ),
    (
        "unknown-person",
        [replace("party-tax.yml", "person: sara-aziz", "person: nobody")],
        "party-tax.yml",
        "person: nobody",
        "unknown person 'nobody'",
    ),
    (
        "unknown-bloc",
        [replace("party-tax.yml", "    payments:", "    bloc: no-such-bloc\n    payments:")],
        "party-tax.yml",
        "bloc: no-such-bloc",
        "unknown bloc 'no-such-bloc'",
    ),
    (
        "declaration-person",
        [rename("declarations/sara-aziz.yml", "declarations/nobody.yml")],
        "declarations/nobody.yml",
        None,
        "unknown person 'nobody' (the file name)",
    ),
    (
        "declaration-filed-date",
        [replace("declarations/sara-aziz.yml", "filed: 2025-01-20", "filed: 2027-01-20")],
        "declarations/sara-aziz.yml",
        "filed: 2027-01-20",
        "declaration 2024 filed on 2027-01-20, outside 2024 and 2025",
    ),
    (
        "declaration-duplicate-key",
        [replace("declarations/sara-aziz.yml", "{key: land,", "{key: flat,")],
        "declarations/sara-aziz.yml",
        "{key: flat, label: {ar: أرض",
        "declaration 2024: duplicate assets key 'flat'",
    ),
]


@pytest.fixture(scope="module")
def good_build(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("finance-good")
    return build_site(finance_content(tmp), tmp / "output")


def test_the_fixture_builds_and_keeps_small_donors_out_of_every_file(good_build):
    report = (good_build / "en" / "finance" / "2024-q1" / "index.html").read_text(encoding="utf-8")
    assert "Hawre Salih" in report  # above the threshold: named
    everything = "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in good_build.rglob("*")
        if p.is_file() and p.suffix in (".html", ".csv", ".json", ".xml", ".js", ".txt")
    )
    for secret in ("Shirin Rasul", "Halabja", "d-0001", "d-0002", "d-0003"):  # a comment, references
        assert secret not in everything, secret
    q2 = (good_build / "en" / "finance" / "2024-q2" / "index.html").read_text(encoding="utf-8")
    assert "1 donor, total IQD5,000,000, withheld for security reasons." in " ".join(q2.split())


@pytest.mark.parametrize("case", CASES, ids=[case[0] for case in CASES])
def test_each_broken_rule_is_reported_with_its_line(tmp_path, case):
    _, changes, path, marker, message = case
    content = finance_content(tmp_path)
    for change in changes:
        change(content / "finance")
    target = content / "finance" / path
    line = 1
    if marker is not None:
        text = target.read_text(encoding="utf-8")
        assert marker in text, marker
        line = text[: text.index(marker)].count("\n") + 1
    result = run_build("--check", "--content", content)
    assert result.returncode == 1, result.stdout + result.stderr
    expected = f"finance/{path}:{line}: "
    lines = [entry for entry in result.stderr.splitlines() if expected in entry and message in entry]
    assert lines, f"expected …{expected}…{message}… in:\n{result.stderr}"
    assert " — " in lines[0] and "Traceback" not in result.stderr
