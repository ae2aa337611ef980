"""Datasets, sources and history in the backup of a store other than SQLite (Neo4j), and back.

An SQLite store is backed up and restored as a whole file (`graph.backup.backup_sqlite`), which
keeps its ``dataset`` columns, ``sources`` and ``history`` tables as they are. A Neo4j store is
copied record by record, so the provenance travels explicitly:

- `read_snapshot` reads every record with its dataset, the sources and the history (on Neo4j
  in ONE read transaction, `graph.neo4j_datasets.read_snapshot`);
- `write_snapshot` writes it into a fresh partnet SQLite file: records with their datasets
  (`SQLiteStore.apply`), then the sources and the history entries with their ``seq``;
- `restore_snapshot` replaces a Neo4j store's content, sources and history in ONE write
  transaction (`graph.neo4j_datasets.replace_snapshot`): an interrupted restore leaves the old state;
- `provenance_fingerprint` is the SHA-256 of the owners, sources and history in canonical
  form; with `graph.backup.dataset_fingerprint` it proves that what landed is what was read.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from graph.datasets import DEFAULT_DATASET, Change, Owners
from graph.model import Dataset

__all__ = ["Snapshot", "provenance_fingerprint", "read_snapshot", "restore_snapshot", "write_snapshot"]

_HISTORY_KEYS = ("seq", "at", "action", "dataset", "files", "counts", "version")
_SOURCE_KEYS = ("dataset", "id", "title", "file", "description")


@dataclass
class Snapshot:
    """A store's whole content: records, the dataset of each record key, sources and history."""

    ds: Dataset
    owners: Owners
    sources: list[dict[str, Any]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)

    def owner_lists(self) -> dict[str, list[str]]:
        """Table -> the dataset of each record of ``ds`` in order (``default`` when unknown)."""
        return {t: [self.owners.get(t, {}).get(r.key, DEFAULT_DATASET) for r in getattr(self.ds, t)]
                for t in Dataset.TABLES}


def provenance_fingerprint(snap: Snapshot) -> str:
    """SHA-256 of the owners (table, key, dataset; sorted), sources (sorted) and history (by ``seq``), as JSON."""
    owners = sorted([t, list(k), d] for t, own in snap.owners.items() for k, d in own.items())
    sources = sorted([str(s.get(c) or "") for c in _SOURCE_KEYS] for s in snap.sources)
    history = [[e.get(c) for c in _HISTORY_KEYS] for e in sorted(snap.history, key=lambda e: int(e["seq"]))]
    text = json.dumps([owners, sources, history], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def read_snapshot(store: Any) -> Snapshot:
    """Everything ``store`` holds (`Store.read_state`, `read_sources`, `read_history`; one transaction on Neo4j)."""
    from graph.neo4j_store import Neo4jStore

    if isinstance(store, Neo4jStore):
        from graph.neo4j_datasets import read_snapshot as neo4j_snapshot

        ds, owners, sources, history = neo4j_snapshot(store)
        return Snapshot(ds, owners, sources, history)
    ds, owners = store.read_state()
    return Snapshot(ds, owners, store.read_sources(), store.read_history())


def write_snapshot(st: Any, snap: Snapshot) -> None:
    """Write ``snap`` into the EMPTY SQLite store ``st`` (a staged backup file): records with their datasets,
    then sources and history (``seq`` kept), each step one transaction."""
    st.apply(Change(dataset=DEFAULT_DATASET, upserts=snap.ds, owners=snap.owner_lists()))
    with st._transaction() as con:
        con.executemany("INSERT INTO sources (dataset, id, title, file, description) VALUES (?, ?, ?, ?, ?)",
                        [tuple(str(s.get(c) or "") for c in _SOURCE_KEYS) for s in snap.sources])
        con.executemany("INSERT INTO history (seq, at, action, dataset, files, counts, version) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [(int(e["seq"]), e["at"], e["action"], e["dataset"], json.dumps(e.get("files") or []),
                          json.dumps(e.get("counts") or {}), e.get("version", "")) for e in snap.history])


def restore_snapshot(store: Any, snap: Snapshot) -> None:
    """Replace everything ``store`` holds by ``snap`` in one transaction (Neo4j: records with their datasets,
    sources, history and its counter); other stores get the records only (`replace_all`)."""
    from graph.neo4j_store import Neo4jStore

    if isinstance(store, Neo4jStore):
        from graph.errors import IntegrityError
        from graph.neo4j_datasets import replace_snapshot
        from graph.neo4j_store import _Missing

        try:
            replace_snapshot(store, snap.ds, snap.owner_lists(), snap.sources, snap.history)
        except _Missing as m:
            raise IntegrityError(f"unknown ids referenced: {'; '.join(f'{m.table}.{x}' for x in m.missing)}; "
                                 "nothing was changed", hint="the backup is inconsistent; use another one") from None
    else:
        store.replace_all(snap.ds)
