"""The measure editor: every field of a measure, checked as the user types.

The rules live in the domain (:func:`validate_measure`); the dialog only shows their German
messages under the fields, keeps Save disabled while one applies, and saves through
:func:`save_measure` in one unit of work.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from integrationsmanager.domain.enums import (
    LabelledEnum,
    MeasureStatus,
    PlanningDocument,
    Priority,
    Responsibility,
)
from integrationsmanager.domain.errors import FieldError, UserError
from integrationsmanager.domain.money import format_number, to_cents, to_decimal
from integrationsmanager.domain.validation import FIELD_LABELS, TITLE_MAX
from integrationsmanager.services.measures import (
    MeasureData,
    get_measure,
    guidelines,
    save_measure,
)
from integrationsmanager.services.organisations import organisation_choices
from integrationsmanager.services.tags import split_tags
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.widgets.dates import OptionalDateEdit
from integrationsmanager.ui.widgets.form import FormDialog
from integrationsmanager.ui.widgets.names import NameCombo, NameListEdit

_FIELDS_IN_ORDER = (
    "guideline",
    "title",
    "start_date",
    "end_date",
    "planned_budget",
    "spent",
)


def _money_text(cents: int | None) -> str:
    amount = to_decimal(cents)
    return "" if amount is None else format_number(amount, places=2)


def _enum_combo(enum: type[LabelledEnum], parent: QWidget) -> QComboBox:
    combo = QComboBox(parent)
    for member in enum:
        combo.addItem(member.label, member.value)
    return combo


def _select_data(combo: QComboBox, value: object) -> None:
    combo.setCurrentIndex(combo.findData(value))


class MeasureEditor(FormDialog):
    """Create (``measure_id`` None) or edit one measure; after ``accept()`` see ``saved_id``."""

    def __init__(
        self,
        database: Database,
        *,
        measure_id: int | None = None,
        guideline_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            what="dieser Maßnahme",
            field_labels=FIELD_LABELS,
            required=_FIELDS_IN_ORDER,
            parent=parent,
        )
        self._database = database
        self.measure_id = measure_id
        self.created_organisations: list[str] = []

        with database.session() as session:
            if measure_id is None:
                data = MeasureData(title="", guideline_id=guideline_id)
            else:
                measure = get_measure(session, measure_id)
                if measure is None:
                    raise UserError(f"Maßnahme {measure_id} gibt es nicht (mehr).")
                data = MeasureData.from_measure(measure)
            guideline_items = [
                (g.id, g.label)
                for g in guidelines(session, include_retired=True)
                if not g.retired or g.id == data.guideline_id
            ]
            organisations = [name for _id, name in organisation_choices(session)]

        self.setWindowTitle("Neue Maßnahme[*]" if measure_id is None else "Maßnahme bearbeiten[*]")
        self._build(guideline_items, organisations)
        self._fill(data)
        self._connect_changes()
        self.start()

    # --- building -------------------------------------------------------------------------

    def _build(self, guideline_items: list[tuple[int, str]], organisations: list[str]) -> None:
        content = QWidget(self)
        # Left: what the measure is about, in the policy's three steps.
        about = QGroupBox("Maßnahme", content)
        about_form = QFormLayout(about)
        self.guideline_combo = QComboBox(about)
        self.guideline_combo.setPlaceholderText("Leitlinie wählen …")
        self.guideline_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        for guideline_id, label in guideline_items:
            self.guideline_combo.addItem(label, guideline_id)
        self.add_row(about_form, "&Leitlinie", self.guideline_combo, "guideline")
        self.title_edit = QLineEdit(about)
        self.title_edit.setMaxLength(TITLE_MAX)
        self.title_edit.setPlaceholderText("Kurzer, sprechender Titel")
        self.add_row(about_form, "&Titel", self.title_edit, "title")
        self.baseline_edit = self._text_edit(about)
        self.add_row(about_form, "&Ausgangslage", self.baseline_edit)
        self.goal_edit = self._text_edit(about)
        self.add_row(about_form, "&Ziel", self.goal_edit)
        self.implementation_edit = self._text_edit(about)
        self.add_row(about_form, "&Umsetzung", self.implementation_edit)

        # Right: who is responsible, when, with whom and with how much money.
        steering = QGroupBox("Steuerung", content)
        form = QFormLayout(steering)
        self.responsibility_combo = _enum_combo(Responsibility, steering)
        self.add_row(form, "Zu&ständigkeit", self.responsibility_combo)
        self.status_combo = _enum_combo(MeasureStatus, steering)
        self.add_row(form, "St&atus", self.status_combo)
        self.priority_combo = _enum_combo(Priority, steering)
        self.add_row(form, "&Priorität", self.priority_combo)
        self.start_edit = OptionalDateEdit("Beginn", steering)
        self.add_row(form, "&Beginn", self.start_edit, "start_date")
        self.end_edit = OptionalDateEdit("Ende", steering)
        self.add_row(form, "&Ende", self.end_edit, "end_date")
        self.lead_combo = NameCombo(organisations, steering)
        self.lead_combo.line_edit.setPlaceholderText("Organisation wählen oder neu eingeben")
        self.add_row(form, "&Federführung", self.lead_combo)
        self.lead_combo.line_edit.setAccessibleName("Federführung")
        self.partners_edit = NameListEdit(noun="Partner", choices=organisations, parent=steering)
        self.add_row(form, "Pa&rtner", self.partners_edit)
        self.planned_budget_edit = self._money_edit(steering)
        self.add_row(form, "Bu&dget geplant (€)", self.planned_budget_edit, "planned_budget")
        self.spent_edit = self._money_edit(steering)
        self.add_row(form, "Ausge&geben (€)", self.spent_edit, "spent")
        self.planning_combo = _enum_combo(PlanningDocument, steering)
        self.add_row(form, "Fac&hplanung", self.planning_combo)
        self.planning_note_edit = QLineEdit(steering)
        self.planning_note_edit.setPlaceholderText("zur Fachplanung, z. B. Kapitel")
        self.add_row(form, "A&nmerkung", self.planning_note_edit)
        self.planning_note_edit.setAccessibleName("Anmerkung zur Fachplanung")
        self.tags_edit = QLineEdit(steering)
        self.tags_edit.setPlaceholderText("durch Kommas getrennt, z. B. Sprache, Eltern")
        self.add_row(form, "Schlag&wörter", self.tags_edit)

        columns = QHBoxLayout(content)
        columns.addWidget(about, 1)
        columns.addWidget(steering, 1)
        # A quarter more width than the minimum leaves room for the texts to breathe.
        self.finish(
            content,
            accessible_name="Angaben zur Maßnahme",
            characters=0,
            widen_percent=125,
            message_lines=0,
        )

    def _text_edit(self, parent: QWidget) -> QPlainTextEdit:
        edit = QPlainTextEdit(parent)
        edit.setTabChangesFocus(True)
        edit.setMinimumHeight(edit.fontMetrics().lineSpacing() * 4)
        return edit

    def _money_edit(self, parent: QWidget) -> QLineEdit:
        edit = QLineEdit(parent)
        edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        edit.setPlaceholderText("z. B. 12.500,00")
        return edit

    # --- values ---------------------------------------------------------------------------

    def _fill(self, data: MeasureData) -> None:
        _select_data(self.guideline_combo, data.guideline_id)
        self.title_edit.setText(data.title)
        self.baseline_edit.setPlainText(data.baseline)
        self.goal_edit.setPlainText(data.goal)
        self.implementation_edit.setPlainText(data.implementation)
        _select_data(self.responsibility_combo, data.responsibility.value)
        _select_data(self.status_combo, data.status.value)
        _select_data(self.priority_combo, data.priority.value)
        self.start_edit.set_value(data.start_date)
        self.end_edit.set_value(data.end_date)
        self.lead_combo.set_text(data.lead_organisation)
        self.partners_edit.set_names(data.partners)
        self.planned_budget_edit.setText(_money_text(data.planned_budget_cents))
        self.spent_edit.setText(_money_text(data.spent_cents))
        _select_data(self.planning_combo, data.planning_document.value)
        self.planning_note_edit.setText(data.planning_document_note)
        self.tags_edit.setText(", ".join(data.tags))

    def collect(self) -> tuple[MeasureData, dict[str, str]]:
        """The form as :class:`MeasureData` and the messages of every rule it breaks."""
        parse_errors: dict[str, str] = {}
        amounts: dict[str, int | None] = {}
        for key, edit in (("planned_budget", self.planned_budget_edit), ("spent", self.spent_edit)):
            try:
                amounts[key] = to_cents(edit.text(), field=FIELD_LABELS[key])
            except FieldError as err:
                amounts[key] = None
                parse_errors[key] = err.message
        guideline = self.guideline_combo.currentData()
        data = MeasureData(
            title=self.title_edit.text(),
            guideline_id=guideline if isinstance(guideline, int) else None,
            baseline=self.baseline_edit.toPlainText(),
            goal=self.goal_edit.toPlainText(),
            implementation=self.implementation_edit.toPlainText(),
            responsibility=Responsibility(self.responsibility_combo.currentData()),
            status=MeasureStatus(self.status_combo.currentData()),
            priority=Priority(self.priority_combo.currentData()),
            start_date=self.start_edit.value(),
            end_date=self.end_edit.value(),
            lead_organisation=self.lead_combo.text(),
            partners=self.partners_edit.names(),
            planned_budget_cents=amounts["planned_budget"],
            spent_cents=amounts["spent"],
            planning_document=PlanningDocument(self.planning_combo.currentData()),
            planning_document_note=self.planning_note_edit.text(),
            tags=split_tags(self.tags_edit.text()),
        )
        return data, {**data.errors(), **parse_errors}

    def snapshot(self) -> tuple[object, ...]:
        data, _errors = self.collect()
        return (data, self.planned_budget_edit.text(), self.spent_edit.text())

    def store(self, data: MeasureData) -> int:
        with self._database.session() as session:
            result = save_measure(session, data, self.measure_id)
            saved_id = result.measure.id
            created = result.created_organisations
        self.created_organisations = created
        return saved_id

    # --- reacting -------------------------------------------------------------------------

    def _connect_changes(self) -> None:
        # A start date makes the end date's rule relevant, and the other way round.
        self.touch_together("start_date", "end_date")
        self.watch(
            {
                "guideline": self.guideline_combo.currentIndexChanged,
                "title": self.title_edit.textChanged,
                "start_date": self.start_edit.changed,
                "end_date": self.end_edit.changed,
                "planned_budget": self.planned_budget_edit.textChanged,
                "spent": self.spent_edit.textChanged,
            },
            [
                self.baseline_edit.textChanged,
                self.goal_edit.textChanged,
                self.implementation_edit.textChanged,
                self.responsibility_combo.currentIndexChanged,
                self.status_combo.currentIndexChanged,
                self.priority_combo.currentIndexChanged,
                self.lead_combo.currentTextChanged,
                self.partners_edit.changed,
                self.planning_combo.currentIndexChanged,
                self.planning_note_edit.textChanged,
                self.tags_edit.textChanged,
            ],
        )
