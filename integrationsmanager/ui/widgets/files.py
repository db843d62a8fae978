"""Asking for a file to read or write, starting in the folder the user chose last time."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from integrationsmanager.ui.widgets.settings import app_settings


def remembered_folder(key: str) -> Path:
    """The folder last used under ``key``, else the user's documents."""
    folder = app_settings().value(key, "")
    if isinstance(folder, str) and folder and Path(folder).is_dir():
        return Path(folder)
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation))


def ask_save_path(
    parent: QWidget, *, caption: str, name: str, file_filter: str, folder_key: str
) -> Path | None:
    """Where to write ``name``; the suffix of ``name`` is added if the user left it off."""
    chosen, _selected = QFileDialog.getSaveFileName(
        parent, caption, str(remembered_folder(folder_key) / name), file_filter
    )
    if not chosen:
        return None
    path = Path(chosen)
    suffix = Path(name).suffix
    if path.suffix.casefold() != suffix:
        path = path.with_name(path.name + suffix)
    app_settings().setValue(folder_key, str(path.parent))
    return path


def ask_open_path(
    parent: QWidget, *, caption: str, file_filter: str, folder_key: str
) -> Path | None:
    """Which file to read, or None if the user cancelled."""
    chosen, _selected = QFileDialog.getOpenFileName(
        parent, caption, str(remembered_folder(folder_key)), file_filter
    )
    if not chosen:
        return None
    path = Path(chosen)
    app_settings().setValue(folder_key, str(path.parent))
    return path
