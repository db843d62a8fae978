"""The command line: help, version, German errors with exit codes and no tracebacks."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from integrationsmanager.cli import EXIT_USAGE, EXIT_USER_ERROR, main


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert "Integrationsmanager" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for command in ("demo", "report", "export", "import", "list", "check", "backup", "restore"):
        assert command in out
    assert "Programmversion zeigen" in out and "show program" not in out


def test_wrong_arguments_give_a_german_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["report", "measures", "--db", "x.sqlite"])
    assert caught.value.code == EXIT_USAGE
    assert "Fehler im Aufruf" in capsys.readouterr().err


def test_list_on_a_file_that_is_not_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "brief.docx"
    path.write_bytes(b"PK\x03\x04 not a database at all")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    assert main(["list", "measures", "--db", str(path)]) == EXIT_USER_ERROR
    err = capsys.readouterr().err
    assert "keine Datenbank des Integrationsmanagers" in err
    assert "Traceback" not in err
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_newer_schema_gives_exit_code_and_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "neu.sqlite"
    assert main(["list", "guidelines", "--db", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 8 and lines[0].split("\t")[1] == "1 Bildung und Sprache sichern"
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num = 'zukunft'")
    connection.commit()
    connection.close()
    assert main(["list", "measures", "--db", str(path)]) == EXIT_USER_ERROR
    assert "neueren Version" in capsys.readouterr().err


def test_unknown_status_and_guideline_are_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "leer.sqlite")
    out = str(tmp_path / "bericht.pdf")
    assert main(["report", "measures", "--db", db, "--out", out, "--status", "fertig"]) == 1
    assert "Unbekannter Status „fertig“" in capsys.readouterr().err
    assert main(["report", "measures", "--db", db, "--out", out, "--guideline", "12"]) == 1
    assert "Leitlinie 12 gibt es nicht" in capsys.readouterr().err
    assert not Path(out).exists()


def test_installed_entry_point_runs_without_a_display(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "integrationsmanager",
            "list",
            "guidelines",
            "--db",
            str(tmp_path / "x.sqlite"),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert "Kultur, Freizeit und Sport als Integrationsmotoren nutzen" in result.stdout
