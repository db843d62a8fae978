"""Add or change one value of an indicator: year or reference date, breakdown value, number.

The number is typed the German way (``1.234,5``); a reference date sets the year. The rules
live in :class:`~integrationsmanager.services.indicators.ValueData`; a value that would clash
with one already stored for the same period is refused by the service, and the message
appears at the year.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QFormLayout, QLineEdit, QSpinBox, QWidget

from integrationsmanager.domain.errors import UserError
from integrationsmanager.domain.monitoring import IndicatorValue
from integrationsmanager.services.indicators import (
    BREAKDOWN_VALUE_MAX,
    SOURCE_MAX,
    YEAR_MAX,
    YEAR_MIN,
    ValueData,
    add_value,
    get_indicator,
    update_value,
)
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.monitoring.numbers import number_text, parse_field
from integrationsmanager.ui.widgets.dates import OptionalDateEdit
from integrationsmanager.ui.widgets.form import FormDialog, text_edit
from integrationsmanager.ui.widgets.names import NameCombo

VALUE_LABELS = {
    "year": "Jahr",
    "reference_date": "Stichtag",
    "breakdown_value": "Ausprägung",
    "value": "Wert",
    "source": "Quelle",
}


class ValueDialog(FormDialog):
    """Create (``value_id`` None) or edit one value of ``indicator_id``; see ``saved_id``."""

    def __init__(
        self,
        database: Database,
        *,
        indicator_id: int,
        value_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            what="diesem Wert", field_labels=VALUE_LABELS, required=("value",), parent=parent
        )
        self._database = database
        self.indicator_id = indicator_id
        self.value_id = value_id
        with database.session() as session:
            indicator = get_indicator(session, indicator_id)
            name, unit, key = indicator.name, indicator.unit, indicator.breakdown_key
            choices = sorted({v.breakdown_value for v in indicator.values if v.breakdown_value})
            if value_id is None:
                data = ValueData(year=date.today().year, reference_date=None, value=None)
            else:
                stored = session.get(IndicatorValue, value_id)
                if stored is None or stored.indicator_id != indicator_id:
                    raise UserError(f"Den Wert {value_id} gibt es nicht (mehr).")
                data = ValueData.from_value(stored)
        title = "Neuer Wert" if value_id is None else "Wert bearbeiten"
        self.setWindowTitle(f"{title}: {name}[*]")
        self._build(unit, key, choices)
        self._fill(data)
        self.watch(
            {
                "year": self.year_spin.valueChanged,
                "reference_date": self.date_edit.changed,
                "breakdown_value": self.breakdown_combo.currentTextChanged,
                "value": self.value_edit.textChanged,
                "source": self.source_edit.textChanged,
            },
            [self.forecast_check.toggled, self.note_edit.textChanged],
        )
        self.touch_together("year", "reference_date")
        self.date_edit.changed.connect(self._on_date_edit_changed)
        self.start()
        self.value_edit.setFocus()

    def _build(self, unit: str, breakdown_key: str, choices: list[str]) -> None:
        content = QWidget(self)
        form = QFormLayout(content)
        self.year_spin = QSpinBox(content)
        self.year_spin.setRange(YEAR_MIN, YEAR_MAX)
        self.add_row(form, "&Jahr", self.year_spin, "year")
        line = self.year_spin.lineEdit()
        if line is not None:
            line.setAccessibleName("Jahr")
        self.date_edit = OptionalDateEdit("Stichtag", content)
        self.date_edit.setToolTip("Ein Stichtag (z. B. 31.12.2024) legt das Jahr fest.")
        self.add_row(form, "&Stichtag", self.date_edit, "reference_date")

        self.breakdown_combo = NameCombo(choices, content)
        self.breakdown_combo.line_edit.setMaxLength(BREAKDOWN_VALUE_MAX)
        self.breakdown_combo.line_edit.setPlaceholderText("leer: Wert der Kennzahl insgesamt")
        label = f"&Ausprägung ({breakdown_key})" if breakdown_key else "&Ausprägung"
        self.add_row(form, label, self.breakdown_combo, "breakdown_value")
        self.breakdown_combo.line_edit.setAccessibleName(label.replace("&", ""))

        self.value_edit = QLineEdit(content)
        self.value_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.value_edit.setPlaceholderText("z. B. 7.400 oder 28,5")
        value_label = f"&Wert ({unit})" if unit else "&Wert"
        self.add_row(form, value_label, self.value_edit, "value")
        self.forecast_check = QCheckBox("&Prognose (kein gemessener Wert)", content)
        self.forecast_check.setAccessibleName("Prognose")
        form.addRow("", self.forecast_check)
        self.source_edit = QLineEdit(content)
        self.source_edit.setMaxLength(SOURCE_MAX)
        self.source_edit.setPlaceholderText("z. B. Thüringer Landesamt für Statistik")
        self.add_row(form, "&Quelle", self.source_edit, "source")
        self.note_edit = text_edit(content, 2)
        self.add_row(form, "A&nmerkung", self.note_edit)
        self.finish(content, accessible_name=None, characters=70)

    def _fill(self, data: ValueData) -> None:
        self.year_spin.setValue(data.period_year or date.today().year)
        self.date_edit.set_value(data.reference_date)
        self.year_spin.setEnabled(data.reference_date is None)
        self.breakdown_combo.set_text(data.breakdown_value)
        self.value_edit.setText(number_text(data.value))
        self.forecast_check.setChecked(data.is_forecast)
        self.source_edit.setText(data.source)
        self.note_edit.setPlainText(data.note)

    def collect(self) -> tuple[ValueData, dict[str, str]]:
        """The form as :class:`ValueData` and the messages of every rule it breaks."""
        value, problem = parse_field(self.value_edit.text(), "Wert")
        reference_date = self.date_edit.value()
        data = ValueData(
            year=None if reference_date is not None else self.year_spin.value(),
            reference_date=reference_date,
            value=value,
            breakdown_value=self.breakdown_combo.text(),
            is_forecast=self.forecast_check.isChecked(),
            source=self.source_edit.text(),
            note=self.note_edit.toPlainText(),
        )
        errors = data.errors()
        if problem:
            errors["value"] = problem
        return data, errors

    def snapshot(self) -> object:
        data, _errors = self.collect()
        return data, self.value_edit.text()

    def store(self, data: ValueData) -> int:
        with self._database.session() as session:
            if self.value_id is None:
                return add_value(session, self.indicator_id, data).id
            return update_value(session, self.value_id, data).id

    def _on_date_edit_changed(self) -> None:
        chosen = self.date_edit.value()
        self.year_spin.setEnabled(chosen is None)
        if chosen is not None:
            self.year_spin.setValue(chosen.year)
