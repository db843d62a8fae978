"""Contacts in and out: import people from address books, export people and organisations.

Import reads what offices receive — Outlook CSV (German and English column names), Google
and Thunderbird CSV, Excel lists and vCard 2.1/3.0/4.0 (see :mod:`.contact_formats`) — into a
:class:`~.contact_formats.table.ContactTable` whose columns are mapped onto a person's fields
(a suggestion the import dialog lets the user change). The import is all or nothing: every
row is checked first, and any invalid row stops it with a message per row ("Zeile 3, E-Mail:
…", "Karte 2: …"). Rows that repeat an existing person or an earlier row of the same file (the
rule of :mod:`.duplicates`) are reported and skipped, not created twice. Organisations named
in a row are found by name or created, and the person gets a role there with the function.
Each person records where it came from ("Import aus kontakte.csv, Zeile 4").

Export writes Excel (.xlsx), CSV as German Excel reads it (``;``, UTF-8 with BOM, formulas
neutralised; see :mod:`.spreadsheets`) and vCard 3.0 (.vcf). An export of people imports again
unchanged: several e-mail addresses, phone numbers and roles share a cell, separated by
``; `` (roles: organisations and functions in the same order). A vCard holds the first role.
"""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import Any, cast

from sqlalchemy import ColumnDefault, Select, Table, func, insert, select
from sqlalchemy.orm import Session

from integrationsmanager.domain.base import Base, utcnow
from integrationsmanager.domain.common import Guideline, Tag
from integrationsmanager.domain.enums import OrganisationKind
from integrationsmanager.domain.errors import UserError
from integrationsmanager.domain.network import (
    Organisation,
    Person,
    PersonEmail,
    PersonPhone,
    PersonRole,
    organisation_guideline,
    organisation_tag,
    person_tag,
)
from integrationsmanager.domain.text import clean_line, clean_text, fold
from integrationsmanager.services.contact_formats.table import (
    CARD_WORD,
    FIELDS,
    ContactImportFailed,
    ContactTable,
)
from integrationsmanager.services.contact_formats.tabular import read_csv, read_spreadsheet
from integrationsmanager.services.contact_formats.vcard import (
    Card,
    looks_like_vcard,
    read_vcards,
    write_vcards,
)
from integrationsmanager.services.duplicates import DuplicateHit, DuplicateIndex
from integrationsmanager.services.organisations import (
    bounded_fold,
    canonical_municipality,
    clean_tags,
    column_length,
    format_iban,
    new_organisation,
)
from integrationsmanager.services.persons import (
    RoleData,
    email_address_error,
    join_languages,
    list_name,
    name_folded,
    person_errors,
    search_text_of,
    split_languages,
)
from integrationsmanager.services.spreadsheets import (
    chunks,
    existing_organisations,
    existing_tags,
    first_spellings,
    read_file,
    write_atomically,
    write_csv,
    write_xlsx,
)
from integrationsmanager.storage.audit import record_bulk_insert
from integrationsmanager.storage.tracking import session_user

_CSV_SUFFIXES = (".csv", ".txt")
_SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
_VCARD_SUFFIXES = (".vcf", ".vcard")
EXPORT_SUFFIXES = (".xlsx", ".csv", ".vcf")
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""The first bytes of an xlsx/ods (a zip archive) and of an old .xls file."""

PERSON_COLUMNS: tuple[str, ...] = (
    "Anrede",
    "Titel",
    "Vorname",
    "Nachname",
    "E-Mail",
    "E-Mail 2",
    "Telefon",
    "Mobil",
    "Organisation",
    "Funktion",
    "Straße",
    "PLZ",
    "Ort",
    "Gemeinde",
    "Sprachen",
    "Schlagwörter",
    "Notizen",
)
"""Header of person exports; "E-Mail 2", "Telefon", "Mobil", "Organisation" and "Funktion"
hold several values separated by ``; ``."""

ORGANISATION_COLUMNS: tuple[str, ...] = (
    "Name",
    "Art",
    "Straße",
    "PLZ",
    "Ort",
    "Gemeinde",
    "Telefon",
    "E-Mail",
    "Website",
    "Registernummer",
    "IBAN",
    "Leitlinien",
    "Schlagwörter",
    "Aktiv",
    "Notizen",
)
"""Header of organisation exports; "Leitlinien" lists the guidelines' numbers."""

MOBILE_LABEL = "Mobil"
"""Label of a phone number imported from a mobile column (exported to "Mobil" again)."""
VALUE_SEPARATOR = "; "
_SPLIT_VALUES = re.compile(r"\s*(?:;|:::)\s*")
_SPLIT_EMAILS = re.compile(r"\s*(?:;|,|:::)\s*")
_SPLIT_TAGS = re.compile(r"\s*(?:;|,|:::)\s*")
_SALUTATIONS = frozenset(
    fold(s).rstrip(".") for s in ("Herr", "Frau", "Familie", "Mr.", "Mrs.", "Ms.", "Mx.", "Miss")
)
"""Words of an "Anrede" column that are a salutation; anything else there is a title."""
_ACADEMIC = re.compile(r"(?i)(prof|dr|dipl|mag|ing|pd)\b[\w.-]*")
NAMES_SHOWN = 20
_WIDTHS = {"Notizen": 40, "Name": 35, "Organisation": 35, "E-Mail": 30, "E-Mail 2": 30}


