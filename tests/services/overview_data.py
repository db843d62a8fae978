"""A small office with known figures for the overview (service and widget tests share it).

On :data:`NOW` (Wednesday, 25 November 2026, 10:00 in Altenburg) it has: measures 3 running,
2 planned, 1 completed, 2 of them started since 1 January; grants of 2026: 2 approved
(1.000 € and 500 €, 600 € paid); 2 applications waiting for a decision; 2 proofs of use
overdue (one of 2025); 4 open action items, 2 of them overdue; the next meeting on
3 December, a second one within four weeks, a third one later, and a cancelled one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from integrationsmanager.domain.enums import ActionStatus, GrantStatus, MeasureStatus, MeetingStatus
from integrationsmanager.domain.network import Person
from integrationsmanager.domain.text import fold, search_blob
from integrationsmanager.services.action_items import ActionItemData, save_action_item
from integrationsmanager.services.grants import (
    GrantData,
    plan_payment,
    program_by_code,
    save_grant,
    transition,
)
from integrationsmanager.services.measures import MeasureData, guideline_by_number, save_measure
from integrationsmanager.services.meetings import GroupData, MeetingData, save_group, save_meeting
from integrationsmanager.services.organisations import new_organisation

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
"""10:00 local time."""


@dataclass(frozen=True)
class KnownOffice:
    measures: dict[str, int]
    grants: dict[str, int]
    action_items: dict[str, int]
    meetings: dict[str, int]
    groups: dict[str, int]


def build_known_office(session: Session) -> KnownOffice:
    return KnownOffice(
        measures=_measures(session),
        grants=_grants(session),
        **_groups_meetings_and_tasks(session),
    )


def _measures(session: Session) -> dict[str, int]:
    ids = {}
    for key, number, status, start in (
        ("elterncafe", 1, MeasureStatus.RUNNING, date(2026, 2, 1)),
        ("sprachkurs", 1, MeasureStatus.RUNNING, date(2025, 3, 1)),
        ("lotsen", 2, MeasureStatus.RUNNING, None),
        ("wohnen", 2, MeasureStatus.PLANNED, date(2026, 12, 1)),
        ("fest", 3, MeasureStatus.COMPLETED, date(2026, 1, 1)),
        ("beratung", 3, MeasureStatus.PLANNED, date(2025, 12, 31)),
    ):
        guideline = guideline_by_number(session, number)
        assert guideline is not None
        data = MeasureData(
            title=f"Maßnahme {key}", guideline_id=guideline.id, status=status, start_date=start
        )
        ids[key] = save_measure(session, data).measure.id
    return ids


def add_grant(session: Session, title: str, year: int, *, received: date | None, end: date) -> int:
    """A micro-grant application (MIK) of a new association, received on ``received``."""
    program = program_by_code(session, "MIK")
    assert program is not None
    recipient = new_organisation(f"Verein {title}")
    session.add(recipient)
    session.flush()
    grant = save_grant(
        session,
        GrantData(
            program_id=program.id,
            budget_year=year,
            recipient_id=recipient.id,
            project_title=title,
            period_start=date(year, 1, 1),
            period_end=end,
            total_cost_cents=150_000,
            requested_cents=100_000,
        ),
    ).grant
    if received is not None:
        transition(session, grant.id, GrantStatus.RECEIVED, on=received)
    return grant.id


def _approve(session: Session, grant_id: int, cents: int, on: date) -> None:
    transition(session, grant_id, GrantStatus.IN_REVIEW)
    transition(session, grant_id, GrantStatus.APPROVED, amount_cents=cents, on=on)


def _grants(session: Session) -> dict[str, int]:
    ids = {
        "eingegangen": add_grant(
            session, "Nähcafé", 2027, received=date(2026, 10, 1), end=date(2027, 6, 30)
        ),
        "pruefung": add_grant(
            session, "Hausaufgabenhilfe", 2027, received=date(2026, 9, 1), end=date(2027, 6, 30)
        ),
        "bezahlt": add_grant(
            session, "Kulturabend", 2026, received=date(2026, 1, 10), end=date(2026, 6, 30)
        ),
        "bewilligt": add_grant(
            session, "Fußballturnier", 2026, received=date(2026, 5, 2), end=date(2026, 12, 31)
        ),
        "abgelehnt": add_grant(
            session, "Ausflug", 2026, received=date(2026, 3, 1), end=date(2026, 8, 31)
        ),
        "vorjahr": add_grant(
            session, "Lesepaten", 2025, received=date(2025, 2, 1), end=date(2025, 12, 31)
        ),
        "entwurf": add_grant(session, "Entwurf", 2026, received=None, end=date(2026, 12, 31)),
    }
    transition(session, ids["pruefung"], GrantStatus.IN_REVIEW)
    # Approved, 600 € paid, proof due 30.09.2026 (3 months after the end) and not received.
    _approve(session, ids["bezahlt"], 100_000, date(2026, 2, 1))
    transition(
        session, ids["bezahlt"], GrantStatus.PAYING, amount_cents=60_000, on=date(2026, 2, 15)
    )
    _approve(session, ids["bewilligt"], 50_000, date(2026, 6, 1))
    plan_payment(session, ids["bewilligt"], 50_000, date(2027, 1, 15))
    transition(session, ids["abgelehnt"], GrantStatus.IN_REVIEW)
    transition(session, ids["abgelehnt"], GrantStatus.REJECTED, on=date(2026, 4, 1))
    _approve(session, ids["vorjahr"], 80_000, date(2025, 3, 1))
    transition(
        session, ids["vorjahr"], GrantStatus.PAYING, amount_cents=80_000, on=date(2025, 3, 15)
    )
    return ids


def _person(session: Session, first: str, last: str) -> Person:
    person = Person(
        first_name=first,
        last_name=last,
        name_folded=fold(f"{last} {first}"),
        search_text=search_blob(first, last),
    )
    session.add(person)
    session.flush()
    return person


def _groups_meetings_and_tasks(session: Session) -> dict[str, dict[str, int]]:
    groups = {
        "beirat": save_group(session, GroupData(name="Beirat für Migration und Integration")).id,
        "wohnen": save_group(session, GroupData(name="Arbeitskreis Wohnen")).id,
    }
    meetings = {}
    planned, cancelled = MeetingStatus.PLANNED, MeetingStatus.CANCELLED
    for key, group, starts, title, place, status in (
        ("oktober", "beirat", datetime(2026, 10, 20, 17), "Sitzung Oktober", "", planned),
        (
            "dezember",
            "beirat",
            datetime(2026, 12, 3, 17),
            "Sitzung Dezember",
            "Landratsamt",
            planned,
        ),
        ("wohnen", "wohnen", datetime(2026, 12, 10, 10), "4. Sitzung", "", planned),
        ("januar", "beirat", datetime(2027, 1, 20, 17), "Sitzung Januar", "", planned),
        ("abgesagt", "wohnen", datetime(2026, 11, 30, 10), "Abgesagt", "", cancelled),
    ):
        data = MeetingData(
            group_id=groups[group], starts_at=starts, title=title, place=place, status=status
        )
        meetings[key] = save_meeting(session, data).id
    olena = _person(session, "Олена", "Ткаченко")
    today = NOW.date()
    tasks = {}
    for key, title, group, meeting, due, status in (
        ("protokoll", "Protokoll versenden", "beirat", "oktober", date(2026, 11, 10), None),
        ("raum", "Raum buchen", "wohnen", None, date(2026, 11, 20), ActionStatus.IN_PROGRESS),
        ("flyer", "Flyer drucken", "beirat", None, date(2026, 12, 1), None),
        ("erledigt", "Einladung", "beirat", None, date(2026, 10, 1), ActionStatus.DONE),
        ("offen", "Ohne Frist", "wohnen", None, None, None),
    ):
        data = ActionItemData(
            title=title,
            group_id=groups[group],
            meeting_id=meetings[meeting] if meeting else None,
            owner_id=olena.id if key == "protokoll" else None,
            due_on=due,
            status=status or ActionStatus.OPEN,
        )
        tasks[key] = save_action_item(session, data, today=today).id
    return {"action_items": tasks, "meetings": meetings, "groups": groups}
