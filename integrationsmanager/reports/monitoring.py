"""The monitoring report (Monitoringbericht) for the Kreistag: is the policy working?

Title page, contents, a summary up front (measures by status, the grants and money of the
year, every indicator with its latest value and the direction of its change), the measures per
guideline and status, the money of the year per programme and per guideline, the general
figures of the district (indicators linked to no guideline), then one section per guideline:
its goals, its indicators, each with a vector chart and the table of the charted figures beside
it, its measures by status, and its grants of the year.

Which year covers what:

- measures: all of them, with the status they have when the report is made (the annual
  report tells what began and ended in a year);
- grants and money: grants with that budget year, as in the Förderübersicht; "bewilligt" and
  "ausgezahlt" count grants from their approval on, as the budget view and the overview do;
- indicators: measured values up to the end of the year, and forecasts after the last of them.

Personal data: none. The report names organisations (grant recipients, lead organisations) and
measures, never a person, so it carries no personal-data notice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Spacer
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from integrationsmanager.domain.common import Guideline
from integrationsmanager.domain.enums import Direction, GrantStatus, MeasureStatus
from integrationsmanager.domain.errors import UserError
from integrationsmanager.domain.funding import Grant
from integrationsmanager.domain.measures import Measure
from integrationsmanager.domain.money import format_money, format_number
from integrationsmanager.domain.monitoring import Indicator
from integrationsmanager.reports.charts import (
    Point,
    Series,
    bar_chart,
    chart_with_values,
    euro_axis,
    line_chart,
)
from integrationsmanager.reports.document import (
    CELL_PADDING,
    PORTRAIT_WIDTH,
    Badge,
    Cell,
    DocumentInfo,
    Progress,
    ProgressCallback,
    atomic_pdf,
    build_pdf,
    contents,
    data_table,
    field_table,
    format_date,
    heading,
    paragraph,
    section_end,
    text_width,
    title_page,
)
from integrationsmanager.reports.grants import (
    STATUS_SAMPLE,
    content_widths,
    fitted_widths,
    grants_of_year,
)
from integrationsmanager.reports.measures import guidelines_edition
from integrationsmanager.reports.palette import status_colour
from integrationsmanager.reports.styles import report_styles
from integrationsmanager.services.grants import COMMITTED, paid_cents
from integrationsmanager.services.indicators import (
    BETTER,
    NEUTRAL,
    UNCHANGED,
    WORSE,
    SeriesPoint,
    breakdown,
    breakdown_years,
    judge,
    series,
)
from integrationsmanager.services.measures import MeasureFilter, measures_for_report
from integrationsmanager.services.statistics import (
    GuidelineMoney,
    GuidelineStatusCounts,
    ProgramMoney,
    measures_by_guideline_status,
    money_by_guideline,
    program_money,
)

TITLE = "Monitoringbericht"
EMPTY = "–"
GENERAL_FIGURES = "Rahmendaten des Landkreises"
"""The section of the indicators linked to no guideline."""
CHART_HEIGHT = 58 * mm
MONEY_CHART_HEIGHT = 46 * mm
"""Lower, so both money charts and their tables fit on one page."""
CHART_GAP = 5 * mm
VALUE_LABEL_MAX = 42 * mm
"""The widest the label column of a table beside a chart gets."""
VALUE_LABEL_MIN = 26 * mm
VALUE_MIN = 30 * mm
"""Columns of an indicator's value table are at least this wide, so charts line up."""
BREAKDOWN_BARS = 10
"""The chart of a breakdown shows the largest values; the table beside it lists all."""
BLOCK_START = 55 * mm
"""A guideline's measures or grants start on a new page unless this much room is left, so
their heading, counts and first rows stay together."""
MINUS = "\u2212"
YEAR_MIN = 1900
YEAR_MAX = 2200


