"""Id-and-name lists for scripts (``integrationsmanager list …``)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from integrationsmanager.domain.common import Guideline
from integrationsmanager.domain.measures import Measure
from integrationsmanager.domain.network import Organisation


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
