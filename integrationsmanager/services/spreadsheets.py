"""Spreadsheet files in and out: what the measure and the contact imports and exports share.

Writing: Excel files (.xlsx: bold frozen header with filters, real dates and amounts) and CSV
files the way German Excel reads them (``;``, UTF-8 with BOM, ``1.234,56``, ``31.12.2026``),
each written next to the target and moved over it only when complete. Text that a spreadsheet
would run as a formula gets a leading apostrophe (:func:`neutralise`), which import takes off
again (:func:`restore`).

Reading: CSV files in UTF-16 (with BOM), UTF-8 (with or without BOM) or Windows-1252, with the
delimiter the header line uses most; the first sheet of Excel and OpenDocument files through
calamine. Rows keep the numbers a spreadsheet shows (header = row 1), blank rows included.

Parsing: date, amount and choice cells of an import, each problem a German message.

Looking up: organisations and tags named in an imported file, by folded name, in bulk.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from python_calamine import CalamineError, CalamineWorkbook, PasswordError
from sqlalchemy import select
from sqlalchemy.orm import Session

from integrationsmanager.domain.common import Tag
from integrationsmanager.domain.enums import LabelledEnum
from integrationsmanager.domain.errors import FieldError, UserError
from integrationsmanager.domain.money import format_number, to_cents
from integrationsmanager.domain.network import Organisation
from integrationsmanager.domain.privacy import PERSONAL_DATA_NOTICE
from integrationsmanager.domain.text import clean_line, fold

Cell = str | date | Decimal | None
"""A value as export writes it: text, a date, an amount in euros, or empty."""

EXCEL_CELL_MAX = 32767
"""The most characters an Excel cell holds."""
DATE_FORMAT = "DD.MM.YYYY"
MONEY_FORMAT = "#,##0.00"
DEFAULT_WIDTH = 16
PROBLEMS_SHOWN = 30
IMPORT_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
"""What :func:`read_table` reads."""
IN_CHUNK = 500
"""Values per ``IN (…)`` query, well below SQLite's limit of bound parameters."""
MONEY_MAX_CENTS = 10**14
"""A bound far above any budget that keeps amounts inside a 64-bit integer column."""

_EXCEL_FIRST_DATE = date(1900, 3, 1)
"""Excel's date serials are unreliable before this day (its 1900 leap-year bug)."""
_GERMAN_SEPARATORS = str.maketrans(",.", ".,")
_NEUTRALISED = re.compile(r"'+[=+\-@]")
_GERMAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DELIMITERS = (";", ",", "\t")
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

_T = TypeVar("_T")
_E = TypeVar("_E", bound=LabelledEnum)


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


# --- formulas ------------------------------------------------------------------------------


def neutralise(text: str) -> str:
    """Keep a spreadsheet from running ``text`` as a formula (undone by :func:`restore`).

    Every text that starts with ``=``, ``+``, ``-`` or ``@`` gets a leading apostrophe, phone
    numbers like "+49 3447 …" included: the office's scripts rely on that rule, and Excel would
    otherwise read "+49 3447" as a formula. Text that already starts with apostrophes before
    one of those signs gets one more, so that :func:`restore` gives back exactly the original.
    """
    if text[:1] in ("=", "+", "-", "@") or (text[:1] == "'" and _NEUTRALISED.match(text)):
        return "'" + text
    return text


def restore(text: str) -> str:
    """Undo :func:`neutralise`: drop the apostrophe export put before a formula sign."""
    return text[1:] if _NEUTRALISED.match(text) else text


# --- writing -------------------------------------------------------------------------------


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
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


def _row_number(number: int, _row: Sequence[Cell]) -> str:
    return f"Zeile {number}"


