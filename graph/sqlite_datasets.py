"""Datasets, history and sources in the SQLite store (the work behind `SQLiteStore.apply` and friends).

Schema 4 gives every record table a ``dataset`` column and adds the ``sources`` and ``history``
tables (`MIGRATION`). `apply` runs one ``BEGIN IMMEDIATE ... COMMIT``: deletions, upserts that
set each record's dataset, the reference check, sources, the history row and the data version,
so a crash at any point leaves the previous state.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from graph.datasets import DEFAULT_DATASET, Change, Owners
from graph.model import Actor, Dataset, Funding, Link, Membership, Partnership

__all__ = ["MIGRATION", "apply", "dataset_counts", "read_history", "read_sources", "read_state",
           "record_rows", "rename_legacy"]

_RECORD_TABLES = ("actors", "partnerships", "memberships", "funding", "links")
#: Schema 3 -> 4: datasets, sources, history.
MIGRATION: tuple[str, ...] = (
    *(f"ALTER TABLE {t} ADD COLUMN dataset TEXT NOT NULL DEFAULT '{DEFAULT_DATASET}'" for t in _RECORD_TABLES),
    *(f"CREATE INDEX IF NOT EXISTS {t}_dataset ON {t}(dataset)" for t in _RECORD_TABLES),
    """CREATE TABLE sources (
        dataset TEXT NOT NULL, id TEXT NOT NULL, title TEXT NOT NULL DEFAULT '', file TEXT NOT NULL DEFAULT '',
        description TEXT NOT NULL DEFAULT '', PRIMARY KEY (dataset, id))""",
    """CREATE TABLE history (
        seq INTEGER PRIMARY KEY, at TEXT NOT NULL, action TEXT NOT NULL, dataset TEXT NOT NULL,
        files TEXT NOT NULL DEFAULT '[]', counts TEXT NOT NULL DEFAULT '{}', version TEXT NOT NULL DEFAULT '')""",
)
_SOURCE_COLS = ("id", "title", "file", "description")


def record_rows(ds: Dataset) -> dict[str, list[tuple]]:
    """The rows of each table for ``ds``, in `graph.sqlite_store` column order (without ``dataset``)."""
    return {
        "actors": [(a.id, a.name, json.dumps(list(a.aliases), ensure_ascii=False), a.type, a.family, a.country,
                    a.city, a.scope, a.website, a.source, a.section) for a in ds.actors],
        "partnerships": [(p.id, p.name, p.kind, p.code, p.theme, p.level, p.start_year, p.end_year,
                          p.parent_id or None, p.source, p.section, p.status,
                          None if p.members_complete is None else int(p.members_complete))
                         for p in ds.partnerships],
        "memberships": [(m.actor_id, m.partnership_id, m.role, m.source, m.section) for m in ds.memberships],
        "funding": [(f.funder_id, f.recipient_id, f.programme, f.amount, f.currency, f.start_year, f.end_year,
                     f.source, f.section) for f in ds.funding],
        "links": [(k.source_id, k.target_id, k.kind, k.year, k.source, k.section) for k in ds.links],
    }


def _record(table: str, r: tuple) -> Any:
    if table == "actors":
        return Actor(id=r[0], name=r[1], aliases=tuple(json.loads(r[2])), type=r[3], country=r[5], city=r[6],
                     scope=r[7], website=r[8], source=r[9], section=r[10])
    if table == "partnerships":
        return Partnership(id=r[0], name=r[1], kind=r[2], code=r[3], theme=r[4], level=r[5], start_year=r[6],
                           end_year=r[7], parent_id=r[8] or "", source=r[9], section=r[10], status=r[11],
                           members_complete=None if r[12] is None else bool(r[12]))
    return {"memberships": Membership, "funding": Funding, "links": Link}[table](*r)


def read_state(con: sqlite3.Connection, cols: dict[str, tuple[str, ...]], *,
               with_owners: bool = True) -> tuple[Dataset, Owners]:
    """Every record and its dataset, read in one statement per table (call inside one read transaction)."""
    ds, owners = Dataset(), {}
    for t in _RECORD_TABLES:
        select = ", ".join(cols[t]) + (", dataset" if with_owners else "")
        out, own = getattr(ds, t), {}
        n = len(cols[t])
        for row in con.execute(f"SELECT {select} FROM {t}"):  # table and columns from fixed lists
            rec = _record(t, row[:n] if with_owners else row)
            out.append(rec)
            if with_owners:
                own[rec.key] = row[-1]
        owners[t] = own
    return ds, owners


_DELETE = {
    "actors": "DELETE FROM actors WHERE id = ?",
    "partnerships": "DELETE FROM partnerships WHERE id = ?",
    "memberships": "DELETE FROM memberships WHERE actor_id = ? AND partnership_id = ?",
    "funding": "DELETE FROM funding WHERE funder_id = ? AND recipient_id = ? AND programme = ?",
    "links": "DELETE FROM links WHERE source_id = ? AND target_id = ? AND kind = ?",
}


def upsert_with_dataset_sql(table: str, cols: tuple[str, ...], keys: tuple[str, ...]) -> str:
    """``INSERT ... ON CONFLICT DO UPDATE`` that also sets the record's ``dataset`` (the last parameter)."""
    allc = (*cols, "dataset")
    updates = ", ".join(f"{c} = excluded.{c}" for c in allc if c not in keys)
    return (f"INSERT INTO {table} ({', '.join(allc)}) VALUES ({', '.join('?' * len(allc))}) "
            f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}")


