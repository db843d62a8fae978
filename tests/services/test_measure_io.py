"""Measure export and import: round trips, German CSV, formulas, all-or-nothing, bad files."""

from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from integrationsmanager.domain.audit import AuditEntry
from integrationsmanager.domain.enums import (
    AuditAction,
    MeasureStatus,
    PlanningDocument,
    Priority,
    Responsibility,
)
from integrationsmanager.domain.errors import UserError
from integrationsmanager.domain.measures import Measure
from integrationsmanager.domain.network import Organisation
from integrationsmanager.domain.text import clean_line, clean_text
from integrationsmanager.services.measure_io import (
    COLUMNS,
    ImportFailed,
    export_measures,
    import_measures,
)
from integrationsmanager.services.measures import (
    MeasureData,
    MeasureFilter,
    guideline_by_number,
    save_measure,
)
from integrationsmanager.services.spreadsheets import neutralise, restore
from integrationsmanager.storage.database import Database, open_database

ARABIC = "جمعية الصداقة e.V."
CYRILLIC = "Освіта für Familien"
SPECIAL = "Müller & Söhne <GmbH>"


def gid(session: Session, number: int) -> int:
    guideline = guideline_by_number(session, number)
    assert guideline is not None
    return guideline.id


def add_samples(session: Session) -> None:
    """Two measures that use every column, with Latin, Cyrillic and Arabic names."""
    save_measure(
        session,
        MeasureData(
            title="Sprachkurse für Eltern",
            guideline_id=gid(session, 1),
            baseline="Viele Eltern sprechen wenig Deutsch.\nZweite Zeile; mit Semikolon",
            goal='Eltern verstehen Elternbriefe ("Kita-Deutsch").',
            implementation="Kurse in Altenburg, Schmölln und Meuselwitz",
            responsibility=Responsibility.INDIRECT,
            status=MeasureStatus.RUNNING,
            priority=Priority.HIGH,
            start_date=date(2026, 1, 1),
            end_date=date(2026, 12, 31),
            lead_organisation="Volkshochschule Altenburger Land",
            partners=[ARABIC, "Jobcenter Altenburger Land"],
            planned_budget_cents=1_234_567,
            spent_cents=50,
            planning_document=PlanningDocument.FAMILY_PLAN,
            planning_document_note="Familienplan 2025, Kapitel 3",
            tags=["Sprache", "Eltern"],
        ),
    )
    save_measure(
        session,
        MeasureData(
            title=CYRILLIC,
            guideline_id=gid(session, 3),
            lead_organisation=SPECIAL,
            partners=[ARABIC],
            responsibility=Responsibility.NONE,
            tags=["Ukraine"],
        ),
    )


def snapshot(session: Session) -> list[tuple[object, ...]]:
    """Every exported field of every measure, comparable across databases."""
    rows = []
    for measure in session.scalars(select(Measure).order_by(Measure.title)):
        data = MeasureData.from_measure(measure)
        rows.append(
            (
                measure.guideline.label,
                data.title,
                data.baseline,
                data.goal,
                data.implementation,
                data.responsibility,
                data.status,
                data.priority,
                data.start_date,
                data.end_date,
                data.lead_organisation,
                sorted(data.partners),
                data.planned_budget_cents,
                data.spent_cents,
                data.planning_document,
                data.planning_document_note,
                sorted(data.tags),
            )
        )
    return rows


