"""The JSON API: reports, claims, events, actors, places, ceasefires, blame and search; one write.

Lists answer ``{"total", "limit", "offset", "items"}``; ``format=csv`` (and
``format=geojson`` for events and places) give the same rows for
spreadsheets and GIS tools: every matching row when no ``limit`` is given (a
file is an export, not a page), with ``X-Total-Count`` and, when rows are left,
a ``Link: <...>; rel="next"`` header. The only write, POST /api/reports, needs the
operator's token and reads at most ``max_body`` bytes.
"""

from __future__ import annotations

import csv
import hmac
import io
import json
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from .. import jobs, queries, views
from ..database import MAX_FILTER_CHARS, fts_query
from ..exports import public_reading
from ..ingest import public_origin
from . import ledger_view, submit
from .problems import COMMON_ERRORS, ApiError, WebErrors, error_response, validation_detail
from .templating import MARK_CLOSE, MARK_OPEN, SNIPPET_WORDS
from .store_access import cached, open_store

router = APIRouter(prefix="/api", tags=["api"], responses=COMMON_ERRORS)


# -- response shapes (for the spec; the routes answer plain JSON of these shapes) -----------------


class Page(BaseModel):
    """One page of a list."""

    total: int | None = Field(description="items matching; for events null until the last page")
    limit: int
    offset: int
    has_more: bool
    items: list[dict[str, Any]] = Field(description="the rows (their fields are listed in docs/api.md)")


class SearchPage(Page):
    query: str = Field(description="the full-text query the words became")


class Reading(BaseModel):
    """One report's reading (the JSON contract) with its text and where its events were linked."""

    model_config = ConfigDict(extra="allow")
    report: dict[str, Any] = Field(description="id, title, outlet, published, language, url, origin, chrome, notes")
    text: str
    actors: list[dict[str, Any]]
    places: list[dict[str, Any]]
    times: list[dict[str, Any]]
    quantities: list[dict[str, Any]]
    claims: list[dict[str, Any]]
    events: list[dict[str, Any]]
    linked_events: dict[str, int] = Field(description="mention index -> ledger event id")


class EventLedger(BaseModel):
    """One linked event: its mentions across reports, independent sources, claims, figures, contradictions."""

    model_config = ConfigDict(extra="allow")
    id: int
    type: str
    mode: str | None
    acled: str | None
    place: str | None
    lat: float | None
    lon: float | None
    country: str | None
    date: str | None = Field(description="first day the texts give; null when none dates it to a day")
    date_last: str | None
    window: list[str | None] = Field(description="the first and last day it can lie in")
    actors: list[str]
    mentions: list[dict[str, Any]]
    sources: int = Field(description="independent sources (relays of one source count once)")
    claims: list[dict[str, Any]]
    figures: list[dict[str, Any]]
    contradictions: list[dict[str, Any]]


class BlameCell(BaseModel):
    source: str
    target: str
    source_key: str
    target_key: str
    count: int = Field(description="claims behind the cell")
    claims: list[dict[str, Any]]
    members: list[dict[str, Any]] = Field(description="the name pairs behind the number, with their counts")


class BlameMatrix(BaseModel):
    actors: list[str]
    sides: list[dict[str, Any]] = Field(description="key (ISO alpha-3, organisation id or name:...), name, members")
    cells: list[BlameCell]
    filters: dict[str, str | None]


def ok(model: type[BaseModel], *files: str, missing: str | None = None) -> dict[int | str, dict[str, Any]]:
    """The spec's responses for a route answering ``model`` as JSON (and CSV or GeoJSON files when
    ``format`` asks), and 404 when ``missing`` says what may not be there."""
    content = {"text/csv": {"schema": {"type": "string"}}} if "csv" in files else {}
    if "geojson" in files:
        content["application/geo+json"] = {"schema": {"type": "object", "description": "a FeatureCollection"}}
    responses: dict[int | str, dict[str, Any]] = {200: {"model": model, "content": content}}
    if missing:
        responses[404] = error_response(missing)
    return responses

# A page of at most this many items: enough for a spreadsheet export in a few requests.
MAX_LIMIT = 1000
DATE = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"  # ASCII digits: \d would take ２０１６
FORMULA_STARTS = frozenset("=+-@\t\r")

