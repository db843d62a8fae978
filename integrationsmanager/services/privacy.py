"""Data protection (DSGVO): retention, erasure (Art. 17) and information (Art. 15) per person.

Retention: a person's contact data is due for deletion ``N`` years (setting
:data:`RETENTION_KEY`) after the later of their last contact and the end of the last grant
they are the contact person of. The last contact is the latest of: an activity in their
contact history, a meeting they were invited to that has taken place, the end of a group
membership, the end of a role, and the last change of the person's record. A membership
without an end date is ongoing: such a person is never due. A role without an end date counts
with the day its row was last changed (imports rarely give end dates, and an open role alone
must not keep data forever). A withdrawn consent, where the legal basis is consent, makes the
person due at once.

Erasure keeps what statistics and money need and removes what identifies the person:

* ``person``: names, address, languages, notes, source, purpose and consent are cleared; the
  last name becomes "Gelöschte Person #<id>", ``erased`` is set. The row stays, so attendance
  head-counts, grant contact links and action items still point at an (anonymous) record.
* ``person_email``, ``person_phone``, ``person_tag``: deleted.
* ``person_role``: deleted — a function at a named organisation identifies a person, and no
  statistic counts roles.
* ``membership``: deleted — member lists are no statistic; past meetings keep their
  attendance rows.
* ``attendance``: kept, pointing at the anonymous person (head-counts stay unchanged).
* ``activity`` rows of the person (contact history and its notes): deleted.
* ``grant``, ``action_item``, ``agenda_item``: kept, their link points at the anonymous person.
* audit entries of the person (its e-mail, phone, role and membership rows are recorded on
  the person's entries): every value blanked by
  :func:`~integrationsmanager.services.audit.anonymise_audit`, which also replaces the name,
  e-mail addresses and phone numbers in other records' entries. The entries stay, so the
  change log still shows that, when and by whom something was changed.
* Finally every text column of every table is searched for the person's full name (both
  orders, also folded), e-mail addresses and phone numbers, and each occurrence is replaced by
  "[gelöscht]" (free texts such as minutes or an organisation's e-mail field). Strings shorter
  than :data:`MIN_NEEDLE` characters are not searched for, so that a two-letter name cannot
  wreck unrelated text.

The deletion log holds only table names and random uids, no personal data; it needs no change.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import String, Text, func, or_, select
from sqlalchemy.orm import Session

from integrationsmanager.domain.audit import AuditEntry
from integrationsmanager.domain.base import Base
from integrationsmanager.domain.common import Setting
from integrationsmanager.domain.enums import (
    ActionStatus,
    ActivityKind,
    AttendanceStatus,
    AuditAction,
    LabelledEnum,
    MemberRole,
)
from integrationsmanager.domain.errors import UserError, ValidationError
from integrationsmanager.domain.funding import Grant
from integrationsmanager.domain.meetings import (
    ActionItem,
    AgendaItem,
    Attendance,
    Meeting,
    Membership,
    WorkingGroup,
)
from integrationsmanager.domain.network import (
    Activity,
    Organisation,
    Person,
    PersonRole,
    person_tag,
)
from integrationsmanager.domain.text import fold
from integrationsmanager.services.audit import anonymise_audit
from integrationsmanager.services.persons import (
    LEGAL_BASIS_CONSENT,
    get_person,
    person_display_name,
    update_person_derived,
)

RETENTION_KEY = "privacy.retention_years"
DEFAULT_RETENTION_YEARS = 3
MAX_RETENTION_YEARS = 50
ERASED_TEXT = "[gelöscht]"
MIN_NEEDLE = 5
"""Shortest name, address or number the final text sweep looks for."""


# --- retention -------------------------------------------------------------------------------


def retention_years(session: Session) -> int:
    """The stored retention period in years, or the default."""
    row = session.get(Setting, RETENTION_KEY)
    try:
        years = int(row.value) if row is not None else DEFAULT_RETENTION_YEARS
    except ValueError:
        return DEFAULT_RETENTION_YEARS
    return years if 1 <= years <= MAX_RETENTION_YEARS else DEFAULT_RETENTION_YEARS


def save_retention_years(session: Session, years: int) -> None:
    """Store the retention period; raises ValidationError outside 1 to 50 years."""
    if not 1 <= years <= MAX_RETENTION_YEARS:
        raise ValidationError(
            {RETENTION_KEY: f"Löschfrist: bitte 1 bis {MAX_RETENTION_YEARS} Jahre angeben."}
        )
    session.merge(Setting(key=RETENTION_KEY, value=str(years)))
    session.flush()


@dataclass(frozen=True)
class DueRow:
    """A person whose data is due for deletion, and why."""

    person_id: int
    name: str
    last_contact: date | None
    last_grant_end: date | None
    due_since: date
    reason: str


def add_years(day: date, years: int) -> date:
    """``day`` ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _as_date(value: object) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _latest(*values: date | None) -> date | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


