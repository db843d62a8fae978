"""A date field that may also be empty ("kein Datum"), with German display and calendar."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QLocale, Signal
from PySide6.QtWidgets import QCheckBox, QDateEdit, QHBoxLayout, QLineEdit, QWidget

DATE_FORMAT = "dd.MM.yyyy"
GERMAN = QLocale(QLocale.Language.German, QLocale.Country.Germany)
_NO_DATE = QDate(1900, 1, 1)
"""Sentinel shown as "kein Datum"; real dates start the day after."""


def format_date(value: date | None) -> str:
    """``31.12.2026`` or an empty string."""
    return value.strftime("%d.%m.%Y") if value else ""


class OptionalDateEdit(QWidget):
    """A checkbox that switches a date on or off, and the date itself.

    ``name`` is what the field is called in the form ("Beginn"); both controls carry it in
    their accessible names so a screen reader says which date is meant.
    """

    changed = Signal()

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._last = QDate.currentDate()
        self.set_box = QCheckBox(self)
        self.set_box.setAccessibleName(f"{name} angeben")
        self.set_box.setToolTip(f"{name} angeben")
        self.date_edit = QDateEdit(self)
        self.date_edit.setAccessibleName(name)
        for inner in self.date_edit.findChildren(QLineEdit):
            inner.setAccessibleName(name)
        self.date_edit.setLocale(GERMAN)
        self.date_edit.setDisplayFormat(DATE_FORMAT)
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setSpecialValueText("kein Datum")
        self.date_edit.setMinimumDate(_NO_DATE)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.set_box)
        layout.addWidget(self.date_edit, 1)
        self.setFocusProxy(self.set_box)
        self.set_value(None)
        self.set_box.toggled.connect(self._on_set_box_toggled)
        self.date_edit.dateChanged.connect(self._on_date_edit_changed)

    def value(self) -> date | None:
        if not self.set_box.isChecked():
            return None
        chosen = self.date_edit.date()
        return date(chosen.year(), chosen.month(), chosen.day())

    def set_value(self, value: date | None) -> None:
        self.set_box.blockSignals(True)
        self.date_edit.blockSignals(True)
        self.set_box.setChecked(value is not None)
        if value is not None:
            self._last = QDate(value.year, value.month, value.day)
        self._show_state()
        self.set_box.blockSignals(False)
        self.date_edit.blockSignals(False)

    def _show_state(self) -> None:
        on = self.set_box.isChecked()
        self.date_edit.setEnabled(on)
        self.date_edit.setMinimumDate(_NO_DATE.addDays(1) if on else _NO_DATE)
        self.date_edit.setDate(self._last if on else _NO_DATE)

    def _on_set_box_toggled(self, _checked: bool) -> None:
        self.date_edit.blockSignals(True)
        self._show_state()
        self.date_edit.blockSignals(False)
        if self.set_box.isChecked():
            self.date_edit.setFocus()
        self.changed.emit()

    def _on_date_edit_changed(self, value: QDate) -> None:
        if self.set_box.isChecked():
            self._last = value
            self.changed.emit()
