"""The aggregate planning model, solved with HiGHS.

Counts, not persons: z[f, p, d] airframes of fleet f (type at a base) flying day-pattern p on
day d, and y[g, c, d] detainees of loading point g (a site's adults or its minors) and risk
value c leaving on day d. Exposure is linear in y: moving a detainee of risk r from site s on
day d saves r * (threat of s from day d to the horizon, plus the tail charge), so the model
needs no inventory variables.

Two versions share the code. The *exact* model relaxes a sortie's capacity to exactly what
seats and guard ratios allow (sum of (1 + guard ratio) <= seats, detainees <= seats - minimum
guards); the *conservative* one reserves one more seat per sortie for the rounding up of
guards, so that its counts can always be packed into real manifests. The exact model in its
``bound`` form (airframe hours pooled over whole days, see ``build_model``) is a relaxation
of every plan the scheduler can fly: its LP optimum is a proven lower bound on the exposure
of any feasible plan. So is the dual bound of the same model as a MIP with the airframe
and leg counts (``z``, ``x``, ``e``: ``integral_columns``) integral, as they are in every
plan mapped onto it; ``solve_bound_mip`` returns what HiGHS proves within a node and a time
limit (any stopping point gives a valid bound, an early one a weaker one). Without
``bound`` an airframe-day is either a pattern of direct sorties or holding duty: closer to
what the rounding can pack, so it steers the dive, but stricter than real days (which mix
the two) and so no bound.
"""

from __future__ import annotations

import math
import os
import sys
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import highspy
import numpy as np
import numpy.typing as npt
from scipy import sparse

from custodia.transfers.operation import Detainee, Operation, Site
from custodia.transfers.routes import Fleet, fleets, shuttle_key, shuttle_to, trunk_key

FloatArray = npt.NDArray[np.float64]


@dataclass
class Point:
    """A loading point: the eligible adults, or the eligible minors, of one site."""

    key: str
    site: Site
    site_index: int
    minor: bool
    risks: list[int]  # distinct risk values, highest first
    counts: list[int]  # detainees per risk value


@dataclass
class Instance:
    """What the model, the manifests, the greedy baseline and the checker all read."""

    op: Operation
    points: list[Point]
    fleets: list[Fleet]
    avail: dict[tuple[str, int], list[str]]  # (fleet key, day) -> tails available
    threat: FloatArray  # [site, day]
    save: FloatArray  # [site, day] saving per unit risk when leaving on day d
    stay: FloatArray  # [site] charge per unit risk for never leaving
    eligible: dict[str, list[Detainee]]  # point key -> detainees, priority order
    site_index: dict[str, int]
    held_back: list[dict[str, Any]] = field(default_factory=list)
    holding: dict[str, int] = field(default_factory=dict)  # staging code -> capacity
    # Detainees already in a holding area when the plan starts (a re-plan): by staging code.
    held: dict[str, list[Detainee]] = field(default_factory=dict)

    @property
    def tiers(self) -> int:
        return len(self.op.guards.tier_floors)


def priority(d: Detainee) -> tuple[int, int]:
    return (-d.risk, d.id)


def build_instance(op: Operation, *, held: dict[str, list[Detainee]] | None = None) -> Instance:
    horizon = op.horizon_days
    threat = np.array(
        [[op.threat_on(s, day) for day in range(horizon)] for s in op.sites], dtype=np.float64
    )
    tail = threat[:, -1] * op.tail_days
    suffix = np.cumsum(threat[:, ::-1], axis=1)[:, ::-1]
    save = suffix + tail[:, None]
    points: list[Point] = []
    eligible: dict[str, list[Detainee]] = {}
    held_back: list[dict[str, Any]] = []
    for index, site in enumerate(op.sites):
        for minor in (False, True):
            chosen = []
            for d in site.detainees:
                if d.minor != minor:
                    continue
                if not d.assessment_ref or d.assessment_flagged:
                    reason = "assessment flagged" if d.assessment_flagged else "no assessment"
                    held_back.append({"person_id": d.id, "site": site.code, "reason": reason})
                    continue
                chosen.append(d)
            if not chosen:
                continue
            key = f"{site.code}#minors" if minor else site.code
            chosen.sort(key=priority)
            eligible[key] = chosen
            by_risk: dict[int, int] = defaultdict(int)
            for d in chosen:
                by_risk[d.risk] += 1
            risks = sorted(by_risk, reverse=True)
            points.append(Point(key, site, index, minor, risks, [by_risk[r] for r in risks]))
    fleet_list = fleets(op, [(p.key, p.site) for p in points])
    avail: dict[tuple[str, int], list[str]] = {}
    planes = {a.tail: a for a in op.aircraft}
    for f in fleet_list:
        for day in range(horizon):
            avail[f.key, day] = [t for t in f.tails if day not in planes[t].unavailable_days]
    site_index = {s.code: i for i, s in enumerate(op.sites)}
    holding = {s.code: s.holding_capacity for s in op.staging if s.holding_capacity > 0}
    return Instance(
        op,
        points,
        fleet_list,
        avail,
        threat,
        save,
        tail,
        eligible,
        site_index,
        held_back,
        holding,
        {h: list(people) for h, people in (held or {}).items() if people},
    )


