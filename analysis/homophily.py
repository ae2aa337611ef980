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

from analysis.brokers import _ei
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
    up = sp.triu(a, k=0).tocoo()
    cu, cv = _tie_groups(g, nodes, up, attribute, skip_empty)
    return _assortativity(cu, cv)


def homophily(g: nx.Graph, attributes: Iterable[str] = HOMOPHILY_ATTRIBUTES,
              filters: Filters | None = None) -> pd.DataFrame:
    """Assortativity and E-I index of the actor network by each attribute (family, country and type).

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
        and ``ei`` (the whole-network E-I index of `analysis.brokers.network_ei_index`, ties
        counted once, on the same actors).

    Notes
    -----
    One pass over the tie arrays of the projection (`analysis.matrices.adjacency`) per attribute;
    the E-I index is `analysis.brokers`' own formula applied to those tie groups.

    References
    ----------
    .. [1] M. E. J. Newman, "Mixing patterns in networks", Phys. Rev. E 67, 026126 (2003).
    .. [2] D. Krackhardt and R. N. Stern, "Informal networks and organizational crises",
       Social Psychology Quarterly 51(2), 123–140 (1988).
    .. [3] M. McPherson, L. Smith-Lovin and J. M. Cook, "Birds of a feather: homophily in social
       networks", Annual Review of Sociology 27, 415–444 (2001).
    """
    proj = as_actor_graph(g, filters)
    nodes, a = adjacency(proj, None)
    up = sp.triu(a, k=1).tocoo()  # each tie once, no self-ties (as the E-I index counts them)
    rows = []
    for attr in attributes:
        skip = attr == "country"
        values = np.array([_text(proj._node[v].get(attr)) for v in nodes], dtype=object)
        cu, cv = _tie_groups(proj, nodes, up, attr, skip, values=values)
        same = cu == cv
        edges = pd.DataFrame({"gu": cu, "gv": cv, "w": np.ones(len(cu))})
        actors = int((values != "").sum()) if skip else len(nodes)
        rows.append((attr, len(set(values.tolist()) - {""}), actors, len(cu),
                     float(same.mean()) if len(cu) else float("nan"), _assortativity(cu, cv), _ei(edges)))
    cols = ["attribute", "groups", "actors", "ties", "within_share", "assortativity", "ei"]
    df = pd.DataFrame(rows, columns=cols)
    df.attrs["basis"] = "ties of the actor network counted once each; country: actors with a country only"
    return df


def _tie_groups(g: nx.Graph, nodes: list, up: sp.coo_matrix, attribute: str, skip_empty: bool, *,
                values: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Group codes of both ends of every tie in ``up`` (ties with an empty end dropped when ``skip_empty``)."""
    if values is None:
        values = np.array([_text(g._node[v].get(attribute)) for v in nodes], dtype=object)
    codes, _ = pd.factorize(pd.Series(values, dtype=object))
    codes = codes.astype(np.int64)
    if skip_empty:
        codes[values == ""] = -1
    cu, cv = codes[up.row], codes[up.col]
    ok = (cu >= 0) & (cv >= 0)
    return cu[ok], cv[ok]


def _assortativity(cu: np.ndarray, cv: np.ndarray) -> float:
    if not len(cu):
        return float("nan")
    k = int(max(cu.max(), cv.max())) + 1
    m = sp.coo_matrix((np.ones(2 * len(cu)), (np.concatenate([cu, cv]), np.concatenate([cv, cu]))),
                      shape=(k, k)).toarray()
    e = m / m.sum()
    share = e.sum(axis=1)
    expected = float(share @ share)
    return float((np.trace(e) - expected) / (1 - expected)) if expected < 1 else float("nan")


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)
