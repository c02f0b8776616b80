"""Routes of the registry room: organizations, users and their tokens, facilities and their
threat levels, persons."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query
from pydantic import Field

from custodia.api.deps import (
    Administrator,
    Context,
    CustodyWriter,
    NameRecorder,
    PathId,
    Read,
    ThreatAssessor,
    WriteSession,
    current_actor,
)
from custodia.api.pagination import Page, Paging, paginate
from custodia.api.problems import problem_responses
from custodia.custody import service as custody
from custodia.registry import service as registry
from custodia.registry.schemas import (
    FacilityIn,
    FacilityOut,
    NameAddIn,
    NameWithdrawalIn,
    OrganizationIn,
    OrganizationOut,
    PersonIn,
    PersonOut,
    PersonQuery,
    RegisteredPersonOut,
    ThreatLevelIn,
    ThreatLevelOut,
    TokenIn,
    TokenInfo,
    TokenOut,
    UserIn,
    UserOut,
)

router = APIRouter(
    tags=["registry"],
    dependencies=[Depends(current_actor)],
    responses=problem_responses(401, 404, 422),
)
WRITE = problem_responses(403, 409)
SEARCH_COUNT_CAP = 1000  # matches a search counts before its total becomes a lower bound


class PersonPage(Page[PersonOut]):
    total: int = Field(
        description="how many matched in all; a lower bound when total_is_lower_bound is true"
    )
    total_is_lower_bound: bool = Field(
        default=False,
        description="true when counting stopped early: more than total persons matched "
        f"(total is then {SEARCH_COUNT_CAP:,}, or offset + limit if that is more)",
    )


@router.get("/organizations")
async def list_organizations(read: Read, paging: Paging) -> Page[OrganizationOut]:
    return paginate(await read(registry.list_organizations), paging)


@router.post("/organizations", status_code=201, responses=WRITE)
def create_organization(
    org_in: OrganizationIn, actor: Administrator, session: WriteSession
) -> OrganizationOut:
    return registry.create_organization(session, org_in=org_in, actor_id=actor.user_id)


@router.get("/users")
async def list_users(read: Read, paging: Paging) -> Page[UserOut]:
    """Who is who: the audit log and the ledger name users by id."""
    return paginate(await read(registry.list_users), paging)


@router.post("/users", status_code=201, responses=WRITE)
def create_user(user_in: UserIn, actor: Administrator, session: WriteSession) -> UserOut:
    return registry.create_user(session, user_in=user_in, actor_id=actor.user_id)


@router.post("/users/{user_id}/tokens", status_code=201, responses=WRITE)
def issue_token(
    user_id: PathId,
    actor: Administrator,
    session: WriteSession,
    token_in: Annotated[TokenIn | None, Body()] = None,
) -> TokenOut:
    """A new API token for the user; it is shown once, in this response."""
    label = (token_in or TokenIn()).label
    token = registry.issue_token(session, user_id=user_id, label=label, actor_id=actor.user_id)
    return TokenOut(user_id=user_id, label=label, token=token)


@router.get("/users/{user_id}/tokens", responses=problem_responses(403))
async def list_tokens(
    user_id: PathId, _admin: Administrator, read: Read, paging: Paging
) -> Page[TokenInfo]:
    """The user's API tokens, revoked ones too: ids, labels and dates, never the tokens."""
    return paginate(await read(registry.list_tokens, user_id=user_id), paging)


@router.post("/users/{user_id}/tokens/{token_id}/revoke", responses=WRITE)
def revoke_token(
    user_id: PathId, token_id: PathId, actor: Administrator, session: WriteSession, context: Context
) -> TokenInfo:
    """Revoke an API token. This server refuses it at once; another worker process that
    accepted it within the last 2 seconds may take it on trust until those have passed."""
    revoked = registry.revoke_token(
        session, user_id=user_id, token_id=token_id, actor_id=actor.user_id
    )
    context.tokens.forget_all()
    return revoked


@router.get("/facilities")
async def list_facilities(read: Read, paging: Paging) -> Page[FacilityOut]:
    return paginate(await read(registry.list_facilities), paging)


@router.post("/facilities", status_code=201, responses=WRITE)
def create_facility(
    facility_in: FacilityIn, actor: Administrator, session: WriteSession
) -> FacilityOut:
    return registry.create_facility(session, facility_in=facility_in, actor_id=actor.user_id)


@router.get("/facilities/{facility_id}")
async def get_facility(facility_id: PathId, read: Read) -> FacilityOut:
    return await read(registry.get_facility, facility_id=facility_id)


@router.post("/facilities/{facility_id}/threat-levels", status_code=201, responses=WRITE)
def record_threat_level(
    facility_id: PathId, threat_in: ThreatLevelIn, actor: ThreatAssessor, session: WriteSession
) -> FacilityOut:
    """Record a facility's threat level; answers with the facility as it now stands."""
    return registry.record_threat_level(
        session, facility_id=facility_id, threat_in=threat_in, actor_id=actor.user_id
    )


@router.get("/facilities/{facility_id}/threat-levels")
async def threat_history(facility_id: PathId, read: Read, paging: Paging) -> Page[ThreatLevelOut]:
    """The facility's threat levels, oldest first."""
    history = await read(registry.threat_history, facility_id=facility_id)
    return paginate([ThreatLevelOut.model_validate(entry) for entry in history], paging)


@router.get("/persons")
async def find_persons(query: Annotated[PersonQuery, Query()], read: Read) -> PersonPage:
    """Persons whose names have words starting with every word of ``name``, filtered by
    nationality, category and the facility holding them now.

    ``total`` is exact up to 1,000 matches (or up to ``offset + limit``, if that is more);
    beyond, counting stops there and ``total_is_lower_bound`` is true, so that a common word
    costs a bounded scan rather than a count of every match."""
    found = await read(custody.match_persons, query=query, count_cap=SEARCH_COUNT_CAP)
    return PersonPage(
        items=found.persons,
        total=found.total,
        total_is_lower_bound=found.total_is_lower_bound,
        limit=query.limit,
        offset=query.offset,
    )


@router.post("/persons", status_code=201, responses=WRITE)
def register_person(
    person_in: PersonIn, actor: CustodyWriter, session: WriteSession
) -> RegisteredPersonOut:
    return registry.register_person(session, person_in=person_in, actor_id=actor.user_id)


@router.post("/persons/{person_id}/names", status_code=201, responses=WRITE)
def add_person_name(
    person_id: PathId, name_in: NameAddIn, actor: NameRecorder, session: WriteSession
) -> RegisteredPersonOut:
    """Record a name learnt after registration (alias, kunya or nom de guerre) with its
    source. The record is searchable by it at once and screened again; the answer names the
    review items the name raised (watchlist hits, likely duplicates)."""
    return registry.add_person_name(
        session, person_id=person_id, name_in=name_in, actor_id=actor.user_id
    )


@router.post("/persons/{person_id}/names/{name_id}/withdraw", responses=WRITE)
def withdraw_person_name(
    person_id: PathId,
    name_id: PathId,
    withdrawal: NameWithdrawalIn,
    actor: NameRecorder,
    session: WriteSession,
) -> PersonOut:
    """Withdraw a name recorded after registration that was found wrong: it stays on the
    record, marked with when, by whom and why, and no longer finds or screens the record.
    The names the record was registered under cannot be withdrawn (409)."""
    return registry.withdraw_person_name(
        session,
        person_id=person_id,
        name_id=name_id,
        withdrawal=withdrawal,
        actor_id=actor.user_id,
    )
