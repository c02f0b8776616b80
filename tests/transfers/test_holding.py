"""Shuttles into a staging airfield's holding area and trunks on to the receiving facility:
planned within the holding capacity and checked independently, the greedy baseline uses the
same network, and a whole operation through holding ends with everyone at the destination
in the ledger (custody at the airfield in between)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from custodia.custody import service as custody
from custodia.custody.rules import Status
from custodia.db import read_session, unit_of_work
from custodia.registry import service as registry
from custodia.registry.models import FacilityKind
from custodia.registry.schemas import FacilityIn
from custodia.transfers import checker, replan, service, solver
from custodia.transfers.operation import Aircraft, Staging, parse_operation
from custodia.transfers.synthetic import synthetic_operation
from tests.conftest import World
from tests.transfers.test_execution import _operation, _populate


@pytest.fixture(scope="module")
def held_op() -> tuple[Any, dict[str, Any]]:
    op = synthetic_operation(
        seed=5, detainees=600, sites=8, aircraft=6, days=14, minors=0.05, holding=True
    )
    return op, service.create_plan_document(operation=op, time_limit=8)


def test_shuttles_and_trunks_are_planned_within_holding_capacity(
    held_op: tuple[Any, dict[str, Any]],
) -> None:
    op, plan = held_op
    assert plan["checker"]["ok"], plan["checker"]["violations"]
    kinds = {s["kind"] for s in plan["sorties"]}
    assert {"shuttle", "trunk"} <= kinds
    assert plan["moved"] == plan["in_scope"] == 600
    assert plan["lower_bound"] <= plan["objective"] + 1e-6
    capacity = {p.code: p.holding_capacity for p in op.staging}
    trunk_of = {pid: s for s in plan["sorties"] if s["kind"] == "trunk" for pid in s["manifest"]}
    for s in plan["sorties"]:
        if s["kind"] != "shuttle":
            continue
        assert capacity[s["destination"]] > 0
        for pid in s["manifest"]:
            # The manifest names the trunk that takes each person on, on a later day.
            onward = trunk_of[pid]
            assert s["onward"][str(pid)] == onward["id"]
            assert onward["day"] > s["day"] and onward["origin"] == s["destination"]
            aboard = set(onward["manifest"])
            minors = {d.id for site in op.sites for d in site.detainees if d.minor}
            assert aboard <= minors or not aboard & minors


def test_checker_catches_overfull_holding_and_a_trunk_before_arrival(
    held_op: tuple[Any, dict[str, Any]],
) -> None:
    op, plan = held_op
    shuttles = [s for s in plan["sorties"] if s["kind"] == "shuttle"]
    tight = op.model_copy(deep=True)
    for stage in tight.staging:
        stage.holding_capacity = min(stage.holding_capacity, 5)
    report = checker.check_plan(tight, plan)
    assert not report["ok"]
    assert any("capacity" in v for v in report["violations"])
    early = copy.deepcopy(plan)
    shuttle = next(s for s in early["sorties"] if s["id"] == shuttles[0]["id"])
    trunk_id = shuttle["onward"][str(shuttle["manifest"][0])]
    trunk = next(s for s in early["sorties"] if s["id"] == trunk_id)
    trunk["day"] = shuttle["day"]
    report = checker.check_plan(op, early)
    assert any("not held at" in v for v in report["violations"])
    stranded = copy.deepcopy(plan)
    trunk = next(s for s in stranded["sorties"] if s["id"] == trunk_id)
    trunk["manifest"] = []
    report = checker.check_plan(op, stranded)
    assert any("still in holding" in v for v in report["violations"])


def test_holding_lowers_exposure_and_greedy_uses_the_same_network() -> None:
    direct = synthetic_operation(seed=5, detainees=600, sites=8, aircraft=6, days=14)
    held = synthetic_operation(seed=5, detainees=600, sites=8, aircraft=6, days=14, holding=True)
    a = service.create_plan_document(operation=direct, time_limit=8)
    b = service.create_plan_document(operation=held, time_limit=8)
    assert b["checker"]["ok"]
    assert b["objective"] < a["objective"]
    assert b["lower_bound"] < a["lower_bound"]
    assert b["solver_stats"]["greedy_sorties_by_kind"].get("shuttle", 0) > 0


def test_replan_keeps_persons_already_in_holding_and_trunks_them_on(
    held_op: tuple[Any, dict[str, Any]],
) -> None:
    op, plan = held_op
    day = min(s["day"] for s in plan["sorties"] if s["kind"] == "shuttle") + 1
    event = replan.parse_event(
        {"kind": "aircraft_lost", "day": day, "aircraft": [op.aircraft[-1].tail]}
    )
    new = service.replan_document(plan=plan, event=event, time_limit=5)
    assert new["checker"]["ok"], new["checker"]["violations"]
    flown = [s for s in plan["sorties"] if s["day"] < day]
    kept = {s["id"]: s for s in new["sorties"] if s["day"] < day}
    assert {s["id"] for s in flown} == set(kept)
    assert all(kept[s["id"]]["manifest"] == s["manifest"] for s in flown)
    assert new["moved"] == new["in_scope"]


def test_holding_needs_a_registry_facility_when_the_operation_has_them() -> None:
    op = synthetic_operation(seed=5, detainees=50, sites=2, aircraft=2, days=5, holding=True)
    data = op.model_dump(mode="json", by_alias=True)
    data["receiving"]["facility_id"] = 7
    with pytest.raises(Exception, match="holding area needs the registry's facility_id"):
        parse_operation(data)


def test_a_whole_operation_through_holding_ends_at_the_destination(world: World) -> None:
    held = _populate(world, per_site=9)
    with unit_of_work(world.engine) as session:
        guard = registry.get_facility(session, facility_id=world.prison_a).authority_id
        airfield = registry.create_facility(
            session,
            facility_in=FacilityIn(
                code="AF-T",
                name="Test staging airfield",
                kind=FacilityKind.STAGING_AIRFIELD,
                town="Test",
                latitude=36.60,
                longitude=40.90,
                capacity=12,
                authority_id=guard,
            ),
        ).id
    op = _operation(world, held)
    op.staging = [
        Staging(code="AF-T", lat=36.60, lon=40.90, facility_id=airfield, holding_capacity=12)
    ]
    op.aircraft = [
        Aircraft(tail="LR-1", type="LR", base="BGW-R"),
        Aircraft(tail="LR-2", type="LR", base="AF-T"),
    ]
    op = parse_operation(op.model_dump(mode="json", by_alias=True))
    with unit_of_work(world.engine) as session:
        summary = service.create_plan(session, operation=op, time_limit=3, actor_id=None)
    with read_session(world.engine) as session:
        plan = service.get_plan(session, plan_id=summary.id)
    assert "shuttle" in {s["kind"] for s in plan["sorties"]}
    officer = world.users["custody_officer"]
    everyone = [p for people in held.values() for p in people]
    for sortie in plan["sorties"]:
        with unit_of_work(world.engine) as session:
            service.board(
                session,
                plan_id=plan["id"],
                sortie=sortie["id"],
                person_ids=sortie["manifest"],
                actor_id=officer,
            )
            service.depart(session, plan_id=plan["id"], sortie=sortie["id"], actor_id=officer)
            service.arrive(
                session,
                plan_id=plan["id"],
                sortie=sortie["id"],
                received=sortie["manifest"],
                actor_id=officer,
            )
            service.take_in(session, plan_id=plan["id"], sortie=sortie["id"], actor_id=officer)
        if sortie["kind"] == "shuttle":
            with read_session(world.engine) as session:
                states = custody.custody_states(session, person_ids=sortie["manifest"])
            # In custody at the airfield between the shuttle and the trunk.
            assert {(s.status, s.facility_id) for s in states.values()} == {
                (Status.IN_CUSTODY, airfield)
            }
    with read_session(world.engine) as session:
        states = custody.custody_states(session, person_ids=everyone)
        assert {(s.status, s.facility_id) for s in states.values()} == {
            (Status.IN_CUSTODY, world.receiving)
        }
        assert custody.check_projection(session).ok


def test_an_operation_too_big_for_a_holding_dive_flies_direct_bounded_with_holding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # As the large operation does (650,000 detainee columns), here on a small one.
    op = synthetic_operation(seed=5, detainees=300, sites=5, aircraft=4, days=10, holding=True)
    with_holding = service.create_plan_document(operation=op, time_limit=5)
    monkeypatch.setattr(solver, "HOLDING_DIVE_MAX_COLUMNS", 0)
    plan = service.create_plan_document(operation=op, time_limit=5)
    assert plan["method"] == "rolling-lp-dive-direct-only"
    assert plan["checker"]["ok"], plan["checker"]["violations"]
    assert {s["kind"] for s in plan["sorties"]} == {"direct"}
    assert plan["moved"] == with_holding["moved"] == plan["in_scope"]
    stats = plan["solver_stats"]
    # the bound is the holding model's (any plan's, these direct ones included), whose LP
    # is below the direct-only model's own
    assert stats["plan_without_holding"]
    assert stats["bound_lp"] < stats["direct_bound_lp"]
    assert stats["bound_lp"] - 1e-6 <= plan["lower_bound"] <= plan["objective"] + 1e-6
    direct_only = service.create_plan_document(operation=solver.without_holding(op), time_limit=5)
    assert plan["objective"] == pytest.approx(direct_only["objective"], rel=0.02)
