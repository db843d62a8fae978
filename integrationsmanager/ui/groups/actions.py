"""Action items in the follow-up of a meeting: the new ones and those carried over.

Tasks agreed in this meeting can be added, changed and removed; tasks carried over from
earlier meetings can be changed (a new due date, "erledigt") but stay with the meeting they
come from. The meeting dialog saves all of them in one unit of work.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QWidget,
)

from integrationsmanager.domain.enums import ActionStatus
from integrationsmanager.services.action_items import OPEN_STATUSES, TITLE_MAX, ActionItemData
from integrationsmanager.ui.groups.members import (
    enum_combo,
    list_beside_form,
    row_form,
    select_value,
)
from integrationsmanager.ui.groups.pickers import (
    MeasureChoice,
    MeasureCombo,
    PersonChoice,
    PersonPicker,
)
from integrationsmanager.ui.groups.tables import (
    ID_ROLE,
    due_text,
    is_overdue,
    make_table,
    mark_overdue,
    text_item,
)
from integrationsmanager.ui.widgets.dates import OptionalDateEdit, format_date
from integrationsmanager.ui.widgets.form import message_label

_keys = itertools.count(1)
HEADERS = ("Aufgabe", "Zuständig", "Frist", "Maßnahme", "Status", "aus Sitzung")
THIS_MEETING = "diese Sitzung"


@dataclass
class ActionRow:
    """One action item as the dialog holds it until saved."""

    item_id: int | None = None
    title: str = ""
    owner_id: int | None = None
    owner_text: str = ""
    """What the owner field shows; a text that names nobody in the network is an error."""
    due_on: date | None = None
    status: ActionStatus = ActionStatus.OPEN
    measure_id: int | None = None
    measure_text: str = ""
    carried: bool = False
    """From an earlier meeting (or none): keeps its origin when saved."""
    origin_meeting_id: int | None = None
    origin_agenda_item_id: int | None = None
    origin: str = ""
    """``10.03.2026``: the day of the meeting a carried task comes from."""
    key: int = field(default_factory=lambda: next(_keys))

    def data(self, *, group_id: int, meeting_id: int | None) -> ActionItemData:
        """The service's data; a task of this meeting belongs to ``meeting_id``."""
        return ActionItemData(
            title=self.title,
            group_id=group_id,
            meeting_id=self.origin_meeting_id if self.carried else meeting_id,
            agenda_item_id=self.origin_agenda_item_id,
            owner_id=self.owner_id,
            due_on=self.due_on,
            status=self.status,
            measure_id=self.measure_id,
        )

    def errors(self, *, group_id: int, meeting_day: date | None) -> dict[str, str]:
        errors = self.data(group_id=group_id, meeting_id=None).errors()
        if self.owner_text and self.owner_id is None:
            errors["owner"] = (
                f"„{self.owner_text}“ ist nicht im Netzwerk; bitte aus der Liste wählen."
            )
        if self.measure_text and self.measure_id is None:
            errors["measure"] = f"Eine Maßnahme „{self.measure_text}“ gibt es nicht."
        if (
            not self.carried
            and meeting_day is not None
            and self.due_on is not None
            and self.due_on < meeting_day
        ):
            errors["due_on"] = (
                f"Die Frist {format_date(self.due_on)} liegt vor der Sitzung "
                f"({format_date(meeting_day)})."
            )
        return errors

    def snapshot(self) -> tuple[object, ...]:
        return (
            self.item_id,
            self.title.strip(),
            self.owner_id,
            self.owner_text,
            self.due_on,
            self.status,
            self.measure_id,
            self.measure_text,
        )


