"""Indicator values in files: round trips, statistics-office CSV, the real GENESIS downloads,
wide tables, and malformed files that fail cleanly without writing anything."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from integrationsmanager.domain.errors import UserError
from integrationsmanager.domain.monitoring import Indicator, IndicatorValue
from integrationsmanager.services.indicator_io import (
    COLUMNS,
    ImportCancelled,
    ImportFailed,
    WideMapping,
    export_indicator_values,
    import_indicator_values,
    import_wide_table,
    wide_values,
)
from integrationsmanager.services.indicators import (
    IndicatorData,
    ValueData,
    add_value,
    breakdown,
    create_indicator,
    find_indicator,
    series,
)
from integrationsmanager.services.statistics_table import (
    parse_number,
    parse_period,
    read_statistics_table,
)
from integrationsmanager.storage.database import Database, open_database
from tests.conftest import REAL_FIXTURES

STATISTICS = REAL_FIXTURES / "statistics-csv"
REGIONAL = STATISTICS / "regionalstatistik-12411-01-01-4-bevoelkerung-kreise-2018.csv"
AGES = STATISTICS / "genesis-destatis-12411-0005-bevoelkerung-altersjahre.csv"
CYRILLIC = "Учасники мовних курсів"
ARABIC = "سوريا"
FORMULA = '=HYPERLINK("http://example.com";"x")'

Snapshot = tuple[object, ...]


@pytest.fixture
def other_db(tmp_path: Path) -> Iterator[Database]:
    """A second database (seeded like every database) to import into."""
    database = open_database(tmp_path / "ziel.sqlite", user="testnutzer")
    yield database
    database.close()


def snapshot(session: Session) -> list[Snapshot]:
    """Everything the long layout carries, per value, sorted."""
    rows = session.execute(
        select(
            Indicator.name,
            Indicator.unit,
            IndicatorValue.year,
            IndicatorValue.reference_date,
            IndicatorValue.breakdown_value,
            IndicatorValue.value,
            IndicatorValue.is_forecast,
            IndicatorValue.source,
            IndicatorValue.note,
        ).join(Indicator, Indicator.id == IndicatorValue.indicator_id)
    )
    return sorted(
        (tuple(str(v) if isinstance(v, Decimal) else v for v in row) for row in rows),
        key=repr,
    )


def value_count(session: Session) -> int:
    return session.scalar(select(func.count(IndicatorValue.id))) or 0


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def fill(session: Session) -> None:
    """Indicators with everything a file must carry: scripts, dates, forecasts, formulas."""
    course = create_indicator(session, IndicatorData(name=CYRILLIC, unit="Personen"))
    for value in (
        ValueData(2024, None, Decimal("310"), breakdown_value=ARABIC, note="Zeile 1\nZeile 2"),
        ValueData(2024, None, Decimal("1234.5"), source="Jobcenter; Träger"),
        ValueData(None, date(2025, 6, 30), Decimal("-3.25"), note="@SUM(A1)"),
        ValueData(2027, None, Decimal("1500"), is_forecast=True, source="-Schätzung"),
        ValueData(None, date(1899, 12, 31), Decimal("0.001")),
    ):
        add_value(session, course.id, value)
    formula = create_indicator(session, IndicatorData(name=FORMULA, unit="+%"))
    add_value(session, formula.id, ValueData(2020, None, Decimal("28.5")))


# --- round trips ---------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_imports_back_identically(
    session: Session, other_db: Database, tmp_path: Path, suffix: str
) -> None:
    fill(session)
    session.flush()
    path = tmp_path / f"kennzahlen{suffix}"
    assert export_indicator_values(session, path) == 12 + 6
    expected = snapshot(session)
    with other_db.session() as target:
        report = import_indicator_values(target, path)
        assert sorted(report.created_indicators) == sorted([CYRILLIC, FORMULA])
        assert (report.created_values, report.updated_values, report.unchanged_values) == (
            6,
            0,
            12,
        )
        assert snapshot(target) == expected
        imported = find_indicator(target, FORMULA)
        assert imported is not None and imported.unit == "+%"
    # A second import of the same file changes nothing.
    with other_db.session() as target:
        report = import_indicator_values(target, path)
        assert report.summary() == "18 Werte importiert (0 neu, 0 geändert, 18 unverändert)."
        assert snapshot(target) == expected


def test_xlsx_holds_numbers_dates_and_neutralised_text(session: Session, tmp_path: Path) -> None:
    fill(session)
    path = tmp_path / "kennzahlen.xlsx"
    export_indicator_values(session, path)
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(COLUMNS)
    by_value = {row[4]: row for row in rows[1:]}
    assert by_value[1234.5][2] == 2024 and isinstance(by_value[1234.5][2], int)
    assert by_value[-3.25][3] == datetime(2025, 6, 30)
    assert by_value[-3.25][8] == "'@SUM(A1)"
    assert by_value[1500][6] == "ja" and by_value[1500][7] == "'-Schätzung"
    assert by_value[310][1] == ARABIC
    assert by_value[28.5][0] == "'" + FORMULA and by_value[28.5][5] == "'+%"
    # Before 1 March 1900 Excel has no dates: the day is written as text.
    assert by_value[0.001][3] == "31.12.1899"
    assert sheet["E2"].number_format == "General"


def test_csv_is_german_excel_csv(session: Session, tmp_path: Path) -> None:
    fill(session)
    path = tmp_path / "kennzahlen.csv"
    export_indicator_values(session, path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0] == list(COLUMNS)
    by_value = {row[4]: row for row in rows[1:]}
    assert set(by_value) >= {"1234,5", "-3,25", "1500", "28,5", "0,001", "7400", "310"}
    assert by_value["-3,25"][3] == "30.06.2025" and by_value["-3,25"][2] == "2025"
    assert by_value["310"][8] == "Zeile 1\nZeile 2"
    assert by_value["28,5"][0] == "'" + FORMULA
    assert by_value["1500"][6] == "ja"


# --- long layout as statistics offices wrap it ---------------------------------------------

WRAPPED = (
    "Kennzahlen des Landkreises Altenburger Land\n"
    "Stand: 31.12.2025;;;;;\n"
    ";;;;;\n"
    "Kennzahl;Jahr;Ausprägung;Wert;Einheit;Anmerkung\n"
    "Ausländische Staatsangehörige;2024;;7.401;Personen;berichtigt\n"
    "Ausländische Staatsangehörige;2025;Türkei;312;Personen;\n"
    "Armutsgefährdungsquote;2025;;19,5;%;vorläufig\n"
    "Übergänge in Ausbildung;2025;;1.234,5;Personen;\n"
    "Übergänge in Ausbildung;2026;;1.300;;\n"
    "__________\n"
    "1) vorläufige Angabe\n"
    "© Statistisches Landesamt, 2026\n"
)


def test_windows_1252_file_with_title_lines_and_footer(session: Session, tmp_path: Path) -> None:
    path = write(tmp_path / "landesamt.csv", WRAPPED, "cp1252")
    report = import_indicator_values(session, path)
    assert report.created_indicators == ["Übergänge in Ausbildung"]
    assert (report.created_values, report.updated_values) == (4, 1)
    assert report.summary() == (
        "5 Werte importiert (4 neu, 1 geändert). Neu angelegte Kennzahlen (1): "
        "Übergänge in Ausbildung."
    )
    foreigners = find_indicator(session, "Ausländische Staatsangehörige")
    assert foreigners is not None
    total_2024 = next(v for v in foreigners.values if v.year == 2024 and not v.breakdown_value)
    assert (total_2024.value, total_2024.note) == (Decimal(7401), "berichtigt")
    assert breakdown(session, foreigners.id, 2025) == [("Türkei", Decimal(312))]
    transitions = find_indicator(session, "Übergänge in Ausbildung")
    assert transitions is not None and transitions.unit == "Personen"
    assert [(p.year, p.value) for p in series(session, transitions.id).points] == [
        (2025, Decimal("1234.5")),
        (2026, Decimal(1300)),
    ]


def test_utf8_with_bom_comma_delimited_and_dates(session: Session, tmp_path: Path) -> None:
    text = (
        "Kennzahl,Stichtag,Wert,Prognose,Quelle\n"
        f'{CYRILLIC},31.12.2024,"1.234,5",,Звіт\n'
        f"{CYRILLIC},2025-06-30,12.5,ja,\n"
    )
    path = write(tmp_path / "utf8.csv", "\ufeff" + text)
    table = read_statistics_table(path)
    assert (table.encoding, table.delimiter) == ("UTF-8 mit BOM", ",")
    import_indicator_values(session, path)
    indicator = find_indicator(session, CYRILLIC)
    assert indicator is not None and indicator.source == "Звіт"
    assert [
        (p.reference_date, p.value, p.is_forecast) for p in series(session, indicator.id).points
    ] == [
        (date(2024, 12, 31), Decimal("1234.5"), False),
        (date(2025, 6, 30), Decimal("12.5"), True),
    ]


def test_dry_run_checks_and_writes_nothing(session: Session, tmp_path: Path) -> None:
    before = snapshot(session)
    path = write(tmp_path / "landesamt.csv", WRAPPED, "cp1252")
    report = import_indicator_values(session, path, dry_run=True)
    assert report.summary() == (
        "Prüfung erfolgreich: 5 Werte würden importiert (4 neu, 1 geändert). Neu anzulegende "
        "Kennzahlen (1): Übergänge in Ausbildung. Es wurde nichts gespeichert."
    )
    session.flush()
    assert snapshot(session) == before
    assert find_indicator(session, "Übergänge in Ausbildung") is None


def test_progress_is_reported_and_a_cancel_writes_nothing(session: Session, tmp_path: Path) -> None:
    path = write(tmp_path / "landesamt.csv", WRAPPED, "cp1252")
    seen: list[tuple[int, int]] = []

    def record(done: int, total: int) -> bool:
        seen.append((done, total))
        return True

    import_indicator_values(session, path, dry_run=True, progress=record)
    assert seen[-1] == (10, 10) and len(seen) == 10

    before = snapshot(session)
    calls: list[int] = []

    def cancel_late(done: int, total: int) -> bool:
        calls.append(done)
        return done < 8  # cancelled while storing

    with pytest.raises(ImportCancelled, match="nichts gespeichert"):
        import_indicator_values(session, path, progress=cancel_late)
    assert calls[-1] == 8
    session.flush()
    assert snapshot(session) == before
    assert find_indicator(session, "Übergänge in Ausbildung") is None


# --- malformed files -----------------------------------------------------------------------


def test_a_bad_number_names_its_row_and_nothing_is_written(
    session: Session, tmp_path: Path
) -> None:
    text = WRAPPED.replace("1.234,5", "1.234,5 Personen").replace("19,5", "19,5")
    path = write(tmp_path / "fehler.csv", text, "cp1252")
    before = snapshot(session)
    with pytest.raises(ImportFailed) as caught:
        import_indicator_values(session, path)
    assert caught.value.problems == [
        "Zeile 8, Wert: „1.234,5 Personen“ ist keine Zahl (z. B. 1.234,5)."
    ]
    assert str(caught.value).startswith("Import abgebrochen, es wurde nichts gespeichert.")
    session.flush()
    assert snapshot(session) == before
    assert find_indicator(session, "Übergänge in Ausbildung") is None


@pytest.mark.parametrize(
    ("sign", "meaning"),
    [
        ("...", "Angabe fällt später an"),
        ("-", "nichts vorhanden"),
        (".", "Zahlenwert unbekannt oder geheim zu halten"),
        ("x", "Tabellenfach gesperrt"),
    ],
)
def test_statistics_signs_are_refused_by_row(
    session: Session, tmp_path: Path, sign: str, meaning: str
) -> None:
    path = write(
        tmp_path / "zeichen.csv", f"Kennzahl;Jahr;Wert\nArmutsgefährdungsquote;2025;{sign}\n"
    )
    with pytest.raises(ImportFailed) as caught:
        import_indicator_values(session, path)
    [problem] = caught.value.problems
    assert problem.startswith(
        f"Zeile 2, Wert: „{sign}“ ist kein Zahlenwert (Zeichen der Statistik: {meaning}"
    )


def test_every_problem_of_every_row_is_listed(session: Session, tmp_path: Path) -> None:
    text = (
        "Kennzahl;Jahr;Stichtag;Wert;Prognose;Einheit\n"
        ";2024;;5;;\n"
        "Armutsgefährdungsquote;20x4;;5;;\n"
        "Armutsgefährdungsquote;;31.02.2024;5;;\n"
        "Armutsgefährdungsquote;;;5;vielleicht;\n"
        "Armutsgefährdungsquote;2023;30.06.2024;;;\n"
        "Armutsgefährdungsquote;2024;;21;;Personen\n"
        "Vereine im Landkreis;2023;;260;;\n"
        "Vereine im Landkreis;2023;;261;;\n"
    )
    path = write(tmp_path / "fehler.csv", text)
    with pytest.raises(ImportFailed) as caught:
        import_indicator_values(session, path)
    assert caught.value.problems == [
        "Zeile 2, Kennzahl: Bitte den Namen der Kennzahl angeben.",
        "Zeile 3, Jahr: „20x4“ ist kein Jahr (z. B. 2024).",
        "Zeile 4, Stichtag: „31.02.2024“ ist kein gültiges Datum (z. B. 31.12.2026).",
        "Zeile 5, Jahr: Bitte ein Jahr oder einen Stichtag angeben.",
        "Zeile 5, Prognose: „vielleicht“: bitte „ja“ oder leer lassen.",
        "Zeile 6, Jahr: Der Stichtag 30.06.2024 liegt nicht im Jahr 2023.",
        "Zeile 6, Wert: Der Wert fehlt.",
        "Zeile 9: Für 2023 steht schon ein Wert in Zeile 8.",
        "Zeile 7, Einheit: Die Kennzahl „Armutsgefährdungsquote“ hat die Einheit „%“, "
        "nicht „Personen“.",
    ]


def test_missing_columns(session: Session, tmp_path: Path) -> None:
    no_period = write(tmp_path / "ohne.csv", "Titel\nKennzahl;Wert\nA;1\n")
    with pytest.raises(ImportFailed) as caught:
        import_indicator_values(session, no_period)
    assert caught.value.problems == [
        "Zeile 2: Es fehlt die Spalte „Jahr“ oder die Spalte „Stichtag“."
    ]
    no_header = write(tmp_path / "breit.csv", "Name;2023;2024\nA;1;2\n")
    with pytest.raises(
        ImportFailed, match="fehlt die Kopfzeile mit den Spalten „Kennzahl“ und „Wert“"
    ):
        import_indicator_values(session, no_header)
    twice = write(tmp_path / "doppelt.csv", "Kennzahl;Jahr;Wert;wert\nA;2024;1;2\n")
    with pytest.raises(ImportFailed, match="Die Spalte „Wert“ steht zweimal"):
        import_indicator_values(session, twice)
    with pytest.raises(ImportFailed, match="fehlt die Kopfzeile"):
        import_indicator_values(session, REGIONAL)


@pytest.mark.parametrize(
    "raw",
    [
        "Kennzahl;Jahr;Wert\nЖитомир;2024;1\n".encode("cp1251") + b"\x81\x90",
        "Kennzahl;Jahr;Wert\nA;2024;1\n".encode("utf-16-le"),
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00",
    ],
    ids=["cp1251", "utf16-ohne-bom", "zip"],
)
def test_a_wrong_encoding_is_refused_cleanly(session: Session, tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "kaputt.csv"
    path.write_bytes(raw)
    with pytest.raises(UserError, match="keine Textdatei in UTF-8 oder Windows-1252"):
        import_indicator_values(session, path)
    assert value_count(session) == 12


def test_other_unreadable_files(session: Session, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="gibt es nicht"):
        import_indicator_values(session, tmp_path / "fehlt.csv")
    with pytest.raises(UserError, match="ist leer"):
        import_indicator_values(session, write(tmp_path / "leer.csv", ";;\n\n"))
    with pytest.raises(UserError, match="bitte eine Excel-Datei"):
        import_indicator_values(session, write(tmp_path / "daten.txt", "x"))
    broken = write(tmp_path / "kaputt.xlsx", "keine Tabelle")
    with pytest.raises(UserError, match="keine lesbare Excel-Datei"):
        import_indicator_values(session, broken)
    quote = write(tmp_path / "quote.csv", 'Kennzahl;Jahr;Wert\n"A;2024;1\n')
    with pytest.raises(ImportFailed, match="Zeile 2"):
        import_indicator_values(session, quote)
    with pytest.raises(UserError, match=r"nicht als „k\.pdf“"):
        export_indicator_values(session, tmp_path / "k.pdf")


def test_excel_file_with_title_lines(session: Session, tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Kennzahlen 2025"])
    sheet.append([])
    sheet.append(["Kennzahl", "Stichtag", "Wert", "Ausprägung"])
    sheet.append(["Ausländische Staatsangehörige", datetime(2025, 12, 31), 7123.25, ARABIC])
    sheet.append(["Ausländische Staatsangehörige", datetime(2025, 12, 31), 0.1 + 0.2, "Ukraine"])
    sheet.append(["© Landkreis"])
    path = tmp_path / "titel.xlsx"
    workbook.save(path)
    import_indicator_values(session, path)
    foreigners = find_indicator(session, "Ausländische Staatsangehörige")
    assert foreigners is not None
    assert breakdown(session, foreigners.id, 2025) == [
        (ARABIC, Decimal("7123.25")),
        ("Ukraine", Decimal("0.3")),
    ]


# --- the real statistics files -------------------------------------------------------------

REAL = {
    "genesis-destatis-12411-0005-bevoelkerung-altersjahre.csv": (
        "Windows-1252",
        "Bevölkerung: Deutschland, Stichtag, Altersjahre",
        2,
        ("unter 1 Jahr", "784613", "762827"),
        ("Insgesamt", "61001164", "61502503"),
        "© Statistisches Bundesamt (Destatis), 2023",
    ),
    "genesis-destatis-12612-0002-lebendgeborene-utf8.csv": (
        "UTF-8",
        "Lebendgeborene: Deutschland, Monate, Geschlecht",
        1,
        ("1950", "Januar", "49505"),
        ("2022", "Dezember", "..."),
        "© Statistisches Bundesamt (Destatis), 2022",
    ),
    "genesis-destatis-63111-0001-ausstattung-haushalte.csv": (
        "Windows-1252",
        "Ausstattung privater Haushalte (Laufende",
        4,
        ("01.01.2000", "5827", "34390"),
        ("01.01.2021", "7630", "37993"),
        "© Statistisches Bundesamt (Destatis), 2022",
    ),
    "genesis-sachsen-baugenehmigungen-gemeinden-2014.csv": (
        "Windows-1252",
        "Baugenehmigungen: Neue Wohn-u.Nichtwohngeb. einschl. Wohnh.,",
        4,
        ("14", "Freistaat Sachsen", "3984"),
        ("14730360", "      Zschepplin", "9"),
        "(C)opyright Statistisches Landesamt des Freistaates Sachsen 2015 -",
    ),
    "regionalstatistik-12411-01-01-4-bevoelkerung-kreise-2018.csv": (
        "Windows-1252",
        "Bevölkerung nach Geschlecht - Stichtag 31.12. - regionale",
        3,
        ("DG", "Deutschland", "83019213"),
        ("16077", "      Altenburger Land, Kreis", "90118"),
        "© Statistische Ämter des Bundes und der Länder, Deutschland, 2020.",
    ),
}


@pytest.mark.parametrize("name", sorted(REAL))
def test_the_real_statistics_files_are_read_whole(name: str) -> None:
    encoding, title, header_rows, first, last, copyright_line = REAL[name]
    table = read_statistics_table(STATISTICS / name)
    assert table.encoding == encoding and table.delimiter == ";"
    assert table.title_lines[0].startswith("GENESIS-Tabelle:")
    assert table.title_lines[1] == title
    assert len(table.header_rows) == header_rows
    assert table.data_rows[0].cells[:3] == first
    assert table.data_rows[-1].cells[:3] == last
    assert table.footer_lines[0].startswith("___")
    assert copyright_line in table.footer_lines
    assert table.footer_lines[-1].startswith("Stand: ")
    assert copyright_line in table.suggested_source()
    # No mis-decoded characters anywhere (UTF-8 read as Windows-1252 shows as "Ã¤").
    assert not any("Ã" in cell or "\ufffd" in cell for row in table.rows for cell in row.cells)


def test_umlauts_of_the_real_files_are_intact() -> None:
    regional = read_statistics_table(REGIONAL)
    labels = [row.cell(1).strip() for row in regional.data_rows]
    assert "Thüringen" in labels and "Lübeck, Hansestadt, Kreisfreie Stadt" in labels
    assert regional.column_label(3) == "Stichtag / 31.12.2018 / männlich"
    births = read_statistics_table(
        STATISTICS / "genesis-destatis-12612-0002-lebendgeborene-utf8.csv"
    )
    assert births.data_rows[2].cells[:2] == ("1950", "März")
    assert births.header_rows[0].cells[2] == "männlich"
    ages = read_statistics_table(AGES)
    assert ages.data_rows[1].cells[0] == "1-Jährige"
    # The quoted footnote spans lines (one of them empty) and stays one part of the footer.
    assert ages.footer_lines[1:3] == [
        "Bis 1989: Früheres Bundesgebiet",
        "Ab 2011: Ergebnisse auf Grundlage des Zensus 2011.",
    ]


# --- wide tables ---------------------------------------------------------------------------


def test_regional_table_row_of_altenburger_land(session: Session) -> None:
    indicator = create_indicator(
        session, IndicatorData(name="Bevölkerung Altenburger Land", unit="Personen")
    )
    table = read_statistics_table(REGIONAL)
    mapping = WideMapping(
        value_columns=(2, 3, 4),
        label_column=1,
        row_filter="Altenburger Land",
        period_header_row=1,
        breakdown_header_row=2,
    )
    preview = wide_values(table, mapping)
    assert [(v.row, v.reference_date, v.breakdown_value, v.value) for v in preview.values] == [
        (546, date(2018, 12, 31), "", Decimal(90118)),
        (546, date(2018, 12, 31), "männlich", Decimal(44138)),
        (546, date(2018, 12, 31), "weiblich", Decimal(45980)),
    ]
    report = import_wide_table(session, table, mapping, indicator_id=indicator.id)
    assert (report.created_values, report.updated_values, report.skipped_cells) == (3, 0, 0)
    [point] = series(session, indicator.id).points
    assert (point.year, point.reference_date, point.value) == (2018, date(2018, 12, 31), 90118)
    assert point.source == (
        "GENESIS-Tabelle: 12411-01-01-4; © Statistische Ämter des Bundes und der Länder, "
        "Deutschland, 2020."
    )
    assert breakdown(session, indicator.id) == [
        ("weiblich", Decimal(45980)),
        ("männlich", Decimal(44138)),
    ]
    by_key = WideMapping(
        value_columns=(2,), label_column=0, row_filter="16077", period_header_row=1
    )
    report = import_wide_table(session, table, by_key, indicator_id=indicator.id, dry_run=True)
    assert (report.created_values, report.updated_values, report.unchanged_values) == (0, 0, 1)


def test_regions_as_breakdown_skip_the_statistics_signs(session: Session) -> None:
    indicator = create_indicator(session, IndicatorData(name="Bevölkerung der Kreise"))
    table = read_statistics_table(REGIONAL)
    mapping = WideMapping(
        value_columns=(2,), label_column=1, rows_as_breakdown=True, period_header_row=1
    )
    report = import_wide_table(session, table, mapping, indicator_id=indicator.id)
    lines = REGIONAL.read_bytes().decode("cp1252").splitlines()
    records = [line.split(";") for line in lines[8:546]]
    signs = sum(1 for r in records if r[2] in ("-", "."))
    assert report.skipped_cells == signs == 90
    assert report.created_values == len(records) - signs
    parts = dict(breakdown(session, indicator.id, 2018))
    assert parts["Altenburger Land, Kreis"] == 90118
    assert parts["Thüringen"] == 2143145
    assert "Schönebeck, Kreis" not in parts  # dissolved: "-"
    assert "90 Zellen ohne Zahl" in report.summary()


def test_age_table_total_row_and_age_groups(session: Session) -> None:
    table = read_statistics_table(AGES)
    total = create_indicator(session, IndicatorData(name="Bevölkerung Deutschland"))
    all_dates = tuple(range(1, table.column_count))
    mapping = WideMapping(value_columns=all_dates, row_filter="Insgesamt", period_header_row=1)
    report = import_wide_table(session, table, mapping, indicator_id=total.id)
    assert report.created_values == 53
    points = series(session, total.id).points
    assert (points[0].reference_date, points[0].value) == (date(1970, 12, 31), 61001164)
    assert (points[-1].reference_date, points[-1].value) == (date(2022, 12, 31), 84358845)
    assert [p.year for p in points] == list(range(1970, 2023))

    ages = create_indicator(session, IndicatorData(name="Bevölkerung nach Alter"))
    by_age = WideMapping(value_columns=(53,), rows_as_breakdown=True, period_header_row=1)
    import_wide_table(session, table, by_age, indicator_id=ages.id)
    [point] = series(session, ages.id).points
    parts = breakdown(session, ages.id)
    assert point.value == 84358845
    assert len(parts) == 86
    assert sum(value for _age, value in parts) == point.value
    assert dict(parts)["unter 1 Jahr"] == 737780
    assert dict(parts)["85 Jahre und mehr"] == 2732786


def test_wide_mapping_problems(session: Session) -> None:
    table = read_statistics_table(REGIONAL)
    cases = [
        (
            WideMapping(
                value_columns=(2,), label_column=1, row_filter="Leipzig", period_header_row=1
            ),
            "„Leipzig“ passt auf mehrere Zeilen: Zeile 458 (Leipzig, Regierungsbezirk)",
        ),
        (
            WideMapping(
                value_columns=(2,), label_column=1, row_filter="Atlantis", period_header_row=1
            ),
            "Keine Zeile heißt „Atlantis“ (Spalte 2).",
        ),
        (
            WideMapping(value_columns=(2,), label_column=1, row_filter="Leipzig, Stadt"),
            "Bitte genau eine Angabe für den Zeitraum wählen",
        ),
        (WideMapping(value_columns=(9,), period=2018), "Die Tabelle hat keine Spalte 10."),
        (
            WideMapping(value_columns=(2,), label_column=2, period=2018),
            "Die Spalte mit den Bezeichnungen kann nicht zugleich Werte enthalten.",
        ),
        (
            WideMapping(value_columns=(2,), period=2018, period_header_row=5),
            "Die Tabelle hat keine 6. Kopfzeile.",
        ),
        (
            WideMapping(
                value_columns=(2,), label_column=0, row_filter="16051", period_header_row=0
            ),
            "Zeile 6, Spalte 3: „Stichtag“ ist kein Jahr und kein Stichtag",
        ),
        (WideMapping(value_columns=(), period=2018), "mindestens eine Spalte"),
        (
            WideMapping(value_columns=(2,), label_column=1, period_header_row=1),
            "Zeile 10: Für 31.12.2018 steht schon ein Wert in Zeile 9.",
        ),
    ]
    for mapping, message in cases:
        with pytest.raises(ImportFailed) as caught:
            wide_values(table, mapping) if "steht schon" not in message else import_wide_table(
                session, table, mapping, indicator_id=1
            )
        assert message in str(caught.value), (mapping, str(caught.value))
    assert value_count(session) == 12


def test_wide_text_instead_of_a_number_names_row_and_column(
    session: Session, tmp_path: Path
) -> None:
    text = (
        REGIONAL.read_bytes()
        .decode("cp1252")
        .replace(
            "16052;      Gera, krsfr. Stadt;94152", "16052;      Gera, krsfr. Stadt;rund 94000"
        )
    )
    path = write(tmp_path / "kreise.csv", text, "cp1252")
    mapping = WideMapping(
        value_columns=(2,), label_column=1, rows_as_breakdown=True, period_header_row=1
    )
    with pytest.raises(ImportFailed) as caught:
        import_wide_table(session, read_statistics_table(path), mapping, indicator_id=1)
    assert caught.value.problems == [
        "Zeile 525, Spalte 3 (Stichtag / 31.12.2018 / Insgesamt): „rund 94000“ ist keine Zahl."
    ]
    assert value_count(session) == 12


def test_wide_excel_table_with_years_across(session: Session, tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Armutsgefährdungsquote nach Kreisen"])
    sheet.append(["Kreis", 2022, 2023, "2024"])
    sheet.append(["Altenburger Land", 21.1, 20.5, "20"])
    sheet.append(["Greiz", 18.25, "...", 17])
    sheet.append(["Quelle: Landesamt"])
    path = tmp_path / "breit.xlsx"
    workbook.save(path)
    table = read_statistics_table(path)
    assert (table.encoding, table.title_lines) == ("Excel", ["Armutsgefährdungsquote nach Kreisen"])
    assert table.header_rows[0].cells == ("Kreis", "2022", "2023", "2024")
    assert table.data_rows[0].cells == ("Altenburger Land", "21,1", "20,5", "20")
    poverty = find_indicator(session, "Armutsgefährdungsquote")
    assert poverty is not None
    mapping = WideMapping(
        value_columns=(1, 2, 3), row_filter="altenburger land", period_header_row=0, note="Test"
    )
    report = import_wide_table(session, table, mapping, indicator_id=poverty.id)
    assert (report.created_values, report.updated_values) == (2, 1)
    assert [(p.year, p.value, p.note) for p in series(session, poverty.id).points] == [
        (2022, Decimal("21.1"), "Test"),
        (2023, Decimal("20.5"), "Test"),
        (2024, Decimal(20), "Test"),
    ]


def test_number_and_period_parsing() -> None:
    assert parse_number("1.234,5") == Decimal("1234.5")
    assert parse_number("7.400") == Decimal(7400)
    assert parse_number("74,4") == Decimal("74.4")
    assert parse_number("-145") == Decimal(-145)
    assert parse_number("28.5") == Decimal("28.5")
    assert parse_number("1 234,5") == Decimal("1234.5")
    assert parse_number("12.34.56") is None
    assert parse_number("31.12.1970") is None
    assert parse_number("1,2,3") is None
    assert parse_number("") is None
    assert parse_period("2018") == (2018, None)
    assert parse_period(" 31.12.2018 ") == (2018, date(2018, 12, 31))
    assert parse_period("2018-06-30") == (2018, date(2018, 6, 30))
    assert parse_period("31.02.2018") is None
    assert parse_period("Stichtag") is None