# --- the figures ----------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorFigures:
    """One indicator as the report shows it in ``year``."""

    indicator: Indicator
    year: int
    points: list[SeriesPoint]
    """Measured values up to the year, then the forecasts after the last of them."""
    latest: SeriesPoint | None
    """The latest measured value up to the year."""
    previous: SeriesPoint | None
    """The measured value before :attr:`latest`."""
    breakdown_year: int | None
    breakdown: list[tuple[str, Decimal]]

    @property
    def change(self) -> Decimal | None:
        if self.latest is None or self.previous is None:
            return None
        return self.latest.value - self.previous.value

    @property
    def judgement(self) -> str:
        return judge(self.change, Direction(self.indicator.direction))


@dataclass(frozen=True)
class MonitoringData:
    """Everything the report shows, collected in one go."""

    year: int
    guidelines: list[Guideline]
    status_counts: dict[int, GuidelineStatusCounts]
    measures: dict[int, list[Measure]]
    indicators: list[IndicatorFigures]
    grants: dict[int | None, list[Grant]]
    """The grants of the year by guideline; one with several guidelines is under each."""
    grant_count: int
    approved_count: int
    """Grants of the year approved or further along."""
    money: dict[int | None, GuidelineMoney]
    programs: list[ProgramMoney]

    def indicators_of(self, guideline_id: int | None) -> list[IndicatorFigures]:
        """The indicators linked to the guideline (None: linked to none)."""
        return [
            f
            for f in self.indicators
            if (guideline_id is None and not f.indicator.guidelines)
            or any(g.id == guideline_id for g in f.indicator.guidelines)
        ]


def collect_monitoring(session: Session, year: int, tracker: Progress) -> MonitoringData:
    """The report's figures for ``year`` (progress: the first part of collecting)."""
    tracker.preparing(0, 4)
    counts = measures_by_guideline_status(session, MeasureFilter())
    by_id = {
        g.id: g
        for g in session.scalars(
            select(Guideline).where(Guideline.id.in_([c.guideline_id for c in counts]))
        )
    }
    measures: dict[int, list[Measure]] = {}
    for measure in measures_for_report(session, MeasureFilter()):
        measures.setdefault(measure.guideline_id, []).append(measure)
    tracker.preparing(1, 4)
    indicators = [
        _indicator_figures(session, indicator, year)
        for indicator in session.scalars(
            select(Indicator)
            .options(selectinload(Indicator.guidelines))
            .order_by(Indicator.name_folded, Indicator.id)
        )
    ]
    tracker.preparing(2, 4)
    grants = grants_of_year(session, year)
    grouped: dict[int | None, list[Grant]] = {}
    for grant in grants:
        keys: list[int | None] = [g.id for g in grant.guidelines] or [None]
        for key in keys:
            grouped.setdefault(key, []).append(grant)
    tracker.preparing(3, 4)
    money = {m.guideline_id: m for m in money_by_guideline(session, year)}
    programs = program_money(session, year)
    tracker.preparing(4, 4)
    return MonitoringData(
        year=year,
        guidelines=[by_id[c.guideline_id] for c in counts],
        status_counts={c.guideline_id: c for c in counts},
        measures=measures,
        indicators=indicators,
        grants=grouped,
        grant_count=len(grants),
        approved_count=sum(1 for g in grants if GrantStatus(g.status) in COMMITTED),
        money=money,
        programs=programs,
    )


def _indicator_figures(session: Session, indicator: Indicator, year: int) -> IndicatorFigures:
    values = series(session, indicator.id)
    measured = [p for p in values.points if not p.is_forecast and p.year <= year]
    last = measured[-1].year if measured else None
    forecasts = [p for p in values.points if p.is_forecast and (last is None or p.year > last)]
    years = [y for y in breakdown_years(session, indicator.id) if y <= year]
    breakdown_year = years[-1] if years else None
    parts = breakdown(session, indicator.id, breakdown_year) if breakdown_year else []
    return IndicatorFigures(
        indicator=indicator,
        year=year,
        points=measured + forecasts,
        latest=measured[-1] if measured else None,
        previous=measured[-2] if len(measured) > 1 else None,
        breakdown_year=breakdown_year,
        breakdown=parts,
    )


