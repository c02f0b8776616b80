"""Pictures of an operation: the burndown (detainees still at the sites, planned and
actual) and the exposure over time."""

from __future__ import annotations

import io
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt


def _remaining(
    plan: dict[str, Any], leave: dict[int, int]
) -> tuple[list[int], list[float], dict[str, list[int]]]:
    op = plan["operation"]
    horizon = op["horizon_days"]
    people = [
        (d["id"], d["risk"], site)
        for site in op["sites"]
        for d in site["detainees"]
        if d.get("assessment_ref") and not d.get("assessment_flagged")
    ]
    counts = [0] * horizon
    exposure = [0.0] * horizon
    by_site = {site["code"]: [0] * horizon for site in op["sites"]}
    threat = {}
    for site in op["sites"]:
        steps = sorted(site["threat"], key=lambda s: s["day"])
        level = steps[0]["level"]
        series = []
        for day in range(horizon):
            for step in steps:
                if step["day"] == day:
                    level = step["level"]
            series.append(level)
        threat[site["code"]] = series
    for pid, risk, site in people:
        gone = leave.get(pid, horizon)
        for day in range(min(gone, horizon)):
            counts[day] += 1
            by_site[site["code"]][day] += 1
            exposure[day] += risk * threat[site["code"]][day]
    return counts, exposure, by_site


def burndown_png(plan: dict[str, Any], actual: dict[int, int] | None = None) -> bytes:
    """PNG bytes: remaining detainees per day (planned; actual when given) and the
    risk-weighted exposure accrued each day."""
    # The day each person leaves their site (a trunk out of holding is not that).
    planned = {
        pid: s["day"] for s in plan["sorties"] if s.get("kind") != "trunk" for pid in s["manifest"]
    }
    counts, exposure, by_site = _remaining(plan, planned)
    days = list(range(len(counts)))
    figure, (top, bottom) = plt.subplots(2, 1, figsize=(10, 8), sharex=True)
    # Per site, planned, stacked: the largest sites at the bottom.
    order = sorted(by_site, key=lambda code: -by_site[code][0])
    top.stackplot(days, [by_site[c] for c in order], labels=order, step="post", alpha=0.8)
    top.step(days, counts, where="post", color="black", label="planned, all sites")
    if actual is not None:
        done, _, _ = _remaining(plan, actual)
        top.step(days, done, where="post", color="red", linestyle="--", label="actual (boarded)")
    top.set_ylabel("detainees still at sites (day end)")
    top.set_title(f"{plan['operation_name']}: burndown")
    top.legend(fontsize=6, ncol=3, loc="upper right")
    top.grid(alpha=0.3)
    bottom.bar(days, exposure, color="tab:red", alpha=0.7)
    bottom.set_ylabel("exposure accrued (risk x threat)")
    bottom.set_xlabel("day of operation")
    bottom.grid(alpha=0.3)
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", dpi=110)
    plt.close(figure)
    return buffer.getvalue()
