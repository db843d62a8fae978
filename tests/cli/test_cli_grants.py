"""Command line for funding: lists, the grant summary, decision letters, Excel round trip."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from integrationsmanager.cli import EXIT_OK, EXIT_USER_ERROR, main
from integrationsmanager.domain.money import format_money


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    assert main(["demo", "--db", str(path)]) == EXIT_OK
    return path


def test_list_programs_and_grants(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "programs", "--db", str(demo_db)]) == EXIT_OK
    names = {line.split("\t")[1] for line in capsys.readouterr().out.splitlines()}
    assert {"Sozialberatungsrichtlinie", "Sozialstrategierichtlinie"} <= names
    assert main(["list", "grants", "--db", str(demo_db)]) == EXIT_OK
    rows = capsys.readouterr().out.splitlines()
    assert len(rows) >= 60 and all(r.split("\t")[0].isdigit() for r in rows)


def test_summary_total_equals_the_exported_column_for_the_year(
    demo_db: Path, tmp_path: Path
) -> None:
    xlsx = tmp_path / "zuwendungen.xlsx"
    assert main(["export", "grants", "--db", str(demo_db), "--out", str(xlsx)]) == EXIT_OK
    sheet = openpyxl.load_workbook(xlsx).active
    assert sheet is not None
    header = [cell.value for cell in sheet[1]]
    for name in (
        "Aktenzeichen",
        "Programm",
        "Empfänger",
        "Projekt",
        "Leitlinie",
        "Beantragt",
        "Bewilligt",
        "Ausgezahlt",
        "Status",
        "Jahr",
    ):
        assert name in header
    year_col, approved_col = header.index("Jahr"), header.index("Bewilligt")
    total = sum(
        (
            Decimal(str(row[approved_col]))
            for row in sheet.iter_rows(min_row=2, values_only=True)
            if str(row[year_col]) == "2026" and row[approved_col] is not None
        ),
        Decimal("0"),
    )
    pdf = tmp_path / "uebersicht.pdf"
    assert (
        main(["report", "grants", "--db", str(demo_db), "--year", "2026", "--out", str(pdf)])
        == EXIT_OK
    )
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages).replace("\u00a0", " ")
    assert format_money(int(total * 100)).replace("\u00a0", " ") in text


def test_decision_letter_for_an_approved_grant_only(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["list", "grants", "--db", str(demo_db)])
    ids = [line.split("\t")[0] for line in capsys.readouterr().out.splitlines()]
    outcomes = {
        grant: main(
            [
                "report",
                "decision",
                "--db",
                str(demo_db),
                "--grant",
                grant,
                "--out",
                str(tmp_path / f"bescheid-{grant}.pdf"),
            ]
        )
        for grant in ids[:30]
    }
    assert EXIT_OK in outcomes.values() and EXIT_USER_ERROR in outcomes.values()
    written = next(g for g, code in outcomes.items() if code == EXIT_OK)
    text = PdfReader(tmp_path / f"bescheid-{written}.pdf").pages[0].extract_text()
    assert "Zuwendungsbescheid" in text and "Landratsamt Altenburger Land" in text
    assert "nicht bewilligt" in capsys.readouterr().err


def test_unknown_program_is_named(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [
        "report",
        "grants",
        "--db",
        str(demo_db),
        "--year",
        "2026",
        "--program",
        "Lotto",
        "--out",
        str(tmp_path / "x.pdf"),
    ]
    assert main(args) == EXIT_USER_ERROR
    assert "Förderprogramm „Lotto“" in capsys.readouterr().err


def test_export_imports_into_an_empty_database(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = tmp_path / "zuwendungen.csv"
    assert main(["export", "grants", "--db", str(demo_db), "--out", str(csv)]) == EXIT_OK
    empty = str(tmp_path / "leer.sqlite")
    assert main(["import", "grants", str(csv), "--db", empty]) == EXIT_OK
    assert "Zuwendungen importiert" in capsys.readouterr().out
    again = tmp_path / "wieder.csv"
    assert main(["export", "grants", "--db", empty, "--out", str(again)]) == EXIT_OK
    assert again.read_bytes() == csv.read_bytes()
