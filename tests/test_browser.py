"""End to end in a real headless Chromium: the dashboard over the demo data, driven by Playwright.

Needs Debian's ``chromium`` at /usr/bin/chromium and the ``playwright`` package
(Playwright's own browser download is not used); skips with a message when
either is missing. Screenshots of the main pages go to ``screenshots/``.
"""

from __future__ import annotations

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
SHOTS = Path(__file__).resolve().parents[1] / "screenshots"
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


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1360, "height": 900})
    tab = context.new_page()
    yield tab
    context.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


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


def test_map_marker_to_event_to_claim(server, page):
    page.goto(server + "/map")
    markers = page.locator("a.marker")
    assert markers.count() > 0, "the map shows no marker"
    shot(page, "map")
    # Follow markers until an event with claims behind it is found (most demo events have some).
    for i in range(markers.count()):
        page.goto(server + "/map")
        page.locator("a.marker").nth(i).click()
        page.wait_for_url(re.compile(r"/events/\d+$"))
        if page.locator(".side-by-side blockquote a").count():
            break
    else:
        pytest.fail("no event on the map has a claim to follow")
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
    assert page.locator(f"#d-{anchor}").is_visible(), "the claim's details are not shown"
    shot(page, "report")


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
