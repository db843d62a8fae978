"""DSGVO: retention (due for deletion), erasure (Art. 17) and information (Art. 15)."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from integrationsmanager.domain.audit import AuditEntry
from integrationsmanager.domain.enums import ActivityKind
from integrationsmanager.domain.errors import UserError, ValidationError
from integrationsmanager.domain.funding import FundingProgram, Grant, Payment
from integrationsmanager.domain.meetings import AgendaItem, Attendance, Membership, WorkingGroup
from integrationsmanager.domain.network import Organisation, Person
from integrationsmanager.domain.text import fold
from integrationsmanager.services.activities import add_activity
from integrationsmanager.services.demo import create_demo_data
from integrationsmanager.services.persons import (
    LEGAL_BASES,
    LEGAL_BASIS_CONSENT,
    PersonData,
    RoleData,
    save_person,
)
from integrationsmanager.services.privacy import (
    DEFAULT_RETENTION_YEARS,
    due_for_deletion,
    erase_person,
    information_json,
    person_information,
    retention_years,
    save_retention_years,
)
from integrationsmanager.storage.database import Database

FIRST, LAST = "Олександра", "Коваленко-Шевчук"
EMAIL = "o.kovalenko.privacy@beispiel-verein.example"
PHONE = "+49 3447 998877"
STREET = "Wettiner Straße 17a"
OLD = datetime(2020, 1, 1, 9, 0, tzinfo=UTC)


# --- retention ---------------------------------------------------------------------------------


def _person(session: Session, last: str, **fields: object) -> Person:
    person = Person(first_name="Test", last_name=last, updated_at=OLD, created_at=OLD, **fields)
    session.add(person)
    session.flush()
    return person


def test_retention_years_default_and_setting(session: Session) -> None:
    assert retention_years(session) == DEFAULT_RETENTION_YEARS == 3
    save_retention_years(session, 10)
    assert retention_years(session) == 10
    with pytest.raises(ValidationError):
        save_retention_years(session, 0)


def test_due_for_deletion_by_last_contact_grant_membership_and_withdrawal(
    session: Session,
) -> None:
    talked = _person(session, "Kontakt")
    add_activity(
        session,
        kind=ActivityKind.CALL,
        happened_on=date(2021, 5, 3),
        subject="Telefonat",
        text="",
        person_id=talked.id,
    )
    member = _person(session, "Mitglied")
    session.add(Membership(group=WorkingGroup(name="AK"), person=member))
    granted = _person(session, "Zuwendung")
    session.add(
        Grant(
            file_number="IM-1",
            program=FundingProgram(name="Programm"),
            budget_year=2024,
            recipient=Organisation(name="Verein"),
            project_title="Projekt",
            period_end=date(2024, 12, 31),
            contact_person=granted,
        )
    )
    withdrawn = _person(
        session,
        "Widerruf",
        legal_basis=LEGAL_BASIS_CONSENT,
        consent_given_on=date(2026, 1, 1),
        consent_withdrawn_on=date(2026, 3, 1),
    )
    withdrawn_other_basis = _person(
        session,
        "AndereGrundlage",
        legal_basis=LEGAL_BASES[3],
        consent_given_on=date(2026, 1, 1),
        consent_withdrawn_on=date(2026, 3, 1),
    )
    erased = _person(session, "Gelöscht", erased=True)
    session.flush()

    rows = {row.person_id: row for row in due_for_deletion(session, today=date(2026, 6, 1))}
    assert talked.id in rows
    assert rows[talked.id].last_contact == date(2021, 5, 3)
    assert rows[talked.id].due_since == date(2024, 5, 3)
    assert "letzter Kontakt 03.05.2021" in rows[talked.id].reason
    assert rows[withdrawn.id].due_since == date(2026, 3, 1)
    assert "widerrufen" in rows[withdrawn.id].reason
    assert member.id not in rows  # an ongoing membership
    assert granted.id not in rows  # grant ended 2024: due in 2027
    assert withdrawn_other_basis.id in rows  # only by its last change (2020)
    assert "widerrufen" not in rows[withdrawn_other_basis.id].reason
    assert erased.id not in rows

    later = {row.person_id: row for row in due_for_deletion(session, today=date(2028, 1, 1))}
    assert later[granted.id].due_since == date(2027, 12, 31)
    assert later[granted.id].last_grant_end == date(2024, 12, 31)
    assert "Zuwendung" in later[granted.id].reason

    save_retention_years(session, 10)
    ids = {row.person_id for row in due_for_deletion(session, today=date(2026, 6, 1))}
    assert talked.id not in ids
    assert withdrawn.id in ids  # a withdrawal does not wait


def test_a_recent_change_keeps_a_person(session: Session) -> None:
    person = _person(session, "Neu")
    person.updated_at = datetime(2026, 5, 1, tzinfo=UTC)
    session.flush()
    assert person.id not in {r.person_id for r in due_for_deletion(session, today=date(2026, 6, 1))}


# --- validation of the consent ------------------------------------------------------------------


def test_consent_rules() -> None:
    data = PersonData(last_name="Muster", legal_basis=LEGAL_BASIS_CONSENT)
    assert "consent_given_on" in data.errors()
    data.consent_given_on = date(2026, 2, 1)
    assert data.errors() == {}
    data.consent_withdrawn_on = date(2026, 1, 1)
    assert data.errors()["consent_withdrawn_on"] == "Der Widerruf liegt vor der Einwilligung."
    assert not any("lit. f" in basis for basis in LEGAL_BASES)
    assert any("ThürDSG" in basis for basis in LEGAL_BASES)


# --- erasure -----------------------------------------------------------------------------------


def _distinctive_person(session: Session) -> int:
    """A demo person renamed to a distinctive name, linked everywhere a person can be."""
    person_id = session.scalar(
        select(Attendance.person_id)
        .group_by(Attendance.person_id)
        .order_by(func.count().desc(), Attendance.person_id)
    )
    assert person_id is not None
    organisation = session.scalars(select(Organisation)).first()
    assert organisation is not None
    save_person(
        session,
        PersonData(
            first_name=FIRST,
            last_name=LAST,
            emails=[EMAIL],
            phones=[PHONE],
            street=STREET,
            postcode="04600",
            city="Altenburg",
            languages="Ukrainisch, Russisch",
            notes="Spricht auch Polnisch.",
            roles=[RoleData(organisation_id=organisation.id, function="Vorsitzende")],
            tags=["Dolmetschen"],
            legal_basis=LEGAL_BASIS_CONSENT,
            consent_given_on=date(2025, 3, 1),
            consent_how="schriftlich",
            consent_purpose="Einladungen",
            source="Visitenkarte Netzwerktreffen",
        ),
        person_id,
    )
    add_activity(
        session,
        kind=ActivityKind.CALL,
        happened_on=date(2026, 2, 2),
        subject=f"Telefonat mit {FIRST} {LAST}",
        text=f"Rückruf unter {PHONE}",
        person_id=person_id,
    )
    add_activity(
        session,
        kind=ActivityKind.NOTE,
        happened_on=date(2026, 2, 3),
        subject="Notiz zur Organisation",
        text=f"Ansprechpartnerin ist jetzt {FIRST} {LAST} ({EMAIL}).",
        organisation_id=organisation.id,
    )
    grant = session.scalars(select(Grant).order_by(Grant.id)).first()
    assert grant is not None
    grant.contact_person_id = person_id
    agenda = session.scalars(select(AgendaItem).order_by(AgendaItem.id)).first()
    assert agenda is not None
    agenda.minutes = f"{FIRST} {LAST} berichtet über die Sprachkurse."
    session.flush()
    return person_id


def _texts_containing(path: Path, needles: list[str]) -> list[str]:
    """Every ``table.column`` of every table whose text holds one of ``needles`` (raw SQL)."""
    found = []
    with sqlite3.connect(path) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        for table in tables:
            columns = [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')]
            for column in columns:
                for needle in needles:
                    (hit,) = connection.execute(
                        f'SELECT count(*) FROM "{table}" '
                        f'WHERE instr(CAST("{column}" AS TEXT), ?) > 0',
                        (needle,),
                    ).fetchone()
                    if hit:
                        found.append(f"{table}.{column}: {needle}")
    return found


def _statistics(session: Session) -> dict[str, object]:
    head_counts = dict(
        session.execute(
            select(Attendance.meeting_id, func.count())
            .group_by(Attendance.meeting_id)
            .order_by(Attendance.meeting_id)
        ).all()
    )
    statuses = dict(
        session.execute(select(Attendance.status, func.count()).group_by(Attendance.status)).all()
    )
    return {
        "head_counts": head_counts,
        "statuses": statuses,
        "persons": session.scalar(select(func.count()).select_from(Person)),
        "grants": session.scalar(select(func.count()).select_from(Grant)),
        "approved": session.scalar(select(func.sum(Grant.approved_cents))),
        "requested": session.scalar(select(func.sum(Grant.requested_cents))),
        "paid": session.scalar(select(func.sum(Payment.amount_cents))),
    }


NEEDLES = [
    FIRST,
    LAST,
    f"{FIRST} {LAST}",
    EMAIL,
    PHONE,
    STREET,
    fold(LAST),
    fold(EMAIL),
    json.dumps(LAST)[1:-1],
    json.dumps(FIRST)[1:-1],
]


def test_erase_leaves_no_trace_but_keeps_statistics(db: Database, db_path: Path) -> None:
    with db.session() as session:
        create_demo_data(session)
    with db.session() as session:
        person_id = _distinctive_person(session)
    assert _texts_containing(db_path, NEEDLES)  # the scan finds the person before
    with db.session() as session:
        before = _statistics(session)
        attended = session.scalar(
            select(func.count()).select_from(Attendance).where(Attendance.person_id == person_id)
        )
    with db.session() as session:
        report = erase_person(session, person_id)
    assert report.deleted["person_email"] == 1
    assert report.deleted["person_phone"] == 1
    assert report.deleted["person_role"] == 1
    assert report.deleted["activity"] == 1
    assert report.anonymised["attendance"] == attended
    assert report.anonymised["grant"] == 1
    assert report.replaced  # the organisation's note and the minutes named her

    assert _texts_containing(db_path, NEEDLES) == []
    with db.session() as session:
        assert _statistics(session) == before
        person = session.get(Person, person_id)
        assert person is not None
        assert person.erased
        assert person.last_name == f"Gelöschte Person #{person_id}"
        assert person.first_name == person.notes == person.languages == person.source == ""
        assert person.consent_given_on is None
        assert fold(LAST) not in person.search_text
        assert (
            session.scalars(select(Membership).where(Membership.person_id == person_id)).all() == []
        )
        grant = session.scalars(select(Grant).order_by(Grant.id)).first()
        assert grant is not None and grant.contact_person_id == person_id
        lines = "\n".join(report.lines())
        assert "Gelöschte Person" in lines


def test_erase_blanks_the_audit_values_of_the_person(db: Database) -> None:
    with db.session() as session:
        person = save_person(
            session,
            PersonData(first_name="Auditia", last_name="Privatissima", city="Meuselwitz"),
        )
        person_id = person.id
    with db.session() as session:
        erase_person(session, person_id)
    with db.session() as session:
        entries = session.scalars(
            select(AuditEntry).where(
                AuditEntry.table_name == "person", AuditEntry.record_id == person_id
            )
        ).all()
        assert entries  # the entries stay: when and by whom
        text = " ".join(e.changes for e in entries)
        assert "Meuselwitz" not in text
        assert "Privatissima" not in text


def test_erasing_twice_keeps_the_placeholder(session: Session) -> None:
    person_id = save_person(session, PersonData(first_name=FIRST, last_name=LAST)).id
    erase_person(session, person_id)
    erase_person(session, person_id)
    person = session.get(Person, person_id)
    assert person is not None and person.last_name == f"Gelöschte Person #{person_id}"


def test_erase_unknown_person(session: Session) -> None:
    with pytest.raises(UserError, match="gibt es nicht"):
        erase_person(session, 4711)


# --- information ---------------------------------------------------------------------------------


def test_person_information_lists_everything_with_its_origin(db: Database) -> None:
    with db.session() as session:
        create_demo_data(session)
    with db.session() as session:
        person_id = _distinctive_person(session)
    with db.session() as session:
        info = person_information(session, person_id)
    sections = info["sections"]
    assert info["name"] == f"{LAST}, {FIRST}"
    master = {row["Angabe"]: row["Wert"] for row in sections["Stammdaten"]}
    assert master["Vorname"] == FIRST
    assert master["Straße"] == STREET
    origin = {row["Angabe"]: row["Wert"] for row in sections["Herkunft der Daten"]}
    assert origin["Herkunft der Daten"] == "Visitenkarte Netzwerktreffen"
    assert origin["Zuletzt geändert von"] == "testnutzer"
    consent = {row["Angabe"]: row["Wert"] for row in sections["Datenschutz und Einwilligung"]}
    assert consent["Einwilligung am"] == date(2025, 3, 1)
    assert consent["Rechtsgrundlage"] == LEGAL_BASIS_CONSENT
    assert {row["Wert"] for row in sections["Kontaktdaten"]} == {EMAIL, PHONE}
    assert sections["Funktionen in Organisationen"][0]["Funktion"] == "Vorsitzende"
    assert sections["Einladungen und Teilnahme an Sitzungen"]
    assert sections["Mitgliedschaften in Gremien"]
    assert sections["Kontaktverlauf"][0]["Betreff"] == f"Telefonat mit {FIRST} {LAST}"
    assert len(sections["Ansprechperson bei Zuwendungen"]) == 1
    assert any("Коваленко" in row["Änderungen"] for row in sections["Änderungsverlauf"])

    text = information_json(info)
    assert FIRST in text and "\\u" not in text
    parsed = json.loads(text)
    assert parsed["sections"]["Datenschutz und Einwilligung"][2]["Wert"] == "2025-03-01"


def test_information_after_erasure_holds_nothing_personal(db: Database) -> None:
    with db.session() as session:
        person_id = save_person(
            session, PersonData(first_name=FIRST, last_name=LAST, emails=[EMAIL])
        ).id
    with db.session() as session:
        erase_person(session, person_id)
    with db.session() as session:
        text = information_json(person_information(session, person_id))
    assert FIRST not in text and LAST not in text and EMAIL not in text