# --- writing --------------------------------------------------------------------------------


def check_year(year: int) -> None:
    """Raise a :class:`UserError` for a report year no one means (a typing error)."""
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise UserError(f"Das Berichtsjahr {year} liegt nicht zwischen {YEAR_MIN} und {YEAR_MAX}.")


def write_monitoring_report(
    session: Session,
    path: Path,
    *,
    year: int | None = None,
    progress: ProgressCallback | None = None,
) -> int:
    """Write the monitoring report of ``year`` (default: this year) to ``path``; returns pages.

    ``progress(done, total)`` may cancel the document by returning False
    (:class:`~integrationsmanager.reports.document.ReportCancelled`, no file written). A
    ``path`` that cannot be a PDF raises a :class:`~integrationsmanager.domain.errors.UserError`.
    """
    year = year if year is not None else date.today().year
    check_year(year)
    tracker = Progress(progress)
    with atomic_pdf(path) as target:
        data = collect_monitoring(session, year, tracker)
        measures = sum(c.total for c in data.status_counts.values())
        info = DocumentInfo(
            title=f"{TITLE} {year}",
            subtitle="Leitlinien, Kennzahlen, Maßnahmen und Förderung",
            edition=guidelines_edition(session, data.guidelines),
            details=(
                ("Berichtsjahr", str(year)),
                ("Maßnahmen", format_number(measures)),
                ("Kennzahlen", format_number(len(data.indicators))),
                ("Zuwendungen", format_number(data.grant_count)),
            ),
        )
        story = title_page(info)
        story += contents()
        story += _summary(data)
        story += _measures_overview(data)
        story += [PageBreak(), heading(f"Förderung {year}")]
        story += funding_overview(data.programs, list(data.money.values()), year)
        general = data.indicators_of(None)
        if general:
            story += [PageBreak(), heading(GENERAL_FIGURES, section=True)]
            story += [
                paragraph(
                    "Kennzahlen, die keiner einzelnen Leitlinie zugeordnet sind: die Lage, in "
                    "der alle Leitlinien wirken.",
                    report_styles().small,
                )
            ]
            for figures in general:
                story += _indicator_block(figures)
            story.append(section_end())
        for guideline in data.guidelines:
            story += _guideline_section(data, guideline)
        return build_pdf(target, info, story, progress=tracker)


# --- summary --------------------------------------------------------------------------------


def _summary(data: MonitoringData) -> list[Flowable]:
    """The page up front: measures by status, grants and money, indicators at a glance."""
    styles = report_styles()
    year = data.year
    totals = dict.fromkeys(MeasureStatus, 0)
    for counts in data.status_counts.values():
        for status, number in counts.counts.items():
            totals[status] += number
    budget = sum(p.budget_cents for p in data.programs)
    approved = sum(p.approved_cents for p in data.programs)
    paid = sum(p.paid_cents for p in data.programs)
    story: list[Flowable] = [
        heading("Zusammenfassung"),
        paragraph(
            f"Berichtsjahr {year}, Stand {format_date(date.today())}. Maßnahmen: alle mit ihrem "
            f"heutigen Status. Förderung: die Zuwendungen mit Haushaltsjahr {year}; "
            "„bewilligt“ und „ausgezahlt“ zählen Zuwendungen ab ihrer Bewilligung. Kennzahlen: "
            f"der jüngste gemessene Wert bis {year} und der Wert davor.",
            styles.small,
        ),
        paragraph("Maßnahmen nach Status", styles.label),
        _status_table([totals], None),
        Spacer(1, 4 * mm),
        paragraph(f"Förderung {year}", styles.label),
        field_table(
            [
                [
                    ("Zuwendungen", format_number(data.grant_count)),
                    ("davon bewilligt", format_number(data.approved_count)),
                ],
                [
                    ("Budget der Programme", format_money(budget)),
                    ("Bewilligt", format_money(approved)),
                ],
                [
                    ("Ausgezahlt", format_money(paid)),
                    ("Bewilligt, noch offen", format_money(approved - paid)),
                ],
            ]
        ),
        Spacer(1, 4 * mm),
        paragraph("Kennzahlen", styles.label),
    ]
    if data.indicators:
        story.append(_indicator_summary(data.indicators))
    else:
        story.append(paragraph("Es sind keine Kennzahlen erfasst.", styles.body))
    return story


