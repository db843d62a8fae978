"""Opening databases: pragmas, seed, and files that must be left exactly as they were."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, text

from integrationsmanager.domain.common import Guideline
from integrationsmanager.domain.models import Base
from integrationsmanager.storage import migrations
from integrationsmanager.storage.database import Database, open_database
from integrationsmanager.storage.errors import DatabaseError


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_connection_has_foreign_keys_wal_and_busy_timeout(db: Database) -> None:
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_seed_has_the_eight_guidelines_of_the_policy(db: Database) -> None:
    with db.session() as session:
        found = session.scalars(select(Guideline).order_by(Guideline.number)).all()
        assert [g.number for g in found] == list(range(1, 9))
        assert found[0].title == "Bildung und Sprache sichern"
        assert "Mikroförderungen für Vereine" in found[7].typical_measures
        assert found[1].goals.startswith("Zugang zu Ausbildung und Arbeit verbessern")


def test_seeding_is_idempotent_and_keeps_edits(db_path: Path) -> None:
    database = open_database(db_path)
    with database.session() as session:
        first = session.scalars(select(Guideline).where(Guideline.number == 1)).one()
        first.title = "Bildung und Sprache sichern (fortgeschrieben)"
        session.scalars(select(Guideline).where(Guideline.number == 8)).one().retired = True
    database.close()
    for _ in range(2):
        database = open_database(db_path)
        with database.session() as session:
            rows = session.scalars(select(Guideline).order_by(Guideline.number)).all()
            assert len(rows) == 8
            assert rows[0].title.endswith("(fortgeschrieben)")
            assert rows[7].retired
        database.close()


def test_foreign_keys_are_enforced(db: Database) -> None:
    with pytest.raises(Exception, match="FOREIGN KEY"), db.session() as session:
        session.execute(
            text(
                "INSERT INTO measure (uid, created_at, updated_at, updated_by, guideline_id,"
                " title, title_folded, baseline, goal, implementation, responsibility, status,"
                " priority, planning_document, planning_document_note, search_text) VALUES"
                " ('u', '2026-01-01', '2026-01-01', '', 999, 't', 't', '', '', '', 'direct',"
                " 'planned', 'medium', 'none', '', '')"
            )
        )


def test_a_file_that_is_not_a_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notizen.sqlite"
    path.write_text("Das ist eine Einkaufsliste, keine Datenbank.\n", encoding="utf-8")
    before = digest(path)
    with pytest.raises(DatabaseError, match="keine Datenbank des Integrationsmanagers"):
        open_database(path)
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notizen.sqlite"]


def test_a_foreign_sqlite_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "fremd.sqlite"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE kunden (name TEXT)")
    connection.execute("INSERT INTO kunden VALUES ('Müller')")
    connection.commit()
    connection.close()
    before = digest(path)
    with pytest.raises(DatabaseError, match="keine Datenbank"):
        open_database(path)
    assert digest(path) == before


def test_a_newer_schema_is_refused_untouched(db_path: Path) -> None:
    open_database(db_path).close()
    connection = sqlite3.connect(db_path)
    connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    connection.commit()
    connection.close()
    before = digest(db_path)
    with pytest.raises(DatabaseError, match="neueren Version"):
        open_database(db_path)
    assert digest(db_path) == before


def test_a_locked_file_is_refused_untouched(db_path: Path) -> None:
    open_database(db_path).close()
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("PRAGMA journal_mode=DELETE")
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("UPDATE guideline SET title = title")
    try:
        before = digest(db_path)
        with pytest.raises(DatabaseError, match="gesperrt"):
            open_database(db_path)
        assert digest(db_path) == before
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_copy_is_written_before_a_migration(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_database(db_path).close()
    real_head = migrations.head_revision()
    monkeypatch.setattr(migrations, "head_revision", lambda: real_head + "_next")
    database = open_database(db_path)
    database.close()
    backup = database.backup_before_migration
    assert backup is not None and backup.parent == db_path.parent
    connection = sqlite3.connect(backup)
    assert connection.execute("SELECT count(*) FROM guideline").fetchone() == (8,)
    assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    connection.close()


def test_no_copy_when_no_migration_is_due(db_path: Path) -> None:
    open_database(db_path).close()
    database = open_database(db_path)
    database.close()
    assert database.backup_before_migration is None
    assert not list(db_path.parent.glob("*vor-migration*"))


def test_models_and_migrations_agree(db: Database) -> None:
    """The equivalent of ``alembic check``: nothing left to autogenerate."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_sqlalchemy_url_is_accepted(tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'per-url.sqlite'}")
    try:
        assert database.path == (tmp_path / "per-url.sqlite").resolve()
        with database.session() as session:
            assert len(session.scalars(select(Guideline)).all()) == 8
    finally:
        database.close()
