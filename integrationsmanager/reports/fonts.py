"""The shipped DejaVu Sans fonts, registered with reportlab once per process.

DejaVu Sans covers Latin, Cyrillic and Arabic in one file, so a single embedded font draws
every name the office stores. Reportlab's built-in Helvetica is never used: it would not be
embedded and lacks Cyrillic and Arabic.
"""

from __future__ import annotations

import threading

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from integrationsmanager.paths import fonts_dir

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"

_FILES = {FONT: "DejaVuSans.ttf", FONT_BOLD: "DejaVuSans-Bold.ttf"}
_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    """Register regular and bold DejaVu Sans as one family (idempotent, thread-safe).

    Italic maps to the upright faces: no oblique face is shipped, and ``<i>`` in markup must
    still draw with an embedded font.
    """
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        directory = fonts_dir()
        for name, filename in _FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(directory / filename)))
        pdfmetrics.registerFontFamily(
            FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
        )
        _registered = True