def no_move_exposure(inst: Instance) -> float:
    total = inst.threat.sum(axis=1) + inst.stay
    return float(
        sum(
            total[p.site_index] * sum(r * n for r, n in zip(p.risks, p.counts, strict=True))
            for p in inst.points
        )
    )


@dataclass
class Layout:
    """Column positions of the variables."""

    z_index: dict[tuple[int, int, int], int]  # (fleet, pattern, day) -> column
    y_index: dict[tuple[int, int, int], int]  # (point, risk slot, day) -> column
    n_cols: int
    # Holding: airframes on holding duty, their legs, shuttled detainees, trunked detainees
    # (staging, minor, tier, day) and the holding stock at the end of each day.
    w_index: dict[tuple[int, int], int] = field(default_factory=dict)  # (fleet, day)
    x_index: dict[tuple[int, str, int], int] = field(default_factory=dict)  # (fleet, leg, day)
    s_index: dict[tuple[int, int, int], int] = field(default_factory=dict)  # (point, tier, day)
    t_index: dict[tuple[str, bool, int, int], int] = field(default_factory=dict)
    i_index: dict[tuple[str, bool, int, int], int] = field(default_factory=dict)
    # Bound model only: direct sorties an airframe-day flies past its enumerated pattern
    # (fleet, point, day), where its hours could hold more sorties than the longest pattern.
    e_index: dict[tuple[int, str, int], int] = field(default_factory=dict)
    # The most the flight-hour whiskers of the objective can add for any plan: subtracted
    # from the LP optimum, the bound stays a bound.
    whisker_max: float = 0.0
    # Exact-pattern bound model only (``exact=True``): the rows a new airframe-day pattern
    # column enters. (fleet, day) -> airframes row; (fleet, leg, day) -> the row that
    # limits the holding legs to those the patterns fly; (point, day) -> seats, heads rows.
    fleet_rows: dict[tuple[int, int], int] = field(default_factory=dict)
    leg_rows: dict[tuple[int, str, int], int] = field(default_factory=dict)
    point_rows: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)


@dataclass
class Solved:
    objective: float  # exposure, the constant included
    z: dict[tuple[int, int, int], float]
    y: dict[tuple[int, int, int], float]
    status: str
    seconds: float
    mip_bound: float | None = None
    x: dict[tuple[int, str, int], float] = field(default_factory=dict)
    s: dict[tuple[int, int, int], float] = field(default_factory=dict)
    w: dict[tuple[int, int], float] = field(default_factory=dict)
    row_dual: FloatArray | None = None


def beyond_patterns(op: Operation, f: Fleet) -> bool:
    """Whether one airframe-day of the fleet might fit more direct sorties than its longest
    enumerated pattern (the enumeration stops at a fixed number of sorties, the idle-hours
    fill of the scheduler does not): a necessary condition, on the shortest route's hours."""
    if not f.routes:
        return False
    n = max((len(p) for p in f.patterns), default=0) + 1
    flight = min(r.flight_hours for r in f.routes.values())
    block = min(r.block_hours for r in f.routes.values())
    return (
        n * flight <= f.kind.max_flight_hours + 1e-9
        and n * block + op.refuel_hours * (n - 1) <= op.duty_hours + 1e-9
    )


