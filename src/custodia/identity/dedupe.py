"""Batch de-duplication with Splink (Fellegi-Sunter, m/u trained by EM, DuckDB backend).

Each record becomes one row of features built by our name model: the skeleton of the given
name (ism), of the family/nisba part, every name key as an array, the kunya, the date of
birth as a range (year-only dates are evidence, not missing), nationality and the mother's
name skeleton. Splink's SQL runs unchanged on Spark (see docs/identity.md) past one machine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from custodia.identity.names import parse_name
from custodia.identity.scoring import Profile

Progress = Callable[[int, int, str | None], None]


def features(profiles: Sequence[Profile]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for p in profiles:
        primary = next((n for n in p.names if n.kind == "primary"), p.names[0] if p.names else None)
        tokens = [t for t in primary.parsed.tokens if t.role == "name"] if primary else []
        kunya = ""
        for name in p.names:
            parts = [t.skeleton for t in name.parsed.tokens if t.role == "kunya"]
            if parts:
                kunya = parts[0]
                break
        mother = ""
        if p.mother:
            mt = parse_name(p.mother).tokens
            mother = mt[0].skeleton if mt else ""
        dob_exact = None
        year_lo = year_hi = None
        if p.dob:
            lo, hi = dt.date.fromordinal(p.dob[0]), dt.date.fromordinal(p.dob[1])
            dob_exact = lo.isoformat() if lo == hi else None
            year_lo, year_hi = lo.year, hi.year
        rows.append(
            {
                "unique_id": p.ident,
                "ism": tokens[0].skeleton if tokens else None,
                "father": tokens[1].skeleton if len(tokens) > 2 else None,
                "family": tokens[-1].skeleton if len(tokens) > 1 else None,
                "keys": sorted(p.keys) or None,
                "kunya": kunya or None,
                "dob": dob_exact,
                "year_lo": year_lo,
                "year_hi": year_hi,
                "nationality": p.nationalities[0] if p.nationalities else None,
                "mother": mother or None,
            }
        )
    return rows


def predict_pairs(
    profiles: Sequence[Profile], *, threshold: float, progress: Progress | None = None
) -> list[tuple[int, int, float, dict[str, Any]]]:
    """(id a, id b, match probability, evidence) of the candidate pairs at or above
    ``threshold``."""
    import pandas as pd  # type: ignore[import-untyped]
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    def step(i: int, what: str) -> None:
        if progress:
            progress(i, 6, what)

    step(0, "building features")
    frame = pd.DataFrame(features(profiles))
    if len(frame) < 2:
        return []
    year_overlap = cl.CustomComparison(
        output_column_name="date_of_birth",
        comparison_levels=[
            cll.NullLevel("year_lo"),
            cll.ExactMatchLevel("dob"),
            cll.CustomLevel(
                "year_lo_l <= year_hi_r AND year_lo_r <= year_hi_l",
                label_for_charts="date ranges overlap",
            ),
            cll.CustomLevel("abs(year_lo_l - year_lo_r) <= 1", label_for_charts="within a year"),
            cll.ElseLevel(),
        ],
    )
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=[
            cl.ExactMatch("ism").configure(term_frequency_adjustments=True),
            cl.ExactMatch("father").configure(term_frequency_adjustments=True),
            cl.JaroWinklerAtThresholds("family", [0.92]).configure(term_frequency_adjustments=True),
            cl.ArrayIntersectAtSizes("keys", [3, 2, 1]),
            cl.ExactMatch("kunya"),
            year_overlap,
            cl.ExactMatch("nationality"),
            cl.ExactMatch("mother").configure(term_frequency_adjustments=True),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("ism", "family"),
            block_on("ism", "father"),
            block_on("family", "father"),
            block_on("dob"),
            block_on("kunya", "year_lo"),
            block_on("mother", "ism"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(frame, settings, db_api=DuckDBAPI())
    step(1, "estimating the prior")
    linker.training.estimate_probability_two_random_records_match(
        [block_on("ism", "family", "dob")], recall=0.6
    )
    step(2, "estimating u (random pairs)")
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    step(3, "EM training")
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("dob"), estimate_without_term_frequencies=True
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("ism", "family"), estimate_without_term_frequencies=True
    )
    step(4, "predicting")
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    result = predictions.as_pandas_dataframe()  # type: ignore[no-untyped-call]
    step(5, "collecting pairs")
    out: list[tuple[int, int, float, dict[str, Any]]] = []
    gammas = [c for c in result.columns if c.startswith("gamma_")]
    for row in result.itertuples(index=False):
        data = row._asdict()
        a, b = int(data["unique_id_l"]), int(data["unique_id_r"])
        evidence = {
            "match_weight": round(float(data["match_weight"]), 3),
            "levels": {g[6:]: int(data[g]) for g in gammas if g in data},
        }
        out.append((min(a, b), max(a, b), float(data["match_probability"]), evidence))
    step(6, "done")
    return out


def clusters(pairs: Sequence[tuple[int, int]], ids: Sequence[int]) -> dict[int, int]:
    """Connected components: record -> smallest id of its cluster."""
    parent = {i: i for i in ids}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {i: find(i) for i in ids}
