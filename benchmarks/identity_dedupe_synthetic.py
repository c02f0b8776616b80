"""De-duplication at scale: N synthetic person profiles built in memory with the scenario's
name generator (Latin primary name, Arabic-script name for half, a kunya for some, a date
of birth of which a fifth year-only, nationality, mother's name), 4 % of them duplicated as
another clerk's spelling (the scenario's spelling_variant_record; half keep only the birth
year, 60 % lose the mother's name). Then the batch job's two steps as `custodia identity
dedupe` runs them: Splink blocking on DuckDB, pairs scored by the matcher, clusters.

Usage: PYTHONPATH=src .venv/bin/python benchmarks/identity_dedupe_synthetic.py 1000000 [workers] \
    > benchmarks/results/identity_dedupe_1m.json
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import random
import resource
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from custodia.identity import dedupe
from custodia.identity.index import profile_of
from custodia.identity.scoring import REVIEW_THRESHOLD, Profile, idf_weigher
from custodia.scenario import naming
from harness import check, emit, log, machine_info

DUPLICATE_SHARE = 0.04


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class MemorySampler(threading.Thread):
    """Peak memory of this process and its scoring workers together, as the sum of their
    proportional set sizes (a page the workers share copy-on-write with this process counts
    once), sampled every second from /proc."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_mb = 0.0
        self.stop = threading.Event()

    @staticmethod
    def _pss_kb(pid: int) -> int:
        try:
            text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            return 0
        return sum(int(line.split()[1]) for line in text.splitlines() if line.startswith("Pss:"))

    def run(self) -> None:
        me = os.getpid()
        while not self.stop.wait(1.0):
            children = Path(f"/proc/{me}/task/{me}/children")
            pids = [me, *(int(p) for p in children.read_text().split())]
            self.peak_mb = max(self.peak_mb, sum(self._pss_kb(p) for p in pids) / 1024)


def _worker_peak_mb() -> float:
    """The largest scoring worker's peak RSS (its pages shared copy-on-write included)."""
    return round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)


def _dob(rng: random.Random) -> str:
    day = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(0, 60 * 365))
    return str(day.year) if rng.random() < 0.2 else day.isoformat()


def build(n: int, rng: random.Random) -> tuple[list[Profile], dict[int, int]]:
    profiles: list[Profile] = []
    truth: dict[int, int] = {}
    originals = round(n / (1 + DUPLICATE_SHARE))
    for i in range(originals):
        nationality = naming.sample_nationality(rng)
        sex = "M" if rng.random() < 0.6 else "F"
        names = naming.generate_person_name(rng, sex=sex, nationality=nationality)
        listed = [(names.full_latin, "primary")]
        if names.full_arabic and rng.random() < 0.5:
            listed.append((names.full_arabic, "primary"))
        if names.kunya:
            listed.append((names.kunya, "kunya"))
        dob = _dob(rng)
        profiles.append(
            profile_of(
                i + 1,
                names=listed,
                date_of_birth=dob,
                nationalities=[nationality],
                mother_name=names.mother_latin,
                place_of_birth=None,
            )
        )
        if len(profiles) < n and rng.random() < DUPLICATE_SHARE * 1.0:
            variant = naming.spelling_variant_record(rng, names)
            ident = originals + len(truth) + 1
            truth[ident] = i + 1
            profiles.append(
                profile_of(
                    ident,
                    names=[(variant.full_latin, "primary")],
                    date_of_birth=dob[:4] if rng.random() < 0.5 else dob,
                    nationalities=[nationality],
                    mother_name=names.mother_latin if rng.random() < 0.4 else None,
                    place_of_birth=None,
                )
            )
        if (i + 1) % 100_000 == 0:
            log(f"{i + 1} originals built, peak {_peak_mb()} MB")
    return profiles, truth


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    machine = machine_info()
    rng = random.Random(11)
    started = time.perf_counter()
    profiles, truth = build(n, rng)
    built = time.perf_counter()
    log(f"{len(profiles)} profiles in {built - started:.0f} s, peak {_peak_mb()} MB")
    df: dict[str, int] = defaultdict(int)
    for p in profiles:
        for key in p.keys:
            df[key] += 1
    weigh = idf_weigher(dict(df), len(profiles))
    phases: dict[str, float] = {}
    totals: dict[str, int] = {}
    sampler = MemorySampler()
    sampler.start()
    t1 = time.perf_counter()

    def progress(done: int, total: int, what: str | None) -> None:
        if what and what not in phases:
            phases[what] = time.perf_counter()
            totals[what] = total
            log(f"{what}: {total} at {phases[what] - t1:.0f} s, peak {_peak_mb()} MB")

    scored = dedupe.predict_pairs(
        profiles, weigh=weigh, threshold=REVIEW_THRESHOLD, progress=progress, workers=workers
    )
    groups = dedupe.clusters([(a, b) for a, b, _, _ in scored], [p.ident for p in profiles])
    t3 = time.perf_counter()
    members: dict[int, list[int]] = defaultdict(list)
    for record, root in groups.items():
        members[root].append(record)
    found = {p for ids in members.values() for p in itertools.combinations(sorted(ids), 2)}
    true_pairs = {(min(a, b), max(a, b)) for a, b in truth.items()}
    tp = len(found & true_pairs)
    precision = tp / len(found) if found else 0.0
    recall = tp / len(true_pairs) if true_pairs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    job_seconds = t3 - t1  # the job (blocking again inside it, scoring, clusters)
    sampler.stop.set()
    sampler.join()
    emit(
        {
            "benchmark": "identity_dedupe_synthetic",
            "records": len(profiles),
            "true_pairs": len(true_pairs),
            "candidate_pairs": totals.get("scoring candidate pairs", 0),
            "scoring_workers": workers,
            "name_prefilter_jaro_winkler": dedupe.NAME_PREFILTER,
            "blocking_seconds": round(phases.get("scoring candidate pairs", t1) - t1, 1),
            "job_seconds": round(job_seconds, 1),
            "build_seconds_not_timed": round(built - started, 1),
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "peak_rss_mb": _peak_mb(),
            "peak_rss_mb_largest_worker": _worker_peak_mb(),
            "peak_pss_mb_job_with_workers": round(sampler.peak_mb, 1),
            "memory_note": "RSS of a forked worker counts the pages it shares with the parent; "
            "the PSS sum counts each page once",
            "targets": {
                "seconds": check(round(job_seconds, 1), at_most=1200),
                "peak_rss_mb": check(_peak_mb(), at_most=8192),
                "peak_pss_mb_job_with_workers": check(round(sampler.peak_mb, 1), at_most=8192),
            },
            "machine": machine,
        }
    )


if __name__ == "__main__":
    main()
