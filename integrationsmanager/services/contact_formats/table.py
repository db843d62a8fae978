"""The table every contact reader returns, and the suggested mapping of its columns.

A file's columns keep the names the file gives them (``Vorname``, ``E-mail Address``,
``E-mail 1 - Value`` …); :func:`suggest_mapping` proposes which target field each one fills,
and the import dialog lets the user change that. Several columns may fill the same field; the
import then collects e-mail addresses, phone numbers and tags from all of them, joins first
names (``Vorname`` + ``Weitere Vornamen``), notes and languages, and takes every other field
from the first non-empty cell in column order (business address before home address in
Outlook's layout).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from integrationsmanager.domain.text import fold
from integrationsmanager.services.spreadsheets import ImportFailed

FIELDS: dict[str, str] = {
    "salutation": "Anrede",
    "title": "Titel",
    "first_name": "Vorname",
    "last_name": "Nachname",
    "full_name": "Name (vollständig)",
    "email": "E-Mail",
    "email2": "E-Mail 2",
    "phone": "Telefon",
    "mobile": "Mobil",
    "organisation": "Organisation",
    "function": "Funktion",
    "street": "Straße",
    "postcode": "PLZ",
    "city": "Ort",
    "municipality": "Gemeinde",
    "languages": "Sprachen",
    "tags": "Schlagwörter",
    "notes": "Notizen",
}
"""Target field → German label, in the order the import dialog lists them.

