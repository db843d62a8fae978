"""Use cases of measures: save with validation, delete, progress log, filtered queries.

Each function works inside the caller's session (one unit of work per user action, see
:meth:`integrationsmanager.storage.database.Database.session`). Queries return ids first so
that table views can fetch row data lazily (:func:`fetch_rows`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVarTuple

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import Session, selectinload

from integrationsmanager.domain.common import Guideline
from integrationsmanager.domain.enums import (
    LabelledEnum,
    MeasureStatus,
    PlanningDocument,
    Priority,
    Responsibility,
)
from integrationsmanager.domain.errors import UserError, ValidationError
from integrationsmanager.domain.measures import Measure, ProgressEntry
from integrationsmanager.domain.network import Organisation
from integrationsmanager.domain.text import clean_line, clean_text, fold, like_pattern, search_blob
from integrationsmanager.domain.validation import validate_measure
from integrationsmanager.services.organisations import resolve_names
from integrationsmanager.services.tags import resolve_tags
from integrationsmanager.storage.tracking import session_user


@dataclass
class MeasureData:
    """The editable fields of a measure, as an editor or an import row delivers them."""

    title: str
    guideline_id: int | None
    baseline: str = ""
    goal: str = ""
    implementation: str = ""
    responsibility: Responsibility = Responsibility.DIRECT
    status: MeasureStatus = MeasureStatus.PLANNED
    priority: Priority = Priority.MEDIUM
    start_date: date | None = None
    end_date: date | None = None
    lead_organisation: str = ""
    partners: list[str] = field(default_factory=list)
    planned_budget_cents: int | None = None
    spent_cents: int | None = None
    planning_document: PlanningDocument = PlanningDocument.NONE
    planning_document_note: str = ""
    tags: list[str] = field(default_factory=list)

    def errors(self) -> dict[str, str]:
        return validate_measure(
            title=self.title,
            guideline_id=self.guideline_id,
            start_date=self.start_date,
            end_date=self.end_date,
            planned_budget_cents=self.planned_budget_cents,
            spent_cents=self.spent_cents,
        )

    @classmethod
    def from_measure(cls, measure: Measure) -> MeasureData:
        return cls(
            title=measure.title,
            guideline_id=measure.guideline_id,
            baseline=measure.baseline,
            goal=measure.goal,
            implementation=measure.implementation,
            responsibility=Responsibility(measure.responsibility),
            status=MeasureStatus(measure.status),
            priority=Priority(measure.priority),
            start_date=measure.start_date,
            end_date=measure.end_date,
            lead_organisation=measure.lead_organisation.name if measure.lead_organisation else "",
            partners=[p.name for p in measure.partners],
            planned_budget_cents=measure.planned_budget_cents,
            spent_cents=measure.spent_cents,
            planning_document=PlanningDocument(measure.planning_document),
            planning_document_note=measure.planning_document_note,
            tags=[t.name for t in measure.tags],
        )


@dataclass
class SaveResult:
    measure: Measure
    created_organisations: list[str]


def save_measure(session: Session, data: MeasureData, measure_id: int | None = None) -> SaveResult:
    """Create (``measure_id`` None) or update a measure; raises ValidationError."""
    errors = data.errors()
    if data.guideline_id is not None and session.get(Guideline, data.guideline_id) is None:
        errors["guideline"] = f"Leitlinie {data.guideline_id} gibt es nicht."
    if errors:
        raise ValidationError(errors)
    if measure_id is None:
        measure = Measure()
    else:
        found = session.get(Measure, measure_id)
        if found is None:
            raise UserError(f"Maßnahme {measure_id} gibt es nicht (mehr).")
        measure = found
    names = [data.lead_organisation, *data.partners] if data.lead_organisation else data.partners
    with session.no_autoflush:
        organisations, created = resolve_names(session, names)
        tags = resolve_tags(session, data.tags)
    by_folded = {fold(o.name): o for o in organisations}
    lead = by_folded.get(fold(data.lead_organisation)) if data.lead_organisation else None
    partners = [by_folded[fold(n)] for n in data.partners if fold(n) in by_folded]

    measure.title = clean_line(data.title)
    measure.title_folded = fold(measure.title)
    measure.guideline_id = data.guideline_id  # type: ignore[assignment]
    measure.baseline = clean_text(data.baseline)
    measure.goal = clean_text(data.goal)
    measure.implementation = clean_text(data.implementation)
    measure.responsibility = data.responsibility
    measure.status = data.status
    measure.priority = data.priority
    measure.start_date = data.start_date
    measure.end_date = data.end_date
    measure.lead_organisation = lead
    measure.partners = [p for p in dict.fromkeys(partners) if p is not lead]
    measure.planned_budget_cents = data.planned_budget_cents
    measure.spent_cents = data.spent_cents
    measure.planning_document = data.planning_document
    measure.planning_document_note = clean_line(data.planning_document_note)
    measure.tags = tags
    measure.search_text = search_blob(
        measure.title,
        measure.baseline,
        measure.goal,
        measure.implementation,
        *(t.name for t in measure.tags),
    )
    session.add(measure)
    session.flush()
    return SaveResult(measure, created)


def delete_measure(session: Session, measure_id: int) -> None:
    measure = session.get(Measure, measure_id)
    if measure is None:
        raise UserError(f"Maßnahme {measure_id} gibt es nicht (mehr).")
    session.delete(measure)
    session.flush()


def add_progress(
    session: Session, measure_id: int, text: str, *, on: date | None = None, author: str = ""
) -> ProgressEntry:
    """Append a dated entry to a measure's progress log (entries are never edited)."""
    text = clean_text(text)
    if not text:
        raise ValidationError({"progress": "Bitte einen Text für den Fortschritt eingeben."})
    if session.get(Measure, measure_id) is None:
        raise UserError(f"Maßnahme {measure_id} gibt es nicht (mehr).")
    entry = ProgressEntry(
        measure_id=measure_id,
        entry_date=on or date.today(),
        author=clean_line(author) or session_user(session),
        text=text,
    )
    session.add(entry)
    session.flush()
    return entry


