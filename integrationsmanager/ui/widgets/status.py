"""Status icons and badges; the colour only accompanies the German label, never replaces it.

The colours come from :mod:`integrationsmanager.reports.palette`, so the same status looks the
same in the table, the guideline overview and the PDFs.
"""

from __future__ import annotations

from functools import cache
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QFrame, QLabel, QWidget

from integrationsmanager.domain.enums import MeasureStatus
from integrationsmanager.reports.palette import status_colour

_ICON_EXTENT = 64
"""Drawn large once; QIcon scales it down to whatever icon size the style asks for."""


@cache
def status_icon(status: MeasureStatus) -> QIcon:
    """A filled dot in the status colour, for item views and buttons."""
    pixmap = QPixmap(_ICON_EXTENT, _ICON_EXTENT)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(status_colour(status)))
    margin = _ICON_EXTENT // 6
    painter.drawEllipse(margin, margin, _ICON_EXTENT - 2 * margin, _ICON_EXTENT - 2 * margin)
    painter.end()
    return QIcon(pixmap)


def status_dot_html(status: MeasureStatus) -> str:
    """A dot in the status colour as rich text (always put the label or a number beside it)."""
    return f'<span style="color:{status_colour(status)}">●</span>'


def status_html(status: MeasureStatus) -> str:
    """The status as rich text: a coloured dot followed by its label."""
    return f"{status_dot_html(status)}&nbsp;{escape(status.label)}"


class StatusBadge(QLabel):
    """A framed label showing a status as a coloured dot and its German name."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setMargin(self.fontMetrics().height() // 5)

    def set_status(self, status: MeasureStatus | None) -> None:
        if status is None:
            self.clear()
            self.setAccessibleName("")
            self.hide()
            return
        self.setText(status_html(status))
        self.setAccessibleName(f"Status: {status.label}")
        self.show()
