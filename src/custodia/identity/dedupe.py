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
matches by the kept attributes that disagree (nationality, sex, category, place of birth,
two different days of birth or dates years apart), a name score counting as at most
``NAME_CERTAINTY``; a nom de guerre that names already linked to a record competes with
the side links of that record.

At scale only the two ids of a pair leave DuckDB (Splink's blocking SQL, without the wide
table of deterministic_link()), after a Jaro-Winkler cut on the names' skeletons inside
each rule, as two int64 arrays; DuckDB is closed before the scoring, which runs in this
process or in forked workers (``workers``).

Name matches of two children registered with two different mothers are marked down
(``OTHER_MOTHER``): namesake children of one birth year abound in the camps.

Measured (benchmarks/results/identity_dedupe*.json, 2 cores): the 46,000 scenario
records, P 0.996 / R 0.938 / F1 0.966 (recall 1.0 on spelling variants, 0.737 on
nom-de-guerre-only records) in 5.8-14.7 s, 0.67 GB. F1 0.97 is still missed: the
remaining misses are nom-de-guerre records whose birth year, town and nationality several
other men share (nothing in the records tells them apart). A million synthetic records: 3.89 million
candidate pairs (18.4 million before the name cut), job 536-633 s in one process (pairs
are scored without explanations; the kept ones are explained), peak 5.8 GB; P 0.800 /
R 0.936 (200,000 records: P 0.961 / R 0.930): at that size namesakes born the same year
abound.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import multiprocessing as mp
import re
import tempfile
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from typing import Any

from custodia.identity import heap
from custodia.identity.components import clusters as clusters
from custodia.identity.names import NameToken, ParsedName, ch_as_kh, parse_name, seam_fold
from custodia.identity.scoring import (
    Profile,
    Weigher,
    compare_profiles,
    known_only_by_kunya,
    name_score_needed,
)
from custodia.identity.side import POSTERIOR, SIDE_THRESHOLD, SideModel

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
        if (parsed_mother := p.mother_parsed) is not None and parsed_mother.tokens:
            mother = parsed_mother.tokens[0].skeleton
        dob_exact = month = None
        year_lo = year_hi = None
        if p.dob:
            lo, hi = dt.date.fromordinal(p.dob[0]), dt.date.fromordinal(p.dob[1])
            dob_exact = lo.isoformat() if lo == hi else None
            month = f"{lo:%Y-%m}" if (lo.year, lo.month) == (hi.year, hi.month) else None
            year_lo, year_hi = lo.year, hi.year
        weak_only = known_only_by_kunya(p)
        nationality = p.nationalities[0] if p.nationalities else None
        pob = _fold(p.place_of_birth)
        pob_year = f"{pob}|{year_lo}" if pob and year_lo else None
        nat_year = f"{nationality}|{year_lo}" if nationality and year_lo else None
        skeletons = " ".join(t.skeleton for t in tokens)
        father = _father(primary.parsed, tokens) if primary else None
        loose = [seam_fold(t.skeleton) for t in tokens]
        rows.append(
            {
                "unique_id": p.ident,
                "name": skeletons or None,
                "name_loose": seam_fold(skeletons) or None,
                # the name with its ch read as a German kh, where it writes one (ch_as_kh)
                "name_kh": _read_ch_as_kh(tokens),
                # the parts run together: a particle written apart or not (De Vries, Devries)
                "joined": "".join(loose) if len(loose) > 1 else None,
                "ism": tokens[0].skeleton if tokens else None,
                "father": father,
                "family": tokens[-1].skeleton if len(tokens) > 1 else None,
                # a bare two-part name's second part: a father or a family name (_father)
                "second": tokens[1].skeleton if len(tokens) == 2 and father is None else None,
                "ism_loose": loose[0] if loose else None,
                "family_loose": loose[-1] if len(loose) > 1 else None,
                "ism2_loose": loose[0][:2] if loose else None,
                "family2_loose": loose[-1][:2] if len(loose) > 1 else None,
                "kunya": kunya or None,
                "dob": dob_exact,
                "month": month,
                "year_lo": year_lo,
                "year_hi": year_hi,
                "nationality": nationality,
                "mother": mother or None,
                "mother_full": _fold(p.mother),
                "pob": pob,
                "weak_only": weak_only,
                "pob_year": pob_year,
                "weak_pob_year": pob_year if weak_only else None,
                "nat_year": nat_year,
                "weak_nat_year": nat_year if weak_only and not pob else None,  # see below
                "sex": p.sex if p.sex in ("M", "F") else None,
                "category": p.category,
            }
        )
    _keep_small_nationality_blocks(rows)
    return rows


