"""The backup service: per-computer folder setting, once a day, backup + verify + rotate."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from integrationsmanager.domain.errors import UserError
from integrationsmanager.services import backups
from integrationsmanager.storage.backup import backup_name, list_backups
from integrationsmanager.storage.database import Database


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "Sicherungen"
    backups.set_backup_folder(path)
    yield path
    backups.set_backup_folder(None)


def test_default_folder_and_a_damaged_settings_file() -> None:
    backups.set_backup_folder(None)
    assert backups.backup_folder() == backups.default_backup_folder()
    assert backups.backup_folder().name == "Sicherungen"
    backups.settings_path().write_text("{kein json", encoding="utf-8")
    assert backups.backup_folder() == backups.default_backup_folder()


def test_automatic_backup_once_a_day_with_rotation(db: Database, folder: Path) -> None:
    now = datetime(2026, 11, 25, 9, 15)
    old = folder / backup_name("test", now - timedelta(days=500))
    folder.mkdir()
    old.write_bytes(b"x")
    assert backups.backup_due(db, now)
    info = backups.automatic_backup(db, now)
    assert info is not None and info.path.name == "test-2026-11-25_091500.sqlite"
    assert not old.exists()  # rotated away
    assert not backups.backup_due(db, now + timedelta(hours=10))
    assert backups.automatic_backup(db, now + timedelta(hours=1)) is None
    assert backups.backup_due(db, now + timedelta(days=1))
    last = backups.last_backup(db)
    assert last is not None and last.ok and last.when == now
    assert "geprüft: in Ordnung" in last.message
    assert [b.path for b in backups.backups_of(db)] == [info.path]


def test_a_failed_backup_is_recorded_and_stays_due(db: Database, tmp_path: Path) -> None:
    blocker = tmp_path / "datei"
    blocker.write_text("x")
    backups.set_backup_folder(blocker / "Sicherungen")
    now = datetime(2026, 11, 25, 9, 15)
    try:
        with pytest.raises(UserError, match="Sicherungsordner"):
            backups.make_backup(db, now)
    finally:
        backups.set_backup_folder(None)
    last = backups.last_backup(db)
    assert last is not None and not last.ok and "Sicherungsordner" in last.message
    assert backups.backup_due(db, now)
    assert list_backups(blocker.parent, "test") == []
