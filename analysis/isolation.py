"""Isolation: isolated actors, funders outside partnerships, actors in no partnership or only in
single-member partnerships, on the periphery (one tie), and the connected components of the actor network.

One definition of isolation is used everywhere (key figures, tables, report, dashboard, exports):
an actor is **isolated** when it has no membership in a partnership that has another member, no
explicit link and no funding tie in either direction (`ISOLATION_DEFINITION`). An actor that funds
something but belongs to no partnership is not isolated: it is a **funder outside partnerships**.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse.csgraph as csgraph

from analysis.memo import per_graph
from analysis.projection import (
    Filters,
    actor_projection,
    adjacency,
    as_actor_graph,
    filter_graph,
    incidence_matrix,
)

__all__ = [
    "FUNDER_OUTSIDE_DEFINITION",
    "ISOLATION_DEFINITION",
    "actors_without_partnership",
    "component_membership",
    "components",
    "funders_outside_partnerships",
    "isolated_actors",
    "isolation_summary",
    "peripheral_actors",
    "single_member_only",
]

#: What "isolated" means, in the words the CLI, the report and the dashboard show.
ISOLATION_DEFINITION = ("no membership in a partnership that has another member, no link and no funding tie "
                        "in either direction")
#: What "funder outside partnerships" means.
FUNDER_OUTSIDE_DEFINITION = "funds a partnership or an actor but is a member of no partnership"


def actors_without_partnership(g: nx.MultiDiGraph, filters: Filters | None = None) -> pd.DataFrame:
    """Actors that are members of no partnership.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph (`graph.convert.dataset_to_graph`).
    filters : Filters or None
        With partnership filters, "no partnership" means none among the partnerships kept.

    Returns
    -------
    pandas.DataFrame
        Sorted by id: ``id, name, family, country, n_links`` (explicit LINKED_TO ties, either
        direction), ``funds`` (FUNDS edges it sends: funders often sit outside partnerships),
        ``funding_ties`` (FUNDS edges sent or received) and ``isolated`` (no link and no funding
        tie either: nothing ties it to anyone, see `ISOLATION_DEFINITION`).

    Notes
    -----
    Degree-zero actors of the two-mode actor–partnership network (Borgatti & Everett 1997).

    References
    ----------
    .. [1] S. P. Borgatti and M. G. Everett, "Network analysis of 2-mode data",
       Social Networks 19(3), 243–269 (1997).
    """
    h = filter_graph(g, filters) if filters is not None else g
    b, actors, _ = incidence_matrix(h)
    n_part = np.asarray(b.sum(axis=1)).ravel()
    links, funds, funded = _edge_counts(h, actors)
    keep = n_part == 0
    df = _actor_frame(h, [a for a, k in zip(actors, keep, strict=True) if k])
    df["n_links"] = links[keep].astype(np.int64)
    df["funds"] = funds[keep].astype(np.int64)
    df["funding_ties"] = (funds[keep] + funded[keep]).astype(np.int64)
    df["isolated"] = (df["n_links"] == 0) & (df["funding_ties"] == 0)
    return df


def isolated_actors(
    g: nx.MultiDiGraph, filters: Filters | None = None, *, projection: nx.Graph | None = None
) -> pd.DataFrame:
    """Isolated actors: no membership in a partnership that has another member, no link, no funding tie.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph.
    filters : Filters or None
    projection : networkx.Graph or None
        The actor projection of the same (filtered) graph, if already computed.

    Returns
    -------
    pandas.DataFrame
        The rows of `isolation_summary` whose ``isolated`` flag is set, sorted by id: ``id, name,
        family, country, n_partnerships`` (single-member partnerships only, or none). Its length
        is the "isolated actors" key figure of `analysis.headline.figures`: both come from the
        same flag.

    Notes
    -----
    Isolates of the actor network (degree 0 in the projection: no shared partnership, no link)
    that are not tied by funding either (`ISOLATION_DEFINITION`). Funders outside partnerships
    are listed by `funders_outside_partnerships`, not here.

    Examples
    --------
    >>> from graph.model import Actor, Dataset, Funding, Membership, Partnership
    >>> from graph.convert import dataset_to_graph
    >>> ds = Dataset(actors=[Actor(x, x, "ngo") for x in ("alone", "funder", "solo")],
    ...              partnerships=[Partnership("p", "P", "project")],
    ...              memberships=[Membership("solo", "p")], funding=[Funding("funder", "p", "ESF")])
    >>> isolated_actors(dataset_to_graph(ds))["id"].tolist()
    ['alone', 'solo']
    """
    df = isolation_summary(g, filters, projection=projection)
    return df.loc[df["isolated"], ["id", "name", "family", "country", "n_partnerships"]].reset_index(drop=True)


def funders_outside_partnerships(g: nx.MultiDiGraph, filters: Filters | None = None) -> pd.DataFrame:
    """Actors that fund a partnership or an actor but are members of no partnership.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph.
    filters : Filters or None

    Returns
    -------
    pandas.DataFrame
        Sorted by id: ``id, name, family, country, funds`` (FUNDS edges it sends) and ``n_links``.
        They are their own category (`FUNDER_OUTSIDE_DEFINITION`), never counted as isolated: a
        ministry or foundation that funds several partnerships is tied to them by its money.
    """
    df = actors_without_partnership(g, filters)
    return df.loc[df["funds"] > 0, ["id", "name", "family", "country", "funds", "n_links"]].reset_index(drop=True)


def single_member_only(g: nx.MultiDiGraph, filters: Filters | None = None) -> pd.DataFrame:
    """Actors whose partnerships all have them as their only member.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph.
    filters : Filters or None

    Returns
    -------
    pandas.DataFrame
        Sorted by id: ``id, name, family, country, n_partnerships, partnerships`` (sorted ids) and
        ``n_links``. Such an actor appears in the data but shares no partnership with anyone.
    """
    h = filter_graph(g, filters) if filters is not None else g
    b, actors, parts = incidence_matrix(h)
    sizes = np.asarray(b.sum(axis=0)).ravel()
    n_part = np.asarray(b.sum(axis=1)).ravel()
    shared = np.asarray(b @ (sizes > 1).astype(float)).ravel()
    keep = (n_part > 0) & (shared == 0)
    links, _, _ = _edge_counts(h, actors)
    rows = np.flatnonzero(keep)
    df = _actor_frame(h, [actors[i] for i in rows])
    df["n_partnerships"] = n_part[rows].astype(np.int64)
    csr = b.tocsr()
    df["partnerships"] = [sorted(parts[j] for j in csr.indices[csr.indptr[i]:csr.indptr[i + 1]]) for i in rows]
    df["n_links"] = links[rows].astype(np.int64)
    return df


def peripheral_actors(g: nx.Graph, filters: Filters | None = None) -> pd.DataFrame:
    """Actors with exactly one contact in the actor network.

    Parameters
    ----------
    g : networkx.Graph or networkx.MultiDiGraph
        The actor projection, or the property graph (projected with links, after ``filters``).
    filters : Filters or None

    Returns
    -------
    pandas.DataFrame
        Sorted by id: ``id, name, family, country, contact`` (the one actor it is tied to),
        ``contact_name``, ``contact_degree`` and ``weight`` of the tie. A peripheral actor reaches
        the network only through its contact ("pendant" vertex; Scott 2017).

    References
    ----------
    .. [1] J. Scott, *Social Network Analysis*, 4th ed., Sage (2017), ch. 5.
    """
    proj = as_actor_graph(g, filters)
    rows = []
    for v in sorted(proj, key=str):
        nbrs = [u for u in proj[v] if u != v]
        if len(nbrs) == 1:
            u = nbrs[0]
            rows.append((str(v), *_describe(proj, v), str(u), _describe(proj, u)[0], proj.degree(u),
                         proj.edges[v, u].get("weight", 1)))
    cols = ["id", "name", "family", "country", "contact", "contact_name", "contact_degree", "weight"]
    df = pd.DataFrame(rows, columns=cols)
    df["contact_degree"] = df["contact_degree"].astype(np.int64)
    return df


def components(g: nx.Graph, filters: Filters | None = None) -> pd.DataFrame:
    """Connected components of the actor network, largest first.

    Parameters
    ----------
    g : networkx.Graph or networkx.MultiDiGraph
        The actor projection, or the property graph (projected with links, after ``filters``).
    filters : Filters or None

    Returns
    -------
    pandas.DataFrame
        One row per component: ``component`` (0 = largest; ties broken by the smallest member
        id, so numbers are stable), ``size``, ``share`` (of all actors), ``countries`` and
        ``families`` (sorted distinct values) and ``actors`` (sorted member ids).

    References
    ----------
    .. [1] S. Wasserman and K. Faust, *Social Network Analysis*, Cambridge University Press
       (1994), §4.3.

    Examples
    --------
    >>> components(nx.Graph([(1, 2), (3, 4), (4, 5)]))[["component", "size", "actors"]].values.tolist()
    [[0, 3, ['3', '4', '5']], [1, 2, ['1', '2']]]
    """
    proj = as_actor_graph(g, filters)
    comps = _ordered_components(proj)
    n = proj.number_of_nodes()
    rows = []
    for i, members in enumerate(comps):
        countries = sorted({_describe(proj, v)[2] for v in members} - {""})
        families = sorted({_describe(proj, v)[1] for v in members} - {""})
        rows.append((i, len(members), len(members) / n if n else math.nan, countries, families,
                     [str(v) for v in members]))
    df = pd.DataFrame(rows, columns=["component", "size", "share", "countries", "families", "actors"])
    df["component"] = df["component"].astype(np.int64)
    df["size"] = df["size"].astype(np.int64)
    return df


def component_membership(g: nx.Graph, filters: Filters | None = None) -> pd.DataFrame:
    """Each actor's component (numbered as in `components`) and its size, sorted by actor id."""
    proj = as_actor_graph(g, filters)
    rows = []
    for i, members in enumerate(_ordered_components(proj)):
        rows.extend((str(v), i, len(members)) for v in members)
    df = pd.DataFrame(rows, columns=["id", "component", "component_size"])
    df = df.astype({"component": np.int64, "component_size": np.int64})
    return df.sort_values("id", kind="stable").reset_index(drop=True)


