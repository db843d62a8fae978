"""Random text for the fuzz tests, and the count of examples tried that the report needs."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

_CONTROL = st.characters(min_codepoint=0, max_codepoint=0x1F)
_RTL = st.characters(min_codepoint=0x0590, max_codepoint=0x06FF)
_BIDI = st.sampled_from("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_EMOJI = st.sampled_from(["👨‍👩‍👧", "🇺🇦", "😀", "🏳️‍🌈", "👍🏽", "\ufe0f", "\u200d"])
_NEWLINES = st.sampled_from(["\n", "\r", "\r\n", "\x0b", "\x0c", "\x85", "\u2028", "\u2029"])
_SURROGATE = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)

SPECIAL = st.sampled_from(
    [
        "\x00",
        "Name\x00mit NUL",
        "Олена Коваленко",
        "محمد الأحمد",
        "\u202eumgedreht\u202c",
        "a\r\nb\rc\nd",
        "'=1+1",
        '=HYPERLINK("x")',
        "x" * 5000,
        "\ufeffBOM",
        ";,\"'\\:",
        " ",
        "\t\t",
        "ä" * 301,
    ]
)

TEXT = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(_CONTROL, _RTL, _BIDI, _EMOJI, _NEWLINES, st.characters()), max_size=80).map(
        "".join
    ),
    st.text(st.characters(), min_size=290, max_size=2100),
    SPECIAL,
)
"""Any text a cell or a field may hold, without lone surrogates."""

TEXT_WITH_SURROGATES = st.one_of(
    TEXT, st.lists(st.one_of(_SURROGATE, st.characters()), min_size=1, max_size=20).map("".join)
)
"""Where the format can hold them (a Python str in a form field, bytes in a CSV file)."""


def xlsx_text(text: str) -> str:
    """What an .xlsx cell can hold: no control characters or surrogates; XML reads CR as LF."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    return text.encode("utf-8", "ignore").decode("utf-8")


TRIED: Counter[str] = Counter()
"""Examples tried, per import or form."""


def write_counts(folder: Path, name: str, prefix: str) -> str:
    """Write the counts whose key starts with ``prefix`` to ``folder/name`` (JSON).

    Counts already in the file stay (several modules report to one file). Returns them as
    printable lines.
    """
    path = folder / name
    counts: dict[str, int] = json.loads(path.read_text("utf-8")) if path.exists() else {}
    counts.update({key: count for key, count in TRIED.items() if key.startswith(prefix)})
    path.write_text(json.dumps(counts, indent=1), encoding="utf-8")
    return "\n".join(f"{key}: {count} hypothesis examples tried" for key, count in counts.items())
