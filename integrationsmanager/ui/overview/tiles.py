"""A key figure as a large number with a word of context; the whole tile is a button.

The tile is a :class:`QPushButton`, so it is in the tab order, reacts to Space and Enter,
and a screen reader announces it as a button whose name reads the number and its context
("25 laufende Maßnahmen: 2 neu seit 1. Januar · 7 geplant").
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

NUMBER_SCALE = 2.2
"""Size of the number relative to the system font (a larger system font scales it too)."""


def _label(parent: QWidget, *, scale: float = 1.0, weight: QFont.Weight | None = None) -> QLabel:
    label = QLabel(parent)
    label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    label.setTextFormat(Qt.TextFormat.PlainText)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    if weight is not None:
        font.setWeight(weight)
    label.setFont(font)
    return label


class KeyFigureTile(QPushButton):
    """Number, what it counts, and one line of context; ``clicked`` opens the area."""

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.number_label = _label(self, scale=NUMBER_SCALE, weight=QFont.Weight.DemiBold)
        self.title_label = _label(self, weight=QFont.Weight.DemiBold)
        self.title_label.setWordWrap(True)
        self.context_label = _label(self)
        self.context_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        line = self.fontMetrics().height()
        layout.setContentsMargins(line, line // 2, line, line // 2)
        layout.setSpacing(line // 6)
        layout.addWidget(self.number_label)
        layout.addWidget(self.title_label)
        layout.addWidget(self.context_label, 1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def set_figure(self, number: str, title: str, context: str, *, hint: str) -> None:
        """Show ``number`` and ``title`` large, ``context`` below; ``hint`` says where it leads."""
        self.number_label.setText(number)
        self.title_label.setText(title)
        self.context_label.setText(context)
        spoken = f"{number} {title}" + (f": {context}" if context else "")
        self.setAccessibleName(spoken)
        self.setAccessibleDescription(hint)
        self.setToolTip(hint)
