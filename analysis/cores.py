"""Core and periphery of the actor network: the k-core shell of every actor, the main core, and the
"intermediated" actors who reach the largest component through exactly one partner.

The k-core is the largest part of the network in which every actor has at least k partners; an
actor's shell (core number) is the largest such k. In partnership data one big consortium of n
members is an (n-1)-core by itself, so the shells are best read on the stable-tie graph
(`analysis.tie_weights.weighted_projection` with ``min_shared``), where one-off co-memberships
are gone.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from analysis._igraph import to_igraph
from analysis.communities import _describe
from analysis.filters import Filters
from analysis.matrices import adjacency
from analysis.projection import as_actor_graph

__all__ = ["core_periphery"]


def core_periphery(g: nx.Graph, filters: Filters | None = None) -> pd.DataFrame:
    """The k-core shell of every actor, who is in the main core, and who is intermediated.

    Parameters
    ----------
    g : networkx.Graph or networkx.MultiDiGraph
        An actor graph (the projection, a re-weighted or stable-tie projection, a backbone), or
        the property graph (projected after ``filters``).
    filters : Filters or None

    Returns
    -------
    pandas.DataFrame
        One row per actor, by shell (highest first) then id: ``id, name, family, country,
        partners`` (degree), ``core`` (core number), ``main_core`` (core == the largest core
        number), ``in_largest_component``, ``intermediated`` (in the largest component with
        exactly one partner: every path from it to the rest runs through that partner) and
        ``via`` (that partner's id, else ""). ``attrs``: ``max_core``, ``main_core_size``,
        ``main_core_share`` (of all actors), ``largest_component``, ``intermediated``.

    Notes
    -----
    igraph's ``coreness`` (Batagelj & Zaversnik's O(m) bucket algorithm) on the igraph view of
    the network; components by igraph too. Equals ``networkx.core_number``.

    References
    ----------
    .. [1] S. B. Seidman, "Network structure and minimum degree", Social Networks 5(3),
       269–287 (1983).
    .. [2] V. Batagelj and M. Zaversnik, "An O(m) algorithm for cores decomposition of
       networks", arXiv:cs/0310049 (2003).
    .. [3] S. P. Borgatti and M. G. Everett, "Models of core/periphery structures", Social
       Networks 21(4), 375–395 (2000).

    Examples
    --------
    >>> g = nx.complete_graph(4)
    >>> g.add_edge(3, 4)
    >>> core_periphery(g)[["id", "core", "intermediated", "via"]].values.tolist()[-1]
    ['4', 1, True, '3']
    """
    proj = as_actor_graph(g, filters)
    nodes, h = to_igraph(proj)
    n = len(nodes)
    loops = np.asarray(h.is_loop(), dtype=bool) if h.ecount() else np.zeros(0, dtype=bool)
    if loops.any():  # a self-tie is no partner
        h = h.copy()
        h.delete_edges(np.flatnonzero(loops).tolist())
    core = np.asarray(h.coreness(), dtype=np.int64) if n else np.zeros(0, dtype=np.int64)
    degree = np.asarray(h.degree(), dtype=np.int64) if n else np.zeros(0, dtype=np.int64)
    membership = np.asarray(h.connected_components().membership, dtype=np.int64) if n else np.zeros(0, np.int64)
    sizes = np.bincount(membership) if n else np.zeros(0, dtype=np.int64)
    largest = int(np.argmax(sizes)) if n else -1
    in_lcc = membership == largest if n and sizes[largest] > 1 else np.zeros(n, dtype=bool)
    inter = in_lcc & (degree == 1)
    via = np.full(n, "", dtype=object)
    if inter.any():  # a degree-1 actor's one partner: the single entry of its adjacency row
        _, a = adjacency(proj, None)
        names = np.asarray([str(v) for v in nodes], dtype=object)
        k = np.flatnonzero(inter)
        via[k] = names[a.indices[a.indptr[k]]]
    meta = [_describe(proj, v) for v in nodes]
    top = int(core.max()) if n else 0
    df = pd.DataFrame({"id": [str(v) for v in nodes], "name": [m[0] for m in meta], "family": [m[1] for m in meta],
                       "country": [m[2] for m in meta], "partners": degree, "core": core,
                       "main_core": (core == top) & (top > 0), "in_largest_component": in_lcc,
                       "intermediated": inter, "via": via})
    df = df.sort_values(["core", "id"], ascending=[False, True], kind="stable").reset_index(drop=True)
    main = int(df["main_core"].sum())
    df.attrs.update(max_core=top, main_core_size=main, main_core_share=main / n if n else float("nan"),
                    largest_component=int(in_lcc.sum()), intermediated=int(inter.sum()))
    return df
