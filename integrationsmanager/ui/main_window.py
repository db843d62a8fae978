"""The main window: sidebar of areas, the area pages, and a status bar that speaks plainly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from integrationsmanager import APP_NAME
from integrationsmanager.services.deadlines import deadlines
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.placeholder import PlaceholderPage
from integrationsmanager.ui.settings_dialog import SettingsDialog

STATUS_TIMEOUT_MS = 4000


@dataclass(frozen=True)
class Area:
    key: str
    title: str
    pending: str = ""
    """Non-empty for an area that is not built yet: what will come."""


AREAS = (
    Area("overview", "Übersicht"),
    Area("measures", "Maßnahmen"),
    Area("network", "Netzwerk"),
    Area("groups", "Arbeitskreise"),
    Area("funding", "Förderung"),
    Area(
        "monitoring",
        "Monitoring",
        "Kennzahlen mit Zeitreihen, Zielwerten und Diagrammen – dieser Bereich ist noch nicht "
        "fertig und folgt in einer späteren Ausbaustufe.",
    ),
    Area("reports", "Berichte"),
)


class MainWindow(QMainWindow):
    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.setWindowTitle(f"{APP_NAME} – {database.display_name}")
        self.settings = QSettings()

        self.sidebar = QListWidget()
        self.sidebar.setAccessibleName("Bereiche")
        self.sidebar.setAccessibleDescription(
            "Wählen Sie einen Bereich des Programms (Strg+1 bis 7)"
        )
        self.pages = QStackedWidget()
        self.pages.setAccessibleName("Inhalt des Bereichs")
        self.page_by_key: dict[str, QWidget] = {}
        for number, area in enumerate(AREAS, start=1):
            page = self._make_page(area)
            self.page_by_key[area.key] = page
            self.pages.addWidget(page)
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
        side = QVBoxLayout()
        side.addWidget(self.sidebar, 1)
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
        if area.pending:
            return PlaceholderPage(area.title, area.pending)
        if area.key == "measures":
            from integrationsmanager.ui.measures import MeasuresPage

            measures = MeasuresPage(self.database)
            measures.details.open_group.connect(self._on_open_group)
            measures.details.open_meeting.connect(self._on_open_meeting)
            page: QWidget = measures
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
        elif area.key == "overview":
            from integrationsmanager.ui.measures import GuidelineOverview

            overview = GuidelineOverview(self.database)
            overview.guideline_selected.connect(self._on_overview_guideline_selected)
            page = overview
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
        return self.page_by_key[key]

    def show_area(self, key: str) -> None:
        self.show_area_row([a.key for a in AREAS].index(key))

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
        self.pages.setCurrentIndex(row)
        self.settings.setValue("main/area", AREAS[row].key)

    def _on_overview_guideline_selected(self, guideline_id: int) -> None:
        measures = self.page("measures")
        show = getattr(measures, "show_guideline", None)
        if show is not None:
            show(guideline_id)
        self.show_area("measures")

    def open_settings(self) -> SettingsDialog:
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
        page = self.pages.currentWidget()
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

    def _on_refresh(self) -> None:
        refresh = getattr(self.pages.currentWidget(), "refresh", None)
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
        keys = [a.key for a in AREAS]
        return keys.index(key) if key in keys else 0

    def _restore_state(self) -> None:
        geometry = self.settings.value("main/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 820)

    def closeEvent(self, event: QCloseEvent) -> None:
        for page in self.page_by_key.values():
            can_close = getattr(page, "can_close", None)
            if can_close is not None and not can_close():
                event.ignore()
                return
        self.settings.setValue("main/geometry", self.saveGeometry())
        super().closeEvent(event)
