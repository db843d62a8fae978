"""The organisation and person tables: the lazy id-list model with the network's columns.

20,000 organisations or 100,000 people open as fast as 20: the model holds only the ids of
the current filter and fetches the rows on screen a page at a time
(:mod:`integrationsmanager.ui.widgets.lazy_table`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QFont
from sqlalchemy.orm import Session

from integrationsmanager.domain.money import format_number
from integrationsmanager.services.network_queries import (
    OrganisationFilter,
    OrganisationRow,
    PersonFilter,
    PersonRow,
    fetch_organisation_rows,
    fetch_person_rows,
    organisation_ids,
    person_ids,
)
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.widgets.lazy_table import Column, DisplayRow, LazyTableModel

ORGANISATION_COLUMNS: tuple[Column, ...] = (
    Column("Name", "name"),
    Column("Art", "kind"),
    Column("Gemeinde", "municipality"),
    Column("Telefon", "phone"),
    Column("E-Mail", "email"),
    Column("Personen", "people", right_aligned=True),
    Column("Status", "active"),
)
ORGANISATION_NAME_COLUMN = 0

PERSON_COLUMNS: tuple[Column, ...] = (
    Column("Name", "name"),
    Column("Organisation (Funktion)", "organisation"),
    Column("E-Mail", "email"),
    Column("Telefon", "phone"),
    Column("Sprachen", "languages"),
    Column("Gemeinde", "municipality"),
)
PERSON_NAME_COLUMN = 0


@dataclass(frozen=True)
class OrganisationDisplayRow(DisplayRow):
    active: bool


def _organisation_row(row: OrganisationRow) -> OrganisationDisplayRow:
    status = "aktiv" if row.active else "nicht aktiv"
    return OrganisationDisplayRow(
        id=row.id,
        active=row.active,
        cells=(
            row.name,
            row.kind.label,
            row.municipality,
            row.phone,
            row.email,
            format_number(row.people),
            status,
        ),
        tooltips=(
            row.name,
            row.kind.label,
            row.municipality or None,
            row.phone or None,
            row.email or None,
            f"{format_number(row.people)} Personen mit einer Funktion hier",
            None if row.active else "Fehlt in den Auswahllisten",
        ),
    )


def _fetch_organisations(session: Session, ids: list[int]) -> Mapping[int, OrganisationDisplayRow]:
    return {i: _organisation_row(row) for i, row in fetch_organisation_rows(session, ids).items()}


class OrganisationTableModel(LazyTableModel[OrganisationFilter, OrganisationDisplayRow]):
    """Organisations of one filter; an inactive one is written in italics besides its status."""

    def __init__(self, database: Database, parent: QObject | None = None) -> None:
        super().__init__(
            database,
            columns=ORGANISATION_COLUMNS,
            initial_filter=OrganisationFilter(),
            query_ids=organisation_ids,
            fetch_rows=_fetch_organisations,
            parent=parent,
        )

    def row_data(self, row: OrganisationDisplayRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.FontRole and not row.active:
            font = QFont()
            font.setItalic(True)
            return font
        return None


def _person_row(row: PersonRow) -> DisplayRow:
    organisation = row.organisation
    if organisation and row.function:
        organisation = f"{organisation} ({row.function})"
    return DisplayRow(
        id=row.id,
        cells=(
            row.name,
            organisation,
            row.email,
            row.phone,
            row.languages,
            row.municipality,
        ),
        tooltips=(
            row.name,
            organisation or None,
            row.email or None,
            row.phone or None,
            row.languages or None,
            row.municipality or None,
        ),
    )


def _fetch_persons(session: Session, ids: list[int]) -> Mapping[int, DisplayRow]:
    return {i: _person_row(row) for i, row in fetch_person_rows(session, ids).items()}


class PersonTableModel(LazyTableModel[PersonFilter, DisplayRow]):
    """People of one filter, with their main organisation and first address and number."""

    def __init__(self, database: Database, parent: QObject | None = None) -> None:
        super().__init__(
            database,
            columns=PERSON_COLUMNS,
            initial_filter=PersonFilter(),
            query_ids=person_ids,
            fetch_rows=_fetch_persons,
            parent=parent,
        )
