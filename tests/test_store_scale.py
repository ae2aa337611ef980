"""Store changes made for scale (issue 7): the SQLite indexes on foreign-key child columns and the
Neo4j chunked-commit option. The contract itself is in test_store_contract.py."""

from __future__ import annotations

import sqlite3

import graph.sqlite_store as sqlite_store
from graph.sqlite_store import SQLiteStore
from ingest.synthetic import generate


def _plan(con: sqlite3.Connection, sql: str) -> str:
    return " ".join(str(r[-1]) for r in con.execute("EXPLAIN QUERY PLAN " + sql, ("x",)))


def test_sqlite_foreign_key_children_are_indexed(sqlite_store):
    # Without these indexes each inserted parent row scans the child table (deferred FK check).
    con = sqlite_store._con
    assert "partnerships_parent" in _plan(con, "SELECT 1 FROM partnerships WHERE parent_id = ?")
    assert "links_target" in _plan(con, "SELECT 1 FROM links WHERE target_id = ?")
    assert "funding_recipient" in _plan(con, "SELECT 1 FROM funding WHERE recipient_id = ?")


def test_sqlite_version_1_file_migrates_and_keeps_data(tmp_path, monkeypatch, small_dataset):
    path = tmp_path / "old.db"
    monkeypatch.setattr(sqlite_store, "SCHEMA_VERSION", 1)
    old = SQLiteStore(path)
    old.write(small_dataset)
    assert old.schema_version() == 1
    old.close()
    monkeypatch.undo()
    new = SQLiteStore(path)
    try:
        assert new.schema_version() == sqlite_store.SCHEMA_VERSION >= 2
        assert new.read_dataset().sorted() == small_dataset.deduplicated().sorted()
        assert "partnerships_parent" in _plan(new._con, "SELECT 1 FROM partnerships WHERE parent_id = ?")
    finally:
        new.close()


def test_sqlite_writes_a_synthetic_dataset_exactly(sqlite_store):
    ds = generate(400, seed=5)
    sqlite_store.write(ds)
    assert sqlite_store.read_dataset().sorted() == ds.sorted()
