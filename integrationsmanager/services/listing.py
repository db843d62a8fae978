"""Id-and-name lists for scripts (``integrationsmanager list …``)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from integrationsmanager.domain.common import Guideline
from integrationsmanager.domain.measures import Measure
from integrationsmanager.domain.meetings import Meeting, WorkingGroup
from integrationsmanager.domain.network import Organisation, Person

BERLIN = ZoneInfo("Europe/Berlin")


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


def list_groups(session: Session) -> list[tuple[int, str]]:
    rows = session.execute(select(WorkingGroup.id, WorkingGroup.name).order_by(WorkingGroup.id))
    return [(r.id, r.name) for r in rows]


def list_meetings(session: Session) -> list[tuple[int, str]]:
    """Id and "dd.MM.yyyy Gruppe – Titel" of every meeting, in id order."""
    rows = session.execute(
        select(Meeting.id, Meeting.starts_at, Meeting.title, WorkingGroup.name)
        .join(WorkingGroup, WorkingGroup.id == Meeting.group_id)
        .order_by(Meeting.id)
    )
    result = []
    for r in rows:
        day = r.starts_at.astimezone(BERLIN).strftime("%d.%m.%Y")
        title = f" – {r.title}" if r.title else ""
        result.append((r.id, f"{day} {r.name}{title}"))
    return result
