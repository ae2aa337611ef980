"""Gap analysis on the hand-made graph of tests/toy_partnerships.py (answers checked by reading)."""

from __future__ import annotations

import pandas as pd
import pytest
from toy_partnerships import MEMBERS, toy_graph

from analysis import gaps
from analysis.gaps import Rule, RuleError, check_rules, load_rules
from graph.convert import dataset_to_graph
from graph.model import Actor, Dataset, Link, Membership, Partnership


@pytest.fixture(scope="module")
def g():
    return toy_graph()


def test_family_presence_counts_and_completeness(g):
    fp = gaps.family_presence(g).set_index("partnership_id")
    assert fp.loc["dp-full", "completeness"] == pytest.approx(1.0)
    assert fp.loc["dp-full", "missing"] == ""
    assert fp.loc["dp-nounion", "present"] == "authorities, ngos"
    assert fp.loc["dp-nounion", "missing"] == "enterprises, trade_unions, target_public"
    assert fp.loc["dp-nounion", "ngos"] == 2  # fr-ngo and de-ngo
    assert fp.loc["proj-de", "completeness"] == pytest.approx(3 / 5)
    assert fp.loc["empty-p", "members"] == 0
    assert fp.loc["empty-p", "completeness"] == 0
    assert {p: int(n) for p, n in fp["members"].items()} == {p: len(m) for p, m in MEMBERS.items()}


def test_partnerships_without_union_leaves_out_empty_ones(g):
    out = gaps.partnerships_without_union(g)
    assert out["partnership_id"].tolist() == ["dp-nounion", "proj-de", "proj-es"]  # by size, then id
    assert "empty-p" in gaps.partnerships_without_union(g, min_members=0)["partnership_id"].tolist()


def test_countries_without_union(g):
    assert gaps.countries_without_union(g)["country"].tolist() == ["DE", "ES", "PT"]
    cov = gaps.union_coverage_by_country(g).set_index("country")
    assert cov.loc["FR", "partnerships"] == 2 and cov.loc["FR", "partnerships_with_union"] == 1
    assert "" not in cov.index  # the European Commission has no country


def test_communities_without_union_accepts_frames_and_dicts(g):
    comm = {"de-ngo": 1, "de-city": 1, "de-employer": 1, "fr-union": 2, "fr-ngo": 2}
    out = gaps.communities_without_union(g, comm)
    assert out["community"].tolist() == [1]
    assert out.loc[0, "actors"] == 3 and out.loc[0, "countries"] == "DE"
    frame = pd.DataFrame({"actor_id": list(comm), "community": list(comm.values())})
    pd.testing.assert_frame_equal(gaps.communities_without_union(g, frame), out)


def test_distance_to_union_multi_source_bfs(g):
    d = gaps.distance_to_union(g).set_index("actor_id")
    assert d.loc["fr-union", "distance"] == 0 and d.loc["it-union", "distance"] == 0
    assert d.loc["fr-ngo", "distance"] == 1
    assert d.loc["it-ngo", "distance"] == 1 and d.loc["it-ngo", "nearest_union"] == "it-union"
    assert d.loc["de-ngo", "distance"] == 2  # de-ngo - fr-ngo - fr-union
    assert d.loc["de-city", "distance"] == 3
    assert d.loc["de-city", "nearest_union"] == "fr-union"
    for unreachable in ("es-ngo", "pt-ngo", "ec"):
        assert pd.isna(d.loc[unreachable, "distance"])
        assert d.loc[unreachable, "nearest_union"] == ""


def test_distance_to_union_agrees_with_networkx(g):
    import networkx as nx

    from analysis.projection import actor_projection

    proj = actor_projection(g)
    unions = [n for n, a in proj.nodes(data=True) if a["family"] == "trade_unions"]
    expected = nx.multi_source_dijkstra_path_length(proj, unions, weight=None)
    d = gaps.distance_to_union(g, proj).set_index("actor_id")["distance"]
    assert {k: int(v) for k, v in d.dropna().items()} == expected


def test_funded_without_union(g):
    out = gaps.funded_without_union(g)
    assert out["partnership_id"].tolist() == ["dp-nounion", "proj-de"]  # known amount first
    assert out.loc[0, "amount"] == pytest.approx(100_000)
    assert pd.isna(out.loc[1, "amount"]) and out.loc[1, "programmes"] == "AMIF"


