"""The actor network as an igraph graph, for the analyses that need a compiled graph algorithm.

Built from `analysis.projection.adjacency` with vertices in sorted node order (vertex ``i`` is
``nodes[i]``) and ties in sorted order, so results never depend on the order a store returned
the data in. Remembered per frozen graph (`analysis.memo.per_graph`): the dashboard's shared
projection is converted once, and tie weights are handed out as arrays aligned with its edges.
"""

from __future__ import annotations

from typing import Any

import igraph as ig
import networkx as nx
import numpy as np
import scipy.sparse as sp

from analysis.memo import per_graph
from analysis.projection import adjacency

__all__ = ["tie_weights", "to_igraph"]


def to_igraph(g: nx.Graph) -> tuple[list[Any], ig.Graph]:
    """The sorted nodes of undirected ``g`` and an unweighted igraph ``Graph`` on them (self-loops kept).

    Edge ``e`` joins ``nodes[i]`` and ``nodes[j]`` (``i <= j``), edges sorted by ``(i, j)``. Do not
    modify the returned graph: it may be shared.
    """
    return per_graph(g, ("igraph",), lambda: _build(g))


def tie_weights(g: nx.Graph, weight: str) -> np.ndarray:
    """The ``weight`` attribute of every edge of `to_igraph`'s graph, in its edge order (1 when missing)."""
    return per_graph(g, ("igraph weights", weight), lambda: _weights(g, weight))


def _build(g: nx.Graph) -> tuple[list[Any], ig.Graph]:
    nodes, a = adjacency(g, None)
    up = sp.triu(a, k=0).tocsr()
    up.sort_indices()
    rows = np.repeat(np.arange(len(nodes), dtype=np.int64), np.diff(up.indptr))
    h = ig.Graph(n=len(nodes), directed=False)
    h.add_edges(np.column_stack([rows, up.indices.astype(np.int64)]))  # numpy in: no Python tuples
    return nodes, h


def _weights(g: nx.Graph, weight: str) -> np.ndarray:
    _, a = adjacency(g, None)
    _, w = adjacency(g, weight)
    up_a, up_w = sp.triu(a, k=0).tocsr(), sp.triu(w, k=0).tocsr()
    up_a.sort_indices()
    up_w.sort_indices()
    if np.array_equal(up_a.indptr, up_w.indptr) and np.array_equal(up_a.indices, up_w.indices):
        return up_w.data.astype(float)
    rows = np.repeat(np.arange(a.shape[0]), np.diff(up_a.indptr))  # a weight of 0 dropped an entry
    return np.asarray(up_w[rows, up_a.indices]).ravel().astype(float)
