#!/usr/bin/env python3
"""``partnet ingest --bulk`` against the online path and ``neo4j-admin`` alone, side by side (issue 17, item 5).

    eval "$(scripts/neo4j-local env)"   # the LOCAL server: the bulk path stops and starts it
    python bench/bulk_path.py --out bench/results/bulk-$(date +%Y%m%d-%H%M).json

Writes ``partnet generate --profile horizon2020`` files (35,871 actors, about 237,000 records),
then ``--repeat`` rounds, each variant once per round (interleaved: the machine is shared):

- ``bulk``: `ingest.bulk.bulk_ingest` into the emptied local server, end to end (validation, CSV
  files, server stop, import, server start, constraints), with its breakdown;
- ``online``: `ingest.pipeline.ingest` (``partnet ingest --store neo4j``) into the emptied server;
- ``tool``: ``neo4j-admin database import full`` alone on the same CSV files, into a scratch home
  (no server involved), with the bulk path's JVM options; ``tool-default-jvm``: the same with the
  JVM's defaults (what the JVM options gain);
- ``stop`` and ``start``: ``scripts/neo4j-local stop`` / ``start`` of the server on its own.

Prints the medians, the breakdown and the ratios: bulk / tool alone, bulk / (tool + stop +
start), the fair basis (the tool needs a stopped database), and online / bulk; writes the JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._timing import _log, _now  # noqa: E402


def _store():
    from graph.config import Neo4jSettings
    from graph.neo4j_store import Neo4jStore

    return Neo4jStore(Neo4jSettings.from_env())


def _clear() -> None:
    with _store() as st:
        st.delete_all()
        st._driver.execute_query("MATCH (n) WHERE n:PartnetHistory OR n:PartnetSource DETACH DELETE n",
                                 database_=st.settings.database)
        st._driver.execute_query("MATCH (m:PartnetMeta {key: 'meta'}) REMOVE m.history_seq",
                                 database_=st.settings.database)


def _bulk(folder: Path, csv: Path) -> dict:
    from ingest.bulk import bulk_ingest

    _clear()
    st = _store()
    try:
        return bulk_ingest(folder, st, work=csv)
    finally:
        st.close()


def _online(folder: Path) -> float:
    from ingest.pipeline import ingest

    _clear()
    with _store() as st:
        t0 = _now()
        ingest(folder, st, progress=False)
        return _now() - t0


def _script(what: str) -> float:
    from ingest.bulk import _script

    t0 = _now()
    _script(what)
    return _now() - t0


def _scratch_home(work: Path) -> Path:
    home = work / "scratch-home"
    (home / "conf").mkdir(parents=True, exist_ok=True)
    (home / "logs").mkdir(exist_ok=True)
    (home / "conf" / "neo4j.conf").write_text(f"server.directories.data={home / 'data'}\n"
                                              f"server.directories.logs={home / 'logs'}\n")
    return home


def run(args: argparse.Namespace) -> dict:
    """Every variant ``args.repeat`` times, interleaved; medians, breakdown and ratios."""
    from ingest.bulk import admin_import

    work = Path(tempfile.mkdtemp(prefix="partnet-bulk-bench-"))
    folder, csv, home = work / "h2020", work / "csv", _scratch_home(work)
    subprocess.run([sys.executable, "-m", "partnet", "generate", "--profile", "horizon2020", "--seed",
                    str(args.seed), str(folder)], check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    times: dict[str, list[float]] = {k: [] for k in ("bulk", "online", "tool", "tool-default-jvm", "stop", "start")}
    parts: dict[str, list[float]] = {}
    counts: dict = {}
    for i in range(args.repeat):
        _log(f"round {i + 1}: bulk")
        out = _bulk(folder, csv)
        times["bulk"].append(out["total_s"])
        for k in ("validate_s", "csv_s", "stop_s", "admin_import_s", "start_s", "schema_s"):
            parts.setdefault(k, []).append(out[k])
        counts = out["in_store"]
        _log(f"round {i + 1}: neo4j-admin alone")
        times["tool"].append(admin_import(out["admin_args"], home=home))
        times["tool-default-jvm"].append(admin_import(out["admin_args"], home=home, jvm=("-Xmx1g",)))
        _log(f"round {i + 1}: stop, start")
        times["stop"].append(_script("stop"))
        times["start"].append(_script("start"))
        _log(f"round {i + 1}: online")
        times["online"].append(_online(folder))
    _clear()
    shutil.rmtree(work, ignore_errors=True)  # files, CSV files and the scratch database: 80 MB at this size
    med = {k: statistics.median(v) for k, v in times.items()}
    fair = med["tool"] + med["stop"] + med["start"]
    return {"records": sum(counts.values()), "counts": counts, "runs": times, "median_s": med,
            "bulk_parts_median_s": {k: statistics.median(v) for k, v in parts.items()}, "bulk_parts_runs": parts,
            "tool_stop_start_s": fair, "ratio_bulk_to_tool": med["bulk"] / med["tool"],
            "ratio_bulk_to_tool_stop_start": med["bulk"] / fair, "ratio_online_to_bulk": med["online"] / med["bulk"],
            "ratio_default_jvm_to_tool": med["tool-default-jvm"] / med["tool"], "load_average": os.getloadavg()}


def main(argv: list[str] | None = None) -> int:
    """Parse the options, run, print and save."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--out", type=Path)
    a = ap.parse_args(argv)
    out = run(a)
    for k, v in out["median_s"].items():
        print(f"{k:>17}: {v:6.1f} s (median of {len(out['runs'][k])})")
    parts = out["bulk_parts_median_s"]
    print("bulk breakdown (medians): " + ", ".join(f"{k[:-2]} {v:.1f} s" for k, v in parts.items()))
    print(f"{out['records']:,} records; bulk / tool alone {out['ratio_bulk_to_tool']:.2f}x; bulk / (tool + stop + "
          f"start = {out['tool_stop_start_s']:.1f} s) {out['ratio_bulk_to_tool_stop_start']:.2f}x; online / bulk "
          f"{out['ratio_online_to_bulk']:.2f}x; tool with the JVM's defaults / with bulk's options "
          f"{out['ratio_default_jvm_to_tool']:.2f}x; load average {out['load_average'][0]:.1f}")
    if a.out:
        a.out.parent.mkdir(parents=True, exist_ok=True)
        a.out.write_text(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
