"""Funding programmes and their annual budgets: list left, the programme's form right.

The form is a :class:`FormDialog` kept inside the window: Save writes and stays, Abbrechen
(or Esc) goes back to the saved values. Below it the programme's budgets per year; the
"Jahresbudget" dialog edits one year with its funding sources, whose sum is the budget.
The rules live in :mod:`integrationsmanager.services.programs`.
"""

from __future__ import annotations

from decimal import Decimal
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from integrationsmanager.domain.enums import FundingKind
from integrationsmanager.domain.errors import FieldError
from integrationsmanager.domain.money import format_money, format_number, to_cents, to_decimal
from integrationsmanager.services.programs import (
    MAX_PROOF_MONTHS,
    BudgetData,
    ProgramData,
    budgets_of,
    get_program,
    list_programs,
    program_data,
    save_program,
    set_budget,
)
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.widgets.form import FormDialog, discard_changes, form_group, text_edit

PROGRAM_LABELS = {
    "name": "Name",
    "short_code": "Kürzel",
    "legal_basis": "Rechtsgrundlage",
    "funding_kind": "Finanzierungsart",
    "max_amount": "Höchstbetrag",
    "max_rate": "Förderquote",
    "proof_due_months": "Frist Verwendungsnachweis",
}
BUDGET_LABELS = {"year": "Haushaltsjahr", "amount": "Budget", "sources": "Quellen"}
BUDGET_HEADERS = ("Jahr", "Budget", "Quellen")


def money_text(cents: int | None) -> str:
    """Cents as German text for a field ("524.062,50"), or empty."""
    amount = to_decimal(cents)
    return "" if amount is None else format_number(amount, places=2)


def rate_text(basis_points: int | None) -> str:
    """Basis points as a German percentage for a field ("80,00")."""
    if basis_points is None:
        return ""
    return format_number(Decimal(basis_points) / 100, places=2)


def name_spin_text(spin: QSpinBox) -> None:
    """The spin box's text field is named like the spin box, for screen readers."""
    line_edit = spin.lineEdit()
    if line_edit is not None:
        line_edit.setAccessibleName(spin.accessibleName())


def _parse(text: str, key: str, labels: dict[str, str], errors: dict[str, str]) -> int | None:
    """German amount text in hundredths (cents, or basis points for a percentage)."""
    try:
        return to_cents(text.replace("%", ""), field=labels[key])
    except FieldError as err:
        errors[key] = err.message
        return None


