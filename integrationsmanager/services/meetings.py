"""Use cases of working groups and their meetings: members, invitees, agenda, attendance.

A working group (Arbeitskreis, Beirat, Netzwerk) has members with a role; at most one of them
chairs it. A meeting of the group is prepared with an agenda (TOPs, positions 1..n) and a list
of invitees — the group's current members when the meeting is created, editable afterwards —
and followed up with attendance, minutes and decisions per TOP. Action items live in
:mod:`integrationsmanager.services.action_items`.

Times: the office plans in local time (Europe/Berlin); the domain stores UTC. :class:`MeetingData`
takes local (naive) or timezone-aware datetimes, :func:`to_local` turns stored times back.

Each function works inside the caller's session and flushes; unknown ids raise a
:class:`~integrationsmanager.domain.errors.UserError`, invalid input a
:class:`~integrationsmanager.domain.errors.ValidationError`, both with German messages.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from integrationsmanager.domain.common import Guideline
from integrationsmanager.domain.enums import (
    AttendanceStatus,
    GroupKind,
    MeetingStatus,
    MemberRole,
)
from integrationsmanager.domain.errors import UserError, ValidationError
from integrationsmanager.domain.measures import Measure
from integrationsmanager.domain.meetings import (
    ActionItem,
    AgendaItem,
    Attendance,
    Meeting,
    Membership,
    WorkingGroup,
)
from integrationsmanager.domain.network import Person
from integrationsmanager.domain.text import clean_line, clean_text, fold

OFFICE_TZ = ZoneInfo("Europe/Berlin")
"""The time zone the office plans its meetings in."""

NAME_MAX = 300
TITLE_MAX = 300
PLACE_MAX = 300
LINK_MAX = 500
PRESENTER_MAX = 200
PLANNED_MINUTES_MAX = 8 * 60
"""An agenda item longer than a working day is a typing error."""

SKIPPED_TIME = "Diese Uhrzeit gibt es am Tag der Zeitumstellung nicht; bitte eine andere wählen."

WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")


# --- names and times ------------------------------------------------------------------------


def to_utc(value: datetime) -> datetime:
    """A local (naive = Europe/Berlin) or timezone-aware datetime in UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=OFFICE_TZ)
    return value.astimezone(UTC)


def to_local(value: datetime) -> datetime:
    """A stored (UTC) datetime in the office's time zone."""
    return value.astimezone(OFFICE_TZ)


def _exists_locally(value: datetime) -> bool:
    """False for a naive time skipped when the clocks go forward (e.g. 02:30 in late March)."""
    if value.tzinfo is not None:
        return True
    return to_local(to_utc(value)).replace(tzinfo=None) == value


def person_name(person: Person) -> str:
    """The name a list shows; an erased person keeps a placeholder."""
    return person.full_name or f"Person {person.id}"


def person_sort_key(person: Person) -> tuple[str, str, int]:
    return fold(person.last_name), fold(person.first_name), person.id


def organisation_of(person: Person, on: date | None = None) -> str:
    """The organisation of the person's oldest role that is current ``on`` (default today)."""
    day = on or date.today()
    for role in sorted(person.roles, key=lambda r: r.id or 0):
        if (role.valid_from is None or role.valid_from <= day) and (
            role.valid_to is None or role.valid_to >= day
        ):
            return role.organisation.name
    return ""


def meeting_date(meeting: Meeting) -> str:
    """``dd.MM.yyyy`` of the meeting's local start."""
    return to_local(meeting.starts_at).strftime("%d.%m.%Y")


def meeting_time(meeting: Meeting) -> str:
    """``10:00–12:00 Uhr`` (or ``10:00 Uhr``); the end date is named if it is another day."""
    start = to_local(meeting.starts_at)
    if meeting.ends_at is None:
        return f"{start:%H:%M} Uhr"
    end = to_local(meeting.ends_at)
    if end.date() != start.date():
        return f"{start:%H:%M} Uhr bis {end:%d.%m.%Y, %H:%M} Uhr"
    return f"{start:%H:%M}–{end:%H:%M} Uhr"


def meeting_when(meeting: Meeting) -> str:
    """``Donnerstag, 12.03.2026, 10:00–12:00 Uhr``."""
    start = to_local(meeting.starts_at)
    return f"{WEEKDAYS[start.weekday()]}, {meeting_date(meeting)}, {meeting_time(meeting)}"


