"""The lower bound over exact airframe-days, by column generation.

Every day a real airframe flies is one *pattern*: a multiset of legs (direct sorties,
shuttles into holding, trunks out of it) within its flight hours and its duty window, a
refuel between legs. The bound model with one column per (fleet, pattern, day) is a
relaxation of every plan (an airframe-day is one column, whatever it mixes), tighter than
pooling the fleet's hours, which lets fractions of legs fill the hours a whole leg cannot.
There are too many patterns to enumerate (six short shuttles over a dozen sites), so the
columns are generated: solve the model over the patterns found so far, price the best
pattern of each fleet-day against its duals (an exact search, ``best_pattern``), add those
that improve, and repeat.

The bound is not the restricted model's optimum but a Lagrangian bound computed here from
its duals (``dual_bound``): for *any* duals of the right signs, the rows' right-hand sides
plus each column's most negative contribution within its bounds, with the airframes of a
fleet-day kept as a constraint (Σ patterns ≤ airframes, so the patterns add at least
airframes × the best pattern's reduced cost). It is a bound at every iteration, whether or
not the generation has converged or the solver's duals are exact; at convergence it is the
exact pattern model's optimum.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import highspy
import numpy as np
from scipy import sparse

from custodia.transfers import model as m
from custodia.transfers.routes import Fleet, SortieRoute

# The checker accepts a leg starting up to 1e-3 h before the airframe is free, and the last
# return up to 1e-3 h past the duty window: a pattern may be that much longer per leg. The
# search allows more (a looser fit admits more patterns: the bound only weakens).
FIT_SLACK_HOURS = 0.02
# Gains below this (relative to the best) are not worth a column.
MIN_GAIN = 1e-7
SIMPLEX_STRATEGY = 1


@dataclass
class Leg:
    key: str
    flight: float
    duty: float  # block hours plus the refuel after it
    gain: float


@dataclass
class Generated:
    """The bound and how it was reached."""

    bound: float
    restricted: float  # the restricted model's optimum (whiskers included)
    iterations: int
    columns: int
    seconds: float
    converged: bool
    history: list[tuple[float, float, float]] = field(default_factory=list)


def best_patterns(
    legs: list[Leg], max_flight: float, max_duty: float, keep: int = 1
) -> list[tuple[float, list[str]]]:
    """The ``keep`` multisets of ``legs`` with the most gain within ``max_flight`` flight
    hours and ``max_duty`` duty hours, best first (exact: depth-first, pruned by the
    fractional knapsack bound of each resource). The first is the best of all patterns
    (gain 0: the empty day)."""
    legs = sorted((x for x in legs if x.gain > 0), key=lambda x: -x.gain / x.duty)
    found: list[tuple[float, list[str]]] = []
    if not legs:
        return [(0.0, [])]
    # per resource, the best ratio from index i on
    by_duty = [0.0] * (len(legs) + 1)
    by_flight = [0.0] * (len(legs) + 1)
    for i in range(len(legs) - 1, -1, -1):
        by_duty[i] = max(by_duty[i + 1], legs[i].gain / legs[i].duty)
        ratio = legs[i].gain / legs[i].flight if legs[i].flight > 0 else math.inf
        by_flight[i] = max(by_flight[i + 1], ratio)
    chosen: list[str] = []

    def worst() -> float:
        return found[-1][0] if len(found) >= keep else 0.0

    def search(start: int, flight: float, duty: float, gain: float) -> None:
        if chosen and gain > worst():
            found.append((gain, list(chosen)))
            found.sort(key=lambda item: -item[0])
            del found[keep:]
        for i in range(start, len(legs)):
            room = min(by_duty[i] * (max_duty - duty), by_flight[i] * (max_flight - flight))
            if gain + room <= worst() * (1 + 1e-12):
                return
            leg = legs[i]
            if flight + leg.flight <= max_flight and duty + leg.duty <= max_duty:
                chosen.append(leg.key)
                search(i, flight + leg.flight, duty + leg.duty, gain + leg.gain)
                chosen.pop()

    search(0, 0.0, 0.0, 0.0)
    return found or [(0.0, [])]


def _limits(op: Any, f: Fleet) -> tuple[float, float]:
    return (
        f.kind.max_flight_hours + FIT_SLACK_HOURS,
        op.duty_hours + op.refuel_hours + FIT_SLACK_HOURS,
    )


def _legs(f: Fleet) -> dict[str, SortieRoute]:
    return {**f.routes, **f.hold_legs}


def _column(
    inst: m.Instance, layout: m.Layout, fi: int, day: int, pattern: list[str]
) -> tuple[float, list[int], list[float]]:
    """A pattern's whisker cost and its entries: the airframe row, the seats and heads of
    each direct sortie's loading point, the row of each holding leg."""
    f = inst.fleets[fi]
    op = inst.op
    legs = _legs(f)
    entries: dict[int, float] = {layout.fleet_rows[fi, day]: 1.0}
    point_of = {p.key: gi for gi, p in enumerate(inst.points)}
    for key in pattern:
        if key in f.hold_legs:
            row = layout.leg_rows[fi, key, day]
            entries[row] = entries.get(row, 0.0) - 1.0
        else:
            seats, heads = layout.point_rows[point_of[key], day]
            entries[seats] = entries.get(seats, 0.0) - f.kind.seats
            entries[heads] = entries.get(heads, 0.0) - (f.kind.seats - op.guards.min_guards)
    cost = 1e-6 * sum(legs[k].flight_hours for k in pattern)
    rows = sorted(entries)
    return cost, rows, [entries[r] for r in rows]


