"""The frame of a record editor: messages beside the fields, Save only while valid, Esc guarded.

A subclass builds its fields with :meth:`FormDialog.add_row`, turns them into the service's
data class in :meth:`FormDialog.collect` (the rules live in the service, the dialog only shows
their German messages) and writes in :meth:`FormDialog.store`. The frame keeps Save disabled
while a rule applies, says which required fields are still missing, shows a message only
once its field was touched, saves with Ctrl+S, and asks before Esc drops changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from PySide6.QtCore import Signal, SignalInstance
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from integrationsmanager.domain.errors import UserError, ValidationError

ERROR_COLOUR = "#B3261E"
"""Dark red; the message itself carries the meaning, the colour only draws the eye."""


def text_edit(parent: QWidget, lines: int = 3) -> QPlainTextEdit:
    """A field of ``lines`` visible lines (more scroll) where Tab moves on to the next field."""
    edit = QPlainTextEdit(parent)
    edit.setTabChangesFocus(True)
    height = edit.fontMetrics().lineSpacing() * (lines + 1) + 2 * edit.frameWidth()
    edit.setMinimumHeight(height)
    edit.setMaximumHeight(height)
    return edit


def form_group(title: str, parent: QWidget) -> tuple[QGroupBox, QFormLayout]:
    """A titled group of form rows that stay together at the top when the group is taller."""
    box = QGroupBox(title, parent)
    form = QFormLayout()
    outer = QVBoxLayout(box)
    outer.addLayout(form)
    outer.addStretch(1)
    return box, form


class FormDialog(QDialog):
    """Create or edit one record; ``saved`` carries its id after a successful save.

    ``what`` names the record in the discard question ("diese Organisation").
    ``field_labels`` names the error keys in the hint about missing fields.
    """

    saved = Signal(int)

    def __init__(
        self,
        *,
        what: str,
        field_labels: Mapping[str, str],
        required: Sequence[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._what = what
        self._field_labels = dict(field_labels)
        self._required = tuple(required)
        self._touched: set[str] = set()
        self._initial: object = None
        self.saved_id: int | None = None
        self.error_labels: dict[str, QLabel] = {}
        self._error_fields: dict[str, QWidget] = {}
        self._error_forms: dict[str, QFormLayout] = {}

    # --- for subclasses: building ---------------------------------------------------------

    def add_row(
        self,
        form: QFormLayout,
        label: str,
        field: QWidget,
        error_key: str | None = None,
        *,
        accessible_name: str | None = None,
    ) -> QLabel:
        """A labelled row (the label names the field for screen readers and Alt+key)."""
        caption = QLabel(label, field.parentWidget())
        caption.setBuddy(field)
        field.setAccessibleName(accessible_name or label.replace("&", ""))
        form.addRow(caption, field)
        if error_key is not None:
            self.add_error_row(form, field, error_key)
        return caption

    def add_error_row(self, form: QFormLayout, field: QWidget, error_key: str) -> None:
        """A hidden message row below ``field`` that shows the rule ``error_key`` breaks."""
        error = QLabel(field.parentWidget())
        error.setWordWrap(True)
        error.setStyleSheet(f"color: {ERROR_COLOUR}")
        error.setAccessibleName(f"Hinweis zu {self._field_labels.get(error_key, error_key)}")
        form.addRow("", error)
        form.setRowVisible(error, False)
        self.error_labels[error_key] = error
        self._error_fields[error_key] = field
        self._error_forms[error_key] = form

    def finish(self, content: QWidget, *, accessible_name: str, characters: int = 110) -> None:
        """Put ``content`` in a scroll area above the hint line and the buttons; size to fit.

        ``characters`` is the width the form would like, in average characters of the font.
        """
        scroll = QScrollArea(self)
        scroll.setAccessibleName(accessible_name)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)

        self.hint_label = QLabel(self)
        self.hint_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Speichern")
        self.save_button.setAccessibleName("Speichern (Strg+S)")
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText("Abbrechen")
        self.cancel_button.setAccessibleName("Abbrechen (Esc)")
        footer = QHBoxLayout()
        footer.addWidget(self.hint_label, 1)
        footer.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(footer)

        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, self._on_save_shortcut_activated)

        # Large enough for the whole form where the screen allows.
        margins = layout.contentsMargins()
        screen = self.screen().availableGeometry()
        width = (
            max(content.sizeHint().width(), self.fontMetrics().averageCharWidth() * characters)
            + margins.left()
            + margins.right()
            + scroll.verticalScrollBar().sizeHint().width()
        )
        # Room for a few lines of messages, so the first ones do not bring a scroll bar.
        height = (
            content.sizeHint().height()
            + 3 * self.fontMetrics().lineSpacing()
            + footer.sizeHint().height()
            + layout.spacing()
            + margins.top()
            + margins.bottom()
        )
        self.resize(
            min(width, int(screen.width() * 0.9)),
            min(height, int(screen.height() * 0.9)),
        )

    def watch(
        self, signals: Mapping[str, SignalInstance], others: Sequence[SignalInstance]
    ) -> None:
        """Re-check on every change; a keyed signal also marks its field as touched."""
        for key, signal in signals.items():
            signal.connect(partial(self._on_field_edited, key))
        for signal in others:
            signal.connect(self._on_form_changed)

    def start(self) -> None:
        """Remember the filled form as unchanged and show its state (after filling)."""
        for edit in self.findChildren(QLineEdit):
            edit.setCursorPosition(0)  # long texts show their beginning
        self._initial = self.snapshot()
        self._on_form_changed()

    # --- for subclasses: values -----------------------------------------------------------

    def collect(self) -> tuple[Any, dict[str, str]]:
        """The form as the service's data and the messages of every rule it breaks."""
        raise NotImplementedError

    def snapshot(self) -> object:
        """What counts as a change (the collected data, unless a field is not in it)."""
        data, _errors = self.collect()
        return data

    def store(self, data: Any) -> int:
        """Write ``data`` in one unit of work; returns the record's id (may raise)."""
        raise NotImplementedError

    def proceed(self, data: Any) -> None:
        """Called with valid data on Save; a subclass may ask something first."""
        self.store_and_close(data)

    # --- state ----------------------------------------------------------------------------

    def is_dirty(self) -> bool:
        return self.snapshot() != self._initial

    def tab_of(self, field: QWidget) -> tuple[QTabWidget, int] | None:
        """The tab page that holds ``field``, to show it before focusing the field."""
        child: QWidget | None = field
        while child is not None:
            parent = child.parentWidget()
            stack = parent.parentWidget() if parent is not None else None
            if isinstance(stack, QTabWidget) and stack.indexOf(child) >= 0:
                return stack, stack.indexOf(child)
            child = parent
        return None

    def show_all_errors(self, errors: Mapping[str, str]) -> None:
        """Show every message, and take the cursor to the first field in the list's order."""
        self._touched.update(errors)
        self._on_form_changed()
        first = next((k for k in self.error_labels if k in errors), None)
        if first is None:
            return
        field = self._error_fields[first]
        found = self.tab_of(field)
        if found is not None:
            found[0].setCurrentIndex(found[1])
        field.setFocus()

    def save(self) -> bool:
        """Save if the form is valid (else point at the first problem); True when it went on."""
        data, errors = self.collect()
        if errors:
            self.show_all_errors(errors)
            return False
        self.proceed(data)
        return True

    def store_and_close(self, data: Any) -> bool:
        """Store ``data``; on success announce ``saved`` and close. False if it failed."""
        try:
            saved_id = self.store(data)
        except ValidationError as err:
            self.show_all_errors({k: v for k, v in err.errors.items() if k in self.error_labels})
            if not set(err.errors) <= set(self.error_labels):
                QMessageBox.warning(self, "Speichern nicht möglich", str(err))
            return False
        except UserError as err:
            QMessageBox.warning(self, "Speichern nicht möglich", str(err))
            return False
        self.saved_id = saved_id
        self._initial = self.snapshot()
        self.setWindowModified(False)
        self.saved.emit(saved_id)
        self.accept()
        return True

    def reject(self) -> None:
        """Esc, Abbrechen and the window's close button: ask before dropping changes."""
        if self.is_dirty():
            answer = QMessageBox.question(
                self,
                "Änderungen verwerfen?",
                f"Die Änderungen an {self._what} sind noch nicht gespeichert.\n"
                "Sollen sie verworfen werden?",
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                return
        super().reject()

    def discard(self) -> None:
        """Close without asking (the user chose to go elsewhere)."""
        super().reject()

    # --- slots ----------------------------------------------------------------------------

    def _on_field_edited(self, key: str, *_args: object) -> None:
        self._touched.add(key)
        self._on_form_changed()

    def _on_form_changed(self, *_args: object) -> None:
        _data, errors = self.collect()
        for key, label in self.error_labels.items():
            message = errors.get(key, "") if key in self._touched else ""
            label.setText(message)
            self._error_forms[key].setRowVisible(label, bool(message))
        pending = [
            self._field_labels[k] for k in self._required if k in errors and k not in self._touched
        ]
        # Rules without a field of their own (a length, a choice) are said in the hint line.
        hints = [m for k, m in errors.items() if k not in self.error_labels]
        if pending:
            hints.insert(0, f"Zum Speichern fehlt noch: {', '.join(pending)}.")
        self.hint_label.setText(" ".join(hints))
        self.save_button.setEnabled(not errors)
        self.save_button.setToolTip("\n".join(errors.values()) if errors else "Speichern (Strg+S)")
        self.setWindowModified(self.is_dirty())

    def _on_save_shortcut_activated(self) -> None:
        self.save()

    def _on_buttons_accepted(self) -> None:
        self.save()
