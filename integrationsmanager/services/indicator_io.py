"""Indicator values to and from files: the long layout, and wide statistics tables.

The long layout has one value per row: ``Kennzahl``, ``Jahr`` or ``Stichtag``, ``Wert`` and,
where they apply, ``Ausprägung`` (a breakdown value such as a nationality), ``Einheit``,
``Prognose``, ``Quelle`` and ``Anmerkung``. Export writes it (Excel with real numbers and
dates, or CSV for German Excel), and import reads it back identically, also when the table is
wrapped the way statistics offices publish (title lines above, footnotes and © below, see
:mod:`~integrationsmanager.services.statistics_table`).

A wide table such as a GENESIS download (periods across, regions or age groups down) is
mapped in the import dialog with a :class:`WideMapping`.

Imports are all or nothing: every row is checked first, problems name the row the
spreadsheet shows, and only then is anything written (one savepoint inside the caller's
transaction). Indicators a long file names that do not exist are created; a value that
exists for the same indicator, period and breakdown value is updated.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from integrationsmanager.domain.errors import FieldError, UserError
from integrationsmanager.domain.monitoring import Indicator, IndicatorValue
from integrationsmanager.domain.text import clean_line, clean_text, fold
from integrationsmanager.services.indicators import (
    NAME_MAX,
    UNIT_MAX,
    ValueData,
    canonical,
    get_indicator,
    period_label,
)
from integrationsmanager.services.spreadsheets import (
    Cell,
    ImportFailed,
    german_date,
    neutralise,
    parse_date,
    restore,
    write_atomically,
    write_xlsx,
)
from integrationsmanager.services.statistics_table import (
    StatisticsTable,
    TableRow,
    is_footer_row,
    parse_number,
    parse_period,
    read_statistics_table,
    special_value,
)

__all__ = [
    "COLUMNS",
    "ImportCancelled",
    "ImportFailed",
    "IndicatorImportReport",
    "Progress",
    "StatisticsTable",
    "WideMapping",
    "WidePreview",
    "WideValue",
    "export_indicator_values",
    "import_indicator_values",
    "import_wide_table",
    "read_statistics_table",
    "wide_values",
]

COLUMNS: tuple[str, ...] = (
    "Kennzahl",
    "Ausprägung",
    "Jahr",
    "Stichtag",
    "Wert",
    "Einheit",
    "Prognose",
    "Quelle",
    "Anmerkung",
)
"""The long layout, in this order on export; import finds the columns by name."""

EXPORT_SUFFIXES = (".xlsx", ".csv")
SHEET_TITLE = "Kennzahlen"
NAMES_SHOWN = 20
YES = "ja"
_YES = {"ja", "j", "x", "1", "wahr", "true", "yes", "prognose"}
_NO = {"", "nein", "n", "0", "falsch", "false", "no"}
_WIDTHS = {
    "Kennzahl": 45,
    "Ausprägung": 22,
    "Jahr": 8,
    "Stichtag": 12,
    "Wert": 14,
    "Einheit": 12,
    "Prognose": 10,
    "Quelle": 45,
    "Anmerkung": 45,
}
_NUMBER_FORMATS = {"Jahr": "0", "Wert": "General"}
_FIELD_COLUMNS = {
    "year": "Jahr",
    "reference_date": "Stichtag",
    "value": "Wert",
    "breakdown_value": "Ausprägung",
    "source": "Quelle",
}
"""ValueData's field names → the column that holds them."""
_FIELD_CELLS = {
    "year": ("Jahr", "Stichtag"),
    "reference_date": ("Jahr", "Stichtag"),
    "value": ("Wert",),
}
"""ValueData's field names → the cells they are read from."""

Progress = Callable[[int, int], bool]
"""``progress(done, total)``; returning False cancels the import."""


class ImportCancelled(UserError):
    """The user cancelled the import; nothing was saved."""

    def __init__(self) -> None:
        super().__init__("Import abgebrochen, es wurde nichts gespeichert.")


