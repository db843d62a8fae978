"""The Art. 15 information as PDF and JSON, and the personal-data notice of documents."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from reportlab.platypus import Flowable
from sqlalchemy.orm import Session

from integrationsmanager.domain.errors import UserError
from integrationsmanager.domain.privacy import PERSONAL_DATA_NOTICE
from integrationsmanager.reports.attendance import write_attendance_list
from integrationsmanager.reports.document import DocumentInfo, build_pdf, paragraph
from integrationsmanager.reports.grants import write_grant_summary
from integrationsmanager.reports.meeting_pack import write_meeting_pack
from integrationsmanager.reports.minutes import write_minutes
from integrationsmanager.reports.privacy import write_person_information
from integrationsmanager.services.contacts_io import export_persons
from integrationsmanager.services.meetings import add_invitee
from integrationsmanager.services.persons import LEGAL_BASIS_CONSENT, PersonData, save_person
from tests.reports.pdfcheck import font_problems, letters, page_texts
from tests.services.test_meetings import make_group, make_meeting

CYRILLIC = ("Олександра", "Коваленко")
ARABIC = ("محمد", "العلي")
NOTICE_START = "Enthält personenbezogene Daten"


def _notice_pages(path: Path) -> list[int]:
    return [n for n, text in enumerate(page_texts(path), 1) if NOTICE_START in text]


def test_information_pdf_and_json(session: Session, tmp_path: Path) -> None:
    person = save_person(
        session,
        PersonData(
            first_name=CYRILLIC[0],
            last_name=CYRILLIC[1],
            emails=["o.kovalenko@example.org"],
            legal_basis=LEGAL_BASIS_CONSENT,
            consent_given_on=date(2025, 3, 1),
            source="Netzwerktreffen 03/2025",
        ),
    )
    pdf, json_path = write_person_information(session, person.id, tmp_path)
    assert pdf.suffix == ".pdf" and json_path.suffix == ".json"
    texts = page_texts(pdf)
    whole = letters("".join(texts))
    assert letters("Auskunft nach Art. 15 DSGVO") in whole
    assert letters(CYRILLIC[1]) in whole and letters(CYRILLIC[0]) in whole
    for section in ("Stammdaten", "Herkunft der Daten", "Kontaktdaten", "Änderungsverlauf"):
        assert letters(section) in whole
    assert letters("Netzwerktreffen 03/2025") in whole
    assert _notice_pages(pdf) == [1]
    assert font_problems(pdf) == []
    metadata = PdfReader(pdf).metadata
    assert metadata is not None
    assert str(metadata.title).startswith("Auskunft nach Art. 15 DSGVO")

    raw = json_path.read_text(encoding="utf-8")
    assert CYRILLIC[1] in raw
    data = json.loads(raw)
    assert data["person_id"] == person.id
    consent = {r["Angabe"]: r["Wert"] for r in data["sections"]["Datenschutz und Einwilligung"]}
    assert consent["Einwilligung am"] == "2025-03-01"


def test_information_for_an_arabic_name(session: Session, tmp_path: Path) -> None:
    person = save_person(session, PersonData(first_name=ARABIC[0], last_name=ARABIC[1]))
    pdf, _json = write_person_information(session, person.id, tmp_path)
    assert letters(ARABIC[1]) in letters("".join(page_texts(pdf)))


def test_information_errors(session: Session, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="gibt es nicht"):
        write_person_information(session, 999, tmp_path)
    person = save_person(session, PersonData(first_name="Olena", last_name="Koval"))
    (tmp_path / "datei").write_text("x")
    with pytest.raises(UserError, match=r"Ordner .* nicht anlegen"):
        write_person_information(session, person.id, tmp_path / "datei")


def test_information_creates_a_missing_folder(session: Session, tmp_path: Path) -> None:
    person = save_person(session, PersonData(first_name="Olena", last_name="Koval"))
    pdf, json_path = write_person_information(session, person.id, tmp_path / "neu" / "auskunft")
    assert pdf.parent == json_path.parent == tmp_path / "neu" / "auskunft"
    assert pdf.stat().st_size > 0 and "Koval" in json_path.read_text(encoding="utf-8")


def test_personal_data_notice_only_on_page_one(tmp_path: Path) -> None:
    def story() -> list[Flowable]:
        return [paragraph(f"Absatz {n} " * 40) for n in range(60)]

    with_notice = tmp_path / "mit.pdf"
    without = tmp_path / "ohne.pdf"
    build_pdf(str(with_notice), DocumentInfo(title="Test", personal_data=True), story())
    build_pdf(str(without), DocumentInfo(title="Test"), story())
    assert len(page_texts(with_notice)) > 2
    assert _notice_pages(with_notice) == [1]
    assert PERSONAL_DATA_NOTICE in page_texts(with_notice)[0].replace("\n", " ")
    assert _notice_pages(without) == []


def test_meeting_documents_carry_the_notice(session: Session, tmp_path: Path) -> None:
    group_id = make_group(session)
    meeting = make_meeting(session, group_id)
    person = save_person(session, PersonData(first_name="Anna", last_name="Muster"))
    add_invitee(session, meeting.id, person.id)
    for name, write in (
        ("pack.pdf", write_meeting_pack),
        ("anwesenheit.pdf", write_attendance_list),
        ("protokoll.pdf", write_minutes),
    ):
        path = tmp_path / name
        write(session, meeting.id, path)
        assert _notice_pages(path) == [1], name


def test_reports_without_people_carry_no_notice(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "foerderung.pdf"
    write_grant_summary(session, path, year=2026)
    assert _notice_pages(path) == []


def test_person_export_xlsx_says_so_in_header_and_properties(
    session: Session, tmp_path: Path
) -> None:
    save_person(session, PersonData(first_name=CYRILLIC[0], last_name=CYRILLIC[1]))
    path = tmp_path / "personen.xlsx"
    export_persons(session, path)
    workbook = load_workbook(path)
    sheet = workbook.active
    assert sheet is not None
    assert sheet.oddHeader.center.text == PERSONAL_DATA_NOTICE
    assert workbook.properties.subject == PERSONAL_DATA_NOTICE
    assert [c.value for c in sheet[1]][:3] == ["Anrede", "Titel", "Vorname"]
    assert CYRILLIC[1] in [c.value for c in sheet[2]]


def test_person_export_csv_stays_a_plain_table(session: Session, tmp_path: Path) -> None:
    save_person(session, PersonData(first_name="Anna", last_name="Muster"))
    path = tmp_path / "personen.csv"
    export_persons(session, path)
    first_line = path.read_text(encoding="utf-8-sig").splitlines()[0]
    assert NOTICE_START not in first_line
