"""The DESIGN.md invariant under random use: after every operation, valid or not, every
registered person is in exactly one state and the projection equals the replay of the
ledger from event 1; a refused operation changes nothing.

The database is built once per test function (the `world` fixture); each hypothesis
example registers its own fresh persons, so examples need no reset."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, currently_in_test_context, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from custodia.custody import service as custody
from custodia.custody.rollcall import record_roll_call
from custodia.custody.rules import EventType, Status
from custodia.custody.schemas import CorrectionIn, EventRequest, ReplacementIn, RollCallIn
from custodia.db import read_session, unit_of_work
from custodia.errors import CustodiaError
from custodia.registry import service as registry
from tests.conftest import World
from tests.custody.conftest import register, snapshot

PERSONS_PER_EXAMPLE = 3
NOWHERE = 99_999  # neither a facility nor an organization
PLACES = ["prison_a", "prison_b", "camp", "receiving", "nowhere"]
SAFEGUARDS = {"risk_assessment_ref": "RA-77", "monitor_notification_ref": "MN-77"}


def _count(what: str) -> None:
    """Tally outcomes for ``pytest --hypothesis-show-statistics``."""
    if currently_in_test_context():
        event(what)


@dataclass(frozen=True)
class Expected:
    """What the test itself expects a person's custody to be (an independent model)."""

    status: Status = Status.NOT_HELD
    facility: int | None = None
    authority: int | None = None
    destination: int | None = None
    movement: str | None = None


@dataclass(frozen=True)
class Op:
    kind: str
    who: int
    where: str = "nowhere"
    refs: bool = False
    movement: str | None = None
    country: str = "FR"
    authority: str = "receiving_government"


who = st.integers(0, PERSONS_PER_EXAMPLE - 1)
where = st.sampled_from(PLACES)
simple_ops = st.one_of(
    st.builds(Op, kind=st.just("intake"), who=who, where=where),
    st.builds(
        Op,
        kind=st.just("transfer_out"),
        who=who,
        where=where,
        refs=st.booleans(),
        movement=st.sampled_from([None, "named"]),
    ),
    st.builds(
        Op,
        kind=st.just("transfer_in"),
        who=who,
        where=where,
        movement=st.sampled_from([None, "right", "wrong"]),
    ),
    st.builds(Op, kind=st.just("release"), who=who),
    st.builds(
        Op,
        kind=st.just("repatriation"),
        who=who,
        refs=st.booleans(),
        country=st.sampled_from(["FR", "IQ", "ZZ"]),
    ),
    st.builds(Op, kind=st.just("death"), who=who),
    st.builds(Op, kind=st.just("escape"), who=who),
    st.builds(Op, kind=st.just("recapture"), who=who, where=where),
    st.builds(
        Op,
        kind=st.just("handover"),
        who=who,
        refs=st.booleans(),
        authority=st.sampled_from(["guard_force", "receiving_government", "nowhere"]),
    ),
)
replacements = st.one_of(
    st.none(),
    st.tuples(st.just(EventType.INTAKE), where),
    st.tuples(st.just(EventType.TRANSFER_IN), where),
    st.tuples(st.just(EventType.RELEASE), st.just("nowhere")),
    st.tuples(st.just(EventType.ESCAPE), st.just("nowhere")),
)


