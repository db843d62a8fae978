"""The one place where the window's remembered state (column widths, splitters) is kept."""

from __future__ import annotations

from PySide6.QtCore import QSettings

ORGANISATION = "Landkreis Altenburger Land"
APPLICATION = "Integrationsmanager"


def app_settings() -> QSettings:
    """Per-user settings of the program (not of a database: those live in the data)."""
    return QSettings(ORGANISATION, APPLICATION)
