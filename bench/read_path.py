#!/usr/bin/env python3
"""The Neo4j read path against SQLite's, side by side (issue 17, item 4).

    python bench/read_path.py --sizes 10000,100000 --analyse-sizes 10000 \
        --out bench/results/read-$(date +%Y%m%d-%H%M).json

For each size (actors; ``synthetic.generate`` with ``--seed``) the same records are written to a
fresh SQLite file and to the emptied Neo4j store (``NEO4J_URI`` ...); then, ``--repeat`` times and
interleaved (the machine is shared: load hits both alike), ``Store.read_graph`` of each (the whole
graph into NetworkX, what every analysis starts from). For ``--analyse-sizes``, ``partnet analyse``
is run as a subprocess on each store (wall time, the command's own start-up included). Prints the
medians and the Neo4j / SQLite ratios; writes the JSON (``--out``).

At 100,000 actors the one-transaction write needs a 3 GB server heap; on a smaller server set
``PARTNET_NEO4J_COMMIT_EVERY=50000`` (the write is then committed in chunks; the reads are the same).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._timing import _log, _now  # noqa: E402


def _analyse(args: list[str]) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    t0 = _now()
    subprocess.run([sys.executable, "-m", "partnet", "analyse", *args], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return _now() - t0


def run(args: argparse.Namespace) -> dict:
    """Write each size to both stores, then time the reads (and analyses) interleaved."""
    import synthetic
    from graph.config import Neo4jSettings
    from graph.neo4j_store import Neo4jStore
    from graph.sqlite_store import SQLiteStore

    work = Path(tempfile.mkdtemp(prefix="partnet-read-"))
    out: dict = {"sizes": {}}
    for size in args.sizes:
        ds = synthetic.generate(size, args.seed)
        db = work / f"read-{size}.db"
        with SQLiteStore(db) as st:
            st.write(ds)
        with Neo4jStore(Neo4jSettings.from_env()) as st:
            st.delete_all()
            _log(f"{size:,} actors: writing {len(ds):,} records to Neo4j")
            st.write(ds)
        del ds
        t: dict[str, list[float]] = {"sqlite_read_s": [], "neo4j_read_s": []}
        for i in range(args.repeat):
            _log(f"{size:,} actors: read round {i + 1}")
            with SQLiteStore(db, read_only=True) as st:
                t0 = _now()
                g = st.read_graph()
                t["sqlite_read_s"].append(_now() - t0)
            del g
            with Neo4jStore(Neo4jSettings.from_env(), read_only=True) as st:
                t0 = _now()
                g = st.read_graph()
                t["neo4j_read_s"].append(_now() - t0)
            nodes, edges = g.number_of_nodes(), g.number_of_edges()
            del g
        if size in args.analyse_sizes:
            t["sqlite_analyse_s"], t["neo4j_analyse_s"] = [], []
            for i in range(args.analyse_repeat):
                _log(f"{size:,} actors: partnet analyse round {i + 1}")
                t["sqlite_analyse_s"].append(_analyse(["--db", str(db)]))
                t["neo4j_analyse_s"].append(_analyse(["--store", "neo4j"]))
        med = {k: statistics.median(v) for k, v in t.items()}
        res = {"runs": t, "median": med, "nodes": nodes, "edges": edges,
               "read_ratio": med["neo4j_read_s"] / med["sqlite_read_s"]}
        if "neo4j_analyse_s" in med:
            res["analyse_ratio"] = med["neo4j_analyse_s"] / med["sqlite_analyse_s"]
        out["sizes"][size] = res
        with Neo4jStore(Neo4jSettings.from_env()) as st:
            st.delete_all()
    return out


def main(argv: list[str] | None = None) -> int:
    """Parse the options, run, print and save."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ints = lambda s: [int(x) for x in s.split(",") if x]  # noqa: E731
    ap.add_argument("--sizes", type=ints, default=[10_000, 100_000])
    ap.add_argument("--analyse-sizes", type=ints, default=[10_000])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--analyse-repeat", type=int, default=1)
    ap.add_argument("--out", type=Path)
    a = ap.parse_args(argv)
    out = run(a)
    for size, r in out["sizes"].items():
        m = r["median"]
        line = (f"{size:>7,} actors: read -> NetworkX SQLite {m['sqlite_read_s']:.1f} s, "
                f"Neo4j {m['neo4j_read_s']:.1f} s "
                f"({r['read_ratio']:.2f}x)")
        if "analyse_ratio" in r:
            line += (f"; partnet analyse SQLite {m['sqlite_analyse_s']:.1f} s, Neo4j {m['neo4j_analyse_s']:.1f} s "
                     f"({r['analyse_ratio']:.2f}x)")
        print(line)
    if a.out:
        a.out.parent.mkdir(parents=True, exist_ok=True)
        a.out.write_text(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