def _status_table(
    rows: Sequence[dict[MeasureStatus, int]], labels: Sequence[str] | None
) -> Flowable:
    """Counts by status with the status colours in the header; ``labels`` name the rows."""
    statuses = list(MeasureStatus)
    widths = [_number_width(s.label) for s in statuses] + [_number_width("Gesamt")]
    header: list[Cell] = [*(Badge(s.label, status_colour(s)) for s in statuses), "Gesamt"]
    body: list[list[Cell]] = [
        [*(format_number(row[s]) for s in statuses), format_number(sum(row.values()))]
        for row in rows
    ]
    numeric = range(len(statuses) + 1)
    if labels is not None:
        header.insert(0, "Leitlinie")
        for label, row in zip(labels, body, strict=True):
            row.insert(0, label)
        widths.insert(0, PORTRAIT_WIDTH - sum(widths))
        numeric = range(1, len(statuses) + 2)
    return data_table(header, body, widths, numeric=numeric, total_row=labels is not None)


def _number_width(header: str) -> float:
    return max(text_width(header, bold=True) + 2 * CELL_PADDING + 2, 40.0)


def _indicator_summary(indicators: list[IndicatorFigures]) -> Flowable:
    """Each indicator's latest value, the one before, the change and the target; the unit
    stands with the name, so the figures stay narrow."""
    rows: list[list[Cell]] = []
    for figures in indicators:
        indicator = figures.indicator
        latest, previous = figures.latest, figures.previous
        target = indicator.target_value
        rows.append(
            [
                f"{indicator.name} ({indicator.unit})" if indicator.unit else indicator.name,
                latest.label if latest else EMPTY,
                format_number(latest.value) if latest else EMPTY,
                f"{format_number(previous.value)}\n({previous.label})" if previous else EMPTY,
                _change_text(figures.change, figures.judgement),
                EMPTY
                if target is None
                else f"{format_number(target)}\n({indicator.target_year})"
                if indicator.target_year
                else format_number(target),
            ]
        )
    header = ["Kennzahl (Einheit)", "Stand", "Wert", "Vorwert", "Entwicklung", "Ziel"]
    widths = [21 * mm, 18 * mm, 21 * mm, 25 * mm, 18 * mm]
    return data_table(header, rows, [PORTRAIT_WIDTH - sum(widths), *widths], numeric=(2, 3, 5))


def _target_text(figures: IndicatorFigures) -> str:
    """``400 Personen (2027)``."""
    indicator = figures.indicator
    if indicator.target_value is None:
        return EMPTY
    text = format_value(indicator.target_value, indicator.unit)
    return f"{text} ({indicator.target_year})" if indicator.target_year else text


def format_value(value: Decimal, unit: str = "") -> str:
    """``89.000``, ``28 %``, ``20,5 Personen``: a value in German with its unit."""
    number = format_number(value)
    return f"{number}\u00a0{unit}" if unit else number


def format_change(change: Decimal) -> str:
    """``+1.200`` or ``−3.000`` (a real minus sign)."""
    text = format_number(abs(change))
    return f"+{text}" if change > 0 else f"{MINUS}{text}" if change < 0 else "±0"


