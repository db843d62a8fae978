"""The organisation editor: every field of an organisation, checked as the user types.

The rules (e-mail, web address, IBAN checksum, lengths) live in
:meth:`OrganisationData.errors`; the dialog shows their German messages under the fields.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from integrationsmanager.domain.enums import OrganisationKind
from integrationsmanager.domain.errors import UserError
from integrationsmanager.domain.labels import ORGANISATION_FIELD_LABELS
from integrationsmanager.services.duplicates import (
    DuplicateHit,
    merge_organisations,
    organisation_duplicates,
)
from integrationsmanager.services.measures import guidelines
from integrationsmanager.services.organisations import (
    OrganisationData,
    get_organisation,
    save_organisation,
)
from integrationsmanager.services.tags import split_tags
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.network.record_editor import NetworkEditor, line_edit
from integrationsmanager.ui.widgets.form import form_group, text_edit


def enum_combo(enum: type[OrganisationKind], parent: QWidget) -> QComboBox:
    combo = QComboBox(parent)
    for member in enum:
        combo.addItem(member.label, member.value)
    return combo


class OrganisationEditor(NetworkEditor):
    """Create (``organisation_id`` None) or edit one organisation."""

    noun = "Organisation"

    def __init__(
        self,
        database: Database,
        *,
        organisation_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            database,
            record_id=organisation_id,
            what="dieser Organisation",
            field_labels=ORGANISATION_FIELD_LABELS,
            required=("name",),
            parent=parent,
        )
        with database.session() as session:
            if organisation_id is None:
                data = OrganisationData(name="")
            else:
                organisation = get_organisation(session, organisation_id)
                if organisation is None:
                    raise UserError(f"Organisation {organisation_id} gibt es nicht (mehr).")
                data = OrganisationData.from_organisation(organisation)
            guideline_items = [
                (g.id, g.label)
                for g in guidelines(session, include_retired=True)
                if not g.retired or g.id in data.guideline_ids
            ]
        self.setWindowTitle(
            "Neue Organisation[*]" if organisation_id is None else "Organisation bearbeiten[*]"
        )
        self._build(guideline_items)
        self._fill(data)
        self.watch(
            {
                "name": self.name_edit.textChanged,
                "street": self.street_edit.textChanged,
                "postcode": self.postcode_edit.textChanged,
                "city": self.city_edit.textChanged,
                "municipality": self.municipality_combo.currentTextChanged,
                "phone": self.phone_edit.textChanged,
                "email": self.email_edit.textChanged,
                "website": self.website_edit.textChanged,
                "register_number": self.register_edit.textChanged,
                "iban": self.iban_edit.textChanged,
            },
            (
                self.kind_combo.currentIndexChanged,
                *(box.toggled for box in self.guideline_boxes.values()),
                self.tags_edit.textChanged,
                self.notes_edit.textChanged,
                self.active_box.toggled,
            ),
        )
        self.start()

    # --- building -------------------------------------------------------------------------

    def _build(self, guideline_items: list[tuple[int, str]]) -> None:
        content = QWidget(self)

        about, form = form_group("Organisation", content)
        self.name_edit = line_edit(about, "z. B. Arbeiterwohlfahrt Altenburg e. V.")
        self.add_row(form, "&Name", self.name_edit, "name")
        self.kind_combo = enum_combo(OrganisationKind, about)
        self.add_row(form, "&Art", self.kind_combo, "kind")
        self.active_box = QCheckBox("Organisation ist aktiv", about)
        self.active_box.setToolTip("Nicht aktive Organisationen fehlen in den Auswahllisten")
        form.addRow("", self.active_box)
        self.tags_edit = line_edit(about, "durch Kommas getrennt, z. B. Sprache, Jugend")
        self.add_row(form, "Schlag&wörter", self.tags_edit)
        self.notes_edit = text_edit(about, lines=4)
        self.add_row(form, "N&otizen", self.notes_edit)

        contact, contact_form = form_group("Anschrift und Kontakt", content)
        self.add_address_rows(contact_form, contact, street_label="&Straße")
        self.phone_edit = line_edit(contact, "z. B. 03447 123456")
        self.add_row(contact_form, "&Telefon", self.phone_edit, "phone")
        self.email_edit = line_edit(contact, "z. B. info@verein-altenburg.de")
        self.add_row(contact_form, "&E-Mail", self.email_edit, "email")
        self.website_edit = line_edit(contact, "z. B. www.verein-altenburg.de")
        self.add_row(contact_form, "&Webseite", self.website_edit, "website")
        self.register_edit = line_edit(contact, "z. B. VR 1234, Amtsgericht Jena")
        self.add_row(contact_form, "&Registernummer", self.register_edit, "register_number")
        self.iban_edit = line_edit(contact, "z. B. DE89 3704 0044 0532 0130 00")
        self.add_row(contact_form, "&IBAN", self.iban_edit, "iban")

        # The guidelines' titles are long: they get the whole width, in two columns.
        guidelines_box = QGroupBox("Leitlinien, zu denen die Organisation arbeitet", content)
        grid = QGridLayout(guidelines_box)
        self.guideline_boxes: dict[int, QCheckBox] = {}
        half = (len(guideline_items) + 1) // 2
        for position, (guideline_id, label) in enumerate(guideline_items):
            box = QCheckBox(label, guidelines_box)
            box.setAccessibleName(f"Leitlinie {label}")
            self.guideline_boxes[guideline_id] = box
            grid.addWidget(box, position % half, position // half)
        guideline_form = QFormLayout()
        grid.addLayout(guideline_form, half, 0, 1, 2)
        self.add_error_row(guideline_form, guidelines_box, "guidelines")

        columns = QHBoxLayout()
        columns.addWidget(about, 1)
        columns.addWidget(contact, 1)
        layout = QVBoxLayout(content)
        layout.addLayout(columns)
        layout.addWidget(guidelines_box)
        layout.addStretch(1)
        self.finish(content, accessible_name="Angaben zur Organisation", characters=140)

    # --- values ---------------------------------------------------------------------------

    def _fill(self, data: OrganisationData) -> None:
        self.name_edit.setText(data.name)
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(data.kind.value))
        self.active_box.setChecked(data.active)
        for guideline_id, box in self.guideline_boxes.items():
            box.setChecked(guideline_id in data.guideline_ids)
        self.tags_edit.setText(", ".join(data.tags))
        self.notes_edit.setPlainText(data.notes)
        self.street_edit.setText(data.street)
        self.postcode_edit.setText(data.postcode)
        self.city_edit.setText(data.city)
        self.municipality_combo.set_text(data.municipality)
        self.phone_edit.setText(data.phone)
        self.email_edit.setText(data.email)
        self.website_edit.setText(data.website)
        self.register_edit.setText(data.register_number)
        self.iban_edit.setText(data.iban)

    def collect(self) -> tuple[OrganisationData, dict[str, str]]:
        checked = [i for i, box in self.guideline_boxes.items() if box.isChecked()]
        data = OrganisationData(
            name=self.name_edit.text(),
            kind=OrganisationKind(self.kind_combo.currentData()),
            street=self.street_edit.text(),
            postcode=self.postcode_edit.text(),
            city=self.city_edit.text(),
            municipality=self.municipality_combo.text(),
            phone=self.phone_edit.text(),
            email=self.email_edit.text(),
            website=self.website_edit.text(),
            register_number=self.register_edit.text(),
            iban=self.iban_edit.text(),
            guideline_ids=checked,
            tags=split_tags(self.tags_edit.text()),
            notes=self.notes_edit.toPlainText(),
            active=self.active_box.isChecked(),
        )
        return data, data.errors()

    # --- the network editor's questions ---------------------------------------------------

    def identity(self, data: OrganisationData) -> object:
        return (data.name.strip(), data.email.strip(), data.municipality.strip())

    def display_name(self, data: OrganisationData) -> str:
        return data.name.strip()

    def find_duplicates(self, session: Session, data: OrganisationData) -> list[DuplicateHit]:
        return organisation_duplicates(
            session,
            name=data.name,
            municipality=data.municipality,
            email=data.email,
            exclude_id=self.record_id,
        )

    def write(self, session: Session, data: OrganisationData) -> int:
        return save_organisation(session, data, self.record_id).id

    def merge(self, session: Session, keep_id: int, remove_id: int) -> None:
        merge_organisations(session, keep_id, remove_id)
