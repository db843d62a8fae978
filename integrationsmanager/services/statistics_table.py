"""Tables as statistics offices publish them: GENESIS downloads and the like.

Such a file wraps its table: title lines above (``GENESIS-Tabelle: 12411-0005``, what the
table shows), one or more header rows (the first columns left empty), the data rows, and
below a footer (a line of underscores, footnotes, ``© Statistisches Bundesamt``,
``Stand: …``). Cells use ``;``, a decimal comma and a thousands point, and the special
signs of official statistics (``-`` nothing, ``.`` unknown or secret, ``...`` not yet
available, ``x`` not sensible, ``/`` not reliable enough). Older downloads are ISO-8859-1
(read as Windows-1252, its superset), newer ones UTF-8.

:func:`read_statistics_table` reads such a file, CSV or Excel, into text cells and tells the
parts apart; what the parts mean is up to the caller (the long layout of indicator values, or
a wide table that the import dialog maps).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from integrationsmanager.domain.errors import UserError
from integrationsmanager.domain.text import clean_line
from integrationsmanager.services.spreadsheets import (
    IMPORT_SUFFIXES,
    UTF16_BOMS,
    csv_records,
    decode_text,
    german_date,
    read_file,
    read_sheet_rows,
)

SPECIAL_VALUES = {
    "-": "nichts vorhanden",
    ".": "Zahlenwert unbekannt oder geheim zu halten",
    "...": "Angabe fällt später an",
    "…": "Angabe fällt später an",
    "x": "Tabellenfach gesperrt, weil Aussage nicht sinnvoll",
    "/": "keine Angabe, da Zahlenwert nicht sicher genug",
}
"""The signs official statistics put in a cell instead of a number, with their meaning."""

EXCEL = "Excel"
_GROUPED = re.compile(r"-?\d{1,3}(\.\d{3})+(,\d+)?")
_GERMAN = re.compile(r"-?\d+(,\d+)?")
_POINT = re.compile(r"-?\d+\.\d+")
_SPACES = str.maketrans("", "", " \u00a0\u202f")
_FOOTER = re.compile(r"_{3,}|©|\(c\)|stand:", re.IGNORECASE)
_DELIMITERS = (";", "\t", ",")
_SNIFF_LINES = 200


# --- cells -----------------------------------------------------------------------------------


def special_value(text: str) -> str | None:
    """The meaning of a statistics sign such as ``...``, or None for anything else."""
    return SPECIAL_VALUES.get(text.strip().casefold())


def parse_number(text: str) -> Decimal | None:
    """A number written the German way (``1.234,5``, ``-34``, ``74,4``), or None if it is not.

    A lone point is a decimal point (``28.5``, as an English program writes it) unless it
    groups thousands (``7.400``).
    """
    compact = text.translate(_SPACES)
    if _GROUPED.fullmatch(compact):
        compact = compact.replace(".", "").replace(",", ".")
    elif _GERMAN.fullmatch(compact):
        compact = compact.replace(",", ".")
    elif not _POINT.fullmatch(compact):
        return None
    try:
        return Decimal(compact)
    except InvalidOperation:  # pragma: no cover - the patterns admit only numbers
        return None


def parse_period(text: str) -> tuple[int, date | None] | None:
    """A period as a header cell names it: ``2018`` or ``31.12.2018``; None if it is neither."""
    text = clean_line(text)
    if re.fullmatch(r"\d{4}", text):
        return int(text), None
    match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text) or re.fullmatch(
        r"(\d{4})-(\d{1,2})-(\d{1,2})", text
    )
    if match is None:
        return None
    day, month, year = (
        (match[1], match[2], match[3]) if "." in text else (match[3], match[2], match[1])
    )
    try:
        when = date(int(year), int(month), int(day))
    except ValueError:
        return None
    return when.year, when


def _sheet_text(value: object) -> str:
    """A spreadsheet cell as the text a statistics CSV would hold (``28,5``, ``31.12.2024``)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "WAHR" if value else "FALSCH"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # 15 significant digits, as Excel shows them: drops binary noise such as 0.1 + 0.2.
        number = Decimal(format(value, ".15g"))
        if number == number.to_integral_value():
            return format(number.quantize(Decimal(1)), "f")
        return format(number.normalize(), "f").replace(".", ",")
    if isinstance(value, datetime):
        return german_date(value.date())
    if isinstance(value, date):
        return german_date(value)
    return str(value)


# --- the table -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableRow:
    """A row of a file: the number a spreadsheet shows for it, and its cells as text."""

    number: int
    cells: tuple[str, ...]

    def cell(self, column: int) -> str:
        """The cell of ``column`` (0-based), empty beyond the row's end."""
        return self.cells[column] if 0 <= column < len(self.cells) else ""

    @property
    def text(self) -> str:
        """The row's non-empty cells joined, as a title or footer line reads."""
        return " ".join(c.strip() for c in self.cells if c.strip())