def isolation_summary(
    g: nx.MultiDiGraph, filters: Filters | None = None, *, projection: nx.Graph | None = None
) -> pd.DataFrame:
    """One row per actor with every isolation indicator, for tables and reports.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph.
    filters : Filters or None
    projection : networkx.Graph or None
        The actor projection of the same (filtered) graph, if already computed.

    Returns
    -------
    pandas.DataFrame
        Sorted by id: ``id, name, family, country, n_partnerships, n_links, funding_ties`` (FUNDS
        edges sent or received), ``degree`` (contacts in the actor network), ``component``,
        ``component_size`` and the flags ``no_partnership``, ``isolated`` (`ISOLATION_DEFINITION`:
        no partnership with another member, no link, no funding tie), ``funder_outside_partnerships``
        (`FUNDER_OUTSIDE_DEFINITION`), ``single_member_only``, ``peripheral`` (one contact) and
        ``outside_main_component``.
    """
    h = filter_graph(g, filters) if filters is not None else g
    b, actors, _ = incidence_matrix(h)
    proj = projection if projection is not None and filters is None else actor_projection(h)
    sizes = np.asarray(b.sum(axis=0)).ravel()
    n_part = np.asarray(b.sum(axis=1)).ravel()
    shared = np.asarray(b @ (sizes > 1).astype(float)).ravel()
    links, funds, funded = _edge_counts(h, actors)
    comp = component_membership(proj).set_index("id")
    df = _actor_frame(h, actors)
    df["n_partnerships"] = n_part.astype(np.int64)
    df["n_links"] = links.astype(np.int64)
    df["funding_ties"] = (funds + funded).astype(np.int64)
    nodes, a = adjacency(proj, None)
    degree = dict(zip(nodes, (np.diff(a.indptr) + (a.diagonal() != 0)).tolist(), strict=True))
    df["degree"] = np.array([degree[v] for v in actors], dtype=np.int64)
    df["component"] = comp.loc[df["id"], "component"].to_numpy() if len(df) else np.zeros(0, np.int64)
    df["component_size"] = comp.loc[df["id"], "component_size"].to_numpy() if len(df) else np.zeros(0, np.int64)
    df["no_partnership"] = n_part == 0
    df["isolated"] = (shared == 0) & (links == 0) & (funds + funded == 0)
    df["funder_outside_partnerships"] = (n_part == 0) & (funds > 0)
    df["single_member_only"] = (n_part > 0) & (shared == 0)
    df["peripheral"] = df["degree"] == 1
    df["outside_main_component"] = df["component"] != 0
    return df


