"""Demo grants: 64 Zuwendungen of the three programmes for 2025–2027, as of the demo day.

The data lives in ``database/seed/demo_funding.json``; every grant walks its path through
:func:`~integrationsmanager.services.grants.transition`, so the demo obeys the same rules
(budgets, maximum amounts and rates, payments ≤ approved) as staff do. What the file leaves
out follows fixed rules, so the result is the same on every run:

- application received 15 October of the year before (micro-grants: 60 days before the
  project starts), decision 15 December (micro-grants: three weeks after receipt);
- period: the calendar year unless given;
- tranches: Sozialberatung quarterly (15 January, April, July and 10 November), other
  programmes 60 % at the start and 40 % half-way, micro-grants one payment two weeks after
  the decision; tranches due by the demo day are paid, later ones planned or instructed;
  grants only approved get their tranches after the demo day (the first one instructed);
- proof of use received ten days before it is due, checked 30 days later; a repayment
  claims what was paid but not accepted, 14 days after the check.

History rows carry the day of each step (09:00 UTC), not the moment the demo was made.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from integrationsmanager.domain.enums import GrantStatus, PaymentStatus
from integrationsmanager.domain.errors import UserError
from integrationsmanager.domain.funding import Grant
from integrationsmanager.paths import seed_dir
from integrationsmanager.services.grants import (
    GrantData,
    paid_cents,
    plan_payment,
    program_by_code,
    save_grant,
    set_payment_status,
    transition,
)
from integrationsmanager.services.measures import guideline_by_number
from integrationsmanager.services.organisations import find_by_name

DEMO_FILE = "demo_funding.json"

AS_OF = date(2026, 11, 1)
"""The demo day (the same as :data:`integrationsmanager.services.demo.AS_OF`)."""

_PATH: dict[GrantStatus, tuple[GrantStatus, ...]] = {
    GrantStatus.DRAFT: (),
    GrantStatus.RECEIVED: (GrantStatus.RECEIVED,),
    GrantStatus.IN_REVIEW: (GrantStatus.RECEIVED, GrantStatus.IN_REVIEW),
    GrantStatus.WITHDRAWN: (GrantStatus.RECEIVED, GrantStatus.WITHDRAWN),
    GrantStatus.REJECTED: (GrantStatus.RECEIVED, GrantStatus.IN_REVIEW, GrantStatus.REJECTED),
    GrantStatus.APPROVED: (GrantStatus.RECEIVED, GrantStatus.IN_REVIEW, GrantStatus.APPROVED),
}
_AFTER_PAYMENT = (
    GrantStatus.PROOF_DUE,
    GrantStatus.PROOF_RECEIVED,
    GrantStatus.PROOF_CHECKED,
)


def load_funding_demo_file() -> dict[str, Any]:
    with (seed_dir() / DEMO_FILE).open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def create_funding_demo(session: Session) -> int:
    """Add the demo grants (recipients must exist, see the network demo); return their number."""
    items = load_funding_demo_file()["grants"]
    for item in items:
        _create(session, item)
    session.flush()
    return len(items)


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _stamp(grant: Grant, day: date) -> None:
    grant.history[-1].changed_at = datetime.combine(day, time(9), tzinfo=UTC)


def _create(session: Session, item: dict[str, Any]) -> None:
    program = program_by_code(session, item["program"])
    recipient = find_by_name(session, item["recipient"])
    if program is None or recipient is None:
        raise UserError(
            f"Für die Beispiel-Zuwendung „{item['title']}“ fehlt das Programm "
            f"{item['program']} oder die Organisation „{item['recipient']}“."
        )
    year: int = item["year"]
    period = item.get("period") or [f"{year}-01-01", f"{year}-12-31"]
    start, end = date.fromisoformat(period[0]), date.fromisoformat(period[1])
    micro = item["program"] == "MIK"
    received = _day(item.get("received")) or (
        start - timedelta(days=60) if micro else date(year - 1, 10, 15)
    )
    decided = _day(item.get("decided")) or (
        received + timedelta(days=21) if micro else date(year - 1, 12, 15)
    )
    guideline_ids = [
        g.id for n in item["guidelines"] if (g := guideline_by_number(session, n)) is not None
    ]
    grant = save_grant(
        session,
        GrantData(
            program_id=program.id,
            budget_year=year,
            recipient_id=recipient.id,
            project_title=item["title"],
            guideline_ids=guideline_ids,
            period_start=start,
            period_end=end,
            total_cost_cents=item["total_cents"],
            own_contribution_cents=item["total_cents"] - item["requested_cents"],
            requested_cents=item["requested_cents"],
        ),
    ).grant
    _stamp(grant, received - timedelta(days=3))
    target = GrantStatus(item["status"])
    path = _PATH.get(target, _PATH[GrantStatus.APPROVED])
    approved = item.get("approved_cents")
    for step in path:
        on = decided if step in (GrantStatus.APPROVED, GrantStatus.REJECTED) else received
        if step == GrantStatus.IN_REVIEW:
            on = received + timedelta(days=7)
        if step == GrantStatus.WITHDRAWN:
            on = received + timedelta(days=30)
        transition(session, grant.id, step, on=on, amount_cents=approved)
        _stamp(grant, on)
    if target in _PATH:
        if target == GrantStatus.APPROVED:
            for number, (cents, planned) in enumerate(_tranches(item, start, end, decided)):
                due = max(planned, AS_OF + timedelta(days=7 + 30 * number))
                payment = plan_payment(session, grant.id, cents, due)
                if number == 0:
                    set_payment_status(session, payment.id, PaymentStatus.INSTRUCTED)
        return
    _pay(session, grant, item, start, end, decided, everything=target != GrantStatus.PAYING)
    if target == GrantStatus.PAYING:
        return
    transition(session, grant.id, GrantStatus.PROOF_DUE)
    _stamp(grant, min(end + timedelta(days=1), AS_OF))
    if target == GrantStatus.PROOF_DUE:
        return
    assert grant.proof_due_on is not None
    proof_received = _day(item.get("proof_received")) or grant.proof_due_on - timedelta(days=10)
    transition(session, grant.id, GrantStatus.PROOF_RECEIVED, on=proof_received)
    _stamp(grant, proof_received)
    if target == GrantStatus.PROOF_RECEIVED:
        return
    checked = proof_received + timedelta(days=30)
    accepted: int = item.get("accepted_cents", item["approved_cents"])
    transition(session, grant.id, GrantStatus.PROOF_CHECKED, amount_cents=accepted, on=checked)
    _stamp(grant, checked)
    if target == GrantStatus.REPAYMENT:
        repayment_on = checked + timedelta(days=14)
        repayment = paid_cents(grant) - accepted
        transition(
            session, grant.id, GrantStatus.REPAYMENT, amount_cents=repayment, on=repayment_on
        )
        _stamp(grant, repayment_on)
        return
    if target == GrantStatus.CLOSED:
        transition(session, grant.id, GrantStatus.CLOSED)
        _stamp(grant, checked + timedelta(days=7))


def _tranches(
    item: dict[str, Any], start: date, end: date, decided: date
) -> list[tuple[int, date]]:
    """(cents, due date) of the grant's tranches; their sum is the approved amount."""
    approved: int = item["approved_cents"]
    if item["program"] == "MIK":
        return [(approved, decided + timedelta(days=14))]
    if item["program"] == "SBR":
        year = start.year
        dues = [date(year, 1, 15), date(year, 4, 15), date(year, 7, 15), date(year, 11, 10)]
        share = approved // 4
        return [(share, d) for d in dues[:3]] + [(approved - 3 * share, dues[3])]
    first = approved * 60 // 100
    return [
        (first, start + timedelta(days=14)),
        (approved - first, start + (end - start) / 2),
    ]


def _pay(
    session: Session,
    grant: Grant,
    item: dict[str, Any],
    start: date,
    end: date,
    decided: date,
    *,
    everything: bool,
) -> None:
    """Pay the tranches due by the demo day (all if ``everything``), plan the rest."""
    for number, (cents, due) in enumerate(_tranches(item, start, end, decided)):
        if everything or due <= AS_OF:
            transition(session, grant.id, GrantStatus.PAYING, amount_cents=cents, on=due)
            _stamp(grant, due)
            continue
        payment = plan_payment(session, grant.id, cents, due)
        if (grant.id + number) % 2:
            set_payment_status(session, payment.id, PaymentStatus.INSTRUCTED)
