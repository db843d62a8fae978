"""Backups of the SQLite file: write, verify, rotate, list and restore.

A backup is written with SQLite's online backup API from a read snapshot of the file, so the
program may keep working meanwhile and the copy holds exactly what was committed when the
backup began. The copy is written under a temporary name, checked with ``PRAGMA
integrity_check`` and only then renamed into place: a file with our backup name has passed
the check when it was written.

Backups in a folder are named ``<dbname>-YYYY-MM-DD_HHMMSS.sqlite``; rotation only ever
deletes files with exactly that shape.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from integrationsmanager.domain.errors import UserError
from integrationsmanager.storage import errors, migrations
from integrationsmanager.storage.database import (
    BUSY_TIMEOUT_MS,
    SQLITE_MAGIC,
    Database,
    inspect_sqlite_file,
)

Progress = Callable[[int, int], bool]
"""``progress(done, total)`` in pages; returning False cancels (same shape as ui.tasks)."""
Cancel = Callable[[], bool]
"""``cancel()`` returns True once the work should stop."""

SUFFIX = ".sqlite"
STAMP_FORMAT = "%Y-%m-%d_%H%M%S"
_NAME = re.compile(r"^(?P<db>.+)-(?P<stamp>\d{4}-\d{2}-\d{2}_\d{6})\.sqlite$")
_STEP_FRACTION = 100
"""The copy runs in about this many steps, so progress moves and a cancel is quick."""
_MIN_STEP_PAGES = 256

KEEP_DAILY = 7
KEEP_WEEKLY = 4
KEEP_MONTHLY = 12


class BackupCancelled(UserError):
    """The user stopped a backup; no file was left behind."""

    def __init__(self) -> None:
        super().__init__("Die Datensicherung wurde abgebrochen. Es wurde keine Datei angelegt.")


@dataclass(frozen=True)
class BackupInfo:
    """A backup file: where, when it was made, how big."""

    path: Path
    created: datetime
    size: int
    seconds: float = 0.0
    """How long writing and checking took (0 for a backup only listed)."""


@dataclass(frozen=True)
class BackupCheck:
    """The result of :func:`verify_backup`; ``message`` is German and names the problem."""

    path: Path
    ok: bool
    message: str
    revision: str | None = None
    older_schema: bool = False
    """The file is from an older program version (it is updated when opened)."""


@dataclass(frozen=True)
class RestoreInfo:
    """What :func:`restore_backup` did."""

    database: Path
    source: Path
    replaced_copy: Path | None
    """The copy of the database that was replaced, or None if there was none."""
    size: int
    seconds: float


# --- names ---------------------------------------------------------------------------------


def backup_name(db_name: str, when: datetime) -> str:
    """``<dbname>-YYYY-MM-DD_HHMMSS.sqlite``; ``db_name`` is the database file's stem."""
    return f"{db_name}-{when.strftime(STAMP_FORMAT)}{SUFFIX}"


def parse_backup_name(name: str) -> tuple[str, datetime] | None:
    """The database name and time of a file named by :func:`backup_name`, else None."""
    match = _NAME.match(name)
    if match is None:
        return None
    try:
        return match["db"], datetime.strptime(match["stamp"], STAMP_FORMAT)
    except ValueError:
        return None


def list_backups(folder: Path, db_name: str) -> list[BackupInfo]:
    """The backups of ``db_name`` in ``folder``, newest first (a missing folder: none)."""
    found = []
    for path, name, created in _our_files(folder):
        if name == db_name:
            with contextlib.suppress(OSError):
                found.append(BackupInfo(path, created, path.stat().st_size))
    return sorted(found, key=lambda info: info.created, reverse=True)


def _our_files(folder: Path) -> list[tuple[Path, str, datetime]]:
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    found = []
    for path in entries:
        parsed = parse_backup_name(path.name)
        if parsed is not None and path.is_file():
            found.append((path, parsed[0], parsed[1]))
    return found


# --- writing -------------------------------------------------------------------------------


