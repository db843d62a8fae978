"""A stand-in for the program that the kill tests end with SIGKILL at random moments.

``python -m tests.robustness.worker`` imports the program once and then serves commands read
from stdin, each in a forked child (so a run costs no interpreter start):

``import DB FILE``: import a contacts file in one transaction, then print ``CONFIRMED import``.
``save DB``: save people (with an e-mail address and a role at a new organisation) and
measures one by one, each through the services in its own unit of work as the editors do,
and print ``CONFIRMED <kind> <uid>`` as soon as its commit returned.

The server prints ``CHILD <pid>`` when a child starts and ``ENDED <pid>`` once it is gone.
A child that has finished its work waits to be killed. Every line is flushed at once: a line
the test has read is a save the user was told about.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from itertools import count
from pathlib import Path

from integrationsmanager.services.contacts_io import import_contacts
from integrationsmanager.services.measures import MeasureData, guideline_by_number, save_measure
from integrationsmanager.services.persons import PersonData, RoleData, save_person
from integrationsmanager.storage.database import open_database


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def run_import(db_path: Path, source: Path) -> None:
    database = open_database(db_path, user="kill-test")
    _say("READY")
    with database.session() as session:
        import_contacts(session, source)
    _say("CONFIRMED import")


def run_saves(db_path: Path) -> None:
    database = open_database(db_path, user="kill-test")
    _say("READY")
    with database.session() as session:
        guideline = guideline_by_number(session, 1)
        assert guideline is not None
        guideline_id = guideline.id
    for number in count():
        with database.session() as session:
            person = save_person(
                session,
                PersonData(
                    first_name="Olena",
                    last_name=f"Коваленко {number}",
                    emails=[f"olena{number}@example.org"],
                    roles=[RoleData(organisation_name=f"Verein {number}", function="Leitung")],
                ),
            )
            session.flush()
            uid = person.uid
        _say(f"CONFIRMED person {uid}")
        with database.session() as session:
            measure = save_measure(
                session, MeasureData(title=f"Maßnahme {number}", guideline_id=guideline_id)
            ).measure
            session.flush()
            uid = measure.uid
        _say(f"CONFIRMED measure {uid}")


def run(argv: list[str]) -> None:
    mode, db_path = argv[0], Path(argv[1])
    if mode == "import":
        run_import(db_path, Path(argv[2]))
    else:
        run_saves(db_path)
    time.sleep(3600)


def serve() -> None:
    for command in sys.stdin:
        pid = os.fork()
        if pid == 0:
            try:
                run(command.split())
            except BaseException:
                traceback.print_exc()
                sys.stderr.flush()
            finally:
                os._exit(0)
        _say(f"CHILD {pid}")
        os.waitpid(pid, 0)
        _say(f"ENDED {pid}")


if __name__ == "__main__":
    serve()