# SQLite integers are 64-bit: larger offsets or ids in a URL are refused as invalid, not passed on.
MAX_OFFSET = 10**9
MAX_ID = 2**63 - 1
# A file export (format=csv or geojson) asked for without a limit holds every matching row up to
# this many; past it the Link header names the rest.
MAX_EXPORT = 100_000



def text_filter(description: str | None = None) -> Any:
    """A free-text filter, refused (W422) past the length the store's LIKE queries accept."""
    return Query(None, max_length=MAX_FILTER_CHARS, description=description)


def country_filter(letters: int) -> Any:
    """An ISO 3166-1 code of ``letters`` letters (either case); 'Syria' is refused rather than matching nothing."""
    return Query(None, pattern=f"^[A-Za-z]{{{letters}}}$", description=f"ISO 3166-1 alpha-{letters}")


def real_day(value: str | None) -> str | None:
    """A date the pattern allows that also names a real year, month or day: 0000 and 2016-02-30 are refused."""
    if value is not None:
        year, month, day = [*map(int, value.split("-")), 1, 1][:3]
        date(year, month, day)  # ValueError -> W422 with the reason ("day is out of range for month")
    return value


Limit = Query(50, ge=1, le=MAX_LIMIT,
              description="items per page (format=csv or geojson without a limit: every matching row)")
Offset = Query(0, ge=0, le=MAX_OFFSET, description="items to skip")
# Annotated types (used as ``date_from: DateFrom = None``): FastAPI applies the validator only this way.
DateFrom = Annotated[
    str | None,
    Query(pattern=DATE, description="ISO date (YYYY, YYYY-MM or YYYY-MM-DD, years 1 to 9999), inclusive"),
    AfterValidator(real_day),
]
DateTo = Annotated[str | None, Query(pattern=DATE, description="ISO date, inclusive"), AfterValidator(real_day)]


def page(total: int | None, limit: int, offset: int, items: list[Any]) -> dict[str, Any]:
    return {
        "total": total,
        "limit": limit,
        "offset": offset,
        "has_more": total is None or offset + len(items) < total,
        "items": items,
    }


def rows_wanted(request: Request, limit: int, format: str) -> int:
    """How many rows to read: the page asked for, or for a file export with no ``limit``, every row
    (up to MAX_EXPORT), so that a dashboard's CSV link never holds the first 50 rows of 66 unsaid."""
    if format != "json" and "limit" not in request.query_params:
        return MAX_EXPORT
    return limit


def export_headers(request: Request, total: int | None, offset: int, count: int) -> dict[str, str]:
    """``X-Total-Count`` when known, and a ``Link`` to the next rows when some are left."""
    headers = {"X-Total-Count": str(total)} if total is not None else {}
    if count and (total is None or offset + count < total):
        following = request.url.include_query_params(offset=offset + count)
        headers["Link"] = f'<{following.path}?{following.query}>; rel="next"'
    return headers


def _view_page(request: Request, view: str, limit: int, offset: int) -> dict[str, Any]:
    """One page of a cross-report ledger view (computed once per store change, see ledger_view)."""
    with open_store(request) as store:
        items = ledger_view.whole_store(store, view)
    return page(len(items), limit, offset, items[offset : offset + limit])


def csv_cell(value: Any) -> Any:
    """One CSV cell: lists and objects as JSON; text that a spreadsheet would run as a formula is quoted.

    Report text is untrusted, and a cell starting with ``=``, ``+``, ``-``, ``@``
    or a control character is evaluated by spreadsheet programs; a leading
    apostrophe makes it plain text there (OWASP's advice for CSV injection).
    """
    if isinstance(value, (list, dict)):
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def csv_response(rows: list[dict[str, Any]], name: str, headers: dict[str, str] | None = None) -> Response:
    """Rows as CSV, one column per key of the first row."""
    out = io.StringIO()
    columns = list(rows[0]) if rows else []
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(row[c]) for c in columns])
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"', **(headers or {})},
    )


def geojson(features: list[dict[str, Any]], headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        {"type": "FeatureCollection", "features": features}, media_type="application/geo+json", headers=headers
    )


def point(lat: float, lon: float, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": properties,
    }


# -- reports ------------------------------------------------------------------------


