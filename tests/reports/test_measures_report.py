"""The measures report (Maßnahmenbericht), read back with pypdf."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from integrationsmanager.domain.enums import MeasureStatus, PlanningDocument, Responsibility
from integrationsmanager.domain.errors import UserError
from integrationsmanager.reports.document import ReportCancelled
from integrationsmanager.reports.measures import describe_filter, write_measures_report
from integrationsmanager.services.measures import (
    MeasureData,
    MeasureFilter,
    add_progress,
    guideline_by_number,
    save_measure,
)
from tests.reports.pdfcheck import comparable, font_problems, letters, page_layouts, page_texts

CYRILLIC = "Освіта für Familien"
ARABIC_ORG = "جمعية الجسر للاندماج"
DARI_ORG = "انجمن فرهنگی افغان‌ها"
MARKUP = "Hausaufgabenhilfe <b>& Lernwerkstatt"
LONG = (
    "Die Fachstellen berichten von langen Wartezeiten; es fehlen Sprachmittlerinnen und "
    "Sprachmittler für Dari, Paschtu, Arabisch und Ukrainisch. "
) * 12

# (guideline number, title, status)
MEASURES = [
    (1, CYRILLIC, MeasureStatus.RUNNING),
    (1, MARKUP, MeasureStatus.RUNNING),
    (1, "Sprachcafé für Eltern", MeasureStatus.PLANNED),
    (2, "Anerkennungsberatung", MeasureStatus.COMPLETED),
    (2, "Praktikumsbörse", MeasureStatus.RUNNING),
    (3, "Wohnführerschein", MeasureStatus.SUSPENDED),
    (3, "Auszugsmanagement", MeasureStatus.CANCELLED),
    (3, "Wohnungsakquise", MeasureStatus.RUNNING),
]


def _gid(session: Session, number: int) -> int:
    guideline = guideline_by_number(session, number)
    assert guideline is not None
    return guideline.id


@pytest.fixture
def measures(session: Session) -> Session:
    for i, (number, title, status) in enumerate(MEASURES):
        result = save_measure(
            session,
            MeasureData(
                title=title,
                guideline_id=_gid(session, number),
                baseline=LONG if i == 0 else "Ausgangslage kurz.",
                goal="Bis Ende 2026 nehmen 120 Personen teil.",
                implementation=f"Gemeinsam mit {ARABIC_ORG} werden Informationsabende organisiert.",
                responsibility=Responsibility.INDIRECT if i % 2 else Responsibility.DIRECT,
                status=status,
                start_date=date(2025, 3, 1),
                end_date=date(2026, 12, 31),
                lead_organisation=ARABIC_ORG if i == 0 else "Jobcenter Altenburger Land",
                partners=[DARI_ORG, "Volkshochschule Altenburger Land"] if i == 0 else [],
                planned_budget_cents=123_456 if i == 0 else 100_000,
                spent_cents=50_025 if i == 0 else None,
                planning_document=PlanningDocument.FAMILY_PLAN,
                tags=["Sprache", "Familie"] if i == 0 else [],
            ),
        )
        if i == 0:
            for day in range(1, 6):
                add_progress(
                    session,
                    result.measure.id,
                    f"Eintrag vom {day}. Mai",
                    on=date(2025, 5, day),
                    author="M. Schulze",
                )
    return session


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An empty folder for the reports (the test database lives in ``tmp_path``)."""
    folder = tmp_path / "berichte"
    folder.mkdir()
    return folder


def _titles_in(texts: list[str]) -> list[str]:
    body = comparable("\n".join(texts))
    return [title for _, title, _ in MEASURES if title in body]


def test_returns_count_and_shows_every_measure(measures: Session, out: Path) -> None:
    path = out / "bericht.pdf"
    assert write_measures_report(measures, path) == len(MEASURES)
    texts = page_texts(path)
    assert _titles_in(texts) == [title for _, title, _ in MEASURES]


