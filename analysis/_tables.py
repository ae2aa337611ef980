"""Flat tables of the property graph (actors, partnerships, memberships, funding, links) for vectorised analyses.

Private helpers of the gaps, funding, cross-border, planner, export and report modules: one pass
over the nodes or edges of the ``networkx.MultiDiGraph`` of ``graph.convert.dataset_to_graph``,
then pandas from there on.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import math
from collections.abc import Callable, Iterator
from typing import Any

import networkx as nx
import pandas as pd

from analysis._community_input import community_series
from analysis.memo import is_stable, per_graph

__all__ = [
    "actors_frame",
    "cached_tables",
    "memoised",
    "default_communities",
    "funding_frame",
    "joined",
    "links_frame",
    "memberships_frame",
    "partnerships_frame",
]


_CACHE: contextvars.ContextVar[dict | None] = contextvars.ContextVar("partnet_tables_cache", default=None)


@contextlib.contextmanager
def cached_tables() -> Iterator[None]:
    """Within this block, each table of a given graph object is built once and reused.

    Used by the functions that compose many analyses (headline, report, exports) so that the
    graph is walked once per table, not once per analysis. The graph must not change inside the
    block. Nested blocks share the outer cache.
    """
    if _CACHE.get() is not None:
        yield
        return
    token = _CACHE.set({})
    try:
        yield
    finally:
        _CACHE.reset(token)


def with_table_cache(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Decorator: run ``fn`` inside `cached_tables`."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with cached_tables():
            return fn(*args, **kwargs)

    return wrapper


def memoised(key: tuple, g: Any, compute: Callable[[], Any]) -> Any:
    """``compute()``, remembered under ``key`` for graph ``g`` while `cached_tables` is active,
    and for the graph's lifetime when it is frozen (`analysis.memo.per_graph`).

    Frames are returned as (copy-on-write) copies, so callers may add columns freely.
    """
    cache = _CACHE.get()
    if is_stable(g) or cache is None:
        value = per_graph(g, key, compute)
    else:
        full = (*key, id(g))
        hit = cache.get(full)
        if hit is None or hit[0] is not g:
            hit = cache[full] = (g, compute())
        value = hit[1]
    return value.copy() if isinstance(value, pd.DataFrame) else value


def _memo(fn: Callable[[Any], pd.DataFrame]) -> Callable[[Any], pd.DataFrame]:
    @functools.wraps(fn)
    def wrapper(g: Any) -> pd.DataFrame:
        return memoised(("table", fn.__name__), g, lambda: fn(g))  # a copy: callers may add columns

    return wrapper


def joined(keys: pd.Series, values: pd.Series, sep: str = ", ") -> pd.Series:
    """Per run of equal ``keys`` (the rows must be sorted so that each key's rows are contiguous):
    its ``values`` joined with ``sep``, indexed by key.

    One pass over plain lists: thousands of groups cost milliseconds, where a pandas
    ``groupby(...).agg(", ".join)`` builds a Series per group.
    """
    k, v = keys.tolist(), [str(x) for x in values.tolist()]
    out_k, out_v, start = [], [], 0
    for i in range(1, len(k) + 1):
        if i == len(k) or k[i] != k[start]:
            out_k.append(k[start])
            out_v.append(sep.join(v[start:i]))
            start = i
    return pd.Series(out_v, index=pd.Index(out_k, name=keys.name), dtype=object, name=values.name)


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _num(value: Any) -> float:
    if value is None:
        return math.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


@_memo
def actors_frame(g: nx.Graph) -> pd.DataFrame:
    """One row per actor node, sorted by id: ``id, name, type, family, country, scope, city``."""
    rows = [
        (n, _text(d.get("name")) or str(n), _text(d.get("type")), _text(d.get("family")),
         _text(d.get("country")), _text(d.get("scope")), _text(d.get("city")))
        for n, d in g.nodes(data=True) if d.get("label") == "Actor"
    ]
    df = pd.DataFrame(rows, columns=["id", "name", "type", "family", "country", "scope", "city"], dtype=str)
    return df.sort_values("id", kind="stable").reset_index(drop=True)


@_memo
def partnerships_frame(g: nx.Graph) -> pd.DataFrame:
    """One row per partnership node, sorted by id: ``id, name, kind, code, level, start_year, end_year, parent_id``."""
    rows = [
        (n, _text(d.get("name")) or str(n), _text(d.get("kind")), _text(d.get("code")), _text(d.get("level")),
         d.get("start_year"), d.get("end_year"), _text(d.get("parent_id")))
        for n, d in g.nodes(data=True) if d.get("label") == "Partnership"
    ]
    cols = ["id", "name", "kind", "code", "level", "start_year", "end_year", "parent_id"]
    df = pd.DataFrame(rows, columns=cols)
    for c in ("start_year", "end_year"):
        df[c] = pd.array([None if _num(v) != _num(v) else int(v) for v in df[c]], dtype="Int64")
    for c in ("id", "name", "kind", "code", "level", "parent_id"):
        df[c] = df[c].astype(str)
    return df.sort_values("id", kind="stable").reset_index(drop=True)


def _typed_edges(g: nx.Graph) -> dict[str, list[tuple[Any, Any, dict]]]:
    """Edges ``(u, v, attrs)`` grouped by their ``type`` attribute, in one pass (kept per frozen graph)."""
    return per_graph(g, ("typed edges",), lambda: _group_edges(g))


def _group_edges(g: nx.Graph) -> dict[str, list[tuple[Any, Any, dict]]]:
    out: dict[str, list[tuple[Any, Any, dict]]] = {}
    if g.is_directed() and g.is_multigraph() and getattr(g, "_graph", None) is None:
        for u, nbrs in g._adj.items():  # the raw dicts behind g.edges: no view object per edge
            for v, keyed in nbrs.items():
                for d in keyed.values():
                    out.setdefault(d.get("type"), []).append((u, v, d))
    else:
        for u, v, d in g.edges(data=True):
            out.setdefault(d.get("type"), []).append((u, v, d))
    return out


@_memo
def memberships_frame(g: nx.MultiDiGraph) -> pd.DataFrame:
    """One row per MEMBER_OF edge between an actor and a partnership: ``actor_id, partnership_id, role``.

    A repeated tie (same actor and partnership) is kept once.
    """
    label = dict(g.nodes(data="label"))
    rows = [
        (u, v, d.get("role") or "")
        for u, v, d in _typed_edges(g).get("MEMBER_OF", ())
        if label.get(u) == "Actor" and label.get(v) == "Partnership"
    ]
    df = pd.DataFrame(rows, columns=["actor_id", "partnership_id", "role"], dtype=str)
    df = df.drop_duplicates(["actor_id", "partnership_id"])
    return df.sort_values(["partnership_id", "actor_id"], kind="stable").reset_index(drop=True)


@_memo
def funding_frame(g: nx.MultiDiGraph) -> pd.DataFrame:
    """One row per FUNDS edge.

    Columns ``funder_id, recipient_id, recipient_label`` ("Actor"/"Partnership"), ``programme``,
    ``amount`` (float, NaN when unknown), ``currency``, ``start_year``, ``end_year``.
    """
    label = dict(g.nodes(data="label"))
    rows = [
        (u, v, _text(label.get(v)), _text(d.get("programme")), _num(d.get("amount")),
         _text(d.get("currency")), d.get("start_year"), d.get("end_year"))
        for u, v, d in _typed_edges(g).get("FUNDS", ())
    ]
    cols = ["funder_id", "recipient_id", "recipient_label", "programme", "amount", "currency",
            "start_year", "end_year"]
    df = pd.DataFrame(rows, columns=cols)
    for c in ("funder_id", "recipient_id", "recipient_label", "programme", "currency"):
        df[c] = df[c].astype(str)
    df["amount"] = df["amount"].astype("float64")
    for c in ("start_year", "end_year"):
        df[c] = pd.array([None if _num(v) != _num(v) else int(v) for v in df[c]], dtype="Int64")
    return df.sort_values(["recipient_id", "funder_id", "programme"], kind="stable").reset_index(drop=True)


@_memo
def links_frame(g: nx.MultiDiGraph) -> pd.DataFrame:
    """One row per LINKED_TO edge between two distinct actors: ``source_id, target_id, kind, year``."""
    rows = [(u, v, _text(d.get("kind")), d.get("year"))
            for u, v, d in _typed_edges(g).get("LINKED_TO", ()) if u != v]
    df = pd.DataFrame(rows, columns=["source_id", "target_id", "kind", "year"])
    for c in ("source_id", "target_id", "kind"):
        df[c] = df[c].astype(str)
    df["year"] = pd.array([None if _num(v) != _num(v) else int(v) for v in df["year"]], dtype="Int64")
    return df.sort_values(["source_id", "target_id", "kind"], kind="stable").reset_index(drop=True)


def default_communities(g: nx.MultiDiGraph, projection: nx.Graph | None = None) -> pd.Series | None:
    """Actor id -> community from ``analysis.communities`` with its default (seeded) settings.

    ``None`` when that module is not available, so that exports and reports still work without
    the community column.
    """
    try:
        from analysis import communities as _communities
    except ImportError:
        return None
    if projection is None:
        from analysis.projection import actor_projection

        projection = actor_projection(g)
    frame = _communities.louvain(projection)  # actor -> community
    return community_series(frame)