def _per_person(session: Session, statement: Any) -> dict[int, date | None]:
    return {person_id: _as_date(value) for person_id, value in session.execute(statement)}


def is_consent_basis(legal_basis: str) -> bool:
    """True for the legal basis "Einwilligung" (Art. 6 Abs. 1 lit. a DSGVO)."""
    return fold(legal_basis).startswith(fold(LEGAL_BASIS_CONSENT.split(" (")[0]))


def due_for_deletion(session: Session, *, today: date) -> list[DueRow]:
    """People not yet erased whose retention period has run out on ``today``, oldest first."""
    years = retention_years(session)
    activities = _per_person(
        session,
        select(Activity.person_id, func.max(Activity.happened_on))
        .where(Activity.person_id.is_not(None))
        .group_by(Activity.person_id),
    )
    meetings = _per_person(
        session,
        select(Attendance.person_id, func.max(Meeting.starts_at))
        .join(Meeting, Attendance.meeting_id == Meeting.id)
        .where(Meeting.starts_at <= datetime.combine(today, datetime.max.time()))
        .group_by(Attendance.person_id),
    )
    membership_ends = _per_person(
        session,
        select(Membership.person_id, func.max(Membership.valid_to)).group_by(Membership.person_id),
    )
    open_members = set(
        session.scalars(select(Membership.person_id).where(Membership.valid_to.is_(None)))
    )
    role_ends = _per_person(
        session,
        select(PersonRole.person_id, func.max(PersonRole.valid_to)).group_by(PersonRole.person_id),
    )
    open_roles = _per_person(
        session,
        select(PersonRole.person_id, func.max(PersonRole.updated_at))
        .where(PersonRole.valid_to.is_(None))
        .group_by(PersonRole.person_id),
    )
    grants = _per_person(
        session,
        select(Grant.contact_person_id, func.max(Grant.period_end))
        .where(Grant.contact_person_id.is_not(None))
        .group_by(Grant.contact_person_id),
    )
    people = session.execute(
        select(
            Person.id,
            Person.first_name,
            Person.last_name,
            Person.updated_at,
            Person.legal_basis,
            Person.consent_withdrawn_on,
        ).where(Person.erased.is_(False))
    )
    rows: list[DueRow] = []
    for person_id, first, last, updated_at, basis, withdrawn in people:
        name = ", ".join(p for p in (last, first) if p) or f"Person {person_id}"
        last_contact = _latest(
            activities.get(person_id),
            meetings.get(person_id),
            membership_ends.get(person_id),
            role_ends.get(person_id),
            open_roles.get(person_id),
            _as_date(updated_at),
        )
        grant_end = grants.get(person_id)
        if withdrawn is not None and withdrawn <= today and is_consent_basis(basis):
            reason = f"Einwilligung widerrufen am {withdrawn:%d.%m.%Y}"
            rows.append(DueRow(person_id, name, last_contact, grant_end, withdrawn, reason))
            continue
        if person_id in open_members:
            continue
        start = _latest(last_contact, grant_end)
        if start is None:
            continue
        due_since = add_years(start, years)
        if due_since <= today:
            what = (
                f"Ende der letzten Zuwendung {grant_end:%d.%m.%Y}"
                if grant_end is not None and grant_end == start
                else f"letzter Kontakt {start:%d.%m.%Y}"
            )
            reason = f"{what}, Löschfrist {years} Jahre"
            rows.append(DueRow(person_id, name, last_contact, grant_end, due_since, reason))
    rows.sort(key=lambda row: (row.due_since, row.person_id))
    return rows


