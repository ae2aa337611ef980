"""Meeting planner: the smallest invite list that covers every community, country, family or
partnership asked for, and suggested introductions that close a gap in the network.

Invite list: greedy set cover (each actor covers its country, family, community and
partnerships), with must-invite actors first. Introductions: pairs of actors not yet tied,
scored by Adamic–Adar (or resource allocation) on the actor projection, restricted to pairs
that close a gap — a trade union for a union-less partnership, a bridge between two
communities, a first cross-border tie for a country that has none. Every row says why it is
there.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis._tables import actors_frame, default_communities, memberships_frame, with_table_cache
from analysis.gaps import community_series, partnerships_without_union
from analysis.projection import adjacency
from graph.errors import PartnetError
from graph.model import FAMILIES, FIVE_FAMILIES

__all__ = ["GOALS", "INTRODUCTION_GAPS", "plan_meeting", "suggest_introductions"]

#: What an invite list can be asked to cover.
GOALS: tuple[str, ...] = ("community", "country", "family", "partnership")
#: The gaps an introduction can close.
INTRODUCTION_GAPS: tuple[str, ...] = ("union", "bridge", "cross_border")
_SCORERS = {"adamic_adar": nx.adamic_adar_index, "resource_allocation": nx.resource_allocation_index}


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

    Returns
    -------
    pandas.DataFrame
        ``gap, context`` (the partnership id, community pair or country the tie is for),
        ``actor_a, name_a, actor_b, name_b, score, common`` (shared neighbours), ``method`` and
        ``reason`` (a sentence, never empty); grouped by gap in the order asked, best score
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
            cands = _union_candidates(ctx, fallback, top)
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


#: Candidate pairs kept per pair of communities (see `_bridge_candidates`).
_PER_COMMUNITY_PAIR = 10

_INTRO_COLS = ["gap", "context", "actor_a", "name_a", "actor_b", "name_b", "score", "common", "method", "reason"]


@dataclass
class _Cand:
    """A candidate introduction; its sentence is written only if it makes the final list."""

    score: float
    a: str
    b: str
    context: str
    method: str
    reason: Callable[[_Context], str]


class _Context:
    """What every gap's candidate generator needs: the projection, names, families, scores."""

    def __init__(self, g: nx.MultiDiGraph, proj: nx.Graph, method: str) -> None:
        self.g, self.proj, self.method = g, proj, method
        actors = actors_frame(g)
        ids = actors["id"].tolist()
        self.name = dict(zip(ids, actors["name"].tolist(), strict=True))
        self.family = dict(zip(ids, actors["family"].tolist(), strict=True))
        self.country = dict(zip(ids, actors["country"].tolist(), strict=True))
        self.degree = dict(proj.degree())
        # the weight a common neighbour z adds to a pair's score
        if method == "adamic_adar":
            self.weight = {z: (1.0 / math.log(d) if d > 1 else 0.0) for z, d in self.degree.items()}
        else:
            self.weight = {z: (1.0 / d if d > 0 else 0.0) for z, d in self.degree.items()}
        self._csr: sp.csr_matrix | None = None

    def label(self, a: str) -> str:
        return f"{self.name.get(a, a)} ({a})"

    def score(self, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], float]:
        """The networkx score (``adamic_adar_index``/``resource_allocation_index``) of ``pairs``."""
        ebunch = sorted({(u, v) for u, v in pairs if u in self.proj and v in self.proj and u != v})
        if not ebunch:
            return {}
        return {(u, v): float(s) for u, v, s in _SCORERS[self.method](self.proj, ebunch)}

    def fast_scores(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """The same scores for many candidate pairs at once: ``Σ_z A[x,z] w(z) A[y,z]`` with sparse rows."""
        if self._csr is None:
            self._nodes, a = adjacency(self.proj, None)
            self._index = {n: i for i, n in enumerate(self._nodes)}
            a.setdiag(0)  # a self-loop makes no common neighbour
            a.eliminate_zeros()
            self._csr = sp.csr_matrix(a)
            self._wdiag = sp.diags(np.array([self.weight[n] for n in self._nodes]))
        out = np.zeros(len(pairs))
        for start in range(0, len(pairs), 100_000):
            chunk = pairs[start:start + 100_000]
            xi = np.fromiter((self._index[x] for x, _ in chunk), dtype=np.int64, count=len(chunk))
            yi = np.fromiter((self._index[y] for _, y in chunk), dtype=np.int64, count=len(chunk))
            prod = self._csr[xi].multiply(self._csr[yi] @ self._wdiag)
            out[start:start + len(chunk)] = np.asarray(prod.sum(axis=1)).ravel()
        return out

    def common(self, u: str, v: str) -> list[str]:
        return sorted(set(self.proj.adj[u]) & set(self.proj.adj[v]),
                      key=lambda z: (-self.degree.get(z, 0), z))

    def via(self, u: str, v: str) -> str:
        shared = self.common(u, v)
        names = ", ".join(self.name.get(z, z) for z in shared[:3])
        more = f" and {len(shared) - 3} more" if len(shared) > 3 else ""
        return f"{len(shared)} common partner{'s' if len(shared) != 1 else ''} ({names}{more})"

    def best(self, ids: Iterable[str]) -> list[str]:
        return sorted(ids, key=lambda a: (-self.degree.get(a, 0), a))


def _union_candidates(ctx: _Context, fallback: bool, top: int) -> list[_Cand]:
    """Member of a union-less partnership x union two steps away, best score first.

    All scores at once as a sparse product: ``S = A[members] · diag(w) · A[:, unions]`` (``w`` the
    per-neighbour weight of the method) with already-tied pairs removed. A member of a union-less
    partnership is never a union, so every non-zero of ``S`` is a candidate. Taken best first (then the
    better-connected member, then ids), each introduction serves the union-less partnerships of its
    member that no earlier one served: one introduction per partnership.
    """
    proj = ctx.proj
    nou = partnerships_without_union(ctx.g)
    if nou.empty:
        return []
    order = {p: i for i, p in enumerate(nou["partnership_id"])}  # largest partnerships first
    pinfo = dict(zip(nou["partnership_id"], zip(nou["name"], nou["members"], strict=True), strict=True))
    mem = memberships_frame(ctx.g)
    mem = mem[[p in order and m in proj for p, m in zip(mem["partnership_id"].tolist(), mem["actor_id"].tolist(),
                                                         strict=True)]]
    mem = mem.assign(_o=mem["partnership_id"].map(order)).sort_values(["actor_id", "_o"], kind="stable")
    parts_of: dict[str, list[str]] = defaultdict(list)  # member -> its union-less partnerships, largest first
    for m, p in zip(mem["actor_id"].tolist(), mem["partnership_id"].tolist(), strict=True):
        parts_of[m].append(p)
    unions = sorted(a for a, f in ctx.family.items() if f == "trade_unions" and a in proj)
    members = sorted(parts_of)
    out: list[_Cand] = []
    if unions and members:
        ctx.fast_scores([])  # builds the adjacency
        idx = ctx._index
        a_rows = ctx._csr[[idx[m] for m in members]]
        a_unions = ctx._csr[:, [idx[u] for u in unions]]
        s_mat = (a_rows @ ctx._wdiag @ a_unions).tocsr()
        tied = a_rows[:, [idx[u] for u in unions]]
        s_mat = (s_mat - s_mat.multiply(tied)).tocoo()
        s_mat.eliminate_zeros()
        deg = np.array([ctx.degree[m] for m in members])
        used: set[str] = set()
        for k in _ranked(s_mat, deg, top):
            m, u = members[s_mat.row[k]], unions[s_mat.col[k]]
            fresh = [p for p in parts_of[m] if p not in used]
            if not fresh:
                continue
            used.update(fresh)
            out.append(_Cand(float(s_mat.data[k]), m, u, fresh[0], ctx.method,
                             _union_reason(fresh, pinfo, m, u)))
            if len(out) >= top:
                break
    if fallback and len(out) < top:
        # partnerships none of whose members has a union two steps away: the best-connected union of
        # their country, score 0
        scored = {members[i] for i in np.unique(s_mat.row).tolist()} if unions and members else set()
        best_in: dict[str, str] = {}
        for u in ctx.best(unions):
            best_in.setdefault(ctx.country.get(u, ""), u)
        by_part = mem.groupby("partnership_id")["actor_id"].agg(sorted).to_dict()
        for pid in nou["partnership_id"]:
            ms = by_part.get(pid, [])
            if not ms or scored.intersection(ms):
                continue
            m = ctx.best(ms)[0]
            country = next((c for c in sorted({ctx.country.get(x, "") for x in ms} - {""}) if c in best_in), None)
            if country is not None:
                out.append(_Cand(0.0, m, best_in[country], pid, "fallback",
                                 _union_fallback_reason(pid, *pinfo[pid], m, best_in[country])))
                if len(out) >= top:
                    break
    return out


def _ranked(s_mat: sp.coo_matrix, deg: np.ndarray, top: int) -> Iterator[int]:
    """Entries of ``s_mat`` best first (score, then member degree, then row and column): the best few
    hundred sorted first, the rest only if they are needed."""
    n = s_mat.nnz
    head = min(n, max(50 * top, 1000))
    cut = np.argpartition(-s_mat.data, head - 1)[:head] if head < n else np.arange(n)
    threshold = s_mat.data[cut].min() if head < n else -np.inf
    # every entry scoring strictly above the threshold is in ``cut``; ties at it are sorted with the rest
    sure = cut[s_mat.data[cut] > threshold]
    for block in (sure, np.flatnonzero(s_mat.data <= threshold)):
        order = np.lexsort((s_mat.col[block], s_mat.row[block], -deg[s_mat.row[block]], -s_mat.data[block]))
        yield from block[order].tolist()


def _union_reason(parts: list[str], pinfo: dict, m: str, u: str) -> Callable[[_Context], str]:
    def make(ctx: _Context) -> str:
        pid = parts[0]
        name, n = pinfo[pid]
        text = (f"{name} ({pid}) has no trade union among {_members(n)}; {ctx.label(u)} could join through "
                f"{ctx.label(m)}: {ctx.via(m, u)}.")
        if len(parts) > 1:
            others = ", ".join(f"{pinfo[p][0]} ({p})" for p in parts[1:4])
            more = f" and {len(parts) - 4} more" if len(parts) > 4 else ""
            text += f" {ctx.name.get(m, m)} is also in union-less {others}{more}."
        return text
    return make


def _union_fallback_reason(pid: str, pname: str, n: int, m: str, u: str) -> Callable[[_Context], str]:
    return lambda ctx: (f"{pname} ({pid}) has no trade union among {_members(n)} and no union is two steps "
                        f"away; {ctx.label(u)} is the best-connected union in {ctx.country.get(u)}, to meet "
                        f"{ctx.label(m)}, the partnership's best-connected member.")


def _bridge_candidates(ctx: _Context, comm: pd.Series) -> list[_Cand]:
    """Pairs of actors of two different communities with a common neighbour, best per community pair.

    Intermediaries are visited best-connected first (they contribute most shared neighbours); at each,
    the 6 largest neighbouring communities and their 2 best-connected members are paired, and at most
    ``_PER_COMMUNITY_PAIR`` untied pairs are kept per community pair, so the work stays linear in the
    number of ties even around hubs that touch hundreds of communities.
    """
    proj, deg = ctx.proj, ctx.degree
    cm = {a: c for a, c in comm.items() if a in proj}
    labels = sorted(set(cm.values()), key=str)  # community codes in the order of str(label), as _pair compares
    nodes, a = adjacency(proj, None)
    code_of = {c: k for k, c in enumerate(labels)}
    cidx = np.array([code_of[cm[v]] if v in cm else -1 for v in nodes], dtype=np.int64)
    degv = np.diff(a.indptr)
    picks_of = {nodes[w]: v for w, v in _community_picks(a, cidx, degv, groups=6, members=2).items()}
    adj = proj._adj
    pairs: set[tuple[str, str]] = set()
    per_key: dict[tuple, int] = defaultdict(int)
    for w in ctx.best(proj.nodes):
        if deg[w] < 2:
            break
        picks = picks_of.get(w)
        if picks is None:
            continue
        picks = [(labels[c], [nodes[x] for x in xs]) for c, xs in picks]
        for i, (c1, xs) in enumerate(picks):
            for c2, ys in picks[i + 1:]:
                key = _pair(c1, c2)
                for x in xs:
                    for y in ys:
                        if per_key[key] < _PER_COMMUNITY_PAIR and y not in adj[x]:
                            pair = (x, y) if x < y else (y, x)
                            if pair not in pairs:
                                pairs.add(pair)
                                per_key[key] += 1
    ordered = sorted(pairs)
    scores = ctx.fast_scores(ordered)
    best: dict[tuple, tuple[float, str, str]] = {}
    for (x, y), sc in zip(ordered, scores.tolist(), strict=True):
        key = _pair(cm[x], cm[y])
        if key not in best or sc > best[key][0]:
            best[key] = (sc, x, y)
    up = sp.triu(a, k=1).tocoo()
    cu, cv = cidx[up.row], cidx[up.col]
    cross = (cu >= 0) & (cv >= 0) & (cu != cv)
    lo, hi = np.minimum(cu[cross], cv[cross]), np.maximum(cu[cross], cv[cross])
    found, counts = np.unique(lo * max(len(labels), 1) + hi, return_counts=True)
    between: dict[tuple, int] = defaultdict(int)
    for k, cnt in zip(found.tolist(), counts.tolist(), strict=True):
        between[(labels[k // len(labels)], labels[k % len(labels)])] = cnt
    desc: dict = {}

    def reason(c1, c2, x: str, y: str) -> Callable[[_Context], str]:
        def make(ctx: _Context) -> str:
            if not desc:
                desc.update(_community_descriptions(cm, ctx))
            n = between[(c1, c2)]
            return (f"Bridges community {c1} ({desc[c1]}) and community {c2} ({desc[c2]}), which have {n} direct "
                    f"tie{'s' if n != 1 else ''}; {ctx.label(x)} and {ctx.label(y)} are not tied but have "
                    f"{ctx.via(x, y)}.")
        return make

    return [_Cand(sc, x, y, f"{c1}-{c2}", ctx.method, reason(c1, c2, x, y))
            for (c1, c2), (sc, x, y) in best.items()]


def _community_picks(a: sp.csr_array, cidx: np.ndarray, degv: np.ndarray, *, groups: int, members: int
                     ) -> dict[int, list[tuple[int, list[int]]]]:
    """For every node ``w`` with neighbours in two communities or more: its ``groups`` largest neighbouring
    communities (ties by code) with the ``members`` best-connected neighbours in each (ties by index).

    ``a`` is the adjacency matrix (rows in sorted id order), ``cidx`` each node's community code (-1:
    none), ``degv`` each node's degree. Counting and ranking are sorts over all ties at once; only the
    picks, a few per node, reach Python.
    """
    n = a.shape[0]
    coo = a.tocoo()
    c_all = cidx[coo.col]
    keep = c_all >= 0
    w_all, x_all, c_all = coo.row[keep].astype(np.int64), coo.col[keep].astype(np.int64), c_all[keep]
    k = int(cidx.max()) + 1 if len(cidx) else 1
    key = w_all * k + c_all
    uniq, cnt = np.unique(key, return_counts=True)
    uw, uc = uniq // k, uniq % k
    n_comm = np.bincount(uw, minlength=n)
    top_cnt = int(cnt.max()) + 1 if len(cnt) else 1
    order = np.argsort((uw * top_cnt + (top_cnt - 1 - cnt)) * k + uc)  # per node: largest community, then code
    first = np.searchsorted(uw[order], np.arange(n))
    rank = np.empty(len(uniq), dtype=np.int64)
    rank[order] = np.arange(len(order)) - first[uw[order]]
    group_of = np.searchsorted(uniq, key)
    sel = (rank[group_of] < groups) & (n_comm[w_all] >= 2)
    g_sel, x_sel = group_of[sel], x_all[sel]
    top_deg = int(degv.max()) + 1 if len(degv) else 1
    o = np.argsort((g_sel * top_deg + (top_deg - 1 - degv[x_sel])) * n + x_sel)  # per group: best-connected first
    g_o = g_sel[o]
    within = np.arange(len(o)) - np.searchsorted(g_o, g_o)
    top = o[within < members]
    g_top, x_top = g_sel[top], x_sel[top]
    o = np.lexsort((np.arange(len(top)), rank[g_top], uw[g_top]))  # by node, group rank, member order
    out: dict[int, list[tuple[int, list[int]]]] = {}
    g_o = g_top[o]
    for w, c, x in zip(uw[g_o].tolist(), uc[g_o].tolist(), x_top[o].tolist(), strict=True):
        picks = out.get(w)
        if picks is None:
            picks = out[w] = []
        if not picks or picks[-1][0] != c:
            picks.append((c, []))
        picks[-1][1].append(x)
    return out


def _cross_border_candidates(ctx: _Context, fallback: bool) -> list[_Cand]:
    from analysis.crossborder import countries_without_cross_border

    proj, ctry = ctx.proj, ctx.country
    lonely = countries_without_cross_border(ctx.g, proj)["country"].tolist()
    out: list[_Cand] = []
    if not lonely:
        return out
    also: dict[frozenset, list[str]] = {}
    abroad_active = {a for a in proj.nodes if ctry.get(a) and any(
        ctry.get(v) and ctry.get(v) != ctry.get(a) for v in proj.adj[a])}
    by_country: dict[str, list[str]] = defaultdict(list)
    for a in proj.nodes:
        if ctry.get(a):
            by_country[ctry[a]].append(a)
    for c in lonely:
        locals_ = by_country.get(c, [])
        pairs = sorted({(a, b) for a in locals_ for w in proj.adj[a] if not ctry.get(w)
                        for b in proj.adj[w] if ctry.get(b) and ctry.get(b) != c})
        scores = ctx.fast_scores(pairs)
        best_per_country: dict[str, tuple[float, str, str]] = {}
        for (a, b), sc in zip(pairs, scores.tolist(), strict=True):
            key = ctry[b]
            if key not in best_per_country or sc > best_per_country[key][0]:
                best_per_country[key] = (sc, a, b)
        for other, (sc, a, b) in sorted(best_per_country.items()):
            pair = frozenset((a, b))
            if pair in also:  # the same tie is also the first abroad for the other country
                also[pair].append(c)
                continue
            also[pair] = []
            out.append(_Cand(sc, a, b, c, ctx.method, _cross_reason(c, other, a, b, also[pair])))
        if not best_per_country and fallback and locals_:
            a = ctx.best(locals_)[0]
            pool = [b for b in abroad_active if ctx.family.get(b) == ctx.family.get(a)] or sorted(abroad_active)
            if pool:
                b = ctx.best(pool)[0]
                out.append(_Cand(0.0, a, b, c, "fallback", _cross_fallback_reason(c, a, b)))
    return out


def _cross_reason(c: str, other: str, a: str, b: str, also: list[str]) -> Callable[[_Context], str]:
    return lambda ctx: (f"{c} has actors but no tie abroad; {ctx.label(a)} and {ctx.label(b)} ({other}) have "
                        f"{ctx.via(a, b)}." + "".join(f" It is also {x}'s first tie abroad." for x in also))


def _cross_fallback_reason(c: str, a: str, b: str) -> Callable[[_Context], str]:
    return lambda ctx: (f"{c} has actors but no tie abroad and no foreign actor is two steps away; {ctx.label(a)} "
                        f"is its best-connected actor and {ctx.label(b)} ({ctx.country.get(b)}) the best-connected "
                        f"{ctx.family.get(b)} actor with ties abroad.")


# ----------------------------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------------------------
def _projection(g: nx.MultiDiGraph) -> nx.Graph:
    from analysis.projection import actor_projection

    return actor_projection(g)


def _default_communities(g: nx.MultiDiGraph, projection: nx.Graph | None) -> pd.Series:
    comm = default_communities(g, projection)
    if comm is None:  # pragma: no cover - analysis.communities not installed
        raise PartnetError("no communities given and analysis.communities is not available",
                           hint="pass communities= (actor -> community)")
    return comm


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


def _intro(gap: str, context: str, a: str, b: str, score: float, common: int, method: str, ctx: _Context,
           reason: str) -> dict:
    return {"gap": gap, "context": context, "actor_a": a, "name_a": ctx.name.get(a, a), "actor_b": b,
            "name_b": ctx.name.get(b, b), "score": float(score), "common": int(common), "method": method,
            "reason": reason}


def _members(n: int) -> str:
    return "its only member" if n == 1 else f"its {n} members"


def _pair(c1, c2) -> tuple:
    return (c1, c2) if str(c1) <= str(c2) else (c2, c1)


def _top(values: Iterable[str], k: int = 2) -> str:
    counts = Counter(v for v in values if v)
    return ", ".join(v for v, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:k])


def _community_descriptions(cm: Mapping[str, object], ctx: _Context) -> dict:
    members: dict = defaultdict(list)
    for a, c in cm.items():
        members[c].append(a)
    out = {}
    for c, xs in members.items():
        top_c = _top(ctx.country.get(a, "") for a in xs)
        top_f = _top(ctx.family.get(a, "") for a in xs)
        out[c] = f"{len(xs)} actors; {top_c or 'no country'}; {top_f}"
    return out