``full_name`` is only used when a row has neither first nor last name (Google's ``Name``,
Thunderbird's ``Display Name``, a vCard's ``FN``): it is split into first and last name.
"""


class ContactImportFailed(ImportFailed):
    """Nothing was imported; ``problems`` names each bad row ("Zeile 3, E-Mail: …")."""


_MOBILE_TYPES = frozenset({"mobile", "mobil", "cell", "handy"})
_SKIPPED_PHONE_TYPES = re.compile(r"fax|pager")

ROW_WORD = "Zeile"
CARD_WORD = "Karte"


@dataclass
class ContactTable:
    """The contacts of one file as rows of text under the file's own column names.

    ``rows[i]`` has one cell per column (short rows are padded); ``source_row_numbers[i]`` is
    the number a person finds it under: the spreadsheet row (header = 1) or, for vCards, the
    card's ordinal, shown as "Karte 3" (:meth:`row_label`).
    """

    columns: list[str]
    rows: list[list[str]]
    mapping: dict[str, str]
    """Source column → target field (a key of :data:`FIELDS`); unmapped columns are absent."""
    source_row_numbers: list[int]
    file_name: str = ""
    row_word: str = ROW_WORD
    kinds: list[str] = field(default_factory=list)
    """Per row "person" or "organisation" (a vCard with ``KIND:org``); empty: all persons."""
    _types: dict[int, int] | None = field(default=None, init=False, repr=False, compare=False)

    def row_label(self, index: int) -> str:
        """ "Zeile 4" or "Karte 2": how messages name row ``index``."""
        return f"{self.row_word} {self.source_row_numbers[index]}"

    def mapped_columns(self, mapping: dict[str, str]) -> list[tuple[int, str, str]]:
        """(position, column, target field) of each column that ``mapping`` maps."""
        return [(i, c, mapping[c]) for i, c in enumerate(self.columns) if c in mapping]

    def values(
        self, index: int, mapped: list[tuple[int, str, str]]
    ) -> dict[str, list[tuple[str, str]]]:
        """Target field → the non-empty (value, source column) pairs of row ``index``.

        ``mapped`` comes from :meth:`mapped_columns`. A phone column whose Google type column
        says "Mobile" counts as mobile; one whose type is a fax or pager is left out (as
        Outlook's fax columns are not mapped).
        """
        row = self.rows[index]
        found: dict[str, list[tuple[str, str]]] = {}
        for position, column, target in mapped:
            value = row[position].strip()
            if not value:
                continue
            if target == "phone":
                kind = self._phone_type(row, position)
                if _SKIPPED_PHONE_TYPES.search(kind):
                    continue
                if kind in _MOBILE_TYPES:
                    found.setdefault("mobile", []).append((value, column))
                    continue
            found.setdefault(target, []).append((value, column))
        return found

    def _phone_type(self, row: list[str], position: int) -> str:
        """Google's type of a phone column ("mobile", "work fax"), folded; else empty."""
        type_position = self._type_columns().get(position)
        return "" if type_position is None else fold(row[type_position]).lstrip("* ")

    def _type_columns(self) -> dict[int, int]:
        """Position of a "… - Value" column → position of its "… - Type"/"… - Label" column."""
        if self._types is None:
            positions = {column: i for i, column in enumerate(self.columns)}
            self._types = {}
            for i, column in enumerate(self.columns):
                stem, dash, part = column.rpartition(" - ")
                if dash and part.casefold() == "value":
                    for kind in ("Type", "Label"):
                        if (found := positions.get(f"{stem} - {kind}")) is not None:
                            self._types[i] = found
        return self._types


def header_key(name: str) -> str:
    """A column name reduced to letters and digits: "E-Mail-Adresse" → "emailadresse"."""
    return re.sub(r"[\W_]+", "", fold(name))


def _keys(field_name: str, *names: str) -> dict[str, str]:
    return {header_key(name): field_name for name in names}


_SPECIFIC: dict[str, str] = {
    **_keys("salutation", "Anrede", "Title", "Name Prefix", "Prefix", "Salutation"),
    **_keys("title", "Titel", "Akademischer Titel"),
    **_keys(
        "first_name",
        "Vorname",
        "First Name",
        "Given Name",
        "Firstname",
        "Weitere Vornamen",
        "Middle Name",
        "Additional Name",
    ),
    **_keys("last_name", "Nachname", "Last Name", "Family Name", "Surname", "Familienname"),
    **_keys(
        "full_name",
        "Name",
        "Display Name",
        "Anzeigename",
        "Full Name",
        "Vollständiger Name",
        "Name (vollständig)",
    ),
    **_keys(
        "email",
        "E-Mail",
        "E-Mail-Adresse",
        "E-mail Address",
        "Email Address",
        "Primary Email",
        "E-Mail 1",
        "E-Mail 1: Adresse",
    ),
    **_keys(
        "email2",
        "E-Mail 2",
        "E-Mail 2: Adresse",
        "E-Mail 3: Adresse",
        "E-mail 2 Address",
        "E-mail 3 Address",
        "Secondary Email",
        "Section 1 - Email",
    ),
    **_keys(
        "phone",
        "Telefon",
        "Telefon geschäftlich",
        "Telefon geschäftlich 2",
        "Telefon Firma",
        "Haupttelefon",
        "Telefon (privat)",
        "Telefon (privat 2)",
        "Weiteres Telefon",
        "Phone",
        "Business Phone",
        "Business Phone 2",
        "Company Main Phone",
        "Primary Phone",
        "Home Phone",
        "Home Phone 2",
        "Other Phone",
        "Work Phone",
        "Section 1 - Phone",
    ),
    **_keys(
        "mobile",
        "Mobil",
        "Mobiltelefon",
        "Mobiltelefon 2",
        "Handy",
        "Mobile Phone",
        "Mobile Number",
        "Section 1 - Mobile",
    ),
    **_keys(
        "organisation",
        "Organisation",
        "Organization",
        "Firma",
        "Company",
        "Organization Name",
        "Section 1 - Company",
        "Unternehmen",
    ),
    **_keys(
        "function",
        "Funktion",
        "Position",
        "Job Title",
        "Organization Title",
        "Section 1 - Title",
    ),
    **_keys(
        "street",
        "Straße geschäftlich",
        "Straße privat",
        "Business Street",
        "Home Street",
        "Work Address",
        "Home Address",
        "Section 1 - Address",
    ),
    **_keys(
        "postcode",
        "Postleitzahl geschäftlich",
        "Postleitzahl privat",
        "Business Postal Code",
        "Home Postal Code",
        "Work ZipCode",
        "Home ZipCode",
    ),
    **_keys("city", "Ort geschäftlich", "Ort privat", "Business City", "Home City", "Work City"),
    **_keys("municipality", "Gemeinde"),
    **_keys("languages", "Sprachen", "Sprache", "Language", "Languages"),
    **_keys("notes", "Notizen", "Notes", "Note", "Bemerkung", "Bemerkungen", "Anmerkungen"),
    **_keys(
        "tags",
        "Schlagwörter",
        "Kategorien",
        "Categories",
        "Group Membership",
        "Labels",
        "Stichwörter",
        "Keywords",
    ),
}
"""Column names of Outlook (German and English), Google, Thunderbird and our own export."""

_GENERIC_ADDRESS: dict[str, str] = {
    **_keys("street", "Straße", "Street", "Adresse", "Anschrift"),
    **_keys("postcode", "PLZ", "Postleitzahl", "Postal Code", "Zip", "ZIP Code"),
    **_keys("city", "Ort", "City", "Stadt", "Wohnort"),
}
"""Plain address names; ignored when a file has business or home address columns (German
Outlook's "Ort" is the *location* field next to "Ort geschäftlich")."""

_NUMBERED = re.compile(
    r"(?P<kind>email|phone|address|organization)(?P<number>\d+)"
    r"(?P<part>value|street|city|postalcode|name|title)"
)
"""Google's numbered columns, as header keys: "E-mail 2 - Value" → ``email2value``."""

_NUMBERED_FIELDS = {
    ("phone", "value"): "phone",
    ("address", "street"): "street",
    ("address", "city"): "city",
    ("address", "postalcode"): "postcode",
    ("organization", "name"): "organisation",
    ("organization", "title"): "function",
}


def suggest_mapping(columns: list[str]) -> dict[str, str]:
    """Source column → target field for the columns whose names are known."""
    mapping: dict[str, str] = {}
    generic: dict[str, str] = {}
    for column in columns:
        key = header_key(column)
        target = _SPECIFIC.get(key) or _numbered_field(key)
        if target is not None:
            mapping[column] = target
        elif key in _GENERIC_ADDRESS:
            generic[column] = _GENERIC_ADDRESS[key]
    if not any(target in ("street", "postcode", "city") for target in mapping.values()):
        mapping.update(generic)
    return mapping


def _numbered_field(key: str) -> str | None:
    match = _NUMBERED.fullmatch(key)
    if match is None:
        return None
    if match["kind"] == "email" and match["part"] == "value":
        return "email" if match["number"] == "1" else "email2"
    return _NUMBERED_FIELDS.get((match["kind"], match["part"]))
