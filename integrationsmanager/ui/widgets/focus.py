"""Keeping Tab in the reading order when widgets are made in another order.

Qt's tab order is the order in which widgets were made. Parts built later (a filter bar a
subclass adds, a line added to a list at run time) would otherwise come last.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget


def takes_tab(widget: QWidget) -> bool:
    return bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)


def tab_stops(root: QWidget) -> list[QWidget]:
    """The widgets inside ``root`` that Tab stops at, in their current order."""
    found: list[QWidget] = []
    widget = root.nextInFocusChain()
    while widget is not None and widget is not root and root.isAncestorOf(widget):
        if takes_tab(widget):
            found.append(widget)
        widget = widget.nextInFocusChain()
    return found


def previous_tab_stop(widget: QWidget) -> QWidget:
    """The widget Tab reaches just before ``widget`` (itself if there is none)."""
    before = widget.previousInFocusChain()
    while before is not None and before is not widget:
        if takes_tab(before):
            return before
        before = before.previousInFocusChain()
    return widget


def chain_tabs(widgets: Sequence[QWidget]) -> None:
    """Make Tab go through ``widgets`` in this order (leaf widgets, not compounds)."""
    for first, second in pairwise(widgets):
        QWidget.setTabOrder(first, second)
