"""Command line for indicators: list, export, import with --dry-run, clean failures."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from integrationsmanager.cli import EXIT_OK, EXIT_USAGE, EXIT_USER_ERROR, main
from integrationsmanager.domain.monitoring import IndicatorValue
from integrationsmanager.services.indicators import find_indicator, series
from integrationsmanager.storage.database import open_database
from tests.conftest import REAL_FIXTURES

WRAPPED = (
    "Statistischer Bericht\n"
    ";;;\n"
    "Kennzahl;Jahr;Wert;Einheit\n"
    "Sprachkursplätze;2024;1.250;Plätze\n"
    "Sprachkursplätze;2025;1.312,5;Plätze\n"
    "__________\n"
    "© Landkreis Altenburger Land\n"
)


def _count(path: Path) -> int:
    database = open_database(path)
    try:
        with database.session() as session:
            return session.scalar(select(func.count(IndicatorValue.id))) or 0
    finally:
        database.close()


def test_list_indicators(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "k.sqlite"
    assert main(["list", "indicators", "--db", str(db)]) == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 7
    assert all(re.fullmatch(r"\d+\t\S.*", line) for line in lines)
    assert "Ausländische Staatsangehörige" in {line.split("\t")[1] for line in lines}


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_and_import(tmp_path: Path, suffix: str, capsys: pytest.CaptureFixture[str]) -> None:
    source, target = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    wrapped = tmp_path / "bericht.csv"
    wrapped.write_bytes(WRAPPED.encode("cp1252"))
    assert main(["import", "indicators", str(wrapped), "--db", str(source)]) == EXIT_OK
    assert capsys.readouterr().out.strip() == (
        "2 Werte importiert (2 neu, 0 geändert). Neu angelegte Kennzahlen (1): Sprachkursplätze."
    )
    out = tmp_path / f"kennzahlen{suffix}"
    assert main(["export", "indicators", "--db", str(source), "--out", str(out)]) == EXIT_OK
    assert capsys.readouterr().out.strip() == f"14 Kennzahlenwerte exportiert: {out}"
    if suffix == ".xlsx":
        sheet = openpyxl.load_workbook(out).active
        assert sheet is not None
        assert [c.value for c in sheet[1]][:5] == [
            "Kennzahl",
            "Ausprägung",
            "Jahr",
            "Stichtag",
            "Wert",
        ]

    assert main(["import", "indicators", str(out), "--db", str(target), "--dry-run"]) == EXIT_OK
    assert capsys.readouterr().out.startswith("Prüfung erfolgreich: 14 Werte würden importiert")
    assert _count(target) == 12
    assert main(["import", "indicators", str(out), "--db", str(target)]) == EXIT_OK
    assert "Neu angelegte Kennzahlen (1): Sprachkursplätze." in capsys.readouterr().out
    database = open_database(target)
    try:
        with database.session() as session:
            indicator = find_indicator(session, "Sprachkursplätze")
            assert indicator is not None and indicator.unit == "Plätze"
            points = series(session, indicator.id).points
            assert [(p.year, str(p.value)) for p in points] == [(2024, "1250"), (2025, "1312.5")]
    finally:
        database.close()


def test_a_malformed_file_fails_cleanly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "k.sqlite"
    bad = tmp_path / "fehler.csv"
    bad.write_bytes(WRAPPED.replace("1.312,5", "...").encode("cp1252"))
    assert main(["import", "indicators", str(bad), "--db", str(db)]) == EXIT_USER_ERROR
    captured = capsys.readouterr()
    assert "Zeile 5, Wert: „...“ ist kein Zahlenwert" in captured.err
    assert "Traceback" not in captured.err and captured.out == ""
    assert _count(db) == 12

    wide = (
        REAL_FIXTURES
        / "statistics-csv"
        / "genesis-destatis-12411-0005-bevoelkerung-altersjahre.csv"
    )
    assert main(["import", "indicators", str(wide), "--db", str(db)]) == EXIT_USER_ERROR
    assert "fehlt die Kopfzeile mit den Spalten „Kennzahl“ und „Wert“" in capsys.readouterr().err

    out = tmp_path / "k.ods"
    assert main(["export", "indicators", "--db", str(db), "--out", str(out)]) == EXIT_USER_ERROR
    assert "nicht als „k.ods“" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        main(["export", "indicators", "--db", str(db)])
    assert exited.value.code == EXIT_USAGE
