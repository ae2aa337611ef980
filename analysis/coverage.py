"""Optimal invite lists: the fewest actors that put every group in the room (set cover), or the most
groups within a number of seats (maximum coverage), solved exactly as an integer programme.

The groups are those of `analysis.invites` (an actor covers its country, its family, its community
and the partnerships it belongs to). The integer programme is solved with HiGHS through
``scipy.optimize.milp``; only when its time limit is reached does the plan fall back to the greedy
heuristic, and then it says so and gives the bound on how far from the optimum it may be.
"""

from __future__ import annotations

import heapq
import math
import time
from collections.abc import Iterable, Mapping, Sequence

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

from analysis._community_input import community_series
from analysis._planner_inputs import _default_communities, _projection
from analysis._tables import actors_frame, memberships_frame, with_table_cache
from analysis.invites import GOALS, _actor_groups, _label, _scope
from graph.errors import PartnetError
from graph.model import FIVE_FAMILIES

__all__ = ["COVER_CHOICES", "DEFAULT_COVER", "DEFAULT_SEATS", "greedy_cover", "plan_invites"]

#: What ``partnet plan --cover`` accepts (plural, as a user says it) -> the goal of `analysis.invites`.
COVER_CHOICES: dict[str, str] = {"families": "family", "countries": "country", "communities": "community",
                                 "partnerships": "partnership"}
#: The default groups to cover and the dashboard's default seat cap.
DEFAULT_COVER: tuple[str, ...] = ("families", "countries")
DEFAULT_SEATS = 12

_COLS = ["order", "actor_id", "name", "family", "country", "degree", "must_invite", "new_groups", "adds"]


