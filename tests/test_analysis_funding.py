"""Funding analyses on the hand-made graph of tests/toy_partnerships.py."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest
from toy_partnerships import toy_graph

from analysis import funding
from graph.convert import dataset_to_graph
from graph.errors import PartnetError
from graph.model import Actor, Dataset, Funding, Partnership


@pytest.fixture(scope="module")
def g():
    return toy_graph()


def test_totals_by_funder_count_ties_and_known_amounts(g):
    t = funding.funding_totals(g, "funder").set_index("funder")
    assert t.loc["ec", "ties"] == 3 and t.loc["ec", "ties_with_amount"] == 2
    assert t.loc["ec", "amount"] == pytest.approx(150_000)
    assert t.loc["ec", "amount_known_share"] == pytest.approx(2 / 3)
    assert t.loc["ec", "name"] == "European Commission"
    assert t.loc["fr-ministry", "recipients"] == 2


def test_totals_by_programme_keep_unknown_amounts_as_nan(g):
    t = funding.funding_totals(g, "programme").set_index("programme")
    assert pd.isna(t.loc["AMIF", "amount"]) and t.loc["AMIF", "ties"] == 1
    assert t.index.tolist() == ["ESF/EQUAL", "National", "AMIF"]


def test_totals_by_country_split_partnership_money_equally(g):
    t = funding.funding_totals(g, "country").set_index("country")
    # dp-full (FR only) 100k, half of dp-nounion (FR+DE) 50k, fr-ngo 1k
    assert t.loc["FR", "amount"] == pytest.approx(151_000)
    assert t.loc["DE", "amount"] == pytest.approx(50_000)
    assert t.loc["DE", "ties"] == 2 and t.loc["DE", "amount_known_share"] == pytest.approx(0.5)
    total_known = funding.funding_table(g)["amount"].sum()
    assert t["amount"].sum() == pytest.approx(total_known)


def test_totals_by_family(g):
    t = funding.funding_totals(g, "family").set_index("family")
    assert t.loc["trade_unions", "amount"] == pytest.approx(20_000)  # a fifth of dp-full's 100k
    assert t.loc["ngos", "amount"] == pytest.approx(20_000 + 50_000 + 1_000)
    with pytest.raises(PartnetError, match="cannot total funding by 'colour'"):
        funding.funding_totals(g, "colour")


def test_herfindahl_on_amounts_or_ties(g):
    c = funding.funding_concentration(g).set_index("recipient_id")
    assert c.loc["dp-full", "hhi"] == pytest.approx(0.5) and c.loc["dp-full", "basis"] == "amount"
    assert c.loc["dp-nounion", "hhi"] == pytest.approx(1.0)
    assert c.loc["proj-de", "basis"] == "ties"  # amount unknown
    assert "fr-ngo" not in c.index
    assert "fr-ngo" in funding.funding_concentration(g, partnerships_only=False)["recipient_id"].tolist()


def test_herfindahl_by_hand_three_funders():
    ds = Dataset(actors=[Actor(x, x, "foundation") for x in ("f1", "f2", "f3")],
                 partnerships=[Partnership("p", "P", "project"), Partnership("q", "Q", "project")],
                 funding=[Funding("f1", "p", "A", 60.0), Funding("f2", "p", "B", 30.0), Funding("f3", "p", "C", 10.0),
                          Funding("f1", "q", "A", 5.0), Funding("f1", "q", "B", None), Funding("f2", "q", "C", 1.0)])
    c = funding.funding_concentration(dataset_to_graph(ds)).set_index("recipient_id")
    assert c.loc["p", "hhi"] == pytest.approx(0.6**2 + 0.3**2 + 0.1**2)
    # q has one unknown amount: shares on tie counts, f1 has two ties out of three
    assert c.loc["q", "basis"] == "ties"
    assert c.loc["q", "hhi"] == pytest.approx((2 / 3) ** 2 + (1 / 3) ** 2)
    assert c.loc["q", "top_funder"] == "f1" and c.loc["q", "top_share"] == pytest.approx(2 / 3)
    dep = funding.single_funder_dependence(dataset_to_graph(ds), threshold=0.6)
    assert dep["recipient_id"].tolist() == ["q", "p"]


def test_single_funder_dependence(g):
    dep = funding.single_funder_dependence(g)
    assert dep["recipient_id"].tolist() == ["dp-nounion", "proj-de"]
    assert set(dep["top_funder_name"]) == {"European Commission"}
    with pytest.raises(PartnetError):
        funding.single_funder_dependence(g, threshold=1.5)


def test_cofunding_network(g):
    net = funding.cofunding_network(g)
    assert sorted(net.nodes) == ["ec", "fr-ministry"]
    assert net.edges["ec", "fr-ministry"]["weight"] == 1  # both fund dp-full
    assert net.nodes["ec"]["recipients"] == 3
    # cross-check with networkx's bipartite projection
    b = nx.Graph((u, v) for u, v, d in g.edges(data=True) if d["type"] == "FUNDS")
    ref = nx.bipartite.weighted_projected_graph(b, ["ec", "fr-ministry"])
    assert {tuple(sorted(e)): d["weight"] for e, d in zip(ref.edges, ref.edges.values(), strict=True)} == \
        {tuple(sorted((u, v))): d["weight"] for u, v, d in net.edges(data=True)}


def test_empty_graph():
    g = dataset_to_graph(Dataset())
    assert funding.funding_totals(g).empty
    assert funding.funding_concentration(g).empty
    assert funding.single_funder_dependence(g).empty
    assert funding.cofunding_network(g).number_of_nodes() == 0
