"""The contact history of one organisation or person: newest entry first, and a new entry.

Entries come from :func:`activities_for` (an organisation's history also shows notes on its
people made during their time there) and are added with :func:`add_activity`.
"""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import QDate, Qt, QUrl, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from integrationsmanager.domain.enums import ActivityKind
from integrationsmanager.domain.errors import UserError
from integrationsmanager.domain.network import Activity, Person
from integrationsmanager.services.activities import activities_for, add_activity
from integrationsmanager.services.persons import person_display_name
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.widgets.dates import DATE_FORMAT, GERMAN, format_date
from integrationsmanager.ui.widgets.form import text_edit

NO_ENTRIES = "Noch kein Kontakt eingetragen – der erste Eintrag kommt unten hinzu."
PERSON_LINK = "person"


def _entry_html(activity: Activity, person: str) -> str:
    kind = ActivityKind(activity.kind).label
    by = f" · {escape(activity.author)}" if activity.author else ""
    about = (
        f' · bei <a href="{PERSON_LINK}:{activity.person_id}">{escape(person)}</a>'
        if person
        else ""
    )
    subject = f"<br><b>{escape(activity.subject)}</b>" if activity.subject else ""
    text = f"<br>{escape(activity.text).replace(chr(10), '<br>')}" if activity.text else ""
    return f"<p><b>{format_date(activity.happened_on)}</b> · {kind}{about}{by}{subject}{text}</p>"


class HistoryPane(QWidget):
    """Shows the history of the record set with :meth:`show_record` and takes new entries.

    ``person_requested`` carries the id of a person named in an organisation's history.
    """

    added = Signal()
    person_requested = Signal(int)

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._database = database
        self._organisation_id: int | None = None
        self._person_id: int | None = None

        self.browser = QTextBrowser(self)
        self.browser.setAccessibleName("Kontaktverlauf, neuester Eintrag zuerst")
        self.browser.setOpenLinks(False)

        self.kind_combo = QComboBox(self)
        for kind in ActivityKind:
            self.kind_combo.addItem(kind.label, kind.value)
        self.date_edit = QDateEdit(self)
        self.date_edit.setLocale(GERMAN)
        self.date_edit.setDisplayFormat(DATE_FORMAT)
        self.date_edit.setCalendarPopup(True)
        self.subject_edit = QLineEdit(self)
        self.subject_edit.setPlaceholderText("Betreff, z. B. „Rückruf wegen Sprachkurs“")
        self.text_edit = text_edit(self, lines=2)
        self.text_edit.setPlaceholderText("Was wurde besprochen? (freiwillig)")
        self.add_button = QPushButton("Eintragen", self)
        self.add_button.setEnabled(False)
        self.add_button.setAccessibleName("Kontakt eintragen")

        form = QGridLayout()
        for column, (text, widget) in enumerate(
            (("Ar&t", self.kind_combo), ("Datu&m", self.date_edit))
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            widget.setAccessibleName(f"{text.replace('&', '')} des Kontakts")
            form.addWidget(label, 0, 2 * column)
            form.addWidget(widget, 0, 2 * column + 1)
        for inner in self.date_edit.findChildren(QLineEdit):
            inner.setAccessibleName("Datum des Kontakts")
        subject_label = QLabel("&Betreff", self)
        subject_label.setBuddy(self.subject_edit)
        self.subject_edit.setAccessibleName("Betreff des Kontakts")
        form.addWidget(subject_label, 0, 4)
        form.addWidget(self.subject_edit, 0, 5)
        text_label = QLabel("&Notiz", self)
        text_label.setBuddy(self.text_edit)
        self.text_edit.setAccessibleName("Notiz zum Kontakt")
        form.addWidget(text_label, 1, 0, Qt.AlignmentFlag.AlignTop)
        form.addWidget(self.text_edit, 1, 1, 1, 5)
        form.addWidget(self.add_button, 2, 5, Qt.AlignmentFlag.AlignRight)
        form.setColumnStretch(5, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser, 1)
        layout.addLayout(form)

        self.subject_edit.textChanged.connect(self._on_subject_edit_text_changed)
        self.text_edit.textChanged.connect(self._on_text_edit_text_changed)
        self.subject_edit.returnPressed.connect(self._on_subject_edit_return_pressed)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.browser.anchorClicked.connect(self._on_browser_anchor_clicked)

    def show_record(
        self, *, organisation_id: int | None = None, person_id: int | None = None
    ) -> None:
        """Show the history of one organisation or person as it is in the database now."""
        if (organisation_id, person_id) != (self._organisation_id, self._person_id):
            self._clear_entry()
        self._organisation_id = organisation_id
        self._person_id = person_id
        with self._database.session() as session:
            entries = activities_for(session, organisation_id=organisation_id, person_id=person_id)
            html = []
            for activity in entries:
                person = ""
                if organisation_id is not None and activity.person_id is not None:
                    found = session.get(Person, activity.person_id)
                    person = person_display_name(found) if found is not None else ""
                html.append(_entry_html(activity, person))
        self.browser.setHtml("".join(html) or f"<p>{escape(NO_ENTRIES)}</p>")

    def add_entry(self) -> bool:
        """Store the typed entry for the shown record; True when it was added."""
        if not self._can_add():
            return False
        chosen = self.date_edit.date()
        try:
            with self._database.session() as session:
                add_activity(
                    session,
                    kind=ActivityKind(self.kind_combo.currentData()),
                    happened_on=date(chosen.year(), chosen.month(), chosen.day()),
                    subject=self.subject_edit.text(),
                    text=self.text_edit.toPlainText(),
                    organisation_id=self._organisation_id,
                    person_id=self._person_id,
                )
        except UserError as err:
            QMessageBox.warning(self, "Kontakt eintragen", str(err))
            return False
        self._clear_entry()
        self.show_record(organisation_id=self._organisation_id, person_id=self._person_id)
        self.added.emit()
        return True

    def _can_add(self) -> bool:
        has_record = self._organisation_id is not None or self._person_id is not None
        typed = bool(self.subject_edit.text().strip() or self.text_edit.toPlainText().strip())
        return has_record and typed

    def _clear_entry(self) -> None:
        self.subject_edit.clear()
        self.text_edit.clear()
        self.kind_combo.setCurrentIndex(0)
        self.date_edit.setDate(QDate.currentDate())

    def _on_subject_edit_text_changed(self, _text: str) -> None:
        self.add_button.setEnabled(self._can_add())

    def _on_text_edit_text_changed(self) -> None:
        self.add_button.setEnabled(self._can_add())

    def _on_subject_edit_return_pressed(self) -> None:
        self.add_entry()

    def _on_add_button_clicked(self) -> None:
        self.add_entry()

    def _on_browser_anchor_clicked(self, url: QUrl) -> None:
        kind, _sep, number = url.toString().partition(":")
        if kind == PERSON_LINK and number.isdigit():
            self.person_requested.emit(int(number))
