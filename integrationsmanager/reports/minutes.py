"""The minutes (Protokoll) of a meeting.

Who attended, grouped by status (anwesend, entschuldigt, abgesagt, and those without a recorded
attendance); then each agenda item with its presenter, linked measure, minutes, decisions and
the action items agreed under it; finally all new action items of the meeting with owner and
due date — the list that comes back at the group's next meeting until each item is done.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer
from sqlalchemy.orm import Session

from integrationsmanager.domain.enums import AttendanceStatus
from integrationsmanager.domain.meetings import ActionItem, AgendaItem, Meeting
from integrationsmanager.reports.document import (
    PORTRAIT_WIDTH,
    Cell,
    Progress,
    ProgressCallback,
    atomic_pdf,
    build_pdf,
    data_table,
    heading,
    paragraph,
)
from integrationsmanager.reports.meeting_pack import (
    EMPTY,
    action_table,
    measure_titles,
    meeting_header,
    meeting_info,
)
from integrationsmanager.reports.styles import report_styles
from integrationsmanager.services.action_items import action_items_of_meeting
from integrationsmanager.services.meetings import (
    attendance_by_status,
    get_meeting,
    organisation_of,
    person_name,
    presenter_label,
    to_local,
)

TITLE = "Protokoll"

ATTENDANCE_ORDER = (
    (AttendanceStatus.PRESENT, "Anwesend"),
    (AttendanceStatus.EXCUSED, "Entschuldigt"),
    (AttendanceStatus.DECLINED, "Abgesagt"),
    (AttendanceStatus.ACCEPTED, "Zugesagt, Anwesenheit nicht erfasst"),
    (AttendanceStatus.INVITED, "Eingeladen, ohne Rückmeldung"),
)
"""The groups of the attendance section, in the order the minutes list them."""


def write_minutes(
    session: Session,
    meeting_id: int,
    path: Path,
    *,
    progress: ProgressCallback | None = None,
) -> int:
    """Write the minutes of ``meeting_id`` as a PDF to ``path``; returns the page count.

    An unknown meeting or a ``path`` that cannot be a PDF raises a
    :class:`~integrationsmanager.domain.errors.UserError`.
    """
    meeting = get_meeting(session, meeting_id)
    tracker = Progress(progress)
    with atomic_pdf(path) as target:
        tracker.preparing(0, 1)
        items = action_items_of_meeting(session, meeting_id)
        story = [*meeting_header(meeting, TITLE), *_attendance(meeting)]
        story += _agenda(session, meeting, items, tracker)
        story += _new_items(meeting, items)
        return build_pdf(target, meeting_info(meeting, TITLE), story, progress=tracker)


def _attendance(meeting: Meeting) -> list[Flowable]:
    """A count per status, then one table of everyone invited, grouped by status."""
    styles = report_styles()
    story: list[Flowable] = [heading("Teilnahme", level=1, toc=False)]
    grouped = attendance_by_status(meeting)
    present = [(status, label) for status, label in ATTENDANCE_ORDER if grouped[status]]
    if not present:
        return [*story, paragraph("Zu dieser Sitzung war niemand eingeladen.", styles.indented)]
    on = to_local(meeting.starts_at).date()
    counts = " · ".join(f"{label}: {len(grouped[status])}" for status, label in present)
    rows: list[list[Cell]] = [
        [person_name(person), organisation_of(person, on) or EMPTY, label]
        for status, label in present
        for person in grouped[status]
    ]
    widths = [50 * mm, 0.0, 52 * mm]
    widths[1] = PORTRAIT_WIDTH - sum(widths)
    return [
        *story,
        paragraph(counts, styles.small),
        Spacer(1, 2 * mm),
        data_table(["Name", "Organisation", "Teilnahme"], rows, widths),
    ]


def _agenda(
    session: Session, meeting: Meeting, items: list[ActionItem], tracker: Progress
) -> list[Flowable]:
    styles = report_styles()
    if not meeting.agenda:
        return [
            heading("Tagesordnung", level=1, toc=False),
            paragraph("Zu dieser Sitzung ist keine Tagesordnung erfasst.", styles.indented),
        ]
    measures = measure_titles(session, (i.measure_id for i in meeting.agenda))
    on = to_local(meeting.starts_at).date()
    story: list[Flowable] = []
    for done, item in enumerate(meeting.agenda, start=1):
        story += _agenda_item(item, measures, [i for i in items if i.agenda_item_id == item.id], on)
        tracker.preparing(done, len(meeting.agenda))
    return story


def _agenda_item(
    item: AgendaItem, measures: dict[int, str], tasks: list[ActionItem], on: date
) -> list[Flowable]:
    styles = report_styles()
    facts = []
    presenter = presenter_label(item)
    if presenter:
        facts.append(f"Vortrag: {presenter}")
    if item.measure_id in measures:
        facts.append(f"Maßnahme: {measures[item.measure_id]}")
    story: list[Flowable] = [heading(f"TOP {item.position}: {item.title}", level=1, toc=False)]
    if facts:
        story.append(paragraph(" · ".join(facts), styles.small))
    story += [
        paragraph("Protokoll", styles.label),
        paragraph(item.minutes or EMPTY, styles.indented),
        paragraph("Beschlüsse", styles.label),
        paragraph(item.decisions or "Keine Beschlüsse.", styles.indented),
    ]
    if tasks:
        story += [paragraph("Aufgaben", styles.label), action_table(tasks, on)]
    return [KeepTogether(story)]


def _new_items(meeting: Meeting, items: list[ActionItem]) -> list[Flowable]:
    styles = report_styles()
    story: list[Flowable] = [Spacer(1, 4 * mm), heading("Neue Aufgaben", level=1, toc=False)]
    if not items:
        return [
            *story,
            paragraph("In dieser Sitzung wurden keine Aufgaben vereinbart.", styles.indented),
        ]
    positions = {item.id: item.position for item in meeting.agenda}

    def top(item: ActionItem) -> str:
        position = positions.get(item.agenda_item_id or 0)
        return f"TOP {position}" if position is not None else EMPTY

    return [*story, action_table(items, to_local(meeting.starts_at).date(), ("TOP", top))]
