"""Berichte: every document of the program in one list, its parameters, and "PDF erstellen"."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QDate, QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from integrationsmanager.domain.enums import MeasureStatus, Responsibility
from integrationsmanager.services.measures import MeasureFilter, guidelines
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.tasks import Progress, run_task


@dataclass(frozen=True)
class Document:
    key: str
    title: str
    description: str
    available: bool


DOCUMENTS = (
    Document(
        "measures",
        "Maßnahmenbericht",
        "Titelseite, Inhalt nach Leitlinien, je Maßnahme der Dreischritt Ausgangslage – Ziel – "
        "Umsetzung mit Zuständigkeit, Status, Terminen und Federführung, dazu eine Übersicht "
        "Leitlinie × Status.",
        True,
    ),
    Document("grants", "Förderübersicht", "Zuwendungen eines Jahres (folgt).", False),
    Document(
        "recipient", "Übersicht je Empfänger", "Alle Zuwendungen einer Organisation (folgt).", False
    ),
    Document(
        "decision", "Zuwendungsbescheid (Entwurf)", "Bescheid zu einer Bewilligung (folgt).", False
    ),
    Document(
        "meeting", "Sitzungsunterlagen", "Einladung, Tagesordnung, offene Aufgaben (folgt).", False
    ),
    Document("minutes", "Protokoll", "Protokoll einer Sitzung (folgt).", False),
    Document("attendance", "Anwesenheitsliste", "Liste zum Unterschreiben (folgt).", False),
    Document(
        "monitoring", "Monitoringbericht", "Leitlinien, Kennzahlen und Diagramme (folgt).", False
    ),
    Document("annual", "Jahresbericht", "Ein Jahr in Zahlen (folgt).", False),
)


class ReportsPage(QWidget):
    status_message = Signal(str)

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.setAccessibleName("Berichte")

        self.documents = QListWidget()
        self.documents.setAccessibleName("Dokumente")
        for document in DOCUMENTS:
            text = document.title if document.available else f"{document.title} (folgt)"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, document.key)
            if not document.available:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            self.documents.addItem(item)
        self.documents.setMaximumWidth(self.documents.sizeHintForColumn(0) + 40)

        self.title = QLabel()
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.guideline_combo = QComboBox()
        self.status_combo = QComboBox()
        self.responsibility_combo = QComboBox()
        self.year_combo = QComboBox()
        self.year_combo.addItem("alle Jahre", None)
        this_year = QDate.currentDate().year()
        for year in range(this_year + 3, this_year - 9, -1):
            self.year_combo.addItem(str(year), year)
        self.status_combo.addItem("alle", None)
        for status in MeasureStatus:
            self.status_combo.addItem(status.label, status)
        self.responsibility_combo.addItem("alle", None)
        for responsibility in Responsibility:
            self.responsibility_combo.addItem(responsibility.label, responsibility)
        self.create_button = QPushButton("PDF erstellen …")
        self.create_button.setAccessibleName("PDF erstellen")
        self.create_button.clicked.connect(self._on_create_clicked)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)

        form = QFormLayout()
        for label_text, field in (
            ("&Leitlinie:", self.guideline_combo),
            ("&Status:", self.status_combo),
            ("&Zuständigkeit:", self.responsibility_combo),
            ("&Jahr:", self.year_combo),
        ):
            label = QLabel(label_text)
            label.setBuddy(field)
            field.setAccessibleName(label_text.replace("&", "").rstrip(":"))
            form.addRow(label, field)

        right = QVBoxLayout()
        right.addWidget(self.title)
        right.addWidget(self.description)
        right.addLayout(form)
        buttons = QHBoxLayout()
        buttons.addWidget(self.create_button)
        buttons.addStretch(1)
        right.addLayout(buttons)
        right.addWidget(self.result_label)
        right.addStretch(1)
        parameters = QWidget()
        parameters.setLayout(right)
        parameters.setMaximumWidth(70 * self.fontMetrics().averageCharWidth())
        layout = QHBoxLayout(self)
        layout.addWidget(self.documents)
        layout.addWidget(parameters, 1)
        layout.addStretch(0)

        self.documents.currentRowChanged.connect(self._on_documents_row_changed)
        self.refresh()
        self.documents.setCurrentRow(0)

    def refresh(self) -> None:
        current = self.guideline_combo.currentData()
        self.guideline_combo.clear()
        self.guideline_combo.addItem("alle", None)
        with self.database.session() as session:
            for guideline in guidelines(session):
                self.guideline_combo.addItem(guideline.label, guideline.id)
        index = self.guideline_combo.findData(current)
        self.guideline_combo.setCurrentIndex(max(index, 0))

    def current_filter(self) -> MeasureFilter:
        return MeasureFilter(
            guideline_id=self.guideline_combo.currentData(),
            status=self.status_combo.currentData(),
            responsibility=self.responsibility_combo.currentData(),
            year=self.year_combo.currentData(),
        )

    def _on_documents_row_changed(self, row: int) -> None:
        document = DOCUMENTS[max(row, 0)]
        self.title.setText(f"<h2>{document.title}</h2>")
        self.description.setText(document.description)
        self.create_button.setEnabled(document.available)

    def _on_create_clicked(self) -> None:
        settings = QSettings()
        folder = str(settings.value("reports/folder", str(Path.home())))
        path_text, _ = QFileDialog.getSaveFileName(
            self,
            "Maßnahmenbericht speichern",
            str(Path(folder) / "Massnahmenbericht.pdf"),
            "PDF-Dateien (*.pdf)",
        )
        if not path_text:
            return
        path = Path(path_text)
        if path.suffix.lower() != ".pdf":
            path = path.with_suffix(".pdf")
        settings.setValue("reports/folder", str(path.parent))
        self.write_measures_report(path)

    def write_measures_report(self, path: Path) -> bool:
        """Write the measures report for the chosen parameters; True when it was written."""
        from integrationsmanager.reports.measures import write_measures_report

        flt = self.current_filter()
        database = self.database

        def job(progress: Progress) -> int:
            with database.session() as session:
                return write_measures_report(session, path, flt, progress=progress)

        outcome = run_task(
            self, job, title="Maßnahmenbericht", label="Der Maßnahmenbericht wird erstellt …"
        )
        if not outcome.ok:
            if outcome.cancelled:
                self.result_label.setText("Abgebrochen – es wurde keine Datei geschrieben.")
            return False
        self.result_label.setText(f"Bericht mit {outcome.value} Maßnahmen gespeichert: {path}")
        self.status_message.emit(f"Bericht gespeichert: {path.name}")
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        return True
