"""A table model that holds only ordered ids and fetches row data a page at a time (Anki's way).

One query gives the ids of the current filter in the current order; ``data()`` looks a row up
in a cache and, on a miss, fetches the page of rows around it with one call, so a list of
100,000 people opens as fast as one of 20. Sorting is a new id query: the database sorts, so
every row is in order, not only the fetched ones. The areas configure it with their columns,
their id query and their row fetch (see :class:`~integrationsmanager.ui.measures.table_model.
MeasureTableModel`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from sqlalchemy.orm import Session

from integrationsmanager.storage.database import Database

ID_ROLE = Qt.ItemDataRole.UserRole + 1
"""The record's id (int) for any cell of its row."""

PAGE_SIZE = 200
CACHE_LIMIT = 4000
"""Rows kept before the cache starts afresh (a few screens' worth many times over)."""

_Index = QModelIndex | QPersistentModelIndex


def read_only_flags(index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
    """Flags of a cell in a list that is read here and edited elsewhere."""
    if not index.isValid():
        return Qt.ItemFlag.NoItemFlags
    return (
        Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
    )


@dataclass(frozen=True)
class Column:
    header: str
    sort_key: str
    """Key for the id query: the database sorts, so all rows are in order."""
    right_aligned: bool = False


@dataclass(frozen=True)
class DisplayRow:
    """A row as the view shows it, formatted once when fetched (areas may add fields)."""

    id: int
    cells: tuple[str, ...]
    tooltips: tuple[str | None, ...]


F = TypeVar("F")
F_contra = TypeVar("F_contra", contravariant=True)
R = TypeVar("R", bound=DisplayRow)


class IdQuery(Protocol[F_contra]):
    """``ids(session, flt, sort=key, descending=…)``: the ids matching a filter, in order."""

    def __call__(
        self, session: Session, flt: F_contra, /, *, sort: str, descending: bool
    ) -> list[int]: ...


RowFetch = Callable[[Session, list[int]], Mapping[int, R]]
"""``fetch(session, ids)``: display rows of ``ids`` in one query (missing ids: deleted)."""


class LazyTableModel(QAbstractTableModel, Generic[F, R]):
    """Records of one filter, in one order, fetched lazily; empty until the first query.

    Subclasses may answer extra roles in :meth:`row_data` (icons, a status for delegates).
    """

    def __init__(
        self,
        database: Database,
        *,
        columns: Sequence[Column],
        initial_filter: F,
        query_ids: IdQuery[F],
        fetch_rows: RowFetch[R],
        default_sort_column: int = 0,
        default_sort_order: Qt.SortOrder = Qt.SortOrder.AscendingOrder,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._database = database
        self._columns = tuple(columns)
        self._filter = initial_filter
        self._query_ids = query_ids
        self._fetch_rows = fetch_rows
        self._default_sort_column = default_sort_column
        self._default_sort_order = default_sort_order
        self._sort_column = default_sort_column
        self._sort_order = default_sort_order
        self._loaded = False
        self._ids: list[int] = []
        self._cache: dict[int, R | None] = {}

    # --- what the page asks ---------------------------------------------------------------

    @property
    def current_filter(self) -> F:
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

    def set_filter(self, flt: F) -> None:
        """Show the records matching ``flt`` (cached rows stay valid: the data is the same)."""
        self._filter = flt
        self._query()

    def reload(self) -> None:
        """Query again after the data changed, forgetting every cached row."""
        self._cache.clear()
        self._query()

    def record_id(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, record_id: int) -> int | None:
        try:
            return self._ids.index(record_id)
        except ValueError:
            return None

    def display_row(self, row: int) -> R | None:
        """The formatted row ``row``; None for a record deleted since the id query."""
        record_id = self._ids[row]
        if record_id in self._cache:
            return self._cache[record_id]
        if len(self._cache) >= CACHE_LIMIT:
            self._cache.clear()
        start = row - row % PAGE_SIZE
        page = [i for i in self._ids[start : start + PAGE_SIZE] if i not in self._cache]
        with self._database.session() as session:
            fetched = self._fetch_rows(session, page)
        for fetched_id in page:
            # A row deleted since the id query (another window) shows empty, not as an error.
            self._cache[fetched_id] = fetched.get(fetched_id)
        return self._cache[record_id]

    def row_data(self, row: R, column: int, role: int) -> Any:
        """Roles beyond text, tooltip and alignment; None unless a subclass knows more."""
        return None

    def _query(self) -> None:
        key = self._columns[self._sort_column].sort_key
        descending = self._sort_order == Qt.SortOrder.DescendingOrder
        with self._database.session() as session:
            ids = self._query_ids(session, self._filter, sort=key, descending=descending)
        self.beginResetModel()
        self._ids = ids
        self._loaded = True
        self.endResetModel()

    # --- QAbstractTableModel --------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        column = index.column()
        if role == ID_ROLE:
            return self._ids[index.row()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if self._columns[column].right_aligned:
                return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            return None
        row = self.display_row(index.row())
        if role == Qt.ItemDataRole.DisplayRole:
            return row.cells[column] if row is not None else ""
        if row is None:
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.tooltips[column]
        return self.row_data(row, column, role)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        column = self._columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.header
        if role == Qt.ItemDataRole.TextAlignmentRole and column.right_aligned:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return read_only_flags(index)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order by ``column`` in the database."""
        if column < 0:
            column, order = self._default_sort_column, self._default_sort_order
        if column >= len(self._columns):
            return
        if self._loaded and (column, order) == (self._sort_column, self._sort_order):
            return
        self._sort_column = column
        self._sort_order = order
        self._query()
