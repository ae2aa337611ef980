"""End to end: ``partnet serve`` on a free port, driven by Debian's headless Chromium through Playwright.

Every test runs once against each store: the embedded SQLite file and the Neo4j server (the one the
store contract tests use), both holding the seed data plus one hostile actor.

Every request that leaves the loopback is blocked and recorded (none may be attempted: no CDN, no
tiles, no telemetry); dialogs are recorded (an actor named ``<img src=x onerror=alert(1)>`` must
not fire one). Chromium is never downloaded: the test uses ``/usr/bin/chromium`` (or
``PARTNET_CHROMIUM``); without it the test skips on a developer machine and FAILS in CI
(``CI`` or ``PARTNET_REQUIRE_BROWSER`` set).
"""

from __future__ import annotations

import base64
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from graph.model import Actor, Dataset, Membership
from graph.sqlite_store import SQLiteStore

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("PARTNET_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
HOSTILE = "<img src=x onerror=alert(1)>"
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


def _require_browser() -> None:
    msg = ""
    if not Path(CHROMIUM).exists():
        msg = f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            msg = "the playwright Python package is not installed"
    if msg:
        if os.environ.get("CI") or os.environ.get("PARTNET_REQUIRE_BROWSER"):
            pytest.fail(msg)
        pytest.skip(msg)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(db: Path, *extra: str, store: str = "sqlite") -> Iterator[str]:
    """Run ``partnet serve`` on a free port until the block ends; yield its base URL.

    ``store`` sqlite serves the file ``db``; neo4j the server named by ``NEO4J_URI`` (``db``'s folder
    then only holds the log).
    """
    port = _free_port()
    log = open(db.parent / "serve.log", "w")  # noqa: SIM115 - closed below
    where = ["--db", str(db)] if store == "sqlite" else []
    proc = subprocess.Popen([sys.executable, "-m", "partnet", "serve", "--store", store, *where,
                             "--port", str(port), *extra], stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if proc.poll() is not None:
                    raise AssertionError((db.parent / "serve.log").read_text()) from None
                time.sleep(0.3)
        else:
            raise AssertionError("partnet serve did not listen within 60 s")
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


@contextlib.contextmanager
def open_page() -> Iterator[tuple]:
    """A Chromium page recording dialogs and every request that would leave the loopback (blocked)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1100})
        external: list[str] = []
        dialogs: list[str] = []

        def route(r) -> None:
            u = urlparse(r.request.url)
            if u.scheme in ("data", "blob", "about") or (u.hostname or "") in LOOPBACK:
                r.continue_()
            else:
                external.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        try:
            yield page, external, dialogs
        finally:
            browser.close()


@pytest.fixture(scope="module", params=["sqlite", "neo4j"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """``partnet serve`` on the seed data plus one hostile actor, in each store; yields the base URL."""
    _require_browser()
    from conftest import clear_neo4j

    from ingest import ingest

    db = tmp_path_factory.mktemp("browser") / "seed.db"
    hostile = Dataset(actors=[Actor("hostile-img", HOSTILE, "ngo", country="FR", city="Paris")],
                      memberships=[Membership("hostile-img", "unionmigrantnet-network", "partner")])
    if request.param == "neo4j":
        st = clear_neo4j(request.getfixturevalue("neo4j_store_session"))
        ingest(ROOT / "data" / "seed", st)
        st.write(hostile)
    else:
        with SQLiteStore(db) as st:
            ingest(ROOT / "data" / "seed", st)
            st.write(hostile)
    with serve(db, store=request.param) as url:
        yield url


@pytest.fixture
def browser_page():
    with open_page() as recorded:
        yield recorded


def _network_frame(page, timeout: float = 90):
    """The frame of the pyvis view once vis-network has drawn (its body gets ``data-drawn``)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for f in page.frames:
            try:
                if f.evaluate("() => document.body && document.body.getAttribute('data-drawn')") == "1":
                    return f
            except Exception:  # noqa: BLE001 - frames come and go while Streamlit reruns
                pass
        page.wait_for_timeout(200)
    raise AssertionError("the network canvas was never drawn")


def _drawn_pixels(frame) -> int:
    """Non-white pixels on the vis-network canvas (read back through toDataURL)."""
    url = frame.evaluate("() => document.querySelector('#net canvas').toDataURL('image/png')")
    png = base64.b64decode(url.split(",", 1)[1])
    import io

    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("RGB")
    return sum(1 for px in img.getdata() if px != (255, 255, 255))


def test_network_page_search_ego_offline(server: str, browser_page, tmp_path: Path) -> None:
    page, external, dialogs = browser_page
    t0 = time.monotonic()
    page.goto(f"{server}/network")
    frame = _network_frame(page)
    first_render = time.monotonic() - t0
    assert _drawn_pixels(frame) > 2000
    assert frame.locator("#legend li").count() >= 5
    with page.expect_download() as dl:  # the view's own PNG button (canvas.toBlob in the frame)
        frame.locator("#png").click()
    png = tmp_path / "view.png"
    dl.value.save_as(png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5_000

    # search an actor -> its ego network is drawn, with its details beside it
    box = page.get_by_role("combobox", name="Search an actor")
    box.click()
    box.fill("European Trade Union Confed")
    page.get_by_role("option", name="European Trade Union Confederation").first.click()
    page.get_by_text("ego network of European Trade Union Confederation").first.wait_for(timeout=60_000)
    page.wait_for_timeout(500)
    frame = _network_frame(page)
    assert frame.evaluate("() => window.partnetNetwork.getSelectedNodes()") == ["european-trade-union-confederation"]
    assert _drawn_pixels(frame) > 1000
    page.get_by_text("Partnerships (", exact=False).first.wait_for()
    shot = Path(os.environ.get("PARTNET_SCREENSHOT_DIR", tmp_path)) / "network-ego.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000

    assert external == [], f"requests left the machine: {external}"
    assert dialogs == []
    print(f"\nfirst render of the network page: {first_render:.1f} s; screenshot {shot}")


def test_hostile_name_is_text_everywhere(server: str, browser_page) -> None:
    page, external, dialogs = browser_page
    page.goto(f"{server}/network")
    frame = _network_frame(page)
    # the tooltip of the hostile node: shown as text, no element injected
    frame.evaluate("() => { const n = window.partnetNetwork; n.selectNodes(['hostile-img']); }")
    title = frame.evaluate("() => window.partnetNetwork.body.nodes['hostile-img'].options.title.textContent")
    assert HOSTILE in title
    assert frame.evaluate("() => document.querySelectorAll('img').length") == 0
    box = page.get_by_role("combobox", name="Search an actor")
    box.click()
    box.fill("img src")
    page.get_by_role("option").first.click()
    page.get_by_text(HOSTILE, exact=False).first.wait_for(timeout=60_000)
    assert page.locator("img[src='x']").count() == 0
    for name in ("actors", "partnerships", "gaps", "crossborder", "funding", "planner", "data", ""):
        page.goto(f"{server}/{name}")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(1500)
        assert page.locator("img[src='x']").count() == 0
        assert not page.get_by_text("Traceback").count()
    assert dialogs == [], dialogs
    assert external == [], external
