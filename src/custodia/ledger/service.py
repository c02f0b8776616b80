"""The ledger room's public functions: append, read, checkpoint, prove, verify.

The ledger knows nothing of custody rules: the custody room validates a move and then
appends it here in the same transaction that updates its projection.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import Row, Table, bindparam, func, select, text
from sqlalchemy.orm import Session

from custodia.db import driver_rows, insert_rows, iso_utc, utc_now
from custodia.errors import Invalid, NotFound
from custodia.ledger import merkle
from custodia.ledger.canonical import (
    canonical_json,
    plain_canonical_json,
    qualifies_for_plain_json,
)
from custodia.ledger.models import Checkpoint, LedgerEvent
from custodia.ledger.signing import SignedCheckpoint, sign_checkpoint, verify_checkpoint_signature

GENESIS_CHAIN = bytes(32)
BODY_VERSION = 1
_LEDGER_LOCK_KEY = 0x0C057D1A  # PostgreSQL advisory lock serialising appends
# Core inserts: the ORM's bulk path costs more than the hashing.
_LEDGER = cast(Table, LedgerEvent.__table__)
_ROW_COLUMNS = (
    "seq",
    "event_id",
    "event_type",
    "person_id",
    "facility_id",
    "authority_id",
    "occurred_at",
    "recorded_at",
    "recorded_by",
    "corrects_seq",
    "body",
    "leaf_hash",
    "chain_hash",
)


@dataclass(frozen=True)
class NewEntry:
    """An event to append, already validated by the room that owns its rules."""

    event_type: str
    occurred_at: dt.datetime
    person_id: int | None = None
    facility_id: int | None = None
    authority_id: int | None = None
    corrects_seq: int | None = None
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Entry:
    """An event as recorded in the ledger."""

    seq: int
    event_id: str
    event_type: str
    person_id: int | None
    facility_id: int | None
    authority_id: int | None
    occurred_at: dt.datetime
    recorded_at: dt.datetime
    recorded_by: int | None
    corrects_seq: int | None
    payload: dict[str, Any]
    leaf_hash: str
    chain_hash: str


def event_body(
    *, seq: int, event_id: str, entry: NewEntry, recorded_at: str, recorded_by: int | None
) -> dict[str, Any]:
    """The full content of an event, as canonicalised (RFC 8785) and hashed."""
    return {
        "v": BODY_VERSION,
        "seq": seq,
        "event_id": event_id,
        "type": entry.event_type,
        "person_id": entry.person_id,
        "facility_id": entry.facility_id,
        "authority_id": entry.authority_id,
        "occurred_at": iso_utc(entry.occurred_at),
        "recorded_at": recorded_at,
        "recorded_by": recorded_by,
        "corrects_seq": entry.corrects_seq,
        "payload": entry.payload,
    }


def lock_head(session: Session) -> int:
    """Take the append lock for this transaction and return the current tree size."""
    return _lock_and_read_head(session)[0]


_HEAD = "custodia.ledger_head"


def _lock_and_read_head(session: Session) -> tuple[int, bytes]:
    """The lock is held until the transaction ends, so within it the head read once stays
    the head; it is remembered per transaction and moved by each append."""
    session.connection()  # begin the transaction, so it can be told apart from the next
    transaction = session.get_transaction()
    cached = session.info.get(_HEAD)
    if cached is not None and cached[0] is transaction:
        return cached[1], cached[2]
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LEDGER_LOCK_KEY})
    rows = driver_rows(
        session, "SELECT seq, chain_hash FROM ledger_event ORDER BY seq DESC LIMIT 1"
    )
    head = (0, GENESIS_CHAIN) if not rows else (int(rows[0][0]), bytes.fromhex(rows[0][1]))
    session.info[_HEAD] = (transaction, *head)
    return head


def append(
    session: Session, *, entries: Sequence[NewEntry], recorded_by: int | None
) -> list[Entry]:
    """Append events in order; returns them as recorded. The caller owns the transaction."""
    if not entries:
        return []
    seq, chain = _lock_and_read_head(session)
    recorded_at = utc_now()
    recorded_at_text = iso_utc(recorded_at)
    rows: list[tuple[Any, ...]] = []
    recorded: list[Entry] = []
    for entry in entries:
        if entry.occurred_at.tzinfo is None:
            raise Invalid("occurred_at must carry a timezone (UTC)")
        seq += 1
        event_id = str(uuid.uuid4())
        content = event_body(
            seq=seq,
            event_id=event_id,
            entry=entry,
            recorded_at=recorded_at_text,
            recorded_by=recorded_by,
        )
        # Only the payload can hold values outside the fast path's reach.
        try:
            body = (
                plain_canonical_json(content)
                if qualifies_for_plain_json(entry.payload)
                else canonical_json(content)
            )
        except (UnicodeEncodeError, ValueError) as exc:
            raise Invalid(f"the event cannot be written as canonical JSON: {exc}") from exc
        leaf = merkle.leaf_hash(body)
        chain = hashlib.sha256(chain + leaf).digest()
        rows.append(
            (
                seq,
                event_id,
                entry.event_type,
                entry.person_id,
                entry.facility_id,
                entry.authority_id,
                entry.occurred_at,
                recorded_at,
                recorded_by,
                entry.corrects_seq,
                body.decode(),
                leaf.hex(),
                chain.hex(),
            )
        )
        recorded.append(
            Entry(
                seq=seq,
                event_id=event_id,
                event_type=entry.event_type,
                person_id=entry.person_id,
                facility_id=entry.facility_id,
                authority_id=entry.authority_id,
                occurred_at=entry.occurred_at,
                recorded_at=recorded_at,
                recorded_by=recorded_by,
                corrects_seq=entry.corrects_seq,
                payload=entry.payload,
                leaf_hash=leaf.hex(),
                chain_hash=chain.hex(),
            )
        )
    insert_rows(session, _LEDGER, _ROW_COLUMNS, rows)
    session.info[_HEAD] = (session.get_transaction(), seq, chain)
    return recorded


def _to_entry(row: LedgerEvent | Row[Any]) -> Entry:
    payload = json.loads(row.body)["payload"]
    return Entry(
        seq=row.seq,
        event_id=row.event_id,
        event_type=row.event_type,
        person_id=row.person_id,
        facility_id=row.facility_id,
        authority_id=row.authority_id,
        occurred_at=row.occurred_at,
        recorded_at=row.recorded_at,
        recorded_by=row.recorded_by,
        corrects_seq=row.corrects_seq,
        payload=payload,
        leaf_hash=row.leaf_hash,
        chain_hash=row.chain_hash,
    )


def get_event(session: Session, *, seq: int) -> Entry:
    row = session.get(LedgerEvent, seq)
    if row is None:
        raise NotFound(f"no ledger event with sequence number {seq}")
    return _to_entry(row)


# Core, not ORM: every look-up of a person reads their events.
_EVENTS_OF_PERSON = (
    select(_LEDGER).where(_LEDGER.c.person_id == bindparam("person_id")).order_by(_LEDGER.c.seq)
)


def events_of_person(session: Session, *, person_id: int) -> list[Entry]:
    rows = session.execute(_EVENTS_OF_PERSON, {"person_id": person_id})
    return [_to_entry(row) for row in rows]


def iter_events(session: Session, *, batch: int = 10_000) -> Any:
    """Every event in sequence order, streamed."""
    rows = session.execute(select(LedgerEvent).order_by(LedgerEvent.seq)).yield_per(batch)
    for row in rows.scalars():
        yield _to_entry(row)


def list_events(
    session: Session,
    *,
    limit: int,
    offset: int,
    event_type: str | None = None,
    facility_id: int | None = None,
) -> tuple[list[Entry], int]:
    query = select(LedgerEvent)
    if event_type:
        query = query.where(LedgerEvent.event_type == event_type)
    if facility_id is not None:
        query = query.where(LedgerEvent.facility_id == facility_id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(LedgerEvent.seq.desc()).limit(limit).offset(offset))
    return [_to_entry(row) for row in rows], total


def tree_size(session: Session) -> int:
    return int(session.scalar(select(func.coalesce(func.max(LedgerEvent.seq), 0))) or 0)


def _leaf_hashes(session: Session, size: int) -> list[bytes]:
    rows = session.execute(
        select(LedgerEvent.leaf_hash).where(LedgerEvent.seq <= size).order_by(LedgerEvent.seq)
    )
    return [bytes.fromhex(value) for (value,) in rows]


def _checked_size(session: Session, size: int | None) -> int:
    current = tree_size(session)
    size = current if size is None else size
    if not 0 < size <= current:
        raise Invalid(f"tree size {size} is outside the ledger's 1..{current}")
    return size


def issue_checkpoint(
    session: Session, *, key: Ed25519PrivateKey, log: str, issued_by: int | None
) -> SignedCheckpoint:
    """Sign the current tree head and keep a copy; the caller hands the file to a monitor."""
    size = tree_size(session)
    if size == 0:
        raise Invalid("the ledger is empty: there is nothing to checkpoint yet")
    root = merkle.root_hash(_leaf_hashes(session, size)).hex()
    checkpoint = sign_checkpoint(key, log=log, tree_size=size, root_hash=root, at=utc_now())
    session.add(
        Checkpoint(
            tree_size=size,
            root_hash=root,
            issued_at=dt.datetime.fromisoformat(checkpoint.timestamp),
            key_id=checkpoint.key_id,
            signature=checkpoint.signature,
            issued_by=issued_by,
        )
    )
    return checkpoint


def list_checkpoints(session: Session, *, log: str) -> list[SignedCheckpoint]:
    rows = session.scalars(select(Checkpoint).order_by(Checkpoint.id))
    return [
        SignedCheckpoint(
            log=log,
            tree_size=row.tree_size,
            root_hash=row.root_hash,
            timestamp=iso_utc(row.issued_at),
            key_id=row.key_id,
            signature=row.signature,
        )
        for row in rows
    ]


def inclusion_proof(session: Session, *, seq: int, tree_size: int | None = None) -> dict[str, Any]:
    """Proof that event ``seq`` is leaf ``seq - 1`` of the tree of ``tree_size`` events."""
    size = _checked_size(session, tree_size)
    if not 1 <= seq <= size:
        raise Invalid(f"event {seq} is not within a tree of size {size}")
    leaves = _leaf_hashes(session, size)
    return {
        "seq": seq,
        "leaf_index": seq - 1,
        "tree_size": size,
        "leaf_hash": leaves[seq - 1].hex(),
        "root_hash": merkle.root_hash(leaves).hex(),
        "audit_path": [node.hex() for node in merkle.inclusion_proof(leaves, seq - 1)],
    }


def consistency_proof(
    session: Session, *, old_size: int, new_size: int | None = None
) -> dict[str, Any]:
    """Proof that the log of ``old_size`` events is a prefix of today's (or ``new_size``)."""
    size = _checked_size(session, new_size)
    if not 0 < old_size <= size:
        raise Invalid(f"old tree size {old_size} must be between 1 and {size}")
    leaves = _leaf_hashes(session, size)
    return {
        "old_size": old_size,
        "new_size": size,
        "old_root": merkle.root_hash(leaves[:old_size]).hex(),
        "new_root": merkle.root_hash(leaves).hex(),
        "proof": [node.hex() for node in merkle.consistency_proof(leaves, old_size)],
    }


