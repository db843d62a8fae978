"""`import contacts`, `export persons` and `export organisations` on the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from integrationsmanager.cli import EXIT_OK, EXIT_USER_ERROR, main
from integrationsmanager.domain.network import Person
from integrationsmanager.services.persons import PersonData, RoleData, save_person
from integrationsmanager.storage.database import Database, open_database
from tests.conftest import REAL_FIXTURES


def person_count(path: Path) -> int:
    database = open_database(path)
    try:
        with database.session() as session:
            return session.scalar(select(func.count(Person.id))) or 0
    finally:
        database.close()


def add_people(database: Database) -> None:
    with database.session() as session:
        save_person(
            session,
            PersonData(
                first_name="Олена",
                last_name="Коваль",
                emails=["olena@example.org"],
                roles=[RoleData(organisation_name="جمعية الصداقة e.V.", function="Vorsitz")],
            ),
        )
        save_person(session, PersonData(first_name="Jörg", last_name="Weiß"))


@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".vcf"])
def test_export_persons_then_import_contacts_into_a_new_database(
    db: Database, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    add_people(db)
    out = tmp_path / f"personen{suffix}"
    assert main(["export", "persons", "--db", str(db_path), "--out", str(out)]) == EXIT_OK
    assert "2 Personen exportiert" in capsys.readouterr().out

    target = tmp_path / "neu.sqlite"
    assert main(["import", "contacts", str(out), "--db", str(target), "--dry-run"]) == EXIT_OK
    printed = capsys.readouterr().out
    assert "Prüfung erfolgreich: 2 Personen würden importiert." in printed
    assert "Neu anzulegende Organisationen (1): جمعية الصداقة e.V." in printed
    assert person_count(target) == 0

    assert main(["import", "contacts", str(out), "--db", str(target)]) == EXIT_OK
    assert f"2 Personen aus „personen{suffix}“ importiert." in capsys.readouterr().out
    assert person_count(target) == 2

    assert main(["import", "contacts", str(out), "--db", str(target)]) == EXIT_OK
    printed = capsys.readouterr().out
    assert "0 Personen" in printed
    assert "2 Einträge übersprungen, weil die Person schon vorhanden ist:" in printed
    assert person_count(target) == 2


def test_real_outlook_vcard_imports(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = REAL_FIXTURES / "vcard" / "SYNTHETIC-cyrillic-2.1-cp1251-folkerkinzel.vcf"
    assert main(["import", "contacts", str(path), "--db", str(db_path)]) == EXIT_OK
    assert "1 Person aus „SYNTHETIC-cyrillic-2.1-cp1251-folkerkinzel.vcf“ importiert." in (
        capsys.readouterr().out
    )


def test_refused_file_gives_exit_code_1_and_names_the_row(
    db: Database, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = REAL_FIXTURES / "thunderbird-csv" / "thunderbird-bbdb-test.csv"
    assert main(["import", "contacts", str(path), "--db", str(db_path)]) == EXIT_USER_ERROR
    captured = capsys.readouterr()
    assert captured.err.startswith("Fehler: Import abgebrochen, es wurde nichts gespeichert.")
    assert "Zeile 2: Weder Vor- noch Nachname angegeben (nur E-Mail „justanemail@cox.net“)." in (
        captured.err
    )
    assert "Traceback" not in captured.err + captured.out
    assert person_count(db_path) == 0


def test_export_organisations_as_vcard(
    db: Database, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_people(db)
    out = tmp_path / "organisationen.vcf"
    assert main(["export", "organisations", "--db", str(db_path), "--out", str(out)]) == EXIT_OK
    assert "1 Organisationen exportiert" in capsys.readouterr().out
    assert "ORG:جمعية الصداقة e.V.\r\n" in out.read_bytes().decode("utf-8")


def test_export_to_an_unknown_format_is_refused(
    db: Database, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "personen.pdf"
    assert main(["export", "persons", "--db", str(db_path), "--out", str(out)]) == EXIT_USER_ERROR
    assert "Fehler: Personen können als Excel-Datei (.xlsx)" in capsys.readouterr().err
    assert not out.exists()
