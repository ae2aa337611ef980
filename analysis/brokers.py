"""Brokers and fragility: articulation points, bridges, structural holes, single-broker dependence,
Gould–Fernandez brokerage roles and the E-I index of families and countries.

Everything works on the undirected actor network (`analysis.projection.actor_projection`); the
property graph may be passed instead and is projected first.
"""

from __future__ import annotations

import math
from collections.abc import Hashable

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis._igraph import to_igraph
from analysis.memo import per_graph
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

#: Graphs up to this many nodes get Burt's measures straight from networkx on the whole graph.
_HOLES_NX_MAX_NODES = 2000


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


def structural_holes(
    g: nx.Graph,
    filters: Filters | None = None,
    *,
    weight: str | None = None,
    max_work: int = 200_000_000,
) -> pd.DataFrame:
    """Burt's constraint, effective size and efficiency of every actor.

    Parameters
    ----------
    g : networkx.Graph or networkx.MultiDiGraph
        The actor projection, or the property graph (projected after ``filters``).
    filters : Filters or None
    weight : str or None, default None
        Edge attribute of tie strength (``"weight"``, ``"newman"``...); ``None`` counts ties.
    max_work : int, default 200,000,000
        Cost cap for large graphs, in two-step paths examined (see Notes).

    Returns
    -------
    pandas.DataFrame
        One row per actor, sorted by id: ``id, name, family, country, degree, constraint``
        (low = the actor spans structural holes), ``effective_size`` (non-redundant contacts),
        ``efficiency`` (effective size / degree) and ``computed`` (False where the cap left the
        value out). ``df.attrs["method"]`` says how the values were obtained.

    Notes
    -----
    Up to 2,000 nodes the values are ``networkx.constraint`` and ``networkx.effective_size``
    on the whole graph (the weighted effective size excepted: networkx's whole-graph shortcut
    normalises it along the wrong axis, networkx PR #8906, so it is evaluated as below; the
    tests check it against networkx's node-by-node formula). Above that, the same formulas are
    evaluated in row batches of sparse products — constraint ``c_i = Σ_j (p_ij + Σ_q p_iq p_qj)²``, effective size
    ``Σ_j (1 - Σ_q p_iq m_jq)`` — and only for actors with two or more contacts: with no
    contact both measures are undefined (NaN), with one contact both are exactly 1. The cost of
    an actor is the number of two-step paths leaving it (``Σ_{q ∈ N(i)} deg(q)``); actors are
    taken cheapest first until ``max_work`` is spent, and any left (the largest hubs of a huge
    network) get NaN and ``computed = False``.

    References
    ----------
    .. [1] R. S. Burt, *Structural Holes: The Social Structure of Competition*, Harvard
       University Press (1992).
    .. [2] S. P. Borgatti, "Structural holes: unpacking Burt's redundancy measures",
       Connections 20(1), 35–38 (1997).
    """
    proj = as_actor_graph(g, filters)
    nodes = sorted(proj, key=str)
    n = len(nodes)
    deg = np.array([proj.degree(v) for v in nodes], dtype=np.int64)
    computed = np.ones(n, dtype=bool)
    if n <= _HOLES_NX_MAX_NODES:
        h = _sorted_graph(proj, nodes)
        con = nx.constraint(h, weight=weight) if n else {}
        constraint = np.array([con[v] for v in nodes], dtype=float)
        if weight is None:
            eff = nx.effective_size(h) if n else {}
            effective = np.array([eff[v] for v in nodes], dtype=float)
        else:  # networkx's whole-graph weighted effective size normalises by the wrong axis (PR #8906)
            _, effective, _ = _holes_batched(proj, nodes, deg, weight=weight, max_work=2**62)
        method = "networkx.structuralholes on the whole graph"
    else:
        constraint, effective, computed = _holes_batched(proj, nodes, deg, weight=weight, max_work=max_work)
        method = (f"batched sparse evaluation for actors with >= 2 contacts, work cap {max_work:,}; "
                  f"{int((~computed).sum())} left out")
    with np.errstate(divide="ignore", invalid="ignore"):
        efficiency = np.where(deg > 0, effective / np.maximum(deg, 1), np.nan)
    df = pd.DataFrame({"id": [str(v) for v in nodes]})
    meta = [_describe(proj, v) for v in nodes]
    df["name"] = [m[0] for m in meta]
    df["family"] = [m[1] for m in meta]
    df["country"] = [m[2] for m in meta]
    df["degree"] = deg
    df["constraint"] = constraint
    df["effective_size"] = effective
    df["efficiency"] = efficiency
    df["computed"] = computed
    df.attrs["method"] = method
    return df


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


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _describe(g: nx.Graph, v: Hashable) -> tuple[str, str, str]:
    d = g._node[v]  # the raw attribute dict (g.nodes[v] builds a view first)
    return _text(d.get("name")) or str(v), _text(d.get("family")), _text(d.get("country"))


