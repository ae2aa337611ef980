"""The network page's aggregated view (the network map) at programme scale, in headless Chromium.

    python bench/network_map.py --db STORE.db [--shots DIR]

A fresh ``partnet serve`` on the store; Chromium (every non-loopback request blocked) opens
``/network``: seconds until vis-network has drawn, cold (first visit after the start) and warm; a
screenshot of the page; the drill-down into the largest community (``?community=ID``), timed; the
offline HTML download saved and opened from disk with every request blocked (it must still draw).
Results go to stdout and ``bench/results/network_map.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.browser import ARGS, CHROMIUM, block_outside, network_drawn, serve  # noqa: E402


def _largest_community(page) -> str | None:
    """The id of the first (largest) community of the drill-down selectbox, from the drawn map."""
    for f in page.frames:
        try:
            ids = f.evaluate("() => window.partnetNetwork && window.partnetNetwork.body.data.nodes.getIds()")
        except Exception:  # noqa: BLE001 - frames are replaced while Streamlit reruns
            continue
        if ids:
            sizes = f.evaluate("() => window.partnetNetwork.body.data.nodes.get().map(n => [n.id, n.size])")
            real = [(i, s) for i, s in sizes if not str(i).startswith("-")]
            return max(real, key=lambda t: t[1])[0] if real else None
    return None


def measure(db: Path, shots: Path) -> dict:
    """Cold/warm first render of the map, its drill-down, and the offline download opened from disk."""
    from playwright.sync_api import sync_playwright

    shots.mkdir(parents=True, exist_ok=True)
    server = serve(["--db", str(db)])
    url = server.url
    external: list[str] = []
    out: dict = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1500, "height": 1100}, accept_downloads=True)
            block_outside(page, external)
            for label in ("cold", "warm"):
                t = time.monotonic()
                page.goto(f"{url}/network")
                info = network_drawn(page)
                out[label] = {"first_render_s": round(time.monotonic() - t, 2), **info}
                if label == "cold":
                    out[label]["since_serve_s"] = round(server.since_launch(), 2)
            page.wait_for_timeout(1500)
            page.screenshot(path=str(shots / "network-map.png"), full_page=True)
            with page.expect_download() as dl:
                page.get_by_role("button", name="Download this view (offline HTML)").click()
            offline = shots / "network-map-offline.html"
            dl.value.save_as(offline)
            c = _largest_community(page)
            if c is not None:
                t = time.monotonic()
                page.goto(f"{url}/network?community={c}")
                page.get_by_text("Back to the whole network").first.wait_for(timeout=600_000)
                page.wait_for_timeout(300)
                out["drill"] = {"community": c, "render_s": round(time.monotonic() - t, 2), **network_drawn(page)}
                page.screenshot(path=str(shots / "network-drill.png"), full_page=True)
            fetched: list[str] = []
            disk = browser.new_page(viewport={"width": 1400, "height": 900})
            disk.route("**/*", lambda r: (r.continue_() if r.request.url.startswith("file:")
                                          else (fetched.append(r.request.url), r.abort())))
            t = time.monotonic()
            disk.goto(offline.as_uri())
            out["offline_file"] = {"bytes": offline.stat().st_size, "render_s": round(time.monotonic() - t, 2),
                                   **network_drawn(disk), "requests_attempted": fetched}
            disk.screenshot(path=str(shots / "network-map-offline.png"))
            browser.close()
    finally:
        server.stop()
    out["external_requests"] = external
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--shots", type=Path, default=ROOT / "bench" / "results" / "network-map")
    args = ap.parse_args()
    from graph.sqlite_store import SQLiteStore

    with SQLiteStore(args.db, read_only=True) as st:
        counts = st.counts()
    results = {"counts": counts, **measure(args.db, args.shots)}
    print(json.dumps(results, indent=2))
    out = ROOT / "bench" / "results" / "network_map.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
