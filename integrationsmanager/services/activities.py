"""The contact history (Kontaktverlauf): dated notes on organisations, people, measures, grants.

An organisation's history also shows the notes on its people that name no organisation of
their own, if the note falls within the person's time in that organisation (a call with the
chair of a Verein belongs to the Verein's history; a note that names another organisation,
or one from before the person joined, does not).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session

from integrationsmanager.domain.enums import ActivityKind
from integrationsmanager.domain.errors import UserError, ValidationError
from integrationsmanager.domain.funding import Grant
from integrationsmanager.domain.measures import Measure
from integrationsmanager.domain.network import Activity, Organisation, Person, PersonRole
from integrationsmanager.domain.text import clean_line, clean_text
from integrationsmanager.services.organisations import length_error
from integrationsmanager.storage.tracking import session_user


def add_activity(
    session: Session,
    *,
    kind: ActivityKind,
    happened_on: date,
    subject: str,
    text: str,
    organisation_id: int | None = None,
    person_id: int | None = None,
    measure_id: int | None = None,
    grant_id: int | None = None,
    author: str = "",
) -> Activity:
    """Add a note to the history of the given records; ``author`` defaults to the login."""
    subject = clean_line(subject)
    text = clean_text(text)
    author = clean_line(author) or session_user(session)
    errors: dict[str, str] = {}
    if kind not in set(ActivityKind):
        errors["kind"] = "Bitte die Art des Kontakts wählen."
    if not subject and not text:
        errors["subject"] = "Bitte einen Betreff oder einen Text eingeben."
    for column, value, label in (("subject", subject, "Betreff"), ("author", author, "Von")):
        if message := length_error(Activity, column, value, label):
            errors[column] = message
    links = (organisation_id, person_id, measure_id, grant_id)
    if all(link is None for link in links):
        errors["link"] = "Bitte angeben, zu welcher Organisation oder Person der Eintrag gehört."
    if errors:
        raise ValidationError(errors)
    for model, record_id, name in (
        (Organisation, organisation_id, "Organisation"),
        (Person, person_id, "Person"),
        (Measure, measure_id, "Maßnahme"),
        (Grant, grant_id, "Zuwendung"),
    ):
        if record_id is not None and session.get(model, record_id) is None:
            raise UserError(f"{name} {record_id} gibt es nicht (mehr).")
    activity = Activity(
        kind=ActivityKind(kind),
        happened_on=happened_on,
        subject=subject,
        text=text,
        author=author,
        organisation_id=organisation_id,
        person_id=person_id,
        measure_id=measure_id,
        grant_id=grant_id,
    )
    session.add(activity)
    session.flush()
    return activity


def activities_for(
    session: Session,
    *,
    organisation_id: int | None = None,
    person_id: int | None = None,
    measure_id: int | None = None,
    grant_id: int | None = None,
) -> list[Activity]:
    """The history of exactly one record, newest first (see the module text for people)."""
    given = [i for i in (organisation_id, person_id, measure_id, grant_id) if i is not None]
    if len(given) != 1:
        raise ValueError("activities_for needs exactly one record")
    statement = select(Activity)
    if organisation_id is not None:
        during_role = exists().where(
            PersonRole.person_id == Activity.person_id,
            PersonRole.organisation_id == organisation_id,
            or_(PersonRole.valid_from.is_(None), PersonRole.valid_from <= Activity.happened_on),
            or_(PersonRole.valid_to.is_(None), PersonRole.valid_to >= Activity.happened_on),
        )
        statement = statement.where(
            or_(
                Activity.organisation_id == organisation_id,
                and_(Activity.organisation_id.is_(None), during_role),
            )
        )
    elif person_id is not None:
        statement = statement.where(Activity.person_id == person_id)
    elif measure_id is not None:
        statement = statement.where(Activity.measure_id == measure_id)
    else:
        statement = statement.where(Activity.grant_id == grant_id)
    return list(
        session.scalars(statement.order_by(Activity.happened_on.desc(), Activity.id.desc()))
    )
