"""The lazy lists of organisations and people: search, filters, sorting, row data, choices."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from integrationsmanager.domain.enums import OrganisationKind
from integrationsmanager.services.measures import guideline_by_number
from integrationsmanager.services.network_queries import (
    ORGANISATION_SORT_KEYS,
    PERSON_SORT_KEYS,
    OrganisationFilter,
    PersonFilter,
    fetch_organisation_rows,
    fetch_person_rows,
    language_choices,
    municipality_choices,
    organisation_ids,
    person_choices,
    person_ids,
    tag_choices,
)
from integrationsmanager.services.organisations import OrganisationData, save_organisation
from integrationsmanager.services.persons import PersonData, RoleData, save_person

TODAY = date(2026, 6, 1)


def org(session: Session, name: str, **fields: object) -> int:
    return save_organisation(session, OrganisationData(name=name, **fields)).id  # type: ignore[arg-type]


def person(session: Session, first: str, last: str, **fields: object) -> int:
    return save_person(session, PersonData(first_name=first, last_name=last, **fields)).id  # type: ignore[arg-type]


def names(session: Session, flt: PersonFilter, **options: object) -> list[str]:
    ids = person_ids(session, flt, today=TODAY, **options)  # type: ignore[arg-type]
    rows = fetch_person_rows(session, ids, today=TODAY)
    return [rows[i].name for i in ids]


@pytest.fixture
def people(session: Session) -> Session:
    caritas = org(session, "Caritasverband Altenburger Land", municipality="Altenburg")
    tafel = org(session, "Tafel Schmölln", municipality="Schmölln")
    person(
        session,
        "Hans",
        "MÜLLER",
        emails=["h.mueller@caritas-abg.de"],
        phones=["03447 1"],
        languages="Deutsch",
        municipality="Altenburg",
        roles=[
            RoleData(tafel, function="Kasse", valid_to=date(2025, 12, 31)),
            RoleData(caritas, function="Migrationsberatung"),
        ],
    )
    person(
        session,
        "Petra",
        "Mueller",
        emails=["petra@example.org"],
        languages="Russisch",
        municipality="Schmölln",
        tags=["Arabisch-Kurs"],
    )
    person(
        session,
        "Олена",
        "Шевченко",
        emails=["olena@example.org"],
        phones=["0176 5"],
        languages="Ukrainisch, Russisch",
        municipality="Altenburg",
        tags=["Dolmetschen"],
        roles=[RoleData(tafel, function="Ehrenamt")],
    )
    person(
        session,
        "Omar",
        "Haddad",
        emails=["omar@example.org"],
        languages="Arabisch, Deutsch",
        municipality="Nobitz",
        tags=["dolmetschen"],
    )
    return session


def test_search_finds_umlaut_spellings_and_case(people: Session) -> None:
    assert names(people, PersonFilter(search="müller")) == ["MÜLLER, Hans", "Mueller, Petra"]
    assert names(people, PersonFilter(search="MUELLER")) == ["MÜLLER, Hans", "Mueller, Petra"]


def test_search_finds_cyrillic_in_any_case(people: Session) -> None:
    assert names(people, PersonFilter(search="олена")) == ["Шевченко, Олена"]
    assert names(people, PersonFilter(search="ШЕВЧ")) == ["Шевченко, Олена"]


def test_search_by_email_organisation_tag_language_and_several_words(people: Session) -> None:
    assert names(people, PersonFilter(search="petra@example")) == ["Mueller, Petra"]
    assert names(people, PersonFilter(search="tafel schmoelln")) == [
        "MÜLLER, Hans",
        "Шевченко, Олена",
    ]
    assert names(people, PersonFilter(search="Dolmetschen")) == [
        "Haddad, Omar",
        "Шевченко, Олена",
    ]
    assert names(people, PersonFilter(search="arabisch")) == ["Haddad, Omar", "Mueller, Petra"]
    assert names(people, PersonFilter(search="hans caritas")) == ["MÜLLER, Hans"]
    assert names(people, PersonFilter(search="100%")) == []
    assert names(people, PersonFilter(search="   ")) == names(people, PersonFilter())


def test_language_filter_matches_whole_languages_only(people: Session) -> None:
    assert names(people, PersonFilter(language="Arabisch")) == ["Haddad, Omar"]
    assert names(people, PersonFilter(language="russisch")) == ["Mueller, Petra", "Шевченко, Олена"]
    assert names(people, PersonFilter(language="Arab")) == []


def test_filters_by_organisation_municipality_and_tag(people: Session) -> None:
    tafel = organisation_ids(people, OrganisationFilter(search="tafel"))[0]
    assert names(people, PersonFilter(organisation_id=tafel)) == [
        "MÜLLER, Hans",
        "Шевченко, Олена",
    ]
    assert names(people, PersonFilter(municipality="altenburg")) == [
        "MÜLLER, Hans",
        "Шевченко, Олена",
    ]
    assert names(people, PersonFilter(tag="DOLMETSCHEN")) == ["Haddad, Omar", "Шевченко, Олена"]
    assert names(people, PersonFilter(tag="Dolmetschen", municipality="Nobitz")) == ["Haddad, Omar"]


def test_person_rows_show_the_current_main_organisation(people: Session) -> None:
    ids = person_ids(people, PersonFilter(search="hans"), today=TODAY)
    row = fetch_person_rows(people, ids, today=TODAY)[ids[0]]
    assert (row.organisation, row.function) == (
        "Caritasverband Altenburger Land",
        "Migrationsberatung",
    )
    assert (row.email, row.phone, row.languages, row.municipality) == (
        "h.mueller@caritas-abg.de",
        "03447 1",
        "Deutsch",
        "Altenburg",
    )
    earlier = fetch_person_rows(people, ids, today=date(2025, 6, 1))[ids[0]]
    assert earlier.organisation == "Tafel Schmölln"
    assert fetch_person_rows(people, []) == {}


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Haddad, Omar", "MÜLLER, Hans", "Mueller, Petra", "Шевченко, Олена"]),
        (
            "organisation",
            ["Haddad, Omar", "Mueller, Petra", "MÜLLER, Hans", "Шевченко, Олена"],
        ),
        ("email", ["MÜLLER, Hans", "Шевченко, Олена", "Haddad, Omar", "Mueller, Petra"]),
        ("phone", ["Haddad, Omar", "Mueller, Petra", "Шевченко, Олена", "MÜLLER, Hans"]),
        (
            "languages",
            ["Haddad, Omar", "MÜLLER, Hans", "Mueller, Petra", "Шевченко, Олена"],
        ),
        (
            "municipality",
            ["MÜLLER, Hans", "Шевченко, Олена", "Haddad, Omar", "Mueller, Petra"],
        ),
    ],
)
def test_people_sort_by_every_column(people: Session, sort: str, expected: list[str]) -> None:
    assert names(people, PersonFilter(), sort=sort) == expected
    assert names(people, PersonFilter(), sort=sort, descending=True) == expected[::-1]


def test_every_person_sort_key_is_tested() -> None:
    assert set(PERSON_SORT_KEYS) == {
        "name",
        "organisation",
        "email",
        "phone",
        "languages",
        "municipality",
    }
    with pytest.raises(ValueError):
        person_ids(None, sort="alter")  # type: ignore[arg-type]


def test_list_persons_and_choices(people: Session) -> None:
    assert [name for _id, name in person_choices(people)] == [
        "Haddad, Omar",
        "MÜLLER, Hans",
        "Mueller, Petra",
        "Шевченко, Олена",
    ]
    assert tag_choices(people) == ["Arabisch-Kurs", "Dolmetschen"]
    assert language_choices(people) == ["Arabisch", "Deutsch", "Russisch", "Ukrainisch"]
    choices = municipality_choices(people)
    assert "Gößnitz" in choices and "Schmölln" in choices
    assert len(choices) == len({c.casefold() for c in choices})


# --- organisations -----------------------------------------------------------------------------


@pytest.fixture
def organisations(session: Session) -> Session:
    first = guideline_by_number(session, 1)
    assert first is not None
    org(
        session,
        "Verein für Integration",
        kind=OrganisationKind.ASSOCIATION,
        municipality="Altenburg",
        phone="03447 2",
        email="info@integration.de",
        tags=["Sprache"],
        guideline_ids=[first.id],
    )
    jobcenter = org(
        session,
        "Jobcenter Altenburger Land",
        kind=OrganisationKind.JOBCENTER,
        municipality="Altenburg",
        phone="03447 1",
        email="Jobcenter@arbeitsagentur.de",
    )
    org(
        session,
        "Українська громада",
        kind=OrganisationKind.MIGRANT_ORGANISATION,
        municipality="Schmölln",
        tags=["sprache"],
        active=False,
    )
    person(session, "A", "B", roles=[RoleData(jobcenter), RoleData(jobcenter, function="X")])
    person(session, "C", "D", roles=[RoleData(jobcenter, valid_to=date(2020, 1, 1))])
    return session


def org_names(session: Session, flt: OrganisationFilter, **options: object) -> list[str]:
    ids = organisation_ids(session, flt, **options)  # type: ignore[arg-type]
    rows = fetch_organisation_rows(session, ids)
    return [rows[i].name for i in ids]


def test_organisation_search_and_filters(organisations: Session) -> None:
    assert org_names(organisations, OrganisationFilter(search="УКРАЇНСЬКА")) == [
        "Українська громада"
    ]
    assert org_names(organisations, OrganisationFilter(search="verein")) == [
        "Verein für Integration"
    ]
    assert org_names(organisations, OrganisationFilter(search="jobcenter@")) == [
        "Jobcenter Altenburger Land"
    ]
    assert org_names(organisations, OrganisationFilter(search="migrantenorganisation")) == [
        "Українська громада"
    ]
    assert org_names(organisations, OrganisationFilter(kind=OrganisationKind.JOBCENTER)) == [
        "Jobcenter Altenburger Land"
    ]
    assert org_names(organisations, OrganisationFilter(municipality="schmoelln")) == [
        "Українська громада"
    ]
    assert org_names(organisations, OrganisationFilter(tag="SPRACHE")) == [
        "Verein für Integration",
        "Українська громада",
    ]
    assert org_names(organisations, OrganisationFilter(tag="Sprache", active_only=True)) == [
        "Verein für Integration"
    ]
    first = guideline_by_number(organisations, 1)
    assert first is not None
    assert org_names(organisations, OrganisationFilter(guideline_id=first.id)) == [
        "Verein für Integration"
    ]


def test_organisation_rows(organisations: Session) -> None:
    ids = organisation_ids(organisations, OrganisationFilter(search="jobcenter"))
    row = fetch_organisation_rows(organisations, ids)[ids[0]]
    assert (row.kind_label, row.municipality, row.phone, row.email, row.active, row.people) == (
        "Jobcenter/Agentur für Arbeit",
        "Altenburg",
        "03447 1",
        "Jobcenter@arbeitsagentur.de",
        True,
        2,
    )


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["J", "V", "У"]),
        ("kind", ["J", "У", "V"]),
        ("municipality", ["J", "V", "У"]),
        ("phone", ["У", "J", "V"]),
        ("email", ["У", "V", "J"]),
        ("active", ["У", "J", "V"]),
        ("people", ["V", "У", "J"]),
    ],
)
def test_organisations_sort_by_every_column(
    organisations: Session, sort: str, expected: list[str]
) -> None:
    assert sort in ORGANISATION_SORT_KEYS
    found = [n[0] for n in org_names(organisations, OrganisationFilter(), sort=sort)]
    assert found == expected
    descending = org_names(organisations, OrganisationFilter(), sort=sort, descending=True)
    assert [n[0] for n in descending] == expected[::-1]


def test_every_organisation_sort_key_is_tested() -> None:
    assert len(ORGANISATION_SORT_KEYS) == 7
    with pytest.raises(ValueError):
        organisation_ids(None, sort="alter")  # type: ignore[arg-type]
