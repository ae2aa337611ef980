"""analysis.centrality against published values (Padgett, Davis), networkx and python-igraph."""

from __future__ import annotations

import igraph as ig
import networkx as nx
import numpy as np
import pytest
from analysis_refdata import davis_folder, florentine_folder, load_graph
from networkx.algorithms import bipartite
from scipy.stats import spearmanr

from analysis.centrality import actor_centrality, betweenness, bipartite_centrality, closeness, eigenvector
from analysis.projection import actor_projection


def _weighted_random(seed: int, n: int = 120, m: int = 300, extra_components: bool = True) -> nx.Graph:
    g = nx.gnm_random_graph(n, m, seed=seed)
    rng = np.random.default_rng(seed)
    for u, v in g.edges():
        g.edges[u, v]["weight"] = int(rng.integers(1, 5))
    if extra_components:
        g.add_edges_from([(n, n + 1, {"weight": 2}), (n + 1, n + 2, {"weight": 1})])
        g.add_node(n + 3)
    return g


def _igraph(g: nx.Graph) -> tuple[ig.Graph, list]:
    nodes = sorted(g)
    index = {v: i for i, v in enumerate(nodes)}
    h = ig.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in g.edges()])
    h.es["weight"] = [d.get("weight", 1) for _, _, d in g.edges(data=True)]
    return h, nodes


def test_florentine_medici_have_highest_betweenness(tmp_path):
    g = load_graph(florentine_folder(tmp_path / "florence"))
    df = actor_centrality(g).set_index("name")
    assert len(df) == 15
    assert df["betweenness"].idxmax() == "Medici"
    assert df.loc["Medici", "betweenness"] == pytest.approx(0.522, abs=1e-3)  # Padgett & Ansell 1993
    assert df.loc["Medici", "rank_betweenness"] == 1
    assert df.loc["Medici", "degree"] == 6
    assert df.loc["Guadagni", "betweenness"] == pytest.approx(0.2546, abs=1e-3)
    assert df.attrs["betweenness_method"] == "exact"
    assert set(df["betweenness_method"]) == {"exact"}


def test_davis_bipartite_centrality_matches_networkx_and_published(tmp_path):
    g = load_graph(davis_folder(tmp_path / "davis"))
    df = bipartite_centrality(g).set_index("name")
    dw = nx.davis_southern_women_graph()
    women = dw.graph["top"]
    ref = {
        "degree_centrality": bipartite.degree_centrality(dw, women),
        "betweenness": bipartite.betweenness_centrality(dw, women),
        "closeness": bipartite.closeness_centrality(dw, women),
    }
    for col, values in ref.items():
        for node, value in values.items():
            assert df.loc[node, col] == pytest.approx(value, abs=1e-12), (col, node)
    # Borgatti & Everett (1997), table 3: E8 is the most between event, about 0.24
    events = df[df["side"] == "partnership"]
    assert events["betweenness"].idxmax() == "E8"
    assert df.loc["E8", "betweenness"] == pytest.approx(0.24, abs=0.005)
    assert df.loc["E8", "rank_betweenness"] == 1
    assert df.loc["Evelyn Jefferson", "degree"] == 8
    assert (df["side"] == "actor").sum() == 18 and len(events) == 14
    # the scalable path (taken above the size threshold) gives the same values when it samples everything
    scaled = bipartite_centrality(g, exact_max_nodes=10, k=1000).set_index("name")
    assert scaled.attrs["betweenness_method"] == "exact" and scaled.attrs["closeness_method"] == "exact"
    for col, values in ref.items():
        for node, value in values.items():
            assert scaled.loc[node, col] == pytest.approx(value, abs=1e-12), (col, node)
    sampled = bipartite_centrality(g, exact_max_nodes=10, k=16)
    assert sampled.attrs["betweenness_method"] == "sampled" and sampled.attrs["betweenness_k"] == 16
    assert set(sampled["betweenness_method"]) == {"sampled (k=16, seed=0)"}


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_centralities_match_igraph_on_random_graphs(seed):
    g = _weighted_random(seed)
    h, nodes = _igraph(g)
    n = len(nodes)
    df = actor_centrality(g).set_index("id")
    ids = [str(v) for v in nodes]
    np.testing.assert_array_equal(df.loc[ids, "degree"].to_numpy(), h.degree())
    np.testing.assert_allclose(df.loc[ids, "weighted_degree"].to_numpy(), h.strength(weights="weight"))
    bt = np.array(h.betweenness(directed=False)) / ((n - 1) * (n - 2) / 2)
    np.testing.assert_allclose(df.loc[ids, "betweenness"].to_numpy(), bt, atol=1e-12)
    # igraph's closeness is (r-1)/Σd within the component; Wasserman–Faust scales it by (r-1)/(n-1)
    comp = np.array(h.connected_components().membership)
    r = np.bincount(comp)[comp]
    clo = np.nan_to_num(np.array(h.closeness(normalized=True), dtype=float)) * (r - 1) / (n - 1)
    np.testing.assert_allclose(df.loc[ids, "closeness"].to_numpy(), clo, atol=1e-12)
    pr = h.pagerank(weights="weight", directed=False)
    np.testing.assert_allclose(df.loc[ids, "pagerank"].to_numpy(), pr, atol=1e-6)
    # eigenvector on the giant component: igraph scales the maximum to 1
    giant = max(nx.connected_components(g), key=len)
    sub = g.subgraph(giant)
    hs, sub_nodes = _igraph(sub)
    ref = np.array(hs.eigenvector_centrality(weights="weight", scale=True))
    ours = df.loc[[str(v) for v in sub_nodes], "eigenvector"].to_numpy()
    np.testing.assert_allclose(ours / ours.max(), ref, atol=1e-6)


