"""A read-only list of records over a lazy model: whole rows, remembered widths and order.

The view keeps its column widths, order, hidden columns and sort order in the user's
settings under ``settings_key``; until the user sets their own, the widths come from typical
contents in the current font (no pixel constants, so a larger system font still fits).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from PySide6.QtCore import QByteArray, QItemSelectionModel, QPoint, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableView, QWidget

from integrationsmanager.ui.widgets.lazy_table import LazyTableModel
from integrationsmanager.ui.widgets.settings import app_settings


class RecordTable(QTableView):
    """Rows of ``model``; ``stretch_column`` takes the remaining width and cannot be hidden.

    ``header_name`` names the column header for screen readers ("Spalten: ``name``" unless
    given); ``icon_column`` shows an icon before its text and is made wider for it.
    """

    def __init__(
        self,
        model: LazyTableModel[Any, Any],
        *,
        name: str,
        settings_key: str,
        width_samples: Sequence[str],
        stretch_column: int = 0,
        header_name: str | None = None,
        icon_column: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._model = model
        self._settings_key = settings_key
        self._width_samples = tuple(width_samples)
        self._stretch_column = stretch_column
        self._icon_column = icon_column
        self.setAccessibleName(name)
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)
        rows = self.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        line = self.fontMetrics().height()
        rows.setDefaultSectionSize(line + line // 2)
        header = self.horizontalHeader()
        header.setAccessibleName(header_name or f"Spalten: {name}")
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.setToolTip("Rechtsklick: Spalten ein- und ausblenden")
        self._restore_state()
        header.sortIndicatorChanged.connect(self._on_header_changed)
        header.sectionResized.connect(self._on_header_changed)
        header.sectionMoved.connect(self._on_header_changed)
        header.customContextMenuRequested.connect(self._on_header_context_menu_requested)

    # --- records --------------------------------------------------------------------------

    def selected_id(self) -> int | None:
        """The id of the selected row, or None."""
        index = self.selectionModel().currentIndex()
        if not index.isValid() or not self.selectionModel().isRowSelected(index.row()):
            return None
        return self._model.record_id(index.row())

    def select_id(self, record_id: int) -> bool:
        """Make ``record_id`` the current, selected and visible row if the list shows it."""
        row = self._model.row_of(record_id)
        if row is None:
            return False
        index = self._model.index(row, self._stretch_column)
        self.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.scrollTo(index)
        return True

    # --- remembered state -----------------------------------------------------------------

    def _restore_state(self) -> None:
        header = self.horizontalHeader()
        state = app_settings().value(self._settings_key)
        if not (
            isinstance(state, QByteArray)
            and header.restoreState(state)
            and header.count() == self._model.columnCount()
        ):
            self._default_widths()
            header.setSortIndicator(self._model.sort_column, self._model.sort_order)

    def _default_widths(self) -> None:
        metrics = self.fontMetrics()
        padding = metrics.horizontalAdvance("M")
        icon = self.iconSize().width() if self.iconSize().isValid() else 0
        for column, sample in enumerate(self._width_samples):
            title = self._model.headerData(column, Qt.Orientation.Horizontal)
            header = metrics.horizontalAdvance(str(title)) + 2 * padding
            extra = max(icon, metrics.height()) + padding if column == self._icon_column else 0
            width = max(metrics.horizontalAdvance(sample) + extra, header)
            self.setColumnWidth(column, width + padding)

    def _on_header_changed(self, *_args: object) -> None:
        app_settings().setValue(self._settings_key, self.horizontalHeader().saveState())

    def _on_header_context_menu_requested(self, position: QPoint) -> None:
        header = self.horizontalHeader()
        menu = QMenu(self)
        for column in range(self._model.columnCount()):
            if column == self._stretch_column:
                continue
            action = menu.addAction(str(self._model.headerData(column, Qt.Orientation.Horizontal)))
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column))
            action.toggled.connect(partial(self._on_column_action_toggled, column))
        menu.exec(header.mapToGlobal(position))
        menu.deleteLater()

    def _on_column_action_toggled(self, column: int, shown: bool) -> None:
        self.horizontalHeader().setSectionHidden(column, not shown)
        self._on_header_changed()
