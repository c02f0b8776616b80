"""What the routes depend on: the app's context, the caller (from a bearer token) and what
their role allows, a reader for GETs and one transaction for each write.

Every sync function FastAPI calls (a route, a dependency, the validation of a sync route's
answer, each end of a yield dependency) is a hop to its thread pool: a sync read route with
a session dependency takes six. Dependencies that do no I/O are therefore async, and a read
route is async and awaits one ``Read`` call, which opens a session, runs one service
function and closes the session in a single hop. Those hops run on a few threads of their
own: twenty threads running Python at once spend more CPU passing the GIL around than on
the requests (on SQLite, 20 concurrent clients cost more than twice the CPU per look-up
with the default pool of 40 threads than with 2)."""

from __future__ import annotations

import time
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from typing import Annotated, Any, Concatenate, ParamSpec, TypeVar

from anyio import CapacityLimiter, to_thread
from anyio.lowlevel import RunVar
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import Depends, Path, Query, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from custodia.db import MAX_ID, read_session, unit_of_work
from custodia.errors import Unauthorized
from custodia.registry import service as registry
from custodia.registry.policy import (
    ADMINISTER,
    ASSESS_THREAT,
    READ_AUDIT_LOG,
    RECORD_NAMES,
    REQUEST_CHECKPOINT,
    WRITE_CUSTODY,
    Policy,
)
from custodia.registry.schemas import Actor

# Declared, so a mistyped id of thirty digits is refused by name (422) before any query.
PathId = Annotated[int, Path(le=MAX_ID)]
QueryId = Annotated[int | None, Query(le=MAX_ID)]

P = ParamSpec("P")
T = TypeVar("T")


@dataclass
class TokenCache:
    """Who presented a token, remembered for ``seconds``: a busy terminal sends its token
    many times a second, and each look-up in the database is a hop to a read thread and a
    session of its own. Only a token the database accepted is remembered (an unknown one
    is looked up every time), so a new token works at once; a token revoked in the
    database is refused within ``seconds``."""

    seconds: float = 2.0
    capacity: int = 4096
    _actors: dict[str, tuple[Actor, float]] = field(default_factory=dict, repr=False)

    def actor(self, token: str) -> Actor | None:
        held = self._actors.get(token)
        if held is None or held[1] < time.monotonic():
            return None
        return held[0]

    def forget_all(self) -> None:
        """Look every token up again (after one was revoked)."""
        self._actors.clear()

    def remember(self, token: str, actor: Actor) -> None:
        if len(self._actors) >= self.capacity:
            self._actors.clear()  # many tokens at once: start again rather than grow
        self._actors[token] = (actor, time.monotonic() + self.seconds)


@dataclass(frozen=True)
class ApiContext:
    """What one app instance was built with."""

    engine: Engine
    signing_key: Ed25519PrivateKey
    log_name: str
    read_threads: int = 2
    tokens: TokenCache = field(default_factory=TokenCache)
    _limiters: RunVar[CapacityLimiter] = field(
        default_factory=lambda: RunVar("custodia_read_threads"), init=False, repr=False
    )

    def read_limiter(self) -> CapacityLimiter:
        """How many reads may run at once: ``read_threads`` per event loop."""
        try:
            return self._limiters.get()
        except LookupError:
            limiter = CapacityLimiter(self.read_threads)
            self._limiters.set(limiter)
            return limiter


@dataclass(frozen=True)
class Reader:
    """Runs one service function in a read-only session on a worker thread:
    ``await read(custody.person_detail, person_id=7)``."""

    engine: Engine
    limiter: CapacityLimiter

    async def __call__(
        self, service: Callable[Concatenate[Session, P], T], /, *args: P.args, **kwargs: P.kwargs
    ) -> T:
        def run() -> T:
            with read_session(self.engine) as session:
                return service(session, *args, **kwargs)

        # The session opens and closes within this one call, so a read waiting for a thread
        # holds no connection: no deadlock between the threads and the connection pool.
        return await to_thread.run_sync(run, limiter=self.limiter)


async def get_context(request: Request) -> ApiContext:
    context = request.app.state.custodia
    if not isinstance(context, ApiContext):
        raise TypeError("the app was not built by custodia.api.app.create_app")
    return context


Context = Annotated[ApiContext, Depends(get_context)]


async def _reader(context: Context) -> Reader:
    return Reader(context.engine, context.read_limiter())


Read = Annotated[Reader, Depends(_reader)]

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="bearer",
    description="An API token issued by an administrator (POST /users/{user_id}/tokens).",
)


async def current_actor(
    context: Context,
    read: Read,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
) -> Actor:
    if credentials is None:
        raise Unauthorized("send your API token in the header 'Authorization: Bearer <token>'")
    token = credentials.credentials
    actor = context.tokens.actor(token)
    if actor is None:
        actor = await read(registry.authenticate, token=token)
        context.tokens.remember(token, actor)
    return actor


CurrentActor = Annotated[Actor, Depends(current_actor)]


def allow(policy: Policy) -> Callable[[Actor], Coroutine[Any, Any, Actor]]:
    """A dependency that lets the request through only for a role ``policy`` names."""

    async def check(actor: CurrentActor) -> Actor:
        policy.check(username=actor.username, role=actor.role)
        return actor

    return check


# The role policy (registry.policy) as the API's dependencies.
Administrator = Annotated[Actor, Depends(allow(ADMINISTER))]
CustodyWriter = Annotated[Actor, Depends(allow(WRITE_CUSTODY))]
ThreatAssessor = Annotated[Actor, Depends(allow(ASSESS_THREAT))]
Auditor = Annotated[Actor, Depends(allow(READ_AUDIT_LOG))]
CheckpointRequester = Annotated[Actor, Depends(allow(REQUEST_CHECKPOINT))]
NameRecorder = Annotated[Actor, Depends(allow(RECORD_NAMES))]


def _read(context: Context) -> Iterator[Session]:
    with read_session(context.engine) as session:
        yield session


def _write(context: Context) -> Iterator[Session]:
    # unit_of_work commits when the route returns and rolls back when it raises.
    with unit_of_work(context.engine) as session:
        yield session


# scope="function": the transaction ends before the response is sent, so a client never
# sees a success for a write that failed to commit. ReadSession serves the sync read routes
# (the ledger's, the reports that replay it); the others take Read.
ReadSession = Annotated[Session, Depends(_read, scope="function")]
WriteSession = Annotated[Session, Depends(_write, scope="function")]
