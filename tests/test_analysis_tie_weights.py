"""Tie weights of the actor projection (analysis.tie_weights): count, newman, jaccard and stable ties.

Hand case: p = {a, b, c, d} (4 members), q = {a, b} (2 members), r = {c, e}; link a -> e.
  a-b: shared 2, newman 1/3 + 1 = 4/3, jaccard 2 / (2 + 2 - 2) = 1
  a-c: shared 1, newman 1/3,          jaccard 1 / (2 + 2 - 1) = 1/3
  c-e: shared 1, newman 1,            jaccard 1 / (2 + 1 - 1) = 1/2
  a-e: link only: count 1, newman 1,  jaccard (0 + 1) / (2 + 1 - 0 + 1) = 1/4
"""

from __future__ import annotations

import random
import re

import networkx as nx
import pytest

from analysis.memo import share
from analysis.projection import actor_projection, bipartite_graph
from analysis.tie_weights import weighted_projection
from graph.convert import dataset_to_graph
from graph.errors import PartnetError
from graph.model import Actor, Dataset, Link, Membership, Partnership

MEMBERS = {"p": "abcd", "q": "ab", "r": "ce"}


def hand() -> nx.MultiDiGraph:
    return dataset_to_graph(Dataset(
        actors=[Actor(x, x.upper(), "ngo") for x in "abcde"],
        partnerships=[Partnership(p, p.upper(), "project") for p in MEMBERS],
        memberships=[Membership(a, p) for p, ms in MEMBERS.items() for a in ms],
        links=[Link("a", "e")]))


@pytest.mark.parametrize("frozen", [False, True])
def test_hand_weights(frozen):
    g = share(hand()) if frozen else hand()
    newman = weighted_projection(g, "newman")
    assert newman.edges["a", "b"]["weight"] == pytest.approx(4 / 3)
    assert newman.edges["a", "c"]["weight"] == pytest.approx(1 / 3)
    assert newman.edges["c", "e"]["weight"] == pytest.approx(1.0)
    assert newman.edges["a", "e"]["weight"] == pytest.approx(1.0)
    jac = weighted_projection(g, "jaccard")
    assert {e: jac.edges[e]["weight"] for e in [("a", "b"), ("a", "c"), ("c", "e"), ("a", "e")]} == \
        pytest.approx({("a", "b"): 1.0, ("a", "c"): 1 / 3, ("c", "e"): 0.5, ("a", "e"): 0.25})
    default = weighted_projection(g)  # the default changes nothing: the projection itself
    assert default is actor_projection(g) if frozen else nx.utils.edges_equal(default.edges(data=True),
                                                                              actor_projection(g).edges(data=True))
    stable = weighted_projection(g, "count", min_shared=2)
    assert sorted(stable.edges) == [("a", "b")] and stable.number_of_nodes() == 5
    assert stable.edges["a", "b"]["weight"] == 2


def random_graph(seed: int) -> nx.MultiDiGraph:
    rng = random.Random(seed)
    actors = [Actor(f"a{k:02d}", f"A{k}", "ngo") for k in range(40)]
    parts = [Partnership(f"p{k:02d}", f"P{k}", "project") for k in range(25)]
    mem = {(a.id, p.id) for p in parts for a in rng.sample(actors, rng.randint(1, 8))}
    return dataset_to_graph(Dataset(actors=actors, partnerships=parts,
                                    memberships=[Membership(a, p) for a, p in sorted(mem)]))


@pytest.mark.parametrize("seed", [1, 2])
def test_equal_networkx(seed):
    g = share(random_graph(seed))
    b = bipartite_graph(g)
    actors = [n for n, d in b.nodes(data=True) if d["bipartite"] == 0]
    nw = nx.bipartite.collaboration_weighted_projected_graph(b, actors)
    ours = weighted_projection(g, "newman")
    assert {frozenset(e) for e in ours.edges} == {frozenset(e) for e in nw.edges}
    for u, v, d in nw.edges(data=True):
        assert ours.edges[u, v]["weight"] == pytest.approx(d["weight"])
    jac = weighted_projection(g, "jaccard")
    for u, v, p in nx.jaccard_coefficient(b, list(jac.edges)):
        assert jac.edges[u, v]["weight"] == pytest.approx(p)
    stable = weighted_projection(g, min_shared=2)
    assert {frozenset(e) for e in stable.edges} == \
        {frozenset((u, v)) for u, v, d in nx.bipartite.weighted_projected_graph(b, actors).edges(data=True)
         if d["weight"] >= 2}


def test_bad_input():
    g = hand()
    with pytest.raises(PartnetError):
        weighted_projection(g, "adamic")
    with pytest.raises(PartnetError):
        weighted_projection(g, min_shared=0)
    with pytest.raises(PartnetError):
        weighted_projection(actor_projection(g), "jaccard")


def test_cli_weight_options(tmp_path):
    from click.testing import CliRunner

    from graph.sqlite_store import SQLiteStore
    from partnet.cli import cli

    st = SQLiteStore(tmp_path / "h.db")
    st.write(Dataset(
        actors=[Actor(x, x.upper(), "ngo") for x in "abcde"],
        partnerships=[Partnership(p, p.upper(), "project") for p in MEMBERS],
        memberships=[Membership(a, p) for p, ms in MEMBERS.items() for a in ms], links=[Link("a", "e")]))
    st.close()
    db = ["--db", str(tmp_path / "h.db")]
    run = CliRunner().invoke
    res = run(cli, ["analyse", *db, "--weight", "newman", "--top", "5"])
    assert res.exit_code == 0, res.output
    # a's weighted degree: 4/3 (a-b) + 1/3 (a-c) + 1/3 (a-d) + 1 (link a-e) = 3; with count it is 5
    assert re.search(r"\ba\s+A\s+ngos\s+4\s+3\.000", res.output), res.output
    res = run(cli, ["export", *db, "--format", "gexf", "--graph", "actors", "--min-shared", "2",
                    str(tmp_path / "s.gexf")])
    assert res.exit_code == 0, res.output
    assert nx.read_gexf(tmp_path / "s.gexf").number_of_edges() == 1
    res = run(cli, ["analyse", *db, "--weight", "tfidf"])
    assert res.exit_code == 2 and "Traceback" not in res.output  # click's usage error
