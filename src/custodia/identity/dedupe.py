"""Batch de-duplication: Splink generates the candidate pairs (its blocking rules, as SQL on
DuckDB; the same SQL runs on Spark past one machine, see docs/identity.md) and each pair is
scored by the matcher that serves search and screening.

Each record becomes one row of features built by our name model: the skeletons of the given
name (ism), the father's name and the family/nisba part, the kunya, the date of birth
(exact day, and its year range), nationality and the mother's name skeleton.

Splink's own Fellegi-Sunter model (m/u by EM on these features, with term-frequency
adjustments) was measured first on the scenario ground truth and scored F1 0.07: its EM
settled on parameters that rank namesakes born the same year above spelling variants. The
scorer here knows transliteration, name order and the weight of each part; it scored
F1 0.81 on the same records. A second pass (side.py) links records known only by a nom de
guerre on the attributes a man keeps (date and place of birth, nationality, mother's name,
kunya), with Fellegi-Sunter weights estimated on the registry itself, and updates name
matches by the kept attributes that disagree: F1 0.91
(benchmarks/results/identity_dedupe.json).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Callable, Sequence
from typing import Any

from custodia.identity.names import parse_name
from custodia.identity.scoring import Profile, Weigher, _weak, score_profiles
from custodia.identity.side import SideModel

Progress = Callable[[int, int, str | None], None]


@functools.lru_cache(maxsize=65536)
def _fold(text: str | None) -> str | None:
    """A name or place reduced to its skeletons ("al-Qaim" = "Al Qaem"), or None."""
    if not text:
        return None
    folded = " ".join(t.skeleton for t in parse_name(text).tokens)
    return folded or None


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
        dob_exact = month = None
        year_lo = year_hi = None
        if p.dob:
            lo, hi = dt.date.fromordinal(p.dob[0]), dt.date.fromordinal(p.dob[1])
            dob_exact = lo.isoformat() if lo == hi else None
            month = f"{lo:%Y-%m}" if (lo.year, lo.month) == (hi.year, hi.month) else None
            year_lo, year_hi = lo.year, hi.year
        rows.append(
            {
                "unique_id": p.ident,
                "ism": tokens[0].skeleton if tokens else None,
                "father": tokens[1].skeleton if len(tokens) > 2 else None,
                "family": tokens[-1].skeleton if len(tokens) > 1 else None,
                "ism2": tokens[0].skeleton[:2] if tokens else None,
                "family2": tokens[-1].skeleton[:2] if len(tokens) > 1 else None,
                "keys": sorted(p.keys) or None,
                "kunya": kunya or None,
                "dob": dob_exact,
                "month": month,
                "year_lo": year_lo,
                "year_hi": year_hi,
                "nationality": p.nationalities[0] if p.nationalities else None,
                "mother": mother or None,
                "mother_full": _fold(p.mother),
                "pob": _fold(p.place_of_birth),
                "weak_only": bool(p.names) and all(_weak(n) for n in p.names),
                "sex": p.sex if p.sex in ("M", "F") else None,
                "category": p.category,
            }
        )
    return rows


# Each rule is an equality join; a rule's pairs grow with the square of its block size, so
# the date rules carry nationality.
BLOCKING_RULES = (
    ("ism", "family2", "year_lo"),
    ("ism2", "family", "year_lo"),
    ("ism", "father", "year_lo"),
    ("father", "family", "year_lo"),
    ("dob", "nationality"),
    ("family", "month", "nationality"),
    ("ism", "month", "nationality"),
    ("kunya", "month"),
    # side attributes, for records known only by a nom de guerre (no name to compare)
    ("dob", "pob"),
    ("mother_full", "year_lo"),
    ("kunya", "year_lo", "nationality"),
)
# A record known only by a nom de guerre against every record of its birth year and place;
# the filter keeps the block to the few such records.
WEAK_ONLY_RULE = "l.pob = r.pob AND l.year_lo = r.year_lo AND (l.weak_only OR r.weak_only)"


def candidate_pairs(
    profiles: Sequence[Profile], rows: Sequence[dict[str, Any]] | None = None
) -> list[tuple[int, int]]:
    """Record pairs that agree on a blocking rule, generated by Splink on DuckDB."""
    import duckdb
    import pandas as pd  # type: ignore[import-untyped]
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on
    from splink.blocking_rule_library import CustomRule

    frame = pd.DataFrame(features(profiles) if rows is None else list(rows))
    if len(frame) < 2:
        return []
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[],
        blocking_rules_to_generate_predictions=[
            *(block_on(*rule) for rule in BLOCKING_RULES),
            CustomRule(WEAK_ONLY_RULE),
        ],
    )
    connection = duckdb.connect()
    linker = Linker(frame, settings, db_api=DuckDBAPI(connection=connection))
    table = linker.inference.deterministic_link()
    # Only the two ids, straight from DuckDB: the full table carries every feature twice
    # and at a million records holds tens of millions of rows.
    left, right = (
        connection.execute(
            f"SELECT DISTINCT least(unique_id_l, unique_id_r), greatest(unique_id_l, unique_id_r) "  # noqa: S608 -- a table name Splink made
            f"FROM {table.physical_name} ORDER BY 1, 2"
        )
        .fetchnumpy()
        .values()
    )
    return list(zip(left.tolist(), right.tolist(), strict=True))


def predict_pairs(
    profiles: Sequence[Profile],
    *,
    weigh: Weigher,
    threshold: float,
    progress: Progress | None = None,
) -> list[tuple[int, int, float, dict[str, Any]]]:
    """(id a, id b, score, evidence) of the candidate pairs scoring at least ``threshold``
    with the same scorer as search and screening."""
    if progress:
        progress(0, 1, "blocking (Splink, DuckDB)")
    rows = features(profiles)
    pairs = candidate_pairs(profiles, rows)
    if progress:
        progress(0, len(pairs), "scoring candidate pairs")
    by_id = {p.ident: p for p in profiles}
    out: list[tuple[int, int, float, dict[str, Any]]] = []
    rest: list[tuple[int, int, float, dict[str, Any]]] = []
    for n, (a, b) in enumerate(pairs, 1):
        scored = score_profiles(by_id[a], by_id[b], weigh)
        evidence = {**scored.evidence, "explanation": list(scored.explanation)}
        if scored.score >= threshold:
            out.append((a, b, scored.score, evidence))
        else:
            rest.append((a, b, scored.score, evidence))
        if progress and (n % 5000 == 0 or n == len(pairs)):
            progress(n, len(pairs), "scoring candidate pairs")
    # Second pass: the side attributes (date and place of birth, nationality, mother's
    # name, kunya), weighed Fellegi-Sunter style with u from each value's frequency in this
    # registry and m from the pairs the names already linked.
    side = SideModel(rows, [(a, b) for a, b, _, _ in out], profiles)
    # A name match read as a probability and updated by the attributes a man keeps: two
    # "Feruza Holmatova" of different nationalities are two women.
    kept: list[tuple[int, int, float, dict[str, Any]]] = []
    for a, b, score, evidence in out:
        against, why = side.conflict(a, b)
        if against < 0:
            odds = math.log2(max(score, 1e-9) / max(1 - score, 1e-9)) + against
            score = 1.0 / (1.0 + 2.0 ** (-odds))
            evidence = {**evidence, "explanation": [*evidence["explanation"], *why]}
        if score >= threshold:
            kept.append((a, b, score, evidence))
    out = kept
    by_pair = {(a, b): (score, evidence) for a, b, score, evidence in rest}
    for a, b, probability, notes, bits in side.link(by_pair):
        name_score, evidence = by_pair[a, b]
        if probability >= threshold:
            evidence = {
                **evidence,
                "name_score": round(name_score, 4),
                "side_posterior": round(probability, 4),
                "side_bits": bits,
                "explanation": [*notes, *evidence["explanation"]],
            }
            out.append((a, b, probability, evidence))
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
