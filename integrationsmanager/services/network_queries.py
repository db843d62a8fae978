"""Queries behind the lazy organisation and person lists (20,000 / 100,000 rows).

As for measures, the lists first ask for the matching ids in display order
(:func:`organisation_ids`, :func:`person_ids`: filtering and sorting in SQL), then for the
data of the rows on screen (:func:`fetch_organisation_rows`, :func:`fetch_person_rows`).

Search splits the typed text into words; a record matches when its folded ``search_text``
contains every word, so "müller verein" finds Anna Müller of the Verein. Folding makes the
search blind to case (Latin, Cyrillic, Greek), umlaut spelling and extra spaces.

A person's *main organisation* (list column and sort key) is their first current role
(begun, not ended, lowest id), else their first role; "people" of an organisation counts
everyone with a role there, past roles included, as the person filter by organisation does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, String, and_, case, exists, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from integrationsmanager.domain.common import Tag
from integrationsmanager.domain.enums import MUNICIPALITIES, OrganisationKind
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
from integrationsmanager.domain.text import fold, like_pattern
from integrationsmanager.services.measures import ID_CHUNK
from integrationsmanager.services.organisations import canonical_municipality
from integrationsmanager.services.persons import (
    language_pattern,
    list_name,
    split_languages,
)

ORGANISATION_SORT_KEYS = ("name", "kind", "municipality", "phone", "email", "active", "people")
PERSON_SORT_KEYS = ("name", "organisation", "email", "phone", "languages", "municipality")


def _search_words(statement: Select[Any], column: Any, text: str) -> Select[Any]:
    for word in fold(text).split():
        statement = statement.where(column.like(like_pattern(word), escape="\\"))
    return statement


def _is_text_column(column: Any) -> bool:
    return isinstance(column, InstrumentedAttribute) and isinstance(column.type, String)


def _ordered(
    statement: Select[Any],
    key: Any,
    tie: Any,
    id_column: Any,
    *,
    descending: bool,
    scanning: bool,
) -> Select[Any]:
    """Order by ``key``, then ``tie``, then id.

    Only a plain name order without a search is best served by walking the name index
    (it holds all the list needs). Otherwise, when the filter reads every row anyway
    (``scanning``: ``LIKE`` over the search text) or the order needs a second column from
    the rows, text columns are sorted as ``column || ''``: the same order, but SQLite no
    longer walks an index and reads row by row in index order (a random read per row, two to
    three times slower) instead of scanning the table once and sorting. PostgreSQL plans
    either way well.
    """
    columns = [key, tie] if key is not tie else [key]
    if scanning or key is not tie:
        columns = [c.concat("") if _is_text_column(c) else c for c in columns]
    columns.append(id_column)
    return statement.order_by(*(c.desc() if descending else c.asc() for c in columns))


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[start : start + ID_CHUNK] for start in range(0, len(ids), ID_CHUNK)]


# --- organisations -----------------------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationFilter:
    search: str = ""
    kind: OrganisationKind | None = None
    municipality: str = ""
    guideline_id: int | None = None
    tag: str = ""
    """A tag name; every tag of that folded name counts (copies may each have made one)."""
    active_only: bool = False


@dataclass(frozen=True)
class OrganisationRow:
    """What the organisation list shows of one organisation."""

    id: int
    name: str
    kind: OrganisationKind
    municipality: str
    phone: str
    email: str
    active: bool
    people: int

    @property
    def kind_label(self) -> str:
        return self.kind.label


def _people_count() -> Any:
    return (
        select(func.count(func.distinct(PersonRole.person_id)))
        .where(PersonRole.organisation_id == Organisation.id)
        .scalar_subquery()
    )


def _filter_organisations(statement: Select[Any], flt: OrganisationFilter) -> Select[Any]:
    if flt.kind is not None:
        statement = statement.where(Organisation.kind == flt.kind)
    if flt.municipality.strip():
        statement = statement.where(
            Organisation.municipality == canonical_municipality(flt.municipality)
        )
    if flt.guideline_id is not None:
        statement = statement.where(
            exists().where(
                organisation_guideline.c.organisation_id == Organisation.id,
                organisation_guideline.c.guideline_id == flt.guideline_id,
            )
        )
    if flt.tag.strip():
        statement = statement.where(
            exists().where(
                organisation_tag.c.organisation_id == Organisation.id,
                organisation_tag.c.tag_id == Tag.id,
                Tag.name_folded == fold(flt.tag),
            )
        )
    if flt.active_only:
        statement = statement.where(Organisation.active.is_(True))
    return _search_words(statement, Organisation.search_text, flt.search)


def organisation_ids(
    session: Session,
    flt: OrganisationFilter = OrganisationFilter(),
    *,
    sort: str = "name",
    descending: bool = False,
) -> list[int]:
    """Ids of the organisations matching ``flt`` in the requested order (name breaks ties)."""
    key: Any
    if sort == "name":
        key = Organisation.name_folded
    elif sort == "kind":
        by_label = sorted(OrganisationKind, key=lambda k: fold(k.label))
        key = case(
            {k.value: i for i, k in enumerate(by_label)},
            value=Organisation.kind,
            else_=len(by_label),
        )
    elif sort == "municipality":
        key = Organisation.municipality
    elif sort == "phone":
        key = Organisation.phone
    elif sort == "email":
        key = func.lower(Organisation.email)
    elif sort == "active":
        key = Organisation.active
    elif sort == "people":
        key = _people_count()
    else:
        raise ValueError(f"unknown sort key {sort!r}")
    statement = _filter_organisations(select(Organisation.id), flt)
    statement = _ordered(
        statement,
        key,
        Organisation.name_folded,
        Organisation.id,
        descending=descending,
        scanning=bool(flt.search.strip()),
    )
    return list(session.scalars(statement))


def fetch_organisation_rows(session: Session, ids: list[int]) -> dict[int, OrganisationRow]:
    """Row data for ``ids`` (the lazy table asks for a page at a time)."""
    rows: dict[int, OrganisationRow] = {}
    for chunk in _chunks(ids):
        statement = select(
            Organisation.id,
            Organisation.name,
            Organisation.kind,
            Organisation.municipality,
            Organisation.phone,
            Organisation.email,
            Organisation.active,
            _people_count().label("people"),
        ).where(Organisation.id.in_(chunk))
        for r in session.execute(statement):
            rows[r.id] = OrganisationRow(
                id=r.id,
                name=r.name,
                kind=OrganisationKind(r.kind),
                municipality=r.municipality,
                phone=r.phone,
                email=r.email,
                active=r.active,
                people=r.people,
            )
    return rows


# --- people ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonFilter:
    search: str = ""
    organisation_id: int | None = None
    """People with a role in this organisation, past roles included."""
    municipality: str = ""
    tag: str = ""
    language: str = ""
    """One whole language ("Arabisch" finds "Arabisch, Dari", not "Arabisch-Kurs")."""


@dataclass(frozen=True)
class PersonRow:
    """What the person list shows of one person."""

    id: int
    name: str
    """ "Müller, Anna"."""
    organisation: str
    """The main organisation (see the module text)."""
    function: str
    email: str
    phone: str
    languages: str
    municipality: str


def _is_current(today: date) -> Any:
    return and_(
        or_(PersonRole.valid_from.is_(None), PersonRole.valid_from <= today),
        or_(PersonRole.valid_to.is_(None), PersonRole.valid_to >= today),
    )


def _main_organisation_name(today: date) -> Any:
    # coalesce: PostgreSQL sorts NULL last, SQLite first; "" sorts first on both.
    return func.coalesce(
        select(Organisation.name_folded)
        .join(PersonRole, PersonRole.organisation_id == Organisation.id)
        .where(PersonRole.person_id == Person.id)
        .order_by(case((_is_current(today), 0), else_=1), PersonRole.id)
        .limit(1)
        .scalar_subquery(),
        "",
    )


def _first(column: Any, person_column: Any, order: Any) -> Any:
    return func.coalesce(
        select(column).where(person_column == Person.id).order_by(order).limit(1).scalar_subquery(),
        "",
    )


def _filter_persons(statement: Select[Any], flt: PersonFilter) -> Select[Any]:
    if flt.organisation_id is not None:
        statement = statement.where(
            Person.id.in_(
                select(PersonRole.person_id).where(
                    PersonRole.organisation_id == flt.organisation_id
                )
            )
        )
    if flt.municipality.strip():
        statement = statement.where(Person.municipality == canonical_municipality(flt.municipality))
    if flt.tag.strip():
        statement = statement.where(
            exists().where(
                person_tag.c.person_id == Person.id,
                person_tag.c.tag_id == Tag.id,
                Tag.name_folded == fold(flt.tag),
            )
        )
    if flt.language.strip():
        statement = statement.where(
            Person.search_text.like(language_pattern(flt.language), escape="\\")
        )
    return _search_words(statement, Person.search_text, flt.search)


def person_ids(
    session: Session,
    flt: PersonFilter = PersonFilter(),
    *,
    sort: str = "name",
    descending: bool = False,
    today: date | None = None,
) -> list[int]:
    """Ids of the people matching ``flt`` in the requested order (name breaks ties)."""
    key: Any
    if sort == "name":
        key = Person.name_folded
    elif sort == "organisation":
        key = _main_organisation_name(today or date.today())
    elif sort == "email":
        key = _first(PersonEmail.address_folded, PersonEmail.person_id, PersonEmail.id)
    elif sort == "phone":
        key = _first(PersonPhone.number, PersonPhone.person_id, PersonPhone.id)
    elif sort == "languages":
        key = Person.languages
    elif sort == "municipality":
        key = Person.municipality
    else:
        raise ValueError(f"unknown sort key {sort!r}")
    statement = _filter_persons(select(Person.id), flt)
    statement = _ordered(
        statement,
        key,
        Person.name_folded,
        Person.id,
        descending=descending,
        scanning=bool(flt.search.strip() or flt.language.strip()),
    )
    return list(session.scalars(statement))


def fetch_person_rows(
    session: Session, ids: list[int], *, today: date | None = None
) -> dict[int, PersonRow]:
    """Row data for ``ids`` in four queries per chunk of ids."""
    today = today or date.today()
    rows: dict[int, PersonRow] = {}
    for chunk in _chunks(ids):
        emails: dict[int, str] = {}
        for person_id, address in session.execute(
            select(PersonEmail.person_id, PersonEmail.address)
            .where(PersonEmail.person_id.in_(chunk))
            .order_by(PersonEmail.id)
        ):
            emails.setdefault(person_id, address)
        phones: dict[int, str] = {}
        for person_id, number in session.execute(
            select(PersonPhone.person_id, PersonPhone.number)
            .where(PersonPhone.person_id.in_(chunk))
            .order_by(PersonPhone.id)
        ):
            phones.setdefault(person_id, number)
        main: dict[int, tuple[str, str]] = {}
        for person_id, name, function in session.execute(
            select(PersonRole.person_id, Organisation.name, PersonRole.function)
            .join(Organisation, Organisation.id == PersonRole.organisation_id)
            .where(PersonRole.person_id.in_(chunk))
            .order_by(case((_is_current(today), 0), else_=1), PersonRole.id)
        ):
            main.setdefault(person_id, (name, function))
        for r in session.execute(
            select(
                Person.id,
                Person.first_name,
                Person.last_name,
                Person.languages,
                Person.municipality,
            ).where(Person.id.in_(chunk))
        ):
            organisation, function = main.get(r.id, ("", ""))
            rows[r.id] = PersonRow(
                id=r.id,
                name=list_name(r.first_name, r.last_name) or f"Person {r.id}",
                organisation=organisation,
                function=function,
                email=emails.get(r.id, ""),
                phone=phones.get(r.id, ""),
                languages=r.languages,
                municipality=r.municipality,
            )
    return rows


# --- pick lists --------------------------------------------------------------------------------


def person_choices(session: Session) -> list[tuple[int, str]]:
    """(id, "Last, First") of every person not erased, by name, for pick lists."""
    rows = session.execute(
        select(Person.id, Person.first_name, Person.last_name)
        .where(Person.erased.is_(False))
        .order_by(Person.name_folded, Person.id)
    )
    return [(r.id, list_name(r.first_name, r.last_name) or f"Person {r.id}") for r in rows]


def _distinct_by_fold(names: list[str]) -> list[str]:
    chosen: dict[str, str] = {}
    for name in names:
        if name and fold(name) not in chosen:
            chosen[fold(name)] = name
    return [chosen[key] for key in sorted(chosen)]


def tag_choices(session: Session) -> list[str]:
    """Names of the tags that people or organisations carry, by folded name, once each."""
    used = or_(
        exists().where(person_tag.c.tag_id == Tag.id),
        exists().where(organisation_tag.c.tag_id == Tag.id),
    )
    names = session.scalars(select(Tag.name).where(used).order_by(Tag.id))
    return _distinct_by_fold(list(names))


def language_choices(session: Session) -> list[str]:
    """Every language some person speaks, once each, alphabetical."""
    texts = session.scalars(select(Person.languages).where(Person.languages != "").distinct())
    return _distinct_by_fold([lang for text in texts for lang in split_languages(text)])


def municipality_choices(session: Session) -> list[str]:
    """The district's municipalities and every other one typed for a person or organisation."""
    typed = [
        *session.scalars(select(Person.municipality).distinct()),
        *session.scalars(select(Organisation.municipality).distinct()),
    ]
    return _distinct_by_fold([*MUNICIPALITIES, *typed])
