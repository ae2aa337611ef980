"""The sparse core of the projections: the actor × partnership incidence matrix, the tie pairs of the
projection products, and the symmetric adjacency matrix of a graph in a node order.

`incidence_matrix` is the ``B`` every projection is computed from (``B Bᵀ`` for actors, ``Bᵀ B`` for
partnerships, in `analysis.projection`); `adjacency` gives an undirected graph's nodes (sorted by
``str``, or a given order) and its CSR matrix in that order, the form every sparse analysis reads.
The private helpers here (`_actor_edges`, `_incidence`, `_upper_pairs`, `_projection_pairs`) are the
building blocks `analysis.projection` builds its NetworkX graphs from. A shared projection keeps its
ties under the memo key ``("pairs",)`` (see `analysis.projection.actor_projection`); `adjacency`
reads them from there. Import these names from ``analysis.projection`` as before or from here.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import scipy.sparse as sp

from analysis.filters import Filters, actor_ids, filter_graph, partnership_ids
from analysis.memo import peek, per_graph

__all__ = ["adjacency", "incidence_matrix"]

# --------------------------------------------------------------------------- incidence


def incidence_matrix(
    g: nx.MultiDiGraph, filters: Filters | None = None
) -> tuple[sp.csr_matrix, list[str], list[str]]:
    """The actor × partnership incidence matrix of the MEMBER_OF ties.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph.
    filters : Filters or None
        Applied first with `filter_graph`.

    Returns
    -------
    (scipy.sparse.csr_matrix, list of str, list of str)
        ``B`` of shape (actors, partnerships) with ``B[i, j] = 1`` when actor ``i`` is a member of
        partnership ``j`` (a float64 0/1 matrix), the actor ids (rows, sorted) and the partnership
        ids (columns, sorted).

    Examples
    --------
    >>> from graph.model import Actor, Dataset, Membership, Partnership
    >>> from graph.convert import dataset_to_graph
    >>> ds = Dataset(actors=[Actor(x, x, "ngo") for x in "ab"],
    ...              partnerships=[Partnership(x, x, "project") for x in "pq"],
    ...              memberships=[Membership("a", "p"), Membership("b", "p"), Membership("b", "q")])
    >>> b, actors, parts = incidence_matrix(dataset_to_graph(ds))
    >>> actors, parts, b.toarray().tolist()
    (['a', 'b'], ['p', 'q'], [[1.0, 0.0], [1.0, 1.0]])
    """
    if filters is None or filters.is_empty:
        b, actors, parts = per_graph(g, ("incidence",), lambda: _incidence_of(g))
        return b.copy(), list(actors), list(parts)
    return _incidence_of(filter_graph(g, filters))


def _incidence_of(h: nx.MultiDiGraph) -> tuple[sp.csr_matrix, list[str], list[str]]:
    actors, parts = actor_ids(h), partnership_ids(h)
    return _incidence(h, actors, parts), actors, parts


def _actor_edges(h: nx.MultiDiGraph, actors: list[str], parts: list[str]) -> tuple[np.ndarray, ...]:
    """Index pairs of the MEMBER_OF (actor, partnership) and LINKED_TO (actor, actor) edges of ``h``.

    One pass over the out-edges of the actors only (both types leave an actor), reading each
    edge's ``type`` from the graph's own adjacency dicts; self-links are left out.
    """
    row_of = {a: i for i, a in enumerate(actors)}
    col_of = {p: j for j, p in enumerate(parts)}
    m_rows, m_cols, l_rows, l_cols = [], [], [], []
    adj = h._adj  # the raw dict of dicts behind h.adj (no view objects per access)
    for a, i in row_of.items():
        for v, keyed in adj[a].items():
            for d in keyed.values():
                t = d.get("type")
                if t == "MEMBER_OF":
                    j = col_of.get(v)
                    if j is not None:
                        m_rows.append(i)
                        m_cols.append(j)
                elif t == "LINKED_TO" and v != a:
                    k = row_of.get(v)
                    if k is not None:
                        l_rows.append(i)
                        l_cols.append(k)
    return tuple(np.asarray(x, dtype=np.int64) for x in (m_rows, m_cols, l_rows, l_cols))


def _incidence(h: nx.MultiDiGraph, actors: list[str], parts: list[str],
               edges: tuple[np.ndarray, ...] | None = None) -> sp.csr_matrix:
    m_rows, m_cols, _, _ = edges if edges is not None else _actor_edges(h, actors, parts)
    b = sp.csr_matrix((np.ones(len(m_rows)), (m_rows, m_cols)), shape=(len(actors), len(parts)))
    b.sum_duplicates()
    b.data[:] = 1.0  # a repeated tie counts once
    return b


# --------------------------------------------------------------------------- tie pairs of the products


def _upper(m: sp.spmatrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows, columns (i < j, sorted by (i, j)) and values of the nonzeros above the diagonal of ``m``."""
    u = sp.triu(m, k=1).tocsr()
    u.eliminate_zeros()
    u.sort_indices()
    rows = np.repeat(np.arange(u.shape[0], dtype=np.int64), np.diff(u.indptr))
    return rows, u.indices.astype(np.int64), u.data


