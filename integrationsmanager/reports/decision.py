"""The draft of a grant decision (Zuwendungsbescheid – Entwurf) for an approved grant.

A letter on one or two portrait pages: the letterhead of the authority, the recipient's
address, Aktenzeichen and date, the subject, the approved amount in figures, the kind of
funding, the project period, the payment terms, when the proof of use is due, the standard
conditions and the right of objection. It is a draft for the file and the signature: a banner
and a large mark on the first page, and the page header, say "Entwurf".

The letterhead comes from these settings (table ``setting``); a key that is unset or empty
takes the default in brackets:

- ``office.authority`` – the authority (Landratsamt Altenburger Land)
- ``office.department`` – the department (Integrationsmanagement)
- ``office.address`` – street, postcode and town (Lindenaustraße 9, 04600 Altenburg)
- ``office.contact_name`` – who handles the grant (none)
- ``office.contact_phone`` – their telephone number (none)
- ``office.contact_email`` – their e-mail address (none)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle
from sqlalchemy.orm import Session

from integrationsmanager.domain.enums import FundingKind, GrantStatus, PaymentStatus
from integrationsmanager.domain.errors import UserError
from integrationsmanager.domain.funding import Grant
from integrationsmanager.domain.money import format_money
from integrationsmanager.reports.document import (
    PORTRAIT_WIDTH,
    Cell,
    DocumentInfo,
    Progress,
    ProgressCallback,
    atomic_pdf,
    build_pdf,
    data_table,
    field_table,
    format_date,
    paragraph,
)
from integrationsmanager.reports.fonts import FONT, FONT_BOLD
from integrationsmanager.reports.styles import report_styles
from integrationsmanager.services.grants import COMMITTED, add_months
from integrationsmanager.services.settings import OFFICE_FIELDS, office_setting

TITLE = "Zuwendungsbescheid"
DRAFT = "Entwurf"
EMPTY = "–"

AUTHORITY_KEY = "office.authority"
DEPARTMENT_KEY = "office.department"
ADDRESS_KEY = "office.address"
CONTACT_NAME_KEY = "office.contact_name"
CONTACT_PHONE_KEY = "office.contact_phone"
CONTACT_EMAIL_KEY = "office.contact_email"
DEFAULTS: dict[str, str] = {field.key: field.default for field in OFFICE_FIELDS}
"""The letterhead settings and their values when unset."""


_MARK_GREY = Color(0.55, 0.55, 0.55, alpha=0.18)
_RETURN_LINE = ParagraphStyle(
    "return_line", parent=report_styles().small, fontSize=6.5, leading=8, underlineWidth=0.3
)
"""The sender's line above the address, small enough for one line in an envelope window."""
_SUBJECT = ParagraphStyle("subject", parent=report_styles().body, fontName=FONT_BOLD)


@dataclass(frozen=True)
class Letterhead:
    """The sender of a letter, from the settings."""

    authority: str
    department: str
    address: str
    contact_name: str
    contact_phone: str
    contact_email: str


def letterhead(session: Session) -> Letterhead:
    """The letterhead settings, each falling back to :data:`DEFAULTS` when unset or empty."""

    def value(key: str) -> str:
        return office_setting(session, key)

    return Letterhead(
        authority=value(AUTHORITY_KEY),
        department=value(DEPARTMENT_KEY),
        address=value(ADDRESS_KEY),
        contact_name=value(CONTACT_NAME_KEY),
        contact_phone=value(CONTACT_PHONE_KEY),
        contact_email=value(CONTACT_EMAIL_KEY),
    )


def write_decision_letter(
    session: Session,
    path: Path,
    *,
    grant_id: int,
    progress: ProgressCallback | None = None,
) -> int:
    """Write the draft decision for grant ``grant_id`` to ``path``; returns the page count.

    A grant that is not (yet) approved, or has no approved amount, raises a
    :class:`~integrationsmanager.domain.errors.UserError`.
    """
    grant = session.get(Grant, grant_id)
    if grant is None:
        raise UserError(f"Eine Zuwendung mit der Nummer {grant_id} gibt es nicht.")
    status = GrantStatus(grant.status)
    if status not in COMMITTED or grant.approved_cents is None:
        raise UserError(
            f"Für die Zuwendung „{grant.file_number}“ kann noch kein Bescheid erstellt werden: "
            f"Sie ist nicht bewilligt (Status: {status.label}). Bitte zuerst die Bewilligung "
            "mit Betrag und Datum erfassen."
        )
    tracker = Progress(progress)
    sender = letterhead(session)
    today = date.today()
    with atomic_pdf(path) as target:
        tracker.preparing(0, 1)
        info = DocumentInfo(
            title=f"{TITLE} ({DRAFT}) {grant.file_number}",
            subtitle=grant.project_title,
            issued=today,
            personal_data=grant.contact_person is not None,
        )
        story = [
            _DraftMark(),
            _draft_banner(),
            Spacer(1, 4 * mm),
            _head(grant, sender, today),
            Spacer(1, 8 * mm),
            *_body(grant, sender),
        ]
        tracker.preparing(1, 1)
        return build_pdf(target, info, story, progress=tracker)