@dataclass(frozen=True)
class DuplicateRow:
    """A row that was not imported because the person is already there."""

    label: str
    """The row in the file: "Zeile 5" or "Karte 2"."""
    name: str
    existing_id: int | None
    """The existing person's id; None when the row repeats an earlier row of the file."""
    existing_name: str
    """The existing person ("Müller, Anna") or the earlier row ("Zeile 3: Müller, Anna")."""
    reason: str

    def describe(self) -> str:
        """ "Zeile 5 (Müller, Anna): Duplikat von Person 17 „Müller, Anna“ (gleiche …)"."""
        return f"{self.label} ({self.name}): {duplicate_status(self)}"


def duplicate_status(duplicate: DuplicateRow) -> str:
    """ "Duplikat von Person 17 „Müller, Anna“ (gleiche E-Mail-Adresse …)"."""
    if duplicate.existing_id is None:
        target = duplicate.existing_name
    else:
        target = f"Person {duplicate.existing_id} „{duplicate.existing_name}“"
    return f"Duplikat von {target} ({duplicate.reason})"


@dataclass
class ContactImportReport:
    """What an import did, or in a dry run what it would do."""

    file_name: str
    rows: int
    created: int
    duplicates: list[DuplicateRow]
    created_organisations: list[str]
    dry_run: bool

    def summary(self) -> str:
        """The result in German, for the dialog and the command line."""
        if self.rows == 0:
            return f"„{self.file_name}“ enthält keine Kontakte; es wurde nichts importiert."
        noun = "Person" if self.created == 1 else "Personen"
        if self.dry_run:
            lines = [f"Prüfung erfolgreich: {self.created} {noun} würden importiert."]
            organisations = "Neu anzulegende Organisationen"
        else:
            lines = [f"{self.created} {noun} aus „{self.file_name}“ importiert."]
            organisations = "Neu angelegte Organisationen"
        if self.created_organisations:
            names = ", ".join(self.created_organisations[:NAMES_SHOWN])
            more = len(self.created_organisations) - NAMES_SHOWN
            if more > 0:
                names += f" und {more} weitere"
            line = f"{organisations} ({len(self.created_organisations)}): {names}"
            lines.append(line if line.endswith(".") else f"{line}.")
        if self.duplicates:
            count = len(self.duplicates)
            lines.append(
                f"{count} {'Eintrag' if count == 1 else 'Einträge'} übersprungen, weil die "
                "Person schon vorhanden ist:"
            )
            lines.extend(f"– {d.describe()}" for d in self.duplicates[:NAMES_SHOWN])
            if count > NAMES_SHOWN:
                lines.append(f"… und {count - NAMES_SHOWN} weitere.")
        if self.dry_run:
            lines.append("Es wurde nichts gespeichert.")
        return "\n".join(lines)


NEW = "neu"
DUPLICATE = "Duplikat"
INVALID = "ungültig"


@dataclass
class PreviewRow:
    """One row of the import dialog: what it would store and whether it can."""

    label: str
    values: dict[str, str]
    """Target field → the text it would store (several values joined by ``; ``)."""
    state: str
    """:data:`NEW`, :data:`DUPLICATE` or :data:`INVALID`."""
    status: str
    """ "neu", "Duplikat von Person 17 „Müller, Anna“ (…)" or "ungültig: <Gründe>"."""


@dataclass
class ContactPreview:
    """The file as the import would see it with ``mapping``."""

    table: ContactTable
    mapping: dict[str, str]
    rows: list[PreviewRow]

    def count(self, state: str) -> int:
        return sum(1 for row in self.rows if row.state == state)


# --- reading -----------------------------------------------------------------------------------


def read_contacts(path: Path) -> ContactTable:
    """The contacts of ``path`` as a table with a suggested mapping (no database needed).

    The format is recognised by content (zip or OLE → spreadsheet, ``BEGIN:VCARD`` → vCard),
    else by the suffix (.csv/.txt → CSV).
    """
    raw = read_file(path)
    suffix = path.suffix.casefold()
    if raw.startswith((_ZIP, _OLE)):
        return read_spreadsheet(raw, path.name)
    if looks_like_vcard(raw):
        return read_vcards(raw, path.name)
    if suffix in _VCARD_SUFFIXES:
        raise UserError(f"Die Datei „{path.name}“ ist keine vCard-Datei (BEGIN:VCARD fehlt).")
    if suffix in _SPREADSHEET_SUFFIXES:
        raise UserError(f"Die Datei „{path.name}“ ist keine lesbare Excel-Datei.")
    if suffix in _CSV_SUFFIXES:
        return read_csv(raw, path.name)
    raise UserError(
        f"„{path.name}“ kann nicht importiert werden: bitte eine CSV-Datei (.csv), eine "
        "Excel-Datei (.xlsx) oder eine vCard-Datei (.vcf) wählen."
    )


# --- checking rows -----------------------------------------------------------------------------


_PERSON_FIELDS = (
    *("salutation", "title", "first_name", "last_name"),
    *("street", "postcode", "city", "municipality", "languages", "notes", "source"),
)
"""The columns of a person that an import fills from a row (a :class:`_Row`'s fields)."""


@dataclass(slots=True)
class _Row:
    """A row of the file as the import would store it: cleaned, split, checked.

    The fields hold what a person saved with :func:`~.persons.save_person` would hold.
    """

    label: str
    """ "Zeile 5" or "Karte 2"."""
    salutation: str
    title: str
    first_name: str
    last_name: str
    name_key: str
    """:func:`~.persons.name_folded` of the name."""
    emails: list[str]
    email_keys: list[str]
    """The folded addresses, as the ``address_folded`` column holds them."""
    phones: list[str]
    """The numbers of other phone columns than the mobile ones."""
    mobiles: list[str]
    roles: list[RoleData]
    street: str
    postcode: str
    city: str
    municipality: str
    languages: str
    """As stored: joined (:func:`~.persons.join_languages`)."""
    tags: list[str]
    notes: str
    source: str
    problems: list[str]
    duplicate: DuplicateRow | None = None


