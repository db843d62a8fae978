"""Funding overviews: the Förderübersicht of one budget year and the grants of one recipient.

The Förderübersicht covers exactly the grants whose budget year (``Jahr``) is the chosen one,
whatever their status, so its total of "Bewilligt" equals the sum of that column in the grants
export of the year to the cent. All sums are added up as integer cents. It has a title page,
contents, the totals per programme (with the programme's budget for the year, a bar chart and
the chart's figures beside it), the totals per guideline, and the table of grants on landscape
pages with its header repeated and a totals row.

The recipient summary lists every grant of one organisation, all years, with their sums.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from integrationsmanager.domain.common import Guideline
from integrationsmanager.domain.enums import GrantStatus
from integrationsmanager.domain.errors import UserError
from integrationsmanager.domain.funding import FundingProgram, Grant, ProgramBudget
from integrationsmanager.domain.money import format_money, format_number
from integrationsmanager.domain.network import Organisation
from integrationsmanager.reports.charts import Series, bar_chart, chart_with_values, euro_axis
from integrationsmanager.reports.document import (
    CELL_PADDING,
    LANDSCAPE_WIDTH,
    PORTRAIT_WIDTH,
    Cell,
    DocumentInfo,
    Progress,
    ProgressCallback,
    atomic_pdf,
    build_pdf,
    contents,
    data_table,
    field_table,
    heading,
    landscape_pages,
    paragraph,
    text_width,
    title_page,
)
from integrationsmanager.reports.styles import report_styles
from integrationsmanager.services.grants import paid_cents

SUMMARY_TITLE = "Förderübersicht"
RECIPIENT_TITLE = "Zuwendungen je Empfänger"
EMPTY = "–"
NO_GUIDELINE = "ohne Zuordnung zu einer Leitlinie"
STATUS_SAMPLE = "Verwendungsnachweis"
"""The longest word of a status label: the status column is made as wide."""
FILE_NUMBER_MAX = 45 * mm
"""The widest the Aktenzeichen column gets (a longer one wraps)."""
VALUE_LABEL_MAX = 40 * mm
"""The widest the label column of the table beside a chart gets (longer labels wrap)."""
CHART_HEIGHT = 62 * mm
CHART_GAP = 5 * mm


@dataclass
class Totals:
    """Sums of a group of grants, in cents."""

    grants: int = 0
    requested: int = 0
    approved: int = 0
    paid: int = 0

    def add(self, grant: Grant) -> None:
        self.grants += 1
        self.requested += grant.requested_cents or 0
        self.approved += grant.approved_cents or 0
        self.paid += paid_cents(grant)


@dataclass
class _ProgramRow:
    program: FundingProgram
    budget: int | None
    totals: Totals = field(default_factory=Totals)


# --- Förderübersicht ------------------------------------------------------------------------


def write_grant_summary(
    session: Session,
    path: Path,
    *,
    year: int,
    program_id: int | None = None,
    progress: ProgressCallback | None = None,
) -> int:
    """Write the Förderübersicht of budget year ``year`` to ``path``; returns the grants' count.

    With ``program_id`` only that programme's grants. ``progress(done, total)`` may cancel the
    document by returning False (:class:`~integrationsmanager.reports.document.ReportCancelled`,
    no file written).
    """
    tracker = Progress(progress)
    program = None
    if program_id is not None:
        program = session.get(FundingProgram, program_id)
        if program is None:
            raise UserError(f"Ein Förderprogramm mit der Nummer {program_id} gibt es nicht.")
    with atomic_pdf(path) as target:
        tracker.preparing(0, 1)
        grants = grants_of_year(session, year, program_id)
        totals = Totals()
        for done, grant in enumerate(grants, start=1):
            totals.add(grant)
            tracker.preparing(done, len(grants))
        scope = f"Haushaltsjahr {year}"
        if program is not None:
            scope += f" · {program.name}"
        info = DocumentInfo(
            title=f"{SUMMARY_TITLE} {year}",
            subtitle=scope,
            details=(
                ("Zuwendungen", format_number(totals.grants)),
                ("Bewilligt", format_money(totals.approved)),
                ("Ausgezahlt", format_money(totals.paid)),
            ),
        )
        story = title_page(info)
        if grants:
            programs = _program_rows(session, grants, year, program)
            story += contents()
            story += _program_section(programs, totals, year)
            story += _guideline_section(grants, totals)
            story += landscape_pages()
            story += _grant_table(grants, totals, year)
        else:
            story += [
                heading("Zuwendungen", toc=False),
                paragraph(f"Für das Haushaltsjahr {year} sind keine Zuwendungen erfasst."),
            ]
        build_pdf(target, info, story, progress=tracker)
    return len(grants)


def grants_of_year(session: Session, year: int, program_id: int | None = None) -> list[Grant]:
    """The grants counted against budget year ``year``, by programme and file number."""
    statement = (
        select(Grant)
        .join(FundingProgram, FundingProgram.id == Grant.program_id)
        .where(Grant.budget_year == year)
        .options(
            selectinload(Grant.payments),
            selectinload(Grant.guidelines),
            selectinload(Grant.recipient),
            selectinload(Grant.program),
        )
        .order_by(FundingProgram.name, Grant.file_number, Grant.id)
    )
    if program_id is not None:
        statement = statement.where(Grant.program_id == program_id)
    return list(session.scalars(statement))


def _program_rows(
    session: Session, grants: list[Grant], year: int, only: FundingProgram | None
) -> list[_ProgramRow]:
    """Each programme with grants in the year, or a budget for it, with its sums."""
    budgets = {
        b.program_id: b.amount_cents
        for b in session.scalars(select(ProgramBudget).where(ProgramBudget.year == year))
    }
    rows: dict[int, _ProgramRow] = {}
    if only is not None:
        rows[only.id] = _ProgramRow(only, budgets.get(only.id))
    else:
        with_budget = select(FundingProgram).where(FundingProgram.id.in_(budgets))
        for program in session.scalars(with_budget):
            rows[program.id] = _ProgramRow(program, budgets[program.id])
    for grant in grants:
        row = rows.setdefault(
            grant.program_id, _ProgramRow(grant.program, budgets.get(grant.program_id))
        )
        row.totals.add(grant)
    return sorted(rows.values(), key=lambda r: (r.program.name.casefold(), r.program.id))


def _program_section(rows: list[_ProgramRow], totals: Totals, year: int) -> list[Flowable]:
    styles = report_styles()
    budget_total = sum(r.budget or 0 for r in rows)
    table_rows: list[list[Cell]] = [
        [
            r.program.name,
            format_number(r.totals.grants),
            format_money(r.budget) or EMPTY,
            format_money(r.totals.requested),
            format_money(r.totals.approved),
            format_money(r.totals.paid),
        ]
        for r in rows
    ]
    table_rows.append(
        [
            "Summe",
            format_number(totals.grants),
            format_money(budget_total),
            format_money(totals.requested),
            format_money(totals.approved),
            format_money(totals.paid),
        ]
    )
    header = ["Förderprogramm", "Anzahl", f"Budget {year}", "Beantragt", "Bewilligt", "Ausgezahlt"]
    overview = data_table(
        header,
        table_rows,
        fitted_widths(header, table_rows, PORTRAIT_WIDTH),
        numeric=(1, 2, 3, 4, 5),
        total_row=True,
    )
    labels = [_program_label(r.program) for r in rows]
    value_rows: list[list[str]] = [
        [
            label,
            format_money(r.budget) or EMPTY,
            format_money(r.totals.approved),
            format_money(r.totals.paid),
        ]
        for label, r in zip(labels, rows, strict=True)
    ]
    value_header = ["Programm", "Budget", "Bewilligt", "Ausgezahlt"]
    figures = content_widths(value_header, value_rows, (1, 2, 3))
    label_width = min(
        max(_column_width(value_header[0]), *(_column_width(label) for label in labels)),
        VALUE_LABEL_MAX,
    )
    value_width = label_width + sum(figures)
    chart = bar_chart(
        labels,
        [
            Series(f"Budget {year}", [(r.budget or 0) / 100 for r in rows]),
            Series("Bewilligt", [r.totals.approved / 100 for r in rows]),
            Series("Ausgezahlt", [r.totals.paid / 100 for r in rows]),
        ],
        width=PORTRAIT_WIDTH - CHART_GAP - value_width,
        height=CHART_HEIGHT,
        axis_format=euro_axis,
    )
    values = data_table(value_header, value_rows, [label_width, *figures], numeric=(1, 2, 3))
    return [
        heading("Übersicht je Förderprogramm"),
        paragraph(
            f"Alle Zuwendungen mit Haushaltsjahr {year}, gleich in welchem Status. "
            "„Ausgezahlt“ sind die bereits gezahlten Teilbeträge.",
            styles.small,
        ),
        Spacer(1, 2 * mm),
        overview,
        Spacer(1, 8 * mm),
        paragraph(f"Budget, Bewilligung und Auszahlung {year} je Programm", styles.label),
        Spacer(1, 2 * mm),
        chart_with_values(chart, values, gap=CHART_GAP),
    ]


def _program_label(program: FundingProgram) -> str:
    """The programme's short code, else its name (a chart label and its value table's key)."""
    return program.short_code.strip() or program.name


def _guideline_section(grants: list[Grant], totals: Totals) -> list[Flowable]:
    styles = report_styles()
    by_guideline: dict[int | None, Totals] = {}
    guidelines: dict[int, Guideline] = {}
    for grant in grants:
        if not grant.guidelines:
            by_guideline.setdefault(None, Totals()).add(grant)
        for guideline in grant.guidelines:
            guidelines[guideline.id] = guideline
            by_guideline.setdefault(guideline.id, Totals()).add(grant)
    order = sorted(guidelines.values(), key=lambda g: (g.number, g.id))
    keys: list[int | None] = [g.id for g in order]
    names = {g.id: g.label for g in order}
    if None in by_guideline:
        keys.append(None)
    rows: list[list[Cell]] = [
        [
            names[key] if key is not None else NO_GUIDELINE,
            format_number(by_guideline[key].grants),
            format_money(by_guideline[key].requested),
            format_money(by_guideline[key].approved),
            format_money(by_guideline[key].paid),
        ]
        for key in keys
    ]
    rows.append(
        [
            "Alle Zuwendungen (jede einmal gezählt)",
            format_number(totals.grants),
            format_money(totals.requested),
            format_money(totals.approved),
            format_money(totals.paid),
        ]
    )
    return [
        heading("Übersicht je Leitlinie"),
        paragraph(
            "Eine Zuwendung, die mehreren Leitlinien zugeordnet ist, zählt unter jeder dieser "
            "Leitlinien mit ihrem vollen Betrag. Die Zeilen ergeben zusammen daher mehr als die "
            "Gesamtsumme in der letzten Zeile.",
            styles.small,
        ),
        Spacer(1, 2 * mm),
        data_table(
            _SUMS_HEADER,
            rows,
            fitted_widths(_SUMS_HEADER, rows, PORTRAIT_WIDTH),
            numeric=(1, 2, 3, 4),
            total_row=True,
        ),
    ]


def _grant_table(grants: list[Grant], totals: Totals, year: int) -> list[Flowable]:
    rows: list[list[Cell]] = [
        [
            grant.file_number,
            grant.recipient.name,
            grant.project_title,
            format_money(grant.requested_cents) or EMPTY,
            format_money(grant.approved_cents) or EMPTY,
            format_money(paid_cents(grant)),
            GrantStatus(grant.status).label,
        ]
        for grant in grants
    ]
    rows.append(
        [
            "Summe",
            f"{format_number(totals.grants)} Zuwendungen",
            "",
            format_money(totals.requested),
            format_money(totals.approved),
            format_money(totals.paid),
            "",
        ]
    )
    file_number, *money = content_widths(_GRANT_HEADER, rows, (0, 3, 4, 5))
    file_number = min(file_number, FILE_NUMBER_MAX)
    status = _column_width(STATUS_SAMPLE)
    text = (LANDSCAPE_WIDTH - file_number - sum(money) - status) / 2
    return [
        heading(f"Zuwendungen {year}"),
        data_table(
            _GRANT_HEADER,
            rows,
            [file_number, text, text, *money, status],
            numeric=(3, 4, 5),
            total_row=True,
        ),
    ]


_SUMS_HEADER = ("Leitlinie", "Anzahl", "Beantragt", "Bewilligt", "Ausgezahlt")
_GRANT_HEADER: Sequence[Cell] = (
    "Aktenzeichen",
    "Empfänger",
    "Projekt",
    "Beantragt",
    "Bewilligt",
    "Ausgezahlt",
    "Status",
)


def _column_width(sample: str) -> float:
    """A column as wide as ``sample`` in bold (at least 40 pt)."""
    return max(text_width(sample, bold=True) + 2 * CELL_PADDING + 2, 40.0)


def fitted_widths(
    header: Sequence[str], rows: Sequence[Sequence[Cell]], width: float
) -> list[float]:
    """Column widths for a table ``width`` wide whose first column is text, the rest figures.

    Each figure column is as wide as its widest cell (set in bold, as a totals row is); the
    first column gets the rest of the width.
    """
    figures = content_widths(header, rows, range(1, len(header)))
    return [width - sum(figures), *figures]


def content_widths(
    header: Sequence[Cell], rows: Sequence[Sequence[Cell]], columns: Iterable[int]
) -> list[float]:
    """The width of each of ``columns``: its widest text cell or header, in bold."""
    return [
        max(
            _column_width(cell)
            for cell in (header[c], *(row[c] for row in rows))
            if isinstance(cell, str)
        )
        for c in columns
    ]


# --- recipient summary ----------------------------------------------------------------------


def write_recipient_summary(
    session: Session,
    path: Path,
    *,
    organisation_id: int,
    progress: ProgressCallback | None = None,
) -> int:
    """Write all grants of one organisation, with their sums, to ``path``; returns how many."""
    tracker = Progress(progress)
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise UserError(f"Eine Organisation mit der Nummer {organisation_id} gibt es nicht.")
    with atomic_pdf(path) as target:
        tracker.preparing(0, 1)
        grants = list(
            session.scalars(
                select(Grant)
                .where(Grant.recipient_id == organisation_id)
                .options(selectinload(Grant.payments), selectinload(Grant.program))
                .order_by(Grant.budget_year.desc(), Grant.file_number, Grant.id)
            )
        )
        totals = Totals()
        for grant in grants:
            totals.add(grant)
        info = DocumentInfo(
            title=f"{RECIPIENT_TITLE}: {organisation.name}",
            subtitle=organisation.name,
            details=(
                ("Zuwendungen", format_number(totals.grants)),
                ("Bewilligt", format_money(totals.approved)),
                ("Ausgezahlt", format_money(totals.paid)),
            ),
        )
        story = title_page(info)
        story += [heading("Empfänger", toc=False), field_table(_address_rows(organisation))]
        story += [Spacer(1, 6 * mm), *_year_table(grants, totals)]
        if grants:
            story += landscape_pages()
            story += _recipient_grants(grants, totals)
        build_pdf(target, info, story, progress=tracker)
    return len(grants)


def _address_rows(organisation: Organisation) -> list[Sequence[tuple[str, Cell]]]:
    place = " ".join(p for p in (organisation.postcode, organisation.city) if p)
    address = ", ".join(p for p in (organisation.street, place) if p)
    return [
        [("Name", organisation.name)],
        [("Anschrift", address or EMPTY)],
        [("Telefon", organisation.phone or EMPTY), ("E-Mail", organisation.email or EMPTY)],
    ]


def _year_table(grants: Iterable[Grant], total: Totals) -> list[Flowable]:
    by_year: dict[int, Totals] = {}
    for grant in grants:
        by_year.setdefault(grant.budget_year, Totals()).add(grant)
    if not by_year:
        return [paragraph("Für diese Organisation sind keine Zuwendungen erfasst.")]
    rows: list[list[Cell]] = []
    for year in sorted(by_year, reverse=True):
        sums = by_year[year]
        rows.append(
            [
                str(year),
                format_number(sums.grants),
                format_money(sums.requested),
                format_money(sums.approved),
                format_money(sums.paid),
            ]
        )
    rows.append(
        [
            "Summe",
            format_number(total.grants),
            format_money(total.requested),
            format_money(total.approved),
            format_money(total.paid),
        ]
    )
    return [
        heading("Summen je Haushaltsjahr", toc=False),
        data_table(
            ["Jahr", *_SUMS_HEADER[1:]],
            rows,
            fitted_widths(_SUMS_HEADER, rows, PORTRAIT_WIDTH),
            numeric=(1, 2, 3, 4),
            total_row=True,
        ),
    ]


def _recipient_grants(grants: list[Grant], totals: Totals) -> list[Flowable]:
    rows: list[list[Cell]] = [
        [
            str(grant.budget_year),
            grant.file_number,
            grant.program.name,
            grant.project_title,
            format_money(grant.requested_cents) or EMPTY,
            format_money(grant.approved_cents) or EMPTY,
            format_money(paid_cents(grant)),
            GrantStatus(grant.status).label,
        ]
        for grant in grants
    ]
    rows.append(
        [
            "Summe",
            "",
            "",
            f"{format_number(totals.grants)} Zuwendungen",
            format_money(totals.requested),
            format_money(totals.approved),
            format_money(totals.paid),
            "",
        ]
    )
    header = (
        "Jahr",
        "Aktenzeichen",
        "Förderprogramm",
        "Projekt",
        "Beantragt",
        "Bewilligt",
        "Ausgezahlt",
        "Status",
    )
    year, file_number, *money = content_widths(header, rows, (0, 1, 4, 5, 6))
    file_number = min(file_number, FILE_NUMBER_MAX)
    status = _column_width(STATUS_SAMPLE)
    text = (LANDSCAPE_WIDTH - year - file_number - sum(money) - status) / 2
    return [
        heading("Zuwendungen", toc=False),
        data_table(
            header,
            rows,
            [year, file_number, text, text, *money, status],
            numeric=(4, 5, 6),
            total_row=True,
        ),
    ]
