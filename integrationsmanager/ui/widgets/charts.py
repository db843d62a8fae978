"""Charts in the program (pyqtgraph): German axes, exact values on hover, save and copy.

:class:`ChartWidget` is the frame every chart shares: a white plot without pyqtgraph's English
menu, zoom or pan; a small menu button "⋮" (and the context menu, and Strg+C on the focused
plot) to save the picture as PNG or copy it; a tooltip with the exact value under the mouse,
in German format; the legend below the plot, never over the data. :class:`BarChart` draws
grouped or stacked bars, :class:`TimeSeriesChart` a series of values with forecasts and a
target. Both read their drawn data back from the pyqtgraph items (``bar_values``,
``actual_points`` …), so tests check what is on screen, not a copy of it.

Colours come from :mod:`integrationsmanager.reports.palette`: a status, a budget or a target
looks the same in the table badge, the chart and the PDF.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from html import escape
from itertools import pairwise
from pathlib import Path
from typing import Any

import pyqtgraph as pg
from pyqtgraph.graphicsItems.ScatterPlotItem import drawSymbol
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPixmap,
    QResizeEvent,
    QTextOption,
)
from PySide6.QtWidgets import (
    QApplication,
    QMenu,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from integrationsmanager.domain.money import format_number
from integrationsmanager.reports.palette import (
    CHART_AXIS,
    CHART_TEXT,
    LINE_COLOUR,
    SERIES_COLOURS,
    TARGET_COLOUR,
)
from integrationsmanager.ui.widgets.files import ask_save_path

FOLDER_KEY = "charts/folder"
"""Settings key of the folder a chart was last saved to."""

NBSP = "\u00a0"
EURO = "€"
PERCENT = "%"

GROUP_WIDTH = 0.78
"""Of the space one category takes along its axis (1.0): the bars of a group and a gap."""

STACK_WIDTH = 0.6
"""Width of a stacked bar, of the space its category takes."""

CATEGORY_LINES = 3
"""Lines a category label may wrap to before it is shortened with "…"."""

Number = float | int | Decimal


# --- formatting ------------------------------------------------------------------------------


def format_value(value: Number, unit: str = "", *, places: int | None = None) -> str:
    """A value as a person reads it: "1.234,5", "28 %", "12.500,00 €", "7.400 Personen".

    Euros get two decimals unless ``places`` says otherwise; other values as many as they
    have (up to three), or exactly ``places``.
    """
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if unit == EURO and places is None:
        places = 2
    text = format_number(number, places=places)
    return f"{text}{NBSP}{unit}" if unit else text


def _places_for(spacing: float) -> int:
    """Decimals a tick label needs at ``spacing`` (0 for whole steps)."""
    if spacing <= 0 or spacing >= 1:
        return 0
    return min(3, math.ceil(-math.log10(spacing) - 1e-9))


def _year_of(x: float) -> int:
    return math.floor(x + 1e-9)


def x_of(when: int | date) -> float:
    """The position on a time axis: a year is the year itself, a date its decimal year."""
    if isinstance(when, date):
        days = 366 if calendar.isleap(when.year) else 365
        return when.year + (when.timetuple().tm_yday - 1) / days
    return float(when)


def date_of(x: float) -> date:
    """The date at decimal year ``x`` (inverse of :func:`x_of` for dates)."""
    year = _year_of(x)
    days = 366 if calendar.isleap(year) else 365
    return date(year, 1, 1) + timedelta(days=round((x - year) * days))


def format_when(when: int | date) -> str:
    return f"{when:%d.%m.%Y}" if isinstance(when, date) else str(when)


# --- axes ------------------------------------------------------------------------------------


def _style_axis(axis: pg.AxisItem) -> None:
    axis.setPen(pg.mkPen(CHART_AXIS))
    axis.setTextPen(pg.mkPen(CHART_TEXT))
    axis.enableAutoSIPrefix(False)


class NumberAxis(pg.AxisItem):
    """A value axis with German separators and a unit: "12.500", "28 %", "12.500 €".

    With ``whole`` (counts) only whole numbers get a tick.
    """

    def __init__(self, unit: str = "", *, orientation: str = "left", whole: bool = False) -> None:
        super().__init__(orientation=orientation)
        # € and % go behind every number; a word ("Personen") once, as the axis title.
        self.unit = unit if unit in (EURO, PERCENT) else ""
        self.whole = whole
        _style_axis(self)
        if unit and not self.unit:
            self.setLabel(unit, color=CHART_TEXT)

    def tickValues(
        self, minVal: float, maxVal: float, size: float
    ) -> list[tuple[float, list[float]]]:
        levels: list[tuple[float, list[float]]] = super().tickValues(minVal, maxVal, size)
        if not self.whole:
            return levels
        kept = [(spacing, values) for spacing, values in levels if spacing >= 1]
        return kept or [(1.0, [float(v) for v in range(math.ceil(minVal), math.floor(maxVal) + 1)])]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        places = _places_for(spacing)
        return [
            format_value(Decimal(round(v * scale, places)), self.unit, places=places)
            for v in values
        ]


class YearAxis(pg.AxisItem):
    """A time axis in whole years ("2023", never "2.023" or "2023,5")."""

    def __init__(self, *, orientation: str = "bottom") -> None:
        super().__init__(orientation=orientation)
        _style_axis(self)

    def tickValues(
        self, minVal: float, maxVal: float, size: float
    ) -> list[tuple[float, list[float]]]:
        levels: list[tuple[float, list[float]]] = super().tickValues(minVal, maxVal, size)
        kept = [(spacing, values) for spacing, values in levels if spacing >= 1]
        return kept or [(1.0, [float(v) for v in range(math.ceil(minVal), math.floor(maxVal) + 1)])]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return [str(round(v)) for v in values]


_MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60, 120)
MIN_YEAR, MAX_YEAR = 1, 9998
"""The decimal years a date axis can label (Python's dates end at 9999)."""


class DateAxis(pg.AxisItem):
    """A time axis over decimal years (:func:`x_of`) with German dates ("31.12.2024").

    Ticks fall on the data's own reference dates while their labels fit side by side, else on
    the first of a month, every 1, 2, 3, 6 months or 1, 2, 5, 10 years, as many as fit.
    """

    def __init__(self, dates: Sequence[date] = (), *, orientation: str = "bottom") -> None:
        super().__init__(orientation=orientation)
        self.dates = sorted(set(dates))
        _style_axis(self)

    def tickValues(
        self, minVal: float, maxVal: float, size: float
    ) -> list[tuple[float, list[float]]]:
        if not (MIN_YEAR <= minVal < maxVal <= MAX_YEAR) or size <= 0:
            return []  # e.g. pyqtgraph's range 0…1 before the data arrives: no dates there
        label = QFontMetricsF(self.font()).horizontalAdvance("00.00.0000") * 1.3
        own = [x_of(d) for d in self.dates if minVal <= x_of(d) <= maxVal]
        gaps = [b - a for a, b in pairwise(own)]
        if own and min(gaps, default=maxVal - minVal) * size / (maxVal - minVal) >= label:
            return [(0.0, own)]
        room = max(int(size // label), 1)
        months = (maxVal - minVal) * 12
        step = next((s for s in _MONTH_STEPS if months / s <= room), _MONTH_STEPS[-1])
        start = date_of(minVal)
        index = start.year * 12 + start.month - 1
        index += -index % step
        if date(index // 12, index % 12 + 1, 1) < start:
            index += step
        values: list[float] = []
        while True:
            x = x_of(date(index // 12, index % 12 + 1, 1))
            if x > maxVal:
                break
            values.append(x)
            index += step
        return [(step / 12, values)]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return [f"{date_of(v):%d.%m.%Y}" for v in values]


def wrap_label(text: str, width: float, metrics: QFontMetricsF, lines: int) -> str:
    """``text`` broken at spaces into at most ``lines`` lines of ``width``; the rest "…"."""
    result: list[str] = []
    words = text.split()
    while words and len(result) < lines:
        line = words.pop(0)
        while words and metrics.horizontalAdvance(f"{line} {words[0]}") <= width:
            line = f"{line} {words.pop(0)}"
        result.append(line)
    if words:
        result[-1] = f"{result[-1]} {' '.join(words)}"
    elide = Qt.TextElideMode.ElideRight
    return "\n".join(metrics.elidedText(line, elide, width) for line in result)


class CategoryAxis(pg.AxisItem):
    """Names at the positions 0, 1, 2 … (one per bar group), wrapped to fit their room.

    Along the bottom a label gets the width of its category; along the left side the axis
    width given to :meth:`fit`.
    """

    def __init__(self, labels: Sequence[str], *, orientation: str = "bottom") -> None:
        super().__init__(orientation=orientation)
        self.labels = list(labels)
        self._wrap_width = 0.0
        self._lines = CATEGORY_LINES
        _style_axis(self)

    def _metrics(self) -> QFontMetricsF:
        return QFontMetricsF(self.style["tickFont"] or self.font())

    def fit(self, max_width: float) -> None:
        """Size the axis for its labels (wrapped at ``max_width`` pixels) before any paint."""
        metrics = self._metrics()
        line = metrics.height()
        gap = (
            self.style["tickLength"] + self.style["tickTextOffset"][0] + metrics.averageCharWidth()
        )
        if self.orientation in ("left", "right"):
            lines = [
                line
                for label in self.labels
                for line in wrap_label(label, max_width, metrics, CATEGORY_LINES).split("\n")
            ]
            self._wrap_width = max((metrics.horizontalAdvance(t) for t in lines), default=0.0)
            self.setWidth(int(self._wrap_width + gap + 2))
        else:
            self._wrap_width = max_width
            rows = max(
                (wrap_label(t, max_width, metrics, CATEGORY_LINES).count("\n") + 1)
                for t in self.labels or [""]
            )
            self.setHeight(int(rows * line + self.style["tickTextOffset"][1] + line * 0.6))

    def tickValues(
        self, minVal: float, maxVal: float, size: float
    ) -> list[tuple[float, list[float]]]:
        low, high = sorted((minVal, maxVal))  # an inverted view hands them over reversed
        if high > low:
            room = size / (high - low)
            if self.orientation in ("top", "bottom"):
                self._wrap_width = room * 0.95
            else:
                fitting = int(room * 0.9 // self._metrics().lineSpacing())  # a gap between
                self._lines = max(1, min(CATEGORY_LINES, fitting))
        shown = [float(i) for i in range(len(self.labels)) if low <= i <= high]
        return [(1.0, shown)]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        metrics = self._metrics()
        width = self._wrap_width or 1e9
        return [wrap_label(self.labels[round(v)], width, metrics, self._lines) for v in values]


class LegendSample(pg.ItemSample):
    """A legend entry's picture: a filled square for bars, line and marker for a series.

    Sized by the font; clicking it does nothing (pyqtgraph would hide the series, by mouse
    only, leaving the tooltips and the saved picture out of step).
    """

    def __init__(self, item: pg.GraphicsObject) -> None:
        super().__init__(item)
        self._extent = round(QFontMetricsF(QApplication.font()).height())
        wide = not isinstance(item, pg.BarGraphItem)
        self.setFixedWidth(self._extent * (2 if wide else 1))
        self.setFixedHeight(self._extent)

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self.width(), self.height())

    def paint(self, painter: QPainter, *args: object) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        extent = self._extent
        opts = self.item.opts
        if isinstance(self.item, pg.BarGraphItem):
            painter.setPen(pg.mkPen(opts["pen"]))
            painter.setBrush(pg.mkBrush(opts["brush"]))
            inset = extent * 0.12
            painter.drawRect(QRectF(inset, inset, extent - 2 * inset, extent - 2 * inset))
            return
        middle = extent / 2
        painter.setPen(pg.mkPen(opts["pen"]))
        painter.drawLine(QPointF(0, middle), QPointF(self.width(), middle))
        if opts.get("symbol") is not None:
            scatter = self.item.scatter.opts
            painter.translate(self.width() / 2, middle)
            drawSymbol(
                painter,
                opts["symbol"],
                scatter["size"],
                pg.mkPen(scatter["pen"]),
                pg.mkBrush(scatter["brush"]),
            )

    def mouseClickEvent(self, event: Any) -> None:
        event.ignore()


# --- the frame every chart shares ------------------------------------------------------------


class ChartWidget(QWidget):
    """A white pyqtgraph plot with German save/copy (button, context menu, Strg+C) and tooltips.

    Subclasses draw into :attr:`plot` and answer :meth:`hover_text`. The owner shows
    :attr:`status_message` in the status bar ("Diagramm gespeichert: …").
    """

    status_message = Signal(str)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        name: str,
        file_name: str = "Diagramm.png",
        menu_button: bool = True,
    ) -> None:
        super().__init__(parent)
        self.file_name = file_name
        self.plot_widget = pg.PlotWidget(parent=self, background="w")
        self.plot: pg.PlotItem = self.plot_widget.getPlotItem()
        self.plot_widget.setMenuEnabled(False)
        self.plot_widget.setMouseEnabled(x=False, y=False)
        self.plot_widget.hideButtons()
        self.plot_widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.plot_widget.setMinimumHeight(round(self.fontMetrics().height() * 14))
        self.plot_widget.setMinimumWidth(round(self.fontMetrics().averageCharWidth() * 45))
        self.plot.getViewBox().setMouseEnabled(x=False, y=False)
        self.plot.layout.setContentsMargins(*(self.fontMetrics().averageCharWidth(),) * 4)
        for side in ("left", "bottom"):
            _style_axis(self.plot.getAxis(side))
        self.legend = self._make_legend(1)
        self._legend_entries: list[tuple[pg.GraphicsObject, str]] = []
        # The title centred over the whole chart, not just the plot area right of the axis.
        self.plot.layout.removeItem(self.plot.titleLabel)
        self.plot.layout.addItem(self.plot.titleLabel, 0, 0, 1, 3)
        self._title = ""

        self.menu = QMenu(self)
        self.save_action = self.menu.addAction("Als PNG speichern …", self.request_save)
        self.copy_action = self.menu.addAction("In die Zwischenablage kopieren", self.request_copy)
        self.copy_action.setShortcut(QKeySequence.StandardKey.Copy)
        self.menu_button = QToolButton(self)
        self.menu_button.setText("⋮")  # the usual "more" menu; its name says what it holds
        self.menu_button.setToolTip(
            "Diagramm als PNG speichern oder kopieren (auch mit der rechten Maustaste)"
        )
        self.menu_button.setMenu(self.menu)
        self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu_button.setAutoRaise(True)
        self.menu_button.setVisible(menu_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot_widget)
        self.set_accessible_name(name)
        self.plot_widget.scene().sigMouseMoved.connect(self._on_scene_mouse_moved)
        self.plot_widget.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.plot_widget.customContextMenuRequested.connect(self._on_context_menu_requested)
        # Resizes (title, legend, labels follow the width) and Strg+C on the focused plot.
        self.plot_widget.installEventFilter(self)

    # --- naming and title --------------------------------------------------------------------

    def set_accessible_name(self, name: str) -> None:
        """What a screen reader says for the chart and its button."""
        self.setAccessibleName(name)
        self.plot_widget.setAccessibleName(name)
        self.plot_widget.viewport().setAccessibleName(name)
        self.menu_button.setAccessibleName(f"{name}: speichern oder kopieren")

    def set_description(self, text: str) -> None:
        """The figures in words, for screen readers (the tooltip needs a mouse)."""
        self.plot_widget.setAccessibleDescription(text)
        self.plot_widget.viewport().setAccessibleDescription(text)

    def set_title(self, title: str) -> None:
        """A heading drawn into the plot (so it is part of the saved picture)."""
        self._title = title
        self._layout_title()

    def _layout_title(self) -> None:
        """The title centred, wrapped to two lines clear of the button, then shortened."""
        font = QFont(QApplication.font())
        font.setPointSizeF(font.pointSizeF() * 1.1)
        font.setBold(True)
        metrics = QFontMetricsF(font)
        button = self.menu_button.sizeHint().width() if self.menu_button.isVisibleTo(self) else 0
        room = max(self.plot_widget.width() - 2 * (button + metrics.averageCharWidth()), 80)
        wrapped = wrap_label(self._title, room, metrics, 2) if self._title else ""
        lines = wrapped.count("\n") + 1
        self.plot.setTitle(
            escape(wrapped).replace("\n", "<br>") or None,
            color=CHART_TEXT,
            size=f"{font.pointSizeF():g}pt",
            bold=True,
        )
        text = self.plot.titleLabel.item
        text.setTextWidth(-1)  # its natural width (a former title may have fixed one)
        if lines > 1:  # centre every line, not only the block
            text.setTextWidth(text.boundingRect().width())
            text.document().setDefaultTextOption(QTextOption(Qt.AlignmentFlag.AlignHCenter))
        if self._title or self.menu_button.isVisibleTo(self):
            # Room for the title and, at its right end, the button (never over the data).
            row = round(
                max(metrics.lineSpacing() * (lines + 0.6), self.menu_button.sizeHint().height())
            )
            self.plot.layout.setRowFixedHeight(0, row)
            self.plot.titleLabel.setMaximumHeight(row)
            self.plot.titleLabel.setVisible(True)
        self._place_button()

    @property
    def title(self) -> str:
        return self._title

    # --- picture -----------------------------------------------------------------------------

    def picture(self) -> QPixmap:
        """The chart as drawn (title, axes, legend; not the button)."""
        return self.plot_widget.grab()

    def image(self) -> QImage:
        return self.picture().toImage()

    def save_png(self, path: Path) -> bool:
        return self.picture().save(str(path), "PNG")

    def copy_to_clipboard(self) -> None:
        QApplication.clipboard().setImage(self.image())

    def request_save(self) -> None:
        """Ask where to save, write the PNG, say so in the status bar."""
        path = ask_save_path(
            self,
            caption="Diagramm speichern",
            name=self.file_name,
            file_filter="PNG-Bild (*.png)",
            folder_key=FOLDER_KEY,
        )
        if path is None:
            return
        if self.save_png(path):
            self.status_message.emit(f"Diagramm gespeichert: {path.name}")
        else:
            self.status_message.emit(f"Diagramm konnte nicht gespeichert werden: {path.name}")

    def request_copy(self) -> None:
        self.copy_to_clipboard()
        self.status_message.emit("Diagramm in die Zwischenablage kopiert")

    # --- hover -------------------------------------------------------------------------------

    def hover_text(self, point: QPointF, scene_position: QPointF) -> str | None:
        """The tooltip for the plot coordinates ``point`` (None: nothing there)."""
        return None

    def _on_scene_mouse_moved(self, position: QPointF) -> None:
        view_box = self.plot.getViewBox()
        text = None
        if view_box.sceneBoundingRect().contains(position):
            text = self.hover_text(view_box.mapSceneToView(position), position)
        if text is None:
            QToolTip.hideText()
            return
        global_pos = self.plot_widget.mapToGlobal(self.plot_widget.mapFromScene(position))
        QToolTip.showText(global_pos, text, self.plot_widget)

    def _on_context_menu_requested(self, position: QPoint) -> None:
        self.menu.exec(self.plot_widget.mapToGlobal(position))

    # --- layout ------------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_button()

    def _on_plot_resized(self) -> None:
        """Fit what depends on the plot's width (its layout sets it after our resize)."""
        self._layout_title()
        self._finish_legend()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            if watched is self.plot_widget:
                self._on_plot_resized()
            self._place_button()
        elif (
            watched is self.plot_widget
            and isinstance(event, QKeyEvent)
            and event.type() in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride)
            and event.matches(QKeySequence.StandardKey.Copy)
        ):
            # Claimed on ShortcutOverride so no window-wide Strg+C takes it first.
            if event.type() == QEvent.Type.KeyPress:
                self.request_copy()
            event.accept()
            return True
        return super().eventFilter(watched, event)

    def _place_button(self) -> None:
        """Top right, over the title row of the plot (a sibling, so never in the picture)."""
        hint = self.menu_button.sizeHint()
        margin = self.fontMetrics().averageCharWidth()
        self.menu_button.resize(hint)
        self.menu_button.move(self.plot_widget.geometry().right() - hint.width() - margin, 1)
        self.menu_button.raise_()

    def _fit_value_axis(self, axis: pg.AxisItem, labels: Sequence[str]) -> None:
        """Room for the widest value label up front (pyqtgraph widens only after a paint)."""
        metrics = QFontMetricsF(axis.style["tickFont"] or axis.font())
        widest = max((metrics.horizontalAdvance(t) for t in labels), default=0.0)
        if axis.orientation in ("left", "right"):
            title = axis.label.boundingRect().height() * 0.8 if axis.label.isVisible() else 0
            axis.setWidth(int(widest + metrics.averageCharWidth() * 2 + title))
        else:
            axis.setHeight(int(metrics.height() * 1.8))

    def _make_legend(self, columns: int) -> pg.LegendItem:
        """A legend below the plot (row 4 of pyqtgraph's plot layout), never over the data."""
        font = QApplication.font()
        legend = pg.LegendItem(
            labelTextColor=CHART_TEXT,
            labelTextSize=f"{font.pointSizeF():g}pt",
            frame=False,
            sampleType=LegendSample,
            horSpacing=round(QFontMetricsF(font).averageCharWidth()),
            colCount=columns,
        )
        self.plot.layout.addItem(legend, 4, 1)
        return legend

    def set_legend(self, entries: Sequence[tuple[pg.GraphicsObject, str]]) -> None:
        """Show ``entries`` (item, name) in the legend, replacing what it showed."""
        self._legend_entries = list(entries)
        self._finish_legend(rebuild=True)

    def legend_names(self) -> list[str]:
        return [label.text for _, label in self.legend.items]

    def _finish_legend(self, *, rebuild: bool = False) -> None:
        """All entries in one row if they fit, else as many columns as fit.

        pyqtgraph's legend keeps the grid of removed entries, so a change builds a new one.
        """
        entries = self._legend_entries
        metrics = QFontMetricsF(QApplication.font())
        widest = max(
            (metrics.horizontalAdvance(name) + metrics.height() * 3 for _, name in entries),
            default=1.0,
        )
        room = max(self.plot_widget.width() - metrics.averageCharWidth() * 12, widest)
        columns = max(1, min(len(entries), int(room // widest)))
        if not rebuild and columns == self.legend.columnCount:
            return
        self.plot.layout.removeItem(self.legend)
        if self.legend.scene() is not None:
            self.legend.scene().removeItem(self.legend)
        self.legend = self._make_legend(columns)
        for item, name in entries:
            self.legend.addItem(item, name)
        for _, label in self.legend.items:
            self.legend.layout.setAlignment(label, Qt.AlignmentFlag.AlignVCenter)
        self.legend.setVisible(bool(entries))
        self.legend.updateSize()
        self.legend.setFixedHeight(self.legend.height())


# --- bars ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BarSeries:
    """One set of bars: its legend name, a value per category and a hex colour ("" = next)."""

    name: str
    values: Sequence[Number]
    colour: str = ""


SeriesInput = BarSeries | tuple[str, Sequence[Number], str]


class BarChart(ChartWidget):
    """Grouped or stacked bars over categories, vertical or horizontal.

    ``bars`` holds the drawn pyqtgraph items, one per series; :meth:`bar_values` and
    :meth:`bar_at` read them back.
    """

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        name: str = "Diagramm",
        file_name: str = "Diagramm.png",
        menu_button: bool = True,
    ) -> None:
        super().__init__(parent, name=name, file_name=file_name, menu_button=menu_button)
        self.bars: list[pg.BarGraphItem] = []
        self.categories: list[str] = []
        self.series_names: list[str] = []
        self.unit = ""
        self.stacked = False
        self.horizontal = False
        self._empty = pg.TextItem(
            "Keine Daten für diese Auswahl", color=CHART_TEXT, anchor=(0.5, 0.5)
        )
        self._empty.setVisible(False)
        self.plot.addItem(self._empty, ignoreBounds=True)
        self._set_axes(horizontal=False, labels=[], unit="", whole=False)

    def set_data(
        self,
        categories: Sequence[str],
        series: Sequence[SeriesInput],
        *,
        stacked: bool = False,
        unit: str = "",
        horizontal: bool = False,
        title: str | None = None,
    ) -> None:
        """Draw a bar per category and series (or a pile per category with ``stacked``)."""
        chosen = [s if isinstance(s, BarSeries) else BarSeries(*s) for s in series]
        for item in self.bars:
            self.plot.removeItem(item)
        self.bars = []
        self.categories = list(categories)
        self.series_names = [s.name for s in chosen]
        self.unit = unit
        self.stacked = stacked
        self.horizontal = horizontal
        if title is not None:
            self.set_title(title)
        values = [[float(v) for v in s.values] for s in chosen]
        whole = all(float(v).is_integer() for row in values for v in row)
        self._set_axes(horizontal=horizontal, labels=self.categories, unit=unit, whole=whole)

        count = len(chosen)
        slot = GROUP_WIDTH / max(count, 1)
        positions = list(range(len(self.categories)))
        base = [0.0] * len(self.categories)
        spare = iter(SERIES_COLOURS * (count // len(SERIES_COLOURS) + 1))
        for index, (one, heights) in enumerate(zip(chosen, values, strict=True)):
            colour = QColor(one.colour or next(spare))
            if stacked:
                centres = [float(p) for p in positions]
                thickness = STACK_WIDTH
                starts = list(base)
                base = [b + h for b, h in zip(base, heights, strict=True)]
            else:
                offset = (index - (count - 1) / 2) * slot
                centres = [p + offset for p in positions]
                thickness = slot * 0.9
                starts = [0.0] * len(positions)
            geometry: dict[str, Any] = (
                {"y": centres, "height": thickness, "x0": starts, "width": heights}
                if horizontal
                else {"x": centres, "width": thickness, "y0": starts, "height": heights}
            )
            item = pg.BarGraphItem(
                **geometry,
                brush=QBrush(colour),
                pen=pg.mkPen(colour.darker(130)),
            )
            self.plot.addItem(item)
            self.bars.append(item)
        shown = stacked or count > 1  # a single series needs no legend
        self.set_legend([(b, s.name) for b, s in zip(self.bars, chosen, strict=True) if shown])

        tops = base if stacked else [v for row in values for v in row]
        highest = max(tops, default=0.0)
        lowest = min((v for row in values for v in row), default=0.0)
        top = highest * 1.12 if highest > 0 else 1.0
        # Horizontal bars leave a sliver left of 0 so the axis can print its "0".
        span = (min(lowest, 0.0) - (top * 0.015 if horizontal else 0.0), top)
        categories_span = (-0.6, max(len(self.categories) - 0.4, 0.6))
        if horizontal:
            self.plot.setXRange(*span, padding=0)
            self.plot.setYRange(*categories_span, padding=0)
        else:
            self.plot.setXRange(*categories_span, padding=0)
            self.plot.setYRange(*span, padding=0)
        self._fit_value_axis(self.value_axis, [format_value(Decimal(round(v)), unit) for v in span])
        self._empty.setVisible(not self.categories or not chosen or highest == lowest == 0)
        middle = sum(categories_span) / 2
        self._empty.setPos(*((span[1] / 2, middle) if horizontal else (middle, span[1] / 2)))
        self.set_description(self.summary())

    def _set_axes(self, *, horizontal: bool, labels: list[str], unit: str, whole: bool) -> None:
        value_axis = NumberAxis(unit, orientation="bottom" if horizontal else "left", whole=whole)
        category_axis = CategoryAxis(labels, orientation="left" if horizontal else "bottom")
        if horizontal:
            self.plot.setAxisItems({"left": category_axis, "bottom": value_axis})
        else:
            self.plot.setAxisItems({"left": value_axis, "bottom": category_axis})
        self.plot.getViewBox().invertY(horizontal)
        self.plot.showGrid(x=horizontal, y=not horizontal, alpha=0.25)
        self.value_axis = value_axis
        self.category_axis = category_axis
        self._fit_category_axis()

    def _on_plot_resized(self) -> None:
        super()._on_plot_resized()
        self._fit_category_axis()

    def _fit_category_axis(self) -> None:
        """Labels get the width of their category (vertical bars) or up to a third of the
        chart, at most 30 characters (horizontal bars)."""
        char = self.fontMetrics().averageCharWidth()
        if self.horizontal:
            self.category_axis.fit(min(char * 30, max(self.plot_widget.width() / 3, char * 10)))
        else:
            per_category = self.plot_widget.width() / (len(self.categories) + 0.2) * 0.95
            self.category_axis.fit(max(per_category, char * 8))

    # --- reading back ------------------------------------------------------------------------

    def bar_values(self, series: int) -> list[float]:
        """The drawn lengths of one series (heights, or widths of horizontal bars)."""
        key = "width" if self.horizontal else "height"
        return [float(v) for v in self.bars[series].opts[key]]

    def bar_bases(self, series: int) -> list[float]:
        """Where each bar of ``series`` starts (0, or the top of the bar below when stacked)."""
        key = "x0" if self.horizontal else "y0"
        return [float(v) for v in self.bars[series].opts[key]]

    def bar_centres(self, series: int) -> list[float]:
        key = "y" if self.horizontal else "x"
        return [float(v) for v in self.bars[series].opts[key]]

    def bar_colour(self, series: int) -> str:
        return str(QBrush(self.bars[series].opts["brush"]).color().name())

    def bar_at(self, point: QPointF) -> tuple[int, int] | None:
        """(category, series) of the bar under ``point`` in plot coordinates, if any."""
        along, across = (point.y(), point.x()) if self.horizontal else (point.x(), point.y())
        for series, item in enumerate(self.bars):
            thickness = float(item.opts["height" if self.horizontal else "width"])
            for category, (centre, start, length) in enumerate(
                zip(
                    self.bar_centres(series),
                    self.bar_bases(series),
                    self.bar_values(series),
                    strict=True,
                )
            ):
                low, high = sorted((start, start + length))
                if abs(along - centre) <= thickness / 2 and low <= across <= high and length:
                    return category, series
        return None

    def describe_bar(self, category: int, series: int) -> str:
        """ "1 Bildung · laufend: 3" (the series name left out when there is only one)."""
        value = format_value(self.bar_values(series)[category], self.unit)
        name = self.series_names[series]
        shown = f" · {name}" if name and (len(self.bars) > 1 or self.stacked) else ""
        return f"{self.categories[category]}{shown}: {value}"

    def summary(self) -> str:
        """Every bar in words, category by category (the accessible description)."""
        parts = []
        for category, label in enumerate(self.categories):
            figures = ", ".join(
                f"{name} {format_value(self.bar_values(s)[category], self.unit)}"
                for s, name in enumerate(self.series_names)
            )
            parts.append(f"{label}: {figures}")
        return "; ".join(parts)

    def hover_text(self, point: QPointF, scene_position: QPointF) -> str | None:
        found = self.bar_at(point)
        return self.describe_bar(*found) if found is not None else None


# --- time series -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesPoint:
    """A value for a year (``int``) or a reference date, measured or forecast."""

    when: int | date
    value: Number
    forecast: bool = False


PointInput = SeriesPoint | tuple[int | date, Number] | tuple[int | date, Number, bool]

ACTUAL_LABEL = "Wert"
FORECAST_LABEL = "Prognose"


class TimeSeriesChart(ChartWidget):
    """Values over years or dates: measured ones solid with filled markers, forecasts dashed
    with hollow markers (joined to the last measured value), a target as a dashed line to a
    diamond at its year ("Ziel 2030: 80.000")."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        name: str = "Zeitreihe",
        file_name: str = "Zeitreihe.png",
        menu_button: bool = True,
    ) -> None:
        super().__init__(parent, name=name, file_name=file_name, menu_button=menu_button)
        self.unit = ""
        self.points: list[SeriesPoint] = []
        self.target: tuple[int, Number] | None = None
        marker = round(QFontMetricsF(QApplication.font()).height() * 0.55)
        solid = pg.mkPen(LINE_COLOUR, width=2)
        dashed = pg.mkPen(LINE_COLOUR, width=2, style=Qt.PenStyle.DashLine)
        target_pen = pg.mkPen(TARGET_COLOUR, width=2, style=Qt.PenStyle.DashLine)
        self.actual_item = pg.PlotDataItem(
            pen=solid, symbol="o", symbolSize=marker, symbolBrush=LINE_COLOUR, symbolPen=solid
        )
        self.bridge_item = pg.PlotDataItem(pen=dashed)
        self.forecast_item = pg.PlotDataItem(
            pen=dashed, symbol="o", symbolSize=marker, symbolBrush="w", symbolPen=solid
        )
        self.target_item = pg.PlotDataItem(pen=target_pen)
        self.target_marker = pg.PlotDataItem(
            pen=target_pen,
            symbol="d",
            symbolSize=round(marker * 1.4),
            symbolBrush=TARGET_COLOUR,
            symbolPen=pg.mkPen(TARGET_COLOUR),
        )
        for z, item in enumerate(
            (
                self.target_item,
                self.target_marker,
                self.bridge_item,
                self.forecast_item,
                self.actual_item,
            )
        ):
            item.setZValue(z)
            self.plot.addItem(item)
        self.plot.showGrid(x=False, y=True, alpha=0.25)
        self._set_axes(dates=(), unit="")

    def set_series(
        self,
        points: Sequence[PointInput],
        *,
        target: tuple[int, Number] | None = None,
        unit: str = "",
        title: str = "",
        name: str = ACTUAL_LABEL,
    ) -> None:
        """Draw ``points`` (any order); ``target`` is (year, value) of the goal."""
        chosen = sorted(
            (p if isinstance(p, SeriesPoint) else SeriesPoint(*p) for p in points),
            key=lambda p: x_of(p.when),
        )
        self.points = chosen
        self.target = target
        self.unit = unit
        self.set_title(title)
        when = [p.when for p in chosen]
        dates = any(isinstance(w, date) for w in when)
        self._set_axes(dates=[w for w in when if isinstance(w, date)], unit=unit)
        actual = [(x_of(p.when), float(p.value)) for p in chosen if not p.forecast]
        forecast = [(x_of(p.when), float(p.value)) for p in chosen if p.forecast]
        self.actual_item.setData(*_columns(actual))
        self.forecast_item.setData(*_columns(forecast))
        bridge: list[tuple[float, float]] = []
        if actual and forecast:
            before = [a for a in actual if a[0] <= forecast[0][0]]
            if before:
                bridge = [before[-1], forecast[0]]
        self.bridge_item.setData(*_columns(bridge))
        xs = [x for x, _ in actual + forecast]
        ys = [y for _, y in actual + forecast]
        entries: list[tuple[pg.GraphicsObject, str]] = []
        if actual:
            entries.append((self.actual_item, name))
        if forecast:
            entries.append((self.forecast_item, FORECAST_LABEL))
        if target is not None:
            target_x = x_of(date(target[0], 12, 31)) if dates else float(target[0])
            start = min([*xs, target_x])
            self.target_item.setData([start, target_x], [float(target[1])] * 2)
            self.target_marker.setData([target_x], [float(target[1])])
            entries.append((self.target_marker, self.target_label()))
            xs.append(target_x)
            ys.append(float(target[1]))
        else:
            self.target_item.setData([], [])
            self.target_marker.setData([], [])
        self.set_legend(entries)
        self._set_ranges(xs, ys, dates=dates)
        self.set_description(self.summary())

    def target_label(self) -> str:
        if self.target is None:
            return ""
        return f"Ziel {self.target[0]}: {format_value(self.target[1], self.unit)}"

    def _set_axes(self, *, dates: Sequence[date], unit: str) -> None:
        bottom: pg.AxisItem = DateAxis(dates) if dates else YearAxis()
        self.value_axis = NumberAxis(unit)
        self.plot.setAxisItems({"left": self.value_axis, "bottom": bottom})
        self.plot.showGrid(x=False, y=True, alpha=0.25)
        metrics = QFontMetricsF(QApplication.font())
        margin = metrics.averageCharWidth()
        # A date under the first or last tick may reach past the plot: let it, and keep room.
        overhang = metrics.horizontalAdvance("00.00.0000") / 2 + 2 if dates else margin
        bottom.setStyle(hideOverlappingLabels=int(overhang))
        self.plot.layout.setContentsMargins(margin, margin, max(margin, overhang), margin)

    def _set_ranges(self, xs: list[float], ys: list[float], *, dates: bool) -> None:
        if not xs:
            self.plot.setXRange(0, 1, padding=0)
            self.plot.setYRange(0, 1, padding=0)
            return
        pad_x = max((max(xs) - min(xs)) * 0.04, 0.5 if not dates else 0.1)
        self.plot.setXRange(min(xs) - pad_x, max(xs) + pad_x, padding=0)
        low, high = min(ys), max(ys)
        pad_y = (high - low) * 0.12 or abs(high) * 0.1 or 1.0
        bottom = low - pad_y
        if low >= 0 > bottom:
            bottom = 0.0
        self.plot.setYRange(bottom, high + pad_y, padding=0)
        self._fit_value_axis(
            self.value_axis, self.value_axis.tickStrings([bottom, high + pad_y], 1.0, 1.0)
        )

    # --- reading back ------------------------------------------------------------------------

    def actual_points(self) -> list[tuple[float, float]]:
        """(x, value) of the measured values as drawn (x: year, or decimal year of a date)."""
        return _rows(self.actual_item)

    def forecast_points(self) -> list[tuple[float, float]]:
        return _rows(self.forecast_item)

    def forecast_bridge(self) -> list[tuple[float, float]]:
        """The dashed piece from the last measured value to the first forecast."""
        return _rows(self.bridge_item)

    def target_line(self) -> tuple[float, float] | None:
        """(x, value) of the target's marker; the dashed line runs at that value up to it."""
        rows = _rows(self.target_marker)
        return rows[0] if rows else None

    def summary(self) -> str:
        parts = [
            f"{format_when(p.when)}{' (Prognose)' if p.forecast else ''}: "
            f"{format_value(p.value, self.unit)}"
            for p in self.points
        ]
        if self.target is not None:
            parts.append(self.target_label())
        return "; ".join(parts)

    def hover_text(self, point: QPointF, scene_position: QPointF) -> str | None:
        view_box = self.plot.getViewBox()
        reach = QFontMetricsF(QApplication.font()).height()
        best: tuple[float, str] | None = None
        candidates = [(x_of(p.when), float(p.value), self._describe_point(p)) for p in self.points]
        marker = self.target_line()
        if marker is not None:
            candidates.append((*marker, self.target_label()))
        for x, y, text in candidates:
            scene = view_box.mapViewToScene(QPointF(x, y))
            distance = math.hypot(scene.x() - scene_position.x(), scene.y() - scene_position.y())
            if distance <= reach and (best is None or distance < best[0]):
                best = (distance, text)
        return best[1] if best is not None else None

    def _describe_point(self, point: SeriesPoint) -> str:
        kind = " (Prognose)" if point.forecast else ""
        return f"{format_when(point.when)}{kind}: {format_value(point.value, self.unit)}"


def _columns(rows: list[tuple[float, float]]) -> tuple[list[float], list[float]]:
    return [x for x, _ in rows], [y for _, y in rows]


def _rows(item: pg.PlotDataItem) -> list[tuple[float, float]]:
    xs, ys = item.getData()
    if xs is None or ys is None:
        return []
    return [(float(x), float(y)) for x, y in zip(xs, ys, strict=True)]
