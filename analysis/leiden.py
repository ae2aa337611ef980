"""Leiden communities of the actor network (igraph's or leidenalg's), their stability across seeds, and a
community table labelled by dominant country and family plus the best-connected member.

Leiden refines Louvain so that every community is connected (Traag, Waltman & van Eck 2019); it
optimises modularity with a resolution parameter (``RBConfigurationVertexPartition``; resolution 1
is Newman's modularity) or the Constant Potts Model (``CPMVertexPartition``), whose resolution is a
density threshold that does not shrink with the size of the network.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable

import igraph as ig
import leidenalg as la
import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis._igraph import tie_weights, to_igraph
from analysis.communities import (
    _RNG_LOCK,
    DEFAULT_SEED,
    _describe,
    _groups,
    _renumber,
    community_label,
    community_summary,
)
from analysis.filters import Filters
from analysis.matrices import adjacency
from analysis.memo import per_graph
from analysis.projection import as_actor_graph
from graph.errors import PartnetError

__all__ = ["OBJECTIVES", "adjusted_rand_index", "labelled_communities", "leiden", "stability"]

#: What `leiden` optimises.
OBJECTIVES: tuple[str, ...] = ("modularity", "cpm")


def leiden(g: nx.Graph, filters: Filters | None = None, *, weight: str | None = "weight",
           objective: str = "modularity", resolution: float = 1.0, seed: int = DEFAULT_SEED,
           engine: str = "igraph") -> pd.DataFrame:
    """Leiden communities of the actor network, one row per actor (the columns of `analysis.communities.louvain`).

    Parameters
    ----------
    g : networkx.Graph or networkx.MultiDiGraph
        An actor projection (e.g. `analysis.tie_weights.weighted_projection`), or the property graph.
    filters : Filters or None
    weight : str or None, default "weight"
        Edge attribute of tie strength; None counts every tie as 1.
    objective : {"modularity", "cpm"}
        Modularity with a resolution (1 = Newman's), or the Constant Potts Model.
    resolution : float, default 1.0
        Higher gives more, smaller communities. For CPM it is the density a community must exceed
        (in weight units per pair of members).
    seed : int, default `DEFAULT_SEED`
        Seeds the random source for this call: the same network gives the same communities.
    engine : {"igraph", "leidenalg"}, default "igraph"
        igraph's C implementation (``Graph.community_leiden``; about ten times faster, the
        default so that 100,000 actors take seconds) or V. Traag's ``leidenalg`` (C++; the
        reference implementation, ``RBConfigurationVertexPartition`` / ``CPMVertexPartition``).

    Returns
    -------
    pandas.DataFrame
        Sorted by id: ``id, name, family, country, community`` (0 = the largest, ties by smallest
        member id), ``community_size``, ``label``. ``attrs``: ``method`` ("leiden"), ``engine``,
        ``modularity`` (Newman's, weighted, resolution 1),
        ``n_communities``, ``seed``, ``resolution``, ``objective``, ``weight``.

    Notes
    -----
    Runs on the igraph view of the network (nodes and ties in sorted order,
    `analysis._igraph.to_igraph`), two iterations of the algorithm, so the result depends only
    on the network and the seed. Both engines implement the same algorithm; their random draws
    differ, so their partitions agree closely but not necessarily exactly.

    References
    ----------
    .. [1] V. A. Traag, L. Waltman and N. J. van Eck, "From Louvain to Leiden: guaranteeing
       well-connected communities", Scientific Reports 9, 5233 (2019).
    .. [2] J. Reichardt and S. Bornholdt, "Statistical mechanics of community detection",
       Phys. Rev. E 74, 016110 (2006).

    Examples
    --------
    >>> g = nx.disjoint_union(nx.complete_graph(4), nx.complete_graph(3))
    >>> g.add_edge(0, 4)
    >>> leiden(g)["community"].tolist()
    [0, 0, 0, 0, 1, 1, 1]
    """
    if objective not in OBJECTIVES:
        raise PartnetError(f"unknown Leiden objective {objective!r}", hint=f"use one of {', '.join(OBJECTIVES)}")
    if engine not in ("igraph", "leidenalg"):
        raise PartnetError(f"unknown Leiden engine {engine!r}", hint="use igraph or leidenalg")
    if not resolution > 0:
        raise PartnetError(f"resolution {resolution!r} must be positive", hint="give e.g. 1.0")
    proj = as_actor_graph(g, filters)
    key = ("leiden", weight, objective, float(resolution), seed, engine)
    return per_graph(proj, key, lambda: _leiden(proj, weight, objective, resolution, seed, engine)).copy()


def _run(proj: nx.Graph, weight: str | None, objective: str, resolution: float, seed: int, engine: str
         ) -> tuple[np.ndarray, float]:
    _, h = to_igraph(proj)
    weights = tie_weights(proj, weight).tolist() if weight is not None else None
    if engine == "leidenalg":
        kind = la.RBConfigurationVertexPartition if objective == "modularity" else la.CPMVertexPartition
        part = la.find_partition(h, kind, weights=weights, seed=seed, resolution_parameter=resolution)
        membership = np.asarray(part.membership, dtype=np.int64)
    else:
        with _RNG_LOCK:  # igraph's random source is process-wide: seed it for this call only
            ig.set_random_number_generator(random.Random(seed))
            try:
                found = h.community_leiden(objective_function="modularity" if objective == "modularity" else "CPM",
                                           weights=weights, resolution=resolution, n_iterations=2)
            finally:
                ig.set_random_number_generator(random)
        membership = np.asarray(found.membership, dtype=np.int64)
    q = float(h.modularity(membership.tolist(), weights=weights)) if h.ecount() else math.nan
    return membership, q


def _leiden(proj: nx.Graph, weight: str | None, objective: str, resolution: float, seed: int,
            engine: str) -> pd.DataFrame:
    nodes = sorted(proj, key=str)
    membership, q = _run(proj, weight, objective, resolution, seed, engine)
    community, sizes = _renumber(membership, nodes)
    meta = [_describe(proj, v) for v in nodes]
    df = pd.DataFrame({"id": [str(v) for v in nodes], "name": [m[0] for m in meta], "family": [m[1] for m in meta],
                       "country": [m[2] for m in meta], "community": community})
    df["community_size"] = sizes[community]
    labels = [community_label([meta[i][2] for i in idx], [meta[i][1] for i in idx])
              for idx in _groups(community, len(sizes))]
    df["label"] = [labels[c] for c in community.tolist()]
    df.attrs.update(method="leiden", engine=engine, modularity=q, n_communities=len(sizes), seed=seed,
                    resolution=resolution, objective=objective, weight=weight)
    return df


def adjusted_rand_index(a: Iterable, b: Iterable) -> float:
    """Hubert & Arabie's adjusted Rand index of two partitions of the same items (1 = identical, ~0 = chance).

    Computed from the sparse contingency table of the two labellings (scipy), in linear time.

    References
    ----------
    .. [1] L. Hubert and P. Arabie, "Comparing partitions", Journal of Classification 2, 193–218 (1985).

    >>> adjusted_rand_index([0, 0, 1, 1], [5, 5, 7, 7]), round(adjusted_rand_index([0, 0, 1, 1], [0, 1, 0, 1]), 9)
    (1.0, -0.5)
    """
    _, x = np.unique(np.asarray(list(a)), return_inverse=True)
    _, y = np.unique(np.asarray(list(b)), return_inverse=True)
    if len(x) != len(y):
        raise PartnetError("the two partitions cover different numbers of items", hint="compare the same actors")
    n = len(x)
    table = sp.coo_matrix((np.ones(n), (x, y))).tocsr()
    table.sum_duplicates()

    def pairs(v: np.ndarray) -> float:
        return float((v * (v - 1) / 2).sum())

    index = pairs(table.data)
    rows, cols = pairs(np.asarray(table.sum(axis=1)).ravel()), pairs(np.asarray(table.sum(axis=0)).ravel())
    total = n * (n - 1) / 2
    expected = rows * cols / total if total else 0.0
    top = (rows + cols) / 2
    return 1.0 if top == expected else float((index - expected) / (top - expected))


def stability(g: nx.Graph, method: str = "leiden", *, seeds: Iterable[int] = range(10), weight: str | None = "weight",
              objective: str = "modularity", resolution: float = 1.0, engine: str = "igraph") -> dict:
    """How much the communities depend on the random seed: the mean adjusted Rand index across seeds.

    Runs `leiden` (or `analysis.communities.louvain`) once per seed and compares every pair of
    partitions with `adjusted_rand_index`.

    Returns
    -------
    dict
        ``mean_ari``, ``min_ari`` (over all pairs of seeds), ``runs``, ``n_communities`` (the
        smallest and largest count over the runs) and ``method``.

    References
    ----------
    .. [1] L. Hubert and P. Arabie, "Comparing partitions", Journal of Classification 2, 193–218 (1985).
    """
    proj = as_actor_graph(g)
    seeds = list(seeds)
    if len(seeds) < 2:
        raise PartnetError("stability needs at least two seeds", hint="give e.g. seeds=range(10)")
    frames = [_partition(proj, method, weight=weight, objective=objective, resolution=resolution, seed=s,
                         engine=engine) for s in seeds]
    labels = [f["community"].to_numpy() for f in frames]
    aris = [adjusted_rand_index(labels[x], labels[y]) for x in range(len(labels)) for y in range(x + 1, len(labels))]
    counts = [int(f.attrs.get("n_communities", 0)) for f in frames]
    return {"method": method, "runs": len(seeds), "mean_ari": float(np.mean(aris)), "min_ari": float(np.min(aris)),
            "n_communities": (min(counts), max(counts))}


def labelled_communities(g: nx.Graph, frame: pd.DataFrame, *, weight: str | None = "weight") -> pd.DataFrame:
    """One row per community of ``frame`` (`leiden` or `louvain`), labelled by its dominant country and
    family plus its best-connected member.

    Returns
    -------
    pandas.DataFrame
        ``community, size, share, label`` ("IT/BE · authorities — City of Liège"), ``best_connected``
        (id of the member with the largest total tie weight inside the community, ties by id),
        ``dominant_country``, ``country_share``, ``dominant_family``, ``family_share``,
        ``internal_ties``, ``external_ties`` (see `analysis.communities.community_summary`).
    """
    proj = as_actor_graph(g)
    summary = community_summary(proj, frame).drop(columns=["members", "countries", "families"])
    nodes, a = adjacency(proj, weight)
    comm = dict(zip(frame["id"].astype(str), frame["community"].astype(np.int64), strict=True))
    of = np.array([comm.get(str(v), -1) for v in nodes], dtype=np.int64)
    coo = a.tocoo()
    inside = (of[coo.row] == of[coo.col]) & (coo.row != coo.col)
    strength = np.bincount(coo.row[inside], weights=coo.data[inside], minlength=len(nodes))
    order = np.lexsort((np.arange(len(nodes)), -strength, of))  # by community, strongest first, then id
    first = order[np.r_[True, of[order][1:] != of[order][:-1]]] if len(order) else order
    best = {int(of[k]): k for k in first.tolist() if of[k] >= 0}
    names = {str(v): _describe(proj, v)[0] for v in nodes}
    ids = [str(nodes[best[c]]) if c in best else "" for c in summary["community"]]
    summary.insert(4, "best_connected", ids)
    summary["label"] = [f"{lab} — {names.get(i, i)}" if i else lab for lab, i in zip(summary["label"], ids,
                                                                                         strict=True)]
    summary.attrs.update(frame.attrs)
    return summary


def _partition(proj: nx.Graph, method: str, *, weight: str | None, objective: str, resolution: float,
               seed: int, engine: str) -> pd.DataFrame:
    if method == "leiden":
        return leiden(proj, weight=weight, objective=objective, resolution=resolution, seed=seed, engine=engine)
    if method == "louvain":
        from analysis.communities import louvain

        return louvain(proj, weight=weight, resolution=resolution, seed=seed)
    raise PartnetError(f"unknown community method {method!r}", hint="use leiden or louvain")
