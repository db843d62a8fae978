"""Text normalisation for search and duplicate detection.

Search runs over a stored, normalised column with plain ``LIKE`` so that SQLite and
PostgreSQL behave the same (SQLite's ``lower()`` only folds ASCII). Folding is
Unicode case folding plus the German transliteration of umlauts, so "über", "Über" and
"ueber" all meet, and so do "Освіта" and "освіта".
"""

from __future__ import annotations

import re
import unicodedata

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})
_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
"""Control characters, and lone surrogates (pasted broken UTF-16; no database can store them)."""


def fold(text: str | None) -> str:
    """Return ``text`` case-folded, umlauts transliterated and whitespace collapsed."""
    if not text:
        return ""
    if text.isascii():
        # The common case, eight times faster: for ASCII, NFKC changes nothing and case
        # folding is lower(); split() knows the same whitespace as the pattern.
        return " ".join(text.lower().split())
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_UMLAUTS)
    return _SPACES.sub(" ", folded).strip()


def search_blob(*parts: str | None) -> str:
    """Join the searchable fields of a record into one folded text."""
    return " \u241f ".join(fold(p) for p in parts if p)


def like_pattern(query: str) -> str:
    """A ``LIKE`` pattern matching ``query`` anywhere, wildcards escaped with ``\\``."""
    escaped = fold(query).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def clean_line(text: str | None) -> str:
    """Strip control characters (NUL included), lone surrogates and outer whitespace."""
    if text is None:
        return ""
    return _CONTROL.sub("", text).replace("\r", " ").replace("\n", " ").strip()


def clean_text(text: str | None) -> str:
    """Strip control characters but keep line breaks in multi-line input."""
    if text is None:
        return ""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
