"""Where trade unions are absent beyond single partnerships: per country, per community, and in hops.

- per country: actors, unions, partnerships with a member there and how many of them have a union
  (`union_coverage_by_country`, `countries_without_union`);
- communities of the actor projection without any union (`communities_without_union`);
- each actor's distance, in hops on the actor projection, to the nearest union (`distance_to_union`).
"""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from analysis._community_input import community_series
from analysis._tables import actors_frame, joined, memberships_frame
from analysis.composition import UNIONS, family_presence
from analysis.projection import adjacency

__all__ = ["communities_without_union", "countries_without_union", "distance_to_union", "union_coverage_by_country"]


def union_coverage_by_country(g: nx.MultiDiGraph) -> pd.DataFrame:
    """Per country: number of actors, of trade unions, and of partnerships with a member there.

    Returns
    -------
    pandas.DataFrame
        ``country, actors, trade_unions, partnerships`` (partnerships with at least one member
        from the country), ``partnerships_with_union`` (of those, how many have a union member —
        from any country) and ``has_union`` (the country has at least one union actor). Actors
        without a country (European or international bodies) are left out. Sorted by country.
    """
    actors = actors_frame(g)
    actors = actors[actors["country"] != ""]
    if actors.empty:
        return pd.DataFrame({"country": pd.Series(dtype=str), "actors": pd.Series(dtype="int64"),
                             "trade_unions": pd.Series(dtype="int64"), "partnerships": pd.Series(dtype="int64"),
                             "partnerships_with_union": pd.Series(dtype="int64"),
                             "has_union": pd.Series(dtype=bool)})
    per = actors.groupby("country").agg(actors=("id", "size"),
                                         trade_unions=("family", lambda s: int((s == UNIONS).sum())))
    mem = memberships_frame(g).merge(actors[["id", "country"]], left_on="actor_id", right_on="id")
    with_union = set(family_presence(g, (UNIONS,)).query(f"{UNIONS} > 0")["partnership_id"])
    pc = mem.drop_duplicates(["country", "partnership_id"]).copy()
    pc["u"] = pc["partnership_id"].isin(with_union)
    pstats = pc.groupby("country").agg(partnerships=("partnership_id", "size"), partnerships_with_union=("u", "sum"))
    per = per.join(pstats, how="left").fillna(0)
    out = per.reset_index()
    for c in ("actors", "trade_unions", "partnerships", "partnerships_with_union"):
        out[c] = out[c].astype(np.int64)
    out["has_union"] = out["trade_unions"] > 0
    return out.sort_values("country", kind="stable").reset_index(drop=True)


def countries_without_union(g: nx.MultiDiGraph) -> pd.DataFrame:
    """Countries that have actors but no trade union among them (rows of `union_coverage_by_country`)."""
    cov = union_coverage_by_country(g)
    return cov[~cov["has_union"]].reset_index(drop=True)


def communities_without_union(
    g: nx.MultiDiGraph, communities: pd.DataFrame | pd.Series | Mapping, *, min_size: int = 2
) -> pd.DataFrame:
    """Communities (e.g. Louvain communities of the actor projection) with no trade union.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph.
    communities : DataFrame, Series or mapping
        Actor id -> community, as returned by ``analysis.communities`` (a frame with a
        ``community`` column, indexed by actor id or with an ``actor_id``/``actor``/``id``
        column), a Series indexed by actor id, or a dict.
    min_size : int, default 2
        Leave out communities of fewer actors: a "community" of one isolated actor has no union by
        construction and says nothing about a group (``df.attrs["left_out"]`` counts them).

    Returns
    -------
    pandas.DataFrame
        ``community, actors, trade_unions`` (0), ``countries`` and ``families`` (the values
        present, most frequent first, joined with ``", "``) for each community of at least
        ``min_size`` actors without a union actor; sorted by size (largest first), then community.
    """
    comm = community_series(communities)
    actors = actors_frame(g).set_index("id")
    df = actors.join(comm.rename("community"), how="inner").reset_index()
    if df.empty:
        return pd.DataFrame(columns=["community", "actors", "trade_unions", "countries", "families"])
    df["_union"] = (df["family"] == UNIONS).astype(np.int64)
    grouped = df.groupby("community", sort=True)
    out = pd.DataFrame({"actors": grouped.size(), "trade_unions": grouped["_union"].sum()})
    out = out[out["trade_unions"] == 0]
    left_out = int((out["actors"] < min_size).sum())
    out = out[out["actors"] >= min_size]
    rest = df[df["community"].isin(out.index)]
    out["countries"] = _ranked_values(rest, "community", "country").reindex(out.index, fill_value="")
    out["families"] = _ranked_values(rest, "community", "family").reindex(out.index, fill_value="")
    out = out.reset_index()
    out = out.sort_values(["actors", "community"], ascending=[False, True], kind="stable").reset_index(drop=True)
    out.attrs["left_out"] = left_out
    out.attrs["min_size"] = min_size
    return out


