"""`export measures` and `import measures` on the command line: German output, exit codes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

from integrationsmanager.cli import EXIT_OK, EXIT_USER_ERROR, main
from integrationsmanager.domain.measures import Measure
from integrationsmanager.services.measures import MeasureData, guideline_by_number, save_measure
from integrationsmanager.storage.database import Database, open_database


def add_measures(database: Database) -> None:
    with database.session() as session:
        for number, title, lead in (
            (1, "Sprachcafé", "Volkshochschule Altenburger Land"),
            (4, "Освіта für Familien", "جمعية الصداقة e.V."),
        ):
            guideline = guideline_by_number(session, number)
            assert guideline is not None
            save_measure(
                session,
                MeasureData(title=title, guideline_id=guideline.id, lead_organisation=lead),
            )


def measure_count(path: Path) -> int:
    database = open_database(path)
    try:
        with database.session() as session:
            return session.scalar(select(func.count(Measure.id))) or 0
    finally:
        database.close()


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_then_import_into_a_new_database(
    db: Database, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    add_measures(db)
    out = tmp_path / f"massnahmen{suffix}"
    assert main(["export", "measures", "--db", str(db_path), "--out", str(out)]) == EXIT_OK
    assert "2 Maßnahmen exportiert" in capsys.readouterr().out

    target = tmp_path / "neu.sqlite"
    code = main(["import", "measures", str(out), "--db", str(target), "--dry-run"])
    assert code == EXIT_OK
    printed = capsys.readouterr().out
    assert "Prüfung erfolgreich: 2 Maßnahmen würden importiert" in printed
    assert "جمعية الصداقة e.V." in printed
    assert measure_count(target) == 0

    assert main(["import", "measures", str(out), "--db", str(target)]) == EXIT_OK
    printed = capsys.readouterr().out
    assert "2 Maßnahmen importiert. Neu angelegte Organisationen (2):" in printed
    assert measure_count(target) == 2


def test_bad_file_gives_exit_code_1_and_german_message(
    db: Database, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    garbage = tmp_path / "kaputt.xlsx"
    garbage.write_bytes(os.urandom(2048))
    assert main(["import", "measures", str(garbage), "--db", str(db_path)]) == EXIT_USER_ERROR
    captured = capsys.readouterr()
    assert captured.err.startswith("Fehler: Die Datei „kaputt.xlsx“ ist keine lesbare Excel-Datei")
    assert "Traceback" not in captured.err + captured.out


def test_invalid_rows_are_listed_and_nothing_is_saved(
    db: Database, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_measures(db)
    path = tmp_path / "fehler.csv"
    path.write_text(
        "Titel;Leitlinie;Beginn;Ende\nGut;1;;\nSchlecht;1;01.05.2026;01.04.2026\n",
        encoding="utf-8",
    )
    assert main(["import", "measures", str(path), "--db", str(db_path)]) == EXIT_USER_ERROR
    err = capsys.readouterr().err
    assert "Zeile 3, Ende: Das Ende liegt vor dem Beginn." in err
    assert "Traceback" not in err
    assert measure_count(db_path) == 2


def test_export_to_an_unknown_format_is_refused(
    db: Database, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "massnahmen.pdf"
    assert main(["export", "measures", "--db", str(db_path), "--out", str(out)]) == EXIT_USER_ERROR
    assert "Fehler: Maßnahmen können als Excel-Datei (.xlsx)" in capsys.readouterr().err
    assert not out.exists()
