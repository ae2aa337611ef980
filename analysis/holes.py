"""Burt's structural holes: constraint, effective size and efficiency of every actor.

Exact from networkx on graphs up to 2,000 nodes, by row batches of sparse products above (with a
work cap for the largest hubs). Everything works on the undirected actor network
(`analysis.projection.actor_projection`); the property graph may be passed instead and is
projected first.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis._actor_labels import _describe
from analysis.projection import Filters, adjacency, as_actor_graph

__all__ = [
    "structural_holes",
]

#: Graphs up to this many nodes get Burt's measures straight from networkx on the whole graph.
_HOLES_NX_MAX_NODES = 2000


def structural_holes(
    g: nx.Graph,
    filters: Filters | None = None,
    *,
    weight: str | None = None,
    max_work: int = 200_000_000,
) -> pd.DataFrame:
    """Burt's constraint, effective size and efficiency of every actor.

    Parameters
    ----------
    g : networkx.Graph or networkx.MultiDiGraph
        The actor projection, or the property graph (projected after ``filters``).
    filters : Filters or None
    weight : str or None, default None
        Edge attribute of tie strength (``"weight"``, ``"newman"``...); ``None`` counts ties.
    max_work : int, default 200,000,000
        Cost cap for large graphs, in two-step paths examined (see Notes).

    Returns
    -------
    pandas.DataFrame
        One row per actor, sorted by id: ``id, name, family, country, degree, constraint``
        (low = the actor spans structural holes), ``effective_size`` (non-redundant contacts),
        ``efficiency`` (effective size / degree) and ``computed`` (False where the cap left the
        value out). ``df.attrs["method"]`` says how the values were obtained.

    Notes
    -----
    Up to 2,000 nodes the values are ``networkx.constraint`` and ``networkx.effective_size``
    on the whole graph (the weighted effective size excepted: networkx's whole-graph shortcut
    normalises it along the wrong axis, networkx PR #8906, so it is evaluated as below; the
    tests check it against networkx's node-by-node formula). Above that, the same formulas are
    evaluated in row batches of sparse products — constraint ``c_i = Σ_j (p_ij + Σ_q p_iq p_qj)²``, effective size
    ``Σ_j (1 - Σ_q p_iq m_jq)`` — and only for actors with two or more contacts: with no
    contact both measures are undefined (NaN), with one contact both are exactly 1. The cost of
    an actor is the number of two-step paths leaving it (``Σ_{q ∈ N(i)} deg(q)``); actors are
    taken cheapest first until ``max_work`` is spent, and any left (the largest hubs of a huge
    network) get NaN and ``computed = False``.

    References
    ----------
    .. [1] R. S. Burt, *Structural Holes: The Social Structure of Competition*, Harvard
       University Press (1992).
    .. [2] S. P. Borgatti, "Structural holes: unpacking Burt's redundancy measures",
       Connections 20(1), 35–38 (1997).

    Examples
    --------
    A triangle with a tail: ``c`` bridges the tail to the triangle and is the least constrained.

    >>> g = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("c", "d")])
    >>> structural_holes(g)[["id", "constraint", "effective_size"]].round(3).values.tolist()
    [['a', 1.007, 1.0], ['b', 1.007, 1.0], ['c', 0.611, 2.333], ['d', 1.0, 1.0]]
    """
    proj = as_actor_graph(g, filters)
    nodes = sorted(proj, key=str)
    n = len(nodes)
    deg = np.array([proj.degree(v) for v in nodes], dtype=np.int64)
    computed = np.ones(n, dtype=bool)
    if n <= _HOLES_NX_MAX_NODES:
        h = _sorted_graph(proj, nodes)
        con = nx.constraint(h, weight=weight) if n else {}
        constraint = np.array([con[v] for v in nodes], dtype=float)
        if weight is None:
            eff = nx.effective_size(h) if n else {}
            effective = np.array([eff[v] for v in nodes], dtype=float)
        else:  # networkx's whole-graph weighted effective size normalises by the wrong axis (PR #8906)
            _, effective, _ = _holes_batched(proj, nodes, deg, weight=weight, max_work=2**62)
        method = "networkx.structuralholes on the whole graph"
    else:
        constraint, effective, computed = _holes_batched(proj, nodes, deg, weight=weight, max_work=max_work)
        method = (f"batched sparse evaluation for actors with >= 2 contacts, work cap {max_work:,}; "
                  f"{int((~computed).sum())} left out")
    with np.errstate(divide="ignore", invalid="ignore"):
        efficiency = np.where(deg > 0, effective / np.maximum(deg, 1), np.nan)
    df = pd.DataFrame({"id": [str(v) for v in nodes]})
    meta = [_describe(proj, v) for v in nodes]
    df["name"] = [m[0] for m in meta]
    df["family"] = [m[1] for m in meta]
    df["country"] = [m[2] for m in meta]
    df["degree"] = deg
    df["constraint"] = constraint
    df["effective_size"] = effective
    df["efficiency"] = efficiency
    df["computed"] = computed
    df.attrs["method"] = method
    return df


# --- helpers -------------------------------------------------------------------------------------


def _sorted_graph(g: nx.Graph, nodes: list) -> nx.Graph:
    if list(g) == nodes:
        return g
    h = nx.Graph()
    h.add_nodes_from(nodes)
    h.add_edges_from(g.edges(data=True))
    return h


def _holes_batched(
    g: nx.Graph, nodes: list, deg: np.ndarray, *, weight: str | None, max_work: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Constraint and effective size by row batches of sparse products (see `structural_holes`)."""
    n = len(nodes)
    _, w = adjacency(g, weight, nodelist=nodes)
    w.setdiag(0)
    w.eliminate_zeros()
    mutual = (w + w.T).tocsr()
    rowsum = np.asarray(mutual.sum(axis=1)).ravel()
    rowmax = mutual.max(axis=1).toarray().ravel()
    with np.errstate(divide="ignore"):
        inv_sum = np.where(rowsum > 0, 1.0 / rowsum, 0.0)
        inv_max = np.where(rowmax > 0, 1.0 / rowmax, 0.0)
    p = (sp.diags(inv_sum) @ mutual).tocsr()  # p_ij: share of i's ties going to j
    # Both two-step sums come from one product: Σ_q p_iq p_qj = (P diag(1/rowsum) M)_ij and
    # Σ_q p_iq m_jq = (P M)_ij / rowmax_j (M symmetric, m_jq = M_jq / rowmax_j). With the complex
    # middle factor diag(1/rowsum + i), (P · that · M) carries the first in its real part and
    # the second (before the column scaling) in its imaginary part: one sparse product, not two.
    both = (sp.diags(inv_sum + 1j) @ mutual).tocsr()
    constraint = np.full(n, np.nan)
    effective = np.full(n, np.nan)
    computed = np.ones(n, dtype=bool)  # False only where the cap leaves a value out
    constraint[deg == 1] = 1.0
    effective[deg == 1] = 1.0
    candidates = np.flatnonzero(deg >= 2)
    binary = (mutual > 0).astype(float)
    work = np.asarray(binary[candidates] @ deg.astype(float)).ravel() if len(candidates) else np.zeros(0)
    order = candidates[np.argsort(work, kind="stable")]
    cost = np.cumsum(np.sort(work, kind="stable"))
    keep = order[cost <= max_work]
    computed[order[cost > max_work]] = False
    batch_budget = 5_000_000
    start = 0
    sorted_work = np.sort(work, kind="stable")
    while start < len(keep):
        acc, stop = 0.0, start
        while stop < len(keep) and (stop == start or acc + sorted_work[stop] <= batch_budget):
            acc += sorted_work[stop]
            stop += 1
        rows = keep[start:stop]
        pr = p[rows]
        mask = (pr > 0).astype(float)
        two = (pr @ both).multiply(mask).tocsr()  # only the pairs (i, j) with j a contact of i
        local = pr + two.real  # pr lies inside the mask
        constraint[rows] = np.asarray(local.multiply(local).sum(axis=1)).ravel()
        redundancy = two.imag @ sp.diags(inv_max)
        effective[rows] = deg[rows] - np.asarray(redundancy.sum(axis=1)).ravel()
        start = stop
    return constraint, effective, computed
