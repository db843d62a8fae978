"""Reading the audit trail: one record's history, the global change log, and anonymising.

The entries are written by :mod:`integrationsmanager.storage.audit`; this module only
reads them (and blanks values for a DSGVO erasure, keeping the entries themselves).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, and_, func, or_, select
from sqlalchemy.orm import Session

from integrationsmanager.domain.audit import AuditEntry
from integrationsmanager.domain.base import Base
from integrationsmanager.domain.enums import AuditAction
from integrationsmanager.domain.funding import Grant
from integrationsmanager.domain.measures import Measure
from integrationsmanager.domain.meetings import Meeting
from integrationsmanager.domain.network import Organisation, Person
from integrationsmanager.storage.audit import AREAS, KIND_LABELS

ERASED = "[gelöscht]"

_NAME_COLUMNS: dict[str, tuple[type[Base], tuple[str, ...]]] = {
    "measure": (Measure, ("title",)),
    "organisation": (Organisation, ("name",)),
    "person": (Person, ("first_name", "last_name")),
    "meeting": (Meeting, ("title",)),
    "grant": (Grant, ("file_number", "project_title")),
}


@dataclass(frozen=True)
class AuditRow:
    """One changed field of one entry, as the history table shows it."""

    entry_id: int
    changed_at: datetime
    user: str
    action: str
    """German label: angelegt, geändert, gelöscht, importiert."""
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class ChangeFilter:
    date_from: date | None = None
    date_to: date | None = None
    user: str | None = None
    area: str | None = None
    search: str = ""


@dataclass(frozen=True)
class ChangeLogRow:
    """One entry of the global change log."""

    id: int
    changed_at: datetime
    user: str
    area: str
    kind: str
    """What the record is (Person, Maßnahme, …)."""
    table_name: str
    record_id: int
    record: str
    """The record's current name, or its id if it is gone."""
    action: str
    summary: str
    """The changed fields, "Feld: vorher → nachher; …"."""


def action_label(code: str) -> str:
    try:
        return AuditAction(code).label
    except ValueError:
        return code


def _table_name(table_name_or_kind: str | type[Base]) -> str:
    if isinstance(table_name_or_kind, str):
        return table_name_or_kind
    return str(table_name_or_kind.__tablename__)


def _changes(entry: AuditEntry) -> dict[str, list[str]]:
    try:
        data = json.loads(entry.changes or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def record_history(
    session: Session, table_name_or_kind: str | type[Base], record_id: int
) -> list[AuditRow]:
    """Every changed field of a record (with its child rows), newest entry first."""
    entries = session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.table_name == _table_name(table_name_or_kind),
            AuditEntry.record_id == record_id,
        )
        .order_by(AuditEntry.changed_at.desc(), AuditEntry.id.desc())
    )
    rows: list[AuditRow] = []
    for entry in entries:
        action = action_label(entry.action)
        changes = _changes(entry)
        if not changes:
            rows.append(AuditRow(entry.id, entry.changed_at, entry.user, action, "", "", ""))
        for name, pair in changes.items():
            old, new = [*pair, "", ""][:2]
            rows.append(
                AuditRow(entry.id, entry.changed_at, entry.user, action, name, str(old), str(new))
            )
    return rows


def _start_of(day: date) -> datetime:
    """Local midnight of ``day`` (the office's days, not UTC's)."""
    return datetime.combine(day, time.min).astimezone()