def meeting_subject(meeting: Meeting) -> str:
    """``Arbeitskreis Bildung – 3. Sitzung`` (the title only if there is one)."""
    name = meeting.group.name
    return f"{name} – {meeting.title}" if meeting.title else name


def meeting_label(meeting: Meeting) -> str:
    """``12.03.2026 Arbeitskreis Bildung – 3. Sitzung``: how lists name a meeting."""
    return f"{meeting_date(meeting)} {meeting_subject(meeting)}"


def presenter_label(item: AgendaItem) -> str:
    """Who presents a TOP: the linked person and/or the free text."""
    parts = [person_name(item.presenter) if item.presenter else "", item.presenter_text]
    return ", ".join(p for p in parts if p)


# --- loading --------------------------------------------------------------------------------


def get_group(session: Session, group_id: int) -> WorkingGroup:
    group = session.get(WorkingGroup, group_id)
    if group is None:
        raise UserError(f"Das Gremium {group_id} gibt es nicht (mehr).")
    return group


def get_meeting(session: Session, meeting_id: int) -> Meeting:
    """The meeting with group, agenda (presenters) and invitees (people) loaded."""
    meeting = session.scalars(
        select(Meeting)
        .where(Meeting.id == meeting_id)
        .options(
            selectinload(Meeting.group).selectinload(WorkingGroup.members),
            selectinload(Meeting.agenda).selectinload(AgendaItem.presenter),
            selectinload(Meeting.attendance).selectinload(Attendance.person),
        )
    ).first()
    if meeting is None:
        raise UserError(f"Die Sitzung {meeting_id} gibt es nicht (mehr).")
    return meeting


