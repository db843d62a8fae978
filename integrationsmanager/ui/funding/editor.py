"""The grant editor: programme, year, recipient, contact, guidelines, measure and the money.

Status, decision and payments are not edited here: they go by the actions of the details
pane. The rules live in :class:`~integrationsmanager.services.grants.GrantData`; the dialog
shows their messages as the user types and saves through ``save_grant``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from integrationsmanager.domain.errors import FieldError, UserError
from integrationsmanager.domain.money import format_number, to_cents, to_decimal
from integrationsmanager.services.grants import (
    TITLE_MAX,
    GrantData,
    get_grant,
    list_programs,
    save_grant,
)
from integrationsmanager.services.listing import list_guidelines, list_measures
from integrationsmanager.services.network_queries import person_choices
from integrationsmanager.services.organisations import organisation_choices
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.widgets.dates import OptionalDateEdit
from integrationsmanager.ui.widgets.form import FormDialog, form_group, text_edit

FIELD_LABELS = {
    "program": "Förderprogramm",
    "budget_year": "Haushaltsjahr",
    "recipient": "Empfänger",
    "project_title": "Projekttitel",
    "file_number": "Aktenzeichen",
    "contact_person": "Ansprechperson",
    "measure": "Maßnahme",
    "period_end": "Ende",
    "total_cost": "Gesamtkosten",
    "own_contribution": "Eigenanteil",
    "third_party": "Drittmittel",
    "requested": "Beantragt",
}
REQUIRED = ("program", "recipient", "project_title")
_AMOUNTS = ("total_cost", "own_contribution", "third_party", "requested")


def _money_text(cents: int | None) -> str:
    amount = to_decimal(cents)
    return "" if amount is None else format_number(amount, places=2)


def _combo(items: list[tuple[int, str]], placeholder: str, parent: QWidget) -> QComboBox:
    combo = QComboBox(parent)
    combo.setPlaceholderText(placeholder)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(24)
    for ident, name in items:
        combo.addItem(name, ident)
    combo.setCurrentIndex(-1)
    return combo


def _searchable(combo: QComboBox, name: str, placeholder: str) -> None:
    """Let the user type into ``combo``; the completer finds names containing the text."""
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    completer = QCompleter(combo.model(), combo)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    combo.setCompleter(completer)
    line = combo.lineEdit()
    if line is not None:
        line.setAccessibleName(name)
        line.setPlaceholderText(placeholder)


def _typed_choice(combo: QComboBox) -> int | None:
    """The chosen item's id; typed text counts only if it names an item exactly."""
    index = combo.findText(combo.currentText(), Qt.MatchFlag.MatchFixedString)
    value = combo.itemData(index) if index >= 0 else None
    return value if isinstance(value, int) else None


