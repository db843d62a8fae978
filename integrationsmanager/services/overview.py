"""The start screen's content: key figures and the lists of what needs attention.

Built for speed, because the overview is the first thing the program shows: the key figures
come from a handful of grouped queries, and the attention lists reuse the services that own
each rule (overdue action items, funding deadlines, upcoming meetings) instead of repeating
their conditions. Every list entry names the record it opens (``kind`` and ``record_id``) and
carries one German line of text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from integrationsmanager.domain.enums import GrantStatus, MeasureStatus, MeetingStatus
from integrationsmanager.domain.funding import Grant
from integrationsmanager.domain.measures import Measure
from integrationsmanager.domain.meetings import ActionItem, Meeting, WorkingGroup
from integrationsmanager.domain.monitoring import Indicator, IndicatorValue
from integrationsmanager.domain.network import Organisation
from integrationsmanager.services.action_items import OPEN_STATUSES, overdue_action_items
from integrationsmanager.services.budgets import BudgetRow, budget_overview, budget_total
from integrationsmanager.services.deadlines import DeadlineKind, deadlines
from integrationsmanager.services.indicators import breakdown
from integrationsmanager.services.meetings import (
    WEEKDAYS,
    meeting_date,
    meeting_subject,
    person_name,
    to_local,
    upcoming_meetings,
)

PENDING_DECISION = (GrantStatus.RECEIVED, GrantStatus.IN_REVIEW)
"""Applications that wait for the office's decision."""

LIST_LIMIT = 50
"""At most this many entries per attention list; the heading still gives the full count."""

UPCOMING_WEEKS = 4
"""How far ahead the list of upcoming meetings looks."""


@dataclass(frozen=True)
class MeasureFigures:
    by_status: dict[MeasureStatus, int]
    started_this_year: int
    """Measures whose start date lies between 1 January and today."""

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


@dataclass(frozen=True)
class GrantFigures:
    """Grants of the budget year ``year`` in approved-or-later states, as the budget tab counts."""

    year: int
    approved_count: int
    approved_cents: int
    paid_cents: int
    pending_decisions: int
    """Applications of any year that are received or in review."""


@dataclass(frozen=True)
class ActionItemFigures:
    open: int
    overdue: int


@dataclass(frozen=True)
class NextMeeting:
    meeting_id: int
    starts_at: datetime
    """Local time of the office."""
    group: str
    title: str

    @property
    def subject(self) -> str:
        return f"{self.group} – {self.title}" if self.title else self.group


@dataclass(frozen=True)
class KeyFigures:
    today: date
    measures: MeasureFigures
    grants: GrantFigures
    action_items: ActionItemFigures
    next_meeting: NextMeeting | None
    budget_rows: tuple[BudgetRow, ...]
    """Per programme of ``today``'s year: budget, approved, paid (for the chart beside)."""


@dataclass(frozen=True)
class AttentionEntry:
    kind: str
    """What ``record_id`` names: "action_item", "grant" or "meeting"."""
    record_id: int
    title: str
    """What it is: the task, the file number and project, the meeting's time."""
    detail: str
    """Why it is listed and what belongs to it: due date, owner, group, recipient …"""

    @property
    def text(self) -> str:
        """The entry in one German line, e.g. ``Protokoll versenden · fällig am 10.11.2026``."""
        return f"{self.title} · {self.detail}" if self.detail else self.title


@dataclass(frozen=True)
class AttentionList:
    entries: tuple[AttentionEntry, ...]
    total: int
    """All matching records; ``entries`` holds at most :data:`LIST_LIMIT` of them."""


@dataclass(frozen=True)
class Attention:
    overdue_action_items: AttentionList
    pending_decisions: AttentionList
    overdue_proofs: AttentionList
    upcoming_meetings: AttentionList


def local_today(now: datetime | None = None) -> date:
    """The office's date at ``now`` (default: the current time)."""
    return to_local(now or datetime.now(UTC)).date()


def count_text(number: int) -> str:
    """``1.234``: a whole number with German thousands separators.

    Done without Babel: its first call loads the locale data, a noticeable part of the start,
    and the start screen shows only whole numbers.
    """
    return f"{number:,}".replace(",", ".")


