"""Organisations of the network: save with validation, delete, look up by name.

The measures use the small helpers (:func:`find_by_name`, :func:`resolve_names`) to link lead
and partner organisations by the name a user typed; the network area edits the full record
through :class:`OrganisationData` and :func:`save_organisation`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload
from stdnum import iban as stdnum_iban
from stdnum.exceptions import InvalidChecksum, InvalidLength
from stdnum.exceptions import ValidationError as IbanError

from integrationsmanager.domain.base import Base
from integrationsmanager.domain.common import Guideline, Tag
from integrationsmanager.domain.enums import MUNICIPALITIES, OrganisationKind
from integrationsmanager.domain.errors import UserError, ValidationError
from integrationsmanager.domain.funding import Grant
from integrationsmanager.domain.labels import ORGANISATION_FIELD_LABELS
from integrationsmanager.domain.measures import Measure, measure_partner
from integrationsmanager.domain.network import Activity, Organisation
from integrationsmanager.domain.text import clean_line, clean_text, fold, search_blob
from integrationsmanager.services.tags import resolve_tags, split_tags

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)*\.[^@\s.\d]{2,}$")
"""Plausible, not RFC-complete: one ``@``, no spaces, a dotted domain with a real top level."""

WEBSITE_PATTERN = re.compile(
    r"^(https?://)?[^\s/:@.]+(\.[^\s/:@.]+)*\.[^\s/:@.\d]{2,}(:\d{1,5})?([/?#]\S*)?$",
    re.IGNORECASE,
)

_MUNICIPALITY_BY_FOLDED = {fold(m): m for m in MUNICIPALITIES}


# --- helpers shared with the persons service -------------------------------------------------


@cache
def column_length(model: type[Base], column: str) -> int | None:
    """The maximum length of a string column (PostgreSQL enforces it, SQLite does not).

    Cached: the schema does not change while the program runs, and an import asks per cell.
    """
    length: int | None = getattr(model.__table__.c[column].type, "length", None)
    return length


def length_error(model: type[Base], column: str, value: str, label: str) -> str | None:
    """A German message if ``value`` does not fit ``model.column``, else None."""
    limit = column_length(model, column)
    if limit is not None and len(value) > limit:
        return f"{label}: zu lang (höchstens {limit} Zeichen, eingegeben {len(value)})."
    return None


def email_error(address: str) -> str | None:
    """A German message if ``address`` is no plausible e-mail address (empty is fine)."""
    if address and not EMAIL_PATTERN.match(address):
        return f"„{address}“ ist keine gültige E-Mail-Adresse (Beispiel: name@verein.de)."
    return None


def canonical_municipality(text: str) -> str:
    """The pick list's spelling of a known municipality ("goessnitz" → "Gößnitz"), else as typed."""
    name = clean_line(text)
    return _MUNICIPALITY_BY_FOLDED.get(fold(name), name)


def clean_tags(tags: list[str]) -> list[str]:
    """Tags without empties or repeats, each short enough for its (folded) column."""
    limit = column_length(Tag, "name_folded") or 100
    result = []
    for name in split_tags(", ".join(tags)):
        while len(fold(name)) > limit:
            name = name[:-1]
        result.append(name)
    return result


@lru_cache(maxsize=4096)
def bounded_fold(text: str, model: type[Base], column: str) -> str:
    """``fold(text)`` cut to the column's length (folding can make a text longer: ß → ss).

    Remembers the last few thousand texts: an import folds each name and address for the
    duplicate check, for the index of the rows already seen and for storing.
    """
    limit = column_length(model, column)
    folded = fold(text)
    return folded if limit is None else folded[:limit]


# --- IBAN -------------------------------------------------------------------------------------


def compact_iban(text: str) -> str:
    """The IBAN as stored: upper case without spaces."""
    return str(stdnum_iban.compact(clean_line(text))) if text.strip() else ""


def format_iban(iban: str) -> str:
    """An IBAN as shown: in groups of four ("DE89 3704 0044 0532 0130 00")."""
    return str(stdnum_iban.format(iban)) if iban else ""


def iban_error(text: str) -> str | None:
    """A German message if ``text`` is no valid IBAN (checksum, length, country format)."""
    if not text.strip():
        return None
    try:
        compact = compact_iban(text)
        stdnum_iban.validate(compact)
    except InvalidChecksum:
        return "Die Prüfziffer der IBAN stimmt nicht – bitte auf Tippfehler prüfen."
    except InvalidLength:
        return "Die IBAN hat für ihr Land nicht die richtige Länge."
    except IbanError:
        return "Das ist keine gültige IBAN (Beispiel: DE89 3704 0044 0532 0130 00)."
    if not compact.isascii():
        return "Das ist keine gültige IBAN (Beispiel: DE89 3704 0044 0532 0130 00)."
    return None


# --- the record --------------------------------------------------------------------------------


