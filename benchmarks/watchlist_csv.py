"""An agency's own watchlist as CSV (`custodia watchlist import csv`), against the scenario's
46,000 persons: the time to import a list of N individuals, the time to screen every person
against it (as `custodia watchlist screen` runs it, one process per core), and how many of
the men planted on the list the review queue then holds.

The list: N synthetic individuals (the scenario's name generator, men of the scenario's
nationalities, born 1962-2006), each with a spelling variant as an alias, a kunya as a weak
alias for some, a date of birth (a year for half), a nationality. Planted among them: 50
registered detainees, listed as an Iraqi list writes them, in Arabic script where the
registry holds an Arabic rendering (else the Latin one in capitals, surname first), with the
year of birth and the nationality. A planted man is found when the queue holds an item
pairing his record with his entry. Other hits are reported as they are: the generator's
vocabulary is small, so some are namesakes born the same year, as on a real list.

Usage: PYTHONPATH=src:benchmarks .venv/bin/python benchmarks/watchlist_csv.py \
    sqlite:////tmp/copy.db [N] > benchmarks/results/watchlist_csv.json
(the database must hold a scenario, and is written to: use a copy)
"""

from __future__ import annotations

import csv
import io
import os
import random
import sys
import time

from sqlalchemy import Engine

from custodia.db import get_engine, read_session, unit_of_work
from custodia.identity import index
from custodia.identity import service as identity
from custodia.identity.schemas import ScreenResult, WatchlistImportResult
from custodia.registry import service as registry
from custodia.scenario import naming
from harness import emit, log, machine_info

PLANTED = 50
COLUMNS = ("reference", "name", "aliases", "weak_aliases", "date_of_birth", "nationality")


def _synthetic_row(rng: random.Random, i: int) -> dict[str, str]:
    nationality = naming.sample_nationality(rng)
    names = naming.generate_person_name(rng, sex="M", nationality=nationality)
    born = f"{rng.randint(1962, 2006)}"
    if rng.random() < 0.5:
        born += f"-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    aliases = [naming.spelling_variant(rng, names)]
    if names.full_arabic and rng.random() < 0.5:
        aliases.append(names.full_arabic)
    return {
        "reference": f"W-{i:06d}",
        "name": names.full_latin,
        "aliases": ";".join(a for a in aliases if a != names.full_latin),
        "weak_aliases": naming.alias_name(rng, names) if rng.random() < 0.3 else "",
        "date_of_birth": born,
        "nationality": nationality,
    }


def _planted_rows(engine: Engine, rng: random.Random) -> list[tuple[int, dict[str, str]]]:
    """50 registered detainees, as the list would write them."""
    with read_session(engine) as session:
        ids = index.all_person_ids(session)
        out: list[tuple[int, dict[str, str]]] = []
        for pid in rng.sample(ids, 400):
            person = registry.get_person(session, person_id=pid)
            if person.category != "detainee" or not person.date_of_birth:
                continue
            arabic = [n.full_name for n in person.names if n.script == "Arab"]
            latin = person.primary_name
            written = arabic[0] if arabic else latin.upper()
            out.append(
                (
                    pid,
                    {
                        "reference": f"P-{len(out):03d}",
                        "name": written,
                        "aliases": "",
                        "weak_aliases": "",
                        "date_of_birth": person.date_of_birth[:4],
                        "nationality": ";".join(person.nationalities[:1]),
                    },
                )
            )
            if len(out) == PLANTED:
                return out
    raise SystemExit("the database holds too few detainees with a date of birth")


def _queued_hits(engine: Engine) -> set[tuple[int, str]]:
    """(person, listed reference) of every watchlist hit in the review queue."""
    found: set[tuple[int, str]] = set()
    offset = 0
    with read_session(engine) as session:
        while items := identity.list_queue(
            session, kind="watchlist", limit=500, offset=offset
        ).items:
            offset += len(items)
            found |= {
                (i.person_a.person_id, i.watchlist_entry.reference)
                for i in items
                if i.watchlist_entry is not None
            }
    return found