def write_xlsx(
    path: Path,
    headers: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    title: str,
    widths: Mapping[str, int] | None = None,
    row_name: Callable[[int, Sequence[Cell]], str] = _row_number,
    number_formats: Mapping[str, str] | None = None,
    personal_data: bool = False,
) -> None:
    """Write one sheet ``title``: bold frozen header with filters, then ``rows``.

    With ``personal_data`` the printed page header and the workbook's properties carry
    :data:`PERSONAL_DATA_NOTICE`; the sheet itself keeps its header in row 1.

    Text is neutralised (:func:`neutralise`), amounts become numbers ``1.234,56`` and dates
    real dates ``31.12.2026`` (text before 1 March 1900, which Excel cannot show). Text longer
    than a cell holds is refused, naming the row by ``row_name(row number, row)``. A column
    in ``number_formats`` shows its numbers in that Excel format instead of as amounts.
    """
    rows = list(rows)

    def write(target: Path) -> None:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title)
        sheet.freeze_panes = "A2"
        if personal_data:
            sheet.oddHeader.center.text = PERSONAL_DATA_NOTICE
            sheet.oddHeader.center.size = 9
            workbook.properties.subject = PERSONAL_DATA_NOTICE
            workbook.properties.keywords = "personenbezogene Daten; vertraulich; DSGVO"
        for index, header in enumerate(headers, start=1):
            width = (widths or {}).get(header, DEFAULT_WIDTH)
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
        bold = Font(bold=True)
        header_cells = []
        for header in headers:
            cell = WriteOnlyCell(sheet, value=header)
            cell.font = bold
            header_cells.append(cell)
        sheet.append(header_cells)
        for number, row in enumerate(rows, start=2):
            cells: list[WriteOnlyCell | str | None] = []
            for value, header in zip(row, headers, strict=True):
                if isinstance(value, str):
                    text = neutralise(value)
                    if len(text) > EXCEL_CELL_MAX:
                        raise UserError(
                            f"{row_name(number, row)}: Der Text in „{header}“ ist länger, als "
                            f"eine Excel-Zelle fassen kann ({format_number(EXCEL_CELL_MAX)} "
                            "Zeichen). Bitte als CSV-Datei exportieren."
                        )
                    cells.append(ILLEGAL_CHARACTERS_RE.sub("", text) or None)
                elif isinstance(value, Decimal):
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.number_format = (number_formats or {}).get(header, MONEY_FORMAT)
                    cells.append(cell)
                elif isinstance(value, date) and value >= _EXCEL_FIRST_DATE:
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.number_format = DATE_FORMAT
                    cells.append(cell)
                else:
                    cells.append(None if value is None else german_date(value))
            sheet.append(cells)
        # Into memory first: a write-only workbook whose save fails (a missing folder) leaves
        # an open sheet behind that complains when it is collected.
        buffer = io.BytesIO()
        workbook.save(buffer)
        target.write_bytes(buffer.getvalue())

    write_atomically(path, write)


