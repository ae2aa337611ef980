"""Tie weights of the actor projection that discount large consortia, and the "stable ties" filter.

Three weights for a tie between actors ``a`` and ``b`` that share ``s`` partnerships and ``l``
explicit links (each link counted as one more shared two-member partnership):

- ``count`` (the default, what every analysis used before): ``s + l``;
- ``newman``: ``Σ_p 1 / (n_p - 1)`` over the shared partnerships (``n_p`` members) plus ``l`` —
  a partnership of 186 members adds 1/185 to each of its ties, a pair's own project adds 1
  (Newman 2001);
- ``jaccard``: ``(s + l) / (d_a + d_b - s + l)`` with ``d`` an actor's number of partnerships —
  the share of the two actors' partnerships they hold together (Jaccard 1901).

The stable-ties filter keeps only ties with at least ``k`` shared partnerships (link-only ties go).
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from analysis._igraph import tie_weights, to_igraph
from analysis.filters import Filters
from analysis.matrices import incidence_matrix
from analysis.memo import is_stable, peek, per_graph, remember
from analysis.projection import _graph_from_pairs, actor_projection
from graph.errors import PartnetError

__all__ = ["DEFAULT_TIE_WEIGHT", "TIE_WEIGHTS", "check_tie_weight", "weighted_projection"]

#: The tie weights `weighted_projection` offers.
TIE_WEIGHTS: tuple[str, ...] = ("count", "newman", "jaccard")
#: The documented default: shared partnerships plus links, the weight partnet has always used.
DEFAULT_TIE_WEIGHT = "count"


def check_tie_weight(weight: str) -> str:
    """``weight`` if it is one of `TIE_WEIGHTS`, else a `PartnetError` (exit code 1) naming them."""
    if weight not in TIE_WEIGHTS:
        raise PartnetError(f"unknown tie weight {weight!r}", hint=f"use one of {', '.join(TIE_WEIGHTS)}")
    return weight


def weighted_projection(g: nx.Graph, weight: str = DEFAULT_TIE_WEIGHT, *, min_shared: int | None = None,
                        filters: Filters | None = None) -> nx.Graph:
    """The actor projection with ``weight`` as its tie weight, optionally only its stable ties.

    Parameters
    ----------
    g : networkx.MultiDiGraph or networkx.Graph
        The property graph (projected with links, after ``filters``) or an actor projection.
    weight : {"count", "newman", "jaccard"}, default "count"
        See the module notes.
    min_shared : int or None
        Keep only ties with at least this many shared partnerships ("stable ties"); None keeps all.
    filters : Filters or None
        Applied before projecting.

    Returns
    -------
    networkx.Graph
        Every actor of the projection; ties with ``shared``, ``newman``, ``links``, ``weight``
        (the chosen one) and, when chosen, ``jaccard``. With the defaults (``count``, no filter)
        the projection itself is returned, unchanged. ``graph["tie_weight"]`` and
        ``graph["min_shared"]`` say what was chosen. Frozen and remembered when the projection is.

    Notes
    -----
    Vectorised over the projection's tie arrays (kept by the shared projection, else read with
    `analysis._igraph.tie_weights`); the actors' partnership counts are the row sums of the
    incidence matrix. Building the NetworkX graph of the result is most of the cost.

    References
    ----------
    .. [1] M. E. J. Newman, "Scientific collaboration networks. II. Shortest paths, weighted
       networks, and centrality", Phys. Rev. E 64, 016132 (2001).
    .. [2] P. Jaccard, "Étude comparative de la distribution florale dans une portion des Alpes et
       du Jura", Bulletin de la Société vaudoise des sciences naturelles 37, 547–579 (1901).

    Examples
    --------
    >>> from graph.model import Actor, Dataset, Membership, Partnership
    >>> from graph.convert import dataset_to_graph
    >>> ds = Dataset(actors=[Actor(x, x, "ngo") for x in "abc"],
    ...              partnerships=[Partnership("p", "P", "project"), Partnership("q", "Q", "project")],
    ...              memberships=[Membership(x, "p") for x in "abc"] + [Membership("a", "q"), Membership("b", "q")])
    >>> g = dataset_to_graph(ds)
    >>> w, j = weighted_projection(g, "newman"), weighted_projection(g, "jaccard")
    >>> w.edges["a", "b"]["weight"], w.edges["a", "c"]["weight"], j.edges["a", "c"]["weight"]
    (1.5, 0.5, 0.5)
    """
    check_tie_weight(weight)
    if min_shared is not None and min_shared < 1:
        raise PartnetError(f"min_shared must be at least 1, not {min_shared}", hint="give e.g. 2 for stable ties")
    directed = g.is_directed() or g.is_multigraph()
    if not directed and weight == "jaccard":
        raise PartnetError("the jaccard weight needs each actor's partnerships, which a projection does not hold",
                           hint="pass the property graph read from the store")
    base = actor_projection(g, filters) if directed else g
    if weight == DEFAULT_TIE_WEIGHT and min_shared is None:
        return base
    return per_graph(base, ("weighted projection", weight, min_shared),
                     lambda: _reweighted(base, weight, min_shared, g, filters))


def _memberships(g: nx.MultiDiGraph, filters: Filters | None) -> dict[str, float]:
    b, actors, _ = incidence_matrix(g, filters)
    return dict(zip(actors, np.asarray(b.sum(axis=1)).ravel().tolist(), strict=True))


def _ties(base: nx.Graph) -> tuple[list, np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Nodes, tie ends (i < j, sorted) and the shared, newman and links arrays of a projection."""
    kept = peek(base, ("pairs",))  # the shared projection keeps its tie arrays: no conversion at all
    if kept is not None and all(k in kept[3] for k in ("shared", "newman", "links")):
        nodes, i, j, values = kept
        return list(nodes), i, j, {k: np.asarray(values[k], dtype=float) for k in ("shared", "newman", "links")}
    nodes, h = to_igraph(base)
    ends = np.asarray(h.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    return nodes, ends[:, 0], ends[:, 1], {k: tie_weights(base, k) for k in ("shared", "newman", "links")}


def _reweighted(base: nx.Graph, weight: str, min_shared: int | None, g: nx.Graph, filters: Filters | None
                ) -> nx.Graph:
    nodes, i, j, arrays = _ties(base)
    shared, newman, links = arrays["shared"], arrays["newman"], arrays["links"]
    values = {"shared": shared, "newman": newman + links, "links": links, "count": shared + links}
    if weight == "jaccard":  # needs each actor's number of partnerships, from the property graph
        memberships = _memberships(g, filters)
        d = np.array([memberships.get(v, 0.0) for v in nodes], dtype=float)
        union = d[i] + d[j] - shared + links
        values["jaccard"] = np.divide(values["count"], union, out=np.zeros(len(i)), where=union > 0)
    keep = (i != j) if min_shared is None else (i != j) & (shared >= min_shared)
    if not keep.all():
        i, j = i[keep], j[keep]
        values = {k: v[keep] for k, v in values.items()}
    values["weight"] = values[weight]
    s = np.rint(values["shared"]).astype(np.int64).tolist()
    lk = np.rint(values["links"]).astype(np.int64).tolist()
    nw, w = values["newman"].tolist(), values["weight"].tolist()
    if weight == "count":
        w = [int(x) for x in w]
    if weight == "jaccard":
        jc = values["jaccard"].tolist()
        edge_attrs = [{"shared": a, "newman": b, "links": c, "jaccard": e, "weight": f}
                      for a, b, c, e, f in zip(s, nw, lk, jc, w, strict=True)]
    else:
        edge_attrs = [{"shared": a, "newman": b, "links": c, "weight": f} for a, b, c, f in zip(s, nw, lk, w,
                                                                                                  strict=True)]
    out = _graph_from_pairs(nodes, [base.nodes[v] for v in nodes], i, j, edge_attrs)
    out.graph.update(tie_weight=weight, min_shared=min_shared)
    if is_stable(base):
        nx.freeze(out)
        remember(out, ("pairs",), (nodes, i, j, values))
    return out
