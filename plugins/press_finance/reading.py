"""Read and validate ``content/finance/`` into :class:`~press_finance.model.Finance`.

Runs inside the one content read (``register_section``): every mistake is a
``path:line: what — fix`` problem in ``reader.problems``, so the build and
``invoke check`` stop on it.  Numbers reach this module as the text written in the
file (``exact_numbers``) and become :class:`~decimal.Decimal`; currency codes and
their minor units come from Babel (CLDR).  The rules are listed in docs/FINANCE.md.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from itertools import pairwise
from pathlib import Path

from babel import numbers

from press_core.markup import render_inline
from press_core.problems import setting_line
from press_core.reading import KEY
from press_core.yamlfile import LineDict, load_data_file

from .model import (
    DECLARATION_KINDS,
    CategoryTotal,
    Declaration,
    Donation,
    DonationReport,
    Donor,
    Finance,
    Foreign,
    Holding,
    Line,
    Period,
    PersonDeclarations,
    Representative,
    TaxPayment,
    Text,
)

FOLDER = "finance"
AMOUNT = re.compile(r"^-?\d+(?:\.\d+)?$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PERIOD_ID = re.compile(r"^(?P<year>\d{4})(?:-q(?P<quarter>[1-4]))?$")
CATEGORY_KINDS = ("income", "expenses")
# Income categories whose totals must equal a ledger of their own.
DONATIONS, PARTY_TAX = "donations", "party-tax"
SETTINGS = {
    "FINANCE_CURRENCY": "IQD",
    "FINANCE_DONOR_THRESHOLD": "2500000",
    "FINANCE_TAX_TOLERANCE": "0",
    "FINANCE_WEALTH_CHANGE": "0.25",
}
_TAG = re.compile(r"<[^>]*>")


def blocs_of(graph) -> dict:
    """``graph.sections["blocs"]`` as id → Bloc (press_blocs keeps them in ``.blocs``)."""
    section = graph.sections.get("blocs")
    return getattr(section, "blocs", section) or {}


def period_bounds(year: int, quarter: int | None) -> tuple[dt.date, dt.date]:
    if quarter is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    start = dt.date(year, 3 * quarter - 2, 1)
    following = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return start, following - dt.timedelta(days=1)


def money_text(value: Decimal, currency: str) -> str:
    """A figure in a message: ``1,250,000 IQD`` (messages are for editors, in English)."""
    return f"{numbers.format_decimal(value, locale='en', decimal_quantization=False)} {currency}"


class FinanceReader:
    """One pass over the finance files; ``read()`` returns the model or None (problems recorded)."""

    def __init__(self, reader, graph):
        self.reader, self.graph = reader, graph
        self.problems = reader.problems
        self.folder: Path = reader.content / FOLDER
        self.languages = reader.languages
        self.default_lang = reader.default_lang

    # -- small readers -----------------------------------------------------------------
    def add(self, path, line, what, fix):
        self.problems.add(path, line, what, fix)

    def setting(self, name: str):
        value = self.reader.settings.get(name, SETTINGS[name])
        if name == "FINANCE_CURRENCY":
            if not (isinstance(value, str) and numbers.is_currency(value)):
                path, line = setting_line(self.reader.settings, name)
                self.add(path, line, f"{name} {value!r} is not an ISO 4217 currency code", 'write e.g. "IQD"')
                return None
            return value
        try:
            number = Decimal(str(value)) if isinstance(value, str | int) and str(value).strip() else None
        except InvalidOperation:
            number = None
        if number is None or number < 0 or (name == "FINANCE_WEALTH_CHANGE" and number > 1):
            path, line = setting_line(self.reader.settings, name)
            self.add(
                path,
                line,
                f"{name} {value!r} is not a decimal number"
                + (" between 0 and 1" if "WEALTH" in name else ""),
                f'write it as text, e.g. {name} = "{SETTINGS[name]}"',
            )
            return None
        return number

    def load(self, path: Path, expect=LineDict):
        return load_data_file(path, self.problems, expect=expect, exact_numbers=True)

    def decimal(
        self,
        path,
        mapping: LineDict,
        key: str,
        what: str,
        currency: str | None = None,
        negative: bool = False,
        required: bool = True,
    ) -> Decimal | None:
        line = mapping.line_of(key)
        if key not in mapping or mapping[key] is None:
            if required:
                self.add(
                    path, mapping.line, f"{what}: missing '{key}'", f"add `{key}: …` (digits, e.g. 1250000)"
                )
            return None
        value = mapping[key]
        if not isinstance(value, str) or not AMOUNT.match(value.strip()):
            self.add(
                path,
                line,
                f"{what}: '{key}' {value!r} is not a well-formed decimal",
                "write digits with an optional decimal point, e.g. 1250000 or 250.50 — no thousands "
                "separators",
            )
            return None
        number = Decimal(value.strip())
        if number < 0 and not negative:
            self.add(path, line, f"{what}: '{key}' is negative", "write the amount without a minus sign")
            return None
        if currency is not None:
            digits = numbers.get_currency_precision(currency)
            if -number.as_tuple().exponent > digits:
                self.add(
                    path,
                    line,
                    f"{what}: '{key}' {value} has more decimals than {currency} has ({digits})",
                    f"round it to {digits} decimal places"
                    if digits
                    else f"{currency} amounts are whole numbers",
                )
                return None
        return number

    def date(self, path, mapping: LineDict, key: str, what: str, required: bool = True) -> dt.date | None:
        if key not in mapping:
            if required:
                self.add(path, mapping.line, f"{what}: missing '{key}'", f"add `{key}: YYYY-MM-DD`")
            return None
        value = mapping[key]
        try:
            if isinstance(value, str) and DATE.match(value.strip()):
                return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
        self.add(
            path,
            mapping.line_of(key),
            f"{what}: malformed date {value!r}",
            "write it as YYYY-MM-DD, e.g. 2024-07-31",
        )
        return None

    def currency(self, path, mapping: LineDict, key: str, what: str) -> str | None:
        value = mapping.get(key)
        if not isinstance(value, str) or not numbers.is_currency(value.strip()):
            self.add(
                path,
                mapping.line_of(key),
                f"{what}: {value!r} is not an ISO 4217 currency code",
                "write a three-letter code such as IQD, USD or EUR",
            )
            return None
        return value.strip()

    def text(self, path, mapping: LineDict, key: str, what: str, required: bool = True) -> Text | None:
        """A per-language text (``{ar: …, ckb: …, en: …}``), each through press_core.markup."""
        if key not in mapping or mapping[key] is None:
            if required:
                self.add(
                    path,
                    mapping.line,
                    f"{what}: missing '{key}'",
                    f"add `{key}:` with a line per language (ar: …, en: …)",
                )
            return None
        value = mapping[key]
        line = mapping.line_of(key)
        if not isinstance(value, LineDict) or not value:
            self.add(
                path,
                line,
                f"{what}: '{key}' is not a text per language",
                f"write `{key}: {{ar: …, ckb: …, en: …}}`",
            )
            return None
        unknown = [code for code in value if code not in self.languages]
        if unknown:
            self.add(
                path,
                value.line_of(unknown[0]),
                f"{what}: unknown language code '{unknown[0]}'",
                f"use one of {self.reader.known_codes()}",
            )
            return None
        written = {}
        for code, words in value.items():
            if not isinstance(words, str) or not words.strip():
                self.add(
                    path,
                    value.line_of(code),
                    f"{what}: empty {code} text",
                    "write the text or remove the line",
                )
                return None
            written[code] = render_inline(words.strip(), self.languages[code].is_rtl)
        return make_text(written, self.languages, self.default_lang)

    def key(self, path, line, value, what: str) -> bool:
        if isinstance(value, str) and KEY.match(value):
            return True
        self.add(
            path,
            line,
            f"{what}: {value!r} is not a valid key",
            "use lowercase a-z, 0-9 and -, e.g. rent-office",
        )
        return False

    def mapping(self, path, parent: LineDict, key: str, what: str, required: bool = True) -> LineDict | None:
        value = parent.get(key)
        if value is None:
            if required:
                self.add(path, parent.line, f"{what}: missing '{key}'", f"add `{key}:` (docs/FINANCE.md)")
            return None
        if not isinstance(value, LineDict):
            self.add(
                path,
                parent.line_of(key),
                f"{what}: '{key}' must be a mapping",
                "see the example in docs/FINANCE.md",
            )
            return None
        return value

    def entries(self, path, parent: LineDict, key: str, what: str) -> list[LineDict]:
        value = parent.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(
                path, parent.line_of(key), f"{what}: '{key}' must be a list", "write one `- …` entry per line"
            )
            return []
        found = []
        for entry in value:
            if isinstance(entry, LineDict):
                found.append(entry)
            else:
                self.add(
                    path,
                    parent.line_of(key),
                    f"{what}: entry {entry!r} is not a mapping",
                    "write `- field: value` entries",
                )
        return found

    def fields(self, path, mapping: LineDict, allowed: set[str], what: str) -> None:
        for name in mapping:
            if name not in allowed:
                self.add(
                    path,
                    mapping.line_of(name),
                    f"{what}: unknown field '{name}'",
                    f"use one of: {', '.join(sorted(allowed))}",
                )

    # -- the whole section ---------------------------------------------------------------
    def read(self) -> Finance | None:
        if not self.folder.is_dir():
            return None
        currency = self.setting("FINANCE_CURRENCY")
        threshold = self.setting("FINANCE_DONOR_THRESHOLD")
        self.tolerance = self.setting("FINANCE_TAX_TOLERANCE")
        wealth_change = self.setting("FINANCE_WEALTH_CHANGE")
        if None in (currency, threshold, self.tolerance, wealth_change):
            return None
        self.base_currency = currency
        sources = {}
        categories = self.read_categories()
        sources["categories"] = self.display(self.folder / "categories.yml")
        periods = self.read_periods(categories)
        before = len(self.problems.items)
        donors, donations = self.read_donations(periods, threshold)
        sources["donations"] = self.display(self.folder / "donations.yml")
        representatives = self.read_party_tax(periods)
        sources["party-tax"] = self.display(self.folder / "party-tax.yml")
        if len(self.problems.items) == before:  # else a ledger lacks entries its problems name
            self.check_ledgers(periods, donations, representatives)
        declarations = self.read_declarations(wealth_change)
        if self.problems:
            return None
        finance = Finance(
            currency,
            threshold,
            wealth_change,
            categories,
            periods,
            donors,
            donations,
            representatives,
            declarations,
            sources,
        )
        for period in periods:
            period.donations = donation_report(finance, period)
        return finance

    def display(self, path: Path) -> str:
        return self.problems.display_path(path)

    # -- categories.yml -------------------------------------------------------------------
    def read_categories(self) -> dict[str, dict[str, Text]]:
        path = self.folder / "categories.yml"
        result: dict[str, dict[str, Text]] = {kind: {} for kind in CATEGORY_KINDS}
        if not path.exists():
            self.add(
                path,
                1,
                "missing categories file",
                "create it with `income:` and `expenses:` keys → labels per language",
            )
            return result
        data = self.load(path)
        if data is None:
            return result
        self.fields(path, data, set(CATEGORY_KINDS), "categories")
        for kind in CATEGORY_KINDS:
            table = self.mapping(path, data, kind, "categories")
            for key in table or {}:
                if self.key(path, table.line_of(key), key, f"{kind} category"):
                    label = self.text(path, table, key, f"{kind} category '{key}'")
                    if label is not None:
                        result[kind][key] = label
        return result

    # -- accounts/<period>.yml ------------------------------------------------------------
    def read_periods(self, categories) -> list[Period]:
        folder = self.folder / "accounts"
        periods = []
        self.periods_complete = True  # False: a period file has problems; skip checks across periods
        for path in sorted(folder.glob("*.yml")):
            period = self.read_period(path, categories)
            if period is not None:
                periods.append(period)
            else:
                self.periods_complete = False
        periods.sort(key=lambda p: (p.start, p.end))
        if not self.periods_complete:
            return periods
        for before, after in pairwise(periods):
            path = self.folder / "accounts" / f"{after.id}.yml"
            if after.start <= before.end:
                self.add(
                    path,
                    1,
                    f"period {after.id} overlaps {before.id}",
                    "keep either the quarters or the whole year, not both",
                )
            elif after.start != before.end + dt.timedelta(days=1):
                self.add(
                    path,
                    1,
                    f"gap between {before.id} and {after.id}",
                    f"add the accounts for the period from {before.end + dt.timedelta(days=1)} to "
                    f"{after.start - dt.timedelta(days=1)}",
                )
            elif after.currency != before.currency:
                self.add(
                    path,
                    1,
                    f"currency changes from {before.currency} ({before.id}) to {after.currency}",
                    "keep one currency for the accounts; state other currencies on lines with `foreign:`",
                )
            elif after.opening != before.closing:
                data = load_data_file(path, self.problems, exact_numbers=True)
                line = data.line_of("opening") if data else 1
                self.add(
                    path,
                    line,
                    f"opening balance {money_text(after.opening, after.currency)} is not {before.id}'s "
                    "closing "
                    f"balance {money_text(before.closing, before.currency)}",
                    "the opening balance of a period is the closing balance of the one before "
                    f"({before.id}.yml)",
                )
        return periods

    def read_period(self, path: Path, categories) -> Period | None:
        match = PERIOD_ID.match(path.stem)
        if not match:
            self.add(
                path,
                1,
                f"file name '{path.name}' is not a period",
                "name it YYYY-qN.yml (a quarter) or YYYY.yml (a year)",
            )
            return None
        data = self.load(path)
        if data is None:
            return None
        count = len(self.problems.items)
        allowed = {
            "currency",
            "opening",
            "income",
            "income_total",
            "expenses",
            "expenses_total",
            "closing",
            "approved",
            "auditor_note",
        }
        self.fields(path, data, allowed, f"period {path.stem}")
        start, end = period_bounds(int(match["year"]), int(match["quarter"]) if match["quarter"] else None)
        what = f"period {path.stem}"
        currency = self.currency(path, data, "currency", what)
        opening = self.decimal(path, data, "opening", what, currency, negative=True)
        closing = self.decimal(path, data, "closing", what, currency, negative=True)
        sides = {}
        for kind in CATEGORY_KINDS:
            declared = self.decimal(path, data, f"{kind}_total", what, currency)
            found = self.read_categories_of(path, data, kind, categories[kind], currency, start, end)
            if declared is not None and found is not None:
                summed = sum((c.total for c in found), Decimal(0))
                if summed != declared:
                    self.add(
                        path,
                        data.line_of(f"{kind}_total"),
                        f"{kind}_total {money_text(declared, currency)} is not the sum of the {kind} "
                        "categories "
                        f"({money_text(summed, currency)})",
                        f"correct {kind}_total or the category totals",
                    )
            sides[kind] = (found or [], declared)
        approved = self.mapping(path, data, "approved", what)
        approved_by = approved_on = None
        if approved is not None:
            self.fields(path, approved, {"by", "date"}, f"{what} approval")
            approved_by = self.text(path, approved, "by", f"{what} approval")
            approved_on = self.date(path, approved, "date", f"{what} approval")
            if approved_on is not None and approved_on <= end:
                self.add(
                    path,
                    approved.line_of("date"),
                    f"{what} approved on {approved_on}, before the period ended ({end})",
                    "accounts are approved after the period closes: check the date",
                )
        auditor_note = self.text(path, data, "auditor_note", f"{what} auditor note", required=False)
        if None not in (opening, closing, sides["income"][1], sides["expenses"][1]):
            expected = opening + sides["income"][1] - sides["expenses"][1]
            if expected != closing:
                self.add(
                    path,
                    data.line_of("closing"),
                    f"closing balance {money_text(closing, currency)} is not opening + income − expenses "
                    f"({money_text(expected, currency)})",
                    "correct the closing balance or the figures it is made of",
                )
        if len(self.problems.items) != count:
            return None
        return Period(
            path.stem,
            start,
            end,
            currency,
            opening,
            sides["income"][0],
            sides["income"][1],
            sides["expenses"][0],
            sides["expenses"][1],
            closing,
            approved_by,
            approved_on,
            auditor_note,
            self.display(path),
        )

    def read_categories_of(
        self, path, data, kind, known: dict, currency, start, end
    ) -> list[CategoryTotal] | None:
        table = self.mapping(path, data, kind, f"period {path.stem}")
        if table is None:
            return None
        result = []
        for key, entry in table.items():
            line = table.line_of(key)
            if key not in known:
                self.add(
                    path,
                    line,
                    f"unknown {kind} category '{key}'",
                    f"use one of: {', '.join(known) or 'none defined'} (content/finance/categories.yml)",
                )
                continue
            if not isinstance(entry, LineDict):
                self.add(path, line, f"{kind} '{key}': expected `total:` and `lines:`", "see docs/FINANCE.md")
                continue
            self.fields(path, entry, {"total", "lines"}, f"{kind} '{key}'")
            total = self.decimal(path, entry, "total", f"{kind} '{key}'", currency)
            lines = [
                found
                for raw in self.entries(path, entry, "lines", f"{kind} '{key}'")
                if (found := self.read_line(path, raw, f"{kind} '{key}'", currency, start, end)) is not None
            ]
            if total is None:
                continue
            if lines:
                summed = sum((item.amount for item in lines), Decimal(0))
                if summed != total:
                    self.add(
                        path,
                        entry.line_of("total"),
                        f"{kind} '{key}': total {money_text(total, currency)} is not the sum of its lines "
                        f"({money_text(summed, currency)})",
                        "correct the total or the line amounts",
                    )
            result.append(CategoryTotal(key, total, lines))
        return result

    def read_line(self, path, raw: LineDict, what, currency, start, end) -> Line | None:
        self.fields(path, raw, {"date", "amount", "text", "foreign"}, f"{what} line")
        amount = self.decimal(path, raw, "amount", f"{what} line", currency)
        date = self.date(path, raw, "date", f"{what} line", required=False)
        if date is not None and not start <= date <= end:
            self.add(
                path,
                raw.line_of("date"),
                f"{what} line dated {date}, outside the period ({start} to {end})",
                "move the line to the accounts of its own period, or correct the date",
            )
        text = self.text(path, raw, "text", f"{what} line", required=False)
        foreign = None
        if "foreign" in raw:
            detail = self.mapping(path, raw, "foreign", f"{what} line")
            if detail is None:
                return None
            self.fields(path, detail, {"currency", "amount", "rate"}, f"{what} line foreign")
            code = self.currency(path, detail, "currency", f"{what} line foreign")
            other = self.decimal(path, detail, "amount", f"{what} line foreign", code)
            rate = self.decimal(path, detail, "rate", f"{what} line foreign exchange rate")
            if None in (code, other, rate, amount):
                return None
            if code == currency:
                self.add(
                    path,
                    detail.line_of("currency"),
                    f"{what} line: foreign currency is the period's own ({code})",
                    "remove `foreign:`",
                )
                return None
            exponent = Decimal(1).scaleb(-numbers.get_currency_precision(currency))
            converted = (other * rate).quantize(exponent, rounding=ROUND_HALF_UP)
            if converted != amount:
                self.add(
                    path,
                    raw.line_of("amount"),
                    f"{what} line: {money_text(other, code)} at {rate} is {money_text(converted, currency)}, "
                    f"not {money_text(amount, currency)}",
                    "state the amount in the period's currency as the foreign amount times the rate",
                )
                return None
            foreign = Foreign(code, other, rate)
        if amount is None:
            return None
        return Line(amount, date, text, foreign, raw.line)

    # -- donations.yml --------------------------------------------------------------------
    def read_donations(self, periods, threshold) -> tuple[dict[str, Donor], list[Donation]]:
        path = self.folder / "donations.yml"
        if not path.exists():
            return {}, []
        data = self.load(path)
        if data is None:
            return {}, []
        self.fields(path, data, {"donors", "donations"}, "donations")
        donors: dict[str, Donor] = {}
        table = self.mapping(path, data, "donors", "donations", required=False) or LineDict()
        for key, entry in table.items():
            line = table.line_of(key)
            if not self.key(path, line, key, "donor"):
                continue
            if not isinstance(entry, LineDict) or "name" not in entry:
                self.add(
                    path,
                    line,
                    f"donor '{key}' has no name",
                    "give `name: {ar: …, ckb: …, en: …}`; a donor without a name needs no entry here",
                )
                continue
            self.fields(path, entry, {"name"}, f"donor '{key}'")
            name = self.text(path, entry, "name", f"donor '{key}'")
            if name is not None:
                donors[key] = Donor(key, name, line)
        donations: list[Donation] = []
        seen: dict[str, int] = {}
        currency = self.base_currency
        for raw in self.entries(path, data, "donations", "donations"):
            self.fields(path, raw, {"id", "date", "donor", "amount", "withheld"}, "donation")
            ident = raw.get("id")
            if not self.key(path, raw.line_of("id"), ident, "donation id"):
                continue
            what = f"donation {ident}"
            if ident in seen:
                self.add(
                    path,
                    raw.line_of("id"),
                    f"duplicate donation id '{ident}' (first on line {seen[ident]})",
                    "give each donation its own id",
                )
                continue
            seen[ident] = raw.line_of("id")
            date = self.date(path, raw, "date", what)
            amount = self.decimal(path, raw, "amount", what, currency)
            donor = raw.get("donor")
            if not self.key(path, raw.line_of("donor"), donor, f"{what} donor"):
                continue
            withheld = None
            if "withheld" in raw and not raw["withheld"]:
                self.add(
                    path,
                    raw.line_of("withheld"),
                    f"{what} is withheld without a stated basis",
                    "write the basis per language: `withheld: {ar: …, ckb: …, en: …}` — it is published",
                )
                continue
            if "withheld" in raw:
                withheld = self.text(path, raw, "withheld", f"{what} withholding basis")
                if withheld is None:
                    continue
            if date is None or amount is None:
                continue
            if self.periods_complete and not any(p.start <= date <= p.end for p in periods):
                self.add(
                    path,
                    raw.line_of("date"),
                    f"{what} dated {date} falls in no accounts period",
                    "add the accounts for that period or correct the date",
                )
                continue
            donations.append(Donation(ident, date, donor, amount, withheld, raw.line))
        self.check_donors(path, donors, donations, threshold, table)
        return donors, donations

    def check_donors(self, path, donors, donations, threshold, table) -> None:
        """Donor totals per calendar year decide who is named (docs/FINANCE.md, "Donors")."""
        totals: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
        for donation in donations:
            totals[(donation.donor, donation.date.year)] += donation.amount
        limit = money_text(threshold, self.base_currency)
        for donation in donations:
            year = donation.date.year
            total = totals[(donation.donor, year)]
            given = f"donor '{donation.donor}' gives {money_text(total, self.base_currency)} in {year}"
            if total <= threshold:
                if donation.withheld is not None:
                    self.add(
                        path,
                        donation.source_line,
                        f"donation {donation.id} is withheld, but {given}, at or below the threshold {limit}",
                        "remove `withheld:`: donations at or below the threshold are only published as a "
                        "total",
                    )
            elif donation.donor in donors:
                if donation.withheld is not None:
                    self.add(
                        path,
                        donation.source_line,
                        f"donation {donation.id} is withheld, but its donor '{donation.donor}' is named in "
                        "this file",
                        "record a withheld donor under an internal reference (a key with no entry under "
                        "donors:)",
                    )
            elif donation.withheld is None:
                self.add(
                    path,
                    donation.source_line,
                    f"{given} (above the threshold {limit}) without a name",
                    f"name the donor under `donors: {donation.donor}: name:`, or withhold the donation with "
                    "`withheld: {ar: …, en: …}` stating the basis",
                )
        for key, donor in donors.items():
            years = [year for (who, year) in totals if who == key]
            if not any(totals[(key, year)] > threshold for year in years):
                self.add(
                    path,
                    donor.source_line,
                    f"donor '{key}' is named but gives at most the threshold {limit} in every year",
                    "remove the entry and keep the key as an internal reference: small donors are never "
                    "named, "
                    "and this file is public (docs/FINANCE.md)",
                )

    # -- party-tax.yml --------------------------------------------------------------------
    def read_party_tax(self, periods) -> list[Representative]:
        path = self.folder / "party-tax.yml"
        if not path.exists():
            return []
        data = self.load(path)
        if data is None:
            return []
        self.fields(path, data, {"representatives"}, "party tax")
        known_periods = {p.id: p for p in periods}
        order = {p.id: index for index, p in enumerate(periods)}
        blocs = blocs_of(self.graph)
        currency = self.base_currency
        result = []
        seen_people: dict[str, int] = {}
        for raw in self.entries(path, data, "representatives", "party tax"):
            self.fields(path, raw, {"person", "post", "bloc", "payments"}, "representative")
            person = raw.get("person")
            if person not in self.graph.people:
                self.add(
                    path,
                    raw.line_of("person"),
                    f"unknown person '{person}'",
                    "use a key from content/people.yml or add the person there",
                )
                continue
            if person in seen_people:
                self.add(
                    path,
                    raw.line_of("person"),
                    f"'{person}' is listed twice (first on line {seen_people[person]})",
                    "keep one entry per representative",
                )
                continue
            seen_people[person] = raw.line_of("person")
            post = self.text(path, raw, "post", f"representative '{person}'")
            bloc = raw.get("bloc")
            if bloc is not None and (not blocs or bloc not in blocs):
                known = ", ".join(sorted(blocs)) if blocs else "none defined (content/blocs/)"
                self.add(path, raw.line_of("bloc"), f"unknown bloc '{bloc}'", f"use one of: {known}")
                continue
            payments = []
            periods_seen: dict[str, int] = {}
            for entry in self.entries(path, raw, "payments", f"representative '{person}'"):
                payment = self.read_payment(path, entry, person, known_periods, periods_seen, currency)
                if payment is not None:
                    payments.append(payment)
            if post is None:
                continue
            payments.sort(key=lambda p: order[p.period])
            owed = Decimal(0)
            for payment in payments:
                owed += payment.due - payment.paid
                payment.arrears = owed
            result.append(Representative(person, post, bloc, payments))
        return result

    def read_payment(self, path, entry, person, known_periods, periods_seen, currency) -> TaxPayment | None:
        self.fields(path, entry, {"period", "salary", "rate", "due", "paid"}, "party tax payment")
        period = entry.get("period")
        what = f"party tax of '{person}' for {period}"
        if period not in known_periods:
            if not self.periods_complete:
                return None  # its accounts file has problems of its own
            self.add(
                path,
                entry.line_of("period"),
                f"{what}: unknown period '{period}'",
                "use the id of an accounts file, e.g. 2024-q3",
            )
            return None
        if period in periods_seen:
            self.add(
                path,
                entry.line_of("period"),
                f"{what}: listed twice (first on line {periods_seen[period]})",
                "keep one payment line per period",
            )
            return None
        periods_seen[period] = entry.line_of("period")
        salary = self.decimal(path, entry, "salary", what, currency)
        rate = self.decimal(path, entry, "rate", what)
        due = self.decimal(path, entry, "due", what, currency)
        paid = self.decimal(path, entry, "paid", what, currency)
        if None in (salary, rate, due, paid):
            return None
        if rate > 1:
            self.add(
                path,
                entry.line_of("rate"),
                f"{what}: rate {rate} is more than 1",
                "write the rate as a share, e.g. 0.10 for 10%",
            )
            return None
        expected = rate * salary
        if abs(due - expected) > self.tolerance:
            self.add(
                path,
                entry.line_of("due"),
                f"{what}: due {money_text(due, currency)} is not rate × salary "
                f"({money_text(expected, currency)}), "
                f"beyond the tolerance {money_text(self.tolerance, currency)}",
                "correct the due amount, the salary or the rate",
            )
            return None
        return TaxPayment(period, salary, rate, due, paid, source_line=entry.line)

    # -- cross-checks between the ledgers and the accounts --------------------------------
    def check_ledgers(self, periods, donations, representatives) -> None:
        if not self.periods_complete:
            return
        for period in periods:
            path = self.folder / "accounts" / f"{period.id}.yml"
            ledgers = {
                DONATIONS: (
                    sum((d.amount for d in donations if period.start <= d.date <= period.end), Decimal(0)),
                    "donations.yml",
                ),
                PARTY_TAX: (
                    sum(
                        (p.paid for r in representatives for p in r.payments if p.period == period.id),
                        Decimal(0),
                    ),
                    "party-tax.yml (paid)",
                ),
            }
            declared = {c.key: c.total for c in period.income}
            for key, (expected, source) in ledgers.items():
                total = declared.get(key, Decimal(0))
                if total != expected:
                    data = load_data_file(path, self.problems, exact_numbers=True)
                    income = data.get("income") if data else None
                    line = income.line_of(key) if isinstance(income, LineDict) else 1
                    self.add(
                        path,
                        line,
                        f"income '{key}' of {period.id} is {money_text(total, period.currency)}, but "
                        f"{source} "
                        f"gives {money_text(expected, period.currency)} for the period",
                        f"the '{key}' total must equal its ledger: correct one of them",
                    )

    # -- declarations/<person>.yml --------------------------------------------------------
    def read_declarations(self, wealth_change) -> list[PersonDeclarations]:
        result = []
        for path in sorted((self.folder / "declarations").glob("*.yml")):
            found = self.read_declaration_file(path, wealth_change)
            if found is not None:
                result.append(found)
        return result

    def read_declaration_file(self, path: Path, wealth_change) -> PersonDeclarations | None:
        person = path.stem
        if person not in self.graph.people:
            self.add(
                path,
                1,
                f"unknown person '{person}' (the file name)",
                "name the file after a key in content/people.yml",
            )
            return None
        data = self.load(path)
        if data is None:
            return None
        self.fields(path, data, {"role", "currency", "years"}, f"declarations of '{person}'")
        role = self.text(path, data, "role", f"declarations of '{person}'")
        currency = self.currency(path, data, "currency", f"declarations of '{person}'")
        years_table = self.mapping(path, data, "years", f"declarations of '{person}'")
        if None in (role, currency, years_table):
            return None
        years = []
        for year_text, entry in years_table.items():
            line = years_table.line_of(year_text)
            if not (isinstance(year_text, str) and re.fullmatch(r"\d{4}", year_text)):
                self.add(
                    path,
                    line,
                    f"{year_text!r} is not a year",
                    "write the year the declaration covers, e.g. 2024:",
                )
                continue
            if not isinstance(entry, LineDict):
                self.add(
                    path,
                    line,
                    f"declaration {year_text}: expected `filed:` and the lists",
                    "see docs/FINANCE.md",
                )
                continue
            declaration = self.read_declaration(path, int(year_text), entry, currency)
            if declaration is not None:
                years.append(declaration)
        years.sort(key=lambda d: d.year)
        for previous, current in zip([None, *years], years, strict=False):
            compare(previous, current, wealth_change)
        return PersonDeclarations(person, role, currency, years, self.display(path))

    def read_declaration(self, path, year: int, entry: LineDict, currency) -> Declaration | None:
        what = f"declaration {year}"
        self.fields(path, entry, {"filed", *DECLARATION_KINDS}, what)
        filed = self.date(path, entry, "filed", what)
        if filed is not None and not dt.date(year, 1, 1) <= filed <= dt.date(year + 1, 12, 31):
            self.add(
                path,
                entry.line_of("filed"),
                f"{what} filed on {filed}, outside {year} and {year + 1}",
                "a declaration is filed during its year or the year after: check the date",
            )
            filed = None
        holdings = []
        for kind in DECLARATION_KINDS:
            seen: dict[str, int] = {}
            for raw in self.entries(path, entry, kind, what):
                self.fields(path, raw, {"key", "label", "amount"}, f"{what} {kind}")
                key = raw.get("key")
                if not self.key(path, raw.line_of("key"), key, f"{what} {kind}"):
                    continue
                if key in seen:
                    self.add(
                        path,
                        raw.line_of("key"),
                        f"{what}: duplicate {kind} key '{key}' (first on line {seen[key]})",
                        "give each entry its own key",
                    )
                    continue
                seen[key] = raw.line_of("key")
                label = self.text(path, raw, "label", f"{what} {kind} '{key}'")
                amount = self.decimal(
                    path, raw, "amount", f"{what} {kind} '{key}'", currency, required=kind != "interests"
                )
                if label is None or (amount is None and kind != "interests"):
                    continue
                holdings.append(Holding(kind, key, label, amount))
        if filed is None:
            return None
        return Declaration(year, filed, holdings)


def compare(previous: Declaration | None, current: Declaration, wealth_change: Decimal) -> None:
    """Mark ``current``'s holdings new/changed against ``previous``; net worth and its change."""
    current.net_worth = sum((h.amount for h in current.holdings if h.kind == "assets"), Decimal(0)) - sum(
        (h.amount for h in current.holdings if h.kind == "liabilities"), Decimal(0)
    )
    if previous is None:
        return
    current.previous_year = previous.year
    before = {(h.kind, h.key): h for h in previous.holdings}
    for holding in current.holdings:
        old = before.pop((holding.kind, holding.key), None)
        if old is None:
            holding.status = "new"
        else:
            holding.previous = old.amount
            holding.status = "changed" if old.amount != holding.amount else "unchanged"
    current.removed = [
        Holding(h.kind, h.key, h.label, None, previous=h.amount, status="removed") for h in before.values()
    ]
    current.change = current.net_worth - previous.net_worth
    if previous.net_worth == 0:
        current.large_change = current.change != 0
    else:
        current.large_change = abs(current.change) >= wealth_change * abs(previous.net_worth)