# --- erasure (Art. 17) -----------------------------------------------------------------------


@dataclass
class ErasureReport:
    """What :func:`erase_person` removed (rows per table) and anonymised."""

    person_id: int
    label: str
    """The placeholder name the person's record now carries."""
    deleted: dict[str, int] = field(default_factory=dict)
    anonymised: dict[str, int] = field(default_factory=dict)
    """Rows kept but no longer identifying the person, per table."""
    replaced: dict[str, int] = field(default_factory=dict)
    """Rows per ``table.column`` whose free text named the person."""

    def lines(self) -> list[str]:
        """German lines for the command line and the confirmation dialog."""
        out = [f"Person {self.person_id} gelöscht; der Datensatz heißt jetzt „{self.label}“."]
        out += [f"Entfernt aus {table}: {count}" for table, count in self.deleted.items() if count]
        out += [
            f"Anonymisiert in {table}: {count}" for table, count in self.anonymised.items() if count
        ]
        out += [
            f"Name/Kontaktdaten ersetzt in {column}: {count}"
            for column, count in self.replaced.items()
        ]
        return out


def erased_label(person_id: int) -> str:
    return f"Gelöschte Person #{person_id}"


def _needles(person: Person) -> list[str]:
    """The strings that identify the person in free text (name, e-mail, phone, address)."""
    first, last = person.first_name, person.last_name
    names = [
        " ".join(p for p in (first, last) if p),
        person.full_name,
        ", ".join(p for p in (last, first) if p),
        " ".join(p for p in (last, first) if p),
    ]
    # An erased person's name is the placeholder, which must stay where it is.
    values = [] if person.erased else [*names, *(fold(n) for n in names)]
    values += [e.address for e in person.emails] + [fold(e.address) for e in person.emails]
    values += [p.number for p in person.phones]
    if person.street:
        values.append(person.street)
    escaped = [json.dumps(v)[1:-1] for v in values]
    unique = dict.fromkeys(v for v in [*values, *escaped] if len(v) >= MIN_NEEDLE)
    # Longest first, so "Anna Maria Müller" is replaced before "Maria Müller".
    return sorted(unique, key=len, reverse=True)


def _sweep(session: Session, needles: list[str]) -> dict[str, int]:
    """Replace every occurrence of ``needles`` in every text column; rows changed per column.

    One UPDATE per column (nested ``replace``), so each table is read once per column.
    """
    replaced: dict[str, int] = {}
    if not needles:
        return replaced
    connection = session.connection()
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if not isinstance(column.type, String | Text) or column.primary_key:
                continue
            value: Any = column
            for needle in needles:
                value = func.replace(value, needle, ERASED_TEXT)
            result = connection.execute(
                table.update()
                .where(or_(*(func.instr(column, needle) > 0 for needle in needles)))
                .values({column.name: value})
            )
            if result.rowcount:
                replaced[f"{table.name}.{column.name}"] = result.rowcount
    return replaced


def erase_person(session: Session, person_id: int) -> ErasureReport:
    """Erase a person's personal data everywhere (Art. 17 DSGVO), keeping statistics intact.

    Runs in the caller's transaction; see the module docstring for what happens per table.
    Raises a UserError for an unknown person.
    """
    person = get_person(session, person_id)
    if person is None:
        raise UserError(f"Person {person_id} gibt es nicht (mehr).")
    needles = _needles(person)
    label = erased_label(person_id)
    report = ErasureReport(person_id=person_id, label=label)
    report.deleted["person_email"] = len(person.emails)
    report.deleted["person_phone"] = len(person.phones)
    report.deleted["person_role"] = len(person.roles)
    report.deleted["person_tag"] = len(person.tags)
    for row in [*person.emails, *person.phones, *person.roles]:
        session.delete(row)
    person.emails.clear()
    person.phones.clear()
    person.roles.clear()
    person.tags.clear()
    for owned in (Membership.person_id, Activity.person_id):
        rows = list(session.scalars(select(owned.class_).where(owned == person_id)))
        report.deleted[owned.class_.__tablename__] = len(rows)
        for row in rows:
            session.delete(row)
    for link in (
        Attendance.person_id,
        Grant.contact_person_id,
        ActionItem.owner_id,
        AgendaItem.presenter_id,
    ):
        count = session.scalar(
            select(func.count()).select_from(link.class_).where(link == person_id)
        )
        report.anonymised[link.class_.__tablename__] = count or 0
    for name in (
        "salutation",
        "title",
        "first_name",
        "street",
        "postcode",
        "city",
        "municipality",
        "languages",
        "notes",
        "legal_basis",
        "purpose",
        "consent_purpose",
        "consent_how",
        "source",
    ):
        setattr(person, name, "")
    person.consent_given_on = None
    person.consent_withdrawn_on = None
    person.last_name = label
    person.erased = True
    update_person_derived(person)
    report.anonymised["person"] = 1
    session.flush()
    report.anonymised["audit_entry"] = anonymise_audit(
        session, "person", person_id, ERASED_TEXT, mentions=needles
    )
    session.flush()
    session.execute(
        person_tag.delete().where(person_tag.c.person_id == person_id)
    )  # rows the ORM never loaded
    report.replaced = _sweep(session, needles)
    session.expire_all()
    return report


