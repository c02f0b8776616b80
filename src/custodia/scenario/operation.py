"""The default airlift operation for the scenario in the database: every detainee held at a
prison or holding site, to the receiving facility near Baghdad, through the staging
airfields, with a synthetic fleet and a threat that rises as a front moves west to east.

The scenario's persons carry a security tier (1..4); the operation needs a 1..100 risk
score, drawn inside the tier's band from a seeded generator (the scenario is synthetic). The
pre-transfer risk assessments are read from the transfers room; ``assess`` first records
synthetic ones for scenario detainees who have none (a few flagged), as the scenario stands in
for the assessment teams.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy.orm import Session

from custodia.custody import service as custody
from custodia.errors import Invalid
from custodia.registry import service as registry
from custodia.transfers import service as transfers
from custodia.transfers.operation import (
    Detainee,
    Operation,
    Receiving,
    Site,
    Staging,
    parse_operation,
)
from custodia.transfers.schemas import AssessmentIn
from custodia.transfers.synthetic import TYPES, fleet, risk_score, threat_steps

FLAGGED_FRACTION = 0.004


def _risk(seed: int, person_id: int, tier: int) -> int:
    rng = random.Random(seed * 1_000_003 + person_id)  # noqa: S311 -- synthetic, not secrets
    return risk_score(rng, tier)


def _latest_birth_year(text: str | None) -> int | None:
    if not text:
        return None
    years = [int(part[:4]) for part in text.replace("/", " ").split() if part[:4].isdigit()]
    return max(years) if years else None


def _relatives_staying(session: Session, person_ids: set[int]) -> dict[int, list[int]]:
    """Each detainee's relatives who are not among the detainees moved."""
    relatives = registry.relatives_of(session, person_ids=person_ids)
    staying = {p: sorted({r for r in rs if r not in person_ids}) for p, rs in relatives.items()}
    return {p: rs for p, rs in staying.items() if rs}


def default_operation(
    session: Session,
    *,
    seed: int = 1,
    horizon_days: int = 30,
    start_date: dt.date | None = None,
    assess: bool = True,
    actor_id: int | None = None,
    holding: bool = True,
) -> Operation:
    rng = random.Random(seed)  # noqa: S311 -- reproducible synthetic data, not secrets
    start = start_date or dt.date(2026, 12, 1)
    facilities = registry.list_facilities(session)
    detention = [f for f in facilities if f.kind.value in ("prison", "holding_site")]
    staging = [f for f in facilities if f.kind.value == "staging_airfield"]
    receiving = next((f for f in facilities if f.kind.value == "receiving_facility"), None)
    if receiving is None or not detention:
        raise Invalid("the database holds no scenario: run `custodia scenario generate`")
    held = {f.id: sorted(custody.held_at(session, facility_id=f.id)) for f in detention}
    everyone = {pid for ids in held.values() for pid in ids}
    persons = registry.get_persons(session, person_ids=everyone)
    if assess:
        # Its own generator: the fleet and threats stay the same whether or not this runs.
        assess_rng = random.Random(seed + 7)  # noqa: S311 -- synthetic, not secrets
        _assess_scenario(session, assess_rng, sorted(everyone), actor_id)
    assessed = transfers.assessments_of(session, person_ids=everyone)
    relatives = _relatives_staying(session, everyone)
    sites = []
    for f in detention:
        ids = held[f.id]
        if not ids:
            continue
        people = []
        for pid in ids:
            person = persons[pid]
            born = _latest_birth_year(person.date_of_birth)
            ref, flagged = assessed.get(pid, (None, False))
            people.append(
                Detainee(
                    id=pid,
                    risk=_risk(seed, pid, person.risk_tier),
                    minor=born is not None and born > start.year - 18,
                    assessment_ref=ref,
                    assessment_flagged=flagged,
                    relatives_staying=relatives.get(pid, []),
                )
            )
        base = float(f.threat_level or 2)
        sites.append(
            Site(
                code=f.code,
                name=f.name,
                lat=f.latitude,
                lon=f.longitude,
                facility_id=f.id,
                prep_per_day=min(400, max(40, int(len(ids) * rng.uniform(0.12, 0.25)))),
                threat=threat_steps(
                    rng, base, f.longitude, horizon_days, falls=rng.random() < 0.12
                ),
                detainees=people,
            )
        )
    bases = [f.code for f in staging] or [receiving.code]
    total = sum(len(s.detainees) for s in sites)
    op = Operation(
        name=f"scenario airlift (seed {seed})",
        start_date=start,
        horizon_days=horizon_days,
        receiving=Receiving(
            code=receiving.code,
            name=receiving.name,
            lat=receiving.latitude,
            lon=receiving.longitude,
            facility_id=receiving.id,
            intake_per_day=max(100, int(total / horizon_days * 2.2)),
        ),
        staging=[
            Staging(
                code=f.code,
                name=f.name,
                lat=f.latitude,
                lon=f.longitude,
                facility_id=f.id,
                # The airfield's secure area, as the registry gives its capacity.
                holding_capacity=f.capacity if holding else 0,
            )
            for f in staging
        ],
        aircraft_types=list(TYPES),
        aircraft=fleet(rng, 16, bases),
        sites=sites,
    )
    return parse_operation(op.model_dump(mode="json", by_alias=True))


def _assess_scenario(
    session: Session, rng: random.Random, person_ids: list[int], actor_id: int | None
) -> None:
    known = transfers.assessments_of(session, person_ids=person_ids)
    todo = [pid for pid in person_ids if pid not in known]
    transfers.record_assessments(
        session,
        assessments=[
            AssessmentIn(
                person_id=pid,
                ref=f"RA-{pid:06d}",
                outcome="flagged" if rng.random() < FLAGGED_FRACTION else "cleared",
                note="synthetic scenario assessment",
            )
            for pid in todo
        ],
        actor_id=actor_id,
    )
