"""What an empty list says instead of showing nothing: what to do, with links to do it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLayout, QStackedWidget, QVBoxLayout, QWidget


def empty_state_label(parent: QWidget) -> QLabel:
    """A centred, wrapping rich-text label whose links (``<a href="new">``) are reachable
    with Tab and Enter as well as with the mouse; connect ``linkActivated``."""
    label = QLabel(parent)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
    return label


def placeholder_label(text: str, parent: QWidget) -> QLabel:
    """The centred hint a details pane shows while nothing is selected."""
    label = QLabel(text, parent)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    return label


def selection_stack(
    owner: QWidget, placeholder: QLabel, shown: QWidget, header: QLayout, body: QWidget
) -> QStackedWidget:
    """Fill ``owner`` with ``placeholder`` (page 0) or ``shown`` (page 1): ``header`` above
    ``body``, which takes the height."""
    shown_layout = QVBoxLayout(shown)
    shown_layout.setContentsMargins(0, 0, 0, 0)
    shown_layout.addLayout(header)
    shown_layout.addWidget(body, 1)
    stack = QStackedWidget(owner)
    stack.addWidget(placeholder)
    stack.addWidget(shown)
    layout = QVBoxLayout(owner)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(stack)
    return stack
