"""The read view of the selected organisation or person, in tabs, below the list.

Linked records are links: a click on a person in an organisation's "Personen" tab (or on an
organisation in a person's "Funktionen" tab) asks the page to select that record in the
other list. E-mail addresses and web sites open in the system's programs.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from integrationsmanager.domain.enums import OrganisationKind
from integrationsmanager.domain.money import format_money
from integrationsmanager.domain.network import Organisation, Person, PersonRole
from integrationsmanager.services.grants import OrganisationGrants, organisation_grants
from integrationsmanager.services.organisations import format_iban, get_organisation
from integrationsmanager.services.persons import get_person, person_display_name
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.audit.history import TAB_TITLE as AUDIT_TAB_TITLE
from integrationsmanager.ui.audit.history import HistoryView
from integrationsmanager.ui.network.history import HistoryPane
from integrationsmanager.ui.privacy.actions import erase_with_confirmation, export_information
from integrationsmanager.ui.widgets.dates import format_date
from integrationsmanager.ui.widgets.empty_state import placeholder_label, selection_stack
from integrationsmanager.ui.widgets.headings import heading_label

ORGANISATION_LINK = "organisation"
PERSON_LINK = "person"
GRANT_LINK = "grant"
_EMPTY = '<span style="color:gray">–</span>'


# --- HTML of the tabs ---------------------------------------------------------------------------


def facts_html(facts: Sequence[tuple[str, str]]) -> str:
    """Label and value (already HTML) per row; an empty value shows a grey dash."""
    rows = "".join(
        f'<tr><td style="padding-right:1em" valign="top"><b>{escape(name)}</b></td>'
        f"<td>{value or _EMPTY}</td></tr>"
        for name, value in facts
    )
    return f'<table cellspacing="0" cellpadding="2">{rows}</table>'


def _lines(*parts: str) -> str:
    return "<br>".join(escape(p) for p in parts if p)


def _address(street: str, postcode: str, city: str) -> str:
    return _lines(street, " ".join(p for p in (postcode, city) if p))


def _mail(address: str) -> str:
    return f'<a href="mailto:{escape(address)}">{escape(address)}</a>' if address else ""


def _web(site: str) -> str:
    if not site:
        return ""
    url = site if "://" in site else f"https://{site}"
    return f'<a href="{escape(url)}">{escape(site)}</a>'


def _notes(text: str) -> str:
    return escape(text).replace("\n", "<br>")


def _is_current(role: PersonRole, today: date) -> bool:
    started = role.valid_from is None or role.valid_from <= today
    return started and (role.valid_to is None or role.valid_to >= today)


def _period(role: PersonRole) -> str:
    start, end = format_date(role.valid_from), format_date(role.valid_to)
    if start and end:
        return f"{start} – {end}"
    if start:
        return f"seit {start}"
    return f"bis {end}" if end else ""


def _roles_table(header: Sequence[str], rows: Sequence[tuple[bool, Sequence[str]]]) -> str:
    """Current roles first; past ones marked "(früher)" in words, not only greyed."""
    head = "".join(f'<th align="left" style="padding-right:1em">{h}</th>' for h in header)
    body = []
    for current, cells in sorted(rows, key=lambda r: not r[0]):
        first, *rest = cells
        if not current:
            first += " (früher)"
        body.append(
            "<tr>"
            + "".join(
                f'<td style="padding-right:1em">{cell or _EMPTY}</td>' for cell in (first, *rest)
            )
            + "</tr>"
        )
    return f'<table cellspacing="0" cellpadding="3"><tr>{head}</tr>{"".join(body)}</table>'


def organisation_html(organisation: Organisation) -> str:
    return facts_html(
        (
            ("Art", escape(OrganisationKind(organisation.kind).label)),
            ("Status", "aktiv" if organisation.active else "nicht aktiv"),
            ("Anschrift", _address(organisation.street, organisation.postcode, organisation.city)),
            ("Gemeinde", escape(organisation.municipality)),
            ("Telefon", escape(organisation.phone)),
            ("E-Mail", _mail(organisation.email)),
            ("Webseite", _web(organisation.website)),
            ("Registernummer", escape(organisation.register_number)),
            ("IBAN", escape(format_iban(organisation.iban))),
            ("Leitlinien", "<br>".join(escape(g.label) for g in organisation.guidelines)),
            ("Schlagwörter", escape(", ".join(t.name for t in organisation.tags))),
            ("Notizen", _notes(organisation.notes)),
        )
    )


def organisation_grants_html(grants: OrganisationGrants) -> str:
    """The organisation's grants, newest year first, with the sums the office is asked for."""
    if not grants.rows:
        return "<p>Diese Organisation hat noch keine Zuwendungen erhalten oder beantragt.</p>"
    head = "".join(
        f'<th align="{align}" style="padding-right:1em">{title}</th>'
        for title, align in (
            ("Aktenzeichen", "left"),
            ("Jahr", "left"),
            ("Projekt", "left"),
            ("Status", "left"),
            ("Beantragt", "right"),
            ("Bewilligt", "right"),
            ("Ausgezahlt", "right"),
        )
    )

    def money(cents: int | None) -> str:
        return f'<td align="right" style="padding-right:1em">{format_money(cents) or _EMPTY}</td>'

    body = [
        f'<tr><td style="padding-right:1em"><a href="{GRANT_LINK}:{row.id}">'
        f"{escape(row.file_number)}</a></td><td>{row.budget_year}</td>"
        f'<td style="padding-right:1em">{escape(row.project_title)}</td>'
        f'<td style="padding-right:1em">{escape(row.status_label)}</td>'
        f"{money(row.requested_cents)}{money(row.approved_cents)}{money(row.paid_cents)}</tr>"
        for row in grants.rows
    ]
    total = (
        '<tr><td colspan="4"><b>Summe</b> (Bewilligt: nur bewilligte und spätere)</td>'
        f"{money(grants.requested_cents)}{money(grants.approved_cents)}"
        f"{money(grants.paid_cents)}</tr>"
    )
    return f'<table cellspacing="0" cellpadding="3"><tr>{head}</tr>{"".join(body)}{total}</table>'