def apply(con: sqlite3.Connection, change: Change, upsert_sql: dict[str, str]) -> None:
    """Apply ``change`` on ``con`` inside the caller's transaction (deletions first; FKs are deferred)."""
    for t in ("links", "funding", "memberships", "partnerships", "actors"):
        keys = change.deletes.get(t) or []
        if keys:
            con.executemany(_DELETE[t], keys)
    rows = record_rows(change.upserts)
    for t in _RECORD_TABLES:
        batch = rows[t]
        if batch:
            owners = change.owners.get(t) or [change.dataset] * len(batch)
            con.executemany(upsert_sql[t], [(*r, o) for r, o in zip(batch, owners, strict=True)])
    if change.drop_sources or (change.replace_sources and change.sources is not None):
        con.execute("DELETE FROM sources WHERE dataset = ?", (change.dataset,))
    if change.sources:
        con.executemany(
            "INSERT INTO sources (dataset, id, title, file, description) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (dataset, id) DO UPDATE SET title = excluded.title, file = excluded.file, "
            "description = excluded.description",
            [(change.dataset, *(str(s.get(c) or "") for c in _SOURCE_COLS)) for s in change.sources])
    if change.history is not None:
        add_history(con, change.history)


def add_history(con: sqlite3.Connection, e: dict[str, Any]) -> None:
    """Append one history entry (inside the caller's transaction)."""
    con.execute("INSERT INTO history (at, action, dataset, files, counts, version) VALUES (?, ?, ?, ?, ?, ?)",
                (e["at"], e["action"], e["dataset"], json.dumps(e.get("files") or []),
                 json.dumps(e.get("counts") or {}), e.get("version", "")))


def rename_legacy(con: sqlite3.Connection, name: str) -> None:
    """Give the records written before datasets existed (dataset ``default``) the dataset ``name``."""
    if name == DEFAULT_DATASET:
        return
    for t in _RECORD_TABLES:
        con.execute(f"UPDATE {t} SET dataset = ? WHERE dataset = ?", (name, DEFAULT_DATASET))


def read_history(con: sqlite3.Connection) -> list[dict[str, Any]]:
    """History entries, oldest first."""
    return [{"seq": r[0], "at": r[1], "action": r[2], "dataset": r[3], "files": json.loads(r[4]),
             "counts": json.loads(r[5]), "version": r[6]}
            for r in con.execute("SELECT seq, at, action, dataset, files, counts, version FROM history ORDER BY seq")]


def read_sources(con: sqlite3.Connection) -> list[dict[str, Any]]:
    """Stored source documents, by dataset and id."""
    return [dict(zip(("dataset", *_SOURCE_COLS), r, strict=True))
            for r in con.execute("SELECT dataset, id, title, file, description FROM sources ORDER BY dataset, id")]


def dataset_counts(con: sqlite3.Connection) -> dict[str, dict[str, int]]:
    """Dataset -> records per table (tables with none are 0)."""
    out: dict[str, dict[str, int]] = {}
    for t in _RECORD_TABLES:
        for name, n in con.execute(f"SELECT dataset, count(*) FROM {t} GROUP BY dataset"):
            out.setdefault(name, dict.fromkeys(_RECORD_TABLES, 0))[t] = n
    return dict(sorted(out.items()))
