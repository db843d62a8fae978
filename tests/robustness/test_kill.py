"""SIGKILL in the middle of a long import and of saves, many times at random moments.

After every kill the database must pass SQLite's integrity and foreign-key checks, hold every
save that was confirmed before the kill, hold the import completely or not at all, and open
in the program again. The worker (``worker.py``) is a real separate process.
"""

from __future__ import annotations

import os
import queue
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import openpyxl
import pytest

from integrationsmanager.storage.database import open_database

ROOT = Path(__file__).resolve().parents[2]
KILLS_PER_MODE = 25
IMPORT_ROWS = 5000
IMPORT_BOUND_S = 1.2
"""Kills land between the child's start and this many seconds later (the import needs ~0.7 s)."""
SAVE_BOUND_S = 0.8
WAIT_S = 30.0


class Server:
    """The worker process; runs each command in a forked child that the test kills."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.robustness.worker"],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self.lines: queue.Queue[str] = queue.Queue()
        assert self.process.stdout is not None
        self._reader = threading.Thread(target=self._read, args=(self.process.stdout,))
        self._reader.start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self.lines.put(line.rstrip("\n"))

    def next_line(self, deadline: float) -> str | None:
        try:
            return self.lines.get(timeout=max(deadline - time.monotonic(), 0.0))
        except queue.Empty:
            return None

    def start(self, command: str) -> int:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        line = self.next_line(time.monotonic() + WAIT_S)
        assert line is not None and line.startswith("CHILD "), line
        return int(line.split()[1])

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(WAIT_S)
        self._reader.join(WAIT_S)
        assert self.process.stdout is not None
        self.process.stdout.close()


@dataclass
class Run:
    confirmed: list[str] = field(default_factory=list)
    """``CONFIRMED …`` lines read before the child was gone."""
    ready: bool = False


def kill_at_random(server: Server, command: str, delay: float) -> Run:
    """Start ``command``, SIGKILL its child after ``delay`` seconds, collect what it confirmed."""
    pid = server.start(command)
    run = Run()
    kill_at = time.monotonic() + delay
    killed = False
    deadline = time.monotonic() + WAIT_S
    while True:
        line = server.next_line(kill_at if not killed else deadline)
        if line is None:
            if killed:
                pytest.fail(f"Der Prozess {pid} endete nicht.")
            os.kill(pid, signal.SIGKILL)
            killed = True
            continue
        if line == f"ENDED {pid}":
            assert killed, "the child ended on its own (see its traceback above)"
            return run
        if line == "READY":
            run.ready = True
        elif line.startswith("CONFIRMED "):
            run.confirmed.append(line.removeprefix("CONFIRMED "))


def check_database(path: Path) -> sqlite3.Connection:
    """SQLite's own checks, on a plain connection as a foreign tool would open the file."""
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    return connection


def opens_in_the_program(path: Path) -> None:
    database = open_database(path, user="kill-test")
    database.close()


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    running = Server()
    yield running
    running.close()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, seeded, empty database that every run starts from."""
    path = tmp_path_factory.mktemp("kill") / "vorlage.sqlite"
    open_database(path, user="kill-test").close()
    return path


@pytest.fixture(scope="module")
def contacts_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("kill") / "kontakte.xlsx"
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Kontakte")
    sheet.append(["Vorname", "Nachname", "E-Mail", "Organisation", "Funktion", "Ort"])
    for number in range(IMPORT_ROWS):
        sheet.append(
            [
                f"Olena {number}",
                f"Коваленко-Müller {number}",
                f"person{number}@example.org",
                f"Verein {number % 300}",
                "Leitung",
                "Köln",
            ]
        )
    workbook.save(path)
    return path


SUMMARY: dict[str, tuple[int, int, int]] = {}
"""Mode → (kills survived, kills, confirmations checked); printed at the end."""


def _fresh(template: Path, tmp_path: Path, number: int) -> Path:
    path = tmp_path / f"lauf{number}.sqlite"
    shutil.copyfile(template, path)
    return path


def test_kill_during_a_long_import(
    server: Server, template: Path, contacts_file: Path, tmp_path: Path
) -> None:
    rng = random.Random(6_1)
    survived = complete = 0
    for number in range(KILLS_PER_MODE):
        path = _fresh(template, tmp_path, number)
        run = kill_at_random(
            server, f"import {path} {contacts_file}", rng.uniform(0.0, IMPORT_BOUND_S)
        )
        with check_database(path) as connection:
            people = connection.execute("SELECT count(*) FROM person").fetchone()[0]
            emails = connection.execute("SELECT count(*) FROM person_email").fetchone()[0]
        connection.close()
        assert (people, emails) in {(0, 0), (IMPORT_ROWS, IMPORT_ROWS)}, (number, people)
        if run.confirmed:
            assert people == IMPORT_ROWS
        complete += people == IMPORT_ROWS
        opens_in_the_program(path)
        survived += 1
    SUMMARY["Import"] = (survived, KILLS_PER_MODE, complete)
    # The random moments must cover both sides of the commit, or the test proves little.
    assert 0 < complete < KILLS_PER_MODE


def test_kill_during_saves(server: Server, template: Path, tmp_path: Path) -> None:
    rng = random.Random(6_2)
    survived = checked = 0
    path = _fresh(template, tmp_path, 0)
    for _number in range(KILLS_PER_MODE):
        # The same file throughout, like the office's database after each crash.
        run = kill_at_random(server, f"save {path}", rng.uniform(0.0, SAVE_BOUND_S))
        with check_database(path) as connection:
            for entry in run.confirmed:
                kind, uid = entry.split()
                table = {"person": "person", "measure": "measure"}[kind]
                found = connection.execute(f"SELECT 1 FROM {table} WHERE uid = ?", (uid,))
                assert found.fetchone() is not None, entry
            orphans = connection.execute(
                "SELECT count(*) FROM person p WHERE NOT EXISTS "
                "(SELECT 1 FROM person_email e WHERE e.person_id = p.id)"
            ).fetchone()[0]
            assert orphans == 0  # a person and their e-mail address share one commit
        connection.close()
        checked += len(run.confirmed)
        opens_in_the_program(path)
        survived += 1
    SUMMARY["Speichern"] = (survived, KILLS_PER_MODE, checked)
    assert checked > 0


def test_summary(
    capsys: pytest.CaptureFixture[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Print (and keep in the tmp folder) how many kills the database survived."""
    lines = [
        f"{mode}: {survived} von {kills} kills survived ({extra} "
        f"{'vollständige Importe' if mode == 'Import' else 'bestätigte Speicherungen geprüft'})"
        for mode, (survived, kills, extra) in SUMMARY.items()
    ]
    text = "\n".join(lines)
    (tmp_path_factory.getbasetemp() / "kills.txt").write_text(text + "\n", encoding="utf-8")
    with capsys.disabled():
        print("\n" + text)
