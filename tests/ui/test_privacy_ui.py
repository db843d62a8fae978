"""DSGVO in the window: due deletions, erase with confirmation, information, person editor."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from integrationsmanager.domain.network import Person
from integrationsmanager.services.persons import LEGAL_BASIS_CONSENT, PersonData, save_person
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.network.details import PersonDetails
from integrationsmanager.ui.network.person_editor import PersonEditor
from integrationsmanager.ui.privacy import actions
from integrationsmanager.ui.privacy.actions import CONFIRM_WORD, EraseDialog
from integrationsmanager.ui.privacy.due_dialog import PrivacyDueDialog
from integrationsmanager.ui.settings_dialog import SettingsDialog
from tests.ui.helpers import nameless_controls, type_text

NAME = ("Олександра", "Коваленко")
OLD = datetime(2019, 1, 1, tzinfo=UTC)


def _old_person(db: Database, last: str = NAME[1]) -> int:
    """A person last changed in 2019 (Core UPDATE: the tracking hook would stamp today)."""
    with db.session() as session:
        person_id = save_person(session, PersonData(first_name=NAME[0], last_name=last)).id
        session.execute(update(Person).where(Person.id == person_id).values(updated_at=OLD))
    return person_id


@pytest.fixture
def confirm_erasure(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Type the confirmation word into the dialog and accept; collect the report shown."""
    shown: list[str] = []

    def exec_(dialog: EraseDialog) -> int:
        assert not dialog.erase_button.isEnabled()
        type_text(dialog.confirm_edit, CONFIRM_WORD.lower())
        assert dialog.erase_button.isEnabled()
        dialog.erase_button.click()
        return int(dialog.result())

    monkeypatch.setattr(EraseDialog, "exec", exec_)
    monkeypatch.setattr(
        QMessageBox, "information", lambda _parent, _title, text: shown.append(text)
    )
    return shown


def test_due_dialog_lists_and_erases(
    qtbot: QtBot, db: Database, confirm_erasure: list[str]
) -> None:
    person_id = _old_person(db)
    dialog = PrivacyDueDialog(db, today=date(2026, 6, 1))
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 1
    assert dialog.model.data(dialog.model.index(0, 1), 0) == f"{NAME[1]}, {NAME[0]}"
    assert "Zur Löschung fällig: 1 Person" in dialog.intro_label.text()
    assert nameless_controls(dialog) == []
    with qtbot.waitSignal(dialog.person_requested) as requested:
        dialog.open_button.click()
    assert requested.args == [person_id]
    dialog.show()
    dialog.grab().save("/tmp/privacy_due_dialog.png")
    with qtbot.waitSignal(dialog.person_erased):
        dialog.erase_button.click()
    assert any("Gelöschte Person" in text for text in confirm_erasure)
    assert dialog.model.rowCount() == 0
    assert not dialog.erase_button.isEnabled()
    with db.session() as session:
        person = session.get(Person, person_id)
        assert person is not None and person.erased


def test_erase_dialog_needs_the_word(qtbot: QtBot) -> None:
    dialog = EraseDialog(7, "Muster, Anna")
    qtbot.addWidget(dialog)
    assert not dialog.erase_button.isEnabled()
    type_text(dialog.confirm_edit, "lösch")
    assert not dialog.erase_button.isEnabled()
    dialog.confirm_edit.setText(CONFIRM_WORD)
    assert dialog.erase_button.isEnabled()
    assert nameless_controls(dialog) == []
    dialog.show()
    dialog.grab().save("/tmp/privacy_erase_dialog.png")


def test_erase_cancelled_keeps_the_person(
    qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    person_id = _old_person(db)
    monkeypatch.setattr(EraseDialog, "exec", lambda _self: QDialog.DialogCode.Rejected)
    details = PersonDetails(db)
    qtbot.addWidget(details)
    details.show_person(person_id)
    details.erase_button.click()
    with db.session() as session:
        assert session.get(Person, person_id).last_name == NAME[1]  # type: ignore[union-attr]


def test_person_details_buttons(
    qtbot: QtBot,
    db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    confirm_erasure: list[str],
) -> None:
    person_id = _old_person(db)
    details = PersonDetails(db)
    qtbot.addWidget(details)
    details.show_person(person_id)
    assert details.information_button.isEnabled()
    folder = tmp_path / "auskunft"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_args, **_kwargs: str(folder))
    opened: list[object] = []
    monkeypatch.setattr(actions.QDesktopServices, "openUrl", lambda url: opened.append(url))
    details.information_button.click()
    assert sorted(p.suffix for p in folder.iterdir()) == [".json", ".pdf"]
    assert opened
    privacy_tab = details.privacy_browser.parentWidget()
    assert privacy_tab is not None
    details.tabs.setCurrentWidget(privacy_tab)
    details.resize(700, 500)
    details.show()
    details.grab().save("/tmp/privacy_details.png")
    with qtbot.waitSignal(details.person_erased):
        details.erase_button.click()
    assert details.title_label.text() == f"Gelöschte Person #{person_id}"
    assert not details.erase_button.isEnabled()
    assert not details.information_button.isEnabled()


def test_person_editor_checks_the_consent(qtbot: QtBot, db: Database) -> None:
    editor = PersonEditor(db)
    qtbot.addWidget(editor)
    type_text(editor.last_name_edit, "Muster")
    editor.legal_basis_combo.setCurrentText(LEGAL_BASIS_CONSENT)
    message = editor.error_labels["consent_given_on"].text()
    assert "Datum der Einwilligung" in message
    editor.consent_given_edit.set_box.setChecked(True)
    editor.consent_given_edit.date_edit.setDate(QDate(2026, 2, 1))
    assert editor.consent_given_edit.value() == date(2026, 2, 1)
    assert editor.error_labels["consent_given_on"].text() == ""
    bases = [editor.legal_basis_combo.itemText(i) for i in range(editor.legal_basis_combo.count())]
    assert not any("lit. f" in basis for basis in bases)
    assert any("lit. c" in basis for basis in bases)


def test_settings_dialog_sets_the_retention(qtbot: QtBot, db: Database) -> None:
    dialog = SettingsDialog(db)
    qtbot.addWidget(dialog)
    assert dialog.retention_spin.value() == 3
    dialog.retention_spin.setValue(7)
    assert dialog.save()
    again = SettingsDialog(db)
    qtbot.addWidget(again)
    assert again.retention_spin.value() == 7
