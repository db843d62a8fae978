"""Berichte: every document of the program in one list, its parameters, and "PDF erstellen".

Each document names the parameter form it needs (the measure filter, or one meeting) and the
writer that makes it; writing runs in the background with a progress dialog that can be
cancelled, and the finished PDF opens in the system's viewer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QDate, QSettings, QUrl, Signal
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
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from integrationsmanager.domain.enums import MeasureStatus, Responsibility
from integrationsmanager.services.grants import (
    approved_grant_choices,
    list_programs,
    recipient_choices,
)
from integrationsmanager.services.listing import list_meetings
from integrationsmanager.services.measures import MeasureFilter, guidelines
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.tasks import Progress, run_task

MEASURE_FORM = 0
MEETING_FORM = 1
GRANTS_FORM = 2
RECIPIENT_FORM = 3
DECISION_FORM = 4
YEAR_FORM = 5

Writer = Callable[[Session, Path, Progress], object]
Preferred = QSizePolicy.Policy.Preferred


@dataclass(frozen=True)
class Document:
    key: str
    title: str
    description: str
    form: int
    """Which parameter form the document needs."""
    file_name: str


DOCUMENTS = (
    Document(
        "measures",
        "Maßnahmenbericht",
        "Titelseite, Inhalt nach Leitlinien, je Maßnahme der Dreischritt Ausgangslage – Ziel – "
        "Umsetzung mit Zuständigkeit, Status, Terminen und Federführung, dazu eine Übersicht "
        "Leitlinie × Status.",
        MEASURE_FORM,
        "Massnahmenbericht.pdf",
    ),
    Document(
        "meeting",
        "Sitzungsunterlagen",
        "Einladung mit Termin, Ort und Tagesordnung, Teilnehmende, offene Aufgaben des "
        "Gremiums und der Stand seiner Maßnahmen.",
        MEETING_FORM,
        "Sitzungsunterlagen.pdf",
    ),
    Document(
        "attendance",
        "Anwesenheitsliste",
        "Namen und Organisationen der Eingeladenen mit einer Spalte zum Unterschreiben.",
        MEETING_FORM,
        "Anwesenheitsliste.pdf",
    ),
    Document(
        "minutes",
        "Protokoll",
        "Anwesenheit, je Tagesordnungspunkt Protokoll und Beschlüsse, neue Aufgaben mit "
        "Verantwortlichen und Fristen.",
        MEETING_FORM,
        "Protokoll.pdf",
    ),
    Document(
        "grants",
        "Förderübersicht",
        "Summen je Förderprogramm und Leitlinie mit Diagramm, die Tabelle aller Zuwendungen "
        "des Haushaltsjahres (Querformat) und die Gesamtsummen.",
        GRANTS_FORM,
        "Foerderuebersicht.pdf",
    ),
    Document(
        "recipient",
        "Übersicht je Empfänger",
        "Alle Zuwendungen einer Organisation mit ihren Summen.",
        RECIPIENT_FORM,
        "Zuwendungen-Empfaenger.pdf",
    ),
    Document(
        "decision",
        "Zuwendungsbescheid (Entwurf)",
        "Bescheid-Entwurf zu einer bewilligten Zuwendung mit dem Briefkopf des Amtes und der "
        "Anschrift des Empfängers.",
        DECISION_FORM,
        "Zuwendungsbescheid.pdf",
    ),
    Document(
        "monitoring",
        "Monitoringbericht",
        "Für den Kreistag: eine Zusammenfassung vorab, Maßnahmen je Leitlinie nach Status, "
        "Förderung des Jahres, dann je Leitlinie ihre Ziele, ihre Kennzahlen mit Diagramm und "
        "Werten, ihre Maßnahmen und ihre Zuwendungen.",
        YEAR_FORM,
        "Monitoringbericht.pdf",
    ),
    Document(
        "annual",
        "Jahresbericht",
        "Ein Jahr in Zahlen: begonnene und abgeschlossene Maßnahmen, durchgeführte Sitzungen, "
        "Zuwendungen und Geld je Förderprogramm und Leitlinie, Veränderung der Kennzahlen.",
        YEAR_FORM,
        "Jahresbericht.pdf",
    ),
)


def _refill(combo: QComboBox, items: list[tuple[int, str]]) -> None:
    """Replace a pick list's items, keeping the choice if it is still there."""
    current = combo.currentData()
    combo.clear()
    for record_id, label in items:
        combo.addItem(label, record_id)
    if combo.count():
        combo.setCurrentIndex(max(combo.findData(current), 0))


def _labelled(form: QFormLayout, text: str, field: QWidget) -> None:
    label = QLabel(text)
    label.setBuddy(field)
    field.setAccessibleName(text.replace("&", "").rstrip(":"))
    form.addRow(label, field)


