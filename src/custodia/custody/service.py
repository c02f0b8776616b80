"""The custody room's public functions: record custody events (the only door to the
ledger for them), read who is where, replay the ledger to check the projection."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from custodia.custody.models import CustodyRecord, Discrepancy
from custodia.custody.rules import (
    CustodyState,
    EventType,
    Move,
    Status,
    apply,
    replay,
    state_before,
)
from custodia.custody.schemas import (
    CustodyOut,
    EventOut,
    EventRequest,
    FacilityPopulation,
    PersonDetail,
)
from custodia.db import driver_instant, driver_rows, in_list, insert_rows, utc_now
from custodia.errors import Conflict, Invalid, NotFound
from custodia.ledger import service as ledger
from custodia.registry import service as registry
from custodia.registry.countries import check_country_codes
from custodia.registry.schemas import PersonMatches, PersonOut, PersonQuery

_CLOCK_SKEW = dt.timedelta(minutes=5)
_NEEDS_SAFEGUARDS = (
    "custody passes to another authority: the pre-transfer risk assessment "
    "(risk_assessment_ref) and the monitor notification (monitor_notification_ref) are required"
)


# Hoisted: the batch path checks these for tens of thousands of events.
_INTO_A_FACILITY = frozenset({EventType.INTAKE, EventType.TRANSFER_IN, EventType.RECAPTURE})
_NEVER_HELD = CustodyState()


@dataclass
class _Batch:
    """Working state while a batch of events is validated before anything is written."""

    facilities: dict[int, int]  # facility id -> controlling authority
    authorities: set[int]  # organization ids, loaded only when an event names one
    states: dict[int, CustodyState]
    since: dict[int, dt.datetime]
    pending: dict[int, list[Move]] = field(default_factory=lambda: defaultdict(list))


def record_event(session: Session, *, request: EventRequest, actor_id: int | None) -> EventOut:
    return _event_out(record_events(session, requests=[request], actor_id=actor_id)[0])


def record_events(
    session: Session, *, requests: Sequence[EventRequest], actor_id: int | None
) -> list[ledger.Entry]:
    """Validate every event against the custody rules, then append them all and update the
    projection. Either all are recorded or none is. Returns the ledger's entries (bulk
    callers such as the scenario record tens of thousands and need no response models)."""
    if not requests:
        return []
    now = utc_now()
    head = ledger.lock_head(session)
    batch = _load_batch(session, requests)
    entries: list[ledger.NewEntry] = []
    for offset, request in enumerate(requests):
        seq = head + 1 + offset
        try:
            entries.append(_check(session, batch, request, seq=seq, now=now))
        except (Invalid, Conflict, NotFound) as exc:
            if len(requests) > 1:
                raise type(exc)(f"event {offset + 1} of {len(requests)}: {exc.detail}") from exc
            raise
    recorded = ledger.append(session, entries=entries, recorded_by=actor_id)
    _write_projection(session, batch, recorded)
    return recorded


def _load_batch(session: Session, requests: Sequence[EventRequest]) -> _Batch:
    person_ids = {r.person_id for r in requests if r.person_id is not None}
    states, since = _current_states(session, person_ids)
    # A projection row exists only for a registered person: look up the others alone.
    missing = registry.missing_person_ids(session, person_ids=person_ids - states.keys())
    if missing:
        raise NotFound(f"no person with id {', '.join(map(str, missing[:10]))}")
    facilities = registry.facility_authorities(session)
    names_authority = any(
        r.authority_id is not None or r.event_type is EventType.CORRECTION for r in requests
    )
    authorities = registry.organization_ids(session) if names_authority else set()
    return _Batch(facilities=facilities, authorities=authorities, states=states, since=since)


_PROJECTION = CustodyRecord.__table__  # Core, not ORM: read on every custody event
_STATES_SQL = (
    "SELECT person_id, status, facility_id, authority_id, movement_id, origin_facility_id, "
    "destination_facility_id, last_seq, since FROM custody_state WHERE person_id IN "
)
_PROJECTION_COLUMNS = (
    "person_id",
    "status",
    "facility_id",
    "authority_id",
    "movement_id",
    "origin_facility_id",
    "destination_facility_id",
    "last_seq",
    "since",
)


def _current_states(
    session: Session, person_ids: set[int]
) -> tuple[dict[int, CustodyState], dict[int, dt.datetime]]:
    states: dict[int, CustodyState] = {}
    since: dict[int, dt.datetime] = {}
    ids = sorted(person_ids)
    for start in range(0, len(ids), 900):
        chunk = tuple(ids[start : start + 900])
        rows = driver_rows(session, _STATES_SQL + in_list(len(chunk)), chunk)
        for person_id, status, facility, authority, movement, origin, destination, last, at in rows:
            states[person_id] = CustodyState(
                status=Status(status),
                facility_id=facility,
                authority_id=authority,
                movement_id=movement,
                origin_facility_id=origin,
                destination_facility_id=destination,
                last_seq=last,
            )
            since[person_id] = driver_instant(at)
    return states, since


def _state_of(row: Any) -> CustodyState:
    return CustodyState(
        status=Status(row.status),
        facility_id=row.facility_id,
        authority_id=row.authority_id,
        movement_id=row.movement_id,
        origin_facility_id=row.origin_facility_id,
        destination_facility_id=row.destination_facility_id,
        last_seq=row.last_seq,
    )


def _facility_authority(batch: _Batch, facility_id: int | None, role: str) -> int:
    """The authority controlling the facility; refuses a missing or unknown facility."""
    if facility_id is None:
        raise Invalid(f"{role} facility is required")
    authority = batch.facilities.get(facility_id)
    if authority is None:
        raise NotFound(f"no {role} facility with id {facility_id}")
    return authority


def _check(
    session: Session, batch: _Batch, request: EventRequest, *, seq: int, now: dt.datetime
) -> ledger.NewEntry:
    occurred = request.occurred_at or now
    if occurred.tzinfo is None:
        raise Invalid("occurred_at must carry a timezone, e.g. 2026-11-25T08:00:00Z")
    if occurred > now + _CLOCK_SKEW:
        raise Invalid(f"occurred_at {occurred.isoformat()} is in the future")
    if request.event_type is EventType.HEADCOUNT:
        raise Invalid("a HEADCOUNT is recorded by taking a roll call")
    if request.event_type is EventType.CORRECTION:
        return _check_correction(session, batch, request, seq=seq, occurred=occurred)
    if request.person_id is None:
        raise Invalid(f"{request.event_type.value} needs a person_id")
    state = batch.states.get(request.person_id, _NEVER_HELD)
    move = _resolve_move(batch, request, seq, state)
    last = batch.since.get(request.person_id)
    if last is not None and occurred < last:
        raise Conflict(
            f"the person's last recorded event happened at {last.isoformat()}; an "
            "earlier event must be recorded as a correction"
        )
    new_state = apply(state, move)  # an impossible move is refused as such first
    _check_safeguards(batch, state, move)
    batch.states[request.person_id] = new_state  # last_seq: the projection takes the entry's
    batch.since[request.person_id] = occurred
    batch.pending[request.person_id].append(move)
    return ledger.NewEntry(
        event_type=move.event_type.value,
        occurred_at=occurred,
        person_id=request.person_id,
        facility_id=move.facility_id,
        authority_id=move.authority_id,
        payload=move.payload,
    )


def _resolve_move(
    batch: _Batch, request: EventRequest, seq: int, state: CustodyState | None = None
) -> Move:
    """Fill in what the rules need: the facility (from where the person is held when not
    given), the authority (from the facility), a movement id for a transfer. ``state`` is
    the person's state the move starts from (default: now)."""
    kind = request.event_type
    if state is None:
        state = batch.states.get(request.person_id or 0, _NEVER_HELD)
    payload = dict(request.payload)
    facility_id = request.facility_id
    if facility_id is None and kind not in _INTO_A_FACILITY:
        facility_id = state.facility_id if state.status == Status.IN_CUSTODY else None
    authority_id = request.authority_id
    if kind in _INTO_A_FACILITY:
        controlling = _facility_authority(batch, facility_id, "receiving")
        authority_id = authority_id or controlling
    elif facility_id is not None:
        _facility_authority(batch, facility_id, "current")
        if kind is not EventType.AUTHORITY_HANDOVER:
            authority_id = state.authority_id
    if request.authority_id is not None and request.authority_id not in batch.authorities:
        raise NotFound(f"no organization with id {request.authority_id}")
    if kind is EventType.TRANSFER_OUT:
        destination = payload.get("destination_facility_id")
        _facility_authority(batch, destination, "destination")
        if destination == facility_id:
            raise Invalid("a transfer must go to another facility")
        payload.setdefault("movement_id", f"MV-{uuid.uuid4().hex[:12]}")
    if kind is EventType.REPATRIATION:
        check_country_codes([str(payload.get("country", ""))])
    if kind is EventType.AUTHORITY_HANDOVER and authority_id is None:
        raise Invalid("an authority handover names the new authority (authority_id)")
    return Move(
        seq=seq,
        event_type=kind,
        facility_id=facility_id,
        authority_id=authority_id,
        payload=payload,
    )


