"""The planner: proven lower bound, primal plan, manifests, the greedy comparison, and the
plan document.

1. Bound: the LP relaxation of the aggregate model with exact capacities, in its bound form
   (each airframe's flight hours and duty pooled over its whole day, so a day that mixes
   direct sorties and holding legs, as the scheduler's spare-hours fill does, is in it)
   (HiGHS, interior point). Any feasible plan's exposure is at least this. On models of
   at most ``model.BOUND_MIP_MAX_COLUMNS`` columns (small operations) also the same model
   as a MIP with the airframe and leg counts integral (they are in every plan), within
   ``model.BOUND_MIP_MAX_NODES`` nodes and 30 % of the time limit (at most
   ``model.BOUND_MIP_MAX_SECONDS``): the bound is the larger of the LP optimum and HiGHS's
   proven MIP dual bound (less a relative 1e-6 for its tolerances). Where the time limit
   stops the MIP before the node limit, the figure depends on the machine's load; it is a
   bound either way. The default and large operations are above the size limit (there the
   MIP's root LP alone takes ~25 s and its root cuts added 0.26 % in 130 s): LP bound only.
   With holding, on operations small enough for the time limit (``_patterns_pay``: the
   default one, not a 5 s re-plan nor the large one), also the Lagrangian bound of the
   exact airframe-day pattern model by column generation (``columns``), which is tighter
   than pooling the hours; the bound is the larger.
2. Primal: the LP of the conservative model, airframe-day counts rounded (floors, then
   largest fractions on the free airframes), detainee counts re-optimised with the counts
   fixed, then a time-limited MIP on the conservative model started from that rounding
   (HiGHS keeps the better). Manifests and schedules are built for each candidate and the
   one with the lower true exposure (evaluated on individuals) is kept.
   With holding, where the patterns are generated, the dive is steered by the exact-pattern
   model instead of the steering LP (airframe-days that mix direct sorties and holding legs,
   as the model's solution has them; ``_pattern_dive``). With holding, on operations too
   big for a holding dive (``HOLDING_DIVE_MAX_COLUMNS``), the plan flies direct sorties
   only, bounded by the model with holding (``_direct_beside_holding_bound``).
3. Re-planning runs the same steps from a day on, with flown sorties fixed.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import numpy.typing as npt

from custodia.transfers import columns, schemas
from custodia.transfers import model as m
from custodia.transfers.greedy import fly_tail, greedy_sorties
from custodia.transfers.manifest import (
    Loader,
    Sortie,
    fly_out_held,
    held_at_start,
    integer_legs,
    integer_mixed,
    integer_patterns,
    load_day,
    load_trunks,
    retime,
    schedule_day,
    schedule_holding,
    schedule_mixed,
    tier_targets,
    unstrand,
)
from custodia.transfers.operation import Detainee, Operation, dump_operation


def solver_version() -> str:
    solver = m.new_solver()
    return f"HiGHS {solver.version()} (highspy); model custodia.transfers/1"


def exposure(inst: m.Instance, moves: dict[int, int]) -> float:
    """Risk-weighted exposure of the eligible detainees: risk x threat at each day-end still
    at the site, plus the tail charge for anyone never moved."""
    threat = inst.threat
    cumulative = np.concatenate([np.zeros((threat.shape[0], 1)), np.cumsum(threat, axis=1)], 1)
    full = cumulative[:, -1] + inst.stay
    total = 0.0
    for point in inst.points:
        s = point.site_index
        for person in inst.eligible[point.key]:
            day = moves.get(person.id)
            total += person.risk * (full[s] if day is None else cumulative[s, day])
    return float(total)


def run_days(
    loader: Loader,
    solved: m.Solved | columns.Mixed,
    *,
    first_day: int,
    last_day: int,
) -> list[Sortie]:
    """Schedule and load days [first_day, last_day) from a solution of the model (steering,
    or exact patterns) that starts at ``first_day``: its rounded airframe-days and tier
    targets, then idle airframes and spare hours fly whoever is left."""
    inst = loader.inst
    targets = tier_targets(inst, solved.y)
    loader.moved_by_tier.clear()  # targets count from the model's first day
    out: list[Sortie] = []
    if isinstance(solved, columns.Mixed):
        mixed = integer_mixed(inst, solved.z)
    else:
        patterns = integer_patterns(inst, solved.z)
        legs = integer_legs(inst, solved.x)
    for day in range(first_day, last_day):
        taken: set[str] = set()
        if isinstance(solved, columns.Mixed):
            sorties = schedule_mixed(inst, day, mixed.get(day, {}), taken)
        else:
            sorties = schedule_day(inst, day, patterns.get(day, {}), taken)
            sorties += schedule_holding(inst, day, legs.get(day, {}), taken)
        load_trunks(loader, sorties)
        load_day(loader, sorties, targets.get(day, {}))
        sorties = retime(inst.op, sorties)
        flying: dict[str, list[Sortie]] = defaultdict(list)
        for s in sorties:
            flying[s.tail].append(s)
        for fleet in inst.fleets:
            for tail in inst.avail[fleet.key, day]:
                # Idle airframes and spare hours of flying ones carry whoever is left.
                sorties.extend(fly_tail(loader, fleet, tail, day, flying.get(tail)))
        out.extend(sorties)
    return out


def _moves(sorties: list[Sortie]) -> dict[int, int]:
    """Person id -> the day they leave their site (a trunk out of holding is not that)."""
    return {p.id: s.day for s in sorties if not s.trunk for p in s.people}


def _supply_left(loader: Loader) -> dict[str, dict[int, int]]:
    out: dict[str, dict[int, int]] = {}
    for key, people in loader.remaining.items():
        counts: dict[int, int] = defaultdict(int)
        for person in people:
            counts[person.risk] += 1
        out[key] = dict(counts)
    return out


def _stock(loader: Loader) -> dict[tuple[str, bool, int], int]:
    out: dict[tuple[str, bool, int], int] = defaultdict(int)
    for (h, minor), held in loader.stock.items():
        for x in held:
            out[h, minor, loader.inst.op.guards.tier(x.person.risk)] += 1
    return dict(out)


def optimise(
    inst: m.Instance,
    *,
    time_limit: float,
    first_day: int = 0,
    moved: set[int] | None = None,
    step: int = 4,
    window: int | None = 8,
) -> dict[str, Any]:
    """Bound and plan from ``first_day``. The bound is the optimum of the bound LP (airframe
    hours pooled over whole days: a relaxation of whatever the scheduler flies), raised on
    small models to the proven dual bound of the same model with integral airframe and leg
    counts (see the module docstring). The plan is
    a rolling dive: solve the steering LP (an airframe-day is a pattern or holding duty,
    closer to what the rounding packs; the same LP as the bound without holding), commit
    ``step`` days of rounded sorties and manifests, re-solve from the state they leave (over
    a ``window`` of days: it only steers the next step), and so on; when the time is nearly
    spent the last LP's solution plans the rest (its window, then the first full-horizon
    steering solution the days after)."""
    if inst.holding and not inst.held and not _holding_dive_pays(inst, first_day):
        return _direct_beside_holding_bound(
            inst, time_limit=time_limit, first_day=first_day, moved=moved, step=step, window=window
        )
    started = time.perf_counter()
    loader = Loader.start(inst, moved)
    supply = _supply_left(loader)
    # A re-plan may start with more people in holding than the trunks left can take out
    # (aircraft lost): then the models may leave those held at the start there.
    strand = m.held_counts(inst.held, inst.op)
    sorties: list[Sortie] | None = None
    if inst.holding and _patterns_pay(inst, first_day, time_limit):
        with ThreadPoolExecutor(max_workers=1) as background:
            # HiGHS lets go of the GIL: the pooled bound LP solves while the exact-pattern
            # model is built. (Generating patterns for the bound in the background while the
            # dive planned was tried: on 2 cores the two slowed each other, both got worse.)
            future = background.submit(_bound, inst, first_day, supply, time_limit)
            pool: set[columns.Column] = set()
            full = columns.generate(
                inst,
                first_day=first_day,
                remaining=supply,
                deadline=started + PATTERN_SHARE * time_limit,
                pool=pool,
                pooled=lambda: _duals_past_fleets(future.result()[2], future.result()[3]),
            )
            bound, stats, solved, layout, per_solve = future.result()
        if full.mixed is not None:
            sorties = _pattern_dive(
                inst,
                loader,
                _steering(inst, full.first, full.mixed),
                pool,
                stats,
                started=started,
                time_limit=time_limit,
                first_day=first_day,
                step=step,
            )
        _pattern_stats(stats, full)
        if sorties is not None:  # (otherwise a model the plan may not keep to: see below)
            bound = max(bound, full.bound)
    else:
        bound, stats, solved, layout, per_solve = _bound(inst, first_day, supply, time_limit)
    method = "rolling-pattern-dive" if sorties is not None else "rolling-lp-dive"
    if sorties is None:
        if solved.status != "Optimal" and any(strand.values()):
            bound, stats, solved, layout, per_solve = _bound(
                inst, first_day, supply, time_limit, strand
            )
        sorties = _lp_dive(
            inst,
            loader,
            solved,
            layout,
            stats,
            per_solve,
            strand,
            started=started,
            time_limit=time_limit,
            first_day=first_day,
            supply=supply,
            step=step,
            window=window,
        )
    sorties = unstrand(loader, fly_out_held(loader, sorties, first_day))
    stranded = [(h, held.person) for (h, _), stock in loader.stock.items() for held in stock]
    if stranded and "bound_strands" not in stats:
        # The bound assumed holding emptied by the horizon; this plan cannot: bound the
        # plans that may leave those held at the start there.
        bound, more, _, _, _ = _bound(inst, first_day, supply, time_limit, strand)
        stats.update(more, lp_solves=stats["lp_solves"] + more["lp_solves"])
    stats["dive_step_days"] = step
    stats.setdefault("window_days", window)
    return {
        "sorties": sorties,
        "bound": bound,
        "method": method,
        "stats": stats,
        "stranded": stranded,
    }


# The exact-pattern model plans (with holding) where its detainee columns (loading point x
# risk value x day) are at most this many and the time limit allows this long per column
# (the default operation: 50,000, 25 s; a re-plan's 5 s and the large operation's 650,000
# go to the steering LP's dive).
PATTERN_MAX_COLUMNS = 150_000
PATTERN_SECONDS_PER_COLUMN = 2.5e-4
# Patterns are generated over the whole horizon (the bound, and the patterns the dive's
# windows start from) until this share of the time limit (on the default operation, 25 s:
# to convergence, ~15 s with the pooled LP on a quiet machine); the dive takes the rest.
PATTERN_SHARE = 0.7
# Each window of the exact-pattern dive: its days, and its rounds of pricing. Measured on
# the default operation (4-day steps, from the first restricted solution, the converged
# pool): windows of 8 / 12 / 16 days gave 7.37 / 7.30 / 7.29 M; over it and five synthetic
# operations of its size, 16 days against 12: -0.27 % on average (from -0.9 % to +0.08 %);
# 3-day steps were better on three of the six, worse on three, and take 1.5x as long.
# Earlier, from the converged solution: 1 / 3 / 20 rounds (8 days) 7.39 / 7.40 / 7.43 M.
PATTERN_WINDOW_DAYS = 16
WINDOW_PRICING = 3


def _pattern_stats(stats: dict[str, Any], full: columns.Generated) -> None:
    if math.isfinite(full.bound):
        stats["pattern_bound"] = round(float(full.bound), 3)
    stats.update(
        pattern_status=full.status,
        pattern_lp=round(full.restricted, 3),
        pattern_iterations=full.iterations,
        pattern_columns=full.columns,
        pattern_seconds=round(full.seconds, 2),
        pattern_converged=full.converged,
        lp_solves=stats["lp_solves"] + full.iterations,
    )


def _pattern_dive(
    inst: m.Instance,
    loader: Loader,
    mixed: columns.Mixed,
    pool: set[columns.Column],
    stats: dict[str, Any],
    *,
    started: float,
    time_limit: float,
    first_day: int,
    step: int,
) -> list[Sortie]:
    """The rolling dive steered by the exact-pattern model (``columns``): its solution
    ``mixed`` over the whole horizon, then a window from each step on."""
    stats["window_days"] = PATTERN_WINDOW_DAYS
    horizon = inst.op.horizon_days

    def resolve(day: int) -> tuple[m.Solved | columns.Mixed, int]:
        window = columns.generate(
            inst,
            first_day=day,
            remaining=_supply_left(loader),
            deadline=started + time_limit,
            last_day=day + PATTERN_WINDOW_DAYS,
            stock=_stock(loader),
            pool=pool,
            max_iterations=WINDOW_PRICING,
        )
        stats["lp_solves"] += window.iterations
        if window.mixed is None:  # no optimum: the whole horizon's solution steers on
            return mixed, horizon
        return window.mixed, min(horizon, day + PATTERN_WINDOW_DAYS)

    # the first window is always tried: a few seconds at most
    return _roll(
        loader,
        mixed,
        first_day=first_day,
        step=step,
        started=started,
        time_limit=time_limit,
        per_solve=0.0,
        resolve=resolve,
    )


# Operations with holding whose detainee columns (loading point x risk value x day) are
# more than this are planned with direct sorties only, bounded by the model with holding
# (``_direct_beside_holding_bound``). On the large operation (650,000 columns) the holding
# model's steering LP took 57-94 s and left its dive one LP step: 445.8 M against the
# direct-only dive's 417.7 M (its 15 steps complete), both against the holding bound
# 367.9 M. The default operation (50,000) plans with holding: 7.29 M against 11.50 M.
HOLDING_DIVE_MAX_COLUMNS = 150_000


def _holding_dive_pays(inst: m.Instance, first_day: int) -> bool:
    return _detainee_columns(inst, first_day) <= HOLDING_DIVE_MAX_COLUMNS


def _detainee_columns(inst: m.Instance, first_day: int) -> int:
    """The models' detainee columns from ``first_day``: loading point x risk value x day."""
    return sum(len(p.risks) for p in inst.points) * (inst.op.horizon_days - first_day)


