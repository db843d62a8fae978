"""The values of one indicator as a table: period, breakdown value, value, forecast, source."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from integrationsmanager.domain.monitoring import IndicatorValue
from integrationsmanager.services.indicators import period_label
from integrationsmanager.ui.monitoring.numbers import number_text
from integrationsmanager.ui.widgets.lazy_table import ID_ROLE, read_only_flags

HEADERS = ("Zeitraum", "Ausprägung", "Wert", "Prognose", "Quelle", "Anmerkung")
PERIOD, BREAKDOWN, VALUE, FORECAST, SOURCE, NOTE = range(len(HEADERS))
TOTAL = "Gesamt"
"""What the breakdown column says for a value of the indicator as a whole."""
FORECAST_TEXT = "Prognose"

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class ValueRow:
    """A value as the table shows it (formatted once, when read)."""

    id: int
    period: str
    breakdown: str
    value: str
    is_forecast: bool
    source: str
    note: str

    @classmethod
    def from_value(cls, value: IndicatorValue) -> ValueRow:
        return cls(
            id=value.id,
            period=period_label(value.year, value.reference_date),
            breakdown=value.breakdown_value,
            value=number_text(value.value),
            is_forecast=value.is_forecast,
            source=value.source,
            note=value.note,
        )

    def cells(self) -> tuple[str, ...]:
        return (
            self.period,
            self.breakdown or TOTAL,
            self.value,
            FORECAST_TEXT if self.is_forecast else "",
            self.source,
            " ".join(self.note.split()),
        )


class ValuesModel(QAbstractTableModel):
    """Rows in the service's order (period, then the total before its breakdown values)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[ValueRow, ...] = ()
        self._unit = ""

    @property
    def rows(self) -> tuple[ValueRow, ...]:
        return self._rows

    def set_rows(self, rows: Sequence[ValueRow], unit: str = "") -> None:
        """Show ``rows``; ``unit`` goes into the value column's header ("Wert (Personen)")."""
        self.beginResetModel()
        self._rows = tuple(rows)
        self._unit = unit
        self.endResetModel()

    def row_of(self, value_id: int) -> int | None:
        return next((i for i, row in enumerate(self._rows) if row.id == value_id), None)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return row.cells()[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == NOTE and row.note:
                return row.note
            if column in (SOURCE, BREAKDOWN):
                return row.cells()[column] or None
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == VALUE:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.FontRole and row.is_forecast and column == VALUE:
            # Forecasts in italics as well as in words, as the chart draws them dashed.
            font = QFont()
            font.setItalic(True)
            return font
        if role == ID_ROLE:
            return row.id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section == VALUE and self._unit:
                return f"{HEADERS[section]} ({self._unit})"
            return HEADERS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and section == VALUE:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return read_only_flags(index)
