"""The list of working groups: name, kind and next meeting, filtered by kind and by search.

Tens of groups: the model holds them all and a :class:`QSortFilterProxyModel` filters them
(qutebrowser's way for small lists).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRegularExpression,
    QSize,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from integrationsmanager.domain.enums import GroupKind
from integrationsmanager.domain.meetings import ActionItem, WorkingGroup
from integrationsmanager.domain.text import fold
from integrationsmanager.services.action_items import OPEN_STATUSES
from integrationsmanager.services.meetings import next_meeting, to_local
from integrationsmanager.ui.widgets.dates import format_date

ID_ROLE = Qt.ItemDataRole.UserRole + 1
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 3
"""The second line under the name: kind, next meeting, open action items."""

_AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class GroupRow:
    id: int
    name: str
    kind: GroupKind
    next_meeting: datetime | None
    """Local start of the next planned meeting."""
    open_items: int
    overdue_items: int

    @property
    def detail(self) -> str:
        parts = [self.kind.label]
        if self.next_meeting is not None:
            parts.append(f"nächste Sitzung {format_date(self.next_meeting.date())}")
        else:
            parts.append("keine Sitzung geplant")
        if self.overdue_items:
            parts.append(f"{self.overdue_items} überfällig")
        return " · ".join(parts)


def load_group_rows(session: Session, *, today: date | None = None) -> list[GroupRow]:
    """Every group with its next meeting and the count of its open and overdue tasks."""
    day = today or date.today()
    open_counts: dict[int, int] = {
        group_id: count
        for group_id, count in session.execute(
            select(ActionItem.group_id, func.count())
            .where(ActionItem.status.in_(OPEN_STATUSES))
            .group_by(ActionItem.group_id)
        )
    }
    overdue_counts: dict[int, int] = {
        group_id: count
        for group_id, count in session.execute(
            select(ActionItem.group_id, func.count())
            .where(ActionItem.status.in_(OPEN_STATUSES), ActionItem.due_on < day)
            .group_by(ActionItem.group_id)
        )
    }
    rows = []
    for group in session.scalars(
        select(WorkingGroup).order_by(WorkingGroup.name_folded, WorkingGroup.id)
    ):
        upcoming = next_meeting(session, group.id)
        rows.append(
            GroupRow(
                id=group.id,
                name=group.name,
                kind=GroupKind(group.kind),
                next_meeting=to_local(upcoming.starts_at) if upcoming is not None else None,
                open_items=open_counts.get(group.id, 0),
                overdue_items=overdue_counts.get(group.id, 0),
            )
        )
    return rows


class GroupListModel(QAbstractListModel):
    """All groups, one row each, in name order."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[GroupRow] = []

    def set_rows(self, rows: list[GroupRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: _AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.name
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{row.name}, {row.detail}"
        if role == DETAIL_ROLE:
            return row.detail
        if role == ID_ROLE:
            return row.id
        if role == SEARCH_ROLE:
            return f"kind:{row.kind.value} {fold(row.name)} {fold(row.kind.label)}"
        return None

    def row_of(self, group_id: int) -> int | None:
        return next((i for i, row in enumerate(self._rows) if row.id == group_id), None)


class GroupFilterProxy(QSortFilterProxyModel):
    """Keeps the groups of one kind (or all) whose name contains every typed word.

    Both conditions become one regular expression over :data:`SEARCH_ROLE` (``kind:<code>``
    and the folded name and kind), so Qt's own filter does the work and re-filters on change.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._kind: str | None = None
        self._words: list[str] = []
        self.setFilterRole(SEARCH_ROLE)

    def set_kind(self, kind: str | None) -> None:
        self._kind = kind
        self._apply()

    def set_search(self, text: str) -> None:
        self._words = fold(text).split()
        self._apply()

    @property
    def is_filtered(self) -> bool:
        return self._kind is not None or bool(self._words)

    def _apply(self) -> None:
        conditions = [f"kind:{self._kind} ", *self._words] if self._kind else self._words
        self.setFilterRegularExpression(
            QRegularExpression("".join(f"(?=.*{re.escape(part)})" for part in conditions))
        )


class GroupDelegate(QStyledItemDelegate):
    """The name in bold, below it the kind and next meeting in the muted text colour."""

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        bold = QFont(option.font)
        bold.setBold(True)
        return bold, QFont(option.font)

    def sizeHint(self, option: QStyleOptionViewItem, index: _AnyIndex) -> QSize:
        bold, plain = self._fonts(option)
        height = QFontMetrics(bold).lineSpacing() + QFontMetrics(plain).lineSpacing()
        padding = QFontMetrics(plain).height() // 2
        return QSize(super().sizeHint(option, index).width(), height + 2 * padding)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _AnyIndex) -> None:
        self.initStyleOption(option, index)
        text = option.text
        option.text = ""
        widget: QWidget | None = option.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, widget)
        bold, plain = self._fonts(option)
        rect = option.rect
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette: QPalette = option.palette
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        padding = QFontMetrics(plain).height() // 2
        inner = rect.adjusted(padding, padding // 2, -padding, -padding // 2)
        painter.save()
        painter.setFont(bold)
        painter.setPen(palette.color(text_role))
        name_height = QFontMetrics(bold).lineSpacing()
        name_rect = inner.adjusted(0, 0, 0, -(inner.height() - name_height))
        painter.drawText(
            name_rect,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            QFontMetrics(bold).elidedText(text, Qt.TextElideMode.ElideRight, inner.width()),
        )
        painter.setFont(plain)
        if not selected:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        detail = str(index.data(DETAIL_ROLE) or "")
        painter.drawText(
            inner.adjusted(0, name_height, 0, 0),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
            QFontMetrics(plain).elidedText(detail, Qt.TextElideMode.ElideRight, inner.width()),
        )
        painter.restore()
