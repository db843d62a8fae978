"""Information for a person under Art. 15 DSGVO: one PDF and one JSON file.

Both come from :func:`~integrationsmanager.services.privacy.person_information`; the PDF shows
every section as a table (an empty section says so, the person learns that nothing is held
there), the JSON keeps the same structure with ISO dates for machines.
"""

from __future__ import annotations

import os
import secrets
from datetime import date, datetime
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer
from sqlalchemy.orm import Session

from integrationsmanager.domain.errors import UserError
from integrationsmanager.reports.document import (
    PORTRAIT_WIDTH,
    Cell,
    DocumentInfo,
    Progress,
    ProgressCallback,
    atomic_pdf,
    build_pdf,
    data_table,
    format_date,
    heading,
    paragraph,
    section_end,
    text_width,
)
from integrationsmanager.reports.styles import report_styles
from integrationsmanager.services.meetings import to_local
from integrationsmanager.services.privacy import information_json, person_information
from integrationsmanager.services.settings import office_setting

TITLE = "Auskunft nach Art. 15 DSGVO"
MIN_COLUMN = 18 * mm
MAX_COLUMN = 70 * mm


def format_value(value: Any) -> str:
    """A cell's text: German dates, local times, ``–`` for nothing."""
    if value is None or value == "":
        return "–"
    if isinstance(value, datetime):
        return to_local(value).strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return format_date(value)
    return str(value)


def _widths(header: list[str], rows: list[list[str]]) -> list[float]:
    """Columns as wide as their longest text needs, squeezed to the page width."""
    wanted = []
    for column, title in enumerate(header):
        longest = max([text_width(title, bold=True), *(text_width(row[column]) for row in rows)])
        wanted.append(min(max(longest + 10, MIN_COLUMN), MAX_COLUMN))
    scale = PORTRAIT_WIDTH / sum(wanted)
    return [w * scale for w in wanted]


def _section(title: str, rows: list[dict[str, Any]]) -> list[Flowable]:
    styles = report_styles()
    story: list[Flowable] = [heading(title, 1, section=True)]
    if not rows:
        story.append(paragraph("Keine Daten gespeichert.", styles.small))
    else:
        header = list(rows[0])
        cells = [[format_value(row.get(key)) for key in header] for row in rows]
        table_rows: list[list[Cell]] = [list(row) for row in cells]
        story.append(data_table(header, table_rows, _widths(header, cells)))
    story += [section_end(), Spacer(1, 5 * mm)]
    return story


def write_information_pdf(
    info: dict[str, Any],
    path: Path,
    *,
    authority: str = "",
    progress: ProgressCallback | None = None,
) -> int:
    """Write the information ``info`` (from ``person_information``) as a PDF; returns pages."""
    styles = report_styles()
    tracker = Progress(progress)
    with atomic_pdf(path) as target:
        tracker.preparing(0, 1)
        document = DocumentInfo(
            title=f"{TITLE}: {info['name']}",
            subtitle=info["name"],
            personal_data=True,
        )
        intro = (
            f"Diese Auskunft nennt alle Daten, die {authority or 'die Behörde'} im "
            f"Integrationsmanager zu {info['name']} (Nummer {info['person_id']}) speichert, "
            "und woher sie stammen. Stand: "
            f"{format_date(date.today())}."
        )
        story: list[Flowable] = [
            paragraph(TITLE, styles.title),
            paragraph(intro),
            Spacer(1, 6 * mm),
        ]
        for title, rows in info["sections"].items():
            story += _section(title, rows)
        tracker.preparing(1, 1)
        return build_pdf(target, document, story, progress=tracker)


def _write_text_atomic(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError as err:
        raise UserError(f"„{path.name}“ kann nicht geschrieben werden ({err.strerror}).") from err
    finally:
        temporary.unlink(missing_ok=True)


def write_person_information(
    session: Session,
    person_id: int,
    out_dir: Path,
    *,
    progress: ProgressCallback | None = None,
) -> tuple[Path, Path]:
    """Write ``auskunft-person-<id>-<date>.pdf`` and ``.json`` into ``out_dir``.

    A missing folder is created (``--out auskunft/`` on the command line); a UserError says
    when the person is unknown or the folder cannot be made.
    """
    info = person_information(session, person_id)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise UserError(f"Den Ordner „{out_dir}“ kann das Programm nicht anlegen.") from err
    stem = f"auskunft-person-{person_id}-{date.today().isoformat()}"
    pdf = out_dir / f"{stem}.pdf"
    json_path = out_dir / f"{stem}.json"
    authority = office_setting(session, "office.authority")
    write_information_pdf(info, pdf, authority=authority, progress=progress)
    _write_text_atomic(json_path, information_json(info) + "\n")
    return pdf, json_path
