"""One indicator at a glance: its facts, its time series, its breakdown, and its values.

The time series draws the totals (forecasts dashed, the target as a line); the bar chart the
breakdown values of one year (e.g. foreign nationals by nationality), largest first. The
values table below lists every value; its buttons (and Entf, Enter) add, change and delete
values. The page listens to ``values_changed`` to refresh the list and the other areas.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from html import escape

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from integrationsmanager.domain.enums import Direction
from integrationsmanager.domain.errors import UserError
from integrationsmanager.domain.monitoring import IndicatorValue
from integrationsmanager.services.indicators import (
    breakdown,
    breakdown_years,
    delete_value,
    get_indicator,
    series,
    values_of,
)
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.monitoring.editor import direction_label
from integrationsmanager.ui.monitoring.numbers import value_text
from integrationsmanager.ui.monitoring.value_dialog import ValueDialog
from integrationsmanager.ui.monitoring.values_model import (
    BREAKDOWN,
    FORECAST,
    NOTE,
    PERIOD,
    SOURCE,
    VALUE,
    ValueRow,
    ValuesModel,
)
from integrationsmanager.ui.widgets.charts import BarChart, BarSeries, SeriesPoint, TimeSeriesChart
from integrationsmanager.ui.widgets.empty_state import (
    empty_state_label,
    placeholder_label,
    selection_stack,
)
from integrationsmanager.ui.widgets.headings import heading_label

NOTHING_SELECTED = "Eine Kennzahl in der Liste auswählen, um ihre Werte und Diagramme zu sehen."
NO_VALUES = (
    'Noch keine Werte — <a href="add">Wert hinzufügen</a> oder Werte aus einer Datei '
    "importieren (Kennzahlen importieren …)."
)
BARS_SHOWN = 15
"""The largest breakdown values the bar chart shows; the table below lists them all."""
HORIZONTAL_FROM = 5
"""From this many bars on they lie horizontally, so long names stay readable."""


@dataclass(frozen=True)
class Facts:
    """What the header says about an indicator."""

    name: str
    unit: str
    source: str
    description: str
    direction: Direction
    target_value: Decimal | None
    target_year: int | None
    breakdown_key: str
    guidelines: tuple[str, ...]


def facts_html(facts: Facts) -> str:
    """Unit, direction, target, source and guidelines as one compact block."""
    target = value_text(facts.target_value, facts.unit)
    if target and facts.target_year is not None:
        target += f" bis {facts.target_year}"
    parts = [
        ("Einheit", facts.unit),
        ("Richtung", direction_label(facts.direction)),
        ("Ziel", target or "kein Zielwert"),
        ("Aufgliederung", facts.breakdown_key),
        ("Quelle", facts.source),
    ]
    line = " &nbsp;·&nbsp; ".join(
        f"<b>{escape(label)}:</b> {escape(text)}" for label, text in parts if text
    )
    guidelines = " · ".join(escape(g) for g in facts.guidelines) or "keiner zugeordnet"
    description = (
        f"<p>{escape(facts.description).replace(chr(10), '<br>')}</p>" if facts.description else ""
    )
    return f"<p>{line}<br><b>Leitlinien:</b> {guidelines}</p>{description}"


def _period(value: IndicatorValue) -> tuple[int, date]:
    """A value's place in time: a year's value at the year's end."""
    return value.year, value.reference_date or date(value.year, 12, 31)


