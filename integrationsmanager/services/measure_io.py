"""Measures to and from Excel and CSV files in one German column layout.

Export and import share :data:`COLUMNS`, so an exported file imports again unchanged, also
into an empty database (organisations named in it are created). CSV is written the way German
Excel reads it (``;``, UTF-8 with BOM, ``1.234,56``, ``31.12.2026``). An import is all or
nothing: every row is checked before anything is written, and the error names each bad row
by the number the spreadsheet shows (header = row 1).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Select, insert, select
from sqlalchemy.orm import Session, aliased

from integrationsmanager.domain.common import Guideline, Tag
from integrationsmanager.domain.enums import (
    MeasureStatus,
    PlanningDocument,
    Priority,
    Responsibility,
)
from integrationsmanager.domain.errors import FieldError, UserError
from integrationsmanager.domain.measures import Measure, measure_partner, measure_tag
from integrationsmanager.domain.money import to_decimal
from integrationsmanager.domain.network import Organisation
from integrationsmanager.domain.text import clean_line, clean_text, fold, search_blob
from integrationsmanager.domain.validation import FIELD_LABELS
from integrationsmanager.services.measures import MeasureData, MeasureFilter, measure_ids
from integrationsmanager.services.organisations import new_organisation
from integrationsmanager.services.spreadsheets import (
    Cell,
    ImportFailed,
    cell_text,
    chunks,
    column_positions,
    enum_parser,
    existing_organisations,
    existing_tags,
    first_spellings,
    parse_date,
    parse_money,
    read_table,
    restore,
    write_csv,
    write_xlsx,
)
from integrationsmanager.services.tags import split_tags
from integrationsmanager.storage.audit import record_bulk_insert
from integrationsmanager.storage.tracking import session_user

__all__ = ["COLUMNS", "ImportFailed", "ImportReport", "export_measures", "import_measures"]

COLUMNS: tuple[str, ...] = (
    "Titel",
    "Leitlinie",
    "Status",
    "Zuständigkeit",
    "Priorität",
    "Beginn",
    "Ende",
    "Ausgangslage",
    "Ziel",
    "Umsetzung",
    "Federführung",
    "Partner",
    "Budget geplant",
    "Ausgegeben",
    "Fachplanung",
    "Fachplanung Anmerkung",
    "Schlagwörter",
)
"""The header row of measure files, in this order on export; import finds them by name."""

REQUIRED_COLUMNS = ("Titel", "Leitlinie")
EXPORT_SUFFIXES = (".xlsx", ".csv")
PARTNER_SEPARATOR = "; "
TAG_SEPARATOR = ", "
SHEET_TITLE = "Maßnahmen"
NAME_MAX = 300
"""Longest organisation name and planning note (the width of their columns)."""
NAMES_SHOWN = 20

_WIDTHS = {
    "Titel": 45,
    "Leitlinie": 40,
    "Status": 14,
    "Zuständigkeit": 18,
    "Priorität": 10,
    "Beginn": 12,
    "Ende": 12,
    "Ausgangslage": 50,
    "Ziel": 50,
    "Umsetzung": 50,
    "Federführung": 30,
    "Partner": 45,
    "Budget geplant": 15,
    "Ausgegeben": 15,
    "Fachplanung": 18,
    "Fachplanung Anmerkung": 30,
    "Schlagwörter": 30,
}
_LEADING_NUMBER = re.compile(r"(\d+)\.?(?:\s|$)")

_T = TypeVar("_T")

ALL_MEASURES = MeasureFilter()
_BLANK = MeasureData(title="", guideline_id=None)
"""Defaults for cells left empty: those of a new measure."""


@dataclass
class ImportReport:
    """What an import did, or in a dry run what it would do."""

    rows: int
    created: int
    created_organisations: list[str]
    dry_run: bool

    def summary(self) -> str:
        if self.rows == 0:
            return "Die Datei enthält keine Maßnahmen; es wurde nichts importiert."
        noun = "Maßnahme" if self.created == 1 else "Maßnahmen"
        if self.dry_run:
            text = f"Prüfung erfolgreich: {self.created} {noun} würden importiert."
            names_label = "Neu anzulegende Organisationen"
        else:
            text = f"{self.created} {noun} importiert."
            names_label = "Neu angelegte Organisationen"
        if self.created_organisations:
            names = ", ".join(self.created_organisations[:NAMES_SHOWN])
            more = len(self.created_organisations) - NAMES_SHOWN
            if more > 0:
                names += f" und {more} weitere"
            text += f" {names_label} ({len(self.created_organisations)}): {names}."
        if self.dry_run:
            text += " Es wurde nichts gespeichert."
        return text


# --- export --------------------------------------------------------------------------------


def export_measures(session: Session, path: Path, flt: MeasureFilter = ALL_MEASURES) -> int:
    """Write the measures matching ``flt`` to ``path`` (.xlsx or .csv); return their number."""
    suffix = path.suffix.casefold()
    if suffix not in EXPORT_SUFFIXES:
        raise UserError(
            f"Maßnahmen können als Excel-Datei (.xlsx) oder CSV-Datei (.csv) exportiert "
            f"werden, nicht als „{path.name}“."
        )
    rows = _export_rows(session, measure_ids(session, flt, sort="guideline"))
    if suffix == ".xlsx":
        write_xlsx(path, COLUMNS, rows, title=SHEET_TITLE, widths=_WIDTHS, row_name=_measure_name)
    else:
        write_csv(path, COLUMNS, rows)
    return len(rows)


def _measure_name(_number: int, row: Sequence[Cell]) -> str:
    return f"Maßnahme „{row[0]}“"


def _export_rows(session: Session, ids: list[int]) -> list[list[Cell]]:
    """The cells of the measures ``ids`` in that order.

    Plain column queries rather than ORM objects: loading 20,000 measures with their
    organisations as objects takes several times as long.
    """
    guidelines = {g.id: g.label for g in session.scalars(select(Guideline))}
    lead = aliased(Organisation)
    rows: list[list[Cell]] = []
    for chunk in chunks(ids):
        measures = session.execute(
            select(
                Measure.id,
                Measure.title,
                Measure.guideline_id,
                Measure.status,
                Measure.responsibility,
                Measure.priority,
                Measure.start_date,
                Measure.end_date,
                Measure.baseline,
                Measure.goal,
                Measure.implementation,
                lead.name.label("lead"),
                Measure.planned_budget_cents,
                Measure.spent_cents,
                Measure.planning_document,
                Measure.planning_document_note,
            )
            .outerjoin(lead, lead.id == Measure.lead_organisation_id)
            .where(Measure.id.in_(chunk))
        )
        by_id = {m.id: m for m in measures}
        partners = _names_by_measure(
            session,
            select(measure_partner.c.measure_id, Organisation.name)
            .join(Organisation, Organisation.id == measure_partner.c.organisation_id)
            .where(measure_partner.c.measure_id.in_(chunk))
            .order_by(Organisation.name_folded, Organisation.name),
        )
        tags = _names_by_measure(
            session,
            select(measure_tag.c.measure_id, Tag.name)
            .join(Tag, Tag.id == measure_tag.c.tag_id)
            .where(measure_tag.c.measure_id.in_(chunk))
            .order_by(Tag.name_folded, Tag.name),
        )
        for measure_id in chunk:
            m = by_id[measure_id]
            row: list[Cell] = [
                m.title,
                guidelines[m.guideline_id],
                MeasureStatus(m.status).label,
                Responsibility(m.responsibility).label,
                Priority(m.priority).label,
                m.start_date,
                m.end_date,
                m.baseline,
                m.goal,
                m.implementation,
                m.lead or "",
                PARTNER_SEPARATOR.join(partners.get(measure_id, [])),
                to_decimal(m.planned_budget_cents),
                to_decimal(m.spent_cents),
                PlanningDocument(m.planning_document).label,
                m.planning_document_note,
                TAG_SEPARATOR.join(tags.get(measure_id, [])),
            ]
            rows.append(row)
    return rows


def _names_by_measure(session: Session, statement: Select[Any]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {}
    for measure_id, name in session.execute(statement):
        names.setdefault(measure_id, []).append(name)
    return names


# --- import --------------------------------------------------------------------------------


def import_measures(session: Session, path: Path, *, dry_run: bool = False) -> ImportReport:
    """Create a measure for each row of ``path``; all rows or none (raises ImportFailed).

    Organisations named in the file that do not exist are created. With ``dry_run`` the
    file is only checked and nothing is written.
    """
    table = read_table(path)
    positions = column_positions(table[0][1], COLUMNS, REQUIRED_COLUMNS)
    guidelines = _GuidelineLookup(session)
    parsed: list[MeasureData] = []
    problems: list[str] = []
    for number, row in table[1:]:
        data, errors = _parse_row(row, positions, guidelines)
        problems.extend(
            f"Zeile {number}, {column}: {errors[column]}" for column in COLUMNS if column in errors
        )
        parsed.append(data)
    if problems:
        raise ImportFailed(problems)

    names = first_spellings(n for d in parsed for n in (d.lead_organisation, *d.partners) if n)
    existing = existing_organisations(session, list(names))
    created = [name for folded, name in names.items() if folded not in existing]
    if not dry_run:
        with session.begin_nested():
            _store(session, parsed, existing, created)
    return ImportReport(
        rows=len(parsed), created=len(parsed), created_organisations=created, dry_run=dry_run
    )


class _GuidelineLookup:
    """Finds guidelines by number, "N Title" or title without a query per row."""

    def __init__(self, session: Session) -> None:
        # Later entries win: the same preference as guideline_by_number (current, newest).
        found = session.scalars(select(Guideline).order_by(Guideline.retired.desc(), Guideline.id))
        self.by_number: dict[int, int] = {}
        self.by_text: dict[str, int] = {}
        for guideline in found:
            self.by_number[guideline.number] = guideline.id
            self.by_text[fold(guideline.title)] = guideline.id
            self.by_text[fold(guideline.label)] = guideline.id

    def find(self, value: object, column: str) -> int | None:
        """The guideline's id; None for an empty cell; FieldError for an unknown one."""
        text = clean_line(cell_text(value))
        if not text:
            return None
        found = self.by_text.get(fold(text))
        if found is None:
            number = _LEADING_NUMBER.match(text)
            if number is not None:
                found = self.by_number.get(int(number.group(1)))
        if found is None:
            raise FieldError(column, f"Eine Leitlinie „{text}“ gibt es nicht.")
        return found