def _direct_beside_holding_bound(
    inst: m.Instance,
    *,
    time_limit: float,
    first_day: int,
    moved: set[int] | None,
    step: int,
    window: int | None,
) -> dict[str, Any]:
    """Plan the operation with its holding areas closed (direct sorties only: a plan the
    operation with holding allows), while the bound LP with holding solves in another
    thread (HiGHS lets go of the GIL; on 2 cores each has one): the bound is that model's,
    as the plan is one of those it bounds."""
    closed = m.build_instance(without_holding(inst.op))
    supply = _supply_left(Loader.start(inst, moved))
    with ThreadPoolExecutor(max_workers=1) as background:
        future = background.submit(_bound, inst, first_day, supply, time_limit)
        result = optimise(
            closed,
            time_limit=time_limit,
            first_day=first_day,
            moved=moved,
            step=step,
            window=window,
        )
        bound, stats, _, _, _ = future.result()
    direct = result["stats"]
    stats.update(
        lp_solves=stats["lp_solves"] + direct["lp_solves"],
        plan_without_holding=True,
        direct_bound_lp=direct["bound_lp"],
        direct_bound_lp_seconds=direct["bound_lp_seconds"],
        dive_step_days=direct["dive_step_days"],
        window_days=direct["window_days"],
    )
    return {**result, "bound": bound, "stats": stats, "method": "rolling-lp-dive-direct-only"}


