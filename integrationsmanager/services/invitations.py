"""Meeting invitations as iCalendar files (.ics) that Outlook and Thunderbird accept.

The file is shaped like the invitations those programs send themselves (see
``fixtures/real/ics``): ``METHOD:REQUEST``, a ``VTIMEZONE`` for Europe/Berlin in the compact
form Thunderbird writes (yearly rules, valid for any year), start and end with
``TZID=Europe/Berlin``, the office as ``ORGANIZER`` and one ``ATTENDEE`` per invitee with an
e-mail address (``ROLE=REQ-PARTICIPANT``, the chair ``ROLE=CHAIR``, ``PARTSTAT=NEEDS-ACTION``,
``RSVP=TRUE``). The ``UID`` is made from the meeting's ``uid`` and never changes, and
``SEQUENCE`` is the meeting's ``ics_sequence``, which :func:`~integrationsmanager.services.
meetings.save_meeting` raises when the meeting is moved — so a calendar replaces the earlier
invitation instead of adding a second appointment. A cancelled meeting is written as
``METHOD:CANCEL``, which removes the appointment from the invitees' calendars.

Lines are folded at 75 octets and end with CRLF (the icalendar library does both).
"""

from __future__ import annotations

import os
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress
from icalendar.prop import vRecur
from sqlalchemy.orm import Session

from integrationsmanager.domain.enums import MeetingStatus, MemberRole
from integrationsmanager.domain.errors import UserError
from integrationsmanager.domain.meetings import Meeting
from integrationsmanager.services.meetings import (
    get_meeting,
    invitee_emails,
    meeting_label,
    meeting_subject,
    meeting_when,
    member_roles,
    person_name,
    person_sort_key,
    presenter_label,
    to_local,
)
from integrationsmanager.services.settings import office_setting

PRODID = "-//Landkreis Altenburger Land//Integrationsmanager//DE"
UID_DOMAIN = "integrationsmanager.altenburgerland"
TZID = "Europe/Berlin"

ORGANISER_NAME_KEY = "office.organiser_name"
ORGANISER_EMAIL_KEY = "office.organiser_email"

DEFAULT_DURATION = timedelta(hours=2)
"""How long the appointment is when the meeting has no end time."""


def organiser(session: Session) -> tuple[str, str]:
    """The office's name and e-mail address for invitations (settings, else defaults)."""

    return (
        office_setting(session, ORGANISER_NAME_KEY),
        office_setting(session, ORGANISER_EMAIL_KEY),
    )


def event_uid(meeting: Meeting) -> str:
    """The invitation's UID: stable for the life of the meeting."""
    return f"{meeting.uid}@{UID_DOMAIN}"


def berlin_timezone() -> Timezone:
    """VTIMEZONE for Europe/Berlin with the EU's yearly rules (as Thunderbird writes it)."""
    timezone = Timezone()
    timezone.add("tzid", TZID)
    timezone.add("x-lic-location", TZID)
    for component, name, offsets, start, month in (
        (TimezoneDaylight(), "CEST", (1, 2), datetime(1970, 3, 29, 2), 3),
        (TimezoneStandard(), "CET", (2, 1), datetime(1970, 10, 25, 3), 10),
    ):
        component.add("tzoffsetfrom", timedelta(hours=offsets[0]))
        component.add("tzoffsetto", timedelta(hours=offsets[1]))
        component.add("tzname", name)
        component.add("dtstart", start)
        component.add("rrule", vRecur(freq="YEARLY", byday="-1SU", bymonth=month))
        timezone.add_component(component)
    return timezone


def agenda_text(meeting: Meeting) -> str:
    """The invitation's text: group, time, place, link and the agenda, one TOP a line."""
    lines = [meeting_subject(meeting), meeting_when(meeting)]
    if meeting.place:
        lines.append(f"Ort: {meeting.place}")
    if meeting.online_link:
        lines.append(f"Online: {meeting.online_link}")
    if meeting.agenda:
        lines += ["", "Tagesordnung"]
        for item in sorted(meeting.agenda, key=lambda i: i.position):
            extras = []
            presenter = presenter_label(item)
            if presenter:
                extras.append(presenter)
            if item.planned_minutes:
                extras.append(f"{item.planned_minutes} Min.")
            suffix = f" ({', '.join(extras)})" if extras else ""
            lines.append(f"TOP {item.position}: {item.title}{suffix}")
    return "\n".join(lines)