def whole_euros(cents: int) -> str:
    """``412.500 €``: money rounded (half up) to whole euros, for large figures."""
    euros = int((Decimal(cents) / 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    return f"{count_text(euros)}\u00a0€"


def days_text(days: int) -> str:
    return "1 Tag" if days == 1 else f"{count_text(days)} Tagen"


# --- key figures ------------------------------------------------------------------------------


def key_figures(session: Session, *, now: datetime | None = None) -> KeyFigures:
    """The numbers of the tiles; a few grouped queries whatever the size of the database."""
    moment = now or datetime.now(UTC)
    today = local_today(moment)
    budget_rows = tuple(budget_overview(session, today.year))
    return KeyFigures(
        today=today,
        measures=_measure_figures(session, today),
        grants=_grant_figures(session, today.year, budget_total(list(budget_rows))),
        action_items=_action_item_figures(session, today),
        next_meeting=_next_meeting(session, moment),
        budget_rows=budget_rows,
    )


def _measure_figures(session: Session, today: date) -> MeasureFigures:
    started = and_(Measure.start_date >= date(today.year, 1, 1), Measure.start_date <= today)
    by_status = dict.fromkeys(MeasureStatus, 0)
    new = 0
    for status, count, started_count in session.execute(
        select(
            Measure.status,
            func.count(),
            func.coalesce(func.sum(case((started, 1), else_=0)), 0),
        ).group_by(Measure.status)
    ):
        by_status[MeasureStatus(status)] = count
        new += int(started_count)
    return MeasureFigures(by_status=by_status, started_this_year=new)


def _grant_figures(session: Session, year: int, total: BudgetRow) -> GrantFigures:
    pending = session.scalar(
        select(func.count()).select_from(Grant).where(Grant.status.in_(PENDING_DECISION))
    )
    return GrantFigures(
        year=year,
        approved_count=total.grants,
        approved_cents=total.approved_cents,
        paid_cents=total.paid_cents,
        pending_decisions=int(pending or 0),
    )


def _action_item_figures(session: Session, today: date) -> ActionItemFigures:
    row = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(case((ActionItem.due_on < today, 1), else_=0)), 0),
        ).where(ActionItem.status.in_(OPEN_STATUSES))
    ).one()
    return ActionItemFigures(open=int(row[0]), overdue=int(row[1]))


def _next_meeting(session: Session, now: datetime) -> NextMeeting | None:
    found = upcoming_meetings(session, limit=1, now=now)
    if not found:
        return None
    meeting = found[0]
    return NextMeeting(
        meeting_id=meeting.id,
        starts_at=to_local(meeting.starts_at),
        group=meeting.group.name,
        title=meeting.title,
    )


# --- attention lists --------------------------------------------------------------------------


def attention(
    session: Session, *, now: datetime | None = None, weeks: int = UPCOMING_WEEKS
) -> Attention:
    """Overdue action items, pending decisions, overdue proofs of use, the next meetings."""
    moment = now or datetime.now(UTC)
    today = local_today(moment)
    return Attention(
        overdue_action_items=_overdue_action_items(session, today),
        pending_decisions=_pending_decisions(session, today),
        overdue_proofs=_overdue_proofs(session, today),
        upcoming_meetings=_upcoming_meetings(session, moment, weeks),
    )


def _limited(entries: list[AttentionEntry], total: int | None = None) -> AttentionList:
    return AttentionList(
        entries=tuple(entries[:LIST_LIMIT]), total=len(entries) if total is None else total
    )


def _overdue_action_items(session: Session, today: date) -> AttentionList:
    items = overdue_action_items(session, today=today)
    shown = items[:LIST_LIMIT]
    groups = {
        group_id: name
        for group_id, name in session.execute(
            select(WorkingGroup.id, WorkingGroup.name).where(
                WorkingGroup.id.in_({item.group_id for item in shown})
            )
        )
    }
    entries = []
    for item in shown:
        assert item.due_on is not None, "overdue items have a due date"
        parts = [f"fällig am {item.due_on:%d.%m.%Y}"]
        if item.owner is not None:
            parts.append(person_name(item.owner))
        group = groups.get(item.group_id)
        if group:
            parts.append(group)
        entries.append(AttentionEntry("action_item", item.id, item.title, " · ".join(parts)))
    return _limited(entries, len(items))


