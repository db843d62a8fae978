"""Benchmark of the Netzwerk area as a person sees it: 100,000 people, 20,000 organisations.

Prints the time from creating the area until the people list has painted its first rows, the
same for the organisations list, and one search keystroke in each list (median; the text is
set and the search applied at once, without the typing delay). Not part of the test run:
``.venv/bin/python tests/benchmarks/bench_network_view.py [PEOPLE ORGANISATIONS]``.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the checkout, not an install

from bench_network import fill_network

from integrationsmanager.storage.database import open_database
from integrationsmanager.ui.app import make_application
from integrationsmanager.ui.network import NetworkPage
from integrationsmanager.ui.network.list_panel import RecordListPanel

SEARCHES = ("m", "mü", "müll", "олена", "arabisch", "altenburg", "@example", "sprach")


def report(name: str, value_ms: float, target_ms: float) -> None:
    verdict = "ok" if value_ms < target_ms else "ZU LANGSAM"
    print(f"{name:<48} {value_ms:9.1f} ms   (Ziel < {target_ms:.0f} ms)  {verdict}")


def keystroke_ms(panel: RecordListPanel[Any]) -> float:
    times = []
    for text in SEARCHES:
        started = time.perf_counter()
        panel.search_edit.setText(text)
        panel.apply_filter()
        panel.grab()
        times.append((time.perf_counter() - started) * 1000)
    panel.search_edit.clear()
    panel.apply_filter()
    return statistics.median(times)


def main() -> None:
    people = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    organisations = int(sys.argv[2]) if len(sys.argv) > 2 else 20_000
    app = make_application()
    folder = Path(tempfile.mkdtemp(prefix="bench-network-view-"))
    database = open_database(folder / "bench.sqlite")
    started = time.perf_counter()
    fill_network(database, people, organisations)
    print(
        f"{people:,} Personen, {organisations:,} Organisationen in "
        f"{time.perf_counter() - started:.1f} s angelegt"
    )

    started = time.perf_counter()
    page = NetworkPage(database)
    page.resize(1280, 800)
    page.tabs.setCurrentWidget(page.persons)
    page.show()
    app.processEvents()
    page.grab()
    report("Personenliste: erste Zeilen sichtbar", (time.perf_counter() - started) * 1000, 300)
    assert page.persons.model.rowCount() == people

    started = time.perf_counter()
    page.tabs.setCurrentWidget(page.organisations)
    app.processEvents()
    page.grab()
    report("Organisationsliste: erste Zeilen sichtbar", (time.perf_counter() - started) * 1000, 300)

    report("Suche Personen: ein Tastendruck (Median)", keystroke_ms(page.persons), 100)
    report("Suche Organisationen: ein Tastendruck (Median)", keystroke_ms(page.organisations), 100)
    page.close()
    database.close()


if __name__ == "__main__":
    main()