def organisation_people_html(organisation: Organisation, today: date) -> str:
    if not organisation.roles:
        return "<p>Noch niemand mit einer Funktion in dieser Organisation.</p>"
    rows = [
        (
            _is_current(role, today),
            (
                f'<a href="{PERSON_LINK}:{role.person_id}">'
                f"{escape(person_display_name(role.person))}</a>",
                escape(role.function),
                escape(_period(role)),
                _mail(role.person.emails[0].address if role.person.emails else ""),
            ),
        )
        for role in organisation.roles
    ]
    return _roles_table(("Person", "Funktion", "Zeitraum", "E-Mail"), rows)


def person_html(person: Person) -> str:
    return facts_html(
        (
            ("Anrede", escape(" ".join(p for p in (person.salutation, person.title) if p))),
            ("E-Mail", "<br>".join(_mail(e.address) for e in person.emails)),
            ("Telefon", _lines(*(p.number for p in person.phones))),
            ("Sprachen", escape(person.languages)),
            ("Anschrift", _address(person.street, person.postcode, person.city)),
            ("Gemeinde", escape(person.municipality)),
            ("Schlagwörter", escape(", ".join(t.name for t in person.tags))),
            ("Notizen", _notes(person.notes)),
        )
    )


def person_roles_html(person: Person, today: date) -> str:
    if not person.roles:
        return "<p>Noch keine Funktion in einer Organisation – „Bearbeiten“ fügt eine hinzu.</p>"
    rows = [
        (
            _is_current(role, today),
            (
                f'<a href="{ORGANISATION_LINK}:{role.organisation_id}">'
                f"{escape(role.organisation.name)}</a>",
                escape(role.function),
                escape(_period(role)),
            ),
        )
        for role in person.roles
    ]
    return _roles_table(("Organisation", "Funktion", "Zeitraum"), rows)


def consent_summary(person: Person) -> str:
    """One sentence on the consent, in words (a badge and the privacy tab use it)."""
    if person.consent_withdrawn_on is not None:
        return f"Einwilligung widerrufen am {format_date(person.consent_withdrawn_on)}"
    if person.consent_given_on is not None:
        return f"Einwilligung seit {format_date(person.consent_given_on)}"
    return "Keine Einwilligung erfasst"


