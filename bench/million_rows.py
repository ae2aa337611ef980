"""A 1,000,000-row import file through `partnet ingest`: streamed, with a progress bar, in bounded memory.

    python bench/million_rows.py [--rows 1000000] [--store sqlite] [--keep DIR]

Writes a CSV folder whose ``actors.csv`` has ``--rows`` rows (plus one partnership and a
membership per 100 actors), then runs ``partnet ingest`` on it twice in a child process -
``--dry-run`` (read and validate only) and a real ingest into a fresh SQLite file - sampling
the child's resident memory (RSS, with its children) every 50 ms. Prints a table and writes
``bench/results/million_rows.json``: seconds, peak RSS in MiB, rows per second, whether a
progress bar was drawn, and the exit codes. Run on demand (not part of the test run).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
TYPES = ("ngo", "employer", "trade_union", "local_authority", "research", "migrant_organisation", "social_economy")
COUNTRIES = ("FR", "DE", "IT", "ES", "PT", "BE", "NL", "PL", "SE", "AT")


def write_folder(folder: Path, rows: int) -> dict[str, int]:
    """Stream the import files to ``folder`` (never holding the rows in memory); return rows per file."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "actors.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "name", "aliases", "type", "country", "city", "scope", "website", "source", "section"])
        for i in range(rows):
            w.writerow([f"org-{i}", f"Organisation n° {i} für Integration", f"O{i}", TYPES[i % len(TYPES)],
                        COUNTRIES[i % len(COUNTRIES)], f"City {i % 5000}", "", "", "bench", f"row {i}"])
    with open(folder / "partnerships.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "name", "kind", "start_year", "end_year"])
        w.writerow(["big-network", "Big network", "thematic_network", "2015", "2020"])
    n_members = rows // 100
    with open(folder / "memberships.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["actor_id", "partnership_id", "role"])
        for i in range(0, rows, 100):
            w.writerow([f"org-{i}", "big-network", "member"])
    return {"actors.csv": rows, "partnerships.csv": 1, "memberships.csv": n_members}


def measure(cmd: list[str], env: dict[str, str]) -> dict:
    """Run ``cmd``; sample its RSS (and its children's) every 50 ms; return time, peak RSS, output tail."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        p = psutil.Process(proc.pid)
        while not stop.is_set():
            try:
                rss = p.memory_info().rss + sum(c.memory_info().rss for c in p.children(recursive=True))
                peak = max(peak, rss)
            except psutil.Error:
                pass
            time.sleep(0.05)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    out, err = proc.communicate()
    stop.set()
    th.join()
    return {"seconds": round(time.perf_counter() - t0, 1), "peak_rss_mib": round(peak / 2**20, 1),
            "exit_code": proc.returncode, "progress_bar": "%|" in err or "it/s" in err or "rows/s" in err,
            "stdout_tail": out.strip().splitlines()[-8:], "stderr_tail": err.strip().splitlines()[-3:]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--keep", type=Path, default=None, help="write the files here and keep them")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="partnet-million-") as tmp:
        folder = args.keep or Path(tmp) / "import"
        t0 = time.perf_counter()
        sizes = write_folder(folder, args.rows)
        wrote = time.perf_counter() - t0
        size_mb = sum(f.stat().st_size for f in folder.glob("*.csv")) / 2**20
        env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100"}
        base = [sys.executable, "-m", "partnet", "ingest", str(folder), "--progress"]
        results = {
            "rows": args.rows, "files": sizes, "size_mib": round(size_mb, 1), "write_files_seconds": round(wrote, 1),
            "dry_run": measure([*base, "--dry-run", "--db", str(Path(tmp) / "none.db")], env),
            "sqlite_ingest": measure([*base, "--db", str(Path(tmp) / "million.db")], env),
        }
    for what in ("dry_run", "sqlite_ingest"):
        r = results[what]
        r["rows_per_second"] = round(args.rows / r["seconds"]) if r["seconds"] else None
    print(f"{args.rows:,} rows in actors.csv ({results['size_mib']} MiB)")
    print(f"{'run':<16}{'seconds':>9}{'peak RSS MiB':>14}{'rows/s':>10}{'exit':>6}{'progress bar':>14}")
    for what in ("dry_run", "sqlite_ingest"):
        r = results[what]
        print(f"{what:<16}{r['seconds']:>9}{r['peak_rss_mib']:>14}{r['rows_per_second']:>10,}{r['exit_code']:>6}"
              f"{'yes' if r['progress_bar'] else 'no':>14}")
    out = ROOT / "bench" / "results" / "million_rows.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1) + "\n")
    print(f"wrote {out}")
    return 0 if all(results[w]["exit_code"] == 0 for w in ("dry_run", "sqlite_ingest")) else 1


if __name__ == "__main__":
    sys.exit(main())
