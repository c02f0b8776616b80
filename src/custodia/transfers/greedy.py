"""The greedy baseline, kept as a comparison and never as the planner: day by day, each
available airframe (largest first) flies to the loading point whose next detainee has the
highest threat x risk per block hour, fills up in priority order, and flies again while its
day still fits. The planner reuses ``fly_tail`` to put airframes its rounding left idle to
work."""

from __future__ import annotations

from custodia.transfers.manifest import Loader, Sortie
from custodia.transfers.model import Instance
from custodia.transfers.routes import Fleet, day_fits


def fly_tail(
    loader: Loader, fleet: Fleet, tail: str, day: int, flown: list[Sortie] | None = None
) -> list[Sortie]:
    """Add sorties to one airframe's day while one fits and someone can board; returns the
    new sorties (already loaded)."""
    inst = loader.inst
    op = inst.op
    flown = sorted(flown or [], key=lambda s: s.depart_hour)
    added: list[Sortie] = []
    while True:
        best = None
        for key, route in fleet.routes.items():
            people = loader.remaining.get(key)
            if not people or not loader.room(route.site, day):
                continue
            if not day_fits(op, fleet.kind, [s.route for s in flown] + [route]):
                continue
            score = inst.threat[inst.site_index[route.site], day] * people[0].risk
            score /= route.block_hours
            if best is None or score > best[0]:
                best = (score, key, route)
        if best is None:
            return added
        _, key, route = best
        last = flown[-1] if flown else None
        clock = (
            last.depart_hour + last.route.block_hours + op.refuel_hours
            if last
            else op.duty_start_hour
        )
        sortie = Sortie(day, tail, fleet, key, route, len(flown) + 1, clock)
        limit = sortie.seats - 1 - op.guards.min_guards
        for person in list(loader.remaining[key]):
            if not loader.room(route.site, day) or len(sortie.people) > limit:
                break
            if sortie.fits(op, person):
                loader.board(sortie, person)
        if not sortie.people:
            return added
        flown.append(sortie)
        added.append(sortie)


def greedy_sorties(
    inst: Instance, *, first_day: int = 0, moved: set[int] | None = None
) -> list[Sortie]:
    loader = Loader.start(inst, moved)
    out: list[Sortie] = []
    for day in range(first_day, inst.op.horizon_days):
        tails = [(fleet, tail) for fleet in inst.fleets for tail in inst.avail[fleet.key, day]]
        tails.sort(key=lambda ft: (-ft[0].kind.seats, ft[1]))
        for fleet, tail in tails:
            out.extend(fly_tail(loader, fleet, tail, day))
    return out
