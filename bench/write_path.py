#!/usr/bin/env python3
"""The Neo4j write path at Horizon-2020 size, side by side (issue 17, item 5).

    python bench/write_path.py --out bench/results/write-$(date +%Y%m%d-%H%M).json

Generates the network of ``--profile`` (default ``horizon2020`` at its measured size, 35,871 actors:
about 31,800 partnerships, 143,000 memberships, 26,000 funding records, 237,000 records in all, what
``partnet generate --profile horizon2020`` writes), writes it as import files, and runs ``partnet
ingest``'s code path (`ingest.pipeline.ingest`: reading, validation, the diff against the store,
one transaction) into an emptied Neo4j store (``NEO4J_URI`` ...) in each variant, ``--repeat``
times, interleaved so that the shared machine's load hits every variant alike:

- ``merge-10000``: every record by ``UNWIND ... MERGE`` in batches of 10,000 (partnet before issue 17);
- ``create-B``: records the plan found new by ``CREATE`` (`graph.neo4j_write`), relationship rows
  sorted by end node, batches of B rows (``--batches``): what ``partnet ingest`` does;
- SQLite: the same ingest into a fresh file;
- naive: one ``MERGE`` per record in its own transaction (bench/stores.py `naive_load`) on a closed
  subsample of ``--naive-records`` records, extrapolated linearly to the whole size.

Each Neo4j run is broken down (`Breakdown`): ``store_state`` (what the store holds), ``read_validate``
(reading, normalising, validating the files), ``diff`` (`graph.datasets.plan_import`), ``prepare``
(the parameter rows), one entry per table's statements, ``commit`` (the server making the
transaction durable) and ``rest``; plus the Neo4j server's CPU seconds when its pid is known
(``--server-pid``, default the pid file of ``$PARTNET_NEO4J_HOME``): unlike the wall clock, CPU time
barely depends on what else the machine runs. The load average is recorded before and after.

Prints the median of each variant, its median breakdown and the ratios; writes the JSON (``--out``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import tempfile
from collections.abc import Iterator
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


def _statement_tables() -> dict[str, str]:
    """Cypher text -> the table (or step) it writes, for the breakdown."""
    from graph import cypher
    out = {q: t for t, q in cypher.CREATE_NEW.items()}
    out.update({cypher.MERGE_ACTORS: "actors", cypher.MERGE_PARTNERSHIPS: "partnerships",
                cypher.MERGE_PART_OF: "part_of", cypher.MERGE_MEMBERSHIPS: "memberships",
                cypher.MERGE_FUNDING: "funding", cypher.MERGE_LINKS: "links"})
    return out


class Breakdown:
    """Seconds per stage of one ingest, measured by wrapping the stages' functions (see the module doc).

    Only statements of write transactions count. A statement's time runs from its ``tx.run`` to the
    next statement's (the writer consumes each result before sending the next); the last one ends
    when the transaction function returns, and ``commit`` is from then until the driver's
    ``execute_write`` returns.
    """

    def __init__(self) -> None:
        self.s: dict[str, float] = {}
        self._open: tuple[str, float] | None = None
        self.in_write = False
        self._tables = _statement_tables()

    def add(self, key: str, seconds: float) -> None:
        self.s[key] = self.s.get(key, 0.0) + seconds

    def _close(self, at: float) -> None:
        if self._open is not None:
            key, t0 = self._open
            self.add(key, at - t0)
            self._open = None

    def statement(self, query: str) -> None:
        t = _now()
        self._close(t)
        self._open = (f"cypher:{self._tables.get(query, 'other')}", t)

    @contextlib.contextmanager
    def active(self) -> Iterator[Breakdown]:
        """Wrap the pipeline's stages and the transaction's statements while the block runs."""
        import neo4j

        import graph.neo4j_datasets as nd
        import ingest.pipeline as pl
        import ingest.update as up
        from graph.neo4j_store import Neo4jStore
        me = self
        saved = [(pl, "store_state"), (pl, "_load"), (up, "plan_import"), (nd, "_prepare"),
                 (neo4j.ManagedTransaction, "run"), (Neo4jStore, "_run")]
        originals = [getattr(obj, name) for obj, name in saved]
        names = {"store_state": "store_state", "_load": "read_validate", "plan_import": "diff",
                 "_prepare": "prepare"}

        def timed(fn, key):
            def wrapper(*a, **k):
                t0 = _now()
                try:
                    return fn(*a, **k)
                finally:
                    me.add(key, _now() - t0)
            return wrapper

        def run(tx, query, *a, **k):
            if me.in_write:
                me.statement(query)
            return originals[4](tx, query, *a, **k)

        def store_run(store, doing, fn, *a, write=False, **k):
            if not write:
                return originals[5](store, doing, fn, *a, write=write, **k)
            ended: list[float] = []

            def tx_fn(tx, *b):
                me.in_write = True
                try:
                    return fn(tx, *b)
                finally:
                    t = _now()
                    me._close(t)
                    me.in_write = False
                    ended.append(t)
            out = originals[5](store, doing, tx_fn, *a, write=write, **k)
            if ended:
                me.add("commit", _now() - ended[-1])
            return out

        for (obj, name), fn in zip(saved[:4], originals[:4], strict=True):
            setattr(obj, name, timed(fn, names[name]))
        neo4j.ManagedTransaction.run = run
        Neo4jStore._run = store_run
        try:
            yield self
        finally:
            for (obj, name), fn in zip(saved, originals, strict=True):
                setattr(obj, name, fn)


def _server_cpu(pid: int | None) -> float | None:
    """User + system CPU seconds of process ``pid`` so far (Linux /proc), or ``None``."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError, TypeError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _ingest_neo4j(folder: Path, batch: int, create: bool, pid: int | None) -> tuple[float, dict[str, float]]:
    import graph.neo4j_datasets as nd
    from graph.config import Neo4jSettings
    from graph.neo4j_store import Neo4jStore
    from ingest.pipeline import ingest

    with Neo4jStore(Neo4jSettings.from_env(), batch_size=batch) as st:
        _clear(st)
        saved = nd.neo4j_write.create_new
        if not create:
            nd.neo4j_write.create_new = lambda plan, new: plan  # the MERGE-only loader
        bd = Breakdown()
        try:
            cpu0 = _server_cpu(pid)
            t0 = _now()
            with bd.active():
                ingest(folder, st)
            took = _now() - t0
            cpu1 = _server_cpu(pid)
        finally:
            nd.neo4j_write.create_new = saved
        _clear(st)
    parts = dict(bd.s)
    parts["rest"] = took - sum(parts.values())
    if cpu0 is not None and cpu1 is not None:
        parts["server_cpu"] = cpu1 - cpu0
    return took, parts


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


