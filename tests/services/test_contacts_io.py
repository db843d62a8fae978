"""Contact import and export: formats, encodings, all-or-nothing, duplicates, round trips."""

from __future__ import annotations

import csv
import gc
import io
import random
import re
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import cast

import openpyxl
import pytest
import vobject
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session
from vobject.base import ParseError

from integrationsmanager.domain.base import Base
from integrationsmanager.domain.common import Guideline
from integrationsmanager.domain.enums import OrganisationKind
from integrationsmanager.domain.errors import UserError
from integrationsmanager.domain.network import (
    Organisation,
    Person,
    PersonEmail,
    PersonPhone,
    PersonRole,
)
from integrationsmanager.domain.text import clean_line
from integrationsmanager.services.contacts_io import (
    DUPLICATE,
    INVALID,
    NEW,
    ORGANISATION_COLUMNS,
    PERSON_COLUMNS,
    ContactImportFailed,
    _BulkWriter,
    _new_uids,
    export_organisations,
    export_persons,
    import_contacts,
    preview_contacts,
    read_contacts,
)
from integrationsmanager.services.organisations import (
    OrganisationData,
    bounded_fold,
    organisation_search_text,
    save_organisation,
)
from integrationsmanager.services.persons import (
    PersonData,
    RoleData,
    get_person,
    name_folded,
    person_search_text,
    save_person,
)
from integrationsmanager.storage.database import Database, open_database

OUTLOOK_DE = (
    "Anrede",
    "Vorname",
    "Weitere Vornamen",
    "Nachname",
    "Firma",
    "Position",
    "Straße geschäftlich",
    "Ort geschäftlich",
    "Postleitzahl geschäftlich",
    "Telefon geschäftlich",
    "Mobiltelefon",
    "E-Mail-Adresse",
    "Notizen",
    "Ort",
)


