"""Benchmark of the start: from the command until the overview of a demo database is interactive.

Measures, in one run and alternating so both see the same machine load:

* a bare PySide6 window: ``python -c`` that creates a QApplication and a QMainWindow, shows
  it and quits when the event loop first waits for input after the first paint;
* the program: ``python -m integrationsmanager --db DEMO`` with
  ``INTEGRATIONSMANAGER_EXIT_WHEN_READY=1`` (see :mod:`integrationsmanager.ui.app`), which
  prints ``interaktiv <Unix time>`` when the main window with its overview is shown, painted
  and the event loop idle, then quits.

Both times run from just before the process is started to the printed moment. The demo
database is created first (not timed), and one start of each is thrown away to warm the file
cache. Prints the medians, the ratio and the targets (< 1.5 s, < 2× the bare window), and how
long the overview's charts then take to load in the background. Not part of the test run:
``.venv/bin/python tests/benchmarks/bench_startup.py [RUNS]``.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
"""The checkout: the program under test is imported from here, not from an install."""

TARGET_SECONDS = 1.5
TARGET_RATIO = 2.0

BARE_WINDOW = """
import time
from PySide6.QtCore import QAbstractEventDispatcher
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
window.setWindowTitle("Leeres Fenster")
window.resize(1280, 820)
window.show()
dispatcher = QAbstractEventDispatcher.instance()
def ready():
    dispatcher.aboutToBlock.disconnect(ready)
    print(f"interaktiv {time.time():.6f}", flush=True)
    app.quit()
dispatcher.aboutToBlock.connect(ready)
app.exec()
"""


def environment(home: Path) -> dict[str, str]:
    """Offscreen Qt, the checkout on the path, private settings (no remembered area)."""
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = str(ROOT)
    env["INTEGRATIONSMANAGER_EXIT_WHEN_READY"] = "1"
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[name] = str(home / name.lower())
    return env


CHARTS_IMPORT = """
import time
import integrationsmanager.ui.overview.page  # loaded by the start already
started = time.perf_counter()
import integrationsmanager.ui.overview.charts
print(f"import {time.perf_counter() - started:.6f}")
"""
"""The overview's charts (pyqtgraph, numpy) load on a worker thread after the start: their
import is not in the start time, so it is shown on its own line."""


def seconds_until_ready(command: list[str], env: dict[str, str]) -> float:
    """From just before starting ``command`` until the moment it prints as interactive."""
    started = time.time()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    stamps = [line.split()[1] for line in done.stdout.splitlines() if line.startswith("interaktiv")]
    if not stamps:
        raise SystemExit(
            f"{' '.join(command)} meldete sich nicht als interaktiv (Rückgabe {done.returncode})"
            f":\n{done.stdout}\n{done.stderr}"
        )
    return float(stamps[0]) - started


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    folder = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    env = environment(folder)
    demo = folder / "demo.sqlite"
    subprocess.run(
        [sys.executable, "-m", "integrationsmanager", "demo", "--db", str(demo)],
        env=env,
        check=True,
        capture_output=True,
    )
    bare_command = [sys.executable, "-c", BARE_WINDOW]
    app_command = [sys.executable, "-m", "integrationsmanager", "--db", str(demo)]
    seconds_until_ready(bare_command, env)  # warm-up: file cache, compiled bytecode
    seconds_until_ready(app_command, env)
    bare: list[float] = []
    program: list[float] = []
    for _ in range(runs):
        bare.append(seconds_until_ready(bare_command, env))
        program.append(seconds_until_ready(app_command, env))
    charts = []
    for _ in range(3):
        done = subprocess.run(
            [sys.executable, "-c", CHARTS_IMPORT], env=env, capture_output=True, text=True
        )
        charts.append(float(done.stdout.split()[1]))
    bare_median = statistics.median(bare)
    program_median = statistics.median(program)
    ratio = program_median / bare_median

    def verdict(ok: bool) -> str:
        return "ok" if ok else "ZU LANGSAM"

    print(f"Start bis interaktiv, Median aus {runs} Läufen (offscreen):")
    print(f"  leeres PySide6-Fenster          {bare_median:6.3f} s   (min {min(bare):.3f} s)")
    print(
        f"  Integrationsmanager, Übersicht  {program_median:6.3f} s   (min {min(program):.3f} s)"
        f"   Ziel < {TARGET_SECONDS:.1f} s  {verdict(program_median < TARGET_SECONDS)}"
    )
    print(
        f"  Verhältnis                      {ratio:6.2f} ×"
        f"                     Ziel < {TARGET_RATIO:.0f} ×    {verdict(ratio < TARGET_RATIO)}"
    )
    print(
        f"  danach im Hintergrund: Diagramme laden {statistics.median(charts):6.3f} s"
        " (pyqtgraph, numpy; die Übersicht ist währenddessen bedienbar)"
    )


if __name__ == "__main__":
    main()
