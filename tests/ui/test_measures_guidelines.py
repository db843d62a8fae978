"""The guideline overview: one card per guideline with its measures by status."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from integrationsmanager.domain.enums import MeasureStatus
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.measures import GuidelineOverview
from tests.ui.helpers import add_measure, guideline_id, nameless_controls


def make_overview(qtbot: QtBot, db: Database) -> GuidelineOverview:
    overview = GuidelineOverview(db)
    qtbot.addWidget(overview)
    overview.resize(1100, 800)
    overview.show()
    qtbot.waitExposed(overview)
    return overview


def test_a_card_per_guideline_with_goals_and_counts(qtbot: QtBot, db: Database) -> None:
    add_measure(db, "Elterncafé", guideline=1, status=MeasureStatus.RUNNING)
    add_measure(db, "Sprachkurs", guideline=1, status=MeasureStatus.RUNNING)
    add_measure(db, "Lernpaten", guideline=1, status=MeasureStatus.PLANNED)
    overview = make_overview(qtbot, db)
    assert len(overview.cards) == 8
    first = overview.cards[0]
    assert first.title_label.text() == "1 Bildung und Sprache sichern"
    assert "Frühzeitige Sprachförderung" in first.body_label.text()
    assert "Typische Maßnahmen" in first.body_label.text()
    assert first.counts_label.accessibleName() == (
        "Maßnahmen der Leitlinie 1: 1 geplant · 2 laufend"
    )
    assert first.show_button.text() == "3 Maßnahmen anzeigen"
    assert overview.cards[1].show_button.text() == "0 Maßnahmen anzeigen"
    assert overview.summary_label.text() == "8 Leitlinien · 3 Maßnahmen: 1 geplant · 2 laufend"


def test_button_asks_for_the_guidelines_measures(qtbot: QtBot, db: Database) -> None:
    overview = make_overview(qtbot, db)
    with qtbot.waitSignal(overview.guideline_selected) as selected:
        overview.cards[2].show_button.click()
    assert selected.args == [guideline_id(db, 3)]


def test_refresh_shows_new_measures(qtbot: QtBot, db: Database) -> None:
    overview = make_overview(qtbot, db)
    add_measure(db, "Wohnführerschein", guideline=3, status=MeasureStatus.COMPLETED)
    overview.refresh()
    assert overview.cards[2].show_button.text() == "1 Maßnahme anzeigen"
    assert "1 abgeschlossen" in overview.cards[2].counts_label.accessibleName()


def test_every_control_has_an_accessible_name(qtbot: QtBot, db: Database) -> None:
    overview = make_overview(qtbot, db)
    assert nameless_controls(overview) == []
