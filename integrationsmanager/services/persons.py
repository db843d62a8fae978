"""People of the network: save with validation, delete, load, and what the lists search.

A person's ``search_text`` holds the folded name, e-mail addresses, phone numbers, the
organisations and functions of their roles, tags, languages and address, so that one search
field finds a person by any of them. Languages sit in a marked segment of that text
(``␞ arabisch ␞ dari ␞``) so that the language filter matches whole languages only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session, selectinload

from integrationsmanager.domain.errors import UserError, ValidationError
from integrationsmanager.domain.funding import Grant
from integrationsmanager.domain.labels import PERSON_FIELD_LABELS
from integrationsmanager.domain.meetings import ActionItem, AgendaItem, Attendance, Membership
from integrationsmanager.domain.network import (
    Activity,
    Organisation,
    Person,
    PersonEmail,
    PersonPhone,
    PersonRole,
)
from integrationsmanager.domain.text import (
    clean_line,
    clean_text,
    fold,
    like_pattern,
    search_blob,
)
from integrationsmanager.services.measures import ID_CHUNK
from integrationsmanager.services.organisations import (
    bounded_fold,
    canonical_municipality,
    clean_tags,
    email_error,
    length_error,
    resolve_names,
)
from integrationsmanager.services.tags import resolve_tags

LANGUAGE_MARK = "\u241e"
"""Bounds each language in a person's search text (␞, never typed into a form)."""


LEGAL_BASIS_CONSENT = "Einwilligung (Art. 6 Abs. 1 lit. a DSGVO)"
LEGAL_BASES = (
    LEGAL_BASIS_CONSENT,
    "Vertrag (Art. 6 Abs. 1 lit. b DSGVO)",
    "Rechtliche Verpflichtung (Art. 6 Abs. 1 lit. c DSGVO)",
    "Öffentliche Aufgabe (Art. 6 Abs. 1 lit. e DSGVO i. V. m. ThürDSG)",
)
"""The usual legal bases of a district office; "berechtigtes Interesse" (lit. f) is left out
because Art. 6 Abs. 1 Satz 2 DSGVO excludes it for authorities performing their tasks."""


@dataclass
class RoleData:
    """A person's function in an organisation; the organisation by id or by name.

    A name that matches no organisation (ignoring case and umlaut spelling) creates one.
    """

    organisation_id: int | None = None
    organisation_name: str = ""
    function: str = ""
    valid_from: date | None = None
    valid_to: date | None = None


@dataclass
class PersonData:
    """The editable fields of a person, as an editor or an import row delivers them."""

    first_name: str = ""
    last_name: str = ""
    salutation: str = ""
    title: str = ""
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    languages: str = ""
    """Comma-separated as typed ("Arabisch, Dari")."""
    street: str = ""
    postcode: str = ""
    city: str = ""
    municipality: str = ""
    roles: list[RoleData] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    notes: str = ""
    consent_given_on: date | None = None
    consent_purpose: str = ""
    consent_how: str = ""
    consent_withdrawn_on: date | None = None
    legal_basis: str = ""
    purpose: str = ""
    source: str = ""

    def errors(self) -> dict[str, str]:
        """Field name → German message; empty when the record can be saved."""
        lines = {name: clean_line(getattr(self, name)) for name in PERSON_FIELD_LABELS}
        lines["municipality"] = canonical_municipality(self.municipality)
        lines["languages"] = join_languages(self.languages)
        return person_errors(
            lines,
            emails=map(clean_line, self.emails),
            phones=map(clean_line, self.phones),
            roles=self.roles,
            consent_given_on=self.consent_given_on,
            consent_withdrawn_on=self.consent_withdrawn_on,
        )

    @classmethod
    def from_person(cls, person: Person) -> PersonData:
        return cls(
            first_name=person.first_name,
            last_name=person.last_name,
            salutation=person.salutation,
            title=person.title,
            emails=[e.address for e in person.emails],
            phones=[p.number for p in person.phones],
            languages=person.languages,
            street=person.street,
            postcode=person.postcode,
            city=person.city,
            municipality=person.municipality,
            roles=[
                RoleData(
                    organisation_id=r.organisation_id,
                    organisation_name=r.organisation.name,
                    function=r.function,
                    valid_from=r.valid_from,
                    valid_to=r.valid_to,
                )
                for r in person.roles
            ],
            tags=[t.name for t in person.tags],
            notes=person.notes,
            consent_given_on=person.consent_given_on,
            consent_purpose=person.consent_purpose,
            consent_how=person.consent_how,
            consent_withdrawn_on=person.consent_withdrawn_on,
            legal_basis=person.legal_basis,
            purpose=person.purpose,
            source=person.source,
        )