class ReportsPage(QWidget):
    status_message = Signal(str)

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.setAccessibleName("Berichte")

        self.documents = QListWidget()
        self.documents.setAccessibleName("Dokumente")
        for document in DOCUMENTS:
            self.documents.addItem(QListWidgetItem(document.title))
        self.documents.setMaximumWidth(self.documents.sizeHintForColumn(0) + 40)

        self.title = QLabel()
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.forms = QStackedWidget()
        self._form_widgets = [
            self._measure_form(),
            self._meeting_form(),
            self._grants_form(),
            self._recipient_form(),
            self._decision_form(),
            self._year_form(),
        ]
        for form in self._form_widgets:
            self.forms.addWidget(form)
        self.create_button = QPushButton("PDF erstellen …")
        self.create_button.setAccessibleName("PDF erstellen")
        self.create_button.clicked.connect(self._on_create_clicked)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)

        right = QVBoxLayout()
        right.addWidget(self.title)
        right.addWidget(self.description)
        right.addWidget(self.forms)
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

    def _measure_form(self) -> QWidget:
        self.guideline_combo = QComboBox()
        self.status_combo = QComboBox()
        self.status_combo.addItem("alle", None)
        for status in MeasureStatus:
            self.status_combo.addItem(status.label, status)
        self.responsibility_combo = QComboBox()
        self.responsibility_combo.addItem("alle", None)
        for responsibility in Responsibility:
            self.responsibility_combo.addItem(responsibility.label, responsibility)
        self.year_combo = QComboBox()
        self.year_combo.addItem("alle Jahre", None)
        this_year = QDate.currentDate().year()
        for year in range(this_year + 3, this_year - 9, -1):
            self.year_combo.addItem(str(year), year)
        widget = QWidget()
        form = QFormLayout(widget)
        form.setContentsMargins(0, 0, 0, 0)
        _labelled(form, "&Leitlinie:", self.guideline_combo)
        _labelled(form, "&Status:", self.status_combo)
        _labelled(form, "&Zuständigkeit:", self.responsibility_combo)
        _labelled(form, "&Jahr:", self.year_combo)
        return widget

    def _meeting_form(self) -> QWidget:
        self.meeting_combo = QComboBox()
        self.meeting_combo.setPlaceholderText("keine Sitzungen vorhanden")
        self.meeting_combo.currentIndexChanged.connect(self._on_choice_changed)
        widget = QWidget()
        form = QFormLayout(widget)
        form.setContentsMargins(0, 0, 0, 0)
        _labelled(form, "S&itzung:", self.meeting_combo)
        return widget

    def _form(self, *fields: tuple[str, QWidget]) -> QWidget:
        widget = QWidget()
        form = QFormLayout(widget)
        form.setContentsMargins(0, 0, 0, 0)
        for text, field in fields:
            _labelled(form, text, field)
        return widget

    def _grants_form(self) -> QWidget:
        self.grants_year_combo = QComboBox()
        this_year = QDate.currentDate().year()
        for year in range(this_year + 2, this_year - 9, -1):
            self.grants_year_combo.addItem(str(year), year)
        self.grants_year_combo.setCurrentIndex(self.grants_year_combo.findData(this_year))
        self.program_combo = QComboBox()
        return self._form(
            ("Haushalts&jahr:", self.grants_year_combo), ("&Förderprogramm:", self.program_combo)
        )

    def _recipient_form(self) -> QWidget:
        self.recipient_combo = QComboBox()
        self.recipient_combo.setPlaceholderText("keine Empfänger von Zuwendungen")
        self.recipient_combo.currentIndexChanged.connect(self._on_choice_changed)
        return self._form(("&Empfänger:", self.recipient_combo))

    def _decision_form(self) -> QWidget:
        self.grant_combo = QComboBox()
        self.grant_combo.setPlaceholderText("keine bewilligten Zuwendungen")
        self.grant_combo.currentIndexChanged.connect(self._on_choice_changed)
        return self._form(("&Zuwendung:", self.grant_combo))

    def _year_form(self) -> QWidget:
        self.report_year_combo = QComboBox()
        this_year = QDate.currentDate().year()
        for year in range(this_year + 1, this_year - 11, -1):
            self.report_year_combo.addItem(str(year), year)
        self.report_year_combo.setCurrentIndex(self.report_year_combo.findData(this_year))
        return self._form(("Berichts&jahr:", self.report_year_combo))

    def refresh(self) -> None:
        guideline = self.guideline_combo.currentData()
        meeting = self.meeting_combo.currentData()
        self.guideline_combo.clear()
        self.guideline_combo.addItem("alle", None)
        self.meeting_combo.clear()
        program = self.program_combo.currentData()
        self.program_combo.clear()
        self.program_combo.addItem("alle", None)
        with self.database.session() as session:
            for item in guidelines(session):
                self.guideline_combo.addItem(item.label, item.id)
            for meeting_id, label in reversed(list_meetings(session)):
                self.meeting_combo.addItem(label, meeting_id)
            for program_id, name in list_programs(session):
                self.program_combo.addItem(name, program_id)
            recipients = recipient_choices(session)
            approved = approved_grant_choices(session)
        self.program_combo.setCurrentIndex(max(self.program_combo.findData(program), 0))
        _refill(self.recipient_combo, recipients)
        _refill(self.grant_combo, approved)
        self.guideline_combo.setCurrentIndex(max(self.guideline_combo.findData(guideline), 0))
        if self.meeting_combo.count():
            self.meeting_combo.setCurrentIndex(max(self.meeting_combo.findData(meeting), 0))
        self._update_button()

    def current_document(self) -> Document:
        return DOCUMENTS[max(self.documents.currentRow(), 0)]

    def current_filter(self) -> MeasureFilter:
        return MeasureFilter(
            guideline_id=self.guideline_combo.currentData(),
            status=self.status_combo.currentData(),
            responsibility=self.responsibility_combo.currentData(),
            year=self.year_combo.currentData(),
        )

    def select_document(self, key: str) -> None:
        self.documents.setCurrentRow([d.key for d in DOCUMENTS].index(key))

    def _update_button(self) -> None:
        document = self.current_document()
        needs = {
            MEETING_FORM: self.meeting_combo,
            RECIPIENT_FORM: self.recipient_combo,
            DECISION_FORM: self.grant_combo,
        }
        combo = needs.get(document.form)
        self.create_button.setEnabled(combo is None or combo.currentData() is not None)

    def _on_choice_changed(self, _index: int) -> None:
        """Any pick list a document needs: the button follows whether a choice is made."""
        self._update_button()

    def _on_documents_row_changed(self, row: int) -> None:
        document = DOCUMENTS[max(row, 0)]
        self.title.setText(f"<h2>{document.title}</h2>")
        self.description.setText(document.description)
        self.forms.setCurrentIndex(document.form)
        for index, form in enumerate(self._form_widgets):
            # Only the shown form claims height, so the button follows right below it.
            height = Preferred if index == document.form else QSizePolicy.Policy.Ignored
            form.setSizePolicy(Preferred, height)
        self._update_button()

    def _on_create_clicked(self) -> None:
        document = self.current_document()
        settings = QSettings()
        folder = str(settings.value("reports/folder", str(Path.home())))
        path_text, _ = QFileDialog.getSaveFileName(
            self,
            f"{document.title} speichern",
            str(Path(folder) / document.file_name),
            "PDF-Dateien (*.pdf)",
        )
        if not path_text:
            return
        path = Path(path_text)
        if path.suffix.lower() != ".pdf":
            path = path.with_suffix(".pdf")
        settings.setValue("reports/folder", str(path.parent))
        self.write(path)

    def _writer(self, document: Document) -> Writer:
        if document.key == "measures":
            from integrationsmanager.reports.measures import write_measures_report

            flt = self.current_filter()
            return lambda s, p, progress: write_measures_report(s, p, flt, progress=progress)
        if document.key == "grants":
            from integrationsmanager.reports.grants import write_grant_summary

            year: int = self.grants_year_combo.currentData()
            program_id = self.program_combo.currentData()
            return lambda s, p, progress: write_grant_summary(
                s, p, year=year, program_id=program_id, progress=progress
            )
        if document.key == "recipient":
            from integrationsmanager.reports.grants import write_recipient_summary

            organisation_id: int = self.recipient_combo.currentData()
            return lambda s, p, progress: write_recipient_summary(
                s, p, organisation_id=organisation_id, progress=progress
            )
        report_year: int = self.report_year_combo.currentData()
        if document.key == "monitoring":
            from integrationsmanager.reports.monitoring import write_monitoring_report

            return lambda s, p, progress: write_monitoring_report(
                s, p, year=report_year, progress=progress
            )
        if document.key == "annual":
            from integrationsmanager.reports.annual import write_annual_report

            return lambda s, p, progress: write_annual_report(
                s, p, year=report_year, progress=progress
            )
        if document.key == "decision":
            from integrationsmanager.reports.decision import write_decision_letter

            grant_id: int = self.grant_combo.currentData()
            return lambda s, p, progress: write_decision_letter(
                s, p, grant_id=grant_id, progress=progress
            )
        meeting_id: int = self.meeting_combo.currentData()
        if document.key == "meeting":
            from integrationsmanager.reports.meeting_pack import write_meeting_pack

            return lambda s, p, progress: write_meeting_pack(s, meeting_id, p, progress=progress)
        if document.key == "attendance":
            from integrationsmanager.reports.attendance import write_attendance_list

            return lambda s, p, progress: write_attendance_list(s, meeting_id, p, progress=progress)
        from integrationsmanager.reports.minutes import write_minutes

        return lambda s, p, progress: write_minutes(s, meeting_id, p, progress=progress)

    def write(self, path: Path) -> bool:
        """Write the selected document with its parameters; True when it was written."""
        document = self.current_document()
        writer = self._writer(document)
        database = self.database

        def job(progress: Progress) -> object:
            with database.session() as session:
                return writer(session, path, progress)

        outcome = run_task(
            self, job, title=document.title, label=f"{document.title} wird erstellt …"
        )
        if not outcome.ok:
            if outcome.cancelled:
                self.result_label.setText("Abgebrochen – es wurde keine Datei geschrieben.")
            return False
        self.result_label.setText(f"{document.title} gespeichert: {path}")
        self.status_message.emit(f"{document.title} gespeichert: {path.name}")
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        return True
