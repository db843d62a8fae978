"""Random text in every text field of every form: a stored record or a German message.

The editors validate through the service data classes (``errors()``) and store through the
save functions; both get random text here (control characters, NUL, lone surrogates, very
long strings, emoji, right-to-left text, mixed newlines). Each example ends either with a
stored record whose field reads back as ``clean_line``/``clean_text`` of the input, or with a
:class:`UserError` carrying German messages; never with another exception. A small sample
goes through the real Qt editors for measures and people.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session

from integrationsmanager.domain.errors import UserError, ValidationError
from integrationsmanager.domain.funding import FundingProgram
from integrationsmanager.domain.text import clean_line, clean_text
from integrationsmanager.services.action_items import ActionItemData, save_action_item
from integrationsmanager.services.grants import GrantData, save_grant
from integrationsmanager.services.indicators import (
    IndicatorData,
    ValueData,
    add_value,
    create_indicator,
)
from integrationsmanager.services.measures import (
    MeasureData,
    get_measure,
    guideline_by_number,
    save_measure,
)
from integrationsmanager.services.meetings import GroupData, MeetingData, save_group, save_meeting
from integrationsmanager.services.organisations import OrganisationData, save_organisation
from integrationsmanager.services.persons import PersonData, get_person, save_person
from integrationsmanager.services.programs import ProgramData, save_program
from integrationsmanager.services.settings import (
    OFFICE_FIELDS,
    office_settings,
    save_office_settings,
)
from integrationsmanager.storage.database import Database
from integrationsmanager.ui.measures.editor import MeasureEditor
from integrationsmanager.ui.network.person_editor import PersonEditor
from tests.robustness.fuzz import TEXT_WITH_SURROGATES, TRIED, write_counts

EXAMPLES = 40

Saver = Callable[[Session, Any], object]


@dataclass(frozen=True)
class Form:
    """A form: a valid record to start from (needs the session for ids) and its save."""

    valid: Callable[[Session], Any]
    save: Saver
    skip: frozenset[str] = frozenset()
    """Text fields the service turns into something else (read back differently)."""


def _group_id(session: Session) -> int:
    return save_group(session, GroupData(name="AG Sprache")).id


def _guideline(session: Session) -> int:
    guideline = guideline_by_number(session, 1)
    assert guideline is not None
    return guideline.id


def _program_id(session: Session) -> int:
    return session.scalars(select(FundingProgram.id).limit(1)).one()


def _organisation_id(session: Session) -> int:
    return save_organisation(session, OrganisationData(name="Verein Brücke")).id


def _indicator_id(session: Session) -> int:
    return create_indicator(session, IndicatorData(name="Teilnehmende Kurse")).id


FORMS: dict[str, Form] = {
    "Maßnahme": Form(
        lambda s: MeasureData(title="Elterncafé", guideline_id=_guideline(s)),
        lambda s, d: save_measure(s, d).measure,
    ),
    "Person": Form(
        lambda _s: PersonData(first_name="Olena", last_name="Kowalenko"),
        save_person,
        frozenset({"municipality", "languages"}),
    ),
    "Organisation": Form(
        lambda _s: OrganisationData(name="Verein Brücke"),
        save_organisation,
        frozenset({"municipality", "iban", "website"}),
    ),
    "Gremium": Form(lambda _s: GroupData(name="AG Sprache"), save_group),
    "Sitzung": Form(
        lambda s: MeetingData(group_id=_group_id(s), starts_at=datetime(2026, 3, 4, 10)),
        save_meeting,
    ),
    "Aufgabe": Form(
        lambda s: ActionItemData(title="Protokoll schreiben", group_id=_group_id(s)),
        lambda s, d: save_action_item(s, d, today=date(2026, 3, 4)),
    ),
    "Zuwendung": Form(
        lambda s: GrantData(
            program_id=_program_id(s),
            budget_year=2026,
            recipient_id=_organisation_id(s),
            project_title="Sommerfest",
        ),
        lambda s, d: save_grant(s, d).grant,
        frozenset({"file_number"}),  # an empty one is generated
    ),
    "Programm": Form(
        lambda _s: ProgramData(name="Kleinstförderung", short_code="KLF"),
        lambda s, d: s.get(FundingProgram, save_program(s, d)),
    ),
    "Kennzahl": Form(lambda _s: IndicatorData(name="Quote"), create_indicator),
    "Kennzahlwert": Form(
        lambda _s: ValueData(year=2025, reference_date=None, value=Decimal("12.5")),
        lambda s, d: add_value(s, _indicator_id(s), d),
    ),
}


def _text_fields(data: Any) -> list[str]:
    return [f.name for f in dataclasses.fields(data) if f.type in ("str", "list[str]")]


def _errors(data: Any, session: Session) -> dict[str, str]:
    if isinstance(data, ProgramData):
        return data.errors(session)
    if isinstance(data, ActionItemData):
        return data.errors(today=date(2026, 3, 4))
    return dict(data.errors())


def _assert_german(messages: list[str]) -> None:
    assert messages and all(isinstance(m, str) and len(m.strip()) > 3 for m in messages)


@pytest.fixture(scope="module", autouse=True)
def report_counts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    yield
    print("\n" + write_counts(tmp_path_factory.getbasetemp(), "hypothesis-forms.json", "Formular"))


@pytest.mark.parametrize("name", list(FORMS))
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), text=TEXT_WITH_SURROGATES)
def test_random_text_in_any_field_is_stored_or_refused_in_german(
    db: Database, name: str, data: st.DataObject, text: str
) -> None:
    TRIED[f"Formular {name}"] += 1
    form = FORMS[name]
    with db.sessions() as session:
        try:
            record = form.valid(session)
            field = data.draw(st.sampled_from(_text_fields(record)), label="field")
            is_list = isinstance(getattr(record, field), list)
            record = dataclasses.replace(record, **{field: [text] if is_list else text})
            problems = _errors(record, session)
            for message in problems.values():
                _assert_german([message])
            try:
                stored = form.save(session, record)
                session.flush()
            except ValidationError as err:
                _assert_german(list(err.errors.values()))
                return
            except UserError as err:
                _assert_german([str(err)])
                return
            assert not problems, f"{name}.{field}: saved although the form says {problems}"
            if is_list or field in form.skip:
                return
            value = getattr(stored, field, None)
            if isinstance(value, str):
                assert value in (clean_line(text), clean_text(text)), (field, value)
        finally:
            session.rollback()


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(field=st.sampled_from([f.key for f in OFFICE_FIELDS]), text=TEXT_WITH_SURROGATES)
def test_random_text_in_the_settings_is_stored_or_refused_in_german(
    db: Database, field: str, text: str
) -> None:
    TRIED["Formular Einstellungen"] += 1
    with db.sessions() as session:
        try:
            values = office_settings(session)
            values[field] = text
            try:
                save_office_settings(session, values)
            except ValidationError as err:
                _assert_german(list(err.errors.values()))
                return
            session.flush()
            assert office_settings(session)[field] == clean_line(text)
        finally:
            session.rollback()


# --- the real editors ----------------------------------------------------------------------

WIDGET_EXAMPLES = 12
"""A sample only: each example builds and shows a whole editor."""


def _close(editor: QWidget) -> None:
    editor.hide()
    editor.deleteLater()


def _refused_in_german(editor: Any) -> bool:
    """Save is disabled and the form says why, next to a field or in its hint line."""
    shown = [label.text() for label in editor.error_labels.values() if label.isVisibleTo(editor)]
    shown.append(editor.hint_label.text())
    return not editor.save_button.isEnabled() and any(len(t.strip()) > 3 for t in shown)


@pytest.mark.usefixtures("no_questions")
@settings(
    max_examples=WIDGET_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(title=TEXT_WITH_SURROGATES, goal=TEXT_WITH_SURROGATES)
def test_random_text_in_the_measure_editor(
    qtbot: QtBot, db: Database, title: str, goal: str
) -> None:
    TRIED["Formular Maßnahme (Qt-Editor)"] += 1
    editor = MeasureEditor(db)
    qtbot.addWidget(editor)
    editor.show()
    combo = editor.guideline_combo
    with db.session() as session:
        combo.setCurrentIndex(combo.findData(_guideline(session)))
    editor.title_edit.setText(title)
    editor.goal_edit.setPlainText(goal)
    typed_title, typed_goal = editor.title_edit.text(), editor.goal_edit.toPlainText()
    if not editor.save_button.isEnabled():
        assert _refused_in_german(editor)
        _close(editor)
        return
    with qtbot.waitSignal(editor.saved) as saved:
        editor.save_button.click()
    with db.session() as session:
        measure = get_measure(session, saved.args[0])
        assert measure is not None
        assert measure.title == clean_line(typed_title)
        assert measure.goal == clean_text(typed_goal)
    _close(editor)


_PEOPLE = iter(range(1_000_000))


@pytest.mark.usefixtures("no_questions")
@settings(
    max_examples=WIDGET_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(last_name=TEXT_WITH_SURROGATES, notes=TEXT_WITH_SURROGATES)
def test_random_text_in_the_person_editor(
    qtbot: QtBot, db: Database, last_name: str, notes: str
) -> None:
    TRIED["Formular Person (Qt-Editor)"] += 1
    editor = PersonEditor(db)
    qtbot.addWidget(editor)
    editor.show()
    editor.first_name_edit.setText(f"Olena {next(_PEOPLE)}")  # never a duplicate
    editor.last_name_edit.setText(last_name)
    editor.notes_edit.setPlainText(notes)
    typed_last, typed_notes = editor.last_name_edit.text(), editor.notes_edit.toPlainText()
    if not editor.save_button.isEnabled():
        assert _refused_in_german(editor)
        _close(editor)
        return
    with qtbot.waitSignal(editor.saved) as saved:
        editor.save_button.click()
    with db.session() as session:
        person = get_person(session, saved.args[0])
        assert person is not None
        assert person.last_name == clean_line(typed_last)
        assert person.notes == clean_text(typed_notes)
    _close(editor)


@pytest.fixture
def no_questions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Closing a changed editor asks; never let that block a test."""
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Discard)