def person_errors(
    lines: Mapping[str, str],
    *,
    emails: Iterable[str] = (),
    phones: Iterable[str] = (),
    roles: Iterable[RoleData] = (),
    consent_given_on: date | None = None,
    consent_withdrawn_on: date | None = None,
) -> dict[str, str]:
    """Field name → German message for a person with these values; empty when it can be saved.

    The one rule for editors (:meth:`PersonData.errors`) and the contact import. ``lines`` are
    one-line fields (keys of :data:`PERSON_FIELD_LABELS`) as they would be stored: cleaned,
    the municipality canonical, the languages joined; a missing one is empty. The legal basis
    "Einwilligung" needs the date of the consent. E-mail
    addresses and phone numbers come cleaned too.
    """
    errors: dict[str, str] = {}
    if not lines.get("first_name") and not lines.get("last_name"):
        errors["last_name"] = "Bitte einen Vor- oder Nachnamen eingeben."
    for column, value in lines.items():
        if value and column not in errors:
            message = length_error(Person, column, value, PERSON_FIELD_LABELS[column])
            if message:
                errors[column] = message
    email_problems = [problem for address in emails if (problem := email_address_error(address))]
    if email_problems:
        errors["emails"] = " ".join(email_problems)
    phone_problems = [
        problem
        for number in phones
        if (problem := length_error(PersonPhone, "number", number, "Telefon"))
    ]
    if phone_problems:
        errors["phones"] = " ".join(phone_problems)
    if consent_given_on and consent_withdrawn_on and consent_withdrawn_on < consent_given_on:
        errors["consent_withdrawn_on"] = "Der Widerruf liegt vor der Einwilligung."
    if fold(lines.get("legal_basis", "")).startswith("einwilligung") and not consent_given_on:
        errors["consent_given_on"] = (
            "Bei der Rechtsgrundlage Einwilligung bitte das Datum der Einwilligung angeben."
        )
    role_problems = []
    for number, role in enumerate(roles, start=1):
        name = clean_line(role.organisation_name)
        if role.organisation_id is None and not name:
            role_problems.append(f"Funktion {number}: Bitte eine Organisation angeben.")
        if problem := length_error(Organisation, "name", name, f"Funktion {number}"):
            role_problems.append(problem)
        function = clean_line(role.function)
        if problem := length_error(PersonRole, "function", function, f"Funktion {number}"):
            role_problems.append(problem)
        if role.valid_from and role.valid_to and role.valid_to < role.valid_from:
            role_problems.append(f"Funktion {number}: Das Ende liegt vor dem Beginn.")
    if role_problems:
        errors["roles"] = " ".join(role_problems)
    return errors


def email_address_error(address: str, label: str = "E-Mail") -> str | None:
    """A German message if a (cleaned) e-mail address is too long or implausible."""
    return length_error(PersonEmail, "address", address, label) or email_error(address)


# --- names, languages, search text -------------------------------------------------------------


def list_name(first_name: str, last_name: str) -> str:
    """ "Last, First" (or whichever of the two is there)."""
    return ", ".join(p for p in (last_name, first_name) if p)


def person_display_name(person: Person) -> str:
    """How lists and pick lists show a person: "Müller, Anna"; "Person 17" without a name."""
    return list_name(person.first_name, person.last_name) or f"Person {person.id}"


def split_languages(text: str) -> list[str]:
    """Languages typed as "Arabisch, Dari; Paschtu" → a list without empties or repeats."""
    seen: dict[str, str] = {}
    for part in text.replace(";", ",").split(","):
        name = clean_line(part.replace(LANGUAGE_MARK, ""))
        if name:
            seen.setdefault(fold(name), name)
    return list(seen.values())


def join_languages(text: str) -> str:
    """The stored form of a languages text: "Arabisch, Dari"."""
    return ", ".join(split_languages(text))


def language_pattern(language: str) -> str:
    """A ``LIKE`` pattern (escape ``\\``) that finds one whole language in ``search_text``."""
    return f"%{LANGUAGE_MARK} {like_pattern(language)[1:-1]} {LANGUAGE_MARK}%"


def name_folded(first_name: str, last_name: str) -> str:
    """The sort and duplicate key of a name: folded "last first"."""
    return bounded_fold(f"{last_name} {first_name}", Person, "name_folded")


