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
    records, owners = neo4j_store.read_state()
    g_rec = dataset_to_graph(records, owners=owners, sources=neo4j_store.read_sources())
    assert g_neo.graph == g_rec.graph == g_sql.graph
    assert {d["dataset"] for _, d in g_neo.nodes(data=True)} == {"default"}
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


def test_ingest_creates_new_records_and_merges_changed_ones(neo4j_store, sqlite_store, tmp_path):
    """The import plan's new records go in by CREATE (graph.neo4j_write); the result equals SQLite's,
    and a second import that changes some records and adds others MERGEs/CREATEs to the same state."""
    from graph.neo4j_write import create_new
    from ingest.pipeline import ingest
    from synthetic import generate_frames, write_csv_folder

    frames = generate_frames(80, seed=5)
    write_csv_folder(frames, tmp_path / "a")
    frames["actors"].loc[:4, "city"] = "Changed"
    more = generate_frames(90, seed=5)["actors"].iloc[80:]
    frames["actors"] = __import__("pandas").concat([frames["actors"], more])
    write_csv_folder(frames, tmp_path / "b")
    for folder in ("a", "b"):
        for st in (neo4j_store, sqlite_store):
            ingest(tmp_path / folder, st, dataset="d")
        neo, sql = neo4j_store.read_state(), sqlite_store.read_state()
        for table in ("actors", "partnerships", "memberships", "funding", "links"):
            assert sorted(getattr(neo[0], table), key=repr) == sorted(getattr(sql[0], table), key=repr), table
            assert neo[1][table] == sql[1][table]
    # the plan rewrite: new rows CREATE (relationships sorted by end node), the rest MERGE
    plan = neo4j_store._rows(neo[0], None)
    split = create_new(plan, {"actors": 3, "memberships": 5, "partnerships": 0})
    assert split[0][0] == "actors" and len(split[0][2]) == 3 and "CREATE" in split[0][1]
    assert split[1][0] == "actors" and "MERGE" in split[1][1] and len(split[1][2]) == len(neo[0].actors) - 3
    mem = [r for t, q, r in split if t == "memberships" and "CREATE" in q][0]
    assert [r["partnership_id"] for r in mem] == sorted(r["partnership_id"] for r in mem) and len(mem) == 5


def test_bulk_csvs_round_trip_through_the_column_reader(tmp_path, small_dataset):
    """The neo4j-admin files hold every property: parsed back as the import tool does, they give the records."""
    import csv

    from graph.history import entry
    from ingest.bulk import write_import_csvs

    args = write_import_csvs(small_dataset, "seed", tmp_path, entry("ingest", "seed"), 3)
    assert any(a.startswith("--nodes=Actor=") for a in args) and any("FUNDS" in a for a in args)
    with (tmp_path / "Actor.csv").open(newline="", encoding="utf-8") as f:
        rows = {r["id:ID(Actor)"]: r for r in csv.DictReader(f)}
    assert rows["cfdt"]["aliases:string[]"].split("\x1f") == ["CFDT", "Confédération française"]
    assert rows["cfdt"]["family"] == "trade_unions" and rows["cfdt"]["dataset"] == "seed"
    with (tmp_path / "FUNDS-Actor.csv").open(newline="", encoding="utf-8") as f:
        (fund,) = list(csv.DictReader(f))
    assert fund[":END_ID(Actor)"] == "cfdt" and fund["amount:double"] == "" and fund["programme"] == "AMIF"
    with (tmp_path / "PART_OF.csv").open(newline="", encoding="utf-8") as f:
        assert list(csv.reader(f))[1:] == [["fr-nat-2001-10456", "ntn-fr"]]


def test_bulk_is_refused_on_a_remote_or_non_empty_database(neo4j_store, small_dataset, tmp_path, monkeypatch):
    import json
    from types import SimpleNamespace

    import pytest

    from graph.config import Neo4jSettings
    from ingest.bulk import BulkRefused, check_target

    port = neo4j_store.settings.display_uri.rpartition(":")[2].split("/")[0]
    (tmp_path / "state.json").write_text(json.dumps({"bolt_port": int(port)}))
    monkeypatch.setenv("PARTNET_NEO4J_HOME", str(tmp_path))
    remote = SimpleNamespace(settings=Neo4jSettings(uri="neo4j+s://abcd1234.databases.neo4j.io"))
    with pytest.raises(BulkRefused, match="only fills the local server of scripts/neo4j-local"):
        check_target(remote)
    assert check_target(neo4j_store)["bolt_port"] == int(port)  # empty local server: accepted
    neo4j_store.write(small_dataset)
    with pytest.raises(BulkRefused, match="needs an empty database; the local server holds Actor 4"):
        check_target(neo4j_store)


def test_bulk_refuses_sqlite_from_the_cli(tmp_path):
    from click.testing import CliRunner

    from partnet.cli import cli

    res = CliRunner().invoke(cli, ["ingest", "data/seed", "--bulk", "--db", str(tmp_path / "x.db")])
    assert res.exit_code == 1 and "--bulk loads a Neo4j database" in res.output and "Traceback" not in res.output
