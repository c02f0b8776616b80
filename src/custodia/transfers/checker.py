"""Independent feasibility check of a plan document against its operation description.

Shares nothing with the planner but the description and the sortie leg times
(``routes.sortie_leg_plan``, the geography): it re-derives every rule from the plan as issued
- seats and guards, availability, flight hours and the duty window per airframe-day, the
sites' preparation and the receiving facility's intake per day, each detainee at most once
and only from their own site, minors never with adults, a pre-transfer assessment present
and not flagged, a record for every family separated across authorities - and recomputes the
exposure.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from typing import Any

from custodia.transfers.operation import Operation
from custodia.transfers.routes import leg_plan

_EPS = 1e-6


def check_plan(op: Operation, plan: dict[str, Any]) -> dict[str, Any]:
    problems: list[str] = []
    people = {d.id: (site, d) for site in op.sites for d in site.detainees}
    types = {t.code: t for t in op.aircraft_types}
    planes = {a.tail: a for a in op.aircraft}
    fields = op.airfields()
    sites = {s.code: s for s in op.sites}
    seen: dict[int, str] = {}
    prep: dict[tuple[str, int], int] = defaultdict(int)
    intake: dict[int, int] = defaultdict(int)
    days_of: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    records = {(r["person_id"], r["relative_id"]) for r in plan.get("family_records", [])}
    holds = {p.code: p.holding_capacity for p in op.staging if p.holding_capacity > 0}
    # Holding: who arrived where on which day (by shuttle), who left on which trunk.
    arrived: dict[int, tuple[str, int]] = {}
    onward_named: dict[int, str] = {}
    trunks: list[dict[str, Any]] = []
    for s in sorted(plan["sorties"], key=lambda s: s["day"]):
        sid = s["id"]
        plane = planes.get(s["aircraft"])
        if plane is None:
            problems.append(f"{sid}: unknown aircraft")
            continue
        if s["origin"] in holds and s["destination"] == op.receiving.code:
            trunks.append(s)
            continue
        site = sites.get(s["origin"])
        if site is None or s["destination"] not in holds | {op.receiving.code: 0}:
            problems.append(f"{sid}: flies {s['origin']} -> {s['destination']}, not a route")
            continue
        to_holding = s["destination"] != op.receiving.code
        day = s["day"]
        if not 0 <= day < op.horizon_days:
            problems.append(f"{sid}: day {day} outside the horizon")
        if day in plane.unavailable_days:
            problems.append(f"{sid}: {plane.tail} is not available on day {day}")
        kind = types[plane.type]
        risks = []
        minors = set()
        for pid in s["manifest"]:
            if pid in seen:
                problems.append(f"person {pid} is on {seen[pid]} and {sid}")
            seen[pid] = sid
            origin, person = people.get(pid, (None, None))
            if person is None or origin is None or origin.code != site.code:
                problems.append(f"{sid}: person {pid} is not held at {site.code}")
                continue
            if not person.assessment_ref or person.assessment_flagged:
                problems.append(f"{sid}: person {pid} has no clear pre-transfer assessment")
            missing = [r for r in person.relatives_staying if (pid, r) not in records]
            if missing:
                problems.append(f"{sid}: person {pid} separated from {missing} without a record")
            risks.append(person.risk)
            minors.add(person.minor)
        if len(minors) > 1:
            problems.append(f"{sid}: a minor is manifested with adult detainees")
        guards = max(op.guards.min_guards, math.ceil(sum(op.guards.ratio(r) for r in risks) - _EPS))
        if len(risks) + guards > kind.seats:
            problems.append(f"{sid}: {len(risks)} detainees + {guards} guards > {kind.seats} seats")
        prep[site.code, day] += len(risks)
        if to_holding:
            for pid in s["manifest"]:
                arrived[pid] = (s["destination"], day)
            onward_named.update({int(k): v for k, v in s.get("onward", {}).items()})
        else:
            intake[day] += len(risks)
        route = leg_plan(op, kind, fields[plane.base], site, s["destination"])
        if route is None:
            problems.append(f"{sid}: {plane.tail} cannot fly {site.code} in a day")
            continue
        days_of[plane.tail, day].append(
            {
                "id": sid,
                "start": s["depart_hour"],
                "block": route.block_hours,
                "flight": route.flight_hours,
            }
        )
    excused, wrong = _declared_stranded(
        plan, arrived, {pid for s in trunks for pid in s["manifest"]}
    )
    problems += wrong
    problems += _check_holding(
        op, trunks, arrived, onward_named, holds, planes, types, intake, days_of, seen, excused
    )
    for (code, day), n in prep.items():
        if n > sites[code].prep_per_day:
            problems.append(
                f"{code} day {day}: {n} leave, it can prepare {sites[code].prep_per_day}"
            )
    for day, n in intake.items():
        if n > op.intake_on(day):
            problems.append(f"day {day}: {n} arrive, intake is {op.intake_on(day)}")
    for (tail, day), legs in days_of.items():
        kind = types[planes[tail].type]
        legs.sort(key=lambda leg: leg["start"])
        if sum(leg["flight"] for leg in legs) > kind.max_flight_hours + _EPS:
            problems.append(f"{tail} day {day}: more than {kind.max_flight_hours} flight hours")
        clock = op.duty_start_hour
        for leg in legs:
            if leg["start"] < clock - 1e-3:
                problems.append(f"{tail} day {day}: {leg['id']} starts before the aircraft is free")
            clock = leg["start"] + leg["block"] + op.refuel_hours
        if clock - op.refuel_hours > op.duty_end_hour + 1e-3:
            problems.append(f"{tail} day {day}: flies past the end of the duty window")
    exposure = recompute_exposure(op, {pid: people[pid][0].code for pid in seen}, plan)
    return {
        "ok": not problems,
        "violations": problems[:200],
        "violation_count": len(problems),
        "sorties": len(plan["sorties"]),
        "persons_moved": len(seen),
        "stranded": len(excused),
        "exposure": round(exposure, 3),
    }


def _declared_stranded(
    plan: dict[str, Any], arrived: dict[int, tuple[str, int]], trunked: set[int]
) -> tuple[set[int], list[str]]:
    """The persons a re-plan declares left in holding at the horizon (``stranded``), and
    what is wrong with the declaration: only someone shuttled into that holding area
    before the re-plan's first day (a flown shuttle), and not trunked out, can be."""
    first_day = plan.get("replanned_from_day")
    excused: set[int] = set()
    problems: list[str] = []
    for entry in plan.get("stranded", []):
        pid = entry["person_id"]
        where = arrived.get(pid)
        if first_day is None or where is None or where[0] != entry["holding"]:
            problems.append(f"stranded person {pid} was not shuttled into {entry['holding']}")
        elif where[1] >= first_day:
            problems.append(f"stranded person {pid} was shuttled on day {where[1]}, re-planned")
        elif pid in trunked:
            problems.append(f"stranded person {pid} is trunked out")
        else:
            excused.add(pid)
    return excused, problems


