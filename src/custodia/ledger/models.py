"""Tables of the ledger room. Rows of ``ledger_event`` are never updated or deleted:
database triggers (see the migrations) refuse it on SQLite and PostgreSQL alike."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from custodia.db import Base, UTCDateTime


class LedgerEvent(Base):
    __tablename__ = "ledger_event"

    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=False
    )
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    event_type: Mapped[str] = mapped_column(String(32))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    facility_id: Mapped[int | None] = mapped_column(ForeignKey("facility.id"))
    authority_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    corrects_seq: Mapped[int | None] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    # The canonical RFC 8785 JSON of the whole event: what is hashed and chained.
    body: Mapped[str] = mapped_column(Text)
    leaf_hash: Mapped[str] = mapped_column(String(64))
    chain_hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_ledger_event_person_seq", "person_id", "seq"),
        Index("ix_ledger_event_facility_seq", "facility_id", "seq"),
    )


class Checkpoint(Base):
    """A signed tree head handed out to monitors."""

    __tablename__ = "ledger_checkpoint"

    id: Mapped[int] = mapped_column(primary_key=True)
    tree_size: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    root_hash: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    key_id: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(128))
    issued_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
