"""Command line: starts the window, or does headless work through sub-commands.

Everything here runs without a display. Errors a user can act on end with a German message
on stderr and exit code 1; wrong arguments with exit code 2; a bug with exit code 3 and a
log file, never a traceback on the terminal.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from integrationsmanager import APP_NAME, __version__
from integrationsmanager.domain.enums import MeasureStatus
from integrationsmanager.domain.errors import UserError
from integrationsmanager.paths import default_database_path
from integrationsmanager.services.measures import MeasureFilter, guideline_by_number
from integrationsmanager.storage.database import Database, open_database

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_USER_ERROR = 1
EXIT_USAGE = 2
EXIT_BUG = 3


class GermanArgumentParser(argparse.ArgumentParser):
    """argparse with German error output (its help texts are set in German below)."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"Fehler im Aufruf: {message}\nHilfe: {self.prog} --help\n")


def _add_db(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    parser.add_argument(
        "--db",
        required=required,
        metavar="DATEI",
        help="SQLite-Datei der Datenbank (oder eine SQLAlchemy-URL)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = GermanArgumentParser(
        prog="integrationsmanager",
        description=f"{APP_NAME} – Integrationsmanagement des Landkreises Altenburger Land. "
        "Ohne Unterbefehl öffnet sich das Programmfenster.",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
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

    demo = commands.add_parser("demo", help="Datenbank mit Beispieldaten anlegen")
    _add_db(demo)
    demo.set_defaults(handler=_cmd_demo)

    report = commands.add_parser("report", help="PDF-Bericht schreiben")
    report_kinds = report.add_subparsers(dest="kind", metavar="ART", required=True)
    measures_report = report_kinds.add_parser("measures", help="Maßnahmenbericht")
    _add_db(measures_report)
    measures_report.add_argument("--out", required=True, metavar="DATEI.pdf")
    measures_report.add_argument("--guideline", type=int, metavar="N", help="nur Leitlinie N")
    measures_report.add_argument(
        "--status",
        metavar="STATUS",
        help="nur dieser Status (" + ", ".join(s.label for s in MeasureStatus) + ")",
    )
    measures_report.set_defaults(handler=_cmd_report_measures)

    export = commands.add_parser("export", help="Daten als Excel- oder CSV-Datei ausgeben")
    export_kinds = export.add_subparsers(dest="kind", metavar="ART", required=True)
    export_measures = export_kinds.add_parser("measures", help="Maßnahmen")
    _add_db(export_measures)
    export_measures.add_argument("--out", required=True, metavar="DATEI.xlsx|DATEI.csv")
    export_measures.set_defaults(handler=_cmd_export_measures)

    imp = commands.add_parser("import", help="Daten aus Excel- oder CSV-Datei übernehmen")
    import_kinds = imp.add_subparsers(dest="kind", metavar="ART", required=True)
    import_measures = import_kinds.add_parser("measures", help="Maßnahmen")
    import_measures.add_argument("file", metavar="DATEI.xlsx|DATEI.csv")
    _add_db(import_measures)
    import_measures.add_argument(
        "--dry-run", action="store_true", help="nur prüfen, nichts speichern"
    )
    import_measures.set_defaults(handler=_cmd_import_measures)

    listing = commands.add_parser("list", help="Datensätze auflisten (Nummer, dann Name)")
    listing.add_argument("kind", choices=sorted(LISTERS), metavar="ART", help=", ".join(LISTERS))
    _add_db(listing)
    listing.set_defaults(handler=_cmd_list)
    return parser


def _open(args: argparse.Namespace) -> Database:
    return open_database(args.db)


def _cmd_demo(args: argparse.Namespace) -> int:
    from integrationsmanager.services.demo import create_demo_data

    database = _open(args)
    try:
        with database.session() as session:
            summary = create_demo_data(session)
    finally:
        database.close()
    print(f"Beispieldaten angelegt in {args.db}: {summary}")
    return EXIT_OK


def _measure_filter(args: argparse.Namespace, database: Database) -> MeasureFilter:
    guideline_id = None
    if args.guideline is not None:
        with database.session() as session:
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


def _cmd_report_measures(args: argparse.Namespace) -> int:
    from integrationsmanager.reports.measures import write_measures_report

    database = _open(args)
    try:
        flt = _measure_filter(args, database)
        with database.session() as session:
            count = write_measures_report(session, Path(args.out), flt)
    finally:
        database.close()
    print(f"Bericht mit {count} Maßnahmen geschrieben: {args.out}")
    return EXIT_OK


def _cmd_export_measures(args: argparse.Namespace) -> int:
    from integrationsmanager.services.measure_io import export_measures

    database = _open(args)
    try:
        with database.session() as session:
            count = export_measures(session, Path(args.out))
    finally:
        database.close()
    print(f"{count} Maßnahmen exportiert: {args.out}")
    return EXIT_OK


def _cmd_import_measures(args: argparse.Namespace) -> int:
    from integrationsmanager.services.measure_io import import_measures

    database = _open(args)
    try:
        with database.session() as session:
            report = import_measures(session, Path(args.file), dry_run=args.dry_run)
    finally:
        database.close()
    print(report.summary())
    return EXIT_OK


def _list_measures(database: Database) -> list[tuple[int, str]]:
    from integrationsmanager.services.listing import list_measures

    with database.session() as session:
        return list_measures(session)


def _list_organisations(database: Database) -> list[tuple[int, str]]:
    from integrationsmanager.services.listing import list_organisations

    with database.session() as session:
        return list_organisations(session)


def _list_guidelines(database: Database) -> list[tuple[int, str]]:
    from integrationsmanager.services.listing import list_guidelines

    with database.session() as session:
        return list_guidelines(session)


LISTERS: dict[str, Callable[[Database], list[tuple[int, str]]]] = {
    "measures": _list_measures,
    "organisations": _list_organisations,
    "guidelines": _list_guidelines,
}


def _cmd_list(args: argparse.Namespace) -> int:
    database = _open(args)
    try:
        for record_id, name in LISTERS[args.kind](database):
            print(f"{record_id}\t{name}")
    finally:
        database.close()
    return EXIT_OK


def _run_gui(args: argparse.Namespace) -> int:
    from integrationsmanager.ui.app import run_gui

    return run_gui(db=args.db, demo=args.demo)


def main(argv: Sequence[str] | None = None) -> int:
    from integrationsmanager.logs import setup_logging

    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging()
    handler: Callable[[argparse.Namespace], int] = getattr(args, "handler", _run_gui)
    try:
        return handler(args)
    except UserError as err:
        print(f"Fehler: {err}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("Abgebrochen.", file=sys.stderr)
        return EXIT_USER_ERROR
    except Exception as err:
        from integrationsmanager.logs import log_bug, log_file

        log_bug(log, f"Unerwarteter Fehler im Befehl {args.command}", err)
        print(
            "Unerwarteter Fehler – das ist ein Programmfehler. Einzelheiten stehen in "
            f"{log_file()}.",
            file=sys.stderr,
        )
        return EXIT_BUG
