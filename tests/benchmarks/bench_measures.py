"""Benchmark of the measures area at 20,000 measures (not part of the test run).

Prints: time until the measures view shows its first rows, the time of one search keystroke,
the same search as raw SQL through sqlite3 and the ratio of the two, and the time of a PDF
report of 500 measures. Run: ``.venv/bin/python tests/benchmarks/bench_measures.py``.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the checkout, not an install

from fill import fill_measures
from PySide6.QtWidgets import QApplication

from integrationsmanager.domain.text import like_pattern
from integrationsmanager.reports.measures import write_measures_report
from integrationsmanager.services.measures import MeasureFilter
from integrationsmanager.storage.database import open_database
from integrationsmanager.ui.app import make_application
from integrationsmanager.ui.measures import MeasuresPage

MEASURES = 20_000
KEYSTROKES = ("s", "sp", "spr", "spra", "sprac", "sprach", "sprachk", "освіта", "über")

RAW_SEARCH = """
SELECT measure.id FROM measure JOIN guideline ON guideline.id = measure.guideline_id
WHERE measure.search_text LIKE ? ESCAPE '\\'
ORDER BY guideline.number, measure.title_folded, measure.id
"""


def report(name: str, value_ms: float, target_ms: float) -> None:
    verdict = "ok" if value_ms < target_ms else "ZU LANGSAM"
    print(f"{name:<42} {value_ms:9.1f} ms   (Ziel < {target_ms:.0f} ms)  {verdict}")


def main() -> None:
    app: QApplication = make_application()
    folder = Path(tempfile.mkdtemp(prefix="bench-measures-"))
    database = open_database(folder / "bench.sqlite")
    started = time.perf_counter()
    fill_measures(database, MEASURES)
    print(f"{MEASURES:,} Maßnahmen angelegt in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    page = MeasuresPage(database)
    page.resize(1280, 800)
    page.show()
    app.processEvents()
    page.grab()
    first_rows = (time.perf_counter() - started) * 1000
    assert page.model.rowCount() == MEASURES
    report("Maßnahmenliste: erste Zeilen sichtbar", first_rows, 300)

    keystroke_times = []
    raw_times = []
    raw = sqlite3.connect(folder / "bench.sqlite")
    for text in KEYSTROKES:
        started = time.perf_counter()
        page.search_edit.setText(text)
        page._apply_filter()
        page.grab()
        keystroke_times.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        ids = [row[0] for row in raw.execute(RAW_SEARCH, (like_pattern(text),))]
        raw_times.append((time.perf_counter() - started) * 1000)
        assert len(ids) == page.model.rowCount(), text
    keystroke = statistics.median(keystroke_times)
    raw_sql = statistics.median(raw_times)
    report("Suche: ein Tastendruck (Median)", keystroke, 100)
    print(f"{'Dieselbe Suche als rohes SQL (Median)':<42} {raw_sql:9.1f} ms")
    ratio = keystroke / raw_sql
    verdict = "ok" if ratio <= 3 else "ZU LANGSAM"
    print(f"{'Verhältnis Tastendruck / rohes SQL':<42} {ratio:9.2f} ×    (Ziel ≤ 3 ×)  {verdict}")
    page.close()
    database.close()

    small = open_database(folder / "bench-500.sqlite")
    fill_measures(small, 500)
    started = time.perf_counter()
    with small.session() as session:
        count = write_measures_report(session, folder / "bericht.pdf", MeasureFilter())
    pdf_ms = (time.perf_counter() - started) * 1000
    size_kb = (folder / "bericht.pdf").stat().st_size / 1024
    report(f"PDF-Bericht mit {count} Maßnahmen ({size_kb:.0f} KB)", pdf_ms, 5000)
    small.close()


if __name__ == "__main__":
    main()