_ARROWS = {True: "↑", False: "↓"}
_WORDS = {BETTER: "besser", WORSE: "schlechter", UNCHANGED: "unverändert"}


def _change_text(change: Decimal | None, judgement: str) -> str:
    """``↑ +1.200 (besser)``, ``↓ −3.000 (gesunken)`` for a neutral indicator, or "–"."""
    if change is None:
        return EMPTY
    if change == 0:
        return f"→ {_WORDS[UNCHANGED]}"
    arrow = _ARROWS[change > 0]
    word = (
        ("gestiegen" if change > 0 else "gesunken") if judgement == NEUTRAL else _WORDS[judgement]
    )
    return f"{arrow} {format_change(change)}\n({word})"


# --- overviews -----------------------------------------------------------------------------


def _measures_overview(data: MonitoringData) -> list[Flowable]:
    styles = report_styles()
    statuses = list(MeasureStatus)
    chart = bar_chart(
        [f"Leitlinie {g.number}" for g in data.guidelines],
        [
            Series(
                s.label,
                [data.status_counts[g.id].counts[s] for g in data.guidelines],
                status_colour(s),
            )
            for s in statuses
        ],
        width=PORTRAIT_WIDTH,
        height=CHART_HEIGHT,
        stacked=True,
    )
    rows = [data.status_counts[g.id].counts for g in data.guidelines]
    totals = {s: sum(r[s] for r in rows) for s in statuses}
    return [
        PageBreak(),
        heading("Maßnahmen je Leitlinie"),
        paragraph("Anzahl der Maßnahmen je Leitlinie nach ihrem heutigen Status", styles.label),
        Spacer(1, 2 * mm),
        chart,
        Spacer(1, 3 * mm),
        _status_table([*rows, totals], [g.label for g in data.guidelines] + ["Summe"]),
    ]


def funding_overview(
    programs: list[ProgramMoney], money: list[GuidelineMoney], year: int
) -> list[Flowable]:
    """Budget, approved and paid per programme, and the grants per guideline, with charts."""
    styles = report_styles()
    return [
        paragraph(f"Budget, Bewilligung und Auszahlung {year} je Förderprogramm", styles.label),
        Spacer(1, 2 * mm),
        *_program_money(programs, year),
        Spacer(1, 6 * mm),
        paragraph(f"Zuwendungen {year} je Leitlinie", styles.label),
        paragraph(
            "Eine Zuwendung, die mehreren Leitlinien zugeordnet ist, zählt unter jeder dieser "
            "Leitlinien mit ihrem vollen Betrag; die Zeilen ergeben zusammen daher mehr als die "
            "Summe des Jahres.",
            styles.small,
        ),
        Spacer(1, 2 * mm),
        *_guideline_money(money),
    ]


def _program_money(programs: list[ProgramMoney], year: int) -> list[Flowable]:
    if not programs:
        return [
            paragraph(f"Für {year} sind keine Förderprogramme mit Budget oder Zuwendungen erfasst.")
        ]
    chart = bar_chart(
        [p.short_name for p in programs],
        [
            Series(f"Budget {year}", [p.budget_cents / 100 for p in programs]),
            Series("Bewilligt", [p.approved_cents / 100 for p in programs]),
            Series("Ausgezahlt", [p.paid_cents / 100 for p in programs]),
        ],
        width=PORTRAIT_WIDTH,
        height=MONEY_CHART_HEIGHT,
        axis_format=euro_axis,
    )
    rows: list[list[Cell]] = [
        [
            p.name if p.name == p.short_name else f"{p.name} ({p.short_name})",
            format_money(p.budget_cents),
            format_money(p.approved_cents),
            format_money(p.paid_cents),
            format_money(p.budget_cents - p.approved_cents),
        ]
        for p in programs
    ]
    budget = sum(p.budget_cents for p in programs)
    approved = sum(p.approved_cents for p in programs)
    rows.append(
        [
            "Summe",
            format_money(budget),
            format_money(approved),
            format_money(sum(p.paid_cents for p in programs)),
            format_money(budget - approved),
        ]
    )
    header = ["Förderprogramm", f"Budget {year}", "Bewilligt", "Ausgezahlt", "Noch verfügbar"]
    return [
        chart,
        Spacer(1, 3 * mm),
        data_table(
            header,
            rows,
            fitted_widths(header, rows, PORTRAIT_WIDTH),
            numeric=(1, 2, 3, 4),
            total_row=True,
        ),
    ]


