"""Suggested introductions: pairs of actors not yet tied whose tie would close a gap in the network.

Pairs are scored by Adamic–Adar (or resource allocation) on the actor projection
(`analysis._link_prediction`) and restricted to pairs that close a gap
(`analysis._intro_candidates`) — a trade union for a union-less partnership, a bridge between two
communities, a first cross-border tie for a country that has none. Every row says why it is there.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence

import networkx as nx
import pandas as pd

from analysis._community_input import community_series
from analysis._intro_candidates import _bridge_candidates, _cross_border_candidates, _union_candidates
from analysis._link_prediction import _SCORERS, _Context
from analysis._planner_inputs import _default_communities, _projection
from analysis._tables import with_table_cache
from graph.errors import PartnetError

__all__ = ["INTRODUCTION_GAPS", "suggest_introductions"]

#: The gaps an introduction can close.
INTRODUCTION_GAPS: tuple[str, ...] = ("union", "bridge", "cross_border")


# ----------------------------------------------------------------------------------------------
# Introductions
# ----------------------------------------------------------------------------------------------
@with_table_cache
def suggest_introductions(
    g: nx.MultiDiGraph,
    *,
    gaps: Sequence[str] = INTRODUCTION_GAPS,
    communities: pd.DataFrame | pd.Series | Mapping | None = None,
    projection: nx.Graph | None = None,
    method: str = "adamic_adar",
    top: int = 10,
    fallback: bool = True,
    cross_border: bool = False,
) -> pd.DataFrame:
    """Pairs of actors who should meet because their tie would close a gap.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph.
    gaps : sequence of str
        Which gaps to close: ``"union"`` (introduce a trade union to a member of a partnership
        that has none), ``"bridge"`` (tie two actors of different communities),
        ``"cross_border"`` (a first tie abroad for a country that has none).
    communities : DataFrame, Series or mapping, optional
        Actor -> community for ``"bridge"`` (computed with the default Louvain settings when
        omitted).
    projection : networkx.Graph, optional
        The actor projection (``analysis.projection.actor_projection(g)`` when omitted).
    method : {"adamic_adar", "resource_allocation"}
        The link-prediction score.
    top : int, default 10
        Keep at most ``top`` suggestions per gap.
    fallback : bool, default True
        For a union-less partnership or an isolated country with no candidate at two hops,
        suggest the best-connected fitting actor anyway (``score`` 0, ``method`` "fallback").
    cross_border : bool, default False
        Let a union from another country be proposed for a local, regional or national
        partnership. By default such a partnership only gets unions of its own country (the
        country of most of its members); European partnerships take unions from anywhere.

    Returns
    -------
    pandas.DataFrame
        ``gap, context`` (the partnership id, community pair or country the tie is for),
        ``actor_a, name_a, actor_b, name_b, score, common`` (shared neighbours), ``method`` and
        ``reason`` (a sentence, never empty, saying why the pair fits: the country, the family
        missing, the shared partners); grouped by gap in the order asked, best score
        first, then ids.

    Notes
    -----
    Candidates are generated from two-step paths only (a pair with a common neighbour), never
    from all pairs: for a union-less partnership, unions that are neighbours of its members'
    neighbours; for communities, pairs of neighbours of one actor that lie in different
    communities (the best-connected ones, at most 10 candidate pairs per pair of communities); for a country
    without cross-border tie, actors abroad reached through a country-less intermediary such as
    a European body. Scores come from ``networkx.adamic_adar_index`` (or
    ``resource_allocation_index``) with this explicit ``ebunch``:
    ``AA(x, y) = Σ_{z ∈ N(x) ∩ N(y)} 1 / log deg(z)``, ``RA(x, y) = Σ 1 / deg(z)``.

    References
    ----------
    .. [1] L. A. Adamic and E. Adar, "Friends and neighbors on the Web", Social Networks 25(3),
       211–230 (2003).
    .. [2] T. Zhou, L. Lü and Y.-C. Zhang, "Predicting missing links via local information",
       European Physical Journal B 71, 623–630 (2009).
    .. [3] D. Liben-Nowell and J. Kleinberg, "The link-prediction problem for social networks",
       JASIST 58(7), 1019–1031 (2007).
    """
    gaps = (gaps,) if isinstance(gaps, str) else tuple(gaps)
    bad = [x for x in gaps if x not in INTRODUCTION_GAPS]
    if bad:
        raise PartnetError(f"unknown gap {bad[0]!r}", hint=f"choose among {', '.join(INTRODUCTION_GAPS)}")
    if method not in _SCORERS:
        raise PartnetError(f"unknown link-prediction method {method!r}", hint=f"choose {' or '.join(_SCORERS)}")
    if top < 1:
        raise PartnetError(f"top = {top}", hint="ask for at least one suggestion per gap")
    proj = projection if projection is not None else _projection(g)
    ctx = _Context(g, proj, method)
    frames = []
    for gap in gaps:
        if gap == "union":
            cands = _union_candidates(ctx, fallback, top, cross_border)
        elif gap == "bridge":
            comm = community_series(communities) if communities is not None else _default_communities(g, proj)
            cands = _bridge_candidates(ctx, comm)
        else:
            cands = _cross_border_candidates(ctx, fallback)
        chosen = heapq.nsmallest(top, cands, key=lambda c: (-c.score, c.a, c.b, c.context))
        exact = ctx.score((c.a, c.b) for c in chosen if c.method != "fallback")
        rows = [_intro(gap, c.context, c.a, c.b, exact.get((c.a, c.b), 0.0) if c.method != "fallback" else 0.0,
                       len(ctx.common(c.a, c.b)), c.method, ctx, c.reason(ctx)) for c in chosen]
        df = pd.DataFrame(rows, columns=_INTRO_COLS)
        df = df.sort_values(["score", "actor_a", "actor_b", "context"], ascending=[False, True, True, True],
                            kind="stable")
        frames.append(df)
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=_INTRO_COLS)
    return out.reset_index(drop=True)


_INTRO_COLS = ["gap", "context", "actor_a", "name_a", "actor_b", "name_b", "score", "common", "method", "reason"]


def _intro(gap: str, context: str, a: str, b: str, score: float, common: int, method: str, ctx: _Context,
           reason: str) -> dict:
    return {"gap": gap, "context": context, "actor_a": a, "name_a": ctx.name.get(a, a), "actor_b": b,
            "name_b": ctx.name.get(b, b), "score": float(score), "common": int(common), "method": method,
            "reason": reason}
