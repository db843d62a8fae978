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
neutralised as in :mod:`.measure_io`) and vCard 3.0 (.vcf). An export of people imports again
unchanged: several e-mail addresses, phone numbers and roles share a cell, separated by
``; `` (roles: organisations and functions in the same order). A vCard holds the first role.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlalchemy import Connection, Select, Table, insert, select
from sqlalchemy.orm import Session

from integrationsmanager.domain.base import Base, new_uid, utcnow
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
from integrationsmanager.services.measure_io import (
    EXCEL_CELL_MAX,
    _existing_organisations,
    _existing_tags,
    _first_spellings,
    _neutralise,
    _write_atomically,
)
from integrationsmanager.services.organisations import (
    bounded_fold,
    canonical_municipality,
    clean_tags,
    column_length,
    email_error,
    format_iban,
    length_error,
    new_organisation,
)
from integrationsmanager.services.persons import (
    PersonData,
    RoleData,
    join_languages,
    list_name,
    name_folded,
    person_search_text,
)
from integrationsmanager.storage.tracking import session_user

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

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
_DEFAULT_WIDTH = 16


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
    try:
        raw = path.read_bytes()
    except FileNotFoundError as err:
        raise UserError(f"Die Datei „{path}“ gibt es nicht.") from err
    except OSError as err:
        raise UserError(
            f"Die Datei „{path}“ kann nicht gelesen werden ({err.strerror or err})."
        ) from err
    suffix = path.suffix.casefold()
    if raw.startswith((_ZIP, _OLE)):
        return read_spreadsheet(path)
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


@dataclass
class _Row:
    """A row of the file as the import sees it."""

    label: str
    data: PersonData
    mobiles: list[str]
    """The numbers of ``data.phones`` that came from a mobile column."""
    problems: list[str] = field(default_factory=list)
    duplicate: DuplicateRow | None = None


def _checked_rows(session: Session, table: ContactTable, mapping: dict[str, str]) -> list[_Row]:
    """Every row mapped, validated and compared with the database and the rows before it."""
    index = DuplicateIndex.build(session)
    mapped = table.mapped_columns(mapping)
    rows: list[_Row] = []
    for position in range(len(table.rows)):
        row = _map_row(table, position, mapped)
        rows.append(row)
        if row.problems:
            continue
        data = row.data
        hits = index.person_hits(
            first_name=data.first_name,
            last_name=data.last_name,
            emails=data.emails,
            municipality=data.municipality,
        )
        if hits:
            row.duplicate = _duplicate(row, hits, rows)
        else:
            index.remember_person(
                -(position + 1),  # rows of the file: negative, apart from the people's ids
                first_name=data.first_name,
                last_name=data.last_name,
                emails=data.emails,
                municipality=data.municipality,
            )
    return rows


def _duplicate(row: _Row, hits: list[DuplicateHit], rows: list[_Row]) -> DuplicateRow:
    """The row as a duplicate of the first existing person hit, else of an earlier row."""
    hit = min(hits, key=lambda h: (h.id < 0, abs(h.id)))
    name = list_name(row.data.first_name, row.data.last_name)
    if hit.id < 0:
        earlier = rows[-hit.id - 1]
        return DuplicateRow(row.label, name, None, f"{earlier.label}: {hit.name}", hit.reason)
    return DuplicateRow(row.label, name, hit.id, hit.name, hit.reason)


