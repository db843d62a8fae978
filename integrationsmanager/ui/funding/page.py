"""The funding area: grants with their path, the budget of a year, and the deadlines.

Every change is one service call; afterwards the tabs reload, the page says what happened
in one quiet line (``status_message``) and announces ``data_changed`` to the other areas.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from integrationsmanager.storage.database import Database
from integrationsmanager.ui.funding.budget_tab import BudgetTab
from integrationsmanager.ui.funding.deadlines_tab import DeadlinesTab
from integrationsmanager.ui.funding.editor import GrantEditor
from integrationsmanager.ui.funding.grant_list import GrantsTab


class FundingPage(QWidget):
    """Tabs "Zuwendungen", "Budget" and "Fristen" of the sidebar area "Förderung".

    ``today`` fixes the date the deadlines and year choices are computed against (tests,
    demo); None is the real today.
    """

    status_message = Signal(str)
    data_changed = Signal()

    def __init__(
        self, database: Database, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        super().__init__(parent)
        self.grants = GrantsTab(database, today=today)
        self.budget = BudgetTab(database, today=today)
        self.deadlines = DeadlinesTab(database, today=today)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Förderung")
        self.tabs.addTab(self.grants, "&Zuwendungen")
        self.tabs.addTab(self.budget, "&Budget")
        self.tabs.addTab(self.deadlines, "&Fristen")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        self.grants.status_message.connect(self.status_message)
        self.grants.data_changed.connect(self._on_grants_data_changed)
        self.budget.status_message.connect(self.status_message)
        self.deadlines.grant_requested.connect(self._on_deadlines_grant_requested)

    def refresh(self) -> None:
        """Reload every tab (F5, or after another area changed data)."""
        self.grants.refresh()
        self.budget.refresh()
        self.deadlines.refresh()

    def focus_search(self) -> None:
        self.tabs.setCurrentWidget(self.grants)
        self.grants.focus_search()

    def new_record(self) -> GrantEditor:
        """Open the editor for a new grant (Strg+N)."""
        self.tabs.setCurrentWidget(self.grants)
        return self.grants.new_record()

    def show_grant(self, grant_id: int) -> bool:
        """Show ``grant_id`` in the grants tab; False if it does not exist (any more)."""
        self.tabs.setCurrentWidget(self.grants)
        return self.grants.show_grant(grant_id)

    def can_close(self) -> bool:
        return self.grants.can_close()

    def _on_grants_data_changed(self) -> None:
        self.budget.refresh()
        self.deadlines.refresh()
        self.data_changed.emit()

    def _on_deadlines_grant_requested(self, grant_id: int) -> None:
        if not self.show_grant(grant_id):
            self.status_message.emit("Diese Zuwendung gibt es nicht mehr.")
