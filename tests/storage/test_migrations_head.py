"""Opening a database that is up to date needs no Alembic (it would cost every start)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory

from integrationsmanager.storage import migrations
from integrationsmanager.storage.database import open_database

ROOT = Path(__file__).resolve().parents[2]


def test_the_head_read_from_the_files_is_alembics_head() -> None:
    assert (
        migrations.head_revision()
        == ScriptDirectory.from_config(migrations.config()).get_current_head()
    )


def test_an_up_to_date_database_opens_without_loading_alembic(db_path: Path) -> None:
    open_database(db_path).close()
    code = (
        "import sys\n"
        "from integrationsmanager.storage.database import open_database\n"
        f"database = open_database({str(db_path)!r})\n"
        "database.close()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
