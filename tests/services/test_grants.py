"""Grants: validation, file numbers, the status path with its rules and history, lists."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from integrationsmanager.domain.common import DeletionLog
from integrationsmanager.domain.enums import GrantStatus, PaymentStatus
from integrationsmanager.domain.errors import UserError, ValidationError
from integrationsmanager.domain.funding import FundingProgram, Grant
from integrationsmanager.services.grants import (
    TRANSITIONS,
    BudgetExceeded,
    GrantData,
    GrantFilter,
    add_months,
    allowed_transitions,
    count_grants,
    delete_grant,
    fetch_grant_rows,
    find_program,
    get_grant,
    grant_ids,
    list_grants,
    list_programs,
    next_file_number,
    organisation_grants,
    plan_payment,
    program_by_code,
    refresh_grant_search,
    save_grant,
    set_payment_status,
    transition,
)
from integrationsmanager.services.measures import guideline_by_number
from integrationsmanager.services.organisations import new_organisation


def _program(session: Session, code: str) -> FundingProgram:
    program = program_by_code(session, code)
    assert program is not None
    return program


def _recipient(session: Session, name: str = "Diakonie Pleißenland e.V.", city: str = "") -> int:
    organisation = new_organisation(name)
    organisation.municipality = city
    session.add(organisation)
    session.flush()
    return organisation.id


def _data(session: Session, **changes: object) -> GrantData:
    values: dict[str, object] = {
        "program_id": _program(session, "SBR").id,
        "budget_year": 2026,
        "recipient_id": None,
        "project_title": "Migrationssozialberatung",
        "period_start": date(2026, 1, 1),
        "period_end": date(2026, 12, 31),
        "total_cost_cents": 10_000_000,
        "own_contribution_cents": 1_000_000,
        "requested_cents": 9_000_000,
    }
    values.update(changes)
    if values["recipient_id"] is None:
        values["recipient_id"] = _recipient(session)
    return GrantData(**values)  # type: ignore[arg-type]


def _grant(session: Session, **changes: object) -> Grant:
    return save_grant(session, _data(session, **changes)).grant


def _approved(session: Session, amount: int = 9_000_000, **changes: object) -> Grant:
    grant = _grant(session, **changes)
    transition(session, grant.id, GrantStatus.RECEIVED, on=date(2025, 10, 15))
    transition(session, grant.id, GrantStatus.IN_REVIEW)
    return transition(
        session, grant.id, GrantStatus.APPROVED, amount_cents=amount, on=date(2025, 12, 15)
    )


# --- saving --------------------------------------------------------------------------------


def test_new_grant_is_a_draft_with_a_generated_file_number_and_history(session: Session) -> None:
    result = save_grant(session, _data(session))
    grant = result.grant
    assert grant.status == GrantStatus.DRAFT
    assert grant.file_number == "SBR-2026-001"
    assert result.duplicate_file_numbers == []
    assert [(h.from_status, h.to_status, h.changed_by) for h in grant.history] == [
        (None, "draft", "testnutzer")
    ]


def test_file_numbers_count_per_programme_and_year(session: Session) -> None:
    assert _grant(session).file_number == "SBR-2026-001"
    assert _grant(session).file_number == "SBR-2026-002"
    assert _grant(session, budget_year=2027).file_number == "SBR-2027-001"
    mik = _grant(
        session,
        program_id=_program(session, "MIK").id,
        total_cost_cents=150_000,
        own_contribution_cents=0,
        requested_cents=150_000,
    )
    assert mik.file_number == "MIK-2026-001"
    _grant(session, file_number="SBR-2026-041")
    assert next_file_number(session, _program(session, "SBR").id, 2026) == "SBR-2026-042"


def test_file_number_is_editable_and_a_duplicate_is_a_warning(session: Session) -> None:
    first = _grant(session)
    result = save_grant(session, _data(session, file_number="  sbr-2026-001 "))
    assert result.grant.file_number == "sbr-2026-001"
    assert result.duplicate_file_numbers == [first.id]
    edited = save_grant(session, _data(session, file_number="SBR-2026-099"), first.id)
    assert edited.grant.file_number == "SBR-2026-099"
    assert edited.duplicate_file_numbers == []


def test_editing_keeps_the_file_number_unless_programme_or_year_change(session: Session) -> None:
    grant = _grant(session)
    data = _data(session, project_title="Neuer Titel")
    assert save_grant(session, data, grant.id).grant.file_number == "SBR-2026-001"
    data = _data(session, budget_year=2027)
    assert save_grant(session, data, grant.id).grant.file_number == "SBR-2027-001"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"project_title": "  "}, "project_title", "Bitte einen Projekttitel eingeben."),
        ({"program_id": None}, "program", "Bitte ein Förderprogramm wählen."),
        ({"budget_year": None}, "budget_year", "Bitte das Haushaltsjahr angeben."),
        ({"budget_year": 1999}, "budget_year", "zwischen 2000 und 2100"),
        ({"period_end": date(2025, 12, 31)}, "period_end", "liegt vor dem Beginn"),
        ({"requested_cents": -1}, "requested", "darf nicht negativ sein"),
        ({"total_cost_cents": -5}, "total_cost", "dürfen nicht negativ sein"),
        ({"requested_cents": 10_000_001}, "requested", "übersteigt die Gesamtkosten"),
        ({"own_contribution_cents": 1_000_001}, "total_cost", "zusammen übersteigen"),
        ({"program_id": 9999}, "program", "Förderprogramm 9999 gibt es nicht."),
        ({"guideline_ids": [9999]}, "guidelines", "Leitlinie 9999 gibt es nicht."),
    ],
)
def test_validation_messages(
    session: Session, changes: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        save_grant(session, _data(session, **changes))
    assert message in caught.value.errors[field]


def test_guidelines_and_search_text_are_stored(session: Session) -> None:
    guideline = guideline_by_number(session, 3)
    assert guideline is not None
    grant = _grant(session, guideline_ids=[guideline.id, guideline.id])
    assert [g.number for g in grant.guidelines] == [3]
    assert "sbr-2026-001" in grant.search_text
    assert "diakonie pleissenland" in grant.search_text


def test_delete_only_drafts(session: Session) -> None:
    grant = _grant(session)
    uid = grant.uid
    transition(session, grant.id, GrantStatus.RECEIVED, on=date(2025, 10, 1))
    with pytest.raises(UserError, match="nur Entwürfe"):
        delete_grant(session, grant.id)
    draft = _grant(session)
    delete_grant(session, draft.id)
    assert get_grant(session, draft.id) is None
    assert session.scalar(select(DeletionLog.id).where(DeletionLog.record_uid == uid)) is None
    assert session.scalar(select(DeletionLog.id).where(DeletionLog.record_uid == draft.uid))


# --- the status path -----------------------------------------------------------------------


def test_full_path_to_closed_records_every_step(session: Session) -> None:
    grant = _approved(session)
    assert grant.approved_cents == 9_000_000
    assert grant.decided_on == date(2025, 12, 15)
    assert grant.proof_due_on == date(2027, 6, 30)
    assert allowed_transitions(grant) == [GrantStatus.PAYING]
    transition(session, grant.id, GrantStatus.PAYING, amount_cents=4_500_000, on=date(2026, 1, 15))
    assert allowed_transitions(grant) == [
        GrantStatus.PAYING,
        GrantStatus.PROOF_DUE,
        GrantStatus.REPAYMENT,
    ]
    transition(session, grant.id, GrantStatus.PAYING, amount_cents=4_500_000, on=date(2026, 7, 1))
    assert GrantStatus.PAYING not in allowed_transitions(grant)
    transition(session, grant.id, GrantStatus.PROOF_DUE, note="Frist beachten")
    transition(session, grant.id, GrantStatus.PROOF_RECEIVED, on=date(2027, 5, 2))
    transition(
        session, grant.id, GrantStatus.PROOF_CHECKED, amount_cents=9_000_000, on=date(2027, 6, 1)
    )
    transition(session, grant.id, GrantStatus.CLOSED)
    assert grant.status == GrantStatus.CLOSED
    assert allowed_transitions(grant) == []
    assert [h.to_status for h in grant.history] == [
        "draft",
        "received",
        "in_review",
        "approved",
        "paying",
        "paying",
        "proof_due",
        "proof_received",
        "proof_checked",
        "closed",
    ]
    assert all(h.changed_by == "testnutzer" for h in grant.history)
    assert grant.history[3].note == "Bewilligt: 90.000,00\u00a0€, Bescheid vom 15.12.2025"
    assert grant.history[6].note == "Frist beachten"
    assert [p.status for p in grant.payments] == ["paid", "paid"]
    assert grant.proof_received_on == date(2027, 5, 2)
    assert grant.accepted_cents == 9_000_000
    assert grant.proof_checked_on == date(2027, 6, 1)


def test_every_allowed_transition_of_the_table_works(session: Session) -> None:
    """For each state, reach it and take each step the table allows from it."""
    routes: dict[GrantStatus, list[tuple[GrantStatus, dict[str, object]]]] = {
        GrantStatus.DRAFT: [],
        GrantStatus.RECEIVED: [(GrantStatus.RECEIVED, {"on": date(2025, 10, 1)})],
    }
    routes[GrantStatus.IN_REVIEW] = [*routes[GrantStatus.RECEIVED], (GrantStatus.IN_REVIEW, {})]
    approve: tuple[GrantStatus, dict[str, object]] = (
        GrantStatus.APPROVED,
        {"amount_cents": 9_000_000, "on": date(2025, 12, 1), "confirm_over_budget": True},
    )
    routes[GrantStatus.APPROVED] = [*routes[GrantStatus.IN_REVIEW], approve]
    pay = (GrantStatus.PAYING, {"amount_cents": 1_000_000, "on": date(2026, 1, 15)})
    routes[GrantStatus.PAYING] = [*routes[GrantStatus.APPROVED], pay]
    routes[GrantStatus.PROOF_DUE] = [*routes[GrantStatus.PAYING], (GrantStatus.PROOF_DUE, {})]
    routes[GrantStatus.PROOF_RECEIVED] = [
        *routes[GrantStatus.PROOF_DUE],
        (GrantStatus.PROOF_RECEIVED, {"on": date(2027, 3, 1)}),
    ]
    routes[GrantStatus.PROOF_CHECKED] = [
        *routes[GrantStatus.PROOF_RECEIVED],
        (GrantStatus.PROOF_CHECKED, {"amount_cents": 800_000}),
    ]
    routes[GrantStatus.REPAYMENT] = [
        *routes[GrantStatus.PROOF_CHECKED],
        (GrantStatus.REPAYMENT, {"amount_cents": 200_000, "on": date(2027, 4, 1)}),
    ]
    data: dict[GrantStatus, dict[str, object]] = {
        GrantStatus.RECEIVED: {"on": date(2025, 10, 1)},
        GrantStatus.APPROVED: approve[1],
        GrantStatus.REJECTED: {"on": date(2025, 12, 1)},
        GrantStatus.PAYING: pay[1],
        GrantStatus.PROOF_RECEIVED: {"on": date(2027, 3, 1)},
        GrantStatus.PROOF_CHECKED: {"amount_cents": 800_000},
        GrantStatus.REPAYMENT: {"amount_cents": 200_000, "on": date(2027, 4, 1)},
    }
    steps = 0
    for start, route in routes.items():
        for target in TRANSITIONS[start]:
            grant = _grant(session)
            for to, kwargs in route:
                transition(session, grant.id, to, **kwargs)  # type: ignore[arg-type]
            assert grant.status == start
            assert target in allowed_transitions(grant)
            transition(session, grant.id, target, **data.get(target, {}))  # type: ignore[arg-type]
            assert grant.status == target
            assert grant.history[-1].from_status == start
            assert grant.history[-1].to_status == target
            steps += 1
    assert steps == sum(len(TRANSITIONS[s]) for s in routes)
    assert session.scalar(select(Grant.id).where(Grant.status == GrantStatus.CLOSED))


@pytest.mark.parametrize(
    ("setup", "forbidden"),
    [
        ([], GrantStatus.APPROVED),
        ([GrantStatus.RECEIVED], GrantStatus.CLOSED),
        ([GrantStatus.RECEIVED, GrantStatus.WITHDRAWN], GrantStatus.RECEIVED),
    ],
)
def test_forbidden_transition_says_what_is_possible(
    session: Session, setup: list[GrantStatus], forbidden: GrantStatus
) -> None:
    grant = _grant(session)
    for step in setup:
        transition(session, grant.id, step, on=date(2025, 10, 1))
    with pytest.raises(UserError, match="geht es nicht nach") as caught:
        transition(session, grant.id, forbidden, amount_cents=1, on=date(2025, 12, 1))
    assert f"„{forbidden.label}“" in str(caught.value)
    assert len(grant.history) == 1 + len(setup)


def test_rejection_needs_a_date(session: Session) -> None:
    grant = _grant(session)
    transition(session, grant.id, GrantStatus.RECEIVED, on=date(2025, 10, 1))
    transition(session, grant.id, GrantStatus.IN_REVIEW)
    with pytest.raises(ValidationError) as caught:
        transition(session, grant.id, GrantStatus.REJECTED)
    assert caught.value.errors == {"decided_on": "Bitte das Datum des Ablehnungsbescheids angeben."}
    assert grant.status == GrantStatus.IN_REVIEW
    transition(session, grant.id, GrantStatus.REJECTED, on=date(2025, 11, 30), note="Unvollständig")
    assert grant.decided_on == date(2025, 11, 30)
    assert grant.history[-1].note == "Abgelehnt, Bescheid vom 30.11.2025 – Unvollständig"


def test_received_needs_a_date_unless_known(session: Session) -> None:
    grant = _grant(session)
    with pytest.raises(ValidationError, match="Eingangsdatum des Antrags"):
        transition(session, grant.id, GrantStatus.RECEIVED)
    known = _grant(session, received_on=date(2025, 9, 1))
    transition(session, known.id, GrantStatus.RECEIVED)
    assert known.received_on == date(2025, 9, 1)


def _in_review(session: Session, **changes: object) -> Grant:
    grant = _grant(session, **changes)
    transition(session, grant.id, GrantStatus.RECEIVED, on=date(2025, 10, 1))
    return transition(session, grant.id, GrantStatus.IN_REVIEW)


@pytest.mark.parametrize(
    ("amount", "on", "field", "message"),
    [
        (None, date(2025, 12, 1), "approved", "Bitte den bewilligten Betrag angeben."),
        (9_000_000, None, "decided_on", "Bitte das Datum des Bescheids angeben."),
        (0, date(2025, 12, 1), "approved", "Der bewilligte Betrag muss größer als 0 sein."),
        (
            9_000_001,
            date(2025, 12, 1),
            "approved",
            "Der bewilligte Betrag übersteigt den beantragten Betrag (90.000,00\u00a0€).",
        ),
    ],
)
def test_approval_rules(
    session: Session, amount: int | None, on: date | None, field: str, message: str
) -> None:
    grant = _in_review(session)
    with pytest.raises(ValidationError) as caught:
        transition(session, grant.id, GrantStatus.APPROVED, amount_cents=amount, on=on)
    assert caught.value.errors == {field: message}
    assert grant.status == GrantStatus.IN_REVIEW
    assert grant.approved_cents is None


def test_approval_above_programme_maximum(session: Session) -> None:
    grant = _in_review(
        session,
        program_id=_program(session, "MIK").id,
        total_cost_cents=300_000,
        own_contribution_cents=100_000,
        requested_cents=200_000,
    )
    with pytest.raises(ValidationError) as caught:
        transition(session, grant.id, GrantStatus.APPROVED, amount_cents=150_001, on=date.today())
    assert caught.value.errors["approved"] == (
        "Der bewilligte Betrag übersteigt den Höchstbetrag von „Mikroförderung für Vereine“ "
        "(1.500,00\u00a0€)."
    )
    transition(session, grant.id, GrantStatus.APPROVED, amount_cents=150_000, on=date.today())
    assert grant.approved_cents == 150_000


def test_approval_above_funding_rate(session: Session) -> None:
    grant = _in_review(
        session,
        program_id=_program(session, "SSR").id,
        total_cost_cents=1_000_000,
        own_contribution_cents=100_000,
        requested_cents=900_000,
    )
    with pytest.raises(ValidationError) as caught:
        transition(session, grant.id, GrantStatus.APPROVED, amount_cents=800_001, on=date.today())
    assert caught.value.errors["approved"] == (
        "Die Förderquote (80,01 % der Gesamtkosten) übersteigt die höchste Quote von "
        "„Sozialstrategierichtlinie“ (80 %)."
    )
    transition(session, grant.id, GrantStatus.APPROVED, amount_cents=800_000, on=date.today())


def test_rate_needs_total_cost(session: Session) -> None:
    grant = _in_review(session, total_cost_cents=None, own_contribution_cents=None)
    with pytest.raises(ValidationError) as caught:
        transition(session, grant.id, GrantStatus.APPROVED, amount_cents=100, on=date.today())
    assert "bitte zuerst die Gesamtkosten eintragen" in caught.value.errors["total_cost"]


def test_over_budget_warns_then_confirmed(session: Session) -> None:
    # 2026 Sozialberatung: 524.062,50 €; 5 × 90.000 € fit, the sixth does not.
    for _ in range(5):
        _approved(session)
    grant = _in_review(session)
    with pytest.raises(BudgetExceeded) as caught:
        transition(session, grant.id, GrantStatus.APPROVED, amount_cents=9_000_000, on=date.today())
    err = caught.value
    assert (err.budget_cents, err.committed_cents, err.amount_cents, err.over_cents) == (
        52_406_250,
        45_000_000,
        9_000_000,
        1_593_750,
    )
    assert str(err) == (
        "Mit dieser Bewilligung (90.000,00\u00a0€) übersteigen die Bewilligungen von "
        "„Sozialberatungsrichtlinie“ für 2026 das Budget von 524.062,50\u00a0€ um "
        "15.937,50\u00a0€ (bereits bewilligt: 450.000,00\u00a0€). Trotzdem bewilligen?"
    )
    assert grant.status == GrantStatus.IN_REVIEW
    transition(
        session,
        grant.id,
        GrantStatus.APPROVED,
        amount_cents=9_000_000,
        on=date.today(),
        confirm_over_budget=True,
    )
    assert grant.status == GrantStatus.APPROVED


def test_year_without_budget_is_over_budget(session: Session) -> None:
    grant = _in_review(session, budget_year=2030)
    with pytest.raises(BudgetExceeded, match="Budget von 0,00"):
        transition(session, grant.id, GrantStatus.APPROVED, amount_cents=100, on=date.today())


def test_rejected_and_withdrawn_do_not_count_against_the_budget(session: Session) -> None:
    for _ in range(5):
        _approved(session)
    refused = _in_review(session)
    transition(session, refused.id, GrantStatus.REJECTED, on=date.today())
    grant = _in_review(session, requested_cents=7_406_250, own_contribution_cents=2_593_750)
    transition(session, grant.id, GrantStatus.APPROVED, amount_cents=7_406_250, on=date.today())


def test_payments_never_exceed_approved(session: Session) -> None:
    grant = _approved(session, 9_000_000)
    transition(session, grant.id, GrantStatus.PAYING, amount_cents=6_000_000, on=date(2026, 1, 5))
    plan_payment(session, grant.id, 2_000_000, date(2026, 6, 1))
    with pytest.raises(ValidationError) as caught:
        transition(
            session, grant.id, GrantStatus.PAYING, amount_cents=1_000_001, on=date(2026, 2, 1)
        )
    assert caught.value.errors["payment"] == (
        "Die Auszahlungen (90.000,01\u00a0€) übersteigen den bewilligten Betrag "
        "(90.000,00\u00a0€); offen sind noch 10.000,00\u00a0€."
    )
    with pytest.raises(ValidationError, match="größer als 0"):
        transition(session, grant.id, GrantStatus.PAYING, amount_cents=0, on=date(2026, 2, 1))
    with pytest.raises(ValidationError, match="Betrag der Auszahlung"):
        transition(session, grant.id, GrantStatus.PAYING, on=date(2026, 2, 1))
    with pytest.raises(ValidationError, match="Datum der Auszahlung"):
        transition(session, grant.id, GrantStatus.PAYING, amount_cents=1)
    transition(session, grant.id, GrantStatus.PAYING, amount_cents=1_000_000, on=date(2026, 2, 1))
    assert GrantStatus.PAYING not in allowed_transitions(grant)
    assert len(grant.payments) == 3


def test_tranches_planned_instructed_paid_or_cancelled(session: Session) -> None:
    grant = _approved(session, 9_000_000)
    first = plan_payment(session, grant.id, 4_500_000, date(2026, 1, 15))
    second = plan_payment(session, grant.id, 4_500_000, date(2026, 7, 15))
    set_payment_status(session, first.id, PaymentStatus.INSTRUCTED)
    set_payment_status(session, first.id, PaymentStatus.PAID, on=date(2026, 1, 20))
    assert grant.status == GrantStatus.PAYING
    assert grant.history[-1].note == "Auszahlung 45.000,00\u00a0€ am 20.01.2026"
    with pytest.raises(UserError, match="kann nicht „geplant“ werden"):
        set_payment_status(session, first.id, PaymentStatus.PLANNED)
    with pytest.raises(ValidationError, match="Datum der Auszahlung"):
        set_payment_status(session, second.id, PaymentStatus.PAID)
    set_payment_status(session, second.id, PaymentStatus.CANCELLED)
    assert GrantStatus.PAYING in allowed_transitions(grant)
    assert [(p.status, p.amount_cents) for p in grant.payments] == [
        ("paid", 4_500_000),
        ("cancelled", 4_500_000),
    ]


def test_tranche_needs_an_approved_grant(session: Session) -> None:
    grant = _in_review(session)
    with pytest.raises(UserError, match="erst nach der Bewilligung"):
        plan_payment(session, grant.id, 100, date(2026, 1, 1))


def test_proof_and_repayment_rules(session: Session) -> None:
    grant = _approved(session, 9_000_000)
    transition(session, grant.id, GrantStatus.PAYING, amount_cents=9_000_000, on=date(2026, 1, 5))
    transition(session, grant.id, GrantStatus.PROOF_DUE)
    with pytest.raises(ValidationError, match="Eingangsdatum des Verwendungsnachweises"):
        transition(session, grant.id, GrantStatus.PROOF_RECEIVED)
    transition(session, grant.id, GrantStatus.PROOF_RECEIVED, on=date(2027, 5, 1))
    with pytest.raises(ValidationError, match="Bitte den anerkannten Betrag angeben"):
        transition(session, grant.id, GrantStatus.PROOF_CHECKED)
    with pytest.raises(ValidationError, match="übersteigt den bewilligten Betrag"):
        transition(session, grant.id, GrantStatus.PROOF_CHECKED, amount_cents=9_000_001)
    transition(session, grant.id, GrantStatus.PROOF_CHECKED, amount_cents=8_765_432)
    with pytest.raises(ValidationError, match="Bitte den Rückforderungsbetrag angeben"):
        transition(session, grant.id, GrantStatus.REPAYMENT, on=date(2027, 7, 1))
    with pytest.raises(ValidationError, match="Datum der Rückforderung"):
        transition(session, grant.id, GrantStatus.REPAYMENT, amount_cents=234_568)
    with pytest.raises(ValidationError) as caught:
        transition(
            session, grant.id, GrantStatus.REPAYMENT, amount_cents=9_000_001, on=date(2027, 7, 1)
        )
    assert caught.value.errors["repayment"] == (
        "Die Rückforderung übersteigt die Summe der Auszahlungen (90.000,00\u00a0€)."
    )
    transition(session, grant.id, GrantStatus.REPAYMENT, amount_cents=234_568, on=date(2027, 7, 1))
    assert (grant.repayment_cents, grant.repayment_on) == (234_568, date(2027, 7, 1))
    assert allowed_transitions(grant) == [GrantStatus.CLOSED]


def test_repayment_not_offered_before_anything_was_paid(session: Session) -> None:
    grant = _approved(session)
    assert GrantStatus.REPAYMENT not in allowed_transitions(grant)


def test_requested_may_not_drop_below_approved(session: Session) -> None:
    grant = _approved(session, 9_000_000)
    data = _data(session, requested_cents=8_999_999, recipient_id=grant.recipient_id)
    with pytest.raises(ValidationError, match="nicht unter dem bewilligten Betrag"):
        save_grant(session, data, grant.id)


def test_programme_and_year_fixed_after_approval(session: Session) -> None:
    grant = _approved(session)
    data = _data(session, budget_year=2027, recipient_id=grant.recipient_id)
    with pytest.raises(ValidationError) as caught:
        save_grant(session, data, grant.id)
    assert caught.value.errors == {
        "program": "Förderprogramm und Haushaltsjahr lassen sich nach der Bewilligung nicht "
        "mehr ändern."
    }


def test_proof_due_date_adds_months_clamped() -> None:
    assert add_months(date(2026, 12, 31), 6) == date(2027, 6, 30)
    assert add_months(date(2026, 8, 31), 3) == date(2026, 11, 30)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


def test_micro_grant_proof_due_three_months_after_project(session: Session) -> None:
    grant = _in_review(
        session,
        program_id=_program(session, "MIK").id,
        period_start=date(2026, 5, 1),
        period_end=date(2026, 7, 31),
        total_cost_cents=150_000,
        own_contribution_cents=0,
        requested_cents=150_000,
    )
    transition(session, grant.id, GrantStatus.APPROVED, amount_cents=150_000, on=date(2026, 4, 1))
    assert grant.proof_due_on == date(2026, 10, 31)


# --- lists ---------------------------------------------------------------------------------


def _three(session: Session) -> tuple[Grant, Grant, Grant]:
    ukr = _recipient(session, "Українська громада Альтенбург e.V.", "Altenburg")
    club = _recipient(session, "Begegnungscafé Rositz e.V.", "Rositz")
    mik = _program(session, "MIK").id
    small = {"total_cost_cents": 150_000, "own_contribution_cents": 0, "requested_cents": 150_000}
    first = _grant(session, recipient_id=ukr, project_title="Kulturabend", program_id=mik, **small)
    second = _grant(
        session, recipient_id=club, project_title="Nähwerkstatt für Frauen", program_id=mik, **small
    )
    third = _grant(session, recipient_id=club, project_title="Über Grenzen", budget_year=2025)
    transition(session, third.id, GrantStatus.RECEIVED, on=date(2024, 10, 1))
    return first, second, third


def test_filters_and_search(session: Session) -> None:
    first, second, third = _three(session)
    assert grant_ids(session, GrantFilter(search="громада")) == [first.id]
    assert grant_ids(session, GrantFilter(search="ГРОМАДА")) == [first.id]
    assert grant_ids(session, GrantFilter(search="ueber")) == [third.id]
    assert grant_ids(session, GrantFilter(search="über")) == [third.id]
    assert grant_ids(session, GrantFilter(search="BEGEGNUNGSCAFÉ")) == [second.id, third.id]
    assert grant_ids(session, GrantFilter(search="MIK-2026-002")) == [second.id]
    assert grant_ids(session, GrantFilter(search="100%")) == []
    assert grant_ids(session, GrantFilter(municipality="Rositz")) == [second.id, third.id]
    assert grant_ids(session, GrantFilter(year=2025)) == [third.id]
    assert grant_ids(session, GrantFilter(status=GrantStatus.RECEIVED)) == [third.id]
    assert grant_ids(session, GrantFilter(program_id=_program(session, "SBR").id)) == [third.id]
    assert grant_ids(session, GrantFilter(recipient_id=first.recipient_id)) == [first.id]
    assert count_grants(session, GrantFilter(municipality="Rositz")) == 2
    assert count_grants(session) == 3


def test_guideline_filter(session: Session) -> None:
    guideline = guideline_by_number(session, 5)
    assert guideline is not None
    tagged = _grant(session, guideline_ids=[guideline.id])
    _grant(session)
    assert grant_ids(session, GrantFilter(guideline_id=guideline.id)) == [tagged.id]


@pytest.mark.parametrize(
    "sort",
    [
        "file_number",
        "program",
        "recipient",
        "project",
        "requested",
        "approved",
        "status",
        "year",
        "received",
    ],
)
def test_every_sort_key_returns_all_ids(session: Session, sort: str) -> None:
    grants = _three(session)
    ids = grant_ids(session, sort=sort)
    assert sorted(ids) == sorted(g.id for g in grants)
    assert grant_ids(session, sort=sort, descending=True) != [] and len(set(ids)) == 3


def test_sort_by_file_number_and_unknown_key(session: Session) -> None:
    first, second, third = _three(session)
    assert grant_ids(session, sort="file_number") == [first.id, second.id, third.id]
    assert grant_ids(session, sort="year") == [third.id, first.id, second.id]
    with pytest.raises(ValueError, match="unknown sort key"):
        grant_ids(session, sort="colour")


def test_rows_sums_and_lists(session: Session) -> None:
    grant = _approved(session, 8_000_000)
    transition(session, grant.id, GrantStatus.PAYING, amount_cents=3_000_000, on=date(2026, 1, 5))
    plan_payment(session, grant.id, 1_000_000, date(2026, 6, 1))
    draft = _grant(session, recipient_id=grant.recipient_id, project_title="Zweites Projekt")
    rows = fetch_grant_rows(session, [grant.id, draft.id])
    row = rows[grant.id]
    assert (row.file_number, row.program, row.recipient, row.project_title) == (
        "SBR-2026-001",
        "Sozialberatungsrichtlinie",
        "Diakonie Pleißenland e.V.",
        "Migrationssozialberatung",
    )
    assert (row.requested_cents, row.approved_cents, row.paid_cents) == (
        9_000_000,
        8_000_000,
        3_000_000,
    )
    assert (row.status_label, row.budget_year) == ("Auszahlung", 2026)
    assert rows[draft.id].paid_cents == 0
    sums = organisation_grants(session, grant.recipient_id)
    assert [r.id for r in sums.rows] == [draft.id, grant.id]  # newest first
    assert (sums.requested_cents, sums.approved_cents, sums.paid_cents) == (
        18_000_000,
        8_000_000,
        3_000_000,
    )
    assert list_grants(session) == [
        (grant.id, "SBR-2026-001 Diakonie Pleißenland e.V. – Migrationssozialberatung"),
        (draft.id, "SBR-2026-002 Diakonie Pleißenland e.V. – Zweites Projekt"),
    ]
    assert [name for _, name in list_programs(session)] == [
        "Mikroförderung für Vereine",
        "Sozialberatungsrichtlinie",
        "Sozialstrategierichtlinie",
    ]
    assert fetch_grant_rows(session, []) == {}


def test_find_program_by_code_or_name(session: Session) -> None:
    sbr = _program(session, "SBR")
    assert find_program(session, "sbr") is sbr
    assert find_program(session, " sozialberatungsrichtlinie ") is sbr
    assert find_program(session, "MIKROFÖRDERUNG FÜR VEREINE") is _program(session, "MIK")
    assert find_program(session, "Sozial") is None


def test_recipient_rename_refreshes_search(session: Session) -> None:
    grant = _grant(session)
    grant.recipient.name = "Caritas Altenburg"
    refresh_grant_search(session, grant.recipient_id)
    assert grant_ids(session, GrantFilter(search="caritas")) == [grant.id]
    assert grant_ids(session, GrantFilter(search="diakonie")) == []


def test_grants_are_found_under_the_new_name_of_their_recipient(session: Session) -> None:
    from integrationsmanager.services.organisations import (
        OrganisationData,
        get_organisation,
        save_organisation,
    )

    organisation = save_organisation(session, OrganisationData(name="Alter Name e.V."))
    program = session.scalars(select(FundingProgram).order_by(FundingProgram.id)).first()
    assert program is not None
    grant = save_grant(
        session,
        GrantData(
            program_id=program.id,
            budget_year=2026,
            recipient_id=organisation.id,
            project_title="Sprachcafé",
        ),
    ).grant
    found = get_organisation(session, organisation.id)
    assert found is not None
    data = OrganisationData.from_organisation(found)
    data.name = "Über den Tellerrand e.V."
    save_organisation(session, data, organisation.id)
    assert grant_ids(session, GrantFilter(search="ueber den teller")) == [grant.id]
    assert grant_ids(session, GrantFilter(search="alter name")) == []
