"""Who is central: degree, weighted degree, betweenness, closeness, eigenvector and PageRank per actor,
and the two-mode (bipartite) centralities of actors and partnerships.

Betweenness and closeness cost one breadth-first search per node. Up to ``exact_max_nodes``
(default 2,000) nodes they are exact; above it they are estimated from ``k`` sources drawn with a
fixed seed, and the method used is reported with the result (``df.attrs`` and a column) so that a
table never passes an estimate off as exact.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
import scipy.sparse.csgraph as csgraph
import scipy.sparse.linalg as spla
from networkx.algorithms import bipartite

from analysis.memo import per_graph
from analysis.projection import Filters, adjacency, as_actor_graph, bipartite_graph

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

#: Betweenness and closeness are exact up to this many nodes, sampled above.
EXACT_MAX_NODES = 2000
#: Largest number of sampled sources (betweenness) or pivots (closeness) above the threshold.
DEFAULT_SAMPLE_SIZE = 1000
#: Fewest sources or pivots a sample may shrink to on a very large network.
MIN_SAMPLE_SIZE = 50
#: Work allowed to a default sample, in (sources x stored adjacency entries): one breadth-first
#: search touches every tie, so a network of a million ties gets 200 sources, one of 3 million 66.
SAMPLE_WORK = 200_000_000


def sample_size(entries: int) -> int:
    """Default number of sampled sources or pivots for an adjacency matrix with ``entries`` stored entries.

    `DEFAULT_SAMPLE_SIZE` while the work ``k · entries`` fits `SAMPLE_WORK`, shrinking in
    proportion above (never below `MIN_SAMPLE_SIZE`), so that the cost of a sampled estimate
    stays bounded as the network grows; the size used is always reported with the result.

    >>> sample_size(10_000), sample_size(1_000_000), sample_size(3_200_000), sample_size(10**9)
    (1000, 200, 62, 50)
    """
    return int(min(DEFAULT_SAMPLE_SIZE, max(MIN_SAMPLE_SIZE, SAMPLE_WORK // max(entries, 1))))

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


def eigenvector(g: nx.Graph, *, weight: str | None = "weight") -> dict:
    """Eigenvector centrality, computed per connected component so that it is defined on any graph.

    Parameters
    ----------
    g : networkx.Graph
    weight : str or None
        Edge attribute used as tie strength (``None``: every tie counts 1).

    Returns
    -------
    dict
        Node -> centrality (non-negative). Isolated nodes get 0.

    Notes
    -----
    The principal eigenvector of the adjacency matrix of each component (scipy ``eigsh``,
    deterministic start vector), taken non-negative and scaled to Euclidean norm
    ``sqrt(r / n)`` for a component of ``r`` of the ``n`` nodes: without isolated nodes the whole
    vector has norm 1, on a connected graph it equals ``networkx.eigenvector_centrality_numpy``, and on a disconnected
    one each component keeps its internal ranking instead of collapsing to zero outside the
    component with the largest eigenvalue (which power iteration on the whole graph does).

    References
    ----------
    .. [1] P. Bonacich, "Factoring and weighting approaches to status scores and clique
       identification", J. Math. Sociol. 2(1), 113–120 (1972).
    """
    nodes = sorted(g, key=str)
    n = len(nodes)
    values = np.zeros(n)
    if n:
        _, a = adjacency(g, weight)
        n_comp, labels = csgraph.connected_components(a, directed=False)
        order = np.argsort(labels, kind="stable")
        bounds = np.concatenate(([0], np.cumsum(np.bincount(labels, minlength=n_comp))))
        for c in range(n_comp):
            idx = order[bounds[c]:bounds[c + 1]]
            r = len(idx)
            if r < 2:
                continue
            sub = a[idx][:, idx]
            if r <= 64:
                _, vecs = np.linalg.eigh(sub.toarray())
                vec = vecs[:, -1]
            else:
                _, vecs = spla.eigsh(sub, k=1, which="LA", v0=np.ones(r), tol=1e-10, maxiter=10_000)
                vec = vecs[:, 0]
            vec = np.abs(vec)
            values[idx] = vec * (math.sqrt(r / n) / np.linalg.norm(vec))
    return dict(zip(nodes, values.tolist(), strict=True))


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


def _pagerank(w: sp.csr_array, *, alpha: float = 0.85, tol: float = 1e-10, max_iter: int = 10_000) -> np.ndarray:
    """PageRank of the nodes of the weighted adjacency matrix ``w`` (rows: out-ties), uniform teleport.

    The power iteration of ``networkx.pagerank`` (Page et al. 1999): each step spreads a node's
    score over its ties in proportion to their weight, gives the score of nodes without ties
    (dangling) to every node equally, damps by ``alpha`` and stops when the L1 change is below
    ``n · tol``.
    """
    n = w.shape[0]
    out = np.asarray(w.sum(axis=1)).ravel()
    inv = np.zeros(n)
    np.divide(1.0, out, out=inv, where=out != 0)
    step = (sp.diags_array(inv) @ w).T.tocsr()  # x @ (D⁻¹ W) as a product with the transpose
    dangling = out == 0
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        last = x
        x = alpha * (step @ x + x[dangling].sum() / n) + (1 - alpha) / n
        if np.abs(x - last).sum() < n * tol:
            return x
    raise nx.PowerIterationFailedConvergence(max_iter)


def _bipartite_betweenness_max(n: int, m: int) -> float:
    """Largest possible (unnormalised) betweenness of a node on the side of ``n`` nodes facing ``m``.

    Borgatti & Everett (1997): with ``n - 1 = s·m + t`` (0 <= t < m), the bound is
    ``[m²(s+1)² + m(s+1)(2t - s - 1) - t(2s - t + 3)] / 2``.
    """
    if m == 0:
        return 0.0
    s, t = divmod(n - 1, m)
    return (m * m * (s + 1) ** 2 + m * (s + 1) * (2 * t - s - 1) - t * (2 * s - t + 3)) / 2.0


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