def _conditions(flt: ChangeFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if flt.date_from is not None:
        conditions.append(AuditEntry.changed_at >= _start_of(flt.date_from))
    if flt.date_to is not None:
        conditions.append(AuditEntry.changed_at < _start_of(flt.date_to + timedelta(days=1)))
    if flt.user:
        conditions.append(AuditEntry.user == flt.user)
    if flt.area:
        conditions.append(AuditEntry.area == flt.area)
    text = flt.search.strip()
    if text:
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        conditions.append(
            or_(
                AuditEntry.changes.ilike(pattern, escape="\\"),
                AuditEntry.user.ilike(pattern, escape="\\"),
            )
        )
    return conditions


_SORTS = {
    "changed_at": AuditEntry.changed_at,
    "user": AuditEntry.user,
    "area": AuditEntry.area,
    "action": AuditEntry.action,
    "record": AuditEntry.table_name,
}


def _ordered(statement: Select[Any], sort: str, descending: bool) -> Select[Any]:
    column = _SORTS.get(sort, AuditEntry.changed_at)
    if descending:
        return statement.order_by(column.desc(), AuditEntry.id.desc())
    return statement.order_by(column, AuditEntry.id)


def change_log_ids(
    session: Session, flt: ChangeFilter, *, sort: str = "changed_at", descending: bool = True
) -> list[int]:
    """Ids of the entries matching ``flt`` in order (for the lazy table)."""
    statement = select(AuditEntry.id).where(and_(True, *_conditions(flt)))
    return list(session.scalars(_ordered(statement, sort, descending)))


def change_log_rows(session: Session, ids: Sequence[int]) -> dict[int, ChangeLogRow]:
    """Display rows of the entries ``ids`` (one query, plus one per record table for names)."""
    entries = list(session.scalars(select(AuditEntry).where(AuditEntry.id.in_(ids))))
    names = _record_names(session, entries)
    return {e.id: _log_row(e, names) for e in entries}


def change_log(
    session: Session,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    user: str | None = None,
    area: str | None = None,
    search: str = "",
    offset: int = 0,
    limit: int = 200,
) -> list[ChangeLogRow]:
    """A page of the change log, newest first."""
    flt = ChangeFilter(date_from, date_to, user, area, search)
    statement = select(AuditEntry).where(and_(True, *_conditions(flt)))
    statement = _ordered(statement, "changed_at", True).offset(offset).limit(limit)
    entries = list(session.scalars(statement))
    names = _record_names(session, entries)
    return [_log_row(e, names) for e in entries]


def _record_names(session: Session, entries: Sequence[AuditEntry]) -> dict[tuple[str, int], str]:
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        wanted.setdefault(entry.table_name, set()).add(entry.record_id)
    names: dict[tuple[str, int], str] = {}
    for table_name, ids in wanted.items():
        if table_name not in _NAME_COLUMNS:
            continue
        model, columns = _NAME_COLUMNS[table_name]
        table: Table = model.__table__  # type: ignore[assignment]
        statement = select(table.c.id, *(table.c[c] for c in columns)).where(table.c.id.in_(ids))
        for row in session.execute(statement):
            names[(table_name, row[0])] = " ".join(str(p) for p in row[1:] if p)
    return names


def _log_row(entry: AuditEntry, names: dict[tuple[str, int], str]) -> ChangeLogRow:
    changes = _changes(entry)
    summary = "; ".join(
        f"{name}: {old or '–'} → {new or '–'}" for name, (old, new) in changes.items()
    )
    record = names.get((entry.table_name, entry.record_id)) or f"Nr. {entry.record_id}"
    return ChangeLogRow(
        id=entry.id,
        changed_at=entry.changed_at,
        user=entry.user,
        area=entry.area,
        kind=KIND_LABELS.get(entry.table_name, entry.table_name),
        table_name=entry.table_name,
        record_id=entry.record_id,
        record=record,
        action=action_label(entry.action),
        summary=summary,
    )


def audit_users(session: Session) -> list[str]:
    """Every login that appears in the audit trail, sorted."""
    users = session.scalars(
        select(AuditEntry.user).distinct().order_by(func.lower(AuditEntry.user))
    )
    return [u for u in users if u]


def audit_areas() -> list[str]:
    """The areas an entry can belong to, in the program's order."""
    return list(dict.fromkeys(AREAS.values()))


def anonymise_audit(
    session: Session,
    table_name: str,
    record_id: int,
    replacement: str = ERASED,
    *,
    mentions: Sequence[str] = (),
) -> int:
    """Blank the values of a record's entries (its child rows' included); keep the entries.

    ``mentions`` (e.g. the person's name) are also replaced wherever they appear in the
    values of other records' entries (an attendance, a grant's contact person). Returns
    the number of entries changed.
    """
    changed = 0
    own = session.scalars(
        select(AuditEntry).where(
            AuditEntry.table_name == table_name, AuditEntry.record_id == record_id
        )
    )
    for entry in own:
        blanked = {
            name: [replacement if old else "", replacement if new else ""]
            for name, (old, new) in _changes(entry).items()
        }
        entry.changes = json.dumps(blanked, ensure_ascii=False)
        changed += 1
    texts = [m for m in mentions if m.strip()]
    if texts:
        others = session.scalars(
            select(AuditEntry).where(
                or_(*(AuditEntry.changes.contains(m) for m in texts)),
                or_(AuditEntry.table_name != table_name, AuditEntry.record_id != record_id),
            )
        )
        for entry in others:
            values = _changes(entry)
            for pair in values.values():
                for i, value in enumerate(pair):
                    for text in texts:
                        value = value.replace(text, replacement)
                    pair[i] = value
            entry.changes = json.dumps(values, ensure_ascii=False)
            changed += 1
    session.flush()
    return changed