def _read_ch_as_kh(tokens: Sequence[NameToken]) -> str | None:
    """The folded skeletons of a name's parts with a ch read as a kh (``names.ch_as_kh``:
    Chalid Ebrahim = Khaled Ibraheem), for the name prefilter; None if none writes a ch."""
    read = [ch_as_kh(t.spelling) for t in tokens]
    if not any(read):
        return None
    return seam_fold(" ".join(r or t.skeleton for r, t in zip(read, tokens, strict=True)))


def _father(parsed: ParsedName, tokens: Sequence[NameToken]) -> str | None:
    """The father's name part: the second of three or more, or of two where the name says
    so ("Ahmed ibn Ahmed": a clerk wrote the man and his father and left out the part his
    fuller record ends with). Without the ibn, the second of two parts is as often a family
    name, and among a million records "Ahmed Hassan" would meet every "Ahmed Hassan X"."""
    if len(tokens) > 2 or (len(tokens) == 2 and _NASAB.search(parsed.text)):
        return tokens[1].skeleton
    return None


_NASAB = re.compile(r"(?i)\b(?:bin|ibn|ben|bint|ould)\b|\bبن\b|\bبنت\b")


def _keep_small_nationality_blocks(rows: list[dict[str, Any]]) -> None:
    """Drop the nationality-and-year key of nom-de-guerre records whose block is large: among
    ``NAT_YEAR_BLOCK`` men, agreeing nationality and year cannot single one out (the side
    model would not link him), and an Iraqi born in 1980 would join tens of thousands."""
    sizes = Counter(r["nat_year"] for r in rows if r["nat_year"])
    for r in rows:
        if r["weak_nat_year"] and sizes[r["weak_nat_year"]] > NAT_YEAR_BLOCK:
            r["weak_nat_year"] = None


