"""Single points of failure of the actor network: articulation points (cut vertices), the actors
who depend on one broker for every route to the rest, and bridges (cut ties).

All three read one block-cut forest per graph (`_BlockCutForest`, built once per frozen graph).
Everything works on the undirected actor network (`analysis.projection.actor_projection`); the
property graph may be passed instead and is projected first.
"""

from __future__ import annotations

import math
from collections.abc import Hashable

import networkx as nx
import numpy as np
import pandas as pd

from analysis._actor_labels import _describe
from analysis._igraph import to_igraph
from analysis.memo import per_graph
from analysis.projection import Filters, as_actor_graph

__all__ = [
    "articulation_points",
    "bridges",
    "dependent_actors",
]


def articulation_points(
    g: nx.Graph, filters: Filters | None = None, *, max_listed: int | None = 1000
) -> pd.DataFrame:
    """Actors whose removal disconnects the network, and who would be cut off without them.

    Parameters
    ----------
    g : networkx.Graph or networkx.MultiDiGraph
        The actor projection, or the property graph (projected after ``filters``).
    filters : Filters or None
    max_listed : int or None, default 1000
        At most this many dependent ids are listed per broker (``n_dependents`` is always exact).

    Returns
    -------
    pandas.DataFrame
        One row per articulation point, by decreasing ``n_dependents`` then id: ``id, name, family,
        country, degree, component_size`` (its connected component), ``pieces`` (components its
        removal leaves), ``largest_piece``, ``n_dependents`` (actors cut off from the largest
        piece, i.e. whose only route to the rest runs through this broker) and ``dependents``
        (their sorted ids, at most ``max_listed``).

    Notes
    -----
    Linear time: one depth-first search finds the blocks (biconnected components) and cut
    vertices (Hopcroft & Tarjan 1973; igraph's compiled implementation); the block-cut tree of
    each component is rooted at its weighted centroid, so that for every cut vertex but the
    root the largest piece is the side of its parent and its dependents are exactly its subtree.
    Nodes are never removed one by one.

    References
    ----------
    .. [1] J. Hopcroft and R. Tarjan, "Algorithm 447: efficient algorithms for graph
       manipulation", Commun. ACM 16(6), 372–378 (1973).
    .. [2] F. Harary, *Graph Theory*, Addison-Wesley (1969), ch. 4 (the block-cut tree).

    Examples
    --------
    >>> ap = articulation_points(nx.path_graph(5))
    >>> ap[["id", "n_dependents", "largest_piece"]].values.tolist()
    [['2', 2, 2], ['1', 1, 3], ['3', 1, 3]]
    """
    proj = as_actor_graph(g, filters)
    tree = _forest(proj)
    rows = []
    for c in tree.cut_vertices:
        pieces, largest, n_dep = tree.pieces_of(c)
        deps = tree.dependents_of(c, limit=max_listed)
        rows.append((str(c), *_describe(proj, c), proj.degree(c), tree.component_size(c), pieces, largest,
                     n_dep, sorted(str(v) for v in deps)))
    cols = ["id", "name", "family", "country", "degree", "component_size", "pieces", "largest_piece",
            "n_dependents", "dependents"]
    df = pd.DataFrame(rows, columns=cols)
    for col in ("degree", "component_size", "pieces", "largest_piece", "n_dependents"):
        df[col] = df[col].astype(np.int64)
    df = df.sort_values(["n_dependents", "id"], ascending=[False, True], kind="stable").reset_index(drop=True)
    return df


def dependent_actors(g: nx.Graph, filters: Filters | None = None) -> pd.DataFrame:
    """Actors whose only route to the rest of their network runs through one broker.

    Parameters
    ----------
    g : networkx.Graph or networkx.MultiDiGraph
        The actor projection, or the property graph (projected after ``filters``).
    filters : Filters or None

    Returns
    -------
    pandas.DataFrame
        One row per dependent actor, sorted by id: ``id, name, family, country, broker`` (the
        nearest articulation point whose removal cuts it off from the largest remaining part of
        its component), ``broker_name``, ``n_brokers`` (how many single actors each cut it off)
        and ``component_size``.

    Notes
    -----
    Read from the block-cut tree rooted at its centroid (see `articulation_points`): the brokers
    of an actor are the cut vertices above it, the nearest one first. Linear time.

    References
    ----------
    .. [1] J. Hopcroft and R. Tarjan, "Algorithm 447: efficient algorithms for graph
       manipulation", Commun. ACM 16(6), 372–378 (1973).
    """
    proj = as_actor_graph(g, filters)
    tree = _forest(proj)
    rows = []
    for v in sorted(proj, key=str):
        broker, count = tree.nearest_broker(v)
        if broker is None:
            continue
        rows.append((str(v), *_describe(proj, v), str(broker), _describe(proj, broker)[0], count,
                     tree.component_size(v)))
    cols = ["id", "name", "family", "country", "broker", "broker_name", "n_brokers", "component_size"]
    df = pd.DataFrame(rows, columns=cols)
    for col in ("n_brokers", "component_size"):
        df[col] = df[col].astype(np.int64)
    return df


