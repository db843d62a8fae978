"""One list of what needs attention: a heading with the count, the entries, or a kind word.

Enter or a double-click on an entry emits ``record_requested(kind, record_id)``; the page
passes it on so the window opens the record.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from integrationsmanager.services.overview import AttentionList, count_text

ENTRY_ROLE = Qt.ItemDataRole.UserRole
"""Item data: ``(kind, record_id)`` of the entry."""
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 1
"""Item data: the entry's second line (the display text is its first line)."""

DETAIL_SCALE = 0.9
"""Size of an entry's second line relative to its first."""

MUTED_SHARE = 0.3
"""How far the second line's colour moves from the text towards the background."""

VISIBLE_ENTRIES = 3
"""Entries a list shows before it scrolls (more if the page has room)."""


def muted(palette: QPalette) -> QColor:
    """Text colour moved towards the background: quieter, still readable (light or dark)."""
    text, base = palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base)
    mix = MUTED_SHARE
    return QColor.fromRgbF(
        text.redF() * (1 - mix) + base.redF() * mix,
        text.greenF() * (1 - mix) + base.greenF() * mix,
        text.blueF() * (1 - mix) + base.blueF() * mix,
    )


class EntryDelegate(QStyledItemDelegate):
    """Two lines per entry: what it is, and below it, smaller and quieter, why it is listed."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        line = option.fontMetrics.height()
        return QSize(option.rect.width(), line * 2 + line // 2)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        self.initStyleOption(option, index)
        title, detail = option.text, str(index.data(DETAIL_ROLE) or "")
        option.text = ""
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        margin = option.fontMetrics.averageCharWidth()
        area = option.rect.adjusted(margin, 0, -margin, 0)
        line = option.fontMetrics.height()
        painter.save()
        painter.setPen(option.palette.color(role))
        top = area.top() + line // 4
        painter.drawText(
            area.left(),
            top,
            area.width(),
            line,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            option.fontMetrics.elidedText(title, Qt.TextElideMode.ElideRight, area.width()),
        )
        small = QFont(option.font)
        small.setPointSizeF(option.font.pointSizeF() * DETAIL_SCALE)
        painter.setFont(small)
        if not selected:
            painter.setPen(muted(option.palette))
        metrics = QFontMetrics(small)
        painter.drawText(
            area.left(),
            top + line,
            area.width(),
            line,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(detail, Qt.TextElideMode.ElideRight, area.width()),
        )
        painter.restore()


class AttentionPanel(QWidget):
    """Heading "Überfällige Aufgaben (3)", the entries, and an empty state."""

    record_requested = Signal(str, int)

    def __init__(self, title: str, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.heading_label = QLabel(title, self)
        font = QFont(self.heading_label.font())
        font.setWeight(QFont.Weight.DemiBold)
        self.heading_label.setFont(font)
        self.list_widget = QListWidget(self)
        self.list_widget.setAccessibleName(title)
        self.list_widget.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list_widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list_widget.setWordWrap(False)
        self.list_widget.setUniformItemSizes(True)
        self.list_widget.setAlternatingRowColors(True)
        self.list_widget.setItemDelegate(EntryDelegate(self.list_widget))
        line = self.list_widget.fontMetrics().height()
        frame = self.list_widget.frameWidth() * 2
        self.list_widget.setMinimumHeight(VISIBLE_ENTRIES * (line * 2 + line // 2) + frame)
        self.empty_label = QLabel(empty_text, self)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.empty_label.setWordWrap(True)
        self.empty_label.setAccessibleName(f"{title}: {empty_text}")
        self.more_label = QLabel(self)
        self.more_label.hide()
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.list_widget)
        self.stack.addWidget(self.empty_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(line // 4)
        layout.addWidget(self.heading_label)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.more_label)
        self.list_widget.itemActivated.connect(self._on_list_item_activated)

    def sizeHint(self) -> QSize:
        """No taller than needed: the page hands out spare height (a scroll area inside a
        scroll area would otherwise grow to the lists' default height and scroll)."""
        return QSize(super().sizeHint().width(), self.minimumSizeHint().height())

    def set_entries(self, found: AttentionList) -> None:
        self.list_widget.clear()
        for entry in found.entries:
            item = QListWidgetItem(entry.title)
            item.setData(DETAIL_ROLE, entry.detail)
            item.setData(ENTRY_ROLE, (entry.kind, entry.record_id))
            item.setData(Qt.ItemDataRole.AccessibleTextRole, entry.text)
            item.setToolTip(
                f"{entry.title}\n{entry.detail}\n(Eingabetaste oder Doppelklick öffnet den Eintrag)"
            )
            self.list_widget.addItem(item)
        count = f" ({count_text(found.total)})" if found.total else ""
        self.heading_label.setText(self.title + count)
        self.list_widget.setAccessibleName(
            f"{self.title}: {count_text(found.total)} "
            + ("Eintrag" if found.total == 1 else "Einträge")
        )
        hidden = found.total - len(found.entries)
        self.more_label.setText(f"… und {count_text(hidden)} weitere")
        self.more_label.setVisible(hidden > 0)
        self.stack.setCurrentWidget(self.list_widget if found.entries else self.empty_label)
        if found.entries:
            # Current without a selection: Enter works at once, nothing looks picked.
            self.list_widget.setCurrentRow(0, QItemSelectionModel.SelectionFlag.NoUpdate)

    def entries(self) -> list[tuple[str, int]]:
        """``(kind, record_id)`` of the shown entries, top to bottom."""
        return [
            self.list_widget.item(row).data(ENTRY_ROLE) for row in range(self.list_widget.count())
        ]

    def _on_list_item_activated(self, item: QListWidgetItem) -> None:
        kind, record_id = item.data(ENTRY_ROLE)
        self.record_requested.emit(kind, record_id)
