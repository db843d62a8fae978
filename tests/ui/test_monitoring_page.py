"""The monitoring page driven like a user: the seeded indicators, charts, values, editor,
import of long files and real GENESIS tables, export, deleting, accessibility."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from integrationsmanager.domain.monitoring import IndicatorValue
from integrationsmanager.services.indicator_io import read_statistics_table
from integrationsmanager.services.indicators import (
    delete_indicator,
    find_indicator,
    list_indicators,
    values_of,
)
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.monitoring import MonitoringPage
from integrationsmanager.ui.monitoring.editor import IndicatorEditor
from integrationsmanager.ui.monitoring.import_dialog import IndicatorImportDialog
from integrationsmanager.ui.monitoring.list_model import LATEST, NAME, TARGET, YEAR
from integrationsmanager.ui.monitoring.value_dialog import ValueDialog
from integrationsmanager.ui.monitoring.wide_mapping import NEW_INDICATOR
from integrationsmanager.ui.monitoring.wide_suggest import suggest_mapping
from integrationsmanager.ui.widgets.focus import tab_stops
from tests.conftest import REAL_FIXTURES
from tests.ui.helpers import guideline_id, nameless_controls, type_text

POPULATION = "Einwohnerinnen und Einwohner"
FOREIGNERS = "Ausländische Staatsangehörige"
STATISTICS = REAL_FIXTURES / "statistics-csv"
DISTRICTS = STATISTICS / "regionalstatistik-12411-01-01-4-bevoelkerung-kreise-2018.csv"
AGES = STATISTICS / "genesis-destatis-12411-0005-bevoelkerung-altersjahre.csv"
Answer = QMessageBox.StandardButton


class Questions:
    """Stands in for QMessageBox.question: records each question, gives ``answer``."""

    def __init__(self, answer: QMessageBox.StandardButton) -> None:
        self.answer = answer
        self.asked: list[str] = []

    def __call__(self, _parent: object, _title: str, text: str, *_args: object) -> Any:
        self.asked.append(text)
        return self.answer


@pytest.fixture
def questions(monkeypatch: pytest.MonkeyPatch) -> Questions:
    found = Questions(Answer.Yes)
    monkeypatch.setattr(QMessageBox, "question", found)
    return found


@pytest.fixture
def page(qtbot: QtBot, db: Database, questions: Questions) -> MonitoringPage:
    widget = MonitoringPage(db)
    qtbot.addWidget(widget)
    widget.resize(1300, 850)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def indicator_id(db: Database, name: str) -> int:
    with db.session() as session:
        found = find_indicator(session, name)
        assert found is not None
        return found.id


def stored_values(db: Database, name: str) -> list[tuple[int, date | None, str, Decimal, bool]]:
    with db.session() as session:
        return [
            (v.year, v.reference_date, v.breakdown_value, v.value, v.is_forecast)
            for v in values_of(session, indicator_id(db, name))
        ]


def list_row(page: MonitoringPage, name: str) -> dict[int, str]:
    proxy = page.proxy
    for row in range(proxy.rowCount()):
        if proxy.index(row, NAME).data() == name:
            return {c: str(proxy.index(row, c).data()) for c in range(proxy.columnCount())}
    raise AssertionError(f"{name} not listed")


def listed_names(page: MonitoringPage) -> list[str]:
    return [page.proxy.index(r, NAME).data() for r in range(page.proxy.rowCount())]


def open_value_dialog(page: MonitoringPage, qtbot: QtBot) -> ValueDialog:
    dialog = page.details.add_value()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def open_import(page: MonitoringPage, qtbot: QtBot, path: Path) -> IndicatorImportDialog:
    dialog = page.open_import(path)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def long_csv(path: Path, rows: list[str], encoding: str = "cp1252") -> Path:
    """A long-layout file as a statistics office wraps it: title above, © below, ``;``."""
    lines = [
        "Kennzahlen Landkreis Altenburger Land;;;;",
        "Stand: Testdaten;;;;",
        "",
        "Kennzahl;Ausprägung;Jahr;Wert;Einheit;Prognose;Quelle",
        *rows,
        "__________",
        "© Landratsamt Altenburger Land",
    ]
    path.write_bytes("\r\n".join(lines).encode(encoding))
    return path


# --- the list -----------------------------------------------------------------------------


def test_seeded_indicators_are_listed_with_german_numbers(page: MonitoringPage) -> None:
    population = list_row(page, POPULATION)
    assert population[LATEST] == "89.000 Personen"  # the 2035 forecast is not "latest"
    assert population[YEAR] == "2023"
    foreigners = list_row(page, FOREIGNERS)
    assert foreigners[LATEST] == "7.400 Personen"
    assert foreigners[YEAR] == "2024"
    assert list_row(page, "Anteil der über 65-Jährigen")[LATEST] == "28 %"
    assert list_row(page, "Armutsgefährdungsquote")[LATEST] == "20 %"
    assert page.summary_label.text() == "7 Kennzahlen"
    ModelTester(None).check(page.model)  # type: ignore[arg-type]


def test_search_and_guideline_filter(page: MonitoringPage, db: Database, qtbot: QtBot) -> None:
    type_text(page.search_edit, "auslän")
    qtbot.waitUntil(lambda: listed_names(page) == [FOREIGNERS])
    assert page.summary_label.text() == "1 von 7 Kennzahlen"
    assert page.reset_button.isVisible()
    page.reset_filter()
    page.guideline_combo.setCurrentIndex(page.guideline_combo.findData(guideline_id(db, 1)))
    assert listed_names(page) == ["Kinder und Jugendliche unter den Zugewanderten"]
    page.search_edit.setText("gibt es nicht")
    qtbot.waitUntil(lambda: page.list_stack.currentWidget() is page.empty_label)
    assert "Filter zurücksetzen" in page.empty_label.text()
    assert page.details.stack.currentWidget() is page.details.placeholder


def test_sorting_by_value_sorts_numbers(page: MonitoringPage) -> None:
    page.table.sortByColumn(LATEST, Qt.SortOrder.DescendingOrder)
    assert listed_names(page)[:2] == [POPULATION, FOREIGNERS]


# --- the charts ---------------------------------------------------------------------------


def test_breakdown_bars_of_foreign_nationals(page: MonitoringPage, db: Database) -> None:
    assert page.show_indicator(indicator_id(db, FOREIGNERS))
    details = page.details
    assert details.heading.text() == FOREIGNERS
    assert not details.bar_box.isHidden()
    assert details.bar_chart.categories == ["Ukraine", "Syrien", "Afghanistan"]
    assert details.bar_chart.bar_values(0) == [2888.0, 1003.0, 504.0]
    assert "Staatsangehörigkeit" in details.facts_label.text()
    assert details.time_chart.actual_points() == [(2024.0, 7400.0)]
    assert details.year_combo.currentText() == "2024"


def test_population_draws_the_forecast_dashed(page: MonitoringPage, db: Database) -> None:
    page.show_indicator(indicator_id(db, POPULATION))
    chart = page.details.time_chart
    assert chart.actual_points() == [(2000.0, 108000.0), (2023.0, 89000.0)]
    assert chart.forecast_points() == [(2035.0, 80000.0)]
    assert chart.forecast_bridge() == [(2023.0, 89000.0), (2035.0, 80000.0)]
    assert page.details.bar_box.isHidden()  # no breakdown
    model = page.details.values_model
    assert [row.cells()[:4] for row in model.rows] == [
        ("2035", "Gesamt", "80.000", "Prognose"),
        ("2023", "Gesamt", "89.000", ""),
        ("2000", "Gesamt", "108.000", ""),
    ]
    ModelTester(None).check(model)  # type: ignore[arg-type]


# --- values -------------------------------------------------------------------------------


def test_adding_a_value_stores_it_and_the_chart_gets_a_point(
    page: MonitoringPage, db: Database, qtbot: QtBot
) -> None:
    page.show_indicator(indicator_id(db, POPULATION))
    dialog = open_value_dialog(page, qtbot)
    dialog.year_spin.setValue(2024)
    type_text(dialog.value_edit, "88.512")
    dialog.source_edit.setText("Thüringer Landesamt für Statistik")
    assert dialog.save_button.isEnabled(), dialog.hint_label.text()
    with qtbot.waitSignal(page.status_message) as message:
        dialog.save_button.click()
    assert message.args == ["Wert gespeichert"]
    assert (2024, None, "", Decimal("88512"), False) in stored_values(db, POPULATION)
    assert (2024.0, 88512.0) in page.details.time_chart.actual_points()
    assert list_row(page, POPULATION)[LATEST] == "88.512 Personen"
    assert page.details.selected_value_id() is not None


def test_a_forecast_and_a_dated_breakdown_value(
    page: MonitoringPage, db: Database, qtbot: QtBot
) -> None:
    page.show_indicator(indicator_id(db, FOREIGNERS))
    dialog = open_value_dialog(page, qtbot)
    dialog.year_spin.setValue(2030)
    dialog.value_edit.setText("9.000,5")
    dialog.forecast_check.setChecked(True)
    dialog.save_button.click()
    assert (2030.0, 9000.5) in page.details.time_chart.forecast_points()
    assert (2030.0, 9000.5) not in page.details.time_chart.actual_points()

    dialog = open_value_dialog(page, qtbot)
    dialog.date_edit.set_box.setChecked(True)
    dialog.date_edit.date_edit.setDate(date(2025, 6, 30))
    assert dialog.year_spin.value() == 2025 and not dialog.year_spin.isEnabled()
    dialog.breakdown_combo.set_text("Україна")
    dialog.value_edit.setText("3100")
    dialog.save_button.click()
    assert (2025, date(2025, 6, 30), "Україна", Decimal("3100"), False) in stored_values(
        db, FOREIGNERS
    )
    assert page.details.year_combo.currentText() == "2025"
    assert page.details.bar_chart.categories == ["Україна"]


def test_invalid_value_shows_the_german_message_at_the_field(
    page: MonitoringPage, db: Database, qtbot: QtBot
) -> None:
    page.show_indicator(indicator_id(db, POPULATION))
    dialog = open_value_dialog(page, qtbot)
    type_text(dialog.value_edit, "viele")
    label = dialog.error_labels["value"]
    assert label.isVisible()
    assert label.text() == "Wert: „viele“ ist keine Zahl (z. B. 1.234,5)."
    assert not dialog.save_button.isEnabled()
    dialog.value_edit.setText("90000")
    dialog.year_spin.setValue(2023)  # 2023 already has 89.000
    assert dialog.save_button.isEnabled()
    dialog.save_button.click()
    assert dialog.isVisible()
    assert "schon ein Wert eingetragen (89.000)" in dialog.error_labels["year"].text()
    assert dialog.error_labels["year"].isVisible()
    dialog.discard()


def test_editing_and_deleting_a_value_asks(
    page: MonitoringPage, db: Database, qtbot: QtBot, questions: Questions
) -> None:
    page.show_indicator(indicator_id(db, POPULATION))
    details = page.details
    details.values_view.selectRow(1)  # 2023
    details.value_edit_button.click()
    dialog = details.dialog
    assert dialog is not None
    assert dialog.value_edit.text() == "89.000"
    dialog.value_edit.setText("89.100")
    dialog.save_button.click()
    assert (2023, None, "", Decimal("89100"), False) in stored_values(db, POPULATION)

    questions.answer = Answer.No
    details.values_view.selectRow(details.values_model.row_of(details.selected_value_id() or 0))
    details.values_view.setFocus()
    qtbot.keyClick(details.values_view, Qt.Key.Key_Delete)
    assert questions.asked[-1].startswith("Den Wert 89.100 (2023) der Kennzahl")
    assert len(stored_values(db, POPULATION)) == 3
    questions.answer = Answer.Yes
    details.value_delete_button.click()
    assert [v[0] for v in stored_values(db, POPULATION)] == [2000, 2035]
    assert (2023.0, 89100.0) not in details.time_chart.actual_points()


# --- indicators ---------------------------------------------------------------------------


def test_new_indicator_through_the_editor(page: MonitoringPage, db: Database, qtbot: QtBot) -> None:
    editor = page.new_record()
    qtbot.waitExposed(editor)
    assert not editor.save_button.isEnabled()
    type_text(editor.name_edit, "Sprachkursplätze für Geflüchtete")
    editor.unit_edit.setText("Plätze")
    editor.direction_combo.setCurrentIndex(editor.direction_combo.findText("Höher ist besser"))
    editor.target_value_edit.setText("1.250")
    editor.target_year_edit.setText("20x0")
    assert editor.error_labels["target_year"].isVisible()
    assert editor.error_labels["target_year"].text() == (
        "Zieljahr: bitte ein Jahr wie 2035 angeben."
    )
    assert not editor.save_button.isEnabled()
    editor.target_year_edit.setText("2030")
    editor.guideline_list.item(0).setCheckState(Qt.CheckState.Checked)
    editor.guideline_list.item(2).setCheckState(Qt.CheckState.Checked)
    assert editor.save_button.isEnabled(), editor.hint_label.text()
    with qtbot.waitSignal(page.data_changed):
        editor.save_button.click()
    row = list_row(page, "Sprachkursplätze für Geflüchtete")
    assert row[TARGET] == "1.250 bis 2030"
    assert row[LATEST] == "–"
    assert page.details.heading.text() == "Sprachkursplätze für Geflüchtete"
    assert page.details.chart_stack.currentWidget() is page.details.no_values_label
    with db.session() as session:
        new = find_indicator(session, "Sprachkursplätze für Geflüchtete")
        assert new is not None
        assert new.direction == "higher" and new.target_value == Decimal(1250)
        assert [g.number for g in new.guidelines] == [1, 3]


def test_editor_messages_and_a_name_that_exists(
    page: MonitoringPage, db: Database, qtbot: QtBot
) -> None:
    editor = IndicatorEditor(db, indicator_id=indicator_id(db, POPULATION), parent=page)
    qtbot.addWidget(editor)
    editor.show()
    assert editor.name_edit.text() == POPULATION
    editor.name_edit.setText("")
    assert editor.error_labels["name"].text() == "Bitte einen Namen angeben."
    editor.name_edit.setText(FOREIGNERS)
    editor.target_year_edit.setText("2035")
    assert editor.error_labels["target_value"].text() == "Zum Zieljahr gehört ein Zielwert."
    editor.target_value_edit.setText("80.000")
    editor.save_button.click()
    assert "gibt es schon" in editor.error_labels["name"].text()
    editor.discard()


def test_delete_indicator_asks_and_names_its_values(
    page: MonitoringPage, db: Database, questions: Questions, qtbot: QtBot
) -> None:
    page.show_indicator(indicator_id(db, FOREIGNERS))
    questions.answer = Answer.No
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert "„Ausländische Staatsangehörige“ löschen" in questions.asked[-1]
    assert "Ihre 4 Werte werden mit gelöscht" in questions.asked[-1]
    assert FOREIGNERS in listed_names(page)
    questions.answer = Answer.Yes
    with qtbot.waitSignal(page.status_message) as message:
        page.details.delete_button.click()
    assert message.args == ["Gelöscht: „Ausländische Staatsangehörige“ mit 4 Werte"]
    assert FOREIGNERS not in listed_names(page)
    with db.session() as session:
        assert find_indicator(session, FOREIGNERS) is None
        assert not [v for v in session.query(IndicatorValue) if v.breakdown_value == "Ukraine"]


# --- import and export --------------------------------------------------------------------


def test_long_csv_is_checked_and_imported(
    page: MonitoringPage,
    db: Database,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = long_csv(
        tmp_path / "kennzahlen.csv",
        [
            f"{FOREIGNERS};Türkei;2024;312;Personen;;Ausländerbehörde",
            f"{FOREIGNERS};;2025;7.812;Personen;;Ausländerbehörde",
            "Arbeitslosenquote;;2024;6,8;%;;Agentur für Arbeit",
            "Arbeitslosenquote;;2030;5,5;%;ja;Agentur für Arbeit",
        ],
    )
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a: (str(path), ""))
    page.import_button.click()
    dialog = page.import_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.is_long
    assert "Langformat" in dialog.kind_label.text()
    assert "Windows-1252" in dialog.kind_label.text()
    assert dialog.long_model.rowCount() == 4
    assert dialog.long_model.headerData(0, Qt.Orientation.Vertical) == "5"  # the file's row
    assert dialog.result_label.text().startswith("Prüfung erfolgreich: 4 Werte würden importiert")
    assert "Arbeitslosenquote" in dialog.result_label.text()
    assert dialog.import_button.isEnabled()
    with qtbot.waitSignal(page.data_changed):
        dialog.import_button.click()
    assert dialog.report is not None and dialog.report.rows == 4
    assert list_row(page, FOREIGNERS)[LATEST] == "7.812 Personen"
    assert list_row(page, "Arbeitslosenquote")[LATEST] == "6,8 %"
    assert (2030, None, "", Decimal("5.5"), True) in stored_values(db, "Arbeitslosenquote")


def test_bad_long_csv_names_the_rows_and_imports_nothing(
    page: MonitoringPage, db: Database, qtbot: QtBot, tmp_path: Path
) -> None:
    path = long_csv(
        tmp_path / "fehler.csv",
        [f"{FOREIGNERS};;2025;viele;Personen;;", f"{FOREIGNERS};;20x5;7.900;Personen;;"],
        encoding="utf-8",
    )
    dialog = open_import(page, qtbot, path)
    problems = [dialog.problems_list.item(i).text() for i in range(dialog.problems_list.count())]
    assert problems == [
        "Zeile 5, Wert: „viele“ ist keine Zahl (z. B. 1.234,5).",
        "Zeile 6, Jahr: „20x5“ ist kein Jahr (z. B. 2024).",
    ]
    assert not dialog.import_button.isEnabled()
    assert not dialog.import_now()
    assert len(stored_values(db, FOREIGNERS)) == 4
    dialog.reject()


def test_genesis_table_of_all_districts_is_mapped_to_the_district(
    page: MonitoringPage, db: Database, qtbot: QtBot
) -> None:
    page.show_indicator(indicator_id(db, POPULATION))
    dialog = open_import(page, qtbot, DISTRICTS)
    assert not dialog.is_long
    panel = dialog.wide
    assert panel is not None
    assert "breite Tabelle" in dialog.kind_label.text()
    assert "GENESIS-Tabelle: 12411-01-01-4" in panel.context_label.text()
    assert panel.indicator_combo.currentText() == POPULATION
    assert panel.filter_edit.text() == "Altenburger Land"
    preview = panel.preview_model
    assert [[preview.cell(r, c) for c in range(4)] for r in range(preview.rowCount())] == [
        ["546", "31.12.2018", "Gesamt", "90.118"],
        ["546", "31.12.2018", "männlich", "44.138"],
        ["546", "31.12.2018", "weiblich", "45.980"],
    ]
    assert dialog.import_button.isEnabled(), dialog.explain_label.text()

    panel.filter_edit.setText("")  # every district: one total per period is too many
    panel.refresh_preview()
    assert not dialog.import_button.isEnabled()
    assert "Zeile 10: Für 31.12.2018 gibt es schon einen Wert aus Zeile 9" in (
        panel.problems_label.text()
    )
    panel.filter_edit.setText("Altenburger Land")
    panel.refresh_preview()
    with qtbot.waitSignal(page.data_changed):
        dialog.import_button.click()
    values = stored_values(db, POPULATION)
    assert (2018, date(2018, 12, 31), "", Decimal(90118), False) in values
    assert (2018, date(2018, 12, 31), "weiblich", Decimal(45980), False) in values
    assert (2018.4, 0.0) not in page.details.time_chart.actual_points()
    assert any(y == 90118.0 for _x, y in page.details.time_chart.actual_points())


def test_genesis_age_table_becomes_a_new_indicator(
    page: MonitoringPage, db: Database, qtbot: QtBot
) -> None:
    dialog = open_import(page, qtbot, AGES)
    panel = dialog.wide
    assert panel is not None
    assert panel.rows_check.isChecked()  # age groups as the breakdown
    panel.indicator_combo.setCurrentIndex(panel.indicator_combo.findData(NEW_INDICATOR))
    panel.name_edit.setText(POPULATION)
    panel.refresh_preview()
    assert panel.name_message.isVisible()
    assert not dialog.import_button.isEnabled()
    panel.name_edit.setText("Bevölkerung Deutschland nach Altersjahren")
    panel.unit_edit.setText("Personen")
    last_columns = suggest_mapping(read_statistics_table(AGES)).value_columns[-2:]
    panel.set_value_columns(last_columns)
    panel.refresh_preview()
    assert panel.counts_label.text() == "174 Werte."  # 86 age groups + the total, 2 years
    with qtbot.waitSignal(page.data_changed):
        dialog.import_button.click()
    assert page.details.heading.text() == "Bevölkerung Deutschland nach Altersjahren"
    values = stored_values(db, "Bevölkerung Deutschland nach Altersjahren")
    assert len(values) == 174
    assert (2022, date(2022, 12, 31), "", Decimal(84358845), False) in values
    assert len(page.details.bar_chart.categories) == 15
    assert "Die 15 größten von 86" in page.details.bar_note.text()


def test_export_writes_the_shown_indicators(
    page: MonitoringPage, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "Kennzahlen.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(target), ""))
    page.search_edit.setText("Ausländ")
    page._apply_filter()
    page.export_csv_action.trigger()
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("Kennzahl;Ausprägung;Jahr;Stichtag;Wert")
    assert len(lines) == 5
    assert all(line.startswith(FOREIGNERS) for line in lines[1:])


# --- accessibility ------------------------------------------------------------------------


def test_every_visible_control_has_a_name(
    page: MonitoringPage, db: Database, qtbot: QtBot, tmp_path: Path
) -> None:
    page.show_indicator(indicator_id(db, FOREIGNERS))
    assert nameless_controls(page) == []
    stops = tab_stops(page)
    details = page.details
    order = [page.search_edit, page.table, details.values_view, details.edit_button]
    assert [stops.index(w) for w in order] == sorted(stops.index(w) for w in order)
    assert details.year_combo in stops
    dialog = open_value_dialog(page, qtbot)
    assert nameless_controls(dialog) == []
    dialog.discard()
    editor = page.new_record()
    qtbot.waitExposed(editor)
    assert nameless_controls(editor) == []
    editor.discard()
    wide = open_import(page, qtbot, DISTRICTS)
    assert nameless_controls(wide) == []
    wide.load(long_csv(tmp_path / "lang.csv", [f"{FOREIGNERS};;2025;7.900;Personen;;"]))
    assert wide.is_long
    assert nameless_controls(wide) == []
    wide.reject()


def test_empty_database_says_what_to_do(page: MonitoringPage, db: Database) -> None:
    with db.session() as session:
        for row in list_indicators(session):
            delete_indicator(session, row.id)
    page.refresh()
    assert page.list_stack.currentWidget() is page.empty_label
    assert "Neue Kennzahl" in page.empty_label.text()
    assert page.summary_label.text() == "0 Kennzahlen"
    assert not page.export_button.isEnabled()
