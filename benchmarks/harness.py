"""What every benchmark shares: fresh databases (SQLite file, throw-away PostgreSQL
database), the reference data events need (organizations, facilities, a user), synthetic
persons, machine facts, timing statistics and the one-JSON-object-on-stdout rule.

Progress goes to stderr; stdout carries only the result, so ``> results/x.json`` works.
"""

from __future__ import annotations

import gc
import json
import os
import platform
import random
import sqlite3
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from custodia.db import dispose_engines, get_engine, unit_of_work, upgrade_database
from custodia.registry import service as registry
from custodia.registry.models import Role
from custodia.registry.schemas import FacilityIn, NameIn, OrganizationIn, PersonIn, UserIn
from custodia.scenario.gazetteer import ALL_SITES, ORGANIZATIONS

DEFAULT_PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
REPO = Path(__file__).resolve().parent.parent
err = Console(stderr=True)

# The agency that runs prisons and holding sites: transfers between its own sites need no
# non-refoulement safeguards, so a benchmark's transfers measure the append path alone.
_CUSTODIAL_AGENCY = "NESGF"
_AUTHORITY_OF_KIND = {
    "prison": "NESGF",
    "holding_site": "NESGF",
    "camp": "NESCA",
    "staging_airfield": "CJAC",
    "receiving_facility": "RG-CS",
}
_GIVEN = ("Ahmad", "Mohammed", "Omar", "Khalid", "Yusuf", "Ibrahim", "Hassan", "Ali", "Bilal")
_FAMILY = ("al-Hassan", "al-Shami", "al-Iraqi", "Haddad", "Khalil", "Saleh", "Mansour", "Nasser")


def log(message: str) -> None:
    err.print(f"[dim]bench[/] {message}", highlight=False)


def emit(result: dict[str, Any]) -> None:
    """The benchmark's one JSON object, on stdout."""
    if isinstance(result.get("machine"), dict):
        result["machine"]["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    sys.stdout.write(json.dumps(result, indent=2, default=str) + "\n")
    sys.stdout.flush()


def check(
    value: float, *, at_least: float | None = None, at_most: float | None = None
) -> dict[str, Any]:
    """A figure against its target, as reported in every result. A numpy figure (a
    solver's) is read as the Python number it holds: compared, it gives a numpy bool, which
    JSON writes as the string "True"."""
    value = value.item() if hasattr(value, "item") else value
    if at_least is not None:
        return {"value": value, "target": f">= {at_least}", "pass": value >= at_least}
    if at_most is not None:
        return {"value": value, "target": f"<= {at_most}", "pass": value <= at_most}
    raise ValueError("a target needs at_least or at_most")


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)

    def rank(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 3)

    return {
        "p50_ms": rank(0.50),
        "p95_ms": rank(0.95),
        "p99_ms": rank(0.99),
        "max_ms": round(ordered[-1], 3),
        "mean_ms": round(sum(ordered) / len(ordered), 3),
    }


@contextmanager
def collector_pauses() -> Iterator[dict[str, Any]]:
    """The garbage collector's pauses while the block runs, by generation (0 and 1 young, 2
    the full collection that walks every object alive): how many, and their total and
    longest milliseconds. Filled in when the block ends."""
    pauses: list[tuple[int, float]] = []
    started = 0.0

    def timed(phase: str, info: dict[str, int]) -> None:
        nonlocal started
        if phase == "start":
            started = time.perf_counter()
        else:
            pauses.append((info["generation"], (time.perf_counter() - started) * 1000))

    out: dict[str, Any] = {}
    gc.callbacks.append(timed)
    try:
        yield out
    finally:
        gc.callbacks.remove(timed)
    for generation in (0, 1, 2):
        ms = [t for g, t in pauses if g == generation]
        out[f"generation_{generation}"] = {
            "collections": len(ms),
            "total_ms": round(sum(ms), 1),
            "longest_ms": round(max(ms, default=0.0), 1),
        }


