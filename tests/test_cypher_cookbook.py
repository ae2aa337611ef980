"""docs/cypher.md: every query runs on the seed in a real Neo4j (after a write-back) and answers exactly what
partnet's own analysis of the same data says (issue 17.3)."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import networkx as nx
import pytest

from analysis.centrality import actor_centrality
from analysis.communities import louvain
from analysis.composition import partnership_gaps, partnerships_without_union
from analysis.crossborder import countries_without_cross_border, partnership_countries
from analysis.export import actor_metrics
from analysis.funding import funding_table, funding_totals
from analysis.gaps import communities_without_union, distance_to_union
from analysis.projection import actor_projection
from analysis.results import cached_results
from analysis.status import analysed_graph
from graph.model import FIVE_FAMILIES
from ingest.pipeline import ingest

pytestmark = pytest.mark.neo4j
ROOT = Path(__file__).resolve().parents[1]
COOKBOOK = ROOT / "docs" / "cypher.md"
_QUERY = re.compile(r"^### (\d+)\. (.+?)$(.*?)^```cypher\n(.*?)^```", re.M | re.S)


def queries() -> dict[int, tuple[str, str, dict]]:
    """Number -> (title, query, parameters) of every query of the cookbook."""
    out = {}
    for num, title, _, body in _QUERY.findall(COOKBOOK.read_text(encoding="utf-8")):
        m = re.search(r"^// params: (.*)$", body, re.M)
        out[int(num)] = (title.strip(), body, json.loads(m.group(1)) if m else {})
    return out


def test_the_cookbook_has_at_least_twelve_titled_queries():
    q = queries()
    assert len(q) >= 12 and sorted(q) == list(range(1, len(q) + 1))
    assert COOKBOOK.read_text().count("```cypher") == len(q)


@pytest.fixture(scope="module")
def answers(neo4j_store_session):
    """Each query's records, on the seed ingested into Neo4j with the results written back; and the graph."""
    st = neo4j_store_session
    st.delete_all()
    ingest(ROOT / "data" / "seed", st)
    g = st.read_graph()
    _, stored = cached_results(st, g, write_back=True)
    assert not stored
    out = {}
    for num, (_, query, params) in queries().items():
        recs, _, _ = st._driver.execute_query(query, params, database_=st.settings.database)
        out[num] = [r.data() for r in recs]
    return out, g, st


def _ids(rows, key="id"):
    return [r[key] for r in rows]


def test_cookbook_answers_match_partnet(answers):  # noqa: PLR0915 - one check per query, in the file's order
    out, g, st = answers
    h = analysed_graph(g)
    proj = actor_projection(h)
    metrics = actor_metrics(h)
    # 1 isolated actors
    assert set(_ids(out[1])) == set(metrics.loc[metrics["isolated"], "id"]) != set()
    # 2 partnerships without a union, in partnet's order
    assert _ids(out[2]) == partnerships_without_union(h)["partnership_id"].tolist() != []
    # 3 cross-border partnerships
    pc = partnership_countries(h)
    assert set(_ids(out[3])) == set(pc.loc[pc["cross_border"], "partnership_id"]) != set()
    # 4 a funder's portfolio
    ft = funding_table(g)
    ft = ft[ft["funder_id"] == "european-commission"]
    want = sorted((r, p, None if a != a else a) for r, p, a in ft[["recipient_id", "programme", "amount"]].itertuples(
        index=False))
    assert sorted((r["recipient"], r["programme"], r["amount"]) for r in out[4]) == want and len(want) > 5
    # 5 shortest chain, against NetworkX on the same relationships
    u = nx.Graph([(a, b) for a, b, d in g.edges(data=True) if d["type"] in ("MEMBER_OF", "LINKED_TO")])
    assert out[5][0]["hops"] == nx.shortest_path_length(u, "city-of-liege", "city-of-athens")
    chain = out[5][0]["chain"]
    assert chain[0] == "city-of-liege" and chain[-1] == "city-of-athens"
    assert all(u.has_edge(a, b) for a, b in zip(chain, chain[1:], strict=False))
    # 6 brokers by betweenness
    cent = actor_centrality(proj)
    top = cent[cent["betweenness"] > 0].sort_values(["betweenness", "id"], ascending=[False, True]).head(10)
    assert _ids(out[6]) == top["id"].tolist() and out[6][0]["method"] == "exact"
    assert [r["betweenness"] for r in out[6]] == pytest.approx(top["betweenness"].tolist())
    # 7 communities without a union
    cwu = communities_without_union(h, louvain(proj))
    assert sorted(_ids(out[7], "community")) == sorted(cwu["community"].tolist())
    assert {r["community"]: r["actors"] for r in out[7]} == dict(zip(cwu["community"], cwu["actors"], strict=True))
    # 8 partnerships missing each family
    gaps = partnership_gaps(g)
    basis = gaps[gaps["in_basis"].astype(bool)]
    want8 = {f: int((basis[f] == 0).sum()) for f in FIVE_FAMILIES if (basis[f] == 0).any()}
    assert {r["family"]: r["partnerships"] for r in out[8]} == want8
    # 9 countries without cross-border ties
    assert _ids(out[9], "country") == sorted(countries_without_cross_border(h)["country"])
    # 10 two steps from a union
    d = distance_to_union(h, proj)
    assert set(_ids(out[10])) == set(d.loc[d["distance"] == 2, "actor_id"]) != set()
    # 11 funding per programme
    tot = funding_totals(g, by="programme").set_index("programme")
    assert {r["programme"] for r in out[11]} == set(tot.index)
    for r in out[11]:
        assert r["ties"] == tot.loc[r["programme"], "ties"]
        want_amount = tot.loc[r["programme"], "amount"]
        assert (r["amount"] is None and math.isnan(want_amount)) or r["amount"] == pytest.approx(want_amount)
    # 12 what a dataset contains
    counts = st.dataset_counts()
    got12 = {(r["dataset"], r["label"]): r["records"] for r in out[12]}
    want12 = {}
    for ds, c in counts.items():
        for label, table in (("Actor", "actors"), ("Partnership", "partnerships")):
            if c[table]:
                want12[(ds, label)] = c[table]
    assert got12 == want12
    # 13 the stored run is current
    assert out[13][0]["current"] is True
    # 14 least complete partnerships
    least = basis.sort_values(["completeness", "partnership_id"], kind="stable").head(10)
    assert _ids(out[14]) == least["partnership_id"].tolist()
    assert [sorted(r["missing"]) for r in out[14]] == [sorted(m.split(", ")) for m in least["missing"]]
