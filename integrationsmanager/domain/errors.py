"""Errors a user must see, as opposed to bugs.

Following qutebrowser's split: a :class:`UserError` carries a German message that the
GUI shows in a dialog and the command line prints to stderr; anything else is a bug that is
logged and reported.
"""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can understand and act on; ``str(err)`` is German."""


class FieldError(UserError):
    """A single field of a record is invalid."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class ValidationError(UserError):
    """One or more fields of a record are invalid; ``errors`` maps field name to message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(self.errors.values()))
