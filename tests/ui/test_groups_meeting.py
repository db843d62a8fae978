"""A meeting from preparation to follow-up, driven like a user, documents read back."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar
from PySide6.QtCore import QDate, QModelIndex, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from integrationsmanager.domain.enums import ActionStatus, AttendanceStatus, MeetingStatus
from integrationsmanager.services.action_items import (
    action_items_of_meeting,
    get_action_item,
    open_action_items,
)
from integrationsmanager.services.meetings import get_meeting, invitees
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.groups import GroupsPage, MeetingDialog
from integrationsmanager.ui.groups.agenda import AgendaEditor
from integrationsmanager.ui.measures.details import MeasureDetails
from tests.reports.pdfcheck import letters, page_texts
from tests.ui.helpers import add_measure, nameless_controls, type_text
from tests.ui.test_groups_page import add_group, add_meeting, add_people

Answer = QMessageBox.StandardButton


@pytest.fixture
def people(db: Database) -> dict[str, int]:
    return add_people(db)


@pytest.fixture
def group_id(db: Database, people: dict[str, int]) -> int:
    return add_group(db, "Arbeitskreis Arbeitsmarktintegration", people)


@pytest.fixture
def page(qtbot: QtBot, db: Database, group_id: int, monkeypatch: pytest.MonkeyPatch) -> GroupsPage:
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: Answer.Discard)
    widget = GroupsPage(db)
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.show()
    qtbot.waitExposed(widget)
    widget.show_group(group_id)
    return widget


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the program asked the desktop to open (files, folders, mailto: links)."""
    urls: list[str] = []

    def open_url(url: QUrl) -> bool:
        urls.append(url.toLocalFile() if url.isLocalFile() else url.toString())
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    return urls


def save_to(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(path), ""))


def new_meeting(page: GroupsPage, group_id: int, qtbot: QtBot) -> MeetingDialog:
    dialog = page.new_meeting(group_id)
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def add_top(agenda: AgendaEditor, title: str, minutes: int = 0) -> None:
    agenda.add_button.click()
    type_text(agenda.title_edit, title)
    agenda.minutes_spin.setValue(minutes)


def agenda_titles(agenda: AgendaEditor) -> list[str]:
    return [row.title for row in agenda.rows()]


def prepared_meeting(
    page: GroupsPage, group_id: int, qtbot: QtBot, *, days_ago: int = 0
) -> MeetingDialog:
    """A new meeting with three agenda items, saved (``days_ago``: held in the past)."""
    dialog = new_meeting(page, group_id, qtbot)
    if days_ago:
        dialog.date_edit.setDate(QDate.currentDate().addDays(-days_ago))
    for title, minutes in (
        ("Begrüßung und Protokoll", 10),
        ("Berufsbezogene Sprachkurse: Stand und Wartelisten", 30),
        ("Verschiedenes", 15),
    ):
        add_top(dialog.agenda_edit, title, minutes)
    assert dialog.save()
    return dialog


def test_new_meeting_invites_the_members_and_proposes_a_date(
    page: GroupsPage, db: Database, group_id: int, people: dict[str, int], qtbot: QtBot
) -> None:
    dialog = new_meeting(page, group_id, qtbot)
    assert sorted(dialog.invitees_edit.person_ids()) == sorted(people.values())
    assert {status for _p, status in dialog.invitees_edit.entries()} == {AttendanceStatus.INVITED}
    assert dialog.title_edit.text() == f"1. Sitzung {dialog.meeting_data().starts_at:%Y}"
    assert dialog.place_edit.text() == "Landratsamt Altenburg, Sitzungssaal"
    assert dialog.meeting_id is None
    assert "noch nicht gespeichert" in dialog.when_label.text()
    # An invitee who is no member: a guest for this meeting only.
    dialog.invitees_edit.table.selectRow(dialog.invitees_edit.person_ids().index(people["Richter"]))
    dialog.invitees_edit.remove_button.click()
    with qtbot.waitSignal(dialog.saved) as saved, qtbot.waitSignal(page.data_changed):
        qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    meeting_id = saved.args[0]
    assert dialog.meeting_id == meeting_id
    assert not dialog.isWindowModified()
    with db.session() as session:
        invited = {a.person_id for a in invitees(session, meeting_id)}
    assert invited == set(people.values()) - {people["Richter"]}
    assert page.meetings_table.rowCount() == 1
    assert page.meetings_table.item(0, 4).text() == "geplant · nächste Sitzung"


