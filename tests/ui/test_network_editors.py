"""The organisation and person editors: live messages, Save only while valid, duplicates."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from integrationsmanager.services.network_queries import person_ids
from integrationsmanager.services.organisations import (
    OrganisationData,
    get_organisation,
    save_organisation,
)
from integrationsmanager.services.persons import PersonData, RoleData, get_person, save_person
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.network import NetworkPage
from integrationsmanager.ui.network.duplicates_dialog import DuplicateDialog
from integrationsmanager.ui.network.organisation_editor import OrganisationEditor
from integrationsmanager.ui.network.person_editor import PersonEditor
from tests.ui.helpers import nameless_controls, type_text

Answer = QMessageBox.StandardButton
VALID_IBAN = "DE89 3704 0044 0532 0130 00"


@pytest.fixture
def no_questions(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Answer every question with "Discard"/"Yes" and record its text."""
    asked: list[str] = []

    def question(_parent: object, _title: str, text: str, *_args: object) -> Answer:
        asked.append(text)
        return Answer.Yes if "zusammenführen" in text else Answer.Discard

    monkeypatch.setattr(QMessageBox, "question", question)
    yield asked


@pytest.fixture
def organisation_editor(qtbot: QtBot, db: Database, no_questions: list[str]) -> OrganisationEditor:
    editor = OrganisationEditor(db)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    return editor


@pytest.fixture
def person_editor(qtbot: QtBot, db: Database, no_questions: list[str]) -> PersonEditor:
    editor = PersonEditor(db)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    return editor


def add_person(db: Database, data: PersonData) -> int:
    with db.session() as session:
        return save_person(session, data).id


def duplicate_dialog(editor: PersonEditor | OrganisationEditor) -> DuplicateDialog:
    dialog = editor.duplicate_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


# --- organisation editor -------------------------------------------------------------------------


def test_an_invalid_iban_is_said_next_to_the_field_and_blocks_saving(
    organisation_editor: OrganisationEditor,
) -> None:
    editor = organisation_editor
    assert editor.hint_label.text() == "Zum Speichern fehlt noch: Name."
    type_text(editor.name_edit, "Verein für Begegnung Meuselwitz")
    assert editor.save_button.isEnabled()
    type_text(editor.iban_edit, "DE89 3704 0044 0532 0130 01")
    message = editor.error_labels["iban"]
    assert message.isVisible()
    assert message.text() == "Die Prüfziffer der IBAN stimmt nicht – bitte auf Tippfehler prüfen."
    assert not editor.save_button.isEnabled()
    assert "IBAN" in editor.save_button.toolTip()
    editor.iban_edit.clear()
    type_text(editor.iban_edit, VALID_IBAN)
    assert not message.isVisible()
    assert editor.save_button.isEnabled()


def test_other_rules_show_as_the_user_types(organisation_editor: OrganisationEditor) -> None:
    editor = organisation_editor
    type_text(editor.name_edit, "Verein")
    type_text(editor.email_edit, "info@verein")
    assert "keine gültige E-Mail-Adresse" in editor.error_labels["email"].text()
    type_text(editor.website_edit, "nicht eine adresse")
    assert "keine gültige Webadresse" in editor.error_labels["website"].text()
    editor.name_edit.clear()
    assert editor.error_labels["name"].text() == "Bitte einen Namen eingeben."
    assert not editor.save_button.isEnabled()


def test_organisation_is_saved_with_every_field(
    organisation_editor: OrganisationEditor, db: Database, qtbot: QtBot
) -> None:
    editor = organisation_editor
    type_text(editor.name_edit, "Sportverein Lok Altenburg")
    type_text(editor.street_edit, "Am Großen Teich 1")
    type_text(editor.postcode_edit, "04600")
    type_text(editor.city_edit, "Altenburg")
    editor.municipality_combo.set_text("altenburg")
    type_text(editor.phone_edit, "03447 123456")
    type_text(editor.website_edit, "www.lok-altenburg.de")
    type_text(editor.register_edit, "VR 1234")
    type_text(editor.iban_edit, VALID_IBAN.replace(" ", "").lower())
    type_text(editor.notes_edit, "Trainingszeiten für Geflüchtete")
    editor.active_box.setChecked(False)
    with qtbot.waitSignal(editor.saved) as saved:
        editor.save_button.click()
    with db.session() as session:
        organisation = get_organisation(session, saved.args[0])
        assert organisation is not None
        assert organisation.municipality == "Altenburg"
        assert organisation.iban == VALID_IBAN.replace(" ", "")
        assert organisation.notes == "Trainingszeiten für Geflüchtete"
        assert not organisation.active
    again = OrganisationEditor(db, organisation_id=saved.args[0])
    qtbot.addWidget(again)
    assert again.iban_edit.text() == VALID_IBAN
    assert not again.active_box.isChecked()
    assert not again.isWindowModified()