@dataclass
class VerifyReport:
    ok: bool
    events: int
    root_hash: str
    chain_head: str
    first_bad_seq: int | None = None
    problem: str | None = None
    checkpoints_checked: int = 0
    checkpoint_proved: bool | None = None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


_COLUMNS_IN_BODY = (
    ("event_id", "event_id"),
    ("event_type", "type"),
    ("person_id", "person_id"),
    ("facility_id", "facility_id"),
    ("authority_id", "authority_id"),
    ("recorded_by", "recorded_by"),
    ("corrects_seq", "corrects_seq"),
)
_VERIFY_SQL = (
    "SELECT seq, event_id, event_type, person_id, facility_id, authority_id, recorded_by, "
    "corrects_seq, occurred_at, recorded_at, body, leaf_hash, chain_hash "
    "FROM ledger_event ORDER BY seq"
)


def _instant_text(value: Any) -> str:
    """A timestamp as the body writes it, from what the driver returns without SQLAlchemy's
    type processing (SQLite: ``YYYY-MM-DD HH:MM:SS.ffffff`` text; PostgreSQL: datetime)."""
    if isinstance(value, str):
        return value.replace(" ", "T", 1) + "Z"
    return iso_utc(value)


_VERIFY_COLUMNS = (
    "seq",
    "event_id",
    "event_type",
    "person_id",
    "facility_id",
    "authority_id",
    "recorded_by",
    "corrects_seq",
    "occurred_at",
    "recorded_at",
    "body",
    "leaf_hash",
    "chain_hash",
)


