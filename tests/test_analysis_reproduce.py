"""Issue 14, item 4: every headline number of `partnet analyse` is reproduced by filtering the exported
CSV tables — on the seed (with a proposed partnership) and on a generated network."""

from __future__ import annotations

import math
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from analysis.export import export_csv
from analysis.headline import headline
from analysis.memo import share

SEED = Path(__file__).resolve().parents[1] / "data" / "seed"
PACT = "european-pact-for-integration"


def _seed_graph() -> nx.MultiDiGraph:
    from graph.convert import dataset_to_graph
    from ingest import load

    g = dataset_to_graph(load(SEED).dataset)
    g.nodes[PACT]["status"] = "proposed"  # as the seed data marks it (issue 14, item 7)
    return share(g)


def _synthetic_graph() -> nx.MultiDiGraph:
    from graph.convert import dataset_to_graph
    from synthetic import generate

    g = dataset_to_graph(generate(400, seed=3))
    parts = sorted(n for n, d in g.nodes(data=True) if d.get("label") == "Partnership")
    for p in parts[::17]:
        g.nodes[p]["status"] = "proposed"
    for p in parts[5::11]:
        g.nodes[p]["members_complete"] = True
    return share(g)


def _reproduce(folder: Path) -> dict[str, float]:
    """The headline figures from the CSV export alone."""
    read = {n: pd.read_csv(folder / f"{n}.csv", keep_default_na=False, na_values=[""])
            for n in ("actors", "memberships", "funding", "links", "actor_metrics", "partnership_gaps")}
    pg, am = read["partnership_gaps"], read["actor_metrics"]
    am["country"] = am["country"].fillna("")
    proposed = set(pg.loc[pg["status"] == "proposed", "partnership_id"])
    analysed = pg[~pg["partnership_id"].isin(proposed)]
    mem = read["memberships"].drop_duplicates(["actor_id", "partnership_id"])
    mem = mem[~mem["partnership_id"].isin(proposed)]
    fund = read["funding"][~read["funding"]["recipient_id"].isin(proposed)]
    basis = pg[pg["in_basis"]]
    nou = int((basis["trade_unions"] == 0).sum())
    # cross-border: countries of the members of each analysed partnership
    mc = mem.merge(am[["id", "country"]], left_on="actor_id", right_on="id")
    n_c = mc[mc["country"] != ""].groupby("partnership_id")["country"].nunique()
    # the actor network: members of one partnership tied together, and the links
    net = nx.Graph()
    net.add_nodes_from(am["id"])
    for _, grp in mem.groupby("partnership_id"):
        ids = grp["actor_id"].tolist()
        net.add_edges_from(zip(ids, ids[1:], strict=False))
    links = read["links"][read["links"]["source_id"] != read["links"]["target_id"]]
    net.add_edges_from(zip(links["source_id"], links["target_id"], strict=True))
    part_fund = fund[fund["recipient_id"].isin(set(pg["partnership_id"]))]
    funders = part_fund.groupby("recipient_id")["funder_id"].nunique()
    return {
        "actors": len(read["actors"]),
        "partnerships": len(analysed),
        "proposed partnerships": len(proposed),
        "memberships": len(mem),
        "funding ties": len(fund),
        "explicit links": len(read["links"]),
        "countries": am.loc[am["country"] != "", "country"].nunique(),
        "trade unions": int((am["family"] == "trade_unions").sum()),
        "partnerships with members": int((analysed["recorded_members"] > 0).sum()),
        "partnerships in the composition basis": len(basis),
        "membership not known well enough": int((~analysed["in_basis"]).sum()),
        "partnerships without a trade union": nou,
        "share of partnerships without a trade union": nou / len(basis) if len(basis) else math.nan,
        "cross-border partnerships": int((n_c > 1).sum()),
        "cross-border share": (n_c > 1).sum() / len(n_c) if len(n_c) else math.nan,
        "isolated actors": int(am["isolated"].sum()),
        "funders outside partnerships": int(am["funder_outside_partnerships"].sum()),
        "components (actor network)": nx.number_connected_components(net),
        "funded partnerships": len(funders),
        "funded partnerships with a single funder": int((funders == 1).sum()),
    }


@pytest.mark.parametrize("make", [_seed_graph, _synthetic_graph], ids=["seed", "synthetic"])
def test_every_headline_figure_is_reproduced_from_the_csv_export(make, tmp_path):
    g = make()
    figs = headline(g, top=3)["figures"]
    export_csv(g, tmp_path)
    got = _reproduce(tmp_path)
    assert list(figs["figure"]) == list(got), "a headline figure has no reproduction here"
    for name, value in zip(figs["figure"], figs["value"], strict=True):
        assert got[name] == pytest.approx(value, nan_ok=True), name
    assert (figs["basis"].str.len() > 0).all()
    assert figs.set_index("figure").loc["proposed partnerships", "value"] > 0


def test_isolated_rows_of_the_export_are_the_headline_table(tmp_path):
    g = _seed_graph()
    h = headline(g, top=1000)
    export_csv(g, tmp_path)
    am = pd.read_csv(tmp_path / "actor_metrics.csv")
    assert sorted(am.loc[am["isolated"], "id"]) == sorted(h["isolated"]["id"])
    pg = pd.read_csv(tmp_path / "partnership_gaps.csv")
    nou = pg[pg["in_basis"] & (pg["trade_unions"] == 0)]
    assert sorted(nou["partnership_id"]) == sorted(h["no_union"]["partnership_id"])