def _check_safeguards(batch: _Batch, state: CustodyState, move: Move) -> None:
    kind = move.event_type
    changes_authority = kind in (EventType.AUTHORITY_HANDOVER, EventType.REPATRIATION)
    if kind is EventType.TRANSFER_OUT:
        destination = batch.facilities[move.payload["destination_facility_id"]]
        changes_authority = destination != state.authority_id
    if changes_authority and not (
        move.payload.get("risk_assessment_ref") and move.payload.get("monitor_notification_ref")
    ):
        raise Invalid(_NEEDS_SAFEGUARDS)


def _check_correction(
    session: Session, batch: _Batch, request: EventRequest, *, seq: int, occurred: dt.datetime
) -> ledger.NewEntry:
    if request.corrects_seq is None:
        raise Invalid("a correction names the event it corrects (corrects_seq)")
    target = ledger.get_event(session, seq=request.corrects_seq)
    if target.person_id is None or target.event_type == EventType.HEADCOUNT.value:
        raise Invalid(
            f"event {target.seq} is a {target.event_type}, not a custody event of a "
            "person; only those can be corrected"
        )
    person_id = target.person_id
    if person_id not in batch.since:  # a correction names an event, not a person
        states, since = _current_states(session, {person_id})
        batch.states.update(states)
        batch.since.update(since)
    history = [move_of(e) for e in ledger.events_of_person(session, person_id=person_id)]
    history += batch.pending[person_id]
    payload = dict(request.payload)
    replacement = payload.get("replacement")
    if replacement:
        spec = EventRequest(
            event_type=replacement["type"],
            person_id=person_id,
            facility_id=replacement.get("facility_id"),
            authority_id=replacement.get("authority_id"),
            payload=replacement.get("payload") or {},
        )
        if spec.event_type in (EventType.CORRECTION, EventType.HEADCOUNT):
            raise Invalid("a replacement must be an ordinary custody event")
        # The replacement stands where the corrected event stood: judge it from there.
        root = _corrected_root(history, target.seq)
        before = state_before(history, root)
        resolved = _resolve_move(batch, spec, root, before)
        try:
            apply(before, resolved)
        except Conflict as exc:
            raise Conflict(
                f"the correction would leave an impossible custody history: {exc.detail}"
            ) from exc
        _check_safeguards(batch, before, resolved)
        payload["replacement"] = {
            "type": resolved.event_type.value,
            "facility_id": resolved.facility_id,
            "authority_id": resolved.authority_id,
            "payload": resolved.payload,
        }
    move = Move(
        seq=seq,
        event_type=EventType.CORRECTION,
        corrects_seq=target.seq,
        payload=payload,
    )
    try:
        new_state = replay([*history, move])
    except Conflict as exc:
        raise Conflict(
            f"the correction would leave an impossible custody history: {exc.detail}"
        ) from exc
    batch.states[person_id] = new_state
    batch.since[person_id] = max(occurred, batch.since.get(person_id, occurred))
    batch.pending[person_id].append(move)
    return ledger.NewEntry(
        event_type=EventType.CORRECTION.value,
        occurred_at=occurred,
        person_id=person_id,
        facility_id=target.facility_id,
        authority_id=target.authority_id,
        corrects_seq=target.seq,
        payload=move.payload,
    )


