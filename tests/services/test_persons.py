"""People: validation, saving with contact data, roles and tags, the search text, deleting."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from integrationsmanager.domain.common import DeletionLog
from integrationsmanager.domain.enums import ActivityKind
from integrationsmanager.domain.errors import UserError, ValidationError
from integrationsmanager.domain.funding import FundingProgram, Grant
from integrationsmanager.domain.meetings import (
    ActionItem,
    AgendaItem,
    Attendance,
    Meeting,
    Membership,
    WorkingGroup,
)
from integrationsmanager.domain.network import (
    Activity,
    Organisation,
    Person,
    PersonEmail,
    PersonPhone,
    PersonRole,
)
from integrationsmanager.domain.text import fold
from integrationsmanager.services.activities import add_activity
from integrationsmanager.services.organisations import OrganisationData, save_organisation
from integrationsmanager.services.persons import (
    PersonData,
    RoleData,
    delete_person,
    get_person,
    person_display_name,
    save_person,
)
from integrationsmanager.storage.database import Database


def organisation(session: Session, name: str = "Caritasverband Altenburg") -> int:
    return save_organisation(session, OrganisationData(name=name)).id


def full(session: Session) -> PersonData:
    return PersonData(
        salutation="Frau",
        title="Dr.",
        first_name=" Anna ",
        last_name="Müller",
        emails=["Anna.Mueller@caritas-abg.de", "anna@example.org", "ANNA@example.org", " "],
        phones=["03447 123456", "0176 1234567"],
        languages="Deutsch, Arabisch; arabisch, Dari",
        street="Markt 1",
        postcode="04600",
        city="Altenburg",
        municipality="altenburg",
        roles=[
            RoleData(organisation(session), function="Migrationsberatung"),
            RoleData(organisation_name="Jugendmigrationsdienst Schmölln", function="Ehrenamt"),
        ],
        tags=["Dolmetschen", "Beirat"],
        notes="Spricht auch etwas Farsi.",
        consent_given_on=date(2026, 2, 1),
        consent_purpose="Einladungen zum Netzwerktreffen",
        consent_how="schriftlich",
        legal_basis="Art. 6 Abs. 1 lit. a DSGVO",
        purpose="Netzwerkarbeit",
        source="Anmeldebogen Netzwerktreffen",
    )


def test_save_stores_contact_data_roles_tags_and_dsgvo_fields(session: Session) -> None:
    saved = save_person(session, full(session))
    session.expire_all()
    person = get_person(session, saved.id)
    assert person is not None
    assert (person.first_name, person.last_name, person.title) == ("Anna", "Müller", "Dr.")
    assert [e.address for e in person.emails] == ["Anna.Mueller@caritas-abg.de", "anna@example.org"]
    assert [e.address_folded for e in person.emails] == [
        "anna.mueller@caritas-abg.de",
        "anna@example.org",
    ]
    assert [p.number for p in person.phones] == ["03447 123456", "0176 1234567"]
    assert person.languages == "Deutsch, Arabisch, Dari"
    assert person.municipality == "Altenburg"
    assert sorted((r.organisation.name, r.function) for r in person.roles) == [
        ("Caritasverband Altenburg", "Migrationsberatung"),
        ("Jugendmigrationsdienst Schmölln", "Ehrenamt"),
    ]
    assert {t.name for t in person.tags} == {"Dolmetschen", "Beirat"}
    assert person.consent_given_on == date(2026, 2, 1)
    assert (person.legal_basis, person.source) == (
        "Art. 6 Abs. 1 lit. a DSGVO",
        "Anmeldebogen Netzwerktreffen",
    )
    assert person.name_folded == "mueller anna"
    assert person.updated_by == "testnutzer" and person.uid
    assert person_display_name(person) == "Müller, Anna"


def test_search_text_holds_everything_the_list_search_finds(session: Session) -> None:
    person = save_person(session, full(session))
    for part in (
        "anna mueller",
        "mueller anna",
        "anna.mueller@caritas-abg.de",
        "03447 123456",
        "caritasverband altenburg",
        "jugendmigrationsdienst schmoelln",
        "migrationsberatung",
        "dolmetschen",
        "\u241e arabisch \u241e",
        "\u241e dari \u241e",
        "altenburg",
    ):
        assert part in person.search_text, part


def test_display_name_without_a_name_falls_back_to_the_id(session: Session) -> None:
    person = save_person(session, PersonData(first_name="Olena"))
    assert person_display_name(person) == "Olena"
    person.first_name = ""
    assert person_display_name(person) == f"Person {person.id}"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"first_name": " ", "last_name": "\t"}, "last_name"),
        ({"emails": ["anna@example.org", "anna(at)example.org"]}, "emails"),
        ({"emails": ["a" * 200 + "@example.org"]}, "emails"),
        ({"phones": ["0" * 101]}, "phones"),
        (
            {"consent_given_on": date(2026, 3, 1), "consent_withdrawn_on": date(2026, 2, 28)},
            "consent_withdrawn_on",
        ),
        ({"roles": [RoleData()]}, "roles"),
        (
            {
                "roles": [
                    RoleData(
                        organisation_name="X",
                        valid_from=date(2026, 5, 1),
                        valid_to=date(2026, 1, 1),
                    )
                ]
            },
            "roles",
        ),
        ({"roles": [RoleData(organisation_id=999)]}, "roles"),
        ({"postcode": "04600 Altenburg"}, "postcode"),
        ({"languages": "Deutsch, " + "x" * 300}, "languages"),
    ],
)
def test_invalid_persons_are_refused_with_german_messages(
    session: Session, fields: dict[str, object], field: str
) -> None:
    data = PersonData(**{"last_name": "Müller", **fields})  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as caught:
        save_person(session, data)
    assert field in caught.value.errors
    assert caught.value.errors[field][0].isupper() or caught.value.errors[field][0] == "„"
    assert session.scalar(select(func.count(Person.id))) == 0


def test_withdrawal_on_the_day_of_consent_is_allowed(session: Session) -> None:
    day = date(2026, 3, 1)
    save_person(session, PersonData(last_name="X", consent_given_on=day, consent_withdrawn_on=day))


def test_update_keeps_uids_of_rows_that_stay(session: Session) -> None:
    caritas = organisation(session)
    person = save_person(
        session,
        PersonData(
            last_name="Müller",
            emails=["a@example.org", "b@example.org"],
            phones=["1", "2"],
            roles=[RoleData(caritas, function="Beratung"), RoleData(organisation_name="Weg")],
        ),
    )
    person.emails[0].label = "dienstlich"
    email_uid = person.emails[0].uid
    role_uid = next(r.uid for r in person.roles if r.function == "Beratung")
    person_uid = person.uid
    removed_phone = person.phones[1].uid
    session.flush()

    save_person(
        session,
        PersonData(
            last_name="Müller-Schmidt",
            emails=["A@example.org"],
            phones=["1"],
            roles=[RoleData(caritas, function="beratung", valid_from=date(2025, 1, 1))],
        ),
        person.id,
    )
    session.expire_all()
    person = get_person(session, person.id)  # type: ignore[assignment]
    assert person is not None and person.uid == person_uid
    assert [(e.address, e.label, e.uid) for e in person.emails] == [
        ("A@example.org", "dienstlich", email_uid)
    ]
    assert [r.uid for r in person.roles] == [role_uid]
    assert person.roles[0].valid_from == date(2025, 1, 1)
    assert session.scalar(select(func.count(PersonEmail.id))) == 1
    assert session.scalar(select(func.count(PersonPhone.id))) == 1
    assert session.scalar(select(func.count(PersonRole.id))) == 1
    assert removed_phone in session.scalars(select(DeletionLog.record_uid)).all()
    assert "weg" not in person.search_text.split(" \u241f ")


def test_role_by_name_reuses_the_organisation_ignoring_umlaut_spelling(session: Session) -> None:
    organisation(session, "Städtische Wohnungsgesellschaft")
    save_person(
        session,
        PersonData(
            last_name="X", roles=[RoleData(organisation_name="staedtische wohnungsgesellschaft")]
        ),
    )
    assert session.scalar(select(func.count(Organisation.id))) == 1


def test_update_of_a_missing_person_is_a_user_error(session: Session) -> None:
    with pytest.raises(UserError, match="Person 5"):
        save_person(session, PersonData(last_name="X"), 5)


def test_from_person_round_trips(session: Session) -> None:
    person = save_person(session, full(session))
    data = PersonData.from_person(person)
    again = save_person(session, data, person.id)
    assert PersonData.from_person(again) == data


def test_cyrillic_and_arabic_names_round_trip(db: Database) -> None:
    names = [("Олена", "Шевченко"), ("محمد", "الأحمد"), ("Zahra", "Ahmadi")]
    with db.session() as session:
        ids = [
            save_person(session, PersonData(first_name=first, last_name=last)).id
            for first, last in names
        ]
    with db.session() as session:
        for person_id, (first, last) in zip(ids, names, strict=True):
            person = session.get(Person, person_id)
            assert person is not None
            assert (person.first_name, person.last_name) == (first, last)
            assert person.name_folded == fold(f"{last} {first}")
            assert person_display_name(person) == f"{last}, {first}"


def test_delete_removes_links_and_keeps_meetings_and_grants(session: Session) -> None:
    person = save_person(session, full(session))
    group = WorkingGroup(name="AK Sprache")
    session.add(group)
    session.flush()
    meeting = Meeting(group_id=group.id, starts_at=datetime(2026, 5, 4, 14, tzinfo=UTC))
    session.add(meeting)
    session.flush()
    program = FundingProgram(name="Mikroprojekte")
    session.add(program)
    session.flush()
    grant = Grant(
        file_number="1",
        program_id=program.id,
        budget_year=2026,
        recipient_id=person.roles[0].organisation_id,
        contact_person_id=person.id,
        project_title="Fest",
    )
    agenda = AgendaItem(meeting_id=meeting.id, title="Bericht", presenter_id=person.id)
    action = ActionItem(group_id=group.id, title="Einladen", owner_id=person.id)
    session.add_all(
        [
            grant,
            agenda,
            action,
            Membership(group_id=group.id, person_id=person.id),
            Attendance(meeting_id=meeting.id, person_id=person.id),
        ]
    )
    add_activity(
        session,
        kind=ActivityKind.NOTE,
        happened_on=date(2026, 1, 1),
        subject="Notiz",
        text="",
        person_id=person.id,
    )
    session.flush()
    uid = person.uid

    delete_person(session, person.id)

    assert session.get(Person, person.id) is None
    for model in (PersonEmail, PersonPhone, PersonRole, Membership, Attendance, Activity):
        assert session.scalar(select(func.count(model.id))) == 0, model
    session.expire_all()
    assert session.get(Grant, grant.id).contact_person_id is None  # type: ignore[union-attr]
    assert session.get(AgendaItem, agenda.id).presenter_id is None  # type: ignore[union-attr]
    assert session.get(ActionItem, action.id).owner_id is None  # type: ignore[union-attr]
    assert session.scalar(select(func.count(Organisation.id))) == 2
    assert uid in session.scalars(select(DeletionLog.record_uid)).all()


def test_delete_of_a_missing_person_is_a_user_error(session: Session) -> None:
    with pytest.raises(UserError, match="Person 3"):
        delete_person(session, 3)


TEXT = st.one_of(st.text(max_size=30), st.text(max_size=400))
LINE_FIELDS = (
    "salutation",
    "title",
    "first_name",
    "last_name",
    "languages",
    "street",
    "postcode",
    "city",
    "municipality",
    "consent_purpose",
    "consent_how",
    "legal_basis",
    "purpose",
    "source",
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    texts=st.fixed_dictionaries({name: TEXT for name in LINE_FIELDS}),
    notes=st.text(max_size=2000),
    emails=st.lists(st.one_of(TEXT, st.emails()), max_size=3),
    phones=st.lists(TEXT, max_size=3),
    tags=st.lists(TEXT, max_size=3),
    role_names=st.lists(TEXT, max_size=2),
    functions=st.lists(TEXT, min_size=2, max_size=2),
)
def test_any_text_is_saved_or_refused_clearly(
    db: Database,
    texts: dict[str, Any],
    notes: str,
    emails: list[str],
    phones: list[str],
    tags: list[str],
    role_names: list[str],
    functions: list[str],
) -> None:
    roles = [
        RoleData(organisation_name=name, function=function)
        for name, function in zip(role_names, functions, strict=False)
    ]
    data = PersonData(**texts, notes=notes, emails=emails, phones=phones, tags=tags, roles=roles)
    with db.sessions() as session:
        try:
            person = save_person(session, data)
        except ValidationError as err:
            event("abgelehnt")
            assert err.errors
            assert all(isinstance(m, str) and m for m in err.errors.values())
        else:
            event("gespeichert")
            rows = [person, *person.emails, *person.phones, *person.roles, *person.tags]
            rows += [r.organisation for r in person.roles]
            for row in rows:
                for column in type(row).__table__.columns:
                    length = getattr(column.type, "length", None)
                    value = getattr(row, column.key)
                    if length and isinstance(value, str):
                        assert len(value) <= length, (type(row).__name__, column.key)
        session.rollback()
