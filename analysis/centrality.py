"""Who is central: degree, weighted degree, betweenness, closeness, eigenvector and PageRank per actor,
and the two-mode (bipartite) centralities of actors and partnerships.

Betweenness and closeness cost one breadth-first search per node. Up to ``exact_max_nodes``
(default 2,000) nodes they are exact; above it they are estimated from ``k`` sources drawn with a
fixed seed, and the method used is reported with the result (``df.attrs`` and a column) so that a
table never passes an estimate off as exact.

This module builds the per-actor tables (`actor_centrality`, `bipartite_centrality`); each measure
lives in its own module and is importable from here as before: `analysis.betweenness`,
`analysis.closeness`, `analysis.spectral` (eigenvector, PageRank) and the sample sizes of
`analysis._sampling` (`EXACT_MAX_NODES`, `sample_size`...).
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
from networkx.algorithms import bipartite

from analysis._sampling import DEFAULT_SAMPLE_SIZE, EXACT_MAX_NODES, MIN_SAMPLE_SIZE, SAMPLE_WORK, sample_size
from analysis.betweenness import betweenness
from analysis.closeness import _distance_sums, closeness
from analysis.memo import per_graph
from analysis.projection import Filters, adjacency, as_actor_graph, bipartite_graph
from analysis.spectral import _pagerank, eigenvector

__all__ = [
    "DEFAULT_SAMPLE_SIZE",
    "EXACT_MAX_NODES",
    "MIN_SAMPLE_SIZE",
    "SAMPLE_WORK",
    "actor_centrality",
    "betweenness",
    "bipartite_centrality",
    "closeness",
    "eigenvector",
    "sample_size",
]

_MEASURES = ("degree", "weighted_degree", "betweenness", "closeness", "eigenvector", "pagerank")


def actor_centrality(
    g: nx.Graph,
    filters: Filters | None = None,
    *,
    weight: str = "weight",
    exact_max_nodes: int = EXACT_MAX_NODES,
    k: int | None = None,
    seed: int = 0,
) -> pd.DataFrame:
    """Centrality of every actor in the actor–actor network.

    Parameters
    ----------
    g : networkx.Graph or networkx.MultiDiGraph
        The actor projection (`analysis.projection.actor_projection`), or the property graph,
        which is then projected (with explicit links, after ``filters``).
    filters : Filters or None
        Only with the property graph.
    weight : str, default "weight"
        Edge attribute of tie strength, used by weighted degree, eigenvector and PageRank.
        Betweenness and closeness count hops (a strength is not a distance).
    exact_max_nodes : int, default 2000
        Betweenness and closeness are exact up to this many nodes (closeness: per component),
        sampled above.
    k : int or None
        Sample size above the threshold; default `sample_size` of the network (1000 up to 200,000
        ties, fewer above so that the cost stays bounded).
    seed : int, default 0
        Seed of the sample, so the same graph always gives the same table.

    Returns
    -------
    pandas.DataFrame
        One row per actor, sorted by id: ``id, name, family, country, degree`` (number of
        contacts), ``degree_centrality`` (degree / (n - 1)), ``weighted_degree`` (sum of tie
        weights), ``betweenness``, ``closeness``, ``eigenvector``, ``pagerank``, a ``rank_<measure>``
        column for each (1 = most central, ties share the best rank) and ``betweenness_method``.
        ``df.attrs`` holds ``betweenness_method`` ("exact" or "sampled"), ``betweenness_k``,
        ``closeness_method``, ``closeness_k`` and ``seed``.

    Notes
    -----
    - Betweenness: Brandes' algorithm (``networkx.betweenness_centrality``), normalised by
      (n - 1)(n - 2) / 2, hop counts; above the threshold the source-sampling estimator of Brandes
      & Pich with ``k`` sources.
    - Closeness: Wasserman & Faust's variant for disconnected graphs, ``(r-1)/(n-1) · (r-1)/Σd``
      with ``r`` the size of the node's component (as ``networkx.closeness_centrality``); see
      `closeness` for the estimate above the threshold.
    - Eigenvector: see `eigenvector` (per component, so it is defined on disconnected graphs).
    - PageRank: damping 0.85 on the weighted graph, converged to 1e-10 (the power iteration of
      ``networkx.pagerank``, on the sparse adjacency matrix of `analysis.projection.adjacency`).

    References
    ----------
    .. [1] L. C. Freeman, "Centrality in social networks: conceptual clarification",
       Social Networks 1, 215–239 (1979).
    .. [2] U. Brandes, "A faster algorithm for betweenness centrality", J. Math. Sociol. 25(2),
       163–177 (2001).
    .. [3] U. Brandes and C. Pich, "Centrality estimation in large networks", Int. J. Bifurcation
       and Chaos 17(7), 2303–2318 (2007).
    .. [4] P. Bonacich, "Power and centrality: a family of measures", Am. J. Sociol. 92(5),
       1170–1182 (1987).
    .. [5] S. Brin and L. Page, "The anatomy of a large-scale hypertextual web search engine",
       Computer Networks and ISDN Systems 30, 107–117 (1998).

    Examples
    --------
    >>> star = nx.star_graph(3)
    >>> df = actor_centrality(star)
    >>> hub = df.set_index("id").loc["0"]
    >>> int(hub["degree"]), float(hub["betweenness"]), int(hub["rank_betweenness"])
    (3, 1.0, 1)
    """
    proj = as_actor_graph(g, filters)
    key = ("actor_centrality", weight, exact_max_nodes, k, seed)
    return per_graph(proj, key, lambda: _actor_centrality(proj, weight, exact_max_nodes, k, seed)).copy()


def _actor_centrality(proj: nx.Graph, weight: str, exact_max_nodes: int, k: int | None, seed: int) -> pd.DataFrame:
    nodes, w = adjacency(proj, weight)
    n = len(nodes)
    bt, b_method, b_k = betweenness(proj, exact_max_nodes=exact_max_nodes, k=k, seed=seed)
    cl, c_method, c_k = closeness(proj, exact_max_nodes=exact_max_nodes, k=k, seed=seed)
    ev = eigenvector(proj, weight=weight)
    pr = dict(zip(nodes, _pagerank(w).tolist(), strict=True)) if n else {}
    loops = w.diagonal() != 0  # networkx counts a self-loop twice in a degree
    deg = dict(zip(nodes, (np.diff(w.indptr) + loops).tolist(), strict=True))
    wdeg = dict(zip(nodes, (np.asarray(w.sum(axis=1)).ravel() + w.diagonal()).tolist(), strict=True))
    attrs = proj._node  # the raw attribute dicts
    df = pd.DataFrame({
        "id": [str(v) for v in nodes],
        "name": [_text(attrs[v].get("name")) or str(v) for v in nodes],
        "family": [_text(attrs[v].get("family")) for v in nodes],
        "country": [_text(attrs[v].get("country")) for v in nodes],
        "degree": np.array([deg[v] for v in nodes], dtype=np.int64),
        "degree_centrality": np.array([deg[v] / (n - 1) if n > 1 else 0.0 for v in nodes], dtype=float),
        "weighted_degree": np.array([wdeg[v] for v in nodes], dtype=float),
        "betweenness": np.array([bt[v] for v in nodes], dtype=float),
        "closeness": np.array([cl[v] for v in nodes], dtype=float),
        "eigenvector": np.array([ev[v] for v in nodes], dtype=float),
        "pagerank": np.array([pr[v] for v in nodes], dtype=float),
    })
    for m in _MEASURES:
        df[f"rank_{m}"] = _rank(df[m])
    df["betweenness_method"] = b_method if b_method == "exact" else f"sampled (k={b_k}, seed={seed})"
    df.attrs.update(betweenness_method=b_method, betweenness_k=b_k, closeness_method=c_method, closeness_k=c_k,
                    seed=seed, exact_max_nodes=exact_max_nodes)
    return df


def bipartite_centrality(
    g: nx.Graph,
    filters: Filters | None = None,
    *,
    exact_max_nodes: int = EXACT_MAX_NODES,
    k: int | None = None,
    seed: int = 0,
) -> pd.DataFrame:
    """Two-mode centralities of actors and partnerships in the actor–partnership graph.

    Parameters
    ----------
    g : networkx.MultiDiGraph or networkx.Graph
        The property graph (turned into `analysis.projection.bipartite_graph` after ``filters``)
        or a bipartite graph whose nodes carry ``bipartite`` 0 (actors) / 1 (partnerships).
    filters : Filters or None
    exact_max_nodes, k, seed
        As in `actor_centrality`: exact up to ``exact_max_nodes`` nodes, sampled above.

    Returns
    -------
    pandas.DataFrame
        One row per node, actors first, each side sorted by id: ``id, name, side`` ("actor" or
        "partnership"), ``degree`` (number of ties), ``degree_centrality``, ``betweenness``,
        ``closeness``, ranks within the side, and ``betweenness_method``; ``df.attrs`` as in
        `actor_centrality`.

    Notes
    -----
    Up to ``exact_max_nodes`` nodes the values are those of ``networkx.algorithms.bipartite``
    (``degree_centrality``, ``betweenness_centrality``, ``closeness_centrality``). Each measure
    is normalised by its maximum possible value in a bipartite graph with the same two node sets
    (degree by the size of the other side; betweenness by Borgatti & Everett's bound; closeness
    by ``m + 2(n - 1)`` for a node of the side with ``n`` nodes facing ``m``). Above the
    threshold the same normalisations are applied to sampled betweenness and pivot-estimated
    distance sums (see `betweenness` and `closeness`).

    References
    ----------
    .. [1] S. P. Borgatti and M. G. Everett, "Network analysis of 2-mode data",
       Social Networks 19(3), 243–269 (1997).
    .. [2] S. P. Borgatti and D. S. Halgin, "Analyzing affiliation networks", in P. Carrington
       and J. Scott (eds), *The Sage Handbook of Social Network Analysis* (2011).
    """
    b = bipartite_graph(g, filters) if g.is_directed() or g.is_multigraph() else g
    tops = sorted((v for v, d in b.nodes(data=True) if d.get("bipartite") == 0), key=str)
    bottoms = sorted((v for v, d in b.nodes(data=True) if d.get("bipartite") == 1), key=str)
    n, m = len(tops), len(bottoms)
    nodes = tops + bottoms
    deg = dict(b.degree())
    size = len(nodes)
    if size <= exact_max_nodes:  # networkx.algorithms.bipartite, exact
        dc = bipartite.degree_centrality(b, tops) if size else {}
        bc = bipartite.betweenness_centrality(b, tops) if n and m else dict.fromkeys(nodes, 0.0)
        cc = bipartite.closeness_centrality(b, tops) if size else {}
        b_method, b_k, c_k = "exact", size, 0
    else:  # the same normalisations over sampled betweenness and pivot-estimated distance sums
        raw, b_method, b_k = betweenness(b, exact_max_nodes=exact_max_nodes, k=k, seed=seed, normalized=False)
        bmax_top, bmax_bottom = _bipartite_betweenness_max(n, m), _bipartite_betweenness_max(m, n)
        totals, reach, c_k = _distance_sums(b, nodes, exact_max_nodes=exact_max_nodes, k=k, seed=seed)
        dc, bc, cc = {}, {}, {}
        for i, v in enumerate(nodes):
            other, same, bmax = (m, n, bmax_top) if i < n else (n, m, bmax_bottom)
            dc[v] = deg[v] / other if other else 0.0
            bc[v] = raw[v] / bmax if bmax else 0.0
            cc[v] = (other + 2 * (same - 1)) / totals[i] * (reach[i] - 1) / (size - 1) if totals[i] > 0 else 0.0
    rows = [(str(v), _text(b.nodes[v].get("name")) or str(v), "actor" if i < n else "partnership", deg[v],
             dc[v], bc[v], cc[v]) for i, v in enumerate(nodes)]
    df = pd.DataFrame(rows, columns=["id", "name", "side", "degree", "degree_centrality", "betweenness",
                                     "closeness"])
    df["degree"] = df["degree"].astype(np.int64)
    for col in ("degree_centrality", "betweenness", "closeness"):
        df[col] = df[col].astype(float)
        df[f"rank_{col}"] = df.groupby("side", sort=False)[col].transform(_rank).astype(np.int64)
    df["betweenness_method"] = b_method if b_method == "exact" else f"sampled (k={b_k}, seed={seed})"
    df.attrs.update(betweenness_method=b_method, betweenness_k=b_k,
                    closeness_method="sampled" if c_k else "exact", closeness_k=c_k, seed=seed,
                    exact_max_nodes=exact_max_nodes)
    return df


# --- helpers -------------------------------------------------------------------------------------


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _rank(values: pd.Series) -> pd.Series:
    """1 for the largest value; ties share the best rank."""
    return values.rank(ascending=False, method="min").astype(np.int64)


def _bipartite_betweenness_max(n: int, m: int) -> float:
    """Largest possible (unnormalised) betweenness of a node on the side of ``n`` nodes facing ``m``.

    Borgatti & Everett (1997): with ``n - 1 = s·m + t`` (0 <= t < m), the bound is
    ``[m²(s+1)² + m(s+1)(2t - s - 1) - t(2s - t + 3)] / 2``.
    """
    if m == 0:
        return 0.0
    s, t = divmod(n - 1, m)
    return (m * m * (s + 1) ** 2 + m * (s + 1) * (2 * t - s - 1) - t * (2 * s - t + 3)) / 2.0