def _corrected_root(history: Sequence[Move], seq: int) -> int:
    """The original event behind a chain of corrections (``seq`` itself if not one)."""
    by_seq = {m.seq: m for m in history}
    while (move := by_seq.get(seq)) is not None and move.corrects_seq is not None:
        seq = move.corrects_seq
    return seq


def move_of(entry: ledger.Entry) -> Move:
    return Move(
        seq=entry.seq,
        event_type=EventType(entry.event_type),
        facility_id=entry.facility_id,
        authority_id=entry.authority_id,
        corrects_seq=entry.corrects_seq,
        occurred_at=entry.occurred_at,
        payload=entry.payload,
    )


def _write_projection(session: Session, batch: _Batch, recorded: list[ledger.Entry]) -> None:
    last_event: dict[int, ledger.Entry] = {}
    for entry in recorded:
        if entry.person_id is not None:
            last_event[entry.person_id] = entry
    rows = [
        (
            person_id,
            state.status.value,
            state.facility_id,
            state.authority_id,
            state.movement_id,
            state.origin_facility_id,
            state.destination_facility_id,
            entry.seq,
            batch.since[person_id],
        )
        for person_id, entry in last_event.items()
        for state in (batch.states[person_id],)
    ]
    insert_rows(session, _PROJECTION, _PROJECTION_COLUMNS, rows, replace_on=("person_id",))


