"""The overview's three charts: measures per guideline by status, the year's money per
programme, and an indicator's breakdown (foreign nationals by nationality).

This module imports pyqtgraph; the page imports it only after its first paint.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QStackedWidget, QWidget

from integrationsmanager.domain.enums import MeasureStatus
from integrationsmanager.domain.money import format_number
from integrationsmanager.reports.palette import (
    APPROVED_COLOUR,
    BUDGET_COLOUR,
    PAID_COLOUR,
    status_colour,
)
from integrationsmanager.services.budgets import BudgetRow
from integrationsmanager.services.overview import FeaturedBreakdown
from integrationsmanager.services.statistics import GuidelineStatusCounts
from integrationsmanager.ui.widgets.charts import EURO, BarChart, BarSeries, ChartWidget

NO_BREAKDOWN = (
    "Noch keine Kennzahl mit Aufschlüsselung (etwa ausländische Staatsangehörige nach "
    "Staatsangehörigkeit). Kennzahlen und ihre Werte erfassen Sie im Bereich Monitoring."
)


PLOT_LINES = 7
"""Smallest height of the bars' area in text lines: the start screen fits on a laptop."""


class OverviewChart(BarChart):
    """A compact bar chart that keeps room for its bars however many rows its legend takes.

    Saving and copying work through its context menu and Strg+C; three "Diagramm" buttons
    would crowd the titles on a narrow screen.
    """

    def __init__(self, parent: QWidget, *, name: str, file_name: str) -> None:
        super().__init__(parent, name=name, file_name=file_name, menu_button=False)
        self.plot_widget.setToolTip(
            "Rechtsklick oder Kontextmenütaste: Diagramm speichern oder kopieren (Strg+C kopiert)"
        )
        self._fit_height()

    def set_data(self, *args: Any, **kwargs: Any) -> None:
        super().set_data(*args, **kwargs)
        self._fit_height()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)  # lays out the legend for the new width
        self._fit_height()

    def _fit_height(self) -> None:
        """Bars, title, axis and legend (its rows depend on the width) all get their room."""
        line = self.fontMetrics().height()
        legend = self.legend.height() if self.legend.isVisible() else 0
        axis = self.plot.getAxis("bottom").height()
        needed = round(line * (PLOT_LINES + 2) + legend + axis)
        if self.plot_widget.minimumHeight() != needed:
            self.plot_widget.setMinimumHeight(needed)


class ChartSet:
    """The three charts, parented to ``parent``; ``show_*`` fill them."""

    def __init__(self, parent: QWidget) -> None:
        self.measures = OverviewChart(
            parent, name="Maßnahmen je Leitlinie nach Status", file_name="Maßnahmen.png"
        )
        self.money = OverviewChart(parent, name="Förderung des Jahres", file_name="Förderung.png")
        self.indicator = OverviewChart(parent, name="Kennzahl", file_name="Kennzahl.png")
        self.no_indicator_label = QLabel(NO_BREAKDOWN, parent)
        self.no_indicator_label.setWordWrap(True)
        self.no_indicator_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.indicator_stack = QStackedWidget(parent)
        self.indicator_stack.addWidget(self.indicator)
        self.indicator_stack.addWidget(self.no_indicator_label)

    def all(self) -> tuple[ChartWidget, ...]:
        return (self.measures, self.money, self.indicator)

    def show_measures(self, rows: Sequence[GuidelineStatusCounts]) -> None:
        """Stacked bars per guideline number; statuses without any measure stay out."""
        used = [s for s in MeasureStatus if any(r.counts[s] for r in rows)]
        self.measures.set_data(
            [str(r.number) for r in rows],
            [
                BarSeries(status.label, [r.counts[status] for r in rows], status_colour(status))
                for status in used
            ],
            stacked=True,
            title="Maßnahmen je Leitlinie",
        )

    def show_money(self, year: int, rows: Sequence[BudgetRow]) -> None:
        """Budget, approved and paid per programme (short code) in euros."""
        shown = [r for r in rows if r.program_id is not None]
        self.money.set_data(
            [r.short_code.strip() or r.program for r in shown],
            [
                BarSeries("Budget", [r.budget_cents / 100 for r in shown], BUDGET_COLOUR),
                BarSeries("Bewilligt", [r.approved_cents / 100 for r in shown], APPROVED_COLOUR),
                BarSeries("Ausgezahlt", [r.paid_cents / 100 for r in shown], PAID_COLOUR),
            ],
            unit=EURO,
            title=f"Förderung {year}",
        )
        self.money.set_accessible_name(f"Förderung {year}: Budget, bewilligt, ausgezahlt")

    def show_breakdown(self, featured: FeaturedBreakdown | None) -> None:
        if featured is None:
            self.indicator_stack.setCurrentWidget(self.no_indicator_label)
            return
        self.indicator_stack.setCurrentWidget(self.indicator)
        self.indicator.set_data(
            [name for name, _ in featured.values],
            [BarSeries(featured.unit or featured.name, [v for _, v in featured.values])],
            horizontal=True,  # names such as "Afghanistan" stay readable beside their bars
            title=f"{featured.name} {featured.year}",
        )
        name = f"{featured.name} {featured.year} nach {featured.breakdown_key or 'Ausprägung'}"
        if featured.total is not None:
            name += f" (insgesamt {format_number(featured.total)})"
        self.indicator.set_accessible_name(name)
