"""Demo data for the network: people, working groups, their meetings and action items.

Read from ``database/seed/demo_network.json``. Past meetings describe the office as of the
demo's reference day; upcoming meetings are placed relative to today ("+14" = in two weeks),
so a fresh demo always has a next meeting to prepare.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from integrationsmanager.domain.enums import (
    ActionStatus,
    AttendanceStatus,
    GroupKind,
    MeetingStatus,
    MemberRole,
)
from integrationsmanager.domain.measures import Measure
from integrationsmanager.paths import seed_dir
from integrationsmanager.services import action_items, meetings
from integrationsmanager.services.measures import guideline_by_number
from integrationsmanager.services.persons import PersonData, RoleData, save_person

DEMO_FILE = "demo_network.json"
CONSENT_PURPOSE = "Zusammenarbeit im Netzwerk Integration (Einladungen, Protokolle)"


def load_network_file() -> dict[str, Any]:
    with (seed_dir() / DEMO_FILE).open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def create_network_demo(session: Session, *, today: date | None = None) -> dict[str, int]:
    """Add people, groups, meetings and action items; returns counts for the summary."""
    data = load_network_file()
    persons = {item["key"]: _person(session, item) for item in data["persons"]}
    groups = {item["key"]: _group(session, item, persons) for item in data["groups"]}
    measures = {
        title: measure_id
        for title, measure_id in session.execute(select(Measure.title, Measure.id))
    }
    day = today or date.today()
    tasks = 0
    for item in data["meetings"]:
        tasks += _meeting(session, item, groups, persons, measures, day)
    return {
        "persons": len(persons),
        "groups": len(groups),
        "meetings": len(data["meetings"]),
        "action_items": tasks,
    }


def _person(session: Session, item: dict[str, Any]) -> int:
    data = PersonData(
        salutation=item.get("salutation", ""),
        title=item.get("title", ""),
        first_name=item["first_name"],
        last_name=item["last_name"],
        emails=item.get("emails", []),
        phones=item.get("phones", []),
        languages=item.get("languages", ""),
        municipality=item.get("municipality", ""),
        roles=[RoleData(organisation_name=item["organisation"], function=item["function"])],
        tags=item.get("tags", []),
        consent_given_on=date(2025, 1, 15),
        consent_purpose=CONSENT_PURPOSE,
        consent_how="schriftlich",
        consent_withdrawn_on=(
            date.fromisoformat(item["consent_withdrawn_on"])
            if "consent_withdrawn_on" in item
            else None
        ),
        legal_basis="Einwilligung (Art. 6 Abs. 1 lit. a DSGVO)",
        purpose=CONSENT_PURPOSE,
        source="Beispieldaten",
    )
    return save_person(session, data).id


def _group(session: Session, item: dict[str, Any], persons: dict[str, int]) -> int:
    guideline_ids = []
    for number in item["guidelines"]:
        guideline = guideline_by_number(session, number)
        if guideline is not None:
            guideline_ids.append(guideline.id)
    group = meetings.save_group(
        session,
        meetings.GroupData(
            name=item["name"],
            kind=GroupKind(item["kind"]),
            guideline_ids=guideline_ids,
            usual_place=item["usual_place"],
            rhythm=item["rhythm"],
        ),
    )
    meetings.set_members(
        session, group.id, [(persons[key], MemberRole(role)) for key, role in item["members"]]
    )
    return group.id


def _when(text: str, today: date) -> datetime:
    """``2026-03-10T14:00``, or ``+14T14:00`` for a day relative to ``today``."""
    if text.startswith("+"):
        days, clock = text[1:].split("T")
        day = today + timedelta(days=int(days))
        return datetime.combine(day, datetime.strptime(clock, "%H:%M").time())
    return datetime.fromisoformat(text)


def _meeting(
    session: Session,
    item: dict[str, Any],
    groups: dict[str, int],
    persons: dict[str, int],
    measures: dict[str, int],
    today: date,
) -> int:
    meeting = meetings.save_meeting(
        session,
        meetings.MeetingData(
            group_id=groups[item["group"]],
            starts_at=_when(item["starts"], today),
            ends_at=_when(item["ends"], today),
            title=item["title"],
            place=item["place"],
            status=MeetingStatus(item["status"]),
        ),
    )
    for key, status in item["attendance"].items():
        meetings.set_attendance(session, meeting.id, persons[key], AttendanceStatus(status))
    for agenda in item["agenda"]:
        added = meetings.add_agenda_item(
            session,
            meeting.id,
            meetings.AgendaItemData(
                title=agenda["title"],
                presenter_id=persons.get(agenda.get("presenter", "")),
                planned_minutes=agenda.get("minutes"),
                measure_id=measures.get(agenda.get("measure", "")),
            ),
        )
        if agenda.get("notes") or agenda.get("decisions"):
            meetings.record_minutes(
                session, added.id, agenda.get("notes", ""), agenda.get("decisions", "")
            )
    for task in item["actions"]:
        action_items.save_action_item(
            session,
            action_items.ActionItemData(
                title=task["title"],
                meeting_id=meeting.id,
                owner_id=persons[task["owner"]],
                due_on=date.fromisoformat(task["due"]),
                status=ActionStatus(task["status"]),
                done_on=date.fromisoformat(task["done"]) if task.get("done") else None,
                measure_id=measures.get(task.get("measure", "")),
            ),
            today=today,
        )
    return len(item["actions"])