class _Folds(dict[str, str]):
    """:func:`fold` with a memory: an import folds the same places and names many times."""

    def __missing__(self, text: str) -> str:
        folded = self[text] = fold(text)
        return folded


class _RowReader:
    """Turns rows of a table into :class:`_Row` s with one mapping.

    Values repeat a lot in a contact list (salutations, places, languages, organisations,
    tags); what is derived from them is worked out once per distinct value.
    """

    def __init__(self, table: ContactTable, mapping: dict[str, str]) -> None:
        self.table = table
        self.mapped = table.mapped_columns(mapping)
        self.cards = table.row_word == CARD_WORD
        self.source_limit = column_length(Person, "source")
        self.folds = _Folds()
        """Also used by :func:`_store`, which folds the same texts for the search text."""
        self._salutations: dict[str, tuple[str, str]] = {}
        self._municipalities: dict[str, str] = {}
        self._languages: dict[str, str] = {}
        self._language_lists: dict[str, list[str]] = {}
        self._tags: dict[tuple[str, ...], list[str]] = {}

    def remember_fold(self, text: str, key: str, model: type[Base], column: str) -> str:
        """Note ``fold(text)`` in :attr:`folds` when ``key``, its bounded fold, is all of it."""
        limit = column_length(model, column)
        if limit is None or len(key) < limit:
            self.folds.setdefault(text, key)
        return key

    def salutation(self, text: str) -> tuple[str, str]:
        found = self._salutations.get(text)
        if found is None:
            found = self._salutations[text] = _split_salutation(text)
        return found

    def municipality(self, text: str) -> str:
        found = self._municipalities.get(text)
        if found is None:
            found = self._municipalities[text] = canonical_municipality(text)
        return found

    def languages(self, text: str) -> str:
        found = self._languages.get(text)
        if found is None:
            found = self._languages[text] = join_languages(text)
        return found

    def language_list(self, joined: str) -> list[str]:
        """:func:`~.persons.split_languages` of a stored languages text."""
        found = self._language_lists.get(joined)
        if found is None:
            found = self._language_lists[joined] = split_languages(joined)
        return found

    def tags(self, names: list[str]) -> list[str]:
        key = tuple(names)
        found = self._tags.get(key)
        if found is None:
            found = self._tags[key] = clean_tags(names)
        return found

    def row(self, position: int) -> _Row:
        """The person row ``position`` describes and the problems found in it."""
        table = self.table
        label = table.row_label(position)
        values = table.values(position, self.mapped)
        problems: list[str] = []
        cleaned = {name: [_clean(value) for value, _ in found] for name, found in values.items()}

        def texts(name: str) -> list[str]:
            return cleaned.get(name, [])

        def first(name: str) -> str:
            return next((t for t in cleaned.get(name, ()) if t), "")

        salutation, title = self.salutation(" ".join(texts("salutation")))
        title = first("title") or title
        first_name = " ".join(t for t in texts("first_name") if t)
        last_name = first("last_name")
        if not first_name and not last_name:
            salutation_2, title_2, first_name, last_name = _split_full_name(first("full_name"))
            salutation, title = salutation or salutation_2, title or title_2

        emails: dict[str, tuple[str, str]] = {}
        for target in ("email", "email2"):
            for value, column in values.get(target, ()):
                for address in _addresses(value):
                    problem = email_address_error(address, column)
                    if problem:
                        problems.append(f"{label}, {column}: {problem.removeprefix(column + ': ')}")
                    key = bounded_fold(address, PersonEmail, "address_folded")
                    self.remember_fold(address, key, PersonEmail, "address_folded")
                    emails.setdefault(self.folds[address], (address, key))
        mobiles = list(dict.fromkeys(_split(texts("mobile"))))
        phones = [p for p in dict.fromkeys(_split(texts("phone"))) if p not in mobiles]

        notes = [clean_text(value) for value, _ in values.get("notes", ())]
        if self.cards:  # a card names one organisation; ";" belongs to it
            organisations = [first("organisation")] if first("organisation") else []
        else:
            organisations = _split(texts("organisation"))
        functions = texts("function")
        if len(organisations) > 1:
            functions = _split(functions, keep_empty=True)
        elif functions:
            functions = [" ".join(functions)]
        if functions and not organisations:
            notes.append(f"Funktion: {' / '.join(f for f in functions if f)}")
        roles = [
            RoleData(organisation_name=name, function=functions[i] if i < len(functions) else "")
            for i, name in enumerate(organisations)
        ]
        tags = [
            tag
            for value in texts("tags")
            for tag in _SPLIT_TAGS.split(value)
            if tag and not tag.startswith("*")  # Google's system groups: "* My Contacts"
        ]
        source = f"Import aus {table.file_name}, {label}"
        row = _Row(
            label=label,
            salutation=salutation,
            title=title,
            first_name=first_name,
            last_name=last_name,
            name_key=self.remember_fold(
                f"{last_name} {first_name}",
                name_folded(first_name, last_name),
                Person,
                "name_folded",
            ),
            emails=[address for address, _ in emails.values()],
            email_keys=[key for _, key in emails.values()],
            phones=phones,
            mobiles=mobiles,
            roles=roles,
            street=_one_line(next((v for v, _ in values.get("street", ())), "")),
            postcode=first("postcode"),
            city=first("city"),
            municipality=self.municipality(first("municipality")),
            languages=self.languages(", ".join(texts("languages"))),
            tags=self.tags(tags) if tags else [],
            notes="\n".join(n for n in notes if n),
            source=source[: self.source_limit or len(source)],
            problems=problems,
        )
        if table.kinds and table.kinds[position] == "organisation":
            name = first("organisation") or first("full_name")
            problems.append(
                f"{label}: Die Karte beschreibt eine Organisation („{name}“), keine Person; "
                "Organisationen werden hier nicht importiert."
            )
        else:
            problems.extend(_data_problems(row, values))
        return row