def get_measure(session: Session, measure_id: int) -> Measure | None:
    return session.scalars(
        select(Measure)
        .where(Measure.id == measure_id)
        .options(
            selectinload(Measure.partners),
            selectinload(Measure.tags),
            selectinload(Measure.progress),
        )
    ).first()


# --- queries -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureFilter:
    guideline_id: int | None = None
    status: MeasureStatus | None = None
    responsibility: Responsibility | None = None
    year: int | None = None
    search: str = ""

    @property
    def is_empty(self) -> bool:
        return self == MeasureFilter()


ID_CHUNK = 5000
"""Ids per ``IN (…)`` list; SQLite allows at most 32,766 parameters in one statement."""

SORT_KEYS = (
    "title",
    "guideline",
    "status",
    "responsibility",
    "priority",
    "start",
    "end",
    "lead",
    "budget",
)


def _order_by_enum(column: Any, enum: type[LabelledEnum]) -> Any:
    members = list(enum)
    return case({m.value: i for i, m in enumerate(members)}, value=column, else_=len(members))


_Columns = TypeVarTuple("_Columns")


def apply_filter(statement: Select[*_Columns], flt: MeasureFilter) -> Select[*_Columns]:
    """A query over :class:`Measure` narrowed to ``flt`` (lists, counts and charts share it)."""
    if flt.guideline_id is not None:
        statement = statement.where(Measure.guideline_id == flt.guideline_id)
    if flt.status is not None:
        statement = statement.where(Measure.status == flt.status)
    if flt.responsibility is not None:
        statement = statement.where(Measure.responsibility == flt.responsibility)
    if flt.year is not None:
        statement = statement.where(
            or_(Measure.start_date.is_(None), Measure.start_date <= date(flt.year, 12, 31)),
            or_(Measure.end_date.is_(None), Measure.end_date >= date(flt.year, 1, 1)),
        )
    if flt.search.strip():
        statement = statement.where(Measure.search_text.like(like_pattern(flt.search), escape="\\"))
    return statement


def measure_ids(
    session: Session,
    flt: MeasureFilter = MeasureFilter(),
    *,
    sort: str = "guideline",
    descending: bool = False,
) -> list[int]:
    """Ids of the measures matching ``flt`` in the requested order (id breaks ties)."""
    statement = apply_filter(select(Measure.id), flt)
    key: Any
    if sort == "title":
        key = Measure.title_folded
    elif sort == "guideline":
        statement = statement.join(Guideline, Guideline.id == Measure.guideline_id)
        key = Guideline.number
    elif sort == "status":
        key = _order_by_enum(Measure.status, MeasureStatus)
    elif sort == "responsibility":
        key = _order_by_enum(Measure.responsibility, Responsibility)
    elif sort == "priority":
        key = _order_by_enum(Measure.priority, Priority)
    elif sort == "start":
        key = Measure.start_date
    elif sort == "end":
        key = Measure.end_date
    elif sort == "budget":
        key = Measure.planned_budget_cents
    elif sort == "lead":
        statement = statement.outerjoin(
            Organisation, Organisation.id == Measure.lead_organisation_id
        )
        key = Organisation.name_folded
    else:
        raise ValueError(f"unknown sort key {sort!r}")
    order = [key.desc() if descending else key.asc()]
    if sort == "guideline":
        order.append(Measure.title_folded)
    order.append(Measure.id.desc() if descending else Measure.id)
    return list(session.scalars(statement.order_by(*order)))


