"""Analysis results kept in the store (issue 17): write-back, keys, staleness, read-only, migration; both stores."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from analysis.export import actor_metrics
from analysis.results import cached_results, compute_results, results_params, stored_metrics
from analysis.status import analysed_graph
from graph.datasets import StaleStateError
from graph.errors import ReadOnlyError
from graph.model import Actor, Dataset
from ingest.pipeline import load

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def seed() -> Dataset:
    """The seed data as validated records."""
    return load(ROOT / "data" / "seed").dataset


def test_write_back_round_trip_and_data_version_unchanged(store, seed):
    store.write(seed)
    g, version = store.read_graph(), store.data_version()
    res = compute_results(g, version)
    assert store.read_results(res.params) is None
    store.write_results(res)
    assert store.data_version() == version  # results never change the data version
    got = store.read_results(res.params)
    assert got is not None and got.data_version == version and got.params == res.params
    want = res.actors.sort_values("id").reset_index(drop=True)
    for c in ("degree", "weighted_degree", "betweenness", "closeness", "eigenvector", "pagerank", "community",
              "isolated", "articulation_point", "constraint", "distance_to_union"):
        pd.testing.assert_series_equal(got.actors[c], want[c], check_dtype=False, check_names=False)
    wp = res.partnerships.sort_values("id").reset_index(drop=True)
    for c in ("present", "missing", "completeness", "in_basis", "no_union", "members"):
        pd.testing.assert_series_equal(got.partnerships[c], wp[c], check_dtype=False, check_names=False)
    assert got.methods["betweenness"] == "exact" and got.created_at.startswith("20") and got.partnet_version
    # what the pages read from the stored run is exactly actor_metrics
    pd.testing.assert_frame_equal(stored_metrics(analysed_graph(g), got), actor_metrics(analysed_graph(g)),
                                  check_dtype=False)
    # idempotent: writing again keeps one run with the same content
    store.write_results(res)
    again = store.read_results(res.params)
    assert len(again.actors) == len(got.actors) and again.actors.equals(got.actors)


def test_other_parameters_miss_and_a_data_write_makes_results_stale(store, seed):
    store.write(seed)
    res = compute_results(store.read_graph(), store.data_version())
    store.write_results(res)
    assert store.read_results(results_params(min_members=3)) is None
    store.write(Dataset(actors=[Actor("new-actor", "New", "ngo", country="FR")]))
    assert store.read_results(res.params) is None  # never served stale
    assert store.read_results_run(res.params) is None
    with pytest.raises(StaleStateError):
        store.write_results(res)  # computed on an older version: refused
    res2, was_stored = cached_results(store, write_back=True)
    assert not was_stored and "new-actor" in set(res2.actors["id"])
    res3, was_stored = cached_results(store)
    assert was_stored and set(res3.actors["id"]) == set(res2.actors["id"])


def test_the_run_record_alone(store, seed):
    """`read_results_run`: the stored run's record without its rows (what names the dashboard's disk views)."""
    store.write(seed)
    res = compute_results(store.read_graph(), store.data_version())
    assert store.read_results_run(res.params) is None
    store.write_results(res)
    run = store.read_results_run(res.params)
    assert run is not None and run["data_version"] == store.data_version() and run["params_key"] == res.key
    assert pd.Timestamp(run["created_at"]) == pd.Timestamp(res.created_at)  # microseconds kept by both stores
    assert store.read_results_run(results_params(min_members=3)) is None
    later = compute_results(store.read_graph(), store.data_version())
    store.write_results(later)  # a new write-back of the same data: a new run time
    assert store.read_results_run(res.params)["created_at"] != run["created_at"]


def test_read_only_store_refuses_write_back(sqlite_store, seed, tmp_path):
    from graph.sqlite_store import SQLiteStore

    sqlite_store.write(seed)
    res = compute_results(sqlite_store.read_graph(), sqlite_store.data_version())
    with SQLiteStore(sqlite_store.path, read_only=True) as ro, pytest.raises(ReadOnlyError, match="read-only"):
        ro.write_results(res)


def test_neo4j_properties_on_nodes(neo4j_store, seed):
    neo4j_store.write(seed)
    res = compute_results(neo4j_store.read_graph(), neo4j_store.data_version())
    neo4j_store.write_results(res)
    recs, _, _ = neo4j_store._driver.execute_query(
        "MATCH (a:Actor) WHERE a.partnet_isolated RETURN a.id AS id ORDER BY id",
        database_=neo4j_store.settings.database)
    assert [r["id"] for r in recs] == sorted(res.actors.loc[res.actors["isolated"], "id"])
    recs, _, _ = neo4j_store._driver.execute_query(
        "MATCH (p:Partnership) WHERE p.partnet_no_union RETURN p.id AS id ORDER BY id",
        database_=neo4j_store.settings.database)
    assert [r["id"] for r in recs] == sorted(res.partnerships.loc[res.partnerships["no_union"], "id"])
    run, _, _ = neo4j_store._driver.execute_query("MATCH (r:PartnetRun) RETURN r", database_="neo4j")
    assert len(run) == 1 and run[0]["r"]["data_version"] == int(neo4j_store.data_version().rpartition(":")[2])
    # the graph read back ignores the partnet_ properties
    assert neo4j_store.read_dataset().counts() == seed.deduplicated().counts()


def test_sqlite_migration_4_to_5_keeps_data(tmp_path, seed):
    from graph.sqlite_store import SCHEMA_VERSION, SQLiteStore

    path = tmp_path / "old.db"
    with SQLiteStore(path) as st:
        st.write(seed)
        counts = st.counts()
    con = sqlite3.connect(path, isolation_level=None)  # make it a schema-4 file, as partnet 4 wrote it
    for t in ("actor_results", "partnership_results", "result_runs"):
        con.execute(f"DROP TABLE {t}")
    con.execute("DELETE FROM schema_version WHERE version = 5")
    con.close()
    with SQLiteStore(path) as st:
        assert st.migrated_from == 4 and st.schema_version() == SCHEMA_VERSION == 5
        assert st.counts() == counts
        res = compute_results(st.read_graph(), st.data_version())
        st.write_results(res)
        assert st.read_results(res.params) is not None


def test_neo4j_migration_3_to_4(neo4j_store, seed):
    from graph.neo4j_store import SCHEMA_VERSION, Neo4jStore

    neo4j_store.write(seed)
    drv, db = neo4j_store._driver, neo4j_store.settings.database
    drv.execute_query("DROP CONSTRAINT partnet_run_key IF EXISTS", database_=db)
    drv.execute_query("MATCH (m:PartnetMeta {key: 'meta'}) SET m.schema_version = 3", database_=db)
    with Neo4jStore(neo4j_store.settings) as st:
        assert st.info().schema_version == SCHEMA_VERSION == 4
        names = [r["name"] for r in drv.execute_query("SHOW CONSTRAINTS YIELD name", database_=db)[0]]
        assert "partnet_run_key" in names
        assert st.counts() == neo4j_store.counts()