def _guideline_money(money: list[GuidelineMoney]) -> list[Flowable]:
    chart = bar_chart(
        [f"Leitlinie {m.number}" if m.number is not None else "ohne" for m in money],
        [
            Series("Bewilligt", [m.approved_cents / 100 for m in money]),
            Series("Ausgezahlt", [m.paid_cents / 100 for m in money]),
        ],
        width=PORTRAIT_WIDTH,
        height=MONEY_CHART_HEIGHT,
        axis_format=euro_axis,
    )
    rows: list[list[Cell]] = [
        [
            m.label,
            format_number(m.grants),
            format_money(m.requested_cents),
            format_money(m.approved_cents),
            format_money(m.paid_cents),
        ]
        for m in money
    ]
    header = ["Leitlinie", "Zuwendungen", "Beantragt", "Bewilligt", "Ausgezahlt"]
    return [
        chart,
        Spacer(1, 3 * mm),
        data_table(header, rows, fitted_widths(header, rows, PORTRAIT_WIDTH), numeric=(1, 2, 3, 4)),
    ]


# --- a guideline ----------------------------------------------------------------------------


def _guideline_section(data: MonitoringData, guideline: Guideline) -> list[Flowable]:
    styles = report_styles()
    story: list[Flowable] = [
        PageBreak(),
        heading(f"Leitlinie {guideline.number}: {guideline.title}", section=True),
        paragraph("Ziele", styles.label),
        paragraph(
            guideline.goals or "Für diese Leitlinie sind keine Ziele erfasst.", styles.indented
        ),
    ]
    indicators = data.indicators_of(guideline.id)
    story.append(heading("Kennzahlen", level=1, toc=False))
    if indicators:
        for figures in indicators:
            story += _indicator_block(figures)
    else:
        story.append(paragraph("Dieser Leitlinie ist keine Kennzahl zugeordnet.", styles.indented))
    story += _measures_block(data, guideline)
    story += _grants_block(data, guideline)
    story.append(section_end())
    return story


def _indicator_block(figures: IndicatorFigures) -> list[Flowable]:
    """One indicator: its chart with the table of its values beside it, source, breakdown."""
    styles = report_styles()
    indicator = figures.indicator
    block: list[Flowable] = [paragraph(indicator.name, styles.label)]
    values, value_width = _value_table(figures)
    if len(figures.points) > 1 or (figures.points and indicator.target_value is not None):
        chart = line_chart(
            [_point(p) for p in figures.points],
            width=PORTRAIT_WIDTH - CHART_GAP - value_width,
            height=CHART_HEIGHT,
            target=float(indicator.target_value) if indicator.target_value is not None else None,
            target_x=indicator.target_year,
            target_label=_target_label(figures),
            axis_format=_axis_format(indicator.unit),
        )
        block.append(chart_with_values(chart, values, gap=CHART_GAP))
    elif figures.points:
        block.append(values)
    else:
        block.append(paragraph(f"Bis {figures.year} sind keine Werte erfasst.", styles.indented))
    block.append(paragraph(_about(figures), styles.small))
    story: list[Flowable] = [KeepTogether(block)]
    if figures.breakdown:
        story.append(KeepTogether(_breakdown_block(figures)))
    return story


