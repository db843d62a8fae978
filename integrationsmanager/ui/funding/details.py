"""The selected grant: its path, its amounts, the actions its state allows, history, payments.

Each action button opens a small dialog for exactly the data the step needs; the change is
one service call. An approval or payment beyond the programme's budget is refused by the
service first; the user sees the numbers and may confirm, which calls again with
``confirm_over_budget=True``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial
from html import escape

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from integrationsmanager.domain.enums import GrantStatus, PaymentStatus
from integrationsmanager.domain.errors import UserError
from integrationsmanager.domain.funding import Grant
from integrationsmanager.domain.money import format_money
from integrationsmanager.reports.decision import write_decision_letter
from integrationsmanager.services.grants import (
    BudgetExceeded,
    allowed_transitions,
    get_grant,
    paid_cents,
    plan_payment,
    set_payment_status,
    transition,
)
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.audit.history import HistoryView
from integrationsmanager.ui.funding.action_dialog import ActionDialog, ActionInput
from integrationsmanager.ui.funding.steps import ActionSpec, action_spec, path_html, path_text
from integrationsmanager.ui.tasks import Progress, run_task
from integrationsmanager.ui.widgets.dates import format_date
from integrationsmanager.ui.widgets.empty_state import placeholder_label, selection_stack
from integrationsmanager.ui.widgets.files import ask_save_path
from integrationsmanager.ui.widgets.focus import chain_tabs, previous_tab_stop
from integrationsmanager.ui.widgets.headings import heading_label

FOLDER_KEY = "funding/folder"
DECISION_STATES = frozenset(
    {
        GrantStatus.APPROVED,
        GrantStatus.PAYING,
        GrantStatus.PROOF_DUE,
        GrantStatus.PROOF_RECEIVED,
        GrantStatus.PROOF_CHECKED,
        GrantStatus.CLOSED,
        GrantStatus.REPAYMENT,
    }
)
"""States in which a decision letter (Bescheid) exists."""


@dataclass(frozen=True)
class GrantView:
    """What the pane shows of a grant, read inside one session."""

    id: int
    file_number: str
    title: str
    recipient: str
    program: str
    year: int
    status: GrantStatus
    requested: int | None
    approved: int | None
    paid: int
    allowed: tuple[GrantStatus, ...]
    history: tuple[tuple[str, str, str, str, str], ...]
    payments: tuple[tuple[str, str, str, str], ...]
    tranches: tuple[tuple[int, PaymentStatus], ...] = ()
    """(payment id, status) of each row of ``payments``."""

    @property
    def open_cents(self) -> int | None:
        return None if self.approved is None else self.approved - self.paid


PLANNING_STATES = (
    GrantStatus.APPROVED,
    GrantStatus.PAYING,
    GrantStatus.PROOF_DUE,
    GrantStatus.PROOF_RECEIVED,
    GrantStatus.PROOF_CHECKED,
)
"""States in which ``plan_payment`` takes a tranche (after the approval)."""

TRANCHE_MOVES: dict[PaymentStatus, tuple[PaymentStatus, ...]] = {
    PaymentStatus.PLANNED: (PaymentStatus.INSTRUCTED, PaymentStatus.PAID, PaymentStatus.CANCELLED),
    PaymentStatus.INSTRUCTED: (PaymentStatus.PAID, PaymentStatus.CANCELLED),
}
"""The forward moves ``set_payment_status`` allows (paid and cancelled are final)."""

PLAN_SPEC = ActionSpec(
    "Tranche planen …", "Tranche planen", amount_label="&Betrag", date_label="&Fällig am"
)
PAID_SPEC = ActionSpec("ausgezahlt …", "Tranche ausgezahlt", date_label="Ausgezahlt &am")


def _status_label(code: str | None) -> str:
    return GrantStatus(code).label if code else "–"


def read_grant(grant: Grant) -> GrantView:
    """The pane's view of ``grant`` (inside its session)."""
    return GrantView(
        id=grant.id,
        file_number=grant.file_number,
        title=grant.project_title,
        recipient=grant.recipient.name,
        program=grant.program.name,
        year=grant.budget_year,
        status=GrantStatus(grant.status),
        requested=grant.requested_cents,
        approved=grant.approved_cents,
        paid=paid_cents(grant),
        allowed=tuple(allowed_transitions(grant)),
        history=tuple(
            (
                change.changed_at.astimezone().strftime("%d.%m.%Y %H:%M"),
                change.changed_by,
                _status_label(change.from_status),
                _status_label(change.to_status),
                change.note,
            )
            for change in grant.history
        ),
        payments=tuple(
            (
                format_date(p.paid_on or p.due_on),
                format_money(p.amount_cents),
                PaymentStatus(p.status).label,
                p.note,
            )
            for p in grant.payments
        ),
        tranches=tuple((p.id, PaymentStatus(p.status)) for p in grant.payments),
    )


