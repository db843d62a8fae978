"""Grants to and from Excel and CSV files in one German column layout.

Export and import share :data:`COLUMNS`, so an exported file imports again unchanged, also
into an empty database: recipients are found by name or created (as the measures import does
with organisations), programmes are found by name or short code or created. Amounts are
numbers with two decimals, dates real dates; ``Jahr`` is the budget year a grant counts
against. ``Ausgezahlt`` is the sum of the paid payments; on import it becomes one paid
payment. An import is all or nothing: every row is checked first, and the error names each
bad row by the number the spreadsheet shows (header = row 1) and the column.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from integrationsmanager.domain.common import Guideline
from integrationsmanager.domain.enums import GrantStatus, PaymentStatus
from integrationsmanager.domain.errors import FieldError, UserError
from integrationsmanager.domain.funding import FundingProgram, Grant, GrantStatusChange, Payment
from integrationsmanager.domain.money import to_decimal
from integrationsmanager.domain.network import Organisation
from integrationsmanager.domain.text import clean_line, clean_text, fold
from integrationsmanager.services.grants import grant_search_text, paid_cents
from integrationsmanager.services.organisations import new_organisation
from integrationsmanager.services.spreadsheets import (
    Cell,
    ImportFailed,
    cell_text,
    enum_parser,
    existing_organisations,
    first_spellings,
    is_blank,
    parse_date,
    parse_money,
    read_csv_rows,
    read_file,
    read_sheet_rows,
    restore,
    write_csv,
    write_xlsx,
)

__all__ = [
    "COLUMNS",
    "GrantImportReport",
    "ImportFailed",
    "export_grants",
    "import_grants",
]

COLUMNS: tuple[str, ...] = (
    "Aktenzeichen",
    "Programm",
    "Jahr",
    "Empfänger",
    "Projekt",
    "Leitlinie",
    "Status",
    "Beginn",
    "Ende",
    "Gesamtkosten",
    "Eigenmittel",
    "Drittmittel",
    "Beantragt",
    "Bewilligt",
    "Ausgezahlt",
    "Eingegangen am",
    "Bewilligt am",
    "VN fällig",
    "Beschreibung",
)
"""The header row of grant files, in this order on export; import finds them by name."""

REQUIRED_COLUMNS = ("Aktenzeichen", "Programm", "Jahr", "Empfänger", "Projekt")
EXPORT_SUFFIXES = (".xlsx", ".csv")
IMPORT_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
GUIDELINE_SEPARATOR = "; "
SHEET_TITLE = "Zuwendungen"
NAMES_SHOWN = 20
IMPORT_NOTE = "Import"

_LIMITS = {"Aktenzeichen": 50, "Programm": 300, "Empfänger": 300, "Projekt": 500}
"""Longest text of a column (the width of its database column)."""
_WIDTHS = {
    "Aktenzeichen": 18,
    "Programm": 32,
    "Jahr": 8,
    "Empfänger": 35,
    "Projekt": 40,
    "Leitlinie": 35,
    "Status": 16,
    "Beginn": 12,
    "Ende": 12,
    "Eingegangen am": 14,
    "Bewilligt am": 13,
    "VN fällig": 12,
    "Beschreibung": 50,
}
_LEADING_NUMBER = re.compile(r"(\d+)\.?(?:\s|$)")
_YEAR_RANGE = range(1990, 2101)

_T = TypeVar("_T")


@dataclass
class GrantImportReport:
    """What an import did, or in a dry run what it would do."""

    rows: int
    dry_run: bool
    created_organisations: list[str] = field(default_factory=list)
    created_programs: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """The result in one German paragraph."""
        if self.rows == 0:
            return "Die Datei enthält keine Zuwendungen; es wurde nichts importiert."
        noun = "Zuwendung" if self.rows == 1 else "Zuwendungen"
        if self.dry_run:
            text = f"Prüfung erfolgreich: {self.rows} {noun} würden importiert."
            verb = "Neu anzulegende"
        else:
            text = f"{self.rows} {noun} importiert."
            verb = "Neu angelegte"
        for label, names in (
            ("Organisationen", self.created_organisations),
            ("Förderprogramme", self.created_programs),
        ):
            if names:
                shown = ", ".join(names[:NAMES_SHOWN])
                if len(names) > NAMES_SHOWN:
                    shown += f" und {len(names) - NAMES_SHOWN} weitere"
                text += f" {verb} {label} ({len(names)}): {shown}."
        if self.dry_run:
            text += " Es wurde nichts gespeichert."
        return text


# --- export --------------------------------------------------------------------------------


def export_grants(session: Session, path: Path, *, year: int | None = None) -> int:
    """Write the grants (of budget year ``year``, else all) to ``path``; return their number."""
    suffix = path.suffix.casefold()
    if suffix not in EXPORT_SUFFIXES:
        raise UserError(
            "Zuwendungen können als Excel-Datei (.xlsx) oder CSV-Datei (.csv) exportiert "
            f"werden, nicht als „{path.name}“."
        )
    statement = (
        select(Grant)
        .join(FundingProgram, FundingProgram.id == Grant.program_id)
        .options(
            selectinload(Grant.payments),
            selectinload(Grant.guidelines),
            selectinload(Grant.recipient),
            selectinload(Grant.program),
        )
        .order_by(Grant.budget_year, FundingProgram.name, Grant.file_number, Grant.id)
    )
    if year is not None:
        statement = statement.where(Grant.budget_year == year)
    rows = [_export_row(grant) for grant in session.scalars(statement)]
    if suffix == ".xlsx":
        write_xlsx(path, COLUMNS, rows, title=SHEET_TITLE, widths=_WIDTHS, row_name=_grant_name)
    else:
        write_csv(path, COLUMNS, rows)
    return len(rows)


def _grant_name(_number: int, row: Sequence[Cell]) -> str:
    return f"Zuwendung „{row[0]}“"


def _export_row(grant: Grant) -> list[Cell]:
    guidelines = sorted(grant.guidelines, key=lambda g: (g.number, g.id))
    return [
        grant.file_number,
        grant.program.name,
        str(grant.budget_year),
        grant.recipient.name,
        grant.project_title,
        GUIDELINE_SEPARATOR.join(g.label for g in guidelines),
        GrantStatus(grant.status).label,
        grant.period_start,
        grant.period_end,
        to_decimal(grant.total_cost_cents),
        to_decimal(grant.own_contribution_cents),
        to_decimal(grant.third_party_cents),
        to_decimal(grant.requested_cents),
        to_decimal(grant.approved_cents),
        to_decimal(paid_cents(grant)),
        grant.received_on,
        grant.decided_on,
        grant.proof_due_on,
        grant.description,
    ]


# --- import --------------------------------------------------------------------------------


@dataclass
class _GrantRow:
    """One row of a grant file, checked."""

    number: int
    file_number: str = ""
    program: str = ""
    year: int = 0
    recipient: str = ""
    project: str = ""
    guideline_ids: list[int] = field(default_factory=list)
    status: GrantStatus = GrantStatus.DRAFT
    period_start: date | None = None
    period_end: date | None = None
    total_cost: int | None = None
    own_contribution: int | None = None
    third_party: int | None = None
    requested: int | None = None
    approved: int | None = None
    paid: int | None = None
    received_on: date | None = None
    decided_on: date | None = None
    proof_due_on: date | None = None
    description: str = ""


def import_grants(session: Session, path: Path, *, dry_run: bool = False) -> GrantImportReport:
    """Create a grant for each row of ``path``; all rows or none (raises ImportFailed).

    Recipients and programmes named in the file that do not exist are created. An
    Aktenzeichen that is already stored, or twice in the file, is refused. With ``dry_run``
    the file is only checked and nothing is written.
    """
    table = _read_table(path)
    positions = _column_positions(table[0][1])
    guidelines = _guideline_lookup(session)
    parsed: list[_GrantRow] = []
    problems: list[str] = []
    for number, row in table[1:]:
        data, errors = _parse_row(number, row, positions, guidelines)
        problems.extend(
            f"Zeile {number}, {column}: {errors[column]}" for column in COLUMNS if column in errors
        )
        parsed.append(data)
    problems += _file_number_clashes(session, parsed)
    if problems:
        raise ImportFailed(problems)

    names = first_spellings(d.recipient for d in parsed)
    organisations = existing_organisations(session, list(names))
    new_organisations = [name for folded, name in names.items() if folded not in organisations]
    programs = _program_lookup(session)
    new_programs = list(
        first_spellings(d.program for d in parsed if fold(d.program) not in programs).values()
    )
    if not dry_run:
        with session.begin_nested():
            _store(session, parsed, organisations, new_organisations, programs, new_programs)
    return GrantImportReport(
        rows=len(parsed),
        dry_run=dry_run,
        created_organisations=new_organisations,
        created_programs=new_programs,
    )


def _read_table(path: Path) -> list[tuple[int, Sequence[object]]]:
    """The non-empty rows of the file with their spreadsheet numbers; the first is the header."""
    suffix = path.suffix.casefold()
    if suffix not in IMPORT_SUFFIXES:
        raise UserError(
            f"„{path.name}“ kann nicht importiert werden: bitte eine Excel-Datei (.xlsx) oder "
            "eine CSV-Datei (.csv) wählen."
        )
    raw = read_file(path)
    rows: Sequence[Sequence[object]] = (
        read_csv_rows(raw, path.name) if suffix == ".csv" else read_sheet_rows(raw, path.name)
    )
    table = [(number, row) for number, row in enumerate(rows, start=1) if not is_blank(row)]
    if not table:
        raise UserError(f"Die Datei „{path.name}“ ist leer.")
    return table


def _column_positions(header: Sequence[object]) -> dict[str, int]:
    wanted = {fold(column): column for column in COLUMNS}
    positions: dict[str, int] = {}
    for index, value in enumerate(header):
        column = wanted.get(fold(cell_text(value)))
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


def _guideline_lookup(session: Session) -> dict[str, int]:
    """Guideline ids by folded number, title and "N Title" (current ones win)."""
    found: dict[str, int] = {}
    for guideline in session.scalars(
        select(Guideline).order_by(Guideline.retired.desc(), Guideline.id)
    ):
        for key in (str(guideline.number), guideline.title, guideline.label):
            found[fold(key)] = guideline.id
    return found


def _parse_row(
    number: int, row: Sequence[object], positions: dict[str, int], guidelines: dict[str, int]
) -> tuple[_GrantRow, dict[str, str]]:
    """The grant a row describes and the problems found in it, keyed by column."""
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

    def line(column: str) -> str:
        text = clean_line(cell_text(cell(column)))
        limit = _LIMITS.get(column)
        if column in REQUIRED_COLUMNS and not text:
            errors[column] = "Bitte ausfüllen."
        elif limit is not None and len(text) > limit:
            errors[column] = f"Höchstens {limit} Zeichen."
        return text

    def guideline_ids(value: object, column: str) -> list[int]:
        ids: list[int] = []
        for part in cell_text(value).split(";"):
            text = clean_line(part)
            if not text:
                continue
            found = guidelines.get(fold(text))
            leading = _LEADING_NUMBER.match(text)
            if found is None and leading is not None:
                found = guidelines.get(leading.group(1))
            if found is None:
                raise FieldError(column, f"Eine Leitlinie „{text}“ gibt es nicht.")
            ids.append(found)
        return list(dict.fromkeys(ids))

    data = _GrantRow(
        number=number,
        file_number=line("Aktenzeichen"),
        program=line("Programm"),
        year=checked("Jahr", _parse_year, 0),
        recipient=line("Empfänger"),
        project=line("Projekt"),
        guideline_ids=checked("Leitlinie", guideline_ids, []),
        status=checked("Status", enum_parser(GrantStatus.DRAFT), GrantStatus.DRAFT),
        period_start=checked("Beginn", parse_date, None),
        period_end=checked("Ende", parse_date, None),
        total_cost=checked("Gesamtkosten", parse_money, None),
        own_contribution=checked("Eigenmittel", parse_money, None),
        third_party=checked("Drittmittel", parse_money, None),
        requested=checked("Beantragt", parse_money, None),
        approved=checked("Bewilligt", parse_money, None),
        paid=checked("Ausgezahlt", parse_money, None),
        received_on=checked("Eingegangen am", parse_date, None),
        decided_on=checked("Bewilligt am", parse_date, None),
        proof_due_on=checked("VN fällig", parse_date, None),
        description=clean_text(cell_text(cell("Beschreibung"))),
    )
    if data.period_start and data.period_end and data.period_end < data.period_start:
        errors.setdefault("Ende", "Das Ende liegt vor dem Beginn.")
    for column, amount in (
        ("Gesamtkosten", data.total_cost),
        ("Eigenmittel", data.own_contribution),
        ("Drittmittel", data.third_party),
        ("Beantragt", data.requested),
        ("Bewilligt", data.approved),
        ("Ausgezahlt", data.paid),
    ):
        if amount is not None and amount < 0:
            errors.setdefault(column, "Der Betrag darf nicht negativ sein.")
    return data, errors


def _parse_year(value: object, column: str) -> int:
    text = clean_line(cell_text(value))
    if not text:
        raise FieldError(column, "Bitte das Haushaltsjahr angeben (z. B. 2026).")
    if not text.isdigit() or int(text) not in _YEAR_RANGE:
        raise FieldError(column, f"„{text}“ ist kein Jahr (z. B. 2026).")
    return int(text)


def _file_number_clashes(session: Session, parsed: list[_GrantRow]) -> list[str]:
    """An Aktenzeichen twice in the file, or one already stored."""
    problems: list[str] = []
    first_row: dict[str, int] = {}
    for data in parsed:
        key = fold(data.file_number)
        if not key:
            continue
        if key in first_row:
            problems.append(
                f"Zeile {data.number}, Aktenzeichen: „{data.file_number}“ steht schon in "
                f"Zeile {first_row[key]}."
            )
        else:
            first_row[key] = data.number
    stored = {fold(n) for n in session.scalars(select(Grant.file_number))}
    problems += [
        f"Zeile {d.number}, Aktenzeichen: Eine Zuwendung „{d.file_number}“ gibt es schon."
        for d in parsed
        if fold(d.file_number) in stored
    ]
    return problems


def _program_lookup(session: Session) -> dict[str, FundingProgram]:
    """Programmes by folded name and short code (active ones and the oldest first)."""
    found: dict[str, FundingProgram] = {}
    statement = select(FundingProgram).order_by(FundingProgram.active.desc(), FundingProgram.id)
    for program in session.scalars(statement):
        found.setdefault(fold(program.name), program)
    for program in session.scalars(statement):
        if program.short_code.strip():
            found.setdefault(fold(program.short_code), program)
    return found


def _store(
    session: Session,
    parsed: list[_GrantRow],
    organisations: dict[str, Organisation],
    new_organisations: list[str],
    programs: dict[str, FundingProgram],
    new_programs: list[str],
) -> None:
    """Add the grants with their guidelines, a paid payment and their first status step."""
    for name in new_organisations:
        organisation = new_organisation(name)
        session.add(organisation)
        organisations[fold(name)] = organisation
    for name in new_programs:
        program = FundingProgram(name=name)
        session.add(program)
        programs[fold(name)] = program
    guidelines = {g.id: g for g in session.scalars(select(Guideline))}
    for data in parsed:
        recipient = organisations[fold(data.recipient)]
        grant = Grant(
            file_number=data.file_number,
            program=programs[fold(data.program)],
            budget_year=data.year,
            recipient=recipient,
            project_title=data.project,
            description=data.description,
            period_start=data.period_start,
            period_end=data.period_end,
            total_cost_cents=data.total_cost,
            own_contribution_cents=data.own_contribution,
            third_party_cents=data.third_party,
            requested_cents=data.requested,
            approved_cents=data.approved,
            received_on=data.received_on,
            decided_on=data.decided_on,
            status=data.status,
            proof_due_on=data.proof_due_on,
            search_text=grant_search_text(data.file_number, data.project, recipient.name),
        )
        grant.guidelines = [guidelines[i] for i in data.guideline_ids]
        grant.history = [
            GrantStatusChange(from_status=None, to_status=data.status, note=IMPORT_NOTE)
        ]
        grant.payments = (
            [Payment(amount_cents=data.paid, status=PaymentStatus.PAID, note=IMPORT_NOTE)]
            if data.paid
            else []
        )
        session.add(grant)
    session.flush()
