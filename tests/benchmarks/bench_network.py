"""Benchmark of the network lists at 100,000 people and 20,000 organisations (not a test).

Fills a fresh database through core inserts (about a minute), then prints for people and
organisations: the time until the first page of the list is there (all ids in display order
plus the rows of the first 200), one search keystroke (ids for the search plus the first
page, median over several texts), every sort key, the filters, and the duplicate check of an
import (building the index, 10,000 look-ups) beside the single-record check.
Run: ``.venv/bin/python tests/benchmarks/bench_network.py [PEOPLE ORGANISATIONS]``.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from types import SimpleNamespace
from typing import Any

# The checkout, not an installed copy of the program, is what is measured.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from integrationsmanager.domain.common import Tag
from integrationsmanager.domain.enums import MUNICIPALITIES, OrganisationKind
from integrationsmanager.domain.network import (
    Organisation,
    Person,
    PersonEmail,
    PersonPhone,
    PersonRole,
    organisation_tag,
    person_tag,
)
from integrationsmanager.domain.text import fold
from integrationsmanager.services.duplicates import DuplicateIndex, person_duplicates
from integrationsmanager.services.network_queries import (
    ORGANISATION_SORT_KEYS,
    PERSON_SORT_KEYS,
    OrganisationFilter,
    PersonFilter,
    fetch_organisation_rows,
    fetch_person_rows,
    organisation_ids,
    person_ids,
)
from integrationsmanager.services.organisations import organisation_search_text
from integrationsmanager.services.persons import name_folded, person_search_text
from integrationsmanager.storage.database import Database, open_database

PEOPLE = 100_000
ORGANISATIONS = 20_000
PAGE = 200

FIRST_NAMES = (
    "Anna", "Jürgen", "Petra", "Hans", "Sabine", "Thomas", "Olena", "Oleksandr", "Iryna",
    "Mykola", "Omar", "Fatima", "Ahmad", "Zahra", "Mohammad", "Aisha", "Karim", "Lena",
    "Олена", "Андрій", "محمد", "فاطمة", "Mariam", "Yusuf", "Kateryna", "Sergej",
)  # fmt: skip
LAST_NAMES = (
    "Müller", "Mueller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner",
    "Becker", "Schulz", "Hoffmann", "Koch", "Shevchenko", "Kovalenko", "Bondarenko",
    "Haddad", "Al-Ahmad", "Rahimi", "Ahmadi", "Hosseini", "Шевченко", "Коваленко",
    "الأحمد", "Nowak", "Popescu", "Yılmaz", "Krüger", "Lehmann", "Böhm", "Groß",
)  # fmt: skip
ORGANISATION_WORDS = (
    "Bürgerverein", "Sportverein", "Tafel", "Caritas", "Diakonie", "Kita", "Grundschule",
    "Jugendhaus", "Wohnungsgenossenschaft", "Kulturverein", "Українська громада",
    "جمعية الصداقة", "Migrationsberatung", "Elternverein", "Förderverein", "Museum",
)  # fmt: skip
LANGUAGE_SETS = (
    "Deutsch", "Deutsch, Englisch", "Arabisch, Deutsch", "Ukrainisch, Russisch",
    "Dari, Paschtu", "Arabisch", "Russisch, Deutsch", "Farsi, Dari, Deutsch", "",
    "Türkisch, Kurdisch", "Englisch, Französisch",
)  # fmt: skip
FUNCTIONS = ("Vorstand", "Geschäftsführung", "Ehrenamt", "Beratung", "Kasse", "Leitung", "")
TAGS = (
    "Dolmetschen", "Beirat", "Ehrenamt", "Sprache", "Arbeit", "Wohnen", "Schule", "Sport",
    "Gesundheit", "Frauen", "Jugend", "Senioren", "Kultur", "Netzwerk", "Presse",
)  # fmt: skip

PERSON_SEARCHES = ("m", "mü", "mül", "müll", "mülle", "müller", "олена", "arabisch", "vorstand")
ORGANISATION_SEARCHES = ("v", "ve", "ver", "vere", "verein", "громада", "nobitz", "tafel alt")


def _tracked(now: datetime) -> dict[str, Any]:
    return {"uid": str(uuid.uuid4()), "created_at": now, "updated_at": now, "updated_by": "bench"}


def fill_network(database: Database, people: int, organisations: int, *, seed: int = 11) -> None:
    """Insert ``organisations`` organisations and ``people`` people with e-mails and roles.

    The derived columns come from the services' own functions (through stand-ins for the
    records), so the benchmark searches exactly what the program stores.
    """
    rng = random.Random(seed)
    now = datetime.now(UTC)
    with database.session() as session:
        tag_rows = [{**_tracked(now), "name": t, "name_folded": fold(t)} for t in TAGS]
        session.execute(insert(Tag), tag_rows)
        tag_ids = list(session.scalars(select(Tag.id).order_by(Tag.id)))
        tag_names = dict(zip(tag_ids, TAGS, strict=True))

        org_rows, org_tags, org_names = [], [], {}
        for n in range(1, organisations + 1):
            place = rng.choice(MUNICIPALITIES)
            name = f"{rng.choice(ORGANISATION_WORDS)} {place} {n}"
            chosen = rng.sample(tag_ids, rng.randint(0, 2))
            values = {
                "id": n,
                "name": name,
                "kind": rng.choice(list(OrganisationKind)).value,
                "street": f"Hauptstraße {rng.randint(1, 120)}",
                "postcode": f"04{rng.randint(100, 999)}",
                "city": place,
                "municipality": place,
                "phone": f"03447 {rng.randint(10000, 99999)}",
                "email": f"info{n}@{fold(place)}.example.org",
                "website": "",
                "register_number": "",
                "iban": "",
                "notes": "",
                "active": rng.random() > 0.1,
            }
            stand_in = SimpleNamespace(
                **values, tags=[SimpleNamespace(name=tag_names[t]) for t in chosen]
            )
            org_rows.append(
                {
                    **_tracked(now),
                    **values,
                    "name_folded": fold(name),
                    "search_text": organisation_search_text(stand_in),  # type: ignore[arg-type]
                }
            )
            org_tags += [{"organisation_id": n, "tag_id": t} for t in chosen]
            org_names[n] = name
        session.execute(insert(Organisation), org_rows)
        session.execute(insert(organisation_tag), org_tags)

        person_rows, emails, phones, roles, person_tags = [], [], [], [], []
        for n in range(1, people + 1):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            place = rng.choice(MUNICIPALITIES)
            addresses = [f"{fold(first)}.{fold(last)}.{n}@example.org"]
            if rng.random() < 0.3:
                addresses.append(f"{fold(last)}{n}@verein.example.de")
            numbers = [f"0176 {rng.randint(1000000, 9999999)}"] if rng.random() < 0.6 else []
            person_roles = [
                (rng.randint(1, organisations), rng.choice(FUNCTIONS))
                for _ in range(rng.choice((0, 1, 1, 1, 2)))
            ]
            chosen = rng.sample(tag_ids, rng.choice((0, 0, 1, 2)))
            values = {
                "id": n,
                "salutation": "",
                "title": "",
                "first_name": first,
                "last_name": last,
                "street": f"Bahnhofstraße {rng.randint(1, 80)}",
                "postcode": "04600",
                "city": place,
                "municipality": place,
                "languages": rng.choice(LANGUAGE_SETS),
                "notes": "",
                "legal_basis": "",
                "purpose": "",
                "consent_purpose": "",
                "consent_how": "",
                "source": "Benchmark",
                "erased": False,
            }
            stand_in = SimpleNamespace(
                **values,
                full_name=f"{first} {last}",
                emails=[SimpleNamespace(address=a) for a in addresses],
                phones=[SimpleNamespace(number=p) for p in numbers],
                roles=[
                    SimpleNamespace(organisation=SimpleNamespace(name=org_names[o]), function=f)
                    for o, f in person_roles
                ],
                tags=[SimpleNamespace(name=tag_names[t]) for t in chosen],
            )
            person_rows.append(
                {
                    **_tracked(now),
                    **values,
                    "name_folded": name_folded(first, last),
                    "search_text": person_search_text(stand_in),  # type: ignore[arg-type]
                }
            )
            emails += [
                {
                    **_tracked(now),
                    "person_id": n,
                    "address": a,
                    "address_folded": fold(a),
                    "label": "",
                }
                for a in addresses
            ]
            phones += [{**_tracked(now), "person_id": n, "number": p, "label": ""} for p in numbers]
            roles += [
                {
                    **_tracked(now),
                    "person_id": n,
                    "organisation_id": o,
                    "function": f,
                    "valid_from": date(2020, 1, 1) if rng.random() < 0.3 else None,
                    "valid_to": date(2024, 12, 31) if rng.random() < 0.15 else None,
                }
                for o, f in person_roles
            ]
            person_tags += [{"person_id": n, "tag_id": t} for t in chosen]
        session.execute(insert(Person), person_rows)
        session.execute(insert(PersonEmail), emails)
        session.execute(insert(PersonPhone), phones)
        session.execute(insert(PersonRole), roles)
        session.execute(insert(person_tag), person_tags)


def timed(action: Callable[[], object], repeat: int = 5) -> float:
    """Median milliseconds of ``action`` over ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def report(name: str, value_ms: float, target_ms: float | None = None) -> None:
    if target_ms is None:
        print(f"{name:<52} {value_ms:9.1f} ms")
        return
    verdict = "ok" if value_ms < target_ms else "ZU LANGSAM"
    print(f"{name:<52} {value_ms:9.1f} ms   (Ziel < {target_ms:.0f} ms)  {verdict}")


