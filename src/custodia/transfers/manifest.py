"""From counts to people: per-airframe schedules inside the day's duty window, and manifests.

Deterministic and auditable. Each day, airframe-day patterns are handed to tails; each
loading point's detainees go in priority order (risk, then id) up to the model's cumulative
count per security tier, then any seat still free is filled with the next in priority while
the site's preparation and the receiving facility's intake allow. A sortie carries either
adults or minors, never both (separate loading points), and its guards are
max(minimum, ceil(sum of guard ratios)).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from custodia.transfers.model import Instance
from custodia.transfers.operation import Detainee, Operation
from custodia.transfers.routes import Fleet, SortieRoute


def guards_needed(op: Operation, risks: list[int]) -> int:
    total = sum(op.guards.ratio(r) for r in risks)
    return max(op.guards.min_guards, math.ceil(total - 1e-9))


@dataclass
class Sortie:
    day: int
    tail: str
    fleet: Fleet
    point: str
    route: SortieRoute
    index: int  # the tail's n-th sortie of the day
    depart_hour: float
    people: list[Detainee] = field(default_factory=list)

    @property
    def seats(self) -> int:
        return self.fleet.kind.seats

    def fits(self, op: Operation, person: Detainee) -> bool:
        risks = [p.risk for p in self.people] + [person.risk]
        return len(risks) + guards_needed(op, risks) <= self.seats

    def to_json(self, inst: Instance) -> dict[str, Any]:
        op = inst.op
        site = next(s for s in op.sites if s.code == self.route.site)
        outbound = self.route.outbound_hours
        arrive = self.depart_hour + outbound + op.load_hours + self.route.loaded_hours
        return {
            "id": f"D{self.day:02d}-{self.tail}-{self.index}",
            "day": self.day,
            "aircraft": self.tail,
            "aircraft_type": self.fleet.kind.code,
            "base": self.fleet.base,
            "origin": site.code,
            "origin_facility_id": site.facility_id,
            "destination": op.receiving.code,
            "destination_facility_id": op.receiving.facility_id,
            "refuel_stop": self.route.refuel_stop,
            "seats": self.seats,
            "guards": guards_needed(op, [p.risk for p in self.people]),
            "minors": self.point.endswith("#minors"),
            "depart_hour": round(self.depart_hour, 3),
            "arrive_hour": round(arrive, 3),
            "return_hour": round(self.depart_hour + self.route.block_hours, 3),
            "flight_hours": round(self.route.flight_hours, 3),
            "manifest": [p.id for p in self.people],
        }


def schedule_day(
    inst: Instance, day: int, counts: dict[tuple[int, int], int], taken: set[str] | None = None
) -> list[Sortie]:
    """Hand the day's patterns (fleet index, pattern index) -> airframes to tails and time
    each sortie inside the duty window: out from base at duty start, back, refuel, again."""
    op = inst.op
    sorties: list[Sortie] = []
    for (fi, pi), n in sorted(counts.items()):
        fleet = inst.fleets[fi]
        free = [t for t in inst.avail[fleet.key, day] if t not in (taken or set())]
        for _ in range(n):
            if not free:
                break
            tail = free.pop(0)
            (taken if taken is not None else set()).add(tail)
            clock = op.duty_start_hour
            # Longest first: the long legs fly in the morning's full window.
            order = sorted(fleet.patterns[pi], key=lambda k: -fleet.routes[k].block_hours)
            for index, key in enumerate(order):
                route = fleet.routes[key]
                sorties.append(Sortie(day, tail, fleet, key, route, index + 1, clock))
                clock += route.block_hours + op.refuel_hours
    return sorties


@dataclass
class Loader:
    """Who is still at each loading point, and what each day's limits have left."""

    inst: Instance
    remaining: dict[str, list[Detainee]]
    prep: dict[str, int] = field(default_factory=dict)
    prep_used: dict[tuple[str, int], int] = field(default_factory=lambda: defaultdict(int))
    intake_used: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    moved_by_tier: dict[tuple[str, int], int] = field(default_factory=lambda: defaultdict(int))
    boarded: set[int] = field(default_factory=set)

    @classmethod
    def start(cls, inst: Instance, moved: set[int] | None = None) -> Loader:
        gone = moved or set()
        return cls(
            inst,
            {k: [d for d in v if d.id not in gone] for k, v in inst.eligible.items()},
            {s.code: s.prep_per_day for s in inst.op.sites},
        )

    def room(self, site: str, day: int) -> bool:
        return self.prep_used[site, day] < self.prep[site] and self.intake_used[
            day
        ] < self.inst.op.intake_on(day)

    def board(self, sortie: Sortie, person: Detainee) -> None:
        sortie.people.append(person)
        self.boarded.add(person.id)
        self.remaining[sortie.point].remove(person)
        self.prep_used[sortie.route.site, sortie.day] += 1
        self.intake_used[sortie.day] += 1
        self.moved_by_tier[sortie.point, self.inst.op.guards.tier(person.risk)] += 1


