"""Money is exact: parsing German and plain amounts into cents, formatting for people."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from integrationsmanager.domain.errors import FieldError
from integrationsmanager.domain.money import format_money, to_cents, to_decimal


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("1.234,56", 123456),
        ("1234,56", 123456),
        ("1234.56", 123456),
        ("1234", 123400),
        ("1.234.567,8 €", 123456780),
        ("0,1", 10),
        ("-5,00", -500),
        ("", None),
    ],
)
def test_to_cents_reads_german_and_plain_amounts(text: str, cents: int | None) -> None:
    assert to_cents(text) == cents


def test_to_cents_from_spreadsheet_floats_and_decimals() -> None:
    assert to_cents(12.1) == 1210
    assert to_cents(Decimal("104812.50")) == 10481250
    assert to_cents(419250) == 41925000


@pytest.mark.parametrize("bad", ["zwölf", "1,234", "1.2.3", "12,345", float("nan")])
def test_to_cents_refuses_what_is_not_an_amount(bad: object) -> None:
    with pytest.raises(FieldError, match="Budget"):
        to_cents(bad, field="Budget")  # type: ignore[arg-type]


def test_format_money_is_german_with_no_break_space() -> None:
    assert format_money(123450) == "1.234,50\u00a0€"
    assert format_money(None) == ""


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_cents_round_trip_through_decimal_and_text(cents: int) -> None:
    assert to_cents(to_decimal(cents)) == cents
    assert to_cents(format_money(cents).replace("\u00a0", " ")) == cents
