"""Use cases of indicators (Kennzahlen): editing, their values per period, and what charts,
the monitoring report and the annual report read from them.

A value belongs to a year or to a reference date (Stichtag; its year is derived), and either
to the indicator as a whole (``breakdown_value`` empty: the *total*) or to one value of the
indicator's breakdown (e.g. a nationality). An indicator holds at most one value per period
and breakdown value. Values are exact :class:`~decimal.Decimal` numbers, stored in a
canonical form (``20.0`` becomes ``20``), so an export imports back identically.

Indicators are few (a few dozen), so the queries here load them whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from integrationsmanager.domain.common import Guideline
from integrationsmanager.domain.enums import Direction
from integrationsmanager.domain.errors import UserError, ValidationError
from integrationsmanager.domain.monitoring import Indicator, IndicatorValue, indicator_guideline
from integrationsmanager.domain.text import clean_line, clean_text, fold, like_pattern

NAME_MAX = 300
UNIT_MAX = 50
SOURCE_MAX = 300
BREAKDOWN_KEY_MAX = 100
BREAKDOWN_VALUE_MAX = 200
YEAR_MIN = 1800
YEAR_MAX = 2200
NUMBER_TEXT_MAX = 40
"""Longest stored text of a value (the width of its column)."""
NUMBER_ABS_MAX = Decimal(10) ** 15
"""Values stay below this (far above any count), so every spreadsheet shows them exactly."""

BETTER = "besser"
WORSE = "schlechter"
UNCHANGED = "unverändert"
NEUTRAL = "neutral"
"""Judgements of a change (:func:`indicator_changes`)."""


def canonical(value: Decimal) -> Decimal:
    """``value`` without trailing zeros and never in exponent form (``20.0`` → ``20``)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def number_error(value: Decimal | None, *, required: bool) -> str | None:
    """Why ``value`` cannot be stored as an indicator number, or None."""
    if value is None:
        return "Bitte einen Wert angeben." if required else None
    if not value.is_finite():
        return "Der Wert ist keine Zahl."
    if abs(value) >= NUMBER_ABS_MAX:
        return "Der Wert ist zu groß."
    if len(format(canonical(value), "f")) > NUMBER_TEXT_MAX:
        return f"Der Wert hat zu viele Stellen (höchstens {NUMBER_TEXT_MAX})."
    return None


def _year_error(year: int) -> str | None:
    if not YEAR_MIN <= year <= YEAR_MAX:
        return f"Das Jahr liegt zwischen {YEAR_MIN} und {YEAR_MAX}."
    return None


# --- indicators ----------------------------------------------------------------------------


@dataclass
class IndicatorData:
    """The editable fields of an indicator, as the editor or an import delivers them."""

    name: str
    unit: str = ""
    source: str = ""
    description: str = ""
    direction: Direction = Direction.NEUTRAL
    target_value: Decimal | None = None
    target_year: int | None = None
    breakdown_key: str = ""
    guideline_ids: list[int] = field(default_factory=list)

    def errors(self) -> dict[str, str]:
        """German messages by field name; empty means valid (without database checks)."""
        errors: dict[str, str] = {}
        name = clean_line(self.name)
        if not name:
            errors["name"] = "Bitte einen Namen angeben."
        elif len(name) > NAME_MAX:
            errors["name"] = f"Der Name ist zu lang (höchstens {NAME_MAX} Zeichen)."
        for field_name, text, limit in (
            ("unit", self.unit, UNIT_MAX),
            ("source", self.source, SOURCE_MAX),
            ("breakdown_key", self.breakdown_key, BREAKDOWN_KEY_MAX),
        ):
            if len(clean_line(text)) > limit:
                errors[field_name] = f"Höchstens {limit} Zeichen."
        if self.direction not in {d.value for d in Direction}:
            errors["direction"] = "Bitte eine Richtung wählen."
        target_error = number_error(self.target_value, required=False)
        if target_error:
            errors["target_value"] = target_error
        if self.target_year is not None:
            year_error = _year_error(self.target_year)
            if year_error:
                errors["target_year"] = year_error
        if self.target_year is not None and self.target_value is None:
            errors["target_value"] = "Zum Zieljahr gehört ein Zielwert."
        return errors

    @classmethod
    def from_indicator(cls, indicator: Indicator) -> IndicatorData:
        return cls(
            name=indicator.name,
            unit=indicator.unit,
            source=indicator.source,
            description=indicator.description,
            direction=Direction(indicator.direction),
            target_value=indicator.target_value,
            target_year=indicator.target_year,
            breakdown_key=indicator.breakdown_key,
            guideline_ids=sorted(g.id for g in indicator.guidelines),
        )