def make_machine(world: World) -> type[RuleBasedStateMachine]:
    def _unaccounted() -> int:
        """Registered persons minus persons counted in some status (0 when all is well)."""
        with read_session(world.engine) as session:
            counts = custody.status_counts(session)
            return registry.count_persons(session) - sum(counts.values())

    place = {name: getattr(world, name) for name in PLACES if name != "nowhere"}
    place["nowhere"] = NOWHERE
    organization = {
        "guard_force": world.guard_force,
        "receiving_government": world.receiving_government,
        "nowhere": NOWHERE,
    }
    authority_of = {
        world.prison_a: world.guard_force,
        world.prison_b: world.guard_force,
        world.camp: world.guard_force,
        world.receiving: world.receiving_government,
    }
    sorties = itertools.count(1)

    def held(facility: int) -> Expected:
        return Expected(Status.IN_CUSTODY, facility=facility, authority=authority_of[facility])

    def predict(now: Expected, op: Op) -> Expected | None:
        """The state after ``op``, or None when the system must refuse it."""
        at = place[op.where]
        known = at in authority_of
        kind = op.kind
        if kind == "intake":
            ok = now.status in (Status.NOT_HELD, Status.RELEASED, Status.REPATRIATED) and known
            return held(at) if ok else None
        if kind == "recapture":
            return held(at) if now.status is Status.ESCAPED and known else None
        if kind == "transfer_in":
            ok = (
                now.status is Status.IN_TRANSIT
                and at == now.destination
                and op.movement in (None, now.movement)
            )
            return held(at) if ok else None
        if kind in ("death", "escape"):
            if now.status not in (Status.IN_CUSTODY, Status.IN_TRANSIT):
                return None
            return Expected(Status.DECEASED if kind == "death" else Status.ESCAPED)
        if now.status is not Status.IN_CUSTODY:
            return None
        if kind == "release":
            return Expected(Status.RELEASED)
        if kind == "repatriation":
            return Expected(Status.REPATRIATED) if op.refs and op.country != "ZZ" else None
        if kind == "handover":
            new = organization[op.authority]
            ok = op.refs and new != NOWHERE and new != now.authority
            return replace(now, authority=new) if ok else None
        if kind == "transfer_out":
            ok = known and at != now.facility and (op.refs or authority_of[at] == now.authority)
            return (
                Expected(
                    Status.IN_TRANSIT, authority=now.authority, destination=at, movement=op.movement
                )
                if ok
                else None
            )
        raise AssertionError(kind)

    class CustodyMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.persons = register(world, PERSONS_PER_EXAMPLE, label="Random")
            self.expected = {p: Expected() for p in self.persons}
            # Examples share the database: judge each on what it did itself, so that one
            # example's failure does not leak into the next and a stored failing example
            # replays the same way.
            self.unaccounted_at_start = _unaccounted()

        # --- turning operations into requests ------------------------------------------

        def _concrete(self, op: Op) -> Op:
            """Fix the movement id now, so the model knows it."""
            if op.kind == "transfer_out" and op.movement == "named":
                return replace(op, movement=f"SORTIE-{next(sorties)}")
            if op.kind == "transfer_in" and op.movement == "right":
                return replace(op, movement=self._custody(self.persons[op.who]).movement_id)
            if op.kind == "transfer_in" and op.movement == "wrong":
                return replace(op, movement="SORTIE-NONE")
            return op

        def _request(self, op: Op) -> EventRequest:
            person = self.persons[op.who]
            refs = SAFEGUARDS if op.refs else {}
            at = place[op.where]
            kind = op.kind
            if kind in ("intake", "recapture", "transfer_in"):
                payload = {"movement_id": op.movement} if op.movement else {}
                return EventRequest(
                    event_type=EventType(kind.upper()),
                    person_id=person,
                    facility_id=at,
                    payload=payload,
                )
            if kind == "transfer_out":
                payload = {"destination_facility_id": at, **refs}
                if op.movement:
                    payload["movement_id"] = op.movement
                return EventRequest(
                    event_type=EventType.TRANSFER_OUT, person_id=person, payload=payload
                )
            if kind == "repatriation":
                return EventRequest(
                    event_type=EventType.REPATRIATION,
                    person_id=person,
                    payload={"country": op.country, **refs},
                )
            if kind == "handover":
                return EventRequest(
                    event_type=EventType.AUTHORITY_HANDOVER,
                    person_id=person,
                    authority_id=organization[op.authority],
                    payload=refs,
                )
            return EventRequest(
                event_type=EventType(kind.upper()),
                person_id=person,
                payload={"reason": "random"} if kind == "release" else {},
            )

        # --- running one write and checking what it did ------------------------------------

        def _write(self, what: str, action: Any, *, must_succeed: bool | None, events: int) -> bool:
            before = snapshot(world)
            try:
                with unit_of_work(world.engine) as session:
                    action(session)
            except CustodiaError as exc:
                _count(f"{what} refused")
                assert must_succeed is not True, f"refused a valid operation: {exc.detail}"
                assert snapshot(world) == before, "a refused operation changed something"
                return False
            _count(f"{what} recorded")
            assert must_succeed is not False, "accepted an operation that must be refused"
            assert snapshot(world)["tree_size"] == before["tree_size"] + events
            return True

        def _run(self, ops: list[Op]) -> None:
            ops = [self._concrete(op) for op in ops]
            expected = dict(self.expected)
            for op in ops:
                person = self.persons[op.who]
                after = predict(expected[person], op)
                if after is None:
                    expected = {}
                    break
                if after.status is Status.IN_TRANSIT and after.movement is None:
                    after = replace(after, movement="*")  # assigned by the system
                expected[person] = after
            requests = [self._request(op) for op in ops]
            done = self._write(
                "+".join(op.kind for op in ops),
                lambda s: custody.record_events(s, requests=requests, actor_id=None),
                must_succeed=bool(expected),
                events=len(requests),
            )
            if done:
                self.expected = expected
                for person, want in expected.items():
                    if want.movement == "*":
                        self._resync(person)

        # --- rules ---------------------------------------------------------------------------

        def _valid_ops(self) -> list[Op]:
            """Every operation the model accepts now (so that histories grow long)."""
            candidates = []
            for i in range(PERSONS_PER_EXAMPLE):
                for at in PLACES[:-1]:
                    candidates += [
                        Op("intake", i, at),
                        Op("recapture", i, at),
                        Op("transfer_in", i, at),
                        Op("transfer_in", i, at, movement="right"),
                        Op("transfer_out", i, at),
                        Op("transfer_out", i, at, refs=True),
                        Op("transfer_out", i, at, refs=True, movement="named"),
                    ]
                candidates += [
                    Op("release", i),
                    Op("death", i),
                    Op("escape", i),
                    Op("repatriation", i, refs=True, country="IQ"),
                    Op("handover", i, refs=True, authority="guard_force"),
                    Op("handover", i, refs=True, authority="receiving_government"),
                ]
            return [
                op
                for op in candidates
                if predict(self.expected[self.persons[op.who]], self._concrete(op)) is not None
            ]

        @rule(pick=st.integers(0, 10_000))
        def valid_event(self, pick: int) -> None:
            valid = self._valid_ops()
            if valid:
                self._run([valid[pick % len(valid)]])

        @rule(pick=st.integers(0, 10_000))
        def another_valid_event(self, pick: int) -> None:
            """A second rule, so valid moves come twice as often as random ones."""
            self.valid_event(pick)

        @rule(op=simple_ops)
        def any_event(self, op: Op) -> None:
            self._run([op])

        @rule(ops=st.lists(simple_ops, min_size=2, max_size=3))
        def any_batch(self, ops: list[Op]) -> None:
            self._run(ops)

        @rule(pick=st.integers(0, 10_000), op=simple_ops)
        def batch_of_a_valid_and_any_event(self, pick: int, op: Op) -> None:
            valid = self._valid_ops()
            self._run([valid[pick % len(valid)], op] if valid else [op])

        @rule(who=who, latest=st.booleans(), pick=st.integers(0, 20), replacement=replacements)
        def correction(
            self, who: int, latest: bool, pick: int, replacement: tuple[EventType, str] | None
        ) -> None:
            person = self.persons[who]
            with read_session(world.engine) as session:
                past = custody.custody_history(session, person_id=person)
            target = 10**9
            if past:
                target = past[-1].seq if latest else past[pick % len(past)].seq
            spec = None
            if replacement is not None:
                kind, at = replacement
                facility = place[at] if kind in (EventType.INTAKE, EventType.TRANSFER_IN) else None
                spec = ReplacementIn(type=kind, facility_id=facility)
            request = CorrectionIn(
                corrects_seq=target, reason="random correction", replacement=spec
            ).to_request()
            what = f"correction ({'void' if spec is None else spec.type.value})"
            if self._write(
                what,
                lambda s: custody.record_events(s, requests=[request], actor_id=None),
                must_succeed=None if past else False,
                events=1,
            ):
                self._resync(person)

        @rule(who=who)
        def void_the_latest_event(self, who: int) -> None:
            """Undo a person's last record: always possible unless it is itself a correction
            (voiding a correction voids the event it corrected)."""
            person = self.persons[who]
            with read_session(world.engine) as session:
                past = custody.custody_history(session, person_id=person)
            if not past:
                return
            request = CorrectionIn(corrects_seq=past[-1].seq, reason="recorded in error")
            if self._write(
                "void the latest",
                lambda s: custody.record_events(s, requests=[request.to_request()], actor_id=None),
                must_succeed=None if past[-1].type == EventType.CORRECTION else True,
                events=1,
            ):
                self._resync(person)

        @rule(where=where, present=st.lists(who, unique=True), stranger=st.booleans())
        def roll_call(self, where: str, present: list[int], stranger: bool) -> None:
            ids = [self.persons[i] for i in present] + ([10**9] if stranger else [])
            facility = place[where]
            before = snapshot(world)["projection"]
            self._write(
                "roll call",
                lambda s: record_roll_call(
                    s, roll_call_in=RollCallIn(facility_id=facility, person_ids=ids), actor_id=None
                ),
                must_succeed=facility != NOWHERE and not stranger,
                events=1,
            )
            assert snapshot(world)["projection"] == before

        def _resync(self, person: int) -> None:
            now = self._custody(person)
            self.expected[person] = Expected(
                now.status,
                now.facility_id,
                now.authority_id,
                now.destination_facility_id,
                now.movement_id,
            )

        def _custody(self, person: int) -> Any:
            with read_session(world.engine) as session:
                return custody.get_custody(session, person_id=person)

        # --- the invariant ---------------------------------------------------------------

        @invariant()
        def projection_equals_replay(self) -> None:
            with read_session(world.engine) as session:
                report = custody.check_projection(session)
            assert report.events == snapshot(world)["tree_size"]
            mine = [m for m in report.mismatches if m["person_id"] in self.persons]
            assert not mine, mine

        @invariant()
        def everyone_is_in_exactly_one_state(self) -> None:
            assert _unaccounted() == self.unaccounted_at_start, (
                "status_counts does not count every registered person exactly once"
            )
            for person in self.persons:
                now = self._custody(person)
                if now.status is Status.IN_CUSTODY:
                    assert now.facility_id is not None and now.authority_id is not None
                    assert now.movement_id is None
                elif now.status is Status.IN_TRANSIT:
                    assert now.facility_id is None
                    assert now.movement_id and now.destination_facility_id is not None
                else:
                    assert now.facility_id is None and now.movement_id is None

        @invariant()
        def custody_is_what_the_model_expects(self) -> None:
            for person, want in self.expected.items():
                now = self._custody(person)
                got = Expected(
                    now.status,
                    now.facility_id,
                    now.authority_id,
                    now.destination_facility_id,
                    now.movement_id,
                )
                assert got == want, (person, got, want)

    return CustodyMachine


def test_custody_invariant_holds_under_random_operations(world: World) -> None:
    run_state_machine_as_test(
        make_machine(world),
        settings=settings(
            max_examples=25,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
            # Every step writes to a real database: shrinking a failure would take minutes,
            # so a failure is reported as the whole run of steps that produced it.
            phases=[Phase.explicit, Phase.reuse, Phase.generate],
        ),
    )
    with read_session(world.engine) as session:
        report = custody.check_projection(session)
        counts = custody.status_counts(session)
        persons = registry.count_persons(session)
    assert report.ok, report.mismatches
    assert report.persons > 0
    assert sum(counts.values()) == persons


@pytest.mark.parametrize("seed_ops", [["intake", "release", "intake"]])
def test_the_model_agrees_with_a_hand_written_history(world: World, seed_ops: list[str]) -> None:
    """The model the random test relies on, checked once on a known history."""
    machine = make_machine(world)()
    for kind in seed_ops:
        machine.any_event(Op(kind=kind, who=0, where="camp"))
    machine.custody_is_what_the_model_expects()
    assert machine.expected[machine.persons[0]].facility == world.camp
