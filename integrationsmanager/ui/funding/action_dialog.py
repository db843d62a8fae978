"""The small dialog behind a grant's action: only the amount, date and note that step needs.

OK hands the input to ``submit``, which makes the change and returns "" or the reason it
failed; the reason stays in the dialog so the user can correct the amount without retyping.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from integrationsmanager.domain.errors import FieldError
from integrationsmanager.domain.money import format_money, to_cents
from integrationsmanager.ui.funding.steps import ActionSpec
from integrationsmanager.ui.widgets.dates import DATE_FORMAT, GERMAN
from integrationsmanager.ui.widgets.form import labelled_row, message_label, text_edit


@dataclass(frozen=True)
class ActionInput:
    """What the user entered for a transition."""

    amount_cents: int | None
    on: date | None
    note: str


def _plain_amount(cents: int | None) -> str:
    """ "4.500,00" for the field (the € sign is not typed)."""
    return format_money(cents).replace("\u00a0€", "").replace(" €", "") if cents else ""


class ActionDialog(QDialog):
    """Asks for what ``spec`` names; OK stays disabled while the amount or note is missing."""

    def __init__(
        self,
        spec: ActionSpec,
        *,
        subject: str,
        submit: Callable[[ActionInput], str],
        amount_cents: int | None = None,
        today: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.spec = spec
        self._submit = submit
        self.setWindowTitle(spec.title)
        form = QFormLayout()
        intro = QLabel(subject, self)
        intro.setWordWrap(True)
        self.amount_edit: QLineEdit | None = None
        self.date_edit: QDateEdit | None = None
        if spec.amount_label:
            self.amount_edit = QLineEdit(_plain_amount(amount_cents), self)
            self.amount_edit.setPlaceholderText("z. B. 4.500,00")
            self.amount_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
            labelled_row(form, spec.amount_label + " (€)", self.amount_edit)
        if spec.date_label:
            self.date_edit = QDateEdit(self)
            self.date_edit.setLocale(GERMAN)
            self.date_edit.setDisplayFormat(DATE_FORMAT)
            self.date_edit.setCalendarPopup(True)
            day = today or date.today()
            self.date_edit.setDate(QDate(day.year, day.month, day.day))
            labelled_row(form, spec.date_label, self.date_edit)
            for inner in self.date_edit.findChildren(QLineEdit):
                inner.setAccessibleName(self.date_edit.accessibleName())
        self.note_edit: QPlainTextEdit = text_edit(self, 2)
        labelled_row(
            form, "Begründung" if spec.note_required else "&Notiz", self.note_edit, "Notiz"
        )
        self.message = message_label(self, "Hinweis")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(spec.confirm)
        self.ok_button.setAccessibleName(spec.confirm)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText("Abbrechen")
        cancel.setAccessibleName("Abbrechen")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        if self.amount_edit is not None:
            self.amount_edit.textChanged.connect(self._on_field_changed)
        self.note_edit.textChanged.connect(self._on_field_changed)
        self._on_field_changed()

    def problem(self) -> str:
        """Why the input cannot be saved yet, or an empty string."""
        if self.amount_edit is not None:
            try:
                cents = to_cents(self.amount_edit.text(), field="Betrag")
            except FieldError as err:
                return err.message
            if cents is None:
                return "Bitte einen Betrag eingeben."
            if cents < 0 or (cents == 0 and not self.spec.zero_allowed):
                return "Bitte einen Betrag über 0 € eingeben."
        if self.spec.note_required and not self.note_edit.toPlainText().strip():
            return "Bitte eine Begründung eingeben."
        return ""

    def value(self) -> ActionInput:
        """The entered data (call after the dialog was accepted)."""
        amount = to_cents(self.amount_edit.text()) if self.amount_edit is not None else None
        on = None
        if self.date_edit is not None:
            chosen = self.date_edit.date()
            on = date(chosen.year(), chosen.month(), chosen.day())
        return ActionInput(amount, on, self.note_edit.toPlainText().strip())

    def accept(self) -> None:
        """Make the change; on failure say why and stay open."""
        if self.problem():
            return
        failure = self._submit(self.value())
        if failure:
            self._show_message(failure)
            return
        super().accept()

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _on_field_changed(self, *_args: object) -> None:
        problem = self.problem()
        self._show_message(problem)
        self.ok_button.setEnabled(not problem)
