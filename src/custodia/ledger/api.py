"""Routes of the ledger room: read events, issue signed checkpoints, prove inclusion and
consistency, verify the whole log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import PlainTextResponse

from custodia.api.deps import (
    CheckpointRequester,
    Context,
    QueryId,
    ReadSession,
    WriteSession,
    current_actor,
)
from custodia.api.pagination import Page, Paging, page_of, paginate
from custodia.api.problems import problem_responses
from custodia.custody import service as custody
from custodia.ledger import service as ledger
from custodia.ledger.schemas import (
    CheckpointOut,
    ConsistencyProofOut,
    InclusionProofOut,
    LedgerAuditOut,
    LedgerCheckOut,
    LedgerEventOut,
    ProjectionCheckOut,
)
from custodia.ledger.signing import public_key_pem

# Ledger sequence numbers are 64-bit on PostgreSQL (bigint) and SQLite alike.
MAX_SEQ = 2**63 - 1

router = APIRouter(
    prefix="/ledger",
    tags=["ledger"],
    dependencies=[Depends(current_actor)],
    responses=problem_responses(401, 404, 422),
)
PEM = "application/x-pem-file"


@router.get("/events")
def list_events(
    session: ReadSession,
    paging: Paging,
    event_type: Annotated[str | None, Query(alias="type", max_length=32)] = None,
    facility_id: QueryId = None,
) -> Page[LedgerEventOut]:
    """Ledger events, newest first."""
    entries, total = ledger.list_events(
        session,
        limit=paging.limit,
        offset=paging.offset,
        event_type=event_type,
        facility_id=facility_id,
    )
    return page_of([LedgerEventOut.model_validate(e) for e in entries], total=total, paging=paging)


@router.get("/events/{seq}")
def get_event(seq: Annotated[int, Path(ge=1, le=MAX_SEQ)], session: ReadSession) -> LedgerEventOut:
    return LedgerEventOut.model_validate(ledger.get_event(session, seq=seq))


@router.post("/checkpoints", status_code=201, responses=problem_responses(403))
def issue_checkpoint(
    actor: CheckpointRequester, session: WriteSession, context: Context
) -> CheckpointOut:
    """Sign the current tree head with the log's key; keep the answer to hold the log to it."""
    checkpoint = ledger.issue_checkpoint(
        session, key=context.signing_key, log=context.log_name, issued_by=actor.user_id
    )
    return CheckpointOut.model_validate(checkpoint.to_json())


@router.get("/checkpoints")
def list_checkpoints(session: ReadSession, context: Context, paging: Paging) -> Page[CheckpointOut]:
    checkpoints = ledger.list_checkpoints(session, log=context.log_name)
    return paginate([CheckpointOut.model_validate(c.to_json()) for c in checkpoints], paging)


@router.get(
    "/public-key",
    response_class=PlainTextResponse,
    responses={200: {"content": {PEM: {"schema": {"type": "string"}}}}},
)
def public_key(context: Context) -> PlainTextResponse:
    """The Ed25519 public key (PEM) that verifies every checkpoint of this log."""
    return PlainTextResponse(public_key_pem(context.signing_key), media_type=PEM)


@router.get("/proofs/inclusion")
def inclusion_proof(
    session: ReadSession,
    seq: Annotated[int, Query(ge=1, le=MAX_SEQ)],
    tree_size: Annotated[
        int | None, Query(ge=1, le=MAX_SEQ, description="default: today's size")
    ] = None,
) -> InclusionProofOut:
    """Proof that event ``seq`` is in the tree of ``tree_size`` events (RFC 9162)."""
    proof = ledger.inclusion_proof(session, seq=seq, tree_size=tree_size)
    return InclusionProofOut.model_validate(proof)


@router.get("/proofs/consistency")
def consistency_proof(
    session: ReadSession,
    old_size: Annotated[int, Query(ge=1, le=MAX_SEQ)],
    new_size: Annotated[
        int | None, Query(ge=1, le=MAX_SEQ, description="default: today's size")
    ] = None,
) -> ConsistencyProofOut:
    """Proof that the log of ``old_size`` events is a prefix of the log of ``new_size``."""
    proof = ledger.consistency_proof(session, old_size=old_size, new_size=new_size)
    return ConsistencyProofOut.model_validate(proof)


@router.get("/verify")
def verify(session: ReadSession, context: Context) -> LedgerAuditOut:
    """Recompute every hash, the chain and the stored checkpoints, and replay the ledger
    against the current-custody projection."""
    chain, projection = custody.audit_ledger(
        session, log=context.log_name, public_key=context.signing_key.public_key()
    )
    return LedgerAuditOut(
        ledger=LedgerCheckOut.model_validate(chain.as_dict()),
        projection=ProjectionCheckOut(
            ok=projection.ok,
            events=projection.events,
            persons=projection.persons,
            mismatches=projection.mismatches,
        ),
    )