# Each rule is an equality join; a rule's pairs grow with the square of its block size, so
# the date rules carry nationality.
# The given and family names are compared with the letters transliterations swap folded
# together (names.seam_fold: Sherzod = Sherzot, Kholmatov = Holmatov, Mukhammad = Muhammad,
# and the z some write for the ذ others write d or dh: al-Shazly = Chadli = الشاذلي).
BLOCKING_RULES = (
    ("ism_loose", "family2_loose", "year_lo"),
    ("ism2_loose", "family_loose", "year_lo"),
    ("joined", "year_lo"),
    ("ism", "father", "year_lo"),  # father: see _father
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
# A record known only by a nom de guerre against every record of its birth year and place
# (by birth year and nationality alone, 1.5 % of 200,000 synthetic records gave 210,000
# pairs and no duplicate). Each side of the equality holds the key only where
# it must (``weak_*`` only on such records), so DuckDB joins the few such records to the
# rest instead of building the whole year's block and filtering it; both directions, as
# Splink keeps a pair once (left id below right).
# Foreigners' records seldom hold a place of birth: such a record is joined by nationality
# and birth year instead (a Norwegian born in 1992 has few namesakes in a Syrian prison),
# where at most NAT_YEAR_BLOCK records share them.
NAT_YEAR_BLOCK = 200
WEAK_ONLY_RULES = (
    "l.weak_pob_year = r.pob_year",
    "l.pob_year = r.weak_pob_year",
    "l.weak_nat_year = r.nat_year",
    "l.nat_year = r.weak_nat_year",
)
# A clerk who wrote a man and his father and left out the family name ("Ali Mohammed" for
# "Aly Mohamad Abdulla"): the second of a bare two-part name against the other's father,
# both directions.
SHORTENED_RULES = (
    "l.ism = r.ism AND l.second = r.father AND l.year_lo = r.year_lo",
    "l.ism = r.ism AND l.father = r.second AND l.year_lo = r.year_lo",
)
# Applied inside every rule, before a pair leaves DuckDB: the skeletons of the two primary
# names must be alike (Jaro-Winkler), unless one record is known only by a nom de guerre
# (its pairs go to the side pass). Scoring costs 100-200 µs a pair, the cut ~nothing. On
# 200,000 synthetic records the rules alone gave 2.36 million pairs; a cut at 0.7 kept
# 470,000 and lost 11 of the 7,438 pairs the scorer queues; 0.85 keeps a third of those
# 470,000 and lost 3 of a sample of 486 queued pairs (one of 240 planted pairs on the
# scenario).
NAME_PREFILTER = 0.85
# The skeletons are compared with the letters transliterations swap folded together
# (names.seam_fold): "Gaber Saad al-Samarrai" against "Jaber Saad Mahmoud al-Samarrai"; a
# name that writes a ch, read as a German kh too (name_kh: "Chalid Ebrahim Omer el Duleimi"
# against "Khaled bin Ibraheem Al Dulaimi"). name_kh is null on nearly every record.
PAIR_FILTER = (
    f"(jaro_winkler_similarity(l.name_loose, r.name_loose) >= {NAME_PREFILTER}"
    f" OR jaro_winkler_similarity(l.name_kh, r.name_loose) >= {NAME_PREFILTER}"
    f" OR jaro_winkler_similarity(l.name_loose, r.name_kh) >= {NAME_PREFILTER}"
    " OR l.weak_only OR r.weak_only)"
)
# Columns the blocking rules read; the rest of a record's features stay in Python.
_BLOCKING_COLUMNS = (
    "unique_id",
    *sorted({c for rule in BLOCKING_RULES for c in rule} | {"weak_only", "second"}),
    "pob_year",
    "weak_pob_year",
    "nat_year",
    "weak_nat_year",
    "name_loose",
    "name_kh",
)
_NUMERIC_COLUMNS = frozenset({"unique_id", "year_lo", "weak_only"})
# A name score read as a probability is at most this: names that agree in full still
# leave namesakes, and a kept attribute that differs must be able to outweigh them.
NAME_CERTAINTY = 0.99
RARE_NAME = 2  # m is measured on linked pairs whose names at most this many records hold
BATCH = 20_000  # pairs per batch, and per task of a scoring worker
PARALLEL_FROM = 100_000  # fewer candidate pairs are scored in this process
DUCKDB_MEMORY = "2GB"  # DuckDB spills to a temporary directory past this
REVERSE_BAND = 0.1  # a pair this close under the threshold is scored both ways, the best kept
# Chance that a child's two records name two different registered mothers: a separated
# child re-registered with the family that took the child in. Not learnt from the linked
# pairs (namesake children would teach it), a judgment: rare, not never.
OTHER_MOTHER = 0.05


def _rule_sql(rule: tuple[str, ...]) -> str:
    return " AND ".join(f"l.{c} = r.{c}" for c in rule)


def candidate_batches(
    rows: Sequence[dict[str, Any]], *, batch: int | None = None
) -> Iterator[tuple[int, list[tuple[int, int]]]]:
    """(total, pairs) batches of the record pairs that agree on a blocking rule and pass the
    name prefilter, generated by Splink's blocking SQL on DuckDB and streamed out ``batch``
    at a time."""
    import duckdb
    import pandas as pd  # type: ignore[import-untyped]
    from splink import DuckDBAPI, Linker, SettingsCreator
    from splink.blocking_rule_library import CustomRule
    from splink.internals.blocking import block_using_rules_sqls

    if len(rows) < 2:
        return
    frame = pd.DataFrame({c: [r[c] for r in rows] for c in _BLOCKING_COLUMNS})
    # Typed as text: a key no record holds (no nom-de-guerre record: weak_nat_year) would be
    # read as an integer column, and DuckDB would cast the other side of its join to it.
    for column in _BLOCKING_COLUMNS:
        if column not in _NUMERIC_COLUMNS:
            frame[column] = frame[column].astype("string")
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[],
        blocking_rules_to_generate_predictions=[
            *(CustomRule(f"{_rule_sql(rule)} AND {PAIR_FILTER}") for rule in BLOCKING_RULES),
            *(
                CustomRule(f"{rule} AND {PAIR_FILTER}")
                for rule in (*WEAK_ONLY_RULES, *SHORTENED_RULES)
            ),
        ],
    )
    with tempfile.TemporaryDirectory(prefix="custodia-dedupe-") as spill:  # DuckDB spills here
        connection = duckdb.connect(
            config={
                "memory_limit": DUCKDB_MEMORY,
                "temp_directory": spill,
                "preserve_insertion_order": False,
            }
        )
        try:
            resolved = Linker(frame, settings, db_api=DuckDBAPI(connection=connection))
            connection.execute("CREATE TABLE records AS SELECT * FROM frame")
            del frame
            info = resolved._settings_obj.column_info_settings
            # Splink's own SQL for its blocking step, without the table of both records'
            # columns that deterministic_link() builds on top (tens of millions of wide rows
            # at a million records): only the two ids, each pair once (Splink's rules exclude
            # the pairs of earlier rules).
            (blocked,) = block_using_rules_sqls(
                input_tablename_l="records",
                input_tablename_r="records",
                blocking_rules=resolved._settings_obj._blocking_rules_to_generate_predictions,
                link_type="dedupe_only",
                source_dataset_input_column=info.source_dataset_input_column,
                unique_id_input_column=info.unique_id_input_column,
            )
            connection.execute(
                "CREATE TABLE pairs AS SELECT join_key_l AS a, join_key_r AS b "  # noqa: S608 -- Splink's SQL over our table
                f"FROM ({blocked['sql']})"
            )
            # Out of DuckDB as two int64 arrays (16 bytes a pair, not a list of tuples),
            # and DuckDB closed, its memory returned, before the scoring starts.
            left, right = connection.execute("SELECT a, b FROM pairs").fetchnumpy().values()
        finally:
            connection.close()
    size = batch or BATCH
    for start in range(0, len(left), size):
        yield (
            len(left),
            list(
                zip(
                    left[start : start + size].tolist(),
                    right[start : start + size].tolist(),
                    strict=True,
                )
            ),
        )


