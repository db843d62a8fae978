"""Colours shared by the PDF reports and the user interface (hex strings, no Qt).

The same status has the same colour everywhere: table badges, charts and PDFs. The colours
come from the Okabe–Ito palette, which people with the common colour-vision deficiencies can
tell apart; status is nevertheless always shown with its label as well, never by colour alone.
"""

from __future__ import annotations

from integrationsmanager.domain.enums import MeasureStatus

STATUS_COLOURS: dict[str, str] = {
    MeasureStatus.PLANNED.value: "#56B4E9",
    MeasureStatus.RUNNING.value: "#0072B2",
    MeasureStatus.COMPLETED.value: "#009E73",
    MeasureStatus.SUSPENDED.value: "#E69F00",
    MeasureStatus.CANCELLED.value: "#7F7F7F",
}
"""Colour of each :class:`MeasureStatus`, keyed by its value."""

UNKNOWN_STATUS_COLOUR = "#B0B0B0"

ACCENT = "#1F4E79"
"""Headings and rules of the documents."""

MUTED_TEXT = "#555555"
RULE = "#B8C4D0"
HEADER_FILL = "#E4EBF2"
"""Background of table header rows."""

ZEBRA_FILL = "#F5F7FA"
"""Background of every other table body row."""


def status_colour(status: MeasureStatus | str) -> str:
    """The hex colour (``#RRGGBB``) of a measure status."""
    return STATUS_COLOURS.get(str(status), UNKNOWN_STATUS_COLOUR)


# --- charts (program and PDF) ---------------------------------------------------------------

SERIES_COLOURS: tuple[str, ...] = ("#56B4E9", "#0072B2", "#009E73", "#E69F00", "#CC79A7")
"""Okabe–Ito colours for chart series without a colour of their own, in order."""

BUDGET_COLOUR, APPROVED_COLOUR, PAID_COLOUR = SERIES_COLOURS[:3]
"""Budget, approved and paid money: the first three series colours, as the PDFs draw them."""

LINE_COLOUR = "#0072B2"
"""A time series' measured values and its forecasts (the dashes tell them apart)."""

TARGET_COLOUR = "#D55E00"
"""A target line (Okabe–Ito vermillion, apart from every series colour)."""

CHART_TEXT = "#222222"
CHART_AXIS = "#555555"
