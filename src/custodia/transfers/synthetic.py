"""Seeded synthetic operations for tests and benchmarks (no database): sites scattered over
north-east Syria, a receiving facility near Baghdad, staging airfields between, a mixed fleet,
a threat that rises as a front moves west to east. The shape follows the scenario's."""

from __future__ import annotations

import datetime as dt
import math
import random

from custodia.transfers.operation import (
    Aircraft,
    AircraftType,
    Detainee,
    Operation,
    Receiving,
    Site,
    Staging,
    ThreatStep,
)

TYPES = (
    AircraftType(code="H16", seats=16, speed_kmh=260, range_km=620),
    AircraftType(code="H32", seats=32, speed_kmh=230, range_km=700),
    AircraftType(code="H40", seats=40, speed_kmh=270, range_km=740),
)
RECEIVING = Receiving(
    code="RCV-BGW",
    name="Baghdad Airport Receiving Facility",
    lat=33.28,
    lon=44.22,
    intake_per_day=450,
)
STAGING = (
    Staging(code="AF-QAM", name="Qamishli staging", lat=37.0209, lon=41.1914),
    Staging(code="AF-RML", name="Rmelan staging", lat=36.9870, lon=41.9330),
    Staging(code="AF-SHD", name="Shaddadi staging", lat=36.0850, lon=40.6950),
)
# Holding areas of the staging airfields, as in the scenario's gazetteer.
HOLDING = {"AF-QAM": 400, "AF-RML": 300, "AF-SHD": 300}
RISK_BANDS = ((1, 39), (40, 69), (70, 89), (90, 100))
TIER_WEIGHTS = (0.25, 0.35, 0.28, 0.12)


def risk_score(rng: random.Random, tier: int) -> int:
    """A 1..100 score inside the band of security tier ``tier`` (1..4)."""
    low, high = RISK_BANDS[tier - 1]
    return rng.randint(low, high)


def threat_steps(
    rng: random.Random, base: float, lon: float, horizon: int, *, falls: bool
) -> list[ThreatStep]:
    """Threat rising logistically as the front passes (west first), doubling if the site
    falls; one step per day where the rounded value changes."""
    midpoint = (lon - 38.0) / 4.5 * horizon * 0.8 + rng.uniform(-2, 2)
    fall_day = rng.randint(3, max(4, horizon // 2)) if falls else None
    steps: list[ThreatStep] = []
    last = -1.0
    for day in range(horizon):
        value = base * (1 + 2 / (1 + math.exp(-(day - midpoint) / 3)))
        if fall_day is not None and day >= fall_day:
            value *= 2
        value = round(value, 1)
        if value != last:
            steps.append(ThreatStep(day=day, level=value))
            last = value
    return steps


def fleet(rng: random.Random, count: int, bases: list[str]) -> list[Aircraft]:
    """``count`` aircraft, 3/8 small, 3/8 medium, 1/4 large, bases round-robin; maintenance
    one day in six (staggered) and about 3 % unscheduled days."""
    planes = []
    for i in range(count):
        kind = "H16" if i % 8 < 3 else "H32" if i % 8 < 6 else "H40"
        planes.append((kind, i))
    out = []
    for kind, i in planes:
        days = list(range(i % 6, 400, 6))
        days += [d for d in range(400) if rng.random() < 0.03]
        out.append(
            Aircraft(
                tail=f"{kind}-{i + 1:02d}",
                type=kind,
                base=bases[i % len(bases)],
                unavailable_days=sorted(set(days)),
            )
        )
    return out


def synthetic_operation(
    *,
    seed: int = 1,
    detainees: int = 6000,
    sites: int = 25,
    aircraft: int = 16,
    days: int = 30,
    intake_per_day: int | None = None,
    minors: float = 0.0,
    holding: bool = False,
) -> Operation:
    """``holding``: the staging airfields' holding areas are open (``HOLDING``)."""
    rng = random.Random(seed)  # noqa: S311 -- reproducible synthetic data, not secrets
    weights = [rng.lognormvariate(0, 1.1) for _ in range(sites)]
    total = sum(weights)
    sizes = [max(1, int(detainees * w / total)) for w in weights]
    sizes[0] += detainees - sum(sizes)
    next_id = 1
    site_list = []
    for index, size in enumerate(sizes):
        lat, lon = rng.uniform(35.0, 37.2), rng.uniform(38.3, 42.2)
        people = []
        for _ in range(size):
            tier = rng.choices((1, 2, 3, 4), weights=TIER_WEIGHTS)[0]
            people.append(
                Detainee(
                    id=next_id,
                    risk=risk_score(rng, tier),
                    minor=rng.random() < minors,
                    assessment_ref=f"RA-{next_id}",
                )
            )
            next_id += 1
        prep = min(400, max(40, int(size * rng.uniform(0.12, 0.25))))
        site_list.append(
            Site(
                code=f"S{index + 1:03d}",
                lat=lat,
                lon=lon,
                prep_per_day=prep,
                threat=threat_steps(
                    rng, rng.choice((1, 2, 2, 3, 3, 4)), lon, days, falls=rng.random() < 0.12
                ),
                detainees=people,
            )
        )
    intake = intake_per_day or max(100, int(detainees / days * 2.2))
    return Operation(
        name=f"synthetic-{seed}-{detainees}",
        start_date=dt.date(2026, 12, 1),
        horizon_days=days,
        receiving=RECEIVING.model_copy(update={"intake_per_day": intake}),
        staging=[
            s.model_copy(update={"holding_capacity": HOLDING[s.code] if holding else 0})
            for s in STAGING
        ],
        aircraft_types=list(TYPES),
        aircraft=fleet(rng, aircraft, [s.code for s in STAGING]),
        sites=site_list,
    )
