"""The FastAPI app factory: routes of every room, one mapping of errors to problem details,
OpenAPI at /docs and /openapi.json."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel
from sqlalchemy import Engine
from starlette.exceptions import HTTPException
from swagger_ui_bundle import swagger_ui_path

from custodia import __version__
from custodia.access.api import router as access_router
from custodia.api.deps import ApiContext, Read
from custodia.api.limits import BodyLimit
from custodia.api.problems import (
    as_problem_json,
    handle_custodia_error,
    handle_http_exception,
    handle_validation_error,
)
from custodia.biometrics.api import router as biometrics_router
from custodia.config import get_settings
from custodia.custody.api import router as custody_router
from custodia.db import get_engine, is_sqlite
from custodia.errors import CustodiaError
from custodia.identity.api import router as identity_router
from custodia.ledger import service as ledger
from custodia.ledger.api import router as ledger_router
from custodia.ledger.signing import load_or_create_signing_key
from custodia.registry.api import router as registry_router
from custodia.transfers.api import router as transfers_router
from custodia.web.pages import STATIC as WEB_STATIC
from custodia.web.pages import router as web_router

DESCRIPTION = (
    "Accountable custody for large detention systems: the registry of persons and "
    "facilities, custody events recorded in a tamper-evident ledger, roll calls, and "
    "signed checkpoints with inclusion and consistency proofs for independent monitors. "
    "Every route except /health takes an API token: `Authorization: Bearer <token>`. "
    "Errors are RFC 9457 problem details (`application/problem+json`)."
)


class Health(BaseModel):
    status: Literal["ok"]
    ledger_size: int


async def health(read: Read) -> Health:
    """Liveness and the number of events in the ledger; needs no token."""
    return Health(status="ok", ledger_size=await read(ledger.tree_size))


class _CustodiaAPI(FastAPI):
    def openapi(self) -> dict[str, Any]:
        return as_problem_json(super().openapi())


def _operation_id(route: APIRoute) -> str:
    return route.name


def create_app(*, engine: Engine | None = None, signing_key_file: Path | None = None) -> FastAPI:
    """Build the API over ``engine`` (default: the configured database), signing checkpoints
    with the key in ``signing_key_file`` (default: the configured one, created if absent)."""
    settings = get_settings()
    engine = engine or get_engine()
    context = ApiContext(
        engine=engine,
        signing_key=load_or_create_signing_key(
            signing_key_file or settings.effective_signing_key_file
        ),
        log_name=settings.log_name,
        read_threads=settings.read_threads or (2 if is_sqlite(engine) else 8),
    )
    app = _CustodiaAPI(
        title="Custodia",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,  # served below from vendored assets: the product works air-gapped
        redoc_url=None,
        openapi_url="/openapi.json",
        generate_unique_id_function=_operation_id,
    )
    app.state.custodia = context
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_mb * 2**20)
    app.exception_handler(CustodiaError)(handle_custodia_error)
    app.exception_handler(RequestValidationError)(handle_validation_error)
    app.exception_handler(HTTPException)(handle_http_exception)
    app.add_api_route("/health", health, methods=["GET"], tags=["health"])
    for router in (
        registry_router,
        custody_router,
        ledger_router,
        access_router,
        identity_router,
        transfers_router,
        biometrics_router,
    ):
        app.include_router(router)
    app.include_router(web_router)
    app.mount("/web/static", StaticFiles(directory=str(WEB_STATIC)), name="web-static")
    _serve_docs_offline(app)
    return app


def _serve_docs_offline(app: FastAPI) -> None:
    """Swagger UI from the swagger-ui-bundle package, never from a CDN."""
    app.mount("/static/swagger-ui", StaticFiles(directory=str(swagger_ui_path)), name="swagger")

    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="Custodia API",
            swagger_js_url="/static/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/swagger-ui/favicon-32x32.png",
        )

    app.add_api_route("/docs", docs, methods=["GET"], include_in_schema=False)
