"""Routes of the access room: the audit log, for administrators and monitors."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from custodia.access import service as access
from custodia.access.schemas import AuditEntryOut
from custodia.api.deps import Auditor, QueryId, Read, current_actor
from custodia.api.pagination import Page, Paging, page_of
from custodia.api.problems import problem_responses

router = APIRouter(
    tags=["access"],
    dependencies=[Depends(current_actor)],
    responses=problem_responses(401, 403, 422),
)


@router.get("/audit")
async def list_audit(
    actor: Auditor, read: Read, paging: Paging, user_id: QueryId = None
) -> Page[AuditEntryOut]:
    """Who did what outside the custody ledger (organizations, users, tokens, facilities,
    threat levels, registrations), newest first."""
    items, total = await read(
        access.list_actions, actor_id=user_id, limit=paging.limit, offset=paging.offset
    )
    return page_of(items, total=total, paging=paging)
