"""The monitoring area: the indicators on the left, the chosen one with charts and values right.

Every change is one service call in one unit of work; afterwards the page reloads, says what
happened in one quiet line (``status_message``) and announces ``data_changed`` so the other
areas (overview, reports) refresh.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from integrationsmanager.domain.errors import UserError
from integrationsmanager.services.indicator_io import export_indicator_values
from integrationsmanager.services.indicators import delete_indicator, list_indicators
from integrationsmanager.services.measures import guidelines
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.monitoring.details import IndicatorDetails
from integrationsmanager.ui.monitoring.editor import IndicatorEditor
from integrationsmanager.ui.monitoring.import_dialog import (
    FILE_FILTER,
    FOLDER_KEY,
    IndicatorImportDialog,
)
from integrationsmanager.ui.monitoring.list_model import (
    GUIDELINES,
    LATEST,
    NAME,
    TARGET,
    YEAR,
    IndicatorListModel,
    SortProxy,
)
from integrationsmanager.ui.tasks import Progress, run_task
from integrationsmanager.ui.widgets.empty_state import empty_state_label
from integrationsmanager.ui.widgets.files import ask_open_path, ask_save_path
from integrationsmanager.ui.widgets.filters import (
    SEARCH_DELAY_MS,
    choice_combo,
    fill_combo,
    plural,
)
from integrationsmanager.ui.widgets.focus import chain_tabs
from integrationsmanager.ui.widgets.settings import app_settings

EMPTY_DATABASE = (
    'Noch keine Kennzahlen — <a href="new">Neue Kennzahl</a> (Strg+N) oder '
    '<a href="import">Kennzahlen importieren</a>.'
)
EMPTY_FILTER = 'Keine Kennzahlen für diesen Filter — <a href="reset">Filter zurücksetzen</a>'

SPLIT_UNIT = 1000
"""Splitter sizes are relative: the first layout scales them to the page's width."""

_SPLITTER_KEY = "monitoring/splitter"
_LEFT_SPLITTER_KEY = "monitoring/left_splitter"
_WIDTH_SAMPLES = {
    LATEST: "88.100 Personen",
    YEAR: "2024",
    TARGET: "400 bis 2030",
    GUIDELINES: "5, 6",
}


