"""The country co-participation network (analysis.countries), its backbone, exports and `partnet countries`.

Hand case (countries of the actors: d1 d2 DE, f1 f2 FR, g1 g2 "EL" = GR, x none):
  p1: d1 d2 f1 x   -> DE-FR 2·1 = 2 co-participations, actor pairs (d1,f1) (d2,f1)
  p2: d1 f1        -> DE-FR +1 = 3, no new actor pair; DE-FR share 2 partnerships
  p3: f1 f2 g1 g2  -> FR-GR 2·2 = 4, 4 actor pairs, 1 partnership
  p4: d2           p5: g1 x   (no country pair)
The network is the path DE -3- FR -4- GR: strengths 3, 7, 4; the leading eigenvector of
[[0,3,0],[3,0,4],[0,4,0]] is (3, 5, 4)/·, λ = 5, so scaled to max 1: DE 0.6, FR 1, GR 0.8;
FR lies on the one DE–GR shortest path: betweenness 1 (normalised), the others 0.
"""

from __future__ import annotations

import json
import random

import networkx as nx
import pandas as pd
import pytest
from click.testing import CliRunner

from analysis.backbone import country_backbone_edges, disparity_pvalues
from analysis.countries import country_edges, country_network, country_table, normalise_codes
from analysis.export_countries import export_country_network
from graph.convert import dataset_to_graph
from graph.errors import PartnetError
from graph.model import Actor, Dataset, Membership, Partnership
from partnet.cli import cli

MEMBERS = {"p1": ["d1", "d2", "f1", "x"], "p2": ["d1", "f1"], "p3": ["f1", "f2", "g1", "g2"], "p4": ["d2"],
           "p5": ["g1", "x"]}
COUNTRY = {"d1": "DE", "d2": "DE", "f1": "FR", "f2": "FR", "g1": "EL", "g2": "EL", "x": ""}


def hand_dataset() -> Dataset:
    return Dataset(
        actors=[Actor(a, a.upper(), "ngo", country=c, scope="" if c else "european") for a, c in COUNTRY.items()],
        partnerships=[Partnership(p, p.upper(), "project") for p in MEMBERS],
        memberships=[Membership(a, p) for p, ms in MEMBERS.items() for a in ms])


@pytest.fixture
def hand():
    return dataset_to_graph(hand_dataset())


def test_hand_weights(hand):
    e = country_edges(hand).set_index(["country_a", "country_b"])
    assert e.loc[("DE", "FR")].to_dict() == {"participations": 3, "actor_pairs": 2, "partnerships": 2, "weight": 3}
    assert e.loc[("FR", "GR")].to_dict() == {"participations": 4, "actor_pairs": 4, "partnerships": 1, "weight": 4}
    assert len(e) == 2  # no DE-GR pair, no self-loop
    assert country_edges(hand, "partnerships").set_index(["country_a", "country_b"])["weight"].to_dict() == \
        {("DE", "FR"): 2, ("FR", "GR"): 1}


def test_hand_table(hand):
    t = country_table(hand).set_index("country")
    assert list(t.index) == ["FR", "GR", "DE"]  # strongest first
    assert t["strength"].to_dict() == {"FR": 7, "GR": 4, "DE": 3}
    assert t["memberships"].to_dict() == {"FR": 4, "GR": 3, "DE": 4}
    assert t["partnerships"].to_dict() == {"FR": 3, "GR": 2, "DE": 3}
    assert t["cross_border"].to_dict() == {"FR": 3, "GR": 1, "DE": 2}
    assert t["actors"].to_dict() == {"FR": 2, "GR": 2, "DE": 2}
    assert t["eigenvector"].to_dict() == pytest.approx({"FR": 1.0, "GR": 0.8, "DE": 0.6})
    assert t["betweenness"].to_dict() == pytest.approx({"FR": 1.0, "GR": 0.0, "DE": 0.0})
    pairs = country_table(hand, "actor-pairs").set_index("country")  # path 2, 4: λ = √20
    assert pairs["eigenvector"].to_dict() == pytest.approx({"FR": 1.0, "GR": 4 / 20 ** 0.5, "DE": 2 / 20 ** 0.5})


