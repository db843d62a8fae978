"""Reference data every database starts with: the guidelines, the funding programmes and
the indicators with the policy's figures.

Seeded records get fixed uids (derived from the edition's uid, or written in the seed file),
so every copy of the data shares them. Seeding runs at every open and is idempotent: an
edition or programme that exists is never seeded again, so what staff edited or retired stays
as they left them, and a programme that staff deleted (its uid is in the deletion log) does
not come back. Indicators and their values follow the same rule record by record, so a
database made before they existed gets them at its next open.
"""

from __future__ import annotations

import json
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from integrationsmanager.domain.common import DeletionLog, Guideline, GuidelineEdition
from integrationsmanager.domain.funding import FundingProgram, FundingSource, ProgramBudget
from integrationsmanager.domain.monitoring import Indicator, IndicatorValue
from integrationsmanager.domain.text import fold
from integrationsmanager.paths import seed_dir


def _load(name: str) -> dict[str, Any]:
    with (seed_dir() / name).open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def seed_reference_data(session: Session) -> None:
    seed_guidelines(session)
    seed_programs(session)
    seed_indicators(session)


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


def seed_indicators(session: Session) -> None:
    """The indicators with the policy's figures (``indicators.json``), linked to guidelines.

    An indicator or value that exists, or that staff deleted, is left alone; so is an
    indicator whose name staff already use, and a value whose period and breakdown value
    already hold one.
    """
    data = _load("indicators.json")
    items: list[dict[str, Any]] = data["indicators"]
    uids = [item["uid"] for item in items] + [v["uid"] for item in items for v in item["values"]]
    known = set(session.scalars(select(Indicator.uid).where(Indicator.uid.in_(uids))))
    known |= set(session.scalars(select(IndicatorValue.uid).where(IndicatorValue.uid.in_(uids))))
    if known.issuperset(uids):
        return
    deleted = set(
        session.scalars(select(DeletionLog.record_uid).where(DeletionLog.record_uid.in_(uids)))
    )
    guidelines = _guidelines_by_number(session)
    for item in items:
        if item["uid"] in deleted:
            continue
        indicator = session.scalar(select(Indicator).where(Indicator.uid == item["uid"]))
        if indicator is None:
            folded = fold(item["name"])
            if session.scalar(select(Indicator.id).where(Indicator.name_folded == folded)):
                continue
            indicator = Indicator(
                uid=item["uid"],
                name=item["name"],
                name_folded=folded,
                unit=item["unit"],
                source=data["source"],
                description=item["description"],
                direction=item["direction"],
                breakdown_key=item["breakdown_key"],
                guidelines=[guidelines[n] for n in item["guidelines"] if n in guidelines],
            )
            session.add(indicator)
        taken = {(v.year, v.reference_date, v.breakdown_value) for v in indicator.values}
        for value in item["values"]:
            period = (value["year"], None, value.get("breakdown", ""))
            if value["uid"] in known or value["uid"] in deleted or period in taken:
                continue
            indicator.values.append(
                IndicatorValue(
                    uid=value["uid"],
                    year=value["year"],
                    breakdown_value=value.get("breakdown", ""),
                    value=Decimal(value["value"]),
                    is_forecast=value.get("forecast", False),
                    source=data["source"],
                    note=value["note"],
                )
            )
    session.flush()


def _guidelines_by_number(session: Session) -> dict[int, Guideline]:
    """The guideline of each number: a current one before a retired one, the newest first."""
    found: dict[int, Guideline] = {}
    for guideline in session.scalars(
        select(Guideline).order_by(Guideline.retired, Guideline.id.desc())
    ):
        found.setdefault(guideline.number, guideline)
    return found
