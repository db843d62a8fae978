"""The global change log: every audit entry, filtered by date, user, area and text."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from integrationsmanager.services.audit import (
    ChangeFilter,
    audit_areas,
    audit_users,
    change_log_ids,
    change_log_rows,
)
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.audit.history import format_timestamp
from integrationsmanager.ui.widgets.dates import OptionalDateEdit
from integrationsmanager.ui.widgets.filters import choice_combo, fill_combo, plural
from integrationsmanager.ui.widgets.lazy_table import Column, DisplayRow, LazyTableModel
from integrationsmanager.ui.widgets.record_table import RecordTable

COLUMNS = (
    Column("Zeitpunkt", "changed_at"),
    Column("Benutzer", "user"),
    Column("Bereich", "area"),
    Column("Datensatz", "record"),
    Column("Aktion", "action"),
    Column("Änderungen", "changed_at"),
)
SEARCH_DELAY_MS = 300


def _fetch(session: Session, ids: list[int]) -> Mapping[int, DisplayRow]:
    rows = change_log_rows(session, ids)
    out: dict[int, DisplayRow] = {}
    for entry_id, row in rows.items():
        record = f"{row.kind}: {row.record}"
        cells = (
            format_timestamp(row.changed_at),
            row.user,
            row.area,
            record,
            row.action,
            row.summary.replace("\n", " ⏎ "),
        )
        tooltips = (None, None, None, record, None, row.summary.replace("; ", "\n") or None)
        out[entry_id] = DisplayRow(entry_id, cells, tooltips)
    return out


class ChangeLogModel(LazyTableModel[ChangeFilter, DisplayRow]):
    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(
            database,
            columns=COLUMNS,
            initial_filter=ChangeFilter(),
            query_ids=change_log_ids,
            fetch_rows=_fetch,
            default_sort_order=Qt.SortOrder.DescendingOrder,
            parent=parent,
        )


class ChangeLogDialog(QDialog):
    """Who changed what when, across all areas; newest first."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._database = database
        self.setWindowTitle("Änderungsprotokoll")
        self.setAccessibleName("Änderungsprotokoll")

        self.date_from = OptionalDateEdit("Von", self)
        self.date_to = OptionalDateEdit("Bis", self)
        with database.session() as session:
            users = audit_users(session)
        self.user_combo = choice_combo([(u, u) for u in users], self, 14)
        self.user_combo.setAccessibleName("Benutzer")
        self.area_combo = choice_combo([(a, a) for a in audit_areas()], self, 14)
        self.area_combo.setAccessibleName("Bereich")
        self.search_edit = QLineEdit(self)
        self.search_edit.setAccessibleName("Suche in den Änderungen")
        self.search_edit.setPlaceholderText("Name, Wert oder Benutzer")
        self.search_edit.setClearButtonEnabled(True)

        filters = QFormLayout()
        dates = QHBoxLayout()
        dates.addWidget(self.date_from)
        to_label = QLabel("&bis", self)
        to_label.setBuddy(self.date_to)
        dates.addWidget(to_label)
        dates.addWidget(self.date_to)
        dates.addStretch(1)
        from_label = QLabel("&Zeitraum von", self)
        from_label.setBuddy(self.date_from)
        filters.addRow(from_label, dates)
        choices = QHBoxLayout()
        choices.addWidget(self.user_combo)
        area_label = QLabel("B&ereich", self)
        area_label.setBuddy(self.area_combo)
        choices.addWidget(area_label)
        choices.addWidget(self.area_combo)
        choices.addStretch(1)
        user_label = QLabel("Ben&utzer", self)
        user_label.setBuddy(self.user_combo)
        filters.addRow(user_label, choices)
        search_label = QLabel("&Suche", self)
        search_label.setBuddy(self.search_edit)
        filters.addRow(search_label, self.search_edit)

        self.model = ChangeLogModel(database, self)
        self.table = RecordTable(
            self.model,
            name="Änderungen",
            settings_key="audit/change_log",
            width_samples=(
                "25.11.2026 13:02",
                "benutzername",
                "Arbeitskreise",
                "Organisation: Interkultureller Verein",
                "importiert",
                "",
            ),
            stretch_column=5,
            parent=self,
        )
        self.count_label = QLabel(self)
        self.count_label.setAccessibleName("Anzahl der Änderungen")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("&Schließen")

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)
        height = self.fontMetrics().height()
        self.resize(height * 70, height * 36)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self.date_from.changed.connect(self.apply_filter)
        self.date_to.changed.connect(self.apply_filter)
        self.user_combo.currentIndexChanged.connect(self.apply_filter)
        self.area_combo.currentIndexChanged.connect(self.apply_filter)
        self.search_edit.textChanged.connect(self._search_timer.start)
        self.apply_filter()
        self.search_edit.setFocus()

    def current_filter(self) -> ChangeFilter:
        start: date | None = self.date_from.value()
        end: date | None = self.date_to.value()
        return ChangeFilter(
            date_from=start,
            date_to=end,
            user=self.user_combo.currentData(),
            area=self.area_combo.currentData(),
            search=self.search_edit.text(),
        )

    def apply_filter(self) -> None:
        self._search_timer.stop()
        self.model.set_filter(self.current_filter())
        self.count_label.setText(plural(self.model.rowCount(), "Änderung", "Änderungen"))

    def reload(self) -> None:
        """Read users and entries again (after changes in another window)."""
        with self._database.session() as session:
            fill_combo(self.user_combo, [(u, u) for u in audit_users(session)])
        self.model.reload()
        self.count_label.setText(plural(self.model.rowCount(), "Änderung", "Änderungen"))
