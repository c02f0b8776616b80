"""Errors as RFC 9457 problem details (``application/problem+json``), mapped in one place:
domain errors, request validation errors and HTTP errors of the framework."""

from __future__ import annotations

import re
from http import HTTPStatus
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from custodia.errors import CustodiaError

PROBLEM_JSON = "application/problem+json"
_PROBLEM_TYPE = "urn:custodia:problem:"
_LOCATIONS = {"body", "query", "path", "header", "cookie"}
# FastAPI's words for a body it could not decode (not UTF-8, say)
_UNREADABLE_BODY = "There was an error parsing the body"


class Problem(BaseModel):
    """What went wrong, for a person and for a program (RFC 9457)."""

    type: str = Field(
        default="about:blank", description="identifies the kind of problem; stable across calls"
    )
    title: str = Field(description="short summary of the kind of problem")
    status: int = Field(description="the HTTP status code")
    detail: str | None = Field(default=None, description="what happened this time, and why")
    instance: str | None = Field(default=None, description="the path of the failed request")


class FieldProblem(BaseModel):
    location: str = Field(description="body, query, path or header")
    field: str = Field(description="dotted path of the offending field")
    message: str
    type: str = Field(description="machine-readable error kind, e.g. missing")


class ValidationProblem(Problem):
    errors: list[FieldProblem] | None = Field(
        default=None,
        description="each field the request got wrong, when it did not fit the route's "
        "parameters or body; absent when the values fit but break a rule (the detail says "
        "which)",
    )


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for the problems a route may answer with."""
    model = {422: ValidationProblem}
    return {
        status: {"model": model.get(status, Problem), "description": HTTPStatus(status).phrase}
        for status in statuses
    }


def render_problem(problem: Problem, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        problem.model_dump(mode="json", exclude_none=True),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


def _slug(error: CustodiaError) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", type(error).__name__).lower()


async def handle_custodia_error(request: Request, exc: CustodiaError) -> JSONResponse:
    headers = None
    if exc.status == HTTPStatus.UNAUTHORIZED:
        # RFC 6750: say which scheme to use, and whether the token sent was the problem.
        sent = "authorization" in request.headers
        headers = {
            "WWW-Authenticate": 'Bearer realm="custodia"'
            + (', error="invalid_token"' if sent else "")
        }
    problem = Problem(
        type=_PROBLEM_TYPE + _slug(exc),
        title=exc.title,
        status=exc.status,
        detail=exc.detail,
        instance=request.url.path,
    )
    return render_problem(problem, headers)


def _field_problem(error: Any, body: Any) -> FieldProblem:
    loc = [str(part) for part in error.get("loc", ())]
    location, path = (loc[0], loc[1:]) if loc and loc[0] in _LOCATIONS else ("body", loc)
    # A discriminated union puts the tag's value in the path ("INTAKE.facility_id");
    # the person sent a field named facility_id, so show that.
    if location == "body" and isinstance(body, dict) and path and path[0] == body.get("type"):
        path = path[1:]
    kind = str(error.get("type", "value_error"))
    # a validator's own sentence, without pydantic's "Value error, " before it
    message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
    if kind == "json_invalid":
        # The path of a JSON syntax error is a character position, not a field.
        reason = (error.get("ctx") or {}).get("error", "")
        message = f"not valid JSON at character {'.'.join(path)}: {reason}".rstrip(": ")
        path = []
    return FieldProblem(location=location, field=".".join(path), message=message, type=kind)


def _describe(problem: FieldProblem) -> str:
    if not problem.field:
        return f"the request {problem.location}: {problem.message}"
    what = "parameter" if problem.location in ("query", "path", "header") else "field"
    return f"{problem.location} {what} '{problem.field}': {problem.message}"


async def handle_validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = [_field_problem(error, exc.body) for error in exc.errors()]
    count = "1 problem" if len(errors) == 1 else f"{len(errors)} problems"
    problem = ValidationProblem(
        type=_PROBLEM_TYPE + "validation",
        title="The request is not valid",
        status=HTTPStatus.UNPROCESSABLE_ENTITY,
        detail=f"{count} in the request: " + "; ".join(_describe(e) for e in errors),
        instance=request.url.path,
        errors=errors,
    )
    return render_problem(problem)


async def handle_http_exception(request: Request, exc: HTTPException) -> JSONResponse:
    try:
        title = HTTPStatus(exc.status_code).phrase
    except ValueError:
        title = "Error"
    detail = str(exc.detail) if exc.detail else None
    if detail == _UNREADABLE_BODY:
        detail = "the request body could not be read: send JSON as UTF-8 text"
    problem = Problem(
        title=title,
        status=exc.status_code,
        detail=None if detail == title else detail,
        instance=request.url.path,
    )
    return render_problem(problem, dict(exc.headers) if exc.headers else None)


def _problem_response(openapi: dict[str, Any], status: int) -> dict[str, Any]:
    openapi.setdefault("components", {}).setdefault("schemas", {}).setdefault(
        "Problem", Problem.model_json_schema()
    )
    return {
        "description": HTTPStatus(status).phrase,
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def _declare_framework_problems(openapi: dict[str, Any], operation: dict[str, Any]) -> None:
    """The problems the framework answers any route with, whatever the route declares: 404
    for an id in the path that names nothing; 400 for a body that is not UTF-8 text, 413
    for one over the size the server takes (api/limits.py)."""
    responses = operation.setdefault("responses", {})
    in_path = any(p.get("in") == "path" for p in operation.get("parameters", ()))
    if in_path:
        responses.setdefault("404", _problem_response(openapi, 404))
    if "requestBody" in operation:
        for status in (400, 413):
            responses.setdefault(str(status), _problem_response(openapi, status))


def as_problem_json(openapi: dict[str, Any]) -> dict[str, Any]:
    """Declare every error response of an OpenAPI document as ``application/problem+json``,
    the media type the handlers above answer with."""
    for item in openapi.get("paths", {}).values():
        for operation in item.values():
            _declare_framework_problems(openapi, operation)
            for code, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if code[:1] not in ("4", "5") or PROBLEM_JSON in content:
                    continue
                if "application/json" in content:
                    response["content"] = {PROBLEM_JSON: content["application/json"]}
                else:
                    # a route answering text or a file still fails as a problem
                    response["content"] = _problem_response(openapi, int(code))["content"]
    return openapi
