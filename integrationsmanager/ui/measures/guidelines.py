"""The guidelines of the policy at a glance: goals, typical measures, measures by status.

One card per guideline, in the paper's order; "Maßnahmen anzeigen" emits
``guideline_selected`` so the window can switch to the list filtered by that guideline.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
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
from integrationsmanager.domain.money import format_number
from integrationsmanager.services.measures import guidelines, status_counts
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.widgets.status import status_dot_html

CARD_COLUMNS = 2


@dataclass(frozen=True)
class GuidelineSummary:
    id: int
    number: int
    title: str
    goals: str
    typical_measures: str
    counts: dict[MeasureStatus, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _text_html(text: str) -> str:
    return escape(text.strip()).replace("\n", "<br>") or "–"


def counts_text(counts: dict[MeasureStatus, int]) -> str:
    """``3 geplant · 5 laufend`` (statuses without measures left out) as plain text."""
    parts = [f"{format_number(n)} {status.label}" for status, n in counts.items() if n]
    return " · ".join(parts) if parts else "noch keine Maßnahmen"


def _counts_html(counts: dict[MeasureStatus, int]) -> str:
    parts = [
        f"{status_dot_html(status)}&nbsp;{format_number(n)}&nbsp;{escape(status.label)}"
        for status, n in counts.items()
        if n
    ]
    return " &nbsp;·&nbsp; ".join(parts) if parts else "noch keine Maßnahmen"


class GuidelineCard(QFrame):
    """One guideline: number and title, goals, typical measures, its measures by status."""

    def __init__(self, summary: GuidelineSummary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.guideline_id = summary.id

        self.title_label = QLabel(f"{summary.number} {summary.title}", self)
        self.title_label.setWordWrap(True)
        font = QFont(self.title_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.title_label.setFont(font)

        self.body_label = QLabel(self)
        self.body_label.setWordWrap(True)
        self.body_label.setTextFormat(Qt.TextFormat.RichText)
        self.body_label.setText(
            f"<b>Ziele</b><br>{_text_html(summary.goals)}"
            f"<br><br><b>Typische Maßnahmen</b><br>{_text_html(summary.typical_measures)}"
        )
        self.body_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

        self.counts_label = QLabel(self)
        self.counts_label.setWordWrap(True)
        self.counts_label.setTextFormat(Qt.TextFormat.RichText)
        self.counts_label.setText(_counts_html(summary.counts))
        self.counts_label.setAccessibleName(
            f"Maßnahmen der Leitlinie {summary.number}: {counts_text(summary.counts)}"
        )

        self.show_button = QPushButton(
            f"{format_number(summary.total)} Maßnahmen anzeigen"
            if summary.total != 1
            else "1 Maßnahme anzeigen",
            self,
        )
        self.show_button.setAccessibleName(
            f"Maßnahmen der Leitlinie {summary.number} {summary.title} anzeigen"
        )

        footer = QHBoxLayout()
        footer.addWidget(self.counts_label, 1)
        footer.addWidget(self.show_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.body_label, 1)
        layout.addLayout(footer)


class GuidelineOverview(QWidget):
    """All current guidelines as cards; a card's button asks to list its measures."""

    guideline_selected = Signal(int)

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._database = database
        self.cards: list[GuidelineCard] = []

        self.heading_label = QLabel("Leitlinien und Maßnahmen", self)
        font = QFont(self.heading_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.heading_label.setFont(font)
        self.summary_label = QLabel(self)
        self.summary_label.setWordWrap(True)

        self._grid_host = QWidget(self)
        self._grid = QGridLayout(self._grid_host)
        for column in range(CARD_COLUMNS):
            self._grid.setColumnStretch(column, 1)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setAccessibleName("Leitlinien")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(self._grid_host)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading_label)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.scroll_area, 1)
        self.refresh()

    def refresh(self) -> None:
        """Read guidelines and counts again and rebuild the cards."""
        with self._database.session() as session:
            counts = status_counts(session)
            summaries = [
                GuidelineSummary(
                    id=g.id,
                    number=g.number,
                    title=g.title,
                    goals=g.goals,
                    typical_measures=g.typical_measures,
                    counts=counts.get(g.id, dict.fromkeys(MeasureStatus, 0)),
                )
                for g in guidelines(session)
            ]
        for card in self.cards:
            self._grid.removeWidget(card)
            card.deleteLater()
        self.cards = []
        for position, summary in enumerate(summaries):
            card = GuidelineCard(summary, self._grid_host)
            card.show_button.clicked.connect(partial(self._on_card_clicked, summary.id))
            self._grid.addWidget(card, position // CARD_COLUMNS, position % CARD_COLUMNS)
            self.cards.append(card)
        self._grid.setRowStretch(len(summaries) // CARD_COLUMNS + 1, 1)

        totals: dict[MeasureStatus, int] = dict.fromkeys(MeasureStatus, 0)
        for summary in summaries:
            for status, n in summary.counts.items():
                totals[status] += n
        total = sum(totals.values())
        noun = "Maßnahme" if total == 1 else "Maßnahmen"
        self.summary_label.setText(
            f"{len(summaries)} Leitlinien · {format_number(total)} {noun}"
            + (f": {counts_text(totals)}" if total else "")
        )

    def _on_card_clicked(self, guideline_id: int, _checked: bool = False) -> None:
        self.guideline_selected.emit(guideline_id)
