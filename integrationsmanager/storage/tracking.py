"""Hooks that keep the sync columns and the deletion log right on every change.

``updated_by``/``updated_at`` are stamped per session (each session knows its user). The
deletion log is written by a mapper event, so it also sees rows the ORM deletes through a
cascade (e.g. an e-mail address removed from a person) — rows that only the database deletes
(``ON DELETE CASCADE`` without an ORM relationship) are not seen.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, insert
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapper, Session, sessionmaker

from integrationsmanager.domain.base import Base, Tracked, new_uid, utcnow
from integrationsmanager.domain.common import DeletionLog

USER_KEY = "user"


def session_user(session: Session) -> str:
    """The login recorded for changes made through ``session`` (bulk writers need it too)."""
    return str(session.info.get(USER_KEY, ""))


@event.listens_for(Base, "after_delete", propagate=True)
def _log_deletion(_mapper: Mapper[Any], connection: Connection, target: Any) -> None:
    if isinstance(target, Tracked):
        connection.execute(
            insert(DeletionLog).values(
                uid=new_uid(),
                table_name=target.__tablename__,  # type: ignore[attr-defined]
                record_uid=target.uid,
                deleted_at=utcnow(),
            )
        )


def install_tracking(sessions: sessionmaker[Session], user: str) -> None:
    """Stamp ``updated_by``/``updated_at`` for sessions made by ``sessions``."""
    sessions.configure(info={USER_KEY: user})

    @event.listens_for(sessions, "before_flush")
    def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
        now = utcnow()
        for obj in session.new:
            if isinstance(obj, Tracked):
                obj.updated_by = user
        for obj in session.dirty:
            if isinstance(obj, Tracked) and session.is_modified(obj, include_collections=False):
                obj.updated_by = user
                obj.updated_at = now
