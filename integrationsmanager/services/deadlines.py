"""What needs attention in funding: pending decisions, payments due, proofs of use.

Everything is computed against a given ``today`` (the demo data and tests fix it), so the
overview and reports are reproducible.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from integrationsmanager.domain.enums import GrantStatus, PaymentStatus
from integrationsmanager.domain.funding import Grant, Payment
from integrationsmanager.domain.network import Organisation

PAYMENT_AHEAD_DAYS = 14
"""Tranches due within this many days count as due."""

PROOF_AHEAD_DAYS = 30
"""Proofs of use due within this many days count as due soon."""

PROOF_WAITING = (GrantStatus.APPROVED, GrantStatus.PAYING, GrantStatus.PROOF_DUE)
"""States in which the recipient still owes the proof of use."""


class DeadlineKind(StrEnum):
    DECISION = "decision"
    PAYMENT = "payment"
    PROOF_SOON = "proof_soon"
    PROOF_OVERDUE = "proof_overdue"

    @property
    def label(self) -> str:
        return {
            "decision": "Entscheidung ausstehend",
            "payment": "Auszahlung fällig",
            "proof_soon": "Verwendungsnachweis bald fällig",
            "proof_overdue": "Verwendungsnachweis überfällig",
        }[self.value]


@dataclass(frozen=True)
class Deadline:
    kind: DeadlineKind
    grant_id: int
    file_number: str
    recipient: str
    project_title: str
    due_on: date
    days_overdue: int
    """Days past ``due_on`` (0 if not yet due)."""
    amount_cents: int | None = None
    """The tranche's amount for payments."""
    payment_id: int | None = None

    @property
    def kind_label(self) -> str:
        return self.kind.label


def deadlines(session: Session, *, today: date, pending_days: int = 30) -> list[Deadline]:
    """All deadlines, most overdue first (then by due date and file number)."""
    found: list[Deadline] = []
    base = select(Grant.id, Grant.file_number, Organisation.name, Grant.project_title).join(
        Organisation, Organisation.id == Grant.recipient_id
    )

    def overdue(due: date) -> int:
        return max(0, (today - due).days)

    pending_since = today - timedelta(days=pending_days)
    for r in session.execute(
        base.add_columns(Grant.received_on).where(
            Grant.status.in_((GrantStatus.RECEIVED, GrantStatus.IN_REVIEW)),
            Grant.received_on.is_not(None),
            Grant.received_on < pending_since,
        )
    ):
        due = r.received_on + timedelta(days=pending_days)
        found.append(
            Deadline(
                DeadlineKind.DECISION,
                r.id,
                r.file_number,
                r.name,
                r.project_title,
                due,
                overdue(due),
            )
        )
    for r in session.execute(
        base.add_columns(Payment.id.label("payment_id"), Payment.due_on, Payment.amount_cents)
        .join(Payment, Payment.grant_id == Grant.id)
        .where(
            Payment.status.in_((PaymentStatus.PLANNED, PaymentStatus.INSTRUCTED)),
            Payment.due_on.is_not(None),
            Payment.due_on <= today + timedelta(days=PAYMENT_AHEAD_DAYS),
        )
    ):
        found.append(
            Deadline(
                DeadlineKind.PAYMENT,
                r.id,
                r.file_number,
                r.name,
                r.project_title,
                r.due_on,
                overdue(r.due_on),
                r.amount_cents,
                r.payment_id,
            )
        )
    for r in session.execute(
        base.add_columns(Grant.proof_due_on).where(
            Grant.status.in_(PROOF_WAITING),
            Grant.proof_due_on.is_not(None),
            Grant.proof_received_on.is_(None),
            Grant.proof_due_on <= today + timedelta(days=PROOF_AHEAD_DAYS),
        )
    ):
        kind = DeadlineKind.PROOF_OVERDUE if r.proof_due_on < today else DeadlineKind.PROOF_SOON
        found.append(
            Deadline(
                kind,
                r.id,
                r.file_number,
                r.name,
                r.project_title,
                r.proof_due_on,
                overdue(r.proof_due_on),
            )
        )
    found.sort(key=lambda d: (-d.days_overdue, d.due_on, d.file_number, d.kind.value))
    return found
