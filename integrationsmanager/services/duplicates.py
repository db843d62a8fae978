"""Finding and merging duplicates of people and organisations.

Names are typed by many hands and copies of the database meet, so there is no UNIQUE
constraint on them; instead a new or imported record is compared with the existing ones:

- people: the same e-mail address, or the same name in the same municipality (both without
  a municipality counts as the same), ignoring case, umlaut spelling ("Müller" = "Mueller")
  and extra spaces (:func:`~integrationsmanager.domain.text.fold`);
- organisations: the same e-mail address, or the same name where the municipalities agree
  or one of them is unknown.

:func:`person_duplicates` and :func:`organisation_duplicates` check one record with two
indexed queries. An import of thousands of rows uses :class:`DuplicateIndex`, which loads
the folded keys once into dictionaries and can remember the rows already imported.

:func:`merge_persons` and :func:`merge_organisations` move every link of the removed record
to the kept one, fill the kept record's empty fields and delete the removed record (which
the deletion log records).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from sqlalchemy import ColumnElement, and_, false, or_, select
from sqlalchemy.orm import Session, selectinload

from integrationsmanager.domain.enums import AttendanceStatus, OrganisationKind
from integrationsmanager.domain.errors import UserError
from integrationsmanager.domain.funding import Grant
from integrationsmanager.domain.measures import Measure, measure_partner
from integrationsmanager.domain.meetings import ActionItem, AgendaItem, Attendance, Membership
from integrationsmanager.domain.network import Activity, Organisation, Person, PersonEmail
from integrationsmanager.domain.text import clean_line, fold, like_pattern
from integrationsmanager.services.organisations import (
    bounded_fold,
    canonical_municipality,
    get_organisation,
    update_organisation_derived,
)
from integrationsmanager.services.persons import (
    get_person,
    join_languages,
    list_name,
    name_folded,
    refresh_person_search,
    update_person_derived,
)

PERSON_REFERENCES = frozenset(
    {
        "person_email.person_id",
        "person_phone.person_id",
        "person_role.person_id",
        "person_tag.person_id",
        "membership.person_id",
        "attendance.person_id",
        "action_item.owner_id",
        "agenda_item.presenter_id",
        "activity.person_id",
        "grant.contact_person_id",
    }
)
"""Every column that points at a person; :func:`merge_persons` moves each of them."""

ORGANISATION_REFERENCES = frozenset(
    {
        "person_role.organisation_id",
        "organisation_guideline.organisation_id",
        "organisation_tag.organisation_id",
        "activity.organisation_id",
        "grant.recipient_id",
        "measure.lead_organisation_id",
        "measure_partner.organisation_id",
    }
)
"""Every column that points at an organisation; :func:`merge_organisations` moves each."""


@dataclass(frozen=True)
class DuplicateHit:
    """An existing record that may be the same as the one being entered."""

    id: int
    name: str
    reason: str
    """German, e.g. "gleiche E-Mail-Adresse anna@example.org; gleicher Name in Altenburg"."""


def _email_key(address: str) -> str:
    return bounded_fold(clean_line(address), PersonEmail, "address_folded")


@lru_cache(maxsize=4096)
def _place_key(municipality: str) -> str:
    """``fold(municipality)``; a few dozen places repeat for 100,000 people."""
    return fold(municipality)


def _name_reason(municipality: str) -> str:
    place = canonical_municipality(municipality)
    return f"gleicher Name in {place}" if place else "gleicher Name, beide ohne Gemeinde"


@dataclass
class _Reasons:
    names: dict[int, tuple[str, str]]
    """Record id → (first name, last name); an organisation's name is the last name."""
    found: dict[int, list[str]] = field(default_factory=dict)

    def add(self, record_id: int, reason: str) -> None:
        reasons = self.found.setdefault(record_id, [])
        if reason not in reasons:
            reasons.append(reason)

    def hits(self, exclude_id: int | None) -> list[DuplicateHit]:
        return [
            DuplicateHit(record_id, list_name(*self.names[record_id]), "; ".join(reasons))
            for record_id, reasons in self.found.items()
            if record_id != exclude_id
        ]


