"""What the organisation and person editors share: a duplicate check before saving.

A new record, or one whose name or e-mail address changed, is compared with the existing
ones (:mod:`integrationsmanager.services.duplicates`). On a hit the user chooses in a
:class:`DuplicateDialog`: save anyway, open the existing record, or merge into it. A merge
saves and merges in one unit of work, so either both happen or neither does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLineEdit, QMessageBox, QWidget
from sqlalchemy.orm import Session

from integrationsmanager.domain.enums import MUNICIPALITIES
from integrationsmanager.services.duplicates import DuplicateHit
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.network.duplicates_dialog import DuplicateChoice, DuplicateDialog
from integrationsmanager.ui.widgets.form import FormDialog
from integrationsmanager.ui.widgets.names import NameCombo


def line_edit(parent: QWidget, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setPlaceholderText(placeholder)
    return edit


class NetworkEditor(FormDialog):
    """Base of the organisation and person editors (``noun``: "Organisation", "Person").

    ``open_requested`` carries the id of an existing record the user chose to open instead.
    After a merge ``merged_into`` names the record that took the input.
    """

    open_requested = Signal(int)

    noun = ""

    def __init__(
        self,
        database: Database,
        *,
        record_id: int | None,
        what: str,
        field_labels: Mapping[str, str],
        required: Sequence[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(what=what, field_labels=field_labels, required=required, parent=parent)
        self._database = database
        self.record_id = record_id
        self.duplicate_dialog: DuplicateDialog | None = None
        self.merged_into: str | None = None
        self._merge_target: DuplicateHit | None = None
        self._loaded_identity: object = None

    # --- for subclasses -------------------------------------------------------------------

    def add_address_rows(self, form: QFormLayout, parent: QWidget, *, street_label: str) -> None:
        """Street, postcode and town in one row, and the municipality (the district's towns
        to pick from, another place may be typed)."""
        self.street_edit = line_edit(parent)
        self.add_row(form, street_label, self.street_edit, "street")
        self.postcode_edit = line_edit(parent)
        self.postcode_edit.setMaxLength(10)
        self.city_edit = line_edit(parent)
        place = QWidget(parent)
        place_row = QHBoxLayout(place)
        place_row.setContentsMargins(0, 0, 0, 0)
        place_row.addWidget(self.postcode_edit, 1)
        place_row.addWidget(self.city_edit, 3)
        place.setFocusProxy(self.postcode_edit)
        self.add_row(form, "&PLZ, Ort", place, accessible_name="PLZ und Ort")
        self.postcode_edit.setAccessibleName("PLZ")
        self.city_edit.setAccessibleName("Ort")
        self.add_error_row(form, self.postcode_edit, "postcode")
        self.add_error_row(form, self.city_edit, "city")
        self.municipality_combo = NameCombo(MUNICIPALITIES, parent)
        self.municipality_combo.line_edit.setPlaceholderText("wählen oder eingeben")
        self.add_row(form, "&Gemeinde", self.municipality_combo, "municipality")
        self.municipality_combo.line_edit.setAccessibleName("Gemeinde")

    def identity(self, data: Any) -> object:
        """What a duplicate is recognised by (name, e-mail addresses, municipality)."""
        raise NotImplementedError

    def display_name(self, data: Any) -> str:
        raise NotImplementedError

    def find_duplicates(self, session: Session, data: Any) -> list[DuplicateHit]:
        raise NotImplementedError

    def write(self, session: Session, data: Any) -> int:
        """Save ``data`` in ``session``; returns the record's id."""
        raise NotImplementedError

    def merge(self, session: Session, keep_id: int, remove_id: int) -> None:
        raise NotImplementedError

    # --- the flow -------------------------------------------------------------------------

    def start(self) -> None:
        super().start()
        data, _errors = self.collect()
        self._loaded_identity = self.identity(data)

    def proceed(self, data: Any) -> bool:
        """Check for duplicates first when the record is new or its identity changed."""
        if self.record_id is not None and self.identity(data) == self._loaded_identity:
            return self.store_and_close(data)
        with self._database.session() as session:
            hits = self.find_duplicates(session, data)
        if not hits:
            return self.store_and_close(data)
        dialog = DuplicateDialog(
            hits,
            noun=self.noun,
            entered=self.display_name(data),
            creating=self.record_id is None,
            parent=self,
        )
        dialog.finished.connect(partial(self._on_duplicate_dialog_finished, data))
        self.duplicate_dialog = dialog
        dialog.open()
        return True

    def store(self, data: Any) -> int:
        with self._database.session() as session:
            record_id = self.write(session, data)
            target = self._merge_target
            if target is None:
                return record_id
            self.merge(session, target.id, record_id)
        self.merged_into = target.name
        return target.id

    def _confirm_merge(self, data: Any, target: DuplicateHit) -> bool:
        entered = self.display_name(data)
        if self.record_id is None:
            what = f"Die Eingaben zu „{entered}“ werden in „{target.name}“ übernommen"
        else:
            what = f"„{entered}“ wird in „{target.name}“ übernommen und danach gelöscht"
        answer = QMessageBox.question(
            self,
            "Zusammenführen",
            f"{what}.\n\nLeere Felder werden ergänzt; E-Mail-Adressen, Telefonnummern, "
            "Funktionen, Schlagwörter und der Kontaktverlauf bleiben alle erhalten. "
            "Das lässt sich nicht rückgängig machen.\n\nJetzt zusammenführen?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _on_duplicate_dialog_finished(self, data: Any, _result: int) -> None:
        dialog, self.duplicate_dialog = self.duplicate_dialog, None
        if dialog is None:
            return
        choice, hit = dialog.choice, dialog.hit
        dialog.deleteLater()
        if choice == DuplicateChoice.SAVE_ANYWAY:
            self.store_and_close(data)
        elif choice == DuplicateChoice.OPEN_EXISTING and hit is not None:
            self.open_requested.emit(hit.id)
            self.discard()
        elif choice == DuplicateChoice.MERGE and hit is not None:
            if not self._confirm_merge(data, hit):
                return
            self._merge_target = hit
            if not self.store_and_close(data):
                self._merge_target = None
