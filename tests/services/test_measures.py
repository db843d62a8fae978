"""Measures: saving with validation, linked organisations, the progress log, queries."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from integrationsmanager.domain.common import DeletionLog
from integrationsmanager.domain.enums import MeasureStatus, Responsibility
from integrationsmanager.domain.errors import ValidationError
from integrationsmanager.domain.measures import Measure, ProgressEntry
from integrationsmanager.domain.network import Organisation
from integrationsmanager.services.measures import (
    MeasureData,
    MeasureFilter,
    add_progress,
    count_measures,
    delete_measure,
    fetch_rows,
    guideline_by_number,
    measure_ids,
    save_measure,
    status_counts,
)


def gid(session: Session, number: int) -> int:
    guideline = guideline_by_number(session, number)
    assert guideline is not None
    return guideline.id


def make(session: Session, title: str, number: int = 1, **fields: object) -> int:
    data = MeasureData(title=title, guideline_id=gid(session, number), **fields)  # type: ignore[arg-type]
    return save_measure(session, data).measure.id


def test_save_creates_measure_with_organisations_and_tags(session: Session) -> None:
    result = save_measure(
        session,
        MeasureData(
            title="Sprachkurse für Eltern",
            guideline_id=gid(session, 1),
            goal="Eltern sprechen im Kita-Alltag Deutsch.",
            lead_organisation="Volkshochschule Altenburger Land",
            partners=["Українська громада Альтенбург e.V.", "Volkshochschule Altenburger Land"],
            planned_budget_cents=1_234_56,
            tags=["Sprache", "Eltern"],
        ),
    )
    measure = result.measure
    assert measure.lead_organisation is not None
    assert measure.lead_organisation.name == "Volkshochschule Altenburger Land"
    assert [p.name for p in measure.partners] == ["Українська громада Альтенбург e.V."]
    assert sorted(result.created_organisations) == sorted(
        ["Volkshochschule Altenburger Land", "Українська громада Альтенбург e.V."]
    )
    assert {t.name for t in measure.tags} == {"Sprache", "Eltern"}
    assert measure.uid and measure.updated_by == "testnutzer"
    assert session.scalar(select(func.count(Organisation.id))) == 2


def test_existing_organisation_is_reused_ignoring_case_and_umlaut_spelling(
    session: Session,
) -> None:
    make(session, "A", lead_organisation="Städtische Wohnungsgesellschaft")
    result = save_measure(
        session,
        MeasureData(
            title="B",
            guideline_id=gid(session, 3),
            lead_organisation="staedtische wohnungsgesellschaft",
        ),
    )
    assert result.created_organisations == []
    assert session.scalar(select(func.count(Organisation.id))) == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "  "}, "title"),
        ({"start_date": date(2026, 5, 1), "end_date": date(2026, 4, 30)}, "end_date"),
        ({"planned_budget_cents": -1}, "planned_budget"),
        ({"spent_cents": -100}, "spent"),
    ],
)
def test_invalid_measures_are_refused_with_german_messages(
    session: Session, fields: dict[str, object], field: str
) -> None:
    data = MeasureData(**{"title": "Titel", "guideline_id": gid(session, 1), **fields})  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as caught:
        save_measure(session, data)
    assert field in caught.value.errors
    assert caught.value.errors[field][0].isupper()
    assert session.scalar(select(func.count(Measure.id))) == 0


def test_unknown_guideline_is_refused(session: Session) -> None:
    with pytest.raises(ValidationError, match="Leitlinie 999"):
        save_measure(session, MeasureData(title="X", guideline_id=999))


def test_update_changes_fields_and_keeps_uid(session: Session) -> None:
    measure_id = make(session, "Alt")
    uid = session.get(Measure, measure_id).uid  # type: ignore[union-attr]
    save_measure(
        session,
        MeasureData(title="Neu", guideline_id=gid(session, 2), status=MeasureStatus.RUNNING),
        measure_id,
    )
    measure = session.get(Measure, measure_id)
    assert measure is not None
    assert (measure.title, measure.status, measure.uid) == ("Neu", "running", uid)


def test_delete_removes_measure_and_progress_and_logs_the_deletion(session: Session) -> None:
    measure_id = make(session, "Weg damit")
    add_progress(session, measure_id, "Erstes Treffen", on=date(2026, 3, 1))
    uid = session.get(Measure, measure_id).uid  # type: ignore[union-attr]
    delete_measure(session, measure_id)
    assert session.get(Measure, measure_id) is None
    assert session.scalar(select(func.count(ProgressEntry.id))) == 0
    logged = session.scalars(select(DeletionLog.record_uid)).all()
    assert uid in logged


def test_progress_log_is_newest_first(session: Session) -> None:
    measure_id = make(session, "Mit Fortschritt")
    add_progress(session, measure_id, "Start", on=date(2026, 1, 10), author="M. Schneider")
    add_progress(session, measure_id, "Zwischenstand", on=date(2026, 6, 1))
    session.expire_all()
    measure = session.get(Measure, measure_id)
    assert measure is not None
    assert [p.text for p in measure.progress] == ["Zwischenstand", "Start"]
    assert measure.progress[1].author == "M. Schneider"
    with pytest.raises(ValidationError):
        add_progress(session, measure_id, "   ")


def test_search_ignores_case_for_umlauts_and_cyrillic(session: Session) -> None:
    a = make(session, "Über den Tellerrand: Begegnungscafé")
    b = make(session, "Освіта для дітей", goal="Bildung für Kinder aus der Ukraine")
    make(session, "Anderes Thema")
    assert measure_ids(session, MeasureFilter(search="über")) == [a]
    assert measure_ids(session, MeasureFilter(search="ueber")) == [a]
    assert measure_ids(session, MeasureFilter(search="освіта")) == [b]
    assert measure_ids(session, MeasureFilter(search="UKRAINE")) == [b]
    assert measure_ids(session, MeasureFilter(search="100%")) == []


def test_filters_by_guideline_status_responsibility_and_year(session: Session) -> None:
    a = make(
        session,
        "A",
        1,
        status=MeasureStatus.RUNNING,
        start_date=date(2025, 1, 1),
        end_date=date(2025, 12, 31),
    )
    b = make(session, "B", 2, responsibility=Responsibility.INDIRECT, start_date=date(2026, 3, 1))
    c = make(session, "C", 1)
    assert set(measure_ids(session, MeasureFilter(guideline_id=gid(session, 1)))) == {a, c}
    assert measure_ids(session, MeasureFilter(status=MeasureStatus.RUNNING)) == [a]
    assert measure_ids(session, MeasureFilter(responsibility=Responsibility.INDIRECT)) == [b]
    assert set(measure_ids(session, MeasureFilter(year=2025))) == {a, c}
    assert set(measure_ids(session, MeasureFilter(year=2027))) == {b, c}
    assert count_measures(session, MeasureFilter(year=2025)) == 2


def test_sorting_by_every_key(session: Session) -> None:
    make(session, "Zebra", 2, status=MeasureStatus.COMPLETED, lead_organisation="Ährenfeld e.V.")
    make(session, "Äpfel", 1, status=MeasureStatus.PLANNED, lead_organisation="Zentrum")
    make(session, "Birnen", 3, status=MeasureStatus.RUNNING)
    titles = lambda ids: [fetch_rows(session, ids)[i].title for i in ids]  # noqa: E731
    assert titles(measure_ids(session, sort="title")) == ["Äpfel", "Birnen", "Zebra"]
    assert titles(measure_ids(session, sort="title", descending=True)) == [
        "Zebra",
        "Birnen",
        "Äpfel",
    ]
    assert titles(measure_ids(session, sort="guideline")) == ["Äpfel", "Zebra", "Birnen"]
    assert titles(measure_ids(session, sort="status")) == ["Äpfel", "Birnen", "Zebra"]
    assert titles(measure_ids(session, sort="lead"))[1:] == ["Zebra", "Äpfel"]
    for key in ("responsibility", "priority", "start", "end"):
        assert len(measure_ids(session, sort=key)) == 3


def test_fetch_rows_returns_display_data(session: Session) -> None:
    measure_id = make(session, "Zeile", 4, lead_organisation="PSZ", planned_budget_cents=500_00)
    row = fetch_rows(session, [measure_id])[measure_id]
    assert row.guideline_number == 4 and row.lead == "PSZ" and row.planned_budget_cents == 50000


def test_status_counts_per_guideline(session: Session) -> None:
    make(session, "A", 1, status=MeasureStatus.RUNNING)
    make(session, "B", 1, status=MeasureStatus.RUNNING)
    make(session, "C", 1, status=MeasureStatus.CANCELLED)
    counts = status_counts(session)
    first = counts[gid(session, 1)]
    assert first[MeasureStatus.RUNNING] == 2 and first[MeasureStatus.CANCELLED] == 1
    assert sum(counts[gid(session, 8)].values()) == 0


def test_removing_an_email_is_logged_as_a_deletion(session: Session) -> None:
    from integrationsmanager.services.persons import PersonData, save_person

    person = save_person(session, PersonData(last_name="Müller", emails=["a@example.org"]))
    removed_uid = person.emails[0].uid
    save_person(session, PersonData(last_name="Müller", emails=[]), person.id)
    assert removed_uid in session.scalars(select(DeletionLog.record_uid)).all()
