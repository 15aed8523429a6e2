"""End to end in a real headless Chromium: the dashboard over the demo data, driven by Playwright.

Needs Debian's ``chromium`` at /usr/bin/chromium and the ``playwright`` package
(Playwright's own browser download is not used); skips with a message when
either is missing. Screenshots of every page, at desktop width and at 390 px,
go to $FOGWATCH_TEST_ARTEFACTS when it is set, else to ``screenshots/`` under
pytest's temporary folder (never into the repository). The map must draw
without any request leaving the test server (offline: outlines are vendored).
"""

from __future__ import annotations

import json
import os
import re
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS_ENV = "FOGWATCH_TEST_ARTEFACTS"
TOKEN = "browser-test-token"

if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} is absent: install Debian's chromium (apt-get install -y chromium)",
        allow_module_level=True,
    )
playwright_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
uvicorn = pytest.importorskip("uvicorn", reason="uvicorn is not installed")
httpx = pytest.importorskip("httpx", reason="httpx is not installed")
pytest.importorskip("fastapi", reason="fastapi is not installed")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app over a demo store, served on a free loopback port in a thread."""
    from fogwatch.jobs import ingest_demo
    from fogwatch.store import Store
    from fogwatch.web import create_app

    db = tmp_path_factory.mktemp("browser") / "demo.db"
    with Store(db) as store:
        ingest_demo(store)
    port = _free_port()
    config = uvicorn.Config(create_app(db, token=TOKEN), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def shots_dir(tmp_path_factory) -> Path:
    folder = Path(os.environ[SHOTS_ENV]) if os.environ.get(SHOTS_ENV) else tmp_path_factory.getbasetemp() / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _offline(server: str):
    """A route handler that refuses every request not to the test server (the dashboard must work offline)."""
    leaked: list[str] = []

    def handle(route):
        if route.request.url.startswith(server) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            leaked.append(route.request.url)
            route.abort()

    return handle, leaked


@pytest.fixture
def page(browser, server, shots_dir):
    context = browser.new_context(viewport={"width": 1360, "height": 900})
    handle, leaked = _offline(server)
    context.route("**/*", handle)
    tab = context.new_page()
    missing: list[str] = []

    def note(response) -> None:
        if response.status >= 400 and ("/static/" in response.url or "favicon" in response.url):
            missing.append(response.url)

    tab.on("response", note)
    tab.shots_dir = shots_dir
    yield tab
    context.close()
    assert not leaked, f"requests left the test server: {leaked[:5]}"
    assert not missing, f"missing static files: {missing[:5]}"


def shot(page, name: str) -> None:
    page.screenshot(path=str(page.shots_dir / f"{name}.png"), full_page=True)


def test_main_pages_render(server, page):
    for path, name in (
        ("/", "overview"),
        ("/reports", "reports"),
        ("/claims", "claims"),
        ("/events", "timeline"),
        ("/ceasefires", "ceasefires"),
        ("/blame", "blame"),
        ("/contested", "contested"),
        ("/search?q=shelling", "search"),
    ):
        response = page.goto(server + path)
        assert response is not None and response.status == 200, path
        assert "default-src 'self'" in response.headers["content-security-policy"]
        shot(page, name)


def _open_map(page, url: str) -> list[dict]:
    page.goto(url)
    page.wait_for_selector("#map[data-ready='1']", timeout=20_000)
    return json.loads(page.locator("#map-data").text_content())


def _reveal_marker(page, event_id: int) -> None:
    """Click clusters, nearest to the event's point first, until its own marker shows (as a user would)."""
    marker = page.locator(f'a.marker[data-event="{event_id}"]')
    for _ in range(12):
        if marker.count() and marker.first.is_visible():
            return
        point = page.evaluate(
            """(id) => {
                const el = document.getElementById('map');
                const m = JSON.parse(document.getElementById('map-data').textContent).find((x) => x.id === id);
                const p = el.fogwatchMap.latLngToContainerPoint([m.lat, m.lon]);
                const box = el.getBoundingClientRect();
                let best = null, dist = Infinity;
                document.querySelectorAll('.marker-cluster').forEach((c) => {
                    const r = c.getBoundingClientRect();
                    const d = Math.hypot(r.x + r.width / 2 - box.x - p.x, r.y + r.height / 2 - box.y - p.y);
                    if (d < dist) { dist = d; best = [r.x + r.width / 2, r.y + r.height / 2]; }
                });
                return best;
            }""",
            event_id,
        )
        assert point is not None, f"event {event_id} is neither a marker nor in a cluster"
        page.mouse.click(*point)
        page.wait_for_timeout(700)
    pytest.fail(f"the marker of event {event_id} never showed")