@with_table_cache
def plan_invites(
    g: nx.MultiDiGraph,
    cover: str | Sequence[str] = DEFAULT_COVER,
    *,
    seats: int | None = None,
    must: Iterable[str] = (),
    exclude: Iterable[str] = (),
    time_limit: float = 10.0,
    communities: pd.DataFrame | pd.Series | Mapping | None = None,
    partnership: str | None = None,
    programme: str | None = None,
    country: str | None = None,
    families: Sequence[str] = FIVE_FAMILIES,
    projection: nx.Graph | None = None,
) -> pd.DataFrame:
    """The invite list that covers the most groups in ``seats`` seats, or every group with the fewest seats.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph (``graph.convert.dataset_to_graph``).
    cover : str or sequence of str
        Groups to put in the room: any of ``"families"``, ``"countries"``, ``"communities"``,
        ``"partnerships"`` (the singular goals of `analysis.invites` are accepted too).
    seats : int, optional
        At most this many invitees (maximum coverage). ``None``: the fewest invitees that cover
        every coverable group (minimum set cover).
    must, exclude : iterable of str
        Actor ids always invited / never invited.
    time_limit : float, default 10
        Seconds for the integer programme; when reached, the greedy heuristic answers instead.
    communities : DataFrame, Series or mapping, optional
        Actor -> community (default: Louvain of `analysis.communities`) for ``"communities"``.
    partnership, programme, country : str, optional
        Restrict the candidates (and the groups) as `analysis.invites.plan_meeting` does.
    families : sequence of str, default the five families
        The families a ``"families"`` cover asks for.
    projection : networkx.Graph, optional
        The actor projection (tie-break by degree in it).

    Returns
    -------
    pandas.DataFrame
        One row per invitee, must-invite actors first, then in the order that adds the most new
        groups: ``order, actor_id, name, family, country, degree, must_invite, new_groups, adds``
        (the groups it brings that no earlier row brought). ``df.attrs``: ``groups`` (Y, the
        groups asked for that exist in scope), ``covered`` (X), ``uncoverable`` (labels no allowed
        actor brings), ``method`` (``"exact"`` or ``"greedy"``), ``optimal`` (bool), ``bound``
        (for greedy: the best bound on the optimum, a sentence), ``seats``, ``objective``.

    Notes
    -----
    Integer programme over binary ``x_a`` (actor invited) and ``y_k`` (group covered):
    set cover minimises ``Σ x_a`` subject to ``Σ_{a ∋ k} x_a ≥ 1`` for every coverable group;
    maximum coverage maximises ``Σ y_k`` subject to ``y_k ≤ Σ_{a ∋ k} x_a`` and ``Σ x_a ≤ seats``.
    Must-invite actors have ``x_a = 1``, excluded actors are not variables, and of the actors that bring
    exactly the same groups only the best connected is one (an exact reduction). Ties between optimal
    lists go to the better-connected actors: a second programme, with the first optimum fixed,
    maximises the summed degree in the actor projection. Both are solved by HiGHS
    (branch and cut) through ``scipy.optimize.milp``. The greedy fallback (invite the actor
    adding the most uncovered groups, ties to degree then id) is within ``H(d) ≤ 1 + ln d`` of
    the set-cover optimum [2]_ and reaches ``1 − 1/e`` of the maximum coverage [3]_.

    References
    ----------
    .. [1] Q. Huangfu and J. A. J. Hall, "Parallelizing the dual revised simplex method",
       Mathematical Programming Computation 10, 119–142 (2018) (HiGHS).
    .. [2] V. Chvátal, "A greedy heuristic for the set-covering problem", Mathematics of
       Operations Research 4(3), 233–235 (1979).
    .. [3] G. L. Nemhauser, L. A. Wolsey and M. L. Fisher, "An analysis of approximations for
       maximizing submodular set functions", Mathematical Programming 14, 265–294 (1978).

    Examples
    --------
    >>> from graph.model import Actor, Dataset
    >>> from graph.convert import dataset_to_graph
    >>> ds = Dataset(actors=[Actor("a", "A", "ngo", country="FR"), Actor("b", "B", "trade_union", country="FR"),
    ...                      Actor("c", "C", "trade_union", country="DE")])
    >>> plan = plan_invites(dataset_to_graph(ds), ["countries", "families"], families=["ngos", "trade_unions"])
    >>> sorted(plan["actor_id"]), plan.attrs["method"], plan.attrs["covered"], plan.attrs["groups"]
    (['a', 'c'], 'exact', 4, 4)
    """
    goals = _goals(cover)
    if seats is not None and seats < 1:
        raise PartnetError(f"--seats {seats}: a meeting needs at least one seat", hint="give --seats 1 or more")
    if time_limit <= 0:
        raise PartnetError(f"time limit {time_limit} s", hint="give a positive number of seconds")
    actors = actors_frame(g).set_index("id")
    must_l, excl = list(dict.fromkeys(must)), set(exclude)
    for kind, ids in (("must-invite", must_l), ("excluded", sorted(excl))):
        unknown = [a for a in ids if a not in actors.index]
        if unknown:
            raise PartnetError(f"{kind} actor {unknown[0]!r} is not in the data",
                               hint="give actor ids as `partnet analyse` or the actors table lists them")
    both = sorted(excl.intersection(must_l))
    if both:
        raise PartnetError(f"actor {both[0]!r} is both must-invite and excluded", hint="drop one of the two options")
    if seats is not None and len(must_l) > seats:
        raise PartnetError(f"{len(must_l)} must-invite actors do not fit in {seats} seats",
                           hint="raise --seats or invite fewer actors with --must")
    mem = memberships_frame(g)
    cands, scope_parts = _scope(g, actors, mem, partnership=partnership, programme=programme, country=country)
    comm = None
    if "community" in goals:
        comm = community_series(communities) if communities is not None else _default_communities(g, projection)
    groups = _actor_groups(actors, mem, goals, comm, scope_parts, list(families))
    in_scope = set().union(*(groups.get(a, set()) for a in [*cands, *must_l]))
    asked = {("family", f) for f in families} if "family" in goals else set()
    allowed = [a for a in cands if a not in excl and a not in must_l]
    pool = [*must_l, *allowed]
    coverable = set().union(*(groups.get(a, set()) for a in pool))
    universe = sorted(in_scope | asked)
    proj = projection if projection is not None else _projection(g)
    degree = {a: float(proj.degree(a)) if a in proj else 0.0 for a in pool}

    chosen, method, bound, status = _solve(pool, len(must_l), groups, sorted(coverable), degree, seats, time_limit)
    out = _rows(chosen, set(must_l), groups, actors, degree)
    covered = set().union(*(groups.get(a, set()) for a in chosen))
    out.attrs.update(groups=len(universe), covered=len(covered & set(universe)), method=method,
                     optimal=method == "exact", bound=bound, seats=seats, status=status,
                     uncoverable=[_label(k) for k in universe if k not in coverable],
                     cover=[c for c in COVER_CHOICES if COVER_CHOICES[c] in goals])
    return out