def test_aliases_and_bad_codes():
    assert normalise_codes("uk, EL ,de") == ("DE", "GB", "GR")
    assert normalise_codes(None) is None
    for bad in ("DEU", "D1", " , "):
        with pytest.raises(PartnetError):
            normalise_codes(bad)


def random_graph(seed: int = 3) -> nx.MultiDiGraph:
    rng = random.Random(seed)
    countries = ["AT", "BE", "DE", "ES", "FR", "IT", "NL", "PL", ""]
    actors = [Actor(f"a{k}", f"A{k}", "ngo", country=rng.choice(countries)) for k in range(70)]
    parts = [Partnership(f"p{k}", f"P{k}", "project") for k in range(35)]
    mem = {(a.id, p.id) for p in parts for a in rng.sample(actors, rng.randint(1, 7))}
    return dataset_to_graph(Dataset(actors=actors, partnerships=parts,
                                    memberships=[Membership(a, p) for a, p in sorted(mem)]))


@pytest.mark.parametrize("weight", ["participations", "actor-pairs", "partnerships"])
def test_centralities_equal_networkx(weight):
    g = random_graph()
    net = country_network(g, weight)
    assert nx.is_connected(net)
    t = country_table(g, weight).set_index("country")
    ev = nx.eigenvector_centrality_numpy(net, weight="weight")
    top = max(ev.values())
    assert t["eigenvector"].to_dict() == pytest.approx({c: v / top for c, v in ev.items()}, abs=1e-9)
    bc = nx.betweenness_centrality(net, weight="distance")
    assert t["betweenness"].to_dict() == pytest.approx(bc, abs=1e-9)
    assert t["strength"].to_dict() == pytest.approx(dict(net.degree(weight="weight")))


def test_participations_equal_brute_force():
    g = random_graph(5)
    country = {n: d["country"] for n, d in g.nodes(data=True) if d.get("label") == "Actor"}
    want: dict[tuple[str, str], int] = {}
    for p, d in g.nodes(data=True):
        if d.get("label") != "Partnership":
            continue
        members = [u for u, _ in g.in_edges(p) if country[u]]
        for x in members:
            for y in members:
                if country[x] < country[y]:
                    want[(country[x], country[y])] = want.get((country[x], country[y]), 0) + 1
    got = country_edges(g).set_index(["country_a", "country_b"])["participations"].to_dict()
    assert got == want


def test_only_equals_the_induced_network():
    g = random_graph()
    keep = ("DE", "FR", "IT", "PL")
    only = country_table(g, only=["pl", "it", "fr", "de"]).set_index("country").sort_index()
    # the same data with every other country's actors stripped of their country
    ds = Dataset(actors=[], partnerships=[], memberships=[])
    for n, d in g.nodes(data=True):
        if d.get("label") == "Actor":
            c = d["country"] if d["country"] in keep else ""
            ds.actors.append(Actor(n, d["name"], "ngo", country=c))
        else:
            ds.partnerships.append(Partnership(n, d["name"], "project"))
    ds.memberships = [Membership(u, v) for u, v, d in g.edges(data=True) if d.get("type") == "MEMBER_OF"]
    induced = country_table(dataset_to_graph(ds)).set_index("country").sort_index()
    pd.testing.assert_frame_equal(only, induced)
    sub = country_network(g).subgraph(keep)  # and the centralities are those of the induced subgraph
    assert only["betweenness"].to_dict() == pytest.approx(nx.betweenness_centrality(sub, weight="distance"))


def test_country_backbone_hand_pvalues():
    # star around FR in the hand case: FR has degree 2, strength 7; DE and GR degree 1 (α = 1)
    g = dataset_to_graph(hand_dataset())
    p = country_backbone_edges(g, 1.0).set_index(["country_a", "country_b"])["disparity_p"].to_dict()
    assert p == pytest.approx({("DE", "FR"): 1 - 3 / 7, ("FR", "GR"): 1 - 4 / 7})
    assert len(country_backbone_edges(g, 0.5)) == 1  # only FR-GR (3/7 < 0.5)
    assert disparity_pvalues(2, [0], [1], [1.0]).tolist() == [1.0]


