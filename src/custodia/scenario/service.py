"""The scenario room's public functions: build a synthetic detention system through the
same services a user's writes go through (the history lands in the ledger, not behind it)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from custodia.custody import rollcall
from custodia.custody import service as custody
from custodia.custody.rules import EventType
from custodia.custody.schemas import EventRequest, RollCallIn
from custodia.db import refresh_planner_statistics, vacuum_after_commit
from custodia.errors import NotFound
from custodia.registry import service as registry
from custodia.registry.models import Role
from custodia.registry.schemas import FacilityIn, OrganizationIn, ThreatLevelIn, UserIn
from custodia.scenario.gazetteer import ALL_SITES, ORGANIZATIONS, Site
from custodia.scenario.models import DuplicateTruth
from custodia.scenario.population import Plan, PlannedEvent, plan_population

Progress = Callable[..., None]
_EVENT_CHUNK = 5000
_PERSON_CHUNK = 5000

# Which agency controls each kind of site, and which users the demo starts with.
_AUTHORITY_OF_KIND = {
    "prison": "NESGF",
    "holding_site": "NESGF",
    "camp": "NESCA",
    "staging_airfield": "CJAC",
    "receiving_facility": "RG-CS",
}
_USERS = (
    ("admin", "Working-group administrator", "CDWG", Role.ADMIN),
    ("officer", "Custody officer, Hasakah", "NESGF", Role.CUSTODY_OFFICER),
    ("planner", "Airlift planner", "CJAC", Role.PLANNER),
    ("analyst", "Identity analyst", "FPBT", Role.ANALYST),
    ("monitor", "Independent monitor", "IHM", Role.MONITOR),
)


def is_empty(*, session: Session) -> bool:
    return registry.count_persons(session) == 0


def _organizations(session: Session) -> dict[str, int]:
    ids = {}
    for org in ORGANIZATIONS:
        created = registry.create_organization(
            session,
            org_in=OrganizationIn(code=org.code, name=org.name, kind=org.kind, country=org.country),
        )
        ids[org.code] = created.id
    for username, display, org_code, role in _USERS:
        registry.create_user(
            session,
            user_in=UserIn(
                username=username, display_name=display, organization_id=ids[org_code], role=role
            ),
        )
    return ids


def _facilities(session: Session, rng: random.Random, orgs: dict[str, int]) -> dict[str, int]:
    ids = {}
    for site in ALL_SITES:
        ids[site.code] = registry.create_facility(session, facility_in=_facility_in(site, orgs)).id
        _threat_history(session, rng, ids[site.code], site)
    return ids


def _facility_in(site: Site, orgs: dict[str, int]) -> FacilityIn:
    return FacilityIn(
        code=site.code,
        name=site.name,
        kind=site.kind,
        town=site.town,
        latitude=site.lat,
        longitude=site.lon,
        capacity=site.capacity,
        authority_id=orgs[_AUTHORITY_OF_KIND[site.kind]],
    )


def _threat_history(session: Session, rng: random.Random, facility_id: int, site: Site) -> None:
    """Quarterly assessments since 2025; the south and the Euphrates heat up lately."""
    exposed = site.lat < 36.2 or site.lon < 39.5
    level = rng.randint(1, 2)
    start = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    for quarter in range(8):
        drift = rng.choice((-1, 0, 0, 1)) + (1 if exposed and quarter >= 6 else 0)
        level = min(5, max(1, level + drift))
        registry.record_threat_level(
            session,
            facility_id=facility_id,
            actor_id=None,
            threat_in=ThreatLevelIn(
                level=level,
                note="quarterly assessment",
                effective_at=start + dt.timedelta(days=91 * quarter),
            ),
        )


def _persons(session: Session, plan: Plan, progress: Progress) -> list[int]:
    ids: list[int] = []
    total = len(plan.persons)
    for start in range(0, total, _PERSON_CHUNK):
        chunk = [p.person_in for p in plan.persons[start : start + _PERSON_CHUNK]]
        ids.extend(registry.register_persons(session, persons_in=chunk))
        progress(len(ids), total, "registering persons")
    return ids


def _record_truth(session: Session, plan: Plan, ids: list[int], seed: int) -> int:
    rows = [
        {
            "person_id": ids[i],
            "true_person_id": ids[p.duplicate_of],
            "kind": p.duplicate_kind,
            "seed": seed,
        }
        for i, p in enumerate(plan.persons)
        if p.duplicate_of is not None
    ]
    if rows:
        session.execute(insert(DuplicateTruth), rows)
    return len(rows)


def _request(event: PlannedEvent, ids: list[int], facilities: dict[str, int]) -> EventRequest:
    payload: dict[str, Any] = dict(event.payload)
    if event.destination:
        payload["destination_facility_id"] = facilities[event.destination]
    return EventRequest(
        event_type=EventType(event.kind),
        person_id=ids[event.person],
        facility_id=facilities[event.facility] if event.facility else None,
        occurred_at=event.when,
        payload=payload,
    )


def _history(
    session: Session,
    plan: Plan,
    ids: list[int],
    facilities: dict[str, int],
    actor_id: int,
    progress: Progress,
) -> None:
    total = len(plan.events)
    for start in range(0, total, _EVENT_CHUNK):
        chunk = plan.events[start : start + _EVENT_CHUNK]
        custody.record_events(
            session, requests=[_request(e, ids, facilities) for e in chunk], actor_id=actor_id
        )
        progress(min(start + _EVENT_CHUNK, total), total, "recording custody history")


def _households(session: Session, plan: Plan, ids: list[int], facilities: dict[str, int]) -> None:
    registry.create_households(
        session,
        households=[
            (
                facilities[h.camp],
                h.label,
                ids[h.members[0][0]],
                [(ids[p], relation) for p, relation in h.members],
            )
            for h in plan.households
        ],
    )
    registry.link_family(
        session,
        links=[(ids[a], ids[b], relation, separated) for a, b, relation, separated in plan.links],
    )


def _sample_roll_calls(
    session: Session, rng: random.Random, facilities: dict[str, int], actor_id: int
) -> None:
    """Two roll calls today: one that tallies, one with two men unaccounted for."""
    for code, missing in (("RML-01", 0), ("TTM-01", 2)):
        held = sorted(custody.held_at(session, facility_id=facilities[code]))
        present = [p for p in held if p not in set(rng.sample(held, min(missing, len(held))))]
        rollcall.record_roll_call(
            session,
            roll_call_in=RollCallIn(facility_id=facilities[code], person_ids=present),
            actor_id=actor_id,
        )


def generate(
    *,
    session: Session,
    seed: int,
    detainees: int,
    camp_residents: int,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Build the whole system in the caller's transaction; return what was made."""
    advance: Progress = progress or (lambda *a, **k: None)
    rng = random.Random(seed)  # noqa: S311 -- reproducible synthetic data, not secrets
    advance(0, None, "planning population")
    plan = plan_population(seed, detainees, camp_residents)
    orgs = _organizations(session)
    facilities = _facilities(session, rng, orgs)
    admin = registry.get_user_by_username(session, username="admin").id
    ids = _persons(session, plan, advance)
    duplicates = _record_truth(session, plan, ids, seed)
    _households(session, plan, ids, facilities)
    _history(session, plan, ids, facilities, admin, advance)
    officer = registry.get_user_by_username(session, username="officer").id
    _sample_roll_calls(session, rng, facilities, officer)
    refresh_planner_statistics(session)  # for the rest of this transaction
    vacuum_after_commit(session)
    counts = custody.status_counts(session)
    return {
        "organizations": len(orgs),
        "facilities": len(facilities),
        "persons": len(ids),
        "duplicate_records": duplicates,
        "households": len(plan.households),
        "ledger_events": len(plan.events) + 2,
        **counts,
    }


def demo_admin_token(*, session: Session) -> str:
    """A fresh API token for the administrator, creating one on a database without it."""
    try:
        admin = registry.get_user_by_username(session, username="admin")
    except NotFound:
        orgs = registry.list_organizations(session)
        org_id = (
            orgs[0].id
            if orgs
            else registry.create_organization(
                session,
                org_in=OrganizationIn(
                    code="ADMIN", name="Administration", kind="administration", country="CH"
                ),
            ).id
        )
        admin = registry.create_user(
            session,
            user_in=UserIn(
                username="admin",
                display_name="Administrator",
                organization_id=org_id,
                role=Role.ADMIN,
            ),
        )
    return registry.issue_token(session, user_id=admin.id, label="demo")


def duplicate_truth(*, session: Session) -> list[tuple[int, int, str]]:
    """(record, true person, kind) for every planted duplicate record."""
    rows = session.execute(
        select(
            DuplicateTruth.person_id, DuplicateTruth.true_person_id, DuplicateTruth.kind
        ).order_by(DuplicateTruth.person_id)
    )
    return [(r.person_id, r.true_person_id, r.kind) for r in rows]
