"""Roll calls: a count at a facility reconciled against the records, kept in the ledger as a
HEADCOUNT, with each difference open as a discrepancy until someone resolves it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from custodia.custody import service as custody
from custodia.custody.models import RollCall
from custodia.custody.rollcall import (
    get_roll_call,
    list_discrepancies,
    parse_roll_call_csv,
    record_roll_call,
    resolve_discrepancy,
)
from custodia.custody.schemas import DiscrepancyOut, IntakeIn, RollCallIn, RollCallOut
from custodia.db import read_session, unit_of_work
from custodia.errors import Conflict, Invalid, NotFound
from custodia.ledger import service as ledger
from tests.conftest import World
from tests.custody.conftest import projection_is_replay, record, register, snapshot


@pytest.fixture
def people(world: World) -> dict[str, int]:
    """Three held at prison A, one at prison B, one never taken into custody."""
    a1, a2, a3, b1, free = register(world, 5)
    record(
        world,
        *(IntakeIn(person_id=p, facility_id=world.prison_a) for p in (a1, a2, a3)),
        IntakeIn(person_id=b1, facility_id=world.prison_b),
    )
    return {"a1": a1, "a2": a2, "a3": a3, "b1": b1, "free": free}


def roll_call(
    world: World, facility_id: int, present: list[int], actor: str = "custody_officer"
) -> RollCallOut:
    with unit_of_work(world.engine) as session:
        return record_roll_call(
            session,
            roll_call_in=RollCallIn(facility_id=facility_id, person_ids=present),
            actor_id=world.users[actor],
        )


def open_discrepancies(world: World, facility_id: int | None = None) -> list[DiscrepancyOut]:
    with read_session(world.engine) as session:
        found, total = list_discrepancies(session, facility_id=facility_id)
    assert total == len(found)
    return found


def resolve(world: World, discrepancy_id: int, text: str) -> DiscrepancyOut:
    with unit_of_work(world.engine) as session:
        return resolve_discrepancy(
            session,
            discrepancy_id=discrepancy_id,
            resolution=text,
            actor_id=world.users["custody_officer"],
        )


def roll_calls_taken(world: World) -> int:
    with read_session(world.engine) as session:
        return int(session.scalar(select(func.count()).select_from(RollCall)) or 0)


def test_a_roll_call_reconciles_against_the_records(world: World, people: dict[str, int]) -> None:
    result = roll_call(
        world, world.prison_a, [people["a1"], people["a2"], people["b1"], people["free"]]
    )
    assert result.expected_count == 3
    assert result.present_count == 4
    assert result.missing == [people["a3"]]
    assert result.unexpected == sorted([people["b1"], people["free"]])
    assert result.count_difference == 1
    details = {(d.kind, d.person_id): d.detail for d in result.discrepancies}
    assert details == {
        ("missing", people["a3"]): "recorded as held here but not counted",
        (
            "unexpected",
            people["b1"],
        ): f"counted here but recorded as in custody at facility {world.prison_b}",
        ("unexpected", people["free"]): "counted here but recorded as not held",
        ("count", None): "counted 4, records say 3",
    }
    assert {d.status for d in result.discrepancies} == {"open"}
    assert {d.facility_id for d in result.discrepancies} == {world.prison_a}
    # each names who took the count that opened it
    assert {d.opened_by for d in result.discrepancies} == {world.users["custody_officer"]}


def test_a_short_count_is_a_negative_difference(world: World, people: dict[str, int]) -> None:
    result = roll_call(world, world.prison_a, [people["a1"]])
    assert result.count_difference == -2
    assert result.missing == sorted([people["a2"], people["a3"]])
    assert "counted 1, records say 3" in {d.detail for d in result.discrepancies}


def test_an_exact_count_opens_no_discrepancy(world: World, people: dict[str, int]) -> None:
    result = roll_call(world, world.prison_a, [people["a3"], people["a1"], people["a2"]])
    assert (result.missing, result.unexpected, result.count_difference) == ([], [], 0)
    assert result.discrepancies == []
    assert open_discrepancies(world) == []


def test_same_number_but_different_people_is_not_a_count_difference(
    world: World, people: dict[str, int]
) -> None:
    result = roll_call(world, world.prison_a, [people["a1"], people["a2"], people["b1"]])
    assert result.count_difference == 0
    assert {d.kind for d in result.discrepancies} == {"missing", "unexpected"}


def test_the_roll_call_is_kept_in_the_ledger_as_a_headcount(
    world: World, people: dict[str, int]
) -> None:
    before = snapshot(world)
    result = roll_call(world, world.prison_a, [people["a1"], people["a2"]], actor="admin")
    after = snapshot(world)
    assert after["tree_size"] == before["tree_size"] + 1
    assert after["projection"] == before["projection"]
    with read_session(world.engine) as session:
        event = ledger.get_event(session, seq=result.headcount_seq)
        report = ledger.verify(session, log="custodia-ledger")
    assert event.event_type == "HEADCOUNT"
    assert (event.facility_id, event.authority_id) == (world.prison_a, world.guard_force)
    assert event.person_id is None
    assert event.recorded_by == world.users["admin"]
    assert event.payload["expected_count"] == 3
    assert event.payload["present_count"] == 2
    assert event.payload["missing"] == [people["a3"]]
    assert report.ok
    projection_is_replay(world)


def test_a_roll_call_reads_back_as_taken(world: World, people: dict[str, int]) -> None:
    taken = roll_call(world, world.prison_a, [people["a1"], people["b1"]])
    with read_session(world.engine) as session:
        again = get_roll_call(session, roll_call_id=taken.id)
        with pytest.raises(NotFound):
            get_roll_call(session, roll_call_id=taken.id + 100)
    assert again == taken


def test_discrepancies_are_listed_until_resolved(world: World, people: dict[str, int]) -> None:
    result = roll_call(world, world.prison_a, [people["a1"], people["a2"], people["b1"]])
    roll_call(world, world.prison_b, [])
    at_a = open_discrepancies(world, world.prison_a)
    assert [d.id for d in at_a] == [d.id for d in result.discrepancies]
    assert len(open_discrepancies(world)) == len(at_a) + 2
    with read_session(world.engine) as session:
        population = {p.facility_id: p for p in custody.population(session)}
    assert population[world.prison_a].open_discrepancies == 2

    missing = next(d for d in at_a if d.kind == "missing")
    resolved = resolve(world, missing.id, "  in the infirmary, counted there  ")
    assert resolved.status == "resolved"
    assert resolved.resolution == "in the infirmary, counted there"
    assert resolved.resolved_at is not None
    assert resolved.resolved_by == world.users["custody_officer"]
    assert [d.id for d in open_discrepancies(world, world.prison_a)] == [
        d.id for d in at_a if d.id != missing.id
    ]
    with read_session(world.engine) as session:
        done, total = list_discrepancies(session, status="resolved")
    assert (total, [d.id for d in done]) == (1, [missing.id])


def test_resolving_twice_is_a_conflict(world: World, people: dict[str, int]) -> None:
    result = roll_call(world, world.prison_a, [people["a1"], people["a2"]])
    (missing,) = result.discrepancies[:1]
    resolve(world, missing.id, "transferred last night, record late")
    with pytest.raises(Conflict, match="already resolved"):
        resolve(world, missing.id, "again")
    with read_session(world.engine) as session:
        (done,), _ = list_discrepancies(session, status="resolved")
    assert done.resolution == "transferred last night, record late"


def test_a_resolution_must_say_something(world: World, people: dict[str, int]) -> None:
    result = roll_call(world, world.prison_a, [people["a1"], people["a2"]])
    with pytest.raises(Invalid):
        resolve(world, result.discrepancies[0].id, "   ")
    assert len(open_discrepancies(world)) == len(result.discrepancies)


def test_resolving_an_unknown_discrepancy_is_not_found(world: World) -> None:
    with pytest.raises(NotFound):
        resolve(world, 12345, "does not exist")


def test_listing_discrepancies_by_an_unknown_status_is_refused(world: World) -> None:
    with read_session(world.engine) as session, pytest.raises(Invalid):
        list_discrepancies(session, status="closed")


def test_an_unregistered_id_is_refused_and_nothing_is_written(
    world: World, people: dict[str, int]
) -> None:
    before = snapshot(world)
    with pytest.raises(Invalid, match="987654"):
        roll_call(world, world.prison_a, [people["a1"], 987654])
    assert snapshot(world) == before
    assert roll_calls_taken(world) == 0
    assert open_discrepancies(world) == []


def test_a_person_counted_twice_is_refused(world: World, people: dict[str, int]) -> None:
    with pytest.raises(Invalid, match=str(people["a1"])):
        roll_call(world, world.prison_a, [people["a1"], people["a2"], people["a1"]])
    assert roll_calls_taken(world) == 0


def test_a_roll_call_at_an_unknown_facility_is_refused(world: World) -> None:
    with pytest.raises(NotFound):
        roll_call(world, 99_999, [])
    assert roll_calls_taken(world) == 0


# --- the CSV a facility uploads ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("person_id\n12\n7\n", [12, 7]),
        ("name,person_id,cell\nAbu X,12,C4\nAbu Y, 7 ,C5\n", [12, 7]),
        ("12\n7\n", [12, 7]),
        ("Person_ID\r\n12\r\n", [12]),
        ("person_id\n12\n\n7\n", [12, 7]),
        ("12\r7\r", [12, 7]),
    ],
    ids=["header", "other-columns", "no-header", "crlf-and-case", "blank-line", "cr-only"],
)
def test_roll_call_csv_gives_the_ids(text: str, ids: list[int]) -> None:
    assert parse_roll_call_csv(text) == ids


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("person_id\n12\nabc\n", "line 3: 'abc' is not a person id"),
        ("12\n-7\n", "line 2: '-7' is not a person id"),
        ("name,person_id\nAbu X,12\nAbu Y\n", "line 3: '' is not a person id"),
        ("person_id\n12\n\n\nx9\n", "line 5: 'x9' is not a person id"),
        ("person_id\n12\n²\n", "line 3: '²' is not a person id"),
        ("\r\u00e5\u00f2", "line 2: '\u00e5\u00f2' is not a person id"),
    ],
    ids=["letters", "negative", "short-row", "after-blank-lines", "superscript-digit", "cr"],
)
def test_roll_call_csv_errors_name_the_line(text: str, message: str) -> None:
    with pytest.raises(Invalid) as caught:
        parse_roll_call_csv(text)
    assert caught.value.detail == message


@pytest.mark.parametrize("text", ["", "\n\n", " , \n"])
def test_an_empty_roll_call_file_is_refused(text: str) -> None:
    with pytest.raises(Invalid, match="empty"):
        parse_roll_call_csv(text)
