"""Dashboard charts, drawn once with ReportLab graphics: inline SVG on the page, vector drawings in PDFs."""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from dataclasses import replace

from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup
from reportlab.graphics import renderSVG
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from caseflow.dashboards.figures import Shown
from caseflow.pdf_fonts import register_fonts as pdf_fonts
from caseflow.pdf_fonts import shape

PALETTE = [colors.HexColor(c) for c in (
    "#1f4e79", "#c55a11", "#548235", "#7f6000", "#7030a0", "#2e75b6", "#a5a5a5", "#bf9000", "#843c0c",
    "#375623", "#4472c4", "#ed7d31", "#70ad47", "#264478")]
WIDTH, HEIGHT = 480, 230
LEGEND_W = 150


def _legend(drawing: Drawing, names: list[str], x: float, y: float, font: str) -> None:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.fontName, legend.fontSize = font, 8.5
    legend.alignment = "right"
    legend.columnMaximum = 14
    legend.dx = legend.dy = 8
    legend.deltay = 12
    legend.colorNamePairs = [(PALETTE[i % len(PALETTE)], str(n)[:24]) for i, n in enumerate(names)]
    drawing.add(legend)


def _axis_fonts(chart: object, font: str) -> None:
    for axis in (chart.categoryAxis, chart.valueAxis):  # type: ignore[attr-defined]
        axis.labels.fontName = font
        axis.labels.fontSize = 8.5
    chart.valueAxis.forceZero = True  # type: ignore[attr-defined]
    chart.valueAxis.visibleGrid = True  # type: ignore[attr-defined]
    chart.valueAxis.gridStrokeColor = colors.HexColor("#d9d9d9")  # type: ignore[attr-defined]


def _columns(shown: Shown) -> list[list[float | None]]:
    """Return the chart values as series: one per column of the table (None: a protected cell, not drawn)."""
    n_cols = len(shown.chart_values[0]) if shown.chart_values else 0
    return [[row[c] for row in shown.chart_values] for c in range(n_cols)]


def bar_chart(shown: Shown, stacked: bool = True, horizontal: bool = False, legend: bool = True,
              columns: list[int] | None = None, value_max: float | None = None) -> Drawing:
    """Return a (stacked) bar chart of a table: rows along the category axis, one series per column."""
    font, _bold = pdf_fonts()
    series = _columns(shown)
    names = shown.header[1:1 + len(series)]
    if columns is not None:
        series, names = [series[c] for c in columns], [names[c] for c in columns]
    drawing = Drawing(WIDTH, HEIGHT)
    chart = HorizontalBarChart() if horizontal else VerticalBarChart()
    left = 165 if horizontal else 40
    chart.x, chart.y = left, 30
    chart.width = WIDTH - left - (LEGEND_W if legend else 20)
    chart.height = HEIGHT - 45
    chart.data = [tuple(s) for s in series] or [(0,)]
    chart.categoryAxis.categoryNames = [str(r[0])[:32] for r in shown.body]
    if stacked:
        chart.categoryAxis.style = "stacked"
    chart.barSpacing = 1
    chart.groupSpacing = 4
    for i in range(len(series)):
        chart.bars[i].fillColor = PALETTE[i % len(PALETTE)]
        chart.bars[i].strokeColor = None
    _axis_fonts(chart, font)
    if value_max is not None:
        chart.valueAxis.valueMax = value_max
    if not horizontal and len(shown.body) > 8:
        chart.categoryAxis.labels.angle = 45
        chart.categoryAxis.labels.boxAnchor = "ne"
        chart.y, chart.height = 45, HEIGHT - 60
    drawing.add(chart)
    if legend:
        _legend(drawing, [str(n) for n in names], WIDTH - LEGEND_W + 15, HEIGHT - 15, font)
    return drawing


def line_chart(shown: Shown) -> Drawing | None:
    """Return a line chart: one line per column, rows along the horizontal axis (None if no line can be drawn)."""
    font, _bold = pdf_fonts()
    # A line needs two shown points: a column hidden almost everywhere is left to the table below the chart.
    kept = [(name, s) for name, s in zip(shown.header[1:], _columns(shown), strict=False)
            if sum(v is not None for v in s) >= 2]
    if not kept:
        return None
    series = [s for _name, s in kept]
    drawing = Drawing(WIDTH, HEIGHT)
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 40, 45, WIDTH - 40 - LEGEND_W, HEIGHT - 60
    chart.data = [tuple(s) for s in series] or [(0,)]
    chart.categoryAxis.categoryNames = [str(r[0]) for r in shown.body]
    chart.categoryAxis.labels.angle = 45
    chart.categoryAxis.labels.boxAnchor = "ne"
    for i in range(len(series)):
        chart.lines[i].strokeColor = PALETTE[i % len(PALETTE)]
        chart.lines[i].strokeWidth = 1.5
    _axis_fonts(chart, font)
    drawing.add(chart)
    _legend(drawing, [str(name) for name, _s in kept], WIDTH - LEGEND_W + 15, HEIGHT - 15, font)
    return drawing


