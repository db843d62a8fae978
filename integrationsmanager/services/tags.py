"""Free keywords shared by measures, organisations and people."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from integrationsmanager.domain.common import Tag
from integrationsmanager.domain.text import clean_line, fold


def split_tags(text: str) -> list[str]:
    """Tags typed as ``a, b; c`` → ``["a", "b", "c"]`` without empties or repeats."""
    seen: dict[str, str] = {}
    for part in text.replace(";", ",").split(","):
        name = clean_line(part)
        if name and fold(name) not in seen:
            seen[fold(name)] = name[:100]
    return list(seen.values())


def resolve_tags(session: Session, names: list[str]) -> list[Tag]:
    """The tags of these names, created where new; names are cleaned as :func:`split_tags` does."""
    tags: list[Tag] = []
    for raw in names:
        name = clean_line(raw)[:100]
        if not name:
            continue
        folded = fold(name)[:100]
        tag = session.scalars(select(Tag).where(Tag.name_folded == folded).limit(1)).first()
        if tag is None:
            tag = Tag(name=name, name_folded=folded)
            session.add(tag)
        if tag not in tags:
            tags.append(tag)
    return tags
