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

from analysis.projection import adjacency
from analysis.views import community_graph

__all__ = ["NOT_CONNECTED", "SMALLER", "central_actors", "network_map"]

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
        has ``central`` (the central actor ids), ``not_connected`` and ``communities`` (how many
        communities with two or more actors there are).

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
    return q


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