def _parse_row(
    row: Sequence[object], positions: dict[str, int], guidelines: _GuidelineLookup
) -> tuple[MeasureData, dict[str, str]]:
    """The measure a row describes and the problems found in it, keyed by column."""
    errors: dict[str, str] = {}

    def cell(column: str) -> object:
        index = positions.get(column)
        value = row[index] if index is not None and index < len(row) else None
        return restore(value) if isinstance(value, str) else value

    def checked(column: str, parse: Callable[[object, str], _T], default: _T) -> _T:
        try:
            return parse(cell(column), column)
        except FieldError as err:
            errors[column] = err.message
            return default

    def line(column: str, limit: int | None = None) -> str:
        text = clean_line(cell_text(cell(column)))
        if limit is not None and len(text) > limit:
            errors[column] = f"Höchstens {limit} Zeichen."
        return text

    partners = [clean_line(p) for p in cell_text(cell("Partner")).split(";")]
    if any(len(p) > NAME_MAX for p in partners):
        errors["Partner"] = f"Ein Name ist zu lang (höchstens {NAME_MAX} Zeichen)."
    data = MeasureData(
        title=line("Titel"),
        guideline_id=checked("Leitlinie", guidelines.find, None),
        baseline=clean_text(cell_text(cell("Ausgangslage"))),
        goal=clean_text(cell_text(cell("Ziel"))),
        implementation=clean_text(cell_text(cell("Umsetzung"))),
        responsibility=checked(
            "Zuständigkeit", enum_parser(_BLANK.responsibility), _BLANK.responsibility
        ),
        status=checked("Status", enum_parser(_BLANK.status), _BLANK.status),
        priority=checked("Priorität", enum_parser(_BLANK.priority), _BLANK.priority),
        start_date=checked("Beginn", parse_date, None),
        end_date=checked("Ende", parse_date, None),
        lead_organisation=line("Federführung", NAME_MAX),
        partners=[p for p in partners if p],
        planned_budget_cents=checked("Budget geplant", parse_money, None),
        spent_cents=checked("Ausgegeben", parse_money, None),
        planning_document=checked(
            "Fachplanung", enum_parser(_BLANK.planning_document), _BLANK.planning_document
        ),
        planning_document_note=line("Fachplanung Anmerkung", NAME_MAX),
        tags=split_tags(cell_text(cell("Schlagwörter"))),
    )
    for field_name, message in data.errors().items():
        errors.setdefault(FIELD_LABELS[field_name], message)
    return data, errors


