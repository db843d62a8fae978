"""Use cases of grants (Zuwendungen): save, file numbers, the status path, payments, lists.

A grant walks Entwurf → eingegangen → in Prüfung → bewilligt | abgelehnt | zurückgezogen;
after approval Auszahlung → Verwendungsnachweis fällig → eingegangen → geprüft →
abgeschlossen, or Rückforderung. Only :func:`allowed_transitions` are offered; each
:func:`transition` checks the data it needs and appends a :class:`GrantStatusChange` (who,
when, note). Payments are tranches (planned → instructed → paid, or cancelled); a tranche's
amount never changes, a correction is a new tranche. Money is integer cents throughout.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVarTuple

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session, selectinload

from integrationsmanager.domain.common import Guideline
from integrationsmanager.domain.enums import GrantStatus, PaymentStatus
from integrationsmanager.domain.errors import UserError, ValidationError
from integrationsmanager.domain.funding import (
    FundingProgram,
    Grant,
    GrantStatusChange,
    Payment,
    ProgramBudget,
    grant_guideline,
)
from integrationsmanager.domain.measures import Measure
from integrationsmanager.domain.money import format_money
from integrationsmanager.domain.network import Organisation, Person
from integrationsmanager.domain.text import clean_line, clean_text, fold, like_pattern, search_blob
from integrationsmanager.services.measures import ID_CHUNK
from integrationsmanager.storage.tracking import session_user

TITLE_MAX = 500

COMMITTED = (
    GrantStatus.APPROVED,
    GrantStatus.PAYING,
    GrantStatus.PROOF_DUE,
    GrantStatus.PROOF_RECEIVED,
    GrantStatus.PROOF_CHECKED,
    GrantStatus.CLOSED,
    GrantStatus.REPAYMENT,
)
"""States in which a grant's approved amount counts against the programme's budget."""

OPEN_PAYMENTS = (PaymentStatus.PLANNED, PaymentStatus.INSTRUCTED, PaymentStatus.PAID)
"""Tranche states that count against the approved amount (all but cancelled)."""

_AFTER_PAYMENT = (
    GrantStatus.PAYING,
    GrantStatus.PROOF_DUE,
    GrantStatus.PROOF_RECEIVED,
    GrantStatus.PROOF_CHECKED,
)

TRANSITIONS: dict[GrantStatus, tuple[GrantStatus, ...]] = {
    GrantStatus.DRAFT: (GrantStatus.RECEIVED, GrantStatus.WITHDRAWN),
    GrantStatus.RECEIVED: (GrantStatus.IN_REVIEW, GrantStatus.WITHDRAWN),
    GrantStatus.IN_REVIEW: (GrantStatus.APPROVED, GrantStatus.REJECTED, GrantStatus.WITHDRAWN),
    GrantStatus.APPROVED: (GrantStatus.PAYING,),
    GrantStatus.PAYING: (GrantStatus.PAYING, GrantStatus.PROOF_DUE, GrantStatus.REPAYMENT),
    GrantStatus.PROOF_DUE: (GrantStatus.PROOF_RECEIVED, GrantStatus.REPAYMENT),
    GrantStatus.PROOF_RECEIVED: (GrantStatus.PROOF_CHECKED, GrantStatus.REPAYMENT),
    GrantStatus.PROOF_CHECKED: (GrantStatus.CLOSED, GrantStatus.REPAYMENT),
    GrantStatus.REPAYMENT: (GrantStatus.CLOSED,),
    GrantStatus.REJECTED: (),
    GrantStatus.WITHDRAWN: (),
    GrantStatus.CLOSED: (),
}
"""The status path; PAYING → PAYING records a further payment."""


class BudgetExceeded(UserError):
    """An approval would take the year's approvals of a programme above its budget.

    The GUI shows the message and, if the user confirms, repeats the transition with
    ``confirm_over_budget=True``.
    """

    def __init__(
        self, *, program: str, year: int, budget_cents: int, committed_cents: int, amount_cents: int
    ) -> None:
        self.program = program
        self.year = year
        self.budget_cents = budget_cents
        self.committed_cents = committed_cents
        self.amount_cents = amount_cents
        self.over_cents = committed_cents + amount_cents - budget_cents
        super().__init__(
            f"Mit dieser Bewilligung ({format_money(amount_cents)}) übersteigen die Bewilligungen "
            f"von „{program}“ für {year} das Budget von {format_money(budget_cents)} um "
            f"{format_money(self.over_cents)} (bereits bewilligt: {format_money(committed_cents)})."
            " Trotzdem bewilligen?"
        )


# --- editing -------------------------------------------------------------------------------


@dataclass
class GrantData:
    """The editable fields of a grant (status, decision and money flow go by transitions)."""

    program_id: int | None
    budget_year: int | None
    recipient_id: int | None
    project_title: str
    contact_person_id: int | None = None
    description: str = ""
    guideline_ids: list[int] = field(default_factory=list)
    measure_id: int | None = None
    period_start: date | None = None
    period_end: date | None = None
    total_cost_cents: int | None = None
    own_contribution_cents: int | None = None
    third_party_cents: int | None = None
    requested_cents: int | None = None
    received_on: date | None = None
    file_number: str = ""
    """Empty: generated on save (``SBR-2026-007``)."""

    def errors(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        if self.program_id is None:
            errors["program"] = "Bitte ein Förderprogramm wählen."
        if self.budget_year is None:
            errors["budget_year"] = "Bitte das Haushaltsjahr angeben."
        elif not 2000 <= self.budget_year <= 2100:
            errors["budget_year"] = "Das Haushaltsjahr muss zwischen 2000 und 2100 liegen."
        if self.recipient_id is None:
            errors["recipient"] = "Bitte den Zuwendungsempfänger wählen."
        title = clean_line(self.project_title)
        if not title:
            errors["project_title"] = "Bitte einen Projekttitel eingeben."
        elif len(title) > TITLE_MAX:
            errors["project_title"] = (
                f"Der Projekttitel ist zu lang (höchstens {TITLE_MAX} Zeichen)."
            )
        if len(clean_line(self.file_number)) > 50:
            errors["file_number"] = "Das Aktenzeichen ist zu lang (höchstens 50 Zeichen)."
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = "Das Ende des Bewilligungszeitraums liegt vor dem Beginn."
        amounts = {
            "total_cost": (self.total_cost_cents, "Die Gesamtkosten dürfen"),
            "own_contribution": (self.own_contribution_cents, "Der Eigenanteil darf"),
            "third_party": (self.third_party_cents, "Die Drittmittel dürfen"),
            "requested": (self.requested_cents, "Der beantragte Betrag darf"),
        }
        for key, (cents, subject) in amounts.items():
            if cents is not None and cents < 0:
                errors[key] = f"{subject} nicht negativ sein."
        if errors.keys() & amounts.keys() or self.total_cost_cents is None:
            return errors
        if self.requested_cents is not None and self.requested_cents > self.total_cost_cents:
            errors["requested"] = "Der beantragte Betrag übersteigt die Gesamtkosten."
        elif (self.own_contribution_cents or 0) + (self.third_party_cents or 0) + (
            self.requested_cents or 0
        ) > self.total_cost_cents:
            errors["total_cost"] = (
                "Eigenanteil, Drittmittel und beantragter Betrag zusammen übersteigen die "
                "Gesamtkosten."
            )
        return errors

    @classmethod
    def from_grant(cls, grant: Grant) -> GrantData:
        return cls(
            program_id=grant.program_id,
            budget_year=grant.budget_year,
            recipient_id=grant.recipient_id,
            project_title=grant.project_title,
            contact_person_id=grant.contact_person_id,
            description=grant.description,
            guideline_ids=[g.id for g in grant.guidelines],
            measure_id=grant.measure_id,
            period_start=grant.period_start,
            period_end=grant.period_end,
            total_cost_cents=grant.total_cost_cents,
            own_contribution_cents=grant.own_contribution_cents,
            third_party_cents=grant.third_party_cents,
            requested_cents=grant.requested_cents,
            received_on=grant.received_on,
            file_number=grant.file_number,
        )


@dataclass
class GrantSaveResult:
    grant: Grant
    duplicate_file_numbers: list[int]
    """Ids of other grants with the same file number (a warning, not an error)."""


def next_file_number(session: Session, program_id: int, year: int) -> str:
    """The next free file number of a programme and year, e.g. ``SBR-2026-007``."""
    program = session.get(FundingProgram, program_id)
    if program is None:
        raise UserError(f"Förderprogramm {program_id} gibt es nicht (mehr).")
    prefix = f"{program.short_code or 'ZW'}-{year}-"
    pattern = re.compile(re.escape(prefix) + r"(\d+)$")
    used = session.scalars(
        select(Grant.file_number).where(
            Grant.file_number.like(
                prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%",
                escape="\\",
            )
        )
    )
    highest = max((int(m.group(1)) for n in used if (m := pattern.match(n))), default=0)
    return f"{prefix}{highest + 1:03d}"


def duplicate_file_numbers(
    session: Session, file_number: str, *, exclude_id: int | None = None
) -> list[int]:
    """Ids of grants carrying ``file_number`` (compared folded), except ``exclude_id``."""
    folded = fold(file_number)
    if not folded:
        return []
    statement = select(Grant.id, Grant.file_number).where(
        func.lower(Grant.file_number) == file_number.strip().lower()
    )
    if exclude_id is not None:
        statement = statement.where(Grant.id != exclude_id)
    return [r.id for r in session.execute(statement) if fold(r.file_number) == folded]


def save_grant(session: Session, data: GrantData, grant_id: int | None = None) -> GrantSaveResult:
    """Create (``grant_id`` None, status Entwurf) or update a grant; raises ValidationError."""
    errors = data.errors()
    checks: list[tuple[str, type[Any], int | None, str]] = [
        ("program", FundingProgram, data.program_id, "Förderprogramm"),
        ("recipient", Organisation, data.recipient_id, "Organisation"),
        ("contact_person", Person, data.contact_person_id, "Person"),
        ("measure", Measure, data.measure_id, "Maßnahme"),
    ]
    for key, model, ident, label in checks:
        if key not in errors and ident is not None and session.get(model, ident) is None:
            errors[key] = f"{label} {ident} gibt es nicht."
    wanted = list(dict.fromkeys(data.guideline_ids))
    guidelines = [session.get(Guideline, i) for i in wanted]
    missing = [str(i) for i, g in zip(wanted, guidelines, strict=True) if g is None]
    if missing:
        errors["guidelines"] = f"Leitlinie {', '.join(missing)} gibt es nicht."
    grant: Grant | None = None
    if grant_id is not None:
        grant = get_grant(session, grant_id)
        if grant is None:
            raise UserError(f"Zuwendung {grant_id} gibt es nicht (mehr).")
        if grant.status in COMMITTED and (
            grant.program_id != data.program_id or grant.budget_year != data.budget_year
        ):
            errors["program"] = (
                "Förderprogramm und Haushaltsjahr lassen sich nach der Bewilligung nicht mehr "
                "ändern."
            )
        if (
            grant.approved_cents is not None
            and data.requested_cents is not None
            and data.requested_cents < grant.approved_cents
            and "requested" not in errors
        ):
            errors["requested"] = (
                "Der beantragte Betrag darf nicht unter dem bewilligten Betrag "
                f"({format_money(grant.approved_cents)}) liegen."
            )
    if errors:
        raise ValidationError(errors)
    assert data.program_id is not None and data.budget_year is not None
    assert data.recipient_id is not None
    is_new = grant is None
    if grant is None:
        grant = Grant(status=GrantStatus.DRAFT)
    file_number = clean_line(data.file_number) or (
        grant.file_number
        if grant.file_number
        and grant.program_id == data.program_id
        and grant.budget_year == data.budget_year
        else next_file_number(session, data.program_id, data.budget_year)
    )
    grant.file_number = file_number
    grant.program_id = data.program_id
    grant.budget_year = data.budget_year
    grant.recipient_id = data.recipient_id
    grant.contact_person_id = data.contact_person_id
    grant.project_title = clean_line(data.project_title)
    grant.description = clean_text(data.description)
    grant.guidelines = [g for g in guidelines if g is not None]
    grant.measure_id = data.measure_id
    grant.period_start = data.period_start
    grant.period_end = data.period_end
    grant.total_cost_cents = data.total_cost_cents
    grant.own_contribution_cents = data.own_contribution_cents
    grant.third_party_cents = data.third_party_cents
    grant.requested_cents = data.requested_cents
    grant.received_on = data.received_on
    recipient = session.get(Organisation, data.recipient_id)
    assert recipient is not None
    grant.search_text = grant_search_text(grant.file_number, grant.project_title, recipient.name)
    session.add(grant)
    session.flush()
    if is_new:
        _record(session, grant, None, GrantStatus.DRAFT, "Angelegt")
        session.flush()
    duplicates = duplicate_file_numbers(session, grant.file_number, exclude_id=grant.id)
    return GrantSaveResult(grant, duplicates)


def grant_search_text(file_number: str, project_title: str, recipient_name: str) -> str:
    """The folded text the grant search runs over."""
    return search_blob(file_number, project_title, recipient_name)


def refresh_grant_search(session: Session, organisation_id: int) -> None:
    """Recompute the search text of a recipient's grants (after the organisation's rename)."""
    recipient = session.get(Organisation, organisation_id)
    if recipient is None:
        return
    for grant in session.scalars(select(Grant).where(Grant.recipient_id == organisation_id)):
        grant.search_text = grant_search_text(
            grant.file_number, grant.project_title, recipient.name
        )
    session.flush()


def get_grant(session: Session, grant_id: int) -> Grant | None:
    """The grant with programme, recipient, guidelines, payments and history loaded."""
    return session.scalars(
        select(Grant)
        .where(Grant.id == grant_id)
        .options(
            selectinload(Grant.program),
            selectinload(Grant.recipient),
            selectinload(Grant.guidelines),
            selectinload(Grant.payments),
            selectinload(Grant.history),
        )
    ).first()


def delete_grant(session: Session, grant_id: int) -> None:
    """Delete a draft; a grant that was received is withdrawn instead (its path stays)."""
    grant = _get_or_fail(session, grant_id)
    if grant.status != GrantStatus.DRAFT:
        raise UserError(
            f"„{grant.file_number}“ ist {GrantStatus(grant.status).label} und kann nicht "
            "gelöscht werden; nur Entwürfe lassen sich löschen. Bitte stattdessen "
            "„zurückgezogen“ oder „abgelehnt“ setzen."
        )
    session.delete(grant)
    session.flush()


def _get_or_fail(session: Session, grant_id: int) -> Grant:
    grant = get_grant(session, grant_id)
    if grant is None:
        raise UserError(f"Zuwendung {grant_id} gibt es nicht (mehr).")
    return grant


# --- the status path -------------------------------------------------------------------------


def committed_payments_cents(grant: Grant) -> int:
    """Planned, instructed and paid tranches together (all but cancelled)."""
    return sum(p.amount_cents for p in grant.payments if p.status in OPEN_PAYMENTS)


def paid_cents(grant: Grant) -> int:
    return sum(p.amount_cents for p in grant.payments if p.status == PaymentStatus.PAID)


def allowed_transitions(grant: Grant) -> list[GrantStatus]:
    """The states the grant may go to next (the UI offers only these)."""
    status = GrantStatus(grant.status)
    allowed = list(TRANSITIONS[status])
    open_cents = (grant.approved_cents or 0) - committed_payments_cents(grant)
    if GrantStatus.PAYING in allowed and open_cents <= 0:
        allowed.remove(GrantStatus.PAYING)
    if GrantStatus.REPAYMENT in allowed and paid_cents(grant) <= 0:
        allowed.remove(GrantStatus.REPAYMENT)
    return allowed


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, clamped to the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def transition(
    session: Session,
    grant_id: int,
    to: GrantStatus,
    *,
    note: str = "",
    amount_cents: int | None = None,
    on: date | None = None,
    confirm_over_budget: bool = False,
) -> Grant:
    """Move a grant to ``to``, with the data that step needs, and record it in the history.

    ``amount_cents``/``on``: approval — approved amount and decision date; rejection — date;
    payment (Auszahlung) — amount and date of a paid tranche; proof received — date; proof
    checked — accepted amount (and date, default today); repayment — amount and date.
    Raises :class:`ValidationError` (German messages by field) or :class:`BudgetExceeded`.
    """
    grant = _get_or_fail(session, grant_id)
    current = GrantStatus(grant.status)
    if to not in allowed_transitions(grant):
        raise UserError(
            f"Von „{current.label}“ geht es nicht nach „{to.label}“. Möglich: "
            + (", ".join(f"„{s.label}“" for s in allowed_transitions(grant)) or "nichts mehr")
            + "."
        )
    detail = _apply(session, grant, to, amount_cents, on, confirm_over_budget)
    grant.status = to
    text = clean_text(note)
    _record(
        session, grant, current, to, f"{detail} – {text}" if detail and text else detail or text
    )
    session.flush()
    return grant


def _need(value: Any, key: str, message: str) -> None:
    if value is None:
        raise ValidationError({key: message})


def _apply(
    session: Session,
    grant: Grant,
    to: GrantStatus,
    amount: int | None,
    on: date | None,
    confirm_over_budget: bool,
) -> str:
    """Check and store the data of one step; return the history's description of it."""
    if to == GrantStatus.RECEIVED:
        received = on or grant.received_on
        _need(received, "received_on", "Bitte das Eingangsdatum des Antrags angeben.")
        grant.received_on = received
        return f"Antrag eingegangen am {received:%d.%m.%Y}"
    if to == GrantStatus.APPROVED:
        _need(amount, "approved", "Bitte den bewilligten Betrag angeben.")
        _need(on, "decided_on", "Bitte das Datum des Bescheids angeben.")
        assert amount is not None and on is not None
        _check_approval(session, grant, amount, confirm_over_budget)
        grant.approved_cents = amount
        grant.decided_on = on
        if grant.period_end is not None:
            grant.proof_due_on = add_months(grant.period_end, grant.program.proof_due_months)
        return f"Bewilligt: {format_money(amount)}, Bescheid vom {on:%d.%m.%Y}"
    if to == GrantStatus.REJECTED:
        _need(on, "decided_on", "Bitte das Datum des Ablehnungsbescheids angeben.")
        assert on is not None
        grant.decided_on = on
        return f"Abgelehnt, Bescheid vom {on:%d.%m.%Y}"
    if to == GrantStatus.PAYING:
        _need(amount, "payment", "Bitte den Betrag der Auszahlung angeben.")
        _need(on, "paid_on", "Bitte das Datum der Auszahlung angeben.")
        assert amount is not None and on is not None
        _check_payment(grant, amount)
        grant.payments.append(
            Payment(amount_cents=amount, due_on=on, paid_on=on, status=PaymentStatus.PAID)
        )
        return f"Auszahlung {format_money(amount)} am {on:%d.%m.%Y}"
    if to == GrantStatus.PROOF_RECEIVED:
        _need(on, "proof_received_on", "Bitte das Eingangsdatum des Verwendungsnachweises angeben.")
        assert on is not None
        grant.proof_received_on = on
        return f"Verwendungsnachweis eingegangen am {on:%d.%m.%Y}"
    if to == GrantStatus.PROOF_CHECKED:
        _need(amount, "accepted", "Bitte den anerkannten Betrag angeben.")
        assert amount is not None
        if amount < 0:
            raise ValidationError({"accepted": "Der anerkannte Betrag darf nicht negativ sein."})
        if amount > (grant.approved_cents or 0):
            raise ValidationError(
                {
                    "accepted": "Der anerkannte Betrag übersteigt den bewilligten Betrag "
                    f"({format_money(grant.approved_cents)})."
                }
            )
        grant.accepted_cents = amount
        grant.proof_checked_on = on or date.today()
        return f"Verwendungsnachweis geprüft, anerkannt: {format_money(amount)}"
    if to == GrantStatus.REPAYMENT:
        _need(amount, "repayment", "Bitte den Rückforderungsbetrag angeben.")
        _need(on, "repayment_on", "Bitte das Datum der Rückforderung angeben.")
        assert amount is not None and on is not None
        paid = paid_cents(grant)
        if amount <= 0:
            raise ValidationError({"repayment": "Der Rückforderungsbetrag muss größer als 0 sein."})
        if amount > paid:
            raise ValidationError(
                {
                    "repayment": "Die Rückforderung übersteigt die Summe der Auszahlungen "
                    f"({format_money(paid)})."
                }
            )
        grant.repayment_cents = amount
        grant.repayment_on = on
        return f"Rückforderung {format_money(amount)} am {on:%d.%m.%Y}"
    return ""