def write_backup(
    database_or_path: Database | Path,
    target: Path,
    *,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> BackupInfo:
    """Copy the database to ``target`` with the online backup API, then verify the copy.

    The copy is made from one read snapshot, so uncommitted work of open sessions is not in
    it and concurrent commits do not restart it. A cancelled or failed backup leaves no file;
    an existing ``target`` is replaced only by a copy that passed the integrity check.
    """
    started = time.monotonic()
    source_path = _source_path(database_or_path)
    target = Path(target).expanduser().absolute()
    if target.resolve() == source_path:
        raise UserError("Die Sicherung kann nicht die Datenbank selbst überschreiben.")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise _folder_error(target.parent, err) from err
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        _copy(source_path, temporary, progress=progress, cancel=cancel)
        problem = _integrity_problem(temporary)
        if problem is not None:
            raise UserError(
                f"Die Sicherung nach „{target}“ ist bei der Prüfung durchgefallen ({problem}). "
                "Sie wurde gelöscht. Bitte prüfen Sie den Speicherplatz und den Sicherungsordner."
            )
        _fsync_file(temporary)
        os.replace(temporary, target)
        _fsync_folder(target.parent)
    except OSError as err:
        raise _folder_error(target.parent, err) from err
    finally:
        _remove_quietly(temporary)
    return BackupInfo(target, datetime.now(), target.stat().st_size, time.monotonic() - started)


def _source_path(database_or_path: Database | Path) -> Path:
    if isinstance(database_or_path, Database):
        if database_or_path.path is None:
            raise UserError(
                "Eine Datensicherung ist nur für eine Datenbankdatei (SQLite) möglich; "
                "eine Serverdatenbank sichert die IT."
            )
        path = database_or_path.path
    else:
        path = Path(database_or_path).expanduser().resolve()
    if inspect_sqlite_file(path) is None:
        raise errors.not_a_database(path)
    return path


def _copy(
    source_path: Path,
    target: Path,
    *,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> None:
    """Backup API copy in steps from one read snapshot; a cancel raises BackupCancelled."""
    source = _read_only(source_path)
    copy = sqlite3.connect(target)
    try:
        # One read transaction for the whole copy: a consistent snapshot that other
        # connections' commits neither change nor restart (the file is in WAL mode).
        source.execute("BEGIN")
        total = source.execute("PRAGMA page_count").fetchone()[0]
        step = max(_MIN_STEP_PAGES, total // _STEP_FRACTION)

        def on_step(_status: int, remaining: int, pages: int) -> None:
            keep_going = progress(pages - remaining, pages) if progress else True
            if not keep_going or (cancel is not None and cancel()):
                raise BackupCancelled

        source.backup(copy, pages=step, progress=on_step)
        source.rollback()
        # The copy is a single self-contained file (no -wal beside it on a network drive).
        copy.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.OperationalError as err:
        if "locked" in str(err) or "busy" in str(err):
            raise errors.locked(source_path) from err
        raise _folder_error(target.parent, OSError(str(err))) from err
    finally:
        copy.close()
        source.close()


def _read_only(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(
        f"{path.as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000
    )
    connection.isolation_level = None
    return connection


def _integrity_problem(path: Path) -> str | None:
    """None if ``PRAGMA integrity_check`` passes, else a short description."""
    try:
        connection = _read_only(path)
    except sqlite3.Error as err:
        return str(err)
    try:
        rows = [row[0] for row in connection.execute("PRAGMA integrity_check(5)")]
    except sqlite3.DatabaseError as err:
        return f"Datei beschädigt: {err}"
    finally:
        connection.close()
    if rows == ["ok"]:
        return None
    return f"Datei beschädigt, {len(rows)} Fehler gefunden"


# --- checking ------------------------------------------------------------------------------


def verify_backup(path: Path) -> BackupCheck:
    """Is ``path`` an intact database of this program that this version can open?"""
    path = Path(path).expanduser().absolute()
    if not path.is_file():
        return BackupCheck(path, False, f"Die Datei „{path}“ gibt es nicht.")
    try:
        revision = inspect_sqlite_file(path)
    except UserError as err:
        return BackupCheck(path, False, str(err))
    if revision is None:
        return BackupCheck(path, False, str(errors.not_a_database(path)))
    problem = _integrity_problem(path)
    if problem is not None:
        return BackupCheck(
            path,
            False,
            f"Die Sicherung „{path}“ ist beschädigt ({problem}) und kann nicht verwendet werden.",
            revision,
        )
    older = revision != migrations.head_revision()
    return BackupCheck(path, True, "geprüft: in Ordnung", revision, older)


# --- rotation ------------------------------------------------------------------------------


def backups_to_keep(created: list[datetime], today: date) -> set[datetime]:
    """Grandfather-father-son: the newest backup of each of the last 7 days, 4 ISO weeks
    and 12 months (counting today's day, week and month). Backups dated after ``today``
    are kept: a wrong clock must not delete anything."""
    keep = {moment for moment in created if moment.date() > today}
    days = {today - timedelta(days=n) for n in range(KEEP_DAILY)}
    monday = today - timedelta(days=today.weekday())
    weeks = {(monday - timedelta(weeks=n)).isocalendar()[:2] for n in range(KEEP_WEEKLY)}
    months = {_month_back(today, n) for n in range(KEEP_MONTHLY)}
    newest: dict[tuple[str, object], datetime] = {}
    for moment in created:
        day = moment.date()
        for bucket in (
            ("day", day) if day in days else None,
            ("week", day.isocalendar()[:2]) if day.isocalendar()[:2] in weeks else None,
            ("month", (day.year, day.month)) if (day.year, day.month) in months else None,
        ):
            if bucket is not None and (bucket not in newest or moment > newest[bucket]):
                newest[bucket] = moment
    return keep | set(newest.values())


def _month_back(today: date, months: int) -> tuple[int, int]:
    index = today.year * 12 + today.month - 1 - months
    return index // 12, index % 12 + 1


def rotate_backups(folder: Path, *, today: date) -> list[Path]:
    """Delete the backups the GFS rule does not keep; returns the removed paths.

    Each database's backups in the folder are rotated on their own; files not named like
    our backups are never touched.
    """
    by_db: dict[str, list[tuple[Path, datetime]]] = {}
    for path, name, created in _our_files(folder):
        by_db.setdefault(name, []).append((path, created))
    removed = []
    for files in by_db.values():
        keep = backups_to_keep([created for _path, created in files], today)
        for path, created in sorted(files, key=lambda item: item[1]):
            if created not in keep:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
                    removed.append(path)
    return removed


# --- restoring -----------------------------------------------------------------------------


def restore_backup(source: Path, db_path: Path) -> RestoreInfo:
    """Replace the database at ``db_path`` with the backup ``source``.

    The backup is checked first; a damaged file, a file that is not ours or one from a newer
    program version is refused and nothing changes. The database must be closed (by this
    and every other program): it is switched out of WAL mode, which SQLite only allows to
    the sole connection, so an open database is detected and refused. The replaced database
    is kept beside it as ``<name>.vor-wiederherstellung-<time>.sqlite``; the backup is
    copied into a temporary file beside the database, flushed to disk and renamed over it.
    """
    started = time.monotonic()
    source = Path(source).expanduser().absolute()
    db_path = Path(db_path).expanduser().absolute()
    if source.exists() and db_path.exists() and source.resolve() == db_path.resolve():
        raise UserError("Die Sicherung und die Datenbank sind dieselbe Datei.")
    check = verify_backup(source)
    if not check.ok:
        raise UserError(f"{check.message} Die Datenbank wurde nicht verändert.")
    if db_path.is_dir():
        raise errors.not_a_database(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    replaced = _set_aside(db_path) if db_path.exists() and db_path.stat().st_size else None
    temporary = db_path.with_name(f".{db_path.name}.{uuid.uuid4().hex[:8]}.restore.tmp")
    try:
        _copy(source, temporary)
        _fsync_file(temporary)
        for suffix in ("-wal", "-shm", "-journal"):
            # Stale companions of the replaced file would be applied to the restored one.
            _remove_quietly(Path(f"{db_path}{suffix}"))
        os.replace(temporary, db_path)
        _fsync_folder(db_path.parent)
    except OSError as err:
        raise UserError(
            f"Die Wiederherstellung nach „{db_path}“ ist fehlgeschlagen ({err.strerror or err})."
            " Die bisherige Datenbank ist unverändert"
            + (f" und zusätzlich gesichert in „{replaced}“." if replaced else ".")
        ) from err
    finally:
        _remove_quietly(temporary)
    return RestoreInfo(
        db_path, source, replaced, db_path.stat().st_size, time.monotonic() - started
    )


def _set_aside(db_path: Path) -> Path:
    """Make sure nobody has the database open, then keep a copy of it beside it.

    A damaged database (the usual reason for a restore) is kept as raw bytes; a file that
    is not a database of this program is refused, so a wrong ``--db`` replaces nothing.
    """
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = db_path.with_name(f"{db_path.stem}.vor-wiederherstellung-{stamp}{SUFFIX}")
    with db_path.open("rb") as handle:
        if handle.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            raise errors.not_a_database(db_path)
    connection = sqlite3.connect(db_path, timeout=1.0)
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        if tables and not {"alembic_version", "guideline"} <= tables:
            raise errors.not_a_database(db_path)
        # Leaving WAL mode needs the only connection: it fails while anyone has it open.
        # It also folds the -wal file into the database, so nothing committed is left aside.
        connection.execute("PRAGMA journal_mode=DELETE").fetchone()
        copy = sqlite3.connect(aside)
        try:
            connection.backup(copy)
        finally:
            copy.close()
    except sqlite3.OperationalError as err:
        _remove_quietly(aside)
        if "locked" not in str(err) and "busy" not in str(err):
            return _copy_damaged(db_path, aside)
        raise UserError(
            f"Die Datenbank „{db_path}“ ist noch geöffnet (in diesem oder einem anderen "
            "Programm). Bitte schließen Sie sie und versuchen Sie es erneut. Es wurde nichts "
            "verändert."
        ) from err
    except sqlite3.DatabaseError:
        _remove_quietly(aside)
        return _copy_damaged(db_path, aside)
    finally:
        connection.close()
    return aside


def _copy_damaged(db_path: Path, aside: Path) -> Path:
    """Keep a damaged database byte for byte (with its -wal, which may hold the newest work)."""
    shutil.copy2(db_path, aside)
    wal = Path(f"{db_path}-wal")
    if wal.exists():
        shutil.copy2(wal, Path(f"{aside}-wal"))
    return aside


# --- files ---------------------------------------------------------------------------------


def _fsync_file(path: Path) -> None:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def _fsync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX; Windows has no directory handles for this)."""
    if os.name != "posix":
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _remove_quietly(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _folder_error(folder: Path, err: OSError) -> UserError:
    return UserError(
        f"In den Sicherungsordner „{folder}“ kann nicht geschrieben werden "
        f"({err.strerror or err}). Bitte prüfen Sie, ob der Ordner (oder das Netzlaufwerk) "
        "erreichbar ist und genug Platz hat."
    )
