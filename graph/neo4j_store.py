"""The server store: Neo4j through the official ``neo4j`` driver.

- Uniqueness constraints on ``Actor.id`` and ``Partnership.id`` are created on first connect.
- Every write is one managed write transaction (``execute_write``) running batched
  ``UNWIND $rows AS row MERGE ...`` statements (`graph.cypher`) of ``batch_size`` rows;
  relationship statements report the ids they could not match and the transaction is
  rolled back if any is missing, so the store is never left half-written.
- Reads run in managed read transactions.
- The password is taken from `graph.config.Neo4jSettings` and never appears in a message.
"""

from __future__ import annotations

from typing import Any

from neo4j import GraphDatabase, ManagedTransaction
from neo4j import exceptions as neo4j_exc

from graph import cypher
from graph.config import Neo4jSettings
from graph.errors import IntegrityError, ReadOnlyError, StoreAuthError, StoreError, StoreUnavailable
from graph.model import Actor, Dataset, Funding, Link, Membership, Partnership
from graph.store import COUNT_KEYS, Store, StoreInfo

__all__ = ["DEFAULT_BATCH_SIZE", "SCHEMA_VERSION", "Neo4jStore"]

DEFAULT_BATCH_SIZE = 5000
SCHEMA_VERSION = 1


class _Missing(Exception):
    """Raised inside a transaction function to roll it back when references are missing."""

    def __init__(self, table: str, missing: list[str]) -> None:
        super().__init__(table)
        self.table, self.missing = table, missing


