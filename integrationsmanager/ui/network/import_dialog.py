"""The contact import: which column fills which field, each row's fate, then all or nothing.

The file is read by :func:`read_contacts` (Outlook, Google and Thunderbird CSV, Excel,
vCard); the mapping starts from the service's suggestion and every change shows the preview
again (:func:`preview_contacts`). Duplicates and invalid rows are marked in words and in
colour. "Importieren" stays disabled while a row is invalid: the import is all or nothing.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from integrationsmanager.domain.errors import UserError
from integrationsmanager.domain.money import format_number
from integrationsmanager.services.contact_formats.table import FIELDS, ContactTable
from integrationsmanager.services.contacts_io import (
    DUPLICATE,
    INVALID,
    NEW,
    ContactImportReport,
    ContactPreview,
    PreviewRow,
    import_contacts,
    preview_contacts,
    read_contacts,
)
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.network.list_panel import FOLDER_KEY
from integrationsmanager.ui.tasks import Progress, run_task
from integrationsmanager.ui.widgets.files import ask_open_path
from integrationsmanager.ui.widgets.lazy_table import read_only_flags
from integrationsmanager.ui.widgets.previews import fit_columns, preview_table

FILE_FILTER = (
    "Kontakte (*.csv *.txt *.xlsx *.xlsm *.xls *.ods *.vcf *.vcard);;"
    "CSV aus Outlook, Google, Thunderbird (*.csv *.txt);;Excel (*.xlsx *.xlsm *.xls *.ods);;"
    "vCard (*.vcf *.vcard);;Alle Dateien (*)"
)
NOT_MAPPED = "– nicht übernehmen –"
PREVIEW_DELAY_MS = 250
"""Several quick changes of the mapping lead to one new preview."""

STATE_COLOURS = {DUPLICATE: "#FFF4CE", INVALID: "#FDE7E9"}
"""Light backgrounds that accompany the status text (never replace it)."""
STATE_ROLE = Qt.ItemDataRole.UserRole + 1
"""The row's state (:data:`NEW`, :data:`DUPLICATE`, :data:`INVALID`) for any cell."""

_NAME_FIELDS = ("salutation", "title", "first_name", "last_name", "full_name")
_Index = QModelIndex | QPersistentModelIndex


def _name(values: dict[str, str]) -> str:
    last, first = values.get("last_name", ""), values.get("first_name", "")
    return ", ".join(p for p in (last, first) if p)


