"""The heading of a record's page: its name, large and bold, selectable, reading left to right."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QWidget

HEADING_SCALE = 1.3
"""Relative to the system font, so a larger system font makes a larger heading."""


def heading_label(parent: QWidget) -> QLabel:
    """A label for a record's name that wraps and can be selected and copied."""
    label = QLabel(parent)
    label.setWordWrap(True)
    # Left-aligned also for a name in Arabic script: the program's reading order is LTR.
    label.setAlignment(
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignTop
    )
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * HEADING_SCALE)
    font.setBold(True)
    label.setFont(font)
    return label
