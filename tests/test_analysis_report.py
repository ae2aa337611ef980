"""Headline findings and the HTML brief: answers on the toy graph, and every string escaped."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hostile import hostile_dataset
from toy_partnerships import toy_dataset, toy_graph

from analysis.headline import HEADLINE_KEYS, headline, union_gap_by_kind
from analysis.report import REPORT_SECTIONS, build_report
from graph.convert import dataset_to_graph
from graph.model import Actor, Membership, Partnership

COMM = {"fr-union": 0, "fr-city": 0, "fr-ngo": 0, "fr-migrants": 0, "fr-employer": 0,
        "de-ngo": 1, "de-city": 1, "de-employer": 1, "it-ngo": 2, "it-union": 2,
        "es-ngo": 3, "es-city": 3, "pt-ngo": 4, "ec": 5, "fr-ministry": 6}
XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def g():
    return toy_graph()


@pytest.fixture(scope="module")
def findings(g):
    return headline(g, top=5, communities=COMM)


def test_headline_tables(findings):
    assert tuple(findings) == HEADLINE_KEYS
    fig = dict(zip(findings["figures"]["figure"], findings["figures"]["value"], strict=True))
    assert fig["actors"] == 15 and fig["partnerships"] == 6 and fig["countries"] == 5
    assert fig["partnerships without a trade union"] == 3
    assert fig["share of partnerships without a trade union"] == pytest.approx(3 / 5)
    assert fig["cross-border share"] == pytest.approx(1 / 5)
    assert fig["funded partnerships with a single funder"] == 2
    fams = findings["families"].set_index("family")
    assert fams.loc["trade_unions", "actors"] == 2 and fams.loc["trade_unions", "partnerships"] == 2
    assert findings["countries"].iloc[0]["country"] == "FR"
    assert findings["no_union"]["partnership_id"].tolist() == ["dp-nounion", "proj-de", "proj-es"]
    assert findings["funding_dependence"]["recipient_id"].tolist() == ["dp-nounion", "proj-de"]
    assert len(findings["central"]) == 5


def test_headline_brokers(findings):
    b = findings["brokers"].set_index("id")
    # de-ngo is the only route from de-city/de-employer to the rest; fr-union the only one to Italy
    assert bool(b.loc["de-ngo", "articulation_point"]) and b.loc["de-ngo", "dependents"] == 2
    assert bool(b.loc["fr-union", "articulation_point"])
    assert (b["betweenness"].diff().dropna() <= 0).all()
    assert b["constraint"].notna().all()


def test_headline_constraint_matches_whole_graph(g, findings):
    import networkx as nx

    from analysis.projection import actor_projection

    proj = actor_projection(g)
    whole = nx.constraint(proj)
    for r in findings["brokers"].itertuples():
        assert r.constraint == pytest.approx(whole[r.id])


def test_headline_communities_without_union(findings, g):
    assert findings["no_union_communities"]["community"].tolist()[:2] == [1, 3]  # DE (3 actors), then ES
    default = headline(g, top=5)["no_union_communities"]  # Louvain of analysis.communities
    assert not default.empty and (default["trade_unions"] == 0).all()


def test_headline_leaves_burt_out_on_large_networks(g, monkeypatch):
    import analysis.headline as h

    monkeypatch.setattr(h, "HOLES_MAX_ACTORS", 3)
    b = h.headline(g, top=3, communities=COMM)["brokers"]
    assert "constraint" not in b.columns and "left out above 3 actors" in b.attrs["note"]


def test_headline_isolated(findings):
    ids = set(findings["isolated"]["id"])
    assert "pt-ngo" in ids


def test_union_gap_by_kind(g):
    u = union_gap_by_kind(g).set_index("kind")
    assert u.loc["development_partnership", "without_union"] == 1
    assert u.loc["project", "partnerships"] == 2  # the empty project is left out
    assert u.loc["all", "share"] == pytest.approx(3 / 5)


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attrs, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data):
        self.text.append(data)


def test_report_sections_and_no_external_resources(g):
    page = build_report(g, top=5, communities=COMM, generated="2024-01-01")
    for anchor, title in REPORT_SECTIONS:
        assert f'id="{anchor}"' in page and title in page
    p = _Collector()
    p.feed(page)
    assert "script" not in p.tags and "link" not in p.tags and "iframe" not in p.tags
    for name, value in p.attrs:
        if name in ("src", "href"):
            assert value.startswith("#"), (name, value)
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in page
    text = " ".join(p.text)
    assert "NO UNION" in text and "Caritas Berlin" in text
    assert "Adamic" in text and "Herfindahl" in text  # measures explained in plain language


def test_report_escapes_every_string():
    ds = toy_dataset()
    ds.actors.append(Actor("xss", XSS, "ngo", country="FR", city=XSS))
    ds.actors.append(Actor("iso", "<script>alert('iso')</script>", "ngo", country="PT"))
    ds.partnerships.append(Partnership("pxss", XSS, "project"))
    ds.memberships.append(Membership("xss", "pxss"))
    g = dataset_to_graph(ds)
    page = build_report(g, top=50, title=XSS, communities={**COMM, "xss": 7, "iso": 8}, generated=XSS)
    assert XSS not in page
    assert "<script>alert" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    p = _Collector()
    p.feed(page)
    assert "img" not in p.tags and "script" not in p.tags


def test_report_on_hostile_dataset_has_no_live_markup():
    page = build_report(dataset_to_graph(hostile_dataset()), top=100, generated="x")
    p = _Collector()
    p.feed(page)
    allowed = {"html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "p", "nav", "ol",
               "li", "a", "section", "dl", "div", "dt", "dd", "svg", "text", "rect", "table", "thead", "tbody",
               "tr", "th", "td", "ul", "footer", "figure", "g", "line", "circle", "tspan"}
    assert set(p.tags) <= allowed, set(p.tags) - allowed
    assert all(not (n.startswith("on")) for n, _ in p.attrs)
    assert not re.search(r"(?i)<\s*(script|img|svg\s+onload|body\s+onload)", page.split("<body>", 1)[1]
                         .replace('<svg xmlns="http://www.w3.org/2000/svg"', ""))
