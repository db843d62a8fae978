"""The measure editor: typing into the real form, checks as you type, saving, the guards."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from integrationsmanager.domain.enums import MeasureStatus
from integrationsmanager.services.measures import get_measure
from integrationsmanager.services.organisations import find_by_name
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.measures.editor import MeasureEditor
from tests.ui.helpers import add_measure, guideline_id, nameless_controls, type_text


@pytest.fixture
def editor(qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch) -> MeasureEditor:
    # Closing a changed editor at teardown asks; never let that block a test.
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: QMessageBox.StandardButton.Discard)
    dialog = MeasureEditor(db)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def error(editor: MeasureEditor, key: str) -> str:
    label = editor.error_labels[key]
    return label.text() if label.isVisible() else ""


def pick_guideline(editor: MeasureEditor, db: Database, number: int) -> None:
    combo = editor.guideline_combo
    combo.setCurrentIndex(combo.findData(guideline_id(db, number)))


def test_new_form_waits_for_title_and_guideline(editor: MeasureEditor) -> None:
    assert not editor.save_button.isEnabled()
    assert error(editor, "title") == ""  # nothing typed yet: no scolding
    assert editor.hint_label.text() == "Zum Speichern fehlt noch: Leitlinie, Titel."


def test_messages_appear_as_the_user_types(
    editor: MeasureEditor, db: Database, qtbot: QtBot
) -> None:
    pick_guideline(editor, db, 1)
    type_text(editor.title_edit, "Sprachcafé")
    assert editor.save_button.isEnabled()
    editor.title_edit.clear()
    assert error(editor, "title") == "Bitte einen Titel eingeben."
    assert not editor.save_button.isEnabled()
    type_text(editor.title_edit, "Sprachcafé")
    assert error(editor, "title") == ""

    editor.start_edit.set_box.click()
    editor.start_edit.date_edit.setDate(date(2026, 5, 1))
    editor.end_edit.set_box.click()
    editor.end_edit.date_edit.setDate(date(2026, 4, 30))
    assert error(editor, "end_date") == "Das Ende liegt vor dem Beginn."
    assert not editor.save_button.isEnabled()
    editor.end_edit.date_edit.setDate(date(2026, 5, 1))
    assert error(editor, "end_date") == ""
    assert editor.save_button.isEnabled()

    qtbot.keyClicks(editor.spent_edit, "-5")
    assert error(editor, "spent") == "Der ausgegebene Betrag darf nicht negativ sein."
    assert not editor.save_button.isEnabled()
    editor.spent_edit.clear()
    qtbot.keyClicks(editor.planned_budget_edit, "12,345")
    assert "kein Geldbetrag" in error(editor, "planned_budget")
    assert not editor.save_button.isEnabled()
    editor.planned_budget_edit.clear()
    qtbot.keyClicks(editor.planned_budget_edit, "12.500,50")
    assert error(editor, "planned_budget") == ""
    assert editor.save_button.isEnabled()


def test_save_creates_the_measure_with_every_field(
    editor: MeasureEditor, db: Database, qtbot: QtBot
) -> None:
    pick_guideline(editor, db, 4)
    type_text(editor.title_edit, "Dolmetscherpool für Arztbesuche")
    qtbot.keyClicks(editor.baseline_edit, "Kaum Sprachmittlung in Praxen.")
    qtbot.keyClicks(editor.goal_edit, "Jede Praxis erreicht binnen 48 h eine Sprachmittlerin.")
    qtbot.keyClicks(editor.implementation_edit, "Pool mit 20 Ehrenamtlichen.")
    editor.status_combo.setCurrentIndex(editor.status_combo.findData(MeasureStatus.RUNNING.value))
    editor.start_edit.set_box.click()
    editor.start_edit.date_edit.setDate(date(2026, 2, 1))
    type_text(editor.lead_combo, "Sprachmittlerpool Ostthüringen e.V.")
    qtbot.keyClicks(editor.partners_edit.name_combo, "Gesundheitsamt")
    qtbot.keyClick(editor.partners_edit.name_combo, Qt.Key.Key_Return)
    assert editor.isVisible()  # Enter added the partner, it did not press Save
    assert editor.partners_edit.names() == ["Gesundheitsamt"]
    qtbot.keyClicks(editor.planned_budget_edit, "38.000")
    qtbot.keyClicks(editor.tags_edit, "Gesundheit, Sprache")
    with qtbot.waitSignal(editor.saved) as saved:
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert not editor.isVisible()
    assert editor.saved_id == saved.args[0]
    assert sorted(editor.created_organisations) == [
        "Gesundheitsamt",
        "Sprachmittlerpool Ostthüringen e.V.",
    ]
    with db.session() as session:
        measure = get_measure(session, saved.args[0])
        assert measure is not None
        assert measure.title == "Dolmetscherpool für Arztbesuche"
        assert measure.goal == "Jede Praxis erreicht binnen 48 h eine Sprachmittlerin."
        assert measure.status == MeasureStatus.RUNNING
        assert measure.start_date == date(2026, 2, 1)
        assert measure.end_date is None
        assert measure.planned_budget_cents == 3_800_000
        assert measure.lead_organisation is not None
        assert measure.lead_organisation.name == "Sprachmittlerpool Ostthüringen e.V."
        assert [p.name for p in measure.partners] == ["Gesundheitsamt"]
        assert sorted(t.name for t in measure.tags) == ["Gesundheit", "Sprache"]
        assert find_by_name(session, "gesundheitsamt") is not None


def test_edit_shows_the_stored_values_and_ctrl_s_saves(qtbot: QtBot, db: Database) -> None:
    measure_id = add_measure(
        db,
        "Elterncafé",
        guideline=1,
        end_date=date(2026, 12, 31),
        planned_budget_cents=123456,
        partners=["Caritas"],
        tags=["Eltern"],
    )
    dialog = MeasureEditor(db, measure_id=measure_id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.title_edit.text() == "Elterncafé"
    assert dialog.planned_budget_edit.text() == "1.234,56"
    assert dialog.end_edit.value() == date(2026, 12, 31)
    assert dialog.start_edit.value() is None
    assert dialog.partners_edit.names() == ["Caritas"]
    assert dialog.tags_edit.text() == "Eltern"
    assert not dialog.isWindowModified()
    dialog.title_edit.setText("Elterncafé im Familienzentrum")
    assert dialog.isWindowModified()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    with qtbot.waitSignal(dialog.saved):
        qtbot.keyClick(dialog.title_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    with db.session() as session:
        measure = get_measure(session, measure_id)
        assert measure is not None
        assert measure.title == "Elterncafé im Familienzentrum"
        assert measure.planned_budget_cents == 123456


def test_escape_asks_before_dropping_changes(
    editor: MeasureEditor, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    questions: list[str] = []
    answer = QMessageBox.StandardButton.Cancel

    def question(_parent: object, title: str, *_args: object) -> QMessageBox.StandardButton:
        questions.append(title)
        return answer

    monkeypatch.setattr(QMessageBox, "question", question)
    qtbot.keyClicks(editor.title_edit, "Entwurf")
    qtbot.keyClick(editor.title_edit, Qt.Key.Key_Escape)
    assert questions == ["Änderungen verwerfen?"]
    assert editor.isVisible()
    answer = QMessageBox.StandardButton.Discard
    editor.cancel_button.click()
    assert not editor.isVisible()


def test_escape_closes_an_unchanged_editor_without_asking(
    editor: MeasureEditor, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *a: pytest.fail("asked"))
    qtbot.keyClick(editor.title_edit, Qt.Key.Key_Escape)
    assert not editor.isVisible()


def test_every_control_of_the_editor_has_an_accessible_name(editor: MeasureEditor) -> None:
    assert nameless_controls(editor) == []
