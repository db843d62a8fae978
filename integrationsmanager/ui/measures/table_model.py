"""The measures table: the lazy id-list model configured with the measures' columns.

The model holds only the ordered ids of the current filter and fetches a page of rows at a
time (:mod:`integrationsmanager.ui.widgets.lazy_table`), so a list of 20,000 measures opens
as fast as one of 20. Sorting is a new id query.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt
from sqlalchemy.orm import Session

from integrationsmanager.domain.enums import MeasureStatus
from integrationsmanager.domain.money import format_money
from integrationsmanager.services.measures import (
    MeasureFilter,
    MeasureRow,
    fetch_rows,
    measure_ids,
)
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.widgets.dates import format_date
from integrationsmanager.ui.widgets.lazy_table import ID_ROLE as ID_ROLE
from integrationsmanager.ui.widgets.lazy_table import PAGE_SIZE as PAGE_SIZE
from integrationsmanager.ui.widgets.lazy_table import Column, DisplayRow, LazyTableModel
from integrationsmanager.ui.widgets.status import status_icon

STATUS_ROLE = Qt.ItemDataRole.UserRole + 2
"""The measure's :class:`MeasureStatus` for any cell of its row."""

COLUMNS: tuple[Column, ...] = (
    Column("Titel", "title"),
    Column("Leitlinie", "guideline"),
    Column("Status", "status"),
    Column("Zuständigkeit", "responsibility"),
    Column("Priorität", "priority"),
    Column("Beginn", "start"),
    Column("Ende", "end"),
    Column("Federführung", "lead"),
    Column("Budget", "budget", right_aligned=True),
)
TITLE_COLUMN = 0
GUIDELINE_COLUMN = 1
STATUS_COLUMN = 2
BUDGET_COLUMN = 8
DEFAULT_SORT_COLUMN = GUIDELINE_COLUMN


@dataclass(frozen=True)
class _Row(DisplayRow):
    status: MeasureStatus


def _display(row: MeasureRow) -> _Row:
    guideline = f"{row.guideline_number} {row.guideline_title}"
    budget = format_money(row.planned_budget_cents)
    budget_tip = None
    if row.planned_budget_cents is not None or row.spent_cents is not None:
        budget_tip = (
            f"geplant {format_money(row.planned_budget_cents) or '–'} · "
            f"ausgegeben {format_money(row.spent_cents) or '–'}"
        )
    return _Row(
        id=row.id,
        status=row.status,
        cells=(
            row.title,
            guideline,
            row.status.label,
            row.responsibility.label,
            row.priority.label,
            format_date(row.start_date),
            format_date(row.end_date),
            row.lead,
            budget,
        ),
        tooltips=(
            row.title,
            f"Leitlinie {guideline}",
            row.status.label,
            row.responsibility.label,
            row.priority.label,
            None,
            None,
            row.lead or None,
            budget_tip,
        ),
    )


def _fetch(session: Session, ids: list[int]) -> Mapping[int, _Row]:
    return {measure_id: _display(row) for measure_id, row in fetch_rows(session, ids).items()}


class MeasureTableModel(LazyTableModel[MeasureFilter, _Row]):
    """Measures of one filter, in one order, fetched lazily; the status also as an icon."""

    def __init__(self, database: Database, parent: QObject | None = None) -> None:
        super().__init__(
            database,
            columns=COLUMNS,
            initial_filter=MeasureFilter(),
            query_ids=measure_ids,
            fetch_rows=_fetch,
            default_sort_column=DEFAULT_SORT_COLUMN,
            parent=parent,
        )

    def measure_id(self, row: int) -> int:
        return self.record_id(row)

    def row_data(self, row: _Row, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DecorationRole and column == STATUS_COLUMN:
            return status_icon(row.status)
        if role == STATUS_ROLE:
            return row.status
        return None
