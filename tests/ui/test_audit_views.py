"""The history tab and the global change log show what the services changed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import update

from integrationsmanager.domain.audit import AuditEntry
from integrationsmanager.services.persons import PersonData, save_person
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.audit.change_log import ChangeLogDialog
from integrationsmanager.ui.network.details import PersonDetails


def _person(db: Database) -> int:
    with db.session() as session:
        person = save_person(session, PersonData(first_name="Марія", last_name="Шевченко"))
        person_id = person.id
    with db.session() as session:
        save_person(session, PersonData(first_name="Марія", last_name="Koval"), person_id)
    return person_id


def test_person_details_show_the_edit_in_the_history_tab(qtbot, db: Database) -> None:
    person_id = _person(db)
    details = PersonDetails(db)
    qtbot.addWidget(details)
    details.show_person(person_id)
    model = details.audit_view.model
    cells = [model.index(0, c).data() for c in range(model.columnCount())]
    assert cells[1:] == ["testnutzer", "geändert", "Nachname", "Шевченко", "Koval"]
    titles = [details.tabs.tabText(i) for i in range(details.tabs.count())]
    assert "Änderungs&verlauf" in titles


def test_change_log_filters_by_user_and_area(qtbot, db: Database) -> None:
    _person(db)
    with db.session() as session:
        session.execute(update(AuditEntry).where(AuditEntry.action == "insert").values(user="bea"))
    dialog = ChangeLogDialog(db)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 2
    dialog.user_combo.setCurrentIndex(dialog.user_combo.findData("bea"))
    assert dialog.model.rowCount() == 1
    assert dialog.model.index(0, 4).data() == "angelegt"
    dialog.user_combo.setCurrentIndex(0)
    dialog.area_combo.setCurrentIndex(dialog.area_combo.findData("Förderung"))
    assert dialog.model.rowCount() == 0
    assert dialog.count_label.text() == "0 Änderungen"
    dialog.area_combo.setCurrentIndex(dialog.area_combo.findData("Netzwerk"))
    assert dialog.model.rowCount() == 2
    assert dialog.model.index(0, 3).data() == "Person: Марія Koval"


def test_change_log_opens_with_the_newest_change_first(qtbot, db: Database) -> None:
    _person(db)
    dialog = ChangeLogDialog(db)
    qtbot.addWidget(dialog)
    assert [dialog.model.index(r, 4).data() for r in range(2)] == ["geändert", "angelegt"]
    header = dialog.table.horizontalHeader()
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
