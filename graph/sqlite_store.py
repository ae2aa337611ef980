"""The embedded store: one SQLite file (standard-library ``sqlite3``), WAL mode.

Each `SQLiteStore.write` is one ``BEGIN IMMEDIATE ... COMMIT`` transaction; foreign keys
are deferred to commit time, so a write that references an unknown id rolls back whole.
The schema is versioned in ``schema_version``; `MIGRATIONS` lists the statements that take
a file from one version to the next and is applied on open.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from graph import results_sqlite as rs
from graph import sqlite_datasets as sd
from graph.datasets import DEFAULT_DATASET, Change, Owners, StaleStateError
from graph.errors import IntegrityError, ReadOnlyError, StoreError, StoreUnavailable
from graph.history import entry
from graph.model import Dataset
from graph.results import StoredResults, params_key
from graph.store import COUNT_KEYS, Store, StoreInfo

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "SQLiteStore"]

_FK = "DEFERRABLE INITIALLY DEFERRED"
#: version -> statements that bring the previous version to it.
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """CREATE TABLE actors (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, aliases TEXT NOT NULL DEFAULT '[]',
            type TEXT NOT NULL, family TEXT NOT NULL, country TEXT NOT NULL DEFAULT '',
            city TEXT NOT NULL DEFAULT '', scope TEXT NOT NULL DEFAULT '', website TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT '', section TEXT NOT NULL DEFAULT '')""",
        f"""CREATE TABLE partnerships (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, code TEXT NOT NULL DEFAULT '',
            theme TEXT NOT NULL DEFAULT '', level TEXT NOT NULL DEFAULT '', start_year INTEGER, end_year INTEGER,
            parent_id TEXT REFERENCES partnerships(id) {_FK},
            source TEXT NOT NULL DEFAULT '', section TEXT NOT NULL DEFAULT '')""",
        f"""CREATE TABLE memberships (
            actor_id TEXT NOT NULL REFERENCES actors(id) {_FK},
            partnership_id TEXT NOT NULL REFERENCES partnerships(id) {_FK},
            role TEXT NOT NULL, source TEXT NOT NULL DEFAULT '', section TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (actor_id, partnership_id))""",
        "CREATE INDEX memberships_partnership ON memberships(partnership_id)",
        f"""CREATE TABLE funding (
            funder_id TEXT NOT NULL REFERENCES actors(id) {_FK}, recipient_id TEXT NOT NULL,
            programme TEXT NOT NULL DEFAULT '', amount REAL, currency TEXT NOT NULL DEFAULT '',
            start_year INTEGER, end_year INTEGER, source TEXT NOT NULL DEFAULT '', section TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (funder_id, recipient_id, programme))""",
        f"""CREATE TABLE links (
            source_id TEXT NOT NULL REFERENCES actors(id) {_FK},
            target_id TEXT NOT NULL REFERENCES actors(id) {_FK},
            kind TEXT NOT NULL, year INTEGER, source TEXT NOT NULL DEFAULT '', section TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (source_id, target_id, kind))""",
    ),
    # Index the child keys of the foreign keys that had none: without them every inserted parent
    # row made SQLite scan the child table (checking deferred constraints), so writing n
    # partnerships took O(n^2) time (260 s for 52,000 partnerships; 4.7 s for the whole 100k-actor
    # dataset with the indexes).
    2: (
        "CREATE INDEX IF NOT EXISTS partnerships_parent ON partnerships(parent_id)",
        "CREATE INDEX IF NOT EXISTS links_target ON links(target_id)",
        "CREATE INDEX IF NOT EXISTS funding_recipient ON funding(recipient_id)",
    ),
    # A partnership's status and whether its member list is complete (issue 14's model fields).
    3: (
        "ALTER TABLE partnerships ADD COLUMN status TEXT NOT NULL DEFAULT 'unknown'",
        "ALTER TABLE partnerships ADD COLUMN members_complete INTEGER",
    ),
    # Datasets, sources and the import history (issue 13; graph.sqlite_datasets).
    4: sd.MIGRATION,
    # Stored analysis results (issue 17; graph.results_sqlite).
    5: rs.MIGRATION,
}
SCHEMA_VERSION = max(MIGRATIONS)
#: Seconds a write waits for another process's write transaction before giving up (PARTNET_LOCK_TIMEOUT).
DEFAULT_LOCK_TIMEOUT = 30.0


def _lock_timeout() -> float:
    try:
        return max(0.0, float(os.environ.get("PARTNET_LOCK_TIMEOUT", DEFAULT_LOCK_TIMEOUT)))
    except ValueError:
        return DEFAULT_LOCK_TIMEOUT

_TABLE_OF = {"Actor": "actors", "Partnership": "partnerships", "MEMBER_OF": "memberships",
             "FUNDS": "funding", "LINKED_TO": "links"}
_COLS = {
    "actors": ("id", "name", "aliases", "type", "family", "country", "city", "scope", "website", "source", "section"),
    "partnerships": ("id", "name", "kind", "code", "theme", "level", "start_year", "end_year", "parent_id",
                     "source", "section", "status", "members_complete"),
    "memberships": ("actor_id", "partnership_id", "role", "source", "section"),
    "funding": ("funder_id", "recipient_id", "programme", "amount", "currency", "start_year", "end_year",
                "source", "section"),
    "links": ("source_id", "target_id", "kind", "year", "source", "section"),
}
_KEYS = {"actors": ("id",), "partnerships": ("id",), "memberships": ("actor_id", "partnership_id"),
         "funding": ("funder_id", "recipient_id", "programme"), "links": ("source_id", "target_id", "kind")}


def _upsert_sql(table: str) -> str:
    cols, keys = _COLS[table], _KEYS[table]
    updates = ", ".join(f"{c} = excluded.{c}" for c in cols if c not in keys)
    return (f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
            f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}")


_UPSERT = {t: _upsert_sql(t) for t in _COLS}
_UPSERT_OWNED = {t: sd.upsert_with_dataset_sql(t, _COLS[t], _KEYS[t]) for t in _COLS}


class SQLiteStore(Store):
    """The embedded default store: a single SQLite file."""

    name = "sqlite"

    def __init__(self, path: str | Path, *, read_only: bool = False, timeout: float | None = None,
                 legacy_dataset: str | None = None) -> None:
        """Open (creating or migrating) the file at ``path``.

        ``legacy_dataset`` names the dataset of the records a file written before datasets existed
        holds (default ``default``); it only matters on the open that migrates such a file.
        """
        self.path = Path(path).expanduser()
        # One connection serves every thread of a process (the dashboard's pages and its warm-up and
        # write-back threads): its transactions are taken one at a time.
        self._lock = threading.RLock()
        self.legacy_dataset = legacy_dataset or DEFAULT_DATASET
        self.migrated_from: int | None = None
        self.read_only = read_only
        if timeout is None:
            timeout = _lock_timeout()
        self.timeout = timeout
        try:
            if read_only:
                if not self.path.exists():
                    raise StoreUnavailable(
                        f"SQLite store {self.path} does not exist",
                        hint="ingest data first (partnet ingest PATH) or point PARTNET_DB at an existing file",
                    )
                self._con = self._connect_read_only(timeout)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._con = sqlite3.connect(self.path, timeout=timeout, isolation_level=None,
                                            check_same_thread=False)
                self._con.execute("PRAGMA journal_mode=WAL")
                self._con.execute("PRAGMA synchronous=NORMAL")
            self._con.execute("PRAGMA foreign_keys=ON")
            if not read_only:
                self._migrate()
            elif self.schema_version() == 0:
                raise StoreUnavailable(f"SQLite store {self.path} holds no partnet data",
                                       hint="ingest data first (partnet ingest PATH)")
            elif self.schema_version() < SCHEMA_VERSION:
                raise StoreUnavailable(
                    f"SQLite store {self.path} was written by an older partnet (schema version "
                    f"{self.schema_version()}, now {SCHEMA_VERSION}) and cannot be read without being upgraded",
                    hint="open it once for writing to upgrade it, e.g. `partnet store info --db PATH` "
                    "(add --dataset NAME to name its records' dataset on `partnet ingest`)")
        except sqlite3.Error as e:
            raise self._error(e, "open") from None
        except OSError as e:
            raise StoreUnavailable(
                f"cannot create the SQLite store at {self.path}: {e.strerror or e}",
                hint="check that the folder exists and is writable, or set PARTNET_DB / --db to another path",
            ) from None

    def _connect_read_only(self, timeout: float) -> sqlite3.Connection:
        """Open ``mode=ro``; in a folder nobody may write to, fall back to ``immutable=1``.

        A WAL-mode file needs its ``-shm`` beside it even to be read; in a read-only folder
        that cannot be created. No writer can change the file there either (it would need to
        create ``-wal``), so reading it as immutable is safe, provided no ``-wal`` holds
        committed data that is not yet in the file.
        """
        uri = self.path.resolve().as_uri()
        con = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=timeout, isolation_level=None,
                              check_same_thread=False)
        try:
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return con
        except sqlite3.OperationalError:
            con.close()
            folder = self.path.resolve().parent
            if os.access(folder, os.W_OK) or Path(f"{self.path}-wal").exists():
                raise
        return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, timeout=timeout, isolation_level=None,
                               check_same_thread=False)

    # -- errors --------------------------------------------------------------------
    def _error(self, e: sqlite3.Error, doing: str) -> StoreError:
        msg = str(e)
        code = getattr(e, "sqlite_errorname", "")
        if code == "SQLITE_FULL" or (code.startswith("SQLITE_IOERR") and doing != "open"):
            return StoreError(
                f"could not {doing} the SQLite store {self.path}: {msg} ({code}) - the disk is full, the file "
                "hit a size limit, or the device failed; the transaction was rolled back, nothing was written",
                hint="free some space (or move the store with PARTNET_DB / --db), then retry")
        if "readonly" in msg or "read-only" in msg:
            return StoreUnavailable(
                f"the SQLite store {self.path} is read-only ({doing}: {msg})",
                hint="check the file's and its folder's permissions, or set PARTNET_DB / --db to a writable path",
            )
        if "unable to open" in msg or "disk I/O" in msg or "not a database" in msg:
            return StoreUnavailable(
                f"cannot {doing} the SQLite store {self.path}: {msg}",
                hint="check the path exists, is a partnet database and is readable/writable; "
                "or set PARTNET_DB / --db to another path",
            )
        if "locked" in msg or "busy" in msg:
            return StoreError(f"the SQLite store {self.path} stayed locked by another process for "
                              f"{getattr(self, 'timeout', DEFAULT_LOCK_TIMEOUT):.0f} s ({msg}); nothing was written",
                              hint="wait for the other partnet command to finish, then retry "
                              "(PARTNET_LOCK_TIMEOUT sets how many seconds to wait)")
        if "full" in msg:
            return StoreError(f"the disk holding {self.path} is full ({msg}); nothing was written",
                              hint="free some space or move the store (PARTNET_DB / --db)")
        return StoreError(f"SQLite store {self.path}: {doing} failed: {msg}")

    # -- schema --------------------------------------------------------------------
    def schema_version(self) -> int:
        """The schema version recorded in the file (0 for a new file)."""
        has = self._con.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_version'").fetchone()
        if not has:
            return 0
        row = self._con.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(row[0] or 0)

    def _migrate(self) -> None:
        current = self.schema_version()
        if current > SCHEMA_VERSION:
            raise StoreError(f"SQLite store {self.path} has schema version {current}, newer than this partnet "
                             f"({SCHEMA_VERSION})", hint="upgrade partnet")
        if current == SCHEMA_VERSION:
            return
        with self._transaction():
            self._con.execute("CREATE TABLE IF NOT EXISTS schema_version "
                              "(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)")
            for version in range(current + 1, SCHEMA_VERSION + 1):
                for stmt in MIGRATIONS[version]:
                    self._con.execute(stmt)
                self._con.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))
            self._con.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('data_version', '0')")
            if 0 < current < 4:  # records written before datasets existed join one dataset
                sd.rename_legacy(self._con, self.legacy_dataset)
                sd.add_history(self._con, entry("migrate", self.legacy_dataset))
        self.migrated_from = current

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            yield from self._locked_transaction()

    def _locked_transaction(self) -> Iterator[sqlite3.Connection]:
        self._con.execute("BEGIN IMMEDIATE")
        try:
            yield self._con
        except BaseException:
            # SQLite may already have rolled back by itself (disk full, I/O error): then a
            # second ROLLBACK would fail and hide the real error.
            if self._con.in_transaction:
                with suppress(sqlite3.Error):
                    self._con.execute("ROLLBACK")
            raise
        else:
            try:
                self._con.execute("COMMIT")
            except BaseException:
                if self._con.in_transaction:
                    with suppress(sqlite3.Error):
                        self._con.execute("ROLLBACK")
                raise

    # -- writing -------------------------------------------------------------------
    def _check_writable(self) -> None:
        if self.read_only:
            raise ReadOnlyError(f"the SQLite store {self.path} is open read-only; nothing was written",
                                hint="unset PARTNET_READ_ONLY to allow writes")

    def write(self, ds: Dataset) -> dict[str, int]:
        """Upsert ``ds`` in one transaction; unknown references roll everything back."""
        self._check_writable()
        ds = ds.deduplicated()
        rows = sd.record_rows(ds)
        try:
            with self._transaction() as con:
                for table, batch in rows.items():
                    if batch:
                        con.executemany(_UPSERT[table], batch)
                self._check_references(con)
                con.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_version'")
        except IntegrityError:
            raise
        except sqlite3.IntegrityError as e:
            raise IntegrityError(f"SQLite store {self.path}: the write was refused ({e}); nothing was written",
                                 hint="every referenced actor and partnership must be in the same import "
                                 "or already stored") from None
        except sqlite3.Error as e:
            raise self._error(e, "write to") from None
        return ds.counts()

    def _check_references(self, con: sqlite3.Connection) -> None:
        missing = con.execute("""
            SELECT 'memberships', 'actor_id', m.actor_id FROM memberships m
              WHERE m.actor_id NOT IN (SELECT id FROM actors)
            UNION ALL SELECT 'memberships', 'partnership_id', m.partnership_id FROM memberships m
              WHERE m.partnership_id NOT IN (SELECT id FROM partnerships)
            UNION ALL SELECT 'funding', 'funder_id', f.funder_id FROM funding f
              WHERE f.funder_id NOT IN (SELECT id FROM actors)
            UNION ALL SELECT 'funding', 'recipient_id', f.recipient_id FROM funding f
              WHERE f.recipient_id NOT IN (SELECT id FROM actors)
                AND f.recipient_id NOT IN (SELECT id FROM partnerships)
            UNION ALL SELECT 'links', 'source_id', k.source_id FROM links k
              WHERE k.source_id NOT IN (SELECT id FROM actors)
            UNION ALL SELECT 'links', 'target_id', k.target_id FROM links k
              WHERE k.target_id NOT IN (SELECT id FROM actors)
            UNION ALL SELECT 'partnerships', 'parent_id', p.parent_id FROM partnerships p
              WHERE p.parent_id IS NOT NULL AND p.parent_id NOT IN (SELECT id FROM partnerships)
            LIMIT 20""").fetchall()
        if missing:
            listed = "; ".join(f"{t}.{c} = {v!r}" for t, c, v in missing)
            raise IntegrityError(f"unknown ids referenced: {listed}; nothing was written",
                                 hint="add the missing actors/partnerships to the import, or fix the ids")

    def delete_all(self) -> None:
        """Remove every record in one transaction."""
        self._check_writable()
        try:
            with self._transaction() as con:
                for table in ("links", "funding", "memberships", "partnerships", "actors", "sources"):
                    con.execute(f"DELETE FROM {table}")  # table names from the fixed list above
                con.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_version'")
        except sqlite3.Error as e:
            raise self._error(e, "delete from") from None

    # -- reading -------------------------------------------------------------------
    def _select(self, table: str) -> list[tuple]:
        try:
            return self._con.execute(f"SELECT {', '.join(_COLS[table])} FROM {table}").fetchall()
        except sqlite3.Error as e:
            raise self._error(e, "read") from None

    def read_dataset(self) -> Dataset:
        """Every stored record."""
        return self._read(with_owners=False)[0]

    def _read(self, *, with_owners: bool) -> tuple[Dataset, Owners]:
        try:
            with self._lock:
                self._con.execute("BEGIN")
                try:
                    return sd.read_state(self._con, _COLS, with_owners=with_owners)
                finally:
                    self._con.execute("COMMIT")
        except sqlite3.Error as e:
            raise self._error(e, "read") from None

    # -- datasets, history, sources ----------------------------------------------------
    def read_state(self) -> tuple[Dataset, Owners]:
        """Every stored record and the dataset of each, in one read transaction."""
        return self._read(with_owners=True)

    def apply(self, change: Change) -> None:
        """Apply ``change`` in one transaction (`graph.sqlite_datasets.apply`); unknown references roll it back."""
        self._check_writable()
        try:
            with self._transaction() as con:
                if change.expected_version is not None and self.data_version() != change.expected_version:
                    raise StaleStateError("the store changed while the import was being prepared; nothing was "
                                          "written", hint="run the command again")
                sd.apply(con, change, _UPSERT_OWNED)
                self._check_references(con)
                con.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_version'")
        except (IntegrityError, StaleStateError):
            raise
        except sqlite3.IntegrityError as e:
            raise IntegrityError(f"SQLite store {self.path}: the change was refused ({e}); nothing was written",
                                 hint="every referenced actor and partnership must be in the same import "
                                 "or already stored") from None
        except sqlite3.Error as e:
            raise self._error(e, "write to") from None

    def write_results(self, results: StoredResults) -> None:
        """Keep ``results`` in one transaction (`graph.results_sqlite.write`); the data version is unchanged."""
        self._check_writable()
        try:
            with self._transaction() as con:
                rs.write(con, results, self.data_version())
        except sqlite3.Error as e:
            raise self._error(e, "write results to") from None

    def read_results(self, params: dict) -> StoredResults | None:
        """The results stored for ``params`` at the current data version, or None."""
        return self._query(lambda con: rs.read(con, params_key(params), self.data_version()))

    def read_results_run(self, params: dict) -> dict[str, str] | None:
        """The run record of the results stored for ``params`` at the current data version, or None."""
        return self._query(lambda con: rs.read_run(con, params_key(params), self.data_version()))

    def _query(self, fn):
        try:
            return fn(self._con)
        except sqlite3.Error as e:
            raise self._error(e, "read") from None

    def read_history(self) -> list[dict]:
        """History entries, oldest first."""
        return self._query(sd.read_history)

    def read_sources(self) -> list[dict]:
        """Stored source documents."""
        return self._query(sd.read_sources)

    def dataset_counts(self) -> dict[str, dict[str, int]]:
        """Dataset -> records per table."""
        return self._query(sd.dataset_counts)

    def counts(self) -> dict[str, int]:
        """Rows per label / relationship type."""
        out = {}
        try:
            for key in COUNT_KEYS:
                if key == "PART_OF":
                    sql = "SELECT count(*) FROM partnerships WHERE parent_id IS NOT NULL"
                else:
                    sql = f"SELECT count(*) FROM {_TABLE_OF[key]}"
                out[key] = self._con.execute(sql).fetchone()[0]
        except sqlite3.Error as e:
            raise self._error(e, "count") from None
        return out

    def data_version(self) -> str:
        """``sqlite:<path>:<write counter>``; the counter is bumped by every write."""
        try:
            row = self._con.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()
        except sqlite3.Error as e:
            raise self._error(e, "read") from None
        return f"sqlite:{self.path.resolve()}:{row[0] if row else 0}"

    def info(self) -> StoreInfo:
        """Path, schema version, counts."""
        return StoreInfo(name=self.name, location=str(self.path.resolve()), schema_version=self.schema_version(),
                         counts=self.counts(), read_only=self.read_only,
                         details={"journal_mode": self._con.execute("PRAGMA journal_mode").fetchone()[0]})

    def close(self) -> None:
        """Close the connection."""
        con = getattr(self, "_con", None)
        if con is not None:
            con.close()
            self._con = None  # type: ignore[assignment]
