"""Datasets, history, sources and migrations in the Neo4j store (the work behind `Neo4jStore.apply` and friends).

`apply` is one managed write transaction: relationship deletions, node deletions (``DETACH``:
the plan never deletes a node another remaining record refers to), the upserts with their
``dataset`` (`Neo4jStore._write_tx`, which checks every reference), the dataset's sources and
the history entry. A transaction function may be retried by the driver: every statement is an
idempotent MERGE/DELETE, and the history entry is created in the same transaction.
"""

from __future__ import annotations

import json
from typing import Any

from neo4j import ManagedTransaction

from graph import cypher_datasets as cq
from graph import neo4j_read, neo4j_write
from graph.cypher import DELETE_ALL, MIGRATE_STATUS, READ_VERSION
from graph.datasets import Change, Owners, StaleStateError
from graph.history import entry
from graph.model import Dataset

#: a `graph.neo4j_store.Neo4jStore` (not imported: that module imports this one)
Neo4jStore = Any

__all__ = ["apply", "dataset_counts", "migrate", "read_history", "read_snapshot", "read_sources", "read_state",
           "replace_snapshot"]

_DELETE = (("links", cq.DELETE_LINKS), ("funding", cq.DELETE_FUNDING), ("memberships", cq.DELETE_MEMBERSHIPS),
           ("partnerships", cq.DELETE_PARTNERSHIPS), ("actors", cq.DELETE_ACTORS))
_MIGRATE_BATCH = 10_000


def read_state(store: Neo4jStore) -> tuple[Dataset, Owners]:
    """Every record and its dataset, in one read transaction (`graph.neo4j_read`)."""
    return neo4j_read.read_state(store)


def apply(store: Neo4jStore, change: Change) -> None:
    """Apply ``change`` in one write transaction (raises `graph.neo4j_store._Missing` on a missing reference)."""
    plan = _prepare(store, change)
    deletes = [(q, [list(k) for k in change.deletes.get(t) or []]) for t, q in _DELETE]
    sources = [{c: str(s.get(c) or "") for c in ("id", "title", "file", "description")}
               for s in change.sources or ()]
    history = change.history

    def tx_fn(tx: ManagedTransaction) -> None:
        if change.expected_version is not None:
            # take the write lock on the meta node first, then compare: concurrent applies serialise here
            tx.run("MERGE (m:PartnetMeta {key: 'meta'}) SET m.lock = coalesce(m.lock, 0) + 1").consume()
            rec = tx.run(READ_VERSION).single()
            now = f"neo4j:{store.settings.display_uri}:{rec['v'] if rec else 0}"
            if now != change.expected_version:
                raise StaleStateError("the store changed while the import was being prepared; nothing was written",
                                      hint="run the command again")
        for query, keys in deletes:
            for start in range(0, len(keys), store.batch_size):
                tx.run(query, rows=keys[start:start + store.batch_size]).consume()
        store._write_tx(tx, plan)
        if change.drop_sources or (change.replace_sources and change.sources is not None):
            tx.run(cq.DELETE_SOURCES, dataset=change.dataset).consume()
        if sources:
            tx.run(cq.MERGE_SOURCES, dataset=change.dataset, rows=sources).consume()
        if history is not None:
            _add_history(tx, history)

    store._run("write", tx_fn, write=True)


def _prepare(store: Neo4jStore, change: Change) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """The statements and parameter rows of ``change``'s upserts (new records by CREATE when known new)."""
    plan = store._rows(change.upserts, change.owners)
    if change.expected_version is not None and change.new:
        plan = neo4j_write.create_new(plan, change.new)  # safe: `apply` checks the version first
    return plan


def _add_history(tx: ManagedTransaction, e: dict[str, Any]) -> None:
    tx.run(cq.ADD_HISTORY, at=e["at"], action=e["action"], dataset=e["dataset"],
           files=json.dumps(e.get("files") or []), counts=json.dumps(e.get("counts") or {}),
           version=e.get("version", "")).consume()