def greedy_cover(groups: Mapping[str, set], pool: Sequence[str], n_must: int, degree: Mapping[str, float],
                 seats: int | None) -> list[str]:
    """The greedy invite list: the first ``n_must`` of ``pool`` (must-invite), then repeatedly the actor
    adding the most groups not yet covered (ties: higher degree, then smaller id), until every group
    is covered or the seats are full.

    Lazy evaluation with a heap (an actor's gain only shrinks): cost O(k log n) for n actors and k
    actor-group pairs. See `plan_invites` for the guarantees and references.
    """
    chosen = list(pool[:n_must])
    covered: set = set().union(*(groups.get(a, set()) for a in chosen)) if chosen else set()
    heap = [(-len(groups.get(a, set()) - covered), -degree.get(a, 0.0), a) for a in pool[n_must:]]
    heap = [h for h in heap if h[0] < 0]
    heapq.heapify(heap)
    while heap and (seats is None or len(chosen) < seats):
        neg, neg_d, a = heapq.heappop(heap)
        gain = len(groups[a] - covered)
        if gain == 0:
            continue
        if gain != -neg:
            heapq.heappush(heap, (-gain, neg_d, a))
            continue
        chosen.append(a)
        covered |= groups[a]
    return chosen


# ----------------------------------------------------------------------------------------------
def _goals(cover: str | Sequence[str]) -> tuple[str, ...]:
    items = [cover] if isinstance(cover, str) else list(cover)
    items = [x.strip() for it in items for x in str(it).split(",") if x.strip()]
    goals = []
    for x in items:
        goal = COVER_CHOICES.get(x, x if x in GOALS else None)
        if goal is None:
            raise PartnetError(f"cannot cover {x!r}", hint=f"choose among {', '.join(COVER_CHOICES)}")
        goals.append(goal)
    if not goals:
        raise PartnetError("nothing to cover", hint=f"name at least one of {', '.join(COVER_CHOICES)}")
    return tuple(dict.fromkeys(goals))


def _solve(pool: list[str], n_must: int, groups: Mapping[str, set], keys: list, degree: Mapping[str, float],
           seats: int | None, time_limit: float) -> tuple[list[str], str, str, str]:
    """(chosen actors, "exact"/"greedy", bound sentence, solver status)."""
    if not keys or not pool:
        return list(pool[:n_must]), "exact", "", "nothing to cover"
    pool = _distinct(pool, n_must, groups, degree)
    kidx = {k: i for i, k in enumerate(keys)}
    rows, cols = [], []
    for j, a in enumerate(pool):
        for k in groups.get(a, ()):
            i = kidx.get(k)
            if i is not None:
                rows.append(i)
                cols.append(j)
    inc = sp.csr_array((np.ones(len(rows)), (rows, cols)), shape=(len(keys), len(pool)))
    n, m = len(pool), len(keys)
    lo = np.zeros(n)
    lo[:n_must] = 1.0
    deg = np.array([degree.get(a, 0.0) for a in pool])
    deadline = time.monotonic() + time_limit
    if seats is None:  # set cover: variables x
        cons = [LinearConstraint(inc, lb=np.ones(m), ub=np.inf)]
        c1, bounds, integ = np.ones(n), Bounds(lo, np.ones(n)), np.ones(n)
    else:  # maximum coverage: variables x then y
        a_cov = sp.hstack([-inc, sp.eye_array(m)]).tocsr()
        a_seat = sp.csr_array(np.concatenate([np.ones(n), np.zeros(m)])[None, :])
        cons = [LinearConstraint(a_cov, lb=-np.inf, ub=np.zeros(m)), LinearConstraint(a_seat, lb=0, ub=seats)]
        c1 = np.concatenate([np.zeros(n), -np.ones(m)])
        bounds, integ = Bounds(np.concatenate([lo, np.zeros(m)]), np.ones(n + m)), np.ones(n + m)
    res = milp(c1, constraints=cons, bounds=bounds, integrality=integ,
               options={"time_limit": time_limit, "mip_rel_gap": 0.0})
    if res.status != 0 or res.x is None:
        chosen = greedy_cover(groups, pool, n_must, degree, seats)
        return chosen, "greedy", _greedy_bound(res, groups, chosen, keys, seats), res.message
    fixed = [*cons, _at_most(c1, float(np.round(c1 @ res.x)))]
    c_seats = np.concatenate([np.ones(n), np.zeros(len(c1) - n)])
    if seats is not None:  # fewest seats for that coverage: redundant invitees are left out
        res = _stage(c_seats, fixed, bounds, integ, deadline) or res
        fixed.append(_at_most(c_seats, float(np.round(c_seats @ res.x))))
    # then the most connected invitees among the optimal lists
    res = _stage(np.concatenate([-deg, np.zeros(len(c1) - n)]), fixed, bounds, integ, deadline) or res
    x = res.x[:n] > 0.5
    picked = [a for a, on in zip(pool, x.tolist(), strict=True) if on]
    return _order(picked, n_must, pool, groups, degree), "exact", "", "optimal"


