"""One list of the network area: filters, count line and actions, the table, the details.

The organisation and the person list differ only in their filters, columns, editor and
details; this base holds what they share. Every change is one service call in one unit of
work; afterwards the list reloads, says what happened in one quiet line (``status_message``)
and announces ``data_changed`` so the other views refresh.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QByteArray, QModelIndex, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
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
from sqlalchemy.orm import Session

from integrationsmanager.domain.errors import UserError
from integrationsmanager.domain.money import format_number
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.network.details import RecordDetails
from integrationsmanager.ui.network.record_editor import NetworkEditor
from integrationsmanager.ui.tasks import Progress, run_task
from integrationsmanager.ui.widgets.empty_state import empty_state_label
from integrationsmanager.ui.widgets.files import ask_save_path
from integrationsmanager.ui.widgets.filters import SEARCH_DELAY_MS, plural
from integrationsmanager.ui.widgets.focus import chain_tabs, tab_stops
from integrationsmanager.ui.widgets.lazy_table import LazyTableModel
from integrationsmanager.ui.widgets.record_table import RecordTable
from integrationsmanager.ui.widgets.settings import app_settings

FOLDER_KEY = "network/folder"

F = TypeVar("F")
ExportWriter = Callable[[Session, Path], int]
"""``write(session, path)``: export the records; returns how many."""


@dataclass(frozen=True)
class Nouns:
    """How the list speaks of its records."""

    one: str
    """ "Organisation" """
    many: str
    """ "Organisationen" """
    new: str
    """ "Neue Organisation" """
    deleted_with: str
    """What a deletion takes along, for the question before it."""


class RecordListPanel(QWidget, Generic[F]):
    """Filter bar, count line and actions, the lazy table, and the details pane."""

    status_message = Signal(str)
    data_changed = Signal()
    import_requested = Signal()
    organisation_requested = Signal(int)
    person_requested = Signal(int)
    grant_requested = Signal(int)

    def __init__(
        self,
        database: Database,
        *,
        model: LazyTableModel[F, Any],
        details: RecordDetails,
        nouns: Nouns,
        key: str,
        width_samples: tuple[str, ...],
        search_placeholder: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._database = database
        self.model = model
        model.setParent(self)
        self.details = details
        self.nouns = nouns
        self._key = key
        self._total: int | None = None
        self._filter_widgets: list[QWidget] = []
        self._keep_id: int | None = None
        self.editor: NetworkEditor | None = None
        """The open editor, if any (one at a time, window-modal)."""

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._on_search_timer_timeout)

        self.search_edit = QLineEdit(self)
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(search_placeholder)
        self.filter_bar = QHBoxLayout()
        self._build_actions()
        self.table = RecordTable(
            model,
            name=nouns.many,
            settings_key=f"{key}/header",
            width_samples=width_samples,
            parent=self,
        )
        self.empty_label = empty_state_label(self)
        self.list_stack = QStackedWidget(self)
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty_label)

        details.setParent(self)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self.list_stack)
        self.splitter.addWidget(details)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        saved = app_settings().value(f"{key}/splitter")
        if isinstance(saved, QByteArray):
            self.splitter.restoreState(saved)

        layout = QVBoxLayout(self)
        layout.addLayout(self.filter_bar)
        layout.addLayout(self.action_bar)
        layout.addWidget(self.splitter, 1)
        self._connect()

    # --- building -------------------------------------------------------------------------

    def add_filters(self, filters: list[tuple[str, QWidget]]) -> None:
        """Put the subclass's filters, then the search box, in the filter bar."""
        self._filter_widgets = [widget for _text, widget in filters]
        for text, widget in [*filters, ("S&uche", self.search_edit)]:
            if text:  # a checkbox carries its own text
                label = QLabel(text, self)
                label.setBuddy(widget)
                widget.setAccessibleName(text.replace("&", ""))
                self.filter_bar.addWidget(label)
            self.filter_bar.addWidget(widget, 3 if widget is self.search_edit else 1)
            if isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(self._on_filter_widget_changed)
            elif isinstance(widget, QCheckBox):
                widget.toggled.connect(self._on_filter_widget_changed)

    def _build_actions(self) -> None:
        nouns = self.nouns
        self.summary_label = QLabel(self)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reset_button = QPushButton("Filter zurücksetzen", self)
        self.new_button = QPushButton("Neu", self)
        self.new_button.setToolTip(f"{nouns.new} (Strg+N)")
        self.new_button.setAccessibleName(nouns.new)
        self.edit_button = QPushButton("Bearbeiten", self)
        self.edit_button.setToolTip(f"Ausgewählte {nouns.one} bearbeiten (Eingabetaste)")
        self.edit_button.setAccessibleName(f"{nouns.one} bearbeiten")
        self.delete_button = QPushButton("Löschen", self)
        self.delete_button.setToolTip(f"Ausgewählte {nouns.one} löschen (Entf)")
        self.delete_button.setAccessibleName(f"{nouns.one} löschen")
        self.import_button = QPushButton("Import …", self)
        self.import_button.setToolTip(
            "Kontakte aus Outlook, Google, Thunderbird (CSV), Excel oder vCard übernehmen"
        )
        self.import_button.setAccessibleName("Kontakte importieren")
        self.export_button = QToolButton(self)
        self.export_button.setText("Export")
        self.export_button.setAccessibleName("Exportieren")
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.export_menu = QMenu(self.export_button)
        self.export_button.setMenu(self.export_menu)

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
        ):
            self.action_bar.addWidget(widget)

    def _connect(self) -> None:
        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        self.reset_button.clicked.connect(self._on_reset_button_clicked)
        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.empty_label.linkActivated.connect(self._on_empty_label_link_activated)
        self.table.activated.connect(self._on_table_activated)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.model.modelAboutToBeReset.connect(self._on_model_about_to_be_reset)
        self.model.modelReset.connect(self._on_model_reset)
        self.splitter.splitterMoved.connect(self._on_splitter_moved)
        self.details.history_added.connect(self._on_details_history_added)
        self.details.organisation_requested.connect(self.organisation_requested)
        self.details.person_requested.connect(self.person_requested)
        self.details.grant_requested.connect(self.grant_requested)
        delete = QShortcut(QKeySequence.StandardKey.Delete, self.table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self._on_delete_shortcut_activated)

    def start(self) -> None:
        """First query, in the remembered order (after the subclass built its filters)."""
        self._order_tabs()
        self.reload_choices()
        self.table.setSortingEnabled(True)

    def _order_tabs(self) -> None:
        """Tab follows the reading order: filters, search, actions, table, then the details
        (which the subclass made first, and the filters last)."""
        chain_tabs(
            [
                *self._filter_widgets,
                self.search_edit,
                self.reset_button,
                self.new_button,
                self.edit_button,
                self.delete_button,
                self.import_button,
                self.export_button,
                self.table,
                self.empty_label,
                *tab_stops(self.details),
            ]
        )

    # --- for subclasses -------------------------------------------------------------------

    def current_filter(self) -> F:
        """The filter the widgets describe (the table follows after the search delay)."""
        raise NotImplementedError

    def filter_is_empty(self, flt: F) -> bool:
        """True for the filter's defaults (all records)."""
        return bool(flt == type(flt)())

    def describe_filter(self, flt: F) -> list[str]:
        """The active filters in words, for the count line."""
        raise NotImplementedError

    def reset_filter_widgets(self) -> None:
        """Every filter back to "alle" (and checkboxes off), without filtering yet."""
        for widget in self._filter_widgets:
            blocker = QSignalBlocker(widget)
            if isinstance(widget, QComboBox):
                widget.setCurrentIndex(0)
            elif isinstance(widget, QCheckBox):
                widget.setChecked(False)
            blocker.unblock()

    def reload_choices(self) -> None:
        """Refill the filter combos from the database (after imports and edits)."""
        raise NotImplementedError

    def count_all(self, session: Session) -> int:
        raise NotImplementedError

    def make_editor(self, record_id: int | None) -> NetworkEditor:
        raise NotImplementedError

    def delete_record(self, session: Session, record_id: int) -> None:
        raise NotImplementedError

    def show_details(self, record_id: int | None) -> None:
        raise NotImplementedError

    # --- public ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload everything from the database (F5, or after another view changed data)."""
        self._total = None
        self.reload_choices()
        self.model.reload()

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def new_record(self) -> NetworkEditor:
        return self._open_editor(self.make_editor(None))

    def edit_record(self, record_id: int) -> NetworkEditor | None:
        try:
            editor = self.make_editor(record_id)
        except UserError as err:
            QMessageBox.warning(self, f"{self.nouns.one} bearbeiten", str(err))
            self.refresh()
            return None
        return self._open_editor(editor)

    def reset_filter(self) -> None:
        self._search_timer.stop()
        self.reset_filter_widgets()
        self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(False)
        self.apply_filter()

    def show_record(self, record_id: int) -> bool:
        """Select ``record_id``, clearing the filters if they hide it; False if it is gone."""
        if self.table.select_id(record_id):
            return True
        self.reset_filter()
        return self.table.select_id(record_id)

    def selected_id(self) -> int | None:
        return self.table.selected_id()

    def can_close(self) -> bool:
        """False if an open editor has changes the user wants to keep."""
        if self.editor is None:
            return True
        self.editor.reject()
        return self.editor is None or not self.editor.isVisible()

    def apply_filter(self) -> None:
        self._search_timer.stop()
        flt = self.current_filter()
        if flt != self.model.current_filter:
            self.model.set_filter(flt)
        else:
            self._show_summary()

    def announce(self, message: str, *, select: int | None = None) -> None:
        """After a change: reload, say what happened, and let the other views know."""
        self.refresh()
        if select is not None and not self.table.select_id(select):
            message += " · im aktuellen Filter nicht enthalten"
        self.status_message.emit(message)
        self.data_changed.emit()

    def add_export(self, text: str, name: str, file_filter: str, write: ExportWriter) -> QAction:
        """A format in the export menu: asks where, then writes behind a progress dialog."""
        action = self.export_menu.addAction(text)
        action.triggered.connect(
            partial(self._on_export_action_triggered, name, file_filter, write)
        )
        return action

    def add_exports(self, write: ExportWriter) -> None:
        """The export menu's formats: Excel, CSV and vCard, all written by ``write``."""
        many = self.nouns.many
        self.export_xlsx_action = self.add_export(
            f"Alle {many} als Excel-Datei (.xlsx) …",
            f"{many}.xlsx",
            "Excel-Arbeitsmappe (*.xlsx)",
            write,
        )
        self.export_csv_action = self.add_export(
            f"Alle {many} als CSV-Datei (.csv) …", f"{many}.csv", "CSV-Datei (*.csv)", write
        )
        self.export_vcf_action = self.add_export(
            f"Alle {many} als vCard (.vcf) …", f"{many}.vcf", "vCard-Datei (*.vcf)", write
        )
        self.export_button.setToolTip(
            f"Exportiert alle {many}, unabhängig vom Filter (Excel, CSV oder vCard)"
        )

    def export_to(self, name: str, file_filter: str, write: ExportWriter) -> None:
        """Ask where, then ``write(session, path)`` behind a progress dialog."""
        path = ask_save_path(
            self,
            caption=f"{self.nouns.many} exportieren",
            name=name,
            file_filter=file_filter,
            folder_key=FOLDER_KEY,
        )
        if path is None:
            return
        database = self._database

        def job(_progress: Progress) -> int:
            with database.session() as session:
                return write(session, path)

        outcome = run_task(
            self, job, title="Export", label=f"Die {self.nouns.many} werden exportiert …"
        )
        if outcome.ok and outcome.value is not None:
            noun = plural(outcome.value, self.nouns.one, self.nouns.many)
            self.status_message.emit(f"{noun} exportiert: {path.name}")

    # --- helpers --------------------------------------------------------------------------

    def _show_summary(self) -> None:
        flt = self.model.current_filter
        shown = self.model.rowCount()
        empty_filter = self.filter_is_empty(flt)
        if empty_filter:
            self._total = shown
        elif self._total is None:
            with self._database.session() as session:
                self._total = self.count_all(session)
        total = self._total
        many = plural(total, self.nouns.one, self.nouns.many)
        if empty_filter:
            text = many
        else:
            text = " · ".join([f"{format_number(shown)} von {many}", *self.describe_filter(flt)])
        self.summary_label.setText(text)
        self.reset_button.setVisible(not empty_filter)
        self.details.setVisible(shown > 0)
        if shown:
            self.list_stack.setCurrentWidget(self.table)
            return
        if total == 0:
            self.empty_label.setText(
                f'Noch keine {self.nouns.many} — <a href="new">{self.nouns.new}</a> (Strg+N) '
                'oder <a href="import">Kontakte importieren</a> (Outlook, Google, Excel, vCard).'
            )
            self.empty_label.setAccessibleName(f"Noch keine {self.nouns.many}")
        else:
            self.empty_label.setText(
                f"Keine {self.nouns.many} für diesen Filter — "
                '<a href="reset">Filter zurücksetzen</a>'
            )
            self.empty_label.setAccessibleName(f"Keine {self.nouns.many} für diesen Filter")
        self.list_stack.setCurrentWidget(self.empty_label)

    def _update_actions(self) -> None:
        selected = self.selected_id() is not None
        self.edit_button.setEnabled(selected)
        self.delete_button.setEnabled(selected)
        self.export_button.setEnabled(self.model.rowCount() > 0)

    def _open_editor(self, editor: NetworkEditor) -> NetworkEditor:
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.saved.connect(self._on_editor_saved)
        editor.open_requested.connect(self._on_editor_open_requested)
        editor.finished.connect(self._on_editor_finished)
        self.editor = editor
        editor.open()
        return editor

    def _delete_selected(self) -> None:
        """Ask, naming the record; delete it; then select the row that took its place."""
        record_id = self.selected_id()
        if record_id is None:
            return
        row = self.model.row_of(record_id) or 0
        name = self.model.index(row, 0).data()
        one = self.nouns.one
        answer = QMessageBox.question(
            self,
            f"{one} löschen",
            f"Die {one} „{name}“ löschen?\n\n"
            f"{self.nouns.deleted_with} Das lässt sich nicht rückgängig machen.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            with self._database.session() as session:
                self.delete_record(session, record_id)
        except UserError as err:
            QMessageBox.warning(self, f"{one} löschen", str(err))
            self.refresh()
            return
        self.announce(f"Gelöscht: „{name}“")
        if self.model.rowCount():
            self.table.select_id(self.model.record_id(min(row, self.model.rowCount() - 1)))

    # --- slots ----------------------------------------------------------------------------

    def _on_export_action_triggered(
        self, name: str, file_filter: str, write: ExportWriter, _checked: bool = False
    ) -> None:
        self.export_to(name, file_filter, write)

    def _on_filter_widget_changed(self, *_args: object) -> None:
        self.apply_filter()

    def _on_search_edit_text_changed(self, _text: str) -> None:
        self._search_timer.start()

    def _on_search_timer_timeout(self) -> None:
        self.apply_filter()

    def _on_reset_button_clicked(self) -> None:
        self.reset_filter()

    def _on_new_button_clicked(self) -> None:
        self.new_record()

    def _on_edit_button_clicked(self) -> None:
        record_id = self.selected_id()
        if record_id is not None:
            self.edit_record(record_id)

    def _on_delete_button_clicked(self) -> None:
        self._delete_selected()

    def _on_delete_shortcut_activated(self) -> None:
        self._delete_selected()

    def _on_import_button_clicked(self) -> None:
        self.import_requested.emit()

    def _on_empty_label_link_activated(self, link: str) -> None:
        if link == "new":
            self.new_record()
        elif link == "import":
            self.import_requested.emit()
        elif link == "reset":
            self.reset_filter()

    def _on_table_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.edit_record(self.model.record_id(index.row()))

    def _on_table_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.show_details(self.model.record_id(current.row()) if current.isValid() else None)
        self._update_actions()

    def _on_table_selection_changed(self, *_args: object) -> None:
        self._update_actions()

    def _on_model_about_to_be_reset(self) -> None:
        self._keep_id = self.selected_id()

    def _on_model_reset(self) -> None:
        keep, self._keep_id = self._keep_id, None
        self._show_summary()
        if keep is None or not self.table.select_id(keep):
            self.show_details(None)
        self._update_actions()

    def _on_splitter_moved(self, *_args: object) -> None:
        app_settings().setValue(f"{self._key}/splitter", self.splitter.saveState())

    def _on_editor_saved(self, record_id: int) -> None:
        merged = self.editor.merged_into if self.editor is not None else None
        message = f"Zusammengeführt mit „{merged}“" if merged else "Gespeichert"
        self.announce(message, select=record_id)

    def _on_editor_open_requested(self, record_id: int) -> None:
        self.show_record(record_id)

    def _on_editor_finished(self, _result: int) -> None:
        self.editor = None
        self.table.setFocus()

    def _on_details_history_added(self) -> None:
        self.status_message.emit("Kontakt eingetragen")
        self.data_changed.emit()
