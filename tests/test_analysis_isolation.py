"""analysis.isolation: actors without partnership, single-member-only, peripheral, components."""

from __future__ import annotations

import networkx as nx
import numpy as np
from analysis_refdata import davis_folder, load_graph

from analysis.isolation import (
    actors_without_partnership,
    component_membership,
    components,
    funders_outside_partnerships,
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
    # issue 14: a funding tie is a tie — a funder outside partnerships is not isolated
    assert not df.loc["funder", "isolated"] and df.loc["funder", "funding_ties"] == 1
    # with a period filter, actors of partnerships outside the period have none left
    later = actors_without_partnership(_graph(), Filters(period=(2008, 2012)))
    assert {"a", "b", "e"} <= set(later["id"]) and "d" not in set(later["id"])


def test_isolated_actors():
    # issue 14's one definition: no membership in a partnership with another member, no link, no funding
    # tie. "solo" (only in a single-member partnership) is isolated; the funder is not.
    g = _graph()
    df = isolated_actors(g)
    assert df["id"].tolist() == ["alone", "solo"]
    assert df.set_index("id").loc["solo", "n_partnerships"] == 1
    assert isolated_actors(g, projection=actor_projection(g))["id"].tolist() == ["alone", "solo"]


def test_funders_outside_partnerships_are_their_own_category():
    g = _graph()
    df = funders_outside_partnerships(g)
    assert df["id"].tolist() == ["funder"] and df.loc[0, "funds"] == 1
    summary = isolation_summary(g).set_index("id")
    assert summary.loc["funder", "funder_outside_partnerships"] and not summary.loc["funder", "isolated"]
    assert summary["funder_outside_partnerships"].sum() == 1


def test_funded_actor_and_linked_actor_are_not_isolated():
    ds = Dataset(actors=[Actor(x, x, "ngo") for x in ("donor", "grantee", "x", "y", "z")],
                 partnerships=[Partnership("p", "P", "project")],
                 memberships=[Membership("z", "p")],
                 funding=[Funding("donor", "grantee", "ESF")], links=[Link("x", "y")])
    df = isolation_summary(dataset_to_graph(ds)).set_index("id")
    # grantee receives funding: a tie in the other direction; z is alone in its partnership
    assert df["isolated"].to_dict() == {"donor": False, "grantee": False, "x": False, "y": False, "z": True}
    assert df["funder_outside_partnerships"].to_dict() == {"donor": True, "grantee": False, "x": False,
                                                            "y": False, "z": False}


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
    assert df["isolated"].sum() == 2 and df.loc["solo", "isolated"] and not df.loc["funder", "isolated"]
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