@dataclass
class DuplicateIndex:
    """Folded names and e-mail addresses of all people and organisations, held in memory.

    Build it once per import (:meth:`build`), ask :meth:`person_hits` /
    :meth:`organisation_hits` per row and :meth:`remember_person` /
    :meth:`remember_organisation` each imported row, so that the file's own repeats show too.
    """

    person_names: dict[int, tuple[str, str]] = field(default_factory=dict)
    persons_by_email: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    persons_by_name: dict[tuple[str, str], list[int]] = field(
        default_factory=lambda: defaultdict(list)
    )
    organisation_names: dict[int, tuple[str, str]] = field(default_factory=dict)
    organisations_by_email: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    organisations_by_name: dict[str, list[tuple[int, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    @classmethod
    def build(cls, session: Session) -> DuplicateIndex:
        """Load the keys of every person (not erased) and organisation in four queries."""
        index = cls()
        index._load_persons(session, Person.erased.is_(False))
        index._load_organisations(session, None)
        return index

    # -- loading ---------------------------------------------------------------------------

    def _load_persons(self, session: Session, condition: ColumnElement[bool]) -> None:
        rows = session.execute(
            select(
                Person.id,
                Person.first_name,
                Person.last_name,
                Person.name_folded,
                Person.municipality,
            ).where(condition)
        )
        names = self.person_names
        by_name = self.persons_by_name
        for person_id, first_name, last_name, folded, municipality in rows:
            names[person_id] = (first_name, last_name)
            if folded:
                by_name[(folded, _place_key(municipality))].append(person_id)
        by_email = self.persons_by_email
        for person_id, address in session.execute(
            select(PersonEmail.person_id, PersonEmail.address_folded)
            .join(Person, Person.id == PersonEmail.person_id)
            .where(condition)
        ):
            if address:
                by_email[address].append(person_id)

    def _load_organisations(self, session: Session, condition: ColumnElement[bool] | None) -> None:
        statement = select(
            Organisation.id,
            Organisation.name,
            Organisation.name_folded,
            Organisation.municipality,
            Organisation.email,
        )
        if condition is not None:
            statement = statement.where(condition)
        for organisation_id, name, folded, municipality, email in session.execute(statement):
            self.organisation_names[organisation_id] = ("", name)
            if folded:
                self.organisations_by_name[folded].append(
                    (organisation_id, _place_key(municipality))
                )
            if email:
                self.organisations_by_email[fold(email)].append(organisation_id)

    # -- remembering rows of an import -----------------------------------------------------

    def remember_person(
        self,
        person_id: int,
        *,
        first_name: str,
        last_name: str,
        emails: list[str],
        municipality: str,
    ) -> None:
        """Add a person (e.g. one just imported) to the index."""
        self.person_names[person_id] = (clean_line(first_name), clean_line(last_name))
        key = name_folded(clean_line(first_name), clean_line(last_name))
        if key:
            self.persons_by_name[(key, _place_key(municipality))].append(person_id)
        for address in emails:
            if folded := _email_key(address):
                self.persons_by_email[folded].append(person_id)

    def remember_organisation(
        self, organisation_id: int, name: str, municipality: str, email: str
    ) -> None:
        """Add an organisation (e.g. one just imported) to the index."""
        self.organisation_names[organisation_id] = ("", clean_line(name))
        key = bounded_fold(clean_line(name), Organisation, "name_folded")
        if key:
            self.organisations_by_name[key].append((organisation_id, _place_key(municipality)))
        if folded := fold(clean_line(email)):
            self.organisations_by_email[folded].append(organisation_id)

    # -- asking ----------------------------------------------------------------------------

    def person_hits(
        self,
        *,
        first_name: str,
        last_name: str,
        emails: list[str],
        municipality: str,
        exclude_id: int | None = None,
    ) -> list[DuplicateHit]:
        """People who may be the person described: same e-mail, or same name and place."""
        reasons = _Reasons(self.person_names)
        for address in emails:
            folded = _email_key(address)
            for person_id in self.persons_by_email.get(folded, ()) if folded else ():
                reasons.add(person_id, f"gleiche E-Mail-Adresse {clean_line(address)}")
        key = name_folded(clean_line(first_name), clean_line(last_name))
        if key:
            for person_id in self.persons_by_name.get((key, _place_key(municipality)), ()):
                reasons.add(person_id, _name_reason(municipality))
        return reasons.hits(exclude_id)

    def organisation_hits(
        self, *, name: str, municipality: str, email: str, exclude_id: int | None = None
    ) -> list[DuplicateHit]:
        """Organisations that may be the one described: same e-mail, or same name and place."""
        reasons = _Reasons(self.organisation_names)
        folded_email = fold(clean_line(email))
        for organisation_id in self.organisations_by_email.get(folded_email, ()):
            reasons.add(organisation_id, f"gleiche E-Mail-Adresse {clean_line(email)}")
        key = bounded_fold(clean_line(name), Organisation, "name_folded")
        place = fold(municipality)
        for organisation_id, other_place in self.organisations_by_name.get(key, ()) if key else ():
            if place and place == other_place:
                reasons.add(organisation_id, _name_reason(municipality))
            elif not place or not other_place:
                reasons.add(organisation_id, "gleicher Name")
        return reasons.hits(exclude_id)


def person_duplicates(
    session: Session,
    *,
    first_name: str,
    last_name: str,
    emails: list[str],
    municipality: str,
    exclude_id: int | None = None,
) -> list[DuplicateHit]:
    """Existing people who may be the person being entered (two indexed queries)."""
    key = name_folded(clean_line(first_name), clean_line(last_name))
    folded_emails = [f for f in map(_email_key, emails) if f]
    by_email = select(PersonEmail.person_id).where(PersonEmail.address_folded.in_(folded_emails))
    index = DuplicateIndex()
    index._load_persons(
        session,
        and_(
            Person.erased.is_(False),
            or_(Person.name_folded == key if key else false(), Person.id.in_(by_email)),
        ),
    )
    return index.person_hits(
        first_name=first_name,
        last_name=last_name,
        emails=emails,
        municipality=municipality,
        exclude_id=exclude_id,
    )


def organisation_duplicates(
    session: Session,
    *,
    name: str,
    municipality: str,
    email: str,
    exclude_id: int | None = None,
) -> list[DuplicateHit]:
    """Existing organisations that may be the one being entered."""
    key = bounded_fold(clean_line(name), Organisation, "name_folded")
    conditions = []
    if key:
        conditions.append(Organisation.name_folded == key)
    if clean_line(email):
        # The e-mail address is part of the folded search text; the index confirms exactly.
        conditions.append(Organisation.search_text.like(like_pattern(email), escape="\\"))
    if not conditions:
        return []
    index = DuplicateIndex()
    index._load_organisations(session, or_(*conditions))
    return index.organisation_hits(
        name=name, municipality=municipality, email=email, exclude_id=exclude_id
    )


# --- merging -----------------------------------------------------------------------------------

_ATTENDANCE_WEIGHT = {
    AttendanceStatus.INVITED: 0,
    AttendanceStatus.ACCEPTED: 1,
    AttendanceStatus.DECLINED: 2,
    AttendanceStatus.EXCUSED: 3,
    AttendanceStatus.PRESENT: 4,
}
"""When both records were invited to a meeting, the more telling answer wins."""

_PERSON_FILL = (
    "salutation",
    "title",
    "first_name",
    "last_name",
    "street",
    "postcode",
    "city",
    "municipality",
    "legal_basis",
    "purpose",
    "source",
)
_CONSENT = ("consent_given_on", "consent_purpose", "consent_how", "consent_withdrawn_on")
_ORGANISATION_FILL = (
    "street",
    "postcode",
    "city",
    "municipality",
    "phone",
    "email",
    "website",
    "register_number",
    "iban",
)


def _joined_notes(kept: str, removed: str) -> str:
    if not removed or removed in kept:
        return kept
    return f"{kept}\n\n{removed}" if kept else removed


def _digits(number: str) -> str:
    return re.sub(r"\D", "", number)


def _latest_consent_event(person: Person) -> date:
    return max(
        (d for d in (person.consent_given_on, person.consent_withdrawn_on) if d), default=date.min
    )


def merge_persons(session: Session, keep_id: int, remove_id: int) -> Person:
    """Merge person ``remove_id`` into ``keep_id`` and delete it; returns the kept person.

    Moved to the kept person: e-mail addresses and phone numbers (without repeats), roles
    (the same function in the same organisation once, dates filled), tags, memberships
    (the same group and period once), invitations (one per meeting, the more telling answer),
    action items, agenda items, grants (contact person) and notes in the history. Empty fields
    are filled from the removed person, languages and notes joined; the consent record is the
    one with the later event (given or withdrawn), so a withdrawal is never lost.
    """
    keep, remove = _persons_to_merge(session, keep_id, remove_id)
    for name in _PERSON_FILL:
        if not getattr(keep, name) and getattr(remove, name):
            setattr(keep, name, getattr(remove, name))
    keep.languages = join_languages(f"{keep.languages}, {remove.languages}")
    keep.notes = _joined_notes(keep.notes, remove.notes)
    if _latest_consent_event(remove) > _latest_consent_event(keep):
        for name in _CONSENT:
            setattr(keep, name, getattr(remove, name))

    addresses = {fold(e.address) for e in keep.emails}
    for email in list(remove.emails):
        remove.emails.remove(email)
        if fold(email.address) in addresses:
            session.delete(email)
        else:
            addresses.add(fold(email.address))
            keep.emails.append(email)
    numbers = {_digits(p.number) for p in keep.phones}
    for phone in list(remove.phones):
        remove.phones.remove(phone)
        if _digits(phone.number) in numbers:
            session.delete(phone)
        else:
            numbers.add(_digits(phone.number))
            keep.phones.append(phone)
    for role in list(remove.roles):
        remove.roles.remove(role)
        same = next(
            (
                r
                for r in keep.roles
                if r.organisation_id == role.organisation_id
                and fold(r.function) == fold(role.function)
            ),
            None,
        )
        if same is None:
            keep.roles.append(role)
        else:
            same.valid_from = same.valid_from or role.valid_from
            same.valid_to = same.valid_to or role.valid_to
            session.delete(role)
    keep.tags = list(dict.fromkeys([*keep.tags, *remove.tags]))

    kept_memberships = {
        (m.group_id, m.valid_from, m.valid_to)
        for m in session.scalars(select(Membership).where(Membership.person_id == keep_id))
    }
    for membership in session.scalars(select(Membership).where(Membership.person_id == remove_id)):
        if (membership.group_id, membership.valid_from, membership.valid_to) in kept_memberships:
            session.delete(membership)
        else:
            membership.person = keep
    kept_attendance = {
        a.meeting_id: a
        for a in session.scalars(select(Attendance).where(Attendance.person_id == keep_id))
    }
    for attendance in session.scalars(select(Attendance).where(Attendance.person_id == remove_id)):
        other = kept_attendance.get(attendance.meeting_id)
        if other is None:
            attendance.person = keep
            continue
        if _ATTENDANCE_WEIGHT.get(AttendanceStatus(attendance.status), 0) > _ATTENDANCE_WEIGHT.get(
            AttendanceStatus(other.status), 0
        ):
            other.status = attendance.status
        session.delete(attendance)
    for item in session.scalars(select(ActionItem).where(ActionItem.owner_id == remove_id)):
        item.owner = keep
    for agenda in session.scalars(select(AgendaItem).where(AgendaItem.presenter_id == remove_id)):
        agenda.presenter = keep
    for grant in session.scalars(select(Grant).where(Grant.contact_person_id == remove_id)):
        grant.contact_person = keep
    for activity in session.scalars(select(Activity).where(Activity.person_id == remove_id)):
        activity.person_id = keep_id
    session.flush()
    session.delete(remove)
    update_person_derived(keep)
    session.flush()
    return keep


def merge_organisations(session: Session, keep_id: int, remove_id: int) -> Organisation:
    """Merge organisation ``remove_id`` into ``keep_id`` and delete it; returns the kept one.

    Moved to the kept organisation: roles of people (the same person and function once),
    guidelines, tags, notes in the history, grants (recipient), measures (lead and partner,
    never both). Empty fields are filled from the removed organisation (the kind too, where
    the kept one says "Sonstige"), notes joined; it stays active if either was.
    """
    keep, remove = _organisations_to_merge(session, keep_id, remove_id)
    for name in _ORGANISATION_FILL:
        if not getattr(keep, name) and getattr(remove, name):
            setattr(keep, name, getattr(remove, name))
    if keep.kind == OrganisationKind.OTHER and remove.kind != OrganisationKind.OTHER:
        keep.kind = remove.kind
    keep.notes = _joined_notes(keep.notes, remove.notes)
    keep.active = keep.active or remove.active
    keep.tags = list(dict.fromkeys([*keep.tags, *remove.tags]))
    keep.guidelines = list(dict.fromkeys([*keep.guidelines, *remove.guidelines]))

    people = [r.person_id for r in keep.roles] + [r.person_id for r in remove.roles]
    for role in list(remove.roles):
        same = next(
            (
                r
                for r in keep.roles
                if r.person_id == role.person_id and fold(r.function) == fold(role.function)
            ),
            None,
        )
        if same is None:
            role.organisation = keep
        else:
            same.valid_from = same.valid_from or role.valid_from
            same.valid_to = same.valid_to or role.valid_to
            remove.roles.remove(role)
            session.delete(role)
    for activity in session.scalars(select(Activity).where(Activity.organisation_id == remove_id)):
        activity.organisation_id = keep_id
    for grant in session.scalars(select(Grant).where(Grant.recipient_id == remove_id)):
        grant.recipient = keep
    partner_of = select(measure_partner.c.measure_id).where(
        measure_partner.c.organisation_id == remove_id
    )
    measures = session.scalars(
        select(Measure)
        .where(or_(Measure.lead_organisation_id == remove_id, Measure.id.in_(partner_of)))
        .options(selectinload(Measure.partners))
    )
    for measure in measures:
        if measure.lead_organisation is remove:
            measure.lead_organisation = keep
        partners = [keep if p.id == remove_id else p for p in measure.partners]
        measure.partners = [
            p for p in dict.fromkeys(partners) if p is not measure.lead_organisation
        ]
    session.flush()
    session.delete(remove)
    update_organisation_derived(keep)
    session.flush()
    refresh_person_search(session, people)
    return keep


def _persons_to_merge(session: Session, keep_id: int, remove_id: int) -> tuple[Person, Person]:
    if keep_id == remove_id:
        raise UserError("Eine Person kann nicht mit sich selbst zusammengeführt werden.")
    keep, remove = get_person(session, keep_id), get_person(session, remove_id)
    for record_id, person in ((keep_id, keep), (remove_id, remove)):
        if person is None:
            raise UserError(f"Person {record_id} gibt es nicht (mehr).")
    assert keep is not None and remove is not None
    return keep, remove


def _organisations_to_merge(
    session: Session, keep_id: int, remove_id: int
) -> tuple[Organisation, Organisation]:
    if keep_id == remove_id:
        raise UserError("Eine Organisation kann nicht mit sich selbst zusammengeführt werden.")
    keep, remove = get_organisation(session, keep_id), get_organisation(session, remove_id)
    for record_id, organisation in ((keep_id, keep), (remove_id, remove)):
        if organisation is None:
            raise UserError(f"Organisation {record_id} gibt es nicht (mehr).")
    assert keep is not None and remove is not None
    return keep, remove
