"""The annual report (Jahresbericht): one year of integration work in figures.

Title page, contents, a summary up front, then the measures begun and finished in the year,
the meetings held, the grants and money per programme and per guideline (with charts), and how
the indicators changed against their previous value.

What counts for a year:

- a measure *began* in the year when its start date lies in it; it *finished* when it is
  completed and its end date lies in it;
- a meeting counts when it is marked as held and took place in the year (local time);
- grants and money as in the monitoring report: the grants with that budget year, "bewilligt"
  and "ausgezahlt" from their approval on;
- indicators: the measured value of the year against the previous measured one (forecasts
  left out), judged by the indicator's direction.

Personal data: none. Meetings are named by their group and title, grants by their recipient
organisation; no person is named, so the report carries no personal-data notice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from integrationsmanager.domain.enums import GrantStatus, MeasureStatus, MeetingStatus
from integrationsmanager.domain.measures import Measure
from integrationsmanager.domain.meetings import Meeting
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
    text_width,
    title_page,
)
from integrationsmanager.reports.grants import grants_of_year
from integrationsmanager.reports.measures import guidelines_edition
from integrationsmanager.reports.monitoring import (
    EMPTY,
    check_year,
    format_change,
    format_value,
    funding_overview,
)
from integrationsmanager.reports.palette import status_colour
from integrationsmanager.reports.styles import report_styles
from integrationsmanager.services.grants import COMMITTED
from integrationsmanager.services.indicators import (
    BETTER,
    NEUTRAL,
    UNCHANGED,
    WORSE,
    IndicatorChange,
    indicator_changes,
)
from integrationsmanager.services.measures import guidelines
from integrationsmanager.services.meetings import meeting_date, to_utc
from integrationsmanager.services.statistics import (
    GuidelineMoney,
    ProgramMoney,
    money_by_guideline,
    program_money,
)

TITLE = "Jahresbericht"
JUDGEMENTS = {
    BETTER: "besser",
    WORSE: "schlechter",
    UNCHANGED: "unverändert",
    NEUTRAL: "nicht bewertet (neutral)",
}
"""How the report words the judgement of a change (a neutral indicator is not judged)."""


@dataclass(frozen=True)
class AnnualData:
    """Everything the annual report shows."""

    year: int
    started: list[Measure]
    finished: list[Measure]
    meetings: list[Meeting]
    grant_count: int
    approved_count: int
    programs: list[ProgramMoney]
    money: list[GuidelineMoney]
    changes: list[IndicatorChange]


def collect_annual(session: Session, year: int, tracker: Progress) -> AnnualData:
    """The figures of ``year`` (progress: the first part of collecting)."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    tracker.preparing(0, 4)
    started = list(
        session.scalars(
            select(Measure)
            .where(Measure.start_date >= first, Measure.start_date <= last)
            .options(selectinload(Measure.guideline))
            .order_by(Measure.start_date, Measure.title_folded, Measure.id)
        )
    )
    finished = list(
        session.scalars(
            select(Measure)
            .where(
                Measure.status == MeasureStatus.COMPLETED,
                Measure.end_date >= first,
                Measure.end_date <= last,
            )
            .options(selectinload(Measure.guideline))
            .order_by(Measure.end_date, Measure.title_folded, Measure.id)
        )
    )
    tracker.preparing(1, 4)
    meetings = list(
        session.scalars(
            select(Meeting)
            .where(
                Meeting.status == MeetingStatus.HELD,
                Meeting.starts_at >= to_utc(datetime(year, 1, 1)),
                Meeting.starts_at < to_utc(datetime(year + 1, 1, 1)),
            )
            .options(selectinload(Meeting.group))
            .order_by(Meeting.starts_at, Meeting.id)
        )
    )
    tracker.preparing(2, 4)
    grants = grants_of_year(session, year)
    programs = program_money(session, year)
    money = money_by_guideline(session, year)
    tracker.preparing(3, 4)
    changes = indicator_changes(session, year)
    tracker.preparing(4, 4)
    return AnnualData(
        year=year,
        started=started,
        finished=finished,
        meetings=meetings,
        grant_count=len(grants),
        approved_count=sum(1 for g in grants if GrantStatus(g.status) in COMMITTED),
        programs=programs,
        money=money,
        changes=changes,
    )


def write_annual_report(
    session: Session,
    path: Path,
    *,
    year: int,
    progress: ProgressCallback | None = None,
) -> int:
    """Write the annual report of ``year`` to ``path``; returns the number of pages.

    ``progress(done, total)`` may cancel the document by returning False
    (:class:`~integrationsmanager.reports.document.ReportCancelled`, no file written).
    """
    check_year(year)
    tracker = Progress(progress)
    with atomic_pdf(path) as target:
        data = collect_annual(session, year, tracker)
        info = DocumentInfo(
            title=f"{TITLE} {year}",
            subtitle=f"Integrationsmanagement im Jahr {year}: Maßnahmen, Gremien, Förderung, "
            "Kennzahlen",
            edition=guidelines_edition(session, guidelines(session)),
            details=(("Berichtsjahr", str(year)),),
        )
        story = title_page(info)
        story += contents()
        story += _summary(data)
        story += _measures(data)
        story += _meetings(data)
        story += [PageBreak(), heading(f"Förderung {year}")]
        story += funding_overview(data.programs, data.money, year)
        story += _indicators(data)
        return build_pdf(target, info, story, progress=tracker)


# --- sections -------------------------------------------------------------------------------


