"""Cross-border analyses on the hand-made graph of tests/toy_partnerships.py."""

from __future__ import annotations

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