def _checked_rows(
    session: Session, table: ContactTable, mapping: dict[str, str]
) -> tuple[list[_Row], _RowReader]:
    """Every row mapped, validated and compared with the database and the rows before it.

    Also the reader, whose memory of derived values :func:`_store` uses again.
    """
    index = DuplicateIndex.build(session)
    reader = _RowReader(table, mapping)
    rows: list[_Row] = []
    for position in range(len(table.rows)):
        row = reader.row(position)
        rows.append(row)
        if row.problems:
            continue
        hits = index.person_hits(
            first_name=row.first_name,
            last_name=row.last_name,
            emails=row.emails,
            municipality=row.municipality,
        )
        if hits:
            row.duplicate = _duplicate(row, hits, rows)
        else:
            index.remember_person(
                -(position + 1),  # rows of the file: negative, apart from the people's ids
                first_name=row.first_name,
                last_name=row.last_name,
                emails=row.emails,
                municipality=row.municipality,
            )
    return rows, reader


def _duplicate(row: _Row, hits: list[DuplicateHit], rows: list[_Row]) -> DuplicateRow:
    """The row as a duplicate of the first existing person hit, else of an earlier row."""
    hit = min(hits, key=lambda h: (h.id < 0, abs(h.id)))
    name = list_name(row.first_name, row.last_name)
    if hit.id < 0:
        earlier = rows[-hit.id - 1]
        return DuplicateRow(row.label, name, None, f"{earlier.label}: {hit.name}", hit.reason)
    return DuplicateRow(row.label, name, hit.id, hit.name, hit.reason)


def _data_problems(row: _Row, values: dict[str, list[tuple[str, str]]]) -> list[str]:
    """What :func:`~.persons.person_errors` finds, naming the file's column where it differs.

    The e-mail addresses were checked per column before, so they are left out here.
    """
    errors = person_errors(
        {
            "salutation": row.salutation,
            "title": row.title,
            "first_name": row.first_name,
            "last_name": row.last_name,
            "street": row.street,
            "postcode": row.postcode,
            "city": row.city,
            "municipality": row.municipality,
            "languages": row.languages,
            "source": row.source,
        },
        phones=row.phones + row.mobiles,
        roles=row.roles,
    )
    problems = []
    for name, message in errors.items():
        if name == "last_name" and not row.first_name and not row.last_name:
            shown = next(
                (
                    f"{FIELDS[field]} „{_one_line(found[0][0])}“"
                    for field in ("email", "email2", "organisation", "street", "phone", "mobile")
                    if (found := values.get(field))
                ),
                "",
            )
            hint = f" (nur {shown})" if shown else ""
            problems.append(f"{row.label}: Weder Vor- noch Nachname angegeben{hint}.")
            continue
        column = next(iter(values.get(name, [])), ("", ""))[1]
        where = f" – Spalte „{column}“" if column and column != FIELDS.get(name) else ""
        problems.append(f"{row.label}, {message.rstrip('.')}{where}.")
    return problems


def _clean(text: str) -> str:
    """:func:`clean_line` of a stripped cell; printable text (most cells) is clean already."""
    return text if text.isprintable() else clean_line(text)


def _one_line(text: str) -> str:
    """A multi-line cell (Outlook's street "Big Tower\\n123 Main Street") as one line."""
    if text.isprintable():  # no line break, nothing to clean
        return text.strip()
    parts: list[str] = []
    for line in filter(None, map(clean_line, text.splitlines())):
        if parts:
            parts.append(" " if parts[-1].endswith(",") else ", ")
        parts.append(line)
    return "".join(parts)


def _addresses(cell: str) -> list[str]:
    """The cleaned e-mail addresses of a (stripped) cell: "a@x.de; b@y.de", "a@x.de, …"."""
    if ";" in cell or "," in cell or ":::" in cell:
        return [value for part in _SPLIT_EMAILS.split(cell) if (value := clean_line(part))]
    cleaned = _clean(cell)
    return [cleaned] if cleaned else []


def _split(texts: list[str], *, keep_empty: bool = False) -> list[str]:
    """Cleaned cells holding several values ("a; b", Google's "a ::: b") as single values."""
    parts = [
        part.strip()
        for text in texts
        for part in (_SPLIT_VALUES.split(text) if ";" in text or ":::" in text else (text,))
    ]
    return parts if keep_empty else [p for p in parts if p]


def _split_salutation(text: str) -> tuple[str, str]:
    """ "Herr Dr." → ("Herr", "Dr."): salutation words apart from an academic title."""
    salutation: list[str] = []
    title: list[str] = []
    for word in text.split():
        (salutation if fold(word).rstrip(".") in _SALUTATIONS else title).append(word)
    return " ".join(salutation), " ".join(title)