def _row_problem(
    row: tuple[Any, ...], expected_seq: int, chain: bytes
) -> tuple[str | None, bytes, bytes]:
    """Check one row against its own body and the chain; return (problem, leaf, chain).

    The body must start and end with what the row's columns say: RFC 8785 sorts keys, so
    everything but the payload sits at a known place, and no JSON parsing is needed."""
    (
        seq,
        event_id,
        event_type,
        person_id,
        facility_id,
        authority_id,
        recorded_by,
        corrects_seq,
        occurred_at,
        recorded_at,
        text_body,
        leaf_hex,
        chain_hex,
    ) = row
    body = text_body.encode()
    leaf = merkle.leaf_hash(body)
    chain = hashlib.sha256(chain + leaf).digest()
    if seq != expected_seq:
        return f"event {expected_seq} is missing (next row is {seq})", leaf, chain
    # Inlined on purpose: this runs a million times in a full verification.
    occurred = (
        occurred_at.replace(" ", "T", 1) + "Z"
        if type(occurred_at) is str
        else _instant_text(occurred_at)
    )
    recorded = (
        recorded_at.replace(" ", "T", 1) + "Z"
        if type(recorded_at) is str
        else _instant_text(recorded_at)
    )
    head = (
        f'{{"authority_id":{"null" if authority_id is None else authority_id},'
        f'"corrects_seq":{"null" if corrects_seq is None else corrects_seq},'
        f'"event_id":"{event_id}","facility_id":{"null" if facility_id is None else facility_id},'
        f'"occurred_at":"{occurred}","payload":'
    )
    tail = (
        f',"person_id":{"null" if person_id is None else person_id},"recorded_at":"{recorded}",'
        f'"recorded_by":{"null" if recorded_by is None else recorded_by},"seq":{seq},'
        f'"type":"{event_type}","v":{BODY_VERSION}}}'
    )
    if not (text_body.startswith(head) and text_body.endswith(tail)):
        return _explain_mismatch(dict(zip(_VERIFY_COLUMNS, row, strict=True)), body), leaf, chain
    if leaf_hex != leaf.hex():
        return "stored leaf hash does not match the body", leaf, chain
    if chain_hex != chain.hex():
        return "hash chain broken", leaf, chain
    return None, leaf, chain