# --- the letter -----------------------------------------------------------------------------


def proof_due(grant: Grant) -> date | None:
    """When the proof of use is due: as stored, else the programme's months after the end."""
    if grant.proof_due_on is not None:
        return grant.proof_due_on
    if grant.period_end is None:
        return None
    return add_months(grant.period_end, grant.program.proof_due_months)


def _draft_banner() -> Table:
    text = (
        f"{DRAFT.upper()} – nicht unterschrieben, nicht zum Versand. "
        "Vor dem Versand prüfen, unterschreiben und das Datum einsetzen."
    )
    styles = report_styles()
    table = Table(
        [[paragraph(text, styles.cell_header, width=PORTRAIT_WIDTH)]],
        colWidths=[PORTRAIT_WIDTH],
        style=TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT),
                ("BOX", (0, 0), (-1, -1), 1.2, HexColor("#D55E00")),
                ("BACKGROUND", (0, 0), (-1, -1), HexColor("#FBE9DF")),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
            ]
        ),
    )
    return table


def _head(grant: Grant, sender: Letterhead, today: date) -> Table:
    """Recipient's address on the left, the sender and reference block on the right."""
    styles = report_styles()
    left_width = 85 * mm
    right_width = PORTRAIT_WIDTH - left_width
    recipient = grant.recipient
    place = " ".join(p for p in (recipient.postcode, recipient.city) if p)
    address_lines = [recipient.name, recipient.street, place]
    if grant.contact_person is not None:
        person = grant.contact_person
        name = " ".join(p for p in (person.title, person.first_name, person.last_name) if p)
        address_lines.insert(1, f"z. Hd. {name}")
    sender_line = f"{sender.authority} · {sender.address}"
    address: list[Flowable] = [
        paragraph(sender_line, _RETURN_LINE, width=left_width),
        Spacer(1, 2 * mm),
        paragraph("\n".join(line for line in address_lines if line), width=left_width),
    ]
    sender_block: list[Flowable] = [
        paragraph(sender.authority, styles.h2, width=right_width),
        paragraph(sender.department, width=right_width),
        paragraph(sender.address, styles.small, width=right_width),
        Spacer(1, 3 * mm),
    ]
    reference: list[tuple[str, Cell]] = [
        ("Aktenzeichen", grant.file_number),
        ("Datum", format_date(today)),
    ]
    if sender.contact_name:
        reference.append(("Bearbeitung", sender.contact_name))
    if sender.contact_phone:
        reference.append(("Telefon", sender.contact_phone))
    if sender.contact_email:
        reference.append(("E-Mail", sender.contact_email))
    if grant.received_on is not None:
        reference.append(("Ihr Antrag vom", format_date(grant.received_on)))
    sender_block.append(field_table([[pair] for pair in reference], width=right_width))
    return Table(
        [[address, sender_block]],
        colWidths=[left_width, right_width],
        style=TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
            ]
        ),
        hAlign="LEFT",
    )


def _period(grant: Grant) -> str:
    start, end = format_date(grant.period_start), format_date(grant.period_end)
    if start and end:
        return f"{start} – {end}"
    if start:
        return f"ab {start}"
    if end:
        return f"bis {end}"
    return f"Haushaltsjahr {grant.budget_year}"


