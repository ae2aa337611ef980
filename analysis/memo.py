"""Results remembered per graph object, for graphs that cannot change.

A graph frozen with ``networkx.freeze`` raises on any structural change, so what an analysis
derives from it (its actor projection, its flat tables, its adjacency matrix) stays true for the
graph's lifetime. The dashboard, the CLI and the benchmark freeze the graph they read from a
store; every analysis called on it then shares one projection and one set of tables instead of
rebuilding them (at 100,000 actors a projection costs seconds). Graphs that are not frozen, and
views of other graphs, are never memoised here: their results are computed afresh each time.

The memo holds a weak reference to the graph: it is dropped with the graph.
"""

from __future__ import annotations

import contextlib
import gc
import threading
import weakref
from collections.abc import Callable, Hashable, Iterator
from typing import Any

import networkx as nx

__all__ = ["gc_paused", "is_stable", "keep_long_lived", "peek", "per_graph", "remember", "share"]

_MEMO: weakref.WeakKeyDictionary[Any, dict[Hashable, Any]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()
_GC_LOCK = threading.Lock()
_gc = {"depth": 0, "was_enabled": True}  # nesting depth of gc_paused blocks, collector state before the first


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while building large acyclic structures.

    Building a projection or a table allocates millions of dicts and tuples; each allocation
    burst triggers collections that traverse every live object (the graph itself: millions more),
    which at 100,000 actors costs more than the building. Reference counting still frees
    everything; the collector resumes when the outermost block ends (nested blocks and threads
    share one counter).
    """
    with _GC_LOCK:
        if _gc["depth"] == 0:
            _gc["was_enabled"] = gc.isenabled()
            gc.disable()
        _gc["depth"] += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _gc["depth"] -= 1
            if _gc["depth"] == 0 and _gc["was_enabled"]:
                gc.enable()


def share(g: Any) -> Any:
    """Freeze graph ``g`` (``networkx.freeze``: no structural change from now on) and keep it long-lived.

    For the graph an application reads once and analyses many times (the dashboard's cached graph,
    the CLI's, the benchmark's): every analysis then shares what is derived from it, and its
    millions of objects are moved out of the cyclic collector's scans (`keep_long_lived`).
    Returns ``g``.
    """
    nx.freeze(g)
    keep_long_lived(collect=True)
    return g


def keep_long_lived(*, collect: bool = False) -> None:
    """Move every object alive now to the collector's permanent generation (``gc.freeze``).

    A full collection traverses every tracked object; with a 100,000-actor graph and its
    projection alive (tens of millions of dicts and tuples) the analyses spent 15 s of 60 in
    collections that found nothing to free. Objects kept this way are still freed by reference
    counting; only cyclic garbage alive at that moment would stay (``collect`` clears it first).
    """
    if collect:
        gc.collect()
    gc.freeze()


def is_stable(g: Any) -> bool:
    """True when ``g`` is a frozen networkx graph that is not a view of another graph."""
    return isinstance(g, nx.Graph) and nx.is_frozen(g) and getattr(g, "_graph", None) is None


def per_graph(g: Any, key: Hashable, compute: Callable[[], Any]) -> Any:
    """``compute()`` remembered under ``key`` for the lifetime of ``g`` when ``g`` `is_stable`.

    Otherwise ``compute()`` is simply called. Two threads asking at once may both compute; the
    first stored result wins and both get a correct value.
    """
    if not is_stable(g):
        with gc_paused():
            return compute()
    with _LOCK:
        slot = _MEMO.get(g)
        if slot is None:
            slot = _MEMO[g] = {}
        if key in slot:
            return slot[key]
    with gc_paused():
        value = compute()
    with _LOCK:
        return slot.setdefault(key, value)


def remember(g: Any, key: Hashable, value: Any) -> None:
    """Store ``value`` under ``key`` for ``g`` (when ``g`` `is_stable`), e.g. a by-product of computing it."""
    if is_stable(g):
        with _LOCK:
            _MEMO.setdefault(g, {}).setdefault(key, value)


def peek(g: Any, key: Hashable) -> Any:
    """What `per_graph` holds for ``g`` under ``key``, or None; never computes."""
    if not is_stable(g):
        return None
    with _LOCK:
        return _MEMO.get(g, {}).get(key)