def count(session: Session, model: type[Measure] | type[Organisation]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def other_db(tmp_path: Path) -> Iterator[Database]:
    """A second, empty database to import into."""
    database = open_database(tmp_path / "ziel.sqlite", user="testnutzer")
    yield database
    database.close()


def write_csv(path: Path, rows: list[list[str]], *, delimiter: str = ";") -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def read_xlsx_rows(path: Path) -> list[list[object]]:
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    return [list(row) for row in sheet.iter_rows(values_only=True)]


# --- round trips ---------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_imports_unchanged_into_an_empty_database(
    session: Session, other_db: Database, tmp_path: Path, suffix: str
) -> None:
    add_samples(session)
    first = tmp_path / f"massnahmen{suffix}"
    assert export_measures(session, first) == 2

    with other_db.session() as target:
        assert count(target, Organisation) == 0
        report = import_measures(target, first)
    assert (report.rows, report.created, report.dry_run) == (2, 2, False)
    assert sorted(report.created_organisations) == sorted(
        ["Volkshochschule Altenburger Land", ARABIC, "Jobcenter Altenburger Land", SPECIAL]
    )
    assert "2 Maßnahmen importiert" in report.summary()
    assert ARABIC in report.summary()

    with other_db.session() as target:
        assert snapshot(target) == snapshot(session)
        second = tmp_path / f"wieder{suffix}"
        export_measures(target, second)
    if suffix == ".csv":
        assert second.read_bytes() == first.read_bytes()
    else:
        assert read_xlsx_rows(second) == read_xlsx_rows(first)


def test_export_rows_follow_guideline_order_and_filter(session: Session, tmp_path: Path) -> None:
    add_samples(session)
    path = tmp_path / "m.csv"
    export_measures(session, path)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == ";".join(COLUMNS)
    titles = [row[0] for row in csv.reader(lines[1:], delimiter=";") if row]
    assert titles.index("Sprachkurse für Eltern") < titles.index(CYRILLIC)

    only_third = MeasureFilter(guideline_id=gid(session, 3))
    assert export_measures(session, path, only_third) == 1
    assert CYRILLIC in path.read_text(encoding="utf-8-sig")
    assert "Sprachkurse" not in path.read_text(encoding="utf-8-sig")


def test_import_reuses_existing_organisations(session: Session, tmp_path: Path) -> None:
    add_samples(session)
    organisations = count(session, Organisation)
    path = write_csv(
        tmp_path / "m.csv",
        [
            ["Titel", "Leitlinie", "Federführung", "Partner"],
            ["Neu", "2", "MÜLLER & SÖHNE <GMBH>", ARABIC],
        ],
    )
    report = import_measures(session, path)
    assert report.created_organisations == []
    assert "Neu angelegte" not in report.summary()
    assert count(session, Organisation) == organisations
    measure = session.scalars(select(Measure).where(Measure.title == "Neu")).one()
    assert measure.lead_organisation is not None
    assert measure.lead_organisation.name == SPECIAL


def test_imported_rows_get_sync_columns_and_clean_links(session: Session, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "m.csv",
        [
            ["Titel", "Leitlinie", "Federführung", "Partner", "Schlagwörter"],
            [
                "Eins",
                "1",
                "Lead e.V.",
                "Partner A; PARTNER A; lead e.v.; ",
                "Sprache; sprache, Kita",
            ],
            ["Zwei", "1", "", "Partner A", ""],
        ],
    )
    report = import_measures(session, path)
    assert report.created_organisations == ["Lead e.V.", "Partner A"]
    first = session.scalars(select(Measure).where(Measure.title == "Eins")).one()
    assert first.lead_organisation is not None
    assert first.lead_organisation.name == "Lead e.V."
    assert [p.name for p in first.partners] == ["Partner A"]
    assert sorted(t.name for t in first.tags) == ["Kita", "Sprache"]
    assert "sprache" in first.search_text
    measures = session.scalars(select(Measure)).all()
    assert len({m.uid for m in measures}) == 2
    assert all(m.created_at and m.updated_at for m in measures)
    assert {m.updated_by for m in measures} == {"testnutzer"}


# --- file formats --------------------------------------------------------------------------


