"""The generic lazy table model: Qt's contract, pages, cache limit, sorting as a query."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from sqlalchemy.orm import Session

from integrationsmanager.storage.database import Database
from integrationsmanager.ui.widgets import lazy_table
from integrationsmanager.ui.widgets.lazy_table import (
    ID_ROLE,
    PAGE_SIZE,
    Column,
    DisplayRow,
    LazyTableModel,
)

COLUMNS = (Column("Name", "name"), Column("Betrag", "amount", right_aligned=True))


@dataclass
class FakeSource:
    """Records id → (name, amount); counts the queries the model makes."""

    records: dict[int, tuple[str, int]]
    id_queries: list[tuple[str, str, bool]] = field(default_factory=list)
    fetches: list[list[int]] = field(default_factory=list)

    def ids(self, _session: Session, flt: str, /, *, sort: str, descending: bool) -> list[int]:
        self.id_queries.append((flt, sort, descending))
        chosen = [i for i, (name, _amount) in self.records.items() if flt in name]
        position = 0 if sort == "name" else 1
        return sorted(chosen, key=lambda i: self.records[i][position], reverse=descending)

    def fetch(self, _session: Session, ids: list[int]) -> Mapping[int, DisplayRow]:
        self.fetches.append(list(ids))
        return {
            i: DisplayRow(i, (self.records[i][0], f"{self.records[i][1]} €"), (None, None))
            for i in ids
            if i in self.records
        }


def make_model(db: Database, source: FakeSource) -> LazyTableModel[str, DisplayRow]:
    return LazyTableModel(
        db,
        columns=COLUMNS,
        initial_filter="",
        query_ids=source.ids,
        fetch_rows=source.fetch,
    )


def names(model: LazyTableModel[str, DisplayRow]) -> list[str]:
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def test_model_passes_qt_model_tester(db: Database, qtmodeltester: ModelTester) -> None:
    source = FakeSource({1: ("Müller", 30), 2: ("Олена", 10), 3: ("محمد", 20)})
    model = make_model(db, source)
    model.set_filter("")
    assert model.rowCount() == 3
    qtmodeltester.check(model)


def test_empty_until_the_first_query(db: Database) -> None:
    source = FakeSource({1: ("Müller", 30)})
    model = make_model(db, source)
    assert model.rowCount() == 0
    assert source.id_queries == []


def test_rows_come_a_page_at_a_time(db: Database) -> None:
    source = FakeSource({i: (f"Person {i:05d}", i) for i in range(1, 3 * PAGE_SIZE + 1)})
    model = make_model(db, source)
    model.set_filter("")
    assert model.cached_rows == 0
    assert model.index(3, 0).data() == "Person 00004"
    assert model.index(PAGE_SIZE - 1, 0).data() == f"Person {PAGE_SIZE:05d}"
    assert len(source.fetches) == 1 and len(source.fetches[0]) == PAGE_SIZE
    assert model.index(2 * PAGE_SIZE + 5, 1).data() == f"{2 * PAGE_SIZE + 6} €"
    assert len(source.fetches) == 2
    assert model.cached_rows == 2 * PAGE_SIZE


def test_the_cache_starts_afresh_at_its_limit(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lazy_table, "CACHE_LIMIT", PAGE_SIZE)
    source = FakeSource({i: (f"P{i:04d}", i) for i in range(1, 2 * PAGE_SIZE + 1)})
    model = make_model(db, source)
    model.set_filter("")
    model.index(0, 0).data()
    model.index(PAGE_SIZE, 0).data()
    assert model.cached_rows == PAGE_SIZE


def test_a_row_deleted_since_the_id_query_shows_empty(db: Database) -> None:
    source = FakeSource({1: ("Müller", 30), 2: ("Schulz", 10)})
    model = make_model(db, source)
    model.set_filter("")
    del source.records[1]
    assert model.index(0, 0).data() == ""
    assert model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) is None
    assert model.index(1, 0).data() == "Schulz"
    assert model.index(0, 0).data(ID_ROLE) == 1


def test_sorting_and_filtering_are_new_id_queries(db: Database) -> None:
    source = FakeSource({1: ("Müller", 30), 2: ("Abel", 10), 3: ("Zander", 20)})
    model = make_model(db, source)
    model.set_filter("")
    assert names(model) == ["Abel", "Müller", "Zander"]
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert names(model) == ["Müller", "Zander", "Abel"]
    assert source.id_queries[-1] == ("", "amount", True)
    queries = len(source.id_queries)
    model.sort(1, Qt.SortOrder.DescendingOrder)  # unchanged: no new query
    assert len(source.id_queries) == queries
    model.set_filter("er")
    assert names(model) == ["Müller", "Zander"]
    model.sort(-1)  # Qt's "unsorted": the default column, ascending
    assert model.sort_column == 0 and names(model) == ["Müller", "Zander"]


def test_alignment_header_ids_and_rows(db: Database) -> None:
    source = FakeSource({7: ("Müller", 30)})
    model = make_model(db, source)
    model.set_filter("")
    amount = model.index(0, 1)
    assert amount.data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Betrag"
    assert model.headerData(0, Qt.Orientation.Vertical) is None
    assert model.record_id(0) == 7
    assert model.row_of(7) == 0
    assert model.row_of(8) is None
    source.records[8] = ("Neu", 1)
    model.reload()
    assert model.rowCount() == 2
