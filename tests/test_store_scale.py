"""Store changes made for scale (issue 7): the SQLite indexes on foreign-key child columns and the
Neo4j chunked-commit option. The contract itself is in test_store_contract.py."""

from __future__ import annotations

import sqlite3

import pytest
from neo4j import exceptions as neo4j_exc

import graph.sqlite_store as sqlite_store
from graph.config import Neo4jSettings
from graph.errors import IntegrityError, StoreError
from graph.model import Actor, Dataset, Funding, Link, Membership
from graph.neo4j_store import (
    _TX_MEMORY_CODE,
    COMMIT_EVERY_ENV,
    Neo4jStore,
    _commit_every_from_env,
    _halves,
    _TooLarge,
)
from graph.sqlite_store import SQLiteStore
from synthetic import generate


def _plan(con: sqlite3.Connection, sql: str) -> str:
    return " ".join(str(r[-1]) for r in con.execute("EXPLAIN QUERY PLAN " + sql, ("x",)))


def test_sqlite_foreign_key_children_are_indexed(sqlite_store):
    # Without these indexes each inserted parent row scans the child table (deferred FK check).
    con = sqlite_store._con
    assert "partnerships_parent" in _plan(con, "SELECT 1 FROM partnerships WHERE parent_id = ?")
    assert "links_target" in _plan(con, "SELECT 1 FROM links WHERE target_id = ?")
    assert "funding_recipient" in _plan(con, "SELECT 1 FROM funding WHERE recipient_id = ?")


def test_sqlite_version_1_file_migrates_and_keeps_data(tmp_path, monkeypatch, small_dataset):
    from legacy_stores import make_sqlite_store

    path = make_sqlite_store(tmp_path / "old.db", small_dataset, version=1)
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


# -- Neo4j: the explicit chunked-commit option and the too-large-transaction message -------------

@pytest.fixture
def chunked_neo4j(neo4j_store):
    """The session's Neo4j store (emptied) opened a second time with commit_every=5."""
    st = Neo4jStore(neo4j_store.settings, batch_size=3, commit_every=5)
    yield st
    st.close()


def test_neo4j_chunked_write_round_trips(chunked_neo4j, small_dataset):
    chunked_neo4j.write(small_dataset)
    assert chunked_neo4j.read_dataset().sorted() == small_dataset.deduplicated().sorted()
    v = chunked_neo4j.data_version()
    chunked_neo4j.write(small_dataset)  # idempotent, and still bumps the version
    assert chunked_neo4j.read_dataset().sorted() == small_dataset.deduplicated().sorted()
    assert chunked_neo4j.data_version() != v


def test_neo4j_chunked_write_refuses_unknown_ids_before_writing(chunked_neo4j, small_dataset):
    bad = Dataset(actors=list(small_dataset.actors), partnerships=list(small_dataset.partnerships),
                  memberships=[*small_dataset.memberships, Membership("nobody", "ntn-fr")])
    with pytest.raises(IntegrityError, match="nobody"):
        chunked_neo4j.write(bad)
    assert chunked_neo4j.counts()["Actor"] == 0  # the first chunks (actors) were not committed either
    # references to records already stored are fine
    chunked_neo4j.write(Dataset(actors=list(small_dataset.actors), partnerships=list(small_dataset.partnerships)))
    chunked_neo4j.write(Dataset(memberships=list(small_dataset.memberships), funding=list(small_dataset.funding),
                                links=list(small_dataset.links)))
    assert chunked_neo4j.read_dataset().sorted() == small_dataset.deduplicated().sorted()


def test_neo4j_chunked_write_of_a_synthetic_dataset(chunked_neo4j):
    ds = generate(150, seed=2)
    chunked_neo4j.commit_every = 250
    chunked_neo4j.write(ds)
    assert chunked_neo4j.read_dataset().sorted() == ds.sorted()


def test_commit_every_from_environment(monkeypatch):
    monkeypatch.setenv(COMMIT_EVERY_ENV, "50000")
    assert _commit_every_from_env() == 50000
    monkeypatch.setenv(COMMIT_EVERY_ENV, "")
    assert _commit_every_from_env() is None
    monkeypatch.setenv(COMMIT_EVERY_ENV, "lots")
    with pytest.raises(StoreError, match=COMMIT_EVERY_ENV):
        _commit_every_from_env()


