"""The lazy filter combo: the long list is read when the user reaches for it, not before."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from integrationsmanager.ui.widgets.filters import ALL, LazyChoiceCombo

from .helpers import type_text


def make(qtbot: QtBot) -> tuple[LazyChoiceCombo, list[int]]:
    combo = LazyChoiceCombo(None, 12)
    qtbot.addWidget(combo)
    calls: list[int] = []

    def loader() -> list[tuple[str, object]]:
        calls.append(1)
        return [("Caritas Altenburg", 1), ("Українська громада", 2)]

    combo.set_loader(loader)
    return combo, calls


def test_items_wait_until_a_key_is_pressed(qtbot: QtBot) -> None:
    combo, calls = make(qtbot)
    combo.show()
    combo.setFocus()
    assert calls == [] and combo.count() == 1 and combo.currentText() == ALL
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert calls == [1] and combo.count() == 3
    assert combo.currentData() == 1


def test_typing_in_an_editable_combo_loads_the_items(qtbot: QtBot) -> None:
    combo, calls = make(qtbot)
    combo.setEditable(True)
    combo.show()
    line = combo.lineEdit()
    assert line is not None
    type_text(line, "у")
    assert calls == [1] and combo.findData(2) > 0


def test_a_chosen_value_survives_a_reload(qtbot: QtBot) -> None:
    combo, _calls = make(qtbot)
    combo.ensure_loaded()
    combo.setCurrentIndex(combo.findData(2))
    assert combo.set_loader(lambda: [("Українська громада", 2)])
    assert combo.currentData() == 2
    assert not combo.set_loader(lambda: [("Caritas Altenburg", 1)])
    assert combo.currentData() is None
