"""Names recorded after registration (`custodia person add-name`, `POST /persons/{id}/names`)
on the scenario's registry with the UN list loaded: how long recording one takes (its own
transaction: the name, the record indexed anew, screened against the list and against the
registry, the queue, the audit entry), how long the first name search after it takes (the
key counts are read afresh: the index changed), and whether the record is found at once.

Two kinds of names are recorded, one at a time:
- 100 detainees drawn at random each get another full name (the scenario's name generator:
  the name on a forged card): right when a search for that name ranks the record first;
- 20 detainees, each born in the year a listed individual of his nationality was born
  (any nationality where none of his is), get that individual's Good-quality UN name, as
  an analyst would record it from a report: right when the review queue holds a hit on that
  individual at once.

Usage: PYTHONPATH=src:benchmarks .venv/bin/python benchmarks/identity_recorded_names.py \
    sqlite:////tmp/copy.db > benchmarks/results/identity_recorded_names.json
(the database must hold a scenario, and is written to: use a copy)
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from custodia.db import get_engine, read_session, unit_of_work
from custodia.identity import index
from custodia.identity import service as identity
from custodia.identity.watchlist import ListedIndividual, read_un_xml
from custodia.registry import service as registry
from custodia.registry.models import NameKind
from custodia.registry.schemas import NameAddIn
from custodia.scenario import naming
from harness import emit, log, machine_info, percentiles

UN_XML = (
    Path(__file__).resolve().parents[1].parent
    / "shared/data/un-sc-consolidated-2015/consolidated-2015-03-13.xml"
)
OTHER_NAMES = 100
LISTED_NAMES = 20


def _listed_plants(
    engine: Engine, rng: random.Random, taken: set[int]
) -> list[tuple[int, str, frozenset[str]]]:
    """(detainee, listed name, the individual's references) for ``LISTED_NAMES`` listed
    individuals born in a year the registry's detainees were born."""
    listed = [
        e
        for e in read_un_xml(UN_XML)
        if e.dates_of_birth
        and e.dates_of_birth[0][:4].isdigit()
        and 1962 <= int(e.dates_of_birth[0][:4]) <= 2006
        and any(n.quality == "good" for n in e.names)
    ]
    out: list[tuple[int, str, frozenset[str]]] = []
    with read_session(engine) as session:
        for entry in rng.sample(listed, len(listed)):
            held = _born_like(session, entry, taken)
            if held is None:
                continue
            taken.add(held)
            name = rng.choice([n.name for n in entry.names if n.quality == "good"])[:300]
            out.append((held, name, frozenset({entry.reference, *entry.also_listed_as})))
            if len(out) == LISTED_NAMES:
                break
    return out


def _born_like(session: Session, entry: ListedIndividual, taken: set[int]) -> int | None:
    year = int(entry.dates_of_birth[0][:4])
    for nationality in [*entry.nationalities[:1], "IQ", "SY"]:
        ids = registry.nationals_born_in(session, nationality=nationality, year=year)
        free = [i for i in ids if i not in taken]
        if free:
            return free[0]
    return None


def _record(engine: Engine, person_id: int, name: str, source: str) -> tuple[float, list[int]]:
    name_in = NameAddIn(full_name=name, kind=NameKind.ALIAS, source=source)
    started = time.perf_counter()
    with unit_of_work(engine) as session:
        added = registry.add_person_name(session, person_id=person_id, name_in=name_in)
    return (time.perf_counter() - started) * 1000, added.review_items


def main() -> None:
    engine = get_engine(sys.argv[1])
    rng = random.Random(11)
    with unit_of_work(engine) as session:
        index.ensure_indexed(session)
        identity.import_un_sc_list(session, path=UN_XML)
    with read_session(engine) as session:
        detainees = [
            p.id
            for p in registry.get_persons(
                session, person_ids=rng.sample(index.all_person_ids(session), 1000)
            ).values()
            if p.category.value == "detainee"
        ][:OTHER_NAMES]
    taken = set(detainees)
    record_ms: list[float] = []
    search_ms: list[float] = []
    first = top10 = raised = 0
    missed: list[dict[str, object]] = []
    log(f"recording another full name for {len(detainees)} detainees")
    for person_id in detainees:
        nationality = naming.sample_nationality(rng)
        name = naming.generate_person_name(rng, sex="M", nationality=nationality).full_latin
        took, items = _record(engine, person_id, name, "forged card, benchmark")
        record_ms.append(took)
        raised += len(items)
        started = time.perf_counter()
        with read_session(engine) as session:
            found = identity.search_persons(session, name=name)
        search_ms.append((time.perf_counter() - started) * 1000)
        ranked = [c.person_id for c in found.candidates]
        first += ranked[:1] == [person_id]
        top10 += person_id in ranked[:10]
        if ranked[:1] != [person_id]:
            ahead = found.candidates[0] if found.candidates else None
            missed.append(
                {
                    "name": name,
                    "rank": ranked.index(person_id) + 1 if person_id in ranked else None,
                    "first": {"person_id": ahead.person_id, "names": ahead.names}
                    if ahead
                    else None,
                }
            )
    plants = _listed_plants(engine, rng, taken)
    log(f"recording {len(plants)} listed individuals' names")
    hit = 0
    for person_id, name, references in plants:
        took, items = _record(engine, person_id, name, "report, benchmark")
        record_ms.append(took)
        raised += len(items)
        with read_session(engine) as session:
            queued = identity.list_queue(session, kind="watchlist", person_id=person_id).items
        hit += any(
            i.watchlist_entry is not None and i.watchlist_entry.reference in references
            for i in queued
        )
    log(f"found first {first}/{len(detainees)}, listed hits {hit}/{len(plants)}")
    emit(
        {
            "benchmark": "identity_recorded_names",
            "names_recorded": len(record_ms),
            "record_name_ms": percentiles(record_ms),
            "first_search_after_ms": percentiles(search_ms),
            "other_names": len(detainees),
            "found_first": round(first / len(detainees), 4),
            "found_in_top_10": round(top10 / len(detainees), 4),
            "not_found_first": missed,
            "listed_names": len(plants),
            "listed_hit_at_once": hit,
            "review_items_raised": raised,
            # no target names this; intake's registration is the nearest (p95 ~26-51 ms)
            "machine": machine_info(),
        }
    )


if __name__ == "__main__":
    main()
