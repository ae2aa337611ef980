"""analysis.communities: Louvain determinism, planted partitions, modularity, labels and summaries."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from analysis_refdata import davis_folder, load_graph

from analysis.communities import community_label, community_summary, louvain, modularity
from analysis.projection import actor_projection


def _shuffled(g: nx.Graph, seed: int) -> nx.Graph:
    rng = np.random.default_rng(seed)
    h = nx.Graph()
    nodes = list(g.nodes(data=True))
    for i in rng.permutation(len(nodes)):
        h.add_node(nodes[i][0], **nodes[i][1])
    edges = list(g.edges(data=True))
    for i in rng.permutation(len(edges)):
        u, v, d = edges[i]
        h.add_edge(v, u, **d) if i % 2 else h.add_edge(u, v, **d)
    return h


def _planted(seed: int = 1) -> tuple[nx.Graph, list[set]]:
    g = nx.planted_partition_graph(5, 30, 0.5, 0.01, seed=seed)
    truth = [set(p) for p in g.graph["partition"]]
    g = nx.relabel_nodes(g, {v: f"a{v:03d}" for v in g})
    truth = [{f"a{v:03d}" for v in p} for p in truth]
    countries = ["FR", "BE", "DE", "IT", "ES"]
    for k, part in enumerate(truth):
        for v in part:
            g.nodes[v].update(country=countries[k], family="trade_unions" if k % 2 else "ngos", name=v.upper())
    return g, truth


def test_louvain_is_deterministic_across_runs_and_input_order():
    g, _ = _planted()
    first = louvain(g)
    for seed in range(3):
        again = louvain(_shuffled(g, seed))
        assert again["community"].tolist() == first["community"].tolist()
        assert again.attrs["modularity"] == pytest.approx(first.attrs["modularity"])
    assert louvain(g)["community"].equals(first["community"])


def test_louvain_recovers_planted_partition_and_labels_it():
    g, truth = _planted()
    df = louvain(g)
    found = [set(grp["id"]) for _, grp in df.groupby("community")]
    assert sorted(map(frozenset, found), key=min) == sorted(map(frozenset, truth), key=min)
    assert df.attrs["n_communities"] == 5
    # the ground truth's modularity, computed by networkx, is what Louvain reaches
    assert df.attrs["modularity"] == pytest.approx(nx.community.modularity(g, truth, weight="weight"))
    summary = community_summary(g, df)
    assert summary["size"].tolist() == [30] * 5
    assert set(summary["label"]) == {"FR · ngos", "BE · trade_unions", "DE · ngos", "IT · trade_unions", "ES · ngos"}
    assert (summary["country_share"] == 1.0).all() and (summary["family_share"] == 1.0).all()
    assert summary["internal_ties"].sum() + summary["external_ties"].sum() // 2 == g.number_of_edges()


def test_communities_numbered_by_decreasing_size():
    g = nx.disjoint_union_all([nx.complete_graph(3), nx.complete_graph(6), nx.complete_graph(4)])
    g.add_node(99)
    df = louvain(g)
    sizes = df.groupby("community")["community_size"].first().tolist()
    assert sizes == [6, 4, 3, 1]
    assert df.set_index("id").loc["99", "community"] == 3  # an isolate is a community of its own
    assert df.set_index("id").loc["3", "community"] == 0


def test_modularity_matches_networkx_and_karate_reference():
    g = nx.karate_club_graph()
    df = louvain(g, weight=None)
    parts = [set(int(v) for v in grp["id"]) for _, grp in df.groupby("community")]
    assert modularity(g, df, weight=None) == pytest.approx(nx.community.modularity(g, parts, weight=None))
    # Blondel et al. (2008), table 1: Louvain reaches Q = 0.42 on Zachary's karate club
    assert modularity(g, df, weight=None) == pytest.approx(0.42, abs=0.01)
    club = {str(v): d["club"] for v, d in g.nodes(data=True)}  # the split the club really went through
    hi = {v for v, d in g.nodes(data=True) if d["club"] == "Mr. Hi"}
    real = nx.community.modularity(g, [hi, set(g) - hi], weight=None)
    assert modularity(g, club, weight=None) == pytest.approx(real)
    assert real < df.attrs["modularity"]  # Louvain finds a better split than the real one


def test_davis_communities_from_the_property_graph(tmp_path):
    g = load_graph(davis_folder(tmp_path / "davis"))
    df = louvain(g)
    assert len(df) == 18 and df.attrs["n_communities"] >= 2
    proj = actor_projection(g)
    assert df.attrs["modularity"] == pytest.approx(modularity(proj, df))
    summary = community_summary(proj, df)
    assert summary["size"].sum() == 18
    assert all(label.startswith("US") for label in summary["label"])


def test_community_label_rules():
    assert community_label(["FR"] * 3 + ["BE"], ["ngos"] * 4) == "FR/BE · ngos"
    assert community_label(["FR", "BE", "DE", "IT", "ES"], []) == "BE"  # none reaches 25%: the first
    assert community_label(["", "", "FR"], ["authorities", "knowledge", "knowledge"]) == \
        "EU/intl/FR · knowledge+authorities"
