"""First visits to every dashboard page after a restart, in Chromium, with and without the store's stored results.

    python bench/first_visit.py --db STORE.db [--out FILE.json] [--pages /,network] [--nav click|goto]
                                [--repeat N] [--shots DIR] [--conditions stored,none] [--modes each,sequence]
    python bench/first_visit.py --store neo4j              # NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD

The store must hold the stored results of its current data version (``partnet analyse --write-back``).
Every page of ``dashboard/app.py`` (its ``PAGES``; URL paths by Streamlit's ``st.Page`` rules) is
timed in headless Chromium (``/usr/bin/chromium``, every non-loopback request blocked) from the
navigation until the page is drawn (`bench.browser.page_drawn`: Streamlit's script finished, no
status widget, spinner, skeleton or stale element, the main block filled, the network view's canvas
drawn, and all of it unchanged for ``--quiet`` seconds), in two conditions:

- ``stored``: ``partnet serve`` on the store as it is (an unchanged store holding its stored results);
- ``none``: the same store without stored results, served with ``PARTNET_READ_ONLY=1`` so that nothing
  is written back: SQLite, a copy of the file with the result tables emptied; Neo4j, the same database
  with the ``partnet_*`` properties and the ``PartnetRun`` node removed, and the saved results
  written back at the end (the data version never changes).

In each condition: ``each``, every page visited first in its own freshly started server (the
server restarted before each page, the visit made as soon as it listens, or ``--settle`` seconds
later; a fresh browser context each time); ``sequence``, one restart, then every page in turn as a
user clicks through the sidebar (``--nav goto``: loading each page's URL instead), then ``warm``:
every page visited again in the same browser and server. Each restart records ``listening_s``
(launch of ``partnet serve`` to the port answering) and the boot warm-up (`dashboard.warmup`, as
the server logs it: its duration and when it ended, from the launch; None when the server was
stopped before it ended). ``--repeat N`` runs it all N times, the two conditions interleaved, and
reports medians. Tables per condition go to stdout, with the ratios stored/none; the JSON (keys
documented in `summarise`) to ``--out`` (default ``bench/results/first_visit.json``).
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.browser import ARGS, CHROMIUM, arm, block_outside, page_drawn, serve  # noqa: E402

APP = ROOT / "dashboard" / "app.py"
RESULT_TABLES = ("partnership_results", "actor_results", "result_runs")
VIEWPORT = {"width": 1500, "height": 1000}


def dashboard_pages(app: Path = APP) -> list[tuple[str, str]]:
    """The dashboard's pages as (title, URL path), in the order of ``PAGES`` in ``app``.

    Read from the source (``st.Page(...)`` calls), with Streamlit's rules: the default page is ``/``,
    else ``url_path`` when given, else the name inferred from the script's file name
    (`streamlit.source_util.page_icon_and_name`).
    """
    from streamlit.source_util import page_icon_and_name

    out = []
    for node in ast.walk(ast.parse(app.read_text())):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "Page"):
            continue
        kw = {k.arg: ast.literal_eval(k.value) for k in node.keywords if k.arg}
        script = Path(ast.literal_eval(node.args[0]))
        name = page_icon_and_name(script)[1]
        path = "" if kw.get("default") else str(kw.get("url_path") or name).strip("/")
        out.append((kw.get("title") or name.replace("_", " "), f"/{path}"))
    return out


def _store(store_args: list[str], read_only: bool = True):
    from graph.backends import open_store

    if store_args[0] == "--db":
        return open_store("sqlite", path=store_args[1], read_only=read_only)
    return open_store("neo4j", read_only=read_only)


def describe(store_args: list[str]) -> dict:
    """The store's counts, data version and whether it holds stored results for it (the dashboard's parameters)."""
    from analysis.results import results_params

    with _store(store_args) as st:
        return {"counts": st.counts(), "data_version": st.data_version(),
                "stored_results": st.read_results(results_params()) is not None}


@contextlib.contextmanager
def without_results(store_args: list[str], tmp: Path) -> Iterator[list[str]]:
    """The store options of the same store without stored results (see the module's docstring)."""
    if store_args[0] == "--db":
        copy = tmp / "no-results.db"
        src, dst = sqlite3.connect(f"file:{store_args[1]}?mode=ro", uri=True), sqlite3.connect(copy)
        with src, dst:
            src.backup(dst)
            for t in RESULT_TABLES:
                dst.execute(f"DELETE FROM {t}")  # noqa: S608 - fixed table names
        src.close()
        dst.close()
        yield ["--db", str(copy)]
        return
    from analysis.results import results_params
    from graph.cypher_results import CLEAR_ACTORS, CLEAR_PARTNERSHIPS

    with _store(store_args, read_only=False) as st:
        saved = st.read_results(results_params())
        for q in (CLEAR_ACTORS, CLEAR_PARTNERSHIPS, "MATCH (r:PartnetRun) DETACH DELETE r"):
            st._driver.execute_query(q, database_=st.settings.database)  # no Store API removes results
    try:
        yield store_args
    finally:
        if saved is not None:
            with _store(store_args, read_only=False) as st:
                st.write_results(saved)


def _restart(store_args: list[str], env: dict[str, str], settle: float):
    server = serve(store_args, env=env)
    if settle:
        time.sleep(settle)
    return server


def _go(page, url: str, path: str, nav: str, opts: argparse.Namespace) -> dict:
    """Navigate to ``path`` (a sidebar click when ``nav`` is click and the link is there, else loading the URL)
    and wait until drawn; the result of `bench.browser.page_drawn` plus ``nav`` (how it was reached)."""
    here = page.evaluate("() => location.pathname")
    how = "goto"
    t = time.monotonic()
    if nav == "click" and here.rstrip("/") != path.rstrip("/") and arm(page):
        t = time.monotonic()
        clicked = page.evaluate("""(p) => {
          const a = Array.from(document.querySelectorAll('[data-testid="stSidebarNav"] a'))
            .find((a) => new URL(a.href).pathname.replace(/\\/$/, '') === p.replace(/\\/$/, ''));
          if (a) a.click();
          return !!a;
        }""", path)
        how = "click" if clicked else "goto"
    if how == "goto":
        t = time.monotonic()
        page.goto(url + path, wait_until="commit")
    return {**page_drawn(page, t, path=path, quiet=opts.quiet, timeout=opts.timeout), "nav": how}


def visit_each(browser, store_args: list[str], env: dict[str, str], pages: list[tuple[str, str]],
               opts: argparse.Namespace, external: list[str], label: str = "") -> list[dict]:
    """Each page as the first visit of a freshly started server, in a fresh browser context."""
    out = []
    for title, path in pages:
        server = _restart(store_args, env, opts.settle)
        try:
            ctx = browser.new_context(viewport=VIEWPORT)
            page = ctx.new_page()
            block_outside(page, external)
            t = time.monotonic()
            page.goto(server.url + path, wait_until="commit")
            got = page_drawn(page, t, path=path, quiet=opts.quiet, timeout=opts.timeout)
            since = server.since_launch()
            _shot(page, opts, f"{label}each{path}")
            ctx.close()
            out.append({"page": title, "path": path, **got, "since_launch_s": round(since, 2),
                        "listening_s": server.listening_s, **server.warmup()})
        finally:
            server.stop()
        _log(f"  {title:<16} {_fmt(got['seconds'])} s (listening {server.listening_s} s)")
    return out


def visit_sequence(browser, store_args: list[str], env: dict[str, str], pages: list[tuple[str, str]],
                   opts: argparse.Namespace, external: list[str], label: str = "") -> dict:
    """One restart, every page in turn (``first``), then every page again (``warm``), in one browser and server."""
    server = _restart(store_args, env, opts.settle)
    try:
        ctx = browser.new_context(viewport=VIEWPORT)
        page = ctx.new_page()
        block_outside(page, external)
        t = time.monotonic()
        page.goto(server.url + pages[0][1], wait_until="commit")
        first = [{"page": pages[0][0], "path": pages[0][1], **page_drawn(page, t, path=pages[0][1], quiet=opts.quiet,
                                                                           timeout=opts.timeout), "nav": "goto"}]
        _shot(page, opts, f"{label}sequence{pages[0][1]}")
        for title, path in pages[1:]:
            first.append({"page": title, "path": path, **_go(page, server.url, path, opts.nav, opts)})
            _shot(page, opts, f"{label}sequence{path}")
        all_first = round(server.since_launch(), 2)
        warm = [{"page": title, "path": path, **_go(page, server.url, path, opts.nav, opts)} for title, path in pages]
        ctx.close()
        return {"listening_s": server.listening_s, "all_pages_since_launch_s": all_first,
                **server.wait_warmed(opts.timeout), "first": first, "warm": warm}
    finally:
        server.stop()


def _shot(page, opts: argparse.Namespace, name: str) -> None:
    """With ``--shots DIR``: a screenshot of the page as drawn (after the clock stopped)."""
    if opts.shots:
        opts.shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(opts.shots / f"{name.rstrip('/').replace('/', '-')}.png"))


