"""Routes of the registry room: organizations, users and their tokens, facilities and their
threat levels, persons."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query

from custodia.api.deps import (
    Administrator,
    CustodyWriter,
    ReadSession,
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
    OrganizationIn,
    OrganizationOut,
    PersonIn,
    PersonOut,
    PersonQuery,
    ThreatLevelIn,
    ThreatLevelOut,
    TokenIn,
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


@router.get("/organizations")
def list_organizations(session: ReadSession, paging: Paging) -> Page[OrganizationOut]:
    return paginate(registry.list_organizations(session), paging)


@router.post("/organizations", status_code=201, responses=WRITE)
def create_organization(
    org_in: OrganizationIn, actor: Administrator, session: WriteSession
) -> OrganizationOut:
    return registry.create_organization(session, org_in=org_in, actor_id=actor.user_id)


@router.post("/users", status_code=201, responses=WRITE)
def create_user(user_in: UserIn, actor: Administrator, session: WriteSession) -> UserOut:
    return registry.create_user(session, user_in=user_in, actor_id=actor.user_id)


@router.post("/users/{user_id}/tokens", status_code=201, responses=WRITE)
def issue_token(
    user_id: int,
    actor: Administrator,
    session: WriteSession,
    token_in: Annotated[TokenIn | None, Body()] = None,
) -> TokenOut:
    """A new API token for the user; it is shown once, in this response."""
    label = (token_in or TokenIn()).label
    token = registry.issue_token(session, user_id=user_id, label=label, actor_id=actor.user_id)
    return TokenOut(user_id=user_id, label=label, token=token)


@router.get("/facilities")
def list_facilities(session: ReadSession, paging: Paging) -> Page[FacilityOut]:
    return paginate(registry.list_facilities(session), paging)


@router.post("/facilities", status_code=201, responses=WRITE)
def create_facility(
    facility_in: FacilityIn, actor: Administrator, session: WriteSession
) -> FacilityOut:
    return registry.create_facility(session, facility_in=facility_in, actor_id=actor.user_id)


@router.get("/facilities/{facility_id}")
def get_facility(facility_id: int, session: ReadSession) -> FacilityOut:
    return registry.get_facility(session, facility_id=facility_id)


@router.post("/facilities/{facility_id}/threat-levels", status_code=201, responses=WRITE)
def record_threat_level(
    facility_id: int, threat_in: ThreatLevelIn, actor: ThreatAssessor, session: WriteSession
) -> FacilityOut:
    """Record a facility's threat level; answers with the facility as it now stands."""
    return registry.record_threat_level(
        session, facility_id=facility_id, threat_in=threat_in, actor_id=actor.user_id
    )


@router.get("/facilities/{facility_id}/threat-levels")
def threat_history(facility_id: int, session: ReadSession, paging: Paging) -> Page[ThreatLevelOut]:
    """The facility's threat levels, oldest first."""
    history = registry.threat_history(session, facility_id=facility_id)
    return paginate([ThreatLevelOut.model_validate(entry) for entry in history], paging)


@router.get("/persons")
def find_persons(query: Annotated[PersonQuery, Query()], session: ReadSession) -> Page[PersonOut]:
    """Persons whose names have words starting with every word of ``name``, filtered by
    nationality, category and the facility holding them now."""
    persons, total = custody.find_persons(session, query=query)
    return Page(items=persons, total=total, limit=query.limit, offset=query.offset)


@router.post("/persons", status_code=201, responses=WRITE)
def register_person(person_in: PersonIn, actor: CustodyWriter, session: WriteSession) -> PersonOut:
    return registry.register_person(session, person_in=person_in, actor_id=actor.user_id)