class _FullTx:
    """A transaction whose server runs out of transaction memory on the first statement."""

    def run(self, *args, **kwargs):
        raise neo4j_exc.TransientError._hydrate_neo4j(code=_TX_MEMORY_CODE, message="limit reached")


def test_transaction_memory_exhaustion_is_not_retried_and_says_what_to_do():
    st = Neo4jStore.__new__(Neo4jStore)
    st.batch_size, st.settings = 10, Neo4jSettings(uri="bolt://example.org:7687", password="s3cret")
    with pytest.raises(_TooLarge):
        st._write_tx(_FullTx(), [("actors", "UNWIND $rows AS row RETURN 1", [{"id": "a"}])])
    err = st._translate(_TooLarge("limit reached"), "write")
    assert isinstance(err, StoreError) and "too large for one transaction" in str(err)
    assert COMMIT_EVERY_ENV in err.hint and "s3cret" not in str(err)


def test_chunk_too_large_for_the_server_is_committed_in_halves(monkeypatch):
    """A chunk the server cannot hold (transaction memory) is rolled back and re-sent as two halves."""
    st = Neo4jStore.__new__(Neo4jStore)
    st.batch_size, st.commit_every = 4, 8
    st.settings = Neo4jSettings(uri="bolt://example.org:7687")
    committed: list[list[str]] = []

    def fake_run(doing, fn, chunk, *, write=False, raw_too_large=False):
        rows = [r["id"] for _, _, part in chunk for r in part]
        if len(rows) > 3:  # this "server" holds at most 3 rows per transaction
            assert raw_too_large
            raise _TooLarge("limit reached")
        committed.append(rows)

    monkeypatch.setattr(st, "_run", fake_run)
    plan = [("actors", "A", [{"id": f"a{i}"} for i in range(10)]), ("memberships", "M", [{"id": f"m{i}"}
                                                                                       for i in range(3)])]
    st._write_chunked(plan)
    flat = [x for rows in committed for x in rows]
    assert flat == [f"a{i}" for i in range(10)] + ["m0", "m1", "m2"]  # every row once, in order
    assert max(len(rows) for rows in committed) <= 3


def test_halves_keep_order_and_rows():
    chunk = [("a", "qa", [1, 2, 3]), ("b", "qb", [4, 5]), ("c", "qc", [6])]
    first, second = _halves(chunk)
    assert [x for _, _, r in first for x in r] == [1, 2, 3]
    assert [x for _, _, r in second for x in r] == [4, 5, 6]
    assert [t for t, _, _ in second] == ["b", "c"]


@pytest.mark.parametrize("bad, named", [
    (Dataset(memberships=[Membership("nobody", "ntn-fr")]), "memberships.actor_id = nobody"),
    (Dataset(memberships=[Membership("cfdt", "no-such-partnership")]), "memberships.partnership_id = no-such"),
    (Dataset(funding=[Funding("european-commission", "nowhere", "ESF")]), "funding.recipient_id = nowhere"),
    (Dataset(funding=[Funding("ghost-funder", "ntn-fr", "ESF")]), "funding.funder_id = ghost-funder"),
    (Dataset(links=[Link("cfdt", "ghost", "twinning")]), "links.target_id = ghost"),
], ids=["member-actor", "member-partnership", "recipient", "funder", "link-target"])
def test_neo4j_unresolved_reference_in_a_later_batch_is_named_and_rolls_back(neo4j_store, small_dataset, bad, named):
    """Relationship batches count the rows they wrote; a short batch (for memberships a later one: the
    test store sends 7 rows per statement) names its unresolved ids and the whole write is rolled back."""
    many = Dataset(
        actors=[*small_dataset.actors, *(Actor(id=f"x{i}", name=f"X {i}", type="ngo") for i in range(20))],
        partnerships=list(small_dataset.partnerships),
        memberships=[*small_dataset.memberships, *(Membership(f"x{i}", "ntn-fr") for i in range(20))],
        funding=list(small_dataset.funding), links=list(small_dataset.links))
    mixed = Dataset(**{t: getattr(many, t) + getattr(bad, t) for t in Dataset.TABLES})
    assert neo4j_store.batch_size < len(mixed.memberships)
    with pytest.raises(IntegrityError, match="nothing was written") as err:
        neo4j_store.write(mixed)
    assert named in str(err.value)
    assert neo4j_store.counts()["Actor"] == 0
