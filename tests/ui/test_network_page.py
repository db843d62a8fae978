"""The network page driven like a user: editors, search, filters, details, history, delete."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate, Qt, QUrl
from PySide6.QtWidgets import QComboBox, QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from integrationsmanager.domain.enums import ActivityKind, OrganisationKind
from integrationsmanager.services.activities import add_activity
from integrationsmanager.services.organisations import (
    OrganisationData,
    get_organisation,
    save_organisation,
)
from integrationsmanager.services.persons import PersonData, RoleData, get_person, save_person
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.network import NetworkPage
from integrationsmanager.ui.network.list_panel import RecordListPanel
from integrationsmanager.ui.network.organisation_editor import OrganisationEditor
from integrationsmanager.ui.network.person_editor import PersonEditor
from integrationsmanager.ui.widgets.filters import LazyChoiceCombo
from tests.ui.helpers import nameless_controls, type_text

Answer = QMessageBox.StandardButton


@pytest.fixture
def page(qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch) -> NetworkPage:
    # An editor left open with changes asks at teardown; never let that block a test.
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: Answer.Discard)
    widget = NetworkPage(db)
    qtbot.addWidget(widget)
    widget.resize(1300, 850)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def add_organisation(db: Database, name: str, **fields: object) -> int:
    with db.session() as session:
        return save_organisation(session, OrganisationData(name=name, **fields)).id  # type: ignore[arg-type]


def add_person(db: Database, first: str, last: str, **fields: object) -> int:
    with db.session() as session:
        data = PersonData(first_name=first, last_name=last, **fields)  # type: ignore[arg-type]
        return save_person(session, data).id


def add_network(db: Database) -> dict[str, int]:
    """Three organisations and four people: umlauts, Cyrillic, Arabic, Dari."""
    awo = add_organisation(
        db,
        "Arbeiterwohlfahrt Altenburg e. V.",
        kind=OrganisationKind.INDEPENDENT_PROVIDER,
        municipality="Altenburg",
        email="info@awo-altenburg.de",
        tags=["Beratung"],
    )
    verein = add_organisation(
        db,
        "Українська громада Альтенбург",
        kind=OrganisationKind.MIGRANT_ORGANISATION,
        municipality="Schmölln",
        tags=["Ehrenamt"],
    )
    old = add_organisation(db, "Alter Sportverein Lucka", municipality="Lucka", active=False)
    return {
        "awo": awo,
        "verein": verein,
        "old": old,
        "müller": add_person(
            db,
            "Anna",
            "Müller",
            emails=["anna.mueller@awo-altenburg.de"],
            municipality="Altenburg",
            roles=[RoleData(organisation_id=awo, function="Migrationsberatung")],
            tags=["Beratung"],
        ),
        "olena": add_person(
            db,
            "Олена",
            "Шевченко",
            emails=["olena@example.org"],
            languages="Ukrainisch, Russisch",
            municipality="Schmölln",
            roles=[RoleData(organisation_id=verein, function="Vorsitz")],
            tags=["Dolmetschen"],
        ),
        "mohammed": add_person(
            db, "محمد", "الأحمد", languages="Arabisch", emails=["m.alahmad@example.org"]
        ),
        "farid": add_person(db, "Farid", "Ahmadi", languages="Dari, Paschtu"),
    }


def shown(panel: RecordListPanel[Any]) -> list[str]:
    model = panel.model
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def set_combo(combo: QComboBox, data: object) -> None:
    if isinstance(combo, LazyChoiceCombo):
        combo.ensure_loaded()  # what opening the list does for a user
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def search(qtbot: QtBot, panel: RecordListPanel[Any], text: str) -> list[str]:
    panel.search_edit.clear()
    type_text(panel.search_edit, text)
    qtbot.waitUntil(lambda: getattr(panel.model.current_filter, "search", None) == text)
    return shown(panel)


# --- creating through the editors ---------------------------------------------------------------


def test_new_organisation_through_the_editor(page: NetworkPage, qtbot: QtBot) -> None:
    page.tabs.setCurrentWidget(page.organisations)
    page.organisations.new_button.click()
    editor = page.organisations.editor
    assert isinstance(editor, OrganisationEditor) and editor.isVisible()
    assert not editor.save_button.isEnabled()
    type_text(editor.name_edit, "Förderverein Café Grenzenlos e. V.")
    set_combo(editor.kind_combo, OrganisationKind.ASSOCIATION.value)
    editor.municipality_combo.set_text("Gößnitz")
    type_text(editor.email_edit, "kontakt@cafe-grenzenlos.de")
    type_text(editor.tags_edit, "Begegnung, Café")
    next(iter(editor.guideline_boxes.values())).setChecked(True)
    with (
        qtbot.waitSignal(page.data_changed),
        qtbot.waitSignal(page.status_message) as message,
    ):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert message.args == ["Gespeichert"]
    assert page.organisations.editor is None
    assert shown(page.organisations) == ["Förderverein Café Grenzenlos e. V."]
    details = page.organisations.details_pane
    assert details.title_label.text() == "Förderverein Café Grenzenlos e. V."
    text = details.data_browser.toPlainText()
    assert "Verein" in text and "Gößnitz" in text and "1 Bildung und Sprache sichern" in text
    assert page.organisations.summary_label.text() == "1 Organisation"


def test_ctrl_n_creates_in_the_current_tab(page: NetworkPage, db: Database, qtbot: QtBot) -> None:
    awo = add_organisation(db, "Arbeiterwohlfahrt Altenburg e. V.")
    page.refresh()
    page.tabs.setCurrentWidget(page.persons)
    editor = page.new_record()
    assert isinstance(editor, PersonEditor)
    type_text(editor.first_name_edit, "Олена")
    type_text(editor.last_name_edit, "Шевченко")
    type_text(editor.emails_edit, "olena@example.org")
    qtbot.keyClick(editor.emails_edit, Qt.Key.Key_Return)
    type_text(editor.emails_edit, "olena.s@gmail.com")
    type_text(editor.languages_edit, "Ukrainisch, Russisch")
    type_text(editor.tags_edit, "Dolmetschen")
    role = editor.roles_edit.add_role()
    role.organisation_combo.set_text("Arbeiterwohlfahrt Altenburg e. V.")
    type_text(role.function_edit, "Sprachmittlung")
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    with qtbot.waitSignal(page.data_changed):
        qtbot.keyClick(editor.tags_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert shown(page.persons) == ["Шевченко, Олена"]
    person_id = page.persons.selected_id()
    assert person_id is not None
    with db.session() as session:
        person = get_person(session, person_id)
        assert person is not None
        assert [e.address for e in person.emails] == ["olena@example.org", "olena.s@gmail.com"]
        assert [(r.organisation_id, r.function) for r in person.roles] == [(awo, "Sprachmittlung")]
    # The organisation's people show the new person (the other tab reloaded).
    page.show_organisation(awo)
    assert "Шевченко" in page.organisations.details_pane.people_browser.toPlainText()


def test_a_role_in_a_new_organisation_creates_it(page: NetworkPage, db: Database) -> None:
    page.tabs.setCurrentWidget(page.persons)
    editor = page.new_record()
    assert isinstance(editor, PersonEditor)
    type_text(editor.last_name_edit, "Ahmadi")
    role = editor.roles_edit.add_role()
    type_text(role.organisation_combo.line_edit, "Afghanischer Kulturverein Altenburg")
    assert editor.save()
    page.tabs.setCurrentWidget(page.organisations)
    assert shown(page.organisations) == ["Afghanischer Kulturverein Altenburg"]


# --- finding -------------------------------------------------------------------------------------


def test_search_finds_people_by_name_email_language_tag_and_organisation(
    page: NetworkPage, db: Database, qtbot: QtBot
) -> None:
    add_network(db)
    page.refresh()
    persons = page.persons
    page.tabs.setCurrentWidget(persons)  # a hidden list reloads when it is shown
    assert len(shown(persons)) == 4
    assert search(qtbot, persons, "müller") == ["Müller, Anna"]
    assert search(qtbot, persons, "MUELLER") == ["Müller, Anna"]
    assert search(qtbot, persons, "олена") == ["Шевченко, Олена"]
    assert search(qtbot, persons, "m.alahmad@example") == ["الأحمد, محمد"]
    assert search(qtbot, persons, "محمد") == ["الأحمد, محمد"]
    assert search(qtbot, persons, "paschtu") == ["Ahmadi, Farid"]
    assert search(qtbot, persons, "dolmetschen") == ["Шевченко, Олена"]
    assert search(qtbot, persons, "arbeiterwohlfahrt") == ["Müller, Anna"]
    assert persons.summary_label.text() == "1 von 4 Personen · Suche „arbeiterwohlfahrt“"
    assert search(qtbot, persons, "niemand") == []
    assert persons.list_stack.currentWidget() is persons.empty_label
    assert persons.empty_label.text().startswith("Keine Personen für diesen Filter")


def test_search_finds_organisations(page: NetworkPage, db: Database, qtbot: QtBot) -> None:
    add_network(db)
    page.refresh()
    organisations = page.organisations
    assert search(qtbot, organisations, "українська") == ["Українська громада Альтенбург"]
    assert search(qtbot, organisations, "awo-altenburg") == ["Arbeiterwohlfahrt Altenburg e. V."]
    assert search(qtbot, organisations, "ehrenamt") == ["Українська громада Альтенбург"]


def test_person_filters_and_the_count_line(page: NetworkPage, db: Database) -> None:
    ids = add_network(db)
    page.refresh()
    persons = page.persons
    page.tabs.setCurrentWidget(persons)
    set_combo(persons.language_combo, "Ukrainisch")
    assert shown(persons) == ["Шевченко, Олена"]
    assert persons.summary_label.text() == "1 von 4 Personen · Sprache Ukrainisch"
    assert persons.reset_button.isVisible()
    persons.reset_button.click()
    assert len(shown(persons)) == 4
    assert not persons.reset_button.isVisible()
    set_combo(persons.municipality_combo, "Altenburg")
    assert shown(persons) == ["Müller, Anna"]
    persons.reset_filter()
    set_combo(persons.tag_combo, "Dolmetschen")
    assert shown(persons) == ["Шевченко, Олена"]
    persons.reset_filter()
    set_combo(persons.organisation_combo, ids["awo"])
    assert shown(persons) == ["Müller, Anna"]
    assert "Organisation „Arbeiterwohlfahrt Altenburg e. V.“" in persons.summary_label.text()


def test_organisation_filters(page: NetworkPage, db: Database) -> None:
    add_network(db)
    page.refresh()
    organisations = page.organisations
    assert len(shown(organisations)) == 3
    organisations.active_box.setChecked(True)
    assert "Alter Sportverein Lucka" not in shown(organisations)
    assert organisations.summary_label.text() == "2 von 3 Organisationen · nur aktive"
    organisations.reset_filter()
    set_combo(organisations.kind_combo, OrganisationKind.MIGRANT_ORGANISATION.value)
    assert shown(organisations) == ["Українська громада Альтенбург"]
    organisations.reset_filter()
    set_combo(organisations.municipality_combo, "Lucka")
    assert shown(organisations) == ["Alter Sportverein Lucka"]
    organisations.reset_filter()
    set_combo(organisations.tag_combo, "Beratung")
    assert shown(organisations) == ["Arbeiterwohlfahrt Altenburg e. V."]
    organisations.reset_filter()
    set_combo(organisations.guideline_combo, organisations.guideline_combo.itemData(1))
    assert shown(organisations) == []
    assert organisations.empty_label.text().startswith("Keine Organisationen für diesen Filter")


# --- editing and deleting ------------------------------------------------------------------------


def test_edit_the_selected_person(page: NetworkPage, db: Database, qtbot: QtBot) -> None:
    ids = add_network(db)
    page.refresh()
    assert page.show_person(ids["müller"])
    page.persons.edit_button.click()
    editor = page.persons.editor
    assert isinstance(editor, PersonEditor)
    assert editor.last_name_edit.text() == "Müller"
    editor.last_name_edit.selectAll()
    type_text(editor.last_name_edit, "Müller-Lüdenscheidt")
    with qtbot.waitSignal(page.status_message):
        editor.save_button.click()
    assert "Müller-Lüdenscheidt, Anna" in shown(page.persons)
    assert page.persons.selected_id() == ids["müller"]
    with db.session() as session:
        person = get_person(session, ids["müller"])
        assert person is not None and person.roles[0].function == "Migrationsberatung"


def test_enter_on_a_row_opens_the_editor(page: NetworkPage, db: Database, qtbot: QtBot) -> None:
    ids = add_network(db)
    page.refresh()
    page.show_organisation(ids["awo"])
    page.organisations.table.setFocus()
    qtbot.keyClick(page.organisations.table, Qt.Key.Key_Return)
    editor = page.organisations.editor
    assert isinstance(editor, OrganisationEditor)
    assert editor.name_edit.text() == "Arbeiterwohlfahrt Altenburg e. V."


def test_delete_asks_with_the_name(
    page: NetworkPage, db: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = add_network(db)
    page.refresh()
    asked: list[str] = []
    answer = Answer.No

    def question(_parent: object, _title: str, text: str, *_args: object) -> Answer:
        asked.append(text)
        return answer

    monkeypatch.setattr(QMessageBox, "question", question)
    page.show_person(ids["olena"])
    page.persons.table.setFocus()
    qtbot.keyClick(page.persons.table, Qt.Key.Key_Delete)
    assert "„Шевченко, Олена“" in asked[0]
    assert len(shown(page.persons)) == 4
    answer = Answer.Yes
    with qtbot.waitSignal(page.status_message) as message:
        page.persons.delete_button.click()
    assert message.args == ["Gelöscht: „Шевченко, Олена“"]
    assert "Шевченко, Олена" not in shown(page.persons)
    with db.session() as session:
        assert get_person(session, ids["olena"]) is None
    page.show_organisation(ids["awo"])
    page.organisations.delete_button.click()
    assert "Arbeiterwohlfahrt" in asked[-1]
    with db.session() as session:
        assert get_organisation(session, ids["awo"]) is None
    assert page.persons.model.rowCount() == 3


# --- details, links and history ------------------------------------------------------------------


def test_linked_records_are_one_click_away(page: NetworkPage, db: Database) -> None:
    ids = add_network(db)
    page.refresh()
    page.show_organisation(ids["verein"])
    details = page.organisations.details_pane
    assert details.tabs.tabText(1) == "&Personen (1)"
    people = details.people_browser.toPlainText()
    assert "Шевченко" in people and "Vorsitz" in people
    details.people_browser.anchorClicked.emit(QUrl(f"person:{ids['olena']}"))
    assert page.tabs.currentWidget() is page.persons
    assert page.persons.selected_id() == ids["olena"]
    roles = page.persons.details_pane.roles_browser
    assert "Українська громада Альтенбург" in roles.toPlainText()
    # Even when the person list's filter hides the organisation's side, the link works.
    set_combo(page.organisations.kind_combo, OrganisationKind.JOBCENTER.value)
    roles.anchorClicked.emit(QUrl(f"organisation:{ids['verein']}"))
    assert page.tabs.currentWidget() is page.organisations
    assert page.organisations.selected_id() == ids["verein"]


def test_privacy_tab_says_the_consent_in_words(page: NetworkPage, db: Database) -> None:
    person = add_person(
        db,
        "Farid",
        "Ahmadi",
        consent_given_on=date(2025, 3, 1),
        consent_purpose="Einladungen zum Netzwerktreffen",
        consent_how="schriftlich",
        consent_withdrawn_on=date(2026, 1, 15),
        legal_basis="Einwilligung (Art. 6 Abs. 1 lit. a DSGVO)",
    )
    page.refresh()
    page.show_person(person)
    details = page.persons.details_pane
    assert details.badge_label.text() == "Einwilligung widerrufen am 15.01.2026"
    privacy = details.privacy_browser.toPlainText()
    assert "01.03.2025" in privacy and "Einladungen zum Netzwerktreffen" in privacy
    assert "Art. 6 Abs. 1 lit. a DSGVO" in privacy


def test_contact_history_newest_first(page: NetworkPage, db: Database, qtbot: QtBot) -> None:
    ids = add_network(db)
    page.refresh()
    page.show_person(ids["müller"])
    history = page.persons.details_pane.history
    assert "Noch kein Kontakt" in history.browser.toPlainText()
    assert not history.add_button.isEnabled()
    set_combo(history.kind_combo, ActivityKind.CALL.value)
    history.date_edit.setDate(QDate(2026, 3, 2))
    type_text(history.subject_edit, "Rückruf wegen Sprachkurs")
    with qtbot.waitSignal(page.data_changed):
        history.add_button.click()
    set_combo(history.kind_combo, ActivityKind.MEETING.value)
    history.date_edit.setDate(QDate(2026, 4, 20))
    type_text(history.subject_edit, "Treffen im Café")
    type_text(history.text_edit, "Über Patenschaften gesprochen")
    history.add_button.click()
    text = history.browser.toPlainText()
    assert text.index("20.04.2026 · Treffen") < text.index("02.03.2026 · Anruf")
    assert "Über Patenschaften gesprochen" in text and "testnutzer" in text
    assert history.subject_edit.text() == ""
    # The organisation's history shows the note on its person, with a link to her.
    page.show_organisation(ids["awo"])
    organisation_history = page.organisations.details_pane.history.browser
    assert "Rückruf wegen Sprachkurs" in organisation_history.toPlainText()
    assert "Müller, Anna" in organisation_history.toPlainText()


def test_an_organisation_history_entry(page: NetworkPage, db: Database) -> None:
    ids = add_network(db)
    with db.session() as session:
        add_activity(
            session,
            kind=ActivityKind.VISIT,
            happened_on=date(2025, 11, 5),
            subject="Besuch der Beratungsstelle",
            text="",
            organisation_id=ids["awo"],
        )
    page.refresh()
    page.show_organisation(ids["awo"])
    history = page.organisations.details_pane.history
    assert "05.11.2025 · Besuch" in history.browser.toPlainText()
    type_text(history.subject_edit, "Nachfrage Räume")
    assert history.add_entry()
    text = history.browser.toPlainText()
    assert text.index("Nachfrage Räume") < text.index("Besuch der Beratungsstelle")


# --- files ---------------------------------------------------------------------------------------


def test_export_persons_as_excel(
    page: NetworkPage, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_network(db)
    page.refresh()
    target = tmp_path / "personen"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(target), ""))
    assert "Alle Personen" in page.persons.export_xlsx_action.text()
    page.persons.export_xlsx_action.trigger()
    rows = list(load_workbook(tmp_path / "personen.xlsx").active.iter_rows(values_only=True))
    assert len(rows) == 5
    assert any("Олена" in str(cell) for row in rows for cell in row)


def test_export_organisations_as_vcard(
    page: NetworkPage, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_network(db)
    page.refresh()
    target = tmp_path / "organisationen.vcf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(target), ""))
    page.organisations.export_vcf_action.trigger()
    assert target.read_text(encoding="utf-8").count("BEGIN:VCARD") == 3


# --- state, keyboard, accessibility --------------------------------------------------------------


def test_empty_states_say_what_to_do(page: NetworkPage) -> None:
    for panel, noun in ((page.organisations, "Organisationen"), (page.persons, "Personen")):
        page.tabs.setCurrentWidget(panel)
        assert panel.list_stack.currentWidget() is panel.empty_label
        assert panel.empty_label.text().startswith(f"Noch keine {noun} — ")
        assert "Strg+N" in panel.empty_label.text()
        assert "Kontakte importieren" in panel.empty_label.text()


def test_every_visible_control_has_an_accessible_name(
    page: NetworkPage, db: Database, qtbot: QtBot
) -> None:
    assert nameless_controls(page) == []  # empty state
    ids = add_network(db)
    page.refresh()
    page.show_organisation(ids["awo"])
    for index in range(page.organisations.details_pane.tabs.count()):
        page.organisations.details_pane.tabs.setCurrentIndex(index)
        assert nameless_controls(page) == []
    page.show_person(ids["olena"])
    for index in range(page.persons.details_pane.tabs.count()):
        page.persons.details_pane.tabs.setCurrentIndex(index)
        assert nameless_controls(page) == []
    organisation_editor = page.organisations.new_record()
    qtbot.waitExposed(organisation_editor)
    assert nameless_controls(organisation_editor) == []
    organisation_editor.discard()
    person_editor = page.persons.edit_record(ids["olena"])
    assert isinstance(person_editor, PersonEditor)
    person_editor.roles_edit.add_role()
    qtbot.waitExposed(person_editor)
    assert nameless_controls(person_editor) == []


def test_can_close_asks_about_an_editor_with_changes(
    page: NetworkPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert page.can_close()
    page.tabs.setCurrentWidget(page.persons)
    editor = page.new_record()
    assert isinstance(editor, PersonEditor)
    type_text(editor.last_name_edit, "Entwurf")
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: Answer.Cancel)
    assert not page.can_close()
    assert editor.isVisible()
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: Answer.Discard)
    assert page.can_close()
    assert page.persons.editor is None


def test_sort_order_and_tab_are_remembered(page: NetworkPage, db: Database, qtbot: QtBot) -> None:
    add_network(db)
    page.refresh()
    page.tabs.setCurrentWidget(page.persons)
    header = page.persons.table.horizontalHeader()
    header.setSortIndicator(0, Qt.SortOrder.DescendingOrder)
    assert shown(page.persons)[-1] == "Ahmadi, Farid"
    header.resizeSection(2, 321)
    again = NetworkPage(db)
    qtbot.addWidget(again)
    assert again.tabs.currentWidget() is again.persons
    assert again.persons.model.sort_order == Qt.SortOrder.DescendingOrder
    assert again.persons.table.horizontalHeader().sectionSize(2) == 321
    assert shown(again.persons)[-1] == "Ahmadi, Farid"


def test_tab_follows_the_reading_order(page: NetworkPage, db: Database) -> None:
    ids = add_network(db)
    page.refresh()
    page.show_person(ids["olena"])
    persons = page.persons
    order: list[QWidget] = []
    widget = page.tabs.tabBar()  # from the tabs on, Tab walks the list as it is read
    for _step in range(300):
        order.append(widget)
        widget = widget.nextInFocusChain()
    expected = [
        persons.organisation_combo,
        persons.language_combo,
        persons.search_edit,
        persons.new_button,
        persons.export_button,
        persons.table,
        persons.details_pane.tabs,
        persons.details_pane.history.subject_edit,
    ]
    positions = [order.index(w) for w in expected]
    assert positions == sorted(positions)
