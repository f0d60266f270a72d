"""The tables of every finance page, built once from the model (language-neutral).

The templates render these :class:`~press_finance.model.Table` objects and
:mod:`press_finance.downloads` writes the very same ones as CSV and JSON, so a page and
its downloads always hold the same figures.  Nothing here reads a donor's key or name
unless that donor is named for the year (:func:`~press_finance.reading.donation_report`).
"""

from __future__ import annotations

from decimal import Decimal

from .model import (
    DECLARATION_KINDS,
    Column,
    Finance,
    Period,
    PersonDeclarations,
    Row,
    Table,
    Text,
)

# Column titles are msgids; finance_macros.html lists them for extraction.
PERIOD = Column("period", "period", "Period")
START = Column("start", "date", "From")
END = Column("end", "date", "To")
DATE = Column("date", "date", "Date")
YEAR = Column("year", "year", "Year")
ITEM = Column("item", "item", "Item")
AMOUNT = Column("amount", "money", "Amount")
PERSON = Column("person", "person", "Representative")
BLOC = Column("bloc", "bloc", "Bloc")


def overview_tables(finance: Finance) -> list[Table]:
    currency = finance.currency
    periods = Table(
        "overview-periods",
        "Accounts by period",
        [
            PERIOD,
            START,
            END,
            Column("opening", "money", "Opening balance"),
            Column("income", "money", "Income"),
            Column("expenses", "money", "Expenses"),
            Column("closing", "money", "Closing balance"),
            Column("approved_on", "date", "Approved on"),
        ],
        [
            Row(
                p.id,
                {
                    "period": p.id,
                    "start": p.start,
                    "end": p.end,
                    "opening": p.opening,
                    "income": p.income_total,
                    "expenses": p.expenses_total,
                    "closing": p.closing,
                    "approved_on": p.approved_on,
                },
            )
            for p in finance.periods
        ],
        currency,
    )
    years = []
    for year in sorted({p.year for p in finance.periods}):
        chosen = [p for p in finance.periods if p.year == year]
        income = sum((p.income_total for p in chosen), Decimal(0))
        expenses = sum((p.expenses_total for p in chosen), Decimal(0))
        values = {
            "year": year,
            "income": income,
            "expenses": expenses,
            "result": income - expenses,
            "closing": chosen[-1].closing,
        }
        years.append(Row(str(year), values))
    year_table = Table(
        "overview-years",
        "Accounts by year",
        [
            YEAR,
            Column("income", "money", "Income"),
            Column("expenses", "money", "Expenses"),
            Column("result", "money", "Income minus expenses"),
            Column("closing", "money", "Closing balance"),
        ],
        years,
        currency,
    )
    arrears = Table(
        "overview-arrears",
        "Party tax in arrears",
        [PERSON, Column("arrears", "money", "Arrears")],
        [
            Row(r.person, {"person": r.person, "arrears": r.arrears}, mark="arrears")
            for r in finance.representatives
            if r.arrears > 0
        ],
        currency,
    )
    return [periods, year_table, arrears]


def period_tables(finance: Finance, period: Period) -> list[Table]:
    name, currency = period.id, period.currency
    summary = Table(
        f"{name}-summary",
        "Summary",
        [ITEM, AMOUNT],
        [
            Row("opening", {"item": "opening", "amount": period.opening}),
            Row("income", {"item": "income", "amount": period.income_total}),
            Row("expenses", {"item": "expenses", "amount": period.expenses_total}),
            Row("closing", {"item": "closing", "amount": period.closing}, level="total"),
        ],
        currency,
    )
    tables = [summary]
    for kind, categories in (("income", period.income), ("expenses", period.expenses)):
        has_foreign = any(line.foreign for c in categories for line in c.lines)
        columns = [
            Column("category", "category", "Category"),
            DATE,
            Column("text", "text", "Description"),
            AMOUNT,
        ]
        if has_foreign:
            columns += [
                Column("foreign_amount", "money", "Paid in another currency", foreign=True),
                Column("foreign_currency", "code", "Currency"),
                Column("exchange_rate", "rate", "Exchange rate"),
            ]
        rows = []
        for category in categories:
            rows.append(
                Row(category.key, {"category": category.key, "amount": category.total}, level="category")
            )
            for number, line in enumerate(category.lines, start=1):
                values = {
                    "category": category.key,
                    "date": line.date,
                    "text": line.text,
                    "amount": line.amount,
                }
                if line.foreign:
                    values.update(
                        foreign_amount=line.foreign.amount,
                        foreign_currency=line.foreign.currency,
                        exchange_rate=line.foreign.rate,
                    )
                rows.append(Row(f"{category.key}-{number}", values, level="line"))
        title = "Income" if kind == "income" else "Expenses"
        tables.append(Table(f"{name}-{kind}", title, columns, rows, currency, category_kind=kind))
    report = period.donations
    rows = [
        Row(
            donation.id,
            {
                "item": "named",
                "date": donation.date,
                "donor": donor.key,
                "donors": 1,
                "donations": 1,
                "amount": donation.amount,
            },
        )
        for donation, donor in report.named
    ]
    if report.small_count:
        rows.append(
            Row(
                "small",
                {
                    "item": "small",
                    "donors": report.small_donors,
                    "donations": report.small_count,
                    "amount": report.small_total,
                },
            )
        )
    if report.withheld_donors:
        rows.append(
            Row(
                "withheld",
                {
                    "item": "withheld",
                    "donors": report.withheld_donors,
                    "amount": report.withheld_total,
                    "basis": join_texts(report.withheld_bases),
                },
                mark="withheld",
            )
        )
    tables.append(
        Table(
            f"{name}-donations",
            "Donations",
            [
                ITEM,
                DATE,
                Column("donor", "donor", "Donor"),
                Column("donors", "count", "Donors"),
                Column("donations", "count", "Donations"),
                AMOUNT,
                Column("basis", "text", "Basis for withholding"),
            ],
            rows,
            currency,
        )
    )
    return tables


