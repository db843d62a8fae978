"""The frame every PDF of the program shares: pages, title page, contents, tables, safe writing.

A document is built from a *story* (a list of reportlab flowables) made with the helpers here and
written with :func:`build_pdf` inside :func:`atomic_pdf`, which writes to a temporary file beside
the target and renames it only when the document is complete::

    with atomic_pdf(path) as target:
        progress = Progress(callback)
        story = [*title_page(info), *contents(), heading("Übersicht"), ...]
        build_pdf(target, info, story, progress=progress)

Every page has a header (district and office, the document's title) and a footer (date,
"Seite X von Y"). All text is drawn with the embedded DejaVu Sans, which is also the canvas's
initial font, so reportlab's non-embedded Helvetica never appears in a file.

The pages are laid out in a single pass. Numbers not known while a page is drawn (the page
total, the pages in the contents) are PDF form objects that the page uses and that are filled
in when the file is saved; the contents list the :func:`heading` flowables of the story, which
are known beforehand.
"""

from __future__ import annotations

import itertools
import os
import secrets
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any, TypeAlias
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    HRFlowable,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from integrationsmanager.domain.errors import UserError
from integrationsmanager.domain.privacy import PERSONAL_DATA_NOTICE
from integrationsmanager.reports.fonts import FONT, FONT_BOLD, register_fonts
from integrationsmanager.reports.palette import (
    ACCENT,
    HEADER_FILL,
    MUTED_TEXT,
    RULE,
    ZEBRA_FILL,
)
from integrationsmanager.reports.styles import CELL_LEADING, CELL_SIZE, report_styles
from integrationsmanager.reports.text import has_rtl, para_text, visual_order

DISTRICT = "Landkreis Altenburger Land"
OFFICE = "Integrationsmanagement"

MARGIN_X = 20 * mm
MARGIN_TOP = 26 * mm
MARGIN_BOTTOM = 22 * mm
PORTRAIT_WIDTH = A4[0] - 2 * MARGIN_X
"""Width of the text frame on a portrait page, in points."""
LANDSCAPE_WIDTH = A4[1] - 2 * MARGIN_X
"""Width of the text frame on a landscape page, in points."""

CELL_PADDING = 4
"""Left and right padding of table cells, in points."""

ProgressCallback = Callable[[int, int], bool]
"""Called with (done, total); returning False cancels the document."""

Cell: TypeAlias = "str | Badge | Flowable"
"""A table cell: text (wrapped and made safe here), a status badge or a ready flowable."""

_FOOTER_SIZE = 7.5
NOTICE_TEXT = "#9B2915"
"""Dark red of the personal-data notice (contrast 7:1 on white)."""
_PAGE_TOTAL = "page-total"
_CONTENTS_NUMBER_WIDTH = 12 * mm


class ReportCancelled(UserError):
    """The user stopped a document while it was being made; no file was written."""

    def __init__(self) -> None:
        super().__init__("Der Bericht wurde abgebrochen; es wurde keine Datei geschrieben.")


def format_date(value: date | None) -> str:
    """``dd.MM.yyyy``, or an empty string."""
    return value.strftime("%d.%m.%Y") if value else ""


@dataclass(frozen=True)
class DocumentInfo:
    """What the title page, the page headers and the PDF's metadata say about a document."""

    title: str
    subtitle: str = ""
    edition: str = ""
    """The guidelines edition the document is based on (the policy is a living document)."""
    issued: date = field(default_factory=date.today)
    details: tuple[tuple[str, str], ...] = ()
    """Further lines for the title page, as (label, value)."""
    personal_data: bool = False
    """The document names people: page one carries :data:`PERSONAL_DATA_NOTICE`."""


