"""The dashboard's views without a browser: dates for people, map markers at their places, chart data,
the place filter's field, the favicon and the 404 page (the browser checks are in test_browser.py)."""

from __future__ import annotations

import json
import re

import pytest

from fogwatch.web.charts import activity, ceasefire
from fogwatch.web.geo import markers
from fogwatch.web.templating import human_date, when_label


@pytest.mark.parametrize(
    "value,shown",
    [
        ("2016-12-13TNI", "13 Dec 2016, night"),
        ("2016-12-14TMO", "14 Dec 2016, morning"),
        ("2016-12-14TAF", "14 Dec 2016, afternoon"),
        ("2016-12-14TEV", "14 Dec 2016, evening"),
        ("2016-12-14", "14 Dec 2016"),
        ("2016-12-14T09:30", "14 Dec 2016, 09:30"),
        ("2016-12", "Dec 2016"),
        ("2016", "2016"),
        ("2016-W50", "week 50, 2016"),
        ("2016-SU", "summer 2016"),
        ("XXXX-XX-XXT09:00", "09:00, day unknown"),
        ("PRESENT_REF", "now"),
        ("2016-13-45", "2016-13-45"),  # not a day: shown as written, never a crash
        (None, ""),
    ],
)
def test_timex_values_read_as_people_write_dates(value, shown):
    assert human_date(value) == shown


def test_undated_events_show_their_window():
    assert when_label(None, [None, "2016-12-14"]) == "on or before 14 Dec 2016"
    assert when_label(None, ["2016-12-10", None]) == "on or after 10 Dec 2016"
    assert when_label(None, ["2019-05-06", "2019-05-08"]) == "between 6 and 8 May 2019"
    assert when_label(None, ["2016-11-28", "2016-12-03"]) == "between 28 Nov and 3 Dec 2016"
    assert when_label("2019-05-06", ["2019-05-06", "2019-05-08"], "2019-05-08") == "6–8 May 2019"
    assert when_label(None, None) == "date unknown"


def test_markers_sit_at_their_places_with_their_precision():
    events = [
        {"id": i, "type": "ASSAULT", "date": None, "window": [None, "2016-12-14"], "place": "Testville",
         "lat": 36.2, "lon": 37.1}
        for i in range(8)
    ]
    events.append({"id": 99, "type": "CEASEFIRE", "date": "2016-12-14", "place": "Syria", "lat": 35.0, "lon": 38.0})
    events.append({"id": 100, "type": "KILL", "date": None, "place": None, "lat": None, "lon": None})
    found, unplaced = markers(events, {"Syria": "country", "Testville": "city"})
    by_id = {m["id"]: m for m in found}
    assert set(by_id) == set(range(8)) | {99} and unplaced == 1
    assert all((m["lat"], m["lon"]) == (36.2, 37.1) for i, m in by_id.items() if i < 8)  # no spreading
    assert by_id[99]["coarse"] and not by_id[0]["coarse"]
    assert by_id[0]["when"] == "on or before 14 Dec 2016" and by_id[99]["when"] == "14 Dec 2016"


def _event(eid, day, place="Aleppo", killed=None, claims=0, published=None):
    figures = [{"low": killed, "high": None, "status": "killed"}] if killed is not None else []
    return {
        "id": eid, "type": "ASSAULT", "date": day, "place": place, "window": [day, day],
        "figures": figures,
        "mentions": [{"report_id": f"r{eid}", "published": published or day}],
        "claims": [{"source": "x", "claims": [{"report_id": f"r{eid}", "idx": i} for i in range(claims)]}],
    }


def test_activity_counts_days_and_never_adds_one_toll_twice():
    events = [
        _event(1, "2016-12-13", killed=24, claims=2),
        _event(2, "2016-12-13", killed=24),  # the same deaths, linked as a second event at the same place
        _event(3, "2016-12-13", place="Idlib", killed=5),
        _event(4, "2016-12-15", claims=1, published="2016-12-16"),
        {**_event(5, None), "window": ["2016-12-10", "2016-12-14"]},
    ]
    chart = activity(events)
    assert chart["step"] == "day" and chart["undated"] == 1
    per_day = {d: [s["values"][i] for s in chart["series"]] for i, d in enumerate(chart["days"])}
    assert per_day["2016-12-13"] == [3, 29, 2]  # events, killed (24 at Aleppo once + 5 at Idlib), claims
    assert per_day["2016-12-15"][:2] == [1, 0] and per_day["2016-12-16"][2] == 1  # a claim counts when published
    assert chart["days"][0] == "2016-12-12" and chart["days"][-1] == "2016-12-17"  # a day's margin each side


