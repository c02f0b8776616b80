"""Tables of the custody room: the current-custody projection, roll calls, discrepancies."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from custodia.db import Base, UTCDateTime

_SEQ = BigInteger().with_variant(Integer, "sqlite")


class CustodyRecord(Base):
    """Who is where now: one row per person ever in custody, kept equal to a replay of the
    ledger by the same transaction that appends each event."""

    __tablename__ = "custody_state"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))
    facility_id: Mapped[int | None] = mapped_column(ForeignKey("facility.id"))
    authority_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))
    movement_id: Mapped[str | None] = mapped_column(String(64))
    origin_facility_id: Mapped[int | None] = mapped_column(ForeignKey("facility.id"))
    destination_facility_id: Mapped[int | None] = mapped_column(ForeignKey("facility.id"))
    last_seq: Mapped[int] = mapped_column(_SEQ)
    since: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        Index("ix_custody_state_facility_status", "facility_id", "status"),
        Index("ix_custody_state_movement", "movement_id"),
    )


class RollCall(Base):
    __tablename__ = "roll_call"

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facility.id"), index=True)
    taken_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    expected_count: Mapped[int] = mapped_column(Integer)
    present_count: Mapped[int] = mapped_column(Integer)
    missing_count: Mapped[int] = mapped_column(Integer)
    unexpected_count: Mapped[int] = mapped_column(Integer)
    headcount_seq: Mapped[int] = mapped_column(_SEQ)


class Discrepancy(Base):
    """A difference between what was counted and what the records say, open until resolved."""

    __tablename__ = "discrepancy"

    id: Mapped[int] = mapped_column(primary_key=True)
    roll_call_id: Mapped[int | None] = mapped_column(ForeignKey("roll_call.id"), index=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facility.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    kind: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str] = mapped_column(Text)
    opened_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    # who counted, reconciled or decided what opened it (a roll call's recorder, the
    # officer who recorded an arrival, the reviewer whose merge found a man held twice)
    opened_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    status: Mapped[str] = mapped_column(String(16), default="open")
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    resolution: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_discrepancy_status_facility", "status", "facility_id"),)