def machine_info(pg_server: str | None = None) -> dict[str, Any]:
    info: dict[str, Any] = {
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "sqlalchemy": sqlalchemy.__version__,
        "postgres": None,
        # Other work on the machine skews every figure: look here before comparing runs.
        "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
    }
    if pg_server:
        info["postgres"] = postgres_version(pg_server)
    return info


def postgres_version(server_url: str) -> str | None:
    """The server's version string, or None when it does not answer."""
    engine = create_engine(server_url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            return str(conn.scalar(text("SHOW server_version")))
    except sqlalchemy.exc.OperationalError:
        return None
    finally:
        engine.dispose()


def sqlite_url(directory: Path, name: str = "bench.db") -> str:
    return f"sqlite:///{directory / name}"


def fresh_sqlite(directory: Path, name: str = "bench.db") -> Engine:
    """A new migrated SQLite file (WAL, synchronous=FULL: the product's own pragmas)."""
    url = sqlite_url(directory, name)
    upgrade_database(url)
    return get_engine(url)


@contextmanager
def fresh_postgres(server_url: str) -> Iterator[Engine]:
    """A new migrated PostgreSQL database, dropped when the block ends."""
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    name = f"custodia_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade_database(url)
        yield get_engine(url)
    finally:
        dispose_engines()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


class Reference:
    """Organizations, the gazetteer's facilities and a recording user."""

    def __init__(self, engine: Engine) -> None:
        with unit_of_work(engine) as session:
            orgs = {
                o.code: registry.create_organization(
                    session,
                    org_in=OrganizationIn(code=o.code, name=o.name, kind=o.kind, country=o.country),
                ).id
                for o in ORGANIZATIONS
            }
            self.facilities: dict[str, int] = {}
            self.custodial: list[int] = []
            for site in ALL_SITES:
                authority = _AUTHORITY_OF_KIND[site.kind]
                facility = registry.create_facility(
                    session,
                    facility_in=FacilityIn(
                        code=site.code,
                        name=site.name,
                        kind=site.kind,
                        town=site.town,
                        latitude=site.lat,
                        longitude=site.lon,
                        capacity=site.capacity,
                        authority_id=orgs[authority],
                    ),
                )
                self.facilities[site.code] = facility.id
                if authority == _CUSTODIAL_AGENCY:
                    self.custodial.append(facility.id)
            self.user_id = registry.create_user(
                session,
                user_in=UserIn(
                    username="bench",
                    display_name="Benchmark",
                    organization_id=orgs[_CUSTODIAL_AGENCY],
                    role=Role.ADMIN,
                ),
            ).id


def synthetic_person(rng: random.Random) -> PersonIn:
    given, father, family = rng.choice(_GIVEN), rng.choice(_GIVEN), rng.choice(_FAMILY)
    return PersonIn(
        category="detainee",
        sex="M",
        date_of_birth=str(rng.randint(1960, 2006)),
        nationalities=[rng.choice(("SY", "IQ", "FR", "TN", "RU"))],
        names=[NameIn(full_name=f"{given} {father} {family}")],
    )


def register_persons(
    engine: Engine, count: int, *, seed: int = 1, chunk: int = 10_000
) -> list[int]:
    """Register ``count`` synthetic persons through the registry service, in bulk."""
    rng = random.Random(seed)
    ids: list[int] = []
    with progress_bar("registering persons", count) as advance:
        for start in range(0, count, chunk):
            persons = [synthetic_person(rng) for _ in range(min(chunk, count - start))]
            with unit_of_work(engine) as session:
                ids.extend(registry.register_persons(session, persons_in=persons))
            advance(len(ids))
    return ids


@contextmanager
def progress_bar(description: str, total: int | None) -> Iterator[Callable[..., None]]:
    """A Rich progress bar on stderr; yields ``advance(done, total=None, description=None)``."""
    columns = [
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    ]
    with Progress(*columns, console=err, transient=False) as progress:
        task = progress.add_task(description, total=total)

        def advance(done: int, total: int | None = None, description: str | None = None) -> None:
            update: dict[str, Any] = {"completed": done}
            if total is not None:
                update["total"] = total
            if description is not None:
                update["description"] = description
            progress.update(task, **update)

        yield advance
