"""Time to first render of the dashboard's network page, on the seed data and on a synthetic dataset.

    python bench/dashboard_render.py [--actors 10000] [--seed 0]

For each dataset: a fresh ``partnet serve`` on a free port; as soon as it accepts connections,
headless Chromium (``/usr/bin/chromium``, every non-loopback request blocked) opens ``/network``
and the clock stops when vis-network has drawn the canvas (the view's ``data-drawn`` mark): "cold",
the first visit, while the server's warm-up (`dashboard.warmup`) may still be computing;
``since_serve_s`` counts from launching ``partnet serve`` instead. Then the page is loaded again
("warm": what switching pages costs), and an actor's ego view is timed: typing its name into the
search until its ego network is drawn. Results go to stdout and ``bench/results/dashboard_render.json``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.browser import ARGS, CHROMIUM, block_outside, network_drawn, serve  # noqa: E402


def measure(db: Path, ego_name: str) -> dict:
    """Cold and warm first render of /network, and the ego view of ``ego_name``, on the store ``db``."""
    from playwright.sync_api import sync_playwright

    server = serve(["--db", str(db)])
    url = server.url
    external: list[str] = []
    out: dict = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1500, "height": 1000})

            block_outside(page, external)
            for label in ("cold", "warm"):
                t = time.monotonic()
                page.goto(f"{url}/network")
                info = network_drawn(page)
                out[label] = {"first_render_s": round(time.monotonic() - t, 2), **info}
                if label == "cold":
                    out[label].update(listening_s=server.listening_s, since_serve_s=round(server.since_launch(), 2))
            t = time.monotonic()
            box = page.get_by_role("combobox", name="Search an actor")
            if box.count():  # up to dashboard.pickers.LIST_LIMIT actors: one selectbox of them all
                box.click()
                box.fill(ego_name)
            else:  # more: a search box, then a selectbox of the matches
                search = page.get_by_role("textbox", name="Search an actor")
                search.fill(ego_name)
                search.press("Enter")
                page.get_by_role("combobox", name=re.compile(r"^[1-9][\d,]* match")).click()
            page.get_by_role("option").first.click()
            page.get_by_text("ego network of").first.wait_for(timeout=600_000)
            page.wait_for_timeout(100)
            info = network_drawn(page)
            out["ego"] = {"render_s": round(time.monotonic() - t, 2), **info}
            browser.close()
    finally:
        server.stop()
    out["external_requests"] = external
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--actors", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    from graph.sqlite_store import SQLiteStore
    from ingest import ingest
    from synthetic import generate

    results = {}
    with tempfile.TemporaryDirectory(prefix="partnet-bench-") as tmp:
        seed_db = Path(tmp) / "seed.db"
        with SQLiteStore(seed_db) as st:
            ingest(ROOT / "data" / "seed", st)
        results["seed"] = measure(seed_db, "European Trade Union Confed")
        syn_db = Path(tmp) / "synthetic.db"
        ds = generate(args.actors, seed=args.seed)
        with SQLiteStore(syn_db) as st:
            st.write(ds)
            counts = st.counts()
        results[f"synthetic_{args.actors}"] = {"counts": counts, **measure(syn_db, ds.actors[0].name[:12])}
    print(json.dumps(results, indent=2))
    out = ROOT / "bench" / "results" / "dashboard_render.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
