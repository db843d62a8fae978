"""One program window per database file, and database files on network drives.

**Second instance.** The window holds a lock file next to the database
(``daten.sqlite.lock``), created with ``O_CREAT | O_EXCL`` so that of two programs starting
at once exactly one wins. It names the holder (login, computer, process number, since when),
so the second program can tell the user who has the file open. After a crash the file stays
behind; it counts as stale when it was written on this computer by a process that no longer
runs (or when it is unreadable), and is then taken over. Command-line commands do not take
the lock: reading ones run alongside the window, writing ones rely on SQLite's own locking
and busy timeout (a transaction waits for the other's, or ends with "belegt").

**Network drives.** SQLite's WAL mode keeps its index in shared memory next to the file,
which works only for processes on the same computer: on an SMB/NFS share two computers can
corrupt the database. On a share the program therefore uses the classic rollback journal
(``journal_mode=DELETE``), which relies only on the file system's byte-range locks and is
what SQLite supports there. It does not use ``locking_mode=EXCLUSIVE``: the program reads and
writes through several pooled connections (worker threads), which an exclusive lock would
block against each other. The lock file keeps a second program window off the file, and the
user is told that a local database with backups on the share is the safer setup.
See :func:`is_network_path`.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from integrationsmanager.paths import current_user
from integrationsmanager.storage.errors import DatabaseError

NETWORK_FILESYSTEMS = frozenset(
    {"cifs", "smb3", "smbfs", "nfs", "nfs4", "fuse.sshfs", "sshfs", "9p", "afs", "ncpfs"}
)
"""Linux file-system types (third field of /proc/mounts) that live on another computer."""

MOUNTS_FILE = Path("/proc/mounts")


# --- network drives --------------------------------------------------------------------------


def is_network_path(path: Path) -> bool:
    """Whether ``path`` (a file or a file to be created) lies on a network drive."""
    if sys.platform == "win32":
        return _windows_is_remote(path)
    return filesystem_type(path) in NETWORK_FILESYSTEMS


def filesystem_type(path: Path) -> str | None:
    """The Linux file-system type of the mount ``path`` is on, from /proc/mounts."""
    try:
        mounts = MOUNTS_FILE.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    target = str(Path(os.path.abspath(path)))
    best: tuple[int, str] | None = None
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        mount_point = _unescape(fields[1])
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and (best is None or len(mount_point) > best[0]):
            best = (len(mount_point), fields[2])
    return best[1] if best else None


def _unescape(field: str) -> str:
    """/proc/mounts writes space, tab, newline and backslash as octal escapes (\\040 …)."""
    for code in ("040", "011", "012", "134"):
        field = field.replace(f"\\{code}", chr(int(code, 8)))
    return field


def _windows_is_remote(path: Path) -> bool:
    text = os.path.abspath(path)
    if text.startswith(("\\\\", "//")):
        return True  # a UNC path: \\server\share\…
    import ctypes

    drive_remote = 4
    root = os.path.splitdrive(text)[0] + "\\"
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined,unused-ignore]
    return int(kernel32.GetDriveTypeW(root)) == drive_remote


def network_explanation(path: Path) -> str:
    return (
        f"Die Datenbank „{path}“ liegt auf einem Netzlaufwerk. Dort kann SQLite seinen "
        "schnellen Schreibmodus (WAL) nicht sicher nutzen, weil er gemeinsamen Speicher auf "
        "einem Rechner braucht. Das Programm arbeitet deshalb im langsameren, sicheren Modus. "
        "Bitte öffnen Sie die Datei nur an einem Rechner zugleich. Schneller und sicherer "
        "ist eine Datenbank auf dem eigenen Rechner mit Datensicherung auf das Netzlaufwerk."
    )


# --- one window per file ---------------------------------------------------------------------


@dataclass(frozen=True)
class LockOwner:
    user: str
    host: str
    pid: int
    since: datetime

    def describe(self) -> str:
        return (
            f"{self.user or 'unbekannt'} am Rechner {self.host or 'unbekannt'} "
            f"(seit {self.since:%d.%m.%Y, %H:%M} Uhr)"
        )


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


class InstanceLock:
    """The held lock file of one database; :meth:`release` removes it."""

    def __init__(self, path: Path, owner: LockOwner) -> None:
        self.path = path
        self.owner = owner
        self._held = True

    def release(self) -> None:
        if not self._held:
            return
        self._held = False
        current = _read_owner(self.path)
        if (
            current is not None
            and current.pid == self.owner.pid
            and current.host == self.owner.host
        ):
            self.path.unlink(missing_ok=True)

    def __enter__(self) -> InstanceLock:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


class AlreadyOpen(DatabaseError):
    """Another program window has the database open."""

    def __init__(self, database: Path, owner: LockOwner) -> None:
        self.owner = owner
        super().__init__(
            f"Die Datenbank „{database.name}“ ist bereits in einem anderen Programmfenster "
            f"geöffnet: von {owner.describe()}. Zwei Programme auf derselben Datei könnten "
            "sich gegenseitig Änderungen überschreiben; deshalb wird sie hier nicht geöffnet. "
            "Bitte schließen Sie das andere Fenster und starten Sie erneut. Ist das andere "
            f"Programm abgestürzt, dann löschen Sie die Datei „{lock_path(database).name}“ "
            "neben der Datenbank."
        )


def acquire_instance_lock(database: Path, *, user: str | None = None) -> InstanceLock:
    """Take the lock of ``database`` for this process, or raise :class:`AlreadyOpen`.

    A stale lock (its process on this computer has ended, or the file is unreadable) is
    taken over.
    """
    path = lock_path(database)
    owner = LockOwner(
        user=user or current_user(),
        host=socket.gethostname(),
        pid=os.getpid(),
        since=datetime.now(),
    )
    for _attempt in range(3):
        try:
            descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            holder = _read_owner(path)
            if holder is not None and not _is_stale(holder):
                raise AlreadyOpen(database, holder) from None
            path.unlink(missing_ok=True)
            continue
        except OSError as err:
            raise DatabaseError(
                f"Neben der Datenbank „{database}“ lässt sich keine Sperrdatei anlegen "
                f"({err.strerror or err}). Ist der Ordner schreibgeschützt?"
            ) from err
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(
                {
                    "user": owner.user,
                    "host": owner.host,
                    "pid": owner.pid,
                    "since": owner.since.isoformat(timespec="seconds"),
                },
                handle,
            )
        return InstanceLock(path, owner)
    holder = _read_owner(path)
    if holder is not None:
        raise AlreadyOpen(database, holder)
    raise DatabaseError(f"Die Sperrdatei „{path}“ lässt sich nicht anlegen.")


def _read_owner(path: Path) -> LockOwner | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return LockOwner(
            user=str(data["user"]),
            host=str(data["host"]),
            pid=int(data["pid"]),
            since=datetime.fromisoformat(str(data["since"])),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _is_stale(owner: LockOwner) -> bool:
    """Only a lock from this computer can be proven stale (its process has ended)."""
    if owner.host != socket.gethostname():
        return False
    if owner.pid == os.getpid():
        return False
    return not pid_alive(owner.pid)


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":
        import ctypes

        query_limited_information = 0x1000
        still_active = 259
        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined,unused-ignore]
        handle = kernel32.OpenProcess(query_limited_information, False, pid)
        if not handle:
            return False
        try:
            code = ctypes.c_ulong()
            kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
            return code.value == still_active
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
