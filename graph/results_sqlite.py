"""Stored analysis results in the SQLite store: three tables (`MIGRATION`, schema 5).

``result_runs`` holds one row per parameter key (the run record); ``actor_results`` and
``partnership_results`` one row per node of that run. A write replaces the run of the same key and
drops the runs of other data versions (stale), in the caller's transaction; it never touches the
data version.
"""

from __future__ import annotations

import sqlite3

from graph.datasets import StaleStateError
from graph.results import ACTOR_RESULTS, PARTNERSHIP_RESULTS, StoredResults, from_rows

__all__ = ["MIGRATION", "read", "read_run", "write"]

_SQL_TYPE = {"int": "INTEGER", "nint": "INTEGER", "float": "REAL", "bool": "INTEGER", "text": "TEXT"}
_RUN_COLS = ("params_key", "data_version", "params", "methods", "created_at", "partnet_version")


def _table(name: str, key: str, spec: dict[str, str]) -> str:
    cols = ", ".join(f'"{c}" {_SQL_TYPE[k]}' for c, k in spec.items())
    return (f"CREATE TABLE {name} (params_key TEXT NOT NULL REFERENCES result_runs(params_key) ON DELETE CASCADE, "
            f"{key} TEXT NOT NULL, {cols}, PRIMARY KEY (params_key, {key}))")


#: Schema 4 -> 5: the result tables.
MIGRATION: tuple[str, ...] = (
    "CREATE TABLE result_runs (params_key TEXT PRIMARY KEY, data_version TEXT NOT NULL, params TEXT NOT NULL, "
    "methods TEXT NOT NULL DEFAULT '{}', created_at TEXT NOT NULL, partnet_version TEXT NOT NULL DEFAULT '')",
    _table("actor_results", "actor_id", ACTOR_RESULTS),
    _table("partnership_results", "partnership_id", PARTNERSHIP_RESULTS),
)


def write(con: sqlite3.Connection, res: StoredResults, current_version: str) -> None:
    """Replace the stored run of ``res``'s key (inside the caller's transaction); stale runs go."""
    if res.data_version != current_version:
        raise StaleStateError("the data changed while the results were being computed; nothing was written",
                              hint="run the analysis again")
    con.execute("DELETE FROM result_runs WHERE data_version <> ? OR params_key = ?", (current_version, res.key))
    for t in ("actor_results", "partnership_results"):  # what a cascade would remove, also without foreign keys
        con.execute(f"DELETE FROM {t} WHERE params_key NOT IN (SELECT params_key FROM result_runs)")
    run = res.run_record()
    con.execute(f"INSERT INTO result_runs ({', '.join(_RUN_COLS)}) VALUES ({', '.join('?' * len(_RUN_COLS))})",
                tuple(run[c] for c in _RUN_COLS))
    for table, key, spec, rows in (("actor_results", "actor_id", ACTOR_RESULTS, res.actor_rows()),
                                   ("partnership_results", "partnership_id", PARTNERSHIP_RESULTS,
                                    res.partnership_rows())):
        cols = ", ".join(f'"{c}"' for c in spec)
        con.executemany(f"INSERT INTO {table} (params_key, {key}, {cols}) VALUES (?, ?, {', '.join('?' * len(spec))})",
                        [(res.key, r["id"], *(r[c] for c in spec)) for r in rows])


def read_run(con: sqlite3.Connection, key: str, current_version: str) -> dict[str, str] | None:
    """The run record stored under ``key`` for ``current_version`` (no result rows), or None."""
    row = con.execute(f"SELECT {', '.join(_RUN_COLS)} FROM result_runs WHERE params_key = ? AND data_version = ?",
                      (key, current_version)).fetchone()
    return None if row is None else dict(zip(_RUN_COLS, row, strict=True))


def read(con: sqlite3.Connection, key: str, current_version: str) -> StoredResults | None:
    """The run stored under ``key`` for ``current_version``, or None (none stored, or stale)."""
    run = read_run(con, key, current_version)
    if run is None:
        return None
    out = []
    for table, k, spec in (("actor_results", "actor_id", ACTOR_RESULTS),
                           ("partnership_results", "partnership_id", PARTNERSHIP_RESULTS)):
        cols = ", ".join(f'"{c}"' for c in spec)
        rows = con.execute(f"SELECT {k}, {cols} FROM {table} WHERE params_key = ?", (key,)).fetchall()
        out.append([dict(zip(("id", *spec), r, strict=True)) for r in rows])
    return from_rows(run, out[0], out[1])
