"""The person editor: name, contact data, languages, functions and consent, checked as typed.

The rules live in :meth:`PersonData.errors`; the dialog shows their German messages under
the fields. E-mail addresses and phone numbers are typed one per line.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from integrationsmanager.domain.errors import UserError
from integrationsmanager.domain.labels import CONSENT_DATE_LABELS, PERSON_FIELD_LABELS
from integrationsmanager.services.duplicates import DuplicateHit, merge_persons, person_duplicates
from integrationsmanager.services.organisations import organisation_choices
from integrationsmanager.services.persons import (
    LEGAL_BASES,
    PersonData,
    get_person,
    list_name,
    save_person,
)
from integrationsmanager.services.tags import split_tags
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.network.record_editor import NetworkEditor, line_edit
from integrationsmanager.ui.network.roles_edit import RolesEdit
from integrationsmanager.ui.widgets.dates import OptionalDateEdit
from integrationsmanager.ui.widgets.form import form_group, text_edit

SALUTATIONS = ("", "Frau", "Herr")
CONSENT_WAYS = ("schriftlich", "mündlich", "per E-Mail", "Online-Formular")

FIELD_LABELS = {
    **PERSON_FIELD_LABELS,
    **CONSENT_DATE_LABELS,
    "last_name": "Vor- oder Nachname",
    "emails": "E-Mail-Adressen",
    "phones": "Telefonnummern",
    "roles": "Funktionen",
}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _editable_combo(items: tuple[str, ...], parent: QWidget) -> QComboBox:
    combo = QComboBox(parent)
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.addItems(list(items))
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(12)
    return combo


class PersonEditor(NetworkEditor):
    """Create (``person_id`` None) or edit one person; ``organisation_id`` starts a role."""

    noun = "Person"

    def __init__(
        self,
        database: Database,
        *,
        person_id: int | None = None,
        organisation_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            database,
            record_id=person_id,
            what="dieser Person",
            field_labels=FIELD_LABELS,
            required=("last_name",),
            parent=parent,
        )
        with database.session() as session:
            if person_id is None:
                data = PersonData()
            else:
                person = get_person(session, person_id)
                if person is None:
                    raise UserError(f"Person {person_id} gibt es nicht (mehr).")
                data = PersonData.from_person(person)
            choices = {name: org_id for org_id, name in reversed(organisation_choices(session))}
        self.setWindowTitle("Neue Person[*]" if person_id is None else "Person bearbeiten[*]")
        self._build(choices)
        self._fill(data)
        if person_id is None and organisation_id is not None:
            names = {org_id: name for name, org_id in choices.items()}
            self.roles_edit.add_role().organisation_combo.set_text(names.get(organisation_id, ""))
        self.watch(
            {
                "salutation": self.salutation_combo.currentTextChanged,
                "title": self.title_edit.textChanged,
                "first_name": self.first_name_edit.textChanged,
                "last_name": self.last_name_edit.textChanged,
                "emails": self.emails_edit.textChanged,
                "phones": self.phones_edit.textChanged,
                "languages": self.languages_edit.textChanged,
                "street": self.street_edit.textChanged,
                "postcode": self.postcode_edit.textChanged,
                "city": self.city_edit.textChanged,
                "municipality": self.municipality_combo.currentTextChanged,
                "roles": self.roles_edit.changed,
                "consent_purpose": self.consent_purpose_edit.textChanged,
                "consent_how": self.consent_how_combo.currentTextChanged,
                "consent_given_on": self.consent_given_edit.changed,
                "consent_withdrawn_on": self.consent_withdrawn_edit.changed,
                "legal_basis": self.legal_basis_combo.currentTextChanged,
                "purpose": self.purpose_edit.textChanged,
                "source": self.source_edit.textChanged,
            },
            (
                self.tags_edit.textChanged,
                self.notes_edit.textChanged,
            ),
        )
        # The legal basis "Einwilligung" needs the date of the consent: say so at once.
        self.touch_together("legal_basis", "consent_given_on", "consent_withdrawn_on")
        self.start()

    # --- building -------------------------------------------------------------------------

    def _build(self, choices: dict[str, int]) -> None:
        content = QWidget(self)

        about, form = form_group("Person", content)
        self.salutation_combo = _editable_combo(SALUTATIONS, about)
        self.add_row(form, "&Anrede", self.salutation_combo, "salutation")
        self.title_edit = line_edit(about, "z. B. Dr.")
        self.add_row(form, "&Titel", self.title_edit, "title")
        self.first_name_edit = line_edit(about)
        self.add_row(form, "&Vorname", self.first_name_edit, "first_name")
        self.last_name_edit = line_edit(about)
        self.add_row(form, "&Nachname", self.last_name_edit, "last_name")
        self.languages_edit = line_edit(about, "durch Kommas getrennt, z. B. Arabisch, Dari")
        self.add_row(form, "&Sprachen", self.languages_edit, "languages")
        self.tags_edit = line_edit(about, "durch Kommas getrennt, z. B. Dolmetschen, Eltern")
        self.add_row(form, "Schlag&wörter", self.tags_edit)
        self.notes_edit = text_edit(about, lines=3)
        self.add_row(form, "N&otizen", self.notes_edit)

        roles, roles_form = form_group("Funktionen in Organisationen", content)
        self.roles_edit = RolesEdit(choices, roles)
        roles_form.addRow(self.roles_edit)
        self.add_error_row(roles_form, self.roles_edit, "roles")

        contact, contact_form = form_group("Kontakt und Anschrift", content)
        self.emails_edit = text_edit(contact, lines=2)
        self.emails_edit.setPlaceholderText("eine Adresse je Zeile")
        self.add_row(
            contact_form,
            "&E-Mail",
            self.emails_edit,
            "emails",
            accessible_name="E-Mail-Adressen, eine je Zeile",
        )
        self.phones_edit = text_edit(contact, lines=2)
        self.phones_edit.setPlaceholderText("eine Nummer je Zeile")
        self.add_row(
            contact_form,
            "Tele&fon",
            self.phones_edit,
            "phones",
            accessible_name="Telefonnummern, eine je Zeile",
        )
        self.add_address_rows(contact_form, contact, street_label="St&raße")

        privacy, privacy_form = form_group("Datenschutz", content)
        self.consent_given_edit = OptionalDateEdit("Einwilligung am", privacy)
        self.add_row(privacy_form, "Einwilligung a&m", self.consent_given_edit, "consent_given_on")
        self.consent_purpose_edit = line_edit(privacy, "z. B. Einladungen zum Netzwerktreffen")
        self.add_row(
            privacy_form,
            "&Zweck",
            self.consent_purpose_edit,
            "consent_purpose",
            accessible_name="Zweck der Einwilligung",
        )
        self.consent_how_combo = _editable_combo(("", *CONSENT_WAYS), privacy)
        self.add_row(
            privacy_form,
            "&Wie erteilt",
            self.consent_how_combo,
            "consent_how",
            accessible_name="Art der Einwilligung",
        )
        self.consent_withdrawn_edit = OptionalDateEdit("Widerrufen am", privacy)
        self.add_row(
            privacy_form, "Wi&derrufen am", self.consent_withdrawn_edit, "consent_withdrawn_on"
        )
        self.legal_basis_combo = _editable_combo(("", *LEGAL_BASES), privacy)
        self.add_row(privacy_form, "&Rechtsgrundlage", self.legal_basis_combo, "legal_basis")
        self.purpose_edit = line_edit(privacy, "wozu das Amt die Daten speichert")
        self.add_row(privacy_form, "Zweck der Spei&cherung", self.purpose_edit, "purpose")
        self.source_edit = line_edit(privacy, "z. B. Visitenkarte, Netzwerktreffen 03/2026")
        self.add_row(privacy_form, "&Herkunft der Daten", self.source_edit, "source")
        for combo in (self.salutation_combo, self.consent_how_combo, self.legal_basis_combo):
            line = combo.lineEdit()
            if line is not None:
                line.setAccessibleName(combo.accessibleName())

        left = QVBoxLayout()
        left.addWidget(about)
        left.addWidget(roles, 1)
        right = QVBoxLayout()
        right.addWidget(contact)
        right.addWidget(privacy, 1)
        columns = QHBoxLayout(content)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        self.finish(content, accessible_name="Angaben zur Person", characters=150)

    # --- values ---------------------------------------------------------------------------

    def _fill(self, data: PersonData) -> None:
        self.salutation_combo.setCurrentText(data.salutation)
        self.title_edit.setText(data.title)
        self.first_name_edit.setText(data.first_name)
        self.last_name_edit.setText(data.last_name)
        self.languages_edit.setText(data.languages)
        self.tags_edit.setText(", ".join(data.tags))
        self.notes_edit.setPlainText(data.notes)
        self.roles_edit.set_roles(data.roles)
        self.emails_edit.setPlainText("\n".join(data.emails))
        self.phones_edit.setPlainText("\n".join(data.phones))
        self.street_edit.setText(data.street)
        self.postcode_edit.setText(data.postcode)
        self.city_edit.setText(data.city)
        self.municipality_combo.set_text(data.municipality)
        self.consent_given_edit.set_value(data.consent_given_on)
        self.consent_purpose_edit.setText(data.consent_purpose)
        self.consent_how_combo.setCurrentText(data.consent_how)
        self.consent_withdrawn_edit.set_value(data.consent_withdrawn_on)
        self.legal_basis_combo.setCurrentText(data.legal_basis)
        self.purpose_edit.setText(data.purpose)
        self.source_edit.setText(data.source)

    def collect(self) -> tuple[PersonData, dict[str, str]]:
        data = PersonData(
            salutation=self.salutation_combo.currentText(),
            title=self.title_edit.text(),
            first_name=self.first_name_edit.text(),
            last_name=self.last_name_edit.text(),
            emails=_lines(self.emails_edit.toPlainText()),
            phones=_lines(self.phones_edit.toPlainText()),
            languages=self.languages_edit.text(),
            street=self.street_edit.text(),
            postcode=self.postcode_edit.text(),
            city=self.city_edit.text(),
            municipality=self.municipality_combo.text(),
            roles=self.roles_edit.roles(),
            tags=split_tags(self.tags_edit.text()),
            notes=self.notes_edit.toPlainText(),
            consent_given_on=self.consent_given_edit.value(),
            consent_purpose=self.consent_purpose_edit.text(),
            consent_how=self.consent_how_combo.currentText(),
            consent_withdrawn_on=self.consent_withdrawn_edit.value(),
            legal_basis=self.legal_basis_combo.currentText(),
            purpose=self.purpose_edit.text(),
            source=self.source_edit.text(),
        )
        return data, data.errors()

    # --- the network editor's questions ---------------------------------------------------

    def identity(self, data: PersonData) -> object:
        return (
            data.first_name.strip(),
            data.last_name.strip(),
            tuple(data.emails),
            data.municipality.strip(),
        )

    def display_name(self, data: PersonData) -> str:
        return list_name(data.first_name.strip(), data.last_name.strip())

    def find_duplicates(self, session: Session, data: PersonData) -> list[DuplicateHit]:
        return person_duplicates(
            session,
            first_name=data.first_name,
            last_name=data.last_name,
            emails=data.emails,
            municipality=data.municipality,
            exclude_id=self.record_id,
        )

    def write(self, session: Session, data: PersonData) -> int:
        return save_person(session, data, self.record_id).id

    def merge(self, session: Session, keep_id: int, remove_id: int) -> None:
        merge_persons(session, keep_id, remove_id)
