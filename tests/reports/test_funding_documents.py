"""The funding documents (Förderübersicht, recipient summary, draft decision), read back."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.graphics import renderPDF
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from sqlalchemy import select
from sqlalchemy.orm import Session

from integrationsmanager.domain.common import Guideline, Setting
from integrationsmanager.domain.enums import GrantStatus, PaymentStatus
from integrationsmanager.domain.errors import UserError
from integrationsmanager.domain.funding import FundingProgram, Grant, Payment, ProgramBudget
from integrationsmanager.reports.charts import Series, bar_chart, euro_axis
from integrationsmanager.reports.decision import write_decision_letter
from integrationsmanager.reports.document import ReportCancelled
from integrationsmanager.reports.grants import write_grant_summary, write_recipient_summary
from integrationsmanager.services.organisations import new_organisation
from tests.reports.pdfcheck import comparable, font_problems, letters, page_layouts, page_texts

CYRILLIC_ORG = "Громада Altenburg e.V."
ARABIC_ORG = "جمعية الجسر للاندماج"


def make_funding(session: Session) -> dict[str, int]:
    """Two programmes with 2026 budgets and grants in 2025 and 2026; returns ids by name.

    Amounts have odd cents so a rounding or float error in a total would show.
    """
    guidelines = {g.number: g for g in session.scalars(select(Guideline))}
    social = FundingProgram(
        name="Integrationsfonds Beratung", short_code="SozB", legal_basis="Richtlinie 2026"
    )
    micro = FundingProgram(name="Kleinstförderung Vereine", short_code="KF", funding_kind="share")
    social.budgets = [ProgramBudget(year=2026, amount_cents=52_406_250)]
    micro.budgets = [ProgramBudget(year=2026, amount_cents=2_500_000)]
    cyrillic = new_organisation(CYRILLIC_ORG)
    cyrillic.street, cyrillic.postcode, cyrillic.city = "Markt 1", "04600", "Altenburg"
    arabic = new_organisation(ARABIC_ORG)
    arabic.street, arabic.postcode, arabic.city = "Burgstraße 3", "04626", "Schmölln"
    session.add_all([social, micro, cyrillic, arabic])
    rows = [
        # file number, programme, year, recipient, requested, approved, paid, status, guidelines
        ("SozB-2026-001", social, 2026, cyrillic, 4_800_01, 4_500_33, [2_250_17], "paying", [1, 2]),
        ("SozB-2026-002", social, 2026, arabic, 12_000_00, 11_999_99, [], "approved", [3]),
        ("KF-2026-001", micro, 2026, arabic, 950_50, 900_07, [900_07], "closed", []),
        ("KF-2026-002", micro, 2026, cyrillic, 700_00, None, [], "in_review", [1]),
        ("KF-2025-001", micro, 2025, cyrillic, 1_000_00, 999_99, [999_99], "closed", [1]),
    ]
    ids: dict[str, int] = {}
    for number, program, year, recipient, requested, approved, paid, status, numbers in rows:
        grant = Grant(
            file_number=number,
            program=program,
            budget_year=year,
            recipient=recipient,
            project_title=f"Projekt {number}",
            requested_cents=requested,
            approved_cents=approved,
            status=status,
            received_on=date(year, 1, 15),
            decided_on=date(year, 2, 20) if approved else None,
            period_start=date(year, 1, 1),
            period_end=date(year, 12, 31),
            total_cost_cents=requested + 100_000,
            own_contribution_cents=50_000,
        )
        grant.guidelines = [guidelines[n] for n in numbers]
        grant.payments = [
            Payment(amount_cents=a, paid_on=date(year, 3, 1), status=PaymentStatus.PAID)
            for a in paid
        ]
        if number == "SozB-2026-001":
            grant.payments.append(
                Payment(amount_cents=2_250_16, due_on=date(year, 9, 1), status="planned")
            )
        session.add(grant)
        session.flush()
        ids[number] = grant.id
    ids["cyrillic"] = cyrillic.id
    ids["arabic"] = arabic.id
    ids["micro"] = micro.id
    return ids


@pytest.fixture
def funding(session: Session) -> dict[str, int]:
    return make_funding(session)


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "berichte"
    folder.mkdir()
    return folder


def _approved_sum(session: Session, year: int) -> Decimal:
    """The approved amounts of ``year``, added up independently as Decimal euros."""
    grants = session.scalars(select(Grant).where(Grant.budget_year == year))
    return sum((Decimal(g.approved_cents or 0) / 100 for g in grants), Decimal("0"))


def _euro(amount: Decimal) -> str:
    whole, cents = f"{amount:.2f}".split(".")
    return f"{int(whole):,}".replace(",", ".") + f",{cents} €"


def test_summary_totals_to_the_cent(session: Session, funding: dict[str, int], out: Path) -> None:
    path = out / "foerderung.pdf"
    assert write_grant_summary(session, path, year=2026) == 4
    texts = [comparable(t) for t in page_texts(path)]
    whole = "\n".join(texts)
    expected = _euro(_approved_sum(session, 2026))
    assert expected == "17.400,39 €"
    layouts = [comparable(t) for t in page_layouts(path)]
    table_pages = [t for t in layouts if "SozB-2026-001" in t and "Aktenzeichen" in t]
    assert table_pages
    summe = [line for line in table_pages[-1].splitlines() if line.strip().startswith("Summe")]
    assert summe and expected in summe[-1]
    # The 2025 grant is not counted, nor its amount.
    assert "KF-2025-001" not in whole
    assert "Förderübersicht 2026" in texts[0] and "Haushaltsjahr 2026" in texts[0]


def test_summary_names_programmes_guidelines_and_recipients(
    session: Session, funding: dict[str, int], out: Path
) -> None:
    path = out / "foerderung.pdf"
    write_grant_summary(session, path, year=2026)
    whole = comparable("\n".join(page_texts(path)))
    for number in ("SozB-2026-001", "SozB-2026-002", "KF-2026-001", "KF-2026-002"):
        assert number in whole
    assert CYRILLIC_ORG in whole
    assert letters(ARABIC_ORG) in letters(whole)
    assert "Integrationsfonds Beratung" in whole and "Kleinstförderung Vereine" in whole
    # The chart's figures are printed beside it: budgets and paid amounts.
    assert "524.062,50 €" in whole and "2.250,17 €" in whole
    # A grant under two guidelines counts under each; the text says so.
    assert "zählt unter jeder" in whole
    assert "ohne Zuordnung zu einer Leitlinie" in whole
    assert "in Prüfung" in whole


def test_summary_table_is_landscape_and_fonts_embedded(
    session: Session, funding: dict[str, int], out: Path
) -> None:
    path = out / "foerderung.pdf"
    write_grant_summary(session, path, year=2026)
    reader = PdfReader(path)
    sizes = [
        (round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages
    ]
    table_page = next(
        i
        for i, p in enumerate(reader.pages)
        if "SozB-2026-002" in p.extract_text() and "Aktenzeichen" in p.extract_text()
    )
    assert sizes[table_page] == (round(A4[1]), round(A4[0]))
    assert sizes[0] == (round(A4[0]), round(A4[1]))
    assert font_problems(path) == []


def test_summary_of_one_programme_and_of_an_empty_year(
    session: Session, funding: dict[str, int], out: Path
) -> None:
    path = out / "kf.pdf"
    assert write_grant_summary(session, path, year=2026, program_id=funding["micro"]) == 2
    whole = comparable("\n".join(page_texts(path)))
    assert "KF-2026-001" in whole and "SozB-2026-001" not in whole
    empty = out / "leer.pdf"
    assert write_grant_summary(session, empty, year=2030) == 0
    assert "keine Zuwendungen" in "\n".join(page_texts(empty))
    with pytest.raises(UserError):
        write_grant_summary(session, out / "x.pdf", year=2026, program_id=9999)


def test_summary_can_be_cancelled(session: Session, funding: dict[str, int], out: Path) -> None:
    path = out / "foerderung.pdf"
    with pytest.raises(ReportCancelled):
        write_grant_summary(session, path, year=2026, progress=lambda done, total: done < 30)
    assert not path.exists()
    assert list(out.iterdir()) == []


def test_recipient_summary_lists_all_years(
    session: Session, funding: dict[str, int], out: Path
) -> None:
    path = out / "empfaenger.pdf"
    assert write_recipient_summary(session, path, organisation_id=funding["cyrillic"]) == 3
    whole = comparable("\n".join(page_layouts(path)))
    assert CYRILLIC_ORG in whole and "Markt 1" in whole
    assert "KF-2025-001" in whole and "SozB-2026-001" in whole
    assert "SozB-2026-002" not in whole
    # 4.500,33 + 999,99 (the grant in review has no approved amount).
    assert re.search(r"Summe .*3 Zuwendungen.*5\.500,32 €", whole)
    assert font_problems(path) == []


def test_decision_letter_uses_the_letterhead_settings(
    session: Session, funding: dict[str, int], out: Path
) -> None:
    session.add_all(
        [
            Setting(key="office.authority", value="Landratsamt Altenburger Land"),
            Setting(key="office.department", value="Fachdienst Integration"),
            Setting(key="office.contact_name", value="Maria Schulze"),
            Setting(key="office.contact_phone", value="03447 586-412"),
            Setting(key="office.contact_email", value="integration@altenburgerland.de"),
        ]
    )
    session.flush()
    path = out / "bescheid.pdf"
    pages = write_decision_letter(session, path, grant_id=funding["SozB-2026-001"])
    texts = [comparable(t) for t in page_texts(path)]
    assert pages == len(texts)
    whole = "\n".join(texts)
    first = texts[0]
    assert "Entwurf" in first and "ENTWURF" in first
    for value in (
        "Fachdienst Integration",
        "Maria Schulze",
        "03447 586-412",
        "integration@altenburgerland.de",
        "Lindenaustraße 9, 04600 Altenburg",  # the default address
        "SozB-2026-001",
        CYRILLIC_ORG,
        "4.500,33 €",
        "01.01.2026 – 31.12.2026",
        "Festbetrag",
        "2.250,16 €",  # the planned tranche
        "30.06.2027",  # proof of use: six months after the end
        date.today().strftime("%d.%m.%Y"),
    ):
        assert value in whole, value
    assert font_problems(path) == []


def test_decision_letter_defaults_and_arabic_recipient(
    session: Session, funding: dict[str, int], out: Path
) -> None:
    path = out / "bescheid.pdf"
    write_decision_letter(session, path, grant_id=funding["SozB-2026-002"])
    whole = comparable("\n".join(page_texts(path)))
    assert "Landratsamt Altenburger Land" in whole and "Integrationsmanagement" in whole
    assert letters(ARABIC_ORG) in letters(whole)
    assert "11.999,99 €" in whole
    assert "Mittelabruf" in whole  # no tranches planned: the standard terms


def test_decision_letter_refuses_an_unapproved_grant(
    session: Session, funding: dict[str, int], out: Path
) -> None:
    path = out / "bescheid.pdf"
    with pytest.raises(UserError, match="nicht bewilligt"):
        write_decision_letter(session, path, grant_id=funding["KF-2026-002"])
    assert not path.exists()
    grant = session.get(Grant, funding["KF-2026-002"])
    assert grant is not None and grant.status == GrantStatus.IN_REVIEW
    with pytest.raises(UserError, match="gibt es nicht"):
        write_decision_letter(session, path, grant_id=9999)


def test_bar_chart_draws_only_embedded_fonts(tmp_path: Path) -> None:
    chart = bar_chart(
        ["SozB", ARABIC_ORG, "Ein sehr langer Programmname"],
        [Series("Budget", [524_062.5, 0, 10]), Series("Bewilligt", [17_400.39, 5, 0])],
        width=80 * mm,
        height=60 * mm,
        axis_format=euro_axis,
    )
    assert (chart.width, chart.height) == (80 * mm, 60 * mm)
    path = tmp_path / "chart.pdf"
    renderPDF.drawToFile(chart, str(path))
    text = comparable(page_texts(path)[0])
    assert "Budget" in text and "Bewilligt" in text and "500.000 €" in text
    assert "Ein sehr lang..." in text  # shortened ("…" reads back as three dots)
    assert font_problems(path) == []
    assert euro_axis(1_250_000) == "1,2 Mio. €"
