"""analysis.brokers: cut vertices, dependents, bridges, Burt's measures, Gould–Fernandez roles, E-I index.

Every fast path is checked against the definition evaluated by brute force (removing nodes and
edges one at a time, enumerating two-paths) on seeded random graphs, and against networkx.
"""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
import pytest
from analysis_refdata import florentine_folder, load_graph

import analysis.holes as holes
from analysis.brokers import (
    BROKERAGE_ROLES,
    articulation_points,
    bridges,
    brokerage_roles,
    dependent_actors,
    ei_index,
    network_ei_index,
    structural_holes,
)


def _tree_like(seed: int) -> nx.Graph:
    """A sparse random graph with many cut vertices, bridges and several components."""
    rng = np.random.default_rng(seed)
    g = nx.random_labeled_tree(40, seed=seed) if hasattr(nx, "random_labeled_tree") else nx.random_tree(40, seed=seed)
    g = nx.Graph(g)
    for _ in range(12):
        u, v = rng.integers(0, 40, 2)
        if u != v:
            g.add_edge(int(u), int(v))
    g.add_edges_from([(100, 101), (101, 102), (102, 100), (102, 103)])  # a triangle with a tail
    g.add_node(200)
    groups = ["trade_unions", "ngos", "authorities"]
    for v in g:
        g.nodes[v]["family"] = groups[int(rng.integers(0, 3))]
        g.nodes[v]["country"] = ["FR", "BE", ""][int(rng.integers(0, 3))]
        g.nodes[v]["name"] = f"Actor {v}"
    return g


def _pieces_without(g: nx.Graph, c) -> list[set]:
    comp = nx.node_connected_component(g, c)
    h = g.subgraph(comp - {c})
    return sorted((set(p) for p in nx.connected_components(h)), key=len, reverse=True)


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4, 5])
def test_articulation_points_and_dependents_match_brute_force(seed):
    g = _tree_like(seed)
    ap = articulation_points(g, max_listed=None).set_index("id")
    assert set(ap.index) == {str(v) for v in nx.articulation_points(g)}
    expected_brokers: dict = {v: set() for v in g}
    for c in nx.articulation_points(g):
        pieces = _pieces_without(g, c)
        row = ap.loc[str(c)]
        assert row["pieces"] == len(pieces)
        assert row["largest_piece"] == len(pieces[0])
        assert row["n_dependents"] == sum(len(p) for p in pieces[1:])
        assert row["component_size"] == len(nx.node_connected_component(g, c))
        if len(pieces[0]) > len(pieces[1]):  # unambiguous largest piece
            cut_off = set().union(*pieces[1:])
            assert set(row["dependents"]) == {str(v) for v in cut_off}
            for v in cut_off:
                expected_brokers[v].add(c)
    dep = dependent_actors(g).set_index("id")
    for v, bs in expected_brokers.items():
        if bs:
            assert dep.loc[str(v), "n_brokers"] == len(bs)
            # the nearest broker is the one that cuts off the fewest actors
            nearest = dep.loc[str(v), "broker"]
            assert ap.loc[nearest, "n_dependents"] == min(ap.loc[str(b), "n_dependents"] for b in bs)


def test_dependents_small_example():
    # a hub with two leaves, linked to a triangle which carries a tail of two
    g = nx.Graph([("hub", "l1"), ("hub", "l2"), ("hub", "t1"), ("t1", "t2"), ("t2", "t3"), ("t3", "t1"),
                  ("t3", "x1"), ("x1", "x2")])
    dep = dependent_actors(g).set_index("id")
    assert dep.loc["l1", "broker"] == "hub" and dep.loc["l1", "n_brokers"] == 2  # hub, then t1
    assert dep.loc["x2", "broker"] == "x1" and dep.loc["x2", "n_brokers"] == 2  # x1, then t3
    assert "t2" not in dep.index
    ap = articulation_points(g).set_index("id")
    assert ap.loc["t1", "n_dependents"] == 3 and sorted(ap.loc["t1", "dependents"]) == ["hub", "l1", "l2"]
    assert ap.loc["hub", "n_dependents"] == 2


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_bridges_cut_off_matches_brute_force(seed):
    g = _tree_like(seed)
    df = bridges(g)
    assert len(df) == len(list(nx.bridges(g)))
    for row in df.itertuples():
        u, v = int(row.source), int(row.target)
        h = g.copy()
        h.remove_edge(u, v)
        sides = len(nx.node_connected_component(h, u)), len(nx.node_connected_component(h, v))
        assert row.cut_off == min(sides)
    assert list(df["cut_off"]) == sorted(df["cut_off"], reverse=True)


def test_florentine_brokers(tmp_path):
    g = load_graph(florentine_folder(tmp_path / "florence"))
    ap = articulation_points(g).set_index("name")
    # the Medici hold the Acciaiuoli, the Salviati (and the Pazzi behind them) on their own
    assert ap.loc["Medici", "n_dependents"] == 3
    assert sorted(ap.loc["Medici", "dependents"]) == ["acciaiuoli", "pazzi", "salviati"]
    holes = structural_holes(g).set_index("name")
    assert holes["constraint"].idxmin() == "Medici"
    ref = nx.constraint(nx.florentine_families_graph())
    assert holes.loc["Medici", "constraint"] == pytest.approx(ref["Medici"])
    assert holes.loc["Pazzi", "constraint"] == 1.0 and holes.loc["Pazzi", "effective_size"] == 1.0


