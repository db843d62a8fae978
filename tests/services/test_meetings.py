"""Working groups and meetings: members and chair, invitees, agenda, attendance, action items
with their carry-over to the next meeting, and the links between measures and meetings."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from integrationsmanager.domain.common import DeletionLog
from integrationsmanager.domain.enums import (
    ActionStatus,
    AttendanceStatus,
    GroupKind,
    MeetingStatus,
    MemberRole,
)
from integrationsmanager.domain.errors import UserError, ValidationError
from integrationsmanager.domain.meetings import ActionItem, Meeting, Membership
from integrationsmanager.domain.network import Organisation, Person, PersonEmail, PersonRole
from integrationsmanager.domain.text import fold, search_blob
from integrationsmanager.services.action_items import (
    ActionItemData,
    action_items_of_meeting,
    delete_action_item,
    open_action_items,
    overdue_action_items,
    save_action_item,
    set_action_status,
)
from integrationsmanager.services.measures import MeasureData, guideline_by_number, save_measure
from integrationsmanager.services.meetings import (
    AgendaItemData,
    GroupData,
    MeetingData,
    add_agenda_item,
    add_invitee,
    add_member,
    attendance_by_status,
    chair,
    change_role,
    delete_group,
    delete_meeting,
    get_meeting,
    groups_for_measure,
    invitee_emails,
    invitees,
    list_groups,
    list_meetings,
    measures_for_group,
    meeting_when,
    meetings_for_measure,
    members,
    move_agenda_item,
    next_meeting,
    organisation_of,
    record_minutes,
    remove_agenda_item,
    remove_invitee,
    remove_member,
    reorder_agenda,
    save_group,
    save_meeting,
    set_attendance,
    set_members,
    to_local,
    upcoming_meetings,
    update_agenda_item,
)

# --- helpers shared with the invitation and document tests ---------------------------------

CYRILLIC_FIRST, CYRILLIC_LAST = "Олександр", "Коваленко"
ARABIC_FIRST, ARABIC_LAST = "محمد", "العلي"


def make_organisation(session: Session, name: str) -> Organisation:
    organisation = Organisation(name=name, name_folded=fold(name), search_text=search_blob(name))
    session.add(organisation)
    session.flush()
    return organisation


def make_person(
    session: Session,
    first: str,
    last: str,
    *,
    email: str | None = None,
    organisation: Organisation | None = None,
) -> Person:
    """A person written with the ORM directly (the persons service is built elsewhere)."""
    person = Person(
        first_name=first,
        last_name=last,
        name_folded=fold(f"{last} {first}"),
        search_text=search_blob(first, last, email),
    )
    if email:
        person.emails.append(PersonEmail(address=email, address_folded=fold(email)))
    if organisation is not None:
        person.roles.append(PersonRole(organisation=organisation, function="Mitarbeit"))
    session.add(person)
    session.flush()
    return person


def guideline_id(session: Session, number: int) -> int:
    guideline = guideline_by_number(session, number)
    assert guideline is not None
    return guideline.id


def make_group(session: Session, name: str = "Arbeitskreis Bildung und Sprache") -> int:
    data = GroupData(
        name=name,
        kind=GroupKind.WORKING_GROUP,
        guideline_ids=[guideline_id(session, 1), guideline_id(session, 2)],
        usual_place="Landratsamt Altenburg, Raum 104",
        rhythm="vierteljährlich",
    )
    return save_group(session, data).id


def make_meeting(
    session: Session,
    group_id: int,
    starts: datetime = datetime(2026, 3, 12, 10, 0),
    ends: datetime | None = datetime(2026, 3, 12, 12, 0),
    title: str = "1. Sitzung",
    **fields: object,
) -> Meeting:
    data = MeetingData(group_id=group_id, starts_at=starts, ends_at=ends, title=title, **fields)  # type: ignore[arg-type]
    return save_meeting(session, data)


# --- groups and members ---------------------------------------------------------------------


def test_group_is_saved_with_guidelines_and_validated(session: Session) -> None:
    group_id = make_group(session)
    assert list_groups(session) == [(group_id, "Arbeitskreis Bildung und Sprache")]
    with pytest.raises(ValidationError) as err:
        save_group(session, GroupData(name="  ", guideline_ids=[99999]))
    assert err.value.errors == {
        "name": "Bitte einen Namen für das Gremium eingeben.",
        "guidelines": "Leitlinie 99999 gibt es nicht.",
    }
    updated = save_group(
        session, GroupData(name="Beirat für Migration", kind=GroupKind.ADVISORY_BOARD), group_id
    )
    assert (updated.name, updated.kind, updated.guidelines) == (
        "Beirat für Migration",
        GroupKind.ADVISORY_BOARD,
        [],
    )
    with pytest.raises(UserError, match="Das Gremium 4711 gibt es nicht"):
        save_group(session, GroupData(name="x"), 4711)
    again = GroupData.from_group(updated)
    assert (again.name, again.kind, again.guideline_ids) == (
        "Beirat für Migration",
        GroupKind.ADVISORY_BOARD,
        [],
    )


def test_members_have_at_most_one_chair(session: Session) -> None:
    group_id = make_group(session)
    anna = make_person(session, "Anna", "Schulze")
    ben = make_person(session, "Ben", "Albrecht")
    olek = make_person(session, CYRILLIC_FIRST, CYRILLIC_LAST)

    set_members(
        session,
        group_id,
        [(anna.id, MemberRole.CHAIR), (ben.id, MemberRole.MEMBER), (olek.id, MemberRole.GUEST)],
    )
    assert chair(session, group_id) is anna
    assert [m.person.last_name for m in members(session, group_id)] == [
        "Schulze",
        "Albrecht",
        CYRILLIC_LAST,
    ]

    with pytest.raises(ValidationError) as err:
        set_members(session, group_id, [(anna.id, MemberRole.CHAIR), (ben.id, MemberRole.CHAIR)])
    assert err.value.errors == {"chair": "Ein Gremium hat höchstens einen Vorsitz."}
    with pytest.raises(ValidationError, match="„Ben Albrecht“ steht zweimal"):
        set_members(session, group_id, [(ben.id, MemberRole.MEMBER), (ben.id, MemberRole.GUEST)])
    with pytest.raises(ValidationError, match="„Anna Schulze“ hat bereits den Vorsitz"):
        change_role(session, group_id, ben.id, MemberRole.CHAIR)
    with pytest.raises(ValidationError, match="bereits Mitglied"):
        add_member(session, group_id, ben.id)

    # Handing over the chair: first the old chair steps down, then the new one takes it.
    change_role(session, group_id, anna.id, MemberRole.DEPUTY)
    change_role(session, group_id, ben.id, MemberRole.CHAIR)
    assert chair(session, group_id) is ben

    # set_members keeps existing rows (same uid) and removes those not listed.
    kept_uid = next(m.uid for m in members(session, group_id) if m.person_id == ben.id)
    set_members(session, group_id, [(ben.id, MemberRole.CHAIR)])
    assert [(m.person_id, m.uid) for m in members(session, group_id)] == [(ben.id, kept_uid)]
    assert session.scalar(select(func.count()).select_from(Membership)) == 1

    remove_member(session, group_id, ben.id)
    assert chair(session, group_id) is None
    with pytest.raises(UserError, match="ist kein Mitglied"):
        remove_member(session, group_id, ben.id)
    with pytest.raises(UserError, match="Die Person 999 gibt es nicht"):
        add_member(session, group_id, 999)


# --- meetings, invitees, attendance ---------------------------------------------------------


def test_meeting_times_are_local_and_stored_as_utc(session: Session) -> None:
    group_id = make_group(session)
    winter = make_meeting(session, group_id)
    summer = make_meeting(
        session, group_id, datetime(2026, 7, 2, 17, 30), datetime(2026, 7, 2, 19, 0)
    )
    assert winter.starts_at == datetime(2026, 3, 12, 9, 0, tzinfo=UTC)
    assert summer.starts_at == datetime(2026, 7, 2, 15, 30, tzinfo=UTC)
    assert to_local(summer.starts_at).hour == 17
    assert meeting_when(winter) == "Donnerstag, 12.03.2026, 10:00–12:00 Uhr"
    session.expire_all()
    stored = get_meeting(session, summer.id)
    assert stored.starts_at == datetime(2026, 7, 2, 15, 30, tzinfo=UTC)
    assert list_meetings(session) == [
        (winter.id, "12.03.2026 Arbeitskreis Bildung und Sprache – 1. Sitzung"),
        (summer.id, "02.07.2026 Arbeitskreis Bildung und Sprache – 1. Sitzung"),
    ]


def test_meeting_validation_messages_are_german(session: Session) -> None:
    with pytest.raises(ValidationError) as err:
        save_meeting(
            session,
            MeetingData(
                group_id=None,
                starts_at=datetime(2026, 3, 12, 10),
                ends_at=datetime(2026, 3, 12, 9),
                online_link="zoom.us/j/123",
            ),
        )
    assert err.value.errors == {
        "group": "Bitte ein Gremium wählen.",
        "ends_at": "Das Ende muss nach dem Beginn liegen.",
        "online_link": "Der Online-Link muss mit https:// beginnen (die Adresse aus der "
        "Einladung des Videodienstes).",
    }
    group_id = make_group(session)
    with pytest.raises(ValidationError) as err:
        save_meeting(
            session, MeetingData(group_id=group_id, starts_at=datetime(2026, 3, 29, 2, 30))
        )
    assert "Zeitumstellung" in err.value.errors["starts_at"]
    with pytest.raises(ValidationError) as err:
        save_meeting(session, MeetingData(group_id=group_id, starts_at=None))
    assert err.value.errors == {"starts_at": "Bitte Datum und Uhrzeit des Beginns eingeben."}
    with pytest.raises(UserError, match="Die Sitzung 123 gibt es nicht"):
        get_meeting(session, 123)


def test_new_meeting_invites_the_current_members(session: Session) -> None:
    group_id = make_group(session)
    anna = make_person(session, "Anna", "Schulze", email="anna.schulze@vhs-abg.example")
    ben = make_person(session, "Ben", "Albrecht")
    gone = make_person(session, "Gerd", "Ehemalig")
    set_members(session, group_id, [(anna.id, MemberRole.CHAIR), (ben.id, MemberRole.MEMBER)])
    former = add_member(session, group_id, gone.id)
    former.valid_to = date(2025, 12, 31)

    meeting = make_meeting(session, group_id)
    assert [(a.person.last_name, a.status) for a in invitees(session, meeting.id)] == [
        ("Albrecht", AttendanceStatus.INVITED),
        ("Schulze", AttendanceStatus.INVITED),
    ]

    # Invitees are editable afterwards, without touching the membership.
    guest = make_person(session, ARABIC_FIRST, ARABIC_LAST, email="m.alali@jmd.example")
    add_invitee(session, meeting.id, guest.id)
    with pytest.raises(ValidationError, match="bereits eingeladen"):
        add_invitee(session, meeting.id, guest.id)
    remove_invitee(session, meeting.id, ben.id)
    with pytest.raises(UserError, match="nicht eingeladen"):
        set_attendance(session, meeting.id, ben.id, AttendanceStatus.PRESENT)
    assert [m.person_id for m in members(session, group_id)] == [anna.id, ben.id, gone.id]
    # By name (folded code points: Latin before Arabic); Ben was removed.
    assert invitee_emails(session, meeting.id) == [
        "anna.schulze@vhs-abg.example",
        "m.alali@jmd.example",
    ]

    # A later change of members does not change an existing meeting's invitees.
    remove_member(session, group_id, anna.id)
    assert {a.person_id for a in invitees(session, meeting.id)} == {anna.id, guest.id}


def test_attendance_changes_are_recorded(session: Session) -> None:
    group_id = make_group(session)
    people = [make_person(session, f"Vorname{i}", f"Name{i}") for i in range(5)]
    set_members(session, group_id, [(p.id, MemberRole.MEMBER) for p in people])
    meeting = make_meeting(session, group_id)
    statuses = [
        AttendanceStatus.ACCEPTED,
        AttendanceStatus.DECLINED,
        AttendanceStatus.PRESENT,
        AttendanceStatus.EXCUSED,
    ]
    for person, status in zip(people, statuses, strict=False):
        set_attendance(session, meeting.id, person.id, status)
    set_attendance(session, meeting.id, people[0].id, AttendanceStatus.PRESENT)
    session.expire_all()
    grouped = attendance_by_status(get_meeting(session, meeting.id))
    assert {s: [p.last_name for p in ps] for s, ps in grouped.items()} == {
        AttendanceStatus.INVITED: ["Name4"],
        AttendanceStatus.ACCEPTED: [],
        AttendanceStatus.DECLINED: ["Name1"],
        AttendanceStatus.PRESENT: ["Name0", "Name2"],
        AttendanceStatus.EXCUSED: ["Name3"],
    }


def test_reschedule_raises_the_invitation_sequence(session: Session) -> None:
    group_id = make_group(session)
    meeting = make_meeting(session, group_id, place="Landratsamt, Raum 104")
    assert meeting.ics_sequence == 0

    def save(**changes: object) -> int:
        data = replace(MeetingData.from_meeting(meeting), **changes)  # type: ignore[arg-type]
        return save_meeting(session, data, meeting.id).ics_sequence

    assert save(title="1. Sitzung 2026") == 0  # not a move
    assert save(starts_at=datetime(2026, 3, 19, 10), ends_at=datetime(2026, 3, 19, 12)) == 1
    assert save(place="Bürgerhaus Schmölln") == 2
    assert save(online_link="https://meet.altenburgerland.example/ak-bildung") == 3
    assert save() == 3
    assert save(status=MeetingStatus.CANCELLED) == 4


# --- agenda ---------------------------------------------------------------------------------


def test_agenda_positions_stay_one_to_n(session: Session) -> None:
    group_id = make_group(session)
    meeting = make_meeting(session, group_id)
    presenter = make_person(session, "Anna", "Schulze")
    titles = ["Begrüßung", "Bericht Sprachkurse", "Wohnen", "Verschiedenes"]
    items = [
        add_agenda_item(
            session,
            meeting.id,
            AgendaItemData(title=t, planned_minutes=10 * (i + 1), presenter_id=presenter.id),
        )
        for i, t in enumerate(titles)
    ]

    def agenda() -> list[tuple[int, str]]:
        return [(i.position, i.title) for i in get_meeting(session, meeting.id).agenda]

    assert agenda() == list(enumerate(titles, start=1))
    move_agenda_item(session, items[2].id, -1)  # Alt+↑
    assert [t for _, t in agenda()] == [
        "Begrüßung",
        "Wohnen",
        "Bericht Sprachkurse",
        "Verschiedenes",
    ]
    move_agenda_item(session, items[0].id, -1)  # already first: stays
    move_agenda_item(session, items[0].id, +10)  # to the end
    assert [t for _, t in agenda()] == [
        "Wohnen",
        "Bericht Sprachkurse",
        "Verschiedenes",
        "Begrüßung",
    ]
    reorder_agenda(session, meeting.id, [i.id for i in items])
    assert agenda() == list(enumerate(titles, start=1))
    with pytest.raises(UserError, match="genau einmal"):
        reorder_agenda(session, meeting.id, [items[0].id, items[0].id])
    task = save_action_item(
        session,
        ActionItemData(title="Nachfragen", agenda_item_id=items[1].id),
        today=date(2026, 3, 1),
    )
    remove_agenda_item(session, items[1].id)
    assert agenda() == [(1, "Begrüßung"), (2, "Wohnen"), (3, "Verschiedenes")]
    assert (task.meeting_id, task.agenda_item_id) == (meeting.id, None)

    update_agenda_item(
        session,
        items[3].id,
        replace(AgendaItemData.from_item(items[3]), title="Termine", presenter_text="alle"),
    )
    assert agenda()[-1] == (3, "Termine")
    assert (items[3].presenter, items[3].planned_minutes) == (presenter, 40)
    with pytest.raises(ValidationError) as err:
        add_agenda_item(
            session, meeting.id, AgendaItemData(title="", planned_minutes=0, presenter_id=999)
        )
    assert err.value.errors == {
        "title": "Bitte ein Thema für den Tagesordnungspunkt eingeben.",
        "planned_minutes": "Die geplante Dauer muss zwischen 1 und 480 Minuten liegen.",
        "presenter": "Die Person 999 gibt es nicht (mehr).",
    }

    record_minutes(session, items[0].id, "Frau Schulze begrüßt alle.\r\nZweite Zeile", "")
    assert get_meeting(session, meeting.id).agenda[0].minutes == (
        "Frau Schulze begrüßt alle.\nZweite Zeile"
    )


# --- action items and carry-over ------------------------------------------------------------


def test_open_action_items_carry_over_until_done(session: Session) -> None:
    group_id = make_group(session)
    owner = make_person(session, "Anna", "Schulze")
    first = make_meeting(session, group_id)
    top = add_agenda_item(session, first.id, AgendaItemData(title="Sprachkurse"))
    second = make_meeting(
        session, group_id, datetime(2026, 6, 11, 10), datetime(2026, 6, 11, 12), "2. Sitzung"
    )
    other_group = make_group(session, "Netzwerk Wohnen")
    save_action_item(
        session,
        ActionItemData(title="Fremde Aufgabe", group_id=other_group),
        today=date(2026, 3, 1),
    )

    task = save_action_item(
        session,
        ActionItemData(
            title="Liste der Kursträger verschicken",
            agenda_item_id=top.id,
            owner_id=owner.id,
            due_on=date(2026, 4, 30),
        ),
        today=date(2026, 3, 12),
    )
    assert (task.group_id, task.meeting_id) == (group_id, first.id)
    assert action_items_of_meeting(session, first.id) == [task]
    # A task agreed in the second meeting is not carried over into the second meeting.
    later = save_action_item(
        session,
        ActionItemData(title="Raum buchen", meeting_id=second.id, due_on=date(2026, 7, 1)),
        today=date(2026, 6, 11),
    )

    assert open_action_items(session, group_id, before=second.starts_at) == [task]
    assert open_action_items(session, group_id) == [task, later]
    assert overdue_action_items(session, today=date(2026, 5, 2)) == [task]

    set_action_status(session, task.id, ActionStatus.IN_PROGRESS)
    assert open_action_items(session, group_id, before=second.starts_at) == [task]
    set_action_status(session, task.id, ActionStatus.DONE, done_on=date(2026, 5, 20))
    assert task.done_on == date(2026, 5, 20)
    assert open_action_items(session, group_id, before=second.starts_at) == []
    assert overdue_action_items(session, today=date(2026, 5, 2)) == []

    # Reopened, it comes back (and loses its done date).
    set_action_status(session, task.id, ActionStatus.OPEN)
    assert task.done_on is None
    assert open_action_items(session, group_id, before=second.starts_at) == [task]
    set_action_status(session, task.id, ActionStatus.DROPPED)
    assert open_action_items(session, group_id, before=second.starts_at) == []


def test_action_item_validation(session: Session) -> None:
    group_id = make_group(session)
    meeting = make_meeting(session, group_id)
    other = make_meeting(session, make_group(session, "Netzwerk Wohnen"))
    top_elsewhere = add_agenda_item(session, other.id, AgendaItemData(title="Anderes"))
    with pytest.raises(ValidationError) as err:
        save_action_item(
            session,
            ActionItemData(title=" ", due_on=date(2040, 1, 1), done_on=date(2026, 1, 1)),
            today=date(2026, 3, 1),
        )
    assert err.value.errors == {
        "title": "Bitte die Aufgabe beschreiben.",
        "group": "Bitte das Gremium oder die Sitzung angeben, aus der die Aufgabe kommt.",
        "due_on": "Die Frist 01.01.2040 liegt mehr als 5 Jahre in der Zukunft – bitte das "
        "Datum prüfen.",
        "done_on": "Ein Erledigt-Datum gibt es nur bei erledigten Aufgaben.",
    }
    with pytest.raises(ValidationError) as err:
        save_action_item(
            session,
            ActionItemData(title="x", meeting_id=meeting.id, due_on=date(2026, 3, 1)),
            today=date(2026, 3, 12),
        )
    assert err.value.errors == {
        "due_on": "Die Frist 01.03.2026 liegt vor der Sitzung vom 12.03.2026, aus der die "
        "Aufgabe kommt."
    }
    with pytest.raises(ValidationError) as err:
        save_action_item(
            session,
            ActionItemData(title="x", meeting_id=meeting.id, agenda_item_id=top_elsewhere.id),
        )
    assert err.value.errors == {
        "agenda_item": "Der Tagesordnungspunkt gehört zu einer anderen Sitzung."
    }
    done = save_action_item(
        session,
        ActionItemData(title="Erledigt", group_id=group_id, status=ActionStatus.DONE),
        today=date(2026, 3, 12),
    )
    assert done.done_on == date(2026, 3, 12)
    # Saving it again (e.g. a corrected title) keeps the date it was done.
    done = save_action_item(
        session,
        ActionItemData(title="Erledigt!", group_id=group_id, status=ActionStatus.DONE),
        done.id,
        today=date(2026, 4, 1),
    )
    assert done.done_on == date(2026, 3, 12)
    edited = replace(ActionItemData.from_item(done), title="Erledigt.")
    assert save_action_item(session, edited, done.id).done_on == date(2026, 3, 12)
    delete_action_item(session, done.id)
    assert session.get(ActionItem, done.id) is None


# --- measures, upcoming meetings, deleting --------------------------------------------------


def test_measures_and_meetings_are_linked_both_ways(session: Session) -> None:
    group_id = make_group(session)  # guidelines 1 and 2
    housing_group = save_group(
        session, GroupData(name="Netzwerk Wohnen", guideline_ids=[guideline_id(session, 3)])
    ).id
    language = save_measure(
        session, MeasureData(title="Sprachcafé", guideline_id=guideline_id(session, 1))
    ).measure
    housing = save_measure(
        session, MeasureData(title="Wohnführerschein", guideline_id=guideline_id(session, 3))
    ).measure
    work = save_measure(
        session, MeasureData(title="Anerkennungsberatung", guideline_id=guideline_id(session, 2))
    ).measure

    assert measures_for_group(session, group_id) == [language, work]
    assert measures_for_group(session, housing_group) == [housing]

    first = make_meeting(session, group_id)
    add_agenda_item(session, first.id, AgendaItemData(title="Wohnen", measure_id=housing.id))
    second = make_meeting(
        session, group_id, datetime(2026, 6, 11, 10), datetime(2026, 6, 11, 12), "2. Sitzung"
    )
    save_action_item(
        session,
        ActionItemData(title="Vermieter ansprechen", meeting_id=second.id, measure_id=housing.id),
        today=date(2026, 6, 11),
    )
    assert meetings_for_measure(session, housing.id) == [first, second]
    assert meetings_for_measure(session, language.id) == []
    assert [g.name for g in groups_for_measure(session, housing.id)] == [
        "Arbeitskreis Bildung und Sprache",
        "Netzwerk Wohnen",
    ]
    assert [g.name for g in groups_for_measure(session, language.id)] == [
        "Arbeitskreis Bildung und Sprache"
    ]


def test_next_and_upcoming_meetings(session: Session) -> None:
    group_id = make_group(session)
    other = make_group(session, "Netzwerk Wohnen")
    past = make_meeting(session, group_id, datetime(2026, 1, 15, 10), None)
    soon = make_meeting(session, group_id, datetime(2026, 3, 12, 10), None)
    cancelled = make_meeting(session, other, datetime(2026, 3, 5, 10), None)
    save_meeting(
        session,
        MeetingData(
            group_id=other, starts_at=datetime(2026, 3, 5, 10), status=MeetingStatus.CANCELLED
        ),
        cancelled.id,
    )
    later = make_meeting(session, other, datetime(2026, 4, 1, 14), None)
    now = datetime(2026, 2, 1, tzinfo=UTC)
    assert past.starts_at < now
    assert next_meeting(session, group_id, now=now) is soon
    assert next_meeting(session, other, now=now) is later
    assert upcoming_meetings(session, 5, now=now) == [soon, later]
    assert upcoming_meetings(session, 1, now=now) == [soon]
    assert next_meeting(session, group_id, now=datetime(2026, 4, 1, tzinfo=UTC)) is None


def test_deleting_meetings_and_groups(session: Session) -> None:
    group_id = make_group(session)
    person = make_person(session, "Anna", "Schulze", organisation=make_organisation(session, "VHS"))
    assert organisation_of(person) == "VHS"
    set_members(session, group_id, [(person.id, MemberRole.MEMBER)])
    meeting = make_meeting(session, group_id)
    add_agenda_item(session, meeting.id, AgendaItemData(title="TOP"))
    task = save_action_item(
        session, ActionItemData(title="Aufgabe", meeting_id=meeting.id), today=date(2026, 3, 12)
    )
    delete_meeting(session, meeting.id)
    session.expire_all()
    assert session.get(Meeting, meeting.id) is None
    kept = session.get(ActionItem, task.id)
    assert kept is not None  # the task stays with the group
    assert (kept.group_id, kept.meeting_id, kept.agenda_item_id) == (group_id, None, None)
    delete_group(session, group_id)
    assert session.get(ActionItem, task.id) is None
    assert session.get(Person, person.id) is not None
    logged = set(session.scalars(select(DeletionLog.table_name)))
    assert {"meeting", "agenda_item", "attendance", "membership", "action_item"} <= logged