_NUMBERS = ("seconds", "since_launch_s", "listening_s", "warmup_s", "warmed_since_launch_s",
            "all_pages_since_launch_s")


def _median(xs: list) -> float | None:
    xs = [x for x in xs if x is not None]
    return round(statistics.median(xs), 2) if xs else None


def _merged(runs: list[dict]) -> dict:
    """One record of ``runs`` (the same page or sequence, repeated): the numbers are medians over the runs
    (``seconds_all`` keeps every run's seconds, None for a timeout); the rest is the first run's."""
    out = {**runs[0], **{k: _median([r.get(k) for r in runs]) for k in _NUMBERS if k in runs[0]}}
    if len(runs) > 1 and "seconds" in out:
        out["seconds_all"] = [r["seconds"] for r in runs]
    for key in ("first", "warm"):
        if key in out:
            out[key] = [_merged(list(rows)) for rows in zip(*(r[key] for r in runs), strict=True)]
    return out


def summarise(results: dict) -> str:
    """The tables: per condition, each page's first visit after its own restart, in the sequence, and warm;
    then the ratios stored/none.

    The JSON's keys: ``machine`` (cpus, load averages at start and end), ``store`` (`describe`),
    ``pages`` ([title, path]), ``settings``, ``conditions.{stored,none}.each`` (per page: ``seconds``
    to drawn or None on timeout, ``since_launch_s``, ``listening_s``, ``warmup_s``,
    ``warmed_since_launch_s``, ``elements``, ``exception``, ``vis_draw_s``/``nodes_drawn`` for a
    network) and ``.sequence`` (``listening_s``, ``warmup_s``, ``warmed_since_launch_s``,
    ``all_pages_since_launch_s``, ``first`` and ``warm`` lists with ``seconds`` and ``nav``),
    with ``--repeat N``, every number is the median of the N runs and ``seconds_all`` lists them;
    ``.stored_results_after`` (whether the store served held stored results at the end: true for
    stored, false for none), ``ratios`` (per page, each and in sequence: stored/none),
    ``external_requests`` (outside requests blocked: none expected).
    """
    lines = []
    conds = results["conditions"]
    for name, c in conds.items():
        each = {r["path"]: r for r in c.get("each", [])}
        seq = c.get("sequence") or {}
        first = {r["path"]: r for r in seq.get("first", [])}
        warm = {r["path"]: r for r in seq.get("warm", [])}
        lines += ["", f"condition: {name} ({_CONDITION[name]})",
                  f"{'page':<18}{'own restart s':>14}{'in sequence s':>15}{'warm s':>9}  notes"]
        for title, path in results["pages"]:
            notes = [n for r in (each.get(path), first.get(path), warm.get(path)) if r for n in _notes(r)]
            lines.append(f"{title:<18}{_fmt(_s(each, path)):>14}{_fmt(_s(first, path)):>15}{_fmt(_s(warm, path)):>9}"
                         f"  {'; '.join(dict.fromkeys(notes))}")
        if each:
            ls = sorted(r["listening_s"] for r in each.values())
            lines.append(f"restarts: launch to listening median {ls[len(ls) // 2]} s (min {ls[0]}, max {ls[-1]})")
        if seq:
            lines.append(f"sequence: listening {seq['listening_s']} s; boot warm-up {_fmt(seq.get('warmup_s'))} s, "
                         f"ended {_fmt(seq.get('warmed_since_launch_s'))} s after launch; all pages drawn "
                         f"{seq['all_pages_since_launch_s']} s after launch")
        if "stored_results_after" in c:
            lines.append(f"stored results in the store at the end: {'yes' if c['stored_results_after'] else 'no'}")
    if results.get("ratios"):
        lines += ["", "ratio stored / none (first visit)", f"{'page':<18}{'own restart':>12}{'in sequence':>13}"]
        for title, path in results["pages"]:
            r = results["ratios"].get(path, {})
            lines.append(f"{title:<18}{_fmt(r.get('each')):>12}{_fmt(r.get('sequence')):>13}")
    return "\n".join(lines)


