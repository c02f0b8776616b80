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
from typing import Any, TypeVar

from custodia.transfers.model import Instance
from custodia.transfers.operation import AircraftType, Detainee, Operation, Place
from custodia.transfers.routes import Fleet, SortieRoute, day_fits, trunk_key


def guards_needed(op: Operation, risks: list[int]) -> int:
    total = sum(op.guards.ratio(r) for r in risks)
    return max(op.guards.min_guards, math.ceil(total - 1e-9))


@dataclass
class Sortie:
    day: int
    tail: str
    fleet: Fleet
    point: str  # loading point key; a trunk's is its leg key ("^" or "^#minors")
    route: SortieRoute
    index: int  # the tail's n-th sortie of the day
    depart_hour: float
    people: list[Detainee] = field(default_factory=list)
    # Shuttle into holding: person id -> the trunk sortie that takes them on.
    onward: dict[int, Sortie] = field(default_factory=dict)
    _ratios: float = 0.0
    _ratios_for: int = 0

    @property
    def seats(self) -> int:
        return self.fleet.kind.seats

    @property
    def trunk(self) -> bool:
        return self.route.kind == "trunk"

    def sortie_id(self) -> str:
        return f"D{self.day:02d}-{self.tail}-{self.index}"

    def fits(self, op: Operation, person: Detainee) -> bool:
        # The guard ratios of who is aboard, kept as people board (hot loop).
        if self._ratios_for != len(self.people):
            self._ratios = sum(op.guards.ratio(p.risk) for p in self.people)
            self._ratios_for = len(self.people)
        total = self._ratios + op.guards.ratio(person.risk)
        guards = max(op.guards.min_guards, math.ceil(total - 1e-9))
        return len(self.people) + 1 + guards <= self.seats

    def full(self, op: Operation) -> bool:
        return len(self.people) + 1 + op.guards.min_guards > self.seats

    def to_json(self, inst: Instance) -> dict[str, Any]:
        op = inst.op
        fields = op.airfields()
        origin: Place = (
            next((s for s in op.sites if s.code == self.route.site), None)
            or (fields[self.route.site])
        )
        destination = fields[self.route.destination or op.receiving.code]
        outbound = self.route.outbound_hours
        arrive = self.depart_hour + outbound + op.load_hours + self.route.loaded_hours
        out = {
            "id": self.sortie_id(),
            "kind": self.route.kind,
            "day": self.day,
            "aircraft": self.tail,
            "aircraft_type": self.fleet.kind.code,
            "base": self.fleet.base,
            "origin": origin.code,
            "origin_facility_id": origin.facility_id,
            "destination": destination.code,
            "destination_facility_id": destination.facility_id,
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
        if self.route.kind == "shuttle":
            out["onward"] = {str(pid): s.sortie_id() for pid, s in self.onward.items()}
        return out


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
class Held:
    """A detainee in a holding area: since which day, and the shuttle that brought them."""

    person: Detainee
    day: int
    shuttle: Sortie | None  # None: already held when the plan starts


@dataclass
class Loader:
    """Who is still at each loading point or in each holding area, and what each day's
    limits have left."""

    inst: Instance
    remaining: dict[str, list[Detainee]]
    prep: dict[str, int] = field(default_factory=dict)
    prep_used: dict[tuple[str, int], int] = field(default_factory=lambda: defaultdict(int))
    intake_used: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    moved_by_tier: dict[tuple[str, int], int] = field(default_factory=lambda: defaultdict(int))
    boarded: set[int] = field(default_factory=set)
    stock: dict[tuple[str, bool], list[Held]] = field(default_factory=lambda: defaultdict(list))
    trunked: dict[tuple[str, int], int] = field(default_factory=lambda: defaultdict(int))

    @classmethod
    def start(cls, inst: Instance, moved: set[int] | None = None) -> Loader:
        gone = moved or set()
        loader = cls(
            inst,
            {k: [d for d in v if d.id not in gone] for k, v in inst.eligible.items()},
            {s.code: s.prep_per_day for s in inst.op.sites},
        )
        for h, people in inst.held.items():
            for person in people:
                loader.stock[h, person.minor].append(Held(person, -1, None))
        return loader

    def held_now(self, h: str) -> int:
        return len(self.stock[h, False]) + len(self.stock[h, True])

    def room(self, route: SortieRoute, day: int) -> bool:
        op = self.inst.op
        intake = self.intake_used[day] < op.intake_on(day)
        if route.kind == "trunk":
            return intake
        if self.prep_used[route.site, day] >= self.prep[route.site]:
            return False
        if route.kind == "direct":
            return intake
        h = route.destination or ""
        # Held at the end of the day before + today's arrivals stay within the capacity;
        # nobody is shuttled on the last day (no trunk could take them on in time).
        return day < op.horizon_days - 1 and self.held_now(h) + self.trunked[
            h, day
        ] < self.inst.holding.get(h, 0)

    def waiting(self, h: str, minor: bool, day: int) -> list[Held]:
        """Held since an earlier day: who a trunk on ``day`` may take."""
        return [held for held in self.stock[h, minor] if held.day < day]

    def board(self, sortie: Sortie, person: Detainee) -> None:
        sortie.people.append(person)
        if sortie.trunk:
            h = sortie.route.site
            stock = self.stock[h, person.minor]
            held = next(x for x in stock if x.person.id == person.id)
            stock.remove(held)
            if held.shuttle is not None:
                held.shuttle.onward[person.id] = sortie
            self.trunked[h, sortie.day] += 1
            self.intake_used[sortie.day] += 1
            return
        self.boarded.add(person.id)
        self.remaining[sortie.point].remove(person)
        self.prep_used[sortie.route.site, sortie.day] += 1
        self.moved_by_tier[sortie.point, self.inst.op.guards.tier(person.risk)] += 1
        if sortie.route.kind == "shuttle":
            h = sortie.route.destination or ""
            self.stock[h, person.minor].append(Held(person, sortie.day, sortie))
        else:
            self.intake_used[sortie.day] += 1


def load_trunks(loader: Loader, sorties: list[Sortie]) -> None:
    """Fill the day's trunk sorties from the holding areas: detainees held longest first
    (then by priority), each where seats and guards allow, while the intake allows."""
    op = loader.inst.op
    for sortie in sorties:
        if not sortie.trunk:
            continue
        minor = sortie.point.endswith("#minors")
        queue = sorted(
            loader.waiting(sortie.route.site, minor, sortie.day),
            key=lambda held: (held.day, -held.person.risk, held.person.id),
        )
        for held in queue:
            if not loader.room(sortie.route, sortie.day) or sortie.full(op):
                break
            if sortie.fits(op, held.person):
                loader.board(sortie, held.person)


def unstrand(loader: Loader, sorties: list[Sortie]) -> list[Sortie]:
    """Take anyone still in a holding area at the horizon off their shuttle (they stay at
    their site): every plan delivers whoever it shuttles. Returns the sorties left."""
    for stock in loader.stock.values():
        for held in stock:
            if held.shuttle is None:
                continue
            held.shuttle.people.remove(held.person)
            held.shuttle._ratios_for = -1
            loader.boarded.discard(held.person.id)
            loader.remaining[held.shuttle.point].append(held.person)
        stock[:] = [held for held in stock if held.shuttle is None]
    return [s for s in sorties if s.people]


def fly_out_held(loader: Loader, sorties: list[Sortie], first_day: int) -> list[Sortie]:
    """Trunk out whoever was already in holding when the plan started (a re-plan) and is
    still there: their shuttles are flown, so unlike ``unstrand`` nothing can undo them.
    Each extra trunk goes on the airframe-day of a fleet based at the staging airfield that
    costs least: spare hours first, else after taking off that airframe-day's cheapest
    direct sorties (their detainees stay at their site) or trunks of persons shuttled in
    this plan (``unstrand`` takes them off their shuttles). Returns the sorties kept."""
    inst = loader.inst
    for h, minor in [key for key, stock in loader.stock.items() if held_at_start(stock)]:
        while held_at_start(loader.stock[h, minor]):
            brought = {pid: s for s in sorties if s.route.kind == "shuttle" for pid in s.onward}
            flying = _by_airframe_day(sorties)
            found = _cheapest_trunk_day(loader, flying, brought, h, minor, first_day)
            if found is None:
                break  # no airframe-day can fly it: the re-plan reports them stranded
            fleet, tail, day, bumped = found
            for sortie in bumped:
                _unload(loader, sortie, brought)
            mine = [s for s in flying.get((tail, day), []) if s.people]
            leg = fleet.hold_legs[trunk_key(minor)]
            clock = inst.op.duty_start_hour + sum(
                s.route.block_hours + inst.op.refuel_hours for s in mine
            )
            trunk = Sortie(day, tail, fleet, trunk_key(minor), leg, len(mine) + 1, clock)
            load_trunks(loader, [trunk])
            if not trunk.people:
                break  # defensive: the day was checked to have room
            sorties = [s for s in sorties if s.people] + [trunk]
            retime(inst.op, [*mine, trunk])
    return [s for s in sorties if s.people]


def held_at_start(stock: list[Held]) -> list[Held]:
    """Those in a holding area's stock since before the plan (their shuttle flown earlier)."""
    return [held for held in stock if held.shuttle is None]


def _by_airframe_day(sorties: list[Sortie]) -> dict[tuple[str, int], list[Sortie]]:
    """The sorties carrying someone, by (tail, day)."""
    out: dict[tuple[str, int], list[Sortie]] = defaultdict(list)
    for s in sorties:
        if s.people:
            out[s.tail, s.day].append(s)
    return out


def _cheapest_trunk_day(
    loader: Loader,
    flying: dict[tuple[str, int], list[Sortie]],
    brought: dict[int, Sortie],
    h: str,
    minor: bool,
    first_day: int,
) -> tuple[Fleet, str, int, list[Sortie]] | None:
    """The airframe-day (fleet, tail, day) that can fly one more trunk out of ``h`` at the
    least exposure lost, and the sorties it must drop for it (cheapest first)."""
    inst = loader.inst
    op = inst.op
    best: tuple[float, int, Fleet, str, list[Sortie]] | None = None
    for fleet in inst.fleets:
        leg = fleet.hold_legs.get(trunk_key(minor))
        if leg is None or leg.site != h:
            continue
        for day in range(max(first_day, 0), op.horizon_days):
            for tail in inst.avail[fleet.key, day]:
                mine = flying.get((tail, day), [])
                bumped = _make_room(loader, mine, brought, leg, fleet.kind)
                if bumped is None:
                    continue
                freed = sum(len(s.people) for s in bumped)
                if op.intake_on(day) - loader.intake_used[day] + freed <= 0:
                    continue
                lost = sum(_exposure_saved(loader, s, brought) for s in bumped)
                if best is None or (lost, -day) < (best[0], -best[1]):
                    best = (lost, day, fleet, tail, bumped)
    if best is None:
        return None
    _, day, fleet, tail, bumped = best
    return fleet, tail, day, bumped


def _make_room(
    loader: Loader,
    mine: list[Sortie],
    brought: dict[int, Sortie],
    leg: SortieRoute,
    kind: AircraftType,
) -> list[Sortie] | None:
    """The sorties of an airframe-day to drop (cheapest first) so that ``leg`` fits beside
    the rest; None if it cannot fit even then. Droppable: direct sorties, and trunks of
    persons shuttled in this plan only (never shuttles: their detainees may be trunked)."""
    op = loader.inst.op
    kept = list(mine)
    bumped: list[Sortie] = []
    droppable = sorted(
        (
            s
            for s in mine
            if s.route.kind == "direct" or (s.trunk and all(p.id in brought for p in s.people))
        ),
        key=lambda s: _exposure_saved(loader, s, brought),
    )
    while not day_fits(op, kind, [*(s.route for s in kept), leg]):
        if not droppable:
            return None
        drop = droppable.pop(0)
        kept.remove(drop)
        bumped.append(drop)
    return bumped


def _exposure_saved(loader: Loader, sortie: Sortie, brought: dict[int, Sortie]) -> float:
    """What the sortie's detainees save by leaving their site (a trunk's: by the shuttles
    that brought them, which ``unstrand`` would undo)."""
    inst = loader.inst
    total = 0.0
    for person in sortie.people:
        via = brought[person.id] if sortie.trunk else sortie
        total += person.risk * float(inst.save[inst.site_index[via.route.site], via.day])
    return total


def _unload(loader: Loader, sortie: Sortie, brought: dict[int, Sortie]) -> None:
    """Take a sortie's detainees off: a direct sortie's stay at their site, a trunk's go
    back to holding (where a later trunk may take them, or ``unstrand`` undoes their
    shuttle)."""
    op = loader.inst.op
    for person in sortie.people:
        loader.intake_used[sortie.day] -= 1
        if sortie.trunk:
            shuttle = brought[person.id]
            del shuttle.onward[person.id]
            loader.trunked[sortie.route.site, sortie.day] -= 1
            loader.stock[sortie.route.site, person.minor].append(Held(person, shuttle.day, shuttle))
            continue
        loader.boarded.discard(person.id)
        loader.remaining[sortie.point].append(person)
        loader.prep_used[sortie.route.site, sortie.day] -= 1
        loader.moved_by_tier[sortie.point, op.guards.tier(person.risk)] -= 1
    if not sortie.trunk:
        loader.remaining[sortie.point].sort(key=lambda d: (-d.risk, d.id))
    sortie.people = []
    sortie._ratios_for = -1


def load_day(loader: Loader, sorties: list[Sortie], targets: dict[tuple[str, int], int]) -> None:
    """Board the day in order of exposure saved (risk x threat still to come): first up to
    the model's cumulative target per point and tier, then into any free seat while the
    site's preparation and the intake allow."""
    op = loader.inst.op
    by_point: dict[str, list[Sortie]] = defaultdict(list)
    for s in sorties:
        if not s.trunk:
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
            s.fits(op, lightest) and loader.room(s.route, s.day) for s in by_point[key]
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
        if not loader.room(sortie.route, sortie.day):
            continue
        if sortie.fits(loader.inst.op, person):
            loader.board(sortie, person)
            return True
    return False


def integer_patterns(
    inst: Instance,
    z: dict[tuple[int, int, int], float],
    holding: dict[tuple[int, int], float] | None = None,
) -> dict[int, dict[tuple[int, int], int]]:
    """Round the airframe-day counts: floors first, then each fleet-day's free airframes
    round up its patterns with the largest fractions (airframes are rarely the binding
    resource, so rounding up keeps the capacity the LP counted on at each site)."""
    # Airframes the model puts on holding duty are not free for rounding up.
    duty = {key: math.ceil(value - 0.2) for key, value in (holding or {}).items()}
    return _round_airframe_days(inst, {(fi, day, pi): v for (fi, pi, day), v in z.items()}, duty)


_Pattern = TypeVar("_Pattern", int, tuple[str, ...])


def _round_airframe_days(
    inst: Instance,
    z: dict[tuple[int, int, _Pattern], float],
    duty: dict[tuple[int, int], int],
) -> dict[int, dict[tuple[int, _Pattern], int]]:
    """Airframe-day counts (fleet, day, pattern) rounded: floors first, then each fleet-day's
    free airframes (less ``duty``, those held for other work) round up the patterns with the
    largest fractions."""
    by_day: dict[int, dict[tuple[int, _Pattern], int]] = defaultdict(dict)
    fractions: dict[tuple[int, int], list[tuple[float, _Pattern]]] = defaultdict(list)
    for (fi, day, pattern), value in z.items():
        whole = math.floor(value + 1e-6)
        if whole:
            by_day[day][fi, pattern] = whole
        if value - whole > 1e-6:
            fractions[fi, day].append((value - whole, pattern))
    for (fi, day), parts in fractions.items():
        used = sum(n for (f, _), n in by_day[day].items() if f == fi)
        free = len(inst.avail[inst.fleets[fi].key, day]) - used - duty.get((fi, day), 0)
        for _, pattern in sorted(parts, reverse=True)[: max(0, free)]:
            by_day[day][fi, pattern] = by_day[day].get((fi, pattern), 0) + 1
    return by_day


def tier_targets(
    inst: Instance,
    y: dict[tuple[int, int, int], float],
) -> dict[int, dict[tuple[str, int], int]]:
    """Cumulative moved-by-end-of-day targets per (point, tier), rounded (direct and
    shuttled alike: both leave the site)."""
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


def integer_legs(
    inst: Instance, x: dict[tuple[int, str, int], float]
) -> dict[int, dict[tuple[int, str], int]]:
    """Round the holding legs per fleet-day: floors, and up from a third of a sortie (the
    packing onto airframes drops what does not fit; idle hours fly whoever is left)."""
    by_day: dict[int, dict[tuple[int, str], int]] = defaultdict(dict)
    for (fi, key, day), value in x.items():
        whole = math.floor(value + 1e-6)
        if value - whole > 1 / 3:
            whole += 1
        if whole:
            by_day[day][fi, key] = whole
    return by_day


def schedule_holding(
    inst: Instance, day: int, counts: dict[tuple[int, str], int], taken: set[str]
) -> list[Sortie]:
    """Pack the day's holding legs onto the fleet's airframes left free by the patterns:
    longest first, each onto the first airframe whose day it still fits (flight hours, duty
    window, a refuel between legs); legs that fit nowhere are dropped."""
    op = inst.op
    out: list[Sortie] = []
    by_fleet: dict[int, list[str]] = defaultdict(list)
    for (fi, key), n in counts.items():
        by_fleet[fi].extend([key] * n)
    for fi, keys in sorted(by_fleet.items()):
        fleet = inst.fleets[fi]
        keys.sort(key=lambda k: (-fleet.hold_legs[k].block_hours, k))
        days: dict[str, list[SortieRoute]] = {}
        free = [t for t in inst.avail[fleet.key, day] if t not in taken]
        for key in keys:
            leg = fleet.hold_legs[key]
            tail = next((t for t in days if day_fits(op, fleet.kind, [*days[t], leg])), None)
            if tail is None:
                if not free:
                    continue
                tail = free.pop(0)
                taken.add(tail)
                days[tail] = []
            clock = op.duty_start_hour + sum(r.block_hours + op.refuel_hours for r in days[tail])
            days[tail].append(leg)
            point = key[:-1] if leg.kind == "shuttle" else key
            out.append(Sortie(day, tail, fleet, point, leg, len(days[tail]), clock))
    return out


def integer_mixed(
    inst: Instance, z: dict[tuple[int, int, tuple[str, ...]], float]
) -> dict[int, dict[tuple[int, tuple[str, ...]], int]]:
    """Round the exact-pattern model's airframe-days (fleet, day, pattern) as
    ``integer_patterns`` does: floors, then each fleet-day's free airframes to the patterns
    with the largest fractions."""
    return _round_airframe_days(inst, z, {})


def schedule_mixed(
    inst: Instance, day: int, counts: dict[tuple[int, tuple[str, ...]], int], taken: set[str]
) -> list[Sortie]:
    """Hand the day's exact patterns (direct sorties and holding legs mixed) to tails, longest
    leg first from the start of the duty window; a pattern the bound's search let run past
    the window by its slack loses its last legs until it fits."""
    op = inst.op
    sorties: list[Sortie] = []
    for (fi, pattern), n in sorted(counts.items()):
        fleet = inst.fleets[fi]
        legs = {**fleet.routes, **fleet.hold_legs}
        order = sorted(pattern, key=lambda k: (-legs[k].block_hours, k))
        while order and not day_fits(op, fleet.kind, [legs[k] for k in order]):
            order.pop()
        free = [t for t in inst.avail[fleet.key, day] if t not in taken]
        for tail in free[:n]:
            taken.add(tail)
            clock = op.duty_start_hour
            for index, key in enumerate(order):
                route = legs[key]
                point = key[:-1] if route.kind == "shuttle" else key
                sorties.append(Sortie(day, tail, fleet, point, route, index + 1, clock))
                clock += route.block_hours + op.refuel_hours
    return sorties
