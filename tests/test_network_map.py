"""The aggregated network map (analysis.network_map) against brute-force counts, and the brief's SVG
(analysis.network_svg): the same layout, escaped labels, the 'not connected' node at scale."""

from __future__ import annotations

import re
from collections import Counter

import networkx as nx
import pytest

from analysis.network_map import NOT_CONNECTED, SMALLER, central_actors, network_map


@pytest.fixture(scope="module")
def big() -> tuple[nx.Graph, dict]:
    """A generated network of 2,500 actors plus 300 actors without any partnership, and its Louvain."""
    from analysis.communities import louvain
    from analysis.gaps import community_series
    from analysis.projection import actor_projection
    from graph.convert import dataset_to_graph
    from graph.model import Actor
    from synthetic import generate

    ds = generate(2500, seed=4)
    ds.actors.extend(Actor(f"alone-{i}", f"Alone {i}", "ngo", country="IT") for i in range(300))
    proj = actor_projection(dataset_to_graph(ds))
    membership = {k: int(v) for k, v in community_series(louvain(proj)).items() if v == v}
    return proj, membership


def test_not_connected_groups_isolated_and_single_actor_communities(big) -> None:
    proj, membership = big
    q = network_map(proj, membership, top=12)
    sizes = Counter(membership.get(n, -1) for n in proj)
    brute = [n for n in proj if proj.degree(n) - (1 if proj.has_edge(n, n) else 0) == 0
             or sizes[membership.get(n, -1)] == 1]
    assert len(brute) >= 300
    assert q.nodes[NOT_CONNECTED]["size"] == len(brute) == q.graph["not_connected"]
    assert q.nodes[NOT_CONNECTED]["label"] == f"not connected ({len(brute):,})"
    assert sum(d["size"] for _, d in q.nodes(data=True)) == proj.number_of_nodes()
    largest = [c for c, s in sizes.most_common() if c >= 0 and s > 1][:12]
    assert set(largest) <= set(q.nodes)
    assert q.nodes[SMALLER]["kind"] == "smaller" and "smaller communities" in q.nodes[SMALLER]["label"]


def test_communities_are_labelled_by_top_member_country_family(big) -> None:
    proj, membership = big
    q = network_map(proj, membership, top=5)
    c = max((c for c in q if c >= 0), key=lambda c: q.nodes[c]["size"])
    members = [n for n in proj if membership.get(n) == c]
    lead = sorted(members, key=lambda n: (-proj.degree(n), str(n)))[0]
    country = Counter(proj.nodes[n].get("country") or "—" for n in members).most_common(1)[0][0]
    d = q.nodes[c]
    assert d["top_member"] == lead and d["country"] == country
    assert d["label"].startswith(f"{proj.nodes[lead]['name']} · {country} · ")
    assert d["label"].endswith(f"({len(members):,})")


def test_central_actors_always_have_their_community_shown(big) -> None:
    proj, membership = big
    stars = central_actors(proj, 30)
    by_degree = sorted(proj, key=lambda n: (-proj.degree(n), str(n)))[:30]
    assert stars == by_degree
    q = network_map(proj, membership, top=1, central=30)
    named = [name for _, d in q.nodes(data=True) for name in d["central"]]
    assert sorted(named) == sorted(str(proj.nodes[s]["name"]) for s in stars)
    for s in stars:  # each one's own community has a node of its own
        assert membership[s] in q


def test_report_svg_draws_the_network_with_escaped_labels(tmp_path) -> None:
    from analysis.report import build_report
    from graph.convert import dataset_to_graph
    from tests.hostile import hostile_dataset

    page = build_report(dataset_to_graph(hostile_dataset()))
    svg = re.search(r'<section id="network">.*?(<svg .*?</svg>)', page, re.S)
    assert svg, "no inline SVG in the network section"
    body = svg.group(1)
    assert "<circle" in body and "<text" in body and "<line" in body
    assert not re.search(r"<(script|img|image|a|foreignObject|use)\b", body, re.I)
    for tag in re.findall(r"<[^>]+>", body):  # no attribute is an event handler, no URL is fetched
        assert not re.search(r"\son\w+=", tag, re.I), tag
        assert "http" not in tag.lower(), tag
    texts = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", body)
    assert any("&lt;" in t for t in texts), texts  # a hostile name drawn as escaped text


def test_svg_aggregates_above_the_threshold(big) -> None:
    from analysis.network_svg import network_svg

    proj, membership = big
    svg = network_svg(proj, membership, threshold=1000, top=10)
    n_alone = network_map(proj, membership, top=10).graph["not_connected"]
    assert f"not connected ({n_alone:,})" in svg
    assert svg.count("<circle") < 40  # communities, not 2,800 actors (+ the 7 legend dots)


def test_map_layout_keeps_nodes_apart_and_is_deterministic(big) -> None:
    import numpy as np

    from analysis.network_map import map_layout, node_radius

    proj, membership = big
    q = network_map(proj, membership, top=40)
    pos = q.graph["positions"]
    assert pos == map_layout(q)
    ids = list(q)
    xy = np.array([pos[c] for c in ids])
    biggest = max(q.nodes[c]["size"] for c in ids)
    r = np.array([node_radius(q.nodes[c]["size"], biggest) for c in ids])
    gap = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1)) - (r[:, None] + r[None, :])
    np.fill_diagonal(gap, np.inf)
    assert gap.min() > 0  # no two circles overlap