def load_day(loader: Loader, sorties: list[Sortie], targets: dict[tuple[str, int], int]) -> None:
    """Board the day in order of exposure saved (risk x threat still to come): first up to
    the model's cumulative target per point and tier, then into any free seat while the
    site's preparation and the intake allow."""
    op = loader.inst.op
    by_point: dict[str, list[Sortie]] = defaultdict(list)
    for s in sorties:
        by_point[s.point].append(s)
    candidates = []
    for key, group in by_point.items():
        group.sort(key=lambda s: -s.seats)
        save = loader.inst.save[loader.inst.site_index[group[0].route.site], group[0].day]
        for person in loader.remaining.get(key, []):
            candidates.append((-person.risk * save, person.id, key, person))
    candidates.sort(key=lambda c: (c[0], c[1]))
    for _, _, key, person in candidates:
        tier = op.guards.tier(person.risk)
        if loader.moved_by_tier[key, tier] < targets.get((key, tier), 0):
            _place(loader, by_point[key], person)
    lightest = Detainee(id=0, risk=1)
    closed: set[str] = set()
    for _, _, key, person in candidates:
        if key in closed or person.id in loader.boarded:
            continue
        if not _place(loader, by_point[key], person) and not any(
            s.fits(op, lightest) and loader.room(s.route.site, s.day) for s in by_point[key]
        ):
            closed.add(key)


def retime(op: Operation, sorties: list[Sortie]) -> list[Sortie]:
    """Drop empty sorties and fly each airframe's remaining ones back to back from the
    start of the duty window (a dropped sortie leaves no hole)."""
    kept = [s for s in sorties if s.people]
    by_tail: dict[str, list[Sortie]] = defaultdict(list)
    for s in kept:
        by_tail[s.tail].append(s)
    for legs in by_tail.values():
        legs.sort(key=lambda s: s.depart_hour)
        clock = op.duty_start_hour
        for index, s in enumerate(legs):
            s.index = index + 1
            s.depart_hour = clock
            clock += s.route.block_hours + op.refuel_hours
    return kept


def _place(loader: Loader, group: list[Sortie], person: Detainee) -> bool:
    for sortie in group:
        if not loader.room(sortie.route.site, sortie.day):
            return False
        if sortie.fits(loader.inst.op, person):
            loader.board(sortie, person)
            return True
    return False


def integer_patterns(
    inst: Instance, z: dict[tuple[int, int, int], float]
) -> dict[int, dict[tuple[int, int], int]]:
    """Round the airframe-day counts: floors first, then each fleet-day's free airframes
    round up its patterns with the largest fractions (airframes are rarely the binding
    resource, so rounding up keeps the capacity the LP counted on at each site)."""
    by_day: dict[int, dict[tuple[int, int], int]] = defaultdict(dict)
    fractions: dict[tuple[int, int], list[tuple[float, int]]] = defaultdict(list)
    for (fi, pi, day), value in z.items():
        whole = math.floor(value + 1e-6)
        if whole:
            by_day[day][fi, pi] = whole
        if value - whole > 1e-6:
            fractions[fi, day].append((value - whole, pi))
    for (fi, day), parts in fractions.items():
        free = len(inst.avail[inst.fleets[fi].key, day]) - sum(
            n for (f, _), n in by_day[day].items() if f == fi
        )
        for _, pi in sorted(parts, reverse=True)[: max(0, free)]:
            by_day[day][fi, pi] = by_day[day].get((fi, pi), 0) + 1
    return by_day


def tier_targets(
    inst: Instance, y: dict[tuple[int, int, int], float]
) -> dict[int, dict[tuple[str, int], int]]:
    """Cumulative moved-by-end-of-day targets per (point, tier), rounded."""
    daily: dict[tuple[str, int, int], float] = defaultdict(float)
    days: set[int] = set()
    for (gi, ci, day), value in y.items():
        point = inst.points[gi]
        daily[point.key, inst.op.guards.tier(point.risks[ci]), day] += value
        days.add(day)
    out: dict[int, dict[tuple[str, int], int]] = {}
    running: dict[tuple[str, int], float] = defaultdict(float)
    for day in range(inst.op.horizon_days):
        for (key, tier, d), value in daily.items():
            if d == day:
                running[key, tier] += value
        out[day] = {k: round(v + 1e-6) for k, v in running.items()}
    return out
