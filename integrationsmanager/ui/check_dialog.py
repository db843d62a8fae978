""" "Datenbank prüfen": runs the full check with progress and shows the readable report."""

from __future__ import annotations

from datetime import date

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from integrationsmanager.services.check import CheckReport, check_database
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.tasks import Progress, run_task
from integrationsmanager.ui.widgets.files import ask_save_path

TITLE = "Datenbank prüfen"


class CheckDialog(QDialog):
    """Call :meth:`run_check` after showing it (the main window does)."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.report: CheckReport | None = None
        self.setWindowTitle(TITLE)
        self.verdict = QLabel("Die Prüfung wurde noch nicht ausgeführt.")
        self.verdict.setWordWrap(True)
        self.verdict.setAccessibleName("Ergebnis der Prüfung")
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.text.setAccessibleName("Prüfbericht")
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.again_button = QPushButton("&Erneut prüfen")
        self.again_button.setAccessibleName("Erneut prüfen")
        self.save_button = QPushButton("Als &Text speichern …")
        self.save_button.setAccessibleName("Bericht als Textdatei speichern")
        self.save_button.setEnabled(False)
        buttons.addButton(self.again_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText("Schließen")
        close.setAccessibleName("Schließen")
        buttons.rejected.connect(self.reject)
        self.again_button.clicked.connect(self.run_check)
        self.save_button.clicked.connect(self.save_report)
        layout = QVBoxLayout(self)
        layout.addWidget(self.verdict)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        metrics = self.fontMetrics()
        self.resize(metrics.averageCharWidth() * 110, metrics.height() * 32)

    def run_check(self) -> CheckReport | None:
        database = self.database

        def job(progress: Progress) -> CheckReport:
            return check_database(database, progress=progress)

        outcome = run_task(
            self, job, title=TITLE, label="Die Datenbank wird geprüft; das dauert einen Moment …"
        )
        if outcome.value is None:
            return None
        self.show_report(outcome.value)
        return outcome.value

    def show_report(self, report: CheckReport) -> None:
        self.report = report
        if report.cancelled:
            verdict = "Die Prüfung wurde abgebrochen; der Bericht ist unvollständig."
        elif report.ok and not report.findings:
            verdict = "✔ Die Datenbank ist in Ordnung."
        elif report.ok:
            verdict = (
                f"Die Datenbank ist benutzbar; {len(report.warnings)} Warnung(en) betreffen "
                "einzelne Datensätze."
            )
        else:
            verdict = (
                f"✖ Die Prüfung hat {len(report.errors)} Fehler gefunden. Einzelheiten und was "
                "zu tun ist, stehen im Bericht."
            )
        self.verdict.setText(verdict)
        self.verdict.setAccessibleDescription(verdict)
        self.text.setPlainText(report.as_text())
        self.save_button.setEnabled(True)

    def save_report(self) -> None:
        if self.report is None:
            return
        path = ask_save_path(
            self,
            caption="Prüfbericht speichern",
            name=f"Pruefbericht-{date.today():%Y-%m-%d}.txt",
            file_filter="Textdatei (*.txt)",
            folder_key="check/folder",
        )
        if path is None:
            return
        try:
            path.write_text(self.report.as_text(), encoding="utf-8")
        except OSError as err:
            QMessageBox.warning(
                self, TITLE, f"Der Bericht konnte nicht gespeichert werden ({err.strerror})."
            )
