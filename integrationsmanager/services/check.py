"""The database check ("Datenbank prüfen"): file, schema and the program's own rules.

:func:`check_database` looks at a database without changing it: SQLite's own integrity and
foreign-key checks, the schema version against the program's, and the rules the services
enforce when data is saved (payments within the approved amount, end after start, erased
people without personal data …) checked again on the stored rows with SQL. It reads through
its own read-only SQLite connection, so it also works on a file that :func:`open_database`
refuses, and it can run on a worker thread.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from integrationsmanager.domain.money import format_money
from integrationsmanager.domain.text import fold
from integrationsmanager.storage import migrations
from integrationsmanager.storage.database import SQLITE_MAGIC, Database

Progress = Callable[[int, int], bool]
"""``progress(done, total)``; False means: stop (the check then ends as cancelled)."""

LISTED_PER_RULE = 50
"""Findings a step lists one by one; beyond that one line says how many more there are."""

SAMPLE_SIZE = 500
"""Rows per table whose search columns are recomputed and compared."""

_VM_STEPS_PER_CALLBACK = 20_000
"""SQLite calls the cancel hook every this many virtual-machine steps (a few ms)."""


class Severity(StrEnum):
    ERROR = "Fehler"
    WARNING = "Warnung"


@dataclass(frozen=True)
class Finding:
    """One problem: how bad, where (area and record number) and what, in plain German."""

    severity: Severity
    area: str
    record_id: int | None
    text: str

    def line(self) -> str:
        where = f"{self.area} Nr. {self.record_id}" if self.record_id is not None else self.area
        return f"{self.severity.value}: {where}: {self.text}"


@dataclass
class CheckReport:
    """The outcome: what was checked, what was found."""

    database: str
    quick: bool = False
    findings: list[Finding] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        """No errors (warnings alone leave the database usable) and the check ran to its end."""
        return not self.cancelled and not self.errors

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.WARNING]

    def add(self, severity: Severity, area: str, record_id: int | None, text: str) -> None:
        self.findings.append(Finding(severity, area, record_id, text))

    def summary(self) -> str:
        if self.cancelled:
            return "Die Prüfung wurde abgebrochen; das Ergebnis ist unvollständig."
        if not self.findings:
            return "Keine Probleme gefunden."
        return f"{len(self.errors)} Fehler, {len(self.warnings)} Warnungen."

    def as_text(self) -> str:
        """The report a staff member reads (and may save or pass on to IT)."""
        kind = "Schnellprüfung" if self.quick else "Prüfung"
        lines = [f"{kind} der Datenbank {self.database}", "", self.summary(), ""]
        if self.checked:
            lines.append("Geprüft:")
            lines.extend(f"  – {name}" for name in self.checked)
            lines.append("")
        for severity, title in ((Severity.ERROR, "Fehler"), (Severity.WARNING, "Warnungen")):
            found = [f for f in self.findings if f.severity == severity]
            if found:
                lines.append(f"{title}:")
                lines.extend(f"  – {f.line().split(': ', 1)[1]}" for f in found)
                lines.append("")
        if self.errors:
            lines.append(
                "Was tun: Bei Fehlern in der Datei selbst die neueste gute Datensicherung "
                "wiederherstellen. Fehler in den Daten lassen sich meist im Programm am "
                "genannten Datensatz berichtigen; im Zweifel die IT fragen und diesen Bericht "
                "mitschicken."
            )
        return "\n".join(lines).rstrip() + "\n"


class _Cancelled(Exception):
    pass


def check_database(
    database: Database | Path, *, quick: bool = False, progress: Progress | None = None
) -> CheckReport:
    """Check an open database or a database file; never raises for a damaged file.

    ``quick`` runs only SQLite's ``quick_check`` and the schema version (the check at start);
    otherwise ``integrity_check``, the foreign keys and every rule of the program.
    """
    path = database if isinstance(database, Path) else database.path
    if path is None:
        raise ValueError("the database check reads SQLite files only")
    report = CheckReport(database=str(path), quick=quick)
    steps = _steps(quick)
    position = [0]

    def still_wanted() -> bool:
        return progress is None or progress(position[0], len(steps))

    try:
        with _connect(path, report, still_wanted) as connection:
            if connection is None:
                return report
            for done, (title, step) in enumerate(steps):
                position[0] = done
                if not still_wanted():
                    raise _Cancelled
                report.checked.append(title)
                before = len(report.findings)
                intact = step(connection, report)
                _shorten(report, before)
                if not intact and _file_damaged(report):
                    break
            if progress is not None:
                progress(len(steps), len(steps))
    except _Cancelled:
        report.cancelled = True
    return report


# --- the connection --------------------------------------------------------------------------


@contextmanager
def _connect(
    path: Path, report: CheckReport, still_wanted: Callable[[], bool]
) -> Iterator[sqlite3.Connection | None]:
    """A read-only connection, or None after recording why the file cannot be read."""
    problem = _file_problem(path)
    if problem is not None:
        report.add(Severity.ERROR, "Datei", None, problem)
        yield None
        return
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=5.0)
    # Lets a cancel interrupt a long integrity check (SQLite then raises "interrupted").
    connection.set_progress_handler(lambda: 0 if still_wanted() else 1, _VM_STEPS_PER_CALLBACK)
    try:
        yield connection
    except sqlite3.OperationalError as err:
        if "interrupted" in str(err):
            raise _Cancelled from err
        report.add(Severity.ERROR, "Datei", None, _damage_text(err))
    except sqlite3.DatabaseError as err:
        report.add(Severity.ERROR, "Datei", None, _damage_text(err))
    finally:
        connection.close()


def _file_problem(path: Path) -> str | None:
    if not path.is_file():
        return f"Die Datei „{path}“ gibt es nicht."
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_MAGIC))
    except OSError as err:
        return f"Die Datei kann nicht gelesen werden ({err.strerror or err})."
    if header != SQLITE_MAGIC:
        return (
            "Die Datei ist keine SQLite-Datenbank (mehr): Ihr Anfang ist beschädigt oder sie "
            "wurde überschrieben."
        )
    return None


def _damage_text(err: sqlite3.Error) -> str:
    return (
        f"Die Datei ist beschädigt und lässt sich nicht vollständig lesen (SQLite: {err}). "
        "Bitte die neueste gute Datensicherung wiederherstellen."
    )


def _shorten(report: CheckReport, first: int) -> None:
    """List at most :data:`LISTED_PER_RULE` findings of the step that began at ``first``."""
    found = report.findings[first:]
    if len(found) <= LISTED_PER_RULE:
        return
    more = found[LISTED_PER_RULE:]
    severity = (
        Severity.ERROR if any(f.severity == Severity.ERROR for f in more) else found[-1].severity
    )
    report.findings[first:] = [
        *found[:LISTED_PER_RULE],
        Finding(severity, found[-1].area, None, f"… und {len(more)} weitere Meldungen dieser Art."),
    ]


def _file_damaged(report: CheckReport) -> bool:
    return any(f.area == "Datei" and f.severity == Severity.ERROR for f in report.findings)


def _rows(connection: sqlite3.Connection, sql: str, *params: Any) -> list[Any]:
    return connection.execute(sql, params).fetchall()


# --- the steps -------------------------------------------------------------------------------

Step = Callable[[sqlite3.Connection, CheckReport], bool]
"""A step records its findings; returns False when it found the file itself damaged."""


def _steps(quick: bool) -> list[tuple[str, Step]]:
    if quick:
        return [
            ("Aufbau der Datei (SQLite quick_check)", _quick_check),
            ("Version des Datenbankschemas", _schema_version),
        ]
    return [
        ("Aufbau der Datei (SQLite integrity_check)", _integrity_check),
        ("Version des Datenbankschemas", _schema_version),
        ("Verweise zwischen Datensätzen (Fremdschlüssel)", _foreign_keys),
        ("Auszahlungen und Beträge der Zuwendungen", _grant_amounts),
        ("Status der Zuwendungen und ihr Verlauf", _grant_history),
        ("Zeiträume von Maßnahmen und Sitzungen", _periods),
        ("Erledigt-Daten der Aufgaben", _action_items),
        ("Gelöschte Personen (Datenschutz)", _erased_people),
        (f"Suchspalten (Stichprobe von {SAMPLE_SIZE} je Tabelle)", _search_columns),
    ]


def _integrity(connection: sqlite3.Connection, report: CheckReport, pragma: str) -> bool:
    messages = [row[0] for row in _rows(connection, f"PRAGMA {pragma}(50)")]
    if messages == ["ok"]:
        return True
    for message in messages:
        report.add(
            Severity.ERROR,
            "Datei",
            None,
            f"Die Datei ist beschädigt (SQLite meldet: {message}). Bitte die neueste gute "
            "Datensicherung wiederherstellen.",
        )
    return False


def _quick_check(connection: sqlite3.Connection, report: CheckReport) -> bool:
    return _integrity(connection, report, "quick_check")


def _integrity_check(connection: sqlite3.Connection, report: CheckReport) -> bool:
    return _integrity(connection, report, "integrity_check")


def _schema_version(connection: sqlite3.Connection, report: CheckReport) -> bool:
    tables = {row[0] for row in _rows(connection, "SELECT name FROM sqlite_master")}
    if "alembic_version" not in tables:
        report.add(
            Severity.ERROR,
            "Schema",
            None,
            "Die Datei enthält keine Datenbank des Integrationsmanagers (keine Schemaversion).",
        )
        return True
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    stored = row[0] if row else None
    head = migrations.head_revision()
    if stored == head:
        return True
    if stored is not None and migrations.is_known(stored):
        report.add(
            Severity.WARNING,
            "Schema",
            None,
            f"Die Datenbank hat eine ältere Schemaversion ({stored}, aktuell {head}); das "
            "Programm aktualisiert sie beim nächsten Öffnen.",
        )
    else:
        report.add(
            Severity.ERROR,
            "Schema",
            None,
            f"Die Schemaversion „{stored or 'keine'}“ kennt dieses Programm nicht (aktuell "
            f"{head}); die Datei stammt von einer neueren Programmversion oder ist beschädigt.",
        )
    return True


AREA_OF_TABLE = {
    "grant": "Zuwendung",
    "payment": "Auszahlung",
    "grant_status_change": "Statusverlauf einer Zuwendung",
    "measure": "Maßnahme",
    "meeting": "Sitzung",
    "action_item": "Aufgabe",
    "person": "Person",
    "organisation": "Organisation",
    "working_group": "Arbeitskreis",
}


def _area(table: str) -> str:
    if table in AREA_OF_TABLE:
        return AREA_OF_TABLE[table]
    return f"Tabelle „{table}“"


def _link_tables() -> set[str]:
    """The many-to-many tables (no own id): an orphan there is a dangling link."""
    from integrationsmanager.domain.models import Base

    return {name for name, table in Base.metadata.tables.items() if "id" not in table.columns}


def _foreign_keys(connection: sqlite3.Connection, report: CheckReport) -> bool:
    for table, rowid, parent, _index in _rows(connection, "PRAGMA foreign_key_check"):
        what = "Eine Verknüpfung" if table in _link_tables() else "Der Datensatz"
        report.add(
            Severity.ERROR,
            _area(table),
            rowid,
            f"{what} verweist auf einen Eintrag in „{parent}“, den es nicht mehr gibt "
            "(verwaister Verweis).",
        )
    return True


def _grant_amounts(connection: sqlite3.Connection, report: CheckReport) -> bool:
    for grant_id, number, approved, paid, committed in _rows(
        connection,
        """SELECT g.id, g.file_number, COALESCE(g.approved_cents, 0),
                  SUM(CASE WHEN p.status = 'paid' THEN p.amount_cents ELSE 0 END),
                  SUM(CASE WHEN p.status != 'cancelled' THEN p.amount_cents ELSE 0 END)
           FROM payment p JOIN "grant" g ON g.id = p.grant_id
           GROUP BY g.id
           HAVING SUM(CASE WHEN p.status != 'cancelled' THEN p.amount_cents ELSE 0 END)
                  > COALESCE(g.approved_cents, 0)""",
    ):
        if paid > approved:
            report.add(
                Severity.ERROR,
                "Zuwendung",
                grant_id,
                f"„{number}“: ausgezahlt sind {format_money(paid)}, bewilligt nur "
                f"{format_money(approved)}.",
            )
        else:
            report.add(
                Severity.WARNING,
                "Zuwendung",
                grant_id,
                f"„{number}“: geplante und ausgezahlte Tranchen ({format_money(committed)}) "
                f"übersteigen den bewilligten Betrag ({format_money(approved)}).",
            )
    for grant_id, number, approved, requested in _rows(
        connection,
        """SELECT id, file_number, approved_cents, requested_cents FROM "grant"
           WHERE approved_cents > requested_cents""",
    ):
        report.add(
            Severity.ERROR,
            "Zuwendung",
            grant_id,
            f"„{number}“: bewilligt sind {format_money(approved)}, beantragt nur "
            f"{format_money(requested)}.",
        )
    for grant_id, number, approved, maximum, program in _rows(
        connection,
        """SELECT g.id, g.file_number, g.approved_cents, f.max_amount_cents, f.name
           FROM "grant" g JOIN funding_program f ON f.id = g.program_id
           WHERE g.approved_cents > f.max_amount_cents""",
    ):
        report.add(
            Severity.WARNING,
            "Zuwendung",
            grant_id,
            f"„{number}“: bewilligt sind {format_money(approved)}, mehr als der Höchstbetrag "
            f"von „{program}“ ({format_money(maximum)}); wurde der Höchstbetrag später "
            "gesenkt?",
        )
    return True


def _grant_history(connection: sqlite3.Connection, report: CheckReport) -> bool:
    from integrationsmanager.domain.enums import GrantStatus

    def label(status: str) -> str:
        try:
            return GrantStatus(status).label
        except ValueError:
            return f"„{status}“"

    for grant_id, number, status, last in _rows(
        connection,
        """SELECT g.id, g.file_number, g.status,
                  (SELECT h.to_status FROM grant_status_change h WHERE h.grant_id = g.id
                   ORDER BY h.changed_at DESC, h.id DESC LIMIT 1)
           FROM "grant" g""",
    ):
        if last is None:
            report.add(
                Severity.WARNING,
                "Zuwendung",
                grant_id,
                f"„{number}“ hat keinen Statusverlauf (Status {label(status)}).",
            )
        elif last != status:
            report.add(
                Severity.ERROR,
                "Zuwendung",
                grant_id,
                f"„{number}“ steht auf {label(status)}, der letzte Eintrag im Statusverlauf "
                f"aber auf {label(last)}.",
            )
    return True


def _periods(connection: sqlite3.Connection, report: CheckReport) -> bool:
    for measure_id, title in _rows(
        connection,
        "SELECT id, title FROM measure WHERE end_date < start_date",
    ):
        report.add(Severity.ERROR, "Maßnahme", measure_id, f"„{title}“ endet vor ihrem Beginn.")
    for meeting_id, title in _rows(
        connection,
        "SELECT id, title FROM meeting WHERE julianday(ends_at) <= julianday(starts_at)",
    ):
        report.add(
            Severity.ERROR,
            "Sitzung",
            meeting_id,
            f"„{title or 'ohne Titel'}“ endet nicht nach ihrem Beginn.",
        )
    return True


def _action_items(connection: sqlite3.Connection, report: CheckReport) -> bool:
    for item_id, title in _rows(
        connection,
        "SELECT id, title FROM action_item WHERE done_on IS NOT NULL AND status != 'done'",
    ):
        report.add(
            Severity.ERROR,
            "Aufgabe",
            item_id,
            f"„{title}“ hat ein Erledigt-Datum, ist aber nicht erledigt.",
        )
    for item_id, title in _rows(
        connection,
        "SELECT id, title FROM action_item WHERE done_on IS NULL AND status = 'done'",
    ):
        report.add(
            Severity.WARNING, "Aufgabe", item_id, f"„{title}“ ist erledigt, aber ohne Datum."
        )
    return True


def _erased_people(connection: sqlite3.Connection, report: CheckReport) -> bool:
    for (person_id,) in _rows(
        connection,
        """SELECT p.id FROM person p WHERE p.erased AND (
               p.first_name != '' OR p.last_name != '' OR p.street != '' OR p.notes != ''
               OR EXISTS (SELECT 1 FROM person_email e WHERE e.person_id = p.id)
               OR EXISTS (SELECT 1 FROM person_phone t WHERE t.person_id = p.id))""",
    ):
        report.add(
            Severity.ERROR,
            "Person",
            person_id,
            "ist als gelöscht markiert, aber Name, Anschrift, Notizen, E-Mail-Adressen oder "
            "Telefonnummern sind noch gespeichert (Datenschutz).",
        )
    return True


def _search_columns(connection: sqlite3.Connection, report: CheckReport) -> bool:
    from integrationsmanager.domain.network import Organisation, Person
    from integrationsmanager.services.organisations import bounded_fold

    samples: tuple[tuple[str, str, str, Callable[[Any], str]], ...] = (
        (
            "person",
            "last_name || ' ' || first_name",
            "name_folded",
            lambda text: bounded_fold(text, Person, "name_folded"),
        ),
        (
            "organisation",
            "name",
            "name_folded",
            lambda text: bounded_fold(text, Organisation, "name_folded"),
        ),
        ("measure", "title", "title_folded", fold),
        ("working_group", "name", "name_folded", fold),
    )
    for table, source, folded_column, folding in samples:
        stale = [
            record_id
            for record_id, text, folded in _rows(
                connection,
                f"SELECT id, {source}, {folded_column} FROM {table} "
                f"ORDER BY random() LIMIT {SAMPLE_SIZE}",
            )
            if folding(text or "") != (folded or "")
        ]
        for record_id in stale[:20]:
            report.add(
                Severity.WARNING,
                _area(table),
                record_id,
                "Die Suchspalte passt nicht zum Namen; die Suche findet den Datensatz "
                "womöglich nicht. Einmal bearbeiten und speichern behebt das.",
            )
    return True
