"""Command line: starts the window, or does headless work through sub-commands.

Everything here runs without a display. Errors a user can act on end with a German message
on stderr and exit code 1; wrong arguments with exit code 2; a bug with exit code 3 and a
log file, never a traceback on the terminal. Each command runs in one database session (one
transaction): it either completes or leaves the database as it was.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from integrationsmanager import APP_NAME, __version__
from integrationsmanager.domain.enums import MeasureStatus
from integrationsmanager.domain.errors import UserError
from integrationsmanager.paths import default_database_path
from integrationsmanager.services.measures import MeasureFilter, guideline_by_number
from integrationsmanager.storage.database import open_database

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_USER_ERROR = 1
EXIT_USAGE = 2
EXIT_BUG = 3

Command = Callable[[Session, argparse.Namespace], str]
"""A command's work inside one session; returns the line to print on success."""


_ARGPARSE_GERMAN = {
    "usage: ": "Aufruf: ",
    "positional arguments": "Argumente",
    "options": "Optionen",
    "show this help message and exit": "diese Hilfe zeigen und beenden",
    "show program's version number and exit": "Programmversion zeigen und beenden",
    "the following arguments are required: %s": "diese Angaben fehlen: %s",
    "unrecognized arguments: %s": "unbekannte Angaben: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "ungültige Auswahl: %(value)r (möglich: %(choices)s)"
    ),
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "invalid %(type)s value: %(value)r": "ungültiger Wert: %(value)r",
    "expected one argument": "erwartet einen Wert",
}


def _german(text: str) -> str:
    return _ARGPARSE_GERMAN.get(text, text)


# argparse looks its messages up through this module-level gettext hook.
argparse._ = _german  # type: ignore[attr-defined]


