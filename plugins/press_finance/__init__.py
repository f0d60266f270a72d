"""Financial transparency: party accounts, donations, party tax and personal declarations.

Adds to the build, when ``content/finance/`` exists (format and rules: docs/FINANCE.md):

* the section reader ``finance`` (``register_section``): validates the files into
  :class:`press_finance.model.Finance` — sums, balances, continuity, currencies,
  dates, ids, people and blocs, donor protection, party tax — with ``path:line``
  problems that stop the build and ``invoke check``;
* per language: ``<lang>/finance/`` (page id ``finance``: the multi-year overview and
  its chart), ``<lang>/finance/<period>/`` (``finance:<period>``: a period report with
  its breakdown charts and donations), ``<lang>/finance/party-tax/``
  (``finance-party-tax``: the ledger with arrears), ``<lang>/finance/declarations/``
  (``finance-declarations``) and ``<lang>/finance/declarations/<person>/``
  (``finance-declaration:<person>``: declarations over the years, changes marked);
  period reports are indexed for search (section ``finance``, facet ``year``);
* the ``finance`` section feeds (``press_feeds.add_section_feed``): one entry per
  period report, dated by its approval;
* language-neutral downloads: ``finance/data/<table>.csv`` for every table shown,
  ``finance/data/<page>.json`` per page, and ``finance/datapackage.json``
  (Frictionless Data Package) describing every CSV.

Pages and downloads render the same :class:`~press_finance.model.Table` objects.
A donor at or below ``FINANCE_DONOR_THRESHOLD`` in a calendar year is never named: the
tables only carry the key of a donor named for that year.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import numbers
from markupsafe import Markup, escape
from pelican import signals

from press_content import CONTEXT_KEY
from press_core.i18n import catalogs_of
from press_core.languages import Language
from press_core.reading import register_section
from press_core.site import Page, SearchEntry, site_of, write_file
from press_core.templating import add_language_filters, environment, template_dirs
from press_feeds import add_section_feed

from . import charts, downloads, tables
from .model import Finance, Period, Table, Text
from .reading import blocs_of, read_finance

SECTION = "finance"
CHROME_ONLY = ("versions", "total", "pagination")  # the home page's own context, not its chrome


class Formatter:
    """What templates use to show finance values in one language (Babel, locale digits)."""

    def __init__(self, language: Language, finance: Finance, graph, gettext):
        self.language, self.finance, self.graph, self.gettext = language, finance, graph, gettext
        self.code = language.code
        system = language.numbering_system
        self.system = system if system in language.locale.number_symbols else "latn"

    def money(self, value: Decimal | None, currency: str) -> str:
        """An amount with the currency's minor digits, no symbol (the table says the currency)."""
        if value is None:
            return ""
        text = numbers.format_currency(
            value,
            currency,
            format="#,##0",
            currency_digits=True,
            locale=self.language.locale,
            numbering_system=self.system,
        )
        return self.language.digits(text)

    def currency(self, value: Decimal, currency: str) -> str:
        """An amount with its currency, as the language writes it (``1٬250٬000 د.ع.``)."""
        text = numbers.format_currency(
            value, currency, locale=self.language.locale, numbering_system=self.system
        )
        return self.language.digits(text)

    def currency_name(self, currency: str) -> str:
        return numbers.get_currency_name(currency, locale=self.language.locale)

    def rate(self, value: Decimal) -> str:
        text = numbers.format_decimal(
            value, locale=self.language.locale, numbering_system=self.system, decimal_quantization=False
        )
        return self.language.digits(text)

    def share(self, value: Decimal) -> str:
        text = numbers.format_percent(
            value, locale=self.language.locale, numbering_system=self.system, decimal_quantization=False
        )
        return self.language.digits(text)

    def text(self, value: Text | None) -> Markup:
        return Markup(value.html[self.code]) if value is not None else Markup("")

    def category(self, kind: str, key: str) -> Markup:
        return self.text(self.finance.categories[kind][key])

    def person(self, key: str) -> str:
        return self.graph.person_name(key, self.code)

    def donor(self, key: str) -> Markup:
        return self.text(self.finance.donors[key].name)

    def bloc(self, key: str | None) -> Markup:
        bloc = blocs_of(self.graph).get(key) if key else None
        if bloc is None:
            return Markup(escape(key or ""))
        names = getattr(bloc, "names_html", None) or {}
        name = names.get(self.code) or next(iter(names.values()), key)
        return Markup(name)

    def period(self, period_id: str) -> str:
        period = self.finance.period(period_id)
        year = self.language.digits(period.year)
        if period.quarter is None:
            return self.gettext("Year %(year)s") % {"year": year}
        return self.gettext("Quarter %(quarter)s, %(year)s") % {
            "quarter": self.language.number(period.quarter),
            "year": year,
        }


