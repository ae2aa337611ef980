"""analysis.views.community_graph: the quotient graph of a partition, checked against a direct count."""

from __future__ import annotations

from collections import Counter

import networkx as nx
import pytest

from analysis.views import community_graph


def _random_actor_graph(seed: int) -> tuple[nx.Graph, dict]:
    g = nx.gnm_random_graph(120, 400, seed=seed)
    g.add_edge(5, 5, weight=4)  # a self-loop counts inside its community once
    g.add_node(999)  # isolated, and left out of the partition: community -1
    for v in g:
        g.nodes[v]["country"] = ["FR", "BE", "DE", ""][v % 4]
        g.nodes[v]["family"] = ["ngos", "trade_unions", "employers"][v % 3]
    for u, v in g.edges:
        g.edges[u, v].setdefault("weight", 1 + (u + v) % 3)
    membership = {v: v % 7 for v in g if v != 999}
    return g, membership


@pytest.mark.parametrize("seed", [1, 2])
def test_community_graph_counts_sizes_weights_members_and_top_values(seed):
    g, membership = _random_actor_graph(seed)
    q = community_graph(g, membership)
    comm = {v: membership.get(v, -1) for v in g}
    assert sorted(q.nodes) == sorted(set(comm.values()))
    internal, between, ties = Counter(), Counter(), Counter()
    for u, v, d in g.edges(data=True):
        a, b = sorted((comm[u], comm[v]))
        if a == b:
            internal[a] += d["weight"]
        else:
            between[a, b] += d["weight"]
            ties[a, b] += 1
    for c in q.nodes:
        members = [v for v in g if comm[v] == c]
        assert q.nodes[c]["size"] == len(members)
        assert q.nodes[c]["internal"] == pytest.approx(internal[c])
        best = sorted(members, key=lambda v: (-g.degree(v), v))[:5]
        assert q.nodes[c]["members"] == best
        counts = Counter(g.nodes[v]["country"] or "—" for v in members)
        top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
        assert q.nodes[c]["top_countries"] == ", ".join(f"{k} {n}" for k, n in top)
    assert {tuple(sorted(e)) for e in q.edges} == set(between)
    for (a, b), w in between.items():
        assert q.edges[a, b]["weight"] == pytest.approx(w) and q.edges[a, b]["ties"] == ties[a, b]
