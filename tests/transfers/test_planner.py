"""The planner on synthetic instances: every plan passes the independent checker, the
bound is below the plan, the safeguards hold, re-planning never moves a flown sortie."""

from __future__ import annotations

import copy
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from custodia.errors import Invalid
from custodia.transfers import checker, replan, service
from custodia.transfers.greedy import greedy_sorties
from custodia.transfers.model import build_instance, new_solver
from custodia.transfers.operation import Operation, dump_operation, parse_operation
from custodia.transfers.solver import exposure
from custodia.transfers.synthetic import synthetic_operation


@pytest.fixture(scope="module")
def small() -> tuple[Any, dict[str, Any]]:
    op = synthetic_operation(seed=3, detainees=400, sites=6, aircraft=4, days=14, minors=0.05)
    return op, service.create_plan_document(operation=op, time_limit=5)


def test_plan_moves_everyone_feasibly_and_reports_its_gap(
    small: tuple[Any, dict[str, Any]],
) -> None:
    _op, plan = small
    assert plan["checker"]["ok"], plan["checker"]["violations"]
    assert plan["moved"] == plan["in_scope"] == 400
    assert plan["lower_bound"] <= plan["objective"] + 1e-6
    assert plan["gap"] == pytest.approx(1 - plan["lower_bound"] / plan["objective"], abs=1e-4)
    assert plan["checker"]["exposure"] == pytest.approx(plan["objective"], rel=1e-9)
    assert plan["objective"] <= plan["greedy_objective"]
    first = plan["sorties"][0]
    assert {"day", "aircraft", "origin", "destination", "seats", "manifest"} <= first.keys()


def test_minors_fly_apart_from_adults(small: tuple[Any, dict[str, Any]]) -> None:
    op, plan = small
    minors = {d.id for s in op.sites for d in s.detainees if d.minor}
    assert minors
    for sortie in plan["sorties"]:
        aboard = set(sortie["manifest"])
        assert aboard <= minors or not aboard & minors


def test_highest_risk_leave_a_site_first(small: tuple[Any, dict[str, Any]]) -> None:
    op, plan = small
    leave = {pid: s["day"] for s in plan["sorties"] for pid in s["manifest"]}
    site = max(op.sites, key=lambda s: len(s.detainees))
    adults = [d for d in site.detainees if not d.minor]
    top = max(adults, key=lambda d: d.risk)
    bottom = min(adults, key=lambda d: d.risk)
    assert leave[top.id] <= leave[bottom.id]


def test_unassessed_or_flagged_persons_are_never_manifested() -> None:
    op = synthetic_operation(seed=5, detainees=120, sites=3, aircraft=3, days=8)
    data = dump_operation(op)
    data["sites"][0]["detainees"][0]["assessment_ref"] = None
    data["sites"][1]["detainees"][0]["assessment_flagged"] = True
    blocked = {data["sites"][0]["detainees"][0]["id"], data["sites"][1]["detainees"][0]["id"]}
    plan = service.create_plan_document(operation=parse_operation(data), time_limit=3)
    manifested = {pid for s in plan["sorties"] for pid in s["manifest"]}
    assert not blocked & manifested
    assert {h["person_id"] for h in plan["held_back"]} == blocked


def test_a_family_split_across_authorities_carries_a_record() -> None:
    op = synthetic_operation(seed=6, detainees=60, sites=2, aircraft=2, days=8)
    data = dump_operation(op)
    person = data["sites"][0]["detainees"][0]
    person["relatives_staying"] = [999_999]
    plan = service.create_plan_document(operation=parse_operation(data), time_limit=3)
    assert {"person_id": person["id"], "relative_id": 999_999} in [
        {k: r[k] for k in ("person_id", "relative_id")} for r in plan["family_records"]
    ]
    stripped = copy.deepcopy(plan)
    stripped["family_records"] = []
    report = checker.check_plan(parse_operation(data), stripped)
    assert not report["ok"]
    assert any("without a record" in v for v in report["violations"])


