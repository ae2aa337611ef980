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

This file is the driver (options, the loop over sizes, the JSON); what it measures lives next to it:
bench/stores.py (SQLite and Neo4j), bench/analyses.py (projection, betweenness, the suite's
subprocess), bench/render.py (the network page) and bench/summary.py (the table and the budgets).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._timing import _log, _now  # noqa: E402
from bench.analyses import bench_betweenness, bench_projection, bench_suite, suite_child  # noqa: E402
from bench.render import bench_render  # noqa: E402
from bench.stores import bench_neo4j, bench_sqlite, naive_load, subsample  # noqa: E402
from bench.summary import BUDGETS, check_budgets, print_table  # noqa: E402

__all__ = ["BUDGETS", "bench_betweenness", "bench_neo4j", "bench_projection", "bench_render", "bench_sqlite",
           "bench_suite", "check_budgets", "main", "naive_load", "parse_args", "print_table", "run", "subsample",
           "suite_child"]


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
    from synthetic.params import profile

    params = profile(args.profile)

    sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
    render_sizes = {int(x) for x in args.render_sizes.split(",") if x.strip()} if args.render_sizes else set()
    neo4j_why = "skipped (--no-neo4j)" if args.no_neo4j else _neo4j_available()
    res: dict[str, Any] = {
        "started": dt.datetime.now().isoformat(timespec="seconds"), "seed": args.seed, "profile": args.profile,
        "sizes": sizes,
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
        ds = generate(size, args.seed, params)
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
        r["suite"] = bench_suite(size, args.seed, args.suite_timeout, args.profile)
        if size in render_sizes:
            _log(f"size {size:,}: network page in Chromium")
            r["render"] = _guard("render", bench_render, db)
        res["per_size"][str(size)] = r
        if args.out:  # partial results survive a later failure or timeout
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(json.dumps(res, indent=2, default=str))
    if args.betweenness_actors:
        if proj_for_betweenness is None:
            ds_b = generate(args.betweenness_actors, args.seed, params)
            proj_for_betweenness = actor_projection(dataset_to_graph(ds_b))
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
    ap.add_argument("--profile", default="default", help="the generator's shape (synthetic.params.PROFILES): "
                    "default, or horizon2020 (calibrated to all of Horizon 2020, e.g. --sizes 35871)")
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
        suite_child(args.suite_child, args.seed, args.profile)
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