def _layout(inst: Instance, days: range, bound: bool = False, exact: bool = False) -> Layout:
    z_index: dict[tuple[int, int, int], int] = {}
    y_index: dict[tuple[int, int, int], int] = {}
    e_index: dict[tuple[int, str, int], int] = {}
    col = 0
    for fi, f in enumerate(inst.fleets):
        extra = bound and not exact and beyond_patterns(inst.op, f)
        for day in days:
            if not inst.avail[f.key, day]:
                continue
            for pi in range(len(f.patterns)):
                z_index[fi, pi, day] = col
                col += 1
            for key in sorted(f.routes) if extra else ():
                e_index[fi, key, day] = col
                col += 1
    for gi, point in enumerate(inst.points):
        for ci in range(len(point.risks)):
            for day in days:
                y_index[gi, ci, day] = col
                col += 1
    layout = Layout(z_index, y_index, col, e_index=e_index)
    if not inst.holding:
        return layout
    shuttled = set()
    for fi, f in enumerate(inst.fleets):
        for day in days:
            if not inst.avail[f.key, day] or not f.hold_legs:
                continue
            if not bound:  # the bound pools an airframe's hours over its whole day
                layout.w_index[fi, day] = col
                col += 1
            for key in f.hold_legs:
                layout.x_index[fi, key, day] = col
                col += 1
                shuttled.add(key[:-1])
    for gi, point in enumerate(inst.points):
        if point.key not in shuttled:
            continue
        # The shuttled share of the detainees leaving, per security tier (guards go by
        # tier, so the seat rows need no finer split; the risk values stay in y).
        for tier in sorted({inst.op.guards.tier(r) for r in point.risks}):
            for day in days:
                layout.s_index[gi, tier, day] = col
                col += 1
    for h in inst.holding:
        for minor in (False, True):
            for tier in range(inst.tiers):
                for day in days:
                    layout.t_index[h, minor, tier, day] = col
                    layout.i_index[h, minor, tier, day] = col + 1
                    col += 2
    layout.n_cols = col
    return layout


def _guard(inst: Instance, risk: int) -> float:
    return inst.op.guards.ratio(risk)


