"""CSV, JSON and the Frictionless ``datapackage.json`` of every finance table.

Each table is written once, language-neutral, to ``finance/data/<table>.csv``; each
page's tables also go together into ``finance/data/<page>.json``; and
``finance/datapackage.json`` (Frictionless Data Package, tabular resources with a
Table Schema each) describes every CSV.  Amounts are exact decimals written as the
text of their :class:`~decimal.Decimal` (JSON strings, so no reader turns them into
binary floats); texts get one column per language the file gives.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal

from .model import NUMERIC, Column, Table, Text

DATA = "finance/data"
PACKAGE = "finance/datapackage.json"
LEVELS = "category: a category's total; line: one of its lines (do not add both); total: the result"


def headers(column: Column, languages: list[str]) -> list[str]:
    return [f"{column.name}_{code}" for code in languages] if column.kind == "text" else [column.name]


def cells(column: Column, value, languages: list[str]) -> list[str]:
    if column.kind == "text":
        return [
            value.plain[code] if isinstance(value, Text) and code in value.own else "" for code in languages
        ]
    return [plain(value)]


def plain(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def has_levels(table: Table) -> bool:
    """Tables mixing category totals and their lines say which is which (``level``), so
    nobody adds both up."""
    return any(row.level for row in table.rows)


def table_csv(table: Table, languages: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    levels = ["level"] if has_levels(table) else []
    writer.writerow(["row", *levels, *(h for column in table.columns for h in headers(column, languages))])
    for row in table.rows:
        values = [
            c for column in table.columns for c in cells(column, row.values.get(column.name), languages)
        ]
        writer.writerow([row.key, *([row.level] if levels else []), *values])
    return buffer.getvalue()


def table_json(table: Table, languages: list[str]) -> dict:
    def value(column: Column, raw):
        if column.kind == "text":
            return (
                {code: raw.plain[code] for code in languages if code in raw.own}
                if isinstance(raw, Text)
                else None
            )
        if raw is None:
            return None
        return raw if isinstance(raw, int) and column.kind in ("count", "year") else plain(raw)

    return {
        "name": table.name,
        "title": table.title,
        "currency": table.currency,
        "csv": f"{table.name}.csv",
        "rows": [
            {
                "row": row.key,
                **({"level": row.level} if has_levels(table) else {}),
                **{c.name: value(c, row.values.get(c.name)) for c in table.columns},
            }
            for row in table.rows
        ],
    }


def page_json(name: str, tables: list[Table], sources: list[str], languages: list[str]) -> str:
    data = {
        "page": name,
        "sources": sources,
        "amounts": "exact decimals written as text, in each table's currency",
        "tables": [table_json(table, languages) for table in tables],
    }
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def field_type(column: Column) -> str:
    if column.kind == "share":
        return "number"
    return NUMERIC.get(column.kind, "string")


def datapackage(tables: list[Table], languages: list[str], name: str, title: str) -> str:
    resources = []
    for table in tables:
        fields = [{"name": "row", "type": "string", "description": "the row's key, unique in the table"}]
        if has_levels(table):
            fields.append({"name": "level", "type": "string", "description": LEVELS})
        for column in table.columns:
            for header in headers(column, languages):
                described = {"name": header, "type": field_type(column), "title": column.title}
                if column.kind == "money":
                    described["description"] = (
                        "amount in the row's foreign_currency"
                        if column.foreign
                        else f"amount in {table.currency}"
                    )
                fields.append(described)
        resources.append(
            {
                "name": table.name,
                "title": table.title,
                "path": f"data/{table.name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": fields, "primaryKey": ["row"], "missingValues": [""]},
            }
        )
    package = {
        "profile": "tabular-data-package",
        "name": name,
        "title": title,
        "resources": resources,
    }
    return json.dumps(package, ensure_ascii=False, indent=1) + "\n"
