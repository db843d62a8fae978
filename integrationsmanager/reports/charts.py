"""Vector charts for the PDF reports (reportlab graphics, never a screenshot).

A chart is a reportlab ``Drawing``: it scales without blur, its labels are text a search finds,
and it is drawn with the embedded DejaVu Sans like the rest of the document. Reports print the
figures they chart, so :func:`chart_with_values` sets a small value table beside the chart.

Two kinds: grouped bars over categories (:func:`bar_chart`) and a time series
(:func:`line_chart`) whose measured values are a solid line, forecasts a dashed one, with an
optional target drawn as a dashed horizontal line.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib.colors import HexColor, white
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Table, TableStyle

from integrationsmanager.domain.money import format_number
from integrationsmanager.reports.fonts import FONT, register_fonts
from integrationsmanager.reports.palette import MUTED_TEXT, RULE
from integrationsmanager.reports.text import has_rtl, visual_order

CHART_FONT_SIZE = 7.5
LEGEND_HEIGHT = 9 * mm
CATEGORY_LABEL_MAX = 14
"""Longest category label under a bar group; longer ones are shortened with "…"."""

SERIES_COLOURS: tuple[str, ...] = ("#56B4E9", "#0072B2", "#009E73", "#E69F00", "#CC79A7")
"""Okabe–Ito colours for the series, in order (the palette of the status colours)."""

LINE_COLOUR = "#0072B2"
"""A time series' values and forecasts (one colour: the dashes tell them apart)."""
TARGET_COLOUR = "#D55E00"
FORECAST_DASH = (4, 2.5)
TARGET_DASH = (1.5, 2)
ACTUAL_LABEL = "Wert"
FORECAST_LABEL = "Prognose"


@dataclass(frozen=True)
class Series:
    """One coloured set of bars: a name for the legend and a value per category."""

    name: str
    values: Sequence[float]
    colour: str = ""
    """A hex colour; empty picks the next of :data:`SERIES_COLOURS`."""


def bar_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    width: float,
    height: float,
    axis_format: Callable[[float], str] | None = None,
    stacked: bool = False,
) -> Drawing:
    """Grouped vertical bars, one group per category, with a legend below.

    With ``stacked`` the series of a category are piled into one bar (e.g. measures by
    status). ``axis_format`` writes the value axis labels (default: German whole numbers).
    Category labels longer than :data:`CATEGORY_LABEL_MAX` characters are shortened; the value
    table beside the chart carries the full names.
    """
    register_fonts()
    drawing = Drawing(width, height)
    # The renderer's initial state would otherwise set reportlab's non-embedded Helvetica.
    drawing.initialFontName = FONT
    drawing.initialFontSize = CHART_FONT_SIZE
    chart = VerticalBarChart()
    chart.x = 12 * mm
    chart.y = LEGEND_HEIGHT + 6 * mm
    chart.width = width - chart.x - 2 * mm
    chart.height = height - chart.y - 3 * mm
    chart.data = [list(s.values) or [0] for s in series] or [[0]]
    chart.groupSpacing = 6
    chart.barSpacing = 1
    chart.strokeColor = None
    colours = _colours(series)
    for index, colour in enumerate(colours):
        chart.bars[index].fillColor = HexColor(colour)
        chart.bars[index].strokeColor = None

    if stacked:
        chart.categoryAxis.style = "stacked"
        top = max((sum(c) for c in zip(*(s.values for s in series), strict=True)), default=0)
    else:
        top = max((v for s in series for v in s.values), default=0)
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = top * 1.08 if top > 0 else 1
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = CHART_FONT_SIZE
    chart.valueAxis.labels.fillColor = HexColor(MUTED_TEXT)
    chart.valueAxis.labelTextFormat = axis_format or _whole_number
    chart.valueAxis.strokeColor = HexColor(RULE)
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = HexColor(RULE)
    chart.valueAxis.gridStrokeWidth = 0.3

    chart.categoryAxis.categoryNames = [_shorten(c) for c in categories] or [""]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = CHART_FONT_SIZE
    chart.categoryAxis.labels.boxAnchor = "n"
    chart.categoryAxis.labels.dy = -2
    chart.categoryAxis.strokeColor = HexColor(RULE)
    chart.categoryAxis.tickDown = 0
    drawing.add(chart)

    legend = Legend()
    legend.fontName = FONT
    legend.fontSize = CHART_FONT_SIZE
    legend.x = chart.x
    legend.y = LEGEND_HEIGHT / 2
    legend.alignment = "right"
    legend.boxAnchor = "w"
    legend.columnMaximum = 1
    longest = max(
        (pdfmetrics.stringWidth(s.name, FONT, CHART_FONT_SIZE) for s in series), default=0
    )
    legend.deltax = max(60, longest + 24)
    legend.dxTextSpace = 4
    legend.dx = 7
    legend.dy = 7
    legend.strokeColor = None
    legend.colorNamePairs = [(HexColor(c), s.name) for c, s in zip(colours, series, strict=True)]
    drawing.add(legend)
    return drawing


