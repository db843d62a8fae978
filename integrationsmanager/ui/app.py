"""Starting the window: Qt application in German, the database, the main window."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from integrationsmanager import APP_NAME, __version__
from integrationsmanager.domain.errors import UserError
from integrationsmanager.paths import default_database_path, resources_dir
from integrationsmanager.storage.database import Database, open_database
from integrationsmanager.ui.errors import install_exception_hook

log = logging.getLogger(__name__)

ORGANISATION = "Landkreis Altenburger Land"


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
    try:
        database = open_for_gui(db)
        if demo:
            fill_demo_if_empty(database)
    except UserError as err:
        QMessageBox.critical(None, f"{APP_NAME} – Datenbank", str(err))
        return 1
    from integrationsmanager.ui.main_window import MainWindow

    window = MainWindow(database)
    window.show()
    try:
        return app.exec()
    finally:
        database.close()
