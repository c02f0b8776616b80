"""Online name search in a server that has been answering for a while: latency and the
garbage collector's pauses, window by window, over thousands of searches in one process.

``identity_search.py`` measures 500 searches just after start; the matcher's caches fill
as a server answers, and whatever the collector must walk grows with them, so a pause that
is short at first can grow. Here: the primary names of 5,000 random persons (by default;
half with the year of birth), each one `search_persons` call in its own read session, as
the API serves it, after the heap is frozen as each server process freezes it at start
(``freeze_heap``). Reported for each window of 1,000 searches: the latency percentiles
and the collector's pauses (generation 2 is the full collection).

Usage: PYTHONPATH=src .venv/bin/python benchmarks/identity_search_steady.py \
    sqlite:////tmp/x.db [SEARCHES] > benchmarks/results/identity_search_steady.json
(the database must hold a scenario; nothing is written to it)
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from custodia.api.serving import freeze_heap
from custodia.db import get_engine, read_session
from custodia.identity import index
from custodia.identity import service as identity
from harness import check, collector_pauses, emit, log, machine_info, percentiles

WINDOW = 1000


def _queries(url: str, count: int) -> list[tuple[str, str | None]]:
    """Each sampled person's first name as registered, every other one with the year of
    birth the record holds."""
    with read_session(get_engine(url)) as session:
        ids = index.all_person_ids(session)
        sample = random.Random(5).sample(ids, count)
        profiles = index.load_profiles(session, sample)
    out: list[tuple[str, str | None]] = []
    for i, pid in enumerate(sample):
        profile = profiles[pid]
        year = profile.dob_text[:4] if profile.dob_text and i % 2 else None
        out.append((profile.names[0].parsed.text, year))
    return out


def main() -> None:
    url = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    queries = _queries(url, count)
    engine = get_engine(url)
    freeze_heap()
    windows: list[dict[str, Any]] = []
    every: list[float] = []
    for start in range(0, count, WINDOW):
        samples: list[float] = []
        with collector_pauses() as collector:
            for name, year in queries[start : start + WINDOW]:
                t0 = time.perf_counter()
                with read_session(engine) as session:
                    identity.search_persons(session, name=name, date_of_birth=year, limit=10)
                samples.append((time.perf_counter() - t0) * 1000)
        every.extend(samples)
        windows.append(
            {
                "searches": f"{start + 1}-{start + len(samples)}",
                "search_ms": percentiles(samples),
                "collector": collector,
            }
        )
        log(f"{start + len(samples)} searches")
    last = windows[-1]["search_ms"]
    emit(
        {
            "benchmark": "identity_search_steady",
            "searches": count,
            "search_ms": percentiles(every),
            "windows": windows,
            "targets": {"search_p95_ms_last_window": check(last["p95_ms"], at_most=50.0)},
            "machine": machine_info(),
        }
    )


if __name__ == "__main__":
    main()
