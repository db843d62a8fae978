"""Pick-or-type widgets for names of organisations (a new name is created on save)."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QGridLayout,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from integrationsmanager.domain.text import clean_line, fold


class NameCombo(QComboBox):
    """An editable combo box over known names that finds them by any part of the name."""

    def __init__(self, choices: Iterable[str] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.line_edit = QLineEdit(self)
        self.setLineEdit(self.line_edit)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(12)
        self.set_choices(choices)

    def set_choices(self, choices: Iterable[str]) -> None:
        text = self.currentText()
        self.clear()
        self.addItems(list(choices))
        completer = QCompleter(self.model(), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompleter(completer)
        self.setCurrentIndex(-1)
        self.setEditText(text)

    def text(self) -> str:
        return clean_line(self.currentText())

    def set_text(self, text: str) -> None:
        index = self.findText(text)
        self.setCurrentIndex(index)
        if index < 0:
            self.setEditText(text)


class NameListEdit(QWidget):
    """A list of names: type or pick one, add it; select one, remove it.

    ``noun`` names the list in accessible names and tooltips ("Partner").
    """

    changed = Signal()

    def __init__(
        self, *, noun: str, choices: Iterable[str] = (), parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.name_combo = NameCombo(choices, self)
        self.name_combo.setAccessibleName(f"{noun}: Name eingeben oder wählen")
        self.name_combo.line_edit.setAccessibleName(f"{noun}: Name eingeben oder wählen")
        self.name_combo.line_edit.setPlaceholderText("Name eingeben oder wählen …")
        self.name_combo.installEventFilter(self)
        self.add_button = QPushButton("Hinzufügen", self)
        self.add_button.setAccessibleName(f"{noun} hinzufügen")
        self.add_button.setAutoDefault(False)
        self.list_widget = QListWidget(self)
        self.list_widget.setAccessibleName(noun)
        self.list_widget.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list_widget.setMaximumHeight(self.fontMetrics().lineSpacing() * 4)
        self.list_widget.installEventFilter(self)
        self.remove_button = QPushButton("Entfernen", self)
        self.remove_button.setAccessibleName(f"Ausgewählte {noun} entfernen")
        self.remove_button.setAutoDefault(False)
        self.remove_button.setEnabled(False)

        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.name_combo, 0, 0)
        layout.addWidget(self.add_button, 0, 1)
        layout.addWidget(self.list_widget, 1, 0, 1, 2)
        layout.addWidget(self.remove_button, 2, 1)
        layout.setColumnStretch(0, 1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.setFocusProxy(self.name_combo)

        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.list_widget.itemSelectionChanged.connect(self._on_list_widget_selection_changed)

    def names(self) -> list[str]:
        return [self.list_widget.item(i).text() for i in range(self.list_widget.count())]

    def set_names(self, names: Iterable[str]) -> None:
        self.list_widget.clear()
        self.list_widget.addItems(list(names))

    def add_name(self, name: str) -> bool:
        """Add ``name`` unless it is empty or already listed (ignoring case and umlauts)."""
        name = clean_line(name)
        if not name or fold(name) in {fold(n) for n in self.names()}:
            return False
        self.list_widget.addItem(name)
        self.changed.emit()
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Enter in the name field adds the name instead of pressing the dialog's default
        # button; Del in the list removes the selected names.
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.name_combo and key in (
                Qt.Key.Key_Return,
                Qt.Key.Key_Enter,
            ):
                if self.name_combo.text():
                    self._on_add_button_clicked()
                    return True
            elif watched is self.list_widget and key == Qt.Key.Key_Delete:
                self._on_remove_button_clicked()
                return True
        return super().eventFilter(watched, event)

    def _on_add_button_clicked(self) -> None:
        self.add_name(self.name_combo.text())
        self.name_combo.setCurrentIndex(-1)
        self.name_combo.setEditText("")

    def _on_remove_button_clicked(self) -> None:
        selected = self.list_widget.selectedItems()
        if not selected:
            return
        for item in selected:
            self.list_widget.takeItem(self.list_widget.row(item))
        self.changed.emit()

    def _on_list_widget_selection_changed(self) -> None:
        self.remove_button.setEnabled(bool(self.list_widget.selectedItems()))