class GermanArgumentParser(argparse.ArgumentParser):
    """argparse with German error output (its help texts are set in German below)."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"Fehler im Aufruf: {message}\nHilfe: {self.prog} --help\n")


# --- commands --------------------------------------------------------------------------------


def _demo(session: Session, args: argparse.Namespace) -> str:
    from integrationsmanager.services.demo import create_demo_data

    return f"Beispieldaten angelegt in {args.db}: {create_demo_data(session)}"


def _measure_filter(session: Session, args: argparse.Namespace) -> MeasureFilter:
    guideline_id = None
    if args.guideline is not None:
        guideline = guideline_by_number(session, args.guideline)
        if guideline is None:
            raise UserError(f"Leitlinie {args.guideline} gibt es nicht.")
        guideline_id = guideline.id
    status = None
    if args.status:
        status = MeasureStatus.from_label(args.status)
        if status is None:
            choices = ", ".join(s.label for s in MeasureStatus)
            raise UserError(f"Unbekannter Status „{args.status}“. Möglich: {choices}.")
    return MeasureFilter(guideline_id=guideline_id, status=status)


def _report_measures(session: Session, args: argparse.Namespace) -> str:
    flt = _measure_filter(session, args)
    from integrationsmanager.reports.measures import write_measures_report

    count = write_measures_report(session, Path(args.out), flt)
    return f"Bericht mit {count} Maßnahmen geschrieben: {args.out}"


def _report_meeting(session: Session, args: argparse.Namespace) -> str:
    from integrationsmanager.reports.meeting_pack import write_meeting_pack

    write_meeting_pack(session, args.meeting, Path(args.out))
    return f"Sitzungsunterlagen geschrieben: {args.out}"


def _report_minutes(session: Session, args: argparse.Namespace) -> str:
    from integrationsmanager.reports.minutes import write_minutes

    write_minutes(session, args.meeting, Path(args.out))
    return f"Protokoll geschrieben: {args.out}"


def _report_attendance(session: Session, args: argparse.Namespace) -> str:
    from integrationsmanager.reports.attendance import write_attendance_list

    write_attendance_list(session, args.meeting, Path(args.out))
    return f"Anwesenheitsliste geschrieben: {args.out}"


def _report_grants(session: Session, args: argparse.Namespace) -> str:
    from integrationsmanager.reports.grants import write_grant_summary
    from integrationsmanager.services.grants import find_program

    program_id = None
    if args.program:
        program = find_program(session, args.program)
        if program is None:
            raise UserError(f"Ein Förderprogramm „{args.program}“ gibt es nicht.")
        program_id = program.id
    write_grant_summary(session, Path(args.out), year=args.year, program_id=program_id)
    return f"Förderübersicht {args.year} geschrieben: {args.out}"


def _report_recipient(session: Session, args: argparse.Namespace) -> str:
    from integrationsmanager.reports.grants import write_recipient_summary

    write_recipient_summary(session, Path(args.out), organisation_id=args.organisation)
    return f"Übersicht für den Empfänger geschrieben: {args.out}"


def _report_decision(session: Session, args: argparse.Namespace) -> str:
    from integrationsmanager.reports.decision import write_decision_letter

    write_decision_letter(session, Path(args.out), grant_id=args.grant)
    return f"Bescheid-Entwurf geschrieben: {args.out}"


def _report_monitoring(session: Session, args: argparse.Namespace) -> str:
    from datetime import date

    from integrationsmanager.reports.monitoring import write_monitoring_report

    year = args.year if args.year is not None else date.today().year
    pages = write_monitoring_report(session, Path(args.out), year=year)
    return f"Monitoringbericht {year} geschrieben ({pages} Seiten): {args.out}"


def _report_annual(session: Session, args: argparse.Namespace) -> str:
    from integrationsmanager.reports.annual import write_annual_report

    pages = write_annual_report(session, Path(args.out), year=args.year)
    return f"Jahresbericht {args.year} geschrieben ({pages} Seiten): {args.out}"


def _export_grants(session: Session, args: argparse.Namespace) -> str:
    from integrationsmanager.services.grant_io import export_grants

    return f"{export_grants(session, Path(args.out))} Zuwendungen exportiert: {args.out}"


def _import_grants(session: Session, args: argparse.Namespace) -> str:
    from integrationsmanager.services.grant_io import import_grants

    return import_grants(session, Path(args.file), dry_run=args.dry_run).summary()


def _export_measures(session: Session, args: argparse.Namespace) -> str:
    from integrationsmanager.services.measure_io import export_measures

    return f"{export_measures(session, Path(args.out))} Maßnahmen exportiert: {args.out}"


def _export_organisations(session: Session, args: argparse.Namespace) -> str:
    from integrationsmanager.services.contacts_io import export_organisations

    count = export_organisations(session, Path(args.out))
    return f"{count} Organisationen exportiert: {args.out}"


def _export_persons(session: Session, args: argparse.Namespace) -> str:
    from integrationsmanager.services.contacts_io import export_persons

    return f"{export_persons(session, Path(args.out))} Personen exportiert: {args.out}"


def _export_meeting(session: Session, args: argparse.Namespace) -> str:
    from integrationsmanager.services.invitations import export_meeting_ics

    count = export_meeting_ics(session, args.meeting, Path(args.out))
    return f"Einladung mit {count} Eingeladenen geschrieben: {args.out}"


def _import_measures(session: Session, args: argparse.Namespace) -> str:
    from integrationsmanager.services.measure_io import import_measures

    return import_measures(session, Path(args.file), dry_run=args.dry_run).summary()


def _export_indicators(session: Session, args: argparse.Namespace) -> str:
    from integrationsmanager.services.indicator_io import export_indicator_values

    count = export_indicator_values(session, Path(args.out))
    return f"{count} Kennzahlenwerte exportiert: {args.out}"


def _import_indicators(session: Session, args: argparse.Namespace) -> str:
    from integrationsmanager.services.indicator_io import import_indicator_values

    return import_indicator_values(session, Path(args.file), dry_run=args.dry_run).summary()


def _import_contacts(session: Session, args: argparse.Namespace) -> str:
    from integrationsmanager.services.contacts_io import import_contacts

    return import_contacts(session, Path(args.file), dry_run=args.dry_run).summary()


LISTERS = {
    "measures": "listing:list_measures",
    "organisations": "listing:list_organisations",
    "persons": "listing:list_persons",
    "groups": "listing:list_groups",
    "meetings": "listing:list_meetings",
    "grants": "grants:list_grants",
    "programs": "grants:list_programs",
    "guidelines": "listing:list_guidelines",
    "indicators": "indicators:list_indicator_names",
}
"""What ``list KIND`` prints: a function ``(session) -> [(id, name)]`` in a services module."""


def _listing(session: Session, args: argparse.Namespace) -> str:
    module, function = LISTERS[args.kind].split(":")
    lister = getattr(importlib.import_module(f"integrationsmanager.services.{module}"), function)
    rows: list[tuple[int, str]] = lister(session)
    return "\n".join(f"{record_id}\t{name}" for record_id, name in rows)


def _privacy_export(session: Session, args: argparse.Namespace) -> str:
    from integrationsmanager.reports.privacy import write_person_information

    pdf, json_path = write_person_information(session, args.person, Path(args.out))
    return f"Auskunft nach Art. 15 DSGVO geschrieben:\n{pdf}\n{json_path}"


def _privacy_erase(session: Session, args: argparse.Namespace) -> str:
    from integrationsmanager.services.persons import get_person, person_display_name
    from integrationsmanager.services.privacy import erase_person

    person = get_person(session, args.person)
    if person is None:
        raise UserError(f"Person {args.person} gibt es nicht (mehr).")
    if not args.yes and sys.stdin.isatty():
        answer = input(
            f"{person_display_name(person)} (Nummer {args.person}) unwiderruflich löschen "
            "(Art. 17 DSGVO)? [j/N] "
        )
        if answer.strip().casefold() not in ("j", "ja"):
            raise UserError("Abgebrochen – nichts gelöscht.")
    return "\n".join(erase_person(session, args.person).lines())


def _privacy_due(session: Session, args: argparse.Namespace) -> str:
    from datetime import date

    from integrationsmanager.services.privacy import due_for_deletion

    rows = due_for_deletion(session, today=date.today())
    if not rows:
        return "Niemand ist zur Löschung fällig."
    return "\n".join(
        f"{row.person_id}\t{row.name}\t{row.due_since:%d.%m.%Y}\t{row.reason}" for row in rows
    )


# --- parser ----------------------------------------------------------------------------------


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        required=True,
        metavar="DATEI",
        help="SQLite-Datei der Datenbank (oder eine SQLAlchemy-URL)",
    )


def _command(
    group: argparse._SubParsersAction[GermanArgumentParser],
    name: str,
    help_text: str,
    run: Command,
    *,
    out: str | None = None,
    meeting: bool = False,
) -> argparse.ArgumentParser:
    parser = group.add_parser(name, help=help_text)
    _add_db(parser)
    if meeting:
        parser.add_argument(
            "--meeting",
            required=True,
            type=int,
            metavar="ID",
            help="Nummer der Sitzung (siehe: list meetings)",
        )
    if out:
        parser.add_argument("--out", required=True, metavar=out)
    parser.set_defaults(run=run)
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = GermanArgumentParser(
        prog="integrationsmanager",
        description=f"{APP_NAME} – Integrationsmanagement des Landkreises Altenburger Land. "
        "Ohne Unterbefehl öffnet sich das Programmfenster.",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"{APP_NAME} {__version__}",
        help="Programmversion zeigen und beenden",
    )
    parser.add_argument(
        "--db",
        metavar="DATEI",
        help=f"Datenbankdatei oder SQLAlchemy-URL (Standard: {default_database_path()})",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="eine leere Datenbank beim Start mit Beispieldaten füllen",
    )
    commands = parser.add_subparsers(dest="command", metavar="BEFEHL")
    _command(commands, "demo", "Datenbank mit Beispieldaten anlegen", _demo)

    report = commands.add_parser("report", help="PDF-Dokument schreiben")
    reports = report.add_subparsers(dest="kind", metavar="ART", required=True)
    measures = _command(reports, "measures", "Maßnahmenbericht", _report_measures, out="DATEI.pdf")
    measures.add_argument("--guideline", type=int, metavar="N", help="nur Leitlinie N")
    measures.add_argument(
        "--status",
        metavar="STATUS",
        help="nur dieser Status (" + ", ".join(s.label for s in MeasureStatus) + ")",
    )
    _command(
        reports, "meeting", "Sitzungsunterlagen", _report_meeting, out="DATEI.pdf", meeting=True
    )
    _command(
        reports,
        "minutes",
        "Protokoll einer Sitzung",
        _report_minutes,
        out="DATEI.pdf",
        meeting=True,
    )
    _command(
        reports,
        "attendance",
        "Anwesenheitsliste zum Unterschreiben",
        _report_attendance,
        out="DATEI.pdf",
        meeting=True,
    )

    grants = _command(
        reports, "grants", "Förderübersicht eines Jahres", _report_grants, out="DATEI.pdf"
    )
    grants.add_argument("--year", required=True, type=int, metavar="JAHR")
    grants.add_argument("--program", metavar="NAME", help="nur dieses Förderprogramm")
    recipient = _command(
        reports, "recipient", "Zuwendungen eines Empfängers", _report_recipient, out="DATEI.pdf"
    )
    recipient.add_argument(
        "--organisation",
        required=True,
        type=int,
        metavar="ID",
        help="Nummer der Organisation (siehe: list organisations)",
    )
    decision = _command(
        reports, "decision", "Zuwendungsbescheid (Entwurf)", _report_decision, out="DATEI.pdf"
    )
    decision.add_argument(
        "--grant",
        required=True,
        type=int,
        metavar="ID",
        help="Nummer der Zuwendung (siehe: list grants)",
    )
    monitoring = _command(
        reports,
        "monitoring",
        "Monitoringbericht für den Kreistag",
        _report_monitoring,
        out="DATEI.pdf",
    )
    monitoring.add_argument(
        "--year", type=int, metavar="JAHR", help="Berichtsjahr (Standard: das laufende Jahr)"
    )
    annual = _command(reports, "annual", "Jahresbericht", _report_annual, out="DATEI.pdf")
    annual.add_argument("--year", required=True, type=int, metavar="JAHR", help="Berichtsjahr")

    export = commands.add_parser("export", help="Daten als Datei ausgeben")
    exports = export.add_subparsers(dest="kind", metavar="ART", required=True)
    _command(exports, "measures", "Maßnahmen", _export_measures, out="DATEI.xlsx|DATEI.csv")
    _command(
        exports,
        "organisations",
        "Organisationen",
        _export_organisations,
        out="DATEI.xlsx|.csv|.vcf",
    )
    _command(exports, "persons", "Personen", _export_persons, out="DATEI.xlsx|.csv|.vcf")
    _command(exports, "grants", "Zuwendungen", _export_grants, out="DATEI.xlsx|DATEI.csv")
    _command(
        exports, "indicators", "Kennzahlenwerte", _export_indicators, out="DATEI.xlsx|DATEI.csv"
    )
    _command(
        exports,
        "meeting",
        "Einladung als iCalendar-Datei",
        _export_meeting,
        out="DATEI.ics",
        meeting=True,
    )

    imp = commands.add_parser("import", help="Daten aus einer Datei übernehmen")
    imports = imp.add_subparsers(dest="kind", metavar="ART", required=True)
    for name, help_text, run, files in (
        ("measures", "Maßnahmen", _import_measures, "DATEI.xlsx|DATEI.csv"),
        (
            "contacts",
            "Kontakte (Excel, CSV aus Outlook/Google/Thunderbird, vCard)",
            _import_contacts,
            "DATEI.xlsx|.csv|.vcf",
        ),
        ("grants", "Zuwendungen", _import_grants, "DATEI.xlsx|DATEI.csv"),
        (
            "indicators",
            "Kennzahlenwerte (auch CSV der Statistikämter)",
            _import_indicators,
            "DATEI.xlsx|DATEI.csv",
        ),
    ):
        parser_ = _command(imports, name, help_text, run)
        parser_.add_argument("file", metavar=files)
        parser_.add_argument("--dry-run", action="store_true", help="nur prüfen, nichts speichern")

    check = commands.add_parser(
        "check", help="Datenbank prüfen (Datei, Verweise, Schema, Regeln des Programms)"
    )
    _add_db(check)
    check.add_argument(
        "--quick", action="store_true", help="nur die schnelle Prüfung (wie beim Programmstart)"
    )
    check.set_defaults(direct=_check)

    backup = commands.add_parser("backup", help="Datensicherung schreiben und prüfen")
    _add_db(backup)
    backup.add_argument("--out", required=True, metavar="DATEI.sqlite", help="Sicherungsdatei")
    backup.set_defaults(direct=_backup)
    restore = commands.add_parser(
        "restore", help="Datenbank aus einer Sicherung wiederherstellen (Datenbank geschlossen)"
    )
    restore.add_argument("file", metavar="SICHERUNG.sqlite", help="die geprüfte Sicherungsdatei")
    _add_db(restore)
    restore.set_defaults(direct=_restore)

    privacy = commands.add_parser("privacy", help="Datenschutz (DSGVO): Auskunft, Löschen")
    privacies = privacy.add_subparsers(dest="kind", metavar="ART", required=True)
    person_help = "Nummer der Person (siehe: list persons)"
    privacy_export = _command(
        privacies, "export", "Auskunft nach Art. 15 als PDF und JSON", _privacy_export
    )
    privacy_export.add_argument("--person", required=True, type=int, metavar="ID", help=person_help)
    privacy_export.add_argument("--out", required=True, metavar="ORDNER")
    privacy_erase = _command(
        privacies, "erase", "Person löschen/anonymisieren nach Art. 17", _privacy_erase
    )
    privacy_erase.add_argument("--person", required=True, type=int, metavar="ID", help=person_help)
    privacy_erase.add_argument(
        "--yes", action="store_true", help="ohne Rückfrage löschen (ohne Terminal ohnehin)"
    )
    _command(
        privacies,
        "due",
        "Personen, deren Daten zu löschen sind (Nummer, Name, fällig seit, Grund)",
        _privacy_due,
    )

    listing = _command(commands, "list", "Datensätze auflisten (Nummer, dann Name)", _listing)
    listing.add_argument("kind", choices=list(LISTERS), metavar="ART", help=", ".join(LISTERS))
    return parser


# --- running ---------------------------------------------------------------------------------


def _run_command(args: argparse.Namespace) -> int:
    database = open_database(args.db)
    try:
        with database.session() as session:
            message = args.run(session, args)
    finally:
        database.close()
    if message:
        print(message)
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    """Check without opening the database the usual way: a damaged file must be reported,
    not refused, and the check must not write to it."""
    from integrationsmanager.services.check import check_database
    from integrationsmanager.storage.database import is_url

    if is_url(args.db):
        raise UserError("Die Prüfung gibt es nur für SQLite-Dateien, nicht für Server-URLs.")
    report = check_database(Path(args.db).expanduser().resolve(), quick=args.quick)
    print(report.as_text(), end="")
    return EXIT_OK if report.ok else EXIT_USER_ERROR


def _sqlite_file(target: str) -> Path:
    from integrationsmanager.storage.database import is_url

    if is_url(target):
        raise UserError("Sichern und Wiederherstellen gibt es nur für SQLite-Dateien.")
    return Path(target).expanduser().resolve()


def _backup(args: argparse.Namespace) -> int:
    """Copy the file as it is: no open_database, so nothing is migrated or locked first."""
    from integrationsmanager.storage.backup import write_backup

    info = write_backup(_sqlite_file(args.db), Path(args.out))
    print(
        f"Sicherung geschrieben: {info.path}\nGröße: {_megabytes(info.size)}, "
        f"Dauer: {_seconds(info.seconds)}, geprüft: in Ordnung"
    )
    return EXIT_OK


def _restore(args: argparse.Namespace) -> int:
    """Replace the database file without opening it first (an open file cannot be replaced,
    and opening would migrate it); the next start opens, and if needed updates, the result."""
    from integrationsmanager.storage.backup import restore_backup

    info = restore_backup(Path(args.file), _sqlite_file(args.db))
    lines = [
        f"Wiederhergestellt: {info.database}",
        f"aus: {info.source} ({_megabytes(info.size)}, Dauer: {_seconds(info.seconds)}), "
        "geprüft: in Ordnung",
    ]
    if info.replaced_copy is not None:
        lines.append(f"Die bisherige Datenbank liegt in: {info.replaced_copy}")
    print("\n".join(lines))
    return EXIT_OK


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")


def _seconds(seconds: float) -> str:
    return f"{seconds:.1f} s".replace(".", ",")


def _run_gui(args: argparse.Namespace) -> int:
    from integrationsmanager.ui.app import run_gui

    return run_gui(db=args.db, demo=args.demo)


def main(argv: Sequence[str] | None = None) -> int:
    from integrationsmanager.logs import setup_logging

    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging()
    try:
        if hasattr(args, "direct"):
            return int(args.direct(args))
        return _run_command(args) if hasattr(args, "run") else _run_gui(args)
    except UserError as err:
        print(f"Fehler: {err}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("Abgebrochen.", file=sys.stderr)
        return EXIT_USER_ERROR
    except BrokenPipeError:
        # The reader (e.g. `| head`) closed the pipe: nothing more to print, not an error.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (stays open until exit)
        return EXIT_OK
    except Exception as err:
        if isinstance(err, OperationalError) and "database is locked" in str(err):
            print(
                "Fehler: Die Datenbank ist gerade belegt (ein anderes Programm schreibt darin). "
                "Es wurde nichts gespeichert; bitte versuchen Sie es gleich noch einmal.",
                file=sys.stderr,
            )
            return EXIT_USER_ERROR
        from integrationsmanager.logs import log_bug, log_file

        log_bug(log, f"Unerwarteter Fehler im Befehl {args.command}", err)
        print(
            "Unerwarteter Fehler – das ist ein Programmfehler. Einzelheiten stehen in "
            f"{log_file()}.",
            file=sys.stderr,
        )
        return EXIT_BUG