def _split_full_name(text: str) -> tuple[str, str, str, str]:
    """Salutation, title, first and last name of a display name.

    "Müller, Anna" (one comma after at most three words) → last name first; "Dr. Anna Maria
    Müller" → leading salutation and titles apart, the last word is the last name; a single
    word is taken as the last name.
    """
    before, comma, after = text.partition(",")
    if comma and "," not in after and 0 < len(before.split()) <= 3 and after.strip():
        words = before.split()
        if fold(words[0]).rstrip(".") not in _SALUTATIONS and not _ACADEMIC.fullmatch(words[0]):
            return "", "", clean_line(after), clean_line(before)
    words = text.split()
    salutation: list[str] = []
    title: list[str] = []
    while len(words) > 1 and (
        fold(words[0]).rstrip(".") in _SALUTATIONS or _ACADEMIC.fullmatch(words[0])
    ):
        (title if _ACADEMIC.fullmatch(words[0]) else salutation).append(words.pop(0))
    if not words:
        return "", "", "", ""
    return " ".join(salutation), " ".join(title), " ".join(words[:-1]), words[-1]


def _resolved_mapping(table: ContactTable, mapping: dict[str, str] | None) -> dict[str, str]:
    """The mapping to use, checked: known columns and fields, a name column."""
    if mapping is None:
        mapping = table.mapping
    unknown_columns = [c for c in mapping if c not in table.columns]
    unknown_fields = sorted({f for f in mapping.values() if f not in FIELDS})
    problems = [f"Die Spalte „{c}“ gibt es in der Datei nicht." for c in unknown_columns]
    problems += [f"Ein Feld „{f}“ gibt es nicht." for f in unknown_fields]
    if not problems and not set(mapping.values()) & {"first_name", "last_name", "full_name"}:
        problems.append(
            "Keine Spalte der Datei enthält einen Namen. Erwartet wird z. B. „Vorname“ und "
            "„Nachname“ (Outlook), „First Name“/„Last Name“ (Google, Thunderbird) oder "
            "„Name“; gefundene Spalten: " + ", ".join(table.columns[:20]) + "."
        )
    if problems:
        raise ContactImportFailed(problems)
    return mapping


# --- preview and import --------------------------------------------------------------------


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while an import builds its rows.

    An import of 10,000 rows keeps some 100,000 small lists, tuples and row objects alive
    until it ends; the collector would walk them again and again, for nothing (they hold no
    cycles), and took a third of the import's time. Reference counting still frees
    everything else as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def preview_contacts(
    session: Session, path: Path, mapping: dict[str, str] | None = None
) -> ContactPreview:
    """Each row as it would be imported with ``mapping`` (default: the suggested one)."""
    table = read_contacts(path)
    used = _resolved_mapping(table, mapping)
    with _collector_paused():
        checked, _reader = _checked_rows(session, table, used)
    rows = []
    for row in checked:
        if row.problems:
            state, status = INVALID, f"{INVALID}: " + " ".join(_reasons(row))
        elif row.duplicate is not None:
            state, status = DUPLICATE, duplicate_status(row.duplicate)
        else:
            state, status = NEW, NEW
        rows.append(PreviewRow(row.label, _display(row), state, status))
    return ContactPreview(table, used, rows)


def _reasons(row: _Row) -> list[str]:
    """The row's problems without the leading row label."""
    return [p.removeprefix(row.label).lstrip(",: ") for p in row.problems]


def _display(row: _Row) -> dict[str, str]:
    """Target field → the text the row would store, for the non-empty fields."""
    shown = {
        "salutation": row.salutation,
        "title": row.title,
        "first_name": row.first_name,
        "last_name": row.last_name,
        "email": row.emails[0] if row.emails else "",
        "email2": VALUE_SEPARATOR.join(row.emails[1:]),
        "phone": VALUE_SEPARATOR.join(row.phones),
        "mobile": VALUE_SEPARATOR.join(row.mobiles),
        "organisation": VALUE_SEPARATOR.join(r.organisation_name for r in row.roles),
        "function": VALUE_SEPARATOR.join(r.function for r in row.roles),
        "street": row.street,
        "postcode": row.postcode,
        "city": row.city,
        "municipality": row.municipality,
        "languages": row.languages,
        "tags": ", ".join(row.tags),
        "notes": row.notes,
    }
    return {name: text for name, text in shown.items() if text}


def import_contacts(
    session: Session,
    path: Path,
    *,
    dry_run: bool = False,
    mapping: dict[str, str] | None = None,
) -> ContactImportReport:
    """Create a person for each new row of ``path``; all rows or none (ContactImportFailed).

    Duplicates (of existing people or of earlier rows) are skipped and listed in the report.
    With ``dry_run`` the file is only checked and nothing is written.
    """
    with _collector_paused():
        return _import(session, path, dry_run=dry_run, mapping=mapping)


def _import(
    session: Session, path: Path, *, dry_run: bool, mapping: dict[str, str] | None
) -> ContactImportReport:
    table = read_contacts(path)
    rows, reader = _checked_rows(session, table, _resolved_mapping(table, mapping))
    problems = [problem for row in rows for problem in row.problems]
    if problems:
        raise ContactImportFailed(problems)
    new = [row for row in rows if row.duplicate is None]
    keys: dict[str, str] = {}
    for row in new:
        for role in row.roles:
            keys.setdefault(
                bounded_fold(role.organisation_name, Organisation, "name_folded"),
                role.organisation_name,
            )
    existing = {
        key: (organisation.id, organisation.name)
        for key, organisation in existing_organisations(session, list(keys)).items()
    }
    created = [name for key, name in keys.items() if key not in existing]
    if not dry_run and new:
        with session.begin_nested():
            _store(session, new, existing, created, reader)
    return ContactImportReport(
        file_name=path.name,
        rows=len(rows),
        created=len(new),
        duplicates=[row.duplicate for row in rows if row.duplicate is not None],
        created_organisations=created,
        dry_run=dry_run,
    )


