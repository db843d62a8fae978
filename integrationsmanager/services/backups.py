"""Automatic and manual backups: the backup folder, when a backup is due, the last result.

The backup folder is a setting of this computer, not of the data, so it lives in a small
JSON file in the user's configuration folder rather than in the database's Setting table:

- a network drive has a different path (drive letter, mount point) on each computer, and a
  copy of the database taken to a laptop must not send its backups to the office's share;
- the backups must be found when the database itself is damaged and cannot be read.

The same file records, per database file, when the last backup ran and how it ended.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from integrationsmanager.domain.errors import UserError
from integrationsmanager.paths import config_dir, default_database_path
from integrationsmanager.storage.backup import (
    BackupInfo,
    Cancel,
    Progress,
    backup_name,
    list_backups,
    rotate_backups,
    write_backup,
)
from integrationsmanager.storage.database import Database

log = logging.getLogger(__name__)

SETTINGS_FILE = "sicherung.json"


@dataclass(frozen=True)
class LastBackup:
    """How the most recent backup of a database ended (``message`` is German)."""

    when: datetime
    ok: bool
    message: str


def settings_path() -> Path:
    return config_dir() / SETTINGS_FILE


def default_backup_folder() -> Path:
    return default_database_path().parent / "Sicherungen"


def backup_folder() -> Path:
    """The folder chosen on this computer, or ``<data folder>/Sicherungen``."""
    folder = _load().get("folder")
    return Path(folder) if isinstance(folder, str) and folder else default_backup_folder()


def set_backup_folder(folder: Path | None) -> None:
    """Remember ``folder`` (None: back to the default)."""
    data = _load()
    data["folder"] = str(Path(folder).expanduser().absolute()) if folder else ""
    _save(data)


def last_backup(database: Database) -> LastBackup | None:
    entry = _load().get("databases", {}).get(_key(database))
    if not isinstance(entry, dict):
        return None
    try:
        return LastBackup(
            datetime.fromisoformat(entry["when"]), bool(entry["ok"]), entry["message"]
        )
    except (KeyError, TypeError, ValueError):
        return None


def backup_due(database: Database, now: datetime) -> bool:
    """At most one automatic backup a day: due unless one succeeded on ``now``'s date."""
    if database.path is None:
        return False
    last = _last_success(database)
    return last is None or last.date() != now.date()


def make_backup(
    database: Database,
    now: datetime,
    *,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> BackupInfo:
    """Back up into the backup folder, verify, rotate, and record the result.

    Raises a German :class:`UserError` if the backup fails (the failure is recorded too).
    """
    if database.path is None:
        raise UserError("Eine Datensicherung ist nur für eine Datenbankdatei (SQLite) möglich.")
    folder = backup_folder()
    target = folder / backup_name(database.path.stem, now)
    stamp = _file_stamp(database.path)
    try:
        info = write_backup(database, target, progress=progress, cancel=cancel)
    except UserError as err:
        _record(database, LastBackup(now, False, str(err)))
        raise
    removed = rotate_backups(folder, today=now.date())
    _record(
        database,
        LastBackup(now, True, f"{_size_text(info.size)}, geprüft: in Ordnung"),
        success=now,
        stamp=stamp,
    )
    if removed:
        log.info("Alte Sicherungen entfernt: %d", len(removed))
    return info


def changed_since_last_backup(database: Database) -> bool:
    """Has the file (or its write-ahead log) changed since the last successful backup?

    Compares size and modification time, so a close without any saved change does not spend
    seconds on a copy identical to the last one.
    """
    if database.path is None:
        return False
    entry = _load().get("databases", {}).get(_key(database))
    stamp = entry.get("stamp") if isinstance(entry, dict) else None
    return stamp != _file_stamp(database.path)


def automatic_backup(database: Database, now: datetime) -> BackupInfo | None:
    """A backup if one is due today (see :func:`backup_due`), else None."""
    if not backup_due(database, now):
        return None
    return make_backup(database, now)


def backups_of(database: Database) -> list[BackupInfo]:
    """This database's backups in the backup folder, newest first."""
    if database.path is None:
        return []
    return list_backups(backup_folder(), database.path.stem)


def _size_text(size: int) -> str:
    megabytes = size / 1_000_000
    return f"{megabytes:,.1f} MB".replace(",", "\u202f").replace(".", ",")


def _key(database: Database) -> str:
    return str(database.path) if database.path is not None else ""


def _last_success(database: Database) -> datetime | None:
    entry = _load().get("databases", {}).get(_key(database))
    if not isinstance(entry, dict):
        return None
    try:
        return datetime.fromisoformat(entry["last_success"])
    except (KeyError, TypeError, ValueError):
        return None


def _file_stamp(path: Path) -> list[int]:
    """Size and modification time (ns) of the database file and its -wal file."""
    stamp = []
    for file in (path, Path(f"{path}-wal")):
        try:
            status = file.stat()
        except OSError:
            stamp += [-1, -1]
        else:
            stamp += [status.st_size, status.st_mtime_ns]
    return stamp


def _record(
    database: Database,
    result: LastBackup,
    *,
    success: datetime | None = None,
    stamp: list[int] | None = None,
) -> None:
    data = _load()
    databases = data.setdefault("databases", {})
    entry = databases.setdefault(_key(database), {})
    entry.update(when=result.when.isoformat(), ok=result.ok, message=result.message)
    if success is not None:
        entry["last_success"] = success.isoformat()
        entry["stamp"] = stamp
    try:
        _save(data)
    except OSError as err:
        log.warning("Sicherungsprotokoll nicht geschrieben: %s", type(err).__name__)


def _load() -> dict[str, Any]:
    try:
        data = json.loads(settings_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _save(data: dict[str, Any]) -> None:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(temporary, path)
