"""Shortest-path betweenness (hop counts): exact by Brandes' algorithm up to ``exact_max_nodes``
nodes, estimated from seeded sampled sources above, both as batched breadth-first searches in
sparse-matrix products.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import scipy.sparse as sp

from analysis._sampling import EXACT_MAX_NODES, sample_size
from analysis.projection import adjacency

__all__ = [
    "betweenness",
]


def betweenness(
    g: nx.Graph, *, exact_max_nodes: int = EXACT_MAX_NODES, k: int | None = None, seed: int = 0,
    normalized: bool = True,
) -> tuple[dict, str, int]:
    """Shortest-path betweenness (hop counts), exact or source-sampled.

    Parameters
    ----------
    g : networkx.Graph
        Undirected; edge weights are ignored.
    exact_max_nodes : int
        Exact (all sources) up to this many nodes; above, ``k`` sources drawn with ``seed``.
    k : int or None
        Number of sources when sampling (default `sample_size` of the adjacency matrix).
    seed : int
    normalized : bool
        Divide by the number of pairs of other nodes, (n - 1)(n - 2) / 2.

    Returns
    -------
    (dict, str, int)
        Betweenness per node, the method (``"exact"`` or ``"sampled"``) and the number of sources used.

    Notes
    -----
    Brandes' accumulation of pair dependencies, written as sparse-matrix × dense-matrix
    products that run a batch of breadth-first searches at once (the algebraic formulation of
    Kepner & Gilbert): forward, path counts ``σ`` advance one level per product ``A·X``;
    backward, dependencies ``δ(v) = Σ_w σ(v)/σ(w)·(1 + δ(w))`` return one level per product.
    Same values as ``networkx.betweenness_centrality`` (checked in the tests), at C speed.
    Cost O(k · m · D) for diameter D and ``k`` sources, memory a few n × 256 arrays.

    Sampling draws ``k`` sources uniformly (Brandes & Pich 2007) and uses the *linear scaling*
    estimator of Geisberger, Sanders & Schultes (2008): a source's dependency on ``v`` for the
    pair (s, t) is weighted by ``d(s, v) / d(s, t)``, which removes the overestimation of nodes
    near the sampled sources; the sum is scaled by ``n / k``. On 3,000-node scale-free graphs
    ``k = 1000`` puts the top-100 ranks in Spearman agreement of about 0.98 with the exact
    values. On graphs where the top values are nearly equal (Erdős–Rényi) ranks among the top
    stay noisy at any affordable ``k``: read them as tiers, not exact positions.

    References
    ----------
    .. [1] U. Brandes, "A faster algorithm for betweenness centrality", J. Math. Sociol. 25(2),
       163–177 (2001).
    .. [2] U. Brandes and C. Pich, "Centrality estimation in large networks", Int. J. Bifurcation
       and Chaos 17(7), 2303–2318 (2007).
    .. [3] R. Geisberger, P. Sanders and D. Schultes, "Better approximation of betweenness
       centrality", Proc. ALENEX 2008, 90–100.
    .. [4] J. Kepner and J. Gilbert (eds), *Graph Algorithms in the Language of Linear Algebra*,
       SIAM (2011), ch. 6.

    Examples
    --------
    >>> values, method, used = betweenness(nx.path_graph(3))
    >>> values, method, used
    ({0: 0.0, 1: 1.0, 2: 0.0}, 'exact', 3)
    """
    nodes = sorted(g, key=str)
    n = len(nodes)
    if n == 0:
        return {}, "exact", 0
    _, a = adjacency(g, None)
    a.data[:] = 1.0
    if n <= exact_max_nodes or (k is not None and k >= n):
        sources, method = np.arange(n), "exact"
    else:
        kk = min(n, k or sample_size(a.nnz))
        sources = np.sort(np.random.default_rng(seed).choice(n, size=kk, replace=False))
        method = "sampled"
    if method == "exact":  # every unordered pair is counted from both of its ends
        pairs = _dependencies(a, sources) / 2.0
    else:  # linear scaling: the two ends' shares of a pair add up to one
        pairs = _dependencies(a, sources, linear=True, single=True) * (n / len(sources))
    total = pairs * (2.0 / ((n - 1) * (n - 2)) if n > 2 else 0.0) if normalized else pairs
    return dict(zip(nodes, total.tolist(), strict=True)), method, len(sources)


# --- helpers -------------------------------------------------------------------------------------


def _dependencies(a: sp.csr_array, sources: np.ndarray, *, linear: bool = False,
                  max_cells: int = 4_000_000, single: bool = False) -> np.ndarray:
    """Sum over ``sources`` of Brandes' dependencies δ_s(v), by batched level-synchronous BFS.

    With ``linear``, the dependency on ``v`` of each pair (s, t) is weighted by d(s, v)/d(s, t)
    (Geisberger et al. 2008): the recursion becomes ``δ(v) = Σ_w σ(v)/σ(w) · d(v)/d(w) · (1 + δ(w))``.

    ``a`` is the symmetric 0/1 adjacency matrix. Sources are processed in batches of ``b``
    columns with ``n · b <= max_cells`` so that memory stays bounded (a few n × b arrays).
    With ``single``, the sparse products run in float32 on column-scaled operands (each column
    divided by its largest value, so path counts cannot overflow, and positive entries kept at
    1e-30 or more, so none underflows to "not reached"), about 1.6 times faster; the
    sums stay in float64. Used for sampled estimates, whose sampling error is far larger than
    float32's 1e-7 relative rounding.
    """
    n = a.shape[0]
    if single:
        a32 = a.astype(np.float32)

        def product(x: np.ndarray) -> np.ndarray:
            top = np.abs(x).max(axis=0)
            top[top == 0] = 1.0
            y = x / top
            y[(y > 0) & (y < 1e-30)] = 1e-30  # never round a reached node away (x is non-negative)
            return (a32 @ y.astype(np.float32)).astype(np.float64) * top
    else:
        def product(x: np.ndarray) -> np.ndarray:
            return a @ x

    total = np.zeros(n)
    b = int(max(1, min(256, max_cells // max(n, 1))))
    for start in range(0, len(sources), b):
        batch = sources[start:start + b]
        cols = np.arange(len(batch))
        sigma = np.zeros((n, len(batch)))
        depth = np.full((n, len(batch)), -1, dtype=np.int32)
        sigma[batch, cols] = 1.0
        depth[batch, cols] = 0
        frontier = sigma.copy()
        level = 0
        while True:  # forward: shortest-path counts, one level per product
            reached = product(frontier)
            new = (reached > 0) & (depth < 0)
            if not new.any():
                break
            level += 1
            frontier = np.where(new, reached, 0.0)
            depth[new] = level
            sigma += frontier
        delta = np.zeros_like(sigma)
        with np.errstate(divide="ignore", invalid="ignore"):
            for d in range(level, 0, -1):  # backward: dependencies, one level per product
                at_d = depth == d
                scale = (d - 1) / d if linear else 1.0
                coeff = np.where(at_d, scale * (1.0 + delta) / sigma, 0.0)
                pulled = product(coeff)
                parent = depth == d - 1
                delta[parent] += (sigma * pulled)[parent]
        delta[depth == 0] = 0.0  # a source is not between itself and others
        total += delta.sum(axis=1)
    return total