def _explain_mismatch(row: dict[str, Any], body: bytes) -> str:
    """Say which column disagrees with the hashed body (only on the failure path)."""
    try:
        content = json.loads(body)
    except ValueError:
        return "the event body is not valid JSON"
    if content.get("seq") != row["seq"]:
        return f"the body says sequence {content.get('seq')}: rows reordered"
    for column, key in _COLUMNS_IN_BODY:
        if row[column] != content.get(key):
            return f"column {column} differs from the hashed body"
    for column in ("occurred_at", "recorded_at"):
        if _instant_text(row[column]) != content.get(column):
            return f"column {column} differs from the hashed body"
    return "the body is not in canonical form"


def _ledger_rows(session: Session) -> Iterator[tuple[Any, ...]]:
    """Every ledger row as the driver returns it, in sequence order, streamed (a server-side
    cursor on PostgreSQL): no ORM, no type processing, so a million rows take seconds."""
    connection = session.connection()
    raw: Any = connection.connection.driver_connection
    cursor = (
        raw.cursor(name="custodia_verify")
        if connection.dialect.name == "postgresql"
        else raw.cursor()
    )
    try:
        cursor.execute(_VERIFY_SQL)
        while batch := cursor.fetchmany(20_000):
            yield from batch
    finally:
        cursor.close()