def person_page(session: Session, flt: PersonFilter, sort: str = "name") -> None:
    ids = person_ids(session, flt, sort=sort)
    fetch_person_rows(session, ids[:PAGE])


def organisation_page(session: Session, flt: OrganisationFilter, sort: str = "name") -> None:
    ids = organisation_ids(session, flt, sort=sort)
    fetch_organisation_rows(session, ids[:PAGE])


def keystrokes(name: str, page: Callable[[str], None], texts: tuple[str, ...]) -> None:
    """Report the median keystroke against the target, and the slowest one beside it."""
    times = {text: timed(partial(page, text), repeat=3) for text in texts}
    report(name, statistics.median(times.values()), 100)
    slowest = max(times, key=times.__getitem__)
    report(f"  langsamster Tastendruck: „{slowest}“", times[slowest])


def main() -> None:
    people = int(sys.argv[1]) if len(sys.argv) > 1 else PEOPLE
    organisations = int(sys.argv[2]) if len(sys.argv) > 2 else ORGANISATIONS
    folder = Path(tempfile.mkdtemp(prefix="bench-network-"))
    database = open_database(folder / "bench.sqlite", user="benchmark")
    started = time.perf_counter()
    fill_network(database, people, organisations)
    print(
        f"{people:,} Personen und {organisations:,} Organisationen angelegt "
        f"in {time.perf_counter() - started:.1f} s".replace(",", ".")
    )

    with database.session() as session:
        print("\nPersonen")
        report(
            "Liste: alle Ids + erste 200 Zeilen",
            timed(lambda: person_page(session, PersonFilter())),
            300,
        )
        keystrokes(
            "Suche: ein Tastendruck (Median)",
            lambda t: person_page(session, PersonFilter(search=t)),
            PERSON_SEARCHES,
        )
        for sort in PERSON_SORT_KEYS:
            report(
                f"  sortiert nach {sort}",
                timed(partial(person_page, session, PersonFilter(), sort), repeat=3),
            )
        for label, flt in (
            ("  Filter Sprache Arabisch", PersonFilter(language="Arabisch")),
            ("  Filter Schlagwort Dolmetschen", PersonFilter(tag="Dolmetschen")),
            ("  Filter Gemeinde Altenburg", PersonFilter(municipality="Altenburg")),
            ("  Filter Organisation 17", PersonFilter(organisation_id=17)),
        ):
            report(label, timed(partial(person_page, session, flt), repeat=3))

        print("\nOrganisationen")
        report(
            "Liste: alle Ids + erste 200 Zeilen",
            timed(lambda: organisation_page(session, OrganisationFilter())),
            300,
        )
        keystrokes(
            "Suche: ein Tastendruck (Median)",
            lambda t: organisation_page(session, OrganisationFilter(search=t)),
            ORGANISATION_SEARCHES,
        )
        for sort in ORGANISATION_SORT_KEYS:
            report(
                f"  sortiert nach {sort}",
                timed(partial(organisation_page, session, OrganisationFilter(), sort), 3),
            )

        print("\nDubletten")
        started = time.perf_counter()
        index = DuplicateIndex.build(session)
        report(
            "Index aufbauen (alle Personen und Organisationen)",
            (time.perf_counter() - started) * 1000,
        )
        rng = random.Random(3)
        queries = [
            {
                "first_name": rng.choice(FIRST_NAMES),
                "last_name": rng.choice(LAST_NAMES),
                "emails": [f"x{n}@example.org"],
                "municipality": rng.choice(MUNICIPALITIES),
            }
            for n in range(10_000)
        ]
        started = time.perf_counter()
        found = sum(bool(index.person_hits(**q)) for q in queries)  # type: ignore[arg-type]
        report(
            f"10.000 Importzeilen prüfen ({found} mit Treffern)",
            (time.perf_counter() - started) * 1000,
        )
        report(
            "Einzelprüfung person_duplicates (Median)",
            timed(lambda: person_duplicates(session, **queries[0]), repeat=9),  # type: ignore[arg-type]
        )
    database.close()


if __name__ == "__main__":
    main()