def _distinct(pool: list[str], n_must: int, groups: Mapping[str, set], degree: Mapping[str, float]) -> list[str]:
    """Must-invite actors, then one candidate per distinct set of groups: the best connected (then smallest id).

    Exact: in an optimal list, an invitee can be swapped for the best-connected actor bringing the same
    groups without losing coverage or connectedness, and two invitees with the same groups are never
    both needed. Candidates bringing no group are dropped. Thousands of actors shrink to a few hundred.
    """
    best: dict[frozenset, str] = {}
    for a in sorted(pool[n_must:], key=lambda a: (-degree.get(a, 0.0), a)):
        sig = frozenset(groups.get(a, ()))
        if sig and sig not in best:
            best[sig] = a
    return [*pool[:n_must], *sorted(best.values())]


def _order(picked: list[str], n_must: int, pool: list[str], groups: Mapping[str, set],
           degree: Mapping[str, float]) -> list[str]:
    """Must-invite first, then the chosen actors in greedy order (most new groups first)."""
    must = pool[:n_must]
    rest = [a for a in picked if a not in set(must)]
    ordered = greedy_cover(groups, [*must, *rest], n_must, degree, None)
    return ordered + [a for a in rest if a not in set(ordered)]  # one bringing nothing new is listed last


def _at_most(c: np.ndarray, value: float) -> LinearConstraint:
    return LinearConstraint(sp.csr_array(c[None, :]), lb=-np.inf, ub=value + 0.5)


def _stage(c: np.ndarray, cons: list, bounds: Bounds, integ: np.ndarray, deadline: float):
    """One tie-breaking programme within the time left; None when it cannot finish."""
    left = deadline - time.monotonic()
    if left <= 0:
        return None
    res = milp(c, constraints=cons, bounds=bounds, integrality=integ, options={"time_limit": left, "mip_rel_gap": 0.0})
    return res if res.status == 0 and res.x is not None else None


def _greedy_bound(res, groups: Mapping[str, set], chosen: list[str], keys: list, seats: int | None) -> str:
    dual = getattr(res, "mip_dual_bound", None)
    covered = len(set().union(*(groups.get(a, set()) for a in chosen)) & set(keys)) if chosen else 0
    if seats is None:
        d = max((len(groups.get(a, ())) for a in groups), default=1)
        h = sum(1.0 / i for i in range(1, max(d, 1) + 1))
        lower = math.ceil(len(chosen) / h)
        if dual is not None and math.isfinite(dual):
            lower = max(lower, math.ceil(dual - 1e-9))
        return (f"greedy list of {len(chosen)}; the optimum needs at least {lower} "
                f"(greedy is within H({d}) = {h:.2f} times the optimum)")
    upper = math.floor(covered / (1 - 1 / math.e))
    if dual is not None and math.isfinite(dual):
        upper = min(upper, math.floor(-dual + 1e-9))
    return (f"greedy covers {covered}; the optimum covers at most {min(upper, len(keys))} "
            f"(greedy reaches at least 1 - 1/e = 63% of it)")


def _rows(chosen: list[str], must: set[str], groups: Mapping[str, set], actors: pd.DataFrame,
          degree: Mapping[str, float]) -> pd.DataFrame:
    covered: set = set()
    rows = []
    for i, a in enumerate(chosen, start=1):
        new = sorted(groups.get(a, set()) - covered)
        covered |= groups.get(a, set())
        rows.append({"order": i, "actor_id": a, "name": actors.at[a, "name"], "family": actors.at[a, "family"],
                     "country": actors.at[a, "country"], "degree": int(degree.get(a, 0)), "must_invite": a in must,
                     "new_groups": len(new), "adds": ", ".join(_label(k) for k in new)})
    out = pd.DataFrame(rows, columns=_COLS)
    return out.astype({"order": np.int64, "degree": np.int64, "new_groups": np.int64, "must_invite": bool})
