"""Grant export and import: exact headers, the year filter, round trips, all-or-nothing."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from integrationsmanager.domain.enums import GrantStatus, PaymentStatus
from integrationsmanager.domain.errors import UserError
from integrationsmanager.domain.funding import FundingProgram, Grant
from integrationsmanager.domain.network import Organisation
from integrationsmanager.services.grant_io import (
    COLUMNS,
    ImportFailed,
    export_grants,
    import_grants,
)
from integrationsmanager.services.grants import paid_cents
from integrationsmanager.storage.database import Database, open_database
from tests.reports.test_funding_documents import ARABIC_ORG, CYRILLIC_ORG, make_funding

Snapshot = tuple[object, ...]


@pytest.fixture
def other_db(tmp_path: Path) -> Iterator[Database]:
    """A second database without grants to import into."""
    database = open_database(tmp_path / "ziel.sqlite", user="testnutzer")
    yield database
    database.close()


def snapshot(session: Session) -> list[Snapshot]:
    """Everything the file layout carries, per grant, sorted by file number."""
    grants = session.scalars(select(Grant).order_by(Grant.file_number))
    return [
        (
            g.file_number,
            g.program.name,
            g.budget_year,
            g.recipient.name,
            g.project_title,
            sorted(x.number for x in g.guidelines),
            g.status,
            g.period_start,
            g.period_end,
            g.total_cost_cents,
            g.own_contribution_cents,
            g.third_party_cents,
            g.requested_cents,
            g.approved_cents,
            paid_cents(g),
            g.received_on,
            g.decided_on,
            g.proof_due_on,
            g.description,
        )
        for g in grants
    ]


def count(session: Session, model: type[Grant] | type[Organisation]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(rows)
    return path


def read_xlsx_rows(path: Path) -> list[list[object]]:
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_header_names_are_exact(session: Session, tmp_path: Path) -> None:
    make_funding(session)
    path = tmp_path / "z.xlsx"
    export_grants(session, path)
    header = read_xlsx_rows(path)[0]
    assert header == list(COLUMNS)
    for name in (
        "Aktenzeichen",
        "Programm",
        "Jahr",
        "Empfänger",
        "Projekt",
        "Leitlinie",
        "Beantragt",
        "Bewilligt",
        "Ausgezahlt",
        "Status",
    ):
        assert header.count(name) == 1


def test_xlsx_has_numbers_and_real_dates(session: Session, tmp_path: Path) -> None:
    make_funding(session)
    path = tmp_path / "z.xlsx"
    export_grants(session, path)
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "SozB-2026-001")
    cells = dict(zip(COLUMNS, row, strict=True))
    for column, value in (("Beantragt", 4800.01), ("Bewilligt", 4500.33), ("Ausgezahlt", 2250.17)):
        assert cells[column].data_type == "n"
        assert cells[column].value == pytest.approx(value)
        assert cells[column].number_format == "#,##0.00"
    assert cells["Bewilligt am"].is_date
    assert cells["Bewilligt am"].value == datetime(2026, 2, 20)
    assert cells["Beginn"].number_format == "DD.MM.YYYY"
    assert cells["Jahr"].value in ("2026", 2026)
    assert cells["Status"].value == "Auszahlung"
    assert cells["Leitlinie"].value == (
        "1 Bildung und Sprache sichern; 2 Arbeitsmarktintegration beschleunigen"
    )
    assert cells["Empfänger"].value == CYRILLIC_ORG


def test_year_filter_and_its_total(session: Session, tmp_path: Path) -> None:
    make_funding(session)
    path = tmp_path / "z.csv"
    assert export_grants(session, path, year=2026) == 4
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert {r["Jahr"] for r in rows} == {"2026"}
    total = sum(
        (
            Decimal(r["Bewilligt"].replace(".", "").replace(",", "."))
            for r in rows
            if r["Bewilligt"]
        ),
        Decimal(0),
    )
    assert total == Decimal("17400.39")
    assert export_grants(session, tmp_path / "alle.csv") == 5
    assert export_grants(session, tmp_path / "leer.csv", year=2030) == 0


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_imports_unchanged_into_an_empty_database(
    session: Session, other_db: Database, tmp_path: Path, suffix: str
) -> None:
    make_funding(session)
    first = tmp_path / f"zuwendungen{suffix}"
    assert export_grants(session, first) == 5

    with other_db.session() as target:
        assert count(target, Grant) == 0
        report = import_grants(target, first)
    assert (report.rows, report.dry_run) == (5, False)
    assert sorted(report.created_organisations) == sorted([CYRILLIC_ORG, ARABIC_ORG])
    assert sorted(report.created_programs) == [
        "Integrationsfonds Beratung",
        "Kleinstförderung Vereine",
    ]
    assert "5 Zuwendungen importiert" in report.summary()

    with other_db.session() as target:
        assert snapshot(target) == snapshot(session)
        grant = target.scalars(select(Grant).where(Grant.file_number == "SozB-2026-001")).one()
        assert [(p.amount_cents, p.status) for p in grant.payments] == [
            (2_250_17, PaymentStatus.PAID)
        ]
        assert [h.to_status for h in grant.history] == [GrantStatus.PAYING]
        second = tmp_path / f"wieder{suffix}"
        export_grants(target, second)
    if suffix == ".csv":
        assert second.read_bytes() == first.read_bytes()
    else:
        assert read_xlsx_rows(second) == read_xlsx_rows(first)


def test_programmes_are_matched_by_name_or_short_code(session: Session, tmp_path: Path) -> None:
    make_funding(session)
    programs_before = session.scalar(select(func.count()).select_from(FundingProgram))
    path = write_csv(
        tmp_path / "neu.csv",
        [
            ["Aktenzeichen", "Programm", "Jahr", "Empfänger", "Projekt", "Bewilligt", "Status"],
            [
                "KF-2027-001",
                "kf",
                "2027",
                CYRILLIC_ORG.upper(),
                "Sommerfest",
                "1.234,56",
                "bewilligt",
            ],
            ["X-2027-002", "Kleinstförderung Vereine", "2027", "Neuer Verein", "Chor", "", ""],
        ],
    )
    report = import_grants(session, path)
    assert report.created_programs == []
    assert report.created_organisations == ["Neuer Verein"]
    assert session.scalar(select(func.count()).select_from(FundingProgram)) == programs_before
    grants = session.scalars(select(Grant).where(Grant.budget_year == 2027)).all()
    assert {g.program.short_code for g in grants} == {"KF"}
    first = next(g for g in grants if g.file_number == "KF-2027-001")
    assert first.recipient.name == CYRILLIC_ORG
    assert first.approved_cents == 123_456
    assert first.status == GrantStatus.APPROVED
    assert first.payments == []


def test_bad_rows_fail_the_whole_import_and_are_each_named(
    session: Session, tmp_path: Path
) -> None:
    make_funding(session)
    before = (count(session, Grant), count(session, Organisation))
    path = write_csv(
        tmp_path / "fehler.csv",
        [
            [
                "Aktenzeichen",
                "Programm",
                "Jahr",
                "Empfänger",
                "Projekt",
                "Bewilligt",
                "Status",
                "Beginn",
                "Ende",
                "Leitlinie",
            ],
            ["A-1", "KF", "2026", "Neu e.V.", "Gut", "100,00", "", "", "", "1"],
            ["A-2", "KF", "zwanzig", "Neu e.V.", "Jahr falsch", "12,345", "fertig", "", "", ""],
            ["", "KF", "2026", "", "Ohne Aktenzeichen", "", "", "01.05.2026", "01.04.2026", "9"],
            ["A-1", "KF", "2026", "Neu e.V.", "Doppelt", "", "", "31.02.2026", "", ""],
            ["KF-2026-001", "KF", "2026", "Neu e.V.", "Schon da", "-5", "", "", "", ""],
        ],
    )
    with pytest.raises(ImportFailed) as caught:
        import_grants(session, path)
    problems = caught.value.problems
    assert "nichts gespeichert" in str(caught.value)
    expected = [
        "Zeile 3, Jahr: „zwanzig“ ist kein Jahr (z. B. 2026).",
        "Zeile 3, Bewilligt: „12,345“ ist kein Geldbetrag",
        "Zeile 4, Aktenzeichen: Bitte ausfüllen.",
        "Zeile 4, Empfänger: Bitte ausfüllen.",
        "Zeile 4, Leitlinie: Eine Leitlinie „9“ gibt es nicht.",
        "Zeile 4, Ende: Das Ende liegt vor dem Beginn.",
        "Zeile 5, Beginn: „31.02.2026“ ist kein gültiges Datum (z. B. 31.12.2026).",
        "Zeile 6, Bewilligt: Der Betrag darf nicht negativ sein.",
        "Zeile 5, Aktenzeichen: „A-1“ steht schon in Zeile 2.",
        "Zeile 6, Aktenzeichen: Eine Zuwendung „KF-2026-001“ gibt es schon.",
    ]
    for line in expected:
        assert any(p.startswith(line) for p in problems), (line, problems)
    assert any(p.startswith("Zeile 3, Status: „fertig“ gibt es nicht.") for p in problems)
    assert not any(p.startswith("Zeile 2") for p in problems)
    assert (count(session, Grant), count(session, Organisation)) == before


def test_dry_run_writes_nothing(session: Session, other_db: Database, tmp_path: Path) -> None:
    make_funding(session)
    path = tmp_path / "z.xlsx"
    export_grants(session, path)
    with other_db.session() as target:
        report = import_grants(target, path, dry_run=True)
        assert report.dry_run and report.rows == 5
        assert "würden importiert" in report.summary()
        assert count(target, Grant) == 0 and count(target, Organisation) == 0


def test_missing_columns_and_wrong_files(session: Session, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "kopf.csv", [["Aktenzeichen", "Projekt"], ["A", "B"]])
    with pytest.raises(ImportFailed) as caught:
        import_grants(session, path)
    assert "Es fehlt die Spalte „Programm“." in caught.value.problems
    assert "Es fehlt die Spalte „Jahr“." in caught.value.problems
    with pytest.raises(UserError, match="Excel-Datei"):
        export_grants(session, tmp_path / "z.pdf")
    with pytest.raises(UserError, match="kann nicht importiert werden"):
        import_grants(session, tmp_path / "z.txt")
    (tmp_path / "leer.csv").write_text("\n\n", encoding="utf-8")
    with pytest.raises(UserError, match="leer"):
        import_grants(session, tmp_path / "leer.csv")