def count(session: Session, model: type[Base]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def write_csv(
    path: Path,
    rows: Sequence[Sequence[str]],
    *,
    encoding: str = "utf-8-sig",
    delimiter: str = ";",
) -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def person_row(values: dict[str, str]) -> list[object]:
    """A row of a person file (:data:`PERSON_COLUMNS`) with these cells, the rest empty."""
    return [values.get(column, "") for column in PERSON_COLUMNS]


def people(session: Session) -> list[tuple[str, str]]:
    rows = session.execute(select(Person.first_name, Person.last_name).order_by(Person.id))
    return [(first, last) for first, last in rows]


# --- reading CSV ---------------------------------------------------------------------------


def test_german_outlook_csv_in_windows_1252_without_bom(session: Session, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "kontakte.csv",
        [
            OUTLOOK_DE,
            (
                "Frau",
                "Jörg-Anna",
                "Maria",
                "Müller",
                "Caritasverband Altenburg",
                "Migrationsberatung",
                "Markt 1",
                "Altenburg",
                "4600",
                "03447 123456",
                "0176 1234567",
                "anna.mueller@caritas-abg.de",
                "Spricht Französisch\r\nund Englisch",
                "Büro 2",
            ),
        ],
        encoding="cp1252",
        delimiter=",",
    )
    assert not path.read_bytes().startswith(b"\xef\xbb\xbf")
    table = read_contacts(path)
    assert table.mapping["Vorname"] == "first_name"
    assert table.mapping["Ort geschäftlich"] == "city"
    assert "Ort" not in table.mapping  # Outlook's "Ort" is the location, not the city
    assert table.source_row_numbers == [2]

    report = import_contacts(session, path)
    assert report.created == 1
    assert report.created_organisations == ["Caritasverband Altenburg"]
    person = get_person(session, session.scalars(select(Person.id)).one())
    assert person is not None
    assert (person.salutation, person.first_name, person.last_name) == (
        "Frau",
        "Jörg-Anna Maria",
        "Müller",
    )
    assert (person.street, person.postcode, person.city) == ("Markt 1", "4600", "Altenburg")
    assert [(p.number, p.label) for p in person.phones] == [
        ("03447 123456", ""),
        ("0176 1234567", "Mobil"),
    ]
    assert [(r.organisation.name, r.function) for r in person.roles] == [
        ("Caritasverband Altenburg", "Migrationsberatung")
    ]
    assert person.notes == "Spricht Französisch\nund Englisch"
    assert person.source == "Import aus kontakte.csv, Zeile 2"
    assert person.updated_by == "testnutzer"
    assert "caritasverband altenburg" in person.search_text
    assert "anna.mueller@caritas-abg.de" in person.search_text


def test_utf8_bom_semicolons_multiline_fields_and_short_rows(
    session: Session, tmp_path: Path
) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(
        (
            "\ufeffVorname;Nachname;E-Mail;Straße;Notizen;Schlagwörter\r\n"
            'Olena;Koval;olena@example.org;"Hauptstraße 5\r\nHinterhaus";"zwei\r\nZeilen"\r\n'
            "Ahmad;Haidari\r\n"
            "\r\n"
            "Фатіма;Шевченко;f@example.org;;;Sprache, Eltern; Sprache\r\n"
        ).encode()
    )
    table = read_contacts(path)
    assert table.columns[0] == "Vorname"  # no BOM in the name
    assert table.source_row_numbers == [2, 3, 5]
    import_contacts(session, path)
    assert people(session) == [("Olena", "Koval"), ("Ahmad", "Haidari"), ("Фатіма", "Шевченко")]
    olena = session.scalars(select(Person).where(Person.first_name == "Olena")).one()
    assert olena.street == "Hauptstraße 5, Hinterhaus"
    assert olena.notes == "zwei\nZeilen"
    fatima = get_person(session, session.scalars(select(Person.id).order_by(Person.id)).all()[2])
    assert fatima is not None
    assert sorted(t.name for t in fatima.tags) == ["Eltern", "Sprache"]


def test_utf16_csv_and_tab_delimiter(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "google.csv"
    path.write_bytes(
        "First Name\tLast Name\tE-mail 1 - Value\nZoë\tŁukasz\tz@example.org\n".encode("utf-16")
    )
    import_contacts(session, path)
    assert people(session) == [("Zoë", "Łukasz")]


def test_current_google_csv_layout(session: Session, tmp_path: Path) -> None:
    cells = {
        "First Name": "Mohammad",
        "Middle Name": "Reza",
        "Last Name": "Haidari",
        "Name Prefix": "Herr Dr.",
        "Name Suffix": "",
        "Nickname": "Mo",
        "File As": "",
        "Organization Name": "Afghanischer Kulturverein",
        "Organization Title": "Vorstand",
        "Organization Department": "",
        "Birthday": "1980-01-01",
        "Notes": "",
        "Labels": "Beirat ::: * myContacts",
        "E-mail 1 - Label": "* Work",
        "E-mail 1 - Value": "m.haidari@example.org ::: mo@example.net",
        "E-mail 2 - Label": "Home",
        "E-mail 2 - Value": "",
        "Phone 1 - Label": "Mobile",
        "Phone 1 - Value": "+49 176 1",
        "Phone 2 - Label": "Work Fax",
        "Phone 2 - Value": "+49 3447 9",
        "Address 1 - Label": "Work",
        "Address 1 - Formatted": "Markt 1\n04600 Altenburg",
        "Address 1 - Street": "Markt 1",
        "Address 1 - City": "Altenburg",
        "Address 1 - Postal Code": "04600",
    }
    header, row = list(cells), list(cells.values())
    path = write_csv(tmp_path / "contacts.csv", [header, row], encoding="utf-8", delimiter=",")
    import_contacts(session, path)
    person = get_person(session, session.scalars(select(Person.id)).one())
    assert person is not None
    assert (person.salutation, person.title, person.first_name, person.last_name) == (
        "Herr",
        "Dr.",
        "Mohammad Reza",
        "Haidari",
    )
    assert [e.address for e in person.emails] == ["m.haidari@example.org", "mo@example.net"]
    assert [(p.number, p.label) for p in person.phones] == [("+49 176 1", "Mobil")]
    assert [(r.organisation.name, r.function) for r in person.roles] == [
        ("Afghanischer Kulturverein", "Vorstand")
    ]
    assert [t.name for t in person.tags] == ["Beirat"]
    assert (person.street, person.postcode, person.city) == ("Markt 1", "04600", "Altenburg")


def test_a_quote_that_is_never_closed_names_its_row(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "kaputt.csv"
    path.write_bytes(b'Vorname;Nachname\r\nAnna;M\xfcller\r\nJ\xf6rg;"Schmidt\r\nOle;Berg\r\n')
    with pytest.raises(ContactImportFailed) as caught:
        import_contacts(session, path)
    assert caught.value.problems == [
        "Zeile 3: Die CSV-Datei ist hier nicht lesbar, ein Anführungszeichen wird nicht "
        "geschlossen."
    ]
    assert count(session, Person) == 0


def test_text_after_a_closing_quote_names_its_row(tmp_path: Path) -> None:
    path = tmp_path / "kaputt.csv"
    path.write_bytes(b'Vorname,Nachname\nAnna,"M"x\n')
    with pytest.raises(ContactImportFailed, match="Zeile 2: Die CSV-Datei ist hier nicht lesbar"):
        read_contacts(path)


# --- reading Excel -------------------------------------------------------------------------


def test_xlsx_after_blank_rows_numbers_rows_as_excel_does(session: Session, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "liste.xlsx",
        [
            [],
            ["Vorname", "Nachname", "PLZ", "E-Mail", "Gemeinde"],
            ["Anna", "Müller", 4600, "anna@example.org", "goessnitz"],
            [],
            ["Jörg", "Weiß", "04626", None, None],
        ],
    )
    table = read_contacts(path)
    assert table.source_row_numbers == [3, 5]
    assert table.rows[0][2] == "04600"  # Excel dropped the leading zero of the number
    import_contacts(session, path)
    rows = session.execute(select(Person.postcode, Person.municipality, Person.source)).all()
    assert [tuple(r) for r in rows] == [
        ("04600", "Gößnitz", "Import aus liste.xlsx, Zeile 3"),
        ("04626", "", "Import aus liste.xlsx, Zeile 5"),
    ]


# --- broken files --------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".vcf", ".csv", ".xlsx", ".xls", ".ods"])
def test_random_bytes_give_a_clear_message(session: Session, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"zufall{suffix}"
    data = bytes(random.Random(suffix).randrange(256) for _ in range(4096))
    path.write_bytes(data.replace(b"BEGIN", b"begin"))
    with pytest.raises(UserError) as caught:
        import_contacts(session, path)
    assert "zufall" in str(caught.value) or "Zeile" in str(caught.value)
    assert count(session, Person) == 0


def test_missing_empty_and_unknown_files(session: Session, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="gibt es nicht"):
        import_contacts(session, tmp_path / "fehlt.csv")
    (tmp_path / "leer.csv").write_bytes(b"\r\n  \r\n")
    with pytest.raises(UserError, match="ist leer"):
        import_contacts(session, tmp_path / "leer.csv")
    (tmp_path / "brief.pdf").write_bytes(b"%PDF-1.7")
    with pytest.raises(UserError, match=r"\.vcf"):
        import_contacts(session, tmp_path / "brief.pdf")
    (tmp_path / "karten.vcf").write_text("Vorname;Nachname\nAnna;Müller\n")
    with pytest.raises(UserError, match="keine vCard"):
        import_contacts(session, tmp_path / "karten.vcf")


def test_a_file_without_a_name_column_is_explained(session: Session, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", [["Farbe", "Größe"], ["rot", "L"]])
    with pytest.raises(ContactImportFailed, match="Keine Spalte der Datei enthält einen Namen"):
        import_contacts(session, path)


def test_invalid_emails_stop_the_whole_import_naming_each_row(
    session: Session, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "liste.csv",
        [
            ["Vorname", "Nachname", "E-Mail", "Firma"],
            ["Anna", "Müller", "anna@example.org", "Neuer Verein"],
            ["Jörg", "Weiß", "kein-at-zeichen", ""],
            ["Ole", "Berg", "ole@example.org", ""],
            ["", "", "", ""],
            ["Ida", "Lang", "ida@example.org; ida at example", ""],
            ["", "", "nur@example.org", ""],
        ],
    )
    with pytest.raises(ContactImportFailed) as caught:
        import_contacts(session, path)
    assert caught.value.problems == [
        "Zeile 3, E-Mail: „kein-at-zeichen“ ist keine gültige E-Mail-Adresse "
        "(Beispiel: name@verein.de).",
        "Zeile 6, E-Mail: „ida at example“ ist keine gültige E-Mail-Adresse "
        "(Beispiel: name@verein.de).",
        "Zeile 7: Weder Vor- noch Nachname angegeben (nur E-Mail „nur@example.org“).",
    ]
    assert str(caught.value).startswith("Import abgebrochen, es wurde nichts gespeichert.")
    assert count(session, Person) == 0
    assert count(session, Organisation) == 0


def test_too_long_values_name_row_field_and_column(session: Session, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "lang.csv", [["First Name", "Last Name"], ["A" * 151, "Berg"]], delimiter=","
    )
    with pytest.raises(ContactImportFailed) as caught:
        import_contacts(session, path)
    assert caught.value.problems == [
        "Zeile 2, Vorname: zu lang (höchstens 150 Zeichen, eingegeben 151) – Spalte „First Name“."
    ]


# --- duplicates ----------------------------------------------------------------------------


def test_duplicates_of_existing_people_and_of_earlier_rows_are_skipped(
    session: Session, tmp_path: Path
) -> None:
    existing = save_person(
        session,
        PersonData(
            first_name="Anna", last_name="Müller", emails=["Anna@Example.org"], municipality="Lucka"
        ),
    )
    path = write_csv(
        tmp_path / "kontakte.csv",
        [
            ["Vorname", "Nachname", "E-Mail", "Gemeinde"],
            ["Anna", "Mueller", "anna@example.ORG", ""],  # same e-mail as the existing person
            ["Jörg", "Weiß", "", "Altenburg"],
            ["joerg", "WEISS", "", "altenburg"],  # same name and place as the row before
            ["Jörg", "Weiß", "", "Schmölln"],  # same name elsewhere: a different person
            ["Ole", "Berg", "ole@example.org", ""],
            ["Ola", "Bergmann", "OLE@example.org", ""],  # same e-mail as row 6
        ],
    )
    preview = preview_contacts(session, path)
    assert [(r.label, r.state) for r in preview.rows] == [
        ("Zeile 2", DUPLICATE),
        ("Zeile 3", NEW),
        ("Zeile 4", DUPLICATE),
        ("Zeile 5", NEW),
        ("Zeile 6", NEW),
        ("Zeile 7", DUPLICATE),
    ]
    assert preview.rows[0].status == (
        f"Duplikat von Person {existing.id} „Müller, Anna“ "
        "(gleiche E-Mail-Adresse anna@example.ORG)"
    )
    assert preview.rows[2].status == (
        "Duplikat von Zeile 3: Weiß, Jörg (gleicher Name in Altenburg)"
    )

    report = import_contacts(session, path)
    assert report.created == 3
    assert [(d.label, d.existing_id) for d in report.duplicates] == [
        ("Zeile 2", existing.id),
        ("Zeile 4", None),
        ("Zeile 7", None),
    ]
    assert report.duplicates[2].name == "Bergmann, Ola"
    assert report.duplicates[2].existing_name == "Zeile 6: Berg, Ole"
    assert count(session, Person) == 4
    summary = report.summary()
    assert summary.startswith("3 Personen aus „kontakte.csv“ importiert.")
    assert "3 Einträge übersprungen, weil die Person schon vorhanden ist:" in summary
    assert f"– Zeile 2 (Mueller, Anna): Duplikat von Person {existing.id} „Müller, Anna“" in summary

    again = import_contacts(session, path)
    assert again.created == 0
    assert len(again.duplicates) == 6


def test_organisations_are_found_by_folded_name_or_created_once(
    session: Session, tmp_path: Path
) -> None:
    caritas = save_organisation(session, OrganisationData(name="Caritasverband Altenburg"))
    path = write_csv(
        tmp_path / "k.csv",
        [
            ["Vorname", "Nachname", "Firma", "Position"],
            ["Anna", "Müller", "CARITASVERBAND  altenburg", "Beratung"],
            ["Ole", "Berg", "Verein Ümit e.V.", "Vorsitz"],
            ["Ida", "Lang", "Verein Uemit e.V.", ""],
            ["Max", "Kern", "", "Hausmeister"],
        ],
    )
    dry = import_contacts(session, path, dry_run=True)
    assert dry.created_organisations == ["Verein Ümit e.V."]
    assert dry.summary() == (
        "Prüfung erfolgreich: 4 Personen würden importiert.\n"
        "Neu anzulegende Organisationen (1): Verein Ümit e.V.\n"
        "Es wurde nichts gespeichert."
    )
    assert count(session, Person) == 0
    assert count(session, Organisation) == 1

    report = import_contacts(session, path)
    assert report.created_organisations == ["Verein Ümit e.V."]
    assert count(session, Organisation) == 2
    roles = {
        person.last_name: [(r.organisation_id, r.function) for r in person.roles]
        for person in (get_person(session, i) for i in session.scalars(select(Person.id)))
        if person is not None
    }
    umit = session.scalars(select(Organisation.id).where(Organisation.id != caritas.id)).one()
    assert roles == {
        "Müller": [(caritas.id, "Beratung")],
        "Berg": [(umit, "Vorsitz")],
        "Lang": [(umit, "")],
        "Kern": [],
    }
    kern = session.scalars(select(Person).where(Person.last_name == "Kern")).one()
    assert kern.notes == "Funktion: Hausmeister"  # kept although there is no organisation


def test_import_stores_what_save_person_would(db: Database, tmp_path: Path) -> None:
    """The bulk path writes the same values, derived columns and sync columns as the ORM."""
    path = write_xlsx(
        tmp_path / "liste.xlsx",
        [
            list(PERSON_COLUMNS),
            [
                "Frau",
                "Dr.",
                "Олена Марія",
                "Коваль",
                "olena@example.org",
                "O.Koval@Example.NET; zweite@example.org",
                "+49 3447 586-412; 03447 1",
                "0176 55",
                "CARITASVERBAND  altenburg; Verein Ümit e.V.",
                "Sprachmittlung; Vorsitz",
                "Markt 1\nHinterhaus",
                4600,
                "Altenburg",
                "goessnitz",
                "arabisch; Dari, Arabisch",
                "Beirat, Dolmetschen",
                "Zwei\nZeilen",
            ],
            person_row(
                {
                    "Anrede": "Herr",
                    "Vorname": "Jörg",
                    "Nachname": "Weiß",
                    "Organisation": "Verein Uemit e.V.",
                    "Schlagwörter": "Dolmetschen",
                }
            ),
            person_row(
                {
                    "Nachname": "'=SUMME(A1)",
                    "E-Mail": "'=x@example.org",
                    "Telefon": "'-1",
                    "Sprachen": "Ukrainisch",
                }
            ),
        ],
    )
    with db.session() as session:
        save_organisation(session, OrganisationData(name="Caritasverband Altenburg"))
    with db.session() as session:
        assert import_contacts(session, path).created == 3
    with db.session() as session:
        ids = session.scalars(select(Person.id).order_by(Person.id))
        imported = [get_person(session, i) for i in ids]
        for person in imported:
            assert person is not None
            assert person.search_text == person_search_text(person)
            assert person.name_folded == name_folded(person.first_name, person.last_name)
            for email in person.emails:
                assert email.address_folded == bounded_fold(
                    email.address, PersonEmail, "address_folded"
                )
        olena = imported[0]
        assert olena is not None
        assert [e.address for e in olena.emails] == [
            "olena@example.org",
            "O.Koval@Example.NET",
            "zweite@example.org",
        ]
        assert [(p.number, p.label) for p in olena.phones] == [
            ("+49 3447 586-412", ""),
            ("03447 1", ""),
            ("0176 55", "Mobil"),
        ]
        assert [(r.organisation.name, r.function) for r in olena.roles] == [
            ("Caritasverband Altenburg", "Sprachmittlung"),
            ("Verein Ümit e.V.", "Vorsitz"),
        ]
        assert (olena.street, olena.postcode, olena.municipality) == (
            "Markt 1, Hinterhaus",
            "04600",
            "Gößnitz",
        )
        assert olena.languages == "arabisch, Dari"
        formula = imported[2]
        assert formula is not None
        assert formula.last_name == "=SUMME(A1)"
        assert [e.address for e in formula.emails] == ["=x@example.org"]
        assert [p.number for p in formula.phones] == ["-1"]

        umit = session.scalars(select(Organisation).where(Organisation.name_folded.like("verein%")))
        created = umit.one()
        assert (created.name, created.kind, created.active) == (
            "Verein Ümit e.V.",
            OrganisationKind.OTHER,
            True,
        )
        assert created.search_text == organisation_search_text(created)

        # Saved one by one through the ORM, the same people get the same values.
        copy = open_database(tmp_path / "orm.sqlite", user="testnutzer")
        try:
            with copy.session() as target:
                save_organisation(target, OrganisationData(name="Caritasverband Altenburg"))
                for person in imported:
                    assert person is not None
                    data = PersonData.from_person(person)
                    for role in data.roles:
                        role.organisation_id = None  # by name, as in the file
                    saved = save_person(target, data)
                    assert saved.search_text == person.search_text
                    assert saved.name_folded == person.name_folded
        finally:
            copy.close()

        # Every new row carries the sync columns, as the ORM's hooks would have set them.
        for table in (Person, PersonEmail, PersonPhone, PersonRole, Organisation):
            for uid, created, updated, editor in session.execute(
                select(table.uid, table.created_at, table.updated_at, table.updated_by)
            ):
                assert str(uuid.UUID(uid)) == uid and uuid.UUID(uid).version == 4
                assert created is not None and created.tzinfo is not None
                assert table is Organisation or (updated, editor) == (created, "testnutzer")
        uids = session.scalars(select(Person.uid)).all()
        assert len(set(uids)) == len(uids) == 3


def test_bulk_rows_get_their_ids_in_order_also_when_ids_are_not_one_block(
    session: Session,
) -> None:
    writer = _BulkWriter(session)
    first = writer.insert(Organisation, ("name", "name_folded"), [("A", "a")], ids=True)
    later = writer.insert(Organisation, ("name", "name_folded"), [("B", "b"), ("C", "c")], ids=True)
    assert later == [first[0] + 1, first[0] + 2]
    stored = dict(session.execute(select(Organisation.uid, Organisation.id)).all())
    uids = [uid for uid, organisation_id in stored.items() if organisation_id in later]
    table = cast(Table, Organisation.__table__)
    # Rows of another batch above the given id: each row is then found by its uid.
    assert writer._ids(table, 0, uids[::-1]) == [stored[uid] for uid in uids[::-1]]
    for uid in _new_uids(50):
        assert str(uuid.UUID(uid)) == uid and uuid.UUID(uid).version == 4


def test_the_garbage_collector_runs_again_after_an_import(session: Session, tmp_path: Path) -> None:
    assert gc.isenabled()
    path = write_csv(tmp_path / "k.csv", [["Vorname", "Nachname"], ["Anna", "Müller"]])
    import_contacts(session, path)
    assert gc.isenabled()
    bad = write_csv(tmp_path / "b.csv", [["Vorname", "E-Mail"], ["Anna", "kaputt"]])
    with pytest.raises(ContactImportFailed):
        import_contacts(session, bad)
    assert gc.isenabled()


# --- mapping and preview -------------------------------------------------------------------


def test_preview_shows_values_and_states_and_a_chosen_mapping_applies(
    session: Session, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "k.csv",
        [
            ["Name", "Mail", "Bemerkung"],
            ["Dr. Anna Maria Müller", "anna@example.org", "Arabisch"],
            ["Berg, Ole", "kaputt", ""],
        ],
    )
    table = read_contacts(path)
    assert table.mapping == {"Name": "full_name", "Bemerkung": "notes"}
    mapping = {"Name": "full_name", "Mail": "email", "Bemerkung": "languages"}
    preview = preview_contacts(session, path, mapping)
    assert preview.rows[0].values == {
        "title": "Dr.",
        "first_name": "Anna Maria",
        "last_name": "Müller",
        "email": "anna@example.org",
        "languages": "Arabisch",
    }
    assert (preview.rows[0].state, preview.rows[0].status) == (NEW, NEW)
    assert preview.rows[1].state == INVALID
    assert preview.rows[1].status == (
        "ungültig: Mail: „kaputt“ ist keine gültige E-Mail-Adresse (Beispiel: name@verein.de)."
    )
    assert preview.rows[1].values["last_name"] == "Berg"
    assert (preview.count(NEW), preview.count(INVALID)) == (1, 1)

    with pytest.raises(ContactImportFailed, match="Die Spalte „Telefon“ gibt es"):
        import_contacts(session, path, mapping={"Telefon": "phone", "Name": "full_name"})
    with pytest.raises(ContactImportFailed, match="Ein Feld „birthday“ gibt es nicht"):
        import_contacts(session, path, mapping={"Name": "birthday"})


# --- vCard ---------------------------------------------------------------------------------


def test_vcard_2_1_quirks(session: Session, tmp_path: Path) -> None:
    card_1 = (
        b"BEGIN:VCARD\r\nVERSION:2.1\r\n"
        b"N;CHARSET=Windows-1252:M\xfcller;Anna\r\n"
        b"FN:Anna M\xfcller\r\n"
        b"NOTE;ENCODING=QUOTED-PRINTABLE:Erste Zeile=0D=0A=\r\nzweite Zeile, mit Komma\r\n"
        b"ADR;WORK;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:;;Stra=C3=9Fe 1;Altenburg;;04600;\r\n"
        b"TEL;CELL:0176 1\r\n"
        b"TEL;WORK;FAX:03447 9\r\n"
        b"EMAIL;INTERNET:anna@example.org\r\n"
        b"BDAY:19723101\r\n"
        b"PHOTO;ENCODING=BASE64;TYPE=JPEG:\r\n  /9j/4AAQSkZJRgABAQ\r\n  AAAQABAAD\r\n\r\n"
        b"AGENT:\r\nBEGIN:VCARD\r\nVERSION:2.1\r\nN:Agent;Eingebettet\r\nEND:VCARD\r\n"
        b"END:VCARD\r\n"
    )
    card_2 = (
        b"BEGIN:VCARD\nVERSION:2.1\n"
        b"N:J\xf6rg;Wei\xdf\n"  # raw Windows-1252, no CHARSET anywhere
        b"ORG:Verein \\; Partner;Abteilung\n"
        b"END:VCARD\n"
    )
    path = tmp_path / "outlook.vcf"
    path.write_bytes(card_1 + card_2)
    table = read_contacts(path)
    assert table.row_word == "Karte"
    assert len(table.rows) == 2
    import_contacts(session, path)
    anna = session.scalars(select(Person).where(Person.first_name == "Anna")).one()
    assert anna.last_name == "Müller"
    assert anna.notes == "Erste Zeile\nzweite Zeile, mit Komma"
    assert (anna.street, anna.postcode, anna.city) == ("Straße 1", "04600", "Altenburg")
    full = get_person(session, anna.id)
    assert full is not None
    assert [(p.number, p.label) for p in full.phones] == [("0176 1", "Mobil")]
    assert anna.source == "Import aus outlook.vcf, Karte 1"
    second = get_person(session, session.scalars(select(Person.id).order_by(Person.id)).all()[1])
    assert second is not None
    assert (second.first_name, second.last_name) == ("Weiß", "Jörg")
    assert [r.organisation.name for r in second.roles] == ["Verein ; Partner"]


def test_vcard_3_folds_groups_and_line_ends(session: Session, tmp_path: Path) -> None:
    name = "Олександра Коваленко-Шевченко"
    encoded = f"FN:{name}".encode()
    cut = encoded.index("О".encode()) + 1  # inside the two bytes of a Cyrillic letter
    text = (
        b"BEGIN:VCARD\r\r\nVERSION:3.0\r\r\n"
        + encoded[:cut]
        + b"\r\r\n "
        + encoded[cut:]
        + b"\r\r\n"
        + "N:Коваленко-Шевченко;Олександра;;;\r\n".encode()
        + b"item1.EMAIL;type=INTERNET;type=pref:o@example.org\r\n"
        + b"item1.X-ABLabel:_$!<Other>!$_\r\n"
        + b"NOTE:eins\\, zwei\\nund\r\n\tdrei\r\n"
        + b"ORG:Jobcenter, Altenburger Land;\r\n"
        + b"CATEGORIES:Beirat,Sprache\r\n"
        + b"END:VCARD"  # no line end at the very end
    )
    path = tmp_path / "apple.vcf"
    path.write_bytes(text)
    assert read_contacts(path).rows[0][3] == name
    import_contacts(session, path)
    person = get_person(session, session.scalars(select(Person.id)).one())
    assert person is not None
    assert (person.first_name, person.last_name) == ("Олександра", "Коваленко-Шевченко")
    assert [e.address for e in person.emails] == ["o@example.org"]
    assert person.notes == "eins, zwei\nunddrei"
    assert [r.organisation.name for r in person.roles] == ["Jobcenter, Altenburger Land"]
    assert sorted(t.name for t in person.tags) == ["Beirat", "Sprache"]


def test_an_organisation_card_is_refused(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "org.vcf"
    path.write_text(
        "BEGIN:VCARD\nVERSION:4.0\nKIND:org\nFN:Tafel Altenburg\nORG:Tafel Altenburg\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:4.0\nFN:Anna Müller\nEND:VCARD\n"
    )
    with pytest.raises(ContactImportFailed) as caught:
        import_contacts(session, path)
    assert caught.value.problems == [
        "Karte 1: Die Karte beschreibt eine Organisation („Tafel Altenburg“), keine Person; "
        "Organisationen werden hier nicht importiert."
    ]


def test_a_card_the_parser_rejects_is_named(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(text: str, ignoreUnreadable: bool) -> None:
        raise ParseError("kaputt", 3)

    monkeypatch.setattr(vobject, "readOne", refuse)
    path = tmp_path / "k.vcf"
    path.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Anna\nEND:VCARD\n" * 2)
    with pytest.raises(ContactImportFailed) as caught:
        import_contacts(session, path)
    assert [p.split(":")[0] for p in caught.value.problems] == ["Karte 1", "Karte 2"]
    assert "Die vCard ist nicht lesbar" in caught.value.problems[0]


def test_a_header_without_rows_imports_nothing(session: Session, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "leer.csv", [["Vorname", "Nachname"]])
    report = import_contacts(session, path)
    assert (report.rows, report.created) == (0, 0)
    assert report.summary() == "„leer.csv“ enthält keine Kontakte; es wurde nichts importiert."


# --- export and round trips ----------------------------------------------------------------

ARABIC = "جمعية الصداقة e.V."


def add_people(session: Session) -> None:
    save_organisation(
        session,
        OrganisationData(
            name=ARABIC,
            kind=OrganisationKind.MIGRANT_ORGANISATION,
            street="Markt 1",
            postcode="04600",
            city="Altenburg",
            municipality="Altenburg",
            phone="+49 3447 1",
            email="info@example.org",
            website="www.example.org",
            register_number="VR 123",
            iban="DE89370400440532013000",
            guideline_ids=list(session.scalars(select(Guideline.id).where(Guideline.number < 3))),
            tags=["Beirat"],
            notes="=SUMME(A1)",
        ),
    )
    save_person(
        session,
        PersonData(
            salutation="Frau",
            title="Dr.",
            first_name="Олена",
            last_name="Коваль",
            emails=["olena@example.org", "o.koval@example.net"],
            phones=["+49 3447 123456"],
            languages="Ukrainisch, Russisch",
            street="Hauptstraße 5",
            postcode="04600",
            city="Altenburg",
            municipality="Altenburg",
            roles=[
                RoleData(organisation_name=ARABIC, function="Sprachmittlung"),
                RoleData(organisation_name="Jobcenter Altenburger Land", function=""),
            ],
            tags=["Dolmetschen", "Beirat"],
            notes="Zwei\nZeilen; mit Semikolon",
        ),
    )
    save_person(
        session,
        PersonData(
            first_name="محمد",
            last_name="الأحمد",
            emails=["m@example.org"],
            roles=[RoleData(organisation_name=ARABIC, function="Vorsitz")],
        ),
    )
    save_person(
        session, PersonData(last_name='=HYPERLINK("x")', phones=["-1", "-2+3+cmd|' /C calc'!A0"])
    )


def person_id(session: Session, last_name: str) -> int:
    return session.scalars(select(Person.id).where(Person.last_name == last_name)).one()


def snapshot(session: Session, *, first_role_only: bool = False) -> list[dict[str, object]]:
    result: list[dict[str, object]] = []
    for person_id in session.scalars(select(Person.id).order_by(Person.name_folded)):
        person = get_person(session, person_id)
        assert person is not None
        roles = [(r.organisation.name, r.function) for r in person.roles]
        result.append(
            {
                "name": (person.salutation, person.title, person.first_name, person.last_name),
                "emails": [e.address for e in person.emails],
                "phones": [(p.number, p.label) for p in person.phones],
                "roles": roles[:1] if first_role_only else roles,
                "address": (person.street, person.postcode, person.city, person.municipality),
                "languages": person.languages,
                "tags": sorted(t.name for t in person.tags),
                "notes": person.notes,
            }
        )
    return result


@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".vcf"])
def test_export_of_people_imports_unchanged(db: Database, tmp_path: Path, suffix: str) -> None:
    with db.session() as session:
        add_people(session)
        # A mobile number keeps its column through the round trip.
        session.add(
            PersonPhone(person_id=person_id(session, "الأحمد"), number="0176 5", label="Mobil")
        )
    path = tmp_path / f"personen{suffix}"
    with db.session() as session:
        assert export_persons(session, path) == 3
        original = snapshot(session, first_role_only=suffix == ".vcf")

    target = open_database(tmp_path / "neu.sqlite", user="import")
    try:
        with target.session() as session:
            report = import_contacts(session, path)
            assert report.created == 3
            assert report.duplicates == []
            assert snapshot(session) == original
        with target.session() as session:
            assert len(import_contacts(session, path).duplicates) == 3
    finally:
        target.close()


def test_person_csv_is_german_excel_with_neutralised_formulas(
    session: Session, tmp_path: Path
) -> None:
    add_people(session)
    path = tmp_path / "personen.csv"
    export_persons(session, path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert tuple(rows[0]) == PERSON_COLUMNS
    by_last = {row[3]: dict(zip(PERSON_COLUMNS, row, strict=True)) for row in rows[1:]}
    # A cell that could run is neutralised, phone numbers stay as they are.
    assert by_last['\'=HYPERLINK("x")']["Telefon"] == "'-1; -2+3+cmd|' /C calc'!A0"
    olena = by_last["Коваль"]
    assert olena["Organisation"] == f"{ARABIC}; Jobcenter Altenburger Land"
    assert olena["Funktion"] == "Sprachmittlung; "
    assert olena["E-Mail 2"] == "o.koval@example.net"
    assert olena["Telefon"] == "'+49 3447 123456"
    assert olena["Schlagwörter"] == "Beirat, Dolmetschen"


def test_person_vcard_is_3_0_utf8(session: Session, tmp_path: Path) -> None:
    add_people(session)
    path = tmp_path / "personen.vcf"
    export_persons(session, path)
    text = path.read_bytes().decode("utf-8")
    assert text.count("BEGIN:VCARD\r\nVERSION:3.0\r\n") == 3
    assert "N:Коваль;Олена;;Frau Dr.;\r\n" in text
    assert f"ORG:{ARABIC}\r\n" in text
    assert "TITLE:Sprachmittlung\r\n" in text
    assert "X-MUNICIPALITY:Altenburg\r\n" in text
    assert "NOTE:Zwei\\nZeilen\\; mit Semikolon\r\n" in text


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_organisation_export_columns(session: Session, tmp_path: Path, suffix: str) -> None:
    add_people(session)
    path = tmp_path / f"organisationen{suffix}"
    assert export_organisations(session, path) == 2
    if suffix == ".csv":
        text = path.read_bytes().decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    else:
        sheet = openpyxl.load_workbook(path).active
        assert sheet is not None
        assert sheet.title == "Organisationen"
        rows = [
            ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
        ]
    assert tuple(rows[0]) == ORGANISATION_COLUMNS
    by_name = {row[0]: dict(zip(ORGANISATION_COLUMNS, row, strict=True)) for row in rows[1:]}
    association = by_name[ARABIC]
    assert association["Art"] == OrganisationKind.MIGRANT_ORGANISATION.label
    assert association["IBAN"] == "DE89 3704 0044 0532 0130 00"
    assert association["Leitlinien"] == "1, 2"
    assert association["Aktiv"] == "ja"
    assert association["Telefon"] == "'+49 3447 1"
    assert association["Notizen"] == "'=SUMME(A1)"
    assert by_name["Jobcenter Altenburger Land"]["Art"] == OrganisationKind.OTHER.label


def test_organisation_vcards_are_marked_as_organisations(session: Session, tmp_path: Path) -> None:
    add_people(session)
    path = tmp_path / "organisationen.vcf"
    assert export_organisations(session, path) == 2
    text = path.read_bytes().decode("utf-8")
    assert text.count("X-KIND:org\r\n") == 2
    assert text.count("X-ABSHOWAS:COMPANY\r\n") == 2
    assert f"FN:{ARABIC}\r\n" in text
    assert "URL:www.example.org\r\n" in text
    table = read_contacts(path)
    assert table.kinds == ["organisation", "organisation"]


def test_export_refuses_other_formats_and_reports_unwritable_places(
    session: Session, tmp_path: Path
) -> None:
    with pytest.raises(UserError, match=r"\.vcf"):
        export_persons(session, tmp_path / "personen.pdf")
    with pytest.raises(UserError, match="kann nicht geschrieben werden"):
        export_organisations(session, tmp_path / "fehlt" / "o.xlsx")


# --- arbitrary text ------------------------------------------------------------------------

SPECIAL_TEXTS = st.sampled_from(
    [
        "\x00",
        "Anna\x00Maria",
        "👨‍👩‍👧 Familie 🇺🇦",
        "محمد الأحمد",
        "\u202eumgedreht\u202c",
        "a\r\nb\rc\nd",
        "'=1+1",
        "x" * 400,
        "\ufeffBOM",
        ";,\"':::",
        "anna@example.org",
        "ä@ö.de",
    ]
)
TEXTS = st.one_of(st.text(max_size=300), SPECIAL_TEXTS)


def restored(text: str) -> str:
    """What an import reads from a cell that export protected from running as a formula."""
    return text[1:] if re.match(r"'+[=+\-@]", text) else text


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    first=TEXTS,
    last=TEXTS,
    email=TEXTS,
    suffix=st.sampled_from([".csv", ".xlsx", ".vcf"]),
)
def test_arbitrary_text_is_stored_or_refused_clearly(
    db: Database, tmp_path: Path, first: str, last: str, email: str, suffix: str
) -> None:
    path = tmp_path / f"zufall{suffix}"
    if suffix == ".csv":
        write_csv(path, [["Vorname", "Nachname", "E-Mail"], [first, last, email]])
    elif suffix == ".xlsx":
        # An .xlsx file cannot hold these control characters, and XML reads CR as LF.
        first, last, email = (
            ILLEGAL_CHARACTERS_RE.sub("", t).replace("\r\n", "\n").replace("\r", "\n")
            for t in (first, last, email)
        )
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.append(["Vorname", "Nachname", "E-Mail"])
        for column, text in enumerate((first, last, email), start=1):
            cell = sheet.cell(row=2, column=column, value=text)
            cell.data_type = "s"
        workbook.save(path)
    else:
        path.write_bytes(
            "BEGIN:VCARD\r\nVERSION:3.0\r\nN:{};{};;;\r\nEMAIL:{}\r\nEND:VCARD\r\n".format(
                *(t.replace("\r", "").replace("\n", "") for t in (last, first, email))
            ).encode("utf-8", "surrogatepass")
        )
    with db.sessions() as session:
        try:
            report = import_contacts(session, path)
        except UserError as err:
            problems = getattr(err, "problems", [str(err)])
            assert problems
            label = "Karte 1" if suffix == ".vcf" else "Zeile 2"
            assert all(p.startswith(label) for p in problems), problems
            assert count(session, Person) == 0
        else:
            if report.rows == 0:  # only blank cells: an empty list
                assert not "".join((first, last, email)).strip()
            else:
                assert report.created == 1
                person = session.scalars(select(Person)).one()
                assert person.first_name or person.last_name
                if suffix != ".vcf":
                    assert person.last_name == clean_line(restored(last))
                stored = session.scalars(select(PersonEmail.address)).all()
                assert all("@" in address for address in stored)
        session.rollback()


@settings(max_examples=200, deadline=None)
@given(
    head=st.sampled_from([b"", b"BEGIN:VCARD\r\nVERSION:2.1\r\n", b"\xff\xfe", b"Vorname;"]),
    body=st.binary(max_size=2000),
    suffix=st.sampled_from([".csv", ".vcf", ".xlsx"]),
)
def test_arbitrary_bytes_are_read_or_refused_with_a_user_error(
    tmp_path_factory: pytest.TempPathFactory, head: bytes, body: bytes, suffix: str
) -> None:
    path = tmp_path_factory.mktemp("bytes") / f"datei{suffix}"
    path.write_bytes(head + body)
    try:
        table = read_contacts(path)
    except UserError as err:
        assert str(err)
    else:
        assert len(table.rows) == len(table.source_row_numbers)