@router.get("/reports", summary="Stored reports, newest first", responses=ok(Page, "csv"))
def list_reports(
    request: Request,
    source: str | None = text_filter("part of the outlet's name"),
    date_from: DateFrom = None,
    date_to: DateTo = None,
    place: str | None = text_filter(),
    country: str | None = country_filter(2),
    actor: str | None = text_filter(),
    type: str | None = text_filter("an event type the report holds"),
    limit: int = Limit,
    offset: int = Offset,
    format: Literal["json", "csv"] = "json",
) -> Any:
    flt = queries.ReportFilter(source, date_from, date_to, place, country, actor, type)
    with open_store(request) as store:
        total, rows = queries.reports(store, flt, rows_wanted(request, limit, format), offset)
    for row in rows:
        row["origin"] = public_origin(row["origin"])
    if format == "csv":
        return csv_response(rows, "reports", export_headers(request, total, offset, len(rows)))
    return page(total, limit, offset, rows)


@router.get("/reports/{report_id}", summary="One report: its reading (the JSON contract) and its text",
            response_model=None, responses=ok(Reading, missing="no stored report matches the id (E013)"))
def get_report(request: Request, report_id: str = Path(max_length=MAX_FILTER_CHARS)) -> dict[str, Any]:
    with open_store(request) as store:
        report = store.load(store.resolve(report_id))
        events = queries.event_ids_of(store, report.id)
    data = public_reading(report)
    data["linked_events"] = {str(k): v for k, v in events.items()}
    return data


# Metadata lengths: the longest headlines and outlet names run to a few hundred characters,
# addresses to about 2,000 (the limit browsers and most servers keep to); a date is short.
MAX_TITLE = 1000
MAX_URL = 2048
MAX_PUBLISHED = 64


class SubmitReport(BaseModel):
    """A report to read and store: ``text`` or ``html`` (one of them), with optional metadata.

    Unknown fields are refused, so that a misspelt one ('txt', 'date') is an error, not silently dropped.
    """

    model_config = ConfigDict(extra="forbid")

    text: str | None = None
    html: str | None = None
    title: str | None = Field(None, max_length=MAX_TITLE)
    outlet: str | None = Field(None, max_length=MAX_TITLE)
    published: str | None = Field(None, max_length=MAX_PUBLISHED)
    url: str | None = Field(None, max_length=MAX_URL)


@router.post(
    "/reports",
    status_code=201,
    summary="Read and store one report (needs the operator's token)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": SubmitReport.model_json_schema()}},
        },
        "security": [{"bearer": []}],
    },
    responses={
        200: {"description": "already stored"},
        401: {**error_response("no valid token (W401)"),
              "headers": {"WWW-Authenticate": {"schema": {"type": "string"}, "description": "Bearer"}}},
        403: error_response("writes disabled: no token configured, or the server is read-only (W403)"),
        413: error_response("body too large (W413)"),
        415: error_response("the body is not JSON (W415)"),
    },
)
async def post_report(request: Request) -> Any:
    settings = request.app.state.settings
    if settings.read_only:
        raise ApiError(403, WebErrors.W403_READ_ONLY)
    check_token(settings.token, request.headers.get("authorization", ""))
    check_json(request.headers.get("content-type", ""))
    raw = await read_limited(request, settings.max_body)
    try:
        payload = SubmitReport.model_validate_json(raw)
    except ValidationError as err:
        raise ApiError(422, WebErrors.W422, detail=validation_detail(err.errors())) from None
    # Checks and the store lookup in the shared threads; reading in the bounded pool of readers (issue 17).
    report = await run_in_threadpool(submit.prepare, payload)
    result = await run_in_threadpool(submit.stored_answer, settings.db, report)
    if result is None:
        result = await submit.read_while_connected(request.is_disconnected, settings.db, report)
    return JSONResponse(result, status_code=201 if result["added"] else 200)


def check_token(expected: str | None, header: str) -> None:
    """Refuse writes without the operator's token; constant-time comparison, nothing logged."""
    if not expected:
        raise ApiError(403, WebErrors.W403)
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), expected.encode()):
        raise ApiError(401, WebErrors.W401, headers={"WWW-Authenticate": 'Bearer realm="fogwatch"'})


