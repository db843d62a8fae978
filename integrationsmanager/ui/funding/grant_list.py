"""The grants tab: filters and search over the lazy grants table, the selected grant below.

The network's ``RecordListPanel`` is tied to its contact details and duplicate-checking
editors; this tab follows the same layout (filter bar, count line, table, details) with the
shared widgets, so it reads and behaves the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QByteArray,
    QModelIndex,
    QObject,
    QSignalBlocker,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
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
from sqlalchemy.orm import Session

from integrationsmanager.domain.enums import GrantStatus
from integrationsmanager.domain.errors import UserError
from integrationsmanager.domain.money import format_money, format_number
from integrationsmanager.reports.grants import write_grant_summary
from integrationsmanager.reports.palette import APPROVED_COLOUR, PAID_COLOUR
from integrationsmanager.services.grant_io import export_grants
from integrationsmanager.services.grants import (
    GrantFilter,
    GrantRow,
    count_grants,
    delete_grant,
    fetch_grant_rows,
    grant_ids,
    list_programs,
)
from integrationsmanager.services.measures import guidelines
from integrationsmanager.services.network_queries import municipality_choices
from integrationsmanager.services.organisations import organisation_choices
from integrationsmanager.services.statistics import grants_per_year
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.funding.details import FOLDER_KEY, GrantDetails
from integrationsmanager.ui.funding.editor import GrantEditor
from integrationsmanager.ui.tasks import Progress, run_task
from integrationsmanager.ui.widgets.chart_toggle import ChartToggle
from integrationsmanager.ui.widgets.charts import EURO, BarChart, BarSeries
from integrationsmanager.ui.widgets.empty_state import empty_state_label
from integrationsmanager.ui.widgets.files import ask_save_path
from integrationsmanager.ui.widgets.filters import (
    SEARCH_DELAY_MS,
    LazyChoiceCombo,
    choice_combo,
    fill_combo,
    plural,
)
from integrationsmanager.ui.widgets.focus import chain_tabs, tab_stops
from integrationsmanager.ui.widgets.lazy_table import Column, DisplayRow, LazyTableModel
from integrationsmanager.ui.widgets.record_table import RecordTable
from integrationsmanager.ui.widgets.settings import app_settings

YEARS_BACK = 6
YEARS_AHEAD = 2
_KEY = "funding/grants"
CHART_TITLE = "Zuwendungen je Jahr"

COLUMNS: tuple[Column, ...] = (
    Column("Aktenzeichen", "file_number"),
    Column("Projekt", "project"),
    Column("Empfänger", "recipient"),
    Column("Programm", "program"),
    Column("Jahr", "year", right_aligned=True),
    Column("Status", "status"),
    Column("Beantragt", "requested", right_aligned=True),
    Column("Bewilligt", "approved", right_aligned=True),
)
PROJECT_COLUMN = 1
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2
"""The grant's :class:`GrantStatus` for any cell of its row."""

_WIDTH_SAMPLES = (
    "SBR-2026-007",
    "",
    "Arbeiterwohlfahrt Altenburg e. V.",
    "SBR",
    "2026",
    "Verwendungsnachweis fällig",
    "125.000,00 €",
    "125.000,00 €",
)


@dataclass(frozen=True)
class GrantDisplayRow(DisplayRow):
    status: GrantStatus


def _display(row: GrantRow) -> GrantDisplayRow:
    return GrantDisplayRow(
        id=row.id,
        status=row.status,
        cells=(
            row.file_number,
            row.project_title,
            row.recipient,
            row.program_code or row.program,
            str(row.budget_year),
            row.status.label,
            format_money(row.requested_cents),
            format_money(row.approved_cents),
        ),
        tooltips=(
            None,
            row.project_title,
            row.recipient,
            row.program,
            None,
            row.status.label,
            None,
            f"ausgezahlt {format_money(row.paid_cents)}" if row.paid_cents else None,
        ),
    )


def _fetch(session: Session, ids: list[int]) -> Mapping[int, GrantDisplayRow]:
    return {i: _display(row) for i, row in fetch_grant_rows(session, ids).items()}