def test_eigenvector_is_defined_on_disconnected_graphs():
    g = nx.disjoint_union(nx.star_graph(4), nx.complete_graph(3))
    g.add_node("alone")
    ev = eigenvector(g, weight=None)
    assert ev["alone"] == 0.0
    assert all(ev[v] > 0 for v in range(8))  # both components keep their scores
    assert ev[0] > ev[1] == pytest.approx(ev[2])  # the star's hub leads its component
    assert ev[5] == pytest.approx(ev[6]) == pytest.approx(ev[7])
    assert np.linalg.norm(list(ev.values())) ** 2 == pytest.approx(8 / 9)  # the isolate holds 1/9 of the norm
    star = nx.eigenvector_centrality_numpy(nx.star_graph(4))
    scale = ev[0] / star[0]
    assert all(ev[v] == pytest.approx(star[v] * scale) for v in range(5))


def test_exact_betweenness_equals_networkx_with_isolates_and_components():
    g = nx.barabasi_albert_graph(300, 2, seed=5)
    g.add_edges_from([("x", "y"), ("y", "z")])
    g.add_node("lonely")
    ours, method, used = betweenness(g)
    ref = nx.betweenness_centrality(g)
    assert method == "exact" and used == g.number_of_nodes()
    assert max(abs(ours[v] - ref[v]) for v in g) < 1e-12
    raw, _, _ = betweenness(g, normalized=False)
    ref_raw = nx.betweenness_centrality(g, normalized=False)
    assert max(abs(raw[v] - ref_raw[v]) for v in g) < 1e-9


@pytest.mark.slow
def test_sampled_betweenness_ranks_agree_with_exact():
    g = nx.barabasi_albert_graph(3000, 3, seed=7)
    n = g.number_of_nodes()
    h = ig.Graph(n=n, edges=list(g.edges()))
    exact = np.array(h.betweenness(directed=False)) / ((n - 1) * (n - 2) / 2)
    df = actor_centrality(g)  # 3,000 nodes > 2,000: sampled
    assert df.attrs["betweenness_method"] == "sampled" and df.attrs["betweenness_k"] == 1000
    assert df.attrs["closeness_method"] == "sampled"
    assert set(df["betweenness_method"]) == {"sampled (k=1000, seed=0)"}
    sampled = df.set_index("id").loc[[str(i) for i in range(n)], "betweenness"].to_numpy()
    top = np.argsort(-exact)[:100]
    rho = spearmanr(exact[top], sampled[top]).statistic
    assert rho >= 0.95, rho
    # sampled closeness tracks the exact values closely
    exact_clo = nx.closeness_centrality(g)
    ours_clo = df.set_index("id").loc[[str(i) for i in range(n)], "closeness"].to_numpy()
    assert np.corrcoef([exact_clo[i] for i in range(n)], ours_clo)[0, 1] > 0.99
    again = actor_centrality(g)
    assert again["betweenness"].equals(df["betweenness"])  # same seed, same values


def test_closeness_exact_equals_networkx_and_small_components_stay_exact():
    g = nx.disjoint_union(nx.path_graph(30), nx.cycle_graph(5))
    ours, method, used = closeness(g, exact_max_nodes=10, k=10)
    ref = nx.closeness_centrality(g)
    assert method == "sampled" and used == 10  # the 30-node path is estimated
    assert all(ours[v] == pytest.approx(ref[v]) for v in range(30, 35))  # the cycle is exact
    exact, method, _ = closeness(g)
    assert method == "exact" and all(exact[v] == pytest.approx(ref[v]) for v in g)


def test_actor_centrality_from_property_graph_and_ranks(tmp_path):
    g = load_graph(davis_folder(tmp_path / "davis"))
    df = actor_centrality(g)
    proj = actor_projection(g)
    assert list(df["id"]) == sorted(proj)
    assert (df["degree"] == [proj.degree(v) for v in df["id"]]).all()
    top = df.loc[df["rank_degree"] == 1, "degree"]
    assert (top == df["degree"].max()).all()
    assert df["rank_pagerank"].min() == 1 and df["rank_pagerank"].max() <= len(df)


def test_batched_hop_sums_equal_scipy_breadth_first_distances():
    import scipy.sparse.csgraph as csgraph

    from analysis.closeness import _hop_sums
    from analysis.projection import adjacency

    g = nx.barabasi_albert_graph(1500, 2, seed=3)
    g.add_edge(7, 7)  # a self-loop changes no distance
    _, a = adjacency(g, None)
    sources = np.array([0, 5, 17, 700, 1499])
    ref = csgraph.shortest_path(a, method="D", unweighted=True, directed=False, indices=sources).sum(axis=0)
    assert np.array_equal(_hop_sums(a, sources, max_cells=3000), ref)  # batches of two sources
