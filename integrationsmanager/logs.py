"""Log file in the user's log folder; messages there never contain personal data."""

from __future__ import annotations

import logging
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path

from platformdirs import user_log_dir


def log_file() -> Path:
    return Path(user_log_dir("Integrationsmanager", appauthor=False)) / "integrationsmanager.log"


def setup_logging() -> None:
    """Log warnings and errors to a rotating file (idempotent)."""
    root = logging.getLogger()
    if any(isinstance(h, RotatingFileHandler) for h in root.handlers):
        return
    path = log_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        return
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.WARNING)
    root.addHandler(handler)
    root.setLevel(logging.WARNING)


def log_bug(logger: logging.Logger, context: str, error: BaseException) -> None:
    """Log an unexpected error by its type and code locations only.

    The exception's message is left out on purpose: database errors repeat the values of the
    row (names, e-mail addresses), and the log must hold no personal data.
    """
    frames = "".join(traceback.format_tb(error.__traceback__))
    logger.error("%s: %s\n%s", context, type(error).__name__, frames)
