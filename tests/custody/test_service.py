"""Recording custody through the service on a real database: who shows where, what is
refused, corrections, and batches that are all-or-nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from custodia.custody import service as custody
from custodia.custody.rollcall import record_roll_call
from custodia.custody.rules import EventType, Status
from custodia.custody.schemas import (
    AuthorityHandoverIn,
    CorrectionIn,
    DeathIn,
    EscapeIn,
    EventRequest,
    IntakeIn,
    RecaptureIn,
    ReleaseIn,
    RepatriationIn,
    ReplacementIn,
    RollCallIn,
    TransferInIn,
    TransferOutIn,
)
from custodia.db import read_session, unit_of_work
from custodia.errors import Conflict, CustodiaError, Invalid, NotFound
from custodia.registry.schemas import PersonQuery
from tests.conftest import World
from tests.custody.conftest import (
    custody_of,
    held_at,
    history,
    projection_is_replay,
    record,
    register,
    snapshot,
)

SAFEGUARDS = {"risk_assessment_ref": "RA-2026-117", "monitor_notification_ref": "MN-2026-0042"}


@pytest.fixture
def person(world: World) -> int:
    (person_id,) = register(world)
    return person_id


@pytest.fixture
def held(world: World, person: int) -> int:
    """A person held at prison A."""
    record(world, IntakeIn(person_id=person, facility_id=world.prison_a))
    return person


def refused(world: World, *events: object, error: type[CustodiaError] = CustodiaError) -> str:
    """Record, expect a refusal, and check the refusal changed nothing."""
    before = snapshot(world)
    with pytest.raises(error) as caught:
        record(world, *events)  # type: ignore[arg-type]
    assert snapshot(world) == before
    return caught.value.detail


# --- intake and transfers ----------------------------------------------------------------


def test_intake_shows_the_person_held_at_the_facility(world: World, person: int) -> None:
    (event,) = record(world, IntakeIn(person_id=person, facility_id=world.prison_a))
    now = custody_of(world, person)
    assert now.status is Status.IN_CUSTODY
    assert (now.facility_id, now.authority_id) == (world.prison_a, world.guard_force)
    assert now.last_seq == event.seq
    assert held_at(world, world.prison_a) == {person}
    assert held_at(world, world.prison_b) == set()
    with read_session(world.engine) as session:
        found, total = custody.find_persons(
            session, query=PersonQuery(name="Detainee", facility_id=world.prison_a)
        )
        population = {p.facility_id: p for p in custody.population(session)}
    assert total == 1 and found[0].id == person
    assert population[world.prison_a].in_custody == 1
    projection_is_replay(world)


def test_transfer_out_puts_the_person_in_transit_on_the_movement(world: World, held: int) -> None:
    record(
        world,
        TransferOutIn(person_id=held, destination_facility_id=world.prison_b, movement_id="S-12"),
    )
    now = custody_of(world, held)
    assert now.status is Status.IN_TRANSIT
    assert now.movement_id == "S-12"
    assert (now.origin_facility_id, now.destination_facility_id) == (
        world.prison_a,
        world.prison_b,
    )
    assert now.facility_id is None
    assert held_at(world, world.prison_a) == set()
    with read_session(world.engine) as session:
        population = {p.facility_id: p for p in custody.population(session)}
    assert population[world.prison_b].inbound == 1
    assert population[world.prison_a].in_custody == 0


def test_a_transfer_without_a_movement_gets_one(world: World, held: int) -> None:
    (event,) = record(world, TransferOutIn(person_id=held, destination_facility_id=world.prison_b))
    movement = custody_of(world, held).movement_id
    assert movement and movement.startswith("MV-")
    assert event.payload["movement_id"] == movement


@pytest.mark.parametrize("where", ["prison_a", "camp", "receiving"])
def test_transfer_in_is_refused_anywhere_but_the_destination(
    world: World, held: int, where: str
) -> None:
    record(
        world,
        TransferOutIn(person_id=held, destination_facility_id=world.prison_b, movement_id="S-12"),
    )
    detail = refused(
        world, TransferInIn(person_id=held, facility_id=getattr(world, where)), error=Conflict
    )
    assert f"goes to facility {world.prison_b}" in detail
    record(world, TransferInIn(person_id=held, facility_id=world.prison_b, movement_id="S-12"))
    assert held_at(world, world.prison_b) == {held}
    projection_is_replay(world)


def test_transfer_in_on_another_movement_is_refused(world: World, held: int) -> None:
    record(
        world,
        TransferOutIn(person_id=held, destination_facility_id=world.prison_b, movement_id="S-12"),
    )
    detail = refused(
        world,
        TransferInIn(person_id=held, facility_id=world.prison_b, movement_id="S-13"),
        error=Conflict,
    )
    assert "S-12" in detail


def test_a_transfer_to_where_the_person_already_is_is_refused(world: World, held: int) -> None:
    refused(
        world, TransferOutIn(person_id=held, destination_facility_id=world.prison_a), error=Invalid
    )


def test_a_transfer_to_an_unknown_facility_is_refused(world: World, held: int) -> None:
    refused(world, TransferOutIn(person_id=held, destination_facility_id=99_999), error=NotFound)


def test_transfer_in_without_a_transfer_out_is_refused(world: World, held: int) -> None:
    detail = refused(
        world, TransferInIn(person_id=held, facility_id=world.prison_b), error=Conflict
    )
    assert "not in transit" in detail


# --- who is not in custody cannot leave it -----------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda p, w: ReleaseIn(person_id=p, reason="court order"),
        lambda p, w: RepatriationIn(person_id=p, country="FR", **SAFEGUARDS),
        lambda p, w: TransferOutIn(person_id=p, destination_facility_id=w.prison_b),
        lambda p, w: DeathIn(person_id=p),
        lambda p, w: EscapeIn(person_id=p),
        lambda p, w: TransferInIn(person_id=p, facility_id=w.prison_b),
        lambda p, w: RecaptureIn(person_id=p, facility_id=w.prison_b),
    ],
    ids=["release", "repatriation", "transfer-out", "death", "escape", "transfer-in", "recapture"],
)
def test_moves_of_someone_never_taken_into_custody_are_refused(
    world: World, person: int, make: object
) -> None:
    refused(world, make(person, world), error=Conflict)  # type: ignore[operator]
    assert custody_of(world, person).status is Status.NOT_HELD


def test_release_of_someone_already_released_is_refused(world: World, held: int) -> None:
    record(world, ReleaseIn(person_id=held, reason="court order"))
    detail = refused(world, ReleaseIn(person_id=held, reason="again"), error=Conflict)
    assert "released, not in custody" in detail


def test_intake_of_someone_in_custody_is_refused(world: World, held: int) -> None:
    detail = refused(world, IntakeIn(person_id=held, facility_id=world.prison_b), error=Conflict)
    assert "already in custody" in detail
    assert custody_of(world, held).facility_id == world.prison_a


def test_intake_of_someone_in_transit_is_refused(world: World, held: int) -> None:
    record(world, TransferOutIn(person_id=held, destination_facility_id=world.prison_b))
    refused(world, IntakeIn(person_id=held, facility_id=world.camp), error=Conflict)


def test_a_released_person_can_be_taken_into_custody_again(world: World, held: int) -> None:
    record(world, ReleaseIn(person_id=held, reason="court order"))
    record(world, IntakeIn(person_id=held, facility_id=world.camp))
    assert held_at(world, world.camp) == {held}
    projection_is_replay(world)


def test_escape_in_transit_and_recapture(world: World, held: int) -> None:
    record(world, TransferOutIn(person_id=held, destination_facility_id=world.prison_b))
    record(world, EscapeIn(person_id=held))
    assert custody_of(world, held).status is Status.ESCAPED
    refused(world, IntakeIn(person_id=held, facility_id=world.camp), error=Conflict)
    record(world, RecaptureIn(person_id=held, facility_id=world.camp))
    now = custody_of(world, held)
    assert (now.status, now.facility_id) == (Status.IN_CUSTODY, world.camp)
    projection_is_replay(world)


def test_a_deceased_person_stays_deceased(world: World, held: int) -> None:
    record(world, DeathIn(person_id=held, cause="illness"))
    assert custody_of(world, held).status is Status.DECEASED
    refused(world, IntakeIn(person_id=held, facility_id=world.camp), error=Conflict)
    refused(world, RecaptureIn(person_id=held, facility_id=world.camp), error=Conflict)


def test_an_unregistered_person_is_refused(world: World) -> None:
    refused(world, IntakeIn(person_id=424_242, facility_id=world.prison_a), error=NotFound)


def test_an_intake_at_an_unknown_facility_is_refused(world: World, person: int) -> None:
    refused(world, IntakeIn(person_id=person, facility_id=99_999), error=NotFound)


def test_an_event_in_the_future_is_refused(world: World, person: int) -> None:
    tomorrow = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    detail = refused(
        world,
        IntakeIn(person_id=person, facility_id=world.prison_a, occurred_at=tomorrow),
        error=Invalid,
    )
    assert "future" in detail


def test_an_event_before_the_persons_last_one_must_be_a_correction(
    world: World, person: int
) -> None:
    now = dt.datetime.now(dt.UTC)
    record(world, IntakeIn(person_id=person, facility_id=world.prison_a, occurred_at=now))
    detail = refused(
        world,
        ReleaseIn(person_id=person, reason="bail", occurred_at=now - dt.timedelta(hours=1)),
        error=Conflict,
    )
    assert "correction" in detail


def test_a_headcount_cannot_be_recorded_as_a_custody_event(world: World) -> None:
    refused(
        world,
        EventRequest(event_type=EventType.HEADCOUNT, facility_id=world.prison_a),
        error=Invalid,
    )


# --- safeguards when custody passes to another authority ---------------------------------


@pytest.mark.parametrize(
    "refs",
    [
        {},
        {"risk_assessment_ref": "RA-1"},
        {"monitor_notification_ref": "MN-1"},
        {"risk_assessment_ref": "", "monitor_notification_ref": "MN-1"},
    ],
    ids=["none", "risk-only", "monitor-only", "empty-risk"],
)
def test_transfer_to_another_authority_needs_both_safeguards(
    world: World, held: int, refs: dict[str, str]
) -> None:
    detail = refused(
        world,
        TransferOutIn(person_id=held, destination_facility_id=world.receiving, **refs),
        error=Invalid,
    )
    assert "risk_assessment_ref" in detail and "monitor_notification_ref" in detail
    assert custody_of(world, held).status is Status.IN_CUSTODY


def test_transfer_to_another_authority_with_safeguards_is_recorded(world: World, held: int) -> None:
    (out,) = record(
        world,
        TransferOutIn(
            person_id=held,
            destination_facility_id=world.receiving,
            movement_id="SORTIE-7",
            **SAFEGUARDS,
        ),
    )
    assert {k: out.payload[k] for k in SAFEGUARDS} == SAFEGUARDS
    record(world, TransferInIn(person_id=held, facility_id=world.receiving))
    now = custody_of(world, held)
    assert (now.facility_id, now.authority_id) == (world.receiving, world.receiving_government)
    projection_is_replay(world)


def test_transfer_within_the_same_authority_needs_no_safeguards(world: World, held: int) -> None:
    record(world, TransferOutIn(person_id=held, destination_facility_id=world.camp))
    assert custody_of(world, held).status is Status.IN_TRANSIT


@pytest.mark.parametrize(
    "refs", [{}, {"risk_assessment_ref": "RA-1"}, {"monitor_notification_ref": "MN-1"}]
)
def test_repatriation_needs_both_safeguards(world: World, held: int, refs: dict[str, str]) -> None:
    refused(world, RepatriationIn(person_id=held, country="FR", **refs), error=Invalid)
    assert custody_of(world, held).status is Status.IN_CUSTODY


def test_repatriation_with_safeguards_is_recorded(world: World, held: int) -> None:
    (event,) = record(world, RepatriationIn(person_id=held, country="FR", **SAFEGUARDS))
    assert custody_of(world, held).status is Status.REPATRIATED
    assert event.payload["country"] == "FR"
    assert held_at(world, world.prison_a) == set()


def test_repatriation_to_a_country_that_does_not_exist_is_refused(world: World, held: int) -> None:
    detail = refused(
        world, RepatriationIn(person_id=held, country="ZZ", **SAFEGUARDS), error=Invalid
    )
    assert "ZZ" in detail


def test_authority_handover_needs_safeguards_and_changes_the_authority(
    world: World, held: int
) -> None:
    handover = AuthorityHandoverIn(person_id=held, authority_id=world.receiving_government)
    refused(world, handover, error=Invalid)
    record(world, handover.model_copy(update=SAFEGUARDS))
    now = custody_of(world, held)
    assert (now.facility_id, now.authority_id) == (world.prison_a, world.receiving_government)
    projection_is_replay(world)


def test_handover_to_the_current_authority_is_refused(world: World, held: int) -> None:
    refused(
        world,
        AuthorityHandoverIn(person_id=held, authority_id=world.guard_force, **SAFEGUARDS),
        error=Conflict,
    )


# --- corrections -------------------------------------------------------------------------


def test_an_intake_recorded_at_the_wrong_prison_is_corrected(world: World, person: int) -> None:
    (wrong,) = record(world, IntakeIn(person_id=person, facility_id=world.prison_a))
    (fix,) = record(
        world,
        CorrectionIn(
            corrects_seq=wrong.seq,
            reason="taken in at Qamishli, typed as Hasakah",
            replacement=ReplacementIn(type=EventType.INTAKE, facility_id=world.prison_b),
        ),
    )
    assert held_at(world, world.prison_a) == set()
    assert held_at(world, world.prison_b) == {person}
    now = custody_of(world, person)
    assert (now.facility_id, now.authority_id, now.last_seq) == (
        world.prison_b,
        world.guard_force,
        fix.seq,
    )
    original, correction = history(world, person)
    assert (original.seq, original.corrected_by, original.facility_id) == (
        wrong.seq,
        fix.seq,
        world.prison_a,
    )
    assert correction.corrects_seq == wrong.seq
    assert correction.payload["replacement"]["facility_id"] == world.prison_b
    projection_is_replay(world)


def test_a_wrongly_recorded_release_is_voided(world: World, held: int) -> None:
    (release,) = record(world, ReleaseIn(person_id=held, reason="wrong person"))
    record(world, CorrectionIn(corrects_seq=release.seq, reason="released the namesake"))
    now = custody_of(world, held)
    assert (now.status, now.facility_id) == (Status.IN_CUSTODY, world.prison_a)
    projection_is_replay(world)


def test_a_voided_intake_leaves_the_person_counted_as_not_held(world: World, person: int) -> None:
    (intake,) = record(world, IntakeIn(person_id=person, facility_id=world.prison_a))
    record(world, CorrectionIn(corrects_seq=intake.seq, reason="never arrived"))
    assert custody_of(world, person).status is Status.NOT_HELD
    with read_session(world.engine) as session:
        counts = custody.status_counts(session)
    assert counts[Status.NOT_HELD.value] == 1
    assert sum(counts.values()) == 1
    projection_is_replay(world)


def test_a_correction_of_a_correction_goes_through_the_latest(world: World, person: int) -> None:
    (intake,) = record(world, IntakeIn(person_id=person, facility_id=world.prison_a))
    (first,) = record(
        world,
        CorrectionIn(
            corrects_seq=intake.seq,
            reason="wrong prison",
            replacement=ReplacementIn(type=EventType.INTAKE, facility_id=world.prison_b),
        ),
    )
    detail = refused(
        world,
        CorrectionIn(
            corrects_seq=intake.seq,
            reason="wrong again",
            replacement=ReplacementIn(type=EventType.INTAKE, facility_id=world.camp),
        ),
        error=Conflict,
    )
    assert f"already corrected by event {first.seq}" in detail
    record(
        world,
        CorrectionIn(
            corrects_seq=first.seq,
            reason="it was the camp",
            replacement=ReplacementIn(type=EventType.INTAKE, facility_id=world.camp),
        ),
    )
    assert held_at(world, world.camp) == {person}
    projection_is_replay(world)


def test_a_correction_leaving_an_impossible_history_is_refused(world: World, held: int) -> None:
    (intake,) = history(world, held)
    record(world, TransferOutIn(person_id=held, destination_facility_id=world.prison_b))
    detail = refused(
        world, CorrectionIn(corrects_seq=intake.seq, reason="never arrived"), error=Conflict
    )
    assert "impossible custody history" in detail
    assert custody_of(world, held).status is Status.IN_TRANSIT


def test_correcting_the_facility_of_a_past_transfer(world: World, held: int) -> None:
    """The transfer out of prison A said sortie S-1; it was S-2. The person has since
    arrived at prison B: the corrected transfer still leaves from prison A."""
    (out,) = record(
        world,
        TransferOutIn(person_id=held, destination_facility_id=world.prison_b, movement_id="S-1"),
    )
    record(world, TransferInIn(person_id=held, facility_id=world.prison_b))
    record(
        world,
        CorrectionIn(
            corrects_seq=out.seq,
            reason="sortie number mistyped",
            replacement=ReplacementIn(
                type=EventType.TRANSFER_OUT,
                payload={"destination_facility_id": world.prison_b, "movement_id": "S-2"},
            ),
        ),
    )
    assert held_at(world, world.prison_b) == {held}
    projection_is_replay(world)


def test_a_correction_cannot_send_someone_to_another_authority_without_safeguards(
    world: World, held: int
) -> None:
    (out,) = record(
        world,
        TransferOutIn(person_id=held, destination_facility_id=world.prison_b, movement_id="S-1"),
    )
    detail = refused(
        world,
        CorrectionIn(
            corrects_seq=out.seq,
            reason="the sortie went to Baghdad",
            replacement=ReplacementIn(
                type=EventType.TRANSFER_OUT,
                payload={"destination_facility_id": world.receiving, "movement_id": "S-1"},
            ),
        ),
        error=Invalid,
    )
    assert "risk_assessment_ref" in detail
    assert custody_of(world, held).destination_facility_id == world.prison_b


def test_a_correction_cannot_turn_a_release_into_a_repatriation_without_safeguards(
    world: World, held: int
) -> None:
    (release,) = record(world, ReleaseIn(person_id=held, reason="handed to family"))
    refused(
        world,
        CorrectionIn(
            corrects_seq=release.seq,
            reason="he was flown home",
            replacement=ReplacementIn(type=EventType.REPATRIATION, payload={"country": "FR"}),
        ),
        error=Invalid,
    )
    assert custody_of(world, held).status is Status.RELEASED


def test_a_correction_of_an_event_that_is_not_a_persons_is_refused(world: World, held: int) -> None:
    with unit_of_work(world.engine) as session:
        roll = record_roll_call(
            session,
            roll_call_in=RollCallIn(facility_id=world.prison_a, person_ids=[held]),
            actor_id=None,
        )
    refused(
        world, CorrectionIn(corrects_seq=roll.headcount_seq, reason="miscounted"), error=Invalid
    )
    refused(world, CorrectionIn(corrects_seq=9_999, reason="no such event"), error=NotFound)


def test_a_replacement_cannot_be_a_correction(world: World, held: int) -> None:
    (intake,) = history(world, held)
    refused(
        world,
        CorrectionIn(
            corrects_seq=intake.seq,
            reason="nested",
            replacement=ReplacementIn(type=EventType.CORRECTION),
        ),
        error=Invalid,
    )


# --- batches and the acting user ---------------------------------------------------------


def test_a_refused_event_in_a_batch_records_nothing(world: World) -> None:
    first, second, outsider = register(world, 3)
    detail = refused(
        world,
        IntakeIn(person_id=first, facility_id=world.prison_a),
        IntakeIn(person_id=second, facility_id=world.prison_a),
        TransferOutIn(person_id=first, destination_facility_id=world.prison_b),
        ReleaseIn(person_id=outsider, reason="never held"),
        error=Conflict,
    )
    assert detail.startswith("event 4 of 4:")
    assert {custody_of(world, p).status for p in (first, second, outsider)} == {Status.NOT_HELD}


def test_a_batch_applies_events_in_order(world: World) -> None:
    first, second = register(world, 2)
    events = record(
        world,
        IntakeIn(person_id=first, facility_id=world.prison_a),
        IntakeIn(person_id=second, facility_id=world.prison_a),
        TransferOutIn(person_id=first, destination_facility_id=world.prison_b, movement_id="S"),
        TransferInIn(person_id=first, facility_id=world.prison_b, movement_id="S"),
    )
    assert [e.seq for e in events] == [1, 2, 3, 4]
    assert held_at(world, world.prison_a) == {second}
    assert held_at(world, world.prison_b) == {first}
    assert custody_of(world, first).last_seq == 4
    projection_is_replay(world)


def test_every_event_records_the_acting_user(world: World, person: int) -> None:
    record(world, IntakeIn(person_id=person, facility_id=world.prison_a), actor="custody_officer")
    record(
        world,
        TransferOutIn(person_id=person, destination_facility_id=world.prison_b),
        actor="planner",
    )
    record(world, TransferInIn(person_id=person, facility_id=world.prison_b), actor="admin")
    (last,) = record(world, ReleaseIn(person_id=person, reason="court"), actor="analyst")
    record(world, CorrectionIn(corrects_seq=last.seq, reason="not yet"), actor="admin")
    recorded_by = [e.recorded_by for e in history(world, person)]
    users = world.users
    assert recorded_by == [
        users["custody_officer"],
        users["planner"],
        users["admin"],
        users["analyst"],
        users["admin"],
    ]


def test_status_counts_cover_every_registered_person(world: World) -> None:
    a, b, c, d, _ = register(world, 5)
    record(
        world,
        IntakeIn(person_id=a, facility_id=world.prison_a),
        IntakeIn(person_id=b, facility_id=world.prison_a),
        IntakeIn(person_id=c, facility_id=world.camp),
        IntakeIn(person_id=d, facility_id=world.camp),
    )
    record(
        world,
        TransferOutIn(person_id=b, destination_facility_id=world.prison_b),
        ReleaseIn(person_id=c, reason="court"),
        EscapeIn(person_id=d),
    )
    with read_session(world.engine) as session:
        counts = custody.status_counts(session)
    assert counts == {
        "not_held": 1,
        "in_custody": 1,
        "in_transit": 1,
        "released": 1,
        "repatriated": 0,
        "deceased": 0,
        "escaped": 1,
    }