def test_default_rules_find_the_union_less_dp(g):
    v = check_rules(g)
    dp = v[v["rule_id"] == "dp-needs-union"]
    assert dp["partnership_id"].tolist() == ["dp-nounion"]
    assert dp["missing"].tolist() == ["trade_unions (0 of 1)"]
    assert (v["why"] != "").all()
    # the empty project is not judged, the full DP breaks nothing
    assert not v["partnership_id"].isin(["empty-p", "dp-full"]).any()


@pytest.mark.parametrize(("rule", "expected"), [
    ("kind=project requires target_public", ["proj-de", "proj-es"]),
    ("kind=project|thematic_network requires 2 ngos", ["net-it", "proj-de", "proj-es"]),
    ("country=DE requires trade_unions", ["dp-nounion", "proj-de"]),
    ("programme=ESF/EQUAL requires enterprises", ["dp-nounion"]),
    ("every requires trade_union", ["dp-nounion", "proj-de", "proj-es"]),  # an actor type works too
    ("kind=development_partnership and country=DE requires authorities", []),
])
def test_rules_as_data(g, rule, expected):
    assert check_rules(g, [rule])["partnership_id"].tolist() == expected


@pytest.mark.parametrize(("text", "message"), [
    ("kind=development_partnership needs trade_unions", "no 'requires'"),
    ("kind=developmentpartnership requires trade_unions", "unknown kind 'developmentpartnership'"),
    ("colour=red requires ngos", "unknown field 'colour'"),
    ("kind=project requires unicorns", "cannot read requirement 'unicorns'"),
    ("kind requires ngos", "is not <field>=<value>"),
    ("", "empty"),
])
def test_rule_syntax_errors_are_clear(text, message):
    with pytest.raises(RuleError, match=message):
        Rule.parse(text)


def test_load_rules_toml_and_csv(tmp_path):
    toml = tmp_path / "mine.toml"
    toml.write_text('[[rule]]\nid = "x"\nrule = "kind=pact requires trade_unions"\nwhy = "because"\n', encoding="utf-8")
    (r,) = load_rules(toml)
    assert (r.id, r.requires, r.why) == ("x", (("trade_unions", 1),), "because")
    csvf = tmp_path / "mine.csv"
    csvf.write_text("id,rule\na,kind=project requires ngos\nb,kind=pact requires 2 enterprises\n", encoding="utf-8")
    assert [x.requires for x in load_rules(csvf)] == [(("ngos", 1),), (("enterprises", 2),)]
    assert len(gaps.default_rules()) >= 3


def test_load_rules_errors_name_file_and_rule(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[rule]]\nid = "ok"\nrule = "kind=project requires ngos"\n'
                   '[[rule]]\nid = "oops"\nrule = "kind=project requires nobody"\n', encoding="utf-8")
    with pytest.raises(RuleError) as e:
        load_rules(bad)
    assert "bad.toml: rule 2 (oops)" in str(e.value) and "nobody" in str(e.value)
    broken = tmp_path / "broken.toml"
    broken.write_text("[[rule]\n", encoding="utf-8")
    with pytest.raises(RuleError, match="not valid TOML"):
        load_rules(broken)
    csvf = tmp_path / "bad.csv"
    csvf.write_text("rule\nkind=project requires ngos\nkind=project\n", encoding="utf-8")
    with pytest.raises(RuleError, match="row 3"):
        load_rules(csvf)
    with pytest.raises(RuleError, match="does not exist"):
        load_rules(tmp_path / "nope.toml")
    typo = tmp_path / "typo.toml"
    typo.write_text('[[rule]]\nrul = "kind=project requires ngos"\n', encoding="utf-8")
    with pytest.raises(RuleError, match="unknown key 'rul'"):
        load_rules(typo)


def test_isolated_graph_shapes():
    ds = Dataset(actors=[Actor("a", "A", "ngo"), Actor("b", "B", "trade_union")],
                 partnerships=[Partnership("p", "P", "project")], memberships=[Membership("a", "p")],
                 links=[Link("a", "b", "exchange")])
    g = dataset_to_graph(ds)
    # the explicit link makes the union one hop away even without a shared partnership
    assert gaps.distance_to_union(g).set_index("actor_id").loc["a", "distance"] == 1
    empty = dataset_to_graph(Dataset())
    assert gaps.family_presence(empty).empty
    assert gaps.partnerships_without_union(empty).empty
    assert gaps.funded_without_union(empty).empty
    assert check_rules(empty).empty
    assert gaps.distance_to_union(empty).empty