class ProgramForm(FormDialog):
    """The form of one programme, shown inside :class:`ProgramsDialog`."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(
            what="dieses Förderprogramm",
            field_labels=PROGRAM_LABELS,
            required=("name", "short_code"),
            parent=parent,
        )
        self.setWindowFlags(Qt.WindowType.Widget)
        self.setWindowTitle("Förderprogramm[*]")
        self._database = database
        self.program_id: int | None = None
        self._loaded = ProgramData()

        content = QWidget(self)
        box, form = form_group("Förderprogramm", content)
        self.name_edit = QLineEdit(box)
        self.add_row(form, "&Name", self.name_edit, "name")
        self.code_edit = QLineEdit(box)
        self.code_edit.setMaxLength(10)
        self.add_row(form, "&Kürzel", self.code_edit, "short_code")
        self.legal_edit = QLineEdit(box)
        self.add_row(form, "&Rechtsgrundlage", self.legal_edit)
        self.kind_combo = QComboBox(box)
        for kind in FundingKind:
            self.kind_combo.addItem(kind.label, kind.value)
        self.add_row(form, "&Finanzierungsart", self.kind_combo)
        self.max_amount_edit = QLineEdit(box)
        self.max_amount_edit.setPlaceholderText("z. B. 25.000,00")
        self.add_row(
            form,
            "&Höchstbetrag (€)",
            self.max_amount_edit,
            "max_amount",
            accessible_name="Höchstbetrag in Euro",
        )
        self.max_rate_edit = QLineEdit(box)
        self.max_rate_edit.setPlaceholderText("z. B. 80")
        self.add_row(
            form,
            "Förder&quote (%)",
            self.max_rate_edit,
            "max_rate",
            accessible_name="Förderquote in Prozent",
        )
        self.months_spin = QSpinBox(box)
        self.months_spin.setRange(0, MAX_PROOF_MONTHS)
        self.months_spin.setSuffix(" Monate")
        self.add_row(
            form,
            "Frist &Verwendungsnachweis",
            self.months_spin,
            "proof_due_months",
            accessible_name="Frist für den Verwendungsnachweis in Monaten",
        )
        name_spin_text(self.months_spin)
        self.description_edit = text_edit(box, 3)
        self.add_row(form, "&Beschreibung", self.description_edit)
        self.active_check = QCheckBox("&Aktiv (für neue Zuwendungen wählbar)", box)
        self.active_check.setAccessibleName("Aktiv")
        form.addRow("", self.active_check)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(box)
        self.finish(content, accessible_name="Angaben zum Förderprogramm", characters=70)
        self.watch(
            {
                "name": self.name_edit.textChanged,
                "short_code": self.code_edit.textChanged,
                "max_amount": self.max_amount_edit.textChanged,
                "max_rate": self.max_rate_edit.textChanged,
                "proof_due_months": self.months_spin.valueChanged,
            },
            [
                self.legal_edit.textChanged,
                self.kind_combo.currentIndexChanged,
                self.description_edit.textChanged,
                self.active_check.toggled,
            ],
        )
        self.load(None)

    def load(self, program_id: int | None) -> None:
        """Fill the form with a saved programme, or empty for a new one."""
        self.program_id = program_id
        if program_id is None:
            data = ProgramData()
        else:
            with self._database.session() as session:
                data = program_data(get_program(session, program_id))
        self._loaded = data
        self.name_edit.setText(data.name)
        self.code_edit.setText(data.short_code)
        self.legal_edit.setText(data.legal_basis)
        self.kind_combo.setCurrentIndex(max(self.kind_combo.findData(str(data.funding_kind)), 0))
        self.max_amount_edit.setText(money_text(data.max_amount_cents))
        self.max_rate_edit.setText(rate_text(data.max_rate_bp))
        self.months_spin.setValue(data.proof_due_months)
        self.description_edit.setPlainText(data.description)
        self.active_check.setChecked(data.active)
        self._touched.clear()
        self._service_errors = {}
        self.start()

    def collect(self) -> tuple[ProgramData, dict[str, str]]:
        parse_errors: dict[str, str] = {}
        max_amount = _parse(self.max_amount_edit.text(), "max_amount", PROGRAM_LABELS, parse_errors)
        max_rate = _parse(self.max_rate_edit.text(), "max_rate", PROGRAM_LABELS, parse_errors)
        data = ProgramData(
            name=self.name_edit.text(),
            short_code=self.code_edit.text(),
            legal_basis=self.legal_edit.text(),
            funding_kind=FundingKind(self.kind_combo.currentData()),
            max_amount_cents=max_amount,
            max_rate_bp=max_rate,
            proof_due_months=self.months_spin.value(),
            description=self.description_edit.toPlainText(),
            active=self.active_check.isChecked(),
        )
        with self._database.session() as session:
            errors = data.errors(session, self.program_id)
        return data, {**errors, **parse_errors}

    def snapshot(self) -> object:
        data, _errors = self.collect()
        return (data, self.max_amount_edit.text(), self.max_rate_edit.text())

    def store(self, data: ProgramData) -> int:
        with self._database.session() as session:
            return save_program(session, data, self.program_id)

    def accept(self) -> None:
        """Saved: stay open with the saved values as the new starting point."""
        assert self.saved_id is not None
        self.load(self.saved_id)

    def reject(self) -> None:
        """Abbrechen or Esc: back to the saved values (asking before changes go)."""
        if self.is_dirty() and not discard_changes(self, "diesem Förderprogramm"):
            return
        self.load(self.program_id)


class BudgetDialog(FormDialog):
    """One year of a programme's budget: a plain amount, or funding sources that sum to it."""

    def __init__(
        self,
        database: Database,
        program_id: int,
        *,
        year: int,
        editing: bool,
        taken_years: set[int],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            what="dieses Jahresbudget",
            field_labels=BUDGET_LABELS,
            required=("amount",),
            parent=parent,
        )
        self._database = database
        self.program_id = program_id
        self._taken_years = set() if editing else set(taken_years)
        with database.session() as session:
            program = get_program(session, program_id)
            self.setWindowTitle(f"Jahresbudget – {program.name}[*]")
            existing = {
                y: (cents, sources) for y, cents, sources in budgets_of(session, program_id)
            }

        content = QWidget(self)
        box, form = form_group("Jahresbudget", content)
        self.year_spin = QSpinBox(box)
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(year)
        self.year_spin.setEnabled(not editing)
        self.add_row(form, "Haushalts&jahr", self.year_spin, "year")
        name_spin_text(self.year_spin)
        self.amount_edit = QLineEdit(box)
        self.amount_edit.setPlaceholderText("z. B. 524.062,50")
        self.add_row(
            form,
            "&Budget (€)",
            self.amount_edit,
            "amount",
            accessible_name="Budget in Euro (ohne Quellen)",
        )
        self.sources_box = QWidget(box)
        self.sources_grid = QGridLayout(self.sources_box)
        self.sources_grid.setContentsMargins(0, 0, 0, 0)
        self.sources_grid.addWidget(QLabel("Quelle", self.sources_box), 0, 0)
        self.sources_grid.addWidget(QLabel("Betrag (€)", self.sources_box), 0, 1)
        form.addRow("Quellen", self.sources_box)
        self.add_error_row(form, self.sources_box, "sources")
        self.add_source_button = QPushButton("&Quelle hinzufügen", box)
        self.add_source_button.setAccessibleName("Quelle hinzufügen")
        form.addRow("", self.add_source_button)
        self.total_label = QLabel(box)
        self.total_label.setAccessibleName("Summe des Jahresbudgets")
        self.total_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("Summe", self.total_label)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(box)
        self.source_rows: list[tuple[QLineEdit, QLineEdit, QPushButton]] = []

        cents, sources = existing.get(year, (None, []))
        if sources:
            for name, amount in sources:
                self.add_source(name, money_text(amount))
        else:
            self.amount_edit.setText(money_text(cents))
        self.finish(content, accessible_name="Angaben zum Jahresbudget", characters=70)
        self.add_source_button.clicked.connect(self._on_add_source_clicked)
        self.watch(
            {"year": self.year_spin.valueChanged, "amount": self.amount_edit.textChanged}, []
        )
        self.start()

    def add_source(self, name: str = "", amount: str = "") -> None:
        """A new row of name and amount (with a button to remove it)."""
        name_edit = QLineEdit(name, self.sources_box)
        amount_edit = QLineEdit(amount, self.sources_box)
        amount_edit.setPlaceholderText("0,00")
        remove = QPushButton("Entfernen", self.sources_box)
        row = (name_edit, amount_edit, remove)
        self.source_rows.append(row)
        self._layout_sources()
        name_edit.textChanged.connect(partial(self._on_field_edited, "sources"))
        amount_edit.textChanged.connect(partial(self._on_field_edited, "sources"))
        remove.clicked.connect(partial(self._on_remove_clicked, row))
        if hasattr(self, "hint_label"):
            self._on_form_changed()

    def _layout_sources(self) -> None:
        for number, (name_edit, amount_edit, remove) in enumerate(self.source_rows, start=1):
            for column, widget in enumerate((name_edit, amount_edit, remove)):
                self.sources_grid.addWidget(widget, number, column)
            name_edit.setAccessibleName(f"Quelle {number}: Name")
            amount_edit.setAccessibleName(f"Quelle {number}: Betrag in Euro")
            remove.setAccessibleName(f"Quelle {number} entfernen")
        self.amount_edit.setEnabled(not self.source_rows)

    def _on_add_source_clicked(self) -> None:
        self.add_source()
        self.source_rows[-1][0].setFocus()

    def _on_remove_clicked(self, row: tuple[QLineEdit, QLineEdit, QPushButton]) -> None:
        self.source_rows.remove(row)
        for widget in row:
            self.sources_grid.removeWidget(widget)
            widget.deleteLater()
        self._layout_sources()
        self._on_field_edited("sources")

    def collect(self) -> tuple[BudgetData, dict[str, str]]:
        parse_errors: dict[str, str] = {}
        sources: list[tuple[str, int]] = []
        for number, (name_edit, amount_edit, _remove) in enumerate(self.source_rows, start=1):
            try:
                cents = to_cents(amount_edit.text(), field=f"Quelle {number}")
            except FieldError as err:
                parse_errors.setdefault("sources", err.message)
                cents = 0
            sources.append((name_edit.text(), cents or 0))
        amount = None
        if not sources:
            amount = _parse(self.amount_edit.text(), "amount", BUDGET_LABELS, parse_errors)
        data = BudgetData(year=self.year_spin.value(), amount_cents=amount, sources=sources)
        errors = {**data.errors(), **parse_errors}
        if data.year in self._taken_years:
            errors["year"] = f"Für {data.year} gibt es schon ein Budget – bitte dieses bearbeiten."
        return data, errors

    def snapshot(self) -> object:
        return (
            self.year_spin.value(),
            self.amount_edit.text(),
            tuple((n.text(), a.text()) for n, a, _r in self.source_rows),
        )

    def _show_messages(self) -> None:
        super()._show_messages()
        data, errors = self.collect()
        if "sources" in errors or ("amount" in errors and not data.sources):
            self.total_label.setText("–")
        else:
            self.total_label.setText(format_money(data.total_cents))

    def store(self, data: BudgetData) -> int:
        with self._database.session() as session:
            return set_budget(
                session,
                self.program_id,
                data.year,
                None if data.sources else data.amount_cents,
                data.sources,
            )


