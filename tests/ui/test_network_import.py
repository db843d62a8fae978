"""The contact import dialog with real address-book exports: mapping, preview, import."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from integrationsmanager.services.contacts_io import DUPLICATE, INVALID, NEW
from integrationsmanager.services.persons import PersonData, save_person
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.network import NetworkPage
from integrationsmanager.ui.network.import_dialog import STATE_ROLE, ImportDialog
from tests.conftest import REAL_FIXTURES
from tests.ui.helpers import nameless_controls

OUTLOOK = REAL_FIXTURES / "outlook-csv" / "outlook2013-de-tine20.csv"
CYRILLIC_VCARD = REAL_FIXTURES / "vcard" / "SYNTHETIC-cyrillic-2.1-cp1251-folkerkinzel.vcf"

pytestmark = pytest.mark.skipif(not OUTLOOK.exists(), reason="real fixtures not available")


@pytest.fixture
def page(qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch) -> NetworkPage:
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: QMessageBox.StandardButton.Yes)
    widget = NetworkPage(db)
    qtbot.addWidget(widget)
    widget.resize(1300, 850)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def open_dialog(qtbot: QtBot, db: Database, path: Path) -> ImportDialog:
    dialog = ImportDialog(db, path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def column(dialog: ImportDialog, header: str) -> list[str]:
    model = dialog.preview_model
    position = model.headers().index(header)
    return [model.index(row, position).data() for row in range(model.rowCount())]


def test_outlook_file_from_the_page_is_previewed_and_imported(
    page: NetworkPage, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a: (str(OUTLOOK), ""))
    page.tabs.setCurrentWidget(page.persons)
    page.persons.import_button.click()
    dialog = page.import_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.mapping()["Nachname"] == "last_name"
    assert dialog.mapping()["Firma"] == "organisation"
    assert column(dialog, "Zeile") == ["Zeile 2", "Zeile 3"]
    assert column(dialog, "Status") == [NEW, NEW]
    assert column(dialog, "Name") == ["Baumann, Christian", "Weiß, Cornelius"]
    assert column(dialog, "Organisation") == ["unittest", "unittest"]
    assert dialog.counts_label.text() == "2 Zeilen: 2 neu."
    assert dialog.import_button.isEnabled()
    with (
        qtbot.waitSignal(page.data_changed),
        qtbot.waitSignal(page.status_message) as message,
    ):
        dialog.import_button.click()
    assert message.args == ["2 Personen importiert · 1 Organisation neu angelegt"]
    assert page.import_dialog is None
    model = page.persons.model
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == [
        "Baumann, Christian",
        "Weiß, Cornelius",
    ]
    page.tabs.setCurrentWidget(page.organisations)
    assert page.organisations.model.rowCount() == 1


def test_duplicates_are_marked_in_words_and_colour(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    with db.session() as session:
        existing = save_person(
            session,
            PersonData(
                first_name="Christian", last_name="Baumann", emails=["c.baumann@unittest.de"]
            ),
        ).id
    dialog = open_dialog(qtbot, db, OUTLOOK)
    status = column(dialog, "Status")
    assert status[0].startswith(f"Duplikat von Person {existing} „Baumann, Christian“")
    assert "gleiche E-Mail-Adresse c.baumann@unittest.de" in status[0]
    assert status[1] == NEW
    model = dialog.preview_model
    assert model.index(0, 1).data(STATE_ROLE) == DUPLICATE
    assert model.index(0, 1).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert model.index(1, 1).data(Qt.ItemDataRole.BackgroundRole) is None
    assert dialog.counts_label.text() == (
        "2 Zeilen: 1 neu, 1 schon vorhanden (werden übersprungen)."
    )
    assert dialog.import_button.isEnabled()


def test_invalid_rows_block_the_import_with_an_explanation(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    source = tmp_path / "liste.csv"
    source.write_text(
        "Vorname;Nachname;E-Mail\nAnna;Müller;anna(at)example.org\nОлена;Шевченко;olena@example.org\n",
        encoding="utf-8",
    )
    dialog = open_dialog(qtbot, db, source)
    model = dialog.preview_model
    assert model.index(0, 1).data(STATE_ROLE) == INVALID
    assert column(dialog, "Status")[0].startswith("ungültig: ")
    assert "anna(at)example.org" in column(dialog, "Status")[0]
    assert model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert dialog.counts_label.text() == "2 Zeilen: 1 neu, 1 ungültig."
    assert not dialog.import_button.isEnabled()
    assert "erst, wenn keine Zeile mehr ungültig ist" in dialog.explain_label.text()
    dialog.set_mapping("E-Mail", None)
    qtbot.waitUntil(dialog.import_button.isEnabled)
    assert column(dialog, "Status") == [NEW, NEW]
    assert dialog.explain_label.text() == ""


def test_a_mapping_without_names_is_explained(qtbot: QtBot, db: Database) -> None:
    dialog = open_dialog(qtbot, db, OUTLOOK)
    dialog.set_mapping("Vorname", None)
    dialog.set_mapping("Nachname", None)
    dialog.refresh_preview()  # "Weitere Vornamen" still fills the first name, but is empty
    assert all("Weder Vor- noch Nachname" in s for s in column(dialog, "Status"))
    dialog.set_mapping("Weitere Vornamen", None)
    dialog.refresh_preview()
    assert dialog.preview_model.rowCount() == 0
    assert "„Name“" in dialog.explain_label.text()
    assert not dialog.import_button.isEnabled()


def test_a_cyrillic_vcard_in_windows_1251(qtbot: QtBot, db: Database) -> None:
    dialog = open_dialog(qtbot, db, CYRILLIC_VCARD)
    assert column(dialog, "Name") == ["Кличко, Віталій Володимирович"]
    assert column(dialog, "Ort") == ["Київ"]
    dialog.import_button.click()
    assert dialog.report is not None and dialog.report.created == 1


def test_a_file_that_is_no_contact_list(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    source = tmp_path / "bild.png"
    source.write_bytes(b"\x89PNG\r\n")
    dialog = open_dialog(qtbot, db, source)
    assert "kann nicht importiert werden" in dialog.explain_label.text()
    assert dialog.mapping() == {}
    assert not dialog.import_button.isEnabled()


def test_preview_model_passes_qt_model_tester(
    qtbot: QtBot, db: Database, qtmodeltester: ModelTester
) -> None:
    dialog = open_dialog(qtbot, db, OUTLOOK)
    qtmodeltester.check(dialog.preview_model)


def test_every_control_of_the_dialog_has_an_accessible_name(qtbot: QtBot, db: Database) -> None:
    dialog = open_dialog(qtbot, db, OUTLOOK)
    assert nameless_controls(dialog) == []
