"""The mapping step for a wide statistics table (a GENESIS download): which indicator, which
column names the rows, where the periods and the values are; the resulting values live below.

The table is shown as the file has it (title lines above as context, header rows in bold,
the file's row numbers at the side). The controls start from
:func:`~integrationsmanager.ui.monitoring.wide_suggest.suggest_mapping`; every change shows the
values the import would store (:func:`~integrationsmanager.services.indicator_io.wide_values`)
or the problems, each naming its row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from integrationsmanager.domain.errors import UserError
from integrationsmanager.domain.text import clean_line, fold
from integrationsmanager.services.indicator_io import (
    StatisticsTable,
    WideMapping,
    WidePreview,
    WideValue,
    wide_values,
)
from integrationsmanager.services.indicators import (
    NAME_MAX,
    SOURCE_MAX,
    UNIT_MAX,
    IndicatorData,
    period_label,
)
from integrationsmanager.services.statistics_table import parse_period
from integrationsmanager.ui.monitoring.numbers import number_text
from integrationsmanager.ui.monitoring.text_model import TextTableModel
from integrationsmanager.ui.monitoring.wide_suggest import (
    number_columns,
    suggest_mapping,
    suggested_name,
)
from integrationsmanager.ui.widgets.filters import plural
from integrationsmanager.ui.widgets.form import labelled_row, message_label
from integrationsmanager.ui.widgets.previews import fit_columns, preview_table

NEW_INDICATOR = 0
"""The target combo's data for "create a new indicator" (real ids start at 1)."""
PERIOD_FROM_HEADER, PERIOD_FROM_COLUMN, PERIOD_FIXED = range(3)
PREVIEW_DELAY_MS = 250
SPLIT_UNIT = 1000
PROBLEMS_SHOWN = 8
COMBO_CHARACTERS = 16
FORM_CHARACTERS = 50
"""Width of the mapping controls (average characters); the table takes the rest."""
VALUE_COLOUR = "#DCEBF7"
LABEL_COLOUR = "#FFF4CE"
"""Light backgrounds of the chosen value columns and the label column in the table."""
PREVIEW_HEADERS = ("Zeile", "Zeitraum", "Ausprägung", "Wert")


@dataclass(frozen=True)
class IndicatorChoice:
    id: int
    name: str
    unit: str


def _combo(parent: QWidget) -> QComboBox:
    combo = QComboBox(parent)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(COMBO_CHARACTERS)
    return combo


def clash_problems(values: list[tuple[int, int, date | None, str]]) -> list[str]:
    """(row, year, date, breakdown) found twice: the import would refuse them, say so now."""
    first: dict[tuple[int, date | None, str], int] = {}
    problems = []
    for row, year, when, breakdown in values:
        earlier = first.setdefault((year, when, breakdown), row)
        if earlier != row:
            what = f" und „{breakdown}“" if breakdown else ""
            problems.append(
                f"Zeile {row}: Für {period_label(year, when)}{what} gibt es schon einen Wert "
                f"aus Zeile {earlier} – bitte nur eine Zeile wählen (Zeilen filtern) oder die "
                "Zeilen als Ausprägungen übernehmen."
            )
    return problems


