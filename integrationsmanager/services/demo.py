"""Demo data: the office's network and measures, for trying the program, training and screenshots.

The data lives in ``database/seed/demo_measures.json`` so that it stays readable German text,
not code. It describes the office as it stands on :data:`AS_OF`: statuses, dates and progress
entries fit that day and nothing depends on the clock, so screenshots stay the same.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from integrationsmanager.domain.common import Guideline
from integrationsmanager.domain.enums import (
    MeasureStatus,
    OrganisationKind,
    PlanningDocument,
    Priority,
    Responsibility,
)
from integrationsmanager.domain.errors import UserError
from integrationsmanager.domain.measures import Measure
from integrationsmanager.domain.network import Organisation
from integrationsmanager.paths import seed_dir
from integrationsmanager.services.demo_funding import create_funding_demo
from integrationsmanager.services.demo_indicators import create_indicator_demo
from integrationsmanager.services.demo_network import create_network_demo
from integrationsmanager.services.measures import (
    MeasureData,
    add_progress,
    guideline_by_number,
    save_measure,
)
from integrationsmanager.services.organisations import (
    OrganisationData,
    find_by_name,
    save_organisation,
)

DEMO_FILE = "demo_measures.json"

AS_OF = date(2026, 11, 1)
"""The day the demo data describes: running measures span it, progress entries precede it."""

ALREADY_FILLED = (
    "Die Datenbank enthält bereits Daten. Beispieldaten werden nur in eine leere Datenbank "
    "geschrieben – bitte eine neue Datei wählen."
)


def has_data(session: Session) -> bool:
    """True if the database holds any measure (the GUI's ``--demo`` fills only empty ones)."""
    return session.scalar(select(Measure.id).limit(1)) is not None


def load_demo_file() -> dict[str, Any]:
    """The demo data set as stored: ``organisations`` and ``measures``."""
    with (seed_dir() / DEMO_FILE).open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def create_demo_data(session: Session) -> str:
    """Fill an empty database with the demo data set; return a short German summary.

    Organisations that already exist under the same name are kept as they are and linked.
    Raises :class:`UserError` if the database already holds measures.
    """
    if has_data(session):
        raise UserError(ALREADY_FILLED)
    data = load_demo_file()
    guidelines = _guidelines(session, data)
    for item in data["organisations"]:
        _add_organisation(session, item, guidelines)
    session.flush()
    progress_entries = 0
    for item in data["measures"]:
        measure = save_measure(session, _measure_data(item, guidelines)).measure
        for entry in item.get("progress", []):
            add_progress(
                session,
                measure.id,
                entry["text"],
                on=date.fromisoformat(entry["date"]),
                author=entry["author"],
            )
            progress_entries += 1
    session.flush()
    network = create_network_demo(session)
    grants = create_funding_demo(session)
    indicator_values = create_indicator_demo(session)
    return (
        f"{len(data['measures'])} Maßnahmen, {len(data['organisations'])} Organisationen, "
        f"{progress_entries} Fortschrittseinträge, {network['persons']} Personen, "
        f"{network['groups']} Gremien, {network['meetings']} Sitzungen, "
        f"{network['action_items']} Aufgaben, {grants} Zuwendungen, "
        f"{indicator_values} Kennzahlenwerte"
    )


def _guidelines(session: Session, data: dict[str, Any]) -> dict[int, Guideline]:
    """The guidelines the data refers to, by number; staff may have retired or removed some."""
    numbers = {item["guideline"] for item in data["measures"]}
    for item in data["organisations"]:
        numbers.update(item.get("guidelines", []))
    found: dict[int, Guideline] = {}
    for number in sorted(numbers):
        guideline = guideline_by_number(session, number)
        if guideline is None:
            raise UserError(
                f"Leitlinie {number} fehlt in der Datenbank; die Beispieldaten brauchen die "
                "Leitlinien 1 bis 8 der Sozialstrategie."
            )
        found[number] = guideline
    return found


def _add_organisation(
    session: Session, item: dict[str, Any], guidelines: dict[int, Guideline]
) -> Organisation:
    existing = find_by_name(session, item["name"])
    if existing is not None:
        return existing
    data = OrganisationData(
        name=item["name"],
        kind=OrganisationKind(item["kind"]),
        street=item.get("street", ""),
        postcode=item.get("postcode", ""),
        city=item.get("city", ""),
        municipality=item.get("municipality", ""),
        phone=item.get("phone", ""),
        email=item.get("email", ""),
        website=item.get("website", ""),
        register_number=item.get("register_number", ""),
        notes=item.get("notes", ""),
        active=item.get("active", True),
        guideline_ids=[guidelines[n].id for n in item.get("guidelines", [])],
        tags=item.get("tags", []),
    )
    return save_organisation(session, data)


def _optional_date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _measure_data(item: dict[str, Any], guidelines: dict[int, Guideline]) -> MeasureData:
    return MeasureData(
        title=item["title"],
        guideline_id=guidelines[item["guideline"]].id,
        baseline=item["baseline"],
        goal=item["goal"],
        implementation=item["implementation"],
        responsibility=Responsibility(item["responsibility"]),
        status=MeasureStatus(item["status"]),
        priority=Priority(item["priority"]),
        start_date=_optional_date(item.get("start")),
        end_date=_optional_date(item.get("end")),
        lead_organisation=item.get("lead", ""),
        partners=item.get("partners", []),
        planned_budget_cents=item.get("planned_budget_cents"),
        spent_cents=item.get("spent_cents"),
        planning_document=PlanningDocument(item.get("planning_document", "none")),
        planning_document_note=item.get("planning_document_note", ""),
        tags=item.get("tags", []),
    )