def verify(
    session: Session,
    *,
    log: str,
    public_key: Ed25519PublicKey | None = None,
    checkpoint: SignedCheckpoint | None = None,
    progress: Callable[[int], None] | None = None,
) -> VerifyReport:
    """Recompute the chain and the Merkle tree from the rows; check stored checkpoints and,
    when given, prove that the log extends a monitor's ``checkpoint``."""
    stored = {c.tree_size: c for c in list_checkpoints(session, log=log)}
    frontier = merkle.Frontier()
    keep_leaves = checkpoint is not None
    leaves: list[bytes] = []
    chain = GENESIS_CHAIN
    report = VerifyReport(ok=True, events=0, root_hash="", chain_head=GENESIS_CHAIN.hex())
    for row in _ledger_rows(session):
        problem, leaf, chain = _row_problem(row, frontier.size + 1, chain)
        if problem:
            return _fail(report, frontier.size + 1, problem, proving=checkpoint is not None)
        frontier.append(leaf)
        if keep_leaves:
            leaves.append(leaf)
        held = stored.get(frontier.size)
        if held is not None:
            if held.root_hash != frontier.root().hex():
                return _fail(
                    report,
                    frontier.size,
                    f"root differs from checkpoint of size {frontier.size}",
                    proving=checkpoint is not None,
                )
            if public_key is not None and not _signed_by(held, public_key):
                return _fail(
                    report,
                    frontier.size,
                    f"stored checkpoint of size {frontier.size} has a bad signature",
                    proving=checkpoint is not None,
                )
            report.checkpoints_checked += 1
        if progress is not None and frontier.size % 20_000 == 0:
            progress(frontier.size)
    report.events = frontier.size
    report.root_hash = frontier.root().hex()
    report.chain_head = chain.hex()
    beyond = [size for size in stored if size > frontier.size]
    if beyond:  # the newest events are gone, but a checkpoint remembers them
        return _fail(
            report,
            frontier.size + 1,
            f"event {frontier.size + 1} is missing: a stored checkpoint covers "
            f"{max(beyond)} events",
            proving=checkpoint is not None,
        )
    if checkpoint is not None:
        _prove_extends(report, checkpoint, leaves, public_key)
    return report


def _signed_by(checkpoint: SignedCheckpoint, public_key: Ed25519PublicKey) -> bool:
    try:
        verify_checkpoint_signature(checkpoint, public_key)
    except Invalid:
        return False
    return True


def _fail(report: VerifyReport, seq: int, problem: str, *, proving: bool = False) -> VerifyReport:
    """Mark the report failed at ``seq``; a monitor's checkpoint then stands unproved."""
    report.ok, report.first_bad_seq, report.problem = False, seq, problem
    if proving:
        report.checkpoint_proved = False
    return report


def _prove_extends(
    report: VerifyReport,
    checkpoint: SignedCheckpoint,
    leaves: list[bytes],
    public_key: Ed25519PublicKey | None,
) -> None:
    if public_key is None:
        raise Invalid("a checkpoint can only be trusted with the log's public key (--public-key)")
    verify_checkpoint_signature(checkpoint, public_key)
    size = checkpoint.tree_size
    if size > len(leaves):
        _fail(
            report,
            len(leaves) + 1,
            f"checkpoint covers {size} events but only {len(leaves)} remain",
        )
        report.checkpoint_proved = False
        return
    proof = merkle.consistency_proof(leaves, size) if size else []
    try:
        merkle.verify_consistency(
            size, len(leaves), bytes.fromhex(checkpoint.root_hash), merkle.root_hash(leaves), proof
        )
    except merkle.ProofError:
        # A wholesale rewrite with recomputed hashes passes the row checks; only the
        # monitor's root exposes it, and a root cannot say which event changed.
        _fail(
            report,
            size,
            f"the log no longer extends the checkpoint of size {size}: "
            f"an event at or before sequence {size} was rewritten",
        )
        report.checkpoint_proved = False
        return
    report.checkpoint_proved = True
