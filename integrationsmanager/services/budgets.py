"""The annual budget view: per programme the budget, what is approved, paid and left.

Approved counts grants of the year in approved-or-later states (not rejected, withdrawn or
still open); paid counts paid tranches of those grants. All sums are integer cents, computed
in SQL with one grouped query each, so the view stays fast at tens of thousands of grants.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from integrationsmanager.domain.enums import PaymentStatus
from integrationsmanager.domain.funding import (
    FundingProgram,
    FundingSource,
    Grant,
    Payment,
    ProgramBudget,
)
from integrationsmanager.services.grants import COMMITTED


@dataclass(frozen=True)
class BudgetRow:
    """One programme's year; ``program_id`` None marks the totals row."""

    program_id: int | None
    program: str
    short_code: str
    year: int
    budget_cents: int
    approved_cents: int
    paid_cents: int
    repayment_cents: int
    grants: int
    """Number of grants counted in ``approved_cents``."""
    sources: list[tuple[str, int]] = field(default_factory=list)
    """(name, cents) of the budget's funding sources, e.g. Freistaat Thüringen."""

    @property
    def remaining_cents(self) -> int:
        return self.budget_cents - self.approved_cents

    @property
    def open_cents(self) -> int:
        """Approved but not yet paid."""
        return self.approved_cents - self.paid_cents


def budget_overview(session: Session, year: int) -> list[BudgetRow]:
    """Per programme (active ones, and any with a budget or grants in ``year``), by name."""
    budgets = {
        r.program_id: (r.id, r.amount_cents)
        for r in session.execute(
            select(ProgramBudget.id, ProgramBudget.program_id, ProgramBudget.amount_cents).where(
                ProgramBudget.year == year
            )
        )
    }
    sources: dict[int, list[tuple[str, int]]] = {}
    budget_ids = [budget_id for budget_id, _ in budgets.values()]
    for r in session.execute(
        select(FundingSource.budget_id, FundingSource.name, FundingSource.amount_cents)
        .where(FundingSource.budget_id.in_(budget_ids))
        .order_by(FundingSource.amount_cents.desc(), FundingSource.id)
    ):
        sources.setdefault(r.budget_id, []).append((r.name, r.amount_cents))
    approved = {
        r.program_id: (int(r.approved), int(r.repaid), r.grants)
        for r in session.execute(
            select(
                Grant.program_id,
                func.coalesce(func.sum(Grant.approved_cents), 0).label("approved"),
                func.coalesce(func.sum(Grant.repayment_cents), 0).label("repaid"),
                func.count(Grant.id).label("grants"),
            )
            .where(Grant.budget_year == year, Grant.status.in_(COMMITTED))
            .group_by(Grant.program_id)
        )
    }
    paid = {
        r.program_id: int(r.paid)
        for r in session.execute(
            select(Grant.program_id, func.sum(Payment.amount_cents).label("paid"))
            .join(Payment, Payment.grant_id == Grant.id)
            .where(
                Grant.budget_year == year,
                Grant.status.in_(COMMITTED),
                Payment.status == PaymentStatus.PAID,
            )
            .group_by(Grant.program_id)
        )
    }
    rows: list[BudgetRow] = []
    programs = session.execute(
        select(
            FundingProgram.id, FundingProgram.name, FundingProgram.short_code, FundingProgram.active
        ).order_by(FundingProgram.name, FundingProgram.id)
    )
    for p in programs:
        if not (p.active or p.id in budgets or p.id in approved):
            continue
        budget_id, budget_cents = budgets.get(p.id, (None, 0))
        approved_cents, repaid_cents, count = approved.get(p.id, (0, 0, 0))
        rows.append(
            BudgetRow(
                program_id=p.id,
                program=p.name,
                short_code=p.short_code,
                year=year,
                budget_cents=budget_cents,
                approved_cents=approved_cents,
                paid_cents=paid.get(p.id, 0),
                repayment_cents=repaid_cents,
                grants=count,
                sources=sources.get(budget_id, []) if budget_id is not None else [],
            )
        )
    return rows


def budget_total(rows: list[BudgetRow]) -> BudgetRow:
    """The totals row of :func:`budget_overview` (sources summed by name)."""
    sources: dict[str, int] = {}
    for row in rows:
        for name, cents in row.sources:
            sources[name] = sources.get(name, 0) + cents
    return BudgetRow(
        program_id=None,
        program="Summe",
        short_code="",
        year=rows[0].year if rows else 0,
        budget_cents=sum(r.budget_cents for r in rows),
        approved_cents=sum(r.approved_cents for r in rows),
        paid_cents=sum(r.paid_cents for r in rows),
        repayment_cents=sum(r.repayment_cents for r in rows),
        grants=sum(r.grants for r in rows),
        sources=sorted(sources.items(), key=lambda item: -item[1]),
    )