# --- information (Art. 15) -------------------------------------------------------------------

Value = str | int | date | datetime | None
Rows = list[dict[str, Value]]


def _label(kind: type[LabelledEnum], value: str) -> str:
    """The German label of a stored enum value (the value itself if unknown)."""
    try:
        return kind(value).label
    except ValueError:
        return value


def _audit_rows(session: Session, row_ids: dict[str, Iterable[int]]) -> Rows:
    rows: Rows = []
    for table_name, ids in row_ids.items():
        id_list = list(ids)
        if not id_list:
            continue
        entries = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.table_name == table_name, AuditEntry.record_id.in_(id_list))
            .order_by(AuditEntry.changed_at, AuditEntry.id)
        )
        for entry in entries:
            try:
                changes = json.loads(entry.changes or "{}")
            except ValueError:
                changes = {}
            described = "; ".join(
                f"{name}: {old!s} → {new!s}"
                for name, (old, new) in (
                    (k, v if isinstance(v, list) and len(v) == 2 else ["", v])
                    for k, v in changes.items()
                )
            )
            rows.append(
                {
                    "Zeitpunkt": entry.changed_at,
                    "Benutzer": entry.user,
                    "Tabelle": table_name,
                    "Aktion": _label(AuditAction, entry.action),
                    "Änderungen": described,
                }
            )
    rows.sort(key=lambda r: str(r["Zeitpunkt"]))
    return rows


