"""The shared document frame: pages, contents, tables, fonts, safe writing, progress."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak

from integrationsmanager.domain.errors import UserError
from integrationsmanager.reports.document import (
    LANDSCAPE_WIDTH,
    PORTRAIT_WIDTH,
    Badge,
    DocumentInfo,
    Progress,
    ReportCancelled,
    atomic_pdf,
    build_pdf,
    contents,
    data_table,
    field_table,
    heading,
    landscape_pages,
    paragraph,
    portrait_pages,
    section_end,
    title_page,
)
from integrationsmanager.reports.palette import STATUS_COLOURS, status_colour
from tests.reports.pdfcheck import comparable, font_problems, page_texts

INFO = DocumentInfo(
    title="Testbericht",
    subtitle="Nur ein Test",
    edition="Leitlinien, Fortschreibung 2025",
    issued=date(2025, 3, 7),
    details=(("Umfang", "drei Abschnitte"),),
)


def _story() -> list[Flowable]:
    rows = [[f"{i:03d}", f"Zeile {i} mit längerem Text " * 3, str(i)] for i in range(120)]
    return [
        *title_page(INFO),
        *contents(),
        heading("Abschnitt A"),
        paragraph("Erster Abschnitt."),
        data_table(
            ["Nummer", "Beschreibung", "Wert"],
            rows,
            [20 * mm, PORTRAIT_WIDTH - 45 * mm, 25 * mm],
            numeric=(2,),
        ),
        *landscape_pages(),
        heading("Abschnitt B"),
        data_table(["Breit", "Tabelle"], [["a", "b"]], [LANDSCAPE_WIDTH / 2] * 2),
        *portrait_pages(),
        heading("Abschnitt C"),
        heading("Ein Block", level=1, toc=False, section=True),
        *[paragraph(f"Absatz {i}. " + "Text " * 60) for i in range(25)],
        section_end(),
    ]


def _write(path: Path, story: list[Flowable], progress: Progress | None = None) -> int:
    with atomic_pdf(path) as target:
        return build_pdf(target, INFO, story, progress=progress)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    path = tmp_path_factory.mktemp("document") / "test.pdf"
    pages = _write(path, _story())
    return path, pages


def _page_of(texts: list[str], needle: str, start: int = 2) -> int:
    """1-based number of the first page from ``start`` on that contains ``needle``."""
    return next(i + 1 for i, text in enumerate(texts) if i + 1 >= start and needle in text)


def test_every_page_has_header_footer_and_total(sample: tuple[Path, int]) -> None:
    path, pages = sample
    texts = page_texts(path)
    assert len(texts) == pages > 5
    for number, text in enumerate(texts, start=1):
        assert "Landkreis Altenburger Land · Integrationsmanagement" in text
        assert "Stand: 07.03.2025" in text
        assert re.search(rf"Seite {number} von\s*{pages}\b", text), text


def test_title_page_names_title_date_and_guidelines_edition(sample: tuple[Path, int]) -> None:
    first = page_texts(sample[0])[0]
    for expected in (
        "Testbericht",
        "Nur ein Test",
        "Landkreis Altenburger Land",
        "Integrationsmanagement",
        "07.03.2025",
        "Leitlinien, Fortschreibung 2025",
        "drei Abschnitte",
    ):
        assert expected in first


def test_contents_give_the_right_pages(sample: tuple[Path, int]) -> None:
    texts = page_texts(sample[0])
    toc = texts[1]
    assert "Inhalt" in toc
    for title in ("Abschnitt A", "Abschnitt B", "Abschnitt C"):
        page = _page_of(texts, title, start=3)
        assert re.search(rf"{title}\s*{page}\b", toc), (title, page, toc)
    assert "Ein Block" not in toc


def test_outline_has_the_headings(sample: tuple[Path, int]) -> None:
    titles = [entry["/Title"] for entry in PdfReader(sample[0]).outline if isinstance(entry, dict)]
    assert titles[:4] == ["Inhalt", "Abschnitt A", "Abschnitt B", "Abschnitt C"]


def test_long_table_repeats_its_header(sample: tuple[Path, int]) -> None:
    with_rows = [t for t in page_texts(sample[0]) if "Zeile" in t]
    assert len(with_rows) >= 3
    for text in with_rows:
        assert "Nummer" in text and "Beschreibung" in text and "Wert" in text


def test_landscape_and_portrait_pages(sample: tuple[Path, int]) -> None:
    path = sample[0]
    reader = PdfReader(path)
    texts = page_texts(path)
    wide = _page_of(texts, "Abschnitt B", start=3)
    box = reader.pages[wide - 1].mediabox
    assert box.width > box.height
    after = reader.pages[_page_of(texts, "Abschnitt C", start=3) - 1].mediabox
    assert after.width < after.height


def test_continued_block_is_named_on_the_next_page(sample: tuple[Path, int]) -> None:
    texts = page_texts(sample[0])
    start = _page_of(texts, "Ein Block", start=3)
    assert "Fortsetzung: Ein Block" in texts[start]
    assert not any("Fortsetzung" in t for t in texts[:start])


def test_all_fonts_are_embedded_and_none_is_helvetica(sample: tuple[Path, int]) -> None:
    assert font_problems(sample[0]) == []


def test_metadata(sample: tuple[Path, int]) -> None:
    reader = PdfReader(sample[0])
    assert reader.metadata is not None
    assert reader.metadata.title == "Testbericht"
    assert reader.root_object["/Lang"] == "de-DE"


def test_field_table_and_badge(tmp_path: Path) -> None:
    path = tmp_path / "felder.pdf"
    table = field_table(
        [
            [("Status", Badge("laufend", "#0072B2")), ("Priorität", "hoch")],
            [("Partner", "Ein sehr langer Name einer Organisation " * 6)],
        ]
    )
    _write(path, [heading("Felder"), table])
    text = comparable(page_texts(path)[0])
    assert "laufend" in text and "Priorität" in text and "Partner" in text
    assert font_problems(path) == []


def test_failed_build_leaves_no_file_and_keeps_the_old_one(tmp_path: Path) -> None:
    path = tmp_path / "bericht.pdf"
    path.write_bytes(b"alt")
    with pytest.raises(RuntimeError), atomic_pdf(path):
        raise RuntimeError("kaputt")
    assert path.read_bytes() == b"alt"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bericht.pdf"]


def test_progress_rises_to_the_total(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []

    def record(done: int, total: int) -> bool:
        seen.append((done, total))
        return True

    _write(tmp_path / "p.pdf", _story(), Progress(record))
    done = [d for d, _ in seen]
    assert done == sorted(done) and len(set(done)) == len(done)
    assert seen[-1] == (100, 100)
    assert {t for _, t in seen} == {100}


def test_cancelled_while_laying_out_leaves_no_file(tmp_path: Path) -> None:
    path = tmp_path / "abbruch.pdf"
    with pytest.raises(ReportCancelled):
        _write(path, _story(), Progress(lambda done, total: done < 50))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["bericht.txt", "bericht", "bericht.pdf.bak"])
def test_target_must_be_a_pdf(tmp_path: Path, name: str) -> None:
    with pytest.raises(UserError, match=r"\.pdf"):
        _write(tmp_path / name, [paragraph("x")])


def test_target_folder_must_exist(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="gibt es nicht"):
        _write(tmp_path / "fehlt" / "bericht.pdf", [paragraph("x")])


def test_target_folder_must_be_writable() -> None:
    folder = Path("/proc")
    if not folder.is_dir():
        pytest.skip("needs /proc (Linux): a folder nobody may write, not even root")
    with pytest.raises(UserError, match="kann nicht geschrieben werden"):
        _write(folder / "bericht.pdf", [paragraph("x")])


def test_status_palette_covers_every_status() -> None:
    from integrationsmanager.domain.enums import MeasureStatus

    assert set(STATUS_COLOURS) == {s.value for s in MeasureStatus}
    assert len(set(STATUS_COLOURS.values())) == len(STATUS_COLOURS)
    assert all(re.fullmatch(r"#[0-9A-F]{6}", c) for c in STATUS_COLOURS.values())
    assert status_colour(MeasureStatus.RUNNING) == STATUS_COLOURS["running"]


def test_page_break_only_document_still_has_fonts_embedded(tmp_path: Path) -> None:
    path = tmp_path / "leer.pdf"
    _write(path, [paragraph("Nur eine Zeile."), PageBreak(), paragraph("Noch eine.")])
    assert font_problems(path) == []
    assert len(page_texts(path)) == 2
