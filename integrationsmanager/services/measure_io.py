"""Measures to and from Excel and CSV files in one German column layout.

Export and import share :data:`COLUMNS`, so an exported file imports again unchanged, also
into an empty database (organisations named in it are created). CSV is written the way German
Excel reads it (``;``, UTF-8 with BOM, ``1.234,56``, ``31.12.2026``). An import is all or
nothing: every row is checked before anything is written, and the error names each bad row
by the number the spreadsheet shows (header = row 1).
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from python_calamine import CalamineError, PasswordError
from sqlalchemy import Select, insert, select
from sqlalchemy.orm import Session, aliased

from integrationsmanager.domain.common import Guideline, Tag
from integrationsmanager.domain.enums import (
    LabelledEnum,
    MeasureStatus,
    PlanningDocument,
    Priority,
    Responsibility,
)
from integrationsmanager.domain.errors import FieldError, UserError
from integrationsmanager.domain.measures import Measure, measure_partner, measure_tag
from integrationsmanager.domain.money import format_number, to_cents, to_decimal
from integrationsmanager.domain.network import Organisation
from integrationsmanager.domain.text import clean_line, clean_text, fold, search_blob
from integrationsmanager.domain.validation import FIELD_LABELS
from integrationsmanager.services.measures import MeasureData, MeasureFilter, measure_ids
from integrationsmanager.services.organisations import new_organisation
from integrationsmanager.services.tags import split_tags
from integrationsmanager.storage.tracking import session_user

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

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
IMPORT_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
PARTNER_SEPARATOR = "; "
TAG_SEPARATOR = ", "
SHEET_TITLE = "Maßnahmen"
DATE_FORMAT = "DD.MM.YYYY"
MONEY_FORMAT = "#,##0.00"
EXCEL_CELL_MAX = 32767
NAME_MAX = 300
"""Longest organisation name and planning note (the width of their columns)."""
MONEY_MAX_CENTS = 10**14
"""A bound far above any budget that keeps amounts inside a 64-bit integer column."""
PROBLEMS_SHOWN = 30
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
_EXCEL_FIRST_DATE = date(1900, 3, 1)
"""Excel's date serials are unreliable before this day (its 1900 leap-year bug)."""
_FORMULA_START = re.compile(r"'*[=+\-@]")
_NEUTRALISED = re.compile(r"'+[=+\-@]")
_GERMAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_LEADING_NUMBER = re.compile(r"(\d+)\.?(?:\s|$)")
_GERMAN_SEPARATORS = str.maketrans(",.", ".,")
_IN_CHUNK = 500
"""Ids per ``IN (…)`` query, well below SQLite's limit of bound parameters."""

Cell = str | date | Decimal | None
"""A value as export writes it: text, a date, an amount in euros, or empty."""

_T = TypeVar("_T")
_E = TypeVar("_E", bound=LabelledEnum)

ALL_MEASURES = MeasureFilter()
_BLANK = MeasureData(title="", guideline_id=None)
"""Defaults for cells left empty: those of a new measure."""


