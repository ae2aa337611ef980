"""The dashboard in headless Chromium, for the benchmarks: a fresh ``partnet serve``, the outside blocked, "drawn".

Shared by ``bench/dashboard_render.py``, ``bench/network_map.py`` and ``bench/first_visit.py``:

- `serve` launches ``partnet serve`` on a free loopback port in its own process group and returns a
  `Server` once the port accepts connections (``listening_s``: seconds from the launch); its output
  goes to a log file in which the warm-up's lines (`dashboard.warmup`) are made visible by
  ``bench/serverlog/sitecustomize.py`` (put on the server's ``PYTHONPATH``), so `Server.warmup`
  can tell how long the boot warm-up took; `Server.stop` (SIGTERM to the group, then SIGKILL) ends it;
- `block_outside` lets a page reach only the loopback (every other request is recorded and aborted);
- `network_drawn` waits for vis-network to draw (the ``data-draw-ms`` mark of
  ``dashboard/templates/network.html``); `page_drawn` waits for a whole Streamlit page to be drawn
  (`DRAWN_JS` says exactly when) and stable for a quiet period.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("PARTNET_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
SERVERLOG = Path(__file__).resolve().parent / "serverlog"
_WARMED = re.compile(r"^PARTNET-BENCH (?P<t>[\d.]+) \S+ partnet: network page of .* warmed in (?P<s>[\d.]+) s$", re.M)
_WARM_FAILED = re.compile(r"^PARTNET-BENCH (?P<t>[\d.]+) \S+ (?P<msg>partnet: .*(?:failed|no warm-up).*)$", re.M)


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now (the OS's pick)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """A running ``partnet serve``: its process, ``url``, launch time and the log of its output."""

    proc: subprocess.Popen
    url: str
    launched: float  # time.monotonic() at the launch
    launched_wall: float  # time.time() at the launch (the log's clock)
    listening_s: float
    log: Path
    _own_log: bool = field(default=False, repr=False)

    def since_launch(self) -> float:
        """Seconds since the launch."""
        return time.monotonic() - self.launched

    def warmup(self) -> dict:
        """The boot warm-up as the server logged it: ``warmup_s`` (its own duration) and ``warmed_since_launch_s``
        (when it ended, from the launch), both None while unfinished; ``warmup_error`` when it failed."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        out: dict = {"warmup_s": None, "warmed_since_launch_s": None}
        m = _WARMED.search(text)
        if m:
            out.update(warmup_s=float(m["s"]), warmed_since_launch_s=round(float(m["t"]) - self.launched_wall, 2))
        f = _WARM_FAILED.search(text)
        if f:
            out["warmup_error"] = f["msg"]
        return out

    def wait_warmed(self, timeout: float) -> dict:
        """`warmup`, after waiting up to ``timeout`` seconds for the warm-up to end."""
        deadline = time.monotonic() + timeout
        while True:
            w = self.warmup()
            if w["warmup_s"] is not None or "warmup_error" in w or time.monotonic() > deadline:
                return w
            time.sleep(0.2)

    def stop(self) -> None:
        """SIGTERM to the server's process group (``partnet serve`` and its Streamlit child); SIGKILL after 30 s."""
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=30)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)
        if self._own_log:
            self.log.unlink(missing_ok=True)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve(store_args: list[str], *, env: dict[str, str] | None = None, log: Path | None = None,
          timeout: float = 120.0) -> Server:
    """Launch ``partnet serve STORE_ARGS --port PORT`` and return once it listens.

    ``store_args`` are the store options (``["--db", path]`` or ``["--store", "neo4j"]``); ``env``
    extra environment variables (``PARTNET_READ_ONLY``...). The output goes to ``log`` (a temporary
    file, removed by `Server.stop`, when None). Raises RuntimeError with the log's end when the
    server exits or does not listen within ``timeout`` seconds.
    """
    port = free_port()
    own = log is None
    if log is None:
        fd, name = tempfile.mkstemp(prefix="partnet-serve-", suffix=".log")
        os.close(fd)
        log = Path(name)
    full = {**os.environ, **(env or {})}
    full["PYTHONPATH"] = os.pathsep.join([str(SERVERLOG), str(ROOT), *filter(None, [full.get("PYTHONPATH")])])
    cmd = [sys.executable, "-m", "partnet", "serve", *store_args, "--port", str(port)]
    with log.open("wb") as out:
        launched, launched_wall = time.monotonic(), time.time()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=full, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    server = Server(proc, f"http://127.0.0.1:{port}", launched, launched_wall, 0.0, log, own)
    deadline = launched + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                server.listening_s = round(time.monotonic() - launched, 2)
                return server
        except OSError:
            time.sleep(0.05)
    tail = log.read_text(errors="replace")[-2000:]
    server.stop()
    raise RuntimeError(f"partnet serve did not start listening ({' '.join(cmd[2:])}):\n{tail}")


def block_outside(page, external: list[str]) -> None:
    """Let ``page`` reach only the loopback (and data:/blob:/about:); record and abort every other request."""

    def route(r) -> None:
        host = urlparse(r.request.url).hostname or ""
        if r.request.url.startswith(("data:", "blob:", "about:")) or host in ("127.0.0.1", "localhost"):
            r.continue_()
        else:
            external.append(r.request.url)
            r.abort()

    page.route("**/*", route)


