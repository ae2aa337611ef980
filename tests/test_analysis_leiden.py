"""Leiden communities (analysis.leiden): deterministic per seed, the planted structure, CPM, the adjusted
Rand index against igraph's, stability, labels with the best-connected member, `partnet communities`."""

from __future__ import annotations

import json

import igraph as ig
import networkx as nx
import numpy as np
import pytest

from analysis.communities import louvain
from analysis.leiden import adjusted_rand_index, labelled_communities, leiden, stability
from graph.errors import PartnetError


def planted(seed: int = 1) -> nx.Graph:
    g = nx.planted_partition_graph(5, 30, 0.35, 0.02, seed=seed)
    for k, v in enumerate(sorted(g)):
        g.nodes[v].update(name=f"A{v}", family=["ngos", "authorities"][k % 2],
                          country=["FR", "DE", "IT", "ES", "PL"][v // 30])
    return nx.relabel_nodes(g, {v: f"a{v:03d}" for v in g})


@pytest.mark.parametrize("engine", ["igraph", "leidenalg"])
def test_deterministic_and_finds_the_planted_blocks(engine):
    a, b = leiden(planted(), engine=engine), leiden(planted(), engine=engine)  # two fresh graphs: nothing shared
    assert a["community"].tolist() == b["community"].tolist()
    truth = [int(i[1:]) // 30 for i in a["id"]]
    assert adjusted_rand_index(a["community"], truth) > 0.95
    assert a.attrs["n_communities"] == 5 and a.attrs["method"] == "leiden"
    assert a.attrs["modularity"] == pytest.approx(
        nx.community.modularity(planted(), [set(x["id"]) for _, x in a.groupby("community")]))


@pytest.mark.parametrize("engine", ["igraph", "leidenalg"])
def test_cpm_resolution(engine):
    g = planted()
    coarse = leiden(g, objective="cpm", resolution=0.05, engine=engine)
    fine = leiden(g, objective="cpm", resolution=0.9, engine=engine)
    assert coarse.attrs["n_communities"] < fine.attrs["n_communities"]
    with pytest.raises(PartnetError):
        leiden(g, objective="surprise")


@pytest.mark.parametrize("seed", range(4))
def test_ari_equals_igraph(seed):
    rng = np.random.default_rng(seed)
    x, y = rng.integers(0, 6, 200), rng.integers(0, 4, 200)
    y[:100] = x[:100]
    want = ig.compare_communities(x.tolist(), y.tolist(), method="adjusted_rand")
    assert adjusted_rand_index(x, y) == pytest.approx(want)


def test_stability_and_labels():
    g = planted()
    s = stability(g, seeds=range(10))
    assert s["runs"] == 10 and 0.9 < s["mean_ari"] <= 1.0 and s["min_ari"] <= s["mean_ari"]
    assert stability(g, "louvain", seeds=range(3))["mean_ari"] > 0.9
    assert stability(g, seeds=range(3), engine="leidenalg")["mean_ari"] > 0.9
    # the two engines implement one algorithm: they agree on the planted structure
    assert adjusted_rand_index(leiden(g)["community"], leiden(g, engine="leidenalg")["community"]) > 0.95
    frame = leiden(g)
    table = labelled_communities(g, frame)
    assert table["size"].sum() == 150 and len(table) == 5
    row = table.iloc[0]
    members = frame.loc[frame["community"] == row["community"], "id"].tolist()
    inner = g.subgraph(members)
    strongest = max(sorted(members), key=lambda v: inner.degree(v))  # unweighted: weight 1 per tie
    assert row["best_connected"] == strongest
    assert row["label"].endswith(f"— {g.nodes[strongest]['name']}")
    assert labelled_communities(g, louvain(g))["size"].sum() == 150


def test_cli_communities(tmp_path):
    from click.testing import CliRunner

    from graph.sqlite_store import SQLiteStore
    from partnet.cli import cli
    from tests.test_analysis_countries import hand_dataset

    st = SQLiteStore(tmp_path / "h.db")
    st.write(hand_dataset())
    st.close()
    db = ["--db", str(tmp_path / "h.db")]
    run = CliRunner().invoke
    res = run(cli, ["communities", *db])
    assert res.exit_code == 0, res.output
    assert "stability: mean adjusted Rand index" in res.output
    res = run(cli, ["communities", *db, "--engine", "leidenalg", "--objective", "cpm", "--resolution", "0.5"])
    assert res.exit_code == 0 and "leiden, cpm resolution 0.5" in res.output
    rows = json.loads(run(cli, ["communities", *db, "--method", "louvain", "--format", "json", "--runs", "0"]).output)
    assert {"community", "size", "label", "best_connected"} <= set(rows[0])
    res = run(cli, ["communities", *db, "--method", "louvain", "--objective", "cpm"])
    assert res.exit_code == 1 and "Leiden option" in res.output