# --- helpers -------------------------------------------------------------------------------------


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _describe(g: nx.Graph, v: object) -> tuple[str, str, str]:
    d = g._node[v]  # the raw attribute dict (g.nodes[v] builds a view first)
    return _text(d.get("name")) or str(v), _text(d.get("family")), _text(d.get("country"))


def _actor_frame(g: nx.Graph, ids: list) -> pd.DataFrame:
    meta = [_describe(g, v) for v in ids]
    return pd.DataFrame({"id": [str(v) for v in ids], "name": [m[0] for m in meta],
                         "family": [m[1] for m in meta], "country": [m[2] for m in meta]},
                        columns=["id", "name", "family", "country"], dtype=str)


def _edge_counts(h: nx.MultiDiGraph, actors: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per actor: LINKED_TO edges (either direction, self-links left out), FUNDS edges sent and received."""
    counts = per_graph(h, ("edge_counts", len(actors)), lambda: _count_edges(h, actors))
    return tuple(c.copy() for c in counts)  # type: ignore[return-value]


def _count_edges(h: nx.MultiDiGraph, actors: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    index = {a: i for i, a in enumerate(actors)}
    links = np.zeros(len(actors))
    funds = np.zeros(len(actors))
    funded = np.zeros(len(actors))
    for u, v, d in h.edges(data=True):
        t = d.get("type")
        if t == "LINKED_TO" and u != v:
            for x in (u, v):
                if x in index:
                    links[index[x]] += 1
        elif t == "FUNDS" and u != v:
            if u in index:
                funds[index[u]] += 1
            if v in index:
                funded[index[v]] += 1
    return links, funds, funded


def _ordered_components(g: nx.Graph) -> list[list]:
    """Connected components (scipy, on the adjacency matrix), largest first, ties by smallest id."""
    nodes, a = adjacency(g, None)
    if not nodes:
        return []
    _, labels = csgraph.connected_components(a, directed=False)
    order = np.argsort(labels, kind="stable")  # nodes are sorted: members come out sorted
    bounds = np.searchsorted(labels[order], np.arange(labels.max() + 2))
    comps = [[nodes[k] for k in order[bounds[c]:bounds[c + 1]].tolist()] for c in range(len(bounds) - 1)]
    return sorted(comps, key=lambda c: (-len(c), str(c[0])))
