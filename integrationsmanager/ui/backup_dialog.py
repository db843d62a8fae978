"""Datensicherung: the backup folder, the backups in it, back up now, restore.

For the main window (five lines of wiring)::

    self.backup_timer = BackupTimer(self.database, self)            # daily backup while open
    dialog = BackupDialog(self.database, self)                       # menu "Datensicherung …"
    dialog.restore_requested.connect(self._restore)                  # path of a checked backup
    new_database = restore_and_reopen(self, self.database, path)     # in _restore; None: kept
    self.hide(); self.backup_timer.stop(); make_backup_on_close(self.database)  # closeEvent

A restore replaces the database file, which must be closed for that: the dialog only checks
the backup and asks; :func:`restore_and_reopen` closes the database, restores and opens the
result (or the old file again if the restore was refused).
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from integrationsmanager.domain.errors import UserError
from integrationsmanager.services.backups import (
    automatic_backup,
    backup_due,
    backup_folder,
    backups_of,
    changed_since_last_backup,
    last_backup,
    make_backup,
    set_backup_folder,
)
from integrationsmanager.storage.backup import BackupCheck, BackupInfo, verify_backup
from integrationsmanager.storage.database import Database, open_database
from integrationsmanager.ui.tasks import Progress, run_task
from integrationsmanager.ui.widgets.files import ask_open_path

log = logging.getLogger(__name__)

TITLE = "Datensicherung"
CHECK_INTERVAL_MS = 60 * 60 * 1000
FIRST_CHECK_MS = 5 * 60 * 1000
"""The first check a few minutes after the start, so starting stays quick."""
_WRITTEN_CHECKED = "beim Sichern geprüft"


def _size(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")


def _when(moment: datetime) -> str:
    return moment.strftime("%d.%m.%Y %H:%M:%S")


class BackupDialog(QDialog):
    """Backup folder, last backup, the list of backups and the actions on them."""

    restore_requested = Signal(Path)
    """The user confirmed restoring this (checked) backup; the main window does it."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._database = database
        self._checks: dict[Path, BackupCheck] = {}
        self._backups: list[BackupInfo] = []
        self.setWindowTitle(TITLE)

        intro = QLabel(
            "Das Programm sichert die Datenbank beim Beenden und einmal täglich in den "
            "Sicherungsordner und prüft jede Sicherung. Aufbewahrt werden die letzten 7 Tage, "
            "4 Wochen und 12 Monate. Ein Netzlaufwerk als Sicherungsordner schützt auch vor "
            "dem Verlust des Laptops."
        )
        intro.setWordWrap(True)

        self.folder_edit = QLineEdit()
        self.folder_edit.setReadOnly(True)
        self.folder_edit.setAccessibleName("Sicherungsordner")
        self.folder_button = QPushButton("Ordner &ändern …")
        self.folder_button.setAccessibleName("Sicherungsordner ändern")
        self.folder_button.clicked.connect(self.choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.folder_button)
        self.last_label = QLabel()
        self.last_label.setWordWrap(True)
        self.last_label.setAccessibleName("Letzte Sicherung")
        self.last_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        form = QFormLayout()
        folder_label = QLabel("&Sicherungsordner:")
        folder_label.setBuddy(self.folder_edit)
        form.addRow(folder_label, folder_row)
        form.addRow("Letzte Sicherung:", self.last_label)

        self.model = QStandardItemModel(0, 3, self)
        self.model.setHorizontalHeaderLabels(["Datum", "Größe", "Prüfung"])
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Vorhandene Sicherungen")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setAccessibleName("Spalten der Sicherungen")
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        list_label = QLabel("&Vorhandene Sicherungen (neueste zuerst):")
        list_label.setBuddy(self.table)

        self.backup_button = QPushButton("&Jetzt sichern")
        self.backup_button.setAccessibleName("Jetzt sichern")
        self.backup_button.clicked.connect(self.back_up_now)
        self.check_button = QPushButton("&Prüfen")
        self.check_button.setAccessibleName("Ausgewählte Sicherung prüfen")
        self.check_button.clicked.connect(self.check_selected)
        self.restore_button = QPushButton("&Wiederherstellen …")
        self.restore_button.setAccessibleName("Ausgewählte Sicherung wiederherstellen")
        self.restore_button.clicked.connect(self.restore_selected)
        self.file_button = QPushButton("Aus &Datei wiederherstellen …")
        self.file_button.setAccessibleName("Sicherung aus einer Datei wiederherstellen")
        self.file_button.clicked.connect(self.restore_from_file)
        actions = QHBoxLayout()
        for button in (self.backup_button, self.check_button, self.restore_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.file_button)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText("Schließen")
        close.setAccessibleName("Schließen")
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(list_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(buttons)
        enabled = database.path is not None
        for button in (self.backup_button, self.folder_button):
            button.setEnabled(enabled)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.refresh()
        width = self.fontMetrics().averageCharWidth() * 100
        self.resize(width, self.fontMetrics().height() * 28)

    # --- state -----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the folder, the last result and the list of backups again."""
        self.folder_edit.setText(str(backup_folder()))
        last = last_backup(self._database)
        if self._database.path is None:
            self.last_label.setText("Für eine Serverdatenbank sorgt die IT für Sicherungen.")
        elif last is None:
            self.last_label.setText("Noch keine Sicherung auf diesem Computer.")
        else:
            result = last.message if last.ok else f"fehlgeschlagen: {last.message}"
            self.last_label.setText(f"{_when(last.when)} – {result}")
        self._backups = backups_of(self._database)
        self.model.removeRows(0, self.model.rowCount())
        for info in self._backups:
            check = self._checks.get(info.path)
            status = _WRITTEN_CHECKED if check is None else _check_text(check)
            row = [QStandardItem(_when(info.created)), QStandardItem(_size(info.size))]
            row[1].setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            row.append(QStandardItem(status))
            self.model.appendRow(row)
        if self._backups:
            self.table.selectRow(0)
        self._update_buttons()

    def selected_backup(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self._backups[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        chosen = self.selected_backup() is not None
        self.check_button.setEnabled(chosen)
        self.restore_button.setEnabled(chosen and self._database.path is not None)
        self.file_button.setEnabled(self._database.path is not None)

    # --- actions ---------------------------------------------------------------------------

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, "Sicherungsordner wählen", str(backup_folder())
        )
        if not chosen:
            return
        try:
            set_backup_folder(Path(chosen))
        except OSError as err:
            QMessageBox.warning(
                self, TITLE, f"Der Ordner konnte nicht gespeichert werden ({err.strerror})."
            )
            return
        self.refresh()

    def back_up_now(self) -> BackupInfo | None:
        database = self._database

        def job(progress: Progress) -> BackupInfo:
            return make_backup(database, datetime.now(), progress=progress)

        outcome = run_task(self, job, title=TITLE, label="Die Datenbank wird gesichert …")
        if outcome.value is not None:
            self._checks[outcome.value.path] = BackupCheck(outcome.value.path, True, "")
        self.refresh()
        return outcome.value

    def check_selected(self) -> BackupCheck | None:
        info = self.selected_backup()
        if info is None:
            return None
        check = self._check(info.path)
        if check is not None:
            self._checks[info.path] = check
            self.refresh()
        return check

    def restore_selected(self) -> bool:
        info = self.selected_backup()
        return info is not None and self._confirm_restore(info.path, _when(info.created))

    def restore_from_file(self) -> bool:
        path = ask_open_path(
            self,
            caption="Sicherung wählen",
            file_filter="Datenbank (*.sqlite *.db);;Alle Dateien (*)",
            folder_key="backup/restore_folder",
        )
        return path is not None and self._confirm_restore(path, f"„{path.name}“")

    def _check(self, path: Path) -> BackupCheck | None:
        outcome = run_task(
            self,
            lambda _progress: verify_backup(path),
            title=TITLE,
            label="Die Sicherung wird geprüft …",
        )
        return outcome.value

    def _confirm_restore(self, path: Path, label: str) -> bool:
        check = self._check(path)
        if check is None:
            return False
        if not check.ok:
            QMessageBox.warning(self, TITLE, f"{check.message}\n\nEs wurde nichts verändert.")
            return False
        stem = self._database.path.stem if self._database.path else ""
        answer = QMessageBox.warning(
            self,
            "Sicherung wiederherstellen?",
            f"Die Datenbank „{self._database.display_name}“ wird durch die Sicherung {label} "
            "ersetzt.\n\nAlles, was seit dieser Sicherung eingegeben wurde, fehlt danach. "
            "Die bisherige Datenbank wird vorher daneben aufbewahrt "
            f"(„{stem}.vor-wiederherstellung-….sqlite“).\n\nDas Programm schließt dazu die "
            "Datenbank und öffnet sie danach neu. Jetzt wiederherstellen?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        self.restore_requested.emit(path)
        self.accept()
        return True


def _check_text(check: BackupCheck) -> str:
    if not check.ok:
        return "beschädigt oder nicht verwendbar"
    if check.older_schema:
        return "in Ordnung (ältere Programmversion)"
    return "in Ordnung"


def restore_and_reopen(parent: QWidget | None, database: Database, source: Path) -> Database | None:
    """Close ``database``, restore ``source`` over its file and open the result.

    Returns the newly opened database, or None if the restore was refused: the file was not
    changed and ``database`` stays usable (a closed engine opens new connections on demand).
    A message tells the user what happened either way.
    """
    from integrationsmanager.storage.backup import restore_backup

    if database.path is None:
        return None
    path = database.path
    database.close()
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        info = restore_backup(source, path)
    except UserError as err:
        QApplication.restoreOverrideCursor()
        QMessageBox.warning(parent, TITLE, str(err))
        return None
    try:
        restored = open_database(path)
    finally:
        QApplication.restoreOverrideCursor()
    kept = (
        f"\n\nDie bisherige Datenbank liegt in:\n{info.replaced_copy}" if info.replaced_copy else ""
    )
    QMessageBox.information(
        parent, TITLE, f"Die Sicherung wurde wiederhergestellt und geöffnet.{kept}"
    )
    return restored


def make_backup_on_close(database: Database) -> bool:
    """Back up when the program closes, unless nothing changed since the last backup.

    A failure is logged, never shown, never raised. At 100,000 people and 50,000 grants the
    backup with its integrity check takes some seconds: hide the window before calling this.
    Returns True if a backup was written.
    """
    if database.path is None or not changed_since_last_backup(database):
        return False
    try:
        make_backup(database, datetime.now())
    except Exception as err:
        # Type only: messages may name files and the log holds no personal data.
        log.warning("Sicherung beim Beenden fehlgeschlagen: %s", type(err).__name__)
        return False
    return True


class _BackupRun(QRunnable):
    def __init__(self, database: Database, signals: BackupTimer) -> None:
        super().__init__()
        self._database = database
        self._signals = signals

    def run(self) -> None:
        try:
            info = automatic_backup(self._database, datetime.now())
        except Exception as err:
            log.warning("Automatische Sicherung fehlgeschlagen: %s", type(err).__name__)
            self._signals.finished.emit(False)
            return
        self._signals.finished.emit(info is not None)


class BackupTimer(QObject):
    """Checks hourly (first a few minutes after the start) whether today's backup is due,
    and then writes it in a background thread."""

    finished = Signal(bool)
    """A check ended: True if a backup was written."""

    def __init__(
        self,
        database: Database,
        parent: QObject | None = None,
        *,
        interval_ms: int = CHECK_INTERVAL_MS,
        first_check_ms: int = FIRST_CHECK_MS,
    ) -> None:
        super().__init__(parent)
        self._database = database
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check_now)
        self._timer.start()
        self._first = QTimer(self)
        self._first.setSingleShot(True)
        self._first.timeout.connect(self.check_now)
        self._first.start(first_check_ms)

    def check_now(self) -> bool:
        """Start a backup if one is due and none is running; True if one was started."""
        if self._pool.activeThreadCount() or not backup_due(self._database, datetime.now()):
            return False
        self._pool.start(_BackupRun(self._database, self))
        return True

    def stop(self, wait_ms: int = 30_000) -> None:
        """Stop checking and let a running backup finish (call before closing the database)."""
        self._timer.stop()
        self._first.stop()
        self._pool.waitForDone(wait_ms)