@dataclass
class OrganisationData:
    """The editable fields of an organisation, as an editor or an import row delivers them."""

    name: str
    kind: OrganisationKind = OrganisationKind.OTHER
    street: str = ""
    postcode: str = ""
    city: str = ""
    municipality: str = ""
    """Free text; the editor offers :data:`~integrationsmanager.domain.enums.MUNICIPALITIES`."""
    phone: str = ""
    email: str = ""
    website: str = ""
    register_number: str = ""
    iban: str = ""
    """As typed; stored compact and upper case, shown with :func:`format_iban`."""
    guideline_ids: list[int] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    notes: str = ""
    active: bool = True

    def errors(self) -> dict[str, str]:
        """Field name → German message; empty when the record can be saved."""
        errors: dict[str, str] = {}
        name = clean_line(self.name)
        if not name:
            errors["name"] = "Bitte einen Namen eingeben."
        lines = {
            "name": name,
            "street": clean_line(self.street),
            "postcode": clean_line(self.postcode),
            "city": clean_line(self.city),
            "municipality": canonical_municipality(self.municipality),
            "phone": clean_line(self.phone),
            "email": clean_line(self.email),
            "website": clean_line(self.website),
            "register_number": clean_line(self.register_number),
        }
        for column, value in lines.items():
            message = length_error(Organisation, column, value, ORGANISATION_FIELD_LABELS[column])
            if message and column not in errors:
                errors[column] = message
        if "email" not in errors and (message := email_error(lines["email"])):
            errors["email"] = message
        website = lines["website"]
        if "website" not in errors and website and not WEBSITE_PATTERN.match(website):
            errors["website"] = (
                f"„{website}“ ist keine gültige Webadresse (Beispiel: www.verein-altenburg.de)."
            )
        if message := iban_error(self.iban):
            errors["iban"] = message
        if self.kind not in set(OrganisationKind):
            errors["kind"] = "Bitte eine Art der Organisation wählen."
        return errors

    @classmethod
    def from_organisation(cls, organisation: Organisation) -> OrganisationData:
        return cls(
            name=organisation.name,
            kind=OrganisationKind(organisation.kind),
            street=organisation.street,
            postcode=organisation.postcode,
            city=organisation.city,
            municipality=organisation.municipality,
            phone=organisation.phone,
            email=organisation.email,
            website=organisation.website,
            register_number=organisation.register_number,
            iban=format_iban(organisation.iban),
            guideline_ids=[g.id for g in organisation.guidelines],
            tags=[t.name for t in organisation.tags],
            notes=organisation.notes,
            active=organisation.active,
        )


def organisation_search_text(organisation: Organisation) -> str:
    """The folded text the organisation list searches: name, place, contact, kind, tags."""
    kind = OrganisationKind(organisation.kind).label if organisation.kind else ""
    return search_blob(
        organisation.name,
        kind,
        organisation.street,
        organisation.postcode,
        organisation.city,
        organisation.municipality,
        organisation.phone,
        organisation.email,
        organisation.website,
        organisation.register_number,
        *(t.name for t in organisation.tags),
    )


def update_organisation_derived(organisation: Organisation) -> None:
    """Recompute the folded name and the search text after fields or tags changed."""
    organisation.name_folded = bounded_fold(organisation.name, Organisation, "name_folded")
    organisation.search_text = organisation_search_text(organisation)


def save_organisation(
    session: Session, data: OrganisationData, organisation_id: int | None = None
) -> Organisation:
    """Create (``organisation_id`` None) or update an organisation; raises ValidationError.

    Renaming an organisation also refreshes the search text of the people who work there,
    so that the person list finds them under the new name.
    """
    errors = data.errors()
    guideline_list: list[Guideline] = []
    if data.guideline_ids:
        wanted = list(dict.fromkeys(data.guideline_ids))
        found = {
            g.id: g for g in session.scalars(select(Guideline).where(Guideline.id.in_(wanted)))
        }
        missing = [str(i) for i in wanted if i not in found]
        if missing:
            errors["guidelines"] = f"Leitlinie {', '.join(missing)} gibt es nicht."
        guideline_list = [found[i] for i in wanted if i in found]
    if errors:
        raise ValidationError(errors)
    if organisation_id is None:
        organisation = Organisation()
        renamed = False
    else:
        organisation = _get_or_fail(session, organisation_id)
        renamed = fold(organisation.name) != fold(clean_line(data.name))
    with session.no_autoflush:
        tags = resolve_tags(session, clean_tags(data.tags))
    organisation.name = clean_line(data.name)
    organisation.kind = OrganisationKind(data.kind)
    organisation.street = clean_line(data.street)
    organisation.postcode = clean_line(data.postcode)
    organisation.city = clean_line(data.city)
    organisation.municipality = canonical_municipality(data.municipality)
    organisation.phone = clean_line(data.phone)
    organisation.email = clean_line(data.email)
    organisation.website = clean_line(data.website)
    organisation.register_number = clean_line(data.register_number)
    organisation.iban = compact_iban(data.iban)
    organisation.notes = clean_text(data.notes)
    organisation.active = data.active
    organisation.guidelines = guideline_list
    organisation.tags = tags
    update_organisation_derived(organisation)
    session.add(organisation)
    session.flush()
    if renamed:
        _refresh_people(session, [role.person_id for role in organisation.roles])
        _refresh_grants(session, organisation.id)
    return organisation