def test_long_spans_are_summed_per_month():
    chart = activity([_event(1, "2014-01-05"), _event(2, "2014-01-20"), _event(3, "2016-12-13")])
    assert chart["step"] == "month"
    values = dict(zip(chart["days"], chart["series"][0]["values"]))
    assert values["2014-01-01"] == 2 and values["2016-12-01"] == 1 and sum(values.values()) == 3


def test_ceasefire_chart_shades_its_period_and_marks_violations():
    board = {
        "place": "Aleppo", "agreed": "2016-12-13", "starts": None, "collapsed": "2016-12-14",
        "timeline": [
            {"kind": "agreed", "date": "2016-12-13", "text": "agreed"},
            {"kind": "violated", "date": "2016-12-14", "text": "shelling resumed"},
            {"kind": "blame", "date": None, "text": "undated blame is not drawn"},
        ],
    }
    chart = ceasefire(board, [_event(1, "2016-12-14", killed=3)])
    assert chart["bands"] == [{"from": "2016-12-13", "to": "2016-12-14", "label": "ceasefire in force"}]
    assert [(m["day"], m["kind"]) for m in chart["marks"]] == [("2016-12-13", "agreed"), ("2016-12-14", "violated")]
    assert "2016-12-13" in chart["days"]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from fastapi.testclient import TestClient

    from fogwatch.jobs import ingest_demo
    from fogwatch.store import Store
    from fogwatch.web import create_app

    db = tmp_path_factory.mktemp("views") / "demo.db"
    with Store(db) as store:
        ingest_demo(store)
    return TestClient(create_app(db), raise_server_exceptions=False)


def test_map_page_has_a_place_field_and_marker_data(client):
    page = client.get("/map", params={"place": "Kharkiv"}).text
    assert re.search(r'<input name="place" value="Kharkiv"', page)
    data = json.loads(re.search(r'<script type="application/json" id="map-data">(.*?)</script>', page, re.S)[1])
    assert data and {m["place"] for m in data} == {"Kharkiv"}
    assert "/static/vendor/leaflet/leaflet.js" in page and "countries-110m.json" in page


def test_pages_show_no_raw_timex_and_no_bare_undated(client):
    ids = [e["id"] for e in client.get("/api/events", params={"limit": 1000}).json()["items"]]
    for event_id in ids:
        page = client.get(f"/events/{event_id}").text
        h1 = re.search(r"<h1>(.*?)</h1>", page, re.S)[1]
        assert "undated" not in h1 and not re.search(r"\d{4}-\d{2}-\d{2}T[A-Z]{2}", page), event_id
    rows = re.search(r'<ul class="list place-events">(.*?)</ul>', client.get("/places/Idlib").text, re.S)[1]
    assert "undated" not in rows and rows.count('class="snippet"') == rows.count("<li>")


def test_chart_data_is_embedded_as_inert_json(client):
    for path in ("/", "/places/Idlib", "/ceasefires"):
        page = client.get(path).text
        blocks = re.findall(r'<script type="application/json" id="(chart-[\w-]+)">(.*?)</script>', page, re.S)
        assert blocks, path
        for _, text in blocks:
            assert "<" not in text  # tojson escapes markup, so no text can close the block
            assert {"days", "series", "bands", "marks"} <= set(json.loads(text))


def test_favicon_and_dashboard_404(client):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    assert client.get("/static/favicon.svg").status_code == 200
    missing = client.get("/events/999999")
    assert missing.status_code == 404 and "/api/" not in missing.text.split("<main>")[1]
    assert 'href="/events"' in missing.text
    assert client.get("/api/events/999999").json()["error"]["code"] == "W404"  # the API keeps its JSON error


def test_vendored_libraries_keep_their_licences():
    from pathlib import Path

    import fogwatch.web

    vendor = Path(fogwatch.web.__file__).parent / "static" / "vendor"
    for package in ("leaflet", "leaflet.markercluster", "world-atlas", "topojson-client", "uplot"):
        assert (vendor / package / "LICENSE").is_file(), package
    readme = (vendor / "README.md").read_text()
    assert all(name in readme for name in ("1.9.4", "1.5.3", "2.0.2", "3.1.0", "1.6.32"))
    assert sum(f.stat().st_size for f in vendor.rglob("*") if f.is_file()) < 600_000


