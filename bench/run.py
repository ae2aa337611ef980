#!/usr/bin/env python3
"""partnet's benchmark: every comparison side by side, in one run, on the same synthetic data.

    python bench/run.py --sizes 1000,10000,100000 --out bench/results/$(date +%Y%m%d-%H%M).json

For each size (actors; the data from `synthetic.generate` with ``--seed``):

- generation time and the data's shape;
- SQLite: ``SQLiteStore.write`` (one transaction) records/s, and the read-back into NetworkX;
- Neo4j (``NEO4J_URI``/``NEO4J_USER``/``NEO4J_PASSWORD``, or ``--no-neo4j``): partnet's batched
  ``Neo4jStore.write`` against a naive loader that sends one ``MERGE`` per record in its own
  transaction, over the same server. The naive loader runs on a closed subsample of the same
  records (``--naive-records``, all of them when the dataset is smaller); partnet's loader runs
  on that same subsample *and* on the whole dataset. Two ratios are reported: on the identical
  subsample, and full-size partnet time against the naive rate extrapolated linearly to the full
  size (the naive cost per record is a round trip plus a commit, which does not grow with the
  store). When the whole write does not fit in one transaction on the server, the failure is
  reported and the write is repeated with the explicit ``commit_every`` option (``--commit-every``);
- projection: `analysis.projection.actor_projection` against
  ``networkx.bipartite.weighted_projected_graph`` on the bipartite graph (same edges checked);
- betweenness (once, at ``--betweenness-actors``): exact against sampled, time ratio and the
  Spearman rank correlation over the exact top 100;
- the whole analysis suite (`bench.suite`) per size in a subprocess: wall and CPU time, peak RSS;
- the network page (``--render-sizes``): ``partnet serve`` on a SQLite store of that size, driven
  by headless Chromium (``/usr/bin/chromium`` or ``PARTNET_CHROMIUM``) through Playwright: seconds
  from navigation to vis-network's first draw, cold (first visit after start: the page computes
  its analyses) and warm (second visit: cached).

Prints a table and writes the JSON (``--out``). Not part of the pytest run; tests/test_bench_smoke.py
runs it at a tiny size so it cannot rot.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import platform
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from graph.model import Dataset  # noqa: E402

BUDGETS = {
    "neo4j_ingest_100k_s": 60.0,
    "sqlite_ingest_100k_s": 15.0,
    "suite_100k_s": 60.0,
    "suite_100k_rss_gib": 4.0,
    "render_10k_s": 3.0,
    "neo4j_ratio": 30.0,
    "projection_ratio": 50.0,
    "betweenness_spearman": 0.95,
}


def _now() -> float:
    return time.perf_counter()


def _neo4j_pid() -> int | None:
    """The local server's JVM pid (``$PARTNET_NEO4J_HOME/neo4j.pid`` of scripts/neo4j-local), if known."""
    home = os.environ.get("PARTNET_NEO4J_HOME")
    pid_file = Path(home) / "neo4j.pid" if home else None
    try:
        return int(pid_file.read_text().strip()) if pid_file and pid_file.exists() else None
    except ValueError:
        return None


