"""Aggregates for charts, the overview and the reports: one grouped SQL query per figure.

The functions take the same filter objects as the lists they sit beside
(:class:`~integrationsmanager.services.measures.MeasureFilter`,
:class:`~integrationsmanager.services.grants.GrantFilter`) and narrow with the very same query
builder, so a chart always counts exactly the rows its table shows. Money follows
:mod:`~integrationsmanager.services.budgets`: "approved" sums grants in an approved-or-later
state (:data:`~integrationsmanager.services.grants.COMMITTED`), "paid" their paid tranches.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from integrationsmanager.domain.common import Guideline
from integrationsmanager.domain.enums import MeasureStatus, PaymentStatus
from integrationsmanager.domain.funding import Grant, Payment, grant_guideline
from integrationsmanager.domain.measures import Measure
from integrationsmanager.services import grants as grant_queries
from integrationsmanager.services import measures as measure_queries
from integrationsmanager.services.budgets import budget_overview
from integrationsmanager.services.grants import COMMITTED, GrantFilter
from integrationsmanager.services.measures import MeasureFilter

# --- measures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class GuidelineStatusCounts:
    """How many measures of one guideline are in each status (every status present)."""

    guideline_id: int
    number: int
    title: str
    counts: dict[MeasureStatus, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def label(self) -> str:
        """ "3 Sprache und Bildung", as lists and charts name a guideline."""
        return f"{self.number} {self.title}"


def measures_by_guideline_status(
    session: Session, measure_filter: MeasureFilter | None = None
) -> list[GuidelineStatusCounts]:
    """Per guideline (by number) the measures matching ``measure_filter`` in each status.

    Every current guideline is listed, with zeros where nothing matches; a retired one only
    while it still has matching measures.
    """
    statement = measure_queries.apply_filter(
        select(Measure.guideline_id, Measure.status, func.count(Measure.id)),
        measure_filter or MeasureFilter(),
    ).group_by(Measure.guideline_id, Measure.status)
    found: dict[int, dict[MeasureStatus, int]] = {}
    for guideline_id, status, number in session.execute(statement):
        found.setdefault(guideline_id, dict.fromkeys(MeasureStatus, 0))[MeasureStatus(status)] = (
            number
        )
    rows = session.execute(
        select(Guideline.id, Guideline.number, Guideline.title, Guideline.retired).order_by(
            Guideline.number, Guideline.id
        )
    )
    return [
        GuidelineStatusCounts(
            guideline_id=r.id,
            number=r.number,
            title=r.title,
            counts=found.get(r.id, dict.fromkeys(MeasureStatus, 0)),
        )
        for r in rows
        if not r.retired or r.id in found
    ]


def measure_status_totals(
    session: Session, measure_filter: MeasureFilter | None = None
) -> dict[MeasureStatus, int]:
    """The measures matching ``measure_filter`` per status, every status present."""
    statement = measure_queries.apply_filter(
        select(Measure.status, func.count(Measure.id)), measure_filter or MeasureFilter()
    ).group_by(Measure.status)
    totals = dict.fromkeys(MeasureStatus, 0)
    for status, number in session.execute(statement):
        totals[MeasureStatus(status)] = number
    return totals


# --- grants ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearGrants:
    """The grants of one budget year: how many, and the money requested, approved, paid."""

    year: int
    count: int
    requested_cents: int
    approved_cents: int
    paid_cents: int


def grants_per_year(session: Session, grant_filter: GrantFilter | None = None) -> list[YearGrants]:
    """Per budget year (ascending, gaps filled with zeros) the grants matching the filter.

    ``count`` and ``requested_cents`` take every matching grant; ``approved_cents`` and
    ``paid_cents`` only approved-or-later ones, as the budget view does.
    """
    flt = grant_filter or GrantFilter()
    committed = Grant.status.in_(COMMITTED)
    sums = grant_queries.apply_filter(
        select(
            Grant.budget_year,
            func.count(Grant.id),
            func.coalesce(func.sum(Grant.requested_cents), 0),
            func.coalesce(func.sum(case((committed, Grant.approved_cents), else_=0)), 0),
        ),
        flt,
    ).group_by(Grant.budget_year)
    paid_statement = (
        grant_queries.apply_filter(
            select(Grant.budget_year, func.sum(Payment.amount_cents)).select_from(Grant), flt
        )
        .join(Payment, Payment.grant_id == Grant.id)
        .where(committed, Payment.status == PaymentStatus.PAID)
        .group_by(Grant.budget_year)
    )
    paid = {year: int(cents) for year, cents in session.execute(paid_statement)}
    by_year = {
        year: YearGrants(year, count, int(requested), int(approved), paid.get(year, 0))
        for year, count, requested, approved in session.execute(sums)
    }
    if not by_year:
        return []
    return [
        by_year.get(year, YearGrants(year, 0, 0, 0, 0))
        for year in range(min(by_year), max(by_year) + 1)
    ]


@dataclass(frozen=True)
class ProgramMoney:
    """One programme's year: its budget and what of it is approved and paid."""

    program_id: int
    short_name: str
    """The short code (SBR), or the name where the programme has none."""
    budget_cents: int
    approved_cents: int
    paid_cents: int
    name: str = ""


