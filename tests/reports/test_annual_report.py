"""The annual report (Jahresbericht), read back with pypdf."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from integrationsmanager.domain.enums import MeasureStatus, MeetingStatus
from integrationsmanager.domain.errors import UserError
from integrationsmanager.domain.measures import Measure
from integrationsmanager.reports.annual import write_annual_report
from integrationsmanager.reports.document import ReportCancelled
from integrationsmanager.services.indicators import ValueData, add_value, find_indicator
from integrationsmanager.services.measures import MeasureData, guideline_by_number, save_measure
from integrationsmanager.services.meetings import GroupData, MeetingData, save_group, save_meeting
from tests.reports.pdfcheck import comparable, font_problems, letters, page_layouts, page_texts
from tests.reports.test_funding_documents import make_funding

CYRILLIC_MEASURE = "Освіта für Familien – Elterncafé"
ARABIC_GROUP = "مجلس الاندماج"

# (guideline number, title, status, start, end)
MEASURES = [
    (1, CYRILLIC_MEASURE, MeasureStatus.RUNNING, date(2026, 2, 1), date(2027, 6, 30)),
    (2, "Praktikumsbörse", MeasureStatus.COMPLETED, date(2026, 1, 15), date(2026, 10, 31)),
    (3, "Wohnführerschein", MeasureStatus.COMPLETED, date(2024, 5, 1), date(2026, 3, 31)),
    (3, "Auszugsmanagement", MeasureStatus.CANCELLED, date(2025, 1, 1), date(2026, 6, 30)),
    (4, "Gesundheitslotsen", MeasureStatus.RUNNING, date(2025, 9, 1), None),
    (5, "Vereinsberatung", MeasureStatus.COMPLETED, date(2025, 2, 1), date(2025, 12, 31)),
]


@pytest.fixture
def year_2026(session: Session) -> Session:
    for number, title, status, start, end in MEASURES:
        guideline = guideline_by_number(session, number)
        assert guideline is not None
        save_measure(
            session,
            MeasureData(
                title=title,
                guideline_id=guideline.id,
                status=status,
                start_date=start,
                end_date=end,
            ),
        )
    board = save_group(session, GroupData(name=ARABIC_GROUP))
    network = save_group(session, GroupData(name="Netzwerk Bildung"))
    for group, starts, title, status in (
        (board, datetime(2026, 3, 12, 17, 0), "Frühjahrssitzung", MeetingStatus.HELD),
        (network, datetime(2026, 9, 3, 10, 0), "Herbsttreffen", MeetingStatus.HELD),
        (network, datetime(2026, 12, 10, 10, 0), "Jahresabschluss", MeetingStatus.PLANNED),
        (board, datetime(2025, 11, 20, 17, 0), "Sitzung des Vorjahres", MeetingStatus.HELD),
        # 00:30 local time on New Year's Day is still 2026 in UTC, but counts for 2027.
        (board, datetime(2027, 1, 1, 0, 30), "Neujahrsempfang", MeetingStatus.HELD),
    ):
        save_meeting(
            session, MeetingData(group_id=group.id, starts_at=starts, title=title, status=status)
        )
    for name, value in (("Armutsgefährdungsquote", "18.5"), ("Vereine im Landkreis", "240")):
        indicator = find_indicator(session, name)
        assert indicator is not None
        add_value(
            session, indicator.id, ValueData(year=2026, reference_date=None, value=Decimal(value))
        )
    make_funding(session)
    return session


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", comparable(text))


def test_annual_report_counts_the_year(year_2026: Session, tmp_path: Path) -> None:
    path = tmp_path / "jahresbericht.pdf"
    pages = write_annual_report(year_2026, path, year=2026)
    texts = [comparable(t) for t in page_texts(path)]
    layouts = [_flat(t) for t in page_layouts(path)]
    assert pages == len(texts)
    assert "Jahresbericht 2026" in texts[0]
    for heading in ("Zusammenfassung", "Maßnahmen 2026", "Sitzungen 2026", "Förderung 2026"):
        assert heading in texts[1]
    started = year_2026.scalar(
        select(func.count(Measure.id)).where(
            Measure.start_date.between(date(2026, 1, 1), date(2026, 12, 31))
        )
    )
    assert started == 2
    summary = next(t for t in layouts[2:] if "Zusammenfassung" in t)
    assert f"Maßnahmen begonnen {started} Maßnahmen abgeschlossen 2" in summary
    assert "Sitzungen 2 Gremien, die getagt haben 2" in summary
    assert "Zuwendungen 4 davon bewilligt 3" in summary
    assert "Bewilligt 17.400,39 € Ausgezahlt 3.150,24 €" in summary
    assert "Kennzahlen mit Wert 2026 2 davon besser / schlechter 1 / 1" in summary

    whole = "\n".join(layouts)
    assert letters(CYRILLIC_MEASURE) in letters(whole)
    # Finished: completed with its end in 2026; not the cancelled one, not last year's.
    finished = whole[whole.index("Abgeschlossen 2026") : whole.index("Sitzungen 2026 Datum")]
    assert "Praktikumsbörse" in finished and "Wohnführerschein" in finished
    assert "Auszugsmanagement" not in finished and "Vereinsberatung" not in finished
    # Meetings held in 2026 (local time), with their group.
    assert "12.03.2026" in whole and "Frühjahrssitzung" in whole and "Herbsttreffen" in whole
    assert letters(ARABIC_GROUP) in letters("".join(texts))
    for absent in ("Jahresabschluss", "Sitzung des Vorjahres", "Neujahrsempfang"):
        assert absent not in whole
    # Money per programme, to the cent (SozB: 4.500,33 € + 11.999,99 € approved).
    assert "Integrationsfonds Beratung (SozB)" in whole and "16.500,32 €" in whole
    # Indicator changes, judged by their direction.
    assert "Armutsgefährdungsquote 20 % 18,5 % −1,5 besser (2024)" in whole
    assert "Vereine im Landkreis 250 Vereine 240 Vereine −10 schlechter (2024)" in whole
    assert font_problems(path) == []


def test_a_year_without_anything_says_so(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "leer.pdf"
    write_annual_report(session, path, year=2019)
    whole = "\n".join(page_texts(path))
    assert "2019 hat keine Maßnahme begonnen." in whole
    assert "2019 ist keine Sitzung als durchgeführt vermerkt." in whole
    assert "Für 2019 sind keine gemessenen Kennzahlwerte erfasst." in whole


def test_cancelling_leaves_no_file_and_a_wrong_year_is_refused(
    year_2026: Session, tmp_path: Path
) -> None:
    folder = tmp_path / "berichte"
    folder.mkdir()
    with pytest.raises(ReportCancelled):
        write_annual_report(
            year_2026, folder / "jahr.pdf", year=2026, progress=lambda done, total: done < 50
        )
    with pytest.raises(UserError, match="Berichtsjahr 0"):
        write_annual_report(year_2026, folder / "jahr.pdf", year=0)
    assert list(folder.iterdir()) == []
