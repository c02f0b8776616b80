"""API latency of person look-ups under load: 20 concurrent clients on loopback against
``uvicorn`` serving ``custodia.api.app:create_app`` over the default scenario (SQLite).

* GET /persons/{id} for random registered persons. Target p95 <= 20 ms.
* GET /persons?name=... with one or two words of real names from the database.
  Target p95 <= 100 ms.

Every request carries ``Authorization: Bearer <admin token>``. The clock runs from send to
the last byte of the body, per request; the clients share one aiohttp event loop, each
with a keep-alive connection of its own (a client of threads with httpx spent more CPU
per request than the server's framework: on 2 cores it measured itself).
The targets are judged on the closed loop (each client sends its next request as soon as
the last one is answered). A separate, labelled open-loop run (``--paced-rate``) has each
client send on a fixed schedule instead, as people at terminals do.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import httpx
from sqlalchemy import Engine, select

from custodia.db import dispose_engines, get_engine, read_session, unit_of_work, upgrade_database
from custodia.ledger.signing import load_or_create_signing_key
from custodia.registry.models import Person, PersonName
from custodia.scenario import service as scenario
from harness import REPO, check, emit, log, machine_info, percentiles, progress_bar

LOOKUP_P95_MS = 20.0
SEARCH_P95_MS = 100.0


def build_scenario(engine: Engine, seed: int) -> None:
    with progress_bar("generating scenario", None) as advance, unit_of_work(engine) as session:
        scenario.generate(
            session=session,
            seed=seed,
            detainees=6000,
            camp_residents=40000,
            progress=advance,
        )


def sample_requests(engine: Engine, count: int, seed: int) -> tuple[list[str], list[str]]:
    """Paths for ``count`` look-ups by id and ``count`` name searches."""
    rng = random.Random(seed)
    with read_session(engine) as session:
        ids = list(session.scalars(select(Person.id)))
        names = list(session.scalars(select(PersonName.full_name)))
    lookups = [f"/persons/{rng.choice(ids)}" for _ in range(count)]
    searches = []
    for _ in range(count):
        words = [w for w in rng.choice(names).split() if len(w) > 2] or ["a"]
        if len(words) > 1 and rng.random() < 0.6:
            first, last = words[0], words[-1]
            query = f"{first} {last}"
        else:
            query = rng.choice(words)
        searches.append(str(httpx.URL("/persons", params={"name": query})))
    return lookups, searches


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(url: str, data_dir: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env.update({"CUSTODIA_DATABASE_URL": url, "CUSTODIA_DATA_DIR": str(data_dir)})
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "src"), env.get("PYTHONPATH")]))
    # as `custodia serve` serves (custodia.api.serving), without its access log
    serve = f"serve('127.0.0.1', {port}, {workers}, log_level='warning', access_log=False)"
    command = [sys.executable, "-c", f"from custodia.api.serving import serve; {serve}"]
    server = subprocess.Popen(command, env=env, cwd=REPO)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the API server exited with code {server.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    server.terminate()
    raise SystemExit("the API server did not answer GET /health within 60 s")


def _record(
    status: int, body: bytes, errors: dict[str, int], totals: list[tuple[int, bool]]
) -> None:
    """Count an error, or note how many persons a search matched (and whether the server
    stopped counting: then the figure is a lower bound)."""
    if status != 200:
        key = str(status)
        errors[key] = errors.get(key, 0) + 1
    elif b'"total"' in body and "total" in (answer := json.loads(body)):
        totals.append((int(answer["total"]), bool(answer.get("total_is_lower_bound"))))


def _matches(totals: list[tuple[int, bool]]) -> dict[str, Any]:
    ordered = sorted(totals)
    return {
        "median": ordered[len(ordered) // 2][0],
        "max": ordered[-1][0],
        "zero": sum(1 for total, _ in ordered if total == 0),
        "lower_bounds": sum(1 for _, bound in ordered if bound),
    }


def server_cpu_seconds(pid: int) -> float | None:
    """CPU time of the server and its worker processes so far (Linux /proc), else None."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        ticks = 0
        for proc in [pid, *map(int, children)]:
            fields = Path(f"/proc/{proc}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
        return ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError):
        return None


