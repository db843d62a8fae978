"""A chart beside a list, shown on demand, that follows the list's filter.

The list's page owns the chart and says when its rows changed (:meth:`ChartToggle.schedule`);
the toggle redraws after a short pause, so a burst of changes (a filter, then a reload) costs
one query, and not at all while the chart is hidden. Whether the chart is shown is
remembered per list.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QPushButton, QSplitter, QWidget

from integrationsmanager.ui.widgets.charts import ChartWidget
from integrationsmanager.ui.widgets.settings import app_settings

CHART_DELAY_MS = 150
"""Pause after the last change before the chart queries again."""


class ChartToggle(QObject):
    """A checkable "Diagramm" button that shows ``chart`` and keeps it up to date.

    ``redraw`` reads the data for the list's current filter and draws it into ``chart``.
    """

    def __init__(
        self,
        chart: ChartWidget,
        redraw: Callable[[], None],
        *,
        settings_key: str,
        parent: QWidget,
        text: str = "&Diagramm",
        accessible_name: str = "Diagramm anzeigen",
    ) -> None:
        super().__init__(parent)
        self.chart = chart
        self._redraw = redraw
        self._settings_key = settings_key
        self._stale = True
        self.button = QPushButton(text, parent)
        self.button.setCheckable(True)
        self.button.setAccessibleName(accessible_name)
        self.button.setToolTip(f"{accessible_name} oder ausblenden (Alt+{_mnemonic(text)})")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHART_DELAY_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        # Stored as text by some backends; value(type=bool) trips a PySide6 refcount bug.
        shown = str(app_settings().value(settings_key, "false")).lower() == "true"
        self.button.setChecked(shown)
        self.chart.setVisible(shown)
        self.button.toggled.connect(self._on_button_toggled)

    @property
    def shown(self) -> bool:
        return self.button.isChecked()

    def schedule(self) -> None:
        """The list's rows changed: redraw soon if the chart is shown, else when it is."""
        self._stale = True
        if self.shown:
            self._timer.start()

    def flush(self) -> None:
        """Redraw now if a redraw is due (and the chart is shown)."""
        self._timer.stop()
        if self.shown and self._stale:
            self._stale = False
            self._redraw()

    def _on_button_toggled(self, checked: bool) -> None:
        self.chart.setVisible(checked)
        app_settings().setValue(self._settings_key, checked)
        if checked:
            self._make_room()
            self.flush()

    def _make_room(self) -> None:
        """Beside a list in a splitter the chart gets two fifths, unless it already has room."""
        splitter = self.chart.parentWidget()
        if not isinstance(splitter, QSplitter) or splitter.count() != 2:
            return
        sizes = splitter.sizes()
        total = sum(sizes)
        index = splitter.indexOf(self.chart)
        if total and sizes[index] < total * 0.3:
            wanted = [total * 3 // 5, total * 2 // 5]
            splitter.setSizes(wanted if index == 1 else wanted[::-1])

    def _on_timer_timeout(self) -> None:
        self.flush()


def _mnemonic(text: str) -> str:
    index = text.find("&")
    return text[index + 1].upper() if 0 <= index < len(text) - 1 else ""
