"""The agenda of a meeting: TOPs in order (drag or Alt+↑/↓), and the minutes per TOP.

Both editors work on the same :class:`AgendaRow` objects, which the meeting dialog saves in one
unit of work; a row without ``item_id`` is new.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from integrationsmanager.services.meetings import PLANNED_MINUTES_MAX, TITLE_MAX, AgendaItemData
from integrationsmanager.ui.groups.members import list_beside_form, name_field, row_form
from integrationsmanager.ui.groups.pickers import (
    MeasureChoice,
    MeasureCombo,
    PersonChoice,
    PersonPicker,
)
from integrationsmanager.ui.widgets.form import message_label

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
_keys = itertools.count(1)


@dataclass
class AgendaRow:
    """One TOP as the dialog holds it until saved."""

    item_id: int | None = None
    title: str = ""
    presenter_id: int | None = None
    presenter_text: str = ""
    planned_minutes: int | None = None
    measure_id: int | None = None
    measure_text: str = ""
    """What the measure field shows; a text that names no measure is an error."""
    minutes: str = ""
    decisions: str = ""
    key: int = field(default_factory=lambda: next(_keys))

    def data(self) -> AgendaItemData:
        return AgendaItemData(
            title=self.title,
            presenter_id=self.presenter_id,
            presenter_text=self.presenter_text,
            planned_minutes=self.planned_minutes,
            measure_id=self.measure_id,
        )

    def errors(self) -> dict[str, str]:
        errors = self.data().errors()
        if self.measure_text and self.measure_id is None:
            errors["measure"] = f"Eine Maßnahme „{self.measure_text}“ gibt es nicht."
        return errors

    def snapshot(self) -> tuple[object, ...]:
        return (
            self.item_id,
            self.title.strip(),
            self.presenter_id,
            self.presenter_text.strip(),
            self.planned_minutes,
            self.measure_id,
            self.measure_text,
            self.minutes.strip(),
            self.decisions.strip(),
        )


def _minutes_text(minutes: int) -> str:
    return f"{minutes} Minute" if minutes == 1 else f"{minutes} Minuten"


class AgendaEditor(QWidget):
    """The TOPs in a list that can be reordered, and a form for the selected TOP.

    ``changed`` says the user changed the agenda; ``replaced`` that :meth:`set_rows` put in
    other rows (the saved state).
    """

    changed = Signal()
    replaced = Signal()

    def __init__(
        self,
        *,
        people: Sequence[PersonChoice],
        measures: Sequence[MeasureChoice],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._rows: dict[int, AgendaRow] = {}
        self._people = {p.id: p for p in people}
        self._measures = {m.id: m for m in measures}

        self.list_widget = QListWidget(self)
        self.list_widget.setAccessibleName("Tagesordnung")
        self.list_widget.setAccessibleDescription(
            "Tagesordnungspunkte; Alt+Pfeil nach oben oder unten verschiebt den ausgewählten"
        )
        self.list_widget.setToolTip("Ziehen oder Alt+↑/Alt+↓ ändert die Reihenfolge")
        self.list_widget.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list_widget.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.list_widget.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_widget.setWordWrap(True)
        self.list_widget.setSpacing(self.fontMetrics().height() // 5)

        self.add_button = QPushButton("TOP hinzufügen", self)
        self.add_button.setAccessibleName("Tagesordnungspunkt hinzufügen")
        self.remove_button = QPushButton("Entfernen", self)
        self.remove_button.setAccessibleName("Ausgewählten Tagesordnungspunkt entfernen")
        self.up_button = QPushButton("Nach oben", self)
        self.up_button.setAccessibleName("Tagesordnungspunkt nach oben (Alt+Pfeil nach oben)")
        self.up_button.setToolTip("Alt+↑")
        self.down_button = QPushButton("Nach unten", self)
        self.down_button.setAccessibleName("Tagesordnungspunkt nach unten (Alt+Pfeil nach unten)")
        self.down_button.setToolTip("Alt+↓")
        self.total_label = QLabel(self)

        self.form = QWidget(self)
        self.title_edit = QLineEdit(self.form)
        self.title_edit.setMaxLength(TITLE_MAX)
        self.title_edit.setPlaceholderText("z. B. Sprachkurse: Stand und Wartelisten")
        self.presenter_picker = PersonPicker("Vortragende Person", people, self.form)
        self.presenter_picker.line_edit.setPlaceholderText(
            "aus dem Netzwerk wählen oder frei eingeben"
        )
        self.minutes_spin = QSpinBox(self.form)
        self.minutes_spin.setRange(0, PLANNED_MINUTES_MAX)
        self.minutes_spin.setSingleStep(5)
        self.minutes_spin.setSpecialValueText("–")
        self.minutes_spin.setSuffix(" Min.")
        self.measure_combo = MeasureCombo("Maßnahme zum Tagesordnungspunkt", measures, self.form)
        row_form(
            self.form,
            [
                ("&Thema", self.title_edit),
                ("&Vortragend", self.presenter_picker),
                ("&Dauer", self.minutes_spin),
                ("&Maßnahme", self.measure_combo),
            ],
        )
        self.title_edit.setAccessibleName("Thema des Tagesordnungspunkts")
        name_field(self.minutes_spin, "Geplante Dauer in Minuten")
        self.message_label = message_label(self, "Hinweis zur Tagesordnung")

        list_beside_form(
            self,
            self.list_widget,
            [self.add_button, self.remove_button, self.up_button, self.down_button],
            self.form,
            self.message_label,
            self.total_label,
        )

        for sequence, steps in (("Alt+Up", -1), ("Alt+Down", 1)):
            shortcut = QShortcut(QKeySequence(sequence), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda steps=steps: self.move_current(steps))

        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.up_button.clicked.connect(self._on_up_button_clicked)
        self.down_button.clicked.connect(self._on_down_button_clicked)
        self.list_widget.currentItemChanged.connect(self._on_list_widget_current_changed)
        self.list_widget.model().rowsMoved.connect(self._on_list_model_rows_moved)
        self.title_edit.textEdited.connect(self._on_form_edited)
        self.presenter_picker.currentTextChanged.connect(self._on_form_edited)
        self.minutes_spin.valueChanged.connect(self._on_form_edited)
        self.measure_combo.currentTextChanged.connect(self._on_form_edited)
        self._show_current()

    # --- values ---------------------------------------------------------------------------

    def rows(self) -> list[AgendaRow]:
        """The TOPs in their current order."""
        return [self._rows[self._key(i)] for i in range(self.list_widget.count())]

    def set_rows(self, rows: Iterable[AgendaRow]) -> None:
        current = self.current_row()
        position = self.list_widget.currentRow()
        with QSignalBlocker(self.list_widget):
            self.list_widget.clear()
            self._rows = {}
            for row in rows:
                self._rows[row.key] = row
                item = QListWidgetItem(self.list_widget)
                item.setData(KEY_ROLE, row.key)
        self._renumber()
        keys = list(self._rows)
        if current is not None and current.key in keys:
            self.list_widget.setCurrentRow(keys.index(current.key))
        elif keys:
            self.list_widget.setCurrentRow(min(max(position, 0), len(keys) - 1))
        self._show_current()
        self.replaced.emit()

    def current_row(self) -> AgendaRow | None:
        item = self.list_widget.currentItem()
        return self._rows.get(self._key_of(item)) if item is not None else None

    def errors(self) -> list[str]:
        """``TOP 2: Bitte ein Thema …`` for every TOP that breaks a rule."""
        return [
            f"TOP {number}: {message}"
            for number, row in enumerate(self.rows(), start=1)
            for message in row.errors().values()
        ]

    def add_item(self) -> AgendaRow:
        """Append an empty TOP and put the cursor into its title."""
        row = AgendaRow()
        self._rows[row.key] = row
        item = QListWidgetItem(self.list_widget)
        item.setData(KEY_ROLE, row.key)
        self._renumber()
        self.list_widget.setCurrentItem(item)
        self.title_edit.setFocus()
        self.changed.emit()
        return row

    def move_current(self, steps: int) -> None:
        """Move the selected TOP ``steps`` places (negative: up), stopping at either end."""
        row = self.list_widget.currentRow()
        target = max(0, min(self.list_widget.count() - 1, row + steps))
        if row < 0 or target == row:
            return
        with QSignalBlocker(self.list_widget):
            item = self.list_widget.takeItem(row)
            self.list_widget.insertItem(target, item)
            self.list_widget.setCurrentItem(item)
        self._renumber()
        self._update_buttons()
        self.changed.emit()

    def show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

    # --- internals ------------------------------------------------------------------------

    def _key(self, row: int) -> int:
        return self._key_of(self.list_widget.item(row))

    @staticmethod
    def _key_of(item: QListWidgetItem) -> int:
        return int(item.data(KEY_ROLE))

    def _label(self, number: int, row: AgendaRow) -> str:
        extras = []
        if row.presenter_id is not None and row.presenter_id in self._people:
            extras.append(self._people[row.presenter_id].name)
        if row.presenter_text:
            extras.append(row.presenter_text)
        if row.planned_minutes:
            extras.append(f"{row.planned_minutes} Min.")
        text = f"TOP {number}  {row.title.strip() or '(ohne Thema)'}"
        if extras:
            text += f" — {', '.join(extras)}"
        if row.measure_id is not None and row.measure_id in self._measures:
            text += f"\n      Maßnahme: {self._measures[row.measure_id].title}"
        return text

    def _renumber(self) -> None:
        total = 0
        for number in range(1, self.list_widget.count() + 1):
            item = self.list_widget.item(number - 1)
            row = self._rows[self._key_of(item)]
            item.setText(self._label(number, row))
            item.setData(Qt.ItemDataRole.AccessibleTextRole, item.text().replace("\n", ", "))
            total += row.planned_minutes or 0
        count = self.list_widget.count()
        if count == 0:
            self.total_label.setText("Noch keine Tagesordnungspunkte.")
        else:
            tops = "1 TOP" if count == 1 else f"{count} TOPs"
            self.total_label.setText(f"{tops} · {_minutes_text(total)} geplant" if total else tops)

    def _show_current(self) -> None:
        """Put the selected TOP into the form (or empty and disable it)."""
        row = self.current_row()
        self.form.setEnabled(row is not None)
        with (
            QSignalBlocker(self.title_edit),
            QSignalBlocker(self.presenter_picker),
            QSignalBlocker(self.minutes_spin),
            QSignalBlocker(self.measure_combo),
        ):
            self.title_edit.setText(row.title if row else "")
            self.title_edit.setCursorPosition(0)
            if row is None:
                self.presenter_picker.reset()
                self.measure_combo.reset()
            else:
                self.presenter_picker.set_id(row.presenter_id, row.presenter_text)
                self.measure_combo.set_id(row.measure_id, row.measure_text)
            self.minutes_spin.setValue((row.planned_minutes or 0) if row else 0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self.list_widget.currentRow()
        count = self.list_widget.count()
        self.remove_button.setEnabled(row >= 0)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < count - 1)

    # --- slots ----------------------------------------------------------------------------

    def _on_add_button_clicked(self) -> None:
        self.add_item()

    def _on_remove_button_clicked(self) -> None:
        position = self.list_widget.currentRow()
        if position < 0:
            return
        item = self.list_widget.takeItem(position)
        del self._rows[self._key_of(item)]
        self._renumber()
        if self.list_widget.count():
            self.list_widget.setCurrentRow(min(position, self.list_widget.count() - 1))
        self._show_current()
        self.changed.emit()

    def _on_up_button_clicked(self) -> None:
        self.move_current(-1)

    def _on_down_button_clicked(self) -> None:
        self.move_current(1)

    def _on_list_widget_current_changed(self, *_args: object) -> None:
        self._show_current()

    def _on_list_model_rows_moved(self, *_args: QModelIndex | QPersistentModelIndex | int) -> None:
        """A TOP was dragged to another place."""
        self._renumber()
        self._update_buttons()
        self.changed.emit()

    def _on_form_edited(self, *_args: object) -> None:
        row = self.current_row()
        if row is None:
            return
        row.title = self.title_edit.text()
        person_id = self.presenter_picker.chosen_id()
        row.presenter_id = person_id
        row.presenter_text = "" if person_id is not None else self.presenter_picker.text()
        row.planned_minutes = self.minutes_spin.value() or None
        row.measure_id = self.measure_combo.chosen_id()
        row.measure_text = "" if row.measure_id is not None else self.measure_combo.text()
        self._renumber()
        self.changed.emit()


class MinutesEditor(QWidget):
    """Minutes and decisions per TOP of an :class:`AgendaEditor`'s rows."""

    changed = Signal()

    def __init__(self, agenda: AgendaEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._agenda = agenda
        self.list_widget = QListWidget(self)
        self.list_widget.setAccessibleName("Tagesordnungspunkte für das Protokoll")
        self.list_widget.setWordWrap(True)
        self.list_widget.setSpacing(self.fontMetrics().height() // 5)
        self.list_widget.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.item_label = QLabel(self)
        self.item_label.setWordWrap(True)
        self.item_label.setTextFormat(Qt.TextFormat.PlainText)
        bold = QFont(self.item_label.font())
        bold.setBold(True)
        self.item_label.setFont(bold)
        self.minutes_edit = QPlainTextEdit(self)
        self.minutes_edit.setTabChangesFocus(True)
        self.minutes_edit.setPlaceholderText("Was wurde besprochen?")
        self.decisions_edit = QPlainTextEdit(self)
        self.decisions_edit.setTabChangesFocus(True)
        self.decisions_edit.setPlaceholderText("Was wurde beschlossen oder empfohlen?")
        self.decisions_edit.setMaximumHeight(self.fontMetrics().lineSpacing() * 5)
        minutes_caption = QLabel("&Protokoll", self)
        minutes_caption.setBuddy(self.minutes_edit)
        decisions_caption = QLabel("&Beschlüsse", self)
        decisions_caption.setBuddy(self.decisions_edit)
        self.minutes_edit.setAccessibleName("Protokoll zum Tagesordnungspunkt")
        self.decisions_edit.setAccessibleName("Beschlüsse zum Tagesordnungspunkt")
        self.empty_label = QLabel(
            "Die Tagesordnung ist leer — Tagesordnungspunkte im Reiter „Vorbereitung“ anlegen.",
            self,
        )
        self.empty_label.setWordWrap(True)

        editor = QWidget(self)
        editor_layout = QVBoxLayout(editor)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.addWidget(self.item_label)
        editor_layout.addWidget(minutes_caption)
        editor_layout.addWidget(self.minutes_edit, 3)
        editor_layout.addWidget(decisions_caption)
        editor_layout.addWidget(self.decisions_edit, 1)
        self._editor = editor
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.list_widget)
        self.splitter.addWidget(editor)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.splitter, 1)

        agenda.changed.connect(self.reload)
        agenda.replaced.connect(self.reload)
        self.list_widget.currentItemChanged.connect(self._on_list_widget_current_changed)
        self.minutes_edit.textChanged.connect(self._on_text_changed)
        self.decisions_edit.textChanged.connect(self._on_text_changed)
        self.reload()

    def reload(self) -> None:
        """Follow the agenda: its TOPs, their order and titles."""
        rows = self._agenda.rows()
        current = self._current()
        position = self.list_widget.currentRow()
        with QSignalBlocker(self.list_widget):
            self.list_widget.clear()
            for number, row in enumerate(rows, start=1):
                item = QListWidgetItem(self._label(number, row), self.list_widget)
                item.setData(KEY_ROLE, row.key)
        keys = [row.key for row in rows]
        if current is not None and current.key in keys:
            self.list_widget.setCurrentRow(keys.index(current.key))
        elif keys:
            self.list_widget.setCurrentRow(min(max(position, 0), len(keys) - 1))
        self.empty_label.setVisible(not rows)
        self.splitter.setVisible(bool(rows))
        self._show_current()

    def select(self, number: int) -> None:
        """Show TOP ``number`` (1-based)."""
        self.list_widget.setCurrentRow(number - 1)

    @staticmethod
    def _label(number: int, row: AgendaRow) -> str:
        done = " ✓" if row.minutes.strip() or row.decisions.strip() else ""
        return f"TOP {number}  {row.title.strip() or '(ohne Thema)'}{done}"

    def _current(self) -> AgendaRow | None:
        item = self.list_widget.currentItem()
        if item is None:
            return None
        key = int(item.data(KEY_ROLE))
        return next((r for r in self._agenda.rows() if r.key == key), None)

    def _show_current(self) -> None:
        row = self._current()
        self._editor.setEnabled(row is not None)
        with QSignalBlocker(self.minutes_edit), QSignalBlocker(self.decisions_edit):
            self.minutes_edit.setPlainText(row.minutes if row else "")
            self.decisions_edit.setPlainText(row.decisions if row else "")
        number = self.list_widget.currentRow() + 1
        self.item_label.setText(f"TOP {number}: {row.title}" if row else "")

    def _on_list_widget_current_changed(self, *_args: object) -> None:
        self._show_current()

    def _on_text_changed(self) -> None:
        row = self._current()
        if row is None:
            return
        row.minutes = self.minutes_edit.toPlainText()
        row.decisions = self.decisions_edit.toPlainText()
        item = self.list_widget.currentItem()
        item.setText(self._label(self.list_widget.currentRow() + 1, row))
        self.changed.emit()