def _upper_pairs(*mats: sp.spmatrix) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """Row/col indices (i < j) of the union of the mats' nonzeros above the diagonal, each mat's values there.

    The mats are symmetric and non-negative; pairs come out sorted by (i, j). Mats with the same
    pattern (the shared-count and Newman products) are aligned directly; others are merged on
    the pair key ``i · n + j``.
    """
    n = mats[0].shape[0]
    ups = [_upper(m) for m in mats]
    i, j = ups[0][0], ups[0][1]
    if all(np.array_equal(u[0], i) and np.array_equal(u[1], j) for u in ups[1:]):
        return i, j, [u[2] for u in ups]
    keys = [u[0] * n + u[1] for u in ups]
    union, inverse = np.unique(np.concatenate(keys), return_inverse=True)
    values, start = [], 0
    for k, u in zip(keys, ups, strict=True):
        values.append(np.bincount(inverse[start:start + len(k)], weights=u[2], minlength=len(union)))
        start += len(k)
    return union // n, union % n, values


def _projection_pairs(shared: sp.spmatrix, newman: sp.spmatrix, links: sp.spmatrix | None
                      ) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """Ties (i < j, sorted) of the projection with their shared count, Newman weight and link count.

    The shared-count and Newman products have the same pattern (a shared partnership has two
    members or more, so its Newman term is positive); links are merged in with one sparse sum
    that carries the link count in the high part of each value (shared counts stay below 2**26).
    """
    su, nu = sp.triu(shared, k=1).tocsr(), sp.triu(newman, k=1).tocsr()
    for m in (su, nu):
        m.eliminate_zeros()
        m.sort_indices()
    if not (np.array_equal(su.indptr, nu.indptr) and np.array_equal(su.indices, nu.indices)):
        return _general_pairs(shared, newman, links)
    if links is None:
        rows = np.repeat(np.arange(su.shape[0], dtype=np.int64), np.diff(su.indptr))
        return rows, su.indices.astype(np.int64), [su.data, nu.data, np.zeros(len(su.data))]
    big = float(2 ** 26)
    lu = sp.triu(links, k=1).tocsr()
    both = (su + lu * big).tocsr()
    both.sort_indices()
    lk = np.floor(both.data / big)
    s = both.data - lk * big
    nw = np.zeros(len(s))
    nw[s > 0] = nu.data  # the shared entries, in the same (i, j) order
    rows = np.repeat(np.arange(both.shape[0], dtype=np.int64), np.diff(both.indptr))
    return rows, both.indices.astype(np.int64), [s, nw, lk]


def _general_pairs(shared: sp.spmatrix, newman: sp.spmatrix, links: sp.spmatrix | None
                   ) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    mats = [shared, newman] + ([links] if links is not None else [])
    i, j, values = _upper_pairs(*mats)
    return i, j, values if links is not None else [*values, np.zeros(len(i))]