class WideMappingPanel(QWidget):
    """Map one wide table to values of one indicator; ``state_changed`` after each preview."""

    state_changed = Signal()

    def __init__(
        self,
        table: StatisticsTable,
        indicators: list[IndicatorChoice],
        *,
        indicator_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.table = table
        self._indicators = indicators
        self._names = {fold(choice.name) for choice in indicators}
        self.preview: WidePreview | None = None
        self.problems: list[str] = []
        self.value_items: dict[int, QListWidgetItem] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.refresh_preview)

        grid_box = self._build_grid()
        form_scroll = self._build_form()
        preview_box = self._build_preview()
        left = QSplitter(Qt.Orientation.Vertical, self)
        left.addWidget(grid_box)
        left.addWidget(preview_box)
        left.setChildrenCollapsible(False)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(form_scroll)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([3 * SPLIT_UNIT, 2 * SPLIT_UNIT])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        self._fill(suggest_mapping(table), indicator_id)
        self._connect()
        self.refresh_preview()

    # --- building -------------------------------------------------------------------------

    def _build_grid(self) -> QWidget:
        box = QGroupBox("Tabelle in der Datei", self)
        self.context_label = QLabel(box)
        self.context_label.setWordWrap(True)
        self.context_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.context_label.setText("\n".join(self.table.title_lines) or self.table.file_name)
        self.context_label.setAccessibleName("Titel der Tabelle")
        self.grid_model = TextTableModel(self)
        body = self.table.rows[self.table.header_start : self.table.footer_start]
        columns = self.table.column_count
        self.grid_model.set_table(
            [f"Spalte {c + 1}" for c in range(columns)],
            [row.cells for row in body],
            row_labels=[str(row.number) for row in body],
            bold_rows=range(len(self.table.header_rows)),
        )
        self.grid_view = preview_table(box, "Tabelle in der Datei", row_numbers=True)
        self.grid_view.setModel(self.grid_model)
        self.grid_view.horizontalHeader().setStretchLastSection(False)
        fit_columns(self.grid_view, 28)
        layout = QVBoxLayout(box)
        layout.addWidget(self.context_label)
        layout.addWidget(self.grid_view, 1)
        return box

    def _build_form(self) -> QScrollArea:
        content = QWidget(self)
        target_box = QGroupBox("Kennzahl", content)
        target_form = QFormLayout(target_box)
        self.indicator_combo = _combo(target_box)
        for choice in self._indicators:
            self.indicator_combo.addItem(choice.name, choice.id)
        self.indicator_combo.addItem("Neue Kennzahl anlegen …", NEW_INDICATOR)
        labelled_row(target_form, "&Kennzahl", self.indicator_combo, "Werte übernehmen für")
        self.name_edit = QLineEdit(target_box)
        self.name_edit.setMaxLength(NAME_MAX)
        labelled_row(target_form, "&Name", self.name_edit, "Name der neuen Kennzahl")
        self.unit_edit = QLineEdit(target_box)
        self.unit_edit.setMaxLength(UNIT_MAX)
        self.unit_edit.setPlaceholderText("z. B. Personen")
        labelled_row(target_form, "&Einheit", self.unit_edit, "Einheit der neuen Kennzahl")
        self.name_message = message_label(target_box, "Hinweis zum Namen")
        target_form.addRow("", self.name_message)
        self._target_form = target_form

        rows_box = QGroupBox("Zeilen", content)
        rows_form = QFormLayout(rows_box)
        self.label_combo = _combo(rows_box)
        for column in range(self.table.column_count):
            self.label_combo.addItem(self._column_text(column), column)
        labelled_row(rows_form, "&Bezeichnung in", self.label_combo, "Spalte mit den Bezeichnungen")
        self.filter_edit = QLineEdit(rows_box)
        self.filter_edit.setPlaceholderText("leer: alle Zeilen, z. B. Altenburger Land")
        labelled_row(rows_form, "Nur &Zeilen", self.filter_edit, "Nur Zeilen mit der Bezeichnung")
        self.rows_check = QCheckBox("Zeilen sind &Ausprägungen (z. B. Altersgruppen)", rows_box)
        self.rows_check.setAccessibleName("Zeilen als Ausprägungen übernehmen")
        rows_form.addRow("", self.rows_check)
        self.total_edit = QLineEdit(rows_box)
        self.total_edit.setToolTip(
            "Eine Zeile oder Spalte mit dieser Bezeichnung ist der Gesamtwert"
        )
        labelled_row(rows_form, "&Gesamtwert heißt", self.total_edit, "Bezeichnung des Gesamtwerts")

        period_box = QGroupBox("Zeitraum", content)
        period_form = QFormLayout(period_box)
        self.period_source_combo = _combo(period_box)
        self.period_source_combo.addItem(
            "aus einer Kopfzeile (über den Spalten)", PERIOD_FROM_HEADER
        )
        self.period_source_combo.addItem("aus einer Spalte (je Zeile)", PERIOD_FROM_COLUMN)
        self.period_source_combo.addItem("für alle Werte gleich", PERIOD_FIXED)
        labelled_row(period_form, "Zeitraum &steht", self.period_source_combo, "Zeitraum steht")
        self.period_header_combo = _combo(period_box)
        self.breakdown_header_combo = _combo(period_box)
        self.breakdown_header_combo.addItem("keiner", None)
        for index, row in enumerate(self.table.header_rows):
            text = f"Kopfzeile {index + 1} (Zeile {row.number}): {row.text}"
            self.period_header_combo.addItem(text, index)
            self.breakdown_header_combo.addItem(text, index)
        labelled_row(
            period_form, "&Kopfzeile", self.period_header_combo, "Kopfzeile mit dem Zeitraum"
        )
        self.period_column_combo = _combo(period_box)
        for column in range(self.table.column_count):
            self.period_column_combo.addItem(self._column_text(column), column)
        labelled_row(period_form, "S&palte", self.period_column_combo, "Spalte mit dem Zeitraum")
        self.period_edit = QLineEdit(period_box)
        self.period_edit.setPlaceholderText("z. B. 2024 oder 31.12.2024")
        labelled_row(
            period_form, "&Jahr/Stichtag", self.period_edit, "Jahr oder Stichtag aller Werte"
        )
        self._period_form = period_form

        values_box = QGroupBox("Werte", content)
        values_form = QFormLayout(values_box)
        self.columns_list = QListWidget(values_box)
        for column in range(self.table.column_count):
            item = QListWidgetItem(self._column_text(column), self.columns_list)
            item.setData(Qt.ItemDataRole.UserRole, column)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.value_items[column] = item
        self.columns_list.setToolTip("Leertaste hakt die gewählte Spalte an oder ab")
        lines = min(max(self.table.column_count, 3), 6)
        self.columns_list.setMinimumHeight(self.columns_list.sizeHintForRow(0) * lines)
        labelled_row(values_form, "Spalten mit &Werten", self.columns_list, "Spalten mit Werten")
        self.all_button = QPushButton("A&lle Zahlenspalten", values_box)
        self.all_button.setAccessibleName("Alle Spalten mit Zahlen wählen")
        self.all_button.setAutoDefault(False)
        self.none_button = QPushButton("Kei&ne", values_box)
        self.none_button.setAccessibleName("Keine Spalte wählen")
        self.none_button.setAutoDefault(False)
        choose = QHBoxLayout()
        choose.addWidget(self.all_button)
        choose.addWidget(self.none_button)
        choose.addStretch(1)
        values_form.addRow("", choose)
        labelled_row(
            values_form,
            "Ausprägung aus K&opfzeile",
            self.breakdown_header_combo,
            "Ausprägung aus Kopfzeile",
        )
        self.forecast_check = QCheckBox("Werte sind &Prognosen", values_box)
        self.forecast_check.setAccessibleName("Werte sind Prognosen")
        values_form.addRow("", self.forecast_check)
        self.source_edit = QLineEdit(values_box)
        self.source_edit.setMaxLength(SOURCE_MAX)
        self.source_edit.setPlaceholderText(self.table.suggested_source())
        self.source_edit.setToolTip("Leer: Titel und ©-Zeile der Tabelle")
        labelled_row(values_form, "&Quelle", self.source_edit, "Quelle der Werte")

        layout = QVBoxLayout(content)
        for box in (target_box, rows_box, period_box, values_box):
            layout.addWidget(box)
        layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setAccessibleName("Zuordnung der Tabelle")
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        scroll.setMinimumWidth(
            self.fontMetrics().averageCharWidth() * FORM_CHARACTERS
            + scroll.verticalScrollBar().sizeHint().width()
        )
        for form in (target_form, rows_form, period_form, values_form):
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        return scroll

    def _build_preview(self) -> QWidget:
        box = QGroupBox("Vorschau: diese Werte werden übernommen", self)
        self.preview_model = TextTableModel(self)
        self.preview_view = preview_table(box, "Vorschau der Werte")
        self.preview_view.setModel(self.preview_model)
        self.counts_label = QLabel(box)
        self.counts_label.setWordWrap(True)
        self.counts_label.setAccessibleName("Ergebnis der Zuordnung")
        self.problems_label = message_label(box, "Probleme der Zuordnung")
        self.problems_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(box)
        layout.addWidget(self.preview_view, 1)
        layout.addWidget(self.counts_label)
        layout.addWidget(self.problems_label)
        return box

    def _column_text(self, column: int) -> str:
        label = self.table.column_label(column)
        if label.startswith("Spalte "):
            sample = next(
                (
                    clean_line(r.cell(column))
                    for r in self.table.data_rows
                    if r.cell(column).strip()
                ),
                "",
            )
            return f"Spalte {column + 1} (z. B. {sample})" if sample else label
        return f"Spalte {column + 1}: {label}"

    # --- values ---------------------------------------------------------------------------

    def _fill(self, mapping: WideMapping, indicator_id: int | None) -> None:
        index = self.indicator_combo.findData(indicator_id) if indicator_id else -1
        self.indicator_combo.setCurrentIndex(
            index if index >= 0 else self.indicator_combo.findData(NEW_INDICATOR)
        )
        self.name_edit.setText(suggested_name(self.table))
        self.label_combo.setCurrentIndex(max(self.label_combo.findData(mapping.label_column), 0))
        self.filter_edit.setText(mapping.row_filter)
        self.rows_check.setChecked(mapping.rows_as_breakdown)
        self.total_edit.setText(mapping.total_label)
        if mapping.period_header_row is not None:
            source = PERIOD_FROM_HEADER
            self.period_header_combo.setCurrentIndex(
                self.period_header_combo.findData(mapping.period_header_row)
            )
        elif mapping.period_column is not None:
            source = PERIOD_FROM_COLUMN
            self.period_column_combo.setCurrentIndex(
                self.period_column_combo.findData(mapping.period_column)
            )
        else:
            source = PERIOD_FIXED
            fixed = mapping.period
            self.period_edit.setText(
                ""
                if fixed is None
                else fixed.strftime("%d.%m.%Y")
                if isinstance(fixed, date)
                else str(fixed)
            )
        self.period_source_combo.setCurrentIndex(self.period_source_combo.findData(source))
        self.set_value_columns(mapping.value_columns)
        self.breakdown_header_combo.setCurrentIndex(
            max(self.breakdown_header_combo.findData(mapping.breakdown_header_row), 0)
        )
        self._show_target_rows()
        self._show_period_rows()

    def set_value_columns(self, columns: tuple[int, ...] | list[int]) -> None:
        """Check exactly ``columns`` in the list of value columns."""
        self.columns_list.blockSignals(True)
        for column, item in self.value_items.items():
            item.setCheckState(
                Qt.CheckState.Checked if column in columns else Qt.CheckState.Unchecked
            )
        self.columns_list.blockSignals(False)
        self._schedule()

    def value_columns(self) -> tuple[int, ...]:
        return tuple(
            column
            for column, item in self.value_items.items()
            if item.checkState() == Qt.CheckState.Checked
        )

    def mapping(self) -> tuple[WideMapping, list[str]]:
        """The mapping the controls describe, and problems with what was typed."""
        problems: list[str] = []
        source = self.period_source_combo.currentData()
        period: int | date | None = None
        if source == PERIOD_FIXED:
            found = parse_period(self.period_edit.text())
            if found is None:
                problems.append(
                    "Jahr/Stichtag: bitte ein Jahr (2024) oder einen Stichtag (31.12.2024) angeben."
                )
                period = 0
            else:
                period = found[1] or found[0]
        breakdown_row = self.breakdown_header_combo.currentData()
        mapping = WideMapping(
            value_columns=self.value_columns(),
            label_column=int(self.label_combo.currentData()),
            row_filter=self.filter_edit.text().strip(),
            rows_as_breakdown=self.rows_check.isChecked(),
            breakdown_header_row=breakdown_row if isinstance(breakdown_row, int) else None,
            total_label=self.total_edit.text().strip(),
            period_header_row=(
                int(self.period_header_combo.currentData())
                if source == PERIOD_FROM_HEADER and self.period_header_combo.count()
                else None
            ),
            period_column=(
                int(self.period_column_combo.currentData())
                if source == PERIOD_FROM_COLUMN
                else None
            ),
            period=period,
            is_forecast=self.forecast_check.isChecked(),
            source=self.source_edit.text(),
        )
        return mapping, problems

    def target(self) -> tuple[int | None, IndicatorData | None]:
        """The chosen indicator's id, or (None, data of the new one)."""
        chosen = int(self.indicator_combo.currentData())
        if chosen != NEW_INDICATOR:
            return chosen, None
        return None, IndicatorData(
            name=self.name_edit.text(),
            unit=self.unit_edit.text(),
            source=self.source_edit.text() or self.table.suggested_source(),
        )

    def target_problem(self) -> str:
        """Why the new indicator cannot be made (empty for an existing one or a good name)."""
        indicator_id, data = self.target()
        if indicator_id is not None or data is None:
            return ""
        errors = data.errors()
        if "name" in errors:
            return errors["name"]
        if fold(clean_line(data.name)) in self._names:
            return "Diese Kennzahl gibt es schon – bitte oben unter „Kennzahl“ wählen."
        return next(iter(errors.values()), "")

    @property
    def ready(self) -> bool:
        """True when the import may run: values found, no problem, a valid target."""
        return bool(self.preview and self.preview.values) and not self.problems

    # --- preview --------------------------------------------------------------------------

    def refresh_preview(self) -> None:
        """Find the values with the current mapping and show them, or the problems."""
        self._timer.stop()
        mapping, problems = self.mapping()
        self.preview = None
        if not problems:
            try:
                self.preview = wide_values(self.table, mapping)
            except UserError as err:
                problems = list(getattr(err, "problems", [str(err)]))
        values = self.preview.values if self.preview is not None else []
        problems += clash_problems(
            [(v.row, v.year, v.reference_date, v.breakdown_value) for v in values]
        )
        target_problem = self.target_problem()
        self.name_message.setText(target_problem)
        self._target_form.setRowVisible(self.name_message, bool(target_problem))
        if target_problem:
            problems.append(f"Kennzahl: {target_problem}")
        self.problems = problems
        self.preview_model.set_table(
            PREVIEW_HEADERS,
            [
                (
                    str(v.row),
                    period_label(v.year, v.reference_date),
                    v.breakdown_value or "Gesamt",
                    number_text(v.value),
                )
                for v in values
            ],
            right_aligned=(0, 3),
        )
        fit_columns(self.preview_view)
        skipped = self.preview.skipped_cells if self.preview is not None else 0
        text = plural(len(values), "Wert", "Werte")
        if skipped:
            text += f"; {plural(skipped, 'Zelle', 'Zellen')} ohne Zahl (-, ., ...) übersprungen"
        self.counts_label.setText(text + ".")
        shown = problems[:PROBLEMS_SHOWN]
        more = len(problems) - len(shown)
        self.problems_label.setText(
            "\n".join(shown) + (f"\n… und {more} weitere." if more > 0 else "")
        )
        self.problems_label.setVisible(bool(problems))
        self._show_choice(mapping, values[0] if values else None)
        self.state_changed.emit()

    def _show_choice(self, mapping: WideMapping, first: WideValue | None) -> None:
        """Tint the chosen columns in the table and bring the first chosen value into view."""
        colours = dict.fromkeys(mapping.value_columns, VALUE_COLOUR)
        colours[mapping.label_column] = LABEL_COLOUR
        self.grid_model.set_column_colours(colours)
        if first is None:
            return
        body = self.table.rows[self.table.header_start : self.table.footer_start]
        row = next((i for i, r in enumerate(body) if r.number == first.row), 0)
        self.grid_view.scrollTo(self.grid_model.index(row, mapping.label_column))

    def _schedule(self, *_args: object) -> None:
        self._timer.start()

    def _show_target_rows(self) -> None:
        new = self.indicator_combo.currentData() == NEW_INDICATOR
        for field in (self.name_edit, self.unit_edit):
            self._target_form.setRowVisible(field, new)

    def _show_period_rows(self) -> None:
        source = self.period_source_combo.currentData()
        for field, wanted in (
            (self.period_header_combo, PERIOD_FROM_HEADER),
            (self.period_column_combo, PERIOD_FROM_COLUMN),
            (self.period_edit, PERIOD_FIXED),
        ):
            self._period_form.setRowVisible(field, source == wanted)

    # --- slots ----------------------------------------------------------------------------

    def _connect(self) -> None:
        for combo in (
            self.label_combo,
            self.period_header_combo,
            self.period_column_combo,
            self.breakdown_header_combo,
        ):
            combo.currentIndexChanged.connect(self._schedule)
        for edit in (
            self.filter_edit,
            self.total_edit,
            self.period_edit,
            self.name_edit,
            self.unit_edit,
            self.source_edit,
        ):
            edit.textChanged.connect(self._schedule)
        for check in (self.rows_check, self.forecast_check):
            check.toggled.connect(self._schedule)
        self.columns_list.itemChanged.connect(self._schedule)
        self.indicator_combo.currentIndexChanged.connect(self._on_indicator_combo_changed)
        self.period_source_combo.currentIndexChanged.connect(self._on_period_source_changed)
        self.all_button.clicked.connect(partial(self._on_choose_clicked, True))
        self.none_button.clicked.connect(partial(self._on_choose_clicked, False))

    def _on_indicator_combo_changed(self, _index: int) -> None:
        self._show_target_rows()
        self._schedule()

    def _on_period_source_changed(self, _index: int) -> None:
        self._show_period_rows()
        self._schedule()

    def _on_choose_clicked(self, everything: bool, _checked: bool = False) -> None:
        if not everything:
            self.set_value_columns(())
            return
        label = int(self.label_combo.currentData())
        self.set_value_columns(number_columns(self.table, label + 1))
