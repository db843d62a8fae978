"""The audit trail, written automatically for every flush (no service has to remember it).

Mapper events (after insert/update/delete) note each changed row of an audited table while
its attribute history is still there; the session's ``after_flush`` then merges the notes
per record and writes one :class:`AuditEntry` per record and flush with a Core
``executemany``, in the same transaction: a rollback leaves no entry behind. Rows the user
sees as part of a record (a person's e-mail addresses, a grant's payments, …) are recorded
against that record under a field name such as "E-Mail" or "Zahlung".

Bulk writers that bypass the ORM call :func:`record_bulk_insert` (one entry per record).
Values are stored as text: dates ISO, money in euros, codes by their German label.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, event, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import InstanceState, Mapper, Session, object_session, sessionmaker
from sqlalchemy.orm.attributes import History
from sqlalchemy.orm.util import identity_key

from integrationsmanager.domain.audit import AuditEntry
from integrationsmanager.domain.base import Base, new_uid, utcnow
from integrationsmanager.domain.common import Guideline, Tag
from integrationsmanager.domain.enums import (
    ActivityKind,
    AttendanceStatus,
    AuditAction,
    FundingKind,
    GrantStatus,
    LabelledEnum,
    MeasureStatus,
    MeetingStatus,
    OrganisationKind,
    PaymentStatus,
    PlanningDocument,
    Priority,
    Responsibility,
)
from integrationsmanager.domain.funding import FundingProgram, Grant, GrantStatusChange, Payment
from integrationsmanager.domain.labels import (
    CONSENT_DATE_LABELS,
    ORGANISATION_FIELD_LABELS,
    PERSON_FIELD_LABELS,
)
from integrationsmanager.domain.measures import Measure, ProgressEntry
from integrationsmanager.domain.meetings import AgendaItem, Attendance, Meeting, WorkingGroup
from integrationsmanager.domain.money import format_money
from integrationsmanager.domain.network import (
    Activity,
    Organisation,
    Person,
    PersonEmail,
    PersonPhone,
    PersonRole,
)
from integrationsmanager.storage.tracking import session_user

PENDING_KEY = "audit_pending"
LOOKUP_KEY = "audit_lookups"

AREAS = {
    "measure": "Maßnahmen",
    "organisation": "Netzwerk",
    "person": "Netzwerk",
    "meeting": "Arbeitskreise",
    "grant": "Förderung",
}
"""Audited record tables and the area each belongs to."""

KIND_LABELS = {
    "measure": "Maßnahme",
    "organisation": "Organisation",
    "person": "Person",
    "meeting": "Sitzung",
    "grant": "Zuwendung",
}

TECHNICAL = frozenset(
    {"id", "uid", "created_at", "updated_at", "updated_by", "search_text", "ics_sequence"}
)

FIELD_LABELS: dict[str, dict[str, str]] = {
    "measure": {
        "guideline_id": "Leitlinie",
        "title": "Titel",
        "baseline": "Ausgangslage",
        "goal": "Ziel",
        "implementation": "Umsetzung",
        "responsibility": "Zuständigkeit",
        "status": "Status",
        "priority": "Priorität",
        "start_date": "Beginn",
        "end_date": "Ende",
        "lead_organisation_id": "Federführung",
        "planned_budget_cents": "Budget geplant",
        "spent_cents": "Ausgegeben",
        "planning_document": "Fachplanung",
        "planning_document_note": "Anmerkung zur Fachplanung",
        "partners": "Partner",
        "tags": "Schlagwörter",
    },
    "organisation": {
        **ORGANISATION_FIELD_LABELS,
        "active": "Organisation ist aktiv",
    },
    "person": {
        **PERSON_FIELD_LABELS,
        **CONSENT_DATE_LABELS,
        "notes": "Notizen",
        "erased": "Gelöscht (Art. 17)",
        "tags": "Schlagwörter",
    },
    "meeting": {
        "group_id": "Gremium",
        "title": "Titel",
        "starts_at": "Beginn",
        "ends_at": "Ende",
        "place": "Ort",
        "online_link": "Online-Link",
        "status": "Status",
        "notes": "Notizen",
    },
    "grant": {
        "file_number": "Aktenzeichen",
        "program_id": "Förderprogramm",
        "budget_year": "Haushaltsjahr",
        "recipient_id": "Empfänger",
        "contact_person_id": "Ansprechperson",
        "project_title": "Projekttitel",
        "description": "Beschreibung",
        "measure_id": "Maßnahme",
        "period_start": "Beginn",
        "period_end": "Ende",
        "total_cost_cents": "Gesamtkosten",
        "own_contribution_cents": "Eigenanteil",
        "third_party_cents": "Drittmittel",
        "requested_cents": "Beantragt",
        "approved_cents": "Bewilligt",
        "received_on": "Eingang",
        "decided_on": "Bescheid am",
        "status": "Status",
        "proof_due_on": "Verwendungsnachweis fällig",
        "proof_received_on": "Verwendungsnachweis eingegangen",
        "proof_checked_on": "Verwendungsnachweis geprüft",
        "accepted_cents": "Anerkannt",
        "repayment_cents": "Rückforderung",
        "repayment_on": "Rückforderung am",
        "guidelines": "Leitlinien",
    },
    "person_email": {"address": "Adresse", "label": "Bezeichnung"},
    "person_phone": {"number": "Nummer", "label": "Bezeichnung"},
    "person_role": {
        "organisation_id": "Organisation",
        "function": "Funktion",
        "valid_from": "von",
        "valid_to": "bis",
    },
    "progress_entry": {"entry_date": "Datum", "author": "Verfasst von", "text": "Text"},
    "agenda_item": {
        "position": "Nummer",
        "title": "Titel",
        "presenter_id": "Vortragende Person",
        "presenter_text": "Vortragende Person (Text)",
        "planned_minutes": "Minuten",
        "measure_id": "Maßnahme",
        "minutes": "Protokoll",
        "decisions": "Beschlüsse",
    },
    "attendance": {"person_id": "Person", "status": "Status"},
    "payment": {
        "amount_cents": "Betrag",
        "due_on": "Fällig am",
        "paid_on": "Gezahlt am",
        "status": "Status",
        "note": "Anmerkung",
    },
    "grant_status_change": {
        "from_status": "von",
        "to_status": "nach",
        "changed_at": "Zeitpunkt",
        "changed_by": "Benutzer",
        "note": "Anmerkung",
    },
    "activity": {
        "happened_on": "Datum",
        "kind": "Art",
        "subject": "Betreff",
        "text": "Text",
        "author": "Verfasst von",
    },
}
"""German field names as the forms show them, per table; other columns keep their name."""

ENUMS: dict[str, type[LabelledEnum]] = {
    "measure.responsibility": Responsibility,
    "measure.status": MeasureStatus,
    "measure.priority": Priority,
    "measure.planning_document": PlanningDocument,
    "organisation.kind": OrganisationKind,
    "meeting.status": MeetingStatus,
    "grant.status": GrantStatus,
    "grant_status_change.from_status": GrantStatus,
    "grant_status_change.to_status": GrantStatus,
    "payment.status": PaymentStatus,
    "attendance.status": AttendanceStatus,
    "activity.kind": ActivityKind,
    "funding_program.funding_kind": FundingKind,
}

_NAMED: dict[str, tuple[type[Base], Callable[[Any], str]]] = {
    "guideline_id": (Guideline, lambda g: g.label),
    "lead_organisation_id": (Organisation, lambda o: o.name),
    "organisation_id": (Organisation, lambda o: o.name),
    "recipient_id": (Organisation, lambda o: o.name),
    "program_id": (FundingProgram, lambda p: p.name),
    "contact_person_id": (Person, lambda p: p.full_name),
    "presenter_id": (Person, lambda p: p.full_name),
    "person_id": (Person, lambda p: p.full_name),
    "measure_id": (Measure, lambda m: m.title),
    "group_id": (WorkingGroup, lambda g: g.name),
}
"""Foreign keys shown by the name of the record they point to (looked up on change only)."""

_COLLECTION_ITEM: dict[type[Base], Callable[[Any], str]] = {
    Tag: lambda t: t.name,
    Organisation: lambda o: o.name,
    Guideline: lambda g: g.label,
}


@dataclass(frozen=True)
class _Child:
    """A table whose rows are part of a record: how to find the record and name the row."""

    label: str
    parents: tuple[tuple[str, type[Base]], ...]
    """(foreign-key column, record class); the first that is set names the record."""
    summary: Callable[[Mapping[str, str]], str]
    """The row in one line, from its rendered values."""


def _join(*parts: str) -> str:
    return " – ".join(p for p in parts if p)


_CHILDREN: dict[type[Base], _Child] = {
    PersonEmail: _Child("E-Mail", (("person_id", Person),), lambda v: v.get("address", "")),
    PersonPhone: _Child(
        "Telefon",
        (("person_id", Person),),
        lambda v: _join(v.get("number", ""), v.get("label", "")),
    ),
    PersonRole: _Child(
        "Funktion",
        (("person_id", Person),),
        lambda v: _join(v.get("function", ""), v.get("organisation_id", "")),
    ),
    ProgressEntry: _Child(
        "Fortschritt",
        (("measure_id", Measure),),
        lambda v: _join(v.get("entry_date", ""), v.get("text", "")),
    ),
    AgendaItem: _Child(
        "Tagesordnungspunkt",
        (("meeting_id", Meeting),),
        lambda v: f"TOP {v.get('position', '')}: {v.get('title', '')}",
    ),
    Attendance: _Child(
        "Teilnahme",
        (("meeting_id", Meeting),),
        lambda v: _join(v.get("person_id", ""), v.get("status", "")),
    ),
    Payment: _Child(
        "Zahlung",
        (("grant_id", Grant),),
        lambda v: _join(
            v.get("amount_cents", ""), v.get("status", ""), v.get("paid_on") or v.get("due_on", "")
        ),
    ),
    GrantStatusChange: _Child(
        "Statuswechsel",
        (("grant_id", Grant),),
        lambda v: _join(
            f"{v.get('from_status', '')} → {v.get('to_status', '')}", v.get("note", "")
        ),
    ),
    Activity: _Child(
        "Kontaktverlauf",
        (
            ("person_id", Person),
            ("organisation_id", Organisation),
            ("measure_id", Measure),
            ("grant_id", Grant),
        ),
        lambda v: _join(v.get("happened_on", ""), v.get("subject", "")),
    ),
}

_ROOTS: dict[str, type[Base]] = {
    "measure": Measure,
    "organisation": Organisation,
    "person": Person,
    "meeting": Meeting,
    "grant": Grant,
}
_ROOT_COLLECTIONS: dict[type[Base], tuple[str, ...]] = {
    Measure: ("partners", "tags"),
    Organisation: ("guidelines", "tags"),
    Person: ("tags",),
    Grant: ("guidelines",),
}


def field_label(table_name: str, column: str) -> str:
    return FIELD_LABELS.get(table_name, {}).get(column, column)


def render_value(table_name: str, column: str, value: Any) -> str:
    """A stored value as the user reads it (foreign keys are named by :class:`_Lookups`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, datetime):
        local = value.astimezone() if value.tzinfo is not None else value
        return local.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if column.endswith("_cents") and isinstance(value, int):
        return format_money(value).replace("\xa0", " ")
    enum = ENUMS.get(f"{table_name}.{column}")
    if enum is not None:
        try:
            return enum(value).label
        except ValueError:
            return str(value)
    return str(value)