# --------------------------------------------------------------------------- adjacency in a node order


def _symmetric(n: int, i: np.ndarray, j: np.ndarray, values: np.ndarray | None) -> sp.csr_array:
    """The symmetric n × n CSR matrix with ``values`` (1 when None) at (i, j) and (j, i)."""
    data = np.ones(len(i)) if values is None else np.asarray(values, dtype=float)
    m = sp.csr_array((np.concatenate([data, data]), (np.concatenate([i, j]), np.concatenate([j, i]))),
                     shape=(n, n))
    m.sort_indices()
    return m


def adjacency(g: nx.Graph, weight: str | None = "weight", nodelist: list | None = None
              ) -> tuple[list, sp.csr_array]:
    """The nodes of an undirected graph sorted by ``str`` and its symmetric adjacency matrix (CSR) in that order.

    Parameters
    ----------
    g : networkx.Graph
        Typically an actor projection.
    weight : str or None
        Edge attribute giving the entries (1 when the attribute is missing); ``None``: 1 per tie.
    nodelist : list or None
        Rows and columns in this order (every node of ``g`` once) instead of sorted by ``str``.

    Returns
    -------
    (list, scipy.sparse.csr_array)
        The same matrix as ``networkx.to_scipy_sparse_array(g, nodelist=nodes, weight=weight)``
        (float64; self-loops kept on the diagonal). A fresh copy: the caller may modify it.

    Notes
    -----
    The projection of a frozen graph is frozen and shared (see `analysis.projection.actor_projection`); its
    matrices are kept from the projection's own sparse products, so every analysis of it
    reads them instead of converting the graph again (seconds for a million ties). Other graphs
    are converted with one pass over their adjacency dicts.

    Examples
    --------
    >>> g = nx.Graph([("b", "a", {"weight": 2}), ("b", "c", {"weight": 1})])
    >>> nodes, m = adjacency(g)
    >>> nodes, m.toarray().tolist()
    (['a', 'b', 'c'], [[0.0, 2.0, 0.0], [2.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
    >>> adjacency(g, weight=None, nodelist=["c", "b", "a"])[1].toarray().tolist()
    [[0.0, 1.0, 0.0], [1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
    """
    nodes, m = per_graph(g, ("adjacency", weight), lambda: _from_pairs(g, weight) or _convert(g, weight))
    if nodelist is None or nodelist == nodes:
        return nodes, m.copy()
    index = {v: k for k, v in enumerate(nodes)}
    order = np.array([index[v] for v in nodelist], dtype=np.int64)
    return list(nodelist), m[order][:, order].tocsr()


def _from_pairs(g: nx.Graph, weight: str | None) -> tuple[list, sp.csr_array] | None:
    """The matrix of a shared projection from the tie arrays it kept, or None (not one, or another attribute)."""
    kept = peek(g, ("pairs",))
    if kept is None or (weight is not None and weight not in kept[3]):
        return None
    nodes, i, j, values = kept
    return nodes, _symmetric(len(nodes), i, j, None if weight is None else values[weight])


def _convert(g: nx.Graph, weight: str | None) -> tuple[list, sp.csr_array]:
    nodes = sorted(g, key=str)
    index = {v: k for k, v in enumerate(nodes)}
    n = len(nodes)
    indptr = np.zeros(n + 1, dtype=np.int64)
    cols: list[int] = []
    data: list[float] = []
    adj = g._adj
    for k, v in enumerate(nodes):
        nbrs = adj[v]
        cols.extend(index[u] for u in nbrs)
        if weight is None:
            data.extend([1.0] * len(nbrs))
        else:
            data.extend(d.get(weight, 1) for d in nbrs.values())
        indptr[k + 1] = len(cols)
    m = sp.csr_array((np.asarray(data, dtype=float), np.asarray(cols, dtype=np.int64), indptr), shape=(n, n))
    m.sort_indices()
    return nodes, m
