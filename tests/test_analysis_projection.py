"""analysis.projection: filters, bipartite view, sparse projections checked against networkx.bipartite."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from analysis_refdata import davis_folder, load_graph
from networkx.algorithms import bipartite

from analysis.projection import (
    Filters,
    actor_projection,
    bipartite_graph,
    filter_graph,
    incidence_matrix,
    partnership_projection,
)
from graph.convert import dataset_to_graph
from graph.errors import PartnetError
from graph.model import Actor, Dataset, Funding, Link, Membership, Partnership


def _random_property_graph(seed: int, n_actors: int = 60, n_parts: int = 25, n_members: int = 150,
                           n_links: int = 20) -> nx.MultiDiGraph:
    rng = np.random.default_rng(seed)
    g = nx.MultiDiGraph()
    for i in range(n_actors):
        g.add_node(f"a{i:03d}", label="Actor", type="ngo", family="ngos", country="FR")
    for j in range(n_parts):
        g.add_node(f"p{j:03d}", label="Partnership", kind="project")
    for i, j in zip(rng.integers(0, n_actors, n_members), rng.integers(0, n_parts, n_members), strict=True):
        g.add_edge(f"a{i:03d}", f"p{j:03d}", key="MEMBER_OF", type="MEMBER_OF", role="partner")
    for i, j in rng.integers(0, n_actors, (n_links, 2)):
        if i != j:
            g.add_edge(f"a{i:03d}", f"a{j:03d}", key="LINKED_TO:other", type="LINKED_TO", kind="other")
    return g


def _small() -> nx.MultiDiGraph:
    ds = Dataset(
        actors=[Actor("cgt", "CGT", "trade_union", country="FR"),
                Actor("ville", "Ville", "local_authority", country="FR"),
                Actor("asbl", "ASBL", "ngo", country="BE"), Actor("ec", "EC", "eu_institution", scope="european"),
                Actor("alone", "Alone", "ngo", country="DE")],
        partnerships=[Partnership("dp1", "DP 1", "development_partnership", start_year=2001, end_year=2004),
                      Partnership("dp2", "DP 2", "development_partnership", start_year=2005, end_year=2007),
                      Partnership("net", "Net", "thematic_network", start_year=2002),
                      Partnership("sub", "Sub", "project", parent_id="net"),
                      Partnership("undated", "Undated", "project")],
        memberships=[Membership("cgt", "dp1", "lead"), Membership("ville", "dp1"), Membership("asbl", "dp1"),
                     Membership("cgt", "dp2"), Membership("ville", "dp2"), Membership("asbl", "net"),
                     Membership("ville", "sub"), Membership("asbl", "sub"), Membership("alone", "undated")],
        funding=[Funding("ec", "dp1", "ESF/EQUAL", 1000.0, "EUR"), Funding("ec", "net", "AMIF")],
        links=[Link("cgt", "asbl", "exchange"), Link("asbl", "cgt", "twinning")],
    )
    return dataset_to_graph(ds)


def test_shared_and_newman_weights_by_hand():
    proj = actor_projection(_small())
    assert set(proj) == {"cgt", "ville", "asbl", "ec", "alone"}  # isolated actors stay
    assert proj.nodes["cgt"]["family"] == "trade_unions"
    e = proj.edges["cgt", "ville"]  # dp1 (3 members) and dp2 (2 members)
    assert e == {"shared": 2, "newman": pytest.approx(1 / 2 + 1 / 1), "links": 0, "weight": 2}
    e = proj.edges["cgt", "asbl"]  # dp1 + two links, one each direction
    assert (e["shared"], e["links"], e["weight"]) == (1, 2, 3)
    assert proj.edges["ville", "asbl"]["shared"] == 2  # dp1 and sub
    assert proj.degree("alone") == 0 and proj.degree("ec") == 0
    no_links = actor_projection(_small(), include_links=False)
    assert no_links.edges["cgt", "asbl"]["links"] == 0 and no_links.edges["cgt", "asbl"]["weight"] == 1


def test_filters_kind_period_programme_country_ids():
    g = _small()
    parts = lambda h: sorted(n for n, d in h.nodes(data=True) if d["label"] == "Partnership")  # noqa: E731
    assert parts(filter_graph(g, Filters(kinds=("development_partnership",)))) == ["dp1", "dp2"]
    # open end: net (2002-) overlaps 2006; undated never placed in a period
    assert parts(filter_graph(g, Filters(period=(2006, 2006)))) == ["dp2", "net"]
    assert parts(filter_graph(g, Filters(period=(None, 2001)))) == ["dp1"]
    # funded under AMIF: net directly, sub through PART_OF
    assert parts(filter_graph(g, Filters(programmes=("AMIF",)))) == ["net", "sub"]
    assert parts(filter_graph(g, Filters(partnerships=("dp2",)))) == ["dp2"]
    h = filter_graph(g, Filters(countries=("FR",)))
    assert sorted(n for n, d in h.nodes(data=True) if d["label"] == "Actor") == ["cgt", "ville"]
    assert all(u in h and v in h for u, v in h.edges())
    proj = actor_projection(g, Filters(kinds=("development_partnership",)), include_links=False)
    assert proj.edges["cgt", "ville"]["shared"] == 2
    assert proj.edges["ville", "asbl"]["shared"] == 1  # dp1 only: sub is a project
    assert "alone" in proj and proj.degree("alone") == 0
    assert nx.utils.graphs_equal(filter_graph(g, Filters()), g)


def test_filter_errors_are_user_errors():
    with pytest.raises(PartnetError, match="ends before it starts"):
        Filters(period=(2010, 2001))
    assert Filters(kinds="project").kinds == ("project",)


def test_bipartite_graph_and_incidence():
    g = _small()
    b = bipartite_graph(g)
    assert {n for n, d in b.nodes(data=True) if d["bipartite"] == 0} == {"cgt", "ville", "asbl", "ec", "alone"}
    assert b.edges["cgt", "dp1"]["role"] == "lead"
    assert b.number_of_edges() == 9
    assert bipartite.is_bipartite_node_set(b, [n for n, d in b.nodes(data=True) if d["bipartite"] == 0])
    m, actors, parts = incidence_matrix(g)
    assert m.shape == (5, 5) and m.nnz == 9
    assert m[actors.index("cgt"), parts.index("dp1")] == 1
    assert m[actors.index("cgt"), parts.index("net")] == 0


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_sparse_projection_equals_networkx_bipartite(seed):
    g = _random_property_graph(seed)
    b = bipartite_graph(g)
    actors = [n for n, d in b.nodes(data=True) if d["bipartite"] == 0]
    parts = [n for n, d in b.nodes(data=True) if d["bipartite"] == 1]
    ref_w = bipartite.weighted_projected_graph(b, actors)
    ref_n = bipartite.collaboration_weighted_projected_graph(b, actors)
    proj = actor_projection(g, include_links=False)
    assert nx.utils.edges_equal(proj.edges, ref_w.edges)
    assert proj.number_of_edges() == ref_w.number_of_edges() > 0
    for u, v, d in ref_w.edges(data=True):
        assert proj.edges[u, v]["shared"] == d["weight"]
        assert proj.edges[u, v]["newman"] == pytest.approx(ref_n.edges[u, v]["weight"])
    ref_p = bipartite.weighted_projected_graph(b, parts)
    pproj = partnership_projection(g)
    assert pproj.number_of_edges() == ref_p.number_of_edges()
    for u, v, d in ref_p.edges(data=True):
        assert pproj.edges[u, v]["shared"] == d["weight"]
    # links: merged ties, weight = shared + links
    with_links = actor_projection(g)
    links = nx.MultiGraph((u, v) for u, v, d in g.edges(data=True) if d["type"] == "LINKED_TO")
    for u, v, d in with_links.edges(data=True):
        assert d["links"] == links.number_of_edges(u, v)
        assert d["weight"] == d["shared"] + d["links"]


def test_davis_projection_degrees_match_networkx(tmp_path):
    g = load_graph(davis_folder(tmp_path / "davis"))
    dw = nx.davis_southern_women_graph()
    ref = bipartite.projected_graph(dw, dw.graph["top"])
    proj = actor_projection(g)
    by_name = {d["name"]: n for n, d in proj.nodes(data=True)}
    assert len(by_name) == 18
    for woman in dw.graph["top"]:
        assert proj.degree(by_name[woman]) == ref.degree(woman)
    # Evelyn and Theresa attended 7 events together (Davis, Gardner & Gardner 1941)
    assert proj.edges[by_name["Evelyn Jefferson"], by_name["Theresa Anderson"]]["shared"] == 7


def test_projection_is_deterministic_in_insertion_order():
    g = _random_property_graph(7)
    shuffled = nx.MultiDiGraph()
    rng = np.random.default_rng(0)
    nodes = list(g.nodes(data=True))
    for k in rng.permutation(len(nodes)):
        shuffled.add_node(nodes[k][0], **nodes[k][1])
    edges = list(g.edges(keys=True, data=True))
    for k in rng.permutation(len(edges)):
        u, v, key, d = edges[k]
        shuffled.add_edge(u, v, key=key, **d)
    a, b = actor_projection(g), actor_projection(shuffled)
    assert list(a.nodes) == list(b.nodes)
    assert list(a.edges(data=True)) == list(b.edges(data=True))
