"""Folding for search and duplicates: umlauts, Cyrillic, Arabic, wildcards."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from integrationsmanager.domain.text import clean_line, clean_text, fold, like_pattern


def test_fold_ignores_case_for_umlauts_and_cyrillic() -> None:
    assert fold("Über") == fold("über") == fold("ueber")
    assert fold("Освіта") == fold("освіта")
    assert fold("STRAẞE") == fold("straße")
    assert fold("  Müller   Schmidt ") == "mueller schmidt"


def test_fold_keeps_arabic_letters() -> None:
    assert fold("جمعية الصداقة") == "جمعية الصداقة"


def test_like_pattern_escapes_wildcards() -> None:
    assert like_pattern("100%_sicher") == "%100\\%\\_sicher%"


def test_clean_line_removes_control_characters_and_nul() -> None:
    assert clean_line("Ti\x00tel\x07 mit\nZeilenumbruch ") == "Titel mit Zeilenumbruch"
    assert clean_text("Zeile 1\r\nZeile 2\x00") == "Zeile 1\nZeile 2"


@given(st.text())
def test_fold_is_idempotent_and_never_fails(text: str) -> None:
    once = fold(text)
    assert fold(once) == once


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_fold_of_ascii_equals_the_full_unicode_path(text: str) -> None:
    """The ASCII fast path must give what NFKC, case folding and the space pattern give."""
    full = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text).casefold()).strip()
    assert fold(text) == full
