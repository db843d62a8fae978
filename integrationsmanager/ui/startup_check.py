"""Before the window opens: the quick check of the database file, and what to do if it is damaged.

:func:`check_before_open` runs SQLite's ``quick_check`` through a read-only connection
before the program writes anything to the file: milliseconds for a usual database, about
0.3 s (more under load) for one of 100,000 people and 50,000 grants. So that the start stays
fast, it waits at most :data:`START_BUDGET_S`; a larger file is then opened with editing
blocked and checked to the end by :class:`BackgroundCheck`. On damage the
:class:`DamageDialog` explains and offers the newest backup that passes its own check, or to
end the program; a file that failed the check is not opened for writing (one still being
checked is open, but nothing can be edited until it has passed). Opening it read-only is not
offered: the program's pages write as they go (settings, tracking), and a damaged file can
show wrong data without warning.
"""

from __future__ import annotations

import time
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, SignalInstance
from PySide6.QtWidgets import QMessageBox, QWidget

from integrationsmanager import APP_NAME
from integrationsmanager.domain.errors import UserError
from integrationsmanager.services.check import CheckReport, check_database

if TYPE_CHECKING:
    from integrationsmanager.storage.backup import BackupInfo
    from integrationsmanager.ui.main_window import MainWindow

TITLE = f"{APP_NAME} – Datenbank beschädigt"

START_BUDGET_S = 0.15
"""How long the start may wait for the quick check; a larger file is finished in the
background (0.3 s for a database of 100,000 people on an idle machine, more under load)."""


def file_damaged(report: CheckReport) -> bool:
    """Damage of the file itself (not of single records, which the full check reports)."""
    return any(f.area == "Datei" for f in report.errors)


def newest_good_backup(path: Path) -> BackupInfo | None:
    """The newest backup of the database at ``path`` that passes its integrity check."""
    from integrationsmanager.services.backups import backup_folder
    from integrationsmanager.storage.backup import list_backups, verify_backup

    for info in list_backups(backup_folder(), path.stem):
        if verify_backup(info.path).ok:
            return info
    return None


class DamageDialog(QMessageBox):
    """Says what is wrong, offers the newest good backup or to end the program."""

    def __init__(
        self, path: Path, report: CheckReport, backup: BackupInfo | None, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Critical)
        self.setWindowTitle(TITLE)
        self.setText(
            f"Die Datenbank „{path.name}“ ist beschädigt. Damit keine Daten verloren gehen "
            "oder falsch gespeichert werden, öffnet das Programm sie nicht."
        )
        if backup is not None:
            advice = (
                "Sie können die neueste einwandfreie Datensicherung vom "
                f"{backup.created:%d.%m.%Y, %H:%M} Uhr wiederherstellen. Änderungen nach diesem "
                "Zeitpunkt fehlen dann. Die beschädigte Datei wird nicht gelöscht, sondern "
                "umbenannt daneben aufbewahrt (für die IT)."
            )
        else:
            advice = (
                "Eine einwandfreie Datensicherung wurde nicht gefunden. Bitte wenden Sie sich "
                "an die IT und geben Sie die Datei und den Bericht unten weiter."
            )
        self.setInformativeText(advice)
        self.setDetailedText(report.as_text())
        self.restore_button = None
        if backup is not None:
            self.restore_button = self.addButton(
                f"Neueste gute Sicherung vom {backup.created:%d.%m.%Y} wiederherstellen",
                QMessageBox.ButtonRole.AcceptRole,
            )
            self.restore_button.setAccessibleName("Neueste gute Sicherung wiederherstellen")
        self.quit_button = self.addButton("Beenden", QMessageBox.ButtonRole.RejectRole)
        self.quit_button.setAccessibleName("Programm beenden")
        self.setDefaultButton(self.restore_button or self.quit_button)
        self.setEscapeButton(self.quit_button)

    def restore_chosen(self) -> bool:
        return self.restore_button is not None and self.clickedButton() is self.restore_button


class StartCheck(Enum):
    PASSED = "passed"
    """The file is intact (or new): open it."""
    REFUSED = "refused"
    """Damaged and not restored: do not open it."""
    UNFINISHED = "unfinished"
    """A large file: the budget ran out; open it and finish with :class:`BackgroundCheck`."""