def build_model(
    inst: Instance,
    *,
    conservative: bool,
    first_day: int = 0,
    remaining: dict[str, dict[int, int]] | None = None,
    intake_used: dict[int, int] | None = None,
    prep_used: dict[tuple[int, int], int] | None = None,
    last_day: int | None = None,
    stock: dict[tuple[str, bool, int], int] | None = None,
    packing: float = 1.0,
    bound: bool = False,
    strand: dict[tuple[str, bool, int], int] | None = None,
    strand_cost: float = 0.0,
    exact: bool = False,
) -> tuple[highspy.HighsLp, Layout, float]:
    """The LP (all columns continuous) from ``first_day`` on; returns it, the layout and the
    objective constant. ``remaining`` replaces the supply (point key -> risk -> count) when
    re-planning from an executed state. ``last_day`` (exclusive) cuts the days modelled: a
    window that guides a dive step, no longer a bound. ``stock`` replaces the holding areas'
    initial stock: (staging, minor, tier) -> count. ``packing`` < 1 scales the pooled hours
    of airframes on holding duty: a steering LP that expects the loss of packing whole legs
    into airframe-days. ``strand``: (staging, minor, tier) -> how many of those already held
    when the plan starts may still be in holding at the horizon, each at ``strand_cost`` (a
    re-plan whose remaining trunk capacity cannot empty the holding areas: without it the
    model is infeasible; with a zero cost the bound covers plans that strand any of them).

    Without ``bound`` (the steering model) an airframe-day is either a pattern of direct
    sorties or holding duty. The scheduler mixes them (the spare hours of an airframe flying
    a pattern fly shuttles, trunks or more direct sorties), so only ``bound=True`` (with
    ``conservative=False``, the whole horizon and ``packing`` 1) gives a lower bound on any
    plan it can fly: there an airframe-day is a pattern (or none) plus any holding legs and,
    where the hours could hold more sorties than the longest pattern, extra direct sorties,
    with the flight hours and the duty (blocks plus a refuel between legs) of all of them
    pooled per fleet-day, and the legs of each kind at most the whole legs that fit beside
    each airframe's pattern. Every real airframe-day maps onto that: its direct sorties (the
    first ones, if more than the longest pattern) are an enumerated pattern, as each
    multiset that fits a day up to that size is one; each airframe flies within its own
    hours and duty window, so the fleet within their sum, and no airframe flies more legs
    of a kind than fit beside its pattern. Subtract ``layout.whisker_max`` from its
    optimum: the flight-hour whiskers of the objective are no exposure."""
    op = inst.op
    days = range(first_day, min(op.horizon_days, last_day or op.horizon_days))
    layout = _layout(inst, days, bound, exact)
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    lower: list[float] = []
    upper: list[float] = []

    def new_row(lo: float, hi: float) -> int:
        lower.append(lo)
        upper.append(hi)
        return len(lower) - 1

    def put(row: int, col: int, value: float) -> None:
        rows.append(row)
        cols.append(col)
        vals.append(value)

    inf = highspy.kHighsInf
    for fi, f in enumerate(inst.fleets):
        for day in days:
            count = len(inst.avail[f.key, day])
            if not count:
                continue
            row = new_row(-inf, count)
            for pi in range(len(f.patterns)):
                put(row, layout.z_index[fi, pi, day], 1.0)
            if bound and exact:
                # Holding legs only as the patterns fly them (columns added by ``columns``).
                layout.fleet_rows[fi, day] = row
                for key in f.hold_legs:
                    leg_row = new_row(-inf, 0.0)
                    layout.leg_rows[fi, key, day] = leg_row
                    put(leg_row, layout.x_index[fi, key, day], 1.0)
                continue
            if bound:
                _pooled_rows(inst, layout, fi, day, count, new_row, put)
                continue
            w_col = layout.w_index.get((fi, day))
            if w_col is not None:
                put(row, w_col, 1.0)
                # Airframes on holding duty fly their legs within their pooled hours: each
                # airframe-day's legs fit its flight hours and duty window (with a refuel
                # between legs). Whole airframe-days on duty: stricter than the scheduler,
                # which also flies legs in the spare hours of pattern airframes (see bound).
                hours = new_row(-inf, 0.0)
                duty = new_row(-inf, 0.0)
                put(hours, w_col, -f.kind.max_flight_hours * packing)
                put(duty, w_col, -(op.duty_hours + op.refuel_hours) * packing)
                for key, leg in f.hold_legs.items():
                    col = layout.x_index[fi, key, day]
                    put(hours, col, leg.flight_hours)
                    put(duty, col, leg.block_hours + op.refuel_hours)
    slack = 1 if conservative else 0
    visits: dict[str, list[tuple[int, int, int]]] = defaultdict(list)  # key -> (fleet, pat, n)
    for fi, f in enumerate(inst.fleets):
        for pi, pattern in enumerate(f.patterns):
            for key in set(pattern):
                visits[key].append((fi, pi, pattern.count(key)))
    supply = supply_counts(inst, remaining)
    for gi, point in enumerate(inst.points):
        for day in days:
            seats = new_row(-inf, 0.0)
            heads = new_row(-inf, 0.0)
            layout.point_rows[gi, day] = (seats, heads)
            for ci, risk in enumerate(point.risks):
                col = layout.y_index[gi, ci, day]
                put(seats, col, 1.0 + _guard(inst, risk))
                put(heads, col, 1.0)
            # The direct sorties carry those leaving who are not shuttled.
            for tier in range(inst.tiers):
                col_s = layout.s_index.get((gi, tier, day))
                if col_s is not None:
                    put(seats, col_s, -(1.0 + op.guards.guards_per_detainee[tier]))
                    put(heads, col_s, -1.0)
            for fi, pi, n in visits[point.key]:
                col_z = layout.z_index.get((fi, pi, day))
                if col_z is None:
                    continue
                kind = inst.fleets[fi].kind
                put(seats, col_z, -n * (kind.seats - slack))
                put(heads, col_z, -n * (kind.seats - op.guards.min_guards))
            for fi, f in enumerate(inst.fleets if layout.e_index else ()):
                col_e = layout.e_index.get((fi, point.key, day))
                if col_e is not None:
                    put(seats, col_e, -(f.kind.seats - slack))
                    put(heads, col_e, -(f.kind.seats - op.guards.min_guards))
    shuttles: dict[str, list[int]] = defaultdict(list)  # point key -> fleets shuttling it
    for fi, f in enumerate(inst.fleets):
        for key in f.hold_legs:
            if key.endswith(">"):
                shuttles[key[:-1]].append(fi)
    for gi, point in enumerate(inst.points):
        tiers = [k for k in range(inst.tiers) if (gi, k, days.start) in layout.s_index]
        if not tiers:
            continue
        for day in days:
            seats = new_row(-inf, 0.0)
            heads = new_row(-inf, 0.0)
            for tier in tiers:
                col = layout.s_index[gi, tier, day]
                put(seats, col, 1.0 + op.guards.guards_per_detainee[tier])
                put(heads, col, 1.0)
                # shuttled of a tier <= leaving of that tier
                link = new_row(-inf, 0.0)
                put(link, col, 1.0)
                for ci, risk in enumerate(point.risks):
                    if op.guards.tier(risk) == tier:
                        put(link, layout.y_index[gi, ci, day], -1.0)
            for fi in shuttles[point.key]:
                col_x = layout.x_index.get((fi, shuttle_key(point.key), day))
                if col_x is None:
                    continue
                kind = inst.fleets[fi].kind
                put(seats, col_x, -(kind.seats - slack))
                put(heads, col_x, -(kind.seats - op.guards.min_guards))
    by_site: dict[int, list[int]] = defaultdict(list)
    for gi, point in enumerate(inst.points):
        by_site[point.site_index].append(gi)
    for site_index, group in by_site.items():
        for day in days:
            used = (prep_used or {}).get((site_index, day), 0)
            row = new_row(-inf, max(0, op.sites[site_index].prep_per_day - used))
            for gi in group:
                for ci in range(len(inst.points[gi].risks)):
                    put(row, layout.y_index[gi, ci, day], 1.0)
    for day in days:
        row = new_row(-inf, max(0, op.intake_on(day) - (intake_used or {}).get(day, 0)))
        for gi, point in enumerate(inst.points):
            for ci in range(len(point.risks)):
                put(row, layout.y_index[gi, ci, day], 1.0)
        for (_g, _k, d), col in layout.s_index.items():
            if d == day:
                put(row, col, -1.0)  # shuttled: not at the receiving facility today
        for (_h, _minor, _tier, d), col in layout.t_index.items():
            if d == day:
                put(row, col, 1.0)
    for gi, point in enumerate(inst.points):
        for ci in range(len(point.risks)):
            row = new_row(-inf, supply[gi][ci])
            for day in days:
                put(row, layout.y_index[gi, ci, day], 1.0)
    col_upper = np.full(layout.n_cols, inf)
    cost = np.zeros(layout.n_cols)
    if layout.t_index:
        to_the_end = days.stop >= op.horizon_days
        _holding_rows(inst, layout, days, new_row, put, col_upper, slack, to_the_end, stock)
        if to_the_end and strand:
            _strand_columns(layout, days.stop - 1, strand, strand_cost, col_upper, cost)
    for (fi, pi, _day), col in layout.z_index.items():
        # A whisker of cost per flight hour: among equal-exposure plans, fly less.
        f = inst.fleets[fi]
        cost[col] = 1e-6 * sum(f.routes[k].flight_hours for k in f.patterns[pi])
    constant = 0.0
    for (gi, ci, day), col in layout.y_index.items():
        point = inst.points[gi]
        cost[col] = -point.risks[ci] * inst.save[point.site_index, day]
    for (fi, key, _day), col in layout.x_index.items():
        cost[col] = 1e-6 * inst.fleets[fi].hold_legs[key].flight_hours
    for (fi, key, _day), col in layout.e_index.items():
        cost[col] = 1e-6 * inst.fleets[fi].routes[key].flight_hours
    if bound:
        # Any plan's whiskers: at most 1e-6 per flight hour of every airframe-day.
        layout.whisker_max = 1e-6 * sum(
            len(inst.avail[f.key, day]) * f.kind.max_flight_hours
            for f in inst.fleets
            for day in days
        )
    for gi, point in enumerate(inst.points):
        per_unit = inst.threat[point.site_index, first_day:].sum() + inst.stay[point.site_index]
        constant += per_unit * sum(r * n for r, n in zip(point.risks, supply[gi], strict=True))
    matrix = sparse.csc_matrix(
        (np.array(vals), (np.array(rows), np.array(cols))), shape=(len(lower), layout.n_cols)
    )
    lp = highspy.HighsLp()
    lp.num_col_ = layout.n_cols
    lp.num_row_ = len(lower)
    lp.col_cost_ = cost
    lp.col_lower_ = np.zeros(layout.n_cols)
    lp.col_upper_ = col_upper
    lp.row_lower_ = np.array(lower)
    lp.row_upper_ = np.array(upper)
    lp.offset_ = constant
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = matrix.indptr
    lp.a_matrix_.index_ = matrix.indices
    lp.a_matrix_.value_ = matrix.data
    return lp, layout, constant


