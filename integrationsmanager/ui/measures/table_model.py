"""The measures table: ids from one query, row data fetched a page at a time (Anki's way).

The model holds only the ordered ids of the current filter. ``data()`` looks a row up in a
cache and, on a miss, fetches the page of rows around it with one ``fetch_rows`` call, so a
list of 20,000 measures opens as fast as one of 20. Sorting is a new id query.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

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
from integrationsmanager.ui.widgets.status import status_icon

ID_ROLE = Qt.ItemDataRole.UserRole + 1
"""The measure's id (int) for any cell of its row."""
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2
"""The measure's :class:`MeasureStatus` for any cell of its row."""

PAGE_SIZE = 200
CACHE_LIMIT = 4000
"""Rows kept before the cache starts afresh (a few screens' worth many times over)."""

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    header: str
    sort_key: str
    """Key for :func:`measure_ids`: the database sorts, so all 20,000 rows are in order."""
    right_aligned: bool = False


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
class _Row:
    """A row as the view shows it, formatted once when fetched."""

    id: int
    status: MeasureStatus | None
    """None for a row deleted since the id query: it shows empty."""
    cells: tuple[str, ...]
    tooltips: tuple[str | None, ...]


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


class MeasureTableModel(QAbstractTableModel):
    """Measures of one filter, in one order, fetched lazily; empty until the first query."""

    def __init__(self, database: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._database = database
        self._filter = MeasureFilter()
        self._sort_column = DEFAULT_SORT_COLUMN
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._loaded = False
        self._ids: list[int] = []
        self._cache: dict[int, _Row] = {}

    # --- what the page asks ---------------------------------------------------------------

    @property
    def current_filter(self) -> MeasureFilter:
        return self._filter

    @property
    def cached_rows(self) -> int:
        return len(self._cache)

    @property
    def sort_column(self) -> int:
        return self._sort_column

    @property
    def sort_order(self) -> Qt.SortOrder:
        return self._sort_order

    def set_filter(self, flt: MeasureFilter) -> None:
        """Show the measures matching ``flt`` (cached rows stay valid: the data is the same)."""
        self._filter = flt
        self._query()

    def reload(self) -> None:
        """Query again after the data changed, forgetting every cached row."""
        self._cache.clear()
        self._query()

    def measure_id(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, measure_id: int) -> int | None:
        try:
            return self._ids.index(measure_id)
        except ValueError:
            return None

    def _query(self) -> None:
        key = COLUMNS[self._sort_column].sort_key
        descending = self._sort_order == Qt.SortOrder.DescendingOrder
        with self._database.session() as session:
            ids = measure_ids(session, self._filter, sort=key, descending=descending)
        self.beginResetModel()
        self._ids = ids
        self._loaded = True
        self.endResetModel()

    def _row(self, row: int) -> _Row:
        measure_id = self._ids[row]
        found = self._cache.get(measure_id)
        if found is not None:
            return found
        if len(self._cache) >= CACHE_LIMIT:
            self._cache.clear()
        start = row - row % PAGE_SIZE
        page = [i for i in self._ids[start : start + PAGE_SIZE] if i not in self._cache]
        with self._database.session() as session:
            fetched = fetch_rows(session, page)
        for fetched_id, data in fetched.items():
            self._cache[fetched_id] = _display(data)
        # A row deleted since the id query (another window) shows as empty, not as an error.
        return self._cache.setdefault(
            measure_id,
            _Row(measure_id, None, ("",) * len(COLUMNS), (None,) * len(COLUMNS)),
        )

    # --- QAbstractTableModel --------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        column = index.column()
        if role == ID_ROLE:
            return self._ids[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._row(index.row()).cells[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._row(index.row()).tooltips[column]
        if role == Qt.ItemDataRole.DecorationRole and column == STATUS_COLUMN:
            status = self._row(index.row()).status
            return status_icon(status) if status is not None else None
        if role == STATUS_ROLE:
            return self._row(index.row()).status
        if role == Qt.ItemDataRole.TextAlignmentRole and COLUMNS[column].right_aligned:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        column = COLUMNS[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.header
        if role == Qt.ItemDataRole.TextAlignmentRole and column.right_aligned:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order by ``column`` in the database."""
        if column < 0:
            column, order = DEFAULT_SORT_COLUMN, Qt.SortOrder.AscendingOrder
        if column >= len(COLUMNS):
            return
        if self._loaded and (column, order) == (self._sort_column, self._sort_order):
            return
        self._sort_column = column
        self._sort_order = order
        self._query()
