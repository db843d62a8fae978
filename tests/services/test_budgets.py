"""The budget view: sums per programme equal an independent sum, to the cent."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from integrationsmanager.domain.enums import GrantStatus, PaymentStatus
from integrationsmanager.domain.funding import Grant
from integrationsmanager.services.budgets import budget_overview, budget_total
from integrationsmanager.services.demo import create_demo_data
from integrationsmanager.services.grants import (
    COMMITTED,
    GrantData,
    plan_payment,
    program_by_code,
    save_grant,
    transition,
)
from integrationsmanager.services.organisations import new_organisation
from integrationsmanager.storage.database import Database


def _grant(session: Session, code: str, year: int, requested: int) -> Grant:
    program = program_by_code(session, code)
    assert program is not None
    recipient = new_organisation("Sprachmittlerpool Ostthüringen e.V.")
    session.add(recipient)
    session.flush()
    return save_grant(
        session,
        GrantData(
            program_id=program.id,
            budget_year=year,
            recipient_id=recipient.id,
            project_title="Projekt",
            period_end=date(year, 12, 31),
            total_cost_cents=requested * 2,
            requested_cents=requested,
        ),
    ).grant


def _approve(session: Session, grant: Grant, amount: int) -> None:
    transition(session, grant.id, GrantStatus.RECEIVED, on=date(2025, 10, 1))
    transition(session, grant.id, GrantStatus.IN_REVIEW)
    transition(
        session,
        grant.id,
        GrantStatus.APPROVED,
        amount_cents=amount,
        on=date(2025, 12, 1),
        confirm_over_budget=True,
    )


def test_seeded_budgets_without_grants(session: Session) -> None:
    rows = budget_overview(session, 2026)
    assert [(r.short_code, r.budget_cents, r.approved_cents, r.paid_cents) for r in rows] == [
        ("MIK", 1_800_000, 0, 0),
        ("SBR", 52_406_250, 0, 0),
        ("SSR", 9_000_000, 0, 0),
    ]
    sbr = rows[1]
    assert sbr.sources == [
        ("Freistaat Thüringen", 41_925_000),
        ("Landkreis Altenburger Land", 10_481_250),
    ]
    assert sbr.remaining_cents == 52_406_250
    total = budget_total(rows)
    assert (total.program, total.budget_cents, total.program_id) == ("Summe", 63_206_250, None)
    assert dict(total.sources)["Landkreis Altenburger Land"] == 10_481_250 + 1_800_000 + 9_000_000


def test_only_committed_grants_count_and_paid_only_paid_tranches(session: Session) -> None:
    approved = _grant(session, "SBR", 2026, 10_000_001)
    _approve(session, approved, 9_999_999)
    transition(
        session, approved.id, GrantStatus.PAYING, amount_cents=1_234_567, on=date(2026, 1, 1)
    )
    plan_payment(session, approved.id, 1_000_000, date(2026, 6, 1))
    rejected = _grant(session, "SBR", 2026, 5_000_000)
    transition(session, rejected.id, GrantStatus.RECEIVED, on=date(2025, 10, 1))
    transition(session, rejected.id, GrantStatus.IN_REVIEW)
    transition(session, rejected.id, GrantStatus.REJECTED, on=date(2025, 12, 1))
    _grant(session, "SBR", 2026, 7_000_000)
    other_year = _grant(session, "SBR", 2025, 3_000_000)
    _approve(session, other_year, 3_000_000)
    sbr = next(r for r in budget_overview(session, 2026) if r.short_code == "SBR")
    assert (sbr.approved_cents, sbr.paid_cents, sbr.grants) == (9_999_999, 1_234_567, 1)
    assert sbr.remaining_cents == 52_406_250 - 9_999_999
    assert sbr.open_cents == 9_999_999 - 1_234_567


def test_programme_without_budget_but_with_grants_shows(session: Session) -> None:
    grant = _grant(session, "MIK", 2031, 100_000)
    _approve(session, grant, 100_000)
    mik = next(r for r in budget_overview(session, 2031) if r.short_code == "MIK")
    assert (mik.budget_cents, mik.approved_cents, mik.remaining_cents) == (0, 100_000, -100_000)


def _independent(session: Session, year: int) -> tuple[int, int]:
    grants = session.scalars(select(Grant).where(Grant.budget_year == year)).all()
    approved = sum(g.approved_cents or 0 for g in grants if g.status in COMMITTED)
    paid = sum(
        p.amount_cents
        for g in grants
        if g.status in COMMITTED
        for p in g.payments
        if p.status == PaymentStatus.PAID
    )
    return approved, paid


def test_demo_totals_equal_an_independent_sum(session: Session) -> None:
    create_demo_data(session)
    for year in (2025, 2026, 2027):
        total = budget_total(budget_overview(session, year))
        assert (total.approved_cents, total.paid_cents) == _independent(session, year)
        assert total.remaining_cents == total.budget_cents - total.approved_cents


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["SBR", "SSR", "MIK"]),
            st.integers(min_value=1, max_value=150_000),
            st.booleans(),
            st.integers(min_value=0, max_value=150_000),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_totals_to_the_cent_for_random_amounts(
    db: Database, grants: list[tuple[str, int, bool, int]]
) -> None:
    session = db.sessions()
    try:
        for code, amount, approve, pay in grants:
            grant = _grant(session, code, 2027, amount)
            if approve:
                _approve(session, grant, amount)
                if 0 < pay <= amount:
                    transition(
                        session, grant.id, GrantStatus.PAYING, amount_cents=pay, on=date(2027, 2, 1)
                    )
        rows = budget_overview(session, 2027)
        total = budget_total(rows)
        assert (total.approved_cents, total.paid_cents) == _independent(session, 2027)
        assert total.approved_cents == sum(a for _, a, ok, _ in grants if ok)
        assert sum(r.remaining_cents for r in rows) == total.remaining_cents
    finally:
        session.rollback()
        session.close()
