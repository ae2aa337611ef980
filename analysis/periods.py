"""The network over time: the actor network of each period, and the actors entering, persisting and
leaving between two periods.

A partnership is active in a period when its years (``start_year``–``end_year``) overlap it; a
missing end year means still running, a missing start year running since an unknown time, and a
partnership with no year at all belongs to no period (`analysis.projection.active_in`). An
explicit link counts in a period when its ``year`` falls inside it; undated links belong to none.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
import scipy.sparse.csgraph as csgraph

from analysis._tables import actors_frame, links_frame, memberships_frame, memoised, partnerships_frame
from analysis.projection import Filters, actor_projection, filter_graph

__all__ = [
    "Period",
    "actor_turnover",
    "default_periods",
    "network_by_period",
    "period_graph",
    "period_label",
]

Period = tuple[int | None, int | None]


def period_label(period: Period) -> str:
    """``"2001-2005"``, ``"-2005"`` or ``"2001-"`` for a period with an open side.

    >>> period_label((2001, 2005)), period_label((None, 1999)), period_label((2010, 2010))
    ('2001-2005', '-1999', '2010')
    """
    lo, hi = period
    if lo is not None and lo == hi:
        return str(lo)
    return f"{'' if lo is None else lo}-{'' if hi is None else hi}"


def default_periods(g: nx.MultiDiGraph, width: int = 5) -> list[Period]:
    """Consecutive periods of ``width`` years covering every dated partnership and link.

    Periods are aligned on multiples of ``width`` (2000-2004, 2005-2009...) so that they read
    naturally; an empty list when nothing is dated. A partnership without an end year counts up
    to the latest year seen anywhere in the data.

    >>> from graph.model import Dataset, Partnership
    >>> from graph.convert import dataset_to_graph
    >>> ds = Dataset(partnerships=[Partnership("p", "P", "project", start_year=2001, end_year=2008)])
    >>> default_periods(dataset_to_graph(ds))
    [(2000, 2004), (2005, 2009)]
    """
    if width < 1:
        raise ValueError("width must be at least one year")
    years = []
    for _, d in g.nodes(data=True):
        if d.get("label") == "Partnership":
            years.extend(y for y in (_year(d.get("start_year")), _year(d.get("end_year"))) if y is not None)
    for _, _, d in g.edges(data=True):
        if d.get("type") == "LINKED_TO" and _year(d.get("year")) is not None:
            years.append(_year(d.get("year")))
    if not years:
        return []
    first = min(years) // width * width
    last = max(years)
    return [(y, y + width - 1) for y in range(first, last + 1, width)]


def period_graph(g: nx.MultiDiGraph, period: Period, *, include_links: bool = True) -> nx.Graph:
    """The actor network of one period.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph.
    period : (int or None, int or None)
        First and last year, inclusive; ``None`` leaves a side open.
    include_links : bool, default True
        Add the explicit links dated inside the period.

    Returns
    -------
    networkx.Graph
        The `analysis.projection.actor_projection` of the partnerships active in the period
        (edge attributes ``shared``, ``newman``, ``links``, ``weight``), restricted to the actors
        active in it: members of an active partnership, or ends of a link dated in the period.
        ``graph.graph["period"]`` holds the period.
    """
    flt = Filters(period=period)
    h = filter_graph(g, flt)
    _drop_undated_links(h, flt.period, keep=include_links)
    active = _active_actors(h)
    proj = actor_projection(h, include_links=include_links)
    proj.remove_nodes_from([v for v in list(proj) if v not in active])
    proj.graph["period"] = flt.period
    return proj


def network_by_period(
    g: nx.MultiDiGraph, periods: Iterable[Period] | None = None, *, width: int = 5
) -> pd.DataFrame:
    """Key figures of the actor network in each period.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph.
    periods : iterable of (first, last) or None
        Default: `default_periods` of ``width`` years.
    width : int, default 5

    Returns
    -------
    pandas.DataFrame
        One row per period in the given order: ``period`` (label), ``start``, ``end``,
        ``partnerships`` (active), ``actors`` (active), ``ties``, ``density``, ``components``,
        ``largest_component`` (share of the period's actors), ``entering`` and ``leaving``
        (actors compared with the previous row; NaN on the first row) and ``trade_unions``
        (active actors of that family).

    Notes
    -----
    A sequence of cross-sectional snapshots ("panel" view of a dynamic network): each is an
    ordinary static network, compared with the one before. The figures are those of
    `period_graph`, computed from the flat tables with one sparse product per period (ties
    of ``B Bᵀ`` plus the dated links, components with ``scipy.sparse.csgraph``), without
    building each period's graph.

    References
    ----------
    .. [1] T. A. B. Snijders, "The statistical evaluation of social network dynamics",
       Sociological Methodology 31, 361–395 (2001).
    """
    periods = list(periods) if periods is not None else default_periods(g, width)
    actors, parts = actors_frame(g), partnerships_frame(g)
    mem, links = memberships_frame(g), links_frame(g)
    index = {a: i for i, a in enumerate(actors["id"].tolist())}
    part_index = {p: j for j, p in enumerate(parts["id"].tolist())}
    m_actor = np.array([index[a] for a in mem["actor_id"].tolist()], dtype=np.int64)
    m_part = np.array([part_index[p] for p in mem["partnership_id"].tolist()], dtype=np.int64)
    l_ok = [u in index and v in index for u, v in zip(links["source_id"], links["target_id"], strict=True)]
    links = links[l_ok]
    l_u = np.array([index[a] for a in links["source_id"].tolist()], dtype=np.int64)
    l_v = np.array([index[a] for a in links["target_id"].tolist()], dtype=np.int64)
    l_year = links["year"].to_numpy(dtype=float, na_value=np.nan)
    selfs = memoised(("self links",), g, lambda: [(u, _year(d.get("year"))) for u, v, d in g.edges(data=True)
                                                  if d.get("type") == "LINKED_TO" and u == v and u in index])
    s_actor = np.array([index[u] for u, _ in selfs], dtype=np.int64)
    s_year = np.array([np.nan if y is None else y for _, y in selfs], dtype=float)
    start = parts["start_year"].to_numpy(dtype=float, na_value=np.nan)
    end = parts["end_year"].to_numpy(dtype=float, na_value=np.nan)
    union = (actors["family"] == "trade_unions").to_numpy()
    n_all = len(actors)
    rows = []
    previous: np.ndarray | None = None
    for p in periods:
        lo, hi = Filters(period=p).period or (None, None)
        live = _active_mask(start, end, lo, hi)
        m_live = live[m_part]
        year_ok = _dated_in(l_year, lo, hi)
        b = sp.csr_matrix((np.ones(int(m_live.sum())), (m_actor[m_live], m_part[m_live])),
                          shape=(n_all, len(parts)))
        b.data[:] = 1.0  # a repeated tie counts once (duplicates were summed)
        tie = (b @ b.T).tocsr()
        lk = sp.csr_matrix((np.ones(int(year_ok.sum())), (l_u[year_ok], l_v[year_ok])), shape=(n_all, n_all))
        tie = sp.triu(tie + lk + lk.T, k=1).tocsr()
        tie.eliminate_zeros()
        active = np.zeros(n_all, dtype=bool)
        active[m_actor[m_live]] = True
        active[l_u[year_ok]] = True
        active[l_v[year_ok]] = True
        active[s_actor[_dated_in(s_year, lo, hi)]] = True  # a self-link dated in the period makes its actor active
        idx = np.flatnonzero(active)
        n, m = len(idx), tie.nnz
        sub = tie[idx][:, idx]
        n_comp, labels = csgraph.connected_components(sub, directed=False) if n else (0, np.zeros(0, int))
        largest = np.bincount(labels).max() if n else 0
        rows.append({
            "period": period_label((lo, hi)), "start": lo, "end": hi, "partnerships": int(live.sum()), "actors": n,
            "ties": m, "density": 2.0 * m / (n * (n - 1)) if n > 1 else math.nan,
            "components": n_comp, "largest_component": largest / n if n else math.nan,
            "entering": int((active & ~previous).sum()) if previous is not None else math.nan,
            "leaving": int((previous & ~active).sum()) if previous is not None else math.nan,
            "trade_unions": int((active & union).sum()),
        })
        previous = active
    cols = ["period", "start", "end", "partnerships", "actors", "ties", "density", "components",
            "largest_component", "entering", "leaving", "trade_unions"]
    df = pd.DataFrame(rows, columns=cols)
    for col in ("start", "end"):
        df[col] = pd.array(df[col].tolist(), dtype="Int64")
    for col in ("partnerships", "actors", "ties", "components", "trade_unions"):
        df[col] = df[col].astype(np.int64)
    for col in ("entering", "leaving"):
        df[col] = pd.array([None if (x is None or x != x) else int(x) for x in df[col]], dtype="Int64")
    return df


def _dated_in(years: np.ndarray, lo: int | None, hi: int | None) -> np.ndarray:
    """Which ``years`` (NaN: undated) fall inside ``[lo, hi]`` (``None``: open side)."""
    ok = ~np.isnan(years)
    if lo is not None:
        ok &= np.nan_to_num(years) >= lo
    if hi is not None:
        ok &= np.nan_to_num(years) <= hi
    return ok


def _active_mask(start: np.ndarray, end: np.ndarray, lo: int | None, hi: int | None) -> np.ndarray:
    """Vectorised `analysis.projection.active_in` over partnership start/end years (NaN: unknown)."""
    has_start, has_end = ~np.isnan(start), ~np.isnan(end)
    ok = has_start | has_end
    if hi is not None:
        ok &= ~has_start | (np.nan_to_num(start) <= hi)
    if lo is not None:
        ok &= ~has_end | (np.nan_to_num(end) >= lo)
    return ok


def actor_turnover(g: nx.MultiDiGraph, first: Period, second: Period) -> pd.DataFrame:
    """Actors entering, persisting and leaving between two periods.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The property graph.
    first, second : (int or None, int or None)
        The two periods (inclusive years; they may overlap).

    Returns
    -------
    pandas.DataFrame
        One row per actor active in either period, by status then id: ``id, name, family,
        country, status`` ("entering": active only in the second, "persisting": in both,
        "leaving": only in the first), ``partnerships_first`` and ``partnerships_second`` (active
        partnerships it is a member of in each). ``df.attrs`` holds the count of each status and
        the two period labels.

    References
    ----------
    .. [1] T. A. B. Snijders, "The statistical evaluation of social network dynamics",
       Sociological Methodology 31, 361–395 (2001).
    """
    a = _activity(g, first)
    b = _activity(g, second)
    ids = sorted(set(a) | set(b), key=str)
    order = {"entering": 0, "persisting": 1, "leaving": 2}
    rows = []
    for v in ids:
        status = "persisting" if v in a and v in b else ("entering" if v in b else "leaving")
        d = g.nodes[v]
        rows.append((str(v), _text(d.get("name")) or str(v), _text(d.get("family")), _text(d.get("country")),
                     status, a.get(v, 0), b.get(v, 0)))
    cols = ["id", "name", "family", "country", "status", "partnerships_first", "partnerships_second"]
    df = pd.DataFrame(rows, columns=cols)
    df = df.sort_values(["status", "id"], key=lambda s: s.map(order) if s.name == "status" else s,
                        kind="stable").reset_index(drop=True)
    for col in ("partnerships_first", "partnerships_second"):
        df[col] = df[col].astype(np.int64)
    counts = df["status"].value_counts()
    df.attrs.update({k: int(counts.get(k, 0)) for k in order})
    df.attrs.update(first=period_label(Filters(period=first).period or (None, None)),
                    second=period_label(Filters(period=second).period or (None, None)))
    return df


# --- helpers -------------------------------------------------------------------------------------


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _year(value: object) -> int | None:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return int(value)  # type: ignore[call-overload]


def _in_period(year: int | None, period: Period | None) -> bool:
    if year is None or period is None:
        return False
    lo, hi = period
    return (lo is None or year >= lo) and (hi is None or year <= hi)


def _drop_undated_links(h: nx.MultiDiGraph, period: Period | None, *, keep: bool) -> None:
    """Remove (in place) the LINKED_TO edges not dated inside ``period`` (all of them unless ``keep``)."""
    drop = [(u, v, k) for u, v, k, d in h.edges(keys=True, data=True)
            if d.get("type") == "LINKED_TO" and not (keep and _in_period(_year(d.get("year")), period))]
    h.remove_edges_from(drop)


def _active_actors(h: nx.MultiDiGraph) -> set[Hashable]:
    """Actors of an already period-filtered graph that are members of a partnership or ends of a link."""
    nodes = h.nodes
    out = set()
    for u, v, d in h.edges(data=True):
        t = d.get("type")
        if t == "MEMBER_OF" and nodes[u].get("label") == "Actor" and nodes[v].get("label") == "Partnership":
            out.add(u)
        elif t == "LINKED_TO":
            out.update((u, v))
    return out


def _activity(g: nx.MultiDiGraph, period: Period) -> dict[Hashable, int]:
    """Active actors of ``period`` -> number of active partnerships they are members of."""
    flt = Filters(period=period)
    h = filter_graph(g, flt)
    _drop_undated_links(h, flt.period, keep=True)
    counts: dict[Hashable, int] = dict.fromkeys(_active_actors(h), 0)
    seen = set()
    for u, v, d in h.edges(data=True):
        if d.get("type") == "MEMBER_OF" and u in counts and (u, v) not in seen:
            seen.add((u, v))
            counts[u] += 1
    return counts
