"""``partnet ingest --bulk`` end to end on a real second Neo4j server (issue 17, item 5).

The tests' own server (conftest ``own_neo4j``: scripts/neo4j-local in a private home, from the
cached jars) is filled by the real command in a subprocess: the server is stopped, the database
imported by ``neo4j-admin database import full`` and the server started again. What it then holds
is compared with what the online path (``partnet ingest`` without ``--bulk``) writes of the same
files into the suite's Neo4j server: records and their datasets, the graph, history, sources,
the meta node, constraints and indexes. The refusals (remote URI, a server that is not the local
one, a non-empty database, invalid files) are checked through the command: message, exit code
1, and the server left running with its data. One stop/import/start cycle for the whole module.
"""

from __future__ import annotations

import shutil

import pytest
from conftest import clear_neo4j
from safety import ROOT, TRACEBACK, run_cli

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

SEED = "data/seed"


def _schema(st) -> tuple[set, set]:
    db = st.settings.database
    cons, _, _ = st._driver.execute_query("SHOW CONSTRAINTS YIELD name, labelsOrTypes, properties, type",
                                          database_=db)
    idx, _, _ = st._driver.execute_query("SHOW INDEXES YIELD name, labelsOrTypes, properties, type, state "
                                         "WHERE type <> 'LOOKUP'", database_=db)
    return ({(r["name"], tuple(r["labelsOrTypes"]), tuple(r["properties"]), r["type"]) for r in cons},
            {(r["name"], tuple(r["labelsOrTypes"]), tuple(r["properties"]), r["type"], r["state"]) for r in idx})


def _meta(st) -> dict:
    recs, _, _ = st._driver.execute_query("MATCH (m:PartnetMeta) RETURN properties(m) AS p",
                                          database_=st.settings.database)
    assert len(recs) == 1
    return recs[0]["p"]


def _history(st) -> list[dict]:
    return [{k: v for k, v in h.items() if k != "at"} for h in st.read_history()]


def _edges(g) -> list:
    return sorted(g.edges(keys=True, data=True), key=repr)


@pytest.fixture(scope="module")
def bulk_server(own_neo4j):
    """The own server, answering and empty, with the environment the bulk command needs."""
    if own_neo4j.script("status").returncode != 0:
        own_neo4j.start()
    with own_neo4j.store() as st:
        clear_neo4j(st)
    env = own_neo4j.child_env(PARTNET_NEO4J_HOME=str(own_neo4j.home),
                              PARTNET_NEO4J_CACHE=own_neo4j.env["PARTNET_NEO4J_CACHE"])
    yield own_neo4j, env
    if own_neo4j.script("status").returncode != 0:
        own_neo4j.start()
    with own_neo4j.store() as st:  # leave it empty for the other users of the own server
        clear_neo4j(st)


@pytest.fixture(scope="module")
def bulk_loaded(bulk_server, tmp_path_factory):
    """Invalid files first (the empty server must be left alone), then the one bulk load of the seed."""
    server, env = bulk_server
    bad = tmp_path_factory.mktemp("bad-seed") / "seed"
    shutil.copytree(ROOT / SEED, bad)
    with (bad / "memberships.csv").open("a", encoding="utf-8") as f:
        f.write("no-such-actor,no-such-partnership,partner,,\n")
    before = server.script("status").stdout
    invalid = run_cli("ingest", str(bad), "--store", "neo4j", "--bulk", env=env)
    statuses = (before, server.script("status").stdout)
    res = run_cli("ingest", SEED, "--store", "neo4j", "--bulk", env=env)
    return server, env, res, invalid, statuses


