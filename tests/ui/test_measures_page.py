"""The measures page driven like a user: editor, search, filters, delete, files, memory."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QComboBox, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from integrationsmanager.domain.enums import MeasureStatus
from integrationsmanager.services.measures import (
    MeasureData,
    count_measures,
    get_measure,
    save_measure,
)
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.measures import MeasuresPage
from integrationsmanager.ui.measures.table_model import BUDGET_COLUMN, PAGE_SIZE, TITLE_COLUMN
from tests.ui.helpers import (
    add_measure,
    add_sample_measures,
    guideline_id,
    nameless_controls,
    type_text,
)

Answer = QMessageBox.StandardButton


@pytest.fixture
def page(qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch) -> MeasuresPage:
    # An editor left open with changes asks at teardown; never let that block a test.
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: Answer.Discard)
    widget = MeasuresPage(db)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def shown_titles(page: MeasuresPage) -> list[str]:
    model = page.model
    return [model.index(row, TITLE_COLUMN).data() for row in range(model.rowCount())]


def select_by_title(page: MeasuresPage, title: str) -> int:
    measure_id = page.model.measure_id(shown_titles(page).index(title))
    assert page.select_measure(measure_id)
    return measure_id


def set_combo(combo: QComboBox, data: object) -> None:
    index = combo.findData(data)
    assert index >= 0
    combo.setCurrentIndex(index)


def test_new_measure_through_the_editor_appears_in_the_table(
    page: MeasuresPage, db: Database, qtbot: QtBot
) -> None:
    page.new_button.click()
    editor = page.editor
    assert editor is not None and editor.isVisible()
    set_combo(editor.guideline_combo, guideline_id(db, 8))
    type_text(editor.title_edit, "Interkulturelles Fest im Schlosspark")
    editor.status_combo.setCurrentIndex(editor.status_combo.findData("running"))
    with (
        qtbot.waitSignal(page.data_changed),
        qtbot.waitSignal(page.status_message) as message,
    ):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert message.args == ["Gespeichert"]
    assert page.editor is None
    assert shown_titles(page) == ["Interkulturelles Fest im Schlosspark"]
    assert page.selected_id() is not None
    assert page.details.title_label.text() == "Interkulturelles Fest im Schlosspark"
    assert page.summary_label.text() == "1 Maßnahme"


def test_search_ignores_case_umlauts_and_script(
    page: MeasuresPage, db: Database, qtbot: QtBot
) -> None:
    add_sample_measures(db)
    page.refresh()
    assert len(shown_titles(page)) == 3
    type_text(page.search_edit, "über")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert shown_titles(page) == ["Über den Tellerrand: Elterncafé"]
    assert page.summary_label.text() == "1 von 3 Maßnahmen · Suche „über“"
    page.search_edit.clear()
    type_text(page.search_edit, "ueber")
    qtbot.waitUntil(lambda: page.model.current_filter.search == "ueber")
    assert shown_titles(page) == ["Über den Tellerrand: Elterncafé"]
    page.search_edit.clear()
    type_text(page.search_edit, "освіта")
    qtbot.waitUntil(lambda: page.model.current_filter.search == "освіта")
    assert shown_titles(page) == ["Освіта для всіх – Sprachkurse"]


def test_filters_by_status_guideline_and_year(
    page: MeasuresPage, db: Database, qtbot: QtBot
) -> None:
    add_sample_measures(db)
    page.refresh()
    set_combo(page.status_combo, MeasureStatus.RUNNING.value)
    assert shown_titles(page) == ["Über den Tellerrand: Elterncafé"]
    assert "Status laufend" in page.summary_label.text()
    assert page.reset_button.isVisible()
    page.reset_button.click()
    assert len(shown_titles(page)) == 3
    assert not page.reset_button.isVisible()
    set_combo(page.guideline_combo, guideline_id(db, 2))
    assert shown_titles(page) == ["Освіта для всіх – Sprachkurse"]
    page.reset_filter()
    set_combo(page.year_combo, 2026)
    assert shown_titles(page) == ["Über den Tellerrand: Elterncafé"]
    page.reset_filter()
    page.show_guideline(guideline_id(db, 5))
    assert shown_titles(page) == ["برنامج الإرشاد للنساء"]


def test_edit_the_selected_measure(page: MeasuresPage, db: Database, qtbot: QtBot) -> None:
    add_sample_measures(db)
    page.refresh()
    measure_id = select_by_title(page, "Über den Tellerrand: Elterncafé")
    assert page.edit_button.isEnabled()
    page.edit_button.click()
    editor = page.editor
    assert editor is not None
    assert editor.title_edit.text() == "Über den Tellerrand: Elterncafé"
    editor.title_edit.selectAll()
    type_text(editor.title_edit, "Über den Tellerrand: Elterncafé in Schmölln")
    with qtbot.waitSignal(page.data_changed):
        editor.save_button.click()
    assert "Über den Tellerrand: Elterncafé in Schmölln" in shown_titles(page)
    assert page.selected_id() == measure_id
    assert page.details.title_label.text() == "Über den Tellerrand: Elterncafé in Schmölln"


def test_enter_on_a_row_opens_the_editor(page: MeasuresPage, db: Database, qtbot: QtBot) -> None:
    add_measure(db, "Elterncafé")
    page.refresh()
    select_by_title(page, "Elterncafé")
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert page.editor is not None
    assert page.editor.title_edit.text() == "Elterncafé"


def test_delete_asks_with_the_title_and_removes_the_measure(
    page: MeasuresPage, db: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = add_sample_measures(db)
    page.refresh()
    asked: list[str] = []
    answer = Answer.No

    def question(_parent: object, _title: str, text: str, *_args: object) -> Answer:
        asked.append(text)
        return answer

    monkeypatch.setattr(QMessageBox, "question", question)
    select_by_title(page, "Освіта для всіх – Sprachkurse")
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert "„Освіта для всіх – Sprachkurse“" in asked[0]
    assert len(shown_titles(page)) == 3
    answer = Answer.Yes
    with qtbot.waitSignal(page.status_message) as message:
        page.delete_button.click()
    assert message.args == ["Gelöscht: „Освіта для всіх – Sprachkurse“"]
    assert "Освіта для всіх – Sprachkurse" not in shown_titles(page)
    with db.session() as session:
        assert get_measure(session, ids["освіта"]) is None
    assert page.summary_label.text() == "2 Maßnahmen"
    assert page.selected_id() is not None  # the next row took its place


def test_empty_states_say_what_to_do(page: MeasuresPage, db: Database, qtbot: QtBot) -> None:
    assert page.list_stack.currentWidget() is page.empty_label
    assert page.empty_label.text().startswith("Noch keine Maßnahmen — ")
    assert "Strg+N" in page.empty_label.text()
    add_measure(db, "Elterncafé")
    page.refresh()
    assert page.list_stack.currentWidget() is page.table
    type_text(page.search_edit, "nichtda")
    qtbot.waitUntil(lambda: page.model.current_filter.search == "nichtda")
    assert page.list_stack.currentWidget() is page.empty_label
    assert page.empty_label.text().startswith("Keine Maßnahmen für diesen Filter — ")
    page.empty_label.linkActivated.emit("reset")
    assert shown_titles(page) == ["Elterncafé"]
    assert page.search_edit.text() == ""


def test_progress_entry_from_the_details(page: MeasuresPage, db: Database, qtbot: QtBot) -> None:
    measure_id = add_measure(db, "Elterncafé")
    page.refresh()
    select_by_title(page, "Elterncafé")
    assert not page.details.progress_button.isEnabled()
    type_text(page.details.progress_edit, "Auftakt mit 12 Eltern")
    with qtbot.waitSignal(page.data_changed):
        page.details.progress_button.click()
    assert "Auftakt mit 12 Eltern" in page.details.progress_browser.toPlainText()
    assert page.details.progress_edit.text() == ""
    with db.session() as session:
        measure = get_measure(session, measure_id)
        assert measure is not None
        assert [p.text for p in measure.progress] == ["Auftakt mit 12 Eltern"]


def test_report_writes_the_shown_measures_as_pdf(
    page: MeasuresPage, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_sample_measures(db)
    add_measure(db, "Освіта: Elternabend auf Ukrainisch", guideline=1)
    page.refresh()
    target = tmp_path / "bericht"
    opened: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(target), ""))
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: Answer.Open)
    monkeypatch.setattr(
        QDesktopServices, "openUrl", lambda url: opened.append(QUrl(url).toLocalFile())
    )
    set_combo(page.guideline_combo, guideline_id(db, 1))
    page.report_button.click()
    pdf = tmp_path / "bericht.pdf"
    assert opened == [str(pdf)]
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "Освіта: Elternabend auf Ukrainisch" in text
    assert "Über den Tellerrand: Elterncafé" in text
    assert "Sprachkurse" not in text  # guideline 2: not in the filter


def test_export_takes_exactly_the_current_filter(
    page: MeasuresPage, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_sample_measures(db)
    page.refresh()
    target = tmp_path / "liste.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(target), ""))
    set_combo(page.status_combo, MeasureStatus.PLANNED.value)
    page.export_xlsx_action.trigger()
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["Освіта для всіх – Sprachkurse"]


def test_import_checks_first_then_imports(
    page: MeasuresPage, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "massnahmen.csv"
    source.write_text(
        "Titel;Leitlinie;Status\nSprachpaten;1;laufend\nСпортклуб для всіх;8;geplant\n",
        encoding="utf-8",
    )
    asked: list[str] = []

    def question(_parent: object, _title: str, text: str, *_args: object) -> Answer:
        asked.append(text)
        return Answer.Yes

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a: (str(source), ""))
    monkeypatch.setattr(QMessageBox, "question", question)
    page.import_button.click()
    assert "2 Maßnahmen würden importiert" in asked[0]
    assert sorted(shown_titles(page)) == ["Sprachpaten", "Спортклуб для всіх"]


def test_import_with_errors_lists_them_and_stores_nothing(
    page: MeasuresPage, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "fehler.csv"
    source.write_text("Titel;Leitlinie\n;1\nSprachpaten;99\n", encoding="utf-8")
    warnings: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a: (str(source), ""))
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: pytest.fail("asked to import"))
    page.import_button.click()
    assert "Zeile 2" in warnings[0] and "Zeile 3" in warnings[0]
    with db.session() as session:
        assert count_measures(session) == 0


def test_sort_order_and_column_widths_are_remembered(
    page: MeasuresPage, db: Database, qtbot: QtBot
) -> None:
    add_sample_measures(db)
    page.refresh()
    header = page.table.horizontalHeader()
    header.setSortIndicator(TITLE_COLUMN, Qt.SortOrder.DescendingOrder)
    assert page.model.sort_column == TITLE_COLUMN
    assert shown_titles(page)[-1] == "Über den Tellerrand: Elterncafé"  # "ueber…"
    header.resizeSection(1, 333)
    again = MeasuresPage(db)
    qtbot.addWidget(again)
    again_header = again.table.horizontalHeader()
    assert again_header.sortIndicatorSection() == TITLE_COLUMN
    assert again_header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert again.model.sort_column == TITLE_COLUMN
    assert again.model.sort_order == Qt.SortOrder.DescendingOrder
    assert again_header.sectionSize(1) == 333


def test_clicking_the_budget_header_sorts_by_budget(page: MeasuresPage, db: Database) -> None:
    add_sample_measures(db)
    page.refresh()
    header = page.table.horizontalHeader()
    header.setSortIndicator(BUDGET_COLUMN, Qt.SortOrder.DescendingOrder)
    assert shown_titles(page)[0] == "Über den Tellerrand: Elterncafé"
    assert header.sortIndicatorSection() == BUDGET_COLUMN


def test_table_fetches_only_what_it_shows(page: MeasuresPage, db: Database) -> None:
    guideline = guideline_id(db, 1)
    with db.session() as session:
        for number in range(3 * PAGE_SIZE):
            save_measure(
                session,
                MeasureData(title=f"Maßnahme {number}", guideline_id=guideline),
            )
    page.refresh()
    page.table.viewport().repaint()
    assert page.model.rowCount() == 3 * PAGE_SIZE
    assert 0 < page.model.cached_rows <= PAGE_SIZE


def test_every_visible_control_has_an_accessible_name(page: MeasuresPage, db: Database) -> None:
    assert nameless_controls(page) == []  # empty state
    add_sample_measures(db)
    page.refresh()
    select_by_title(page, "Über den Tellerrand: Elterncafé")
    assert page.details.isVisible()
    assert nameless_controls(page) == []
    set_combo(page.year_combo, date.today().year + 4)
    assert nameless_controls(page) == []


def test_can_close_asks_about_an_editor_with_changes(
    page: MeasuresPage, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert page.can_close()
    editor = page.new_record()
    type_text(editor.title_edit, "Entwurf")
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: Answer.Cancel)
    assert not page.can_close()
    assert editor.isVisible()
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: Answer.Discard)
    assert page.can_close()
    assert page.editor is None


def test_selecting_a_row_enables_edit_and_delete(page: MeasuresPage, db: Database) -> None:
    add_sample_measures(db)
    page.refresh()
    page.table.clearSelection()
    assert not page.edit_button.isEnabled()
    page.table.selectRow(1)
    assert page.edit_button.isEnabled() and page.delete_button.isEnabled()