def without_holding(op: Operation) -> Operation:
    """The operation with every staging airfield's holding area closed."""
    staging = [s.model_copy(update={"holding_capacity": 0}) for s in op.staging]
    return op.model_copy(update={"staging": staging})


def _steering(
    inst: m.Instance, first: columns.Mixed | None, converged: columns.Mixed
) -> columns.Mixed:
    """The solution the pattern dive starts from: the first restricted model's (over the
    patterns the pooled duals price best; dives from it were 0.3-2 % better than from the
    converged model on the default operation and four synthetic ones of its size), except
    when detainees are already in holding (a re-plan): their trunks out are a must, whose
    rounding from the first solution left one stranded on a small operation where the
    converged model's did not."""
    if first is not None and not any(inst.held.values()):
        return first
    return converged


def _patterns_pay(inst: m.Instance, first_day: int, time_limit: float) -> bool:
    n = _detainee_columns(inst, first_day)
    return n <= PATTERN_MAX_COLUMNS and time_limit >= n * PATTERN_SECONDS_PER_COLUMN


def _duals_past_fleets(solved: m.Solved, layout: m.Layout) -> npt.NDArray[np.float64] | None:
    """The pooled bound LP's duals of the rows after the fleets' (``columns.carry_duals``)."""
    if solved.status != "Optimal" or solved.row_dual is None or not layout.point_rows:
        return None
    first = min(seats for seats, _ in layout.point_rows.values())
    return solved.row_dual[first:]


