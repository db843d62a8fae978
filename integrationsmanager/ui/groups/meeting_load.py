"""What the meeting window shows, read in one session: the meeting or a new one's defaults.

A new meeting is proposed two weeks ahead at the usual afternoon time, at the group's usual
place, titled "n. Sitzung <Jahr>", with the group's members invited. The open action items of
the group that were agreed before the meeting are carried over into it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from integrationsmanager.domain.enums import AttendanceStatus, MeetingStatus
from integrationsmanager.services.action_items import action_items_of_meeting, open_action_items
from integrationsmanager.services.meetings import (
    MeetingData,
    get_group,
    get_meeting,
    invitees,
    measures_for_group,
    members,
    to_local,
    to_utc,
)
from integrationsmanager.ui.groups.actions import ActionRow
from integrationsmanager.ui.groups.agenda import AgendaRow
from integrationsmanager.ui.groups.pickers import (
    MeasureChoice,
    PersonChoice,
    measure_choices,
    person_choice,
    person_choices,
)
from integrationsmanager.ui.groups.tables import ActionView, action_view

DEFAULT_START = time(14, 0)
DEFAULT_LENGTH = timedelta(hours=2)
DEFAULT_LEAD_DAYS = 14
"""A new meeting is proposed two weeks ahead."""


@dataclass
class MeetingContents:
    """What the window shows, read in one session."""

    group_id: int
    group_name: str
    usual_place: str
    meeting_id: int | None
    data: MeetingData
    agenda: list[AgendaRow]
    invitees: list[tuple[int, AttendanceStatus]]
    actions: list[ActionRow]
    carried: list[ActionView]
    measures: list[MeasureChoice]
    group_measures: list[MeasureChoice]
    people: list[PersonChoice]


def default_title(session: Session, group_id: int, day: date) -> str:
    group = get_group(session, group_id)
    same_year = sum(1 for m in group.meetings if to_local(m.starts_at).year == day.year)
    return f"{same_year + 1}. Sitzung {day.year}"


def _action_row(view: ActionView, *, carried: bool) -> ActionRow:
    return ActionRow(
        item_id=view.id,
        title=view.title,
        owner_id=view.owner_id,
        due_on=view.due_on,
        status=view.status,
        measure_id=view.measure_id,
        carried=carried,
        origin_meeting_id=view.meeting_id,
        origin_agenda_item_id=view.agenda_item_id,
        origin=view.meeting or "ohne Sitzung",
    )


def load_meeting(session: Session, meeting_id: int | None, group_id: int | None) -> MeetingContents:
    people = person_choices(session)
    measures = measure_choices(session)
    if meeting_id is not None:
        meeting = get_meeting(session, meeting_id)
        group_id = meeting.group_id
        starts = to_local(meeting.starts_at).replace(tzinfo=None)
        data = MeetingData(
            group_id=group_id,
            starts_at=starts,
            ends_at=(
                to_local(meeting.ends_at).replace(tzinfo=None)
                if meeting.ends_at is not None
                else None
            ),
            title=meeting.title,
            place=meeting.place,
            online_link=meeting.online_link,
            status=MeetingStatus(meeting.status),
            notes=meeting.notes,
        )
        agenda = [
            AgendaRow(
                item_id=item.id,
                title=item.title,
                presenter_id=item.presenter_id,
                presenter_text=item.presenter_text,
                planned_minutes=item.planned_minutes,
                measure_id=item.measure_id,
                minutes=item.minutes,
                decisions=item.decisions,
            )
            for item in sorted(meeting.agenda, key=lambda i: (i.position, i.id))
        ]
        invited = [(a.person_id, AttendanceStatus(a.status)) for a in invitees(session, meeting_id)]
        # Someone erased since the invitation still appears in the list, by their number.
        known = {p.id for p in people}
        people += [person_choice(a.person) for a in meeting.attendance if a.person_id not in known]
        own = [
            _action_row(action_view(session, a), carried=False)
            for a in action_items_of_meeting(session, meeting_id)
        ]
        before = meeting.starts_at
    else:
        assert group_id is not None, "a new meeting needs its group"
        group = get_group(session, group_id)
        day = date.today() + timedelta(days=DEFAULT_LEAD_DAYS)
        starts = datetime.combine(day, DEFAULT_START)
        data = MeetingData(
            group_id=group_id,
            starts_at=starts,
            ends_at=starts + DEFAULT_LENGTH,
            title=default_title(session, group_id, day),
            place=group.usual_place,
        )
        agenda = []
        order = {p.id: i for i, p in enumerate(people)}
        invited = sorted(
            (
                (m.person_id, AttendanceStatus.INVITED)
                for m in members(session, group_id)
                if m.person_id in order
            ),
            key=lambda entry: order[entry[0]],
        )
        own = []
        before = to_utc(starts)
    group = get_group(session, group_id)
    carried = [action_view(session, a) for a in open_action_items(session, group_id, before=before)]
    group_measure_ids = {m.id for m in measures_for_group(session, group_id)}
    return MeetingContents(
        group_id=group_id,
        group_name=group.name,
        usual_place=group.usual_place,
        meeting_id=meeting_id,
        data=data,
        agenda=agenda,
        invitees=invited,
        actions=[_action_row(v, carried=True) for v in carried] + own,
        carried=carried,
        measures=measures,
        group_measures=[m for m in measures if m.id in group_measure_ids],
        people=people,
    )
