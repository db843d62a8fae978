"""Contact lists as CSV or Excel files: Outlook, Google, Thunderbird and German Excel.

CSV is decoded as UTF-16 (with its byte order mark, as old Google exports), UTF-8 (with or
without BOM) or Windows-1252 (Outlook's "ANSI" export), in that order; the delimiter is the
one of ``;``, ``,`` and TAB that the header line uses most. Quoted fields may span lines;
a quote that is never closed is an error naming its row, not a silently swallowed rest of
the file. Rows may be shorter than the header (Outlook leaves off empty trailing fields).
Excel files are read with calamine (xlsx, xlsm, xls, ods), first sheet.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook, PasswordError

from integrationsmanager.domain.errors import UserError
from integrationsmanager.services.contact_formats.table import (
    ContactImportFailed,
    ContactTable,
    suggest_mapping,
)
from integrationsmanager.services.measure_io import _is_blank, _restore, _text

_DELIMITERS = (";", ",", "\t")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def decode_text(raw: bytes, file_name: str) -> str:
    """The text of a CSV file: UTF-16 with BOM, UTF-8 (BOM or not) or Windows-1252."""
    if raw.startswith(_UTF16_BOMS):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as err:
            raise UserError(f"Die Datei „{file_name}“ ist keine lesbare Textdatei.") from err
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UserError(
        f"Die Datei „{file_name}“ ist keine CSV-Datei in UTF-8 oder Windows-1252 "
        "(beim Speichern in Excel „CSV UTF-8“ wählen)."
    )


def read_csv(raw: bytes, file_name: str) -> ContactTable:
    """The contact table of a CSV file's bytes."""
    text = decode_text(raw, file_name)
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(_DELIMITERS, key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[list[str]] = []
    try:
        records.extend(reader)
    except csv.Error as err:
        row = len(records) + 1
        reason = (
            "ein Anführungszeichen wird nicht geschlossen"
            if "end of data" in str(err)
            else f"nach einem schließenden Anführungszeichen folgt kein Trennzeichen ({err})"
        )
        raise ContactImportFailed(
            [f"Zeile {row}: Die CSV-Datei ist hier nicht lesbar, {reason}."]
        ) from err
    return _table(records, file_name)


def read_spreadsheet(path: Path) -> ContactTable:
    """The contact table of the first sheet of an Excel (or OpenDocument) file."""
    try:
        with CalamineWorkbook.from_path(str(path)) as workbook:
            sheet = workbook.get_sheet_by_index(0)
            cells = sheet.to_python(skip_empty_area=False)
    except PasswordError as err:
        raise UserError(
            f"Die Datei „{path.name}“ ist mit einem Kennwort geschützt. Bitte ohne Kennwort "
            "speichern und erneut importieren."
        ) from err
    except (CalamineError, IndexError) as err:
        raise UserError(f"Die Datei „{path.name}“ ist keine lesbare Excel-Datei.") from err
    records = [[_text(value) for value in row] for row in cells]
    table = _table(records, path.name)
    _restore_postcodes(table, cells)
    return table


def _table(records: Sequence[list[str]], file_name: str) -> ContactTable:
    """Header = first non-blank record; blank records are left out but keep their number.

    A cell that our export protected from running as a formula ("'=…") gets its text back.
    """
    numbered = [(number, row) for number, row in enumerate(records, start=1) if not _is_blank(row)]
    if not numbered:
        raise UserError(f"Die Datei „{file_name}“ ist leer.")
    columns = _unique_names(numbered[0][1])
    width = len(columns)
    rows = [
        [_restore(cell) if cell.startswith("'") else cell for cell in (row + [""] * width)[:width]]
        for _, row in numbered[1:]
    ]
    used = [i for i, name in enumerate(columns) if name]
    names = [columns[i] for i in used]
    return ContactTable(
        columns=names,
        rows=[[row[i] for i in used] for row in rows],
        mapping=suggest_mapping(names),
        source_row_numbers=[number for number, _ in numbered[1:]],
        file_name=file_name,
    )


def _unique_names(header: list[str]) -> list[str]:
    """The header's names, stripped; a repeated name gets " (2)", " (3)" …; empty stays empty."""
    seen: dict[str, int] = {}
    names = []
    for raw in header:
        name = " ".join(raw.split())
        if name:
            seen[name] = seen.get(name, 0) + 1
            if seen[name] > 1:
                name = f"{name} ({seen[name]})"
        names.append(name)
    return names


def _restore_postcodes(table: ContactTable, cells: Sequence[Sequence[object]]) -> None:
    """Give back the leading zero Excel drops from a postcode typed as a number (04600)."""
    postcode_columns = [c for c, target in table.mapping.items() if target == "postcode"]
    if not postcode_columns:
        return
    header_index = next(i for i, row in enumerate(cells) if not _is_blank(row))
    header = _unique_names([_text(v) for v in cells[header_index]])
    positions = [(header.index(c), table.columns.index(c)) for c in postcode_columns]
    for row_index, number in enumerate(table.source_row_numbers):
        source = cells[number - 1]
        for cell_position, column_position in positions:
            value = source[cell_position] if cell_position < len(source) else None
            if isinstance(value, int | float) and not isinstance(value, bool) and 0 < value < 10000:
                table.rows[row_index][column_position] = f"{int(value):05d}"