def _default_pid() -> int | None:
    home = os.environ.get("PARTNET_NEO4J_HOME")
    try:
        return int((Path(home) / "run" / "neo4j.pid").read_text().strip()) if home else None
    except (OSError, ValueError):
        return None


def run(args: argparse.Namespace) -> dict:
    """Every variant ``args.repeat`` times, interleaved; medians, breakdowns and ratios."""
    import synthetic
    from graph.config import Neo4jSettings
    from graph.neo4j_store import Neo4jStore
    from synthetic.params import PROFILE_SIZES, profile
    params = profile(args.profile)
    actors = args.actors or PROFILE_SIZES.get(args.profile, 47_500)
    work = Path(tempfile.mkdtemp(prefix="partnet-write-"))
    folder = work / "h2020"
    frames = synthetic.generate_frames(actors, args.seed, params)  # what `partnet generate` writes
    synthetic.write_csv_folder(frames, folder)
    counts = {t: len(df) for t, df in frames.items()}
    variants = {f"create-{b}": (b, True) for b in args.batches}
    if not args.no_merge:
        variants["merge-10000"] = (10_000, False)
    times: dict[str, list[float]] = {k: [] for k in [*variants, "sqlite"]}
    parts: dict[str, list[dict[str, float]]] = {k: [] for k in variants}
    load_before = os.getloadavg()
    for i in range(args.repeat):
        for name, (batch, create) in variants.items():
            _log(f"round {i + 1}: {name} (load {os.getloadavg()[0]:.1f})")
            took, bd = _ingest_neo4j(folder, batch, create, args.server_pid)
            times[name].append(took)
            parts[name].append(bd)
        times["sqlite"].append(_ingest_sqlite(folder, work))
    med = {k: statistics.median(v) for k, v in times.items()}
    breakdown = {k: {p: statistics.median(r.get(p, 0.0) for r in runs) for p in runs[0]} for k, runs in parts.items()}
    best = min(variants, key=med.get)
    out = {"profile": args.profile, "actors": actors, "records": sum(counts.values()), "counts": counts,
           "runs": times, "median_s": med, "breakdown_median_s": breakdown, "best": best,
           "load_before": load_before, "load_after": os.getloadavg(),
           "ratio_best_to_sqlite": med[best] / med["sqlite"]}
    if "merge-10000" in med:
        out["ratio_merge_to_best"] = med["merge-10000"] / med[best]
    if args.naive_records:
        ds = synthetic.generate(actors, args.seed, params)
        sub = subsample(ds, args.naive_records)
        with Neo4jStore(Neo4jSettings.from_env()) as st:
            _clear(st)
            t0 = _now()
            naive_load(st._driver, st.settings.database, sub)
            naive_s = _now() - t0
            _clear(st)
        naive_full = naive_s * len(ds) / len(sub)
        out.update({"naive_records": len(sub), "naive_s": naive_s, "naive_full_estimate_s": naive_full,
                    "ratio_naive_to_best": naive_full / med[best]})
    return out


def main(argv: list[str] | None = None) -> int:
    """Parse the options, run, print and save."""
    from synthetic.params import PROFILES
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--profile", choices=list(PROFILES), default="horizon2020")
    ap.add_argument("--actors", type=int, default=None, help="default: the profile's measured size")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--batches", type=lambda s: [int(x) for x in s.split(",")], default=[10_000])
    ap.add_argument("--no-merge", action="store_true", help="skip the MERGE-only variant")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--naive-records", type=int, default=2_000, help="0 skips the naive loader")
    ap.add_argument("--server-pid", type=int, default=_default_pid())
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    out = run(args)
    print(f"{args.profile}: {out['records']:,} records ({out['actors']:,} actors); load average "
          f"{out['load_before'][0]:.1f} before, {out['load_after'][0]:.1f} after")
    for k, v in out["median_s"].items():
        print(f"{k:>14}: {v:6.1f} s (median of {len(out['runs'][k])})")
        if k in out["breakdown_median_s"]:
            print(" " * 16 + ", ".join(f"{p} {s:.1f}" for p, s in out["breakdown_median_s"][k].items()))
    line = f"best {out['best']}; best / SQLite {out['ratio_best_to_sqlite']:.2f}x"
    if "ratio_merge_to_best" in out:
        line += f"; MERGE-only / best {out['ratio_merge_to_best']:.2f}x"
    if "naive_full_estimate_s" in out:
        line += f"; naive (extrapolated) {out['naive_full_estimate_s']:.0f} s: {out['ratio_naive_to_best']:.0f}x"
    print(line)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