def bridges(g: nx.Graph, filters: Filters | None = None) -> pd.DataFrame:
    """Ties whose removal disconnects the network.

    Parameters
    ----------
    g : networkx.Graph or networkx.MultiDiGraph
        The actor projection, or the property graph (projected after ``filters``).
    filters : Filters or None

    Returns
    -------
    pandas.DataFrame
        One row per bridge, by decreasing ``cut_off`` then ids: ``source, source_name, target,
        target_name`` (``source`` < ``target``), ``weight`` and ``shared`` of the tie (when the
        projection has them), and ``cut_off``: the number of actors on the smaller side, who
        lose every route to the other side if this one tie ends.

    Notes
    -----
    Bridges are the blocks of two nodes joined by one edge (igraph's ``Graph.bridges``, one
    depth-first search, linear time); side sizes come from the block-cut tree.

    References
    ----------
    .. [1] R. E. Tarjan, "A note on finding the bridges of a graph", Inform. Process. Lett. 2(6),
       160–161 (1974).
    """
    proj = as_actor_graph(g, filters)
    tree = _forest(proj)
    rows = []
    nodes, h = to_igraph(proj)
    for u, v in ((nodes[e.source], nodes[e.target]) for e in h.es[h.bridges()]):
        a, b = sorted((u, v), key=str)
        d = proj.edges[a, b]
        rows.append((str(a), _describe(proj, a)[0], str(b), _describe(proj, b)[0],
                     d.get("weight", 1), d.get("shared", np.nan), tree.bridge_cut_off(a, b)))
    cols = ["source", "source_name", "target", "target_name", "weight", "shared", "cut_off"]
    df = pd.DataFrame(rows, columns=cols)
    df["cut_off"] = df["cut_off"].astype(np.int64)
    df = df.sort_values(["cut_off", "source", "target"], ascending=[False, True, True], kind="stable")
    return df.reset_index(drop=True)


# --- the block-cut forest ------------------------------------------------------------------------


def _forest(g: nx.Graph) -> _BlockCutForest:
    """The block-cut forest of ``g``, built once per frozen graph (articulation points, dependents and
    bridges all read it)."""
    return per_graph(g, ("block-cut forest",), lambda: _BlockCutForest(g))


