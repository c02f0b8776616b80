"""Append throughput of the custody ledger through ``custody.service.record_events``.

Two measures on SQLite (fresh file, WAL, synchronous=FULL) and on PostgreSQL (a fresh
throw-away database):

* batched: bulk intake of many registered persons, ``--batch-size`` events per
  ``record_events`` call, one unit of work (transaction) per batch. Target >= 20,000/s.
* single: one event per unit of work (its own transaction and commit), cycling
  INTAKE -> TRANSFER_OUT -> TRANSFER_IN -> RELEASE over pre-registered persons.
  Target >= 1,000/s on SQLite with synchronous=FULL.

Persons are registered before the clock starts; only the appends are timed.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from custodia.custody import service as custody
from custodia.custody.rules import EventType
from custodia.custody.schemas import EventRequest
from custodia.db import dispose_engines, unit_of_work
from harness import (
    DEFAULT_PG_SERVER,
    Reference,
    check,
    emit,
    fresh_postgres,
    fresh_sqlite,
    log,
    machine_info,
    postgres_version,
    progress_bar,
    register_persons,
)

BATCHED_TARGET = 20_000.0
SINGLE_TARGET = 1_000.0


def _intake(person_id: int, facility_id: int) -> EventRequest:
    return EventRequest(event_type=EventType.INTAKE, person_id=person_id, facility_id=facility_id)


def _cycle(person_id: int, origin: int, destination: int) -> list[EventRequest]:
    """Intake, transfer between two sites of one authority, arrival, release."""
    return [
        _intake(person_id, origin),
        EventRequest(
            event_type=EventType.TRANSFER_OUT,
            person_id=person_id,
            payload={"destination_facility_id": destination},
        ),
        EventRequest(event_type=EventType.TRANSFER_IN, person_id=person_id, facility_id=destination),
        EventRequest(
            event_type=EventType.RELEASE, person_id=person_id, payload={"reason": "benchmark"}
        ),
    ]


def batched(engine: Engine, ref: Reference, persons: list[int], batch_size: int) -> dict[str, Any]:
    facility = ref.custodial[0]
    requests = [_intake(pid, facility) for pid in persons]
    started = time.perf_counter()
    with progress_bar("batched appends", len(requests)) as advance:
        for start in range(0, len(requests), batch_size):
            with unit_of_work(engine) as session:
                custody.record_events(
                    session, requests=requests[start : start + batch_size], actor_id=ref.user_id
                )
            advance(start + batch_size)
    seconds = time.perf_counter() - started
    return {
        "events": len(requests),
        "batch_size": batch_size,
        "seconds": round(seconds, 3),
        "events_per_s": round(len(requests) / seconds, 1),
    }


def single(engine: Engine, ref: Reference, persons: list[int], events: int) -> dict[str, Any]:
    origin, destination = ref.custodial[0], ref.custodial[1]
    requests = [r for pid in persons for r in _cycle(pid, origin, destination)][:events]
    started = time.perf_counter()
    with progress_bar("single-event appends", len(requests)) as advance:
        for done, request in enumerate(requests, 1):
            with unit_of_work(engine) as session:
                custody.record_event(session, request=request, actor_id=ref.user_id)
            if done % 250 == 0:
                advance(done)
    seconds = time.perf_counter() - started
    return {
        "events": len(requests),
        "transactions": len(requests),
        "seconds": round(seconds, 3),
        "events_per_s": round(len(requests) / seconds, 1),
        "ms_per_event": round(1000 * seconds / len(requests), 3),
    }


def profile_single(engine: Engine, ref: Reference, persons: list[int]) -> list[str]:
    """Where a single append spends its time (cumulative, top entries of our code)."""
    profiler = cProfile.Profile()
    profiler.enable()
    single(engine, ref, persons, 4 * len(persons))
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(r"custodia|sqlalchemy", 40)
    return out.getvalue().splitlines()


def run_backend(engine: Engine, args: argparse.Namespace) -> dict[str, Any]:
    ref = Reference(engine)
    cycles = -(-args.single_events // 4)
    extra = 50 if args.profile else 0
    persons = register_persons(engine, args.batched_events + cycles + extra)
    bulk, cyclic = persons[: args.batched_events], persons[args.batched_events :]
    result: dict[str, Any] = {"batched": batched(engine, ref, bulk, args.batch_size)}
    result["single"] = single(engine, ref, cyclic[:cycles], args.single_events)
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            result["sqlite_pragmas"] = {
                p: conn.exec_driver_sql(f"PRAGMA {p}").scalar()
                for p in ("journal_mode", "synchronous")
            }
    else:
        with engine.connect() as conn:
            result["postgres_settings"] = {
                s: conn.execute(text(f"SHOW {s}")).scalar()
                for s in ("synchronous_commit", "fsync", "wal_sync_method")
            }
    result["targets"] = {
        "batched_events_per_s": check(result["batched"]["events_per_s"], at_least=BATCHED_TARGET),
        "single_events_per_s": check(result["single"]["events_per_s"], at_least=SINGLE_TARGET),
    }
    if args.profile:
        result["single_profile"] = profile_single(engine, ref, cyclic[cycles:])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batched-events", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=5_000)
    parser.add_argument("--single-events", type=int, default=4_000)
    parser.add_argument("--pg-server", default=DEFAULT_PG_SERVER)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--profile", action="store_true", help="cProfile 200 single appends")
    args = parser.parse_args()
    result: dict[str, Any] = {"benchmark": "append_throughput", "parameters": vars(args)}
    result["machine"] = machine_info(None if args.no_postgres else args.pg_server)
    with tempfile.TemporaryDirectory(prefix="custodia-bench-") as tmp:
        log("SQLite")
        result["sqlite"] = run_backend(fresh_sqlite(Path(tmp)), args)
        dispose_engines()
    if args.no_postgres:
        result["postgres"] = {"skipped": "--no-postgres"}
    elif postgres_version(args.pg_server) is None:
        result["postgres"] = {"skipped": f"no PostgreSQL server answers at {args.pg_server}"}
    else:
        log("PostgreSQL")
        with fresh_postgres(args.pg_server) as engine:
            result["postgres"] = run_backend(engine, args)
    result["pass"] = all(
        t["pass"]
        for backend in ("sqlite", "postgres")
        for t in result[backend].get("targets", {}).values()
    )
    emit(result)


if __name__ == "__main__":
    main()
