"""The measures list: filters over a lazy table, the details of the picked measure below.

Every change is one service call in one unit of work; afterwards the page reloads itself,
says what happened in one quiet line (``status_message``) and announces ``data_changed`` so
the other views refresh (Anki's operations).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import (
    QByteArray,
    QModelIndex,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from integrationsmanager.domain.enums import LabelledEnum, MeasureStatus, Responsibility
from integrationsmanager.domain.errors import UserError
from integrationsmanager.domain.money import format_number
from integrationsmanager.reports.measures import write_measures_report
from integrationsmanager.reports.palette import status_colour
from integrationsmanager.services.measure_io import export_measures, import_measures
from integrationsmanager.services.measures import (
    MeasureFilter,
    count_measures,
    delete_measure,
    guidelines,
)
from integrationsmanager.services.statistics import measures_by_guideline_status
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.measures.details import MeasureDetails
from integrationsmanager.ui.measures.editor import MeasureEditor
from integrationsmanager.ui.measures.table_model import (
    STATUS_COLUMN,
    TITLE_COLUMN,
    MeasureTableModel,
)
from integrationsmanager.ui.tasks import Progress, run_task
from integrationsmanager.ui.widgets.chart_toggle import ChartToggle
from integrationsmanager.ui.widgets.charts import BarChart, BarSeries
from integrationsmanager.ui.widgets.empty_state import empty_state_label
from integrationsmanager.ui.widgets.files import ask_open_path, ask_save_path
from integrationsmanager.ui.widgets.filters import (
    ALL,
    SEARCH_DELAY_MS,
    choice_combo,
    fill_combo,
    plural,
)
from integrationsmanager.ui.widgets.record_table import RecordTable
from integrationsmanager.ui.widgets.settings import app_settings

YEARS_BACK = 6
YEARS_AHEAD = 4

EMPTY_DATABASE = (
    'Noch keine Maßnahmen — <a href="new">Neue Maßnahme</a> (Strg+N) oder eine '
    '<a href="import">Excel-Liste importieren</a>.'
)
EMPTY_FILTER = 'Keine Maßnahmen für diesen Filter — <a href="reset">Filter zurücksetzen</a>'

_WIDTH_SAMPLES = (
    "",
    "1 Bildung und Spra",
    "abgeschlossen",
    "mittelbar",
    "mittel",
    "31.12.2026",
    "31.12.2026",
    "Landratsamt Altenbu",
    "125.000,00 €",
)
"""Typical contents of the columns, for their widths until the user sets their own; the
title takes the remaining width."""

_HEADER_KEY = "measures/header"
_SPLITTER_KEY = "measures/splitter"
_DETAILS_SPLITTER_KEY = "measures/details_splitter"
_FOLDER_KEY = "measures/folder"
_CHART_KEY = "measures/chart"
_LIST_SPLITTER_KEY = "measures/list_splitter"
CHART_TITLE = "Maßnahmen je Leitlinie nach Status"


def _enum_filter(enum: type[LabelledEnum], parent: QWidget, characters: int) -> QComboBox:
    return choice_combo([(member.label, member.value) for member in enum], parent, characters)


class MeasuresPage(QWidget):
    """Filter bar, count line and actions, the table, and the details pane."""

    status_message = Signal(str)
    data_changed = Signal()

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._database = database
        self._total = 0
        self._keep_id: int | None = None
        self.editor: MeasureEditor | None = None
        """The open editor, if any (one at a time, window-modal)."""

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._on_search_timer_timeout)

        self._build_filters()
        self._build_actions()
        self._build_table()
        self._build_chart()
        self.details = MeasureDetails(database, self)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self.list_splitter)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(self.filter_bar)
        layout.addLayout(self.action_bar)
        layout.addWidget(self.splitter, 1)

        self._restore_view_state()
        self._connect()
        self._reload_choices()
        self._update_total()
        # Enabling sorting runs the first query, in the remembered order.
        self.table.setSortingEnabled(True)

    # --- building -------------------------------------------------------------------------

    def _build_filters(self) -> None:
        # Narrow enough for small screens; the open list shows the full names.
        self.guideline_combo = choice_combo([], self, 10)
        self.status_combo = _enum_filter(MeasureStatus, self, 6)
        self.responsibility_combo = _enum_filter(Responsibility, self, 6)
        self.year_combo = QComboBox(self)
        self.year_combo.addItem(ALL, None)
        this_year = date.today().year
        for year in range(this_year - YEARS_BACK, this_year + YEARS_AHEAD + 1):
            self.year_combo.addItem(str(year), year)
        self.search_edit = QLineEdit(self)
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText("Titel, Beschreibung, Schlagwort …")

        self.filter_bar = QHBoxLayout()
        for text, widget, stretch in (
            ("&Leitlinie", self.guideline_combo, 2),
            ("&Status", self.status_combo, 0),
            ("&Zuständigkeit", self.responsibility_combo, 0),
            ("&Jahr", self.year_combo, 0),
            ("S&uche", self.search_edit, 3),
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            widget.setAccessibleName(text.replace("&", ""))
            self.filter_bar.addWidget(label)
            self.filter_bar.addWidget(widget, stretch)
        self.search_edit.setToolTip("Suche (Strg+F): Groß- und Kleinschreibung egal, ä = ae")

    def _build_actions(self) -> None:
        self.summary_label = QLabel(self)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reset_button = QPushButton("Filter zurücksetzen", self)
        self.reset_button.setAccessibleName("Filter zurücksetzen")

        self.new_button = QPushButton("Neu", self)
        self.new_button.setToolTip("Neue Maßnahme (Strg+N)")
        self.new_button.setAccessibleName("Neue Maßnahme")
        self.edit_button = QPushButton("Bearbeiten", self)
        self.edit_button.setToolTip("Ausgewählte Maßnahme bearbeiten (Eingabetaste)")
        self.edit_button.setAccessibleName("Maßnahme bearbeiten")
        self.delete_button = QPushButton("Löschen", self)
        self.delete_button.setToolTip("Ausgewählte Maßnahme löschen (Entf)")
        self.delete_button.setAccessibleName("Maßnahme löschen")
        self.import_button = QPushButton("Import …", self)
        self.import_button.setToolTip("Maßnahmen aus einer Excel- oder CSV-Datei übernehmen")
        self.import_button.setAccessibleName("Maßnahmen importieren")

        self.export_button = QToolButton(self)
        self.export_button.setText("Export")
        self.export_button.setAccessibleName("Exportieren")
        self.export_button.setToolTip("Die angezeigten Maßnahmen als Excel- oder CSV-Datei")
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.export_menu = QMenu(self.export_button)
        self.export_xlsx_action = self.export_menu.addAction("Als Excel-Datei (.xlsx) …")
        self.export_csv_action = self.export_menu.addAction("Als CSV-Datei (.csv) …")
        self.export_button.setMenu(self.export_menu)
        self.report_button = QPushButton("Bericht …", self)
        self.report_button.setToolTip("Die angezeigten Maßnahmen als PDF-Bericht")
        self.report_button.setAccessibleName("Bericht als PDF erstellen")

        self.action_bar = QHBoxLayout()
        self.action_bar.addWidget(self.summary_label)
        self.action_bar.addWidget(self.reset_button)
        self.action_bar.addStretch(1)
        for widget in (
            self.new_button,
            self.edit_button,
            self.delete_button,
            self.import_button,
            self.export_button,
            self.report_button,
        ):
            self.action_bar.addWidget(widget)

    def _build_table(self) -> None:
        self.model = MeasureTableModel(self._database, self)
        self.table = RecordTable(
            self.model,
            name="Maßnahmen",
            header_name="Spalten der Maßnahmenliste",
            settings_key=_HEADER_KEY,
            width_samples=_WIDTH_SAMPLES,
            stretch_column=TITLE_COLUMN,
            icon_column=STATUS_COLUMN,
            parent=self,
        )
        self.empty_label = empty_state_label(self)

        self.list_stack = QStackedWidget(self)
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty_label)

    def _build_chart(self) -> None:
        """The stacked chart beside the table, following its filter (hidden until asked)."""
        self.chart = BarChart(self, name=f"Diagramm: {CHART_TITLE}", file_name=f"{CHART_TITLE}.png")
        self.chart_toggle = ChartToggle(
            self.chart,
            self._draw_chart,
            settings_key=_CHART_KEY,
            parent=self,
            accessible_name=f"Diagramm „{CHART_TITLE}“ anzeigen",
        )
        self.action_bar.addWidget(self.chart_toggle.button)
        QWidget.setTabOrder(self.report_button, self.chart_toggle.button)
        self.list_splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.list_splitter.addWidget(self.list_stack)
        self.list_splitter.addWidget(self.chart)
        self.list_splitter.setStretchFactor(0, 3)
        self.list_splitter.setStretchFactor(1, 2)
        self.list_splitter.setChildrenCollapsible(False)

    def _connect(self) -> None:
        for combo in (
            self.guideline_combo,
            self.status_combo,
            self.responsibility_combo,
            self.year_combo,
        ):
            combo.currentIndexChanged.connect(self._on_filter_changed)
        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        self.reset_button.clicked.connect(self.reset_filter)
        self.new_button.clicked.connect(self.new_record)
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.export_xlsx_action.triggered.connect(self._on_export_xlsx_action_triggered)
        self.export_csv_action.triggered.connect(self._on_export_csv_action_triggered)
        self.report_button.clicked.connect(self._on_report_button_clicked)
        self.empty_label.linkActivated.connect(self._on_empty_label_link_activated)
        self.table.activated.connect(self._on_table_activated)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.model.modelAboutToBeReset.connect(self._on_model_about_to_be_reset)
        self.model.modelReset.connect(self._on_model_reset)
        self.model.modelReset.connect(self.chart_toggle.schedule)
        self.chart.status_message.connect(self.status_message)
        self.list_splitter.splitterMoved.connect(self._on_view_state_changed)
        self.details.progress_added.connect(self._on_details_progress_added)
        self.splitter.splitterMoved.connect(self._on_view_state_changed)
        self.details.splitter.splitterMoved.connect(self._on_view_state_changed)
        delete = QShortcut(QKeySequence.StandardKey.Delete, self.table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self._on_delete_shortcut_activated)

    # --- public slots for the main window -------------------------------------------------

    def refresh(self) -> None:
        """Reload everything from the database (F5, or after another view changed data)."""
        self._reload_choices()
        self._update_total()
        self.model.reload()

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def new_record(self) -> MeasureEditor:
        """Open the editor for a new measure (in the guideline the list is filtered by)."""
        guideline = self.guideline_combo.currentData()
        return self._open_editor(
            MeasureEditor(
                self._database,
                guideline_id=guideline if isinstance(guideline, int) else None,
                parent=self,
            )
        )

    def edit_measure(self, measure_id: int) -> MeasureEditor | None:
        try:
            editor = MeasureEditor(self._database, measure_id=measure_id, parent=self)
        except UserError as err:
            QMessageBox.warning(self, "Maßnahme bearbeiten", str(err))
            self.refresh()
            return None
        return self._open_editor(editor)

    def show_guideline(self, guideline_id: int) -> None:
        """Show the measures of one guideline (from the guideline overview)."""
        self.reset_filter()
        index = self.guideline_combo.findData(guideline_id)
        if index >= 0:
            self.guideline_combo.setCurrentIndex(index)

    def reset_filter(self) -> None:
        self._search_timer.stop()
        for combo in (
            self.guideline_combo,
            self.status_combo,
            self.responsibility_combo,
            self.year_combo,
        ):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(False)
        self._apply_filter()

    def show_measure(self, measure_id: int) -> bool:
        """Select ``measure_id``, resetting the filter if it hides the measure."""
        if self.select_measure(measure_id):
            return True
        self.reset_filter()
        return self.select_measure(measure_id)

    def select_measure(self, measure_id: int) -> bool:
        """Make ``measure_id`` the current row if the filter shows it."""
        return self.table.select_id(measure_id)

    def selected_id(self) -> int | None:
        return self.table.selected_id()

    def current_filter(self) -> MeasureFilter:
        """The filter the widgets describe (the table follows after the search delay)."""
        guideline = self.guideline_combo.currentData()
        status = self.status_combo.currentData()
        responsibility = self.responsibility_combo.currentData()
        year = self.year_combo.currentData()
        return MeasureFilter(
            guideline_id=guideline if isinstance(guideline, int) else None,
            status=MeasureStatus(status) if status else None,
            responsibility=Responsibility(responsibility) if responsibility else None,
            year=year if isinstance(year, int) else None,
            search=self.search_edit.text().strip(),
        )

    def can_close(self) -> bool:
        """False if an open editor has changes the user wants to keep."""
        if self.editor is None:
            return True
        self.editor.reject()
        return self.editor is None or not self.editor.isVisible()

    # --- helpers --------------------------------------------------------------------------

    def _reload_choices(self) -> None:
        with self._database.session() as session:
            items = [(g.id, g.label) for g in guidelines(session)]
        if not fill_combo(self.guideline_combo, [(label, i) for i, label in items]):
            self._apply_filter()

    def _update_total(self) -> None:
        with self._database.session() as session:
            self._total = count_measures(session)

    def _apply_filter(self) -> None:
        self._search_timer.stop()
        flt = self.current_filter()
        if flt != self.model.current_filter:
            self.model.set_filter(flt)
        else:
            self._show_summary()

    def _flush_search(self) -> MeasureFilter:
        """The filter the table shows, after applying a search still waiting for its delay."""
        if self._search_timer.isActive():
            self._apply_filter()
        return self.model.current_filter

    def _describe_filter(self, flt: MeasureFilter) -> list[str]:
        parts = []
        if flt.guideline_id is not None:
            parts.append(f"Leitlinie {self.guideline_combo.currentText()}")
        if flt.status is not None:
            parts.append(f"Status {flt.status.label}")
        if flt.responsibility is not None:
            parts.append(f"Zuständigkeit {flt.responsibility.label}")
        if flt.year is not None:
            parts.append(f"Jahr {flt.year}")
        if flt.search:
            parts.append(f"Suche „{flt.search}“")
        return parts

    def _show_summary(self) -> None:
        flt = self.model.current_filter
        shown = self.model.rowCount()
        if flt.is_empty:
            text = plural(self._total, "Maßnahme", "Maßnahmen")
        else:
            text = f"{format_number(shown)} von {plural(self._total, 'Maßnahme', 'Maßnahmen')}"
            text = " · ".join([text, *self._describe_filter(flt)])
        self.summary_label.setText(text)
        self.reset_button.setVisible(not flt.is_empty)
        self.details.setVisible(shown > 0)
        if shown:
            self.list_stack.setCurrentWidget(self.table)
        else:
            self.empty_label.setText(EMPTY_DATABASE if self._total == 0 else EMPTY_FILTER)
            self.empty_label.setAccessibleName(
                "Noch keine Maßnahmen" if self._total == 0 else "Keine Maßnahmen für diesen Filter"
            )
            self.list_stack.setCurrentWidget(self.empty_label)

    def _draw_chart(self) -> None:
        """Measures of the table's filter per guideline, a coloured piece per status."""
        flt = self.model.current_filter
        with self._database.session() as session:
            rows = measures_by_guideline_status(session, flt)
        statuses = [s for s in MeasureStatus if any(r.counts[s] for r in rows)]
        self.chart.set_data(
            [r.label for r in rows],
            [
                BarSeries(s.label, [r.counts[s] for r in rows], status_colour(s))
                for s in statuses or MeasureStatus
            ],
            stacked=True,
            horizontal=True,
            title=" · ".join([CHART_TITLE, *self._describe_filter(flt)]),
        )

    def _update_actions(self) -> None:
        selected = self.selected_id() is not None
        self.edit_button.setEnabled(selected)
        self.delete_button.setEnabled(selected)
        has_rows = self.model.rowCount() > 0
        self.export_button.setEnabled(has_rows)
        self.report_button.setEnabled(has_rows)

    def _open_editor(self, editor: MeasureEditor) -> MeasureEditor:
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.saved.connect(self._on_editor_saved)
        editor.finished.connect(self._on_editor_finished)
        self.editor = editor
        editor.open()
        return editor

    def _announce(self, message: str, *, select: int | None = None) -> None:
        """After a change: reload, say what happened, and let the other views know."""
        self.refresh()
        if select is not None and not self.select_measure(select):
            message += " · im aktuellen Filter nicht enthalten"
        self.status_message.emit(message)
        self.data_changed.emit()

    # --- view state -----------------------------------------------------------------------

    def _restore_view_state(self) -> None:
        """The splitters as the user left them (the table keeps its own columns)."""
        settings = app_settings()
        for key, splitter in (
            (_SPLITTER_KEY, self.splitter),
            (_DETAILS_SPLITTER_KEY, self.details.splitter),
            (_LIST_SPLITTER_KEY, self.list_splitter),
        ):
            saved = settings.value(key)
            if isinstance(saved, QByteArray):
                splitter.restoreState(saved)

    def _save_view_state(self) -> None:
        settings = app_settings()
        settings.setValue(_SPLITTER_KEY, self.splitter.saveState())
        settings.setValue(_DETAILS_SPLITTER_KEY, self.details.splitter.saveState())
        settings.setValue(_LIST_SPLITTER_KEY, self.list_splitter.saveState())

    # --- slots ----------------------------------------------------------------------------

    def _on_view_state_changed(self, *_args: object) -> None:
        self._save_view_state()

    def _on_filter_changed(self, _index: int) -> None:
        self._apply_filter()

    def _on_search_edit_text_changed(self, _text: str) -> None:
        self._search_timer.start()

    def _on_search_timer_timeout(self) -> None:
        self._apply_filter()

    def _on_model_about_to_be_reset(self) -> None:
        self._keep_id = self.selected_id()

    def _on_model_reset(self) -> None:
        keep, self._keep_id = self._keep_id, None
        self._show_summary()
        if keep is None or not self.select_measure(keep):
            self.details.show_measure(None)
        self._update_actions()

    def _on_table_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.details.show_measure(
            self.model.measure_id(current.row()) if current.isValid() else None
        )
        self._update_actions()

    def _on_table_selection_changed(self, *_args: object) -> None:
        self._update_actions()

    def _on_table_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.edit_measure(self.model.measure_id(index.row()))

    def _on_edit_button_clicked(self) -> None:
        measure_id = self.selected_id()
        if measure_id is not None:
            self.edit_measure(measure_id)

    def _on_editor_saved(self, measure_id: int) -> None:
        created = self.editor.created_organisations if self.editor is not None else []
        message = "Gespeichert"
        if created:
            message += " · neu angelegt: " + ", ".join(created)
        self._announce(message, select=measure_id)

    def _on_editor_finished(self, _result: int) -> None:
        self.editor = None
        self.table.setFocus()

    def _on_delete_button_clicked(self) -> None:
        self._delete_selected()

    def _on_delete_shortcut_activated(self) -> None:
        self._delete_selected()

    def _delete_selected(self) -> None:
        """Ask, naming the measure; delete it; then select the row that took its place."""
        measure_id = self.selected_id()
        if measure_id is None:
            return
        row = self.model.row_of(measure_id) or 0
        title = self.model.index(row, TITLE_COLUMN).data()
        answer = QMessageBox.question(
            self,
            "Maßnahme löschen",
            f"Die Maßnahme „{title}“ löschen?\n\n"
            "Ihr Fortschrittsverlauf wird mit gelöscht. Das lässt sich nicht rückgängig machen.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            with self._database.session() as session:
                delete_measure(session, measure_id)
        except UserError as err:
            QMessageBox.warning(self, "Maßnahme löschen", str(err))
            self.refresh()
            return
        self._announce(f"Gelöscht: „{title}“")
        if self.model.rowCount():
            self.select_measure(self.model.measure_id(min(row, self.model.rowCount() - 1)))

    def _on_details_progress_added(self, _measure_id: int) -> None:
        self.status_message.emit("Fortschritt eingetragen")
        self.data_changed.emit()

    def _on_empty_label_link_activated(self, link: str) -> None:
        if link == "new":
            self.new_record()
        elif link == "import":
            self._on_import_button_clicked()
        elif link == "reset":
            self.reset_filter()

    def _on_export_xlsx_action_triggered(self) -> None:
        self._export("Maßnahmen.xlsx", "Excel-Arbeitsmappe (*.xlsx)")

    def _on_export_csv_action_triggered(self) -> None:
        self._export("Maßnahmen.csv", "CSV-Datei (*.csv)")

    def _export(self, name: str, file_filter: str) -> None:
        flt = self._flush_search()
        path = ask_save_path(
            self,
            caption="Maßnahmen exportieren",
            name=name,
            file_filter=file_filter,
            folder_key=_FOLDER_KEY,
        )
        if path is None:
            return
        database = self._database

        def job(_progress: Progress) -> int:
            with database.session() as session:
                return export_measures(session, path, flt)

        outcome = run_task(self, job, title="Export", label="Die Maßnahmen werden exportiert …")
        if outcome.ok and outcome.value is not None:
            noun = plural(outcome.value, "Maßnahme", "Maßnahmen")
            self.status_message.emit(f"{noun} exportiert: {path.name}")

    def _on_report_button_clicked(self) -> None:
        flt = self._flush_search()
        path = ask_save_path(
            self,
            caption="Bericht speichern",
            name="Maßnahmenbericht.pdf",
            file_filter="PDF-Dokument (*.pdf)",
            folder_key=_FOLDER_KEY,
        )
        if path is None:
            return
        database = self._database

        def job(progress: Progress) -> int:
            with database.session() as session:
                return write_measures_report(session, path, flt, progress=progress)

        outcome = run_task(self, job, title="Bericht", label="Der Bericht wird erstellt …")
        if outcome.cancelled:
            self.status_message.emit("Bericht abgebrochen")
        if not outcome.ok or outcome.value is None:
            return
        noun = plural(outcome.value, "Maßnahme", "Maßnahmen")
        self.status_message.emit(f"Bericht gespeichert: {path.name}")
        answer = QMessageBox.question(
            self,
            "Bericht erstellt",
            f"Der Bericht über {noun} ist gespeichert:\n{path}\n\nJetzt öffnen?",
            QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Close,
            QMessageBox.StandardButton.Open,
        )
        if answer == QMessageBox.StandardButton.Open:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _on_import_button_clicked(self) -> None:
        path = ask_open_path(
            self,
            caption="Maßnahmen importieren",
            file_filter="Excel- oder CSV-Datei (*.xlsx *.xlsm *.xls *.ods *.csv);;Alle Dateien (*)",
            folder_key=_FOLDER_KEY,
        )
        if path is None:
            return
        database = self._database

        def check(_progress: Progress) -> str:
            with database.session() as session:
                return import_measures(session, path, dry_run=True).summary()

        checked = run_task(self, check, title="Import prüfen", label="Die Datei wird geprüft …")
        if not checked.ok or checked.value is None:
            return
        answer = QMessageBox.question(
            self,
            "Maßnahmen importieren",
            f"{path.name}\n\n{checked.value}\n\nJetzt importieren?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return

        def store(_progress: Progress) -> str:
            with database.session() as session:
                return import_measures(session, path).summary()

        stored = run_task(self, store, title="Import", label="Die Maßnahmen werden importiert …")
        if stored.ok and stored.value is not None:
            self._announce(stored.value)
