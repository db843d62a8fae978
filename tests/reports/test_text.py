"""User text for Paragraph markup: escaping, line breaks, Arabic shaping and order, wrapping."""

from __future__ import annotations

import unicodedata

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph

from integrationsmanager.reports.fonts import FONT, register_fonts
from integrationsmanager.reports.text import has_rtl, para_text, visual_order, wrap_logical

BRIDGE = "جمعية الجسر للاندماج"
"""An Arabic association name ("Bridge Association for Integration"), three words."""


def _logical(visual: str) -> str:
    """A purely right-to-left visual line read back in logical order, letters unshaped."""
    return unicodedata.normalize("NFKC", visual[::-1])


def _is_arabic_letter(char: str) -> bool:
    return "\u0600" <= char <= "\u06ff"


def test_markup_characters_are_escaped() -> None:
    assert para_text("<b>&</b> & <i>") == "&lt;b&gt;&amp;&lt;/b&gt; &amp; &lt;i&gt;"


def test_line_breaks_become_br() -> None:
    assert para_text("eins\nzwei\r\ndrei\rvier") == "eins<br/>zwei<br/>drei<br/>vier"


def test_left_to_right_text_is_unchanged() -> None:
    text = "Освіта für Familien – Übergänge gestalten"
    assert para_text(text) == text


def test_has_rtl() -> None:
    assert has_rtl(BRIDGE)
    assert has_rtl("שלום")
    assert not has_rtl("Освіта für Familien")


def test_arabic_is_shaped_and_reversed() -> None:
    result = para_text(BRIDGE)
    # Only joined presentation forms remain, no bare Arabic letters.
    assert not any(_is_arabic_letter(c) for c in result)
    assert _logical(result) == BRIDGE


def test_words_of_a_multi_word_name_keep_their_order() -> None:
    result = para_text(BRIDGE)
    words = [_logical(w) for w in result.split(" ")]
    # Visual order is right to left: the first word of the name is drawn rightmost.
    assert words[::-1] == BRIDGE.split(" ")


def test_mixed_line_keeps_left_to_right_frame() -> None:
    result = para_text(f"Träger: {BRIDGE} e.V.")
    assert result.startswith("Träger: ")
    assert result.endswith(" e.V.")
    assert _logical(result[len("Träger: ") : -len(" e.V.")]) == BRIDGE


def test_purely_arabic_sentence_keeps_its_full_stop_at_the_start_of_reading() -> None:
    # Base direction right-to-left: the full stop ends up leftmost when drawn.
    assert visual_order("مرحبا بكم.").startswith(".")


def test_escaping_happens_after_reordering() -> None:
    result = para_text(f"{BRIDGE} <&> Verein")
    assert "&lt;&amp;&gt;" in result
    register_fonts()
    Paragraph(result, ParagraphStyle("t", fontName=FONT))  # parses


def test_ligature_missing_from_the_font_is_not_used() -> None:
    assert "\ufdf2" not in para_text("الله أكبر")


def test_each_line_is_handled_on_its_own() -> None:
    first, second = para_text(f"{BRIDGE}\nDeutsch & mehr").split("<br/>")
    assert _logical(first) == BRIDGE
    assert second == "Deutsch &amp; mehr"


def test_wrap_logical_fits_and_keeps_logical_order() -> None:
    line = " ".join([BRIDGE] * 8)
    pieces = wrap_logical(line, 120, FONT, 10)
    assert len(pieces) > 2
    assert " ".join(pieces) == line
    for piece in pieces:
        assert stringWidth(visual_order(piece), FONT, 10) <= 120
    assert pieces[0].startswith(BRIDGE.split(" ")[0])


def test_wrap_logical_breaks_a_word_wider_than_the_line() -> None:
    word = "ب" * 80
    pieces = wrap_logical(word, 50, FONT, 10)
    assert len(pieces) > 1
    assert "".join(pieces) == word


def test_long_rtl_line_is_wrapped_before_reordering() -> None:
    line = " ".join([BRIDGE] * 8)
    lines = para_text(line, width=120, font_name=FONT, font_size=10).split("<br/>")
    assert len(lines) > 2
    # The first drawn line holds the beginning of the text, not its end.
    assert _logical(lines[0]).startswith(BRIDGE)
    assert " ".join(_logical(v) for v in lines) == line


def test_short_rtl_line_is_not_wrapped() -> None:
    assert "<br/>" not in para_text(BRIDGE, width=400, font_name=FONT, font_size=10)
