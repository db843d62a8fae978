"""Duplicates: detection by e-mail and by name and place, the batch index, and merging."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from integrationsmanager.domain.base import Base
from integrationsmanager.domain.common import DeletionLog
from integrationsmanager.domain.enums import ActivityKind, AttendanceStatus, OrganisationKind
from integrationsmanager.domain.errors import UserError
from integrationsmanager.domain.funding import FundingProgram, Grant
from integrationsmanager.domain.measures import Measure
from integrationsmanager.domain.meetings import (
    ActionItem,
    AgendaItem,
    Attendance,
    Meeting,
    Membership,
    WorkingGroup,
)
from integrationsmanager.domain.network import Activity, Organisation, Person, PersonRole
from integrationsmanager.services.activities import activities_for, add_activity
from integrationsmanager.services.duplicates import (
    ORGANISATION_REFERENCES,
    PERSON_REFERENCES,
    DuplicateHit,
    DuplicateIndex,
    merge_organisations,
    merge_persons,
    organisation_duplicates,
    person_duplicates,
)
from integrationsmanager.services.measures import MeasureData, guideline_by_number, save_measure
from integrationsmanager.services.network_queries import PersonFilter, person_ids
from integrationsmanager.services.organisations import (
    OrganisationData,
    get_organisation,
    save_organisation,
)
from integrationsmanager.services.persons import PersonData, RoleData, get_person, save_person


def person(session: Session, first: str, last: str, **fields: object) -> int:
    return save_person(session, PersonData(first_name=first, last_name=last, **fields)).id  # type: ignore[arg-type]


def org(session: Session, name: str, **fields: object) -> int:
    return save_organisation(session, OrganisationData(name=name, **fields)).id  # type: ignore[arg-type]


def hits(session: Session, **query: object) -> list[DuplicateHit]:
    """The same question to the single-record function and to the batch index."""
    arguments = {"first_name": "", "last_name": "", "emails": [], "municipality": "", **query}
    single = person_duplicates(session, **arguments)  # type: ignore[arg-type]
    batch = DuplicateIndex.build(session).person_hits(**arguments)  # type: ignore[arg-type]
    assert single == batch
    return single


# --- detection ---------------------------------------------------------------------------------


def test_same_email_is_a_duplicate_ignoring_case(session: Session) -> None:
    anna = person(session, "Anna", "Schulz", emails=["anna.schulz@example.org"])
    found = hits(session, first_name="A.", last_name="Schulze", emails=["Anna.Schulz@Example.org "])
    assert found == [
        DuplicateHit(anna, "Schulz, Anna", "gleiche E-Mail-Adresse Anna.Schulz@Example.org")
    ]


def test_same_name_in_the_same_municipality_ignoring_umlaut_spelling(session: Session) -> None:
    mueller = person(session, "Jürgen", "Müller", municipality="Schmölln")
    person(session, "Jürgen", "Müller", municipality="Altenburg")
    found = hits(session, first_name="juergen ", last_name="MUELLER", municipality="schmoelln")
    assert found == [DuplicateHit(mueller, "Müller, Jürgen", "gleicher Name in Schmölln")]
    assert hits(session, first_name="Jürgen", last_name="Mueller", municipality="Lucka") == []


def test_same_name_without_municipality_on_both_sides(session: Session) -> None:
    olena = person(session, "Олена", "Шевченко")
    found = hits(session, first_name="ОЛЕНА", last_name="шевченко")
    assert [(h.id, h.reason) for h in found] == [(olena, "gleicher Name, beide ohne Gemeinde")]
    assert hits(session, first_name="Олена", last_name="Шевченко", municipality="Altenburg") == []


def test_both_reasons_in_one_hit_and_the_record_itself_excluded(session: Session) -> None:
    anna = person(session, "Anna", "Schulz", emails=["a@example.org"], municipality="Altenburg")
    query = {
        "first_name": "Anna",
        "last_name": "Schulz",
        "emails": ["a@example.org"],
        "municipality": "Altenburg",
    }
    [hit] = hits(session, **query)
    assert hit.reason == "gleiche E-Mail-Adresse a@example.org; gleicher Name in Altenburg"
    assert hits(session, **query, exclude_id=anna) == []


def test_erased_people_are_no_duplicates(session: Session) -> None:
    anna = session.get(Person, person(session, "Anna", "Schulz", emails=["a@example.org"]))
    assert anna is not None
    anna.erased = True
    session.flush()
    assert hits(session, first_name="Anna", last_name="Schulz", emails=["a@example.org"]) == []


def test_the_index_remembers_rows_of_the_same_import(session: Session) -> None:
    index = DuplicateIndex.build(session)
    index.remember_person(
        -1, first_name="Anna", last_name="Müller", emails=["am@example.org"], municipality="Nobitz"
    )
    found = index.person_hits(
        first_name="Anna", last_name="Mueller", emails=[], municipality="nobitz"
    )
    assert found == [DuplicateHit(-1, "Müller, Anna", "gleicher Name in Nobitz")]
    assert index.person_hits(
        first_name="", last_name="", emails=["AM@example.org"], municipality=""
    )


def test_organisation_duplicates_by_name_place_and_email(session: Session) -> None:
    verein = org(session, "Bürgerverein Nobitz e.V.", municipality="Nobitz")
    other_place = org(session, "Bürgerverein Nobitz e.V.", municipality="Lucka")
    mail = org(session, "Ganz anders", email="post@tafel-altenburg.de")

    def both(*, name: str, municipality: str, email: str) -> list[tuple[int, str]]:
        single = organisation_duplicates(session, name=name, municipality=municipality, email=email)
        batch = DuplicateIndex.build(session).organisation_hits(
            name=name, municipality=municipality, email=email
        )
        assert single == batch
        return [(h.id, h.reason) for h in single]

    assert both(name="buergerverein nobitz e.v.", municipality="Nobitz", email="") == [
        (verein, "gleicher Name in Nobitz")
    ]
    assert both(name="Bürgerverein Nobitz e.V.", municipality="", email="") == [
        (verein, "gleicher Name"),
        (other_place, "gleicher Name"),
    ]
    assert both(name="Bürgerverein Nobitz e.V.", municipality="Rositz", email="") == []
    assert both(name="Tafel", municipality="", email="POST@tafel-altenburg.de") == [
        (mail, "gleiche E-Mail-Adresse POST@tafel-altenburg.de")
    ]
    assert both(name="", municipality="", email="") == []


# --- merging people ----------------------------------------------------------------------------


def test_every_column_that_points_at_a_person_or_organisation_is_merged() -> None:
    """A new link to a person or organisation must be added to the merge (and this list)."""
    found: dict[str, set[str]] = {"person": set(), "organisation": set()}
    for table in Base.metadata.tables.values():
        for key in table.foreign_keys:
            target = key.column.table.name
            if target in found:
                found[target].add(f"{table.name}.{key.parent.name}")
    assert found["person"] == PERSON_REFERENCES
    assert found["organisation"] == ORGANISATION_REFERENCES


def _meeting_world(session: Session) -> tuple[WorkingGroup, Meeting, Meeting]:
    group = WorkingGroup(name="AK Sprache")
    session.add(group)
    session.flush()
    first = Meeting(group_id=group.id, starts_at=datetime(2026, 3, 2, 14, tzinfo=UTC))
    second = Meeting(group_id=group.id, starts_at=datetime(2026, 6, 1, 14, tzinfo=UTC))
    session.add_all([first, second])
    session.flush()
    return group, first, second


def _grant(session: Session, recipient: int, contact: int | None = None) -> Grant:
    program = FundingProgram(name="Mikroprojekte")
    session.add(program)
    session.flush()
    grant = Grant(
        file_number="MP-1",
        program_id=program.id,
        budget_year=2026,
        recipient_id=recipient,
        contact_person_id=contact,
        project_title="Fest",
    )
    session.add(grant)
    session.flush()
    return grant


def test_merge_persons_moves_every_link(session: Session) -> None:
    caritas = org(session, "Caritas")
    tafel = org(session, "Tafel")
    keep = person(
        session,
        "Anna",
        "Müller",
        emails=["anna@example.org"],
        phones=["03447 123456"],
        languages="Deutsch",
        roles=[RoleData(caritas, function="Beratung")],
        tags=["Beirat"],
        notes="Erste Notiz",
    )
    remove = person(
        session,
        "Anna",
        "Mueller",
        title="Dr.",
        street="Markt 1",
        municipality="Altenburg",
        emails=["ANNA@example.org", "a.mueller@tafel.de"],
        phones=["03447/123456", "0176 1"],
        languages="Arabisch, deutsch",
        roles=[
            RoleData(caritas, function="beratung", valid_from=date(2024, 1, 1)),
            RoleData(tafel, function="Vorstand"),
        ],
        tags=["beirat", "Dolmetschen"],
        notes="Zweite Notiz",
        consent_given_on=date(2026, 1, 1),
        consent_purpose="Einladungen",
    )
    group, first, second = _meeting_world(session)
    other_group = WorkingGroup(name="Beirat")
    session.add(other_group)
    session.flush()
    session.add_all(
        [
            Membership(group_id=group.id, person_id=keep),
            Membership(group_id=group.id, person_id=remove),
            Membership(group_id=other_group.id, person_id=remove, role="chair"),
            Attendance(meeting_id=first.id, person_id=keep),
            Attendance(meeting_id=first.id, person_id=remove, status=AttendanceStatus.PRESENT),
            Attendance(meeting_id=second.id, person_id=remove, status=AttendanceStatus.EXCUSED),
        ]
    )
    action = ActionItem(group_id=group.id, title="Einladen", owner_id=remove)
    agenda = AgendaItem(meeting_id=first.id, title="Bericht", presenter_id=remove)
    session.add_all([action, agenda])
    grant = _grant(session, tafel, contact=remove)
    activity = add_activity(
        session,
        kind=ActivityKind.CALL,
        happened_on=date(2026, 2, 1),
        subject="Anruf",
        text="",
        person_id=remove,
    )
    removed_uid = session.get(Person, remove).uid  # type: ignore[union-attr]

    merge_persons(session, keep, remove)

    session.expire_all()
    assert session.get(Person, remove) is None
    assert removed_uid in session.scalars(select(DeletionLog.record_uid)).all()
    kept = get_person(session, keep)
    assert kept is not None
    assert kept.title == "Dr." and kept.street == "Markt 1" and kept.municipality == "Altenburg"
    assert (kept.first_name, kept.last_name) == ("Anna", "Müller")
    assert [e.address for e in kept.emails] == ["anna@example.org", "a.mueller@tafel.de"]
    assert [p.number for p in kept.phones] == ["03447 123456", "0176 1"]
    assert kept.languages == "Deutsch, Arabisch"
    assert kept.notes == "Erste Notiz\n\nZweite Notiz"
    assert (kept.consent_given_on, kept.consent_purpose) == (date(2026, 1, 1), "Einladungen")
    assert sorted((r.organisation.name, r.function, r.valid_from) for r in kept.roles) == [
        ("Caritas", "Beratung", date(2024, 1, 1)),
        ("Tafel", "Vorstand", None),
    ]
    assert sorted(t.name for t in kept.tags) == ["Beirat", "Dolmetschen"]
    memberships = session.scalars(select(Membership).order_by(Membership.group_id)).all()
    assert [(m.group_id, m.person_id, m.role) for m in memberships] == [
        (group.id, keep, "member"),
        (other_group.id, keep, "chair"),
    ]
    attendance = session.scalars(select(Attendance).order_by(Attendance.meeting_id)).all()
    assert [(a.meeting_id, a.person_id, a.status) for a in attendance] == [
        (first.id, keep, "present"),
        (second.id, keep, "excused"),
    ]
    assert session.get(ActionItem, action.id).owner_id == keep  # type: ignore[union-attr]
    assert session.get(AgendaItem, agenda.id).presenter_id == keep  # type: ignore[union-attr]
    assert session.get(Grant, grant.id).contact_person_id == keep  # type: ignore[union-attr]
    assert [a.id for a in activities_for(session, person_id=keep)] == [activity.id]
    assert person_ids(session, PersonFilter(search="a.mueller@tafel.de")) == [keep]
    assert person_ids(session, PersonFilter(language="Arabisch")) == [keep]


def test_merge_keeps_the_later_consent_event(session: Session) -> None:
    keep = person(session, "A", "B", consent_given_on=date(2025, 1, 1), consent_how="mündlich")
    remove = person(
        session,
        "A",
        "B",
        consent_given_on=date(2024, 1, 1),
        consent_withdrawn_on=date(2026, 1, 1),
    )
    kept = merge_persons(session, keep, remove)
    assert (kept.consent_given_on, kept.consent_withdrawn_on, kept.consent_how) == (
        date(2024, 1, 1),
        date(2026, 1, 1),
        "",
    )


def test_merge_with_itself_or_a_missing_record_is_a_user_error(session: Session) -> None:
    anna = person(session, "Anna", "Schulz")
    with pytest.raises(UserError, match="sich selbst"):
        merge_persons(session, anna, anna)
    with pytest.raises(UserError, match="Person 999"):
        merge_persons(session, anna, 999)
    with pytest.raises(UserError, match="Organisation 998"):
        merge_organisations(session, 998, org(session, "X"))


# --- merging organisations ---------------------------------------------------------------------


def test_merge_organisations_moves_every_link(session: Session) -> None:
    first_guideline = guideline_by_number(session, 1)
    second_guideline = guideline_by_number(session, 2)
    assert first_guideline is not None and second_guideline is not None
    keep = org(session, "Tafel Altenburg e.V.", guideline_ids=[first_guideline.id], tags=["Essen"])
    remove = org(
        session,
        "Altenburger Tafel",
        kind=OrganisationKind.ASSOCIATION,
        municipality="Altenburg",
        email="post@tafel.de",
        iban="DE89 3704 0044 0532 0130 00",
        guideline_ids=[first_guideline.id, second_guideline.id],
        tags=["essen", "Ehrenamt"],
        active=False,
    )
    other = org(session, "Caritas")
    both = person(
        session,
        "Anna",
        "Schulz",
        roles=[RoleData(keep, function="Vorstand"), RoleData(remove, function="vorstand")],
    )
    moved = person(session, "Omar", "Haddad", roles=[RoleData(remove, function="Kasse")])
    grant = _grant(session, remove)
    activity = add_activity(
        session,
        kind=ActivityKind.VISIT,
        happened_on=date(2026, 5, 1),
        subject="Besuch",
        text="",
        organisation_id=remove,
    )
    gid = first_guideline.id
    led = save_measure(
        session,
        MeasureData(
            title="Geführt",
            guideline_id=gid,
            lead_organisation="Altenburger Tafel",
            partners=["Tafel Altenburg e.V.", "Caritas"],
        ),
    ).measure.id
    partnered = save_measure(
        session,
        MeasureData(title="Partner", guideline_id=gid, partners=["Altenburger Tafel", "Caritas"]),
    ).measure.id
    led_by_keep = save_measure(
        session,
        MeasureData(
            title="Schon geführt",
            guideline_id=gid,
            lead_organisation="Tafel Altenburg e.V.",
            partners=["Altenburger Tafel"],
        ),
    ).measure.id
    removed_uid = session.get(Organisation, remove).uid  # type: ignore[union-attr]

    merge_organisations(session, keep, remove)

    session.expire_all()
    assert session.get(Organisation, remove) is None
    assert removed_uid in session.scalars(select(DeletionLog.record_uid)).all()
    kept = get_organisation(session, keep)
    assert kept is not None
    assert kept.name == "Tafel Altenburg e.V."
    assert (kept.kind, kept.municipality, kept.email, kept.iban, kept.active) == (
        "association",
        "Altenburg",
        "post@tafel.de",
        "DE89370400440532013000",
        True,
    )
    assert sorted(g.number for g in kept.guidelines) == [1, 2]
    assert sorted(t.name for t in kept.tags) == ["Ehrenamt", "Essen"]
    roles = session.scalars(select(PersonRole).order_by(PersonRole.person_id)).all()
    assert [(r.person_id, r.organisation_id, r.function) for r in roles] == [
        (both, keep, "Vorstand"),
        (moved, keep, "Kasse"),
    ]
    assert session.get(Grant, grant.id).recipient_id == keep  # type: ignore[union-attr]
    assert [a.id for a in activities_for(session, organisation_id=keep)] == [activity.id]

    def links(measure_id: int) -> tuple[int | None, list[int]]:
        measure = session.get(Measure, measure_id)
        assert measure is not None
        return measure.lead_organisation_id, sorted(p.id for p in measure.partners)

    assert links(led) == (keep, [other])
    assert links(partnered) == (None, sorted([keep, other]))
    assert links(led_by_keep) == (keep, [])
    omar = get_person(session, moved)
    assert omar is not None and "tafel altenburg e.v." in omar.search_text
    assert "altenburger tafel" not in omar.search_text
    assert session.scalar(select(func.count(Activity.id))) == 1
