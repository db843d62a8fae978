"""The indicators as a list: name, latest value with its unit and year, target, guidelines.

Indicators are few (a few dozen), so the model holds all rows the service returns for the
current search and guideline; a :class:`SortProxy` sorts them by any column.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from integrationsmanager.domain.text import fold
from integrationsmanager.services.indicators import IndicatorRow
from integrationsmanager.ui.monitoring.numbers import number_text, value_text
from integrationsmanager.ui.widgets.lazy_table import ID_ROLE, read_only_flags

HEADERS = ("Kennzahl", "Wert", "Jahr", "Ziel", "Leitlinien")
NAME, LATEST, YEAR, TARGET, GUIDELINES = range(len(HEADERS))
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
"""A value that sorts the column right (numbers as numbers, names folded)."""

_NO_NUMBER = float("-inf")
_Index = QModelIndex | QPersistentModelIndex


def latest_text(row: IndicatorRow) -> str:
    """ "89.000 Personen", "80.000 Personen (Prognose)" or "–" without values."""
    if row.latest_value is None:
        return "–"
    text = value_text(row.latest_value, row.unit)
    return f"{text} (Prognose)" if row.is_forecast_latest else text


def target_text(row: IndicatorRow, *, unit: bool = False) -> str:
    """ "80.000 bis 2035" (with ``unit``: "80.000 Personen bis 2035"), or empty."""
    if row.target_value is None:
        return ""
    text = value_text(row.target_value, row.unit) if unit else number_text(row.target_value)
    return f"{text} bis {row.target_year}" if row.target_year is not None else text


def guidelines_text(row: IndicatorRow) -> str:
    return ", ".join(str(n) for n in row.guideline_numbers)


class IndicatorListModel(QAbstractTableModel):
    """The rows of :func:`~integrationsmanager.services.indicators.list_indicators`."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[IndicatorRow, ...] = ()

    @property
    def rows(self) -> tuple[IndicatorRow, ...]:
        return self._rows

    def set_rows(self, rows: Sequence[IndicatorRow]) -> None:
        self.beginResetModel()
        self._rows = tuple(rows)
        self.endResetModel()

    def row_of(self, indicator_id: int) -> int | None:
        return next((i for i, row in enumerate(self._rows) if row.id == indicator_id), None)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == LATEST and row.latest_value is not None:
                return f"Letzter Wert: {latest_text(row)} ({row.latest_year})"
            if column == TARGET and row.target_value is not None:
                return f"Ziel: {target_text(row, unit=True)}"
            return self._text(row, column) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (LATEST, YEAR, TARGET):
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == SORT_ROLE:
            return self._sort_key(row, column)
        if role == ID_ROLE:
            return row.id
        return None

    @staticmethod
    def _text(row: IndicatorRow, column: int) -> str:
        if column == NAME:
            return row.name
        if column == LATEST:
            return latest_text(row)
        if column == YEAR:
            return "" if row.latest_year is None else str(row.latest_year)
        if column == TARGET:
            return target_text(row)
        return guidelines_text(row)

    @staticmethod
    def _sort_key(row: IndicatorRow, column: int) -> object:
        if column == NAME:
            return fold(row.name)
        if column == LATEST:
            return _NO_NUMBER if row.latest_value is None else float(row.latest_value)
        if column == YEAR:
            return _NO_NUMBER if row.latest_year is None else float(row.latest_year)
        if column == TARGET:
            return _NO_NUMBER if row.target_value is None else float(row.target_value)
        return float(row.guideline_numbers[0]) if row.guideline_numbers else _NO_NUMBER

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and section in (LATEST, YEAR, TARGET):
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return read_only_flags(index)


class SortProxy(QSortFilterProxyModel):
    """Sorts by :data:`SORT_ROLE`; the name breaks ties."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)

    def indicator_id(self, row: int) -> int:
        return int(self.index(row, NAME).data(ID_ROLE))

    def row_of(self, indicator_id: int) -> int | None:
        return next(
            (row for row in range(self.rowCount()) if self.indicator_id(row) == indicator_id),
            None,
        )