# A client's requests are sent at these offsets (s) from the start, or back to back (None).
Schedule = Callable[[int], float] | None


@dataclass
class _Tally:
    """What the clients of one run saw."""

    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    totals: list[tuple[int, bool]] = field(default_factory=list)
    late: int = 0


async def _client(
    http: aiohttp.ClientSession, share: list[str], due: Schedule, begin: float, tally: _Tally
) -> None:
    """One client: its requests in turn, on one keep-alive connection; each latency from
    the send (closed loop) or from the scheduled send time (open loop)."""
    for n, path in enumerate(share):
        started = time.perf_counter()
        if due is not None:
            started = begin + due(n)
            wait = started - time.perf_counter()
            if wait > 0:
                await asyncio.sleep(wait)
            elif wait < -0.001:
                tally.late += 1
        async with http.get(path) as response:
            body = await response.read()
        tally.latencies.append(1000 * (time.perf_counter() - started))
        _record(response.status, body, tally.errors, tally.totals)


async def _run_clients(
    base: str, token: str, shares: list[list[str]], schedules: list[Schedule], tally: _Tally
) -> float:
    """Run the clients on one event loop; the seconds from the first send to the last
    answer."""
    headers = {"Authorization": f"Bearer {token}"}
    connector = aiohttp.TCPConnector(limit=len(shares))
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(
        base, headers=headers, connector=connector, timeout=timeout
    ) as http:
        # an open loop's first sends are scheduled a moment ahead, when all clients are up
        begin = time.perf_counter() + (0.2 if any(schedules) else 0.0)
        await asyncio.gather(
            *(
                _client(http, share, due, begin, tally)
                for share, due in zip(shares, schedules, strict=True)
            )
        )
        return time.perf_counter() - begin


def _drive(
    base: str, token: str, paths: list[str], clients: int, pid: int, rate: float | None
) -> tuple[dict[str, Any], _Tally]:
    """Send ``paths`` from ``clients`` concurrent clients, back to back or each at ``rate``
    requests per second (starts staggered); latency per request in ms, and where the CPU
    went (client and server share the machine's cores)."""
    shares = [paths[i::clients] for i in range(clients)]
    schedules: list[Schedule] = [None] * clients
    if rate is not None:
        interval = 1 / rate
        schedules = [
            (lambda n, first=index * interval / clients: first + n * interval)
            for index in range(clients)
        ]
    tally = _Tally()
    client_cpu, server_cpu = time.process_time(), server_cpu_seconds(pid)
    seconds = asyncio.run(_run_clients(base, token, shares, schedules, tally))
    client_cpu = time.process_time() - client_cpu
    server_after = server_cpu_seconds(pid)
    result: dict[str, Any] = {
        "requests": len(tally.latencies),
        "clients": clients,
        "errors": tally.errors,
        "seconds": round(seconds, 3),
        "requests_per_s": round(len(tally.latencies) / seconds, 1),
        **percentiles(tally.latencies),
        "client_cpu_ms_per_request": round(1000 * client_cpu / len(paths), 3),
    }
    if server_cpu is not None and server_after is not None:
        result["server_cpu_ms_per_request"] = round(
            1000 * (server_after - server_cpu) / len(paths), 3
        )
    if tally.totals:
        result["matches_per_query"] = _matches(tally.totals)
    return result, tally


def load(base: str, token: str, paths: list[str], clients: int, pid: int) -> dict[str, Any]:
    """Closed loop: each client sends its next request as soon as the last is answered."""
    return _drive(base, token, paths, clients, pid, rate=None)[0]


