"""Closeness centrality (Wasserman–Faust variant for disconnected graphs): exact distance sums per
component up to ``exact_max_nodes`` nodes, pivot estimates above, from batched breadth-first
searches. The distance sums also serve the two-mode closeness of `analysis.centrality`.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import scipy.sparse as sp
import scipy.sparse.csgraph as csgraph

from analysis._sampling import EXACT_MAX_NODES, sample_size
from analysis.projection import adjacency

__all__ = [
    "closeness",
]


def closeness(
    g: nx.Graph, *, exact_max_nodes: int = EXACT_MAX_NODES, k: int | None = None, seed: int = 0
) -> tuple[dict, str, int]:
    """Closeness centrality (Wasserman–Faust variant for disconnected graphs), exact or pivot-estimated.

    Parameters
    ----------
    g : networkx.Graph
    exact_max_nodes : int
        Components up to this many nodes are computed exactly; larger ones are estimated.
    k : int or None
        Number of pivots per large component (default `sample_size` of the component).
    seed : int

    Returns
    -------
    (dict, str, int)
        Closeness per node, the method (``"exact"`` or ``"sampled"``) and the number of pivots
        (0 when exact).

    Notes
    -----
    ``C(v) = (r - 1)/(n - 1) · (r - 1)/Σ_u d(v, u)`` where the sum runs over the ``r`` nodes of
    ``v``'s component: the same values as ``networkx.closeness_centrality`` (``wf_improved=True``).
    Distances come from breadth-first searches in scipy (``scipy.sparse.csgraph``). In a component
    larger than ``exact_max_nodes`` the distance sum of every node is estimated from ``k``
    pivots drawn with ``seed``: ``Σ_u d(v, u) ≈ r/k · Σ_p d(v, p)`` (Eppstein & Wang 2004).

    References
    ----------
    .. [1] S. Wasserman and K. Faust, *Social Network Analysis*, Cambridge University Press (1994).
    .. [2] D. Eppstein and J. Wang, "Fast approximation of centrality", J. Graph Algorithms
       Appl. 8(1), 39–45 (2004).

    Examples
    --------
    >>> closeness(nx.path_graph(3))
    ({0: 0.666..., 1: 1.0, 2: 0.666...}, 'exact', 0)
    """
    nodes = sorted(g, key=str)
    n = len(nodes)
    if n == 0:
        return {}, "exact", 0
    totals, reach, used_k = _distance_sums(g, nodes, exact_max_nodes=exact_max_nodes, k=k, seed=seed)
    values = np.zeros(n)
    ok = (totals > 0) & (reach > 1)
    if n > 1:
        values[ok] = (reach[ok] - 1) / totals[ok] * (reach[ok] - 1) / (n - 1)
    return dict(zip(nodes, values.tolist(), strict=True)), ("sampled" if used_k else "exact"), used_k


# --- helpers -------------------------------------------------------------------------------------


def _hop_sums(a: sp.spmatrix, sources: np.ndarray, *, max_cells: int = 4_000_000) -> np.ndarray:
    """For every node, the sum of its hop distances to ``sources`` (all in one connected component).

    Level-synchronous breadth-first searches from a batch of sources at once: the frontier of
    each search is a 0/1 column, and one sparse product per level (float32: the entries are
    counts of frontier neighbours, exact) finds the next level for the whole batch. Same sums
    as ``scipy.sparse.csgraph.shortest_path(unweighted=True)`` from each source, about twice as
    fast on a million ties because the product runs over all sources of a batch together.
    """
    n = a.shape[0]
    a32 = sp.csr_matrix(a, dtype=np.float32)
    acc = np.zeros(n)
    b = int(max(1, min(256, max_cells // max(n, 1))))
    for start in range(0, len(sources), b):
        batch = sources[start:start + b]
        seen = np.zeros((n, len(batch)), dtype=bool)
        seen[batch, np.arange(len(batch))] = True
        frontier = seen.astype(np.float32)
        level = 0
        while True:
            new = ((a32 @ frontier) > 0) & ~seen
            if not new.any():
                break
            level += 1
            seen |= new
            acc += level * new.sum(axis=1)
            frontier = new.astype(np.float32)
    return acc


def _distance_sums(
    g: nx.Graph, nodes: list, *, exact_max_nodes: int, k: int | None, seed: int
) -> tuple[np.ndarray, np.ndarray, int]:
    """Per node (in ``nodes`` order): sum of hop distances to its component, component size, pivots used.

    Components up to ``exact_max_nodes`` nodes are solved exactly, batched into block-diagonal
    groups of at most that many nodes; larger ones from ``k`` seeded pivots.
    """
    n = len(nodes)
    _, a = adjacency(g, None, nodelist=nodes)
    n_comp, labels = csgraph.connected_components(a, directed=False)
    sizes = np.bincount(labels, minlength=n_comp)
    reach = sizes[labels].astype(float)
    totals = np.zeros(n)
    rng = np.random.default_rng(seed)
    used_k = 0
    order = np.argsort(labels, kind="stable")
    starts = np.concatenate(([0], np.cumsum(sizes)))
    batch: list[np.ndarray] = []
    batch_size = 0

    def flush() -> None:
        nonlocal batch, batch_size
        if batch:
            idx = np.concatenate(batch)
            sub = a[idx][:, idx]
            dist = csgraph.shortest_path(sub, method="D", unweighted=True, directed=False)
            dist[np.isinf(dist)] = 0.0
            totals[idx] = dist.sum(axis=1)
        batch, batch_size = [], 0

    for c in range(n_comp):
        members = order[starts[c]:starts[c + 1]]
        r = len(members)
        if r < 2:
            continue
        if r <= exact_max_nodes:
            if batch_size + r > exact_max_nodes:
                flush()
            batch.append(members)
            batch_size += r
            continue
        sub = a[members][:, members]
        kc = min(r, k or sample_size(sub.nnz))
        if kc < r:
            used_k = max(used_k, kc)
        pivots = np.sort(rng.choice(members, size=kc, replace=False))
        piv_local = np.searchsorted(members, pivots)  # members are sorted (a stable argsort of labels)
        acc = _hop_sums(sub, piv_local)
        totals[members] = acc * r / kc if kc < r else acc
    flush()
    return totals, reach, used_k
