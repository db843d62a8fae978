"""A page for an area that is not built yet: says so plainly."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class PlaceholderPage(QWidget):
    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(title)
        heading = QLabel(f"<h2>{title}</h2>")
        heading.setAccessibleName(title)
        body = QLabel(text)
        body.setWordWrap(True)
        body.setAccessibleName(f"{title}: {text}")
        body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(body)
        layout.addStretch(1)