def test_map_draws_outlines_offline_and_markers_at_their_places(server, page):
    markers = _open_map(page, server + "/map")
    assert markers, "the map has no marker data"
    # Natural Earth outlines, from the vendored TopoJSON (the page's context refuses any other host).
    assert int(page.locator("#map").get_attribute("data-outlines-drawn")) > 150
    assert page.locator(".leaflet-overlay-pane path").count() > 0
    # Every marker sits at its event's point, as the ledger has it (no fanning out).
    api = {e["id"]: e for e in httpx.get(server + "/api/events", params={"limit": 1000}).json()["items"]}
    for m in markers:
        assert (m["lat"], m["lon"]) == (round(api[m["id"]]["lat"], 5), round(api[m["id"]]["lon"], 5))
    # The place filter has its field, and it filters.
    field = page.locator("form.filters input[name=place]")
    assert field.count() == 1
    field.fill("Kharkiv")
    page.locator("form.filters button").click()
    page.wait_for_url(re.compile(r"place=Kharkiv"))
    page.wait_for_selector("#map[data-ready='1']")
    only = json.loads(page.locator("#map-data").text_content())
    assert only and {m["place"] for m in only} == {"Kharkiv"}


def test_map_marker_to_event_to_claim(server, page):
    markers = _open_map(page, server + "/map")
    shot(page, "map")
    with_claims = [
        m["id"] for m in markers
        if httpx.get(f"{server}/api/events/{m['id']}").json().get("claims")
    ]
    assert with_claims, "no event on the map has a claim to follow"
    target = with_claims[0]
    _reveal_marker(page, target)
    page.locator(f'a.marker[data-event="{target}"]').first.click()
    page.wait_for_url(re.compile(rf"/events/{target}$"))
    assert page.locator(".side-by-side blockquote a").count()
    shot(page, "event")
    link = page.locator(".side-by-side blockquote a").first
    anchor = link.get_attribute("href").split("#")[1]
    link.click()
    page.wait_for_url(re.compile(r"/reports/\w+#claim-\d+$"))
    mark = page.locator(f"#{anchor}")
    assert "selected" in (mark.get_attribute("class") or ""), "the claim is not highlighted"
    assert mark.is_visible()
    box = mark.bounding_box()
    assert box is not None and 0 <= box["y"] <= page.viewport_size["height"], (
        "the page did not land on the claim"
    )
    assert_card_seen(page, f"d-{anchor}")
    shot(page, "report")


def assert_card_seen(page, card_id: str) -> None:
    """The card is displayed, inside the window, and on top (not hidden under anything)."""
    card = page.locator(f"#{card_id}")
    assert card.is_visible(), f"{card_id} is not shown"
    seen = page.evaluate(
        """(id) => {
            const card = document.getElementById(id);
            const r = card.getBoundingClientRect();
            const x = r.left + Math.min(r.width / 2, 40), y = r.top + Math.min(r.height / 2, 20);
            if (r.top < 0 || y > window.innerHeight) return 'outside the window: top ' + r.top;
            const hit = document.elementFromPoint(x, y);
            return hit && card.contains(hit) ? 'ok' : 'covered by ' + (hit ? hit.outerHTML.slice(0, 80) : 'nothing');
        }""",
        card_id,
    )
    assert seen == "ok", f"{card_id}: {seen}"


def _longest_report(server: str) -> str:
    rows = httpx.get(server + "/api/reports", params={"limit": 100}).json()["items"]
    return max(rows, key=lambda r: r.get("claims") or 0)["id"]


