"""The custody ledger on a real database: what is appended, what the database refuses,
and what verify() and signed checkpoints catch when someone with database rights
rewrites history."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine, delete, func, select, text, update
from sqlalchemy.exc import DBAPIError

from custodia.db import read_session, unit_of_work
from custodia.errors import Invalid
from custodia.ledger import merkle
from custodia.ledger import service as ledger
from custodia.ledger.models import Checkpoint, LedgerEvent
from custodia.ledger.signing import SignedCheckpoint, load_or_create_signing_key, sign_checkpoint
from tests.ledger.conftest import LOG, LedgerWorld, append, drop_append_only_triggers

EVENTS = LedgerEvent.__table__
CHECKPOINTS = Checkpoint.__table__


def rows(engine: Engine) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(select(EVENTS).order_by(EVENTS.c.seq)))


def verify(engine: Engine, **kwargs: Any) -> ledger.VerifyReport:
    with read_session(engine) as session:
        return ledger.verify(session, log=LOG, **kwargs)


def checkpoint(engine: Engine, key: Ed25519PrivateKey) -> SignedCheckpoint:
    with unit_of_work(engine) as session:
        return ledger.issue_checkpoint(session, key=key, log=LOG, issued_by=None)


def via_file(cp: SignedCheckpoint) -> SignedCheckpoint:
    """A checkpoint as a monitor keeps it: a JSON file."""
    return SignedCheckpoint.from_json(json.loads(json.dumps(cp.to_json())))


# --- appending ---------------------------------------------------------------------------


def test_appended_events_get_consecutive_sequence_numbers(lworld: LedgerWorld) -> None:
    append(lworld, 4)
    assert [e.seq for e in lworld.events] == list(range(1, 13))
    assert [r.seq for r in rows(lworld.engine)] == list(range(1, 13))
    with read_session(lworld.engine) as session:
        assert ledger.tree_size(session) == 12


def test_event_body_is_canonical_json_of_the_whole_event(lworld: LedgerWorld) -> None:
    for row, entry in zip(rows(lworld.engine), lworld.events, strict=True):
        assert rfc8785.dumps(json.loads(row.body)) == row.body.encode()
        body = json.loads(row.body)
        assert body == {
            "v": 1,
            "seq": row.seq,
            "event_id": row.event_id,
            "type": row.event_type,
            "person_id": row.person_id,
            "facility_id": row.facility_id,
            "authority_id": row.authority_id,
            "occurred_at": entry.occurred_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "recorded_at": entry.recorded_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "recorded_by": row.recorded_by,
            "corrects_seq": row.corrects_seq,
            "payload": entry.payload,
        }
        assert body["payload"]["note"] == "نُقل إلى الحسكة"


def test_events_are_hash_chained_leaves(lworld: LedgerWorld) -> None:
    chain = bytes(32)
    for row in rows(lworld.engine):
        leaf = merkle.leaf_hash(row.body.encode())
        chain = hashlib.sha256(chain + leaf).digest()
        assert row.leaf_hash == leaf.hex()
        assert row.chain_hash == chain.hex()


def test_event_reads_back_as_recorded(lworld: LedgerWorld) -> None:
    recorded = lworld.events[4]
    with read_session(lworld.engine) as session:
        again = ledger.get_event(session, seq=recorded.seq)
        persons = ledger.events_of_person(session, person_id=lworld.persons[1])
    assert again == recorded
    assert again.occurred_at.tzinfo is not None
    assert again.recorded_by == lworld.world.users["admin"]
    assert persons and all(e.person_id == lworld.persons[1] for e in persons)


def test_an_event_without_a_timezone_is_refused_and_nothing_is_written(
    lworld: LedgerWorld,
) -> None:
    naive = ledger.NewEntry(event_type="HEADCOUNT", occurred_at=dt.datetime(2026, 11, 20, 8))
    with pytest.raises(Invalid, match="timezone"), unit_of_work(lworld.engine) as session:
        ledger.append(session, entries=[naive], recorded_by=None)
    assert len(rows(lworld.engine)) == 8


# --- the database refuses changes --------------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE ledger_event SET facility_id = facility_id + 1 WHERE seq = 2",
        "UPDATE ledger_event SET body = '{}' WHERE seq = 2",
        "DELETE FROM ledger_event WHERE seq = 2",
        "DELETE FROM ledger_event",
    ],
)
def test_database_refuses_to_change_a_ledger_event(lworld: LedgerWorld, statement: str) -> None:
    before = rows(lworld.engine)
    with pytest.raises(DBAPIError, match="append-only"), lworld.engine.begin() as conn:
        conn.execute(text(statement))
    assert rows(lworld.engine) == before
    assert verify(lworld.engine).ok


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE ledger_checkpoint SET root_hash = 'ab' WHERE tree_size = 8",
        "DELETE FROM ledger_checkpoint",
    ],
)
def test_database_refuses_to_change_a_checkpoint(
    lworld: LedgerWorld, signing_key: Ed25519PrivateKey, statement: str
) -> None:
    checkpoint(lworld.engine, signing_key)
    with pytest.raises(DBAPIError, match="append-only"), lworld.engine.begin() as conn:
        conn.execute(text(statement))
    with read_session(lworld.engine) as session:
        (held,) = ledger.list_checkpoints(session, log=LOG)
    assert held.tree_size == 8
    assert held.root_hash == verify(lworld.engine).root_hash


def test_postgres_refuses_to_truncate_the_ledger(lworld: LedgerWorld) -> None:
    if lworld.engine.dialect.name != "postgresql":
        pytest.skip("TRUNCATE exists only on PostgreSQL")
    with pytest.raises(DBAPIError, match="append-only"), lworld.engine.begin() as conn:
        conn.execute(text("TRUNCATE ledger_event CASCADE"))
    assert len(rows(lworld.engine)) == 8


# --- verify() on an honest and on a tampered ledger ----------------------------------------


def test_verify_is_ok_on_an_untouched_ledger(lworld: LedgerWorld) -> None:
    report = verify(lworld.engine)
    assert report.ok
    assert report.events == 8
    assert report.first_bad_seq is None
    with read_session(lworld.engine) as session:
        leaves = [bytes.fromhex(r.leaf_hash) for r in rows(lworld.engine)]
        assert report.root_hash == merkle.root_hash(leaves).hex()
        assert report.chain_head == rows(lworld.engine)[-1].chain_hash
        assert ledger.tree_size(session) == report.events


def test_verify_of_an_empty_ledger_is_ok(world: Any) -> None:
    report = verify(world.engine)
    assert report.ok
    assert report.events == 0
    assert report.root_hash == merkle.EMPTY_ROOT.hex()


def _other_time(row: Any, _lw: LedgerWorld) -> dt.datetime:
    return row.occurred_at + dt.timedelta(hours=3)


COLUMN_CHANGES: dict[str, Callable[[Any, LedgerWorld], Any]] = {
    "event_type": lambda row, lw: "ESCAPE",
    "person_id": lambda row, lw: lw.persons[2] if row.person_id != lw.persons[2] else None,
    "facility_id": lambda row, lw: lw.world.receiving,
    "authority_id": lambda row, lw: lw.world.receiving_government,
    "recorded_by": lambda row, lw: lw.world.users["monitor"],
    "corrects_seq": lambda row, lw: 3 if row.corrects_seq is None else None,
    "occurred_at": _other_time,
    "recorded_at": lambda row, lw: row.recorded_at - dt.timedelta(days=2),
    "event_id": lambda row, lw: "00000000-0000-4000-8000-000000000000",
    "leaf_hash": lambda row, lw: "00" * 32,
    "chain_hash": lambda row, lw: "ff" * 32,
}


@pytest.mark.parametrize("column", sorted(COLUMN_CHANGES))
@pytest.mark.parametrize("seq", [1, 5])
def test_verify_catches_an_altered_column(lworld: LedgerWorld, column: str, seq: int) -> None:
    drop_append_only_triggers(lworld.engine)
    row = rows(lworld.engine)[seq - 1]
    with lworld.engine.begin() as conn:
        conn.execute(
            update(EVENTS)
            .where(EVENTS.c.seq == seq)
            .values({column: COLUMN_CHANGES[column](row, lworld)})
        )
    report = verify(lworld.engine)
    assert not report.ok
    assert report.first_bad_seq == seq
    assert report.problem


@pytest.mark.parametrize(
    "change",
    [
        lambda body: body.replace('"z":5', '"z":6'),
        lambda body: body.replace("الحسكة", "القامشلي"),
        lambda body: body + " ",
        lambda body: json.dumps(json.loads(body), indent=1),
    ],
    ids=["payload-number", "payload-text", "trailing-space", "re-serialised"],
)
def test_verify_catches_an_altered_body(lworld: LedgerWorld, change: Callable[[str], str]) -> None:
    drop_append_only_triggers(lworld.engine)
    body = rows(lworld.engine)[5].body
    assert change(body) != body
    with lworld.engine.begin() as conn:
        conn.execute(update(EVENTS).where(EVENTS.c.seq == 6).values(body=change(body)))
    report = verify(lworld.engine)
    assert (report.ok, report.first_bad_seq) == (False, 6)


@pytest.mark.parametrize("seq", [1, 4, 7])
def test_verify_catches_a_deleted_event(lworld: LedgerWorld, seq: int) -> None:
    drop_append_only_triggers(lworld.engine)
    with lworld.engine.begin() as conn:
        conn.execute(delete(EVENTS).where(EVENTS.c.seq == seq))
    report = verify(lworld.engine)
    assert (report.ok, report.first_bad_seq) == (False, seq)
    assert "missing" in (report.problem or "")


@pytest.mark.parametrize(("first", "second"), [(2, 6), (1, 8), (4, 5)])
def test_verify_catches_two_events_swapped(lworld: LedgerWorld, first: int, second: int) -> None:
    drop_append_only_triggers(lworld.engine)
    with lworld.engine.begin() as conn:
        for old, new in ((first, -1), (second, first), (-1, second)):
            conn.execute(update(EVENTS).where(EVENTS.c.seq == old).values(seq=new))
    report = verify(lworld.engine)
    assert (report.ok, report.first_bad_seq) == (False, first)


def rewrite_history(lw: LedgerWorld, seq: int) -> None:
    """Change event ``seq`` (it now says facility 'receiving') and recompute every hash after
    it, so each row agrees with its body and the chain is unbroken."""
    drop_append_only_triggers(lw.engine)
    all_rows = rows(lw.engine)
    chain = bytes.fromhex(all_rows[seq - 2].chain_hash) if seq > 1 else bytes(32)
    with lw.engine.begin() as conn:
        for row in all_rows[seq - 1 :]:
            body = json.loads(row.body)
            if row.seq == seq:
                body["facility_id"] = lw.world.receiving
            raw = rfc8785.dumps(body)
            leaf = merkle.leaf_hash(raw)
            chain = hashlib.sha256(chain + leaf).digest()
            conn.execute(
                update(EVENTS)
                .where(EVENTS.c.seq == row.seq)
                .values(
                    facility_id=body["facility_id"],
                    body=raw.decode(),
                    leaf_hash=leaf.hex(),
                    chain_hash=chain.hex(),
                )
            )


def delete_stored_checkpoints(engine: Engine) -> None:
    drop_append_only_triggers(engine, checkpoints=True)
    with engine.begin() as conn:
        conn.execute(delete(CHECKPOINTS))


def test_a_consistent_rewrite_is_caught_by_the_monitors_checkpoint(
    lworld: LedgerWorld, signing_key: Ed25519PrivateKey
) -> None:
    held_by_monitor = via_file(checkpoint(lworld.engine, signing_key))
    append(lworld, 2)
    rewrite_history(lworld, 3)
    delete_stored_checkpoints(lworld.engine)
    # Row by row the rewritten log is flawless: only the monitor's checkpoint exposes it.
    assert verify(lworld.engine).ok
    report = verify(lworld.engine, checkpoint=held_by_monitor, public_key=signing_key.public_key())
    assert report.ok is False
    assert report.checkpoint_proved is False
    assert report.first_bad_seq == held_by_monitor.tree_size


def test_a_rewrite_is_caught_by_the_stored_checkpoint(
    lworld: LedgerWorld, signing_key: Ed25519PrivateKey
) -> None:
    checkpoint(lworld.engine, signing_key)
    rewrite_history(lworld, 2)
    report = verify(lworld.engine, public_key=signing_key.public_key())
    assert (report.ok, report.first_bad_seq) == (False, 8)
    assert "checkpoint" in (report.problem or "")


def test_monitor_learns_its_checkpoint_is_not_proved_when_stored_ones_fail_first(
    lworld: LedgerWorld, signing_key: Ed25519PrivateKey
) -> None:
    held_by_monitor = via_file(checkpoint(lworld.engine, signing_key))
    rewrite_history(lworld, 2)
    report = verify(lworld.engine, checkpoint=held_by_monitor, public_key=signing_key.public_key())
    assert report.ok is False
    assert report.checkpoint_proved is False


def test_an_honest_append_after_a_checkpoint_proves_it(
    lworld: LedgerWorld, signing_key: Ed25519PrivateKey
) -> None:
    held_by_monitor = via_file(checkpoint(lworld.engine, signing_key))
    append(lworld, 5)
    report = verify(lworld.engine, checkpoint=held_by_monitor, public_key=signing_key.public_key())
    assert report.ok
    assert report.checkpoint_proved is True
    assert report.events == 13
    assert report.checkpoints_checked == 1


def test_a_checkpoint_is_proved_on_the_ledger_it_was_issued_on(
    lworld: LedgerWorld, signing_key: Ed25519PrivateKey
) -> None:
    held_by_monitor = via_file(checkpoint(lworld.engine, signing_key))
    report = verify(lworld.engine, checkpoint=held_by_monitor, public_key=signing_key.public_key())
    assert (report.ok, report.checkpoint_proved) == (True, True)


def test_events_deleted_from_the_end_are_caught_by_the_monitors_checkpoint(
    lworld: LedgerWorld, signing_key: Ed25519PrivateKey
) -> None:
    held_by_monitor = via_file(checkpoint(lworld.engine, signing_key))
    drop_append_only_triggers(lworld.engine)
    with lworld.engine.begin() as conn:
        conn.execute(delete(EVENTS).where(EVENTS.c.seq >= 7))
    report = verify(lworld.engine, checkpoint=held_by_monitor, public_key=signing_key.public_key())
    assert (report.ok, report.checkpoint_proved, report.first_bad_seq) == (False, False, 7)


def test_events_deleted_from_the_end_are_caught_by_the_stored_checkpoint(
    lworld: LedgerWorld, signing_key: Ed25519PrivateKey
) -> None:
    """The system itself signed that the ledger held 8 events; 6 remaining is not ok."""
    checkpoint(lworld.engine, signing_key)
    drop_append_only_triggers(lworld.engine)
    with lworld.engine.begin() as conn:
        conn.execute(delete(EVENTS).where(EVENTS.c.seq >= 7))
    report = verify(lworld.engine, public_key=signing_key.public_key())
    assert report.ok is False


def test_a_checkpoint_signed_by_another_key_is_refused(
    lworld: LedgerWorld, signing_key: Ed25519PrivateKey
) -> None:
    honest = verify(lworld.engine)
    forged = sign_checkpoint(
        Ed25519PrivateKey.generate(),
        log=LOG,
        tree_size=honest.events,
        root_hash=honest.root_hash,
        at=dt.datetime.now(dt.UTC),
    )
    with pytest.raises(Invalid, match="signature"):
        verify(lworld.engine, checkpoint=via_file(forged), public_key=signing_key.public_key())


def test_a_stored_checkpoint_signed_by_another_key_fails_verification(
    lworld: LedgerWorld, signing_key: Ed25519PrivateKey
) -> None:
    checkpoint(lworld.engine, Ed25519PrivateKey.generate())
    report = verify(lworld.engine, public_key=signing_key.public_key())
    assert (report.ok, report.first_bad_seq) == (False, 8)
    assert "signature" in (report.problem or "")


def test_a_checkpoint_with_an_edited_root_is_refused(
    lworld: LedgerWorld, signing_key: Ed25519PrivateKey
) -> None:
    real = checkpoint(lworld.engine, signing_key)
    edited = SignedCheckpoint(**{**real.__dict__, "tree_size": 4})
    with pytest.raises(Invalid, match="signature"):
        verify(lworld.engine, checkpoint=edited, public_key=signing_key.public_key())


def test_a_checkpoint_is_not_trusted_without_the_public_key(
    lworld: LedgerWorld, signing_key: Ed25519PrivateKey
) -> None:
    held_by_monitor = checkpoint(lworld.engine, signing_key)
    with pytest.raises(Invalid, match="public key"):
        verify(lworld.engine, checkpoint=held_by_monitor)


# --- checkpoints and proofs through the service --------------------------------------------


def test_an_empty_ledger_cannot_be_checkpointed(world: Any, signing_key: Any) -> None:
    with pytest.raises(Invalid, match="empty"), unit_of_work(world.engine) as session:
        ledger.issue_checkpoint(session, key=signing_key, log=LOG, issued_by=None)


def test_stored_checkpoints_read_back_exactly_as_signed(
    lworld: LedgerWorld, signing_key: Ed25519PrivateKey
) -> None:
    issued = [checkpoint(lworld.engine, signing_key)]
    append(lworld, 3)
    issued.append(checkpoint(lworld.engine, signing_key))
    with read_session(lworld.engine) as session:
        assert ledger.list_checkpoints(session, log=LOG) == issued
    report = verify(lworld.engine, public_key=signing_key.public_key())
    assert (report.ok, report.checkpoints_checked) == (True, 2)


def test_a_checkpoint_issued_on_a_whole_second_still_verifies(
    lworld: LedgerWorld, signing_key: Ed25519PrivateKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One instant in a million has no microseconds; its checkpoint must verify too."""
    on_the_second = dt.datetime(2026, 11, 25, 13, 0, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(ledger, "utc_now", lambda: on_the_second)
    issued = checkpoint(lworld.engine, signing_key)
    report = verify(lworld.engine, public_key=signing_key.public_key())
    assert (report.ok, report.checkpoints_checked) == (True, 1)
    with read_session(lworld.engine) as session:
        assert ledger.list_checkpoints(session, log=LOG) == [issued]


def test_inclusion_proofs_from_the_service_verify(lworld: LedgerWorld) -> None:
    with read_session(lworld.engine) as session:
        for seq in range(1, 9):
            for size in (seq, 8):
                proof = ledger.inclusion_proof(session, seq=seq, tree_size=size)
                merkle.verify_inclusion(
                    proof["leaf_index"],
                    proof["tree_size"],
                    bytes.fromhex(proof["leaf_hash"]),
                    [bytes.fromhex(node) for node in proof["audit_path"]],
                    bytes.fromhex(proof["root_hash"]),
                )
        assert (
            ledger.inclusion_proof(session, seq=3)["root_hash"] == verify(lworld.engine).root_hash
        )


def test_consistency_proof_shows_todays_log_extends_a_checkpoint(
    lworld: LedgerWorld, signing_key: Ed25519PrivateKey
) -> None:
    held_by_monitor = via_file(checkpoint(lworld.engine, signing_key))
    append(lworld, 6)
    with read_session(lworld.engine) as session:
        proof = ledger.consistency_proof(session, old_size=held_by_monitor.tree_size)
    assert proof["old_root"] == held_by_monitor.root_hash
    assert proof["new_size"] == 14
    merkle.verify_consistency(
        proof["old_size"],
        proof["new_size"],
        bytes.fromhex(held_by_monitor.root_hash),
        bytes.fromhex(proof["new_root"]),
        [bytes.fromhex(node) for node in proof["proof"]],
    )


@pytest.mark.parametrize(
    ("call", "kwargs"),
    [
        ("inclusion_proof", {"seq": 9}),
        ("inclusion_proof", {"seq": 0}),
        ("inclusion_proof", {"seq": 5, "tree_size": 4}),
        ("inclusion_proof", {"seq": 1, "tree_size": 9}),
        ("consistency_proof", {"old_size": 0}),
        ("consistency_proof", {"old_size": 9}),
        ("consistency_proof", {"old_size": 5, "new_size": 4}),
    ],
)
def test_proofs_outside_the_ledger_are_refused(
    lworld: LedgerWorld, call: str, kwargs: dict[str, int]
) -> None:
    with read_session(lworld.engine) as session, pytest.raises(Invalid):
        getattr(ledger, call)(session, **kwargs)


def test_listing_events_filters_and_counts(lworld: LedgerWorld) -> None:
    with read_session(lworld.engine) as session:
        page, total = ledger.list_events(session, limit=3, offset=0)
        headcounts, n_headcounts = ledger.list_events(
            session, limit=50, offset=0, event_type="HEADCOUNT"
        )
        at_camp, n_camp = ledger.list_events(
            session, limit=50, offset=0, facility_id=lworld.world.camp
        )
    assert total == 8
    assert [e.seq for e in page] == [8, 7, 6]
    assert n_headcounts == 2 and {e.event_type for e in headcounts} == {"HEADCOUNT"}
    assert n_camp == len(at_camp) and {e.facility_id for e in at_camp} == {lworld.world.camp}


def test_checkpoint_rows_record_who_issued_them(
    lworld: LedgerWorld, signing_key: Ed25519PrivateKey
) -> None:
    with unit_of_work(lworld.engine) as session:
        ledger.issue_checkpoint(
            session, key=signing_key, log=LOG, issued_by=lworld.world.users["admin"]
        )
    with lworld.engine.connect() as conn:
        issued_by = conn.execute(select(CHECKPOINTS.c.issued_by)).scalar_one()
        count = conn.execute(select(func.count()).select_from(CHECKPOINTS)).scalar_one()
    assert (issued_by, count) == (lworld.world.users["admin"], 1)


def test_signing_key_file_is_created_private(tmp_path: Path) -> None:
    path = tmp_path / "fresh" / "ledger-signing-key.pem"
    key = load_or_create_signing_key(path)
    assert path.stat().st_mode & 0o777 == 0o600
    again = load_or_create_signing_key(path)
    assert again.private_bytes_raw() == key.private_bytes_raw()
