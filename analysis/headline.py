"""The headline findings: the handful of tables `partnet analyse`, the report and the dashboard overview show.

One call computes the projection, centralities and communities once and derives every table
from them, so the findings agree with each other.
"""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx
import numpy as np
import pandas as pd

from analysis._tables import (
    actors_frame,
    default_communities,
    memberships_frame,
    partnerships_frame,
    with_table_cache,
)
from graph.errors import PartnetError
from graph.model import FAMILIES

__all__ = ["HEADLINE_KEYS", "HOLES_MAX_ACTORS", "figures", "headline", "union_gap_by_kind"]

#: Above this many actors the brokers table leaves out Burt's constraint and effective size.
HOLES_MAX_ACTORS = 20_000

#: The tables `headline` returns, in display order.
HEADLINE_KEYS: tuple[str, ...] = (
    "figures", "families", "countries", "union_gap", "cross_border", "central", "brokers", "isolated",
    "no_union", "funding_dependence", "no_union_communities",
)


@with_table_cache
def headline(
    g: nx.MultiDiGraph,
    top: int = 10,
    *,
    projection: nx.Graph | None = None,
    centrality: pd.DataFrame | None = None,
    communities: pd.DataFrame | pd.Series | Mapping | None = None,
) -> dict[str, pd.DataFrame]:
    """The key findings on a partnership graph, one table each.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph (``graph.convert.dataset_to_graph``).
    top : int, default 10
        Rows kept in the ranked tables (central actors, brokers, isolated actors, partnerships
        without union, funding dependence).
    projection, centrality, communities : optional
        Precomputed `analysis.projection.actor_projection`, `analysis.centrality.actor_centrality`
        and actor -> community; computed when omitted.

    Returns
    -------
    dict of str -> pandas.DataFrame
        Keys `HEADLINE_KEYS`:

        - ``figures``: ``figure, value`` — counts and the headline shares (see `figures`);
        - ``families``: ``family, actors, share, partnerships`` (with at least one member of it);
        - ``countries``: ``country, actors, trade_unions, partnerships, cross_border_ties``;
        - ``union_gap``: `union_gap_by_kind`;
        - ``cross_border``: `analysis.crossborder.cross_border_share`;
        - ``central``: the ``top`` actors by degree (then weighted degree, id) with their
          centralities;
        - ``brokers``: the ``top`` actors by betweenness with articulation-point flag, number of
          dependents and Burt's constraint and effective size (`analysis.brokers`; the last two
          only up to `HOLES_MAX_ACTORS` actors, ``attrs["note"]`` says when they are left out);
        - ``isolated``: actors in no partnership and with no tie (`analysis.isolation`), first ``top``;
        - ``no_union``: `analysis.gaps.partnerships_without_union`, first ``top``;
        - ``funding_dependence``: `analysis.funding.single_funder_dependence`, first ``top``;
        - ``no_union_communities``: `analysis.gaps.communities_without_union` (Louvain communities
          of `analysis.communities` when ``communities`` is omitted; empty when unavailable),
          first ``top``.

        ``result["figures"].attrs`` carries ``betweenness_method``; each ranked table's
        ``attrs["total"]`` is its number of rows before the cut to ``top``.

    Notes
    -----
    Each table's method is that of the function it comes from (see their references).
    """
    if top < 1:
        raise PartnetError(f"top = {top}", hint="ask for at least one row, e.g. --top 10")
    from analysis.centrality import actor_centrality
    from analysis.crossborder import country_summary, cross_border_share
    from analysis.funding import single_funder_dependence
    from analysis.gaps import (
        communities_without_union,
        community_series,
        partnerships_without_union,
        union_coverage_by_country,
    )
    from analysis.projection import actor_projection

    proj = projection if projection is not None else actor_projection(g)
    cent = centrality if centrality is not None else actor_centrality(proj)
    out: dict[str, pd.DataFrame] = {}
    out["figures"] = figures(g, projection=proj)
    out["figures"].attrs["betweenness_method"] = cent.attrs.get("betweenness_method", "")
    out["families"] = _families(g)
    cov = union_coverage_by_country(g)[["country", "actors", "trade_unions", "partnerships"]]
    xb = country_summary(g, proj)[["country", "cross_border_ties"]]
    out["countries"] = cov.merge(xb, on="country", how="left").fillna({"cross_border_ties": 0}) \
        .astype({"cross_border_ties": np.int64}).sort_values(["actors", "country"], ascending=[False, True]) \
        .reset_index(drop=True)
    out["union_gap"] = union_gap_by_kind(g)
    out["cross_border"] = cross_border_share(g)
    cols = ["id", "name", "family", "country", "degree", "weighted_degree", "betweenness", "eigenvector", "pagerank"]
    out["central"] = _top(cent.sort_values(["degree", "weighted_degree", "id"], ascending=[False, False, True],
                                           kind="stable")[cols], top)
    out["brokers"] = _brokers(g, proj, cent, top)
    out["isolated"] = _isolated(g, proj, top)
    out["no_union"] = _top(partnerships_without_union(g), top)
    out["funding_dependence"] = _top(single_funder_dependence(g), top)
    comm = community_series(communities) if communities is not None else default_communities(g, proj)
    if comm is not None:
        out["no_union_communities"] = _top(communities_without_union(g, comm), top)
    else:
        out["no_union_communities"] = pd.DataFrame(columns=["community", "actors", "trade_unions", "countries",
                                                            "families"])
    return {k: out[k] for k in HEADLINE_KEYS}