def test_escape_asks_before_dropping_changes(
    organisation_editor: OrganisationEditor, qtbot: QtBot, no_questions: list[str]
) -> None:
    qtbot.keyClick(organisation_editor.name_edit, Qt.Key.Key_Escape)
    assert no_questions == [] and not organisation_editor.isVisible()
    organisation_editor.show()
    type_text(organisation_editor.name_edit, "Entwurf")
    assert organisation_editor.isWindowModified()
    qtbot.keyClick(organisation_editor.name_edit, Qt.Key.Key_Escape)
    assert "nicht gespeichert" in no_questions[0]


def test_same_organisation_name_asks_before_creating(
    organisation_editor: OrganisationEditor, db: Database, qtbot: QtBot
) -> None:
    with db.session() as session:
        save_organisation(
            session, OrganisationData(name="Caritas Altenburg", municipality="Altenburg")
        )
    type_text(organisation_editor.name_edit, "caritas altenburg")
    organisation_editor.municipality_combo.set_text("Altenburg")
    organisation_editor.save_button.click()
    dialog = duplicate_dialog(organisation_editor)
    item = dialog.hit_list.topLevelItem(0)
    assert item is not None
    assert (item.text(0), item.text(1)) == ("Caritas Altenburg", "gleicher Name in Altenburg")
    with qtbot.waitSignal(organisation_editor.saved):
        dialog.save_anyway_button.click()
    assert organisation_editor.saved_id is not None


# --- person editor -------------------------------------------------------------------------------


def test_person_rules_show_as_the_user_types(person_editor: PersonEditor, qtbot: QtBot) -> None:
    editor = person_editor
    assert editor.hint_label.text() == "Zum Speichern fehlt noch: Vor- oder Nachname."
    assert not editor.save_button.isEnabled()
    type_text(editor.first_name_edit, "Zahra")
    assert editor.save_button.isEnabled()
    type_text(editor.emails_edit, "zahra(at)example.org")
    assert "keine gültige E-Mail-Adresse" in editor.error_labels["emails"].text()
    assert not editor.save_button.isEnabled()
    editor.emails_edit.clear()
    editor.consent_given_edit.set_value(date(2026, 2, 1))
    editor.consent_withdrawn_edit.set_box.setChecked(True)
    withdrawn = editor.consent_withdrawn_edit.date_edit
    withdrawn.setDate(QDate(2025, 1, 1))
    message = editor.error_labels["consent_withdrawn_on"].text()
    assert message == "Der Widerruf liegt vor der Einwilligung."
    assert not editor.save_button.isEnabled()


def test_a_role_without_organisation_is_said(person_editor: PersonEditor) -> None:
    type_text(person_editor.last_name_edit, "Rahimi")
    row = person_editor.roles_edit.add_role()
    type_text(row.function_edit, "Beratung")
    person_editor.roles_edit.changed.emit()
    assert "Bitte eine Organisation angeben" in person_editor.error_labels["roles"].text()
    row.remove_button.click()
    assert person_editor.roles_edit.rows == []
    assert person_editor.save_button.isEnabled()


def test_person_with_consent_and_two_phones(
    person_editor: PersonEditor, db: Database, qtbot: QtBot
) -> None:
    editor = person_editor
    editor.salutation_combo.setCurrentText("Frau")
    type_text(editor.first_name_edit, "Zahra")
    type_text(editor.last_name_edit, "رحیمی")
    type_text(editor.phones_edit, "0176 1234567")
    qtbot.keyClick(editor.phones_edit, Qt.Key.Key_Return)
    type_text(editor.phones_edit, "03447 55555")
    type_text(editor.languages_edit, "Dari, Paschtu")
    editor.consent_given_edit.set_value(date(2026, 2, 1))
    editor.consent_how_combo.setCurrentText("schriftlich")
    type_text(editor.consent_purpose_edit, "Einladungen")
    with qtbot.waitSignal(editor.saved) as saved:
        editor.save_button.click()
    with db.session() as session:
        person = get_person(session, saved.args[0])
        assert person is not None
        assert person.salutation == "Frau" and person.last_name == "رحیمی"
        assert [p.number for p in person.phones] == ["0176 1234567", "03447 55555"]
        assert person.consent_given_on == date(2026, 2, 1)
        assert person.consent_how == "schriftlich"


def test_same_email_offers_merge_which_keeps_the_role(
    person_editor: PersonEditor, db: Database, qtbot: QtBot, no_questions: list[str]
) -> None:
    with db.session() as session:
        awo = save_organisation(session, OrganisationData(name="AWO Altenburg")).id
    existing = add_person(
        db,
        PersonData(
            first_name="Anna",
            last_name="Müller",
            emails=["anna@example.org"],
            roles=[RoleData(organisation_id=awo, function="Beratung")],
        ),
    )
    editor = person_editor
    type_text(editor.first_name_edit, "Anne")
    type_text(editor.last_name_edit, "Mueller")
    type_text(editor.emails_edit, "ANNA@example.org")
    type_text(editor.phones_edit, "0176 999")
    editor.save_button.click()
    dialog = duplicate_dialog(editor)
    item = dialog.hit_list.topLevelItem(0)
    assert item is not None
    assert item.text(0) == "Müller, Anna"
    assert item.text(1) == "gleiche E-Mail-Adresse ANNA@example.org"
    assert dialog.hit is not None and dialog.hit.id == existing
    with qtbot.waitSignal(editor.saved) as saved:
        dialog.merge_button.click()
    assert "werden in „Müller, Anna“ übernommen" in no_questions[0]
    assert saved.args == [existing]
    assert editor.merged_into == "Müller, Anna"
    with db.session() as session:
        assert person_ids(session) == [existing]
        person = get_person(session, existing)
        assert person is not None
        assert [(r.organisation_id, r.function) for r in person.roles] == [(awo, "Beratung")]
        assert [p.number for p in person.phones] == ["0176 999"]
        assert person.first_name == "Anna"