def test_special_text_appears_as_written(measures: Session, out: Path) -> None:
    path = out / "bericht.pdf"
    write_measures_report(measures, path)
    texts = page_texts(path)
    whole = comparable("\n".join(texts))
    assert CYRILLIC in whole
    assert MARKUP in whole  # markup characters literally, not as bold
    # Arabic is drawn shaped and in visual order; read back it is the original name again.
    assert letters(ARABIC_ORG) in letters(whole)
    assert letters(DARI_ORG) in letters(whole)
    # Babel's no-break space before "€" shares its glyph with the space: it reads back as one.
    assert "1.234,56 €" in whole and "500,25 €" in whole
    assert "01.03.2025 – 31.12.2026" in whole
    assert "Familienplan" in whole and "Sprache, Familie" in whole


def test_title_page_contents_and_page_numbers(measures: Session, out: Path) -> None:
    path = out / "bericht.pdf"
    write_measures_report(measures, path)
    texts = page_texts(path)
    first = texts[0]
    assert "Maßnahmenbericht" in first and "Alle Maßnahmen" in first
    assert "Landkreis Altenburger Land" in first
    assert date.today().strftime("%d.%m.%Y") in first
    assert "Politische Leitlinien für Integration" in first  # the guidelines edition
    assert re.search(rf"Seite 1 von\s*{len(texts)}\b", first)
    assert "Inhalt" in texts[1]
    for number in (1, 2, 3):
        assert f"Leitlinie {number}:" in texts[1]
    # Guidelines without measures get no section of their own.
    assert "Leitlinie 4:" not in texts[1]
    assert all("Landkreis Altenburger Land · Integrationsmanagement" in t for t in texts)


def test_summary_counts_guideline_by_status(measures: Session, out: Path) -> None:
    path = out / "bericht.pdf"
    write_measures_report(measures, path)
    summary = next(t for t in page_layouts(path) if "Übersicht" in t and "Gesamt" in t)
    numbers = _row_numbers(summary)
    # Columns: geplant, laufend, abgeschlossen, ausgesetzt, abgebrochen, Gesamt.
    assert numbers["1"] == [1, 2, 0, 0, 0, 3]
    assert numbers["2"] == [0, 1, 1, 0, 0, 2]
    assert numbers["3"] == [0, 1, 0, 1, 1, 3]
    assert numbers["4"] == [0, 0, 0, 0, 0, 0]
    assert numbers["Summe"] == [1, 4, 1, 1, 1, 8]


def _row_numbers(summary: str) -> dict[str, list[int]]:
    """The count table's rows, keyed by guideline number (or "Summe"), from extracted text."""
    section = summary.split("Gesamt", 1)[1].split("Budget je Leitlinie", 1)[0]
    rows: dict[str, list[int]] = {}
    for match in re.finditer(r"(?m)^\s*(\d+|Summe)\b(.*?)((?: +\d+){6}) *$", section):
        rows[match[1]] = [int(n) for n in match[3].split()]
    return rows


def test_progress_shows_the_newest_entries(measures: Session, out: Path) -> None:
    path = out / "bericht.pdf"
    write_measures_report(measures, path)
    whole = "\n".join(page_texts(path))
    assert "die neuesten 3 von 5 Einträgen" in whole
    assert "Eintrag vom 5. Mai" in whole and "05.05.2025" in whole
    assert "Eintrag vom 1. Mai" not in whole


def test_fonts_are_embedded(measures: Session, out: Path) -> None:
    path = out / "bericht.pdf"
    write_measures_report(measures, path)
    assert font_problems(path) == []


