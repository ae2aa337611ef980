"""Projections of the partnership graph: the filtered graph, the bipartite view, the actor–actor and
partnership–partnership projections, and the actor × partnership incidence matrix.

Every analysis starts here. The input is the property graph of ``graph.convert.dataset_to_graph``
(a ``networkx.MultiDiGraph`` whose nodes carry ``label`` "Actor"/"Partnership" and whose edges carry
``type`` MEMBER_OF, FUNDS, LINKED_TO or PART_OF). The projections are computed with sparse-matrix
products (scipy), never with a Python loop over pairs of actors, so that graphs of 100,000 actors
and 300,000 memberships project in seconds.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis.memo import gc_paused, is_stable, keep_long_lived, peek, per_graph, remember
from graph.errors import PartnetError

__all__ = [
    "Filters",
    "actor_ids",
    "active_in",
    "actor_projection",
    "adjacency",
    "as_actor_graph",
    "bipartite_graph",
    "filter_graph",
    "incidence_matrix",
    "partnership_ids",
    "partnership_projection",
]


@dataclass(frozen=True)
class Filters:
    """What part of the graph an analysis looks at; an empty field means "no restriction".

    Attributes
    ----------
    kinds : tuple of str
        Keep only partnerships of these kinds (``development_partnership``, ``project``...).
    programmes : tuple of str
        Keep only partnerships funded under one of these programmes (a ``FUNDS`` edge with that
        ``programme`` into the partnership or into one of its ``PART_OF`` ancestors).
    countries : tuple of str
        Keep only actors of these countries (ISO alpha-2; ``""`` selects actors without a country,
        i.e. European and international bodies).
    period : (int or None, int or None) or None
        Keep only partnerships active at some time in ``[first, last]`` (inclusive; ``None`` on one
        side leaves it open). A partnership without an end year is read as still running (open
        end), one without a start year as running since an unknown time (open start); one with no
        year at all is dropped when a period is set.
    partnerships : tuple of str
        Keep only these partnership ids.

    Partnership filters and actor filters combine with AND; edges are kept when both ends are kept.
    """

    kinds: tuple[str, ...] = ()
    programmes: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    period: tuple[int | None, int | None] | None = None
    partnerships: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("kinds", "programmes", "countries", "partnerships"):
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, (value,))
            elif not isinstance(value, tuple):
                object.__setattr__(self, name, tuple(value))
        if self.period is not None:
            if len(self.period) != 2:
                raise PartnetError(f"period {self.period!r} is not a pair (first year, last year)",
                                   hint="give two years, e.g. (2001, 2008), or None for an open side")
            lo, hi = self.period
            if lo is not None and hi is not None and lo > hi:
                raise PartnetError(f"period {lo}-{hi} ends before it starts",
                                   hint=f"swap the years: {hi}-{lo}")
            object.__setattr__(self, "period", (lo, hi))

    @property
    def is_empty(self) -> bool:
        """True when the filters keep the whole graph."""
        return not (self.kinds or self.programmes or self.countries or self.partnerships
                    or (self.period is not None and self.period != (None, None)))


def _is_actor(d: dict) -> bool:
    return d.get("label") == "Actor"


def _is_partnership(d: dict) -> bool:
    return d.get("label") == "Partnership"


def actor_ids(g: nx.Graph) -> list[str]:
    """Ids of the actor nodes of ``g`` (``label == "Actor"``), sorted."""
    return sorted(n for n, d in g.nodes(data=True) if _is_actor(d))


def partnership_ids(g: nx.Graph) -> list[str]:
    """Ids of the partnership nodes of ``g`` (``label == "Partnership"``), sorted."""
    return sorted(n for n, d in g.nodes(data=True) if _is_partnership(d))


def _year(value: object) -> int | None:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return int(value)  # type: ignore[call-overload]


def active_in(d: dict, period: tuple[int | None, int | None] | None) -> bool:
    """Whether a partnership (its node attributes ``d``) overlaps ``period`` (see `Filters.period`).

    A missing ``start_year`` or ``end_year`` leaves that side open; a partnership with neither is
    not placed in any period.

    >>> active_in({"start_year": 2001, "end_year": 2004}, (2004, 2008))
    True
    >>> active_in({"start_year": 2001, "end_year": None}, (2010, None))
    True
    >>> active_in({"start_year": None, "end_year": None}, (2000, 2010))
    False
    """
    if period is None or period == (None, None):
        return True
    start, end = _year(d.get("start_year")), _year(d.get("end_year"))
    if start is None and end is None:
        return False
    lo, hi = period
    return (hi is None or start is None or start <= hi) and (lo is None or end is None or end >= lo)


def _funded_under(g: nx.MultiDiGraph, programmes: Iterable[str]) -> set[str]:
    """Partnerships funded under one of ``programmes``, directly or through a PART_OF ancestor."""
    wanted = set(programmes)
    direct = {v for _, v, d in g.edges(data=True) if d.get("type") == "FUNDS" and d.get("programme") in wanted}
    children: dict[str, list[str]] = {}
    for u, v, d in g.edges(data=True):
        if d.get("type") == "PART_OF":
            children.setdefault(v, []).append(u)
    out, stack = set(), list(direct)
    while stack:  # descend PART_OF from every directly funded node
        n = stack.pop()
        if n in out:
            continue
        out.add(n)
        stack.extend(children.get(n, ()))
    return out


def filter_graph(g: nx.MultiDiGraph, filters: Filters | None = None) -> nx.MultiDiGraph:
    """Return the part of the property graph selected by ``filters`` (a new graph; ``g`` is unchanged).

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph (``graph.convert.dataset_to_graph``).
    filters : Filters or None
        ``None`` or empty filters return a copy of the whole graph.

    Returns
    -------
    networkx.MultiDiGraph
        Partnerships kept by kind, programme (funded by), period overlap and id; actors kept by
        country; every edge whose two ends are kept, with its attributes.

    Notes
    -----
    Actors are not dropped because their partnerships were: an actor whose every partnership is
    filtered out stays in the graph (isolated), so that isolation analyses still see it.
    """
    if filters is None or filters.is_empty:
        return g.copy()
    funded = _funded_under(g, filters.programmes) if filters.programmes else None
    kinds, ids, countries = set(filters.kinds), set(filters.partnerships), set(filters.countries)
    keep = []
    for n, d in g.nodes(data=True):
        if _is_partnership(d):
            if kinds and d.get("kind") not in kinds:
                continue
            if ids and n not in ids:
                continue
            if funded is not None and n not in funded:
                continue
            if not active_in(d, filters.period):
                continue
        elif _is_actor(d) and countries and (d.get("country") or "") not in countries:
            continue
        keep.append(n)
    return g.subgraph(keep).copy()


def bipartite_graph(g: nx.MultiDiGraph, filters: Filters | None = None) -> nx.Graph:
    """The bipartite actor–partnership graph: one edge per MEMBER_OF tie.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph.
    filters : Filters or None
        Applied first with `filter_graph`.

    Returns
    -------
    networkx.Graph
        Actors with node attribute ``bipartite=0``, partnerships with ``bipartite=1`` (the
        convention of ``networkx.algorithms.bipartite``), each with all its properties; edges carry
        ``role``. Actors and partnerships without members are kept as isolated nodes.

    Examples
    --------
    >>> from graph.model import Actor, Dataset, Membership, Partnership
    >>> from graph.convert import dataset_to_graph
    >>> ds = Dataset(actors=[Actor("a", "A", "ngo")], partnerships=[Partnership("p", "P", "project")],
    ...              memberships=[Membership("a", "p", "lead")])
    >>> b = bipartite_graph(dataset_to_graph(ds))
    >>> b.nodes["a"]["bipartite"], b.nodes["p"]["bipartite"], b.edges["a", "p"]["role"]
    (0, 1, 'lead')
    """
    h = filter_graph(g, filters) if filters is not None else g
    b = nx.Graph()
    for n, d in sorted(h.nodes(data=True), key=lambda x: x[0]):
        if _is_actor(d):
            b.add_node(n, **d, bipartite=0)
        elif _is_partnership(d):
            b.add_node(n, **d, bipartite=1)
    for u, v, d in h.edges(data=True):
        if d.get("type") == "MEMBER_OF" and u in b and v in b and b.nodes[u]["bipartite"] == 0 \
                and b.nodes[v]["bipartite"] == 1:
            b.add_edge(u, v, role=d.get("role", ""))
    return b


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


def _graph_from_pairs(
    nodes: list[str], attrs: list[dict], i: np.ndarray, j: np.ndarray, edge_attrs: list[dict]
) -> nx.Graph:
    """An undirected graph with ``nodes`` (in order, with ``attrs``) and one edge per pair (i[k], j[k]).

    The adjacency is filled node by node from a CSR layout of the pairs, the same dict shared
    by both directions as ``Graph.add_edge`` does; a few times faster than ``add_edges_from`` for
    millions of edges, which dominates the cost of a large projection otherwise.
    """
    g = nx.Graph()
    g.add_nodes_from(zip(nodes, attrs, strict=True))
    n, m = len(nodes), len(i)
    if m == 0:
        return g
    names = np.asarray(nodes, dtype=object)
    # forward: pairs come sorted by (i, j), so node k's larger neighbours are one contiguous run
    fwd_ptr = np.searchsorted(i, np.arange(n + 1)).tolist()
    fwd_names = names[j].tolist()
    # backward: the same pairs sorted by (j, i) give node k's smaller neighbours
    order = np.lexsort((i, j))
    bwd_ptr = np.searchsorted(j[order], np.arange(n + 1)).tolist()
    bwd_names = names[i[order]].tolist()
    bwd_data = [edge_attrs[e] for e in order.tolist()]
    adj = g._adj  # the graph's own adjacency (what add_edge writes to); nothing is cached yet
    for k in range(n):
        inner = adj[nodes[k]]
        a, b = bwd_ptr[k], bwd_ptr[k + 1]
        if a < b:
            inner.update(zip(bwd_names[a:b], bwd_data[a:b], strict=True))
        a, b = fwd_ptr[k], fwd_ptr[k + 1]
        if a < b:
            inner.update(zip(fwd_names[a:b], edge_attrs[a:b], strict=True))
    return g


def actor_projection(
    g: nx.MultiDiGraph, filters: Filters | None = None, *, include_links: bool = True
) -> nx.Graph:
    """The actor–actor projection: two actors are tied when they share a partnership (or a link).

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph.
    filters : Filters or None
        Applied first with `filter_graph`.
    include_links : bool, default True
        Also tie actors joined by an explicit LINKED_TO edge (in either direction).

    Returns
    -------
    networkx.Graph
        Every actor is a node (isolated ones too) with all its properties. Edge attributes:

        - ``shared`` (int): number of partnerships both actors are members of;
        - ``newman`` (float): Newman's collaboration weight, the sum over the shared partnerships
          ``p`` of ``1 / (n_p - 1)`` where ``n_p`` is the number of members of ``p``;
        - ``links`` (int): number of explicit LINKED_TO edges between the two (either direction,
          each kind counted; 0 when ``include_links`` is false);
        - ``weight`` (int): ``shared + links``.

    Notes
    -----
    With ``B`` the actor × partnership incidence matrix (`incidence_matrix`), the shared counts are
    the off-diagonal entries of ``B Bᵀ`` and Newman's weights those of ``B D Bᵀ`` with
    ``D = diag(1 / (n_p - 1))`` (zero for single-member partnerships). Both are sparse products,
    so the cost grows with the number of projected ties, not with the square of the number of
    actors. For 100,000 actors in 300,000 memberships this takes seconds; building the NetworkX
    graph from the result is then the dominant cost.

    When ``g`` is frozen (``networkx.freeze``, as the dashboard, the CLI and the benchmark do
    with the graph they read) and no filter is given, the projection is computed once per graph
    and shared: it is returned frozen, and its adjacency matrices are kept for `adjacency`.

    The unweighted and shared-count projections are those of
    ``networkx.bipartite.projected_graph`` / ``weighted_projected_graph``; the ``newman`` weight
    equals ``networkx.bipartite.collaboration_weighted_projected_graph``.

    References
    ----------
    .. [1] M. E. J. Newman, "Scientific collaboration networks. II. Shortest paths, weighted
       networks, and centrality", Phys. Rev. E 64, 016132 (2001).
    .. [2] S. P. Borgatti and M. G. Everett, "Network analysis of 2-mode data",
       Social Networks 19(3), 243–269 (1997).

    Examples
    --------
    >>> from graph.model import Actor, Dataset, Membership, Partnership
    >>> from graph.convert import dataset_to_graph
    >>> ds = Dataset(actors=[Actor(x, x, "ngo") for x in "abc"],
    ...              partnerships=[Partnership("p", "P", "project")],
    ...              memberships=[Membership(x, "p") for x in "abc"])
    >>> proj = actor_projection(dataset_to_graph(ds))
    >>> proj.edges["a", "b"]["shared"], proj.edges["a", "b"]["newman"], proj.edges["a", "b"]["weight"]
    (1, 0.5, 1)
    """
    if filters is None or filters.is_empty:
        return per_graph(g, ("actor_projection", include_links), lambda: _shared_projection(g, include_links))
    with gc_paused():
        return _actor_projection(filter_graph(g, filters), include_links)


def _shared_projection(g: nx.MultiDiGraph, include_links: bool) -> nx.Graph:
    proj = _actor_projection(g, include_links)
    if is_stable(g):
        keep_long_lived()  # it lives as long as the graph: out of the collector's scans too
    return proj


def _actor_projection(h: nx.MultiDiGraph, include_links: bool) -> nx.Graph:
    actors, parts = actor_ids(h), partnership_ids(h)
    edges = _actor_edges(h, actors, parts)
    b = _incidence(h, actors, parts, edges)
    bt = b.T.tocsr()
    shared = b @ bt
    sizes = np.asarray(b.sum(axis=0)).ravel()
    scale = np.zeros_like(sizes)
    np.divide(1.0, sizes - 1.0, out=scale, where=sizes > 1)
    newman = b @ sp.diags(scale) @ bt
    n = len(actors)
    links = None
    if include_links and len(edges[2]):
        links = sp.csr_matrix((np.ones(len(edges[2])), (edges[2], edges[3])), shape=(n, n))
        links = links + links.T
    i, j, (s, nw, lk) = _projection_pairs(shared, newman, links)
    s, lk = np.rint(s).astype(np.int64), np.rint(lk).astype(np.int64)
    w = s + lk
    edge_attrs = [{"shared": x, "newman": y, "links": z, "weight": x + z}
                  for x, y, z in zip(s.tolist(), nw.tolist(), lk.tolist(), strict=True)]
    proj = _graph_from_pairs(actors, [h.nodes[a] for a in actors], i, j, edge_attrs)
    if is_stable(h):  # shared and frozen: keep its ties as arrays, `adjacency` builds matrices from them
        nx.freeze(proj)
        remember(proj, ("pairs",), (actors, i, j, {"weight": w, "shared": s, "newman": nw, "links": lk}))
    return proj


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
    The projection of a frozen graph is frozen and shared (see `actor_projection`); its
    matrices are kept from the projection's own sparse products, so every analysis of it
    reads them instead of converting the graph again (seconds for a million ties). Other graphs
    are converted with one pass over their adjacency dicts.
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


def partnership_projection(g: nx.MultiDiGraph, filters: Filters | None = None) -> nx.Graph:
    """The partnership–partnership projection: two partnerships are tied when they share members.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph.
    filters : Filters or None
        Applied first with `filter_graph`.

    Returns
    -------
    networkx.Graph
        Every partnership is a node with its properties; edges carry ``shared`` (number of common
        member actors) and ``weight`` (= ``shared``).

    Notes
    -----
    The off-diagonal entries of ``Bᵀ B`` for the incidence matrix ``B`` (see `actor_projection`).

    References
    ----------
    .. [1] R. L. Breiger, "The duality of persons and groups", Social Forces 53(2), 181–190 (1974).
    """
    h = filter_graph(g, filters) if filters is not None else g
    actors, parts = actor_ids(h), partnership_ids(h)
    b = _incidence(h, actors, parts)
    m = (b.T @ b).tocsr()
    i, j, (s,) = _upper_pairs(m)
    edge_attrs = [{"shared": x, "weight": x} for x in np.rint(s).astype(np.int64).tolist()]
    proj = _graph_from_pairs(parts, [h.nodes[p] for p in parts], i, j, edge_attrs)
    return proj


def as_actor_graph(g: nx.Graph, filters: Filters | None = None) -> nx.Graph:
    """The actor graph an actor-level analysis works on.

    The property graph (a directed multigraph with ``label`` attributes) is turned into its
    `actor_projection` (with links, after ``filters``); an undirected simple graph is taken to be a
    projection already and returned as is (then ``filters`` must be ``None``).
    """
    if g.is_directed() or g.is_multigraph():
        return actor_projection(g, filters)
    if filters is not None and not filters.is_empty:
        raise PartnetError("filters apply to the property graph, not to a projection",
                           hint="pass the graph read from the store, or filter before projecting")
    return g