def test_exports(hand, tmp_path):
    gexf = export_country_network(hand, tmp_path / "c.gexf")[0]
    back = nx.read_gexf(gexf)
    assert sorted(back.nodes) == ["DE", "FR", "GR"] and back.number_of_edges() == 2
    gml = nx.read_graphml(export_country_network(hand, tmp_path / "c.graphml", backbone=0.5)[0])
    assert gml.number_of_edges() == 1 and gml.number_of_nodes() == 3
    table, pairs = export_country_network(hand, tmp_path / "c.csv", weight="actor-pairs")
    assert pd.read_csv(table)["country"].tolist() == ["FR", "GR", "DE"]
    assert pd.read_csv(pairs)["weight"].tolist() == [4, 2]
    xlsx = export_country_network(hand, tmp_path / "c.xlsx")[0]
    assert set(pd.read_excel(xlsx, sheet_name=None)) == {"countries", "pairs"}
    with pytest.raises(PartnetError):
        export_country_network(hand, tmp_path / "c.txt")


@pytest.fixture
def db(tmp_path):
    from graph.sqlite_store import SQLiteStore

    st = SQLiteStore(tmp_path / "h.db")
    st.write(hand_dataset())
    st.close()
    return str(tmp_path / "h.db")


def test_cli_countries(db, tmp_path):
    run = CliRunner().invoke
    res = run(cli, ["countries", "--db", db])
    assert res.exit_code == 0, res.output
    assert "Country network (weight = participations)" in res.output and "FR" in res.output
    res = run(cli, ["countries", "--db", db, "--format", "json", "--only", "DE,FR"])
    rows = json.loads(res.output)
    assert [r["country"] for r in rows] == ["DE", "FR"]
    assert set(rows[0]) == {"country", "actors", "memberships", "partnerships", "cross_border", "partners",
                            "strength", "eigenvector", "betweenness"}
    res = run(cli, ["countries", "--db", db, "--edges", "--format", "csv", "--weight", "partnerships"])
    assert res.output.splitlines()[1] == "DE,FR,3,2,2,2"
    res = run(cli, ["countries", "--db", db, "--only", "GER"])
    assert res.exit_code == 1 and "not a country code" in res.output and "Traceback" not in res.output
    res = run(cli, ["countries", "--db", db, "--backbone", "0.1"])
    assert res.exit_code == 1 and "--edges" in res.output
    res = run(cli, ["countries", "--db", db, "--out", str(tmp_path / "n.gexf")])
    assert res.exit_code == 0 and (tmp_path / "n.gexf").exists()
    res = run(cli, ["countries", "--db", str(tmp_path / "missing.db")])
    assert res.exit_code == 2


def test_cli_countries_leaves_proposed_partnerships_out(tmp_path):
    """Like every finding: a proposed partnership (here a DE-EL one) counts only with --include-proposed."""
    from graph.sqlite_store import SQLiteStore

    ds = hand_dataset()
    ds.partnerships.append(Partnership("pp", "PROPOSED", "project", status="proposed"))
    ds.memberships += [Membership("d1", "pp"), Membership("g2", "pp")]
    path = str(tmp_path / "p.db")
    with SQLiteStore(path) as st:
        st.write(ds)
    run = CliRunner().invoke
    pairs = {}
    for extra in ([], ["--include-proposed"]):
        res = run(cli, ["countries", "--db", path, "--edges", "--format", "json", "--weight", "partnerships", *extra])
        assert res.exit_code == 0, res.output
        pairs[bool(extra)] = {(r["country_a"], r["country_b"]): r["weight"] for r in json.loads(res.output)}
    want = country_edges(dataset_to_graph(hand_dataset()), "partnerships")
    assert pairs[False] == {(r.country_a, r.country_b): r.weight for r in want.itertuples()}
    assert pairs[True][("DE", "GR")] == pairs[False].get(("DE", "GR"), 0) + 1  # EL is stored as GR
