"""Arbeitskreise: the list of working groups on the left, the picked group on the right.

The right side shows what the office needs before and after a meeting: the group's facts,
its meetings (upcoming and past), its members with their roles, its open action items (overdue
ones said in words and in red) and the status of the measures under its guidelines. Every
change is one unit of work; afterwards the page reloads, says what happened in the status bar
(``status_message``) and announces ``data_changed`` so the other areas refresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from PySide6.QtCore import (
    QByteArray,
    QItemSelectionModel,
    QModelIndex,
    QSignalBlocker,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from integrationsmanager.domain.enums import (
    ActionStatus,
    GroupKind,
    MeasureStatus,
    MeetingStatus,
    MemberRole,
)
from integrationsmanager.domain.errors import UserError
from integrationsmanager.domain.money import format_number
from integrationsmanager.services.action_items import open_action_items, set_action_status
from integrationsmanager.services.meetings import (
    delete_group,
    delete_meeting,
    get_group,
    measures_for_group,
    meeting_date,
    meeting_label,
    meeting_time,
    members,
    next_meeting,
    organisation_of,
    person_name,
)
from integrationsmanager.services.persons import person_display_name
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.groups.editor import GroupEditor
from integrationsmanager.ui.groups.group_list import (
    ID_ROLE as GROUP_ID_ROLE,
)
from integrationsmanager.ui.groups.group_list import (
    GroupDelegate,
    GroupFilterProxy,
    GroupListModel,
    load_group_rows,
)
from integrationsmanager.ui.groups.meeting import MeetingDialog
from integrationsmanager.ui.groups.tables import (
    ACTION_HEADERS,
    ID_ROLE,
    ActionView,
    action_view,
    fill_action_table,
    make_table,
    measure_status_item,
    select_id,
    selected_id,
    text_item,
)
from integrationsmanager.ui.widgets.empty_state import empty_state_label
from integrationsmanager.ui.widgets.filters import plural
from integrationsmanager.ui.widgets.headings import heading_label
from integrationsmanager.ui.widgets.settings import app_settings

EMPTY_DATABASE = (
    'Noch keine Arbeitskreise — <a href="new">Neuer Arbeitskreis</a> (Strg+N) legt einen '
    "Arbeitskreis, Beirat oder ein Netzwerk an."
)
NOTHING_SELECTED = "Einen Arbeitskreis in der Liste auswählen, um ihn hier zu sehen."
EMPTY_FILTER = "Keine Gremien für diesen Filter."
_EMPTY = '<span style="color:gray">–</span>'
_SPLITTER_KEY = "groups/splitter"


@dataclass(frozen=True)
class MeetingRow:
    id: int
    date: str
    time: str
    title: str
    place: str
    status: MeetingStatus
    agenda_items: int
    is_next: bool
    label: str


@dataclass(frozen=True)
class MemberRow:
    person_id: int
    name: str
    role: MemberRole
    organisation: str
    email: str


@dataclass(frozen=True)
class MeasureRow:
    id: int
    title: str
    guideline: str
    status: MeasureStatus


@dataclass(frozen=True)
class GroupView:
    """Everything the right side shows of one group, read in one session."""

    id: int
    name: str
    kind: GroupKind
    facts_html: str
    meetings: list[MeetingRow]
    members: list[MemberRow]
    actions: list[ActionView]
    measures: list[MeasureRow]


def _facts_html(rows: list[tuple[str, str]], description: str) -> str:
    cells = "".join(
        f'<tr><td style="padding-right:1em"><b>{escape(name)}</b></td>'
        f"<td>{escape(value) if value else _EMPTY}</td></tr>"
        for name, value in rows
    )
    text = f"<p>{escape(description).replace(chr(10), '<br>')}</p>" if description.strip() else ""
    return f'<table cellspacing="0" cellpadding="2">{cells}</table>{text}'


def load_group_view(database: Database, group_id: int) -> GroupView:
    with database.session() as session:
        group = get_group(session, group_id)
        upcoming = next_meeting(session, group_id)
        memberships = members(session, group_id)
        chair = next((m.person for m in memberships if m.role == MemberRole.CHAIR), None)
        facts = [
            ("Art", GroupKind(group.kind).label),
            ("Leitlinien", "; ".join(g.label for g in group.guidelines)),
            ("Vorsitz", person_name(chair) if chair is not None else ""),
            ("Üblicher Ort", group.usual_place),
            ("Rhythmus", group.rhythm),
            ("Nächste Sitzung", meeting_label(upcoming) if upcoming is not None else ""),
        ]
        meetings = [
            MeetingRow(
                id=m.id,
                date=meeting_date(m),
                time=meeting_time(m),
                title=m.title,
                place=m.place or ("online" if m.online_link else ""),
                status=MeetingStatus(m.status),
                agenda_items=len(m.agenda),
                is_next=upcoming is not None and m.id == upcoming.id,
                label=meeting_label(m),
            )
            for m in sorted(group.meetings, key=lambda m: m.starts_at, reverse=True)
        ]
        return GroupView(
            id=group.id,
            name=group.name,
            kind=GroupKind(group.kind),
            facts_html=_facts_html(facts, group.description),
            meetings=meetings,
            members=[
                MemberRow(
                    person_id=m.person_id,
                    name=person_display_name(m.person),
                    role=MemberRole(m.role),
                    organisation=organisation_of(m.person),
                    email=m.person.emails[0].address if m.person.emails else "",
                )
                for m in memberships
            ],
            actions=[action_view(session, a) for a in open_action_items(session, group_id)],
            measures=[
                MeasureRow(m.id, m.title, m.guideline.label, MeasureStatus(m.status))
                for m in measures_for_group(session, group_id)
            ],
        )


class GroupsPage(QWidget):
    """The groups area: list and filter on the left, the picked group on the right."""

    status_message = Signal(str)
    data_changed = Signal()
    open_measure = Signal(int)
    """The user asked to see a measure of the group (Enter or double-click in its list)."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._database = database
        self._view: GroupView | None = None
        self._total = 0
        self.editor: GroupEditor | None = None
        self.meeting_dialog: MeetingDialog | None = None
        """The open editor or meeting, if any (one at a time, window-modal)."""

        self._build_list()
        self._build_details()
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.list_pane)
        self.splitter.addWidget(self.details_stack)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        saved = app_settings().value(_SPLITTER_KEY)
        if isinstance(saved, QByteArray):
            self.splitter.restoreState(saved)
        else:
            width = self.fontMetrics().averageCharWidth()
            self.splitter.setSizes([width * 42, width * 120])
        self._connect()
        self.refresh()

    # --- building -------------------------------------------------------------------------

    def _build_list(self) -> None:
        self.list_pane = QWidget(self)
        self.search_edit = QLineEdit(self.list_pane)
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText("Gremium suchen …")
        self.search_edit.setAccessibleName("Gremien durchsuchen")
        self.search_edit.setToolTip("Suche (Strg+F): Groß- und Kleinschreibung egal, ä = ae")
        self.kind_combo = QComboBox(self.list_pane)
        self.kind_combo.setAccessibleName("Art des Gremiums")
        self.kind_combo.addItem("alle Arten", None)
        for kind in GroupKind:
            self.kind_combo.addItem(kind.label, kind.value)
        self.model = GroupListModel(self)
        self.proxy = GroupFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.group_list = QListView(self.list_pane)
        self.group_list.setAccessibleName("Gremien")
        self.group_list.setModel(self.proxy)
        self.group_list.setItemDelegate(GroupDelegate(self.group_list))
        self.group_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.group_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.group_list.setUniformItemSizes(True)
        self.count_label = QLabel(self.list_pane)
        self.new_group_button = QPushButton("Neuer Arbeitskreis", self.list_pane)
        self.new_group_button.setAccessibleName("Neuer Arbeitskreis")
        self.new_group_button.setToolTip(
            "Einen Arbeitskreis, Beirat oder ein Netzwerk anlegen (Strg+N, wenn keiner "
            "ausgewählt ist)"
        )
        filters = QHBoxLayout()
        filters.addWidget(self.search_edit, 1)
        filters.addWidget(self.kind_combo)
        footer = QHBoxLayout()
        footer.addWidget(self.count_label, 1)
        footer.addWidget(self.new_group_button)
        layout = QVBoxLayout(self.list_pane)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.group_list, 1)
        layout.addLayout(footer)

    def _build_details(self) -> None:
        self.details_stack = QStackedWidget(self)
        self.empty_label = empty_state_label(self.details_stack)
        self.details = QWidget(self.details_stack)

        self.title_label = heading_label(self.details)
        self.edit_button = QPushButton("Bearbeiten", self.details)
        self.edit_button.setAccessibleName("Gremium bearbeiten")
        self.edit_button.setToolTip("Angaben und Mitglieder des Gremiums bearbeiten")
        self.delete_button = QPushButton("Löschen", self.details)
        self.delete_button.setAccessibleName("Gremium löschen")
        self.delete_button.setToolTip("Das Gremium mit seinen Sitzungen und Aufgaben löschen")
        header = QHBoxLayout()
        header.addWidget(self.title_label, 1)
        header.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)
        header.addWidget(self.delete_button, 0, Qt.AlignmentFlag.AlignTop)

        self.facts_label = QLabel(self.details)
        self.facts_label.setTextFormat(Qt.TextFormat.RichText)
        self.facts_label.setWordWrap(True)
        self.facts_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.tabs = QTabWidget(self.details)
        self.tabs.setAccessibleName("Sitzungen, Mitglieder, Aufgaben und Maßnahmen des Gremiums")
        self._build_meetings_tab()
        self._build_members_tab()
        self._build_actions_tab()
        self._build_measures_tab()

        layout = QVBoxLayout(self.details)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.facts_label)
        layout.addWidget(self.tabs, 1)
        self.details_stack.addWidget(self.empty_label)
        self.details_stack.addWidget(self.details)

    def _tab(self, table: QTableWidget, buttons: list[QPushButton], note: QLabel | None) -> QWidget:
        page = QWidget(self.tabs)
        table.setParent(page)
        row = QHBoxLayout()
        if note is not None:
            note.setParent(page)
            row.addWidget(note, 1)
        else:
            row.addStretch(1)
        for button in buttons:
            button.setParent(page)
            row.addWidget(button)
        layout = QVBoxLayout(page)
        layout.addWidget(table, 1)
        layout.addLayout(row)
        return page

    def _build_meetings_tab(self) -> None:
        self.meetings_table = make_table(
            self.tabs,
            "Sitzungen des Gremiums",
            ("Datum", "Uhrzeit", "Titel", "Ort", "Status", "TOPs"),
            stretch=(2, 3),
        )
        self.new_meeting_button = QPushButton("Neue Sitzung", self)
        self.new_meeting_button.setAccessibleName("Neue Sitzung")
        self.new_meeting_button.setToolTip("Eine Sitzung dieses Gremiums vorbereiten (Strg+N)")
        self.open_meeting_button = QPushButton("Sitzung öffnen", self)
        self.open_meeting_button.setAccessibleName("Sitzung öffnen")
        self.open_meeting_button.setToolTip(
            "Vorbereitung und Nachbereitung der ausgewählten Sitzung (Eingabetaste)"
        )
        self.delete_meeting_button = QPushButton("Sitzung löschen", self)
        self.delete_meeting_button.setAccessibleName("Sitzung löschen")
        self.delete_meeting_button.setToolTip("Die ausgewählte Sitzung löschen (Entf)")
        self.meetings_note = QLabel(self)
        page = self._tab(
            self.meetings_table,
            [self.new_meeting_button, self.open_meeting_button, self.delete_meeting_button],
            self.meetings_note,
        )
        self.tabs.addTab(page, "Sitzungen")

    def _build_members_tab(self) -> None:
        self.members_table = make_table(
            self.tabs, "Mitglieder des Gremiums", ("Name", "Rolle", "Organisation", "E-Mail")
        )
        self.edit_members_button = QPushButton("Mitglieder bearbeiten …", self)
        self.edit_members_button.setAccessibleName("Mitglieder bearbeiten")
        self.edit_members_button.setToolTip(
            "Mitglieder hinzufügen oder entfernen, Rollen ändern (Vorsitz, Stellvertretung, "
            "Mitglied, Gast)"
        )
        self.members_note = QLabel(self)
        page = self._tab(self.members_table, [self.edit_members_button], self.members_note)
        self.tabs.addTab(page, "Mitglieder")

    def _build_actions_tab(self) -> None:
        self.actions_table = make_table(self.tabs, "Offene Aufgaben des Gremiums", ACTION_HEADERS)
        self.done_button = QPushButton("Als erledigt markieren", self)
        self.done_button.setAccessibleName("Ausgewählte Aufgabe als erledigt markieren")
        self.actions_note = QLabel(self)
        self.actions_note.setWordWrap(True)
        page = self._tab(self.actions_table, [self.done_button], self.actions_note)
        self.tabs.addTab(page, "Offene Aufgaben")

    def _build_measures_tab(self) -> None:
        self.measures_table = make_table(
            self.tabs,
            "Maßnahmen unter den Leitlinien des Gremiums",
            ("Maßnahme", "Leitlinie", "Status"),
        )
        self.measures_table.setToolTip("Eingabetaste oder Doppelklick: Maßnahme anzeigen")
        self.measures_note = QLabel(self)
        self.measures_note.setWordWrap(True)
        page = self._tab(self.measures_table, [], self.measures_note)
        self.tabs.addTab(page, "Maßnahmen")

    def _connect(self) -> None:
        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        self.kind_combo.currentIndexChanged.connect(self._on_kind_combo_changed)
        self.group_list.selectionModel().currentChanged.connect(self._on_group_list_current_changed)
        self.new_group_button.clicked.connect(self._on_new_group_button_clicked)
        self.empty_label.linkActivated.connect(self._on_empty_label_link_activated)
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.edit_members_button.clicked.connect(self._on_edit_button_clicked)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.new_meeting_button.clicked.connect(self._on_new_meeting_button_clicked)
        self.open_meeting_button.clicked.connect(self._on_open_meeting_button_clicked)
        self.delete_meeting_button.clicked.connect(self._on_delete_meeting_button_clicked)
        self.meetings_table.activated.connect(self._on_meetings_table_activated)
        self.meetings_table.itemSelectionChanged.connect(self._update_actions)
        self.actions_table.itemSelectionChanged.connect(self._update_actions)
        self.done_button.clicked.connect(self._on_done_button_clicked)
        self.measures_table.activated.connect(self._on_measures_table_activated)
        self.splitter.splitterMoved.connect(self._on_splitter_moved)
        delete = QShortcut(QKeySequence.StandardKey.Delete, self.meetings_table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self._on_delete_meeting_button_clicked)

    # --- public slots for the main window -------------------------------------------------

    def refresh(self) -> None:
        """Reload the list and the shown group from the database (F5, or after a change)."""
        keep = self.selected_group_id()
        with self._database.session() as session:
            rows = load_group_rows(session)
        self._total = len(rows)
        self.model.set_rows(rows)
        if keep is None or not self.select_group(keep):
            self._show_group(None)
        self._show_count()

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def new_record(self) -> QWidget:
        """Ctrl+N: a new meeting of the selected group, or a new group if none is selected."""
        group_id = self.selected_group_id()
        if group_id is None:
            return self.new_group()
        return self.new_meeting(group_id)

    def new_group(self) -> GroupEditor:
        kind = self.kind_combo.currentData()
        return self._open_editor(
            GroupEditor(
                self._database,
                kind=GroupKind(kind) if kind else GroupKind.WORKING_GROUP,
                parent=self,
            )
        )

    def edit_group(self, group_id: int) -> GroupEditor | None:
        try:
            editor = GroupEditor(self._database, group_id=group_id, parent=self)
        except UserError as err:
            QMessageBox.warning(self, "Gremium bearbeiten", str(err))
            self.refresh()
            return None
        return self._open_editor(editor)

    def new_meeting(self, group_id: int) -> MeetingDialog:
        self.show_group(group_id)
        return self._open_meeting(MeetingDialog(self._database, group_id=group_id, parent=self))

    def show_group(self, group_id: int) -> bool:
        """Select ``group_id`` in the list (the filter is reset if it hides the group)."""
        if self.select_group(group_id):
            return True
        self.reset_filter()
        return self.select_group(group_id)

    def show_meeting(self, meeting_id: int) -> MeetingDialog | None:
        """Open a meeting (from the measures, the overview or the search)."""
        try:
            dialog = MeetingDialog(self._database, meeting_id=meeting_id, parent=self)
        except UserError as err:
            QMessageBox.warning(self, "Sitzung öffnen", str(err))
            self.refresh()
            return None
        self.show_group(dialog.group_id)
        select_id(self.meetings_table, meeting_id)
        return self._open_meeting(dialog)

    def can_close(self) -> bool:
        """False if an open editor or meeting has changes the user wants to keep."""
        for dialog in (self.editor, self.meeting_dialog):
            if dialog is not None:
                dialog.reject()
                if dialog.isVisible():
                    return False
        return True

    def reset_filter(self) -> None:
        with QSignalBlocker(self.kind_combo), QSignalBlocker(self.search_edit):
            self.kind_combo.setCurrentIndex(0)
            self.search_edit.clear()
        self.proxy.set_kind(None)
        self.proxy.set_search("")
        self._show_count()

    def select_group(self, group_id: int) -> bool:
        row = self.model.row_of(group_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self.group_list.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.group_list.scrollTo(index)
        self._show_group(group_id)
        return True

    def selected_group_id(self) -> int | None:
        index = self.group_list.selectionModel().currentIndex()
        if not index.isValid() or not self.group_list.selectionModel().isSelected(index):
            return None
        value = index.data(GROUP_ID_ROLE)
        return value if isinstance(value, int) else None

    def selected_meeting_id(self) -> int | None:
        return selected_id(self.meetings_table)

    # --- showing --------------------------------------------------------------------------

    def _show_count(self) -> None:
        shown = self.proxy.rowCount()
        if self.proxy.is_filtered:
            text = f"{format_number(shown)} von {plural(self._total, 'Gremium', 'Gremien')}"
        else:
            text = plural(self._total, "Gremium", "Gremien")
        self.count_label.setText(text)
        if self.selected_group_id() is None:
            self._show_empty()

    def _show_empty(self) -> None:
        if self._total == 0:
            self.empty_label.setText(EMPTY_DATABASE)
            self.empty_label.setAccessibleName("Noch keine Arbeitskreise")
        elif self.proxy.rowCount() == 0:
            self.empty_label.setText(EMPTY_FILTER)
            self.empty_label.setAccessibleName(EMPTY_FILTER)
        else:
            self.empty_label.setText(NOTHING_SELECTED)
            self.empty_label.setAccessibleName(NOTHING_SELECTED)
        self.details_stack.setCurrentWidget(self.empty_label)

    def _show_group(self, group_id: int | None) -> None:
        view: GroupView | None = None
        if group_id is not None:
            try:
                view = load_group_view(self._database, group_id)
            except UserError:
                view = None
        self._view = view
        if view is None:
            self._show_empty()
            self._update_actions()
            return
        self.title_label.setText(view.name)
        self.facts_label.setText(view.facts_html)
        self._fill_meetings(view)
        self._fill_members(view)
        self._fill_actions(view)
        self._fill_measures(view)
        self.details_stack.setCurrentWidget(self.details)
        self._update_actions()

    def _fill_meetings(self, view: GroupView) -> None:
        keep = selected_id(self.meetings_table)
        table = self.meetings_table
        table.setRowCount(len(view.meetings))
        for row, meeting in enumerate(view.meetings):
            status = meeting.status.label
            if meeting.is_next:
                status += " · nächste Sitzung"
            items = (
                text_item(meeting.date, item_id=meeting.id, tooltip=meeting.label),
                text_item(meeting.time),
                text_item(meeting.title or "–"),
                text_item(meeting.place or "–"),
                text_item(status),
                text_item(str(meeting.agenda_items)),
            )
            items[-1].setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for column, item in enumerate(items):
                if meeting.is_next:
                    font = QFont(item.font())
                    font.setBold(True)
                    item.setFont(font)
                table.setItem(row, column, item)
        if keep is None or not select_id(table, keep):
            next_row = next((i for i, m in enumerate(view.meetings) if m.is_next), 0)
            if view.meetings:
                table.selectRow(next_row)
        count = len(view.meetings)
        self.tabs.setTabText(0, f"Sitzungen ({count})")
        self.meetings_note.setText(
            "Noch keine Sitzungen — „Neue Sitzung“ (Strg+N) bereitet die erste vor."
            if not count
            else plural(count, "Sitzung", "Sitzungen")
        )

    def _fill_members(self, view: GroupView) -> None:
        table = self.members_table
        table.setRowCount(len(view.members))
        for row, member in enumerate(view.members):
            table.setItem(row, 0, text_item(member.name, item_id=member.person_id))
            table.setItem(row, 1, text_item(member.role.label))
            table.setItem(row, 2, text_item(member.organisation or "–"))
            table.setItem(row, 3, text_item(member.email or "keine Adresse"))
        count = len(view.members)
        self.tabs.setTabText(1, f"Mitglieder ({count})")
        self.members_note.setText(
            "Noch keine Mitglieder — „Mitglieder bearbeiten …“ fügt sie hinzu."
            if not count
            else plural(count, "Mitglied", "Mitglieder")
        )

    def _fill_actions(self, view: GroupView) -> None:
        keep = selected_id(self.actions_table)
        fill_action_table(self.actions_table, view.actions)
        if keep is not None:
            select_id(self.actions_table, keep)
        count = len(view.actions)
        overdue = sum(1 for a in view.actions if a.overdue)
        title = f"Offene Aufgaben ({count})"
        if overdue:
            title = f"Offene Aufgaben ({count}, {overdue} überfällig)"
        self.tabs.setTabText(2, title)
        if not count:
            note = "Keine offenen Aufgaben."
        else:
            note = plural(count, "offene Aufgabe", "offene Aufgaben")
            if overdue:
                note += f", davon {overdue} überfällig"
            note += " — sie erscheinen bei jeder Sitzung, bis sie erledigt sind."
        self.actions_note.setText(note)

    def _fill_measures(self, view: GroupView) -> None:
        table = self.measures_table
        table.setRowCount(len(view.measures))
        for row, measure in enumerate(view.measures):
            table.setItem(row, 0, text_item(measure.title, item_id=measure.id))
            table.setItem(row, 1, text_item(measure.guideline))
            table.setItem(row, 2, measure_status_item(measure.status))
        count = len(view.measures)
        self.tabs.setTabText(3, f"Maßnahmen ({count})")
        if count:
            counts: dict[MeasureStatus, int] = {}
            for measure in view.measures:
                counts[measure.status] = counts.get(measure.status, 0) + 1
            self.measures_note.setText(
                " · ".join(f"{n} {status.label}" for status, n in counts.items())
            )
        else:
            self.measures_note.setText(
                "Keine Maßnahmen — dem Gremium sind noch keine Leitlinien zugeordnet "
                "oder unter ihnen gibt es noch keine Maßnahmen."
            )

    def _update_actions(self) -> None:
        has_group = self._view is not None
        meeting = self.selected_meeting_id() is not None
        self.new_meeting_button.setEnabled(has_group)
        self.open_meeting_button.setEnabled(has_group and meeting)
        self.delete_meeting_button.setEnabled(has_group and meeting)
        self.done_button.setEnabled(has_group and selected_id(self.actions_table) is not None)

    # --- dialogs --------------------------------------------------------------------------

    def _open_editor(self, editor: GroupEditor) -> GroupEditor:
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.saved.connect(self._on_editor_saved)
        editor.finished.connect(self._on_editor_finished)
        self.editor = editor
        editor.open()
        return editor

    def _open_meeting(self, dialog: MeetingDialog) -> MeetingDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._on_meeting_dialog_saved)
        dialog.status_message.connect(self.status_message)
        dialog.finished.connect(self._on_meeting_dialog_finished)
        self.meeting_dialog = dialog
        dialog.open()
        return dialog

    def _announce(self, message: str) -> None:
        self.refresh()
        self.status_message.emit(message)
        self.data_changed.emit()

    # --- slots ----------------------------------------------------------------------------

    def _on_search_edit_text_changed(self, text: str) -> None:
        self.proxy.set_search(text)
        self._after_filter()

    def _on_kind_combo_changed(self, _index: int) -> None:
        kind = self.kind_combo.currentData()
        self.proxy.set_kind(kind if isinstance(kind, str) else None)
        self._after_filter()

    def _after_filter(self) -> None:
        if self.selected_group_id() is None and self.proxy.rowCount() == 1:
            self.group_list.selectionModel().setCurrentIndex(
                self.proxy.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        self._show_count()

    def _on_group_list_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        value = current.data(GROUP_ID_ROLE) if current.isValid() else None
        self._show_group(value if isinstance(value, int) else None)

    def _on_splitter_moved(self, *_args: object) -> None:
        app_settings().setValue(_SPLITTER_KEY, self.splitter.saveState())

    def _on_new_group_button_clicked(self) -> None:
        self.new_group()

    def _on_empty_label_link_activated(self, link: str) -> None:
        if link == "new":
            self.new_group()

    def _on_edit_button_clicked(self) -> None:
        group_id = self.selected_group_id()
        if group_id is not None:
            self.edit_group(group_id)

    def _on_editor_saved(self, group_id: int) -> None:
        self.refresh()
        self.show_group(group_id)
        self.status_message.emit("Gespeichert")
        self.data_changed.emit()

    def _on_editor_finished(self, _result: int) -> None:
        self.editor = None
        self.group_list.setFocus()

    def _on_delete_button_clicked(self) -> None:
        view = self._view
        if view is None:
            return
        meetings = plural(len(view.meetings), "Sitzung", "Sitzungen")
        answer = QMessageBox.question(
            self,
            "Gremium löschen",
            f"Das Gremium „{view.name}“ löschen?\n\nSeine {meetings} mit Tagesordnungen, "
            "Protokollen und Anwesenheit und alle seine Aufgaben werden mit gelöscht. Das lässt "
            "sich nicht rückgängig machen.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            with self._database.session() as session:
                delete_group(session, view.id)
        except UserError as err:
            QMessageBox.warning(self, "Gremium löschen", str(err))
            self.refresh()
            return
        self.group_list.clearSelection()
        self._announce(f"Gelöscht: „{view.name}“")

    def _on_new_meeting_button_clicked(self) -> None:
        group_id = self.selected_group_id()
        if group_id is not None:
            self.new_meeting(group_id)

    def _on_open_meeting_button_clicked(self) -> None:
        meeting_id = self.selected_meeting_id()
        if meeting_id is not None:
            self.show_meeting(meeting_id)

    def _on_meetings_table_activated(self, index: QModelIndex) -> None:
        item = self.meetings_table.item(index.row(), 0)
        value = item.data(ID_ROLE) if item is not None else None
        if isinstance(value, int):
            self.show_meeting(value)

    def _on_delete_meeting_button_clicked(self) -> None:
        meeting_id = self.selected_meeting_id()
        view = self._view
        if meeting_id is None or view is None:
            return
        label = next((m.label for m in view.meetings if m.id == meeting_id), "")
        answer = QMessageBox.question(
            self,
            "Sitzung löschen",
            f"Die Sitzung „{label}“ löschen?\n\nTagesordnung, Protokoll und Anwesenheit werden "
            "mit gelöscht; ihre Aufgaben bleiben beim Gremium. Das lässt sich nicht rückgängig "
            "machen.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            with self._database.session() as session:
                delete_meeting(session, meeting_id)
        except UserError as err:
            QMessageBox.warning(self, "Sitzung löschen", str(err))
            self.refresh()
            return
        self._announce(f"Gelöscht: „{label}“")

    def _on_meeting_dialog_saved(self, _meeting_id: int) -> None:
        self.refresh()
        self.data_changed.emit()

    def _on_meeting_dialog_finished(self, _result: int) -> None:
        self.meeting_dialog = None
        self.meetings_table.setFocus()

    def _on_done_button_clicked(self) -> None:
        item_id = selected_id(self.actions_table)
        if item_id is None:
            return
        try:
            with self._database.session() as session:
                item = set_action_status(session, item_id, ActionStatus.DONE)
                title = item.title
        except UserError as err:
            QMessageBox.warning(self, "Aufgabe erledigen", str(err))
            self.refresh()
            return
        self._announce(f"Erledigt: „{title}“")

    def _on_measures_table_activated(self, index: QModelIndex) -> None:
        item = self.measures_table.item(index.row(), 0)
        value = item.data(ID_ROLE) if item is not None else None
        if isinstance(value, int):
            self.open_measure.emit(value)
