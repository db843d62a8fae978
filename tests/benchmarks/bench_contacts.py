"""Benchmark of the contact import at 10,000 people from Excel (not part of the test run).

Prints the time pandas alone needs to read the file — with the "calamine" engine (the
reader the import itself uses, and pandas' announced next default: the target) and, for
comparison, with openpyxl (today's default of ``pd.read_excel``) — the time of the whole
import (``import_contacts``: read, map, check, find duplicates among 1,000 existing people,
store, and the commit of its transaction), and the ratios. Each is the median of five runs,
alternating, on the same file. Targets: import < 10 s and ≤ 2 × the pandas read.
Run: ``.venv/bin/python tests/benchmarks/bench_contacts.py``.
"""

from __future__ import annotations

import gc
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from integrationsmanager.services.contacts_io import (  # noqa: E402
    PERSON_COLUMNS,
    import_contacts,
)
from integrationsmanager.services.persons import PersonData, RoleData, save_person  # noqa: E402
from integrationsmanager.storage.database import open_database  # noqa: E402

CONTACTS = 10_000
EXISTING = 1_000
RUNS = 5
FIRST = ("Anna", "Jörg", "Olena", "Mohammad", "Fatima", "Łukasz", "Zoë", "Ahmad", "Марія")
LAST = ("Müller", "Schmidt", "Koval", "Haidari", "Al-Hassan", "Weiß", "Шевченко", "نور")
PLACES = ("Altenburg", "Schmölln", "Meuselwitz", "Gößnitz", "Lucka", "Nobitz", "Rositz")
FUNCTIONS = ("Leitung", "Beratung", "Ehrenamt", "Sprachmittlung", "")


def write_file(path: Path, rng: random.Random) -> None:
    """10,000 people in the export layout, 300 organisations, some existing people repeated."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Personen")
    sheet.append(list(PERSON_COLUMNS))
    for n in range(CONTACTS):
        place = PLACES[n % 300 % len(PLACES)]
        sheet.append(
            [
                rng.choice(("Frau", "Herr", "")),
                rng.choice(("Dr.", "", "", "")),
                f"{rng.choice(FIRST)} {n}",
                rng.choice(LAST),
                f"person{n}@example.org",
                f"privat{n}@example.net" if n % 3 == 0 else "",
                f"03447 {rng.randint(100000, 999999)}",
                f"0176 {rng.randint(1000000, 9999999)}" if n % 2 else "",
                f"Verein {n % 300} {place}",
                rng.choice(FUNCTIONS),
                f"Hauptstraße {n % 120 + 1}",
                "04600",
                place,
                place,
                rng.choice(("Deutsch, Arabisch", "Ukrainisch", "Dari, Paschtu", "")),
                rng.choice(("Sprache, Eltern", "Beirat", "")),
                "Kontakt aus dem Netzwerktreffen" if n % 10 == 0 else "",
            ]
        )
    workbook.save(path)


def main() -> None:
    rng = random.Random(11)
    folder = Path(tempfile.mkdtemp(prefix="bench-contacts-"))
    source = folder / "kontakte.xlsx"
    write_file(source, rng)

    pandas_times = []
    default_times = []
    import_times = []
    created = duplicates = 0
    for run in range(RUNS):
        gc.collect()  # neither timing pays for the garbage of what ran before it
        started = time.perf_counter()
        pd.read_excel(source, engine="calamine", dtype=object)
        pandas_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        pd.read_excel(source, engine="openpyxl", dtype=object)
        default_times.append(time.perf_counter() - started)

        database = open_database(folder / f"bench-{run}.sqlite", user="benchmark")
        with database.session() as session:
            for n in range(EXISTING):
                save_person(
                    session,
                    PersonData(
                        first_name=f"Bestand {n}",
                        last_name=rng.choice(LAST),
                        emails=[f"person{n * 10}@example.org"],
                        roles=[RoleData(organisation_name=f"Verein {n % 300} Altenburg")],
                    ),
                )
        gc.collect()
        started = time.perf_counter()
        with database.session() as session:  # commits on leaving
            report = import_contacts(session, source)
        import_times.append(time.perf_counter() - started)
        created, duplicates = report.created, len(report.duplicates)
        database.close()

    read = statistics.median(pandas_times)
    default_read = statistics.median(default_times)
    whole = statistics.median(import_times)
    print(f"{CONTACTS:,} Kontakte, davon {created:,} angelegt und {duplicates:,} Duplikate")
    print(f"{'pandas (openpyxl) liest die Datei (Median)':<42} {default_read:7.2f} s")
    print(f"{'pandas (calamine) liest die Datei (Median)':<42} {read:7.2f} s")
    verdict = "ok" if whole < 10 else "ZU LANGSAM"
    print(
        f"{'Import mit Commit (Median aus ' + str(RUNS) + ')':<42} {whole:7.2f} s   "
        f"(Ziel < 10 s)  {verdict}"
    )
    for name, baseline in (("openpyxl", default_read), ("calamine", read)):
        ratio = whole / baseline
        verdict = "ok" if ratio <= 2 else "ZU LANGSAM"
        label = f"Verhältnis Import / pandas ({name})"
        print(f"{label:<42} {ratio:7.2f} ×   (Ziel ≤ 2 ×)  {verdict}")


if __name__ == "__main__":
    main()
