"""Pick lists for people and measures: type any part of a name, or open the list and choose.

The choices are loaded once per dialog (tens or hundreds of entries), so the lists answer as
the user types without asking the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QLineEdit, QWidget
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from integrationsmanager.domain.enums import MeasureStatus
from integrationsmanager.domain.measures import Measure
from integrationsmanager.domain.network import Person, PersonRole
from integrationsmanager.domain.text import clean_line, fold
from integrationsmanager.services.meetings import organisation_of, person_sort_key
from integrationsmanager.services.persons import person_display_name


@dataclass(frozen=True)
class PersonChoice:
    """A person as the pick lists and tables show them."""

    id: int
    name: str
    """``Nachname, Vorname``"""
    organisation: str = ""
    email: str = ""

    @property
    def label(self) -> str:
        return f"{self.name} ({self.organisation})" if self.organisation else self.name


@dataclass(frozen=True)
class MeasureChoice:
    id: int
    title: str
    guideline_number: int
    status: MeasureStatus


def person_choice(person: Person) -> PersonChoice:
    return PersonChoice(
        id=person.id,
        name=person_display_name(person),
        organisation=organisation_of(person),
        email=person.emails[0].address if person.emails else "",
    )


def person_choices(session: Session) -> list[PersonChoice]:
    """Everyone in the network who has not been erased, by last and first name."""
    people = session.scalars(
        select(Person)
        .where(Person.erased.is_(False))
        .options(
            selectinload(Person.roles).selectinload(PersonRole.organisation),
            selectinload(Person.emails),
        )
    )
    return [person_choice(p) for p in sorted(people, key=person_sort_key)]


def measure_choices(session: Session) -> list[MeasureChoice]:
    """All measures by title, with the facts a pick list shows."""
    measures = session.scalars(select(Measure).options(selectinload(Measure.guideline)))
    return sorted(
        (
            MeasureChoice(m.id, m.title, m.guideline.number, MeasureStatus(m.status))
            for m in measures
        ),
        key=lambda m: (fold(m.title), m.id),
    )


class ChoiceCombo(QComboBox):
    """An editable combo box over labelled ids that finds an entry by any part of its label.

    ``chosen_id()`` is the id whose label the text equals (ignoring case), so a typed name
    that is in the list counts as chosen; any other text is kept as free text.
    """

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.line_edit = QLineEdit(self)
        self.setLineEdit(self.line_edit)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(16)
        self.setAccessibleName(name)
        self.line_edit.setAccessibleName(name)
        self._ids: dict[str, int] = {}

    def set_choices(self, choices: Iterable[tuple[int, str]]) -> None:
        text = self.currentText()
        self.blockSignals(True)
        self.clear()
        self._ids = {}
        for choice_id, label in choices:
            self.addItem(label, choice_id)
            self._ids.setdefault(fold(label), choice_id)
        completer = QCompleter(self.model(), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompleter(completer)
        self.setCurrentIndex(-1)
        self.setEditText(text)
        self.blockSignals(False)

    def text(self) -> str:
        return clean_line(self.currentText())

    def chosen_id(self) -> int | None:
        return self._ids.get(fold(self.text()))

    def set_id(self, choice_id: int | None, fallback: str = "") -> None:
        """Show the entry of ``choice_id``, or ``fallback`` as free text."""
        index = self.findData(choice_id) if choice_id is not None else -1
        self.setCurrentIndex(index)
        if index < 0:
            self.setEditText(fallback)
        # The start of a long label ("Schneider, Martina (Landratsamt …)") says the most.
        self.line_edit.setCursorPosition(0)

    def reset(self) -> None:
        self.setCurrentIndex(-1)
        self.setEditText("")


class PersonPicker(ChoiceCombo):
    """People of the network by ``Nachname, Vorname (Organisation)``."""

    def __init__(
        self, name: str, people: Iterable[PersonChoice] = (), parent: QWidget | None = None
    ) -> None:
        super().__init__(name, parent)
        self.line_edit.setPlaceholderText("Name eingeben oder wählen …")
        self.set_choices((p.id, p.label) for p in people)


class MeasureCombo(ChoiceCombo):
    """Measures by title; empty text means no measure."""

    def __init__(
        self, name: str, measures: Iterable[MeasureChoice] = (), parent: QWidget | None = None
    ) -> None:
        super().__init__(name, parent)
        self.line_edit.setPlaceholderText("keine – Titel eingeben oder wählen …")
        self.set_choices((m.id, m.title) for m in measures)