def _store(
    session: Session,
    parsed: list[MeasureData],
    organisations: dict[str, Organisation],
    new_names: list[str],
) -> None:
    """Add the measures as save_measure would, with names and tags resolved in bulk.

    The few new organisations and tags go through the ORM; the measures and their links are
    inserted as bulk statements, since one ORM object per row makes 20,000 rows take many
    times longer. Bulk statements bypass the session's flush hooks, so ``updated_by`` is set
    here.
    """
    for name in new_names:
        organisation = new_organisation(name)
        session.add(organisation)
        organisations[fold(name)] = organisation
    tag_names = first_spellings(tag for data in parsed for tag in data.tags)
    tags = existing_tags(session, list(tag_names))
    for folded, name in tag_names.items():
        if folded not in tags:
            tags[folded] = Tag(name=name, name_folded=folded)
            session.add(tags[folded])
    session.flush()

    editor = session_user(session)
    values = []
    links: list[tuple[list[int], list[int]]] = []
    for data in parsed:
        lead = organisations[fold(data.lead_organisation)] if data.lead_organisation else None
        partners = dict.fromkeys(organisations[fold(name)].id for name in data.partners)
        if lead is not None:
            partners.pop(lead.id, None)
        measure_tags = list(dict.fromkeys(tags[fold(name)] for name in data.tags))
        links.append((list(partners), [t.id for t in measure_tags]))
        values.append(
            {
                "title": data.title,
                "title_folded": fold(data.title),
                "guideline_id": data.guideline_id,
                "baseline": data.baseline,
                "goal": data.goal,
                "implementation": data.implementation,
                "responsibility": data.responsibility,
                "status": data.status,
                "priority": data.priority,
                "start_date": data.start_date,
                "end_date": data.end_date,
                "lead_organisation_id": lead.id if lead else None,
                "planned_budget_cents": data.planned_budget_cents,
                "spent_cents": data.spent_cents,
                "planning_document": data.planning_document,
                "planning_document_note": data.planning_document_note,
                "search_text": search_blob(
                    data.title,
                    data.baseline,
                    data.goal,
                    data.implementation,
                    *(t.name for t in measure_tags),
                ),
                "updated_by": editor,
            }
        )
    ids = session.scalars(
        insert(Measure).returning(Measure.id, sort_by_parameter_order=True), values
    ).all()
    record_bulk_insert(session, Measure, ids)
    partner_rows = [
        {"measure_id": measure_id, "organisation_id": organisation_id}
        for measure_id, (partner_ids, _) in zip(ids, links, strict=True)
        for organisation_id in partner_ids
    ]
    tag_rows = [
        {"measure_id": measure_id, "tag_id": tag_id}
        for measure_id, (_, tag_ids) in zip(ids, links, strict=True)
        for tag_id in tag_ids
    ]
    for table, rows in ((measure_partner, partner_rows), (measure_tag, tag_rows)):
        if rows:
            session.execute(insert(table), rows)
