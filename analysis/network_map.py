"""A legible map of a large actor graph: its largest communities, one node for every actor that is not
connected, one for the smaller communities, and the most central actors named.

At programme scale (tens of thousands of actors, thousands of Louvain communities, most of them a
single isolated actor) a node per community is a uniform cloud of dots. `network_map` keeps the
``top`` largest communities (and every community holding one of the ``central`` most central
actors), folds isolated actors and single-actor communities into one "not connected (N)" node and
the remaining communities into one "smaller communities" node. The dashboard's community view and
the brief's SVG (`analysis.network_svg`) both draw it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from analysis.layout import layout
from analysis.projection import adjacency
from analysis.views import community_graph

__all__ = ["NOT_CONNECTED", "SMALLER", "central_actors", "display_label", "map_layout", "map_summary", "network_map",
           "node_radius", "view_summary"]

#: Node id of the "not connected (N)" node: isolated actors and single-actor communities.
NOT_CONNECTED = -2
#: Node id of the node that stands for the communities below the ``top`` largest.
SMALLER = -3


def central_actors(proj: nx.Graph, k: int = 30, *, centrality: Mapping[Any, float] | None = None) -> list[Any]:
    """The ``k`` most central actors of ``proj``, most central first.

    Parameters
    ----------
    proj : networkx.Graph
        An actor graph.
    k : int, default 30
        How many.
    centrality : mapping actor -> float, optional
        The measure to rank by; default the degree (number of contacts).

    Returns
    -------
    list
        Actor ids, ranked by decreasing centrality, ties broken by id (stable across runs).

    Examples
    --------
    >>> central_actors(nx.star_graph(3), 2)
    [0, 1]
    """
    values = centrality if centrality is not None else dict(proj.degree())
    ranked = sorted(proj.nodes, key=lambda n: (-float(values.get(n, 0) or 0), str(n)))
    return ranked[:k]


def network_map(
    proj: nx.Graph,
    membership: Mapping[Any, int],
    *,
    top: int = 40,
    central: int = 30,
    centrality: Mapping[Any, float] | None = None,
    weight: str = "weight",
) -> nx.Graph:
    """The aggregated view of an actor graph: the largest communities and the ties between them.

    Parameters
    ----------
    proj : networkx.Graph
        An actor graph whose nodes carry ``name``, ``family`` and ``country``.
    membership : mapping actor -> community id
        E.g. Louvain (`analysis.communities.louvain`); actors missing from it with ties form a
        "no community" node (``-1``).
    top : int, default 40
        How many of the largest communities get their own node.
    central : int, default 30
        The most central actors (`central_actors`) whose communities are always shown and named.
    centrality : mapping actor -> float, optional
        The measure for ``central`` (default: degree).
    weight : str
        Tie weight summed between communities.

    Returns
    -------
    networkx.Graph
        `analysis.views.community_graph` of the regrouped membership. Node `NOT_CONNECTED` holds every
        actor without a tie and every actor alone in its community; node `SMALLER` every other
        community outside the ``top`` (and not holding a central actor; ``communities`` says how
        many). Each node has ``kind`` (``community``, ``not_connected``, ``smaller``, ``none``),
        ``size``, ``label``, ``top_member`` and ``top_member_name`` (the best-connected member),
        ``country`` and ``family`` (the most frequent), ``central`` (names of the central actors it
        holds) and the attributes of `analysis.views.community_graph`. The graph's ``graph`` dict
        has ``central`` (the central actor ids), ``not_connected``, ``communities`` (how many
        communities with two or more actors there are) and ``positions`` (`map_layout`: the layout
        every drawing of the map uses).

    Notes
    -----
    One pass over the actors to regroup the membership, then the quotient graph of
    `analysis.views.community_graph` (one pandas group-by over the ties): linear in actors and ties.
    """
    ids, a = adjacency(proj, None)
    deg = np.diff(a.indptr) - (a.diagonal() != 0)  # ties to others (a self-loop is no tie)
    comm = np.array([membership.get(n, -1) for n in ids], dtype=np.int64)
    frame = pd.DataFrame({"comm": comm, "deg": deg})
    sizes = frame.groupby("comm").size()
    alone = (deg == 0) | (frame["comm"].map(sizes).to_numpy() == 1)
    kept = sizes[(sizes.index >= 0) & (sizes > 1)].sort_values(ascending=False, kind="stable")
    stars = central_actors(proj, central, centrality=centrality)
    pos = {n: i for i, n in enumerate(ids)}
    shown = set(kept.index[:top].tolist()) | {int(comm[pos[s]]) for s in stars if not alone[pos[s]]}
    group = np.where(alone, NOT_CONNECTED, np.where(np.isin(comm, list(shown)) | (comm < 0), comm, SMALLER))
    regrouped = dict(zip(ids, group.tolist(), strict=True))
    q = community_graph(proj, regrouped, weight=weight)
    star_names: dict[int, list[str]] = {}
    for s in stars:
        star_names.setdefault(regrouped[s], []).append(str(proj.nodes[s].get("name") or s))
    n_smaller = int(len(kept) - len(shown & set(kept.index.tolist())))
    for c, d in q.nodes(data=True):
        kind = {NOT_CONNECTED: "not_connected", SMALLER: "smaller", -1: "none"}.get(c, "community")
        lead = d["members"][0] if d.get("members") else None
        d.update(kind=kind, top_member=lead,
                 top_member_name=str(proj.nodes[lead].get("name") or lead) if lead is not None else "",
                 country=_first(d.get("top_countries")), family=_first(d.get("top_families")),
                 central=star_names.get(c, []))
        d["label"] = _label(kind, d, n_smaller)
    q.graph.update(central=stars, not_connected=int(alone.sum()), communities=int(len(kept)))
    q.graph["positions"] = map_layout(q)
    return q


def view_summary(g: nx.Graph) -> dict[str, Any]:
    """What a page says about a drawn actor graph without holding it: its ``nodes`` and ``edges`` counts and
    ``labels`` (actor -> (name, country), for the actor search; name falls back to the id, country to "")."""
    labels = {n: (str(d.get("name") or n), str(d.get("country") or "")) for n, d in g.nodes(data=True)}
    return {"nodes": g.number_of_nodes(), "edges": g.number_of_edges(), "labels": labels}


def map_summary(q: nx.Graph) -> dict[str, Any]:
    """What a page says about a `network_map` without holding it: ``info`` (its ``graph`` dict without the
    positions) and ``communities`` (``(id, label, size)`` of its community nodes, largest first: what can be
    opened)."""
    info = {k: v for k, v in q.graph.items() if k != "positions"}
    comms = [(c, str(d["label"]), int(d["size"])) for c, d in q.nodes(data=True) if d.get("kind") == "community"]
    comms.sort(key=lambda t: -t[2])
    return {"info": info, "communities": comms}


def node_radius(size: float, biggest: float) -> float:
    """The drawn radius (px) of a map node of ``size`` actors: 10–34 px by the square root of the size."""
    return 10.0 + 24.0 * float(np.sqrt(max(size, 0) / max(biggest, 1)))


def map_layout(q: nx.Graph, *, iterations: int = 200, seed: int = 7) -> dict[Any, tuple[float, float]]:
    """Positions (px) of a network map's nodes: force-directed, then moved apart until no node's box overlaps another.

    Parameters
    ----------
    q : networkx.Graph
        A `network_map` (nodes with ``size`` and ``label``).
    iterations : int
        Rounds of overlap removal.
    seed : int
        Seed of the force-directed start (`analysis.layout.layout`, unweighted: summed tie weights
        of big communities would pull everything into one knot).

    Returns
    -------
    dict
        Node -> ``(x, y)``.

    Notes
    -----
    Each node is a box: its circle (`node_radius`) and, below it, a two-line label about 10 px per
    character wide. The layout is first scaled up uniformly until nine pairs in ten of the
    overlapping boxes are apart (which keeps its shape); then, each round, every overlapping pair
    is pushed apart along the axis of the smaller overlap by half of it each, the usual scan-free
    variant of node overlap removal [1]_; all pairs at once with numpy (a map has at most a few
    hundred nodes).

    References
    ----------
    .. [1] T. Dwyer, K. Marriott and P. J. Stuckey, "Fast node overlap removal", Graph Drawing 2005,
       LNCS 3843, 153–164.
    """
    nodes = list(q.nodes)
    if len(nodes) < 2:
        return {n: (0.0, 0.0) for n in nodes}
    nodes.sort(key=lambda n: q.degree(n) == 0)  # the tied ones first, laid out by force
    tied = [n for n in nodes if q.degree(n) > 0]
    biggest = max(float(q.nodes[n].get("size", 1)) for n in nodes)
    r = np.array([node_radius(float(q.nodes[n].get("size", 1)), biggest) for n in nodes])
    chars = np.array([max(len(line) for line in _display(q.nodes[n]).split("\n")) for n in nodes], dtype=float)
    w = np.maximum(2 * r, 10.0 * chars) + 16.0
    h = 2 * r + 52.0
    xy = np.zeros((len(nodes), 2))
    k = len(tied)
    if k > 1:
        start = layout(q.subgraph(tied), seed=seed, weight=None)
        xy[:k] = [start[n] for n in tied]
        xy[:k] *= _spread(xy[:k], w[:k], h[:k])
    _shelve(xy, w, h, k)
    jitter = np.random.default_rng(seed).uniform(-0.5, 0.5, size=xy.shape)
    for _ in range(iterations):
        dx = xy[:, 0][:, None] - xy[:, 0][None, :]
        dy = xy[:, 1][:, None] - xy[:, 1][None, :]
        ox = (w[:, None] + w[None, :]) / 2 - np.abs(dx)
        oy = (h[:, None] + h[None, :]) / 2 - np.abs(dy)
        hit = (ox > 0) & (oy > 0)
        np.fill_diagonal(hit, False)
        if not hit.any():
            break
        along_x = hit & (ox <= oy)
        along_y = hit & (ox > oy)
        sx = np.where(dx == 0, np.sign(jitter[:, 0][:, None] - jitter[:, 0][None, :]), np.sign(dx))
        sy = np.where(dy == 0, np.sign(jitter[:, 1][:, None] - jitter[:, 1][None, :]), np.sign(dy))
        xy[:, 0] += (np.where(along_x, ox * sx, 0.0) / 2).sum(axis=1) / np.maximum(hit.sum(axis=1), 1) * 1.5
        xy[:, 1] += (np.where(along_y, oy * sy, 0.0) / 2).sum(axis=1) / np.maximum(hit.sum(axis=1), 1) * 1.5
    xy -= xy.mean(axis=0)
    return {n: (round(float(x), 1), round(float(y), 1)) for n, (x, y) in zip(nodes, xy, strict=True)}


def _shelve(xy: np.ndarray, w: np.ndarray, h: np.ndarray, k: int) -> None:
    """Put the nodes from ``k`` on (without ties: a force layout would fling them far) in rows under the others."""
    if k == len(xy):
        return
    left = float((xy[:k, 0] - w[:k] / 2).min()) if k else 0.0
    width = max(float((xy[:k, 0] + w[:k] / 2).max()) - left if k else 0.0, 900.0)
    y = float((xy[:k, 1] + h[:k] / 2).max()) + 40.0 if k else 0.0
    x, row = left, 0.0
    for i in range(k, len(xy)):
        if x + w[i] > left + width and x > left:
            x, y, row = left, y + row, 0.0
        xy[i] = (x + w[i] / 2, y + h[i] / 2)
        x += w[i]
        row = max(row, float(h[i]))


def _spread(xy: np.ndarray, w: np.ndarray, h: np.ndarray) -> float:
    """The uniform scale that separates 90 % of the overlapping pairs of boxes (at least 1)."""
    dx = np.abs(xy[:, 0][:, None] - xy[:, 0][None, :])
    dy = np.abs(xy[:, 1][:, None] - xy[:, 1][None, :])
    with np.errstate(divide="ignore"):
        need = np.minimum((w[:, None] + w[None, :]) / 2 / dx, (h[:, None] + h[None, :]) / 2 / dy)
    need = need[np.triu_indices(len(xy), 1)]
    need = need[np.isfinite(need) & (need > 1)]
    return float(min(np.quantile(need, 0.9), 50.0)) if len(need) else 1.0


def display_label(d: Mapping[str, Any]) -> str:
    """A map node's label on two lines: the top member, then country · family (actors)."""
    return _display(d)


def _display(d: Mapping[str, Any]) -> str:
    if d.get("kind") != "community":
        return str(d.get("label", ""))
    family = str(d.get("family") or "").replace("_", " ")
    name = str(d.get("top_member_name") or "")
    name = name if len(name) <= 40 else name[:39] + "…"
    return f"{name}\n{d.get('country')} · {family} ({d.get('size', 0):,})"


def _first(top: Any) -> str:
    """The value of the first ``"FR 12, BE 5"`` entry (``"FR"``)."""
    head = str(top or "").split(", ")[0]
    return head.rsplit(" ", 1)[0] if " " in head else head


def _label(kind: str, d: Mapping[str, Any], n_smaller: int) -> str:
    size = f"{d.get('size', 0):,}"
    if kind == "not_connected":
        return f"not connected ({size})"
    if kind == "smaller":
        return f"{n_smaller:,} smaller communities ({size})"
    family = str(d.get("family") or "").replace("_", " ")
    head = f"{d.get('top_member_name')} · {d.get('country')} · {family}"
    return f"{head} ({size})" if kind == "community" else f"no community: {head} ({size})"
