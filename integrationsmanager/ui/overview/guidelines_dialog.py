"""The guidelines with their goals and measures, opened from the overview in a window.

It shows :class:`~integrationsmanager.ui.measures.guidelines.GuidelineOverview` (the cards that
once were the start screen); a card's button closes the window and asks for the guideline's
measures.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from integrationsmanager.storage.database import Database


class GuidelinesDialog(QDialog):
    guideline_selected = Signal(int)

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Imported here: the measures package is heavy and the start screen does not need it.
        from integrationsmanager.ui.measures.guidelines import GuidelineOverview

        self.setWindowTitle("Leitlinien und Maßnahmen")
        self.overview = GuidelineOverview(database, self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText("Schließen")
        close.setAccessibleName("Schließen")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.overview, 1)
        layout.addWidget(buttons)
        line = self.fontMetrics().height()
        self.resize(line * 70, line * 45)
        self.overview.guideline_selected.connect(self._on_overview_guideline_selected)

    def _on_overview_guideline_selected(self, guideline_id: int) -> None:
        self.accept()
        self.guideline_selected.emit(guideline_id)