def test_bulk_load_gives_what_the_online_path_writes(bulk_loaded, neo4j_store):
    server, _, res, _, _ = bulk_loaded
    assert res.returncode == 0, res.stdout + res.stderr
    assert "bulk-loaded data/seed with neo4j-admin import" in res.stdout and TRACEBACK not in res.stderr
    assert server.script("status").returncode == 0  # the server is up again and answers
    from graph import cypher, cypher_datasets
    from ingest import ingest

    online = ingest(SEED, neo4j_store, progress=False)  # the online path, into the suite's server
    assert online.dataset == "seed"
    with server.store(read_only=True) as bulk:
        assert bulk.counts() == neo4j_store.counts()
        assert "Actor 251" in res.stdout.replace(",", "")
        (b_ds, b_owner), (o_ds, o_owner) = bulk.read_state(), neo4j_store.read_state()
        for table in ("actors", "partnerships", "memberships", "funding", "links"):
            key = lambda r: r.key  # noqa: E731
            assert sorted(getattr(b_ds, table), key=key) == sorted(getattr(o_ds, table), key=key), table
            assert b_owner[table] == o_owner[table], table
        cfdt = next(a for a in b_ds.actors if a.aliases)  # an array property survives the CSV round trip
        assert cfdt == next(a for a in o_ds.actors if a.id == cfdt.id)
        g_b, g_o = bulk.read_graph(), neo4j_store.read_graph()
        assert dict(g_b.nodes(data=True)) == dict(g_o.nodes(data=True)) and _edges(g_b) == _edges(g_o)
        assert g_b.graph == g_o.graph
        assert bulk.dataset_counts() == neo4j_store.dataset_counts()
        assert bulk.read_sources() == neo4j_store.read_sources() and len(bulk.read_sources()) == 5
        assert _history(bulk) == _history(neo4j_store) and len(_history(bulk)) == 1
        b_meta, o_meta = _meta(bulk), _meta(neo4j_store)
        assert b_meta["schema_version"] == o_meta["schema_version"] and b_meta["history_seq"] == 1
        assert b_meta["data_version"] >= 1  # stored results keyed to version 0 can never match
        b_cons, b_idx = _schema(bulk)
        o_cons, o_idx = _schema(neo4j_store)
        # what connecting to a fresh store creates, and nothing else
        made = {stmt.split()[2] for stmt in (*cypher.CONSTRAINTS, *cypher_datasets.CONSTRAINTS)}
        assert b_cons == o_cons and {i[:4] for i in b_idx} == {i[:4] for i in o_idx}
        assert {i[4] for i in b_idx} == {"ONLINE"}
        assert made <= {c[0] for c in b_cons} | {i[0] for i in b_idx}


def test_bulk_refuses_a_non_empty_database(bulk_loaded):
    server, env, res, _, _ = bulk_loaded
    assert res.returncode == 0
    again = run_cli("ingest", SEED, "--store", "neo4j", "--bulk", env=env)
    assert again.returncode == 1 and TRACEBACK not in again.stderr
    assert "--bulk needs an empty database; the local server holds Actor 251" in again.stderr
    assert "without --bulk" in again.stderr
    assert server.script("status").returncode == 0  # not stopped
    with server.store(read_only=True) as st:
        assert st.counts()["Actor"] == 251 and len(st.read_history()) == 1


def test_bulk_refuses_a_remote_or_other_server_before_connecting(bulk_loaded, neo4j_settings):
    server, env, _, _, _ = bulk_loaded
    remote = run_cli("ingest", SEED, "--store", "neo4j", "--bulk",
                     env={**env, "NEO4J_URI": "neo4j+s://abcd1234.databases.neo4j.io"})
    assert remote.returncode == 1 and TRACEBACK not in remote.stderr
    assert "--bulk only fills the local server of scripts/neo4j-local" in remote.stderr
    assert "abcd1234.databases.neo4j.io" in remote.stderr and "without --bulk" in remote.stderr
    # a local server that is not the one of PARTNET_NEO4J_HOME (here the suite's server): refused too
    other = run_cli("ingest", SEED, "--store", "neo4j", "--bulk",
                    env={**env, "NEO4J_URI": neo4j_settings.uri, "NEO4J_PASSWORD": neo4j_settings.password})
    assert other.returncode == 1 and "only fills the local server of scripts/neo4j-local" in other.stderr


def test_bulk_on_invalid_files_touches_nothing(bulk_loaded):
    _, _, _, invalid, (before, after) = bulk_loaded
    assert invalid.returncode == 1 and TRACEBACK not in invalid.stderr
    assert "no-such-actor" in invalid.stdout and "memberships.csv" in invalid.stdout
    assert "answers" in before and after == before  # same pid: the server was not stopped
