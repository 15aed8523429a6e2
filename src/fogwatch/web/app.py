"""The application factory behind ``fogwatch serve``: API, dashboard pages, security headers, errors.

Every response carries a strict Content-Security-Policy (scripts and styles
from this server only, no inline code), so text from untrusted reports can
never run even if a template forgot to escape it. Errors on ``/api`` come back
as ``{"error": {"code", "message", "fix"}}``; on pages, as an HTML page with
the same three parts.
"""

from __future__ import annotations

import errno
import logging
import re
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..errors import Errors, FogwatchError, ResourceError
from . import api, pages
from .problems import ApiError, WebErrors, body, status_of, validation_detail
from .templating import STATIC_DIR, templates

# Connections waiting to be accepted (uvicorn's default).
BACKLOG = 2048
# A report of 20,000 words is about 150 KB; 2 MB leaves room for HTML pages with
# their markup while keeping one request from filling the server's memory.
DEFAULT_MAX_BODY = 2_000_000

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}

log = logging.getLogger("fogwatch.web")


@dataclass(frozen=True)
class Settings:
    """What the operator chose: the database (a SQLite path or a PostgreSQL address), the write token
    (None: no writes), the body limit, and read-only mode (the store opened so that the engine refuses writes)."""

    db: str | Path
    token: str | None = None
    max_body: int = DEFAULT_MAX_BODY
    read_only: bool = False


def create_app(
    db: str | Path, token: str | None = None, max_body: int = DEFAULT_MAX_BODY, read_only: bool = False
) -> FastAPI:
    """The ASGI app over the store at ``db``; ``token`` enables POST /api/reports unless ``read_only``."""
    app = FastAPI(
        title="fogwatch",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        description="A sourced ledger of armed conflict: reports, claims, events, actors, places, "
        "ceasefires and blame, every item pointing at the words it rests on.",
    )
    app.state.settings = Settings(db, token or None, max_body, read_only)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.middleware("http")(_security_headers)
    app.add_exception_handler(FogwatchError, _fogwatch_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _internal_error)
    app.add_middleware(HeadAsGet)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


class HeadAsGet:
    """HEAD answered wherever GET is (HTTP requires it): the GET response's status and headers, no body.

    An ASGI middleware (it runs before routing), so every route, page and static file gets it
    without a HEAD route of its own."""

    def __init__(self, app: Callable) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: dict) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b"", "more_body": message.get("more_body", False)}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


def _openapi(app: FastAPI) -> dict:
    """FastAPI's spec plus what it cannot infer: the write's bearer token scheme."""
    if app.openapi_schema is None:
        from fastapi.openapi.utils import get_openapi

        spec = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        spec.setdefault("components", {})["securitySchemes"] = {
            "bearer": {"type": "http", "scheme": "bearer",
                       "description": "the operator's token (FOGWATCH_TOKEN or --token-file); only writes need it"}}
        app.openapi_schema = spec
    return app.openapi_schema


def listen(host: str, port: int) -> socket.socket:
    """A socket bound and listening on ``host:port`` (0: any free port), for uvicorn to serve on.

    Binding comes before the server announces itself, so a port already in use
    is one clear error (E027) instead of "serving..." followed by a raw errno.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a port left in TIME_WAIT is free
        sock.bind((host, port))
        sock.listen(BACKLOG)
    except OSError as err:
        sock.close()
        reason = ("the port is already in use" if err.errno == errno.EADDRINUSE
                  else "this user may not use that port" if err.errno == errno.EACCES
                  else err.strerror or str(err))
        raise ResourceError(Errors.E027, host=host, port=port, reason=reason) from None
    sock.set_inheritable(True)
    return sock


async def _security_headers(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    response = await call_next(request)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _respond(request: Request, err: FogwatchError) -> Response:
    status = status_of(err)
    if request.url.path.startswith("/api") or request.url.path == "/openapi.json":
        response: Response = JSONResponse(body(err), status_code=status)
    else:
        response = templates.TemplateResponse(
            request, "error.html", {"error": body(err)["error"]}, status_code=status
        )
    for name, value in SECURITY_HEADERS.items():
        response.headers[name] = value
    for name, value in getattr(err, "headers", {}).items():
        response.headers[name] = value
    return response


async def _fogwatch_error(request: Request, err: Exception) -> Response:
    assert isinstance(err, FogwatchError)
    if status_of(err) >= 500 and not isinstance(err, ApiError):
        log.error("%s %s: %s", request.method, request.url.path, err.describe())
        err = ApiError(500, WebErrors.E015_PUBLIC)
    return _respond(request, err)


async def _validation_error(request: Request, err: Exception) -> Response:
    assert isinstance(err, RequestValidationError)
    return _respond(request, ApiError(422, WebErrors.W422, detail=validation_detail(list(err.errors()))))


async def _http_error(request: Request, err: Exception) -> Response:
    assert isinstance(err, StarletteHTTPException)
    path = request.url.path
    if err.status_code == 405:
        allow = {"Allow": ", ".join(_methods_of(request, err))}
        return _respond(request, ApiError(405, WebErrors.W405, headers=allow, method=request.method, path=path))
    if err.status_code == 404:
        return _respond(request, ApiError(404, WebErrors.W404, path=path))
    return _respond(request, ApiError(err.status_code, WebErrors.W422, detail=str(err.detail)))


def _methods_of(request: Request, err: StarletteHTTPException) -> list[str]:
    """Every method some route answers at this path, for a 405's ``Allow``: the router names only the
    first route it matched (GET of /api/reports, not its POST), so the spec's paths add the others;
    HEAD wherever GET is."""
    methods = {m.strip() for m in (err.headers or {}).get("Allow", "").split(",") if m.strip()}
    for template, operations in request.app.openapi().get("paths", {}).items():
        pattern = "/".join("[^/]+" if part.startswith("{") else re.escape(part) for part in template.split("/"))
        if re.fullmatch(pattern, request.url.path):
            methods |= {m.upper() for m in operations}
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


async def _internal_error(request: Request, err: Exception) -> Response:
    log.exception("internal error on %s %s", request.method, request.url.path)
    return _respond(request, ApiError(500, WebErrors.W500, path=request.url.path))