def _proc_cpu(pid: int | None) -> float | None:
    """CPU seconds (user + system) used so far by process ``pid`` (Linux /proc), or None."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def _log(msg: str) -> None:
    print(f"[{dt.datetime.now():%H:%M:%S}] {msg}", file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------------------------
# Neo4j: the naive loader
# ----------------------------------------------------------------------------------------------

_NAIVE = {
    "actors": ("MERGE (a:Actor {id: $id}) SET a.name = $name, a.aliases = $aliases, a.type = $type, "
               "a.family = $family, a.country = $country, a.city = $city, a.scope = $scope, a.website = $website, "
               "a.source = $source, a.section = $section"),
    "partnerships": ("MERGE (p:Partnership {id: $id}) SET p.name = $name, p.kind = $kind, p.code = $code, "
                     "p.theme = $theme, p.level = $level, p.start_year = $start_year, p.end_year = $end_year, "
                     "p.parent_id = $parent_id, p.source = $source, p.section = $section"),
    "part_of": ("MATCH (p:Partnership {id: $id}) MATCH (q:Partnership {id: $parent_id}) MERGE (p)-[:PART_OF]->(q)"),
    "memberships": ("MATCH (a:Actor {id: $actor_id}) MATCH (p:Partnership {id: $partnership_id}) "
                    "MERGE (a)-[r:MEMBER_OF]->(p) SET r.role = $role, r.source = $source, r.section = $section"),
    "funding": ("MATCH (f:Actor {id: $funder_id}) OPTIONAL MATCH (rp:Partnership {id: $recipient_id}) "
                "OPTIONAL MATCH (ra:Actor {id: $recipient_id}) WITH f, coalesce(rp, ra) AS r WHERE r IS NOT NULL "
                "MERGE (f)-[x:FUNDS {programme: $programme}]->(r) SET x.amount = $amount, x.currency = $currency, "
                "x.start_year = $start_year, x.end_year = $end_year, x.source = $source, x.section = $section"),
    "links": ("MATCH (s:Actor {id: $source_id}) MATCH (t:Actor {id: $target_id}) "
              "MERGE (s)-[x:LINKED_TO {kind: $kind}]->(t) SET x.year = $year, x.source = $source, "
              "x.section = $section"),
}


def naive_load(driver: Any, database: str | None, ds: Dataset) -> int:
    """Load ``ds`` with one MERGE statement per record, each in its own (auto-managed) transaction.

    The baseline partnet's batched loader is compared with: what a first script over the driver
    does. Returns the number of statements sent (one per record, plus one per PART_OF edge).
    """
    sent = 0

    def run(query: str, params: dict) -> None:
        nonlocal sent
        driver.execute_query(query, params, database_=database)
        sent += 1

    for a in ds.actors:
        run(_NAIVE["actors"], {**a.as_dict(), "aliases": list(a.aliases)})
    for p in ds.partnerships:
        run(_NAIVE["partnerships"], p.as_dict())
    for p in ds.partnerships:
        if p.parent_id:
            run(_NAIVE["part_of"], {"id": p.id, "parent_id": p.parent_id})
    for m in ds.memberships:
        run(_NAIVE["memberships"], m.as_dict())
    for f in ds.funding:
        run(_NAIVE["funding"], f.as_dict())
    for k in ds.links:
        run(_NAIVE["links"], k.as_dict())
    return sent


def subsample(ds: Dataset, records: int) -> Dataset:
    """A closed part of ``ds`` of about ``records`` records: the first partnerships, all their
    memberships and members, the funding into them (with its funders), links among the kept actors,
    and the same share of the other actors. References all resolve inside it."""
    if len(ds) <= records:
        return ds
    frac = records / len(ds)
    parts = ds.partnerships[: max(1, round(frac * len(ds.partnerships)))]
    pids = {p.id for p in parts}
    mems = [m for m in ds.memberships if m.partnership_id in pids]
    aids = {m.actor_id for m in mems}
    others = [a.id for a in ds.actors if a.id not in aids]
    aids |= set(others[: round(frac * len(others))])
    fund = [f for f in ds.funding if f.recipient_id in pids or f.recipient_id in aids]
    aids |= {f.funder_id for f in fund}
    return Dataset(
        actors=[a for a in ds.actors if a.id in aids],
        partnerships=[dataclasses.replace(p, parent_id=p.parent_id if p.parent_id in pids else "") for p in parts],
        memberships=mems, funding=fund,
        links=[k for k in ds.links if k.source_id in aids and k.target_id in aids],
    )


def bench_neo4j(ds: Dataset, args: argparse.Namespace) -> dict:
    """Naive vs batched Neo4j loading, and the read-back (see the module docstring)."""
    from graph.config import Neo4jSettings
    from graph.errors import StoreError
    from graph.neo4j_store import Neo4jStore

    settings = Neo4jSettings.from_env()
    out: dict[str, Any] = {"server": settings.uri}
    with Neo4jStore(settings) as st:
        st.commit_every = None  # partnet's default first: one transaction per write
        out["server_agent"] = st.info().details.get("server", "")
        sub = subsample(ds, args.naive_records)
        st.delete_all()
        _log(f"neo4j: naive loader on {len(sub):,} records")
        t0 = _now()
        sent = naive_load(st._driver, settings.database, sub)
        t_naive = _now() - t0
        st.delete_all()
        t0 = _now()
        st.write(sub)
        t_batched_sub = _now() - t0
        st.delete_all()
        out.update(naive_records=len(sub), naive_statements=sent, naive_s=t_naive,
                   naive_records_per_s=len(sub) / t_naive, batched_sub_s=t_batched_sub,
                   ratio_same_records=t_naive / t_batched_sub, naive_extrapolated=len(sub) < len(ds))
        _log(f"neo4j: batched write of {len(ds):,} records (one transaction)")
        pid = _neo4j_pid()
        t0, c0, s0 = _now(), time.process_time(), _proc_cpu(pid)
        try:
            st.write(ds)
            mode = "one transaction"
        except StoreError as e:
            if "too large for one transaction" not in str(e):
                raise
            out["one_transaction_error"] = str(e).splitlines()[0]
            out["one_transaction_failed_after_s"] = _now() - t0
            _log(f"neo4j: too large for one transaction; again with commit_every={args.commit_every:,}")
            st.delete_all()
            st.commit_every = args.commit_every
            t0, c0, s0 = _now(), time.process_time(), _proc_cpu(pid)
            st.write(ds)
            st.commit_every = None
            mode = f"chunks of {args.commit_every:,} rows"
        t_batched = _now() - t0
        s1 = _proc_cpu(pid)
        out["batched_client_cpu_s"] = time.process_time() - c0
        out["batched_server_cpu_s"] = s1 - s0 if s0 is not None and s1 is not None else None
        naive_full_est = len(ds) / out["naive_records_per_s"]
        out.update(mode=mode, batched_s=t_batched, batched_records_per_s=len(ds) / t_batched,
                   naive_full_estimate_s=naive_full_est, ratio=naive_full_est / t_batched)
        t0 = _now()
        g = st.read_graph()
        out["read_graph_s"] = _now() - t0
        out["read_nodes"], out["read_edges"] = g.number_of_nodes(), g.number_of_edges()
        del g
        st.delete_all()
    return out


# ----------------------------------------------------------------------------------------------
# SQLite, projection, betweenness
# ----------------------------------------------------------------------------------------------

def bench_sqlite(ds: Dataset, workdir: Path) -> tuple[dict, Path]:
    """One-transaction write and read-back of ``ds`` in a fresh SQLite file (kept for the render test)."""
    from graph.sqlite_store import SQLiteStore

    path = workdir / f"bench-{len(ds.actors)}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    with SQLiteStore(path) as st:
        t0, c0 = _now(), time.process_time()
        st.write(ds)
        t_write, c_write = _now() - t0, time.process_time() - c0
        t0 = _now()
        g = st.read_graph()
        t_read = _now() - t0
    return {"write_s": t_write, "write_cpu_s": c_write, "records_per_s": len(ds) / t_write, "read_graph_s": t_read,
            "read_nodes": g.number_of_nodes(), "read_edges": g.number_of_edges(),
            "file_mib": path.stat().st_size / 2**20}, path


def bench_projection(g: Any, nx_max_actors: int) -> dict:
    """partnet's sparse projection vs networkx's weighted_projected_graph on the same bipartite graph."""
    import networkx as nx
    import scipy.sparse as sp

    from analysis.projection import actor_projection, bipartite_graph, incidence_matrix

    t0 = _now()
    proj = actor_projection(g)
    t_ours = _now() - t0
    # the sparse core alone: incidence matrix and the upper triangle of B Bᵀ (shared counts), no graph built
    t0 = _now()
    b, _, _ = incidence_matrix(g)
    core = sp.triu(b @ b.T, k=1).tocoo()
    t_core = _now() - t0
    out: dict[str, Any] = {"partnet_s": t_ours, "partnet_core_s": t_core, "core_pairs": int(core.nnz),
                           "nodes": proj.number_of_nodes(), "edges": proj.number_of_edges()}
    n_actors = sum(1 for _, d in g.nodes(data=True) if d.get("label") == "Actor")
    if n_actors > nx_max_actors:
        out["networkx"] = f"not run (> --nx-max-actors {nx_max_actors:,})"
        return out
    t0 = _now()
    b = bipartite_graph(g)
    out["bipartite_graph_s"] = _now() - t0
    actors = [n for n, d in b.nodes(data=True) if d["bipartite"] == 0]
    t0 = _now()
    ref = nx.bipartite.weighted_projected_graph(b, actors)
    t_nx = _now() - t0
    # the same ties with the same shared-partnership counts (links excluded from the comparison)
    ours = {frozenset((u, v)): d["shared"] for u, v, d in proj.edges(data=True) if d["shared"]}
    theirs = {frozenset((u, v)): d["weight"] for u, v, d in ref.edges(data=True)}
    out.update(networkx_s=t_nx, ratio=t_nx / t_ours, ratio_core=t_nx / t_core, same_edges_and_weights=ours == theirs)
    return out


def bench_betweenness(proj: Any, k: int | None) -> dict:
    """Exact against sampled betweenness (analysis.centrality.betweenness) on one projection."""
    import numpy as np
    from scipy.stats import spearmanr

    from analysis.centrality import DEFAULT_SAMPLE_SIZE, betweenness

    n = proj.number_of_nodes()
    kk = k or DEFAULT_SAMPLE_SIZE
    t0 = _now()
    exact, m_exact, _ = betweenness(proj, exact_max_nodes=n + 1)
    t_exact = _now() - t0
    t0 = _now()
    approx, m_approx, used = betweenness(proj, exact_max_nodes=0, k=min(kk, n - 1))
    t_approx = _now() - t0
    top = sorted(exact, key=lambda v: (-exact[v], str(v)))[:100]
    rho = float(spearmanr([exact[v] for v in top], [approx[v] for v in top]).statistic)
    top_s = set(sorted(approx, key=lambda v: (-approx[v], str(v)))[:100])
    return {"nodes": n, "edges": proj.number_of_edges(), "exact_s": t_exact, "sampled_s": t_approx,
            "sources": used, "methods": [m_exact, m_approx], "time_ratio": t_exact / t_approx,
            "spearman_top100": rho, "top100_overlap": len(top_s & set(top)) / max(1, len(top)),
            "max_rel_error_top100": float(np.max([abs(approx[v] - exact[v]) / exact[v] for v in top if exact[v]]
                                                 or [0.0]))}


# ----------------------------------------------------------------------------------------------
# The analysis suite, in a subprocess (peak RSS of that process only)
# ----------------------------------------------------------------------------------------------

def suite_child(n: int, seed: int) -> None:
    """Run in the subprocess: build the graph, run the suite, print one JSON line."""
    from bench.suite import run_suite
    from graph.convert import dataset_to_graph
    from synthetic import generate

    t0 = _now()
    g = dataset_to_graph(generate(n, seed))
    t_graph = _now() - t0
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    c0 = time.process_time()
    res = run_suite(g, on_step=lambda row: print("SUITE-STEP " + json.dumps(row), flush=True))
    res["cpu_s"] = time.process_time() - c0
    res["graph_build_s"] = t_graph
    res["rss_after_graph_mib"] = rss_before / 1024
    res["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("SUITE-RESULT " + json.dumps(res), flush=True)


def bench_suite(n: int, seed: int, timeout: float) -> dict:
    """The suite at ``n`` actors in a fresh interpreter (so its peak RSS is its own)."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--suite-child", str(n), "--seed", str(seed)]
    t0 = _now()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        # what it did so far: the steps it finished and its peak RSS (VmHWM) before it is stopped
        hwm = None
        try:
            for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    hwm = int(line.split()[1]) / 1024
        except OSError:
            pass
        proc.kill()
        stdout, _ = proc.communicate()
        done = [json.loads(x[len("SUITE-STEP "):]) for x in stdout.splitlines() if x.startswith("SUITE-STEP ")]
        return {"status": f"timeout after {timeout:.0f} s", "wall_s": _now() - t0, "steps_done": done,
                "peak_rss_mib_so_far": hwm}
    for line in stdout.splitlines():
        if line.startswith("SUITE-RESULT "):
            res = json.loads(line[len("SUITE-RESULT "):])
            res["status"] = "ok" if all(s["status"] == "ok" for s in res["steps"]) else "partial"
            return res
    return {"status": "failed", "stderr": stderr[-2000:]}


