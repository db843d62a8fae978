"""Indicators (Kennzahlen) and their values per period."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from integrationsmanager.domain.base import Base, DecimalText, Tracked
from integrationsmanager.domain.common import Guideline, link_table
from integrationsmanager.domain.enums import Direction

indicator_guideline = link_table("indicator_guideline", "indicator", "guideline")


class Indicator(Tracked, Base):
    __tablename__ = "indicator"

    name: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(50), default="")
    source: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    direction: Mapped[str] = mapped_column(String(10), default=Direction.NEUTRAL)
    target_value: Mapped[Decimal | None] = mapped_column(DecimalText())
    target_year: Mapped[int | None] = mapped_column(Integer)
    breakdown_key: Mapped[str] = mapped_column(String(100), default="")
    name_folded: Mapped[str] = mapped_column(String(300), default="", index=True)

    guidelines: Mapped[list[Guideline]] = relationship(secondary=indicator_guideline)
    values: Mapped[list[IndicatorValue]] = relationship(
        back_populates="indicator", cascade="all, delete-orphan"
    )


class IndicatorValue(Tracked, Base):
    """A value for a year or a reference date, optionally for one breakdown value."""

    __tablename__ = "indicator_value"

    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int] = mapped_column(Integer, index=True)
    reference_date: Mapped[date | None] = mapped_column(Date)
    breakdown_value: Mapped[str] = mapped_column(String(200), default="")
    value: Mapped[Decimal] = mapped_column(DecimalText())
    is_forecast: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(300), default="")
    note: Mapped[str] = mapped_column(Text, default="")

    indicator: Mapped[Indicator] = relationship(back_populates="values")