@dataclass
class IndicatorImportReport:
    """What an import did, or in a dry run what it would do."""

    dry_run: bool
    created_values: int = 0
    updated_values: int = 0
    unchanged_values: int = 0
    created_indicators: list[str] = field(default_factory=list)
    skipped_cells: int = 0
    """Cells of a wide table without a number (empty, or a sign such as ``-`` or ``...``)."""

    @property
    def rows(self) -> int:
        return self.created_values + self.updated_values + self.unchanged_values

    def summary(self) -> str:
        """The result in one German paragraph."""
        if self.rows == 0:
            return "Die Datei enthält keine Werte; es wurde nichts importiert."
        noun = "Wert" if self.rows == 1 else "Werte"
        parts = f"{self.created_values} neu, {self.updated_values} geändert"
        if self.unchanged_values:
            parts += f", {self.unchanged_values} unverändert"
        if self.dry_run:
            text = f"Prüfung erfolgreich: {self.rows} {noun} würden importiert ({parts})."
            label = "Neu anzulegende Kennzahlen"
        else:
            text = f"{self.rows} {noun} importiert ({parts})."
            label = "Neu angelegte Kennzahlen"
        if self.created_indicators:
            names = ", ".join(self.created_indicators[:NAMES_SHOWN])
            more = len(self.created_indicators) - NAMES_SHOWN
            if more > 0:
                names += f" und {more} weitere"
            text += f" {label} ({len(self.created_indicators)}): {names}."
        if self.skipped_cells:
            text += (
                f" {self.skipped_cells} Zellen ohne Zahl (leer oder Zeichen wie „-“, „.“, "
                "„...“) wurden übersprungen."
            )
        if self.dry_run:
            text += " Es wurde nichts gespeichert."
        return text