def check_before_open(
    path: Path, parent: QWidget | None = None, *, budget_s: float = START_BUDGET_S
) -> StartCheck:
    """Quick-check ``path`` for at most ``budget_s``; on damage ask and maybe restore."""
    if not path.is_file() or path.stat().st_size == 0:
        return StartCheck.PASSED  # a new database is created there
    deadline = time.monotonic() + budget_s
    report = check_database(path, quick=True, progress=lambda _d, _t: time.monotonic() < deadline)
    if report.cancelled:
        return StartCheck.UNFINISHED
    if not file_damaged(report):
        return StartCheck.PASSED
    return StartCheck.PASSED if offer_restore(path, report, parent) else StartCheck.REFUSED


def offer_restore(path: Path, report: CheckReport, parent: QWidget | None) -> bool:
    """Show the :class:`DamageDialog`; True if the newest good backup is now at ``path``.

    The database must be closed (nobody may be writing to ``path``).
    """
    backup = newest_good_backup(path)
    dialog = DamageDialog(path, report, backup, parent)
    dialog.exec()
    if backup is None or not dialog.restore_chosen():
        return False
    from integrationsmanager.storage.backup import restore_backup

    try:
        kept = set_damaged_file_aside(path)
        restore_backup(backup.path, path)
    except (OSError, UserError) as err:
        QMessageBox.critical(parent, TITLE, f"Die Wiederherstellung ist fehlgeschlagen: {err}")
        return False
    QMessageBox.information(
        parent,
        APP_NAME,
        f"Die Sicherung vom {backup.created:%d.%m.%Y, %H:%M} Uhr wurde wiederhergestellt. "
        f"Die beschädigte Datei liegt unverändert in:\n{kept}",
    )
    return True


class _CheckRun(QRunnable):
    def __init__(self, path: Path, done: SignalInstance) -> None:
        super().__init__()
        self._path = path
        self._done = done

    def run(self) -> None:
        self._done.emit(check_database(self._path, quick=True))


class BackgroundCheck(QObject):
    """Finish the quick check of a large file while the window is shown, editing blocked.

    The window's content is disabled (it can be seen, not changed) and the status bar says
    why, until the check has passed. On damage the :class:`DamageDialog` offers the newest
    good backup; without a restore the window closes (and makes no backup of the damage).
    """

    finished = Signal(object)
    """The :class:`CheckReport`, after the window has been released or closed."""
    _done = Signal(object)

    def __init__(self, window: MainWindow, path: Path) -> None:
        super().__init__(window)
        self._window = window
        self._path = path
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._done.connect(self._on_done, Qt.ConnectionType.QueuedConnection)
        window.set_editing_blocked(True, "Die Datenbank wird noch geprüft; gleich geht es los …")
        self._pool.start(_CheckRun(path, self._done))

    def wait(self) -> None:
        self._pool.waitForDone()

    def _on_done(self, report: CheckReport) -> None:
        window = self._window
        if not file_damaged(report):
            window.set_editing_blocked(False, "Datenbank geprüft: in Ordnung")
            self.finished.emit(report)
            return
        window.backup_on_close = False
        window.database.close()
        if offer_restore(self._path, report, window):
            window.backup_on_close = True
            window.reload_after_restore()
            window.set_editing_blocked(False, "Sicherung wiederhergestellt")
        else:
            window.close()
        self.finished.emit(report)


def set_damaged_file_aside(path: Path) -> Path:
    """Rename the damaged file (and its journal files) to ``<name>.beschaedigt-<time>…``.

    Renamed, not copied: SQLite may fail to read a damaged file, and the IT gets it byte for
    byte. The restore then writes a fresh file at ``path``.
    """
    from datetime import datetime

    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.stem}.beschaedigt-{stamp}{path.suffix}")
    for suffix in ("-wal", "-shm", "-journal"):
        companion = Path(f"{path}{suffix}")
        if companion.exists():
            companion.replace(Path(f"{aside}{suffix}"))
    path.replace(aside)
    return aside
