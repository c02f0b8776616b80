"""Helpers of the custody tests: register people in the `world`, record events as a given
user, and take a snapshot of everything a custody write may change."""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy import select

from custodia.custody import service as custody
from custodia.custody.models import CustodyRecord
from custodia.custody.schemas import CustodyOut, EventOut, EventRequest
from custodia.db import read_session, unit_of_work
from custodia.ledger import service as ledger
from custodia.registry import service as registry
from custodia.registry.schemas import NameIn, PersonIn
from tests.conftest import World


class EventIn(Protocol):
    def to_request(self) -> EventRequest: ...


def register(world: World, count: int = 1, *, label: str = "Detainee") -> list[int]:
    with unit_of_work(world.engine) as session:
        return registry.register_persons(
            session,
            persons_in=[
                PersonIn(category="detainee", names=[NameIn(full_name=f"{label} {n}")])
                for n in range(count)
            ],
        )


def record(
    world: World, *events: EventIn | EventRequest, actor: str = "custody_officer"
) -> list[EventOut]:
    requests = [e if isinstance(e, EventRequest) else e.to_request() for e in events]
    with unit_of_work(world.engine) as session:
        return custody.record_events(session, requests=requests, actor_id=world.users[actor])


def custody_of(world: World, person_id: int) -> CustodyOut:
    with read_session(world.engine) as session:
        return custody.get_custody(session, person_id=person_id)


def held_at(world: World, facility_id: int) -> set[int]:
    with read_session(world.engine) as session:
        return custody.held_at(session, facility_id=facility_id)


def history(world: World, person_id: int) -> list[EventOut]:
    with read_session(world.engine) as session:
        return custody.custody_history(session, person_id=person_id)


def snapshot(world: World) -> dict[str, Any]:
    """The ledger size and head and the whole projection."""
    with read_session(world.engine) as session:
        return {
            "tree_size": ledger.tree_size(session),
            "projection": [
                (
                    r.person_id,
                    r.status,
                    r.facility_id,
                    r.authority_id,
                    r.movement_id,
                    r.destination_facility_id,
                    r.last_seq,
                    r.since,
                )
                for r in session.scalars(select(CustodyRecord).order_by(CustodyRecord.person_id))
            ],
            "counts": custody.status_counts(session),
        }


def projection_is_replay(world: World) -> bool:
    with read_session(world.engine) as session:
        report = custody.check_projection(session)
    assert report.ok, report.mismatches
    return report.ok
