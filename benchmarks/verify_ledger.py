"""Full verification of a large ledger: ``custodia.ledger.service.verify`` recomputes every
leaf hash, the hash chain and the RFC 9162 Merkle root from the rows. Target: a
1,000,000-event ledger in <= 10 s.

The ledger is built on a fresh SQLite file through ``custody.service.record_events`` in
batches (one unit of work each): custody cycles INTAKE -> TRANSFER_OUT -> TRANSFER_IN ->
RELEASE over ``--persons`` registered persons, so bodies have the payload shapes of real
events. Only ``verify()`` is timed, in a read session, without a progress callback.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from custodia.custody import service as custody
from custodia.custody.rules import EventType
from custodia.custody.schemas import EventRequest
from custodia.db import dispose_engines, read_session, unit_of_work
from custodia.ledger import service as ledger
from custodia.ledger.models import LedgerEvent
from harness import (
    Reference,
    check,
    emit,
    fresh_sqlite,
    log,
    machine_info,
    progress_bar,
    register_persons,
)

TARGET_SECONDS_PER_MILLION = 10.0
_CYCLE = (EventType.INTAKE, EventType.TRANSFER_OUT, EventType.TRANSFER_IN, EventType.RELEASE)


def _request(kind: EventType, person_id: int, origin: int, destination: int) -> EventRequest:
    if kind is EventType.INTAKE:
        return EventRequest(event_type=kind, person_id=person_id, facility_id=origin)
    if kind is EventType.TRANSFER_OUT:
        payload = {"destination_facility_id": destination}
        return EventRequest(event_type=kind, person_id=person_id, payload=payload)
    if kind is EventType.TRANSFER_IN:
        return EventRequest(event_type=kind, person_id=person_id, facility_id=destination)
    return EventRequest(event_type=kind, person_id=person_id, payload={"reason": "released"})


def build_ledger(
    engine: Engine, ref: Reference, persons: list[int], events: int, batch_size: int
) -> float:
    """Append ``events`` events in batches; a batch takes ``batch_size // 4`` persons
    through one whole custody cycle, so every batch leaves them released."""
    per_batch = max(1, batch_size // len(_CYCLE))
    sites = ref.custodial
    started = time.perf_counter()
    done, cursor = 0, 0
    with progress_bar("building ledger", events) as advance:
        while done < events:
            chunk = [persons[(cursor + i) % len(persons)] for i in range(per_batch)]
            cursor += per_batch
            origin, destination = sites[cursor % len(sites)], sites[(cursor + 1) % len(sites)]
            requests = [
                _request(kind, pid, origin, destination) for kind in _CYCLE for pid in chunk
            ][: events - done]
            with unit_of_work(engine) as session:
                custody.record_events(session, requests=requests, actor_id=ref.user_id)
            done += len(requests)
            advance(done)
    return time.perf_counter() - started


def timed_verify(engine: Engine) -> dict[str, Any]:
    with read_session(engine) as session:
        started = time.perf_counter()
        cpu = time.process_time()
        report = ledger.verify(session, log="custodia-ledger")
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu
    return {
        "ok": report.ok,
        "problem": report.problem,
        "events": report.events,
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu_seconds, 3),
        "events_per_s": round(report.events / seconds, 1),
        "root_hash": report.root_hash,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--persons", type=int, default=50_000)
    parser.add_argument("--batch-size", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=2, help="verify runs (best is reported)")
    parser.add_argument("--keep", type=Path, help="build the ledger in this directory and keep it")
    args = parser.parse_args()
    result: dict[str, Any] = {"benchmark": "verify_ledger", "parameters": vars(args)}
    result["machine"] = machine_info()
    with tempfile.TemporaryDirectory(prefix="custodia-bench-") as tmp:
        directory = args.keep or Path(tmp)
        directory.mkdir(parents=True, exist_ok=True)
        engine = fresh_sqlite(directory, "ledger.db")
        ref = Reference(engine)
        per_batch = max(1, args.batch_size // 4)
        persons = register_persons(engine, max(per_batch, min(args.persons, args.events)))
        build = build_ledger(engine, ref, persons, args.events, args.batch_size)
        with read_session(engine) as session:
            size = int(session.scalar(select(func.count()).select_from(LedgerEvent)) or 0)
        database = directory / "ledger.db"
        result["build"] = {
            "events": size,
            "seconds": round(build, 1),
            "events_per_s": round(size / build, 1),
            "database_mb": round(database.stat().st_size / 2**20, 1),
        }
        runs = []
        for attempt in range(1, args.repeat + 1):
            log(f"verify run {attempt}/{args.repeat} over {size:,} events")
            runs.append(timed_verify(engine))
            log(f"  {runs[-1]['seconds']} s, ok={runs[-1]['ok']}")
        dispose_engines()
    best = min(runs, key=lambda run: float(run["seconds"]))
    scaled = float(best["seconds"]) * 1_000_000 / max(1, int(best["events"]))
    result["verify_runs"] = runs
    result["verify"] = best
    result["targets"] = {
        "seconds_for_1M_events": check(round(scaled, 3), at_most=TARGET_SECONDS_PER_MILLION),
        "ledger_ok": {"value": best["ok"], "target": "true", "pass": bool(best["ok"])},
    }
    if args.events != 1_000_000:
        result["targets"]["seconds_for_1M_events"]["note"] = (
            f"extrapolated linearly from {best['events']:,} events"
        )
    result["pass"] = all(t["pass"] for t in result["targets"].values())
    emit(result)


if __name__ == "__main__":
    main()
