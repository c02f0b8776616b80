"""Online name search latency against a scenario registry (46,000 persons by default) and
the time to screen every person against the UN list.

Queries: the primary name of 500 random persons as registered, half with the year of birth.
Each query is one `search_persons` call in its own read session, as the API serves it (the
heap frozen first, as each server process freezes it at start: ``freeze_heap``);
reported: the latency, and how often the person whose name it is is listed (top 10) and
first (or tied first with namesakes written and born alike), and the garbage collector's
pauses during those searches. The same persons' names as the record writes them in Arabic
script, where it does, likewise.
Nom-de-guerre queries: each record the scenario planted as a man's nom de guerre alone,
searched as an intake officer would type it (its name, date of birth, nationality, mother's
name and birthplace, as far as the record holds them); reported:
the latency, and how often the man's own record is listed, among the name candidates or
among the men the nom de guerre may stand for (``behind_the_nom_de_guerre``). The record
itself stays in the registry: its name finds it, and as a record known only by that nom de
guerre it does not compete with the men behind it.
Screening: the UN list is imported, 50 listed individuals are registered under one of
their Good aliases (intake screening runs), then every person is screened; reported: the
time, the hits, how many planted individuals their own entry hit in the review queue (intake
and batch together) and how many the batch step alone re-finds.

Usage: PYTHONPATH=src .venv/bin/python benchmarks/identity_search.py sqlite:////tmp/x.db \
    > benchmarks/results/identity_search.json
The screening step writes hits to the review queue of that database.
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

from sqlalchemy import Engine, select

sys.path.insert(0, str(Path(__file__).resolve().parent))

from custodia.api.serving import freeze_heap
from custodia.db import get_engine, read_session, unit_of_work
from custodia.identity import index, screening
from custodia.identity import service as identity
from custodia.identity.models import WatchlistEntry
from custodia.identity.watchlist import read_un_xml
from custodia.registry import service as registry
from custodia.registry.models import PersonCategory, Sex
from custodia.registry.schemas import NameIn, PersonIn
from custodia.scenario import service as scenario
from harness import check, collector_pauses, emit, log, machine_info, percentiles

UN_XML = (
    Path(__file__).resolve().parents[1].parent
    / "shared/data/un-sc-consolidated-2015/consolidated-2015-03-13.xml"
)


def _plant(engine: Engine, rng: random.Random) -> list[tuple[int, frozenset[str]]]:
    """Register 50 listed individuals (under one of their Good aliases in Latin script,
    with their first date of birth and nationality) so screening has true hits to find; each
    with the references of its entry (and of the entry's double listings: a hit on any of
    them finds the man)."""
    listed = [e for e in read_un_xml(UN_XML) if any(n.quality == "good" for n in e.names)]
    chosen = rng.sample(listed, 50)
    persons = []
    for entry in chosen:
        alias = rng.choice([n.name for n in entry.names if n.quality == "good"])
        persons.append(
            PersonIn(
                category=PersonCategory.DETAINEE,
                sex=Sex.MALE,
                date_of_birth=entry.dates_of_birth[0] if entry.dates_of_birth else None,
                nationalities=entry.nationalities[:1],
                names=[NameIn(full_name=alias[:300])],
            )
        )
    with unit_of_work(engine) as session:
        ids = registry.register_persons(session, persons_in=persons)
    return [
        (pid, frozenset({entry.reference, *entry.also_listed_as}))
        for pid, entry in zip(ids, chosen, strict=True)
    ]


def _nom_de_guerre_queries(engine: Engine) -> dict[str, object]:
    with read_session(engine) as session:
        truth = scenario.duplicate_truth(session=session)
        aliases = [(r, t) for r, t, kind in truth if kind == "alias"]
        profiles = index.load_profiles(session, [r for r, _ in aliases])
    samples: list[float] = []
    by_name = behind = 0
    for record, man in aliases:
        p = profiles[record]
        t0 = time.perf_counter()
        with read_session(engine) as session:
            found = identity.search_persons(
                session,
                name=p.names[0].parsed.text,
                date_of_birth=p.dob_text,
                nationality=p.nationalities[0] if p.nationalities else None,
                mother_name=p.mother,
                place_of_birth=p.place_of_birth,
            )
        samples.append((time.perf_counter() - t0) * 1000)
        by_name += man in {c.person_id for c in found.candidates}
        behind += man in {c.person_id for c in found.behind_the_nom_de_guerre}
    n = max(len(aliases), 1)
    return {
        "queries": len(aliases),
        "search_ms": percentiles(samples),
        "man_listed_by_name": round(by_name / n, 4),
        "man_listed_behind_the_nom_de_guerre": round(behind / n, 4),
        "man_listed": round((by_name + behind) / n, 4),
    }


def _searched(
    engine: Engine, queries: list[tuple[int, str, str | None]]
) -> tuple[dict[str, float], dict[str, float]]:
    """Each query as one `search_persons` call in its own read session, as the API serves it:
    the latencies, and how often the person whose name it is comes back: listed (top 10),
    first, or first with namesakes that score the same (written alike, and born alike where
    the query gives a year: no name search can tell them apart)."""
    samples: list[float] = []
    listed = first = tied_first = 0
    for pid, name, year in queries:
        t0 = time.perf_counter()
        with read_session(engine) as session:
            found = identity.search_persons(session, name=name, date_of_birth=year, limit=10)
        samples.append((time.perf_counter() - t0) * 1000)
        mine = next((c for c in found.candidates if c.person_id == pid), None)
        listed += mine is not None
        first += bool(found.candidates) and found.candidates[0].person_id == pid
        tied_first += mine is not None and mine.score == found.candidates[0].score
    n = max(len(queries), 1)
    own = {
        "listed": round(listed / n, 4),
        "first": round(first / n, 4),
        "first_or_tied_first": round(tied_first / n, 4),
    }
    return percentiles(samples), own


def main() -> None:
    url = sys.argv[1]
    engine = get_engine(url)
    rng = random.Random(7)
    with unit_of_work(engine) as session:
        added = index.ensure_indexed(session)
    with read_session(engine) as session:
        ids = index.all_person_ids(session)
        sample = rng.sample(ids, 500)
        profiles = index.load_profiles(session, sample)
    queries = []
    arabic = []
    for pid in sample:
        p = profiles[pid]
        year = p.dob_text[:4] if p.dob_text and rng.random() < 0.5 else None
        queries.append((pid, p.names[0].parsed.text, year))
        written = next((n.parsed.text for n in p.names if n.parsed.arabic), None)
        if written and not p.names[0].parsed.arabic:
            arabic.append((pid, written, year))
    log(f"{len(ids)} persons ({added} indexed now); {len(queries)} queries")
    freeze_heap()  # as each server process does once it has started
    with read_session(engine) as session:  # warm the key statistics once, as a server would
        identity.search_persons(session, name=queries[0][1])
    with collector_pauses() as collector:
        stats, own = _searched(engine, queries)
    log(f"search {stats} {own}")
    arabic_stats, arabic_own = _searched(engine, arabic)
    log(f"arabic-script search {arabic_stats} {arabic_own}")
    nom_de_guerre = _nom_de_guerre_queries(engine)
    log(f"nom de guerre queries {nom_de_guerre}")
    screen: dict[str, object] = {}
    if UN_XML.exists():
        with unit_of_work(engine) as session:
            identity.import_un_sc_list(session, path=UN_XML)
        planted = _plant(engine, rng)
        t0 = time.perf_counter()
        with unit_of_work(engine) as session:
            # as `custodia watchlist screen` runs it: one process per core
            result = identity.screen_all_persons(session, workers=os.cpu_count() or 1)
        screen = {**result.model_dump(), "wall_seconds": round(time.perf_counter() - t0, 2)}
        with read_session(engine) as session:
            found = {
                (i.person_a.person_id, i.watchlist_entry.reference)
                for i in identity.list_queue(session, kind="watchlist", limit=5000).items
                if i.watchlist_entry is not None
            }
        screen["planted"] = len(planted)
        screen["planted_found_in_queue"] = sum(
            1 for pid, refs in planted if any((pid, r) in found for r in refs)
        )
        # the queue holds intake screening's hits too: re-find the planted ones by the batch
        # step alone (not timed)
        with read_session(engine) as session:
            mem = screening.watchlist_index(session)
            batch = screening.find_hits(screening.people_index(session), mem) if mem else {}
            reference = {
                i: r
                for i, r in session.execute(select(WatchlistEntry.id, WatchlistEntry.reference))
            }
        by_batch = {(pid, reference[s.ident]) for pid, hits in batch.items() for s in hits}
        screen["planted_found_by_batch"] = sum(
            1 for pid, refs in planted if any((pid, r) in by_batch for r in refs)
        )
        log(f"screen {screen}")
    emit(
        {
            "benchmark": "identity_search",
            "persons": len(ids),
            "queries": len(queries),
            "search_ms": stats,
            "own_record": own,
            "collector_during_search": collector,
            # the same persons' names as written in Arabic script, where the record holds one
            "arabic_script_queries": {
                "queries": len(arabic),
                "search_ms": arabic_stats,
                "own_record": arabic_own,
            },
            "nom_de_guerre_queries": nom_de_guerre,
            "screening": screen,
            "targets": {
                "search_p95_ms": check(stats["p95_ms"], at_most=50),
                "screen_seconds": check(float(screen.get("wall_seconds", 1e9)), at_most=30),  # type: ignore[arg-type]
            },
            "machine": machine_info(),
        }
    )


if __name__ == "__main__":
    main()