_CONDITION = {"stored": "cold, stored results", "none": "cold, no stored results, PARTNET_READ_ONLY=1"}


def _s(rows: dict, path: str) -> float | None:
    return rows[path]["seconds"] if path in rows else None


def _notes(r: dict) -> list[str]:
    out = []
    if r.get("seconds") is None or None in r.get("seconds_all", []):
        out.append("TIMEOUT")
    if r.get("exception"):
        out.append("EXCEPTION: " + r["exception"].splitlines()[0][:60])
    if r.get("nodes_drawn") is not None:
        out.append(f"{r['nodes_drawn']} nodes drawn")
    return out


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


def _ratios(conds: dict) -> dict:
    if not {"stored", "none"} <= conds.keys():
        return {}
    out: dict = {}
    for key, rows_of in (("each", lambda c: c.get("each", [])),
                         ("sequence", lambda c: (c.get("sequence") or {}).get("first", []))):
        a = {r["path"]: r["seconds"] for r in rows_of(conds["stored"])}
        b = {r["path"]: r["seconds"] for r in rows_of(conds["none"])}
        for p in a.keys() & b.keys():
            if a[p] and b[p]:
                out.setdefault(p, {})[key] = round(a[p] / b[p], 3)
    return out


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    store = ap.add_mutually_exclusive_group(required=True)
    store.add_argument("--db", type=Path, help="SQLite store file")
    store.add_argument("--store", choices=["neo4j"], help="the Neo4j store of NEO4J_URI etc.")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "first_visit.json")
    ap.add_argument("--pages", default="", help="comma-separated URL paths or titles (default: every page)")
    ap.add_argument("--conditions", default="stored,none", help="stored, none or both (default)")
    ap.add_argument("--modes", default="each,sequence", help="each, sequence or both (default)")
    ap.add_argument("--nav", choices=["click", "goto"], default="click",
                    help="how the sequence and the warm visits move between pages (default: sidebar click)")
    ap.add_argument("--quiet", type=float, default=0.5, help="seconds a drawn page must stay unchanged")
    ap.add_argument("--settle", type=float, default=0.0, help="seconds to wait after the server listens")
    ap.add_argument("--timeout", type=float, default=600.0, help="seconds per page before giving up")
    ap.add_argument("--repeat", type=int, default=1, help="runs of everything, conditions interleaved; medians")
    ap.add_argument("--shots", type=Path, help="save a screenshot of every first visit as drawn in this folder")
    opts = ap.parse_args()

    store_args = ["--db", str(opts.db.resolve())] if opts.db else ["--store", "neo4j"]
    if opts.db and not opts.db.is_file():
        sys.exit(f"no such store file: {opts.db}")
    pages = dashboard_pages()
    if opts.pages:
        want = {w.strip().strip("/").lower() for w in opts.pages.split(",")}
        pages = [(t, p) for t, p in pages if p.strip("/").lower() in want or t.lower() in want]
    conditions = [c.strip() for c in opts.conditions.split(",") if c.strip()]
    modes = {m.strip() for m in opts.modes.split(",")}
    info = describe(store_args)
    if "stored" in conditions and not info["stored_results"]:
        sys.exit(f"the store holds no stored results for its data version {info['data_version']}: run "
                 f"`partnet analyse --write-back {' '.join(store_args)}` first")
    results: dict = {"machine": {"cpus": os.cpu_count(), "load_start": os.getloadavg(),
                                 "python": platform.python_version(), "commit": _commit()},
                     "store": {"args": store_args, **info}, "pages": pages,
                     "settings": {k: getattr(opts, k) for k in ("nav", "quiet", "settle", "timeout", "repeat")},
                     "conditions": {}}
    external: list[str] = []
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p, tempfile.TemporaryDirectory(prefix="partnet-firstvisit-") as tmp:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        raw: dict = {c: {"each": [], "sequence": [], "after": []} for c in conditions}
        for run in range(1, opts.repeat + 1):
            for cond in conditions:  # interleaved, so that both conditions see the same load
                _log(f"run {run}/{opts.repeat}, condition {cond}: {_CONDITION[cond]}")
                ctxm = without_results(store_args, Path(tmp)) if cond == "none" else contextlib.nullcontext(store_args)
                env = {"PARTNET_READ_ONLY": "1"} if cond == "none" else {}
                label = f"{cond}-{run}-"
                with ctxm as args:
                    if "each" in modes:
                        raw[cond]["each"].append(visit_each(browser, args, env, pages, opts, external, label))
                    if "sequence" in modes:
                        _log("  sequence and warm")
                        raw[cond]["sequence"].append(visit_sequence(browser, args, env, pages, opts, external, label))
                    raw[cond]["after"].append(describe(args)["stored_results"])  # none: still none (read-only held)
        browser.close()
    for cond, r in raw.items():
        c: dict = {"stored_results_after": all(r["after"]) if cond == "stored" else any(r["after"])}
        if r["each"]:
            c["each"] = [_merged(list(rows)) for rows in zip(*r["each"], strict=True)]
        if r["sequence"]:
            c["sequence"] = _merged(r["sequence"])
        results["conditions"][cond] = c
    after = describe(store_args)
    results["store"]["unchanged"] = (after["data_version"], after["stored_results"]) == \
        (info["data_version"], info["stored_results"])
    results["machine"]["load_end"] = os.getloadavg()
    results["ratios"] = _ratios(results["conditions"])
    results["external_requests"] = external
    print(f"store {' '.join(store_args)}: {info['counts'].get('Actor', 0):,} actors, "
          f"{info['counts'].get('Partnership', 0):,} partnerships; load average {results['machine']['load_start']} "
          f"-> {results['machine']['load_end']} on {os.cpu_count()} cpus")
    print(summarise(results))
    if external:
        print(f"\nBLOCKED {len(external)} outside requests: {external[:5]}")
    opts.out.parent.mkdir(parents=True, exist_ok=True)
    opts.out.write_text(json.dumps(results, indent=2))
    print(f"\nJSON: {opts.out}")


if __name__ == "__main__":
    main()
