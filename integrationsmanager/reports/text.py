"""User text made safe for reportlab ``Paragraph`` markup, right-to-left scripts included.

Reportlab draws characters in the order it gets them and does not join Arabic letters. So a line
that contains Arabic or Hebrew is shaped (:mod:`arabic_reshaper`, presentation forms) and put into
visual order (:mod:`bidi`) here, *then* escaped, because escaping first would let the reordering
move ``&amp;`` apart. Line breaking has to happen before the reordering, in logical order, so a
long right-to-left line is broken with the font's metrics first (:func:`wrap_logical`) and each
piece is reordered on its own.

Shaping drops Arabic vowel signs (harakat): reportlab cannot position combining marks.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import cast
from xml.sax.saxutils import escape

from arabic_reshaper import ArabicReshaper
from arabic_reshaper.ligatures import LIGATURES
from bidi import get_display
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from integrationsmanager.reports.fonts import FONT, register_fonts

_RTL = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
_SPACES = re.compile(r"[ \t]+")
_FIT_TOLERANCE = 0.01
"""Points of slack, so rounding never makes a measured line wider than reportlab's."""


def has_rtl(text: str) -> bool:
    """Whether ``text`` contains a right-to-left letter (Hebrew, Arabic and related scripts)."""
    return _RTL.search(text) is not None


def para_text(
    text: str,
    *,
    width: float | None = None,
    font_name: str = FONT,
    font_size: float = 10,
) -> str:
    """``text`` as Paragraph markup: escaped, line breaks kept, right-to-left lines reordered.

    With ``width`` (the space the paragraph gets, in points), a line with right-to-left text
    that is wider than that is broken into several lines before reordering, measured with
    ``font_name`` at ``font_size``. Lines without right-to-left text are left to reportlab.
    """
    lines: list[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not has_rtl(line):
            lines.append(escape(line))
            continue
        pieces = [line] if width is None else wrap_logical(line, width, font_name, font_size)
        lines.extend(escape(visual_order(piece, font_name)) for piece in pieces)
    return "<br/>".join(lines)


def visual_order(line: str, font_name: str = FONT) -> str:
    """One line with right-to-left text shaped and reordered for left-to-right drawing.

    The base direction is left-to-right unless the line has no left-to-right letter at all,
    so an Arabic name inside German text stays where it was written, and a purely Arabic
    sentence keeps its full stop on the left.
    """
    shaped = _shape(line, font_name)
    base = "L" if _has_strong_ltr(line) else "R"
    return cast(str, get_display(shaped, base_dir=base))


def wrap_logical(
    line: str, width: float, font_name: str = FONT, font_size: float = 10
) -> list[str]:
    """Break ``line`` at spaces, in logical order, into pieces that fit ``width`` points.

    Widths are measured on the shaped text (joined Arabic letters are narrower than isolated
    ones). A word wider than ``width`` on its own is broken between characters.
    """
    words = _SPACES.sub(" ", line).strip().split(" ")
    limit = width - _FIT_TOLERANCE
    space = pdfmetrics.stringWidth(" ", font_name, font_size)
    pieces: list[str] = []
    current: list[str] = []
    current_width = 0.0
    for word in words:
        word_width = _width(word, font_name, font_size)
        if word_width > limit:
            if current:
                pieces.append(" ".join(current))
            *full, rest = _break_word(word, limit, font_name, font_size)
            pieces.extend(full)
            current, current_width = [rest], _width(rest, font_name, font_size)
        elif current and current_width + space + word_width > limit:
            pieces.append(" ".join(current))
            current, current_width = [word], word_width
        else:
            current_width += word_width + (space if current else 0.0)
            current.append(word)
    if current:
        pieces.append(" ".join(current))
    return pieces


def _width(text: str, font_name: str, font_size: float) -> float:
    return pdfmetrics.stringWidth(_shape(text, font_name), font_name, font_size)


def _break_word(word: str, limit: float, font_name: str, font_size: float) -> list[str]:
    parts: list[str] = []
    start = 0
    for end in range(1, len(word) + 1):
        if end - start > 1 and _width(word[start:end], font_name, font_size) > limit:
            parts.append(word[start : end - 1])
            start = end - 1
    parts.append(word[start:])
    return parts


def _has_strong_ltr(text: str) -> bool:
    return any(unicodedata.bidirectional(c) == "L" for c in text)


def _shape(text: str, font_name: str) -> str:
    """Arabic letters joined into presentation forms the font has; others kept."""
    if not has_rtl(text):
        return text
    reshaper, glyphs = _shaper(font_name)
    shaped = reshaper.reshape(text)
    if all(ord(c) in glyphs for c in shaped if not c.isspace()):
        return shaped
    return "".join(c if ord(c) in glyphs else _fallback(c, glyphs) for c in shaped)


def _fallback(char: str, glyphs: set[int]) -> str:
    """The unjoined letter for a presentation form the font lacks (if the font has that)."""
    plain = unicodedata.normalize("NFKC", char)
    return plain if all(ord(c) in glyphs for c in plain) else char


@cache
def _shaper(font_name: str) -> tuple[ArabicReshaper, set[int]]:
    """A reshaper that makes only ligatures ``font_name`` can draw, and the font's code points."""
    if font_name == FONT:
        register_fonts()
    font = pdfmetrics.getFont(font_name)
    if not isinstance(font, TTFont):
        raise ValueError(f"{font_name} is not a TrueType font")
    glyphs = set(font.face.charToGlyph)
    missing = {
        name: False
        for name, (_pattern, forms) in LIGATURES
        if any(ord(c) not in glyphs for form in forms for c in form)
    }
    return ArabicReshaper(configuration=missing), glyphs
