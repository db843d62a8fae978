"""The budget chart: three bars per programme (budget, approved, paid), German euros.

A :class:`~integrationsmanager.ui.widgets.charts.BarChart` in the colours the PDFs use for the
same money. The budget tab has its own buttons to save and copy the picture, so the chart
leaves out its menu button and hands the context menu's two actions to the tab (which then
says so in the status bar).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from integrationsmanager.reports.palette import APPROVED_COLOUR, BUDGET_COLOUR, PAID_COLOUR
from integrationsmanager.ui.widgets.charts import EURO, GROUP_WIDTH, BarChart, BarSeries

SERIES: tuple[tuple[str, str], ...] = (
    ("Budget", BUDGET_COLOUR),
    ("Bewilligt", APPROVED_COLOUR),
    ("Ausgezahlt", PAID_COLOUR),
)
"""Name and colour of each bar of a programme."""

BAR_WIDTH = GROUP_WIDTH / len(SERIES)
"""The room of one bar along the x axis (a programme takes 1.0): three bars and a gap."""


@dataclass(frozen=True)
class ChartGroup:
    """One programme's bars: its short name and the three amounts in cents."""

    label: str
    cents: tuple[int, int, int]


class BudgetChart(BarChart):
    """Grouped bars per programme; ``bars`` holds the drawn items (one per series)."""

    save_requested = Signal()
    copy_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            parent,
            name="Diagramm: Budget, Bewilligt und Ausgezahlt je Programm",
            file_name="Budget.png",
            menu_button=False,
        )

    def set_groups(self, groups: Sequence[ChartGroup]) -> None:
        """Draw ``groups`` (in their order along the x axis)."""
        self.set_data(
            [group.label for group in groups],
            [
                BarSeries(name, [group.cents[index] / 100 for group in groups], colour)
                for index, (name, colour) in enumerate(SERIES)
            ],
            unit=EURO,
        )

    def bar_heights(self, series: int) -> list[float]:
        """The drawn heights of one series, in euros."""
        return self.bar_values(series)

    def request_save(self) -> None:
        self.save_requested.emit()

    def request_copy(self) -> None:
        self.copy_requested.emit()