def _map_row(table: ContactTable, position: int, mapped: list[tuple[int, str, str]]) -> _Row:
    """The person a row describes and the problems found in it."""
    label = table.row_label(position)
    values = table.values(position, mapped)
    problems: list[str] = []

    cleaned = {name: [clean_line(value) for value, _ in found] for name, found in values.items()}

    def texts(name: str) -> list[str]:
        return cleaned.get(name, [])

    def first(name: str) -> str:
        return next((t for t in cleaned.get(name, ()) if t), "")

    salutation, title = _split_salutation(" ".join(texts("salutation")))
    title = first("title") or title
    first_name = " ".join(texts("first_name"))
    last_name = first("last_name")
    if not first_name and not last_name:
        salutation_2, title_2, first_name, last_name = _split_full_name(first("full_name"))
        salutation, title = salutation or salutation_2, title or title_2

    emails: dict[str, str] = {}
    for target in ("email", "email2"):
        for value, column in values.get(target, []):
            for address in filter(None, map(clean_line, _SPLIT_EMAILS.split(value))):
                problem = length_error(PersonEmail, "address", address, column) or email_error(
                    address
                )
                if problem:
                    problems.append(f"{label}, {column}: {problem.removeprefix(column + ': ')}")
                emails.setdefault(fold(address), address)
    mobiles = list(dict.fromkeys(_split(texts("mobile"))))
    phones = [p for p in dict.fromkeys(_split(texts("phone"))) if p not in mobiles]

    notes = [clean_text(value) for value, _ in values.get("notes", [])]
    if table.row_word == CARD_WORD:  # a card names one organisation; ";" belongs to it
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
    data = PersonData(
        first_name=first_name,
        last_name=last_name,
        salutation=salutation,
        title=title,
        emails=list(emails.values()),
        phones=phones + mobiles,
        languages=", ".join(texts("languages")),
        street=_one_line(_first_raw(values, "street")),
        postcode=first("postcode"),
        city=first("city"),
        municipality=canonical_municipality(first("municipality")),
        roles=roles,
        tags=clean_tags(tags),
        notes="\n".join(n for n in notes if n),
        source=source[: column_length(Person, "source") or len(source)],
    )
    if table.kinds and table.kinds[position] == "organisation":
        name = first("organisation") or first("full_name")
        problems.append(
            f"{label}: Die Karte beschreibt eine Organisation („{name}“), keine Person; "
            "Organisationen werden hier nicht importiert."
        )
    else:
        problems.extend(_data_problems(label, data, values))
    return _Row(label, data, mobiles, problems)


def _data_problems(
    label: str, data: PersonData, values: dict[str, list[tuple[str, str]]]
) -> list[str]:
    """What :meth:`PersonData.errors` finds, naming the file's column where it differs.

    The e-mail addresses were checked per column before, so they are left out here.
    """
    emails, data.emails = data.emails, []
    try:
        errors = data.errors()
    finally:
        data.emails = emails
    problems = []
    for name, message in errors.items():
        if name == "last_name" and not data.first_name and not data.last_name:
            shown = next(
                (
                    f"{FIELDS[field]} „{_one_line(found[0][0])}“"
                    for field in ("email", "email2", "organisation", "street", "phone", "mobile")
                    if (found := values.get(field))
                ),
                "",
            )
            hint = f" (nur {shown})" if shown else ""
            problems.append(f"{label}: Weder Vor- noch Nachname angegeben{hint}.")
            continue
        column = next(iter(values.get(name, [])), ("", ""))[1]
        where = f" – Spalte „{column}“" if column and column != FIELDS.get(name) else ""
        problems.append(f"{label}, {message.rstrip('.')}{where}.")
    return problems


def _first_raw(values: dict[str, list[tuple[str, str]]], name: str) -> str:
    return next((v for v, _ in values.get(name, []) if v.strip()), "")


def _one_line(text: str) -> str:
    """A multi-line cell (Outlook's street "Big Tower\\n123 Main Street") as one line."""
    parts: list[str] = []
    for line in filter(None, map(clean_line, text.splitlines())):
        if parts:
            parts.append(" " if parts[-1].endswith(",") else ", ")
        parts.append(line)
    return "".join(parts)


def _split(texts: list[str], *, keep_empty: bool = False) -> list[str]:
    """Cells holding several values ("a; b", Google's "a ::: b") as single values."""
    parts = [part.strip() for text in texts for part in _SPLIT_VALUES.split(text)]
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