def pie_chart(shown: Shown) -> Drawing | None:
    """Return a pie of a one-column distribution (None when there is nothing to draw)."""
    font, _bold = pdf_fonts()
    # A protected slice is left out of the pie (its share is not drawn); the legend says it is hidden.
    values = [row[0] or 0.0 for row in shown.chart_values]
    if sum(values) <= 0:
        return None
    drawing = Drawing(WIDTH, HEIGHT)
    pie = Pie()
    pie.x, pie.y, pie.width, pie.height = 60, 20, HEIGHT - 40, HEIGHT - 40
    pie.data = [v if v > 0 else 0.0001 for v in values]
    pie.simpleLabels = 1
    pie.labels = None
    pie.slices.strokeColor = colors.white
    for i in range(len(values)):
        pie.slices[i].fillColor = PALETTE[i % len(PALETTE)]
    drawing.add(pie)
    _legend(drawing, [f"{r[0]}: {r[1]}" for r in shown.body], HEIGHT + 40, HEIGHT - 30, font)
    return drawing


def shaped_for_pdf(shown: Shown) -> Shown:
    """Return the figure with its labels shaped for ReportLab (Arabic joined, right to left); browsers shape SVG."""
    locale = get_locale()
    return replace(shown, header=[shape(str(h), locale) for h in shown.header],
                   body=[[shape(str(r[0]), locale), *r[1:]] for r in shown.body])


def drawing_for(shown: Shown, for_pdf: bool = False) -> Drawing | None:
    """Return the chart drawn for a figure (labels shaped when it goes into a PDF), or None for table-only ones."""
    if for_pdf:
        shown = shaped_for_pdf(shown)
    key = shown.key
    if not shown.body:
        return None
    if key in ("received_channel", "open_age"):
        return bar_chart(shown)
    if key == "received_category":
        return line_chart(shown)
    if key == "workload":
        return bar_chart(shown, horizontal=True)
    if key in ("findings", "anonymity"):
        return pie_chart(shown)
    if key == "sanctions":
        return bar_chart(shown, horizontal=True, legend=False)
    if key == "overdue":
        return bar_chart(shown, horizontal=True, legend=False)
    if key == "compliance":
        return bar_chart(shown, stacked=False, horizontal=True, legend=False, columns=[3], value_max=100)
    if key == "durations":
        return bar_chart(shown, stacked=False, columns=[1, 2])
    return None


_PROLOG = re.compile(r"<\?xml.*?\?>|<!DOCTYPE.*?>|<title>.*?</title>|<desc>.*?</desc>", re.DOTALL)
_ACTIVE = re.compile(r"<script|\son\w+\s*=|javascript:|<foreignObject|href=", re.IGNORECASE)
_TEXT_NODE = re.compile(r">[^<]*<")
_STYLE = re.compile(r'\sstyle="([^"]*)"')
_PROPERTY = re.compile(r"^[a-z-]+$")


def _style_to_attributes(match: re.Match[str]) -> str:
    """Turn a style attribute (refused by the CSP) into SVG presentation attributes."""
    out = []
    for declaration in match.group(1).split(";"):
        name, _sep, value = declaration.partition(":")
        name, value = name.strip(), value.strip().replace('"', "'")
        if name and value and _PROPERTY.match(name):
            out.append(f' {name}="{value}"')
    return "".join(out)


def to_svg(drawing: Drawing, key: str) -> Markup:
    """Return the drawing as inline SVG markup: no prolog, no style attributes, unique ids, a short name."""
    svg = _PROLOG.sub("", renderSVG.drawToString(drawing)).strip()
    svg = _STYLE.sub(_style_to_attributes, svg)
    svg = svg.replace('id="clip"', f'id="clip-{key}"').replace("url(#clip)", f"url(#clip-{key})")
    svg = svg.replace(' id="group"', "")
    svg = re.sub(r'font-family="[^"]*-Bold"', 'font-family="DejaVu Sans, sans-serif" font-weight="bold"', svg)
    svg = re.sub(r'font-family="[^"]*"', 'font-family="DejaVu Sans, sans-serif"', svg)
    # Text nodes are escaped by the renderer, so a label such as "onerror=..." is only text: check the markup.
    if _ACTIVE.search(_TEXT_NODE.sub("><", svg)):
        raise ValueError("generated SVG contains active content")
    # The section's heading already says the title and the table beside gives the figures: the image's name
    # says only what it is, so a screen reader does not read the title three times.
    name = str(Markup.escape(_("Chart of the figures in the table below")))
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{name}" class="chart" ', 1)
    return Markup(svg)  # noqa: S704 - generated here from our own numbers; checked for active content above


_SVG_CACHE: OrderedDict[str, Markup] = OrderedDict()
_SVG_CACHE_SIZE = 128  # ~25 KB each
_SVG_LOCK = threading.Lock()


def svg_for(shown: Shown) -> Markup | None:
    """Return a figure's chart as inline SVG, reusing the markup drawn for identical numbers and labels."""
    fingerprint = hashlib.sha256(repr((
        shown.key, shown.title, str(get_locale()), shown.header, shown.body, shown.footer, shown.chart_values,
        shown.figure.rows, shown.figure.cols)).encode()).hexdigest()
    with _SVG_LOCK:
        hit = _SVG_CACHE.get(fingerprint)
        if hit is not None:
            _SVG_CACHE.move_to_end(fingerprint)
            return hit
    drawing = drawing_for(shown)
    if drawing is None:
        return None
    svg = to_svg(drawing, shown.key)
    with _SVG_LOCK:
        _SVG_CACHE[fingerprint] = svg
        while len(_SVG_CACHE) > _SVG_CACHE_SIZE:
            _SVG_CACHE.popitem(last=False)
    return svg


def chart_title(drawing: Drawing, text: str) -> Drawing:
    """Return the drawing with a heading string added (for PDFs)."""
    font, bold = pdf_fonts()
    drawing.add(String(0, HEIGHT - 8, text, fontName=bold, fontSize=9))
    return drawing
