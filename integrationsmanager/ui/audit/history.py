"""A record's change history as a table (the "Änderungsverlauf" tab of the detail panes)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStackedLayout,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from integrationsmanager.services.audit import AuditRow, record_history
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.widgets.empty_state import placeholder_label

HEADERS = ("Zeitpunkt", "Benutzer", "Aktion", "Feld", "vorher", "nachher")
TAB_TITLE = "Änderungs&verlauf"
"""Title of the tab the detail panes give this view (mnemonic V; E where V is taken)."""

_Index = QModelIndex | QPersistentModelIndex


def format_timestamp(row_time: Any) -> str:
    """A UTC timestamp in the computer's local time, "25.11.2026 13:02"."""
    return str(row_time.astimezone().strftime("%d.%m.%Y %H:%M"))


class HistoryModel(QAbstractTableModel):
    """The changed fields of one record, newest first; a record's history is short."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[AuditRow] = []

    def set_rows(self, rows: Sequence[AuditRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        row = self._rows[index.row()]
        cells = (
            format_timestamp(row.changed_at),
            row.user,
            row.action,
            row.field,
            row.old,
            row.new,
        )
        text = cells[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return text if index.column() >= 3 and text else None
        return text.replace("\n", " ⏎ ")

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class HistoryView(QWidget):
    """Who changed which field of the shown record, from what to what."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._database = database
        self._record: tuple[str, int] | None = None
        self.model = HistoryModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Änderungsverlauf")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setAccessibleName("Spalten: Änderungsverlauf")
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.empty = placeholder_label("Noch keine Änderungen aufgezeichnet.", self)
        self._stack = QStackedLayout()
        self._stack.addWidget(self.table)
        self._stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._stack)
        self.setFocusProxy(self.table)

    def show_record(self, table_name: str, record_id: int | None) -> None:
        """Show the history of ``record_id`` in ``table_name`` (None: nothing)."""
        self._record = None if record_id is None else (table_name, record_id)
        self.reload()

    def reload(self) -> None:
        rows: list[AuditRow] = []
        if self._record is not None:
            with self._database.session() as session:
                rows = record_history(session, *self._record)
        self.model.set_rows(rows)
        self._stack.setCurrentWidget(self.table if rows else self.empty)
        if rows:
            self._fit_columns()

    def _fit_columns(self) -> None:
        metrics = self.table.fontMetrics()
        samples = ("25.11.2026 13:02", "benutzername", "importiert", "Tagesordnungspunkt", "x" * 24)
        for column, sample in enumerate(samples):
            self.table.setColumnWidth(column, metrics.horizontalAdvance(sample) + 24)
