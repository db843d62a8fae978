"""The funding page driven like a user: editor, the grant's path, budget, deadlines."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QMessageBox,
    QTableWidget,
    QToolTip,
    QWidget,
)
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from integrationsmanager.domain.enums import GrantStatus, PaymentStatus
from integrationsmanager.domain.money import format_money
from integrationsmanager.services.budgets import budget_overview
from integrationsmanager.services.grants import (
    GrantData,
    get_grant,
    program_by_code,
    save_grant,
    transition,
)
from integrationsmanager.services.organisations import OrganisationData, save_organisation
from integrationsmanager.services.persons import PersonData, save_person
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.funding import FundingPage
from integrationsmanager.ui.funding.action_dialog import ActionDialog
from integrationsmanager.ui.funding.chart import BAR_WIDTH
from integrationsmanager.ui.funding.steps import action_spec
from integrationsmanager.ui.widgets.focus import tab_stops
from tests.ui.helpers import add_measure, nameless_controls

TODAY = date(2026, 11, 25)
Answer = QMessageBox.StandardButton


@pytest.fixture
def page(qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch) -> FundingPage:
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: Answer.Discard)
    widget = FundingPage(db, today=TODAY)
    qtbot.addWidget(widget)
    widget.resize(1300, 850)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def add_recipient(db: Database, name: str = "Arbeiterwohlfahrt Altenburg e. V.") -> int:
    with db.session() as session:
        return save_organisation(session, OrganisationData(name=name)).id


def add_grant(
    db: Database, *, code: str = "MIK", year: int = 2026, requested: int = 120_000, **more: object
) -> int:
    recipient = add_recipient(db, f"Verein {code} {year} {requested}")
    with db.session() as session:
        program = program_by_code(session, code)
        assert program is not None
        data = GrantData(
            program_id=program.id,
            budget_year=year,
            recipient_id=recipient,
            project_title="Sprachcafé für Eltern",
            requested_cents=requested,
            **more,  # type: ignore[arg-type]
        )
        return save_grant(session, data).grant.id


def status_of(db: Database, grant_id: int) -> GrantStatus:
    with db.session() as session:
        grant = get_grant(session, grant_id)
        assert grant is not None
        return GrantStatus(grant.status)


def cell(table: QTableWidget, row: int, column: int) -> str:
    return str(table.model().index(row, column).data())


def act(page: FundingPage, to: GrantStatus, amount: str = "") -> ActionDialog:
    """Press the action button for ``to``, fill the dialog and press OK."""
    page.grants.details.action_buttons[to].click()
    dialog = page.grants.details.dialog
    assert dialog is not None
    if amount:
        assert dialog.amount_edit is not None
        dialog.amount_edit.setText(amount)
    if action_spec(to).note_required:
        dialog.note_edit.setPlainText("Projekt entfällt")
    assert dialog.ok_button.isEnabled(), dialog.message.text()
    dialog.ok_button.click()
    return dialog


def test_new_grant_through_the_editor(page: FundingPage, db: Database, qtbot: QtBot) -> None:
    add_recipient(db, "Українська громада Альтенбург")
    page.refresh()
    editor = page.new_record()
    assert not editor.save_button.isEnabled()
    editor.program_combo.setCurrentIndex(
        editor.program_combo.findText("Mikroförderung für Vereine")
    )
    editor.recipient_combo.setCurrentIndex(
        editor.recipient_combo.findText("Українська громада Альтенбург")
    )
    editor.title_edit.setText("Nähcafé für Frauen")
    editor.amount_edits["requested"].setText("1.200,5")
    assert editor.save_button.isEnabled(), editor.hint_label.text()
    editor.amount_edits["total_cost"].setText("1.000")
    assert not editor.save_button.isEnabled()
    assert "übersteigt die Gesamtkosten" in editor.error_labels["requested"].text()
    editor.amount_edits["total_cost"].setText("2.000,00")
    with qtbot.waitSignal(page.status_message) as message:
        editor.save_button.click()
    assert message.args == ["Gespeichert: MIK-2026-001"]
    assert page.grants.summary_label.text() == "1 Zuwendung"
    details = page.grants.details
    assert details.grant is not None and details.grant.requested == 120_050
    assert details.heading.text() == "MIK-2026-001 · Nähcafé für Frauen"
    assert set(details.action_buttons) == {GrantStatus.RECEIVED, GrantStatus.WITHDRAWN}


def test_walk_the_path_to_a_payment(page: FundingPage, db: Database) -> None:
    grant_id = add_grant(db)
    page.refresh()
    assert page.show_grant(grant_id)
    details = page.grants.details
    assert "●&nbsp;Entwurf" in details.path_label.text()
    act(page, GrantStatus.RECEIVED)
    act(page, GrantStatus.IN_REVIEW)
    assert set(details.action_buttons) == {
        GrantStatus.APPROVED,
        GrantStatus.REJECTED,
        GrantStatus.WITHDRAWN,
    }
    assert not details.decision_button.isVisible()
    act(page, GrantStatus.APPROVED, "1.000,00")
    assert status_of(db, grant_id) == GrantStatus.APPROVED
    assert "<b><u>●&nbsp;bewilligt</u></b>" in details.path_label.text()
    assert details.path_label.accessibleName() == "Stand: bewilligt, Schritt 4 von 9"
    assert set(details.action_buttons) == {GrantStatus.PAYING}
    pay = details.action_buttons[GrantStatus.PAYING]
    assert tab_stops(page).index(pay) + 1 == tab_stops(page).index(details.decision_button)
    assert details.decision_button.isVisible()
    dialog = act(page, GrantStatus.PAYING, "400,00")
    assert not dialog.isVisible()
    assert status_of(db, grant_id) == GrantStatus.PAYING
    text = details.amounts_label.accessibleName()
    assert "Bewilligt 1.000,00\xa0€" in text and "Ausgezahlt 400,00\xa0€" in text
    assert "Offen 600,00\xa0€" in text
    assert set(details.action_buttons) == {
        GrantStatus.PAYING,
        GrantStatus.PROOF_DUE,
        GrantStatus.REPAYMENT,
    }
    history = details.history_table
    assert history.rowCount() == 5
    assert [cell(history, r, 3) for r in range(5)] == [
        "Entwurf",
        "eingegangen",
        "in Prüfung",
        "bewilligt",
        "Auszahlung",
    ]
    assert cell(history, 4, 1) == "testnutzer"
    assert details.payments_table.rowCount() == 1
    assert cell(details.payments_table, 0, 1) == "400,00\xa0€"


def test_a_refused_payment_keeps_the_dialog_open(page: FundingPage, db: Database) -> None:
    grant_id = add_grant(db)
    with db.session() as session:
        transition(session, grant_id, GrantStatus.RECEIVED, on=date(2026, 3, 1))
        transition(session, grant_id, GrantStatus.IN_REVIEW)
        transition(
            session, grant_id, GrantStatus.APPROVED, amount_cents=50_000, on=date(2026, 4, 1)
        )
    page.refresh()
    page.show_grant(grant_id)
    dialog = act(page, GrantStatus.PAYING, "600,00")
    assert dialog.isVisible()
    assert "übersteigen den bewilligten Betrag" in dialog.message.text()
    assert status_of(db, grant_id) == GrantStatus.APPROVED
    dialog.reject()


@pytest.mark.parametrize("confirm", [True, False])
def test_over_budget_asks_with_the_numbers(
    page: FundingPage, db: Database, monkeypatch: pytest.MonkeyPatch, confirm: bool
) -> None:
    grant_id = add_grant(db, year=2030)
    with db.session() as session:
        transition(session, grant_id, GrantStatus.RECEIVED, on=date(2026, 3, 1))
        transition(session, grant_id, GrantStatus.IN_REVIEW)
    asked: list[str] = []

    def question(_parent: QWidget, title: str, text: str, *_args: object) -> Answer:
        asked.append(f"{title}: {text}")
        return Answer.Yes if confirm else Answer.No

    monkeypatch.setattr(QMessageBox, "question", question)
    page.refresh()
    page.show_grant(grant_id)
    dialog = act(page, GrantStatus.APPROVED, "1.200,00")
    assert len(asked) == 1
    assert asked[0].startswith("Budget überschritten")
    assert "1.200,00\xa0€" in asked[0] and "für 2030" in asked[0]
    if confirm:
        assert status_of(db, grant_id) == GrantStatus.APPROVED
        assert not dialog.isVisible()
    else:
        assert status_of(db, grant_id) == GrantStatus.IN_REVIEW
        assert dialog.isVisible() and "Betrag anpassen" in dialog.message.text()
        dialog.reject()


def test_budget_tab_shows_the_service_numbers(
    page: FundingPage, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    grant_id = add_grant(db)
    with db.session() as session:
        transition(session, grant_id, GrantStatus.RECEIVED, on=date(2026, 3, 1))
        transition(session, grant_id, GrantStatus.IN_REVIEW)
        transition(
            session, grant_id, GrantStatus.APPROVED, amount_cents=100_000, on=date(2026, 4, 1)
        )
        transition(session, grant_id, GrantStatus.PAYING, amount_cents=25_000, on=date(2026, 5, 1))
        rows = budget_overview(session, 2026)
    page.refresh()
    budget = page.budget
    page.tabs.setCurrentWidget(budget)
    assert budget.year == 2026
    model = budget.model
    assert model.rowCount() == len(rows) + 1
    for row, expected in enumerate(rows):
        cells = [model.index(row, c).data() for c in range(5)]
        assert cells == [
            expected.program,
            format_money(expected.budget_cents),
            format_money(expected.approved_cents),
            format_money(expected.paid_cents),
            format_money(expected.remaining_cents),
        ]
    mik = next(i for i, r in enumerate(rows) if r.short_code == "MIK")
    assert model.index(mik, 2).data() == "1.000,00\xa0€"
    assert model.index(mik, 3).data() == "250,00\xa0€"
    total = model.index(len(rows), 1).data()
    assert total == format_money(sum(r.budget_cents for r in rows))
    chart = budget.chart
    assert chart.bar_heights(0) == [r.budget_cents / 100 for r in rows]
    assert chart.bar_heights(1) == [r.approved_cents / 100 for r in rows]
    assert chart.bar_heights(2) == [r.paid_cents / 100 for r in rows]
    assert chart.bar_at(QPointF(mik - BAR_WIDTH, 100)) == (mik, 0)
    assert chart.bar_at(QPointF(mik, 100)) == (mik, 1)
    assert chart.describe_bar(mik, 1) == "MIK · Bewilligt: 1.000,00\xa0€"
    scene_point = chart.plot_widget.getPlotItem().getViewBox().mapViewToScene(QPointF(mik, 500))
    shown: list[str] = []
    monkeypatch.setattr(QToolTip, "showText", lambda _pos, text, *_a: shown.append(text))
    chart._on_scene_mouse_moved(scene_point)
    assert shown == ["MIK · Bewilligt: 1.000,00\xa0€"]
    budget.set_year(2030)
    assert all(model.index(r, 2).data() == "0,00\xa0€" for r in range(model.rowCount()))


def test_chart_saved_and_copied(
    page: FundingPage, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "budget"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(target), ""))
    page.tabs.setCurrentWidget(page.budget)
    page.budget.save_button.click()
    assert (tmp_path / "budget.png").stat().st_size > 0
    page.budget.copy_button.click()
    assert not QApplication.clipboard().pixmap().isNull()


def test_deadline_opens_its_grant(page: FundingPage, db: Database, qtbot: QtBot) -> None:
    grant_id = add_grant(db)
    with db.session() as session:
        transition(session, grant_id, GrantStatus.RECEIVED, on=date(2026, 9, 1))
    other = add_grant(db, requested=50_000)
    page.refresh()
    page.grants.show_grant(other)
    page.tabs.setCurrentWidget(page.deadlines)
    model = page.deadlines.model
    assert model.rowCount() == 1
    assert [model.index(0, c).data() for c in range(4)] == [
        "Entscheidung ausstehend",
        "01.10.2026",
        "55 Tage",
        "MIK-2026-001",
    ]
    table = page.deadlines.table
    table.setFocus()
    table.setCurrentIndex(model.index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert page.tabs.currentWidget() is page.grants
    assert page.grants.selected_id() == grant_id


def test_decision_letter(
    page: FundingPage, db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    grant_id = add_grant(db)
    with db.session() as session:
        transition(session, grant_id, GrantStatus.RECEIVED, on=date(2026, 3, 1))
        transition(session, grant_id, GrantStatus.IN_REVIEW)
        transition(
            session, grant_id, GrantStatus.APPROVED, amount_cents=100_000, on=date(2026, 4, 1)
        )
    opened: list[str] = []
    target = tmp_path / "Bescheid.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(target), ""))
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    page.refresh()
    page.show_grant(grant_id)
    page.grants.details.decision_button.click()
    assert target.read_bytes().startswith(b"%PDF")
    assert opened == [str(target)]
    assert isinstance(QUrl.fromLocalFile(str(target)), QUrl)


def test_filters_and_search(page: FundingPage, db: Database, qtbot: QtBot) -> None:
    add_grant(db)
    add_grant(db, code="SSR", requested=300_000)
    page.refresh()
    grants = page.grants
    assert grants.summary_label.text() == "2 Zuwendungen"
    grants.program_combo.setCurrentIndex(grants.program_combo.findText("Sozialstrategierichtlinie"))
    assert grants.model.rowCount() == 1
    assert "1 von 2 Zuwendungen" in grants.summary_label.text()
    grants.status_combo.setCurrentIndex(grants.status_combo.findText("bewilligt"))
    assert grants.list_stack.currentWidget() is grants.empty_label
    grants.reset_filter()
    assert grants.recipient_combo.count() == 1  # "alle" until the user reaches for it
    grants.recipient_combo.ensure_loaded()
    grants.recipient_combo.setCurrentIndex(
        grants.recipient_combo.findText("Verein SSR 2026 300000")
    )
    assert grants.model.rowCount() == 1
    assert "Empfänger Verein SSR 2026 300000" in grants.summary_label.text()
    grants.reset_filter()
    grants.search_edit.setText("MIK-2026")
    qtbot.waitUntil(lambda: grants.model.rowCount() == 1)


def test_every_control_has_a_name(page: FundingPage, db: Database) -> None:
    grant_id = add_grant(db)
    page.refresh()
    page.show_grant(grant_id)
    assert nameless_controls(page) == []
    for tab in (page.budget, page.deadlines):
        page.tabs.setCurrentWidget(tab)
        assert nameless_controls(page) == []
    page.tabs.setCurrentWidget(page.grants)
    page.grants.details.action_buttons[GrantStatus.RECEIVED].click()
    dialog = page.grants.details.dialog
    assert dialog is not None
    assert nameless_controls(dialog) == []
    dialog.reject()
    editor = page.new_record()
    assert nameless_controls(editor) == []
    editor.reject()


def test_models(page: FundingPage, db: Database, qtmodeltester: ModelTester) -> None:
    grant_id = add_grant(db)
    with db.session() as session:
        transition(session, grant_id, GrantStatus.RECEIVED, on=date(2026, 1, 5))
    page.refresh()
    qtmodeltester.check(page.grants.model)
    qtmodeltester.check(page.budget.model)
    qtmodeltester.check(page.deadlines.model)


def test_edit_a_grant(page: FundingPage, db: Database, qtbot: QtBot) -> None:
    grant_id = add_grant(db)
    page.refresh()
    page.show_grant(grant_id)
    page.grants.details.edit_button.click()
    editor = page.grants.editor
    assert editor is not None
    assert editor.amount_edits["requested"].text() == "1.200,00"
    editor.title_edit.setText("Sprachcafé für Eltern und Kinder")
    with qtbot.waitSignal(page.data_changed):
        editor.save_button.click()
    assert page.grants.details.heading.text() == "MIK-2026-001 · Sprachcafé für Eltern und Kinder"


def test_editor_round_trips_every_field(page: FundingPage, db: Database, qtbot: QtBot) -> None:
    grant_id = add_grant(db)
    measure_id = add_measure(db, "Elterncafé am Markt")
    with db.session() as session:
        person_id = save_person(session, PersonData(first_name="Olena", last_name="Koval")).id
    page.refresh()
    page.show_grant(grant_id)
    page.grants.details.edit_button.click()
    editor = page.grants.editor
    assert editor is not None
    assert editor.guideline_ids() == []
    editor.contact_combo.setCurrentIndex(editor.contact_combo.findData(person_id))
    editor.measure_combo.setCurrentIndex(editor.measure_combo.findData(measure_id))
    editor.received_edit.set_value(date(2026, 3, 2))
    first, third = editor.guideline_list.item(0), editor.guideline_list.item(2)
    first.setCheckState(Qt.CheckState.Checked)
    third.setCheckState(Qt.CheckState.Checked)
    chosen = [first.data(Qt.ItemDataRole.UserRole), third.data(Qt.ItemDataRole.UserRole)]
    assert nameless_controls(editor) == []
    with qtbot.waitSignal(page.data_changed):
        editor.save_button.click()
    with db.session() as session:
        data = GrantData.from_grant(get_grant(session, grant_id))  # type: ignore[arg-type]
    assert data.contact_person_id == person_id
    assert data.measure_id == measure_id
    assert data.received_on == date(2026, 3, 2)
    assert sorted(data.guideline_ids) == sorted(chosen)

    page.grants.details.edit_button.click()
    editor = page.grants.editor
    assert editor is not None
    assert editor.contact_combo.currentText() == "Koval, Olena"
    assert editor.measure_combo.currentText() == "Elterncafé am Markt"
    assert editor.received_edit.value() == date(2026, 3, 2)
    assert sorted(editor.guideline_ids()) == sorted(chosen)
    editor.measure_combo.setEditText("gibt es nicht")
    assert not editor.save_button.isEnabled()
    editor.measure_combo.setEditText("")
    editor.contact_combo.setEditText("")
    assert editor.save_button.isEnabled(), editor.hint_label.text()
    with qtbot.waitSignal(page.data_changed):
        editor.save_button.click()
    with db.session() as session:
        data = GrantData.from_grant(get_grant(session, grant_id))  # type: ignore[arg-type]
    assert data.contact_person_id is None and data.measure_id is None


def test_delete_a_draft(
    page: FundingPage, db: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft = add_grant(db)
    received = add_grant(db, code="MIK", requested=50_000)
    with db.session() as session:
        transition(session, received, GrantStatus.RECEIVED, on=TODAY)
    page.refresh()
    grants = page.grants
    assert page.show_grant(received)
    assert not grants.delete_button.isEnabled()
    assert "nur Entwürfe" in grants.delete_button.toolTip()
    assert page.show_grant(draft)
    assert grants.delete_button.isEnabled()
    asked: list[str] = []

    def answer(_parent: QWidget, _title: str, text: str, *_args: object) -> Answer:
        asked.append(text)
        return Answer.No

    monkeypatch.setattr(QMessageBox, "question", answer)
    grants.delete_button.click()
    assert "MIK-2026-001" in asked[0]
    assert status_of(db, draft) == GrantStatus.DRAFT
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: Answer.Yes)
    grants.table.setFocus()
    with qtbot.waitSignal(page.data_changed):
        qtbot.keyClick(grants.table, Qt.Key.Key_Delete)
    with db.session() as session:
        assert get_grant(session, draft) is None
    assert grants.summary_label.text() == "1 Zuwendung"


def test_export_and_report_follow_the_filter(
    page: FundingPage, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_grant(db)
    add_grant(db, year=2025)
    page.refresh()
    grants = page.grants
    assert not grants.report_button.isEnabled()
    assert "Jahr wählen" in grants.report_button.toolTip()
    assert nameless_controls(page) == []
    year_actions = [a for (_s, scope), a in grants.export_actions.items() if scope == "year"]
    assert not any(a.isEnabled() for a in year_actions)
    target = tmp_path / "alle.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(target), ""))
    grants.export_actions[(".csv", "all")].trigger()
    assert target.read_text(encoding="utf-8-sig").count("MIK-") == 2

    grants.year_combo.setCurrentIndex(grants.year_combo.findData(2026))
    assert grants.report_button.isEnabled()
    assert grants.export_actions[(".xlsx", "year")].text().startswith("Zuwendungen des Jahres 2026")
    target = tmp_path / "2026.csv"
    grants.export_actions[(".csv", "year")].trigger()
    assert target.read_text(encoding="utf-8-sig").count("MIK-") == 1

    report = tmp_path / "Förderübersicht.pdf"
    opened: list[QUrl] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(report), ""))

    def open_url(url: QUrl) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    grants.report_button.click()
    assert report.stat().st_size > 0
    assert opened == [QUrl.fromLocalFile(str(report))]


def test_plan_and_move_tranches(
    page: FundingPage, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    grant_id = add_grant(db)
    page.refresh()
    assert page.show_grant(grant_id)
    details = page.grants.details
    assert not details.plan_button.isEnabled()
    assert "nach der Bewilligung" in details.plan_button.toolTip()
    act(page, GrantStatus.RECEIVED)
    act(page, GrantStatus.IN_REVIEW)
    act(page, GrantStatus.APPROVED, "1.000,00")
    assert details.plan_button.isEnabled()
    assert nameless_controls(details) == []

    def plan(amount: str) -> None:
        details.plan_button.click()
        dialog = details.dialog
        assert dialog is not None and dialog.amount_edit is not None
        dialog.amount_edit.setText(amount)
        dialog.ok_button.click()

    plan("600,00")
    plan("300,00")
    table = details.payments_table
    assert table.rowCount() == 2
    assert [cell(table, r, 2) for r in range(2)] == ["geplant", "geplant"]
    buttons = details.tranche_buttons
    assert not any(b.isEnabled() for b in buttons.values())
    plan("200,00")  # more than is left: refused, the dialog stays open
    dialog = details.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.reject()
    assert table.rowCount() == 2

    table.selectRow(0)
    assert all(b.isEnabled() for b in buttons.values())
    buttons[PaymentStatus.INSTRUCTED].click()
    assert cell(table, 0, 2) == "angewiesen"
    table.selectRow(0)
    assert not buttons[PaymentStatus.INSTRUCTED].isEnabled()
    buttons[PaymentStatus.PAID].click()
    dialog = details.dialog
    assert dialog is not None
    dialog.ok_button.click()
    assert cell(table, 0, 2) == "ausgezahlt"
    assert status_of(db, grant_id) == GrantStatus.PAYING
    assert "Ausgezahlt 600,00\xa0€" in details.amounts_label.accessibleName()
    assert "●&nbsp;Auszahlung" in details.path_label.text()
    table.selectRow(0)
    assert not any(b.isEnabled() for b in buttons.values())

    monkeypatch.setattr(QMessageBox, "question", lambda *_args: Answer.Yes)
    table.selectRow(1)
    buttons[PaymentStatus.CANCELLED].click()
    assert cell(table, 1, 2) == "storniert"
