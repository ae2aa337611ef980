"""The exact invite list (`analysis.coverage.plan_invites`) against brute force and against greedy."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from toy_partnerships import toy_graph

from analysis import coverage
from analysis.invites import plan_meeting
from graph.convert import dataset_to_graph
from graph.errors import PartnetError
from graph.model import Actor, Dataset, Membership, Partnership

TYPES = ["trade_union", "ngo", "local_authority", "employer", "migrant_organisation", "research"]


def _random_graph(seed: int, n: int = 8, n_parts: int = 4):
    rng = np.random.default_rng(seed)
    actors = [Actor(f"a{i}", f"A{i}", TYPES[rng.integers(len(TYPES))], country=["FR", "DE", "IT", "ES"][
        rng.integers(4)]) for i in range(n)]
    parts = [Partnership(f"p{j}", f"P{j}", "project") for j in range(n_parts)]
    mem = {(f"a{rng.integers(n)}", f"p{j}") for j in range(n_parts) for _ in range(3)}
    return dataset_to_graph(Dataset(actors=actors, partnerships=parts,
                                    memberships=[Membership(a, p) for a, p in sorted(mem)]))


def _groups(g, cover):
    actors = [a for a, d in g.nodes(data=True) if d.get("label") == "Actor"]
    out = {}
    for a in actors:
        d = g.nodes[a]
        s = set()
        if "countries" in cover and d.get("country"):
            s.add(("country", d["country"]))
        if "families" in cover and d.get("family") in coverage.FIVE_FAMILIES:
            s.add(("family", d["family"]))
        if "partnerships" in cover:
            s |= {("partnership", v) for _, v, e in g.out_edges(a, data=True) if e["type"] == "MEMBER_OF"}
        out[a] = s
    return out


def _brute(groups, seats, must=(), exclude=()):
    """(best coverage, fewest actors for it) over every subset: the independent reference."""
    pool = [a for a in sorted(groups) if a not in exclude and a not in must]
    best = (-1, 0)
    universe = set().union(*groups.values())
    for k in range(0, len(pool) + 1):
        if seats is not None and k + len(must) > seats:
            break
        for combo in itertools.combinations(pool, k):
            cov = len(set().union(*(groups[a] for a in (*must, *combo))) & universe)
            if (cov, -(k + len(must))) > (best[0], -best[1]):
                best = (cov, k + len(must))
    return best


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("cover", [("families", "countries"), ("countries", "partnerships"),
                                   ("families", "countries", "partnerships")])
def test_exact_plan_equals_brute_force_and_beats_greedy(seed, cover):
    g = _random_graph(seed)
    groups = _groups(g, cover)
    for seats in (1, 2, 3, None):
        plan = coverage.plan_invites(g, cover, seats=seats)
        got = set().union(*(groups[a] for a in plan["actor_id"])) if len(plan) else set()
        cov, k = _brute(groups, seats)
        assert plan.attrs["method"] == "exact" and plan.attrs["optimal"]
        assert plan.attrs["covered"] == len(got) == cov
        assert len(plan) == k  # no redundant invitee: the fewest actors reaching that coverage
        if seats is not None:
            assert len(plan) <= seats
        deg = {a: 0.0 for a in groups}
        greedy = coverage.greedy_cover(groups, sorted(groups), 0, deg, seats)
        g_cov = len(set().union(*(groups[a] for a in greedy))) if greedy else 0
        assert cov >= g_cov
        if seats is None:
            assert len(plan) <= len(greedy)


@pytest.mark.parametrize("seed", range(6))
def test_must_and_exclude_are_honoured_and_optimal_given_them(seed):
    g = _random_graph(seed, n=9)
    cover = ("families", "countries")
    groups = _groups(g, cover)
    must, exclude = ["a0"], ["a1", "a2"]
    for seats in (2, 4, None):
        plan = coverage.plan_invites(g, cover, seats=seats, must=must, exclude=exclude)
        ids = plan["actor_id"].tolist()
        assert ids[0] == "a0" and bool(plan["must_invite"].iloc[0])
        assert not set(exclude) & set(ids)
        cov, _ = _brute(groups, seats, must=must, exclude=exclude)
        assert plan.attrs["covered"] == cov


def test_never_worse_than_todays_greedy_planner():
    g = toy_graph()
    greedy = plan_meeting(g, ["country", "family", "partnership"])
    exact = coverage.plan_invites(g, ["countries", "families", "partnerships"])
    assert exact.attrs["covered"] == exact.attrs["groups"] == greedy.attrs["groups"]
    assert len(exact) <= len(greedy)


def test_ties_go_to_the_better_connected_actor():
    # fr-city (degree 6 in the toy projection) and fr-ngo both bring FR + a family; one seat, countries only
    g = toy_graph()
    plan = coverage.plan_invites(g, "countries", seats=1, families=())
    from analysis.projection import actor_projection

    deg = dict(actor_projection(g).degree())
    best = max(deg[a] for a, d in g.nodes(data=True) if d.get("label") == "Actor" and d.get("country"))
    assert deg[plan["actor_id"].iloc[0]] == best


def test_greedy_fallback_when_the_time_limit_is_reached(monkeypatch):
    from types import SimpleNamespace

    monkeypatch.setattr(coverage, "milp", lambda *a, **k: SimpleNamespace(
        status=1, x=None, message="Time limit reached", mip_dual_bound=float("nan")))
    g = toy_graph()
    plan = coverage.plan_invites(g, ["countries", "families"], seats=3)
    assert plan.attrs["method"] == "greedy" and not plan.attrs["optimal"]
    assert "at most" in plan.attrs["bound"] and "1 - 1/e" in plan.attrs["bound"]
    full = coverage.plan_invites(g, ["countries", "families"])
    assert "at least" in full.attrs["bound"] and full.attrs["covered"] == full.attrs["groups"]


def test_bad_input_is_a_partnet_error():
    g = toy_graph()
    for kw in ({"seats": 0}, {"must": ["nobody"]}, {"exclude": ["nobody"]}, {"must": ["fr-ngo"], "exclude": ["fr-ngo"]},
               {"must": ["fr-ngo", "de-ngo"], "seats": 1}, {"time_limit": 0}):
        with pytest.raises(PartnetError):
            coverage.plan_invites(g, **kw)
    with pytest.raises(PartnetError, match="cannot cover"):
        coverage.plan_invites(g, "wizards")


def test_generated_network_plan_is_exact_and_covers_everything():
    from synthetic.generator import generate

    g = dataset_to_graph(generate(600, seed=3))
    plan = coverage.plan_invites(g, seats=12)
    assert plan.attrs["method"] == "exact" and len(plan) <= 12
    families = {g.nodes[a]["family"] for a in plan["actor_id"]}
    assert set(coverage.FIVE_FAMILIES) <= families  # five families fit in 12 seats alongside countries
    full = coverage.plan_invites(g)
    assert full.attrs["covered"] == full.attrs["groups"] - len(full.attrs["uncoverable"])
    greedy = plan_meeting(g, ["country", "family"])
    assert len(full) <= len(greedy)
