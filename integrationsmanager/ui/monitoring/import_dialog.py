"""Kennzahlen importieren: a file in the long layout is checked and imported; a wide statistics
table (GENESIS) is first mapped to one indicator.

The long layout (``Kennzahl``, ``Jahr`` or ``Stichtag``, ``Wert`` …) is previewed as the file
has it and checked at once with a dry run of the import (nothing saved), whose result or
problems (each naming its row) appear below. A wide table gets the mapping step
(:class:`~integrationsmanager.ui.monitoring.wide_mapping.WideMappingPanel`). Either import
runs behind a cancellable progress dialog and stores all values or none.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from integrationsmanager.domain.errors import UserError
from integrationsmanager.domain.text import fold
from integrationsmanager.services.indicator_io import (
    IndicatorImportReport,
    StatisticsTable,
    WideMapping,
    import_indicator_values,
    import_wide_table,
    read_statistics_table,
)
from integrationsmanager.services.indicators import (
    create_indicator,
    list_indicators,
)
from integrationsmanager.services.spreadsheets import restore
from integrationsmanager.services.statistics_table import TableRow, is_footer_row
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.monitoring.text_model import TextTableModel
from integrationsmanager.ui.monitoring.wide_mapping import IndicatorChoice, WideMappingPanel
from integrationsmanager.ui.tasks import Progress, TaskOutcome, run_task
from integrationsmanager.ui.widgets.files import ask_open_path
from integrationsmanager.ui.widgets.filters import plural
from integrationsmanager.ui.widgets.previews import fit_columns, preview_table

FOLDER_KEY = "monitoring/folder"
FILE_FILTER = (
    "Excel- oder CSV-Datei (*.xlsx *.xlsm *.xls *.ods *.csv *.txt);;"
    "CSV der Statistikämter (*.csv *.txt);;Excel (*.xlsx *.xlsm *.xls *.ods);;Alle Dateien (*)"
)
LONG_COLUMNS = {"kennzahl", "wert"}
"""A header row with these columns marks the long layout."""


def long_header(table: StatisticsTable) -> int | None:
    """The index of the long layout's header row (``Kennzahl`` … ``Wert``), if the file has one."""
    for index, row in enumerate(table.rows):
        if {fold(restore(cell)) for cell in row.cells} >= LONG_COLUMNS:
            return index
    return None


def long_body(table: StatisticsTable, header: int) -> list[TableRow]:
    """The rows below the header up to the footer (notes, © line)."""
    body: list[TableRow] = []
    for row in table.rows[header + 1 :]:
        if is_footer_row(row):
            break
        body.append(row)
    return body


