"""Aggregates for charts and reports: exact counts and sums, and the same rows as the lists."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from integrationsmanager.domain.common import Guideline
from integrationsmanager.domain.enums import GrantStatus, MeasureStatus, PaymentStatus
from integrationsmanager.domain.funding import Grant
from integrationsmanager.services.demo import create_demo_data
from integrationsmanager.services.grants import (
    COMMITTED,
    GrantData,
    GrantFilter,
    count_grants,
    plan_payment,
    program_by_code,
    save_grant,
    transition,
)
from integrationsmanager.services.measures import (
    MeasureData,
    MeasureFilter,
    count_measures,
    guideline_by_number,
    save_measure,
)
from integrationsmanager.services.organisations import new_organisation
from integrationsmanager.services.statistics import (
    NO_GUIDELINE,
    grants_per_year,
    measure_status_totals,
    measures_by_guideline_status,
    money_by_guideline,
    program_money,
)

P, R, C, S, X = (
    MeasureStatus.PLANNED,
    MeasureStatus.RUNNING,
    MeasureStatus.COMPLETED,
    MeasureStatus.SUSPENDED,
    MeasureStatus.CANCELLED,
)


def gid(session: Session, number: int) -> int:
    guideline = guideline_by_number(session, number)
    assert guideline is not None
    return guideline.id


def measure(
    session: Session, title: str, number: int, status: MeasureStatus, year: int = 2026
) -> None:
    save_measure(
        session,
        MeasureData(
            title=title,
            guideline_id=gid(session, number),
            status=status,
            start_date=date(year, 1, 1),
            end_date=date(year, 12, 31),
        ),
    )


def grant(
    session: Session,
    year: int,
    requested: int,
    *,
    code: str = "SBR",
    guidelines: tuple[int, ...] = (),
    approve: int | None = None,
    pay: int | None = None,
) -> Grant:
    program = program_by_code(session, code)
    assert program is not None
    recipient = new_organisation("Verein Дружба e.V.")
    session.add(recipient)
    session.flush()
    created = save_grant(
        session,
        GrantData(
            program_id=program.id,
            budget_year=year,
            recipient_id=recipient.id,
            project_title="Projekt",
            guideline_ids=[gid(session, n) for n in guidelines],
            period_end=date(year, 12, 31),
            total_cost_cents=requested * 2,
            requested_cents=requested,
        ),
    ).grant
    if approve is not None:
        transition(session, created.id, GrantStatus.RECEIVED, on=date(year - 1, 10, 1))
        transition(session, created.id, GrantStatus.IN_REVIEW)
        transition(
            session,
            created.id,
            GrantStatus.APPROVED,
            amount_cents=approve,
            on=date(year - 1, 12, 1),
            confirm_over_budget=True,
        )
    if pay is not None:
        transition(session, created.id, GrantStatus.PAYING, amount_cents=pay, on=date(year, 2, 1))
    return created


def test_every_guideline_with_zeros_and_exact_counts(session: Session) -> None:
    for title, number, status in [
        ("Sprachkurs", 1, R),
        ("Elterncafé", 1, R),
        ("Lernpaten", 1, P),
        ("Jobmesse", 2, C),
        ("Wohnungsbörse", 3, X),
        ("Kulturfest", 8, S),
    ]:
        measure(session, title, number, status)
    rows = measures_by_guideline_status(session)
    numbers = [g.number for g in session.scalars(select(Guideline).order_by(Guideline.number))]
    assert [r.number for r in rows] == numbers and len(rows) == 8
    by_number = {r.number: r for r in rows}
    assert by_number[1].counts == {P: 1, R: 2, C: 0, S: 0, X: 0}
    assert by_number[1].total == 3
    assert by_number[2].counts == {P: 0, R: 0, C: 1, S: 0, X: 0}
    assert by_number[3].counts[X] == 1 and by_number[8].counts[S] == 1
    assert by_number[5].counts == dict.fromkeys(MeasureStatus, 0)
    assert by_number[1].guideline_id == gid(session, 1)
    assert by_number[1].label == f"1 {by_number[1].title}"
    assert measure_status_totals(session) == {P: 1, R: 2, C: 1, S: 1, X: 1}


def test_measure_counts_follow_the_tables_filter(session: Session) -> None:
    measure(session, "Sprachkurs für Mütter", 1, R)
    measure(session, "Sprachcafé", 2, R)
    measure(session, "Sprachkurs alt", 1, C, year=2020)
    measure(session, "Jobmesse", 2, P)
    flt = MeasureFilter(search="sprach", year=2026)
    rows = measures_by_guideline_status(session, flt)
    assert {r.number: r.counts[R] for r in rows if r.total} == {1: 1, 2: 1}
    assert sum(r.total for r in rows) == count_measures(session, flt) == 2
    only_running = MeasureFilter(status=R)
    assert sum(r.total for r in measures_by_guideline_status(session, only_running)) == 2
    assert measure_status_totals(session, MeasureFilter(guideline_id=gid(session, 1))) == {
        P: 0,
        R: 1,
        C: 1,
        S: 0,
        X: 0,
    }


def test_retired_guideline_only_while_it_has_measures(session: Session) -> None:
    retired = session.get(Guideline, gid(session, 8))
    assert retired is not None
    retired.retired = True
    session.flush()
    assert 8 not in [r.number for r in measures_by_guideline_status(session)]
    measure(session, "Kulturfest", 8, R)
    assert 8 in [r.number for r in measures_by_guideline_status(session)]
    assert 8 not in [
        r.number for r in measures_by_guideline_status(session, MeasureFilter(status=P))
    ]


def test_grants_per_year_exact_sums_with_gaps_filled(session: Session) -> None:
    grant(session, 2025, 1_000_00, approve=900_00, pay=400_00)
    grant(session, 2025, 500_00)  # only applied for: counts, requested, nothing approved
    grant(session, 2027, 2_000_00, approve=2_000_00)
    paid_later = grant(session, 2027, 300_00, code="MIK", approve=250_00, pay=100_00)
    plan_payment(session, paid_later.id, 50_00, date(2027, 6, 1))  # planned: not paid
    rejected = grant(session, 2027, 700_00)
    transition(session, rejected.id, GrantStatus.RECEIVED, on=date(2026, 10, 1))
    transition(session, rejected.id, GrantStatus.IN_REVIEW)
    transition(session, rejected.id, GrantStatus.REJECTED, on=date(2026, 12, 1))
    rows = grants_per_year(session)
    assert [(r.year, r.count, r.requested_cents, r.approved_cents, r.paid_cents) for r in rows] == [
        (2025, 2, 1_500_00, 900_00, 400_00),
        (2026, 0, 0, 0, 0),
        (2027, 3, 3_000_00, 2_250_00, 100_00),
    ]
    mik = program_by_code(session, "MIK")
    assert mik is not None
    only_mik = grants_per_year(session, GrantFilter(program_id=mik.id))
    assert [(r.year, r.count, r.approved_cents, r.paid_cents) for r in only_mik] == [
        (2027, 1, 250_00, 100_00)
    ]
    assert grants_per_year(session, GrantFilter(search="nichts dergleichen")) == []


def test_grants_per_year_counts_what_the_list_counts(session: Session) -> None:
    create_demo_data(session)
    for flt in (
        GrantFilter(),
        GrantFilter(status=GrantStatus.PAYING),
        GrantFilter(guideline_id=gid(session, 3)),
        GrantFilter(search="sprach"),
    ):
        assert sum(r.count for r in grants_per_year(session, flt)) == count_grants(session, flt)
    for row in grants_per_year(session):
        grants = session.scalars(select(Grant).where(Grant.budget_year == row.year)).all()
        committed = [g for g in grants if g.status in COMMITTED]
        assert row.approved_cents == sum(g.approved_cents or 0 for g in committed)
        assert row.paid_cents == sum(
            p.amount_cents for g in committed for p in g.payments if p.status == PaymentStatus.PAID
        )


def test_program_money_is_the_budget_view(session: Session) -> None:
    grant(session, 2026, 10_000_00, approve=8_000_00, pay=3_000_00)
    grant(session, 2026, 1_000_00, code="MIK", approve=1_000_00)
    rows = program_money(session, 2026)
    assert [
        (r.short_name, r.budget_cents, r.approved_cents, r.paid_cents, r.name) for r in rows
    ] == [
        ("MIK", 1_800_000, 1_000_00, 0, "Mikroförderung für Vereine"),
        ("SBR", 52_406_250, 8_000_00, 3_000_00, "Sozialberatungsrichtlinie"),
        ("SSR", 9_000_000, 0, 0, "Sozialstrategierichtlinie"),
    ]


def test_money_by_guideline_counts_each_link_and_the_unlinked(session: Session) -> None:
    grant(session, 2026, 1_000_00, guidelines=(1, 3), approve=800_00, pay=500_00)
    grant(session, 2026, 200_00, guidelines=(3,), approve=200_00)
    grant(session, 2026, 300_00, guidelines=(1,))  # still open: requested only
    grant(session, 2026, 50_00, approve=50_00, pay=50_00)  # no guideline
    grant(session, 2025, 9_999_00, guidelines=(1,), approve=9_999_00)  # other year
    rows = money_by_guideline(session, 2026)
    assert len(rows) == 9
    by_number = {r.number: r for r in rows}
    assert (
        by_number[1].grants,
        by_number[1].requested_cents,
        by_number[1].approved_cents,
        by_number[1].paid_cents,
    ) == (2, 1_300_00, 800_00, 500_00)
    assert (by_number[3].grants, by_number[3].approved_cents, by_number[3].paid_cents) == (
        2,
        1_000_00,
        500_00,
    )
    assert (by_number[2].grants, by_number[2].approved_cents) == (0, 0)
    unlinked = rows[-1]
    assert (unlinked.guideline_id, unlinked.label) == (None, NO_GUIDELINE)
    assert (unlinked.grants, unlinked.approved_cents, unlinked.paid_cents) == (1, 50_00, 50_00)


def test_money_by_guideline_without_unlinked_grants_has_no_extra_row(session: Session) -> None:
    grant(session, 2026, 100_00, guidelines=(2,), approve=100_00)
    rows = money_by_guideline(session, 2026)
    assert [r.number for r in rows] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert rows[1].approved_cents == 100_00
