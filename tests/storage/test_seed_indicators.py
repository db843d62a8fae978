"""Seeding of the indicators: the policy's figures, fixed uids, idempotent, edits survive."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from integrationsmanager.domain.enums import Direction
from integrationsmanager.domain.monitoring import Indicator, IndicatorValue
from integrationsmanager.services.indicators import find_indicator
from integrationsmanager.storage.database import open_database
from integrationsmanager.storage.seed import seed_indicators

POPULATION_UID = "7c1e5a30-4d2b-4f6a-8e91-3a5c0d2e0101"
FOREIGNERS_UID = "7c1e5a30-4d2b-4f6a-8e91-3a5c0d2e0103"
SOURCE_START = "Sozialstrategie des Landkreises Altenburger Land – Fokus Integration"


def _values(session: Session, name: str) -> list[tuple[int, str, Decimal, bool, str]]:
    indicator = find_indicator(session, name)
    assert indicator is not None
    return sorted(
        (v.year, v.breakdown_value, v.value, v.is_forecast, v.note) for v in indicator.values
    )


def test_the_figures_of_the_policy(session: Session) -> None:
    population = _values(session, "Einwohnerinnen und Einwohner")
    assert [(y, v, f) for y, _b, v, f, _n in population] == [
        (2000, Decimal(108000), False),
        (2023, Decimal(89000), False),
        (2035, Decimal(80000), True),
    ]
    assert "ca. 80.000" in population[2][4]
    assert [(y, v) for y, _b, v, _f, _n in _values(session, "Anteil der über 65-Jährigen")] == [
        (2023, Decimal(28))
    ]
    foreigners = _values(session, "Ausländische Staatsangehörige")
    assert [(y, b, v) for y, b, v, _f, _n in foreigners] == [
        (2024, "", Decimal(7400)),
        (2024, "Afghanistan", Decimal(504)),
        (2024, "Syrien", Decimal(1003)),
        (2024, "Ukraine", Decimal(2888)),
    ]
    for name, value, word in (
        ("Kinder und Jugendliche unter den Zugewanderten", 2000, "mehr als 2.000"),
        ("Vereine im Landkreis", 250, "mehr als 250"),
        ("Ehrenamtlich Engagierte in integrationsnahen Bereichen", 150, "etwa 150"),
    ):
        [(_year, _b, stored, _f, note)] = _values(session, name)
        assert stored == Decimal(value)
        assert word in note
    [(_year, _b, poverty, _f, _note)] = _values(session, "Armutsgefährdungsquote")
    assert poverty == Decimal(20)


def test_units_directions_guidelines_and_sources(session: Session) -> None:
    indicators = {i.name: i for i in session.scalars(select(Indicator))}
    assert len(indicators) == 7
    foreigners = indicators["Ausländische Staatsangehörige"]
    assert (foreigners.uid, foreigners.breakdown_key) == (FOREIGNERS_UID, "Staatsangehörigkeit")
    assert indicators["Armutsgefährdungsquote"].direction == Direction.LOWER_IS_BETTER
    assert indicators["Vereine im Landkreis"].direction == Direction.HIGHER_IS_BETTER
    assert indicators["Einwohnerinnen und Einwohner"].direction == Direction.NEUTRAL
    assert [
        g.number for g in indicators["Kinder und Jugendliche unter den Zugewanderten"].guidelines
    ] == [1]
    for indicator in indicators.values():
        assert indicator.guidelines, indicator.name
        assert indicator.name_folded == indicator.name.casefold().replace("ä", "ae").replace(
            "ü", "ue"
        ).replace("ö", "oe")
        # The policy sets no targets; none are invented.
        assert (indicator.target_value, indicator.target_year) == (None, None)
        assert indicator.source.startswith(SOURCE_START)
        assert indicator.unit in {"Personen", "%", "Vereine"}
        assert all(v.source == indicator.source for v in indicator.values)


def test_seeding_again_changes_nothing_and_keeps_edits(tmp_path: Path) -> None:
    path = tmp_path / "seed.sqlite"
    database = open_database(path, user="a")
    with database.session() as session:
        population = session.scalar(select(Indicator).where(Indicator.uid == POPULATION_UID))
        assert population is not None
        population.unit = "Einwohner"
        population.values[0].value = Decimal(107500)
    database.close()
    database = open_database(path, user="b")
    with database.session() as session:
        seed_indicators(session)
        assert session.scalar(select(func.count(Indicator.id))) == 7
        assert session.scalar(select(func.count(IndicatorValue.id))) == 12
        population = session.scalar(select(Indicator).where(Indicator.uid == POPULATION_UID))
        assert population is not None
        assert population.unit == "Einwohner"
        assert Decimal(107500) in {v.value for v in population.values}
    database.close()


def test_deleted_records_stay_deleted(session: Session) -> None:
    foreigners = find_indicator(session, "Ausländische Staatsangehörige")
    associations = find_indicator(session, "Vereine im Landkreis")
    assert foreigners is not None and associations is not None
    syria = next(v for v in foreigners.values if v.breakdown_value == "Syrien")
    foreigners.values.remove(syria)
    session.delete(associations)
    session.flush()
    seed_indicators(session)
    assert find_indicator(session, "Vereine im Landkreis") is None
    assert sorted(v.breakdown_value for v in foreigners.values) == ["", "Afghanistan", "Ukraine"]


def test_an_existing_database_gets_the_indicators_at_its_next_open(tmp_path: Path) -> None:
    """A database made before indicators existed: its tables are empty, nothing is logged."""
    path = tmp_path / "alt.sqlite"
    open_database(path, user="a").close()
    with sqlite3.connect(path) as connection:
        connection.execute("DELETE FROM indicator_value")
        connection.execute("DELETE FROM indicator_guideline")
        connection.execute("DELETE FROM indicator")
    connection.close()
    database = open_database(path, user="b")
    with database.session() as session:
        assert session.scalar(select(func.count(Indicator.id))) == 7
        assert session.scalar(select(func.count(IndicatorValue.id))) == 12
    database.close()


def test_a_name_staff_already_use_is_not_seeded_twice(tmp_path: Path) -> None:
    path = tmp_path / "eigen.sqlite"
    open_database(path, user="a").close()
    with sqlite3.connect(path) as connection:
        connection.execute("DELETE FROM indicator_value")
        connection.execute("DELETE FROM indicator_guideline")
        connection.execute("DELETE FROM indicator")
        connection.execute(
            "INSERT INTO indicator (name, unit, source, description, direction, breakdown_key, "
            "name_folded, uid, created_at, updated_at, updated_by) VALUES "
            "('Armutsgefährdungsquote', "
            "'%', 'eigene', '', 'lower', '', 'armutsgefaehrdungsquote', 'own', "
            "'2025-01-01', '2025-01-01', 'a')"
        )
    connection.close()
    database = open_database(path, user="b")
    with database.session() as session:
        poverty = session.scalars(
            select(Indicator).where(Indicator.name_folded == "armutsgefaehrdungsquote")
        ).all()
        assert [(p.uid, p.source, len(p.values)) for p in poverty] == [("own", "eigene", 0)]
        assert session.scalar(select(func.count(Indicator.id))) == 7
    database.close()
