"""Log file in the user's log folder; messages there never contain personal data."""

from __future__ import annotations

import logging
import sys
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
    logger.error("%s: %s", context, bug_details(error))


def bug_details(error: BaseException) -> str:
    """The error's type and the code locations of its traceback, without its message."""
    frames = "".join(traceback.format_tb(error.__traceback__))
    return f"{type(error).__name__}\n{frames}"


def log_unraisable(unraisable: sys.UnraisableHookArgs) -> None:
    """``sys.unraisablehook``: log errors Python cannot raise (e.g. in ``__del__``).

    The object and message are left out: their text may repeat personal data.
    """
    error = unraisable.exc_value
    if error is None:
        logging.getLogger(__name__).error(
            "Nicht meldbarer Fehler: %s", unraisable.exc_type.__name__
        )
        return
    if error.__traceback__ is None and unraisable.exc_traceback is not None:
        error = error.with_traceback(unraisable.exc_traceback)
    log_bug(logging.getLogger(__name__), "Nicht meldbarer Fehler", error)
