"""The start screen: key figures, what needs attention, and the charts that matter.

It is the first thing the program shows, so it builds fast: the figures and lists come from a
few grouped queries (:mod:`integrationsmanager.services.overview`) and are there at the first
paint. The charts need pyqtgraph and numpy, which take longer to load than everything else on
the page: after the first paint a worker thread imports them while the page is already in use,
and the charts are then built on the GUI thread.
Every entry opens its record through ``open_record(kind, record_id)``; a tile opens its area
through ``open_area(key)``.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import threading
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QPaintEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from integrationsmanager.domain.enums import MeasureStatus
from integrationsmanager.logs import log_bug
from integrationsmanager.services.meetings import WEEKDAYS
from integrationsmanager.services.overview import (
    UPCOMING_WEEKS,
    Attention,
    KeyFigures,
    attention,
    count_text,
    featured_breakdown,
    key_figures,
    whole_euros,
)
from integrationsmanager.services.statistics import measures_by_guideline_status
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.overview.attention import AttentionPanel
from integrationsmanager.ui.overview.guidelines_dialog import GuidelinesDialog
from integrationsmanager.ui.overview.tiles import KeyFigureTile

if TYPE_CHECKING:
    from integrationsmanager.ui.overview.charts import ChartSet

log = logging.getLogger(__name__)

CHARTS_MODULE = "integrationsmanager.ui.overview.charts"

MONTHS = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)

AREA_MEASURES = "measures"
"""Tile keys passed to ``open_area``: the running measures, …"""
AREA_BUDGET = "budget"
"""… the budget of the year, …"""
AREA_GROUPS = "groups"
"""… and the working groups (where action items and meetings live)."""


def long_date(day: date) -> str:
    """``Mittwoch, 25. November 2026``."""
    return f"{WEEKDAYS[day.weekday()]}, {day.day}. {MONTHS[day.month - 1]} {day.year}"


def section_heading(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 1.15)
    font.setWeight(QFont.Weight.DemiBold)
    label.setFont(font)
    return label


WAITING_LINES = 14
"""Height of a chart's place before it arrives (about a chart's height, so little moves)."""


class ChartSection(QWidget):
    """The place of one chart: "wird geladen" until the chart arrives after the first paint."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.waiting_label = QLabel(f"{name}: Diagramm wird geladen …", self)
        self.waiting_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.addWidget(self.waiting_label, 1)
        self.waiting_label.setMinimumHeight(self.fontMetrics().height() * WAITING_LINES)

    def sizeHint(self) -> QSize:
        """Its minimum: the page hands out spare height (see :class:`AttentionPanel`)."""
        return QSize(super().sizeHint().width(), self.minimumSizeHint().height())

    def set_widget(self, widget: QWidget) -> None:
        """Put the chart (or an empty state) where the waiting text was."""
        self.body.removeWidget(self.waiting_label)
        self.waiting_label.hide()
        self.body.insertWidget(0, widget, 1)


class PaintNotifier(QWidget):
    """A plain widget that says when it is painted for the first time."""

    first_painted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._painted = False

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.first_painted.emit()


class ChartLoader(QObject):
    """Imports the chart module (pyqtgraph and numpy: longer to load than the whole page) on
    a worker thread, so the start screen is usable meanwhile; ``loaded`` arrives on the GUI
    thread, which then builds the charts."""

    loaded = Signal()

    def start(self) -> None:
        threading.Thread(target=self._run, name="Diagramme laden", daemon=True).start()

    def _run(self) -> None:
        try:
            importlib.import_module(CHARTS_MODULE)
        except Exception as err:  # the GUI thread imports again and shows the error
            log_bug(log, "Diagramme der Übersicht konnten nicht geladen werden", err)
        with contextlib.suppress(RuntimeError):  # the page was closed meanwhile
            self.loaded.emit()


