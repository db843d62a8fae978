"""The monitoring report (Monitoringbericht), read back with pypdf, and its line chart."""

from __future__ import annotations

import re
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.platypus import Spacer
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from integrationsmanager.domain.enums import MeasureStatus
from integrationsmanager.domain.errors import UserError
from integrationsmanager.domain.measures import Measure
from integrationsmanager.domain.money import format_money
from integrationsmanager.reports.charts import FORECAST_DASH, Point, line_chart
from integrationsmanager.reports.document import (
    Cell,
    DocumentInfo,
    ReportCancelled,
    atomic_pdf,
    build_pdf,
    data_table,
)
from integrationsmanager.reports.monitoring import write_monitoring_report
from integrationsmanager.services.budgets import budget_overview
from integrationsmanager.services.demo import create_demo_data
from integrationsmanager.services.measures import MeasureData, guideline_by_number, save_measure
from tests.reports.pdfcheck import comparable, font_problems, letters, page_layouts, page_texts
from tests.reports.test_funding_documents import ARABIC_ORG, make_funding

CYRILLIC_MEASURE = "Освіта für Familien – Elterncafé"
ARABIC_LEAD = "جمعية النور للثقافة"
MEASURES = [
    (1, CYRILLIC_MEASURE, MeasureStatus.RUNNING),
    (1, "Sprachcafé für Eltern", MeasureStatus.PLANNED),
    (2, "Anerkennungsberatung", MeasureStatus.COMPLETED),
    (3, "Wohnführerschein", MeasureStatus.SUSPENDED),
    (3, "Auszugsmanagement", MeasureStatus.CANCELLED),
    (6, "Monitoring-Bericht", MeasureStatus.RUNNING),
]


@pytest.fixture
def filled(session: Session) -> Session:
    for number, title, status in MEASURES:
        guideline = guideline_by_number(session, number)
        assert guideline is not None
        save_measure(
            session,
            MeasureData(
                title=title,
                guideline_id=guideline.id,
                status=status,
                start_date=date(2025, 3, 1),
                end_date=date(2026, 12, 31),
                lead_organisation=ARABIC_LEAD if title == CYRILLIC_MEASURE else "",
            ),
        )
    make_funding(session)
    return session


def _page(texts: list[str], title: str) -> int:
    """The first page after the contents that says ``title`` (a heading)."""
    return next(i for i, t in enumerate(texts) if i > 1 and title in t)


def test_summary_holds_the_figures_of_the_year(filled: Session, tmp_path: Path) -> None:
    path = tmp_path / "monitoring.pdf"
    pages = write_monitoring_report(filled, path, year=2026)
    texts = page_texts(path)
    assert pages == len(texts)
    assert "Monitoringbericht 2026" in texts[0]
    assert "Inhalt" in texts[1] and "Leitlinie 1: Bildung und Sprache sichern" in texts[1]

    layouts = page_layouts(path)
    summary = _page(texts, "Zusammenfassung")
    lines = layouts[summary].splitlines()
    header = next(i for i, line in enumerate(lines) if "abgeschlossen" in line and "Gesamt" in line)
    statement = select(Measure.status, func.count(Measure.id)).group_by(Measure.status)
    counts = {status: number for status, number in filled.execute(statement)}
    expected = [counts.get(s.value, 0) for s in MeasureStatus] + [len(MEASURES)]
    row = next(line for line in lines[header + 1 :] if line.strip())
    assert [int(n) for n in row.split()] == expected

    # 2026 grants of make_funding: approved-or-later 4.500,33 + 11.999,99 + 900,07;
    # paid 2.250,17 + 900,07 (the planned tranche and the grant in review do not count).
    summary_text = re.sub(r"\s+", " ", comparable(layouts[summary]))
    assert "Zuwendungen 4" in summary_text and "davon bewilligt 3" in summary_text
    assert "Bewilligt 17.400,39 €" in summary_text
    assert "Ausgezahlt 3.150,24 €" in summary_text
    budget = sum(row.budget_cents for row in budget_overview(filled, 2026) if row.program_id)
    assert f"Budget der Programme {format_money(budget)}".replace("\u00a0", " ") in summary_text
    # Seeded indicators: the latest value, and the change against the one before.
    assert re.search(
        r"Einwohnerinnen und Einwohner .*?2023 89\.000 108\.000 ↓ \u221219\.000", summary_text
    )
    assert "(gesunken)" in summary_text and "(2000)" in summary_text


def test_guideline_sections_show_goals_indicators_measures_and_grants(
    filled: Session, tmp_path: Path
) -> None:
    path = tmp_path / "monitoring.pdf"
    write_monitoring_report(filled, path, year=2026)
    texts = [comparable(t) for t in page_texts(path)]
    first = _page(texts, "Leitlinie 1:")
    section = texts[first] + texts[first + 1]
    assert "Frühzeitige Sprachförderung" in section  # the guideline's goals
    assert "Kinder und Jugendliche unter den Zugewanderten" in section
    assert letters(CYRILLIC_MEASURE) in letters(section)
    assert letters(ARABIC_LEAD) in letters(section)
    # Guideline 1 has SozB-2026-001 (approved 4.500,33, paid 2.250,17) and KF-2026-002 (in review).
    assert "SozB-2026-001" in section and "KF-2026-002" in section
    assert "4.500,33 €" in section and "2.250,17 €" in section
    third = texts[_page(texts, "Leitlinie 3:")] + texts[_page(texts, "Leitlinie 3:") + 1]
    assert letters(ARABIC_ORG) in letters(third) and "11.999,99 €" in third

    whole = "\n".join(texts)
    # The seeded population with its chart (an axis label) and its value table.
    assert "89.000" in whole and "108.000" in whole and "2035 (Prognose)" in whole
    assert "110.000" in whole
    # The breakdown of foreign nationals by nationality, with the share of the 7.400.
    assert re.search(r"Ukraine\s+2\.888\s+39,0 %", whole)
    assert "Syrien" in whole and "1.003" in whole and "504" in whole


