"""Back up and restore the embedded SQLite store, and fingerprint a store's content.

Both directions use SQLite's online backup API (``sqlite3.Connection.backup``, i.e.
``sqlite3_backup_step`` with ``-1`` pages: the whole database copied in one step, which is
one read transaction on the source and one write transaction on the destination):

- `backup_sqlite` copies a live store (other readers and writers may be running) into a
  staged file beside the destination, checks it, and renames it into place, so the
  destination is either the complete old file or the complete new one.
- `restore_sqlite` first validates that the file is a partnet database (SQLite header,
  ``PRAGMA integrity_check``, schema version, tables, foreign keys, every record valid),
  stages a copy beside the store with a fresh data version, and only then copies that
  staged file into the store in one write transaction. A crash in the middle leaves the
  store's write-ahead log holding an uncommitted transaction, which SQLite discards on the
  next open: the store is never half-restored.

Any other store (Neo4j) is backed up into the same kind of file with `backup_store`: its whole
content is read in one read transaction and written to a staged partnet SQLite file, checked
against the content's fingerprint, then renamed into place. `restore_store` validates such a
file and replaces the store's content in one write transaction. Both keep each record's dataset,
the sources and the history (`graph.backup_provenance`).
The server's own tools (``neo4j-admin database dump``/``load``, server stopped) remain the way
to copy a whole Neo4j database with its indexes and users.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from graph.errors import StoreError, StoreUnavailable
from graph.model import Dataset

__all__ = ["BackupResult", "backup_sqlite", "backup_store", "check_partnet_file", "dataset_fingerprint",
           "restore_sqlite", "restore_store"]

_SQLITE_MAGIC = b"SQLite format 3\x00"
_TABLES = ("actors", "partnerships", "memberships", "funding", "links", "meta", "schema_version")
_LOCK_TIMEOUT = 30.0


@dataclass(frozen=True)
class BackupResult:
    """What a backup or restore did: the file written, what it holds, and its content fingerprint."""

    path: Path
    counts: dict[str, int]
    fingerprint: str
    schema_version: int


def dataset_fingerprint(ds: Dataset) -> str:
    """SHA-256 of a dataset's canonical form: every record of every table, in key order.

    Each record becomes its ``as_dict()`` as JSON with sorted keys (floats by ``repr``, so a
    changed amount changes the fingerprint); two stores hold the same content exactly when
    their fingerprints are equal, whatever their kind or the order records were written in.
    """
    h = hashlib.sha256()
    canonical = ds.deduplicated().sorted()
    for table in Dataset.TABLES:
        h.update(f"\x1e{table}\x1f".encode())
        for rec in getattr(canonical, table):
            h.update(json.dumps(rec.as_dict(), sort_keys=True, ensure_ascii=False).encode())
            h.update(b"\x1d")
    return h.hexdigest()


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _staging_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.partnet-staging-{os.getpid()}")


def _remove_staged(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()


def _copy(src: sqlite3.Connection, dst: sqlite3.Connection, what: str, timeout: float) -> None:
    """Copy ``src`` into ``dst`` with the backup API in one step; wait at most ``timeout`` s for locks."""
    deadline = time.monotonic() + timeout

    def progress(status: int, remaining: int, total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise TimeoutError(what)

    try:
        src.backup(dst, pages=-1, progress=progress, sleep=0.1)
    except TimeoutError:
        raise StoreError(f"{what}: the database stayed locked by another process for {timeout:.0f} s; "
                         "nothing was changed",
                         hint="wait for the other partnet command to finish, then retry") from None


def _connect_ro(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None, timeout=_LOCK_TIMEOUT)


def check_partnet_file(path: str | Path) -> BackupResult:
    """Validate that ``path`` is a complete, readable partnet SQLite database; raise `StoreError` if not.

    Checks, in order: the file exists and starts with the SQLite header; ``PRAGMA
    integrity_check`` answers ``ok``; the ``schema_version`` table holds a version this
    partnet knows; every partnet table exists; ``PRAGMA foreign_key_check`` finds no
    dangling reference; every record reads back as a valid typed record (closed
    vocabularies). Returns its counts and content fingerprint.
    """
    from graph.sqlite_store import SCHEMA_VERSION, SQLiteStore

    path = Path(path).expanduser()
    what = f"{path} is not a usable partnet backup"
    if not path.is_file():
        raise StoreError(f"{path} does not exist or is not a file", hint="give the path of a file made by "
                         "`partnet store backup`")
    with open(path, "rb") as fh:
        if fh.read(16) != _SQLITE_MAGIC:
            raise StoreError(f"{what}: it is not an SQLite database", hint="give a file made by `partnet store backup`")
    try:
        con = _connect_ro(path)
        try:
            problems = [r[0] for r in con.execute("PRAGMA integrity_check").fetchall()]
            if problems != ["ok"]:
                raise StoreError(f"{what}: it is damaged ({'; '.join(problems[:3])})",
                                 hint="use another backup; this one cannot be restored safely")
            names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "schema_version" not in names:
                raise StoreError(f"{what}: it is an SQLite database but not a partnet store (no schema_version table)",
                                 hint="give a file made by `partnet store backup`")
            version = int(con.execute("SELECT max(version) FROM schema_version").fetchone()[0] or 0)
            if not 1 <= version <= SCHEMA_VERSION:
                raise StoreError(f"{what}: its schema version {version} is not one this partnet knows "
                                 f"(1..{SCHEMA_VERSION})", hint="upgrade partnet, or use a backup it made")
            missing = [t for t in _TABLES if t not in names]
            if missing:
                raise StoreError(f"{what}: tables missing: {', '.join(missing)}",
                                 hint="give a file made by `partnet store backup`")
            con.execute("PRAGMA foreign_keys = ON")
            dangling = con.execute("PRAGMA foreign_key_check").fetchall()
            if dangling:
                raise StoreError(f"{what}: {len(dangling)} record(s) refer to missing records "
                                 f"(first in table {dangling[0][0]})", hint="use another backup")
        finally:
            con.close()
        st = SQLiteStore(path, read_only=True)
        try:
            ds = st.read_dataset()
            counts = st.counts()
        finally:
            st.close()
    except StoreError:
        raise
    except sqlite3.Error as e:
        raise StoreError(f"{what}: {e}", hint="give a file made by `partnet store backup`") from None
    except (ValueError, TypeError, json.JSONDecodeError) as e:
        raise StoreError(f"{what}: it holds an invalid record ({e})", hint="use another backup") from None
    return BackupResult(path=path, counts=counts, fingerprint=dataset_fingerprint(ds), schema_version=version)


def backup_sqlite(db_path: str | Path, dest: str | Path, *, overwrite: bool = False,
                  timeout: float = _LOCK_TIMEOUT) -> BackupResult:
    """Copy the SQLite store at ``db_path`` to ``dest`` with the online backup API; return what was saved.

    The copy is a consistent snapshot even while other processes read or write the store.
    It is written to a staged file beside ``dest`` (rollback-journal mode, so the backup
    is one self-contained file), checked with `check_partnet_file`, flushed to disk and
    renamed over ``dest`` atomically. ``dest`` is refused if it exists, unless ``overwrite``.
    """
    from graph.sqlite_store import SQLiteStore

    db_path, dest = Path(db_path).expanduser(), Path(dest).expanduser()
    if dest.exists() and not overwrite:
        raise StoreError(f"{dest} already exists; nothing was written", hint="choose another path or add --force")
    if dest.exists() and dest.is_dir():
        raise StoreError(f"{dest} is a folder", hint="give a file path, e.g. partnet-backup.db")
    if dest.resolve() == db_path.resolve():
        raise StoreError(f"{dest} is the store itself", hint="give another path for the backup")
    src_store = SQLiteStore(db_path, read_only=True)  # validates: exists, is a partnet store
    src_store.close()
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise StoreError(f"cannot create the folder {dest.parent}: {e.strerror or e}",
                         hint="choose a writable location for the backup") from None
    staged = _staging_path(dest)
    _remove_staged(staged)
    try:
        src = _connect_ro(db_path)
        try:
            out = sqlite3.connect(staged, isolation_level=None)
            try:
                _copy(src, out, f"backup of {db_path}", timeout)
                out.execute("PRAGMA journal_mode = DELETE")
            finally:
                out.close()
        finally:
            src.close()
        _fsync_file(staged)
        result = check_partnet_file(staged)
        os.replace(staged, dest)
        _fsync_dir(dest.parent)
    except sqlite3.Error as e:
        _remove_staged(staged)
        msg = str(e)
        if "full" in msg:
            raise StoreError(f"the disk holding {dest} is full; no backup was written",
                             hint="free some space or back up to another disk") from None
        raise StoreError(f"backup of {db_path} to {dest} failed: {msg}; nothing was written",
                         hint="check both paths are readable/writable") from None
    except OSError as e:
        _remove_staged(staged)
        raise StoreError(f"cannot write the backup {dest}: {e.strerror or e}; nothing was written",
                         hint="choose a writable location with enough free space") from None
    except BaseException:
        _remove_staged(staged)
        raise
    return BackupResult(path=dest, counts=result.counts, fingerprint=result.fingerprint,
                        schema_version=result.schema_version)


def restore_sqlite(backup: str | Path, db_path: str | Path, *, timeout: float = _LOCK_TIMEOUT) -> BackupResult:
    """Replace the content of the SQLite store at ``db_path`` by the backup file ``backup``, atomically.

    1. `check_partnet_file` validates the backup (nothing is touched if it fails).
    2. The backup is copied to a staged file beside the store, where the data version is set
       past the store's current one (so cached analyses are recomputed) and the page size is
       matched to the store's.
    3. The staged file is copied into the store with the backup API in one step: one write
       transaction, waiting at most ``timeout`` seconds for other writers. A crash here
       leaves an uncommitted transaction in the store's write-ahead log that SQLite rolls
       back on the next open; a store that did not exist yet is created by an atomic rename.
    4. The store is re-opened (migrating an older schema) and its fingerprint compared with
       the backup's.
    """
    from graph.sqlite_store import SQLiteStore

    backup, db_path = Path(backup).expanduser(), Path(db_path).expanduser()
    checked = check_partnet_file(backup)
    if db_path.exists() and db_path.resolve() == backup.resolve():
        raise StoreError(f"{backup} is the store itself", hint="give the path of a backup file")
    current_version = 0
    page_size = None
    if db_path.exists():
        try:
            cur = SQLiteStore(db_path, read_only=True)
        except StoreUnavailable as e:
            raise StoreError(f"the store {db_path} exists but is not a partnet database ({e.message}); "
                             "nothing was restored", hint="move that file away, or give --db another path") from None
        try:
            row = cur._con.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()
            current_version = int(row[0]) if row else 0
            page_size = int(cur._con.execute("PRAGMA page_size").fetchone()[0])
        finally:
            cur.close()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    staged = _staging_path(db_path)
    _remove_staged(staged)
    try:
        src = _connect_ro(backup)
        try:
            st = sqlite3.connect(staged, isolation_level=None)
            try:
                _copy(src, st, f"reading the backup {backup}", timeout)
                row = st.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()
                new_version = max(int(row[0]) if row else 0, current_version) + 1
                st.execute("INSERT INTO meta (key, value) VALUES ('data_version', ?) "
                           "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (str(new_version),))
                if page_size and int(st.execute("PRAGMA page_size").fetchone()[0]) != page_size:
                    st.execute(f"PRAGMA page_size = {int(page_size)}")
                    st.execute("VACUUM")
            finally:
                st.close()
        finally:
            src.close()
        if db_path.exists():
            stc = _connect_ro(staged)
            try:
                dst = sqlite3.connect(db_path, isolation_level=None, timeout=timeout)
                try:
                    _copy(stc, dst, f"restore into {db_path}", timeout)
                finally:
                    dst.close()
            finally:
                stc.close()
            _remove_staged(staged)
        else:
            wal = sqlite3.connect(staged, isolation_level=None)
            try:
                wal.execute("PRAGMA journal_mode = WAL")
            finally:
                wal.close()
            _fsync_file(staged)
            os.replace(staged, db_path)
            _fsync_dir(db_path.parent)
    except sqlite3.Error as e:
        _remove_staged(staged)
        msg = str(e)
        if "full" in msg:
            raise StoreError(f"the disk holding {db_path} is full; the store was not changed",
                             hint="free some space, then retry") from None
        if "readonly" in msg or "read-only" in msg:
            raise StoreError(f"the store {db_path} is read-only; it was not changed",
                             hint="check the file's and its folder's permissions") from None
        raise StoreError(f"restore of {backup} into {db_path} failed: {msg}; the store was not changed") from None
    except OSError as e:
        _remove_staged(staged)
        raise StoreError(f"cannot restore into {db_path}: {e.strerror or e}; the store was not changed",
                         hint="check the folder is writable and has free space") from None
    except BaseException:
        _remove_staged(staged)
        raise
    with SQLiteStore(db_path) as st:  # migrates an older schema; re-reads what landed
        landed = dataset_fingerprint(st.read_dataset())
        counts = st.counts()
        version = st.schema_version()
    if landed != checked.fingerprint:
        raise StoreError(f"restore into {db_path}: the content read back differs from the backup {backup}",
                         hint="report this as a bug; restore the backup again")
    return BackupResult(path=db_path, counts=counts, fingerprint=landed, schema_version=version)


def backup_store(store, dest: str | Path, *, overwrite: bool = False) -> BackupResult:
    """Back up any store into a partnet SQLite file at ``dest`` (see `backup_sqlite` for the SQLite store).

    The content is read once (`Store.read_dataset`, one read transaction on Neo4j), written to a
    staged SQLite file beside ``dest`` in one transaction, checked with `check_partnet_file` and
    compared with the fingerprint of what was read, then renamed over ``dest``. Each record's
    dataset, the sources and the history are kept (`graph.backup_provenance`).
    """
    from graph.backup_provenance import provenance_fingerprint, read_snapshot, write_snapshot
    from graph.sqlite_store import SQLiteStore

    if isinstance(store, SQLiteStore):
        return backup_sqlite(store.path, dest, overwrite=overwrite)
    dest = Path(dest).expanduser()
    if dest.exists() and not overwrite:
        raise StoreError(f"{dest} already exists; nothing was written", hint="choose another path or add --force")
    snap = read_snapshot(store)  # records, datasets, sources, history (one read transaction on Neo4j)
    expected = dataset_fingerprint(snap.ds), provenance_fingerprint(snap)
    dest.parent.mkdir(parents=True, exist_ok=True)
    staged = _staging_path(dest)
    _remove_staged(staged)
    try:
        with SQLiteStore(staged) as st:
            write_snapshot(st, snap)
            landed_provenance = provenance_fingerprint(read_snapshot(st))
        con = sqlite3.connect(staged, isolation_level=None)
        try:
            con.execute("PRAGMA journal_mode = DELETE")
        finally:
            con.close()
        _fsync_file(staged)
        result = check_partnet_file(staged)
        if (result.fingerprint, landed_provenance) != expected:
            raise StoreError(f"the backup of {store.info().location} read back differs from the store",
                             hint="report this as a bug; nothing was written")
        os.replace(staged, dest)
        _fsync_dir(dest.parent)
    except OSError as e:
        _remove_staged(staged)
        raise StoreError(f"cannot write the backup {dest}: {e.strerror or e}; nothing was written",
                         hint="choose a writable location with enough free space") from None
    except BaseException:
        _remove_staged(staged)
        raise
    return BackupResult(path=dest, counts=result.counts, fingerprint=result.fingerprint,
                        schema_version=result.schema_version)


def restore_store(backup: str | Path, store) -> BackupResult:
    """Replace the content of any store by the backup file ``backup``; nothing changes unless all of it lands.

    SQLite: `restore_sqlite`. Otherwise (Neo4j): `check_partnet_file` validates the file first,
    then the old content is deleted and the backup's written in one transaction with each record's
    dataset, the sources and the history (`graph.backup_provenance.restore_snapshot`), and the
    store's fingerprints (records and provenance) are compared with the backup's.
    """
    from graph.backup_provenance import provenance_fingerprint, read_snapshot, restore_snapshot
    from graph.sqlite_store import SQLiteStore

    if isinstance(store, SQLiteStore):
        path = store.path
        store.close()
        return restore_sqlite(backup, path)
    checked = check_partnet_file(backup)
    with SQLiteStore(Path(backup).expanduser(), read_only=True) as src:
        snap = read_snapshot(src)
    restore_snapshot(store, snap)
    after = read_snapshot(store)
    landed = dataset_fingerprint(after.ds)
    if (landed, provenance_fingerprint(after)) != (checked.fingerprint, provenance_fingerprint(snap)):
        raise StoreError(f"restore into {store.info().location}: the content read back differs from the backup",
                         hint="report this as a bug; restore the backup again")
    return BackupResult(path=Path(store.info().location), counts=store.counts(), fingerprint=landed,
                        schema_version=checked.schema_version)
