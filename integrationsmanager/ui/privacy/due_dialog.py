"""Fällige Löschungen: the people whose retention period has run out, to open or erase."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from integrationsmanager.services.privacy import DueRow, due_for_deletion, retention_years
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.privacy.actions import erase_with_confirmation
from integrationsmanager.ui.widgets.dates import format_date

HEADERS = ("Nr.", "Name", "Letzter Kontakt", "Ende letzte Zuwendung", "Fällig seit", "Grund")


class DueModel(QAbstractTableModel):
    """The rows of :func:`due_for_deletion`, read-only."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[DueRow] = []

    def set_rows(self, rows: list[DueRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> object:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        row = self.rows[index.row()]
        values = (
            str(row.person_id),
            row.name,
            format_date(row.last_contact),
            format_date(row.last_grant_end),
            format_date(row.due_since),
            row.reason,
        )
        return values[index.column()]

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None


class PrivacyDueDialog(QDialog):
    """People due for deletion; ``person_requested`` asks the main window to show one."""

    person_requested = Signal(int)
    person_erased = Signal(int)

    def __init__(
        self, database: Database, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        super().__init__(parent)
        self._database = database
        self._today = today
        self.setWindowTitle("Fällige Löschungen (DSGVO)")
        self.intro_label = QLabel(self)
        self.intro_label.setWordWrap(True)
        self.model = DueModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Zur Löschung fällige Personen")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(HEADERS) - 1, QHeaderView.ResizeMode.Stretch)
        self.open_button = QPushButton("Person ö&ffnen", self)
        self.open_button.setAccessibleName("Person öffnen")
        self.erase_button = QPushButton("&Löschen (Art. 17) …", self)
        self.erase_button.setAccessibleName("Löschen nach Art. 17")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.erase_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.open_button.clicked.connect(self._on_open_clicked)
        self.erase_button.clicked.connect(self._on_erase_clicked)
        self.table.doubleClicked.connect(self._on_open_clicked)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.reload()
        width = self.fontMetrics().averageCharWidth()
        self.resize(width * 130, self.fontMetrics().height() * 28)

    def reload(self) -> None:
        with self._database.session() as session:
            rows = due_for_deletion(session, today=self._today or date.today())
            years = retention_years(session)
        self.model.set_rows(rows)
        count = len(rows)
        self.intro_label.setText(
            f"Kontaktdaten werden {years} Jahre nach dem letzten Kontakt bzw. dem Ende der "
            "letzten Zuwendung gelöscht (Einstellungen); nach einem Widerruf der Einwilligung "
            "sofort. "
            + (
                "Zurzeit ist niemand zur Löschung fällig."
                if count == 0
                else f"Zur Löschung fällig: {count} {'Person' if count == 1 else 'Personen'}."
            )
        )
        if count:
            self.table.selectRow(0)
        self._update_buttons()

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()].person_id if rows else None

    def _update_buttons(self) -> None:
        chosen = self.selected_id() is not None
        self.open_button.setEnabled(chosen)
        self.erase_button.setEnabled(chosen)

    def _on_open_clicked(self) -> None:
        person_id = self.selected_id()
        if person_id is not None:
            self.person_requested.emit(person_id)

    def _on_erase_clicked(self) -> None:
        person_id = self.selected_id()
        if person_id is None:
            return
        if erase_with_confirmation(self._database, person_id, self) is not None:
            self.person_erased.emit(person_id)
            self.reload()
