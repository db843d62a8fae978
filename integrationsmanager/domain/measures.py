"""Measures (Maßnahmen) under the guidelines, with their append-only progress log."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from integrationsmanager.domain.base import Base, Tracked
from integrationsmanager.domain.common import Guideline, Tag, link_table
from integrationsmanager.domain.enums import (
    MeasureStatus,
    PlanningDocument,
    Priority,
    Responsibility,
)

if TYPE_CHECKING:
    from integrationsmanager.domain.network import Organisation

measure_partner = link_table("measure_partner", "measure", "organisation")
measure_tag = link_table("measure_tag", "measure", "tag")
measure_indicator = link_table("measure_indicator", "measure", "indicator")


class Measure(Tracked, Base):
    __tablename__ = "measure"

    guideline_id: Mapped[int] = mapped_column(ForeignKey("guideline.id"), index=True)
    title: Mapped[str] = mapped_column(String(500))
    title_folded: Mapped[str] = mapped_column(String(500), default="", index=True)
    baseline: Mapped[str] = mapped_column(Text, default="")
    goal: Mapped[str] = mapped_column(Text, default="")
    implementation: Mapped[str] = mapped_column(Text, default="")
    responsibility: Mapped[str] = mapped_column(String(20), default=Responsibility.DIRECT)
    status: Mapped[str] = mapped_column(String(20), default=MeasureStatus.PLANNED, index=True)
    priority: Mapped[str] = mapped_column(String(20), default=Priority.MEDIUM)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    lead_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    planned_budget_cents: Mapped[int | None] = mapped_column(BigInteger)
    spent_cents: Mapped[int | None] = mapped_column(BigInteger)
    planning_document: Mapped[str] = mapped_column(String(30), default=PlanningDocument.NONE)
    planning_document_note: Mapped[str] = mapped_column(String(300), default="")
    search_text: Mapped[str] = mapped_column(Text, default="")
    """Folded title and texts (see :func:`integrationsmanager.domain.text.search_blob`)."""

    guideline: Mapped[Guideline] = relationship()
    lead_organisation: Mapped[Organisation | None] = relationship(
        foreign_keys=[lead_organisation_id]
    )
    partners: Mapped[list[Organisation]] = relationship(secondary=measure_partner)
    tags: Mapped[list[Tag]] = relationship(secondary=measure_tag)
    progress: Mapped[list[ProgressEntry]] = relationship(
        back_populates="measure",
        cascade="all, delete-orphan",
        order_by="ProgressEntry.entry_date.desc(), ProgressEntry.id.desc()",
    )


class ProgressEntry(Tracked, Base):
    """A dated note on a measure's progress; rows are only ever added."""

    __tablename__ = "progress_entry"

    measure_id: Mapped[int] = mapped_column(
        ForeignKey("measure.id", ondelete="CASCADE"), index=True
    )
    entry_date: Mapped[date] = mapped_column(Date)
    author: Mapped[str] = mapped_column(String(100), default="")
    text: Mapped[str] = mapped_column(Text)

    measure: Mapped[Measure] = relationship(back_populates="progress")