@dataclass(frozen=True)
class StatisticsTable:
    """A statistics file split into title lines, header rows, data rows and footer lines.

    ``rows`` holds every non-blank row; ``header_start``, ``data_start`` and ``footer_start``
    are indexes into it where the header, the data and the footer begin.
    """

    file_name: str
    encoding: str
    """``UTF-8``, ``UTF-8 mit BOM``, ``UTF-16``, ``Windows-1252`` or ``Excel``."""
    delimiter: str
    """``;``, ``,`` or TAB; empty for an Excel file."""
    rows: tuple[TableRow, ...]
    header_start: int
    data_start: int
    footer_start: int

    @property
    def title_lines(self) -> list[str]:
        return [row.text for row in self.rows[: self.header_start]]

    @property
    def header_rows(self) -> list[TableRow]:
        return list(self.rows[self.header_start : self.data_start])

    @property
    def data_rows(self) -> list[TableRow]:
        return list(self.rows[self.data_start : self.footer_start])

    @property
    def footer_lines(self) -> list[str]:
        """The footer as lines; a quoted cell that spans lines gives several."""
        lines: list[str] = []
        for row in self.rows[self.footer_start :]:
            for cell in row.cells:
                lines.extend(line.strip() for line in cell.splitlines() if line.strip())
        return lines

    @property
    def column_count(self) -> int:
        """The number of columns of the header and data rows."""
        body = self.rows[self.header_start : self.footer_start]
        return max((len(row.cells) for row in body), default=0)

    def column_label(self, column: int) -> str:
        """What the header rows say about ``column`` (0-based), e.g. ``Stichtag / 31.12.2018``.

        Cells repeated from the row above (GENESIS repeats a group's name over its columns)
        appear once.
        """
        parts: list[str] = []
        for row in self.header_rows:
            text = clean_line(row.cell(column))
            if text and text not in parts:
                parts.append(text)
        return " / ".join(parts) or f"Spalte {column + 1}"

    def column_title(self, column: int) -> str:
        """``Spalte 3 (Stichtag / 31.12.2018)`` for messages; ``Spalte 2`` without a header."""
        label = self.column_label(column)
        plain = f"Spalte {column + 1}"
        return plain if label == plain else f"{plain} ({label})"

    def suggested_source(self) -> str:
        """A source for imported values: the table's first title line and its © line."""
        parts = self.title_lines[:1]
        parts += [line for line in self.footer_lines if _is_copyright(line)][:1]
        return clean_line("; ".join(parts))[:300]


def _is_copyright(line: str) -> bool:
    return line.startswith("©") or line.casefold().startswith("(c)")


def read_statistics_table(path: Path) -> StatisticsTable:
    """Read a CSV or Excel file as a statistics table (see the module's description).

    Raises :class:`UserError` for a file that cannot be read as a table, with a German
    message naming the file.
    """
    suffix = path.suffix.casefold()
    if suffix not in IMPORT_SUFFIXES:
        raise UserError(
            f"„{path.name}“ kann nicht gelesen werden: bitte eine Excel-Datei (.xlsx) oder "
            "eine CSV-Datei (.csv) wählen."
        )
    raw = read_file(path)
    if suffix == ".csv":
        if b"\x00" in raw and not raw.startswith(UTF16_BOMS):
            raise UserError(
                f"Die Datei „{path.name}“ ist keine Textdatei in UTF-8 oder Windows-1252 und "
                "kann nicht gelesen werden (eine Binärdatei?)."
            )
        text, encoding = decode_text(raw, path.name)
        delimiter = _sniff_delimiter(text)
        records = csv_records(text, delimiter)
    else:
        encoding, delimiter = EXCEL, ""
        records = [[_sheet_text(v) for v in row] for row in read_sheet_rows(raw, path.name)]
    rows = tuple(
        TableRow(number, tuple(cells))
        for number, cells in enumerate(records, start=1)
        if any(c.strip() for c in cells)
    )
    if not rows:
        raise UserError(f"Die Datei „{path.name}“ ist leer.")
    header_start, data_start, footer_start = split_rows(rows)
    return StatisticsTable(
        file_name=path.name,
        encoding=encoding,
        delimiter=delimiter,
        rows=rows,
        header_start=header_start,
        data_start=data_start,
        footer_start=footer_start,
    )


def _sniff_delimiter(text: str) -> str:
    """The one of ``;``, TAB and ``,`` found on the most lines (``;`` first on a tie).

    Unlike a data file's (:func:`~.spreadsheets.sniff_delimiter` reads the header line), a
    statistics table has title lines above it that hold no delimiter or a comma, and decimal
    commas make ``,`` common inside ``;`` files: so count lines, not characters.
    """
    lines = [line for line in text.splitlines() if line.strip()][:_SNIFF_LINES]
    return max(_DELIMITERS, key=lambda d: sum(d in line for line in lines))


def split_rows(rows: tuple[TableRow, ...]) -> tuple[int, int, int]:
    """Where the header, the data and the footer begin (indexes into ``rows``).

    Title lines fill at most their first cell. Header rows follow (at least one); the data
    begin at the first row with a label in its first cell and a number or statistics sign
    after it. The footer begins at a line of underscores, a © line or ``Stand:``.
    """
    header_start = 0
    while header_start < len(rows) and _filled(rows[header_start]) <= 1:
        header_start += 1
    if header_start == len(rows):
        header_start = 0
    data_start = header_start + 1
    while data_start < len(rows) and not _is_data(rows[data_start]):
        if is_footer_row(rows[data_start]):
            break
        data_start += 1
    footer_start = data_start
    while footer_start < len(rows) and not is_footer_row(rows[footer_start]):
        footer_start += 1
    return header_start, min(data_start, footer_start), footer_start


def _filled(row: TableRow) -> int:
    return sum(1 for cell in row.cells if cell.strip())


def _is_data(row: TableRow) -> bool:
    if not row.cell(0).strip():
        return False
    return any(
        parse_number(cell) is not None or special_value(cell) is not None
        for cell in row.cells[1:]
        if cell.strip()
    )


def is_footer_row(row: TableRow) -> bool:
    """Whether ``row`` starts a footer: a line of underscores, a © line, ``Stand: …``."""
    first = next((cell.strip() for cell in row.cells if cell.strip()), "")
    return _FOOTER.match(first) is not None
