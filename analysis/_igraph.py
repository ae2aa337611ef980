"""The actor network as an igraph graph, for the analyses that need a compiled graph algorithm.

Built from `analysis.projection.adjacency` with vertices in sorted node order (vertex ``i`` is
``nodes[i]``) and ties in sorted order, so results never depend on the order a store returned
the data in. Remembered per frozen graph (`analysis._memo.per_graph`): the dashboard's shared
projection is converted once.
"""

from __future__ import annotations

from typing import Any

import igraph as ig
import networkx as nx
import numpy as np
import scipy.sparse as sp

from analysis._memo import per_graph
from analysis.projection import adjacency

__all__ = ["to_igraph"]


def to_igraph(g: nx.Graph, weight: str | None = None) -> tuple[list[Any], ig.Graph]:
    """The sorted nodes of undirected ``g`` and an igraph ``Graph`` on them (edge attribute ``weight`` when given).

    Self-loops are kept. Do not modify the returned graph: it may be shared.
    """
    return per_graph(g, ("igraph", weight), lambda: _build(g, weight))


def _build(g: nx.Graph, weight: str | None) -> tuple[list[Any], ig.Graph]:
    nodes, w = adjacency(g, weight)
    up = sp.triu(w, k=0).tocoo()  # row-major: each tie once, in sorted order
    h = ig.Graph(n=len(nodes), edges=np.column_stack([up.row, up.col]).astype(np.int64), directed=False)
    if weight is not None:
        h.es["weight"] = up.data.astype(float)
    return nodes, h
