"""Session hooks that keep the sync columns and the deletion log right on every flush."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from integrationsmanager.domain.base import Tracked, utcnow
from integrationsmanager.domain.common import DeletionLog

USER_KEY = "user"


def session_user(session: Session) -> str:
    """The login recorded for changes made through ``session`` (bulk writers need it too)."""
    return str(session.info.get(USER_KEY, ""))


def install_tracking(sessions: sessionmaker[Session], user: str) -> None:
    """Stamp ``updated_by``/``updated_at`` and log deletions for sessions from ``sessions``."""
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
        for obj in session.deleted:
            if isinstance(obj, Tracked):
                session.add(
                    DeletionLog(table_name=type(obj).__tablename__, record_uid=obj.uid)  # type: ignore[attr-defined]
                )
