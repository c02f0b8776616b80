"""Background enrolment throughput: the product's worker (custodia.biometrics.worker.run,
2 processes) on a queue of stored PNG captures, on SQLite; extrapolated to the scenario's
60,000 fingers. Also the same worker on ``synthetic`` jobs, which grow each finger's image
first (what `custodia biometrics enqueue-scenario` queues). Prints one JSON object; writes
benchmarks/results/biometrics_enrolment.json.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from PIL import Image
from sqlalchemy import Engine, insert, select

from custodia.biometrics import synth, worker
from custodia.biometrics.models import BiometricImage, BiometricJob
from custodia.db import unit_of_work, utc_now
from harness import check, emit, fresh_sqlite, log, machine_info, register_persons

RESULTS = Path(__file__).resolve().parent / "results"
SCENARIO_FINGERS = 60_000


def _png(finger: int) -> bytes:
    grey, _ = synth.make_impression(synth.make_master(21, finger), 21, 0)
    buffer = io.BytesIO()
    Image.fromarray(grey).save(buffer, format="PNG")
    return buffer.getvalue()


def queue_images(engine: Engine, person_ids: list[int], fingers: int) -> float:
    t0 = time.perf_counter()
    with ProcessPoolExecutor(2) as pool:
        pngs = list(pool.map(_png, range(fingers), chunksize=16))
    generation_s = time.perf_counter() - t0
    now = utc_now()
    with unit_of_work(engine) as session:
        session.execute(
            insert(BiometricImage),
            [
                {
                    "person_id": person_ids[i // 10],
                    "position": i % 10 + 1,
                    "media_type": "image/png",
                    "data": png,
                    "captured_at": now,
                }
                for i, png in enumerate(pngs)
            ],
        )
        images = session.execute(
            select(BiometricImage.id, BiometricImage.person_id, BiometricImage.position)
        ).all()
        session.execute(
            insert(BiometricJob),
            [
                {
                    "person_id": p,
                    "position": pos,
                    "kind": "image",
                    "seed": 0,
                    "image_id": i,
                    "status": "pending",
                    "created_at": now,
                }
                for i, p, pos in images
            ],
        )
    return generation_s


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the worker's pool)."""
    me, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def timed_run(engine: Engine) -> tuple[float, float, Any]:
    """Wall and CPU seconds of one worker run (the pool ends with the run)."""
    t0, c0 = time.perf_counter(), _cpu()
    status = worker.run(engine=engine, processes=2, batch=200)
    return time.perf_counter() - t0, _cpu() - c0, status


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fingers", type=int, default=1000)
    parser.add_argument("--synthetic-fingers", type=int, default=200)
    args = parser.parse_args()
    machine = machine_info()
    with tempfile.TemporaryDirectory() as tmp:
        engine = fresh_sqlite(Path(tmp), "enrol.db")
        persons = register_persons(engine, (args.fingers + args.synthetic_fingers) // 10 + 1)
        log(f"growing {args.fingers} images (not timed as enrolment)")
        generation_s = queue_images(engine, persons, args.fingers)
        log("worker on image jobs")
        image_s, image_cpu, status = timed_run(engine)
        done_images = status.done
        with unit_of_work(engine) as session:
            rest = persons[args.fingers // 10 + 1 :][: args.synthetic_fingers // 10]
            now = utc_now()
            session.execute(
                insert(BiometricJob),
                [
                    {
                        "person_id": p,
                        "position": pos,
                        "kind": "synthetic",
                        "seed": 3,
                        "status": "pending",
                        "created_at": now,
                    }
                    for p in rest
                    for pos in range(1, 11)
                ],
            )
        log("worker on synthetic jobs (grow + extract)")
        synthetic_s, _, status2 = timed_run(engine)
    per_s = done_images / image_s
    synthetic_done = status2.done - done_images
    extrapolated_min = SCENARIO_FINGERS / per_s / 60
    result: dict[str, Any] = {
        "benchmark": "biometrics_enrolment",
        "image_jobs": {
            "fingers": done_images,
            "failed": status.failed,
            "seconds": round(image_s, 1),
            "fingers_per_s": round(per_s, 1),
            "extrapolated_minutes_for_60000": round(extrapolated_min, 1),
            "cpu_s_per_finger": round(image_cpu / max(done_images, 1), 4),
            "extrapolated_minutes_for_60000_on_2_idle_cores": round(
                SCENARIO_FINGERS * image_cpu / max(done_images, 1) / 2 / 60, 1
            ),
            "what": "PNG decode, extraction, cylinders, LSH keys, template insert, job update; "
            "2 processes, batches of 200, one transaction per batch",
        },
        "synthetic_jobs": {
            "fingers": synthetic_done,
            "seconds": round(synthetic_s, 1),
            "fingers_per_s": round(synthetic_done / synthetic_s, 2),
            "extrapolated_minutes_for_60000": round(
                SCENARIO_FINGERS / (synthetic_done / synthetic_s) / 60, 1
            ),
            "what": "the same plus growing each finger's master and impression",
        },
        "image_generation_s_per_finger_2_processes": round(generation_s / args.fingers, 4),
        "targets": {
            "enrolment_minutes_60000_fingers_from_images": check(
                round(extrapolated_min, 1), at_most=60
            )
        },
        "machine": machine,
    }
    result["pass"] = result["targets"]["enrolment_minutes_60000_fingers_from_images"]["pass"]
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "biometrics_enrolment.json").write_text(json.dumps(result, indent=2) + "\n")
    emit(result)


if __name__ == "__main__":
    main()