class IndicatorDetails(QWidget):
    """The shown indicator (``indicator_id``); ``values_changed`` carries a status line.

    The header and the charts fill the widget; the values table with its buttons
    (:attr:`values_box`) is placed by the owner (the page puts it under the list).
    """

    values_changed = Signal(str)
    status_message = Signal(str)

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._database = database
        self.indicator_id: int | None = None
        self.facts: Facts | None = None
        self.dialog: ValueDialog | None = None
        """The open value dialog, if any."""
        self._chosen_year: int | None = None
        """The breakdown year the user picked for the shown indicator (None: the latest)."""

        self.heading = heading_label(self)
        self.heading.setAccessibleName("Kennzahl")
        self.facts_label = QLabel(self)
        self.facts_label.setWordWrap(True)
        self.facts_label.setTextFormat(Qt.TextFormat.RichText)
        self.facts_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts_label.setAccessibleName("Angaben zur Kennzahl")
        self.edit_button = QPushButton("Kennzahl &bearbeiten …", self)
        self.edit_button.setAccessibleName("Kennzahl bearbeiten")
        self.edit_button.setToolTip("Name, Einheit, Ziel und Leitlinien ändern")
        self.delete_button = QPushButton("Kennzahl &löschen …", self)
        self.delete_button.setAccessibleName("Kennzahl löschen")
        self.delete_button.setToolTip("Die Kennzahl mit allen Werten löschen (Entf in der Liste)")
        header = QVBoxLayout()
        title_row = QHBoxLayout()
        title_row.addWidget(self.heading, 1)
        title_row.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)
        title_row.addWidget(self.delete_button, 0, Qt.AlignmentFlag.AlignTop)
        header.addLayout(title_row)
        header.addWidget(self.facts_label)

        self._build_charts()
        self._build_values()

        self.placeholder = placeholder_label(NOTHING_SELECTED, self)
        self.placeholder.setAccessibleName("Keine Kennzahl ausgewählt")
        self.shown = QWidget(self)
        self.stack = selection_stack(self, self.placeholder, self.shown, header, self.chart_stack)
        self._connect()
        self.show_indicator(None)

    # --- building -------------------------------------------------------------------------

    def _build_charts(self) -> None:
        self.chart_stack = QStackedWidget(self)
        charts = QWidget(self.chart_stack)
        self.time_chart = TimeSeriesChart(
            charts, name="Zeitreihe der Kennzahl", file_name="Zeitreihe.png"
        )
        self.bar_box = QWidget(charts)
        self.bar_chart = BarChart(
            self.bar_box, name="Aufgliederung der Kennzahl", file_name="Aufgliederung.png"
        )
        self.year_combo = QComboBox(self.bar_box)
        self.year_combo.setAccessibleName("Jahr der Aufgliederung")
        year_label = QLabel("&Jahr der Aufgliederung", self.bar_box)
        year_label.setBuddy(self.year_combo)
        self.bar_note = QLabel(self.bar_box)
        self.bar_note.setWordWrap(True)
        year_row = QHBoxLayout()
        year_row.addWidget(year_label)
        year_row.addWidget(self.year_combo)
        year_row.addWidget(self.bar_note, 1)
        bar_layout = QVBoxLayout(self.bar_box)
        bar_layout.setContentsMargins(0, 0, 0, 0)
        bar_layout.addWidget(self.bar_chart, 1)
        bar_layout.addLayout(year_row)
        column = QVBoxLayout(charts)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.time_chart, 1)
        column.addWidget(self.bar_box, 1)

        self.no_values_label = empty_state_label(self.chart_stack)
        self.no_values_label.setText(NO_VALUES)
        self.no_values_label.setAccessibleName("Noch keine Werte")
        self.chart_stack.addWidget(charts)
        self.chart_stack.addWidget(self.no_values_label)
        self.charts = charts

    def _build_values(self) -> None:
        self.values_box = QWidget(self)
        self.values_model = ValuesModel(self)
        self.values_view = QTableView(self.values_box)
        self.values_view.setModel(self.values_model)
        self.values_view.setAccessibleName("Werte der Kennzahl")
        self.values_view.horizontalHeader().setAccessibleName("Spalten: Werte der Kennzahl")
        self.values_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.values_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.values_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.values_view.setAlternatingRowColors(True)
        self.values_view.setWordWrap(False)
        self.values_view.setTabKeyNavigation(False)
        rows = self.values_view.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        line = self.fontMetrics().height()
        rows.setDefaultSectionSize(line + line // 2)
        columns = self.values_view.horizontalHeader()
        columns.setSectionResizeMode(NOTE, QHeaderView.ResizeMode.Stretch)
        metrics = self.fontMetrics()
        padding = metrics.horizontalAdvance("M")
        for column, sample in (
            (PERIOD, "31.12.2024"),
            (BREAKDOWN, "Afghanistan"),
            (VALUE, "Wert (Personen)"),
            (FORECAST, "Prognose"),
            (SOURCE, "Landesamt f. Statistik"),
        ):
            title = str(self.values_model.headerData(column, Qt.Orientation.Horizontal))
            width = max(metrics.horizontalAdvance(sample), metrics.horizontalAdvance(title))
            self.values_view.setColumnWidth(column, width + padding)

        self.values_label = QLabel("&Werte der gewählten Kennzahl", self.values_box)
        self.values_label.setBuddy(self.values_view)
        self.add_button = QPushButton("Wert &hinzufügen …", self.values_box)
        self.add_button.setAccessibleName("Wert hinzufügen")
        self.value_edit_button = QPushButton("Wert än&dern …", self.values_box)
        self.value_edit_button.setAccessibleName("Wert ändern")
        self.value_edit_button.setToolTip("Den gewählten Wert ändern (Eingabetaste)")
        self.value_delete_button = QPushButton("Wert l&öschen", self.values_box)
        self.value_delete_button.setAccessibleName("Wert löschen")
        self.value_delete_button.setToolTip("Den gewählten Wert löschen (Entf)")
        buttons = QHBoxLayout()
        buttons.addWidget(self.values_label)
        buttons.addStretch(1)
        for button in (self.add_button, self.value_edit_button, self.value_delete_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self.values_box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.values_view, 1)

    def _connect(self) -> None:
        self.year_combo.currentIndexChanged.connect(self._on_year_combo_changed)
        self.add_button.clicked.connect(self.add_value)
        self.value_edit_button.clicked.connect(self._on_value_edit_button_clicked)
        self.value_delete_button.clicked.connect(self._on_value_delete_button_clicked)
        self.values_view.activated.connect(self._on_values_view_activated)
        self.values_view.selectionModel().selectionChanged.connect(self._update_value_actions)
        self.no_values_label.linkActivated.connect(self._on_no_values_link_activated)
        self.time_chart.status_message.connect(self.status_message)
        self.bar_chart.status_message.connect(self.status_message)
        delete = QShortcut(QKeySequence.StandardKey.Delete, self.values_view)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self._on_value_delete_button_clicked)

    # --- showing --------------------------------------------------------------------------

    def show_indicator(self, indicator_id: int | None) -> None:
        """Show ``indicator_id`` (None, or one that is gone: the hint to pick one)."""
        if indicator_id != self.indicator_id:
            self._chosen_year = None
        self.indicator_id = indicator_id
        self.facts = None
        if indicator_id is not None:
            try:
                self._load(indicator_id)
            except UserError:
                self.indicator_id = None
        if self.indicator_id is None:
            self.values_model.set_rows([])
            self.stack.setCurrentWidget(self.placeholder)
        else:
            self.stack.setCurrentWidget(self.shown)
        self._update_value_actions()

    def reload(self) -> None:
        """Read the shown indicator again (after a change)."""
        self.show_indicator(self.indicator_id)

    def selected_value_id(self) -> int | None:
        index = self.values_view.selectionModel().currentIndex()
        if not index.isValid() or not self.values_view.selectionModel().isRowSelected(index.row()):
            return None
        return self.values_model.rows[index.row()].id

    def select_value(self, value_id: int) -> bool:
        row = self.values_model.row_of(value_id)
        if row is None:
            return False
        self.values_view.selectRow(row)
        self.values_view.scrollTo(self.values_model.index(row, 0))
        return True

    def _load(self, indicator_id: int) -> None:
        with self._database.session() as session:
            indicator = get_indicator(session, indicator_id)
            facts = Facts(
                name=indicator.name,
                unit=indicator.unit,
                source=indicator.source,
                description=indicator.description,
                direction=Direction(indicator.direction),
                target_value=indicator.target_value,
                target_year=indicator.target_year,
                breakdown_key=indicator.breakdown_key,
                guidelines=tuple(g.label for g in indicator.guidelines),
            )
            # Newest first (the chart shows the history); within a period the total first.
            values = sorted(values_of(session, indicator_id), key=_period, reverse=True)
            rows = [ValueRow.from_value(v) for v in values]
            points = series(session, indicator_id).points
            years = breakdown_years(session, indicator_id)
        self.facts = facts
        self.heading.setText(facts.name)
        self.heading.setAccessibleName(f"Kennzahl: {facts.name}")
        self.facts_label.setText(facts_html(facts))
        self.values_model.set_rows(rows, facts.unit)

        # Once a value has a reference date the axis shows dates; a year's value then
        # stands at the year's end, as the services order periods.
        dated = any(p.reference_date is not None for p in points)
        chart_points = [
            SeriesPoint(
                p.reference_date or (date(p.year, 12, 31) if dated else p.year),
                p.value,
                p.is_forecast,
            )
            for p in points
        ]
        target: tuple[int, Decimal] | None = None
        if facts.target_value is not None:
            target_year = facts.target_year or max((p.year for p in points), default=None)
            if target_year is not None:
                target = (target_year, facts.target_value)
        self.time_chart.set_series(chart_points, target=target, unit=facts.unit, title=facts.name)
        self.time_chart.file_name = f"{facts.name}.png"
        self.time_chart.setVisible(bool(chart_points) or target is not None)

        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for year in reversed(years):
            self.year_combo.addItem(str(year), year)
        # The latest year, unless the user chose another one for this indicator.
        self.year_combo.setCurrentIndex(max(self.year_combo.findData(self._chosen_year), 0))
        self.year_combo.setEnabled(len(years) > 1)
        self.year_combo.blockSignals(False)
        self.bar_box.setVisible(bool(years))
        if years:
            self._show_breakdown()
        self.chart_stack.setCurrentWidget(self.charts if rows else self.no_values_label)

    def _show_breakdown(self) -> None:
        if self.indicator_id is None or self.facts is None:
            return
        year = self.year_combo.currentData()
        with self._database.session() as session:
            pairs = breakdown(session, self.indicator_id, year if isinstance(year, int) else None)
        shown = pairs[:BARS_SHOWN]
        key = self.facts.breakdown_key or "Ausprägung"
        self.bar_chart.set_data(
            [name for name, _value in shown],
            [BarSeries(str(year), [value for _name, value in shown])],
            unit=self.facts.unit,
            horizontal=len(shown) >= HORIZONTAL_FROM,
            title=f"{key} {year}",
        )
        self.bar_chart.file_name = f"{self.facts.name} nach {key} {year}.png"
        self.bar_note.setText(
            f"Die {len(shown)} größten von {len(pairs)} Ausprägungen; alle stehen in den Werten."
            if len(pairs) > len(shown)
            else ""
        )

    def _update_value_actions(self, *_args: object) -> None:
        shown = self.indicator_id is not None
        selected = self.selected_value_id() is not None
        self.add_button.setEnabled(shown)
        self.value_edit_button.setEnabled(selected)
        self.value_delete_button.setEnabled(selected)

    # --- values ---------------------------------------------------------------------------

    def add_value(self) -> ValueDialog | None:
        """Open the dialog for a new value of the shown indicator."""
        if self.indicator_id is None:
            return None
        return self._open_dialog(None)

    def edit_value(self, value_id: int) -> ValueDialog | None:
        return self._open_dialog(value_id)

    def delete_selected_value(self) -> bool:
        """Ask, naming the value; delete it. True if it was deleted."""
        value_id = self.selected_value_id()
        if value_id is None or self.indicator_id is None:
            return False
        row = self.values_model.rows[self.values_model.row_of(value_id) or 0]
        what = row.period if not row.breakdown else f"{row.period}, {row.breakdown}"
        answer = QMessageBox.question(
            self,
            "Wert löschen",
            f"Den Wert {row.value} ({what}) der Kennzahl „{self.heading.text()}“ löschen?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        position = self.values_model.row_of(value_id) or 0
        try:
            with self._database.session() as session:
                delete_value(session, value_id)
        except UserError as err:
            QMessageBox.warning(self, "Wert löschen", str(err))
            self.reload()
            return False
        self.reload()
        if self.values_model.rowCount():
            self.values_view.selectRow(min(position, self.values_model.rowCount() - 1))
        self.values_changed.emit(f"Wert gelöscht: {row.value} ({what})")
        return True

    def _open_dialog(self, value_id: int | None) -> ValueDialog | None:
        assert self.indicator_id is not None
        try:
            dialog = ValueDialog(
                self._database, indicator_id=self.indicator_id, value_id=value_id, parent=self
            )
        except UserError as err:
            QMessageBox.warning(self, "Wert", str(err))
            self.reload()
            return None
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._on_dialog_saved)
        dialog.finished.connect(self._on_dialog_finished)
        self.dialog = dialog
        dialog.open()
        return dialog

    # --- slots ----------------------------------------------------------------------------

    def _on_dialog_saved(self, value_id: int) -> None:
        self.reload()
        self.select_value(value_id)
        self.values_changed.emit("Wert gespeichert")

    def _on_dialog_finished(self, _result: int) -> None:
        self.dialog = None
        self.values_view.setFocus()

    def _on_year_combo_changed(self, _index: int) -> None:
        chosen = self.year_combo.currentData()
        self._chosen_year = chosen if isinstance(chosen, int) else None
        self._show_breakdown()

    def _on_value_edit_button_clicked(self) -> None:
        value_id = self.selected_value_id()
        if value_id is not None:
            self.edit_value(value_id)

    def _on_value_delete_button_clicked(self) -> None:
        self.delete_selected_value()

    def _on_values_view_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.edit_value(self.values_model.rows[index.row()].id)

    def _on_no_values_link_activated(self, link: str) -> None:
        if link == "add":
            self.add_value()