def _event_out(entry: ledger.Entry, corrected_by: int | None = None) -> EventOut:
    # The ledger's own values, already typed: no need to validate them a second time.
    return EventOut.model_construct(
        seq=entry.seq,
        event_id=entry.event_id,
        type=entry.event_type,
        person_id=entry.person_id,
        facility_id=entry.facility_id,
        authority_id=entry.authority_id,
        occurred_at=entry.occurred_at,
        recorded_at=entry.recorded_at,
        recorded_by=entry.recorded_by,
        corrects_seq=entry.corrects_seq,
        payload=entry.payload,
        leaf_hash=entry.leaf_hash,
        corrected_by=corrected_by,
    )


# --- reading custody --------------------------------------------------------------------


_CUSTODY_OF = select(_PROJECTION).where(_PROJECTION.c.person_id == bindparam("person_id"))


def _custody_of(session: Session, person_id: int) -> CustodyOut | None:
    """The projection's row for the person, or None when they were never held."""
    row = session.execute(_CUSTODY_OF, {"person_id": person_id}).first()
    if row is None:
        return None
    return CustodyOut(
        person_id=person_id,
        status=Status(row.status),
        facility_id=row.facility_id,
        authority_id=row.authority_id,
        movement_id=row.movement_id,
        origin_facility_id=row.origin_facility_id,
        destination_facility_id=row.destination_facility_id,
        last_seq=row.last_seq,
        since=row.since,
    )


def _history_of(session: Session, person_id: int) -> list[EventOut]:
    entries = ledger.events_of_person(session, person_id=person_id)
    corrected_by = {e.corrects_seq: e.seq for e in entries if e.corrects_seq is not None}
    return [_event_out(e, corrected_by.get(e.seq)) for e in entries]


def get_custody(session: Session, *, person_id: int) -> CustodyOut:
    custody = _custody_of(session, person_id)
    if custody is None:
        registry.ensure_person_exists(session, person_id=person_id)
        return CustodyOut(person_id=person_id, status=Status.NOT_HELD)
    return custody


