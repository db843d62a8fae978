"""Organisations: validation (IBAN, e-mail, website), saving, search text, deleting."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from integrationsmanager.domain.common import DeletionLog, Tag
from integrationsmanager.domain.enums import ActivityKind, OrganisationKind
from integrationsmanager.domain.errors import UserError, ValidationError
from integrationsmanager.domain.funding import FundingProgram, Grant
from integrationsmanager.domain.measures import Measure
from integrationsmanager.domain.network import Activity, Organisation, PersonRole
from integrationsmanager.domain.text import fold
from integrationsmanager.services.activities import add_activity
from integrationsmanager.services.measures import MeasureData, guideline_by_number, save_measure
from integrationsmanager.services.organisations import (
    OrganisationData,
    delete_organisation,
    format_iban,
    get_organisation,
    iban_error,
    save_organisation,
)
from integrationsmanager.services.persons import PersonData, RoleData, get_person, save_person
from integrationsmanager.storage.database import Database

VALID_IBAN = "DE89 3704 0044 0532 0130 00"


def make(session: Session, name: str = "Bürgerverein Altenburg-Nord e.V.", **fields: object) -> int:
    return save_organisation(session, OrganisationData(name=name, **fields)).id  # type: ignore[arg-type]


def test_save_stores_every_field_and_the_derived_columns(session: Session) -> None:
    guideline = guideline_by_number(session, 2)
    assert guideline is not None
    organisation = save_organisation(
        session,
        OrganisationData(
            name="  Bürgerverein   Altenburg-Nord e.V. ",
            kind=OrganisationKind.ASSOCIATION,
            street="Pauritzer Str. 12",
            postcode="04600",
            city="Altenburg",
            municipality="altenburg",
            phone="03447 123456",
            email="info@buergerverein-altenburg.de",
            website="https://www.buergerverein-altenburg.de/kontakt",
            register_number="VR 1234",
            iban=VALID_IBAN,
            guideline_ids=[guideline.id],
            tags=["Ehrenamt", "Nachbarschaft", "ehrenamt"],
            notes="Treffen jeden Dienstag\r\nim Bürgerhaus",
        ),
    )
    assert organisation.name == "Bürgerverein   Altenburg-Nord e.V."
    assert organisation.name_folded == "buergerverein altenburg-nord e.v."
    assert organisation.municipality == "Altenburg"
    assert organisation.iban == "DE89370400440532013000"
    assert organisation.notes == "Treffen jeden Dienstag\nim Bürgerhaus"
    assert [g.number for g in organisation.guidelines] == [2]
    assert [t.name for t in organisation.tags] == ["Ehrenamt", "Nachbarschaft"]
    assert organisation.uid and organisation.updated_by == "testnutzer"
    for part in ("verein", "ehrenamt", "altenburg", "info@buergerverein-altenburg.de", "04600"):
        assert part in organisation.search_text


def test_iban_checksum_decides(session: Session) -> None:
    assert iban_error(VALID_IBAN) is None
    assert iban_error("de89370400440532013000") is None
    changed = "DE89 3704 0044 0532 0130 01"
    message = iban_error(changed)
    assert message is not None and "Prüfziffer" in message
    assert iban_error("DE89 3704 0044 0532 0130") is not None
    assert iban_error("keine IBAN") is not None
    assert iban_error("") is None
    with pytest.raises(ValidationError) as caught:
        make(session, iban=changed)
    assert set(caught.value.errors) == {"iban"}
    assert session.scalar(select(func.count(Organisation.id))) == 0


def test_iban_is_stored_compact_and_shown_formatted(session: Session) -> None:
    organisation = get_organisation(session, make(session, iban="de89370400440532013000"))
    assert organisation is not None
    assert organisation.iban == "DE89370400440532013000"
    assert format_iban(organisation.iban) == VALID_IBAN
    assert OrganisationData.from_organisation(organisation).iban == VALID_IBAN


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "   "}, "name"),
        ({"email": "info(at)verein.de"}, "email"),
        ({"email": "info@verein"}, "email"),
        ({"email": "in fo@verein.de"}, "email"),
        ({"website": "keine Webseite"}, "website"),
        ({"website": "http://"}, "website"),
        ({"postcode": "04600 Altenburg"}, "postcode"),
        ({"name": "V" * 301}, "name"),
    ],
)
def test_invalid_organisations_are_refused_with_german_messages(
    session: Session, fields: dict[str, object], field: str
) -> None:
    data = OrganisationData(**{"name": "Verein", **fields})  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as caught:
        save_organisation(session, data)
    assert field in caught.value.errors
    assert caught.value.errors[field][0].isupper() or caught.value.errors[field][0] == "„"
    assert session.scalar(select(func.count(Organisation.id))) == 0


@pytest.mark.parametrize(
    "website",
    ["www.verein-altenburg.de", "https://verein.de", "http://xn--bcher-kva.de/a?b=1", "верein.рф"],
)
def test_plausible_websites_are_accepted(session: Session, website: str) -> None:
    assert "website" not in OrganisationData(name="X", website=website).errors()


def test_unknown_guideline_is_refused(session: Session) -> None:
    with pytest.raises(ValidationError, match="Leitlinie 999"):
        make(session, guideline_ids=[999])


def test_municipality_spelling_follows_the_pick_list(session: Session) -> None:
    organisation = session.get(Organisation, make(session, municipality="goessnitz"))
    assert organisation is not None and organisation.municipality == "Gößnitz"
    other = session.get(Organisation, make(session, "B", municipality="Altenburg-Nord"))
    assert other is not None and other.municipality == "Altenburg-Nord"


def test_update_keeps_uid_and_reuses_tags(session: Session) -> None:
    organisation_id = make(session, tags=["Sprache"])
    uid = session.get(Organisation, organisation_id).uid  # type: ignore[union-attr]
    save_organisation(
        session,
        OrganisationData(name="Neuer Name", kind=OrganisationKind.COMPANY, tags=["SPRACHE"]),
        organisation_id,
    )
    organisation = session.get(Organisation, organisation_id)
    assert organisation is not None
    assert (organisation.name, organisation.kind, organisation.uid) == (
        "Neuer Name",
        "company",
        uid,
    )
    assert session.scalar(select(func.count(Tag.id))) == 1
    assert "unternehmen" in organisation.search_text


def test_update_of_a_missing_organisation_is_a_user_error(session: Session) -> None:
    with pytest.raises(UserError, match="Organisation 42"):
        save_organisation(session, OrganisationData(name="X"), 42)


def test_renaming_refreshes_the_search_text_of_its_people(session: Session) -> None:
    organisation_id = make(session, "Alter Name")
    person = save_person(
        session,
        PersonData(first_name="Anna", last_name="Schulz", roles=[RoleData(organisation_id)]),
    )
    save_organisation(session, OrganisationData(name="Jugendhaus Rositz"), organisation_id)
    assert "jugendhaus rositz" in person.search_text
    assert "alter name" not in person.search_text


def test_cyrillic_and_arabic_names_round_trip(db: Database) -> None:
    names = ["Українська громада Альтенбург e.V.", "جمعية الصداقة السورية الألمانية"]
    with db.session() as session:
        ids = [make(session, name) for name in names]
    with db.session() as session:
        for organisation_id, name in zip(ids, names, strict=True):
            organisation = session.get(Organisation, organisation_id)
            assert organisation is not None
            assert organisation.name == name
            assert organisation.name_folded == fold(name)


def _grant(session: Session, recipient_id: int) -> None:
    program = FundingProgram(name="Mikroprojekte")
    session.add(program)
    session.flush()
    session.add(
        Grant(
            file_number="MP-2026-001",
            program_id=program.id,
            budget_year=2026,
            recipient_id=recipient_id,
            project_title="Sommerfest",
        )
    )
    session.flush()


def test_delete_is_refused_while_a_grant_names_the_organisation(session: Session) -> None:
    organisation_id = make(session)
    _grant(session, organisation_id)
    with pytest.raises(UserError, match="Empfänger von 1 Zuwendung"):
        delete_organisation(session, organisation_id)
    assert session.get(Organisation, organisation_id) is not None


def test_delete_removes_roles_and_notes_and_frees_measures(session: Session) -> None:
    organisation_id = make(session, "Weg e.V.")
    partner_id = make(session, "Bleibt e.V.")
    person = save_person(
        session,
        PersonData(last_name="Schulz", roles=[RoleData(organisation_id, function="Vorstand")]),
    )
    add_activity(
        session,
        kind=ActivityKind.CALL,
        happened_on=date(2026, 3, 1),
        subject="Anruf",
        text="",
        organisation_id=organisation_id,
    )
    guideline = guideline_by_number(session, 1)
    assert guideline is not None
    lead = save_measure(
        session, MeasureData(title="A", guideline_id=guideline.id, lead_organisation="Weg e.V.")
    ).measure
    partnered = save_measure(
        session,
        MeasureData(title="B", guideline_id=guideline.id, partners=["Weg e.V.", "Bleibt e.V."]),
    ).measure
    uid = session.get(Organisation, organisation_id).uid  # type: ignore[union-attr]

    delete_organisation(session, organisation_id)

    assert session.get(Organisation, organisation_id) is None
    assert session.scalar(select(func.count(PersonRole.id))) == 0
    assert session.scalar(select(func.count(Activity.id))) == 0
    session.expire_all()
    assert session.get(Measure, lead.id).lead_organisation_id is None  # type: ignore[union-attr]
    assert [p.id for p in session.get(Measure, partnered.id).partners] == [partner_id]  # type: ignore[union-attr]
    assert uid in session.scalars(select(DeletionLog.record_uid)).all()
    reloaded = get_person(session, person.id)
    assert reloaded is not None and "weg e.v." not in reloaded.search_text


def test_delete_of_a_missing_organisation_is_a_user_error(session: Session) -> None:
    with pytest.raises(UserError, match="Organisation 7"):
        delete_organisation(session, 7)


TEXT = st.one_of(st.text(max_size=30), st.text(max_size=400))
CHECKED = st.one_of(st.just(""), TEXT)
"""Fields with a syntax check are often empty, so that many examples get saved."""


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    texts=st.fixed_dictionaries(
        {
            **{
                name: TEXT
                for name in ("name", "street", "city", "municipality", "phone", "register_number")
            },
            **{name: CHECKED for name in ("postcode", "email", "website", "iban")},
            "notes": st.text(max_size=2000),
        }
    ),
    tags=st.lists(TEXT, max_size=3),
)
def test_any_text_is_saved_or_refused_clearly(
    db: Database, texts: dict[str, Any], tags: list[str]
) -> None:
    with db.sessions() as session:
        try:
            organisation = save_organisation(session, OrganisationData(**texts, tags=tags))
        except ValidationError as err:
            event("abgelehnt")
            assert err.errors
            assert all(isinstance(m, str) and m for m in err.errors.values())
        else:
            event("gespeichert")
            for column in Organisation.__table__.columns:
                length = getattr(column.type, "length", None)
                value = getattr(organisation, column.key)
                if length and isinstance(value, str):
                    assert len(value) <= length, column.key
            for tag in organisation.tags:
                assert len(tag.name) <= 100 and len(tag.name_folded) <= 100
        session.rollback()