def person_information(session: Session, person_id: int) -> dict[str, Any]:
    """Every piece of data held about a person and where it came from (Art. 15 DSGVO).

    ``{"person_id", "name", "sections": {German title: [row dict, …]}}``; every row of a
    section has the same keys, so each section reads as a table.
    """
    person = get_person(session, person_id)
    if person is None:
        raise UserError(f"Person {person_id} gibt es nicht (mehr).")
    master: Rows = [
        {"Angabe": label, "Wert": value}
        for label, value in (
            ("Nummer", person.id),
            ("Kennung (uid)", person.uid),
            ("Anrede", person.salutation),
            ("Titel", person.title),
            ("Vorname", person.first_name),
            ("Nachname", person.last_name),
            ("Straße", person.street),
            ("PLZ", person.postcode),
            ("Ort", person.city),
            ("Gemeinde", person.municipality),
            ("Sprachen", person.languages),
            ("Schlagwörter", ", ".join(t.name for t in person.tags)),
            ("Notizen", person.notes),
            ("Gelöscht (Art. 17)", "ja" if person.erased else "nein"),
        )
    ]
    origin: Rows = [
        {"Angabe": label, "Wert": value}
        for label, value in (
            ("Herkunft der Daten", person.source or "nicht angegeben"),
            ("Angelegt am", person.created_at),
            ("Zuletzt geändert am", person.updated_at),
            ("Zuletzt geändert von", person.updated_by),
        )
    ]
    protection: Rows = [
        {"Angabe": label, "Wert": value}
        for label, value in (
            ("Rechtsgrundlage", person.legal_basis),
            ("Zweck der Speicherung", person.purpose),
            ("Einwilligung am", person.consent_given_on),
            ("Zweck der Einwilligung", person.consent_purpose),
            ("Art der Einwilligung", person.consent_how),
            ("Widerrufen am", person.consent_withdrawn_on),
            ("Löschfrist (Jahre nach letztem Kontakt)", retention_years(session)),
        )
    ]
    contact: Rows = [
        {"Art": kind, "Wert": value, "Bezeichnung": label, "Erfasst am": created}
        for kind, value, label, created in [
            *(("E-Mail", e.address, e.label, e.created_at) for e in person.emails),
            *(("Telefon", p.number, p.label, p.created_at) for p in person.phones),
        ]
    ]
    roles: Rows = [
        {
            "Organisation": r.organisation.name,
            "Funktion": r.function,
            "Von": r.valid_from,
            "Bis": r.valid_to,
        }
        for r in person.roles
    ]
    memberships = session.execute(
        select(Membership, WorkingGroup.name)
        .join(WorkingGroup, Membership.group_id == WorkingGroup.id)
        .where(Membership.person_id == person_id)
        .order_by(WorkingGroup.name)
    ).all()
    member_rows: Rows = [
        {
            "Gremium": group,
            "Rolle": _label(MemberRole, m.role),
            "Von": m.valid_from,
            "Bis": m.valid_to,
        }
        for m, group in memberships
    ]
    attendance = session.execute(
        select(Attendance.status, Meeting.starts_at, Meeting.title, WorkingGroup.name)
        .join(Meeting, Attendance.meeting_id == Meeting.id)
        .join(WorkingGroup, Meeting.group_id == WorkingGroup.id)
        .where(Attendance.person_id == person_id)
        .order_by(Meeting.starts_at)
    ).all()
    attendance_rows: Rows = [
        {
            "Sitzung am": starts,
            "Gremium": group,
            "Titel": title,
            "Status": _label(AttendanceStatus, status),
        }
        for status, starts, title, group in attendance
    ]
    activities = session.scalars(
        select(Activity).where(Activity.person_id == person_id).order_by(Activity.happened_on)
    )
    activity_rows: Rows = [
        {
            "Datum": a.happened_on,
            "Art": _label(ActivityKind, a.kind),
            "Betreff": a.subject,
            "Text": a.text,
            "Von": a.author,
        }
        for a in activities
    ]
    grants = session.execute(
        select(Grant.file_number, Grant.project_title, Organisation.name)
        .join(Organisation, Grant.recipient_id == Organisation.id)
        .where(Grant.contact_person_id == person_id)
        .order_by(Grant.file_number)
    ).all()
    grant_rows: Rows = [
        {"Aktenzeichen": number, "Vorhaben": title, "Empfänger": recipient}
        for number, title, recipient in grants
    ]
    tasks = session.scalars(select(ActionItem).where(ActionItem.owner_id == person_id))
    task_rows: Rows = [
        {"Aufgabe": t.title, "Fällig": t.due_on, "Status": _label(ActionStatus, t.status)}
        for t in tasks
    ]
    row_ids: dict[str, Iterable[int]] = {
        "person": [person.id],
        "person_email": [e.id for e in person.emails],
        "person_phone": [p.id for p in person.phones],
        "person_role": [r.id for r in person.roles],
        "membership": [m.id for m, _ in memberships],
    }
    sections: dict[str, Rows] = {
        "Stammdaten": master,
        "Herkunft der Daten": origin,
        "Datenschutz und Einwilligung": protection,
        "Kontaktdaten": contact,
        "Funktionen in Organisationen": roles,
        "Mitgliedschaften in Gremien": member_rows,
        "Einladungen und Teilnahme an Sitzungen": attendance_rows,
        "Kontaktverlauf": activity_rows,
        "Ansprechperson bei Zuwendungen": grant_rows,
        "Aufgaben aus Sitzungen": task_rows,
        "Änderungsverlauf": _audit_rows(session, row_ids),
    }
    return {"person_id": person.id, "name": person_display_name(person), "sections": sections}


def information_json(info: dict[str, Any]) -> str:
    """The information as JSON text: UTF-8 characters as they are, dates in ISO 8601."""

    def default(value: object) -> str:
        if isinstance(value, date | datetime):
            return value.isoformat()
        raise TypeError(type(value).__name__)

    return json.dumps(info, ensure_ascii=False, indent=2, default=default)
