"""A cap on the size of a request body, so a file sent by mistake (a disk image for a
roll call, a whole archive for a watchlist) is refused in words instead of being read
into the memory of a server that others are using."""

from __future__ import annotations

from http import HTTPStatus

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from custodia.api.problems import Problem, render_problem


def _too_large(limit: int) -> str:
    return (
        f"the request body is larger than the {limit // 2**20} MB this server takes "
        "(CUSTODIA_MAX_BODY_MB): split the file, or ask the administrator to raise the limit"
    )


class BodyLimit:
    """Refuses a body over ``max_bytes`` with 413: at once when its Content-Length says so,
    else as it streams in (the route that reads it then answers 413)."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            problem = Problem(
                title=HTTPStatus.REQUEST_ENTITY_TOO_LARGE.phrase,
                status=HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                detail=_too_large(self.max_bytes),
                instance=scope["path"],
            )
            await render_problem(problem)(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise HTTPException(413, _too_large(self.max_bytes))
            return message

        await self.app(scope, counted, send)
