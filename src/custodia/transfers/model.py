"""The aggregate planning model, solved with HiGHS.

Counts, not persons: z[f, p, d] airframes of fleet f (type at a base) flying day-pattern p on
day d, and y[g, c, d] detainees of loading point g (a site's adults or its minors) and risk
value c leaving on day d. Exposure is linear in y: moving a detainee of risk r from site s on
day d saves r * (threat of s from day d to the horizon, plus the tail charge), so the model
needs no inventory variables.

Two versions share the code. The *bound* model relaxes a sortie's capacity to exactly what
seats and guard ratios allow (sum of (1 + guard ratio) <= seats, detainees <= seats - minimum
guards): its LP optimum is a proven lower bound on the exposure of any feasible plan. The
*plan* model reserves one more seat per sortie for the rounding up of guards, so that its
counts can always be packed into real manifests.
"""

from __future__ import annotations

import os
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import highspy
import numpy as np
import numpy.typing as npt
from scipy import sparse

from custodia.transfers.operation import Detainee, Operation, Site
from custodia.transfers.routes import Fleet, fleets

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


def priority(d: Detainee) -> tuple[int, int]:
    return (-d.risk, d.id)


def build_instance(op: Operation) -> Instance:
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
    return Instance(
        op, points, fleet_list, avail, threat, save, tail, eligible, site_index, held_back
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


@dataclass
class Solved:
    objective: float  # exposure, the constant included
    z: dict[tuple[int, int, int], float]
    y: dict[tuple[int, int, int], float]
    status: str
    seconds: float
    mip_bound: float | None = None


def _layout(inst: Instance, days: range) -> Layout:
    z_index: dict[tuple[int, int, int], int] = {}
    y_index: dict[tuple[int, int, int], int] = {}
    col = 0
    for fi, f in enumerate(inst.fleets):
        for day in days:
            if not inst.avail[f.key, day]:
                continue
            for pi in range(len(f.patterns)):
                z_index[fi, pi, day] = col
                col += 1
    for gi, point in enumerate(inst.points):
        for ci in range(len(point.risks)):
            for day in days:
                y_index[gi, ci, day] = col
                col += 1
    return Layout(z_index, y_index, col)


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
) -> tuple[highspy.HighsLp, Layout, float]:
    """The LP (all columns continuous) from ``first_day`` on; returns it, the layout and the
    objective constant. ``remaining`` replaces the supply (point key -> risk -> count) when
    re-planning from an executed state. ``last_day`` (exclusive) cuts the days modelled: a
    window that guides a dive step, no longer a bound."""
    op = inst.op
    days = range(first_day, min(op.horizon_days, last_day or op.horizon_days))
    layout = _layout(inst, days)
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
    slack = 1 if conservative else 0
    visits: dict[str, list[tuple[int, int, int]]] = defaultdict(list)  # key -> (fleet, pat, n)
    for fi, f in enumerate(inst.fleets):
        for pi, pattern in enumerate(f.patterns):
            for key in set(pattern):
                visits[key].append((fi, pi, pattern.count(key)))
    supply = _supply(inst, remaining)
    for gi, point in enumerate(inst.points):
        for day in days:
            seats = new_row(-inf, 0.0)
            heads = new_row(-inf, 0.0)
            for ci, risk in enumerate(point.risks):
                col = layout.y_index[gi, ci, day]
                put(seats, col, 1.0 + _guard(inst, risk))
                put(heads, col, 1.0)
            for fi, pi, n in visits[point.key]:
                col_z = layout.z_index.get((fi, pi, day))
                if col_z is None:
                    continue
                kind = inst.fleets[fi].kind
                put(seats, col_z, -n * (kind.seats - slack))
                put(heads, col_z, -n * (kind.seats - op.guards.min_guards))
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
    for gi, point in enumerate(inst.points):
        for ci in range(len(point.risks)):
            row = new_row(-inf, supply[gi][ci])
            for day in days:
                put(row, layout.y_index[gi, ci, day], 1.0)
    cost = np.zeros(layout.n_cols)
    for (fi, pi, _day), col in layout.z_index.items():
        # A whisker of cost per flight hour: among equal-exposure plans, fly less.
        f = inst.fleets[fi]
        cost[col] = 1e-6 * sum(f.routes[k].flight_hours for k in f.patterns[pi])
    constant = 0.0
    for (gi, ci, day), col in layout.y_index.items():
        point = inst.points[gi]
        cost[col] = -point.risks[ci] * inst.save[point.site_index, day]
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
    lp.col_upper_ = np.full(layout.n_cols, inf)
    lp.row_lower_ = np.array(lower)
    lp.row_upper_ = np.array(upper)
    lp.offset_ = constant
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = matrix.indptr
    lp.a_matrix_.index_ = matrix.indices
    lp.a_matrix_.value_ = matrix.data
    return lp, layout, constant


def _supply(inst: Instance, remaining: dict[str, dict[int, int]] | None) -> list[list[int]]:
    if remaining is None:
        return [list(p.counts) for p in inst.points]
    return [[remaining.get(p.key, {}).get(r, 0) for r in p.risks] for p in inst.points]


def new_solver(time_limit: float | None = None) -> highspy.Highs:
    # HiGHS prints a banner from C++ when it starts: keep it off our stdout (JSON goes there).
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


def read_solution(solver: highspy.Highs, layout: Layout, *, mip: bool = False) -> Solved:
    status = solver.modelStatusToString(solver.getModelStatus())
    info = solver.getInfo()
    values = np.asarray(solver.getSolution().col_value)
    if values.size < layout.n_cols:
        return Solved(float("inf"), {}, {}, status, solver.getRunTime())
    z = {k: float(values[c]) for k, c in layout.z_index.items() if values[c] > 1e-7}
    y = {k: float(values[c]) for k, c in layout.y_index.items() if values[c] > 1e-7}
    bound = float(info.mip_dual_bound) if mip else None
    return Solved(float(info.objective_function_value), z, y, status, solver.getRunTime(), bound)
