"""The deadlines of funding: pending decisions, payments due, proofs of use, most overdue first.

Double-click or Enter on an entry asks the page to open its grant (``grant_requested``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from integrationsmanager.domain.money import format_money, format_number
from integrationsmanager.services.deadlines import Deadline, DeadlineKind, deadlines
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.widgets.dates import format_date
from integrationsmanager.ui.widgets.empty_state import placeholder_label
from integrationsmanager.ui.widgets.filters import plural
from integrationsmanager.ui.widgets.lazy_table import ID_ROLE, read_only_flags

HEADERS = ("Frist", "Fällig am", "Überfällig", "Aktenzeichen", "Empfänger", "Projekt")
OVERDUE_COLUMN = 2

_Index = QModelIndex | QPersistentModelIndex


def overdue_text(days: int) -> str:
    """ "12 Tage", "1 Tag", or "–" when not yet due."""
    return plural(days, "Tag", "Tage") if days > 0 else "–"


class DeadlineModel(QAbstractTableModel):
    """The deadline entries as rows; ``ID_ROLE`` gives the grant's id."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries: tuple[Deadline, ...] = ()

    def set_entries(self, entries: Sequence[Deadline]) -> None:
        self.beginResetModel()
        self._entries = tuple(entries)
        self.endResetModel()

    def entry(self, row: int) -> Deadline:
        return self._entries[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry, column = self._entries[index.row()], index.column()
        if role == ID_ROLE:
            return entry.grant_id
        if role == Qt.ItemDataRole.DisplayRole:
            kind = entry.kind_label
            if entry.kind == DeadlineKind.PAYMENT and entry.amount_cents is not None:
                kind = f"{kind} ({format_money(entry.amount_cents)})"
            return (
                kind,
                format_date(entry.due_on),
                overdue_text(entry.days_overdue),
                entry.file_number,
                entry.recipient,
                entry.project_title,
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == 5:
            return entry.project_title
        if role == Qt.ItemDataRole.TextAlignmentRole and column == OVERDUE_COLUMN:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and section == OVERDUE_COLUMN:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return read_only_flags(index)


class DeadlinesTab(QWidget):
    """The list of deadlines as of ``today`` (the real today unless a test fixes one)."""

    grant_requested = Signal(int)

    def __init__(
        self, database: Database, *, today: date | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._database = database
        self._today = today
        self.summary_label = QLabel(self)
        self.model = DeadlineModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Fristen")
        self.table.horizontalHeader().setAccessibleName("Spalten: Fristen")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        line = self.table.fontMetrics().height()
        self.table.verticalHeader().setDefaultSectionSize(line + line // 2)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(HEADERS) - 1, QHeaderView.ResizeMode.Stretch)
        self.empty_label = placeholder_label("Keine Fristen offen – alles erledigt.", self)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty_label)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.stack, 1)
        self.table.activated.connect(self._on_table_activated)
        self.refresh()

    def refresh(self) -> None:
        """Read the deadlines again."""
        with self._database.session() as session:
            entries = deadlines(session, today=self._today or date.today())
        self.model.set_entries(entries)
        overdue = sum(1 for entry in entries if entry.days_overdue > 0)
        text = plural(len(entries), "Frist", "Fristen")
        if overdue:
            text += f", davon {format_number(overdue)} überfällig"
        self.summary_label.setText(text + " · Doppelklick oder Eingabetaste öffnet die Zuwendung")
        self.stack.setCurrentWidget(self.table if entries else self.empty_label)

    def _on_table_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.grant_requested.emit(self.model.entry(index.row()).grant_id)
