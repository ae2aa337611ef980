"""`analysis.change` and `partnet compare`: the active sets equal a direct computation from the tables."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from analysis.change import compare_periods, comparison_json, parse_period
from graph.convert import dataset_to_frames, dataset_to_graph, graph_to_dataset
from graph.errors import PartnetError
from partnet.cli import cli

SEED = Path(__file__).resolve().parents[1] / "data" / "seed"


def _direct(g, lo, hi):
    """Active actors and ties of [lo, hi] straight from the import-format tables, with the README's rule."""
    f = dataset_to_frames(graph_to_dataset(g))
    actors = set(f["actors"]["id"])

    def overlaps(start, end):
        if pd.isna(start):
            return False
        end = start if pd.isna(end) else end
        return start <= hi and end >= lo

    live = {r.id for r in f["partnerships"].itertuples() if overlaps(r.start_year, r.end_year)}
    members: dict[str, set] = {}
    for r in f["memberships"].itertuples():
        if r.partnership_id in live:
            members.setdefault(r.partnership_id, set()).add(r.actor_id)
    active = set().union(*members.values()) if members else set()
    ties = {tuple(sorted(p)) for m in members.values() for p in itertools.combinations(sorted(m), 2)}
    for r in f["links"].itertuples():
        if not pd.isna(r.year) and lo <= r.year <= hi:
            active |= {r.source_id, r.target_id}
            if r.source_id != r.target_id:
                ties.add(tuple(sorted((r.source_id, r.target_id))))
    for r in f["funding"].itertuples():
        if overlaps(r.start_year, r.end_year):
            active |= {r.funder_id, r.recipient_id} & actors
    return active, ties


@pytest.fixture(scope="module")
def seed_graph():
    from ingest import load

    return dataset_to_graph(load(SEED).dataset)


@pytest.fixture(scope="module")
def gen_graph():
    from synthetic.generator import generate

    return dataset_to_graph(generate(400, seed=5))


@pytest.mark.parametrize("which, periods", [
    ("seed_graph", [(2002, 2005), (2006, 2010)]),
    ("seed_graph", [(1995, 2004), (2005, 2014), (2015, 2024)]),
    ("gen_graph", [(2000, 2006), (2007, 2013), (2014, 2020)]),
])
def test_sets_equal_a_direct_computation(request, which, periods):
    g = request.getfixturevalue(which)
    res = compare_periods(g, periods)
    direct = [_direct(g, lo, hi) for lo, hi in periods]
    for row, (act, ties) in zip(res["periods"].itertuples(), direct, strict=True):
        assert row.actors == len(act) and row.ties == len(ties)
    for ch, (a, ta), (b, tb) in zip(res["changes"].itertuples(), direct, direct[1:], strict=False):
        assert set(ch.entering) == b - a and set(ch.leaving) == a - b and set(ch.persisting) == a & b
        assert {tuple(p) for p in ch.ties_formed} == tb - ta
        assert {tuple(p) for p in ch.ties_dissolved} == ta - tb


def test_seed_2002_2005_vs_2006_2010(seed_graph):
    res = compare_periods(seed_graph, [(2002, 2005), (2006, 2010)])
    p = res["periods"]
    assert p["period"].tolist() == ["2002-2005", "2006-2010"]
    assert p["actors"].tolist() == [20, 51] and p["partnerships"].tolist() == [14, 2]
    out = comparison_json(res)
    c = out["changes"][0]
    assert c["from"] == "2002-2005" and c["to"] == "2006-2010"
    assert (c["n_entering"], c["n_leaving"], c["n_persisting"]) == (49, 18, 2)
    assert set(c["persisting"]) == {"european-commission", "city-of-athens"}
    assert c["rank_changes"]["degree"][0]["id"] == "european-commission"
    assert set(out["names"]) >= set(c["entering"])


@pytest.mark.parametrize("text", ["2005", "abc-def", "2010-2005", "", "2002-"])
def test_malformed_periods(text):
    with pytest.raises(PartnetError):
        parse_period(text)


def test_compare_cli(tmp_path, seed_graph):
    from graph.sqlite_store import SQLiteStore

    db = tmp_path / "s.db"
    st = SQLiteStore(db)
    st.write(graph_to_dataset(seed_graph))
    st.close()
    r = CliRunner().invoke(cli, ["compare", "--period", "2002-2005", "--period", "2006-2010", "--db", str(db),
                                 "--format", "json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert [p["period"] for p in out["periods"]] == ["2002-2005", "2006-2010"]
    assert {"entering", "leaving", "persisting", "ties_formed", "ties_dissolved"} <= set(out["changes"][0])
    table = CliRunner().invoke(cli, ["compare", "--every", "5", "--db", str(db)]).output
    assert "2000-2004 -> 2005-2009" in table and "Traceback" not in table
    for args in (["--period", "2005", "--period", "2006-2010"], ["--period", "abc-def", "--period", "2006-2010"],
                 ["--period", "2010-2005", "--period", "2011-2012"], ["--period", "2002-2005"], ["--every", "0"],
                 ["--every", "5", "--period", "2002-2005"]):
        r = CliRunner().invoke(cli, ["compare", *args, "--db", str(db)])
        assert r.exit_code == 1 and "error:" in r.output and "Traceback" not in r.output, args


def test_a_network_without_links(seed_graph):
    """No LINKED_TO at all (a programme export has none): the periods are compared from memberships alone."""
    from analysis.memo import share

    g = seed_graph.copy()
    g.remove_edges_from([(u, v, k) for u, v, k, d in g.edges(keys=True, data=True) if d.get("type") == "LINKED_TO"])
    periods = [(2002, 2005), (2006, 2010)]
    res = compare_periods(share(g), periods)
    for (lo, hi), row in zip(periods, res["periods"].to_dict(orient="records"), strict=True):
        active, ties = _direct(g, lo, hi)
        assert row["actors"] == len(active) and row["ties"] == len(ties)


def test_period_drawing_draws_ties_among_drawn_actors_capped(gen_graph):
    from analysis.change import period_drawing, period_networks
    from analysis.memo import share

    g = share(gen_graph)
    periods = [(2000, 2006), (2007, 2013)]
    nets = period_networks(g, periods)
    full = period_drawing(g, periods, max_actors=60, max_ties=10**9)
    drawn = set(full["layout"]["id"])
    assert len(drawn) == 60
    for label, t in nets["ties"].groupby("period"):
        inside = t[t["actor_a"].isin(drawn) & t["actor_b"].isin(drawn)]
        got = full["ties"][full["ties"]["period"] == label]
        pairs = set(zip(got["actor_a"], got["actor_b"], strict=True))
        assert pairs == set(zip(inside["actor_a"], inside["actor_b"], strict=True))
    capped = period_drawing(g, periods, max_actors=60, max_ties=25)
    assert (capped["ties"].groupby("period").size() <= 25).all()
    counts = capped["counts"].set_index("period")
    assert (counts["ties"] == full["counts"].set_index("period")["ties"]).all()
    assert (counts["drawn"] == counts["ties"].clip(upper=25)).all()
    assert set(capped["actors"]["id"]) <= drawn
