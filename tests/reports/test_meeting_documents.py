"""The meeting documents — pack, attendance list, minutes — read back with pypdf."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy.orm import Session

from integrationsmanager.domain.enums import (
    ActionStatus,
    AttendanceStatus,
    MeasureStatus,
    MemberRole,
)
from integrationsmanager.domain.errors import UserError
from integrationsmanager.reports.attendance import write_attendance_list
from integrationsmanager.reports.document import ReportCancelled
from integrationsmanager.reports.meeting_pack import write_meeting_pack
from integrationsmanager.reports.minutes import write_minutes
from integrationsmanager.services.action_items import ActionItemData, save_action_item
from integrationsmanager.services.measures import MeasureData, save_measure
from integrationsmanager.services.meetings import (
    AgendaItemData,
    add_agenda_item,
    record_minutes,
    set_attendance,
    set_members,
)
from tests.reports.pdfcheck import comparable, font_problems, letters, page_layouts, page_texts
from tests.services.test_meetings import (
    ARABIC_FIRST,
    ARABIC_LAST,
    CYRILLIC_FIRST,
    CYRILLIC_LAST,
    guideline_id,
    make_group,
    make_meeting,
    make_organisation,
    make_person,
)

ARABIC_ORG = "جمعية الجسر للاندماج"
AGENDA = [
    ("Begrüßung und Protokoll der letzten Sitzung", 10),
    ("Sprachkurse für Eltern: Stand in Schmölln, Meuselwitz und Lucka", 30),
    ("Anerkennung ausländischer Berufsabschlüsse – Bericht des Jobcenters", 25),
    ("Verschiedenes", 10),
]
CARRIED = "Liste der Kursträger an alle Kitas verschicken"
NEW_TASK = "Dolmetscherpool für Elternabende aufbauen"
DECISION = "Der Arbeitskreis empfiehlt, die Elternkurse in Lucka 2026 fortzuführen."


@dataclass(frozen=True)
class Sample:
    meeting_id: int
    previous_id: int


def build_sample(session: Session, *, extra_members: int = 0) -> Sample:
    """A group with members from four scripts, a past meeting with an open task, and the
    meeting to prepare and follow up (agenda, attendance, minutes, decisions, new tasks)."""
    group_id = make_group(session)
    vhs = make_organisation(session, "Volkshochschule Altenburger Land")
    jobcenter = make_organisation(session, "Jobcenter Altenburger Land")
    bridge = make_organisation(session, ARABIC_ORG)
    ukrainian = make_organisation(session, "Українська громада Альтенбург e.V.")
    chair = make_person(session, "Anna", "Schulze", email="a.schulze@vhs.example", organisation=vhs)
    umlaut = make_person(session, "Jürgen", "Größler", organisation=jobcenter)
    cyrillic = make_person(session, CYRILLIC_FIRST, CYRILLIC_LAST, organisation=ukrainian)
    arabic = make_person(session, ARABIC_FIRST, ARABIC_LAST, organisation=bridge)
    excused = make_person(session, "Petra", "Neumann", organisation=vhs)
    others = [
        make_person(session, f"Vorname{i:02d}", f"Mitglied{i:02d}", organisation=jobcenter)
        for i in range(extra_members)
    ]
    set_members(
        session,
        group_id,
        [
            (chair.id, MemberRole.CHAIR),
            (umlaut.id, MemberRole.DEPUTY),
            (cyrillic.id, MemberRole.MEMBER),
            (arabic.id, MemberRole.MEMBER),
            (excused.id, MemberRole.MEMBER),
            *((p.id, MemberRole.MEMBER) for p in others),
        ],
    )
    language = save_measure(
        session,
        MeasureData(
            title="Sprachcafé für Eltern",
            guideline_id=guideline_id(session, 1),
            status=MeasureStatus.RUNNING,
            start_date=date(2025, 9, 1),
            end_date=date(2026, 12, 31),
        ),
    ).measure
    save_measure(
        session,
        MeasureData(
            title="Anerkennungsberatung im Jobcenter",
            guideline_id=guideline_id(session, 2),
            status=MeasureStatus.PLANNED,
        ),
    )

    previous = make_meeting(
        session, group_id, datetime(2025, 11, 20, 10), datetime(2025, 11, 20, 12), "4. Sitzung 2025"
    )
    save_action_item(
        session,
        ActionItemData(
            title=CARRIED, meeting_id=previous.id, owner_id=chair.id, due_on=date(2026, 1, 31)
        ),
        today=date(2025, 11, 20),
    )
    save_action_item(
        session,
        ActionItemData(title="Erledigte Aufgabe", meeting_id=previous.id, status=ActionStatus.DONE),
        today=date(2025, 11, 20),
    )

    meeting = make_meeting(
        session,
        group_id,
        title="1. Sitzung 2026",
        place="Landratsamt Altenburg, Lindenaustraße 9, Raum 104",
        online_link="https://meet.altenburgerland.example/ak-bildung-und-sprache",
    )
    tops = [
        add_agenda_item(
            session,
            meeting.id,
            AgendaItemData(
                title=title,
                planned_minutes=minutes,
                presenter_id=chair.id if n == 0 else (umlaut.id if n == 2 else None),
                presenter_text="Kita-Netzwerk Schmölln" if n == 1 else "",
                measure_id=language.id if n == 1 else None,
            ),
        )
        for n, (title, minutes) in enumerate(AGENDA)
    ]
    for person, status in (
        (chair, AttendanceStatus.PRESENT),
        (umlaut, AttendanceStatus.PRESENT),
        (cyrillic, AttendanceStatus.PRESENT),
        (arabic, AttendanceStatus.PRESENT),
        (excused, AttendanceStatus.EXCUSED),
    ):
        set_attendance(session, meeting.id, person.id, status)
    record_minutes(
        session,
        tops[1].id,
        "Die Kurse in Schmölln sind voll; in Lucka fehlt eine Kursleitung.\n"
        f"{ARABIC_FIRST} {ARABIC_LAST} berichtet von Wartelisten.",
        DECISION,
    )
    save_action_item(
        session,
        ActionItemData(
            title=NEW_TASK,
            agenda_item_id=tops[1].id,
            owner_id=cyrillic.id,
            due_on=date(2026, 5, 31),
            measure_id=language.id,
        ),
        today=date(2026, 3, 12),
    )
    return Sample(meeting.id, previous.id)


@pytest.fixture
def sample(session: Session) -> Sample:
    return build_sample(session)


def _text(path: Path) -> str:
    return comparable("\n".join(page_texts(path)))


def test_meeting_pack(session: Session, sample: Sample, tmp_path: Path) -> None:
    path = tmp_path / "sitzungsunterlagen.pdf"
    pages = write_meeting_pack(session, sample.meeting_id, path)
    assert pages == len(page_texts(path))
    assert font_problems(path) == []
    text = _text(path)
    flat = letters(text)
    for expected in (
        "Einladung – 1. Sitzung 2026",
        "Donnerstag, 12.03.2026, 10:00–12:00 Uhr",
        "Landratsamt Altenburg, Lindenaustraße 9, Raum 104",
        "https://meet.altenburgerland.example/ak-bildung-und-sprache",
        "Vorsitz",
    ):
        assert letters(expected) in flat, expected
    for title, _minutes in AGENDA:
        assert letters(title) in flat, title
    assert letters("Maßnahme: Sprachcafé für Eltern") in flat
    assert letters("Anna Schulze, Kita-Netzwerk") not in flat  # the presenter is one or the other
    assert letters("Kita-Netzwerk Schmölln") in flat
    assert letters("Geplante Dauer insgesamt 75") in flat
    # Participants: names in four scripts, organisation, role in the group.
    for name in ("Anna Schulze", "Jürgen Größler", f"{CYRILLIC_FIRST} {CYRILLIC_LAST}"):
        assert letters(name) in flat, name
    assert letters(ARABIC_FIRST) in flat and letters(ARABIC_LAST) in flat
    assert letters(ARABIC_ORG) in flat
    assert letters("Українська громада Альтенбург e.V.") in flat
    layout = comparable("\n".join(page_layouts(path)))
    assert re.search(
        r"Anna Schulze\s+Volkshochschule Altenburger Land\s+Vorsitz\s+anwesend", layout
    )
    assert re.search(r"Jürgen Größler\s+Jobcenter Altenburger Land\s+Stellvertretung", layout)
    # Carried over: the open task of the previous meeting, not the done one, nor the new one.
    assert letters(CARRIED) in flat
    assert re.search(r"31\.01\.2026\s+offen\s+20\.11\.2025", layout)
    assert "überfällig" in text
    assert "Erledigte Aufgabe" not in text
    links = [
        a.get_object()["/A"]["/URI"]
        for page in PdfReader(path).pages
        for a in page.get("/Annots", [])
        if "/A" in a.get_object()
    ]
    assert links == ["https://meet.altenburgerland.example/ak-bildung-und-sprache"]
    assert letters(NEW_TASK) not in flat
    # Measures under the group's guidelines, with status.
    assert re.search(r"Sprachcafé für Eltern\s+■?\s*laufend", layout)
    assert re.search(r"Anerkennungsberatung im Jobcenter\s+■?\s*geplant", layout)


def test_attendance_list(session: Session, tmp_path: Path) -> None:
    sample = build_sample(session, extra_members=40)
    path = tmp_path / "anwesenheit.pdf"
    pages = write_attendance_list(session, sample.meeting_id, path)
    assert pages >= 2
    assert font_problems(path) == []
    texts = [comparable(t) for t in page_texts(path)]
    for page in texts:  # the header row on every page
        assert "Unterschrift" in page and "Organisation" in page
    flat = letters("\n".join(texts))
    for name in ("Anna Schulze", "Jürgen Größler", f"{CYRILLIC_FIRST} {CYRILLIC_LAST}"):
        assert letters(name) in flat
    assert letters(ARABIC_FIRST) in flat and letters(ARABIC_LAST) in flat
    assert letters("Mitglied39") in flat
    # Petra Neumann sent apologies: not a line to sign, but named below.
    assert re.search(r"Entschuldigt: Petra Neumann", "\n".join(texts))
    assert not re.search(r"\d+\s+Petra Neumann", "\n".join(page_layouts(path)))
    # Everyone numbered in order; rows high enough to sign: the text frame is 249 mm high, so
    # at most 22 rows on a page means at least 11 mm a row.
    numbers = [
        int(n) for page in page_layouts(path) for n in re.findall(r"^\s*(\d+)\s", page, re.M)
    ]
    assert numbers[:44] == list(range(1, 45))
    per_page = [len(re.findall(r"^\s*\d+\s+\S", p, re.M)) for p in page_layouts(path)]
    assert max(per_page) <= 22


def test_minutes(session: Session, sample: Sample, tmp_path: Path) -> None:
    path = tmp_path / "protokoll.pdf"
    write_minutes(session, sample.meeting_id, path)
    assert font_problems(path) == []
    text = _text(path)
    flat = letters(text)
    assert letters("Protokoll – 1. Sitzung 2026") in flat
    # Attendance grouped by status: present first, then apologies, then the rest.
    layout = comparable("\n".join(page_layouts(path)))
    assert "Anwesend: 4 · Entschuldigt: 1" in text
    rows = re.findall(r"^\s*(\S.*?)\s{2,}(\S.*?)\s{2,}(Anwesend|Entschuldigt)\s*$", layout, re.M)
    assert [(name, status) for name, _organisation, status in rows] == [
        ("Jürgen Größler", "Anwesend"),
        ("Anna Schulze", "Anwesend"),
        (f"{CYRILLIC_FIRST} {CYRILLIC_LAST}", "Anwesend"),
        (rows[3][0], "Anwesend"),  # the Arabic name (layout mode keeps visual order)
        ("Petra Neumann", "Entschuldigt"),
    ]
    assert rows[2][1] == "Українська громада Альтенбург e.V."
    assert rows[4][1] == "Volkshochschule Altenburger Land"
    assert letters(ARABIC_FIRST) in flat and letters(ARABIC_LAST) in flat
    assert letters(ARABIC_ORG) in flat
    for n, (title, _minutes) in enumerate(AGENDA, start=1):
        assert letters(f"TOP {n}: {title}") in flat
    assert letters("Die Kurse in Schmölln sind voll; in Lucka fehlt eine Kursleitung.") in flat
    assert letters(DECISION) in flat
    assert text.count("Keine Beschlüsse.") == 3
    assert letters("Vortrag: Jürgen Größler") in flat
    # The new task with owner and due date, under its TOP and in the closing list.
    assert flat.count(letters(NEW_TASK)) == 2
    assert re.search(
        r"Dolmetscherpool für Elternabende aufbauen\s+Олександр Коваленко\s+31\.05\.2026", layout
    )
    assert re.search(r"Олександр Коваленко\s+31\.05\.2026\s+offen\s+TOP 2", layout)
    assert letters(CARRIED) not in flat


def test_unknown_meeting_and_cancel(session: Session, sample: Sample, tmp_path: Path) -> None:
    for writer in (write_meeting_pack, write_attendance_list, write_minutes):
        with pytest.raises(UserError, match="Die Sitzung 999 gibt es nicht"):
            writer(session, 999, tmp_path / "x.pdf")
        with pytest.raises(ReportCancelled):
            writer(session, sample.meeting_id, tmp_path / "x.pdf", progress=lambda d, t: d < 50)
        with pytest.raises(UserError, match="kein PDF-Dateiname"):
            writer(session, sample.meeting_id, tmp_path / "x.docx")
    assert not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob(".*tmp"))


def test_empty_meeting(session: Session, tmp_path: Path) -> None:
    group_id = make_group(session, "Beirat für Migration und Integration")
    meeting = make_meeting(session, group_id, ends=None, title="")
    write_meeting_pack(session, meeting.id, tmp_path / "pack.pdf")
    text = _text(tmp_path / "pack.pdf")
    for expected in (
        "Die Tagesordnung folgt.",
        "Noch niemand eingeladen.",
        "Keine offenen Aufgaben aus früheren Sitzungen.",
        "Unter diesen Leitlinien gibt es noch keine Maßnahmen.",
    ):
        assert expected in text
    write_minutes(session, meeting.id, tmp_path / "minutes.pdf")
    text = _text(tmp_path / "minutes.pdf")
    assert "Zu dieser Sitzung ist keine Tagesordnung erfasst." in text
    assert "In dieser Sitzung wurden keine Aufgaben vereinbart." in text
    write_attendance_list(session, meeting.id, tmp_path / "attendance.pdf")
    assert "Unterschrift" in _text(tmp_path / "attendance.pdf")