@dataclass(frozen=True)
class Point:
    """One value of a time series."""

    x: float
    """Where on the time axis: the year, with a fraction for a value on a reference date."""
    value: float
    forecast: bool = False


def line_chart(
    points: Sequence[Point],
    *,
    width: float,
    height: float,
    target: float | None = None,
    target_x: float | None = None,
    target_label: str = "Ziel",
    axis_format: Callable[[float], str] | None = None,
) -> Drawing:
    """A time series: measured values solid, forecasts dashed, a target as a dashed line.

    The forecast line starts at the last measured value before the first forecast, so the two
    read as one course. ``target_x`` (the target's year) widens the time axis to include it and
    marks it with a diamond. Values are marked with dots (filled: measured, hollow: forecast),
    so a single value is still visible. The legend below names what is drawn.
    """
    register_fonts()
    axis_format = axis_format or _axis_number
    ordered = sorted(points, key=lambda p: p.x)
    actual = [p for p in ordered if not p.forecast]
    forecast = [p for p in ordered if p.forecast]
    if forecast:
        before = [p for p in actual if p.x < forecast[0].x]
        forecast = before[-1:] + forecast
    xs = [p.x for p in ordered] + ([target_x] if target_x is not None else [])
    ys = [p.value for p in ordered] + ([target] if target is not None else [])

    drawing = Drawing(width, height)
    drawing.initialFontName = FONT
    drawing.initialFontSize = CHART_FONT_SIZE
    y_min, y_max, y_step = _nice_range(min(ys, default=0), max(ys, default=1))
    y_ticks = _ticks(y_min, y_max, y_step)
    label_width = max(
        pdfmetrics.stringWidth(axis_format(t), FONT, CHART_FONT_SIZE) for t in y_ticks
    )
    x_min, x_max, x_ticks = _time_axis(min(xs, default=0), max(xs, default=0))

    chart = LinePlot()
    chart.x = label_width + 6
    chart.y = LEGEND_HEIGHT + 6 * mm
    chart.width = width - chart.x - 4 * mm
    chart.height = height - chart.y - 3 * mm
    rows: list[list[tuple[float, float]]] = []
    styles: list[tuple[str, tuple[float, float] | None, str]] = []
    # Forecasts first, so the measured value they start from keeps its filled dot on top.
    if forecast:
        rows.append([(p.x, p.value) for p in forecast])
        styles.append((LINE_COLOUR, FORECAST_DASH, "Circle"))
    if actual:
        rows.append([(p.x, p.value) for p in actual])
        styles.append((LINE_COLOUR, None, "FilledCircle"))
    if target is not None:
        rows.append([(x_min, target), (x_max, target)])
        styles.append((TARGET_COLOUR, TARGET_DASH, ""))
    chart.data = rows or [[(x_min, y_min)]]
    chart.lines.strokeWidth = 1.4
    for index, (colour, dash, marker) in enumerate(styles):
        line = chart.lines[index]
        line.strokeColor = HexColor(colour)
        line.strokeDashArray = list(dash) if dash else None
        if marker:
            line.symbol = makeMarker(
                marker, size=4, fillColor=HexColor(colour) if marker == "FilledCircle" else white
            )
            line.symbol.strokeColor = HexColor(colour)
            line.symbol.strokeWidth = 1
        else:
            line.strokeWidth = 1
    if not styles:
        chart.lines[0].strokeColor = None

    axis = chart.yValueAxis
    axis.valueMin, axis.valueMax, axis.valueStep = y_min, y_max, y_step
    axis.labelTextFormat = axis_format
    axis.visibleGrid = True
    axis.gridStrokeColor = HexColor(RULE)
    axis.gridStrokeWidth = 0.3
    time = chart.xValueAxis
    time.valueMin, time.valueMax = x_min, x_max
    time.valueSteps = x_ticks
    time.labelTextFormat = _year
    for value_axis in (axis, time):
        value_axis.labels.fontName = FONT
        value_axis.labels.fontSize = CHART_FONT_SIZE
        value_axis.labels.fillColor = HexColor(MUTED_TEXT)
        value_axis.strokeColor = HexColor(RULE)
    time.tickDown = 2
    drawing.add(chart)

    if target is not None and target_x is not None:
        mark = makeMarker("FilledDiamond", size=6, fillColor=HexColor(TARGET_COLOUR))
        mark.x = chart.x + (target_x - x_min) / (x_max - x_min) * chart.width
        mark.y = chart.y + (target - y_min) / (y_max - y_min) * chart.height
        mark.strokeColor = HexColor(TARGET_COLOUR)
        drawing.add(mark)
    legend: list[tuple[str, tuple[float, float] | None, str]] = []
    if actual:
        legend.append((LINE_COLOUR, None, ACTUAL_LABEL))
    if forecast:
        legend.append((LINE_COLOUR, FORECAST_DASH, FORECAST_LABEL))
    if target is not None:
        legend.append((TARGET_COLOUR, TARGET_DASH, target_label))
    _line_legend(drawing, legend, x=chart.x, y=LEGEND_HEIGHT / 2)
    return drawing


