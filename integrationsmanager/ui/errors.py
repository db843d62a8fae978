"""Unexpected errors in the window: a German dialog and a log entry, and the program goes on.

The log gets the exception's type and traceback, which name code, not people's data.
"""

from __future__ import annotations

import logging
import sys
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from integrationsmanager import APP_NAME
from integrationsmanager.domain.errors import UserError
from integrationsmanager.logs import log_bug, log_file

log = logging.getLogger(__name__)


def show_user_error(parent: object, err: UserError, title: str = "Hinweis") -> None:
    QMessageBox.warning(parent if parent else None, f"{APP_NAME} – {title}", str(err))  # type: ignore[arg-type]


def _hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
    if isinstance(error, UserError):
        show_user_error(QApplication.activeWindow(), error)
        return
    log_bug(log, "Unerwarteter Fehler im Fenster", error.with_traceback(tb))
    QMessageBox.critical(
        QApplication.activeWindow(),
        f"{APP_NAME} – Unerwarteter Fehler",
        "Es ist ein unerwarteter Fehler aufgetreten. Gespeicherte Daten sind sicher; die "
        "zuletzt begonnene Aktion wurde nicht ausgeführt.\n\n"
        f"Fehlerart: {kind.__name__}\nEinzelheiten stehen in der Protokolldatei:\n{log_file()}",
    )


def install_exception_hook() -> None:
    """Route exceptions from Qt slots to a dialog instead of ending the program."""
    sys.excepthook = _hook
