"""Unexpected errors: a German dialog, a log without personal data, and the program goes on."""

from __future__ import annotations

import gc
import logging
import sys
import threading
from collections.abc import Iterator
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from integrationsmanager.logs import log_file, setup_logging
from integrationsmanager.ui import errors
from integrationsmanager.ui.tasks import Progress, run_task

PERSONAL = "Müller, Olena"


@pytest.fixture
def log_path() -> Iterator[Path]:
    """The program's real log file (in the test's private folder), emptied first.

    A handler left by an earlier test (the command line sets up logging) is closed first:
    it would go on writing into the unlinked file.
    """
    root = logging.getLogger()
    _close_file_handlers(root)
    path = log_file()
    if path.exists():
        path.unlink()
    level = root.level
    setup_logging()
    yield path
    _close_file_handlers(root)
    root.setLevel(level)


def _close_file_handlers(root: logging.Logger) -> None:
    for handler in [h for h in root.handlers if isinstance(h, RotatingFileHandler)]:
        root.removeHandler(handler)
        handler.close()


@pytest.fixture
def hooks(monkeypatch: pytest.MonkeyPatch) -> list[QMessageBox]:
    """Install the program's hooks (restored afterwards); record dialogs instead of blocking."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(sys, "unraisablehook", sys.unraisablehook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    shown: list[QMessageBox] = []
    monkeypatch.setattr(errors, "_exec", shown.append)
    errors.install_exception_hook()
    return shown


def _log_text(path: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


@pytest.mark.qt_no_exception_capture
def test_a_failing_slot_shows_a_german_dialog_and_logs_no_personal_data(
    qtbot: QtBot, hooks: list[QMessageBox], log_path: Path
) -> None:
    def save() -> None:
        raise ValueError(PERSONAL)

    button = QPushButton("Speichern")
    qtbot.addWidget(button)
    button.clicked.connect(save)
    button.click()
    assert len(hooks) == 1
    text = hooks[0].text()
    assert "unerwarteter Fehler" in text and "ValueError" in text
    assert "gespeichert haben, ist sicher" in text and str(log_path) in text
    assert PERSONAL not in text
    labels = [b.text() for b in hooks[0].buttons()]
    assert errors.OPEN_LOG in labels and errors.COPY_DETAILS in labels
    logged = _log_text(log_path)
    assert "ValueError" in logged and "in save" in logged and "raise ValueError" in logged
    assert "Müller" not in logged and "Olena" not in logged
    # The program is alive: the same button works again and Qt goes on processing events.
    button.click()
    assert len(hooks) == 2
    qtbot.wait(10)


def test_copy_details_holds_the_code_trace_but_not_the_message(qtbot: QtBot) -> None:
    try:
        raise KeyError(PERSONAL)
    except KeyError as err:
        error = err
    box = errors.crash_dialog(None, error, "Person speichern")
    qtbot.addWidget(box)
    assert "Bei „Person speichern“" in box.text()
    by_label = {b.text(): b for b in box.buttons()}
    QGuiApplication.clipboard().clear()

    def press(label: str) -> None:
        button = by_label[label]
        assert isinstance(button, QPushButton)
        button.click()

    # Copy keeps the dialog open; OK closes it.
    QTimer.singleShot(50, lambda: press(errors.COPY_DETAILS))
    QTimer.singleShot(200, lambda: press("OK"))
    errors._exec(box)
    copied = QGuiApplication.clipboard().text()
    assert "KeyError" in copied and "Person speichern" in copied and "raise KeyError" in copied
    assert "Müller" not in copied and "Olena" not in copied
    assert by_label[errors.COPY_DETAILS].text() == errors.COPIED


def test_a_failing_background_job_shows_the_dialog_with_its_action(
    qtbot: QtBot, hooks: list[QMessageBox], log_path: Path
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)

    def job(_progress: Progress) -> None:
        raise RuntimeError(PERSONAL)

    outcome = run_task(parent, job, title="Kontakte importieren", label="…")
    assert outcome.crashed
    assert len(hooks) == 1 and "„Kontakte importieren“" in hooks[0].text()
    logged = _log_text(log_path)
    assert "RuntimeError" in logged and PERSONAL not in logged


def test_a_crashing_thread_reaches_the_dialog(
    qtbot: QtBot, hooks: list[QMessageBox], log_path: Path
) -> None:
    def work() -> None:
        raise OSError(PERSONAL)

    thread = threading.Thread(target=work, name="Sicherung")
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: len(hooks) == 1)
    assert "Hintergrundarbeit Sicherung" in hooks[0].text()
    logged = _log_text(log_path)
    assert "OSError" in logged and PERSONAL not in logged


def test_unraisable_errors_are_logged_without_their_message(
    hooks: list[QMessageBox], log_path: Path
) -> None:
    class Leaky:
        def __del__(self) -> None:
            raise ValueError(PERSONAL)

    Leaky()
    gc.collect()
    logged = _log_text(log_path)
    assert "Nicht meldbarer Fehler" in logged and "ValueError" in logged
    assert PERSONAL not in logged
    assert hooks == []