# ----------------------------------------------------------------------------------------------
# The network page in headless Chromium
# ----------------------------------------------------------------------------------------------

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


# ----------------------------------------------------------------------------------------------
# Driver
# ----------------------------------------------------------------------------------------------

def _neo4j_available() -> str:
    from graph.config import Neo4jSettings

    if not os.environ.get("NEO4J_URI"):
        return "NEO4J_URI not set"
    try:
        from graph.neo4j_store import Neo4jStore

        Neo4jStore(Neo4jSettings.from_env(), read_only=True).close()
    except Exception as e:  # noqa: BLE001 - reported
        return str(e).splitlines()[0]
    return ""


def _fmt(v: Any, spec: str = ".1f") -> str:
    if v is None:
        return "-"
    if isinstance(v, str):
        return v
    return format(v, spec)


def print_table(res: dict) -> None:
    """The human-readable summary of one run."""
    rows: list[tuple[str, ...]] = []
    for size in res["sizes"]:
        r = res["per_size"][str(size)]
        c = r["data"]
        rows.append((f"{size:,} actors", f"{int(c['actors']):,} actors, {int(c['partnerships']):,} partnerships, "
                     f"{int(c['memberships']):,} memberships, {int(c['records']):,} records", ""))
        rows.append(("  generate", f"{r['generate_s']:.1f} s", ""))
        s = r["sqlite"]
        rows.append(("  SQLite write", f"{s['write_s']:.1f} s ({s['write_cpu_s']:.1f} s CPU) = "
                     f"{s['records_per_s']:,.0f} rec/s",
                     f"read -> NetworkX {s['read_graph_s']:.1f} s"))
        n = r.get("neo4j")
        if isinstance(n, dict):
            cpu = f"{n['batched_client_cpu_s']:.1f} s client" + (
                f" + {n['batched_server_cpu_s']:.1f} s server" if n.get("batched_server_cpu_s") is not None else "")
            rows.append(("  Neo4j batched write", f"{n['batched_s']:.1f} s ({cpu} CPU) = "
                         f"{n['batched_records_per_s']:,.0f} rec/s ({n['mode']})",
                         f"read -> NetworkX {n['read_graph_s']:.1f} s"))
            rows.append(("  Neo4j naive (1 MERGE/tx)",
                         f"{n['naive_records_per_s']:,.0f} rec/s on {n['naive_records']:,} records"
                         + (" (extrapolated)" if n["naive_extrapolated"] else ""),
                         f"ratio {n['ratio']:.0f}x (same {n['naive_records']:,} records: "
                         f"{n['ratio_same_records']:.0f}x)"))
        else:
            rows.append(("  Neo4j", str(n), ""))
        p = r["projection"] if isinstance(r["projection"], dict) else {"partnet_s": float("nan"), "edges": 0,
                                                                          "networkx": str(r["projection"])}
        rows.append(("  projection", f"partnet {p['partnet_s']:.2f} s ({_fmt(p.get('partnet_core_s'), '.2f')} s "
                     f"sparse core), {p['edges']:,} ties",
                     f"networkx {_fmt(p.get('networkx_s'), '.1f')} s, ratio {_fmt(p.get('ratio'), '.0f')}x "
                     f"(to the sparse core: {_fmt(p.get('ratio_core'), '.0f')}x)"
                     if "networkx_s" in p else p.get("networkx", "")))
        su = r["suite"]
        if "total_s" in su:
            bad = [f"{x['name']}:{x['status']}" for x in su["steps"] if x["status"] != "ok"]
            slow = sorted(su["steps"], key=lambda x: -x["seconds"])[:3]
            rows.append(("  analysis suite", f"{su['total_s']:.1f} s wall, {su['cpu_s']:.1f} s CPU, "
                         f"peak RSS {su['peak_rss_mib'] / 1024:.2f} GiB",
                         "slowest " + ", ".join(f"{x['name']} {x['seconds']:.0f}s" for x in slow)
                         + (f"; not ok: {', '.join(bad)}" if bad else "")))
        else:
            done = su.get("steps_done") or []
            rows.append(("  analysis suite", f"{su.get('status', '?')}" + (
                f", peak RSS so far {su['peak_rss_mib_so_far'] / 1024:.2f} GiB" if su.get("peak_rss_mib_so_far")
                else ""), "done: " + ", ".join(f"{x['name']} {x['seconds']:.0f}s" for x in done) if done else ""))
        if "render" in r:
            rd = r["render"] if isinstance(r["render"], dict) else {"status": r["render"]}
            rows.append(("  network page", f"first render {_fmt(rd.get('cold_s'), '.1f')} s cold, "
                         f"{_fmt(rd.get('warm_s'), '.1f')} s warm", f"{rd.get('status')}; in the browser "
                         f"(vis-network build + draw) {_fmt(rd.get('cold_browser_draw_s'), '.2f')} s"))
    if isinstance(res.get("betweenness"), dict):
        b = res["betweenness"]
        rows.append((f"betweenness @ {b['nodes']:,} nodes", f"exact {b['exact_s']:.1f} s, sampled "
                     f"({b['sources']} sources) {b['sampled_s']:.1f} s, ratio {b['time_ratio']:.1f}x",
                     f"Spearman top-100 {b['spearman_top100']:.3f}, overlap {b['top100_overlap']:.2f}"))
    w = [max(len(r[i]) for r in rows) for i in range(3)]
    print()
    for r in rows:
        print(f"{r[0]:<{w[0]}}  {r[1]:<{w[1]}}  {r[2]}")
    if res.get("budgets"):
        print("\nbudgets:")
        for k, v in res["budgets"].items():
            print(f"  {k:<28} {v}")
    print(f"\nmachine: {res['machine']['cpus']} CPUs, load average at start {res['machine']['load_start']}, "
          f"at end {res['machine'].get('load_end')}")


