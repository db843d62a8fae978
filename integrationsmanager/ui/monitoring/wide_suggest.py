"""A first guess at how a wide statistics table maps to values (the user corrects it).

Plain Python, no Qt: the import dialog starts its mapping controls from :func:`suggest_mapping`
and shows the preview at once, so for a typical GENESIS table the user only checks it.
"""

from __future__ import annotations

import re

from integrationsmanager.domain.text import clean_line, fold
from integrationsmanager.services.indicator_io import WideMapping
from integrationsmanager.services.statistics_table import (
    StatisticsTable,
    parse_number,
    parse_period,
    special_value,
)

HOME_DISTRICT = "Altenburger Land"
"""Tables of all districts are filtered to this one's row when it has one."""

_YEAR_IN_TITLE = re.compile(r"\b(1[89]\d\d|2[01]\d\d)\b")


def label_columns(table: StatisticsTable) -> int:
    """How many leading columns hold labels (their header cells are empty); at least one."""
    headers = table.header_rows
    count = 0
    while count < table.column_count - 1 and all(not h.cell(count).strip() for h in headers):
        count += 1
    return max(count, 1)


def number_columns(table: StatisticsTable, start: int) -> tuple[int, ...]:
    """The columns from ``start`` on that hold a number or a statistics sign in some row."""
    return tuple(
        column
        for column in range(start, table.column_count)
        if any(
            parse_number(row.cell(column)) is not None or special_value(row.cell(column))
            for row in table.data_rows
        )
    )


def period_header_row(table: StatisticsTable, columns: tuple[int, ...]) -> int | None:
    """The header row whose cells above ``columns`` are all years or dates, if any."""
    for index, row in enumerate(table.header_rows):
        if columns and all(parse_period(row.cell(c)) is not None for c in columns):
            return index
    return None


def period_column(table: StatisticsTable, leading: int) -> int | None:
    """One of the ``leading`` label columns whose cells are all years or dates, if any."""
    rows = table.data_rows
    for column in range(leading):
        if rows and all(parse_period(row.cell(column)) is not None for row in rows):
            return column
    return None


def title_year(table: StatisticsTable) -> int | None:
    """The last year the title lines name ("Berichtsjahr: 2014"), if any."""
    years = [int(m) for line in table.title_lines for m in _YEAR_IN_TITLE.findall(line)]
    return years[-1] if years else None


def breakdown_header_row(
    table: StatisticsTable, columns: tuple[int, ...], skip: int | None
) -> int | None:
    """The header row (not ``skip``) that tells the most ``columns`` apart, if any does."""
    best: tuple[int, int] | None = None
    for index, row in enumerate(table.header_rows):
        if index == skip:
            continue
        distinct = len({fold(row.cell(c)) for c in columns})
        if distinct > 1 and (best is None or distinct >= best[0]):
            best = (distinct, index)
    return best[1] if best is not None else None


def home_filter(table: StatisticsTable, label_column: int) -> str:
    """:data:`HOME_DISTRICT` if a data row's label names it, else empty."""
    wanted = fold(HOME_DISTRICT)
    found = any(wanted in fold(row.cell(label_column)) for row in table.data_rows)
    return HOME_DISTRICT if found else ""


def suggest_mapping(table: StatisticsTable) -> WideMapping:
    """Labels in the last leading column, values in the number columns after it; the period
    from a header row, else a label column, else the title's year; breakdown values from the
    header row that tells the columns apart, else from the rows."""
    leading = label_columns(table)
    label = leading - 1
    columns = number_columns(table, leading)
    header = period_header_row(table, columns)
    column = period_column(table, leading) if header is None else None
    fixed = title_year(table) if header is None and column is None else None
    breakdown_row = breakdown_header_row(table, columns, header)
    if len(columns) < 2:
        breakdown_row = None
    row_filter = home_filter(table, label)
    rows_as_breakdown = breakdown_row is None and not row_filter and len(table.data_rows) > 1
    return WideMapping(
        value_columns=columns,
        label_column=label,
        row_filter=row_filter,
        rows_as_breakdown=rows_as_breakdown,
        breakdown_header_row=breakdown_row,
        period_header_row=header,
        period_column=column,
        period=fixed,
    )


def suggested_name(table: StatisticsTable) -> str:
    """A name for a new indicator: the table's subject line ("Bevölkerung: Deutschland, …")."""
    lines = [clean_line(line) for line in table.title_lines]
    subject = next((line for line in lines if not fold(line).startswith("genesis")), "")
    return subject.split(":")[0].strip() if ":" in subject else subject
