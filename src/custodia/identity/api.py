"""Routes of the identity room."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request

from custodia.api.deps import PathId, Read, WriteSession, allow, current_actor
from custodia.api.pagination import MAX_OFFSET
from custodia.api.problems import problem_responses
from custodia.db import MAX_ID
from custodia.identity import service as identity
from custodia.identity.schemas import (
    CheckResult,
    Comparison,
    DecisionIn,
    DedupeResult,
    HeldListedOut,
    IdentityOut,
    ListedEntryOut,
    ListSearchResult,
    QueuePage,
    ReviewItemOut,
    ScreenResult,
    SearchResult,
    SplitIn,
    WatchlistImportResult,
    WatchlistOut,
    WithdrawResult,
)
from custodia.identity.scoring import REVIEW_THRESHOLD
from custodia.identity.service import CHECK_ROWS_ONLINE
from custodia.registry.policy import ADJUDICATE_IDENTITY, MANAGE_WATCHLISTS
from custodia.registry.schemas import Actor

router = APIRouter(
    tags=["identity"],
    dependencies=[Depends(current_actor)],
    responses=problem_responses(401, 403, 422),
)
WRITE = problem_responses(404, 409)
Reviewer = Annotated[Actor, Depends(allow(ADJUDICATE_IDENTITY))]
ListManager = Annotated[Actor, Depends(allow(MANAGE_WATCHLISTS))]


@router.get("/identity/search")
async def identity_search(
    read: Read,
    name: Annotated[str, Query(min_length=1, max_length=300)],
    dob: Annotated[str | None, Query(description="YYYY-MM-DD, YYYY-MM, YYYY or YYYY/YYYY")] = None,
    nationality: Annotated[str | None, Query(pattern=r"^[A-Z]{2}$")] = None,
    mother: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
    place_of_birth: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> SearchResult:
    """Candidate persons for a name in any script, best first, with the evidence; the
    mother's name and the place of birth, when given, tell namesakes apart."""
    return await read(
        identity.search_persons,
        name=name,
        date_of_birth=dob,
        nationality=nationality,
        mother_name=mother,
        place_of_birth=place_of_birth,
        limit=limit,
    )


@router.get("/identity/compare")
async def identity_compare(
    name1: Annotated[str, Query(min_length=1, max_length=300)],
    name2: Annotated[str, Query(min_length=1, max_length=300)],
) -> Comparison:
    """Two bare names: score 0..1 and the decision at the configured threshold."""
    return identity.compare_names(name1, name2)