def donation_report(finance: Finance, period: Period) -> DonationReport:
    """The donations of ``period`` as published: named above the threshold, else only counted."""
    yearly: dict[str, Decimal] = defaultdict(Decimal)
    for donation in finance.donations:
        if donation.date.year == period.year:
            yearly[donation.donor] += donation.amount
    named, small, withheld = [], [], []
    for donation in sorted(finance.donations, key=lambda d: (d.date, d.id)):
        if not period.start <= donation.date <= period.end:
            continue
        if yearly[donation.donor] <= finance.threshold:
            small.append(donation)
        elif donation.withheld is not None:
            withheld.append(donation)
        else:
            named.append((donation, finance.donors[donation.donor]))
    bases = []
    for donation in withheld:
        if donation.withheld not in bases:
            bases.append(donation.withheld)
    return DonationReport(
        named=named,
        small_count=len(small),
        small_donors=len({d.donor for d in small}),
        small_total=sum((d.amount for d in small), Decimal(0)),
        withheld_donors=len({d.donor for d in withheld}),
        withheld_total=sum((d.amount for d in withheld), Decimal(0)),
        withheld_bases=bases,
    )


def make_text(written: dict[str, str], languages: dict, default_lang: str) -> Text:
    """Every configured language: its own text, else the default (or first) one marked with lang/dir."""
    fallback = default_lang if default_lang in written else next(iter(written))
    source = languages[fallback]
    html_by_lang, plain = {}, {}
    for code in languages:
        if code in written:
            html_by_lang[code] = written[code]
            plain[code] = plain_text(written[code])
        else:
            html_by_lang[code] = (
                f'<span lang="{fallback}" dir="{source.direction}">{written[fallback]}</span>'
            )
            plain[code] = plain_text(written[fallback])
    return Text(html_by_lang, plain, frozenset(written))


def plain_text(markup: str) -> str:
    return " ".join(html.unescape(_TAG.sub("", markup)).split())


def read_finance(reader, graph) -> Finance | None:
    """The ``register_section`` reader: None when there is no ``content/finance/``."""
    return FinanceReader(reader, graph).read()