def get_organisation(session: Session, organisation_id: int) -> Organisation | None:
    """The organisation with its guidelines, tags and roles (people) loaded."""
    return session.scalars(
        select(Organisation)
        .where(Organisation.id == organisation_id)
        .options(
            selectinload(Organisation.guidelines),
            selectinload(Organisation.tags),
            selectinload(Organisation.roles),
        )
    ).first()


def delete_organisation(session: Session, organisation_id: int) -> None:
    """Delete an organisation with its roles and notes; refused while grants name it.

    Measures keep existing without it (lead emptied, partner removed). Every deleted row is
    written to the deletion log, so copies of the database learn of it.
    """
    organisation = _get_or_fail(session, organisation_id)
    grants = session.scalar(
        select(func.count(Grant.id)).where(Grant.recipient_id == organisation_id)
    )
    if grants:
        raise UserError(
            f"„{organisation.name}“ ist Empfänger von {grants} "
            f"{'Zuwendung' if grants == 1 else 'Zuwendungen'} und kann daher nicht gelöscht "
            "werden. Bitte die Organisation stattdessen auf „nicht aktiv“ setzen oder mit "
            "einer anderen Organisation zusammenführen."
        )
    people = [role.person_id for role in organisation.roles]
    for role in list(organisation.roles):
        organisation.roles.remove(role)
        session.delete(role)
    for activity in session.scalars(
        select(Activity).where(Activity.organisation_id == organisation_id)
    ):
        session.delete(activity)
    for measure in session.scalars(
        select(Measure).where(Measure.lead_organisation_id == organisation_id)
    ):
        measure.lead_organisation = None
    for measure in session.scalars(
        select(Measure)
        .join(measure_partner, measure_partner.c.measure_id == Measure.id)
        .where(measure_partner.c.organisation_id == organisation_id)
    ):
        measure.partners = [p for p in measure.partners if p.id != organisation_id]
    session.flush()
    session.delete(organisation)
    session.flush()
    _refresh_people(session, people)


def _refresh_people(session: Session, person_ids: list[int]) -> None:
    """Recompute the search text of people whose organisation's name changed or went."""
    # Imported here: the persons service imports this module for its role links.
    from integrationsmanager.services.persons import refresh_person_search

    refresh_person_search(session, person_ids)


def _refresh_grants(session: Session, organisation_id: int) -> None:
    """Grants are found by their recipient's name: follow a renamed organisation."""
    # Imported here: the grants service builds on the measures and organisations services.
    from integrationsmanager.services.grants import refresh_grant_search

    refresh_grant_search(session, organisation_id)


def _get_or_fail(session: Session, organisation_id: int) -> Organisation:
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise UserError(f"Organisation {organisation_id} gibt es nicht (mehr).")
    return organisation


# --- by name, for measures and imports ---------------------------------------------------------


def new_organisation(name: str, kind: OrganisationKind = OrganisationKind.OTHER) -> Organisation:
    name = clean_line(name)
    organisation = Organisation(name=name, kind=kind)
    organisation.tags = []
    update_organisation_derived(organisation)
    return organisation


def find_by_name(session: Session, name: str) -> Organisation | None:
    """The first organisation whose folded name equals ``name`` folded."""
    return session.scalars(
        select(Organisation)
        .where(Organisation.name_folded == bounded_fold(name, Organisation, "name_folded"))
        .order_by(Organisation.active.desc(), Organisation.id)
        .limit(1)
    ).first()


def resolve_names(session: Session, names: list[str]) -> tuple[list[Organisation], list[str]]:
    """Organisations for ``names``; missing ones are created. Returns them and the new names."""
    found: list[Organisation] = []
    created: list[str] = []
    for raw in names:
        name = clean_line(raw)
        if not name:
            continue
        organisation = find_by_name(session, name)
        if organisation is None:
            organisation = new_organisation(name)
            session.add(organisation)
            session.flush()
            created.append(name)
        if organisation not in found:
            found.append(organisation)
    return found, created


def organisation_choices(session: Session) -> list[tuple[int, str]]:
    """(id, name) of all active organisations, by name, for pick lists."""
    rows = session.execute(
        select(Organisation.id, Organisation.name)
        .where(Organisation.active)
        .order_by(Organisation.name_folded)
    )
    return [(row.id, row.name) for row in rows]
