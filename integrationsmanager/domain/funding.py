"""Funding programmes, their annual budgets and sources, grants, payments and proofs of use.

Money is integer cents throughout. Status changes and payments are rows that are only ever
added; the grant's ``status`` column is the latest of its history.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from integrationsmanager.domain.base import Base, Tracked, UTCDateTime, utcnow
from integrationsmanager.domain.common import Guideline, link_table
from integrationsmanager.domain.enums import FundingKind, GrantStatus, PaymentStatus
from integrationsmanager.domain.network import Organisation, Person

grant_guideline = link_table("grant_guideline", "grant", "guideline")


class FundingProgram(Tracked, Base):
    __tablename__ = "funding_program"

    name: Mapped[str] = mapped_column(String(300))
    short_code: Mapped[str] = mapped_column(String(20), default="")
    """Prefix of generated file numbers (Aktenzeichen)."""
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    funding_kind: Mapped[str] = mapped_column(String(20), default=FundingKind.FIXED)
    max_amount_cents: Mapped[int | None] = mapped_column(BigInteger)
    max_rate_bp: Mapped[int | None] = mapped_column(Integer)
    """Maximum funding rate in basis points (8000 = 80 %)."""
    proof_due_months: Mapped[int] = mapped_column(Integer, default=6)
    description: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    budgets: Mapped[list[ProgramBudget]] = relationship(
        back_populates="program", cascade="all, delete-orphan", order_by="ProgramBudget.year"
    )


class ProgramBudget(Tracked, Base):
    """A programme's budget for one calendar year."""

    __tablename__ = "program_budget"

    program_id: Mapped[int] = mapped_column(
        ForeignKey("funding_program.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int] = mapped_column(Integer)
    amount_cents: Mapped[int] = mapped_column(BigInteger, default=0)

    program: Mapped[FundingProgram] = relationship(back_populates="budgets")
    sources: Mapped[list[FundingSource]] = relationship(
        back_populates="budget", cascade="all, delete-orphan"
    )


class FundingSource(Tracked, Base):
    """Who pays a share of a budget (e.g. Land 80 %, Landkreis 20 %)."""

    __tablename__ = "funding_source"

    budget_id: Mapped[int] = mapped_column(
        ForeignKey("program_budget.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    amount_cents: Mapped[int] = mapped_column(BigInteger, default=0)

    budget: Mapped[ProgramBudget] = relationship(back_populates="sources")


class Grant(Tracked, Base):
    """A grant (Zuwendung / Förderfall) from application to proof of use."""

    __tablename__ = "grant"

    file_number: Mapped[str] = mapped_column(String(50), index=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("funding_program.id"), index=True)
    budget_year: Mapped[int] = mapped_column(Integer, index=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    contact_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL")
    )
    project_title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    measure_id: Mapped[int | None] = mapped_column(
        ForeignKey("measure.id", ondelete="SET NULL"), index=True
    )
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    total_cost_cents: Mapped[int | None] = mapped_column(BigInteger)
    own_contribution_cents: Mapped[int | None] = mapped_column(BigInteger)
    third_party_cents: Mapped[int | None] = mapped_column(BigInteger)
    requested_cents: Mapped[int | None] = mapped_column(BigInteger)
    approved_cents: Mapped[int | None] = mapped_column(BigInteger)
    received_on: Mapped[date | None] = mapped_column(Date)
    decided_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=GrantStatus.DRAFT, index=True)
    proof_due_on: Mapped[date | None] = mapped_column(Date, index=True)
    proof_received_on: Mapped[date | None] = mapped_column(Date)
    proof_checked_on: Mapped[date | None] = mapped_column(Date)
    accepted_cents: Mapped[int | None] = mapped_column(BigInteger)
    repayment_cents: Mapped[int | None] = mapped_column(BigInteger)
    repayment_on: Mapped[date | None] = mapped_column(Date)
    search_text: Mapped[str] = mapped_column(Text, default="")

    program: Mapped[FundingProgram] = relationship()
    recipient: Mapped[Organisation] = relationship()
    contact_person: Mapped[Person | None] = relationship()
    guidelines: Mapped[list[Guideline]] = relationship(secondary=grant_guideline)
    payments: Mapped[list[Payment]] = relationship(
        back_populates="grant", cascade="all, delete-orphan", order_by="Payment.id"
    )
    history: Mapped[list[GrantStatusChange]] = relationship(
        back_populates="grant", cascade="all, delete-orphan", order_by="GrantStatusChange.id"
    )


class GrantStatusChange(Tracked, Base):
    """One step of a grant's path; only ever added."""

    __tablename__ = "grant_status_change"

    grant_id: Mapped[int] = mapped_column(ForeignKey("grant.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    changed_by: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(Text, default="")

    grant: Mapped[Grant] = relationship(back_populates="history")


class Payment(Tracked, Base):
    """A tranche of a grant: planned → instructed → paid, or cancelled."""

    __tablename__ = "payment"

    grant_id: Mapped[int] = mapped_column(ForeignKey("grant.id", ondelete="CASCADE"), index=True)
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    due_on: Mapped[date | None] = mapped_column(Date)
    paid_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=PaymentStatus.PAID)
    note: Mapped[str] = mapped_column(Text, default="")

    grant: Mapped[Grant] = relationship(back_populates="payments")
