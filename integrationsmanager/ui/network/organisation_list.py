"""The organisations tab: filter by kind, municipality, guideline, tag and activity."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QWidget
from sqlalchemy.orm import Session

from integrationsmanager.domain.enums import OrganisationKind
from integrationsmanager.services.contacts_io import export_organisations
from integrationsmanager.services.measures import guidelines
from integrationsmanager.services.network_queries import (
    OrganisationFilter,
    municipality_choices,
    organisation_ids,
    tag_choices,
)
from integrationsmanager.services.organisations import delete_organisation
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.network.details import OrganisationDetails
from integrationsmanager.ui.network.list_panel import Nouns, RecordListPanel
from integrationsmanager.ui.network.organisation_editor import OrganisationEditor
from integrationsmanager.ui.network.record_editor import NetworkEditor
from integrationsmanager.ui.network.table_models import OrganisationTableModel
from integrationsmanager.ui.widgets.filters import choice_combo, fill_combo

NOUNS = Nouns(
    one="Organisation",
    many="Organisationen",
    new="Neue Organisation",
    deleted_with=(
        "Die Funktionen von Personen in ihr und ihr Kontaktverlauf werden mit gelöscht; "
        "Maßnahmen verlieren sie als Federführung oder Partner."
    ),
)

_WIDTH_SAMPLES = (
    "",
    "Migrantenorganisation",
    "Langenleuba-Niederhain",
    "03447 891-4711",
    "vermietung@swg-altenburg.de",
    "1.234",
    "nicht aktiv",
)
"""Typical contents of the columns, for their widths until the user sets their own."""


class OrganisationList(RecordListPanel[OrganisationFilter]):
    """The organisations of the network with their filters, details and editor."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        details = OrganisationDetails(database)
        super().__init__(
            database,
            model=OrganisationTableModel(database),
            details=details,
            nouns=NOUNS,
            key="network/organisations",
            width_samples=_WIDTH_SAMPLES,
            search_placeholder="Name, Ort, E-Mail, Schlagwort …",
            parent=parent,
        )
        self.details_pane = details
        self.kind_combo = choice_combo([(k.label, k.value) for k in OrganisationKind], self, 8)
        self.municipality_combo = choice_combo([], self, 8)
        self.guideline_combo = choice_combo([], self, 10)
        self.tag_combo = choice_combo([], self, 8)
        self.active_box = QCheckBox("nur akt&ive", self)
        self.active_box.setToolTip("Nicht aktive Organisationen ausblenden")
        self.add_filters(
            [
                ("&Art", self.kind_combo),
                ("&Gemeinde", self.municipality_combo),
                ("&Leitlinie", self.guideline_combo),
                ("Schlag&wort", self.tag_combo),
                ("", self.active_box),
            ]
        )
        self.add_exports(export_organisations)
        self.start()

    # --- the list's questions -------------------------------------------------------------

    def current_filter(self) -> OrganisationFilter:
        kind = self.kind_combo.currentData()
        guideline = self.guideline_combo.currentData()
        return OrganisationFilter(
            search=self.search_edit.text().strip(),
            kind=OrganisationKind(kind) if kind else None,
            municipality=self.municipality_combo.currentData() or "",
            guideline_id=guideline if isinstance(guideline, int) else None,
            tag=self.tag_combo.currentData() or "",
            active_only=self.active_box.isChecked(),
        )

    def describe_filter(self, flt: OrganisationFilter) -> list[str]:
        parts = []
        if flt.kind is not None:
            parts.append(f"Art {flt.kind.label}")
        if flt.municipality:
            parts.append(f"Gemeinde {flt.municipality}")
        if flt.guideline_id is not None:
            parts.append(f"Leitlinie {self.guideline_combo.currentText()}")
        if flt.tag:
            parts.append(f"Schlagwort „{flt.tag}“")
        if flt.active_only:
            parts.append("nur aktive")
        if flt.search:
            parts.append(f"Suche „{flt.search}“")
        return parts

    def reload_choices(self) -> None:
        with self._database.session() as session:
            municipalities = municipality_choices(session)
            guideline_items = [(g.label, g.id) for g in guidelines(session)]
            tags = tag_choices(session)
        kept = [
            fill_combo(self.municipality_combo, [(m, m) for m in municipalities]),
            fill_combo(self.guideline_combo, guideline_items),
            fill_combo(self.tag_combo, [(t, t) for t in tags]),
        ]
        if not all(kept):
            self.apply_filter()

    def count_all(self, session: Session) -> int:
        return len(organisation_ids(session))

    def make_editor(self, record_id: int | None) -> NetworkEditor:
        return OrganisationEditor(self._database, organisation_id=record_id, parent=self)

    def delete_record(self, session: Session, record_id: int) -> None:
        delete_organisation(session, record_id)

    def show_details(self, record_id: int | None) -> None:
        self.details_pane.show_organisation(record_id)