def _check_approval(session: Session, grant: Grant, amount: int, confirm_over_budget: bool) -> None:
    program = grant.program
    if amount <= 0:
        raise ValidationError({"approved": "Der bewilligte Betrag muss größer als 0 sein."})
    if grant.requested_cents is not None and amount > grant.requested_cents:
        raise ValidationError(
            {
                "approved": "Der bewilligte Betrag übersteigt den beantragten Betrag "
                f"({format_money(grant.requested_cents)})."
            }
        )
    if program.max_amount_cents is not None and amount > program.max_amount_cents:
        raise ValidationError(
            {
                "approved": "Der bewilligte Betrag übersteigt den Höchstbetrag von "
                f"„{program.name}“ ({format_money(program.max_amount_cents)})."
            }
        )
    if program.max_rate_bp is not None:
        if not grant.total_cost_cents:
            raise ValidationError(
                {
                    "total_cost": f"„{program.name}“ fördert höchstens "
                    f"{_percent(program.max_rate_bp)} der Gesamtkosten; bitte zuerst die "
                    "Gesamtkosten eintragen."
                }
            )
        if amount * 10_000 > program.max_rate_bp * grant.total_cost_cents:
            raise ValidationError(
                {
                    "approved": f"Die Förderquote ({_percent_of(amount, grant.total_cost_cents)}"
                    f" der Gesamtkosten) übersteigt die höchste Quote von „{program.name}“ "
                    f"({_percent(program.max_rate_bp)})."
                }
            )
    if confirm_over_budget:
        return
    budget = session.scalar(
        select(ProgramBudget.amount_cents).where(
            ProgramBudget.program_id == program.id, ProgramBudget.year == grant.budget_year
        )
    )
    committed = approved_sum(session, program.id, grant.budget_year, exclude_id=grant.id)
    if committed + amount > (budget or 0):
        raise BudgetExceeded(
            program=program.name,
            year=grant.budget_year,
            budget_cents=budget or 0,
            committed_cents=committed,
            amount_cents=amount,
        )


