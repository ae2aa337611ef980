"""The server store: Neo4j through the official ``neo4j`` driver.

- Uniqueness constraints on ``Actor.id`` and ``Partnership.id`` are created on first connect.
- Every write is one managed write transaction (``execute_write``) running batched
  ``UNWIND $rows AS row MERGE ...`` statements (`graph.cypher`) of ``batch_size`` rows;
  relationship statements report the ids they could not match and the transaction is
  rolled back if any is missing, so the store is never left half-written.
- Very large writes can exceed the server's transaction memory (``dbms.memory.transaction.total.max``,
  70 % of the heap by default; about 1.8 KB per record in tracked transaction state: with the 3 GB
  default heap of ``scripts/neo4j-local`` a write of 100,000 actors, 507,305 records, fits; with a
  512 MB heap roughly 200,000 records do). That is reported as a `StoreError` saying what to do. The
  explicit, documented option ``commit_every`` (or ``PARTNET_NEO4J_COMMIT_EVERY``) commits a large
  write in chunks of that many rows instead (a chunk that still exceeds the server's transaction
  memory is rolled back and committed as two halves): references are still checked before anything is
  written, but a failure mid-way (server down) leaves the chunks already committed; re-running the
  same write completes it (writes are idempotent upserts).
- Reads run in managed read transactions.
- The password is taken from `graph.config.Neo4jSettings` and never appears in a message.
"""

from __future__ import annotations

import logging
import os
from collections import deque
from typing import Any

from neo4j import GraphDatabase, ManagedTransaction
from neo4j import exceptions as neo4j_exc

from graph import cypher, neo4j_read
from graph import neo4j_datasets as nd
from graph import results_neo4j as rn
from graph.config import Neo4jSettings
from graph.datasets import DEFAULT_DATASET, Change, Owners
from graph.errors import IntegrityError, ReadOnlyError, StoreAuthError, StoreError, StoreUnavailable
from graph.model import Dataset
from graph.store import COUNT_KEYS, Store, StoreInfo

__all__ = ["COMMIT_EVERY_ENV", "DEFAULT_BATCH_SIZE", "SCHEMA_VERSION", "Neo4jStore"]

DEFAULT_BATCH_SIZE = 10_000
#: Environment variable giving `Neo4jStore`'s ``commit_every`` when the constructor is not told.
COMMIT_EVERY_ENV = "PARTNET_NEO4J_COMMIT_EVERY"
_TX_MEMORY_CODE = "Neo.TransientError.General.MemoryPoolOutOfMemoryError"
# The driver logs retries and defunct connections at WARNING/ERROR; without a handler Python would
# print them raw on stderr before partnet's own one-line error. Keep them for applications that
# configure logging, silent otherwise (partnet reports every failure itself, with the URI).
logging.getLogger("neo4j").addHandler(logging.NullHandler())
#: URI schemes of the Bolt protocol (the driver's HTTP preview is not supported).
_BOLT_SCHEMES = frozenset({"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"})
#: 1: actors and partnerships; 2: partnership status and members_complete; 3: datasets, sources, history;
#: 4: stored analysis results (partnet_* properties, PartnetRun).
SCHEMA_VERSION = 4


class _Missing(Exception):
    """Raised inside a transaction function to roll it back when references are missing."""

    def __init__(self, table: str, missing: list[str]) -> None:
        super().__init__(table)
        self.table, self.missing = table, missing


class _TooLarge(Exception):
    """Raised inside a transaction function when the server's transaction memory is exhausted
    (so that the driver does not retry a write that cannot fit)."""


def _dedup(records: list, key: Any) -> list:
    """Records with repeated keys collapsed: the last record of each key wins (Store contract)."""
    return list({key(r): r for r in records}.values())


def _halves(chunk: list[tuple[str, str, list[dict[str, Any]]]]) -> list[list[tuple[str, str, list[dict[str, Any]]]]]:
    """Cut a chunk of (table, query, rows) statements into two with half of its rows each, in order."""
    half = sum(len(r) for _, _, r in chunk) // 2
    first: list[tuple[str, str, list[dict[str, Any]]]] = []
    second: list[tuple[str, str, list[dict[str, Any]]]] = []
    for table, query, rows in chunk:
        if half >= len(rows):
            first.append((table, query, rows))
            half -= len(rows)
        elif half > 0:
            first.append((table, query, rows[:half]))
            second.append((table, query, rows[half:]))
            half = 0
        else:
            second.append((table, query, rows))
    return [first, second]