def _visible(page: str) -> str:
    """A page's text as a reader sees it: no script blocks, no tags, no attribute values."""
    import html

    text = re.sub(r"<script[^>]*>.*?</script>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


RAW_TIMEX = re.compile(r"\d{4}-\d{2}(-\d{2})?T[A-Z]{2}\b|\d{4}-W\d{2}|PRESENT_REF|PAST_REF|FUTURE_REF|XXXX")


def test_report_pages_show_no_raw_timex_values(client):
    """A report's date cards read as people write dates; the TIMEX value stays in the API."""
    ids = [r["id"] for r in client.get("/api/reports", params={"limit": 100}).json()["items"]]
    values = [t["value"] for i in ids for t in client.get(f"/api/reports/{i}").json()["times"] if t.get("value")]
    assert any("T" in v or "W" in v for v in values), "the demo has no part-of-day or week value to check"
    for report_id in ids:
        shown = [m.group(0) for m in RAW_TIMEX.finditer(_visible(client.get(f"/reports/{report_id}").text))]
        assert not shown, (report_id, shown)


def test_event_figures_are_drawn_on_one_scale_per_kind(client):
    """'11 wounded' is not plotted on the killed scale: each kind of figure has its own table and scale,
    and a figure the ledger repeats (same source, report, words and numbers) is one row."""
    events = client.get("/api/events", params={"limit": 1000}).json()["items"]
    mixed = [e for e in events if len({f.get("status") for f in e["figures"]}) > 1]
    assert mixed, "the demo has no event with figures of two kinds"
    for event in mixed:
        page = client.get(f"/events/{event['id']}").text
        tables = re.findall(r'<table class="grid figures" data-status="([^"]*)">(.*?)</table>', page, re.S)
        assert {s for s, _ in tables} == {f.get("status") or "" for f in event["figures"]}, event["id"]
        for status, table in tables:
            mine = [f for f in event["figures"] if (f.get("status") or "") == status]
            peak = max(v for f in mine for v in (f["low"], f["high"]) if v is not None)
            drawn = float(re.search(r"Scale \(0–([\d.]+)\)", table)[1])
            open_at_peak = any(f["high"] is None and f["low"] == peak for f in mine)
            assert drawn == peak or (open_at_peak and drawn > peak), (event["id"], status, drawn)
            distinct = {(f["source"], f["report_id"], f["text"], f["low"], f["high"], f["unit"]) for f in mine}
            assert table.count("<tr><td>") == len(distinct), (event["id"], status)


def test_dashboard_errors_point_to_the_dashboard(client):
    """Errors on pages say what to do on the dashboard, not in the CLI or the API spec."""
    for path, status in (("/reports/zzzz", 404), ("/events?date_from=2016-13", 422), ("/reports?offset=-1", 422)):
        answer = client.get(path)
        assert answer.status_code == status, path
        main = _visible(answer.text.split("<main>")[1])
        assert "openapi" not in main and "/api/" not in main and "'fogwatch " not in main, (path, main)
    assert 'href="/reports"' in client.get("/reports/zzzz").text.split("<main>")[1]
    assert 'href="/events"' in client.get("/events?date_from=2016-13").text.split("<main>")[1]


def test_timeline_rows_name_no_empty_outlet(client):
    page = client.get("/events", params={"limit": 1000}).text
    assert not re.search(r"”\s*—\s*</div>", page), "a quote is followed by a dash and nothing"


def test_a_ceasefire_chart_keeps_to_its_own_weeks():
    """Two truces at one place years apart: each board's chart draws the days around its own period, not
    the place's whole history (a 2016 truce drawn per month to 2019 hid its days)."""
    board = {
        "place": "Syria", "agreed": "2016-12-13", "starts": None, "collapsed": "2016-12-14", "events": [1, 5],
        "timeline": [{"kind": "agreed", "date": "2016-12-13", "text": "agreed"},
                     {"kind": "collapsed", "date": "2016-12-14", "text": "fell apart"}],
    }
    events = [_event(1, "2016-12-14", place="Syria", killed=82), _event(2, "2019-05-08", place="Syria", killed=3),
              _event(3, "2016-12-01", place="Syria"), {**_event(4, None, place="Syria"), "window": ["2019-05-01", None]},
              {**_event(5, None, place="Syria"), "window": ["2016-12-12", "2016-12-14"]}]
    chart = ceasefire(board, events)
    assert chart["step"] == "day" and chart["days"][0] >= "2016-11-01" and chart["days"][-1] <= "2017-01-31"
    assert chart["total"] == {"events": 2, "killed": 82, "claims": 0}  # the 2019 event is another truce's
    assert chart["undated"] == 1  # its own undated event, not the place's


def test_an_actors_chart_counts_its_own_claims_when_published():
    """On an actor's page the claims curve is what the actor said, per day of publication, even where no
    linked event names it (a spokesman's words about a truce it is no party to)."""
    said = [{"report_id": "a", "idx": 0, "published": "2016-12-14"}, {"report_id": "a", "idx": 1,
            "published": "2016-12-14"}, {"report_id": "b", "idx": 0, "published": "2019-05-08"},
            {"report_id": "c", "idx": 0, "published": None}]
    chart = activity([_event(1, "2019-05-06", claims=3)], "Russia", claims=said)
    per_day = dict(zip(chart["days"], chart["series"][2]["values"]))
    assert chart["total"]["claims"] == 3 and chart["step"] == "month"
    assert per_day["2016-12-01"] == 2 and per_day["2019-05-01"] == 1


def test_actor_page_counts_every_claim_in_its_headings(client):
    source = client.get("/api/claims", params={"limit": 1}).json()["items"][0]["source"]
    total = client.get("/api/claims", params={"source": source}).json()["total"]
    page = client.get(f"/actors/{source}").text
    assert f"What it says ({total})" in page
    data = json.loads(re.search(r'<script type="application/json" id="chart-actor-data">(.*?)</script>', page, re.S)[1])
    dated = [c for c in client.get("/api/claims", params={"source": source, "limit": 1000}).json()["items"]
             if c.get("published")]
    assert data["total"]["claims"] == len(dated)


def test_event_pages_show_each_claim_once_and_dates_in_words(client):
    """A claim that covers two mentions of one event is one quote, in the API as on the page (the
    demo has such events: an attack and its toll told in one sentence); why a mention was linked
    reads 'day 15 Mar 2022', not the ISO value."""
    events = client.get("/api/events", params={"limit": 1000}).json()["items"]
    shared = [e for e in events if len({m["report_id"] for m in e["mentions"]}) < len(e["mentions"])
              and any(g["claims"] for g in e["claims"])]
    assert shared, "the demo has no event with two mentions of one report under a claim: nothing to check"
    for event in events:
        keys = [(c["report_id"], c["idx"]) for g in event["claims"] for c in g["claims"]]
        assert len(keys) == len(set(keys)), event["id"]
        figures = [(f["report_id"], f["text"]) for f in event["figures"]]
        assert len(figures) == len(set(figures)), event["id"]
        page = client.get(f"/events/{event['id']}").text
        side = page.split('<div class="side-by-side">')[1]
        quotes = re.findall(r'<blockquote><a href="/reports/(\w+)#claim-(\d+)">', side)
        assert len(quotes) == len(set(quotes)), event["id"]
        assert {(r, int(i)) for r, i in quotes} == {(c["report_id"], c["idx"]) for g in event["claims"]
                                                    for c in g["claims"]}
        iso = re.findall(r"\b\d{4}-\d{2}-\d{2}\b", _visible(page.split("<main>")[1]))
        assert not iso, (event["id"], iso)


def test_an_open_ended_figure_is_drawn_past_its_bound():
    from fogwatch.web.pages import figure_groups

    [killed] = figure_groups([{"source": "a", "report_id": "r", "text": "at least four", "low": 4, "high": None,
                               "unit": "people", "status": "killed"}])
    assert killed["scale"] > 4  # '4+' has room to show as a bar from 4 onward


def test_a_ceasefire_chart_marks_events_on_their_ledger_day():
    """A violation the board dates by its report's publication, but the ledger only to a window, is not
    marked on that day; a row linked to a dated ledger event is marked on the ledger's day; blame is
    marked when published (as claims are counted)."""
    board = {
        "place": "Syria", "agreed": "2016-12-13", "starts": None, "collapsed": "2016-12-14", "events": [],
        "timeline": [
            {"kind": "agreed", "date": "2016-12-13", "event_id": 34, "ledger_date": "2016-12-13"},
            {"kind": "violated", "date": "2016-12-14", "dated_by": "publication", "event_id": 45, "ledger_date": None},
            {"kind": "collapsed", "date": "2016-12-14", "event_id": 30, "ledger_date": "2016-12-13"},
            {"kind": "blame", "date": "2016-12-14", "dated_by": "publication"},
        ],
    }
    marks = [(m["day"], m["kind"]) for m in ceasefire(board, [])["marks"]]
    assert marks == [("2016-12-13", "agreed"), ("2016-12-13", "collapsed"), ("2016-12-14", "blame")]