class IndicatorImportDialog(QDialog):
    """Import the values of one file; ``imported`` says what was stored and which indicator
    to show (0: none in particular). After ``accept()`` see ``report``."""

    imported = Signal(str, int)

    def __init__(
        self,
        database: Database,
        path: Path,
        *,
        indicator_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._database = database
        self._indicator_id = indicator_id
        self.path = path
        self.table: StatisticsTable | None = None
        self.wide: WideMappingPanel | None = None
        self.report: IndicatorImportReport | None = None
        self.checked: IndicatorImportReport | None = None
        """The dry run's result for a file in the long layout."""
        self.setWindowTitle("Kennzahlen importieren")

        self.file_edit = QLineEdit(self)
        self.file_edit.setReadOnly(True)
        file_label = QLabel("&Datei", self)
        file_label.setBuddy(self.file_edit)
        self.file_edit.setAccessibleName("Datei")
        self.file_button = QPushButton("Andere Datei …", self)
        self.file_button.setAutoDefault(False)
        self.file_button.setAccessibleName("Andere Datei wählen")
        self.kind_label = QLabel(self)
        self.kind_label.setWordWrap(True)
        self.kind_label.setAccessibleName("Erkannte Tabelle")
        file_row = QHBoxLayout()
        file_row.addWidget(file_label)
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.file_button)

        self.stack = QStackedWidget(self)
        self.long_page = self._build_long_page()
        self.wide_host = QWidget(self.stack)
        wide_layout = QVBoxLayout(self.wide_host)
        wide_layout.setContentsMargins(0, 0, 0, 0)
        self.empty_page = QWidget(self.stack)
        self.stack.addWidget(self.empty_page)
        self.stack.addWidget(self.long_page)
        self.stack.addWidget(self.wide_host)

        self.explain_label = QLabel(self)
        self.explain_label.setWordWrap(True)
        self.explain_label.setAccessibleName("Hinweis zum Import")
        self.buttons = QDialogButtonBox(self)
        self.import_button = self.buttons.addButton(
            "&Importieren", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setAccessibleName("Importieren")
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
        layout.addWidget(self.kind_label)
        layout.addWidget(self.stack, 1)
        layout.addLayout(footer)

        self.file_button.clicked.connect(self._on_file_button_clicked)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.cancel_button.clicked.connect(self.reject)

        metrics = self.fontMetrics()
        screen = self.screen().availableGeometry()
        self.resize(
            min(metrics.averageCharWidth() * 190, int(screen.width() * 0.9)),
            min(metrics.lineSpacing() * 52, int(screen.height() * 0.9)),
        )
        self.load(path)

    def _build_long_page(self) -> QWidget:
        page = QSplitter(Qt.Orientation.Vertical, self.stack)
        preview_box = QGroupBox("Vorschau der Datei", page)
        self.context_label = QLabel(preview_box)
        self.context_label.setWordWrap(True)
        self.context_label.setAccessibleName("Titel der Tabelle")
        self.long_model = TextTableModel(self)
        self.long_view = preview_table(preview_box, "Vorschau der Datei", row_numbers=True)
        self.long_view.setModel(self.long_model)
        preview_layout = QVBoxLayout(preview_box)
        preview_layout.addWidget(self.context_label)
        preview_layout.addWidget(self.long_view, 1)

        check_box = QGroupBox("Prüfung (es wird noch nichts gespeichert)", page)
        self.result_label = QLabel(check_box)
        self.result_label.setWordWrap(True)
        self.result_label.setAccessibleName("Ergebnis der Prüfung")
        self.problems_list = QListWidget(check_box)
        self.problems_list.setAccessibleName("Probleme der Datei")
        self.problems_list.setWordWrap(True)
        check_layout = QVBoxLayout(check_box)
        check_layout.addWidget(self.result_label)
        check_layout.addWidget(self.problems_list, 1)
        page.addWidget(preview_box)
        page.addWidget(check_box)
        page.setStretchFactor(0, 3)
        page.setStretchFactor(1, 1)
        page.setChildrenCollapsible(False)
        return page

    # --- public ---------------------------------------------------------------------------

    @property
    def is_long(self) -> bool:
        return self.stack.currentWidget() is self.long_page

    def load(self, path: Path) -> bool:
        """Read ``path``; show the long layout with its check, or the mapping step."""
        self.path, self.table, self.checked = path, None, None
        self.file_edit.setText(str(path))
        self._drop_wide()
        try:
            table = read_statistics_table(path)
        except UserError as err:
            self.kind_label.setText("")
            self.stack.setCurrentWidget(self.empty_page)
            self._say(str(err), ready=False)
            return False
        self.table = table
        source = f"{table.encoding}" + (
            f", Trennzeichen „{'TAB' if table.delimiter == chr(9) else table.delimiter}“"
            if table.delimiter
            else ""
        )
        header = long_header(table)
        if header is not None:
            self.kind_label.setText(
                f"Erkannt: Kennzahlen im Langformat (eine Zeile je Wert; {source})."
            )
            self._show_long(table, header)
            self.check_long()
        else:
            self.kind_label.setText(
                "Erkannt: breite Tabelle einer Statistik (z. B. GENESIS; "
                f"{source}). Bitte zuordnen, welche Spalten und Zeilen welche Werte ergeben."
            )
            self._show_wide(table)
        return True

    def check_long(self) -> None:
        """Run the import as a dry run (nothing saved) and show its result or problems."""
        database, path = self._database, self.path

        def job(progress: Progress) -> IndicatorImportReport:
            with database.session() as session:
                return import_indicator_values(session, path, dry_run=True, progress=progress)

        outcome = run_task(
            self, job, title="Prüfung", label="Die Datei wird geprüft …", report_errors=False
        )
        self.problems_list.clear()
        if outcome.value is not None:
            self.checked = outcome.value
            self.result_label.setText(outcome.value.summary())
            self.problems_list.hide()
            rows = outcome.value.rows
            self._say("" if rows else "Die Datei enthält keine Werte.", ready=rows > 0)
            return
        self.checked = None
        problems = getattr(outcome.error, "problems", None)
        if problems:
            self.result_label.setText(
                "Die Datei kann so nicht importiert werden. Bitte in der Datei korrigieren:"
            )
            self.problems_list.addItems(problems)
            self.problems_list.show()
        else:
            self.result_label.setText(str(outcome.error or "Prüfung abgebrochen."))
            self.problems_list.hide()
        self._say(
            "Importieren geht erst, wenn die Prüfung keine Probleme mehr findet – der Import "
            "übernimmt alle Werte oder keinen.",
            ready=False,
        )

    def import_now(self) -> bool:
        """Import behind the progress dialog; True when it stored the values."""
        if not self.import_button.isEnabled():
            return False
        if self.wide is not None and self.table is not None:
            outcome = self._run_wide_import(self.table, self.wide)
        else:
            database, path = self._database, self.path

            def job(progress: Progress) -> tuple[IndicatorImportReport, int]:
                with database.session() as session:
                    report = import_indicator_values(session, path, progress=progress)
                    return report, 0

            outcome = run_task(
                self, job, title="Import", label="Die Kennzahlen werden importiert …"
            )
        if outcome.cancelled:
            self._say("Import abgebrochen, es wurde nichts gespeichert.", ready=True)
            return False
        if not outcome.ok or outcome.value is None:
            return False
        self.report, indicator_id = outcome.value
        self.imported.emit(self.report.summary(), indicator_id)
        self.accept()
        return True

    # --- showing --------------------------------------------------------------------------

    def _show_long(self, table: StatisticsTable, header: int) -> None:
        titles = [row.text for row in table.rows[:header]]
        self.context_label.setText("\n".join(titles))
        self.context_label.setVisible(bool(titles))
        body = long_body(table, header)
        columns = [restore(cell) for cell in table.rows[header].cells]
        self.long_model.set_table(
            columns,
            [[restore(cell) for cell in row.cells] for row in body],
            row_labels=[str(row.number) for row in body],
            right_aligned=[i for i, c in enumerate(columns) if fold(c) in ("wert", "jahr")],
        )
        fit_columns(self.long_view)
        self.stack.setCurrentWidget(self.long_page)

    def _show_wide(self, table: StatisticsTable) -> None:
        with self._database.session() as session:
            choices = [
                IndicatorChoice(row.id, row.name, row.unit) for row in list_indicators(session)
            ]
        self.wide = WideMappingPanel(
            table, choices, indicator_id=self._indicator_id, parent=self.wide_host
        )
        layout = self.wide_host.layout()
        assert layout is not None
        layout.addWidget(self.wide)
        self.wide.state_changed.connect(self._on_wide_state_changed)
        self.stack.setCurrentWidget(self.wide_host)
        self._on_wide_state_changed()

    def _drop_wide(self) -> None:
        if self.wide is not None:
            self.wide.setParent(None)
            self.wide.deleteLater()
            self.wide = None

    def _say(self, message: str, *, ready: bool) -> None:
        self.explain_label.setText(message)
        self.import_button.setEnabled(ready)
        self.import_button.setToolTip(message or "Alle Werte importieren")

    def _run_wide_import(
        self, table: StatisticsTable, panel: WideMappingPanel
    ) -> TaskOutcome[tuple[IndicatorImportReport, int]]:
        mapping: WideMapping = panel.mapping()[0]
        indicator_id, new = panel.target()
        database = self._database

        def job(progress: Progress) -> tuple[IndicatorImportReport, int]:
            with database.session() as session:
                target = indicator_id
                if target is None:
                    assert new is not None
                    target = create_indicator(session, new).id
                report = import_wide_table(
                    session, table, mapping, indicator_id=target, progress=progress
                )
                return report, target

        return run_task(self, job, title="Import", label="Die Werte werden importiert …")

    # --- slots ----------------------------------------------------------------------------

    def _on_wide_state_changed(self) -> None:
        panel = self.wide
        if panel is None:
            return
        if panel.ready:
            count = len(panel.preview.values) if panel.preview is not None else 0
            values = plural(count, "Wert wird", "Werte werden")
            self._say(f"Bereit: {values} übernommen (alle oder keiner).", ready=True)
        else:
            self._say(
                "Importieren geht erst, wenn die Zuordnung Werte ohne Probleme ergibt.",
                ready=False,
            )

    def _on_file_button_clicked(self) -> None:
        path = ask_open_path(
            self, caption="Kennzahlen importieren", file_filter=FILE_FILTER, folder_key=FOLDER_KEY
        )
        if path is not None:
            self.load(path)

    def _on_import_button_clicked(self) -> None:
        self.import_now()
