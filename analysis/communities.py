"""Communities of the actor network: Louvain with a fixed seed, modularity, and a readable description
of each community by its dominant countries and families.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping

import networkx as nx
import numpy as np
import pandas as pd

from analysis.projection import Filters, as_actor_graph

__all__ = [
    "DEFAULT_SEED",
    "community_label",
    "community_summary",
    "louvain",
    "modularity",
]

#: The seed every community detection uses unless told otherwise: a dashboard must not reshuffle.
DEFAULT_SEED = 42

_NO_COUNTRY = "EU/intl"


def louvain(
    g: nx.Graph,
    filters: Filters | None = None,
    *,
    weight: str | None = "weight",
    resolution: float = 1.0,
    seed: int = DEFAULT_SEED,
) -> pd.DataFrame:
    """Louvain communities of the actor network, one row per actor.

    Parameters
    ----------
    g : networkx.Graph or networkx.MultiDiGraph
        The actor projection, or the property graph (projected with links, after ``filters``).
    filters : Filters or None
    weight : str or None, default "weight"
        Edge attribute of tie strength (shared partnerships + links in the projection).
    resolution : float, default 1.0
        Above 1 gives more, smaller communities; below 1 fewer, larger ones.
    seed : int, default `DEFAULT_SEED`
        Fixed, so that the same network always gives the same communities.

    Returns
    -------
    pandas.DataFrame
        Sorted by id: ``id, name, family, country, community`` (0 = the largest; ties in size
        broken by the smallest member id, so numbers are stable), ``community_size`` and
        ``label`` (see `community_label`). ``df.attrs`` holds ``modularity``, ``n_communities``,
        ``seed``, ``resolution`` and ``weight``.

    Notes
    -----
    ``networkx.community.louvain_communities`` (Blondel et al. 2008): greedy local moves of
    nodes between communities to raise modularity, then aggregation of each community into a
    node, repeated until modularity stops rising. The result depends on the order in which
    nodes are visited, so the graph is first rebuilt with nodes and edges in sorted order: the
    same network gives the same communities whatever order a store returned it in. Isolated
    actors form communities of their own.

    References
    ----------
    .. [1] V. D. Blondel, J.-L. Guillaume, R. Lambiotte and E. Lefebvre, "Fast unfolding of
       communities in large networks", J. Stat. Mech. P10008 (2008).
    .. [2] M. E. J. Newman, "Modularity and community structure in networks", PNAS 103(23),
       8577–8582 (2006).

    Examples
    --------
    >>> g = nx.disjoint_union(nx.complete_graph(4), nx.complete_graph(3))
    >>> g.add_edge(0, 4)
    >>> louvain(g)["community"].tolist()
    [0, 0, 0, 0, 1, 1, 1]
    """
    proj = as_actor_graph(g, filters)
    canon = _canonical(proj, weight)
    parts = nx.community.louvain_communities(canon, weight=weight, resolution=resolution, seed=seed)
    ordered = _order(parts)
    q = nx.community.modularity(canon, ordered, weight=weight, resolution=resolution) \
        if canon.number_of_edges() else math.nan
    membership = {v: i for i, members in enumerate(ordered) for v in members}
    sizes = [len(c) for c in ordered]
    nodes = sorted(proj, key=str)
    meta = [_describe(proj, v) for v in nodes]
    df = pd.DataFrame({
        "id": [str(v) for v in nodes],
        "name": [m[0] for m in meta],
        "family": [m[1] for m in meta],
        "country": [m[2] for m in meta],
        "community": np.array([membership[v] for v in nodes], dtype=np.int64),
    })
    df["community_size"] = np.array([sizes[c] for c in df["community"]], dtype=np.int64)
    labels = {c: community_label(grp["country"], grp["family"]) for c, grp in df.groupby("community", sort=True)}
    df["label"] = df["community"].map(labels)
    df.attrs.update(modularity=q, n_communities=len(ordered), seed=seed, resolution=resolution, weight=weight)
    return df


def modularity(
    g: nx.Graph,
    communities: pd.DataFrame | pd.Series | Mapping,
    filters: Filters | None = None,
    *,
    weight: str | None = "weight",
    resolution: float = 1.0,
) -> float:
    """Newman's modularity of a partition of the actor network.

    Parameters
    ----------
    g : networkx.Graph or networkx.MultiDiGraph
        The actor projection, or the property graph (projected after ``filters``).
    communities : DataFrame (``id``, ``community``), Series or mapping
        Actor -> community, e.g. the frame of `louvain`. Actors not listed form one community each.
    weight, resolution
        As in `louvain`.

    Returns
    -------
    float
        ``Q = Σ_c [L_c / m - γ (d_c / 2m)²]``; NaN for a network without ties.

    References
    ----------
    .. [1] M. E. J. Newman, "Modularity and community structure in networks", PNAS 103(23),
       8577–8582 (2006).
    """
    proj = as_actor_graph(g, filters)
    if proj.number_of_edges() == 0:
        return math.nan
    membership = _membership(communities)
    groups: dict[Hashable, set] = {}
    for v in proj:
        key = membership.get(str(v), ("alone", str(v)))
        groups.setdefault(key, set()).add(v)
    return float(nx.community.modularity(proj, list(groups.values()), weight=weight, resolution=resolution))


def community_summary(
    g: nx.Graph,
    communities: pd.DataFrame | None = None,
    filters: Filters | None = None,
    *,
    top: int = 3,
    weight: str | None = "weight",
    seed: int = DEFAULT_SEED,
) -> pd.DataFrame:
    """One row per community: size, dominant countries and families, a readable label.

    Parameters
    ----------
    g : networkx.Graph or networkx.MultiDiGraph
        The actor projection, or the property graph (projected after ``filters``).
    communities : DataFrame or None
        The frame of `louvain`; computed with its defaults (and ``weight``, ``seed``) when None.
    filters : Filters or None
    top : int, default 3
        How many countries and families to list per community.

    Returns
    -------
    pandas.DataFrame
        By community number: ``community, size, share`` (of all actors), ``label``,
        ``dominant_country``, ``country_share``, ``dominant_family``, ``family_share``,
        ``countries`` and ``families`` (the ``top`` most frequent as "FR 60%, BE 40%"),
        ``internal_ties``, ``external_ties`` (ties to other communities) and ``members``
        (sorted ids). Actors without a country count as "EU/intl".

    References
    ----------
    .. [1] V. D. Blondel, J.-L. Guillaume, R. Lambiotte and E. Lefebvre, "Fast unfolding of
       communities in large networks", J. Stat. Mech. P10008 (2008).
    """
    proj = as_actor_graph(g, filters)
    frame = communities if communities is not None else louvain(proj, weight=weight, seed=seed)
    n = len(frame)
    comm = dict(zip(frame["id"].astype(str), frame["community"], strict=True))
    internal: dict[int, int] = {}
    external: dict[int, int] = {}
    for u, v in proj.edges():
        cu, cv = comm.get(str(u)), comm.get(str(v))
        if cu is None or cv is None:
            continue
        if cu == cv:
            internal[cu] = internal.get(cu, 0) + 1
        else:
            external[cu] = external.get(cu, 0) + 1
            external[cv] = external.get(cv, 0) + 1
    rows = []
    for c, grp in frame.groupby("community", sort=True):
        countries = _shares(grp["country"].map(lambda x: x or _NO_COUNTRY))
        families = _shares(grp["family"][grp["family"] != ""])
        rows.append((int(c), len(grp), len(grp) / n if n else math.nan,
                     community_label(grp["country"], grp["family"]),
                     countries.index[0] if len(countries) else "", float(countries.iloc[0]) if len(countries) else 0.0,
                     families.index[0] if len(families) else "", float(families.iloc[0]) if len(families) else 0.0,
                     _format_shares(countries, top), _format_shares(families, top),
                     internal.get(int(c), 0), external.get(int(c), 0), sorted(grp["id"].astype(str))))
    cols = ["community", "size", "share", "label", "dominant_country", "country_share", "dominant_family",
            "family_share", "countries", "families", "internal_ties", "external_ties", "members"]
    df = pd.DataFrame(rows, columns=cols)
    for col in ("community", "size", "internal_ties", "external_ties"):
        df[col] = df[col].astype(np.int64)
    df.attrs.update(frame.attrs)
    return df


def community_label(countries: Iterable[str], families: Iterable[str], *, min_share: float = 0.25,
                    most: int = 2) -> str:
    """A short readable name for a group of actors: its dominant countries and families.

    Values holding at least ``min_share`` of the group are named, most frequent first, at most
    ``most`` of each (the single most frequent when none reaches the share), countries joined by
    "/" and families by "+": ``"FR/BE · trade_unions+ngos"``. Actors without a country count
    as "EU/intl"; a group without families gets the countries alone.

    >>> community_label(["FR", "FR", "BE", "DE"], ["trade_unions", "ngos", "trade_unions", "ngos"])
    'FR/BE · ngos+trade_unions'
    >>> community_label(["", ""], ["authorities", "authorities"])
    'EU/intl · authorities'
    """
    c = _dominant(_shares(pd.Series([x or _NO_COUNTRY for x in countries], dtype=object)), min_share, most)
    f = _dominant(_shares(pd.Series([x for x in families if x], dtype=object)), min_share, most)
    parts = ["/".join(c), "+".join(f)]
    return " · ".join(p for p in parts if p)


# --- helpers -------------------------------------------------------------------------------------


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _describe(g: nx.Graph, v: Hashable) -> tuple[str, str, str]:
    d = g.nodes[v]
    return _text(d.get("name")) or str(v), _text(d.get("family")), _text(d.get("country"))


def _canonical(g: nx.Graph, weight: str | None) -> nx.Graph:
    """The same graph with nodes and edges inserted in sorted order (Louvain visits them in order)."""
    h = nx.Graph()
    h.add_nodes_from(sorted(g, key=str))
    edges = sorted(((u, v) if str(u) <= str(v) else (v, u) for u, v in g.edges()), key=lambda e: (str(e[0]), str(e[1])))
    if weight is None:
        h.add_edges_from(edges)
    else:
        h.add_edges_from((u, v, {weight: g.edges[u, v].get(weight, 1)}) for u, v in edges)
    return h


def _order(parts: Iterable[Iterable]) -> list[list]:
    comps = [sorted(p, key=str) for p in parts]
    return sorted(comps, key=lambda c: (-len(c), str(c[0])))


def _membership(communities: pd.DataFrame | pd.Series | Mapping) -> dict[str, Hashable]:
    if isinstance(communities, pd.DataFrame):
        return dict(zip(communities["id"].astype(str), communities["community"], strict=True))
    if isinstance(communities, pd.Series):
        return {str(k): v for k, v in communities.items()}
    return {str(k): v for k, v in communities.items()}


def _shares(values: pd.Series) -> pd.Series:
    """Value -> share, most frequent first, ties by value."""
    if values.empty:
        return pd.Series(dtype=float)
    counts = values.value_counts()
    order = sorted(counts.index, key=lambda x: (-counts[x], str(x)))
    return (counts[order] / counts.sum()).astype(float)


def _dominant(shares: pd.Series, min_share: float, most: int) -> list[str]:
    if shares.empty:
        return []
    chosen = [str(k) for k, s in shares.items() if s >= min_share][:most]
    return chosen or [str(shares.index[0])]


def _format_shares(shares: pd.Series, top: int) -> str:
    return ", ".join(f"{k} {round(100 * s)}%" for k, s in shares.head(top).items())
