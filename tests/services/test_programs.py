"""Funding programmes and their annual budgets with sources."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from integrationsmanager.domain.enums import FundingKind
from integrationsmanager.domain.errors import ValidationError
from integrationsmanager.domain.money import to_cents
from integrationsmanager.services.budgets import budget_overview
from integrationsmanager.services.programs import (
    BudgetData,
    ProgramData,
    budgets_of,
    get_program,
    save_program,
    set_budget,
)


def new_program(session: Session, code: str = "TST", **more: object) -> int:
    data = ProgramData(name=f"Programm {code}", short_code=code, **more)  # type: ignore[arg-type]
    return save_program(session, data)


def test_program_messages() -> None:
    data = ProgramData(
        name=" ",
        short_code="X",
        max_amount_cents=-1,
        max_rate_bp=10_001,
        proof_due_months=61,
    )
    assert data.errors() == {
        "name": "Bitte einen Namen angeben.",
        "short_code": "Das Kürzel hat 2 bis 10 Buchstaben oder Ziffern.",
        "max_amount": "Der Höchstbetrag darf nicht negativ sein.",
        "max_rate": "Die Förderquote liegt zwischen 0 und 100 %.",
        "proof_due_months": (
            "Die Frist für den Verwendungsnachweis liegt zwischen 0 und 60 Monaten."
        ),
    }
    assert "short_code" in ProgramData(name="A", short_code="ABCDEFGHIJK").errors()
    assert "short_code" in ProgramData(name="A", short_code="A-B").errors()
    ok = ProgramData(name="A", short_code="AB12", max_rate_bp=10_000, proof_due_months=0)
    assert ok.errors() == {}


def test_program_saved_and_updated(session: Session) -> None:
    program_id = new_program(
        session, legal_basis="§ 44 LHO", funding_kind=FundingKind.SHARE, max_rate_bp=8000
    )
    program = get_program(session, program_id)
    assert (program.name, program.short_code, program.funding_kind) == (
        "Programm TST",
        "TST",
        FundingKind.SHARE,
    )
    data = ProgramData(name="Neu", short_code="TST", max_amount_cents=5_000_000)
    assert save_program(session, data, program_id) == program_id
    assert get_program(session, program_id).max_amount_cents == 5_000_000


def test_short_code_unique(session: Session) -> None:
    first = new_program(session, "UNI")
    with pytest.raises(ValidationError) as err:
        new_program(session, "uni")
    assert err.value.errors == {"short_code": "Das Kürzel „uni“ hat schon ein anderes Programm."}
    # Its own code is no clash.
    save_program(session, ProgramData(name="Anders", short_code="UNI"), first)


def test_budget_is_the_sum_of_its_sources(session: Session) -> None:
    program_id = new_program(session)
    land, kreis = to_cents("419.250,00"), to_cents("104.812,50")
    assert land is not None and kreis is not None
    set_budget(
        session, program_id, 2028, None, [("Freistaat Thüringen", land), ("Landkreis", kreis)]
    )
    assert budgets_of(session, program_id) == [
        (2028, 52_406_250, [("Freistaat Thüringen", 41_925_000), ("Landkreis", 10_481_250)])
    ]
    assert to_cents("524.062,50") == 52_406_250
    row = next(r for r in budget_overview(session, 2028) if r.program_id == program_id)
    assert row.budget_cents == 52_406_250
    with pytest.raises(ValidationError) as err:
        set_budget(session, program_id, 2028, 100, [("Land", 50)])
    assert err.value.errors == {"amount": "Das Budget muss die Summe seiner Quellen sein."}


def test_sources_replaced_and_plain_amount(session: Session) -> None:
    program_id = new_program(session)
    set_budget(session, program_id, 2027, None, [("Land", 100), ("Kreis", 200)])
    set_budget(session, program_id, 2027, None, [("Bund", 1_000)])
    set_budget(session, program_id, 2026, 7_500, [])
    assert budgets_of(session, program_id) == [
        (2026, 7_500, []),
        (2027, 1_000, [("Bund", 1_000)]),
    ]
    set_budget(session, program_id, 2027, 42, None)
    assert budgets_of(session, program_id)[1] == (2027, 42, [])


def test_budget_messages() -> None:
    assert BudgetData(year=2028, sources=[("", 10), ("Kreis", -1)]).errors() == {
        "sources": "Quelle 1: Bitte einen Namen angeben."
    }
    assert BudgetData(year=2028, sources=[("Land", 10), ("Kreis", -1)]).errors() == {
        "sources": "Quelle 2: Der Betrag darf nicht negativ sein."
    }
    assert BudgetData(year=2028).errors() == {
        "amount": "Bitte einen Betrag oder mindestens eine Quelle angeben."
    }
    assert BudgetData(year=2028, amount_cents=-5).errors() == {
        "amount": "Das Budget darf nicht negativ sein."
    }
    assert BudgetData(year=1999, amount_cents=0).errors() == {
        "year": "Das Haushaltsjahr liegt zwischen 2000 und 2100."
    }
