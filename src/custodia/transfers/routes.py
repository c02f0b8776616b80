"""Sorties in the air: how long one takes and which airframe-days (patterns) are flyable.

A sortie starts at the aircraft's base, picks detainees up at one site (no fuel there), flies
them to the receiving facility (refuelling at a staging airfield on the way when the range
asks for it) and returns to base. Routing inside a day is out-and-back, so no vehicle-routing
solver is needed: a day of one airframe is a multiset of sorties that fits the flight hours
and the duty window.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import combinations_with_replacement

from custodia.transfers.operation import AircraftType, Operation, Place, Site

EARTH_RADIUS_KM = 6371.0088


def km(a: Place, b: Place) -> float:
    phi1, phi2 = math.radians(a.lat), math.radians(b.lat)
    dphi, dlam = phi2 - phi1, math.radians(b.lon - a.lon)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True)
class SortieRoute:
    """One sortie of one aircraft type from one base to one site: hours, and the stops."""

    site: str
    flight_hours: float
    block_hours: float  # flight + ground (load, unload, refuels)
    loaded_hours: float  # from take-off at the site to landing at the receiving facility
    outbound_hours: float  # from base take-off to landing at the site
    refuel_stop: str | None
    kind: str = "direct"  # direct (site -> receiving), shuttle (site -> holding), trunk
    destination: str | None = None  # None: the receiving facility


def sortie_leg_plan(
    op: Operation, kind: AircraftType, base: Place, site: Site
) -> SortieRoute | None:
    """The sortie base -> site -> (staging) -> receiving -> base, or None if out of range or
    too long for one duty day."""
    recv = op.receiving
    out_km, back_km = km(base, site), km(recv, base)
    if back_km > kind.range_km:
        return None
    # Fuel: full at base, nothing at the site; a staging stop refuels before the last leg.
    stop: Place | None = None
    loaded_km = km(site, recv)
    if out_km + loaded_km > kind.range_km:
        best: tuple[float, Place] | None = None
        for field in op.staging:
            first, second = km(site, field), km(field, recv)
            if out_km + first <= kind.range_km and second <= kind.range_km:
                total = first + second
                if best is None or total < best[0]:
                    best = (total, field)
        if best is None:
            return None
        loaded_km, stop = best
    flight = (out_km + loaded_km + back_km) / kind.speed_kmh
    ground = op.load_hours + op.unload_hours + op.refuel_hours * (1 + (stop is not None))
    block = flight + ground
    if flight > kind.max_flight_hours or block > op.duty_hours:
        return None
    return SortieRoute(
        site=site.code,
        flight_hours=flight,
        block_hours=block,
        loaded_hours=loaded_km / kind.speed_kmh + op.refuel_hours * (stop is not None),
        outbound_hours=out_km / kind.speed_kmh,
        refuel_stop=stop.code if stop else None,
    )


def holding_leg_plan(
    op: Operation, kind: AircraftType, base: Place, origin: Place, *, trunk: bool
) -> SortieRoute | None:
    """A leg through a staging airfield's holding area, flown out and back from the
    aircraft's own base (the staging airfield): a *shuttle* base -> site -> base that lands
    its detainees in holding (no fuel at the site), or a *trunk* base -> receiving facility
    -> base that takes held detainees on (refuel at the receiving facility). ``origin`` is
    the site (shuttle) or the staging airfield itself (trunk). None if the base has no
    holding area, or out of range or too long for one duty day."""
    if not any(p.code == base.code and p.holding_capacity > 0 for p in op.staging):
        return None
    if trunk:
        one_way = km(base, op.receiving)
        if one_way > kind.range_km:
            return None
        flight = 2 * one_way / kind.speed_kmh
        ground = op.load_hours + op.unload_hours + op.refuel_hours
        loaded = one_way / kind.speed_kmh
        outbound = 0.0
        destination = None
        site = base.code
    else:
        one_way = km(base, origin)
        if 2 * one_way > kind.range_km:
            return None
        flight = 2 * one_way / kind.speed_kmh
        ground = op.load_hours + op.unload_hours
        loaded = outbound = one_way / kind.speed_kmh
        destination = base.code
        site = origin.code
    if flight > kind.max_flight_hours or flight + ground > op.duty_hours:
        return None
    return SortieRoute(
        site=site,
        flight_hours=flight,
        block_hours=flight + ground,
        loaded_hours=loaded,
        outbound_hours=outbound,
        refuel_stop=None,
        kind="trunk" if trunk else "shuttle",
        destination=destination,
    )


def leg_plan(
    op: Operation, kind: AircraftType, base: Place, origin: Place, destination: str
) -> SortieRoute | None:
    """The leg a sortie from ``origin`` to ``destination`` flies (the checker's entry)."""
    if destination == op.receiving.code and isinstance(origin, Site):
        return sortie_leg_plan(op, kind, base, origin)
    if destination == op.receiving.code and origin.code == base.code:
        return holding_leg_plan(op, kind, base, origin, trunk=True)
    if destination == base.code and isinstance(origin, Site):
        return holding_leg_plan(op, kind, base, origin, trunk=False)
    return None


@dataclass(frozen=True)
class Fleet:
    """Aircraft of one type at one base: the unit the aggregate model counts."""

    key: str
    kind: AircraftType
    base: str
    tails: tuple[str, ...]
    routes: dict[str, SortieRoute]  # by site code
    patterns: tuple[tuple[str, ...], ...]  # site codes, one entry per sortie
    # Legs through the base's holding area, by leg key: "<point>>" shuttles a loading point
    # into holding, "^" / "^#minors" trunks held adults / minors to the receiving facility.
    hold_legs: dict[str, SortieRoute] = field(default_factory=dict)


def shuttle_key(point: str) -> str:
    return f"{point}>"


def trunk_key(minor: bool) -> str:
    return "^#minors" if minor else "^"


def fleets(op: Operation, points: list[tuple[str, Site]], *, max_sorties: int = 3) -> list[Fleet]:
    """Group the aircraft by (type, base) and enumerate every flyable airframe-day over the
    loading points (a site's adults and its minors are separate points: never one sortie)."""
    types = {t.code: t for t in op.aircraft_types}
    fields = op.airfields()
    grouped: dict[tuple[str, str], list[str]] = {}
    for plane in op.aircraft:
        grouped.setdefault((plane.type, plane.base), []).append(plane.tail)
    out: list[Fleet] = []
    for (type_code, base), tails in sorted(grouped.items()):
        kind = types[type_code]
        routes = {}
        for key, site in points:
            route = sortie_leg_plan(op, kind, fields[base], site)
            if route is not None:
                routes[key] = route
        hold: dict[str, SortieRoute] = {}
        for key, site in points:
            if shuttle_to(op, site) != base:
                continue
            leg = holding_leg_plan(op, kind, fields[base], site, trunk=False)
            if leg is not None:
                hold[shuttle_key(key)] = leg
        trunk = holding_leg_plan(op, kind, fields[base], fields[base], trunk=True)
        if trunk is not None and hold:
            hold[trunk_key(False)] = trunk
            hold[trunk_key(True)] = trunk
        out.append(
            Fleet(
                key=f"{type_code}@{base}",
                kind=kind,
                base=base,
                tails=tuple(tails),
                routes=routes,
                patterns=_patterns(op, kind, routes, max_sorties),
                hold_legs=hold,
            )
        )
    return out


def shuttle_to(op: Operation, site: Site) -> str | None:
    """The holding area a site's detainees are shuttled into: the nearest staging airfield
    with holding capacity (one per site keeps the model small and the guards' routine
    simple)."""
    best: tuple[float, str] | None = None
    for field_ in op.staging:
        if field_.holding_capacity > 0:
            distance = km(site, field_)
            if best is None or distance < best[0]:
                best = (distance, field_.code)
    return best[1] if best else None


def day_fits(op: Operation, kind: AircraftType, routes: list[SortieRoute]) -> bool:
    """A day of sorties fits one airframe: flight hours, and duty with a refuel between."""
    flight = sum(r.flight_hours for r in routes)
    block = sum(r.block_hours for r in routes) + op.refuel_hours * max(0, len(routes) - 1)
    return flight <= kind.max_flight_hours + 1e-9 and block <= op.duty_hours + 1e-9


def _patterns(
    op: Operation, kind: AircraftType, routes: dict[str, SortieRoute], max_sorties: int
) -> tuple[tuple[str, ...], ...]:
    codes = sorted(routes)
    found: list[tuple[str, ...]] = []
    for size in range(1, max_sorties + 1):
        added = False
        for combo in combinations_with_replacement(codes, size):
            if day_fits(op, kind, [routes[c] for c in combo]):
                found.append(combo)
                added = True
        if not added:
            break
    return tuple(found)