def _pooled_rows(
    inst: Instance, layout: Layout, fi: int, day: int, count: int, new_row: Any, put: Any
) -> None:
    """The bound model's hours of one fleet-day: patterns, holding legs and sorties past the
    patterns within the fleet's pooled flight hours and duty (each leg's block plus the
    refuel before the next; an airframe's day has one refuel fewer than legs, hence the
    duty + refuel per airframe)."""
    op = inst.op
    f = inst.fleets[fi]
    found = [(layout.x_index.get((fi, key, day)), leg) for key, leg in f.hold_legs.items()]
    found += [(layout.e_index.get((fi, key, day)), route) for key, route in f.routes.items()]
    legs = [(col, leg) for col, leg in found if col is not None]
    if not legs:
        return  # each pattern fits an airframe-day: the airframe row is enough
    inf = highspy.kHighsInf
    # each pattern's flight hours and duty (blocks plus a refuel after each)
    used = [
        (
            sum(f.routes[k].flight_hours for k in pattern),
            sum(f.routes[k].block_hours + op.refuel_hours for k in pattern),
        )
        for pattern in f.patterns
    ]
    hours = new_row(-inf, count * f.kind.max_flight_hours)
    duty = new_row(-inf, count * (op.duty_hours + op.refuel_hours))
    for pi, (p_flight, p_block) in enumerate(used):
        col_z = layout.z_index[fi, pi, day]
        put(hours, col_z, p_flight)
        put(duty, col_z, p_block)
    for col, leg in legs:
        put(hours, col, leg.flight_hours)
        put(duty, col, leg.block_hours + op.refuel_hours)
    # Whole legs: an airframe flying pattern p fits at most cap(p) more legs of a kind (and
    # of all kinds together, at the shortest leg's hours), where pooled hours would allow a
    # fraction more. Per fleet-day, sum of the kind's legs <= sum over airframes of their
    # cap: count * cap(no pattern) - sum_p z_p * (cap(no pattern) - cap(p)).
    kinds: dict[tuple[float, float], list[int]] = defaultdict(list)
    for key, leg in f.hold_legs.items():
        col_x = layout.x_index.get((fi, key, day))
        if col_x is not None:
            kinds[leg.flight_hours, leg.block_hours + op.refuel_hours].append(col_x)
    if not kinds:
        return
    shortest = (min(h for h, _ in kinds), min(b for _, b in kinds))
    every = [col for cols in kinds.values() for col in cols]
    for (flight, block), cols in [*kinds.items(), (shortest, every)]:
        idle = _cap(op, f, 0.0, 0.0, flight, block)
        if idle >= 1e6:
            continue
        row = new_row(-inf, count * idle)
        for col in cols:
            put(row, col, 1.0)
        for pi, (p_flight, p_block) in enumerate(used):
            cut = idle - _cap(op, f, p_flight, p_block, flight, block)
            if cut:
                put(row, layout.z_index[fi, pi, day], float(cut))


