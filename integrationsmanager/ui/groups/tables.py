"""Small read-only tables of the groups area and the cells they share (due dates, statuses).

An overdue due date says so in words ("überfällig") and is drawn in red and bold besides:
status is never shown by colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)
from sqlalchemy.orm import Session

from integrationsmanager.domain.enums import ActionStatus, MeasureStatus
from integrationsmanager.domain.measures import Measure
from integrationsmanager.domain.meetings import ActionItem, Meeting
from integrationsmanager.services.action_items import OPEN_STATUSES
from integrationsmanager.services.meetings import meeting_date
from integrationsmanager.services.persons import person_display_name
from integrationsmanager.ui.widgets.dates import format_date
from integrationsmanager.ui.widgets.status import status_icon

ID_ROLE = Qt.ItemDataRole.UserRole + 1
OVERDUE_COLOUR = "#B3261E"
"""Dark red, as the editors' messages; the word "überfällig" carries the meaning."""


def make_table(
    parent: QWidget, name: str, headers: Sequence[str], *, stretch: Sequence[int] = (0,)
) -> QTableWidget:
    """A read-only table with whole-row selection; the ``stretch`` columns share the spare
    width (their texts are shortened with "…"), the others fit their contents."""
    table = QTableWidget(0, len(headers), parent)
    table.setAccessibleName(name)
    table.setHorizontalHeaderLabels(list(headers))
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setTabKeyNavigation(False)
    table.verticalHeader().hide()
    metrics = table.fontMetrics()
    table.verticalHeader().setDefaultSectionSize(metrics.height() + metrics.height() // 2)
    header = table.horizontalHeader()
    header.setAccessibleName(f"Spalten: {name}")
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    for column in stretch:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    return table


def text_item(text: str, *, item_id: int | None = None, tooltip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if item_id is not None:
        item.setData(ID_ROLE, item_id)
    item.setToolTip(tooltip or text)
    return item


def measure_status_item(status: MeasureStatus) -> QTableWidgetItem:
    item = text_item(status.label)
    item.setIcon(status_icon(status))
    return item


def is_overdue(due_on: date | None, status: ActionStatus, today: date | None = None) -> bool:
    return due_on is not None and status in OPEN_STATUSES and due_on < (today or date.today())


def due_text(due_on: date | None, status: ActionStatus, today: date | None = None) -> str:
    """``31.10.2026``, ``31.10.2026 – überfällig``, or ``ohne Frist``."""
    if due_on is None:
        return "ohne Frist"
    text = format_date(due_on)
    return f"{text} – überfällig" if is_overdue(due_on, status, today) else text


def mark_overdue(item: QTableWidgetItem) -> None:
    item.setForeground(QBrush(QColor(OVERDUE_COLOUR)))
    font = QFont(item.font())
    font.setBold(True)
    item.setFont(font)


def due_item(due_on: date | None, status: ActionStatus) -> QTableWidgetItem:
    item = text_item(due_text(due_on, status))
    if is_overdue(due_on, status):
        mark_overdue(item)
    return item


@dataclass(frozen=True)
class ActionView:
    """An action item as tables show it, read inside a session."""

    id: int
    title: str
    owner: str
    owner_id: int | None
    due_on: date | None
    status: ActionStatus
    measure_id: int | None
    measure_title: str
    meeting_id: int | None
    meeting: str
    """``10.03.2026`` of the meeting it comes from, or empty."""
    agenda_item_id: int | None

    @property
    def overdue(self) -> bool:
        return is_overdue(self.due_on, self.status)


def action_view(session: Session, item: ActionItem) -> ActionView:
    measure = session.get(Measure, item.measure_id) if item.measure_id is not None else None
    meeting = session.get(Meeting, item.meeting_id) if item.meeting_id is not None else None
    return ActionView(
        id=item.id,
        title=item.title,
        owner=person_display_name(item.owner) if item.owner is not None else "",
        owner_id=item.owner_id,
        due_on=item.due_on,
        status=ActionStatus(item.status),
        measure_id=item.measure_id,
        measure_title=measure.title if measure is not None else "",
        meeting_id=item.meeting_id,
        meeting=meeting_date(meeting) if meeting is not None else "",
        agenda_item_id=item.agenda_item_id,
    )


def fill_action_table(table: QTableWidget, actions: Sequence[ActionView]) -> None:
    """Columns: Aufgabe, Zuständig, Frist, Status, aus Sitzung."""
    table.setRowCount(len(actions))
    for row, action in enumerate(actions):
        table.setItem(row, 0, text_item(action.title, item_id=action.id))
        table.setItem(row, 1, text_item(action.owner or "–"))
        table.setItem(row, 2, due_item(action.due_on, action.status))
        table.setItem(row, 3, text_item(action.status.label))
        table.setItem(row, 4, text_item(action.meeting or "–"))


ACTION_HEADERS = ("Aufgabe", "Zuständig", "Frist", "Status", "aus Sitzung")


def selected_id(table: QTableWidget) -> int | None:
    """The id stored in the first cell of the selected row."""
    rows = table.selectionModel().selectedRows()
    if not rows:
        return None
    item = table.item(rows[0].row(), 0)
    value = item.data(ID_ROLE) if item is not None else None
    return value if isinstance(value, int) else None


def select_id(table: QTableWidget, item_id: int) -> bool:
    for row in range(table.rowCount()):
        item = table.item(row, 0)
        if item is not None and item.data(ID_ROLE) == item_id:
            table.selectRow(row)
            table.scrollToItem(item)
            return True
    return False