def _lp_dive(
    inst: m.Instance,
    loader: Loader,
    solved: m.Solved,
    layout: m.Layout,
    stats: dict[str, Any],
    per_solve: float,
    strand: dict[tuple[str, bool, int], int],
    *,
    started: float,
    time_limit: float,
    first_day: int,
    supply: dict[str, dict[int, int]],
    step: int,
    window: int | None,
) -> list[Sortie]:
    """The rolling dive steered by the steering LP (see ``optimise``)."""
    steered = not (inst.holding or layout.e_index)
    if not steered:
        # The bound LP's airframes mix patterns and holding legs (or fly past the patterns):
        # steered by it, the dive packed measurably worse (+3.8 % exposure on 40 random
        # instances), so the dive starts from the steering LP over the whole horizon.
        tick = time.perf_counter()
        solved = _steer(inst, strand, first_day=first_day, remaining=supply)
        stats["steering_lp_seconds"] = round(solved.seconds, 2)
        stats["lp_solves"] += 1
        per_solve = time.perf_counter() - tick
    horizon = inst.op.horizon_days
    if window:
        # A window LP covers a fraction of the days: expect a fraction of the time.
        per_solve *= min(1.0, window / max(1, horizon - first_day))

    def resolve(day: int) -> tuple[m.Solved | columns.Mixed, int]:
        # Later steps only steer the next days: a window LP is a fraction of the size.
        steering = _steer(
            inst,
            _held_left(loader),
            first_day=day,
            remaining=_supply_left(loader),
            last_day=day + window if window else None,
            stock=_stock(loader),
        )
        stats["lp_solves"] += 1
        return steering, min(horizon, day + window) if window else horizon

    return _roll(
        loader,
        solved,
        first_day=first_day,
        step=step,
        started=started,
        time_limit=time_limit,
        per_solve=per_solve,
        resolve=resolve,
    )


