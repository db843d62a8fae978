"""Starting the window: Qt application in German, the database, the main window.

For the start-up benchmark, the environment variable :data:`EXIT_WHEN_READY`
(``INTEGRATIONSMANAGER_EXIT_WHEN_READY=1``) makes the program print ``interaktiv <Unix time>``
and end as soon as its window is interactive (painted, event loop idle; see
:class:`_ReadyProbe`). ``tests/benchmarks/bench_startup.py`` subtracts the time it started the
command.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import (
    QAbstractEventDispatcher,
    QEvent,
    QLibraryInfo,
    QLocale,
    QObject,
    QTimer,
    QTranslator,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from integrationsmanager import APP_NAME, __version__
from integrationsmanager.domain.errors import UserError
from integrationsmanager.paths import default_database_path, resources_dir
from integrationsmanager.storage.database import Database, open_database
from integrationsmanager.storage.locking import InstanceLock
from integrationsmanager.ui.errors import install_exception_hook
from integrationsmanager.ui.startup_check import BackgroundCheck, StartCheck, check_before_open

log = logging.getLogger(__name__)

ORGANISATION = "Landkreis Altenburger Land"

EXIT_WHEN_READY = "INTEGRATIONSMANAGER_EXIT_WHEN_READY"


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication with German locale and German texts in Qt's own dialogs."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationVersion(__version__)
    app.setApplicationDisplayName(APP_NAME)
    icon = resources_dir() / "icons" / "integrationsmanager.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load("qtbase_de", folder):
        app.installTranslator(translator)
    return app


def open_for_gui(db: str | None) -> Database:
    target: str | Path = db if db else default_database_path()
    return open_database(target)


def database_file(db: str | None) -> Path | None:
    """The SQLite file the window opens (None for a server database)."""
    from sqlalchemy.engine import make_url

    from integrationsmanager.storage.database import is_url

    if not db:
        return default_database_path().resolve()
    if not is_url(db):
        return Path(db).expanduser().resolve()
    url = make_url(db)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return Path(url.database).expanduser().resolve()
    return None


def prepare_file(path: Path) -> tuple[InstanceLock, StartCheck] | None:
    """Lock the file for this window and quick-check it; None: do not open it.

    Messages (another window has it open; damaged, restore?) are shown here. A
    :attr:`StartCheck.UNFINISHED` check is to be finished by a :class:`BackgroundCheck`.
    """
    from integrationsmanager.storage.locking import (
        acquire_instance_lock,
        is_network_path,
        network_explanation,
    )

    path.parent.mkdir(parents=True, exist_ok=True)
    lock = acquire_instance_lock(path)
    try:
        outcome = check_before_open(path)
        if outcome == StartCheck.REFUSED:
            lock.release()
            return None
        if is_network_path(path):
            QMessageBox.information(None, f"{APP_NAME} – Netzlaufwerk", network_explanation(path))
    except BaseException:
        lock.release()
        raise
    return lock, outcome


def fill_demo_if_empty(database: Database) -> bool:
    from integrationsmanager.services.demo import create_demo_data, has_data

    with database.session() as session:
        if has_data(session):
            return False
        create_demo_data(session)
    return True


def run_gui(*, db: str | None, demo: bool) -> int:
    app = make_application()
    install_exception_hook()
    lock: InstanceLock | None = None
    start_check = StartCheck.PASSED
    try:
        path = database_file(db)
        if path is not None:
            prepared = prepare_file(path)
            if prepared is None:
                return 1
            lock, start_check = prepared
        database = open_for_gui(db)
        if demo:
            fill_demo_if_empty(database)
    except UserError as err:
        if lock is not None:
            lock.release()
        QMessageBox.critical(None, f"{APP_NAME} – Datenbank", str(err))
        return 1
    from integrationsmanager.ui.main_window import MainWindow

    window = MainWindow(database)
    window.show()
    if start_check == StartCheck.UNFINISHED and path is not None:
        BackgroundCheck(window, path)
    if os.environ.get(EXIT_WHEN_READY) == "1":
        _ReadyProbe(app, window)
    try:
        return app.exec()
    finally:
        window.database.close()
        if lock is not None:
            lock.release()


class _ReadyProbe(QObject):
    """Print ``interaktiv <Unix time>`` and quit once the window is interactive.

    That is: the window has painted, the event loop has come round to wait for input, and
    what was queued to run at once (zero-delay timers, e.g. work deferred past the paint) has
    run. Work that waits for a thread or a timer with a delay does not count.
    """

    def __init__(self, app: QApplication, window: QWidget) -> None:
        super().__init__(window)
        self._app = app
        self._painted = False
        self._dispatcher = QAbstractEventDispatcher.instance()
        assert self._dispatcher is not None, "the application has an event dispatcher"
        window.installEventFilter(self)
        self._dispatcher.aboutToBlock.connect(self._on_dispatcher_about_to_block)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self._painted = True
        return False

    def _on_dispatcher_about_to_block(self) -> None:
        if self._painted:
            self._dispatcher.aboutToBlock.disconnect(self._on_dispatcher_about_to_block)
            QTimer.singleShot(0, self._report)

    def _report(self) -> None:
        print(f"interaktiv {time.time():.6f}", flush=True)
        self._app.quit()
