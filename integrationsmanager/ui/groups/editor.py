"""The group editor: name, kind, guidelines, place and rhythm, and the members with their roles.

The rules live in :class:`GroupData` and :func:`set_members`; the dialog shows their German
messages as the user types, keeps Save disabled while one applies, and saves the group and its
members in one unit of work.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from integrationsmanager.domain.enums import GroupKind, MemberRole
from integrationsmanager.domain.errors import ValidationError
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
from integrationsmanager.ui.groups.members import PeopleEdit, enum_combo, select_value
from integrationsmanager.ui.groups.pickers import PersonChoice, person_choices
from integrationsmanager.ui.widgets.form import FormDialog

FIELD_LABELS = {
    "name": "Name",
    "usual_place": "Üblicher Ort",
    "guidelines": "Leitlinien",
    "members": "Mitglieder",
}
_FIELDS_IN_ORDER = ("name", "usual_place", "guidelines", "members")
CHAIR_ONCE = "Ein Gremium hat höchstens einen Vorsitz; bitte nur eine Person mit Vorsitz."


class GroupEditor(FormDialog):
    """Create (``group_id`` None) or edit a working group with its members."""

    def __init__(
        self,
        database: Database,
        *,
        group_id: int | None = None,
        kind: GroupKind = GroupKind.WORKING_GROUP,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            what="diesem Gremium",
            field_labels=FIELD_LABELS,
            required=_FIELDS_IN_ORDER,
            parent=parent,
        )
        self._database = database
        self.group_id = group_id

        with database.session() as session:
            if group_id is None:
                data = GroupData(name="", kind=kind)
                roles: list[tuple[int, MemberRole]] = []
            else:
                data = GroupData.from_group(get_group(session, group_id))
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
        self._connect_changes()
        self.start()

    # --- building -------------------------------------------------------------------------

    def _build(self, guideline_items: list[tuple[int, str]], people: list[PersonChoice]) -> None:
        content = QWidget(self)
        about = QGroupBox("Gremium", content)
        form = QFormLayout(about)
        self.name_edit = QLineEdit(about)
        self.name_edit.setMaxLength(NAME_MAX)
        self.name_edit.setPlaceholderText("z. B. Arbeitskreis Arbeitsmarktintegration")
        self.add_row(form, "&Name", self.name_edit, "name")
        self.kind_combo = enum_combo(GroupKind, about, name="Art")
        self.add_row(form, "&Art", self.kind_combo)
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
        self.add_row(form, "&Leitlinien", self.guideline_list, "guidelines")
        self.place_edit = QLineEdit(about)
        self.place_edit.setMaxLength(PLACE_MAX)
        self.place_edit.setPlaceholderText("z. B. Landratsamt Altenburg, Sitzungssaal")
        self.add_row(form, "Üblicher &Ort", self.place_edit, "usual_place")
        self.rhythm_edit = QLineEdit(about)
        self.rhythm_edit.setPlaceholderText("z. B. alle drei Monate, dienstags 14 Uhr")
        self.add_row(form, "&Rhythmus", self.rhythm_edit)
        self.description_edit = QPlainTextEdit(about)
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setMinimumHeight(self.fontMetrics().lineSpacing() * 3)
        self.add_row(form, "&Beschreibung", self.description_edit)

        member_box = QGroupBox("Mitglieder", content)
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
        self.add_error_message(
            "members",
            self.members_edit.message_label,
            self.members_edit.picker,
            self.members_edit.show_message,
        )

        columns = QHBoxLayout(content)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.addWidget(about, 1)
        columns.addWidget(member_box, 1)
        self.finish(content, accessible_name=None, characters=150)

    # --- values ---------------------------------------------------------------------------

    def _fill(self, data: GroupData, roles: list[tuple[int, MemberRole]]) -> None:
        self.name_edit.setText(data.name)
        select_value(self.kind_combo, data.kind)
        for row in range(self.guideline_list.count()):
            item = self.guideline_list.item(row)
            checked = item.data(Qt.ItemDataRole.UserRole) in data.guideline_ids
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.place_edit.setText(data.usual_place)
        self.rhythm_edit.setText(data.rhythm)
        self.description_edit.setPlainText(data.description)
        self.members_edit.set_entries(roles)

    def collect(
        self,
    ) -> tuple[tuple[GroupData, list[tuple[int, MemberRole]]], dict[str, str]]:
        """The form as :class:`GroupData` with the members, and the messages of broken rules."""
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
        return (data, roles), errors

    def store(self, data: tuple[GroupData, list[tuple[int, MemberRole]]]) -> int:
        group_data, roles = data
        with self._database.session() as session:
            group = save_group(session, group_data, self.group_id)
            set_members(session, group.id, roles)
            return group.id

    def field_errors(self, err: ValidationError) -> dict[str, str]:
        found = dict(err.errors)
        if "chair" in found:
            found["members"] = found.pop("chair")
        return found

    # --- reacting -------------------------------------------------------------------------

    def _connect_changes(self) -> None:
        self.watch(
            {
                "name": self.name_edit.textChanged,
                "usual_place": self.place_edit.textChanged,
                "members": self.members_edit.changed,
                "guidelines": self.guideline_list.itemChanged,
            },
            [
                self.kind_combo.currentIndexChanged,
                self.rhythm_edit.textChanged,
                self.description_edit.textChanged,
            ],
        )
