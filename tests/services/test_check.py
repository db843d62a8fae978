"""The database check: each rule catches data that breaks it; a clean demo passes."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from integrationsmanager.services.check import (
    LISTED_PER_RULE,
    CheckReport,
    Severity,
    check_database,
)
from integrationsmanager.services.demo import create_demo_data
from integrationsmanager.storage.database import open_database


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("check") / "demo.sqlite"
    database = open_database(path, user="testnutzer")
    with database.session() as session:
        create_demo_data(session)
    database.close()
    return path


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path) -> Path:
    """A private copy of the demo database, to break."""
    copy = tmp_path / "demo.sqlite"
    shutil.copy(demo_file, copy)
    return copy


@pytest.fixture
def raw(demo: Path) -> Iterator[sqlite3.Connection]:
    """Raw SQL without the program's rules (and with foreign keys off, as damage would)."""
    connection = sqlite3.connect(demo, isolation_level=None)
    yield connection
    connection.close()


def findings(report: CheckReport, severity: Severity, area: str) -> list[tuple[int | None, str]]:
    return [
        (f.record_id, f.text) for f in report.findings if f.severity == severity and f.area == area
    ]


def first_id(connection: sqlite3.Connection, sql: str) -> int:
    row = connection.execute(sql).fetchone()
    assert row is not None, sql
    return int(row[0])


def test_clean_demo_database_passes(demo_file: Path) -> None:
    report = check_database(demo_file)
    assert report.ok
    assert report.findings == []
    assert len(report.checked) == 9
    assert "Keine Probleme gefunden." in report.as_text()


def test_check_of_an_open_database_object(db_path: Path) -> None:
    database = open_database(db_path, user="testnutzer")
    try:
        report = check_database(database, quick=True)
    finally:
        database.close()
    assert report.ok
    assert report.checked == [
        "Aufbau der Datei (SQLite quick_check)",
        "Version des Datenbankschemas",
    ]


def test_paid_more_than_approved(demo: Path, raw: sqlite3.Connection) -> None:
    grant_id = first_id(raw, "SELECT grant_id FROM payment WHERE status = 'paid'")
    raw.execute('UPDATE "grant" SET approved_cents = 1 WHERE id = ?', (grant_id,))
    report = check_database(demo)
    assert not report.ok
    (found,) = [t for i, t in findings(report, Severity.ERROR, "Zuwendung") if i == grant_id]
    assert "ausgezahlt sind" in found and "bewilligt nur 0,01\xa0€" in found


def test_planned_tranches_over_approved_is_a_warning(demo: Path, raw: sqlite3.Connection) -> None:
    payment_id, grant_id = raw.execute(
        "SELECT id, grant_id FROM payment WHERE status = 'paid'"
    ).fetchone()
    raw.execute("UPDATE payment SET status = 'planned' WHERE id = ?", (payment_id,))
    committed = raw.execute(
        "SELECT SUM(amount_cents) FROM payment WHERE grant_id = ? AND status != 'cancelled'",
        (grant_id,),
    ).fetchone()[0]
    raw.execute('UPDATE "grant" SET approved_cents = ? WHERE id = ?', (committed - 1, grant_id))
    report = check_database(demo)
    assert report.ok  # a warning only
    assert any(
        i == grant_id and "übersteigen" in t
        for i, t in findings(report, Severity.WARNING, "Zuwendung")
    )


def test_approved_more_than_requested(demo: Path, raw: sqlite3.Connection) -> None:
    grant_id = first_id(raw, 'SELECT id FROM "grant" WHERE approved_cents > 0')
    raw.execute('UPDATE "grant" SET requested_cents = 1 WHERE id = ?', (grant_id,))
    report = check_database(demo)
    assert any(
        i == grant_id and "beantragt nur 0,01\xa0€" in t
        for i, t in findings(report, Severity.ERROR, "Zuwendung")
    )


def test_approved_over_programme_maximum(demo: Path, raw: sqlite3.Connection) -> None:
    grant_id, program_id = raw.execute(
        'SELECT id, program_id FROM "grant" WHERE approved_cents > 100'
    ).fetchone()
    raw.execute("UPDATE funding_program SET max_amount_cents = 100 WHERE id = ?", (program_id,))
    report = check_database(demo)
    assert any(
        i == grant_id and "Höchstbetrag" in t
        for i, t in findings(report, Severity.WARNING, "Zuwendung")
    )


def test_status_differs_from_history(demo: Path, raw: sqlite3.Connection) -> None:
    grant_id = first_id(raw, """SELECT id FROM "grant" WHERE status = 'approved'""")
    raw.execute("""UPDATE "grant" SET status = 'closed' WHERE id = ?""", (grant_id,))
    other = first_id(raw, f'SELECT id FROM "grant" WHERE id != {grant_id}')
    raw.execute("DELETE FROM grant_status_change WHERE grant_id = ?", (other,))
    report = check_database(demo)
    errors = findings(report, Severity.ERROR, "Zuwendung")
    assert any(
        i == grant_id and "steht auf abgeschlossen" in t and "bewilligt" in t for i, t in errors
    )
    warnings = findings(report, Severity.WARNING, "Zuwendung")
    assert any(i == other and "keinen Statusverlauf" in t for i, t in warnings)


def test_measure_ending_before_its_start(demo: Path, raw: sqlite3.Connection) -> None:
    measure_id = first_id(raw, "SELECT id FROM measure")
    raw.execute(
        "UPDATE measure SET start_date = '2025-05-01', end_date = '2025-04-30' WHERE id = ?",
        (measure_id,),
    )
    report = check_database(demo)
    assert [i for i, _ in findings(report, Severity.ERROR, "Maßnahme")] == [measure_id]


