"""Domain exceptions, raised where a rule lives and mapped to HTTP and CLI in one place each."""

from __future__ import annotations

from pydantic import ValidationError


class CustodiaError(Exception):
    """Base of every error a user can act on."""

    title = "Error"
    status = 400

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class Invalid(CustodiaError):
    """The request breaks a rule: bad value, impossible custody move."""

    title = "Invalid request"
    status = 422


class NotFound(CustodiaError):
    title = "Not found"
    status = 404


class Conflict(CustodiaError):
    """The request clashes with the current state (e.g. intake of someone already held)."""

    title = "Conflict with current state"
    status = 409


class Unauthorized(CustodiaError):
    title = "Authentication required"
    status = 401


class Forbidden(CustodiaError):
    title = "Not allowed for your role"
    status = 403


def first_fault(error: ValidationError) -> str:
    """The first fault of an input a model refused, in one line: 'source: a source cannot
    be blank' (without pydantic's "Value error, " before a validator's own sentence)."""
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    message = str(first["msg"]).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message
