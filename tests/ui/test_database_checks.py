"""The database menu, the check dialog and the quick check before the window opens."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from integrationsmanager.services import backups
from integrationsmanager.services.demo import create_demo_data
from integrationsmanager.storage.backup import backup_name, write_backup
from integrationsmanager.storage.database import Database, open_database
from integrationsmanager.ui import check_dialog, startup_check
from integrationsmanager.ui.check_dialog import CheckDialog
from integrationsmanager.ui.main_window import MainWindow
from integrationsmanager.ui.startup_check import (
    BackgroundCheck,
    DamageDialog,
    StartCheck,
    check_before_open,
)

from .helpers import nameless_controls


@pytest.fixture
def window(qtbot: QtBot, db: Database) -> MainWindow:
    QSettings().clear()
    main = MainWindow(db)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    return main


def damage(path: Path) -> None:
    """Overwrite the start of every page after the first two: the tables' b-trees break."""
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    for page in range(2, len(data) // page_size):
        data[page * page_size : page * page_size + 40] = b"\xde\xad\xbe\xef" * 10
    path.write_bytes(bytes(data))


@pytest.fixture
def backup_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "Sicherungen"
    folder.mkdir()
    monkeypatch.setattr(backups, "backup_folder", lambda: folder)
    return folder


def test_database_menu_offers_the_four_tools_by_keyboard(window: MainWindow, qtbot: QtBot) -> None:
    texts = [a.text() for a in window.database_menu.actions()]
    assert texts == [
        "&Datensicherung …",
        "Datenbank &prüfen …",
        "Ä&nderungsprotokoll …",
        "&Löschfristen (Datenschutz) …",
    ]
    shortcuts = [a.shortcut().toString() for a in window.database_menu.actions()]
    assert shortcuts == ["Ctrl+Shift+B", "Ctrl+Shift+P", "Ctrl+Shift+H", "Ctrl+Shift+L"]
    assert window.database_button.text() == "&Datenbank …"
    assert nameless_controls(window.database_button.parentWidget()) == []
    qtbot.waitUntil(lambda: window.backup_timer is not None, timeout=5000)


def test_each_menu_entry_opens_its_dialog(window: MainWindow, qtbot: QtBot) -> None:
    from integrationsmanager.ui.audit.change_log import ChangeLogDialog
    from integrationsmanager.ui.backup_dialog import BackupDialog
    from integrationsmanager.ui.privacy.due_dialog import PrivacyDueDialog

    for opener, kind in (
        (window.open_backups, BackupDialog),
        (window.open_change_log, ChangeLogDialog),
        (window.open_privacy_due, PrivacyDueDialog),
    ):
        dialog = opener()
        assert isinstance(dialog, kind)
        assert dialog.isVisible()
        dialog.reject()


def test_check_dialog_shows_the_report_and_saves_it(
    qtbot: QtBot, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with db.session() as session:
        create_demo_data(session)
    with sqlite3.connect(db.path) as raw:  # type: ignore[arg-type]
        raw.execute("UPDATE action_item SET done_on = '2025-01-02' WHERE status != 'done'")
    raw.close()
    dialog = CheckDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    report = dialog.run_check()
    assert report is not None and not report.ok
    assert "Fehler" in dialog.verdict.text()
    assert "hat ein Erledigt-Datum, ist aber nicht erledigt" in dialog.text.toPlainText()
    target = tmp_path / "bericht.txt"
    monkeypatch.setattr(check_dialog, "ask_save_path", lambda *a, **k: target)
    dialog.save_report()
    assert target.read_text(encoding="utf-8") == report.as_text()
    assert nameless_controls(dialog) == []


def test_check_from_the_menu_on_a_clean_database(window: MainWindow) -> None:
    dialog = window.open_check()
    assert dialog.report is not None and dialog.report.ok
    assert dialog.verdict.text() == "✔ Die Datenbank ist in Ordnung."
    dialog.reject()


def test_intact_file_opens_without_asking(qtbot: QtBot, db_path: Path, backup_folder: Path) -> None:
    open_database(db_path).close()
    assert check_before_open(db_path) == StartCheck.PASSED
    assert check_before_open(db_path.with_name("neu.sqlite")) == StartCheck.PASSED
    assert check_before_open(db_path, budget_s=0) == StartCheck.UNFINISHED


def test_damaged_file_without_backup_is_left_alone(
    qtbot: QtBot, db_path: Path, backup_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = open_database(db_path)
    with database.session() as session:
        create_demo_data(session)
    database.close()
    damage(db_path)
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()
    shown: list[DamageDialog] = []

    def fake_exec(dialog: DamageDialog) -> int:
        shown.append(dialog)
        assert dialog.restore_button is None
        dialog.quit_button.click()
        return 0

    monkeypatch.setattr(DamageDialog, "exec", fake_exec)
    assert check_before_open(db_path) == StartCheck.REFUSED
    assert "Eine einwandfreie Datensicherung wurde nicht gefunden" in shown[0].informativeText()
    assert "beschädigt" in shown[0].detailedText()
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before


def test_damaged_file_restored_from_the_newest_good_backup(
    qtbot: QtBot, db_path: Path, backup_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = open_database(db_path)
    with database.session() as session:
        create_demo_data(session)
    good = write_backup(
        database, backup_folder / backup_name(db_path.stem, datetime(2026, 11, 20, 9, 0))
    )
    database.close()
    newer_but_damaged = backup_folder / backup_name(db_path.stem, datetime(2026, 11, 24, 9, 0))
    shutil.copy(good.path, newer_but_damaged)
    damage(newer_but_damaged)
    damage(db_path)
    damaged_bytes = db_path.read_bytes()

    def fake_exec(dialog: DamageDialog) -> int:
        assert dialog.restore_button is not None
        assert "20.11.2026" in dialog.restore_button.text()
        dialog.restore_button.click()
        return 0

    monkeypatch.setattr(DamageDialog, "exec", fake_exec)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.StandardButton.Ok)
    assert check_before_open(db_path) == StartCheck.PASSED
    kept = list(db_path.parent.glob(f"{db_path.stem}.beschaedigt-*.sqlite"))
    assert len(kept) == 1 and kept[0].read_bytes() == damaged_bytes
    restored = open_database(db_path)
    try:
        from integrationsmanager.services.check import check_database

        assert check_database(restored).ok
        with restored.session() as session:
            from integrationsmanager.services.demo import has_data

            assert has_data(session)
    finally:
        restored.close()


def test_damage_dialog_names_the_backup_date(qtbot: QtBot, tmp_path: Path) -> None:
    from integrationsmanager.services.check import CheckReport, Severity
    from integrationsmanager.storage.backup import BackupInfo

    report = CheckReport(database="x")
    report.add(Severity.ERROR, "Datei", None, "Die Datei ist beschädigt.")
    info = BackupInfo(tmp_path / "b.sqlite", datetime(2026, 11, 24, 17, 5), 10)
    dialog = DamageDialog(tmp_path / "daten.sqlite", report, info, None)
    qtbot.addWidget(dialog)
    assert "24.11.2026, 17:05 Uhr" in dialog.informativeText()
    assert dialog.escapeButton() is dialog.quit_button
    assert startup_check.file_damaged(report)


def test_start_refuses_a_file_open_in_another_window(
    qtbot: QtBot, db_path: Path, backup_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from integrationsmanager.storage.locking import AlreadyOpen, acquire_instance_lock, lock_path
    from integrationsmanager.ui.app import database_file, prepare_file

    open_database(db_path).close()
    assert database_file(str(db_path)) == db_path.resolve()
    assert database_file(f"sqlite:///{db_path}") == db_path.resolve()
    assert database_file("postgresql://amt@server/im") is None
    with acquire_instance_lock(db_path, user="anna"), pytest.raises(AlreadyOpen) as caught:
        prepare_file(db_path)
    assert "anna" in str(caught.value)
    prepared = prepare_file(db_path)
    assert prepared is not None and prepared[1] == StartCheck.PASSED
    assert lock_path(db_path).exists()
    prepared[0].release()
    damage(db_path)
    monkeypatch.setattr(DamageDialog, "exec", lambda dialog: 0)
    assert prepare_file(db_path) is None
    assert not lock_path(db_path).exists()


def test_background_check_blocks_editing_until_it_passed(
    window: MainWindow, qtbot: QtBot, db: Database
) -> None:
    assert db.path is not None
    check = BackgroundCheck(window, db.path)
    assert not window.isEnabled()
    assert "wird noch geprüft" in window.statusBar().currentMessage()
    with qtbot.waitSignal(check.finished, timeout=20_000) as done:
        pass
    assert done.args is not None and done.args[0].ok
    assert window.isEnabled()
    assert window.backup_on_close


def test_background_check_of_a_damaged_file_closes_the_window(
    window: MainWindow,
    qtbot: QtBot,
    tmp_path: Path,
    backup_folder: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    damaged = tmp_path / "kaputt.sqlite"
    database = open_database(damaged)
    with database.session() as session:
        create_demo_data(session)
    database.close()
    damage(damaged)
    monkeypatch.setattr(DamageDialog, "exec", lambda dialog: 0)
    check = BackgroundCheck(window, damaged)
    with qtbot.waitSignal(check.finished, timeout=20_000):
        pass
    assert not window.isVisible()
    assert not window.backup_on_close
    assert list(backup_folder.iterdir()) == []
