"""The office's settings that belong to the data: letterhead and the sender of invitations.

Stored as :class:`~integrationsmanager.domain.common.Setting` rows, so every copy of the
database carries them; an empty or missing value falls back to the default listed here.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from integrationsmanager.domain.common import Setting
from integrationsmanager.domain.errors import ValidationError
from integrationsmanager.domain.text import clean_line
from integrationsmanager.services.organisations import email_error


@dataclass(frozen=True)
class SettingField:
    key: str
    label: str
    default: str
    email: bool = False


OFFICE_FIELDS = (
    SettingField("office.authority", "Behörde", "Landratsamt Altenburger Land"),
    SettingField("office.department", "Fachbereich", "Integrationsmanagement"),
    SettingField("office.address", "Anschrift", "Lindenaustraße 9, 04600 Altenburg"),
    SettingField("office.contact_name", "Ansprechperson", ""),
    SettingField("office.contact_phone", "Telefon", ""),
    SettingField("office.contact_email", "E-Mail", "", email=True),
    SettingField(
        "office.organiser_name",
        "Absender der Einladungen",
        "Integrationsmanagement Landkreis Altenburger Land",
    ),
    SettingField(
        "office.organiser_email",
        "E-Mail-Adresse für Einladungen",
        "integration@altenburgerland.example",
        email=True,
    ),
)
_BY_KEY = {field.key: field for field in OFFICE_FIELDS}


def office_setting(session: Session, key: str) -> str:
    """The stored value of ``key``, or its default when unset or empty."""
    row = session.get(Setting, key)
    text = row.value.strip() if row is not None else ""
    return text or _BY_KEY[key].default


def office_settings(session: Session) -> dict[str, str]:
    """Every office setting as stored (empty where the default applies)."""
    values = {}
    for field in OFFICE_FIELDS:
        row = session.get(Setting, field.key)
        values[field.key] = row.value if row is not None else ""
    return values


def save_office_settings(session: Session, values: dict[str, str]) -> None:
    """Store the settings; raises ValidationError naming each invalid field."""
    cleaned = {key: clean_line(values.get(key, "")) for key in _BY_KEY}
    errors = {}
    for key, text in cleaned.items():
        field = _BY_KEY[key]
        if len(text) > 300:
            errors[key] = f"{field.label}: höchstens 300 Zeichen."
        elif field.email and text and (message := email_error(text)):
            errors[key] = message
    if errors:
        raise ValidationError(errors)
    for key, text in cleaned.items():
        session.merge(Setting(key=key, value=text))
    session.flush()
