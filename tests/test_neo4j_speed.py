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