def _audited_column(table_name: str, key: str) -> bool:
    return key not in TECHNICAL and not key.endswith("_folded")


class _Lookups:
    """Names of records pointed to by foreign keys, read once per session."""

    def __init__(self, session: Session, connection: Connection) -> None:
        self.session = session
        self.connection = connection
        self.cache: dict[tuple[str, int], str] = session.info.setdefault(LOOKUP_KEY, {})

    def name(self, column: str, value: int) -> str:
        model, name_of = _NAMED[column]
        key = (model.__tablename__, value)
        if key not in self.cache:
            obj = self.session.identity_map.get(identity_key(model, value))
            if obj is None:
                with self.session.no_autoflush:
                    obj = self.session.get(model, value)
            self.cache[key] = name_of(obj) if obj is not None else f"#{value}"
        return self.cache[key]

    def uid(self, model: type[Base], record_id: int) -> str:
        obj = self.session.identity_map.get(identity_key(model, record_id))
        if obj is not None:
            return cast(str, obj.uid)  # type: ignore[attr-defined]
        table = cast(Table, model.__table__)
        found = self.connection.execute(select(table.c.uid).where(table.c.id == record_id)).scalar()
        return found or ""


@dataclass
class _Note:
    """One changed row, rendered while its history is still there."""

    model: type[Base]
    action: AuditAction
    record_id: int
    values: dict[str, Any]
    old: dict[str, Any]
    collections: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)


