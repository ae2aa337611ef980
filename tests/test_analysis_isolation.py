"""analysis.isolation: actors without partnership, single-member-only, peripheral, components."""

from __future__ import annotations

import networkx as nx
import numpy as np
from analysis_refdata import davis_folder, load_graph

from analysis.isolation import (
    actors_without_partnership,
    component_membership,
    components,
    isolated_actors,
    isolation_summary,
    peripheral_actors,
    single_member_only,
)
from analysis.projection import Filters, actor_projection
from graph.convert import dataset_to_graph
from graph.model import Actor, Dataset, Funding, Link, Membership, Partnership


def _graph() -> nx.MultiDiGraph:
    actors = ["alone", "linked", "funder", "solo", "mixed", "a", "b", "c", "d", "e", "f"]
    ds = Dataset(
        actors=[Actor(x, x.title(), "ngo", country="FR" if x < "m" else "BE") for x in actors],
        partnerships=[Partnership("p-solo", "Solo", "project"), Partnership("p-solo2", "Solo 2", "project"),
                      Partnership("p-abc", "ABC", "project", start_year=2002, end_year=2003),
                      Partnership("p-cd", "CD", "project", start_year=2010),
                      Partnership("p-ef", "EF", "project")],
        memberships=[Membership("solo", "p-solo"), Membership("mixed", "p-solo2"), Membership("mixed", "p-abc"),
                     Membership("a", "p-abc"), Membership("b", "p-abc"), Membership("c", "p-abc"),
                     Membership("c", "p-cd"), Membership("d", "p-cd"), Membership("e", "p-ef"),
                     Membership("f", "p-ef")],
        funding=[Funding("funder", "p-abc", "ESF")],
        links=[Link("linked", "d")],
    )
    return dataset_to_graph(ds)


def test_actors_without_partnership():
    df = actors_without_partnership(_graph()).set_index("id")
    assert sorted(df.index) == ["alone", "funder", "linked"]
    assert df.loc["alone", "isolated"] and not df.loc["linked", "isolated"]
    assert df.loc["linked", "n_links"] == 1 and df.loc["funder", "funds"] == 1
    assert df.loc["funder", "isolated"]  # funding is not a tie to another actor
    # with a period filter, actors of partnerships outside the period have none left
    later = actors_without_partnership(_graph(), Filters(period=(2008, 2012)))
    assert {"a", "b", "e"} <= set(later["id"]) and "d" not in set(later["id"])


def test_isolated_actors():
    g = _graph()
    df = isolated_actors(g)
    assert df["id"].tolist() == ["alone", "funder"]
    assert df.set_index("id").loc["funder", "funds"] == 1
    assert isolated_actors(g, projection=actor_projection(g))["id"].tolist() == ["alone", "funder"]


def test_single_member_only():
    df = single_member_only(_graph())
    assert df["id"].tolist() == ["solo"]
    assert df.loc[0, "partnerships"] == ["p-solo"] and df.loc[0, "n_partnerships"] == 1


def test_peripheral_actors():
    df = peripheral_actors(_graph()).set_index("id")
    # d: one partner (c) in p-cd plus the link from "linked" -> two contacts, not peripheral
    assert sorted(df.index) == ["e", "f", "linked"]
    assert df.loc["linked", "contact"] == "d" and df.loc["e", "contact"] == "f"
    assert df.loc["linked", "contact_degree"] == 2


def test_components_numbered_by_size_and_match_networkx():
    g = _graph()
    df = components(g)
    assert df["size"].tolist() == sorted(df["size"], reverse=True)
    assert df.loc[0, "actors"] == ["a", "b", "c", "d", "linked", "mixed"]
    assert df["size"].sum() == 11 and df.loc[0, "share"] == 6 / 11
    assert df.loc[df["size"] == 2, "actors"].tolist() == [["e", "f"]]
    rng = np.random.default_rng(5)
    rand = nx.gnm_random_graph(200, 150, seed=int(rng.integers(1000)))
    ours = components(rand)
    ref = sorted((len(c) for c in nx.connected_components(rand)), reverse=True)
    assert ours["size"].tolist() == ref
    mem = component_membership(rand).set_index("id")
    for row in ours.itertuples():
        assert (mem.loc[row.actors, "component"] == row.component).all()


def test_isolation_summary_flags():
    df = isolation_summary(_graph()).set_index("id")
    assert df.loc["alone", "isolated"] and df.loc["alone", "outside_main_component"]
    assert df.loc["solo", "single_member_only"] and df.loc["solo", "degree"] == 0
    assert not df.loc["mixed", "single_member_only"] and df.loc["mixed", "n_partnerships"] == 2
    assert df.loc["e", "peripheral"] and not df.loc["a", "peripheral"]
    assert df.loc["a", "component"] == 0 and df.loc["a", "component_size"] == 6
    assert df["no_partnership"].sum() == 3


def test_davis_women_form_one_component(tmp_path):
    g = load_graph(davis_folder(tmp_path / "davis"))
    df = components(g)
    assert df["size"].tolist() == [18]
    assert actors_without_partnership(g).empty and single_member_only(g).empty
    assert len(actor_projection(g)) == 18
