"""Reading PDFs back in tests: page texts, comparable text, fonts."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.generic import DictionaryObject

_BIDI_MARKS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_WHITESPACE = re.compile(r"\s+")


def page_texts(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def page_layouts(path: Path) -> list[str]:
    """Page texts with the layout kept: a table row stays on one line."""
    return [page.extract_text(extraction_mode="layout") for page in PdfReader(path).pages]


def comparable(text: str) -> str:
    """Text as extracted, without bidi marks, NFKC (Arabic presentation forms → letters)."""
    return unicodedata.normalize("NFKC", _BIDI_MARKS.sub("", text))


def letters(text: str) -> str:
    """:func:`comparable` without any whitespace.

    The extractors reverse right-to-left runs back into logical order but may move the space
    at a run's edge (``"Verein  ARABICe.V."``); the sequence of letters must still match.
    """
    return _WHITESPACE.sub("", comparable(text))


def _dictionary(entry: Any) -> Any:
    return entry.get_object() if entry is not None else {}


def _fonts(resources: Any, seen: set[int]) -> list[DictionaryObject]:
    if resources is None:
        return []
    resources = resources.get_object()
    found = [f.get_object() for f in _dictionary(resources.get("/Font")).values()]
    for xobject in _dictionary(resources.get("/XObject")).values():
        obj = xobject.get_object()
        if id(obj) not in seen:
            seen.add(id(obj))
            found += _fonts(obj.get("/Resources"), seen)
    return found


def font_problems(path: Path) -> list[str]:
    """Every font used that is not embedded as a TrueType font file, or is Helvetica."""
    problems: list[str] = []
    seen: set[int] = set()
    fonts: list[DictionaryObject] = []
    for page in PdfReader(path).pages:
        fonts += _fonts(page.get("/Resources"), seen)
    if not fonts:
        return ["no fonts at all"]
    for font in fonts:
        name = str(font.get("/BaseFont"))
        descriptor = font.get("/FontDescriptor")
        for descendant in font.get("/DescendantFonts", []):
            descriptor = descendant.get_object().get("/FontDescriptor")
        if "helvetica" in name.lower():
            problems.append(f"{name}: Helvetica")
        if descriptor is None or "/FontFile2" not in descriptor.get_object():
            problems.append(f"{name}: not embedded")
    return problems
