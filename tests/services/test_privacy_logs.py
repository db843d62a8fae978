"""The log files hold no personal data: imports, saves, exports and crashes with a name."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from integrationsmanager import cli
from integrationsmanager.cli import EXIT_BUG, main
from integrationsmanager.logs import log_bug, log_file, setup_logging
from integrationsmanager.reports.privacy import write_person_information
from integrationsmanager.services.contacts_io import export_persons, import_contacts
from integrationsmanager.services.persons import PersonData, save_person
from integrationsmanager.storage.database import Database

FIRST, LAST = "Zephyrina", "Quastenflosser-Ölmüller"
EMAIL = "zephyrina.quastenflosser@geheim.example"


def _leaks(text: str) -> list[str]:
    return [needle for needle in (FIRST, LAST, EMAIL, "Quastenflosser") if needle in text]


def test_work_with_a_person_logs_nothing_personal(
    db: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    source = tmp_path / "kontakte.csv"
    source.write_text(
        f"Vorname;Nachname;E-Mail\n{FIRST};{LAST};{EMAIL}\nNur;;kaputt@@\n",
        encoding="utf-8",
    )
    caplog.set_level(logging.DEBUG)
    with db.session() as session:
        try:
            import_contacts(session, source)
        except Exception:
            logging.getLogger("test").debug("import refused")
        person = save_person(session, PersonData(first_name=FIRST, last_name=LAST, emails=[EMAIL]))
        export_persons(session, tmp_path / "personen.xlsx")
        export_persons(session, tmp_path / "personen.csv")
        write_person_information(session, person.id, tmp_path)
    assert _leaks("\n".join(r.getMessage() for r in caplog.records)) == []


def test_a_crash_with_a_name_in_its_message_is_logged_without_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.ERROR)
    try:
        raise RuntimeError(f"UNIQUE constraint failed: person {FIRST} {LAST} <{EMAIL}>")
    except RuntimeError as err:
        log_bug(logging.getLogger("test"), "Speichern", err)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "RuntimeError" in logged
    assert _leaks(logged) == []


def test_the_command_line_log_file_holds_no_name(
    db: Database, db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def crash(_session: object, _args: object) -> str:
        raise ValueError(f"kaputt bei {FIRST} {LAST}, {EMAIL}")

    setup_logging()
    monkeypatch.setattr(cli, "_listing", crash)
    before = log_file().read_text(encoding="utf-8") if log_file().exists() else ""
    assert main(["list", "persons", "--db", str(db_path)]) == EXIT_BUG
    for handler in logging.getLogger().handlers:
        handler.flush()
    after = log_file().read_text(encoding="utf-8")
    new = after[len(before) :]
    assert "ValueError" in new
    assert _leaks(new) == []
    assert _leaks(capsys.readouterr().err) == []
