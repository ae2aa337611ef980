"""Cross-border analyses on the hand-made graph of tests/toy_partnerships.py."""

from __future__ import annotations

import numpy as np
import pytest
from toy_partnerships import toy_graph

from analysis import crossborder
from graph.convert import dataset_to_graph
from graph.errors import PartnetError
from graph.model import Actor, Dataset, Membership, Partnership


@pytest.fixture(scope="module")
def g():
    return toy_graph()


def test_partnership_countries(g):
    pc = crossborder.partnership_countries(g).set_index("partnership_id")
    assert pc.loc["dp-nounion", "countries"] == "DE, FR" and bool(pc.loc["dp-nounion", "cross_border"])
    assert pc.loc["dp-full", "n_countries"] == 1
    assert pc.loc["empty-p", "n_countries"] == 0
    assert pc["cross_border"].sum() == 1


def test_share_leaves_out_partnerships_without_country(g):
    s = crossborder.cross_border_share(g).set_index("kind")
    assert s.loc["all", "partnerships"] == 6 and s.loc["all", "with_country"] == 5
    assert s.loc["all", "share"] == pytest.approx(1 / 5)
    assert s.loc["development_partnership", "share"] == pytest.approx(0.5)


def test_european_bodies_do_not_count_as_a_country():
    ds = Dataset(actors=[Actor("fr", "FR org", "ngo", country="FR"),
                         Actor("ec", "European Commission", "eu_institution", scope="european")],
                 partnerships=[Partnership("p", "P", "project")],
                 memberships=[Membership("fr", "p"), Membership("ec", "p")])
    g = dataset_to_graph(ds)
    assert not crossborder.partnership_countries(g)["cross_border"].any()
    assert crossborder.country_tie_matrix(g).to_dict() == {"FR": {"FR": 0}}
    assert crossborder.countries_without_cross_border(g)["country"].tolist() == ["FR"]


def test_country_tie_matrix_counts_actor_pairs(g):
    m = crossborder.country_tie_matrix(g)
    assert list(m.index) == ["DE", "ES", "FR", "IT", "PT"]
    assert (m.to_numpy() == m.to_numpy().T).all()
    assert m.loc["FR", "FR"] == 10  # the five members of dp-full
    assert m.loc["FR", "DE"] == 2  # fr-ngo and fr-city with de-ngo in dp-nounion
    assert m.loc["FR", "IT"] == 1  # the explicit twinning link
    links = crossborder.country_tie_matrix(g, source="links")
    assert links.to_numpy().sum() == 2 and links.loc["IT", "FR"] == 1
    assert crossborder.country_tie_matrix(g, source="membership").loc["FR", "IT"] == 0
    with pytest.raises(PartnetError, match="unknown tie source"):
        crossborder.country_tie_matrix(g, source="post")


def test_countries_without_cross_border(g):
    out = crossborder.countries_without_cross_border(g)
    assert out["country"].tolist() == ["ES", "PT"]
    summary = crossborder.country_summary(g).set_index("country")
    assert summary.loc["FR", "partners"] == "DE, IT" and summary.loc["FR", "cross_border_ties"] == 3


def test_cross_border_actors(g):
    out = crossborder.cross_border_actors(g)
    assert out.iloc[0]["actor_id"] == "de-ngo" and out.iloc[0]["cross_border_ties"] == 2
    assert set(out["actor_id"]) == {"de-ngo", "fr-city", "fr-ngo", "fr-union", "it-union"}
    assert len(crossborder.cross_border_actors(g, top=2)) == 2


# ----------------------------------------------------------------------------------------------
# country_matrix (issue 14, item 6): what a cell counts, and large partnerships left out
# ----------------------------------------------------------------------------------------------
def _matrix_graph():
    from graph.convert import dataset_to_graph
    from graph.model import Actor, Dataset, Membership, Partnership

    people = {"f1": "FR", "f2": "FR", "d1": "DE", "i1": "IT", "x": ""}
    ds = Dataset(actors=[Actor(a, a, "ngo", country=c) for a, c in people.items()],
                 partnerships=[Partnership(p, p, "project") for p in ("p1", "p2", "p3")],
                 memberships=[Membership(a, "p1") for a in ("f1", "d1")]
                 + [Membership(a, "p2") for a in ("f1", "f2", "d1", "x")]
                 + [Membership(a, "p3") for a in ("f1", "f2", "d1", "i1", "x")])
    return dataset_to_graph(ds)


def test_country_matrix_by_hand():
    g = _matrix_graph()
    nw = crossborder.country_matrix(g)  # Newman: 1/(n-1) per pair
    assert nw.loc["FR", "DE"] == pytest.approx(1 + 2 / 3 + 2 / 4) and nw.loc["DE", "FR"] == nw.loc["FR", "DE"]
    assert nw.loc["FR", "IT"] == pytest.approx(0.5) and nw.loc["DE", "IT"] == pytest.approx(0.25)
    assert nw.loc["FR", "FR"] == pytest.approx(1 / 3 + 1 / 4)
    pairs = crossborder.country_matrix(g, measure="pairs")
    assert (pairs.loc["FR", "DE"], pairs.loc["FR", "IT"], pairs.loc["DE", "IT"], pairs.loc["FR", "FR"]) == (2, 2, 1, 1)
    shared = crossborder.country_matrix(g, measure="partnerships")
    assert (shared.loc["FR", "DE"], shared.loc["FR", "IT"], shared.loc["FR", "FR"], shared.loc["DE", "DE"]) == \
        (3, 1, 2, 0)
    small = crossborder.country_matrix(g, max_members=4)
    assert small.attrs["left_out"] == ["p3"]
    assert small.loc["FR", "DE"] == pytest.approx(1 + 2 / 3) and small.loc["FR", "IT"] == 0
    with pytest.raises(PartnetError):
        crossborder.country_matrix(g, measure="volume")


def test_country_matrix_newman_matches_the_projection_and_drops_the_umbrella():
    from pathlib import Path

    from analysis.projection import actor_projection
    from graph.convert import dataset_to_graph
    from ingest import load

    g = dataset_to_graph(load(Path(__file__).resolve().parents[1] / "data" / "seed").dataset)
    m = crossborder.country_matrix(g)
    proj = actor_projection(g, include_links=False)
    ref: dict = {}
    for a, b, w in proj.edges(data="newman"):
        ca, cb = proj.nodes[a].get("country") or "", proj.nodes[b].get("country") or ""
        if ca and cb and ca != cb:
            key = tuple(sorted((ca, cb)))
            ref[key] = ref.get(key, 0.0) + w
    for (ca, cb), w in ref.items():
        assert m.loc[ca, cb] == pytest.approx(w)
    off = ~np.eye(len(m), dtype=bool)
    lit_all = int((m.to_numpy()[off] > 0).sum())
    small = crossborder.country_matrix(g, max_members=20)
    assert small.attrs["left_out"]  # the 49-member city network
    assert int((small.to_numpy()[off] > 0).sum()) < lit_all / 2
