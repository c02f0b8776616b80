"""Tables of the identity room: the candidate key index and name profiles of persons, the
review queue with its decisions and the merge links they make, and imported watchlists."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Float, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from custodia.db import Base, UTCDateTime

# a key is stored cut to this many characters: a look-up cuts its own keys alike
KEY_CHARS = 64


class NameKey(Base):
    """Candidate index: each skeleton key of each name a person is known by. An online search
    looks up its own keys here and never scans every person."""

    __tablename__ = "identity_name_key"

    key: Mapped[str] = mapped_column(String(KEY_CHARS), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True, index=True)


class Profile(Base):
    """The parsed names and side attributes of one person, as the scorer reads them (JSON),
    so scoring a candidate costs one row instead of four registry selects."""

    __tablename__ = "identity_profile"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)
    data: Mapped[str] = mapped_column(Text)


class IndexState(Base):
    """One row: the version of the name model (names.NAME_MODEL) that built the index. Keys
    and stored tokens of another version are rebuilt before a batch job reads them.
    ``generation`` counts the rewrites of indexed persons (a name recorded later, a
    rebuild), so every server process knows its key counts are out of date."""

    __tablename__ = "identity_index_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_model: Mapped[int] = mapped_column()
    generation: Mapped[int] = mapped_column(default=0, server_default="0")


class ReviewItem(Base):
    """A candidate same-person pair (``person_b_id``) or watchlist hit (``watchlist_entry_id``)
    waiting for, or having had, a decision. ``person_a_id < person_b_id`` for pairs."""

    __tablename__ = "identity_review_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # duplicate | watchlist
    # "p:<a>:<b>" or "w:<person>:<entry>": one item per pair, whatever its nullable columns
    pair_key: Mapped[str] = mapped_column(String(64), unique=True)
    person_a_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    person_b_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    watchlist_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("identity_watchlist_entry.id"), index=True
    )
    score: Mapped[float] = mapped_column(Float)
    sources: Mapped[str] = mapped_column(String(200))  # comma-separated, e.g. "biometrics,names"
    evidence: Mapped[str] = mapped_column(Text)  # JSON object: source -> evidence
    status: Mapped[str] = mapped_column(String(16), index=True)  # open|same|different|unsure
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_identity_review_item_status_score", "status", "score"),)


class Decision(Base):
    """One adjudication of a review item, never changed: who decided what, when, and why."""

    __tablename__ = "identity_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("identity_review_item.id"), index=True)
    decision: Mapped[str] = mapped_column(String(16))  # same|different|unsure|split
    note: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    decided_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class MergeLink(Base):
    """Person ``person_id`` is the same as ``survivor_id`` (both registry records are kept).
    A split sets ``split_at``; the link row stays as history."""

    __tablename__ = "identity_merge_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    survivor_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("identity_decision.id"))
    split_decision_id: Mapped[int | None] = mapped_column(ForeignKey("identity_decision.id"))
    split_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    # a person links to one survivor at a time, whatever two reviewers decide at once
    __table_args__ = (
        Index(
            "uq_identity_merge_link_active",
            "person_id",
            unique=True,
            sqlite_where=text("split_at IS NULL"),
            postgresql_where=text("split_at IS NULL"),
        ),
    )


class WatchlistEntry(Base):
    """One listed individual of an imported watchlist."""

    __tablename__ = "identity_watchlist_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    list_name: Mapped[str] = mapped_column(String(32))
    reference: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(300))
    data: Mapped[str] = mapped_column(Text)  # JSON: names with quality, dates of birth, ...
    imported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    # when the entry left its list (no longer screened; review items naming it say so)
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    # when the entry, as it now reads, was screened against every person, and by which name
    # model: a new or changed entry is screened by the next run, one already screened only
    # on request (persons are screened against it at their intake)
    screened_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), default=None)
    screened_model: Mapped[int | None] = mapped_column(default=None)

    __table_args__ = (UniqueConstraint("list_name", "reference"),)
