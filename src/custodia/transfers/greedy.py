"""The greedy baseline, kept as a comparison and never as the planner: day by day, each
available airframe (largest first) flies to the loading point whose next detainee has the
highest threat x risk per block hour, fills up in priority order, and flies again while its
day still fits. With holding areas open it weighs shuttles into holding the same way (short
legs: high scores), and flies a trunk out of holding first whenever the holding area could not
take another load (or the horizon is near). The planner reuses ``fly_tail`` to put airframes
its rounding left idle to work."""

from __future__ import annotations

from custodia.transfers.manifest import Loader, Sortie, load_trunks, unstrand
from custodia.transfers.model import Instance
from custodia.transfers.routes import Fleet, SortieRoute, day_fits


def _options(
    loader: Loader, fleet: Fleet, day: int, flown: list[Sortie]
) -> list[tuple[float, str, SortieRoute]]:
    """What the airframe could fly next: (score, point or leg key, leg). Direct sorties and
    shuttles into holding score threat x risk of the point's next detainee per block hour;
    a trunk out of holding scores above everything when the holding area has less room than
    the aircraft's seats or the horizon is two days away, and is flown otherwise only when
    nothing else can be."""
    inst = loader.inst
    op = inst.op
    out: list[tuple[float, str, SortieRoute]] = []
    legs = [*fleet.routes.items(), *fleet.hold_legs.items()]
    trunks: list[tuple[str, SortieRoute]] = []
    for key, route in legs:
        if not day_fits(op, fleet.kind, [s.route for s in flown] + [route]):
            continue
        if route.kind == "trunk":
            trunks.append((key, route))
            continue
        point = key[:-1] if route.kind == "shuttle" else key
        people = loader.remaining.get(point)
        if not people or not loader.room(route, day):
            continue
        score = inst.threat[inst.site_index[route.site], day] * people[0].risk
        out.append((score / route.block_hours, point, route))
    for key, route in trunks:
        h = route.site
        if not loader.waiting(h, key.endswith("#minors"), day) or not loader.room(route, day):
            continue
        pressing = (
            inst.holding[h] - loader.held_now(h) - loader.trunked[h, day] < fleet.kind.seats
            or day >= op.horizon_days - 2
        )
        if pressing:
            out.append((float("inf"), key, route))
        elif not out:
            out.append((0.0, key, route))
    return out


def fly_tail(
    loader: Loader, fleet: Fleet, tail: str, day: int, flown: list[Sortie] | None = None
) -> list[Sortie]:
    """Add sorties to one airframe's day while one fits and someone can board; returns the
    new sorties (already loaded)."""
    op = loader.inst.op
    flown = sorted(flown or [], key=lambda s: s.depart_hour)
    added: list[Sortie] = []
    while True:
        options = _options(loader, fleet, day, flown)
        if not options:
            return added
        _, key, route = max(options, key=lambda o: o[0])
        last = flown[-1] if flown else None
        clock = (
            last.depart_hour + last.route.block_hours + op.refuel_hours
            if last
            else op.duty_start_hour
        )
        sortie = Sortie(day, tail, fleet, key, route, len(flown) + 1, clock)
        if route.kind == "trunk":
            load_trunks(loader, [sortie])
        else:
            limit = sortie.seats - 1 - op.guards.min_guards
            for person in list(loader.remaining[key]):
                if not loader.room(route, day) or len(sortie.people) > limit:
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
    return unstrand(loader, out)
