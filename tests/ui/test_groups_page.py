"""The groups page driven like a user: a group with members, its meetings, tasks and measures."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QMessageBox, QTableWidget
from pytestqt.qtbot import QtBot

from integrationsmanager.domain.enums import ActionStatus, GroupKind, MeasureStatus, MemberRole
from integrationsmanager.services.action_items import (
    ActionItemData,
    get_action_item,
    save_action_item,
)
from integrationsmanager.services.meetings import (
    GroupData,
    MeetingData,
    list_groups,
    members,
    save_group,
    save_meeting,
    set_members,
)
from integrationsmanager.services.persons import PersonData, RoleData, save_person
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.groups import GroupsPage, MeetingDialog
from integrationsmanager.ui.groups.editor import CHAIR_ONCE, GroupEditor
from integrationsmanager.ui.groups.group_list import (
    GroupFilterProxy,
    GroupListModel,
    load_group_rows,
)
from integrationsmanager.ui.groups.tables import OVERDUE_COLOUR
from tests.ui.helpers import add_measure, guideline_id, nameless_controls, type_text

Answer = QMessageBox.StandardButton

PEOPLE = (
    ("Martina", "Schneider", "m.schneider@altenburgerland.example", "Landratsamt Altenburger Land"),
    ("Оксана", "Коваленко", "o.kovalenko@altenburgerland.example", "Landratsamt Altenburger Land"),
    ("رنا", "حداد", "rana.haddad@syrische-gemeinde.example", "جمعية الجالية السورية e.V."),
    ("Farid", "Ahmadzai", "farid.ahmadzai@afghan-verein.example", "Afghanischer Kulturverein"),
    ("Klaus", "Richter", "", "Jobcenter Altenburger Land"),
)
"""German, Ukrainian (Cyrillic), Syrian (Arabic script) and Afghan names; Richter has no
e-mail address."""


def add_people(db: Database) -> dict[str, int]:
    """The people above, by last name."""
    ids = {}
    with db.session() as session:
        for first, last, email, organisation in PEOPLE:
            person = save_person(
                session,
                PersonData(
                    first_name=first,
                    last_name=last,
                    emails=[email] if email else [],
                    roles=[RoleData(organisation_name=organisation)],
                ),
            )
            ids[last] = person.id
    return ids


def add_group(
    db: Database,
    name: str,
    people: dict[str, int],
    *,
    kind: GroupKind = GroupKind.WORKING_GROUP,
    guideline: int | None = 2,
) -> int:
    """A group whose members are ``people`` (the first chairs it)."""
    with db.session() as session:
        guidelines = [guideline_id(db, guideline)] if guideline is not None else []
        group = save_group(
            session,
            GroupData(
                name=name,
                kind=kind,
                guideline_ids=guidelines,
                usual_place="Landratsamt Altenburg, Sitzungssaal",
                rhythm="viermal im Jahr",
            ),
        )
        roles = [
            (person_id, MemberRole.CHAIR if number == 0 else MemberRole.MEMBER)
            for number, person_id in enumerate(people.values())
        ]
        set_members(session, group.id, roles)
        return group.id


def add_meeting(db: Database, group_id: int, starts_at: datetime, title: str = "") -> int:
    with db.session() as session:
        meeting = save_meeting(
            session,
            MeetingData(
                group_id=group_id,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=2),
                title=title,
                place="Landratsamt Altenburg, Sitzungssaal",
            ),
        )
        return meeting.id


@pytest.fixture
def page(qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch) -> GroupsPage:
    # A dialog left open with changes asks at teardown; never let that block a test.
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: Answer.Discard)
    widget = GroupsPage(db)
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def list_names(page: GroupsPage) -> list[str]:
    return [page.proxy.index(row, 0).data() for row in range(page.proxy.rowCount())]


def column(table: QTableWidget, number: int) -> list[str]:
    return [table.item(row, number).text() for row in range(table.rowCount())]


def test_empty_page_says_what_to_do(page: GroupsPage) -> None:
    assert page.details_stack.currentWidget() is page.empty_label
    assert "Noch keine Arbeitskreise" in page.empty_label.text()
    assert "Strg+N" in page.empty_label.text()
    assert page.count_label.text() == "0 Gremien"
    editor = page.new_record()
    assert isinstance(editor, GroupEditor)


def test_create_a_group_with_members_through_the_editor(
    page: GroupsPage, db: Database, qtbot: QtBot
) -> None:
    people = add_people(db)
    page.refresh()
    page.new_group_button.click()
    editor = page.editor
    assert editor is not None and editor.isVisible()
    assert not editor.save_button.isEnabled()
    assert editor.hint_label.text() == "Zum Speichern fehlt noch: Name."
    type_text(editor.name_edit, "Beirat für Migration und Integration")
    editor.kind_combo.setCurrentIndex(editor.kind_combo.findData(GroupKind.ADVISORY_BOARD.value))
    for row in range(editor.guideline_list.count()):
        item = editor.guideline_list.item(row)
        if item.data(Qt.ItemDataRole.UserRole) == guideline_id(db, 5):
            item.setCheckState(Qt.CheckState.Checked)
    type_text(editor.place_edit, "Landratsamt Altenburg, Sitzungssaal")

    members_edit = editor.members_edit
    for last, role in (
        ("حداد", MemberRole.CHAIR),
        ("Коваленко", MemberRole.DEPUTY),
        ("Ahmadzai", MemberRole.MEMBER),
        ("Schneider", MemberRole.GUEST),
    ):
        members_edit.picker.set_id(people[last])
        members_edit.choice_combo.setCurrentIndex(members_edit.choice_combo.findData(role.value))
        members_edit.add_button.click()
    assert members_edit.person_ids() == [
        people["حداد"],
        people["Коваленко"],
        people["Ahmadzai"],
        people["Schneider"],
    ]
    # A second chair is refused as the user picks it, with the reason beside the list.
    members_edit.set_value(people["Ahmadzai"], MemberRole.CHAIR)
    assert members_edit.message_label.text() == CHAIR_ONCE
    assert not editor.save_button.isEnabled()
    members_edit.set_value(people["Ahmadzai"], MemberRole.MEMBER)
    assert editor.save_button.isEnabled()
    # The same person twice is refused when added.
    members_edit.picker.set_id(people["Ahmadzai"])
    members_edit.add_button.click()
    assert "steht bereits in der Liste" in members_edit.message_label.text()
    assert len(members_edit.person_ids()) == 4

    with qtbot.waitSignal(page.data_changed), qtbot.waitSignal(page.status_message) as message:
        editor.save_button.click()
    assert message.args == ["Gespeichert"]
    assert page.editor is None
    assert list_names(page) == ["Beirat für Migration und Integration"]
    assert page.title_label.text() == "Beirat für Migration und Integration"
    assert "Beirat" in page.facts_label.text()
    assert "رنا حداد" in page.facts_label.text()  # the chair
    assert page.tabs.tabText(1) == "Mitglieder (4)"
    assert column(page.members_table, 1) == ["Vorsitz", "Stellvertretung", "Mitglied", "Gast"]
    with db.session() as session:
        group_id = list_groups(session)[0][0]
        roles = {m.person_id: MemberRole(m.role) for m in members(session, group_id)}
    assert roles[people["حداد"]] == MemberRole.CHAIR
    assert roles[people["Schneider"]] == MemberRole.GUEST


def test_edit_changes_roles_and_removes_a_member(
    page: GroupsPage, db: Database, qtbot: QtBot
) -> None:
    people = add_people(db)
    group_id = add_group(db, "Arbeitskreis Arbeitsmarktintegration", people)
    page.refresh()
    assert page.show_group(group_id)
    page.edit_members_button.click()
    editor = page.editor
    assert editor is not None
    assert editor.name_edit.text() == "Arbeitskreis Arbeitsmarktintegration"
    edit = editor.members_edit
    edit.set_value(people["Schneider"], MemberRole.MEMBER)
    edit.set_value(people["Richter"], MemberRole.CHAIR)
    edit.table.selectRow(edit.person_ids().index(people["Ahmadzai"]))
    qtbot.keyClick(edit.table, Qt.Key.Key_Delete)
    assert people["Ahmadzai"] not in edit.person_ids()
    with qtbot.waitSignal(page.data_changed):
        editor.save_button.click()
    with db.session() as session:
        roles = {m.person_id: MemberRole(m.role) for m in members(session, group_id)}
    assert roles == {
        people["Schneider"]: MemberRole.MEMBER,
        people["Коваленко"]: MemberRole.MEMBER,
        people["حداد"]: MemberRole.MEMBER,
        people["Richter"]: MemberRole.CHAIR,
    }
    assert "Klaus Richter" in page.facts_label.text()


def test_editor_guards_unsaved_changes(
    page: GroupsPage, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = page.new_group()
    type_text(editor.name_edit, "Netzwerk Sprache")
    assert editor.isWindowModified()
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: Answer.Cancel)
    assert not page.can_close()
    assert editor.isVisible()
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: Answer.Discard)
    assert page.can_close()
    assert page.editor is None
    editor = page.new_group()
    editor.name_edit.clear()
    type_text(editor.name_edit, " ")
    editor.name_edit.clear()
    assert editor.error_labels["name"].text() == "Bitte einen Namen für das Gremium eingeben."


def test_list_shows_kind_and_next_meeting_and_filters(page: GroupsPage, db: Database) -> None:
    people = add_people(db)
    work = add_group(db, "Arbeitskreis Arbeitsmarktintegration", people)
    add_group(db, "Beirat für Migration und Integration", people, kind=GroupKind.ADVISORY_BOARD)
    add_group(db, "Netzwerk Sprache und Bildung", {}, kind=GroupKind.NETWORK, guideline=None)
    soon = datetime.combine(date.today() + timedelta(days=10), datetime.min.time()).replace(hour=14)
    add_meeting(db, work, soon, "3. Sitzung")
    page.refresh()
    assert page.count_label.text() == "3 Gremien"
    index = page.proxy.index(0, 0)
    assert index.data() == "Arbeitskreis Arbeitsmarktintegration"
    assert f"nächste Sitzung {soon:%d.%m.%Y}" in index.data(Qt.ItemDataRole.AccessibleTextRole)
    page.kind_combo.setCurrentIndex(page.kind_combo.findData(GroupKind.NETWORK.value))
    assert list_names(page) == ["Netzwerk Sprache und Bildung"]
    assert page.count_label.text() == "1 von 3 Gremien"
    assert page.title_label.text() == "Netzwerk Sprache und Bildung"  # the only one: shown
    page.kind_combo.setCurrentIndex(0)
    type_text(page.search_edit, "beirat fuer")
    assert list_names(page) == ["Beirat für Migration und Integration"]
    page.search_edit.clear()
    type_text(page.search_edit, "nichts")
    assert list_names(page) == []
    assert page.details_stack.currentWidget() is page.empty_label
    assert page.empty_label.text() == "Keine Gremien für diesen Filter."
    page.show_group(work)  # resets the filter that hides it
    assert page.search_edit.text() == ""
    assert page.selected_group_id() == work


def test_meetings_tasks_and_measures_of_the_group(
    page: GroupsPage, db: Database, qtbot: QtBot
) -> None:
    people = add_people(db)
    group_id = add_group(db, "Arbeitskreis Arbeitsmarktintegration", people)
    measure_id = add_measure(db, "Berufsbezogene Sprachkurse", guideline=2)
    add_measure(db, "Praktikumsbörse „Einstieg Pflege“", guideline=2, status=MeasureStatus.RUNNING)
    add_measure(db, "Elterncafé", guideline=1)
    past = add_meeting(db, group_id, datetime(2026, 3, 10, 14), "1. Sitzung 2026")
    with db.session() as session:
        late = save_action_item(
            session,
            ActionItemData(
                title="Räume für den Abendkurs anfragen",
                meeting_id=past,
                owner_id=people["Schneider"],
                due_on=date.today() - timedelta(days=3),
            ),
        ).id
        save_action_item(
            session,
            ActionItemData(
                title="Flyer auf Ukrainisch und Arabisch",
                meeting_id=past,
                owner_id=people["Коваленко"],
                due_on=date.today() + timedelta(days=30),
                measure_id=measure_id,
            ),
        )
    page.refresh()
    page.show_group(group_id)
    assert page.tabs.tabText(0) == "Sitzungen (1)"
    assert column(page.meetings_table, 2) == ["1. Sitzung 2026"]
    assert column(page.meetings_table, 4) == ["geplant"]

    assert page.tabs.tabText(2) == "Offene Aufgaben (2, 1 überfällig)"
    due = page.actions_table.item(0, 2)
    assert due.text().endswith("– überfällig")  # in words …
    assert due.foreground().color() == QColor(OVERDUE_COLOUR)  # … and in colour
    assert due.font().bold()
    assert page.actions_table.item(1, 2).text() == (date.today() + timedelta(days=30)).strftime(
        "%d.%m.%Y"
    )
    assert "1 überfällig" in page.model.index(0, 0).data(Qt.ItemDataRole.AccessibleTextRole)

    page.actions_table.selectRow(0)
    with qtbot.waitSignal(page.data_changed):
        page.done_button.click()
    with db.session() as session:
        assert get_action_item(session, late).status == ActionStatus.DONE
    assert page.tabs.tabText(2) == "Offene Aufgaben (1)"

    assert page.tabs.tabText(3) == "Maßnahmen (2)"
    assert column(page.measures_table, 2) == ["geplant", "laufend"]
    assert page.measures_note.text() == "1 geplant · 1 laufend"
    with qtbot.waitSignal(page.open_measure) as opened:
        page.measures_table.activated.emit(page.measures_table.model().index(0, 0))
    assert opened.args == [measure_id]


def test_ctrl_n_prepares_a_meeting_of_the_selected_group(page: GroupsPage, db: Database) -> None:
    people = add_people(db)
    group_id = add_group(db, "Arbeitskreis Arbeitsmarktintegration", people)
    page.refresh()
    page.show_group(group_id)
    dialog = page.new_record()
    assert isinstance(dialog, MeetingDialog)
    assert dialog.group_id == group_id
    assert page.meeting_dialog is dialog
    dialog.reject()
    assert page.meeting_dialog is None


def test_deleting_a_meeting_and_a_group_asks_first(
    page: GroupsPage, db: Database, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    people = add_people(db)
    group_id = add_group(db, "Arbeitskreis Arbeitsmarktintegration", people)
    add_meeting(db, group_id, datetime(2026, 3, 10, 14), "1. Sitzung 2026")
    page.refresh()
    page.show_group(group_id)
    asked: list[str] = []
    answer = Answer.No

    def question(_parent: object, _title: str, text: str, *_args: object) -> Answer:
        asked.append(text)
        return answer

    monkeypatch.setattr(QMessageBox, "question", question)
    page.meetings_table.selectRow(0)
    page.meetings_table.setFocus()
    qtbot.keyClick(page.meetings_table, Qt.Key.Key_Delete)
    assert "10.03.2026 Arbeitskreis Arbeitsmarktintegration – 1. Sitzung 2026" in asked[0]
    assert page.meetings_table.rowCount() == 1
    answer = Answer.Yes
    page.delete_meeting_button.click()
    assert page.meetings_table.rowCount() == 0
    page.delete_button.click()
    assert "„Arbeitskreis Arbeitsmarktintegration“" in asked[-1]
    assert page.count_label.text() == "0 Gremien"
    with db.session() as session:
        assert list_groups(session) == []


def test_every_visible_control_has_an_accessible_name(
    page: GroupsPage, db: Database, qtbot: QtBot
) -> None:
    assert nameless_controls(page) == []
    people = add_people(db)
    group_id = add_group(db, "Beirat für Migration und Integration", people)
    add_meeting(db, group_id, datetime(2026, 3, 10, 14), "1. Sitzung 2026")
    page.refresh()
    page.show_group(group_id)
    for tab in range(page.tabs.count()):
        page.tabs.setCurrentIndex(tab)
        assert nameless_controls(page) == [], page.tabs.tabText(tab)
    editor = page.new_group()
    qtbot.waitExposed(editor)
    assert nameless_controls(editor) == []


def test_models_pass_the_model_tester(qtmodeltester: object, db: Database) -> None:
    people = add_people(db)
    add_group(db, "Arbeitskreis Arbeitsmarktintegration", people)
    add_group(db, "Beirat für Migration und Integration", people, kind=GroupKind.ADVISORY_BOARD)
    model = GroupListModel()
    with db.session() as session:
        model.set_rows(load_group_rows(session))
    proxy = GroupFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_kind(GroupKind.ADVISORY_BOARD.value)
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    qtmodeltester.check(proxy)  # type: ignore[attr-defined]
    assert proxy.rowCount() == 1
