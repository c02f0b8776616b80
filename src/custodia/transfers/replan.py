"""Re-planning from the current state: an event changes the description from its day on,
sorties before that day (flown) stay exactly as they were, persons already moved (by those
sorties, or by what the ledger says) are out of the problem, and the planner runs again from
the event's day. The new plan says what changed."""

from __future__ import annotations

import time
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, Field, ValidationError

from custodia.errors import Invalid
from custodia.transfers import model as m
from custodia.transfers.greedy import greedy_sorties
from custodia.transfers.operation import DayValue, Detainee, Operation, ThreatStep, parse_operation
from custodia.transfers.solver import _moves, exposure, optimise, plan_document


class PlanEvent(BaseModel):
    """What happened, from which day (0 = the operation's first day)."""

    kind: Literal["threat_jump", "aircraft_lost", "sortie_cancelled", "intake_slowed"]
    day: int | None = Field(default=None, ge=0, description="default: the cancelled sortie's day")
    site: str | None = Field(default=None, description="threat_jump: the site's code")
    level: float | None = Field(default=None, gt=0, description="threat_jump: the new level")
    aircraft: list[str] = Field(default_factory=list, description="aircraft_lost: tails")
    until_day: int | None = Field(
        default=None, description="aircraft_lost: back in service on this day (none = never)"
    )
    sortie: str | None = Field(default=None, description="sortie_cancelled: its id")
    intake_per_day: int | None = Field(default=None, ge=0, description="intake_slowed")
    note: str = ""


def parse_event(data: Any) -> PlanEvent:
    try:
        return PlanEvent.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise Invalid(f"the event is not valid: {where}: {first['msg']}") from exc


def apply_event(op: Operation, plan: dict[str, Any], event: PlanEvent) -> tuple[Operation, int]:
    """The description after the event, and the first day that may still change."""
    data = op.model_copy(deep=True)
    day = event.day
    if event.kind == "sortie_cancelled":
        sortie = next((s for s in plan["sorties"] if s["id"] == event.sortie), None)
        if sortie is None:
            raise Invalid(f"the plan has no sortie {event.sortie!r}")
        day = sortie["day"] if day is None else day
        plane = next(a for a in data.aircraft if a.tail == sortie["aircraft"])
        plane.unavailable_days = sorted({*plane.unavailable_days, sortie["day"]})
    if day is None:
        raise Invalid("the event needs the day it happens (day: N, 0 = first day)")
    if day >= op.horizon_days:
        raise Invalid(f"day {day} is past the horizon ({op.horizon_days} days)")
    if event.kind == "threat_jump":
        site = next((s for s in data.sites if s.code == event.site), None)
        if site is None or event.level is None:
            raise Invalid("a threat jump names a site of the operation (site) and a level")
        site.threat = [s for s in site.threat if s.day < day] + [
            ThreatStep(day=day, level=event.level)
        ]
    elif event.kind == "aircraft_lost":
        tails = {a.tail: a for a in data.aircraft}
        unknown = [t for t in event.aircraft if t not in tails]
        if not event.aircraft or unknown:
            raise Invalid(f"aircraft_lost names aircraft of the operation; unknown: {unknown}")
        end = event.until_day if event.until_day is not None else op.horizon_days
        for tail in event.aircraft:
            plane = tails[tail]
            plane.unavailable_days = sorted({*plane.unavailable_days, *range(day, end)})
    elif event.kind == "intake_slowed":
        if event.intake_per_day is None:
            raise Invalid("intake_slowed gives the new intake_per_day")
        data.receiving.intake_changes = [
            *[c for c in data.receiving.intake_changes if c.day < day],
            DayValue(day=day, value=event.intake_per_day),
        ]
    return parse_operation(data.model_dump(mode="json", by_alias=True)), day


def replan(
    plan: dict[str, Any],
    event: PlanEvent,
    *,
    time_limit: float = 5.0,
    moved_elsewhere: set[int] | None = None,
) -> dict[str, Any]:
    """A new plan document after ``event``. ``moved_elsewhere``: persons the ledger no
    longer holds at their site (boarded, transferred, released...), left out of the plan."""
    return replan_with_operation(
        plan, event, time_limit=time_limit, moved_elsewhere=moved_elsewhere
    )[0]