def _columns(mapper: Mapper[Any]) -> list[str]:
    table_name = mapper.local_table.name  # type: ignore[attr-defined]
    return [c.key for c in mapper.column_attrs if _audited_column(table_name, c.key)]


def _note(target: Any, action: AuditAction) -> None:
    session = object_session(target)
    if session is None:
        return
    state: InstanceState[Any] = cast(InstanceState[Any], target._sa_instance_state)
    mapper = state.mapper
    loaded = state.dict
    values: dict[str, Any] = {}
    old: dict[str, Any] = {}
    for key in _columns(mapper):
        if key not in loaded:
            continue
        values[key] = loaded[key]
        if action is AuditAction.UPDATE:
            history: History = state.attrs[key].history
            if history.deleted:
                old[key] = history.deleted[0]
            elif history.added:
                old[key] = None
            else:
                old[key] = loaded[key]
    note = _Note(type(target), action, target.id, values, old)
    if action is not AuditAction.DELETE:
        for name in _ROOT_COLLECTIONS.get(type(target), ()):
            history = state.attrs[name].history
            if history.added or history.deleted:
                before = [*history.unchanged, *history.deleted]
                after = [*history.unchanged, *history.added]
                note.collections[name] = (_items(before), _items(after))
    session.info.setdefault(PENDING_KEY, []).append(note)


