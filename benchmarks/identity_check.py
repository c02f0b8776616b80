"""A partner's file of people checked against the registry and the watchlists (`custodia
identity check`, POST /identity/check), on a scenario registry (46,000 persons) with the UN
list loaded: how long a file takes, and how right the answers are.

The file, in an agency watchlist's CSV columns, holds:
- every record the scenario planted as a duplicate of a man (another clerk's spelling, or a
  nom de guerre alone), written as that record holds him (names, date of birth,
  nationalities, birthplace, mother's name): right when the check lists the man's own
  record among the identities the row may be (by name, or as the man a nom de guerre may
  stand for). The planted record is in the registry too and is found as well (it is one
  of the three identities shown): the measure is whether the man is;
- 50 UN individuals, each under one Good alias with the listed year of birth: right when
  the check lists the individual (either listing of a man named twice);
- 500 men the registry does not hold (the scenario's name generator, a year of birth and
  a nationality): any identity or listed individual shown for them is a false alarm, the
  reviewer's extra work.
Reported: rows, seconds in all and per row (one `check_people` call in one process, as the
API runs it; and again in one forked process per core, as the command line runs it, with
whether the two answers are the same), the share right per kind, the false alarms.

Usage: PYTHONPATH=src:benchmarks .venv/bin/python benchmarks/identity_check.py \
    sqlite:////tmp/copy.db > benchmarks/results/identity_check.json
(the database must hold a scenario; the UN list is imported into it: use a copy)
"""

from __future__ import annotations

import csv
import io
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from custodia.db import get_engine, read_session, unit_of_work
from custodia.identity import index
from custodia.identity import service as identity
from custodia.identity.scoring import Profile
from custodia.identity.watchlist import read_un_xml
from custodia.scenario import naming
from custodia.scenario import service as scenario
from harness import emit, log, machine_info

UN_XML = (
    Path(__file__).resolve().parents[1].parent
    / "shared/data/un-sc-consolidated-2015/consolidated-2015-03-13.xml"
)
COLUMNS = ("reference", "name", "aliases", "weak_aliases", "date_of_birth", "nationality")
COLUMNS += ("place_of_birth", "mother_name")
LISTED, STRANGERS = 50, 500
WORKERS = os.cpu_count() or 1
WEAK = ("kunya", "nom_de_guerre")


def _row_of_record(reference: str, p: Profile) -> dict[str, str]:
    names = [n for n in p.names if n.parsed.tokens]
    first = next((n for n in names if n.kind not in WEAK), names[0])
    return {
        "reference": reference,
        "name": first.parsed.text,
        "aliases": ";".join(n.parsed.text for n in names if n is not first and n.kind not in WEAK),
        "weak_aliases": ";".join(n.parsed.text for n in names if n is not first and n.kind in WEAK),
        "date_of_birth": p.dob_text or "",
        "nationality": ";".join(p.nationalities),
        "place_of_birth": p.place_of_birth or "",
        "mother_name": p.mother or "",
    }


def _file(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def main() -> None:
    engine = get_engine(sys.argv[1])
    rng = random.Random(5)
    with unit_of_work(engine) as session:
        index.ensure_indexed(session)
        identity.import_un_sc_list(session, path=UN_XML)
    rows: list[dict[str, str]] = []
    want: dict[str, tuple[str, frozenset[object]]] = {}  # reference -> kind, right answers
    with read_session(engine) as session:
        truth = scenario.duplicate_truth(session=session)
        profiles = index.load_profiles(session, [r for r, _, _ in truth])
    for record, true_person, kind in truth:
        reference = f"D-{record}"
        rows.append(_row_of_record(reference, profiles[record]))
        want[reference] = (f"registered_{kind}", frozenset({true_person}))
    listed = [e for e in read_un_xml(UN_XML) if any(n.quality == "good" for n in e.names)]
    for e in rng.sample(listed, LISTED):
        reference = f"L-{e.reference}"
        alias = rng.choice([n.name for n in e.names if n.quality == "good"])
        year = e.dates_of_birth[0][:4] if e.dates_of_birth else ""
        row = dict.fromkeys(COLUMNS, "") | {"reference": reference, "name": alias}
        rows.append(row | {"date_of_birth": year, "nationality": ";".join(e.nationalities[:1])})
        want[reference] = ("listed", frozenset({e.reference, *e.also_listed_as}))
    for i in range(STRANGERS):
        nationality = naming.sample_nationality(rng)
        names = naming.generate_person_name(rng, sex="M", nationality=nationality)
        row = dict.fromkeys(COLUMNS, "") | {"reference": f"S-{i}", "name": names.full_latin}
        rows.append(
            row | {"date_of_birth": str(rng.randint(1962, 2006)), "nationality": nationality}
        )
    rng.shuffle(rows)
    log(f"{len(rows)} rows: {len(truth)} planted duplicates, {LISTED} listed, {STRANGERS} new")
    started = time.perf_counter()
    with read_session(engine) as session:
        checked = identity.check_people(session, data=_file(rows))
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    with read_session(engine) as session:
        shared = identity.check_people(session, data=_file(rows), workers=WORKERS)
    shared_seconds = time.perf_counter() - started
    same = shared.model_dump(exclude={"seconds"}) == checked.model_dump(exclude={"seconds"})
    log(f"one process {seconds:.1f} s, {WORKERS} processes {shared_seconds:.1f} s, same: {same}")
    right: Counter[str] = Counter()
    asked: Counter[str] = Counter()
    alarms = {"registered": 0, "listed": 0}
    for p in checked.people:
        if p.reference.startswith("S-"):
            alarms["registered"] += bool(p.registered)
            alarms["listed"] += bool(p.listed)
            continue
        kind, answers = want[p.reference]
        asked[kind] += 1
        shown: set[object] = (
            {c.reference for c in p.listed}
            if kind == "listed"
            else {
                i
                for c in [*p.registered, *p.behind_the_nom_de_guerre]
                for i in (c.person_id, c.survivor_id)
            }
        )
        right[kind] += bool(shown & answers)
        if kind != "listed":
            by_name = {i for c in p.registered for i in (c.person_id, c.survivor_id)}
            right[f"{kind}_by_name"] += bool(by_name & answers)
            asked[f"{kind}_by_name"] += 1
    emit(
        {
            "benchmark": "identity_check",
            "rows": checked.rows,
            "seconds": round(seconds, 2),
            "ms_per_row": round(1000 * seconds / checked.rows, 1),
            # the command line's default: one process per core
            "workers": WORKERS,
            "seconds_in_workers": round(shared_seconds, 2),
            "ms_per_row_in_workers": round(1000 * shared_seconds / shared.rows, 1),
            "workers_answer_the_same": same,
            "right": {k: round(right[k] / asked[k], 4) for k in sorted(asked)},
            "asked": dict(sorted(asked.items())),
            "new_men": STRANGERS,
            "new_men_shown_as_registered": alarms["registered"],
            "new_men_shown_as_listed": alarms["listed"],
            "rows_registered": checked.registered,
            "rows_listed": checked.listed,
            "rows_that_may_stand_for_someone": checked.may_stand_for,
            "machine": machine_info(),
        }
    )


if __name__ == "__main__":
    main()
