"""Names and fingerprints fused in the review queue, on a scenario registry (46,000 persons):
how much better are the resolved identities once the detainees' fingers are enrolled?

Protocol. The batch job (``identity dedupe``) fills the queue from names and dates. Then
one synthetic finger (right index; ``--fingers 2,7`` for two) is enrolled by the
background worker for a set of detainee records, as the biometric team would: every
detainee record the queue names, both records of every planted duplicate (the worker
grows a duplicate record's finger from its real man's master, as another impression), and
``--distractors`` other detainees drawn at random, so that the 1:N searches meet men who
are no one's duplicate. Enrolment searches each new finger 1:N, proposes the matches whose
evidence is for a match (bits > 0), and weighs the pairs under review whose two records
both have fingers. A pair counts as found when its score is at least the cut the job
queued it at (the review threshold; ``side.SIDE_THRESHOLD`` for a pair the side attributes
alone linked, a probability); pairwise precision, recall and F1 of the clusters, against
``scenario_duplicate``:

* ``names_alone``: the same queue, each pair scored by its names-and-dates sources only;
* ``fused``: each pair's score as the queue fuses it.

Every planted duplicate is a detainee, so enrolling every detainee would give the same
recall; what this sample cannot show is a false fingerprint match with a detainee left out
(the distractors estimate it). Camp residents are not enrolled.

Usage: PYTHONPATH=src:benchmarks .venv/bin/python benchmarks/identity_fusion.py \
    sqlite:////tmp/x.db > benchmarks/results/identity_fusion.json
(the database must hold a scenario; this writes review items and templates: use a copy)
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path
from typing import Any

from sqlalchemy import select

from custodia.biometrics import service as biometrics
from custodia.biometrics import worker
from custodia.db import get_engine, read_session, unit_of_work
from custodia.identity import dedupe as dedupe_engine
from custodia.identity import index
from custodia.identity import models as identity_models
from custodia.identity import service as identity
from custodia.identity.scoring import REVIEW_THRESHOLD
from custodia.identity.side import SIDE_THRESHOLD, proposed_from
from custodia.registry.models import Person, PersonCategory
from custodia.scenario import service as scenario
from harness import check, emit, log, machine_info
from identity_dedupe import _pairs
from identity_dedupe import _prf as prf


def _prf(found: set[tuple[int, int]], truth: set[tuple[int, int]]) -> dict[str, float]:
    precision, recall, f1 = prf(found, truth)
    return {
        "pairs_found": len(found),
        "true_found": len(found & truth),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
    }


def _scored_items(engine: Any) -> list[tuple[int, int, float, float, float]]:
    """(a, b, names-alone score, fused score, the cut the job queued it at) of every
    same-person item in the queue: a pair the side attributes alone linked (a record known
    only by a nom de guerre) is a probability, queued at ``SIDE_THRESHOLD``."""
    item = identity_models.ReviewItem
    with read_session(engine) as session:
        rows = session.execute(
            select(item.person_a_id, item.person_b_id, item.score, item.evidence).where(
                item.kind == "duplicate"
            )
        ).all()
    out = []
    for a, b, fused, evidence in rows:
        sources = [e for e in json.loads(evidence).values() if "bits" not in e]
        names = max((e["score"] for e in sources), default=0.0)
        out.append((a, b, names, fused, min(map(proposed_from, sources), default=REVIEW_THRESHOLD)))
    return out


def _resolved(
    items: list[tuple[int, int, float, float, float]], ids: list[int], column: int
) -> set[tuple[int, int]]:
    kept = [(a, b) for a, b, *scores, cut in items if scores[column] >= cut]
    return _pairs(dedupe_engine.clusters(kept, ids))


SERIES = ((True, "tab:green", "same man"), (False, "tab:red", "two men"))


def scores_png(
    items: list[tuple[int, int, float, float, float]],
    truth: set[tuple[int, int]],
    fingers: int,
    path: Path,
) -> None:
    """Every queue item's score, names alone beside fused, true duplicates against the rest."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(10, 4.2), sharey=True)
    rng = random.Random(0)
    for ax, column, title in ((axes[0], 2, "names alone"), (axes[1], 3, "names + fingerprints")):
        for is_true, colour, label in SERIES:
            ys = [i[column] for i in items if ((i[0], i[1]) in truth) == is_true]
            xs = [(0.25 if is_true else 0.75) + rng.uniform(-0.18, 0.18) for _ in ys]
            ax.scatter(xs, ys, s=9, alpha=0.55, color=colour, label=f"{label} ({len(ys)})")
        ax.axhline(REVIEW_THRESHOLD, color="grey", linestyle="--", label="review threshold")
        ax.axhline(SIDE_THRESHOLD, color="grey", linestyle=":", label="nom-de-guerre links")
        ax.set_xticks([0.25, 0.75], ["planted duplicates", "other pairs"])
        ax.set_xlim(0, 1)
        ax.set_title(title)
        ax.grid(True, axis="y", alpha=0.3)
    axes[0].set_ylabel("pair score in the review queue")
    axes[1].legend(loc="center right", fontsize=8)
    fig.suptitle(
        f"Scenario review queue: {fingers} finger(s) per detainee record, fused with names"
    )
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--distractors", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--fingers", default="2", help="positions enrolled, e.g. 2,7")
    parser.add_argument("--chart", type=Path, help="write the score chart (PNG) here")
    args = parser.parse_args()
    positions = [int(p) for p in args.fingers.split(",")]
    engine = get_engine(args.url)
    started = time.perf_counter()
    with unit_of_work(engine) as session:
        result = identity.dedupe(session)
    log(f"names: {result.pairs_proposed} pairs queued in {result.seconds} s")
    with read_session(engine) as session:
        truth_rows = scenario.duplicate_truth(session=session)
        ids = index.all_person_ids(session)
        detainees = set(
            session.scalars(select(Person.id).where(Person.category == PersonCategory.DETAINEE))
        )
    planted = {r for r, _, _ in truth_rows} | {t for _, t, _ in truth_rows}
    named = {p for a, b, *_ in _scored_items(engine) for p in (a, b)}
    rng = random.Random(args.seed)
    others = sorted(detainees - planted - named)
    distractors = set(rng.sample(others, min(args.distractors, len(others))))
    enrolled = sorted((planted | named | distractors) & detainees)
    with unit_of_work(engine) as session:
        queued = biometrics.enqueue_scenario(
            session, seed=args.seed, positions=positions, person_ids=enrolled
        )
    log(f"enrolling {queued} fingers of {len(enrolled)} detainee records")
    enrol_started = time.perf_counter()
    status = worker.run(engine=engine, processes=2, batch=100, dedup=True)
    enrol_seconds = time.perf_counter() - enrol_started
    log(f"enrolled {status.done} fingers ({status.failed} failed) in {enrol_seconds:.0f} s")
    with unit_of_work(engine) as session:
        weighed = biometrics.weigh_queue(session, actor_id=None).weighed_pairs
    items = _scored_items(engine)
    truth = _pairs(dedupe_engine.clusters([(r, t) for r, t, _ in truth_rows], ids))
    names_alone = _prf(_resolved(items, ids, 0), truth)
    fused = _prf(_resolved(items, ids, 1), truth)
    if args.chart:
        scores_png(items, truth, len(positions), args.chart)
    in_enrolled = set(enrolled)
    truth_enrolled = {p for p in truth if p[0] in in_enrolled and p[1] in in_enrolled}
    emit(
        {
            "benchmark": "identity_fusion",
            "records": len(ids),
            "true_pairs": len(truth),
            "enrolled_records": len(enrolled),
            "finger_positions": positions,
            "enrolled_fingers": status.done,
            "failed_fingers": status.failed,
            "distractors": len(distractors),
            "true_pairs_both_enrolled": len(truth_enrolled),
            "threshold": REVIEW_THRESHOLD,
            "names_alone": names_alone,
            "fused": fused,
            "pairs_weighed_after_enrolment": weighed,
            "queue_items": len(items),
            "items_sunk_by_fingers": sum(1 for _, _, n, f, cut in items if n >= cut > f),
            "items_lifted_by_fingers": sum(1 for _, _, n, f, cut in items if f >= cut > n),
            "enrolment_seconds": round(enrol_seconds, 1),
            "seconds": round(time.perf_counter() - started, 1),
            "targets": {
                "fused_f1": check(fused["f1"], at_least=0.97),
                "names_alone_f1": check(names_alone["f1"], at_least=0.97),
            },
            "machine": machine_info(),
        }
    )


if __name__ == "__main__":
    main()