def _store(
    session: Session,
    rows: list[_Row],
    organisations: dict[str, tuple[int, str]],
    new_names: list[str],
    reader: _RowReader,
) -> None:
    """Insert the people with their contact data, roles and tags in bulk.

    ``organisations`` maps the folded names of the existing organisations to id and name;
    ``new_names`` are created. New tags go through the ORM. Everything else goes to the
    database in one ``executemany`` per table (:class:`_BulkWriter`): ORM objects, even
    Core inserts, make 10,000 rows take several times as long. The values are those
    :func:`~.persons.save_person` would store, the search text by the same function.
    """
    writer = _BulkWriter(session)
    if new_names:
        created = [new_organisation(name) for name in new_names]
        ids = writer.insert(
            Organisation,
            ("name", "kind", "name_folded", "search_text"),
            [(o.name, o.kind, o.name_folded, o.search_text) for o in created],
            ids=True,
        )
        for organisation, organisation_id in zip(created, ids, strict=True):
            organisations[organisation.name_folded] = (organisation_id, organisation.name)
        record_bulk_insert(session, Organisation, ids)
    tag_names = first_spellings(tag for row in rows for tag in row.tags)
    tags = existing_tags(session, list(tag_names))
    for folded, name in tag_names.items():
        if folded not in tags:
            tags[folded] = Tag(name=name, name_folded=folded)
            session.add(tags[folded])
    session.flush()
    tag_of = {name: tags[fold(name)] for name in dict.fromkeys(t for row in rows for t in row.tags)}
    organisation_of = {
        name: organisations[bounded_fold(name, Organisation, "name_folded")]
        for name in dict.fromkeys(r.organisation_name for row in rows for r in row.roles)
    }

    person_fields = attrgetter(*_PERSON_FIELDS)
    people = []
    row_tags: list[list[Tag]] = []
    for row in rows:
        person_tags = list(dict.fromkeys(tag_of[t] for t in row.tags))
        row_tags.append(person_tags)
        search_text = search_text_of(
            row,
            full_name=" ".join(p for p in (row.title, row.first_name, row.last_name) if p),
            emails=row.emails,
            phones=row.phones + row.mobiles,
            organisations=[organisation_of[r.organisation_name][1] for r in row.roles],
            functions=[r.function for r in row.roles],
            tags=[t.name for t in person_tags],
            languages=reader.language_list(row.languages),
            fold_text=reader.folds.__getitem__,
        )
        people.append((*person_fields(row), row.name_key, search_text))
    columns = (*_PERSON_FIELDS, "name_folded", "search_text")
    ids = writer.insert(Person, columns, people, ids=True)
    record_bulk_insert(session, Person, ids)
    emails: list[tuple[object, ...]] = []
    phones: list[tuple[object, ...]] = []
    roles: list[tuple[object, ...]] = []
    links: list[tuple[object, ...]] = []
    for person_id, row, person_tags in zip(ids, rows, row_tags, strict=True):
        emails.extend(
            (person_id, address, key, "")
            for address, key in zip(row.emails, row.email_keys, strict=True)
        )
        phones.extend((person_id, number, "") for number in row.phones)
        phones.extend((person_id, number, MOBILE_LABEL) for number in row.mobiles)
        roles.extend(
            (person_id, organisation_of[r.organisation_name][0], r.function) for r in row.roles
        )
        links.extend((person_id, tag.id) for tag in person_tags)
    writer.insert(PersonEmail, ("person_id", "address", "address_folded", "label"), emails)
    writer.insert(PersonPhone, ("person_id", "number", "label"), phones)
    writer.insert(PersonRole, ("person_id", "organisation_id", "function"), roles)
    writer.insert(person_tag, ("person_id", "tag_id"), links)


def _new_uids(count: int) -> list[str]:
    """``count`` texts as :func:`~integrationsmanager.domain.base.new_uid` makes them.

    Random version-4 UUIDs ("1b4e28ba-2fa1-41d2-883f-0016d3cca427"), from one call for
    random bytes instead of one ``uuid.uuid4()`` object each.
    """
    raw = bytearray(os.urandom(16 * count))
    raw[6::16] = bytes(byte & 0x0F | 0x40 for byte in raw[6::16])  # version 4
    raw[8::16] = bytes(byte & 0x3F | 0x80 for byte in raw[8::16])  # RFC 4122 variant
    digits = raw.hex()
    return [
        f"{digits[i : i + 8]}-{digits[i + 8 : i + 12]}-{digits[i + 12 : i + 16]}-"
        f"{digits[i + 16 : i + 20]}-{digits[i + 20 : i + 32]}"
        for i in range(0, 32 * count, 32)
    ]