class _BlockCutForest:
    """The block-cut trees of a graph's components, each rooted at its weighted centroid.

    Tree nodes are ``("b", i)`` for block ``i`` (weight: its vertices that are not cut vertices)
    and ``("c", v)`` for cut vertex ``v`` (weight 1), so a subtree's weight is the number of
    graph vertices it holds. Rooting at the centroid makes every subtree hanging below a cut
    vertex hold at most half of its component; the largest piece left by removing a non-root cut
    vertex is therefore the side of its parent.
    """

    def __init__(self, g: nx.Graph) -> None:
        nodes, h = to_igraph(g)  # compiled Hopcroft-Tarjan; self-loops play no part in it
        found, points = h.biconnected_components(return_articulation_points=True)
        blocks = sorted((sorted((nodes[i] for i in b), key=str) for b in found), key=lambda b: str(b[0]))
        cut = {nodes[i] for i in points}
        self.cut_vertices = sorted(cut, key=str)
        self.blocks = blocks
        self.block_of: dict = {}  # non-cut vertex -> its block (one, since it is not a cut vertex)
        adj: dict[tuple, list[tuple]] = {}
        weight: dict[tuple, int] = {}
        for i, blk in enumerate(blocks):
            b = ("b", i)
            weight[b] = 0
            adj.setdefault(b, [])
            for v in blk:
                if v in cut:
                    c = ("c", v)
                    adj[b].append(c)
                    adj.setdefault(c, []).append(b)
                    weight[c] = 1
                else:
                    weight[b] += 1
                    self.block_of[v] = b
        self.adj, self.weight = adj, weight
        self.parent: dict[tuple, tuple | None] = {}
        self.sub: dict[tuple, int] = {}
        self.total: dict[tuple, int] = {}  # tree node -> weight of its whole tree (component size)
        self.root_of: dict[tuple, tuple] = {}
        self.root_keep: dict[tuple, tuple | None] = {}  # root cut vertex -> its largest child piece
        seen: set[tuple] = set()
        for start in sorted(adj, key=lambda x: (x[0], str(x[1]))):
            if start in seen:
                continue
            order, parent = self._dfs(start)
            seen.update(order)
            sub = self._subtree_weights(order, parent)
            total = sub[start]
            root = self._centroid(order, parent, sub, total)
            order, parent = self._dfs(root)
            sub = self._subtree_weights(order, parent)
            for x in order:
                self.parent[x] = parent[x]
                self.sub[x] = sub[x]
                self.total[x] = total
                self.root_of[x] = root
            if root[0] == "c":
                kids = list(adj[root])
                self.root_keep[root] = max(kids, key=lambda y: sub[y]) if kids else None
        self._broker_cache: dict[tuple, tuple[Hashable | None, int]] = {}

    def _dfs(self, root: tuple) -> tuple[list[tuple], dict[tuple, tuple | None]]:
        order, parent, stack = [], {root: None}, [root]
        while stack:
            x = stack.pop()
            order.append(x)
            for y in self.adj[x]:
                if y not in parent:
                    parent[y] = x
                    stack.append(y)
        return order, parent

    def _subtree_weights(self, order: list[tuple], parent: dict) -> dict[tuple, int]:
        sub = {x: self.weight[x] for x in order}
        for x in reversed(order):
            if parent[x] is not None:
                sub[parent[x]] += sub[x]
        return sub

    def _centroid(self, order: list[tuple], parent: dict, sub: dict, total: int) -> tuple:
        best, best_score = order[0], math.inf
        for x in order:
            heaviest = total - sub[x]
            for y in self.adj[x]:
                if parent.get(y) == x:
                    heaviest = max(heaviest, sub[y])
            if heaviest < best_score:
                best, best_score = x, heaviest
        return best

    def _node(self, v: Hashable) -> tuple | None:
        if ("c", v) in self.weight:
            return ("c", v)
        return self.block_of.get(v)

    def component_size(self, v: Hashable) -> int:
        x = self._node(v)
        return self.total[x] if x is not None else 1

    def pieces_of(self, c: Hashable) -> tuple[int, int, int]:
        """(number of pieces, size of the largest, number of dependents) when cut vertex ``c`` goes."""
        x = ("c", c)
        total, children = self.total[x], [y for y in self.adj[x] if self.parent.get(y) == x]
        sizes = [self.sub[y] for y in children]
        if self.parent[x] is not None:
            sizes.append(total - self.sub[x])
        largest = max(sizes)
        return len(sizes), largest, total - 1 - largest

    def dependents_of(self, c: Hashable, *, limit: int | None) -> list:
        """Vertices cut off from the largest piece when ``c`` goes (at most ``limit`` of them)."""
        x = ("c", c)
        if self.parent[x] is None:
            starts = [y for y in self.adj[x] if y != self.root_keep[x]]
        else:
            starts = [y for y in self.adj[x] if self.parent.get(y) == x]
        out: list = []
        stack = list(starts)
        while stack and (limit is None or len(out) < limit):
            y = stack.pop()
            if y[0] == "c":
                out.append(y[1])
            else:
                out.extend(v for v in self.blocks[y[1]] if self.block_of.get(v) == y)
            stack.extend(z for z in self.adj[y] if self.parent.get(z) == y)
        return out if limit is None else out[:limit]

    def nearest_broker(self, v: Hashable) -> tuple[Hashable | None, int]:
        """(nearest cut vertex whose removal cuts ``v`` off from the largest piece, how many do)."""
        x = self._node(v)
        if x is None:
            return None, 0
        return self._brokers_above(x)

    def _brokers_above(self, x: tuple) -> tuple[Hashable | None, int]:
        # iterative walk up, memoised: (nearest qualifying cut ancestor strictly above x, count)
        path = []
        y = x
        while y not in self._broker_cache:
            path.append(y)
            p = self.parent[y]
            if p is None:
                self._broker_cache[y] = (None, 0)
                path.pop()
                break
            y = p
        for z in reversed(path):
            p = self.parent[z]
            nearest, count = self._broker_cache[p]
            if p[0] == "c" and (self.parent[p] is not None or self.root_keep.get(p) != z):
                nearest, count = p[1], count + 1
            self._broker_cache[z] = (nearest, count)
        return self._broker_cache[x]

    def bridge_cut_off(self, a: Hashable, b: Hashable) -> int:
        """Vertices on the smaller side of the bridge ``a - b``."""
        xa, xb = ("c", a), ("c", b)
        if xa not in self.weight or xb not in self.weight:
            return 1  # an endpoint that is not a cut vertex hangs alone on its side
        (blk,) = set(self.adj[xa]) & set(self.adj[xb])  # the two-vertex block of the bridge
        below = [x for x in (xa, xb) if self.parent[x] == blk]
        if len(below) == 2:  # the bridge block is the root: the two sides are the two subtrees
            return min(self.sub[xa], self.sub[xb])
        side = self.sub[below[0]]
        return min(side, self.total[xa] - side)
