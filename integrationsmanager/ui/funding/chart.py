"""The budget chart: three bars per programme (budget, approved, paid), German numbers.

pyqtgraph draws it; the axis speaks German ("12.500 €"), hovering a bar shows its exact
amount, and the picture can be saved as PNG or copied for a presentation. pyqtgraph's own
(English) context menu is switched off; the page offers the two actions in German instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPixmap
from PySide6.QtWidgets import QApplication, QMenu, QToolTip, QVBoxLayout, QWidget

from integrationsmanager.domain.money import format_money, format_number

SERIES: tuple[tuple[str, str, Qt.BrushStyle], ...] = (
    ("Budget", "#0072B2", Qt.BrushStyle.SolidPattern),
    ("Bewilligt", "#E69F00", Qt.BrushStyle.SolidPattern),
    ("Ausgezahlt", "#009E73", Qt.BrushStyle.SolidPattern),
)
"""Name, colour (Okabe–Ito, told apart with colour-vision deficiencies) and fill per bar."""

BAR_WIDTH = 0.26
"""Of the space one programme takes on the x axis (1.0); three bars and a gap."""


@dataclass(frozen=True)
class ChartGroup:
    """One programme's bars: its short name and the three amounts in cents."""

    label: str
    cents: tuple[int, int, int]


class EuroAxis(pg.AxisItem):
    """A value axis in euros with German separators ("12.500 €")."""

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return [f"{format_number(Decimal(round(v)))} €" for v in values]


class BudgetChart(QWidget):
    """Grouped bars per programme; ``bars`` holds the drawn items (one per series).

    The right-click menu asks the owner to save or copy (who then says so in the status bar).
    """

    save_requested = Signal()
    copy_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._groups: tuple[ChartGroup, ...] = ()
        self.plot_widget = pg.PlotWidget(
            parent=self, background="w", axisItems={"left": EuroAxis(orientation="left")}
        )
        name = "Diagramm: Budget, Bewilligt und Ausgezahlt je Programm"
        self.plot_widget.setAccessibleName(name)
        self.plot_widget.viewport().setAccessibleName(name)
        self.plot_widget.setMenuEnabled(False)
        self.plot_widget.setMouseEnabled(x=False, y=False)
        self.plot_widget.hideButtons()
        self.plot_widget.setMinimumHeight(self.fontMetrics().height() * 14)
        plot = self.plot_widget.getPlotItem()
        plot.showGrid(x=False, y=True, alpha=0.25)
        for side in ("left", "bottom"):
            axis = plot.getAxis(side)
            axis.setPen(pg.mkPen("#555555"))
            axis.setTextPen(pg.mkPen("#222222"))
        # Room for the widest label up front (pyqtgraph would widen only after a paint).
        widest = self.fontMetrics().horizontalAdvance("888.888.888 €")
        plot.getAxis("left").setWidth(widest + self.fontMetrics().averageCharWidth() * 2)
        self.legend = plot.addLegend(offset=(-10, 10), labelTextColor="#222222")
        self.bars: list[pg.BarGraphItem] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot_widget)
        self.plot_widget.scene().sigMouseMoved.connect(self._on_scene_mouse_moved)
        self.plot_widget.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.plot_widget.customContextMenuRequested.connect(self._on_context_menu_requested)

    def set_groups(self, groups: Sequence[ChartGroup]) -> None:
        """Draw ``groups`` (in their order along the x axis)."""
        self._groups = tuple(groups)
        plot = self.plot_widget.getPlotItem()
        for item in self.bars:
            plot.removeItem(item)
        self.legend.clear()
        self.bars = []
        for series, (name, colour, style) in enumerate(SERIES):
            heights = [group.cents[series] / 100 for group in self._groups]
            xs = [index + (series - 1) * BAR_WIDTH for index in range(len(self._groups))]
            item = pg.BarGraphItem(
                x=xs,
                height=heights,
                width=BAR_WIDTH * 0.9,
                brush=QBrush(QColor(colour), style),
                pen=pg.mkPen(QColor(colour).darker(130)),
                name=name,
            )
            plot.addItem(item)  # named: the legend lists it
            self.bars.append(item)
        ticks = [(index, group.label) for index, group in enumerate(self._groups)]
        plot.getAxis("bottom").setTicks([ticks])
        highest = max((max(g.cents) for g in self._groups), default=0) / 100
        plot.setXRange(-0.6, max(len(self._groups) - 0.4, 0.6), padding=0)
        plot.setYRange(0, highest * 1.15 if highest > 0 else 1, padding=0)

    def bar_heights(self, series: int) -> list[float]:
        """The drawn heights of one series, in euros (for tests and the tooltip)."""
        return [float(h) for h in self.bars[series].opts["height"]]

    def bar_at(self, point: QPointF) -> tuple[int, int] | None:
        """(group, series) of the bar under ``point`` in the plot's coordinates, if any."""
        for series in range(len(self.bars)):
            for group, cents in enumerate(g.cents[series] for g in self._groups):
                centre = group + (series - 1) * BAR_WIDTH
                inside_x = abs(point.x() - centre) <= BAR_WIDTH * 0.45
                if inside_x and 0 <= point.y() <= cents / 100:
                    return group, series
        return None

    def describe_bar(self, group: int, series: int) -> str:
        """ "Bildungsförderung · Bewilligt: 12.345,67 €" """
        chosen = self._groups[group]
        return f"{chosen.label} · {SERIES[series][0]}: {format_money(chosen.cents[series])}"

    def picture(self) -> QPixmap:
        return self.plot_widget.grab()

    def save_png(self, path: Path) -> bool:
        return self.picture().save(str(path), "PNG")

    def copy_to_clipboard(self) -> None:
        QApplication.clipboard().setPixmap(self.picture())

    def _on_scene_mouse_moved(self, position: QPointF) -> None:
        view_box = self.plot_widget.getPlotItem().getViewBox()
        if not view_box.sceneBoundingRect().contains(position):
            QToolTip.hideText()
            return
        found = self.bar_at(view_box.mapSceneToView(position))
        if found is None:
            QToolTip.hideText()
            return
        global_pos = self.plot_widget.mapToGlobal(self.plot_widget.mapFromScene(position))
        QToolTip.showText(global_pos, self.describe_bar(*found), self.plot_widget)

    def _on_context_menu_requested(self, position: QPoint) -> None:
        menu = QMenu(self)
        menu.addAction("Als PNG speichern …", self.save_requested.emit)
        menu.addAction("Kopieren", self.copy_requested.emit)
        menu.exec(self.plot_widget.mapToGlobal(position))
        menu.deleteLater()
