"""The read view of one measure below the list: its three steps, its facts, its progress, and
the working groups and meetings that dealt with it (each one click away)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from integrationsmanager.domain.enums import (
    GroupKind,
    MeasureStatus,
    PlanningDocument,
    Priority,
    Responsibility,
)
from integrationsmanager.domain.errors import UserError
from integrationsmanager.domain.measures import Measure
from integrationsmanager.domain.meetings import ActionItem
from integrationsmanager.domain.money import format_money
from integrationsmanager.services.measures import add_progress, get_measure
from integrationsmanager.services.meetings import (
    groups_for_measure,
    meeting_label,
    meetings_for_measure,
)
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.audit.history import TAB_TITLE as AUDIT_TAB_TITLE
from integrationsmanager.ui.audit.history import HistoryView
from integrationsmanager.ui.widgets.dates import format_date
from integrationsmanager.ui.widgets.empty_state import placeholder_label, selection_stack
from integrationsmanager.ui.widgets.headings import heading_label
from integrationsmanager.ui.widgets.status import StatusBadge

NOTHING_SELECTED = "Eine Maßnahme in der Liste auswählen, um sie hier zu sehen."
_EMPTY = '<span style="color:gray">–</span>'


def _paragraphs(text: str) -> str:
    if not text.strip():
        return f"<p>{_EMPTY}</p>"
    return "".join(f"<p>{escape(part).replace(chr(10), '<br>')}</p>" for part in text.split("\n\n"))


def _period(measure: Measure) -> str:
    start, end = format_date(measure.start_date), format_date(measure.end_date)
    if start and end:
        return f"{start} – {end}"
    if start:
        return f"ab {start}"
    if end:
        return f"bis {end}"
    return ""


def _planning(measure: Measure) -> str:
    document = PlanningDocument(measure.planning_document)
    if document == PlanningDocument.NONE and not measure.planning_document_note:
        return ""
    note = measure.planning_document_note
    return f"{document.label} ({note})" if note else document.label


def overview_html(measure: Measure) -> str:
    """The three steps of the policy on the left, the facts on the right."""
    budget = ""
    if measure.planned_budget_cents is not None or measure.spent_cents is not None:
        budget = (
            f"geplant {format_money(measure.planned_budget_cents) or '–'}, "
            f"ausgegeben {format_money(measure.spent_cents) or '–'}"
        )
    facts = (
        ("Leitlinie", escape(measure.guideline.label)),
        ("Zuständigkeit", escape(Responsibility(measure.responsibility).label)),
        ("Priorität", escape(Priority(measure.priority).label)),
        ("Zeitraum", escape(_period(measure))),
        (
            "Federführung",
            escape(measure.lead_organisation.name) if measure.lead_organisation else "",
        ),
        # One partner per line: names in different scripts do not run into each other.
        ("Partner", "<br>".join(escape(p.name) for p in measure.partners)),
        ("Budget", escape(budget)),
        ("Fachplanung", escape(_planning(measure))),
        ("Schlagwörter", escape(", ".join(t.name for t in measure.tags))),
    )
    fact_rows = "".join(
        f'<tr><td style="padding-right:1em"><b>{name}</b></td>'
        f'<td><div dir="ltr">{value or _EMPTY}</div></td></tr>'
        for name, value in facts
    )
    steps = "".join(
        f"<h4>{name}</h4>{_paragraphs(text)}"
        for name, text in (
            ("Ausgangslage", measure.baseline),
            ("Ziel", measure.goal),
            ("Umsetzung", measure.implementation),
        )
    )
    return (
        '<table width="100%" cellspacing="0" cellpadding="0"><tr>'
        f'<td width="58%" style="padding-right:1.5em">{steps}</td>'
        f'<td width="42%"><h4>Angaben</h4><table cellspacing="0" cellpadding="2">{fact_rows}'
        "</table></td></tr></table>"
    )


def progress_html(measure: Measure) -> str:
    """The progress log, newest entry first (the relationship's order)."""
    if not measure.progress:
        return f"<p>{_EMPTY} Noch kein Fortschritt eingetragen.</p>"
    return "".join(
        f"<p><b>{format_date(entry.entry_date)}</b>"
        f"{' · ' + escape(entry.author) if entry.author else ''}<br>"
        f"{escape(entry.text).replace(chr(10), '<br>')}</p>"
        for entry in measure.progress
    )


def committees_html(session: Session, measure: Measure) -> tuple[str, int]:
    """The groups and meetings that dealt with the measure as links, and the meetings' count.

    A link is ``group:<id>`` or ``meeting:<id>``; under a meeting stand its agenda items and
    action items about the measure.
    """
    groups = groups_for_measure(session, measure.id)
    meetings = meetings_for_measure(session, measure.id)
    if not groups and not meetings:
        return (
            f"<p>{_EMPTY} Noch in keinem Gremium: Ein Tagesordnungspunkt oder eine Aufgabe, die "
            "mit dieser Maßnahme verknüpft ist, oder ein Gremium ihrer Leitlinie erscheint hier."
            "</p>",
            0,
        )
    parts = ["<h4>Gremien</h4>"]
    parts += [
        f'<p><a href="group:{g.id}">{escape(g.name)}</a> · {escape(GroupKind(g.kind).label)}</p>'
        for g in groups
    ] or [f"<p>{_EMPTY}</p>"]
    parts.append("<h4>Sitzungen</h4>")
    if not meetings:
        parts.append(f"<p>{_EMPTY} Noch in keiner Sitzung behandelt.</p>")
    for meeting in reversed(meetings):
        topics = [
            f"TOP {item.position}: {escape(item.title)}"
            for item in sorted(meeting.agenda, key=lambda i: i.position)
            if item.measure_id == measure.id
        ]
        tasks = session.scalars(
            select(ActionItem.title).where(
                ActionItem.meeting_id == meeting.id, ActionItem.measure_id == measure.id
            )
        )
        topics += [f"Aufgabe: {escape(title)}" for title in tasks]
        parts.append(
            f'<p><a href="meeting:{meeting.id}">{escape(meeting_label(meeting))}</a>'
            + "".join(f"<br>{topic}" for topic in topics)
            + "</p>"
        )
    return "".join(parts), len(meetings)


class MeasureDetails(QWidget):
    """Shows the measure picked in the list and takes new progress entries for it.

    A click on a group or meeting under "Gremien und Sitzungen" emits ``open_group`` or
    ``open_meeting`` with its id, for the window to show it.
    """

    progress_added = Signal(int)
    open_group = Signal(int)
    open_meeting = Signal(int)

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._database = database
        self._measure_id: int | None = None

        self.placeholder_label = placeholder_label(NOTHING_SELECTED, self)

        shown = QWidget(self)
        self.title_label = heading_label(shown)
        self.status_badge = StatusBadge(shown)
        header = QHBoxLayout()
        header.addWidget(self.title_label, 1)
        header.addWidget(self.status_badge, 0, Qt.AlignmentFlag.AlignTop)

        self.overview_browser = QTextBrowser(shown)
        self.overview_browser.setAccessibleName("Beschreibung der Maßnahme")
        self.overview_browser.setOpenLinks(False)

        self.links_tabs = QTabWidget(shown)
        self.links_tabs.setAccessibleName("Fortschritt, Gremien und Sitzungen")
        progress_box = QWidget(self.links_tabs)
        self.progress_browser = QTextBrowser(progress_box)
        self.progress_browser.setAccessibleName("Fortschrittsverlauf, neuester Eintrag zuerst")
        self.progress_edit = QLineEdit(progress_box)
        self.progress_edit.setAccessibleName("Neuer Fortschrittseintrag")
        self.progress_edit.setPlaceholderText("Was ist geschehen? z. B. „Auftakt mit 12 Eltern“")
        self.progress_button = QPushButton("Fortschritt eintragen", progress_box)
        self.progress_button.setEnabled(False)
        entry = QHBoxLayout()
        entry.addWidget(self.progress_edit, 1)
        entry.addWidget(self.progress_button)
        progress_layout = QVBoxLayout(progress_box)
        progress_layout.addWidget(self.progress_browser, 1)
        progress_layout.addLayout(entry)

        self.committees_browser = QTextBrowser(self.links_tabs)
        self.committees_browser.setAccessibleName(
            "Gremien und Sitzungen, die sich mit der Maßnahme befasst haben"
        )
        self.committees_browser.setOpenLinks(False)
        self.links_tabs.addTab(progress_box, "Fortschritt")
        self.links_tabs.addTab(self.committees_browser, "Gremien und Sitzungen")
        self.audit_view = HistoryView(database, self.links_tabs)
        self.links_tabs.addTab(self.audit_view, AUDIT_TAB_TITLE)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, shown)
        self.splitter.addWidget(self.overview_browser)
        self.splitter.addWidget(self.links_tabs)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)

        self.stack = selection_stack(self, self.placeholder_label, shown, header, self.splitter)

        self.progress_edit.textChanged.connect(self._on_progress_edit_text_changed)
        self.progress_edit.returnPressed.connect(self._on_progress_edit_return_pressed)
        self.progress_button.clicked.connect(self._on_progress_button_clicked)
        self.committees_browser.anchorClicked.connect(self._on_committees_browser_anchor_clicked)

    def show_measure(self, measure_id: int | None) -> None:
        """Show ``measure_id`` (None: nothing selected) as it is in the database now."""
        with self._database.session() as session:
            measure = get_measure(session, measure_id) if measure_id is not None else None
            if measure is not None:
                title = measure.title
                status = MeasureStatus(measure.status)
                overview = overview_html(measure)
                progress = progress_html(measure)
                committees, meetings = committees_html(session, measure)
        if measure_id != self._measure_id:
            self.progress_edit.clear()
        if measure is None:
            self._measure_id = None
            self.stack.setCurrentIndex(0)
            return
        self._measure_id = measure_id
        self.title_label.setText(title)
        self.status_badge.set_status(status)
        self.overview_browser.setHtml(overview)
        self.progress_browser.setHtml(progress)
        self.committees_browser.setHtml(committees)
        self.audit_view.show_record("measure", measure_id)
        self.links_tabs.setTabText(
            1, f"Gremien und Sitzungen ({meetings})" if meetings else "Gremien und Sitzungen"
        )
        self.stack.setCurrentIndex(1)

    def _on_committees_browser_anchor_clicked(self, url: QUrl) -> None:
        kind, _colon, number = url.toString().partition(":")
        if not number.isdigit():
            return
        if kind == "group":
            self.open_group.emit(int(number))
        elif kind == "meeting":
            self.open_meeting.emit(int(number))

    def _on_progress_edit_text_changed(self, text: str) -> None:
        self.progress_button.setEnabled(bool(text.strip()))

    def _on_progress_edit_return_pressed(self) -> None:
        self.add_progress()

    def _on_progress_button_clicked(self) -> None:
        self.add_progress()

    def add_progress(self) -> None:
        """Append the typed text to the shown measure's progress log."""
        measure_id = self._measure_id
        text = self.progress_edit.text()
        if measure_id is None or not text.strip():
            return
        try:
            with self._database.session() as session:
                add_progress(session, measure_id, text)
        except UserError as err:
            QMessageBox.warning(self, "Fortschritt eintragen", str(err))
            return
        self.progress_edit.clear()
        self.show_measure(measure_id)
        self.progress_added.emit(measure_id)
