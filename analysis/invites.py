"""Meeting invite list: the smallest list found greedily that puts every community, country, family
or partnership asked for in the room.

Greedy set cover: each actor covers its country, family, community and partnerships; must-invite
actors come first, then the actor who adds the most groups not yet covered, and so on. Every row
says why the actor is invited.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

import networkx as nx
import pandas as pd

from analysis._community_input import community_series
from analysis._planner_inputs import _default_communities, _projection
from analysis._tables import actors_frame, memberships_frame, with_table_cache
from graph.errors import PartnetError
from graph.model import FAMILIES, FIVE_FAMILIES

__all__ = ["GOALS", "plan_meeting"]

#: What an invite list can be asked to cover.
GOALS: tuple[str, ...] = ("community", "country", "family", "partnership")


# ----------------------------------------------------------------------------------------------
# Invite list
# ----------------------------------------------------------------------------------------------
@with_table_cache
def plan_meeting(
    g: nx.MultiDiGraph,
    goals: str | Sequence[str] = ("community",),
    *,
    must_invite: Iterable[str] = (),
    communities: pd.DataFrame | pd.Series | Mapping | None = None,
    partnership: str | None = None,
    programme: str | None = None,
    country: str | None = None,
    families: Sequence[str] = FIVE_FAMILIES,
    centrality: Mapping[str, float] | pd.Series | None = None,
    projection: nx.Graph | None = None,
    min_community_size: int = 2,
) -> pd.DataFrame:
    """The smallest invite list found greedily that puts every group asked for in the room.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph (``graph.convert.dataset_to_graph``).
    goals : str or sequence of str
        What must be covered, any of ``"community"``, ``"country"``, ``"family"``,
        ``"partnership"`` (several at once: an invitee covers its country *and* its family...).
    must_invite : iterable of str
        Actor ids invited whatever happens (listed first, in the order given); what they cover
        needs no one else.
    communities : DataFrame, Series or mapping, optional
        Actor -> community (``analysis.communities``); computed with the default Louvain
        settings when a ``"community"`` goal needs it and none is given.
    partnership, programme, country : str, optional
        Restrict the candidates (and so the groups to cover) to the members of one partnership,
        to members of partnerships funded under one programme, or to the actors of one country.
    families : sequence of str, default the five families
        The families a ``"family"`` goal covers.
    centrality : mapping or Series, optional
        Tie-break between equally useful candidates (higher first, then smaller id); default
        the actors' degree in the actor projection.
    projection : networkx.Graph, optional
        The actor projection (computed when needed and omitted).
    min_community_size : int, default 2
        A ``"community"`` goal covers only communities of at least this many actors: a community
        of one isolated actor is not a group to bring into the room (1 covers them all).

    Returns
    -------
    pandas.DataFrame
        One row per invitee in invitation order: ``order, actor_id, name, family, country,
        must_invite, new_groups`` (how many groups it adds), ``covers`` (those groups) and
        ``reason`` (why the actor is invited, never empty). ``df.attrs["groups"]`` is the
        number of groups to cover and ``df.attrs["uncoverable"]`` lists the groups asked for
        that no candidate belongs to (e.g. a family absent from the partnership).

    Notes
    -----
    Minimum set cover is NP-hard; the greedy rule — invite the actor who adds the most groups
    not yet in the room, repeat — finds a list at most ``H(d) ≤ 1 + ln d`` times the optimum,
    ``d`` being the most groups one actor covers. Implemented lazily with a heap (gains only
    shrink), cost O(k log n) for n candidates and k groups-per-actor entries. With a single goal
    each actor covers one group and greedy is exact.

    References
    ----------
    .. [1] D. S. Johnson, "Approximation algorithms for combinatorial problems", J. Computer and
       System Sciences 9(3), 256–278 (1974).
    .. [2] V. Chvátal, "A greedy heuristic for the set-covering problem", Mathematics of
       Operations Research 4(3), 233–235 (1979).

    Examples
    --------
    >>> from graph.model import Actor, Dataset
    >>> from graph.convert import dataset_to_graph
    >>> ds = Dataset(actors=[Actor("a", "A", "ngo", country="FR"), Actor("b", "B", "ngo", country="DE"),
    ...                      Actor("c", "C", "trade_union", country="DE")])
    >>> plan = plan_meeting(dataset_to_graph(ds), ["country", "family"], families=["ngos", "trade_unions"])
    >>> plan["actor_id"].tolist()
    ['a', 'c']
    """
    goals = (goals,) if isinstance(goals, str) else tuple(goals)
    bad = [x for x in goals if x not in GOALS]
    if bad or not goals:
        raise PartnetError(f"unknown meeting goal {bad[0] if bad else '(none)'!r}",
                           hint=f"choose among {', '.join(GOALS)}")
    unknown_fam = [f for f in families if f not in FAMILIES]
    if unknown_fam:
        raise PartnetError(f"unknown family {unknown_fam[0]!r}", hint=f"choose among {', '.join(FAMILIES)}")
    actors = actors_frame(g).set_index("id")
    must = list(dict.fromkeys(must_invite))
    missing = [a for a in must if a not in actors.index]
    if missing:
        raise PartnetError(f"must-invite actor {missing[0]!r} is not in the data",
                           hint="give actor ids as listed by the actors table (e.g. 'cfdt')")
    mem = memberships_frame(g)
    candidates, scope_parts = _scope(g, actors, mem, partnership=partnership, programme=programme, country=country)

    comm: pd.Series | None = None
    if "community" in goals:
        comm = community_series(communities) if communities is not None else _default_communities(g, projection)
        sizes = comm.map(comm.value_counts())
        comm = comm[sizes >= min_community_size]
    groups = _actor_groups(actors, mem, goals, comm, scope_parts, families)
    universe = set().union(*(groups.get(a, set()) for a in candidates)) if candidates else set()
    asked_fams = {("family", f) for f in families} if "family" in goals else set()
    must_groups = set().union(*(groups.get(a, set()) for a in must)) if must else set()
    uncoverable = sorted(asked_fams - universe - must_groups)

    if centrality is None:
        proj = projection if projection is not None else _projection(g)
        cent = dict(proj.degree())
    else:
        cent = dict(centrality.items()) if isinstance(centrality, pd.Series) else dict(centrality)

    rows = []
    covered: set[tuple[str, str]] = set()
    for a in must:
        new = sorted(groups.get(a, set()) - covered)
        covered |= groups.get(a, set())
        rows.append(_row(len(rows) + 1, a, actors, True, new))
    # lazy greedy
    heap = [(-len(groups.get(a, set()) - covered), -float(cent.get(a, 0.0)), a)
            for a in candidates if a not in must]
    heap = [h for h in heap if h[0] < 0]
    heapq.heapify(heap)
    while heap and not universe <= covered:
        neg_gain, neg_c, a = heapq.heappop(heap)
        gain = len(groups[a] - covered)
        if gain == 0:
            continue
        if -neg_gain != gain:
            heapq.heappush(heap, (-gain, neg_c, a))
            continue
        new = sorted(groups[a] - covered)
        covered |= groups[a]
        rows.append(_row(len(rows) + 1, a, actors, False, new))
    cols = ["order", "actor_id", "name", "family", "country", "must_invite", "new_groups", "covers", "reason"]
    out = pd.DataFrame(rows, columns=cols)
    out.attrs["groups"] = len(universe | must_groups)
    out.attrs["uncoverable"] = [_label(x) for x in uncoverable]
    return out


def _scope(g: nx.MultiDiGraph, actors: pd.DataFrame, mem: pd.DataFrame, *, partnership: str | None,
           programme: str | None, country: str | None) -> tuple[list[str], set[str] | None]:
    """Candidate actor ids and the partnerships in scope (None: all)."""
    cands = set(actors.index)
    parts: set[str] | None = None
    if partnership is not None:
        if g.nodes.get(partnership, {}).get("label") != "Partnership":
            raise PartnetError(f"partnership {partnership!r} is not in the data",
                               hint="give a partnership id as listed by the partnerships table")
        parts = {partnership}
    if programme is not None:
        from analysis.projection import Filters, filter_graph, partnership_ids

        funded = set(partnership_ids(filter_graph(g, Filters(programmes=(programme,)))))
        if not funded and not any(d.get("programme") == programme for *_, d in g.edges(data=True)):
            raise PartnetError(f"no funding under programme {programme!r}",
                               hint="give a programme as written in the funding table (e.g. 'ESF/EQUAL')")
        parts = funded if parts is None else parts & funded
    if parts is not None:
        cands &= set(mem.loc[mem["partnership_id"].isin(parts), "actor_id"])
    if country is not None:
        code = country.upper()
        cands &= set(actors.index[actors["country"] == code])
    return sorted(cands), parts


def _actor_groups(actors: pd.DataFrame, mem: pd.DataFrame, goals: Sequence[str], comm: pd.Series | None,
                  scope_parts: set[str] | None, families: Sequence[str]) -> dict[str, set[tuple[str, str]]]:
    groups: dict[str, set[tuple[str, str]]] = defaultdict(set)
    fams = set(families)
    ids = actors.index.tolist()  # plain lists: iterating Arrow-backed Series item by item is slow
    if "country" in goals:
        for a, c in zip(ids, actors["country"].tolist(), strict=True):
            if c:
                groups[a].add(("country", c))
    if "family" in goals:
        for a, f in zip(ids, actors["family"].tolist(), strict=True):
            if f in fams:
                groups[a].add(("family", f))
    if "community" in goals and comm is not None:
        known = set(ids)
        for a, c in zip(comm.index.tolist(), comm.tolist(), strict=True):
            if a in known:
                groups[a].add(("community", str(c)))
    if "partnership" in goals:
        m = mem if scope_parts is None else mem[mem["partnership_id"].isin(scope_parts)]
        for a, p in zip(m["actor_id"].tolist(), m["partnership_id"].tolist(), strict=True):
            groups[a].add(("partnership", p))
    return groups


def _label(group: tuple[str, str]) -> str:
    return f"{group[0]} {group[1]}"


def _row(order: int, a: str, actors: pd.DataFrame, must: bool, new: list[tuple[str, str]]) -> dict:
    covers = ", ".join(_label(x) for x in new)
    if must:
        reason = "must invite (asked for)" + (f"; brings {covers}" if new else "; adds no group not yet covered")
    else:
        reason = f"brings {len(new)} group{'s' if len(new) != 1 else ''} not yet in the room: {covers}"
    return {"order": order, "actor_id": a, "name": actors.at[a, "name"], "family": actors.at[a, "family"],
            "country": actors.at[a, "country"], "must_invite": must, "new_groups": len(new), "covers": covers,
            "reason": reason}
