"""Einstellungen: the office's letterhead and the sender of invitations."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from integrationsmanager.domain.errors import ValidationError
from integrationsmanager.services.privacy import (
    MAX_RETENTION_YEARS,
    retention_years,
    save_retention_years,
)
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
            years = retention_years(session)
        for field in OFFICE_FIELDS:
            edit = QLineEdit(values[field.key])
            edit.setPlaceholderText(field.default)
            edit.setAccessibleName(field.label)
            label = QLabel(f"{field.label}:")
            label.setBuddy(edit)
            form.addRow(label, edit)
            self.edits[field.key] = edit
        self.retention_spin = QSpinBox()
        self.retention_spin.setRange(1, MAX_RETENTION_YEARS)
        self.retention_spin.setValue(years)
        self.retention_spin.setSuffix(" Jahre")
        self.retention_spin.setAccessibleName(
            "Kontaktdaten löschen nach Jahren seit dem letzten Kontakt bzw. dem Ende der "
            "letzten Zuwendung"
        )
        self.retention_spin.setToolTip(
            "Kontaktdaten löschen N Jahre nach dem letzten Kontakt bzw. dem Ende der letzten "
            "Zuwendung (Datenschutz → Fällige Löschungen)"
        )
        retention_label = QLabel("&Löschfrist Kontaktdaten:")
        retention_label.setBuddy(self.retention_spin)
        form.addRow(retention_label, self.retention_spin)
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
                save_retention_years(session, self.retention_spin.value())
        except ValidationError as err:
            self.error_label.setText("\n".join(err.errors.values()))
            self.edits[next(iter(err.errors))].setFocus()
            return False
        self.accept()
        return True