def test_meeting_ending_before_its_start(demo: Path, raw: sqlite3.Connection) -> None:
    meeting_id = first_id(raw, "SELECT id FROM meeting")
    raw.execute(
        "UPDATE meeting SET starts_at = '2025-05-01 10:00:00.000000', "
        "ends_at = '2025-05-01 09:00:00.000000' WHERE id = ?",
        (meeting_id,),
    )
    report = check_database(demo)
    assert [i for i, _ in findings(report, Severity.ERROR, "Sitzung")] == [meeting_id]


def test_done_date_on_an_open_action_item(demo: Path, raw: sqlite3.Connection) -> None:
    open_id = first_id(raw, "SELECT id FROM action_item WHERE status != 'done'")
    raw.execute("UPDATE action_item SET done_on = '2025-01-02' WHERE id = ?", (open_id,))
    done_id = first_id(raw, "SELECT id FROM action_item WHERE status = 'done'")
    raw.execute("UPDATE action_item SET done_on = NULL WHERE id = ?", (done_id,))
    report = check_database(demo)
    assert [i for i, _ in findings(report, Severity.ERROR, "Aufgabe")] == [open_id]
    assert [i for i, _ in findings(report, Severity.WARNING, "Aufgabe")] == [done_id]


def test_erased_person_with_personal_data_left(demo: Path, raw: sqlite3.Connection) -> None:
    with_mail = first_id(raw, "SELECT person_id FROM person_email")
    raw.execute(
        "UPDATE person SET erased = 1, first_name = '', last_name = '', street = '', notes = '' "
        "WHERE id = ?",
        (with_mail,),
    )
    clean = first_id(raw, f"SELECT id FROM person WHERE id != {with_mail}")
    raw.execute("DELETE FROM person_email WHERE person_id = ?", (clean,))
    raw.execute("DELETE FROM person_phone WHERE person_id = ?", (clean,))
    raw.execute(
        "UPDATE person SET erased = 1, first_name = '', last_name = '', street = '', notes = '' "
        "WHERE id = ?",
        (clean,),
    )
    report = check_database(demo)
    assert [i for i, _ in findings(report, Severity.ERROR, "Person")] == [with_mail]


def test_stale_search_column(demo: Path, raw: sqlite3.Connection) -> None:
    organisation_id = first_id(raw, "SELECT id FROM organisation")
    raw.execute(
        "UPDATE organisation SET name = 'Ganz anderer Name' WHERE id = ?", (organisation_id,)
    )
    report = check_database(demo)
    assert [i for i, _ in findings(report, Severity.WARNING, "Organisation")] == [organisation_id]


def test_orphan_rows_and_links(demo: Path, raw: sqlite3.Connection) -> None:
    raw.execute("PRAGMA foreign_keys = OFF")
    measure_id, organisation_id = raw.execute(
        "SELECT measure_id, organisation_id FROM measure_partner"
    ).fetchone()
    raw.execute("DELETE FROM organisation WHERE id = ?", (organisation_id,))
    progress_id = first_id(raw, "SELECT id FROM progress_entry")
    raw.execute("UPDATE progress_entry SET measure_id = 999999 WHERE id = ?", (progress_id,))
    report = check_database(demo)
    texts = [f.text for f in report.errors]
    assert any("Eine Verknüpfung verweist auf einen Eintrag in „organisation“" in t for t in texts)
    orphan = [f for f in report.errors if f.record_id == progress_id and "progress_entry" in f.area]
    assert orphan and "„measure“" in orphan[0].text
    assert not report.ok
    assert measure_id  # the link row is still there: only the check noticed


def test_many_findings_are_summarised(demo: Path, raw: sqlite3.Connection) -> None:
    raw.execute("DELETE FROM grant_status_change")
    count = raw.execute('SELECT COUNT(*) FROM "grant"').fetchone()[0]
    assert count > LISTED_PER_RULE
    report = check_database(demo)
    warnings = findings(report, Severity.WARNING, "Zuwendung")
    assert len(warnings) == LISTED_PER_RULE + 1
    assert warnings[-1] == (None, f"… und {count - LISTED_PER_RULE} weitere Meldungen dieser Art.")


def test_older_and_unknown_schema_versions(demo: Path, raw: sqlite3.Connection) -> None:
    raw.execute("UPDATE alembic_version SET version_num = 'ffffffffffff'")
    report = check_database(demo, quick=True)
    assert not report.ok
    assert "ffffffffffff" in report.errors[0].text


def test_byte_damaged_file_is_reported(demo: Path) -> None:
    data = bytearray(demo.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    for page in range(2, len(data) // page_size):
        start = page * page_size
        data[start : start + 40] = b"\xde\xad\xbe\xef" * 10
    demo.write_bytes(bytes(data))
    for quick in (True, False):
        report = check_database(demo, quick=quick)
        assert not report.ok
        assert report.errors[0].area == "Datei"
        assert "beschädigt" in report.errors[0].text
        assert "Fehler:" in report.as_text()


def test_file_that_is_no_database(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 2000)
    report = check_database(path)
    assert not report.ok
    assert "keine SQLite-Datenbank" in report.errors[0].text
    report = check_database(tmp_path / "fehlt.sqlite")
    assert "gibt es nicht" in report.errors[0].text


def test_cancel_stops_the_check(demo_file: Path) -> None:
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        calls.append((done, total))
        return len(calls) < 3

    report = check_database(demo_file, progress=progress)
    assert report.cancelled
    assert not report.ok
    assert "abgebrochen" in report.as_text()
    assert calls[0] == (0, 9)