class ImportFailed(UserError):
    """The file was not imported; ``problems`` lists every reason, one German line each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        lines = [
            "Import abgebrochen, es wurde nichts gespeichert. Bitte in der Datei korrigieren:",
            *self.problems[:PROBLEMS_SHOWN],
        ]
        if len(self.problems) > PROBLEMS_SHOWN:
            lines.append(f"… und {len(self.problems) - PROBLEMS_SHOWN} weitere.")
        super().__init__("\n".join(lines))


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
    writer = _write_xlsx if suffix == ".xlsx" else _write_csv
    _write_atomically(path, lambda target: writer(target, rows))
    return len(rows)


def _export_rows(session: Session, ids: list[int]) -> list[list[Cell]]:
    """The cells of the measures ``ids`` in that order.

    Plain column queries rather than ORM objects: loading 20,000 measures with their
    organisations as objects takes several times as long.
    """
    guidelines = {g.id: g.label for g in session.scalars(select(Guideline))}
    lead = aliased(Organisation)
    rows: list[list[Cell]] = []
    for chunk in _chunks(ids):
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
            rows.append([_neutralise(v) if isinstance(v, str) else v for v in row])
    return rows


def _names_by_measure(session: Session, statement: Select[Any]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {}
    for measure_id, name in session.execute(statement):
        names.setdefault(measure_id, []).append(name)
    return names


def _neutralise(text: str) -> str:
    """Keep a spreadsheet from running text as a formula (restored by :func:`_restore`).

    Text that already starts with apostrophes before such a character gets one more, so
    that stripping one on import gives back exactly the original.
    """
    return "'" + text if _FORMULA_START.match(text) else text


def _write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Write next to ``path`` and replace it only when complete, so a failure keeps the old."""
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        write(temporary)
        os.replace(temporary, path)
    except OSError as err:
        raise UserError(
            f"Die Datei „{path}“ kann nicht geschrieben werden ({err.strerror or err}). "
            "Ist der Ordner vorhanden und die Datei nicht in einem anderen Programm geöffnet?"
        ) from err
    finally:
        temporary.unlink(missing_ok=True)


def _write_xlsx(target: Path, rows: list[list[Cell]]) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS[column]
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(rows) + 1}"
    bold = Font(bold=True)
    header = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, value=column)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append(
            [
                _xlsx_cell(sheet, value, row, column)
                for value, column in zip(row, COLUMNS, strict=True)
            ]
        )
    workbook.save(target)


def _xlsx_cell(
    sheet: WriteOnlyWorksheet, value: Cell, row: list[Cell], column: str
) -> WriteOnlyCell | str | None:
    if isinstance(value, Decimal):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = MONEY_FORMAT
        return cell
    if isinstance(value, date):
        if value < _EXCEL_FIRST_DATE:
            return _german_date(value)
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if not value:
        return None
    if len(value) > EXCEL_CELL_MAX:
        raise UserError(
            f"Maßnahme „{row[0]}“: Der Text in „{column}“ ist länger, als eine Excel-Zelle "
            f"fassen kann ({format_number(EXCEL_CELL_MAX)} Zeichen). Bitte als CSV-Datei "
            "exportieren."
        )
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _write_csv(target: Path, rows: list[list[Cell]]) -> None:
    with target.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(COLUMNS)
        writer.writerows([_csv_text(value) for value in row] for row in rows)


def _csv_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        # What format_number(value, places=2) gives, without Babel's cost per cell.
        return f"{value:,.2f}".translate(_GERMAN_SEPARATORS)
    if isinstance(value, date):
        return _german_date(value)
    return value


def _german_date(value: date) -> str:
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"


# --- import --------------------------------------------------------------------------------


def import_measures(session: Session, path: Path, *, dry_run: bool = False) -> ImportReport:
    """Create a measure for each row of ``path``; all rows or none (raises ImportFailed).

    Organisations named in the file that do not exist are created. With ``dry_run`` the
    file is only checked and nothing is written.
    """
    table = _read_table(path)
    positions = _column_positions(table[0][1])
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

    names = _first_spellings(n for d in parsed for n in (d.lead_organisation, *d.partners) if n)
    existing = _existing_organisations(session, list(names))
    created = [name for folded, name in names.items() if folded not in existing]
    if not dry_run:
        with session.begin_nested():
            _store(session, parsed, existing, created)
    return ImportReport(
        rows=len(parsed), created=len(parsed), created_organisations=created, dry_run=dry_run
    )


def _read_table(path: Path) -> list[tuple[int, Sequence[object]]]:
    """The non-empty rows of the file with their spreadsheet numbers; the first is the header."""
    suffix = path.suffix.casefold()
    if suffix not in IMPORT_SUFFIXES:
        raise UserError(
            f"„{path.name}“ kann nicht importiert werden: bitte eine Excel-Datei (.xlsx) oder "
            "eine CSV-Datei (.csv) wählen."
        )
    try:
        rows = _read_csv(path) if suffix == ".csv" else _read_excel(path)
    except FileNotFoundError as err:
        raise UserError(f"Die Datei „{path}“ gibt es nicht.") from err
    except OSError as err:
        raise UserError(
            f"Die Datei „{path}“ kann nicht gelesen werden ({err.strerror or err})."
        ) from err
    table = [(number, row) for number, row in enumerate(rows, start=1) if not _is_blank(row)]
    if not table:
        raise UserError(f"Die Datei „{path.name}“ ist leer.")
    return table


