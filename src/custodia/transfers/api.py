"""Routes of the transfers room: operation schema, plans (create, read, re-plan, manifest
PDF, chart), assessments, and execution (board, depart, arrive, intake) with the monitor
notification list."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Response

from custodia.api.deps import (
    CustodyWriter,
    PathId,
    Read,
    ReadSession,
    WriteSession,
    allow,
    current_actor,
)
from custodia.api.problems import problem_responses
from custodia.registry.policy import PLAN_TRANSFERS
from custodia.registry.schemas import Actor
from custodia.transfers import service
from custodia.transfers.operation import operation_schema, parse_operation
from custodia.transfers.replan import parse_event
from custodia.transfers.schemas import (
    PLAN_SECONDS,
    ArrivalIn,
    AssessmentIn,
    BoardingIn,
    EventIn,
    Notification,
    PlanSummary,
    SortieStatus,
    TimeIn,
)

router = APIRouter(
    tags=["transfers"],
    dependencies=[Depends(current_actor)],
    responses=problem_responses(401, 404, 422),
)
WRITE = problem_responses(403, 409)
Planner = Annotated[Actor, Depends(allow(PLAN_TRANSFERS))]
_PDF: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/pdf": {}}, "description": "the manifest"}
}
_PNG: dict[int | str, dict[str, Any]] = {
    200: {"content": {"image/png": {}}, "description": "burndown and exposure"}
}


@router.get("/transfers/operation-schema")
def get_operation_schema() -> dict[str, Any]:
    """The JSON schema of an operation description."""
    return operation_schema()


@router.post("/transfers/plans", status_code=201, responses=WRITE)
def create_plan(
    operation: Annotated[dict[str, Any], Body(description="an operation description")],
    actor: Planner,
    session: WriteSession,
    time_limit: float = PLAN_SECONDS,
) -> PlanSummary:
    """Plan an operation (assessments as recorded here) and store the plan."""
    return service.create_plan(
        session, operation=parse_operation(operation), time_limit=time_limit, actor_id=actor.user_id
    )


@router.get("/transfers/plans")
async def list_plans(read: Read) -> list[PlanSummary]:
    return await read(service.list_plans)


@router.get("/transfers/plans/{plan_id}")
async def get_plan(plan_id: PathId, read: Read) -> dict[str, Any]:
    """The plan document: objective, lower_bound, gap, greedy_objective, sorties..."""
    return await read(service.get_plan, plan_id=plan_id)


@router.post("/transfers/plans/{plan_id}/replan", status_code=201, responses=WRITE)
def replan(
    plan_id: PathId, event_in: EventIn, actor: Planner, session: WriteSession
) -> PlanSummary:
    """Re-plan from the ledger's state after an event; stored as a new plan."""
    return service.replan_stored(
        session,
        plan_id=plan_id,
        event=parse_event(event_in.event),
        time_limit=event_in.time_limit,
        actor_id=actor.user_id,
    )


@router.get(
    "/transfers/plans/{plan_id}/sorties/{sortie}/manifest.pdf",
    response_class=Response,
    responses=_PDF,
)
def manifest_pdf(plan_id: PathId, sortie: str, session: ReadSession) -> Response:
    pdf = service.stored_manifest(session, plan_id=plan_id, sortie=sortie)
    return Response(content=pdf, media_type="application/pdf")


@router.get("/transfers/plans/{plan_id}/chart.png", response_class=Response, responses=_PNG)
def chart(plan_id: PathId, session: ReadSession) -> Response:
    return Response(content=service.stored_chart(session, plan_id=plan_id), media_type="image/png")


@router.get("/transfers/plans/{plan_id}/notifications")
async def notifications(plan_id: PathId, read: Read) -> list[Notification]:
    """The monitor notification list."""
    return await read(service.notifications, plan_id=plan_id)


@router.post("/transfers/assessments", status_code=201, responses=WRITE)
def record_assessments(
    assessments: list[AssessmentIn], actor: Planner, session: WriteSession
) -> dict[str, int]:
    """Record pre-transfer risk assessments (the latest of a person counts)."""
    return {
        "recorded": service.record_assessments(
            session, assessments=assessments, actor_id=actor.user_id
        )
    }


@router.get("/transfers/plans/{plan_id}/sorties/{sortie}")
async def sortie_status(plan_id: PathId, sortie: str, read: Read) -> SortieStatus:
    return await read(service.sortie_status, plan_id=plan_id, sortie=sortie)


@router.post("/transfers/plans/{plan_id}/sorties/{sortie}/board", responses=WRITE)
def board(
    plan_id: PathId, sortie: str, boarding: BoardingIn, actor: CustodyWriter, session: WriteSession
) -> SortieStatus:
    """Board persons, each checked against the manifest, their assessment and (when fingers
    are taken) their enrolled fingerprint."""
    return service.board(
        session,
        plan_id=plan_id,
        sortie=sortie,
        person_ids=boarding.person_ids,
        actor_id=actor.user_id,
        occurred_at=boarding.occurred_at,
        fingerprints=boarding.fingerprints,
    )


@router.post("/transfers/plans/{plan_id}/sorties/{sortie}/depart", responses=WRITE)
def depart(
    plan_id: PathId, sortie: str, at: TimeIn, actor: CustodyWriter, session: WriteSession
) -> SortieStatus:
    return service.depart(
        session,
        plan_id=plan_id,
        sortie=sortie,
        actor_id=actor.user_id,
        occurred_at=at.occurred_at,
    )


@router.post("/transfers/plans/{plan_id}/sorties/{sortie}/arrive", responses=WRITE)
def arrive(
    plan_id: PathId, sortie: str, arrival: ArrivalIn, actor: CustodyWriter, session: WriteSession
) -> SortieStatus:
    """Reconcile who came off the aircraft; discrepancies open in the same transaction."""
    return service.arrive(
        session,
        plan_id=plan_id,
        sortie=sortie,
        received=arrival.received,
        occurred_at=arrival.occurred_at,
        fingerprints=arrival.fingerprints,
        actor_id=actor.user_id,
    )


@router.post("/transfers/plans/{plan_id}/sorties/{sortie}/intake", responses=WRITE)
def intake(
    plan_id: PathId, sortie: str, at: TimeIn, actor: CustodyWriter, session: WriteSession
) -> SortieStatus:
    return service.take_in(
        session, plan_id=plan_id, sortie=sortie, actor_id=actor.user_id, occurred_at=at.occurred_at
    )
