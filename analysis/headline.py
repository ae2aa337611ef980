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
from analysis.basis import DEFAULT_MIN_MEMBERS, basis_words, evidence_basis, outside_basis, share_sentence
from analysis.status import analysed_graph, proposed_partnerships
from graph.errors import PartnetError
from graph.model import FAMILIES

__all__ = ["HEADLINE_KEYS", "HOLES_MAX_ACTORS", "figures", "headline", "union_gap_by_kind"]

#: Above this many actors the brokers table leaves out Burt's constraint and effective size.
HOLES_MAX_ACTORS = 20_000

#: The tables `headline` returns, in display order.
HEADLINE_KEYS: tuple[str, ...] = (
    "figures", "families", "countries", "union_gap", "cross_border", "central", "brokers", "isolated",
    "funders_outside", "no_union", "outside_basis", "proposed", "funding_dependence", "no_union_communities",
)


@with_table_cache
def headline(
    g: nx.MultiDiGraph,
    top: int = 10,
    *,
    include_proposed: bool = False,
    min_members: int = DEFAULT_MIN_MEMBERS,
    projection: nx.Graph | None = None,
    centrality: pd.DataFrame | None = None,
    communities: pd.DataFrame | pd.Series | Mapping | None = None,
) -> dict[str, pd.DataFrame]:
    """The key findings on a partnership graph, one table each.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph (``graph.convert.dataset_to_graph``) or its
        `analysis.status.analysed_graph`; every finding is computed on the analysed graph.
    include_proposed : bool, default False
        Analyse the proposed partnerships as if they were working ones (`analysis.status`).
    min_members : int, default 2
        The evidence basis of the composition findings (`analysis.basis.evidence_basis`).
    top : int, default 10
        Rows kept in the ranked tables (central actors, brokers, isolated actors, partnerships
        without union, funding dependence).
    projection, centrality, communities : optional
        Precomputed `analysis.projection.actor_projection`, `analysis.centrality.actor_centrality`
        and actor -> community of the analysed graph; computed when omitted.

    Returns
    -------
    dict of str -> pandas.DataFrame
        Keys `HEADLINE_KEYS`:

        - ``figures``: ``figure, value, basis`` — counts and the headline shares (see `figures`);
        - ``families``: ``family, actors, share, partnerships`` (with at least one member of it);
        - ``countries``: ``country, actors, trade_unions, partnerships, cross_border_ties``;
        - ``union_gap``: `union_gap_by_kind` (on the evidence basis);
        - ``cross_border``: `analysis.crossborder.cross_border_share`;
        - ``central``: the ``top`` actors by degree (then weighted degree, id) with their
          centralities;
        - ``brokers``: the ``top`` actors by betweenness with articulation-point flag, number of
          dependents and Burt's constraint and effective size (`analysis.brokers`; the last two
          only up to `HOLES_MAX_ACTORS` actors, ``attrs["note"]`` says when they are left out);
        - ``isolated``: `analysis.isolation.isolated_actors` (no membership in a partnership with
          another member, no link, no funding tie), first ``top``; ``attrs["total"]`` is the
          "isolated actors" figure;
        - ``funders_outside``: `analysis.isolation.funders_outside_partnerships`, first ``top``
          (``attrs["total"]``);
        - ``no_union``: `analysis.gaps.partnerships_without_union` (on the evidence basis), first
          ``top``, ``attrs["total"]`` and ``attrs["basis"]``;
        - ``outside_basis``: `analysis.basis.outside_basis` ("membership not known well enough"),
          first ``top`` (``attrs["total"]``);
        - ``proposed``: `analysis.status.proposed_partnerships`, all of them, ``attrs["included"]``
          saying whether they were analysed;
        - ``funding_dependence``: `analysis.funding.single_funder_dependence`, first ``top``;
        - ``no_union_communities``: `analysis.gaps.communities_without_union` (Louvain communities
          of `analysis.communities` when ``communities`` is omitted; empty when unavailable;
          communities of one actor left out), first ``top``.

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

    g = analysed_graph(g, include_proposed=include_proposed)
    proj = projection if projection is not None else actor_projection(g)
    cent = centrality if centrality is not None else actor_centrality(proj)
    out: dict[str, pd.DataFrame] = {}
    out["figures"] = figures(g, projection=proj, min_members=min_members)
    out["figures"].attrs["betweenness_method"] = cent.attrs.get("betweenness_method", "")
    out["families"] = _families(g)
    cov = union_coverage_by_country(g)[["country", "actors", "trade_unions", "partnerships"]]
    xb = country_summary(g, proj)[["country", "cross_border_ties"]]
    out["countries"] = cov.merge(xb, on="country", how="left").fillna({"cross_border_ties": 0}) \
        .astype({"cross_border_ties": np.int64}).sort_values(["actors", "country"], ascending=[False, True]) \
        .reset_index(drop=True)
    out["union_gap"] = union_gap_by_kind(g, min_members=min_members)
    out["cross_border"] = cross_border_share(g)
    cols = ["id", "name", "family", "country", "degree", "weighted_degree", "betweenness", "eigenvector", "pagerank"]
    out["central"] = _top(cent.sort_values(["degree", "weighted_degree", "id"], ascending=[False, False, True],
                                           kind="stable")[cols], top)
    out["brokers"] = _brokers(g, proj, cent, top)
    out["isolated"], out["funders_outside"] = _isolated(g, proj, top)
    out["no_union"] = _top(partnerships_without_union(g, min_members=min_members), top)
    out["outside_basis"] = _top(outside_basis(g, min_members=min_members), top)
    out["outside_basis"].attrs["basis"] = basis_words(min_members)
    out["proposed"] = proposed_partnerships(g)
    out["proposed"].attrs["included"] = include_proposed
    out["funding_dependence"] = _top(single_funder_dependence(g), top)
    comm = community_series(communities) if communities is not None else default_communities(g, proj)
    if comm is not None:
        out["no_union_communities"] = _top(communities_without_union(g, comm), top)
    else:
        out["no_union_communities"] = pd.DataFrame(columns=["community", "actors", "trade_unions", "countries",
                                                            "families"])
    return {k: out[k] for k in HEADLINE_KEYS}


@with_table_cache
def figures(g: nx.MultiDiGraph, *, projection: nx.Graph | None = None,
            min_members: int = DEFAULT_MIN_MEMBERS) -> pd.DataFrame:
    """The headline counts and shares, each with its basis in words (``figure, value, basis``).

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The graph analysed (`analysis.status.analysed_graph`: proposals left out unless included).
    projection : networkx.Graph, optional
        Its actor projection.
    min_members : int, default 2
        The evidence basis of the union figures (`analysis.basis.evidence_basis`).

    Returns
    -------
    pandas.DataFrame
        Figures: actors, partnerships (analysed), proposed partnerships (left out, or included),
        memberships, funding ties, explicit links, countries, trade unions, partnerships with
        members, partnerships in the composition basis, membership not known well enough (the
        analysed partnerships outside the basis), partnerships without a trade union (count and
        share of the basis), cross-border partnerships and share (of partnerships with a member
        country), isolated actors and funders outside partnerships (`analysis.isolation`: the
        same flags as the tables), connected components of the actor projection, funded
        partnerships, and those with a single funder. Every figure can be recomputed from the
        CSV export (``partnership_gaps``, ``actor_metrics`` and the import tables).
    """
    from analysis.crossborder import cross_border_share
    from analysis.funding import funding_concentration
    from analysis.gaps import partnerships_without_union
    from analysis.isolation import FUNDER_OUTSIDE_DEFINITION, ISOLATION_DEFINITION, isolation_summary
    from analysis.projection import actor_projection

    proj = projection if projection is not None else actor_projection(g)
    iso = isolation_summary(g, projection=proj)
    actors = actors_frame(g)
    parts = partnerships_frame(g)
    mem = memberships_frame(g)
    with_members = int(mem["partnership_id"].nunique())
    basis = evidence_basis(g, min_members=min_members)
    in_basis = int(basis["in_basis"].sum())
    outside = basis[~basis["in_basis"]]
    one, none = int((outside["recorded_members"] > 0).sum()), int((outside["recorded_members"] == 0).sum())
    nou = len(partnerships_without_union(g, min_members=min_members))
    proposed = proposed_partnerships(g)
    included = bool(len(basis) and (basis["status"] == "proposed").any())
    xb = cross_border_share(g)
    xb_all = xb[xb["kind"] == "all"].iloc[0]
    conc = funding_concentration(g)
    n_single = int(conc["single_funder"].sum()) if len(conc) else 0
    counts = {t: sum(1 for *_, d in g.edges(data=True) if d.get("type") == t) for t in ("FUNDS", "LINKED_TO")}
    n_prop = int((basis["status"] == "proposed").sum()) if included else len(proposed)
    rows = [
        ("actors", len(actors), "every actor in the data"),
        ("partnerships", len(parts), "proposed partnerships included" if included else
         "proposed partnerships left out"),
        ("proposed partnerships", n_prop, "included in every measure (--include-proposed)" if included else
         "left out of network measures and gap shares, listed apart"),
        ("memberships", len(mem), "in the partnerships analysed"),
        ("funding ties", counts["FUNDS"], "FUNDS edges into actors or analysed partnerships"),
        ("explicit links", counts["LINKED_TO"], "LINKED_TO edges between actors"),
        ("countries", int(actors.loc[actors["country"] != "", "country"].nunique()), "countries of the actors"),
        ("trade unions", int((actors["family"] == "trade_unions").sum()), "actors of the trade-union family"),
        ("partnerships with members", with_members, "partnerships with at least one recorded member"),
        ("partnerships in the composition basis", in_basis, basis_words(min_members)),
        ("membership not known well enough", len(outside),
         f"partnerships outside the basis: {one} with too few recorded members, {none} with none"),
        ("partnerships without a trade union", nou, share_sentence(nou, in_basis, "have no trade union",
                                                                   min_members)),
        ("share of partnerships without a trade union", nou / in_basis if in_basis else float("nan"),
         f"of the {in_basis} {basis_words(min_members)}"),
        ("cross-border partnerships", int(xb_all["cross_border"]),
         f"members from more than one country, of {int(xb_all['with_country'])} partnerships with a member country"),
        ("cross-border share", float(xb_all["share"]),
         f"of the {int(xb_all['with_country'])} partnerships with a member country"),
        ("isolated actors", int(iso["isolated"].sum()), ISOLATION_DEFINITION),
        ("funders outside partnerships", int(iso["funder_outside_partnerships"].sum()), FUNDER_OUTSIDE_DEFINITION),
        ("components (actor network)", nx.number_connected_components(proj) if len(proj) else 0,
         "connected parts of the actor network; each isolated actor is one"),
        ("funded partnerships", len(conc), "analysed partnerships receiving at least one funding tie"),
        ("funded partnerships with a single funder", n_single, f"of the {len(conc)} funded"),
    ]
    return pd.DataFrame(rows, columns=["figure", "value", "basis"])


def union_gap_by_kind(g: nx.MultiDiGraph, *, min_members: int = DEFAULT_MIN_MEMBERS) -> pd.DataFrame:
    """Partnerships of the evidence basis, and how many of them have no trade union, per kind and overall.

    Returns
    -------
    pandas.DataFrame
        ``kind, partnerships`` (in the basis of `analysis.basis.evidence_basis`: at least
        ``min_members`` recorded members or a member list declared complete), ``without_union``
        and ``share``; a last row ``kind = "all"``. ``attrs["basis"]`` names the basis. Built on
        `analysis.gaps.family_presence`.
    """
    from analysis.gaps import family_presence

    fp = family_presence(g)
    fp = fp[evidence_basis(g, min_members=min_members)["in_basis"].to_numpy()] \
        .assign(nou=lambda d: d["trade_unions"] == 0)
    grouped = fp.groupby("kind", sort=True)
    out = pd.DataFrame({"partnerships": grouped.size(), "without_union": grouped["nou"].sum()}).reset_index()
    total = pd.DataFrame([{"kind": "all", "partnerships": len(fp), "without_union": int(fp["nou"].sum())}])
    out = pd.concat([out, total], ignore_index=True) if not out.empty else total
    out["partnerships"] = out["partnerships"].astype(np.int64)
    out["without_union"] = out["without_union"].astype(np.int64)
    out["share"] = out["without_union"] / out["partnerships"].where(out["partnerships"] > 0)
    out.attrs["basis"] = basis_words(min_members)
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


def _isolated(g: nx.MultiDiGraph, proj: nx.Graph, top: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The isolated actors and the funders outside partnerships, first ``top`` of each, with their totals."""
    from analysis import isolation

    return (_top(isolation.isolated_actors(g, projection=proj), top),
            _top(isolation.funders_outside_partnerships(g), top))


def _top(df: pd.DataFrame, top: int) -> pd.DataFrame:
    """The first ``top`` rows of ``df``; ``attrs`` kept and ``attrs["total"]`` set to how many there were."""
    out = df.head(top).reset_index(drop=True)
    out.attrs = {**df.attrs, "total": len(df)}
    return out
