"""Tables of the transfers room: pre-transfer risk assessments, stored plans (document,
input snapshot, solver version, checker report), their sorties and manifest lines as they
are executed, and the monitor notifications."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from custodia.db import Base, UTCDateTime

_SEQ = BigInteger().with_variant(Integer, "sqlite")


class TransferAssessment(Base):
    """A pre-transfer (non-refoulement) risk assessment of one person; the latest counts."""

    __tablename__ = "transfer_assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    ref: Mapped[str] = mapped_column(String(64), unique=True)
    outcome: Mapped[str] = mapped_column(String(16))  # cleared | flagged
    assessed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    note: Mapped[str] = mapped_column(Text, default="")


class TransferPlan(Base):
    __tablename__ = "transfer_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("transfer_plan.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    solver_version: Mapped[str] = mapped_column(String(200))
    objective: Mapped[float] = mapped_column(Float)
    lower_bound: Mapped[float] = mapped_column(Float)
    gap: Mapped[float] = mapped_column(Float)
    document: Mapped[str] = mapped_column(Text)  # the plan JSON, operation snapshot included
    checker_report: Mapped[str] = mapped_column(Text)


class TransferSortie(Base):
    """A sortie of a stored plan, and how far its execution went."""

    __tablename__ = "transfer_sortie"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("transfer_plan.id"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    day: Mapped[int] = mapped_column(Integer)
    aircraft: Mapped[str] = mapped_column(String(32))
    origin_facility_id: Mapped[int | None] = mapped_column(ForeignKey("facility.id"))
    destination_facility_id: Mapped[int | None] = mapped_column(ForeignKey("facility.id"))
    movement_id: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="planned")
    departed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    departed_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    arrived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    arrived_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    __table_args__ = (UniqueConstraint("plan_id", "code"),)


class TransferManifestLine(Base):
    __tablename__ = "transfer_manifest_line"

    sortie_id: Mapped[int] = mapped_column(ForeignKey("transfer_sortie.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True, index=True)
    boarded_seq: Mapped[int | None] = mapped_column(_SEQ)
    received: Mapped[bool] = mapped_column(Boolean, default=False)
    intake_seq: Mapped[int | None] = mapped_column(_SEQ)


class MonitorNotification(Base):
    """The notification to the independent monitor of a transfer to another authority: one
    per sortie, naming every person on its manifest."""

    __tablename__ = "transfer_notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    sortie_id: Mapped[int] = mapped_column(ForeignKey("transfer_sortie.id"), unique=True)
    ref: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    persons: Mapped[str] = mapped_column(Text)  # JSON list of person ids