def preview_contacts(
    session: Session, path: Path, mapping: dict[str, str] | None = None
) -> ContactPreview:
    """Each row as it would be imported with ``mapping`` (default: the suggested one)."""
    table = read_contacts(path)
    used = _resolved_mapping(table, mapping)
    rows = []
    for row in _checked_rows(session, table, used):
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
    data = row.data
    phones = [p for p in data.phones if p not in row.mobiles]
    shown = {
        "salutation": data.salutation,
        "title": data.title,
        "first_name": data.first_name,
        "last_name": data.last_name,
        "email": data.emails[0] if data.emails else "",
        "email2": VALUE_SEPARATOR.join(data.emails[1:]),
        "phone": VALUE_SEPARATOR.join(phones),
        "mobile": VALUE_SEPARATOR.join(row.mobiles),
        "organisation": VALUE_SEPARATOR.join(r.organisation_name for r in data.roles),
        "function": VALUE_SEPARATOR.join(r.function for r in data.roles),
        "street": data.street,
        "postcode": data.postcode,
        "city": data.city,
        "municipality": data.municipality,
        "languages": join_languages(data.languages),
        "tags": ", ".join(data.tags),
        "notes": data.notes,
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
    table = read_contacts(path)
    rows = _checked_rows(session, table, _resolved_mapping(table, mapping))
    problems = [problem for row in rows for problem in row.problems]
    if problems:
        raise ContactImportFailed(problems)
    new = [row for row in rows if row.duplicate is None]
    keys: dict[str, str] = {}
    for row in new:
        for role in row.data.roles:
            keys.setdefault(
                bounded_fold(role.organisation_name, Organisation, "name_folded"),
                role.organisation_name,
            )
    existing = {
        key: (organisation.id, organisation.name)
        for key, organisation in _existing_organisations(session, list(keys)).items()
    }
    created = [name for key, name in keys.items() if key not in existing]
    if not dry_run and new:
        with session.begin_nested():
            _store(session, new, existing, created)
    return ContactImportReport(
        file_name=path.name,
        rows=len(rows),
        created=len(new),
        duplicates=[row.duplicate for row in rows if row.duplicate is not None],
        created_organisations=created,
        dry_run=dry_run,
    )


@dataclass
class _SearchView:
    """The attributes :func:`person_search_text` reads, without building ORM objects.

    Transient ``Person`` objects with e-mail, phone and role objects for every row would
    cost more than the bulk insert itself; the search text is the same either way.
    """

    full_name: str
    first_name: str
    last_name: str
    emails: list[PersonEmail]
    phones: list[PersonPhone]
    roles: list[PersonRole]
    tags: list[Tag]
    street: str
    postcode: str
    city: str
    municipality: str
    languages: str


@dataclass
class _Named:
    """Stands in for an e-mail, phone, organisation, role or tag in :class:`_SearchView`."""

    address: str = ""
    number: str = ""
    name: str = ""
    function: str = ""
    organisation: _Named | None = None


def _store(
    session: Session,
    rows: list[_Row],
    organisations: dict[str, tuple[int, str]],
    new_names: list[str],
) -> None:
    """Insert the people with their contact data, roles and tags as bulk statements.

    ``organisations`` maps the folded names of the existing organisations to id and name;
    ``new_names`` are created. New tags go through the ORM. Everything else is a plain Core
    insert: ORM objects (or even ORM bulk inserts) make 10,000 rows take several times as
    long. Core bypasses the session's flush hooks, so the sync columns (``uid``, timestamps,
    ``updated_by``) are filled here.
    """
    editor = session_user(session)
    now = utcnow()

    def tracked() -> dict[str, object]:
        return {"uid": new_uid(), "created_at": now, "updated_at": now, "updated_by": editor}

    connection = session.connection()
    if new_names:
        values = []
        for name in new_names:
            organisation = new_organisation(name)
            values.append(
                {
                    **tracked(),
                    "name": organisation.name,
                    "kind": organisation.kind,
                    "name_folded": organisation.name_folded,
                    "search_text": organisation.search_text,
                }
            )
        ids = _insert(connection, Organisation, values)
        for value, organisation_id in zip(values, ids, strict=True):
            organisations[str(value["name_folded"])] = (organisation_id, str(value["name"]))
    tag_names = _first_spellings(tag for row in rows for tag in row.data.tags)
    tags = _existing_tags(session, list(tag_names))
    for folded, name in tag_names.items():
        if folded not in tags:
            tags[folded] = Tag(name=name, name_folded=folded)
            session.add(tags[folded])
    session.flush()
    organisation_of = {
        role.organisation_name: organisations[
            bounded_fold(role.organisation_name, Organisation, "name_folded")
        ]
        for row in rows
        for role in row.data.roles
    }

    people = []
    tag_ids: list[list[int]] = []
    for row in rows:
        data = row.data
        languages = join_languages(data.languages)
        row_tags = list(dict.fromkeys(tags[fold(t)] for t in data.tags))
        tag_ids.append([t.id for t in row_tags])
        view = _SearchView(
            full_name=" ".join(p for p in (data.title, data.first_name, data.last_name) if p),
            first_name=data.first_name,
            last_name=data.last_name,
            emails=cast(list[PersonEmail], [_Named(address=a) for a in data.emails]),
            phones=cast(list[PersonPhone], [_Named(number=n) for n in data.phones]),
            roles=cast(
                list[PersonRole],
                [
                    _Named(
                        function=r.function,
                        organisation=_Named(name=organisation_of[r.organisation_name][1]),
                    )
                    for r in data.roles
                ],
            ),
            tags=row_tags,
            street=data.street,
            postcode=data.postcode,
            city=data.city,
            municipality=data.municipality,
            languages=languages,
        )
        people.append(
            {
                **tracked(),
                "salutation": data.salutation,
                "title": data.title,
                "first_name": data.first_name,
                "last_name": data.last_name,
                "street": data.street,
                "postcode": data.postcode,
                "city": data.city,
                "municipality": data.municipality,
                "languages": languages,
                "notes": data.notes,
                "source": data.source,
                "name_folded": name_folded(data.first_name, data.last_name),
                "search_text": person_search_text(cast(Person, view)),
            }
        )
    ids = _insert(connection, Person, people)
    emails: list[dict[str, object]] = []
    phones: list[dict[str, object]] = []
    roles: list[dict[str, object]] = []
    links: list[dict[str, object]] = []
    for person_id, row, row_tag_ids in zip(ids, rows, tag_ids, strict=True):
        for address in row.data.emails:
            emails.append(
                {
                    **tracked(),
                    "person_id": person_id,
                    "address": address,
                    "address_folded": bounded_fold(address, PersonEmail, "address_folded"),
                    "label": "",
                }
            )
        for number in row.data.phones:
            label = MOBILE_LABEL if number in row.mobiles else ""
            phones.append({**tracked(), "person_id": person_id, "number": number, "label": label})
        for role in row.data.roles:
            roles.append(
                {
                    **tracked(),
                    "person_id": person_id,
                    "organisation_id": organisation_of[role.organisation_name][0],
                    "function": role.function,
                }
            )
        links.extend({"person_id": person_id, "tag_id": tag_id} for tag_id in row_tag_ids)
    for table, values in (
        (cast(Table, PersonEmail.__table__), emails),
        (cast(Table, PersonPhone.__table__), phones),
        (cast(Table, PersonRole.__table__), roles),
        (person_tag, links),
    ):
        if values:
            connection.execute(insert(table), values)


def _insert(
    connection: Connection, model: type[Base], values: list[dict[str, object]]
) -> list[int]:
    """Insert ``values`` into ``model``'s table; the new ids in the order of ``values``.

    RETURNING in the order of the rows would make SQLite insert them one by one; the ids are
    matched by uid instead, so the rows go in batches.
    """
    table = cast(Table, model.__table__)
    returned = connection.execute(insert(table).returning(table.c.id, table.c.uid), values)
    id_of = {uid: record_id for record_id, uid in returned}
    return [id_of[value["uid"]] for value in values]


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
    _write_table(path, suffix, "Personen", PERSON_COLUMNS, rows)
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

    _write_atomically(path, write)


def _write_table(
    path: Path, suffix: str, title: str, columns: tuple[str, ...], rows: list[list[str]]
) -> None:
    cells = [[_neutralise(value) if value else "" for value in row] for row in rows]
    if suffix == ".csv":
        _write_atomically(path, lambda target: _write_csv(target, columns, cells))
    else:
        _check_cell_lengths(columns, cells)
        _write_atomically(path, lambda target: _write_xlsx(target, title, columns, cells))


def _write_csv(target: Path, columns: tuple[str, ...], rows: list[list[str]]) -> None:
    with target.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(columns)
        writer.writerows(rows)


def _check_cell_lengths(columns: tuple[str, ...], rows: list[list[str]]) -> None:
    for number, row in enumerate(rows, start=2):
        for column, value in zip(columns, row, strict=True):
            if len(value) > EXCEL_CELL_MAX:
                raise UserError(
                    f"Zeile {number}: Der Text in „{column}“ ist länger, als eine Excel-Zelle "
                    f"fassen kann ({EXCEL_CELL_MAX} Zeichen). Bitte als CSV-Datei exportieren."
                )


def _write_xlsx(target: Path, title: str, columns: tuple[str, ...], rows: list[list[str]]) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS.get(
            column, _DEFAULT_WIDTH
        )
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
    sheet.append(_header(sheet, columns))
    for row in rows:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", value) or None for value in row])
    # Into memory first: a write-only workbook whose save fails (a missing folder) leaves an
    # open sheet behind that complains when it is collected.
    buffer = io.BytesIO()
    workbook.save(buffer)
    target.write_bytes(buffer.getvalue())


def _header(sheet: WriteOnlyWorksheet, columns: tuple[str, ...]) -> list[WriteOnlyCell]:
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column)
        cell.font = bold
        header.append(cell)
    return header