def custody_history(session: Session, *, person_id: int) -> list[EventOut]:
    """Every ledger event of the person, oldest first, each marked with its correction."""
    history = _history_of(session, person_id)
    if not history:
        registry.ensure_person_exists(session, person_id=person_id)
    return history


def person_detail(session: Session, *, person_id: int) -> PersonDetail:
    person = registry.get_person(session, person_id=person_id)  # NotFound before anything else
    custody = _custody_of(session, person_id) or CustodyOut(
        person_id=person_id, status=Status.NOT_HELD
    )
    history = _history_of(session, person_id)
    mentioned = {custody.facility_id, custody.origin_facility_id, custody.destination_facility_id}
    mentioned |= {e.facility_id for e in history}
    mentioned |= {e.payload.get("destination_facility_id") for e in history}
    return PersonDetail(
        person=person,
        custody=custody,
        history=history,
        household=registry.household_of(session, person_id=person_id),
        facility_names=registry.facility_labels(
            session, facility_ids={f for f in mentioned if isinstance(f, int)}
        ),
    )


def held_at(session: Session, *, facility_id: int) -> set[int]:
    """Ids of the persons the records say are in custody at the facility now."""
    return set(
        session.scalars(
            select(CustodyRecord.person_id).where(
                CustodyRecord.facility_id == facility_id,
                CustodyRecord.status == Status.IN_CUSTODY.value,
            )
        )
    )


def find_persons(session: Session, *, query: PersonQuery) -> tuple[list[PersonOut], int]:
    """Search the registry; with a facility, only among those held there now. Returns the
    page and how many matched in all."""
    found = match_persons(session, query=query)
    return found.persons, found.total


def match_persons(
    session: Session, *, query: PersonQuery, count_cap: int | None = None
) -> PersonMatches:
    """Search the registry; with a facility, only among those held there now (see
    ``registry.match_persons`` for ``count_cap``)."""
    restrict = None
    if query.facility_id is not None:
        registry.get_facility(session, facility_id=query.facility_id)
        restrict = held_at(session, facility_id=query.facility_id)
    return registry.match_persons(session, query=query, restrict_to=restrict, count_cap=count_cap)


def _count_by(session: Session, column: Any, condition: Any) -> dict[int, int]:
    rows = session.execute(select(column, func.count()).where(condition).group_by(column))
    return dict(rows.tuples().all())


def population(session: Session) -> list[FacilityPopulation]:
    held = _count_by(
        session, CustodyRecord.facility_id, CustodyRecord.status == Status.IN_CUSTODY.value
    )
    inbound = _count_by(
        session,
        CustodyRecord.destination_facility_id,
        CustodyRecord.status == Status.IN_TRANSIT.value,
    )
    open_issues = _count_by(session, Discrepancy.facility_id, Discrepancy.status == "open")
    return [
        FacilityPopulation(
            facility_id=f.id,
            in_custody=held.get(f.id, 0),
            inbound=inbound.get(f.id, 0),
            open_discrepancies=open_issues.get(f.id, 0),
        )
        for f in registry.list_facilities(session)
    ]


def status_counts(session: Session) -> dict[str, int]:
    rows = (
        session.execute(select(CustodyRecord.status, func.count()).group_by(CustodyRecord.status))
        .tuples()
        .all()
    )
    counts = {status.value: 0 for status in Status}
    counts.update(dict(rows))
    # Persons with no projection row (never taken in) are not held as well as those whose
    # only intake was voided by a correction.
    held_somehow = sum(n for status, n in rows if status != Status.NOT_HELD.value)
    counts[Status.NOT_HELD.value] = registry.count_persons(session) - held_somehow
    return counts


@dataclass
class ReplayReport:
    """Result of replaying the whole ledger and comparing it with the projection."""

    events: int = 0
    persons: int = 0
    mismatches: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches


