"""Demo indicator values: invented figures so that charts and reports have series to show.

The data lives in ``database/seed/demo_indicators.json`` and is written only into a demo
database, never by the seed: every value there carries the source "Beispieldaten …" and a
note saying it is no official figure, and the two extra indicators are called "(Beispiel)".
The real figures of the policy (``indicators.json``) stay as seeded; the demo adds values for
other years to them. What staff already have (an indicator of the same name, a value for the
same period) is left as it is, and an indicator that staff removed or renamed is left out.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from integrationsmanager.domain.enums import Direction
from integrationsmanager.paths import seed_dir
from integrationsmanager.services.indicators import (
    IndicatorData,
    ValueData,
    add_value,
    create_indicator,
    find_indicator,
    find_value,
)
from integrationsmanager.services.measures import guideline_by_number

DEMO_FILE = "demo_indicators.json"


def create_indicator_demo(session: Session) -> int:
    """Add the demo indicators and values; return the number of values added."""
    with (seed_dir() / DEMO_FILE).open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    source, note = data["source"], data["note"]
    added = 0
    for item in data["values"]:
        indicator = find_indicator(session, item["indicator"])
        if indicator is not None:
            added += _add(session, indicator.id, _value(item, source, note))
    for item in data["indicators"]:
        if find_indicator(session, item["name"]) is not None:
            continue
        guidelines = [guideline_by_number(session, n) for n in item["guidelines"]]
        indicator = create_indicator(
            session,
            IndicatorData(
                name=item["name"],
                unit=item["unit"],
                source=source,
                description=item["description"],
                direction=Direction(item["direction"]),
                target_value=Decimal(item["target_value"]),
                target_year=item["target_year"],
                guideline_ids=[g.id for g in guidelines if g is not None],
            ),
        )
        for value in item["values"]:
            added += _add(session, indicator.id, _value(value, source, note))
    return added


def _add(session: Session, indicator_id: int, data: ValueData) -> int:
    """Add the value unless its period and breakdown value already hold one; 1 if added."""
    assert data.period_year is not None
    if find_value(
        session, indicator_id, data.period_year, data.reference_date, data.breakdown_value
    ):
        return 0
    add_value(session, indicator_id, data)
    return 1


def _value(item: dict[str, Any], source: str, note: str) -> ValueData:
    when = date.fromisoformat(item["date"]) if "date" in item else None
    return ValueData(
        year=item.get("year"),
        reference_date=when,
        value=Decimal(item["value"]),
        breakdown_value=item.get("breakdown", ""),
        is_forecast=item.get("forecast", False),
        source=source,
        note=note,
    )
