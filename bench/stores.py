"""Store benchmarks: SQLite and Neo4j writes and read-backs, and the naive Neo4j loader they are compared with.

- `bench_sqlite`: ``SQLiteStore.write`` (one transaction) and the read-back into NetworkX;
- `bench_neo4j`: partnet's batched ``Neo4jStore.write`` against `naive_load` (one ``MERGE`` per
  record, each in its own transaction) on a closed `subsample`, then the whole dataset, with the
  client's and the local server's CPU time, and the read-back.

Driven by bench/run.py (see its docstring for what is reported).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import time
from pathlib import Path
from typing import Any

from bench._timing import _log, _now
from graph.model import Dataset

__all__ = ["bench_neo4j", "bench_sqlite", "naive_load", "subsample"]


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
# SQLite
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