def test_xlsx_has_real_dates_numbers_bold_frozen_header(session: Session, tmp_path: Path) -> None:
    add_samples(session)
    path = tmp_path / "m.xlsx"
    export_measures(session, path)
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    assert [cell.value for cell in sheet[1]] == list(COLUMNS)
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width >= 30

    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "Sprachkurse für Eltern")
    cells = dict(zip(COLUMNS, row, strict=True))
    assert cells["Beginn"].is_date
    assert cells["Beginn"].number_format == "DD.MM.YYYY"
    assert cells["Beginn"].value == datetime(2026, 1, 1)
    assert cells["Ende"].value == datetime(2026, 12, 31)
    assert cells["Budget geplant"].data_type == "n"
    assert cells["Budget geplant"].value == pytest.approx(12345.67)
    assert cells["Budget geplant"].number_format == "#,##0.00"
    assert cells["Ausgegeben"].value == pytest.approx(0.5)
    assert cells["Leitlinie"].value == "1 Bildung und Sprache sichern"
    assert cells["Status"].value == "laufend"
    assert cells["Zuständigkeit"].value == "mittelbar"
    assert cells["Fachplanung"].value == "Familienplan"
    assert cells["Schlagwörter"].value == "Eltern, Sprache"
    assert cells["Partner"].value == f"Jobcenter Altenburger Land; {ARABIC}"