def candidate_pairs(
    profiles: Sequence[Profile], rows: Sequence[dict[str, Any]] | None = None
) -> list[tuple[int, int]]:
    """Record pairs that agree on a blocking rule, generated by Splink on DuckDB."""
    rows = features(profiles) if rows is None else rows
    return sorted(p for _, pairs in candidate_batches(rows) for p in pairs)


# Set in the parent before the scoring workers fork: the profiles are shared copy-on-write,
# not pickled to each worker.
_SHARED: tuple[dict[int, Profile], Weigher, float, frozenset[int]] | None = None

Scored = tuple[int, int, float, dict[str, Any]]


def _score_batch(pairs: list[tuple[int, int]]) -> list[Scored]:
    """The pairs of a batch at or above the threshold, and every pair with a record known
    only by a nom de guerre (the side pass weighs those)."""
    assert _SHARED is not None  # noqa: S101 -- set before the workers fork
    by_id, weigh, threshold, weak = _SHARED
    out: list[Scored] = []
    for a, b in pairs:
        if a not in weak and b not in weak and name_score_needed(by_id[a], by_id[b], threshold) > 1:
            continue  # namesakes born years apart: no name lifts them to the threshold
        compared = compare_profiles(by_id[a], by_id[b], weigh)
        if threshold - REVERSE_BAND <= compared.score < threshold:
            # The scorer weighs the query's parts most; the record that holds more parts (a
            # grandfather one clerk left out) is the fairer query.
            reverse = compare_profiles(by_id[b], by_id[a], weigh)
            if reverse.score > compared.score:
                compared = reverse
        if compared.score >= threshold or a in weak or b in weak:
            # explained only when kept: most candidate pairs are not
            scored = compared.scored()
            evidence = {**scored.evidence, "explanation": list(scored.explanation)}
            out.append((a, b, scored.score, evidence))
    return out


def _scored_batches(
    rows: Sequence[dict[str, Any]], workers: int, progress: Progress | None
) -> Iterator[list[Scored]]:
    """Score the candidate batches here, or in ``workers`` forked processes when there are
    many and the platform forks."""
    stream = candidate_batches(rows)
    first = next(stream, None)
    if first is None:
        return
    total, pairs = first
    if progress:
        progress(0, total, "scoring candidate pairs")
    done = 0

    def batches() -> Iterator[list[tuple[int, int]]]:
        yield pairs
        for _, more in stream:
            yield more

    parallel = workers > 1 and total >= PARALLEL_FROM and "fork" in mp.get_all_start_methods()
    if not parallel:
        for chunk in batches():
            done += len(chunk)
            yield _score_batch(chunk)
            if progress:
                progress(done, total, "scoring candidate pairs")
        return
    with heap.shared_with_forked_workers(), mp.get_context("fork").Pool(workers) as pool:
        for size, scored in pool.imap(_sized_score, batches()):
            done += size
            yield scored
            if progress:
                progress(done, total, "scoring candidate pairs")


def _sized_score(pairs: list[tuple[int, int]]) -> tuple[int, list[Scored]]:
    return len(pairs), _score_batch(pairs)


