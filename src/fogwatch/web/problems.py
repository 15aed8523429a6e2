"""One error shape for every endpoint: ``{"error": {"code", "message", "fix"}}``.

Errors the library already catalogues (``fogwatch.errors``) keep their codes;
the few that only the web layer can meet (a missing token, a body too large, an
unknown route) get ``W``-codes here, written in the same what/why/fix form, so a
client can rely on ``code`` whatever went wrong.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from ..errors import ErrorSpec, FogwatchError, InputError, StoreError


class WebErrors:
    """The web layer's own catalogue entries (``str.format`` templates like ``fogwatch.errors``)."""

    W401 = ErrorSpec(
        "W401",
        "the request carries no valid token",
        "send 'Authorization: Bearer TOKEN' with the token the operator configured",
    )
    W403 = ErrorSpec(
        "W403",
        "this server accepts no writes: no token is configured",
        "start 'fogwatch serve' with FOGWATCH_TOKEN set or with --token-file",
    )
    W403_READ_ONLY = ErrorSpec(
        "W403",
        "this server is read-only: it accepts no writes",
        "the operator started 'fogwatch serve' with --read-only (or FOGWATCH_READ_ONLY=1); "
        "store reports through a server without it, or with 'fogwatch ingest'",
    )
    W404 = ErrorSpec("W404", "nothing is found at {path}", "see /openapi.json for the routes this server has")
    W405 = ErrorSpec(
        "W405", "{method} is not allowed on {path}", "see /openapi.json for the methods of each route"
    )
    W413 = ErrorSpec(
        "W413",
        "the request body is too large (the limit is {limit} bytes)",
        "send one report per request, or ask the operator to raise --max-body",
    )
    W415 = ErrorSpec(
        "W415",
        "the request body must be JSON (Content-Type: {given})",
        "send the report as a JSON object with 'Content-Type: application/json'",
    )
    W422 = ErrorSpec(
        "W422", "the request is invalid: {detail}", "see /openapi.json for the parameters and body"
    )
    W500 = ErrorSpec(
        "W500",
        "internal error while answering {path}",
        "try again; if it persists, report it with the request that caused it",
    )
    # The catalogue's E015 without the server's file path: clients see the code, the log keeps the detail.
    E015_PUBLIC = ErrorSpec(
        "E015", "the server's database cannot be used", "the operator should read the server's log"
    )
    W404_EVENT = ErrorSpec(
        "W404",
        "no linked event has the id {key!r}",
        "list events with /api/events, then give one of their ids",
    )


# Library codes whose HTTP status differs from their class's: an unusable (or missing) database
# is the server's fault; an ambiguous id prefix, an over-long filter, a NUL character or a
# filter with nothing left to match the request's.
STATUS_OF_CODE = {"E015": 500, "E022": 500, "E014": 422, "E020": 422, "E021": 422, "E026": 422}
# The HTTP status each library error class maps to.
STATUS_OF_CLASS: tuple[tuple[type[FogwatchError], int], ...] = ((StoreError, 404), (InputError, 422))


class ApiError(FogwatchError):
    """A web-layer error with its HTTP status (and the headers HTTP asks of it: ``WWW-Authenticate``
    with a 401, ``Allow`` with a 405)."""

    def __init__(self, status: int, spec: ErrorSpec, headers: dict[str, str] | None = None,
                 **details: object) -> None:
        super().__init__(spec, **details)
        self.status = status
        self.headers = headers or {}


class ErrorDetail(BaseModel):
    code: str = Field(description="a stable code: E0NN from fogwatch's catalogue, or W4NN/W500 from the web layer")
    message: str = Field(description="what went wrong")
    fix: str = Field(description="how to fix it")


class ErrorBody(BaseModel):
    """The one shape of every error, on every route (not FastAPI's default validation list)."""

    error: ErrorDetail


def error_response(description: str) -> dict[str, Any]:
    """An OpenAPI response entry with the error shape."""
    return {"model": ErrorBody, "description": description}


# Listed on every API route: invalid parameters are refused with the error shape, not FastAPI's own.
COMMON_ERRORS: dict[int | str, dict[str, Any]] = {
    422: error_response("invalid parameters (W422, E020, E021, E026): the message names the field"),
    500: error_response("an internal error (W500) or an unusable database (E015)"),
}


def status_of(err: FogwatchError) -> int:
    if isinstance(err, ApiError):
        return err.status
    if err.code in STATUS_OF_CODE:
        return STATUS_OF_CODE[err.code]
    for kind, status in STATUS_OF_CLASS:
        if isinstance(err, kind):
            return status
    return 500


def body(err: FogwatchError) -> dict[str, Any]:
    return {"error": {"code": err.code, "message": err.reason, "fix": err.spec.fix}}


def validation_detail(errors: list[dict[str, Any]]) -> str:
    """Pydantic's error list as one line: ``query.limit: Input should be less than or equal to 1000``."""
    parts = []
    for item in errors[:5]:
        where = ".".join(str(p) for p in item.get("loc", ()))
        parts.append(f"{where}: {item.get('msg', 'invalid')}" if where else str(item.get("msg", "invalid")))
    return "; ".join(parts) or "invalid input"
