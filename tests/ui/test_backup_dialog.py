"""The "Datensicherung" dialog, the restore the main window runs, and the backup timer."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from integrationsmanager.domain.common import Setting
from integrationsmanager.services import backups
from integrationsmanager.storage.backup import backup_name, list_backups, write_backup
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.backup_dialog import (
    BackupDialog,
    BackupTimer,
    make_backup_on_close,
    restore_and_reopen,
)
from tests.ui.helpers import nameless_controls

Button = QMessageBox.StandardButton


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "Sicherungen"
    backups.set_backup_folder(path)
    yield path
    backups.set_backup_folder(None)


def _recorder(shown: list[str]) -> Any:
    def warning(*args: Any) -> Button:
        shown.append(args[2])
        return Button.Ok

    return warning


def _put(db: Database, value: str) -> None:
    with db.session() as session:
        session.merge(Setting(key="test.value", value=value))


def _value(db: Database) -> str | None:
    with db.session() as session:
        row = session.get(Setting, "test.value")
        return row.value if row is not None else None


def test_dialog_backs_up_and_lists(qtbot: QtBot, db: Database, folder: Path) -> None:
    dialog = BackupDialog(db)
    qtbot.addWidget(dialog)
    assert dialog.folder_edit.text() == str(folder)
    assert dialog.model.rowCount() == 0
    assert "Noch keine Sicherung" in dialog.last_label.text()
    assert not dialog.restore_button.isEnabled()

    info = dialog.back_up_now()

    assert info is not None and info.path.parent == folder
    assert [b.path for b in list_backups(folder, "test")] == [info.path]
    assert dialog.model.rowCount() == 1
    assert dialog.model.item(0, 2).text() == "in Ordnung"
    assert "MB" in dialog.model.item(0, 1).text()
    assert "geprüft: in Ordnung" in dialog.last_label.text()
    assert dialog.restore_button.isEnabled() and dialog.check_button.isEnabled()


def test_every_control_has_a_name_and_a_keyboard_path(
    qtbot: QtBot, db: Database, folder: Path
) -> None:
    write_backup(db, folder / backup_name("test", datetime(2026, 1, 2)))
    dialog = BackupDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert nameless_controls(dialog) == []
    dialog.table.setFocus()
    assert dialog.table.currentIndex().row() == 0 or dialog.table.selectionModel().hasSelection()
    texts = [b.text() for b in (dialog.backup_button, dialog.check_button, dialog.restore_button)]
    assert all("&" in text for text in texts)


def test_changing_the_folder(
    qtbot: QtBot, db: Database, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen = tmp_path / "Netzlaufwerk"
    chosen.mkdir()
    write_backup(db, chosen / backup_name("test", datetime(2026, 1, 2, 3, 4, 5)))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a: str(chosen))
    dialog = BackupDialog(db)
    qtbot.addWidget(dialog)
    dialog.choose_folder()
    assert backups.backup_folder() == chosen
    assert dialog.folder_edit.text() == str(chosen)
    assert dialog.model.item(0, 0).text() == "02.01.2026 03:04:05"


def test_check_marks_a_damaged_backup(qtbot: QtBot, db: Database, folder: Path) -> None:
    _put(db, "x" * 300_000)
    path = write_backup(db, folder / backup_name("test", datetime(2026, 1, 2))).path
    data = bytearray(path.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 16384] = b"\xff" * 16384
    path.write_bytes(bytes(data))
    dialog = BackupDialog(db)
    qtbot.addWidget(dialog)
    assert dialog.model.item(0, 2).text() == "beim Sichern geprüft"
    check = dialog.check_selected()
    assert check is not None and not check.ok
    assert dialog.model.item(0, 2).text() == "beschädigt oder nicht verwendbar"


def test_restore_asks_then_main_window_restores_and_reopens(
    qtbot: QtBot, db: Database, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _put(db, "Stand der Sicherung – Шевченко")
    dialog = BackupDialog(db)
    qtbot.addWidget(dialog)
    dialog.back_up_now()
    _put(db, "später")
    asked: list[str] = []

    def warning(*args: Any) -> Button:
        asked.append(args[2])
        return Button.Cancel

    monkeypatch.setattr(QMessageBox, "warning", warning)
    assert not dialog.restore_selected()
    assert "fehlt danach" in asked[0] and "vor-wiederherstellung" in asked[0]

    monkeypatch.setattr(QMessageBox, "warning", lambda *_a: Button.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda *_a: Button.Ok)
    with qtbot.waitSignal(dialog.restore_requested) as signal:
        assert dialog.restore_selected()
    source = signal.args[0]

    restored = restore_and_reopen(None, db, source)
    assert restored is not None
    try:
        assert _value(restored) == "Stand der Sicherung – Шевченко"
    finally:
        restored.close()
    kept = list(db.path.parent.glob("test.vor-wiederherstellung-*.sqlite"))  # type: ignore[union-attr]
    assert len(kept) == 1


def test_a_refused_restore_keeps_the_old_database_usable(
    qtbot: QtBot, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _put(db, "bleibt")
    garbage = tmp_path / "kaputt.sqlite"
    garbage.write_text("kein SQLite")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", _recorder(shown))
    assert restore_and_reopen(None, db, garbage) is None
    assert "keine Datenbank" in shown[0]
    assert _value(db) == "bleibt"


def test_a_bad_file_is_refused_before_asking(
    qtbot: QtBot, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "fremd.sqlite"
    connection = sqlite3.connect(source)
    connection.execute("CREATE TABLE kunden (name TEXT)")
    connection.commit()
    connection.close()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a: (str(source), ""))
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", _recorder(shown))
    dialog = BackupDialog(db)
    qtbot.addWidget(dialog)
    with qtbot.assertNotEmitted(dialog.restore_requested):
        assert not dialog.restore_from_file()
    assert len(shown) == 1 and "keine Datenbank" in shown[0] and "nichts verändert" in shown[0]


def test_backup_on_close_and_timer(qtbot: QtBot, db: Database, folder: Path) -> None:
    assert make_backup_on_close(db)
    assert len(list_backups(folder, "test")) == 1
    assert not make_backup_on_close(db)  # nothing changed since: no second copy
    with db.session() as session:
        session.merge(Setting(key="test.more", value="neu"))
    assert backups.changed_since_last_backup(db)
    assert make_backup_on_close(db)
    assert not backups.changed_since_last_backup(db)
    timer = BackupTimer(db, first_check_ms=10_000_000)
    assert not timer.check_now()  # today's backup exists
    timer.stop()


def test_timer_writes_the_daily_backup_in_the_background(
    qtbot: QtBot, db: Database, folder: Path
) -> None:
    timer = BackupTimer(db, first_check_ms=10)
    with qtbot.waitSignal(timer.finished, timeout=10_000) as signal:
        pass
    assert signal.args == [True]
    assert len(list_backups(folder, "test")) == 1
    assert not backups.backup_due(db, datetime.now())
    timer.stop()


def test_backup_on_close_never_raises(
    db: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "datei"
    blocker.write_text("ein Ordner kann hier nicht entstehen")
    backups.set_backup_folder(blocker / "Sicherungen")
    try:
        make_backup_on_close(db)
    finally:
        backups.set_backup_folder(None)
    assert "Sicherung beim Beenden fehlgeschlagen: UserError" in caplog.text
    last = backups.last_backup(db)
    assert last is not None and not last.ok
