"""Fits the model behind ``custodia.biometrics.calibration`` (a finger's MCC score read as
bits of evidence) and checks it on prints it was not fitted on.

Fit: 400 synthetic fingers (seed 23), two impressions each at moderate distortion; genuine
pairs are a finger's two impressions, impostor pairs the first impression of one finger
against the second of 60 others. Check: 200 other fingers (seed 29), the same way. Prints
the fitted parameters beside those in the code, and on the held-out prints the share of
genuine pairs read as evidence for a match (bits > 0) and of impostor pairs read as
evidence against, with the bits' spread.

Usage: PYTHONPATH=src:benchmarks .venv/bin/python benchmarks/biometrics_calibration.py \
    > benchmarks/results/biometrics_calibration.json
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

import biometrics_data as data
from custodia.biometrics import calibration, mcc
from harness import check, emit, log, machine_info

IMPOSTORS_PER_FINGER = 60


def scores(seed: int, fingers: int) -> tuple[np.ndarray, np.ndarray]:
    prints = data.impressions(seed, fingers, 2, "moderate")
    templates = [[mcc.template(i["minutiae"]) for i in f["impressions"]] for f in prints]
    n = len(templates)
    genuine = np.array([mcc.score(t[0], t[1]) for t in templates])
    rng = np.random.default_rng(seed)
    impostor = [
        mcc.score(templates[i][0], templates[int(j)][1])
        for i in range(n)
        for j in rng.choice(n, IMPOSTORS_PER_FINGER, replace=False)
        if j != i
    ]
    return genuine, np.array(impostor)


def fit(genuine: np.ndarray, impostor: np.ndarray) -> dict[str, float]:
    t90, t999 = np.percentile(impostor, [90, 99.9])
    logs = np.log(genuine)
    return {
        "impostor_t90": round(float(t90), 5),
        "impostor_tail": round(float((t999 - t90) / np.log(100)), 5),
        "genuine_log_mean": round(float(logs.mean()), 4),
        "genuine_log_sd": round(float(logs.std()), 4),
    }


def bits_summary(values: np.ndarray) -> dict[str, float]:
    bits = np.array([calibration.finger_bits(float(s)) for s in values])
    return {
        "pairs": len(bits),
        "min_bits": round(float(bits.min()), 2),
        "median_bits": round(float(np.median(bits)), 2),
        "max_bits": round(float(bits.max()), 2),
        "share_for_a_match": round(float(np.mean(bits > 0)), 5),
    }


def main() -> None:
    started = time.perf_counter()
    log("fitting on seed 23 (400 fingers)")
    fitted = fit(*scores(23, 400))
    log("checking on seed 29 (200 fingers)")
    genuine, impostor = scores(29, 200)
    held_genuine, held_impostor = bits_summary(genuine), bits_summary(impostor)
    in_code: dict[str, Any] = {
        "impostor_t90": calibration.IMPOSTOR_T90,
        "impostor_tail": calibration.IMPOSTOR_TAIL,
        "genuine_log_mean": calibration.GENUINE_LOG_MEAN,
        "genuine_log_sd": calibration.GENUINE_LOG_SD,
        "failed_capture": calibration.FAILED_CAPTURE,
        "finger_cap": calibration.FINGER_CAP,
    }
    emit(
        {
            "benchmark": "biometrics_calibration",
            "fitted_seed_23": fitted,
            "in_code": in_code,
            "held_out_seed_29": {
                "genuine": held_genuine,
                "impostor": held_impostor,
                "held_out_fit": fit(genuine, impostor),
            },
            "bits_at_score": {
                f"{s:.3f}": round(calibration.finger_bits(s), 2)
                for s in (0.0, 0.017, 0.025, 0.03, 0.035, 0.04, 0.045, 0.05, 0.08)
            },
            "seconds": round(time.perf_counter() - started, 1),
            "checks": {
                "held_out_genuine_for_a_match": check(
                    held_genuine["share_for_a_match"], at_least=0.99
                ),
                "held_out_impostor_against": check(
                    1 - held_impostor["share_for_a_match"], at_least=0.999
                ),
            },
            "machine": machine_info(),
        }
    )


if __name__ == "__main__":
    main()
