"""The start screen: tiles with the right numbers, attention lists that open their records,
friendly empty states, charts that hold the data, and the main window opening each record."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QListWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from integrationsmanager.domain.enums import MeasureStatus
from integrationsmanager.domain.monitoring import Indicator
from integrationsmanager.services.action_items import ActionItemData, save_action_item
from integrationsmanager.services.meetings import GroupData, MeetingData, save_group, save_meeting
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.main_window import MainWindow
from integrationsmanager.ui.overview import OverviewPage
from integrationsmanager.ui.overview.attention import AttentionPanel
from tests.services.overview_data import NOW, KnownOffice, add_grant, build_known_office
from tests.ui.helpers import guideline_id, nameless_controls


@pytest.fixture
def known(db: Database) -> KnownOffice:
    with db.session() as session:
        return build_known_office(session)


def make_page(qtbot: QtBot, db: Database) -> OverviewPage:
    page = OverviewPage(db, now=NOW)
    qtbot.addWidget(page)
    page.resize(1150, 800)
    page.show()
    qtbot.waitExposed(page)
    return page


def activate_first(qtbot: QtBot, panel: AttentionPanel) -> None:
    """Tab into the list and press Enter, as a keyboard user does."""
    panel.list_widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(panel.list_widget, Qt.Key.Key_Return)


def test_tiles_show_the_figures_in_words(qtbot: QtBot, db: Database, known: KnownOffice) -> None:
    page = make_page(qtbot, db)
    tile = page.measures_tile
    assert (tile.number_label.text(), tile.title_label.text()) == ("3", "laufende Maßnahmen")
    assert tile.context_label.text() == "2 neu seit 1. Januar · 2 geplant"
    assert tile.accessibleName() == "3 laufende Maßnahmen: 2 neu seit 1. Januar · 2 geplant"
    tile = page.grants_tile
    assert (tile.number_label.text(), tile.title_label.text()) == (
        "2",
        "Zuwendungen 2026 bewilligt",
    )
    assert tile.context_label.text() == (
        "1.500\u00a0€ bewilligt · 600\u00a0€ ausgezahlt · 2 Anträge offen"
    )
    tile = page.tasks_tile
    assert (tile.number_label.text(), tile.context_label.text()) == ("4", "davon 2 überfällig")
    tile = page.meeting_tile
    assert tile.number_label.text() == "03.12."
    assert tile.title_label.text() == "nächste Sitzung (in 8 Tagen)"
    assert tile.context_label.text() == (
        "Beirat für Migration und Integration – Sitzung Dezember, 17:00 Uhr"
    )
    assert page.date_label.text() == "Stand: Mittwoch, 25. November 2026"
    assert nameless_controls(page) == []


def test_tab_order_follows_the_reading_order(
    qtbot: QtBot, db: Database, known: KnownOffice
) -> None:
    page = make_page(qtbot, db)
    order = []
    widget = page.measures_tile
    for _ in range(1000):
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisible():
            order.append(widget)
        widget = widget.nextInFocusChain()
        if widget is page.measures_tile:
            break
    panels = [p.list_widget for p in page.panels]
    assert order[:9] == [*page.tiles, *panels, page.guidelines_button]
    assert [p.title for p in page.panels] == [
        "Überfällige Aufgaben",
        "Sitzungen in den nächsten 4 Wochen",
        "Anträge, die auf eine Entscheidung warten",
        "Überfällige Verwendungsnachweise",
    ]


def test_tiles_are_buttons_that_open_their_area(
    qtbot: QtBot, db: Database, known: KnownOffice
) -> None:
    page = make_page(qtbot, db)
    with qtbot.waitSignal(page.open_area) as opened:
        page.measures_tile.setFocus()
        qtbot.keyClick(page.measures_tile, Qt.Key.Key_Space)
    assert opened.args == ["measures"]
    with qtbot.waitSignal(page.open_area) as opened:
        page.grants_tile.click()
    assert opened.args == ["budget"]
    with qtbot.waitSignal(page.open_record) as record:
        page.meeting_tile.click()
    assert record.args == ["meeting", known.meetings["dezember"]]


def test_attention_entries_open_their_records(
    qtbot: QtBot, db: Database, known: KnownOffice
) -> None:
    page = make_page(qtbot, db)
    assert page.tasks_panel.heading_label.text() == "Überfällige Aufgaben (2)"
    assert page.tasks_panel.entries() == [
        ("action_item", known.action_items["protokoll"]),
        ("action_item", known.action_items["raum"]),
    ]
    assert page.decisions_panel.entries() == [
        ("grant", known.grants["pruefung"]),
        ("grant", known.grants["eingegangen"]),
    ]
    assert page.proofs_panel.entries() == [
        ("grant", known.grants["vorjahr"]),
        ("grant", known.grants["bezahlt"]),
    ]
    assert page.meetings_panel.entries() == [
        ("meeting", known.meetings["dezember"]),
        ("meeting", known.meetings["wohnen"]),
    ]
    first = page.tasks_panel.list_widget.item(0)
    assert first.text() == "Protokoll versenden"
    assert first.data(Qt.ItemDataRole.AccessibleTextRole) == (
        "Protokoll versenden · fällig am 10.11.2026 · Олена Ткаченко · "
        "Beirat für Migration und Integration"
    )
    with qtbot.waitSignal(page.open_record) as record:
        activate_first(qtbot, page.tasks_panel)
    assert record.args == ["action_item", known.action_items["protokoll"]]

    listing: QListWidget = page.proofs_panel.list_widget
    second = listing.item(1)
    where = listing.visualItemRect(second).center()
    with qtbot.waitSignal(page.open_record) as record:
        # The view takes a double-click on the entry it saw pressed first.
        qtbot.mouseClick(listing.viewport(), Qt.MouseButton.LeftButton, pos=where)
        qtbot.mouseDClick(listing.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert record.args == ["grant", known.grants["bezahlt"]]


def test_empty_lists_say_so_kindly(qtbot: QtBot, db: Database) -> None:
    page = make_page(qtbot, db)
    for panel, text in (
        (page.tasks_panel, "Keine überfälligen Aufgaben."),
        (page.decisions_panel, "Keine Anträge warten auf eine Entscheidung."),
        (page.proofs_panel, "Keine Verwendungsnachweise überfällig."),
        (page.meetings_panel, "Keine Sitzungen in den nächsten 4 Wochen geplant."),
    ):
        assert panel.stack.currentWidget() is panel.empty_label
        assert panel.empty_label.text() == text
        assert panel.heading_label.text() == panel.title
    assert page.measures_tile.number_label.text() == "0"
    assert page.meeting_tile.title_label.text() == "keine Sitzung geplant"
    with qtbot.waitSignal(page.open_area) as opened:
        page.meeting_tile.click()
    assert opened.args == ["groups"]
    assert nameless_controls(page) == []


def test_refresh_follows_the_data(qtbot: QtBot, db: Database, known: KnownOffice) -> None:
    page = make_page(qtbot, db)
    with db.session() as session:
        save_action_item(
            session,
            ActionItemData(
                title="Dolmetscher anfragen",
                group_id=known.groups["wohnen"],
                due_on=date(2026, 11, 1),
            ),
            today=NOW.date(),
        )
    page.refresh()
    assert page.tasks_tile.context_label.text() == "davon 3 überfällig"
    assert page.tasks_panel.heading_label.text() == "Überfällige Aufgaben (3)"


def test_charts_hold_the_figures(qtbot: QtBot, db: Database, known: KnownOffice) -> None:
    page = make_page(qtbot, db)
    charts = page.build_charts()
    measures = charts.measures
    assert measures.categories == [str(n) for n in range(1, 9)]
    assert measures.stacked
    assert measures.series_names == ["geplant", "laufend", "abgeschlossen"]
    running = measures.bar_values(measures.series_names.index("laufend"))
    assert running[:3] == [2.0, 1.0, 0.0]
    money = charts.money
    mik = money.categories.index("MIK")
    assert money.series_names == ["Budget", "Bewilligt", "Ausgezahlt"]
    assert [money.bar_values(s)[mik] for s in range(3)] == [18_000.0, 1_500.0, 600.0]
    indicator = charts.indicator
    assert indicator.categories[:3] == ["Ukraine", "Syrien", "Afghanistan"]
    assert indicator.bar_values(0)[:3] == [2888.0, 1003.0, 504.0]
    with db.session() as session:
        foreign = session.scalar(select(Indicator.id).where(Indicator.breakdown_key != ""))
    with qtbot.waitSignal(page.open_record) as record:
        page.indicator_button.click()
    assert record.args == ["indicator", foreign]
    assert nameless_controls(page) == []


def test_charts_arrive_after_the_first_paint(qtbot: QtBot, db: Database) -> None:
    page = make_page(qtbot, db)
    qtbot.waitUntil(lambda: page.charts is not None, timeout=10_000)
    assert page.measures_section.waiting_label.isHidden()


# --- in the main window ---------------------------------------------------------------------


@pytest.fixture
def window(qtbot: QtBot, db: Database) -> MainWindow:
    QSettings().clear()
    main = MainWindow(db)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    return main


def overview_of(window: MainWindow) -> OverviewPage:
    page = window.page("overview")
    assert isinstance(page, OverviewPage)
    return page


@pytest.fixture
def recent(db: Database) -> dict[str, int]:
    """Entries that need attention whatever the date the tests run on: a task from a meeting
    three weeks ago, one agreed outside a meeting, an application waiting for a decision."""
    today = date.today()
    with db.session() as session:
        group = save_group(session, GroupData(name="Arbeitskreis Wohnen")).id
        meeting = save_meeting(
            session,
            MeetingData(
                group_id=group,
                starts_at=datetime.combine(today - timedelta(days=21), time(10)),
                title="Herbstsitzung",
            ),
        ).id
        tasks = [
            save_action_item(
                session,
                ActionItemData(
                    title=title, group_id=group, meeting_id=meeting_id, due_on=today - days
                ),
            ).id
            for title, meeting_id, days in (
                ("Protokoll versenden", meeting, timedelta(days=10)),
                ("Raum buchen", None, timedelta(days=5)),
            )
        ]
        grant = add_grant(
            session, "Nähcafé", today.year, received=today, end=date(today.year, 12, 31)
        )
    return {"group": group, "meeting": meeting, "from_meeting": tasks[0], "grant": grant}


def test_the_window_opens_each_kind_of_entry(
    qtbot: QtBot, window: MainWindow, recent: dict[str, int]
) -> None:
    overview = overview_of(window)
    overview.refresh()
    activate_first(qtbot, overview.decisions_panel)
    assert window.current_area() == "funding"
    funding = window.page("funding")
    assert funding.grants.selected_id() == recent["grant"]  # type: ignore[attr-defined]

    window.show_area("overview")
    assert overview.tasks_panel.entries()[0] == ("action_item", recent["from_meeting"])
    activate_first(qtbot, overview.tasks_panel)  # from a meeting: opens the meeting
    assert window.current_area() == "groups"
    groups = window.page("groups")
    dialog = groups.meeting_dialog  # type: ignore[attr-defined]
    assert dialog is not None and dialog.meeting_id == recent["meeting"]
    dialog.reject()

    window.show_area("overview")
    overview.tasks_panel.list_widget.setCurrentRow(1)  # agreed outside a meeting: its group
    activate_first(qtbot, overview.tasks_panel)
    assert window.current_area() == "groups"
    assert groups.selected_group_id() == recent["group"]  # type: ignore[attr-defined]


def test_the_window_opens_tiles_indicators_and_guidelines(window: MainWindow, db: Database) -> None:
    overview = overview_of(window)
    overview.refresh()
    overview.measures_tile.click()
    assert window.current_area() == "measures"
    measures = window.page("measures")
    assert measures.current_filter().status == MeasureStatus.RUNNING  # type: ignore[attr-defined]

    window.show_area("overview")
    overview.grants_tile.click()
    funding = window.page("funding")
    assert funding.tabs.currentWidget() is funding.budget  # type: ignore[attr-defined]
    assert funding.budget.year == date.today().year  # type: ignore[attr-defined]

    window.show_area("overview")
    overview.build_charts()
    overview.indicator_button.click()
    assert window.current_area() == "monitoring"

    window.show_area("overview")
    dialog = overview.open_guidelines()
    dialog.overview.cards[1].show_button.click()
    assert window.current_area() == "measures"
    assert measures.current_filter().guideline_id == guideline_id(db, 2)  # type: ignore[attr-defined]


def test_an_entry_that_is_gone_is_said_in_the_status_bar(window: MainWindow, db: Database) -> None:
    with db.session() as session:
        group = save_group(session, GroupData(name="Netzwerk Wohnen"))
        item = save_action_item(
            session,
            ActionItemData(
                title="Liste schicken", group_id=group.id, due_on=date.today() - timedelta(days=3)
            ),
        )
        item_id = item.id
        session.delete(item)
    window.open_record("action_item", item_id)
    assert window.current_area() == "overview"
    assert "gibt es nicht" in window.statusBar().currentMessage()
