"""Id-and-name lists for scripts (``integrationsmanager list …``)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from integrationsmanager.domain.common import Guideline
from integrationsmanager.domain.measures import Measure
from integrationsmanager.domain.network import Organisation, Person
from integrationsmanager.services.meetings import list_groups, list_meetings

__all__ = [
    "list_groups",
    "list_guidelines",
    "list_measures",
    "list_meetings",
    "list_organisations",
    "list_persons",
]


def list_measures(session: Session) -> list[tuple[int, str]]:
    rows = session.execute(select(Measure.id, Measure.title).order_by(Measure.id))
    return [(r.id, r.title) for r in rows]


def list_organisations(session: Session) -> list[tuple[int, str]]:
    rows = session.execute(select(Organisation.id, Organisation.name).order_by(Organisation.id))
    return [(r.id, r.name) for r in rows]


def list_guidelines(session: Session) -> list[tuple[int, str]]:
    rows = session.execute(
        select(Guideline.id, Guideline.number, Guideline.title).order_by(Guideline.number)
    )
    return [(r.id, f"{r.number} {r.title}") for r in rows]


def list_persons(session: Session) -> list[tuple[int, str]]:
    rows = session.execute(
        select(Person.id, Person.last_name, Person.first_name).order_by(Person.id)
    )
    return [(r.id, ", ".join(p for p in (r.last_name, r.first_name) if p)) for r in rows]