def _commit_every_from_env() -> int | None:
    raw = os.environ.get(COMMIT_EVERY_ENV, "").strip()
    if not raw or raw == "0":
        return None
    try:
        value = int(raw)
    except ValueError:
        raise StoreError(f"{COMMIT_EVERY_ENV}={raw!r} is not a whole number",
                         hint=f"set {COMMIT_EVERY_ENV} to rows per transaction, e.g. 50000, or unset it") from None
    if value < 1:
        raise StoreError(f"{COMMIT_EVERY_ENV}={raw!r} must be positive",
                         hint=f"unset {COMMIT_EVERY_ENV} or give e.g. 50000")
    return value


class Neo4jStore(rn.StoredResultsMixin, Store):
    """Partnership graph in a Neo4j 5 server (stored results: `graph.results_neo4j.StoredResultsMixin`)."""

    name = "neo4j"

    def __init__(self, settings: Neo4jSettings, *, read_only: bool = False,
                 batch_size: int = DEFAULT_BATCH_SIZE, connection_timeout: float | None = None,
                 commit_every: int | None = None, legacy_dataset: str | None = None) -> None:
        """Connect (and create the constraints unless ``read_only``).

        ``batch_size`` is the number of rows per ``UNWIND`` statement. ``commit_every`` (default:
        ``PARTNET_NEO4J_COMMIT_EVERY``, else ``None``) is the explicit opt-out of one-transaction
        writes: when set, a write of more rows than that is committed in chunks of that many rows
        (not atomic; see the module docstring). ``None`` keeps every write one transaction.
        ``connection_timeout`` overrides ``settings.connection_timeout`` (pool size and retry time come
        from ``settings``, i.e. NEO4J_MAX_POOL_SIZE and NEO4J_MAX_RETRY_TIME).
        """
        if batch_size < 1:
            raise ValueError("batch_size must be positive")
        if commit_every is None:
            commit_every = _commit_every_from_env()
        if commit_every is not None and commit_every < 1:
            raise ValueError("commit_every must be positive or None")
        self.settings = settings
        self.read_only = read_only
        self.batch_size = batch_size
        self.commit_every = commit_every
        self.legacy_dataset = legacy_dataset or DEFAULT_DATASET
        scheme = settings.uri.partition("://")[0].lower() if "://" in settings.uri else ""
        if scheme not in _BOLT_SCHEMES:
            raise StoreUnavailable(
                f"unsupported Neo4j URI {settings}: partnet speaks Bolt only",
                hint=f"set NEO4J_URI to {', '.join(s + '://HOST:7687' for s in ('bolt', 'neo4j'))} "
                f"(or one of {', '.join(sorted(_BOLT_SCHEMES))})")
        timeout = settings.connection_timeout if connection_timeout is None else connection_timeout
        try:
            self._driver = GraphDatabase.driver(
                settings.uri, auth=(settings.user, settings.password),
                connection_timeout=timeout, connection_acquisition_timeout=timeout,
                max_connection_pool_size=settings.max_pool_size, max_transaction_retry_time=settings.max_retry_time,
                # the server's hints (e.g. "property key does not exist" for a property no record has yet)
                # are not for partnet's users, and cost a little on every statement
                notifications_min_severity="OFF",
            )
        except (neo4j_exc.ConfigurationError, ValueError) as e:
            raise StoreUnavailable(f"invalid Neo4j URI {settings}: {self._scrub(e)}",
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
        """The error's text without the password, and without credentials written into the URI."""
        text, password = str(e), self.settings.password
        if self.settings.uri != self.settings.display_uri:
            text = text.replace(self.settings.uri, self.settings.display_uri)
        return text.replace(password, "***") if password else text

    def _translate(self, e: Exception, doing: str) -> StoreError:
        where = str(self.settings)
        if isinstance(e, _TooLarge) or getattr(e, "code", None) == _TX_MEMORY_CODE:
            return StoreError(
                f"Neo4j at {where}: the {doing} is too large for one transaction on this server (its transaction "
                "memory limit, dbms.memory.transaction.total.max, was reached); nothing was written",
                hint="give the server more heap (server.memory.heap.max_size) or a higher "
                "dbms.memory.transaction.total.max; or commit in chunks with "
                f"{COMMIT_EVERY_ENV}=50000 (then a failure mid-way leaves part of the data written; "
                "re-running the same import completes it)")
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

    def _run(self, doing: str, fn, *args: Any, write: bool = False, raw_too_large: bool = False) -> Any:
        try:
            with self._driver.session(database=self.settings.database) as session:
                if write:
                    return session.execute_write(fn, *args)
                return session.execute_read(fn, *args)
        except (StoreError, _Missing):
            raise
        except (_TooLarge, neo4j_exc.Neo4jError, neo4j_exc.DriverError, OSError) as e:
            if raw_too_large and (isinstance(e, _TooLarge) or getattr(e, "code", None) == _TX_MEMORY_CODE):
                raise _TooLarge(str(e)) from None
            raise self._translate(e, doing) from None

    def _setup_schema(self) -> None:
        try:
            for stmt in cypher.CONSTRAINTS:
                self._driver.execute_query(stmt, database_=self.settings.database)
            records, _, _ = self._driver.execute_query(cypher.SCHEMA_VERSION_READ, database_=self.settings.database)
            stored = int(records[0]["v"] or 0) if records else 0
            if stored > SCHEMA_VERSION:
                raise StoreError(f"Neo4j at {self.settings} holds partnet schema version {stored}, newer than this "
                                 f"partnet ({SCHEMA_VERSION})", hint="upgrade partnet")
            if stored < SCHEMA_VERSION:
                nd.migrate(self, stored, self.legacy_dataset)
                rn.migrate(self)
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
    def _rows(ds: Dataset, owners: dict[str, list[str]] | None = None) -> list[tuple[str, str, list[dict[str, Any]]]]:
        # Dicts built field by field: `as_dict` introspects the dataclass for every record, which
        # costs seconds at 500,000 records. ``owners`` (table -> dataset of each record) sets the
        # records' dataset; without it new records get ``default`` and stored ones keep theirs.
        plan = [
            ("actors", cypher.MERGE_ACTORS, [
                {"id": a.id, "name": a.name, "aliases": list(a.aliases), "type": a.type, "family": a.family,
                 "country": a.country, "city": a.city, "scope": a.scope, "website": a.website,
                 "source": a.source, "section": a.section} for a in ds.actors]),
            ("partnerships", cypher.MERGE_PARTNERSHIPS, [
                {"id": p.id, "name": p.name, "kind": p.kind, "code": p.code, "theme": p.theme, "level": p.level,
                 "start_year": p.start_year, "end_year": p.end_year, "parent_id": p.parent_id,
                 "source": p.source, "section": p.section, "status": p.status,
                 "members_complete": p.members_complete} for p in ds.partnerships]),
            ("partnerships", cypher.MERGE_PART_OF, [{"id": p.id, "parent_id": p.parent_id} for p in ds.partnerships]),
            ("memberships", cypher.MERGE_MEMBERSHIPS, [
                {"actor_id": m.actor_id, "partnership_id": m.partnership_id, "role": m.role, "source": m.source,
                 "section": m.section} for m in ds.memberships]),
            ("funding", cypher.MERGE_FUNDING, [
                {"funder_id": f.funder_id, "recipient_id": f.recipient_id, "programme": f.programme,
                 "amount": f.amount, "currency": f.currency, "start_year": f.start_year, "end_year": f.end_year,
                 "source": f.source, "section": f.section} for f in ds.funding]),
            ("links", cypher.MERGE_LINKS, [
                {"source_id": k.source_id, "target_id": k.target_id, "kind": k.kind, "year": k.year,
                 "source": k.source, "section": k.section} for k in ds.links]),
        ]
        for table, query, rows in plan if owners else ():
            if query is not cypher.MERGE_PART_OF:
                for row, name in zip(rows, owners[table], strict=True):
                    row["dataset"] = name
        return plan

    def _write_tx(self, tx: ManagedTransaction, plan: list[tuple[str, str, list[dict[str, Any]]]]) -> None:
        try:
            for table, query, rows in plan:
                for start in range(0, len(rows), self.batch_size):
                    batch = rows[start:start + self.batch_size]
                    result = tx.run(query, rows=batch)
                    record = result.single() if "RETURN" in query else None
                    result.consume()
                    if record is None:
                        continue
                    missing, written = record.get("missing"), record.get("written")
                    if written is not None and written < len(batch):
                        # some rows matched no stored end: name them (the transaction is rolled back)
                        missing = tx.run(cypher.MISSING_REFS[table], rows=batch).single()["missing"]
                        if not missing:  # cannot happen with the constraints in place; refuse anyway
                            missing = [f"{len(batch) - written} of {len(batch)} rows unmatched"]
                    if missing:
                        raise _Missing(table, list(dict.fromkeys(missing))[:20])
            tx.run(cypher.BUMP_VERSION).consume()
        except neo4j_exc.TransientError as e:
            if e.code == _TX_MEMORY_CODE:  # a retry cannot fit either: stop at once
                raise _TooLarge(str(e)) from None
            raise

    @staticmethod
    def _deduplicated(ds: Dataset) -> Dataset:
        """`Dataset.deduplicated` with the keys spelled out (several times faster at 500,000 records)."""
        return Dataset(
            actors=_dedup(ds.actors, lambda r: r.id),
            partnerships=_dedup(ds.partnerships, lambda r: r.id),
            memberships=_dedup(ds.memberships, lambda r: (r.actor_id, r.partnership_id)),
            funding=_dedup(ds.funding, lambda r: (r.funder_id, r.recipient_id, r.programme)),
            links=_dedup(ds.links, lambda r: (r.source_id, r.target_id, r.kind)),
        )

    def write(self, ds: Dataset) -> dict[str, int]:
        """Upsert ``ds`` in one managed write transaction of batched ``UNWIND ... MERGE``.

        With ``commit_every`` set and more rows than that, the write is committed in chunks (see
        the module docstring); unknown references are still refused before anything is written.
        """
        self._check_writable()
        ds = self._deduplicated(ds)
        plan = self._rows(ds)
        try:
            if self.commit_every is not None and sum(len(rows) for _, _, rows in plan) > self.commit_every:
                self._check_references(ds)
                self._write_chunked(plan)
            else:
                self._run("write", self._write_tx, plan, write=True)
        except _Missing as m:
            listed = "; ".join(f"{m.table}.{x}" for x in m.missing)
            raise IntegrityError(f"unknown ids referenced: {listed}; nothing was written",
                                 hint="add the missing actors/partnerships to the import, or fix the ids") from None
        return ds.counts()

    def _check_references(self, ds: Dataset) -> None:
        """Raise `_Missing` when ``ds`` refers to an id that is neither in it nor stored."""
        actor_ids = {a.id for a in ds.actors}
        part_ids = {p.id for p in ds.partnerships}
        need_actor = ({m.actor_id for m in ds.memberships} | {f.funder_id for f in ds.funding}
                      | {k.source_id for k in ds.links} | {k.target_id for k in ds.links}) - actor_ids
        need_part = ({m.partnership_id for m in ds.memberships}
                     | {p.parent_id for p in ds.partnerships if p.parent_id}) - part_ids
        need_any = {f.recipient_id for f in ds.funding} - actor_ids - part_ids

        def tx_fn(tx: ManagedTransaction) -> list[str]:
            missing: list[str] = []
            for query, ids in ((cypher.MISSING_ACTORS, need_actor), (cypher.MISSING_PARTNERSHIPS, need_part),
                               (cypher.MISSING_NODES, need_any)):
                if ids:
                    missing += tx.run(query, ids=sorted(ids)).single()["missing"]
            return missing

        missing = self._run("check references", tx_fn)
        if missing:
            raise _Missing("references", [f"id = {x}" for x in missing[:20]])

    def _write_chunked(self, plan: list[tuple[str, str, list[dict[str, Any]]]]) -> None:
        """Commit ``plan`` in its order (nodes, then relationships) in transactions of at most
        ``commit_every`` rows each."""
        assert self.commit_every is not None
        chunks: list[list[tuple[str, str, list[dict[str, Any]]]]] = [[]]
        room = self.commit_every
        for table, query, rows in plan:
            start = 0
            while start < len(rows):
                if room == 0:
                    chunks.append([])
                    room = self.commit_every
                take = rows[start:start + room]
                chunks[-1].append((table, query, take))
                start += len(take)
                room -= len(take)
        total, done = sum(len(r) for _, _, r in plan), 0
        pending = deque(chunks)
        while pending:
            chunk = pending.popleft()
            size = sum(len(r) for _, _, r in chunk)
            try:
                self._run("write", self._write_tx, chunk, write=True, raw_too_large=size > 1)
            except _TooLarge:
                # that chunk was rolled back whole: commit it as two halves instead
                pending.extendleft(reversed(_halves(chunk)))
                continue
            except StoreError as e:
                if done == 0:
                    raise
                raise type(e)(  # same class, so an unreachable server still exits 2
                    f"{e.message} (after {done:,} of {total:,} rows had been committed in chunks of "
                    f"{self.commit_every:,}: the store holds part of this write)",
                    hint="re-run the same write once the server answers (writes are idempotent) to complete it",
                ) from None
            done += size

    def replace_all(self, ds: Dataset) -> dict[str, int]:
        """Delete every record and write ``ds`` in ONE transaction (used by restore): all of it or nothing.

        Unlike `delete_all` (batched) and chunked writes, this never leaves a mix of old and new
        content; a graph too large for the server's transaction memory is refused unchanged.
        """
        self._check_writable()
        ds = self._deduplicated(ds)
        plan = self._rows(ds)

        def tx_fn(tx: ManagedTransaction) -> None:
            tx.run(cypher.DELETE_ALL).consume()
            self._write_tx(tx, plan)

        try:
            self._run("restore", tx_fn, write=True)
        except _Missing as m:
            listed = "; ".join(f"{m.table}.{x}" for x in m.missing)
            raise IntegrityError(f"unknown ids referenced: {listed}; nothing was changed",
                                 hint="the backup is inconsistent; use another one") from None
        return ds.counts()

    def delete_all(self) -> None:
        """Detach-delete every Actor and Partnership, in batches of 10,000 nodes."""
        self._check_writable()

        def batch(tx: ManagedTransaction) -> int:
            return tx.run(cypher.DELETE_BATCH, limit=10_000).single()["c"]

        while self._run("delete", batch, write=True):
            pass
        self._run("delete", lambda tx: tx.run("MATCH (s:PartnetSource) DELETE s").consume(), write=True)
        self._run("delete", lambda tx: tx.run(cypher.BUMP_VERSION).consume(), write=True)

    # -- reading -------------------------------------------------------------------
    def read_graph(self) -> Any:
        """The whole graph as a ``networkx.MultiDiGraph``, built column-wise (`graph.neo4j_read`)."""
        return neo4j_read.read_graph(self)

    def read_dataset(self) -> Dataset:
        """Every stored record, read in one read transaction."""
        return neo4j_read.read_state(self)[0]

    # -- datasets, history, sources (graph.neo4j_datasets) ------------------------------
    def read_state(self) -> tuple[Dataset, Owners]:
        """Every stored record and its dataset, in one read transaction."""
        return neo4j_read.read_state(self)

    def apply(self, change: Change) -> None:
        """Apply ``change`` in one write transaction (always one, whatever ``commit_every`` says)."""
        self._check_writable()
        try:
            nd.apply(self, change)
        except _Missing as m:
            listed = "; ".join(f"{m.table}.{x}" for x in m.missing)
            raise IntegrityError(f"unknown ids referenced: {listed}; nothing was written",
                                 hint="add the missing actors/partnerships to the import, or fix the ids") from None

    def read_history(self) -> list[dict]:
        """History entries, oldest first."""
        return nd.read_history(self)

    def read_sources(self) -> list[dict]:
        """Stored source documents."""
        return nd.read_sources(self)

    def dataset_counts(self) -> dict[str, dict[str, int]]:
        """Dataset -> records per table."""
        return nd.dataset_counts(self)

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

        return f"neo4j:{self.settings.display_uri}:{self._run('read', tx_fn)}"

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
                         details={"server": agent, "batch_size": str(self.batch_size),
                                  "commit_every": str(self.commit_every or "one transaction per write")})

    def close(self) -> None:
        """Close the driver."""
        drv = getattr(self, "_driver", None)
        if drv is not None:
            drv.close()
            self._driver = None  # type: ignore[assignment]