class OverviewPage(QWidget):
    """The sidebar area "Übersicht"; ``now`` fixes the time for tests (None: the clock)."""

    status_message = Signal(str)
    open_record = Signal(str, int)
    """(kind, record_id): "measure", "grant", "meeting", "action_item", "group", "indicator"
    or "guideline"."""
    open_area = Signal(str)
    """A tile was activated: :data:`AREA_MEASURES`, :data:`AREA_BUDGET` or :data:`AREA_GROUPS`."""

    def __init__(
        self, database: Database, parent: QWidget | None = None, *, now: datetime | None = None
    ) -> None:
        super().__init__(parent)
        self._database = database
        self._now = now
        self._figures: KeyFigures | None = None
        self._indicator_id: int | None = None
        self._loader: ChartLoader | None = None
        self.charts: ChartSet | None = None
        """The charts, once built (after the first paint)."""

        self.content = PaintNotifier(self)
        self.content.first_painted.connect(self._on_content_first_painted)
        self._build_header()
        self._build_tiles()
        self._build_attention()
        self._build_chart_row()
        line = self.fontMetrics().height()
        layout = QVBoxLayout(self.content)
        layout.setSpacing(line // 2)
        layout.addLayout(self.header)
        layout.addLayout(self.tiles_row)
        layout.addSpacing(line // 3)
        layout.addWidget(section_heading("Was ansteht", self.content))
        layout.addLayout(self.attention_grid, 1)
        layout.addSpacing(line // 3)
        layout.addLayout(self.charts_header)
        layout.addLayout(self.charts_row, 1)

        self.scroll_area = QScrollArea(self)
        self.scroll_area.setAccessibleName("Übersicht")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroll_area.setWidget(self.content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll_area)
        self.refresh()

    # --- building -------------------------------------------------------------------------

    def _build_header(self) -> None:
        self.heading_label = QLabel("Übersicht", self.content)
        font = QFont(self.heading_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.heading_label.setFont(font)
        self.date_label = QLabel(self.content)
        self.header = QHBoxLayout()
        self.header.addWidget(self.heading_label)
        self.header.addStretch(1)
        self.header.addWidget(self.date_label, 0, Qt.AlignmentFlag.AlignBottom)

    def _build_tiles(self) -> None:
        self.measures_tile = KeyFigureTile(AREA_MEASURES, self.content)
        self.grants_tile = KeyFigureTile(AREA_BUDGET, self.content)
        self.tasks_tile = KeyFigureTile(AREA_GROUPS, self.content)
        self.meeting_tile = KeyFigureTile(AREA_GROUPS, self.content)
        self.tiles = (self.measures_tile, self.grants_tile, self.tasks_tile, self.meeting_tile)
        self.tiles_row = QGridLayout()
        for column, tile in enumerate(self.tiles):
            self.tiles_row.addWidget(tile, 0, column)
            self.tiles_row.setColumnStretch(column, 1)
        for tile in (self.measures_tile, self.grants_tile, self.tasks_tile):
            tile.clicked.connect(lambda _=False, key=tile.key: self.open_area.emit(key))
        self.meeting_tile.clicked.connect(self._on_meeting_tile_clicked)

    def _build_attention(self) -> None:
        # Created in reading order (row by row), which is also the tab order.
        self.tasks_panel = AttentionPanel(
            "Überfällige Aufgaben", "Keine überfälligen Aufgaben.", self.content
        )
        self.meetings_panel = AttentionPanel(
            f"Sitzungen in den nächsten {UPCOMING_WEEKS} Wochen",
            f"Keine Sitzungen in den nächsten {UPCOMING_WEEKS} Wochen geplant.",
            self.content,
        )
        self.decisions_panel = AttentionPanel(
            "Anträge, die auf eine Entscheidung warten",
            "Keine Anträge warten auf eine Entscheidung.",
            self.content,
        )
        self.proofs_panel = AttentionPanel(
            "Überfällige Verwendungsnachweise",
            "Keine Verwendungsnachweise überfällig.",
            self.content,
        )
        self.panels = (
            self.tasks_panel,
            self.meetings_panel,
            self.decisions_panel,
            self.proofs_panel,
        )
        self.attention_grid = QGridLayout()
        for position, panel in enumerate(self.panels):
            panel.record_requested.connect(self.open_record)
            self.attention_grid.addWidget(panel, position // 2, position % 2)
        for index in range(2):
            self.attention_grid.setColumnStretch(index, 1)
            self.attention_grid.setRowStretch(index, 1)

    def _build_chart_row(self) -> None:
        self.measures_section = ChartSection("Maßnahmen je Leitlinie", self.content)
        self.money_section = ChartSection("Förderung des Jahres", self.content)
        self.indicator_section = ChartSection("Kennzahl", self.content)
        self.guidelines_button = QPushButton("Leitlinien mit Zielen …", self.content)
        self.guidelines_button.setAccessibleName("Leitlinien mit Zielen und Maßnahmen ansehen")
        self.guidelines_button.setToolTip(
            "Die Leitlinien der Sozialstrategie mit Zielen, typischen Maßnahmen und dem Stand "
            "ihrer Maßnahmen"
        )
        self.guidelines_button.clicked.connect(self.open_guidelines)
        self.indicator_button = QPushButton("Kennzahl öffnen", self.content)
        self.indicator_button.setAccessibleName("Kennzahl im Monitoring öffnen")
        self.indicator_button.setToolTip("Die Kennzahl mit allen Werten im Monitoring zeigen")
        self.indicator_button.setEnabled(False)
        self.indicator_button.clicked.connect(self._on_indicator_button_clicked)
        self.charts_header = QHBoxLayout()
        self.charts_header.addWidget(section_heading("Auf einen Blick", self.content))
        self.charts_header.addStretch(1)
        self.charts_header.addWidget(self.guidelines_button)
        self.charts_header.addWidget(self.indicator_button)
        self.charts_row = QHBoxLayout()
        self.charts_row.addWidget(self.measures_section, 3)
        self.charts_row.addWidget(self.money_section, 2)
        self.charts_row.addWidget(self.indicator_section, 2)

    # --- public ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read figures and lists again (and the charts, once they are built)."""
        moment = self._now or datetime.now(UTC)
        with self._database.session() as session:
            figures = key_figures(session, now=moment)
            found = attention(session, now=moment)
        self._figures = figures
        self._show_figures(figures)
        self._show_attention(found)
        if self.charts is not None:
            self._fill_charts()

    def open_guidelines(self) -> GuidelinesDialog:
        """The guideline cards in a window; a card's button opens the guideline's measures."""
        dialog = GuidelinesDialog(self._database, self)
        dialog.guideline_selected.connect(self._on_guidelines_dialog_guideline_selected)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    # --- showing --------------------------------------------------------------------------

    def _show_figures(self, figures: KeyFigures) -> None:
        today = figures.today
        self.date_label.setText(f"Stand: {long_date(today)}")
        measures = figures.measures
        running = measures.by_status[MeasureStatus.RUNNING]
        planned = measures.by_status[MeasureStatus.PLANNED]
        context = f"{count_text(measures.started_this_year)} neu seit 1. Januar"
        if planned:
            context += f" · {count_text(planned)} geplant"
        self.measures_tile.set_figure(
            count_text(running),
            "laufende Maßnahme" if running == 1 else "laufende Maßnahmen",
            context,
            hint=f"{count_text(measures.total)} Maßnahmen insgesamt. Öffnet die Maßnahmen, "
            "gefiltert auf „laufend“.",
        )
        grants = figures.grants
        pending = grants.pending_decisions
        context = (
            f"{whole_euros(grants.approved_cents)} bewilligt · "
            f"{whole_euros(grants.paid_cents)} ausgezahlt"
        )
        if pending:
            context += f" · {count_text(pending)} Antr{'ag' if pending == 1 else 'äge'} offen"
        self.grants_tile.set_figure(
            count_text(grants.approved_count),
            f"Zuwendung{'' if grants.approved_count == 1 else 'en'} {grants.year} bewilligt",
            context,
            hint=f"Öffnet das Budget {grants.year} der Förderprogramme.",
        )
        tasks = figures.action_items
        self.tasks_tile.set_figure(
            count_text(tasks.open),
            "offene Aufgabe" if tasks.open == 1 else "offene Aufgaben",
            f"davon {count_text(tasks.overdue)} überfällig"
            if tasks.overdue
            else "keine überfällig",
            hint="Öffnet die Arbeitskreise mit ihren Aufgaben.",
        )
        meeting = figures.next_meeting
        if meeting is None:
            self.meeting_tile.set_figure(
                "–",
                "keine Sitzung geplant",
                "Sitzungen planen Sie bei den Arbeitskreisen",
                hint="Öffnet die Arbeitskreise.",
            )
            return
        days = (meeting.starts_at.date() - today).days
        when = "heute" if days == 0 else "morgen" if days == 1 else f"in {days} Tagen"
        self.meeting_tile.set_figure(
            f"{meeting.starts_at:%d.%m.}",
            f"nächste Sitzung ({when})",
            f"{meeting.subject}, {meeting.starts_at:%H:%M} Uhr",
            hint="Öffnet die Sitzung.",
        )

    def _show_attention(self, found: Attention) -> None:
        self.tasks_panel.set_entries(found.overdue_action_items)
        self.decisions_panel.set_entries(found.pending_decisions)
        self.proofs_panel.set_entries(found.overdue_proofs)
        self.meetings_panel.set_entries(found.upcoming_meetings)

    # --- charts ---------------------------------------------------------------------------

    def _on_content_first_painted(self) -> None:
        """Load the chart module in the background once the figures are on screen."""
        if self.charts is None and self._loader is None:
            self._loader = ChartLoader(self)
            self._loader.loaded.connect(self.build_charts)
            QTimer.singleShot(0, self._loader.start)

    def build_charts(self) -> ChartSet:
        """Create and fill the charts (once; the first paint happens without them).

        Called when the background import has finished; a test may call it at once.
        """
        if self.charts is None:
            from integrationsmanager.ui.overview.charts import ChartSet

            self.charts = ChartSet(self)
            self.measures_section.set_widget(self.charts.measures)
            self.money_section.set_widget(self.charts.money)
            self.indicator_section.set_widget(self.charts.indicator_stack)
            for chart in self.charts.all():
                chart.status_message.connect(self.status_message)
            self._fill_charts()
        return self.charts

    def _fill_charts(self) -> None:
        assert self.charts is not None and self._figures is not None
        with self._database.session() as session:
            rows = measures_by_guideline_status(session)
            featured = featured_breakdown(session)
        self.charts.show_measures(rows)
        self.charts.show_money(self._figures.grants.year, self._figures.budget_rows)
        self.charts.show_breakdown(featured)
        self._indicator_id = featured.indicator_id if featured is not None else None
        self.indicator_button.setEnabled(featured is not None)

    # --- slots ----------------------------------------------------------------------------

    def _on_meeting_tile_clicked(self) -> None:
        meeting = self._figures.next_meeting if self._figures else None
        if meeting is None:
            self.open_area.emit(AREA_GROUPS)
        else:
            self.open_record.emit("meeting", meeting.meeting_id)

    def _on_indicator_button_clicked(self) -> None:
        if self._indicator_id is not None:
            self.open_record.emit("indicator", self._indicator_id)

    def _on_guidelines_dialog_guideline_selected(self, guideline_id: int) -> None:
        self.open_record.emit("guideline", guideline_id)
