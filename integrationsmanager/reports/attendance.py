"""The attendance list (Anwesenheitsliste) to sign at a meeting.

Everyone invited who has not declined or sent apologies, by name, with their organisation and a
wide empty signature column; rows are high enough to sign in, the header row is repeated on
every page, and a few empty rows follow for people who come unannounced. Those who declined or
sent apologies are named below the table.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, TableStyle
from sqlalchemy.orm import Session

from integrationsmanager.domain.enums import AttendanceStatus
from integrationsmanager.domain.network import Person
from integrationsmanager.reports.document import (
    PORTRAIT_WIDTH,
    Cell,
    Progress,
    ProgressCallback,
    atomic_pdf,
    build_pdf,
    data_table,
    paragraph,
)
from integrationsmanager.reports.meeting_pack import meeting_header, meeting_info
from integrationsmanager.reports.palette import MUTED_TEXT
from integrationsmanager.reports.styles import report_styles
from integrationsmanager.services.meetings import (
    attendance_by_status,
    get_meeting,
    organisation_of,
    person_name,
    person_sort_key,
    to_local,
)

TITLE = "Anwesenheitsliste"
BLANK_ROWS = 5
"""Empty rows at the end for people who come without having been invited."""
ROW_PADDING = 4.2 * mm
"""Space above and below a name: a row is about 12 mm high, enough to sign."""
NOT_COMING = (AttendanceStatus.DECLINED, AttendanceStatus.EXCUSED)


def write_attendance_list(
    session: Session,
    meeting_id: int,
    path: Path,
    *,
    progress: ProgressCallback | None = None,
) -> int:
    """Write the attendance list of ``meeting_id`` as a PDF to ``path``; returns the page count.

    An unknown meeting or a ``path`` that cannot be a PDF raises a
    :class:`~integrationsmanager.domain.errors.UserError`.
    """
    meeting = get_meeting(session, meeting_id)
    tracker = Progress(progress)
    with atomic_pdf(path) as target:
        tracker.preparing(0, 1)
        grouped = attendance_by_status(meeting)
        on = to_local(meeting.starts_at).date()
        expected = sorted(
            (p for status, people in grouped.items() if status not in NOT_COMING for p in people),
            key=person_sort_key,
        )
        rows: list[list[Cell]] = [
            [f"{n}", person_name(p), organisation_of(p, on), ""]
            for n, p in enumerate(expected, start=1)
        ]
        rows += [["", "", "", ""] for _ in range(BLANK_ROWS)]
        story: list[Flowable] = [
            *meeting_header(meeting, TITLE, online=False),
            _signature_table(rows),
        ]
        story += _absent(grouped)
        tracker.preparing(1, 1)
        return build_pdf(target, meeting_info(meeting, TITLE), story, progress=tracker)


def _signature_table(rows: list[list[Cell]]) -> Flowable:
    widths = [10 * mm, 42 * mm, 50 * mm, 0.0]
    widths[3] = PORTRAIT_WIDTH - sum(widths)
    table = data_table(["Nr.", "Name", "Organisation", "Unterschrift"], rows, widths, numeric=(0,))
    table.setStyle(
        TableStyle(
            [
                ("TOPPADDING", (0, 1), (-1, -1), ROW_PADDING),
                ("BOTTOMPADDING", (0, 1), (-1, -1), ROW_PADDING),
                ("VALIGN", (0, 1), (-1, -1), "MIDDLE"),
                ("INNERGRID", (0, 1), (-1, -1), 0.4, HexColor(MUTED_TEXT)),
                ("BOX", (0, 0), (-1, -1), 0.6, HexColor(MUTED_TEXT)),
            ]
        )
    )
    return table


def _absent(grouped: dict[AttendanceStatus, list[Person]]) -> list[Flowable]:
    styles = report_styles()
    story: list[Flowable] = []
    for status in NOT_COMING:
        people = grouped[status]
        if people:
            names = ", ".join(person_name(p) for p in people)
            story += [
                Spacer(1, 3 * mm),
                paragraph(f"{status.label.capitalize()}: {names}", styles.small),
            ]
    return story
