"""Bar charts as inline SVG, drawn at build time: no script, no font, no request.

Written by hand (with ElementTree, so the markup is always well-formed XML) because
the chart libraries do not fit the press: pygal's SVG carries JavaScript and its own
font sizes and needs a script for tooltips; matplotlib is a large dependency whose SVG
embeds absolute sizes and glyph paths, knows no right-to-left layout and writes ASCII
digits.  Here every chart is a ``<svg role="img">`` labelled by its ``<title>`` and
``<desc>``, scales with its ``viewBox``, uses the page's font and colours (CSS classes),
writes numbers in the page language's digits (Babel) and, in a right-to-left language,
is mirrored: time runs from right to left and bars grow from the right.  The table
beside each chart holds the same figures for anyone who cannot see it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from decimal import Decimal

from babel import numbers

from press_core.languages import Language

SVG_NS = "http://www.w3.org/2000/svg"


@dataclass(frozen=True)
class Bar:
    label: str  # plain text
    value: Decimal
    tooltip: str  # plain text, e.g. "Income, Q1 2024: 12,500,000"


@dataclass(frozen=True)
class Group:
    label: str  # under the group, e.g. the quarter
    bars: list[Bar]  # one per series
    band: str = ""  # a second line shared by neighbouring groups, e.g. the year


def compact(value: Decimal, language: Language) -> str:
    system = (
        language.numbering_system if language.numbering_system in language.locale.number_symbols else "latn"
    )
    text = numbers.format_compact_decimal(
        value, locale=language.locale, fraction_digits=1, numbering_system=system
    )
    return language.digits(text)


def nice_ceiling(value: Decimal) -> Decimal:
    """The smallest 1, 2, 2.5 or 5 × 10ⁿ at or above ``value`` (an axis that reads well)."""
    if value <= 0:
        return Decimal(1)
    power = Decimal(10) ** (value.adjusted())
    for step in (1, 2, Decimal("2.5"), 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


class Canvas:
    """An SVG whose x coordinates are written from the start side and mirrored for RTL."""

    def __init__(self, width: int, height: int, language: Language, chart_id: str, title: str, desc: str):
        self.width, self.rtl = width, language.is_rtl
        self.root = ET.Element(
            "svg",
            {
                "xmlns": SVG_NS,
                "class": "chart-svg",
                "viewBox": f"0 0 {width} {height}",
                "role": "img",
                "aria-labelledby": f"{chart_id}-title {chart_id}-desc",
                "direction": language.direction,
                "font-size": "13",
            },
        )
        ET.SubElement(self.root, "title", {"id": f"{chart_id}-title"}).text = title
        ET.SubElement(self.root, "desc", {"id": f"{chart_id}-desc"}).text = desc

    def x(self, logical: float, width: float = 0) -> float:
        return round(self.width - logical - width if self.rtl else logical, 2)

    def rect(self, x: float, y: float, width: float, height: float, css: str, tooltip: str = ""):
        rect = ET.SubElement(
            self.root,
            "rect",
            {
                "x": str(self.x(x, width)),
                "y": str(round(y, 2)),
                "width": str(round(width, 2)),
                "height": str(round(height, 2)),
                "class": css,
            },
        )
        if tooltip:
            ET.SubElement(rect, "title").text = tooltip
        return rect

    def text(self, x: float, y: float, words: str, anchor: str = "middle", css: str = "chart-label"):
        """``anchor`` is logical: "start" text begins at x and runs towards the end side."""
        element = ET.SubElement(
            self.root,
            "text",
            {"x": str(self.x(x)), "y": str(round(y, 2)), "text-anchor": anchor, "class": css},
        )
        element.text = words
        return element

    def line(self, x1: float, x2: float, y: float, css: str):
        ET.SubElement(
            self.root,
            "line",
            {"x1": str(self.x(x1)), "x2": str(self.x(x2)), "y1": str(y), "y2": str(y), "class": css},
        )

    def markup(self) -> str:
        return ET.tostring(self.root, encoding="unicode", short_empty_elements=True)


def column_chart(
    groups: list[Group],
    series: list[tuple[str, str]],
    language: Language,
    chart_id: str,
    title: str,
    desc: str,
) -> str:
    """Grouped columns over time: ``series`` is ``[(legend label, css class), …]``, one bar each per group."""
    width, height = 720, 320
    axis, end_margin, top, bottom = 64, 8, 44, 56
    plot_width, plot_height = width - axis - end_margin, height - top - bottom
    canvas = Canvas(width, height, language, chart_id, title, desc)
    highest = nice_ceiling(max((bar.value for group in groups for bar in group.bars), default=Decimal(0)))
    for step in range(5):
        value = highest * step / 4
        y = top + plot_height - plot_height * float(value / highest)
        canvas.line(axis, width - end_margin, round(y, 2), "chart-grid")
        canvas.text(axis - 6, y + 4, compact(value, language), anchor="end", css="chart-axis")
    x = axis
    for label, css in series:  # the legend, above the plot
        canvas.rect(x, 12, 14, 14, css)
        canvas.text(x + 20, 24, label, anchor="start", css="chart-legend")
        x += 20 + 9 * len(label) + 24
    slot = plot_width / max(len(groups), 1)
    bar_width = slot * 0.8 / max(len(series), 1)
    bands: list[tuple[str, float, float]] = []
    for index, group in enumerate(groups):
        left = axis + index * slot
        for number, (bar, (_, css)) in enumerate(zip(group.bars, series, strict=True)):
            bar_height = plot_height * float(bar.value / highest)
            canvas.rect(
                left + slot * 0.1 + number * bar_width,
                top + plot_height - bar_height,
                bar_width,
                bar_height,
                css,
                bar.tooltip,
            )
        canvas.text(left + slot / 2, top + plot_height + 18, group.label, css="chart-axis")
        if bands and bands[-1][0] == group.band:
            bands[-1] = (group.band, bands[-1][1], left + slot)
        else:
            bands.append((group.band, left, left + slot))
    for band, start, end in bands:
        if band:
            canvas.text((start + end) / 2, top + plot_height + 40, band, css="chart-band")
            canvas.line(start + 4, end - 4, top + plot_height + 26, "chart-band-rule")
    return canvas.markup()


def bar_chart(bars: list[Bar], language: Language, chart_id: str, title: str, desc: str, css: str) -> str:
    """Horizontal bars, one per category, growing from the start side; the value after each bar."""
    width, row = 560, 40
    height = row * len(bars) + 8
    value_space = 120
    canvas = Canvas(width, height, language, chart_id, title, desc)
    highest = max((bar.value for bar in bars), default=Decimal(0)) or Decimal(1)
    for index, bar in enumerate(bars):
        y = index * row
        canvas.text(4, y + 15, bar.label, anchor="start", css="chart-label")
        length = (width - value_space - 8) * float(bar.value / highest)
        canvas.rect(4, y + 21, max(length, 1), 14, css, bar.tooltip)
        canvas.text(4 + length + 6, y + 33, language.number(bar.value), anchor="start", css="chart-value")
    return canvas.markup()
