"""Editing a list of people with a choice each: members with their role, invitees.

A picker and "Hinzufügen" add a person (each person once); every row carries a combo box for
the role or status, named for the screen reader ("Rolle von Oksana Kovalenko"); "Entfernen"
or Entf removes the selected rows. As a checklist (attendance), each name also has a check box
that stands for one value ("anwesend"): ticking it sets that value, and the other way round.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import Enum
from functools import partial
from typing import Generic, TypeVar

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from integrationsmanager.domain.enums import LabelledEnum
from integrationsmanager.ui.groups.pickers import PersonChoice, PersonPicker
from integrationsmanager.ui.groups.tables import make_table, text_item
from integrationsmanager.ui.widgets.form import message_label

E = TypeVar("E", bound=LabelledEnum)


NAME_COLUMN, ORGANISATION_COLUMN, EMAIL_COLUMN, CHOICE_COLUMN = range(4)


def enum_combo(enum: type[E], parent: QWidget, *, name: str) -> QComboBox:
    combo = QComboBox(parent)
    combo.setAccessibleName(name)
    for member in enum:
        combo.addItem(member.label, member.value)
    return combo


def name_field(field: QWidget, name: str) -> None:
    """Give ``field`` and the line edit inside it (spin boxes, date and time edits) a name."""
    field.setAccessibleName(name)
    for inner in field.findChildren(QLineEdit):
        inner.setAccessibleName(name)


def select_value(combo: QComboBox, value: Enum | str) -> None:
    raw = value.value if isinstance(value, Enum) else value
    combo.setCurrentIndex(max(combo.findData(raw), 0))


def row_form(parent: QWidget, rows: Sequence[tuple[str, QWidget]]) -> None:
    """The form of the selected row: captions that move to their field with Alt+key."""
    form = QFormLayout(parent)
    form.setContentsMargins(0, 0, 0, 0)
    for label, widget in rows:
        caption = QLabel(label, parent)
        caption.setBuddy(widget)
        form.addRow(caption, widget)


def list_beside_form(
    owner: QWidget,
    listing: QWidget,
    buttons: Sequence[QPushButton],
    form: QWidget,
    message: QLabel,
    footer: QLabel,
) -> None:
    """The list with its buttons below on the left; the selected row's form, its message and
    a ``footer`` line on the right. Enter in the form never presses a button."""
    button_row = QHBoxLayout()
    for button in buttons:
        button.setAutoDefault(False)
        button_row.addWidget(button)
    button_row.addStretch(1)
    left = QVBoxLayout()
    left.addWidget(listing, 1)
    left.addLayout(button_row)
    right = QVBoxLayout()
    right.addWidget(form)
    right.addWidget(message)
    right.addStretch(1)
    right.addWidget(footer)
    layout = QGridLayout(owner)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addLayout(left, 0, 0)
    layout.addLayout(right, 0, 1)
    layout.setColumnStretch(0, 3)
    layout.setColumnStretch(1, 2)


class PeopleEdit(QWidget, Generic[E]):
    """People with one :class:`LabelledEnum` value each (a role, an attendance status).

    ``noun`` names the list ("Mitglieder"), ``choice_name`` the per-row value ("Rolle");
    with ``check_value`` the names are check boxes for that value; ``show_email`` shows the
    people's first e-mail address.
    """

    changed = Signal()

    def __init__(
        self,
        *,
        enum: type[E],
        default: E,
        noun: str,
        choice_name: str,
        people: Sequence[PersonChoice],
        check_value: E | None = None,
        show_email: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._enum = enum
        self._default = default
        self._check_value = check_value
        self._choice_name = choice_name
        self._people = {p.id: p for p in people}
        self._rows: list[int] = []
        """Person ids in table order."""

        self.table = make_table(
            self,
            noun,
            ("Name", "Organisation", "E-Mail", choice_name),
            stretch=(ORGANISATION_COLUMN,),
        )
        self.table.setColumnHidden(EMAIL_COLUMN, not show_email)
        self.table.setSelectionMode(QTableWidget.SelectionMode.ExtendedSelection)
        self.table.installEventFilter(self)
        self.picker = PersonPicker(f"{noun}: Person eingeben oder wählen", people, self)
        self.picker.installEventFilter(self)
        self.choice_combo = enum_combo(enum, self, name=f"{choice_name} der neuen Person")
        select_value(self.choice_combo, default)
        self.add_button = QPushButton("Hinzufügen", self)
        self.add_button.setAccessibleName(f"Person zu {noun} hinzufügen")
        self.add_button.setAutoDefault(False)
        self.remove_button = QPushButton("Entfernen", self)
        self.remove_button.setAccessibleName(f"Ausgewählte aus {noun} entfernen")
        self.remove_button.setAutoDefault(False)
        self.remove_button.setEnabled(False)
        self.message_label = message_label(self, f"Hinweis zu {noun}")

        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 0, 0, 1, 4)
        layout.addWidget(self.picker, 1, 0)
        layout.addWidget(self.choice_combo, 1, 1)
        layout.addWidget(self.add_button, 1, 2)
        layout.addWidget(self.remove_button, 1, 3)
        layout.addWidget(self.message_label, 2, 0, 1, 4)
        layout.setColumnStretch(0, 1)

        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)
        self.table.itemChanged.connect(self._on_table_item_changed)

    # --- values ---------------------------------------------------------------------------

    def entries(self) -> list[tuple[int, E]]:
        """(person id, value) in table order."""
        result = []
        for row, person_id in enumerate(self._rows):
            combo = self.table.cellWidget(row, CHOICE_COLUMN)
            assert isinstance(combo, QComboBox)
            result.append((person_id, self._enum(combo.currentData())))
        return result

    def set_entries(self, entries: Iterable[tuple[int, E]]) -> None:
        self._rows = []
        self.table.setRowCount(0)
        for person_id, value in entries:
            self._append(person_id, value)
        self.table.resizeColumnsToContents()

    def set_value(self, person_id: int, value: E) -> None:
        combo = self.table.cellWidget(self._rows.index(person_id), CHOICE_COLUMN)
        assert isinstance(combo, QComboBox)
        select_value(combo, value)

    def person_ids(self) -> list[int]:
        return list(self._rows)

    def add_person(self, person_id: int, value: E | None = None) -> bool:
        """Append a person unless already listed; True if added."""
        if person_id in self._rows or person_id not in self._people:
            return False
        self._append(person_id, self._default if value is None else value)
        self.changed.emit()
        return True

    def _append(self, person_id: int, value: E) -> None:
        person = self._people.get(person_id, PersonChoice(person_id, f"Person {person_id}"))
        row = self.table.rowCount()
        self.table.insertRow(row)
        name_item = text_item(person.name, item_id=person_id)
        if self._check_value is not None:
            name_item.setFlags(name_item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            name_item.setCheckState(self._check_state(value))
        self.table.blockSignals(True)
        self.table.setItem(row, NAME_COLUMN, name_item)
        self.table.blockSignals(False)
        self.table.setItem(row, ORGANISATION_COLUMN, text_item(person.organisation or "–"))
        self.table.setItem(row, EMAIL_COLUMN, text_item(person.email or "keine Adresse"))
        combo = enum_combo(self._enum, self.table, name=f"{self._choice_name} von {person.name}")
        select_value(combo, value)
        combo.currentIndexChanged.connect(partial(self._on_choice_changed, person_id))
        self.table.setCellWidget(row, CHOICE_COLUMN, combo)
        self._rows.append(person_id)

    def show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

    # --- slots ----------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Enter in the picker adds the person instead of pressing the dialog's default button;
        # Del in the table removes the selected rows.
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.picker and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self.picker.text():
                    self._on_add_button_clicked()
                    return True
            elif watched is self.table and key == Qt.Key.Key_Delete:
                self._on_remove_button_clicked()
                return True
        return super().eventFilter(watched, event)

    def _on_add_button_clicked(self) -> None:
        person_id = self.picker.chosen_id()
        if person_id is None:
            if self.picker.text():
                self.show_message(
                    f"„{self.picker.text()}“ ist nicht im Netzwerk. Bitte aus der Liste wählen "
                    "oder die Person zuerst im Bereich Netzwerk anlegen."
                )
            return
        if person_id in self._rows:
            self.show_message(f"„{self._people[person_id].name}“ steht bereits in der Liste.")
            return
        self.add_person(person_id, self._enum(self.choice_combo.currentData()))
        self.show_message("")
        self.picker.reset()
        self.table.selectRow(len(self._rows) - 1)

    def _on_remove_button_clicked(self) -> None:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        if not rows:
            return
        for row in reversed(rows):
            self.table.removeRow(row)
            del self._rows[row]
        self.changed.emit()

    def _on_table_selection_changed(self) -> None:
        self.remove_button.setEnabled(bool(self.table.selectionModel().selectedRows()))

    def _check_state(self, value: E) -> Qt.CheckState:
        checked = value == self._check_value
        return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked

    def _on_choice_changed(self, person_id: int, _index: int) -> None:
        if self._check_value is not None:
            row = self._rows.index(person_id)
            item = self.table.item(row, NAME_COLUMN)
            combo = self.table.cellWidget(row, CHOICE_COLUMN)
            assert isinstance(combo, QComboBox) and item is not None
            self.table.blockSignals(True)
            item.setCheckState(self._check_state(self._enum(combo.currentData())))
            self.table.blockSignals(False)
        self.changed.emit()

    def _on_table_item_changed(self, item: QTableWidgetItem) -> None:
        """A ticked name sets the check value; an unticked one goes back to the default."""
        if self._check_value is None or item.column() != NAME_COLUMN:
            return
        combo = self.table.cellWidget(item.row(), CHOICE_COLUMN)
        if not isinstance(combo, QComboBox):
            return
        checked = item.checkState() == Qt.CheckState.Checked
        current = self._enum(combo.currentData())
        if checked and current != self._check_value:
            select_value(combo, self._check_value)
        elif not checked and current == self._check_value:
            select_value(combo, self._default)