@router.get("/identity/queue")
async def identity_queue(
    read: Read,
    status: Annotated[str | None, Query(pattern="^(open|same|different|unsure)$")] = "open",
    kind: Annotated[str | None, Query(pattern="^(duplicate|watchlist)$")] = None,
    person_id: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="items naming this record")
    ] = None,
    doubted: Annotated[
        bool, Query(description="only merges ('same') the fingerprints now contradict")
    ] = False,
    list_name: Annotated[
        str | None, Query(max_length=32, description="only the hits on this watchlist")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> QueuePage:
    """Candidate pairs and watchlist hits, strongest first, both sides and all evidence."""
    return await read(
        identity.list_queue,
        status="same" if doubted else status,
        kind=kind,
        person_id=person_id,
        doubted=doubted,
        list_name=list_name,
        limit=limit,
        offset=offset,
    )


@router.get("/identity/persons/{person_id}")
async def identity_person(person_id: PathId, read: Read) -> IdentityOut:
    """Who this record really is: its identity, the records merged into it, and every review
    item naming one of them, with the decisions."""
    return await read(identity.identity_of, person_id=person_id)


@router.get("/identity/queue/{item_id}")
async def identity_queue_item(item_id: PathId, read: Read) -> ReviewItemOut:
    return await read(identity.get_review_item, item_id=item_id)


@router.post("/identity/queue/{item_id}/decisions", status_code=201, responses=WRITE)
def identity_decide(
    item_id: PathId, decision: DecisionIn, actor: Reviewer, session: WriteSession
) -> ReviewItemOut:
    """Same (merges the identities), different (never proposed again) or unsure."""
    return identity.decide(
        session,
        item_id=item_id,
        decision=decision.decision,
        note=decision.note,
        actor_id=actor.user_id,
    )


@router.post("/identity/queue/{item_id}/split", status_code=201, responses=WRITE)
def identity_split(
    item_id: PathId,
    actor: Reviewer,
    session: WriteSession,
    body: Annotated[SplitIn | None, Body()] = None,
) -> ReviewItemOut:
    """Undo the merge a "same" decision made."""
    return identity.split(
        session, item_id=item_id, note=(body or SplitIn()).note, actor_id=actor.user_id
    )


@router.post("/identity/dedupe", responses=WRITE)
def identity_dedupe(actor: ListManager, session: WriteSession) -> DedupeResult:
    """Batch de-duplication of the registry; candidate pairs go to the review queue."""
    return identity.dedupe(session, actor_id=actor.user_id)


def _raw_body(media_type: str) -> dict[str, Any]:
    """The OpenAPI request body of a route that reads a file as its raw body."""
    return {
        "requestBody": {"required": True, "content": {media_type: {"schema": {"type": "string"}}}}
    }


@router.post(
    "/watchlists/un-sc",
    status_code=201,
    responses=WRITE,
    openapi_extra=_raw_body("application/xml"),
)
async def watchlist_import_un_sc(
    request: Request, actor: ListManager, session: WriteSession
) -> WatchlistImportResult:
    """Import the UN SC consolidated list (the XML document as the request body)."""
    body = await request.body()
    return identity.import_un_sc_xml(session, data=body, actor_id=actor.user_id)


@router.post(
    "/watchlists/csv/{list_name}",
    status_code=201,
    responses=WRITE,
    openapi_extra=_raw_body("text/csv"),
)
async def watchlist_import_csv(
    list_name: str, request: Request, actor: ListManager, session: WriteSession
) -> WatchlistImportResult:
    """Import or refresh an agency's own watchlist, the CSV file as the request body
    (columns: reference, name, aliases, weak_aliases, date_of_birth, nationality,
    place_of_birth); a file with any faulty row changes nothing."""
    body = await request.body()
    return identity.import_csv_list(session, data=body, list_name=list_name, actor_id=actor.user_id)


@router.post("/identity/check", openapi_extra=_raw_body("text/csv"))
async def identity_check(
    request: Request,
    read: Read,
    min_score: Annotated[
        float, Query(ge=0.5, le=1.0, description="the lowest score shown (default: review)")
    ] = REVIEW_THRESHOLD,
) -> CheckResult:
    """Check a partner's file of people (the CSV file as the body, in an agency watchlist's
    columns) against the registry and the loaded watchlists, no one registered: for each
    row, the registered identities (with where custody holds them) and the listed
    individuals it may be. A file with any faulty row is refused whole; at most 1,000 rows
    (the command line, `custodia identity check`, takes more)."""
    body = await request.body()
    return await read(
        identity.check_people, data=body, min_score=min_score, max_rows=CHECK_ROWS_ONLINE
    )


@router.get("/watchlists")
async def watchlists(read: Read) -> list[WatchlistOut]:
    """The loaded watchlists: name, individuals listed, last import."""
    return await read(identity.list_watchlists)


@router.get("/watchlists/held")
async def watchlist_held(
    read: Read,
    list_name: Annotated[
        str | None, Query(max_length=32, description="only this list's individuals")
    ] = None,
) -> HeldListedOut:
    """The identities reviewers confirmed to be listed individuals (a watchlist hit decided
    'same'), those in custody or in transit first, each with where the records say he is;
    and how many hits still await review."""
    return await read(identity.held_listed, list_name=list_name)


@router.get("/watchlists/search", responses=problem_responses(404))
async def watchlist_search(
    read: Read,
    name: Annotated[str, Query(min_length=1, max_length=300)],
    dob: Annotated[str | None, Query(description="YYYY-MM-DD, YYYY-MM, YYYY or YYYY/YYYY")] = None,
    nationality: Annotated[str | None, Query(pattern=r"^[A-Z]{2}$")] = None,
    list_name: Annotated[
        str | None, Query(max_length=32, description="only this loaded list (empty: all)")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> ListSearchResult:
    """The listed individuals a name (any script) most likely is, best first, scored as
    screening scores a person (no one need be registered), with the evidence, whether
    screening would queue it, and the review items each entry raised already."""
    return await read(
        identity.search_watchlists,
        name=name,
        date_of_birth=dob,
        nationality=nationality,
        list_name=list_name,
        limit=limit,
    )


@router.get("/watchlists/{list_name}/entries/{reference}", responses=problem_responses(404))
async def watchlist_entry(list_name: str, reference: str, read: Read) -> ListedEntryOut:
    """One listed entry as its list gives it (withdrawn ones too), and every review item
    naming it or the same individual's other listings, with where custody holds each
    record."""
    return await read(identity.watchlist_entry, list_name=list_name, reference=reference)


@router.post("/watchlists/{list_name}/withdraw", responses=WRITE)
def watchlist_withdraw(list_name: str, actor: ListManager, session: WriteSession) -> WithdrawResult:
    """Withdraw a loaded list (its owner took it back): its entries are no longer screened;
    the review items naming them stay, and say so."""
    return identity.withdraw_watchlist(session, list_name=list_name, actor_id=actor.user_id)


@router.post("/watchlists/screen", responses=WRITE)
def watchlist_screen(
    actor: ListManager,
    session: WriteSession,
    every: Annotated[
        bool, Query(description="every loaded entry again, not only those new or changed")
    ] = False,
) -> ScreenResult:
    """Screen every person against the listed entries new or changed since the last run
    (``every``: against every loaded entry); hits go to the review queue."""
    return identity.screen_all_persons(session, actor_id=actor.user_id, every=every)