def test_csv_is_written_for_german_excel(session: Session, tmp_path: Path) -> None:
    add_samples(session)
    path = tmp_path / "m.csv"
    export_measures(session, path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.startswith("\ufeffTitel;Leitlinie;Status;Zuständigkeit".encode())
    assert b"\r\n" in raw
    text = raw.decode("utf-8-sig")
    assert ";01.01.2026;31.12.2026;" in text
    assert ";12.345,67;0,50;" in text
    assert CYRILLIC in text and ARABIC in text and SPECIAL in text


def test_cp1252_csv_with_comma_delimiter(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "alt.csv"
    lines = [
        "Titel,Leitlinie,Status,Zuständigkeit,Priorität,Beginn,Ende,Ziel,Budget geplant,"
        "Federführung,Schlagwörter",
        'Beratung für Geflüchtete,"2 Arbeitsmarktintegration beschleunigen",LAUFEND,indirect,'
        'Hoch,01.02.2026,2026-12-31,Kosten unter 500 €,"1.234,56",Caritas Ostthüringen,'
        '"Arbeit, Beratung"',
        "Wohnungsbörse,Wohnraumversorgung stärken,,,,,,,,,",
    ]
    path.write_bytes("\r\n".join(lines).encode("cp1252"))
    report = import_measures(session, path)
    assert report.created == 2
    assert report.created_organisations == ["Caritas Ostthüringen"]
    first = session.scalars(
        select(Measure).where(Measure.title == "Beratung für Geflüchtete")
    ).one()
    assert first.guideline.number == 2
    assert first.status == MeasureStatus.RUNNING
    assert first.responsibility == Responsibility.INDIRECT
    assert first.priority == Priority.HIGH
    assert (first.start_date, first.end_date) == (date(2026, 2, 1), date(2026, 12, 31))
    assert first.goal == "Kosten unter 500 €"
    assert first.planned_budget_cents == 123456
    assert sorted(t.name for t in first.tags) == ["Arbeit", "Beratung"]
    second = session.scalars(select(Measure).where(Measure.title == "Wohnungsbörse")).one()
    assert second.guideline.number == 3
    assert (second.status, second.priority) == (MeasureStatus.PLANNED, Priority.MEDIUM)


def test_xlsx_typed_and_text_cells_are_read(session: Session, tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Titel", "Leitlinie", "Beginn", "Ende", "Budget geplant", "Ausgegeben"])
    sheet.append(["Zahlen", 4, datetime(2026, 3, 1, 0, 0), "31.12.2026", 0.1 + 0.2, 1500])
    sheet.append([2026, "4", "2026-01-15", None, "1.500,5", None])
    path = tmp_path / "typen.xlsx"
    workbook.save(path)
    import_measures(session, path)
    first = session.scalars(select(Measure).where(Measure.title == "Zahlen")).one()
    assert (first.start_date, first.end_date) == (date(2026, 3, 1), date(2026, 12, 31))
    assert (first.planned_budget_cents, first.spent_cents) == (30, 150_000)
    second = session.scalars(select(Measure).where(Measure.title == "2026")).one()
    assert second.start_date == date(2026, 1, 15)
    assert second.planned_budget_cents == 150_050


# --- formula injection ---------------------------------------------------------------------

FORMULAS = {
    "Titel": '=HYPERLINK("http://example.org";"Klick")',
    "Ziel": "+cmd|' /C calc'!A0",
    "Umsetzung": "-Kurse planen",
    "Federführung": "@Verein",
    "Fachplanung Anmerkung": "'=schon mit Apostroph",
}


def add_formula_measure(session: Session) -> None:
    save_measure(
        session,
        MeasureData(
            title=FORMULAS["Titel"],
            guideline_id=gid(session, 5),
            goal=FORMULAS["Ziel"],
            implementation=FORMULAS["Umsetzung"],
            lead_organisation=FORMULAS["Federführung"],
            planning_document_note=FORMULAS["Fachplanung Anmerkung"],
            baseline="+49 3447 586-412",
        ),
    )


def test_formulas_are_neutralised_on_export_and_restored_on_import(
    session: Session, other_db: Database, tmp_path: Path
) -> None:
    add_formula_measure(session)
    xlsx, csv_path = tmp_path / "f.xlsx", tmp_path / "f.csv"
    export_measures(session, xlsx)
    export_measures(session, csv_path)

    sheet = openpyxl.load_workbook(xlsx).active
    assert sheet is not None
    cells = dict(zip(COLUMNS, sheet[2], strict=True))
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        csv_cells = dict(zip(COLUMNS, list(csv.reader(handle, delimiter=";"))[1], strict=True))
    for column, text in FORMULAS.items():
        assert cells[column].data_type == "s"
        assert cells[column].value == "'" + text
        assert csv_cells[column] == "'" + text
    # A phone number is no formula: it is written as it is.
    assert cells["Ausgangslage"].value == "'+49 3447 586-412"
    assert csv_cells["Ausgangslage"] == "'+49 3447 586-412"

    for path in (xlsx, csv_path):
        with other_db.session() as target:
            import_measures(target, path)
            measure = target.scalars(select(Measure).order_by(Measure.id.desc())).first()
            assert measure is not None and measure.lead_organisation is not None
            assert measure.title == FORMULAS["Titel"]
            assert measure.goal == FORMULAS["Ziel"]
            assert measure.implementation == FORMULAS["Umsetzung"]
            assert measure.lead_organisation.name == FORMULAS["Federführung"]
            assert measure.planning_document_note == FORMULAS["Fachplanung Anmerkung"]
            assert measure.baseline == "+49 3447 586-412"


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=SUMME(A1)", "'=SUMME(A1)"),
        ("@Verein", "'@Verein"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("-Kurse planen", "'-Kurse planen"),
        ("+", "'+"),
        ("'=schon mit Apostroph", "''=schon mit Apostroph"),
        ("'+49 3447 1", "''+49 3447 1"),
        ("+49 3447 586-412", "'+49 3447 586-412"),
        ("+49 (0) 3447 / 586 412", "'+49 (0) 3447 / 586 412"),
        ("-5,00", "'-5,00"),
        ("-1", "'-1"),
        ("03447 586412", "03447 586412"),
        ("Text - mit Strich", "Text - mit Strich"),
        ("'Zitat'", "'Zitat'"),
        ("", ""),
    ],
)
def test_every_cell_with_a_formula_sign_is_neutralised(text: str, written: str) -> None:
    assert neutralise(text) == written
    assert restore(written) == text


@given(st.text(alphabet=st.sampled_from("'=+-@ 0123456789/().,abc|!\n"), max_size=12))
def test_restore_undoes_neutralise(text: str) -> None:
    assert restore(neutralise(text)) == text
    assert restore(neutralise(neutralise(text))) == neutralise(text)


# --- all or nothing ------------------------------------------------------------------------


def test_bad_rows_fail_the_whole_import_and_are_each_named(
    session: Session, tmp_path: Path
) -> None:
    add_samples(session)
    before = (count(session, Measure), count(session, Organisation))
    path = write_csv(
        tmp_path / "fehler.csv",
        [
            ["Titel", "Leitlinie", "Beginn", "Ende", "Budget geplant", "Federführung"],
            ["Gut", "1", "01.01.2026", "31.12.2026", "100", "Ganz neuer Verein e.V."],
            ["Rückwärts", "1", "01.05.2026", "01.04.2026", "", ""],
            ["Auch gut", "Bildung und Sprache sichern", "", "", "", ""],
            ["Kaputt", "9", "31.02.2026", "", "zwölf", ""],
        ],
    )
    with pytest.raises(ImportFailed) as caught:
        import_measures(session, path)
    message = str(caught.value)
    assert "nichts gespeichert" in message
    assert "Zeile 3, Ende: Das Ende liegt vor dem Beginn." in message
    assert "Zeile 5, Leitlinie: Eine Leitlinie „9“ gibt es nicht." in message
    assert "Zeile 5, Beginn: „31.02.2026“ ist kein gültiges Datum" in message
    assert "Zeile 5, Budget geplant: „zwölf“ ist kein Geldbetrag" in message
    assert len(caught.value.problems) == 4
    assert not any(p.startswith(("Zeile 2", "Zeile 4")) for p in caught.value.problems)
    assert (count(session, Measure), count(session, Organisation)) == before


def test_row_numbers_count_blank_rows_in_csv_and_xlsx(session: Session, tmp_path: Path) -> None:
    header = ["Titel", "Leitlinie", "Status"]
    csv_path = write_csv(
        tmp_path / "leer.csv", [header, ["A", "1", ""], ["", "", ""], [], ["B", "1", "fertig"]]
    )
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in (header, ["A", "1", ""], [], [], ["B", "1", "fertig"]):
        sheet.append(row)
    xlsx_path = tmp_path / "leer.xlsx"
    workbook.save(xlsx_path)
    for path in (csv_path, xlsx_path):
        with pytest.raises(ImportFailed) as caught:
            import_measures(session, path)
        assert caught.value.problems == [
            "Zeile 5, Status: „fertig“ gibt es nicht. Möglich: geplant, laufend, "
            "abgeschlossen, ausgesetzt, abgebrochen."
        ]
    assert count(session, Measure) == 0


def test_empty_title_and_missing_guideline_are_reported(session: Session, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "m.csv", [["Titel", "Leitlinie"], ["\x00\t ", "1"], ["Ohne", ""]])
    with pytest.raises(ImportFailed) as caught:
        import_measures(session, path)
    assert caught.value.problems == [
        "Zeile 2, Titel: Bitte einen Titel eingeben.",
        "Zeile 3, Leitlinie: Bitte eine Leitlinie wählen.",
    ]


def test_dry_run_writes_nothing(session: Session, other_db: Database, tmp_path: Path) -> None:
    add_samples(session)
    path = tmp_path / "m.xlsx"
    export_measures(session, path)
    with other_db.session() as target:
        report = import_measures(target, path, dry_run=True)
        assert not target.new
        assert count(target, Measure) == 0
    assert report.dry_run
    assert report.created == 2
    assert SPECIAL in report.created_organisations
    summary = report.summary()
    assert summary.startswith("Prüfung erfolgreich: 2 Maßnahmen würden importiert.")
    assert "Es wurde nichts gespeichert." in summary
    with other_db.session() as target:
        assert (count(target, Measure), count(target, Organisation)) == (0, 0)


@pytest.mark.parametrize(
    ("header", "missing"),
    [(["Leitlinie", "Status"], "Titel"), (["Titel", "Ziel"], "Leitlinie")],
)
def test_missing_required_column_is_named(
    session: Session, tmp_path: Path, header: list[str], missing: str
) -> None:
    path = write_csv(tmp_path / "m.csv", [header, ["x", "y"]])
    with pytest.raises(ImportFailed, match=f"Es fehlt die Spalte „{missing}“"):
        import_measures(session, path)


def test_garbage_files_give_user_errors(session: Session, tmp_path: Path) -> None:
    random_xlsx = tmp_path / "zufall.xlsx"
    random_xlsx.write_bytes(os.urandom(4096))
    with pytest.raises(UserError, match="keine lesbare Excel-Datei"):
        import_measures(session, random_xlsx)

    empty_csv = tmp_path / "leer.csv"
    empty_csv.write_bytes(b"")
    with pytest.raises(UserError, match="ist leer"):
        import_measures(session, empty_csv)

    random_csv = tmp_path / "zufall.csv"
    random_csv.write_bytes(os.urandom(4096))
    with pytest.raises(UserError):
        import_measures(session, random_csv)

    with pytest.raises(UserError, match="gibt es nicht"):
        import_measures(session, tmp_path / "fehlt.xlsx")
    with pytest.raises(UserError, match=r"\.xlsx"):
        import_measures(session, tmp_path / "brief.pdf")
    with pytest.raises(UserError, match=r"\.xlsx"):
        export_measures(session, tmp_path / "brief.pdf")
    with pytest.raises(UserError, match="kann nicht geschrieben werden"):
        export_measures(session, tmp_path / "kein-ordner" / "m.csv")


# --- arbitrary text ------------------------------------------------------------------------

SPECIAL_TEXTS = st.sampled_from(
    [
        "\x00",
        "Titel\x00mit NUL",
        "👨‍👩‍👧 Familien 🇺🇦",
        "مرحبا بكم في ألتنبورغ",
        "\u202eumgedreht\u202c",
        "a\r\nb\rc\nd",
        "'=1+1",
        "''@x",
        "x" * 2000,
        "\ufeffBOM",
        ";,\"'",
    ]
)
TEXTS = st.one_of(st.text(max_size=2000), SPECIAL_TEXTS)
NEUTRALISED = re.compile(r"'+[=+\-@]")


def expected(text: str) -> str:
    return text[1:] if NEUTRALISED.match(text) else text


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(title=TEXTS, goal=TEXTS, suffix=st.sampled_from([".csv", ".xlsx"]))
def test_arbitrary_text_is_stored_or_rejected_clearly(
    db: Database, tmp_path: Path, title: str, goal: str, suffix: str
) -> None:
    path = tmp_path / f"zufall{suffix}"
    if suffix == ".csv":
        write_csv(path, [["Titel", "Leitlinie", "Ziel"], [title, "1", goal]])
    else:
        # An .xlsx file cannot hold these control characters, and XML reads CR as LF.
        title, goal = (
            ILLEGAL_CHARACTERS_RE.sub("", t).replace("\r\n", "\n").replace("\r", "\n")
            for t in (title, goal)
        )
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.append(["Titel", "Leitlinie", "Ziel"])
        sheet.append(["x", 1, "x"])
        for column, text in ((1, title), (3, goal)):
            cell = sheet.cell(row=2, column=column, value=text)
            cell.data_type = "s"  # never a formula
        workbook.save(path)
    with db.sessions() as session:
        try:
            report = import_measures(session, path)
        except ImportFailed as err:
            assert err.problems
            assert all(p.startswith("Zeile 2, ") for p in err.problems)
            assert count(session, Measure) == 0
        else:
            assert report.created == 1
            measure = session.scalars(select(Measure)).one()
            assert measure.title == clean_line(expected(title))
            assert measure.goal == clean_text(expected(goal))
        session.rollback()


def test_imported_measures_appear_in_the_audit_trail(
    session: Session, other_db: Database, tmp_path: Path
) -> None:
    """The import writes in bulk past the ORM; each measure still gets its "importiert" entry."""
    add_samples(session)
    path = tmp_path / "massnahmen.xlsx"
    export_measures(session, path)
    with other_db.session() as target:
        import_measures(target, path)
    with other_db.session() as target:
        titles = set(target.scalars(select(Measure.title)))
        entries = target.scalars(select(AuditEntry).where(AuditEntry.table_name == "measure")).all()
        assert {e.action for e in entries} == {AuditAction.IMPORT.value}
        assert {json.loads(e.changes)["Name"][1] for e in entries} == titles
        assert {e.user for e in entries} == {"testnutzer"}
