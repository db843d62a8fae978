"""Random text in every cell of every import: a stored record or a German message, nothing else.

Each example writes a one-row file whose cells are valid except one, which holds random text
(control characters, NUL, very long strings, emoji, right-to-left text, mixed newlines, lone
surrogates in CSV bytes). The import must either store the row, with the text read back as
the import's cleaning gives it, or refuse the file with a :class:`UserError` naming row 2 and
store nothing.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from integrationsmanager.domain.base import Base
from integrationsmanager.domain.errors import UserError
from integrationsmanager.domain.funding import Grant
from integrationsmanager.domain.measures import Measure
from integrationsmanager.domain.monitoring import IndicatorValue
from integrationsmanager.domain.network import Person
from integrationsmanager.domain.text import clean_line, clean_text
from integrationsmanager.services.contacts_io import import_contacts
from integrationsmanager.services.grant_io import import_grants
from integrationsmanager.services.indicator_io import import_indicator_values
from integrationsmanager.services.measure_io import import_measures
from integrationsmanager.services.spreadsheets import restore
from integrationsmanager.storage.database import Database
from tests.robustness.fuzz import TEXT_WITH_SURROGATES, TRIED, write_counts, xlsx_text

EXAMPLES = 40
"""Per import and file type; nine of them keep the module at well under a minute."""

Reader = Callable[[Session], str]


@dataclass(frozen=True)
class Spec:
    """One import: a valid row, and how to read each text column back after a success."""

    run: Callable[[Session, Path], object]
    model: type[Base]
    row: dict[str, str]
    read_back: dict[str, tuple[Reader, Callable[[str], str]]]
    """Column → (stored value, the cleaning the import applies)."""


def _one(column: Any) -> Reader:
    """The column of the newest row (the seed already holds indicator values)."""
    newest = select(column).order_by(column.class_.id.desc()).limit(1)
    return lambda session: str(session.scalars(newest).one())


SPECS: dict[str, Spec] = {
    "Maßnahmen": Spec(
        import_measures,
        Measure,
        {
            "Titel": "Elterncafe",
            "Leitlinie": "1",
            "Status": "",
            "Beginn": "01.02.2026",
            "Ziel": "Mehr Eltern",
            "Federführung": "Verein",
            "Budget geplant": "1.000,00",
            "Schlagwörter": "Eltern",
        },
        {
            "Titel": (_one(Measure.title), clean_line),
            "Ziel": (_one(Measure.goal), clean_text),
        },
    ),
    "Kontakte": Spec(
        import_contacts,
        Person,
        {
            "Vorname": "Olena",
            "Nachname": "Kowalenko",
            "E-Mail": "olena@example.org",
            "Organisation": "Verein",
            "Funktion": "Leitung",
            "Ort": "Koeln",
            "Notizen": "Hallo",
        },
        {"Nachname": (_one(Person.last_name), clean_line)},
    ),
    "Zuwendungen": Spec(
        import_grants,
        Grant,
        {
            "Aktenzeichen": "KF-2027-001",
            "Programm": "SBR",
            "Jahr": "2027",
            "Empfänger": "Verein",
            "Projekt": "Sommerfest",
            "Bewilligt": "1.234,56",
            "Status": "bewilligt",
            "Beschreibung": "Fest",
        },
        {
            "Projekt": (_one(Grant.project_title), clean_line),
            "Beschreibung": (_one(Grant.description), clean_text),
        },
    ),
    "Kennzahlen": Spec(
        import_indicator_values,
        IndicatorValue,
        {
            "Kennzahl": "Teilnehmende",
            "Jahr": "2025",
            "Wert": "12,5",
            "Einheit": "Personen",
            "Quelle": "Amt",
            "Anmerkung": "vorläufig",
        },
        {
            "Quelle": (_one(IndicatorValue.source), clean_line),
            "Anmerkung": (_one(IndicatorValue.note), clean_text),
        },
    ),
}

CASES = [
    (name, suffix)
    for name in SPECS
    for suffix in (".csv", ".xlsx", ".vcf")
    if suffix != ".vcf" or name == "Kontakte"
]


def _write_csv(path: Path, row: dict[str, str]) -> bool:
    """A German CSV file (UTF-8, semicolons); False if it is no valid UTF-8 (surrogates)."""
    with path.open("w", encoding="utf-8", errors="surrogatepass", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(row)
        writer.writerow(row.values())
    try:
        path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _write_xlsx(path: Path, row: dict[str, str]) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(row))
    for column, text in enumerate(row.values(), start=1):
        cell = sheet.cell(row=2, column=column, value=text)
        cell.data_type = "s"  # never a formula
    workbook.save(path)


def _vcf_text(text: str) -> str:
    """A vCard value: one line, its separators escaped."""
    for char in "\\;,":
        text = text.replace(char, "\\" + char)
    return "".join(c for c in text if c not in "\r\n\x85\u2028\u2029")


def _write_vcf(path: Path, row: dict[str, str]) -> None:
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\n"
        f"N:{_vcf_text(row['Nachname'])};{_vcf_text(row['Vorname'])};;;\r\n"
        f"EMAIL:{_vcf_text(row['E-Mail'])}\r\nNOTE:{_vcf_text(row['Notizen'])}\r\nEND:VCARD\r\n"
    )
    path.write_bytes(card.encode("utf-8", "surrogatepass"))


def _count(session: Session, model: type[Base]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture(scope="module", autouse=True)
def report_counts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    yield
    text = write_counts(tmp_path_factory.getbasetemp(), "hypothesis-imports.json", "Import")
    print("\n" + text)


@pytest.mark.parametrize(("name", "suffix"), CASES)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), text=TEXT_WITH_SURROGATES)
def test_random_text_in_any_cell_is_stored_or_refused_in_german(
    db: Database, tmp_path: Path, name: str, suffix: str, data: st.DataObject, text: str
) -> None:
    TRIED[f"Import {name} {suffix}"] += 1
    spec = SPECS[name]
    columns = list(spec.row)
    if suffix == ".vcf":
        columns = ["Vorname", "Nachname", "E-Mail", "Notizen"]
    column = data.draw(st.sampled_from(columns), label="column")
    row = dict(spec.row)
    path = tmp_path / f"zufall{suffix}"
    comparable = True
    if suffix == ".csv":
        row[column] = text
        comparable = _write_csv(path, row)
    elif suffix == ".xlsx":
        row[column] = xlsx_text(text)
        _write_xlsx(path, row)
    else:
        row[column] = text
        _write_vcf(path, row)
        comparable = False  # vCard has its own unescaping
    with db.sessions() as session:
        before = _count(session, spec.model)
        try:
            spec.run(session, path)
        except UserError as err:
            problems = getattr(err, "problems", None) or [str(err)]
            label = "Karte 1" if suffix == ".vcf" else "Zeile 2"
            if name == "Kennzahlen" and suffix == ".csv" and "\x00" in text:
                # Statistics downloads with NUL bytes are binary files; refused as a whole.
                assert problems == [str(err)] and "„zufall.csv“" in str(err)
            elif comparable:
                assert all(p.startswith(label) and len(p) > 10 for p in problems), problems
            else:  # not UTF-8: read as Windows-1252 or refused as a whole, in German
                assert all(len(p) > 10 for p in problems), problems
            assert _count(session, spec.model) == before
        else:
            assert _count(session, spec.model) == before + 1
            if comparable and column in spec.read_back:
                stored, clean = spec.read_back[column]
                assert stored(session) == clean(restore(row[column]))
        finally:
            session.rollback()
