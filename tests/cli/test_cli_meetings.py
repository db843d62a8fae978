"""Command line for meetings: documents, the invitation, and id lists for scripts."""

from __future__ import annotations

from pathlib import Path

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from integrationsmanager.cli import EXIT_OK, EXIT_USER_ERROR, main


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    assert main(["demo", "--db", str(path)]) == EXIT_OK
    return path


def lines(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return capsys.readouterr().out.splitlines()


@pytest.mark.parametrize("kind", ["measures", "organisations", "persons", "groups", "meetings"])
def test_list_prints_id_then_name(
    demo_db: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["list", kind, "--db", str(demo_db)]) == EXIT_OK
    rows = [line.split("\t") for line in lines(capsys)]
    assert len(rows) >= 4
    assert all(len(row) == 2 and row[0].isdigit() and row[1] for row in rows)


def meeting_id(demo_db: Path, capsys: pytest.CaptureFixture[str], text: str) -> str:
    main(["list", "meetings", "--db", str(demo_db)])
    return next(line.split("\t")[0] for line in lines(capsys) if text in line)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("meeting", ["Tagesordnung", "Anerkennung ausländischer Berufsabschlüsse"]),
        ("minutes", ["Protokoll", "Das Integrationsmanagement prüft eine zusätzliche"]),
        ("attendance", ["Unterschrift", "Andrij Bondarenko"]),
    ],
)
def test_meeting_documents(
    demo_db: Path,
    tmp_path: Path,
    kind: str,
    expected: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    meeting = meeting_id(demo_db, capsys, "2. Sitzung 2026")
    out = tmp_path / f"{kind}.pdf"
    args = ["report", kind, "--db", str(demo_db), "--meeting", meeting, "--out", str(out)]
    assert main(args) == EXIT_OK
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    for snippet in expected:
        assert snippet in text


def test_invitation_lists_the_invitees(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    meeting = meeting_id(demo_db, capsys, "Sitzung Dezember 2026")
    out = tmp_path / "einladung.ics"
    args = ["export", "meeting", "--db", str(demo_db), "--meeting", meeting, "--out", str(out)]
    assert main(args) == EXIT_OK
    assert "Einladung mit 8 Eingeladenen" in capsys.readouterr().out
    event = next(iter(Calendar.from_ical(out.read_bytes()).walk("VEVENT")))
    attendees = [str(a) for a in event.get("ATTENDEE")]
    assert "mailto:rana.haddad@syrische-gemeinde.example" in attendees
    assert str(event["SUMMARY"]).startswith("Beirat für Migration und Integration")


def test_unknown_meeting_is_a_german_error(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [
        "report",
        "minutes",
        "--db",
        str(demo_db),
        "--meeting",
        "999",
        "--out",
        str(tmp_path / "x.pdf"),
    ]
    assert main(args) == EXIT_USER_ERROR
    err = capsys.readouterr().err
    assert "Sitzung 999" in err and "Traceback" not in err
    assert not (tmp_path / "x.pdf").exists()
