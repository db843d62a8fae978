"""The indicator editor: name, unit, source, direction, target, breakdown key, guidelines.

The rules live in :class:`~integrationsmanager.services.indicators.IndicatorData`; the dialog
shows their German messages under the fields as the user types and saves in one unit of work.
Numbers are typed the German way (``80.000``, ``12,5``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from integrationsmanager.domain.enums import Direction
from integrationsmanager.services.indicators import (
    BREAKDOWN_KEY_MAX,
    NAME_MAX,
    SOURCE_MAX,
    UNIT_MAX,
    IndicatorData,
    create_indicator,
    get_indicator,
    update_indicator,
)
from integrationsmanager.services.measures import guidelines
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.monitoring.numbers import number_text, parse_field, parse_year
from integrationsmanager.ui.widgets.form import FormDialog, form_group, text_edit

INDICATOR_LABELS = {
    "name": "Name",
    "unit": "Einheit",
    "source": "Quelle",
    "direction": "Richtung",
    "target_value": "Zielwert",
    "target_year": "Zieljahr",
    "breakdown_key": "Aufgliederung",
    "guidelines": "Leitlinien",
}
GUIDELINE_ROWS_SHOWN = 8


def direction_label(direction: Direction) -> str:
    """ "Höher ist besser": the enum's label as a sentence start, for lists and combos."""
    label = direction.label
    return label[:1].upper() + label[1:]


