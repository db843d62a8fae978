"""Berichte: every document of the program is listed; monitoring and annual report from it."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QDesktopServices
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QProgressDialog
from pytestqt.qtbot import QtBot

from integrationsmanager.reports import monitoring
from integrationsmanager.services.demo import create_demo_data
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.reports_page import DOCUMENTS, ReportsPage

from .helpers import nameless_controls

EVERY_DOCUMENT = {
    "measures": "Maßnahmenbericht",
    "grants": "Förderübersicht",
    "recipient": "Übersicht je Empfänger",
    "decision": "Zuwendungsbescheid (Entwurf)",
    "meeting": "Sitzungsunterlagen",
    "minutes": "Protokoll",
    "attendance": "Anwesenheitsliste",
    "monitoring": "Monitoringbericht",
    "annual": "Jahresbericht",
}


@pytest.fixture
def page(qtbot: QtBot, db: Database) -> ReportsPage:
    with db.session() as session:
        create_demo_data(session)
    widget = ReportsPage(db)
    qtbot.addWidget(widget)
    widget.show()
    return widget


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    paths: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: paths.append(url.toLocalFile()))
    return paths


def test_every_document_of_the_program_is_listed_and_can_be_chosen(page: ReportsPage) -> None:
    assert {d.key: d.title for d in DOCUMENTS} == EVERY_DOCUMENT
    items = [page.documents.item(row) for row in range(page.documents.count())]
    assert [item.text() for item in items] == [d.title for d in DOCUMENTS]
    assert all(item.flags() & Qt.ItemFlag.ItemIsEnabled for item in items)
    for document in DOCUMENTS:
        page.select_document(document.key)
        assert page.title.text() == f"<h2>{document.title}</h2>"
        assert page.forms.currentIndex() == document.form
        assert page.create_button.isEnabled(), document.key
        assert document.file_name.endswith(".pdf")
        assert nameless_controls(page) == [], document.key


def test_monitoring_report_for_the_chosen_year_opens_in_the_viewer(
    page: ReportsPage, tmp_path: Path, opened: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    page.select_document("monitoring")
    assert page.report_year_combo.currentData() == QDate.currentDate().year()
    page.report_year_combo.setCurrentIndex(page.report_year_combo.findData(2025))
    target = tmp_path / "monitoring.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    page.create_button.click()
    assert opened == [str(target)]
    text = "".join(p.extract_text() for p in PdfReader(target).pages)
    assert "Monitoringbericht 2025" in text and "Förderung 2025" in text and "89.000" in text
    assert "Monitoringbericht gespeichert" in page.result_label.text()


def test_annual_report_from_the_page(page: ReportsPage, tmp_path: Path, opened: list[str]) -> None:
    page.select_document("annual")
    page.report_year_combo.setCurrentIndex(page.report_year_combo.findData(2026))
    target = tmp_path / "jahr.pdf"
    assert page.write(target)
    assert opened == [str(target)]
    text = "".join(p.extract_text() for p in PdfReader(target).pages)
    assert "Jahresbericht 2026" in text and "Sitzungen 2026" in text


def test_cancel_writes_nothing_and_opens_nothing(
    page: ReportsPage, tmp_path: Path, opened: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    collect = monitoring.collect_monitoring

    def slow(*args: Any) -> monitoring.MonitoringData:
        time.sleep(0.5)
        return collect(*args)

    monkeypatch.setattr(monitoring, "collect_monitoring", slow)

    def press_escape() -> None:
        dialog = page.findChild(QProgressDialog)
        assert dialog is not None
        QTest.keyClick(dialog, Qt.Key.Key_Escape)

    page.select_document("monitoring")
    folder = tmp_path / "berichte"
    folder.mkdir()
    QTimer.singleShot(100, press_escape)
    assert not page.write(folder / "abgebrochen.pdf")
    assert page.result_label.text() == "Abgebrochen – es wurde keine Datei geschrieben."
    assert opened == [] and list(folder.iterdir()) == []
