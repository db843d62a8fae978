"""The pieces of a list's filter bar and count line: "alle" combos, counts in words."""

from __future__ import annotations

from collections.abc import Sequence

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
