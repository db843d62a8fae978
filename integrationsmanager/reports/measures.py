"""The measures report (Maßnahmenbericht) for the Kreistag and the networks.

Title page with the active filter and the guidelines edition, contents, a summary of measures
by guideline and status (and their budgets), then each guideline with its measures: the three
steps Ausgangslage – Ziel – Umsetzung, responsibility, status, dates, organisations, money,
keywords and the latest progress entries. Guidelines without matching measures appear in the
summary with zeros but get no section of their own.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer
from sqlalchemy import select
from sqlalchemy.orm import Session

from integrationsmanager.domain.common import Guideline, GuidelineEdition
from integrationsmanager.domain.enums import (
    MeasureStatus,
    PlanningDocument,
    Priority,
    Responsibility,
)
from integrationsmanager.domain.measures import Measure
from integrationsmanager.domain.money import format_money, format_number
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
from integrationsmanager.reports.palette import status_colour
from integrationsmanager.reports.styles import report_styles
from integrationsmanager.services.measures import MeasureFilter, guidelines, measures_for_report

TITLE = "Maßnahmenbericht"
LATEST_PROGRESS = 3
"""How many of a measure's progress entries the report shows (the newest)."""
EMPTY = "–"
ALL_MEASURES = MeasureFilter()


def write_measures_report(
    session: Session,
    path: Path,
    flt: MeasureFilter = ALL_MEASURES,
    *,
    progress: ProgressCallback | None = None,
) -> int:
    """Write the measures matching ``flt`` as a PDF to ``path``; returns how many.

    ``progress(done, total)`` is called as the work proceeds; when it returns False the report
    is cancelled with :class:`~integrationsmanager.reports.document.ReportCancelled` and no file
    is written. A ``path`` that cannot be a PDF raises a
    :class:`~integrationsmanager.domain.errors.UserError`.
    """
    tracker = Progress(progress)
    with atomic_pdf(path) as target:
        tracker.preparing(0, 1)
        measures = measures_for_report(session, flt)
        scope = _guidelines_in_scope(session, flt, measures)
        info = DocumentInfo(
            title=TITLE,
            subtitle=describe_filter(session, flt),
            edition=guidelines_edition(session, scope),
            details=(("Maßnahmen", format_number(len(measures))),),
        )
        story = title_page(info)
        if measures:
            story += contents()
            story += _summary(scope, measures, flt)
            story += _sections(measures, tracker)
        else:
            story += [
                heading("Maßnahmen", toc=False),
                paragraph("Für diesen Filter gibt es keine Maßnahmen."),
            ]
        build_pdf(target, info, story, progress=tracker)
    return len(measures)


def describe_filter(session: Session, flt: MeasureFilter) -> str:
    """The filter in German words, e.g. "Leitlinie 3: … · Status: laufend"."""
    parts: list[str] = []
    if flt.guideline_id is not None:
        guideline = session.get(Guideline, flt.guideline_id)
        parts.append(
            f"Leitlinie {guideline.number}: {guideline.title}"
            if guideline
            else f"Leitlinie (Nr. {flt.guideline_id})"
        )
    if flt.status is not None:
        parts.append(f"Status: {MeasureStatus(flt.status).label}")
    if flt.responsibility is not None:
        parts.append(f"Zuständigkeit: {Responsibility(flt.responsibility).label}")
    if flt.year is not None:
        parts.append(f"Jahr: {flt.year}")
    if flt.search.strip():
        parts.append(f"Suche: „{flt.search.strip()}“")
    return "Filter: " + " · ".join(parts) if parts else "Alle Maßnahmen"


def _guidelines_in_scope(
    session: Session, flt: MeasureFilter, measures: list[Measure]
) -> list[Guideline]:
    """The guidelines the summary lists: the filtered one, or all active ones and any other
    (retired) guideline that has a matching measure."""
    if flt.guideline_id is not None:
        guideline = session.get(Guideline, flt.guideline_id)
        return [guideline] if guideline else []
    found = {g.id: g for g in guidelines(session)}
    for measure in measures:
        found.setdefault(measure.guideline_id, measure.guideline)
    return sorted(found.values(), key=lambda g: (g.number, g.id))


def guidelines_edition(session: Session, scope: list[Guideline]) -> str:
    """The guidelines edition(s) the report is based on (the current one if none is linked)."""
    ids = {g.edition_id for g in scope if g.edition_id is not None}
    statement = select(GuidelineEdition).order_by(GuidelineEdition.id)
    statement = (
        statement.where(GuidelineEdition.id.in_(ids))
        if ids
        else statement.where(GuidelineEdition.current)
    )
    editions = session.scalars(statement).all()
    return "; ".join(
        e.title + (f", beschlossen am {format_date(e.adopted_on)}" if e.adopted_on else "")
        for e in editions
    )


# --- summary ----------------------------------------------------------------------------------