def _items(objects: Sequence[Any]) -> list[str]:
    return sorted(_COLLECTION_ITEM[type(o)](o) for o in objects)


def _after_insert(_mapper: Mapper[Any], _connection: Connection, target: Any) -> None:
    _note(target, AuditAction.INSERT)


def _after_update(_mapper: Mapper[Any], _connection: Connection, target: Any) -> None:
    _note(target, AuditAction.UPDATE)


def _after_delete(_mapper: Mapper[Any], _connection: Connection, target: Any) -> None:
    _note(target, AuditAction.DELETE)


for _model in (*_ROOTS.values(), *_CHILDREN):
    event.listen(_model, "after_insert", _after_insert)
    event.listen(_model, "after_update", _after_update)
    event.listen(_model, "after_delete", _after_delete)


@dataclass
class _Entry:
    table_name: str
    record_id: int
    record_uid: str
    action: AuditAction
    changes: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, old: str, new: str) -> None:
        key, n = name, 1
        while key in self.changes:
            n += 1
            key = f"{name} ({n})"
        self.changes[key] = [old, new]


class _Writer:
    """Turns the flush's notes into one entry per record."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.lookups = _Lookups(session, session.connection())
        self.entries: dict[tuple[str, int], _Entry] = {}

    def rendered(self, table_name: str, values: Mapping[str, Any]) -> dict[str, str]:
        out: dict[str, str] = {}
        for key, value in values.items():
            if key in _NAMED and isinstance(value, int):
                out[key] = self.lookups.name(key, value)
            else:
                out[key] = render_value(table_name, key, value)
        return out

    def entry(self, table_name: str, record_id: int, uid: str | None) -> _Entry:
        key = (table_name, record_id)
        if key not in self.entries:
            if uid is None:
                uid = self.lookups.uid(_ROOTS[table_name], record_id)
            self.entries[key] = _Entry(table_name, record_id, uid, AuditAction.UPDATE)
        return self.entries[key]

    def add_root(self, note: _Note) -> None:
        table_name = note.model.__tablename__
        entry = self.entry(table_name, note.record_id, str(note.values.get("uid", "")) or None)
        if note.action is not AuditAction.UPDATE:
            entry.action = note.action
        new = self.rendered(table_name, note.values)
        old = self.rendered(table_name, note.old) if note.action is AuditAction.UPDATE else {}
        for key, text in new.items():
            if note.values[key] is False and note.action is not AuditAction.UPDATE:
                continue
            if note.action is AuditAction.INSERT and text:
                entry.add(field_label(table_name, key), "", text)
            elif note.action is AuditAction.DELETE and text:
                entry.add(field_label(table_name, key), text, "")
            elif note.action is AuditAction.UPDATE and key in old and old[key] != text:
                entry.add(field_label(table_name, key), old[key], text)
        for name, (before, after) in note.collections.items():
            entry.add(field_label(table_name, name), ", ".join(before), ", ".join(after))

    def add_child(self, note: _Note, child: _Child) -> None:
        parent = next(
            (
                (model, note.values[column])
                for column, model in child.parents
                if note.values.get(column)
            ),
            None,
        )
        if parent is None:
            return
        model, parent_id = parent
        table_name = model.__tablename__
        own = note.model.__tablename__
        skip = {column for column, _ in child.parents}
        new = self.rendered(own, {k: v for k, v in note.values.items() if k not in skip})
        entry = self.entry(table_name, parent_id, None)
        if note.action is AuditAction.INSERT:
            entry.add(child.label, "", child.summary(new))
        elif note.action is AuditAction.DELETE:
            entry.add(child.label, child.summary(new), "")
        else:
            old = self.rendered(own, {k: v for k, v in note.old.items() if k not in skip})
            name = child.summary(old)
            for key, text in new.items():
                if key in old and old[key] != text:
                    entry.add(f"{child.label} „{name}“: {field_label(own, key)}", old[key], text)

    def write(self, notes: Iterable[_Note]) -> None:
        for note in notes:
            child = _CHILDREN.get(note.model)
            if child is None:
                self.add_root(note)
            else:
                self.add_child(note, child)
        now = utcnow()
        user = session_user(self.session)
        rows = [
            {
                "uid": new_uid(),
                "changed_at": now,
                "user": user,
                "area": AREAS[e.table_name],
                "table_name": e.table_name,
                "record_id": e.record_id,
                "record_uid": e.record_uid,
                "action": e.action.value,
                "changes": json.dumps(e.changes, ensure_ascii=False),
            }
            for e in self.entries.values()
            if e.changes or e.action is not AuditAction.UPDATE
        ]
        if rows:
            self.session.connection().execute(insert(AuditEntry), rows)


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    """Load what a deletion entry needs before the row is gone."""
    session.info.pop(PENDING_KEY, None)
    for obj in session.deleted:
        if type(obj) in _ROOTS.values() or type(obj) in _CHILDREN:
            state = cast(InstanceState[Any], obj._sa_instance_state)
            for key in state.unloaded & set(_columns(state.mapper)):
                getattr(obj, key)


def _after_flush(session: Session, _context: Any) -> None:
    notes: list[_Note] = session.info.pop(PENDING_KEY, [])
    if notes:
        _Writer(session).write(notes)


def _after_rollback(session: Session) -> None:
    session.info.pop(PENDING_KEY, None)
    session.info.pop(LOOKUP_KEY, None)


def _after_commit(session: Session) -> None:
    session.info.pop(LOOKUP_KEY, None)


def install_audit(sessions: sessionmaker[Session]) -> None:
    """Write the audit trail for sessions made by ``sessions``."""
    event.listen(sessions, "before_flush", _before_flush)
    event.listen(sessions, "after_flush", _after_flush)
    event.listen(sessions, "after_soft_rollback", lambda s, _t: _after_rollback(s))
    event.listen(sessions, "after_commit", _after_commit)


_BULK_NAMES: dict[type[Base], tuple[str, ...]] = {
    Person: ("first_name", "last_name"),
    Organisation: ("name",),
    Measure: ("title",),
}


def record_bulk_insert(
    session: Session, model: type[Person] | type[Organisation] | type[Measure], ids: Sequence[int]
) -> None:
    """One "importiert" entry (with the name) per record a bulk writer inserted.

    For writers that bypass the ORM (the contact and measure imports): one select of the new
    rows and one ``executemany``, so 10,000 people cost a fraction of a second.
    """
    if not ids:
        return
    table = cast(Table, model.__table__)
    names = _BULK_NAMES[model]
    connection = session.connection()
    low, high = min(ids), max(ids)
    wanted = set(ids)
    found = connection.execute(
        select(table.c.id, table.c.uid, *(table.c[n] for n in names)).where(
            table.c.id.between(low, high)
        )
    )
    now = utcnow()
    user = session_user(session)
    area = AREAS[table.name]
    action = AuditAction.IMPORT.value
    rows = [
        {
            "uid": new_uid(),
            "changed_at": now,
            "user": user,
            "area": area,
            "table_name": table.name,
            "record_id": row[0],
            "record_uid": row[1],
            "action": action,
            "changes": json.dumps(
                {"Name": ["", " ".join(p for p in row[2:] if p)]}, ensure_ascii=False
            ),
        }
        for row in found
        if row[0] in wanted
    ]
    if rows:
        connection.execute(insert(AuditEntry), rows)
