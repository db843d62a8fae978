"""Vector charts for the PDF reports (reportlab graphics, never a screenshot).

A chart is a reportlab ``Drawing``: it scales without blur, its labels are text a search finds,
and it is drawn with the embedded DejaVu Sans like the rest of the document. Reports print the
figures they chart, so :func:`chart_with_values` sets a small value table beside the chart.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
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
) -> Drawing:
    """Grouped vertical bars, one group per category, with a legend below.

    ``axis_format`` writes the value axis labels (default: German whole numbers). Category
    labels longer than :data:`CATEGORY_LABEL_MAX` characters are shortened; the value table
    beside the chart carries the full names.
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
    legend.deltax = 60
    legend.dxTextSpace = 4
    legend.dx = 7
    legend.dy = 7
    legend.strokeColor = None
    legend.colorNamePairs = [(HexColor(c), s.name) for c, s in zip(colours, series, strict=True)]
    drawing.add(legend)
    return drawing


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