# ----------------------------------------------------------------------------------------------
# Distance to the nearest union
# ----------------------------------------------------------------------------------------------
def distance_to_union(g: nx.MultiDiGraph, projection: nx.Graph | None = None) -> pd.DataFrame:
    """Each actor's distance, in hops on the actor projection, to the nearest trade union.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph.
    projection : networkx.Graph, optional
        The actor–actor projection (``analysis.projection.actor_projection(g)`` when omitted).

    Returns
    -------
    pandas.DataFrame
        ``actor_id, name, family, country, distance`` (nullable integer: 0 for a union,
        ``<NA>`` when no union can be reached) and ``nearest_union`` (the id of one union at
        that distance, ``""`` when none); sorted by distance (unreachable last), then id.

    Notes
    -----
    A multi-source breadth-first search from every union at once (unweighted shortest paths
    from a virtual source tied to all unions), run in C by ``scipy.sparse.csgraph.dijkstra``
    with ``min_only=True``: cost O(n + m) for n actors and m projected ties. When several unions
    are equally near, one of them is reported.

    References
    ----------
    .. [1] E. F. Moore, "The shortest path through a maze", Proc. Int. Symp. on the Theory of
       Switching, Harvard University Press, 285–292 (1959).
    .. [2] T. H. Cormen, C. E. Leiserson, R. L. Rivest and C. Stein, *Introduction to
       Algorithms*, 3rd ed., MIT Press (2009), §22.2 (breadth-first search).
    """
    if projection is None:
        from analysis.projection import actor_projection

        projection = actor_projection(g)
    actors = actors_frame(g)
    ids = actors["id"].tolist()
    index = {a: i for i, a in enumerate(ids)}
    union_idx = np.flatnonzero(actors["family"].to_numpy() == UNIONS)
    dist = np.full(len(ids), np.inf)
    src = np.full(len(ids), -1)
    if len(union_idx) and len(ids):
        nodes, a = adjacency(projection, None)
        pos = np.array([index.get(v, -1) for v in nodes], dtype=np.int64)
        coo = a.tocoo()
        rows, cols = pos[coo.row], pos[coo.col]
        ok = (rows >= 0) & (cols >= 0)
        adj = sp.csr_matrix((np.ones(int(ok.sum())), (rows[ok], cols[ok])), shape=(len(ids), len(ids)))
        dist, _, src = dijkstra(adj, directed=False, indices=union_idx, unweighted=True, min_only=True,
                                return_predecessors=True)
    reach = np.isfinite(dist)
    out = actors[["id", "name", "family", "country"]].rename(columns={"id": "actor_id"})
    out["distance"] = pd.array(np.where(reach, dist, 0).astype(np.int64), dtype="Int64")
    out.loc[~reach, "distance"] = pd.NA
    out["nearest_union"] = [ids[s] if ok else "" for s, ok in zip(src.tolist(), reach.tolist(), strict=True)]
    out["_unreach"] = ~reach
    out = out.sort_values(["_unreach", "distance", "actor_id"], kind="stable").drop(columns="_unreach")
    return out.reset_index(drop=True)


def _ranked_values(df: pd.DataFrame, key: str, col: str) -> pd.Series:
    """Per ``key``: the non-empty values of ``col``, most frequent first (ties by value), joined with ", "."""
    d = df.loc[df[col] != "", [key, col]]
    counts = d.groupby([key, col]).size().reset_index(name="_n")
    counts = counts.sort_values([key, "_n", col], ascending=[True, False, True], kind="stable")
    return joined(counts[key], counts[col])