def _table(headers: tuple[str, ...], name: str, parent: QWidget) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(list(headers))
    table.setAccessibleName(name)
    table.horizontalHeader().setAccessibleName(f"Spalten: {name}")
    table.verticalHeader().hide()
    line = table.fontMetrics().height()
    table.verticalHeader().setDefaultSectionSize(line + line // 2)
    table.setWordWrap(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setTabKeyNavigation(False)
    table.setAlternatingRowColors(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: tuple[tuple[str, ...], ...], right: int | None) -> None:
    table.setRowCount(len(rows))
    for row, cells in enumerate(rows):
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if column == right:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(row, column, item)


class GrantDetails(QWidget):
    """Read view and actions of one grant; ``changed`` says in words what a change did."""

    changed = Signal(str)
    status_message = Signal(str)
    """Something to say that changed no data (a document was written)."""
    edit_requested = Signal(int)

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._database = database
        self.grant: GrantView | None = None
        self.action_buttons: dict[GrantStatus, QPushButton] = {}
        self.dialog: ActionDialog | None = None
        """The open action dialog, if any (tests reach it here)."""

        shown = QWidget(self)
        self.heading = heading_label(shown)
        self.subtitle = QLabel(shown)
        self.subtitle.setWordWrap(True)
        self.subtitle.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.path_label = QLabel(shown)
        self.path_label.setTextFormat(Qt.TextFormat.RichText)
        self.path_label.setWordWrap(True)
        self.amounts_label = QLabel(shown)
        self.amounts_label.setTextFormat(Qt.TextFormat.RichText)
        self.amounts_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.actions_row = QHBoxLayout()
        self.edit_button = QPushButton("Bearbeiten", shown)
        self.edit_button.setAccessibleName("Zuwendung bearbeiten")
        self.decision_button = QPushButton("Bescheid (PDF)", shown)
        self.decision_button.setAccessibleName("Bescheid als PDF erstellen")
        buttons = QHBoxLayout()
        buttons.addLayout(self.actions_row)
        buttons.addStretch(1)
        buttons.addWidget(self.decision_button)
        buttons.addWidget(self.edit_button)

        header = QVBoxLayout()
        header.addWidget(self.heading)
        header.addWidget(self.subtitle)
        header.addWidget(self.path_label)
        header.addWidget(self.amounts_label)
        header.addLayout(buttons)

        self.tabs = QTabWidget(shown)
        self.tabs.setAccessibleName("Einzelheiten der Zuwendung")
        self.history_table = _table(("Wann", "Wer", "Von", "Nach", "Notiz"), "Verlauf", self.tabs)
        self.payments_table = _table(
            ("Datum", "Betrag", "Status", "Notiz"), "Auszahlungen", self.tabs
        )
        self.payments_page = QWidget(self.tabs)
        self.plan_button = QPushButton(PLAN_SPEC.button, self.payments_page)
        self.plan_button.setAccessibleName("Tranche planen")
        self.tranche_buttons: dict[PaymentStatus, QPushButton] = {}
        tranche_row = QHBoxLayout()
        tranche_row.addWidget(self.plan_button)
        tranche_row.addStretch(1)
        for status, text in (
            (PaymentStatus.INSTRUCTED, "angewiesen"),
            (PaymentStatus.PAID, PAID_SPEC.button),
            (PaymentStatus.CANCELLED, "storniert …"),
        ):
            button = QPushButton(text, self.payments_page)
            button.setAccessibleName(f"Gewählte Tranche: {status.label}")
            button.setEnabled(False)
            button.clicked.connect(partial(self._on_tranche_button_clicked, status))
            tranche_row.addWidget(button)
            self.tranche_buttons[status] = button
        payments_layout = QVBoxLayout(self.payments_page)
        payments_layout.setContentsMargins(0, 0, 0, 0)
        payments_layout.addWidget(self.payments_table, 1)
        payments_layout.addLayout(tranche_row)
        self.tabs.addTab(self.history_table, "&Verlauf")
        self.tabs.addTab(self.payments_page, "A&uszahlungen")
        self.audit_view = HistoryView(database, self.tabs)
        self.tabs.addTab(self.audit_view, "Ä&nderungen")
        placeholder = placeholder_label("Wählen Sie oben eine Zuwendung aus.", self)
        self.stack = selection_stack(self, placeholder, shown, header, self.tabs)

        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.decision_button.clicked.connect(self._on_decision_button_clicked)
        self.plan_button.clicked.connect(self._on_plan_button_clicked)
        self.payments_table.itemSelectionChanged.connect(self._update_tranche_buttons)

    # --- showing --------------------------------------------------------------------------

    def show_grant(self, grant_id: int | None) -> None:
        """Show ``grant_id`` (None or a deleted grant: the placeholder)."""
        view = None
        if grant_id is not None:
            with self._database.session() as session:
                grant = get_grant(session, grant_id)
                view = read_grant(grant) if grant is not None else None
        self.grant = view
        self.stack.setCurrentIndex(0 if view is None else 1)
        self.audit_view.show_record("grant", grant_id if view is not None else None)
        if view is None:
            self._set_actions(())
            self._update_tranche_buttons()
            return
        self.heading.setText(f"{view.file_number} · {view.title}")
        self.subtitle.setText(f"{view.recipient} · {view.program} · Haushaltsjahr {view.year}")
        self.path_label.setText(path_html(view.status))
        self.path_label.setAccessibleName(path_text(view.status))
        amounts = (
            ("Beantragt", view.requested),
            ("Bewilligt", view.approved),
            ("Ausgezahlt", view.paid),
            ("Offen", view.open_cents),
        )
        self.amounts_label.setText(
            "&nbsp;&nbsp;&nbsp;".join(
                f"{name} <b>{escape(format_money(cents) or '–')}</b>" for name, cents in amounts
            )
        )
        self.amounts_label.setAccessibleName(
            ", ".join(f"{name} {format_money(cents) or 'keine Angabe'}" for name, cents in amounts)
        )
        self._set_actions(view.allowed)
        self.decision_button.setVisible(view.status in DECISION_STATES)
        _fill(self.history_table, view.history, None)
        _fill(self.payments_table, view.payments, 1)
        self.tabs.setTabText(1, f"A&uszahlungen ({len(view.payments)})")
        planning = view.status in PLANNING_STATES
        self.plan_button.setEnabled(planning)
        self.plan_button.setToolTip(
            "Eine Tranche mit Betrag und Fälligkeit planen"
            if planning
            else f"Tranchen erst nach der Bewilligung (jetzt: {view.status.label})"
        )
        self._update_tranche_buttons()

    def _set_actions(self, allowed: tuple[GrantStatus, ...]) -> None:
        for button in self.action_buttons.values():
            self.actions_row.removeWidget(button)
            button.setParent(None)  # out of the focus chain at once
            button.deleteLater()
        self.action_buttons = {}
        for status in allowed:
            spec = action_spec(status)
            button = QPushButton(spec.button, self)
            button.setAccessibleName(spec.button.rstrip(" …"))
            button.clicked.connect(partial(self._on_action_button_clicked, status))
            self.actions_row.addWidget(button)
            self.action_buttons[status] = button
        # New buttons would come last for Tab; put them before "Bescheid (PDF)".
        before = previous_tab_stop(self.decision_button)
        if before is not self.decision_button:
            chain_tabs([before, *self.action_buttons.values()])

    # --- acting ---------------------------------------------------------------------------

    def run_action(self, to: GrantStatus, entered: ActionInput) -> str:
        """Make the transition, asking before the budget is exceeded; "" or why not."""
        grant = self.grant
        if grant is None:
            return "Die Zuwendung ist nicht mehr ausgewählt."
        try:
            self._transition(grant.id, to, entered, confirm=False)
        except BudgetExceeded as err:
            answer = QMessageBox.question(
                self,
                "Budget überschritten",
                str(err),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return "Nicht bewilligt: Betrag anpassen oder abbrechen."
            try:
                self._transition(grant.id, to, entered, confirm=True)
            except UserError as again:
                return str(again)
        except UserError as err:
            return str(err)
        self.show_grant(grant.id)
        self.changed.emit(f"{grant.file_number}: {to.label}")
        return ""

    def _transition(
        self, grant_id: int, to: GrantStatus, entered: ActionInput, *, confirm: bool
    ) -> None:
        with self._database.session() as session:
            transition(
                session,
                grant_id,
                to,
                note=entered.note,
                amount_cents=entered.amount_cents,
                on=entered.on,
                confirm_over_budget=confirm,
            )

    def _suggested_amount(self, to: GrantStatus) -> int | None:
        grant = self.grant
        if grant is None:
            return None
        if to == GrantStatus.APPROVED:
            return grant.requested
        if to == GrantStatus.PAYING:
            return grant.open_cents
        if to == GrantStatus.PROOF_CHECKED:
            return grant.paid
        return None

    def _on_action_button_clicked(self, to: GrantStatus, _checked: bool = False) -> None:
        grant = self.grant
        if grant is None:
            return
        dialog = ActionDialog(
            action_spec(to),
            subject=f"{grant.file_number} · {grant.title}",
            submit=partial(self.run_action, to),
            amount_cents=self._suggested_amount(to),
            today=date.today(),
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._on_dialog_finished)
        self.dialog = dialog
        dialog.open()

    # --- tranches -------------------------------------------------------------------------

    def selected_tranche(self) -> tuple[int, PaymentStatus] | None:
        """(payment id, status) of the selected payments row, if any."""
        grant = self.grant
        row = self.payments_table.currentRow()
        selected = self.payments_table.selectionModel().hasSelection()
        if grant is None or not selected or not 0 <= row < len(grant.tranches):
            return None
        return grant.tranches[row]

    def _update_tranche_buttons(self) -> None:
        tranche = self.selected_tranche()
        moves = TRANCHE_MOVES.get(tranche[1], ()) if tranche is not None else ()
        for status, button in self.tranche_buttons.items():
            button.setEnabled(status in moves)
            if tranche is None:
                button.setToolTip("Bitte zuerst eine Tranche in der Liste wählen.")
            elif status in moves:
                button.setToolTip(f"Die gewählte Tranche als „{status.label}“ erfassen")
            else:
                button.setToolTip(
                    f"Eine Tranche „{tranche[1].label}“ kann nicht „{status.label}“ werden."
                )

    def plan_tranche(self, entered: ActionInput) -> str:
        """Plan a tranche of the shown grant; "" or why not."""
        grant = self.grant
        if grant is None:
            return "Die Zuwendung ist nicht mehr ausgewählt."
        if entered.amount_cents is None or entered.on is None:
            return "Bitte Betrag und Fälligkeit angeben."
        try:
            with self._database.session() as session:
                plan_payment(session, grant.id, entered.amount_cents, entered.on, note=entered.note)
        except UserError as err:
            return str(err)
        self.show_grant(grant.id)
        self.changed.emit(
            f"{grant.file_number}: Tranche {format_money(entered.amount_cents)} geplant"
        )
        return ""

    def move_tranche(self, payment_id: int, to: PaymentStatus, on: date | None = None) -> str:
        """Move a tranche forward; "" or why not."""
        grant = self.grant
        if grant is None:
            return "Die Zuwendung ist nicht mehr ausgewählt."
        try:
            with self._database.session() as session:
                set_payment_status(session, payment_id, to, on=on)
        except UserError as err:
            return str(err)
        self.show_grant(grant.id)
        self.changed.emit(f"{grant.file_number}: Tranche {to.label}")
        return ""

    def _open_dialog(self, dialog: ActionDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._on_dialog_finished)
        self.dialog = dialog
        dialog.open()

    def _on_plan_button_clicked(self) -> None:
        grant = self.grant
        if grant is None:
            return
        self._open_dialog(
            ActionDialog(
                PLAN_SPEC,
                subject=f"{grant.file_number} · {grant.title}",
                submit=self.plan_tranche,
                amount_cents=grant.open_cents,
                today=date.today(),
                parent=self,
            )
        )

    def _on_tranche_button_clicked(self, to: PaymentStatus, _checked: bool = False) -> None:
        grant, tranche = self.grant, self.selected_tranche()
        if grant is None or tranche is None:
            return
        payment_id = tranche[0]
        if to == PaymentStatus.PAID:
            self._open_dialog(
                ActionDialog(
                    PAID_SPEC,
                    subject=f"{grant.file_number} · {grant.title}",
                    submit=lambda entered: self.move_tranche(payment_id, to, entered.on),
                    today=date.today(),
                    parent=self,
                )
            )
            return
        if to == PaymentStatus.CANCELLED:
            amount = self.payments_table.item(self.payments_table.currentRow(), 1)
            answer = QMessageBox.question(
                self,
                "Tranche stornieren",
                f"Die Tranche über {amount.text() if amount else ''} von "
                f"„{grant.file_number}“ stornieren?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        problem = self.move_tranche(payment_id, to)
        if problem:
            QMessageBox.warning(self, "Tranche", problem)

    def _on_dialog_finished(self, _result: int) -> None:
        self.dialog = None

    def _on_edit_button_clicked(self) -> None:
        if self.grant is not None:
            self.edit_requested.emit(self.grant.id)

    def _on_decision_button_clicked(self) -> None:
        grant = self.grant
        if grant is None:
            return
        safe = grant.file_number.replace("/", "-") or str(grant.id)
        path = ask_save_path(
            self,
            caption="Bescheid speichern",
            name=f"Bescheid {safe}.pdf",
            file_filter="PDF-Dokument (*.pdf)",
            folder_key=FOLDER_KEY,
        )
        if path is None:
            return
        database = self._database

        def job(progress: Progress) -> int:
            with database.session() as session:
                return write_decision_letter(session, path, grant_id=grant.id, progress=progress)

        outcome = run_task(self, job, title="Bescheid", label="Der Bescheid wird erstellt …")
        if outcome.ok:
            self.status_message.emit(f"Bescheid gespeichert: {path.name}")
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