def _read_excel(path: Path) -> Sequence[Sequence[object]]:
    try:
        frame = pd.read_excel(
            path,
            engine="calamine",
            header=None,
            dtype=object,
            keep_default_na=False,
            na_values=[],
        )
    except PasswordError as err:
        raise UserError(
            f"Die Datei „{path.name}“ ist mit einem Kennwort geschützt. Bitte ohne Kennwort "
            "speichern und erneut importieren."
        ) from err
    except CalamineError as err:
        raise UserError(f"Die Datei „{path.name}“ ist keine lesbare Excel-Datei (.xlsx).") from err
    rows: list[list[object]] = frame.to_numpy().tolist()
    return rows


def _read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError as err:
            raise UserError(
                f"Die Datei „{path.name}“ ist keine CSV-Datei in UTF-8 oder Windows-1252."
            ) from err
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if header_line.count(";") >= header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    try:
        rows.extend(reader)
    except csv.Error as err:
        raise UserError(
            f"Die CSV-Datei „{path.name}“ ist in Zeile {len(rows) + 1} nicht lesbar ({err})."
        ) from err
    return rows


def _is_blank(row: Sequence[object]) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in row)


def _column_positions(header: Sequence[object]) -> dict[str, int]:
    wanted = {fold(column): column for column in COLUMNS}
    positions: dict[str, int] = {}
    for index, value in enumerate(header):
        column = wanted.get(fold(_text(value)))
        if column is None:
            continue
        if column in positions:
            raise ImportFailed([f"Die Spalte „{column}“ steht zweimal in der Kopfzeile."])
        positions[column] = index
    missing = [column for column in REQUIRED_COLUMNS if column not in positions]
    if missing:
        raise ImportFailed(
            [f"Es fehlt die Spalte „{column}“." for column in missing]
            + ["Die erste Zeile muss die Spaltennamen enthalten: " + "; ".join(COLUMNS) + "."]
        )
    return positions


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
        text = clean_line(_text(value))
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
        return _restore(value) if isinstance(value, str) else value

    def checked(column: str, parse: Callable[[object, str], _T], default: _T) -> _T:
        try:
            return parse(cell(column), column)
        except FieldError as err:
            errors[column] = err.message
            return default

    def line(column: str, limit: int | None = None) -> str:
        text = clean_line(_text(cell(column)))
        if limit is not None and len(text) > limit:
            errors[column] = f"Höchstens {limit} Zeichen."
        return text

    partners = [clean_line(p) for p in _text(cell("Partner")).split(";")]
    if any(len(p) > NAME_MAX for p in partners):
        errors["Partner"] = f"Ein Name ist zu lang (höchstens {NAME_MAX} Zeichen)."
    data = MeasureData(
        title=line("Titel"),
        guideline_id=checked("Leitlinie", guidelines.find, None),
        baseline=clean_text(_text(cell("Ausgangslage"))),
        goal=clean_text(_text(cell("Ziel"))),
        implementation=clean_text(_text(cell("Umsetzung"))),
        responsibility=checked(
            "Zuständigkeit", _enum_parser(_BLANK.responsibility), _BLANK.responsibility
        ),
        status=checked("Status", _enum_parser(_BLANK.status), _BLANK.status),
        priority=checked("Priorität", _enum_parser(_BLANK.priority), _BLANK.priority),
        start_date=checked("Beginn", _parse_date, None),
        end_date=checked("Ende", _parse_date, None),
        lead_organisation=line("Federführung", NAME_MAX),
        partners=[p for p in partners if p],
        planned_budget_cents=checked("Budget geplant", _parse_money, None),
        spent_cents=checked("Ausgegeben", _parse_money, None),
        planning_document=checked(
            "Fachplanung", _enum_parser(_BLANK.planning_document), _BLANK.planning_document
        ),
        planning_document_note=line("Fachplanung Anmerkung", NAME_MAX),
        tags=split_tags(_text(cell("Schlagwörter"))),
    )
    for field_name, message in data.errors().items():
        errors.setdefault(FIELD_LABELS[field_name], message)
    return data, errors


