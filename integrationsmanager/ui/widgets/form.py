"""The frame of a record editor: messages beside the fields, Save only while valid, Esc guarded.

A subclass builds its fields with :meth:`FormDialog.add_row`, turns them into the service's
data class in :meth:`FormDialog.collect` (the rules live in the service, the dialog only shows
their German messages) and writes in :meth:`FormDialog.store`. The frame keeps Save disabled
while a rule applies, says which required fields are still missing, shows a message only
once its field was touched, saves with Ctrl+S, and asks before Esc drops changes. A rule
the service still finds on saving is shown at its field until the next edit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
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


def message_label(parent: QWidget | None, accessible_name: str) -> QLabel:
    """A hidden, wrapping label for the message of a rule, in the error colour."""
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {ERROR_COLOUR}")
    label.setAccessibleName(accessible_name)
    label.hide()
    return label


def labelled_row(
    form: QFormLayout, label: str, field: QWidget, accessible_name: str | None = None
) -> QLabel:
    """A form row whose caption names the field for screen readers and Alt+key."""
    caption = QLabel(label, field.parentWidget())
    caption.setBuddy(field)
    field.setAccessibleName(accessible_name or label.replace("&", ""))
    form.addRow(caption, field)
    return caption


def add_message_row(form: QFormLayout, accessible_name: str) -> QLabel:
    """A hidden message row at the end of ``form`` (see :func:`show_row_message`)."""
    error = message_label(form.parentWidget(), accessible_name)
    form.addRow("", error)
    form.setRowVisible(error, False)
    return error


def show_row_message(form: QFormLayout, label: QLabel, message: str) -> None:
    """Show ``message`` in a row of :func:`add_message_row`; an empty one hides the row."""
    label.setText(message)
    form.setRowVisible(label, bool(message))


def discard_changes(parent: QWidget, what: str) -> bool:
    """Ask whether the unsaved changes to ``what`` ("diese Sitzung") may go; True if so."""
    answer = QMessageBox.question(
        parent,
        "Änderungen verwerfen?",
        f"Die Änderungen an {what} sind noch nicht gespeichert.\nSollen sie verworfen werden?",
        QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Discard


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
        self._error_shows: dict[str, Callable[[str], None]] = {}
        self._touched_together: dict[str, tuple[str, ...]] = {}
        self._service_errors: dict[str, str] = {}
        """Messages the service gave on the last save, shown until the next edit."""

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
        caption = labelled_row(form, label, field, accessible_name)
        if error_key is not None:
            self.add_error_row(form, field, error_key)
        return caption

    def add_error_row(self, form: QFormLayout, field: QWidget, error_key: str) -> None:
        """A hidden message row below ``field`` that shows the rule ``error_key`` breaks."""
        name = f"Hinweis zu {self._field_labels.get(error_key, error_key)}"
        error = add_message_row(form, name)
        self.add_error_message(error_key, error, field, partial(show_row_message, form, error))

    def add_error_message(
        self, error_key: str, label: QLabel, field: QWidget, show: Callable[[str], None]
    ) -> None:
        """A message that is not a row of its own: ``show`` puts the text (or "") in ``label``.

        ``field`` takes the cursor when the message is the first one on saving.
        """
        self.error_labels[error_key] = label
        self._error_fields[error_key] = field
        self._error_shows[error_key] = show

    def touch_together(self, *keys: str) -> None:
        """Editing one of ``keys`` shows the messages of all (a rule that links them)."""
        for key in keys:
            self._touched_together[key] = keys

    def finish(
        self,
        content: QWidget,
        *,
        accessible_name: str | None,
        characters: int = 110,
        widen_percent: int = 100,
        message_lines: int = 3,
    ) -> None:
        """Put ``content`` in a scroll area above the hint line and the buttons; size to fit.

        ``accessible_name`` names the scroll area; None lays ``content`` out without one, for a
        form that always fits. ``characters`` is the width the form would like, in average
        characters of the font; ``widen_percent`` widens the fitted width, and
        ``message_lines`` leaves room for that many lines of messages.
        """
        scroll: QScrollArea | None = None
        if accessible_name is not None:
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
        layout.addWidget(content if scroll is None else scroll, 1)
        layout.addLayout(footer)

        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, self._on_save_shortcut_activated)

        # Large enough for the whole form where the screen allows.
        screen = self.screen().availableGeometry()
        wanted = self.fontMetrics().averageCharWidth() * characters
        if scroll is None:
            # Without a scroll bar the whole screen's height may be needed.
            hint = self.sizeHint()
            self.resize(
                min(max(hint.width(), wanted), int(screen.width() * 0.9)),
                min(hint.height(), screen.height()),
            )
            return
        margins = layout.contentsMargins()
        width = (
            max(content.sizeHint().width(), wanted)
            + margins.left()
            + margins.right()
            + scroll.verticalScrollBar().sizeHint().width()
        )
        # Room for a few lines of messages, so the first ones do not bring a scroll bar.
        height = (
            content.sizeHint().height()
            + message_lines * self.fontMetrics().lineSpacing()
            + footer.sizeHint().height()
            + layout.spacing()
            + margins.top()
            + margins.bottom()
        )
        self.resize(
            min(width * widen_percent // 100, int(screen.width() * 0.9)),
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

    def proceed(self, data: Any) -> bool:
        """Called with valid data on Save; a subclass may ask something first.

        False when saving failed; True when it saved or went on to ask.
        """
        return self.store_and_close(data)

    def field_errors(self, err: ValidationError) -> dict[str, str]:
        """The service's messages by the form's error keys (a subclass may rename keys)."""
        return dict(err.errors)

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
        self._show_messages()
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
        return self.proceed(data)

    def store_and_close(self, data: Any) -> bool:
        """Store ``data``; on success announce ``saved`` and close. False if it failed."""
        try:
            saved_id = self.store(data)
        except ValidationError as err:
            found = self.field_errors(err)
            self._service_errors = {k: v for k, v in found.items() if k in self.error_labels}
            self.show_all_errors(self._service_errors)
            if not set(found) <= set(self.error_labels):
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
        if self.is_dirty() and not discard_changes(self, self._what):
            return
        super().reject()

    def discard(self) -> None:
        """Close without asking (the user chose to go elsewhere)."""
        super().reject()

    # --- slots ----------------------------------------------------------------------------

    def _on_field_edited(self, key: str, *_args: object) -> None:
        self._touched.update(self._touched_together.get(key, (key,)))
        self._on_form_changed()

    def _on_form_changed(self, *_args: object) -> None:
        self._service_errors = {}
        self._show_messages()

    def _show_messages(self) -> None:
        """Messages under the touched fields, what is still missing, and the Save button."""
        _data, errors = self.collect()
        errors = {**errors, **self._service_errors}
        for key, show in self._error_shows.items():
            show(errors.get(key, "") if key in self._touched else "")
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