class Neo4jStore(Store):
    """Partnership graph in a Neo4j 5 server."""

    name = "neo4j"

    def __init__(self, settings: Neo4jSettings, *, read_only: bool = False,
                 batch_size: int = DEFAULT_BATCH_SIZE, connection_timeout: float = 10.0) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be positive")
        self.settings = settings
        self.read_only = read_only
        self.batch_size = batch_size
        try:
            self._driver = GraphDatabase.driver(
                settings.uri, auth=(settings.user, settings.password),
                connection_timeout=connection_timeout, connection_acquisition_timeout=connection_timeout,
                max_transaction_retry_time=15.0,
            )
        except (neo4j_exc.ConfigurationError, ValueError) as e:
            raise StoreUnavailable(f"invalid Neo4j URI {settings.uri!r}: {self._scrub(e)}",
                                   hint="set NEO4J_URI to e.g. bolt://127.0.0.1:7687") from None
        try:
            self._driver.verify_connectivity()
            if not read_only:
                self._setup_schema()
        except (neo4j_exc.Neo4jError, neo4j_exc.DriverError, OSError) as e:
            self._driver.close()
            raise self._translate(e, "connect") from None
        except BaseException:
            self._driver.close()
            raise

    # -- errors --------------------------------------------------------------------
    def _scrub(self, e: BaseException) -> str:
        text, password = str(e), self.settings.password
        return text.replace(password, "***") if password else text

    def _translate(self, e: Exception, doing: str) -> StoreError:
        where = str(self.settings)
        if isinstance(e, neo4j_exc.AuthError):
            return StoreAuthError(
                f"Neo4j at {where} refused the credentials while trying to {doing}",
                hint="check NEO4J_USER and NEO4J_PASSWORD (environment or .env); "
                "for the local server: eval \"$(scripts/neo4j-local env)\"")
        if isinstance(e, (neo4j_exc.ServiceUnavailable, neo4j_exc.SessionExpired,
                          neo4j_exc.ConnectionAcquisitionTimeoutError, neo4j_exc.DatabaseUnavailable,
                          neo4j_exc.IncompleteCommit, OSError)):
            return StoreUnavailable(
                f"cannot reach Neo4j at {where} to {doing}: {self._scrub(e)}",
                hint="check the server is running (scripts/neo4j-local status) and NEO4J_URI points at it")
        return StoreError(f"Neo4j at {where}: {doing} failed: {self._scrub(e)}")

    def _run(self, doing: str, fn, *args: Any, write: bool = False) -> Any:
        try:
            with self._driver.session(database=self.settings.database) as session:
                if write:
                    return session.execute_write(fn, *args)
                return session.execute_read(fn, *args)
        except (StoreError, _Missing):
            raise
        except (neo4j_exc.Neo4jError, neo4j_exc.DriverError, OSError) as e:
            raise self._translate(e, doing) from None

    def _setup_schema(self) -> None:
        try:
            for stmt in cypher.CONSTRAINTS:
                self._driver.execute_query(stmt, database_=self.settings.database)
            self._driver.execute_query(cypher.SCHEMA_VERSION_WRITE, version=SCHEMA_VERSION,
                                       database_=self.settings.database)
        except (neo4j_exc.Neo4jError, neo4j_exc.DriverError, OSError) as e:
            raise self._translate(e, "connect") from None

    # -- writing -------------------------------------------------------------------
    def _check_writable(self) -> None:
        if self.read_only:
            raise ReadOnlyError(f"the Neo4j store at {self.settings} is open read-only; nothing was written",
                                hint="unset PARTNET_READ_ONLY to allow writes")

    @staticmethod
    def _rows(ds: Dataset) -> list[tuple[str, str, list[dict[str, Any]]]]:
        return [
            ("actors", cypher.MERGE_ACTORS, [a.as_dict() for a in ds.actors]),
            ("partnerships", cypher.MERGE_PARTNERSHIPS, [p.as_dict() for p in ds.partnerships]),
            ("partnerships", cypher.MERGE_PART_OF, [{"id": p.id, "parent_id": p.parent_id} for p in ds.partnerships]),
            ("memberships", cypher.MERGE_MEMBERSHIPS, [m.as_dict() for m in ds.memberships]),
            ("funding", cypher.MERGE_FUNDING, [f.as_dict() for f in ds.funding]),
            ("links", cypher.MERGE_LINKS, [k.as_dict() for k in ds.links]),
        ]

    def _write_tx(self, tx: ManagedTransaction, plan: list[tuple[str, str, list[dict[str, Any]]]]) -> None:
        for table, query, rows in plan:
            for start in range(0, len(rows), self.batch_size):
                result = tx.run(query, rows=rows[start:start + self.batch_size])
                record = result.single() if "RETURN" in query else None
                if record is not None and record["missing"]:
                    raise _Missing(table, list(dict.fromkeys(record["missing"]))[:20])
                result.consume()
        tx.run(cypher.BUMP_VERSION).consume()

    def write(self, ds: Dataset) -> dict[str, int]:
        """Upsert ``ds`` in one managed write transaction of batched ``UNWIND ... MERGE``."""
        self._check_writable()
        ds = ds.deduplicated()
        try:
            self._run("write", self._write_tx, self._rows(ds), write=True)
        except _Missing as m:
            listed = "; ".join(f"{m.table}.{x}" for x in m.missing)
            raise IntegrityError(f"unknown ids referenced: {listed}; nothing was written",
                                 hint="add the missing actors/partnerships to the import, or fix the ids") from None
        return ds.counts()

    def delete_all(self) -> None:
        """Detach-delete every Actor and Partnership, in batches of 10,000 nodes."""
        self._check_writable()

        def batch(tx: ManagedTransaction) -> int:
            return tx.run(cypher.DELETE_BATCH, limit=10_000).single()["c"]

        while self._run("delete", batch, write=True):
            pass
        self._run("delete", lambda tx: tx.run(cypher.BUMP_VERSION).consume(), write=True)

    # -- reading -------------------------------------------------------------------
    @staticmethod
    def _read_tx(tx: ManagedTransaction) -> dict[str, list[dict[str, Any]]]:
        out = {}
        for name, q in (("actors", cypher.READ_ACTORS), ("partnerships", cypher.READ_PARTNERSHIPS)):
            out[name] = [r["n"] for r in tx.run(q)]
        for name, q in (("memberships", cypher.READ_MEMBERSHIPS), ("funding", cypher.READ_FUNDING),
                        ("links", cypher.READ_LINKS)):
            out[name] = [r.data() for r in tx.run(q)]
        return out

    def read_dataset(self) -> Dataset:
        """Every stored record, read in one read transaction."""
        raw = self._run("read", self._read_tx)
        ds = Dataset()
        for n in raw["actors"]:
            ds.actors.append(Actor(
                id=n["id"], name=n.get("name", ""), type=n.get("type", "other"),
                aliases=tuple(n.get("aliases") or ()), country=n.get("country") or "", city=n.get("city") or "",
                scope=n.get("scope") or "", website=n.get("website") or "", source=n.get("source") or "",
                section=n.get("section") or ""))
        for n in raw["partnerships"]:
            ds.partnerships.append(Partnership(
                id=n["id"], name=n.get("name", ""), kind=n.get("kind", "project"), code=n.get("code") or "",
                theme=n.get("theme") or "", level=n.get("level") or "", start_year=n.get("start_year"),
                end_year=n.get("end_year"), parent_id=n.get("parent_id") or "", source=n.get("source") or "",
                section=n.get("section") or ""))
        ds.memberships = [Membership(**{k: v if v is not None else "" for k, v in r.items()})
                          for r in raw["memberships"]]
        ds.funding = [Funding(**{k: (v if v is not None or k in ("amount", "start_year", "end_year") else "")
                                 for k, v in r.items()}) for r in raw["funding"]]
        ds.links = [Link(**{k: (v if v is not None or k == "year" else "") for k, v in r.items()})
                    for r in raw["links"]]
        return ds

    def counts(self) -> dict[str, int]:
        """Nodes per label and relationships per type."""
        queries = {**cypher.COUNT_LABEL, **cypher.COUNT_REL}

        def tx_fn(tx: ManagedTransaction) -> dict[str, int]:
            return {k: tx.run(queries[k]).single()["c"] for k in COUNT_KEYS}

        return self._run("count", tx_fn)

    def data_version(self) -> str:
        """``neo4j:<uri>:<write counter>``; the counter is bumped by every write."""
        def tx_fn(tx: ManagedTransaction) -> Any:
            rec = tx.run(cypher.READ_VERSION).single()
            return rec["v"] if rec else 0

        return f"neo4j:{self.settings.uri}:{self._run('read', tx_fn)}"

    def info(self) -> StoreInfo:
        """URI and user (never the password), server version, schema version, counts."""
        def tx_fn(tx: ManagedTransaction) -> Any:
            rec = tx.run(cypher.SCHEMA_VERSION_READ).single()
            return rec["v"] if rec else 0

        try:
            agent = self._driver.get_server_info().agent
        except (neo4j_exc.Neo4jError, neo4j_exc.DriverError, OSError) as e:
            raise self._translate(e, "read server info") from None
        return StoreInfo(name=self.name, location=str(self.settings), schema_version=int(self._run("read", tx_fn) or 0),
                         counts=self.counts(), read_only=self.read_only,
                         details={"server": agent, "batch_size": str(self.batch_size)})

    def close(self) -> None:
        """Close the driver."""
        drv = getattr(self, "_driver", None)
        if drv is not None:
            drv.close()
            self._driver = None  # type: ignore[assignment]
