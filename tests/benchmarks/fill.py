"""Fast bulk data for benchmarks: many realistic measures through core inserts."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime

from sqlalchemy import insert, select

from integrationsmanager.domain.common import Guideline
from integrationsmanager.domain.enums import MeasureStatus, Priority, Responsibility
from integrationsmanager.domain.measures import Measure
from integrationsmanager.domain.text import fold, search_blob
from integrationsmanager.storage.database import Database

TOPICS = (
    "Sprachkurse für Eltern",
    "Übergangsbegleitung Kita–Schule",
    "Berufsbezogene Sprachförderung",
    "Patenschaften für Neuzugewanderte",
    "Dolmetscherpool",
    "Освіта для дітей",
    "Beratung im Wohnumfeld",
    "Interkulturelles Fest",
    "Informationsabend Wahlrecht",
    "Antidiskriminierungsberatung",
    "Quartiersarbeit Altenburg-Nord",
    "Sportangebote für Jugendliche",
)
PLACES = ("Altenburg", "Schmölln", "Meuselwitz", "Gößnitz", "Lucka", "Nobitz", "Rositz")
TEXT = (
    "Die Ausgangslage im Landkreis zeigt einen wachsenden Bedarf; Träger, Kommunen und das "
    "Integrationsmanagement arbeiten zusammen, um Zugänge zu verbessern und Angebote zu bündeln."
)


def fill_measures(database: Database, count: int, *, seed: int = 7) -> None:
    rng = random.Random(seed)
    now = datetime.now(UTC)
    with database.session() as session:
        guideline_ids = list(session.scalars(select(Guideline.id).order_by(Guideline.number)))
        rows = []
        for n in range(count):
            title = f"{rng.choice(TOPICS)} in {rng.choice(PLACES)} ({n + 1})"
            start = date(rng.randint(2022, 2027), rng.randint(1, 12), 1)
            rows.append(
                {
                    "uid": str(uuid.uuid4()),
                    "created_at": now,
                    "updated_at": now,
                    "updated_by": "benchmark",
                    "guideline_id": rng.choice(guideline_ids),
                    "title": title,
                    "title_folded": fold(title),
                    "baseline": TEXT,
                    "goal": TEXT,
                    "implementation": TEXT,
                    "responsibility": rng.choice(list(Responsibility)).value,
                    "status": rng.choice(list(MeasureStatus)).value,
                    "priority": rng.choice(list(Priority)).value,
                    "start_date": start,
                    "end_date": date(start.year + rng.randint(0, 2), 12, 31),
                    "planned_budget_cents": rng.randint(0, 5_000_000),
                    "spent_cents": rng.randint(0, 1_000_000),
                    "planning_document": "none",
                    "planning_document_note": "",
                    "search_text": search_blob(title, TEXT, TEXT, TEXT),
                }
            )
        session.execute(insert(Measure), rows)
