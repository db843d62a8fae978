"""Meeting invitations (.ics): parsed back, checked octet by octet, and compared with the
invitations Outlook, Exchange and Thunderbird write (``fixtures/real/ics``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy.orm import Session

from integrationsmanager.domain.common import Setting
from integrationsmanager.domain.enums import MeetingStatus, MemberRole
from integrationsmanager.domain.errors import UserError
from integrationsmanager.domain.meetings import Meeting
from integrationsmanager.services.invitations import (
    PRODID,
    berlin_timezone,
    export_meeting_ics,
    mailto_url,
    meeting_calendar,
)
from integrationsmanager.services.meetings import (
    AgendaItemData,
    MeetingData,
    add_agenda_item,
    save_meeting,
    set_members,
)
from tests.conftest import REAL_FIXTURES
from tests.services.test_meetings import (
    ARABIC_FIRST,
    ARABIC_LAST,
    CYRILLIC_FIRST,
    CYRILLIC_LAST,
    make_group,
    make_meeting,
    make_person,
)

REAL_ICS = sorted((REAL_FIXTURES / "ics").glob("*.ics"))
BERLIN = ZoneInfo("Europe/Berlin")

# --- the reading side: the same code for our files and the real ones ------------------------


def physical_lines(data: bytes) -> list[bytes]:
    """The file's lines as stored (CRLF or LF), without the line ends."""
    return re.split(rb"\r?\n", data.rstrip(b"\r\n"))


def unfold(data: bytes) -> list[str]:
    """RFC 5545 unfolding: a line break followed by one space or TAB (Outlook) joins lines."""
    return re.sub(r"\r?\n[ \t]", "", data.decode("utf-8")).splitlines()


@dataclass(frozen=True)
class Invitation:
    """What a calendar program needs from an invitation, read with the icalendar library."""

    method: str
    prodid: str
    timezones: list[str]
    events: list[Any]
    problems: list[str]
    """Content lines the parser could not read (broken folding and the like)."""