def _images(resources: Any, seen: set[int]) -> list[str]:
    """Names of image XObjects in ``resources``, forms searched recursively."""
    if resources is None:
        return []
    found: list[str] = []
    xobjects = resources.get_object().get("/XObject")
    for name, ref in (xobjects.get_object() if xobjects is not None else {}).items():
        obj = ref.get_object()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if obj.get("/Subtype") == "/Image":
            found.append(name)
        found += _images(obj.get("/Resources"), seen)
    return found


def test_charts_are_vector_graphics_in_embedded_fonts(filled: Session, tmp_path: Path) -> None:
    path = tmp_path / "monitoring.pdf"
    write_monitoring_report(filled, path, year=2026)
    seen: set[int] = set()
    assert [n for p in PdfReader(path).pages for n in _images(p.get("/Resources"), seen)] == []
    assert font_problems(path) == []


def test_a_table_broken_across_pages_repeats_its_header_only_at_the_top(tmp_path: Path) -> None:
    """The grants tables of a guideline once showed their header twice on one page: reportlab
    split between rows, then split the rest within a row in the space left on that page."""
    rows: list[list[Cell]] = [
        [
            f"MIK-2026-00{i}",
            "Hausaufgabenhilfe in arabischer und deutscher Sprache\n"
            "Volkshochschule Altenburger Land e.V.",
            "1.400,00 €",
            "Verwendungsnachweis fällig",
        ]
        for i in range(4)
    ]
    rows.append(["Summe", "4 Zuwendungen", "5.600,00 €", ""])
    for tenths in range(1540, 1640, 8):
        path = tmp_path / f"t{tenths}.pdf"
        with atomic_pdf(path) as target:
            table = data_table(
                ["Akte", "Projekt", "Bewilligt", "Status"],
                rows,
                [25 * mm, 50 * mm, 25 * mm, 33 * mm],
                numeric=(2,),
                total_row=True,
            )
            build_pdf(target, DocumentInfo(title="x"), [Spacer(1, tenths / 10 * mm), table])
        assert all(text.count("Akte") <= 1 for text in page_texts(path)), tenths


def test_line_chart_holds_values_forecasts_and_target() -> None:
    points = [
        Point(2000, 108_000),
        Point(2023, 89_000),
        Point(2035, 80_000, forecast=True),
    ]
    drawing = line_chart(points, width=100 * mm, height=60 * mm, target=85_000, target_x=2030)
    plot = next(c for c in drawing.contents if isinstance(c, LinePlot))
    # Forecast first (it starts at the last measured value), then the measured values, then
    # the target as a line across the whole time axis.
    forecast, measured, target = plot.data
    assert forecast == [(2023, 89_000), (2035, 80_000)]
    assert measured == [(2000, 108_000), (2023, 89_000)]
    low, high = plot.xValueAxis.valueMin, plot.xValueAxis.valueMax
    assert target == [(low, 85_000), (high, 85_000)] and low < 2000 and high > 2035
    assert plot.lines[0].strokeDashArray == list(FORECAST_DASH)
    assert plot.lines[1].strokeDashArray is None
    assert plot.yValueAxis.valueMin <= 80_000 and plot.yValueAxis.valueMax >= 108_000
    assert isinstance(drawing, Drawing) and drawing.initialFontName == "DejaVuSans"


@pytest.mark.parametrize("stop_at", [1, 60])
def test_cancelling_leaves_no_file(filled: Session, tmp_path: Path, stop_at: int) -> None:
    """Cancelled while the figures are collected (1 %) or while pages are laid out (60 %)."""
    folder = tmp_path / "berichte"
    folder.mkdir()
    seen: list[int] = []

    def progress(done: int, total: int) -> bool:
        seen.append(done)
        return done < stop_at

    with pytest.raises(ReportCancelled):
        write_monitoring_report(filled, folder / "monitoring.pdf", year=2026, progress=progress)
    assert list(folder.iterdir()) == []
    assert max(seen) >= stop_at and max(seen) < 100


def test_year_defaults_to_this_year_and_an_empty_database_works(
    session: Session, tmp_path: Path
) -> None:
    path = tmp_path / "leer.pdf"
    write_monitoring_report(session, path)
    texts = page_texts(path)
    assert f"Monitoringbericht {date.today().year}" in texts[0]
    assert "Zu dieser Leitlinie sind keine Maßnahmen erfasst." in "".join(texts)
    with pytest.raises(UserError, match="Berichtsjahr 20260"):
        write_monitoring_report(session, tmp_path / "x.pdf", year=20260)


def test_demo_report_is_written_in_under_ten_seconds(session: Session, tmp_path: Path) -> None:
    create_demo_data(session)
    path = tmp_path / "demo.pdf"
    start = time.perf_counter()
    pages = write_monitoring_report(session, path, year=2026)
    elapsed = time.perf_counter() - start
    assert elapsed < 10, elapsed
    assert pages > 10
