"""The disparity-filter backbone of a weighted network (Serrano, Boguñá & Vespignani 2009).

A tie is kept when its weight is a significant share of the strength of at least one of its two
ends, against the null model of a node's strength split uniformly at random over its ties.
Applied to the weighted actor projection (`analysis.tie_weights`) it declutters the hairballs
that large consortia make; applied to the country network (`analysis.countries`) it keeps the
dominant country pairs.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis.matrices import adjacency
from graph.errors import PartnetError

__all__ = ["backbone", "backbone_ties", "country_backbone_edges", "disparity_pvalues"]


def disparity_pvalues(n: int, i: np.ndarray, j: np.ndarray, w: np.ndarray) -> np.ndarray:
    """The disparity filter's p-value of every tie (i[k], j[k]) of weight w[k] in an undirected graph of n nodes.

    Parameters
    ----------
    n : int
        Number of nodes (indices ``0 .. n-1``).
    i, j : numpy.ndarray of int
        The ends of each tie (each undirected tie once, no self-loops).
    w : numpy.ndarray of float
        Positive weights.

    Returns
    -------
    numpy.ndarray
        ``min(α_i, α_j)`` per tie, where for an end ``x`` of degree ``k_x`` and strength ``s_x``,
        ``α_x = (1 - w / s_x) ** (k_x - 1)``: the probability that a uniform random split of
        ``s_x`` over ``k_x`` ties gives one tie a share at least ``w / s_x``. An end of degree 1
        gives ``α = 1`` (its one tie carries all its strength by construction, which signals
        nothing); a tie is in the backbone at level ``alpha`` when the returned value is ``< alpha``.

    Notes
    -----
    Vectorised: degrees and strengths are two ``bincount`` calls, so the cost is linear in the
    number of ties.

    References
    ----------
    .. [1] M. Á. Serrano, M. Boguñá and A. Vespignani, "Extracting the multiscale backbone of
       complex weighted networks", PNAS 106(16), 6483–6488 (2009).

    Examples
    --------
    A star with weights 8, 1, 1 around node 0: the heavy tie has α = (1 - 0.8)² = 0.04 at node 0.

    >>> disparity_pvalues(4, np.array([0, 0, 0]), np.array([1, 2, 3]), np.array([8.0, 1.0, 1.0])).round(3).tolist()
    [0.04, 0.81, 0.81]
    """
    i, j, w = np.asarray(i, dtype=np.int64), np.asarray(j, dtype=np.int64), np.asarray(w, dtype=float)
    if len(w) and (w <= 0).any():
        raise PartnetError("the disparity filter needs positive tie weights",
                           hint="drop zero-weight ties first, or choose another tie weight")
    ends = np.concatenate([i, j])
    k = np.bincount(ends, minlength=n).astype(float)
    s = np.bincount(ends, weights=np.concatenate([w, w]), minlength=n)

    def alpha(x: np.ndarray) -> np.ndarray:
        out = np.ones(len(x))
        many = k[x] > 1
        out[many] = (1.0 - w[many] / s[x[many]]) ** (k[x[many]] - 1.0)
        return out

    return np.minimum(alpha(i), alpha(j))


def backbone(g: nx.Graph, alpha: float = 0.05, *, weight: str = "weight") -> nx.Graph:
    """The disparity-filter backbone of undirected weighted graph ``g`` at significance ``alpha``.

    Parameters
    ----------
    g : networkx.Graph
        An actor projection (e.g. `analysis.tie_weights.weighted_projection`) or a country network.
    alpha : float, default 0.05
        Keep ties whose p-value (`disparity_pvalues`) is below ``alpha``; smaller keeps fewer.
    weight : str, default "weight"
        The edge attribute holding the (positive) weights.

    Returns
    -------
    networkx.Graph
        Every node of ``g`` with its attributes, and the kept ties with their attributes plus
        ``disparity_p`` (the tie's p-value). ``graph`` attributes ``alpha``, ``ties`` (of ``g``)
        and ``kept``.

    References
    ----------
    .. [1] M. Á. Serrano, M. Boguñá and A. Vespignani, "Extracting the multiscale backbone of
       complex weighted networks", PNAS 106(16), 6483–6488 (2009).
    """
    _check_alpha(alpha)
    nodes, a = adjacency(g, weight)
    up = sp.triu(a, k=1).tocoo()
    keep = up.data > 0
    i, j, w = up.row[keep].astype(np.int64), up.col[keep].astype(np.int64), up.data[keep]
    p = disparity_pvalues(len(nodes), i, j, w)
    sel = np.flatnonzero(p < alpha)
    out = nx.Graph()
    out.add_nodes_from(g.nodes(data=True))
    adj = g.adj
    for k in sel.tolist():
        u, v = nodes[i[k]], nodes[j[k]]
        out.add_edge(u, v, **adj[u][v], disparity_p=float(p[k]))
    out.graph.update(g.graph)
    out.graph.update(alpha=alpha, ties=int(len(w)), kept=int(len(sel)))
    return out


def backbone_ties(g: nx.Graph, alpha: float = 0.05, *, weight: str = "weight") -> pd.DataFrame:
    """The ties of ``g`` in its disparity-filter backbone at ``alpha``, most significant first.

    Parameters
    ----------
    g : networkx.Graph
        A weighted actor projection (`analysis.tie_weights.weighted_projection`).
    alpha : float
    weight : str

    Returns
    -------
    pandas.DataFrame
        ``actor_a, name_a, actor_b, name_b, weight, disparity_p`` sorted by p-value then ids;
        ``attrs``: ``alpha``, ``ties`` (all ties), ``kept``, ``actors_with_ties`` (actors with a
        backbone tie).

    References
    ----------
    .. [1] M. Á. Serrano, M. Boguñá and A. Vespignani, PNAS 106(16), 6483–6488 (2009).
    """
    _check_alpha(alpha)
    nodes, a = adjacency(g, weight)
    up = sp.triu(a, k=1).tocoo()
    pos = up.data > 0
    i, j, w = up.row[pos].astype(np.int64), up.col[pos].astype(np.int64), up.data[pos]
    p = disparity_pvalues(len(nodes), i, j, w)
    sel = p < alpha
    names = np.asarray([g.nodes[v].get("name") or str(v) for v in nodes], dtype=object)
    ids = np.asarray(nodes, dtype=object)
    out = pd.DataFrame({"actor_a": ids[i[sel]], "name_a": names[i[sel]], "actor_b": ids[j[sel]],
                        "name_b": names[j[sel]], "weight": w[sel], "disparity_p": p[sel]})
    out = out.sort_values(["disparity_p", "actor_a", "actor_b"], kind="stable").reset_index(drop=True)
    out.attrs.update(alpha=alpha, ties=int(len(w)), kept=int(sel.sum()),
                     actors_with_ties=int(len(np.union1d(i[sel], j[sel]))))
    return out


def country_backbone_edges(g: nx.MultiDiGraph, alpha: float = 0.05, *, weight: str = "participations",
                           only: str | Iterable[str] | None = None) -> pd.DataFrame:
    """The country pairs (`analysis.countries.country_edges`) in the disparity-filter backbone at ``alpha``.

    Returns the rows of `country_edges` whose p-value is below ``alpha``, with a ``disparity_p``
    column; ``attrs`` ``alpha``, ``ties`` and ``kept``.

    References
    ----------
    .. [1] M. Á. Serrano, M. Boguñá and A. Vespignani, PNAS 106(16), 6483–6488 (2009).
    """
    _check_alpha(alpha)
    from analysis.countries import country_edges

    edges = country_edges(g, weight, only=only)
    names = sorted(set(edges["country_a"]) | set(edges["country_b"]))
    index = {c: k for k, c in enumerate(names)}
    p = disparity_pvalues(len(names), edges["country_a"].map(index).to_numpy(dtype=np.int64),
                          edges["country_b"].map(index).to_numpy(dtype=np.int64),
                          edges["weight"].to_numpy(dtype=float))
    out = edges.assign(disparity_p=p)[p < alpha].reset_index(drop=True)
    out.attrs.update(edges.attrs, alpha=alpha, ties=len(edges), kept=len(out))
    return out


def _check_alpha(alpha: float) -> None:
    if not 0 < alpha <= 1:
        raise PartnetError(f"backbone significance {alpha!r} is not in (0, 1]", hint="give e.g. 0.05")