def read_invitation(data: bytes) -> Invitation:
    calendar = Calendar.from_ical(data)
    problems = [str(error) for c in calendar.walk() for _name, error in c.errors]
    return Invitation(
        method=str(calendar.get("METHOD", "")),
        prodid=str(calendar.get("PRODID", "")),
        timezones=[str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")],
        events=calendar.walk("VEVENT"),
        problems=problems,
    )


def attendees(event: Any) -> list[Any]:
    found = event.get("ATTENDEE", [])
    return found if isinstance(found, list) else [found]


def standard_properties(event: Any) -> set[str]:
    return {name for name in event if not name.startswith("X-")}


# --- the real invitations, read with the code above ------------------------------------------


@pytest.mark.parametrize("path", REAL_ICS, ids=[p.name for p in REAL_ICS])
def test_real_invitations_are_read_by_the_test_helpers(path: Path) -> None:
    invitation = read_invitation(path.read_bytes())
    assert invitation.method in ("REQUEST", "REPLY")
    (event,) = invitation.events
    start = event.get("DTSTART")
    assert start.params["TZID"] in invitation.timezones
    assert isinstance(event.decoded("DTSTART"), datetime)
    assert event.decoded("DTSTART").utcoffset() in (timedelta(hours=1), timedelta(hours=2))
    organiser = event["ORGANIZER"]
    assert str(organiser).lower().startswith("mailto:") and organiser.params["CN"]
    if path.name.startswith("exchange-cdo"):
        # As received: the ATTENDEE line and the UID are folded without the leading space.
        assert any("ATTENDEE" in p for p in invitation.problems)
        assert attendees(event) == []
        return
    assert invitation.problems == []
    assert attendees(event)
    for attendee in attendees(event):
        assert str(attendee).lower().startswith("mailto:")
        assert attendee.params["CN"] and attendee.params["PARTSTAT"]


def test_tab_folded_outlook_lines_are_joined() -> None:
    data = (REAL_FIXTURES / "ics" / "outlook2010-request-de-tine20.ics").read_bytes()
    assert b"\r\n\t" in data
    description = str(read_invitation(data).events[0]["DESCRIPTION"])
    assert "Geben Sie nach Aufforderung den zugewiesenen Zugangscode ein" in description
    assert any(line.startswith("UID:040000008200E0007") and len(line) > 75 for line in unfold(data))


# --- our invitation ----------------------------------------------------------------------------


@pytest.fixture
def meeting(session: Session) -> Meeting:
    group_id = make_group(session)
    chair = make_person(session, "Anna", "Schulze", email="anna.schulze@vhs-abg.example")
    umlaut = make_person(session, "Jürgen", "Größler", email="j.groessler@jobcenter-abg.example")
    cyrillic = make_person(session, CYRILLIC_FIRST, CYRILLIC_LAST, email="o.kowalenko@ukr.example")
    arabic = make_person(session, ARABIC_FIRST, ARABIC_LAST, email="m.alali@jmd.example")
    no_mail = make_person(session, "Ohne", "Adresse")
    set_members(
        session,
        group_id,
        [
            (chair.id, MemberRole.CHAIR),
            (umlaut.id, MemberRole.MEMBER),
            (cyrillic.id, MemberRole.DEPUTY),
            (arabic.id, MemberRole.GUEST),
            (no_mail.id, MemberRole.MEMBER),
        ],
    )
    meeting = make_meeting(
        session,
        group_id,
        title="1. Sitzung 2026",
        place="Landratsamt Altenburg, Lindenaustraße 9, Raum 104",
        online_link="https://meet.altenburgerland.example/ak-bildung?pwd=" + "x" * 60,
    )
    for title, minutes in (
        ("Begrüßung und Protokoll der letzten Sitzung", 10),
        ("Sprachkurse für Eltern: Stand in Schmölln, Meuselwitz und Lucka", 30),
    ):
        add_agenda_item(
            session,
            meeting.id,
            AgendaItemData(title=title, planned_minutes=minutes, presenter_id=chair.id),
        )
    return meeting


def test_invitation_has_the_shape_outlook_and_thunderbird_expect(
    session: Session, meeting: Meeting, tmp_path: Path
) -> None:
    path = tmp_path / "einladung.ics"
    count = export_meeting_ics(session, meeting.id, path)
    assert count == 4  # five invitees, one without an e-mail address
    data = path.read_bytes()

    # Octets: CRLF everywhere, at most 75 octets a line, folds never split a UTF-8 sequence.
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    lines = physical_lines(data)
    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode("utf-8")
    assert any(line.startswith(b" ") for line in lines), "long lines are folded"

    invitation = read_invitation(data)
    assert invitation.problems == []
    assert (invitation.method, invitation.prodid) == ("REQUEST", PRODID)
    assert invitation.timezones == ["Europe/Berlin"]
    (event,) = invitation.events
    assert str(event["UID"]) == f"{meeting.uid}@integrationsmanager.altenburgerland"
    assert event["SEQUENCE"] == 0
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event["DTEND"].params["TZID"] == "Europe/Berlin"
    assert "DTSTART;TZID=Europe/Berlin:20260312T100000" in unfold(data)
    assert "DTEND;TZID=Europe/Berlin:20260312T120000" in unfold(data)
    assert event.decoded("DTSTART") == datetime(2026, 3, 12, 10, tzinfo=BERLIN)
    assert str(event["SUMMARY"]) == "Arbeitskreis Bildung und Sprache – 1. Sitzung 2026"
    assert str(event["LOCATION"]) == "Landratsamt Altenburg, Lindenaustraße 9, Raum 104"
    assert str(event["URL"]) == meeting.online_link
    assert event.decoded("DTSTAMP").tzinfo is not None

    organiser = event["ORGANIZER"]
    assert str(organiser) == "mailto:integration@altenburgerland.example"
    assert organiser.params["CN"] == "Integrationsmanagement Landkreis Altenburger Land"

    found = {
        str(a): (a.params["CN"], a.params["ROLE"], a.params["PARTSTAT"], a.params["RSVP"])
        for a in attendees(event)
    }
    assert found == {
        "mailto:anna.schulze@vhs-abg.example": ("Anna Schulze", "CHAIR", "NEEDS-ACTION", "TRUE"),
        "mailto:j.groessler@jobcenter-abg.example": (
            "Jürgen Größler",
            "REQ-PARTICIPANT",
            "NEEDS-ACTION",
            "TRUE",
        ),
        "mailto:o.kowalenko@ukr.example": (
            f"{CYRILLIC_FIRST} {CYRILLIC_LAST}",
            "REQ-PARTICIPANT",
            "NEEDS-ACTION",
            "TRUE",
        ),
        "mailto:m.alali@jmd.example": (
            f"{ARABIC_FIRST} {ARABIC_LAST}",
            "REQ-PARTICIPANT",
            "NEEDS-ACTION",
            "TRUE",
        ),
    }

    description = str(event["DESCRIPTION"])
    assert "Donnerstag, 12.03.2026, 10:00–12:00 Uhr" in description
    assert "TOP 1: Begrüßung und Protokoll der letzten Sitzung (Anna Schulze, 10 Min.)" in (
        description
    )
    assert "TOP 2: Sprachkurse für Eltern: Stand in Schmölln, Meuselwitz und Lucka" in description

    # The properties the real requests carry are ours too (Outlook's PRIORITY aside).
    ours = standard_properties(event)
    for name in (
        "outlook2010-request-de-tine20.ics",
        "thunderbird-lightning-request-de-tine20.ics",
    ):
        real = read_invitation((REAL_FIXTURES / "ics" / name).read_bytes())
        assert real.method == invitation.method
        assert standard_properties(real.events[0]) - ours <= {"PRIORITY"}, name


def test_timezone_matches_thunderbirds_and_the_real_rules() -> None:
    ours = berlin_timezone()
    thunderbird = read_invitation(
        (REAL_FIXTURES / "ics" / "thunderbird-lightning-request-de-tine20.ics").read_bytes()
    )
    (theirs,) = Calendar.from_ical(
        (REAL_FIXTURES / "ics" / "thunderbird-lightning-request-de-tine20.ics").read_bytes()
    ).walk("VTIMEZONE")
    assert thunderbird.timezones == [str(ours["TZID"])]

    def rules(timezone: Any) -> set[tuple[str, ...]]:
        """Each DAYLIGHT/STANDARD part as its sorted content lines."""
        return {tuple(sorted(c.to_ical().decode().splitlines())) for c in timezone.subcomponents}

    assert rules(ours) == rules(theirs)
    # Read back as a time zone, it agrees with the tz database in every year ahead, on both
    # sides of each change (last Sunday of March and of October).
    tz = ours.to_tz()
    for year in range(2026, 2041):
        for month in range(1, 13):
            for day in (1, 24, 31 if month in (3, 10) else 28):
                moment = datetime(year, month, day, 12)
                assert moment.replace(tzinfo=tz).utcoffset() == (
                    moment.replace(tzinfo=BERLIN).utcoffset()
                ), moment


def test_reschedule_keeps_the_uid_and_raises_the_sequence(
    session: Session, meeting: Meeting, tmp_path: Path
) -> None:
    first = read_invitation(meeting_calendar(session, meeting.id).to_ical()).events[0]
    save_meeting(
        session,
        MeetingData(
            group_id=meeting.group_id,
            starts_at=datetime(2026, 3, 31, 14),
            ends_at=datetime(2026, 3, 31, 16),
            title=meeting.title,
            place=meeting.place,
            online_link=meeting.online_link,
        ),
        meeting.id,
    )
    path = tmp_path / "verschoben.ics"
    export_meeting_ics(session, meeting.id, path)
    second = read_invitation(path.read_bytes()).events[0]
    assert str(second["UID"]) == str(first["UID"])
    assert (first["SEQUENCE"], second["SEQUENCE"]) == (0, 1)
    # After the change to summer time: 14:00 in Berlin is 12:00 UTC.
    assert second.decoded("DTSTART").astimezone(UTC) == datetime(2026, 3, 31, 12, tzinfo=UTC)
    assert "DTSTART;TZID=Europe/Berlin:20260331T140000" in unfold(path.read_bytes())


def test_cancelled_meeting_is_a_cancel_with_a_higher_sequence(
    session: Session, meeting: Meeting
) -> None:
    save_meeting(
        session,
        MeetingData(
            group_id=meeting.group_id,
            starts_at=datetime(2026, 3, 12, 10),
            ends_at=datetime(2026, 3, 12, 12),
            title=meeting.title,
            place=meeting.place,
            online_link=meeting.online_link,
            status=MeetingStatus.CANCELLED,
        ),
        meeting.id,
    )
    invitation = read_invitation(meeting_calendar(session, meeting.id).to_ical())
    (event,) = invitation.events
    assert (invitation.method, str(event["STATUS"]), event["SEQUENCE"]) == (
        "CANCEL",
        "CANCELLED",
        1,
    )


def test_organiser_comes_from_the_settings(session: Session, meeting: Meeting) -> None:
    session.add(Setting(key="office.organiser_name", value='Integrationsmanagerin "Ost"'))
    session.add(Setting(key="office.organiser_email", value="m.mueller@altenburgerland.example"))
    session.flush()
    event = read_invitation(meeting_calendar(session, meeting.id).to_ical()).events[0]
    assert str(event["ORGANIZER"]) == "mailto:m.mueller@altenburgerland.example"
    # A double quote cannot stand inside a quoted parameter; Outlook gets a single one.
    assert event["ORGANIZER"].params["CN"] == "Integrationsmanagerin 'Ost'"


def test_meeting_without_end_or_place(session: Session) -> None:
    group_id = make_group(session)
    meeting = save_meeting(
        session,
        MeetingData(
            group_id=group_id,
            starts_at=datetime(2026, 5, 7, 9, 30),
            online_link="https://meet.example/beirat",
        ),
    )
    invitation = read_invitation(meeting_calendar(session, meeting.id).to_ical())
    (event,) = invitation.events
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(hours=2)
    assert str(event["LOCATION"]) == "https://meet.example/beirat"
    assert str(event["SUMMARY"]) == "Arbeitskreis Bildung und Sprache"
    assert attendees(event) == []


def test_export_refuses_bad_paths_and_unknown_meetings(
    session: Session, meeting: Meeting, tmp_path: Path
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(UserError, match=r"Endung \.ics"):
        export_meeting_ics(session, meeting.id, folder / "einladung.txt")
    with pytest.raises(UserError, match=r"Den Ordner .* gibt es nicht"):
        export_meeting_ics(session, meeting.id, folder / "fehlt" / "einladung.ics")
    (folder / "ordner.ics").mkdir()
    with pytest.raises(UserError, match="ist ein Ordner"):
        export_meeting_ics(session, meeting.id, folder / "ordner.ics")
    with pytest.raises(UserError, match="Die Sitzung 9999 gibt es nicht"):
        export_meeting_ics(session, 9999, folder / "einladung.ics")
    assert [p.name for p in folder.iterdir()] == ["ordner.ics"]


def test_mailto_link_lists_the_invitees(session: Session, meeting: Meeting) -> None:
    assert mailto_url(session, meeting.id) == (
        "mailto:j.groessler@jobcenter-abg.example,anna.schulze@vhs-abg.example,"
        "o.kowalenko@ukr.example,m.alali@jmd.example"
        "?subject=12.03.2026%20Arbeitskreis%20Bildung%20und%20Sprache%20%E2%80%93%201.%20Sitzung%202026"
    )
