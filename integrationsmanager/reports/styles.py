"""Paragraph styles of all documents: DejaVu Sans, German-size text, the office's colours."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from integrationsmanager.reports.fonts import FONT, FONT_BOLD, register_fonts
from integrationsmanager.reports.palette import ACCENT, MUTED_TEXT

BODY_SIZE = 9.5
CELL_SIZE = 8.5
CELL_LEADING = CELL_SIZE * 1.3


@dataclass(frozen=True)
class Styles:
    """The named styles a document uses; build them with :func:`report_styles`."""

    title: ParagraphStyle
    subtitle: ParagraphStyle
    district: ParagraphStyle
    office: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    label: ParagraphStyle
    body: ParagraphStyle
    indented: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_right: ParagraphStyle
    cell_header: ParagraphStyle
    cell_header_right: ParagraphStyle
    toc: tuple[ParagraphStyle, ...]


@cache
def report_styles() -> Styles:
    """The shared styles (fonts registered on first use)."""
    register_fonts()
    accent = HexColor(ACCENT)
    muted = HexColor(MUTED_TEXT)
    body = ParagraphStyle(
        "body", fontName=FONT, fontSize=BODY_SIZE, leading=BODY_SIZE * 1.35, alignment=TA_LEFT
    )
    cell = ParagraphStyle("cell", parent=body, fontSize=CELL_SIZE, leading=CELL_LEADING)
    cell_header = ParagraphStyle("cell_header", parent=cell, fontName=FONT_BOLD)
    return Styles(
        title=ParagraphStyle(
            "title", parent=body, fontName=FONT_BOLD, fontSize=26, leading=32, textColor=accent
        ),
        subtitle=ParagraphStyle("subtitle", parent=body, fontSize=13, leading=18),
        district=ParagraphStyle(
            "district", parent=body, fontName=FONT_BOLD, fontSize=15, leading=20, textColor=accent
        ),
        office=ParagraphStyle("office", parent=body, fontSize=12, leading=16, textColor=muted),
        h1=ParagraphStyle(
            "h1",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=15,
            leading=20,
            spaceBefore=6,
            spaceAfter=8,
            textColor=accent,
            keepWithNext=1,
        ),
        h2=ParagraphStyle(
            "h2",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=11.5,
            leading=15,
            spaceBefore=12,
            spaceAfter=3,
            keepWithNext=1,
        ),
        label=ParagraphStyle(
            "label",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=BODY_SIZE - 0.5,
            spaceBefore=5,
            spaceAfter=1,
            textColor=accent,
            keepWithNext=1,
        ),
        body=body,
        indented=ParagraphStyle("indented", parent=body, leftIndent=10),
        small=ParagraphStyle(
            "small", parent=body, fontSize=CELL_SIZE, leading=CELL_LEADING, textColor=muted
        ),
        cell=cell,
        cell_right=ParagraphStyle("cell_right", parent=cell, alignment=TA_RIGHT),
        cell_header=cell_header,
        cell_header_right=ParagraphStyle(
            "cell_header_right", parent=cell_header, alignment=TA_RIGHT
        ),
        toc=(
            ParagraphStyle(
                "toc0",
                parent=body,
                fontName=FONT_BOLD,
                fontSize=10.5,
                leading=14,
                leftIndent=0,
                firstLineIndent=0,
                spaceBefore=5,
            ),
            ParagraphStyle("toc1", parent=body, leftIndent=14, firstLineIndent=0, spaceBefore=1),
        ),
    )
