"""The audit trail is written by the flush hooks for every audited change."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from integrationsmanager.domain.audit import AuditEntry
from integrationsmanager.domain.common import Guideline
from integrationsmanager.domain.enums import MeasureStatus
from integrationsmanager.domain.funding import FundingProgram, Grant, Payment
from integrationsmanager.domain.measures import Measure, ProgressEntry
from integrationsmanager.domain.meetings import AgendaItem, Meeting, WorkingGroup
from integrationsmanager.domain.network import Organisation, Person, PersonEmail
from integrationsmanager.services.persons import PersonData, delete_person, save_person
from integrationsmanager.storage.audit import record_bulk_insert
from integrationsmanager.storage.database import Database


def entries(db: Database, table: str | None = None) -> list[AuditEntry]:
    with db.session() as session:
        statement = select(AuditEntry).order_by(AuditEntry.id)
        if table is not None:
            statement = statement.where(AuditEntry.table_name == table)
        return list(session.scalars(statement))


def changes(entry: AuditEntry) -> dict[str, list[str]]:
    return dict(json.loads(entry.changes))


def test_person_create_update_delete_with_child_rows(db: Database) -> None:
    with db.session() as session:
        person = save_person(
            session, PersonData(first_name="Олена", last_name="Müller", emails=["o@x.de"])
        )
        person_id, uid = person.id, person.uid
    with db.session() as session:
        save_person(
            session,
            PersonData(first_name="Олена", last_name="Koval", emails=["o@x.de", "k@y.de"]),
            person_id,
        )
    with db.session() as session:
        delete_person(session, person_id)

    created, updated, deleted = entries(db, "person")
    assert [e.action for e in (created, updated, deleted)] == ["insert", "update", "delete"]
    assert {e.user for e in (created, updated, deleted)} == {"testnutzer"}
    assert {e.area for e in (created, updated, deleted)} == {"Netzwerk"}
    assert {(e.record_id, e.record_uid) for e in (created, updated)} == {(person_id, uid)}
    assert changes(created)["Vorname"] == ["", "Олена"]
    assert changes(created)["E-Mail"] == ["", "o@x.de"]
    assert changes(updated) == {"Nachname": ["Müller", "Koval"], "E-Mail": ["", "k@y.de"]}
    old = changes(deleted)
    assert old["Nachname"] == ["Koval", ""]
    assert sorted(v[0] for k, v in old.items() if k.startswith("E-Mail")) == ["k@y.de", "o@x.de"]


def test_technical_columns_are_skipped(db: Database) -> None:
    with db.session() as session:
        save_person(session, PersonData(first_name="Anna", last_name="Weiß"))
    recorded = changes(entries(db, "person")[0])
    for technical in ("uid", "updated_at", "updated_by", "Suchtext", "name_folded", "search_text"):
        assert technical not in recorded
    assert not any(key.endswith("_folded") for key in recorded)


def test_rollback_writes_no_entry(db: Database) -> None:
    with pytest.raises(RuntimeError), db.session() as session:
        save_person(session, PersonData(first_name="Anna", last_name="Weiß"))
        raise RuntimeError("abgebrochen")
    assert entries(db) == []


def _guideline(session: Session) -> Guideline:
    guideline = session.scalars(select(Guideline).order_by(Guideline.number)).first()
    assert guideline is not None
    return guideline


def test_measure_money_enum_and_progress(db: Database) -> None:
    with db.session() as session:
        measure = Measure(guideline=_guideline(session), title="Sprachcafé")
        session.add(measure)
        session.flush()
        measure_id = measure.id
    with db.session() as session:
        measure = session.get(Measure, measure_id)
        assert measure is not None
        measure.planned_budget_cents = 123456
        measure.status = "running"
        measure.start_date = date(2025, 3, 1)
        measure.progress.append(ProgressEntry(entry_date=date(2025, 3, 2), text="Start"))
    created, *updates = entries(db, "measure")
    assert created.area == "Maßnahmen" and created.action == "insert"
    assert changes(created)["Titel"] == ["", "Sprachcafé"]
    assert {e.action for e in updates} == {"update"}
    diff = {key: value for entry in updates for key, value in changes(entry).items()}
    assert diff["Budget geplant"] == ["", "1.234,56 €"]
    assert diff["Status"] == [MeasureStatus.PLANNED.label, MeasureStatus.RUNNING.label]
    assert diff["Beginn"] == ["", "01.03.2025"]
    assert diff["Fortschritt"] == ["", "02.03.2025 – Start"]


def test_organisation_meeting_and_grant_with_children(db: Database) -> None:
    with db.session() as session:
        organisation = Organisation(name="Verein Brücke")
        group = WorkingGroup(name="AK Sprache")
        program = FundingProgram(name="Integration vor Ort")
        session.add_all([organisation, group, program])
        session.flush()
        meeting = Meeting(
            group=group, title="Auftakt", starts_at=datetime(2025, 5, 1, 8, tzinfo=UTC)
        )
        grant = Grant(
            file_number="IvO-2025-001",
            program=program,
            budget_year=2025,
            recipient=organisation,
            project_title="Lernpaten",
        )
        session.add_all([meeting, grant])
        session.flush()
        ids = organisation.id, meeting.id, grant.id
    with db.session() as session:
        meeting = session.get(Meeting, ids[1])
        grant = session.get(Grant, ids[2])
        organisation = session.get(Organisation, ids[0])
        assert meeting is not None and grant is not None and organisation is not None
        meeting.agenda.append(AgendaItem(position=1, title="Begrüßung"))
        grant.payments.append(Payment(amount_cents=50000, paid_on=date(2025, 6, 1)))
        organisation.city = "Altenburg"
    with db.session() as session:
        grant = session.get(Grant, ids[2])
        assert grant is not None
        grant.payments[0].amount_cents = 60000
    (org_new, org_edit) = entries(db, "organisation")
    assert org_new.action == "insert" and changes(org_edit) == {"Ort": ["", "Altenburg"]}
    (meeting_new, meeting_edit) = entries(db, "meeting")
    assert meeting_new.area == "Arbeitskreise"
    assert changes(meeting_edit) == {"Tagesordnungspunkt": ["", "TOP 1: Begrüßung"]}
    grant_new, grant_paid, grant_changed = entries(db, "grant")
    assert grant_new.area == "Förderung"
    assert changes(grant_new)["Empfänger"] == ["", "Verein Brücke"]
    assert changes(grant_paid)["Zahlung"][1].startswith("500,00 €")
    key, (old, new) = next(iter(changes(grant_changed).items()))
    assert key.startswith("Zahlung") and key.endswith("Betrag")
    assert (old, new) == ("500,00 €", "600,00 €")


def test_email_removed_is_recorded_against_person(db: Database) -> None:
    with db.session() as session:
        person = save_person(session, PersonData(last_name="Haidari", emails=["h@x.de"]))
        person_id = person.id
    with db.session() as session:
        save_person(session, PersonData(last_name="Haidari"), person_id)
        assert session.scalars(select(PersonEmail)).all() == []
    last = entries(db, "person")[-1]
    assert last.action == "update" and changes(last) == {"E-Mail": ["h@x.de", ""]}


def test_bulk_insert_records_one_import_entry_per_record(db: Database) -> None:
    with db.session() as session:
        people = [Person(first_name="Ahmad", last_name=str(n)) for n in range(3)]
        session.add_all(people)
        session.flush()
        session.execute(AuditEntry.__table__.delete())
        record_bulk_insert(session, Person, [p.id for p in people])
    recorded = entries(db, "person")
    assert [e.action for e in recorded] == ["import"] * 3
    assert changes(recorded[0]) == {"Name": ["", "Ahmad 0"]}
