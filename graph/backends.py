"""Choose and open a store backend: SQLite (embedded, the default) or Neo4j (a server).

The interface is `graph.store.Store`; this module is the only one that knows both backends.
"""

from __future__ import annotations

from pathlib import Path

from graph.store import Store

__all__ = ["open_store"]


def open_store(
    kind: str | None = None,
    *,
    path: str | Path | None = None,
    read_only: bool = False,
    batch_size: int | None = None,
    legacy_dataset: str | None = None,
) -> Store:
    """Open the store named by ``kind`` (``sqlite``/``neo4j``, default from ``PARTNET_STORE``).

    SQLite uses ``path`` or `graph.config.default_sqlite_path`; Neo4j reads its settings
    from the environment or ``.env``. Raises `graph.errors.StoreUnavailable` when the store
    cannot be reached. ``legacy_dataset`` names the dataset that records written before datasets
    existed join when this open migrates the store (default ``default``).
    """
    from graph.config import Neo4jSettings, default_sqlite_path, store_kind

    kind = store_kind(kind)
    if kind == "neo4j":
        from graph.neo4j_store import Neo4jStore

        kw = {"batch_size": batch_size} if batch_size else {}
        return Neo4jStore(Neo4jSettings.from_env(), read_only=read_only, legacy_dataset=legacy_dataset, **kw)
    from graph.sqlite_store import SQLiteStore

    return SQLiteStore(Path(path) if path else default_sqlite_path(), read_only=read_only,
                       legacy_dataset=legacy_dataset)
