"""Execution through the ledger: boarding (TRANSFER_OUT), departure, arrival reconciled
against the manifest, intake (TRANSFER_IN); a whole small operation flown end to end."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from custodia.custody import service as custody
from custodia.custody.models import Discrepancy
from custodia.custody.rules import EventType, Status
from custodia.custody.schemas import EventRequest
from custodia.db import read_session, unit_of_work
from custodia.errors import Conflict
from custodia.registry import service as registry
from custodia.registry.models import PersonCategory
from custodia.registry.schemas import NameIn, PersonIn
from custodia.transfers import service
from custodia.transfers.operation import (
    Aircraft,
    AircraftType,
    Detainee,
    Operation,
    Receiving,
    Site,
    ThreatStep,
)
from custodia.transfers.schemas import AssessmentIn
from tests.conftest import World


def _operation(world: World, held: dict[int, list[int]]) -> Operation:
    coords = {world.prison_a: (36.50, 40.75), world.prison_b: (37.05, 41.22)}
    return Operation(
        name="test airlift",
        start_date=dt.date(2026, 12, 1),
        horizon_days=6,
        receiving=Receiving(
            code="BGW-R", lat=33.26, lon=44.23, facility_id=world.receiving, intake_per_day=30
        ),
        aircraft_types=[AircraftType(code="LR", seats=12, speed_kmh=300, range_km=1200)],
        aircraft=[Aircraft(tail="LR-1", type="LR", base="BGW-R")],
        sites=[
            Site(
                code=f"F{fid}",
                lat=coords[fid][0],
                lon=coords[fid][1],
                facility_id=fid,
                prep_per_day=20,
                threat=[ThreatStep(day=0, level=2.0 + i)],
                detainees=[Detainee(id=p, risk=10 + 7 * (p % 12)) for p in people],
            )
            for i, (fid, people) in enumerate(held.items())
        ],
    )


def _populate(world: World, per_site: int) -> dict[int, list[int]]:
    with unit_of_work(world.engine) as session:
        ids = registry.register_persons(
            session,
            persons_in=[
                PersonIn(
                    category=PersonCategory.DETAINEE,
                    names=[NameIn(full_name=f"Detainee {i}")],
                )
                for i in range(2 * per_site)
            ],
        )
        held = {world.prison_a: ids[:per_site], world.prison_b: ids[per_site:]}
        custody.record_events(
            session,
            requests=[
                EventRequest(event_type=EventType.INTAKE, person_id=p, facility_id=f)
                for f, people in held.items()
                for p in people
            ],
            actor_id=None,
        )
        service.record_assessments(
            session,
            assessments=[AssessmentIn(person_id=p, ref=f"RA-{p}", outcome="cleared") for p in ids],
            actor_id=None,
        )
    return held


def _stored(world: World, per_site: int) -> tuple[dict[str, Any], dict[int, list[int]]]:
    held = _populate(world, per_site)
    with unit_of_work(world.engine) as session:
        summary = service.create_plan(
            session, operation=_operation(world, held), time_limit=3, actor_id=None
        )
    with read_session(world.engine) as session:
        return service.get_plan(session, plan_id=summary.id), held


def test_a_whole_operation_flown_through_the_ledger_ends_at_the_destination(
    world: World,
) -> None:
    plan, held = _stored(world, per_site=9)
    officer = world.users["custody_officer"]
    everyone = [p for people in held.values() for p in people]
    assert plan["moved"] == len(everyone)
    for sortie in plan["sorties"]:
        with unit_of_work(world.engine) as session:
            service.board(
                session,
                plan_id=plan["id"],
                sortie=sortie["id"],
                person_ids=sortie["manifest"],
                actor_id=officer,
            )
        with read_session(world.engine) as session:
            states = custody.custody_states(session, person_ids=sortie["manifest"])
            assert {s.status for s in states.values()} == {Status.IN_TRANSIT}
        with unit_of_work(world.engine) as session:
            service.depart(session, plan_id=plan["id"], sortie=sortie["id"], actor_id=officer)
            arrived = service.arrive(
                session,
                plan_id=plan["id"],
                sortie=sortie["id"],
                received=sortie["manifest"],
                actor_id=officer,
            )
            assert not arrived.missing and not arrived.unexpected
            service.take_in(session, plan_id=plan["id"], sortie=sortie["id"], actor_id=officer)
    with read_session(world.engine) as session:
        states = custody.custody_states(session, person_ids=everyone)
        assert {(s.status, s.facility_id) for s in states.values()} == {
            (Status.IN_CUSTODY, world.receiving)
        }
        assert custody.check_projection(session).ok
        notified = service.notifications(session, plan_id=plan["id"])
        assert sorted(p for n in notified for p in n.person_ids) == sorted(everyone)
        history = custody.custody_history(session, person_id=everyone[0])
        out = next(e for e in history if e.type == "TRANSFER_OUT")
        assert out.payload["risk_assessment_ref"] == f"RA-{everyone[0]}"
        assert out.payload["monitor_notification_ref"].startswith("MN-")


def test_arrival_raises_discrepancies_for_missing_and_unexpected(world: World) -> None:
    plan, held = _stored(world, per_site=4)
    sortie = plan["sorties"][0]
    aboard = sortie["manifest"][:3]
    stranger = next(p for ps in held.values() for p in ps if p not in sortie["manifest"])
    officer, admin = world.users["custody_officer"], world.users["admin"]
    with unit_of_work(world.engine) as session:
        service.board(
            session, plan_id=plan["id"], sortie=sortie["id"], person_ids=aboard, actor_id=None
        )
        left = service.depart(session, plan_id=plan["id"], sortie=sortie["id"], actor_id=admin)
        assert left.left_behind == sorted(set(sortie["manifest"]) - set(aboard))
        status = service.arrive(
            session,
            plan_id=plan["id"],
            sortie=sortie["id"],
            received=[aboard[0], aboard[1], stranger],
            actor_id=officer,
        )
    assert status.missing == [aboard[2]]
    assert status.unexpected == [stranger]
    # the monitor reads who declared the aircraft gone and who counted it in
    assert (status.departed_by, status.arrived_by) == (admin, officer)
    assert status.departed_at is not None and status.arrived_at is not None
    with read_session(world.engine) as session:
        opened = {
            (d.person_id, d.kind, d.opened_by)
            for d in session.scalars(select(Discrepancy).where(Discrepancy.status == "open"))
        }
    assert opened == {(aboard[2], "missing", officer), (stranger, "unexpected", officer)}


def test_boarding_refuses_anyone_off_manifest_or_failing_identity(world: World) -> None:
    plan, held = _stored(world, per_site=4)
    sortie = plan["sorties"][0]
    stranger = next(p for ps in held.values() for p in ps if p not in sortie["manifest"])
    with (
        unit_of_work(world.engine) as session,
        pytest.raises(Conflict, match="not on the manifest"),
    ):
        service.board(
            session, plan_id=plan["id"], sortie=sortie["id"], person_ids=[stranger], actor_id=None
        )
    with unit_of_work(world.engine) as session, pytest.raises(Conflict, match="identity check"):
        service.board(
            session,
            plan_id=plan["id"],
            sortie=sortie["id"],
            person_ids=sortie["manifest"][:2],
            actor_id=None,
            verifier=lambda pid: pid != sortie["manifest"][1],
        )
    with read_session(world.engine) as session:
        states = custody.custody_states(session, person_ids=sortie["manifest"][:2])
    assert {s.status for s in states.values()} == {Status.IN_CUSTODY}


def test_a_plan_refuses_persons_without_a_recorded_assessment(world: World) -> None:
    held = _populate(world, per_site=3)
    with unit_of_work(world.engine) as session:
        service.record_assessments(
            session,
            assessments=[
                AssessmentIn(person_id=held[world.prison_a][0], ref="RA-X", outcome="flagged")
            ],
            actor_id=None,
        )
        summary = service.create_plan(
            session, operation=_operation(world, held), time_limit=3, actor_id=None
        )
        plan = service.get_plan(session, plan_id=summary.id)
    manifested = {p for s in plan["sorties"] for p in s["manifest"]}
    assert held[world.prison_a][0] not in manifested
    assert [h["person_id"] for h in plan["held_back"]] == [held[world.prison_a][0]]