class PreviewModel(QAbstractTableModel):
    """The rows of a preview: file row, status in words, name, then the mapped fields."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[PreviewRow] = []
        self._fields: list[str] = []

    def set_rows(self, rows: list[PreviewRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        present = {name for row in rows for name in row.values}
        self._fields = [f for f in FIELDS if f in present and f not in _NAME_FIELDS]
        self.endResetModel()

    def headers(self) -> list[str]:
        return ["Zeile", "Name", "Status", *(FIELDS[f] for f in self._fields)]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3 + len(self._fields)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == 0:
                return row.label
            if column == 1:
                return _name(row.values)
            if column == 2:
                return row.status
            return row.values.get(self._fields[column - 3], "")
        if role == Qt.ItemDataRole.BackgroundRole and row.state in STATE_COLOURS:
            return QBrush(QColor(STATE_COLOURS[row.state]))
        if role == Qt.ItemDataRole.ForegroundRole and row.state in STATE_COLOURS:
            # Dark text on the light background, also under a dark system theme.
            return QBrush(QColor("black"))
        if role == STATE_ROLE:
            return row.state
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            headers = self.headers()
            return headers[section] if 0 <= section < len(headers) else None
        return section + 1

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return read_only_flags(index)


class ImportDialog(QDialog):
    """Map, preview and import the contacts of one file; after ``accept()`` see ``report``."""

    def __init__(self, database: Database, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._database = database
        self.path = path
        self.table: ContactTable | None = None
        self.preview: ContactPreview | None = None
        self.report: ContactImportReport | None = None
        self.mapping_combos: dict[str, QComboBox] = {}
        self.setWindowTitle("Kontakte importieren")

        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self._on_preview_timer_timeout)

        self.file_edit = QLineEdit(self)
        self.file_edit.setReadOnly(True)
        self.file_button = QPushButton("Andere Datei …", self)
        self.file_button.setAutoDefault(False)
        self.file_button.setAccessibleName("Andere Datei wählen")
        file_label = QLabel("&Datei", self)
        file_label.setBuddy(self.file_edit)
        self.file_edit.setAccessibleName("Datei")
        file_row = QHBoxLayout()
        file_row.addWidget(file_label)
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.file_button)

        mapping_box = QGroupBox("Welche Spalte füllt welches Feld?", self)
        self.mapping_table = QTableWidget(0, 3, mapping_box)
        self.mapping_table.setAccessibleName("Zuordnung der Spalten")
        self.mapping_table.setHorizontalHeaderLabels(
            ["Spalte in der Datei", "Beispiel", "Übernehmen als"]
        )
        mapping_rows = self.mapping_table.verticalHeader()
        mapping_rows.hide()
        mapping_rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        mapping_rows.setDefaultSectionSize(QComboBox().sizeHint().height())
        self.mapping_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.mapping_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.mapping_table.setTabKeyNavigation(False)
        header = self.mapping_table.horizontalHeader()
        header.setAccessibleName("Spalten der Zuordnung")
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        mapping_layout = QVBoxLayout(mapping_box)
        mapping_layout.addWidget(self.mapping_table)

        preview_box = QGroupBox("Vorschau", self)
        self.preview_model = PreviewModel(self)
        self.preview_view = preview_table(preview_box, "Vorschau der Zeilen mit ihrem Status")
        self.preview_view.setModel(self.preview_model)
        self.preview_view.horizontalHeader().setAccessibleName("Spalten der Vorschau")
        self.counts_label = QLabel(preview_box)
        self.counts_label.setWordWrap(True)
        preview_layout = QVBoxLayout(preview_box)
        preview_layout.addWidget(self.preview_view, 1)
        preview_layout.addWidget(self.counts_label)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(mapping_box)
        splitter.addWidget(preview_box)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)

        self.explain_label = QLabel(self)
        self.explain_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(self)
        self.import_button = self.buttons.addButton(
            "Importieren", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button = self.buttons.addButton(
            "Abbrechen", QDialogButtonBox.ButtonRole.RejectRole
        )
        self.cancel_button.setAccessibleName("Abbrechen (Esc)")
        self.import_button.setEnabled(False)
        footer = QHBoxLayout()
        footer.addWidget(self.explain_label, 1)
        footer.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        layout.addLayout(file_row)
        layout.addWidget(splitter, 1)
        layout.addLayout(footer)

        self.file_button.clicked.connect(self._on_file_button_clicked)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.cancel_button.clicked.connect(self.reject)

        metrics = self.fontMetrics()
        screen = self.screen().availableGeometry()
        self.resize(
            min(metrics.averageCharWidth() * 170, int(screen.width() * 0.9)),
            min(metrics.lineSpacing() * 50, int(screen.height() * 0.9)),
        )
        self.load(path)

    # --- public ---------------------------------------------------------------------------

    def load(self, path: Path) -> bool:
        """Read ``path``, offer the suggested mapping and show the preview."""
        try:
            table = read_contacts(path)
        except UserError as err:
            self.path, self.table, self.preview = path, None, None
            self.file_edit.setText(str(path))
            self._show_mapping(None)
            self._show_problem(str(err))
            return False
        self.path, self.table = path, table
        self.file_edit.setText(str(path))
        self._show_mapping(table)
        self.refresh_preview()
        return True

    def mapping(self) -> dict[str, str]:
        """Source column → target field as the combos say."""
        return {
            column: field
            for column, combo in self.mapping_combos.items()
            if (field := combo.currentData())
        }

    def set_mapping(self, column: str, field: str | None) -> None:
        """Let ``column`` fill ``field`` (None: not imported); the preview follows."""
        combo = self.mapping_combos[column]
        combo.setCurrentIndex(max(combo.findData(field), 0))

    def refresh_preview(self) -> None:
        """Check every row with the current mapping (behind a progress dialog if slow)."""
        self._preview_timer.stop()
        database, path, mapping = self._database, self.path, self.mapping()

        def job(_progress: Progress) -> ContactPreview:
            with database.session() as session:
                return preview_contacts(session, path, mapping)

        outcome = run_task(
            self,
            job,
            title="Vorschau",
            label="Die Zeilen werden geprüft …",
            report_errors=False,
        )
        if outcome.error is not None:
            self.preview = None
            self._show_problem(str(outcome.error))
        elif outcome.value is not None:
            self.preview = outcome.value
            self._show_preview(outcome.value)

    # --- showing --------------------------------------------------------------------------

    def _show_mapping(self, table: ContactTable | None) -> None:
        self.mapping_combos = {}
        self.mapping_table.setRowCount(0)
        if table is None:
            return
        self.mapping_table.setRowCount(len(table.columns))
        for row, column in enumerate(table.columns):
            sample = next(
                (
                    cells[row].strip()
                    for cells in table.rows
                    if row < len(cells) and cells[row].strip()
                ),
                "",
            )
            self.mapping_table.setItem(row, 0, QTableWidgetItem(column))
            example = QTableWidgetItem(" ".join(sample.split()))
            example.setToolTip(sample)
            self.mapping_table.setItem(row, 1, example)
            combo = QComboBox(self.mapping_table)
            combo.addItem(NOT_MAPPED, None)
            for field, label in FIELDS.items():
                combo.addItem(label, field)
            combo.setCurrentIndex(max(combo.findData(table.mapping.get(column)), 0))
            combo.setAccessibleName(f"Spalte „{column}“ übernehmen als")
            combo.currentIndexChanged.connect(partial(self._on_mapping_combo_changed, column))
            self.mapping_table.setCellWidget(row, 2, combo)
            self.mapping_combos[column] = combo

    def _show_problem(self, message: str) -> None:
        self.preview_model.set_rows([])
        self.counts_label.setText("")
        self.explain_label.setText(message)
        self.import_button.setEnabled(False)
        self.import_button.setToolTip(message)

    def _show_preview(self, preview: ContactPreview) -> None:
        self.preview_model.set_rows(preview.rows)
        # Long texts (a reason, notes) are cut; the tooltip shows them whole.
        fit_columns(self.preview_view)
        total = len(preview.rows)
        new = preview.count(NEW)
        duplicates = preview.count(DUPLICATE)
        invalid = preview.count(INVALID)
        parts = [f"{format_number(new)} neu"]
        if duplicates:
            parts.append(f"{format_number(duplicates)} schon vorhanden (werden übersprungen)")
        if invalid:
            parts.append(f"{format_number(invalid)} ungültig")
        rows = "Zeile" if total == 1 else "Zeilen"
        self.counts_label.setText(f"{format_number(total)} {rows}: {', '.join(parts)}.")
        if invalid:
            message = (
                "Importieren geht erst, wenn keine Zeile mehr ungültig ist – bitte die "
                "Zuordnung ändern oder die Datei korrigieren. Der Import übernimmt alle Zeilen "
                "oder keine."
            )
        elif not new:
            message = "Es gibt keine neuen Kontakte zu importieren."
        else:
            message = ""
        self.explain_label.setText(message)
        self.import_button.setEnabled(invalid == 0 and new > 0)
        persons = "Person" if new == 1 else "Personen"
        self.import_button.setToolTip(message or f"{format_number(new)} {persons} importieren")

    # --- slots ----------------------------------------------------------------------------

    def _on_mapping_combo_changed(self, _column: str, _index: int) -> None:
        self.import_button.setEnabled(False)
        self._preview_timer.start()

    def _on_preview_timer_timeout(self) -> None:
        self.refresh_preview()

    def _on_file_button_clicked(self) -> None:
        path = ask_open_path(
            self, caption="Kontakte importieren", file_filter=FILE_FILTER, folder_key=FOLDER_KEY
        )
        if path is not None:
            self.load(path)

    def _on_import_button_clicked(self) -> None:
        database, path, mapping = self._database, self.path, self.mapping()

        def job(_progress: Progress) -> ContactImportReport:
            with database.session() as session:
                return import_contacts(session, path, mapping=mapping)

        outcome = run_task(self, job, title="Import", label="Die Kontakte werden importiert …")
        if outcome.ok and outcome.value is not None:
            self.report = outcome.value
            self.accept()