def check_json(content_type: str) -> None:
    """Refuse a body that does not say it is JSON (W415): a form post from another site cannot write."""
    if content_type.split(";")[0].strip().lower() != "application/json":
        raise ApiError(415, WebErrors.W415, given=content_type.split(";")[0].strip() or "none")


async def read_limited(request: Request, limit: int) -> bytes:
    """The body, refused with W413 as soon as it passes ``limit`` bytes (declared or streamed)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ApiError(413, WebErrors.W413, limit=limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(413, WebErrors.W413, limit=limit)
        chunks.append(chunk)
    return b"".join(chunks)


# -- claims, actors, places, search ----------------------------------------------------


@router.get("/claims", summary="Claims across reports: who says what, with the words", responses=ok(Page, "csv"))
def list_claims(
    request: Request,
    source: str | None = text_filter("the claim's source (exact name)"),
    target: str | None = text_filter("an actor the claim blames"),
    kind: str | None = text_filter("statement, assertion, blame, denial, demand, warning, prediction, intention, "
                                   "opinion"),
    report: str | None = text_filter("a report id"),
    date_from: DateFrom = None,
    date_to: DateTo = None,
    limit: int = Limit,
    offset: int = Offset,
    format: Literal["json", "csv"] = "json",
) -> Any:
    flt = queries.ClaimFilter(source, target, kind, report, date_from, date_to)
    with open_store(request) as store:
        total, rows = queries.claims(store, flt, rows_wanted(request, limit, format), offset)
    if format == "csv":
        return csv_response(rows, "claims", export_headers(request, total, offset, len(rows)))
    return page(total, limit, offset, rows)


@router.get("/claims/contested", summary="Events whose sources contradict each other, with the claims",
            response_model=None, responses=ok(Page))
def list_contested(request: Request, limit: int = Limit, offset: int = Offset) -> dict[str, Any]:
    return _view_page(request, "contested_claims", limit, offset)


@router.get("/actors", summary="Actors across reports, most reported first", responses=ok(Page, "csv"))
def list_actors(
    request: Request,
    q: str | None = text_filter("part of the name"),
    kind: str | None = text_filter(),
    country: str | None = country_filter(3),
    limit: int = Limit,
    offset: int = Offset,
    format: Literal["json", "csv"] = "json",
) -> Any:
    flt = queries.EntityFilter(q, kind, country)
    wanted = rows_wanted(request, limit, format)
    with open_store(request) as store:
        # Grouping every actor row costs ~0.3 s at 10,000 reports: kept until the store changes.
        total, rows = cached(
            store,
            ("actors", q, kind, country, wanted, offset),
            lambda s: queries.actors(s, flt, wanted, offset),
        )
    if format == "csv":
        return csv_response(rows, "actors", export_headers(request, total, offset, len(rows)))
    return page(total, limit, offset, rows)


@router.get("/places", summary="Places across reports with their gazetteer point",
            responses=ok(Page, "csv", "geojson"))
def list_places(
    request: Request,
    q: str | None = text_filter("part of the name"),
    feature: str | None = text_filter("country, admin1, city, town, village..."),
    country: str | None = country_filter(2),
    limit: int = Limit,
    offset: int = Offset,
    format: Literal["json", "csv", "geojson"] = "json",
) -> Any:
    flt = queries.EntityFilter(q, feature, country)
    wanted = rows_wanted(request, limit, format)
    with open_store(request) as store:
        total, rows = cached(
            store,
            ("places", q, feature, country, wanted, offset),
            lambda s: queries.places(s, flt, wanted, offset),
        )
    headers = export_headers(request, total, offset, len(rows))
    if format == "csv":
        return csv_response(rows, "places", headers)
    if format == "geojson":
        return geojson([point(r["lat"], r["lon"], r) for r in rows if r["lat"] is not None], headers)
    return page(total, limit, offset, rows)


@router.get("/search", summary="Full-text search over reports (words are matched, operators ignored)",
            response_model=None, responses=ok(SearchPage))
def search(
    request: Request, q: str = Query(..., max_length=500), limit: int = Limit, offset: int = Offset
) -> dict[str, Any]:
    with open_store(request) as store:
        total, rows = store.search(q, limit, offset, (MARK_OPEN, MARK_CLOSE), SNIPPET_WORDS)
    return {**page(total, limit, offset, rows), "query": fts_query(q)}


# -- the ledger ------------------------------------------------------------------------


@router.get(
    "/events", summary="Linked events: mentions from many reports merged, with sources and contradictions",
    responses=ok(Page, "csv", "geojson"),
)
def list_events(
    request: Request,
    place: str | None = text_filter(),
    country: str | None = country_filter(2),
    date_from: DateFrom = None,
    date_to: DateTo = None,
    type: str | None = text_filter("PLOVER type or extension: ASSAULT, CEASEFIRE, KILL..."),
    actor: str | None = text_filter(),
    source: str | None = text_filter("a source or outlet"),
    limit: int = Limit,
    offset: int = Offset,
    format: Literal["json", "csv", "geojson"] = "json",
) -> Any:
    filters = {
        "place": place,
        "country": country,
        "date_from": date_from,
        "date_to": date_to,
        "type": type,
        "actor": actor,
        "source": source,
    }
    with open_store(request) as store:
        total, items = ledger_view.events(store, filters, rows_wanted(request, limit, format), offset)
        features = queries.features_of(store, {e["place"] for e in items if e.get("place")})
    headers = export_headers(request, total, offset, len(items))
    if format == "csv":
        return csv_response([event_row(e) for e in items], "events", headers)
    if format == "geojson":
        return geojson(
            [
                point(e["lat"], e["lon"], {**event_row(e), "feature": features.get(e["place"])})
                for e in items
                if e.get("lat") is not None
            ],
            headers,
        )
    return page(total, limit, offset, items)


def event_row(event: dict[str, Any]) -> dict[str, Any]:
    """An event flattened for CSV and GeoJSON properties."""
    keys = ("id", "type", "mode", "date", "place", "lat", "lon", "country", "actors", "sources")
    row = {k: event.get(k) for k in keys}
    row["mentions"] = len(event.get("mentions", []))
    row["contradictions"] = len(event.get("contradictions", []))
    row["url"] = f"/events/{event['id']}"
    return row


@router.get("/events/{event_id}", summary="One linked event's ledger",
            response_model=None, responses=ok(EventLedger, missing="no linked event has the id (W404)"))
def get_event(request: Request, event_id: int = Path(ge=1, le=MAX_ID)) -> dict[str, Any]:
    with open_store(request) as store:
        return ledger_view.event(store, event_id)


@router.get("/ceasefires", summary="Ceasefires with brokers, parties, terms and timeline", response_model=None,
            responses=ok(Page))
def list_ceasefires(request: Request, limit: int = Limit, offset: int = Offset) -> dict[str, Any]:
    return _view_page(request, "ceasefires", limit, offset)


@router.get("/blame", summary="Who blames whom (sides: people and forces under their state or organisation), "
                            "how often, and the claims behind each cell", responses=ok(BlameMatrix, "csv"))
def blame(
    request: Request,
    place: str | None = text_filter("claims of reports naming this place or a place in this province"),
    date_from: DateFrom = None,
    date_to: DateTo = None,
    format: Literal["json", "csv"] = "json",
) -> Any:
    with open_store(request) as store:
        matrix = blame_matrix(store, place, date_from, date_to)
    if format == "csv":
        return csv_response([blame_row(c) for c in matrix["cells"]], "blame")
    return matrix


def blame_matrix(store: Any, place: str | None, date_from: str | None, date_to: str | None) -> dict[str, Any]:
    """The blame matrix for these filters, computed once per store change; a place with nothing left to
    match once normalised ('!!!') is refused (E026) rather than taken as no filter."""
    jobs.name_filter("place", place)
    if place is None and not (date_from or date_to):
        return ledger_view.whole_store(store, "blame_matrix")
    return cached(store, ("blame_matrix", place, date_from, date_to),
                  lambda s: views.blame_matrix(s, place=place, date_from=date_from, date_to=date_to))


def blame_row(cell: dict[str, Any]) -> dict[str, Any]:
    """A blame cell flattened for CSV: the sides, the count, and the names behind them."""
    names = "; ".join(f"{m['source']} -> {m['target']} ({m['count']})" for m in cell["members"])
    return {"source": cell["source"], "target": cell["target"], "count": cell["count"],
            "source_key": cell["source_key"], "target_key": cell["target_key"], "members": names}
