#!/usr/bin/env python3
"""The Neo4j write path at Horizon-2020 size, side by side (issue 17, item 5).

    python bench/write_path.py --actors 47500 --out bench/results/write-$(date +%Y%m%d-%H%M).json

Generates the network (``synthetic.generate``; 47,500 actors give about 25,000 partnerships and
145,000 memberships, 240,000 records), writes it as import files, and runs ``partnet ingest``'s
code path (`ingest.pipeline.ingest`: reading, validation, the diff against the store, one
transaction) into an emptied Neo4j store (``NEO4J_URI`` ...) in each variant, ``--repeat`` times,
interleaved so that the shared machine's load hits every variant alike:

- ``merge-10000``: every record by ``UNWIND ... MERGE`` in batches of 10,000 (partnet before issue 17);
- ``create-B``: records the plan found new by ``CREATE`` (`graph.neo4j_write`), relationship rows
  sorted by end node, batches of B rows (``--batches``);
- SQLite: the same ingest into a fresh file;
- naive: one ``MERGE`` per record in its own transaction (bench/stores.py `naive_load`) on a closed
  subsample of ``--naive-records`` records, extrapolated linearly to the whole size.

Prints the median of each variant and the ratios; writes the JSON (``--out``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._timing import _log, _now  # noqa: E402
from bench.stores import naive_load, subsample  # noqa: E402


def _clear(st) -> None:
    st.delete_all()
    st._driver.execute_query("MATCH (n) WHERE n:PartnetHistory OR n:PartnetSource DETACH DELETE n",
                             database_=st.settings.database)


def _ingest_neo4j(folder: Path, batch: int, create: bool) -> float:
    import graph.neo4j_datasets as nd
    from graph.config import Neo4jSettings
    from graph.neo4j_store import Neo4jStore
    from ingest.pipeline import ingest

    with Neo4jStore(Neo4jSettings.from_env(), batch_size=batch) as st:
        _clear(st)
        saved = nd.neo4j_write.create_new
        if not create:
            nd.neo4j_write.create_new = lambda plan, new: plan  # the MERGE-only loader
        try:
            t0 = _now()
            ingest(folder, st)
            took = _now() - t0
        finally:
            nd.neo4j_write.create_new = saved
        _clear(st)
    return took


def _ingest_sqlite(folder: Path, work: Path) -> float:
    from graph.sqlite_store import SQLiteStore
    from ingest.pipeline import ingest

    path = work / "write-path.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    t0 = _now()
    with SQLiteStore(path) as st:
        ingest(folder, st)
    return _now() - t0


def run(args: argparse.Namespace) -> dict:
    """Every variant ``args.repeat`` times, interleaved; medians and ratios."""
    import synthetic
    from graph.config import Neo4jSettings
    from graph.neo4j_store import Neo4jStore
    work = Path(tempfile.mkdtemp(prefix="partnet-write-"))
    folder = work / "h2020"
    frames = synthetic.generate_frames(args.actors, args.seed)  # what `partnet generate` writes
    synthetic.write_csv_folder(frames, folder)
    counts = {t: len(df) for t, df in frames.items()}
    variants = {"merge-10000": (10_000, False), **{f"create-{b}": (b, True) for b in args.batches}}
    times: dict[str, list[float]] = {k: [] for k in [*variants, "sqlite"]}
    for i in range(args.repeat):
        for name, (batch, create) in variants.items():
            _log(f"round {i + 1}: {name}")
            times[name].append(_ingest_neo4j(folder, batch, create))
        times["sqlite"].append(_ingest_sqlite(folder, work))
    ds = synthetic.generate(args.actors, args.seed)
    sub = subsample(ds, args.naive_records)
    with Neo4jStore(Neo4jSettings.from_env()) as st:
        _clear(st)
        t0 = _now()
        naive_load(st._driver, st.settings.database, sub)
        naive_s = _now() - t0
        _clear(st)
    med = {k: statistics.median(v) for k, v in times.items()}
    best = min((k for k in variants), key=med.get)
    naive_full = naive_s * len(ds) / len(sub)
    return {"actors": args.actors, "records": sum(counts.values()), "counts": counts, "runs": times, "median_s": med,
            "best": best, "naive_records": len(sub), "naive_s": naive_s, "naive_full_estimate_s": naive_full,
            "ratio_naive_to_best": naive_full / med[best], "ratio_merge_to_best": med["merge-10000"] / med[best],
            "ratio_best_to_sqlite": med[best] / med["sqlite"]}


def main(argv: list[str] | None = None) -> int:
    """Parse the options, run, print and save."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--actors", type=int, default=47_500)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--batches", type=lambda s: [int(x) for x in s.split(",")], default=[2_000, 5_000, 10_000])
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--naive-records", type=int, default=2_000)
    ap.add_argument("--out", type=Path)
    out = run(ap.parse_args(argv))
    for k, v in out["median_s"].items():
        print(f"{k:>14}: {v:6.1f} s (median of {len(out['runs'][k])})")
    print(f"{out['records']:,} records; best {out['best']}; naive (extrapolated) {out['naive_full_estimate_s']:.0f} s: "
          f"{out['ratio_naive_to_best']:.0f}x; MERGE-only / best {out['ratio_merge_to_best']:.2f}x; "
          f"best / SQLite {out['ratio_best_to_sqlite']:.2f}x")
    if ap.parse_args(argv).out:
        ap.parse_args(argv).out.parent.mkdir(parents=True, exist_ok=True)
        ap.parse_args(argv).out.write_text(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