class GrantEditor(FormDialog):
    """Create (``grant_id`` None, as Entwurf) or edit a grant's data."""

    def __init__(
        self,
        database: Database,
        *,
        grant_id: int | None,
        today: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            what="dieser Zuwendung", field_labels=FIELD_LABELS, required=REQUIRED, parent=parent
        )
        self._database = database
        self.grant_id = grant_id
        self.saved_file_number = ""
        self.same_file_number = 0
        """How many other grants carry the saved file number (a warning, not an error)."""
        inactive: list[tuple[int, str]] = []
        with database.session() as session:
            if grant_id is None:
                data = GrantData(
                    program_id=None,
                    budget_year=(today or date.today()).year,
                    recipient_id=None,
                    project_title="",
                )
            else:
                grant = get_grant(session, grant_id)
                if grant is None:
                    raise UserError(f"Zuwendung {grant_id} gibt es nicht (mehr).")
                data = GrantData.from_grant(grant)
                if not grant.recipient.active:  # still shown, though no longer offered
                    inactive.append((grant.recipient_id, grant.recipient.name))
            programs = list_programs(session, include_inactive=grant_id is not None)
            recipients = organisation_choices(session) + inactive
            persons = person_choices(session)
            if data.contact_person_id is not None and all(
                ident != data.contact_person_id for ident, _name in persons
            ):  # erased since: still shown so that saving keeps it
                persons.append((data.contact_person_id, f"Person {data.contact_person_id}"))
            self._guideline_choices = list_guidelines(session)
            measures = list_measures(session)
        self._loaded = data
        self.setWindowTitle("Neue Zuwendung[*]" if grant_id is None else "Zuwendung bearbeiten[*]")
        self._build(programs, recipients, persons, measures)
        self._fill(data)
        self._connect_changes()
        self.start()

    def _build(
        self,
        programs: list[tuple[int, str]],
        recipients: list[tuple[int, str]],
        persons: list[tuple[int, str]],
        measures: list[tuple[int, str]],
    ) -> None:
        content = QWidget(self)
        about, form = form_group("Antrag", content)
        self.program_combo = _combo(programs, "Förderprogramm wählen …", about)
        self.add_row(form, "Förder&programm", self.program_combo, "program")
        self.year_spin = QSpinBox(about)
        self.year_spin.setRange(2000, 2100)
        self.add_row(form, "&Haushaltsjahr", self.year_spin, "budget_year")
        for inner in self.year_spin.findChildren(QLineEdit):
            inner.setAccessibleName("Haushaltsjahr")
        self.recipient_combo = _combo(recipients, "Organisation wählen …", about)
        _searchable(self.recipient_combo, "Empfänger", "Organisation wählen oder Namen tippen")
        self.add_row(form, "&Empfänger", self.recipient_combo, "recipient")
        self.contact_combo = _combo(persons, "Person wählen …", about)
        _searchable(self.contact_combo, "Ansprechperson", "leer: keine; Namen tippen")
        self.add_row(form, "Ans&prechperson", self.contact_combo, "contact_person")
        self.title_edit = QLineEdit(about)
        self.title_edit.setMaxLength(TITLE_MAX)
        self.add_row(form, "Projekt&titel", self.title_edit, "project_title")
        self.file_number_edit = QLineEdit(about)
        self.file_number_edit.setPlaceholderText("leer: wird beim Speichern vergeben")
        self.add_row(form, "&Aktenzeichen", self.file_number_edit, "file_number")
        self.start_edit = OptionalDateEdit("Beginn", about)
        self.add_row(form, "&Beginn", self.start_edit)
        self.end_edit = OptionalDateEdit("Ende", about)
        self.add_row(form, "E&nde", self.end_edit, "period_end")
        self.received_edit = OptionalDateEdit("Eingang", about)
        self.add_row(form, "Ein&gang", self.received_edit)
        self.description_edit = text_edit(about, 3)
        self.add_row(form, "Beschreib&ung", self.description_edit)

        money, money_form = form_group("Finanzierung (€)", content)
        self.amount_edits: dict[str, QLineEdit] = {}
        for key, label in (
            ("total_cost", "&Gesamtkosten"),
            ("own_contribution", "E&igenanteil"),
            ("third_party", "&Drittmittel"),
            ("requested", "Beant&ragt"),
        ):
            edit = QLineEdit(money)
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)
            edit.setPlaceholderText("z. B. 4.800,00")
            self.add_row(money_form, label, edit, key)
            self.amount_edits[key] = edit

        links, links_form = form_group("Zuordnung", content)
        self.measure_combo = _combo(measures, "Maßnahme wählen …", links)
        self.measure_combo.setMinimumContentsLength(16)
        _searchable(self.measure_combo, "Maßnahme", "leer: keine; Titel tippen")
        self.add_row(links_form, "&Maßnahme", self.measure_combo, "measure")
        self.guideline_list = QListWidget(links)
        self.guideline_list.setAccessibleName("Leitlinien")
        self.guideline_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.guideline_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        for ident, name in self._guideline_choices:
            item = QListWidgetItem(name, self.guideline_list)
            item.setData(Qt.ItemDataRole.UserRole, ident)
            item.setToolTip(name)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.add_row(links_form, "&Leitlinien", self.guideline_list)

        right = QVBoxLayout()
        right.addWidget(money)
        right.addWidget(links, 1)
        columns = QHBoxLayout(content)
        columns.addWidget(about, 3)
        columns.addLayout(right, 2)
        self.finish(content, accessible_name="Angaben zur Zuwendung", characters=120)

    def _fill(self, data: GrantData) -> None:
        self.program_combo.setCurrentIndex(self.program_combo.findData(data.program_id))
        self.year_spin.setValue(data.budget_year or date.today().year)
        self.recipient_combo.setCurrentIndex(self.recipient_combo.findData(data.recipient_id))
        for combo, ident in (
            (self.contact_combo, data.contact_person_id),
            (self.measure_combo, data.measure_id),
        ):
            combo.setCurrentIndex(combo.findData(ident) if ident is not None else -1)
        self.received_edit.set_value(data.received_on)
        chosen = set(data.guideline_ids)
        for row in range(self.guideline_list.count()):
            item = self.guideline_list.item(row)
            checked = item.data(Qt.ItemDataRole.UserRole) in chosen
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.title_edit.setText(data.project_title)
        self.file_number_edit.setText(data.file_number)
        self.start_edit.set_value(data.period_start)
        self.end_edit.set_value(data.period_end)
        self.description_edit.setPlainText(data.description)
        for key, cents in (
            ("total_cost", data.total_cost_cents),
            ("own_contribution", data.own_contribution_cents),
            ("third_party", data.third_party_cents),
            ("requested", data.requested_cents),
        ):
            self.amount_edits[key].setText(_money_text(cents))

    def _recipient_id(self) -> int | None:
        """The chosen organisation; typed text counts only if it names one exactly."""
        return _typed_choice(self.recipient_combo)

    def guideline_ids(self) -> list[int]:
        """The checked guidelines, in list order."""
        ids: list[int] = []
        for row in range(self.guideline_list.count()):
            item = self.guideline_list.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                ids.append(int(item.data(Qt.ItemDataRole.UserRole)))
        return ids

    def _choice_errors(self) -> dict[str, str]:
        """Typed text in a picker that names nothing is a mistake, not "none"."""
        errors: dict[str, str] = {}
        for key, combo, what in (
            ("contact_person", self.contact_combo, "Person"),
            ("measure", self.measure_combo, "Maßnahme"),
        ):
            if combo.currentText().strip() and _typed_choice(combo) is None:
                errors[key] = f"Keine {what} dieses Namens – bitte aus der Liste wählen."
        return errors

    def collect(self) -> tuple[GrantData, dict[str, str]]:
        """The form as :class:`GrantData` and the messages of every rule it breaks."""
        parse_errors: dict[str, str] = {}
        cents: dict[str, int | None] = {}
        for key in _AMOUNTS:
            try:
                cents[key] = to_cents(self.amount_edits[key].text(), field=FIELD_LABELS[key])
            except FieldError as err:
                cents[key] = None
                parse_errors[key] = err.message
        program = self.program_combo.currentData()
        data = replace(
            self._loaded,
            program_id=program if isinstance(program, int) else None,
            budget_year=self.year_spin.value(),
            recipient_id=self._recipient_id(),
            contact_person_id=_typed_choice(self.contact_combo),
            measure_id=_typed_choice(self.measure_combo),
            guideline_ids=self.guideline_ids(),
            received_on=self.received_edit.value(),
            project_title=self.title_edit.text(),
            file_number=self.file_number_edit.text(),
            period_start=self.start_edit.value(),
            period_end=self.end_edit.value(),
            description=self.description_edit.toPlainText(),
            total_cost_cents=cents["total_cost"],
            own_contribution_cents=cents["own_contribution"],
            third_party_cents=cents["third_party"],
            requested_cents=cents["requested"],
        )
        return data, {**data.errors(), **self._choice_errors(), **parse_errors}

    def snapshot(self) -> tuple[object, ...]:
        data, _errors = self.collect()
        return (data, *(edit.text() for edit in self.amount_edits.values()))

    def store(self, data: GrantData) -> int:
        with self._database.session() as session:
            result = save_grant(session, data, self.grant_id)
            self.saved_file_number = result.grant.file_number
            self.same_file_number = len(result.duplicate_file_numbers)
            return result.grant.id

    def _connect_changes(self) -> None:
        self.touch_together("total_cost", "own_contribution", "third_party", "requested")
        self.watch(
            {
                "program": self.program_combo.currentIndexChanged,
                "budget_year": self.year_spin.valueChanged,
                "recipient": self.recipient_combo.currentTextChanged,
                "project_title": self.title_edit.textChanged,
                "file_number": self.file_number_edit.textChanged,
                "contact_person": self.contact_combo.currentTextChanged,
                "measure": self.measure_combo.currentTextChanged,
                "period_end": self.end_edit.changed,
                **{key: edit.textChanged for key, edit in self.amount_edits.items()},
            },
            [
                self.start_edit.changed,
                self.description_edit.textChanged,
                self.received_edit.changed,
                self.guideline_list.itemChanged,
            ],
        )