class _BulkWriter:
    """Inserts many rows per table as one ``executemany`` of the database driver.

    Bulk inserts bypass the session's flush hooks, so the sync columns are filled here:
    a new ``uid`` per row, ``created_at``/``updated_at`` once per import and the session's
    user in ``updated_by``; other columns left out get their scalar defaults. Values pass
    through the columns' own bind processing (UTC timestamps as SQLite stores them); only
    SQLite takes the driver's path, other databases get a plain Core insert of the same
    values.
    """

    _TRACKED = ("uid", "created_at", "updated_at", "updated_by")

    def __init__(self, session: Session) -> None:
        self.connection = session.connection()
        self.editor = session_user(session)
        self.now = utcnow()

    def insert(
        self,
        target: type[Base] | Table,
        columns: Sequence[str],
        rows: Sequence[tuple[object, ...]],
        *,
        ids: bool = False,
    ) -> list[int]:
        """Insert ``rows`` (values of ``columns``); with ``ids`` their new ids, in order."""
        if not rows:
            return []
        table = target if isinstance(target, Table) else cast(Table, target.__table__)
        fixed: dict[str, object] = {}
        for column in table.columns:
            if column.key in columns or column.key == "uid" or column.primary_key:
                continue
            if column.key in self._TRACKED:
                fixed[column.key] = self.editor if column.key == "updated_by" else self.now
            elif isinstance(column.default, ColumnDefault) and column.default.is_scalar:
                fixed[column.key] = column.default.arg
            elif column.default is not None:
                raise TypeError(f"{table.name}.{column.key}: no fixed default for a bulk insert")
        uids = _new_uids(len(rows)) if "uid" in table.c and "uid" not in columns else []
        names = (["uid"] if uids else []) + [*fixed, *columns]
        if ids:
            before = self.connection.execute(select(func.max(table.c.id))).scalar() or 0
        dialect = self.connection.dialect
        if dialect.paramstyle == "qmark":
            self._executemany(table, names, uids, fixed, columns, rows)
        else:
            firsts = [(uid,) for uid in uids] if uids else [()] * len(rows)
            constants = tuple(fixed.values())
            self.connection.execute(
                insert(table),
                [
                    dict(zip(names, first + constants + row, strict=True))
                    for first, row in zip(firsts, rows, strict=True)
                ],
            )
        if not ids:
            return []
        return self._ids(table, before, uids)

    def _executemany(
        self,
        table: Table,
        names: list[str],
        uids: list[str],
        fixed: dict[str, object],
        columns: Sequence[str],
        rows: Sequence[tuple[object, ...]],
    ) -> None:
        """The insert through the driver, values processed as Core would (timestamps)."""
        dialect = self.connection.dialect

        def processor(name: str) -> Callable[[Any], Any] | None:
            return table.c[name].type.dialect_impl(dialect).bind_processor(dialect)

        constants = tuple(
            value if (process := processor(name)) is None else process(value)
            for name, value in fixed.items()
        )
        processors = [processor(name) for name in columns]
        if any(processors):  # not on SQLite for texts and numbers: its driver takes them as is
            rows = [
                tuple(v if p is None else p(v) for v, p in zip(row, processors, strict=True))
                for row in rows
            ]
        if uids:
            values = [(uid, *constants, *row) for uid, row in zip(uids, rows, strict=True)]
        else:
            values = [(*constants, *row) for row in rows]
        quote = dialect.identifier_preparer.quote
        self.connection.exec_driver_sql(
            f"INSERT INTO {quote(table.name)} ({', '.join(map(quote, names))}) "
            f"VALUES ({', '.join('?' * len(names))})",
            values,
        )

    def _ids(self, table: Table, before: int, uids: list[str]) -> list[int]:
        """The ids of the rows just inserted with ``uids``, in their order.

        Each new row gets an id above the largest before. SQLite gives each row the largest
        id plus one, so rows inserted one after the other in one transaction have ids
        ``before + 1`` … in their order; that is checked, else each row is found by its uid.
        """
        id_ = table.c.id
        if self.connection.dialect.name == "sqlite":
            count, low, high = self.connection.execute(
                select(func.count(), func.min(id_), func.max(id_)).where(id_ > before)
            ).one()
            if count == len(uids) and high - low + 1 == count:
                return list(range(low, high + 1))
        query = select(table.c.uid, id_)
        id_of = {uid: value for uid, value in self.connection.execute(query.where(id_ > before))}
        if any(uid not in id_of for uid in uids):
            for chunk in chunks(uids):  # ids were reused: find each row by its uid
                found = self.connection.execute(query.where(table.c.uid.in_(chunk)))
                id_of.update((uid, value) for uid, value in found)
        return [id_of[uid] for uid in uids]


# --- export ------------------------------------------------------------------------------------


