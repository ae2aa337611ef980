"""Projections of the partnership graph: the bipartite view, the actor–actor and partnership–partnership
projections as NetworkX graphs, and the actor graph an analysis works on.

Every analysis starts here. The input is the property graph of ``graph.convert.dataset_to_graph``
(a ``networkx.MultiDiGraph`` whose nodes carry ``label`` "Actor"/"Partnership" and whose edges carry
``type`` MEMBER_OF, FUNDS, LINKED_TO or PART_OF). The projections are computed with sparse-matrix
products (scipy), never with a Python loop over pairs of actors, so that graphs of 100,000 actors
and 300,000 memberships project in seconds.

This module holds the NetworkX views; the rest lives in two modules it re-exports, so every name
is still importable from here:

- `analysis.filters`: `Filters`, `filter_graph`, `active_in`, `actor_ids`, `partnership_ids`;
- `analysis.matrices` (the sparse core): `incidence_matrix`, `adjacency`.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import scipy.sparse as sp

# Filters and the sparse core are re-exported (see __all__): callers import them from here.
from analysis.filters import (
    Filters,
    _is_actor,
    _is_partnership,
    active_in,
    actor_ids,
    filter_graph,
    partnership_ids,
)
from analysis.matrices import (
    _actor_edges,
    _incidence,
    _projection_pairs,
    _upper_pairs,
    adjacency,
    incidence_matrix,
)
from analysis.memo import gc_paused, is_stable, keep_long_lived, per_graph, remember
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
