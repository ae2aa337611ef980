"""Core–periphery (analysis.cores) against networkx's core_number and a hand case; homophily
(analysis.homophily) against networkx's attribute assortativity and the E-I index of analysis.brokers;
`partnet cores` and `partnet homophily`."""

from __future__ import annotations

import json
import random

import networkx as nx
import pytest

from analysis.brokers import network_ei_index
from analysis.cores import core_periphery
from analysis.homophily import assortativity, homophily
from analysis.memo import share
from analysis.projection import actor_projection
from analysis.tie_weights import weighted_projection
from tests.test_analysis_countries import hand_dataset, random_graph


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_core_equals_networkx(seed):
    g = nx.powerlaw_cluster_graph(300, 3, 0.3, seed=seed)
    g.add_nodes_from([900, 901])  # isolated actors: shell 0
    g.add_edge(902, 903)  # a second component
    df = core_periphery(g).set_index("id")
    want = nx.core_number(g)
    assert df["core"].to_dict() == {str(k): v for k, v in want.items()}
    top = max(want.values())
    assert df.attrs["max_core"] == top and df.attrs["main_core_size"] == sum(v == top for v in want.values())
    assert df["in_largest_component"].sum() == 300


def test_hand_intermediated():
    # triangle a b c with a pendant chain c - d - e, and a separate pair x - y
    g = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("c", "d"), ("d", "e"), ("x", "y")])
    df = core_periphery(g).set_index("id")
    assert df["core"].to_dict() == {"a": 2, "b": 2, "c": 2, "d": 1, "e": 1, "x": 1, "y": 1}
    assert df.loc[df["intermediated"]].index.tolist() == ["e"] and df.at["e", "via"] == "d"
    assert not df.at["x", "in_largest_component"]  # x and y reach no largest component
    assert df.attrs["main_core_share"] == pytest.approx(3 / 7)


def test_stable_tie_graph_and_property_graph():
    g = share(random_graph())
    stable = weighted_projection(g, min_shared=2)
    df = core_periphery(stable).set_index("id")
    assert df["core"].to_dict() == {str(k): v for k, v in nx.core_number(stable).items()}
    assert core_periphery(g)["core"].max() == max(nx.core_number(actor_projection(g)).values())


def attributed(seed: int) -> nx.Graph:
    rng = random.Random(seed)
    g = nx.gnm_random_graph(120, 500, seed=seed)
    for v in g:
        g.nodes[v].update(family=rng.choice("abc"), country=rng.choice(["FR", "DE", "", "IT"]),
                          type=rng.choice(["ngo", "employer"]))
    for u, v in list(g.edges)[:150]:  # some homophily: copy the family along a few ties
        g.nodes[v]["family"] = g.nodes[u]["family"]
    return g


@pytest.mark.parametrize("seed", [0, 1])
def test_assortativity_equals_networkx(seed):
    g = attributed(seed)
    assert assortativity(g, "family") == pytest.approx(nx.attribute_assortativity_coefficient(g, "family"))
    with_country = g.subgraph([v for v in g if g.nodes[v]["country"]])
    assert assortativity(g, "country", skip_empty=True) == \
        pytest.approx(nx.attribute_assortativity_coefficient(with_country, "country"))
    df = homophily(g).set_index("attribute")
    assert df.at["type", "assortativity"] == pytest.approx(nx.attribute_assortativity_coefficient(g, "type"))
    assert df.at["family", "ei"] == pytest.approx(network_ei_index(g, "family"))
    assert df.at["country", "ei"] == pytest.approx(network_ei_index(with_country, "country"))
    assert df.at["country", "actors"] == with_country.number_of_nodes()
    assert df.at["family", "within_share"] == pytest.approx(
        sum(g.nodes[u]["family"] == g.nodes[v]["family"] for u, v in g.edges) / g.number_of_edges())


def test_cli_cores_and_homophily(tmp_path):
    from click.testing import CliRunner

    from graph.sqlite_store import SQLiteStore
    from partnet.cli import cli

    st = SQLiteStore(tmp_path / "h.db")
    st.write(hand_dataset())
    st.close()
    db = ["--db", str(tmp_path / "h.db")]
    run = CliRunner().invoke
    res = run(cli, ["cores", *db])
    assert res.exit_code == 0, res.output
    assert "main core: 3-core of 7 actors (100.0% of all)" in res.output  # two 4-cliques (p1, p3) and g1-x
    res = run(cli, ["cores", *db, "--min-shared", "2"])  # the one stable tie: d1-f1 (p1 and p2)
    assert "main core: 1-core of 2 actors (28.6% of all)" in res.output
    rows = json.loads(run(cli, ["cores", *db, "--intermediated", "--format", "json"]).output)
    assert all(r["intermediated"] for r in rows)
    res = run(cli, ["homophily", *db, "--format", "json", "--min-shared", "1"])
    assert res.exit_code == 0, res.output
    assert [r["attribute"] for r in json.loads(res.output)] == ["family", "country", "type"]
