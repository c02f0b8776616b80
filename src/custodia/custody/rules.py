"""The custody state machine: pure functions, no I/O.

A person's state is the fold of their effective event stream. The same fold checks a
new event at append time and replays the whole ledger when the invariant is verified,
so the rules cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from custodia.errors import Conflict, Invalid


class EventType(enum.StrEnum):
    INTAKE = "INTAKE"
    TRANSFER_OUT = "TRANSFER_OUT"
    TRANSFER_IN = "TRANSFER_IN"
    AUTHORITY_HANDOVER = "AUTHORITY_HANDOVER"
    RELEASE = "RELEASE"
    REPATRIATION = "REPATRIATION"
    DEATH = "DEATH"
    ESCAPE = "ESCAPE"
    RECAPTURE = "RECAPTURE"
    HEADCOUNT = "HEADCOUNT"
    CORRECTION = "CORRECTION"


class Status(enum.StrEnum):
    NOT_HELD = "not_held"  # registered, never taken into custody
    IN_CUSTODY = "in_custody"
    IN_TRANSIT = "in_transit"
    RELEASED = "released"
    REPATRIATED = "repatriated"
    DECEASED = "deceased"
    ESCAPED = "escaped"


@dataclass(frozen=True)
class CustodyState:
    status: Status = Status.NOT_HELD
    facility_id: int | None = None
    authority_id: int | None = None
    movement_id: str | None = None
    origin_facility_id: int | None = None
    destination_facility_id: int | None = None
    last_seq: int | None = None


@dataclass(frozen=True)
class Move:
    """What of an event matters to a person's custody state."""

    seq: int
    event_type: EventType
    facility_id: int | None = None
    authority_id: int | None = None
    corrects_seq: int | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    occurred_at: dt.datetime | None = None


_RE_ENTRY = {Status.NOT_HELD, Status.RELEASED, Status.REPATRIATED}


def _held_at(state: CustodyState, move: Move, verb: str) -> None:
    if state.status != Status.IN_CUSTODY:
        raise Conflict(
            f"cannot {verb}: the person is {state.status.value.replace('_', ' ')}, not in custody"
        )
    if move.facility_id is not None and move.facility_id != state.facility_id:
        raise Conflict(
            f"cannot {verb}: the person is held at facility {state.facility_id}, "
            f"not {move.facility_id}"
        )


def _into_custody(move: Move) -> CustodyState:
    return CustodyState(
        status=Status.IN_CUSTODY,
        facility_id=move.facility_id,
        authority_id=move.authority_id,
        last_seq=move.seq,
    )


def _apply_transfer_in(state: CustodyState, move: Move) -> CustodyState:
    if state.status != Status.IN_TRANSIT:
        raise Conflict(
            "no open transfer out: the person is "
            f"{state.status.value.replace('_', ' ')}, not in transit"
        )
    if state.destination_facility_id != move.facility_id:
        raise Conflict(
            f"the open transfer goes to facility {state.destination_facility_id}, "
            f"not {move.facility_id}"
        )
    movement = move.payload.get("movement_id")
    if movement is not None and movement != state.movement_id:
        raise Conflict(f"the person is in transit on movement {state.movement_id}, not {movement}")
    return _into_custody(move)


def apply(state: CustodyState, move: Move) -> CustodyState:
    """The state after ``move``; raises Conflict when the move is impossible from ``state``."""
    kind = move.event_type
    if kind is EventType.INTAKE:
        if state.status not in _RE_ENTRY:
            raise Conflict(
                f"cannot take into custody: the person is already "
                f"{state.status.value.replace('_', ' ')}"
            )
        return _into_custody(move)
    if kind is EventType.RECAPTURE:
        if state.status != Status.ESCAPED:
            raise Conflict("cannot record a recapture: the person is not recorded as escaped")
        return _into_custody(move)
    if kind is EventType.TRANSFER_OUT:
        _held_at(state, move, "transfer out")
        return CustodyState(
            status=Status.IN_TRANSIT,
            authority_id=state.authority_id,
            movement_id=move.payload["movement_id"],
            origin_facility_id=state.facility_id,
            destination_facility_id=move.payload["destination_facility_id"],
            last_seq=move.seq,
        )
    if kind is EventType.TRANSFER_IN:
        return _apply_transfer_in(state, move)
    if kind is EventType.AUTHORITY_HANDOVER:
        _held_at(state, move, "hand over")
        if move.authority_id == state.authority_id:
            raise Conflict("the person is already under that authority")
        return replace(state, authority_id=move.authority_id, last_seq=move.seq)
    final = {
        EventType.RELEASE: Status.RELEASED,
        EventType.REPATRIATION: Status.REPATRIATED,
        EventType.DEATH: Status.DECEASED,
        EventType.ESCAPE: Status.ESCAPED,
    }
    if kind in final:
        in_transit_ok = kind in (EventType.DEATH, EventType.ESCAPE)
        if not (in_transit_ok and state.status == Status.IN_TRANSIT):
            _held_at(state, move, kind.value.lower())
        return CustodyState(status=final[kind], last_seq=move.seq)
    raise Invalid(f"{kind.value} does not change a person's custody")


def effective_moves(moves: Sequence[Move]) -> list[Move]:
    """A person's moves with every CORRECTION applied: a correction voids the event it
    names, or puts its ``replacement`` in that event's place. A corrected event can be
    corrected again only through its latest correction."""
    root_of: dict[int, int] = {}
    latest: dict[int, int] = {}
    replacement: dict[int, Move | None] = {}
    base_seqs = {m.seq for m in moves if m.event_type is not EventType.CORRECTION}
    for move in moves:
        if move.event_type is not EventType.CORRECTION:
            continue
        target = move.corrects_seq
        if target is None or (target not in base_seqs and target not in root_of):
            raise Invalid(f"event {target} is not a custody event of this person")
        root = root_of.get(target, target)
        if latest.get(root, root) != target:
            raise Conflict(
                f"event {root} was already corrected by event {latest[root]}: "
                "correct that one instead"
            )
        root_of[move.seq] = root
        latest[root] = move.seq
        replacement[root] = _replacement_move(move, root)
    out: list[Move] = []
    for move in moves:
        if move.event_type is EventType.CORRECTION:
            continue
        if move.seq in replacement:
            substitute = replacement[move.seq]
            if substitute is not None:
                out.append(replace(substitute, occurred_at=move.occurred_at))
        else:
            out.append(move)
    return out


def _replacement_move(correction: Move, root_seq: int) -> Move | None:
    spec = correction.payload.get("replacement")
    if not spec:
        return None
    return Move(
        seq=root_seq,
        event_type=EventType(spec["type"]),
        facility_id=spec.get("facility_id"),
        authority_id=spec.get("authority_id"),
        payload=spec.get("payload") or {},
    )


def replay(moves: Iterable[Move]) -> CustodyState:
    """Fold a person's moves (corrections included) into their current state."""
    ordered = sorted(moves, key=lambda m: m.seq)
    state = CustodyState()
    for move in effective_moves(ordered):
        state = apply(state, move)
    last = ordered[-1].seq if ordered else None
    return replace(state, last_seq=last)


def state_before(moves: Iterable[Move], seq: int) -> CustodyState:
    """The person's state just before event ``seq``, corrections applied."""
    state = CustodyState()
    for move in effective_moves(sorted(moves, key=lambda m: m.seq)):
        if move.seq >= seq:
            break
        state = apply(state, move)
    return state