class Progress:
    """Reports a document's progress as (done, 100) to a callback that may cancel it.

    The first fifth is for collecting the content (:meth:`preparing`), the rest for laying out
    the pages (:meth:`laying_out`). The callback is called only when the number grows.
    """

    TOTAL = 100
    _PREPARED = 20

    def __init__(self, callback: ProgressCallback | None) -> None:
        self._callback = callback
        self._done = -1

    def preparing(self, done: int, total: int) -> None:
        """``done`` of ``total`` content items collected."""
        self._advance(self._PREPARED * done // max(total, 1))

    def laying_out(self, done: int, total: int) -> None:
        """``done`` of ``total`` flowables placed on pages."""
        share = self.TOTAL - 1 - self._PREPARED
        self._advance(self._PREPARED + share * done // max(total, 1))

    def finished(self) -> None:
        self._advance(self.TOTAL)

    def _advance(self, done: int) -> None:
        if done <= self._done:
            return
        self._done = done
        if self._callback is not None and self._callback(done, self.TOTAL) is False:
            raise ReportCancelled()


# --- writing ---------------------------------------------------------------------------------


def check_target(path: Path) -> None:
    """Raise a :class:`UserError` unless ``path`` can become a PDF file."""
    if path.suffix.lower() != ".pdf":
        raise UserError(
            f"„{path.name}“ ist kein PDF-Dateiname: Bitte einen Namen mit der Endung .pdf angeben."
        )
    if path.is_dir():
        raise UserError(f"„{path}“ ist ein Ordner; bitte einen Dateinamen angeben.")
    if not path.parent.is_dir():
        raise UserError(f"Den Ordner „{path.parent}“ gibt es nicht.")


@contextmanager
def atomic_pdf(path: Path) -> Iterator[str]:
    """Yield a temporary file name beside ``path``; rename it to ``path`` on success.

    On any error (cancellation included) the temporary file is removed, so neither a
    half-written PDF nor a stale temporary file is left behind, and an existing ``path`` is
    kept unchanged.
    """
    check_target(path)
    temporary = path.with_name(f".{path.stem}.{secrets.token_hex(4)}.pdf.tmp")
    try:
        with temporary.open("xb"):
            pass
    except OSError as err:
        raise UserError(
            f"In den Ordner „{path.parent}“ kann nicht geschrieben werden ({err.strerror})."
        ) from err
    try:
        yield str(temporary)
        try:
            os.replace(temporary, path)
        except OSError as err:
            raise UserError(
                f"„{path.name}“ kann nicht geschrieben werden ({err.strerror}). "
                "Ist die Datei noch in einem anderen Programm geöffnet?"
            ) from err
    finally:
        temporary.unlink(missing_ok=True)


def build_pdf(
    target: str,
    info: DocumentInfo,
    story: list[Flowable],
    *,
    progress: Progress | None = None,
) -> int:
    """Lay out ``story`` into the file ``target``; returns the number of pages."""
    document = ReportDocument(target, info, progress)
    document.build_story(story)
    if progress is not None:
        progress.finished()
    return document.page


# --- the page frame --------------------------------------------------------------------------


class Heading(Paragraph):
    """A heading that becomes a PDF bookmark and, with ``toc_level``, a contents entry.

    A ``section`` heading starts a block that ends with :func:`section_end`; a page that
    continues such a block names it under the page header ("Fortsetzung: …").
    """

    _keys = itertools.count(1)

    def __init__(
        self,
        text: str,
        style: Any,
        *,
        toc_level: int | None = 0,
        outline_level: int | None = 0,
        section: bool = False,
    ) -> None:
        markup = para_text(
            text, width=PORTRAIT_WIDTH, font_name=style.fontName, font_size=style.fontSize
        )
        super().__init__(markup, style)
        self.plain = text
        self.toc_level = toc_level
        self.outline_level = outline_level
        self.section = section
        self.key = f"heading-{next(self._keys)}"

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """Never split a heading over two pages: move it whole to the next one."""
        return []

    def draw(self) -> None:
        super().draw()
        self.canv.bookmarkHorizontal(self.key, 0, self.height)


class _SectionEnd(Flowable):
    """Invisible: the block begun by a section heading ends here."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        """Nothing to draw."""


class _ContentsPlaceholder(Flowable):
    """Where the contents go; :meth:`ReportDocument.build_story` replaces it with the lines."""


class _ContentsLine(Flowable):
    """One entry of the contents: linked text, dotted leader, page number (a form)."""

    def __init__(self, heading: Heading, style: ParagraphStyle, number_form: str) -> None:
        super().__init__()
        self._key = heading.key
        self._text = heading.plain
        self._style = style
        self._number_form = number_form
        self._paragraph: Paragraph | None = None

    def getSpaceBefore(self) -> float:
        return float(self._style.spaceBefore)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        room = availWidth - _CONTENTS_NUMBER_WIDTH
        style = self._style
        markup = para_text(
            self._text, width=room, font_name=style.fontName, font_size=style.fontSize
        )
        self._paragraph = Paragraph(markup, style)
        _, self.height = self._paragraph.wrap(room, availHeight)
        return self.width, self.height

    def draw(self) -> None:
        assert self._paragraph is not None, "wrap() comes first"
        canvas = self.canv
        self._paragraph.drawOn(canvas, 0, 0)
        ends = self._paragraph.getActualLineWidths0()
        baseline = _first_baseline(self._style, self.height) - (len(ends) - 1) * self._style.leading
        digits = pdfmetrics.stringWidth("000", self._style.fontName, self._style.fontSize)
        dots_from, dots_to = ends[-1] + 6, self.width - digits - 6
        canvas.saveState()
        if dots_to > dots_from:
            canvas.setStrokeColor(HexColor(MUTED_TEXT))
            canvas.setLineCap(1)
            canvas.setLineWidth(0.9)
            canvas.setDash([0, 3.5])
            canvas.line(dots_from, baseline + 1, dots_to, baseline + 1)
        canvas.translate(self.width, baseline)
        canvas.doForm(self._number_form)
        canvas.restoreState()
        canvas.linkRect("", self._key, (0, 0, self.width, self.height), relative=1)


def _first_baseline(style: ParagraphStyle, height: float) -> float:
    """Where reportlab puts the first baseline of a paragraph ``height`` points high."""
    if rl_config.paraFontSizeHeightOffset:
        return height - style.fontSize
    return height - pdfmetrics.getAscent(style.fontName, style.fontSize)


@dataclass(frozen=True)
class _NumberForm:
    """A number drawn at save time: a heading's page (``key``) or the page total (None)."""

    key: str | None
    font_name: str
    font_size: float
    colour: str
    right_aligned: bool


class _NumberingCanvas(Canvas):
    """A canvas that fills in the number forms of its document when it is saved."""

    def __init__(self, *args: Any, document: ReportDocument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._document = document

    def save(self) -> None:
        document = self._document
        for name, form in document.number_forms.items():
            number = document.page if form.key is None else document.heading_pages.get(form.key)
            text = str(number) if number is not None else "?"
            self.beginForm(name, lowerx=-100, lowery=-20, upperx=100, uppery=40)
            self.setFont(form.font_name, form.font_size)
            self.setFillColor(HexColor(form.colour))
            if form.right_aligned:
                self.drawRightString(0, 0, text)
            else:
                self.drawString(0, 0, text)
            self.endForm()
        super().save()


class ReportDocument(BaseDocTemplate):
    """A4 pages with header and footer; templates ``portrait`` (first) and ``landscape``."""

    def __init__(self, target: str, info: DocumentInfo, progress: Progress | None = None) -> None:
        register_fonts()
        super().__init__(
            target,
            pagesize=A4,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=info.title,
            subject=info.subtitle,
            author=f"{DISTRICT} – {OFFICE}",
            creator="Integrationsmanager",
            lang="de-DE",
            displayDocTitle=1,
            initialFontName=FONT,
            initialFontSize=10,
            initialLeading=12,
        )
        self.info = info
        self.heading_pages: dict[str, int] = {}
        """The page of each heading laid out so far, by key."""
        self.number_forms: dict[str, _NumberForm] = {
            _PAGE_TOTAL: _NumberForm(None, FONT, _FOOTER_SIZE, MUTED_TEXT, right_aligned=False)
        }
        self._progress = progress
        self._flowables = 0
        self._outline_level = -1
        self._continued: str | None = None
        """The title of the section the next page continues, if any."""
        self.addPageTemplates(
            [
                self._template("portrait", A4),
                self._template("landscape", landscape(A4)),
            ]
        )
        if progress is not None:
            self.setProgressCallBack(self._on_progress)

    def _template(self, name: str, size: tuple[float, float]) -> PageTemplate:
        frame = Frame(
            MARGIN_X,
            MARGIN_BOTTOM,
            size[0] - 2 * MARGIN_X,
            size[1] - MARGIN_TOP - MARGIN_BOTTOM,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id=name,
        )
        return PageTemplate(id=name, frames=[frame], onPage=self._decorate, pagesize=size)

    def build_story(self, story: list[Flowable]) -> None:
        """Lay out ``story`` in one pass; contents list its top-level headings."""
        entries = [f for f in story if isinstance(f, Heading) and f.toc_level is not None]
        expanded: list[Flowable] = []
        for flowable in story:
            if isinstance(flowable, _ContentsPlaceholder):
                expanded += [self._contents_line(heading) for heading in entries]
            else:
                expanded.append(flowable)
        self.build(expanded, canvasmaker=partial(_NumberingCanvas, document=self))

    def _contents_line(self, heading: Heading) -> _ContentsLine:
        levels = report_styles().toc
        style = levels[min(heading.toc_level or 0, len(levels) - 1)]
        name = f"page-of-{heading.key}"
        self.number_forms[name] = _NumberForm(
            heading.key, style.fontName, style.fontSize, "#000000", right_aligned=True
        )
        return _ContentsLine(heading, style, name)

    def beforeDocument(self) -> None:
        self.canv.showOutline()

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, _SectionEnd):
            self._continued = None
        if not isinstance(flowable, Heading):
            return
        self.heading_pages[flowable.key] = self.page
        if flowable.section:
            self._continued = flowable.plain
        if flowable.outline_level is not None:
            level = min(flowable.outline_level, self._outline_level + 1)
            self.canv.addOutlineEntry(flowable.plain, flowable.key, level=level, closed=level > 0)
            self._outline_level = level

    def _on_progress(self, kind: str, value: int) -> None:
        assert self._progress is not None
        if kind == "SIZE_EST":
            self._flowables = value
        elif kind == "PROGRESS":
            self._progress.laying_out(value, self._flowables)

    def _decorate(self, canvas: Canvas, document: BaseDocTemplate) -> None:
        width, height = self.pageTemplate.pagesize
        right = width - MARGIN_X
        header_y = height - 17 * mm
        footer_y = MARGIN_BOTTOM - 10 * mm
        canvas.saveState()
        canvas.setStrokeColor(HexColor(RULE))
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, header_y - 2.5 * mm, right, header_y - 2.5 * mm)
        canvas.line(MARGIN_X, footer_y + 4 * mm, right, footer_y + 4 * mm)
        canvas.setFillColor(HexColor(MUTED_TEXT))
        office = f"{DISTRICT} · {OFFICE}"
        canvas.setFont(FONT_BOLD, _FOOTER_SIZE)
        canvas.drawString(MARGIN_X, header_y, office)
        canvas.setFont(FONT, _FOOTER_SIZE)
        room = right - MARGIN_X - pdfmetrics.stringWidth(office, FONT_BOLD, _FOOTER_SIZE) - 10 * mm
        canvas.drawRightString(right, header_y, _fit(self.info.title, room, FONT, _FOOTER_SIZE))
        if self.info.personal_data and document.page == 1:
            canvas.setFillColor(HexColor(NOTICE_TEXT))
            canvas.drawString(
                MARGIN_X,
                header_y - 6 * mm,
                _fit(PERSONAL_DATA_NOTICE, right - MARGIN_X, FONT, _FOOTER_SIZE),
            )
            canvas.setFillColor(HexColor(MUTED_TEXT))
        elif self._continued is not None:
            text = f"Fortsetzung: {self._continued}"
            canvas.drawString(
                MARGIN_X, header_y - 6 * mm, _fit(text, right - MARGIN_X, FONT, _FOOTER_SIZE)
            )
        canvas.drawRightString(right, footer_y, f"Stand: {format_date(self.info.issued)}")
        page = f"Seite {document.page} von "
        canvas.drawString(MARGIN_X, footer_y, page)
        canvas.translate(MARGIN_X + pdfmetrics.stringWidth(page, FONT, _FOOTER_SIZE), footer_y)
        canvas.doForm(_PAGE_TOTAL)
        canvas.restoreState()


def _fit(text: str, width: float, font_name: str, size: float) -> str:
    """One line for the canvas, shortened with "…" to ``width`` points."""
    if pdfmetrics.stringWidth(text, font_name, size) > width:
        while text and pdfmetrics.stringWidth(text + "…", font_name, size) > width:
            text = text[:-1]
        text = text.rstrip() + "…"
    return visual_order(text, font_name) if has_rtl(text) else text


# --- building blocks of a story --------------------------------------------------------------


def paragraph(text: str, style: Any = None, *, width: float = PORTRAIT_WIDTH) -> Paragraph:
    """User ``text`` as a paragraph ``width`` points wide (escaped, right-to-left safe)."""
    style = style or report_styles().body
    available = width - style.leftIndent - style.rightIndent
    return Paragraph(
        para_text(text, width=available, font_name=style.fontName, font_size=style.fontSize),
        style,
    )


def heading(text: str, level: int = 0, *, toc: bool = True, section: bool = False) -> Heading:
    """A heading (level 0 or 1) that is bookmarked and, if ``toc``, listed in the contents.

    With ``section`` it starts a block (e.g. one measure) to be closed by :func:`section_end`.
    """
    styles = report_styles()
    style = styles.h1 if level == 0 else styles.h2
    return Heading(
        text, style, toc_level=level if toc else None, outline_level=level, section=section
    )


def section_end() -> Flowable:
    """Close the block begun by the last ``section`` heading."""
    return _SectionEnd()


def title_page(info: DocumentInfo) -> list[Flowable]:
    """The first page: district, office, title, subtitle, date, guidelines edition, details."""
    styles = report_styles()
    rows: list[Sequence[tuple[str, Cell]]] = [[("Stand", format_date(info.issued))]]
    if info.edition:
        rows.append([("Leitlinien-Fassung", info.edition)])
    rows.extend([(label, value)] for label, value in info.details)
    story: list[Flowable] = [
        Spacer(1, 30 * mm),
        Paragraph(DISTRICT, styles.district),
        Paragraph(OFFICE, styles.office),
        Spacer(1, 30 * mm),
        paragraph(info.title, styles.title),
        HRFlowable(width="100%", thickness=2, color=HexColor(ACCENT), spaceBefore=4, spaceAfter=8),
    ]
    if info.subtitle:
        story.append(paragraph(info.subtitle, styles.subtitle))
    story += [Spacer(1, 20 * mm), field_table(rows), PageBreak()]
    return story


def contents(title: str = "Inhalt") -> list[Flowable]:
    """A contents page listing the story's top-level headings made with ``toc=True``."""
    styles = report_styles()
    return [Heading(title, styles.h1, toc_level=None), _ContentsPlaceholder(), PageBreak()]


def landscape_pages() -> list[Flowable]:
    """Continue on a new landscape page (for wide tables)."""
    return [NextPageTemplate("landscape"), PageBreak()]


def portrait_pages() -> list[Flowable]:
    """Continue on a new portrait page."""
    return [NextPageTemplate("portrait"), PageBreak()]


@dataclass(frozen=True)
class Badge:
    """A status in a table: its label with its colour (never colour alone).

    In a header row the colour underlines the cell, elsewhere a square in the colour
    precedes the label.
    """

    label: str
    colour: str


def text_width(text: str, *, bold: bool = False, size: float = CELL_SIZE) -> float:
    """Width of one line of ``text`` in the document font, in points."""
    register_fonts()
    return pdfmetrics.stringWidth(text, FONT_BOLD if bold else FONT, size)


def _cell(value: Cell, width: float, style: Any) -> Flowable | str:
    """A table cell's content; ``width`` is the room inside the padding.

    Text that fits on one line stays a plain string, which the table draws itself (with the
    FONT and ALIGN of its style, matching ``style``) far faster than a paragraph; longer or
    right-to-left text becomes a wrapped paragraph.
    """
    if isinstance(value, Badge):
        return Paragraph(f'<font color="{value.colour}">■</font>\u00a0{escape(value.label)}', style)
    if not isinstance(value, str):
        return value
    if (
        "\n" not in value
        and not has_rtl(value)
        and pdfmetrics.stringWidth(value, style.fontName, style.fontSize) <= width
    ):
        return value
    text = para_text(value, width=width, font_name=style.fontName, font_size=style.fontSize)
    return Paragraph(text, style)


class _DataTable(Table):
    """A table whose continuation after a page break starts at the top of a page.

    Reportlab splits a table between rows first and then offers the rest to the space left
    on the same page, where the rest, split within its first row, would draw the repeated
    header a second time in the middle of the page. The rest waits for the next page instead.
    """

    continued = False

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        frame = getattr(self, "_frame", None)
        if self.continued and frame is not None and not frame._atTop:
            return []
        parts: list[Flowable] = super().split(availWidth, availHeight)
        if len(parts) == 2 and isinstance(parts[1], _DataTable):
            parts[1].continued = True
        return parts


def _base_commands() -> list[tuple[Any, ...]]:
    return [
        ("FONT", (0, 0), (-1, -1), FONT, CELL_SIZE, CELL_LEADING),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]


def data_table(
    header: Sequence[Cell],
    rows: Sequence[Sequence[Cell]],
    col_widths: Sequence[float],
    *,
    numeric: Sequence[int] = (),
    total_row: bool = False,
) -> Table:
    """A table that breaks across pages and repeats its header row on each.

    Long text is wrapped (right-to-left safe); ``numeric`` columns (indexes) are
    right-aligned. With ``total_row`` the last row is set in bold below a rule. A
    :class:`Badge` shows a status with its colour.
    """
    styles = report_styles()
    inner = [w - 2 * CELL_PADDING for w in col_widths]
    last = len(rows) - 1

    def style(column: int, bold: bool) -> ParagraphStyle:
        if column in numeric:
            return styles.cell_header_right if bold else styles.cell_right
        return styles.cell_header if bold else styles.cell

    data = [
        [
            _cell(v.label if isinstance(v, Badge) else v, inner[c], style(c, True))
            for c, v in enumerate(header)
        ]
    ]
    data += [
        [_cell(v, inner[c], style(c, total_row and r == last)) for c, v in enumerate(row)]
        for r, row in enumerate(rows)
    ]
    commands = [
        *_base_commands(),
        ("FONT", (0, 0), (-1, 0), FONT_BOLD, CELL_SIZE, CELL_LEADING),
        ("BACKGROUND", (0, 0), (-1, 0), HexColor(HEADER_FILL)),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, HexColor(ACCENT)),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, HexColor(RULE)),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [None, HexColor(ZEBRA_FILL)]),
    ]
    commands += [("ALIGN", (c, 0), (c, -1), "RIGHT") for c in numeric]
    commands += [
        ("LINEBELOW", (c, 0), (c, 0), 3, HexColor(v.colour), 0)
        for c, v in enumerate(header)
        if isinstance(v, Badge)
    ]
    if total_row and rows:
        commands += [
            ("FONT", (0, -1), (-1, -1), FONT_BOLD, CELL_SIZE, CELL_LEADING),
            ("LINEABOVE", (0, -1), (-1, -1), 0.8, HexColor(ACCENT)),
            ("BACKGROUND", (0, -1), (-1, -1), HexColor(HEADER_FILL)),
        ]
    return _DataTable(
        data,
        colWidths=list(col_widths),
        repeatRows=1,
        splitInRow=1,
        style=TableStyle(commands),
        hAlign="LEFT",
    )


