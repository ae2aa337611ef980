"""Brokers and fragility: articulation points, bridges, structural holes, single-broker dependence,
Gould–Fernandez brokerage roles and the E-I index of families and countries.

This module holds the measures of brokerage between groups (Gould–Fernandez roles, E-I index);
the others live in their own modules and are importable from here as before:
`analysis.fragility` (articulation points, dependent actors, bridges) and `analysis.holes`
(Burt's constraint and effective size).

Everything works on the undirected actor network (`analysis.projection.actor_projection`); the
property graph may be passed instead and is projected first.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd

from analysis._actor_labels import _describe, _text
from analysis.fragility import articulation_points, bridges, dependent_actors
from analysis.holes import structural_holes
from analysis.projection import Filters, adjacency, as_actor_graph

__all__ = [
    "BROKERAGE_ROLES",
    "articulation_points",
    "bridges",
    "brokerage_roles",
    "dependent_actors",
    "ei_index",
    "network_ei_index",
    "structural_holes",
]

#: Gould & Fernandez's five roles, in their order.
BROKERAGE_ROLES: tuple[str, ...] = ("coordinator", "gatekeeper", "representative", "consultant", "liaison")


def brokerage_roles(
    g: nx.Graph, attribute: str = "family", filters: Filters | None = None, *, max_degree: int | None = None
) -> pd.DataFrame:
    """Gould–Fernandez brokerage roles of every actor, with groups given by a node attribute.

    Parameters
    ----------
    g : networkx.Graph or networkx.MultiDiGraph
        The actor projection, or the property graph (projected after ``filters``).
    attribute : str, default "family"
        Node attribute that defines the groups (``"family"``, ``"country"``...). Actors with no
        value form one group of their own (``""``: e.g. European bodies for ``country``).
    filters : Filters or None
    max_degree : int or None
        Brokers with more contacts than this are left out (NaN); ``None`` computes all.

    Returns
    -------
    pandas.DataFrame
        One row per actor, sorted by id: ``id, name, family, country, group, degree``, a count for
        each role in `BROKERAGE_ROLES` and ``total`` (all open two-paths it brokers).

    Notes
    -----
    Actor ``j`` brokers for ``i`` and ``k`` when ``i - j - k`` with no direct tie ``i - k``.
    With ``A`` the group of ``i``, ``B`` of ``j`` and ``C`` of ``k`` the role is:
    coordinator (A = B = C), gatekeeper (A ≠ B = C: j controls access to its own group),
    representative (A = B ≠ C: j speaks for its group to another), consultant (A = C ≠ B:
    j serves another group) and liaison (A, B, C all different).

    Gould & Fernandez define the roles on directed ties. The actor network is undirected, so
    every tie is read as reciprocated: each open two-path ``i - j - k`` counts once as
    ``i → j → k`` and once as ``k → j → i`` (what UCINET and statnet report for a symmetric
    network). Consequently a broker's gatekeeper and representative counts are equal, and its
    coordinator, consultant and liaison counts are even.

    Cost: pair counts per group come from the group sizes among a broker's contacts; only the
    closed pairs (triangles) are enumerated, from the sub-adjacency matrix of the broker's
    contacts (scipy). Total work is ``Σ_q deg(q)²`` in compiled code plus a small constant per
    actor, comfortably fast up to ~100k ties; ``max_degree`` bounds the work of huge hubs.

    References
    ----------
    .. [1] R. V. Gould and R. M. Fernandez, "Structures of mediation: a formal approach to
       brokerage in transaction networks", Sociological Methodology 19, 89–126 (1989).

    Examples
    --------
    >>> g = nx.Graph([("a", "b"), ("b", "c")])
    >>> nx.set_node_attributes(g, {"a": "x", "b": "x", "c": "y"}, "family")
    >>> brokerage_roles(g).set_index("id").loc["b", list(BROKERAGE_ROLES)].tolist()
    [0, 1, 1, 0, 0]
    """
    proj = as_actor_graph(g, filters)
    nodes = sorted(proj, key=str)
    n = len(nodes)
    groups = [_text(proj.nodes[v].get(attribute)) for v in nodes]
    labels, gid = np.unique(np.array(groups, dtype=object), return_inverse=True) if n else ([], np.zeros(0, int))
    ng = len(labels)
    _, a = adjacency(proj, None)
    a.setdiag(0)
    a.eliminate_zeros()
    a.data[:] = 1
    counts = np.zeros((n, 5), dtype=float)
    indptr, indices = a.indptr, a.indices
    for j in range(n):
        nb = indices[indptr[j]:indptr[j + 1]]
        d = len(nb)
        if max_degree is not None and d > max_degree:
            counts[j] = np.nan
            continue
        if d < 2:
            continue
        s = gid[j]
        c = np.bincount(gid[nb], minlength=ng).astype(float)
        sub = a[nb][:, nb].tocoo()
        closed = np.zeros((ng, ng))
        np.add.at(closed, (gid[nb][sub.row], gid[nb][sub.col]), 1.0)  # ordered adjacent pairs
        cs, out = c[s], d - c[s]
        other = np.arange(ng) != s
        diag = np.diag(closed)
        coord = cs * (cs - 1) - closed[s, s]
        gate = out * cs - closed[other, s].sum()
        rep = cs * out - closed[s, other].sum()
        consult = (c[other] * (c[other] - 1)).sum() - diag[other].sum()
        liaison_all = out * out - (c[other] ** 2).sum()
        liaison_closed = closed.sum() - closed[s, :].sum() - closed[:, s].sum() + closed[s, s] - diag[other].sum()
        counts[j] = (coord, gate, rep, consult, liaison_all - liaison_closed)
    df = pd.DataFrame({"id": [str(v) for v in nodes]})
    meta = [_describe(proj, v) for v in nodes]
    df["name"] = [m[0] for m in meta]
    df["family"] = [m[1] for m in meta]
    df["country"] = [m[2] for m in meta]
    df["group"] = groups
    df["degree"] = np.diff(indptr).astype(np.int64)
    for i, role in enumerate(BROKERAGE_ROLES):
        col = counts[:, i]
        df[role] = col.astype(np.int64) if not np.isnan(col).any() else col
    df["total"] = counts.sum(axis=1) if np.isnan(counts).any() else counts.sum(axis=1).astype(np.int64)
    df.attrs.update(attribute=attribute, max_degree=max_degree)
    return df


def ei_index(
    g: nx.Graph, attribute: str = "family", filters: Filters | None = None, *, weight: str | None = None
) -> pd.DataFrame:
    """Krackhardt & Stern's E-I index of each group (family, country...): outward versus inward ties.

    Parameters
    ----------
    g : networkx.Graph or networkx.MultiDiGraph
        The actor projection, or the property graph (projected after ``filters``).
    attribute : str, default "family"
        Node attribute that defines the groups; actors with no value form the group ``""``.
    filters : Filters or None
    weight : str or None
        Sum this edge attribute instead of counting ties.

    Returns
    -------
    pandas.DataFrame
        One row per group, sorted by group: ``group, actors, internal`` (ties inside the group),
        ``external`` (ties from its members to other groups) and ``ei = (E - I) / (E + I)``, from
        -1 (all ties inside: closed) to +1 (all ties outside: open); NaN for a group without
        ties. ``df.attrs["network_ei"]`` holds the whole-network index (`network_ei_index`).

    References
    ----------
    .. [1] D. Krackhardt and R. N. Stern, "Informal networks and organizational crises: an
       experimental simulation", Social Psychology Quarterly 51(2), 123–140 (1988).

    Examples
    --------
    >>> g = nx.Graph([("a", "b"), ("b", "c")])
    >>> nx.set_node_attributes(g, {"a": "x", "b": "x", "c": "y"}, "family")
    >>> ei_index(g)[["group", "internal", "external", "ei"]].values.tolist()
    [['x', 1.0, 1.0, 0.0], ['y', 0.0, 1.0, 1.0]]
    """
    proj = as_actor_graph(g, filters)
    groups = pd.Series({v: _text(d.get(attribute)) for v, d in proj.nodes(data=True)}, dtype=object)
    edges = _edge_groups(proj, groups, weight)
    actors = groups.value_counts()
    inside = edges[edges["gu"] == edges["gv"]].groupby("gu")["w"].sum()
    cross = edges[edges["gu"] != edges["gv"]]
    external = pd.concat([cross.groupby("gu")["w"].sum(), cross.groupby("gv")["w"].sum()]).groupby(level=0).sum()
    idx = sorted(actors.index)
    df = pd.DataFrame({"group": idx})
    df["actors"] = [int(actors[x]) for x in idx]
    df["internal"] = [float(inside.get(x, 0.0)) for x in idx]
    df["external"] = [float(external.get(x, 0.0)) for x in idx]
    tot = df["internal"] + df["external"]
    df["ei"] = ((df["external"] - df["internal"]) / tot).where(tot > 0)
    df.attrs.update(attribute=attribute, network_ei=_ei(edges))
    return df


def network_ei_index(
    g: nx.Graph, attribute: str = "family", filters: Filters | None = None, *, weight: str | None = None
) -> float:
    """Whole-network E-I index: (ties between groups - ties within groups) / all ties (NaN without ties).

    References
    ----------
    .. [1] D. Krackhardt and R. N. Stern, "Informal networks and organizational crises: an
       experimental simulation", Social Psychology Quarterly 51(2), 123–140 (1988).
    """
    proj = as_actor_graph(g, filters)
    groups = pd.Series({v: _text(d.get(attribute)) for v, d in proj.nodes(data=True)}, dtype=object)
    return _ei(_edge_groups(proj, groups, weight))


# --- helpers -------------------------------------------------------------------------------------


def _edge_groups(g: nx.Graph, groups: pd.Series, weight: str | None) -> pd.DataFrame:
    rows = [(u, v, float(d.get(weight, 1)) if weight else 1.0) for u, v, d in g.edges(data=True) if u != v]
    edges = pd.DataFrame(rows, columns=["u", "v", "w"])
    edges["gu"] = groups.reindex(edges["u"]).to_numpy() if len(edges) else []
    edges["gv"] = groups.reindex(edges["v"]).to_numpy() if len(edges) else []
    return edges


def _ei(edges: pd.DataFrame) -> float:
    if edges.empty:
        return math.nan
    internal = float(edges.loc[edges["gu"] == edges["gv"], "w"].sum())
    external = float(edges.loc[edges["gu"] != edges["gv"], "w"].sum())
    total = internal + external
    return (external - internal) / total if total else math.nan