def write_csv(path: Path, headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> None:
    """Write a CSV file for German Excel: ``;``, UTF-8 with BOM, CRLF, text neutralised."""

    def write(target: Path) -> None:
        with target.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
            writer.writerow(headers)
            writer.writerows([csv_text(value) for value in row] for row in rows)

    write_atomically(path, write)


def csv_text(value: Cell) -> str:
    """A cell as CSV text: neutralised text, ``1.234,56``, ``31.12.2026``, empty."""
    if isinstance(value, str):
        return neutralise(value)
    if value is None:
        return ""
    if isinstance(value, Decimal):
        # What format_number(value, places=2) gives, without Babel's cost per cell.
        return f"{value:,.2f}".translate(_GERMAN_SEPARATORS)
    return german_date(value)


def german_date(value: date) -> str:
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"


# --- reading -------------------------------------------------------------------------------


def read_file(path: Path) -> bytes:
    """The bytes of ``path``, or a UserError saying why they cannot be read."""
    try:
        return path.read_bytes()
    except FileNotFoundError as err:
        raise UserError(f"Die Datei „{path}“ gibt es nicht.") from err
    except OSError as err:
        raise UserError(
            f"Die Datei „{path}“ kann nicht gelesen werden ({err.strerror or err})."
        ) from err


def decode_text(raw: bytes, file_name: str) -> tuple[str, str]:
    """The text of a CSV file and the name of its encoding.

    UTF-16 with BOM, UTF-8 with or without BOM, else Windows-1252 (which reads ISO-8859-1
    text the same); bytes that are none of these are refused rather than read as garbage.
    """
    if raw.startswith(UTF16_BOMS):
        try:
            return raw.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as err:
            raise UserError(f"Die Datei „{file_name}“ ist keine lesbare Textdatei.") from err
    utf8 = "UTF-8 mit BOM" if raw.startswith(codecs.BOM_UTF8) else "UTF-8"
    for codec, label in (("utf-8-sig", utf8), ("cp1252", "Windows-1252")):
        try:
            return raw.decode(codec), label
        except UnicodeDecodeError:
            continue
    raise UserError(
        f"Die Datei „{file_name}“ ist keine Textdatei in UTF-8 oder Windows-1252 und kann "
        "nicht gelesen werden (beim Speichern in Excel „CSV UTF-8“ wählen)."
    )


def sniff_delimiter(text: str) -> str:
    """The one of ``;``, ``,`` and TAB that the first non-blank line uses most (``;`` on a tie)."""
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    return max(_DELIMITERS, key=header_line.count)


def csv_records(text: str, delimiter: str) -> list[list[str]]:
    """The records of CSV text, blank ones included.

    Quoted fields may span lines; a quote that is never closed, or text after a closing
    quote, raises :class:`ImportFailed` naming the row rather than swallowing the rest.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[list[str]] = []
    try:
        records.extend(reader)
    except csv.Error as err:
        reason = (
            "ein Anführungszeichen wird nicht geschlossen"
            if "end of data" in str(err)
            else f"nach einem schließenden Anführungszeichen folgt kein Trennzeichen ({err})"
        )
        raise ImportFailed(
            [f"Zeile {len(records) + 1}: Die CSV-Datei ist hier nicht lesbar, {reason}."]
        ) from err
    return records


def read_csv_rows(raw: bytes, file_name: str) -> list[list[str]]:
    """The records of a CSV file's bytes (decoded, delimiter sniffed), blank ones included."""
    text, _encoding = decode_text(raw, file_name)
    return csv_records(text, sniff_delimiter(text))


def read_sheet_rows(raw: bytes, file_name: str) -> Sequence[Sequence[object]]:
    """The cells of the first sheet of an Excel or OpenDocument file's bytes, from A1 on.

    Empty cells are ``""``; numbers are floats (or ints), dates ``date``/``datetime``.
    """
    try:
        with CalamineWorkbook.from_filelike(io.BytesIO(raw)) as workbook:
            rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except PasswordError as err:
        raise UserError(
            f"Die Datei „{file_name}“ ist mit einem Kennwort geschützt. Bitte ohne Kennwort "
            "speichern und erneut importieren."
        ) from err
    except (CalamineError, IndexError) as err:
        raise UserError(f"Die Datei „{file_name}“ ist keine lesbare Excel-Datei.") from err
    return rows


def read_table(path: Path) -> list[tuple[int, Sequence[object]]]:
    """The non-blank rows of an Excel or CSV file with their numbers; the first is the header.

    Whole numbers of a spreadsheet come as ints (5, not 5.0), as pandas reads them.
    """
    suffix = path.suffix.casefold()
    if suffix not in IMPORT_SUFFIXES:
        raise UserError(
            f"„{path.name}“ kann nicht importiert werden: bitte eine Excel-Datei (.xlsx) oder "
            "eine CSV-Datei (.csv) wählen."
        )
    raw = read_file(path)
    rows: Sequence[Sequence[object]]
    if suffix == ".csv":
        rows = read_csv_rows(raw, path.name)
    else:
        rows = [[_whole(value) for value in row] for row in read_sheet_rows(raw, path.name)]
    table = [(number, row) for number, row in enumerate(rows, start=1) if not is_blank(row)]
    if not table:
        raise UserError(f"Die Datei „{path.name}“ ist leer.")
    return table


def _whole(value: object) -> object:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def column_positions(
    header: Sequence[object], columns: Sequence[str], required: Sequence[str]
) -> dict[str, int]:
    """Column name → its position in ``header``, names compared folded.

    Raises :class:`ImportFailed` for a column named twice or a ``required`` one missing.
    """
    wanted = {fold(column): column for column in columns}
    positions: dict[str, int] = {}
    for index, value in enumerate(header):
        column = wanted.get(fold(cell_text(value)))
        if column is None:
            continue
        if column in positions:
            raise ImportFailed([f"Die Spalte „{column}“ steht zweimal in der Kopfzeile."])
        positions[column] = index
    missing = [column for column in required if column not in positions]
    if missing:
        raise ImportFailed(
            [f"Es fehlt die Spalte „{column}“." for column in missing]
            + ["Die erste Zeile muss die Spaltennamen enthalten: " + "; ".join(columns) + "."]
        )
    return positions


def is_blank(row: Sequence[object]) -> bool:
    """Whether every cell is empty or only whitespace."""
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in row)


