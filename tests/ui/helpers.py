"""Helpers shared by the widget tests: test data and what a screen reader would hear."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAccessible, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from integrationsmanager.domain.enums import MeasureStatus, Responsibility
from integrationsmanager.services.measures import MeasureData, guideline_by_number, save_measure
from integrationsmanager.storage.database import Database

CONTROLS = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,
    QAbstractItemView,
    QPlainTextEdit,
    QTextEdit,
)


def guideline_id(db: Database, number: int) -> int:
    with db.session() as session:
        guideline = guideline_by_number(session, number)
        assert guideline is not None
        return guideline.id


def add_measure(db: Database, title: str, *, guideline: int = 1, **fields: Any) -> int:
    """Save a measure under guideline number ``guideline``; returns its id."""
    with db.session() as session:
        found = guideline_by_number(session, guideline)
        assert found is not None
        result = save_measure(session, MeasureData(title=title, guideline_id=found.id, **fields))
        return result.measure.id


def add_sample_measures(db: Database) -> dict[str, int]:
    """A small, varied set: umlauts, Cyrillic, Arabic, dates, money, statuses."""
    return {
        "über": add_measure(
            db,
            "Über den Tellerrand: Elterncafé",
            guideline=1,
            status=MeasureStatus.RUNNING,
            start_date=date(2025, 3, 1),
            end_date=date(2026, 12, 31),
            planned_budget_cents=123456,
            lead_organisation="Volkshochschule Altenburger Land",
        ),
        "освіта": add_measure(
            db,
            "Освіта для всіх – Sprachkurse",
            guideline=2,
            status=MeasureStatus.PLANNED,
            responsibility=Responsibility.INDIRECT,
            start_date=date(2027, 1, 1),
        ),
        "arabic": add_measure(
            db,
            "برنامج الإرشاد للنساء",
            guideline=5,
            status=MeasureStatus.COMPLETED,
            start_date=date(2023, 1, 1),
            end_date=date(2023, 12, 31),
        ),
    }


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text`` key by key, umlauts and Cyrillic included (QTest.keyClicks is ASCII-only)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(widget, event)


def accessible_name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name) if interface else ""


def nameless_controls(root: QWidget) -> list[str]:
    """Visible controls (or focusable widgets) under ``root`` a screen reader cannot name."""
    return [
        f"{type(w).__name__} in {type(w.parentWidget()).__name__}"
        for w in root.findChildren(QWidget)
        if w.isVisible()
        and (isinstance(w, CONTROLS) or w.focusPolicy() & Qt.FocusPolicy.TabFocus)
        and not accessible_name(w).strip()
    ]