def get_indicator(session: Session, indicator_id: int) -> Indicator:
    """The indicator, or a UserError if it is gone."""
    indicator = session.get(Indicator, indicator_id)
    if indicator is None:
        raise UserError(f"Die Kennzahl {indicator_id} gibt es nicht (mehr).")
    return indicator


def find_indicator(session: Session, name: str) -> Indicator | None:
    """The indicator of that name (compared folded), the oldest if there are several."""
    return session.scalars(
        select(Indicator).where(Indicator.name_folded == fold(name)).order_by(Indicator.id).limit(1)
    ).first()


def create_indicator(session: Session, data: IndicatorData) -> Indicator:
    """Add an indicator; raises :class:`ValidationError`."""
    indicator = Indicator()
    _apply(session, indicator, data, None)
    session.add(indicator)
    session.flush()
    return indicator


def update_indicator(session: Session, indicator_id: int, data: IndicatorData) -> Indicator:
    """Change an indicator's fields; its values stay. Raises :class:`ValidationError`."""
    indicator = get_indicator(session, indicator_id)
    _apply(session, indicator, data, indicator_id)
    session.flush()
    return indicator


def delete_indicator(session: Session, indicator_id: int) -> None:
    """Delete an indicator with all its values."""
    session.delete(get_indicator(session, indicator_id))
    session.flush()


def _apply(
    session: Session, indicator: Indicator, data: IndicatorData, indicator_id: int | None
) -> None:
    errors = data.errors()
    name = clean_line(data.name)
    if "name" not in errors:
        clash = find_indicator(session, name)
        if clash is not None and clash.id != indicator_id:
            errors["name"] = f"Eine Kennzahl „{clash.name}“ gibt es schon."
    wanted = list(dict.fromkeys(data.guideline_ids))
    guidelines = list(session.scalars(select(Guideline).where(Guideline.id.in_(wanted))))
    if len(guidelines) != len(wanted):
        errors["guidelines"] = "Eine der gewählten Leitlinien gibt es nicht mehr."
    if errors:
        raise ValidationError(errors)
    indicator.name = name
    indicator.name_folded = fold(name)
    indicator.unit = clean_line(data.unit)
    indicator.source = clean_line(data.source)
    indicator.description = clean_text(data.description)
    indicator.direction = Direction(data.direction)
    indicator.target_value = None if data.target_value is None else canonical(data.target_value)
    indicator.target_year = data.target_year
    indicator.breakdown_key = clean_line(data.breakdown_key)
    indicator.guidelines = sorted(guidelines, key=lambda g: (g.number, g.id))


# --- values --------------------------------------------------------------------------------


