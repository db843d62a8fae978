"""Deadlines: pending decisions, tranches due, proofs of use due soon and overdue."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from integrationsmanager.domain.enums import GrantStatus, PaymentStatus
from integrationsmanager.domain.funding import Grant
from integrationsmanager.services.deadlines import DeadlineKind, deadlines
from integrationsmanager.services.demo import create_demo_data
from integrationsmanager.services.grants import (
    GrantData,
    plan_payment,
    program_by_code,
    save_grant,
    set_payment_status,
    transition,
)
from integrationsmanager.services.organisations import new_organisation

TODAY = date(2026, 11, 1)


def _grant(session: Session, title: str, *, received: date, end: date = date(2026, 4, 30)) -> Grant:
    program = program_by_code(session, "MIK")
    assert program is not None
    recipient = new_organisation("Initiative „Willkommen in Lucka“")
    session.add(recipient)
    session.flush()
    grant = save_grant(
        session,
        GrantData(
            program_id=program.id,
            budget_year=2026,
            recipient_id=recipient.id,
            project_title=title,
            period_start=date(2026, 1, 1),
            period_end=end,
            total_cost_cents=150_000,
            requested_cents=150_000,
        ),
    ).grant
    transition(session, grant.id, GrantStatus.RECEIVED, on=received)
    return grant


def _approve(session: Session, grant: Grant) -> None:
    transition(session, grant.id, GrantStatus.IN_REVIEW)
    transition(session, grant.id, GrantStatus.APPROVED, amount_cents=150_000, on=date(2026, 1, 1))


def test_pending_decisions_after_n_days(session: Session) -> None:
    old = _grant(session, "Alt", received=date(2026, 9, 1))
    _grant(session, "Frisch", received=date(2026, 10, 15))
    reviewing = _grant(session, "In Prüfung", received=date(2026, 8, 1))
    transition(session, reviewing.id, GrantStatus.IN_REVIEW)
    found = deadlines(session, today=TODAY)
    assert [(d.kind, d.grant_id, d.due_on, d.days_overdue) for d in found] == [
        (DeadlineKind.DECISION, reviewing.id, date(2026, 8, 31), 62),
        (DeadlineKind.DECISION, old.id, date(2026, 10, 1), 31),
    ]
    assert found[0].kind_label == "Entscheidung ausstehend"
    assert found[0].recipient == "Initiative „Willkommen in Lucka“"
    assert found[0].file_number == "MIK-2026-003"
    assert len(deadlines(session, today=TODAY, pending_days=10)) == 3


def test_payments_due_within_two_weeks(session: Session) -> None:
    grant = _grant(session, "Tranchen", received=date(2025, 11, 1), end=date(2026, 12, 31))
    _approve(session, grant)
    due = plan_payment(session, grant.id, 50_000, date(2026, 11, 15))
    plan_payment(session, grant.id, 50_000, date(2026, 11, 16))
    late = plan_payment(session, grant.id, 25_000, date(2026, 10, 20))
    set_payment_status(session, late.id, PaymentStatus.INSTRUCTED)
    cancelled = plan_payment(session, grant.id, 25_000, date(2026, 10, 1))
    set_payment_status(session, cancelled.id, PaymentStatus.CANCELLED)
    found = [d for d in deadlines(session, today=TODAY) if d.kind == DeadlineKind.PAYMENT]
    assert [(d.payment_id, d.amount_cents, d.days_overdue) for d in found] == [
        (late.id, 25_000, 12),
        (due.id, 50_000, 0),
    ]
    assert found[1].kind_label == "Auszahlung fällig"


def test_proofs_due_soon_and_overdue(session: Session) -> None:
    overdue = _grant(session, "Überfällig", received=date(2025, 11, 1), end=date(2026, 7, 15))
    _approve(session, overdue)
    soon = _grant(session, "Bald", received=date(2025, 11, 1), end=date(2026, 8, 20))
    _approve(session, soon)
    later = _grant(session, "Später", received=date(2025, 11, 1), end=date(2026, 9, 30))
    _approve(session, later)
    done = _grant(session, "Eingereicht", received=date(2025, 11, 1), end=date(2026, 5, 31))
    _approve(session, done)
    transition(session, done.id, GrantStatus.PAYING, amount_cents=150_000, on=date(2026, 1, 5))
    transition(session, done.id, GrantStatus.PROOF_DUE)
    transition(session, done.id, GrantStatus.PROOF_RECEIVED, on=date(2026, 8, 1))
    found = deadlines(session, today=TODAY)
    assert [(d.kind, d.grant_id, d.due_on, d.days_overdue) for d in found] == [
        (DeadlineKind.PROOF_OVERDUE, overdue.id, date(2026, 10, 15), 17),
        (DeadlineKind.PROOF_SOON, soon.id, date(2026, 11, 20), 0),
    ]
    assert found[0].kind_label == "Verwendungsnachweis überfällig"


def test_demo_has_overdue_proofs_and_every_kind(session: Session) -> None:
    create_demo_data(session)
    found = deadlines(session, today=TODAY)
    kinds = {d.kind for d in found}
    assert {DeadlineKind.DECISION, DeadlineKind.PAYMENT, DeadlineKind.PROOF_OVERDUE} <= kinds
    overdue = [d for d in found if d.kind == DeadlineKind.PROOF_OVERDUE]
    assert len(overdue) >= 3
    assert all(d.days_overdue > 0 for d in overdue)
    assert found == sorted(found, key=lambda d: (-d.days_overdue, d.due_on, d.file_number))