def _roll(
    loader: Loader,
    full: m.Solved | columns.Mixed,
    *,
    first_day: int,
    step: int,
    started: float,
    time_limit: float,
    per_solve: float,
    resolve: Callable[[int], tuple[m.Solved | columns.Mixed, int]],
) -> list[Sortie]:
    """The rolling dive: fly ``step`` days of the current solution (``full``, over the whole
    horizon, at first), then ``resolve`` from the day reached (a solution and the last day,
    exclusive, it plans), until the horizon; when the time left would not hold another
    solve (as long as the last one took), the current solution plans the rest."""
    horizon = loader.inst.op.horizon_days
    solved, covered, day = full, horizon, first_day
    sorties: list[Sortie] = []
    while day < horizon:
        out_of_time = time.perf_counter() - started + per_solve * 1.2 > time_limit
        last = horizon if out_of_time else min(horizon, day + step)
        sorties.extend(run_days(loader, solved, first_day=day, last_day=min(last, covered)))
        if last > covered:
            # A window plans its window only: past it, the full-horizon solution steers
            # (without it a truncated dive left those days to the idle-airframe fill, and
            # measured 5-10 % worse on the large instance).
            sorties.extend(run_days(loader, full, first_day=covered, last_day=last))
        day = last
        if day >= horizon or not (any(loader.remaining.values()) or any(loader.stock.values())):
            break
        tick = time.perf_counter()
        solved, covered = resolve(day)
        per_solve = time.perf_counter() - tick
    return sorties


