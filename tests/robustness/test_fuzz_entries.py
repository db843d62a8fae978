"""Random text in the smaller forms that add entries to a record: stored or refused in German.

The record editors are fuzzed in ``test_fuzz_forms.py``; here are the text fields of the
forms around them: a TOP (topic, presenter) with its minutes and decisions, the sources of a
programme's budget, the note of a planned tranche (then moved on to angewiesen, ausgezahlt or
storniert), the note of every step of a grant, a measure's progress entry, the contact log,
and a person's function in an organisation (and that organisation's name). Each example ends
either with a stored entry whose text reads back as the service's cleaning gives it and fits
its column (PostgreSQL enforces the length SQLite ignores), or with a :class:`UserError`
carrying German messages; never with another exception.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import InstrumentedAttribute, Session

from integrationsmanager.domain.base import Base
from integrationsmanager.domain.enums import ActivityKind, GrantStatus, PaymentStatus
from integrationsmanager.domain.errors import UserError, ValidationError
from integrationsmanager.domain.funding import (
    FundingSource,
    GrantStatusChange,
    Payment,
    ProgramBudget,
)
from integrationsmanager.domain.measures import ProgressEntry
from integrationsmanager.domain.meetings import AgendaItem
from integrationsmanager.domain.network import Activity, Organisation, PersonRole
from integrationsmanager.domain.text import clean_line, clean_text
from integrationsmanager.services.activities import add_activity
from integrationsmanager.services.grants import (
    GrantData,
    plan_payment,
    save_grant,
    set_payment_status,
    transition,
)
from integrationsmanager.services.measures import (
    MeasureData,
    add_progress,
    guideline_by_number,
    save_measure,
)
from integrationsmanager.services.meetings import (
    AgendaItemData,
    GroupData,
    MeetingData,
    add_agenda_item,
    record_minutes,
    save_group,
    save_meeting,
)
from integrationsmanager.services.organisations import (
    OrganisationData,
    column_length,
    save_organisation,
)
from integrationsmanager.services.persons import PersonData, RoleData, save_person
from integrationsmanager.services.programs import ProgramData, save_program, set_budget
from integrationsmanager.storage.database import Database
from tests.robustness.fuzz import TEXT_WITH_SURROGATES, TRIED, write_counts

EXAMPLES = 40

DAY = date(2026, 3, 4)


@dataclass(frozen=True)
class Field:
    """A text field of a small form: how to store text in it and how it reads back."""

    enter: Callable[[Session, str, st.DataObject], Any]
    """Stores the text (all other fields valid); returns the row holding it."""
    column: InstrumentedAttribute[str]
    clean: Callable[[str], str] = clean_line
    read: Callable[[str], str] = lambda stored: stored
    """The part of the stored text the user typed (a status note follows the step's facts)."""


# --- meetings -------------------------------------------------------------------------------


def _meeting_id(session: Session) -> int:
    group = save_group(session, GroupData(name="AG Sprache"))
    return save_meeting(
        session, MeetingData(group_id=group.id, starts_at=datetime(2026, 3, 4, 10))
    ).id


def _agenda_item(session: Session, data: AgendaItemData) -> AgendaItem:
    return add_agenda_item(session, _meeting_id(session), data)


def _minutes(session: Session, minutes: str, decisions: str) -> AgendaItem:
    item = _agenda_item(session, AgendaItemData(title="Begrüßung"))
    return record_minutes(session, item.id, minutes, decisions)


# --- funding --------------------------------------------------------------------------------


def _program_id(session: Session) -> int:
    return save_program(session, ProgramData(name="Zufallsprogramm", short_code="ZUF"))


def _budget_source(session: Session, name: str, data: st.DataObject) -> FundingSource:
    other = data.draw(st.booleans(), label="second source")
    sources = [(name, 500_00), ("Landesmittel", 250_00)] if other else [(name, 500_00)]
    budget = session.get(
        ProgramBudget, set_budget(session, _program_id(session), 2026, None, sources)
    )
    assert budget is not None
    return next(source for source in budget.sources if source.amount_cents == 500_00)


def _grant_id(session: Session) -> int:
    recipient = save_organisation(session, OrganisationData(name="Verein Brücke"))
    data = GrantData(
        program_id=_program_id(session),
        budget_year=2026,
        recipient_id=recipient.id,
        project_title="Sommerfest",
    )
    return save_grant(session, data).grant.id


Step = tuple[GrantStatus, int | None, date | None]

_TO_APPROVED: list[Step] = [
    (GrantStatus.RECEIVED, None, DAY),
    (GrantStatus.IN_REVIEW, None, None),
    (GrantStatus.APPROVED, 1_000_00, DAY),
]
_TO_CHECKED: list[Step] = [
    *_TO_APPROVED,
    (GrantStatus.PAYING, 600_00, DAY),
    (GrantStatus.PROOF_DUE, None, None),
    (GrantStatus.PROOF_RECEIVED, None, DAY),
    (GrantStatus.PROOF_CHECKED, 500_00, DAY),
]
PATHS: dict[str, list[Step]] = {
    "Antrag eingegangen": _TO_APPROVED[:1],
    "In Prüfung": _TO_APPROVED[:2],
    "Bewilligung": _TO_APPROVED,
    "Ablehnung": [*_TO_APPROVED[:2], (GrantStatus.REJECTED, None, DAY)],
    "Zurückziehen": [(GrantStatus.WITHDRAWN, None, None)],
    "Auszahlung": _TO_CHECKED[:4],
    "Nachweis fällig": _TO_CHECKED[:5],
    "Nachweis eingegangen": _TO_CHECKED[:6],
    "Nachweis geprüft": _TO_CHECKED,
    "Rückforderung": [*_TO_CHECKED, (GrantStatus.REPAYMENT, 100_00, DAY)],
    "Abschluss": [*_TO_CHECKED, (GrantStatus.CLOSED, None, None)],
}
"""Each step of a grant, reached through the steps before it; the last one gets the text."""

_WITH_FACTS = {"Antrag eingegangen", "Bewilligung", "Ablehnung", "Auszahlung"} | {
    "Nachweis eingegangen",
    "Nachweis geprüft",
    "Rückforderung",
}
"""Steps whose history note starts with the step's facts (amount, date) and " – "."""


def _status_note(path: list[Step]) -> Callable[[Session, str, st.DataObject], GrantStatusChange]:
    def enter(session: Session, note: str, _data: st.DataObject) -> GrantStatusChange:
        grant_id = _grant_id(session)
        *before, (last, amount, on) = path
        for status, cents, day in before:
            transition(
                session, grant_id, status, amount_cents=cents, on=day, confirm_over_budget=True
            )
        grant = transition(
            session, grant_id, last, note=note, amount_cents=amount, on=on, confirm_over_budget=True
        )
        return grant.history[-1]

    return enter


def _tranche_note(session: Session, note: str, data: st.DataObject) -> Payment:
    grant_id = _grant_id(session)
    for status, cents, day in _TO_APPROVED:
        transition(session, grant_id, status, amount_cents=cents, on=day, confirm_over_budget=True)
    payment = plan_payment(session, grant_id, 400_00, DAY, note=note)
    moves = data.draw(
        st.sampled_from(
            [
                (),
                (PaymentStatus.INSTRUCTED,),
                (PaymentStatus.INSTRUCTED, PaymentStatus.PAID),
                (PaymentStatus.PAID,),
                (PaymentStatus.CANCELLED,),
                (PaymentStatus.INSTRUCTED, PaymentStatus.CANCELLED),
            ]
        ),
        label="tranche moves",
    )
    for move in moves:
        set_payment_status(session, payment.id, move, on=DAY)
    return payment


# --- measures and the network ---------------------------------------------------------------


def _measure_id(session: Session) -> int:
    guideline = guideline_by_number(session, 1)
    assert guideline is not None
    return save_measure(
        session, MeasureData(title="Elterncafé", guideline_id=guideline.id)
    ).measure.id


def _activity(session: Session, subject: str, text: str) -> Activity:
    person = save_person(session, PersonData(first_name="Olena", last_name="Kowalenko"))
    kind = ActivityKind.CALL
    return add_activity(
        session, kind=kind, happened_on=DAY, subject=subject, text=text, person_id=person.id
    )


def _role(session: Session, organisation: str, function: str) -> PersonRole:
    role = RoleData(organisation_name=organisation, function=function)
    data = PersonData(first_name="Olena", last_name="Kowalenko", roles=[role])
    [stored] = save_person(session, data).roles
    return stored


FIELDS: dict[str, Field] = {
    "TOP Thema": Field(lambda s, t, _d: _agenda_item(s, AgendaItemData(title=t)), AgendaItem.title),
    "TOP Vortragende": Field(
        lambda s, t, _d: _agenda_item(s, AgendaItemData(title="Bericht", presenter_text=t)),
        AgendaItem.presenter_text,
    ),
    "TOP Protokoll": Field(lambda s, t, _d: _minutes(s, t, ""), AgendaItem.minutes, clean_text),
    "TOP Beschlüsse": Field(lambda s, t, _d: _minutes(s, "", t), AgendaItem.decisions, clean_text),
    "Budgetquelle": Field(_budget_source, FundingSource.name),
    "Tranche Notiz": Field(_tranche_note, Payment.note, clean_text),
    **{
        f"Zuwendung {step}": Field(
            _status_note(path),
            GrantStatusChange.note,
            clean_text,
            (lambda stored: stored.partition(" – ")[2]) if step in _WITH_FACTS else str,
        )
        for step, path in PATHS.items()
    },
    "Fortschritt": Field(
        lambda s, t, _d: add_progress(s, _measure_id(s), t, on=DAY), ProgressEntry.text, clean_text
    ),
    "Kontakt Betreff": Field(lambda s, t, _d: _activity(s, t, "Anruf"), Activity.subject),
    "Kontakt Text": Field(lambda s, t, _d: _activity(s, "Anruf", t), Activity.text, clean_text),
    "Funktion": Field(lambda s, t, _d: _role(s, "Verein Brücke", t), PersonRole.function),
    "Funktion Organisation": Field(
        lambda s, t, _d: _role(s, t, "Vorsitz").organisation, Organisation.name
    ),
}


def _assert_german(messages: list[str]) -> None:
    assert messages and all(isinstance(m, str) and len(m.strip()) > 3 for m in messages)


@pytest.fixture(scope="module", autouse=True)
def report_counts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    yield
    print("\n" + write_counts(tmp_path_factory.getbasetemp(), "hypothesis-forms.json", "Formular"))


@pytest.mark.parametrize("name", list(FIELDS))
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), text=TEXT_WITH_SURROGATES)
def test_random_text_in_any_entry_is_stored_or_refused_in_german(
    db: Database, name: str, data: st.DataObject, text: str
) -> None:
    TRIED[f"Formular {name}"] += 1
    field = FIELDS[name]
    with db.sessions() as session:
        try:
            try:
                row = field.enter(session, text, data)
                session.flush()
            except ValidationError as err:
                _assert_german(list(err.errors.values()))
                return
            except UserError as err:
                _assert_german([str(err)])
                return
            model: type[Base] = type(row)
            key = field.column.key
            assert getattr(model, key) is field.column, (name, model)
            stored = getattr(row, key)
            assert field.read(stored) == field.clean(text), (name, stored)
            limit = column_length(model, key)
            assert limit is None or len(stored) <= limit, f"{name}: {len(stored)} > {limit}"
        finally:
            session.rollback()
