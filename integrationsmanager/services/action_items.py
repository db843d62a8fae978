"""Action items (Aufgaben) of working groups: from a meeting, with owner, due date and status.

An open action item (offen, in Arbeit) is carried over: it appears in the preparation of every
later meeting of its group (:func:`open_action_items`) until it is done or dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from integrationsmanager.domain.enums import ActionStatus
from integrationsmanager.domain.errors import UserError, ValidationError
from integrationsmanager.domain.measures import Measure
from integrationsmanager.domain.meetings import ActionItem, AgendaItem, Meeting, WorkingGroup
from integrationsmanager.domain.network import Person
from integrationsmanager.domain.text import clean_line
from integrationsmanager.services.meetings import get_group, to_local

TITLE_MAX = 500
DUE_YEARS_AHEAD = 5
"""A due date further ahead than this is taken for a typing error."""

OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
DONE_DATE_ONLY_WHEN_DONE = "Ein Erledigt-Datum gibt es nur bei erledigten Aufgaben."


@dataclass
class ActionItemData:
    """The editable fields of an action item.

    The group follows from the meeting (or the agenda item) the task comes from; a task agreed
    outside a meeting names its ``group_id``.
    """

    title: str
    group_id: int | None = None
    meeting_id: int | None = None
    agenda_item_id: int | None = None
    owner_id: int | None = None
    due_on: date | None = None
    status: ActionStatus = ActionStatus.OPEN
    done_on: date | None = None
    measure_id: int | None = None

    def errors(self, *, today: date | None = None) -> dict[str, str]:
        """Checks that need no database; ``today`` defaults to the current date."""
        day = today or date.today()
        errors: dict[str, str] = {}
        title = clean_line(self.title)
        if not title:
            errors["title"] = "Bitte die Aufgabe beschreiben."
        elif len(title) > TITLE_MAX:
            errors["title"] = f"Die Beschreibung ist zu lang (höchstens {TITLE_MAX} Zeichen)."
        if self.group_id is None and self.meeting_id is None and self.agenda_item_id is None:
            errors["group"] = (
                "Bitte das Gremium oder die Sitzung angeben, aus der die Aufgabe kommt."
            )
        if self.due_on is not None and self.due_on.year > day.year + DUE_YEARS_AHEAD:
            errors["due_on"] = (
                f"Die Frist {self.due_on:%d.%m.%Y} liegt mehr als {DUE_YEARS_AHEAD} Jahre "
                "in der Zukunft – bitte das Datum prüfen."
            )
        if self.done_on is not None:
            if ActionStatus(self.status) != ActionStatus.DONE:
                errors["done_on"] = DONE_DATE_ONLY_WHEN_DONE
            elif self.done_on > day:
                errors["done_on"] = "Das Erledigt-Datum liegt in der Zukunft."
        return errors

    @classmethod
    def from_item(cls, item: ActionItem) -> ActionItemData:
        return cls(
            title=item.title,
            group_id=item.group_id,
            meeting_id=item.meeting_id,
            agenda_item_id=item.agenda_item_id,
            owner_id=item.owner_id,
            due_on=item.due_on,
            status=ActionStatus(item.status),
            done_on=item.done_on,
            measure_id=item.measure_id,
        )


def save_action_item(
    session: Session,
    data: ActionItemData,
    item_id: int | None = None,
    *,
    today: date | None = None,
) -> ActionItem:
    """Create (``item_id`` None) or update an action item; raises ValidationError.

    The group and meeting are taken from the agenda item or meeting when given; a due date
    before the meeting it comes from is refused. Marking a task done without a date records
    ``today``; reopening it clears the date.
    """
    day = today or date.today()
    errors = data.errors(today=day)
    agenda_item = meeting = None
    group_id = data.group_id
    if data.agenda_item_id is not None:
        agenda_item = session.get(AgendaItem, data.agenda_item_id)
        if agenda_item is None:
            errors["agenda_item"] = (
                f"Den Tagesordnungspunkt {data.agenda_item_id} gibt es nicht (mehr)."
            )
        elif data.meeting_id not in (None, agenda_item.meeting_id):
            errors["agenda_item"] = "Der Tagesordnungspunkt gehört zu einer anderen Sitzung."
        else:
            meeting = agenda_item.meeting
    if meeting is None and data.meeting_id is not None:
        meeting = session.get(Meeting, data.meeting_id)
        if meeting is None:
            errors["meeting"] = f"Die Sitzung {data.meeting_id} gibt es nicht (mehr)."
    if meeting is not None:
        if group_id not in (None, meeting.group_id):
            errors["group"] = "Die Sitzung gehört zu einem anderen Gremium."
        group_id = meeting.group_id
        meeting_day = to_local(meeting.starts_at).date()
        if data.due_on is not None and data.due_on < meeting_day:
            errors["due_on"] = (
                f"Die Frist {data.due_on:%d.%m.%Y} liegt vor der Sitzung "
                f"vom {meeting_day:%d.%m.%Y}, aus der die Aufgabe kommt."
            )
    elif group_id is not None and session.get(WorkingGroup, group_id) is None:
        errors["group"] = f"Das Gremium {group_id} gibt es nicht (mehr)."
    if data.owner_id is not None and session.get(Person, data.owner_id) is None:
        errors["owner"] = f"Die Person {data.owner_id} gibt es nicht (mehr)."
    if data.measure_id is not None and session.get(Measure, data.measure_id) is None:
        errors["measure"] = f"Die Maßnahme {data.measure_id} gibt es nicht (mehr)."
    if errors:
        raise ValidationError(errors)
    assert group_id is not None, "validated above"

    item = ActionItem() if item_id is None else get_action_item(session, item_id)
    item.group_id = group_id
    item.meeting_id = meeting.id if meeting is not None else None
    item.agenda_item_id = agenda_item.id if agenda_item is not None else None
    item.title = clean_line(data.title)
    item.owner = None if data.owner_id is None else session.get(Person, data.owner_id)
    item.due_on = data.due_on
    item.measure_id = data.measure_id
    _set_status(item, ActionStatus(data.status), data.done_on, day)
    session.add(item)
    session.flush()
    return item


def _set_status(item: ActionItem, status: ActionStatus, done_on: date | None, today: date) -> None:
    """Set the status; a done task keeps (or gets) its date, any other has none."""
    item.done_on = (done_on or item.done_on or today) if status == ActionStatus.DONE else None
    item.status = status


def set_action_status(
    session: Session, item_id: int, status: ActionStatus, *, done_on: date | None = None
) -> ActionItem:
    """Change only the status (the checkbox in a list); done gets ``done_on`` or today."""
    item = get_action_item(session, item_id)
    if done_on is not None and ActionStatus(status) != ActionStatus.DONE:
        raise ValidationError({"done_on": DONE_DATE_ONLY_WHEN_DONE})
    _set_status(item, ActionStatus(status), done_on, date.today())
    session.flush()
    return item


def get_action_item(session: Session, item_id: int) -> ActionItem:
    item = session.get(ActionItem, item_id)
    if item is None:
        raise UserError(f"Die Aufgabe {item_id} gibt es nicht (mehr).")
    return item


def delete_action_item(session: Session, item_id: int) -> None:
    session.delete(get_action_item(session, item_id))
    session.flush()


def open_action_items(
    session: Session, group_id: int, *, before: datetime | None = None
) -> list[ActionItem]:
    """The group's open action items (offen, in Arbeit), by due date (none last).

    With ``before`` (a meeting's start), only tasks from earlier meetings or from no meeting:
    what the preparation of that meeting carries over.
    """
    get_group(session, group_id)
    statement = (
        select(ActionItem)
        .outerjoin(Meeting, Meeting.id == ActionItem.meeting_id)
        .where(ActionItem.group_id == group_id, ActionItem.status.in_(OPEN_STATUSES))
        .options(selectinload(ActionItem.owner))
        .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)
    )
    if before is not None:
        statement = statement.where(or_(Meeting.id.is_(None), Meeting.starts_at < before))
    return list(session.scalars(statement))


def action_items_of_meeting(session: Session, meeting_id: int) -> list[ActionItem]:
    """The action items agreed in a meeting, in agenda order (tasks without a TOP last)."""
    return list(
        session.scalars(
            select(ActionItem)
            .outerjoin(AgendaItem, AgendaItem.id == ActionItem.agenda_item_id)
            .where(ActionItem.meeting_id == meeting_id)
            .options(selectinload(ActionItem.owner))
            .order_by(AgendaItem.position.is_(None), AgendaItem.position, ActionItem.id)
        )
    )


def overdue_action_items(session: Session, *, today: date | None = None) -> list[ActionItem]:
    """Open action items of all groups whose due date has passed, oldest first."""
    return list(
        session.scalars(
            select(ActionItem)
            .where(
                ActionItem.status.in_(OPEN_STATUSES),
                ActionItem.due_on < (today or date.today()),
            )
            .options(selectinload(ActionItem.owner))
            .order_by(ActionItem.due_on, ActionItem.id)
        )
    )
