"""The two DSGVO actions on one person: write the information (Art. 15) and erase (Art. 17)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from integrationsmanager.domain.errors import UserError
from integrationsmanager.reports.privacy import write_person_information
from integrationsmanager.services.persons import get_person, person_display_name
from integrationsmanager.services.privacy import ErasureReport, erase_person
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.tasks import Progress, run_task
from integrationsmanager.ui.widgets.files import remembered_folder
from integrationsmanager.ui.widgets.settings import app_settings

FOLDER_KEY = "folders/privacy"
CONFIRM_WORD = "LÖSCHEN"

ERASE_EXPLANATION = (
    "<p>Die personenbezogenen Daten von <b>{name}</b> werden unwiderruflich gelöscht "
    "(Art. 17 DSGVO):</p><ul>"
    "<li>Name, Anschrift, E-Mail-Adressen, Telefonnummern, Sprachen, Notizen, Schlagwörter "
    "und Einwilligung werden gelöscht; der Datensatz heißt danach „Gelöschte Person "
    "#{id}“.</li>"
    "<li>Funktionen in Organisationen, Mitgliedschaften in Gremien und der Kontaktverlauf "
    "werden gelöscht.</li>"
    "<li>Einladungen und Teilnahmen an Sitzungen bleiben anonym erhalten (Teilnehmerzahlen "
    "ändern sich nicht); Zuwendungen und ihre Summen bleiben unverändert.</li>"
    "<li>Im Änderungsverlauf werden die Werte gelöscht; Name und Kontaktdaten werden auch "
    "in Freitexten (z. B. Protokollen) ersetzt.</li></ul>"
    "<p>Zum Bestätigen bitte <b>{word}</b> eingeben.</p>"
)


def _person_name(database: Database, person_id: int) -> str:
    with database.session() as session:
        person = get_person(session, person_id)
        if person is None:
            raise UserError(f"Person {person_id} gibt es nicht (mehr).")
        return person_display_name(person)


def export_information(
    database: Database, person_id: int, parent: QWidget
) -> tuple[Path, Path] | None:
    """Ask for a folder, write the Art. 15 PDF and JSON there and open the folder."""
    chosen = QFileDialog.getExistingDirectory(
        parent, "Ordner für die Auskunft (Art. 15) wählen", str(remembered_folder(FOLDER_KEY))
    )
    if not chosen:
        return None
    folder = Path(chosen)
    app_settings().setValue(FOLDER_KEY, str(folder))

    def job(progress: Progress) -> tuple[Path, Path]:
        with database.session() as session:
            return write_person_information(session, person_id, folder, progress=progress)

    outcome = run_task(
        parent, job, title="Auskunft nach Art. 15", label="Auskunft wird geschrieben …"
    )
    if not outcome.ok or outcome.value is None:
        return None
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
    return outcome.value


class EraseDialog(QDialog):
    """Explains what erasing does; the button works only after typing :data:`CONFIRM_WORD`."""

    def __init__(self, person_id: int, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Löschen nach Art. 17 DSGVO")
        explanation = QLabel(ERASE_EXPLANATION.format(name=name, id=person_id, word=CONFIRM_WORD))
        explanation.setWordWrap(True)
        self.confirm_edit = QLineEdit(self)
        self.confirm_edit.setAccessibleName(f"Zum Bestätigen {CONFIRM_WORD} eingeben")
        self.confirm_edit.setPlaceholderText(CONFIRM_WORD)
        explanation.setBuddy(self.confirm_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.erase_button = self.buttons.addButton(
            "Unwiderruflich &löschen", QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.erase_button.setAccessibleName("Unwiderruflich löschen")
        self.erase_button.setEnabled(False)
        self.erase_button.clicked.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.confirm_edit.textChanged.connect(self._on_text_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(self.confirm_edit)
        layout.addWidget(self.buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 80, self.sizeHint().height())

    def _on_text_changed(self, text: str) -> None:
        self.erase_button.setEnabled(text.strip().upper() == CONFIRM_WORD)


def erase_with_confirmation(
    database: Database, person_id: int, parent: QWidget
) -> ErasureReport | None:
    """Explain, ask to type the confirmation word, erase in one transaction, report."""
    try:
        name = _person_name(database, person_id)
    except UserError as err:
        QMessageBox.warning(parent, "Löschen nach Art. 17 DSGVO", str(err))
        return None
    dialog = EraseDialog(person_id, name, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None

    def job(_progress: Progress) -> ErasureReport:
        with database.session() as session:
            return erase_person(session, person_id)

    outcome = run_task(parent, job, title="Löschen nach Art. 17", label="Daten werden gelöscht …")
    if not outcome.ok or outcome.value is None:
        return None
    QMessageBox.information(parent, "Gelöscht", "\n".join(outcome.value.lines()))
    return outcome.value