@with_table_cache
def figures(g: nx.MultiDiGraph, *, projection: nx.Graph | None = None) -> pd.DataFrame:
    """The headline counts and shares as a two-column table (``figure, value``).

    Figures: actors, partnerships, memberships, funding ties, explicit links, countries,
    trade unions, partnerships with members, partnerships without a union (count and share of
    those with members), cross-border share (of partnerships with a known country), actors
    with no tie at all, connected components of the actor projection, funded partnerships with a
    single funder.
    """
    from analysis.crossborder import cross_border_share
    from analysis.funding import funding_concentration
    from analysis.gaps import partnerships_without_union
    from analysis.projection import actor_projection

    proj = projection if projection is not None else actor_projection(g)
    actors = actors_frame(g)
    parts = partnerships_frame(g)
    mem = memberships_frame(g)
    with_members = int(mem["partnership_id"].nunique())
    nou = len(partnerships_without_union(g))
    xb = cross_border_share(g)
    xb_all = xb[xb["kind"] == "all"].iloc[0]
    conc = funding_concentration(g)
    counts = {t: sum(1 for *_, d in g.edges(data=True) if d.get("type") == t) for t in ("FUNDS", "LINKED_TO")}
    rows = [
        ("actors", len(actors)),
        ("partnerships", len(parts)),
        ("memberships", len(mem)),
        ("funding ties", counts["FUNDS"]),
        ("explicit links", counts["LINKED_TO"]),
        ("countries", int(actors.loc[actors["country"] != "", "country"].nunique())),
        ("trade unions", int((actors["family"] == "trade_unions").sum())),
        ("partnerships with members", with_members),
        ("partnerships without a trade union", nou),
        ("share of partnerships without a trade union", nou / with_members if with_members else float("nan")),
        ("cross-border partnerships", int(xb_all["cross_border"])),
        ("cross-border share", float(xb_all["share"])),
        ("actors with no tie", sum(1 for n in proj if proj.degree(n) == 0)),
        ("components (actor network)", nx.number_connected_components(proj) if len(proj) else 0),
        ("funded partnerships", len(conc)),
        ("funded partnerships with a single funder", int(conc["single_funder"].sum()) if len(conc) else 0),
    ]
    return pd.DataFrame(rows, columns=["figure", "value"])


