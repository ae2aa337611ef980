"""Render benchmark: the dashboard's network page, served by ``partnet serve`` on a SQLite store and driven
by headless Chromium through Playwright; seconds until vis-network has drawn, cold and warm.

Driven by bench/run.py (``--render-sizes``); bench/dashboard_render.py is the stand-alone, more
detailed version.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench._timing import _now

__all__ = ["bench_render"]

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_render(db: Path, timeout: float = 300.0) -> dict:
    """``partnet serve`` on ``db``; seconds from navigating to /network until vis-network has drawn
    (the view's body gets ``data-drawn="1"``), first visit (cold) and second visit (warm)."""
    chromium = os.environ.get("PARTNET_CHROMIUM", "/usr/bin/chromium")
    if not Path(chromium).exists():
        return {"status": f"no Chromium at {chromium}"}
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"status": "playwright not installed"}
    port = _free_port()
    log_path = db.with_suffix(".serve.log")
    with open(log_path, "w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "partnet", "serve", "--store", "sqlite", "--db", str(db),
                                 "--port", str(port)], stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
                                start_new_session=True)
    out: dict[str, Any] = {}
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    return {"status": "server did not start", "log": log_path.read_text()[-1500:]}
                time.sleep(0.3)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=[
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"])
            try:
                for visit in ("cold", "warm"):
                    page = browser.new_page(viewport={"width": 1400, "height": 1000})
                    page.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url
                               or r.request.url.startswith(("data:", "blob:", "about:")) else r.abort())
                    t0 = _now()
                    page.goto(f"http://127.0.0.1:{port}/network")
                    drawn = None
                    while _now() - t0 < timeout:
                        for f in page.frames:
                            try:
                                if f.evaluate("() => document.body && document.body.getAttribute('data-drawn')") \
                                        == "1":
                                    drawn = f
                                    break
                            except Exception:  # noqa: BLE001 - frames come and go while Streamlit reruns
                                pass
                        if drawn is not None:
                            break
                        page.wait_for_timeout(50)
                    if drawn is None:
                        out[f"{visit}_s"] = None
                        out["status"] = f"not drawn within {timeout:.0f} s"
                        break
                    out[f"{visit}_s"] = _now() - t0
                    ms = drawn.evaluate("() => document.body.getAttribute('data-draw-ms')")
                    out[f"{visit}_browser_draw_s"] = int(ms) / 1000 if ms else None
                    page.close()
                else:
                    out["status"] = "ok"
            finally:
                browser.close()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    return out
