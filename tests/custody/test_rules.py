"""The custody state machine, without a database: every transition it allows and refuses,
and how corrections rewrite a person's effective history."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custodia.custody.rules import (
    CustodyState,
    EventType,
    Move,
    Status,
    apply,
    effective_moves,
    replay,
)
from custodia.errors import Conflict, Invalid

GUARD, RECEIVING_GOV = 10, 20
PRISON_A, PRISON_B, CAMP = 1, 2, 3

STATES = {
    Status.NOT_HELD: CustodyState(),
    Status.IN_CUSTODY: CustodyState(
        status=Status.IN_CUSTODY, facility_id=PRISON_A, authority_id=GUARD, last_seq=1
    ),
    Status.IN_TRANSIT: CustodyState(
        status=Status.IN_TRANSIT,
        authority_id=GUARD,
        movement_id="S-12",
        origin_facility_id=PRISON_A,
        destination_facility_id=PRISON_B,
        last_seq=2,
    ),
    Status.RELEASED: CustodyState(status=Status.RELEASED, last_seq=3),
    Status.REPATRIATED: CustodyState(status=Status.REPATRIATED, last_seq=3),
    Status.DECEASED: CustodyState(status=Status.DECEASED, last_seq=3),
    Status.ESCAPED: CustodyState(status=Status.ESCAPED, last_seq=3),
}

MOVES = {
    EventType.INTAKE: Move(
        seq=9, event_type=EventType.INTAKE, facility_id=CAMP, authority_id=GUARD
    ),
    EventType.RECAPTURE: Move(
        seq=9, event_type=EventType.RECAPTURE, facility_id=CAMP, authority_id=GUARD
    ),
    EventType.TRANSFER_OUT: Move(
        seq=9,
        event_type=EventType.TRANSFER_OUT,
        payload={"movement_id": "S-13", "destination_facility_id": CAMP},
    ),
    EventType.TRANSFER_IN: Move(
        seq=9,
        event_type=EventType.TRANSFER_IN,
        facility_id=PRISON_B,
        authority_id=GUARD,
        payload={"movement_id": "S-12"},
    ),
    EventType.AUTHORITY_HANDOVER: Move(
        seq=9, event_type=EventType.AUTHORITY_HANDOVER, authority_id=RECEIVING_GOV
    ),
    EventType.RELEASE: Move(seq=9, event_type=EventType.RELEASE),
    EventType.REPATRIATION: Move(seq=9, event_type=EventType.REPATRIATION),
    EventType.DEATH: Move(seq=9, event_type=EventType.DEATH),
    EventType.ESCAPE: Move(seq=9, event_type=EventType.ESCAPE),
    EventType.HEADCOUNT: Move(seq=9, event_type=EventType.HEADCOUNT, facility_id=PRISON_A),
    EventType.CORRECTION: Move(seq=9, event_type=EventType.CORRECTION, corrects_seq=1),
}

HELD_AT_CAMP = CustodyState(
    status=Status.IN_CUSTODY, facility_id=CAMP, authority_id=GUARD, last_seq=9
)
# (event, from status) -> state after; every pair not listed is refused with a Conflict.
ALLOWED = {
    (EventType.INTAKE, Status.NOT_HELD): HELD_AT_CAMP,
    (EventType.INTAKE, Status.RELEASED): HELD_AT_CAMP,
    (EventType.INTAKE, Status.REPATRIATED): HELD_AT_CAMP,
    (EventType.RECAPTURE, Status.ESCAPED): HELD_AT_CAMP,
    (EventType.TRANSFER_OUT, Status.IN_CUSTODY): CustodyState(
        status=Status.IN_TRANSIT,
        authority_id=GUARD,
        movement_id="S-13",
        origin_facility_id=PRISON_A,
        destination_facility_id=CAMP,
        last_seq=9,
    ),
    (EventType.TRANSFER_IN, Status.IN_TRANSIT): CustodyState(
        status=Status.IN_CUSTODY, facility_id=PRISON_B, authority_id=GUARD, last_seq=9
    ),
    (EventType.AUTHORITY_HANDOVER, Status.IN_CUSTODY): CustodyState(
        status=Status.IN_CUSTODY, facility_id=PRISON_A, authority_id=RECEIVING_GOV, last_seq=9
    ),
    (EventType.RELEASE, Status.IN_CUSTODY): CustodyState(status=Status.RELEASED, last_seq=9),
    (EventType.REPATRIATION, Status.IN_CUSTODY): CustodyState(
        status=Status.REPATRIATED, last_seq=9
    ),
    (EventType.DEATH, Status.IN_CUSTODY): CustodyState(status=Status.DECEASED, last_seq=9),
    (EventType.DEATH, Status.IN_TRANSIT): CustodyState(status=Status.DECEASED, last_seq=9),
    (EventType.ESCAPE, Status.IN_CUSTODY): CustodyState(status=Status.ESCAPED, last_seq=9),
    (EventType.ESCAPE, Status.IN_TRANSIT): CustodyState(status=Status.ESCAPED, last_seq=9),
}
NOT_CUSTODY_CHANGES = {EventType.HEADCOUNT, EventType.CORRECTION}
PAIRS = [(kind, status) for kind in EventType for status in Status]


@pytest.mark.parametrize(("kind", "status"), PAIRS, ids=[f"{k}-from-{s}" for k, s in PAIRS])
def test_every_transition_is_allowed_or_refused(kind: EventType, status: Status) -> None:
    state, move = STATES[status], MOVES[kind]
    if (kind, status) in ALLOWED:
        assert apply(state, move) == ALLOWED[(kind, status)]
    elif kind in NOT_CUSTODY_CHANGES:
        with pytest.raises(Invalid, match="does not change a person's custody"):
            apply(state, move)
    else:
        with pytest.raises(Conflict):
            apply(state, move)


def test_every_status_and_event_is_covered() -> None:
    assert set(STATES) == set(Status)
    assert set(MOVES) == set(EventType)


def test_refusals_say_what_the_person_is() -> None:
    with pytest.raises(Conflict, match="already in custody"):
        apply(STATES[Status.IN_CUSTODY], MOVES[EventType.INTAKE])
    with pytest.raises(Conflict, match="deceased, not in custody"):
        apply(STATES[Status.DECEASED], MOVES[EventType.RELEASE])
    with pytest.raises(Conflict, match="not recorded as escaped"):
        apply(STATES[Status.RELEASED], MOVES[EventType.RECAPTURE])
    with pytest.raises(Conflict, match="not in transit"):
        apply(STATES[Status.IN_CUSTODY], MOVES[EventType.TRANSFER_IN])


@pytest.mark.parametrize(
    "kind",
    [
        EventType.TRANSFER_OUT,
        EventType.RELEASE,
        EventType.REPATRIATION,
        EventType.DEATH,
        EventType.ESCAPE,
        EventType.AUTHORITY_HANDOVER,
    ],
)
def test_a_move_from_a_facility_where_the_person_is_not_held_is_refused(kind: EventType) -> None:
    move = replace(MOVES[kind], facility_id=PRISON_B)
    with pytest.raises(Conflict, match=f"held at facility {PRISON_A}, not {PRISON_B}"):
        apply(STATES[Status.IN_CUSTODY], move)


def test_transfer_in_only_at_the_destination() -> None:
    move = replace(MOVES[EventType.TRANSFER_IN], facility_id=PRISON_A)
    with pytest.raises(Conflict, match=f"goes to facility {PRISON_B}, not {PRISON_A}"):
        apply(STATES[Status.IN_TRANSIT], move)


def test_transfer_in_on_another_movement_is_refused() -> None:
    move = replace(MOVES[EventType.TRANSFER_IN], payload={"movement_id": "S-99"})
    with pytest.raises(Conflict, match="movement S-12, not S-99"):
        apply(STATES[Status.IN_TRANSIT], move)


def test_transfer_in_without_naming_the_movement_is_accepted() -> None:
    move = replace(MOVES[EventType.TRANSFER_IN], payload={})
    assert apply(STATES[Status.IN_TRANSIT], move).facility_id == PRISON_B


def test_arrival_takes_the_receiving_authority() -> None:
    move = replace(MOVES[EventType.TRANSFER_IN], authority_id=RECEIVING_GOV)
    assert apply(STATES[Status.IN_TRANSIT], move).authority_id == RECEIVING_GOV


def test_handover_to_the_same_authority_is_refused() -> None:
    move = replace(MOVES[EventType.AUTHORITY_HANDOVER], authority_id=GUARD)
    with pytest.raises(Conflict, match="already under that authority"):
        apply(STATES[Status.IN_CUSTODY], move)


# --- corrections -------------------------------------------------------------------------


def intake(seq: int, facility: int = PRISON_A) -> Move:
    return Move(seq=seq, event_type=EventType.INTAKE, facility_id=facility, authority_id=GUARD)


def correction(seq: int, target: int, replacement: dict[str, object] | None = None) -> Move:
    payload: dict[str, object] = {"reason": "recorded in error"}
    if replacement is not None:
        payload["replacement"] = replacement
    return Move(seq=seq, event_type=EventType.CORRECTION, corrects_seq=target, payload=payload)


def release(seq: int) -> Move:
    return Move(seq=seq, event_type=EventType.RELEASE)


def test_a_correction_without_replacement_voids_the_event() -> None:
    moves = [intake(1), release(4), correction(7, 4)]
    assert effective_moves(moves) == [intake(1)]
    assert replay(moves) == CustodyState(
        status=Status.IN_CUSTODY, facility_id=PRISON_A, authority_id=GUARD, last_seq=7
    )


def test_voiding_the_only_event_leaves_the_person_not_held() -> None:
    assert replay([intake(1), correction(2, 1)]) == CustodyState(last_seq=2)


def test_a_correction_puts_its_replacement_in_the_events_place() -> None:
    moves = [
        intake(1, PRISON_A),
        correction(5, 1, {"type": "INTAKE", "facility_id": PRISON_B, "authority_id": GUARD}),
    ]
    assert effective_moves(moves) == [intake(1, PRISON_B)]
    assert replay(moves).facility_id == PRISON_B


def test_a_correction_can_replace_an_event_with_another_kind() -> None:
    moves = [intake(1), release(2), correction(3, 2, {"type": "ESCAPE"})]
    assert replay(moves).status is Status.ESCAPED


def test_a_correction_is_corrected_through_the_latest_correction() -> None:
    moves = [
        intake(1, PRISON_A),
        correction(2, 1, {"type": "INTAKE", "facility_id": PRISON_B, "authority_id": GUARD}),
        correction(3, 2, {"type": "INTAKE", "facility_id": CAMP, "authority_id": GUARD}),
    ]
    assert effective_moves(moves) == [intake(1, CAMP)]
    voided_again = [*moves, correction(4, 3)]
    assert effective_moves(voided_again) == []


def test_a_second_correction_of_the_same_event_is_refused() -> None:
    moves = [
        intake(1, PRISON_A),
        correction(2, 1, {"type": "INTAKE", "facility_id": PRISON_B}),
        correction(3, 1, {"type": "INTAKE", "facility_id": CAMP}),
    ]
    with pytest.raises(Conflict, match="already corrected by event 2: correct that one"):
        effective_moves(moves)


def test_an_older_correction_cannot_be_corrected_once_superseded() -> None:
    moves = [
        intake(1),
        correction(2, 1, {"type": "INTAKE", "facility_id": PRISON_B}),
        correction(3, 2, {"type": "INTAKE", "facility_id": CAMP}),
        correction(4, 2),
    ]
    with pytest.raises(Conflict, match="already corrected by event 3"):
        effective_moves(moves)


@pytest.mark.parametrize("target", [99, None])
def test_a_correction_of_an_unknown_event_is_refused(target: int | None) -> None:
    with pytest.raises(Invalid, match="not a custody event of this person"):
        effective_moves([intake(1), correction(2, target)])  # type: ignore[arg-type]


def test_a_correction_that_leaves_an_impossible_history_fails_the_replay() -> None:
    transfer_out = Move(
        seq=2,
        event_type=EventType.TRANSFER_OUT,
        payload={"movement_id": "S-1", "destination_facility_id": PRISON_B},
    )
    with pytest.raises(Conflict, match="not in custody"):
        replay([intake(1), transfer_out, correction(3, 1)])


def test_replay_orders_moves_by_sequence() -> None:
    moves = [release(4), correction(6, 4), intake(1)]
    assert replay(moves) == replay(sorted(moves, key=lambda m: m.seq))
    assert replay([]) == CustodyState()


# --- property: voiding the last event undoes it ------------------------------------------


def _next_moves(state: CustodyState, seq: int) -> list[Move]:
    return [
        *(
            Move(seq=seq, event_type=EventType.INTAKE, facility_id=f, authority_id=GUARD)
            for f in (PRISON_A, PRISON_B, CAMP)
        ),
        Move(
            seq=seq,
            event_type=EventType.TRANSFER_OUT,
            payload={"movement_id": f"S-{seq}", "destination_facility_id": CAMP},
        ),
        Move(seq=seq, event_type=EventType.TRANSFER_IN, facility_id=CAMP, authority_id=GUARD),
        Move(seq=seq, event_type=EventType.RECAPTURE, facility_id=PRISON_B, authority_id=GUARD),
        Move(seq=seq, event_type=EventType.AUTHORITY_HANDOVER, authority_id=RECEIVING_GOV),
        *(Move(seq=seq, event_type=k) for k in (EventType.RELEASE, EventType.DEATH)),
        Move(seq=seq, event_type=EventType.ESCAPE),
        Move(seq=seq, event_type=EventType.REPATRIATION),
    ]


@st.composite
def valid_histories(draw: st.DrawFn) -> list[Move]:
    """A person's history built only from moves the rules accept."""
    state, moves = CustodyState(), []
    for seq in range(1, draw(st.integers(1, 12)) + 1):
        possible = []
        for move in _next_moves(state, seq):
            try:
                possible.append((move, apply(state, move)))
            except Conflict:
                continue
        if not possible:
            break
        move, state = draw(st.sampled_from(possible))
        moves.append(move)
    return moves


@settings(max_examples=200)
@given(history=valid_histories())
def test_voiding_the_last_event_gives_the_state_before_it(history: list[Move]) -> None:
    last = history[-1]
    voided = replay([*history, correction(last.seq + 1, last.seq)])
    before = replay(history[:-1])
    assert replace(voided, last_seq=None) == replace(before, last_seq=None)


@settings(max_examples=200)
@given(history=valid_histories())
def test_replay_equals_applying_the_moves_one_by_one(history: list[Move]) -> None:
    state = CustodyState()
    for move in history:
        state = apply(state, move)
    assert replay(history) == state
