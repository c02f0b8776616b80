"""Exact airframe-days by column generation: the lower bound, and the dive's steering.

Every day a real airframe flies is one *pattern*: a multiset of legs (direct sorties,
shuttles into holding, trunks out of it) within its flight hours and its duty window, a
refuel between legs. The model with one column per (fleet, pattern, day) is a relaxation
of every plan (an airframe-day is one column, whatever it mixes), tighter than pooling the
fleet's hours (which lets fractions of legs fill hours no whole leg fits), and, unlike the
steering LP (a pattern of direct sorties *or* holding duty), it lets an airframe shuttle in
the hours a direct sortie leaves, as the scheduler does. There are too many patterns to
enumerate (six short shuttles over a dozen sites), so they are generated: solve the model
over the patterns found so far (the *restricted* model), price the best patterns of each
fleet-day against its duals (an exact search, ``best_patterns``), add those that improve
it, and repeat. The first duals come from the pooled bound LP.

The bound is not the restricted model's optimum but a Lagrangian bound computed here from
duals (``dual_bound``): for *any* duals of the right signs, the rows' right-hand sides plus
each column's most negative contribution within its bounds, with the airframes of each
fleet-day kept as a constraint (patterns ≤ airframes, so the patterns add at least
airframes × the best pattern's reduced cost, found by the exact search). It holds at every
iteration, whether or not the generation has converged or the solver's duals are exact; at
convergence it is the exact pattern model's optimum.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import highspy
import numpy as np
import numpy.typing as npt
from scipy import sparse

from custodia.transfers import model as m
from custodia.transfers.operation import Operation
from custodia.transfers.routes import Fleet, SortieRoute

FloatArray = npt.NDArray[np.float64]
Pattern = tuple[str, ...]  # leg keys, sorted
Column = tuple[int, int, Pattern]  # fleet index, day, pattern

# The checker accepts a leg starting up to 1e-3 h before the airframe is free and a return
# up to 1e-3 h past the duty window: the bound's search lets a pattern run this much over
# (more patterns: the bound can only weaken). The schedule drops a leg from such a pattern.
FIT_SLACK_HOURS = 0.02
# A pattern enters the restricted model if its reduced cost is below -MIN_GAIN (relative).
MIN_GAIN = 1e-7
# Pricing also at this mix of the duals of the best bound so far and the current ones
# (Wentges smoothing: the simplex's duals jump between vertices of a degenerate face).
SMOOTHING = 0.5


@dataclass
class Leg:
    key: str
    flight: float
    duty: float  # block hours plus the refuel after it
    gain: float  # what one more of it is worth under the duals


@dataclass
class Mixed:
    """A solution of the restricted model: airframe-days per (fleet, day, pattern) and the
    detainees leaving per (point, risk slot, day), as in ``model.Solved``."""

    z: dict[Column, float]
    y: dict[tuple[int, int, int], float]


@dataclass
class Generated:
    bound: float  # -inf where none was proven (a window, or no optimum)
    restricted: float  # the restricted model's optimum, whiskers subtracted
    mixed: Mixed | None
    iterations: int
    columns: int
    seconds: float
    converged: bool
    status: str
    history: list[tuple[float, float]] = field(default_factory=list)  # (restricted, bound)
    # The first restricted model's solution (over the patterns the first duals price best):
    # what the dive starts from (see ``solver._pattern_dive``).
    first: Mixed | None = None


def best_patterns(
    legs: list[Leg], max_flight: float, max_duty: float, keep: int = 1
) -> list[tuple[float, list[str]]]:
    """The ``keep`` non-empty multisets of ``legs`` with the most gain within
    ``max_flight`` flight hours and ``max_duty`` duty hours, best first; the first is the
    best of all (exact: depth-first, pruned by the fractional bound of each resource).
    [(0.0, [])] if no leg gains."""
    legs = sorted((x for x in legs if x.gain > 0), key=lambda x: -x.gain / x.duty)
    if not legs:
        return [(0.0, [])]
    by_duty = [0.0] * (len(legs) + 1)  # the best gain per hour from leg i on
    by_flight = [0.0] * (len(legs) + 1)
    for i in range(len(legs) - 1, -1, -1):
        by_duty[i] = max(by_duty[i + 1], legs[i].gain / legs[i].duty)
        ratio = legs[i].gain / legs[i].flight if legs[i].flight > 0 else math.inf
        by_flight[i] = max(by_flight[i + 1], ratio)
    found: list[tuple[float, list[str]]] = []
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


def legs_of(f: Fleet) -> dict[str, SortieRoute]:
    """Every leg an airframe of the fleet can fly, by key: direct sorties by loading point,
    holding legs by their leg key."""
    return {**f.routes, **f.hold_legs}


def _limits(op: Operation, f: Fleet) -> tuple[float, float]:
    return (
        f.kind.max_flight_hours + FIT_SLACK_HOURS,
        op.duty_hours + op.refuel_hours + FIT_SLACK_HOURS,
    )


@dataclass
class _Master:
    """The restricted model: the LP, its rows, its matrix before any pattern was added."""

    inst: m.Instance
    lp: highspy.HighsLp
    layout: m.Layout
    matrix: sparse.csc_matrix
    solver: highspy.Highs
    columns: list[Column]  # added patterns, in column order after the layout's
    seen: set[Column]

    def add(self, patterns: list[tuple[int, int, list[str]]]) -> int:
        inst, layout = self.inst, self.layout
        point_of = {p.key: gi for gi, p in enumerate(inst.points)}
        added = 0
        for fi, day, pattern in patterns:
            key = (fi, day, tuple(sorted(pattern)))
            if key in self.seen or (fi, day) not in layout.fleet_rows:
                continue
            self.seen.add(key)
            self.columns.append(key)
            f = inst.fleets[fi]
            entries: dict[int, float] = {layout.fleet_rows[fi, day]: 1.0}
            for leg in pattern:
                if leg in f.hold_legs:
                    row = layout.leg_rows[fi, leg, day]
                    entries[row] = entries.get(row, 0.0) - 1.0
                    continue
                seats, heads = layout.point_rows[point_of[leg], day]
                entries[seats] = entries.get(seats, 0.0) - f.kind.seats
                heads_each = f.kind.seats - inst.op.guards.min_guards
                entries[heads] = entries.get(heads, 0.0) - heads_each
            cost = 1e-6 * sum(legs_of(f)[k].flight_hours for k in pattern)
            rows = sorted(entries)
            self.solver.addCol(
                cost,
                0.0,
                highspy.kHighsInf,
                len(rows),
                np.array(rows, dtype=np.int32),
                np.array([entries[r] for r in rows]),
            )
            added += 1
        return added


def dual_bound(
    master: _Master, row_dual: FloatArray, keep: int = 1
) -> tuple[float, dict[tuple[int, int], list[tuple[float, list[str]]]]]:
    """The Lagrangian bound for ``row_dual`` (each clipped to its right sign) and the best
    patterns of each fleet-day under them. Any plan's exposure is at least the bound: for
    every column of a plan mapped onto the model, its cost is its reduced cost plus its
    rows' duals; the rows' side sums are within their limits (the duals' signs), each
    column within its bounds, and the airframe-days of a fleet-day are at most its
    airframes, each at a pattern's reduced cost, no less than the best pattern's."""
    inst, lp, layout, matrix = master.inst, master.lp, master.layout, master.matrix
    lower = np.asarray(lp.row_lower_)
    upper = np.asarray(lp.row_upper_)
    y = np.asarray(row_dual, dtype=np.float64).copy()
    y[(y < 0) & ~np.isfinite(upper)] = 0.0
    y[(y > 0) & ~np.isfinite(lower)] = 0.0
    y[list(layout.fleet_rows.values())] = 0.0  # kept as a constraint, not priced
    active = y != 0
    total = float(lp.offset_) + float(np.dot(y[active], np.where(y < 0, upper, lower)[active]))
    reduced = np.asarray(lp.col_cost_) - matrix.T @ y
    col_upper = np.asarray(lp.col_upper_)
    others = np.ones(len(reduced), dtype=bool)
    others[list(layout.z_index.values())] = False  # patterns: priced below
    negative = others & (reduced < 0)
    total += float(np.dot(reduced[negative], col_upper[negative]))
    point_of = {p.key: gi for gi, p in enumerate(inst.points)}
    heads_of = {f.key: f.kind.seats - inst.op.guards.min_guards for f in inst.fleets}
    priced = {}
    for fi, day in layout.fleet_rows:
        f = inst.fleets[fi]
        legs = []
        for key, route in legs_of(f).items():
            if key in f.hold_legs:
                value = -y[layout.leg_rows[fi, key, day]]
            else:
                seats, heads = layout.point_rows[point_of[key], day]
                value = -y[seats] * f.kind.seats - y[heads] * heads_of[f.key]
            duty = route.block_hours + inst.op.refuel_hours
            legs.append(Leg(key, route.flight_hours, duty, value - 1e-6 * route.flight_hours))
        best = best_patterns(legs, *_limits(inst.op, f), keep=keep)
        priced[fi, day] = best
        total -= len(inst.avail[f.key, day]) * best[0][0]
    return total - layout.whisker_max, priced


def _caps(inst: m.Instance, lp: highspy.HighsLp, layout: m.Layout, people: float) -> None:
    """Finite upper bounds, true of every plan, on the columns other than patterns (the
    Lagrangian bound charges a column with a negative reduced cost at its upper bound)."""
    upper = np.asarray(lp.col_upper_, dtype=np.float64).copy()
    for index in (layout.y_index, layout.s_index, layout.t_index, layout.i_index):
        for col in index.values():
            upper[col] = min(upper[col], people)
    op = inst.op
    for (fi, key, day), col in layout.x_index.items():
        f = inst.fleets[fi]
        duty = f.hold_legs[key].block_hours + op.refuel_hours
        per_airframe = math.floor(_limits(op, f)[1] / duty)
        upper[col] = min(upper[col], per_airframe * len(inst.avail[f.key, day]))
    lp.col_upper_ = upper


def _seeds(inst: m.Instance, layout: m.Layout) -> list[tuple[int, int, list[str]]]:
    """Patterns to start from besides the direct ones: each holding leg alone, and as many
    of it as fit a day (so that the first restricted model can shuttle and trunk)."""
    out = []
    for fi, day in layout.fleet_rows:
        f = inst.fleets[fi]
        max_flight, max_duty = _limits(inst.op, f)
        for key, leg in f.hold_legs.items():
            n = math.floor(max_duty / (leg.block_hours + inst.op.refuel_hours))
            if leg.flight_hours > 0:
                n = min(n, math.floor(max_flight / leg.flight_hours))
            out.append((fi, day, [key]))
            if n > 1:
                out.append((fi, day, [key] * n))
    return out


def carry_duals(master: _Master, pooled: FloatArray) -> FloatArray:
    """Duals for the exact model from the pooled bound model's (``pooled``: its duals of the
    rows past the fleets', the same rows in the same order in both): each holding leg's row
    prices the leg at what its seats are worth there."""
    layout = master.layout
    first = min(seats for seats, _ in layout.point_rows.values())
    y = np.zeros(master.lp.num_row_)
    y[first:] = pooled
    reduced = np.asarray(master.lp.col_cost_) - master.matrix.T @ y
    for key, row in layout.leg_rows.items():
        y[row] = min(0.0, float(reduced[layout.x_index[key]]))
    return y


class Generation:
    """Column generation over one model (see ``generate``): ``run`` iterates and may be
    called again to go on (in another thread, once a solution was taken with ``result``)."""

    def __init__(
        self,
        inst: m.Instance,
        *,
        first_day: int,
        remaining: dict[str, dict[int, int]] | None,
        last_day: int | None = None,
        stock: dict[tuple[str, bool, int], int] | None = None,
        pool: set[Column] | None = None,
        pooled: Callable[[], FloatArray | None] | None = None,
        keep: int = 8,
        tolerance: float = 1e-3,
    ) -> None:
        self.started = time.perf_counter()
        lp, layout, _ = m.build_model(
            inst,
            conservative=False,
            first_day=first_day,
            remaining=remaining,
            bound=True,
            exact=True,
            last_day=last_day,
            stock=stock,
        )
        # A holding leg's whisker is charged twice here (its leg column and its pattern's):
        # twice the most any plan's whiskers come to keeps the bound below its exposure.
        layout.whisker_max *= 2
        supply = m.supply_counts(inst, remaining)
        people = sum(map(sum, supply)) + sum(len(v) for v in inst.held.values())
        _caps(inst, lp, layout, float(people + sum((stock or {}).values())))
        a = lp.a_matrix_
        matrix = sparse.csc_matrix(
            (np.asarray(a.value_), np.asarray(a.index_), np.asarray(a.start_)),
            shape=(lp.num_row_, lp.num_col_),
        )
        solver = m.new_solver()
        solver.passModel(lp)
        seen = {
            (fi, d, tuple(sorted(inst.fleets[fi].patterns[pi]))) for fi, pi, d in layout.z_index
        }
        self.master = _Master(inst, lp, layout, matrix, solver, [], seen)
        self.proving = last_day is None
        self.keep, self.tolerance = keep, tolerance
        self.best = -math.inf
        self.history: list[tuple[float, float]] = []
        self.center: FloatArray | None = None  # the duals of the best bound so far
        self.iterations, self.converged, self.status, self.restricted = 0, False, "", math.inf
        self.first: Mixed | None = None
        # sorted: a set of strings iterates in a per-process order (hash seeds), and the
        # column order decides which of equal optima the solver returns: the same plan
        # for the same operation, run after run
        start = _seeds(inst, layout) + [(fi, d, list(p)) for fi, d, p in sorted(pool or ())]
        carried = pooled() if pooled is not None else None
        if carried is not None:
            # The first restricted model starts with the patterns these duals price best:
            # far closer to the optimum than the seeds alone (6.69 M against 7.49 M on the
            # default operation's first solve; added after it, the next simplex crawled).
            self.center = carry_duals(self.master, carried)
            value, priced = dual_bound(self.master, self.center, keep)
            self.best = value if self.proving else self.best
            start += [(fi, d, p) for (fi, d), options in priced.items() for _, p in options if p]
        self.master.add(start)
        solver.setOptionValue("solver", "ipm")  # then the simplex, warm, as patterns come in

    @property
    def done(self) -> bool:
        return self.converged or (bool(self.status) and self.status != "Optimal")

    def run(self, *, deadline: float, max_iterations: int = 100) -> None:
        master, layout = self.master, self.master.layout
        stop = self.iterations + max_iterations
        while not self.done and self.iterations < stop:
            if self.iterations and time.perf_counter() > deadline:
                break
            self.iterations += 1
            master.solver.run()
            master.solver.setOptionValue("solver", "simplex")
            self.status = master.solver.modelStatusToString(master.solver.getModelStatus())
            if self.status != "Optimal":
                break
            info = master.solver.getInfo()
            self.restricted = float(info.objective_function_value) - layout.whisker_max
            if self.first is None:
                self.first = _solution(master)
            row_dual = np.asarray(master.solver.getSolution().row_dual)
            tried = [row_dual]
            if self.center is not None and SMOOTHING:
                tried.append(SMOOTHING * self.center + (1 - SMOOTHING) * row_dual)
            improving = []
            bound = -math.inf
            for duals in tried:
                value, priced = dual_bound(master, duals, self.keep)
                bound = max(bound, value)
                if value > self.best:
                    self.best, self.center = value, duals
                for (fi, day), options in priced.items():
                    airframes = duals[layout.fleet_rows[fi, day]]
                    for gain, pattern in options:
                        if pattern and gain + airframes > MIN_GAIN * max(1.0, gain):
                            improving.append((fi, day, pattern))
            self.history.append((round(self.restricted, 3), round(bound, 3)))
            gap = self.restricted - self.best
            if (self.proving and gap <= self.tolerance * abs(self.restricted)) or not (
                master.add(improving)
            ):
                self.converged = True

    def result(self, pool: set[Column] | None = None) -> Generated:
        """The bound so far and the restricted model's solution (its patterns into
        ``pool``)."""
        ok = self.status == "Optimal"
        if pool is not None:
            pool.update(self.master.columns)
        return Generated(
            self.best if self.proving else -math.inf,
            self.restricted,
            _solution(self.master) if ok else None,
            self.iterations,
            self.master.layout.n_cols + len(self.master.columns),
            time.perf_counter() - self.started,
            self.converged,
            self.status,
            list(self.history),
            self.first,
        )


def generate(
    inst: m.Instance,
    *,
    first_day: int,
    remaining: dict[str, dict[int, int]] | None,
    deadline: float,
    last_day: int | None = None,
    stock: dict[tuple[str, bool, int], int] | None = None,
    pool: set[Column] | None = None,
    pooled: Callable[[], FloatArray | None] | None = None,
    max_iterations: int = 100,
    keep: int = 8,
    tolerance: float = 1e-3,
) -> Generated:
    """Generate patterns from ``first_day`` (to ``last_day``: a window that steers, no bound)
    until the restricted optimum and the bound meet (``tolerance``, relative), no pattern
    improves, ``max_iterations`` or ``deadline`` (``time.perf_counter()``). ``pool``: the
    patterns found so far, seeded and added to. ``pooled``: called once the model is built,
    the pooled bound LP's row duals past the fleets' rows (or None): the first pricing's
    duals (that LP may be solving meanwhile, in another thread)."""
    generation = Generation(
        inst,
        first_day=first_day,
        remaining=remaining,
        last_day=last_day,
        stock=stock,
        pool=pool,
        pooled=pooled,
        keep=keep,
        tolerance=tolerance,
    )
    generation.run(deadline=deadline, max_iterations=max_iterations)
    return generation.result(pool)


def _solution(master: _Master) -> Mixed:
    inst, layout = master.inst, master.layout
    values = np.asarray(master.solver.getSolution().col_value)
    z: dict[Column, float] = {}
    for (fi, pi, day), col in layout.z_index.items():
        if values[col] > 1e-7:
            key = (fi, day, tuple(sorted(inst.fleets[fi].patterns[pi])))
            z[key] = z.get(key, 0.0) + float(values[col])
    for k, key in enumerate(master.columns):
        value = float(values[layout.n_cols + k])
        if value > 1e-7:
            z[key] = z.get(key, 0.0) + value
    y = {k: float(values[c]) for k, c in layout.y_index.items() if values[c] > 1e-7}
    return Mixed(z, y)