def check_budgets(res: dict) -> dict:
    """Each budget of the issue: the measured value and met / missed (or not measured)."""
    out: dict[str, str] = {}
    big = res["per_size"].get("100000")
    ten = res["per_size"].get("10000")

    def verdict(value: float | None, limit: float, *, higher_is_better: bool = False, unit: str = "") -> str:
        if value is None:
            return "not measured"
        ok = value >= limit if higher_is_better else value <= limit
        return f"{value:.2f}{unit} ({'met' if ok else 'MISSED'}, {'>=' if higher_is_better else '<='} {limit}{unit})"

    if big:
        n = big.get("neo4j")
        out["neo4j ingest 100k"] = verdict(n["batched_s"], BUDGETS["neo4j_ingest_100k_s"], unit=" s") + \
            (f" [{n['mode']}]" if isinstance(n, dict) else "") if isinstance(n, dict) else "not measured"
        out["sqlite ingest 100k"] = verdict(big["sqlite"]["write_s"], BUDGETS["sqlite_ingest_100k_s"], unit=" s")
        su = big["suite"]
        out["analysis suite 100k time"] = verdict(su.get("total_s"), BUDGETS["suite_100k_s"], unit=" s") \
            if "total_s" in su else su.get("status", "not measured")
        if "peak_rss_mib" in su:
            out["analysis suite 100k memory"] = verdict(su["peak_rss_mib"] / 1024, BUDGETS["suite_100k_rss_gib"],
                                                        unit=" GiB")
        elif su.get("peak_rss_mib_so_far"):
            out["analysis suite 100k memory"] = (f"{su['peak_rss_mib_so_far'] / 1024:.2f} GiB when stopped "
                                                 f"({su.get('status')}; <= {BUDGETS['suite_100k_rss_gib']} GiB so far)")
        else:
            out["analysis suite 100k memory"] = "not measured"
    if ten and isinstance(ten.get("render"), dict):
        out["network page 10k (cold)"] = verdict(ten["render"].get("cold_s"), BUDGETS["render_10k_s"], unit=" s")
        out["network page 10k (warm)"] = verdict(ten["render"].get("warm_s"), BUDGETS["render_10k_s"], unit=" s")
    ratios = [r["neo4j"]["ratio"] for r in res["per_size"].values() if isinstance(r.get("neo4j"), dict)]
    if ratios:
        out["neo4j batched/naive ratio (min)"] = verdict(min(ratios), BUDGETS["neo4j_ratio"], higher_is_better=True)
    pr = [r["projection"]["ratio"] for r in res["per_size"].values()
          if isinstance(r["projection"], dict) and "ratio" in r["projection"]]
    if pr:
        out["projection ratio (largest size)"] = verdict(pr[-1], BUDGETS["projection_ratio"], higher_is_better=True)
    if isinstance(res.get("betweenness"), dict):
        out["betweenness Spearman top-100"] = verdict(res["betweenness"]["spearman_top100"],
                                                      BUDGETS["betweenness_spearman"], higher_is_better=True)
    return out