def test_agenda_items_are_added_and_reordered_with_alt_arrows_and_drag(
    page: GroupsPage, db: Database, group_id: int, qtbot: QtBot
) -> None:
    dialog = new_meeting(page, group_id, qtbot)
    agenda = dialog.agenda_edit
    add_top(agenda, "Begrüßung", 10)
    add_top(agenda, "Sprachkurse", 30)
    add_top(agenda, "Verschiedenes", 15)
    assert agenda.total_label.text() == "3 TOPs · 55 Minuten geplant"
    assert agenda.list_widget.item(2).text() == "TOP 3  Verschiedenes — 15 Min."
    assert agenda.list_widget.currentRow() == 2
    agenda.list_widget.setFocus()
    qtbot.keyClick(agenda.list_widget, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert agenda_titles(agenda) == ["Begrüßung", "Verschiedenes", "Sprachkurse"]
    qtbot.keyClick(agenda.list_widget, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert agenda_titles(agenda) == ["Verschiedenes", "Begrüßung", "Sprachkurse"]
    assert agenda.list_widget.item(0).text().startswith("TOP 1  Verschiedenes")
    assert not agenda.up_button.isEnabled()  # at the top
    qtbot.keyClick(agenda.title_edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert agenda_titles(agenda) == ["Begrüßung", "Verschiedenes", "Sprachkurse"]
    # A drag within the list moves the row in its model.
    model = agenda.list_widget.model()
    assert model.moveRow(QModelIndex(), 2, QModelIndex(), 0)
    assert agenda_titles(agenda) == ["Sprachkurse", "Begrüßung", "Verschiedenes"]
    assert agenda.list_widget.item(0).text().startswith("TOP 1  Sprachkurse")
    assert dialog.save()
    with db.session() as session:
        meeting = get_meeting(session, dialog.meeting_id or 0)
        saved = [(i.position, i.title) for i in sorted(meeting.agenda, key=lambda i: i.position)]
    assert saved == [(1, "Sprachkurse"), (2, "Begrüßung"), (3, "Verschiedenes")]
    # After saving, the order can still change; it is saved again.
    agenda.list_widget.setCurrentRow(2)
    qtbot.keyClick(agenda.list_widget, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert dialog.isWindowModified()
    assert dialog.save()
    with db.session() as session:
        meeting = get_meeting(session, dialog.meeting_id or 0)
        assert [i.title for i in sorted(meeting.agenda, key=lambda i: i.position)] == [
            "Sprachkurse",
            "Verschiedenes",
            "Begrüßung",
        ]


def test_agenda_item_needs_a_title_and_links_presenter_and_measure(
    page: GroupsPage, db: Database, group_id: int, people: dict[str, int], qtbot: QtBot
) -> None:
    measure_id = add_measure(db, "Berufsbezogene Sprachkurse (Job-BSK)", guideline=2)
    dialog = new_meeting(page, group_id, qtbot)
    agenda = dialog.agenda_edit
    agenda.add_button.click()
    assert not dialog.save_button.isEnabled()
    assert "TOP 1: Bitte ein Thema" in agenda.message_label.text()
    type_text(agenda.title_edit, "Sprachkurse")
    assert dialog.save_button.isEnabled()
    agenda.presenter_picker.set_id(people["Коваленко"])
    agenda.presenter_picker.currentTextChanged.emit(agenda.presenter_picker.currentText())
    agenda.measure_combo.setEditText("Gibt es nicht")
    assert "Eine Maßnahme „Gibt es nicht“ gibt es nicht." in agenda.message_label.text()
    assert not dialog.save_button.isEnabled()
    agenda.measure_combo.set_id(measure_id)
    agenda.measure_combo.currentTextChanged.emit(agenda.measure_combo.currentText())
    assert dialog.save_button.isEnabled()
    add_top(agenda, "Bericht der Migrationsberatung")
    agenda.presenter_picker.setEditText("Gast: Dr. Weber (IHK)")
    assert dialog.save()
    with db.session() as session:
        items = sorted(
            get_meeting(session, dialog.meeting_id or 0).agenda, key=lambda i: i.position
        )
        assert (items[0].presenter_id, items[0].measure_id) == (people["Коваленко"], measure_id)
        assert (items[1].presenter_id, items[1].presenter_text) == (None, "Gast: Dr. Weber (IHK)")


def test_documents_are_written_from_the_buttons_and_opened(
    page: GroupsPage,
    group_id: int,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    opened: list[str],
) -> None:
    dialog = prepared_meeting(page, group_id, qtbot)

    save_to(monkeypatch, tmp_path / "unterlagen")
    dialog.pack_button.click()
    pack = tmp_path / "unterlagen.pdf"
    assert opened[-1] == str(pack)
    text = "\n".join(page_texts(pack))
    assert "Begrüßung und Protokoll" in text
    assert "Berufsbezogene Sprachkurse: Stand und Wartelisten" in text
    assert "Коваленко" in text

    save_to(monkeypatch, tmp_path / "anwesenheit.pdf")
    dialog.attendance_button.click()
    attendance = tmp_path / "anwesenheit.pdf"
    assert opened[-1] == str(attendance)
    text = "\n".join(page_texts(attendance))
    assert "Unterschrift" in text
    assert "Оксана Коваленко" in text  # Cyrillic
    assert letters("رنا") in letters(text) and letters("حداد") in letters(text)  # Arabic
    assert "Farid Ahmadzai" in text

    save_to(monkeypatch, tmp_path / "protokoll.pdf")
    dialog.tabs.setCurrentIndex(1)
    dialog.minutes_edit.select(2)
    type_text(dialog.minutes_edit.minutes_edit, "Die Warteliste umfasst 46 Personen.")
    type_text(dialog.minutes_edit.decisions_edit, "Abendkurs ab Mai.")
    dialog.minutes_button.click()  # saves the minutes first
    minutes = tmp_path / "protokoll.pdf"
    assert opened[-1] == str(minutes)
    text = "\n".join(page_texts(minutes))
    assert "Die Warteliste umfasst 46 Personen." in text
    assert "Abendkurs ab Mai." in text
    assert dialog.last_document == minutes
    assert "protokoll.pdf" in dialog.result_label.text()


def test_invitation_ics_lists_the_invitees_with_an_address(
    page: GroupsPage,
    group_id: int,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dialog = prepared_meeting(page, group_id, qtbot)
    save_to(monkeypatch, tmp_path / "einladung")
    with qtbot.waitSignal(dialog.status_message) as message:
        dialog.ics_button.click()
    assert message.args[0].startswith("Einladung an 4 Eingeladene gespeichert")
    calendar = Calendar.from_ical((tmp_path / "einladung.ics").read_bytes())
    event = calendar.walk("VEVENT")[0]
    attendees = {str(a).removeprefix("mailto:") for a in event.get("attendee")}
    assert attendees == {
        "m.schneider@altenburgerland.example",
        "o.kovalenko@altenburgerland.example",
        "rana.haddad@syrische-gemeinde.example",
        "farid.ahmadzai@afghan-verein.example",
    }
    assert "Arbeitskreis Arbeitsmarktintegration" in str(event.get("summary"))
    assert "TOP 2: Berufsbezogene Sprachkurse" in str(event.get("description"))


def test_addresses_go_to_the_clipboard_and_into_a_new_mail(
    page: GroupsPage, group_id: int, qtbot: QtBot, opened: list[str]
) -> None:
    dialog = new_meeting(page, group_id, qtbot)
    messages: list[str] = []
    dialog.status_message.connect(messages.append)
    dialog.copy_button.click()  # saves the new meeting first
    assert dialog.meeting_id is not None
    assert QGuiApplication.clipboard().text() == (
        "farid.ahmadzai@afghan-verein.example; m.schneider@altenburgerland.example; "
        "o.kovalenko@altenburgerland.example; rana.haddad@syrische-gemeinde.example"
    )
    assert messages[0] == "Sitzung gespeichert"
    assert "4 Adressen kopiert" in messages[1]
    assert "ohne Adresse: Klaus Richter" in messages[1]

    dialog.mail_button.click()
    url = opened[-1]
    assert url.startswith("mailto:integration@")
    assert "bcc=" in url and "m.schneider@altenburgerland.example" in url
    dialog.mail_to_action.trigger()
    assert opened[-1].startswith("mailto:farid.ahmadzai@afghan-verein.example,")


def test_one_click_prepares_the_whole_invitation(
    page: GroupsPage,
    group_id: int,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    opened: list[str],
) -> None:
    dialog = prepared_meeting(page, group_id, qtbot)
    folder = tmp_path / "Einladung"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a: str(folder))
    dialog.invitation_button.click()
    written = sorted(p.suffix for p in folder.iterdir())
    assert written == [".ics", ".pdf"]
    assert opened[-1] == str(folder)
    assert len(QGuiApplication.clipboard().text().split("; ")) == 4
    pdf = next(folder.glob("*.pdf"))
    assert pdf.name.startswith("Sitzungsunterlagen ")
    assert pdf.name.endswith(" Arbeitskreis Arbeitsmarktintegration.pdf")


def test_follow_up_then_the_open_action_item_comes_back_until_done(
    page: GroupsPage,
    db: Database,
    group_id: int,
    people: dict[str, int],
    qtbot: QtBot,
) -> None:
    measure_id = add_measure(db, "Praktikumsbörse „Einstieg Pflege“", guideline=2)
    dialog = prepared_meeting(page, group_id, qtbot, days_ago=7)
    first_id = dialog.meeting_id
    assert first_id is not None
    dialog.tabs.setCurrentIndex(1)
    assert nameless_controls(dialog) == []

    # Attendance: a checklist; the tick means "anwesend".
    attendance = dialog.attendance_edit
    row = attendance.person_ids().index(people["حداد"])
    attendance.table.item(row, 0).setCheckState(Qt.CheckState.Checked)
    attendance.set_value(people["Ahmadzai"], AttendanceStatus.EXCUSED)
    assert (people["حداد"], AttendanceStatus.PRESENT) in attendance.entries()
    assert dialog.attendance_box.title() == "Anwesenheit (1 von 5)"
    # The preparation tab's list follows.
    assert (people["Ahmadzai"], AttendanceStatus.EXCUSED) in dialog.invitees_edit.entries()

    # Minutes and decisions per agenda item.
    dialog.minutes_edit.select(2)
    type_text(dialog.minutes_edit.minutes_edit, "Zwölf Betriebe haben Plätze gemeldet.")
    type_text(dialog.minutes_edit.decisions_edit, "Die Börse wird ausgeweitet.")

    # A new action item with owner, due date and measure.
    actions = dialog.actions_edit
    actions.new_button.click()
    type_text(actions.title_edit, "Liste der Betriebe an die Migrationsberatung geben")
    actions.owner_picker.set_id(people["Schneider"])
    actions.owner_picker.currentTextChanged.emit(actions.owner_picker.currentText())
    actions.due_edit.set_box.click()
    actions.due_edit.date_edit.setDate(dialog.meeting_data().starts_at.date() + timedelta(days=30))
    actions.measure_combo.set_id(measure_id)
    actions.measure_combo.currentTextChanged.emit(actions.measure_combo.currentText())
    assert dialog.save_button.isEnabled(), dialog.hint_label.text()
    with qtbot.waitSignal(dialog.saved):
        dialog.save_button.click()

    with db.session() as session:
        meeting = get_meeting(session, first_id)
        statuses = {a.person_id: AttendanceStatus(a.status) for a in meeting.attendance}
        assert statuses[people["حداد"]] == AttendanceStatus.PRESENT
        assert statuses[people["Ahmadzai"]] == AttendanceStatus.EXCUSED
        item = sorted(meeting.agenda, key=lambda i: i.position)[1]
        assert item.minutes == "Zwölf Betriebe haben Plätze gemeldet."
        assert item.decisions == "Die Börse wird ausgeweitet."
        [task] = action_items_of_meeting(session, first_id)
        assert (task.owner_id, task.measure_id) == (people["Schneider"], measure_id)
        task_id = task.id
    dialog.status_combo.setCurrentIndex(dialog.status_combo.findData(MeetingStatus.HELD.value))
    assert dialog.save()
    dialog.reject()

    # The next meeting carries the open task over.
    later = new_meeting(page, group_id, qtbot)
    assert later.carried_table.rowCount() == 1
    assert later.carried_table.item(0, 0).text() == (
        "Liste der Betriebe an die Migrationsberatung geben"
    )
    assert later.carried_table.item(0, 1).text() == "Schneider, Martina"
    carried = [r for r in later.actions_edit.rows() if r.carried]
    assert [r.item_id for r in carried] == [task_id]
    # … and there it is marked done.
    later.tabs.setCurrentIndex(1)
    later.actions_edit.table.selectRow(0)
    later.actions_edit.done_button.click()
    assert later.save()
    with db.session() as session:
        assert get_action_item(session, task_id).status == ActionStatus.DONE
        assert open_action_items(session, group_id) == []
    later.reject()
    third = new_meeting(page, group_id, qtbot)
    assert third.carried_table.rowCount() == 0
    assert third.carried_box.title() == "Offene Aufgaben des Gremiums (keine)"


def test_unsaved_changes_are_guarded(
    page: GroupsPage, group_id: int, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = prepared_meeting(page, group_id, qtbot)
    assert not dialog.isWindowModified()
    type_text(dialog.title_edit, " (verschoben)")
    assert dialog.isWindowModified()
    asked: list[str] = []

    def question(_parent: object, _title: str, text: str, *_args: object) -> Answer:
        asked.append(text)
        return Answer.Cancel

    monkeypatch.setattr(QMessageBox, "question", question)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked and dialog.isVisible()
    assert not page.can_close()
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: Answer.Discard)
    assert page.can_close()
    assert page.meeting_dialog is None


def test_moving_the_start_keeps_the_length_and_wrong_times_are_said(
    page: GroupsPage, group_id: int, qtbot: QtBot
) -> None:
    dialog = new_meeting(page, group_id, qtbot)
    dialog.start_edit.setTime(dialog.start_edit.time().addSecs(3600))
    assert dialog.end_edit.time().hour() == 17  # 15:00–17:00
    dialog.end_edit.setTime(dialog.start_edit.time().addSecs(-1800))
    assert dialog.error_labels["ends_at"].text() == "Das Ende muss nach dem Beginn liegen."
    assert not dialog.save_button.isEnabled()
    dialog.end_box.click()  # no end time
    assert dialog.save_button.isEnabled()
    type_text(dialog.link_edit, "meet.example/abc")
    assert "https://" in dialog.error_labels["online_link"].text()


def test_every_visible_control_of_the_meeting_has_an_accessible_name(
    page: GroupsPage, db: Database, group_id: int, qtbot: QtBot
) -> None:
    add_meeting(db, group_id, datetime(2026, 3, 10, 14), "1. Sitzung 2026")
    dialog = prepared_meeting(page, group_id, qtbot)
    dialog.actions_edit.add_item()
    for tab in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(tab)
        assert nameless_controls(dialog) == [], dialog.tabs.tabText(tab)


def test_measure_details_show_the_groups_and_meetings_that_dealt_with_it(
    page: GroupsPage, db: Database, group_id: int, qtbot: QtBot
) -> None:
    measure_id = add_measure(db, "Berufsbezogene Sprachkurse (Job-BSK)", guideline=2)
    dialog = new_meeting(page, group_id, qtbot)
    add_top(dialog.agenda_edit, "Sprachkurse: Stand und Wartelisten", 30)
    dialog.agenda_edit.measure_combo.set_id(measure_id)
    dialog.agenda_edit.measure_combo.currentTextChanged.emit(
        dialog.agenda_edit.measure_combo.currentText()
    )
    assert dialog.save()
    meeting_id = dialog.meeting_id
    day = dialog.meeting_data().starts_at
    dialog.reject()

    details = MeasureDetails(db)
    qtbot.addWidget(details)
    details.show()
    details.show_measure(measure_id)
    assert details.links_tabs.tabText(1) == "Gremien und Sitzungen (1)"
    text = details.committees_browser.toPlainText()
    assert "Arbeitskreis Arbeitsmarktintegration" in text
    assert f"{day:%d.%m.%Y} Arbeitskreis Arbeitsmarktintegration" in text
    assert "TOP 1: Sprachkurse: Stand und Wartelisten" in text
    with qtbot.waitSignal(details.open_meeting) as meeting_link:
        details.committees_browser.anchorClicked.emit(QUrl(f"meeting:{meeting_id}"))
    assert meeting_link.args == [meeting_id]
    with qtbot.waitSignal(details.open_group) as group_link:
        details.committees_browser.anchorClicked.emit(QUrl(f"group:{group_id}"))
    assert group_link.args == [group_id]
    # The page opens what the link names.
    shown = page.show_meeting(meeting_id or 0)
    assert shown is not None and shown.meeting_id == meeting_id
    assert shown.agenda_edit.rows()[0].measure_id == measure_id
    assert date.today() <= day.date()


def test_accepted_invitees_become_present_with_one_click(
    page: GroupsPage, group_id: int, people: dict[str, int], qtbot: QtBot
) -> None:
    prepared = prepared_meeting(page, group_id, qtbot, days_ago=1)
    assert prepared.tabs.currentIndex() == 0
    prepared.reject()
    dialog = page.show_meeting(prepared.meeting_id or 0)
    assert dialog is not None
    assert dialog.tabs.currentIndex() == 1  # a meeting that has begun opens for follow-up
    dialog.invitees_edit.set_value(people["Schneider"], AttendanceStatus.ACCEPTED)
    dialog.invitees_edit.set_value(people["Richter"], AttendanceStatus.DECLINED)
    assert dialog.accepted_present_button.isEnabled()
    dialog.accepted_present_button.click()
    entries = dict(dialog.attendance_edit.entries())
    assert entries[people["Schneider"]] == AttendanceStatus.PRESENT
    assert entries[people["Richter"]] == AttendanceStatus.DECLINED
    assert not dialog.accepted_present_button.isEnabled()
    assert dialog.attendance_summary.text() == "5 Personen: 3 eingeladen, 1 abgesagt, 1 anwesend"
