"""The planner's alternatives, measured on one instance (figures behind docs/transfers.md):
LP algorithm for the bound (dual simplex vs interior point), and primal methods (greedy,
one LP rounded, rolling LP dives with several steps and windows), each with its exposure,
gap to the bound and time.

Default instance: ``synthetic_operation(seed=1)`` (6,000 detainees, 25 sites, 16 aircraft,
30 days); ``--operation FILE`` plans a description instead (e.g. from ``custodia scenario
operation``).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from custodia.transfers import model as m
from custodia.transfers import solver
from custodia.transfers.greedy import greedy_sorties
from custodia.transfers.operation import load_operation
from custodia.transfers.synthetic import synthetic_operation
from harness import emit, log, machine_info


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--operation", type=Path)
    args = parser.parse_args()
    machine = machine_info()
    op = load_operation(args.operation) if args.operation else synthetic_operation(seed=1)
    inst = m.build_instance(op)
    lp_times: dict[str, float] = {}
    bound = 0.0
    for name, options in (("dual_simplex", {"solver": "simplex"}), ("ipm_crossover", {})):
        lp, layout, _ = m.build_model(inst, conservative=False, bound=True)
        highs = m.new_solver()
        started = time.perf_counter()
        if options:
            lp.integrality_ = []
            highs.setOptionValue("solver", options["solver"])
            highs.passModel(lp)
            highs.run()
            value = m.read_solution(highs, layout).objective
        else:
            value = m.solve(highs, lp, layout).objective
        lp_times[name] = round(time.perf_counter() - started, 2)
        bound = value - layout.whisker_max
        log(f"bound LP {name}: {value:,.0f} in {lp_times[name]} s")
    methods: dict[str, Any] = {}
    started = time.perf_counter()
    greedy = solver.exposure(inst, solver._moves(greedy_sorties(inst)))
    methods["greedy"] = {"exposure": greedy, "seconds": round(time.perf_counter() - started, 2)}
    for name, step, window in (
        ("one_lp_rounded", op.horizon_days, None),
        ("dive_step1_full", 1, None),
        ("dive_step2_full", 2, None),
        ("dive_step4_full", 4, None),
        ("dive_step2_window8", 2, 8),
        ("dive_step4_window8", 4, 8),
    ):
        started = time.perf_counter()
        result = solver.optimise(inst, time_limit=600, step=step, window=window)
        value = solver.exposure(inst, solver._moves(result["sorties"]))
        methods[name] = {
            "exposure": value,
            "seconds": round(time.perf_counter() - started, 2),
            "lp_solves": result["stats"]["lp_solves"],
        }
        log(f"{name}: {value:,.0f}")
    for figures in methods.values():
        figures["gap_to_bound"] = round(1 - bound / figures["exposure"], 5)
        figures["vs_greedy"] = round(1 - figures["exposure"] / greedy, 5)
    emit(
        {
            "benchmark": "transfers_alternatives",
            "machine": machine,
            "instance": op.name,
            "detainees": sum(len(s.detainees) for s in op.sites),
            "lower_bound": bound,
            "bound_lp_seconds": lp_times,
            "methods": methods,
        }
    )


if __name__ == "__main__":
    main()