def test_checker_catches_an_overloaded_sortie(small: tuple[Any, dict[str, Any]]) -> None:
    op, plan = small
    bad = copy.deepcopy(plan)
    big = max(bad["sorties"], key=lambda s: len(s["manifest"]))
    others = [
        p
        for s in bad["sorties"]
        if s["origin"] == big["origin"] and s is not big
        for p in s["manifest"]
    ]
    big["manifest"] += others[: big["seats"]]
    report = checker.check_plan(op, bad)
    assert not report["ok"]
    assert any("seats" in v or "is on" in v for v in report["violations"])


def test_impossible_descriptions_are_refused_with_the_reason() -> None:
    data = dump_operation(synthetic_operation(seed=2, detainees=50, sites=2, aircraft=2, days=5))
    far = copy.deepcopy(data)
    far["sites"][0]["lat"], far["sites"][0]["lon"] = 52.0, 13.0  # Berlin
    with pytest.raises(Invalid, match=f"site {far['sites'][0]['code']}: no aircraft can reach"):
        parse_operation(far)
    closed = copy.deepcopy(data)
    closed["receiving"]["intake_per_day"] = 0
    with pytest.raises(Invalid, match="intake is zero"):
        parse_operation(closed)
    unknown = copy.deepcopy(data)
    unknown["aircraft"][0]["type"] = "B747"
    with pytest.raises(Invalid, match="unknown type 'B747'"):
        parse_operation(unknown)