class MonitoringPage(QWidget):
    """Indicators with search and guideline filter; details, charts and values of one."""

    status_message = Signal(str)
    data_changed = Signal()

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._database = database
        self._total = 0
        self.editor: IndicatorEditor | None = None
        """The open indicator editor, if any."""
        self.import_dialog: IndicatorImportDialog | None = None

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._on_search_timer_timeout)

        list_panel = self._build_list()
        self.details = IndicatorDetails(database, self)
        # The list of a few dozen indicators needs little height: the chosen one's values
        # go below it, its header and charts take the whole right side.
        self.left_splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.left_splitter.addWidget(list_panel)
        self.left_splitter.addWidget(self.details.values_box)
        self.left_splitter.setChildrenCollapsible(False)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.left_splitter)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)

        self._restore_view_state()
        self._connect()
        # Reading order: the list, the values below it, then the indicator on the right.
        details = self.details
        chain_tabs(
            [
                self.table,
                details.add_button,
                details.value_edit_button,
                details.value_delete_button,
                details.values_view,
                details.edit_button,
                details.delete_button,
            ]
        )
        self.refresh()

    # --- building -------------------------------------------------------------------------

    def _build_list(self) -> QWidget:
        panel = QWidget(self)
        self.guideline_combo = choice_combo([], panel, 10)
        self.search_edit = QLineEdit(panel)
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText("Name der Kennzahl …")
        self.search_edit.setToolTip("Suche (Strg+F): Groß- und Kleinschreibung egal, ä = ae")
        filter_bar = QHBoxLayout()
        for text, widget, stretch in (
            ("Lei&tlinie", self.guideline_combo, 2),
            ("S&uche", self.search_edit, 3),
        ):
            label = QLabel(text, panel)
            label.setBuddy(widget)
            widget.setAccessibleName(text.replace("&", ""))
            filter_bar.addWidget(label)
            filter_bar.addWidget(widget, stretch)

        self.summary_label = QLabel(panel)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reset_button = QPushButton("Filter zurücksetzen", panel)
        self.reset_button.setAccessibleName("Filter zurücksetzen")
        self.new_button = QPushButton("&Neu …", panel)
        self.new_button.setAccessibleName("Neue Kennzahl")
        self.new_button.setToolTip("Neue Kennzahl (Strg+N)")
        self.import_button = QPushButton("&Import …", panel)
        self.import_button.setAccessibleName("Kennzahlen importieren")
        self.import_button.setToolTip(
            "Werte aus einer Excel- oder CSV-Datei übernehmen, auch aus Tabellen der "
            "Statistikämter (GENESIS)"
        )
        self.export_button = QToolButton(panel)
        self.export_button.setText("E&xport")
        self.export_button.setAccessibleName("Kennzahlen exportieren")
        self.export_button.setToolTip("Alle Werte der angezeigten Kennzahlen als Excel oder CSV")
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.export_menu = QMenu(self.export_button)
        self.export_xlsx_action = self.export_menu.addAction("Als Excel-Datei (.xlsx) …")
        self.export_csv_action = self.export_menu.addAction("Als CSV-Datei (.csv) …")
        self.export_button.setMenu(self.export_menu)
        action_bar = QHBoxLayout()
        action_bar.addWidget(self.summary_label)
        action_bar.addWidget(self.reset_button)
        action_bar.addStretch(1)
        for button in (self.new_button, self.import_button, self.export_button):
            action_bar.addWidget(button)

        self.model = IndicatorListModel(self)
        self.proxy = SortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(panel)
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Kennzahlen")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        rows = self.table.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        line = self.fontMetrics().height()
        rows.setDefaultSectionSize(line + line // 2)
        header = self.table.horizontalHeader()
        header.setAccessibleName("Spalten: Kennzahlen")
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        metrics = self.fontMetrics()
        padding = metrics.horizontalAdvance("MM")
        for column, sample in _WIDTH_SAMPLES.items():
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            width = max(metrics.horizontalAdvance(sample), metrics.horizontalAdvance(title))
            self.table.setColumnWidth(column, width + padding)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(NAME, Qt.SortOrder.AscendingOrder)
        self.empty_label = empty_state_label(panel)
        self.list_stack = QStackedWidget(panel)
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty_label)

        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filter_bar)
        layout.addLayout(action_bar)
        layout.addWidget(self.list_stack, 1)
        return panel

    def _connect(self) -> None:
        self.guideline_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        self.reset_button.clicked.connect(self.reset_filter)
        self.new_button.clicked.connect(self.new_record)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.export_xlsx_action.triggered.connect(self._on_export_xlsx_action_triggered)
        self.export_csv_action.triggered.connect(self._on_export_csv_action_triggered)
        self.empty_label.linkActivated.connect(self._on_empty_label_link_activated)
        self.table.activated.connect(self._on_table_activated)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)
        self.details.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.details.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.details.values_changed.connect(self._on_details_values_changed)
        self.details.status_message.connect(self.status_message)
        self.splitter.splitterMoved.connect(self._on_view_state_changed)
        self.left_splitter.splitterMoved.connect(self._on_view_state_changed)
        delete = QShortcut(QKeySequence.StandardKey.Delete, self.table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self._on_delete_button_clicked)

    # --- public slots for the main window -------------------------------------------------

    def refresh(self) -> None:
        """Reload everything from the database (F5, or after another area changed data)."""
        with self._database.session() as session:
            items = [(g.label, g.id) for g in guidelines(session)]
            self._total = len(list_indicators(session))
        fill_combo(self.guideline_combo, items)
        self._apply_filter()

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def new_record(self) -> IndicatorEditor:
        """Open the editor for a new indicator (in the guideline the list is filtered by)."""
        guideline = self.guideline_combo.currentData()
        return self._open_editor(
            IndicatorEditor(
                self._database,
                guideline_id=guideline if isinstance(guideline, int) else None,
                parent=self,
            )
        )

    def edit_indicator(self, indicator_id: int) -> IndicatorEditor | None:
        try:
            editor = IndicatorEditor(self._database, indicator_id=indicator_id, parent=self)
        except UserError as err:
            QMessageBox.warning(self, "Kennzahl bearbeiten", str(err))
            self.refresh()
            return None
        return self._open_editor(editor)

    def show_indicator(self, indicator_id: int) -> bool:
        """Select ``indicator_id``, resetting the filter if it hides the indicator."""
        if self.select_indicator(indicator_id):
            return True
        self.reset_filter()
        return self.select_indicator(indicator_id)

    def select_indicator(self, indicator_id: int) -> bool:
        row = self.proxy.row_of(indicator_id)
        if row is None:
            return False
        index = self.proxy.index(row, NAME)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        return True

    def selected_id(self) -> int | None:
        index = self.table.selectionModel().currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row()):
            return None
        return self.proxy.indicator_id(index.row())

    def reset_filter(self) -> None:
        self._search_timer.stop()
        self.guideline_combo.blockSignals(True)
        self.guideline_combo.setCurrentIndex(0)
        self.guideline_combo.blockSignals(False)
        self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(False)
        self._apply_filter()

    def can_close(self) -> bool:
        """False if an open editor or value dialog has changes the user wants to keep."""
        for dialog in (self.editor, self.details.dialog):
            if dialog is not None and dialog.isVisible():
                dialog.reject()
                if dialog.isVisible():
                    return False
        return True

    # --- helpers --------------------------------------------------------------------------

    def _apply_filter(self) -> None:
        """Read the indicators the filter asks for; keep the selection where it stays."""
        self._search_timer.stop()
        keep = self.selected_id() or self.details.indicator_id
        guideline = self.guideline_combo.currentData()
        with self._database.session() as session:
            rows = list_indicators(
                session,
                search=self.search_edit.text().strip(),
                guideline_id=guideline if isinstance(guideline, int) else None,
            )
        self.model.set_rows(rows)
        self._show_summary()
        if keep is None or not self.select_indicator(keep):
            if self.proxy.rowCount():
                self.select_indicator(self.proxy.indicator_id(0))
            else:
                self.details.show_indicator(None)
        else:
            self.details.reload()

    def _is_filtered(self) -> bool:
        return self.guideline_combo.currentIndex() > 0 or bool(self.search_edit.text().strip())

    def _show_summary(self) -> None:
        shown = self.model.rowCount()
        total = plural(self._total, "Kennzahl", "Kennzahlen")
        filtered = self._is_filtered()
        self.summary_label.setText(f"{shown} von {total}" if filtered else total)
        self.reset_button.setVisible(filtered)
        self.export_button.setEnabled(shown > 0)
        if shown:
            self.list_stack.setCurrentWidget(self.table)
            return
        self.empty_label.setText(EMPTY_DATABASE if self._total == 0 else EMPTY_FILTER)
        self.empty_label.setAccessibleName(
            "Noch keine Kennzahlen" if self._total == 0 else "Keine Kennzahlen für diesen Filter"
        )
        self.list_stack.setCurrentWidget(self.empty_label)

    def _open_editor(self, editor: IndicatorEditor) -> IndicatorEditor:
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.saved.connect(self._on_editor_saved)
        editor.finished.connect(self._on_editor_finished)
        self.editor = editor
        editor.open()
        return editor

    def _announce(self, message: str, *, select: int | None = None) -> None:
        """After a change: reload, say what happened, and let the other areas know."""
        self.refresh()
        if select is not None:
            self.show_indicator(select)
        self.status_message.emit(message)
        self.data_changed.emit()

    def delete_selected(self) -> bool:
        """Ask (saying how many values go with it); delete the indicator. True if deleted."""
        indicator_id = self.details.indicator_id
        if indicator_id is None:
            return False
        row = self.model.rows[self.model.row_of(indicator_id) or 0]
        values = plural(row.value_count, "Wert", "Werte")
        answer = QMessageBox.question(
            self,
            "Kennzahl löschen",
            f"Die Kennzahl „{row.name}“ löschen?\n\n"
            + (f"Ihre {values} werden mit gelöscht. " if row.value_count else "")
            + "Das lässt sich nicht rückgängig machen.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        position = self.proxy.row_of(indicator_id) or 0
        try:
            with self._database.session() as session:
                delete_indicator(session, indicator_id)
        except UserError as err:
            QMessageBox.warning(self, "Kennzahl löschen", str(err))
            self.refresh()
            return False
        self.details.show_indicator(None)
        self._announce(f"Gelöscht: „{row.name}“ mit {values}")
        if self.proxy.rowCount():
            self.select_indicator(self.proxy.indicator_id(min(position, self.proxy.rowCount() - 1)))
        return True

    def open_import(self, path: Path | None = None) -> IndicatorImportDialog | None:
        """Ask for a file (unless ``path`` is given) and open the import dialog for it."""
        chosen = path
        if chosen is None:
            chosen = ask_open_path(
                self,
                caption="Kennzahlen importieren",
                file_filter=FILE_FILTER,
                folder_key=FOLDER_KEY,
            )
        if chosen is None:
            return None
        dialog = IndicatorImportDialog(
            self._database, chosen, indicator_id=self.details.indicator_id, parent=self
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.imported.connect(self._on_import_dialog_imported)
        dialog.finished.connect(self._on_import_dialog_finished)
        self.import_dialog = dialog
        dialog.open()
        return dialog

    def _export(self, name: str, file_filter: str) -> None:
        path = ask_save_path(
            self,
            caption="Kennzahlen exportieren",
            name=name,
            file_filter=file_filter,
            folder_key=FOLDER_KEY,
        )
        if path is None:
            return
        database = self._database
        ids = [row.id for row in self.model.rows]
        everything = not self._is_filtered()

        def job(_progress: Progress) -> int:
            with database.session() as session:
                return export_indicator_values(
                    session, path, indicator_ids=None if everything else ids
                )

        outcome = run_task(self, job, title="Export", label="Die Kennzahlen werden exportiert …")
        if outcome.ok and outcome.value is not None:
            values = plural(outcome.value, "Wert", "Werte")
            self.status_message.emit(f"{values} exportiert: {path.name}")

    # --- view state -----------------------------------------------------------------------

    def _restore_view_state(self) -> None:
        """The splitters as the user left them; at first list and values get half the width."""
        self.splitter.setSizes([SPLIT_UNIT, SPLIT_UNIT])
        self.left_splitter.setSizes([2 * SPLIT_UNIT, 3 * SPLIT_UNIT])
        settings = app_settings()
        for key, splitter in (
            (_SPLITTER_KEY, self.splitter),
            (_LEFT_SPLITTER_KEY, self.left_splitter),
        ):
            saved = settings.value(key)
            if isinstance(saved, QByteArray):
                splitter.restoreState(saved)

    def _on_view_state_changed(self, *_args: object) -> None:
        settings = app_settings()
        settings.setValue(_SPLITTER_KEY, self.splitter.saveState())
        settings.setValue(_LEFT_SPLITTER_KEY, self.left_splitter.saveState())

    # --- slots ----------------------------------------------------------------------------

    def _on_filter_changed(self, _index: int) -> None:
        self._apply_filter()

    def _on_search_edit_text_changed(self, _text: str) -> None:
        self._search_timer.start()

    def _on_search_timer_timeout(self) -> None:
        self._apply_filter()

    def _on_table_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.details.show_indicator(self.proxy.indicator_id(current.row()))

    def _on_table_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.edit_indicator(self.proxy.indicator_id(index.row()))

    def _on_edit_button_clicked(self) -> None:
        if self.details.indicator_id is not None:
            self.edit_indicator(self.details.indicator_id)

    def _on_delete_button_clicked(self) -> None:
        self.delete_selected()

    def _on_editor_saved(self, indicator_id: int) -> None:
        self._announce("Gespeichert", select=indicator_id)

    def _on_editor_finished(self, _result: int) -> None:
        self.editor = None
        self.table.setFocus()

    def _on_details_values_changed(self, message: str) -> None:
        # The list shows the latest value: read it again, keep the chosen value selected.
        value_id = self.details.selected_value_id()
        self._announce(message)
        if value_id is not None:
            self.details.select_value(value_id)

    def _on_import_button_clicked(self) -> None:
        self.open_import()

    def _on_import_dialog_imported(self, message: str, indicator_id: int) -> None:
        self._announce(message, select=indicator_id if indicator_id else None)

    def _on_import_dialog_finished(self, _result: int) -> None:
        self.import_dialog = None

    def _on_export_xlsx_action_triggered(self) -> None:
        self._export("Kennzahlen.xlsx", "Excel-Arbeitsmappe (*.xlsx)")

    def _on_export_csv_action_triggered(self) -> None:
        self._export("Kennzahlen.csv", "CSV-Datei (*.csv)")

    def _on_empty_label_link_activated(self, link: str) -> None:
        if link == "new":
            self.new_record()
        elif link == "import":
            self.open_import()
        elif link == "reset":
            self.reset_filter()
