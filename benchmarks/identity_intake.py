"""The duplicate check at intake, on a scenario registry (46,000 persons by default): would a
man already held have been flagged the day he was recorded again?

Accuracy: each planted duplicate record (``scenario_duplicate``) is looked up as intake looks
up a new record (``identity.intake.duplicates_of``: a registry search, namesakes sharing
the evidence, at most three queued; for a record known only by a nom de guerre, also the
records of its birthplace and birth year its other attributes match), itself left out; it is
right when the record it duplicates is among those queued; each planted nom de guerre
also with its man left out of the registry, where anything queued is a stranger. Also the
share of other records (2,000 drawn at random from those neither planted nor duplicated)
for which intake would queue anything: the reviewer's extra work. Latency: the whole registration
(``registry.register_person`` in its own transaction: insert, index, watchlist screening,
registry search, queue) of 200 planted duplicate records registered once more as new
arrivals, one at a time. The heap is frozen first, as each server process freezes it at
start (``freeze_heap``), with the records to look up, which a server does not hold; the
collector's pauses during the registrations are reported.

Usage: PYTHONPATH=src .venv/bin/python benchmarks/identity_intake.py sqlite:////tmp/x.db \
    > benchmarks/results/identity_intake.json
(the database must hold a scenario; this writes 200 persons and review items to it: use a
copy)
"""

from __future__ import annotations

import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy.orm import Session

from custodia.api.serving import freeze_heap
from custodia.db import get_engine, read_session, unit_of_work
from custodia.identity import index, intake
from custodia.identity.scoring import Profile, Scored
from custodia.registry import service as registry
from custodia.registry.schemas import PersonIn
from custodia.scenario import service as scenario
from harness import collector_pauses, emit, log, machine_info, percentiles

OTHERS = 2000
ARRIVALS = 200


def _flags_without(session: Session, profile: Profile, man: int) -> list[Scored]:
    """What intake queues for ``profile`` (``intake.duplicates_of``) were the registry not to
    hold ``man``."""
    named = [s for s in intake.likely_duplicates(session, profile) if s.ident != man]
    side = intake.nom_de_guerre_duplicates(session, profile, named, leave_out={man})
    return [*named, *(s for s in side if s.ident not in {n.ident for n in named})]


def main() -> None:
    url = sys.argv[1]
    engine = get_engine(url)
    rng = random.Random(11)
    with unit_of_work(engine) as session:
        index.ensure_indexed(session)
    with read_session(engine) as session:
        truth = scenario.duplicate_truth(session=session)
        involved = {r for r, _, _ in truth} | {t for _, t, _ in truth}
        ids = index.all_person_ids(session)
        others = rng.sample([i for i in ids if i not in involved], OTHERS)
        # batch: their mothers' names parsed through parse_name, as a server parses a new
        # record's (index.profile_of), not built afresh from the stored parts at each use
        profiles = index.load_profiles(session, [r for r, _, _ in truth] + others, batch=True)
        # as each server process does once it has started; with the benchmark's own inputs,
        # which a server does not hold
        freeze_heap()
        found: Counter[str] = Counter()
        kinds: Counter[str] = Counter()
        flagged_pairs = right_flags = 0
        lookup_ms: list[float] = []
        for record, true_person, kind in truth:
            started = time.perf_counter()
            flagged = intake.duplicates_of(session, profiles[record])
            lookup_ms.append(1000 * (time.perf_counter() - started))
            kinds[kind] += 1
            flagged_pairs += len(flagged)
            hit = any(s.ident == true_person for s in flagged)
            right_flags += hit
            found[kind] += hit
        log(f"{len(truth)} planted duplicates looked up")
        # a nom de guerre whose man is not held: each planted one looked up with its man left
        # out of the registry (of its name matches and of the records its attributes are
        # weighed against); anything queued is a stranger
        strangers_queued = sum(
            bool(_flags_without(session, profiles[record], man))
            for record, man, kind in truth
            if kind == "alias"
        )
        others_flagged = 0
        for pid in others:
            started = time.perf_counter()
            others_flagged += bool(intake.duplicates_of(session, profiles[pid]))
            lookup_ms.append(1000 * (time.perf_counter() - started))
        log(f"{OTHERS} other records looked up")
        arrivals = [
            PersonIn.model_validate(
                registry.get_person(session, person_id=r).model_dump(exclude={"id"})
            )
            for r, _, _ in truth[:ARRIVALS]
        ]
    register_ms: list[float] = []
    with collector_pauses() as collector:
        for person_in in arrivals:
            started = time.perf_counter()
            with unit_of_work(engine) as session:
                registry.register_person(session, person_in=person_in)
            register_ms.append(1000 * (time.perf_counter() - started))
    log(f"{len(arrivals)} arrivals registered")
    recall = sum(found.values()) / len(truth)
    emit(
        {
            "benchmark": "identity_intake",
            "persons": len(ids),
            "planted_duplicates": len(truth),
            "recall": round(recall, 4),
            "recall_by_kind": {k: round(found[k] / n, 4) for k, n in kinds.items()},
            "flags_on_planted": flagged_pairs,
            "precision_on_planted": round(right_flags / max(flagged_pairs, 1), 4),
            # context for the nom-de-guerre recall: how often one whose man is not held
            # gets a stranger queued
            "nom_de_guerre_man_not_held_stranger_queued": round(
                strangers_queued / max(kinds["alias"], 1), 4
            ),
            "others_looked_up": OTHERS,
            "others_flagged_share": round(others_flagged / OTHERS, 4),
            "lookup_ms": percentiles(lookup_ms),
            "register_person_ms": percentiles(register_ms),
            "collector_during_registration": collector,
            "machine": machine_info(),
        }
    )


if __name__ == "__main__":
    main()
