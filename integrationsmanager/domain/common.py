"""Tables shared by every area: guidelines, tags, settings and the deletion log."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Column, Date, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column

from integrationsmanager.domain.base import Base, Tracked, UTCDateTime, new_uid, utcnow


class GuidelineEdition(Tracked, Base):
    """A version of the policy's guidelines; reports name the edition they used."""

    __tablename__ = "guideline_edition"

    title: Mapped[str] = mapped_column(String(300))
    adopted_on: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text, default="")
    current: Mapped[bool] = mapped_column(Boolean, default=False)


class Guideline(Tracked, Base):
    """One of the policy's guidelines (Leitlinien); staff may edit, add or retire them."""

    __tablename__ = "guideline"

    edition_id: Mapped[int | None] = mapped_column(ForeignKey("guideline_edition.id"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    goals: Mapped[str] = mapped_column(Text, default="")
    typical_measures: Mapped[str] = mapped_column(Text, default="")
    retired: Mapped[bool] = mapped_column(Boolean, default=False)

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}"


class Tag(Tracked, Base):
    """A free keyword; the folded name finds duplicates without a UNIQUE constraint."""

    __tablename__ = "tag"

    name: Mapped[str] = mapped_column(String(100))
    name_folded: Mapped[str] = mapped_column(String(100), index=True)


class Setting(Base):
    """Key/value settings that belong to the data (letterhead, invitation sender, retention)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class DeletionLog(Base):
    """Which record was deleted when, so copies can sync deletions; no personal data."""

    __tablename__ = "deletion_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), default=new_uid, unique=True)
    table_name: Mapped[str] = mapped_column(String(100))
    record_uid: Mapped[str] = mapped_column(String(36), index=True)
    deleted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


def link_table(name: str, left: str, right: str) -> Table:
    """A pure many-to-many association between ``left`` and ``right`` tables."""
    return Table(
        name,
        Base.metadata,
        Column(f"{left}_id", ForeignKey(f"{left}.id", ondelete="CASCADE"), primary_key=True),
        Column(f"{right}_id", ForeignKey(f"{right}.id", ondelete="CASCADE"), primary_key=True),
    )
