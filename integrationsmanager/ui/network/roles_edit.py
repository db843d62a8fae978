"""The person editor's list of functions: organisation, function, from and to, per line.

An organisation is picked from the known ones or typed; a new name creates the organisation
when the person is saved (the service does that, ignoring case and umlaut spelling).
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from integrationsmanager.domain.text import clean_line
from integrationsmanager.services.persons import RoleData
from integrationsmanager.ui.widgets.dates import OptionalDateEdit
from integrationsmanager.ui.widgets.focus import chain_tabs, previous_tab_stop, tab_stops
from integrationsmanager.ui.widgets.names import NameCombo


class RoleRow(QFrame):
    """One function of the person; ``number`` names its controls for screen readers."""

    changed = Signal()
    remove_requested = Signal()

    def __init__(self, number: int, choices: dict[str, int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._choices = choices
        self._loaded: tuple[int, str] | None = None
        self.organisation_combo = NameCombo(choices, self)
        self.organisation_combo.line_edit.setPlaceholderText("Organisation wählen oder eingeben")
        self.function_edit = QLineEdit(self)
        self.function_edit.setPlaceholderText("Funktion, z. B. Vorsitz, Beratung")
        self.from_edit = OptionalDateEdit(f"Funktion {number}: von", self)
        self.to_edit = OptionalDateEdit(f"Funktion {number}: bis", self)
        self.remove_button = QPushButton("Entfernen", self)
        self.remove_button.setAutoDefault(False)
        self.remove_button.setAccessibleName(f"Funktion {number} entfernen")
        self.organisation_combo.setAccessibleName(f"Funktion {number}: Organisation")
        self.organisation_combo.line_edit.setAccessibleName(f"Funktion {number}: Organisation")
        self.function_edit.setAccessibleName(f"Funktion {number}: Bezeichnung")
        from_label = QLabel("von", self)
        from_label.setBuddy(self.from_edit)
        to_label = QLabel("bis", self)
        to_label.setBuddy(self.to_edit)

        layout = QGridLayout(self)
        layout.addWidget(self.organisation_combo, 0, 0, 1, 5)
        layout.addWidget(self.function_edit, 1, 0, 1, 5)
        layout.addWidget(from_label, 2, 0)
        layout.addWidget(self.from_edit, 2, 1)
        layout.addWidget(to_label, 2, 2)
        layout.addWidget(self.to_edit, 2, 3)
        layout.addWidget(self.remove_button, 2, 4)
        layout.setColumnStretch(1, 1)
        layout.setColumnStretch(3, 1)

        self.organisation_combo.currentTextChanged.connect(self._on_any_changed)
        self.function_edit.textChanged.connect(self._on_any_changed)
        self.from_edit.changed.connect(self._on_any_changed)
        self.to_edit.changed.connect(self._on_any_changed)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)

    def set_role(self, role: RoleData) -> None:
        if role.organisation_id is not None:
            self._loaded = (role.organisation_id, role.organisation_name)
        self.organisation_combo.set_text(role.organisation_name)
        self.function_edit.setText(role.function)
        self.from_edit.set_value(role.valid_from)
        self.to_edit.set_value(role.valid_to)

    def role(self) -> RoleData:
        """The line as data: the organisation by id where the name is a known one."""
        name = self.organisation_combo.text()
        organisation_id = self._choices.get(name)
        if organisation_id is None and self._loaded is not None and self._loaded[1] == name:
            organisation_id = self._loaded[0]
        return RoleData(
            organisation_id=organisation_id,
            organisation_name=name,
            function=clean_line(self.function_edit.text()),
            valid_from=self.from_edit.value(),
            valid_to=self.to_edit.value(),
        )

    def _on_any_changed(self, *_args: object) -> None:
        self.changed.emit()

    def _on_remove_button_clicked(self) -> None:
        self.remove_requested.emit()


class RolesEdit(QWidget):
    """All functions of a person, with a button to add one."""

    changed = Signal()

    def __init__(self, choices: dict[str, int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._choices = choices
        self.rows: list[RoleRow] = []
        self.empty_label = QLabel("Noch keine Funktion in einer Organisation.", self)
        self.add_button = QPushButton("Funktion hinzufügen", self)
        self.add_button.setAutoDefault(False)
        self.add_button.setAccessibleName("Funktion in einer Organisation hinzufügen")
        self._rows_layout = QVBoxLayout()
        self._rows_layout.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.empty_label)
        layout.addLayout(self._rows_layout)
        layout.addWidget(self.add_button)
        self.add_button.clicked.connect(self._on_add_button_clicked)

    def roles(self) -> list[RoleData]:
        return [row.role() for row in self.rows]

    def set_roles(self, roles: list[RoleData]) -> None:
        for row in self.rows:
            row.deleteLater()
        self.rows = []
        for role in roles:
            self.add_role().set_role(role)
        self._show_empty()

    def add_role(self) -> RoleRow:
        """Append an empty line and return it."""
        row = RoleRow(len(self.rows) + 1, self._choices, self)
        self._order_tabs(row)
        row.changed.connect(self._on_row_changed)
        row.remove_requested.connect(partial(self._on_row_remove_requested, row))
        self.rows.append(row)
        self._rows_layout.addWidget(row)
        self._show_empty()
        return row

    def _order_tabs(self, row: RoleRow) -> None:
        """A new line comes after the lines above it and before "Funktion hinzufügen" (a
        widget made later would otherwise come last, after the dialog's buttons)."""
        chain_tabs([previous_tab_stop(self.add_button), *tab_stops(row), self.add_button])

    def _show_empty(self) -> None:
        self.empty_label.setVisible(not self.rows)

    def _on_add_button_clicked(self) -> None:
        row = self.add_role()
        row.organisation_combo.setFocus()
        self.changed.emit()

    def _on_row_changed(self) -> None:
        self.changed.emit()

    def _on_row_remove_requested(self, row: RoleRow) -> None:
        roles = [r.role() for r in self.rows if r is not row]
        self.set_roles(roles)
        (self.rows[-1].remove_button if self.rows else self.add_button).setFocus()
        self.changed.emit()