@pytest.mark.parametrize(
    "event",
    [
        {"kind": "threat_jump", "day": 3, "level": 20.0},
        {"kind": "aircraft_lost", "day": 2},
        {"kind": "intake_slowed", "day": 4, "intake_per_day": 40},
        {"kind": "sortie_cancelled"},
    ],
)
def test_replan_keeps_flown_sorties_and_says_what_changed(
    small: tuple[Any, dict[str, Any]], event: dict[str, Any]
) -> None:
    op, plan = small
    event = dict(event)
    if event["kind"] == "threat_jump":
        event["site"] = op.sites[-1].code
    if event["kind"] == "aircraft_lost":
        event["aircraft"] = [op.aircraft[0].tail, op.aircraft[1].tail]
    if event["kind"] == "sortie_cancelled":
        cancelled = plan["sorties"][len(plan["sorties"]) // 3]
        event["sortie"] = cancelled["id"]
    new = service.replan_document(plan=plan, event=replan.parse_event(event), time_limit=3)
    day = new["replanned_from_day"]
    before = [s for s in plan["sorties"] if s["day"] < day]
    assert [s for s in new["sorties"] if s["day"] < day] == before
    assert new["checker"]["ok"], new["checker"]["violations"]
    assert new["changes"]["objective_before"] == plan["objective"]
    if event["kind"] == "sortie_cancelled":
        assert cancelled["id"] in new["changes"]["sorties_removed"]
        assert not any(
            s["aircraft"] == cancelled["aircraft"] and s["day"] == cancelled["day"]
            for s in new["sorties"]
        )
    if event["kind"] == "aircraft_lost":
        lost = set(event["aircraft"])
        assert not any(s["aircraft"] in lost for s in new["sorties"] if s["day"] >= day)


def _checked_plan(**instance: Any) -> tuple[Operation, dict[str, Any]]:
    """A synthetic operation and its plan, accepted by the checker and above its bound."""
    op = synthetic_operation(**instance)
    plan = service.create_plan_document(operation=op, time_limit=2)
    assert plan["checker"]["ok"], plan["checker"]["violations"]
    assert plan["lower_bound"] <= plan["objective"] + 1e-6
    return op, plan


def test_bound_holds_when_an_airframe_mixes_direct_sorties_and_holding_legs() -> None:
    # Day 1: H16-01 flies a direct sortie and then two shuttles into holding in its spare
    # hours. A bound LP whose airframe-days were either direct patterns or holding duty
    # reported 40,348.6 above this plan's 39,317.4.
    _, plan = _checked_plan(
        seed=187, detainees=102, sites=4, aircraft=2, days=9, minors=0.0, holding=True
    )
    mixed = {
        (s["aircraft"], s["day"])
        for s in plan["sorties"]
        if s["kind"] == "direct"
        for t in plan["sorties"]
        if t["kind"] != "direct" and (t["aircraft"], t["day"]) == (s["aircraft"], s["day"])
    }
    assert mixed  # the case still exercises a mixed airframe-day
    assert plan["gap"] >= 0


@pytest.mark.parametrize(
    ("seed", "detainees", "sites", "aircraft", "days", "minors"),
    [(5323, 46, 2, 1, 12, 0.0), (5967, 117, 2, 2, 10, 0.1)],
)
def test_bound_holds_on_other_instances_it_once_exceeded(
    seed: int, detainees: int, sites: int, aircraft: int, days: int, minors: float
) -> None:
    # Found by looping random instances: the former bound was above the plan here too.
    _checked_plan(
        seed=seed,
        detainees=detainees,
        sites=sites,
        aircraft=aircraft,
        days=days,
        minors=minors,
        holding=True,
    )


def test_integral_counts_raise_the_bound_on_a_small_operation() -> None:
    # One airframe: the bound LP flies fractions of it (20,185); with the airframe and leg
    # counts integral HiGHS proves ~54,000 within 0.6 s and 64,754 at its optimum, below
    # this plan (79,955) as a bound must be.
    op, plan = _checked_plan(
        seed=2324, detainees=43, sites=5, aircraft=1, days=10, minors=0.1, holding=False
    )
    stats = plan["solver_stats"]
    assert stats["bound_mip"] is not None
    assert plan["lower_bound"] == pytest.approx(max(stats["bound_lp"], stats["bound_mip"]))
    assert plan["lower_bound"] >= 1.5 * stats["bound_lp"]  # whole airframes carry more
    inst = build_instance(op)
    greedy = greedy_sorties(inst)
    moves = {p.id: s.day for s in greedy if not s.trunk for p in s.people}
    assert plan["lower_bound"] <= exposure(inst, moves) + 1e-6


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(1, 10_000),
    detainees=st.integers(20, 250),
    sites=st.integers(1, 5),
    aircraft=st.integers(1, 5),
    days=st.integers(4, 12),
    minors=st.sampled_from([0.0, 0.1]),
    holding=st.booleans(),
)
def test_random_instances_give_feasible_plans(
    seed: int, detainees: int, sites: int, aircraft: int, days: int, minors: float, holding: bool
) -> None:
    instance = {
        "seed": seed,
        "detainees": detainees,
        "sites": sites,
        "aircraft": aircraft,
        "days": days,
        "minors": minors,
        "holding": holding,
    }
    op, plan = _checked_plan(**instance)
    inst = build_instance(op)
    greedy = greedy_sorties(inst)
    greedy_plan = {
        "sorties": [s.to_json(inst) for s in greedy],
        "family_records": [],
    }
    report = checker.check_plan(op, greedy_plan)
    assert report["ok"], report["violations"]
    moves = {p.id: s.day for s in greedy if not s.trunk for p in s.people}
    assert plan["lower_bound"] <= exposure(inst, moves) + 1e-6


def test_solvers_made_in_threads_leave_the_output_where_it_was() -> None:
    # The planner makes solvers in two threads at once; each hides HiGHS's banner by
    # pointing stdout elsewhere for a moment. Interleaved, stdout stayed pointed away and
    # the plan printed by `custodia plan create` or a benchmark went nowhere.
    before = os.fstat(1)
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda _: new_solver(), range(400)))
    after = os.fstat(1)
    assert (after.st_dev, after.st_ino) == (before.st_dev, before.st_ino)
