"""German messages for the problems a database file can have."""

from __future__ import annotations

from pathlib import Path

from integrationsmanager.domain.errors import UserError


class DatabaseError(UserError):
    """The database cannot be opened or used; the file was not changed."""


def not_a_database(path: Path) -> DatabaseError:
    return DatabaseError(
        f"Die Datei „{path}“ ist keine Datenbank des Integrationsmanagers. "
        "Sie wurde nicht verändert. Bitte wählen Sie eine andere Datei."
    )


def newer_schema(path: Path, revision: str) -> DatabaseError:
    return DatabaseError(
        f"Die Datenbank „{path}“ wurde mit einer neueren Version des Integrationsmanagers "
        f"angelegt (Schema {revision}). Bitte installieren Sie die aktuelle Programmversion. "
        "Die Datei wurde nicht verändert."
    )


def locked(path: Path) -> DatabaseError:
    return DatabaseError(
        f"Die Datenbank „{path}“ ist gesperrt: Ein anderes Programm oder eine zweite "
        "Sitzung schreibt gerade darin. Bitte schließen Sie das andere Programm und versuchen "
        "Sie es erneut. Die Datei wurde nicht verändert."
    )


def unreadable(path: Path, reason: str) -> DatabaseError:
    return DatabaseError(
        f"Die Datenbank „{path}“ kann nicht geöffnet werden ({reason}). "
        "Die Datei wurde nicht verändert."
    )