def _cap(op: Operation, f: Fleet, flight: float, block: float, leg: float, leg_block: float) -> int:
    """How many legs of ``leg`` flight hours and ``leg_block`` block + refuel hours fit an
    airframe-day that already has ``flight`` and ``block`` (+ refuels) hours (rounding
    generously: a cap too high keeps the bound a bound)."""
    by_duty = (op.duty_hours + op.refuel_hours - block + 1e-6) / leg_block
    by_hours = (f.kind.max_flight_hours - flight + 1e-6) / leg if leg > 0 else 1e6
    return max(0, math.floor(min(by_duty, by_hours, 1e6)))


def _holding_rows(
    inst: Instance,
    layout: Layout,
    days: range,
    new_row: Any,
    put: Any,
    col_upper: FloatArray,
    slack: int,
    to_the_end: bool,
    stock: dict[tuple[str, bool, int], int] | None,
) -> None:
    """Flow through the holding areas, per (staging airfield, minors or adults, security
    tier): the stock at the end of a day is the day before's plus the shuttled in minus the
    trunked out; a trunk takes only detainees held since an earlier day; the stock of the
    day before plus the day's arrivals never exceeds the capacity; trunk sorties carry adults
    or minors (never both) with their guards; with the whole horizon modelled, the holding
    areas are empty at its end (everyone shuttled reaches the receiving facility)."""
    op = inst.op
    inf = highspy.kHighsInf
    initial: dict[tuple[str, bool, int], int] = defaultdict(int)
    if stock is not None:
        initial.update(stock)
    else:
        for h, people in inst.held.items():
            for person in people:
                initial[h, person.minor, op.guards.tier(person.risk)] += 1
    into: dict[tuple[str, bool, int, int], list[int]] = defaultdict(list)
    for (gi, tier, day), col in layout.s_index.items():
        point = inst.points[gi]
        goes_to = shuttle_to(op, point.site)
        if goes_to is not None:
            into[goes_to, point.minor, tier, day].append(col)
    trunks: dict[str, list[int]] = defaultdict(list)  # staging -> fleets with trunk legs
    for fi, f in enumerate(inst.fleets):
        if trunk_key(False) in f.hold_legs:
            trunks[f.base].append(fi)
    ratios = op.guards.guards_per_detainee
    for h, capacity in inst.holding.items():
        held_total = sum(n for (place, _m, _t), n in initial.items() if place == h)
        for day in days:
            first = day == days.start
            # room: stock of the day before + the day's arrivals <= capacity
            room = new_row(-inf, float(capacity - held_total if first else capacity))
            for minor in (False, True):
                seats = new_row(-inf, 0.0)
                heads = new_row(-inf, 0.0)
                for fi in trunks[h]:
                    col_x = layout.x_index.get((fi, trunk_key(minor), day))
                    if col_x is None:
                        continue
                    kind = inst.fleets[fi].kind
                    put(seats, col_x, -(kind.seats - slack))
                    put(heads, col_x, -(kind.seats - op.guards.min_guards))
                for tier in range(inst.tiers):
                    t_col = layout.t_index[h, minor, tier, day]
                    i_col = layout.i_index[h, minor, tier, day]
                    put(seats, t_col, 1.0 + ratios[tier])
                    put(heads, t_col, 1.0)
                    start = float(initial[h, minor, tier]) if first else 0.0
                    previous = None if first else layout.i_index[h, minor, tier, day - 1]
                    # i[d] - i[d-1] - in[d] + t[d] = 0, with i[first - 1] the initial stock
                    flow = new_row(start, start)
                    put(flow, i_col, 1.0)
                    put(flow, t_col, 1.0)
                    # t[d] <= i[d-1]: a trunk takes only detainees held since an earlier day
                    early = new_row(-inf, start)
                    put(early, t_col, 1.0)
                    if previous is not None:
                        put(flow, previous, -1.0)
                        put(early, previous, -1.0)
                        put(room, previous, 1.0)
                    for col in into[h, minor, tier, day]:
                        put(flow, col, -1.0)
                        put(room, col, 1.0)
                    if to_the_end and day == days.stop - 1:
                        col_upper[i_col] = 0.0


