"""Long jobs (reports, exports, imports) off the GUI thread, behind a cancellable progress dialog.

A job is a plain callable that receives a progress callback ``(done, total) -> bool``; the
callback returns False once the user pressed "Abbrechen", and the job should then stop (the
report writers raise a :class:`UserError` for that). The job opens its own database session
inside the worker (SQLite objects must not cross threads)::

    def job(progress: Progress) -> int:
        with database.session() as session:
            return write_measures_report(session, path, flt, progress=progress)

    outcome = run_task(self, job, title="Bericht", label="Der Bericht wird erstellt …")

:func:`run_task` returns when the job has ended; the dialog is window-modal meanwhile.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QEventLoop, QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from integrationsmanager.domain.errors import UserError
from integrationsmanager.logs import log_bug
from integrationsmanager.ui.errors import show_crash

log = logging.getLogger(__name__)

T = TypeVar("T")
Progress = Callable[[int, int], bool]
"""``progress(done, total)``: report progress; False means the user cancelled."""

_PROGRESS_INTERVAL_S = 0.05
"""At most this often does a job's progress reach the dialog (jobs may call it per row)."""
SHOW_AFTER_MS = 400
"""Quick jobs finish without a dialog flashing up."""


@dataclass
class TaskOutcome(Generic[T]):
    """How a job ended: its value, the user-facing error it raised, or cancelled."""

    value: T | None = None
    error: UserError | None = None
    cancelled: bool = False
    crashed: bool = False
    bug: BaseException | None = None
    """The unexpected exception behind ``crashed`` (logged by type and traceback only)."""

    @property
    def ok(self) -> bool:
        return self.error is None and not self.cancelled and not self.crashed


class _ProgressDialog(QProgressDialog):
    """Esc cancels the job (a plain QProgressDialog only hides itself and lets it run)."""

    def reject(self) -> None:
        self.canceled.emit()


class _Signals(QObject):
    progressed = Signal(int, int)
    ended = Signal()


class _Worker(QRunnable):
    """Runs the job in a pool thread; results go back through queued signals."""

    def __init__(self, job: Callable[[Progress], T], outcome: TaskOutcome[T]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.signals = _Signals()
        self.cancel_requested = threading.Event()
        self._job = job
        self._outcome = outcome
        self._last_report = 0.0

    def run(self) -> None:
        try:
            self._outcome.value = self._job(self._progress)
        except UserError as err:
            self._outcome.error = err
        except Exception as err:
            log_bug(log, "Hintergrundaufgabe fehlgeschlagen", err)
            self._outcome.crashed = True
            self._outcome.bug = err
        if self.cancel_requested.is_set() and not self._outcome.crashed:
            self._outcome.cancelled = True
        self.signals.ended.emit()

    def _progress(self, done: int, total: int) -> bool:
        now = time.monotonic()
        if done >= total or now - self._last_report >= _PROGRESS_INTERVAL_S:
            self._last_report = now
            self.signals.progressed.emit(done, total)
        return not self.cancel_requested.is_set()


def run_task(
    parent: QWidget | None,
    job: Callable[[Progress], T],
    *,
    title: str,
    label: str,
    report_errors: bool = True,
) -> TaskOutcome[T]:
    """Run ``job`` in a worker thread behind a window-modal progress dialog; wait for it.

    A :class:`UserError` from the job comes back in ``outcome.error`` (and is shown in a
    dialog unless ``report_errors`` is False); after a cancel it counts as cancelled. Any
    other exception is logged and reported as an unexpected error.
    """
    outcome: TaskOutcome[T] = TaskOutcome()
    worker = _Worker(job, outcome)
    dialog = _ProgressDialog(label, "Abbrechen", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(SHOW_AFTER_MS)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.canceled.connect(worker.cancel_requested.set)

    def on_progressed(done: int, total: int) -> None:
        if not worker.cancel_requested.is_set():
            dialog.setMaximum(max(total, 1))
            dialog.setValue(min(done, max(total, 1)))

    loop = QEventLoop()
    worker.signals.progressed.connect(on_progressed, Qt.ConnectionType.QueuedConnection)
    worker.signals.ended.connect(loop.quit, Qt.ConnectionType.QueuedConnection)
    pool = QThreadPool()
    pool.start(worker)
    loop.exec()
    # The worker has sent its last signal; wait until its thread has let go of it, too.
    pool.waitForDone()
    worker.signals.progressed.disconnect(on_progressed)
    dialog.canceled.disconnect(worker.cancel_requested.set)
    dialog.hide()
    dialog.deleteLater()

    if outcome.crashed and outcome.bug is not None:
        show_crash(parent, outcome.bug, action=title)
    elif outcome.error is not None and not outcome.cancelled and report_errors:
        QMessageBox.warning(parent, title, str(outcome.error))
    return outcome