def privacy_html(person: Person) -> str:
    facts = facts_html(
        (
            ("Einwilligung am", format_date(person.consent_given_on)),
            ("Zweck der Einwilligung", escape(person.consent_purpose)),
            ("Wie erteilt", escape(person.consent_how)),
            ("Widerrufen am", format_date(person.consent_withdrawn_on)),
            ("Rechtsgrundlage", escape(person.legal_basis)),
            ("Zweck der Speicherung", escape(person.purpose)),
            ("Herkunft der Daten", escape(person.source)),
        )
    )
    return f"<p><b>{escape(consent_summary(person))}.</b></p>{facts}"


# --- the widgets --------------------------------------------------------------------------------


def _browser(name: str, parent: QWidget) -> QTextBrowser:
    browser = QTextBrowser(parent)
    browser.setAccessibleName(name)
    browser.setOpenLinks(False)
    return browser


class RecordDetails(QWidget):
    """A header (name and a status in words), tabs, and a hint while nothing is selected.

    ``organisation_requested`` / ``person_requested`` carry the id of a linked record the
    user clicked; ``history_added`` follows a new contact entry.
    """

    organisation_requested = Signal(int)
    person_requested = Signal(int)
    grant_requested = Signal(int)
    history_added = Signal()

    def __init__(
        self, database: Database, *, nothing_selected: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._database = database
        self.record_id: int | None = None

        self.placeholder_label = placeholder_label(nothing_selected, self)

        shown = QWidget(self)
        self.title_label = heading_label(shown)
        self.badge_label = QLabel(shown)
        self.badge_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.badge_label.setMargin(self.fontMetrics().height() // 5)
        header = QHBoxLayout()
        header.addWidget(self.title_label, 1)
        header.addWidget(self.badge_label, 0, Qt.AlignmentFlag.AlignTop)

        self.tabs = QTabWidget(shown)
        self.tabs.setAccessibleName("Angaben")
        self.data_browser = _browser("Daten", self.tabs)
        self.tabs.addTab(self.data_browser, "&Daten")
        self.history = HistoryPane(database, self.tabs)

        self.stack = selection_stack(self, self.placeholder_label, shown, header, self.tabs)

        self.data_browser.anchorClicked.connect(self._on_browser_anchor_clicked)
        self.history.added.connect(self._on_history_added)
        self.history.person_requested.connect(self._on_history_person_requested)

    def add_browser_tab(self, title: str, name: str) -> QTextBrowser:
        browser = _browser(name, self.tabs)
        browser.anchorClicked.connect(self._on_browser_anchor_clicked)
        self.tabs.addTab(browser, title)
        return browser

    def add_history_tab(self) -> None:
        self.tabs.addTab(self.history, "&Kontaktverlauf")
        self.audit_view = HistoryView(self._database, self.tabs)
        self.tabs.addTab(self.audit_view, AUDIT_TAB_TITLE)

    def _show(self, title: str, badge: str) -> None:
        self.title_label.setText(title)
        self.badge_label.setText(badge)
        self.badge_label.setAccessibleName(badge)
        self.stack.setCurrentIndex(1)

    def _show_nothing(self) -> None:
        self.record_id = None
        self.stack.setCurrentIndex(0)

    def _on_browser_anchor_clicked(self, url: QUrl) -> None:
        kind, _sep, number = url.toString().partition(":")
        if kind == ORGANISATION_LINK and number.isdigit():
            self.organisation_requested.emit(int(number))
        elif kind == PERSON_LINK and number.isdigit():
            self.person_requested.emit(int(number))
        elif kind == GRANT_LINK and number.isdigit():
            self.grant_requested.emit(int(number))
        else:
            QDesktopServices.openUrl(url)

    def _on_history_added(self) -> None:
        self.history_added.emit()

    def _on_history_person_requested(self, person_id: int) -> None:
        self.person_requested.emit(person_id)


class OrganisationDetails(RecordDetails):
    """Tabs: Daten, Personen (with their functions), Zuwendungen, Kontaktverlauf."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(
            database,
            nothing_selected="Eine Organisation in der Liste auswählen, um sie hier zu sehen.",
            parent=parent,
        )
        self.people_browser = self.add_browser_tab("&Personen", "Personen und ihre Funktionen")
        self.grants_browser = self.add_browser_tab("&Zuwendungen", "Zuwendungen und Summen")
        self.add_history_tab()

    def show_organisation(self, organisation_id: int | None, *, today: date | None = None) -> None:
        """Show ``organisation_id`` (None: nothing selected) as it is in the database now."""
        today = today or date.today()
        with self._database.session() as session:
            found = (
                get_organisation(session, organisation_id) if organisation_id is not None else None
            )
            if found is None:
                self._show_nothing()
                return
            title = found.name
            badge = "aktiv" if found.active else "nicht aktiv"
            data = organisation_html(found)
            people = organisation_people_html(found, today)
            count = len({role.person_id for role in found.roles})
            grants = organisation_grants(session, found.id)
        self.record_id = organisation_id
        self.grants_browser.setHtml(organisation_grants_html(grants))
        self.tabs.setTabText(2, f"&Zuwendungen ({len(grants.rows)})")
        self.data_browser.setHtml(data)
        self.people_browser.setHtml(people)
        self.tabs.setTabText(1, f"&Personen ({count})")
        self.history.show_record(organisation_id=organisation_id)
        self.audit_view.show_record("organisation", organisation_id)
        self._show(title, badge)


class PersonDetails(RecordDetails):
    """Tabs: Daten, Funktionen (in organisations), Kontaktverlauf, Datenschutz.

    The Datenschutz tab offers the information (Art. 15) and the erasure (Art. 17);
    ``person_erased`` follows an erasure so the page can refresh its list.
    """

    person_erased = Signal(int)

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(
            database,
            nothing_selected="Eine Person in der Liste auswählen, um sie hier zu sehen.",
            parent=parent,
        )
        self.roles_browser = self.add_browser_tab("&Funktionen", "Funktionen in Organisationen")
        self.add_history_tab()
        privacy_tab = QWidget(self.tabs)
        self.privacy_browser = _browser("Datenschutz", privacy_tab)
        self.information_button = QPushButton("Auskunft (&Art. 15) …", privacy_tab)
        self.information_button.setAccessibleName("Auskunft nach Art. 15 DSGVO schreiben")
        self.erase_button = QPushButton("Löschen nach Art. 1&7 …", privacy_tab)
        self.erase_button.setAccessibleName("Löschen nach Art. 17 DSGVO")
        privacy_buttons = QHBoxLayout()
        privacy_buttons.addWidget(self.information_button)
        privacy_buttons.addWidget(self.erase_button)
        privacy_buttons.addStretch(1)
        privacy_layout = QVBoxLayout(privacy_tab)
        privacy_layout.setContentsMargins(0, 0, 0, 0)
        privacy_layout.addWidget(self.privacy_browser, 1)
        privacy_layout.addLayout(privacy_buttons)
        self.tabs.addTab(privacy_tab, "Daten&schutz")
        self.information_button.clicked.connect(self._on_information_clicked)
        self.erase_button.clicked.connect(self._on_erase_clicked)

    def show_person(self, person_id: int | None, *, today: date | None = None) -> None:
        """Show ``person_id`` (None: nothing selected) as it is in the database now."""
        today = today or date.today()
        with self._database.session() as session:
            found = get_person(session, person_id) if person_id is not None else None
            if found is None:
                self._show_nothing()
                return
            title = found.full_name or person_display_name(found)
            badge = consent_summary(found)
            data = person_html(found)
            roles = person_roles_html(found, today)
            privacy = privacy_html(found)
            count = len(found.roles)
            erased = found.erased
        self.record_id = person_id
        self.data_browser.setHtml(data)
        self.roles_browser.setHtml(roles)
        self.privacy_browser.setHtml(privacy)
        self.information_button.setEnabled(not erased)
        self.erase_button.setEnabled(not erased)
        self.tabs.setTabText(1, f"&Funktionen ({count})")
        self.history.show_record(person_id=person_id)
        self.audit_view.show_record("person", person_id)
        self._show(title, badge)

    def _on_information_clicked(self) -> None:
        if self.record_id is not None:
            export_information(self._database, self.record_id, self)

    def _on_erase_clicked(self) -> None:
        person_id = self.record_id
        if person_id is not None and erase_with_confirmation(self._database, person_id, self):
            self.show_person(person_id)
            self.person_erased.emit(person_id)
