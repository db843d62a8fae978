"""Background jobs: result, progress, cancel, user errors and bugs back on the GUI thread."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget
from pytestqt.qtbot import QtBot

from integrationsmanager.domain.errors import UserError
from integrationsmanager.services.measures import count_measures
from integrationsmanager.storage.database import Database
from integrationsmanager.ui import errors
from integrationsmanager.ui.tasks import Progress, run_task
from tests.ui.helpers import add_measure


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []
    for kind in ("warning", "critical"):
        monkeypatch.setattr(
            QMessageBox,
            kind,
            lambda _parent, _title, text, kind=kind: shown.append((kind, text)),
        )
    monkeypatch.setattr(errors, "_exec", lambda box: shown.append(("critical", box.text())))
    return shown


def test_job_runs_in_a_worker_with_its_own_session(
    parent: QWidget, db: Database, dialogs: list[tuple[str, str]]
) -> None:
    add_measure(db, "Elterncafé")
    threads: list[int] = []

    def job(progress: Progress) -> int:
        threads.append(threading.get_ident())
        assert progress(1, 2)
        with db.session() as session:
            return count_measures(session)

    outcome = run_task(parent, job, title="Test", label="Läuft …")
    assert outcome.ok
    assert outcome.value == 1
    assert threads and threads[0] != threading.get_ident()
    assert dialogs == []


def test_cancel_makes_progress_return_false(
    parent: QWidget, dialogs: list[tuple[str, str]]
) -> None:
    seen: list[bool] = []

    def job(progress: Progress) -> None:
        for done in range(10_000):
            if not progress(done, 10_000):
                seen.append(False)
                raise UserError("Abgebrochen.")
            time.sleep(0.002)

    def press_escape() -> None:
        dialog = parent.findChild(QProgressDialog)
        assert dialog is not None
        QTest.keyClick(dialog, Qt.Key.Key_Escape)

    QTimer.singleShot(100, press_escape)
    outcome = run_task(parent, job, title="Test", label="Läuft …")
    assert outcome.cancelled
    assert not outcome.ok
    assert seen == [False]
    assert dialogs == []  # a cancel is no error


def test_user_error_comes_back_in_german(parent: QWidget, dialogs: list[tuple[str, str]]) -> None:
    def job(_progress: Progress) -> None:
        raise UserError("Die Datei ist schreibgeschützt.")

    outcome = run_task(parent, job, title="Export", label="…")
    assert str(outcome.error) == "Die Datei ist schreibgeschützt."
    assert dialogs == [("warning", "Die Datei ist schreibgeschützt.")]
    quiet = run_task(parent, job, title="Export", label="…", report_errors=False)
    assert quiet.error is not None
    assert len(dialogs) == 1


def test_a_bug_is_logged_and_reported_as_unexpected(
    parent: QWidget, dialogs: list[tuple[str, str]], caplog: pytest.LogCaptureFixture
) -> None:
    def job(_progress: Progress) -> None:
        raise ZeroDivisionError("bug")

    outcome = run_task(parent, job, title="Bericht", label="…")
    assert outcome.crashed
    assert [kind for kind, _text in dialogs] == ["critical"]
    assert "unerwarteter Fehler" in dialogs[0][1]
    assert "ZeroDivisionError" in caplog.text