class _Ticker:
    """Counts an import's steps for its progress callback; raises ImportCancelled on a cancel."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress = progress
        self.total = max(total, 1)
        self.done = 0

    def tick(self) -> None:
        self.done += 1
        if self.progress is not None and not self.progress(self.done, self.total):
            raise ImportCancelled()


# --- export --------------------------------------------------------------------------------


def export_indicator_values(
    session: Session, path: Path, *, indicator_ids: Sequence[int] | None = None
) -> int:
    """Write the values of all (or the given) indicators to ``path``; return their number.

    ``.xlsx``: real numbers and dates. ``.csv``: ``;``, UTF-8 with BOM, decimal comma. Rows go
    by indicator name, period, then breakdown value (the total first).
    """
    suffix = path.suffix.casefold()
    if suffix not in EXPORT_SUFFIXES:
        raise UserError(
            "Kennzahlen können als Excel-Datei (.xlsx) oder CSV-Datei (.csv) exportiert "
            f"werden, nicht als „{path.name}“."
        )
    statement = (
        select(Indicator)
        .options(selectinload(Indicator.values))
        .order_by(Indicator.name_folded, Indicator.id)
    )
    if indicator_ids is not None:
        statement = statement.where(Indicator.id.in_(list(indicator_ids)))
    rows: list[list[Cell]] = []
    for indicator in session.scalars(statement):
        values = sorted(
            indicator.values,
            key=lambda v: (v.year, v.reference_date or date(v.year, 12, 31), v.breakdown_value),
        )
        rows.extend(_export_row(indicator, value) for value in values)
    if suffix == ".xlsx":
        write_xlsx(
            path,
            COLUMNS,
            rows,
            title=SHEET_TITLE,
            widths=_WIDTHS,
            row_name=lambda _n, row: f"Kennzahl „{row[0]}“",
            number_formats=_NUMBER_FORMATS,
        )
    else:
        _write_csv(path, rows)
    return len(rows)


def _export_row(indicator: Indicator, value: IndicatorValue) -> list[Cell]:
    return [
        indicator.name,
        value.breakdown_value,
        Decimal(value.year),
        value.reference_date,
        value.value,
        indicator.unit,
        YES if value.is_forecast else "",
        value.source,
        value.note,
    ]


def _write_csv(path: Path, rows: list[list[Cell]]) -> None:
    """CSV for German Excel: numbers with a decimal comma and no sign of a formula guard."""

    def text(value: Cell) -> str:
        if value is None:
            return ""
        if isinstance(value, str):
            return neutralise(value)
        if isinstance(value, Decimal):
            return format(canonical(value), "f").replace(".", ",")
        return german_date(value)

    def write(target: Path) -> None:
        with target.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
            writer.writerow(COLUMNS)
            writer.writerows([text(value) for value in row] for row in rows)

    write_atomically(path, write)


# --- storing values (both layouts) ---------------------------------------------------------


@dataclass
class _Entry:
    """A checked value of a file: its row, its indicator (folded name) and the value."""

    row: int
    indicator: str
    data: ValueData


def _key(indicator: str, data: ValueData) -> tuple[str, int, date | None, str]:
    year = data.period_year
    assert year is not None
    return indicator, year, data.reference_date, data.breakdown_value


def _clashes(entries: list[_Entry]) -> list[str]:
    """A second value for the same indicator, period and breakdown value in the file."""
    first: dict[tuple[str, int, date | None, str], _Entry] = {}
    problems: list[str] = []
    for entry in entries:
        key = _key(entry.indicator, entry.data)
        earlier = first.setdefault(key, entry)
        if earlier is not entry:
            year, when, breakdown = key[1], key[2], key[3]
            what = f" und „{breakdown}“" if breakdown else ""
            problems.append(
                f"Zeile {entry.row}: Für {period_label(year, when)}{what} steht schon ein Wert "
                f"in Zeile {earlier.row}."
            )
    return problems


def _store(
    session: Session,
    entries: list[_Entry],
    indicators: dict[str, Indicator],
    report: IndicatorImportReport,
    ticker: _Ticker,
) -> None:
    """Add or update the values and count them in ``report`` (a dry run only counts).

    ``indicators`` by folded name; new ones (without an id yet) have no values to update.
    """
    stored: dict[tuple[str, int, date | None, str], IndicatorValue] = {}
    for folded, indicator in indicators.items():
        for value in indicator.values if indicator.id is not None else []:
            stored[(folded, value.year, value.reference_date, value.breakdown_value)] = value
    for entry in entries:
        ticker.tick()
        data = entry.data
        assert data.value is not None and data.period_year is not None
        fields = {
            "year": data.period_year,
            "reference_date": data.reference_date,
            "breakdown_value": data.breakdown_value,
            "value": canonical(data.value),
            "is_forecast": data.is_forecast,
            "source": data.source,
            "note": data.note,
        }
        existing = stored.get(_key(entry.indicator, data))
        if existing is None:
            report.created_values += 1
            if not report.dry_run:
                indicators[entry.indicator].values.append(IndicatorValue(**fields))
        elif all(getattr(existing, name) == new for name, new in fields.items()):
            report.unchanged_values += 1
        else:
            report.updated_values += 1
            if not report.dry_run:
                for name, new in fields.items():
                    setattr(existing, name, new)
    if not report.dry_run:
        session.flush()


# --- long layout ---------------------------------------------------------------------------


def import_indicator_values(
    session: Session, path: Path, *, dry_run: bool = False, progress: Progress | None = None
) -> IndicatorImportReport:
    """Import the values of a file in the long layout; all rows or none.

    Raises :class:`ImportFailed` listing every problem by row, :class:`ImportCancelled`
    when ``progress`` returns False, :class:`UserError` for an unreadable file.
    """
    table = read_statistics_table(path)
    header_index = _find_header(table)
    positions = _column_positions(table.rows[header_index])
    body: list[TableRow] = []
    for row in table.rows[header_index + 1 :]:
        if is_footer_row(row):
            break
        if any(row.cell(index).strip() for index in positions.values()):
            body.append(row)
    ticker = _Ticker(progress, 2 * len(body))
    entries: list[_Entry] = []
    problems: list[str] = []
    names: dict[str, str] = {}
    units: dict[str, tuple[str, int]] = {}
    sources: dict[str, str] = {}
    for row in body:
        ticker.tick()
        parsed = _parse_row(row, positions)
        if isinstance(parsed, list):
            problems.extend(parsed)
            continue
        entry, name, unit = parsed
        entries.append(entry)
        names.setdefault(entry.indicator, name)
        if entry.data.source:
            sources.setdefault(entry.indicator, entry.data.source)
        if unit:
            first_unit, first_row = units.setdefault(entry.indicator, (unit, row.number))
            if fold(first_unit) != fold(unit):
                problems.append(
                    f"Zeile {row.number}, Einheit: „{unit}“ passt nicht zu „{first_unit}“ in "
                    f"Zeile {first_row} (dieselbe Kennzahl „{name}“)."
                )
    problems += _clashes(entries)
    existing: dict[str, Indicator] = {}
    for indicator in session.scalars(
        select(Indicator)
        .where(Indicator.name_folded.in_(list(names)))
        .options(selectinload(Indicator.values))
        .order_by(Indicator.id)
    ):
        existing.setdefault(indicator.name_folded, indicator)
    for folded, (unit, number) in units.items():
        known = existing.get(folded)
        if known is not None and known.unit and fold(known.unit) != fold(unit):
            problems.append(
                f"Zeile {number}, Einheit: Die Kennzahl „{known.name}“ hat die Einheit "
                f"„{known.unit}“, nicht „{unit}“."
            )
    if problems:
        raise ImportFailed(problems)

    new_names = [folded for folded in names if folded not in existing]
    report = IndicatorImportReport(
        dry_run=dry_run, created_indicators=[names[folded] for folded in new_names]
    )
    indicators = dict(existing)
    with session.begin_nested():
        for folded in new_names:
            indicators[folded] = Indicator(
                name=names[folded],
                name_folded=folded,
                unit=units.get(folded, ("", 0))[0],
                source=sources.get(folded, ""),
            )
            if not dry_run:
                session.add(indicators[folded])
        _store(session, entries, indicators, report, ticker)
    return report


def _find_header(table: StatisticsTable) -> int:
    """The index of the row naming the columns (``Kennzahl`` … ``Wert``)."""
    for index, row in enumerate(table.rows):
        folded = {fold(restore(cell)) for cell in row.cells}
        if {"kennzahl", "wert"} <= folded:
            return index
    raise ImportFailed(
        [
            f"In „{table.file_name}“ fehlt die Kopfzeile mit den Spalten „Kennzahl“ und „Wert“.",
            "Die Spalten der Datei: " + "; ".join(COLUMNS) + " (Jahr oder Stichtag genügt). "
            "Eine breite Tabelle (z. B. ein GENESIS-Download mit den Jahren nebeneinander) "
            "bitte im Programm importieren und dort die Spalten zuordnen.",
        ]
    )


def _column_positions(header: TableRow) -> dict[str, int]:
    wanted = {fold(column): column for column in COLUMNS}
    positions: dict[str, int] = {}
    for index, cell in enumerate(header.cells):
        column = wanted.get(fold(restore(cell)))
        if column is None:
            continue
        if column in positions:
            raise ImportFailed(
                [f"Zeile {header.number}: Die Spalte „{column}“ steht zweimal in der Kopfzeile."]
            )
        positions[column] = index
    if "Jahr" not in positions and "Stichtag" not in positions:
        raise ImportFailed(
            [f"Zeile {header.number}: Es fehlt die Spalte „Jahr“ oder die Spalte „Stichtag“."]
        )
    return positions


def _parse_row(row: TableRow, positions: dict[str, int]) -> tuple[_Entry, str, str] | list[str]:
    """The entry, indicator name and unit of a row; or its problems."""
    errors: dict[str, str] = {}

    def cell(column: str) -> str:
        index = positions.get(column)
        return "" if index is None else restore(row.cell(index))

    def line(column: str, limit: int | None = None) -> str:
        text = clean_line(cell(column))
        if limit is not None and len(text) > limit:
            errors[column] = f"Höchstens {limit} Zeichen."
        return text

    name = line("Kennzahl", NAME_MAX)
    if not name:
        errors["Kennzahl"] = "Bitte den Namen der Kennzahl angeben."
    unit = line("Einheit", UNIT_MAX)
    year = _parse_year(cell("Jahr"), errors)
    when: date | None = None
    try:
        when = parse_date(cell("Stichtag"), "Stichtag")
    except FieldError as err:
        errors["Stichtag"] = err.message
    value = _parse_value(cell("Wert"), errors)
    forecast = clean_line(cell("Prognose")).casefold()
    if forecast not in _YES | _NO:
        errors["Prognose"] = f"„{cell('Prognose')}“: bitte „ja“ oder leer lassen."
    data = ValueData(
        year=year,
        reference_date=when,
        value=value,
        breakdown_value=line("Ausprägung"),
        is_forecast=forecast in _YES,
        source=line("Quelle"),
        note=clean_text(cell("Anmerkung")),
    )
    for field_name, message in data.errors().items():
        # A cell that could not be read already has its message; no second one about it.
        if not any(column in errors for column in _FIELD_CELLS.get(field_name, ())):
            errors.setdefault(_FIELD_COLUMNS[field_name], message)
    if errors:
        return [f"Zeile {row.number}, {c}: {errors[c]}" for c in COLUMNS if c in errors]
    return _Entry(row.number, fold(name), data), name, unit


def _parse_year(text: str, errors: dict[str, str]) -> int | None:
    text = clean_line(text)
    if not text:
        return None
    if not text.isdigit():
        errors["Jahr"] = f"„{text}“ ist kein Jahr (z. B. 2024)."
        return None
    return int(text)


def _parse_value(text: str, errors: dict[str, str]) -> Decimal | None:
    text = clean_line(text)
    if not text:
        errors["Wert"] = "Der Wert fehlt."
        return None
    meaning = special_value(text)
    if meaning is not None:
        errors["Wert"] = (
            f"„{text}“ ist kein Zahlenwert (Zeichen der Statistik: {meaning}). Bitte einen "
            "Wert eintragen oder die Zeile löschen."
        )
        return None
    number = parse_number(text)
    if number is None:
        errors["Wert"] = f"„{text}“ ist keine Zahl (z. B. 1.234,5)."
    return number


# --- wide tables ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WideMapping:
    """How the data rows of a wide table become values of one indicator.

    Every chosen value column gives one value per chosen row. Columns and header rows are
    0-based indexes (header rows into :attr:`StatisticsTable.header_rows`).

    The period of a value comes from exactly one of: the header cell above its column
    (``period_header_row``, e.g. ``31.12.2018`` or ``2018``), a cell of its row
    (``period_column``), or ``period`` for all values.

    The breakdown value comes from the row's label (``rows_as_breakdown``), from the header
    cell above its column (``breakdown_header_row``, e.g. ``männlich``/``weiblich``), or from
    neither (every value is a total). A row or column labelled ``total_label`` is the total.

    ``row_filter`` keeps only the rows whose label matches: the same text (compared folded),
    else the rows whose label contains it (``Altenburger Land`` finds ``Altenburger Land,
    Kreis``).
    """

    value_columns: tuple[int, ...]
    label_column: int = 0
    row_filter: str = ""
    rows_as_breakdown: bool = False
    breakdown_header_row: int | None = None
    total_label: str = "Insgesamt"
    period_header_row: int | None = None
    period_column: int | None = None
    period: int | date | None = None
    is_forecast: bool = False
    source: str = ""
    """The values' source; empty: the table's title and © line."""
    note: str = ""


@dataclass(frozen=True)
class WideValue:
    """A value found in a wide table: where it stands and what it is."""

    row: int
    """The row number the file shows."""
    column: int
    year: int
    reference_date: date | None
    breakdown_value: str
    value: Decimal


@dataclass(frozen=True)
class WidePreview:
    values: list[WideValue]
    skipped_cells: int


def wide_values(table: StatisticsTable, mapping: WideMapping) -> WidePreview:
    """The values ``mapping`` finds in ``table``; raises :class:`ImportFailed` naming cells."""
    problems = _mapping_problems(table, mapping)
    if problems:
        raise ImportFailed(problems)
    rows = _chosen_rows(table, mapping)
    column_periods = _column_periods(table, mapping, problems)
    column_breakdowns = _column_breakdowns(table, mapping)
    values: list[WideValue] = []
    skipped = 0
    for row in rows:
        label = clean_line(row.cell(mapping.label_column))
        row_period: tuple[int, date | None] | None = None
        if mapping.period_column is not None:
            row_period = _row_period(row, mapping.period_column, problems)
            if row_period is None:
                continue
        row_breakdown = ""
        if mapping.rows_as_breakdown and fold(label) != fold(mapping.total_label):
            row_breakdown = label
        for column in mapping.value_columns:
            text = clean_line(row.cell(column))
            if not text or special_value(text) is not None:
                skipped += 1
                continue
            number = parse_number(text)
            if number is None:
                problems.append(
                    f"Zeile {row.number}, {table.column_title(column)}: „{text}“ ist keine Zahl."
                )
                continue
            period = row_period or column_periods.get(column)
            if period is None:
                continue
            values.append(
                WideValue(
                    row=row.number,
                    column=column,
                    year=period[0],
                    reference_date=period[1],
                    breakdown_value=row_breakdown or column_breakdowns.get(column, ""),
                    value=number,
                )
            )
    if problems:
        raise ImportFailed(problems)
    return WidePreview(values, skipped)


def _mapping_problems(table: StatisticsTable, mapping: WideMapping) -> list[str]:
    problems: list[str] = []
    columns = table.column_count
    headers = len(table.header_rows)
    if not mapping.value_columns:
        problems.append("Bitte mindestens eine Spalte mit Werten wählen.")
    for column in (*mapping.value_columns, mapping.label_column, mapping.period_column):
        if column is not None and not 0 <= column < columns:
            problems.append(f"Die Tabelle hat keine Spalte {column + 1}.")
    for header in (mapping.period_header_row, mapping.breakdown_header_row):
        if header is not None and not 0 <= header < headers:
            problems.append(f"Die Tabelle hat keine {header + 1}. Kopfzeile.")
    if mapping.label_column in mapping.value_columns:
        problems.append("Die Spalte mit den Bezeichnungen kann nicht zugleich Werte enthalten.")
    period_sources = [
        mapping.period_header_row is not None,
        mapping.period_column is not None,
        mapping.period is not None,
    ]
    if sum(period_sources) != 1:
        problems.append(
            "Bitte genau eine Angabe für den Zeitraum wählen: eine Kopfzeile, eine Spalte "
            "oder ein festes Jahr bzw. einen festen Stichtag."
        )
    if mapping.rows_as_breakdown and mapping.breakdown_header_row is not None:
        problems.append(
            "Die Ausprägung kommt entweder aus den Zeilen oder aus einer Kopfzeile, nicht aus "
            "beiden."
        )
    return problems


def _chosen_rows(table: StatisticsTable, mapping: WideMapping) -> list[TableRow]:
    rows = table.data_rows
    wanted = fold(mapping.row_filter)
    if not wanted:
        if not rows:
            raise ImportFailed([f"„{table.file_name}“ enthält keine Datenzeilen."])
        return rows

    def label(row: TableRow) -> str:
        return fold(row.cell(mapping.label_column))

    chosen = [row for row in rows if label(row) == wanted] or [
        row for row in rows if wanted in label(row)
    ]
    if not chosen:
        raise ImportFailed(
            [
                f"Keine Zeile heißt „{mapping.row_filter}“ "
                f"({table.column_title(mapping.label_column)})."
            ]
        )
    single_period = mapping.period_column is None
    if len(chosen) > 1 and single_period and not mapping.rows_as_breakdown:
        found = ", ".join(
            f"Zeile {row.number} ({clean_line(row.cell(mapping.label_column))})"
            for row in chosen[:5]
        )
        raise ImportFailed(
            [f"„{mapping.row_filter}“ passt auf mehrere Zeilen: {found}. Bitte genauer angeben."]
        )
    return chosen


def _column_periods(
    table: StatisticsTable, mapping: WideMapping, problems: list[str]
) -> dict[int, tuple[int, date | None]]:
    if mapping.period is not None:
        fixed = mapping.period
        period = (fixed.year, fixed) if isinstance(fixed, date) else (fixed, None)
        return dict.fromkeys(mapping.value_columns, period)
    if mapping.period_header_row is None:
        return {}
    header = table.header_rows[mapping.period_header_row]
    periods: dict[int, tuple[int, date | None]] = {}
    for column in mapping.value_columns:
        found = parse_period(header.cell(column))
        if found is None:
            problems.append(
                f"Zeile {header.number}, Spalte {column + 1}: „{header.cell(column)}“ ist kein "
                "Jahr und kein Stichtag (z. B. 2018 oder 31.12.2018)."
            )
        else:
            periods[column] = found
    return periods


def _column_breakdowns(table: StatisticsTable, mapping: WideMapping) -> dict[int, str]:
    if mapping.breakdown_header_row is None:
        return {}
    header = table.header_rows[mapping.breakdown_header_row]
    breakdowns: dict[int, str] = {}
    for column in mapping.value_columns:
        text = clean_line(header.cell(column))
        if fold(text) != fold(mapping.total_label):
            breakdowns[column] = text
    return breakdowns


def _row_period(row: TableRow, column: int, problems: list[str]) -> tuple[int, date | None] | None:
    found = parse_period(row.cell(column))
    if found is None:
        problems.append(
            f"Zeile {row.number}, Spalte {column + 1}: „{row.cell(column)}“ ist kein Jahr und "
            "kein Stichtag (z. B. 2018 oder 31.12.2018)."
        )
    return found


def import_wide_table(
    session: Session,
    table: StatisticsTable,
    mapping: WideMapping,
    *,
    indicator_id: int,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> IndicatorImportReport:
    """Store the values ``mapping`` finds in ``table`` for one indicator; all or none."""
    indicator = get_indicator(session, indicator_id)
    preview = wide_values(table, mapping)
    source = clean_line(mapping.source) or table.suggested_source()
    entries = [
        _Entry(
            row=found.row,
            indicator=indicator.name_folded,
            data=ValueData(
                year=found.year,
                reference_date=found.reference_date,
                value=found.value,
                breakdown_value=found.breakdown_value,
                is_forecast=mapping.is_forecast,
                source=source,
                note=clean_text(mapping.note),
            ),
        )
        for found in preview.values
    ]
    problems = [
        f"Zeile {entry.row}: {message}"
        for entry in entries
        for message in entry.data.errors().values()
    ]
    problems += _clashes(entries)
    if problems:
        raise ImportFailed(problems)
    report = IndicatorImportReport(dry_run=dry_run, skipped_cells=preview.skipped_cells)
    with session.begin_nested():
        _store(
            session,
            entries,
            {indicator.name_folded: indicator},
            report,
            _Ticker(progress, len(entries)),
        )
    return report
