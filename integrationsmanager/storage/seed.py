"""Reference data every database starts with: the guidelines of the policy.

Seeded records get fixed uids (derived from the edition's uid), so every copy of the data
shares them. Seeding runs at every open and is idempotent: an edition that exists is never
seeded again, so guidelines that staff edited or retired stay as they left them.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from integrationsmanager.domain.common import Guideline, GuidelineEdition
from integrationsmanager.paths import seed_dir


def _load(name: str) -> dict[str, Any]:
    with (seed_dir() / name).open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def seed_reference_data(session: Session) -> None:
    seed_guidelines(session)


def seed_guidelines(session: Session) -> None:
    data = _load("guidelines.json")
    edition_uid = data["edition"]["uid"]
    exists = session.scalar(select(GuidelineEdition.id).where(GuidelineEdition.uid == edition_uid))
    if exists is not None:
        return
    has_current = session.scalar(select(GuidelineEdition.id).where(GuidelineEdition.current))
    edition = GuidelineEdition(
        uid=edition_uid,
        title=data["edition"]["title"],
        source=data["edition"]["source"],
        current=has_current is None,
    )
    session.add(edition)
    session.flush()
    namespace = uuid.UUID(edition_uid)
    for item in data["guidelines"]:
        session.add(
            Guideline(
                uid=str(uuid.uuid5(namespace, f"guideline-{item['number']}")),
                edition_id=edition.id,
                number=item["number"],
                title=item["title"],
                goals=item["goals"],
                typical_measures=item["typical_measures"],
            )
        )
