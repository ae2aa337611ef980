"""Stores as older partnet versions wrote them, for the migration tests (raw SQL / Cypher, no current code)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from graph.model import Dataset
from graph.sqlite_store import MIGRATIONS

_V2_COLS = {
    "actors": "id, name, aliases, type, family, country, city, scope, website, source, section",
    "partnerships": "id, name, kind, code, theme, level, start_year, end_year, parent_id, source, section",
    "memberships": "actor_id, partnership_id, role, source, section",
    "funding": "funder_id, recipient_id, programme, amount, currency, start_year, end_year, source, section",
    "links": "source_id, target_id, kind, year, source, section",
}


def v2_rows(ds: Dataset) -> dict[str, list[tuple]]:
    """The rows a schema-2 store held for ``ds`` (no status, no dataset)."""
    return {
        "actors": [(a.id, a.name, json.dumps(list(a.aliases), ensure_ascii=False), a.type, a.family, a.country,
                    a.city, a.scope, a.website, a.source, a.section) for a in ds.actors],
        "partnerships": [(p.id, p.name, p.kind, p.code, p.theme, p.level, p.start_year, p.end_year,
                          p.parent_id or None, p.source, p.section) for p in ds.partnerships],
        "memberships": [(m.actor_id, m.partnership_id, m.role, m.source, m.section) for m in ds.memberships],
        "funding": [(f.funder_id, f.recipient_id, f.programme, f.amount, f.currency, f.start_year, f.end_year,
                     f.source, f.section) for f in ds.funding],
        "links": [(k.source_id, k.target_id, k.kind, k.year, k.source, k.section) for k in ds.links],
    }


def make_sqlite_store(path: str | Path, ds: Dataset, *, version: int = 2) -> Path:
    """Write ``ds`` into a new SQLite file at schema ``version`` (1 or 2), as that partnet did."""
    con = sqlite3.connect(path, isolation_level=None)
    try:
        con.execute("BEGIN")
        con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, "
                    "applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)")
        for v in range(1, version + 1):
            for stmt in MIGRATIONS[v]:
                con.execute(stmt)
            con.execute("INSERT INTO schema_version (version) VALUES (?)", (v,))
        con.execute("INSERT INTO meta (key, value) VALUES ('data_version', '1')")
        for table, rows in v2_rows(ds).items():
            cols = _V2_COLS[table]
            marks = ", ".join("?" * len(cols.split(",")))
            con.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)
        con.execute("COMMIT")
    finally:
        con.close()
    return Path(path)
