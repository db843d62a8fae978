"""Backups: consistent online copies, verification, GFS rotation and a careful restore."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from integrationsmanager.domain.common import Setting
from integrationsmanager.domain.errors import UserError
from integrationsmanager.storage import backup as backup_module
from integrationsmanager.storage.backup import (
    BackupCancelled,
    backup_name,
    list_backups,
    parse_backup_name,
    restore_backup,
    rotate_backups,
    verify_backup,
    write_backup,
)
from integrationsmanager.storage.database import Database, open_database


def _put(db: Database, key: str, value: str) -> None:
    with db.session() as session:
        session.merge(Setting(key=key, value=value))


def _settings(path: Path) -> dict[str, str]:
    connection = sqlite3.connect(path)
    try:
        return dict(connection.execute("SELECT key, value FROM setting").fetchall())
    finally:
        connection.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_backup_holds_committed_but_not_uncommitted_work(db: Database, tmp_path: Path) -> None:
    _put(db, "test.saved", "Müller – Шевченко – نور")
    target = tmp_path / "Sicherungen" / "test-2026-11-25_120000.sqlite"
    with db.session() as session:
        session.merge(Setting(key="test.open", value="not yet committed"))
        session.flush()
        info = write_backup(db, target)
    stored = _settings(target)
    assert stored["test.saved"] == "Müller – Шевченко – نور"
    assert "test.open" not in stored
    assert info.path == target and info.size == target.stat().st_size > 0
    assert verify_backup(target).ok
    assert not target.with_name(target.name + "-wal").exists()
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temporary left


def test_commits_during_the_backup_do_not_break_the_snapshot(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backup_module, "_MIN_STEP_PAGES", 4)
    _put(db, "test.before", "1")
    steps: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        if not steps:
            _put(db, "test.during", "2")  # another connection commits mid-copy
        steps.append((done, total))
        return True

    target = tmp_path / "copy.sqlite"
    write_backup(db.path, target, progress=progress)  # type: ignore[arg-type]
    assert len(steps) > 3 and steps[-1][0] == steps[-1][1]
    stored = _settings(target)
    assert stored["test.before"] == "1" and "test.during" not in stored
    assert verify_backup(target).ok


def test_a_cancelled_backup_leaves_no_file(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backup_module, "_MIN_STEP_PAGES", 4)
    folder = tmp_path / "Sicherungen"
    with pytest.raises(BackupCancelled, match="abgebrochen"):
        write_backup(db, folder / "x.sqlite", progress=lambda done, _total: done < 20)
    assert list(folder.iterdir()) == []
    with pytest.raises(BackupCancelled):
        write_backup(db, folder / "x.sqlite", cancel=lambda: True)
    assert list(folder.iterdir()) == []


def test_a_copy_that_fails_its_check_is_deleted(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backup_module, "_integrity_problem", lambda _path: "Seite 7 kaputt")
    folder = tmp_path / "Sicherungen"
    with pytest.raises(UserError, match=r"Prüfung durchgefallen.*Seite 7 kaputt.*gelöscht"):
        write_backup(db, folder / "x.sqlite")
    assert list(folder.iterdir()) == []


def test_backup_of_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "brief.sqlite"
    fake.write_bytes(b"PK\x03\x04" * 100)
    with pytest.raises(UserError, match="keine Datenbank des Integrationsmanagers"):
        write_backup(fake, tmp_path / "out.sqlite")
    assert not (tmp_path / "out.sqlite").exists()


def test_verify_detects_damage_in_the_middle_of_a_copy(db: Database, tmp_path: Path) -> None:
    with db.session() as session:
        for n in range(2000):
            session.merge(Setting(key=f"test.{n}", value="Ärger " * 20))
    copy = write_backup(db, tmp_path / "copy.sqlite").path
    assert verify_backup(copy).ok
    data = bytearray(copy.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 8192] = b"\xa5" * 8192
    copy.write_bytes(bytes(data))
    check = verify_backup(copy)
    assert not check.ok
    assert "beschädigt" in check.message


def test_verify_names_foreign_newer_and_missing_files(db: Database, tmp_path: Path) -> None:
    foreign = tmp_path / "fremd.sqlite"
    connection = sqlite3.connect(foreign)
    connection.execute("CREATE TABLE kunden (name TEXT)")
    connection.commit()
    connection.close()
    assert "keine Datenbank des Integrationsmanagers" in verify_backup(foreign).message
    newer = _newer_copy(db, tmp_path)
    check = verify_backup(newer)
    assert not check.ok and "neueren Version" in check.message
    assert "gibt es nicht" in verify_backup(tmp_path / "fehlt.sqlite").message


def _newer_copy(db: Database, tmp_path: Path) -> Path:
    path = write_backup(db, tmp_path / "neu.sqlite").path
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num = 'ffff_zukunft'")
    connection.commit()
    connection.close()
    return path


# --- names and rotation ----------------------------------------------------------------------


def test_backup_names_round_trip() -> None:
    when = datetime(2026, 3, 1, 7, 5, 9)
    name = backup_name("Integrationsmanager Büro", when)
    assert name == "Integrationsmanager Büro-2026-03-01_070509.sqlite"
    assert parse_backup_name(name) == ("Integrationsmanager Büro", when)
    for other in ("x-2026-13-01_070509.sqlite", "x-2026-03-01.sqlite", "x-2026-03-01_070509.db"):
        assert parse_backup_name(other) is None


TODAY = date(2026, 11, 25)  # a Wednesday
KEPT = [
    # the newest backup of each of the last 7 days
    *(f"büro-2026-11-{day}_173000.sqlite" for day in range(19, 26)),
    # ... of each of the last 4 ISO weeks (weeks of 23.11. and 16.11. are covered above)
    "büro-2026-11-15_173000.sqlite",
    "büro-2026-11-08_173000.sqlite",
    # ... of each of the last 12 months (November 2026 is covered above)
    "büro-2026-10-31_173000.sqlite",
    "büro-2026-09-30_173000.sqlite",
    "büro-2026-08-31_173000.sqlite",
    "büro-2026-07-31_173000.sqlite",
    "büro-2026-06-30_173000.sqlite",
    "büro-2026-05-31_173000.sqlite",
    "büro-2026-04-30_173000.sqlite",
    "büro-2026-03-31_173000.sqlite",
    "büro-2026-02-28_173000.sqlite",
    "büro-2026-01-31_173000.sqlite",
    "büro-2025-12-31_173000.sqlite",
]


def test_rotation_keeps_exactly_the_gfs_set_of_a_400_day_history(tmp_path: Path) -> None:
    folder = tmp_path / "Sicherungen"
    folder.mkdir()
    for n in range(400):
        day = TODAY - timedelta(days=n)
        for hour, minute in ((9, 0), (17, 30)):
            moment = datetime(day.year, day.month, day.day, hour, minute)
            (folder / backup_name("büro", moment)).write_bytes(b"x")
    assert len(list(folder.iterdir())) == 800
    foreign = [
        "notizen.txt",
        "büro.sqlite",
        "büro-2025-01-01.sqlite",
        "büro-2025-01-01_120000.sqlite.bak",
        ".büro-2025-01-01_120000.sqlite.1a2b3c4d.tmp",
    ]
    for name in foreign:
        (folder / name).write_text("fremd")
    (folder / "büro-2024-01-01_120000.sqlite").mkdir()  # a folder with our name shape
    future = folder / backup_name("büro", datetime(2026, 12, 24, 8, 0))
    future.write_bytes(b"x")

    removed = rotate_backups(folder, today=TODAY)

    remaining = sorted(p.name for p in folder.iterdir())
    expected = sorted([*KEPT, *foreign, "büro-2024-01-01_120000.sqlite", future.name])
    assert remaining == expected
    assert len(removed) == 800 - len(KEPT)
    assert rotate_backups(folder, today=TODAY) == []  # stable


def test_rotation_handles_each_database_on_its_own(tmp_path: Path) -> None:
    for name in ("a", "b"):
        for n in range(3):
            (tmp_path / backup_name(name, datetime(2026, 11, 25, 10 + n))).write_bytes(b"x")
    rotate_backups(tmp_path, today=TODAY)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "a-2026-11-25_120000.sqlite",
        "b-2026-11-25_120000.sqlite",
    ]
    assert [i.created.hour for i in list_backups(tmp_path, "a")] == [12]


def test_list_backups_newest_first(db: Database, tmp_path: Path) -> None:
    for hour in (8, 12, 10):
        write_backup(db, tmp_path / backup_name("test", datetime(2026, 5, 4, hour)))
    (tmp_path / "test-kopie.sqlite").write_bytes(b"x")
    listed = list_backups(tmp_path, "test")
    assert [info.created.hour for info in listed] == [12, 10, 8]
    assert all(info.size > 0 for info in listed)
    assert list_backups(tmp_path / "fehlt", "test") == []


# --- restore ---------------------------------------------------------------------------------


def test_restore_replaces_the_database_and_keeps_the_old_one(
    db: Database, db_path: Path, tmp_path: Path
) -> None:
    _put(db, "test.name", "Олена Коваль")
    source = write_backup(db, tmp_path / "b" / "test-2026-11-25_120000.sqlite").path
    _put(db, "test.name", "später geändert")
    _put(db, "test.later", "nach der Sicherung")
    db.close()

    info = restore_backup(source, db_path)

    assert info.replaced_copy is not None and info.replaced_copy.parent == db_path.parent
    assert ".vor-wiederherstellung-" in info.replaced_copy.name
    assert _settings(info.replaced_copy)["test.later"] == "nach der Sicherung"
    for suffix in ("-wal", "-shm", "-journal"):
        assert not Path(f"{db_path}{suffix}").exists()
    reopened = open_database(db_path)
    try:
        with reopened.session() as session:
            assert session.get(Setting, "test.name").value == "Олена Коваль"  # type: ignore[union-attr]
            assert session.get(Setting, "test.later") is None
    finally:
        reopened.close()
    assert _settings(db_path) == _settings(source)


def test_restore_into_a_missing_database_creates_it(db: Database, tmp_path: Path) -> None:
    source = write_backup(db, tmp_path / "b.sqlite").path
    info = restore_backup(source, tmp_path / "neu" / "daten.sqlite")
    assert info.replaced_copy is None
    assert verify_backup(info.database).ok


def test_restore_refuses_an_open_database(db: Database, db_path: Path, tmp_path: Path) -> None:
    source = write_backup(db, tmp_path / "b.sqlite").path
    _put(db, "test.keep", "bleibt")
    with pytest.raises(UserError, match="noch geöffnet"):
        restore_backup(source, db_path)
    assert sorted(p.name for p in db_path.parent.glob("*.vor-wiederherstellung-*")) == []
    _put(db, "test.after", "geht weiter")  # the open database still works


@pytest.mark.parametrize("kind", ["garbage", "foreign", "newer", "damaged", "empty"])
def test_restore_refuses_bad_files_and_changes_nothing(
    kind: str, db: Database, db_path: Path, tmp_path: Path
) -> None:
    source = tmp_path / "quelle.sqlite"
    if kind == "garbage":
        source.write_bytes(b"\x00\x01 kein SQLite " * 500)
    elif kind == "empty":
        source.write_bytes(b"")
    elif kind == "foreign":
        connection = sqlite3.connect(source)
        connection.execute("CREATE TABLE alembic_version (version_num TEXT)")
        connection.commit()
        connection.close()
    elif kind == "newer":
        source = _newer_copy(db, tmp_path)
    else:
        _put(db, "test.big", "x" * 200_000)
        source = write_backup(db, source).path
        data = bytearray(source.read_bytes())
        data[len(data) // 2 : len(data) // 2 + 16384] = b"\xff" * 16384
        source.write_bytes(bytes(data))
    db.close()
    before = _digest(db_path)
    messages = {
        "garbage": "keine Datenbank",
        "empty": "keine Datenbank",
        "foreign": "keine Datenbank",
        "newer": "neueren Version",
        "damaged": "beschädigt",
    }
    with pytest.raises(UserError, match=messages[kind]) as caught:
        restore_backup(source, db_path)
    assert "nicht verändert" in str(caught.value)
    assert _digest(db_path) == before
    assert list(db_path.parent.glob("*.vor-wiederherstellung-*")) == []


def test_restore_over_a_damaged_database_keeps_its_bytes(
    db: Database, db_path: Path, tmp_path: Path
) -> None:
    _put(db, "test.name", "aus der Sicherung")
    source = write_backup(db, tmp_path / "b.sqlite").path
    db.close()
    data = bytearray(db_path.read_bytes())
    data[100:4096] = b"\xee" * 3996  # the schema page: nothing can be read any more
    db_path.write_bytes(bytes(data))
    Path(f"{db_path}-wal").write_bytes(b"stale log of the damaged file")

    info = restore_backup(source, db_path)

    assert info.replaced_copy is not None
    assert info.replaced_copy.read_bytes() == bytes(data)
    assert Path(f"{info.replaced_copy}-wal").read_bytes() == b"stale log of the damaged file"
    assert not Path(f"{db_path}-wal").exists()
    assert _settings(db_path)["test.name"] == "aus der Sicherung"


@pytest.mark.parametrize("kind", ["document", "foreign"])
def test_restore_never_replaces_a_file_that_is_not_ours(
    kind: str, db: Database, tmp_path: Path
) -> None:
    source = write_backup(db, tmp_path / "b.sqlite").path
    target = tmp_path / "ziel.sqlite"
    if kind == "document":
        target.write_bytes(b"PK\x03\x04 Bericht.docx" * 50)
    else:
        connection = sqlite3.connect(target)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE kunden (name TEXT)")
        connection.commit()
        connection.close()
    before = _digest(target)
    with pytest.raises(UserError, match="keine Datenbank des Integrationsmanagers"):
        restore_backup(source, target)
    assert _digest(target) == before
    assert list(tmp_path.glob("*.vor-wiederherstellung-*")) == []
