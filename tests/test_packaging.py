"""An installed program must find its migrations, seed data and fonts."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_contains_migrations_seed_and_fonts(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        cwd=tmp_path,
    )
    (wheel,) = tmp_path.glob("integrationsmanager-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for init in (ROOT / "integrationsmanager").rglob("__init__.py"):
        assert init.relative_to(ROOT).as_posix() in names, f"package missing: {init}"
    for expected in (
        "integrationsmanager/database/migrations/env.py",
        "integrationsmanager/database/migrations/script.py.mako",
        "integrationsmanager/database/migrations/versions/0001_initial_schema.py",
        "integrationsmanager/database/seed/guidelines.json",
        "integrationsmanager/resources/fonts/DejaVuSans.ttf",
        "integrationsmanager/resources/fonts/DejaVuSans-Bold.ttf",
        "integrationsmanager/resources/fonts/LICENSE-DejaVu.txt",
    ):
        assert expected in names, expected
