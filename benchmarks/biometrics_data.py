"""Synthetic fingerprint data the biometrics benchmarks share, cached on disk.

``impressions(seed, fingers, k, level)``: for each finger a master grown by the product's
SFinGe-style generator, ``k`` impressions at the named distortion level, each extracted by
the product's extractor. Returns minutiae, quality and timings. Work runs on 2 processes
(the machine's cores); results are cached under ``$TMPDIR/custodia-biometrics-cache`` so
several benchmarks reuse one generation. ``distractors(seed, n)``: minutiae drawn directly
(no image) for large galleries.
"""

from __future__ import annotations

import os
import pickle
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from custodia.biometrics import extract, synth

CACHE = Path(tempfile.gettempdir()) / "custodia-biometrics-cache"


def _finger(args: tuple[int, int, int, str]) -> dict[str, Any]:
    seed, finger, k, level = args
    t0 = time.perf_counter()
    master = synth.make_master(seed, finger)
    t1 = time.perf_counter()
    out: dict[str, Any] = {"finger": finger, "master_s": t1 - t0, "impressions": []}
    for imp in range(k):
        t2 = time.perf_counter()
        image, truth = synth.make_impression(master, seed, imp, synth.Distortion.named(level))
        t3 = time.perf_counter()
        ex = extract.extract(image)
        t4 = time.perf_counter()
        out["impressions"].append(
            {
                "minutiae": ex.minutiae.as_array(),
                "quality": ex.quality,
                "impression_s": t3 - t2,
                "extract_s": t4 - t3,
                "pattern": truth.pattern,
            }
        )
    return out


def impressions(
    seed: int, fingers: int, k: int, level: str = "moderate", workers: int = 2
) -> list[dict[str, Any]]:
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"imp_{seed}_{fingers}_{k}_{level}.pkl"
    if path.exists():
        with path.open("rb") as f:
            cached: list[dict[str, Any]] = pickle.load(f)  # noqa: S301 - our own cache file
            return cached
    jobs = [(seed, f, k, level) for f in range(fingers)]
    with ProcessPoolExecutor(workers) as pool:
        result = list(pool.map(_finger, jobs, chunksize=8))
    with path.open("wb") as f:
        pickle.dump(result, f)
    return result


def _distractor(args: tuple[int, int]) -> np.ndarray:
    return synth.synthetic_minutiae(*args)


def distractors(seed: int, n: int, workers: int = 2) -> list[np.ndarray]:
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"dis_{seed}_{n}.pkl"
    if path.exists():
        with path.open("rb") as f:
            cached: list[np.ndarray] = pickle.load(f)  # noqa: S301 - our own cache file
            return cached
    with ProcessPoolExecutor(workers) as pool:
        result = list(pool.map(_distractor, [(seed, i) for i in range(n)], chunksize=256))
    with path.open("wb") as f:
        pickle.dump(result, f)
    return result


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]
