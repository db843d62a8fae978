"""Random text in a wide statistics table (GENESIS shape) and in the fields of its mapping.

Each example writes a small GENESIS download (title lines, two header rows with the dates
across, age groups down, a total row, the © footer) as CSV or Excel, with random text in one
cell or in one text field of the mapping dialog (row filter, total label, source). Reading
it with ``read_statistics_table`` and importing it with ``import_wide_table`` must end either
with the values stored (their texts as the table and the mapping give them, fitting their
columns) or with a :class:`UserError` carrying German messages, and nothing stored.
"""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from integrationsmanager.domain.errors import UserError
from integrationsmanager.domain.monitoring import IndicatorValue
from integrationsmanager.domain.text import clean_line, fold
from integrationsmanager.services.indicator_io import WideMapping, import_wide_table
from integrationsmanager.services.indicators import IndicatorData, create_indicator
from integrationsmanager.services.organisations import column_length
from integrationsmanager.services.statistics_table import StatisticsTable, read_statistics_table
from integrationsmanager.storage.database import Database
from tests.robustness.fuzz import TEXT_WITH_SURROGATES, TRIED, write_counts, xlsx_text

EXAMPLES = 40

TABLE = [
    ["GENESIS-Tabelle: 12411-0005"],
    ["Bevölkerung: Deutschland, Stichtag, Altersjahre"],
    ["", "Stichtag", "Stichtag"],
    ["Altersjahre", "31.12.2021", "31.12.2022"],
    ["unter 1 Jahr", "795492", "737780"],
    ["1-Jährige", "778312", "792546"],
    ["Insgesamt", "83237124", "84358845"],
    ["__________"],
    ["© Statistisches Bundesamt (Destatis), 2024"],
]

CELLS = {
    "Titel": (0, 0),
    "Kopfzeile": (2, 1),
    "Stichtag": (3, 2),
    "Bezeichnung": (4, 0),
    "Wert": (5, 1),
    "Fußzeile": (8, 0),
}
"""Where random text may stand: (row, column) of ``TABLE``."""

MAPPING = WideMapping(value_columns=(1, 2), rows_as_breakdown=True, period_header_row=1)
FIELDS = ("row_filter", "total_label", "source")
"""The mapping dialog's text fields."""


def _write(path: Path, rows: list[list[str]]) -> bool:
    """The table as CSV (UTF-8, semicolons) or Excel; False if the CSV is no valid UTF-8."""
    if path.suffix == ".xlsx":
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        assert sheet is not None
        for number, row in enumerate(rows, start=1):
            for column, text in enumerate(row, start=1):
                cell = sheet.cell(row=number, column=column, value=xlsx_text(text))
                cell.data_type = "s"  # never a formula
        workbook.save(path)
        return True
    with path.open("w", encoding="utf-8", errors="surrogatepass", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(rows)
    try:
        path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(IndicatorValue)) or 0


def _check_stored(
    session: Session, indicator_id: int, table: StatisticsTable, mapping: WideMapping
) -> list[IndicatorValue]:
    """The stored values, after checking what every one of them must satisfy."""
    values = list(
        session.scalars(select(IndicatorValue).where(IndicatorValue.indicator_id == indicator_id))
    )
    source = clean_line(mapping.source) or table.suggested_source()
    for value in values:
        assert value.source == source
        for column in ("source", "breakdown_value", "note"):
            limit = column_length(IndicatorValue, column)
            assert limit is None or len(getattr(value, column)) <= limit, column
    return values


@pytest.fixture(scope="module", autouse=True)
def report_counts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    yield
    text = write_counts(tmp_path_factory.getbasetemp(), "hypothesis-imports.json", "Import")
    print("\n" + text)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(place=st.sampled_from([*CELLS, *FIELDS]), text=TEXT_WITH_SURROGATES)
def test_random_text_in_a_wide_table_is_stored_or_refused_in_german(
    db: Database, tmp_path: Path, suffix: str, place: str, text: str
) -> None:
    TRIED[f"Import Kennzahlen breit {suffix}"] += 1
    rows = [list(row) for row in TABLE]
    mapping = MAPPING
    if place in CELLS:
        row, column = CELLS[place]
        rows[row][column] = text
    else:
        changes: dict[str, Any] = {place: text}
        mapping = dataclasses.replace(MAPPING, **changes)
    path = tmp_path / f"genesis{suffix}"
    comparable = _write(path, rows)
    with db.sessions() as session:
        indicator = create_indicator(session, IndicatorData(name="Bevölkerung nach Alter"))
        before = _count(session)
        try:
            table = read_statistics_table(path)
            report = import_wide_table(session, table, mapping, indicator_id=indicator.id)
        except UserError as err:
            problems = getattr(err, "problems", None) or [str(err)]
            assert all(isinstance(p, str) and len(p) > 10 for p in problems), problems
            assert _count(session) == before
        else:
            session.flush()
            values = _check_stored(session, indicator.id, table, mapping)
            assert _count(session) == before + report.created_values == before + len(values)
            cleaned = clean_line(text)
            if place == "source" and cleaned:
                assert {v.source for v in values} <= {cleaned}
            if place == "Bezeichnung" and comparable and values and cleaned:
                label = clean_line(next(r for r in table.rows if r.number == 5).cell(0))
                if any(r.number == 5 for r in table.data_rows) and fold(label) != fold("Insgesamt"):
                    assert label in {v.breakdown_value for v in values}
        finally:
            session.rollback()
