"""Where the program finds its own files, from a source checkout and when installed.

In a checkout, ``database/`` and ``resources/`` sit beside the package; an installed program
has them as the sub-packages ``integrationsmanager.database`` and ``integrationsmanager.resources``
(see ``[tool.setuptools.package-dir]`` in pyproject.toml).
"""

from __future__ import annotations

import getpass
import importlib.util
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

_CHECKOUT = Path(__file__).resolve().parent.parent


def _locate(subpackage: str) -> Path:
    local = _CHECKOUT / subpackage
    if (local / "__init__.py").exists():
        return local
    spec = importlib.util.find_spec(f"integrationsmanager.{subpackage}")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"integrationsmanager.{subpackage} is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def database_dir() -> Path:
    return _locate("database")


def migrations_dir() -> Path:
    return database_dir() / "migrations"


def seed_dir() -> Path:
    return database_dir() / "seed"


def resources_dir() -> Path:
    return _locate("resources")


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def default_database_path() -> Path:
    return (
        Path(user_data_dir("Integrationsmanager", appauthor=False)) / "integrationsmanager.sqlite"
    )


def config_dir() -> Path:
    """This computer's settings that do not belong to the data (e.g. the backup folder)."""
    return Path(user_config_dir("Integrationsmanager", appauthor=False))


def current_user() -> str:
    """The operating system's login name, recorded as ``updated_by`` and in the audit trail."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unbekannt"