def _summary(data: AnnualData) -> list[Flowable]:
    styles = report_styles()
    year = data.year
    approved = sum(p.approved_cents for p in data.programs)
    paid = sum(p.paid_cents for p in data.programs)
    better = sum(1 for c in data.changes if c.judgement == BETTER)
    worse = sum(1 for c in data.changes if c.judgement == WORSE)
    groups = {m.group_id for m in data.meetings}
    return [
        heading("Zusammenfassung"),
        paragraph(
            f"Das Jahr {year} in Zahlen, Stand {format_date(date.today())}. Eine Maßnahme zählt "
            "als begonnen, wenn ihr Beginn im Jahr liegt, als abgeschlossen, wenn sie "
            "abgeschlossen ist und ihr Ende im Jahr liegt. Sitzungen: die als durchgeführt "
            f"vermerkten. Förderung: die Zuwendungen mit Haushaltsjahr {year}; „bewilligt“ und "
            "„ausgezahlt“ zählen Zuwendungen ab ihrer Bewilligung.",
            styles.small,
        ),
        Spacer(1, 2 * mm),
        field_table(
            [
                [
                    ("Maßnahmen begonnen", format_number(len(data.started))),
                    ("Maßnahmen abgeschlossen", format_number(len(data.finished))),
                ],
                [
                    ("Sitzungen", format_number(len(data.meetings))),
                    ("Gremien, die getagt haben", format_number(len(groups))),
                ],
                [
                    ("Zuwendungen", format_number(data.grant_count)),
                    ("davon bewilligt", format_number(data.approved_count)),
                ],
                [("Bewilligt", format_money(approved)), ("Ausgezahlt", format_money(paid))],
                [
                    (f"Kennzahlen mit Wert {year}", format_number(len(data.changes))),
                    (
                        "davon besser / schlechter",
                        f"{format_number(better)} / {format_number(worse)}",
                    ),
                ],
            ]
        ),
    ]


def _measures(data: AnnualData) -> list[Flowable]:
    styles = report_styles()
    year = data.year
    guideline = _width("Leitlinie")
    day = _width("00.00.0000")
    status = _width("abgeschlossen") + 10
    story: list[Flowable] = [
        PageBreak(),
        heading(f"Maßnahmen {year}"),
        paragraph(f"Begonnen {year} ({format_number(len(data.started))})", styles.label),
    ]
    if data.started:
        story.append(
            data_table(
                ["Leitlinie", "Maßnahme", "Beginn", "Status"],
                [
                    [
                        str(m.guideline.number),
                        m.title,
                        format_date(m.start_date),
                        Badge(MeasureStatus(m.status).label, status_colour(m.status)),
                    ]
                    for m in data.started
                ],
                [guideline, PORTRAIT_WIDTH - guideline - day - status, day, status],
                numeric=(0,),
            )
        )
    else:
        story.append(paragraph(f"{year} hat keine Maßnahme begonnen.", styles.indented))
    story += [
        Spacer(1, 4 * mm),
        paragraph(f"Abgeschlossen {year} ({format_number(len(data.finished))})", styles.label),
    ]
    if data.finished:
        story.append(
            data_table(
                ["Leitlinie", "Maßnahme", "Beginn", "Ende"],
                [
                    [
                        str(m.guideline.number),
                        m.title,
                        format_date(m.start_date) or EMPTY,
                        format_date(m.end_date),
                    ]
                    for m in data.finished
                ],
                [guideline, PORTRAIT_WIDTH - guideline - 2 * day, day, day],
                numeric=(0,),
            )
        )
    else:
        story.append(paragraph(f"{year} wurde keine Maßnahme abgeschlossen.", styles.indented))
    return story


def _meetings(data: AnnualData) -> list[Flowable]:
    styles = report_styles()
    year = data.year
    story: list[Flowable] = [
        Spacer(1, 6 * mm),
        heading(f"Sitzungen {year}"),
    ]
    if not data.meetings:
        story.append(paragraph(f"{year} ist keine Sitzung als durchgeführt vermerkt.", styles.body))
        return story
    day = _width("00.00.0000")
    rest = (PORTRAIT_WIDTH - day) / 2
    story.append(
        data_table(
            ["Datum", "Gremium", "Titel"],
            [[meeting_date(m), m.group.name, m.title or EMPTY] for m in data.meetings],
            [day, rest, rest],
        )
    )
    return story


def _indicators(data: AnnualData) -> list[Flowable]:
    styles = report_styles()
    year = data.year
    story: list[Flowable] = [PageBreak(), heading(f"Kennzahlen {year}")]
    if not data.changes:
        story.append(
            paragraph(f"Für {year} sind keine gemessenen Kennzahlwerte erfasst.", styles.body)
        )
        return story
    story.append(
        paragraph(
            f"Jede Kennzahl mit einem gemessenen Wert {year}, verglichen mit ihrem vorigen "
            "gemessenen Wert. Die Bewertung folgt der Richtung der Kennzahl (höher oder "
            "niedriger ist besser); eine neutrale Kennzahl wird nicht bewertet.",
            styles.small,
        )
    )
    rows: list[list[Cell]] = [
        [
            c.name,
            (
                f"{format_value(c.previous_value, c.unit)}\n({c.previous_year})"
                if c.previous_value is not None
                else EMPTY
            ),
            format_value(c.value, c.unit),
            format_change(c.change) if c.change is not None else EMPTY,
            JUDGEMENTS.get(c.judgement, EMPTY),
        ]
        for c in data.changes
    ]
    widths = [32 * mm, 30 * mm, 26 * mm, 30 * mm]
    story.append(
        data_table(
            ["Kennzahl", "Vorwert", f"Wert {year}", "Veränderung", "Bewertung"],
            rows,
            [PORTRAIT_WIDTH - sum(widths), *widths],
            numeric=(1, 2, 3),
        )
    )
    return story


def _width(sample: str) -> float:
    return text_width(sample, bold=True) + 2 * CELL_PADDING + 2
