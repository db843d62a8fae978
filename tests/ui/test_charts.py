"""Charts hold the data points they were given, speak German, save and copy themselves, and
the charts beside the measures and grants tables follow the tables' filters."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QToolTip
from pytestqt.qtbot import QtBot

from integrationsmanager.domain.enums import GrantStatus, MeasureStatus
from integrationsmanager.reports.palette import (
    APPROVED_COLOUR,
    LINE_COLOUR,
    PAID_COLOUR,
    TARGET_COLOUR,
    status_colour,
)
from integrationsmanager.services.grants import (
    GrantData,
    program_by_code,
    save_grant,
    transition,
)
from integrationsmanager.services.organisations import OrganisationData, save_organisation
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.funding import FundingPage
from integrationsmanager.ui.measures import MeasuresPage
from integrationsmanager.ui.widgets.charts import (
    EURO,
    NBSP,
    PERCENT,
    BarChart,
    BarSeries,
    CategoryAxis,
    DateAxis,
    NumberAxis,
    SeriesPoint,
    TimeSeriesChart,
    YearAxis,
    format_value,
    x_of,
)
from tests.ui.helpers import add_measure, nameless_controls

Answer = QMessageBox.StandardButton


def shown(widget: BarChart | TimeSeriesChart, qtbot: QtBot) -> None:
    qtbot.addWidget(widget)
    widget.resize(800, 450)
    widget.show()
    qtbot.waitExposed(widget)


def tooltip_at(
    chart: BarChart | TimeSeriesChart, point: QPointF, monkeypatch: pytest.MonkeyPatch
) -> list[str]:
    """What the tooltip says with the mouse over ``point`` (plot coordinates)."""
    said: list[str] = []
    monkeypatch.setattr(QToolTip, "showText", lambda _pos, text, *_a: said.append(text))
    scene = chart.plot.getViewBox().mapViewToScene(point)
    chart._on_scene_mouse_moved(scene)
    return said


# --- formats and axes --------------------------------------------------------------------------


def test_german_numbers_and_units() -> None:
    assert format_value(1234.5) == "1.234,5"
    assert format_value(28, PERCENT) == f"28{NBSP}%"
    assert format_value(12500, EURO) == f"12.500,00{NBSP}€"
    assert format_value(7400, "Personen") == f"7.400{NBSP}Personen"


def test_axis_tick_strings(qtbot: QtBot) -> None:
    assert NumberAxis().tickStrings([0.0, 12500.0, 25000.0], 1.0, 12500.0) == [
        "0",
        "12.500",
        "25.000",
    ]
    assert NumberAxis(EURO).tickStrings([12500.0], 1.0, 2500.0) == [f"12.500{NBSP}€"]
    assert NumberAxis(PERCENT).tickStrings([28.0], 1.0, 2.0) == [f"28{NBSP}%"]
    assert NumberAxis().tickStrings([2.5, 1234.5], 1.0, 0.5) == ["2,5", "1.234,5"]
    word = NumberAxis("Personen")  # a word goes into the axis title, not behind every number
    assert word.tickStrings([7400.0], 1.0, 100.0) == ["7.400"]
    assert word.labelText == "Personen"
    counts = NumberAxis(whole=True)
    assert all(v == int(v) for _spacing, values in counts.tickValues(0, 3, 400) for v in values)
    years = YearAxis()
    assert years.tickStrings([2020.0, 2035.0], 1.0, 5.0) == ["2020", "2035"]
    assert [v for _s, values in years.tickValues(2022.6, 2024.4, 600) for v in values] == [
        2023.0,
        2024.0,
    ]
    dates = DateAxis([date(2023, 12, 31), date(2024, 12, 31)])
    assert dates.tickStrings([x_of(date(2024, 12, 31))], 1.0, 1.0) == ["31.12.2024"]
    assert dates.tickValues(2023.9, 2025.1, 800) == [
        (0.0, [x_of(date(2023, 12, 31)), x_of(date(2024, 12, 31))])
    ]
    crowded = DateAxis([date(2024, 1, d) for d in range(1, 29)])
    ticks = crowded.tickValues(x_of(date(2024, 1, 1)), x_of(date(2026, 1, 1)), 600)[0][1]
    assert all(QApplication.instance() is not None for _ in ticks)
    assert {crowded.tickStrings([t], 1.0, 1.0)[0][:2] for t in ticks} == {"01"}
    qtbot.wait(1)


def test_long_category_labels_wrap_and_shorten(qtbot: QtBot) -> None:
    axis = CategoryAxis(["8 Kultur, Freizeit und Sport als Integrationsmotoren nutzen"])
    axis._wrap_width = axis._metrics().horizontalAdvance("8 Kultur, Freizeit und")
    label = axis.tickStrings([0.0], 1.0, 1.0)[0]
    lines = label.split("\n")
    assert lines[0] == "8 Kultur, Freizeit und" and len(lines) == 3
    assert lines[-1].endswith("…")


# --- bars --------------------------------------------------------------------------------------


def test_grouped_bars_hold_their_values_and_tell_them(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    chart = BarChart(name="Geld")
    shown(chart, qtbot)
    chart.set_data(
        ["MIK", "SBR"],
        [("Bewilligt", [1234.5, 20000], APPROVED_COLOUR), ("Ausgezahlt", [1000, 5000], "")],
        unit=EURO,
        title="Zuwendungen",
    )
    assert chart.bar_values(0) == [1234.5, 20000.0]
    assert chart.bar_values(1) == [1000.0, 5000.0]
    assert chart.bar_colour(0) == APPROVED_COLOUR.lower()
    left, right = chart.bar_centres(0)[0], chart.bar_centres(1)[0]
    assert left < 0 < right and right - left == pytest.approx(0.39)
    assert chart.bar_at(QPointF(left, 600)) == (0, 0)
    assert chart.bar_at(QPointF(left, 1300)) is None  # above the bar
    assert chart.describe_bar(0, 0) == f"MIK · Bewilligt: 1.234,50{NBSP}€"
    assert tooltip_at(chart, QPointF(1 + right, 2000), monkeypatch) == [
        f"SBR · Ausgezahlt: 5.000,00{NBSP}€"
    ]
    assert chart.legend_names() == ["Bewilligt", "Ausgezahlt"]
    assert "SBR: Bewilligt 20.000,00" in chart.plot_widget.accessibleDescription()
    assert chart.title == "Zuwendungen"


def test_single_series_tooltip_in_german_format(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    chart = BarChart()
    shown(chart, qtbot)
    chart.set_data(
        ["Ukraine", "Syrien", "Afghanistan"], [BarSeries("Personen", [1234.5, 1003, 504])]
    )
    assert chart.legend_names() == []  # one series needs no legend
    assert tooltip_at(chart, QPointF(0, 600), monkeypatch) == ["Ukraine: 1.234,5"]
    assert tooltip_at(chart, QPointF(2.45, 100), monkeypatch) == []  # between the bars


def test_stacked_horizontal_bars_pile_up(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    chart = BarChart()
    shown(chart, qtbot)
    statuses = [MeasureStatus.PLANNED, MeasureStatus.RUNNING]
    chart.set_data(
        ["1 Bildung", "2 Arbeit"],
        [
            BarSeries(s.label, values, status_colour(s))
            for s, values in zip(statuses, ([1, 0], [3, 2]), strict=True)
        ],
        stacked=True,
        horizontal=True,
    )
    assert chart.bar_values(1) == [3.0, 2.0]
    assert chart.bar_bases(1) == [1.0, 0.0]  # on top of the planned ones
    assert chart.bar_centres(0) == [0.0, 1.0]
    assert chart.bar_colour(1) == status_colour(MeasureStatus.RUNNING).lower()
    assert chart.bar_at(QPointF(2.5, 0.1)) == (0, 1)
    assert chart.bar_at(QPointF(0.5, 0)) == (0, 0)
    assert tooltip_at(chart, QPointF(1.5, 1), monkeypatch) == ["2 Arbeit · laufend: 2"]
    assert isinstance(chart.category_axis, CategoryAxis)
    assert chart.category_axis.orientation == "left"


def test_empty_chart_says_so(qtbot: QtBot) -> None:
    chart = BarChart()
    shown(chart, qtbot)
    chart.set_data([], [])
    assert chart.bars == [] and chart._empty.isVisible()
    chart.set_data(["a"], [("x", [1], "")])
    assert not chart._empty.isVisible()


# --- time series -------------------------------------------------------------------------------


def population(chart: TimeSeriesChart) -> None:
    chart.set_series(
        [(2000, 108000), SeriesPoint(2035, 80000, forecast=True), (2023, 89000)],
        target=(2030, 85000),
        title="Bevölkerung",
    )


def test_time_series_actual_forecast_and_target(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    chart = TimeSeriesChart()
    shown(chart, qtbot)
    population(chart)
    assert chart.actual_points() == [(2000.0, 108000.0), (2023.0, 89000.0)]
    assert chart.forecast_points() == [(2035.0, 80000.0)]
    assert chart.forecast_bridge() == [(2023.0, 89000.0), (2035.0, 80000.0)]
    assert chart.target_line() == (2030.0, 85000.0)
    assert chart.target_item.getData()[1].tolist() == [85000.0, 85000.0]
    solid = chart.actual_item.opts["pen"].style()
    assert solid == Qt.PenStyle.SolidLine
    assert chart.forecast_item.opts["pen"].style() == Qt.PenStyle.DashLine
    assert chart.bridge_item.opts["pen"].style() == Qt.PenStyle.DashLine
    assert chart.target_item.opts["pen"].style() == Qt.PenStyle.DashLine
    hollow = chart.forecast_item.scatter.opts["brush"].color()
    assert hollow == QColor("white")
    assert chart.actual_item.scatter.opts["brush"].color() == QColor(LINE_COLOUR)
    assert QColor(chart.target_item.opts["pen"].color()) == QColor(TARGET_COLOUR)
    assert chart.legend_names() == ["Wert", "Prognose", "Ziel 2030: 85.000"]
    assert isinstance(chart.plot.getAxis("bottom"), YearAxis)
    assert tooltip_at(chart, QPointF(2023, 89000), monkeypatch) == ["2023: 89.000"]
    assert tooltip_at(chart, QPointF(2035, 80000), monkeypatch) == ["2035 (Prognose): 80.000"]
    assert tooltip_at(chart, QPointF(2030, 85000), monkeypatch) == ["Ziel 2030: 85.000"]
    assert tooltip_at(chart, QPointF(2010, 60000), monkeypatch) == []
    view_min, view_max = chart.plot.getViewBox().viewRange()[0]
    assert view_min < 2000 and view_max > 2035


def test_time_series_with_reference_dates(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    chart = TimeSeriesChart()
    shown(chart, qtbot)
    chart.set_series(
        [(date(2023, 12, 31), 6900), (date(2024, 12, 31), 7400)],
        unit=PERCENT,
    )
    assert isinstance(chart.plot.getAxis("bottom"), DateAxis)
    assert [round(x, 3) for x, _ in chart.actual_points()] == [2023.997, 2024.997]
    assert chart.forecast_points() == [] and chart.target_line() is None
    assert tooltip_at(chart, QPointF(x_of(date(2024, 12, 31)), 7400), monkeypatch) == [
        f"31.12.2024: 7.400{NBSP}%"
    ]
    for _ in range(3):  # a new date axis starts at pyqtgraph's 0…1, where no date exists
        chart.set_series([(date(2000, 12, 31), 1), (date(2018, 12, 31), 2)], unit="Personen")
        qtbot.wait(10)
    assert chart.image().width() > 0
    assert DateAxis().tickValues(0.0, 1.0, 500) == []


# --- picture -----------------------------------------------------------------------------------


def test_save_png_writes_the_chart(qtbot: QtBot, tmp_path: Path) -> None:
    chart = BarChart()
    shown(chart, qtbot)
    chart.set_data(["a", "b"], [("x", [3, 5], APPROVED_COLOUR)])
    target = tmp_path / "diagramm.png"
    assert chart.save_png(target)
    image = QImage(str(target))
    ratio = chart.plot_widget.devicePixelRatioF()
    assert target.stat().st_size > 1000
    assert (image.width(), image.height()) == (
        round(chart.plot_widget.width() * ratio),
        round(chart.plot_widget.height() * ratio),
    )
    colours = {
        image.pixelColor(x, y).name()
        for x in range(0, image.width(), 4)
        for y in range(0, image.height(), 4)
    }
    assert APPROVED_COLOUR.lower() in colours  # the bars are in the picture


def test_copy_by_menu_and_by_keyboard(qtbot: QtBot) -> None:
    chart = BarChart(name="Maßnahmen je Leitlinie")
    shown(chart, qtbot)
    chart.set_data(["a"], [("x", [1], "")])
    QApplication.clipboard().clear()
    with qtbot.waitSignal(chart.status_message) as said:
        chart.copy_action.trigger()
    assert said.args == ["Diagramm in die Zwischenablage kopiert"]
    copied = QApplication.clipboard().image()
    assert not copied.isNull() and copied.size() == chart.image().size()
    QApplication.clipboard().clear()
    chart.plot_widget.setFocus()
    qtbot.keyClick(chart.plot_widget, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert not QApplication.clipboard().image().isNull()
    assert [a.text() for a in chart.menu.actions()] == [
        "Als PNG speichern …",
        "In die Zwischenablage kopieren",
    ]
    assert chart.menu_button.menu() is chart.menu
    assert chart.menu_button.accessibleName() == "Maßnahmen je Leitlinie: speichern oder kopieren"
    assert chart.plot_widget.accessibleName() == "Maßnahmen je Leitlinie"
    assert not chart.plot.getViewBox().state["mouseEnabled"][0]  # no zoom or pan


def test_save_asks_where_and_says_so(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chart = TimeSeriesChart(file_name="Bevölkerung.png")
    shown(chart, qtbot)
    population(chart)
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *_a: (str(tmp_path / "Bevölkerung"), "")
    )
    with qtbot.waitSignal(chart.status_message) as said:
        chart.save_action.trigger()
    assert said.args == ["Diagramm gespeichert: Bevölkerung.png"]
    assert not QImage(str(tmp_path / "Bevölkerung.png")).isNull()


# --- charts that follow a table's filter -------------------------------------------------------


@pytest.fixture
def measures_page(qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch) -> MeasuresPage:
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: Answer.Discard)
    add_measure(db, "Sprachkurs für Mütter", guideline=1, status=MeasureStatus.RUNNING)
    add_measure(db, "Sprachcafé", guideline=1, status=MeasureStatus.PLANNED)
    add_measure(db, "Lernpaten", guideline=1, status=MeasureStatus.RUNNING)
    add_measure(db, "Jobmesse", guideline=2, status=MeasureStatus.COMPLETED)
    add_measure(db, "Sprachmittler im Jobcenter", guideline=2, status=MeasureStatus.RUNNING)
    page = MeasuresPage(db)
    qtbot.addWidget(page)
    page.resize(1300, 800)
    page.show()
    qtbot.waitExposed(page)
    return page


def counts_by_status(chart: BarChart) -> dict[str, list[float]]:
    return {name: chart.bar_values(i)[:2] for i, name in enumerate(chart.series_names)}


def test_measures_chart_follows_the_filter(measures_page: MeasuresPage, qtbot: QtBot) -> None:
    page = measures_page
    assert not page.chart.isVisible()
    assert page.chart.bars == []  # nothing queried while hidden
    page.chart_toggle.button.click()
    assert page.chart.isVisible()
    chart = page.chart
    assert chart.categories[0].startswith("1 ") and len(chart.categories) == 8
    assert counts_by_status(chart) == {
        "geplant": [1.0, 0.0],
        "laufend": [2.0, 1.0],
        "abgeschlossen": [0.0, 1.0],
    }
    assert chart.bar_colour(1) == status_colour(MeasureStatus.RUNNING).lower()
    assert chart.stacked and chart.horizontal

    page.search_edit.setText("sprach")
    qtbot.waitUntil(lambda: chart.title.endswith("Suche „sprach“"), timeout=3000)
    assert counts_by_status(chart) == {"geplant": [1.0, 0.0], "laufend": [1.0, 1.0]}

    page.status_combo.setCurrentIndex(page.status_combo.findData(MeasureStatus.RUNNING.value))
    qtbot.waitUntil(lambda: chart.series_names == ["laufend"], timeout=3000)
    assert counts_by_status(chart) == {"laufend": [1.0, 1.0]}
    assert sum(chart.bar_values(0)) == page.model.rowCount() == 2

    page.reset_filter()
    qtbot.waitUntil(lambda: chart.title == "Maßnahmen je Leitlinie nach Status", timeout=3000)
    assert sum(sum(chart.bar_values(i)) for i in range(len(chart.bars))) == 5


def test_measures_chart_is_remembered_and_named(
    measures_page: MeasuresPage, db: Database, qtbot: QtBot
) -> None:
    measures_page.chart_toggle.button.click()
    assert nameless_controls(measures_page) == []
    again = MeasuresPage(db)
    qtbot.addWidget(again)
    assert again.chart_toggle.button.isChecked()
    again.chart_toggle.button.click()
    assert not again.chart.isVisibleTo(again)


def test_measures_chart_updates_after_a_change(
    measures_page: MeasuresPage, db: Database, qtbot: QtBot
) -> None:
    page = measures_page
    page.chart_toggle.button.click()
    add_measure(db, "Kulturfest", guideline=8, status=MeasureStatus.SUSPENDED)
    page.refresh()
    qtbot.waitUntil(lambda: "ausgesetzt" in page.chart.series_names, timeout=3000)
    suspended = page.chart.series_names.index("ausgesetzt")
    assert page.chart.bar_values(suspended)[7] == 1.0


def add_grant(
    db: Database, year: int, requested: int, *, approve: int | None = None, code: str = "MIK"
) -> int:
    with db.session() as session:
        recipient = save_organisation(
            session, OrganisationData(name=f"Verein {year} {requested}")
        ).id
        program = program_by_code(session, code)
        assert program is not None
        grant = save_grant(
            session,
            GrantData(
                program_id=program.id,
                budget_year=year,
                recipient_id=recipient,
                project_title="Nähcafé",
                total_cost_cents=requested * 2,
                requested_cents=requested,
            ),
        ).grant
        if approve is not None:
            transition(session, grant.id, GrantStatus.RECEIVED, on=date(year - 1, 10, 1))
            transition(session, grant.id, GrantStatus.IN_REVIEW)
            transition(
                session,
                grant.id,
                GrantStatus.APPROVED,
                amount_cents=approve,
                on=date(year - 1, 12, 1),
                confirm_over_budget=True,
            )
            transition(
                session,
                grant.id,
                GrantStatus.PAYING,
                amount_cents=approve // 2,
                on=date(year, 2, 1),
            )
        return grant.id


def test_grants_chart_follows_the_filter(
    qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: Answer.Discard)
    add_grant(db, 2025, 100_000, approve=80_000)
    add_grant(db, 2026, 300_000, approve=250_000, code="SBR")
    add_grant(db, 2026, 50_000)
    page = FundingPage(db, today=date(2026, 11, 25))
    qtbot.addWidget(page)
    page.resize(1300, 850)
    page.show()
    qtbot.waitExposed(page)
    grants = page.grants
    grants.chart_toggle.button.click()
    chart = grants.chart
    assert chart.categories == ["2025", "2026"]
    assert chart.series_names == ["Bewilligt", "Ausgezahlt"]
    assert chart.bar_values(0) == [800.0, 2500.0]
    assert chart.bar_values(1) == [400.0, 1250.0]
    assert (chart.bar_colour(0), chart.bar_colour(1)) == (
        APPROVED_COLOUR.lower(),
        PAID_COLOUR.lower(),
    )
    grants.program_combo.setCurrentIndex(
        grants.program_combo.findText("Mikroförderung für Vereine")
    )
    qtbot.waitUntil(
        lambda: chart.categories == ["2025", "2026"] and chart.bar_values(0) == [800.0, 0.0],
        timeout=3000,
    )
    grants.year_combo.setCurrentIndex(grants.year_combo.findData(2026))
    qtbot.waitUntil(lambda: chart.categories == ["2026"], timeout=3000)
    assert chart.bar_values(0) == [0.0]  # the 2026 MIK grant is still open
    assert "Jahr 2026" in chart.title


def test_all_zero_chart_says_so_in_the_middle_of_its_categories(qtbot: QtBot) -> None:
    """Eight guidelines without measures: the note stands centred, not cut off at the left."""
    chart = BarChart()
    shown(chart, qtbot)
    chart.set_data([str(n) for n in range(1, 9)], [("geplant", [0] * 8, "")], stacked=True)
    assert chart._empty.isVisible()
    assert chart._empty.pos().x() == pytest.approx(3.5)
