"""Routes of the custody room: who is where and how they got there, custody events, roll
calls and the discrepancies they open."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends, HTTPException, Request, Response
from starlette.datastructures import UploadFile

from custodia.api.deps import (
    CustodyWriter,
    PathId,
    QueryId,
    Read,
    ReadSession,
    WriteSession,
    current_actor,
)
from custodia.api.pagination import Page, Paging, page_of, paginate
from custodia.api.problems import problem_responses
from custodia.custody import rollcall, timeline
from custodia.custody import service as custody
from custodia.custody.schemas import (
    CustodyEventIn,
    CustodyOut,
    DiscrepancyOut,
    EventOut,
    FacilityPopulation,
    PersonDetail,
    ResolveIn,
    RollCallIn,
    RollCallOut,
)
from custodia.custody.timeline import PopulationPoint

router = APIRouter(
    tags=["custody"],
    dependencies=[Depends(current_actor)],
    responses=problem_responses(401, 404, 422),
)
WRITE = problem_responses(403, 409)

_CSV_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
        },
    }
}


@router.get("/persons/{person_id}")
async def person_detail(person_id: PathId, read: Read) -> PersonDetail:
    """The person, where they are now, and every custody event of theirs."""
    return await read(custody.person_detail, person_id=person_id)


@router.get("/persons/{person_id}/custody")
async def get_custody(person_id: PathId, read: Read) -> CustodyOut:
    return await read(custody.get_custody, person_id=person_id)


@router.get("/persons/{person_id}/history")
async def custody_history(person_id: PathId, read: Read, paging: Paging) -> Page[EventOut]:
    """The person's custody events, oldest first, each marked with what corrected it."""
    return paginate(await read(custody.custody_history, person_id=person_id), paging)


@router.post("/custody/events", status_code=201, responses=WRITE)
def record_event(
    event: Annotated[CustodyEventIn, Body()],
    actor: CustodyWriter,
    session: WriteSession,
    response: Response,
) -> EventOut:
    """Record one custody event; it is appended to the ledger only if the custody rules
    allow it from the person's current state."""
    recorded = custody.record_event(session, request=event.to_request(), actor_id=actor.user_id)
    response.headers["Location"] = f"/ledger/events/{recorded.seq}"
    return recorded


@router.get("/population")
async def population(read: Read, paging: Paging) -> Page[FacilityPopulation]:
    """Per facility: held now, inbound in transit, open discrepancies."""
    return paginate(await read(custody.population), paging)


# The reports replay the whole ledger (seconds): they are sync routes on FastAPI's own
# thread pool, so that they never hold the few threads look-ups run on.
@router.get("/reports/population")
def population_over_time(session: ReadSession) -> list[PopulationPoint]:
    """Persons held at each month's end by kind of place, replayed from the ledger."""
    return timeline.population_over_time(session)


@router.get(
    "/reports/population.png",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}, "description": "stacked-area chart"}},
)
def population_picture(session: ReadSession) -> Response:
    """The same as a picture."""
    picture = timeline.population_chart(timeline.population_over_time(session))
    return Response(content=picture, media_type="image/png")


@router.get("/custody/status-counts")
async def status_counts(read: Read) -> dict[str, int]:
    """How many registered persons are in each custody status."""
    return await read(custody.status_counts)


@router.post("/roll-calls", status_code=201, responses=WRITE)
def record_roll_call(
    roll_call_in: RollCallIn, actor: CustodyWriter, session: WriteSession
) -> RollCallOut:
    """Reconcile a count of the persons present against the records."""
    return rollcall.record_roll_call(session, roll_call_in=roll_call_in, actor_id=actor.user_id)


async def _roll_call_text(request: Request) -> str:
    """The uploaded roll call: a text/csv body, or a multipart file in the field ``file``."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type == "multipart/form-data":
        async with request.form() as form:
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                raise HTTPException(422, "send the roll call file in the form field 'file'")
            raw = await upload.read()
    elif media_type in ("text/csv", "text/plain"):
        raw = await request.body()
    else:
        raise HTTPException(
            415, "send the roll call as text/csv, or as multipart/form-data with a field 'file'"
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise HTTPException(422, "the roll call file is not UTF-8 text") from exc


@router.post(
    "/facilities/{facility_id}/roll-calls/csv",
    status_code=201,
    responses={**WRITE, **problem_responses(415)},
    openapi_extra=_CSV_BODY,
)
def record_roll_call_csv(
    facility_id: PathId,
    actor: CustodyWriter,
    session: WriteSession,
    text: Annotated[str, Depends(_roll_call_text)],
    taken_at: dt.datetime | None = None,
) -> RollCallOut:
    """A roll call from a CSV with a ``person_id`` column (or one id per line)."""
    roll_call_in = RollCallIn(
        facility_id=facility_id,
        person_ids=rollcall.parse_roll_call_csv(text),
        taken_at=taken_at,
    )
    return rollcall.record_roll_call(session, roll_call_in=roll_call_in, actor_id=actor.user_id)


@router.get("/roll-calls/{roll_call_id}")
async def get_roll_call(roll_call_id: PathId, read: Read) -> RollCallOut:
    return await read(rollcall.get_roll_call, roll_call_id=roll_call_id)


@router.get("/discrepancies")
async def list_discrepancies(
    read: Read,
    paging: Paging,
    facility_id: QueryId = None,
    status: Literal["open", "resolved", "all"] = "open",
) -> Page[DiscrepancyOut]:
    items, total = await read(
        rollcall.list_discrepancies,
        facility_id=facility_id,
        status=None if status == "all" else status,
        limit=paging.limit,
        offset=paging.offset,
    )
    return page_of(items, total=total, paging=paging)


@router.post("/discrepancies/{discrepancy_id}/resolve", responses=WRITE)
def resolve_discrepancy(
    discrepancy_id: PathId, resolve_in: ResolveIn, actor: CustodyWriter, session: WriteSession
) -> DiscrepancyOut:
    return rollcall.resolve_discrepancy(
        session,
        discrepancy_id=discrepancy_id,
        resolution=resolve_in.resolution,
        actor_id=actor.user_id,
    )
