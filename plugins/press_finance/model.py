"""The finance model: what ``content/finance/`` says once validated, and the tables pages show.

Every figure is a :class:`~decimal.Decimal` read from the text written in the file.  The
pages and the downloads (CSV, JSON, ``datapackage.json``) are both made from the
:class:`Table` objects built here, so the HTML cannot show a figure the files lack, or
the reverse.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Text:
    """A text written per language: ``html``/``plain`` for every configured language.

    A language the file lacks gets the default language's text wrapped in
    ``<span lang dir>`` (``own`` lists the languages the file gives).
    """

    html: dict[str, str]
    plain: dict[str, str]
    own: frozenset[str]


@dataclass(frozen=True)
class Foreign:
    """A line paid or received in another currency: ``amount`` × ``rate`` = the line's amount."""

    currency: str
    amount: Decimal
    rate: Decimal  # units of the period's currency per unit of ``currency``


@dataclass
class Line:
    amount: Decimal  # in the period's currency
    date: dt.date | None
    text: Text | None
    foreign: Foreign | None
    source_line: int


@dataclass
class CategoryTotal:
    key: str
    total: Decimal
    lines: list[Line]


@dataclass
class Period:
    id: str  # "2024-q3" or "2024"
    start: dt.date
    end: dt.date
    currency: str
    opening: Decimal
    income: list[CategoryTotal]
    income_total: Decimal
    expenses: list[CategoryTotal]
    expenses_total: Decimal
    closing: Decimal
    approved_by: Text
    approved_on: dt.date
    auditor_note: Text | None
    source: str  # repository-relative path
    donations: DonationReport | None = None

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def quarter(self) -> int | None:
        return int(self.id[-1]) if "-q" in self.id else None


@dataclass
class Donor:
    key: str
    name: Text | None  # None: an internal reference, never published
    source_line: int


@dataclass
class Donation:
    id: str
    date: dt.date
    donor: str
    amount: Decimal
    withheld: Text | None  # the stated basis for withholding the donor's identity
    source_line: int


@dataclass
class DonationReport:
    """What a period's report publishes of its donations (donor totals per calendar year)."""

    named: list[tuple[Donation, Donor]]  # donors above the threshold that year
    small_count: int  # donations by donors at or below the threshold that year
    small_donors: int
    small_total: Decimal
    withheld_donors: int
    withheld_total: Decimal
    withheld_bases: list[Text]


@dataclass
class TaxPayment:
    period: str
    salary: Decimal
    rate: Decimal
    due: Decimal
    paid: Decimal
    arrears: Decimal = Decimal(0)  # owed after this payment, all periods so far
    source_line: int = 0


@dataclass
class Representative:
    person: str
    post: Text
    bloc: str | None
    payments: list[TaxPayment]

    @property
    def due(self) -> Decimal:
        return sum((p.due for p in self.payments), Decimal(0))

    @property
    def paid(self) -> Decimal:
        return sum((p.paid for p in self.payments), Decimal(0))

    @property
    def arrears(self) -> Decimal:
        return self.due - self.paid


@dataclass
class Holding:
    """One declared entry: an income source, asset, liability, gift or other interest."""

    kind: str  # one of DECLARATION_KINDS
    key: str
    label: Text
    amount: Decimal | None  # None for interests without a value
    previous: Decimal | None = None  # the amount the previous declaration gave
    status: str = "unchanged"  # new | changed | unchanged | removed (compared with the previous year)


@dataclass
class Declaration:
    year: int
    filed: dt.date
    holdings: list[Holding]
    removed: list[Holding] = field(default_factory=list)  # in the previous year, gone now
    previous_year: int | None = None
    net_worth: Decimal = Decimal(0)
    change: Decimal | None = None  # net worth against the previous declaration
    large_change: bool = False


@dataclass
class PersonDeclarations:
    person: str
    role: Text
    currency: str
    years: list[Declaration]  # oldest first
    source: str


DECLARATION_KINDS = ("income", "assets", "liabilities", "gifts", "interests")


@dataclass
class Finance:
    currency: str  # FINANCE_CURRENCY: donations, threshold, party tax
    threshold: Decimal
    wealth_change: Decimal
    categories: dict[str, dict[str, Text]]  # "income"/"expenses" -> key -> label
    periods: list[Period]  # in time order
    donors: dict[str, Donor]
    donations: list[Donation]
    representatives: list[Representative]
    declarations: list[PersonDeclarations]
    sources: dict[str, str]  # "categories", "donations", "party-tax" -> repository-relative path

    def category_label(self, kind: str, key: str) -> Text:
        return self.categories[kind][key]

    def period(self, period_id: str) -> Period | None:
        return next((p for p in self.periods if p.id == period_id), None)


# -- tables: the figures a page shows, and its downloads -------------------------------------
@dataclass(frozen=True)
class Column:
    """One column: ``name`` is the CSV header and JSON key; ``kind`` says how it is shown.

    kinds: ``money`` (Decimal in the table's currency), ``rate`` (a Decimal such as an
    exchange rate or a share), ``count`` (int), ``date``, ``year``, ``period`` (a period
    id), ``category`` (a category key), ``person``, ``bloc``, ``donor`` (keys shown as
    names), ``code`` (shown as written, e.g. a currency code), ``status``, ``text``
    (a :class:`Text`: one CSV column per language, ``<name>_<lang>``).
    """

    name: str
    kind: str
    title: str  # a msgid (listed in finance_macros.html)
    foreign: bool = False  # a money column in another currency (the row's foreign_currency)


NUMERIC = {"money": "number", "rate": "number", "count": "integer", "year": "integer", "date": "date"}


@dataclass
class Row:
    key: str  # unique in its table: the CSV's "row" column and the HTML row's data-row
    values: dict[str, object]
    level: str = ""  # "total", "category", "line": how the row is set
    mark: str = ""  # highlighted: "new", "changed", "removed", "large", "arrears"


@dataclass
class Table:
    name: str  # resource name and file name: finance/data/<name>.csv
    title: str  # a msgid: the caption
    columns: list[Column]
    rows: list[Row]
    currency: str
    category_kind: str = ""  # "income"/"expenses" for category columns

    @property
    def path(self) -> str:
        return f"finance/data/{self.name}.csv"
