"""The measure editor: every field of a measure, checked as the user types.

The rules live in the domain (:func:`validate_measure`); the dialog only shows their German
messages under the fields, keeps Save disabled while one applies, and saves through
:func:`save_measure` in one unit of work.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from integrationsmanager.domain.enums import (
    LabelledEnum,
    MeasureStatus,
    PlanningDocument,
    Priority,
    Responsibility,
)
from integrationsmanager.domain.errors import FieldError, UserError, ValidationError
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
from integrationsmanager.ui.widgets.names import NameCombo, NameListEdit

ERROR_COLOUR = "#B3261E"
"""Dark red; the message itself carries the meaning, the colour only draws the eye."""

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


class MeasureEditor(QDialog):
    """Create (``measure_id`` None) or edit one measure; after ``accept()`` see ``saved_id``."""

    saved = Signal(int)

    def __init__(
        self,
        database: Database,
        *,
        measure_id: int | None = None,
        guideline_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._database = database
        self.measure_id = measure_id
        self.saved_id: int | None = None
        self.created_organisations: list[str] = []
        self._touched: set[str] = set()

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
        self._initial = self._snapshot()
        self._connect_changes()
        self._on_form_changed()

    # --- building -------------------------------------------------------------------------

    def _build(self, guideline_items: list[tuple[int, str]], organisations: list[str]) -> None:
        content = QWidget(self)
        self.error_labels: dict[str, QLabel] = {}
        self._error_fields: dict[str, QWidget] = {}
        self._error_forms: dict[str, QFormLayout] = {}

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
        self._add_row(about_form, "&Leitlinie", self.guideline_combo, "guideline")
        self.title_edit = QLineEdit(about)
        self.title_edit.setMaxLength(TITLE_MAX)
        self.title_edit.setPlaceholderText("Kurzer, sprechender Titel")
        self._add_row(about_form, "&Titel", self.title_edit, "title")
        self.baseline_edit = self._text_edit(about)
        self._add_row(about_form, "&Ausgangslage", self.baseline_edit)
        self.goal_edit = self._text_edit(about)
        self._add_row(about_form, "&Ziel", self.goal_edit)
        self.implementation_edit = self._text_edit(about)
        self._add_row(about_form, "&Umsetzung", self.implementation_edit)

        # Right: who is responsible, when, with whom and with how much money.
        steering = QGroupBox("Steuerung", content)
        form = QFormLayout(steering)
        self.responsibility_combo = _enum_combo(Responsibility, steering)
        self._add_row(form, "Zu&ständigkeit", self.responsibility_combo)
        self.status_combo = _enum_combo(MeasureStatus, steering)
        self._add_row(form, "St&atus", self.status_combo)
        self.priority_combo = _enum_combo(Priority, steering)
        self._add_row(form, "&Priorität", self.priority_combo)
        self.start_edit = OptionalDateEdit("Beginn", steering)
        self._add_row(form, "&Beginn", self.start_edit, "start_date")
        self.end_edit = OptionalDateEdit("Ende", steering)
        self._add_row(form, "&Ende", self.end_edit, "end_date")
        self.lead_combo = NameCombo(organisations, steering)
        self.lead_combo.line_edit.setPlaceholderText("Organisation wählen oder neu eingeben")
        self._add_row(form, "&Federführung", self.lead_combo)
        self.lead_combo.line_edit.setAccessibleName("Federführung")
        self.partners_edit = NameListEdit(noun="Partner", choices=organisations, parent=steering)
        self._add_row(form, "Pa&rtner", self.partners_edit)
        self.planned_budget_edit = self._money_edit(steering)
        self._add_row(form, "Bu&dget geplant (€)", self.planned_budget_edit, "planned_budget")
        self.spent_edit = self._money_edit(steering)
        self._add_row(form, "Ausge&geben (€)", self.spent_edit, "spent")
        self.planning_combo = _enum_combo(PlanningDocument, steering)
        self._add_row(form, "Fac&hplanung", self.planning_combo)
        self.planning_note_edit = QLineEdit(steering)
        self.planning_note_edit.setPlaceholderText("zur Fachplanung, z. B. Kapitel")
        self._add_row(form, "A&nmerkung", self.planning_note_edit)
        self.planning_note_edit.setAccessibleName("Anmerkung zur Fachplanung")
        self.tags_edit = QLineEdit(steering)
        self.tags_edit.setPlaceholderText("durch Kommas getrennt, z. B. Sprache, Eltern")
        self._add_row(form, "Schlag&wörter", self.tags_edit)

        columns = QHBoxLayout(content)
        columns.addWidget(about, 1)
        columns.addWidget(steering, 1)
        scroll = QScrollArea(self)
        scroll.setAccessibleName("Angaben zur Maßnahme")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)

        self.hint_label = QLabel(self)
        self.hint_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Speichern")
        self.save_button.setAccessibleName("Speichern (Strg+S)")
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText("Abbrechen")
        self.cancel_button.setAccessibleName("Abbrechen (Esc)")
        footer = QHBoxLayout()
        footer.addWidget(self.hint_label, 1)
        footer.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(footer)

        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, self._on_save_shortcut_activated)

        # Large enough to show the whole form without scrolling where the screen allows.
        margins = layout.contentsMargins()
        screen = self.screen().availableGeometry()
        width = (
            content.sizeHint().width()
            + margins.left()
            + margins.right()
            + scroll.verticalScrollBar().sizeHint().width()
        )
        height = (
            content.sizeHint().height()
            + footer.sizeHint().height()
            + layout.spacing()
            + margins.top()
            + margins.bottom()
        )
        # A quarter more width than the minimum leaves room for the texts to breathe.
        self.resize(
            min(width * 5 // 4, int(screen.width() * 0.9)),
            min(height, int(screen.height() * 0.9)),
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

    def _add_row(
        self, form: QFormLayout, label: str, field: QWidget, error_key: str | None = None
    ) -> None:
        caption = QLabel(label, field.parentWidget())
        caption.setBuddy(field)
        field.setAccessibleName(label.replace("&", ""))
        form.addRow(caption, field)
        if error_key is not None:
            error = QLabel(field.parentWidget())
            error.setWordWrap(True)
            error.setStyleSheet(f"color: {ERROR_COLOUR}")
            error.setAccessibleName(f"Hinweis zu {FIELD_LABELS[error_key]}")
            form.addRow("", error)
            form.setRowVisible(error, False)
            self.error_labels[error_key] = error
            self._error_fields[error_key] = field
            self._error_forms[error_key] = form

    # --- values ---------------------------------------------------------------------------

    def _fill(self, data: MeasureData) -> None:
        _select_data(self.guideline_combo, data.guideline_id)
        self.title_edit.setText(data.title)
        self.title_edit.setCursorPosition(0)
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

    def _snapshot(self) -> tuple[object, ...]:
        data, _errors = self.collect()
        return (data, self.planned_budget_edit.text(), self.spent_edit.text())

    def is_dirty(self) -> bool:
        return self._snapshot() != self._initial

    # --- reacting -------------------------------------------------------------------------

    def _connect_changes(self) -> None:
        touches = {
            "guideline": self.guideline_combo.currentIndexChanged,
            "title": self.title_edit.textChanged,
            "start_date": self.start_edit.changed,
            "end_date": self.end_edit.changed,
            "planned_budget": self.planned_budget_edit.textChanged,
            "spent": self.spent_edit.textChanged,
        }
        for key, signal in touches.items():
            signal.connect(partial(self._on_field_edited, key))
        for signal in (
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
        ):
            signal.connect(self._on_form_changed)

    def _on_field_edited(self, key: str, *_args: object) -> None:
        self._touched.add(key)
        # A start date makes the end date's rule relevant, and the other way round.
        if key in ("start_date", "end_date"):
            self._touched.update(("start_date", "end_date"))
        self._on_form_changed()

    def _on_form_changed(self, *_args: object) -> None:
        _data, errors = self.collect()
        for key, label in self.error_labels.items():
            message = errors.get(key, "") if key in self._touched else ""
            label.setText(message)
            self._error_forms[key].setRowVisible(label, bool(message))
        pending = [
            FIELD_LABELS[k] for k in _FIELDS_IN_ORDER if k in errors and k not in self._touched
        ]
        self.hint_label.setText(
            f"Zum Speichern fehlt noch: {', '.join(pending)}." if pending else ""
        )
        self.save_button.setEnabled(not errors)
        self.save_button.setToolTip("\n".join(errors.values()) if errors else "Speichern (Strg+S)")
        self.setWindowModified(self.is_dirty())

    def _show_all_errors(self, errors: dict[str, str]) -> None:
        self._touched.update(errors)
        self._on_form_changed()
        first = next((k for k in _FIELDS_IN_ORDER if k in errors), None)
        if first is not None:
            self._error_fields[first].setFocus()

    def _on_save_shortcut_activated(self) -> None:
        self.save()

    def _on_buttons_accepted(self) -> None:
        self.save()

    def save(self) -> bool:
        """Save if the form is valid (else point at the first problem); True when saved."""
        data, errors = self.collect()
        if errors:
            self._show_all_errors(errors)
            return False
        try:
            with self._database.session() as session:
                result = save_measure(session, data, self.measure_id)
                saved_id = result.measure.id
                created = result.created_organisations
        except ValidationError as err:
            self._show_all_errors({k: v for k, v in err.errors.items() if k in self.error_labels})
            if not set(err.errors) <= set(self.error_labels):
                QMessageBox.warning(self, "Speichern nicht möglich", str(err))
            return False
        except UserError as err:
            QMessageBox.warning(self, "Speichern nicht möglich", str(err))
            return False
        self.saved_id = saved_id
        self.created_organisations = created
        self._initial = self._snapshot()
        self.setWindowModified(False)
        self.saved.emit(saved_id)
        self.accept()
        return True

    def reject(self) -> None:
        """Esc, Abbrechen and the window's close button: ask before dropping changes."""
        if self.is_dirty():
            answer = QMessageBox.question(
                self,
                "Änderungen verwerfen?",
                "Die Änderungen an dieser Maßnahme sind noch nicht gespeichert.\n"
                "Sollen sie verworfen werden?",
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                return
        super().reject()
