"""Backup and restore of a Neo4j store keep each record's dataset, the sources and the history.

Run against a real Neo4j server (the ``neo4j_store`` fixture); the expected values are the
store's own answers before the backup (`read_state`, `read_sources`, `read_history`,
`dataset_counts`), compared with what the backup file (an SQLite store) and the restored Neo4j
store answer.
"""

from __future__ import annotations

import pytest
from toy_partnerships import toy_dataset

from graph.backup import backup_store, dataset_fingerprint, restore_store
from graph.backup_provenance import provenance_fingerprint, read_snapshot
from graph.model import Actor, Dataset
from graph.sqlite_store import SQLiteStore
from ingest.update import plan_and_apply, store_state

pytestmark = pytest.mark.neo4j

SEED_SOURCES = [{"id": "EQUAL-NTN", "title": "=EQUAL networks", "file": "001.txt", "description": "<b>round 1</b>"},
                {"id": "CLIP-2011", "title": "Pact", "file": "", "description": ""}]


def _fill(st, small_dataset) -> dict:
    plan_and_apply("-", small_dataset, SEED_SOURCES, st, store_state(st), dataset="seed")
    plan_and_apply("-", toy_dataset(), [{"id": "TOY", "title": "toy", "file": "t.csv", "description": "d"}], st,
                   store_state(st), dataset="toy")
    smaller = Dataset(actors=[a for a in toy_dataset().actors if a.id != "pt-ngo"])
    plan_and_apply("-", smaller, [], st, store_state(st), dataset="toy", replace=True)  # a replace in the history
    ds, owners = st.read_state()
    return {"fp": dataset_fingerprint(ds), "owners": owners, "sources": st.read_sources(),
            "history": st.read_history(), "counts": st.dataset_counts()}


def _same(st, before: dict) -> None:
    ds, owners = st.read_state()
    assert dataset_fingerprint(ds) == before["fp"]
    assert owners == before["owners"]
    assert st.read_sources() == before["sources"]
    assert st.read_history() == before["history"]
    assert st.dataset_counts() == before["counts"]


def test_neo4j_backup_and_restore_keep_datasets_sources_and_history(neo4j_store, small_dataset, tmp_path):
    before = _fill(neo4j_store, small_dataset)
    assert set(before["counts"]) == {"seed", "toy"} and len(before["history"]) == 3
    res = backup_store(neo4j_store, tmp_path / "neo.bak")
    with SQLiteStore(res.path, read_only=True) as bak:  # the backup file answers like the store did
        _same(bak, before)
    snap_before = provenance_fingerprint(read_snapshot(neo4j_store))

    # the store changes: other records, other datasets, history grows
    neo4j_store.delete_all()
    plan_and_apply("-", Dataset(actors=[Actor(id="other", name="Other", type="ngo")]), [], neo4j_store,
                   store_state(neo4j_store), dataset="other")
    assert set(neo4j_store.dataset_counts()) == {"other"}

    restore_store(res.path, neo4j_store)
    _same(neo4j_store, before)
    assert provenance_fingerprint(read_snapshot(neo4j_store)) == snap_before
    # the history counter continues after the restored entries
    plan_and_apply("-", Dataset(actors=[Actor(id="later", name="Later", type="ngo")]), [], neo4j_store,
                   store_state(neo4j_store), dataset="later")
    assert [e["seq"] for e in neo4j_store.read_history()] == [1, 2, 3, 4]


def test_restore_of_a_dangling_backup_changes_nothing(neo4j_store, small_dataset, tmp_path):
    """A snapshot whose record refers to a missing actor is refused in its one transaction."""
    from graph.backup_provenance import Snapshot, restore_snapshot
    from graph.errors import IntegrityError
    from graph.model import Membership

    before = _fill(neo4j_store, small_dataset)
    bad = Dataset(memberships=[Membership("nobody", "ntn-fr")])
    with pytest.raises(IntegrityError, match="nothing was changed"):
        restore_snapshot(neo4j_store, Snapshot(bad, {"memberships": {("nobody", "ntn-fr"): "x"}}))
    _same(neo4j_store, before)
