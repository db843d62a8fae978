"""The lazy measures table model: Qt's model contract, formatting, sorting, lazy pages."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester

from integrationsmanager.domain.enums import MeasureStatus
from integrationsmanager.services.measures import MeasureData, MeasureFilter, save_measure
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.measures.table_model import (
    BUDGET_COLUMN,
    COLUMNS,
    ID_ROLE,
    PAGE_SIZE,
    STATUS_COLUMN,
    STATUS_ROLE,
    TITLE_COLUMN,
    MeasureTableModel,
)
from tests.ui.helpers import add_sample_measures, guideline_id

pytestmark = pytest.mark.usefixtures("qapp")  # status icons are pixmaps


def column(header: str) -> int:
    return [c.header for c in COLUMNS].index(header)


def titles(model: MeasureTableModel) -> list[str]:
    return [model.index(row, TITLE_COLUMN).data() for row in range(model.rowCount())]


def test_model_passes_qt_model_tester(db: Database, qtmodeltester: ModelTester) -> None:
    add_sample_measures(db)
    model = MeasureTableModel(db)
    model.set_filter(MeasureFilter())
    assert model.rowCount() == 3
    qtmodeltester.check(model)


def test_cells_are_formatted_german_and_carry_id_and_status(db: Database) -> None:
    ids = add_sample_measures(db)
    model = MeasureTableModel(db)
    model.set_filter(MeasureFilter(search="über"))
    assert model.rowCount() == 1
    row = [model.index(0, c).data() for c in range(model.columnCount())]
    assert row == [
        "Über den Tellerrand: Elterncafé",
        "1 Bildung und Sprache sichern",
        "laufend",
        "direkt",
        "mittel",
        "01.03.2025",
        "31.12.2026",
        "Volkshochschule Altenburger Land",
        "1.234,56\u00a0€",
    ]
    budget = model.index(0, BUDGET_COLUMN)
    assert budget.data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert model.index(0, TITLE_COLUMN).data(Qt.ItemDataRole.ToolTipRole) == row[0]
    assert model.index(0, 3).data(ID_ROLE) == ids["über"]
    assert model.index(0, 0).data(STATUS_ROLE) == MeasureStatus.RUNNING
    # Status is shown as text; the icon only accompanies it.
    assert model.index(0, STATUS_COLUMN).data(Qt.ItemDataRole.DecorationRole) is not None


def test_sorting_is_a_database_query(db: Database) -> None:
    add_sample_measures(db)
    model = MeasureTableModel(db)
    model.set_filter(MeasureFilter())
    assert titles(model)[0] == "Über den Tellerrand: Elterncafé"  # guideline 1 first
    model.sort(column("Titel"), Qt.SortOrder.DescendingOrder)
    assert titles(model) == sorted(titles(model), key=str.casefold, reverse=True)
    model.sort(column("Beginn"), Qt.SortOrder.AscendingOrder)
    assert titles(model)[0] == "برنامج الإرشاد للنساء"
    model.sort(BUDGET_COLUMN, Qt.SortOrder.DescendingOrder)
    assert titles(model)[0] == "Über den Tellerrand: Elterncafé"
    assert model.sort_column == BUDGET_COLUMN


def test_filter_and_reload(db: Database) -> None:
    add_sample_measures(db)
    model = MeasureTableModel(db)
    model.set_filter(MeasureFilter(guideline_id=guideline_id(db, 2)))
    assert titles(model) == ["Освіта для всіх – Sprachkurse"]
    model.set_filter(MeasureFilter(search="ОСВІТА"))
    assert model.rowCount() == 1
    with db.session() as session:
        save_measure(
            session,
            MeasureData(title="Освіта: zweiter Kurs", guideline_id=guideline_id(db, 2)),
        )
    assert model.rowCount() == 1
    model.reload()
    assert model.rowCount() == 2


def test_rows_are_fetched_lazily_a_page_at_a_time(db: Database) -> None:
    guideline = guideline_id(db, 3)
    with db.session() as session:
        for number in range(3 * PAGE_SIZE):
            save_measure(
                session,
                MeasureData(
                    title=f"Maßnahme {number:04d}",
                    guideline_id=guideline,
                    start_date=date(2026, 1, 1),
                ),
            )
    model = MeasureTableModel(db)
    model.set_filter(MeasureFilter())
    assert model.rowCount() == 3 * PAGE_SIZE
    assert model.cached_rows == 0
    assert model.index(5, TITLE_COLUMN).data() == "Maßnahme 0005"
    assert model.cached_rows == PAGE_SIZE
    assert (
        model.index(3 * PAGE_SIZE - 1, TITLE_COLUMN).data() == f"Maßnahme {3 * PAGE_SIZE - 1:04d}"
    )
    assert model.cached_rows == 2 * PAGE_SIZE
    assert model.row_of(model.measure_id(PAGE_SIZE + 7)) == PAGE_SIZE + 7
