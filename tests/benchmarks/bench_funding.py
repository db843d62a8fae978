"""Benchmark of the funding services at 50,000 grants (not part of the test run).

Prints: the budget view of a year, the grant list (all ids plus the first 200 rows), one
search keystroke (ids plus first rows) and the deadlines. Run:
``.venv/bin/python tests/benchmarks/bench_funding.py``.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the checkout, not an install

from sqlalchemy import func, insert, select

from integrationsmanager.domain.enums import GrantStatus, OrganisationKind, PaymentStatus
from integrationsmanager.domain.funding import FundingProgram, Grant, Payment
from integrationsmanager.domain.network import Organisation
from integrationsmanager.domain.text import fold
from integrationsmanager.reports.grants import write_grant_summary
from integrationsmanager.services.budgets import budget_overview, budget_total
from integrationsmanager.services.deadlines import deadlines
from integrationsmanager.services.grants import (
    GrantFilter,
    fetch_grant_rows,
    grant_ids,
    grant_search_text,
)
from integrationsmanager.storage.database import Database, open_database

GRANTS = 50_000
RECIPIENTS = 800
TITLES = (
    "Migrationssozialberatung",
    "Sprachcafé für Eltern",
    "Übergangsbegleitung Kita–Schule",
    "Nähwerkstatt für Frauen",
    "Fußballturnier „Anpfiff für alle“",
    "Культурний вечір",
    "Psychosoziale Erstberatung",
    "Quartierstreff",
)
KEYSTROKES = ("s", "sp", "spr", "spra", "sprac", "sprach", "культ", "über", "SBR-2026-01")


def fill_grants(database: Database, count: int, *, seed: int = 11) -> None:
    """Bulk grants through core inserts: recipients, grants across states, paid tranches."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    tracked = {"created_at": now, "updated_at": now, "updated_by": "benchmark"}
    with database.session() as session:
        programs = {p.short_code: p.id for p in session.scalars(select(FundingProgram))}
        names = [f"Verein Nr. {n} Altenburger Land e.V." for n in range(RECIPIENTS)]
        session.execute(
            insert(Organisation),
            [
                {
                    "uid": str(uuid.uuid4()),
                    **tracked,
                    "name": name,
                    "name_folded": fold(name),
                    "search_text": fold(name),
                    "kind": OrganisationKind.ASSOCIATION.value,
                    "municipality": rng.choice(("Altenburg", "Schmölln", "Lucka")),
                }
                for name in names
            ],
        )
        recipients = list(session.execute(select(Organisation.id, Organisation.name)))
        counters: dict[tuple[str, int], int] = {}
        rows = []
        for _ in range(count):
            code = rng.choice(tuple(programs))
            year = rng.randint(2020, 2027)
            counters[code, year] = number = counters.get((code, year), 0) + 1
            file_number = f"{code}-{year}-{number:03d}"
            recipient = rng.choice(recipients)
            title = f"{rng.choice(TITLES)} {number}"
            status = rng.choice(list(GrantStatus))
            requested = rng.randint(10_000, 150_000)
            rows.append(
                {
                    "uid": str(uuid.uuid4()),
                    **tracked,
                    "file_number": file_number,
                    "program_id": programs[code],
                    "budget_year": year,
                    "recipient_id": recipient.id,
                    "project_title": title,
                    "description": "",
                    "period_start": date(year, 1, 1),
                    "period_end": date(year, 12, 31),
                    "total_cost_cents": requested * 2,
                    "requested_cents": requested,
                    "approved_cents": requested if status not in _OPEN else None,
                    "received_on": date(year - 1, 10, 1) + timedelta(days=rng.randint(0, 60)),
                    "status": status.value,
                    "proof_due_on": date(year + 1, 6, 30),
                    "search_text": grant_search_text(file_number, title, recipient.name),
                }
            )
        session.execute(insert(Grant), rows)
        paying = session.execute(
            select(Grant.id, Grant.approved_cents, Grant.budget_year).where(
                Grant.approved_cents.is_not(None)
            )
        )
        payments = []
        for grant in paying:
            half = grant.approved_cents // 2
            for amount, month in ((half, 1), (grant.approved_cents - half, 7)):
                payments.append(
                    {
                        "uid": str(uuid.uuid4()),
                        **tracked,
                        "grant_id": grant.id,
                        "amount_cents": amount,
                        "due_on": date(grant.budget_year, month, 15),
                        "paid_on": date(grant.budget_year, month, 15),
                        "status": PaymentStatus.PAID.value,
                        "note": "",
                    }
                )
        session.execute(insert(Payment), payments)


_OPEN = (
    GrantStatus.DRAFT,
    GrantStatus.RECEIVED,
    GrantStatus.IN_REVIEW,
    GrantStatus.REJECTED,
    GrantStatus.WITHDRAWN,
)


def timed(action: Callable[[], object], repeat: int = 5) -> float:
    """Median milliseconds of ``action`` over ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def report(name: str, value_ms: float, target_ms: float) -> None:
    verdict = "ok" if value_ms < target_ms else "ZU LANGSAM"
    print(f"{name:<46} {value_ms:9.1f} ms   (Ziel < {target_ms:.0f} ms)  {verdict}")


SUMMARY_GRANTS = 15_000
"""Spread over the filler's years: about 2,000 grants in the busiest one, the PDF's year."""


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-funding-"))
    database = open_database(folder / "bench.sqlite", user="benchmark")
    started = time.perf_counter()
    fill_grants(database, GRANTS)
    print(f"{GRANTS:,} Zuwendungen angelegt in {time.perf_counter() - started:.1f} s")

    with database.sessions() as session:

        def budget_view() -> None:
            budget_total(budget_overview(session, 2026))

        report("Budgetübersicht eines Jahres", timed(budget_view), 200)

        def first_page(flt: GrantFilter | None = None) -> None:
            ids = grant_ids(session, flt or GrantFilter(), sort="file_number")
            fetch_grant_rows(session, ids[:200])

        report("Liste: alle Ids + erste 200 Zeilen", timed(first_page), 300)
        report(
            "Liste nach Empfänger sortiert",
            timed(lambda: fetch_grant_rows(session, grant_ids(session, sort="recipient")[:200])),
            300,
        )
        keystrokes = [timed(partial(first_page, GrantFilter(search=t)), 3) for t in KEYSTROKES]
        report("Suche: ein Tastendruck (Median)", statistics.median(keystrokes), 100)
        report("Suche: langsamster Tastendruck", max(keystrokes), 200)
        report(
            "Fristen (heute = 01.11.2026)",
            timed(lambda: deadlines(session, today=date(2026, 11, 1))),
            500,
        )
    database.close()

    small = open_database(folder / "bench-2000.sqlite", user="benchmark")
    fill_grants(small, SUMMARY_GRANTS)
    with small.sessions() as session:
        year, _count = session.execute(
            select(Grant.budget_year, func.count())
            .group_by(Grant.budget_year)
            .order_by(func.count().desc())
            .limit(1)
        ).one()
        started = time.perf_counter()
        written = write_grant_summary(session, folder / "uebersicht.pdf", year=year)
        pdf_ms = (time.perf_counter() - started) * 1000
    report(f"Förderübersicht (PDF) mit {written:,} Zuwendungen", pdf_ms, 5000)
    small.close()


if __name__ == "__main__":
    main()