def _bound(
    inst: m.Instance,
    first_day: int,
    supply: dict[str, dict[int, int]],
    time_limit: float,
    strand: dict[tuple[str, bool, int], int] | None = None,
) -> tuple[float, dict[str, Any], m.Solved, m.Layout, float]:
    """The lower bound from ``first_day`` (see ``optimise``): the bound, its stats, the bound
    LP's solution and layout, and the seconds it took. With ``strand`` (at no cost: any
    plan may leave those in holding) it bounds plans that do not empty the holding areas."""
    started = time.perf_counter()
    lp, layout, _ = m.build_model(
        inst, conservative=False, first_day=first_day, remaining=supply, bound=True, strand=strand
    )
    # With holding (or sorties past the patterns) the bound LP only bounds: its solution
    # steers nothing, so no crossover to a vertex (a third faster on the default operation,
    # same optimum to 1e-9).
    steered = not (inst.holding or layout.e_index)
    solver = m.new_solver()
    if not steered:
        solver.setOptionValue("run_crossover", "off")
    solved = m.solve(solver, lp, layout)
    if solved.status != "Optimal" and not steered:  # IPM alone did not finish: cross over
        solved = m.solve(m.new_solver(), lp, layout)
    bound = solved.objective - layout.whisker_max
    stats: dict[str, Any] = {
        "bound_lp_seconds": round(solved.seconds, 2),
        "bound_lp": round(bound, 3),
        "columns": layout.n_cols,
        "rows": int(lp.num_row_),
        "lp_solves": 1,
    }
    if strand:
        stats["bound_strands"] = True
    if solved.status != "Optimal":
        # No proven optimum (an infeasible model): exposure is never negative, so 0 is the
        # bound on what is still to come (the caller adds the exposure already fixed).
        bound = 0.0
        stats["bound_lp_status"] = solved.status
    per_solve = time.perf_counter() - started  # the LP's: the dive's steps are LPs
    if layout.n_cols <= m.BOUND_MIP_MAX_COLUMNS and solved.status == "Optimal":
        # The same model with the airframe and leg counts integral: HiGHS's dual bound is
        # proven whether or not it reaches optimality, and often far above the LP's on small
        # operations (few airframes: fractional ones carry fractional loads). Larger models
        # skip it: on the default operation its root LP alone takes ~25 s and the root cuts
        # added 0.26 % in 130 s.
        value, status, seconds, nodes = m.solve_bound_mip(
            lp,
            layout,
            time_limit=min(m.BOUND_MIP_MAX_SECONDS, 0.3 * time_limit),
            max_nodes=m.BOUND_MIP_MAX_NODES,
        )
        stats["bound_mip_status"] = status
        stats["bound_mip_seconds"] = round(seconds, 2)
        stats["bound_mip_nodes"] = nodes
        if value is not None:
            integral = value - layout.whisker_max - m.BOUND_MIP_MARGIN * max(1.0, abs(value))
            stats["bound_mip"] = round(integral, 3)
            bound = max(bound, integral)
    return bound, stats, solved, layout, per_solve


def _steer(inst: m.Instance, strand: dict[tuple[str, bool, int], int], **kwargs: Any) -> m.Solved:
    """A steering LP's solution; if it has none and persons held at the start are left,
    the same LP letting them stay in holding at a high cost (only those no trunk can take
    stay), so that the dive is still steered."""
    lp, layout, _ = m.build_model(inst, conservative=False, **kwargs)
    solved = m.solve(m.new_solver(), lp, layout)
    if solved.status == "Optimal" or not any(strand.values()):
        return solved
    lp, layout, _ = m.build_model(
        inst,
        conservative=False,
        strand=strand,
        strand_cost=m.strand_penalty(inst),
        **kwargs,
    )
    return m.solve(m.new_solver(), lp, layout)