def _caps(inst: m.Instance, lp: highspy.HighsLp, layout: m.Layout, people: float) -> None:
    """Finite upper bounds, true of every plan, on the columns other than patterns (the
    Lagrangian bound charges each column its reduced cost at the worse of its bounds)."""
    upper = np.asarray(lp.col_upper_, dtype=np.float64).copy()
    for index in (layout.y_index, layout.s_index, layout.t_index, layout.i_index):
        for col in index.values():
            upper[col] = min(upper[col], people)
    op = inst.op
    for (fi, key, day), col in layout.x_index.items():
        f = inst.fleets[fi]
        leg = f.hold_legs[key]
        per_airframe = math.floor(
            (op.duty_hours + op.refuel_hours + FIT_SLACK_HOURS)
            / (leg.block_hours + op.refuel_hours)
        )
        upper[col] = min(upper[col], per_airframe * len(inst.avail[f.key, day]))
    lp.col_upper_ = upper


def dual_bound(
    inst: m.Instance,
    layout: m.Layout,
    matrix: sparse.csc_matrix,
    lp: highspy.HighsLp,
    row_dual: np.ndarray,
    patterns_at: list[tuple[int, int]],
    keep: int = 1,
) -> tuple[float, dict[tuple[int, int], list[tuple[float, list[str]]]]]:
    """The Lagrangian bound for the duals ``row_dual`` (clipped to their right signs) and
    the best pattern of each fleet-day under them."""
    lower = np.asarray(lp.row_lower_)
    upper = np.asarray(lp.row_upper_)
    y = np.asarray(row_dual, dtype=np.float64).copy()
    y[(y < 0) & ~np.isfinite(upper)] = 0.0
    y[(y > 0) & ~np.isfinite(lower)] = 0.0
    fleet_rows = np.fromiter(layout.fleet_rows.values(), dtype=np.int64)
    y[fleet_rows] = 0.0  # the airframes of a fleet-day are kept as a constraint
    rhs = np.where(y < 0, upper, lower)
    total = float(lp.offset_) + float(np.dot(y[y != 0], rhs[y != 0]))
    cost = np.asarray(lp.col_cost_)
    reduced = cost - matrix.T @ y
    col_upper = np.asarray(lp.col_upper_)
    mask = np.ones(len(cost), dtype=bool)
    mask[list(layout.z_index.values())] = False
    negative = mask & (reduced < 0)
    total += float(np.dot(reduced[negative], col_upper[negative]))
    priced: dict[tuple[int, int], list[tuple[float, list[str]]]] = {}
    point_of = {p.key: gi for gi, p in enumerate(inst.points)}
    mg = inst.op.guards.min_guards
    for fi, day in patterns_at:
        f = inst.fleets[fi]
        legs = []
        for key, route in _legs(f).items():
            if key in f.hold_legs:
                value = -y[layout.leg_rows[fi, key, day]]
            else:
                seats, heads = layout.point_rows[point_of[key], day]
                value = -y[seats] * f.kind.seats - y[heads] * (f.kind.seats - mg)
            gain = value - 1e-6 * route.flight_hours
            duty = route.block_hours + inst.op.refuel_hours
            legs.append(Leg(key, route.flight_hours, duty, gain))
        best = best_patterns(legs, *_limits(inst.op, f), keep=keep)
        priced[fi, day] = best
        total -= len(inst.avail[f.key, day]) * best[0][0]
    return float(total - layout.whisker_max), priced


