"""The dashboard: server-rendered pages over the same queries as the API.

Pages hold no inline script: scripts are static files (static/app.js for the
report reader, static/map.js and static/charts.js with the vendored Leaflet
and uPlot), and the data a map or chart draws is a JSON data block
(``<script type="application/json">``, written with Jinja2's ``tojson``,
which escapes ``<``, ``>``, ``&`` and quotes), never code. Every value from a
report goes through Jinja2's autoescaping.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import FileResponse, HTMLResponse

from .. import queries
from ..report import Report
from . import charts, geo, ledger_view
from .api import MAX_ID, DateFrom, DateTo, Offset, blame_matrix, text_filter
from .highlight import marks_of, pieces
from .problems import ApiError, WebErrors
from .templating import MARK_CLOSE, MARK_OPEN, SNIPPET_WORDS, STATIC_DIR, human_date, templates, when_label
from .store_access import cached, open_store

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50
# The map draws at most this many events (newest first); Leaflet clusters them.
MAP_EVENTS = 2000
# Charts count at most this many events (newest first).
CHART_EVENTS = 2000


def render(request: Request, template: str, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, template, context)


def _filters(request: Request, keys: tuple[str, ...]) -> dict[str, str]:
    return {k: v.strip() for k in keys if (v := request.query_params.get(k, "")).strip()}


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    with open_store(request) as store:
        overview = cached(store, ("overview",), queries.overview)
        _, recent = queries.reports(store, queries.ReportFilter(), 8, 0)
        _, events = ledger_view.events(store, {}, CHART_EVENTS, 0)
    return render(request, "home.html", overview=overview, recent=recent,
                  chart=charts.activity(events, "all places"))


@router.get("/reports", response_class=HTMLResponse)
def reports_page(
    request: Request, offset: int = Offset, date_from: DateFrom = None, date_to: DateTo = None
) -> HTMLResponse:
    params = _filters(request, ("source", "date_from", "date_to", "place", "country", "actor", "type"))
    flt = queries.ReportFilter(**{k: v for k, v in params.items()})
    with open_store(request) as store:
        total, rows = queries.reports(store, flt, PAGE_SIZE, offset)
    return render(
        request, "reports.html", rows=rows, total=total, offset=offset, limit=PAGE_SIZE, params=params
    )


@router.get("/reports/{report_id}", response_class=HTMLResponse)
def report_page(request: Request, report_id: str) -> HTMLResponse:
    with open_store(request) as store:
        report = store.load(store.resolve(report_id))
        linked = queries.event_ids_of(store, report.id)
        copy_of = store.original_of(report.id)
    return render(
        request,
        "report.html",
        report=report,
        pieces=pieces(report.text, marks_of(report)),
        items=report_items(report, linked),
        copy_of=copy_of,
    )


def report_items(report: Report, linked: dict[int, int]) -> dict[str, list[dict[str, Any]]]:
    """What the detail panel shows for each highlighted item, with its links onward."""
    claim_events: dict[int, list[int]] = {}
    for i, event in enumerate(report.events):
        at = report.position("claims", event.claim_id)
        if at is not None:
            claim_events.setdefault(at, []).append(i)
    return {
        "claims": [
            {
                "ref": f"claim-{i}",
                "claim": c,
                "content": report.snippet(c.content.start, c.content.end),
                "events": claim_events.get(i, []),
                "figures": [q for q, quantity in enumerate(report.quantities) if quantity.claim_id == c.id],
            }
            for i, c in enumerate(report.claims)
        ],
        "events": [
            {"ref": f"event-{i}", "event": e, "linked": linked.get(i), "claim_at": report.position("claims", e.claim_id)}
            for i, e in enumerate(report.events)
        ],
        "places": [{"ref": f"place-{i}", "place": p} for i, p in enumerate(report.places)],
        "times": [{"ref": f"time-{i}", "time": t} for i, t in enumerate(report.times)],
        "figures": [{"ref": f"figure-{i}", "quantity": q, "claim_at": report.position("claims", q.claim_id)}
                    for i, q in enumerate(report.quantities)],
    }


@router.get("/claims", response_class=HTMLResponse)
def claims_page(
    request: Request, offset: int = Offset, date_from: DateFrom = None, date_to: DateTo = None
) -> HTMLResponse:
    params = _filters(request, ("source", "target", "kind", "report", "date_from", "date_to"))
    with open_store(request) as store:
        total, rows = queries.claims(store, queries.ClaimFilter(**params), PAGE_SIZE, offset)
    return render(
        request, "claims.html", rows=rows, total=total, offset=offset, limit=PAGE_SIZE, params=params
    )


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: str = Query("", max_length=500), offset: int = Offset) -> HTMLResponse:
    with open_store(request) as store:
        total, rows = store.search(q, PAGE_SIZE, offset, (MARK_OPEN, MARK_CLOSE), SNIPPET_WORDS)
    return render(
        request,
        "search.html",
        q=q,
        rows=rows,
        total=total,
        offset=offset,
        limit=PAGE_SIZE,
        params={"q": q} if q else {},
    )


@router.get("/actors/{name}", response_class=HTMLResponse)
def actor_page(request: Request, name: str) -> HTMLResponse:
    with open_store(request) as store:
        said_total, said = queries.claims(store, queries.ClaimFilter(source=name), CHART_EVENTS, 0)
        blamed_total, blamed = queries.claims(store, queries.ClaimFilter(target=name), PAGE_SIZE, 0)
        total, reports = queries.reports(store, queries.ReportFilter(actor=name), PAGE_SIZE, 0)
        _, events = ledger_view.events(store, {"actor": name}, CHART_EVENTS, 0)
    if not (said or blamed or reports):
        raise ApiError(404, WebErrors.W404, path=request.url.path)
    return render(request, "actor.html", name=name, said=said[:PAGE_SIZE], blamed=blamed, reports=reports,
                  total=total, said_total=said_total, blamed_total=blamed_total,
                  chart=charts.activity(events, name, claims=said))


@router.get("/places/{name}", response_class=HTMLResponse)
def place_page(request: Request, name: str) -> HTMLResponse:
    with open_store(request) as store:
        place = queries.place(store, name)
        if place is None:
            raise ApiError(404, WebErrors.W404, path=request.url.path)
        total, reports = queries.reports(store, queries.ReportFilter(place=name), PAGE_SIZE, 0)
        events = ledger_view.events(store, {"place": name}, CHART_EVENTS, 0)[1]
    return render(request, "place.html", place=place, reports=reports, total=total, events=events[:PAGE_SIZE],
                  more=len(events) > PAGE_SIZE, chart=charts.activity(events, name))


# -- ledger pages ------------------------------------------------------------------------

EVENT_KEYS = ("place", "country", "date_from", "date_to", "type", "actor", "source")


@router.get("/events", response_class=HTMLResponse)
def timeline_page(
    request: Request, offset: int = Offset, date_from: DateFrom = None, date_to: DateTo = None
) -> HTMLResponse:
    params = _filters(request, EVENT_KEYS)
    with open_store(request) as store:
        total, events = ledger_view.events(store, params, PAGE_SIZE, offset)
    days: dict[str, list[dict[str, Any]]] = {}
    for event in events:  # an undated event sits under the window its texts allow, as its page says
        days.setdefault(when_label(event.get("date"), event.get("window")), []).append(event)
    return render(
        request,
        "timeline.html",
        days=days,
        events=events,
        total=total,
        offset=offset,
        limit=PAGE_SIZE,
        params=params,
    )


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, event_id: int = Path(ge=1, le=MAX_ID)) -> HTMLResponse:
    with open_store(request) as store:
        event = ledger_view.event(store, event_id)
    claims = [{**g, "claims": list({(c.get("report_id"), c.get("idx")): c for c in g["claims"]}.values())}
              for g in event.get("claims", [])]  # a claim the ledger lists under two mentions is one quote
    return render(request, "event.html", event={**event, "claims": claims},
                  figure_groups=figure_groups(event.get("figures", [])))


# The order figure tables come in on an event page; other kinds follow, by name.
FIGURE_ORDER = ("killed", "wounded", "missing", "detained", "displaced")
# Room past the largest bound for an open-ended figure ('at least N') that is that bound.
OPEN_ROOM = 1.5


def figure_groups(figures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """An event's figures as one table per kind (killed, wounded...), each drawn on its own scale, so
    that '11 wounded' never stretches the killed bars; a figure repeated with the same source, report,
    words and numbers is one row."""
    groups: dict[str, dict[tuple[Any, ...], dict[str, Any]]] = {}
    for f in figures:
        key = (f.get("source"), f.get("report_id"), f.get("text"), f.get("low"), f.get("high"), f.get("unit"))
        groups.setdefault(f.get("status") or "", {}).setdefault(key, f)
    rank = {status: i for i, status in enumerate(FIGURE_ORDER)}
    out = []
    for status in sorted(groups, key=lambda s: (rank.get(s, len(rank)), s == "", s)):
        rows = list(groups[status].values())
        bounds = [v for f in rows for v in (f.get("low"), f.get("high")) if v is not None]
        scale = max(bounds, default=0)
        if any(f.get("high") is None and f.get("low") == scale for f in rows):
            scale *= OPEN_ROOM  # 'at least 4' at the top of the scale still shows as a bar from 4 on
        out.append({"status": status, "figures": rows, "scale": scale})
    return out


@router.get("/map", response_class=HTMLResponse)
def map_page(
    request: Request, date_from: DateFrom = None, date_to: DateTo = None
) -> HTMLResponse:
    params = _filters(request, EVENT_KEYS)
    with open_store(request) as store:
        _, events = ledger_view.events(store, params, MAP_EVENTS, 0)
        features = queries.features_of(store, {e["place"] for e in events if e.get("place")})
    found, unplaced = geo.markers(events, features)
    return render(
        request,
        "map.html",
        markers=found,
        places=geo.places_of(found),
        unplaced=unplaced,
        params=params,
        shown=len(events),
        limit=MAP_EVENTS,
    )


@router.get("/ceasefires", response_class=HTMLResponse)
def ceasefires_page(request: Request) -> HTMLResponse:
    with open_store(request) as store:
        linked = {r: queries.event_ids_of(store, r) for b in ledger_view.whole_store(store, "ceasefires")
                  for r in _reports_of(b)}
        ledgers = {i: ledger_view.event(store, i) for ids in linked.values() for i in set(ids.values())}
        boards = [board_links(b, linked, ledgers) for b in ledger_view.whole_store(store, "ceasefires")]
        board_charts = [
            charts.ceasefire(b, ledger_view.events(store, flt, CHART_EVENTS, 0)[1] if flt else [])
            for b in boards for flt in [board_event_filters(b)]
        ]
    return render(request, "ceasefires.html", boards=boards, charts=board_charts)


def board_event_filters(board: dict[str, Any]) -> dict[str, str] | None:
    """The events a board's chart draws: those in its country when the ledger places the truce only at
    a country (its cities' events are where the deaths are), else those at its place."""
    if board.get("feature") == "country" and board.get("country"):
        return {"country": board["country"]}
    return {"place": board["place"]} if board.get("place") else None


def _reports_of(board: dict[str, Any]) -> set[str]:
    return {i["report_id"] for i in (*board["timeline"], *board["terms"]) if i.get("report_id")}


def board_links(board: dict[str, Any], linked: dict[str, dict[int, int]] | None = None,
                ledgers: dict[int, dict[str, Any]] | None = None) -> dict[str, Any]:
    """A board whose quotes and terms link to their own words in the report (``#claim-N`` for blame,
    ``#event-N`` for events), not to its top; copies, so the cached board is left as it is.

    A row whose words joined a linked event (``linked``: report -> mention -> event id) says when as
    that event's page does (``ledgers``: its ledger) and links to it, so the board and the timeline
    never give two days for one event; a row dated only by its report's publication says so."""
    linked, ledgers = linked or {}, ledgers or {}

    def href(item: dict[str, Any]) -> str:
        if item.get("kind") == "blame" and item.get("idx") is not None:
            return f"/reports/{item['report_id']}#claim-{item['idx']}"
        anchor = f"#event-{item['event_idx']}" if item.get("event_idx") is not None else ""
        return f"/reports/{item['report_id']}{anchor}"

    def row(item: dict[str, Any]) -> dict[str, Any]:
        event_id = linked.get(item.get("report_id", ""), {}).get(item["event_idx"]) \
            if item.get("event_idx") is not None else None
        ledger = ledgers.get(event_id) if event_id is not None else None
        if ledger is not None:
            when = when_label(ledger.get("date"), ledger.get("window"), ledger.get("date_last"))
        elif item.get("date") and item.get("dated_by") == "publication":
            when = f"published {human_date(item['date'])}"
        else:
            when = human_date(item.get("date")) or "undated"
        source = item.get("source")
        if not source or source in (item.get("outlet"), item.get("report_id")) \
                or source.startswith("report "):
            source = None  # the report itself speaks: its outlet says who
        return {**item, "href": href(item), "when": when, "event_id": event_id, "speaker": source,
                "ledger_date": ledger.get("date") if ledger is not None else None}

    return {**board, "timeline": [row(i) for i in board["timeline"]],
            "terms": [{**t, "href": href(t)} for t in board["terms"]]}


@router.get("/blame", response_class=HTMLResponse)
def blame_page(request: Request, place: str | None = text_filter(), date_from: DateFrom = None,
               date_to: DateTo = None) -> HTMLResponse:
    """The matrix of sides; ``?place=``, ``?date_from=`` and ``?date_to=`` filter it as in /api/blame."""
    params = _filters(request, BLAME_KEYS)
    with open_store(request) as store:
        matrix = blame_matrix(store, place, date_from, date_to)
    cells = {(c["source"], c["target"]): c for c in matrix["cells"]}
    sources = sorted({c["source"] for c in matrix["cells"]})
    targets = sorted({c["target"] for c in matrix["cells"]})
    peak = max((c["count"] for c in matrix["cells"]), default=0)
    members = {s["name"]: [m for m in s.get("members", []) if m != s["name"]]
               for s in matrix.get("sides", [])}
    return render(request, "blame.html", sources=sources, targets=targets, cells=cells, peak=peak,
                  params=params, members=members)


BLAME_KEYS = ("place", "date_from", "date_to")


@router.get("/blame/cell", response_class=HTMLResponse)
def blame_cell_page(request: Request, source: str, target: str, place: str | None = text_filter(),
                    date_from: DateFrom = None, date_to: DateTo = None) -> HTMLResponse:
    with open_store(request) as store:
        matrix = blame_matrix(store, place, date_from, date_to)
    cell = next((c for c in matrix["cells"] if c["source"] == source and c["target"] == target), None)
    if cell is None:
        raise ApiError(404, WebErrors.W404, path=request.url.path)
    return render(request, "blame_cell.html", cell=cell, params=_filters(request, BLAME_KEYS))


@router.get("/contested", response_class=HTMLResponse)
def contested_page(request: Request) -> HTMLResponse:
    with open_store(request) as store:
        events = ledger_view.whole_store(store, "contested_claims")
    return render(request, "contested.html", events=events)


@router.get("/favicon.ico")
def favicon() -> FileResponse:
    """Browsers ask for /favicon.ico whatever the page links to: answer with the dashboard's icon."""
    return FileResponse(STATIC_DIR / "favicon.svg", media_type="image/svg+xml")