def _decoded(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for r in rows:
        r["files"] = json.loads(r["files"] or "[]")
        r["counts"] = json.loads(r["counts"] or "{}")
    return rows


def read_history(store: Neo4jStore) -> list[dict[str, Any]]:
    """History entries, oldest first."""
    def tx_fn(tx: ManagedTransaction) -> list[dict[str, Any]]:
        return [r.data() for r in tx.run(cq.READ_HISTORY)]

    return _decoded(store._run("read history", tx_fn))


def read_snapshot(store: Neo4jStore) -> tuple[Dataset, Owners, list[dict[str, Any]], list[dict[str, Any]]]:
    """Records, their datasets, the sources and the history, read in ONE read transaction (for backups)."""
    def tx_fn(tx: ManagedTransaction) -> tuple[Any, ...]:
        cols = neo4j_read.read_columns(tx)
        return cols, [r.data() for r in tx.run(cq.READ_SOURCES)], [r.data() for r in tx.run(cq.READ_HISTORY)]

    cols, sources, history = store._run("read", tx_fn)
    ds, owners = neo4j_read.records_from_columns(cols)
    return ds, owners, sources, _decoded(history)


def replace_snapshot(store: Neo4jStore, ds: Dataset, owners: dict[str, list[str]], sources: list[dict[str, Any]],
                     history: list[dict[str, Any]]) -> None:
    """Delete every record, source and history entry and write these in ONE write transaction (restore).

    ``owners`` gives the dataset of each record of ``ds`` in order; history entries keep their ``seq``
    and the meta node's counter continues after the largest. Raises `graph.neo4j_store._Missing`
    (nothing changed) on a dangling reference.
    """
    store._check_writable()
    plan = store._rows(ds, owners)
    by_dataset: dict[str, list[dict[str, str]]] = {}
    for s in sources:
        by_dataset.setdefault(str(s["dataset"]), []).append(
            {c: str(s.get(c) or "") for c in ("id", "title", "file", "description")})
    entries = [{"seq": int(e["seq"]), "at": e["at"], "action": e["action"], "dataset": e["dataset"],
                "files": json.dumps(e.get("files") or []), "counts": json.dumps(e.get("counts") or {}),
                "version": e.get("version", "")} for e in history]

    def tx_fn(tx: ManagedTransaction) -> None:
        for q in (DELETE_ALL, cq.DELETE_ALL_SOURCES, cq.DELETE_ALL_HISTORY):
            tx.run(q).consume()
        store._write_tx(tx, plan)
        for name, rows in by_dataset.items():
            tx.run(cq.MERGE_SOURCES, dataset=name, rows=rows).consume()
        tx.run(cq.RESTORE_HISTORY, rows=entries).consume()
        tx.run(cq.SET_HISTORY_SEQ, seq=max((e["seq"] for e in entries), default=0)).consume()

    store._run("restore", tx_fn, write=True)


def read_sources(store: Neo4jStore) -> list[dict[str, Any]]:
    """Stored source documents."""
    return store._run("read sources", lambda tx: [r.data() for r in tx.run(cq.READ_SOURCES)])


def dataset_counts(store: Neo4jStore) -> dict[str, dict[str, int]]:
    """Dataset -> records per table."""
    def tx_fn(tx: ManagedTransaction) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for t, q in cq.DATASET_COUNTS.items():
            for r in tx.run(q):
                out.setdefault(r["d"], dict.fromkeys(Dataset.TABLES, 0))[t] = r["c"]
        return dict(sorted(out.items()))

    return store._run("count datasets", tx_fn)


def migrate(store: Neo4jStore, stored: int, legacy_dataset: str) -> None:
    """Bring a graph written by schema ``stored`` up to date (status, then datasets); idempotent."""
    db = store.settings.database
    drv = store._driver
    for stmt in cq.CONSTRAINTS:
        drv.execute_query(stmt, database_=db)
    if stored < 2:
        drv.execute_query(MIGRATE_STATUS, database_=db)
    if stored < 3:
        had_data = drv.execute_query("MATCH (n:Actor) RETURN count(n) > 0 AS x", database_=db)[0][0]["x"] or \
            drv.execute_query("MATCH (n:Partnership) RETURN count(n) > 0 AS x", database_=db)[0][0]["x"]
        for q in (cq.MIGRATE_DATASETS_NODES, cq.MIGRATE_DATASETS_RELS):
            while drv.execute_query(q, limit=_MIGRATE_BATCH, name=legacy_dataset, database_=db)[0][0]["c"]:
                pass
        if stored > 0 and had_data:
            store._run("migrate", lambda tx: _add_history(tx, entry("migrate", legacy_dataset)), write=True)
