"""The overview's key figures and attention lists, with exact numbers from a known office."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from integrationsmanager.domain.enums import MeasureStatus
from integrationsmanager.domain.money import format_number
from integrationsmanager.services import overview
from integrationsmanager.services.overview import attention, count_text, key_figures, whole_euros
from integrationsmanager.storage.database import Database

from .overview_data import NOW, build_known_office


def test_key_figures_of_a_known_office(session: Session) -> None:
    build_known_office(session)
    figures = key_figures(session, now=NOW)
    assert figures.today.isoformat() == "2026-11-25"
    assert figures.measures.by_status == {
        MeasureStatus.PLANNED: 2,
        MeasureStatus.RUNNING: 3,
        MeasureStatus.COMPLETED: 1,
        MeasureStatus.SUSPENDED: 0,
        MeasureStatus.CANCELLED: 0,
    }
    assert figures.measures.total == 6
    # Started 01.01.2026 and 01.02.2026; not 31.12.2025, not 01.12.2026 (still ahead).
    assert figures.measures.started_this_year == 2
    grants = figures.grants
    assert (grants.year, grants.approved_count) == (2026, 2)
    assert (grants.approved_cents, grants.paid_cents) == (150_000, 60_000)
    assert grants.pending_decisions == 2
    assert (figures.action_items.open, figures.action_items.overdue) == (4, 2)
    meeting = figures.next_meeting
    assert meeting is not None
    assert meeting.subject == "Beirat für Migration und Integration – Sitzung Dezember"
    assert meeting.starts_at.strftime("%d.%m.%Y %H:%M") == "03.12.2026 17:00"
    mik = next(row for row in figures.budget_rows if row.short_code == "MIK")
    assert (mik.budget_cents, mik.approved_cents, mik.paid_cents) == (1_800_000, 150_000, 60_000)


def test_attention_lists_name_their_records(session: Session) -> None:
    known = build_known_office(session)
    found = attention(session, now=NOW)
    tasks = found.overdue_action_items
    assert tasks.total == 2
    assert [(e.kind, e.record_id) for e in tasks.entries] == [
        ("action_item", known.action_items["protokoll"]),
        ("action_item", known.action_items["raum"]),
    ]
    assert tasks.entries[0].title == "Protokoll versenden"
    assert tasks.entries[0].detail == (
        "fällig am 10.11.2026 · Олена Ткаченко · Beirat für Migration und Integration"
    )
    assert tasks.entries[1].text == "Raum buchen · fällig am 20.11.2026 · Arbeitskreis Wohnen"
    decisions = found.pending_decisions
    assert [(e.kind, e.record_id) for e in decisions.entries] == [
        ("grant", known.grants["pruefung"]),
        ("grant", known.grants["eingegangen"]),
    ]
    assert decisions.entries[0].text == (
        "MIK-2027-002 · Hausaufgabenhilfe · Verein Hausaufgabenhilfe · eingegangen am "
        "01.09.2026, wartet seit 85 Tagen"
    )
    proofs = found.overdue_proofs
    assert [e.record_id for e in proofs.entries] == [
        known.grants["vorjahr"],
        known.grants["bezahlt"],
    ]
    assert proofs.entries[1].text.endswith("fällig am 30.09.2026, seit 56 Tagen überfällig")
    meetings = found.upcoming_meetings
    assert [(e.kind, e.record_id) for e in meetings.entries] == [
        ("meeting", known.meetings["dezember"]),
        ("meeting", known.meetings["wohnen"]),
    ]
    assert meetings.entries[0].title == "Donnerstag, 03.12.2026, 17:00 Uhr (in 8 Tagen)"
    assert meetings.entries[0].detail == (
        "Beirat für Migration und Integration – Sitzung Dezember · Landratsamt"
    )
    later = attention(session, now=NOW, weeks=9)
    assert later.upcoming_meetings.total == 3


def test_an_empty_database_has_zeros_and_empty_lists(session: Session) -> None:
    figures = key_figures(session, now=NOW)
    assert figures.measures.total == 0 and figures.measures.started_this_year == 0
    assert figures.grants.approved_count == 0 and figures.grants.approved_cents == 0
    assert (figures.action_items.open, figures.action_items.overdue) == (0, 0)
    assert figures.next_meeting is None
    found = attention(session, now=NOW)
    for name in ("overdue_action_items", "pending_decisions", "overdue_proofs"):
        assert getattr(found, name).entries == ()
        assert getattr(found, name).total == 0
    assert found.upcoming_meetings.entries == ()


def test_long_lists_are_cut_but_counted(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    build_known_office(session)
    monkeypatch.setattr(overview, "LIST_LIMIT", 1)
    found = attention(session, now=NOW)
    for name in ("overdue_action_items", "pending_decisions", "overdue_proofs"):
        assert len(getattr(found, name).entries) == 1
        assert getattr(found, name).total == 2
    assert len(found.upcoming_meetings.entries) == 1
    assert found.upcoming_meetings.total == 2


def test_few_queries_whatever_the_data(db: Database) -> None:
    with db.session() as session:
        build_known_office(session)
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        with db.session() as session:
            key_figures(session, now=NOW)
            attention(session, now=NOW)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) <= 20, statements


def test_numbers_read_as_babel_writes_them() -> None:
    for number in (0, 7, 1_000, 1_234_567, -45_000):
        assert count_text(number) == format_number(number)
    assert whole_euros(41_245_050) == "412.451\u00a0€"
    assert whole_euros(41_245_049) == "412.450\u00a0€"
    assert whole_euros(0) == "0\u00a0€"


def test_the_default_time_is_now(session: Session) -> None:
    build_known_office(session)
    figures = key_figures(session)
    assert figures.today >= (datetime.now(UTC) - timedelta(days=1)).date()
