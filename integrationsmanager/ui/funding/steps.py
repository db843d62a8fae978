"""A grant's path in words: its steps, the current one, and what each action asks for.

No Qt here beyond the text: the details pane draws the path, the action dialog asks for the
fields a step names (SYSTOPIA Funding's way: a state offers only its actions, each with its
data).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from integrationsmanager.domain.enums import GrantStatus

PATH: tuple[tuple[GrantStatus, str], ...] = (
    (GrantStatus.DRAFT, "Entwurf"),
    (GrantStatus.RECEIVED, "eingegangen"),
    (GrantStatus.IN_REVIEW, "in Prüfung"),
    (GrantStatus.APPROVED, "bewilligt"),
    (GrantStatus.PAYING, "Auszahlung"),
    (GrantStatus.PROOF_DUE, "VN fällig"),
    (GrantStatus.PROOF_RECEIVED, "VN eingegangen"),
    (GrantStatus.PROOF_CHECKED, "geprüft"),
    (GrantStatus.CLOSED, "abgeschlossen"),
)
"""The regular way of a grant, with the short names the path shows."""

SIDE_STEPS: dict[GrantStatus, GrantStatus] = {
    GrantStatus.REJECTED: GrantStatus.IN_REVIEW,
    GrantStatus.WITHDRAWN: GrantStatus.RECEIVED,
    GrantStatus.REPAYMENT: GrantStatus.PROOF_CHECKED,
}
"""States off the path, and the step after which they branch off (for drawing)."""

_GREY = "#6B6B6B"


@dataclass(frozen=True)
class ActionSpec:
    """How the page offers a transition: the button, and the fields its dialog asks for."""

    button: str
    title: str
    amount_label: str = ""
    """Empty: no amount asked."""
    date_label: str = ""
    """Empty: no date asked."""
    note_required: bool = False
    zero_allowed: bool = False
    """0 € is a valid amount (a proof of use may be accepted at nothing)."""
    confirm: str = "Speichern"


ACTIONS: dict[GrantStatus, ActionSpec] = {
    GrantStatus.RECEIVED: ActionSpec(
        "Eingang erfassen …", "Antrag eingegangen", date_label="Eingegangen &am"
    ),
    GrantStatus.IN_REVIEW: ActionSpec("Prüfung beginnen …", "Prüfung beginnen"),
    GrantStatus.APPROVED: ActionSpec(
        "Bewilligen …",
        "Zuwendung bewilligen",
        amount_label="Bewilligter &Betrag",
        date_label="Bescheid&datum",
        confirm="Bewilligen",
    ),
    GrantStatus.REJECTED: ActionSpec(
        "Ablehnen …",
        "Antrag ablehnen",
        date_label="Bescheid&datum",
        note_required=True,
        confirm="Ablehnen",
    ),
    GrantStatus.WITHDRAWN: ActionSpec("Zurückziehen …", "Antrag zurückgezogen", note_required=True),
    GrantStatus.PAYING: ActionSpec(
        "Auszahlung erfassen …",
        "Auszahlung erfassen",
        amount_label="Ausgezahlter &Betrag",
        date_label="Ausgezahlt &am",
    ),
    GrantStatus.PROOF_DUE: ActionSpec(
        "Verwendungsnachweis anfordern …", "Verwendungsnachweis fällig"
    ),
    GrantStatus.PROOF_RECEIVED: ActionSpec(
        "Nachweis eingegangen …",
        "Verwendungsnachweis eingegangen",
        date_label="Eingegangen &am",
    ),
    GrantStatus.PROOF_CHECKED: ActionSpec(
        "Nachweis geprüft …",
        "Verwendungsnachweis geprüft",
        amount_label="Anerkannter &Betrag",
        date_label="Geprüft &am",
        zero_allowed=True,
    ),
    GrantStatus.REPAYMENT: ActionSpec(
        "Rückforderung …",
        "Rückforderung",
        amount_label="Rückforderungs&betrag",
        date_label="Rückforderung &vom",
    ),
    GrantStatus.CLOSED: ActionSpec("Abschließen …", "Zuwendung abschließen"),
}


def action_spec(status: GrantStatus) -> ActionSpec:
    """The button and dialog of the transition to ``status`` (a plain one if unknown)."""
    return ACTIONS.get(status, ActionSpec(f"{status.label} …", status.label))


def step_index(status: GrantStatus) -> int:
    """Position of ``status`` on the path (a side state: the step it branched off after)."""
    anchor = SIDE_STEPS.get(status, status)
    for index, (step, _name) in enumerate(PATH):
        if step == anchor:
            return index
    return 0


def path_html(status: GrantStatus) -> str:
    """The path as rich text: passed steps with ✓, the current one ● in bold, later ones grey.

    Shape and words carry the state (✓, ●, ✕); the grey only accompanies them.
    """
    current = step_index(status)
    side = status in SIDE_STEPS
    parts = []
    for index, (_step, name) in enumerate(PATH):
        if index < current or (side and index == current):
            parts.append(f"✓&nbsp;{escape(name)}")
        elif index == current:
            parts.append(f"<b><u>●&nbsp;{escape(name)}</u></b>")
        else:
            parts.append(f'<span style="color:{_GREY}">○&nbsp;{escape(name)}</span>')
        if side and index == current:
            parts.append(f"<b><u>✕&nbsp;{escape(status.label)}</u></b>")
            break
    return " ─ ".join(parts)


def path_text(status: GrantStatus) -> str:
    """What a screen reader hears for the path."""
    if status in SIDE_STEPS:
        return f"Stand: {status.label} (nach „{PATH[step_index(status)][1]}“)"
    return f"Stand: {status.label}, Schritt {step_index(status) + 1} von {len(PATH)}"
