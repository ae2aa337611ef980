"""Meeting planner on the hand-made graph of tests/toy_partnerships.py."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
from toy_partnerships import toy_graph

from analysis import planner
from analysis.projection import actor_projection
from graph.convert import dataset_to_graph
from graph.errors import PartnetError
from graph.model import Actor, Dataset, Membership, Partnership

#: hand-made communities: one per country, plus the two funders apart
COMM = {"fr-union": 0, "fr-city": 0, "fr-ngo": 0, "fr-migrants": 0, "fr-employer": 0,
        "de-ngo": 1, "de-city": 1, "de-employer": 1, "it-ngo": 2, "it-union": 2,
        "es-ngo": 3, "es-city": 3, "pt-ngo": 4, "ec": 5, "fr-ministry": 6}


@pytest.fixture(scope="module")
def g():
    return toy_graph()


def _covered(g, plan, goal):
    attrs = {"country": "country", "family": "family"}[goal]
    return {g.nodes[a][attrs] for a in plan["actor_id"]} - {""}


def test_cover_countries_one_actor_each(g):
    plan = planner.plan_meeting(g, "country")
    assert len(plan) == 5
    assert _covered(g, plan, "country") == {"FR", "DE", "IT", "ES", "PT"}
    assert (plan["new_groups"] == 1).all()


def test_cover_country_and_family_jointly_uses_multi_group_actors(g):
    plan = planner.plan_meeting(g, ["country", "family"])
    assert _covered(g, plan, "country") == {"FR", "DE", "IT", "ES", "PT"}
    assert _covered(g, plan, "family") == {"authorities", "enterprises", "trade_unions", "ngos", "target_public"}
    # 10 groups; the first three invitees each bring a new country AND a new family
    assert plan["new_groups"].tolist()[:3] == [2, 2, 2]
    assert len(plan) == 7
    assert plan.attrs["groups"] == 10 and plan.attrs["uncoverable"] == []


def test_greedy_matches_brute_force_on_partnership_cover(g):
    plan = planner.plan_meeting(g, "partnership")
    parts = {"dp-full", "dp-nounion", "proj-de", "net-it", "proj-es"}
    members = {a: {p for _, p, d in g.out_edges(a, data=True) if d["type"] == "MEMBER_OF"}
               for a in g.nodes if g.nodes[a]["label"] == "Actor"}
    best = next(k for k in range(1, 6) for combo in itertools.combinations(sorted(members), k)
                if set().union(*(members[a] for a in combo)) >= parts)
    assert len(plan) == best == 4
    assert plan.iloc[0]["actor_id"] == "fr-city"  # covers dp-full and dp-nounion; beats fr-ngo on id


def test_tie_break_by_centrality_then_id():
    ds = Dataset(actors=[Actor("b", "B", "ngo", country="FR"), Actor("a", "A", "ngo", country="FR"),
                         Actor("c", "C", "ngo", country="FR"), Actor("z", "Z", "ngo", country="FR")],
                 partnerships=[Partnership("p", "P", "project")],
                 memberships=[Membership("z", "p"), Membership("b", "p"), Membership("c", "p")])
    g = dataset_to_graph(ds)
    assert planner.plan_meeting(g, "country")["actor_id"].tolist() == ["b"]  # b, c, z have degree 2; a has 0
    assert planner.plan_meeting(g, "country", centrality={"z": 9.0})["actor_id"].tolist() == ["z"]


def test_must_invite_first_and_restriction(g):
    plan = planner.plan_meeting(g, "family", must_invite=["de-ngo"], partnership="dp-nounion")
    assert plan["actor_id"].tolist() == ["de-ngo", "fr-city"]
    assert plan.iloc[0]["must_invite"] and "must invite" in plan.iloc[0]["reason"]
    # unions, enterprises and the target public are absent from dp-nounion: reported, not invented
    assert plan.attrs["uncoverable"] == ["family enterprises", "family target_public", "family trade_unions"]
    only_es = planner.plan_meeting(g, ["family"], country="ES")
    assert set(only_es["country"]) == {"ES"}
    esf = planner.plan_meeting(g, "country", programme="ESF/EQUAL")
    assert set(esf["country"]) == {"FR", "DE"}


def test_community_goal_with_given_communities(g):
    # issue 14: communities of one actor are not a group to bring into the room (by default)
    sizes = Counter(COMM.values())
    groups = {c for c, n in sizes.items() if n >= 2}
    plan = planner.plan_meeting(g, "community", communities=COMM)
    assert len(plan) == len(groups) == 4
    assert {COMM[a] for a in plan["actor_id"]} == groups
    every = planner.plan_meeting(g, "community", communities=COMM, min_community_size=1)
    assert len(every) == len(set(COMM.values()))
    assert {COMM[a] for a in every["actor_id"]} == set(COMM.values())


def test_community_goal_defaults_to_louvain(g):
    from analysis.communities import louvain
    from analysis.gaps import community_series

    comm = community_series(louvain(actor_projection(g)))
    big = comm[comm.map(comm.value_counts()) >= 2]
    plan = planner.plan_meeting(g, "community")
    assert {comm[a] for a in plan["actor_id"]} == set(big.values)
    assert len(plan) == big.nunique()
    s = planner.suggest_introductions(g, gaps=["bridge"])
    assert all(comm[r.actor_a] != comm[r.actor_b] for r in s.itertuples())


def test_every_invitee_has_a_reason(g):
    for goals in (["country"], ["family"], ["partnership"], ["country", "family"]):
        plan = planner.plan_meeting(g, goals, must_invite=["pt-ngo", "fr-union"])
        assert (plan["reason"].str.len() > 0).all()


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"goals": "colour"}, "unknown meeting goal"),
    ({"must_invite": ["nobody"]}, "must-invite actor 'nobody'"),
    ({"partnership": "nope"}, "partnership 'nope'"),
    ({"programme": "Horizon"}, "no funding under programme 'Horizon'"),
    ({"families": ["unions"]}, "unknown family"),
])
def test_bad_input(g, kwargs, message):
    kwargs.setdefault("goals", "country")
    with pytest.raises(PartnetError, match=message):
        planner.plan_meeting(g, **kwargs)


def test_introductions_close_gaps_and_explain_themselves(g):
    s = planner.suggest_introductions(g, communities=COMM)
    assert not s.empty
    assert (s["reason"].str.len() > 20).all()
    union = s[s["gap"] == "union"]
    # de-ngo sits in both union-less partnerships with members two steps from a union (dp-nounion, proj-de):
    # one introduction to CGT Paris serves both; proj-es has no union anywhere in Spain
    assert union[["context", "actor_a", "actor_b"]].values.tolist() == [["dp-nounion", "de-ngo", "fr-union"]]
    proj = actor_projection(g)
    for r in s.itertuples():
        assert not proj.has_edge(r.actor_a, r.actor_b)  # never suggests an existing tie
        if r.gap == "bridge":
            assert COMM[r.actor_a] != COMM[r.actor_b]
    cross = s[s["gap"] == "cross_border"]
    assert set(cross["context"]) == {"ES", "PT"}
    assert (cross["method"] == "fallback").all() and (cross["score"] == 0).all()


def test_union_introduction_serves_every_union_less_partnership_of_the_member(g):
    s = planner.suggest_introductions(g, gaps=["union"])
    first = s.iloc[0]
    assert (first.actor_a, first.actor_b, first.context) == ("de-ngo", "fr-union", "dp-nounion")
    assert "also in union-less Projekt Arbeit (proj-de)" in first.reason
    assert len(s) == 1  # one introduction per partnership


def test_union_fallback_when_no_union_is_two_steps_away():
    ds = Dataset(actors=[Actor("u", "Union", "trade_union", country="FR"), Actor("a", "A", "ngo", country="FR"),
                         Actor("b", "B", "ngo", country="FR"), Actor("x", "X", "ngo", country="FR")],
                 partnerships=[Partnership("p", "P", "project"), Partnership("q", "Q", "project")],
                 memberships=[Membership("a", "p"), Membership("b", "p"), Membership("u", "q"),
                              Membership("x", "q")])
    s = planner.suggest_introductions(dataset_to_graph(ds), gaps=["union"])
    assert s[["context", "actor_b", "method", "score"]].values.tolist() == [["p", "u", "fallback", 0.0]]
    assert "no union is two steps away" in s.iloc[0]["reason"]
    assert planner.suggest_introductions(dataset_to_graph(ds), gaps=["union"], fallback=False).empty


def test_introduction_scores_are_adamic_adar(g):
    import networkx as nx

    proj = actor_projection(g)
    s = planner.suggest_introductions(g, communities=COMM, gaps=["union", "bridge"])
    for r in s.itertuples():
        ((_, _, expected),) = nx.adamic_adar_index(proj, [(r.actor_a, r.actor_b)])
        assert r.score == pytest.approx(expected)
    ra = planner.suggest_introductions(g, communities=COMM, gaps=["union"], method="resource_allocation")
    first = ra.iloc[0]
    ((_, _, expected),) = nx.resource_allocation_index(proj, [(first.actor_a, first.actor_b)])
    assert first.score == pytest.approx(expected)


def test_cross_border_through_a_european_body():
    ds = Dataset(actors=[Actor("es", "ES org", "ngo", country="ES"), Actor("fr", "FR org", "ngo", country="FR"),
                         Actor("fr2", "FR other", "ngo", country="FR"),
                         Actor("ec", "European Commission", "eu_institution", scope="european")],
                 partnerships=[Partnership("p", "P", "project"), Partnership("q", "Q", "project"),
                               Partnership("r", "R", "project")],
                 memberships=[Membership("es", "p"), Membership("ec", "p"), Membership("ec", "q"),
                              Membership("fr", "q"), Membership("fr", "r"), Membership("fr2", "r")])
    s = planner.suggest_introductions(dataset_to_graph(ds), gaps=["cross_border"])
    assert s[["context", "actor_a", "actor_b", "method"]].values.tolist() == [["ES", "es", "fr", "adamic_adar"]]
    assert "European Commission" in s.iloc[0]["reason"]
    assert "also FR's first tie abroad" in s.iloc[0]["reason"]  # one tie closes both countries' gaps


def test_introductions_bad_input(g):
    with pytest.raises(PartnetError, match="unknown gap"):
        planner.suggest_introductions(g, gaps=["love"])
    with pytest.raises(PartnetError, match="unknown link-prediction method"):
        planner.suggest_introductions(g, method="jaccard")


@pytest.mark.parametrize("top", [1, 3, 50])
def test_partial_ranking_equals_full_sort(top):
    import numpy as np
    import scipy.sparse as sp

    from analysis._intro_candidates import _ranked

    rng = np.random.default_rng(7)
    rows, cols = rng.integers(0, 400, 3000), rng.integers(0, 50, 3000)
    m = sp.coo_matrix((rng.integers(1, 6, 3000).astype(float) / 4, (rows, cols)), shape=(400, 50)).tocsr().tocoo()
    deg = rng.integers(1, 5, 400)
    full = np.lexsort((m.col, m.row, -deg[m.row], -m.data)).tolist()
    assert list(_ranked(m, deg, top)) == full