def _line_legend(
    drawing: Drawing,
    entries: Sequence[tuple[str, tuple[float, float] | None, str]],
    *,
    x: float,
    y: float,
) -> None:
    """A row of (line sample, name) pairs starting at ``x`` on the middle line ``y``."""
    for colour, dash, name in entries:
        sample = Line(x, y, x + 16, y, strokeColor=HexColor(colour), strokeWidth=1.4)
        if dash:
            sample.strokeDashArray = list(dash)
        drawing.add(sample)
        label = visual_order(name) if has_rtl(name) else name
        drawing.add(
            String(
                x + 20, y - CHART_FONT_SIZE * 0.35, label, fontName=FONT, fontSize=CHART_FONT_SIZE
            )
        )
        x += 20 + pdfmetrics.stringWidth(label, FONT, CHART_FONT_SIZE) + 12


def _nice_step(span: float, count: int) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) that splits ``span`` into about
    ``count`` parts."""
    raw = span / count
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def _nice_range(low: float, high: float, count: int = 4) -> tuple[float, float, float]:
    """A value axis from ``low`` to ``high`` with round ends and step.

    The axis starts at zero for values that are all positive and not far from it (so a
    change does not look larger than it is); a series of large, close values keeps a
    zoomed-in axis, which the value table beside the chart makes plain.
    """
    if low >= 0 and (high == low or low <= (high - low) * 2):
        low = 0
    if high == low:
        high = low + (abs(low) or 1)
    step = _nice_step(high - low, count)
    bottom = math.floor(low / step) * step
    top = math.ceil(high / step) * step
    if top - high < step * 0.1:
        top += step
    if bottom != 0 and low - bottom < step * 0.1:
        bottom = max(bottom - step, 0) if bottom > 0 else bottom - step
    return bottom, top, step


def _ticks(low: float, high: float, step: float) -> list[float]:
    count = round((high - low) / step)
    return [low + i * step for i in range(count + 1)]


def _time_axis(first: float, last: float) -> tuple[float, float, list[float]]:
    """The years axis: whole-year ticks in a round step, a little room at either end."""
    span = max(last - first, 1)
    step = max(1, round(_nice_step(span, 6)))
    pad = max(span * 0.05, 0.6)
    low, high = first - pad, last + pad
    ticks = [float(t) for t in range(math.ceil(low / step) * step, math.floor(high) + 1, step)]
    return low, high, ticks


def _year(value: float) -> str:
    return str(round(value))


def _axis_number(value: float) -> str:
    """German number for an axis: whole numbers without decimals, others with one."""
    if abs(value - round(value)) < 1e-9:
        return format_number(round(value))
    return format_number(value, places=1)


def chart_with_values(chart: Drawing, values: Flowable, *, gap: float = 5 * mm) -> Table:
    """``chart`` with the table of its figures to its right, tops aligned."""
    return Table(
        [[chart, values]],
        colWidths=[chart.width + gap, None],
        style=TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        ),
        hAlign="LEFT",
    )


def euro_axis(value: float) -> str:
    """A value axis label for amounts in euros: ``12.500 €``, or ``1,2 Mio. €`` from a million."""
    if abs(value) >= 1_000_000:
        return f"{format_number(value / 1_000_000, places=1)} Mio. €"
    return f"{format_number(round(value))} €"


def _whole_number(value: float) -> str:
    return format_number(round(value))


def _colours(series: Sequence[Series]) -> list[str]:
    spare = iter(SERIES_COLOURS * (len(series) // len(SERIES_COLOURS) + 1))
    return [s.colour or next(spare) for s in series]


def _shorten(label: str) -> str:
    """``label`` cut to :data:`CATEGORY_LABEL_MAX` characters, right-to-left text reordered."""
    label = label.strip()
    if len(label) > CATEGORY_LABEL_MAX:
        label = label[: CATEGORY_LABEL_MAX - 1].rstrip() + "…"
    return visual_order(label) if has_rtl(label) else label