def _summary(scope: list[Guideline], measures: list[Measure], flt: MeasureFilter) -> list[Flowable]:
    styles = report_styles()
    statuses = [MeasureStatus(flt.status)] if flt.status is not None else list(MeasureStatus)
    counts = {g.id: dict.fromkeys(statuses, 0) for g in scope}
    planned = dict.fromkeys(counts, 0)
    spent = dict.fromkeys(counts, 0)
    for measure in measures:
        counts[measure.guideline_id][MeasureStatus(measure.status)] += 1
        planned[measure.guideline_id] += measure.planned_budget_cents or 0
        spent[measure.guideline_id] += measure.spent_cents or 0

    number_widths = [_column_width(s.label) for s in statuses] + [_column_width("Gesamt")]
    header: list[Cell] = [
        "Leitlinie",
        *(Badge(s.label, status_colour(s)) for s in statuses),
        "Gesamt",
    ]
    rows: list[list[Cell]] = []
    for guideline in scope:
        row = counts[guideline.id]
        rows.append(
            [
                f"{guideline.number} {guideline.title}",
                *(format_number(row[s]) for s in statuses),
                format_number(sum(row.values())),
            ]
        )
    rows.append(
        [
            "Summe",
            *(format_number(sum(counts[g.id][s] for g in scope)) for s in statuses),
            format_number(len(measures)),
        ]
    )
    count_table = data_table(
        header,
        rows,
        [PORTRAIT_WIDTH - sum(number_widths), *number_widths],
        numeric=range(1, len(statuses) + 2),
        total_row=True,
    )

    money_width = _column_width("000.000.000,00 €")
    count_width = _column_width("Maßnahmen")
    budget_rows: list[list[Cell]] = [
        [
            f"{g.number} {g.title}",
            format_number(sum(counts[g.id].values())),
            format_money(planned[g.id]),
            format_money(spent[g.id]),
        ]
        for g in scope
    ]
    budget_rows.append(
        [
            "Summe",
            format_number(len(measures)),
            format_money(sum(planned.values())),
            format_money(sum(spent.values())),
        ]
    )
    budget_table = data_table(
        ["Leitlinie", "Maßnahmen", "Budget geplant", "Ausgegeben"],
        budget_rows,
        [PORTRAIT_WIDTH - 2 * money_width - count_width, count_width, money_width, money_width],
        numeric=(1, 2, 3),
        total_row=True,
    )
    return [
        heading("Übersicht"),
        paragraph("Anzahl der Maßnahmen je Leitlinie und Status", styles.label),
        count_table,
        Spacer(1, 8 * mm),
        paragraph("Budget je Leitlinie (Summe der erfassten Beträge)", styles.label),
        budget_table,
    ]


def _column_width(header: str) -> float:
    """A number column as wide as its bold header (at least 40 pt)."""
    return max(text_width(header, bold=True) + 2 * CELL_PADDING + 2, 40.0)


# --- sections ---------------------------------------------------------------------------------


def _sections(measures: list[Measure], tracker: Progress) -> list[Flowable]:
    styles = report_styles()
    story: list[Flowable] = []
    current: int | None = None
    for done, measure in enumerate(measures, start=1):
        if measure.guideline_id != current:
            current = measure.guideline_id
            guideline = measure.guideline
            story += [PageBreak(), heading(f"Leitlinie {guideline.number}: {guideline.title}")]
            if guideline.goals:
                story.append(paragraph(guideline.goals, styles.small))
        story += _measure(measure)
        tracker.preparing(done, len(measures))
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


def _planning(measure: Measure) -> str:
    label = PlanningDocument(measure.planning_document).label
    note = measure.planning_document_note
    return f"{label} – {note}" if note else label


def _measure(measure: Measure) -> list[Flowable]:
    styles = report_styles()
    status = MeasureStatus(measure.status)
    lead = measure.lead_organisation
    fields = field_table(
        [
            [
                ("Status", Badge(status.label, status_colour(status))),
                ("Priorität", Priority(measure.priority).label),
            ],
            [
                ("Zuständigkeit", Responsibility(measure.responsibility).label),
                ("Beginn – Ende", _period(measure)),
            ],
            [
                ("Budget geplant", format_money(measure.planned_budget_cents) or EMPTY),
                ("Ausgegeben", format_money(measure.spent_cents) or EMPTY),
            ],
            [("Federführung", lead.name if lead else EMPTY)],
            [("Partner", ", ".join(p.name for p in measure.partners) or EMPTY)],
            [("Fachplanung", _planning(measure))],
            [("Schlagwörter", ", ".join(t.name for t in measure.tags) or EMPTY)],
        ]
    )
    story: list[Flowable] = [heading(measure.title, level=1, toc=False, section=True), fields]
    for label, text in (
        ("Ausgangslage", measure.baseline),
        ("Ziel", measure.goal),
        ("Umsetzung", measure.implementation),
    ):
        story += [paragraph(label, styles.label), paragraph(text or EMPTY, styles.indented)]
    story += [*_progress(measure), section_end()]
    return story


def _progress(measure: Measure) -> list[Flowable]:
    styles = report_styles()
    entries = measure.progress[:LATEST_PROGRESS]
    if not entries:
        return [
            paragraph("Fortschritt", styles.label),
            paragraph("Noch keine Einträge.", styles.indented),
        ]
    total = len(measure.progress)
    label = (
        f"Fortschritt (die neuesten {len(entries)} von {total} Einträgen)"
        if total > len(entries)
        else "Fortschritt"
    )
    table = data_table(
        ["Datum", "Von", "Eintrag"],
        [[format_date(e.entry_date), e.author, e.text] for e in entries],
        [22 * mm, 42 * mm, PORTRAIT_WIDTH - 64 * mm],
    )
    return [paragraph(label, styles.label), table]
