"""The organisation and person table models: Qt's contract, German cells, database sorting."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester

from integrationsmanager.domain.enums import OrganisationKind
from integrationsmanager.services.network_queries import OrganisationFilter, PersonFilter
from integrationsmanager.services.organisations import OrganisationData, save_organisation
from integrationsmanager.services.persons import PersonData, RoleData, save_person
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.network.table_models import (
    ORGANISATION_COLUMNS,
    PERSON_COLUMNS,
    OrganisationTableModel,
    PersonTableModel,
)
from integrationsmanager.ui.widgets.lazy_table import ID_ROLE, Column

pytestmark = pytest.mark.usefixtures("qapp")  # fonts need an application


@pytest.fixture
def ids(db: Database) -> dict[str, int]:
    with db.session() as session:
        awo = save_organisation(
            session,
            OrganisationData(
                name="AWO Altenburg",
                kind=OrganisationKind.INDEPENDENT_PROVIDER,
                municipality="Altenburg",
                phone="03447 1",
                email="info@awo.de",
            ),
        ).id
        lucka = save_organisation(
            session, OrganisationData(name="Sportverein Lucka", active=False)
        ).id
        anna = save_person(
            session,
            PersonData(
                first_name="Anna",
                last_name="Müller",
                emails=["anna@awo.de", "privat@example.org"],
                phones=["0176 1"],
                languages="Arabisch, Dari",
                municipality="Altenburg",
                roles=[RoleData(organisation_id=awo, function="Beratung")],
            ),
        ).id
        olena = save_person(session, PersonData(first_name="Олена", last_name="Шевченко")).id
    return {"awo": awo, "lucka": lucka, "anna": anna, "olena": olena}


def header(columns: tuple[Column, ...], name: str) -> int:
    return [c.header for c in columns].index(name)


def test_organisation_model_passes_qt_model_tester(
    db: Database, ids: dict[str, int], qtmodeltester: ModelTester
) -> None:
    model = OrganisationTableModel(db)
    model.set_filter(OrganisationFilter())
    assert model.rowCount() == 2
    qtmodeltester.check(model)


def test_person_model_passes_qt_model_tester(
    db: Database, ids: dict[str, int], qtmodeltester: ModelTester
) -> None:
    model = PersonTableModel(db)
    model.set_filter(PersonFilter())
    assert model.rowCount() == 2
    qtmodeltester.check(model)


def test_organisation_cells(db: Database, ids: dict[str, int]) -> None:
    model = OrganisationTableModel(db)
    model.set_filter(OrganisationFilter())
    row = [model.index(0, c).data() for c in range(model.columnCount())]
    assert row == [
        "AWO Altenburg",
        "freier Träger",
        "Altenburg",
        "03447 1",
        "info@awo.de",
        "1",
        "aktiv",
    ]
    people = model.index(0, header(ORGANISATION_COLUMNS, "Personen"))
    assert people.data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert model.index(0, 0).data(ID_ROLE) == ids["awo"]
    inactive = model.index(1, header(ORGANISATION_COLUMNS, "Status"))
    assert inactive.data() == "nicht aktiv"  # in words; the italics only accompany it
    assert inactive.data(Qt.ItemDataRole.FontRole).italic()
    assert model.index(0, 0).data(Qt.ItemDataRole.FontRole) is None


def test_person_cells(db: Database, ids: dict[str, int]) -> None:
    model = PersonTableModel(db)
    model.set_filter(PersonFilter())
    row = [model.index(0, c).data() for c in range(model.columnCount())]
    assert row == [
        "Müller, Anna",
        "AWO Altenburg (Beratung)",
        "anna@awo.de",
        "0176 1",
        "Arabisch, Dari",
        "Altenburg",
    ]
    assert model.index(1, 1).data() == ""
    assert model.index(1, 1).data(Qt.ItemDataRole.ToolTipRole) is None


def test_sorting_is_a_database_query(db: Database, ids: dict[str, int]) -> None:
    model = PersonTableModel(db)
    model.set_filter(PersonFilter())
    organisation = header(PERSON_COLUMNS, "Organisation (Funktion)")
    model.sort(organisation, Qt.SortOrder.DescendingOrder)
    assert model.index(0, 0).data() == "Müller, Anna"
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert model.index(0, 0).data() == "Шевченко, Олена"
    organisations = OrganisationTableModel(db)
    organisations.set_filter(OrganisationFilter())
    organisations.sort(header(ORGANISATION_COLUMNS, "Personen"), Qt.SortOrder.AscendingOrder)
    assert organisations.index(0, 0).data() == "Sportverein Lucka"
