"""The synthetic network generator (synthetic) and `partnet generate`."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from graph.model import ACTOR_TYPES, FIVE_FAMILIES, Dataset
from synthetic import Params, describe, generate, generate_frames


@pytest.fixture(scope="module")
def ds5k() -> Dataset:
    return generate(5000, seed=11)


@pytest.fixture(scope="module")
def shape(ds5k: Dataset) -> dict[str, float]:
    return describe(ds5k)


def test_same_seed_same_records_other_seed_other_records():
    a, b, c = generate(800, seed=3), generate(800, seed=3), generate(800, seed=4)
    assert a == b
    assert a.memberships != c.memberships
    fa, fb = generate_frames(800, seed=3), generate_frames(800, seed=3)
    for table in fa:
        pd.testing.assert_frame_equal(fa[table], fb[table])


def test_counts_scale_with_actors(shape):
    assert shape["actors"] == 5000
    assert 2.7 <= shape["memberships_per_actor_mean"] <= 3.3  # ~3 memberships per actor
    assert 0.35 <= shape["partnerships"] / shape["actors"] <= 0.7


def test_partnership_sizes_are_heavy_tailed(ds5k, shape):
    sizes = pd.Series([m.partnership_id for m in ds5k.memberships]).value_counts()
    assert 4 <= shape["size_median"] <= 6
    assert ((sizes >= 3) & (sizes <= 10)).mean() > 0.7  # most have 3-10 members
    assert sizes.max() >= 60  # a few networks of tens to hundreds
    assert sizes.max() > 8 * sizes.median()


def test_memberships_per_actor_follow_a_power_law(ds5k, shape):
    per_actor = pd.Series([m.actor_id for m in ds5k.memberships]).value_counts()
    assert per_actor.max() >= 30  # hubs
    assert per_actor.median() <= 2  # most actors are in one or two partnerships
    # heavy tail: the top 1 % of actors hold far more than 1 % of the memberships
    top = per_actor.sort_values(ascending=False).head(len(per_actor) // 100).sum()
    assert top / per_actor.sum() > 0.05


def test_isolated_share_and_no_ties_for_isolated(ds5k, shape):
    assert 0.03 <= shape["isolated_share"] <= 0.09
    members = {m.actor_id for m in ds5k.memberships}
    linked = {x for k in ds5k.links for x in (k.source_id, k.target_id)}
    funders = {f.funder_id for f in ds5k.funding}
    isolated = {a.id for a in ds5k.actors} - members - funders
    assert isolated and not (isolated & linked)


def test_cross_border_minority_and_country_clustering(ds5k, shape):
    assert 0.08 <= shape["cross_border_share"] <= 0.18
    countries = {a.country for a in ds5k.actors if a.country}
    assert len(countries) >= 10


def test_families_in_realistic_proportions(ds5k):
    fam = pd.Series([ACTOR_TYPES[a.type] for a in ds5k.actors]).value_counts(normalize=True)
    assert 0.025 <= fam["trade_unions"] <= 0.06
    for big in ("ngos", "enterprises", "authorities"):
        assert fam[big] > 3 * fam["trade_unions"]
    assert set(FIVE_FAMILIES) <= set(fam.index)


def test_funding_programmes_amounts_and_funders(ds5k, shape):
    programmes = {f.programme for f in ds5k.funding}
    assert {"AMIF", "ESF+", "Erasmus+", "Horizon 2020", "national"} <= programmes
    actors = {a.id: a for a in ds5k.actors}
    funder_types = {actors[f.funder_id].type for f in ds5k.funding}
    assert {"eu_institution", "national_authority"} <= funder_types
    assert 0.1 <= shape["unknown_amount_share"] <= 0.3
    amounts = np.array([f.amount for f in ds5k.funding if f.amount is not None])
    assert amounts.min() > 0 and np.median(amounts) < amounts.mean()  # right-skewed (lognormal)
    assert all((f.currency == "EUR") == (f.amount is not None) for f in ds5k.funding)
    funded = {f.recipient_id for f in ds5k.funding}
    assert 0.6 <= len(funded & {p.id for p in ds5k.partnerships}) / len(ds5k.partnerships) <= 0.9


def test_years_links_and_hierarchy(ds5k):
    parts = {p.id: p for p in ds5k.partnerships}
    assert all(p.start_year and (p.end_year is None or p.end_year >= p.start_year) for p in parts.values())
    assert any(p.end_year is None for p in parts.values())  # some still running
    kids = [p for p in parts.values() if p.parent_id]
    assert kids and all(parts[p.parent_id].kind in ("thematic_network", "city_network", "union_network")
                        and not parts[p.parent_id].parent_id for p in kids)
    assert len(ds5k.links) > 50 and all(k.source_id != k.target_id for k in ds5k.links)
    assert len({k.key for k in ds5k.links}) == len(ds5k.links)


def test_records_are_consistent(ds5k):
    ids = {a.id for a in ds5k.actors}
    pids = {p.id for p in ds5k.partnerships}
    assert len(ids) == len(ds5k.actors) and not ids & pids
    assert all(m.actor_id in ids and m.partnership_id in pids for m in ds5k.memberships)
    assert all(f.funder_id in ids and (f.recipient_id in ids or f.recipient_id in pids) for f in ds5k.funding)
    assert len({m.key for m in ds5k.memberships}) == len(ds5k.memberships)
    leads = pd.Series([m.partnership_id for m in ds5k.memberships if m.role in ("lead", "coordinator")])
    assert leads.is_unique and len(leads) == len({m.partnership_id for m in ds5k.memberships})


def test_params_change_the_shape():
    few = describe(generate(3000, seed=2, params=Params(isolated_share=0.2, cross_border_share=0.3)))
    assert few["isolated_share"] > 0.15
    assert few["cross_border_share"] > 0.22


def test_too_small_is_refused():
    with pytest.raises(ValueError, match="at least 20"):
        generate(5)


def test_generated_folder_validates_with_zero_errors(tmp_path):
    from ingest import load
    from partnet.cli import cli

    out = tmp_path / "gen"
    result = CliRunner().invoke(cli, ["generate", "--actors", "600", "--seed", "9", str(out)])
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.glob("*.csv")} >= {"actors.csv", "partnerships.csv", "memberships.csv",
                                                   "funding.csv", "links.csv"}
    loaded = load(out)
    assert loaded.report.ok and not loaded.report.errors, loaded.report.format_text()
    assert loaded.dataset.sorted() == generate(600, seed=9).sorted()


def test_generate_is_fast_at_100k_actors():
    import time

    t0 = time.perf_counter()
    frames = generate_frames(100_000, seed=1)
    took = time.perf_counter() - t0
    assert 280_000 <= len(frames["memberships"]) <= 330_000
    assert took < 30  # about 2.5 s on the 2-core machine; generous for a loaded CI runner
