"""The demo grants: size, coverage of programmes, years and states, consistency."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from sqlalchemy import select

from integrationsmanager.domain.enums import GrantStatus, PaymentStatus
from integrationsmanager.domain.funding import Grant
from integrationsmanager.services.demo import create_demo_data
from integrationsmanager.services.demo_funding import load_funding_demo_file
from integrationsmanager.services.grants import COMMITTED, paid_cents
from integrationsmanager.storage.database import open_database


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo database for the module (read-only tests); made once, it takes seconds."""
    path = tmp_path_factory.mktemp("demo-funding") / "demo.sqlite"
    database = open_database(path, user="demo")
    with database.session() as session:
        summary = create_demo_data(session)
        count = len(session.scalars(select(Grant.id)).all())
        assert f", {count} Zuwendungen," in summary
    database.close()
    return path


@pytest.fixture
def grants(demo_path: Path) -> Iterator[list[Grant]]:
    database = open_database(demo_path, user="demo")
    with database.session() as session:
        yield list(session.scalars(select(Grant).order_by(Grant.id)))
        session.rollback()
    database.close()


def test_size_programmes_years_and_every_state(grants: list[Grant]) -> None:
    assert len(grants) >= 60
    assert len(grants) == len(load_funding_demo_file()["grants"])
    assert {(g.program.short_code, g.budget_year) for g in grants} == {
        (code, year) for code in ("SBR", "SSR", "MIK") for year in (2025, 2026, 2027)
    }
    assert set(Counter(g.status for g in grants)) == set(GrantStatus)


def test_payments_in_tranches_and_never_above_approved(grants: list[Grant]) -> None:
    statuses = Counter(p.status for g in grants for p in g.payments)
    assert {PaymentStatus.PAID, PaymentStatus.PLANNED, PaymentStatus.INSTRUCTED} <= set(statuses)
    assert any(len(g.payments) >= 4 for g in grants)
    for grant in grants:
        committed = sum(p.amount_cents for p in grant.payments if p.status != "cancelled")
        assert committed <= (grant.approved_cents or 0)
        if grant.status in COMMITTED and grant.status != GrantStatus.APPROVED:
            assert paid_cents(grant) > 0, grant.file_number


def test_history_follows_the_path_and_file_numbers_are_unique(grants: list[Grant]) -> None:
    for grant in grants:
        assert grant.history[-1].to_status == grant.status
        steps = [(h.from_status, h.to_status) for h in grant.history]
        assert steps[0] == (None, "draft")
        assert all(a == b for (_, a), (b, _) in pairwise(steps))
        times = [h.changed_at for h in grant.history]
        assert times == sorted(times), grant.file_number
    assert len({g.file_number for g in grants}) == len(grants)


def test_german_titles_and_cyrillic_recipient(grants: list[Grant]) -> None:
    assert any("Sozialberatung" in g.project_title for g in grants)
    assert any("громада" in g.recipient.name for g in grants)


def _snapshot(path: Path, *, create: bool) -> list[tuple[object, ...]]:
    database = open_database(path, user="demo")
    try:
        with database.session() as session:
            if create:
                create_demo_data(session)
            return [
                (
                    g.file_number,
                    g.status,
                    g.approved_cents,
                    g.proof_due_on,
                    tuple((p.amount_cents, p.status, p.due_on) for p in g.payments),
                    tuple((h.to_status, h.changed_at, h.note) for h in g.history),
                )
                for g in session.scalars(select(Grant).order_by(Grant.id))
            ]
    finally:
        database.close()


def test_deterministic(demo_path: Path, tmp_path: Path) -> None:
    first = _snapshot(demo_path, create=False)
    assert first == _snapshot(tmp_path / "again.sqlite", create=True)
    assert first[0][:3] == ("SBR-2025-001", "closed", 12_000_000)