def count_measures(session: Session, flt: MeasureFilter = MeasureFilter()) -> int:
    return session.scalar(apply_filter(select(func.count(Measure.id)), flt)) or 0


@dataclass(frozen=True)
class MeasureRow:
    """What a list shows of one measure."""

    id: int
    title: str
    guideline_number: int
    guideline_title: str
    status: MeasureStatus
    responsibility: Responsibility
    priority: Priority
    start_date: date | None
    end_date: date | None
    lead: str
    planned_budget_cents: int | None
    spent_cents: int | None


def fetch_rows(session: Session, ids: list[int]) -> dict[int, MeasureRow]:
    """Row data for ``ids`` in one query (the lazy table asks for a page at a time)."""
    if not ids:
        return {}
    statement = (
        select(
            Measure.id,
            Measure.title,
            Guideline.number,
            Guideline.title.label("guideline_title"),
            Measure.status,
            Measure.responsibility,
            Measure.priority,
            Measure.start_date,
            Measure.end_date,
            Organisation.name.label("lead"),
            Measure.planned_budget_cents,
            Measure.spent_cents,
        )
        .join(Guideline, Guideline.id == Measure.guideline_id)
        .outerjoin(Organisation, Organisation.id == Measure.lead_organisation_id)
        .where(Measure.id.in_(ids))
    )
    rows: dict[int, MeasureRow] = {}
    for r in session.execute(statement):
        rows[r.id] = MeasureRow(
            id=r.id,
            title=r.title,
            guideline_number=r.number,
            guideline_title=r.guideline_title,
            status=MeasureStatus(r.status),
            responsibility=Responsibility(r.responsibility),
            priority=Priority(r.priority),
            start_date=r.start_date,
            end_date=r.end_date,
            lead=r.lead or "",
            planned_budget_cents=r.planned_budget_cents,
            spent_cents=r.spent_cents,
        )
    return rows


def measures_for_report(session: Session, flt: MeasureFilter = MeasureFilter()) -> list[Measure]:
    """Full measures matching ``flt``, ordered by guideline and title, links loaded."""
    ids = measure_ids(session, flt, sort="guideline")
    if not ids:
        return []
    by_id: dict[int, Measure] = {}
    for start in range(0, len(ids), ID_CHUNK):
        found = session.scalars(
            select(Measure)
            .where(Measure.id.in_(ids[start : start + ID_CHUNK]))
            .options(
                selectinload(Measure.guideline),
                selectinload(Measure.lead_organisation),
                selectinload(Measure.partners),
                selectinload(Measure.tags),
                selectinload(Measure.progress),
            )
        )
        by_id.update((m.id, m) for m in found)
    return [by_id[i] for i in ids]


# --- guidelines ----------------------------------------------------------------------------


def guidelines(session: Session, *, include_retired: bool = False) -> list[Guideline]:
    statement = select(Guideline).order_by(Guideline.number)
    if not include_retired:
        statement = statement.where(Guideline.retired.is_(False))
    return list(session.scalars(statement))


def guideline_by_number(session: Session, number: int) -> Guideline | None:
    return session.scalars(
        select(Guideline)
        .where(Guideline.number == number)
        .order_by(Guideline.retired, Guideline.id.desc())
        .limit(1)
    ).first()


def status_counts(session: Session) -> dict[int, dict[MeasureStatus, int]]:
    """Per guideline id, the number of measures in each status (zeros included)."""
    counts: dict[int, dict[MeasureStatus, int]] = {
        g.id: dict.fromkeys(MeasureStatus, 0) for g in guidelines(session, include_retired=True)
    }
    statement = select(Measure.guideline_id, Measure.status, func.count()).group_by(
        Measure.guideline_id, Measure.status
    )
    for guideline_id, status, number in session.execute(statement):
        counts.setdefault(guideline_id, dict.fromkeys(MeasureStatus, 0))[MeasureStatus(status)] = (
            number
        )
    return counts
