"""Opening a database: checks that leave a bad file untouched, pragmas, migrations, seed.

:func:`open_database` is the one way in. For a SQLite file it first looks at the file through
a read-only connection (is it SQLite, is its schema one this program knows, is it locked?)
and only then opens it for writing, copies it aside if a migration is due, and migrates.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from integrationsmanager.paths import current_user
from integrationsmanager.storage import errors, migrations
from integrationsmanager.storage.audit import install_audit
from integrationsmanager.storage.locking import is_network_path
from integrationsmanager.storage.tracking import install_tracking

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000


@dataclass
class Database:
    """An open database: its engine and the session factory for units of work."""

    engine: Engine
    sessions: sessionmaker[Session]
    path: Path | None
    """The SQLite file, or None for a server database."""
    backup_before_migration: Path | None = None

    @property
    def display_name(self) -> str:
        if self.path is not None:
            return self.path.name
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any error."""
        with self.sessions.begin() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()


def is_url(target: str) -> bool:
    return "://" in target


def open_database(target: str | Path, *, user: str | None = None) -> Database:
    """Open (and create, migrate, seed) the database at a file path or SQLAlchemy URL.

    Raises :class:`~integrationsmanager.storage.errors.DatabaseError` with a German message
    for a file that is not a database, has a newer schema, or is locked; the file is then
    left exactly as it was.
    """
    path: Path | None = None
    backup: Path | None = None
    if isinstance(target, str) and is_url(target):
        url = make_url(target)
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            path = Path(url.database).expanduser().resolve()
    else:
        path = Path(target).expanduser().resolve()
        url = make_url(f"sqlite:///{path}")

    revision: str | None = None
    if path is not None:
        revision = inspect_sqlite_file(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if revision is not None and revision != migrations.head_revision():
            backup = _copy_aside(path, revision)
    network = path is not None and is_network_path(path)
    engine = _create_engine(url, network=network)
    try:
        if revision != migrations.head_revision():
            migrations.upgrade(engine)  # Alembic only when there is something to do
        sessions = sessionmaker(engine, expire_on_commit=False)
        install_tracking(sessions, user or current_user())
        install_audit(sessions)
        database = Database(engine, sessions, path, backup)
        from integrationsmanager.storage.seed import seed_reference_data

        with database.session() as session:
            seed_reference_data(session)
    except Exception:
        engine.dispose()
        raise
    return database


def _create_engine(url: Any, *, network: bool = False) -> Engine:
    """``network``: the file is on a network drive, where WAL is unsafe (see storage.locking)."""
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy manage transactions (pysqlite's own handling defers BEGIN).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute(f"PRAGMA journal_mode={'DELETE' if network else 'WAL'}")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")

    return engine


def inspect_sqlite_file(path: Path) -> str | None:
    """Check an existing file without writing to it; return its schema revision.

    Returns None for a missing or empty file (a new database is created there). Raises a
    German :class:`~integrationsmanager.storage.errors.DatabaseError` for a file that is not
    ours, is locked or has a newer schema. Also used to check a backup before a restore.
    """
    if not path.exists():
        return None
    if path.is_dir():
        raise errors.not_a_database(path)
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_MAGIC))
    except OSError as err:
        raise errors.unreadable(path, err.strerror or str(err)) from err
    if not header:
        return None
    if header != SQLITE_MAGIC:
        raise errors.not_a_database(path)
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=1.0)
    except sqlite3.Error as err:
        raise errors.unreadable(path, str(err)) from err
    try:
        tables = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        if not tables:
            return None
        if "alembic_version" not in tables or "guideline" not in tables:
            raise errors.not_a_database(path)
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError as err:
        if "locked" in str(err) or "busy" in str(err):
            raise errors.locked(path) from err
        raise errors.unreadable(path, str(err)) from err
    except sqlite3.DatabaseError as err:
        raise errors.not_a_database(path) from err
    finally:
        connection.close()
    revision = row[0] if row else None
    if revision not in (None, migrations.head_revision()) and not migrations.is_known(revision):
        raise errors.newer_schema(path, revision)
    return revision


def _copy_aside(path: Path, revision: str) -> Path:
    """Write a consistent copy of the file next to it before a migration runs."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.vor-migration-{revision}-{stamp}{path.suffix}")
    source = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    except sqlite3.OperationalError as err:
        raise errors.locked(path) from err
    finally:
        copy.close()
        source.close()
    return target
