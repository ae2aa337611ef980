"""Issue 14 on the seed: findings an analyst can defend (one isolation definition, communities of one
left out, proposed partnerships apart, the evidence basis, introductions that fit)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.memo import share

SEED = Path(__file__).resolve().parents[1] / "data" / "seed"


@pytest.fixture(scope="module")
def seed():
    from graph.convert import dataset_to_graph
    from ingest import load

    res = load(SEED)
    assert res.report.ok, res.report.format_text()
    return share(dataset_to_graph(res.dataset))


def test_isolated_key_figure_and_table_agree(seed):
    from analysis.headline import headline
    from analysis.isolation import funders_outside_partnerships, isolated_actors, isolation_summary
    from analysis.status import analysed_graph

    h = headline(seed, top=5)
    fig = dict(zip(h["figures"]["figure"], h["figures"]["value"], strict=True))
    # the findings are computed without the proposed partnerships (the seed's European Pact)
    analysed = analysed_graph(seed)
    assert analysed.number_of_nodes() < seed.number_of_nodes()
    iso = isolated_actors(analysed)
    assert fig["isolated actors"] == len(iso) == h["isolated"].attrs["total"]
    assert h["isolated"]["id"].tolist() == iso["id"].head(5).tolist()
    funders = funders_outside_partnerships(analysed)
    assert fig["funders outside partnerships"] == len(funders) > 0
    # no funder is ever called isolated, and the funders are all outside every partnership
    assert not set(funders["id"]) & set(iso["id"])
    summary = isolation_summary(analysed).set_index("id")
    assert (summary.loc[funders["id"], "n_partnerships"] == 0).all()
    assert "european-commission" not in set(iso["id"])


def test_communities_of_one_are_not_listed(seed):
    from analysis.headline import headline

    h = headline(seed, top=100)
    assert (h["no_union_communities"]["actors"] >= 2).all()


def _small():
    """a, b, c in a proposed pact P; a, b in project Q; d alone in R (declared complete); e alone in S."""
    from graph.convert import dataset_to_graph
    from graph.model import Actor, Dataset, Funding, Membership, Partnership

    ds = Dataset(
        actors=[Actor("a", "A", "ngo"), Actor("b", "B", "employer"), Actor("c", "C", "trade_union"),
                Actor("d", "D", "ngo"), Actor("e", "E", "ngo"), Actor("f", "F", "foundation")],
        partnerships=[Partnership("P", "Pact", "pact", status="proposed"), Partnership("Q", "Q", "project"),
                      Partnership("R", "R", "project", members_complete=True), Partnership("S", "S", "project")],
        memberships=[Membership(x, "P") for x in "abc"] + [Membership("a", "Q"), Membership("b", "Q"),
                                                             Membership("d", "R"), Membership("e", "S")],
        funding=[Funding("f", "P", "ESF")])
    return share(dataset_to_graph(ds))


def test_proposed_partnership_left_out_of_measures_and_listed_apart():
    from analysis.headline import headline
    from analysis.projection import actor_projection
    from analysis.status import analysed_graph, proposed_partnerships

    g = _small()
    h = analysed_graph(g)
    assert "P" not in h and analysed_graph(g) is h  # remembered per frozen graph
    assert analysed_graph(g, include_proposed=True) is g
    assert not actor_projection(h).has_edge("a", "c")  # tied only through the proposal
    assert proposed_partnerships(h)["partnership_id"].tolist() == ["P"]
    fig = headline(g)["figures"].set_index("figure")["value"]
    assert fig["partnerships"] == 3 and fig["proposed partnerships"] == 1
    # c (only in the proposal) is isolated; f funds only the proposal: no tie left
    assert fig["isolated actors"] == 4  # c, d (alone in R), e (alone in S), f
    with_p = headline(g, include_proposed=True)["figures"].set_index("figure")["value"]
    assert with_p["partnerships"] == 4 and with_p["isolated actors"] == 2  # d, e


def test_evidence_basis_counts_two_members_or_a_complete_list():
    from analysis.basis import evidence_basis, outside_basis
    from analysis.gaps import check_rules, partnerships_without_union
    from analysis.headline import headline
    from analysis.status import analysed_graph

    g = _small()
    b = evidence_basis(g, exclude_proposed=True).set_index("partnership_id")
    assert b["in_basis"].to_dict() == {"P": False, "Q": True, "R": True, "S": False}
    assert b.loc["P", "outside_because"] == "proposed" and b.loc["S", "outside_because"].startswith("fewer")
    h = analysed_graph(g)
    assert partnerships_without_union(h)["partnership_id"].tolist() == ["Q", "R"]
    assert partnerships_without_union(h, min_members=1)["partnership_id"].tolist() == ["Q", "R", "S"]
    assert outside_basis(h)["partnership_id"].tolist() == ["S"]
    rows = headline(g)["figures"].set_index("figure")
    assert rows.loc["partnerships without a trade union", "value"] == 2
    assert rows.loc["partnerships without a trade union", "basis"].startswith(
        "2 of 2 partnerships with at least two recorded members (or a member list declared complete) have no "
        "trade union")
    assert rows.loc["membership not known well enough", "value"] == 1
    assert set(check_rules(h, ["every requires trade_unions"])["partnership_id"]) == {"Q", "R"}


def test_cli_states_the_basis_and_lists_proposals(tmp_path):
    from click.testing import CliRunner

    from partnet.cli import cli

    db = tmp_path / "seed.db"
    assert CliRunner().invoke(cli, ["ingest", str(SEED), "--db", str(db)]).exit_code == 0
    res = CliRunner().invoke(cli, ["analyse", "--db", str(db), "--top", "3"])
    assert res.exit_code == 0, res.output
    assert "partnerships with at least two recorded members" in res.output
    assert "Membership not known well enough" in res.output and "Proposed partnerships" in res.output
    res1 = CliRunner().invoke(cli, ["analyse", "--db", str(db), "--top", "3", "--min-members", "1",
                                    "--include-proposed"])
    assert res1.exit_code == 0 and "partnerships with at least one recorded member" in res1.output


def test_union_introductions_come_from_the_partnerships_country():
    from analysis.planner import suggest_introductions
    from graph.convert import dataset_to_graph
    from graph.model import Actor, Dataset, Membership, Partnership

    # a Lyon development partnership (FR members); the Belgian union is two steps away through a shared
    # European network, the French union is not tied to anyone yet
    ds = Dataset(
        actors=[Actor("lyon", "City of Lyon", "local_authority", country="FR", city="Lyon"),
                Actor("ngo", "Lyon NGO", "ngo", country="FR", city="Lyon"),
                Actor("abvv", "ABVV-FGTB", "trade_union", country="BE"),
                Actor("cfdt", "CFDT", "trade_union", country="FR"),
                Actor("hub", "Network", "network")],
        partnerships=[Partnership("dp", "Lyon DP", "development_partnership", level="local"),
                      Partnership("eu", "EU network", "city_network", level="european")],
        memberships=[Membership("lyon", "dp"), Membership("ngo", "dp"), Membership("lyon", "eu"),
                     Membership("hub", "eu"), Membership("abvv", "eu")])
    g = dataset_to_graph(ds)
    s = suggest_introductions(g, gaps=["union"])
    assert s["actor_b"].tolist() == ["cfdt"]
    assert "FR, the partnership's country" in s.loc[0, "reason"] and "trade unions" in s.loc[0, "reason"]
    wide = suggest_introductions(g, gaps=["union"], cross_border=True)
    assert wide["actor_b"].tolist() == ["abvv"] and "not the partnership's country FR" in wide.loc[0, "reason"]


def test_seed_lyon_partnerships_get_french_unions(seed):
    from analysis._intro_candidates import DOMESTIC_LEVELS
    from analysis.planner import suggest_introductions

    s = suggest_introductions(seed, gaps=["union"], top=100)
    nodes = seed.nodes
    lyon = {p for a, p, t in seed.edges(data="type") if t == "MEMBER_OF" and nodes[a].get("city") == "Lyon"}
    for r in s.itertuples():
        if nodes[r.context].get("level") in DOMESTIC_LEVELS:
            members = [a for a, _, t in seed.in_edges(r.context, data="type") if t == "MEMBER_OF"]
            countries = [nodes[a].get("country") for a in members if nodes[a].get("country")]
            home = max(sorted(set(countries)), key=countries.count)
            assert nodes[r.actor_b].get("country") == home, r.reason
        if r.context in lyon:
            assert nodes[r.actor_b].get("country") == "FR", r.reason
    assert not any(nodes[b].get("country") == "BE" for b in s.loc[s["context"].isin(lyon), "actor_b"])