@pytest.mark.parametrize("width", [1360, 390])
def test_clicked_highlight_and_followed_anchor_show_their_card(server, browser, shots_dir, width):
    context = browser.new_context(viewport={"width": width, "height": 900 if width > 500 else 844})
    tab = context.new_page()
    try:
        report = _longest_report(server)
        tab.goto(f"{server}/reports/{report}")
        claims = tab.locator("mark.hl-claim[id^=claim-]")
        assert claims.count() > 3
        last = claims.nth(claims.count() - 1)
        last.scroll_into_view_if_needed()
        last.click(position={"x": 3, "y": 3})
        ref = last.get_attribute("data-ref")
        assert_card_seen(tab, f"d-{ref}")
        assert not tab.locator(".legend .muted").is_visible(), "the panel still says 'Select a highlight'"
        tab.screenshot(path=str(shots_dir / f"report-selected-{width}.png"), full_page=False)
        # Following a link to the last claim selects it on load and shows its card.
        n = claims.count() - 1
        tab.goto(f"{server}/reports/{report}#claim-{n}")
        tab.wait_for_load_state("load")
        assert "selected" in (tab.locator(f"#claim-{n}").get_attribute("class") or "")
        assert_card_seen(tab, f"d-claim-{n}")
    finally:
        context.close()


# A long report of the test's own: claims down to its last line, so that following a link to the last
# claim leaves the page scrolled to its foot, where the text's end pushes the sticky panel up.
LONG_REPORT = "\n\n".join(
    ["Shelling resumes around the river towns"]
    + [f"A spokesman for the {side} said on {day} that the {place} district had been shelled again overnight, "
       f"and that {n} people were hurt. Residents said the shelling went on for hours."
       for n, (side, day, place) in enumerate(
           [(s, d, p) for s in ("army", "police", "regional council") for d in ("Monday", "Tuesday", "Wednesday")
            for p in ("northern", "southern", "eastern")][:24], start=2)]
)


@pytest.mark.parametrize("width", [1360, 390])
def test_the_last_claim_of_a_long_report_shows_its_card(server, browser, width):
    answer = httpx.post(server + "/api/reports", json={"text": LONG_REPORT, "outlet": "Test Wire",
                                                      "published": "2021-04-07"},
                        headers={"Authorization": f"Bearer {TOKEN}"}, timeout=180)
    assert answer.status_code in (200, 201), answer.text
    report = answer.json()["id"]
    last = len(httpx.get(f"{server}/api/reports/{report}").json()["claims"]) - 1
    assert last > 15, "the long report has too few claims to reach its foot"
    context = browser.new_context(viewport={"width": width, "height": 900 if width > 500 else 844})
    tab = context.new_page()
    try:
        tab.goto(f"{server}/reports/{report}#claim-{last}")
        tab.wait_for_load_state("load")
        tab.wait_for_timeout(300)
        assert_card_seen(tab, f"d-claim-{last}")
        tab.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        mark = tab.locator(f"#claim-{last}")
        mark.click(position={"x": 3, "y": 3})
        assert_card_seen(tab, f"d-claim-{last}")
    finally:
        context.close()


def test_charts_draw_their_data(server, page):
    # The place page: events per day at Kharkiv, as the ledger dates them.
    page.goto(server + "/places/Kharkiv")
    page.wait_for_selector("figure.chart[data-drawn]")
    data = json.loads(page.locator("#chart-place-data").text_content())
    events = httpx.get(server + "/api/events", params={"place": "Kharkiv", "limit": 1000}).json()["items"]
    dated: dict[str, int] = {}
    for e in events:
        if e["date"]:
            dated[e["date"]] = dated.get(e["date"], 0) + 1
    drawn = dict(zip(data["days"], data["series"][0]["values"]))
    assert {d: n for d, n in drawn.items() if n} == dated
    assert data["undated"] == sum(1 for e in events if not e["date"])
    assert int(page.locator("#chart-place").get_attribute("data-drawn")) == len(data["days"])
    canvas = page.locator("#chart-place canvas")
    assert canvas.count() == 1 and canvas.bounding_box()["width"] > 200
    inked = page.evaluate(
        """() => { const c = document.querySelector('#chart-place canvas');
                   const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                   let n = 0; for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n++; return n; }"""
    )
    assert inked > 500, "the chart's canvas is blank"
    # The overview and the ceasefire board draw too; a board shades its period and marks its events.
    page.goto(server + "/")
    page.wait_for_selector("#chart-all[data-drawn]")
    page.goto(server + "/ceasefires")
    page.wait_for_selector("figure.chart[data-drawn]")
    boards = [json.loads(b.text_content()) for b in page.locator("figure.chart script[type='application/json']").all()]
    assert any(b["bands"] for b in boards) and any(b["marks"] for b in boards)


