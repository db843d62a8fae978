"""`backup` and `restore` on the command line: German output, exit codes, nothing opened first."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from integrationsmanager.cli import EXIT_OK, EXIT_USER_ERROR, main
from integrationsmanager.domain.common import Setting
from integrationsmanager.storage.database import open_database


def _make_db(path: Path, value: str) -> None:
    database = open_database(path)
    with database.session() as session:
        session.merge(Setting(key="test.value", value=value))
    database.close()


def _value(path: Path) -> str:
    connection = sqlite3.connect(path)
    try:
        return str(
            connection.execute("SELECT value FROM setting WHERE key='test.value'").fetchone()[0]
        )
    finally:
        connection.close()


def test_backup_then_restore(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "büro.sqlite"
    out = tmp_path / "Sicherungen" / "büro-kopie.sqlite"
    _make_db(db, "Stand der Sicherung")

    assert main(["backup", "--db", str(db), "--out", str(out)]) == EXIT_OK
    printed = capsys.readouterr().out
    assert f"Sicherung geschrieben: {out}" in printed
    assert "MB" in printed and "geprüft: in Ordnung" in printed
    assert _value(out) == "Stand der Sicherung"

    _make_db(db, "später")
    assert main(["restore", str(out), "--db", str(db)]) == EXIT_OK
    printed = capsys.readouterr().out
    assert f"Wiederhergestellt: {db}" in printed and "geprüft: in Ordnung" in printed
    assert "Die bisherige Datenbank liegt in:" in printed
    assert _value(db) == "Stand der Sicherung"
    kept = list(tmp_path.glob("büro.vor-wiederherstellung-*.sqlite"))
    assert len(kept) == 1 and _value(kept[0]) == "später"


def test_restore_does_not_open_or_migrate_the_target_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The target is not ours: opening it normally would fail; restore replaces it."""
    source = tmp_path / "quelle.sqlite"
    _make_db(source, "aus der Sicherung")
    target = tmp_path / "leer.sqlite"
    target.write_bytes(b"")
    assert main(["restore", str(source), "--db", str(target)]) == EXIT_OK
    assert _value(target) == "aus der Sicherung"
    assert "Die bisherige Datenbank" not in capsys.readouterr().out


@pytest.mark.parametrize("kind", ["garbage", "newer", "foreign"])
def test_restore_refuses_bad_files_with_exit_1(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "büro.sqlite"
    _make_db(db, "bleibt")
    source = tmp_path / "quelle.sqlite"
    if kind == "garbage":
        source.write_text("Das ist keine Datenbank.")
    else:
        connection = sqlite3.connect(source)
        if kind == "newer":
            connection.execute("CREATE TABLE alembic_version (version_num TEXT)")
            connection.execute("CREATE TABLE guideline (id INTEGER)")
            connection.execute("INSERT INTO alembic_version VALUES ('ffff_zukunft')")
        else:
            connection.execute("CREATE TABLE kunden (name TEXT)")
        connection.commit()
        connection.close()
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    assert main(["restore", str(source), "--db", str(db)]) == EXIT_USER_ERROR
    err = capsys.readouterr().err
    assert err.startswith("Fehler: ")
    assert ("neueren Version" if kind == "newer" else "keine Datenbank") in err
    assert "Traceback" not in err
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_backup_of_a_non_database_fails_with_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = tmp_path / "x.sqlite"
    fake.write_text("kein SQLite")
    out = tmp_path / "out.sqlite"
    assert main(["backup", "--db", str(fake), "--out", str(out)]) == EXIT_USER_ERROR
    assert "keine Datenbank des Integrationsmanagers" in capsys.readouterr().err
    assert not out.exists()
    assert main(["backup", "--db", "postgresql://x/y", "--out", str(out)]) == EXIT_USER_ERROR
    assert "nur für SQLite-Dateien" in capsys.readouterr().err
