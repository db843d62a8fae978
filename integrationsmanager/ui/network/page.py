"""The network area: organisations and people in two tabs, each a list with its details.

A linked record in the details (an organisation's people, a person's organisations) is one
click away: the page switches to the other tab and selects it there. The contact import
serves both tabs; afterwards both lists reload.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from integrationsmanager.domain.money import format_number
from integrationsmanager.services.contacts_io import ContactImportReport
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.network.import_dialog import FILE_FILTER, ImportDialog
from integrationsmanager.ui.network.list_panel import FOLDER_KEY
from integrationsmanager.ui.network.organisation_list import OrganisationList
from integrationsmanager.ui.network.person_list import PersonList
from integrationsmanager.ui.network.record_editor import NetworkEditor
from integrationsmanager.ui.widgets.files import ask_open_path
from integrationsmanager.ui.widgets.filters import plural
from integrationsmanager.ui.widgets.settings import app_settings

_TAB_KEY = "network/tab"


def import_message(report: ContactImportReport) -> str:
    """ "12 Personen importiert · 2 schon vorhanden · 1 Organisation neu angelegt"."""
    parts = [f"{plural(report.created, 'Person', 'Personen')} importiert"]
    if report.duplicates:
        parts.append(f"{format_number(len(report.duplicates))} schon vorhanden")
    if report.created_organisations:
        created = plural(len(report.created_organisations), "Organisation", "Organisationen")
        parts.append(f"{created} neu angelegt")
    return " · ".join(parts)


class NetworkPage(QWidget):
    """Tabs "Organisationen" and "Personen"; Ctrl+N creates in the current one."""

    status_message = Signal(str)
    data_changed = Signal()
    open_grant = Signal(int)
    """A grant in an organisation's list was clicked: the window shows it under Förderung."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._database = database
        self.import_dialog: ImportDialog | None = None
        self._stale: set[QWidget] = set()
        """Lists to reload when they are shown next (reloading a hidden one waits)."""
        self.organisations = OrganisationList(database, self)
        self.persons = PersonList(database, self)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Netzwerk")
        self.tabs.addTab(self.organisations, "Organisationen")
        self.tabs.addTab(self.persons, "Personen")
        for index in range(self.tabs.count()):
            self.tabs.setTabToolTip(index, "Strg+Tab wechselt zwischen Organisationen und Personen")
        saved = app_settings().value(_TAB_KEY, 0)
        self.tabs.setCurrentIndex(int(str(saved)) if str(saved).isdigit() else 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        for panel in self.lists():
            panel.status_message.connect(self.status_message)
            panel.data_changed.connect(partial(self._on_list_data_changed, panel))
            panel.import_requested.connect(self._on_list_import_requested)
            panel.organisation_requested.connect(self.show_organisation)
            panel.person_requested.connect(self.show_person)
            panel.grant_requested.connect(self.open_grant)

    # --- for the main window --------------------------------------------------------------

    def lists(self) -> tuple[OrganisationList, PersonList]:
        return (self.organisations, self.persons)

    def current_list(self) -> OrganisationList | PersonList:
        return self.persons if self.tabs.currentWidget() is self.persons else self.organisations

    def refresh(self) -> None:
        """Reload from the database (F5, or after another view changed data).

        The shown list reloads now, the other one when it is shown: at 100,000 people a
        reload costs a few hundred milliseconds, so only what is seen is paid for.
        """
        self._stale.update(self.lists())
        self._refresh_shown()

    def focus_search(self) -> None:
        self.current_list().focus_search()

    def new_record(self) -> NetworkEditor:
        """Ctrl+N: a new organisation or person, whichever tab is shown."""
        return self.current_list().new_record()

    def show_organisation(self, organisation_id: int) -> bool:
        """Switch to the organisations and select one (clearing filters that hide it)."""
        self.tabs.setCurrentWidget(self.organisations)
        return self.organisations.show_record(organisation_id)

    def show_person(self, person_id: int) -> bool:
        """Switch to the people and select one (clearing filters that hide them)."""
        self.tabs.setCurrentWidget(self.persons)
        return self.persons.show_record(person_id)

    def can_close(self) -> bool:
        """False if an open editor has changes the user wants to keep."""
        return all(panel.can_close() for panel in self.lists())

    def import_contacts(self, path: Path | None = None) -> ImportDialog | None:
        """Ask for a file (unless given) and open the import dialog for it."""
        if path is None:
            path = ask_open_path(
                self, caption="Kontakte importieren", file_filter=FILE_FILTER, folder_key=FOLDER_KEY
            )
            if path is None:
                return None
        dialog = ImportDialog(self._database, path, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._on_import_dialog_finished)
        self.import_dialog = dialog
        dialog.open()
        return dialog

    # --- slots ----------------------------------------------------------------------------

    def _refresh_shown(self) -> None:
        shown = self.current_list()
        if shown in self._stale:
            self._stale.discard(shown)
            shown.refresh()

    def _on_tabs_current_changed(self, index: int) -> None:
        app_settings().setValue(_TAB_KEY, index)
        self._refresh_shown()

    def _on_list_data_changed(self, changed: QWidget) -> None:
        # A person's change shows in the organisation's people, and the other way round.
        self._stale.update(panel for panel in self.lists() if panel is not changed)
        self.data_changed.emit()

    def _on_list_import_requested(self) -> None:
        self.import_contacts()

    def _on_import_dialog_finished(self, _result: int) -> None:
        dialog, self.import_dialog = self.import_dialog, None
        report = dialog.report if dialog is not None else None
        if report is None:
            return
        self.refresh()
        self.status_message.emit(import_message(report))
        self.data_changed.emit()