def person_search_text(person: Person) -> str:
    """The folded text the person list searches (roles' organisations must be loaded)."""
    return search_text_of(
        person,
        full_name=person.full_name,
        emails=[e.address for e in person.emails],
        phones=[p.number for p in person.phones],
        organisations=[r.organisation.name for r in person.roles if r.organisation is not None],
        functions=[r.function for r in person.roles],
        tags=[t.name for t in person.tags],
        languages=split_languages(person.languages),
    )


class NameAndAddress(Protocol):
    """The fields of a person that :func:`search_text_of` reads besides the lists."""

    first_name: str
    last_name: str
    street: str
    postcode: str
    city: str
    municipality: str


_SEARCH_SEPARATOR = search_blob("a", "b")[1:-1]
"""What :func:`search_blob` puts between the parts of a search text (" ␟ ")."""


def search_text_of(
    record: NameAndAddress,
    *,
    full_name: str,
    emails: Sequence[str],
    phones: Sequence[str],
    organisations: Sequence[str],
    functions: Sequence[str],
    tags: Sequence[str],
    languages: Sequence[str],
    fold_text: Callable[[str], str] = fold,
) -> str:
    """:func:`person_search_text` of plain values, for writers that build no ORM objects.

    ``languages`` as :func:`split_languages` gives them; ``fold_text`` is :func:`fold` or a
    memo of it (an import folds the same organisation, function or place thousands of times).
    """
    segment = (
        f"{LANGUAGE_MARK} {f' {LANGUAGE_MARK} '.join(languages)} {LANGUAGE_MARK}"
        if languages
        else ""
    )
    parts = [
        full_name,
        f"{record.last_name} {record.first_name}",
        *emails,
        *phones,
        *organisations,
        *functions,
        *tags,
        record.street,
        record.postcode,
        record.city,
        record.municipality,
    ]
    texts = [p.replace(LANGUAGE_MARK, "") for p in parts if p]
    texts.append(segment)
    return _SEARCH_SEPARATOR.join(fold_text(text) for text in texts if text)


def update_person_derived(person: Person) -> None:
    """Recompute the folded name and the search text after fields or links changed."""
    person.name_folded = name_folded(person.first_name, person.last_name)
    person.search_text = person_search_text(person)


_LINKS = (
    selectinload(Person.emails),
    selectinload(Person.phones),
    selectinload(Person.roles).selectinload(PersonRole.organisation),
    selectinload(Person.tags),
)


def refresh_person_search(session: Session, person_ids: list[int]) -> None:
    """Recompute the search text of these people (their organisation was renamed, merged or
    deleted)."""
    ids = list(dict.fromkeys(person_ids))
    for start in range(0, len(ids), ID_CHUNK):
        persons = session.scalars(
            select(Person)
            .where(Person.id.in_(ids[start : start + ID_CHUNK]))
            .options(*_LINKS)
            .execution_options(populate_existing=True)
        )
        for person in persons:
            update_person_derived(person)
    session.flush()


# --- save, load, delete ------------------------------------------------------------------------


def save_person(session: Session, data: PersonData, person_id: int | None = None) -> Person:
    """Create (``person_id`` None) or update a person; raises ValidationError.

    Roles whose organisation is given by name link to the organisation of that name
    (ignoring case and umlaut spelling) or create it.
    """
    errors = data.errors()
    wanted_ids = {r.organisation_id for r in data.roles if r.organisation_id is not None}
    if wanted_ids:
        found = set(session.scalars(select(Organisation.id).where(Organisation.id.in_(wanted_ids))))
        missing = sorted(wanted_ids - found)
        if missing:
            message = f"Organisation {', '.join(map(str, missing))} gibt es nicht (mehr)."
            errors["roles"] = f"{errors['roles']} {message}" if "roles" in errors else message
    if errors:
        raise ValidationError(errors)
    person = Person() if person_id is None else _load_or_fail(session, person_id)
    with session.no_autoflush:
        tags = resolve_tags(session, clean_tags(data.tags))
        organisations = [_role_organisation(session, role) for role in data.roles]

    person.salutation = clean_line(data.salutation)
    person.title = clean_line(data.title)
    person.first_name = clean_line(data.first_name)
    person.last_name = clean_line(data.last_name)
    person.street = clean_line(data.street)
    person.postcode = clean_line(data.postcode)
    person.city = clean_line(data.city)
    person.municipality = canonical_municipality(data.municipality)
    person.languages = join_languages(data.languages)
    person.notes = clean_text(data.notes)
    person.consent_given_on = data.consent_given_on
    person.consent_purpose = clean_line(data.consent_purpose)
    person.consent_how = clean_line(data.consent_how)
    person.consent_withdrawn_on = data.consent_withdrawn_on
    person.legal_basis = clean_line(data.legal_basis)
    person.purpose = clean_line(data.purpose)
    person.source = clean_line(data.source)
    person.tags = tags
    _set_emails(session, person, data.emails)
    _set_phones(session, person, data.phones)
    _set_roles(session, person, data.roles, organisations)
    update_person_derived(person)
    session.add(person)
    session.flush()
    return person


