"""What an empty list says instead of showing nothing: what to do, with links to do it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget


def empty_state_label(parent: QWidget) -> QLabel:
    """A centred, wrapping rich-text label whose links (``<a href="new">``) are reachable
    with Tab and Enter as well as with the mouse; connect ``linkActivated``."""
    label = QLabel(parent)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
    return label
