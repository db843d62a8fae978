"""Organisations as the measures need them: find by name, create the missing ones.

The network area ([2 of 5]) builds the full organisation editor on the same table.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from integrationsmanager.domain.enums import OrganisationKind
from integrationsmanager.domain.network import Organisation
from integrationsmanager.domain.text import clean_line, fold, search_blob


def new_organisation(name: str, kind: OrganisationKind = OrganisationKind.OTHER) -> Organisation:
    name = clean_line(name)
    return Organisation(name=name, kind=kind, name_folded=fold(name), search_text=search_blob(name))


def find_by_name(session: Session, name: str) -> Organisation | None:
    """The first organisation whose folded name equals ``name`` folded."""
    return session.scalars(
        select(Organisation)
        .where(Organisation.name_folded == fold(name))
        .order_by(Organisation.active.desc(), Organisation.id)
        .limit(1)
    ).first()


def resolve_names(session: Session, names: list[str]) -> tuple[list[Organisation], list[str]]:
    """Organisations for ``names``; missing ones are created. Returns them and the new names."""
    found: list[Organisation] = []
    created: list[str] = []
    for raw in names:
        name = clean_line(raw)
        if not name:
            continue
        organisation = find_by_name(session, name)
        if organisation is None:
            organisation = new_organisation(name)
            session.add(organisation)
            session.flush()
            created.append(name)
        if organisation not in found:
            found.append(organisation)
    return found, created


def organisation_choices(session: Session) -> list[tuple[int, str]]:
    """(id, name) of all active organisations, by name, for pick lists."""
    rows = session.execute(
        select(Organisation.id, Organisation.name)
        .where(Organisation.active)
        .order_by(Organisation.name_folded)
    )
    return [(row.id, row.name) for row in rows]
