"""One window per database file; network drives; two writing processes at once."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from integrationsmanager.storage import database as database_module
from integrationsmanager.storage import locking
from integrationsmanager.storage.database import open_database
from integrationsmanager.storage.locking import (
    AlreadyOpen,
    acquire_instance_lock,
    filesystem_type,
    is_network_path,
    lock_path,
)

ROOT = Path(__file__).resolve().parents[2]

MOUNTS = """\
sysfs /sys sysfs rw,nosuid 0 0
/dev/sda1 / ext4 rw,relatime 0 0
//server/amt /mnt/amt cifs rw,vers=3.0 0 0
server:/export /srv/nfs nfs4 rw 0 0
user@host:/daten /home/anna/Netz\\040Laufwerk fuse.sshfs rw 0 0
/dev/sdb1 /mnt/amt/lokal ext4 rw 0 0
"""


@pytest.fixture
def mounts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "mounts"
    fake.write_text(MOUNTS, encoding="utf-8")
    monkeypatch.setattr(locking, "MOUNTS_FILE", fake)
    monkeypatch.setattr(locking.sys, "platform", "linux")


@pytest.mark.usefixtures("mounts")
def test_network_shares_are_recognised_from_proc_mounts() -> None:
    assert filesystem_type(Path("/mnt/amt/integration/daten.sqlite")) == "cifs"
    assert is_network_path(Path("/mnt/amt/integration/daten.sqlite"))
    assert is_network_path(Path("/srv/nfs/daten.sqlite"))
    assert is_network_path(Path("/home/anna/Netz Laufwerk/daten.sqlite"))
    assert not is_network_path(Path("/mnt/amt/lokal/daten.sqlite"))  # a local disk inside
    assert not is_network_path(Path("/mnt/amtlich/daten.sqlite"))
    assert not is_network_path(Path("/home/anna/daten.sqlite"))


def test_unreadable_mounts_mean_local(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(locking, "MOUNTS_FILE", tmp_path / "fehlt")
    monkeypatch.setattr(locking.sys, "platform", "linux")
    assert not is_network_path(tmp_path / "daten.sqlite")


def test_a_database_on_a_share_is_opened_without_wal(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database_module, "is_network_path", lambda _path: True)
    database = open_database(db_path)
    try:
        with database.engine.connect() as connection:
            mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
        assert mode == "delete"
    finally:
        database.close()
    assert not Path(f"{db_path}-wal").exists()
    assert "Netzlaufwerk" in locking.network_explanation(db_path)


def test_local_database_keeps_wal(db_path: Path) -> None:
    database = open_database(db_path)
    try:
        with database.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        database.close()


def test_second_window_is_refused_with_the_owner_named(db_path: Path) -> None:
    with acquire_instance_lock(db_path, user="anna") as lock:
        assert lock_path(db_path).exists()
        with pytest.raises(AlreadyOpen) as caught:
            acquire_instance_lock(db_path, user="bernd")
        message = str(caught.value)
        assert "anna" in message and socket.gethostname() in message
        assert "bereits in einem anderen Programmfenster geöffnet" in message
        assert lock.owner.user == "anna"
    assert not lock_path(db_path).exists()
    acquire_instance_lock(db_path).release()


def test_lock_left_by_a_crashed_program_is_taken_over(db_path: Path) -> None:
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead_pid = int(ended.stdout)
    lock_path(db_path).write_text(
        json.dumps(
            {
                "user": "anna",
                "host": socket.gethostname(),
                "pid": dead_pid,
                "since": "2026-01-01T08:00:00",
            }
        ),
        encoding="utf-8",
    )
    with acquire_instance_lock(db_path, user="bernd") as lock:
        assert json.loads(lock_path(db_path).read_text(encoding="utf-8"))["user"] == "bernd"
        assert lock.owner.user == "bernd"


def test_half_written_lock_is_taken_over(db_path: Path) -> None:
    lock_path(db_path).write_text("", encoding="utf-8")
    acquire_instance_lock(db_path).release()
    assert not lock_path(db_path).exists()


def test_lock_of_another_computer_is_respected(db_path: Path) -> None:
    lock_path(db_path).write_text(
        json.dumps(
            {"user": "carla", "host": "PC-FREMD-01", "pid": 1, "since": "2026-11-25T08:30:00"}
        ),
        encoding="utf-8",
    )
    with pytest.raises(AlreadyOpen) as caught:
        acquire_instance_lock(db_path)
    assert "carla am Rechner PC-FREMD-01 (seit 25.11.2026, 08:30 Uhr)" in str(caught.value)


WRITER = textwrap.dedent(
    """
    import sys, time
    from integrationsmanager.domain.common import Tag
    from integrationsmanager.storage.database import open_database
    database = open_database(sys.argv[1], user=sys.argv[2])
    with database.session() as session:
        for number in range(200):
            session.add(Tag(name=f"{sys.argv[2]}-{number}", name_folded=f"{sys.argv[2]}-{number}"))
            session.flush()
            time.sleep(0.002)
    database.close()
    print("gespeichert")
    """
)


def test_two_writing_processes_at_once_both_commit_and_nothing_corrupts(db_path: Path) -> None:
    open_database(db_path).close()
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db_path), name],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("eins", "zwei")
    ]
    outputs = [writer.communicate(timeout=120) for writer in writers]
    for writer, (out, err) in zip(writers, outputs, strict=True):
        assert writer.returncode == 0, err
        assert out.strip() == "gespeichert"
    connection = sqlite3.connect(db_path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for name in ("eins", "zwei"):
            count = connection.execute(
                "SELECT COUNT(*) FROM tag WHERE name LIKE ?", (f"{name}-%",)
            ).fetchone()[0]
            assert count == 200
    finally:
        connection.close()