PAGES = (
    ("/", "overview"),
    ("/reports", "reports"),
    ("/claims", "claims"),
    ("/events", "timeline"),
    ("/map", "map"),
    ("/ceasefires", "ceasefires"),
    ("/blame", "blame"),
    ("/contested", "contested"),
    ("/search?q=shelling", "search"),
    ("/places/Kharkiv", "place"),
    ("/no/such/page", "not-found"),
)


@pytest.mark.parametrize("width", [1360, 390])
def test_screenshots_of_every_page(server, browser, shots_dir, width):
    """Every page at desktop width and at 390 px: saved for a person to look at, and checked for overflow."""
    context = browser.new_context(viewport={"width": width, "height": 900 if width > 500 else 844})
    handle, leaked = _offline(server)
    context.route("**/*", handle)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: errors.append(str(e)))
    try:
        event = httpx.get(server + "/api/events", params={"limit": 1}).json()["items"][0]["id"]
        report = _longest_report(server)
        actor = httpx.get(server + "/api/claims", params={"limit": 1}).json()["items"][0]["source"]
        cell = httpx.get(server + "/api/blame").json()["cells"][0]
        drill = "/blame/cell?" + httpx.QueryParams({"source": cell["source"], "target": cell["target"]}).__str__()
        pages = (*PAGES, (f"/events/{event}", "event"), (f"/reports/{report}", "report"),
                 (f"/actors/{actor}", "actor"), (drill, "blame-cell"), ("/blame?place=Idlib", "blame-idlib"),
                 ("/map?place=Kharkiv", "map-kharkiv"))
        for path, name in pages:
            response = tab.goto(server + path)
            assert response is not None and response.status == (404 if name == "not-found" else 200), path
            tab.wait_for_load_state("load")
            if name == "not-found":  # the page's own 404 is the one error expected
                errors[:] = [e for e in errors if "status of 404" not in e]
            if name.startswith("map"):
                tab.wait_for_selector("#map[data-ready='1']")
            tab.wait_for_timeout(150)
            tab.screenshot(path=str(shots_dir / f"{name}-{width}.png"), full_page=True)
            wide = tab.evaluate("document.documentElement.scrollWidth")
            assert wide <= width + 1, f"{path} is {wide} px wide at {width} px"
            header = tab.locator("header.top").bounding_box()
            assert header["height"] <= (130 if width < 500 else 80), f"{path}: the header takes {header['height']} px"
        assert not errors, errors[:5]
        assert not leaked, leaked[:5]
    finally:
        context.close()


def test_not_found_page_points_to_the_dashboard(server, page):
    page.goto(server + "/events/999999")
    text = page.locator("main").inner_text()
    assert "/api/" not in text
    assert page.locator("main a[href='/events']").count() == 1


def test_selecting_a_highlight_shows_its_details(server, page):
    page.goto(server + "/reports")
    page.locator("table.grid a").first.click()
    place = page.locator("mark.hl-place").first
    place.click()
    ref = place.get_attribute("data-ref")
    assert page.locator(f"#d-{ref}").is_visible()
    assert page.locator(f"#d-{ref} a.onward").get_attribute("href").startswith("/places/")


def test_hostile_report_renders_inert(server, page):
    payload = (
        "Hostile test report <script>window.__pwned = 1; alert(1)</script>\n\n"
        'Officials said an image <img src=x onerror="window.__pwned = 2; alert(2)"> appeared in Aleppo '
        'on Monday, and "</mark><svg onload=alert(3)>" was written on a wall, a witness said.\n'
    )
    answer = httpx.post(
        server + "/api/reports",
        json={
            "text": payload,
            "title": "<script>alert(4)</script>",
            "outlet": "Test <b>Outlet</b>",
            "published": "2020-01-06",
        },
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=120,
    )
    assert answer.status_code == 201, answer.text
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(server + answer.json()["url"])
    page.wait_for_load_state("load")
    page.locator("#report-text").click()
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
    assert "<script>window.__pwned = 1" in page.locator("#report-text").inner_text()
    assert "<script>alert(4)</script>" in page.locator("h1").inner_text()
    assert page.locator("#report-text img, #report-text script, #report-text svg").count() == 0
    shot(page, "hostile")
