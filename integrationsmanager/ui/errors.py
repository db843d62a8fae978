"""Unexpected errors in the window: a German dialog and a log entry, and the program goes on.

Every path an error can take ends here: Qt slots (``sys.excepthook``), background jobs
(:func:`integrationsmanager.ui.tasks.run_task`), plain Python threads (``threading.excepthook``)
and errors Python cannot raise (``sys.unraisablehook``, logged only). The log and the copied
details get the exception's type and traceback, which name code, not people's data: the
exception's message is left out because database errors repeat the values of a row.
"""

from __future__ import annotations

import logging
import sys
import threading
from types import TracebackType

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from integrationsmanager import APP_NAME, __version__
from integrationsmanager.domain.errors import UserError
from integrationsmanager.logs import bug_details, log_bug, log_file, log_unraisable

log = logging.getLogger(__name__)

OPEN_LOG = "Protokoll öffnen"
COPY_DETAILS = "Details kopieren"
COPIED = "Details kopiert"


def show_user_error(parent: object, err: UserError, title: str = "Hinweis") -> None:
    QMessageBox.warning(parent if parent else None, f"{APP_NAME} – {title}", str(err))  # type: ignore[arg-type]


def crash_text(error: BaseException, action: str | None) -> str:
    """The dialog's German text: what failed, that saved data is safe, where the log is."""
    what = f"Bei „{action}“ ist" if action else "Es ist"
    return (
        f"{what} ein unerwarteter Fehler aufgetreten ({type(error).__name__}).\n\n"
        "Alles, was Sie gespeichert haben, ist sicher. Die zuletzt begonnene Aktion wurde "
        "nicht ausgeführt; Sie können weiterarbeiten.\n\n"
        f"Einzelheiten stehen in der Protokolldatei:\n{log_file()}"
    )


def crash_details(error: BaseException, action: str | None) -> str:
    """What "Details kopieren" puts on the clipboard: version, action, type and code frames."""
    return f"{APP_NAME} {__version__}\nAktion: {action or 'unbekannt'}\n{bug_details(error)}"


def crash_dialog(parent: QWidget | None, error: BaseException, action: str | None) -> QMessageBox:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(f"{APP_NAME} – Unerwarteter Fehler")
    box.setText(crash_text(error, action))
    box.setAccessibleName("Unerwarteter Fehler")
    details = crash_details(error, action)
    open_log = box.addButton(OPEN_LOG, QMessageBox.ButtonRole.ActionRole)
    open_log.setAccessibleName(OPEN_LOG)
    open_log.setProperty("role", "open_log")
    copy = box.addButton(COPY_DETAILS, QMessageBox.ButtonRole.ActionRole)
    copy.setAccessibleName(COPY_DETAILS)
    copy.setProperty("role", "copy")
    copy.setProperty("details", details)
    ok = box.addButton("OK", QMessageBox.ButtonRole.AcceptRole)
    ok.setAccessibleName("Meldung schließen")
    box.setDefaultButton(ok)
    box.setEscapeButton(ok)
    return box


def _exec(box: QMessageBox) -> None:
    """Show the dialog until the user closes it; the two action buttons keep it open."""
    while True:
        box.exec()
        clicked = box.clickedButton()
        role = clicked.property("role") if clicked is not None else None
        if role == "copy":
            QGuiApplication.clipboard().setText(str(clicked.property("details")))
            clicked.setText(COPIED)
        elif role == "open_log":
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_file())))
        else:
            return


def report_crash(
    parent: QWidget | None, error: BaseException, *, action: str | None = None
) -> None:
    """Log an unexpected error (no personal data) and tell the user in German."""
    log_bug(log, f"Unerwarteter Fehler bei {action or 'einer Aktion im Fenster'}", error)
    show_crash(parent, error, action=action)


def show_crash(parent: QWidget | None, error: BaseException, *, action: str | None = None) -> None:
    """The crash dialog alone, for an error that was logged already."""
    _exec(crash_dialog(parent, error, action))


def _hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
    if isinstance(error, UserError):
        show_user_error(QApplication.activeWindow(), error)
        return
    report_crash(QApplication.activeWindow(), error.with_traceback(tb))


class _Relay(QObject):
    """Carries an error from another thread to the GUI thread (queued signal)."""

    crashed = Signal(object, str)

    def __init__(self) -> None:
        super().__init__()
        self.crashed.connect(self._show)

    def _show(self, error: BaseException, thread_name: str) -> None:
        report_crash(QApplication.activeWindow(), error, action=f"Hintergrundarbeit {thread_name}")


_relay: _Relay | None = None


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is None or isinstance(args.exc_value, SystemExit):
        return
    error = args.exc_value
    if error.__traceback__ is None and args.exc_traceback is not None:
        error = error.with_traceback(args.exc_traceback)
    name = args.thread.name if args.thread is not None else "?"
    if _relay is None:
        log_bug(log, f"Unerwarteter Fehler im Thread {name}", error)
        return
    _relay.crashed.emit(error, name)


def install_exception_hook() -> None:
    """Route exceptions from Qt slots and threads to a dialog instead of ending the program.

    Call on the GUI thread once the QApplication exists.
    """
    global _relay
    _relay = _Relay()
    sys.excepthook = _hook
    threading.excepthook = _thread_hook
    sys.unraisablehook = log_unraisable
