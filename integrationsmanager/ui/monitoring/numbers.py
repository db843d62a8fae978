"""Indicator numbers for people: German separators on the way out, a decimal comma on the way in."""

from __future__ import annotations

from decimal import Decimal

from integrationsmanager.services.indicators import canonical
from integrationsmanager.services.statistics_table import parse_number

_GERMAN_SEPARATORS = str.maketrans(",.", ".,")


def number_text(value: Decimal | None) -> str:
    """``89.000``, ``28,5`` or an empty string; every stored digit (Babel would round to 3)."""
    if value is None:
        return ""
    return format(canonical(value), ",f").translate(_GERMAN_SEPARATORS)


def value_text(value: Decimal | None, unit: str) -> str:
    """``89.000 Personen``, ``28 %``; the bare number without a unit, empty without a value."""
    text = number_text(value)
    return f"{text} {unit}" if text and unit else text


def parse_field(text: str, label: str) -> tuple[Decimal | None, str | None]:
    """A typed number (``1.234,5``, ``20``, ``-3``) or None if empty, and a German message."""
    stripped = text.strip()
    if not stripped:
        return None, None
    found = parse_number(stripped)
    if found is None:
        return None, f"{label}: „{stripped}“ ist keine Zahl (z. B. 1.234,5)."
    return found, None


def parse_year(text: str, label: str) -> tuple[int | None, str | None]:
    """A typed year (``2035``) or None if empty, and a German message."""
    stripped = text.strip()
    if not stripped:
        return None, None
    if not stripped.isdigit() or len(stripped) != 4:
        return None, f"{label}: bitte ein Jahr wie 2035 angeben."
    return int(stripped), None