def _address(email: str, name: str, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    # Outlook does not read RFC 6868's ^' for a double quote inside a quoted parameter.
    address.params["CN"] = name.replace('"', "'")
    address.params.update(params)
    return address


def meeting_calendar(session: Session, meeting_id: int, *, now: datetime | None = None) -> Calendar:
    """The invitation to a meeting as a calendar object (see the module text)."""
    meeting = get_meeting(session, meeting_id)
    cancelled = meeting.status == MeetingStatus.CANCELLED
    name, email = organiser(session)

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    calendar.add_component(berlin_timezone())

    start = to_local(meeting.starts_at)
    end = to_local(meeting.ends_at) if meeting.ends_at is not None else start + DEFAULT_DURATION
    event = Event()
    event.add("uid", event_uid(meeting))
    event.add("sequence", meeting.ics_sequence or 0)
    event.add("dtstamp", (now or datetime.now(UTC)).astimezone(UTC))
    event.add("created", meeting.created_at.astimezone(UTC))
    event.add("last-modified", meeting.updated_at.astimezone(UTC))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", meeting_subject(meeting))
    event.add("location", meeting.place or meeting.online_link)
    if meeting.online_link:
        event.add("url", meeting.online_link)
    event.add("description", agenda_text(meeting))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("class", "PUBLIC")
    event.add("transp", "OPAQUE")
    event.add("organizer", _address(email, name), encode=False)

    roles = member_roles(meeting.group)
    for attendance in sorted(meeting.attendance, key=lambda a: person_sort_key(a.person)):
        person = attendance.person
        if not person.emails or person.erased:
            continue
        address = person.emails[0].address.strip()
        if address.casefold() == email.casefold():
            continue
        role = "CHAIR" if roles.get(person.id) == MemberRole.CHAIR else "REQ-PARTICIPANT"
        event.add(
            "attendee",
            _address(
                address,
                person_name(person),
                CUTYPE="INDIVIDUAL",
                ROLE=role,
                PARTSTAT="NEEDS-ACTION",
                RSVP="TRUE",
            ),
            encode=False,
        )
    calendar.add_component(event)
    return calendar


def attendee_count(calendar: Calendar) -> int:
    """How many ATTENDEE lines the calendar's event has."""
    attendees = calendar.walk("VEVENT")[0].get("attendee", [])
    return len(attendees) if isinstance(attendees, list) else 1


def export_meeting_ics(session: Session, meeting_id: int, path: Path) -> int:
    """Write the invitation to ``path`` (.ics); returns the number of invitees in it.

    Invitees without an e-mail address cannot be in an invitation and are not counted. The
    file appears complete or not at all (written beside ``path``, then renamed).
    """
    calendar = meeting_calendar(session, meeting_id)
    data = calendar.to_ical()
    _write_atomically(path, data)
    return attendee_count(calendar)


def _write_atomically(path: Path, data: bytes) -> None:
    if path.suffix.lower() != ".ics":
        raise UserError(
            f"„{path.name}“ ist kein Kalender-Dateiname: Bitte einen Namen mit der Endung .ics "
            "angeben."
        )
    if path.is_dir():
        raise UserError(f"„{path}“ ist ein Ordner; bitte einen Dateinamen angeben.")
    if not path.parent.is_dir():
        raise UserError(f"Den Ordner „{path.parent}“ gibt es nicht.")
    temporary = path.with_name(f".{path.stem}.{secrets.token_hex(4)}.ics.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError as err:
        raise UserError(f"„{path.name}“ kann nicht geschrieben werden ({err.strerror}).") from err
    finally:
        temporary.unlink(missing_ok=True)


def mailto_url(session: Session, meeting_id: int) -> str:
    """A ``mailto:`` link to all invitees (first address each), subject = the meeting."""
    meeting = get_meeting(session, meeting_id)
    recipients = ",".join(quote(e, safe="@.+-_") for e in invitee_emails(session, meeting_id))
    return f"mailto:{recipients}?subject={quote(meeting_label(meeting))}"
