"""What the routes depend on: the app's context, the caller (from a bearer token) and what
their role allows, a read session for GETs and one transaction for each write."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from custodia.db import read_session, unit_of_work
from custodia.errors import Forbidden, Unauthorized
from custodia.registry import service as registry
from custodia.registry.models import Role
from custodia.registry.schemas import Actor


@dataclass(frozen=True)
class ApiContext:
    """What one app instance was built with."""

    engine: Engine
    signing_key: Ed25519PrivateKey
    log_name: str


def get_context(request: Request) -> ApiContext:
    context = request.app.state.custodia
    if not isinstance(context, ApiContext):
        raise TypeError("the app was not built by custodia.api.app.create_app")
    return context


Context = Annotated[ApiContext, Depends(get_context)]

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="bearer",
    description="An API token issued by an administrator (POST /users/{user_id}/tokens).",
)


def current_actor(
    context: Context,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
) -> Actor:
    if credentials is None:
        raise Unauthorized("send your API token in the header 'Authorization: Bearer <token>'")
    with read_session(context.engine) as session:
        return registry.authenticate(session, token=credentials.credentials)


CurrentActor = Annotated[Actor, Depends(current_actor)]


def require(action: str, *roles: Role) -> Callable[[Actor], Actor]:
    """A dependency that lets the request through only for one of ``roles``."""
    allowed = frozenset(roles)
    names = " or ".join(role.value for role in roles)

    def check(actor: CurrentActor) -> Actor:
        if actor.role not in allowed:
            raise Forbidden(
                f"{action} is for the role {names}; {actor.username} has the role "
                f"{actor.role.value}"
            )
        return actor

    return check


# The role policy of the API. A monitor reads everything and writes nothing, except that
# asking for a signed checkpoint is how a monitor reads the ledger's state.
Administrator = Annotated[
    Actor,
    Depends(require("administering organizations, users, tokens and facilities", Role.ADMIN)),
]
CustodyWriter = Annotated[
    Actor,
    Depends(
        require(
            "recording persons, custody events, roll calls and their reconciliation",
            Role.CUSTODY_OFFICER,
            Role.ADMIN,
        )
    ),
]
ThreatAssessor = Annotated[
    Actor, Depends(require("setting a facility's threat level", Role.PLANNER, Role.ADMIN))
]
Auditor = Annotated[Actor, Depends(require("reading the audit log", Role.ADMIN, Role.MONITOR))]
CheckpointRequester = Annotated[
    Actor, Depends(require("requesting a signed checkpoint", Role.ADMIN, Role.MONITOR))
]


def _read(context: Context) -> Iterator[Session]:
    with read_session(context.engine) as session:
        yield session


def _write(context: Context) -> Iterator[Session]:
    # unit_of_work commits when the route returns and rolls back when it raises.
    with unit_of_work(context.engine) as session:
        yield session


# scope="function": the transaction ends before the response is sent, so a client never
# sees a success for a write that failed to commit.
ReadSession = Annotated[Session, Depends(_read, scope="function")]
WriteSession = Annotated[Session, Depends(_write, scope="function")]
