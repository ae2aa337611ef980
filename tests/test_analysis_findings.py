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

    h = headline(seed, top=5)
    fig = dict(zip(h["figures"]["figure"], h["figures"]["value"], strict=True))
    iso = isolated_actors(seed)
    assert fig["isolated actors"] == len(iso) == h["isolated"].attrs["total"]
    assert h["isolated"]["id"].tolist() == iso["id"].head(5).tolist()
    funders = funders_outside_partnerships(seed)
    assert fig["funders outside partnerships"] == len(funders) > 0
    # no funder is ever called isolated, and the funders are all outside every partnership
    assert not set(funders["id"]) & set(iso["id"])
    summary = isolation_summary(seed).set_index("id")
    assert (summary.loc[funders["id"], "n_partnerships"] == 0).all()
    assert "european-commission" not in set(iso["id"])


def test_communities_of_one_are_not_listed(seed):
    from analysis.headline import headline

    h = headline(seed, top=100)
    assert (h["no_union_communities"]["actors"] >= 2).all()
