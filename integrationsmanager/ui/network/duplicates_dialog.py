"""Asks what to do when a record being saved looks like one that exists already.

The dialog lists the existing records with the reason each one matched ("gleiche
E-Mail-Adresse …") and offers three ways on: save anyway, open the existing record instead,
or merge into it. It only records the choice; the editor acts on it.
"""

from __future__ import annotations

from enum import Enum, auto

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from integrationsmanager.services.duplicates import DuplicateHit


class DuplicateChoice(Enum):
    SAVE_ANYWAY = auto()
    OPEN_EXISTING = auto()
    MERGE = auto()


class DuplicateDialog(QDialog):
    """Existing records like the one entered; after ``accept()`` see ``choice`` and ``hit``.

    ``noun`` is "Person" or "Organisation"; ``creating`` words the first button
    ("Trotzdem anlegen" for a new record, "Trotzdem speichern" for a changed one).
    """

    def __init__(
        self,
        hits: list[DuplicateHit],
        *,
        noun: str,
        entered: str,
        creating: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.choice: DuplicateChoice | None = None
        self.setWindowTitle(f"{noun} schon vorhanden?")
        existing = "vorhandenen Einträgen" if len(hits) > 1 else "einem vorhandenen Eintrag"
        # "Person" and "Organisation" are both feminine: "dieselbe" fits either.
        self.intro_label = QLabel(f"„{entered}“ ähnelt {existing}. Ist es dieselbe {noun}?", self)
        self.intro_label.setWordWrap(True)

        self.hit_list = QTreeWidget(self)
        self.hit_list.setAccessibleName("Ähnliche Einträge")
        self.hit_list.setHeaderLabels(["Name", "Grund"])
        self.hit_list.setRootIsDecorated(False)
        self.hit_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.hit_list.setAlternatingRowColors(True)
        header = self.hit_list.header()
        header.setAccessibleName("Spalten der ähnlichen Einträge")
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        for hit in hits:
            item = QTreeWidgetItem([hit.name, hit.reason])
            item.setData(0, Qt.ItemDataRole.UserRole, hit.id)
            item.setToolTip(1, hit.reason)
            self.hit_list.addTopLevelItem(item)
        first = self.hit_list.topLevelItem(0)
        if first is not None:
            self.hit_list.setCurrentItem(first)
        self._hits = {hit.id: hit for hit in hits}
        line = self.fontMetrics().lineSpacing()
        self.hit_list.setMinimumHeight(line * (min(len(hits), 8) + 3))

        self.explain_label = QLabel(
            "„Zusammenführen“ übernimmt die Eingaben in den gewählten Eintrag: leere Felder "
            "werden ergänzt, E-Mail-Adressen, Telefonnummern, Funktionen, Schlagwörter und der "
            "Kontaktverlauf bleiben alle erhalten.",
            self,
        )
        self.explain_label.setWordWrap(True)

        self.buttons = QDialogButtonBox(self)
        self.save_anyway_button = QPushButton(
            "Trotzdem anlegen" if creating else "Trotzdem speichern", self
        )
        self.open_button = QPushButton("Vorhandenen öffnen", self)
        self.merge_button = QPushButton("Zusammenführen …", self)
        self.back_button = QPushButton("Zurück zum Formular", self)
        self.save_anyway_button.setToolTip(f"Als eigene {noun} speichern")
        self.open_button.setToolTip("Die Eingaben verwerfen und den gewählten Eintrag zeigen")
        self.merge_button.setToolTip("Die Eingaben in den gewählten Eintrag übernehmen")
        for button, role in (
            (self.save_anyway_button, QDialogButtonBox.ButtonRole.AcceptRole),
            (self.open_button, QDialogButtonBox.ButtonRole.ActionRole),
            (self.merge_button, QDialogButtonBox.ButtonRole.ActionRole),
            (self.back_button, QDialogButtonBox.ButtonRole.RejectRole),
        ):
            button.setAutoDefault(False)
            self.buttons.addButton(button, role)
        self.back_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro_label)
        layout.addWidget(self.hit_list, 1)
        layout.addWidget(self.explain_label)
        layout.addWidget(self.buttons)

        self.save_anyway_button.clicked.connect(self._on_save_anyway_button_clicked)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.merge_button.clicked.connect(self._on_merge_button_clicked)
        self.back_button.clicked.connect(self.reject)
        self.hit_list.currentItemChanged.connect(self._on_hit_list_current_item_changed)

        metrics = self.fontMetrics()
        self.resize(metrics.averageCharWidth() * 90, metrics.lineSpacing() * (12 + len(hits)))

    @property
    def hit(self) -> DuplicateHit | None:
        """The existing record chosen in the list."""
        item = self.hit_list.currentItem()
        if item is None:
            return None
        return self._hits.get(item.data(0, Qt.ItemDataRole.UserRole))

    def _finish(self, choice: DuplicateChoice) -> None:
        self.choice = choice
        self.accept()

    def _on_save_anyway_button_clicked(self) -> None:
        self._finish(DuplicateChoice.SAVE_ANYWAY)

    def _on_open_button_clicked(self) -> None:
        self._finish(DuplicateChoice.OPEN_EXISTING)

    def _on_merge_button_clicked(self) -> None:
        self._finish(DuplicateChoice.MERGE)

    def _on_hit_list_current_item_changed(
        self, current: QTreeWidgetItem | None, *_args: object
    ) -> None:
        chosen = current is not None
        self.open_button.setEnabled(chosen)
        self.merge_button.setEnabled(chosen)