def paced(
    base: str, token: str, paths: list[str], clients: int, rate: float, pid: int
) -> dict[str, Any]:
    """Open loop: each client sends its share of ``paths`` on a fixed schedule, ``rate``
    requests per second, whatever the answers take. Latency runs from the scheduled send
    time, so a request that had to wait for its client's previous answer counts the wait
    too (no coordinated omission)."""
    result, tally = _drive(base, token, paths, clients, pid, rate=rate)
    result["offered_requests_per_s"] = round(clients * rate, 1)
    result["sent_late_over_1ms"] = tally.late
    return result


def measure(args: argparse.Namespace, url: str, data_dir: Path) -> dict[str, Any]:
    engine = get_engine(url)
    with unit_of_work(engine) as session:
        token = scenario.demo_admin_token(session=session)
    lookups, searches = sample_requests(engine, args.requests + args.warmup, args.seed)
    dispose_engines()
    # As `custodia serve` does: each worker process builds an app that loads the key.
    load_or_create_signing_key(data_dir / "ledger-signing-key.pem")
    port = free_port()
    log(f"starting uvicorn on 127.0.0.1:{port} ({args.workers} worker(s))")
    server = start_server(url, data_dir, port, args.workers)
    base, pid = f"http://127.0.0.1:{port}", server.pid
    results: dict[str, Any] = {"server": {"workers": args.workers, "url": "loopback"}}
    try:
        runs: list[tuple[str, list[str]]] = [
            ("lookup_by_id", lookups),
            ("search_by_name", searches),
        ]
        for kind, paths in runs:
            log(f"{kind}: warm-up {args.warmup}, then {args.requests} requests")
            load(base, token, paths[: args.warmup], args.clients, server.pid)
            results[kind] = load(base, token, paths[args.warmup :], args.clients, server.pid)
            log(f"  p50 {results[kind]['p50_ms']} ms, p95 {results[kind]['p95_ms']} ms")
        if args.paced_rate > 0:
            log(f"open loop: {args.clients} clients at {args.paced_rate}/s each")
            window = slice(args.warmup, args.warmup + args.paced_requests)
            results["paced_open_loop"] = {
                "note": "each client sends on a fixed schedule (not the closed loop the "
                "targets are judged on); latency counts from the scheduled send time",
                "rate_per_client_per_s": args.paced_rate,
                **{
                    kind: paced(base, token, paths[window], args.clients, args.paced_rate, pid)
                    for kind, paths in runs
                },
            }
        log("context: one client alone, and GET /health under the same load")
        results["context"] = {
            "lookup_by_id_1_client": load(base, token, lookups[:200], 1, server.pid),
            "search_by_name_1_client": load(base, token, searches[:200], 1, server.pid),
            f"health_{args.clients}_clients": load(
                base, token, ["/health"] * 1000, args.clients, server.pid
            ),
        }
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="reuse this scenario database (default: build)")
    parser.add_argument("--requests", type=int, default=2000, help="per kind of request")
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--paced-rate",
        type=float,
        default=5.0,
        help="open-loop run: requests per second per client (0: skip it)",
    )
    parser.add_argument("--paced-requests", type=int, default=1000, help="per kind of request")
    args = parser.parse_args()
    result: dict[str, Any] = {"benchmark": "api_latency", "parameters": vars(args)}
    result["machine"] = machine_info()
    with tempfile.TemporaryDirectory(prefix="custodia-bench-") as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'custodia.db'}"
        upgrade_database(url)
        if not args.database_url:
            started = time.perf_counter()
            build_scenario(get_engine(url), args.seed)
            result["scenario_build_seconds"] = round(time.perf_counter() - started, 1)
        result.update(measure(args, url, Path(tmp)))
    result["targets"] = {
        "lookup_p95_ms": check(result["lookup_by_id"]["p95_ms"], at_most=LOOKUP_P95_MS),
        "search_p95_ms": check(result["search_by_name"]["p95_ms"], at_most=SEARCH_P95_MS),
    }
    for kind in ("lookup_by_id", "search_by_name"):
        if result[kind]["errors"]:
            result["targets"][f"{kind}_errors"] = {"value": result[kind]["errors"], "pass": False}
    result["pass"] = all(t["pass"] for t in result["targets"].values())
    emit(result)


if __name__ == "__main__":
    main()
