"""The budget of one year: a table per programme with a totals row, and the chart beside it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from integrationsmanager.domain.money import format_money
from integrationsmanager.services.budgets import BudgetRow, budget_overview, budget_total
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.funding.chart import BudgetChart, ChartGroup
from integrationsmanager.ui.funding.programs import ProgramsDialog
from integrationsmanager.ui.widgets.files import ask_save_path
from integrationsmanager.ui.widgets.lazy_table import read_only_flags

YEARS_BACK = 5
YEARS_AHEAD = 2
FOLDER_KEY = "funding/folder"
HEADERS = ("Programm", "Budget", "Bewilligt", "Ausgezahlt", "Verbleibend")

_Index = QModelIndex | QPersistentModelIndex


def amounts(row: BudgetRow) -> tuple[int, int, int, int]:
    """Budget, approved, paid and remaining of a row, in the table's column order."""
    return (row.budget_cents, row.approved_cents, row.paid_cents, row.remaining_cents)


class BudgetTableModel(QAbstractTableModel):
    """The programmes of a year and, as the last row, their totals (in bold)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[BudgetRow, ...] = ()

    @property
    def rows(self) -> tuple[BudgetRow, ...]:
        """The programmes' rows, without the totals row."""
        return self._rows

    def set_rows(self, rows: Sequence[BudgetRow]) -> None:
        self.beginResetModel()
        self._rows = (*rows, budget_total(list(rows))) if rows else ()
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == 0:
                return row.program
            return format_money(amounts(row)[column - 1])
        if role == Qt.ItemDataRole.TextAlignmentRole and column > 0:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.FontRole and row.program_id is None:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and section > 0:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return read_only_flags(index)


class BudgetTab(QWidget):
    """Year selector, the table and the chart; saving and copying the chart."""

    status_message = Signal(str)

    def __init__(
        self, database: Database, *, today: date | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._database = database
        this_year = (today or date.today()).year
        self.year_combo = QComboBox(self)
        for year in range(this_year + YEARS_AHEAD, this_year - YEARS_BACK - 1, -1):
            self.year_combo.addItem(str(year), year)
        self.year_combo.setCurrentIndex(self.year_combo.findData(this_year))
        year_label = QLabel("Haushalts&jahr", self)
        year_label.setBuddy(self.year_combo)
        self.year_combo.setAccessibleName("Haushaltsjahr")
        self.summary_label = QLabel(self)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_button = QPushButton("Als PNG speichern …", self)
        self.save_button.setAccessibleName("Diagramm als PNG speichern")
        self.copy_button = QPushButton("Kopieren", self)
        self.copy_button.setAccessibleName("Diagramm in die Zwischenablage kopieren")
        self.programs_button = QPushButton("&Programme und Budgets …", self)
        self.programs_button.setAccessibleName("Programme und Budgets bearbeiten")
        self.programs_dialog: ProgramsDialog | None = None

        self.model = BudgetTableModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Budget je Förderprogramm")
        self.table.horizontalHeader().setAccessibleName("Spalten: Budget")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        line = self.table.fontMetrics().height()
        self.table.verticalHeader().setDefaultSectionSize(line + line // 2)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(HEADERS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.chart = BudgetChart(self)

        bar = QHBoxLayout()
        bar.addWidget(year_label)
        bar.addWidget(self.year_combo)
        bar.addWidget(self.summary_label, 1)
        bar.addWidget(self.programs_button)
        bar.addWidget(self.save_button)
        bar.addWidget(self.copy_button)
        # The table is as tall as its rows; the chart beside it takes the rest.
        table_column = QWidget(self)
        column_layout = QVBoxLayout(table_column)
        column_layout.setContentsMargins(0, 0, 0, 0)
        column_layout.addWidget(self.table)
        self.note_label = QLabel(
            "Bewilligt zählt die Zuwendungen des Haushaltsjahres ab „bewilligt“ (ohne "
            "abgelehnte und zurückgezogene); Ausgezahlt die ausgezahlten Tranchen; "
            "Verbleibend ist Budget minus Bewilligt. Zeigen Sie auf einen Balken für den "
            "genauen Betrag.",
            table_column,
        )
        self.note_label.setWordWrap(True)
        column_layout.addWidget(self.note_label)
        column_layout.addStretch(1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(table_column)
        self.splitter.addWidget(self.chart)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([2000, 3000])  # proportions; Qt scales them to the width
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)

        self.year_combo.currentIndexChanged.connect(self._on_year_combo_changed)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        self.programs_button.clicked.connect(self._on_programs_button_clicked)
        self.chart.save_requested.connect(self._on_save_button_clicked)
        self.chart.copy_requested.connect(self._on_copy_button_clicked)
        self.refresh()

    @property
    def year(self) -> int:
        return int(self.year_combo.currentData())

    def set_year(self, year: int) -> None:
        index = self.year_combo.findData(year)
        if index < 0:
            self.year_combo.addItem(str(year), year)
            index = self.year_combo.count() - 1
        self.year_combo.setCurrentIndex(index)

    def refresh(self) -> None:
        """Read the year's numbers again."""
        with self._database.session() as session:
            rows = budget_overview(session, self.year)
        self.model.set_rows(rows)
        self.chart.set_groups(
            [
                ChartGroup(
                    row.short_code or row.program,
                    (row.budget_cents, row.approved_cents, row.paid_cents),
                )
                for row in rows
            ]
        )
        self._fit_table_height()
        has_data = bool(rows)
        self.save_button.setEnabled(has_data)
        self.copy_button.setEnabled(has_data)
        if has_data:
            total = budget_total(rows)
            self.summary_label.setText(
                f"Verbleibend {self.year}: {format_money(total.remaining_cents)} "
                f"von {format_money(total.budget_cents)}"
            )
        else:
            self.summary_label.setText(f"Für {self.year} ist noch kein Förderprogramm angelegt.")

    def _fit_table_height(self) -> None:
        rows = self.table.verticalHeader()
        height = (
            self.table.horizontalHeader().sizeHint().height()
            + rows.defaultSectionSize() * max(self.model.rowCount(), 1)
            + 2 * self.table.frameWidth()
        )
        self.table.setFixedHeight(height)

    def _on_year_combo_changed(self, _index: int) -> None:
        self.refresh()

    def _on_save_button_clicked(self) -> None:
        path = ask_save_path(
            self,
            caption="Diagramm speichern",
            name=f"Budget-{self.year}.png",
            file_filter="PNG-Bild (*.png)",
            folder_key=FOLDER_KEY,
        )
        if path is None:
            return
        if self.chart.save_png(path):
            self.status_message.emit(f"Diagramm gespeichert: {path.name}")
        else:
            self.status_message.emit(f"Diagramm konnte nicht gespeichert werden: {path.name}")

    def _on_copy_button_clicked(self) -> None:
        self.chart.copy_to_clipboard()
        self.status_message.emit("Diagramm in die Zwischenablage kopiert")

    def open_programs(self) -> ProgramsDialog:
        """Open the programmes and budgets; the table is read again when it closes."""
        dialog = ProgramsDialog(self._database, year=self.year, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._on_programs_dialog_finished)
        self.programs_dialog = dialog
        dialog.open()
        return dialog

    def _on_programs_button_clicked(self) -> None:
        self.open_programs()

    def _on_programs_dialog_finished(self, _result: int) -> None:
        self.programs_dialog = None
        self.refresh()
