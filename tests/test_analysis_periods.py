"""analysis.periods: period networks and actor turnover, checked by hand on a small timeline."""

from __future__ import annotations

import networkx as nx
import pytest

from analysis.periods import actor_turnover, default_periods, network_by_period, period_graph, period_label
from graph.convert import dataset_to_graph
from graph.errors import PartnetError
from graph.model import Actor, Dataset, Link, Membership, Partnership


def _timeline() -> nx.MultiDiGraph:
    """EQUAL round 1 (2001-2004) and round 2 (2005-2008), a pact still running, a link in 2006."""
    actors = [Actor(x, x.upper(), t, country=c) for x, t, c in [
        ("cgt", "trade_union", "FR"), ("ville", "local_authority", "FR"), ("asso", "ngo", "FR"),
        ("fnv", "trade_union", "NL"), ("gemeente", "local_authority", "NL"), ("late", "ngo", "BE"),
        ("undated-only", "ngo", "BE"), ("linker", "research", "DE")]]
    ds = Dataset(
        actors=actors,
        partnerships=[Partnership("dp-r1", "Round 1", "development_partnership", start_year=2001, end_year=2004),
                      Partnership("dp-r2", "Round 2", "development_partnership", start_year=2005, end_year=2008),
                      Partnership("pact", "Pact", "pact", start_year=2007),
                      Partnership("undated", "Undated", "project")],
        memberships=[Membership("cgt", "dp-r1"), Membership("ville", "dp-r1"), Membership("asso", "dp-r1"),
                     Membership("cgt", "dp-r2"), Membership("fnv", "dp-r2"), Membership("gemeente", "dp-r2"),
                     Membership("late", "pact"), Membership("gemeente", "pact"),
                     Membership("undated-only", "undated"), Membership("cgt", "undated")],
        links=[Link("linker", "fnv", "exchange", year=2006), Link("linker", "asso", "other")],
    )
    return dataset_to_graph(ds)


def test_period_graph_keeps_active_actors_and_dated_links():
    g = _timeline()
    first = period_graph(g, (2001, 2004))
    assert sorted(first) == ["asso", "cgt", "ville"]
    assert first.number_of_edges() == 3 and first.edges["cgt", "ville"]["shared"] == 1
    second = period_graph(g, (2005, 2009))
    assert sorted(second) == ["cgt", "fnv", "gemeente", "late", "linker"]
    assert second.edges["linker", "fnv"]["links"] == 1  # dated 2006
    assert not second.has_edge("linker", "asso")  # undated link: in no period
    assert second.edges["gemeente", "late"]["shared"] == 1  # the open-ended pact runs from 2007
    assert sorted(period_graph(g, (2020, 2024))) == ["gemeente", "late"]  # still running
    assert second.graph["period"] == (2005, 2009)
    no_links = period_graph(g, (2005, 2009), include_links=False)
    assert "linker" not in no_links


def test_actor_turnover_between_rounds():
    df = actor_turnover(_timeline(), (2001, 2004), (2005, 2008))
    status = dict(zip(df["id"], df["status"], strict=True))
    assert status == {"cgt": "persisting", "ville": "leaving", "asso": "leaving", "fnv": "entering",
                      "gemeente": "entering", "late": "entering", "linker": "entering"}
    assert df["status"].tolist()[:4] == ["entering"] * 4  # entering, persisting, leaving
    assert df.attrs["entering"] == 4 and df.attrs["persisting"] == 1 and df.attrs["leaving"] == 2
    assert df.attrs["first"] == "2001-2004"
    row = df.set_index("id").loc["gemeente"]
    assert row["partnerships_first"] == 0 and row["partnerships_second"] == 2


def test_network_by_period_and_default_periods():
    g = _timeline()
    assert default_periods(g) == [(2000, 2004), (2005, 2009)]
    assert default_periods(g, width=10) == [(2000, 2009)]
    df = network_by_period(g)
    assert df["period"].tolist() == ["2000-2004", "2005-2009"]
    assert df["partnerships"].tolist() == [1, 2]
    assert df["actors"].tolist() == [3, 5]
    assert df.loc[0, "density"] == pytest.approx(1.0)
    assert df["entering"].tolist()[1] == 4 and df["leaving"].tolist()[1] == 2
    assert df["entering"].isna().tolist()[0]
    assert df["trade_unions"].tolist() == [1, 2]
    # gemeente sits in round 2 and the pact, so "late" joins round 2's component; "linker" joins through fnv
    assert df.loc[1, "components"] == 1 and df.loc[1, "largest_component"] == pytest.approx(1.0)


def test_period_validation_and_labels():
    with pytest.raises(PartnetError):
        period_graph(_timeline(), (2009, 2001))
    assert period_label((None, None)) == "-"
    assert network_by_period(_timeline(), periods=[]).empty


def test_network_by_period_equals_the_figures_of_each_period_graph():
    """The vectorised panel (matrices over the flat tables) gives the figures of `period_graph` itself."""
    import math

    from analysis.projection import active_in
    from synthetic import generate

    g = dataset_to_graph(generate(1500, 2))
    lonely = sorted(v for v, d in g.nodes(data=True) if d.get("label") == "Actor")[0]
    g.add_edge(lonely, lonely, key="LINKED_TO:x", type="LINKED_TO", kind="x", year=2010)  # a dated self-link
    periods = [*default_periods(g), (None, 2005), (2012, None), (None, None)]
    got = network_by_period(g, periods)
    previous = None
    for row, p in zip(got.itertuples(), periods, strict=True):
        pg = period_graph(g, p)
        lo, hi = pg.graph["period"]
        n = pg.number_of_nodes()
        comps = [len(c) for c in nx.connected_components(pg)]
        assert row.period == period_label((lo, hi))
        assert row.partnerships == sum(1 for _, d in g.nodes(data=True)
                                       if d.get("label") == "Partnership" and active_in(d, (lo, hi)))
        assert (row.actors, row.ties, row.components) == (n, pg.number_of_edges(), len(comps))
        assert row.density == pytest.approx(nx.density(pg)) if n > 1 else math.isnan(row.density)
        assert row.largest_component == pytest.approx(max(comps) / n)
        assert row.trade_unions == sum(1 for v in pg if pg.nodes[v].get("family") == "trade_unions")
        if previous is not None:
            assert (row.entering, row.leaving) == (len(set(pg) - previous), len(previous - set(pg)))
        previous = set(pg)