def _role_organisation(session: Session, role: RoleData) -> Organisation:
    if role.organisation_id is not None:
        organisation = session.get(Organisation, role.organisation_id)
        assert organisation is not None  # checked before
        return organisation
    found, _created = resolve_names(session, [role.organisation_name])
    return found[0]


def _drop(session: Session, row: object) -> None:
    """Delete a row taken out of a collection explicitly.

    Left to the delete-orphan cascade, the row would be deleted during the flush, after the
    tracking hook has written the deletion log, and copies of the database would keep it.
    """
    if inspect(row).persistent:
        session.delete(row)


def _set_emails(session: Session, person: Person, addresses: list[str]) -> None:
    """Keep rows (and their labels) whose address stays, in the order typed."""
    first_spelling: dict[str, str] = {}
    for address in map(clean_line, addresses):
        if address:
            first_spelling.setdefault(fold(address), address)
    wanted = list(first_spelling.values())
    rows = list(person.emails)
    for position, address in enumerate(wanted):
        if position < len(rows):
            row = rows[position]
            if fold(row.address) != fold(address):
                row.label = ""
        else:
            row = PersonEmail()
            person.emails.append(row)
        row.address = address
        row.address_folded = bounded_fold(address, PersonEmail, "address_folded")
    for row in rows[len(wanted) :]:
        person.emails.remove(row)
        _drop(session, row)


def _set_phones(session: Session, person: Person, numbers: list[str]) -> None:
    wanted = list(dict.fromkeys(n for n in map(clean_line, numbers) if n))
    rows = list(person.phones)
    for position, number in enumerate(wanted):
        if position < len(rows):
            row = rows[position]
            if row.number != number:
                row.label = ""
        else:
            row = PersonPhone()
            person.phones.append(row)
        row.number = number
    for row in rows[len(wanted) :]:
        person.phones.remove(row)
        _drop(session, row)


def _set_roles(
    session: Session, person: Person, roles: list[RoleData], organisations: list[Organisation]
) -> None:
    """Update roles in place where organisation and function stay, add and remove the rest."""
    unused = list(person.roles)
    kept: list[PersonRole] = []
    for data, organisation in zip(roles, organisations, strict=True):
        function = clean_line(data.function)
        match = next(
            (
                r
                for r in unused
                if r.organisation_id == organisation.id and fold(r.function) == fold(function)
            ),
            None,
        )
        if match is None:
            match = PersonRole(organisation=organisation)
        else:
            unused.remove(match)
        match.function = function
        match.valid_from = data.valid_from
        match.valid_to = data.valid_to
        kept.append(match)
    person.roles = kept
    for role in unused:
        _drop(session, role)


def get_person(session: Session, person_id: int) -> Person | None:
    """The person with e-mail addresses, phone numbers, roles (with organisation) and tags."""
    return session.scalars(select(Person).where(Person.id == person_id).options(*_LINKS)).first()


def _load_or_fail(session: Session, person_id: int) -> Person:
    person = get_person(session, person_id)
    if person is None:
        raise UserError(f"Person {person_id} gibt es nicht (mehr).")
    return person


def delete_person(session: Session, person_id: int) -> None:
    """Delete a person with contact data, roles, memberships, invitations and notes.

    Action items, agenda items and grants keep existing without the person. Every deleted
    row is written to the deletion log, so copies of the database learn of it.
    """
    person = _load_or_fail(session, person_id)
    for model in (Membership, Attendance, Activity):
        for row in session.scalars(select(model).where(model.person_id == person_id)):
            session.delete(row)
    for item in session.scalars(select(ActionItem).where(ActionItem.owner_id == person_id)):
        item.owner_id = None
    for agenda in session.scalars(select(AgendaItem).where(AgendaItem.presenter_id == person_id)):
        agenda.presenter_id = None
    for grant in session.scalars(select(Grant).where(Grant.contact_person_id == person_id)):
        grant.contact_person_id = None
    session.flush()
    session.delete(person)
    session.flush()