def predict_pairs(
    profiles: Sequence[Profile],
    *,
    weigh: Weigher,
    threshold: float,
    progress: Progress | None = None,
    workers: int = 1,
    mothers: Mapping[int, int] | None = None,
    side_threshold: float | None = None,
) -> list[Scored]:
    """(id a, id b, score, evidence) of the candidate pairs scoring at least ``threshold``
    with the same scorer as search and screening. Many candidate pairs are scored in
    ``workers`` forked processes (the pairs are the same). A worker ends up with its own
    copy of the profiles (reference counts write to every object it reads), so the
    default is one: at a million records each worker costs ~3 GB. ``mothers``: a child's
    record -> the identity of the mother registered with the child. ``side_threshold``:
    where the pairs linked by side attributes alone (a nom-de-guerre record) are cut, a
    probability, ``SIDE_THRESHOLD`` unless given (the benchmark measures other cuts)."""
    global _SHARED
    if progress:
        progress(0, 1, "blocking (Splink, DuckDB)")
    rows = features(profiles)
    weak = frozenset(r["unique_id"] for r in rows if r["weak_only"])
    _SHARED = ({p.ident: p for p in profiles}, weigh, threshold, weak)
    out: list[Scored] = []
    rest: list[Scored] = []
    try:
        for scored in _scored_batches(rows, workers, progress):
            for item in scored:
                (out if item[2] >= threshold else rest).append(item)
    finally:
        _SHARED = None
    out.sort()
    rest.sort()
    side_cut = SIDE_THRESHOLD if side_threshold is None else side_threshold
    return _side_pass(rows, profiles, out, rest, threshold, mothers or {}, side_cut)


def _side_pass(
    rows: Sequence[dict[str, Any]],
    profiles: Sequence[Profile],
    out: list[Scored],
    rest: list[Scored],
    threshold: float,
    mothers: Mapping[int, int],
    side_threshold: float,
) -> list[Scored]:
    by_name = {r["unique_id"]: r["name"] for r in rows}
    # Second pass: the side attributes (date and place of birth, nationality, mother's
    # name, kunya), weighed Fellegi-Sunter style with u from each value's frequency in this
    # registry and m from the pairs the names already linked, those of rare names only:
    # among a million records, namesakes born the same year are linked too, and would
    # teach the model that one man's two records often differ.
    held = Counter(r["name"] for r in rows)
    rare = [(a, b) for a, b, _, _ in out if max(held[by_name[a]], held[by_name[b]]) <= RARE_NAME]
    side = SideModel(rows, rare, profiles)
    # A name match read as a probability and updated by the attributes a man keeps: two
    # "Feruza Holmatova" of different nationalities are two women.
    kept: list[Scored] = []
    by_names = {(a, b) for a, b, _, _ in out}
    for a, b, score, evidence in out:
        against, why = side.conflict(a, b)
        crowded, crowd_why = side.crowd(a, b)
        other, other_why = _other_mother(a, b, mothers, by_names)
        against, why = against + crowded + other, why + crowd_why + other_why
        if against < 0:
            score = name_score_updated(score, against)
            evidence = {**evidence, "explanation": [*evidence["explanation"], *why]}
        if score >= threshold:
            kept.append((a, b, score, evidence))
    by_pair = {(a, b): (score, evidence) for a, b, score, evidence in rest}
    named = [(a, b, score) for a, b, score, _ in kept]
    for a, b, probability, notes, bits in side.link(by_pair, named):
        name_score, evidence = by_pair[a, b]
        if probability >= side_threshold:
            evidence = {
                **evidence,
                "name_score": round(name_score, 4),
                POSTERIOR: round(probability, 4),
                "side_bits": bits,
                "explanation": [*notes, *evidence["explanation"]],
            }
            kept.append((a, b, probability, evidence))
    return kept


def name_score_updated(score: float, bits: float) -> float:
    """A name score read as a probability (at most ``NAME_CERTAINTY``) with ``bits`` added to
    its log-odds: what a kept attribute that differs, or namesakes sharing the evidence,
    leave of it."""
    p = min(score, NAME_CERTAINTY)
    return 1.0 / (1.0 + math.exp2(-(math.log2(p / (1 - p)) + bits)))


def _other_mother(
    a: int, b: int, mothers: Mapping[int, int], named: Collection[tuple[int, int]]
) -> tuple[float, list[str]]:
    """Bits against two records being one child when each was registered with a mother
    and the mothers are two women (two identities that these names do not link either):
    namesake children of one birth year are common in the camps, and a child recorded
    twice is recorded with the same mother but for a separated child taken in by another
    family (``OTHER_MOTHER``)."""
    ma, mb = mothers.get(a), mothers.get(b)
    if ma is None or mb is None or ma == mb or (min(ma, mb), max(ma, mb)) in named:
        return 0.0, []
    w = math.log2(OTHER_MOTHER)
    return w, [f"registered with another mother: records {ma} and {mb} ({w:+.1f} bits)"]
