"""Reading the audit trail: a record's history, the filtered change log, anonymising."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select, update

from integrationsmanager.domain.audit import AuditEntry
from integrationsmanager.domain.network import Organisation
from integrationsmanager.services.audit import (
    ChangeFilter,
    anonymise_audit,
    audit_areas,
    audit_users,
    change_log,
    change_log_ids,
    record_history,
)
from integrationsmanager.services.persons import PersonData, save_person
from integrationsmanager.storage.database import Database


def _setup(db: Database) -> int:
    with db.session() as session:
        person = save_person(session, PersonData(first_name="Fatima", last_name="Al-Hassan"))
        person_id = person.id
        session.add(Organisation(name="Tafel e. V."))
    with db.session() as session:
        save_person(session, PersonData(first_name="Fatima", last_name="Nour"), person_id)
        session.execute(
            update(AuditEntry).where(AuditEntry.table_name == "organisation").values(user="anna")
        )
    return person_id


def test_record_history_newest_first_with_german_fields(db: Database) -> None:
    person_id = _setup(db)
    with db.session() as session:
        rows = record_history(session, "person", person_id)
    assert rows[0].action == "geändert"
    assert (rows[0].field, rows[0].old, rows[0].new) == ("Nachname", "Al-Hassan", "Nour")
    assert {r.action for r in rows[1:]} == {"angelegt"}


def test_change_log_filters_by_user_area_date_and_text(db: Database) -> None:
    _setup(db)
    today = date.today()
    with db.session() as session:
        assert len(change_log(session)) == 3
        assert [r.record for r in change_log(session, user="anna")] == ["Tafel e. V."]
        assert len(change_log(session, area="Netzwerk")) == 3
        assert change_log(session, area="Förderung") == []
        assert len(change_log(session, date_from=today, date_to=today)) == 3
        assert change_log(session, date_to=today - timedelta(days=1)) == []
        found = change_log(session, search="Nour")
        assert [r.action for r in found] == ["geändert"] and "Al-Hassan → Nour" in found[0].summary
        assert len(change_log(session, limit=2)) == 2
        assert len(change_log_ids(session, ChangeFilter(user="testnutzer"), sort="user")) == 2
        assert audit_users(session) == ["anna", "testnutzer"]
    assert audit_areas() == ["Maßnahmen", "Netzwerk", "Arbeitskreise", "Förderung"]


def test_anonymise_blanks_values_and_keeps_entries(db: Database) -> None:
    person_id = _setup(db)
    with db.session() as session:
        assert anonymise_audit(session, "person", person_id) == 2
    with db.session() as session:
        rows = record_history(session, "person", person_id)
        kept = session.scalars(select(AuditEntry.changes)).all()
    assert len(rows) >= 3
    assert {r.old for r in rows} <= {"", "[gelöscht]"}
    assert {r.new for r in rows} == {"[gelöscht]"}
    assert not any("Fatima" in text for text in kept)
