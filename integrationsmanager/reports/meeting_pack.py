"""The meeting pack (Sitzungsunterlagen) that goes out with the invitation.

One document for the invitees: the invitation (date, time, place or online link, chair), the
agenda with presenters and planned minutes, the participant list (name, organisation, role in
the group, answer so far), the group's open action items carried over from earlier meetings,
and the status of the measures under the group's guidelines.

The header block and the documents' metadata are shared with the attendance list
(:mod:`~integrationsmanager.reports.attendance`) and the minutes
(:mod:`~integrationsmanager.reports.minutes`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer
from sqlalchemy import select
from sqlalchemy.orm import Session

from integrationsmanager.domain.enums import (
    ActionStatus,
    AttendanceStatus,
    MeasureStatus,
    MemberRole,
)
from integrationsmanager.domain.measures import Measure
from integrationsmanager.domain.meetings import ActionItem, Meeting
from integrationsmanager.reports.document import (
    PORTRAIT_WIDTH,
    Badge,
    Cell,
    DocumentInfo,
    Progress,
    ProgressCallback,
    atomic_pdf,
    build_pdf,
    data_table,
    field_table,
    format_date,
    heading,
    paragraph,
)
from integrationsmanager.reports.palette import ACCENT, status_colour
from integrationsmanager.reports.styles import report_styles
from integrationsmanager.services.action_items import OPEN_STATUSES, open_action_items
from integrationsmanager.services.meetings import (
    get_meeting,
    measures_for_group,
    meeting_date,
    meeting_label,
    meeting_when,
    member_roles,
    organisation_of,
    person_name,
    person_sort_key,
    presenter_label,
    to_local,
)

TITLE = "Sitzungsunterlagen"
EMPTY = "–"


# --- shared by the meeting documents ----------------------------------------------------------


def meeting_info(meeting: Meeting, title: str) -> DocumentInfo:
    """Metadata and page header of a meeting document: "<title> <date> · <group>"."""
    return DocumentInfo(
        title=f"{title} {meeting_date(meeting)} · {meeting.group.name}",
        subtitle=meeting_label(meeting),
        personal_data=True,
    )


def link(url: str) -> Paragraph:
    """A clickable web address for a table cell (long addresses wrap)."""
    target = escape(url, {'"': "&quot;"})
    return Paragraph(f'<a href="{target}" color="{ACCENT}">{escape(url)}</a>', report_styles().cell)


def meeting_header(meeting: Meeting, title: str, *, online: bool = True) -> list[Flowable]:
    """The top of page one: the group, the document's title, when and where, the chair."""
    styles = report_styles()
    group = meeting.group
    chair = next((m.person for m in group.members if m.role == MemberRole.CHAIR), None)
    rows: list[list[tuple[str, Cell]]] = [
        [("Termin", meeting_when(meeting))],
        [("Ort", meeting.place or ("online" if meeting.online_link else EMPTY))],
    ]
    if online and meeting.online_link:
        rows.append([("Online", link(meeting.online_link))])
    if chair is not None:
        rows.append([("Vorsitz", person_name(chair))])
    return [
        paragraph(group.name, styles.district),
        heading(f"{title} – {meeting.title}" if meeting.title else title, toc=False),
        field_table(rows),
        Spacer(1, 4 * mm),
    ]


ExtraColumn = tuple[str, Callable[[ActionItem], str]]
"""A further column of an action item table: its header and the cell of each item."""


def action_table(items: list[ActionItem], on: date, extra: ExtraColumn | None = None) -> Flowable:
    """Action items with owner, due date and status; an open one past ``on`` is "überfällig"."""
    header: list[Cell] = ["Aufgabe", "Verantwortlich", "Frist", "Status"]
    widths = [45 * mm, 21 * mm, 18 * mm]
    if extra is not None:
        header.append(extra[0])
        widths.append(24 * mm)
    rows: list[list[Cell]] = []
    for item in items:
        status = ActionStatus(item.status)
        due = format_date(item.due_on) or EMPTY
        if item.due_on is not None and item.due_on < on and status in OPEN_STATUSES:
            due += "\nüberfällig"
        row: list[Cell] = [
            item.title,
            person_name(item.owner) if item.owner else EMPTY,
            due,
            status.label,
        ]
        if extra is not None:
            row.append(extra[1](item))
        rows.append(row)
    return data_table(header, rows, [PORTRAIT_WIDTH - sum(widths), *widths])


def meeting_days(session: Session, meeting_ids: Iterable[int | None]) -> dict[int, date]:
    """The local date of each meeting in ``meeting_ids`` (None is skipped)."""
    ids = {i for i in meeting_ids if i is not None}
    if not ids:
        return {}
    rows = session.execute(select(Meeting.id, Meeting.starts_at).where(Meeting.id.in_(ids)))
    return {r.id: to_local(r.starts_at).date() for r in rows}


def measure_titles(session: Session, measure_ids: Iterable[int | None]) -> dict[int, str]:
    """The title of each measure in ``measure_ids`` (None is skipped)."""
    ids = {i for i in measure_ids if i is not None}
    if not ids:
        return {}
    rows = session.execute(select(Measure.id, Measure.title).where(Measure.id.in_(ids)))
    return {r.id: r.title for r in rows}


# --- the pack ---------------------------------------------------------------------------------