class GrantTableModel(LazyTableModel[GrantFilter, GrantDisplayRow]):
    """Grants of one filter, fetched a page at a time."""

    def __init__(self, database: Database, parent: QObject | None = None) -> None:
        super().__init__(
            database,
            columns=COLUMNS,
            initial_filter=GrantFilter(),
            query_ids=grant_ids,
            fetch_rows=_fetch,
            parent=parent,
        )

    def row_data(self, row: GrantDisplayRow, column: int, role: int) -> Any:
        if role == STATUS_ROLE:
            return row.status
        return None


class GrantsTab(QWidget):
    """Filter bar, count line and actions, the table, and the selected grant's details."""

    status_message = Signal(str)
    data_changed = Signal()

    def __init__(
        self, database: Database, *, today: date | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._database = database
        self._total: int | None = None
        self._keep_id: int | None = None
        self.editor: GrantEditor | None = None
        """The open editor, if any (one at a time, window-modal)."""

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._on_search_timer_timeout)

        this_year = (today or date.today()).year
        self.program_combo = choice_combo([], self, 10)
        years = range(this_year + YEARS_AHEAD, this_year - YEARS_BACK - 1, -1)
        self.year_combo = choice_combo([(str(y), y) for y in years], self, 4)
        self.status_combo = choice_combo([(s.label, s.value) for s in GrantStatus], self, 10)
        self.guideline_combo = choice_combo([], self, 10)
        self.recipient_combo = LazyChoiceCombo(self, 12)
        self.recipient_combo.setEditable(True)
        self.recipient_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = QCompleter(self.recipient_combo.model(), self.recipient_combo)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.recipient_combo.setCompleter(completer)
        self.municipality_combo = choice_combo([], self, 8)
        self.search_edit = QLineEdit(self)
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText("Aktenzeichen, Projekt, Empfänger …")
        self._filters: list[tuple[str, QWidget]] = [
            ("&Programm", self.program_combo),
            ("&Jahr", self.year_combo),
            ("S&tatus", self.status_combo),
            ("&Leitlinie", self.guideline_combo),
            ("&Empfänger", self.recipient_combo),
            ("&Gemeinde", self.municipality_combo),
            ("S&uche", self.search_edit),
        ]
        self.filter_bar = QHBoxLayout()
        for text, widget in self._filters:
            label = QLabel(text, self)
            label.setBuddy(widget)
            widget.setAccessibleName(text.replace("&", ""))
            self.filter_bar.addWidget(label)
            self.filter_bar.addWidget(widget, 3 if widget is self.search_edit else 1)
        line = self.recipient_combo.lineEdit()
        if line is not None:
            line.setAccessibleName("Empfänger")

        self.summary_label = QLabel(self)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reset_button = QPushButton("Filter zurücksetzen", self)
        self.new_button = QPushButton("Neu", self)
        self.new_button.setToolTip("Neue Zuwendung (Strg+N)")
        self.new_button.setAccessibleName("Neue Zuwendung")
        self.delete_button = QPushButton("Löschen", self)
        self.delete_button.setAccessibleName("Zuwendung löschen")
        self.delete_button.setEnabled(False)
        self.export_button = QToolButton(self)
        self.export_button.setText("Export")
        self.export_button.setAccessibleName("Exportieren")
        self.export_button.setToolTip(
            "Zuwendungen als Excel- oder CSV-Datei (alle oder die des gewählten Jahres; "
            "die übrigen Filter gelten für den Export nicht)"
        )
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.export_menu = QMenu(self.export_button)
        self.export_actions = {
            (suffix, scope): self.export_menu.addAction(text)
            for suffix, scope, text in (
                (".xlsx", "all", "Alle Zuwendungen als Excel-Datei (.xlsx) …"),
                (".csv", "all", "Alle Zuwendungen als CSV-Datei (.csv) …"),
                (".xlsx", "year", "Zuwendungen des Filterjahres als Excel-Datei (.xlsx) …"),
                (".csv", "year", "Zuwendungen des Filterjahres als CSV-Datei (.csv) …"),
            )
        }
        self.export_button.setMenu(self.export_menu)
        self.report_button = QPushButton("Bericht …", self)
        self.report_button.setAccessibleName("Förderübersicht als PDF erstellen")
        action_bar = QHBoxLayout()
        action_bar.addWidget(self.summary_label)
        action_bar.addWidget(self.reset_button)
        action_bar.addStretch(1)
        action_bar.addWidget(self.export_button)
        action_bar.addWidget(self.report_button)
        action_bar.addWidget(self.delete_button)
        action_bar.addWidget(self.new_button)
        self.chart = BarChart(self, name=f"Diagramm: {CHART_TITLE}", file_name=f"{CHART_TITLE}.png")
        self.chart_toggle = ChartToggle(
            self.chart,
            self._draw_chart,
            settings_key=f"{_KEY}/chart",
            parent=self,
            accessible_name=f"Diagramm „{CHART_TITLE}“ anzeigen",
        )
        action_bar.addWidget(self.chart_toggle.button)

        self.model = GrantTableModel(database, self)
        self.table = RecordTable(
            self.model,
            name="Zuwendungen",
            settings_key=f"{_KEY}/header",
            width_samples=_WIDTH_SAMPLES,
            stretch_column=PROJECT_COLUMN,
            parent=self,
        )
        self.empty_label = empty_state_label(self)
        self.list_stack = QStackedWidget(self)
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty_label)
        self.details = GrantDetails(database, self)
        self.list_splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.list_splitter.addWidget(self.list_stack)
        self.list_splitter.addWidget(self.chart)
        self.list_splitter.setStretchFactor(0, 3)
        self.list_splitter.setStretchFactor(1, 2)
        self.list_splitter.setChildrenCollapsible(False)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self.list_splitter)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        for splitter, key in ((self.splitter, "splitter"), (self.list_splitter, "list_splitter")):
            saved = app_settings().value(f"{_KEY}/{key}")
            if isinstance(saved, QByteArray):
                splitter.restoreState(saved)

        layout = QVBoxLayout(self)
        layout.addLayout(self.filter_bar)
        layout.addLayout(action_bar)
        layout.addWidget(self.splitter, 1)
        self._connect()
        chain_tabs(
            [
                *(widget for _text, widget in self._filters),
                self.reset_button,
                self.export_button,
                self.report_button,
                self.delete_button,
                self.new_button,
                self.chart_toggle.button,
                self.table,
                self.empty_label,
                *tab_stops(self.chart),
                *tab_stops(self.details),
            ]
        )
        self.reload_choices()
        self.table.setSortingEnabled(True)
        self._update_year_actions()

    def _connect(self) -> None:
        for _text, widget in self._filters:
            if isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(self._on_filter_changed)
        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        self.reset_button.clicked.connect(self._on_reset_button_clicked)
        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.report_button.clicked.connect(self._on_report_button_clicked)
        for (suffix, scope), action in self.export_actions.items():
            action.triggered.connect(partial(self._on_export_action_triggered, suffix, scope))
        self.year_combo.currentIndexChanged.connect(self._on_report_filter_changed)
        self.program_combo.currentIndexChanged.connect(self._on_report_filter_changed)
        delete = QShortcut(QKeySequence.StandardKey.Delete, self.table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self._on_delete_shortcut_activated)
        self.empty_label.linkActivated.connect(self._on_empty_label_link_activated)
        self.table.activated.connect(self._on_table_activated)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)
        self.model.modelAboutToBeReset.connect(self._on_model_about_to_be_reset)
        self.model.modelReset.connect(self._on_model_reset)
        self.model.modelReset.connect(self.chart_toggle.schedule)
        self.chart.status_message.connect(self.status_message)
        self.splitter.splitterMoved.connect(self._on_splitter_moved)
        self.list_splitter.splitterMoved.connect(self._on_splitter_moved)
        self.details.changed.connect(self._on_details_changed)
        self.details.edit_requested.connect(self._on_details_edit_requested)
        self.details.status_message.connect(self.status_message)

    # --- public ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload choices and rows from the database."""
        self._total = None
        self.reload_choices()
        self.model.reload()

    def reload_choices(self) -> None:
        database = self._database

        def recipients() -> list[tuple[str, object]]:
            with database.session() as session:
                return [(name, i) for i, name in organisation_choices(session)]

        with database.session() as session:
            programs = [(name, i) for i, name in list_programs(session)]
            lines = [(f"{g.number} {g.title}", g.id) for g in guidelines(session)]
            places = [(m, m) for m in municipality_choices(session)]
        kept = [
            fill_combo(self.program_combo, programs),
            fill_combo(self.guideline_combo, lines),
            fill_combo(self.municipality_combo, places),
            self.recipient_combo.set_loader(recipients),
        ]
        if not all(kept):
            self.apply_filter()

    def current_filter(self) -> GrantFilter:
        status = self.status_combo.currentData()
        recipient = self.recipient_combo.currentData()
        return GrantFilter(
            program_id=self.program_combo.currentData(),
            year=self.year_combo.currentData(),
            status=GrantStatus(status) if status else None,
            guideline_id=self.guideline_combo.currentData(),
            recipient_id=recipient if isinstance(recipient, int) else None,
            municipality=self.municipality_combo.currentData() or "",
            search=self.search_edit.text().strip(),
        )

    def apply_filter(self) -> None:
        self._search_timer.stop()
        flt = self.current_filter()
        if flt != self.model.current_filter:
            self.model.set_filter(flt)
        else:
            self._show_summary()

    def reset_filter(self) -> None:
        self._search_timer.stop()
        for _text, widget in self._filters:
            blocker = QSignalBlocker(widget)
            if isinstance(widget, QComboBox):
                widget.setCurrentIndex(0)
            else:
                self.search_edit.clear()
            blocker.unblock()
        self.apply_filter()

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def new_record(self) -> GrantEditor:
        return self._open_editor(GrantEditor(self._database, grant_id=None, parent=self))

    def edit_record(self, grant_id: int) -> GrantEditor | None:
        try:
            editor = GrantEditor(self._database, grant_id=grant_id, parent=self)
        except UserError as err:
            QMessageBox.warning(self, "Zuwendung bearbeiten", str(err))
            self.refresh()
            return None
        return self._open_editor(editor)

    def show_grant(self, grant_id: int) -> bool:
        """Select ``grant_id``, clearing the filters if they hide it; False if it is gone."""
        if self.table.select_id(grant_id):
            return True
        self.reset_filter()
        return self.table.select_id(grant_id)

    def selected_id(self) -> int | None:
        return self.table.selected_id()

    def can_close(self) -> bool:
        """False if an open editor has changes the user wants to keep."""
        if self.editor is None:
            return True
        self.editor.reject()
        return self.editor is None or not self.editor.isVisible()

    def announce(self, message: str, *, select: int | None = None) -> None:
        """After a change: reload, say what happened, and let the other views know."""
        self.refresh()
        if select is not None and not self.table.select_id(select):
            message += " · im aktuellen Filter nicht enthalten"
        self.status_message.emit(message)
        self.data_changed.emit()

    # --- helpers --------------------------------------------------------------------------

    def _describe(self, flt: GrantFilter) -> list[str]:
        parts = []
        for combo, name in (
            (self.program_combo, "Programm"),
            (self.year_combo, "Jahr"),
            (self.status_combo, "Status"),
            (self.guideline_combo, "Leitlinie"),
            (self.recipient_combo, "Empfänger"),
            (self.municipality_combo, "Gemeinde"),
        ):
            if combo.currentData() is not None:
                parts.append(f"{name} {combo.currentText()}")
        if flt.search:
            parts.append(f"Suche „{flt.search}“")
        return parts

    def _show_summary(self) -> None:
        flt = self.model.current_filter
        shown = self.model.rowCount()
        if flt.is_empty:
            self._total = shown
        elif self._total is None:
            with self._database.session() as session:
                self._total = count_grants(session)
        total = self._total
        many = plural(total, "Zuwendung", "Zuwendungen")
        if flt.is_empty:
            self.summary_label.setText(many)
        else:
            self.summary_label.setText(
                " · ".join([f"{format_number(shown)} von {many}", *self._describe(flt)])
            )
        self.reset_button.setVisible(not flt.is_empty)
        self.details.setVisible(shown > 0)
        if shown:
            self.list_stack.setCurrentWidget(self.table)
            return
        if total == 0:
            self.empty_label.setText(
                'Noch keine Zuwendungen — <a href="new">Neue Zuwendung</a> (Strg+N).'
            )
            self.empty_label.setAccessibleName("Noch keine Zuwendungen")
        else:
            self.empty_label.setText(
                'Keine Zuwendungen für diesen Filter — <a href="reset">Filter zurücksetzen</a>'
            )
            self.empty_label.setAccessibleName("Keine Zuwendungen für diesen Filter")
        self.list_stack.setCurrentWidget(self.empty_label)

    def _draw_chart(self) -> None:
        """Approved and paid money per budget year of the grants the table shows."""
        flt = self.model.current_filter
        with self._database.session() as session:
            years = grants_per_year(session, flt)
        self.chart.set_data(
            [str(y.year) for y in years],
            [
                BarSeries("Bewilligt", [y.approved_cents / 100 for y in years], APPROVED_COLOUR),
                BarSeries("Ausgezahlt", [y.paid_cents / 100 for y in years], PAID_COLOUR),
            ],
            unit=EURO,
            title=" · ".join([CHART_TITLE, *self._describe(flt)]),
        )

    def _update_delete_button(self) -> None:
        grant = self.details.grant
        deletable = grant is not None and grant.status == GrantStatus.DRAFT
        self.delete_button.setEnabled(deletable)
        if grant is None:
            self.delete_button.setToolTip("Keine Zuwendung ausgewählt")
        elif deletable:
            self.delete_button.setToolTip("Den Entwurf löschen (Entf)")
        else:
            self.delete_button.setToolTip(
                f"„{grant.file_number}“ ist {grant.status.label}: nur Entwürfe lassen sich "
                "löschen – stattdessen „zurückgezogen“ oder „abgelehnt“ setzen."
            )

    def _update_year_actions(self) -> None:
        year = self.year_combo.currentData()
        for (suffix, scope), action in self.export_actions.items():
            if scope == "year":
                action.setEnabled(year is not None)
                kind = "Excel-Datei (.xlsx)" if suffix == ".xlsx" else "CSV-Datei (.csv)"
                which = f"des Jahres {year}" if year is not None else "des Filterjahres"
                action.setText(f"Zuwendungen {which} als {kind} …")
        self.report_button.setEnabled(year is not None)
        if year is None:
            tip = "Bitte zuerst im Filter ein Jahr wählen: die Förderübersicht gilt einem Jahr."
        elif self.program_combo.currentData() is not None:
            tip = f"Förderübersicht {year} für {self.program_combo.currentText()} als PDF"
        else:
            tip = f"Förderübersicht {year} (alle Programme) als PDF"
        self.report_button.setToolTip(tip)

    def delete_selected(self) -> None:
        """Ask, naming the Aktenzeichen; delete the draft."""
        grant = self.details.grant
        if grant is None:
            return
        if grant.status != GrantStatus.DRAFT:
            self.status_message.emit(self.delete_button.toolTip())
            return
        answer = QMessageBox.question(
            self,
            "Zuwendung löschen",
            f"Den Entwurf „{grant.file_number}“ ({grant.title}) löschen?\n\n"
            "Das lässt sich nicht rückgängig machen.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            with self._database.session() as session:
                delete_grant(session, grant.id)
        except UserError as err:
            QMessageBox.warning(self, "Zuwendung löschen", str(err))
            self.refresh()
            return
        self.announce(f"Gelöscht: „{grant.file_number}“")

    def export(self, suffix: str, *, year: int | None) -> None:
        """Ask where, then write the grants (of ``year``, else all) as .xlsx or .csv."""
        kind = "Excel-Arbeitsmappe (*.xlsx)" if suffix == ".xlsx" else "CSV-Datei (*.csv)"
        stem = "Zuwendungen" if year is None else f"Zuwendungen {year}"
        path = ask_save_path(
            self,
            caption="Zuwendungen exportieren",
            name=f"{stem}{suffix}",
            file_filter=kind,
            folder_key=FOLDER_KEY,
        )
        if path is None:
            return
        database = self._database

        def job(_progress: Progress) -> int:
            with database.session() as session:
                return export_grants(session, path, year=year)

        outcome = run_task(self, job, title="Export", label="Die Zuwendungen werden exportiert …")
        if outcome.ok and outcome.value is not None:
            noun = plural(outcome.value, "Zuwendung", "Zuwendungen")
            self.status_message.emit(f"{noun} exportiert: {path.name}")

    def write_report(self) -> Path | None:
        """The Förderübersicht of the filter's year (and programme); offers to open it."""
        year = self.year_combo.currentData()
        if not isinstance(year, int):
            return None
        program = self.program_combo.currentData()
        program_id = program if isinstance(program, int) else None
        path = ask_save_path(
            self,
            caption="Förderübersicht speichern",
            name=f"Förderübersicht {year}.pdf",
            file_filter="PDF-Dokument (*.pdf)",
            folder_key=FOLDER_KEY,
        )
        if path is None:
            return None
        database = self._database

        def job(progress: Progress) -> int:
            with database.session() as session:
                return write_grant_summary(
                    session, path, year=year, program_id=program_id, progress=progress
                )

        outcome = run_task(self, job, title="Bericht", label="Die Förderübersicht wird erstellt …")
        if outcome.cancelled:
            self.status_message.emit("Bericht abgebrochen")
        if not outcome.ok or outcome.value is None:
            return None
        self.status_message.emit(f"Förderübersicht gespeichert: {path.name}")
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        return path

    def _open_editor(self, editor: GrantEditor) -> GrantEditor:
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.saved.connect(self._on_editor_saved)
        editor.finished.connect(self._on_editor_finished)
        self.editor = editor
        editor.open()
        return editor

    # --- slots ----------------------------------------------------------------------------

    def _on_filter_changed(self, *_args: object) -> None:
        self.apply_filter()

    def _on_search_edit_text_changed(self, _text: str) -> None:
        self._search_timer.start()

    def _on_search_timer_timeout(self) -> None:
        self.apply_filter()

    def _on_reset_button_clicked(self) -> None:
        self.reset_filter()

    def _on_new_button_clicked(self) -> None:
        self.new_record()

    def _on_delete_button_clicked(self) -> None:
        self.delete_selected()

    def _on_delete_shortcut_activated(self) -> None:
        self.delete_selected()

    def _on_export_action_triggered(self, suffix: str, scope: str, _checked: bool = False) -> None:
        year = self.year_combo.currentData() if scope == "year" else None
        self.export(suffix, year=year if isinstance(year, int) else None)

    def _on_report_button_clicked(self) -> None:
        self.write_report()

    def _on_report_filter_changed(self, _index: int) -> None:
        self._update_year_actions()

    def _on_empty_label_link_activated(self, link: str) -> None:
        if link == "new":
            self.new_record()
        elif link == "reset":
            self.reset_filter()

    def _on_table_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.edit_record(self.model.record_id(index.row()))

    def _on_table_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.details.show_grant(self.model.record_id(current.row()) if current.isValid() else None)
        self._update_delete_button()

    def _on_model_about_to_be_reset(self) -> None:
        self._keep_id = self.selected_id()

    def _on_model_reset(self) -> None:
        keep, self._keep_id = self._keep_id, None
        self._show_summary()
        if keep is None or not self.table.select_id(keep):
            self.details.show_grant(None)
        self._update_delete_button()

    def _on_splitter_moved(self, *_args: object) -> None:
        app_settings().setValue(f"{_KEY}/splitter", self.splitter.saveState())
        app_settings().setValue(f"{_KEY}/list_splitter", self.list_splitter.saveState())

    def _on_details_changed(self, message: str) -> None:
        self._update_delete_button()
        self.announce(message, select=self.details.grant.id if self.details.grant else None)

    def _on_details_edit_requested(self, grant_id: int) -> None:
        self.edit_record(grant_id)

    def _on_editor_saved(self, grant_id: int) -> None:
        message = "Gespeichert"
        editor = self.editor
        if editor is not None and editor.saved_file_number:
            message = f"Gespeichert: {editor.saved_file_number}"
            if editor.same_file_number:
                message += (
                    f" · dasselbe Aktenzeichen tragen noch {editor.same_file_number} "
                    "andere Zuwendung(en)"
                )
        self.announce(message, select=grant_id)

    def _on_editor_finished(self, _result: int) -> None:
        self.editor = None
        self.table.setFocus()
