"""The people tab: filter by organisation, municipality, tag and language."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget
from sqlalchemy.orm import Session

from integrationsmanager.services.contacts_io import export_persons
from integrationsmanager.services.network_queries import (
    PersonFilter,
    language_choices,
    municipality_choices,
    person_ids,
    tag_choices,
)
from integrationsmanager.services.organisations import organisation_choices
from integrationsmanager.services.persons import delete_person
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.network.details import PersonDetails
from integrationsmanager.ui.network.list_panel import Nouns, RecordListPanel
from integrationsmanager.ui.network.person_editor import PersonEditor
from integrationsmanager.ui.network.record_editor import NetworkEditor
from integrationsmanager.ui.network.table_models import PersonTableModel
from integrationsmanager.ui.widgets.filters import LazyChoiceCombo, choice_combo, fill_combo

NOUNS = Nouns(
    one="Person",
    many="Personen",
    new="Neue Person",
    deleted_with=(
        "Ihre E-Mail-Adressen, Telefonnummern, Funktionen, Mitgliedschaften, Einladungen und "
        "ihr Kontaktverlauf werden mit gelöscht."
    ),
)

_WIDTH_SAMPLES = (
    "",
    "Sprachmittlerpool Ostthüringen e.V. (Beratung)",
    "anna.mueller@verein-altenburg.de",
    "0176 12345678",
    "Ukrainisch, Russisch, Deutsch",
    "Langenleuba-Niederhain",
)
"""Typical contents of the columns, for their widths until the user sets their own."""


class PersonList(RecordListPanel[PersonFilter]):
    """The people of the network with their filters, details and editor."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        details = PersonDetails(database)
        super().__init__(
            database,
            model=PersonTableModel(database),
            details=details,
            nouns=NOUNS,
            key="network/persons",
            width_samples=_WIDTH_SAMPLES,
            search_placeholder="Name, Organisation, E-Mail, Schlagwort, Sprache …",
            parent=parent,
        )
        self.details_pane = details
        details.person_erased.connect(self._on_details_person_erased)
        # Thousands of organisations: typing part of the name finds one.
        self.organisation_combo = LazyChoiceCombo(self, 12)
        self.organisation_combo.setEditable(True)
        self.organisation_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = QCompleter(self.organisation_combo.model(), self.organisation_combo)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.organisation_combo.setCompleter(completer)
        self.municipality_combo = choice_combo([], self, 8)
        self.tag_combo = choice_combo([], self, 8)
        self.language_combo = choice_combo([], self, 8)
        self.add_filters(
            [
                ("&Organisation", self.organisation_combo),
                ("&Gemeinde", self.municipality_combo),
                ("Schlag&wort", self.tag_combo),
                ("Spr&ache", self.language_combo),
            ]
        )
        line = self.organisation_combo.lineEdit()
        if line is not None:
            line.setAccessibleName("Organisation")
        self.add_exports(export_persons)
        self.start()

    # --- the list's questions -------------------------------------------------------------

    def current_filter(self) -> PersonFilter:
        organisation = self.organisation_combo.currentData()
        return PersonFilter(
            search=self.search_edit.text().strip(),
            organisation_id=organisation if isinstance(organisation, int) else None,
            municipality=self.municipality_combo.currentData() or "",
            tag=self.tag_combo.currentData() or "",
            language=self.language_combo.currentData() or "",
        )

    def describe_filter(self, flt: PersonFilter) -> list[str]:
        parts = []
        if flt.organisation_id is not None:
            parts.append(f"Organisation „{self.organisation_combo.currentText()}“")
        if flt.municipality:
            parts.append(f"Gemeinde {flt.municipality}")
        if flt.tag:
            parts.append(f"Schlagwort „{flt.tag}“")
        if flt.language:
            parts.append(f"Sprache {flt.language}")
        if flt.search:
            parts.append(f"Suche „{flt.search}“")
        return parts

    def reload_choices(self) -> None:
        database = self._database

        def organisations() -> list[tuple[str, object]]:
            with database.session() as session:
                return [(name, i) for i, name in organisation_choices(session)]

        with self._database.session() as session:
            municipalities = municipality_choices(session)
            tags = tag_choices(session)
            languages = language_choices(session)
        kept = [
            self.organisation_combo.set_loader(organisations),
            fill_combo(self.municipality_combo, [(m, m) for m in municipalities]),
            fill_combo(self.tag_combo, [(t, t) for t in tags]),
            fill_combo(self.language_combo, [(lang, lang) for lang in languages]),
        ]
        if not all(kept):
            self.apply_filter()

    def count_all(self, session: Session) -> int:
        return len(person_ids(session))

    def make_editor(self, record_id: int | None) -> NetworkEditor:
        return PersonEditor(self._database, person_id=record_id, parent=self)

    def delete_record(self, session: Session, record_id: int) -> None:
        delete_person(session, record_id)

    def show_details(self, record_id: int | None) -> None:
        self.details_pane.show_person(record_id)

    def _on_details_person_erased(self, person_id: int) -> None:
        self.announce("Personenbezogene Daten gelöscht (Art. 17 DSGVO)", select=person_id)
