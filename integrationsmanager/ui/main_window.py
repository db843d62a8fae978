"""The main window: sidebar of areas, the area pages, and a status bar that speaks plainly.

Area pages are built the first time they are shown (or asked for through :meth:`MainWindow.page`),
so the start only builds the page it opens with — usually the overview.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from integrationsmanager import APP_NAME
from integrationsmanager.domain.enums import MeasureStatus
from integrationsmanager.domain.errors import UserError
from integrationsmanager.services.action_items import get_action_item
from integrationsmanager.services.deadlines import deadlines
from integrationsmanager.storage.database import Database

if TYPE_CHECKING:
    from integrationsmanager.ui.backup_dialog import BackupDialog, BackupTimer
    from integrationsmanager.ui.check_dialog import CheckDialog
    from integrationsmanager.ui.settings_dialog import SettingsDialog

STATUS_TIMEOUT_MS = 4000
BACKUP_TIMER_DELAY_MS = 2000


@dataclass(frozen=True)
class Area:
    key: str
    title: str


AREAS: tuple[Area, ...] = (
    Area("overview", "Übersicht"),
    Area("measures", "Maßnahmen"),
    Area("network", "Netzwerk"),
    Area("groups", "Arbeitskreise"),
    Area("funding", "Förderung"),
    Area("monitoring", "Monitoring"),
    Area("reports", "Berichte"),
)
AREA_KEYS = tuple(area.key for area in AREAS)


class MainWindow(QMainWindow):
    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        # Document first, program last: Qt appends the program's name to a title that does
        # not already end with it, which would name it twice.
        self.setWindowTitle(f"{database.display_name} – {APP_NAME}")
        self.settings = QSettings()

        self.sidebar = QListWidget()
        self.sidebar.setAccessibleName("Bereiche")
        self.sidebar.setAccessibleDescription(
            "Wählen Sie einen Bereich des Programms (Strg+1 bis 7)"
        )
        self.pages = QStackedWidget()
        self.pages.setAccessibleName("Inhalt des Bereichs")
        self.page_by_key: dict[str, QWidget] = {}
        """The pages built so far."""
        for number, area in enumerate(AREAS, start=1):
            self.pages.addWidget(QWidget())
            item = QListWidgetItem(area.title)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, area.title)
            item.setToolTip(f"{area.title} (Strg+{number})")
            self.sidebar.addItem(item)
            action = QAction(area.title, self)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _=False, row=number - 1: self.show_area_row(row))
            self.addAction(action)
        self.sidebar.currentRowChanged.connect(self._on_sidebar_row_changed)
        self._style_sidebar()

        self.settings_button = QPushButton("Einstellungen …")
        self.settings_button.setToolTip("Briefkopf und Absender der Einladungen (Strg+,)")
        self.settings_button.clicked.connect(self.open_settings)
        self.database_button = self._make_database_button()
        side = QVBoxLayout()
        side.addWidget(self.sidebar, 1)
        side.addWidget(self.database_button)
        side.addWidget(self.settings_button)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(side)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        self.database_label = QLabel(f"Datenbank: {database.display_name}")
        self.database_label.setAccessibleName(f"Geöffnete Datenbank: {database.display_name}")
        if database.path is not None:
            self.database_label.setToolTip(str(database.path))
        self.deadlines_button = QPushButton()
        self.deadlines_button.setFlat(True)
        self.deadlines_button.setToolTip("Fristenliste der Förderung öffnen")
        self.deadlines_button.clicked.connect(self._on_deadlines_button_clicked)
        self.statusBar().addPermanentWidget(self.deadlines_button)
        self.statusBar().addPermanentWidget(self.database_label)
        self.update_deadlines()

        self._add_global_actions()
        self._restore_state()
        self.sidebar.setCurrentRow(self._initial_row())
        self.backup_on_close = True
        """False while the file is known to be damaged: no backup of the damage."""
        self.backup_timer: BackupTimer | None = None
        if database.path is not None:
            # Daily backups start once the window is up (the first check is minutes away).
            QTimer.singleShot(BACKUP_TIMER_DELAY_MS, self, self._start_backup_timer)

    def _style_sidebar(self) -> None:
        """A roomier list than Qt's default, sized to its longest entry (no pixel constants)."""
        font = self.sidebar.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.sidebar.setFont(font)
        metrics = self.sidebar.fontMetrics()
        self.sidebar.setSpacing(metrics.height() // 3)
        self.sidebar.setFrameShape(QFrame.Shape.NoFrame)
        widest = max(metrics.horizontalAdvance(a.title) for a in AREAS)
        self.sidebar.setFixedWidth(
            widest + 4 * metrics.averageCharWidth() + 2 * self.sidebar.spacing()
        )

    # --- pages ---------------------------------------------------------------------------

    def _make_page(self, area: Area) -> QWidget:
        if area.key == "overview":
            from integrationsmanager.ui.overview import OverviewPage

            overview = OverviewPage(self.database)
            overview.open_record.connect(self.open_record)
            overview.open_area.connect(self._on_overview_open_area)
            page: QWidget = overview
        elif area.key == "measures":
            from integrationsmanager.ui.measures import MeasuresPage

            measures = MeasuresPage(self.database)
            measures.details.open_group.connect(self._on_open_group)
            measures.details.open_meeting.connect(self._on_open_meeting)
            page = measures
        elif area.key == "network":
            from integrationsmanager.ui.network import NetworkPage

            network = NetworkPage(self.database)
            network.open_grant.connect(self._on_open_grant)
            page = network
        elif area.key == "funding":
            from integrationsmanager.ui.funding import FundingPage

            page = FundingPage(self.database)
        elif area.key == "groups":
            from integrationsmanager.ui.groups import GroupsPage

            groups = GroupsPage(self.database)
            groups.open_measure.connect(self._on_open_measure)
            page = groups
        elif area.key == "monitoring":
            from integrationsmanager.ui.monitoring import MonitoringPage

            page = MonitoringPage(self.database)
        else:
            from integrationsmanager.ui.reports_page import ReportsPage

            page = ReportsPage(self.database)
        for signal_name in ("status_message",):
            signal = getattr(page, signal_name, None)
            if signal is not None:
                signal.connect(self.show_message)
        changed = getattr(page, "data_changed", None)
        if changed is not None:
            changed.connect(self._on_page_data_changed)
        return page

    def page(self, key: str) -> QWidget:
        """The area's page, built now if it has not been shown yet."""
        page = self.page_by_key.get(key)
        if page is not None:
            return page
        index = AREA_KEYS.index(key)
        page = self._make_page(AREAS[index])
        self.page_by_key[key] = page
        stand_in = self.pages.widget(index)
        assert stand_in is not None, "every area has a stand-in until its page is built"
        was_current = self.pages.currentIndex() == index
        self.pages.insertWidget(index, page)
        self.pages.removeWidget(stand_in)
        stand_in.deleteLater()
        if was_current:
            self.pages.setCurrentWidget(page)
        return page

    def show_area(self, key: str) -> None:
        self.show_area_row(AREA_KEYS.index(key))

    def show_area_row(self, row: int) -> None:
        self.sidebar.setCurrentRow(row)

    def current_area(self) -> str:
        return AREAS[self.pages.currentIndex()].key

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, STATUS_TIMEOUT_MS)

    # --- slots ---------------------------------------------------------------------------

    def _on_sidebar_row_changed(self, row: int) -> None:
        if row < 0:
            return
        self.pages.setCurrentWidget(self.page(AREAS[row].key))
        self.settings.setValue("main/area", AREAS[row].key)

    def open_record(self, kind: str, record_id: int) -> None:
        """Show a record in its area: "measure", "grant", "meeting", "group", "action_item"
        (its meeting, or its group if it comes from none), "indicator" or "guideline" (the
        guideline's measures)."""
        handlers = {
            "measure": self._on_open_measure,
            "grant": self._on_open_grant,
            "meeting": self._on_open_meeting,
            "group": self._on_open_group,
            "action_item": self._on_open_action_item,
            "indicator": self._on_open_indicator,
            "guideline": self._on_open_guideline,
        }
        handlers[kind](record_id)

    def _on_overview_open_area(self, key: str) -> None:
        if key == "measures":
            self.show_area("measures")
            measures = self.page("measures")
            measures.reset_filter()  # type: ignore[attr-defined]
            combo = measures.status_combo  # type: ignore[attr-defined]
            combo.setCurrentIndex(combo.findData(MeasureStatus.RUNNING.value))
        elif key == "budget":
            self.show_area("funding")
            funding = self.page("funding")
            funding.tabs.setCurrentWidget(funding.budget)  # type: ignore[attr-defined]
            funding.budget.set_year(date.today().year)  # type: ignore[attr-defined]
        else:
            self.show_area("groups")

    def open_settings(self) -> SettingsDialog:
        from integrationsmanager.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.database, self)
        dialog.accepted.connect(lambda: self.show_message("Einstellungen gespeichert"))
        dialog.open()
        return dialog

    def update_deadlines(self) -> None:
        """Say in the status bar how many funding deadlines are overdue (hidden if none)."""
        with self.database.session() as session:
            overdue = sum(1 for d in deadlines(session, today=date.today()) if d.days_overdue > 0)
        text = f"{overdue} Frist{'' if overdue == 1 else 'en'} in der Förderung überfällig"
        self.deadlines_button.setText(text)
        self.deadlines_button.setAccessibleName(text)
        self.deadlines_button.setVisible(overdue > 0)

    def _on_deadlines_button_clicked(self) -> None:
        self.show_area("funding")
        funding = self.page("funding")
        funding.tabs.setCurrentWidget(funding.deadlines)  # type: ignore[attr-defined]

    def _on_page_data_changed(self) -> None:
        sender = self.sender()
        self.update_deadlines()
        for page in self.page_by_key.values():
            if page is not sender:
                refresh = getattr(page, "refresh", None)
                if refresh is not None:
                    refresh()

    def _on_page_command(self, name: str) -> None:
        """Ctrl+N and Ctrl+F act on the current area; from elsewhere they open the measures."""
        page = self.page(self.current_area())
        if getattr(page, name, None) is None:
            self.show_area("measures")
            page = self.page("measures")
        getattr(page, name)()

    def _on_open_group(self, group_id: int) -> None:
        self.show_area("groups")
        self.page("groups").show_group(group_id)  # type: ignore[attr-defined]

    def _on_open_meeting(self, meeting_id: int) -> None:
        self.show_area("groups")
        self.page("groups").show_meeting(meeting_id)  # type: ignore[attr-defined]

    def _on_open_grant(self, grant_id: int) -> None:
        self.show_area("funding")
        self.page("funding").show_grant(grant_id)  # type: ignore[attr-defined]

    def _on_open_measure(self, measure_id: int) -> None:
        self.show_area("measures")
        self.page("measures").show_measure(measure_id)  # type: ignore[attr-defined]

    def _on_open_guideline(self, guideline_id: int) -> None:
        self.show_area("measures")
        self.page("measures").show_guideline(guideline_id)  # type: ignore[attr-defined]

    def _on_open_action_item(self, item_id: int) -> None:
        try:
            with self.database.session() as session:
                item = get_action_item(session, item_id)
                meeting_id, group_id = item.meeting_id, item.group_id
        except UserError as err:
            self.show_message(str(err))
            return
        if meeting_id is not None:
            self._on_open_meeting(meeting_id)
        else:
            self._on_open_group(group_id)

    def _on_open_indicator(self, indicator_id: int) -> None:
        self.show_area("monitoring")
        self.page("monitoring").show_indicator(indicator_id)  # type: ignore[attr-defined]

    def _on_refresh(self) -> None:
        refresh = getattr(self.page(self.current_area()), "refresh", None)
        if refresh is not None:
            refresh()
            self.show_message("Aktualisiert")

    # --- actions and state ---------------------------------------------------------------

    def _add_global_actions(self) -> None:
        for text, shortcut, method in (
            ("Neu", QKeySequence.StandardKey.New, "new_record"),
            ("Filtern und suchen", QKeySequence.StandardKey.Find, "focus_search"),
        ):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(lambda _=False, name=method: self._on_page_command(name))
            self.addAction(action)
        settings = QAction("Einstellungen", self)
        settings.setShortcut(QKeySequence("Ctrl+,"))
        settings.triggered.connect(self.open_settings)
        self.addAction(settings)
        refresh = QAction("Aktualisieren", self)
        refresh.setShortcut(QKeySequence(Qt.Key.Key_F5))
        refresh.triggered.connect(self._on_refresh)
        self.addAction(refresh)
        quit_action = QAction("Beenden", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        self.addAction(quit_action)

    def _initial_row(self) -> int:
        key = self.settings.value("main/area", "overview")
        return AREA_KEYS.index(key) if key in AREA_KEYS else 0

    def _restore_state(self) -> None:
        geometry = self.settings.value("main/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(first_window_size(self.screen().availableGeometry().size()))

    def closeEvent(self, event: QCloseEvent) -> None:
        for page in self.page_by_key.values():
            can_close = getattr(page, "can_close", None)
            if can_close is not None and not can_close():
                event.ignore()
                return
        self.settings.setValue("main/geometry", self.saveGeometry())
        if self.backup_timer is not None:
            self.backup_timer.stop()
        if self.backup_on_close and self.database.path is not None:
            from integrationsmanager.ui.backup_dialog import make_backup_on_close

            make_backup_on_close(self.database)
        super().closeEvent(event)

    # --- the database menu ---------------------------------------------------------------

    def _make_database_button(self) -> QToolButton:
        """ "Datenbank …": backups, the check, the change log, due deletions (Alt+D opens it)."""
        menu = QMenu(self)
        menu.setAccessibleName("Datenbank")
        for text, shortcut, slot in (
            ("&Datensicherung …", "Ctrl+Shift+B", self.open_backups),
            ("Datenbank &prüfen …", "Ctrl+Shift+P", self.open_check),
            ("Ä&nderungsprotokoll …", "Ctrl+Shift+H", self.open_change_log),
            ("&Löschfristen (Datenschutz) …", "Ctrl+Shift+L", self.open_privacy_due),
        ):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(slot)
            menu.addAction(action)
            self.addAction(action)  # the shortcut works while the menu is closed
        button = QToolButton()
        button.setText("&Datenbank …")
        button.setAccessibleName("Datenbank")
        button.setToolTip(
            "Datensicherung (Strg+Umschalt+B), Datenbank prüfen (Strg+Umschalt+P), "
            "Änderungsprotokoll (Strg+Umschalt+H), Löschfristen (Strg+Umschalt+L)"
        )
        button.setMenu(menu)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setSizePolicy(self.settings_button.sizePolicy())
        self.database_menu = menu
        return button

    def _start_backup_timer(self) -> None:
        from integrationsmanager.ui.backup_dialog import BackupTimer

        self.backup_timer = BackupTimer(self.database, self)
        self.backup_timer.finished.connect(self._on_backup_finished)

    def _on_backup_finished(self, written: bool) -> None:
        if written:
            self.show_message("Tägliche Datensicherung geschrieben")

    def open_backups(self) -> BackupDialog:
        from integrationsmanager.ui.backup_dialog import BackupDialog

        dialog = BackupDialog(self.database, self)
        dialog.restore_requested.connect(self._on_restore_requested)
        dialog.open()
        return dialog

    def _on_restore_requested(self, source: Path) -> None:
        """Restore over the open file; the window keeps its Database (new connections then
        read the restored file) and rebuilds its pages."""
        from integrationsmanager.ui.backup_dialog import restore_and_reopen

        dialog = self.sender()
        if isinstance(dialog, QDialog):
            dialog.accept()
        restored = restore_and_reopen(self, self.database, source)
        if restored is None:
            return
        restored.close()
        self.reload_after_restore()
        self.show_message("Sicherung wiederhergestellt")

    def reload_after_restore(self) -> None:
        """Throw away the built pages (they show the data before a restore)."""
        current = self.pages.currentIndex()
        for key in list(self.page_by_key):
            page = self.page_by_key.pop(key)
            index = AREA_KEYS.index(key)
            self.pages.insertWidget(index, QWidget())
            self.pages.removeWidget(page)
            page.deleteLater()
        self.pages.setCurrentWidget(self.page(AREAS[current].key))
        self.update_deadlines()

    def open_check(self) -> CheckDialog:
        from integrationsmanager.ui.check_dialog import CheckDialog

        dialog = CheckDialog(self.database, self)
        dialog.open()
        dialog.run_check()
        return dialog

    def open_change_log(self) -> QDialog:
        from integrationsmanager.ui.audit.change_log import ChangeLogDialog

        dialog = ChangeLogDialog(self.database, self)
        dialog.open()
        return dialog

    def open_privacy_due(self) -> QDialog:
        from integrationsmanager.ui.privacy.due_dialog import PrivacyDueDialog

        dialog = PrivacyDueDialog(self.database, self)
        dialog.person_requested.connect(self._on_open_person)
        dialog.person_erased.connect(lambda _id: self.reload_after_restore())
        dialog.open()
        return dialog

    def set_editing_blocked(self, blocked: bool, message: str) -> None:
        """Disable the window (visible, not editable; its shortcuts do nothing), e.g. while
        the start check runs."""
        self.setEnabled(not blocked)
        if blocked:
            self.statusBar().showMessage(message)
        else:
            self.show_message(message)

    def _on_open_person(self, person_id: int) -> None:
        self.show_area("network")
        self.page("network").show_person(person_id)  # type: ignore[attr-defined]


def first_window_size(available: QSize) -> QSize:
    """1280 × 820 on the first start, but within the screen: its free area minus a title bar."""
    return QSize(min(1280, available.width()), min(820, available.height() - 40))