class IndicatorEditor(FormDialog):
    """Create (``indicator_id`` None) or edit one indicator; after saving see ``saved_id``."""

    def __init__(
        self,
        database: Database,
        *,
        indicator_id: int | None = None,
        guideline_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            what="dieser Kennzahl",
            field_labels=INDICATOR_LABELS,
            required=("name",),
            parent=parent,
        )
        self._database = database
        self.indicator_id = indicator_id
        with database.session() as session:
            if indicator_id is None:
                data = IndicatorData(
                    name="", guideline_ids=[guideline_id] if guideline_id is not None else []
                )
            else:
                data = IndicatorData.from_indicator(get_indicator(session, indicator_id))
            guideline_items = [
                (g.id, g.label)
                for g in guidelines(session, include_retired=True)
                if not g.retired or g.id in data.guideline_ids
            ]
        self.setWindowTitle(
            "Neue Kennzahl[*]" if indicator_id is None else "Kennzahl bearbeiten[*]"
        )
        self._build(guideline_items)
        self._fill(data)
        self.watch(
            {
                "name": self.name_edit.textChanged,
                "unit": self.unit_edit.textChanged,
                "source": self.source_edit.textChanged,
                "target_value": self.target_value_edit.textChanged,
                "target_year": self.target_year_edit.textChanged,
                "breakdown_key": self.breakdown_edit.textChanged,
                "guidelines": self.guideline_list.itemChanged,
            },
            [self.description_edit.textChanged, self.direction_combo.currentIndexChanged],
        )
        self.touch_together("target_value", "target_year")
        self.start()

    # --- building -------------------------------------------------------------------------

    def _build(self, guideline_items: list[tuple[int, str]]) -> None:
        content = QWidget(self)
        about, form = form_group("Kennzahl", content)
        self.name_edit = QLineEdit(about)
        self.name_edit.setMaxLength(NAME_MAX)
        self.name_edit.setPlaceholderText("z. B. Ausländische Staatsangehörige")
        self.add_row(form, "&Name", self.name_edit, "name")
        self.unit_edit = QLineEdit(about)
        self.unit_edit.setMaxLength(UNIT_MAX)
        self.unit_edit.setPlaceholderText("z. B. Personen, %, Vereine")
        self.add_row(form, "&Einheit", self.unit_edit, "unit")
        self.source_edit = QLineEdit(about)
        self.source_edit.setMaxLength(SOURCE_MAX)
        self.source_edit.setPlaceholderText("z. B. Thüringer Landesamt für Statistik")
        self.add_row(form, "&Quelle", self.source_edit, "source")
        self.description_edit = text_edit(about, 3)
        self.add_row(form, "&Beschreibung", self.description_edit)
        self.breakdown_edit = QLineEdit(about)
        self.breakdown_edit.setMaxLength(BREAKDOWN_KEY_MAX)
        self.breakdown_edit.setPlaceholderText("z. B. Staatsangehörigkeit; leer: keine")
        self.breakdown_edit.setToolTip(
            "Wonach die Werte aufgegliedert werden; jede Ausprägung (z. B. Ukraine) "
            "erscheint im Balkendiagramm."
        )
        self.add_row(form, "&Aufgliederung nach", self.breakdown_edit, "breakdown_key")

        steering, steering_form = form_group("Steuerung", content)
        self.direction_combo = QComboBox(steering)
        for direction in Direction:
            self.direction_combo.addItem(direction_label(direction), direction.value)
        self.add_row(steering_form, "&Richtung", self.direction_combo, "direction")
        self.target_value_edit = QLineEdit(steering)
        self.target_value_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.target_value_edit.setPlaceholderText("z. B. 80.000 oder 12,5")
        self.add_row(steering_form, "&Zielwert", self.target_value_edit, "target_value")
        self.target_year_edit = QLineEdit(steering)
        self.target_year_edit.setMaxLength(4)
        self.target_year_edit.setPlaceholderText("z. B. 2035")
        self.add_row(steering_form, "Ziel&jahr", self.target_year_edit, "target_year")
        self.guideline_list = QListWidget(steering)
        for guideline_id, label in guideline_items:
            item = QListWidgetItem(label, self.guideline_list)
            item.setData(Qt.ItemDataRole.UserRole, guideline_id)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        rows = min(max(len(guideline_items), 3), GUIDELINE_ROWS_SHOWN)
        frame = 2 * self.guideline_list.frameWidth()
        self.guideline_list.setMinimumHeight(rows * self.guideline_list.sizeHintForRow(0) + frame)
        self.guideline_list.setToolTip(
            "Leertaste hakt die gewählte Leitlinie an oder ab; die Kennzahl erscheint im "
            "Monitoringbericht bei diesen Leitlinien."
        )
        self.add_row(steering_form, "&Leitlinien", self.guideline_list, "guidelines")

        columns = QHBoxLayout(content)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.addWidget(about, 1)
        columns.addWidget(steering, 1)
        self.finish(content, accessible_name="Angaben zur Kennzahl", characters=130)

    # --- values ---------------------------------------------------------------------------

    def _fill(self, data: IndicatorData) -> None:
        self.name_edit.setText(data.name)
        self.unit_edit.setText(data.unit)
        self.source_edit.setText(data.source)
        self.description_edit.setPlainText(data.description)
        self.breakdown_edit.setText(data.breakdown_key)
        self.direction_combo.setCurrentIndex(
            max(self.direction_combo.findData(Direction(data.direction).value), 0)
        )
        self.target_value_edit.setText(number_text(data.target_value))
        self.target_year_edit.setText("" if data.target_year is None else str(data.target_year))
        for row in range(self.guideline_list.count()):
            item = self.guideline_list.item(row)
            checked = item.data(Qt.ItemDataRole.UserRole) in data.guideline_ids
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def checked_guidelines(self) -> list[int]:
        items = (self.guideline_list.item(i) for i in range(self.guideline_list.count()))
        return [
            int(item.data(Qt.ItemDataRole.UserRole))
            for item in items
            if item.checkState() == Qt.CheckState.Checked
        ]

    def collect(self) -> tuple[IndicatorData, dict[str, str]]:
        """The form as :class:`IndicatorData` and the messages of every rule it breaks."""
        target_value, value_problem = parse_field(self.target_value_edit.text(), "Zielwert")
        target_year, year_problem = parse_year(self.target_year_edit.text(), "Zieljahr")
        data = IndicatorData(
            name=self.name_edit.text(),
            unit=self.unit_edit.text(),
            source=self.source_edit.text(),
            description=self.description_edit.toPlainText(),
            direction=Direction(self.direction_combo.currentData()),
            target_value=target_value,
            target_year=target_year,
            breakdown_key=self.breakdown_edit.text(),
            guideline_ids=self.checked_guidelines(),
        )
        errors = data.errors()
        if value_problem:
            errors["target_value"] = value_problem
        if year_problem:
            errors["target_year"] = year_problem
        return data, errors

    def snapshot(self) -> object:
        data, _errors = self.collect()
        return data, self.target_value_edit.text(), self.target_year_edit.text()

    def store(self, data: IndicatorData) -> int:
        with self._database.session() as session:
            if self.indicator_id is None:
                return create_indicator(session, data).id
            return update_indicator(session, self.indicator_id, data).id
