"""Tables of the registry room."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    Boolean,
    Date,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from custodia.db import Base, UTCDateTime


class Role(enum.StrEnum):
    ADMIN = "admin"
    CUSTODY_OFFICER = "custody_officer"
    PLANNER = "planner"
    ANALYST = "analyst"
    MONITOR = "monitor"


class FacilityKind(enum.StrEnum):
    PRISON = "prison"
    HOLDING_SITE = "holding_site"
    CAMP = "camp"
    STAGING_AIRFIELD = "staging_airfield"
    RECEIVING_FACILITY = "receiving_facility"


class PersonCategory(enum.StrEnum):
    DETAINEE = "detainee"
    CAMP_RESIDENT = "camp_resident"


class Sex(enum.StrEnum):
    MALE = "M"
    FEMALE = "F"
    UNKNOWN = "U"


class NameKind(enum.StrEnum):
    PRIMARY = "primary"
    ALIAS = "alias"
    KUNYA = "kunya"
    NOM_DE_GUERRE = "nom_de_guerre"


class Script(enum.StrEnum):
    LATIN = "Latn"
    ARABIC = "Arab"


def _enum(cls: type[enum.StrEnum]) -> Enum:
    return Enum(cls, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e])


class Organization(Base):
    __tablename__ = "organization"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(64))
    country: Mapped[str] = mapped_column(String(2))


class User(Base):
    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    role: Mapped[Role] = mapped_column(_enum(Role))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class ApiToken(Base):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class Facility(Base):
    __tablename__ = "facility"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[FacilityKind] = mapped_column(_enum(FacilityKind))
    town: Mapped[str] = mapped_column(String(100))
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    capacity: Mapped[int] = mapped_column(Integer)
    authority_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))


class ThreatLevel(Base):
    """One entry of a facility's threat-level history (1 = calm .. 5 = imminent breach)."""

    __tablename__ = "facility_threat"

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facility.id"))
    level: Mapped[int] = mapped_column(Integer)
    effective_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    note: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        Index("ix_facility_threat_facility_effective", "facility_id", "effective_at"),
    )


class Person(Base):
    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[PersonCategory] = mapped_column(_enum(PersonCategory), index=True)
    sex: Mapped[Sex] = mapped_column(_enum(Sex))
    # A partial date of birth is a range: a known day has dob_earliest == dob_latest.
    dob_text: Mapped[str | None] = mapped_column(String(32))
    # indexed: who was born on a day, in a month or a year (intake weighs how rare that is)
    dob_earliest: Mapped[dt.date | None] = mapped_column(Date, index=True)
    dob_latest: Mapped[dt.date | None] = mapped_column(Date)
    risk_tier: Mapped[int] = mapped_column(Integer, default=1)
    mother_name: Mapped[str | None] = mapped_column(String(200))
    place_of_birth: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    names: Mapped[list[PersonName]] = relationship(order_by="PersonName.id", lazy="selectin")
    nationalities: Mapped[list[Nationality]] = relationship(lazy="selectin")
    documents: Mapped[list[IdentityDocument]] = relationship(lazy="selectin")


class PersonName(Base):
    __tablename__ = "person_name"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    kind: Mapped[NameKind] = mapped_column(_enum(NameKind))
    script: Mapped[Script] = mapped_column(_enum(Script))
    full_name: Mapped[str] = mapped_column(String(300))
    ism: Mapped[str | None] = mapped_column(String(100))
    nasab: Mapped[str | None] = mapped_column(String(200))
    nisba: Mapped[str | None] = mapped_column(String(100))
    kunya: Mapped[str | None] = mapped_column(String(100))
    # A name recorded after registration (an alias learnt at interview) says when, by whom
    # and from what; the names captured at registration leave these empty.
    recorded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    source: Mapped[str | None] = mapped_column(String(300))
    # Such a name found wrong (the interpreter misheard) is withdrawn, never deleted: it
    # stays on the record, marked, and no longer finds or screens it.
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    withdrawn_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    withdrawal_reason: Mapped[str | None] = mapped_column(String(300))


class NameToken(Base):
    """Search index: each folded token of each name, so a name search never scans persons."""

    __tablename__ = "person_name_token"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)


class Nationality(Base):
    __tablename__ = "person_nationality"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)
    country: Mapped[str] = mapped_column(String(2), primary_key=True, index=True)


class IdentityDocument(Base):
    __tablename__ = "identity_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    number: Mapped[str] = mapped_column(String(64))
    issuing_country: Mapped[str] = mapped_column(String(2))


class Household(Base):
    __tablename__ = "household"

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facility.id"), index=True)
    label: Mapped[str] = mapped_column(String(64))
    head_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))


class HouseholdMember(Base):
    __tablename__ = "household_member"

    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True, index=True)
    relation: Mapped[str] = mapped_column(String(32))


class FamilyLink(Base):
    """A directed family relation: ``person_id`` is the ``relation`` of ``relative_id``."""

    __tablename__ = "family_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    relative_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    relation: Mapped[str] = mapped_column(String(32))
    separated: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (UniqueConstraint("person_id", "relative_id", "relation"),)