@dataclass
class ValueData:
    """One value of an indicator: for a year or a reference date, total or one breakdown."""

    year: int | None
    reference_date: date | None
    value: Decimal | None
    breakdown_value: str = ""
    is_forecast: bool = False
    source: str = ""
    note: str = ""

    @property
    def period_year(self) -> int | None:
        """The year the value counts for: the reference date's, else the year given."""
        return self.reference_date.year if self.reference_date is not None else self.year

    def errors(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        if self.year is None and self.reference_date is None:
            errors["year"] = "Bitte ein Jahr oder einen Stichtag angeben."
        elif self.year is not None:
            year_error = _year_error(self.year)
            if year_error:
                errors["year"] = year_error
            elif self.reference_date is not None and self.reference_date.year != self.year:
                errors["year"] = (
                    f"Der Stichtag {self.reference_date:%d.%m.%Y} liegt nicht im Jahr {self.year}."
                )
        if self.reference_date is not None and "year" not in errors:
            year_error = _year_error(self.reference_date.year)
            if year_error:
                errors["reference_date"] = year_error
        value_error = number_error(self.value, required=True)
        if value_error:
            errors["value"] = value_error
        for field_name, text, limit in (
            ("breakdown_value", self.breakdown_value, BREAKDOWN_VALUE_MAX),
            ("source", self.source, SOURCE_MAX),
        ):
            if len(clean_line(text)) > limit:
                errors[field_name] = f"Höchstens {limit} Zeichen."
        return errors

    @classmethod
    def from_value(cls, value: IndicatorValue) -> ValueData:
        return cls(
            year=value.year,
            reference_date=value.reference_date,
            value=value.value,
            breakdown_value=value.breakdown_value,
            is_forecast=value.is_forecast,
            source=value.source,
            note=value.note,
        )


def period_label(year: int, reference_date: date | None) -> str:
    """``2024`` or ``31.12.2024``: how a period is shown."""
    return f"{reference_date:%d.%m.%Y}" if reference_date is not None else str(year)


def add_value(session: Session, indicator_id: int, data: ValueData) -> IndicatorValue:
    """Add a value to an indicator; raises :class:`ValidationError` (also for a clash)."""
    indicator = get_indicator(session, indicator_id)
    value = IndicatorValue()
    _apply_value(session, value, indicator.id, data, None)
    value.indicator = indicator
    session.add(value)
    session.flush()
    return value


def update_value(session: Session, value_id: int, data: ValueData) -> IndicatorValue:
    value = _get_value(session, value_id)
    _apply_value(session, value, value.indicator_id, data, value_id)
    session.flush()
    return value


def delete_value(session: Session, value_id: int) -> None:
    value = _get_value(session, value_id)
    # Through the collection, so an indicator already loaded no longer lists it.
    value.indicator.values.remove(value)
    session.flush()


def _get_value(session: Session, value_id: int) -> IndicatorValue:
    value = session.get(IndicatorValue, value_id)
    if value is None:
        raise UserError(f"Den Wert {value_id} gibt es nicht (mehr).")
    return value


def _apply_value(
    session: Session,
    value: IndicatorValue,
    indicator_id: int,
    data: ValueData,
    value_id: int | None,
) -> None:
    errors = data.errors()
    breakdown = clean_line(data.breakdown_value)
    year = data.period_year
    if not errors and year is not None:
        with session.no_autoflush:
            clash = find_value(session, indicator_id, year, data.reference_date, breakdown)
        if clash is not None and clash.id != value_id:
            what = f" für „{breakdown}“" if breakdown else ""
            errors["year"] = (
                f"Für {period_label(year, data.reference_date)}{what} ist schon ein Wert "
                f"eingetragen ({_german(clash.value)}). Bitte diesen Wert ändern."
            )
    if errors:
        raise ValidationError(errors)
    assert year is not None and data.value is not None
    value.year = year
    value.reference_date = data.reference_date
    value.value = canonical(data.value)
    value.breakdown_value = breakdown
    value.is_forecast = data.is_forecast
    value.source = clean_line(data.source)
    value.note = clean_text(data.note)


def find_value(
    session: Session, indicator_id: int, year: int, reference_date: date | None, breakdown: str
) -> IndicatorValue | None:
    """The value stored for that period and breakdown value, if any."""
    return session.scalars(
        select(IndicatorValue).where(
            IndicatorValue.indicator_id == indicator_id,
            IndicatorValue.year == year,
            IndicatorValue.reference_date.is_(None)
            if reference_date is None
            else IndicatorValue.reference_date == reference_date,
            IndicatorValue.breakdown_value == breakdown,
        )
    ).first()


def _german(value: Decimal) -> str:
    """A value with German separators (``7.400``, ``28,5``), without Babel's start-up cost."""
    text = format(canonical(value), ",f")
    return text.translate(str.maketrans(",.", ".,"))


# --- queries -------------------------------------------------------------------------------


def _period_key(value: IndicatorValue) -> tuple[int, date]:
    """Order of periods: by year, a dated value at its date, a year's value at its end."""
    return value.year, value.reference_date or date(value.year, 12, 31)


def values_of(session: Session, indicator_id: int) -> list[IndicatorValue]:
    """Every value of an indicator (totals and breakdowns), by period then breakdown value."""
    get_indicator(session, indicator_id)
    values = session.scalars(
        select(IndicatorValue).where(IndicatorValue.indicator_id == indicator_id)
    ).all()
    return sorted(
        values, key=lambda v: (_period_key(v), v.breakdown_value != "", v.breakdown_value)
    )


@dataclass(frozen=True)
class IndicatorRow:
    """An indicator as the monitoring list shows it.

    ``latest_*`` is the latest total that is not a forecast, or the latest forecast when
    there is nothing else (``is_forecast_latest`` then says so).
    """

    id: int
    name: str
    unit: str
    direction: Direction
    guideline_numbers: tuple[int, ...]
    latest_year: int | None
    latest_value: Decimal | None
    target_value: Decimal | None
    target_year: int | None
    is_forecast_latest: bool
    value_count: int


def _latest(values: list[IndicatorValue]) -> IndicatorValue | None:
    totals = [v for v in values if not v.breakdown_value]
    actual = [v for v in totals if not v.is_forecast] or totals
    return max(actual, key=_period_key, default=None)


def list_indicators(
    session: Session, *, search: str = "", guideline_id: int | None = None
) -> list[IndicatorRow]:
    """The indicators by name, optionally only those matching ``search`` or a guideline."""
    statement = (
        select(Indicator)
        .options(selectinload(Indicator.guidelines), selectinload(Indicator.values))
        .order_by(Indicator.name_folded, Indicator.id)
    )
    if search.strip():
        statement = statement.where(Indicator.name_folded.like(like_pattern(search), escape="\\"))
    if guideline_id is not None:
        statement = statement.where(
            Indicator.id.in_(
                select(indicator_guideline.c.indicator_id).where(
                    indicator_guideline.c.guideline_id == guideline_id
                )
            )
        )
    rows: list[IndicatorRow] = []
    for indicator in session.scalars(statement):
        latest = _latest(list(indicator.values))
        rows.append(
            IndicatorRow(
                id=indicator.id,
                name=indicator.name,
                unit=indicator.unit,
                direction=Direction(indicator.direction),
                guideline_numbers=tuple(sorted(g.number for g in indicator.guidelines)),
                latest_year=latest.year if latest else None,
                latest_value=latest.value if latest else None,
                target_value=indicator.target_value,
                target_year=indicator.target_year,
                is_forecast_latest=bool(latest and latest.is_forecast),
                value_count=len(indicator.values),
            )
        )
    return rows


def list_indicator_names(session: Session) -> list[tuple[int, str]]:
    """(id, name) of every indicator by id, for ``integrationsmanager list indicators``."""
    rows = session.execute(select(Indicator.id, Indicator.name).order_by(Indicator.id))
    return [(r.id, r.name) for r in rows]


@dataclass(frozen=True)
class SeriesPoint:
    year: int
    reference_date: date | None
    value: Decimal
    is_forecast: bool
    source: str
    note: str

    @property
    def label(self) -> str:
        """``2024`` or ``31.12.2024``."""
        return period_label(self.year, self.reference_date)


@dataclass(frozen=True)
class IndicatorSeries:
    """An indicator's totals over time, with what a chart needs around them."""

    indicator_id: int
    name: str
    unit: str
    direction: Direction
    target_value: Decimal | None
    target_year: int | None
    points: list[SeriesPoint]


def series(session: Session, indicator_id: int) -> IndicatorSeries:
    """The indicator's total values (no breakdown values), sorted by period."""
    indicator = get_indicator(session, indicator_id)
    totals = [v for v in values_of(session, indicator_id) if not v.breakdown_value]
    return IndicatorSeries(
        indicator_id=indicator.id,
        name=indicator.name,
        unit=indicator.unit,
        direction=Direction(indicator.direction),
        target_value=indicator.target_value,
        target_year=indicator.target_year,
        points=[
            SeriesPoint(
                year=v.year,
                reference_date=v.reference_date,
                value=v.value,
                is_forecast=v.is_forecast,
                source=v.source,
                note=v.note,
            )
            for v in totals
        ],
    )


def breakdown_years(session: Session, indicator_id: int) -> list[int]:
    """The years that have breakdown values, oldest first."""
    statement = (
        select(IndicatorValue.year)
        .where(IndicatorValue.indicator_id == indicator_id, IndicatorValue.breakdown_value != "")
        .distinct()
        .order_by(IndicatorValue.year)
    )
    return list(session.scalars(statement))


def breakdown(
    session: Session, indicator_id: int, year: int | None = None
) -> list[tuple[str, Decimal]]:
    """The breakdown values of one year, largest first (then by name).

    ``year`` defaults to the latest year that has breakdown values. Where a year has several
    dated values of one breakdown value, the latest counts.
    """
    get_indicator(session, indicator_id)
    if year is None:
        years = breakdown_years(session, indicator_id)
        if not years:
            return []
        year = years[-1]
    values = session.scalars(
        select(IndicatorValue).where(
            IndicatorValue.indicator_id == indicator_id,
            IndicatorValue.year == year,
            IndicatorValue.breakdown_value != "",
        )
    ).all()
    latest: dict[str, IndicatorValue] = {}
    for value in sorted(values, key=_period_key):
        latest[value.breakdown_value] = value
    pairs = [(name, v.value) for name, v in latest.items()]
    return sorted(pairs, key=lambda pair: (-pair[1], fold(pair[0]), pair[0]))


@dataclass(frozen=True)
class IndicatorChange:
    """An indicator's value of a year against its previous value (the annual report)."""

    indicator_id: int
    name: str
    unit: str
    previous_year: int | None
    previous_value: Decimal | None
    year: int
    value: Decimal
    change: Decimal | None
    direction: Direction
    judgement: str
    """:data:`BETTER`, :data:`WORSE`, :data:`UNCHANGED`, :data:`NEUTRAL`, or "" without a
    previous value."""


def judge(change: Decimal | None, direction: Direction) -> str:
    """Whether a change is an improvement, given the indicator's direction."""
    if change is None:
        return ""
    if change == 0:
        return UNCHANGED
    if direction == Direction.NEUTRAL:
        return NEUTRAL
    rising = change > 0
    return BETTER if rising == (direction == Direction.HIGHER_IS_BETTER) else WORSE


def indicator_changes(session: Session, year: int) -> list[IndicatorChange]:
    """Per indicator with a total of ``year``: that value against the previous available one.

    Forecasts are left out on both sides: the report compares what was measured. Of several
    dated values in a year, the latest counts. Indicators by name.
    """
    statement = (
        select(Indicator)
        .options(selectinload(Indicator.values))
        .order_by(Indicator.name_folded, Indicator.id)
    )
    changes: list[IndicatorChange] = []
    for indicator in session.scalars(statement):
        measured = [v for v in indicator.values if not v.breakdown_value and not v.is_forecast]
        current = max((v for v in measured if v.year == year), key=_period_key, default=None)
        if current is None:
            continue
        previous = max((v for v in measured if v.year < year), key=_period_key, default=None)
        change = None if previous is None else canonical(current.value - previous.value)
        direction = Direction(indicator.direction)
        changes.append(
            IndicatorChange(
                indicator_id=indicator.id,
                name=indicator.name,
                unit=indicator.unit,
                previous_year=previous.year if previous else None,
                previous_value=previous.value if previous else None,
                year=year,
                value=current.value,
                change=change,
                direction=direction,
                judgement=judge(change, direction),
            )
        )
    return changes