def approved_sum(
    session: Session, program_id: int, year: int, *, exclude_id: int | None = None
) -> int:
    """Sum of approved amounts of a programme's grants of ``year`` in approved-or-later states."""
    statement = select(func.coalesce(func.sum(Grant.approved_cents), 0)).where(
        Grant.program_id == program_id,
        Grant.budget_year == year,
        Grant.status.in_(COMMITTED),
    )
    if exclude_id is not None:
        statement = statement.where(Grant.id != exclude_id)
    return int(session.scalar(statement) or 0)


def _percent(basis_points: int) -> str:
    return f"{basis_points / 100:.2f}".rstrip("0").rstrip(".").replace(".", ",") + " %"


def _percent_of(part: int, whole: int) -> str:
    return _percent(-(-part * 10_000 // whole))


def _check_payment(grant: Grant, amount: int) -> None:
    if amount <= 0:
        raise ValidationError({"payment": "Der Auszahlungsbetrag muss größer als 0 sein."})
    committed = committed_payments_cents(grant)
    approved = grant.approved_cents or 0
    if committed + amount > approved:
        raise ValidationError(
            {
                "payment": f"Die Auszahlungen ({format_money(committed + amount)}) übersteigen "
                f"den bewilligten Betrag ({format_money(approved)}); offen sind noch "
                f"{format_money(approved - committed)}."
            }
        )


def _record(
    session: Session, grant: Grant, from_status: GrantStatus | None, to: GrantStatus, note: str
) -> None:
    grant.history.append(
        GrantStatusChange(
            from_status=from_status,
            to_status=to,
            changed_by=session_user(session),
            note=note,
        )
    )


# --- tranches --------------------------------------------------------------------------------

_TRANCHE_STEPS: dict[PaymentStatus, tuple[PaymentStatus, ...]] = {
    PaymentStatus.PLANNED: (PaymentStatus.INSTRUCTED, PaymentStatus.PAID, PaymentStatus.CANCELLED),
    PaymentStatus.INSTRUCTED: (PaymentStatus.PAID, PaymentStatus.CANCELLED),
    PaymentStatus.PAID: (),
    PaymentStatus.CANCELLED: (),
}


def plan_payment(
    session: Session, grant_id: int, amount_cents: int, due_on: date, *, note: str = ""
) -> Payment:
    """Add a planned tranche to an approved grant (planned tranches count against it)."""
    grant = _get_or_fail(session, grant_id)
    if GrantStatus(grant.status) not in (GrantStatus.APPROVED, *_AFTER_PAYMENT):
        raise UserError(
            f"Tranchen lassen sich erst nach der Bewilligung planen "
            f"(„{grant.file_number}“ ist {GrantStatus(grant.status).label})."
        )
    _check_payment(grant, amount_cents)
    payment = Payment(
        amount_cents=amount_cents,
        due_on=due_on,
        status=PaymentStatus.PLANNED,
        note=clean_text(note),
    )
    grant.payments.append(payment)
    session.flush()
    return payment


def set_payment_status(
    session: Session, payment_id: int, to: PaymentStatus, *, on: date | None = None
) -> Payment:
    """Move a tranche forward (geplant → angewiesen → ausgezahlt, or storniert).

    Paying the first tranche of an approved grant moves the grant to Auszahlung (recorded).
    """
    payment = session.get(Payment, payment_id)
    if payment is None:
        raise UserError(f"Auszahlung {payment_id} gibt es nicht (mehr).")
    current = PaymentStatus(payment.status)
    if to not in _TRANCHE_STEPS[current]:
        raise UserError(f"Eine Tranche „{current.label}“ kann nicht „{to.label}“ werden.")
    if to == PaymentStatus.PAID:
        _need(on, "paid_on", "Bitte das Datum der Auszahlung angeben.")
        payment.paid_on = on
    payment.status = to
    grant = payment.grant
    if to == PaymentStatus.PAID and grant.status == GrantStatus.APPROVED:
        grant.status = GrantStatus.PAYING
        assert on is not None
        _record(
            session,
            grant,
            GrantStatus.APPROVED,
            GrantStatus.PAYING,
            f"Auszahlung {format_money(payment.amount_cents)} am {on:%d.%m.%Y}",
        )
    session.flush()
    return payment


# --- queries -------------------------------------------------------------------------------


@dataclass(frozen=True)
class GrantFilter:
    program_id: int | None = None
    year: int | None = None
    status: GrantStatus | None = None
    guideline_id: int | None = None
    recipient_id: int | None = None
    municipality: str = ""
    search: str = ""

    @property
    def is_empty(self) -> bool:
        return self == GrantFilter()


GRANT_SORT_KEYS = (
    "file_number",
    "program",
    "recipient",
    "project",
    "requested",
    "approved",
    "status",
    "year",
    "received",
)


_Columns = TypeVarTuple("_Columns")


def apply_filter(statement: Select[*_Columns], flt: GrantFilter) -> Select[*_Columns]:
    """A query over :class:`Grant` narrowed to ``flt`` (lists, counts and charts share it)."""
    if flt.program_id is not None:
        statement = statement.where(Grant.program_id == flt.program_id)
    if flt.year is not None:
        statement = statement.where(Grant.budget_year == flt.year)
    if flt.status is not None:
        statement = statement.where(Grant.status == flt.status)
    if flt.recipient_id is not None:
        statement = statement.where(Grant.recipient_id == flt.recipient_id)
    if flt.guideline_id is not None:
        statement = statement.where(
            Grant.id.in_(
                select(grant_guideline.c.grant_id).where(
                    grant_guideline.c.guideline_id == flt.guideline_id
                )
            )
        )
    if flt.municipality.strip():
        statement = statement.where(
            Grant.recipient_id.in_(
                select(Organisation.id).where(Organisation.municipality == flt.municipality)
            )
        )
    if flt.search.strip():
        statement = statement.where(Grant.search_text.like(like_pattern(flt.search), escape="\\"))
    return statement


def grant_ids(
    session: Session,
    flt: GrantFilter = GrantFilter(),
    *,
    sort: str = "file_number",
    descending: bool = False,
) -> list[int]:
    """Ids of the grants matching ``flt`` in the requested order (id breaks ties)."""
    statement = apply_filter(select(Grant.id), flt)
    key: Any
    # coalesce(): SQLite would walk the column's index row by row to spare the sort; sorting
    # the filtered rows is faster (a search at 50,000 grants: 144 ms → 17 ms).
    if sort == "file_number":
        key = func.coalesce(Grant.file_number, "")
    elif sort == "program":
        statement = statement.join(FundingProgram, FundingProgram.id == Grant.program_id)
        key = FundingProgram.short_code
    elif sort == "recipient":
        statement = statement.join(Organisation, Organisation.id == Grant.recipient_id)
        key = Organisation.name_folded
    elif sort == "project":
        key = Grant.project_title
    elif sort == "requested":
        key = Grant.requested_cents
    elif sort == "approved":
        key = Grant.approved_cents
    elif sort == "status":
        members = list(GrantStatus)
        key = case({m.value: i for i, m in enumerate(members)}, value=Grant.status)
    elif sort == "year":
        key = func.coalesce(Grant.budget_year, 0)
    elif sort == "received":
        key = Grant.received_on
    else:
        raise ValueError(f"unknown sort key {sort!r}")
    order = [key.desc() if descending else key.asc()]
    order.append(Grant.id.desc() if descending else Grant.id)
    return list(session.scalars(statement.order_by(*order)))


def count_grants(session: Session, flt: GrantFilter = GrantFilter()) -> int:
    return session.scalar(apply_filter(select(func.count(Grant.id)), flt)) or 0


@dataclass(frozen=True)
class GrantRow:
    """What a list shows of one grant."""

    id: int
    file_number: str
    program: str
    program_code: str
    recipient: str
    project_title: str
    requested_cents: int | None
    approved_cents: int | None
    paid_cents: int
    status: GrantStatus
    budget_year: int

    @property
    def status_label(self) -> str:
        return self.status.label


def fetch_grant_rows(session: Session, ids: list[int]) -> dict[int, GrantRow]:
    """Row data for ``ids`` (a page at a time), the paid sum included."""
    rows: dict[int, GrantRow] = {}
    for start in range(0, len(ids), ID_CHUNK):
        chunk = ids[start : start + ID_CHUNK]
        paid = (
            select(Payment.grant_id, func.sum(Payment.amount_cents).label("paid"))
            .where(Payment.grant_id.in_(chunk), Payment.status == PaymentStatus.PAID)
            .group_by(Payment.grant_id)
            .subquery()
        )
        statement = (
            select(
                Grant.id,
                Grant.file_number,
                FundingProgram.name.label("program"),
                FundingProgram.short_code,
                Organisation.name.label("recipient"),
                Grant.project_title,
                Grant.requested_cents,
                Grant.approved_cents,
                paid.c.paid,
                Grant.status,
                Grant.budget_year,
            )
            .join(FundingProgram, FundingProgram.id == Grant.program_id)
            .join(Organisation, Organisation.id == Grant.recipient_id)
            .outerjoin(paid, paid.c.grant_id == Grant.id)
            .where(Grant.id.in_(chunk))
        )
        for r in session.execute(statement):
            rows[r.id] = GrantRow(
                id=r.id,
                file_number=r.file_number,
                program=r.program,
                program_code=r.short_code,
                recipient=r.recipient,
                project_title=r.project_title,
                requested_cents=r.requested_cents,
                approved_cents=r.approved_cents,
                paid_cents=int(r.paid or 0),
                status=GrantStatus(r.status),
                budget_year=r.budget_year,
            )
    return rows


@dataclass(frozen=True)
class OrganisationGrants:
    """An organisation's grants with its sums (approved counts only approved-or-later)."""

    rows: list[GrantRow]
    requested_cents: int
    approved_cents: int
    paid_cents: int


def organisation_grants(session: Session, organisation_id: int) -> OrganisationGrants:
    ids = grant_ids(
        session, GrantFilter(recipient_id=organisation_id), sort="year", descending=True
    )
    by_id = fetch_grant_rows(session, ids)
    rows = [by_id[i] for i in ids]
    return OrganisationGrants(
        rows=rows,
        requested_cents=sum(r.requested_cents or 0 for r in rows),
        approved_cents=sum(r.approved_cents or 0 for r in rows if r.status in COMMITTED),
        paid_cents=sum(r.paid_cents for r in rows),
    )


def list_grants(session: Session) -> list[tuple[int, str]]:
    """(id, ``SBR-2026-007 Empfänger – Projekt``) of all grants, by id."""
    rows = session.execute(
        select(Grant.id, Grant.file_number, Organisation.name, Grant.project_title)
        .join(Organisation, Organisation.id == Grant.recipient_id)
        .order_by(Grant.id)
    )
    return [(r.id, f"{r.file_number} {r.name} – {r.project_title}") for r in rows]


def list_programs(session: Session, *, include_inactive: bool = True) -> list[tuple[int, str]]:
    """(id, name) of the funding programmes, by name."""
    statement = select(FundingProgram.id, FundingProgram.name).order_by(FundingProgram.name)
    if not include_inactive:
        statement = statement.where(FundingProgram.active)
    return [(r.id, r.name) for r in session.execute(statement)]


def find_program(session: Session, text: str) -> FundingProgram | None:
    """The programme whose short code or name equals ``text`` (case-insensitive), or None."""
    by_code = program_by_code(session, text)
    if by_code is not None:
        return by_code
    wanted = fold(text)
    for program in session.scalars(
        select(FundingProgram).order_by(FundingProgram.active.desc(), FundingProgram.id)
    ):
        if fold(program.name) == wanted:
            return program
    return None


def program_by_code(session: Session, short_code: str) -> FundingProgram | None:
    """The programme with ``short_code`` (active first), e.g. ``SBR``."""
    return session.scalars(
        select(FundingProgram)
        .where(func.upper(FundingProgram.short_code) == short_code.strip().upper())
        .order_by(FundingProgram.active.desc(), FundingProgram.id)
        .limit(1)
    ).first()


def recipient_choices(session: Session) -> list[tuple[int, str]]:
    """(id, name) of the organisations that have at least one grant, by name."""
    rows = session.execute(
        select(Organisation.id, Organisation.name)
        .where(Organisation.id.in_(select(Grant.recipient_id)))
        .order_by(Organisation.name_folded)
    )
    return [(r.id, r.name) for r in rows]


def approved_grant_choices(session: Session) -> list[tuple[int, str]]:
    """Grants a decision letter can be written for (approved or later), newest first."""
    rows = session.execute(
        select(Grant.id, Grant.file_number, Organisation.name, Grant.project_title)
        .join(Organisation, Organisation.id == Grant.recipient_id)
        .where(Grant.status.in_([s.value for s in COMMITTED]), Grant.approved_cents.is_not(None))
        .order_by(Grant.budget_year.desc(), Grant.file_number.desc())
    )
    return [(r.id, f"{r.file_number} {r.name} – {r.project_title}") for r in rows]