def _point(point: SeriesPoint) -> Point:
    x = float(point.year)
    if point.reference_date is not None:
        start = date(point.year, 1, 1)
        x += (point.reference_date - start).days / 366
    return Point(x, float(point.value), point.is_forecast)


def _target_label(figures: IndicatorFigures) -> str:
    indicator = figures.indicator
    if indicator.target_value is None:
        return "Ziel"
    return f"Ziel: {_target_text(figures)}"


def _axis_format(unit: str) -> Callable[[float], str]:
    """Axis labels in German; a percentage axis says so on every label."""

    def label(value: float) -> str:
        number = (
            format_number(round(value)) if value == round(value) else format_number(value, places=1)
        )
        return f"{number} %" if unit == "%" else number

    return label


def _value_table(figures: IndicatorFigures) -> tuple[Flowable, float]:
    """The table of the charted figures, and its width."""
    indicator = figures.indicator
    header = ["Jahr", f"Wert ({indicator.unit})" if indicator.unit else "Wert"]
    rows: list[list[Cell]] = [
        [f"{p.label} (Prognose)" if p.is_forecast else p.label, format_number(p.value)]
        for p in figures.points
    ]
    if indicator.target_value is not None:
        label = f"Ziel {indicator.target_year}" if indicator.target_year else "Ziel"
        rows.append([label, format_number(indicator.target_value)])
    label_width, value_width = content_widths(header, rows, (0, 1))
    widths = [min(max(label_width, VALUE_LABEL_MIN), VALUE_LABEL_MAX), max(value_width, VALUE_MIN)]
    return data_table(header, rows, widths, numeric=(1,)), sum(widths)


def _about(figures: IndicatorFigures) -> str:
    indicator = figures.indicator
    parts = [f"Richtung: {Direction(indicator.direction).label}"]
    sources = dict.fromkeys(s for s in [indicator.source, *(p.source for p in figures.points)] if s)
    if sources:
        parts.append("Quelle: " + "; ".join(sources))
    periods: dict[str, list[str]] = {}
    for point in figures.points:
        if point.note:
            periods.setdefault(point.note, []).append(point.label)
    parts += [f"{', '.join(labels)}: {note}" for note, labels in periods.items()]
    text = " · ".join(parts)
    return f"{indicator.description}\n{text}" if indicator.description else text


def _breakdown_block(figures: IndicatorFigures) -> list[Flowable]:
    styles = report_styles()
    indicator = figures.indicator
    key = indicator.breakdown_key or "Aufschlüsselung"
    year = figures.breakdown_year
    total = next((p.value for p in figures.points if p.year == year and not p.is_forecast), None)
    header = [key, f"Wert ({indicator.unit})" if indicator.unit else "Wert"]
    rows: list[list[Cell]] = [[label, format_number(value)] for label, value in figures.breakdown]
    if total:
        header.append("Anteil")
        for row, (_, value) in zip(rows, figures.breakdown, strict=True):
            row.append(f"{format_number(value * 100 / total, places=1)} %")
    columns = content_widths(header, rows, range(len(header)))
    columns[0] = min(columns[0], VALUE_LABEL_MAX)
    table = data_table(header, rows, columns, numeric=range(1, len(header)))
    shown = figures.breakdown[:BREAKDOWN_BARS]
    chart = bar_chart(
        [label for label, _ in shown],
        [
            Series(
                indicator.name if len(indicator.name) < 40 else "Wert", [float(v) for _, v in shown]
            )
        ],
        width=PORTRAIT_WIDTH - CHART_GAP - sum(columns),
        height=CHART_HEIGHT,
    )
    caption = f"{indicator.name} nach {key} ({year})"
    if total:
        caption += f", zusammen {format_value(total, indicator.unit)}"
    return [paragraph(caption, styles.label), chart_with_values(chart, table, gap=CHART_GAP)]