def _seed(inst: m.Instance, days: list[tuple[int, int]]) -> list[tuple[int, int, list[str]]]:
    """Patterns to start from besides the direct ones: each holding leg alone, and as many
    of it as fit a day (so that the first model can shuttle and trunk at all)."""
    out = []
    for fi, day in days:
        f = inst.fleets[fi]
        max_flight, max_duty = _limits(inst.op, f)
        for key, leg in f.hold_legs.items():
            duty = leg.block_hours + inst.op.refuel_hours
            n = math.floor(max_duty / duty)
            if leg.flight_hours > 0:
                n = min(n, math.floor(max_flight / leg.flight_hours))
            out.append((fi, day, [key]))
            if n > 1:
                out.append((fi, day, [key] * n))
    return out


Pattern = tuple[str, ...]


@dataclass
class Mixed:
    """A solution of the exact-pattern model: airframe-days per (fleet, day, pattern), the
    detainees leaving (as ``Solved.y``), the holding legs flown."""

    z: dict[tuple[int, int, Pattern], float]
    y: dict[tuple[int, int, int], float]
    x: dict[tuple[int, str, int], float]


def generate(
    inst: m.Instance,
    *,
    first_day: int,
    remaining: dict[str, dict[int, int]] | None,
    time_limit: float,
    strand: dict[tuple[str, bool, int], int] | None = None,
    last_day: int | None = None,
    stock: dict[tuple[str, bool, int], int] | None = None,
    pool: set[tuple[int, int, Pattern]] | None = None,
    max_iterations: int = 60,
    tolerance: float = 1e-4,
    keep: int = 1,
) -> tuple[Generated, Mixed | None]:
    started = time.perf_counter()
    lp, layout, _ = m.build_model(
        inst,
        conservative=False,
        first_day=first_day,
        remaining=remaining,
        bound=True,
        exact=True,
        strand=strand,
        last_day=last_day,
        stock=stock,
    )
    supply = m._supply(inst, remaining)
    people = float(sum(map(sum, supply))) + float(sum((strand or {}).values()))
    people += float(sum(len(v) for v in inst.held.values()))
    people += float(sum((stock or {}).values()))
    _caps(inst, lp, layout, people)
    a = lp.a_matrix_
    matrix = sparse.csc_matrix(
        (np.asarray(a.value_), np.asarray(a.index_), np.asarray(a.start_)),
        shape=(lp.num_row_, lp.num_col_),
    )
    fleet_days = sorted(layout.fleet_rows)
    best = -math.inf
    history: list[tuple[float, float, float]] = []
    pooled = -math.inf
    warm: list[tuple[int, int, list[str]]] = []
    if last_day is None:
        pooled, duals = _pooled(inst, first_day, remaining, strand)
        if duals is not None:
            y = _carry_duals(layout, lp, matrix, duals)
            bound, priced = dual_bound(inst, layout, matrix, lp, y, fleet_days, keep)
            best = max(best, pooled, bound)
            history.append((round(pooled, 1), round(bound, 1), round(time.perf_counter() - started, 2)))
            warm = [(fi, day, p) for (fi, day), options in priced.items() for _, p in options if p]
    solver = m.new_solver()
    solver.passModel(lp)
    columns: list[tuple[int, int, Pattern]] = []
    seen: set[tuple[int, int, Pattern]] = set()
    for (fi, pi, day) in layout.z_index:
        seen.add((fi, day, tuple(sorted(inst.fleets[fi].patterns[pi]))))
    seeds = _seed(inst, fleet_days)
    if pool:
        seeds += [(fi, day, list(p)) for fi, day, p in pool if (fi, day) in layout.fleet_rows]
    added = _add(inst, layout, solver, seeds + warm, seen, columns)
    restricted = math.inf
    iterations = 0
    converged = False
    solver.setOptionValue("solver", "ipm")
    while iterations < max_iterations:
        iterations += 1
        solver.run()
        if iterations == 1:
            solver.setOptionValue("solver", "simplex")
            solver.setOptionValue("simplex_strategy", SIMPLEX_STRATEGY)
        status = solver.modelStatusToString(solver.getModelStatus())
        if status != "Optimal":
            break
        restricted = float(solver.getInfo().objective_function_value)
        row_dual = np.asarray(solver.getSolution().row_dual)
        bound, priced = dual_bound(inst, layout, matrix, lp, row_dual, fleet_days, keep)
        best = max(best, bound)
        history.append((round(restricted, 1), round(bound, 1), round(time.perf_counter() - started, 2)))
        if restricted - best <= tolerance * abs(restricted):
            converged = True
            break
        if time.perf_counter() - started > time_limit:
            break
        new = []
        for (fi, day), options in priced.items():
            y_fleet = row_dual[layout.fleet_rows[fi, day]]
            for gain, pattern in options:
                if pattern and gain + y_fleet > MIN_GAIN * max(1.0, gain):
                    new.append((fi, day, pattern))
        more = _add(inst, layout, solver, new, seen, columns)
        if not more:
            converged = True
            break
        added += more
    mixed = None
    if status == "Optimal":
        values = np.asarray(solver.getSolution().col_value)
        z: dict[tuple[int, int, Pattern], float] = {}
        for (fi, pi, day), col in layout.z_index.items():
            if values[col] > 1e-7:
                z[fi, day, inst.fleets[fi].patterns[pi]] = float(values[col])
        for k, key in enumerate(columns):
            if values[layout.n_cols + k] > 1e-7:
                z[key] = z.get(key, 0.0) + float(values[layout.n_cols + k])
        y = {k: float(values[c]) for k, c in layout.y_index.items() if values[c] > 1e-7}
        x = {k: float(values[c]) for k, c in layout.x_index.items() if values[c] > 1e-7}
        mixed = Mixed(z, y, x)
    if pool is not None:
        pool.update(columns)
    generated = Generated(
        best,
        restricted - layout.whisker_max,
        iterations,
        layout.n_cols + added,
        time.perf_counter() - started,
        converged,
        history,
    )
    return generated, mixed