def _body(grant: Grant, sender: Letterhead) -> list[Flowable]:
    styles = report_styles()
    program = grant.program
    amount = format_money(grant.approved_cents)
    applied = f" vom {format_date(grant.received_on)}" if grant.received_on else ""
    kind = FundingKind(program.funding_kind).label
    period = _period(grant)
    due = proof_due(grant)
    subject = f"Zuwendung nach „{program.name}“ für das Projekt „{grant.project_title}“"
    facts: list[list[tuple[str, Cell]]] = [
        [("Zuwendungsempfänger", grant.recipient.name)],
        [("Projekt", grant.project_title)],
        [("Förderprogramm", program.name)],
        [("Rechtsgrundlage", program.legal_basis or EMPTY)],
        [("Bewilligungszeitraum", period)],
        [("Bewilligter Betrag", amount), ("Haushaltsjahr", str(grant.budget_year))],
        [("Finanzierungsart", kind), ("Beantragt", format_money(grant.requested_cents) or EMPTY)],
        [
            ("Gesamtkosten", format_money(grant.total_cost_cents) or EMPTY),
            ("Eigenmittel", format_money(grant.own_contribution_cents) or EMPTY),
        ],
        [
            ("Drittmittel", format_money(grant.third_party_cents) or EMPTY),
            ("Nachweis bis", format_date(due) or EMPTY),
        ],
    ]
    story: list[Flowable] = [
        paragraph(f"{TITLE} ({DRAFT})", styles.h2),
        paragraph(subject, _SUBJECT),
        Spacer(1, 3 * mm),
        paragraph("Sehr geehrte Damen und Herren,"),
        Spacer(1, 2 * mm),
        paragraph(
            f"auf Ihren Antrag{applied} bewillige ich Ihnen für das Projekt "
            f"„{grant.project_title}“ im Bewilligungszeitraum {period} eine Zuwendung als "
            f"{kind} in Höhe von {amount}."
        ),
        Spacer(1, 3 * mm),
        field_table(facts),
        paragraph("Auszahlung", styles.label),
        *_payment_terms(grant),
        paragraph("Verwendungsnachweis", styles.label),
        paragraph(
            "Die Verwendung der Zuwendung ist "
            + (f"bis zum {format_date(due)} " if due else "")
            + "mit einem Sachbericht und einem zahlenmäßigen Nachweis (Einnahmen und Ausgaben "
            "nach Kostenplan, mit Belegliste) nachzuweisen. Nicht verbrauchte Mittel sind "
            "unverzüglich zurückzuzahlen.",
            styles.indented,
        ),
        paragraph("Nebenbestimmungen", styles.label),
        paragraph(
            "Die Allgemeinen Nebenbestimmungen für Zuwendungen zur Projektförderung (ANBest-P) "
            "sind Bestandteil dieses Bescheides. Änderungen des Finanzierungsplans oder des "
            "Projekts sind unverzüglich mitzuteilen.",
            styles.indented,
        ),
        paragraph("Rechtsbehelfsbelehrung", styles.label),
        paragraph(
            "Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Widerspruch "
            f"erhoben werden. Der Widerspruch ist schriftlich oder zur Niederschrift beim "
            f"{sender.authority}, {sender.address}, einzulegen.",
            styles.indented,
        ),
        Spacer(1, 8 * mm),
        paragraph("Mit freundlichen Grüßen"),
        paragraph("Im Auftrag"),
        Spacer(1, 12 * mm),
        paragraph(sender.contact_name or "(Unterschrift)"),
        paragraph(f"{sender.department}", styles.small),
    ]
    return story


def _payment_terms(grant: Grant) -> list[Flowable]:
    styles = report_styles()
    planned = [p for p in grant.payments if p.status != PaymentStatus.CANCELLED]
    if not planned:
        return [
            paragraph(
                "Die Zuwendung wird auf Ihre Anforderung (Mittelabruf) ausgezahlt, sobald dieser "
                "Bescheid bestandskräftig ist oder Sie auf Rechtsbehelfe verzichten, und nur "
                "soweit sie innerhalb von zwei Monaten nach der Auszahlung für fällige Zahlungen "
                "benötigt wird.",
                styles.indented,
            )
        ]
    rows: list[list[Cell]] = [
        [
            format_date(p.paid_on or p.due_on) or EMPTY,
            PaymentStatus(p.status).label,
            format_money(p.amount_cents),
        ]
        for p in planned
    ]
    rows.append(["Summe", "", format_money(sum(p.amount_cents for p in planned))])
    return [
        paragraph("Die Zuwendung wird in diesen Teilbeträgen ausgezahlt:", styles.indented),
        Spacer(1, 1.5 * mm),
        data_table(
            ["Termin", "Stand", "Betrag"],
            rows,
            [30 * mm, 40 * mm, 35 * mm],
            numeric=(2,),
            total_row=True,
        ),
    ]


class _DraftMark(Flowable):
    """A large, light, diagonal "ENTWURF" across the first page, behind the letter."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._room = (availWidth, availHeight)
        return 0, 0

    def draw(self) -> None:
        width, height = self._room
        canvas: Any = self.canv
        canvas.saveState()
        canvas.setFillColor(_MARK_GREY)
        canvas.setFont(FONT_BOLD, 96)
        canvas.translate(width / 2, -height / 2)
        canvas.rotate(35)
        canvas.drawCentredString(0, -30, DRAFT.upper())
        canvas.restoreState()