REFRESH_SHARE = 0.01  # of the list's individuals: changed, added and delisted each


def _weekly_refresh(
    engine: Engine, rng: random.Random, rows: list[dict[str, str]]
) -> dict[str, object]:
    """The partner's next export: 1 % of the individuals with another alias, 1 % new, 1 %
    delisted; imported, then screened as `custodia watchlist screen` runs by default (the
    entries new or changed since the last run)."""
    n = max(1, int(len(rows) * REFRESH_SHARE))
    kept = rows[n:]  # the first n delisted
    for row in rng.sample(kept, n):
        names = naming.generate_person_name(rng, sex="M", nationality=row["nationality"])
        row["aliases"] = ";".join(a for a in (row["aliases"], names.full_latin) if a)
    added = [_synthetic_row(rng, len(rows) + i) for i in range(n)]
    imported, import_seconds = _import(engine, [*kept, *added])
    log(f"refresh: {n} changed, {n} new, {imported.withdrawn} delisted; screening the changes")
    run, seconds = _screen(engine)
    log(f"refresh screened in {seconds:.1f} s: {run.entries} entries, {run.hits} hits")
    return {
        "changed": n,
        "added": n,
        "delisted": imported.withdrawn,
        "import_seconds": round(import_seconds, 2),
        "entries_screened": run.entries,
        "entries_left_out": run.already_screened,
        "screen_seconds": round(seconds, 2),
        "hits": run.hits,
        "queued": run.proposed,
    }


def _import(engine: Engine, rows: list[dict[str, str]]) -> tuple[WatchlistImportResult, float]:
    """The rows imported as the list, as a CSV file's bytes; and the seconds it took."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    t0 = time.perf_counter()
    with unit_of_work(engine) as session:
        imported = identity.import_csv_list(
            session, data=out.getvalue().encode("utf-8"), list_name="bench-list"
        )
    return imported, time.perf_counter() - t0


def _screen(engine: Engine) -> tuple[ScreenResult, float]:
    """A run as `custodia watchlist screen` makes it (one process per core), and its
    seconds."""
    t0 = time.perf_counter()
    with unit_of_work(engine) as session:
        run = identity.screen_all_persons(session, workers=os.cpu_count() or 1)
    return run, time.perf_counter() - t0


def main() -> None:
    url = sys.argv[1]
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 20_000
    rng = random.Random(11)
    engine = get_engine(url)
    with unit_of_work(engine) as session:
        index.ensure_indexed(session)
    planted = _planted_rows(engine, rng)
    rows = [_synthetic_row(rng, i) for i in range(size - len(planted))]
    rows += [row for _, row in planted]
    rng.shuffle(rows)
    log(f"{len(rows)} listed individuals, {len(planted)} of them registered; importing")
    imported, import_seconds = _import(engine, rows)
    log(f"imported in {import_seconds:.1f} s; screening")
    screened, screen_seconds = _screen(engine)
    found = _queued_hits(engine)
    planted_found = sum(1 for pid, row in planted if (pid, row["reference"]) in found)
    log(f"screened in {screen_seconds:.1f} s: {screened.hits} hits, {planted_found} planted")
    refresh = _weekly_refresh(engine, rng, rows)
    emit(
        {
            "benchmark": "watchlist_csv",
            "listed": len(rows),
            "names": imported.names,
            "persons": screened.persons,
            "import_seconds": round(import_seconds, 2),
            "screen_seconds": round(screen_seconds, 2),
            "hits": screened.hits,
            "queued": screened.proposed,
            "planted": len(planted),
            "planted_found": planted_found,
            "other_hits": screened.hits - planted_found,
            "refresh": refresh,
            # no target names an agency list; the UN list's (46,000 persons in 30 s) is
            # for a list of 624 individuals
            "machine": machine_info(),
        }
    )


if __name__ == "__main__":
    main()