def _restore(text: str) -> str:
    """Undo :func:`_neutralise`: drop the apostrophe export put before a formula sign."""
    return text[1:] if _NEUTRALISED.match(text) else text


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return _german_date(value)
    return str(value)


def _enum_parser(default: _E) -> Callable[[object, str], _E]:
    """A parser for a label or code of ``default``'s enum; an empty cell gives ``default``."""
    enum = type(default)

    def parse(value: object, column: str) -> _E:
        text = clean_line(_text(value))
        if not text:
            return default
        member = enum.from_label(text)
        if member is None:
            choices = ", ".join(m.label for m in enum)
            raise FieldError(column, f"„{text}“ gibt es nicht. Möglich: {choices}.")
        return member

    return parse


def _parse_date(value: object, column: str) -> date | None:
    if isinstance(value, datetime):  # also pandas.Timestamp
        return value.date()
    if isinstance(value, date):
        return value
    text = clean_line(_text(value))
    if not text:
        return None
    german = _GERMAN_DATE.fullmatch(text)
    iso = _ISO_DATE.fullmatch(text)
    try:
        if german:
            return date(int(german[3]), int(german[2]), int(german[1]))
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
    except ValueError:
        pass
    raise FieldError(column, f"„{text}“ ist kein gültiges Datum (z. B. 31.12.2026).")


def _parse_money(value: object, column: str) -> int | None:
    # Spreadsheet arithmetic leaves binary noise (0.1 + 0.2); whole cents survive it.
    if (
        isinstance(value, float)
        and math.isfinite(value)
        and abs(value * 100 - round(value * 100)) < 1e-6
    ):
        value = round(value, 2)
    if value is not None and not isinstance(value, str | int | float | Decimal):
        raise FieldError(column, f"„{_text(value)}“ ist kein Geldbetrag (z. B. 1.234,56).")
    try:
        cents = to_cents(value, field=column)
    except FieldError as err:
        raise FieldError(column, err.message.removeprefix(f"{column}: ")) from err
    if cents is not None and abs(cents) >= MONEY_MAX_CENTS:
        raise FieldError(column, "Der Betrag ist zu groß.")
    return cents


def _first_spellings(names: Iterable[str]) -> dict[str, str]:
    """Folded name → the first spelling met, in the order met."""
    spellings: dict[str, str] = {}
    for name in names:
        spellings.setdefault(fold(name), name)
    return spellings


def _existing_organisations(session: Session, folded: list[str]) -> dict[str, Organisation]:
    """Organisations by folded name; like find_by_name, active ones and the oldest first."""
    found: dict[str, Organisation] = {}
    for chunk in _chunks(folded):
        statement = (
            select(Organisation)
            .where(Organisation.name_folded.in_(chunk))
            .order_by(Organisation.active.desc(), Organisation.id)
        )
        for organisation in session.scalars(statement):
            found.setdefault(organisation.name_folded, organisation)
    return found


def _existing_tags(session: Session, folded: list[str]) -> dict[str, Tag]:
    found: dict[str, Tag] = {}
    for chunk in _chunks(folded):
        for tag in session.scalars(select(Tag).where(Tag.name_folded.in_(chunk)).order_by(Tag.id)):
            found.setdefault(tag.name_folded, tag)
    return found


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
    tag_names = _first_spellings(tag for data in parsed for tag in data.tags)
    tags = _existing_tags(session, list(tag_names))
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


def _chunks(items: list[_T]) -> Iterator[list[_T]]:
    for start in range(0, len(items), _IN_CHUNK):
        yield items[start : start + _IN_CHUNK]
