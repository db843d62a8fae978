"""``integrationsmanager privacy export|erase|due``."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from integrationsmanager.cli import EXIT_OK, EXIT_USAGE, EXIT_USER_ERROR, main
from integrationsmanager.services.persons import PersonData, save_person
from integrationsmanager.storage.database import open_database

NAME = ("Олександра", "Коваленко")
EMAIL = "kovalenko.cli@example.org"


@pytest.fixture
def person_db(tmp_path: Path) -> tuple[Path, int]:
    path = tmp_path / "daten.sqlite"
    database = open_database(path, user="testnutzer")
    try:
        with database.session() as session:
            person_id = save_person(
                session, PersonData(first_name=NAME[0], last_name=NAME[1], emails=[EMAIL])
            ).id
    finally:
        database.close()
    return path, person_id


def test_privacy_export_writes_pdf_and_json(
    person_db: tuple[Path, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, person_id = person_db
    out = tmp_path / "auskunft"
    out.mkdir()
    code = main(
        ["privacy", "export", "--db", str(path), "--person", str(person_id), "--out", str(out)]
    )
    assert code == EXIT_OK
    files = sorted(p.suffix for p in out.iterdir())
    assert files == [".json", ".pdf"]
    data = json.loads(next(out.glob("*.json")).read_text(encoding="utf-8"))
    assert data["person_id"] == person_id
    assert "Art. 15" in capsys.readouterr().out


def test_privacy_export_unknown_person(
    person_db: tuple[Path, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _person_id = person_db
    code = main(["privacy", "export", "--db", str(path), "--person", "999", "--out", str(tmp_path)])
    assert code == EXIT_USER_ERROR
    assert "Person 999 gibt es nicht" in capsys.readouterr().err


def test_privacy_erase_without_a_terminal(
    person_db: tuple[Path, int], capsys: pytest.CaptureFixture[str]
) -> None:
    path, person_id = person_db
    code = main(["privacy", "erase", "--db", str(path), "--person", str(person_id)])
    assert code == EXIT_OK
    out = capsys.readouterr().out
    assert f"Gelöschte Person #{person_id}" in out
    assert "person_email: 1" in out
    with sqlite3.connect(path) as connection:
        dump = "\n".join(connection.iterdump())
    assert NAME[1] not in dump and EMAIL not in dump


def test_privacy_erase_asks_on_a_terminal(
    person_db: tuple[Path, int],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path, person_id = person_db
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda _prompt: "n")
    code = main(["privacy", "erase", "--db", str(path), "--person", str(person_id)])
    assert code == EXIT_USER_ERROR
    assert "nichts gelöscht" in capsys.readouterr().err
    with sqlite3.connect(path) as connection:
        (last,) = connection.execute(
            "SELECT last_name FROM person WHERE id = ?", (person_id,)
        ).fetchone()
    assert last == NAME[1]
    monkeypatch.setattr("builtins.input", lambda _prompt: "ja")
    assert main(["privacy", "erase", "--db", str(path), "--person", str(person_id)]) == EXIT_OK


def test_privacy_due_lists_id_name_date_reason(
    person_db: tuple[Path, int], capsys: pytest.CaptureFixture[str]
) -> None:
    path, person_id = person_db
    assert main(["privacy", "due", "--db", str(path)]) == EXIT_OK
    assert "Niemand" in capsys.readouterr().out
    with sqlite3.connect(path) as connection:
        connection.execute(
            "UPDATE person SET updated_at = '2019-01-01 00:00:00.000000' WHERE id = ?",
            (person_id,),
        )
    assert main(["privacy", "due", "--db", str(path)]) == EXIT_OK
    line = capsys.readouterr().out.strip()
    fields = line.split("\t")
    assert fields[0] == str(person_id)
    assert fields[1] == f"{NAME[1]}, {NAME[0]}"
    assert fields[2] == "01.01.2022"
    assert "Löschfrist 3 Jahre" in fields[3]


def test_privacy_needs_a_kind(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["privacy"])
    assert exited.value.code == EXIT_USAGE
