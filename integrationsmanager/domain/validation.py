"""Validation rules of records, shared by editors, imports and the command line.

Each function returns a mapping from field name to a German message; empty means valid.
Editors show the message next to the field, imports prefix it with the row number.
"""

from __future__ import annotations

from datetime import date

FIELD_LABELS = {
    "title": "Titel",
    "guideline": "Leitlinie",
    "status": "Status",
    "responsibility": "Zuständigkeit",
    "priority": "Priorität",
    "start_date": "Beginn",
    "end_date": "Ende",
    "planned_budget": "Budget geplant",
    "spent": "Ausgegeben",
    "planning_document": "Fachplanung",
}

TITLE_MAX = 500


def validate_measure(
    *,
    title: str,
    guideline_id: int | None,
    start_date: date | None,
    end_date: date | None,
    planned_budget_cents: int | None,
    spent_cents: int | None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = "Bitte einen Titel eingeben."
    elif len(title) > TITLE_MAX:
        errors["title"] = f"Der Titel ist zu lang (höchstens {TITLE_MAX} Zeichen)."
    if guideline_id is None:
        errors["guideline"] = "Bitte eine Leitlinie wählen."
    if start_date and end_date and end_date < start_date:
        errors["end_date"] = "Das Ende liegt vor dem Beginn."
    if planned_budget_cents is not None and planned_budget_cents < 0:
        errors["planned_budget"] = "Das geplante Budget darf nicht negativ sein."
    if spent_cents is not None and spent_cents < 0:
        errors["spent"] = "Der ausgegebene Betrag darf nicht negativ sein."
    return errors
