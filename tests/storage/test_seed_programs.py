"""Seeding of the funding programmes: values, fixed uids, idempotent, staff edits survive."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from integrationsmanager.domain.enums import FundingKind
from integrationsmanager.domain.funding import FundingProgram, FundingSource, ProgramBudget
from integrationsmanager.storage.database import open_database
from integrationsmanager.storage.seed import seed_programs

SBR_UID = "3b0d6a52-8f1e-4c39-9a7d-2f5b1c0e0101"


def _programs(session: Session) -> dict[str, FundingProgram]:
    return {p.short_code: p for p in session.scalars(select(FundingProgram))}


def test_three_programmes_with_budgets_and_sources(session: Session) -> None:
    programs = _programs(session)
    assert sorted(programs) == ["MIK", "SBR", "SSR"]
    sbr, mik = programs["SBR"], programs["MIK"]
    assert sbr.uid == SBR_UID
    assert sbr.name == "Sozialberatungsrichtlinie"
    assert sbr.funding_kind == FundingKind.DEFICIT
    assert "Landesprogramm" in sbr.legal_basis
    assert (mik.funding_kind, mik.max_amount_cents, mik.proof_due_months) == ("fixed", 150_000, 3)
    assert programs["SSR"].max_rate_bp == 8000
    assert [b.year for b in sbr.budgets] == [2025, 2026, 2027]
    budget_2026 = sbr.budgets[1]
    assert budget_2026.amount_cents == 52_406_250
    assert sorted((s.name, s.amount_cents) for s in budget_2026.sources) == [
        ("Freistaat Thüringen", 41_925_000),
        ("Landkreis Altenburger Land", 10_481_250),
    ]
    # The state's share is 80 % of the district's budget.
    assert 41_925_000 * 10 == 52_406_250 * 8
    for program in programs.values():
        for budget in program.budgets:
            assert budget.amount_cents == sum(s.amount_cents for s in budget.sources)


def test_seeding_again_changes_nothing_and_keeps_edits(tmp_path: Path) -> None:
    path = tmp_path / "seed.sqlite"
    database = open_database(path, user="a")
    with database.session() as session:
        sbr = _programs(session)["SBR"]
        sbr.max_rate_bp = 8500
        sbr.budgets[0].amount_cents = 1
    database.close()
    database = open_database(path, user="b")
    with database.session() as session:
        seed_programs(session)
        assert session.scalar(select(func.count(FundingProgram.id))) == 3
        assert session.scalar(select(func.count(ProgramBudget.id))) == 9
        assert session.scalar(select(func.count(FundingSource.id))) == 12
        sbr = _programs(session)["SBR"]
        assert (sbr.max_rate_bp, sbr.budgets[0].amount_cents) == (8500, 1)
    database.close()


def test_a_deleted_programme_stays_deleted(session: Session) -> None:
    session.delete(_programs(session)["MIK"])
    session.flush()
    seed_programs(session)
    assert sorted(_programs(session)) == ["SBR", "SSR"]
