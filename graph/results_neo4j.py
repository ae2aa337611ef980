"""Stored analysis results in the Neo4j store: ``partnet_*`` node properties and one ``PartnetRun`` node.

`write` is one managed write transaction: it checks the data version (the ``PartnetMeta`` write
counter) is still the one the results were computed on, removes the ``partnet_*`` properties of the
previous run, sets the new ones in ``UNWIND`` batches and merges the run node. It never bumps the
data version, and every statement is idempotent (the driver may retry the function). Statements are
in `graph.cypher_results`.
"""

from __future__ import annotations

from typing import Any

from neo4j import ManagedTransaction

from graph import cypher_results as cr
from graph.cypher import READ_VERSION
from graph.datasets import StaleStateError
from graph.results import StoredResults, from_rows, params_key

#: a `graph.neo4j_store.Neo4jStore` (not imported: that module imports this one)
Neo4jStore = Any

__all__ = ["StoredResultsMixin", "migrate", "read", "read_run", "write"]


def _counter(version: str) -> str:
    """The write counter at the end of a ``neo4j:<uri>:<counter>`` data version."""
    return version.rpartition(":")[2]


def migrate(store: Neo4jStore) -> None:
    """Schema 3 -> 4: the run node's uniqueness constraint (results need no data migration)."""
    store._driver.execute_query(cr.CONSTRAINT, database_=store.settings.database)


def write(store: Neo4jStore, res: StoredResults) -> None:
    """Write ``res`` in one transaction (raises `graph.datasets.StaleStateError` if the data changed)."""
    actors = res.actor_rows()
    parts = []
    for r in res.partnership_rows():
        r = dict(r)
        r["families_present"] = [f for f in (r.pop("present") or "").split(", ") if f]
        r["families_missing"] = [f for f in (r.pop("missing") or "").split(", ") if f]
        parts.append(r)
    run = res.run_record()
    method = str(res.methods.get("betweenness", ""))

    def tx_fn(tx: ManagedTransaction) -> None:
        tx.run("MERGE (m:PartnetMeta {key: 'meta'}) SET m.lock = coalesce(m.lock, 0) + 1").consume()
        rec = tx.run(READ_VERSION).single()
        if str(rec["v"] if rec else 0) != _counter(res.data_version):
            raise StaleStateError("the data changed while the results were being computed; nothing was written",
                                  hint="run the analysis again")
        tx.run(cr.CLEAR_ACTORS).consume()
        tx.run(cr.CLEAR_PARTNERSHIPS).consume()
        for query, rows, extra in ((cr.SET_ACTORS, actors, {"betweenness_method": method}),
                                   (cr.SET_PARTNERSHIPS, parts, {})):
            for start in range(0, len(rows), store.batch_size):
                tx.run(query, rows=rows[start:start + store.batch_size], key=res.key, **extra).consume()
        tx.run(cr.MERGE_RUN, **{**run, "data_version": int(_counter(res.data_version))}).consume()

    store._run("write results", tx_fn, write=True)


def _current_run(tx: ManagedTransaction, key: str, current_version: str) -> Any:
    run = tx.run(cr.READ_RUN).single()
    meta = tx.run(READ_VERSION).single()
    if run is None or run["params_key"] != key or meta is None or run["data_version"] != meta["v"] \
            or str(meta["v"]) != _counter(current_version):
        return None
    return run


def read_run(store: Neo4jStore, key: str, current_version: str) -> dict[str, Any] | None:
    """The run record stored under ``key`` for ``current_version`` (no node properties read), or None."""
    def tx_fn(tx: ManagedTransaction) -> dict[str, Any] | None:
        run = _current_run(tx, key, current_version)
        return None if run is None else {**run.data(), "data_version": current_version}

    return store._run("read results", tx_fn)


def read(store: Neo4jStore, key: str, current_version: str) -> StoredResults | None:
    """The results stored under ``key`` for ``current_version``, or None (none, other parameters, or stale)."""
    def tx_fn(tx: ManagedTransaction) -> StoredResults | None:
        run = _current_run(tx, key, current_version)
        if run is None:
            return None
        actors = [r.data() for r in tx.run(cr.READ_ACTORS, key=key)]
        parts = []
        for r in tx.run(cr.READ_PARTNERSHIPS, key=key):
            d = r.data()
            d["present"] = ", ".join(d.pop("families_present") or ())
            d["missing"] = ", ".join(d.pop("families_missing") or ())
            parts.append(d)
        return from_rows({**run.data(), "data_version": current_version}, actors, parts)

    return store._run("read results", tx_fn)


class StoredResultsMixin:
    """The `graph.store.Store` methods of stored results, for `graph.neo4j_store.Neo4jStore`."""

    def write_results(self, results: StoredResults) -> None:
        """Keep ``results`` as ``partnet_*`` properties and a ``PartnetRun`` node (`write`)."""
        self._check_writable()  # type: ignore[attr-defined]
        write(self, results)

    def read_results(self, params: dict) -> StoredResults | None:
        """The results stored for ``params`` at the current data version, or None (`read`)."""
        return read(self, params_key(params), self.data_version())  # type: ignore[attr-defined]

    def read_results_run(self, params: dict) -> dict[str, Any] | None:
        """The run record of the results stored for ``params`` at the current data version, or None (`read_run`)."""
        return read_run(self, params_key(params), self.data_version())  # type: ignore[attr-defined]