def export_persons(session: Session, path: Path) -> int:
    """Write every person (not erased) to ``path`` (.xlsx, .csv or .vcf); return the number."""
    suffix = _export_suffix(path, "Personen")
    people = session.execute(
        select(
            Person.id,
            Person.salutation,
            Person.title,
            Person.first_name,
            Person.last_name,
            Person.street,
            Person.postcode,
            Person.city,
            Person.municipality,
            Person.languages,
            Person.notes,
        )
        .where(Person.erased.is_(False))
        .order_by(Person.name_folded, Person.id)
    ).all()
    emails: dict[int, list[str]] = _grouped(
        session, select(PersonEmail.person_id, PersonEmail.address).order_by(PersonEmail.id)
    )
    phones: dict[int, list[tuple[str, str]]] = _grouped(
        session,
        select(PersonPhone.person_id, PersonPhone.number, PersonPhone.label).order_by(
            PersonPhone.id
        ),
    )
    roles: dict[int, list[tuple[str, str]]] = _grouped(
        session,
        select(PersonRole.person_id, Organisation.name, PersonRole.function)
        .join(Organisation, Organisation.id == PersonRole.organisation_id)
        .order_by(PersonRole.id),
    )
    tags: dict[int, list[str]] = _grouped(
        session,
        select(person_tag.c.person_id, Tag.name)
        .join(Tag, Tag.id == person_tag.c.tag_id)
        .order_by(Tag.name_folded, Tag.name),
    )
    if suffix == ".vcf":
        cards = []
        for p in people:
            numbers = phones.get(p.id, [])
            organisation, function = roles[p.id][0] if p.id in roles else ("", "")
            full_name = " ".join(n for n in (p.title, p.first_name, p.last_name) if n)
            cards.append(
                Card(
                    full_name=full_name or f"Person {p.id}",
                    family=p.last_name,
                    given=p.first_name,
                    prefix=" ".join(n for n in (p.salutation, p.title) if n),
                    organisation=organisation,
                    function=function,
                    emails=emails.get(p.id, []),
                    phones=[n for n, label in numbers if label != MOBILE_LABEL],
                    mobiles=[n for n, label in numbers if label == MOBILE_LABEL],
                    street=p.street,
                    postcode=p.postcode,
                    city=p.city,
                    municipality=p.municipality,
                    languages=p.languages,
                    categories=tags.get(p.id, []),
                    note=p.notes,
                )
            )
        _write_vcf(path, cards)
        return len(cards)
    rows: list[list[str]] = []
    for p in people:
        numbers = phones.get(p.id, [])
        person_roles = roles.get(p.id, [])
        addresses = emails.get(p.id, [])
        rows.append(
            [
                p.salutation,
                p.title,
                p.first_name,
                p.last_name,
                addresses[0] if addresses else "",
                VALUE_SEPARATOR.join(addresses[1:]),
                VALUE_SEPARATOR.join(n for n, label in numbers if label != MOBILE_LABEL),
                VALUE_SEPARATOR.join(n for n, label in numbers if label == MOBILE_LABEL),
                VALUE_SEPARATOR.join(name for name, _ in person_roles),
                VALUE_SEPARATOR.join(function for _, function in person_roles),
                p.street,
                p.postcode,
                p.city,
                p.municipality,
                p.languages,
                ", ".join(tags.get(p.id, [])),
                p.notes,
            ]
        )
    _write_table(path, suffix, "Personen", PERSON_COLUMNS, rows, personal_data=True)
    return len(rows)


def export_organisations(session: Session, path: Path) -> int:
    """Write every organisation to ``path`` (.xlsx, .csv or .vcf); return their number."""
    suffix = _export_suffix(path, "Organisationen")
    organisations = list(
        session.scalars(select(Organisation).order_by(Organisation.name_folded, Organisation.id))
    )
    guidelines: dict[int, list[int]] = _grouped(
        session,
        select(organisation_guideline.c.organisation_id, Guideline.number)
        .join(Guideline, Guideline.id == organisation_guideline.c.guideline_id)
        .order_by(Guideline.number),
    )
    tags: dict[int, list[str]] = _grouped(
        session,
        select(organisation_tag.c.organisation_id, Tag.name)
        .join(Tag, Tag.id == organisation_tag.c.tag_id)
        .order_by(Tag.name_folded, Tag.name),
    )
    if suffix == ".vcf":
        cards = [
            Card(
                full_name=o.name,
                organisation=o.name,
                emails=[o.email] if o.email else [],
                phones=[o.phone] if o.phone else [],
                street=o.street,
                postcode=o.postcode,
                city=o.city,
                municipality=o.municipality,
                website=o.website,
                categories=tags.get(o.id, []),
                note=o.notes,
                is_organisation=True,
            )
            for o in organisations
        ]
        _write_vcf(path, cards)
        return len(cards)
    rows = [
        [
            o.name,
            OrganisationKind(o.kind).label if o.kind in set(OrganisationKind) else o.kind,
            o.street,
            o.postcode,
            o.city,
            o.municipality,
            o.phone,
            o.email,
            o.website,
            o.register_number,
            format_iban(o.iban),
            ", ".join(str(n) for n in guidelines.get(o.id, [])),
            ", ".join(tags.get(o.id, [])),
            "ja" if o.active else "nein",
            o.notes,
        ]
        for o in organisations
    ]
    _write_table(path, suffix, "Organisationen", ORGANISATION_COLUMNS, rows)
    return len(rows)


def _export_suffix(path: Path, what: str) -> str:
    suffix = path.suffix.casefold()
    if suffix not in EXPORT_SUFFIXES:
        raise UserError(
            f"{what} können als Excel-Datei (.xlsx), CSV-Datei (.csv) oder vCard-Datei (.vcf) "
            f"exportiert werden, nicht als „{path.name}“."
        )
    return suffix


def _grouped(session: Session, statement: Select[*tuple[Any, ...]]) -> dict[int, list[Any]]:
    """First column → the rest of each row: one value, or a tuple of several."""
    grouped: dict[int, list[Any]] = {}
    for key, *rest in session.execute(statement):
        grouped.setdefault(key, []).append(rest[0] if len(rest) == 1 else tuple(rest))
    return grouped


def _write_vcf(path: Path, cards: list[Card]) -> None:
    data = write_vcards(cards).encode("utf-8")

    def write(target: Path) -> None:
        target.write_bytes(data)

    write_atomically(path, write)


def _write_table(
    path: Path,
    suffix: str,
    title: str,
    columns: tuple[str, ...],
    rows: list[list[str]],
    *,
    personal_data: bool = False,
) -> None:
    """CSV or xlsx; a CSV cannot carry the personal-data notice (see domain.privacy)."""
    if suffix == ".csv":
        write_csv(path, columns, rows)
    else:
        write_xlsx(path, columns, rows, title=title, widths=_WIDTHS, personal_data=personal_data)