def _held_left(loader: Loader) -> dict[tuple[str, bool, int], int]:
    """(staging, minor, tier) -> persons still in holding who were there at the start."""
    held: dict[str, list[Detainee]] = defaultdict(list)
    for (h, _), stock in loader.stock.items():
        held[h].extend(x.person for x in held_at_start(stock))
    return m.held_counts(held, loader.inst.op)


def plan_operation(op: Operation, *, time_limit: float = schemas.PLAN_SECONDS) -> dict[str, Any]:
    """Plan an operation from day 0: the plan document (see docs/transfers.md)."""
    started = time.perf_counter()
    inst = m.build_instance(op)
    greedy = greedy_sorties(inst)
    greedy_value = exposure(inst, _moves(greedy))
    result = optimise(inst, time_limit=time_limit, step=4)
    kinds: dict[str, int] = defaultdict(int)
    for s in greedy:
        kinds[s.route.kind] += 1
    result["stats"]["greedy_sorties_by_kind"] = dict(kinds)
    sorties = result["sorties"]
    objective = exposure(inst, _moves(sorties))
    seconds = time.perf_counter() - started
    return plan_document(
        inst,
        sorties=[s.to_json(inst) for s in sorties],
        objective=objective,
        lower_bound=result["bound"],
        greedy_objective=greedy_value,
        seconds=seconds,
        method=result["method"],
        stats=result["stats"],
    )


def plan_document(
    inst: m.Instance,
    *,
    sorties: list[dict[str, Any]],
    objective: float,
    lower_bound: float,
    greedy_objective: float,
    seconds: float,
    method: str,
    stats: dict[str, Any],
    stranded: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """``stranded``: persons a re-plan leaves in holding at the horizon (see ``replan``)."""
    op = inst.op
    sorties.sort(key=lambda s: (s["day"], s["depart_hour"], s["aircraft"], s["id"]))
    moved = {pid for s in sorties for pid in s["manifest"]}
    unmoved = [d.id for ds in inst.eligible.values() for d in ds if d.id not in moved]
    per_aircraft: dict[str, dict[str, float]] = defaultdict(
        lambda: {"sorties": 0, "flight_hours": 0.0}
    )
    for s in sorties:
        per_aircraft[s["aircraft"]]["sorties"] += 1
        per_aircraft[s["aircraft"]]["flight_hours"] += s["flight_hours"]
    gap = (objective - lower_bound) / objective if objective > 0 else 0.0
    relatives = {d.id: d.relatives_staying for site in op.sites for d in site.detainees}
    refs = {d.id: d.assessment_ref for site in op.sites for d in site.detainees}
    return {
        "format": "custodia.plan/1",
        "operation_name": op.name,
        "objective": round(objective, 3),
        "lower_bound": round(lower_bound, 3),
        "gap": round(gap, 5),
        "greedy_objective": round(greedy_objective, 3),
        "improvement_vs_greedy": round(1 - objective / greedy_objective, 5)
        if greedy_objective
        else 0.0,
        "last_arrival_day": max((s["day"] for s in sorties), default=None),
        "moved": len(moved),
        "in_scope": len(moved) + len(unmoved),
        "unmoved": unmoved,
        "held_back": inst.held_back,
        "stranded": stranded or [],
        "plan_seconds": round(seconds, 3),
        "method": method,
        "solver": solver_version(),
        "solver_stats": stats,
        "aircraft": {
            tail: {"sorties": int(v["sorties"]), "flight_hours": round(v["flight_hours"], 2)}
            for tail, v in sorted(per_aircraft.items())
        },
        "sorties": sorties,
        "family_records": [
            {
                "person_id": pid,
                "relative_id": rel,
                "sortie": s["id"],
                "note": "family member stays under another authority",
            }
            for s in sorties
            for pid in s["manifest"]
            for rel in relatives.get(pid, [])
        ],
        "notifications": [
            {
                "sortie": s["id"],
                "day": s["day"],
                "person_id": pid,
                "from": s["origin"],
                "to": s["destination"],
                "risk_assessment_ref": refs.get(pid),
            }
            for s in sorties
            for pid in s["manifest"]
        ],
        "operation": dump_operation(op),
    }