def _guard(what: str, fn: Any, *a: Any) -> Any:
    """Run one part of the benchmark; a failure is recorded (and logged), not fatal to the run."""
    try:
        return fn(*a)
    except Exception as e:  # noqa: BLE001 - reported in the results
        _log(f"{what} failed: {type(e).__name__}: {e}")
        return f"failed: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"


def run(args: argparse.Namespace) -> dict:
    """The whole benchmark; returns the result dict (also written to ``args.out``)."""
    import networkx as nx

    from analysis.projection import actor_projection
    from graph.convert import dataset_to_graph
    from synthetic import describe, generate

    sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
    render_sizes = {int(x) for x in args.render_sizes.split(",") if x.strip()} if args.render_sizes else set()
    neo4j_why = "skipped (--no-neo4j)" if args.no_neo4j else _neo4j_available()
    res: dict[str, Any] = {
        "started": dt.datetime.now().isoformat(timespec="seconds"), "seed": args.seed, "sizes": sizes,
        "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "networkx": nx.__version__,
                    "load_start": [round(x, 2) for x in os.getloadavg()]},
        "per_size": {},
    }
    workdir = Path(tempfile.mkdtemp(prefix="partnet-bench-"))
    proj_for_betweenness = None
    for size in sizes:
        r: dict[str, Any] = {}
        _log(f"size {size:,}: generating")
        t0 = _now()
        ds = generate(size, args.seed)
        r["generate_s"] = _now() - t0
        r["data"] = {**describe(ds), "records": len(ds)}
        _log(f"size {size:,}: {len(ds):,} records; SQLite")
        r["sqlite"], db = bench_sqlite(ds, workdir)
        r["neo4j"] = _guard("neo4j", bench_neo4j, ds, args) if not neo4j_why else f"not run: {neo4j_why}"
        _log(f"size {size:,}: projection")
        g = dataset_to_graph(ds)
        r["projection"] = _guard("projection", bench_projection, g, args.nx_max_actors)
        if size == args.betweenness_actors:
            proj_for_betweenness = actor_projection(g)
        del g, ds
        _log(f"size {size:,}: analysis suite (subprocess)")
        r["suite"] = bench_suite(size, args.seed, args.suite_timeout)
        if size in render_sizes:
            _log(f"size {size:,}: network page in Chromium")
            r["render"] = _guard("render", bench_render, db)
        res["per_size"][str(size)] = r
        if args.out:  # partial results survive a later failure or timeout
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(json.dumps(res, indent=2, default=str))
    if args.betweenness_actors:
        if proj_for_betweenness is None:
            proj_for_betweenness = actor_projection(dataset_to_graph(generate(args.betweenness_actors, args.seed)))
        _log(f"betweenness exact vs sampled at {args.betweenness_actors:,} actors")
        res["betweenness"] = _guard("betweenness", bench_betweenness, proj_for_betweenness, args.betweenness_k)
    res["machine"]["load_end"] = [round(x, 2) for x in os.getloadavg()]
    res["budgets"] = check_budgets(res)
    res["finished"] = dt.datetime.now().isoformat(timespec="seconds")
    return res


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,100000", help="actor counts, comma-separated")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=None, help="JSON file to write (folders are created)")
    ap.add_argument("--no-neo4j", action="store_true", help="skip the Neo4j comparisons")
    ap.add_argument("--naive-records", type=int, default=1500, help="records the naive Neo4j loader sends per size")
    ap.add_argument("--commit-every", type=int, default=50_000,
                    help="rows per transaction when a write does not fit in one (Neo4jStore commit_every)")
    ap.add_argument("--nx-max-actors", type=int, default=100_000,
                    help="run networkx's projection only up to this many actors")
    ap.add_argument("--betweenness-actors", type=int, default=10_000,
                    help="size at which exact and sampled betweenness are compared (0: skip)")
    ap.add_argument("--betweenness-k", type=int, default=None, help="sources of the sampled betweenness "
                    "(default: analysis.centrality.DEFAULT_SAMPLE_SIZE)")
    ap.add_argument("--suite-timeout", type=float, default=1800.0, help="seconds per analysis-suite run")
    ap.add_argument("--render-sizes", default="1000,10000", help="sizes at which the network page is timed")
    ap.add_argument("--suite-child", type=int, default=None, help=argparse.SUPPRESS)
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.suite_child is not None:
        suite_child(args.suite_child, args.seed)
        return 0
    res = run(args)
    print_table(res)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(res, indent=2, default=str))
        print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
