"""The main window: areas, lazy pages, keyboard paths, accessible names, reports."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QSettings, QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from integrationsmanager.domain.enums import MeasureStatus, MemberRole
from integrationsmanager.domain.funding import Grant
from integrationsmanager.domain.money import format_money
from integrationsmanager.reports.decision import write_decision_letter
from integrationsmanager.services.demo import create_demo_data
from integrationsmanager.services.grants import approved_grant_choices, organisation_grants
from integrationsmanager.services.measures import MeasureData, guideline_by_number, save_measure
from integrationsmanager.services.meetings import (
    AgendaItemData,
    GroupData,
    MeetingData,
    add_agenda_item,
    save_group,
    save_meeting,
    set_members,
)
from integrationsmanager.services.persons import PersonData, save_person
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.main_window import AREAS, MainWindow, first_window_size
from integrationsmanager.ui.monitoring import MonitoringPage
from integrationsmanager.ui.overview import OverviewPage
from integrationsmanager.ui.reports_page import ReportsPage

from .helpers import accessible_name, nameless_controls


@pytest.fixture
def window(qtbot: QtBot, db: Database) -> MainWindow:
    QSettings().clear()
    main = MainWindow(db)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    return main


def add_measures(db: Database) -> None:
    with db.session() as session:
        for number, title, status in (
            (1, "Освіта für Familien: Elterncafé", MeasureStatus.RUNNING),
            (2, "Berufsbezogene Sprachkurse mit dem Jobcenter", MeasureStatus.PLANNED),
            (8, "Interkulturelles Fest im Schlosspark", MeasureStatus.COMPLETED),
        ):
            guideline = guideline_by_number(session, number)
            assert guideline is not None
            save_measure(
                session, MeasureData(title=title, guideline_id=guideline.id, status=status)
            )


def test_title_sidebar_and_the_overview_first(window: MainWindow) -> None:
    assert window.windowTitle().endswith("– Integrationsmanager")
    assert [window.sidebar.item(i).text() for i in range(window.sidebar.count())] == [
        "Übersicht",
        "Maßnahmen",
        "Netzwerk",
        "Arbeitskreise",
        "Förderung",
        "Monitoring",
        "Berichte",
    ]
    assert window.current_area() == "overview"
    assert isinstance(window.pages.currentWidget(), OverviewPage)
    window.show_area("monitoring")
    assert isinstance(window.pages.currentWidget(), MonitoringPage)
    assert "Datenbank: test.sqlite" in window.database_label.text()


def test_pages_are_built_when_first_shown(qtbot: QtBot, db: Database) -> None:
    QSettings().clear()
    main = MainWindow(db)
    qtbot.addWidget(main)
    assert set(main.page_by_key) == {"overview"}
    main.show_area("groups")
    assert set(main.page_by_key) == {"overview", "groups"}
    reports = main.page("reports")
    assert isinstance(reports, ReportsPage) and main.current_area() == "groups"
    assert main.pages.indexOf(reports) == [a.key for a in AREAS].index("reports")
    assert main.page("reports") is reports


def test_ctrl_digit_switches_areas(window: MainWindow, qtbot: QtBot) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_area() == "measures"
    qtbot.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    assert window.current_area() == "reports"


def test_ctrl_n_opens_a_new_measure_and_ctrl_f_the_search(window: MainWindow, qtbot: QtBot) -> None:
    window.show_area("overview")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.current_area() == "measures"
    page = window.page("measures")
    qtbot.waitUntil(lambda: page.search_edit.hasFocus())  # type: ignore[attr-defined]
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = page.editor  # type: ignore[attr-defined]
    assert editor is not None and editor.isVisible()
    editor.reject()


def test_every_visible_control_of_every_area_has_an_accessible_name(
    window: MainWindow, db: Database
) -> None:
    add_measures(db)
    for area in AREAS:
        window.show_area(area.key)
        page = window.page(area.key)
        refresh = getattr(page, "refresh", None)
        if refresh:
            refresh()
        assert nameless_controls(page) == [], area.title
    assert accessible_name(window.sidebar) == "Bereiche"


def test_report_from_the_reports_page_holds_the_titles(
    window: MainWindow, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_measures(db)
    target = tmp_path / "bericht.pdf"
    opened: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    window.show_area("reports")
    page = window.page("reports")
    assert isinstance(page, ReportsPage)
    page.refresh()
    page.create_button.click()
    assert opened == [str(target)]
    text = "".join(p.extract_text() for p in PdfReader(target).pages)
    assert "Освіта für Familien" in text
    assert "Interkulturelles Fest im Schlosspark" in text


def test_report_parameters_restrict_the_report(
    window: MainWindow, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_measures(db)
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: True)
    page = window.page("reports")
    assert isinstance(page, ReportsPage)
    page.refresh()
    page.status_combo.setCurrentIndex(page.status_combo.findData(MeasureStatus.PLANNED))
    target = tmp_path / "geplant.pdf"
    assert page.write(target)
    text = "".join(p.extract_text() for p in PdfReader(target).pages)
    assert "Berufsbezogene Sprachkurse" in text
    assert "Interkulturelles Fest" not in text


def test_meeting_documents_from_the_reports_page(
    window: MainWindow, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: True)
    with db.session() as session:
        person = save_person(
            session, PersonData(first_name="Олена", last_name="Ткаченко", emails=["o@example.org"])
        )
        group = save_group(session, GroupData(name="Beirat für Migration und Integration"))
        set_members(session, group.id, [(person.id, MemberRole.CHAIR)])
        meeting = save_meeting(
            session,
            MeetingData(
                group_id=group.id, starts_at=datetime(2026, 12, 3, 17, 0), title="Dezember"
            ),
        )
        add_agenda_item(session, meeting.id, AgendaItemData(title="Jahresrückblick"))
    page = window.page("reports")
    assert isinstance(page, ReportsPage)
    page.refresh()
    page.select_document("meeting")
    assert page.meeting_combo.currentData() == meeting.id and page.create_button.isEnabled()
    for key, expected in (
        ("meeting", "Jahresrückblick"),
        ("attendance", "Unterschrift"),
        ("minutes", "Protokoll"),
    ):
        page.select_document(key)
        target = tmp_path / f"{key}.pdf"
        assert page.write(target)
        text = "".join(p.extract_text() for p in PdfReader(target).pages)
        assert expected in text and "Ткаченко" in text


def test_funding_documents_from_the_reports_page(
    window: MainWindow, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: True)
    with db.session() as session:
        create_demo_data(session)
    page = window.page("reports")
    assert isinstance(page, ReportsPage)
    page.refresh()
    page.select_document("grants")
    page.grants_year_combo.setCurrentIndex(page.grants_year_combo.findData(2026))
    assert page.write(tmp_path / "uebersicht.pdf")
    assert "Förderübersicht 2026" in PdfReader(tmp_path / "uebersicht.pdf").pages[0].extract_text()
    page.select_document("recipient")
    recipient = page.recipient_combo.currentText()
    assert page.create_button.isEnabled() and page.write(tmp_path / "empfaenger.pdf")
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "empfaenger.pdf").pages)
    assert recipient.split()[0] in text
    page.select_document("decision")
    file_number = page.grant_combo.currentText().split()[0]
    assert page.write(tmp_path / "bescheid.pdf")
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "bescheid.pdf").pages)
    assert "Zuwendungsbescheid" in text and file_number in text


def test_overdue_deadlines_are_said_in_the_status_bar_and_open_the_list(
    qtbot: QtBot, db: Database
) -> None:
    with db.session() as session:
        create_demo_data(session)
    main = MainWindow(db)
    qtbot.addWidget(main)
    main.show()
    assert main.deadlines_button.isVisible()
    assert "in der Förderung überfällig" in main.deadlines_button.text()
    main.deadlines_button.click()
    funding = main.page("funding")
    assert main.current_area() == "funding"
    assert funding.tabs.currentWidget() is funding.deadlines  # type: ignore[attr-defined]


def test_an_organisation_shows_its_grants_and_opens_one(window: MainWindow, db: Database) -> None:
    with db.session() as session:
        create_demo_data(session)
        grant = session.scalars(select(Grant).order_by(Grant.id)).first()
        assert grant is not None
        grant_id, recipient_id = grant.id, grant.recipient_id
        sums = organisation_grants(session, recipient_id)
    window.show_area("network")
    network = window.page("network")
    network.refresh()  # type: ignore[attr-defined]
    assert network.show_organisation(recipient_id)  # type: ignore[attr-defined]
    details = network.organisations.details  # type: ignore[attr-defined]
    html = details.grants_browser.toPlainText()
    assert format_money(sums.approved_cents).replace("\u00a0", " ") in html.replace("\u00a0", " ")
    assert details.tabs.tabText(2) == f"&Zuwendungen ({len(sums.rows)})"
    details.grants_browser.anchorClicked.emit(QUrl(f"grant:{grant_id}"))
    assert window.current_area() == "funding"


def test_settings_feed_the_decision_letter(
    window: MainWindow, db: Database, tmp_path: Path
) -> None:
    dialog = window.open_settings()
    dialog.edits["office.contact_email"].setText("kein-at-zeichen")
    assert not dialog.save()
    assert dialog.error_label.text()
    dialog.edits["office.contact_email"].setText("integration@altenburgerland.example")
    dialog.edits["office.contact_name"].setText("Martina Schneider")
    dialog.edits["office.authority"].setText("Landratsamt Altenburger Land – Fachdienst Soziales")
    assert dialog.save()
    with db.session() as session:
        create_demo_data(session)
        grant_id = approved_grant_choices(session)[0][0]
        write_decision_letter(session, tmp_path / "b.pdf", grant_id=grant_id)
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "b.pdf").pages)
    assert "Martina Schneider" in text and "Fachdienst Soziales" in text


def test_geometry_and_area_are_remembered(qtbot: QtBot, db: Database) -> None:
    QSettings().clear()
    first = MainWindow(db)
    qtbot.addWidget(first)
    first.show()
    first.resize(first.minimumSizeHint().width(), 520)
    remembered = first.size()
    first.show_area("reports")
    first.close()
    second = MainWindow(db)
    qtbot.addWidget(second)
    # The offscreen screen is only 800 px wide: restoring clamps the width to it.
    assert second.height() == remembered.height() == 520
    assert second.current_area() == "reports"


def test_first_window_size_fits_a_small_screen() -> None:
    """A 1366 × 768 laptop with a panel: the window (and its status bar) stays on screen."""
    assert first_window_size(QSize(1366, 728)) == QSize(1280, 688)
    assert first_window_size(QSize(1920, 1040)) == QSize(1280, 820)