@pytest.mark.parametrize("weight", [None, "weight"])
def test_structural_holes_batched_equals_networkx(monkeypatch, weight):
    g = nx.gnm_random_graph(150, 500, seed=3)
    rng = np.random.default_rng(3)
    for u, v in g.edges():
        g.edges[u, v]["weight"] = int(rng.integers(1, 4))
    g.add_edge(500, 501)
    g.add_node(502)
    ref = structural_holes(g, weight=weight).set_index("id")
    assert ref.attrs["method"].startswith("networkx")
    by_node = nx.effective_size(g, nodes=list(g), weight=weight)  # the definition, node by node
    np.testing.assert_allclose(ref["effective_size"], [by_node[int(v)] for v in ref.index], rtol=1e-9,
                               equal_nan=True)
    monkeypatch.setattr(holes, "_HOLES_NX_MAX_NODES", 0)
    fast = structural_holes(g, weight=weight).set_index("id")
    assert "batched" in fast.attrs["method"]
    np.testing.assert_allclose(fast["constraint"], ref["constraint"], rtol=1e-9, equal_nan=True)
    np.testing.assert_allclose(fast["effective_size"], ref["effective_size"], rtol=1e-9, equal_nan=True)
    assert math.isnan(fast.loc["502", "constraint"]) and fast.loc["500", "constraint"] == 1.0
    capped = structural_holes(g, weight=weight, max_work=2000).set_index("id")
    assert 0 < (~capped["computed"]).sum() < len(capped)
    done = capped["computed"] & (capped["degree"] >= 2)
    np.testing.assert_allclose(capped.loc[done, "constraint"], ref.loc[done, "constraint"], rtol=1e-9)
    assert capped.loc[~capped["computed"], "constraint"].isna().all()
    # the hubs are the costly ones left out
    assert capped.loc[~capped["computed"], "degree"].min() >= capped.loc[done, "degree"].median()


def _roles_brute_force(g: nx.Graph, attribute: str) -> dict:
    out = {v: dict.fromkeys(BROKERAGE_ROLES, 0) for v in g}
    grp = {v: g.nodes[v].get(attribute) or "" for v in g}
    for j in g:
        for i, k in itertools.permutations(list(g[j]), 2):
            if g.has_edge(i, k):
                continue
            a, b, c = grp[i], grp[j], grp[k]
            if a == b == c:
                role = "coordinator"
            elif a != b and b == c:
                role = "gatekeeper"
            elif a == b and b != c:
                role = "representative"
            elif a == c:
                role = "consultant"
            else:
                role = "liaison"
            out[j][role] += 1
    return out


@pytest.mark.parametrize(("seed", "attribute"), [(0, "family"), (1, "country"), (2, "family")])
def test_brokerage_roles_match_enumeration(seed, attribute):
    g = _tree_like(seed)
    g.add_edges_from(nx.gnm_random_graph(40, 60, seed=seed).edges())  # add triangles
    df = brokerage_roles(g, attribute).set_index("id")
    ref = _roles_brute_force(g, attribute)
    for v, roles in ref.items():
        assert {r: int(df.loc[str(v), r]) for r in BROKERAGE_ROLES} == roles
        assert df.loc[str(v), "gatekeeper"] == df.loc[str(v), "representative"]  # reciprocal ties
    assert (df["total"] == df[list(BROKERAGE_ROLES)].sum(axis=1)).all()
    capped = brokerage_roles(g, attribute, max_degree=3)
    assert capped.loc[capped["degree"] > 3, "coordinator"].isna().all()


def test_ei_index_by_hand_and_brute_force():
    g = _tree_like(4)
    df = ei_index(g, "family").set_index("group")
    grp = nx.get_node_attributes(g, "family")
    for fam in df.index:
        internal = sum(1 for u, v in g.edges() if grp[u] == grp[v] == fam)
        external = sum(1 for u, v in g.edges() if (grp[u] == fam) != (grp[v] == fam))
        assert df.loc[fam, "internal"] == internal and df.loc[fam, "external"] == external
        assert df.loc[fam, "ei"] == pytest.approx((external - internal) / (external + internal))
    between = sum(1 for u, v in g.edges() if grp[u] != grp[v])
    assert network_ei_index(g, "family") == pytest.approx((2 * between - g.number_of_edges()) / g.number_of_edges())
    assert df.attrs["network_ei"] == pytest.approx(network_ei_index(g, "family"))
    by_country = ei_index(g, "country")
    assert "" in set(by_country["group"])  # actors without a country form their own group
    closed = nx.Graph([("a", "b")])
    nx.set_node_attributes(closed, "FR", "country")
    assert ei_index(closed, "country")["ei"].tolist() == [-1.0]
