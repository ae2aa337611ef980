"""The Neo4j store's fast paths (issue 17): the column-wise read, against the record-by-record view and SQLite."""

from __future__ import annotations

import networkx as nx

import synthetic
from graph.convert import dataset_to_graph


def _edges(g: nx.MultiDiGraph) -> list:
    return sorted(g.edges(keys=True, data=True), key=repr)


def test_column_read_matches_sqlite_and_the_record_view(neo4j_store, sqlite_store, small_dataset):
    ds = synthetic.generate(60, seed=3)
    for st in (neo4j_store, sqlite_store):
        st.write(ds)
        st.write(small_dataset)
    g_neo, g_sql = neo4j_store.read_graph(), sqlite_store.read_graph()
    assert dict(g_neo.nodes(data=True)) == dict(g_sql.nodes(data=True))
    assert _edges(g_neo) == _edges(g_sql)
    # the graph built from columns is the one dataset_to_graph builds from the typed records
    g_rec = dataset_to_graph(neo4j_store.read_dataset())
    assert dict(g_neo.nodes(data=True)) == dict(g_rec.nodes(data=True)) and _edges(g_neo) == _edges(g_rec)
    neo_state, sql_state = neo4j_store.read_state(), sqlite_store.read_state()
    for table in ("actors", "partnerships", "memberships", "funding", "links"):
        key = lambda r: r.key  # noqa: E731
        assert sorted(getattr(neo_state[0], table), key=key) == sorted(getattr(sql_state[0], table), key=key), table
        assert neo_state[1][table] == sql_state[1][table], table


def test_missing_properties_keep_the_columns_aligned(neo4j_store, small_dataset):
    """collect() skips nulls: a missing property must read as ''/None in its own row, not shift the column."""
    neo4j_store.write(small_dataset)
    db = neo4j_store.settings.database
    neo4j_store._driver.execute_query(
        "MATCH (p:Partnership {id: 'ntn-fr'}) REMOVE p.start_year, p.theme, p.members_complete", database_=db)
    neo4j_store._driver.execute_query("MATCH (a:Actor {id: 'cfdt'}) REMOVE a.city, a.aliases", database_=db)
    ds = neo4j_store.read_dataset()
    parts = {p.id: p for p in ds.partnerships}
    assert parts["ntn-fr"].start_year is None and parts["ntn-fr"].theme == "" and parts["ntn-fr"].end_year == 2005
    assert parts["fr-nat-2001-10456"].start_year == 2002
    actors = {a.id: a for a in ds.actors}
    assert actors["cfdt"].city == "" and actors["cfdt"].aliases == () and actors["ljubljana"].city == "Ljubljana"
    g = neo4j_store.read_graph()
    assert g.nodes["ntn-fr"]["start_year"] is None and g.nodes["cfdt"]["aliases"] == []
    assert g.nodes["cfdt"]["family"] == "trade_unions"


def test_empty_store_reads_empty(neo4j_store):
    g = neo4j_store.read_graph()
    assert g.number_of_nodes() == 0 and len(neo4j_store.read_dataset()) == 0


def test_routing_uri_reads_and_writes(neo4j_settings, neo4j_store, small_dataset):
    """``neo4j://`` (routing: the driver asks the server for its routing table) against the local server."""
    import dataclasses

    from graph.neo4j_store import Neo4jStore

    routed = dataclasses.replace(neo4j_settings, uri=neo4j_settings.uri.replace("bolt://", "neo4j://", 1))
    assert routed.uri.startswith("neo4j://")
    with Neo4jStore(routed) as st:
        st.write(small_dataset)
        assert st.counts()["Actor"] == 4 and st.read_graph().number_of_edges() == 8
        assert st._driver.get_server_info().agent.startswith("Neo4j/")


def test_connection_settings_from_the_environment(monkeypatch, neo4j_settings):
    import pytest

    from graph.config import Neo4jSettings
    from graph.errors import StoreError
    from graph.neo4j_store import Neo4jStore

    monkeypatch.setenv("NEO4J_MAX_POOL_SIZE", "3")
    monkeypatch.setenv("NEO4J_CONNECTION_TIMEOUT", "2.5")
    monkeypatch.setenv("NEO4J_MAX_RETRY_TIME", "4")
    s = Neo4jSettings.from_env()
    assert (s.max_pool_size, s.connection_timeout, s.max_retry_time) == (3, 2.5, 4.0)
    with Neo4jStore(s, read_only=True) as st:
        cfg = st._driver._pool.pool_config
        assert cfg.max_connection_pool_size == 3 and cfg.connection_timeout == 2.5
        assert st._driver._pool.workspace_config.connection_acquisition_timeout == 2.5
        assert st._driver._default_workspace_config.max_transaction_retry_time == 4.0
    monkeypatch.setenv("NEO4J_MAX_POOL_SIZE", "many")
    with pytest.raises(StoreError, match="NEO4J_MAX_POOL_SIZE='many' is not a positive whole number"):
        Neo4jSettings.from_env()
    monkeypatch.setenv("NEO4J_MAX_POOL_SIZE", "5")
    monkeypatch.setenv("NEO4J_CONNECTION_TIMEOUT", "-1")
    with pytest.raises(StoreError, match="NEO4J_CONNECTION_TIMEOUT"):
        Neo4jSettings.from_env()