def _get_person(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise UserError(f"Die Person {person_id} gibt es nicht (mehr).")
    return person


def _get_agenda_item(session: Session, item_id: int) -> AgendaItem:
    item = session.get(AgendaItem, item_id)
    if item is None:
        raise UserError(f"Den Tagesordnungspunkt {item_id} gibt es nicht (mehr).")
    return item


# --- groups ---------------------------------------------------------------------------------


@dataclass
class GroupData:
    """The editable fields of a working group."""

    name: str
    kind: GroupKind = GroupKind.WORKING_GROUP
    guideline_ids: list[int] = field(default_factory=list)
    description: str = ""
    usual_place: str = ""
    rhythm: str = ""

    def errors(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        name = clean_line(self.name)
        if not name:
            errors["name"] = "Bitte einen Namen für das Gremium eingeben."
        elif len(name) > NAME_MAX:
            errors["name"] = f"Der Name ist zu lang (höchstens {NAME_MAX} Zeichen)."
        if len(clean_line(self.usual_place)) > PLACE_MAX:
            errors["usual_place"] = f"Der Ort ist zu lang (höchstens {PLACE_MAX} Zeichen)."
        return errors

    @classmethod
    def from_group(cls, group: WorkingGroup) -> GroupData:
        return cls(
            name=group.name,
            kind=GroupKind(group.kind),
            guideline_ids=[g.id for g in group.guidelines],
            description=group.description,
            usual_place=group.usual_place,
            rhythm=group.rhythm,
        )


def save_group(session: Session, data: GroupData, group_id: int | None = None) -> WorkingGroup:
    """Create (``group_id`` None) or update a working group; raises ValidationError."""
    errors = data.errors()
    guidelines = list(
        session.scalars(select(Guideline).where(Guideline.id.in_(set(data.guideline_ids))))
    )
    missing = set(data.guideline_ids) - {g.id for g in guidelines}
    if missing:
        errors["guidelines"] = f"Leitlinie {min(missing)} gibt es nicht."
    if errors:
        raise ValidationError(errors)
    group = WorkingGroup() if group_id is None else get_group(session, group_id)
    group.name = clean_line(data.name)
    group.name_folded = fold(group.name)
    group.kind = GroupKind(data.kind)
    group.description = clean_text(data.description)
    group.usual_place = clean_line(data.usual_place)
    group.rhythm = clean_line(data.rhythm)
    group.guidelines = sorted(guidelines, key=lambda g: (g.number, g.id))
    session.add(group)
    session.flush()
    return group


def delete_group(session: Session, group_id: int) -> None:
    """Delete a group with its memberships, meetings and action items."""
    group = get_group(session, group_id)
    for item in session.scalars(select(ActionItem).where(ActionItem.group_id == group_id)):
        session.delete(item)
    session.delete(group)
    session.flush()


def list_groups(session: Session) -> list[tuple[int, str]]:
    """(id, name) of all groups, by name."""
    rows = session.execute(
        select(WorkingGroup.id, WorkingGroup.name).order_by(
            WorkingGroup.name_folded, WorkingGroup.id
        )
    )
    return [(r.id, r.name) for r in rows]


# --- members --------------------------------------------------------------------------------


def _chair_conflict(group: WorkingGroup, person_id: int) -> Membership | None:
    """The membership of someone else who already chairs ``group``."""
    return next(
        (m for m in group.members if m.role == MemberRole.CHAIR and m.person_id != person_id),
        None,
    )


def _chair_message(existing: Membership) -> str:
    return (
        f"„{person_name(existing.person)}“ hat bereits den Vorsitz; ein Gremium hat höchstens "
        "einen Vorsitz. Bitte zuerst dort die Rolle ändern."
    )


def set_members(
    session: Session, group_id: int, members: Sequence[tuple[int, MemberRole]]
) -> list[Membership]:
    """Make ``members`` (person id, role) the group's members; others are removed.

    Existing memberships are kept (their role updated), so their history stays. At most one
    member may chair the group, and nobody may appear twice.
    """
    group = get_group(session, group_id)
    errors: dict[str, str] = {}
    seen: set[int] = set()
    for person_id, _role in members:
        if person_id in seen:
            name = person_name(_get_person(session, person_id))
            errors["members"] = f"„{name}“ steht zweimal in der Liste der Mitglieder."
        seen.add(person_id)
    if sum(1 for _p, role in members if role == MemberRole.CHAIR) > 1:
        errors["chair"] = "Ein Gremium hat höchstens einen Vorsitz."
    if errors:
        raise ValidationError(errors)
    people = {person_id: _get_person(session, person_id) for person_id, _role in members}
    current = {m.person_id: m for m in group.members}
    result: list[Membership] = []
    for person_id, role in members:
        membership = current.pop(person_id, None)
        if membership is None:
            membership = Membership(person=people[person_id])
            group.members.append(membership)
        membership.role = MemberRole(role)
        result.append(membership)
    for membership in current.values():
        group.members.remove(membership)
    session.flush()
    return result


def add_member(
    session: Session, group_id: int, person_id: int, role: MemberRole = MemberRole.MEMBER
) -> Membership:
    group = get_group(session, group_id)
    person = _get_person(session, person_id)
    if any(m.person_id == person_id for m in group.members):
        raise ValidationError(
            {"members": f"„{person_name(person)}“ ist bereits Mitglied von „{group.name}“."}
        )
    if role == MemberRole.CHAIR and (existing := _chair_conflict(group, person_id)):
        raise ValidationError({"chair": _chair_message(existing)})
    membership = Membership(person=person, role=MemberRole(role))
    group.members.append(membership)
    session.flush()
    return membership


def _membership(group: WorkingGroup, person_id: int, session: Session) -> Membership:
    found = next((m for m in group.members if m.person_id == person_id), None)
    if found is None:
        name = person_name(_get_person(session, person_id))
        raise UserError(f"„{name}“ ist kein Mitglied von „{group.name}“.")
    return found


def change_role(session: Session, group_id: int, person_id: int, role: MemberRole) -> Membership:
    group = get_group(session, group_id)
    membership = _membership(group, person_id, session)
    if role == MemberRole.CHAIR and (existing := _chair_conflict(group, person_id)):
        raise ValidationError({"chair": _chair_message(existing)})
    membership.role = MemberRole(role)
    session.flush()
    return membership


def remove_member(session: Session, group_id: int, person_id: int) -> None:
    group = get_group(session, group_id)
    group.members.remove(_membership(group, person_id, session))
    session.flush()


def members(session: Session, group_id: int) -> list[Membership]:
    """The group's memberships, chair first, then by role and name."""
    group = get_group(session, group_id)
    order = {role: i for i, role in enumerate(MemberRole)}
    return sorted(
        group.members, key=lambda m: (order[MemberRole(m.role)], person_sort_key(m.person))
    )


def chair(session: Session, group_id: int) -> Person | None:
    """The member who chairs the group (role Vorsitz), if any."""
    group = get_group(session, group_id)
    return next((m.person for m in group.members if m.role == MemberRole.CHAIR), None)


def member_roles(group: WorkingGroup) -> dict[int, MemberRole]:
    """Role in the group by person id."""
    return {m.person_id: MemberRole(m.role) for m in group.members}


def _current_members(group: WorkingGroup, on: date) -> list[Person]:
    return [
        m.person
        for m in group.members
        if (m.valid_from is None or m.valid_from <= on)
        and (m.valid_to is None or m.valid_to >= on)
        and not m.person.erased
    ]


# --- meetings -------------------------------------------------------------------------------


@dataclass
class MeetingData:
    """The editable fields of a meeting; times are local (Europe/Berlin) or timezone-aware."""

    group_id: int | None
    starts_at: datetime | None
    ends_at: datetime | None = None
    title: str = ""
    place: str = ""
    online_link: str = ""
    status: MeetingStatus = MeetingStatus.PLANNED
    notes: str = ""

    def errors(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        if self.group_id is None:
            errors["group"] = "Bitte ein Gremium wählen."
        if len(clean_line(self.title)) > TITLE_MAX:
            errors["title"] = f"Der Titel ist zu lang (höchstens {TITLE_MAX} Zeichen)."
        if self.starts_at is None:
            errors["starts_at"] = "Bitte Datum und Uhrzeit des Beginns eingeben."
        elif not _exists_locally(self.starts_at):
            errors["starts_at"] = SKIPPED_TIME
        if self.ends_at is not None:
            if not _exists_locally(self.ends_at):
                errors["ends_at"] = SKIPPED_TIME
            elif self.starts_at is not None and to_utc(self.ends_at) <= to_utc(self.starts_at):
                errors["ends_at"] = "Das Ende muss nach dem Beginn liegen."
        if len(clean_line(self.place)) > PLACE_MAX:
            errors["place"] = f"Der Ort ist zu lang (höchstens {PLACE_MAX} Zeichen)."
        link = clean_line(self.online_link)
        if link and not link.lower().startswith(("https://", "http://")):
            errors["online_link"] = (
                "Der Online-Link muss mit https:// beginnen (die Adresse aus der Einladung "
                "des Videodienstes)."
            )
        elif len(link) > LINK_MAX:
            errors["online_link"] = f"Der Link ist zu lang (höchstens {LINK_MAX} Zeichen)."
        return errors

    @classmethod
    def from_meeting(cls, meeting: Meeting) -> MeetingData:
        """The meeting's fields with local (naive) times, as an editor shows them."""

        def local(value: datetime | None) -> datetime | None:
            return None if value is None else to_local(value).replace(tzinfo=None)

        return cls(
            group_id=meeting.group_id,
            starts_at=local(meeting.starts_at),
            ends_at=local(meeting.ends_at),
            title=meeting.title,
            place=meeting.place,
            online_link=meeting.online_link,
            status=MeetingStatus(meeting.status),
            notes=meeting.notes,
        )


def save_meeting(session: Session, data: MeetingData, meeting_id: int | None = None) -> Meeting:
    """Create (``meeting_id`` None) or update a meeting; raises ValidationError.

    A new meeting invites the group's current members. When an update moves the meeting
    (start, end, place, online link) or cancels it, ``ics_sequence`` is raised, so calendars
    replace the invitation they already have (RFC 5545 SEQUENCE).
    """
    errors = data.errors()
    if data.group_id is not None and session.get(WorkingGroup, data.group_id) is None:
        errors["group"] = f"Das Gremium {data.group_id} gibt es nicht (mehr)."
    if errors:
        raise ValidationError(errors)
    assert data.group_id is not None and data.starts_at is not None, "validated above"
    starts_at = to_utc(data.starts_at)
    ends_at = to_utc(data.ends_at) if data.ends_at is not None else None
    place, link = clean_line(data.place), clean_line(data.online_link)
    status = MeetingStatus(data.status)
    group = get_group(session, data.group_id)
    if meeting_id is None:
        meeting = Meeting(ics_sequence=0)
        on = to_local(starts_at).date()
        meeting.attendance = [
            Attendance(person=p, status=AttendanceStatus.INVITED)
            for p in sorted(_current_members(group, on), key=person_sort_key)
        ]
    else:
        meeting = get_meeting(session, meeting_id)
        moved = (
            meeting.starts_at != starts_at
            or meeting.ends_at != ends_at
            or meeting.place != place
            or meeting.online_link != link
            or (MeetingStatus.CANCELLED in (meeting.status, status) and meeting.status != status)
        )
        if moved:
            meeting.ics_sequence = (meeting.ics_sequence or 0) + 1
    meeting.group = group
    meeting.title = clean_line(data.title)
    meeting.starts_at = starts_at
    meeting.ends_at = ends_at
    meeting.place = place
    meeting.online_link = link
    meeting.status = status
    meeting.notes = clean_text(data.notes)
    session.add(meeting)
    session.flush()
    return meeting


def delete_meeting(session: Session, meeting_id: int) -> None:
    """Delete a meeting with its agenda and attendance; its action items stay with the group."""
    meeting = get_meeting(session, meeting_id)
    for task in session.scalars(select(ActionItem).where(ActionItem.meeting_id == meeting_id)):
        task.meeting_id = None
        task.agenda_item_id = None
    session.delete(meeting)
    session.flush()


def list_meetings(session: Session) -> list[tuple[int, str]]:
    """(id, "dd.MM.yyyy Gruppe – Titel") of all meetings, oldest first."""
    meetings = session.scalars(
        select(Meeting).options(selectinload(Meeting.group)).order_by(Meeting.starts_at, Meeting.id)
    )
    return [(m.id, meeting_label(m)) for m in meetings]


def next_meeting(session: Session, group_id: int, *, now: datetime | None = None) -> Meeting | None:
    """The group's next planned meeting that has not begun."""
    return session.scalars(
        select(Meeting)
        .where(
            Meeting.group_id == group_id,
            Meeting.status == MeetingStatus.PLANNED,
            Meeting.starts_at >= (now or datetime.now(UTC)),
        )
        .order_by(Meeting.starts_at, Meeting.id)
        .limit(1)
    ).first()


def upcoming_meetings(
    session: Session, limit: int = 5, *, now: datetime | None = None
) -> list[Meeting]:
    """The next ``limit`` planned meetings of all groups, soonest first."""
    return list(
        session.scalars(
            select(Meeting)
            .where(
                Meeting.status == MeetingStatus.PLANNED,
                Meeting.starts_at >= (now or datetime.now(UTC)),
            )
            .options(selectinload(Meeting.group))
            .order_by(Meeting.starts_at, Meeting.id)
            .limit(limit)
        )
    )


# --- invitees and attendance ----------------------------------------------------------------


def invitees(session: Session, meeting_id: int) -> list[Attendance]:
    """The meeting's invitees with their status, by name."""
    meeting = get_meeting(session, meeting_id)
    return sorted(meeting.attendance, key=lambda a: person_sort_key(a.person))


def add_invitee(
    session: Session,
    meeting_id: int,
    person_id: int,
    status: AttendanceStatus = AttendanceStatus.INVITED,
) -> Attendance:
    meeting = get_meeting(session, meeting_id)
    person = _get_person(session, person_id)
    if any(a.person_id == person_id for a in meeting.attendance):
        raise ValidationError(
            {"invitees": f"„{person_name(person)}“ ist zu dieser Sitzung bereits eingeladen."}
        )
    attendance = Attendance(person=person, status=AttendanceStatus(status))
    meeting.attendance.append(attendance)
    session.flush()
    return attendance


def _attendance(meeting: Meeting, person_id: int, session: Session) -> Attendance:
    found = next((a for a in meeting.attendance if a.person_id == person_id), None)
    if found is None:
        name = person_name(_get_person(session, person_id))
        raise UserError(f"„{name}“ ist zu dieser Sitzung nicht eingeladen.")
    return found


def remove_invitee(session: Session, meeting_id: int, person_id: int) -> None:
    meeting = get_meeting(session, meeting_id)
    meeting.attendance.remove(_attendance(meeting, person_id, session))
    session.flush()


def set_attendance(
    session: Session, meeting_id: int, person_id: int, status: AttendanceStatus
) -> Attendance:
    """Record an invitee's answer or attendance (eingeladen, zugesagt, abgesagt, …)."""
    meeting = get_meeting(session, meeting_id)
    attendance = _attendance(meeting, person_id, session)
    attendance.status = AttendanceStatus(status)
    session.flush()
    return attendance


def attendance_by_status(meeting: Meeting) -> dict[AttendanceStatus, list[Person]]:
    """Invitees grouped by status (every status present, lists sorted by name)."""
    grouped: dict[AttendanceStatus, list[Person]] = {s: [] for s in AttendanceStatus}
    for attendance in meeting.attendance:
        grouped[AttendanceStatus(attendance.status)].append(attendance.person)
    for people in grouped.values():
        people.sort(key=person_sort_key)
    return grouped


def invitee_emails(session: Session, meeting_id: int) -> list[str]:
    """The first e-mail address of each invitee that has one, by name, without duplicates."""
    emails: dict[str, str] = {}
    for attendance in invitees(session, meeting_id):
        person = attendance.person
        if person.emails and not person.erased:
            address = person.emails[0].address.strip()
            emails.setdefault(address.casefold(), address)
    return list(emails.values())


# --- agenda ---------------------------------------------------------------------------------


@dataclass
class AgendaItemData:
    """A TOP as the agenda editor delivers it."""

    title: str
    presenter_id: int | None = None
    presenter_text: str = ""
    planned_minutes: int | None = None
    measure_id: int | None = None

    def errors(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        title = clean_line(self.title)
        if not title:
            errors["title"] = "Bitte ein Thema für den Tagesordnungspunkt eingeben."
        elif len(title) > TITLE_MAX:
            errors["title"] = f"Das Thema ist zu lang (höchstens {TITLE_MAX} Zeichen)."
        if len(clean_line(self.presenter_text)) > PRESENTER_MAX:
            errors["presenter"] = (
                f"Der Name der vortragenden Person ist zu lang (höchstens {PRESENTER_MAX} Zeichen)."
            )
        if self.planned_minutes is not None and not 0 < self.planned_minutes <= PLANNED_MINUTES_MAX:
            errors["planned_minutes"] = (
                f"Die geplante Dauer muss zwischen 1 und {PLANNED_MINUTES_MAX} Minuten liegen."
            )
        return errors

    @classmethod
    def from_item(cls, item: AgendaItem) -> AgendaItemData:
        return cls(
            title=item.title,
            presenter_id=item.presenter_id,
            presenter_text=item.presenter_text,
            planned_minutes=item.planned_minutes,
            measure_id=item.measure_id,
        )


def _apply_agenda_data(session: Session, item: AgendaItem, data: AgendaItemData) -> None:
    """Validate ``data`` (raises ValidationError) and copy it into ``item``."""
    errors = data.errors()
    presenter = None if data.presenter_id is None else session.get(Person, data.presenter_id)
    if data.presenter_id is not None and presenter is None:
        errors["presenter"] = f"Die Person {data.presenter_id} gibt es nicht (mehr)."
    if data.measure_id is not None and session.get(Measure, data.measure_id) is None:
        errors["measure"] = f"Die Maßnahme {data.measure_id} gibt es nicht (mehr)."
    if errors:
        raise ValidationError(errors)
    item.title = clean_line(data.title)
    item.presenter = presenter
    item.presenter_text = clean_line(data.presenter_text)
    item.planned_minutes = data.planned_minutes
    item.measure_id = data.measure_id


def add_agenda_item(session: Session, meeting_id: int, data: AgendaItemData) -> AgendaItem:
    """Append a TOP to the meeting's agenda."""
    meeting = get_meeting(session, meeting_id)
    item = AgendaItem(position=len(meeting.agenda) + 1)
    _apply_agenda_data(session, item, data)
    meeting.agenda.append(item)
    session.flush()
    return item


def update_agenda_item(session: Session, item_id: int, data: AgendaItemData) -> AgendaItem:
    item = _get_agenda_item(session, item_id)
    _apply_agenda_data(session, item, data)
    session.flush()
    return item


def _renumber(items: Iterable[AgendaItem]) -> None:
    for position, item in enumerate(items, start=1):
        item.position = position


def remove_agenda_item(session: Session, item_id: int) -> None:
    """Remove a TOP; the others close up (positions 1..n), its tasks stay with the meeting."""
    item = _get_agenda_item(session, item_id)
    for task in session.scalars(select(ActionItem).where(ActionItem.agenda_item_id == item_id)):
        task.agenda_item_id = None
    meeting = item.meeting
    meeting.agenda.remove(item)
    _renumber(sorted(meeting.agenda, key=lambda i: (i.position, i.id)))
    session.flush()
    session.expire(meeting, ["agenda"])


def move_agenda_item(session: Session, item_id: int, steps: int) -> AgendaItem:
    """Move a TOP ``steps`` places down (negative: up), stopping at either end."""
    item = _get_agenda_item(session, item_id)
    agenda = sorted(item.meeting.agenda, key=lambda i: (i.position, i.id))
    agenda.remove(item)
    index = max(0, min(len(agenda), item.position - 1 + steps))
    agenda.insert(index, item)
    _renumber(agenda)
    session.flush()
    session.expire(item.meeting, ["agenda"])
    return item


def reorder_agenda(session: Session, meeting_id: int, item_ids: Sequence[int]) -> None:
    """Put the meeting's TOPs in the order of ``item_ids`` (all of them, each once)."""
    meeting = get_meeting(session, meeting_id)
    by_id = {item.id: item for item in meeting.agenda}
    if sorted(item_ids) != sorted(by_id):
        raise UserError("Die neue Reihenfolge muss jeden Tagesordnungspunkt genau einmal nennen.")
    _renumber(by_id[i] for i in item_ids)
    session.flush()
    session.expire(meeting, ["agenda"])


def record_minutes(session: Session, item_id: int, minutes: str, decisions: str) -> AgendaItem:
    """Store what was said (minutes) and decided under a TOP."""
    item = _get_agenda_item(session, item_id)
    item.minutes = clean_text(minutes)
    item.decisions = clean_text(decisions)
    session.flush()
    return item


# --- measures -------------------------------------------------------------------------------


def measures_for_group(session: Session, group_id: int) -> list[Measure]:
    """The measures under the group's guidelines, by guideline number and title."""
    group = get_group(session, group_id)
    ids = [g.id for g in group.guidelines]
    if not ids:
        return []
    return list(
        session.scalars(
            select(Measure)
            .join(Guideline, Guideline.id == Measure.guideline_id)
            .where(Measure.guideline_id.in_(ids))
            .options(selectinload(Measure.guideline))
            .order_by(Guideline.number, Measure.title_folded, Measure.id)
        )
    )


def meetings_for_measure(session: Session, measure_id: int) -> list[Meeting]:
    """Meetings that dealt with a measure (a TOP or an action item links it), oldest first."""
    on_agenda = select(AgendaItem.meeting_id).where(AgendaItem.measure_id == measure_id)
    in_actions = select(ActionItem.meeting_id).where(
        ActionItem.measure_id == measure_id, ActionItem.meeting_id.is_not(None)
    )
    return list(
        session.scalars(
            select(Meeting)
            .where(or_(Meeting.id.in_(on_agenda), Meeting.id.in_(in_actions)))
            .options(selectinload(Meeting.group))
            .order_by(Meeting.starts_at, Meeting.id)
        )
    )


def groups_for_measure(session: Session, measure_id: int) -> list[WorkingGroup]:
    """Groups that dealt with a measure: in a meeting, by an action item, or by guideline."""
    measure = session.get(Measure, measure_id)
    if measure is None:
        raise UserError(f"Die Maßnahme {measure_id} gibt es nicht (mehr).")
    ids = {m.group_id for m in meetings_for_measure(session, measure_id)}
    ids.update(
        session.scalars(select(ActionItem.group_id).where(ActionItem.measure_id == measure_id))
    )
    ids.update(
        session.scalars(
            select(WorkingGroup.id).where(
                WorkingGroup.guidelines.any(Guideline.id == measure.guideline_id)
            )
        )
    )
    return list(
        session.scalars(
            select(WorkingGroup)
            .where(WorkingGroup.id.in_(ids))
            .order_by(WorkingGroup.name_folded, WorkingGroup.id)
        )
    )