def write_meeting_pack(
    session: Session,
    meeting_id: int,
    path: Path,
    *,
    progress: ProgressCallback | None = None,
) -> int:
    """Write the meeting pack of ``meeting_id`` as a PDF to ``path``; returns the page count.

    An unknown meeting or a ``path`` that cannot be a PDF raises a
    :class:`~integrationsmanager.domain.errors.UserError`; ``progress`` works as for
    :func:`~integrationsmanager.reports.measures.write_measures_report`.
    """
    meeting = get_meeting(session, meeting_id)
    tracker = Progress(progress)
    with atomic_pdf(path) as target:
        tracker.preparing(0, 4)
        story = [*meeting_header(meeting, "Einladung"), *_agenda(session, meeting)]
        tracker.preparing(1, 4)
        story += _participants(meeting)
        tracker.preparing(2, 4)
        open_items = open_action_items(session, meeting.group_id, before=meeting.starts_at)
        days = meeting_days(session, (i.meeting_id for i in open_items))
        story += _open_items(open_items, to_local(meeting.starts_at).date(), days)
        tracker.preparing(3, 4)
        story += _measures(meeting, measures_for_group(session, meeting.group_id))
        tracker.preparing(4, 4)
        return build_pdf(target, meeting_info(meeting, TITLE), story, progress=tracker)


def _agenda(session: Session, meeting: Meeting) -> list[Flowable]:
    styles = report_styles()
    story: list[Flowable] = [heading("Tagesordnung", level=1, toc=False)]
    if not meeting.agenda:
        return [*story, paragraph("Die Tagesordnung folgt.", styles.indented)]
    measures = measure_titles(session, (i.measure_id for i in meeting.agenda))
    rows: list[list[Cell]] = []
    for item in meeting.agenda:
        topic = item.title
        if item.measure_id in measures:
            topic += f"\nMaßnahme: {measures[item.measure_id]}"
        rows.append(
            [
                f"TOP {item.position}",
                topic,
                presenter_label(item) or EMPTY,
                str(item.planned_minutes) if item.planned_minutes else EMPTY,
            ]
        )
    total = sum(item.planned_minutes or 0 for item in meeting.agenda)
    if total:
        rows.append(["", "Geplante Dauer insgesamt", "", str(total)])
    widths = [16 * mm, 0.0, 45 * mm, 14 * mm]
    widths[1] = PORTRAIT_WIDTH - sum(widths)
    return [
        *story,
        data_table(
            ["TOP", "Thema", "Vortrag", "Min."], rows, widths, numeric=(3,), total_row=bool(total)
        ),
    ]


def _participants(meeting: Meeting) -> list[Flowable]:
    styles = report_styles()
    story: list[Flowable] = [heading("Teilnehmende", level=1, toc=False)]
    if not meeting.attendance:
        return [*story, paragraph("Noch niemand eingeladen.", styles.indented)]
    roles = member_roles(meeting.group)
    on = to_local(meeting.starts_at).date()
    rows: list[list[Cell]] = []
    for attendance in sorted(meeting.attendance, key=lambda a: person_sort_key(a.person)):
        person = attendance.person
        role = roles.get(person.id)
        rows.append(
            [
                person_name(person),
                organisation_of(person, on) or EMPTY,
                role.label if role is not None else "Gast (kein Mitglied)",
                AttendanceStatus(attendance.status).label,
            ]
        )
    widths = [48 * mm, 0.0, 30 * mm, 27 * mm]
    widths[1] = PORTRAIT_WIDTH - sum(widths)
    return [
        *story,
        data_table(["Name", "Organisation", "Rolle", "Rückmeldung"], rows, widths),
    ]


def _open_items(items: list[ActionItem], on: date, days: dict[int, date]) -> list[Flowable]:
    styles = report_styles()
    story: list[Flowable] = [heading("Offene Aufgaben", level=1, toc=False)]
    if not items:
        return [
            *story,
            paragraph("Keine offenen Aufgaben aus früheren Sitzungen.", styles.indented),
        ]
    return [
        *story,
        paragraph(
            "Aufgaben des Gremiums, die noch nicht erledigt sind (aus früheren Sitzungen "
            "übernommen).",
            styles.small,
        ),
        Spacer(1, 2 * mm),
        action_table(
            items,
            on,
            ("aus Sitzung", lambda i: format_date(days.get(i.meeting_id or 0)) or EMPTY),
        ),
    ]


def _measures(meeting: Meeting, measures: list[Measure]) -> list[Flowable]:
    styles = report_styles()
    guidelines = meeting.group.guidelines
    story: list[Flowable] = [heading("Stand der Maßnahmen", level=1, toc=False)]
    if not guidelines:
        return [*story, paragraph("Dem Gremium ist keine Leitlinie zugeordnet.", styles.indented)]
    names = ", ".join(f"Leitlinie {g.number} ({g.title})" for g in guidelines)
    story.append(paragraph(f"Maßnahmen unter {names}.", styles.small))
    story.append(Spacer(1, 2 * mm))
    if not measures:
        return [
            *story,
            paragraph("Unter diesen Leitlinien gibt es noch keine Maßnahmen.", styles.indented),
        ]
    rows: list[list[Cell]] = []
    for measure in measures:
        status = MeasureStatus(measure.status)
        rows.append(
            [
                str(measure.guideline.number),
                measure.title,
                Badge(status.label, status_colour(status)),
                _period(measure),
            ]
        )
    widths = [18 * mm, 0.0, 30 * mm, 42 * mm]
    widths[1] = PORTRAIT_WIDTH - sum(widths)
    return [*story, data_table(["Leitlinie", "Maßnahme", "Status", "Zeitraum"], rows, widths)]


def _period(measure: Measure) -> str:
    start, end = format_date(measure.start_date), format_date(measure.end_date)
    if start and end:
        return f"{start} – {end}"
    if start:
        return f"ab {start}"
    if end:
        return f"bis {end}"
    return EMPTY