def _measures_block(data: MonitoringData, guideline: Guideline) -> list[Flowable]:
    styles = report_styles()
    measures = sorted(
        data.measures.get(guideline.id, []),
        key=lambda m: (list(MeasureStatus).index(MeasureStatus(m.status)), m.title_folded, m.id),
    )
    story: list[Flowable] = [CondPageBreak(BLOCK_START), heading("Maßnahmen", level=1, toc=False)]
    if not measures:
        story.append(
            paragraph("Zu dieser Leitlinie sind keine Maßnahmen erfasst.", styles.indented)
        )
        return story
    story += [_status_table([data.status_counts[guideline.id].counts], None), Spacer(1, 3 * mm)]
    rows: list[list[Cell]] = [
        [
            m.title,
            Badge(MeasureStatus(m.status).label, status_colour(m.status)),
            _period(m),
            m.lead_organisation.name if m.lead_organisation else EMPTY,
        ]
        for m in measures
    ]
    status = _number_width("abgeschlossen") + 10
    period = text_width("01.01.2026 – 31.12.2026") + 2 * CELL_PADDING + 2
    rest = (PORTRAIT_WIDTH - status - period) / 2
    story.append(
        data_table(
            ["Maßnahme", "Status", "Zeitraum", "Federführung"],
            rows,
            [rest, status, period, rest],
        )
    )
    return story


def _period(measure: Measure) -> str:
    start, end = format_date(measure.start_date), format_date(measure.end_date)
    if start and end:
        return f"{start} – {end}"
    if start:
        return f"ab {start}"
    if end:
        return f"bis {end}"
    return EMPTY


def _grants_block(data: MonitoringData, guideline: Guideline) -> list[Flowable]:
    styles = report_styles()
    year = data.year
    grants = data.grants.get(guideline.id, [])
    story: list[Flowable] = [
        CondPageBreak(BLOCK_START),
        heading(f"Zuwendungen {year}", level=1, toc=False),
    ]
    if not grants:
        story.append(
            paragraph(
                f"Keine Zuwendungen mit Haushaltsjahr {year} zu dieser Leitlinie.", styles.indented
            )
        )
        return story
    money = data.money.get(guideline.id)
    approved = [g for g in grants if GrantStatus(g.status) in COMMITTED]
    sums = field_table(
        [
            [
                ("Zuwendungen", format_number(len(grants))),
                ("davon bewilligt", format_number(len(approved))),
            ],
            [
                ("Bewilligt", format_money(money.approved_cents if money else 0)),
                ("Ausgezahlt", format_money(money.paid_cents if money else 0)),
            ],
        ]
    )
    story += [sums, Spacer(1, 3 * mm)]
    rows: list[list[Cell]] = []
    for grant in grants:
        committed = GrantStatus(grant.status) in COMMITTED
        rows.append(
            [
                grant.file_number,
                f"{grant.project_title}\n{grant.recipient.name}",
                format_money(grant.approved_cents) if committed and grant.approved_cents else EMPTY,
                format_money(paid_cents(grant)) if committed else EMPTY,
                GrantStatus(grant.status).label,
            ]
        )
    rows.append(
        [
            "Summe",
            f"{format_number(len(grants))} Zuwendungen",
            format_money(sum(g.approved_cents or 0 for g in approved)),
            format_money(sum(paid_cents(g) for g in approved)),
            "",
        ]
    )
    header = ["Aktenzeichen", "Projekt / Empfänger", "Bewilligt", "Ausgezahlt", "Status"]
    file_number, approved_width, paid_width = content_widths(header, rows, (0, 2, 3))
    file_number = min(file_number, 30 * mm)
    status = _number_width(STATUS_SAMPLE)
    text = PORTRAIT_WIDTH - file_number - approved_width - paid_width - status
    story.append(
        data_table(
            header,
            rows,
            [file_number, text, approved_width, paid_width, status],
            numeric=(2, 3),
            total_row=True,
        )
    )
    return story
