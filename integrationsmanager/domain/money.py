"""Exact money: integer cents in the database, German formatting for people.

Never a float: amounts come in as text or :class:`~decimal.Decimal` and are stored as cents.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import format_currency, format_decimal

from integrationsmanager.domain.errors import FieldError

LOCALE = "de_DE"
_GERMAN_AMOUNT = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d{1,2})?$|^-?\d+(,\d{1,2})?$")


def to_cents(value: Decimal | int | str | float | None, *, field: str = "Betrag") -> int | None:
    """Parse an amount given as Decimal, int (euros), or German/plain text into cents.

    Accepts ``1.234,56``, ``1234,56``, ``1234.56``, ``1234`` and a trailing ``€``. Floats from
    spreadsheets are converted through their shortest text form, so ``12.1`` stays 12,10 €.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise FieldError(field, f"{field}: „{value}“ ist kein Geldbetrag.")
    if isinstance(value, int):
        return value * 100
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise FieldError(field, f"{field}: kein gültiger Geldbetrag.")
        value = repr(value)
    if isinstance(value, str):
        text = value.replace("€", "").replace("\u00a0", "").replace(" ", "").strip()
        if not text:
            return None
        if _GERMAN_AMOUNT.match(text):
            text = text.replace(".", "").replace(",", ".")
        elif not re.fullmatch(r"-?\d+(\.\d+)?", text):
            raise FieldError(field, f"{field}: „{value}“ ist kein Geldbetrag (z. B. 1.234,56).")
        try:
            value = Decimal(text)
        except InvalidOperation as err:
            raise FieldError(field, f"{field}: „{value}“ ist kein Geldbetrag.") from err
    cents = (value * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    if cents != value * 100:
        raise FieldError(field, f"{field}: höchstens zwei Nachkommastellen.")
    return int(cents)


def to_decimal(cents: int | None) -> Decimal | None:
    """Cents as a Decimal with two places, e.g. for spreadsheets."""
    if cents is None:
        return None
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def format_money(cents: int | None) -> str:
    """``1.234,56 €`` (with Babel's no-break space), or an empty string."""
    if cents is None:
        return ""
    return format_currency(Decimal(cents) / 100, "EUR", locale=LOCALE)


def format_number(value: Decimal | int | float, *, places: int | None = None) -> str:
    """A number with German separators, optionally with a fixed number of decimals."""
    if places is None:
        return format_decimal(value, locale=LOCALE)
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(value, format=pattern, locale=LOCALE)