def replan_with_operation(
    plan: dict[str, Any],
    event: PlanEvent,
    *,
    time_limit: float = 5.0,
    moved_elsewhere: set[int] | None = None,
) -> tuple[dict[str, Any], Operation]:
    """``replan``, and the description after the event (for the checker: validating it
    again costs seconds on the default operation)."""
    started = time.perf_counter()
    op, first_day = apply_event(parse_operation(plan["operation"]), plan, event)
    fixed = [dict(s) for s in plan["sorties"] if s["day"] < first_day]
    moved = {pid for s in fixed for pid in s["manifest"]} | (moved_elsewhere or set())
    # Shuttled before the event, not yet trunked on: in holding when the re-plan starts.
    trunked = {pid for s in fixed if s.get("kind") == "trunk" for pid in s["manifest"]}
    people = {d.id: d for site in op.sites for d in site.detainees}
    held: dict[str, list[Detainee]] = {}
    for s in fixed:
        if s.get("kind") == "shuttle":
            for pid in s["manifest"]:
                if pid not in trunked:
                    held.setdefault(s["destination"], []).append(people[pid])
    inst = m.build_instance(op, held=held)
    fixed_moves = {
        pid: s["day"] for s in fixed if s.get("kind") != "trunk" for pid in s["manifest"]
    }
    result = optimise(inst, time_limit=time_limit, first_day=first_day, moved=moved)
    new = [s.to_json(inst) for s in result["sorties"]]
    onward = {pid: s["id"] for s in new if s.get("kind") == "trunk" for pid in s["manifest"]}
    stranded = _stranded(result["stranded"], first_day)
    left_behind = {entry["person_id"] for entry in stranded}
    for s in fixed:
        if s.get("kind") == "shuttle":
            # Those trunked before the event keep their trunk; the stranded have none.
            s["onward"] = {
                str(pid): None if pid in left_behind else onward.get(pid, s["onward"].get(str(pid)))
                for pid in s["manifest"]
            }
    moves = {**fixed_moves, **_moves(result["sorties"])}
    greedy = greedy_sorties(inst, first_day=first_day, moved=moved)
    bound = result["bound"] + _before(inst, first_day, fixed_moves, moved)
    doc = plan_document(
        inst,
        sorties=[*fixed, *new],
        objective=exposure(inst, moves),
        lower_bound=bound,
        greedy_objective=exposure(inst, {**fixed_moves, **_moves(greedy)}),
        seconds=time.perf_counter() - started,
        method=result["method"],
        stats=result["stats"],
        stranded=stranded,
    )
    doc["replanned_from_day"] = first_day
    doc["event"] = event.model_dump(mode="json")
    doc["changes"] = changes(plan, doc, first_day)
    return doc, op


def _stranded(found: list[tuple[str, Detainee]], first_day: int) -> list[dict[str, Any]]:
    """Persons in holding when the re-plan starts whom no trunk left can take out before
    the horizon (their shuttles are flown): listed, never dropped silently."""
    return [
        {
            "person_id": person.id,
            "holding": h,
            "reason": f"no trunk out of {h} can take them from day {first_day} to the horizon",
        }
        for h, person in sorted(found, key=lambda hp: (hp[0], hp[1].id))
    ]


def _before(inst: m.Instance, first_day: int, fixed: dict[int, int], moved: set[int]) -> float:
    """Exposure already fixed before ``first_day``: exact for those flown, the days up to
    ``first_day`` for everyone still at a site (the LP bound covers the rest)."""
    cumulative = np.concatenate(
        [np.zeros((inst.threat.shape[0], 1)), np.cumsum(inst.threat, axis=1)], 1
    )
    total = 0.0
    for point in inst.points:
        for person in inst.eligible[point.key]:
            if person.id in fixed:
                total += person.risk * cumulative[point.site_index, fixed[person.id]]
            elif person.id not in moved:
                total += person.risk * cumulative[point.site_index, first_day]
    return float(total)


def changes(old: dict[str, Any], new: dict[str, Any], first_day: int) -> dict[str, Any]:
    before = {s["id"]: s for s in old["sorties"] if s["day"] >= first_day}
    after = {s["id"]: s for s in new["sorties"] if s["day"] >= first_day}
    # The day each person leaves their site (a trunk out of holding is not that).
    leave_old = {
        p: s["day"] for s in before.values() if s.get("kind") != "trunk" for p in s["manifest"]
    }
    leave_new = {
        p: s["day"] for s in after.values() if s.get("kind") != "trunk" for p in s["manifest"]
    }
    moved_people = {
        p for p in leave_old.keys() | leave_new.keys() if leave_old.get(p) != leave_new.get(p)
    }
    return {
        "sorties_kept": sorted(
            k for k in before.keys() & after.keys() if before[k]["manifest"] == after[k]["manifest"]
        ).__len__(),
        "sorties_removed": sorted(before.keys() - after.keys()),
        "sorties_added": sorted(after.keys() - before.keys()),
        "persons_rescheduled": len(moved_people),
        "persons_earlier": sum(
            1 for p in moved_people if p in leave_new and leave_new[p] < leave_old.get(p, 10**9)
        ),
        "persons_later": sum(
            1
            for p in moved_people
            if leave_old.get(p, -1) >= 0 and leave_new.get(p, 10**9) > leave_old[p]
        ),
        "objective_before": old["objective"],
        "objective_after": new["objective"],
        "last_arrival_day_before": old["last_arrival_day"],
        "last_arrival_day_after": new["last_arrival_day"],
    }