def _strand_columns(
    layout: Layout,
    last: int,
    strand: dict[tuple[str, bool, int], int],
    strand_cost: float,
    col_upper: FloatArray,
    cost: FloatArray,
) -> None:
    """Let the holding stock at the horizon's last day be up to ``strand`` (rather than
    empty), each person left at ``strand_cost``."""
    for (h, minor, tier), n in strand.items():
        col = layout.i_index.get((h, minor, tier, last))
        if col is not None and n > 0:
            col_upper[col] = float(n)
            cost[col] = strand_cost


def strand_penalty(inst: Instance) -> float:
    """The steering models' cost of leaving one held person in holding: far above the
    exposure any use of a trunk seat's hours could save elsewhere, so a model strands
    only whom no trunk can take."""
    risk = max((max(p.risks) for p in inst.points), default=1)
    save = float(inst.save.max()) if inst.save.size else 1.0
    return 100.0 * max(1.0, risk * save)


def held_counts(held: dict[str, list[Detainee]], op: Operation) -> dict[tuple[str, bool, int], int]:
    """(staging, minor, tier) -> persons in holding."""
    out: dict[tuple[str, bool, int], int] = defaultdict(int)
    for h, people in held.items():
        for person in people:
            out[h, person.minor, op.guards.tier(person.risk)] += 1
    return dict(out)


def supply_counts(inst: Instance, remaining: dict[str, dict[int, int]] | None) -> list[list[int]]:
    if remaining is None:
        return [list(p.counts) for p in inst.points]
    return [[remaining.get(p.key, {}).get(r, 0) for r in p.risks] for p in inst.points]


# One solver made at a time: the planner makes them in two threads (the bound LP beside the
# pattern model or the direct plan), and two interleaved redirections of the process's
# stdout left it pointing at /dev/null for good (a plan's JSON then vanished).
_BANNER_LOCK = threading.Lock()


def new_solver(time_limit: float | None = None) -> highspy.Highs:
    # HiGHS prints a banner from C++ when it starts: keep it off our stdout (JSON goes there).
    with _BANNER_LOCK:
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "w") as sink:
                os.dup2(sink.fileno(), 1)
                solver = highspy.Highs()  # type: ignore[no-untyped-call]
                solver.setOptionValue("output_flag", False)
        finally:
            os.dup2(saved, 1)
            os.close(saved)
    solver.setOptionValue("threads", max(1, min(2, os.cpu_count() or 1)))
    if time_limit is not None:
        solver.setOptionValue("time_limit", max(0.5, float(time_limit)))
    return solver


