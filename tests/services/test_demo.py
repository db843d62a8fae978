"""The demo data set: coverage of guidelines and states, scripts, consistency, CLI."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from integrationsmanager.cli import main
from integrationsmanager.domain.enums import (
    MUNICIPALITIES,
    MeasureStatus,
    OrganisationKind,
    Responsibility,
)
from integrationsmanager.domain.errors import UserError
from integrationsmanager.domain.measures import Measure
from integrationsmanager.domain.network import Organisation
from integrationsmanager.domain.text import fold
from integrationsmanager.services.demo import AS_OF, create_demo_data, has_data, load_demo_file
from integrationsmanager.services.listing import list_measures, list_organisations
from integrationsmanager.services.measures import MeasureFilter, count_measures
from integrationsmanager.services.organisations import new_organisation, organisation_search_text
from integrationsmanager.services.privacy import due_for_deletion
from integrationsmanager.storage.database import open_database

CYRILLIC = re.compile(r"[\u0400-\u04ff]")
ARABIC = re.compile(r"[\u0600-\u06ff]")


@pytest.fixture
def demo(session: Session) -> Session:
    create_demo_data(session)
    return session


def _measures(session: Session) -> list[Measure]:
    return list(session.scalars(select(Measure).order_by(Measure.id)))


def _organisations(session: Session) -> list[Organisation]:
    return list(session.scalars(select(Organisation).order_by(Organisation.id)))


def test_summary_counts_what_was_created(session: Session) -> None:
    summary = create_demo_data(session)
    measures = len(_measures(session))
    organisations = len(_organisations(session))
    assert summary.startswith(f"{measures} Maßnahmen, {organisations} Organisationen")
    assert 40 <= measures <= 60
    assert 25 <= organisations <= 45


def test_every_guideline_has_at_least_three_measures(demo: Session) -> None:
    per_guideline = Counter(m.guideline.number for m in _measures(demo))
    assert sorted(per_guideline) == list(range(1, 9))
    assert min(per_guideline.values()) >= 3


def test_every_status_responsibility_and_priority_occurs(demo: Session) -> None:
    measures = _measures(demo)
    assert {m.status for m in measures} == set(MeasureStatus)
    assert {m.responsibility for m in measures} == set(Responsibility)
    assert len({m.priority for m in measures}) == 3
    assert len({m.planning_document for m in measures}) >= 4


def test_every_measure_has_the_three_steps(demo: Session) -> None:
    for measure in _measures(demo):
        assert measure.baseline and measure.goal and measure.implementation, measure.title


def test_organisation_names_in_cyrillic_and_arabic_script(demo: Session) -> None:
    names = [o.name for o in _organisations(demo)]
    assert any(CYRILLIC.search(n) for n in names)
    assert sum(1 for n in names if ARABIC.search(n)) >= 2  # Syrian and Afghan associations


def test_organisations_are_complete_and_searchable(demo: Session) -> None:
    organisations = _organisations(demo)
    assert {o.kind for o in organisations} >= {
        OrganisationKind.JOBCENTER,
        OrganisationKind.HOUSING,
        OrganisationKind.HEALTH,
        OrganisationKind.MIGRANT_ORGANISATION,
        OrganisationKind.CULTURE_SPORT,
        OrganisationKind.INDEPENDENT_PROVIDER,
        OrganisationKind.MUNICIPALITY,
    }
    assert any(not o.active for o in organisations)
    for organisation in organisations:
        assert organisation.name_folded == fold(organisation.name)
        parts = set(organisation.search_text.split(" \u241f "))
        assert parts == set(organisation_search_text(organisation).split(" \u241f "))
        assert organisation.municipality in (*MUNICIPALITIES, "")
        assert organisation.email.endswith(".example.org") or organisation.email.endswith(
            "@example.org"
        )
    assert sum(1 for o in organisations if o.municipality) > len(organisations) - 3


def test_links_refer_only_to_listed_organisations(demo: Session) -> None:
    listed = {item["name"] for item in load_demo_file()["organisations"]}
    assert {o.name for o in _organisations(demo)} == listed
    measures = _measures(demo)
    assert all(m.lead_organisation is not None for m in measures)
    assert sum(len(m.partners) for m in measures) > len(measures)


def test_dates_budgets_and_progress_fit_the_reference_day(demo: Session) -> None:
    for measure in _measures(demo):
        status = MeasureStatus(measure.status)
        start, end = measure.start_date, measure.end_date
        assert start is not None, measure.title
        if status is MeasureStatus.PLANNED:
            assert start > AS_OF, measure.title
        elif status is MeasureStatus.RUNNING:
            assert start <= AS_OF and (end is None or end >= AS_OF), measure.title
        elif status is MeasureStatus.COMPLETED:
            assert end is not None and end <= AS_OF, measure.title
        if status in (MeasureStatus.RUNNING, MeasureStatus.COMPLETED):
            assert 1 <= len(measure.progress) <= 4, measure.title
        for entry in measure.progress:
            assert start <= entry.entry_date <= AS_OF, measure.title
            assert entry.author
        if measure.planned_budget_cents is not None and measure.spent_cents is not None:
            assert measure.spent_cents <= measure.planned_budget_cents, measure.title
    budgets = [m.planned_budget_cents for m in _measures(demo)]
    assert None in budgets
    assert any(b is not None and b % 100 for b in budgets)  # an amount with cents


@pytest.mark.parametrize("query", ["разом", "РАЗОМ", "أمل", "sprachkurse", "Übergang"])
def test_search_finds_titles_in_every_script(demo: Session, query: str) -> None:
    assert count_measures(demo, MeasureFilter(search=query)) >= 1


def test_has_data_flips(session: Session) -> None:
    assert not has_data(session)
    create_demo_data(session)
    assert has_data(session)


def test_second_call_refuses(demo: Session) -> None:
    count = len(_measures(demo))
    with pytest.raises(UserError, match="Die Datenbank enthält bereits Daten"):
        create_demo_data(demo)
    assert len(_measures(demo)) == count


def test_existing_organisation_is_kept_and_linked(session: Session) -> None:
    own = new_organisation("Jobcenter Altenburger Land", OrganisationKind.JOBCENTER)
    own.notes = "Eigener Eintrag"
    session.add(own)
    session.flush()
    create_demo_data(session)
    jobcenters = session.scalars(
        select(Organisation).where(Organisation.name_folded == fold("Jobcenter Altenburger Land"))
    ).all()
    assert [o.notes for o in jobcenters] == ["Eigener Eintrag"]
    led = session.scalar(
        select(func.count(Measure.id)).where(Measure.lead_organisation_id == own.id)
    )
    assert led


def test_same_data_every_time(tmp_path: Path) -> None:
    results = []
    for name in ("a.sqlite", "b.sqlite"):
        database = open_database(tmp_path / name, user="testnutzer")
        try:
            with database.session() as session:
                create_demo_data(session)
            with database.session() as session:
                results.append((list_measures(session), list_organisations(session)))
        finally:
            database.close()
    assert results[0] == results[1]


def test_cli_demo_then_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "demo.sqlite"
    assert main(["demo", "--db", str(path)]) == 0
    assert "Beispieldaten angelegt" in capsys.readouterr().out

    assert main(["list", "measures", "--db", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(load_demo_file()["measures"])
    assert all(re.fullmatch(r"\d+\t\S.*", line) for line in lines)
    assert any("Разом" in line for line in lines)


def test_cli_demo_twice_is_a_user_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "demo.sqlite"
    assert main(["demo", "--db", str(path)]) == 0
    capsys.readouterr()
    assert main(["demo", "--db", str(path)]) == 1
    captured = capsys.readouterr()
    assert "Die Datenbank enthält bereits Daten" in captured.err
    assert "Beispieldaten angelegt" not in captured.out


def test_demo_shows_one_person_due_for_deletion_after_a_withdrawn_consent(demo: Session) -> None:
    """The Löschfristen list has something to show: Anja Koch withdrew her consent."""
    due = due_for_deletion(demo, today=AS_OF)
    assert [(row.name, row.due_since) for row in due] == [("Koch, Anja", date(2026, 10, 1))]
    assert "Widerruf" in due[0].reason or "widerruf" in due[0].reason