class ProgramsDialog(QDialog):
    """All programmes; the selected one's form and budgets. Closes with "Schließen"."""

    def __init__(
        self,
        database: Database,
        *,
        year: int,
        program_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Förderprogramme und Budgets")
        self._database = database
        self._year = year
        self.budget_dialog: BudgetDialog | None = None
        self._years: list[int] = []

        self.program_list = QListWidget(self)
        self.program_list.setAccessibleName("Förderprogramme")
        self.new_button = QPushButton("&Neues Programm", self)
        self.new_button.setAccessibleName("Neues Programm")
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("Förderprogramme", left))
        left_layout.addWidget(self.program_list, 1)
        left_layout.addWidget(self.new_button)

        self.form = ProgramForm(database, self)
        self.budget_table = QTableWidget(0, len(BUDGET_HEADERS), self)
        self.budget_table.setAccessibleName("Jahresbudgets des Programms")
        self.budget_table.horizontalHeader().setAccessibleName("Spalten: Jahresbudgets")
        self.budget_table.setHorizontalHeaderLabels(BUDGET_HEADERS)
        self.budget_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.budget_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.budget_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.budget_table.setTabKeyNavigation(False)
        self.budget_table.verticalHeader().hide()
        header = self.budget_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.add_budget_button = QPushButton("Jahresbudget &hinzufügen …", self)
        self.add_budget_button.setAccessibleName("Jahresbudget hinzufügen")
        self.edit_budget_button = QPushButton("Jahresbudget &bearbeiten …", self)
        self.edit_budget_button.setAccessibleName("Jahresbudget bearbeiten")
        budget_bar = QHBoxLayout()
        budget_bar.addWidget(QLabel("Jahresbudgets", self), 1)
        budget_bar.addWidget(self.add_budget_button)
        budget_bar.addWidget(self.edit_budget_button)

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.form, 3)
        right_layout.addLayout(budget_bar)
        right_layout.addWidget(self.budget_table, 2)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([300, 800])
        self.close_buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = self.close_buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText("Schließen")
        close.setAccessibleName("Schließen")
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.close_buttons)
        self.resize(1100, 750)

        self.close_buttons.rejected.connect(self.close_dialog)
        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.program_list.currentItemChanged.connect(self._on_program_changed)
        self.form.saved.connect(self._on_form_saved)
        self.add_budget_button.clicked.connect(self._on_add_budget_clicked)
        self.edit_budget_button.clicked.connect(self._on_edit_budget_clicked)
        self.budget_table.doubleClicked.connect(self._on_edit_budget_clicked)
        self.budget_table.itemSelectionChanged.connect(self._update_buttons)
        self.fill_list(program_id)

    @property
    def program_id(self) -> int | None:
        return self.form.program_id

    def fill_list(self, select_id: int | None = None) -> None:
        """Read the programmes again and select ``select_id`` (else the first)."""
        with self._database.session() as session:
            programs = list_programs(session)
        self.program_list.blockSignals(True)
        self.program_list.clear()
        selected: QListWidgetItem | None = None
        for ident, name, code in programs:
            item = QListWidgetItem(f"{name} ({code})" if code else name, self.program_list)
            item.setData(Qt.ItemDataRole.UserRole, ident)
            if ident == select_id or (select_id is None and selected is None):
                selected = item
        if selected is not None:
            self.program_list.setCurrentItem(selected)
        self.program_list.blockSignals(False)
        chosen: int | None = None
        if selected is not None:
            chosen = int(selected.data(Qt.ItemDataRole.UserRole))
        if chosen != self.form.program_id or chosen is None:
            self.form.load(chosen)
        self.refresh_budgets()

    def select_program(self, program_id: int) -> None:
        for row in range(self.program_list.count()):
            item = self.program_list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == program_id:
                self.program_list.setCurrentItem(item)
                return

    def refresh_budgets(self) -> None:
        """The selected programme's budgets, one row per year."""
        rows: list[tuple[int, int, list[tuple[str, int]]]] = []
        if self.program_id is not None:
            with self._database.session() as session:
                rows = budgets_of(session, self.program_id)
        self._years = [year for year, _cents, _sources in rows]
        self.budget_table.setRowCount(len(rows))
        for number, (year, cents, sources) in enumerate(rows):
            cells = (
                str(year),
                format_money(cents),
                "; ".join(f"{name}: {format_money(amount)}" for name, amount in sources),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, year)
                if column == 1:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.budget_table.setItem(number, column, item)
        if rows:
            self.budget_table.selectRow(len(rows) - 1)
        self._update_buttons()

    def budget_years(self) -> list[int]:
        return list(self._years)

    def open_budget(self, year: int | None = None) -> BudgetDialog | None:
        """Open the "Jahresbudget" dialog for ``year`` (None: a new year) of this programme."""
        if self.program_id is None:
            return None
        taken = set(self.budget_years())
        editing = year is not None
        if year is None:
            year = self._year
            while year in taken:
                year += 1
        dialog = BudgetDialog(
            self._database,
            self.program_id,
            year=year,
            editing=editing,
            taken_years=taken,
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._on_budget_dialog_finished)
        self.budget_dialog = dialog
        dialog.open()
        return dialog

    def close_dialog(self) -> None:
        """Close, asking first when the programme's form has unsaved changes."""
        if self.form.is_dirty() and not discard_changes(self, "diesem Förderprogramm"):
            return
        self.done(QDialog.DialogCode.Accepted)

    def reject(self) -> None:
        self.close_dialog()

    def _update_buttons(self) -> None:
        saved = self.program_id is not None
        self.add_budget_button.setEnabled(saved)
        self.edit_budget_button.setEnabled(saved and bool(self.budget_table.selectedItems()))

    def _on_program_changed(
        self, current: QListWidgetItem | None, previous: QListWidgetItem | None
    ) -> None:
        if self.form.is_dirty() and not discard_changes(self, "diesem Förderprogramm"):
            self.program_list.blockSignals(True)
            self.program_list.setCurrentRow(self.program_list.row(previous) if previous else -1)
            self.program_list.blockSignals(False)
            return
        self.form.load(current.data(Qt.ItemDataRole.UserRole) if current is not None else None)
        self.refresh_budgets()

    def _on_new_button_clicked(self) -> None:
        if self.form.is_dirty() and not discard_changes(self, "diesem Förderprogramm"):
            return
        self.program_list.blockSignals(True)
        self.program_list.setCurrentRow(-1)
        self.program_list.clearSelection()
        self.program_list.blockSignals(False)
        self.form.load(None)
        self.refresh_budgets()
        self.form.name_edit.setFocus()

    def _on_form_saved(self, program_id: int) -> None:
        self.fill_list(program_id)

    def _on_add_budget_clicked(self) -> None:
        self.open_budget()

    def _on_edit_budget_clicked(self, *_args: object) -> None:
        items = self.budget_table.selectedItems()
        if items:
            self.open_budget(int(items[0].data(Qt.ItemDataRole.UserRole)))

    def _on_budget_dialog_finished(self, _result: int) -> None:
        self.budget_dialog = None
        self.refresh_budgets()