def program_money(session: Session, year: int) -> list[ProgramMoney]:
    """Per programme (as :func:`~integrationsmanager.services.budgets.budget_overview` lists
    them) the budget, approved and paid sums of ``year``."""
    return [
        ProgramMoney(
            program_id=row.program_id,
            short_name=row.short_code.strip() or row.program,
            budget_cents=row.budget_cents,
            approved_cents=row.approved_cents,
            paid_cents=row.paid_cents,
            name=row.program,
        )
        for row in budget_overview(session, year)
        if row.program_id is not None
    ]


@dataclass(frozen=True)
class GuidelineMoney:
    """The grants of a year linked to one guideline; ``guideline_id`` None: linked to none."""

    guideline_id: int | None
    number: int | None
    title: str
    grants: int
    requested_cents: int
    approved_cents: int
    paid_cents: int

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}" if self.number is not None else self.title


NO_GUIDELINE = "ohne Leitlinie"


def money_by_guideline(session: Session, year: int) -> list[GuidelineMoney]:
    """Per guideline (by number) the grants of budget year ``year`` linked to it.

    A grant is linked through its own guideline list (as the grant summary PDF counts it); one
    linked to several guidelines counts under each with its full amount, so the rows may add up
    to more than the year's total. Every current guideline is listed; a last row
    :data:`NO_GUIDELINE` collects grants linked to none, if there are any.
    """
    committed = Grant.status.in_(COMMITTED)
    link = grant_guideline.c.guideline_id
    linked = (
        select(
            link,
            func.count(Grant.id),
            func.coalesce(func.sum(Grant.requested_cents), 0),
            func.coalesce(func.sum(case((committed, Grant.approved_cents), else_=0)), 0),
        )
        .select_from(Grant)
        .outerjoin(grant_guideline, grant_guideline.c.grant_id == Grant.id)
        .where(Grant.budget_year == year)
        .group_by(link)
    )
    paid_statement = (
        select(link, func.sum(Payment.amount_cents))
        .select_from(Grant)
        .join(Payment, Payment.grant_id == Grant.id)
        .outerjoin(grant_guideline, grant_guideline.c.grant_id == Grant.id)
        .where(Grant.budget_year == year, committed, Payment.status == PaymentStatus.PAID)
        .group_by(link)
    )
    paid: dict[int | None, int] = {
        key: int(cents) for key, cents in session.execute(paid_statement)
    }
    sums: dict[int | None, tuple[int, int, int]] = {
        key: (count, int(requested), int(approved))
        for key, count, requested, approved in session.execute(linked)
    }
    result: list[GuidelineMoney] = []
    guidelines = session.execute(
        select(Guideline.id, Guideline.number, Guideline.title, Guideline.retired).order_by(
            Guideline.number, Guideline.id
        )
    )
    for g in guidelines:
        if g.retired and g.id not in sums:
            continue
        count, requested, approved = sums.get(g.id, (0, 0, 0))
        result.append(
            GuidelineMoney(g.id, g.number, g.title, count, requested, approved, paid.get(g.id, 0))
        )
    if None in sums:
        count, requested, approved = sums[None]
        result.append(
            GuidelineMoney(None, None, NO_GUIDELINE, count, requested, approved, paid.get(None, 0))
        )
    return result