def solve(
    solver: highspy.Highs, lp: highspy.HighsLp, layout: Layout, *, integer_z: bool = False
) -> Solved:
    if integer_z:
        lp.integrality_ = [highspy.HighsVarType.kContinuous] * layout.n_cols
        for col in layout.z_index.values():
            lp.integrality_[col] = highspy.HighsVarType.kInteger
    else:
        # Interior point then crossover: ~15x faster than dual simplex on this LP, and the
        # crossover still hands the rounding a vertex.
        solver.setOptionValue("solver", "ipm")
    solver.passModel(lp)
    solver.run()
    return read_solution(solver, layout, mip=integer_z)


# The integral bound: airframe counts integral, within these limits. The node limit makes
# the figure reproducible; the time limit only guards the plan's time (any dual bound HiGHS
# reports when it stops is proven, so an early stop weakens the figure, never its validity).
BOUND_MIP_MAX_COLUMNS = 25_000
BOUND_MIP_MAX_NODES = 2_000
BOUND_MIP_MAX_SECONDS = 10.0
# HiGHS proves its dual bound to its tolerances: the bound taken stays this far (relative)
# below it.
BOUND_MIP_MARGIN = 1e-6


def integral_columns(layout: Layout) -> list[int]:
    """The bound model's columns that are integral in every plan: airframe-days flying each
    pattern (``z``), holding legs (``x``) and direct sorties past the patterns (``e``) per
    fleet-day. A real plan maps onto the bound model with these as counts of airframes or
    of legs flown, so imposing integrality on them keeps the model a relaxation of every
    plan. (The detainee counts are integral too; made integral as well, the MIP hit a 20 s
    limit on 3 of 7 random instances it otherwise solved within 6 s, for at most 2 % more
    bound: they stay continuous.)"""
    return [*layout.z_index.values(), *layout.x_index.values(), *layout.e_index.values()]


def solve_bound_mip(
    lp: highspy.HighsLp, layout: Layout, *, time_limit: float, max_nodes: int
) -> tuple[float | None, str, float, int]:
    """The bound model as a MIP with ``integral_columns`` integral (the rest continuous):
    HiGHS's proven dual bound (the objective constant included, the whiskers not yet
    subtracted), or None if it proved none; its status, seconds and nodes."""
    integrality = [highspy.HighsVarType.kContinuous] * layout.n_cols
    for col in integral_columns(layout):
        integrality[col] = highspy.HighsVarType.kInteger
    lp.integrality_ = integrality
    solver = new_solver(time_limit)
    solver.setOptionValue("mip_max_nodes", max_nodes)
    solver.passModel(lp)
    solver.run()
    status = solver.modelStatusToString(solver.getModelStatus())
    info = solver.getInfo()
    value = float(info.mip_dual_bound)
    proven = math.isfinite(value) and status not in ("Infeasible", "Unbounded")
    return (value if proven else None), status, solver.getRunTime(), int(info.mip_node_count)


def read_solution(solver: highspy.Highs, layout: Layout, *, mip: bool = False) -> Solved:
    status = solver.modelStatusToString(solver.getModelStatus())
    info = solver.getInfo()
    values = np.asarray(solver.getSolution().col_value)
    if values.size < layout.n_cols:
        return Solved(float("inf"), {}, {}, status, solver.getRunTime())
    z = {k: float(values[c]) for k, c in layout.z_index.items() if values[c] > 1e-7}
    y = {k: float(values[c]) for k, c in layout.y_index.items() if values[c] > 1e-7}
    x = {k: float(values[c]) for k, c in layout.x_index.items() if values[c] > 1e-7}
    shuttled = {k: float(values[c]) for k, c in layout.s_index.items() if values[c] > 1e-7}
    holding = {k: float(values[c]) for k, c in layout.w_index.items() if values[c] > 1e-7}
    bound = float(info.mip_dual_bound) if mip else None
    duals = None if mip else np.asarray(solver.getSolution().row_dual, dtype=np.float64)
    return Solved(
        float(info.objective_function_value),
        z,
        y,
        status,
        solver.getRunTime(),
        bound,
        x,
        shuttled,
        holding,
        duals,
    )
