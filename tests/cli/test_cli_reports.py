"""Command line: the monitoring report and the annual report."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from integrationsmanager.cli import EXIT_OK, EXIT_USAGE, EXIT_USER_ERROR, main


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    assert main(["demo", "--db", str(path)]) == EXIT_OK
    return path


def _text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_monitoring_report_for_a_year_and_for_this_year(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "monitoring.pdf"
    args = ["report", "monitoring", "--db", str(demo_db), "--out", str(out)]
    assert main([*args, "--year", "2025"]) == EXIT_OK
    pages = len(PdfReader(out).pages)
    assert capsys.readouterr().out.strip() == (
        f"Monitoringbericht 2025 geschrieben ({pages} Seiten): {out}"
    )
    text = _text(out)
    assert "Monitoringbericht 2025" in text and "Förderung 2025" in text and "89.000" in text
    assert main(args) == EXIT_OK
    this_year = date.today().year
    assert f"Monitoringbericht {this_year} geschrieben" in capsys.readouterr().out
    assert f"Monitoringbericht {this_year}" in PdfReader(out).pages[0].extract_text()


def test_annual_report_needs_a_year(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "jahr.pdf"
    args = ["report", "annual", "--db", str(demo_db), "--out", str(out)]
    with pytest.raises(SystemExit) as exited:
        main(args)
    assert exited.value.code == EXIT_USAGE
    assert "diese Angaben fehlen: --year" in capsys.readouterr().err and not out.exists()
    assert main([*args, "--year", "2026"]) == EXIT_OK
    assert "Jahresbericht 2026 geschrieben" in capsys.readouterr().out
    text = _text(out)
    assert "Jahresbericht 2026" in text and "Sitzungen 2026" in text


@pytest.mark.parametrize(
    ("kind", "extra", "out", "message"),
    [
        ("annual", ["--year", "99999"], "jahr.pdf", "Berichtsjahr 99999 liegt nicht zwischen"),
        ("monitoring", ["--year", "1066"], "m.pdf", "Berichtsjahr 1066 liegt nicht zwischen"),
        ("monitoring", [], "bericht.txt", "kein PDF-Dateiname"),
        ("annual", ["--year", "2026"], "fehlt/jahr.pdf", "Den Ordner"),
    ],
)
def test_wrong_input_is_a_german_message(
    demo_db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    kind: str,
    extra: list[str],
    out: str,
    message: str,
) -> None:
    target = tmp_path / out
    assert main(["report", kind, "--db", str(demo_db), "--out", str(target), *extra]) == (
        EXIT_USER_ERROR
    )
    assert message in capsys.readouterr().err
    assert not target.exists()
