"""Benchmark of backup (with its integrity check) and restore at 100,000 people and 50,000
grants (not part of the test run).

Prints the database size and the seconds for: an online backup plus verification, the
separate check of a backup (as before a restore), and a restore (check, keeping the replaced
file, copy, rename). Run: ``.venv/bin/python tests/benchmarks/bench_backup.py``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the checkout, not an install

from bench_funding import GRANTS, fill_grants
from bench_network import ORGANISATIONS, PEOPLE, fill_network

from integrationsmanager.storage.backup import restore_backup, verify_backup, write_backup
from integrationsmanager.storage.database import open_database


def megabytes(path: Path) -> str:
    return f"{path.stat().st_size / 1_000_000:.1f} MB"


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-backup-"))
    db_path = folder / "bench.sqlite"
    database = open_database(db_path, user="benchmark")
    started = time.perf_counter()
    fill_network(database, PEOPLE, ORGANISATIONS)
    fill_grants(database, GRANTS)
    print(
        f"{PEOPLE:,} Personen, {ORGANISATIONS:,} Organisationen, {GRANTS:,} Zuwendungen "
        f"angelegt in {time.perf_counter() - started:.1f} s; Datenbank {megabytes(db_path)}"
    )

    steps = []
    info = write_backup(
        database,
        folder / "Sicherungen" / "bench-2026-11-25_120000.sqlite",
        progress=lambda done, total: steps.append(done) is None,
    )
    print(
        f"Sicherung (Online-Backup + integrity_check): {info.seconds:.2f} s, "
        f"{megabytes(info.path)}, {len(steps)} Schritte"
    )
    started = time.perf_counter()
    check = verify_backup(info.path)
    print(f"Prüfung einer Sicherung: {time.perf_counter() - started:.2f} s ({check.message})")
    database.close()

    restored = restore_backup(info.path, db_path)
    print(
        f"Wiederherstellung (Prüfung, alte Datei beiseite, Kopie, Umbenennen): "
        f"{restored.seconds:.2f} s, {megabytes(restored.database)}"
    )
    started = time.perf_counter()
    reopened = open_database(db_path, user="benchmark")
    reopened.close()
    print(f"Öffnen nach der Wiederherstellung: {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