def test_filter_by_guideline_and_status(measures: Session, out: Path) -> None:
    path = out / "leitlinie.pdf"
    flt = MeasureFilter(guideline_id=_gid(measures, 3))
    assert write_measures_report(measures, path, flt) == 3
    texts = page_texts(path)
    assert _titles_in(texts) == ["Wohnführerschein", "Auszugsmanagement", "Wohnungsakquise"]
    assert "Filter: Leitlinie 3: Wohnraumversorgung stärken" in texts[0]
    assert "Leitlinie 1:" not in "\n".join(texts)

    path = out / "status.pdf"
    flt = MeasureFilter(status=MeasureStatus.RUNNING)
    assert write_measures_report(measures, path, flt) == 4
    texts = page_texts(path)
    assert _titles_in(texts) == [CYRILLIC, MARKUP, "Praktikumsbörse", "Wohnungsakquise"]
    assert "Filter: Status: laufend" in texts[0]
    summary = next(t for t in texts if "Übersicht" in t)
    assert "geplant" not in summary.split("Budget je Leitlinie")[0]


def test_describe_filter(measures: Session) -> None:
    assert describe_filter(measures, MeasureFilter()) == "Alle Maßnahmen"
    flt = MeasureFilter(
        guideline_id=_gid(measures, 2),
        status=MeasureStatus.PLANNED,
        responsibility=Responsibility.INDIRECT,
        year=2025,
        search=" Sprache ",
    )
    assert describe_filter(measures, flt) == (
        "Filter: Leitlinie 2: Arbeitsmarktintegration beschleunigen · Status: geplant · "
        "Zuständigkeit: mittelbar · Jahr: 2025 · Suche: „Sprache“"
    )


def test_empty_result_is_a_valid_pdf_saying_so(measures: Session, out: Path) -> None:
    path = out / "leer.pdf"
    flt = MeasureFilter(guideline_id=_gid(measures, 8))
    assert write_measures_report(measures, path, flt) == 0
    whole = "\n".join(page_texts(path))
    assert "Für diesen Filter gibt es keine Maßnahmen." in whole
    assert "Seite 1 von" in whole
    assert font_problems(path) == []


def test_empty_database(session: Session, out: Path) -> None:
    path = out / "leer.pdf"
    assert write_measures_report(session, path) == 0
    assert "keine Maßnahmen" in "\n".join(page_texts(path))


@pytest.mark.parametrize("stop_at", [0, 10, 60, 99])
def test_cancel_leaves_no_file(measures: Session, out: Path, stop_at: int) -> None:
    path = out / "bericht.pdf"
    calls: list[int] = []

    def progress(done: int, total: int) -> bool:
        calls.append(done)
        return done < stop_at

    with pytest.raises(ReportCancelled):
        write_measures_report(measures, path, progress=progress)
    assert calls and calls[-1] >= stop_at
    assert list(out.iterdir()) == []


def test_cancel_keeps_an_existing_file(measures: Session, out: Path) -> None:
    path = out / "bericht.pdf"
    path.write_bytes(b"vorher")
    with pytest.raises(ReportCancelled):
        write_measures_report(measures, path, progress=lambda done, total: done < 50)
    assert path.read_bytes() == b"vorher"
    assert [p.name for p in out.iterdir()] == ["bericht.pdf"]


def test_progress_reaches_the_total(measures: Session, out: Path) -> None:
    seen: list[tuple[int, int]] = []

    def record(done: int, total: int) -> bool:
        seen.append((done, total))
        return True

    write_measures_report(measures, out / "b.pdf", progress=record)
    assert seen[0] == (0, 100) and seen[-1] == (100, 100)
    assert [d for d, _ in seen] == sorted({d for d, _ in seen})


def test_wrong_suffix_is_a_user_error(measures: Session, out: Path) -> None:
    with pytest.raises(UserError, match="PDF"):
        write_measures_report(measures, out / "bericht.docx")
    assert list(out.iterdir()) == []


def test_missing_folder_is_a_user_error(measures: Session, out: Path) -> None:
    with pytest.raises(UserError, match="Ordner"):
        write_measures_report(measures, out / "nicht da" / "bericht.pdf")