def network_drawn(page, timeout: float = 600.0) -> dict:
    """Wait until a vis-network view in one of ``page``'s frames has drawn; its ``vis_draw_s`` and ``nodes_drawn``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for f in page.frames:
            try:
                ms = f.evaluate("() => document.body && document.body.getAttribute('data-draw-ms')")
            except Exception:  # noqa: BLE001 - frames are replaced while Streamlit reruns
                continue
            if ms is not None:
                nodes = f.evaluate("() => window.partnetNetwork.body.data.nodes.length")
                return {"vis_draw_s": int(ms) / 1000, "nodes_drawn": nodes}
        page.wait_for_timeout(50)
    raise RuntimeError("the network was never drawn")


#: The main frame's state, polled by `page_drawn`. A page is drawn when Streamlit's app reports its
#: script finished (``data-test-script-state="notRunning"``, connected), nothing is pending (no status
#: widget, no spinner, no skeleton, no element left stale from the previous run), the main block holds
#: at least one element, and every frame that marks its drawing (``data-drawn``: the network view)
#: has marked it. ``ran`` (information only) is false after `arm` until the script is seen running:
#: returning to a page, Streamlit may show its elements kept from the last visit (``retained``)
#: without ever showing the script as running.
DRAWN_JS = """() => {
  const q = (s) => document.querySelector(s);
  const app = q('[data-testid="stApp"]');
  const main = q('[data-testid="stMainBlockContainer"]');
  const frames = Array.from(document.querySelectorAll('iframe'));
  const exc = q('[data-testid="stException"]');
  return {
    path: location.pathname,
    state: app ? app.getAttribute('data-test-script-state') : null,
    connection: app ? app.getAttribute('data-test-connection-state') : null,
    status: !!q('[data-testid="stStatusWidget"]'),
    spinner: !!q('[data-testid="stSpinner"]'),
    skeleton: !!q('[data-testid="stSkeleton"], [data-testid="stAppSkeleton"]'),
    stale: document.querySelectorAll('[data-stale="true"]').length,
    retained: document.querySelectorAll('[data-retained="true"]').length,
    elements: main ? main.querySelectorAll('[data-testid="stElementContainer"]').length : 0,
    marked: frames.map((f) => (f.getAttribute('srcdoc') || '').includes('data-drawn')),
    exception: exc ? exc.innerText.slice(0, 3000) : null,
    ran: window.__partnetRan === undefined ? true : window.__partnetRan,
  };
}"""

_ARM_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return false;
  window.__partnetRan = false;
  if (window.__partnetObs) window.__partnetObs.disconnect();
  const attr = 'data-test-script-state';
  window.__partnetObs = new MutationObserver((records) => {
    for (const r of records) {
      if (r.oldValue === 'running' || app.getAttribute(attr) === 'running') window.__partnetRan = true;
    }
  });
  window.__partnetObs.observe(app, {attributes: true, attributeOldValue: true, attributeFilter: [attr]});
  return true;
}"""


def arm(page) -> bool:
    """Before an in-page navigation (a sidebar click): `page_drawn` then reports whether the script was seen running.

    False (nothing armed) when the page shows no Streamlit app."""
    return bool(page.evaluate(_ARM_JS))


def _frames_drawn(page, marked: list[bool]) -> tuple[bool, dict]:
    """Whether every iframe whose document marks its drawing has drawn; the first one's draw time and nodes."""
    if not any(marked):
        return True, {}
    els = page.query_selector_all("iframe")
    info: dict = {}
    for el, m in zip(els, marked, strict=False):
        if not m:
            continue
        try:
            f = el.content_frame()
            got = f and f.evaluate("() => document.body && [document.body.getAttribute('data-draw-ms'), "
                                   "window.partnetNetwork ? window.partnetNetwork.body.data.nodes.length : null]")
        except Exception:  # noqa: BLE001 - frames are replaced while Streamlit reruns
            return False, {}
        if not got or got[0] is None:
            return False, {}
        info.setdefault("vis_draw_s", int(got[0]) / 1000)
        info.setdefault("nodes_drawn", got[1])
    return True, info


def page_drawn(page, started: float, *, path: str | None = None, quiet: float = 0.5,
               timeout: float = 600.0, poll: float = 0.05) -> dict:
    """Wait until ``page`` is drawn (`DRAWN_JS`) and has stayed so for ``quiet`` seconds.

    ``started`` is the ``time.monotonic()`` of the navigation; ``path`` the URL path expected (the
    sidebar's navigation changes it when the new page runs). Returns ``seconds`` (from ``started`` to
    the first poll of the final quiet window: the last change seen, within ``poll`` plus one
    evaluation), ``elements``, ``run_seen`` and ``retained`` (see `DRAWN_JS`), ``exception`` (the
    text of a Streamlit exception box, else None) and, when a network was drawn, ``vis_draw_s`` and
    ``nodes_drawn``. On a timeout ``seconds`` is None and ``last`` holds the state last seen.
    """
    deadline = started + timeout
    since: float | None = None
    last: dict = {}
    info: dict = {}
    while time.monotonic() < deadline:
        now = time.monotonic()
        try:
            s = page.evaluate(DRAWN_JS)
        except Exception:  # noqa: BLE001 - the document is being replaced (navigation)
            s = None
        ok = bool(s) and s["state"] == "notRunning" and s["connection"] == "CONNECTED" \
            and not (s["status"] or s["spinner"] or s["skeleton"] or s["stale"]) and s["elements"] > 0 \
            and (path is None or s["path"].rstrip("/") == path.rstrip("/"))
        if ok:
            ok, info = _frames_drawn(page, s["marked"])
        if ok and s != last:
            since = now  # drawn, but not the state of the previous poll: the quiet window starts again
        elif not ok:
            since = None
        last = s or {}
        if since is not None and time.monotonic() - since >= quiet:
            return {"seconds": round(since - started, 2), "elements": last["elements"], "run_seen": last["ran"],
                    "retained": last["retained"], "exception": last["exception"], **info}
        page.wait_for_timeout(poll * 1000)  # not time.sleep: Playwright serves the routed requests meanwhile
    return {"seconds": None, "last": last}
