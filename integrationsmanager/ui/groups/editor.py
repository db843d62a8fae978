"""The group editor: name, kind, guidelines, place and rhythm, and the members with their roles.

The rules live in :class:`GroupData` and :func:`set_members`; the dialog shows their German
messages as the user types, keeps Save disabled while one applies, and saves the group and its
members in one unit of work.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from integrationsmanager.domain.enums import GroupKind, MemberRole
from integrationsmanager.domain.errors import UserError, ValidationError
from integrationsmanager.services.measures import guidelines
from integrationsmanager.services.meetings import (
    NAME_MAX,
    PLACE_MAX,
    GroupData,
    get_group,
    members,
    save_group,
    set_members,
)
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.groups.members import ERROR_COLOUR, PeopleEdit, enum_combo, select_value
from integrationsmanager.ui.groups.pickers import PersonChoice, person_choices

FIELD_LABELS = {
    "name": "Name",
    "usual_place": "Üblicher Ort",
    "guidelines": "Leitlinien",
    "members": "Mitglieder",
}
_FIELDS_IN_ORDER = ("name", "usual_place", "guidelines", "members")
CHAIR_ONCE = "Ein Gremium hat höchstens einen Vorsitz; bitte nur eine Person mit Vorsitz."


class GroupEditor(QDialog):
    """Create (``group_id`` None) or edit a working group with its members."""

    saved = Signal(int)

    def __init__(
        self,
        database: Database,
        *,
        group_id: int | None = None,
        kind: GroupKind = GroupKind.WORKING_GROUP,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._database = database
        self.group_id = group_id
        self.saved_id: int | None = None
        self._touched: set[str] = set()
        self._saved_errors: dict[str, str] = {}
        """Messages the service gave on the last save, shown until the next edit."""

        with database.session() as session:
            if group_id is None:
                data = GroupData(name="", kind=kind)
                roles: list[tuple[int, MemberRole]] = []
            else:
                group = get_group(session, group_id)
                data = GroupData(
                    name=group.name,
                    kind=GroupKind(group.kind),
                    guideline_ids=[g.id for g in group.guidelines],
                    description=group.description,
                    usual_place=group.usual_place,
                    rhythm=group.rhythm,
                )
                roles = [(m.person_id, MemberRole(m.role)) for m in members(session, group_id)]
            guideline_items = [
                (g.id, g.label)
                for g in guidelines(session, include_retired=True)
                if not g.retired or g.id in data.guideline_ids
            ]
            people = person_choices(session)

        self.setWindowTitle("Neues Gremium[*]" if group_id is None else "Gremium bearbeiten[*]")
        self._build(guideline_items, people)
        self._fill(data, roles)
        self._initial = self._snapshot()
        self._connect_changes()
        self._on_form_changed()

    # --- building -------------------------------------------------------------------------

    def _build(self, guideline_items: list[tuple[int, str]], people: list[PersonChoice]) -> None:
        self.error_labels: dict[str, QLabel] = {}
        self._error_fields: dict[str, QWidget] = {}
        self._error_forms: dict[str, QFormLayout] = {}

        about = QGroupBox("Gremium", self)
        form = QFormLayout(about)
        self.name_edit = QLineEdit(about)
        self.name_edit.setMaxLength(NAME_MAX)
        self.name_edit.setPlaceholderText("z. B. Arbeitskreis Arbeitsmarktintegration")
        self._add_row(form, "&Name", self.name_edit, "name")
        self.kind_combo = enum_combo(GroupKind, about, name="Art")
        self._add_row(form, "&Art", self.kind_combo)
        self.guideline_list = QListWidget(about)
        for guideline_id, label in guideline_items:
            item = QListWidgetItem(label, self.guideline_list)
            item.setData(Qt.ItemDataRole.UserRole, guideline_id)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        rows = min(max(len(guideline_items), 3), 8)
        frame = 2 * self.guideline_list.frameWidth()
        self.guideline_list.setMaximumHeight(rows * self.guideline_list.sizeHintForRow(0) + frame)
        # Wide enough for the guidelines' titles: they are what the user picks by.
        widest = self.fontMetrics().averageCharWidth() * 60
        self.guideline_list.setMinimumWidth(
            min(self.guideline_list.sizeHintForColumn(0), widest) + frame
        )
        self.guideline_list.setToolTip("Die Maßnahmen dieser Leitlinien erscheinen beim Gremium.")
        self._add_row(form, "&Leitlinien", self.guideline_list, "guidelines")
        self.place_edit = QLineEdit(about)
        self.place_edit.setMaxLength(PLACE_MAX)
        self.place_edit.setPlaceholderText("z. B. Landratsamt Altenburg, Sitzungssaal")
        self._add_row(form, "Üblicher &Ort", self.place_edit, "usual_place")
        self.rhythm_edit = QLineEdit(about)
        self.rhythm_edit.setPlaceholderText("z. B. alle drei Monate, dienstags 14 Uhr")
        self._add_row(form, "&Rhythmus", self.rhythm_edit)
        self.description_edit = QPlainTextEdit(about)
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setMinimumHeight(self.fontMetrics().lineSpacing() * 3)
        self._add_row(form, "&Beschreibung", self.description_edit)

        member_box = QGroupBox("Mitglieder", self)
        member_layout = QVBoxLayout(member_box)
        self.members_edit = PeopleEdit(
            enum=MemberRole,
            default=MemberRole.MEMBER,
            noun="Mitglieder",
            choice_name="Rolle",
            people=people,
            show_email=False,
            parent=member_box,
        )
        member_layout.addWidget(self.members_edit)
        self.error_labels["members"] = self.members_edit.message_label
        self._error_fields["members"] = self.members_edit.picker

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

        columns = QHBoxLayout()
        columns.addWidget(about, 1)
        columns.addWidget(member_box, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addLayout(footer)

        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, self._on_save_shortcut_activated)

        screen = self.screen().availableGeometry()
        hint = self.sizeHint()
        width = max(hint.width(), self.fontMetrics().averageCharWidth() * 150)
        self.resize(min(width, int(screen.width() * 0.9)), min(hint.height(), screen.height()))

    def _add_row(
        self, form: QFormLayout, label: str, field: QWidget, error_key: str | None = None
    ) -> None:
        caption = QLabel(label, field.parentWidget())
        caption.setBuddy(field)
        field.setAccessibleName(label.replace("&", ""))
        form.addRow(caption, field)
        if error_key is not None:
            error = QLabel(field.parentWidget())
            error.setWordWrap(True)
            error.setStyleSheet(f"color: {ERROR_COLOUR}")
            error.setAccessibleName(f"Hinweis zu {FIELD_LABELS[error_key]}")
            form.addRow("", error)
            form.setRowVisible(error, False)
            self.error_labels[error_key] = error
            self._error_fields[error_key] = field
            self._error_forms[error_key] = form

    # --- values ---------------------------------------------------------------------------

    def _fill(self, data: GroupData, roles: list[tuple[int, MemberRole]]) -> None:
        self.name_edit.setText(data.name)
        self.name_edit.setCursorPosition(0)
        select_value(self.kind_combo, data.kind)
        for row in range(self.guideline_list.count()):
            item = self.guideline_list.item(row)
            checked = item.data(Qt.ItemDataRole.UserRole) in data.guideline_ids
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.place_edit.setText(data.usual_place)
        self.place_edit.setCursorPosition(0)
        self.rhythm_edit.setText(data.rhythm)
        self.rhythm_edit.setCursorPosition(0)
        self.description_edit.setPlainText(data.description)
        self.members_edit.set_entries(roles)

    def collect(self) -> tuple[GroupData, list[tuple[int, MemberRole]], dict[str, str]]:
        """The form as :class:`GroupData`, the members, and the messages of broken rules."""
        checked = [
            int(item.data(Qt.ItemDataRole.UserRole))
            for item in (self.guideline_list.item(i) for i in range(self.guideline_list.count()))
            if item.checkState() == Qt.CheckState.Checked
        ]
        data = GroupData(
            name=self.name_edit.text(),
            kind=GroupKind(self.kind_combo.currentData()),
            guideline_ids=checked,
            description=self.description_edit.toPlainText(),
            usual_place=self.place_edit.text(),
            rhythm=self.rhythm_edit.text(),
        )
        roles = self.members_edit.entries()
        errors = data.errors()
        if sum(1 for _person, role in roles if role == MemberRole.CHAIR) > 1:
            errors["members"] = CHAIR_ONCE
        return data, roles, errors

    def _snapshot(self) -> tuple[object, ...]:
        data, roles, _errors = self.collect()
        return (data, tuple(roles))

    def is_dirty(self) -> bool:
        return self._snapshot() != self._initial

    # --- reacting -------------------------------------------------------------------------

    def _connect_changes(self) -> None:
        self.name_edit.textChanged.connect(partial(self._on_field_edited, "name"))
        self.place_edit.textChanged.connect(partial(self._on_field_edited, "usual_place"))
        self.members_edit.changed.connect(partial(self._on_field_edited, "members"))
        self.guideline_list.itemChanged.connect(partial(self._on_field_edited, "guidelines"))
        self.kind_combo.currentIndexChanged.connect(self._on_form_changed)
        self.rhythm_edit.textChanged.connect(self._on_form_changed)
        self.description_edit.textChanged.connect(self._on_form_changed)

    def _on_field_edited(self, key: str, *_args: object) -> None:
        self._touched.add(key)
        self._on_form_changed()

    def _on_form_changed(self, *_args: object) -> None:
        self._saved_errors = {}
        self._show_messages()

    def _show_messages(self) -> None:
        """Messages under the touched fields, what is still missing, and the Save button."""
        _data, _roles, errors = self.collect()
        errors = {**errors, **self._saved_errors}
        for key, label in self.error_labels.items():
            message = errors.get(key, "") if key in self._touched else ""
            if key == "members":
                self.members_edit.show_message(message)
            else:
                label.setText(message)
                self._error_forms[key].setRowVisible(label, bool(message))
        pending = [
            FIELD_LABELS[k] for k in _FIELDS_IN_ORDER if k in errors and k not in self._touched
        ]
        self.hint_label.setText(
            f"Zum Speichern fehlt noch: {', '.join(pending)}." if pending else ""
        )
        self.save_button.setEnabled(not errors)
        self.save_button.setToolTip("\n".join(errors.values()) if errors else "Speichern (Strg+S)")
        self.setWindowModified(self.is_dirty())

    def _show_all_errors(self, errors: dict[str, str]) -> None:
        self._touched.update(errors)
        self._show_messages()
        first = next((k for k in _FIELDS_IN_ORDER if k in errors), None)
        if first is not None:
            self._error_fields[first].setFocus()

    def _on_save_shortcut_activated(self) -> None:
        self.save()

    def _on_buttons_accepted(self) -> None:
        self.save()

    def save(self) -> bool:
        """Save the group and its members if the form is valid; True when saved."""
        data, roles, errors = self.collect()
        if errors:
            self._show_all_errors(errors)
            return False
        try:
            with self._database.session() as session:
                group = save_group(session, data, self.group_id)
                set_members(session, group.id, roles)
                saved_id = group.id
        except ValidationError as err:
            found = dict(err.errors)
            if "chair" in found:
                found["members"] = found.pop("chair")
            self._saved_errors = {k: v for k, v in found.items() if k in self.error_labels}
            self._show_all_errors(self._saved_errors)
            if set(found) - set(self._saved_errors):
                QMessageBox.warning(self, "Speichern nicht möglich", str(err))
            return False
        except UserError as err:
            QMessageBox.warning(self, "Speichern nicht möglich", str(err))
            return False
        self.saved_id = saved_id
        self._initial = self._snapshot()
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
                "Die Änderungen an diesem Gremium sind noch nicht gespeichert.\n"
                "Sollen sie verworfen werden?",
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                return
        super().reject()