def field_table(
    rows: Sequence[Sequence[tuple[str, Cell]]],
    *,
    width: float = PORTRAIT_WIDTH,
    label_width: float | None = None,
) -> Table:
    """Labelled values, one or two (label, value) pairs a row; a single value spans the row.

    Labels are set in bold on one line; by default the label columns are as wide as the
    longest label.
    """
    styles = report_styles()
    if label_width is None:
        longest = max((text_width(label, bold=True) for row in rows for label, _ in row), default=0)
        label_width = longest + 2 * CELL_PADDING + 2
    value_width = (width - 2 * label_width) / 2
    half = value_width - 2 * CELL_PADDING
    whole = width - label_width - 2 * CELL_PADDING
    data: list[list[Flowable | str]] = []
    commands = [
        *_base_commands(),
        ("FONT", (0, 0), (0, -1), FONT_BOLD, CELL_SIZE, CELL_LEADING),
        ("FONT", (2, 0), (2, -1), FONT_BOLD, CELL_SIZE, CELL_LEADING),
        ("TEXTCOLOR", (0, 0), (0, -1), HexColor(MUTED_TEXT)),
        ("TEXTCOLOR", (2, 0), (2, -1), HexColor(MUTED_TEXT)),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, HexColor(RULE)),
    ]
    for r, pairs in enumerate(rows):
        if len(pairs) == 1:
            label, value = pairs[0]
            data.append([label, _cell(value, whole, styles.cell), "", ""])
            commands.append(("SPAN", (1, r), (3, r)))
        else:
            (label, value), (label2, value2) = pairs
            data.append(
                [label, _cell(value, half, styles.cell), label2, _cell(value2, half, styles.cell)]
            )
    return Table(
        data,
        colWidths=[label_width, value_width, label_width, value_width],
        style=TableStyle(commands),
        hAlign="LEFT",
        splitInRow=1,
    )