class ActionsEditor(QWidget):
    """A table of action items and a form for the selected one."""

    changed = Signal()

    def __init__(
        self,
        *,
        people: Sequence[PersonChoice],
        measures: Sequence[MeasureChoice],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._rows: list[ActionRow] = []
        self._people = {p.id: p for p in people}
        self._measures = {m.id: m for m in measures}

        self.table = make_table(self, "Aufgaben", HEADERS, stretch=(0, 3))
        self.new_button = QPushButton("Neue Aufgabe", self)
        self.new_button.setAccessibleName("Neue Aufgabe")
        self.done_button = QPushButton("Erledigt", self)
        self.done_button.setAccessibleName("Ausgewählte Aufgabe als erledigt markieren")
        self.remove_button = QPushButton("Entfernen", self)
        self.remove_button.setAccessibleName("Ausgewählte Aufgabe entfernen")
        self.remove_button.setToolTip(
            "Nur Aufgaben dieser Sitzung; übernommene Aufgaben erledigen oder verwerfen"
        )

        self.form = QWidget(self)
        self.title_edit = QLineEdit(self.form)
        self.title_edit.setMaxLength(TITLE_MAX)
        self.title_edit.setPlaceholderText("Was ist zu tun?")
        self.owner_picker = PersonPicker("Zuständige Person", people, self.form)
        self.due_edit = OptionalDateEdit("Frist", self.form)
        self.status_combo = enum_combo(ActionStatus, self.form, name="Status der Aufgabe")
        self.measure_combo = MeasureCombo("Maßnahme zur Aufgabe", measures, self.form)
        row_form(
            self.form,
            [
                ("&Aufgabe", self.title_edit),
                ("&Zuständig", self.owner_picker),
                ("&Frist", self.due_edit),
                ("&Status", self.status_combo),
                ("&Maßnahme", self.measure_combo),
            ],
        )
        self.title_edit.setAccessibleName("Aufgabe")
        self.message_label = message_label(self, "Hinweis zu den Aufgaben")
        self.summary_label = QLabel(self)
        self.summary_label.setWordWrap(True)

        list_beside_form(
            self,
            self.table,
            [self.new_button, self.done_button, self.remove_button],
            self.form,
            self.message_label,
            self.summary_label,
        )

        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.done_button.clicked.connect(self._on_done_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)
        self.title_edit.textEdited.connect(self._on_form_edited)
        self.owner_picker.currentTextChanged.connect(self._on_form_edited)
        self.due_edit.changed.connect(self._on_form_edited)
        self.status_combo.currentIndexChanged.connect(self._on_form_edited)
        self.measure_combo.currentTextChanged.connect(self._on_form_edited)
        self._show_current()

    # --- values ---------------------------------------------------------------------------

    def rows(self) -> list[ActionRow]:
        return list(self._rows)

    def set_rows(self, rows: Iterable[ActionRow]) -> None:
        current = self.current_row()
        self._rows = list(rows)
        with QSignalBlocker(self.table):
            self.table.setRowCount(len(self._rows))
            for index, row in enumerate(self._rows):
                self._fill_row(index, row)
        keys = [r.key for r in self._rows]
        if current is not None and current.key in keys:
            self.table.selectRow(keys.index(current.key))
        elif keys:
            self.table.selectRow(0)
        self._show_current()
        self._show_summary()

    def current_row(self) -> ActionRow | None:
        selected = self.table.selectionModel().selectedRows()
        if not selected:
            return None
        index = selected[0].row()
        return self._rows[index] if 0 <= index < len(self._rows) else None

    def add_item(self) -> ActionRow:
        """Append an empty task of this meeting and put the cursor into its text."""
        row = ActionRow()
        self._rows.append(row)
        self.table.setRowCount(len(self._rows))
        self._fill_row(len(self._rows) - 1, row)
        self.table.selectRow(len(self._rows) - 1)
        self.title_edit.setFocus()
        self._show_summary()
        self.changed.emit()
        return row

    def show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

    # --- internals ------------------------------------------------------------------------

    def _fill_row(self, index: int, row: ActionRow) -> None:
        owner = self._people[row.owner_id].name if row.owner_id in self._people else row.owner_text
        measure = (
            self._measures[row.measure_id].title
            if row.measure_id in self._measures
            else row.measure_text
        )
        due = text_item(due_text(row.due_on, row.status))
        if is_overdue(row.due_on, row.status):
            mark_overdue(due)
        cells: tuple[QTableWidgetItem, ...] = (
            text_item(row.title.strip() or "(noch ohne Text)"),
            text_item(owner or "–"),
            due,
            text_item(measure or "–"),
            text_item(row.status.label),
            text_item(row.origin if row.carried else THIS_MEETING),
        )
        cells[0].setData(ID_ROLE, row.key)
        for column, cell in enumerate(cells):
            self.table.setItem(index, column, cell)

    def _show_current(self) -> None:
        row = self.current_row()
        self.form.setEnabled(row is not None)
        with (
            QSignalBlocker(self.title_edit),
            QSignalBlocker(self.owner_picker),
            QSignalBlocker(self.due_edit),
            QSignalBlocker(self.status_combo),
            QSignalBlocker(self.measure_combo),
        ):
            self.title_edit.setText(row.title if row else "")
            self.title_edit.setCursorPosition(0)
            if row is None:
                self.owner_picker.reset()
                self.measure_combo.reset()
                self.due_edit.set_value(None)
                select_value(self.status_combo, ActionStatus.OPEN)
            else:
                self.owner_picker.set_id(row.owner_id, row.owner_text)
                self.measure_combo.set_id(row.measure_id, row.measure_text)
                self.due_edit.set_value(row.due_on)
                select_value(self.status_combo, row.status)
        self.done_button.setEnabled(row is not None and row.status != ActionStatus.DONE)
        self.remove_button.setEnabled(row is not None and not row.carried)

    def _show_summary(self) -> None:
        own = sum(1 for r in self._rows if not r.carried)
        carried = [r for r in self._rows if r.carried]
        still_open = sum(1 for r in carried if r.status in OPEN_STATUSES)
        parts = [f"{own} aus dieser Sitzung" if own != 1 else "1 aus dieser Sitzung"]
        if carried:
            parts.append(f"{len(carried)} übernommen, davon {still_open} noch offen")
        self.summary_label.setText(" · ".join(parts))

    # --- slots ----------------------------------------------------------------------------

    def _on_table_selection_changed(self) -> None:
        self._show_current()

    def _on_new_button_clicked(self) -> None:
        self.add_item()

    def _on_done_button_clicked(self) -> None:
        row = self.current_row()
        if row is None:
            return
        select_value(self.status_combo, ActionStatus.DONE)

    def _on_remove_button_clicked(self) -> None:
        row = self.current_row()
        if row is None or row.carried:
            return
        index = self._rows.index(row)
        del self._rows[index]
        self.table.removeRow(index)
        if self._rows:
            self.table.selectRow(min(index, len(self._rows) - 1))
        self._show_current()
        self._show_summary()
        self.changed.emit()

    def _on_form_edited(self, *_args: object) -> None:
        row = self.current_row()
        if row is None:
            return
        row.title = self.title_edit.text()
        row.owner_id = self.owner_picker.chosen_id()
        row.owner_text = "" if row.owner_id is not None else self.owner_picker.text()
        row.due_on = self.due_edit.value()
        row.status = ActionStatus(self.status_combo.currentData())
        row.measure_id = self.measure_combo.chosen_id()
        row.measure_text = "" if row.measure_id is not None else self.measure_combo.text()
        self._fill_row(self._rows.index(row), row)
        self.done_button.setEnabled(row.status != ActionStatus.DONE)
        self._show_summary()
        self.changed.emit()
