"""Homophily of the actor network: do actors tie to their own family, country and type?

Two measures side by side, per attribute: Newman's attribute assortativity coefficient r (1 = ties
only inside groups, 0 = as mixed as chance given the group sizes, negative = ties prefer other
groups) and Krackhardt & Stern's E-I index (`analysis.brokers.network_ei_index`: -1 all ties
inside, +1 all ties outside, not corrected for group sizes).
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis.brokers import network_ei_index
from analysis.filters import Filters
from analysis.matrices import adjacency
from analysis.projection import as_actor_graph

__all__ = ["HOMOPHILY_ATTRIBUTES", "assortativity", "homophily"]

#: The actor attributes `homophily` reports by default.
HOMOPHILY_ATTRIBUTES: tuple[str, ...] = ("family", "country", "type")


def assortativity(g: nx.Graph, attribute: str, *, skip_empty: bool = False) -> float:
    """Newman's attribute assortativity coefficient of undirected ``g`` by a categorical node ``attribute``.

    Parameters
    ----------
    g : networkx.Graph
        An actor graph; every tie counts once (weights are not used).
    attribute : str
        Node attribute; a missing value is the group ``""``.
    skip_empty : bool, default False
        Leave out actors whose value is empty (and their ties), e.g. actors without a country.

    Returns
    -------
    float
        ``r = (Σ_i e_ii - Σ_i a_i²) / (1 - Σ_i a_i²)`` with ``e`` the symmetric mixing matrix of
        the ties (each tie counted in both directions, normalised to 1) and ``a`` its row sums;
        NaN without ties, or when every tie end is in one group. Equals
        ``networkx.attribute_assortativity_coefficient``, computed with one sparse contingency
        table instead of a Python loop over ties.

    References
    ----------
    .. [1] M. E. J. Newman, "Mixing patterns in networks", Phys. Rev. E 67, 026126 (2003).

    Examples
    --------
    >>> g = nx.Graph([(0, 1), (2, 3), (1, 2)])
    >>> nx.set_node_attributes(g, {0: "x", 1: "x", 2: "y", 3: "y"}, "family")
    >>> round(assortativity(g, "family"), 3)
    0.333
    """
    nodes, a = adjacency(g, None)
    codes, _ = pd.factorize(pd.Series([_text(g.nodes[v].get(attribute)) for v in nodes], dtype=object))
    codes = codes.astype(np.int64)
    if skip_empty:
        empty = np.array([_text(g.nodes[v].get(attribute)) == "" for v in nodes], dtype=bool)
        codes[empty] = -1
    up = sp.triu(a, k=0).tocoo()
    cu, cv = codes[up.row], codes[up.col]
    ok = (cu >= 0) & (cv >= 0)
    cu, cv = cu[ok], cv[ok]
    if not len(cu):
        return float("nan")
    k = int(codes.max()) + 1
    m = sp.coo_matrix((np.ones(2 * len(cu)), (np.concatenate([cu, cv]), np.concatenate([cv, cu]))),
                      shape=(k, k)).toarray()
    e = m / m.sum()
    share = e.sum(axis=1)
    expected = float(share @ share)
    return float((np.trace(e) - expected) / (1 - expected)) if expected < 1 else float("nan")


def homophily(g: nx.Graph, attributes: Iterable[str] = HOMOPHILY_ATTRIBUTES,
              filters: Filters | None = None) -> pd.DataFrame:
    """Assortativity and E-I index of the actor network by each attribute (family, country, type).

    Parameters
    ----------
    g : networkx.Graph or networkx.MultiDiGraph
        An actor graph (projection, stable-tie projection, backbone) or the property graph.
    attributes : iterable of str
    filters : Filters or None

    Returns
    -------
    pandas.DataFrame
        One row per attribute: ``attribute, groups`` (distinct non-empty values), ``actors`` and
        ``ties`` counted (for ``country``, actors without a country and their ties are left out),
        ``within_share`` (share of those ties inside a group), ``assortativity`` (`assortativity`)
        and ``ei`` (`analysis.brokers.network_ei_index` on the same actors).

    References
    ----------
    .. [1] M. E. J. Newman, "Mixing patterns in networks", Phys. Rev. E 67, 026126 (2003).
    .. [2] D. Krackhardt and R. N. Stern, "Informal networks and organizational crises",
       Social Psychology Quarterly 51(2), 123–140 (1988).
    .. [3] M. McPherson, L. Smith-Lovin and J. M. Cook, "Birds of a feather: homophily in social
       networks", Annual Review of Sociology 27, 415–444 (2001).
    """
    proj = as_actor_graph(g, filters)
    rows = []
    for attr in attributes:
        skip = attr == "country"
        h = proj
        if skip:
            h = proj.subgraph([v for v, d in proj.nodes(data=True) if _text(d.get(attr))])
        values = [_text(d.get(attr)) for _, d in h.nodes(data=True)]
        nodes, a = adjacency(h, None) if h.number_of_nodes() else ([], sp.csr_array((0, 0)))
        group = np.array([_text(h.nodes[v].get(attr)) for v in nodes], dtype=object)
        up = sp.triu(a, k=1).tocoo()
        ties = len(up.row)
        within = float((group[up.row] == group[up.col]).mean()) if ties else float("nan")
        rows.append((attr, len({x for x in values if x}), h.number_of_nodes(), ties, within,
                     assortativity(h, attr), network_ei_index(h, attr) if ties else float("nan")))
    cols = ["attribute", "groups", "actors", "ties", "within_share", "assortativity", "ei"]
    df = pd.DataFrame(rows, columns=cols)
    df.attrs["basis"] = "ties of the actor network counted once each; country: actors with a country only"
    return df


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)