# -- feed entries: the period reports as Version-like objects --------------------------------
@dataclass
class ReportItem:
    key: str  # the period id
    kind: str = SECTION
    date: dt.datetime | None = None
    category: str | None = None
    authors: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"{SECTION}:{self.key}"


@dataclass
class ReportVersion:
    """What press_feeds (and anything else that lists texts) needs of a period report."""

    item: ReportItem
    lang: str
    title: str
    title_html: str
    summary: str  # sanitised HTML made from escaped parts
    body: str
    path: str
    modified: dt.datetime | None = None
    corrections: list = field(default_factory=list)
    tags: list = field(default_factory=list)

    @property
    def date(self) -> dt.datetime | None:
        return self.item.date


@dataclass
class SourceFile:
    """A data file with its git history, for the ``provenance`` macro (press_provenance)."""

    source: str
    history: object | None


class FinanceGenerator:
    def __init__(self, context, settings, path, theme, output_path, **kwargs):
        self.context, self.settings, self.output_path = context, settings, output_path
        self.templates = template_dirs(settings, theme)
        self.downloads: list[tuple[str, list[Table], list[str]]] = []  # (page name, tables, sources)

    def generate_context(self):
        graph = self.context[CONTEXT_KEY]
        finance: Finance | None = graph.sections.get(SECTION)
        if finance is None:
            return
        self.finance = finance
        site = site_of(self.context)
        catalogs = catalogs_of(self.context)
        timezone = ZoneInfo(self.settings.get("TIMEZONE") or "UTC")
        sources = finance.sources
        overview = tables.overview_tables(finance)
        by_period = {p.id: tables.period_tables(finance, p) for p in finance.periods}
        party_tax = tables.party_tax_tables(finance)
        declared = tables.declarations_overview(finance)
        by_person = {d.person: tables.person_tables(finance, d) for d in finance.declarations}
        accounts = [p.source for p in finance.periods]
        self.downloads = [
            ("overview", overview, [*accounts, sources["party-tax"]]),
            *(
                (p.id, by_period[p.id], [p.source, sources["categories"], sources["donations"]])
                for p in finance.periods
            ),
            ("party-tax", party_tax, [sources["party-tax"]]),
            ("declarations", [declared], [d.source for d in finance.declarations]),
            *((f"declarations-{d.person}", by_person[d.person], [d.source]) for d in finance.declarations),
        ]
        self.reports: dict[str, list[ReportVersion]] = {}
        history = self.context.get("press_provenance")
        base = Path(os.path.realpath(self.settings["PATH"])).parent

        def source(path: str) -> SourceFile:
            return SourceFile(path, history.of(base / path) if history is not None else None)

        for language in site.languages:
            lang = language.code
            translations = catalogs[lang][0]
            fmt = Formatter(language, finance, graph, translations.gettext)
            home = site.get("home", lang)
            chrome = {k: v for k, v in (home.context if home else {}).items() if k not in CHROME_ONLY}
            common = {**chrome, "finance": finance, "fin": fmt, "sources": sources}
            macros = self.macros(language, translations, fmt)

            def add(page_id, path, template, download, extra, search=None, lang=lang, common=common):
                context = {**common, "json": f"finance/data/{download}.json", **extra}
                return site.add(
                    Page(lang, page_id, path, template, context, fallback_id="finance", search=search)
                )

            add(
                "finance",
                f"{lang}/finance/index.html",
                "finance.html",
                "overview",
                {
                    "tables": overview,
                    "overview_chart": self.overview_chart(finance, language, fmt, translations.gettext),
                },
            )
            site.get("finance", lang).fallback_id = "home"
            versions = []
            for period in finance.periods:
                title = translations.gettext("Accounts: %(period)s") % {"period": fmt.period(period.id)}
                path = f"{lang}/finance/{period.id}/index.html"
                summary = str(macros.report_summary(period))
                search = SearchEntry(
                    title, summary, SECTION, self.approval(period, timezone), {"year": str(period.year)}
                )
                add(
                    f"finance:{period.id}",
                    path,
                    "finance_period.html",
                    period.id,
                    {
                        "period": period,
                        "tables": by_period[period.id],
                        "title": title,
                        "source": source(period.source),
                        "charts": self.period_charts(finance, period, language, fmt, translations.gettext),
                    },
                    search,
                )
                item = ReportItem(period.id, date=self.approval(period, timezone))
                versions.append(ReportVersion(item, lang, title, str(escape(title)), summary, summary, path))
            self.reports[lang] = versions
            add(
                "finance-party-tax",
                f"{lang}/finance/party-tax/index.html",
                "finance_party_tax.html",
                "party-tax",
                {"tables": party_tax, "source": source(sources["party-tax"])},
            )
            add(
                "finance-declarations",
                f"{lang}/finance/declarations/index.html",
                "finance_declarations.html",
                "declarations",
                {"tables": [declared]},
            )
            for person in finance.declarations:
                add(
                    f"finance-declaration:{person.person}",
                    f"{lang}/finance/declarations/{person.person}/index.html",
                    "finance_person.html",
                    f"declarations-{person.person}",
                    {
                        "person": person,
                        "tables": by_person[person.person],
                        "source": source(person.source),
                        "rows_of": tables.rows_of,
                    },
                )
        add_section_feed(
            self.context,
            SECTION,
            "Finance reports",
            lambda lang: self.reports.get(lang, []),
            page_id="finance",
        )

    @staticmethod
    def approval(period: Period, timezone) -> dt.datetime:
        day = period.approved_on
        return dt.datetime(day.year, day.month, day.day, tzinfo=timezone)

    def macros(self, language: Language, translations, fmt: Formatter):
        """``finance_macros.html`` speaking ``language``: the report summary shared by feed and search."""
        env = environment(self.templates, translations)
        add_language_filters(env, language)
        env.globals.update(lang=language, fin=fmt)
        return env.get_template("finance_macros.html").module

    def overview_chart(self, finance: Finance, language: Language, fmt: Formatter, gettext) -> str:
        income, expenses = gettext("Income"), gettext("Expenses")
        groups = []
        for period in finance.periods:
            name = fmt.period(period.id)
            label = language.number(period.quarter) if period.quarter else language.digits(period.year)
            bars = [
                charts.Bar(
                    income,
                    period.income_total,
                    f"{income}, {name}: {fmt.money(period.income_total, period.currency)}",
                ),
                charts.Bar(
                    expenses,
                    period.expenses_total,
                    f"{expenses}, {name}: {fmt.money(period.expenses_total, period.currency)}",
                ),
            ]
            groups.append(charts.Group(label, bars, language.digits(period.year) if period.quarter else ""))
        first, last = finance.periods[0], finance.periods[-1]
        title = gettext("Income and expenses by period")
        desc = gettext(
            "Columns for income and expenses in each period from %(first)s to %(last)s, in %(currency)s; "
            "the table “Accounts by period” gives the same figures."
        ) % {
            "first": fmt.period(first.id),
            "last": fmt.period(last.id),
            "currency": fmt.currency_name(finance.currency),
        }
        return charts.column_chart(
            groups,
            [(income, "chart-income"), (expenses, "chart-expenses")],
            language,
            "chart-overview",
            title,
            desc,
        )

    def period_charts(
        self, finance: Finance, period: Period, language: Language, fmt: Formatter, gettext
    ) -> dict:
        result = {}
        for kind, categories, css, title, desc in (
            (
                "income",
                period.income,
                "chart-income",
                gettext("Income by category"),
                gettext(
                    "Bars for each income category of %(period)s, in %(currency)s; the table “Income” "
                    "gives the same figures."
                ),
            ),
            (
                "expenses",
                period.expenses,
                "chart-expenses",
                gettext("Expenses by category"),
                gettext(
                    "Bars for each expense category of %(period)s, in %(currency)s; the table “Expenses” "
                    "gives the same figures."
                ),
            ),
        ):
            bars = []
            for category in categories:
                label = finance.categories[kind][category.key].plain[language.code]
                bars.append(
                    charts.Bar(
                        label, category.total, f"{label}: {fmt.money(category.total, period.currency)}"
                    )
                )
            words = {"period": fmt.period(period.id), "currency": fmt.currency_name(period.currency)}
            result[kind] = charts.bar_chart(bars, language, f"chart-{kind}", title, desc % words, css)
        return result

    def generate_output(self, writer):
        if not self.downloads:
            return
        codes = [language.code for language in site_of(self.context).languages]
        written = []
        for name, page_tables, sources in self.downloads:
            for table in page_tables:
                write_file(self.output_path, table.path, downloads.table_csv(table, codes))
                written.append(table)
            write_file(
                self.output_path,
                f"finance/data/{name}.json",
                downloads.page_json(name, page_tables, sources, codes),
            )
        title = f"{self.settings.get('SITENAME', 'The press')}: finance"
        package = downloads.datapackage(written, codes, "press-finance", title)
        write_file(self.output_path, downloads.PACKAGE, package)


def get_generators(pelican):
    return FinanceGenerator


def register():
    register_section(__name__, SECTION, read_finance)
    signals.get_generators.connect(get_generators)
