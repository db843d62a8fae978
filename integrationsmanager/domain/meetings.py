"""Working groups (Arbeitskreise, Beirat, Netzwerke), their meetings and action items."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from integrationsmanager.domain.base import Base, Tracked, UTCDateTime
from integrationsmanager.domain.common import Guideline, link_table
from integrationsmanager.domain.enums import (
    ActionStatus,
    AttendanceStatus,
    GroupKind,
    MeetingStatus,
    MemberRole,
)
from integrationsmanager.domain.network import Person

working_group_guideline = link_table("working_group_guideline", "working_group", "guideline")


class WorkingGroup(Tracked, Base):
    __tablename__ = "working_group"

    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(30), default=GroupKind.WORKING_GROUP)
    description: Mapped[str] = mapped_column(Text, default="")
    usual_place: Mapped[str] = mapped_column(String(300), default="")
    rhythm: Mapped[str] = mapped_column(String(200), default="")
    name_folded: Mapped[str] = mapped_column(String(300), default="")

    guidelines: Mapped[list[Guideline]] = relationship(secondary=working_group_guideline)
    members: Mapped[list[Membership]] = relationship(
        back_populates="group", cascade="all, delete-orphan"
    )
    meetings: Mapped[list[Meeting]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="Meeting.starts_at"
    )


class Membership(Tracked, Base):
    __tablename__ = "membership"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("working_group.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20), default=MemberRole.MEMBER)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)

    group: Mapped[WorkingGroup] = relationship(back_populates="members")
    person: Mapped[Person] = relationship()


class Meeting(Tracked, Base):
    __tablename__ = "meeting"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("working_group.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300), default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    place: Mapped[str] = mapped_column(String(300), default="")
    online_link: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(20), default=MeetingStatus.PLANNED)
    notes: Mapped[str] = mapped_column(Text, default="")
    ics_sequence: Mapped[int] = mapped_column(Integer, default=0)
    """Raised with every changed invitation, as RFC 5545 SEQUENCE requires."""

    group: Mapped[WorkingGroup] = relationship(back_populates="meetings")
    agenda: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="AgendaItem.position"
    )
    attendance: Mapped[list[Attendance]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )


class AgendaItem(Tracked, Base):
    """A TOP (Tagesordnungspunkt) with its minutes and decisions."""

    __tablename__ = "agenda_item"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=1)
    title: Mapped[str] = mapped_column(String(300))
    presenter_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    presenter_text: Mapped[str] = mapped_column(String(200), default="")
    planned_minutes: Mapped[int | None] = mapped_column(Integer)
    measure_id: Mapped[int | None] = mapped_column(
        ForeignKey("measure.id", ondelete="SET NULL"), index=True
    )
    minutes: Mapped[str] = mapped_column(Text, default="")
    decisions: Mapped[str] = mapped_column(Text, default="")

    meeting: Mapped[Meeting] = relationship(back_populates="agenda")
    presenter: Mapped[Person | None] = relationship()


class Attendance(Tracked, Base):
    """An invitee of a meeting and how they answered or attended."""

    __tablename__ = "attendance"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=AttendanceStatus.INVITED)

    meeting: Mapped[Meeting] = relationship(back_populates="attendance")
    person: Mapped[Person] = relationship()


class ActionItem(Tracked, Base):
    """A task from a meeting; open ones reappear at the group's next meeting until done."""

    __tablename__ = "action_item"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("working_group.id", ondelete="CASCADE"), index=True
    )
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting.id", ondelete="SET NULL"), index=True
    )
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_item.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(String(500))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(20), default=ActionStatus.OPEN, index=True)
    done_on: Mapped[date | None] = mapped_column(Date)
    measure_id: Mapped[int | None] = mapped_column(
        ForeignKey("measure.id", ondelete="SET NULL"), index=True
    )

    owner: Mapped[Person | None] = relationship()
