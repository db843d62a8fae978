"""Einstellungen: the office's letterhead and the sender of invitations."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from integrationsmanager.domain.errors import ValidationError
from integrationsmanager.services.settings import (
    OFFICE_FIELDS,
    office_settings,
    save_office_settings,
)
from integrationsmanager.storage.database import Database


class SettingsDialog(QDialog):
    """One field per setting; an empty field uses the default shown as placeholder."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._database = database
        self.setWindowTitle("Einstellungen")
        intro = QLabel(
            "Briefkopf für Bescheide und der Absender von Einladungen. Ein leeres Feld "
            "verwendet den grau angezeigten Vorschlag."
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        self.edits: dict[str, QLineEdit] = {}
        with database.session() as session:
            values = office_settings(session)
        for field in OFFICE_FIELDS:
            edit = QLineEdit(values[field.key])
            edit.setPlaceholderText(field.default)
            edit.setAccessibleName(field.label)
            label = QLabel(f"{field.label}:")
            label.setBuddy(edit)
            form.addRow(label, edit)
            self.edits[field.key] = edit
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 90, self.sizeHint().height())

    def save(self) -> bool:
        values = {key: edit.text() for key, edit in self.edits.items()}
        try:
            with self._database.session() as session:
                save_office_settings(session, values)
        except ValidationError as err:
            self.error_label.setText("\n".join(err.errors.values()))
            self.edits[next(iter(err.errors))].setFocus()
            return False
        self.accept()
        return True
