"""The contact history: adding notes, and whose history shows which note."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from integrationsmanager.domain.enums import ActivityKind
from integrationsmanager.domain.errors import UserError, ValidationError
from integrationsmanager.services.activities import activities_for, add_activity
from integrationsmanager.services.measures import MeasureData, guideline_by_number, save_measure
from integrationsmanager.services.organisations import OrganisationData, save_organisation
from integrationsmanager.services.persons import PersonData, RoleData, save_person


def note(
    session: Session,
    on: date,
    subject: str,
    *,
    organisation_id: int | None = None,
    person_id: int | None = None,
    measure_id: int | None = None,
) -> int:
    return add_activity(
        session,
        kind=ActivityKind.CALL,
        happened_on=on,
        subject=subject,
        text="",
        organisation_id=organisation_id,
        person_id=person_id,
        measure_id=measure_id,
    ).id


def test_add_stores_the_note_with_the_login_as_author(session: Session) -> None:
    organisation = save_organisation(session, OrganisationData(name="Verein")).id
    activity = add_activity(
        session,
        kind=ActivityKind.VISIT,
        happened_on=date(2026, 4, 2),
        subject="  Besuch im Vereinsheim ",
        text="Raum für Sprachcafé\r\nangeboten\x00",
        organisation_id=organisation,
    )
    assert (activity.kind, activity.subject, activity.text) == (
        "visit",
        "Besuch im Vereinsheim",
        "Raum für Sprachcafé\nangeboten",
    )
    assert activity.author == "testnutzer"
    assert activity.uid and activity.updated_by == "testnutzer"
    other = note(session, date(2026, 4, 3), "Anruf", organisation_id=organisation)
    assert other != activity.id


def test_author_can_be_given(session: Session) -> None:
    organisation = save_organisation(session, OrganisationData(name="Verein")).id
    activity = add_activity(
        session,
        kind=ActivityKind.NOTE,
        happened_on=date(2026, 1, 1),
        subject="",
        text="Nur Text",
        organisation_id=organisation,
        author="M. Schneider",
    )
    assert activity.author == "M. Schneider"


@pytest.mark.parametrize(
    ("subject", "links", "field"),
    [
        ("", {"organisation": True}, "subject"),
        ("Anruf", {}, "link"),
        ("x" * 301, {"organisation": True}, "subject"),
    ],
)
def test_invalid_notes_are_refused(
    session: Session, subject: str, links: dict[str, bool], field: str
) -> None:
    organisation = save_organisation(session, OrganisationData(name="Verein")).id
    with pytest.raises(ValidationError) as caught:
        add_activity(
            session,
            kind=ActivityKind.CALL,
            happened_on=date(2026, 1, 1),
            subject=subject,
            text=" ",
            organisation_id=organisation if links else None,
        )
    assert field in caught.value.errors


def test_a_note_on_a_missing_record_is_a_user_error(session: Session) -> None:
    with pytest.raises(UserError, match="Person 99"):
        note(session, date(2026, 1, 1), "Anruf", person_id=99)


def test_history_is_newest_first_and_per_record(session: Session) -> None:
    guideline = guideline_by_number(session, 1)
    assert guideline is not None
    measure = save_measure(session, MeasureData(title="M", guideline_id=guideline.id)).measure.id
    person = save_person(session, PersonData(last_name="Schulz")).id
    first = note(session, date(2026, 1, 5), "Januar", person_id=person)
    second = note(session, date(2026, 3, 5), "März", person_id=person, measure_id=measure)
    same_day = note(session, date(2026, 3, 5), "März, später", person_id=person)
    assert [a.id for a in activities_for(session, person_id=person)] == [same_day, second, first]
    assert [a.id for a in activities_for(session, measure_id=measure)] == [second]


def test_organisation_history_includes_its_people_during_their_role(session: Session) -> None:
    verein = save_organisation(session, OrganisationData(name="Verein")).id
    other = save_organisation(session, OrganisationData(name="Andere")).id
    person = save_person(
        session,
        PersonData(
            last_name="Schulz",
            roles=[RoleData(verein, valid_from=date(2025, 1, 1), valid_to=date(2025, 12, 31))],
        ),
    ).id
    own = note(session, date(2024, 6, 1), "Eigene Notiz", organisation_id=verein)
    during = note(session, date(2025, 6, 1), "Anruf mit Frau Schulz", person_id=person)
    note(session, date(2024, 6, 2), "Vor ihrer Zeit", person_id=person)
    note(session, date(2026, 2, 1), "Nach ihrer Zeit", person_id=person)
    note(session, date(2025, 7, 1), "Über die andere", person_id=person, organisation_id=other)
    assert [a.id for a in activities_for(session, organisation_id=verein)] == [during, own]
    assert len(activities_for(session, organisation_id=other)) == 1


def test_history_needs_exactly_one_record(session: Session) -> None:
    with pytest.raises(ValueError):
        activities_for(session)
    with pytest.raises(ValueError):
        activities_for(session, person_id=1, organisation_id=1)
