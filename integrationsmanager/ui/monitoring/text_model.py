"""A read-only table of texts, for the previews of the import dialog."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from integrationsmanager.ui.widgets.lazy_table import read_only_flags

_Index = QModelIndex | QPersistentModelIndex


class TextTableModel(QAbstractTableModel):
    """Rows of cell texts under ``headers``; row labels (the file's row numbers) at the side.

    ``bold_rows`` are drawn in bold (a file's header rows), ``right_aligned`` columns hold
    numbers.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers: tuple[str, ...] = ()
        self._rows: tuple[tuple[str, ...], ...] = ()
        self._row_labels: tuple[str, ...] = ()
        self._bold_rows: frozenset[int] = frozenset()
        self._right_aligned: frozenset[int] = frozenset()
        self._column_colours: dict[int, QBrush] = {}

    def set_table(
        self,
        headers: Sequence[str],
        rows: Iterable[Sequence[str]],
        *,
        row_labels: Sequence[str] = (),
        bold_rows: Iterable[int] = (),
        right_aligned: Iterable[int] = (),
    ) -> None:
        self.beginResetModel()
        self._headers = tuple(headers)
        self._rows = tuple(tuple(row) for row in rows)
        self._row_labels = tuple(row_labels)
        self._bold_rows = frozenset(bold_rows)
        self._right_aligned = frozenset(right_aligned)
        self.endResetModel()

    def set_column_colours(self, colours: dict[int, str]) -> None:
        """Light backgrounds for some columns (what a mapping chose; words say it too)."""
        self._column_colours = {c: QBrush(QColor(colour)) for c, colour in colours.items()}
        if self._rows and self._headers:
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(len(self._rows) - 1, len(self._headers) - 1),
                [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole],
            )

    def cell(self, row: int, column: int) -> str:
        cells = self._rows[row]
        return cells[column] if column < len(cells) else ""

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = self.cell(index.row(), index.column())
            return text if role == Qt.ItemDataRole.DisplayRole else (text or None)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self._right_aligned:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if index.column() in self._column_colours:
            if role == Qt.ItemDataRole.BackgroundRole:
                return self._column_colours[index.column()]
            if role == Qt.ItemDataRole.ForegroundRole:
                # Dark text on the light background, also under a dark system theme.
                return QBrush(QColor("black"))
        if role == Qt.ItemDataRole.FontRole and index.row() in self._bold_rows:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        if 0 <= section < len(self._row_labels):
            return self._row_labels[section]
        return section + 1

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return read_only_flags(index)
