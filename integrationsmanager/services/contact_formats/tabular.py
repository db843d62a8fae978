"""Contact lists as CSV or Excel files: Outlook, Google, Thunderbird and German Excel.

CSV is decoded as UTF-16 (with its byte order mark, as old Google exports), UTF-8 (with or
without BOM) or Windows-1252 (Outlook's "ANSI" export), in that order; the delimiter is the
one of ``;``, ``,`` and TAB that the header line uses most. Quoted fields may span lines;
a quote that is never closed is an error naming its row, not a silently swallowed rest of
the file. Rows may be shorter than the header (Outlook leaves off empty trailing fields).
Excel files are read with calamine (xlsx, xlsm, xls, ods), first sheet.
"""

from __future__ import annotations

from collections.abc import Sequence

from integrationsmanager.domain.errors import UserError
from integrationsmanager.services.contact_formats.table import (
    ContactImportFailed,
    ContactTable,
    suggest_mapping,
)
from integrationsmanager.services.spreadsheets import (
    ImportFailed,
    cell_text,
    is_blank,
    read_csv_rows,
    read_sheet_rows,
    restore,
)


def read_csv(raw: bytes, file_name: str) -> ContactTable:
    """The contact table of a CSV file's bytes."""
    try:
        records = read_csv_rows(raw, file_name)
    except ImportFailed as err:
        raise ContactImportFailed(err.problems) from err
    return _table(records, file_name)


def read_spreadsheet(raw: bytes, file_name: str) -> ContactTable:
    """The contact table of the first sheet of an Excel (or OpenDocument) file's bytes."""
    cells = read_sheet_rows(raw, file_name)
    records = [[v if type(v) is str else cell_text(v) for v in row] for row in cells]
    table = _table(records, file_name)
    _restore_postcodes(table, cells)
    return table


def _table(records: Sequence[list[str]], file_name: str) -> ContactTable:
    """Header = first non-blank record; blank records are left out but keep their number.

    A cell that our export protected from running as a formula ("'=…") gets its text back.
    """
    # A record is blank when all its cells are whitespace, that is when their join is.
    numbered = [
        (number, row) for number, row in enumerate(records, start=1) if "".join(row).strip()
    ]
    if not numbered:
        raise UserError(f"Die Datei „{file_name}“ ist leer.")
    columns = _unique_names(numbered[0][1])
    width = len(columns)
    used = [i for i, name in enumerate(columns) if name]
    rows = []
    for _, record in numbered[1:]:
        if len(record) != width:
            record = (record + [""] * width)[:width]
        if "'" in "".join(record):
            record = [restore(cell) if cell.startswith("'") else cell for cell in record]
        rows.append(record if len(used) == width else [record[i] for i in used])
    names = [columns[i] for i in used]
    return ContactTable(
        columns=names,
        rows=rows,
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
    header_index = next(i for i, row in enumerate(cells) if not is_blank(row))
    header = _unique_names([cell_text(v) for v in cells[header_index]])
    positions = [(header.index(c), table.columns.index(c)) for c in postcode_columns]
    for row_index, number in enumerate(table.source_row_numbers):
        source = cells[number - 1]
        for cell_position, column_position in positions:
            value = source[cell_position] if cell_position < len(source) else None
            if isinstance(value, int | float) and not isinstance(value, bool) and 0 < value < 10000:
                table.rows[row_index][column_position] = f"{int(value):05d}"