def _pending_decisions(session: Session, today: date) -> AttentionList:
    rows = session.execute(
        select(
            Grant.id,
            Grant.file_number,
            Grant.project_title,
            Grant.received_on,
            Organisation.name,
        )
        .join(Organisation, Organisation.id == Grant.recipient_id)
        .where(Grant.status.in_(PENDING_DECISION))
        .order_by(Grant.received_on.is_(None), Grant.received_on, Grant.file_number, Grant.id)
    ).all()
    entries = []
    for r in rows:
        detail = r.name
        if r.received_on is not None:
            waiting = (today - r.received_on).days
            detail += f" · eingegangen am {r.received_on:%d.%m.%Y}"
            if waiting > 0:
                detail += f", wartet seit {days_text(waiting)}"
        entries.append(
            AttentionEntry("grant", r.id, f"{r.file_number} · {r.project_title}", detail)
        )
    return _limited(entries)


def _overdue_proofs(session: Session, today: date) -> AttentionList:
    entries = [
        AttentionEntry(
            "grant",
            d.grant_id,
            f"{d.file_number} · {d.project_title}",
            f"{d.recipient} · fällig am {d.due_on:%d.%m.%Y}, seit {days_text(d.days_overdue)} "
            "überfällig",
        )
        for d in deadlines(session, today=today)
        if d.kind == DeadlineKind.PROOF_OVERDUE
    ]
    return _limited(entries)


def _upcoming_meetings(session: Session, now: datetime, weeks: int) -> AttentionList:
    until = now + timedelta(weeks=weeks)
    today = local_today(now)
    meetings = [
        m for m in upcoming_meetings(session, limit=LIST_LIMIT, now=now) if m.starts_at < until
    ]
    total = len(meetings)
    if total == LIST_LIMIT:
        total = int(
            session.scalar(
                select(func.count())
                .select_from(Meeting)
                .where(
                    Meeting.status == MeetingStatus.PLANNED,
                    Meeting.starts_at >= now,
                    Meeting.starts_at < until,
                )
            )
            or 0
        )
    entries = []
    for meeting in meetings:
        start = to_local(meeting.starts_at)
        days = (start.date() - today).days
        when = "heute" if days == 0 else "morgen" if days == 1 else f"in {days} Tagen"
        place = f" · {meeting.place}" if meeting.place else ""
        entries.append(
            AttentionEntry(
                "meeting",
                meeting.id,
                f"{WEEKDAYS[start.weekday()]}, {meeting_date(meeting)}, {start:%H:%M} Uhr ({when})",
                f"{meeting_subject(meeting)}{place}",
            )
        )
    return _limited(entries, total)


# --- the indicator chart ----------------------------------------------------------------------


@dataclass(frozen=True)
class FeaturedBreakdown:
    """An indicator's breakdown of one year, e.g. foreign nationals by nationality."""

    indicator_id: int
    name: str
    unit: str
    breakdown_key: str
    year: int
    total: Decimal | None
    """The indicator's total of ``year`` (not a forecast), if there is one."""
    values: list[tuple[str, Decimal]]
    """(breakdown value, value), largest first."""


def featured_breakdown(session: Session) -> FeaturedBreakdown | None:
    """The indicator whose breakdown is the most recent (ties: the first created), or None."""
    latest = session.execute(
        select(IndicatorValue.indicator_id, func.max(IndicatorValue.year).label("year"))
        .where(IndicatorValue.breakdown_value != "")
        .group_by(IndicatorValue.indicator_id)
        .order_by(func.max(IndicatorValue.year).desc(), IndicatorValue.indicator_id)
        .limit(1)
    ).first()
    if latest is None:
        return None
    indicator = session.get(Indicator, latest.indicator_id)
    assert indicator is not None, "values belong to an indicator"
    total = session.scalars(
        select(IndicatorValue.value)
        .where(
            IndicatorValue.indicator_id == indicator.id,
            IndicatorValue.year == latest.year,
            IndicatorValue.breakdown_value == "",
            IndicatorValue.is_forecast.is_(False),
        )
        # A value without a date stands for the year's end: the latest of the year.
        .order_by(
            IndicatorValue.reference_date.is_not(None),
            IndicatorValue.reference_date.desc(),
            IndicatorValue.id.desc(),
        )
        .limit(1)
    ).first()
    return FeaturedBreakdown(
        indicator_id=indicator.id,
        name=indicator.name,
        unit=indicator.unit,
        breakdown_key=indicator.breakdown_key,
        year=latest.year,
        total=total,
        values=breakdown(session, indicator.id, latest.year),
    )
