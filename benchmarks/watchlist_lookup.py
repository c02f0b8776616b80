"""Is this name listed? `custodia watchlist search` (GET /watchlists/search) against the UN
list alone and beside an agency's list of N synthetic individuals: latency, and whether the
listed individual comes first.

Queries, each one `search_watchlists` call in its own read session, as the API serves it:
- UN, Arabic script: each individual's original-script name, bare (a name read off an
  Arabic document);
- UN, Latin alias with birth year: one Good alias of 300 individuals, with the year of
  birth the list gives (as a partner's manifest writes a name). The alias stays on the list:
  this measures the lookup as a user meets it, not the matcher's leave-one-out accuracy
  (identity_un_aliases.py);
- agency list: 300 of the N synthetic individuals, written by another clerk (the scenario
  generator's spelling variant, not the one listed), with their year of birth.
A hit on either listing of a man the UN names under two regimes finds him (the lookup shows
one candidate per individual). The first lookup after an import reads the lists into memory;
it is reported apart.

Usage: PYTHONPATH=src:benchmarks .venv/bin/python benchmarks/watchlist_lookup.py \
    sqlite:////tmp/lookup.db [N] > benchmarks/results/watchlist_lookup.json
(any database: an empty one is migrated; the lists are imported into it)
"""

from __future__ import annotations

import csv
import io
import random
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from custodia.db import get_engine, read_session, unit_of_work, upgrade_database
from custodia.identity import service as identity
from custodia.identity.arabic import has_arabic
from custodia.identity.watchlist import ListedIndividual, read_un_xml
from custodia.scenario import naming
from harness import emit, log, machine_info, percentiles

UN_XML = (
    Path(__file__).resolve().parents[1].parent
    / "shared/data/un-sc-consolidated-2015/consolidated-2015-03-13.xml"
)
COLUMNS = ("reference", "name", "aliases", "date_of_birth", "nationality")
QUERIES = 300

Query = tuple[str, str | None, frozenset[str]]  # name, year of birth, references that find it


def _agency_list(rng: random.Random, n: int) -> tuple[bytes, list[Query]]:
    """N synthetic men as a CSV list, and queries for 300 of them written by another clerk."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    asked = set(rng.sample(range(n), min(QUERIES, n)))
    queries: list[Query] = []
    for i in range(n):
        nationality = naming.sample_nationality(rng)
        names = naming.generate_person_name(rng, sex="M", nationality=nationality)
        year = str(rng.randint(1962, 2006))
        reference = f"A-{i:06d}"
        listed_alias = naming.spelling_variant(rng, names)
        writer.writerow(
            {
                "reference": reference,
                "name": names.full_latin,
                "aliases": listed_alias if listed_alias != names.full_latin else "",
                "date_of_birth": year,
                "nationality": nationality,
            }
        )
        if i in asked:
            written = naming.spelling_variant(rng, names)
            for _ in range(5):  # another clerk's rendering, not one the list holds
                if written not in (names.full_latin, listed_alias):
                    break
                written = naming.spelling_variant(rng, names)
            queries.append((written, year, frozenset({reference})))
    return out.getvalue().encode(), queries


def _un_queries(rng: random.Random, entries: list[ListedIndividual]) -> dict[str, list[Query]]:
    def finds(e: ListedIndividual) -> frozenset[str]:
        return frozenset({e.reference, *e.also_listed_as})

    arabic = [
        (n.name, None, finds(e))
        for e in entries
        for n in e.names
        if n.quality == "original_script" and has_arabic(n.name)
    ]
    with_alias = [e for e in entries if any(n.quality == "good" for n in e.names)]
    latin = []
    for e in rng.sample(with_alias, min(QUERIES, len(with_alias))):
        alias = rng.choice([n.name for n in e.names if n.quality == "good"])
        year = e.dates_of_birth[0][:4] if e.dates_of_birth else None
        latin.append((alias, year, finds(e)))
    return {"un_arabic_script": arabic, "un_latin_alias_with_year": latin}


def _run(engine: Engine, queries: list[Query]) -> dict[str, Any]:
    samples: list[float] = []
    first = top10 = 0
    for name, year, refs in queries:
        t0 = time.perf_counter()
        with read_session(engine) as session:
            found = identity.search_watchlists(session, name=name, date_of_birth=year)
        samples.append((time.perf_counter() - t0) * 1000)
        shown = [c.reference for c in found.candidates]
        first += bool(shown) and shown[0] in refs
        top10 += any(r in refs for r in shown)
    n = len(queries)
    return {
        "queries": n,
        "found_first": round(first / n, 4),
        "found_in_top_10": round(top10 / n, 4),
        "latency_ms": percentiles(samples),
    }


def _first_lookup_ms(engine: Engine) -> float:
    t0 = time.perf_counter()
    with read_session(engine) as session:
        identity.search_watchlists(session, name="Muhammad")
    return round((time.perf_counter() - t0) * 1000, 1)


def main() -> None:
    url = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 20_000
    upgrade_database(url)
    engine = get_engine(url)
    rng = random.Random(11)
    entries = read_un_xml(UN_XML)
    with unit_of_work(engine) as session:
        identity.import_un_sc_list(session, path=UN_XML)
    un_queries = _un_queries(rng, entries)
    results: dict[str, Any] = {"un_only": {"first_lookup_ms": _first_lookup_ms(engine)}}
    for label, queries in un_queries.items():
        results["un_only"][label] = _run(engine, queries)
        log(f"UN only, {label}: {results['un_only'][label]}")
    data, agency_queries = _agency_list(rng, n)
    with unit_of_work(engine) as session:
        identity.import_csv_list(session, data=data, list_name="agency")
    both: dict[str, Any] = {"first_lookup_ms": _first_lookup_ms(engine)}
    every = {**un_queries, "agency_spelling_variant_with_year": agency_queries}
    for label, queries in every.items():
        both[label] = _run(engine, queries)
        log(f"UN and {n} agency entries, {label}: {both[label]}")
    results[f"un_and_{n}_agency_entries"] = both
    emit(
        {
            "benchmark": "watchlist_lookup",
            "un_individuals": len(entries),
            "agency_individuals": n,
            **results,
            "machine": machine_info(),
        }
    )


if __name__ == "__main__":
    main()
