"""Append throughput of the custody ledger through ``custody.service.record_events``.

Two measures on SQLite (fresh file, WAL, synchronous=FULL) and on PostgreSQL (a fresh
throw-away database):

* batched: bulk intake of many registered persons, ``--batch-size`` events per
  ``record_events`` call, one unit of work (transaction) per batch. Target >= 20,000/s.
* single: one event per unit of work (its own transaction and commit), cycling
  INTAKE -> TRANSFER_OUT -> TRANSFER_IN -> RELEASE over pre-registered persons.
  Target >= 1,000/s on SQLite with synchronous=FULL.

The targets are SQLite's; PostgreSQL figures are compared with them for information.
Persons are registered before the clock starts; only the appends are timed. The single
measure also reports the storage's commit floor: bare one-row commits on the same database.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import rfc8785
from sqlalchemy import Engine, text

from custodia.custody import service as custody
from custodia.custody.rules import EventType
from custodia.custody.schemas import EventRequest
from custodia.db import dispose_engines, unit_of_work
from custodia.ledger import service as ledger
from custodia.registry import service as registry
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
from phases import phases

BATCHED_TARGET = 20_000.0
SINGLE_TARGET = 1_000.0
BREAKDOWN_BATCHED, BREAKDOWN_SINGLE = 25_000, 1_000


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
        EventRequest(
            event_type=EventType.TRANSFER_IN, person_id=person_id, facility_id=destination
        ),
        EventRequest(
            event_type=EventType.RELEASE, person_id=person_id, payload={"reason": "benchmark"}
        ),
    ]


def _rate(events: int, seconds: float, cpu: float) -> dict[str, Any]:
    return {
        "events": events,
        "seconds": round(seconds, 3),
        "events_per_s": round(events / seconds, 1),
        "ms_per_event": round(1000 * seconds / events, 4),
        "cpu_ms_per_event": round(1000 * cpu / events, 4),
    }


def batched(engine: Engine, ref: Reference, persons: list[int], batch_size: int) -> dict[str, Any]:
    facility = ref.custodial[0]
    requests = [_intake(pid, facility) for pid in persons]
    started, cpu = time.perf_counter(), time.process_time()
    with progress_bar("batched appends", len(requests)) as advance:
        for start in range(0, len(requests), batch_size):
            with unit_of_work(engine) as session:
                custody.record_events(
                    session, requests=requests[start : start + batch_size], actor_id=ref.user_id
                )
            advance(min(start + batch_size, len(requests)))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"batch_size": batch_size, **_rate(len(requests), seconds, cpu)}


def single(engine: Engine, ref: Reference, persons: list[int], events: int) -> dict[str, Any]:
    origin, destination = ref.custodial[0], ref.custodial[1]
    requests = [r for pid in persons for r in _cycle(pid, origin, destination)][:events]
    started, cpu = time.perf_counter(), time.process_time()
    with progress_bar("single-event appends", len(requests)) as advance:
        for done, request in enumerate(requests, 1):
            with unit_of_work(engine) as session:
                custody.record_event(session, request=request, actor_id=ref.user_id)
            if done % 250 == 0 or done == len(requests):
                advance(done)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"transactions": len(requests), **_rate(len(requests), seconds, cpu)}


def commit_floor(engine: Engine, commits: int = 500) -> dict[str, Any]:
    """Bare one-row transactions through the same engine: what the disk's flush costs."""
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE bench_commit_floor (id INTEGER PRIMARY KEY, v TEXT)"))
    started = time.perf_counter()
    for i in range(commits):
        with unit_of_work(engine) as session:
            session.execute(
                text("INSERT INTO bench_commit_floor (id, v) VALUES (:i, :v)"),
                {"i": i, "v": "x" * 300},
            )
    seconds = time.perf_counter() - started
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE bench_commit_floor"))
    return {
        "commits": commits,
        "commits_per_s": round(commits / seconds, 1),
        "ms_per_commit": round(1000 * seconds / commits, 3),
    }


def _timed_phases() -> list[tuple[Any, str, str]]:
    return [
        (custody, "_load_batch", "custody._load_batch"),
        (registry, "missing_person_ids", "  registry.missing_person_ids"),
        (registry, "facility_authorities", "  registry.facility_authorities"),
        (registry, "list_facilities", "  registry.list_facilities"),
        (registry, "organization_ids", "  registry.organization_ids"),
        (registry, "list_organizations", "  registry.list_organizations"),
        (custody, "_current_states", "  custody._current_states"),
        (custody, "_check", "custody._check (rules, per event)"),
        (ledger, "lock_head", "ledger.lock_head"),
        (ledger, "append", "ledger.append"),
        (ledger, "event_body", "  ledger.event_body"),
        (rfc8785, "dumps", "  rfc8785.dumps (canonical JSON)"),
        (custody, "_write_projection", "custody._write_projection"),
        (custody, "upsert", "  db.upsert (statement built per call + SQL)"),
        (custody, "_event_out", "custody._event_out (EventOut models)"),
    ]


def breakdown(
    engine: Engine, ref: Reference, bulk: list[int], cyclic: list[int], batch_size: int
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    runs: list[tuple[str, Callable[[], dict[str, Any]]]] = [
        ("batched", lambda: batched(engine, ref, bulk, batch_size)),
        ("single", lambda: single(engine, ref, cyclic, BREAKDOWN_SINGLE)),
    ]
    for name, run in runs:
        with phases(_timed_phases()) as timer:
            started = time.perf_counter()
            figures = run()
            total = time.perf_counter() - started
        out[name] = {"with_timers": figures, "phases": timer.report(total)}
    return out


def run_backend(engine: Engine, args: argparse.Namespace) -> dict[str, Any]:
    ref = Reference(engine)
    cycles = -(-args.single_events // 4)
    extra = (BREAKDOWN_BATCHED + BREAKDOWN_SINGLE // 4) if args.breakdown else 0
    persons = register_persons(engine, args.batched_events + cycles + extra)
    bulk, cyclic = persons[: args.batched_events], persons[args.batched_events :]
    result: dict[str, Any] = {"batched": batched(engine, ref, bulk, args.batch_size)}
    result["single"] = single(engine, ref, cyclic[:cycles], args.single_events)
    result["commit_floor"] = commit_floor(engine)
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            pragmas = ("journal_mode", "synchronous")
            result["settings"] = {p: conn.exec_driver_sql(f"PRAGMA {p}").scalar() for p in pragmas}
        else:
            shown = ("synchronous_commit", "fsync", "wal_sync_method", "shared_buffers")
            result["settings"] = {s: conn.execute(text(f"SHOW {s}")).scalar() for s in shown}
    result["targets"] = {
        "batched_events_per_s": check(result["batched"]["events_per_s"], at_least=BATCHED_TARGET),
        "single_events_per_s": check(result["single"]["events_per_s"], at_least=SINGLE_TARGET),
    }
    if args.breakdown:
        rest = cyclic[cycles:]
        split = BREAKDOWN_BATCHED
        result["breakdown"] = breakdown(engine, ref, rest[:split], rest[split:], args.batch_size)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batched-events", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=5_000)
    parser.add_argument("--single-events", type=int, default=4_000)
    parser.add_argument("--pg-server", default=DEFAULT_PG_SERVER)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument(
        "--breakdown", action="store_true", help="extra pass timing each phase of an append"
    )
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
        for target in result["postgres"]["targets"].values():
            target["informational"] = "the targets are SQLite's"
    result["pass"] = all(t["pass"] for t in result["sqlite"]["targets"].values())
    emit(result)


if __name__ == "__main__":
    main()
