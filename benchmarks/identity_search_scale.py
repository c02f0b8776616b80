"""Online search's ranking query as the registry grows, on SQLite: the scenario's name index
repeated 1, 2, 4 and 21 times (the last about 966,000 persons), each common part's
holders among the fetched persons read from the key's whole range or looked up by the
primary key (``index.SQLITE_RANGE_MAX`` decides which; PostgreSQL always looks up).

Only ``identity_name_key`` is repeated (every person again under a new id, with the same
keys): the ranking query reads nothing else. The repeated registry is harsher than a real
one of that size: every name has twenty namesakes written alike. For each of eight names
of common parts (and one of rarer parts): the holders of the common parts read, and the
median of five runs of the ranking query each way; both ways must rank alike.

Usage: PYTHONPATH=src .venv/bin/python benchmarks/identity_search_scale.py /tmp/demo.db \
    > benchmarks/results/identity_search_scale.json
(a `custodia demo --no-serve` SQLite database, indexed by the current name model; it is
copied, never written)
"""

from __future__ import annotations

import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy.orm import Session

from custodia.db import dispose_engines, get_engine, read_session
from custodia.identity import index
from custodia.identity.keys import RankingPlan
from harness import emit, log, machine_info

COPIES = (1, 2, 4, 21)
QUERIES = (
    "Hassan Mohammed Ali Al-Ali",
    "Mohammed Al Hashemi",
    "Mohammed Ali Alobaidi",
    "Ahmed Hassan",
    "Mohammed Abdullah Mohammed",
    "محمد عبد الله محمد",
    "Umar Ahmad al-Jubouri",
    "Khalid Hamza al-Tunisi",
)
RUNS = 5


def repeated(source: Path, copies: int, directory: Path) -> Path:
    """A copy of ``source`` whose name index holds every person ``copies`` times."""
    target = directory / f"x{copies}.db"
    shutil.copyfile(source, target)
    with sqlite3.connect(target) as db:
        (top,) = db.execute("select max(person_id) from identity_name_key").fetchone()
        db.execute("create temp table base as select key, person_id from identity_name_key")
        for k in range(1, copies):
            db.execute(
                "insert into identity_name_key select key, person_id + ? from base",
                ((top + 1) * k,),
            )
        db.execute("analyze")
    return target


def median_ms(session: Session, plan: RankingPlan, *, by_lookup: bool) -> tuple[float, list[int]]:
    """The median time of ``RUNS`` runs of the ranking query, and its answer."""
    times: list[float] = []
    ids: list[int] = []
    for _ in range(RUNS):
        started = time.perf_counter()
        ids = index.ranked_ids(session, plan, by_lookup=by_lookup)
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1), ids


def measure(path: Path) -> list[dict[str, Any]]:
    engine = get_engine(f"sqlite:///{path}")
    out: list[dict[str, Any]] = []
    with read_session(engine) as session:
        for name in QUERIES:
            query = index.profile_of(
                -1,
                names=[(name, "primary")],
                date_of_birth=None,
                nationalities=[],
                mother_name=None,
                place_of_birth=None,
            )
            plan = index.ranking_plan(session, query)
            whole_ms, whole = median_ms(session, plan, by_lookup=False)
            lookup_ms, looked = median_ms(session, plan, by_lookup=True)
            out.append(
                {
                    "query": name,
                    "fetched_keys": plan.fetch,
                    "common_part_holders": plan.common,
                    "read_whole_ms": whole_ms,
                    "looked_up_ms": lookup_ms,
                    "same_ranking": whole == looked,
                    "chosen": "lookup" if index.looks_up("sqlite", plan.common) else "whole",
                }
            )
    dispose_engines()
    return out


def main() -> None:
    source = Path(sys.argv[1])
    machine = machine_info()
    runs = []
    with tempfile.TemporaryDirectory() as directory:
        for copies in COPIES:
            log(f"name index repeated {copies} times")
            path = repeated(source, copies, Path(directory))
            queries = measure(path)
            chosen = [
                q["looked_up_ms"] if q["chosen"] == "lookup" else q["read_whole_ms"]
                for q in queries
            ]
            runs.append(
                {
                    "copies": copies,
                    "queries": queries,
                    "chosen_way_ms_max": max(chosen),
                    "read_whole_ms_max": max(q["read_whole_ms"] for q in queries),
                    "looked_up_ms_max": max(q["looked_up_ms"] for q in queries),
                }
            )
            path.unlink()
    emit(
        {
            "benchmark": "identity_search_scale",
            "sqlite_range_max": index.SQLITE_RANGE_MAX,
            "runs": runs,
            "machine": machine,
        }
    )


if __name__ == "__main__":
    main()