def union_gap_by_kind(g: nx.MultiDiGraph) -> pd.DataFrame:
    """Partnerships with members, and how many of them have no trade union, per kind and overall.

    Returns
    -------
    pandas.DataFrame
        ``kind, partnerships`` (with at least one member), ``without_union`` and ``share``; a last
        row ``kind = "all"``. Built on `analysis.gaps.family_presence`.
    """
    from analysis.gaps import family_presence

    fp = family_presence(g)
    fp = fp[fp["members"] > 0].assign(nou=lambda d: d["trade_unions"] == 0)
    grouped = fp.groupby("kind", sort=True)
    out = pd.DataFrame({"partnerships": grouped.size(), "without_union": grouped["nou"].sum()}).reset_index()
    total = pd.DataFrame([{"kind": "all", "partnerships": len(fp), "without_union": int(fp["nou"].sum())}])
    out = pd.concat([out, total], ignore_index=True) if not out.empty else total
    out["partnerships"] = out["partnerships"].astype(np.int64)
    out["without_union"] = out["without_union"].astype(np.int64)
    out["share"] = out["without_union"] / out["partnerships"].where(out["partnerships"] > 0)
    return out


# ----------------------------------------------------------------------------------------------
def _families(g: nx.MultiDiGraph) -> pd.DataFrame:
    actors = actors_frame(g)
    mem = memberships_frame(g).merge(actors[["id", "family"]], left_on="actor_id", right_on="id")
    n_act = actors.groupby("family").size()
    n_part = mem.drop_duplicates(["partnership_id", "family"]).groupby("family").size()
    out = pd.DataFrame({"family": list(FAMILIES)})
    out["actors"] = out["family"].map(n_act).fillna(0).astype(np.int64)
    total = int(out["actors"].sum())
    out["share"] = out["actors"] / total if total else 0.0
    out["partnerships"] = out["family"].map(n_part).fillna(0).astype(np.int64)
    return out


def _brokers(g: nx.MultiDiGraph, proj: nx.Graph, cent: pd.DataFrame, top: int) -> pd.DataFrame:
    """Top actors by betweenness, with articulation points (and who depends on them) and Burt's constraint."""
    from analysis.brokers import articulation_points, structural_holes

    cols = ["id", "name", "family", "country", "betweenness", "articulation_point", "dependents", "constraint",
            "effective_size"]
    ap = articulation_points(proj, max_listed=0).set_index("id")["n_dependents"]
    ranked = cent[(cent["betweenness"] > 0) | cent["id"].isin(ap.index)]
    total = len(ranked)
    ranked = ranked.sort_values(["betweenness", "id"], ascending=[False, True], kind="stable").head(top).copy()
    ranked["articulation_point"] = ranked["id"].isin(ap.index)
    ranked["dependents"] = ranked["id"].map(ap).fillna(0).astype(np.int64)
    note = ""
    if proj.number_of_nodes() <= HOLES_MAX_ACTORS:
        # Burt's measures of an actor depend on its contacts' ties too: the two-step ball around the
        # ranked actors gives their exact values without computing everyone's
        ball = set(ranked["id"])
        for _ in range(2):
            ball |= {v for a in list(ball) for v in proj.adj[a]}
        holes = structural_holes(proj.subgraph(ball)).set_index("id") if len(ranked) else \
            pd.DataFrame(columns=["constraint", "effective_size"], dtype=float)
        ranked["constraint"] = ranked["id"].map(holes["constraint"]).astype(float)
        ranked["effective_size"] = ranked["id"].map(holes["effective_size"]).astype(float)
    else:  # the top brokers are hubs whose two-step ball is most of the network
        cols = cols[:-2]
        note = (f"Burt's constraint left out above {HOLES_MAX_ACTORS:,} actors "
                "(analysis.brokers.structural_holes computes it with a work cap)")
    out = ranked[cols].reset_index(drop=True)
    out.attrs["betweenness_method"] = cent.attrs.get("betweenness_method", "")
    out.attrs["note"] = note
    out.attrs["total"] = total
    return out


def _isolated(g: nx.MultiDiGraph, proj: nx.Graph, top: int) -> pd.DataFrame:
    from analysis import isolation

    iso = isolation.isolated_actors(g, projection=proj)
    # funders outside every partnership are listed after the truly isolated actors
    return _top(iso.sort_values(["funds", "id"], kind="stable"), top)


def _top(df: pd.DataFrame, top: int) -> pd.DataFrame:
    """The first ``top`` rows; ``attrs["total"]`` keeps how many there were."""
    out = df.head(top).reset_index(drop=True)
    out.attrs["total"] = len(df)
    return out
