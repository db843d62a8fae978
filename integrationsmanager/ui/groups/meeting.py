"""One meeting from preparation to follow-up, in one window with two tabs.

*Vorbereitung*: date, time and place; the agenda (drag or Alt+↑/↓ to reorder); the invitees
(the group's members by default); the group's open action items and the status of its measures,
which appear by themselves; and the documents: meeting pack, attendance list, invitation (.ics),
the invitees' addresses on the clipboard or in a new e-mail — or all of it with one click.

*Nachbereitung*: attendance as a checklist, minutes and decisions per agenda item, new action
items with owner and due date, and "erledigt" for the ones carried over (open ones come back at
the next meeting until they are done). Then the minutes as a PDF.

The window edits everything in memory and saves it in one unit of work (Ctrl+S), through one
service call per changed thing; Esc asks before dropping changes. A document is written from
the saved state, so the window saves first when something changed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time
from functools import partial
from pathlib import Path
from typing import ClassVar
from urllib.parse import quote

from PySide6.QtCore import QDate, Qt, QTime, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFont, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTimeEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from integrationsmanager.domain.enums import AttendanceStatus, MeetingStatus
from integrationsmanager.domain.errors import UserError, ValidationError
from integrationsmanager.reports.attendance import write_attendance_list
from integrationsmanager.reports.meeting_pack import write_meeting_pack
from integrationsmanager.reports.minutes import write_minutes
from integrationsmanager.services.action_items import (
    delete_action_item,
    save_action_item,
)
from integrationsmanager.services.invitations import export_meeting_ics, organiser
from integrationsmanager.services.meetings import (
    LINK_MAX,
    PLACE_MAX,
    TITLE_MAX,
    WEEKDAYS,
    MeetingData,
    add_agenda_item,
    add_invitee,
    invitee_emails,
    invitees,
    record_minutes,
    remove_agenda_item,
    remove_invitee,
    reorder_agenda,
    save_meeting,
    set_attendance,
    update_agenda_item,
)
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.audit.history import HistoryView
from integrationsmanager.ui.groups.actions import ActionsEditor
from integrationsmanager.ui.groups.agenda import AgendaEditor, MinutesEditor
from integrationsmanager.ui.groups.meeting_load import (
    DEFAULT_LENGTH,
    MeetingContents,
    load_meeting,
)
from integrationsmanager.ui.groups.members import (
    PeopleEdit,
    enum_combo,
    name_field,
    select_value,
)
from integrationsmanager.ui.groups.tables import (
    ACTION_HEADERS,
    fill_action_table,
    make_table,
    measure_status_item,
    text_item,
)
from integrationsmanager.ui.tasks import Progress, run_task
from integrationsmanager.ui.widgets.dates import GERMAN
from integrationsmanager.ui.widgets.files import ask_save_path, remembered_folder
from integrationsmanager.ui.widgets.form import (
    add_message_row,
    discard_changes,
    labelled_row,
    show_row_message,
)
from integrationsmanager.ui.widgets.settings import app_settings

FIELD_LABELS = {
    "title": "Titel",
    "starts_at": "Beginn",
    "ends_at": "Ende",
    "place": "Ort",
    "online_link": "Online-Link",
}
_FOLDER_KEY = "groups/folder"
_UNSAFE_IN_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')

PREPARATION_TAB, FOLLOW_UP_TAB = range(2)


def file_name(prefix: str, group: str, day: date, suffix: str) -> str:
    """``Sitzungsunterlagen 2026-03-10 Arbeitskreis Bildung.pdf`` without unsafe characters."""
    name = _UNSAFE_IN_NAMES.sub("-", f"{prefix} {day:%Y-%m-%d} {group}").strip(" .-")
    return f"{name}{suffix}"


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _qtime(value: time) -> QTime:
    return QTime(value.hour, value.minute)


class MeetingDialog(QDialog):
    """Prepare and follow up one meeting; ``meeting_id`` None prepares a new one of ``group_id``."""

    saved = Signal(int)
    status_message = Signal(str)

    def __init__(
        self,
        database: Database,
        *,
        meeting_id: int | None = None,
        group_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if meeting_id is None and group_id is None:
            raise ValueError("MeetingDialog needs a meeting or a group")
        self._database = database
        with database.session() as session:
            loaded = load_meeting(session, meeting_id, group_id)
        self.meeting_id = loaded.meeting_id
        self.group_id = loaded.group_id
        self._group_name = loaded.group_name
        self._notes = loaded.data.notes
        self._touched: set[str] = set()
        self.last_document: Path | None = None
        """The file the last document button wrote (for the result line and tests)."""

        self._build(loaded)
        self._fill(loaded)
        self._initial = self._snapshot()
        self._remember_saved_rows()
        self._start = self.start_edit.time()
        self._connect_changes()
        self._on_form_changed()
        started = loaded.data.starts_at is not None and loaded.data.starts_at <= datetime.now()
        if self.meeting_id is not None and started:
            # A meeting that has begun is opened for its follow-up.
            self.tabs.setCurrentIndex(FOLLOW_UP_TAB)

    # --- building -------------------------------------------------------------------------

    def _build(self, loaded: MeetingContents) -> None:
        self.header_label = QLabel(self)
        font = QFont(self.header_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.header_label.setFont(font)
        self.header_label.setWordWrap(True)
        self.when_label = QLabel(self)
        self.when_label.setWordWrap(True)

        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Vorbereitung und Nachbereitung der Sitzung")
        self.tabs.addTab(self._build_preparation(loaded), "&Vorbereitung")
        self.tabs.addTab(self._build_follow_up(loaded), "&Nachbereitung")
        self.audit_view = HistoryView(self._database, self.tabs)
        self.tabs.addTab(self.audit_view, "Änderun&gen")
        self.audit_view.show_record("meeting", loaded.meeting_id)

        self.hint_label = QLabel(self)
        self.hint_label.setWordWrap(True)
        self.result_label = QLabel(self)
        self.result_label.setWordWrap(True)
        self.result_label.setTextFormat(Qt.TextFormat.RichText)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.result_label.setAccessibleName("Zuletzt geschriebene Datei")
        self.result_label.hide()
        self.save_button = QPushButton("Speichern", self)
        self.save_button.setAccessibleName("Speichern (Strg+S)")
        self.save_button.setAutoDefault(False)
        self.close_button = QPushButton("Schließen", self)
        self.close_button.setAccessibleName("Schließen (Esc)")
        self.close_button.setAutoDefault(False)
        footer = QHBoxLayout()
        messages = QVBoxLayout()
        messages.addWidget(self.hint_label)
        messages.addWidget(self.result_label)
        footer.addLayout(messages, 1)
        footer.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignBottom)
        footer.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignBottom)

        layout = QVBoxLayout(self)
        layout.addWidget(self.header_label)
        layout.addWidget(self.when_label)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(footer)

        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.close_button.clicked.connect(self.reject)
        self.result_label.linkActivated.connect(self._on_result_label_link_activated)
        QShortcut(QKeySequence.StandardKey.Save, self, self._on_save_shortcut_activated)

        screen = self.screen().availableGeometry()
        width = self.fontMetrics().averageCharWidth() * 190
        height = self.fontMetrics().lineSpacing() * 52
        self.resize(min(width, int(screen.width() * 0.95)), min(height, int(screen.height() * 0.9)))

    def _build_preparation(self, loaded: MeetingContents) -> QWidget:
        page = QWidget(self)
        self.error_labels: dict[str, QLabel] = {}
        self._error_fields: dict[str, QWidget] = {}
        self._error_forms: dict[str, QFormLayout] = {}

        term = QGroupBox("Termin", page)
        form = QFormLayout(term)
        self.title_edit = QLineEdit(term)
        self.title_edit.setMaxLength(TITLE_MAX)
        self.title_edit.setPlaceholderText("z. B. 3. Sitzung 2026")
        self._add_row(form, "&Titel", self.title_edit, "title")
        self.date_edit = QDateEdit(term)
        self.date_edit.setLocale(GERMAN)
        self.date_edit.setDisplayFormat("dddd, dd.MM.yyyy")
        self.date_edit.setCalendarPopup(True)
        self._add_row(form, "&Datum", self.date_edit)
        name_field(self.date_edit, "Datum")
        self.start_edit = QTimeEdit(term)
        self.start_edit.setDisplayFormat("HH:mm")
        self.end_box = QCheckBox("&bis", term)
        self.end_box.setAccessibleName("Ende angeben")
        self.end_edit = QTimeEdit(term)
        self.end_edit.setDisplayFormat("HH:mm")
        name_field(self.end_edit, "Ende")
        times = QWidget(term)
        times_layout = QHBoxLayout(times)
        times_layout.setContentsMargins(0, 0, 0, 0)
        self.start_edit.setParent(times)
        self.end_box.setParent(times)
        self.end_edit.setParent(times)
        times_layout.addWidget(self.start_edit)
        times_layout.addWidget(self.end_box)
        times_layout.addWidget(self.end_edit)
        times_layout.addWidget(QLabel("Uhr", times))
        times_layout.addStretch(1)
        caption = QLabel("&Beginn", term)
        caption.setBuddy(self.start_edit)
        name_field(self.start_edit, "Beginn")
        form.addRow(caption, times)
        self._add_error(form, "starts_at", self.start_edit)
        self._add_error(form, "ends_at", self.end_edit)
        self.place_edit = QLineEdit(term)
        self.place_edit.setMaxLength(PLACE_MAX)
        self.place_edit.setPlaceholderText(loaded.usual_place or "z. B. Landratsamt, Sitzungssaal")
        self._add_row(form, "&Ort", self.place_edit, "place")
        self.link_edit = QLineEdit(term)
        self.link_edit.setMaxLength(LINK_MAX)
        self.link_edit.setPlaceholderText("https://… (wenn online oder hybrid)")
        self._add_row(form, "Online-&Link", self.link_edit, "online_link")
        self.status_combo = enum_combo(MeetingStatus, term, name="Status der Sitzung")
        self._add_row(form, "St&atus", self.status_combo)

        invited = QGroupBox("Eingeladen", page)
        self.invited_box = invited
        invited_layout = QVBoxLayout(invited)
        self.invitees_edit = PeopleEdit(
            enum=AttendanceStatus,
            default=AttendanceStatus.INVITED,
            noun="Eingeladene",
            choice_name="Antwort",
            people=loaded.people,
            parent=invited,
        )
        invited_layout.addWidget(self.invitees_edit)

        agenda_box = QGroupBox("Tagesordnung", page)
        agenda_layout = QVBoxLayout(agenda_box)
        self.agenda_edit = AgendaEditor(
            people=loaded.people, measures=loaded.measures, parent=agenda_box
        )
        agenda_layout.addWidget(self.agenda_edit)

        carried_box = QGroupBox("Offene Aufgaben des Gremiums", page)
        self.carried_box = carried_box
        carried_layout = QVBoxLayout(carried_box)
        self.carried_table = make_table(
            carried_box, "Offene Aufgaben aus früheren Sitzungen", ACTION_HEADERS
        )
        carried_layout.addWidget(self.carried_table)
        measures_box = QGroupBox("Maßnahmen des Gremiums", page)
        self.measures_box = measures_box
        measures_layout = QVBoxLayout(measures_box)
        self.measures_table = make_table(
            measures_box, "Stand der Maßnahmen des Gremiums", ("Maßnahme", "Leitlinie", "Status")
        )
        measures_layout.addWidget(self.measures_table)

        documents = QHBoxLayout()
        self.invitation_button = QPushButton("Einladung vorbereiten …", page)
        self.invitation_button.setAccessibleName("Einladung vorbereiten: Unterlagen, ics, Adressen")
        self.invitation_button.setToolTip(
            "Mit einem Klick: Sitzungsunterlagen (PDF) und Einladung (.ics) in einen Ordner "
            "schreiben und die Adressen der Eingeladenen kopieren"
        )
        self.pack_button = QPushButton("Sitzungsunterlagen (PDF)", page)
        self.attendance_button = QPushButton("Anwesenheitsliste (PDF)", page)
        self.ics_button = QPushButton("Einladung (.ics)", page)
        self.copy_button = QPushButton("Adressen kopieren", page)
        self.copy_button.setToolTip(
            "Die E-Mail-Adressen aller Eingeladenen, durch „; “ getrennt, wie Outlook sie "
            "im Feld An oder Bcc erwartet"
        )
        self.mail_button = QToolButton(page)
        self.mail_button.setText("E-Mail schreiben")
        self.mail_button.setAccessibleName("E-Mail an alle Eingeladenen schreiben")
        self.mail_button.setToolTip(
            "Eine neue E-Mail an alle Eingeladenen; die Adressen stehen in Bcc, damit sie "
            "einander nicht sehen (Pfeil: im Feld An)"
        )
        self.mail_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.mail_menu = QMenu(self.mail_button)
        self.mail_bcc_action = self.mail_menu.addAction("Adressen in Bcc (verborgen)")
        self.mail_to_action = self.mail_menu.addAction("Adressen im Feld An (für alle sichtbar)")
        self.mail_button.setMenu(self.mail_menu)
        for button in (self.pack_button, self.attendance_button, self.ics_button, self.copy_button):
            button.setAccessibleName(button.text())
            button.setAutoDefault(False)
        self.invitation_button.setAutoDefault(False)
        documents.addWidget(self.invitation_button)
        documents.addStretch(1)
        for widget in (
            self.pack_button,
            self.attendance_button,
            self.ics_button,
            self.copy_button,
            self.mail_button,
        ):
            documents.addWidget(widget)

        top = QWidget(page)
        top_layout = QHBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        term.setParent(top)
        invited.setParent(top)
        top_layout.addWidget(term, 2)
        top_layout.addWidget(invited, 3)
        bottom = QSplitter(Qt.Orientation.Horizontal, page)
        bottom.addWidget(carried_box)
        bottom.addWidget(measures_box)
        bottom.setChildrenCollapsible(False)
        self.preparation_splitter = QSplitter(Qt.Orientation.Vertical, page)
        self.preparation_splitter.addWidget(top)
        self.preparation_splitter.addWidget(agenda_box)
        self.preparation_splitter.addWidget(bottom)
        self.preparation_splitter.setChildrenCollapsible(False)
        self.preparation_splitter.setStretchFactor(0, 0)
        self.preparation_splitter.setStretchFactor(1, 3)
        self.preparation_splitter.setStretchFactor(2, 2)
        layout = QVBoxLayout(page)
        layout.addWidget(self.preparation_splitter, 1)
        layout.addLayout(documents)

        self.invitation_button.clicked.connect(self._on_invitation_button_clicked)
        self.pack_button.clicked.connect(partial(self._write_pdf, "pack"))
        self.attendance_button.clicked.connect(partial(self._write_pdf, "attendance"))
        self.ics_button.clicked.connect(self._on_ics_button_clicked)
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        self.mail_button.clicked.connect(self._on_mail_bcc_action_triggered)
        self.mail_bcc_action.triggered.connect(self._on_mail_bcc_action_triggered)
        self.mail_to_action.triggered.connect(self._on_mail_to_action_triggered)
        return page

    def _build_follow_up(self, loaded: MeetingContents) -> QWidget:
        page = QWidget(self)
        attendance_box = QGroupBox("Anwesenheit", page)
        self.attendance_box = attendance_box
        attendance_layout = QVBoxLayout(attendance_box)
        self.attendance_edit = PeopleEdit(
            enum=AttendanceStatus,
            default=AttendanceStatus.INVITED,
            noun="Anwesenheit",
            choice_name="Anwesenheit",
            people=loaded.people,
            check_value=AttendanceStatus.PRESENT,
            show_email=False,
            parent=attendance_box,
        )
        self.attendance_edit.table.setToolTip("Häkchen oder Leertaste: anwesend")
        self.attendance_summary = QLabel(attendance_box)
        self.attendance_summary.setWordWrap(True)
        self.accepted_present_button = QPushButton("Zusagen als anwesend", attendance_box)
        self.accepted_present_button.setAccessibleName("Alle mit Zusage als anwesend eintragen")
        self.accepted_present_button.setToolTip(
            "Wer zugesagt hat, gilt als anwesend; Ausnahmen danach einzeln ändern"
        )
        self.accepted_present_button.setAutoDefault(False)
        summary = QHBoxLayout()
        summary.addWidget(self.attendance_summary, 1)
        summary.addWidget(self.accepted_present_button)
        attendance_layout.addWidget(self.attendance_edit, 1)
        attendance_layout.addLayout(summary)

        minutes_box = QGroupBox("Protokoll und Beschlüsse", page)
        minutes_layout = QVBoxLayout(minutes_box)
        self.minutes_edit = MinutesEditor(self.agenda_edit, minutes_box)
        minutes_layout.addWidget(self.minutes_edit)

        actions_box = QGroupBox("Aufgaben", page)
        actions_layout = QVBoxLayout(actions_box)
        self.actions_edit = ActionsEditor(
            people=loaded.people, measures=loaded.measures, parent=actions_box
        )
        actions_layout.addWidget(self.actions_edit)

        self.minutes_button = QPushButton("Protokoll (PDF)", page)
        self.minutes_button.setAccessibleName("Protokoll (PDF)")
        self.minutes_button.setAutoDefault(False)
        self.signatures_button = QPushButton("Anwesenheitsliste (PDF)", page)
        self.signatures_button.setAccessibleName("Anwesenheitsliste (PDF) zum Unterschreiben")
        self.signatures_button.setAutoDefault(False)
        documents = QHBoxLayout()
        documents.addStretch(1)
        documents.addWidget(self.signatures_button)
        documents.addWidget(self.minutes_button)

        top = QSplitter(Qt.Orientation.Horizontal, page)
        top.addWidget(attendance_box)
        top.addWidget(minutes_box)
        top.setStretchFactor(0, 2)
        top.setStretchFactor(1, 3)
        top.setChildrenCollapsible(False)
        self.follow_up_splitter = QSplitter(Qt.Orientation.Vertical, page)
        self.follow_up_splitter.addWidget(top)
        self.follow_up_splitter.addWidget(actions_box)
        self.follow_up_splitter.setStretchFactor(0, 3)
        self.follow_up_splitter.setStretchFactor(1, 2)
        self.follow_up_splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(page)
        layout.addWidget(self.follow_up_splitter, 1)
        layout.addLayout(documents)

        self.minutes_button.clicked.connect(partial(self._write_pdf, "minutes"))
        self.accepted_present_button.clicked.connect(self._on_accepted_present_button_clicked)
        self.signatures_button.clicked.connect(partial(self._write_pdf, "attendance"))
        return page

    def _add_row(
        self, form: QFormLayout, label: str, field: QWidget, error_key: str | None = None
    ) -> None:
        labelled_row(form, label, field)
        if error_key is not None:
            self._add_error(form, error_key, field)

    def _add_error(self, form: QFormLayout, key: str, field: QWidget) -> None:
        error = add_message_row(form, f"Hinweis zu {FIELD_LABELS[key]}")
        self.error_labels[key] = error
        self._error_fields[key] = field
        self._error_forms[key] = form

    # --- values ---------------------------------------------------------------------------

    def _fill(self, loaded: MeetingContents) -> None:
        data = loaded.data
        assert data.starts_at is not None
        self.title_edit.setText(data.title)
        self.date_edit.setDate(_qdate(data.starts_at.date()))
        self.start_edit.setTime(_qtime(data.starts_at.time()))
        self.end_box.setChecked(data.ends_at is not None)
        end = data.ends_at or data.starts_at + DEFAULT_LENGTH
        self.end_edit.setTime(_qtime(end.time()))
        self.end_edit.setEnabled(data.ends_at is not None)
        self.place_edit.setText(data.place)
        self.place_edit.setCursorPosition(0)
        self.link_edit.setText(data.online_link)
        select_value(self.status_combo, data.status)
        self.invitees_edit.set_entries(loaded.invitees)
        self.attendance_edit.set_entries(loaded.invitees)
        self.agenda_edit.set_rows(loaded.agenda)
        self.actions_edit.set_rows(loaded.actions)
        fill_action_table(self.carried_table, loaded.carried)
        self.carried_box.setTitle(
            f"Offene Aufgaben des Gremiums ({len(loaded.carried)})"
            if loaded.carried
            else "Offene Aufgaben des Gremiums (keine)"
        )
        self.measures_table.setRowCount(len(loaded.group_measures))
        for row, measure in enumerate(loaded.group_measures):
            self.measures_table.setItem(row, 0, text_item(measure.title, item_id=measure.id))
            self.measures_table.setItem(row, 1, text_item(str(measure.guideline_number)))
            self.measures_table.setItem(row, 2, measure_status_item(measure.status))
        self.measures_box.setTitle(
            f"Maßnahmen des Gremiums ({len(loaded.group_measures)})"
            if loaded.group_measures
            else "Maßnahmen des Gremiums (keine – dem Gremium ist keine Leitlinie zugeordnet)"
        )
        self._show_heading()
        self._show_attendance_summary()

    def meeting_data(self) -> MeetingData:
        chosen = self.date_edit.date()
        day = date(chosen.year(), chosen.month(), chosen.day())
        start = self.start_edit.time()
        starts_at = datetime.combine(day, time(start.hour(), start.minute()))
        ends_at = None
        if self.end_box.isChecked():
            end = self.end_edit.time()
            ends_at = datetime.combine(day, time(end.hour(), end.minute()))
        return MeetingData(
            group_id=self.group_id,
            starts_at=starts_at,
            ends_at=ends_at,
            title=self.title_edit.text(),
            place=self.place_edit.text(),
            online_link=self.link_edit.text(),
            status=MeetingStatus(self.status_combo.currentData()),
            notes=self._notes,
        )

    def collect(self) -> tuple[MeetingData, dict[str, str]]:
        """The meeting's fields and every rule that the window's contents break.

        Keys are the meeting's fields, plus ``agenda`` and ``actions`` for the lists.
        """
        data = self.meeting_data()
        errors = data.errors()
        agenda = self.agenda_edit.errors()
        if agenda:
            errors["agenda"] = "\n".join(agenda)
        assert data.starts_at is not None
        day = data.starts_at.date()
        action_errors = [
            f"{row.title.strip() or 'Neue Aufgabe'}: {message}"
            for row in self.actions_edit.rows()
            for message in row.errors(group_id=self.group_id, meeting_day=day).values()
        ]
        if action_errors:
            errors["actions"] = "\n".join(action_errors)
        return data, errors

    def _snapshot(self) -> tuple[object, ...]:
        data = self.meeting_data()
        return (
            data,
            tuple(row.snapshot() for row in self.agenda_edit.rows()),
            tuple(self.invitees_edit.entries()),
            tuple(row.snapshot() for row in self.actions_edit.rows()),
        )

    def is_dirty(self) -> bool:
        """True if the window shows something that is not saved."""
        return self._snapshot() != self._initial

    # --- reacting -------------------------------------------------------------------------

    def _connect_changes(self) -> None:
        for key, signal in (
            ("title", self.title_edit.textChanged),
            ("starts_at", self.date_edit.dateChanged),
            ("starts_at", self.start_edit.timeChanged),
            ("ends_at", self.end_edit.timeChanged),
            ("ends_at", self.end_box.toggled),
            ("place", self.place_edit.textChanged),
            ("online_link", self.link_edit.textChanged),
        ):
            signal.connect(partial(self._on_field_edited, key))
        self.end_box.toggled.connect(self.end_edit.setEnabled)
        self.start_edit.timeChanged.connect(self._on_start_edit_time_changed)
        self.status_combo.currentIndexChanged.connect(self._on_form_changed)
        self.agenda_edit.changed.connect(self._on_form_changed)
        self.minutes_edit.changed.connect(self._on_form_changed)
        self.actions_edit.changed.connect(self._on_form_changed)
        self.invitees_edit.changed.connect(self._on_invitees_edit_changed)
        self.attendance_edit.changed.connect(self._on_attendance_edit_changed)

    def _on_field_edited(self, key: str, *_args: object) -> None:
        self._touched.add(key)
        self._on_form_changed()

    def _on_start_edit_time_changed(self, start: QTime) -> None:
        """A later or earlier start moves the end with it: the meeting keeps its length."""
        shift = self._start.secsTo(start)
        self._start = start
        if self.end_box.isChecked() and shift:
            self.end_edit.setTime(self.end_edit.time().addSecs(shift))

    def _on_invitees_edit_changed(self) -> None:
        self.attendance_edit.set_entries(self.invitees_edit.entries())
        self._show_attendance_summary()
        self._on_form_changed()

    def _on_attendance_edit_changed(self) -> None:
        self.invitees_edit.set_entries(self.attendance_edit.entries())
        self._show_attendance_summary()
        self._on_form_changed()

    def _on_accepted_present_button_clicked(self) -> None:
        for person_id, status in self.attendance_edit.entries():
            if status == AttendanceStatus.ACCEPTED:
                self.attendance_edit.set_value(person_id, AttendanceStatus.PRESENT)

    def _on_form_changed(self, *_args: object) -> None:
        _data, errors = self.collect()
        for key, label in self.error_labels.items():
            message = errors.get(key, "") if key in self._touched else ""
            show_row_message(self._error_forms[key], label, message)
        self.agenda_edit.show_message(errors.get("agenda", ""))
        self.actions_edit.show_message(errors.get("actions", ""))
        self.hint_label.setText(
            "Zum Speichern fehlt noch etwas: " + " ".join(errors.values()).replace("\n", " ")
            if errors
            else ""
        )
        self.save_button.setEnabled(not errors)
        self.save_button.setToolTip("\n".join(errors.values()) if errors else "Speichern (Strg+S)")
        self.setWindowModified(self.is_dirty())
        self._show_heading()

    def _show_heading(self) -> None:
        data = self.meeting_data()
        title = self._group_name
        if data.title.strip():
            title += f" – {data.title.strip()}"
        self.header_label.setText(title)
        assert data.starts_at is not None
        when = f"{WEEKDAYS[data.starts_at.weekday()]}, {data.starts_at:%d.%m.%Y, %H:%M}"
        if data.ends_at is not None:
            when += f"–{data.ends_at:%H:%M}"
        when += " Uhr"
        where = data.place.strip() or ("online" if data.online_link.strip() else "")
        if where:
            when += f" · {where}"
        when += f" · {data.status.label}"
        if self.meeting_id is None:
            when += " · noch nicht gespeichert"
        self.when_label.setText(when)
        prefix = "Neue Sitzung" if self.meeting_id is None else "Sitzung"
        self.setWindowTitle(f"{prefix}: {title}[*]")

    def _show_attendance_summary(self) -> None:
        entries = self.attendance_edit.entries()
        counts = {status: 0 for status in AttendanceStatus}
        for _person, status in entries:
            counts[status] += 1
        parts = [f"{n} {status.label}" for status, n in counts.items() if n]
        people = "1 Person" if len(entries) == 1 else f"{len(entries)} Personen"
        self.attendance_summary.setText(
            f"{people}: {', '.join(parts)}" if entries else "Niemand eingeladen."
        )
        self.accepted_present_button.setEnabled(counts[AttendanceStatus.ACCEPTED] > 0)
        present = counts[AttendanceStatus.PRESENT]
        self.attendance_box.setTitle(f"Anwesenheit ({present} von {len(entries)})")
        self.invited_box.setTitle(f"Eingeladen ({len(entries)})")

    # --- saving ---------------------------------------------------------------------------

    def _on_save_shortcut_activated(self) -> None:
        self.save()

    def _on_save_button_clicked(self) -> None:
        self.save()

    def save(self) -> bool:
        """Save everything the window shows in one unit of work; True when saved."""
        data, errors = self.collect()
        if errors:
            self._show_all_errors(errors)
            return False
        try:
            with self._database.session() as session:
                meeting_id = self._store(session, data)
        except ValidationError as err:
            self._show_all_errors({k: v for k, v in err.errors.items() if k in self.error_labels})
            if not set(err.errors) <= set(self.error_labels):
                QMessageBox.warning(self, "Speichern nicht möglich", str(err))
            return False
        except UserError as err:
            QMessageBox.warning(self, "Speichern nicht möglich", str(err))
            return False
        self.meeting_id = meeting_id
        self._reload()
        self.status_message.emit("Sitzung gespeichert")
        self.saved.emit(meeting_id)
        return True

    def _store(self, session: Session, data: MeetingData) -> int:
        """One service call per changed thing, all in the caller's unit of work."""
        meeting = save_meeting(session, data, self.meeting_id)
        meeting_id = meeting.id
        rows = self.agenda_edit.rows()
        kept = {row.item_id for row in rows if row.item_id is not None}
        for item in list(meeting.agenda):
            if item.id not in kept:
                remove_agenda_item(session, item.id)
        order = []
        for row in rows:
            if row.item_id is None:
                item_id = add_agenda_item(session, meeting_id, row.data()).id
            elif self._saved_agenda.get(row.key) != row.snapshot():
                item_id = update_agenda_item(session, row.item_id, row.data()).id
            else:
                order.append(row.item_id)
                continue
            record_minutes(session, item_id, row.minutes, row.decisions)
            order.append(item_id)
        reorder_agenda(session, meeting_id, order)

        wanted = dict(self.invitees_edit.entries())
        current = {a.person_id: AttendanceStatus(a.status) for a in invitees(session, meeting_id)}
        for person_id in current.keys() - wanted.keys():
            remove_invitee(session, meeting_id, person_id)
        for person_id, status in wanted.items():
            if person_id not in current:
                add_invitee(session, meeting_id, person_id, status)
            elif current[person_id] != status:
                set_attendance(session, meeting_id, person_id, status)

        initial = {action.key: action.snapshot() for action in self._initial_actions}
        actions = self.actions_edit.rows()
        kept_actions = {action.item_id for action in actions if action.item_id is not None}
        for action in self._initial_actions:
            if action.item_id is not None and action.item_id not in kept_actions:
                delete_action_item(session, action.item_id)
        for action in actions:
            if action.item_id is None or initial.get(action.key) != action.snapshot():
                fields = action.data(group_id=self.group_id, meeting_id=meeting_id)
                save_action_item(session, fields, action.item_id)
        return meeting_id

    def _reload(self) -> None:
        """Show the saved state (ids of new rows, the carried tasks still open)."""
        tab = self.tabs.currentIndex()
        agenda_position = self.agenda_edit.list_widget.currentRow()
        minutes_position = self.minutes_edit.list_widget.currentRow()
        with self._database.session() as session:
            loaded = load_meeting(session, self.meeting_id, self.group_id)
        self._notes = loaded.data.notes
        self._fill(loaded)
        self._touched.clear()
        if agenda_position >= 0:
            self.agenda_edit.list_widget.setCurrentRow(agenda_position)
        if minutes_position >= 0:
            self.minutes_edit.list_widget.setCurrentRow(minutes_position)
        self.tabs.setCurrentIndex(tab)
        self._initial = self._snapshot()
        self._remember_saved_rows()
        self._on_form_changed()

    def _remember_saved_rows(self) -> None:
        """What the agenda and the tasks looked like when last loaded, to save only changes."""
        self._saved_agenda = {row.key: row.snapshot() for row in self.agenda_edit.rows()}
        self._initial_actions = [replace(row) for row in self.actions_edit.rows()]

    def _show_all_errors(self, errors: dict[str, str]) -> None:
        self._touched.update(errors)
        self._on_form_changed()
        if "agenda" in errors or any(k in self.error_labels for k in errors):
            self.tabs.setCurrentIndex(PREPARATION_TAB)
        elif "actions" in errors:
            self.tabs.setCurrentIndex(FOLLOW_UP_TAB)
        first = next((k for k in FIELD_LABELS if k in errors), None)
        if first is not None:
            self._error_fields[first].setFocus()

    def reject(self) -> None:
        """Esc, Schließen and the window's close button: ask before dropping changes."""
        if self.is_dirty() and not discard_changes(self, "dieser Sitzung"):
            return
        super().reject()

    # --- documents ------------------------------------------------------------------------

    def ensure_saved(self) -> int | None:
        """The meeting's id once everything shown is saved; None if saving failed."""
        if (self.meeting_id is None or self.is_dirty()) and not self.save():
            return None
        return self.meeting_id

    def _day(self) -> date:
        chosen = self.date_edit.date()
        return date(chosen.year(), chosen.month(), chosen.day())

    def _ask_save_path(self, caption: str, name: str, file_filter: str) -> Path | None:
        return ask_save_path(
            self, caption=caption, name=name, file_filter=file_filter, folder_key=_FOLDER_KEY
        )

    _DOCUMENTS: ClassVar[dict[str, tuple[str, str]]] = {
        "pack": ("Sitzungsunterlagen", "Die Sitzungsunterlagen werden erstellt …"),
        "attendance": ("Anwesenheitsliste", "Die Anwesenheitsliste wird erstellt …"),
        "minutes": ("Protokoll", "Das Protokoll wird erstellt …"),
    }

    def _writer(self, kind: str) -> Callable[..., int]:
        return {
            "pack": write_meeting_pack,
            "attendance": write_attendance_list,
            "minutes": write_minutes,
        }[kind]

    def _write_pdf(self, kind: str, *_args: object) -> Path | None:
        """Save, ask where, write the document in the background, and open it."""
        meeting_id = self.ensure_saved()
        if meeting_id is None:
            return None
        title, _label = self._DOCUMENTS[kind]
        path = self._ask_save_path(
            f"{title} speichern",
            file_name(title, self._group_name, self._day(), ".pdf"),
            "PDF-Dokument (*.pdf)",
        )
        if path is None:
            return None
        if not self._run_pdf(kind, meeting_id, path):
            return None
        self._show_result(f"{title} gespeichert", path)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        return path

    def _run_pdf(self, kind: str, meeting_id: int, path: Path) -> bool:
        title, label = self._DOCUMENTS[kind]
        database = self._database
        writer = self._writer(kind)

        def job(progress: Progress) -> int:
            with database.session() as session:
                return writer(session, meeting_id, path, progress=progress)

        outcome = run_task(self, job, title=title, label=label)
        if outcome.cancelled:
            self.status_message.emit(f"{title} abgebrochen")
        return outcome.ok

    def _show_result(self, what: str, path: Path) -> None:
        self.last_document = path
        folder = QUrl.fromLocalFile(str(path.parent)).toString()
        self.result_label.setText(f'{what}: {path.name} · <a href="{folder}">Ordner öffnen</a>')
        self.result_label.show()
        self.status_message.emit(f"{what}: {path.name}")

    def _on_result_label_link_activated(self, link: str) -> None:
        QDesktopServices.openUrl(QUrl(link))

    def _on_ics_button_clicked(self) -> None:
        self.write_invitation()

    def write_invitation(self, path: Path | None = None) -> Path | None:
        """Write the invitation (.ics) to ``path`` (asked for if None)."""
        meeting_id = self.ensure_saved()
        if meeting_id is None:
            return None
        if path is None:
            path = self._ask_save_path(
                "Einladung speichern",
                file_name("Einladung", self._group_name, self._day(), ".ics"),
                "Kalendereinladung (*.ics)",
            )
            if path is None:
                return None
        try:
            with self._database.session() as session:
                count = export_meeting_ics(session, meeting_id, path)
        except UserError as err:
            QMessageBox.warning(self, "Einladung", str(err))
            return None
        if count:
            who = "1 Eingeladene(n)" if count == 1 else f"{count} Eingeladene"
            self._show_result(f"Einladung an {who} gespeichert", path)
        else:
            self._show_result("Einladung gespeichert (niemand mit E-Mail-Adresse eingeladen)", path)
        return path

    def _emails(self, meeting_id: int) -> tuple[list[str], list[str]]:
        """The invitees' addresses, and the names of invitees without one."""
        with self._database.session() as session:
            emails = invitee_emails(session, meeting_id)
            missing = [
                a.person.full_name or f"Person {a.person_id}"
                for a in invitees(session, meeting_id)
                if not a.person.emails or a.person.erased
            ]
        return emails, missing

    def _on_copy_button_clicked(self) -> None:
        self.copy_addresses()

    def copy_addresses(self) -> list[str]:
        """Put every invitee's address on the clipboard, separated by "; " (Outlook)."""
        meeting_id = self.ensure_saved()
        if meeting_id is None:
            return []
        emails, missing = self._emails(meeting_id)
        QGuiApplication.clipboard().setText("; ".join(emails))
        message = (
            f"{len(emails)} Adressen kopiert – in Outlook ins Feld An oder Bcc einfügen"
            if emails
            else "Keine Adressen: Niemand der Eingeladenen hat eine E-Mail-Adresse."
        )
        if missing:
            message += f" · ohne Adresse: {', '.join(missing)}"
        self.status_message.emit(message)
        self.result_label.setText(message)
        self.result_label.show()
        return emails

    def _on_mail_bcc_action_triggered(self, *_args: object) -> None:
        self.write_mail(bcc=True)

    def _on_mail_to_action_triggered(self, *_args: object) -> None:
        self.write_mail(bcc=False)

    def write_mail(self, *, bcc: bool) -> QUrl | None:
        """Open a new e-mail to all invitees in the user's mail program."""
        meeting_id = self.ensure_saved()
        if meeting_id is None:
            return None
        emails, _missing = self._emails(meeting_id)
        if not emails:
            QMessageBox.information(
                self, "E-Mail schreiben", "Niemand der Eingeladenen hat eine E-Mail-Adresse."
            )
            return None
        with self._database.session() as session:
            _name, office = organiser(session)
        subject = f"Einladung: {self._group_name} am {self._day():%d.%m.%Y}"
        recipients = ",".join(quote(e, safe="@.+-_") for e in emails)
        # With Bcc the office itself is the recipient: some mail programs want someone in "An".
        address = f"{quote(office, safe='@.+-_')}?bcc={recipients}&" if bcc else f"{recipients}?"
        url = QUrl(f"mailto:{address}subject={quote(subject)}")
        QDesktopServices.openUrl(url)
        return url

    def _on_invitation_button_clicked(self) -> None:
        self.prepare_invitation()

    def prepare_invitation(self, folder: Path | None = None) -> list[Path]:
        """One click: meeting pack and invitation into one folder, addresses copied."""
        meeting_id = self.ensure_saved()
        if meeting_id is None:
            return []
        if folder is None:
            chosen = QFileDialog.getExistingDirectory(
                self, "Ordner für die Einladung wählen", str(remembered_folder(_FOLDER_KEY))
            )
            if not chosen:
                return []
            folder = Path(chosen)
            app_settings().setValue(_FOLDER_KEY, str(folder))
        pack = folder / file_name("Sitzungsunterlagen", self._group_name, self._day(), ".pdf")
        if not self._run_pdf("pack", meeting_id, pack):
            return []
        ics = self.write_invitation(
            folder / file_name("Einladung", self._group_name, self._day(), ".ics")
        )
        if ics is None:
            return [pack]
        emails = self.copy_addresses()
        message = f"Sitzungsunterlagen und Einladung gespeichert, {len(emails)} Adressen kopiert"
        self._show_result(message, pack)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
        return [pack, ics]
