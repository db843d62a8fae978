"""Programmes and budgets driven like a user, from the Budget tab."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from integrationsmanager.services.programs import (
    ProgramData,
    budgets_of,
    get_program,
    save_program,
    set_budget,
)
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.funding.budget_tab import BudgetTab
from integrationsmanager.ui.funding.programs import ProgramsDialog
from tests.ui.helpers import nameless_controls, type_text

TODAY = date(2026, 11, 25)
Answer = QMessageBox.StandardButton


@pytest.fixture
def tab(qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch) -> BudgetTab:
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: Answer.Discard)
    widget = BudgetTab(db, today=TODAY)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def add_program(db: Database, code: str = "TST", **more: object) -> int:
    with db.session() as session:
        data = ProgramData(name=f"Testprogramm {code}", short_code=code, **more)  # type: ignore[arg-type]
        return save_program(session, data)


def open_dialog(qtbot: QtBot, tab: BudgetTab, program_id: int) -> ProgramsDialog:
    qtbot.mouseClick(tab.programs_button, Qt.MouseButton.LeftButton)
    dialog = tab.programs_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.select_program(program_id)
    assert dialog.program_id == program_id
    return dialog


def test_budget_with_two_sources_through_the_widgets(
    qtbot: QtBot, tab: BudgetTab, db: Database
) -> None:
    program_id = add_program(db)
    dialog = open_dialog(qtbot, tab, program_id)
    assert dialog.budget_table.rowCount() == 0
    qtbot.mouseClick(dialog.add_budget_button, Qt.MouseButton.LeftButton)
    budget = dialog.budget_dialog
    assert budget is not None and budget.isVisible()
    budget.year_spin.setValue(2028)
    assert not budget.save_button.isEnabled()
    for name, amount in (("Freistaat Thüringen", "419.250,00"), ("Landkreis", "104.812,50")):
        qtbot.mouseClick(budget.add_source_button, Qt.MouseButton.LeftButton)
        name_edit, amount_edit, _remove = budget.source_rows[-1]
        type_text(name_edit, name)
        type_text(amount_edit, amount)
    assert not budget.amount_edit.isEnabled()
    assert budget.total_label.text() == "524.062,50\xa0€"
    assert budget.save_button.isEnabled()
    assert nameless_controls(budget) == []
    qtbot.mouseClick(budget.save_button, Qt.MouseButton.LeftButton)
    assert not budget.isVisible()
    with db.session() as session:
        assert budgets_of(session, program_id) == [
            (2028, 52_406_250, [("Freistaat Thüringen", 41_925_000), ("Landkreis", 10_481_250)])
        ]
    assert dialog.budget_table.item(0, 0).text() == "2028"
    assert dialog.budget_table.item(0, 1).text() == "524.062,50\xa0€"
    assert "Landkreis: 104.812,50\xa0€" in dialog.budget_table.item(0, 2).text()

    qtbot.mouseClick(dialog.close_buttons.buttons()[0], Qt.MouseButton.LeftButton)
    assert tab.programs_dialog is None
    tab.set_year(2028)
    row = next(i for i, r in enumerate(tab.model.rows) if r.program_id == program_id)
    assert tab.model.index(row, 1).data() == "524.062,50\xa0€"


def test_budget_messages_and_source_replaced(qtbot: QtBot, tab: BudgetTab, db: Database) -> None:
    program_id = add_program(db)
    with db.session() as session:
        set_budget(session, program_id, 2027, None, [("Land", 100_00), ("Kreis", 50_00)])
    dialog = open_dialog(qtbot, tab, program_id)
    dialog.budget_table.selectRow(0)
    qtbot.mouseClick(dialog.edit_budget_button, Qt.MouseButton.LeftButton)
    budget = dialog.budget_dialog
    assert budget is not None
    assert not budget.year_spin.isEnabled()
    assert [n.text() for n, _a, _r in budget.source_rows] == ["Land", "Kreis"]
    assert budget.total_label.text() == "150,00\xa0€"
    amount = budget.source_rows[1][1]
    amount.setText("abc")
    assert not budget.save_button.isEnabled()
    assert "kein Geldbetrag" in budget.error_labels["sources"].text()
    qtbot.mouseClick(budget.source_rows[1][2], Qt.MouseButton.LeftButton)
    assert len(budget.source_rows) == 1
    assert budget.save_button.isEnabled()
    qtbot.mouseClick(budget.save_button, Qt.MouseButton.LeftButton)
    with db.session() as session:
        assert budgets_of(session, program_id) == [(2027, 100_00, [("Land", 100_00)])]
    # A new year that is taken is refused.
    qtbot.mouseClick(dialog.add_budget_button, Qt.MouseButton.LeftButton)
    budget = dialog.budget_dialog
    assert budget is not None
    budget.year_spin.setValue(2027)
    budget.amount_edit.setText("10,00")
    assert not budget.save_button.isEnabled()
    assert "2027 gibt es schon ein Budget" in budget.error_labels["year"].text()
    budget.year_spin.setValue(2029)
    assert budget.save_button.isEnabled()
    budget.save()
    assert dialog.budget_table.rowCount() == 2


def test_edit_max_amount(qtbot: QtBot, tab: BudgetTab, db: Database) -> None:
    program_id = add_program(db, max_amount_cents=1_000_000)
    dialog = open_dialog(qtbot, tab, program_id)
    form = dialog.form
    assert form.max_amount_edit.text() == "10.000,00"
    form.max_amount_edit.clear()
    type_text(form.max_amount_edit, "-5")
    assert not form.save_button.isEnabled()
    assert form.error_labels["max_amount"].text() == "Der Höchstbetrag darf nicht negativ sein."
    form.max_amount_edit.clear()
    type_text(form.max_amount_edit, "25.000,50")
    assert form.save_button.isEnabled()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(form.max_amount_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    with db.session() as session:
        assert get_program(session, program_id).max_amount_cents == 2_500_050
    assert form.isVisible() and not form.is_dirty()
    assert form.max_amount_edit.text() == "25.000,50"


def test_new_program_and_unique_code(qtbot: QtBot, tab: BudgetTab, db: Database) -> None:
    add_program(db, "DUP")
    dialog = open_dialog(qtbot, tab, add_program(db, "ABC"))
    qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
    form = dialog.form
    assert form.program_id is None and form.name_edit.text() == ""
    assert not dialog.add_budget_button.isEnabled()
    type_text(form.name_edit, "Neues Förderprogramm")
    type_text(form.code_edit, "dup")
    assert (
        form.error_labels["short_code"].text() == "Das Kürzel „dup“ hat schon ein anderes Programm."
    )
    form.code_edit.clear()
    type_text(form.code_edit, "NEU1")
    type_text(form.max_rate_edit, "80")
    assert form.save_button.isEnabled()
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.program_id is not None
    with db.session() as session:
        program = get_program(session, form.program_id)
        assert (program.name, program.short_code, program.max_rate_bp) == (
            "Neues Förderprogramm",
            "NEU1",
            8000,
        )
    assert dialog.program_list.currentItem().text() == "Neues Förderprogramm (NEU1)"
    assert dialog.add_budget_button.isEnabled()


def test_accessible_names(qtbot: QtBot, tab: BudgetTab, db: Database) -> None:
    program_id = add_program(db)
    assert nameless_controls(tab) == []
    dialog = open_dialog(qtbot, tab, program_id)
    assert nameless_controls(dialog) == []
    dialog.close_dialog()
    assert not dialog.isVisible()