def party_tax_tables(finance: Finance) -> list[Table]:
    currency = finance.currency
    order = {p.id: index for index, p in enumerate(finance.periods)}
    ledger = []
    for rep in finance.representatives:
        for payment in sorted(rep.payments, key=lambda p: order[p.period]):
            ledger.append(
                Row(
                    f"{rep.person}-{payment.period}",
                    {
                        "person": rep.person,
                        "period": payment.period,
                        "salary": payment.salary,
                        "rate": payment.rate,
                        "due": payment.due,
                        "paid": payment.paid,
                        "arrears": payment.arrears,
                    },
                    mark="arrears" if payment.arrears > 0 else "",
                )
            )
    totals = Table(
        "party-tax-totals",
        "Party tax by representative",
        [
            PERSON,
            Column("post", "text", "Post"),
            BLOC,
            Column("due", "money", "Due"),
            Column("paid", "money", "Paid"),
            Column("arrears", "money", "Arrears"),
        ],
        [
            Row(
                r.person,
                {
                    "person": r.person,
                    "post": r.post,
                    "bloc": r.bloc,
                    "due": r.due,
                    "paid": r.paid,
                    "arrears": r.arrears,
                },
                mark="arrears" if r.arrears > 0 else "",
            )
            for r in finance.representatives
        ],
        currency,
    )
    payments = Table(
        "party-tax-payments",
        "Party tax by period",
        [
            PERSON,
            PERIOD,
            Column("salary", "money", "Declared salary"),
            Column("rate", "share", "Rate"),
            Column("due", "money", "Due"),
            Column("paid", "money", "Paid"),
            Column("arrears", "money", "Arrears after this period"),
        ],
        ledger,
        currency,
    )
    return [totals, payments]


def declarations_overview(finance: Finance) -> Table:
    rows = []
    for person in finance.declarations:
        for declaration in person.years:
            rows.append(
                Row(
                    f"{person.person}-{declaration.year}",
                    summary_values(person, declaration),
                    mark="large" if declaration.large_change else "",
                )
            )
    return Table(
        "declarations",
        "Declared wealth",
        [
            Column("person", "person", "Name"),
            YEAR,
            Column("filed", "date", "Filed"),
            Column("assets", "money", "Assets"),
            Column("liabilities", "money", "Liabilities"),
            Column("net_worth", "money", "Net worth"),
            Column("change", "money", "Change from the previous declaration"),
        ],
        rows,
        finance.currency,
    )


def summary_values(person: PersonDeclarations, declaration) -> dict:
    def total(kind: str) -> Decimal:
        return sum((h.amount for h in declaration.holdings if h.kind == kind), Decimal(0))

    return {
        "person": person.person,
        "year": declaration.year,
        "filed": declaration.filed,
        "assets": total("assets"),
        "liabilities": total("liabilities"),
        "net_worth": declaration.net_worth,
        "change": declaration.change,
    }


def person_tables(finance: Finance, person: PersonDeclarations) -> list[Table]:
    summary = Table(
        f"declarations-{person.person}-summary",
        "Declared wealth by year",
        [
            YEAR,
            Column("filed", "date", "Filed"),
            Column("assets", "money", "Assets"),
            Column("liabilities", "money", "Liabilities"),
            Column("net_worth", "money", "Net worth"),
            Column("change", "money", "Change from the previous declaration"),
        ],
        [
            Row(str(d.year), summary_values(person, d), mark="large" if d.large_change else "")
            for d in person.years
        ],
        person.currency,
    )
    rows = []
    order = {kind: index for index, kind in enumerate(DECLARATION_KINDS)}
    for declaration in person.years:
        entries = sorted(declaration.holdings + declaration.removed, key=lambda h: order[h.kind])
        for holding in entries:
            rows.append(
                Row(
                    f"{declaration.year}-{holding.kind}-{holding.key}",
                    {
                        "year": declaration.year,
                        "item": holding.kind,
                        "text": holding.label,
                        "amount": holding.amount,
                        "previous": holding.previous,
                        "status": holding.status if declaration.previous_year else "",
                    },
                    mark=holding.status
                    if declaration.previous_year and holding.status != "unchanged"
                    else "",
                )
            )
    entries = Table(
        f"declarations-{person.person}",
        "Declared entries",
        [
            YEAR,
            Column("item", "item", "Kind"),
            Column("text", "text", "Entry"),
            Column("amount", "money", "Amount"),
            Column("previous", "money", "Previous year"),
            Column("status", "status", "Compared with the previous year"),
        ],
        rows,
        person.currency,
    )
    return [summary, entries]


def join_texts(texts: list[Text]) -> Text | None:
    if not texts:
        return None
    first = texts[0]
    return Text(
        {code: "; ".join(t.html[code] for t in texts) for code in first.html},
        {code: "; ".join(t.plain[code] for t in texts) for code in first.plain},
        frozenset.intersection(*(t.own for t in texts)),
    )


def rows_of(table: Table, year: int) -> list[Row]:
    """The rows of a declarations table for one year (the person page shows a table per year)."""
    return [row for row in table.rows if row.values.get("year") == year]
