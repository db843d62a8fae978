"""Indicators and their values: validation, clashes, the lists, series, breakdowns, changes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from integrationsmanager.domain.common import DeletionLog
from integrationsmanager.domain.enums import Direction
from integrationsmanager.domain.errors import UserError, ValidationError
from integrationsmanager.domain.monitoring import Indicator, IndicatorValue
from integrationsmanager.services.demo_indicators import create_indicator_demo
from integrationsmanager.services.indicators import (
    BETTER,
    NEUTRAL,
    UNCHANGED,
    WORSE,
    IndicatorData,
    ValueData,
    add_value,
    breakdown,
    canonical,
    create_indicator,
    delete_indicator,
    delete_value,
    find_indicator,
    get_indicator,
    indicator_changes,
    list_indicator_names,
    list_indicators,
    series,
    update_indicator,
    update_value,
)
from integrationsmanager.services.measures import guideline_by_number

CYRILLIC = "Учасники мовних курсів"
ARABIC = "المشاركون في دورات اللغة"


def _indicator(session: Session, name: str = "Sprachkurse", **kwargs: object) -> Indicator:
    return create_indicator(session, IndicatorData(name=name, **kwargs))  # type: ignore[arg-type]


def _value(
    year: int | None = 2024,
    value: str = "10",
    *,
    when: date | None = None,
    breakdown_value: str = "",
    forecast: bool = False,
) -> ValueData:
    return ValueData(
        year=year,
        reference_date=when,
        value=Decimal(value),
        breakdown_value=breakdown_value,
        is_forecast=forecast,
    )


# --- indicators ----------------------------------------------------------------------------


def test_create_update_delete_keeps_the_folded_name(session: Session) -> None:
    g1 = guideline_by_number(session, 1)
    g2 = guideline_by_number(session, 2)
    assert g1 is not None and g2 is not None
    indicator = create_indicator(
        session,
        IndicatorData(
            name="  Übergänge in Ausbildung ",
            unit="Personen",
            direction=Direction.HIGHER_IS_BETTER,
            target_value=Decimal("120.0"),
            target_year=2028,
            guideline_ids=[g2.id, g1.id],
        ),
    )
    assert indicator.name == "Übergänge in Ausbildung"
    assert indicator.name_folded == "uebergaenge in ausbildung"
    assert indicator.target_value == Decimal("120") and str(indicator.target_value) == "120"
    assert [g.number for g in indicator.guidelines] == [1, 2]

    data = IndicatorData.from_indicator(indicator)
    assert data.guideline_ids == sorted([g1.id, g2.id])
    data.name = CYRILLIC
    data.guideline_ids = [g2.id]
    update_indicator(session, indicator.id, data)
    assert get_indicator(session, indicator.id).name_folded == CYRILLIC.casefold()
    assert find_indicator(session, CYRILLIC.upper()) is indicator
    assert [g.number for g in indicator.guidelines] == [2]

    add_value(session, indicator.id, _value())
    uid = indicator.uid
    delete_indicator(session, indicator.id)
    assert session.scalar(select(func.count(IndicatorValue.id))) == 12  # the seeded ones
    logged = set(session.scalars(select(DeletionLog.table_name)))
    assert {"indicator", "indicator_value"} <= logged
    assert session.scalar(select(DeletionLog.id).where(DeletionLog.record_uid == uid))
    with pytest.raises(UserError, match="gibt es nicht"):
        get_indicator(session, indicator.id)


def test_names_are_unique_when_folded(session: Session) -> None:
    with pytest.raises(ValidationError) as caught:
        _indicator(session, "ARMUTSGEFAEHRDUNGSQUOTE")
    assert caught.value.errors["name"] == "Eine Kennzahl „Armutsgefährdungsquote“ gibt es schon."
    other = _indicator(session, ARABIC)
    with pytest.raises(ValidationError, match="gibt es schon"):
        update_indicator(session, other.id, IndicatorData(name="Vereine im Landkreis"))
    # Saving under its own name is no clash.
    update_indicator(session, other.id, IndicatorData(name=ARABIC, unit="Personen"))
    assert get_indicator(session, other.id).unit == "Personen"


def test_invalid_indicator_data(session: Session) -> None:
    errors = IndicatorData(
        name=" ", unit="x" * 51, target_year=2030, breakdown_key="k" * 101
    ).errors()
    assert errors == {
        "name": "Bitte einen Namen angeben.",
        "unit": "Höchstens 50 Zeichen.",
        "breakdown_key": "Höchstens 100 Zeichen.",
        "target_value": "Zum Zieljahr gehört ein Zielwert.",
    }
    assert (
        "target_year" in IndicatorData(name="a", target_value=Decimal(1), target_year=3000).errors()
    )
    assert IndicatorData(name="a", target_value=Decimal("1e20")).errors() == {
        "target_value": "Der Wert ist zu groß."
    }
    with pytest.raises(ValidationError) as caught:
        _indicator(session, "Neu", guideline_ids=[99999])
    assert caught.value.errors == {
        "guidelines": "Eine der gewählten Leitlinien gibt es nicht mehr."
    }
    assert find_indicator(session, "Neu") is None


# --- values --------------------------------------------------------------------------------


def test_value_needs_a_period_and_a_number() -> None:
    assert ValueData(year=None, reference_date=None, value=Decimal(1)).errors() == {
        "year": "Bitte ein Jahr oder einen Stichtag angeben."
    }
    assert ValueData(year=2024, reference_date=None, value=None).errors() == {
        "value": "Bitte einen Wert angeben."
    }
    mismatch = ValueData(year=2023, reference_date=date(2024, 6, 30), value=Decimal(1))
    assert mismatch.errors() == {"year": "Der Stichtag 30.06.2024 liegt nicht im Jahr 2023."}
    assert ValueData(year=1700, reference_date=None, value=Decimal(1)).errors() == {
        "year": "Das Jahr liegt zwischen 1800 und 2200."
    }
    assert ValueData(year=2024, reference_date=None, value=Decimal("NaN")).errors() == {
        "value": "Der Wert ist keine Zahl."
    }


def test_year_is_derived_from_the_date_and_values_are_canonical(session: Session) -> None:
    indicator = _indicator(session)
    dated = add_value(session, indicator.id, _value(None, "7400.50", when=date(2024, 6, 30)))
    assert (dated.year, dated.reference_date) == (2024, date(2024, 6, 30))
    session.expire(dated)
    assert str(dated.value) == "7400.5"
    plain = add_value(session, indicator.id, _value(2024, "20.000"))
    session.expire(plain)
    assert str(plain.value) == "20"
    assert str(canonical(Decimal("1E+3"))) == "1000"


def test_same_period_and_breakdown_twice_is_refused(session: Session) -> None:
    indicator = _indicator(session)
    add_value(session, indicator.id, _value(2024, "7400"))
    with pytest.raises(ValidationError) as caught:
        add_value(session, indicator.id, _value(2024, "1"))
    assert caught.value.errors["year"] == (
        "Für 2024 ist schon ein Wert eingetragen (7.400). Bitte diesen Wert ändern."
    )
    ukraine = add_value(session, indicator.id, _value(2024, "2888", breakdown_value="Ukraine"))
    with pytest.raises(ValidationError, match="Für 2024 für „Ukraine“ ist schon ein Wert"):
        add_value(session, indicator.id, _value(2024, "5", breakdown_value="Ukraine"))
    # A date within the year is another period.
    add_value(session, indicator.id, _value(None, "7500", when=date(2024, 12, 31)))
    with pytest.raises(ValidationError, match=r"Für 31\.12\.2024 ist schon ein Wert"):
        add_value(session, indicator.id, _value(2024, "1", when=date(2024, 12, 31)))
    # Moving a value onto an occupied period is refused; onto itself it is fine.
    with pytest.raises(ValidationError):
        update_value(session, ukraine.id, _value(2024, "1"))
    update_value(session, ukraine.id, _value(2024, "2900", breakdown_value="Ukraine"))
    assert ukraine.value == Decimal(2900)
    assert len(get_indicator(session, indicator.id).values) == 3
    delete_value(session, ukraine.id)
    assert len(get_indicator(session, indicator.id).values) == 2
    with pytest.raises(UserError, match="gibt es nicht"):
        delete_value(session, ukraine.id)


# --- queries -------------------------------------------------------------------------------


def test_list_of_the_seeded_indicators(session: Session) -> None:
    rows = {row.name: row for row in list_indicators(session)}
    population = rows["Einwohnerinnen und Einwohner"]
    # The latest measured value, not the forecast for 2035.
    assert (population.latest_year, population.latest_value) == (2023, Decimal(89000))
    assert not population.is_forecast_latest and population.value_count == 3
    assert population.guideline_numbers == (3, 6)
    poverty = rows["Armutsgefährdungsquote"]
    assert (poverty.unit, poverty.direction) == ("%", Direction.LOWER_IS_BETTER)
    assert (poverty.target_value, poverty.target_year) == (None, None)
    assert rows["Ausländische Staatsangehörige"].value_count == 4
    assert [r.name for r in list_indicators(session)] == sorted(rows, key=str.casefold)

    names = [r.name for r in list_indicators(session, search="auslaend")]
    assert names == ["Ausländische Staatsangehörige"]
    guideline = guideline_by_number(session, 8)
    assert guideline is not None
    assert {r.name for r in list_indicators(session, guideline_id=guideline.id)} == {
        "Vereine im Landkreis",
        "Ehrenamtlich Engagierte in integrationsnahen Bereichen",
    }
    assert list_indicator_names(session)[0] == (population.id, population.name)


def test_only_forecasts_make_a_forecast_latest(session: Session) -> None:
    indicator = _indicator(session, CYRILLIC)
    add_value(session, indicator.id, _value(2030, "5", forecast=True))
    add_value(session, indicator.id, _value(2020, "9", breakdown_value="Київ"))
    row = next(r for r in list_indicators(session, search="учасники") if r.id == indicator.id)
    assert (row.latest_year, row.latest_value, row.is_forecast_latest) == (2030, Decimal(5), True)


def test_series_holds_the_totals_by_period(session: Session) -> None:
    indicator = find_indicator(session, "Einwohnerinnen und Einwohner")
    assert indicator is not None
    add_value(session, indicator.id, _value(None, "90118", when=date(2018, 12, 31)))
    add_value(session, indicator.id, _value(2018, "1", breakdown_value="männlich"))
    found = series(session, indicator.id)
    assert [(p.label, p.value, p.is_forecast) for p in found.points] == [
        ("2000", Decimal(108000), False),
        ("31.12.2018", Decimal(90118), False),
        ("2023", Decimal(89000), False),
        ("2035", Decimal(80000), True),
    ]
    assert "ca. 80.000" in found.points[-1].note
    assert found.points[0].source.startswith("Sozialstrategie des Landkreises Altenburger Land")
    assert (found.name, found.unit, found.direction) == (
        "Einwohnerinnen und Einwohner",
        "Personen",
        Direction.NEUTRAL,
    )


def test_breakdown_of_the_latest_year_largest_first(session: Session) -> None:
    indicator = find_indicator(session, "Ausländische Staatsangehörige")
    assert indicator is not None
    assert breakdown(session, indicator.id) == [
        ("Ukraine", Decimal(2888)),
        ("Syrien", Decimal(1003)),
        ("Afghanistan", Decimal(504)),
    ]
    add_value(session, indicator.id, _value(2020, "900", breakdown_value="Syrien"))
    add_value(session, indicator.id, _value(2020, "50", breakdown_value="Україна"))
    assert breakdown(session, indicator.id, 2020) == [
        ("Syrien", Decimal(900)),
        ("Україна", Decimal(50)),
    ]
    assert breakdown(session, indicator.id)[0] == ("Ukraine", Decimal(2888))
    assert breakdown(session, indicator.id, 1999) == []
    assert breakdown(session, _indicator(session).id) == []


def test_changes_judged_by_direction(session: Session) -> None:
    poverty = find_indicator(session, "Armutsgefährdungsquote")
    volunteers = find_indicator(session, "Ehrenamtlich Engagierte in integrationsnahen Bereichen")
    foreigners = find_indicator(session, "Ausländische Staatsangehörige")
    associations = find_indicator(session, "Vereine im Landkreis")
    assert poverty and volunteers and foreigners and associations
    add_value(session, poverty.id, _value(2025, "19.5"))
    add_value(session, volunteers.id, _value(2025, "140"))
    add_value(session, foreigners.id, _value(2025, "7600"))
    add_value(session, associations.id, _value(2025, "250"))
    population = find_indicator(session, "Einwohnerinnen und Einwohner")
    assert population is not None
    add_value(session, population.id, _value(2025, "87000", forecast=True))
    dated = _indicator(session, ARABIC, direction=Direction.HIGHER_IS_BETTER)
    add_value(session, dated.id, _value(None, "3", when=date(2025, 3, 31)))
    add_value(session, dated.id, _value(None, "5", when=date(2025, 9, 30)))

    changes = {c.name: c for c in indicator_changes(session, 2025)}
    assert set(changes) == {
        "Armutsgefährdungsquote",
        "Ehrenamtlich Engagierte in integrationsnahen Bereichen",
        "Ausländische Staatsangehörige",
        "Vereine im Landkreis",
        ARABIC,
    }  # the forecast of the population is no measured change
    poverty_change = changes["Armutsgefährdungsquote"]
    assert (poverty_change.previous_year, poverty_change.previous_value) == (2024, Decimal(20))
    assert (poverty_change.value, poverty_change.change) == (Decimal("19.5"), Decimal("-0.5"))
    assert poverty_change.judgement == BETTER
    assert changes["Ehrenamtlich Engagierte in integrationsnahen Bereichen"].judgement == WORSE
    assert changes["Ausländische Staatsangehörige"].judgement == NEUTRAL
    assert changes["Ausländische Staatsangehörige"].change == Decimal(200)
    assert changes["Vereine im Landkreis"].judgement == UNCHANGED
    only_this_year = changes[ARABIC]
    assert only_this_year.value == Decimal(5)  # the latest date of the year
    assert (only_this_year.previous_value, only_this_year.change) == (None, None)
    assert only_this_year.judgement == ""
    assert indicator_changes(session, 1990) == []


def test_demo_values_are_marked_and_leave_the_real_figures(session: Session) -> None:
    real = {
        (v.uid, v.year, v.breakdown_value, v.value, v.note)
        for v in session.scalars(select(IndicatorValue))
    }
    added = create_indicator_demo(session)
    values = list(session.scalars(select(IndicatorValue)))
    assert added == len(values) - len(real) > 20
    kept = {(v.uid, v.year, v.breakdown_value, v.value, v.note) for v in values}
    assert real <= kept
    for value in values:
        if (value.uid, value.year, value.breakdown_value, value.value, value.note) in real:
            assert value.source.startswith("Sozialstrategie")
        else:
            assert value.source == "Beispieldaten der Demo-Datenbank (keine amtliche Zahl)"
            assert value.note == "Beispielwert (Demo) – keine amtliche Zahl."
    examples = [r for r in list_indicators(session) if r.name.endswith("(Beispiel)")]
    assert [(r.target_value, r.target_year) for r in examples] == [
        (Decimal(400), 2027),
        (Decimal(8), 2027),
    ]
    foreigners = find_indicator(session, "Ausländische Staatsangehörige")
    assert foreigners is not None
    assert len(series(session, foreigners.id).points) >= 6
    assert breakdown(session, foreigners.id)[0] == ("Ukraine", Decimal(2910))
    # Running it again adds nothing: what exists is left as it is.
    assert create_indicator_demo(session) == 0