def _pooled(
    inst: m.Instance,
    first_day: int,
    remaining: dict[str, dict[int, int]] | None,
    strand: dict[tuple[str, bool, int], int] | None,
) -> tuple[float, np.ndarray | None]:
    """The pooled-hours bound LP (``model.build_model(bound=True)``): its bound and its row
    duals, or -inf and None if it has no optimum."""
    lp, layout, _ = m.build_model(
        inst, conservative=False, first_day=first_day, remaining=remaining, bound=True, strand=strand
    )
    solver = m.new_solver()
    solver.setOptionValue("run_crossover", "off")
    solved = m.solve(solver, lp, layout)
    if solved.status != "Optimal":
        return -math.inf, None
    first = min(seats for seats, _ in layout.point_rows.values())
    duals = np.asarray(solver.getSolution().row_dual)[first:]
    return solved.objective - layout.whisker_max, duals


def _carry_duals(
    layout: m.Layout, lp: highspy.HighsLp, matrix: sparse.csc_matrix, tail: np.ndarray
) -> np.ndarray:
    """Duals for the exact-pattern model from the pooled model's: the rows past the fleets'
    are the same rows in the same order; each holding leg's row prices the leg at what its
    seats are worth there (its reduced cost without the pooled hours, if negative)."""
    first = min(seats for seats, _ in layout.point_rows.values())
    y = np.zeros(lp.num_row_)
    y[first:] = tail
    reduced = np.asarray(lp.col_cost_) - matrix.T @ y
    for key, row in layout.leg_rows.items():
        y[row] = min(0.0, float(reduced[layout.x_index[key]]))
    return y


def _add(
    inst: m.Instance,
    layout: m.Layout,
    solver: highspy.Highs,
    patterns: list[tuple[int, int, list[str]]],
    seen: set[tuple[int, int, Pattern]],
    columns: list[tuple[int, int, Pattern]],
) -> int:
    n = 0
    for fi, day, pattern in patterns:
        key = (fi, day, tuple(sorted(pattern)))
        if key in seen:
            continue
        seen.add(key)
        columns.append(key)
        cost, rows, values = _column(inst, layout, fi, day, pattern)
        solver.addCol(cost, 0.0, highspy.kHighsInf, len(rows), np.array(rows, dtype=np.int32), np.array(values))
        n += 1
    return n