def _sorted_graph(g: nx.Graph, nodes: list) -> nx.Graph:
    if list(g) == nodes:
        return g
    h = nx.Graph()
    h.add_nodes_from(nodes)
    h.add_edges_from(g.edges(data=True))
    return h


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


def _holes_batched(
    g: nx.Graph, nodes: list, deg: np.ndarray, *, weight: str | None, max_work: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Constraint and effective size by row batches of sparse products (see `structural_holes`)."""
    n = len(nodes)
    _, w = adjacency(g, weight, nodelist=nodes)
    w.setdiag(0)
    w.eliminate_zeros()
    mutual = (w + w.T).tocsr()
    rowsum = np.asarray(mutual.sum(axis=1)).ravel()
    rowmax = mutual.max(axis=1).toarray().ravel()
    with np.errstate(divide="ignore"):
        inv_sum = np.where(rowsum > 0, 1.0 / rowsum, 0.0)
        inv_max = np.where(rowmax > 0, 1.0 / rowmax, 0.0)
    p = (sp.diags(inv_sum) @ mutual).tocsr()  # p_ij: share of i's ties going to j
    # Both two-step sums come from one product: Σ_q p_iq p_qj = (P diag(1/rowsum) M)_ij and
    # Σ_q p_iq m_jq = (P M)_ij / rowmax_j (M symmetric, m_jq = M_jq / rowmax_j). With the complex
    # middle factor diag(1/rowsum + i), (P · that · M) carries the first in its real part and
    # the second (before the column scaling) in its imaginary part: one sparse product, not two.
    both = (sp.diags(inv_sum + 1j) @ mutual).tocsr()
    constraint = np.full(n, np.nan)
    effective = np.full(n, np.nan)
    computed = np.ones(n, dtype=bool)  # False only where the cap leaves a value out
    constraint[deg == 1] = 1.0
    effective[deg == 1] = 1.0
    candidates = np.flatnonzero(deg >= 2)
    binary = (mutual > 0).astype(float)
    work = np.asarray(binary[candidates] @ deg.astype(float)).ravel() if len(candidates) else np.zeros(0)
    order = candidates[np.argsort(work, kind="stable")]
    cost = np.cumsum(np.sort(work, kind="stable"))
    keep = order[cost <= max_work]
    computed[order[cost > max_work]] = False
    batch_budget = 5_000_000
    start = 0
    sorted_work = np.sort(work, kind="stable")
    while start < len(keep):
        acc, stop = 0.0, start
        while stop < len(keep) and (stop == start or acc + sorted_work[stop] <= batch_budget):
            acc += sorted_work[stop]
            stop += 1
        rows = keep[start:stop]
        pr = p[rows]
        mask = (pr > 0).astype(float)
        two = (pr @ both).multiply(mask).tocsr()  # only the pairs (i, j) with j a contact of i
        local = pr + two.real  # pr lies inside the mask
        constraint[rows] = np.asarray(local.multiply(local).sum(axis=1)).ravel()
        redundancy = two.imag @ sp.diags(inv_max)
        effective[rows] = deg[rows] - np.asarray(redundancy.sum(axis=1)).ravel()
        start = stop
    return constraint, effective, computed


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