def _check_holding(
    op: Operation,
    trunks: list[dict[str, Any]],
    arrived: dict[int, tuple[str, int]],
    onward_named: dict[int, str],
    holds: dict[str, int],
    planes: dict[str, Any],
    types: dict[str, Any],
    intake: dict[int, int],
    days_of: dict[tuple[str, int], list[dict[str, Any]]],
    seen: dict[int, str],
    excused: set[int],
) -> list[str]:
    """Trunks out of holding and the holding inventory: a trunk carries only detainees
    shuttled into its holding area on an earlier day, each once, adults or minors only,
    within seats and guards; the stock of the day before plus the day's arrivals never
    exceeds the capacity; everyone shuttled leaves holding within the horizon, on the trunk
    their shuttle's manifest names, but for those ``excused`` (declared stranded)."""
    problems: list[str] = []
    people = {d.id: d for site in op.sites for d in site.detainees}
    fields = op.airfields()
    left: dict[int, tuple[str, int]] = {}
    for s in trunks:
        sid = s["id"]
        plane = planes[s["aircraft"]]
        kind = types[plane.type]
        day = s["day"]
        if not 0 <= day < op.horizon_days or day in plane.unavailable_days:
            problems.append(f"{sid}: {plane.tail} is not available on day {day}")
        risks, minors = [], set()
        for pid in s["manifest"]:
            where = arrived.get(pid)
            if where is None or where[0] != s["origin"] or where[1] >= day:
                problems.append(
                    f"{sid}: person {pid} is not held at {s['origin']} before day {day}"
                )
            if pid in left:
                problems.append(f"person {pid} leaves holding twice")
            left[pid] = (s["origin"], day)
            if onward_named.get(pid) != sid:
                problems.append(f"{sid}: person {pid}'s shuttle names {onward_named.get(pid)}")
            person = people.get(pid)
            if person is not None:
                risks.append(person.risk)
                minors.add(person.minor)
        if len(minors) > 1:
            problems.append(f"{sid}: a minor is manifested with adult detainees")
        guards = max(op.guards.min_guards, math.ceil(sum(op.guards.ratio(r) for r in risks) - _EPS))
        if len(risks) + guards > kind.seats:
            problems.append(f"{sid}: {len(risks)} detainees + {guards} guards > {kind.seats} seats")
        intake[day] += len(risks)
        route = leg_plan(op, kind, fields[plane.base], fields[s["origin"]], s["destination"])
        if route is None:
            problems.append(f"{sid}: {plane.tail} cannot fly {s['origin']} -> {s['destination']}")
            continue
        days_of[plane.tail, day].append(
            {
                "id": sid,
                "start": s["depart_hour"],
                "block": route.block_hours,
                "flight": route.flight_hours,
            }
        )
    stranded = sorted(set(arrived) - set(left) - excused)
    if stranded:
        problems.append(f"{len(stranded)} persons still in holding at the horizon: {stranded[:10]}")
    coming = Counter(arrived.values())
    going = Counter(left.values())
    for h, capacity in holds.items():
        stock = 0
        for day in range(op.horizon_days):
            if stock + coming[h, day] > capacity:
                problems.append(
                    f"{h} day {day}: {stock + coming[h, day]} held, capacity {capacity}"
                )
            stock += coming[h, day] - going[h, day]
    return problems


def recompute_exposure(op: Operation, moved_from: dict[int, str], plan: dict[str, Any]) -> float:
    """Exposure of every eligible detainee (assessed, not flagged) under the plan."""
    sites = {s.code for s in op.sites}
    leave = {
        pid: s["day"] for s in plan["sorties"] if s["origin"] in sites for pid in s["manifest"]
    }
    total = 0.0
    for site in op.sites:
        daily = [op.threat_on(site, d) for d in range(op.horizon_days)]
        never = sum(daily) + daily[-1] * op.tail_days
        for person in site.detainees:
            if not person.assessment_ref or person.assessment_flagged:
                continue
            day = leave.get(person.id)
            total += person.risk * (never if day is None else sum(daily[:day]))
    return total