def test_back_to_the_form_keeps_the_input(
    person_editor: PersonEditor, db: Database, qtbot: QtBot
) -> None:
    add_person(db, PersonData(first_name="Олена", last_name="Шевченко"))
    type_text(person_editor.first_name_edit, "олена")
    type_text(person_editor.last_name_edit, "шевченко")
    person_editor.save_button.click()
    dialog = duplicate_dialog(person_editor)
    item = dialog.hit_list.topLevelItem(0)
    assert item is not None and item.text(1) == "gleicher Name, beide ohne Gemeinde"
    dialog.back_button.click()
    assert person_editor.isVisible() and person_editor.duplicate_dialog is None
    assert person_editor.last_name_edit.text() == "шевченко"
    with db.session() as session:
        assert len(person_ids(session)) == 1


def test_open_existing_from_the_page_selects_it(
    qtbot: QtBot, db: Database, no_questions: list[str]
) -> None:
    existing = add_person(db, PersonData(first_name="Farid", last_name="Ahmadi"))
    add_person(db, PersonData(first_name="Anna", last_name="Müller"))
    page = NetworkPage(db)
    qtbot.addWidget(page)
    page.show()
    page.tabs.setCurrentWidget(page.persons)
    type_text(page.persons.search_edit, "müller")
    qtbot.waitUntil(lambda: page.persons.model.rowCount() == 1)
    editor = page.persons.new_record()
    assert isinstance(editor, PersonEditor)
    type_text(editor.first_name_edit, "Farid")
    type_text(editor.last_name_edit, "Ahmadi")
    editor.save_button.click()
    duplicate_dialog(editor).open_button.click()
    assert page.persons.editor is None
    assert page.persons.selected_id() == existing
    assert page.persons.search_edit.text() == ""  # the filter hid him: it was cleared


def test_renaming_into_an_existing_person_offers_merge(
    qtbot: QtBot, db: Database, no_questions: list[str]
) -> None:
    kept = add_person(db, PersonData(first_name="Anna", last_name="Müller", emails=["a@x.de"]))
    other = add_person(db, PersonData(first_name="Anna", last_name="Schulz", phones=["0123"]))
    editor = PersonEditor(db, person_id=other)
    qtbot.addWidget(editor)
    editor.show()
    assert editor.save()  # unchanged name: no question
    assert editor.duplicate_dialog is None
    editor = PersonEditor(db, person_id=other)
    qtbot.addWidget(editor)
    editor.show()
    editor.last_name_edit.clear()
    type_text(editor.last_name_edit, "Müller")
    editor.save_button.click()
    dialog = duplicate_dialog(editor)
    assert dialog.save_anyway_button.text() == "Trotzdem speichern"
    dialog.merge_button.click()
    assert "wird in „Müller, Anna“ übernommen und danach gelöscht" in no_questions[0]
    with db.session() as session:
        assert person_ids(session) == [kept]
        person = get_person(session, kept)
        assert person is not None and [p.number for p in person.phones] == ["0123"]


def test_editors_and_the_duplicate_dialog_name_every_control(
    person_editor: PersonEditor, organisation_editor: OrganisationEditor, db: Database
) -> None:
    person_editor.roles_edit.add_role()
    assert nameless_controls(person_editor) == []
    assert nameless_controls(organisation_editor) == []
    add_person(db, PersonData(first_name="Anna", last_name="Müller"))
    person_editor.roles_edit.rows[0].remove_button.click()
    type_text(person_editor.first_name_edit, "Anna")
    type_text(person_editor.last_name_edit, "Müller")
    person_editor.save_button.click()
    assert nameless_controls(duplicate_dialog(person_editor)) == []


def test_a_new_function_line_is_in_the_tab_order(person_editor: PersonEditor) -> None:
    first = person_editor.roles_edit.add_role()
    second = person_editor.roles_edit.add_role()
    order: list[QWidget] = []
    widget: QWidget = person_editor.notes_edit
    while widget is not person_editor.emails_edit and len(order) < 300:
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            order.append(widget)
        widget = widget.nextInFocusChain()
    expected = [
        first.organisation_combo.line_edit,
        first.function_edit,
        first.from_edit.set_box,
        first.from_edit.date_edit,
        first.to_edit.set_box,
        first.remove_button,
        second.organisation_combo.line_edit,
        second.remove_button,
        person_editor.roles_edit.add_button,
    ]
    assert all(w in order for w in expected), [type(w).__name__ for w in order]
    positions = [order.index(w) for w in expected]
    assert positions == sorted(positions)
