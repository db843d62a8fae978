"""The pieces of a list's filter bar and count line: "alle" combos, counts in words."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QWidget

from integrationsmanager.domain.money import format_number

SEARCH_DELAY_MS = 150
"""How long typing pauses before the list follows the search box."""
ALL = "alle"


def plural(count: int, one: str, many: str) -> str:
    """ "1 Maßnahme", "1.234 Maßnahmen" """
    return f"{format_number(count)} {one if count == 1 else many}"


def choice_combo(
    items: Sequence[tuple[str, object]], parent: QWidget, characters: int
) -> QComboBox:
    """A filter combo: "alle" first, then ``(label, value)``; narrow, the list shows all."""
    combo = QComboBox(parent)
    fill_combo(combo, items)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(characters)
    return combo


def fill_combo(combo: QComboBox, items: Sequence[tuple[str, object]]) -> bool:
    """Refill ``combo`` keeping its choice; False if the chosen value is gone ("alle" then)."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(ALL, None)
    for label, value in items:
        combo.addItem(label, value)
    index = combo.findData(current) if current is not None else 0
    combo.setCurrentIndex(max(index, 0))
    combo.blockSignals(False)
    return current is None or index >= 0


class LazyChoiceCombo(QComboBox):
    """A filter combo whose (long) list is read only when the user first reaches for it.

    Thousands of organisations would cost the list's start-up a tenth of a second; the choice
    "alle" is all a fresh filter needs, so the items wait until the combo opens or the user
    presses a key or types in it (not mere focus: a shown page gives it focus by itself).
    """

    def __init__(self, parent: QWidget | None, characters: int) -> None:
        super().__init__(parent)
        self._loader: Callable[[], Sequence[tuple[str, object]]] | None = None
        fill_combo(self, [])
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(characters)

    def set_loader(self, loader: Callable[[], Sequence[tuple[str, object]]]) -> bool:
        """Use ``loader`` for the items; reloads now only if a choice is made already."""
        self._loader = loader
        if self.currentData() is None:
            return True
        return self.ensure_loaded()

    def ensure_loaded(self) -> bool:
        """Read the items if still pending; False if the current choice disappeared."""
        if self._loader is None:
            return True
        loader, self._loader = self._loader, None
        return fill_combo(self, loader())

    def setEditable(self, editable: bool) -> None:
        super().setEditable(editable)
        line = self.lineEdit()
        if line is not None:
            line.textEdited.connect(self._on_line_text_edited)

    def _on_line_text_edited(self, _text: str) -> None:
        self.ensure_loaded()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self.ensure_loaded()
        super().keyPressEvent(event)

    def showPopup(self) -> None:
        self.ensure_loaded()
        super().showPopup()