def cell_text(value: object) -> str:
    """A cell as text: whole numbers without ``.0``, dates as ``31.12.2026``, None empty."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return german_date(value)
    return str(value)


# --- cells of an import -------------------------------------------------------------------
# Parsers take the cell and its column's name, and raise FieldError(column, German message).


def enum_parser(default: _E) -> Callable[[object, str], _E]:
    """A parser for a label or code of ``default``'s enum; an empty cell gives ``default``."""
    enum = type(default)

    def parse(value: object, column: str) -> _E:
        text = clean_line(cell_text(value))
        if not text:
            return default
        member = enum.from_label(text)
        if member is None:
            choices = ", ".join(m.label for m in enum)
            raise FieldError(column, f"„{text}“ gibt es nicht. Möglich: {choices}.")
        return member

    return parse


def parse_date(value: object, column: str) -> date | None:
    """A date cell, or text ``31.12.2026`` / ``2026-12-31``; None for an empty cell."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = clean_line(cell_text(value))
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


def parse_money(value: object, column: str) -> int | None:
    """An amount in cents: a number cell (euros) or text ``1.234,56``; None for empty."""
    # Spreadsheet arithmetic leaves binary noise (0.1 + 0.2); whole cents survive it.
    if (
        isinstance(value, float)
        and math.isfinite(value)
        and abs(value * 100 - round(value * 100)) < 1e-6
    ):
        value = round(value, 2)
    if value is not None and not isinstance(value, str | int | float | Decimal):
        raise FieldError(column, f"„{cell_text(value)}“ ist kein Geldbetrag (z. B. 1.234,56).")
    try:
        cents = to_cents(value, field=column)
    except FieldError as err:
        raise FieldError(column, err.message.removeprefix(f"{column}: ")) from err
    if cents is not None and abs(cents) >= MONEY_MAX_CENTS:
        raise FieldError(column, "Der Betrag ist zu groß.")
    return cents


# --- looking up what a file names ----------------------------------------------------------


def first_spellings(names: Iterable[str]) -> dict[str, str]:
    """Folded name → the first spelling met, in the order met."""
    spellings: dict[str, str] = {}
    for name in names:
        spellings.setdefault(fold(name), name)
    return spellings


def existing_organisations(session: Session, folded: list[str]) -> dict[str, Organisation]:
    """Organisations by folded name; like find_by_name, active ones and the oldest first."""
    found: dict[str, Organisation] = {}
    for chunk in chunks(folded):
        statement = (
            select(Organisation)
            .where(Organisation.name_folded.in_(chunk))
            .order_by(Organisation.active.desc(), Organisation.id)
        )
        for organisation in session.scalars(statement):
            found.setdefault(organisation.name_folded, organisation)
    return found


def existing_tags(session: Session, folded: list[str]) -> dict[str, Tag]:
    """Tags by folded name (the oldest of a name)."""
    found: dict[str, Tag] = {}
    for chunk in chunks(folded):
        for tag in session.scalars(select(Tag).where(Tag.name_folded.in_(chunk)).order_by(Tag.id)):
            found.setdefault(tag.name_folded, tag)
    return found


def chunks(items: list[_T]) -> Iterator[list[_T]]:
    """``items`` in pieces of :data:`IN_CHUNK`."""
    for start in range(0, len(items), IN_CHUNK):
        yield items[start : start + IN_CHUNK]