def check_projection(
    session: Session, *, progress: Callable[[int], None] | None = None
) -> ReplayReport:
    """Replay every event from sequence 1 and compare each person's state with the
    projection: the DESIGN.md invariant."""
    moves: dict[int, list[Move]] = defaultdict(list)
    report = ReplayReport()
    for entry in ledger.iter_events(session):
        report.events += 1
        if entry.person_id is not None:
            moves[entry.person_id].append(move_of(entry))
        if progress is not None and report.events % 20_000 == 0:
            progress(report.events)
    projected = {row.person_id: row for row in session.scalars(select(CustodyRecord))}
    for person_id in sorted(set(moves) | set(projected)):
        report.persons += 1
        try:
            replayed = replay(moves.get(person_id, []))
        except (Conflict, Invalid) as exc:
            report.mismatches.append({"person_id": person_id, "problem": exc.detail})
            continue
        row = projected.get(person_id)
        stored = _state_of(row) if row is not None else CustodyState()
        if stored != replayed:
            report.mismatches.append(
                {"person_id": person_id, "projection": str(stored), "replay": str(replayed)}
            )
    return report


def audit_ledger(
    session: Session, *, log: str, public_key: Ed25519PublicKey | None
) -> tuple[ledger.VerifyReport, ReplayReport]:
    """What a monitor asks of the whole system: the ledger's hashes, chain and stored
    checkpoints are intact, and the projection equals a replay of the ledger."""
    return ledger.verify(session, log=log, public_key=public_key), check_projection(session)


# --- for the transfers room ---------------------------------------------------------------


def custody_states(session: Session, *, person_ids: Collection[int]) -> dict[int, CustodyState]:
    """The projection's state of each of ``person_ids`` that was ever held."""
    return _current_states(session, set(person_ids))[0]


HELD = frozenset({Status.IN_CUSTODY, Status.IN_TRANSIT})


def custody_in_words(
    session: Session, *, person_ids: Collection[int]
) -> dict[int, tuple[CustodyState, str]]:
    """Each record's custody state and where the records say the person is, in words
    ("in custody at DRK-01 Derik Prison", "in transit from … to …", "released"): what a
    reviewer weighs beside names and dates."""
    states = custody_states(session, person_ids=person_ids)
    mentioned = {
        f
        for s in states.values()
        for f in (s.facility_id, s.origin_facility_id, s.destination_facility_id)
        if f is not None
    }
    names = registry.facility_labels(session, facility_ids=mentioned)

    def where(facility_id: int | None) -> str:
        return names.get(facility_id or 0, f"facility {facility_id}")

    out: dict[int, tuple[CustodyState, str]] = {}
    for person_id in person_ids:
        state = states.get(person_id, _NEVER_HELD)
        if state.status is Status.IN_CUSTODY:
            words = f"in custody at {where(state.facility_id)}"
        elif state.status is Status.IN_TRANSIT:
            words = (
                f"in transit from {where(state.origin_facility_id)} "
                f"to {where(state.destination_facility_id)}"
            )
        else:
            words = state.status.value.replace("_", " ")
        out[person_id] = (state, words)
    return out


def open_discrepancy_ids(session: Session, *, person_ids: Collection[int], kind: str) -> list[int]:
    """The open discrepancies of ``kind`` naming one of ``person_ids``."""
    rows = session.scalars(
        select(Discrepancy.id)
        .where(
            Discrepancy.status == "open",
            Discrepancy.kind == kind,
            Discrepancy.person_id.in_(sorted(person_ids)),
        )
        .order_by(Discrepancy.id)
    )
    return list(rows)


def open_discrepancy(
    session: Session,
    *,
    facility_id: int,
    person_id: int | None,
    kind: str,
    detail: str,
    opened_by: int | None,
) -> int:
    """Open a discrepancy outside a roll call (e.g. a transfer's arrival reconciliation), in
    the caller's transaction, naming the user whose action opened it; returns its id."""
    row = Discrepancy(
        facility_id=facility_id,
        person_id=person_id,
        kind=kind,
        detail=detail,
        opened_at=utc_now(),
        opened_by=opened_by,
        status="open",
    )
    session.add(row)
    session.flush()
    return row.id
