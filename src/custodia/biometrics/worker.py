"""The background enrolment worker: takes queued fingers in batches, extracts them on a
pool of processes, stores the templates with their LSH keys and marks the jobs done, one
transaction per batch. Stopping it (Ctrl-C, or ``should_stop``) loses at most the batch in
flight, whose jobs stay pending; running it again resumes where it stopped.

A ``synthetic`` job grows the finger's master print (seeded by the person and position, so a
rerun yields the same finger), takes an impression and extracts it; an ``image`` job
extracts a stored capture. A record the scenario planted as a duplicate gets its real man's
fingers, as a second impression: the same man enrolled twice matches himself.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import cast

import numpy as np
from PIL import Image
from sqlalchemy import Engine, Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from custodia.access import service as access
from custodia.biometrics import extract, synth
from custodia.biometrics.models import BiometricImage, BiometricJob, BiometricTemplate
from custodia.biometrics.schemas import WorkerStatus
from custodia.biometrics.service import Capture, deduplicate, template_row, worker_status
from custodia.db import get_engine, read_session, unit_of_work, utc_now
from custodia.scenario import service as scenario

_TEMPLATE = cast(Table, BiometricTemplate.__table__)
_JOB = cast(Table, BiometricJob.__table__)


@dataclass(frozen=True)
class _Task:
    job_id: int
    person_id: int
    position: int
    kind: str
    seed: int
    image: bytes | None
    image_id: int | None
    # A synthetic finger's owner: the real man behind the record, so that a man recorded
    # twice (the scenario's planted duplicates) has the same fingers under both records,
    # taken as another impression.
    finger_owner: int = 0
    impression: int = 0


def synthetic_finger_id(person_id: int, position: int) -> int:
    return person_id * 10 + position


def _run_task(task: _Task) -> tuple[int, dict[str, object] | None, str | None]:
    """In a pool process: extraction and the template row (no database here)."""
    try:
        if task.kind == "synthetic":
            master = synth.make_master(
                task.seed, synthetic_finger_id(task.finger_owner or task.person_id, task.position)
            )
            grey, _ = synth.make_impression(master, task.seed, task.impression)
            source = "synthetic"
        else:
            if task.image is None:
                return task.job_id, None, "the job's image is missing"
            with Image.open(io.BytesIO(task.image)) as img:
                grey = np.asarray(img.convert("L"), dtype=np.uint8)
            source = "image"
        ex = extract.extract(grey)
        capture = Capture(task.position, ex.minutiae, ex.quality, source)
        row = template_row(
            person_id=task.person_id, capture=capture, image_id=task.image_id, actor_id=None
        )
        return task.job_id, row, None
    except (ValueError, OSError) as exc:
        return task.job_id, None, str(exc)


def _claim(engine: Engine, batch: int) -> list[_Task]:
    with read_session(engine) as session:
        jobs = session.scalars(
            select(BiometricJob)
            .where(BiometricJob.status == "pending")
            .order_by(BiometricJob.id)
            .limit(batch)
        ).all()
        images: dict[int, bytes] = {}
        wanted = [j.image_id for j in jobs if j.image_id is not None]
        if wanted:
            images = {
                image_id: data
                for image_id, data in session.execute(
                    select(BiometricImage.id, BiometricImage.data).where(
                        BiometricImage.id.in_(wanted)
                    )
                )
            }
        owners = _true_persons(session) if any(j.kind == "synthetic" for j in jobs) else {}
        return [
            _Task(
                j.id,
                j.person_id,
                j.position,
                j.kind,
                j.seed,
                images.get(j.image_id or -1),
                j.image_id,
                finger_owner=owners.get(j.person_id, j.person_id),
                impression=int(j.person_id in owners),
            )
            for j in jobs
        ]


def _true_persons(session: Session) -> dict[int, int]:
    """Record -> the real man it records again, for the scenario's planted duplicates."""
    return {record: true for record, true, _ in scenario.duplicate_truth(session=session)}


def _store(engine: Engine, results: list[tuple[int, dict[str, object] | None, str | None]]) -> None:
    now = utc_now()
    rows = [row for _, row, _ in results if row is not None]
    with unit_of_work(engine) as session:
        if rows:
            # A queued finger replaces whatever was enrolled at that position before.
            session.execute(
                update(_TEMPLATE)
                .where(
                    _TEMPLATE.c.person_id == bindparam("p"),
                    _TEMPLATE.c.position == bindparam("pos"),
                    _TEMPLATE.c.active,
                )
                .values(active=False),
                [{"p": r["person_id"], "pos": r["position"]} for r in rows],
            )
            session.execute(insert(_TEMPLATE), rows)
        access.record_action(
            session,
            actor_id=None,
            action="biometrics.enroll",
            subject="queue",
            detail=f"background worker: {len(rows)} finger(s) enrolled, "
            f"{len(results) - len(rows)} failed",
        )
        session.execute(
            update(_JOB)
            .where(_JOB.c.id == bindparam("job"))
            .values(status=bindparam("st"), error=bindparam("err"), done_at=now),
            [
                {"job": job_id, "st": "failed" if row is None else "done", "err": error}
                for job_id, row, error in results
            ],
        )


def _deduplicate_finished(engine: Engine, person_ids: set[int]) -> None:
    with unit_of_work(engine) as session:
        unfinished = set(
            session.scalars(
                select(_JOB.c.person_id).where(
                    _JOB.c.person_id.in_(sorted(person_ids)), _JOB.c.status == "pending"
                )
            )
        )
        finished = sorted(person_ids - unfinished)
        if finished:
            deduplicate(session, person_ids=finished, actor_id=None)


def run(
    *,
    engine: Engine | None = None,
    processes: int = 2,
    batch: int = 200,
    progress: Callable[[WorkerStatus], None] | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    dedup: bool = False,
) -> WorkerStatus:
    """Work through the queue until it is empty or ``should_stop()``; returns the status.
    With ``dedup``, each person whose queued fingers are all enrolled is then searched
    against everyone enrolled before, and matches go to the review queue."""
    engine = engine or get_engine()
    with ProcessPoolExecutor(processes) as pool:
        while not should_stop():
            tasks = _claim(engine, batch)
            if not tasks:
                break
            results = list(
                pool.map(_run_task, tasks, chunksize=max(1, len(tasks) // (4 * processes)))
            )
            _store(engine, results)
            if dedup:
                _deduplicate_finished(engine, {t.person_id for t in tasks})
            if progress is not None:
                with read_session(engine) as session:
                    progress(worker_status(session))
    with read_session(engine) as session:
        return worker_status(session)
