"""Re-plans that start with detainees already in a holding area (shuttled before the event,
not yet trunked on): each is flown out before the horizon, or, when no trunk left can take
them, listed as stranded; never silently left there. Cases from a random sweep that failed
the checker with "persons still in holding at the horizon"."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from custodia.transfers import checker, replan, service
from custodia.transfers.operation import parse_operation
from custodia.transfers.synthetic import synthetic_operation

# (seed, detainees, sites, aircraft, days, minors), event kind, event day
CASES = [
    # the only airframe based at one staging airfield is lost for the last two days
    ((6277, 155, 5, 2, 12, 0.0), "aircraft_lost", 10),
    # the trunks left are taken by detainees the re-plan itself shuttles in
    ((1733, 243, 3, 3, 8, 0.1), "aircraft_lost", 4),
    # the rounding of the dive flies too few trunks out of two staging airfields
    ((5027, 179, 5, 3, 8, 0.1), "threat_jump", 5),
]


def _replan(
    case: tuple[tuple[int, int, int, int, int, float], str, int],
) -> tuple[dict[str, Any], dict[str, Any]]:
    (seed, detainees, sites, aircraft, days, minors), kind, day = case
    op = synthetic_operation(
        seed=seed,
        detainees=detainees,
        sites=sites,
        aircraft=aircraft,
        days=days,
        minors=minors,
        holding=True,
    )
    plan = service.create_plan_document(operation=op, time_limit=2)
    event: dict[str, Any] = {"kind": kind, "day": day}
    if kind == "threat_jump":
        event |= {"site": op.sites[-1].code, "level": 20.0}
    else:
        event |= {"aircraft": [op.aircraft[0].tail]}
    new = service.replan_document(plan=plan, event=replan.parse_event(event), time_limit=3)
    return plan, new


@pytest.fixture(scope="module", params=CASES, ids=[str(c[0][0]) for c in CASES])
def replanned(request: pytest.FixtureRequest) -> tuple[dict[str, Any], dict[str, Any]]:
    return _replan(request.param)


def test_replan_leaves_nobody_in_holding_unreported(
    replanned: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    _, new = replanned
    assert new["checker"]["ok"], new["checker"]["violations"]
    assert new["lower_bound"] <= new["objective"] + 1e-6
    shuttled = {p for s in new["sorties"] if s["kind"] == "shuttle" for p in s["manifest"]}
    trunked = {p for s in new["sorties"] if s["kind"] == "trunk" for p in s["manifest"]}
    stranded = {e["person_id"] for e in new["stranded"]}
    assert shuttled - trunked == stranded
    assert new["checker"]["stranded"] == len(stranded)


def test_only_held_without_any_trunk_left_are_stranded(
    replanned: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    _, new = replanned
    first = new["replanned_from_day"]
    shuttled = {p: s for s in new["sorties"] if s["kind"] == "shuttle" for p in s["manifest"]}
    for entry in new["stranded"]:
        shuttle = shuttled[entry["person_id"]]
        assert shuttle["day"] < first  # flown before the event: nothing can undo it
        assert shuttle["onward"][str(entry["person_id"])] is None
        base = [a for a in new["operation"]["aircraft"] if a["base"] == entry["holding"]]
        # Every airframe-day at that staging airfield from the event's day on is spent
        # trunking out others held there before the event (none of whom it could bump
        # for them): no airframe flies anything else, or anyone shuttled in by the re-plan.
        for plane in base:
            for day in set(range(first, new["operation"]["horizon_days"])) - set(
                plane["unavailable_days"]
            ):
                flown = [
                    s for s in new["sorties"] if (s["aircraft"], s["day"]) == (plane["tail"], day)
                ]
                assert flown, f"{plane['tail']} idle on day {day}"
                for sortie in flown:
                    assert sortie["kind"] == "trunk"
                    assert all(shuttled[p]["day"] < first for p in sortie["manifest"])


def test_the_checker_rejects_a_false_stranded_declaration(
    replanned: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    plan, new = replanned
    op = replan.apply_event(
        parse_operation(plan["operation"]), plan, replan.parse_event(new["event"])
    )[0]
    trunked = [p for s in new["sorties"] if s["kind"] == "trunk" for p in s["manifest"]]
    forged = copy.deepcopy(new)
    forged["stranded"] = [{"person_id": trunked[-1], "holding": "AF-QAM", "reason": "forged"}]
    assert not checker.check_plan(op, forged)["ok"]
    if new["stranded"]:
        hidden = copy.deepcopy(new)
        hidden["stranded"] = []
        result = checker.check_plan(op, hidden)
        assert any("still in holding" in v for v in result["violations"])
