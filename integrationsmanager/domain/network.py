"""The network: organisations, people, their roles and the contact history."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from integrationsmanager.domain.base import Base, Tracked
from integrationsmanager.domain.common import Guideline, Tag, link_table
from integrationsmanager.domain.enums import ActivityKind, OrganisationKind

organisation_guideline = link_table("organisation_guideline", "organisation", "guideline")
organisation_tag = link_table("organisation_tag", "organisation", "tag")
person_tag = link_table("person_tag", "person", "tag")


class Organisation(Tracked, Base):
    __tablename__ = "organisation"

    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(40), default=OrganisationKind.OTHER)
    street: Mapped[str] = mapped_column(String(200), default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    municipality: Mapped[str] = mapped_column(String(100), default="", index=True)
    phone: Mapped[str] = mapped_column(String(100), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    register_number: Mapped[str] = mapped_column(String(100), default="")
    iban: Mapped[str] = mapped_column(String(34), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    name_folded: Mapped[str] = mapped_column(String(300), default="", index=True)
    search_text: Mapped[str] = mapped_column(Text, default="")

    guidelines: Mapped[list[Guideline]] = relationship(secondary=organisation_guideline)
    tags: Mapped[list[Tag]] = relationship(secondary=organisation_tag)
    roles: Mapped[list[PersonRole]] = relationship(back_populates="organisation")


class Person(Tracked, Base):
    __tablename__ = "person"

    salutation: Mapped[str] = mapped_column(String(30), default="")
    title: Mapped[str] = mapped_column(String(50), default="")
    first_name: Mapped[str] = mapped_column(String(150), default="")
    last_name: Mapped[str] = mapped_column(String(150), default="")
    street: Mapped[str] = mapped_column(String(200), default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    municipality: Mapped[str] = mapped_column(String(100), default="", index=True)
    languages: Mapped[str] = mapped_column(String(300), default="")
    """Languages spoken, comma-separated as typed (the office looks for mediators)."""
    notes: Mapped[str] = mapped_column(Text, default="")
    # Data protection (DSGVO)
    legal_basis: Mapped[str] = mapped_column(String(200), default="")
    purpose: Mapped[str] = mapped_column(String(300), default="")
    consent_given_on: Mapped[date | None] = mapped_column(Date)
    consent_purpose: Mapped[str] = mapped_column(String(300), default="")
    consent_how: Mapped[str] = mapped_column(String(100), default="")
    consent_withdrawn_on: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(300), default="")
    """Where the data came from (import file, form, meeting) for Art. 15 answers."""
    erased: Mapped[bool] = mapped_column(Boolean, default=False)
    name_folded: Mapped[str] = mapped_column(String(300), default="", index=True)
    search_text: Mapped[str] = mapped_column(Text, default="")

    emails: Mapped[list[PersonEmail]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="PersonEmail.id"
    )
    phones: Mapped[list[PersonPhone]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="PersonPhone.id"
    )
    roles: Mapped[list[PersonRole]] = relationship(
        back_populates="person", cascade="all, delete-orphan"
    )
    tags: Mapped[list[Tag]] = relationship(secondary=person_tag)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.title, self.first_name, self.last_name) if p)


class PersonEmail(Tracked, Base):
    __tablename__ = "person_email"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    address: Mapped[str] = mapped_column(String(200))
    address_folded: Mapped[str] = mapped_column(String(200), index=True, default="")
    label: Mapped[str] = mapped_column(String(50), default="")

    person: Mapped[Person] = relationship(back_populates="emails")


class PersonPhone(Tracked, Base):
    __tablename__ = "person_phone"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(100))
    label: Mapped[str] = mapped_column(String(50), default="")

    person: Mapped[Person] = relationship(back_populates="phones")


class PersonRole(Tracked, Base):
    """A person's function in an organisation, from–to."""

    __tablename__ = "person_role"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    function: Mapped[str] = mapped_column(String(200), default="")
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)

    person: Mapped[Person] = relationship(back_populates="roles")
    organisation: Mapped[Organisation] = relationship(back_populates="roles")


class Activity(Tracked, Base):
    """A dated note in the contact history of an organisation, person, measure or grant."""

    __tablename__ = "activity"

    happened_on: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(20), default=ActivityKind.NOTE)
    subject: Mapped[str] = mapped_column(String(300), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(100), default="")
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    measure_id: Mapped[int | None] = mapped_column(
        ForeignKey("measure.id", ondelete="CASCADE"), index=True
    )
    grant_id: Mapped[int | None] = mapped_column(
        ForeignKey("grant.id", ondelete="CASCADE"), index=True
    )
