"""Reference data every database starts with: the guidelines and the funding programmes.

Seeded records get fixed uids (derived from the edition's uid, or written in the seed file),
so every copy of the data shares them. Seeding runs at every open and is idempotent: an
edition or programme that exists is never seeded again, so what staff edited or retired stays
as they left them, and a programme that staff deleted (its uid is in the deletion log) does
not come back.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from integrationsmanager.domain.common import DeletionLog, Guideline, GuidelineEdition
from integrationsmanager.domain.funding import FundingProgram, FundingSource, ProgramBudget
from integrationsmanager.paths import seed_dir


def _load(name: str) -> dict[str, Any]:
    with (seed_dir() / name).open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def seed_reference_data(session: Session) -> None:
    seed_guidelines(session)
    seed_programs(session)


def seed_guidelines(session: Session) -> None:
    data = _load("guidelines.json")
    edition_uid = data["edition"]["uid"]
    exists = session.scalar(select(GuidelineEdition.id).where(GuidelineEdition.uid == edition_uid))
    if exists is not None:
        return
    has_current = session.scalar(select(GuidelineEdition.id).where(GuidelineEdition.current))
    edition = GuidelineEdition(
        uid=edition_uid,
        title=data["edition"]["title"],
        source=data["edition"]["source"],
        current=has_current is None,
    )
    session.add(edition)
    session.flush()
    namespace = uuid.UUID(edition_uid)
    for item in data["guidelines"]:
        session.add(
            Guideline(
                uid=str(uuid.uuid5(namespace, f"guideline-{item['number']}")),
                edition_id=edition.id,
                number=item["number"],
                title=item["title"],
                goals=item["goals"],
                typical_measures=item["typical_measures"],
            )
        )


def seed_programs(session: Session) -> None:
    """The funding programmes with their annual budgets and sources (``programs.json``).

    A budget's amount is the sum of its sources, to the cent.
    """
    data = _load("programs.json")
    for item in data["programs"]:
        uid = item["uid"]
        known = session.scalar(select(FundingProgram.id).where(FundingProgram.uid == uid))
        deleted = session.scalar(select(DeletionLog.id).where(DeletionLog.record_uid == uid))
        if known is not None or deleted is not None:
            continue
        program = FundingProgram(
            uid=uid,
            name=item["name"],
            short_code=item["short_code"],
            legal_basis=item["legal_basis"],
            funding_kind=item["funding_kind"],
            max_amount_cents=item["max_amount_cents"],
            max_rate_bp=item["max_rate_bp"],
            proof_due_months=item["proof_due_months"],
            description=item["description"],
        )
        for budget in item["budgets"]:
            sources = [
                FundingSource(uid=s["uid"], name=s["name"], amount_cents=s["amount_cents"])
                for s in budget["sources"]
            ]
            program.budgets.append(
                ProgramBudget(
                    uid=budget["uid"],
                    year=budget["year"],
                    amount_cents=sum(s.amount_cents for s in sources),
                    sources=sources,
                )
            )
        session.add(program)
    session.flush()
