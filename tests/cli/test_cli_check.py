"""`integrationsmanager check`: the report on stdout, exit 0 when all is well, 1 on problems."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from integrationsmanager.cli import EXIT_OK, EXIT_USER_ERROR, main
from integrationsmanager.storage.database import open_database


@pytest.fixture
def good(tmp_path: Path) -> Path:
    path = tmp_path / "gut.sqlite"
    open_database(path, user="testnutzer").close()
    return path


def test_check_of_a_good_database(good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--db", str(good)]) == EXIT_OK
    out = capsys.readouterr().out
    assert "Keine Probleme gefunden." in out
    assert "integrity_check" in out
    assert main(["check", "--db", str(good), "--quick"]) == EXIT_OK
    assert "Schnellprüfung" in capsys.readouterr().out


def test_check_finds_broken_rules(good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with sqlite3.connect(good) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffffffffffff'")
    connection.close()
    assert main(["check", "--db", str(good)]) == EXIT_USER_ERROR
    out = capsys.readouterr().out
    assert "Fehler:" in out and "ffffffffffff" in out


def test_check_of_a_damaged_file_reports_and_leaves_it(
    good: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = bytearray(good.read_bytes())
    data[120:4096] = b"\xff" * (4096 - 120)  # the schema page
    good.write_bytes(bytes(data))
    before = hashlib.sha256(good.read_bytes()).hexdigest()
    assert main(["check", "--db", str(good)]) == EXIT_USER_ERROR
    captured = capsys.readouterr()
    assert "beschädigt" in captured.out
    assert "Traceback" not in captured.out + captured.err
    assert hashlib.sha256(good.read_bytes()).hexdigest() == before


def test_check_of_a_file_that_is_not_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "brief.docx"
    path.write_bytes(b"PK\x03\x04 not a database")
    assert main(["check", "--db", str(path)]) == EXIT_USER_ERROR
    assert "keine SQLite-Datenbank" in capsys.readouterr().out
    assert main(["check", "--db", "postgresql://x@y/z"]) == EXIT_USER_ERROR
    assert "nur für SQLite-Dateien" in capsys.readouterr().err


def test_writing_command_while_another_writes_says_busy(
    good: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from integrationsmanager.storage import database as database_module

    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 100)
    other = sqlite3.connect(good, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another program in the middle of a save
        assert main(["demo", "--db", str(good)]) == EXIT_USER_ERROR
        err = capsys.readouterr().err
        assert "Die Datenbank ist gerade belegt" in err
        assert "Programmfehler" not in err
        other.execute("ROLLBACK")
    finally:
        other.close()
    assert main(["check", "--db", str(good)]) == EXIT_OK
