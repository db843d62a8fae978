"""The preview table of an import dialog: whole rows, read-only, compact, long cells cut.

Shared by the contact import and the indicator import, so both previews look and behave
alike (Tab leaves the table, arrows move inside it).
"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QHeaderView, QTableView, QWidget

MAX_COLUMN_CHARACTERS = 45
"""Widest a preview column gets on its own (in average characters of the font)."""


def preview_table(parent: QWidget, name: str, *, row_numbers: bool = False) -> QTableView:
    """A read-only table named ``name`` for screen readers; ``row_numbers`` shows the
    vertical header (the file's row numbers)."""
    view = QTableView(parent)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(False)
    view.setTabKeyNavigation(False)
    rows = view.verticalHeader()
    rows.setVisible(row_numbers)
    rows.setAccessibleName(f"Zeilennummern in der Datei: {name}")
    view.setCornerButtonEnabled(False)
    for corner in view.findChildren(QAbstractButton):
        corner.setAccessibleName(f"Ecke der Tabelle: {name}")
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    line = view.fontMetrics().height()
    rows.setDefaultSectionSize(line + line // 2)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setAccessibleName(f"Spalten: {name}")
    return view


def fit_columns(view: QTableView, characters: int = MAX_COLUMN_CHARACTERS) -> None:
    """Size the columns to their contents, none wider than ``characters`` (tooltips show
    the rest)."""
    view.resizeColumnsToContents()
    widest = view.fontMetrics().averageCharWidth() * characters
    model = view.model()
    for column in range(model.columnCount() if model is not None else 0):
        if view.columnWidth(column) > widest:
            view.setColumnWidth(column, widest)
