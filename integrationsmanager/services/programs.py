"""Funding programmes and their annual budgets with funding sources.

A budget is the sum of its sources to the cent, or a plain amount when it has none. Money is
integer cents; messages are German, keyed by field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from integrationsmanager.domain.enums import FundingKind
from integrationsmanager.domain.errors import UserError, ValidationError
from integrationsmanager.domain.funding import FundingProgram, FundingSource, ProgramBudget
from integrationsmanager.domain.text import clean_line, clean_text

SHORT_CODE = re.compile(r"^[A-Za-z0-9ÄÖÜäöüß]{2,10}$")
MAX_PROOF_MONTHS = 60
NAME_MAX = 300
"""The width of the name column."""
SOURCE_NAME_MAX = 200
"""The width of a funding source's name column."""


@dataclass
class ProgramData:
    name: str = ""
    short_code: str = ""
    legal_basis: str = ""
    funding_kind: FundingKind = FundingKind.FIXED
    max_amount_cents: int | None = None
    max_rate_bp: int | None = None
    proof_due_months: int = 6
    description: str = ""
    active: bool = True

    def errors(
        self, session: Session | None = None, program_id: int | None = None
    ) -> dict[str, str]:
        """German messages by field; with ``session`` also the unique short code."""
        errors: dict[str, str] = {}
        name = clean_line(self.name)
        if not name:
            errors["name"] = "Bitte einen Namen angeben."
        elif len(name) > NAME_MAX:
            errors["name"] = f"Der Name hat höchstens {NAME_MAX} Zeichen."
        code = self.short_code.strip()
        if not SHORT_CODE.match(code):
            errors["short_code"] = "Das Kürzel hat 2 bis 10 Buchstaben oder Ziffern."
        elif session is not None:
            query = select(FundingProgram.id).where(
                func.upper(FundingProgram.short_code) == code.upper()
            )
            if program_id is not None:
                query = query.where(FundingProgram.id != program_id)
            if session.execute(query).first() is not None:
                errors["short_code"] = f"Das Kürzel „{code}“ hat schon ein anderes Programm."
        if self.max_amount_cents is not None and self.max_amount_cents < 0:
            errors["max_amount"] = "Der Höchstbetrag darf nicht negativ sein."
        if self.max_rate_bp is not None and not 0 <= self.max_rate_bp <= 10_000:
            errors["max_rate"] = "Die Förderquote liegt zwischen 0 und 100 %."
        if not 0 <= self.proof_due_months <= MAX_PROOF_MONTHS:
            errors["proof_due_months"] = (
                f"Die Frist für den Verwendungsnachweis liegt zwischen 0 und {MAX_PROOF_MONTHS} "
                "Monaten."
            )
        return errors


def get_program(session: Session, program_id: int) -> FundingProgram:
    program = session.get(FundingProgram, program_id)
    if program is None:
        raise UserError("Das Förderprogramm gibt es nicht mehr.")
    return program


def list_programs(session: Session) -> list[tuple[int, str, str]]:
    """(id, name, short code) of every programme, by name."""
    rows = session.execute(
        select(FundingProgram.id, FundingProgram.name, FundingProgram.short_code).order_by(
            FundingProgram.name, FundingProgram.id
        )
    )
    return [(r.id, r.name, r.short_code) for r in rows]


def save_program(session: Session, data: ProgramData, program_id: int | None = None) -> int:
    """Create or update a programme; returns its id. Raises :class:`ValidationError`."""
    errors = data.errors(session, program_id)
    if errors:
        raise ValidationError(errors)
    program = FundingProgram() if program_id is None else get_program(session, program_id)
    program.name = clean_line(data.name)
    program.short_code = data.short_code.strip()
    program.legal_basis = clean_line(data.legal_basis)
    program.funding_kind = FundingKind(data.funding_kind)
    program.max_amount_cents = data.max_amount_cents
    program.max_rate_bp = data.max_rate_bp
    program.proof_due_months = data.proof_due_months
    program.description = clean_text(data.description)
    program.active = data.active
    if program_id is None:
        session.add(program)
    session.flush()
    return program.id


def program_data(program: FundingProgram) -> ProgramData:
    return ProgramData(
        name=program.name,
        short_code=program.short_code,
        legal_basis=program.legal_basis,
        funding_kind=FundingKind(program.funding_kind),
        max_amount_cents=program.max_amount_cents,
        max_rate_bp=program.max_rate_bp,
        proof_due_months=program.proof_due_months,
        description=program.description,
        active=program.active,
    )


@dataclass
class BudgetData:
    year: int
    amount_cents: int | None = None
    """The plain amount, used only when there are no sources."""
    sources: list[tuple[str, int]] = field(default_factory=list)

    @property
    def total_cents(self) -> int:
        if self.sources:
            return sum(cents for _name, cents in self.sources)
        return self.amount_cents or 0

    def errors(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        if not 2000 <= self.year <= 2100:
            errors["year"] = "Das Haushaltsjahr liegt zwischen 2000 und 2100."
        for number, (name, cents) in enumerate(self.sources, start=1):
            if not clean_line(name):
                errors.setdefault("sources", f"Quelle {number}: Bitte einen Namen angeben.")
            elif len(clean_line(name)) > SOURCE_NAME_MAX:
                errors.setdefault(
                    "sources", f"Quelle {number}: Der Name hat höchstens {SOURCE_NAME_MAX} Zeichen."
                )
            if cents < 0:
                errors.setdefault(
                    "sources", f"Quelle {number}: Der Betrag darf nicht negativ sein."
                )
        if not self.sources:
            if self.amount_cents is None:
                errors["amount"] = "Bitte einen Betrag oder mindestens eine Quelle angeben."
            elif self.amount_cents < 0:
                errors["amount"] = "Das Budget darf nicht negativ sein."
        return errors


def set_budget(
    session: Session,
    program_id: int,
    year: int,
    amount_cents: int | None,
    sources: list[tuple[str, int]] | None = None,
) -> int:
    """Create or update the programme's budget of ``year``; its sources are replaced.

    With sources the budget is their sum to the cent (``amount_cents`` must be None or equal).
    Returns the budget's id; raises :class:`ValidationError`.
    """
    data = BudgetData(year=year, amount_cents=amount_cents, sources=list(sources or []))
    errors = data.errors()
    if data.sources and amount_cents is not None and amount_cents != data.total_cents:
        errors["amount"] = "Das Budget muss die Summe seiner Quellen sein."
    if errors:
        raise ValidationError(errors)
    program = get_program(session, program_id)
    budget = session.execute(
        select(ProgramBudget).where(
            ProgramBudget.program_id == program.id, ProgramBudget.year == year
        )
    ).scalar_one_or_none()
    if budget is None:
        budget = ProgramBudget(program_id=program.id, year=year)
        session.add(budget)
    budget.amount_cents = data.total_cents
    budget.sources.clear()
    session.flush()
    for name, cents in data.sources:
        budget.sources.append(FundingSource(name=clean_line(name), amount_cents=cents))
    session.flush()
    return budget.id


def budgets_of(session: Session, program_id: int) -> list[tuple[int, int, list[tuple[str, int]]]]:
    """(year, amount in cents, [(source, cents)]) of the programme's budgets, by year."""
    budgets = session.execute(
        select(ProgramBudget)
        .where(ProgramBudget.program_id == program_id)
        .order_by(ProgramBudget.year)
    ).scalars()
    return [
        (
            b.year,
            b.amount_cents,
            [(s.name, s.amount_cents) for s in sorted(b.sources, key=lambda s: s.id)],
        )
        for b in budgets
    ]
