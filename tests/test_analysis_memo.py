"""What a frozen graph shares between analyses (its projection, tables, adjacency), and that sharing never
changes a result."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from analysis import _tables
from analysis._igraph import to_igraph
from analysis.centrality import actor_centrality, sample_size
from analysis.communities import louvain
from analysis.projection import actor_projection, adjacency
from analysis.spectral import _pagerank
from graph.convert import dataset_to_graph
from synthetic import generate


@pytest.fixture(scope="module")
def graphs():
    ds = generate(600, 3)
    return dataset_to_graph(ds), nx.freeze(dataset_to_graph(ds))


def test_frozen_graph_shares_one_frozen_projection_equal_to_a_fresh_one(graphs):
    plain, frozen = graphs
    a, b = actor_projection(plain), actor_projection(plain)
    assert a is not b and not nx.is_frozen(a)  # nothing is kept for a graph that may change
    shared = actor_projection(frozen)
    assert actor_projection(frozen) is shared and nx.is_frozen(shared)
    assert nx.utils.graphs_equal(shared, a)
    assert sum(d["links"] for _, _, d in shared.edges(data=True)) > 0  # the links path was exercised
    with pytest.raises(nx.NetworkXError):
        shared.add_edge("x", "y")
    # a filtered projection is never the shared one
    from analysis.projection import Filters
    assert actor_projection(frozen, Filters(countries=("FR",))) is not shared


@pytest.mark.parametrize("weight", ["weight", "shared", "newman", "links", None])
def test_adjacency_equals_networkx_conversion(graphs, weight):
    plain, frozen = graphs
    for proj in (actor_projection(plain), actor_projection(frozen)):
        nodes, m = adjacency(proj, weight)
        assert nodes == sorted(proj, key=str)
        ref = nx.to_scipy_sparse_array(proj, nodelist=nodes, weight=weight, format="csr")
        assert m.shape == ref.shape and abs(m - ref).max() == pytest.approx(0.0, abs=1e-12)


def test_adjacency_returns_a_copy_and_handles_self_loops():
    g = nx.Graph([("a", "b", {"weight": 2.0}), ("b", "b", {"weight": 5.0})])
    g.add_node("c")
    nx.freeze(g)
    nodes, m = adjacency(g)
    assert nodes == ["a", "b", "c"]
    assert m.toarray().tolist() == [[0, 2, 0], [2, 5, 0], [0, 0, 0]]
    m.data[:] = 99.0
    assert adjacency(g)[1].toarray()[0, 1] == 2.0


def test_tables_of_a_frozen_graph_are_built_once_and_handed_out_as_copies(graphs):
    _, frozen = graphs
    first = _tables.actors_frame(frozen)
    first["extra"] = 1
    again = _tables.actors_frame(frozen)
    assert "extra" not in again.columns and len(again) == 600
    calls = []
    value = _tables.memoised(("probe",), frozen, lambda: calls.append(1) or 7)
    assert value == 7 and _tables.memoised(("probe",), frozen, lambda: calls.append(1) or 8) == 7
    assert calls == [1]


def test_pagerank_matches_networkx_with_weights_and_dangling_nodes():
    g = nx.gnm_random_graph(60, 150, seed=4)
    for u, v in g.edges:
        g.edges[u, v]["weight"] = 1 + (u * v) % 5
    g.add_nodes_from([100, 101])  # no ties: dangling
    nodes, w = adjacency(g, "weight")
    ours = dict(zip(nodes, _pagerank(w), strict=True))
    ref = nx.pagerank(g, weight="weight", tol=1e-12)
    assert max(abs(ours[v] - ref[v]) for v in g) < 1e-9


def test_centrality_and_communities_identical_on_frozen_and_plain_graph(graphs):
    plain, frozen = graphs
    a, b = actor_centrality(plain), actor_centrality(actor_projection(frozen))
    assert a.equals(b)
    c, d = louvain(plain), louvain(actor_projection(frozen))
    assert c.equals(d) and c.attrs["modularity"] == d.attrs["modularity"]


def test_igraph_view_keeps_sorted_vertex_order():
    g = nx.Graph([("b", "a"), ("c", "b")])
    nodes, h = to_igraph(g)
    assert nodes == ["a", "b", "c"]
    assert sorted(tuple(sorted((nodes[e.source], nodes[e.target]))) for e in h.es) == [("a", "b"), ("b", "c")]


def test_sample_size_shrinks_with_ties_and_is_reported():
    assert sample_size(100_000) == 1000 and sample_size(4_000_000) == 50
    g = nx.barabasi_albert_graph(2500, 2, seed=1)
    df = actor_centrality(g)
    assert df.attrs["betweenness_method"] == "sampled" and df.attrs["betweenness_k"] == 1000
    assert np.isfinite(df["betweenness"]).all()


def test_gc_paused_nests_and_restores_the_collector():
    import gc

    from analysis.memo import gc_paused

    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer block still holds it
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # a collector the caller had turned off stays off
    finally:
        gc.enable()


def test_adjacency_in_a_given_node_order_equals_networkx_conversion():
    g = nx.Graph([("b", "a", {"weight": 2.0}), ("c", "b", {"weight": 3.0})])
    g.add_node("d")
    order = ["d", "c", "a", "b"]
    nodes, m = adjacency(g, "weight", nodelist=order)
    ref = nx.to_scipy_sparse_array(g, nodelist=order, weight="weight", format="csr")
    assert nodes == order and abs(m - ref).max() == 0
