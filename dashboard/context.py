"""The dashboard's data boundary: which store is read, the cached graph, cached analysis results.

It draws nothing: pages get a `Ctx` through `dashboard.state.page` (which draws the sidebar), and the
warm-up thread (`dashboard.warmup`) through `open_ctx`.

- The store is opened once per process and choice (``st.cache_resource``): kind from
  ``PARTNET_STORE``, SQLite file from ``PARTNET_DB``, read-only when ``PARTNET_READ_ONLY`` is set
  (the store itself then refuses writes with `graph.errors.ReadOnlyError`; Neo4j is always read
  in read transactions).
- Every result is keyed by the store's ``data_version()`` (a fingerprint that changes with every
  write), so switching pages is instant and an ingest invalidates everything at once.
  Graphs are kept with ``st.cache_resource`` (one shared, read-only object: pickling a
  100,000-node graph on every rerun would cost seconds); frames and plain results with
  ``st.cache_data``.
- Nothing is computed before a page needs it: the graph, the projection and every `Named`
  result are made on first use. The frames, layouts and drawings are also kept on local disk
  under the store's stored run (`dashboard.page_cache`: data version + stored results + code),
  so after a restart on an unchanged store a page reads them instead of reading the graph and
  recomputing; the store's stored results (`analysis.results`) are written back once per data
  version when the dashboard may write.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import networkx as nx
import streamlit as st

from analysis.memo import share
from graph.errors import PartnetError
from graph.store import Store

__all__ = ["ROOT", "Communities", "Ctx", "Named", "StoreChoice", "open_ctx", "read_only_mode", "store_choice"]

ROOT = Path(__file__).resolve().parents[1]
_TRUE = {"1", "true", "yes", "on"}


def read_only_mode() -> bool:
    """True when ``PARTNET_READ_ONLY`` is set to 1/true/yes/on."""
    return os.environ.get("PARTNET_READ_ONLY", "").strip().lower() in _TRUE


@dataclass(frozen=True)
class StoreChoice:
    """Which store the dashboard reads: ``kind`` (sqlite/neo4j), SQLite ``path``, ``read_only``."""

    kind: str
    path: str | None
    read_only: bool

    def describe(self) -> str:
        """The store and where it is: the SQLite path or the Neo4j URI and user, never the password."""
        if self.kind == "neo4j":
            from graph.config import Neo4jSettings

            return f"Neo4j at {Neo4jSettings.from_env()}"
        from graph.config import default_sqlite_path

        return f"SQLite file {Path(self.path) if self.path else default_sqlite_path()}"


def store_choice() -> StoreChoice:
    """The store named by the environment (``PARTNET_STORE``, ``PARTNET_DB``, ``PARTNET_READ_ONLY``)."""
    from graph.config import store_kind

    kind = store_kind(None)
    return StoreChoice(kind=kind, path=os.environ.get("PARTNET_DB") or None, read_only=read_only_mode())


@st.cache_resource(show_spinner=False, max_entries=4)
def _open_store(kind: str, path: str | None, read_only: bool) -> Store:
    from graph.backends import open_store

    return open_store(kind, path=path, read_only=read_only)


@st.cache_resource(show_spinner="Reading the graph…", max_entries=2)
def _graph(_store: Store, version: str) -> nx.MultiDiGraph:
    # shared by every session and never changed: frozen, so that the analyses share its projection,
    # tables and matrices (analysis.memo) instead of rebuilding them per page
    return share(_store.read_graph())


@st.cache_resource(show_spinner="Reading stored results…", max_entries=8)
def _results(_store: Store, version: str, include_proposed: bool, read_only: bool,
             _g: Callable[[], nx.MultiDiGraph]) -> Any:
    # once per data version: the stored run (analysis.results), computed and written back when missing and the
    # dashboard may write; the shared graph is primed with it, so the pages recompute none of it
    import logging

    from analysis.results import compute_results, results_params

    try:
        res = _store.read_results(results_params(include_proposed=include_proposed))
        if res is None and not read_only:
            res = compute_results(_g(), version, include_proposed=include_proposed)
            _store.write_results(res)
    except (PartnetError, NotImplementedError) as e:
        logging.getLogger(__name__).warning("stored results unavailable: %s", e)
        return None
    return res


@st.cache_resource(show_spinner="Reading stored results…", max_entries=8)
def _stored_run(_store: Store, version: str, include_proposed: bool, read_only: bool,
                _results_of: Callable[[], Any]) -> Any:
    # the disk home of this data version's views (dashboard.page_cache.Run): named by the stored run, which is
    # computed and written back first when missing and the dashboard may write; None: compute as before
    import logging

    from analysis.results import results_params
    from dashboard import page_cache

    if not page_cache.enabled():
        return None
    params = results_params(include_proposed=include_proposed)
    try:
        record = _store.read_results_run(params)
        if record is None and not read_only and _results_of() is not None:
            record = _store.read_results_run(params)
    except (PartnetError, NotImplementedError) as e:
        logging.getLogger(__name__).warning("stored results unavailable: %s", e)
        return None
    return page_cache.run_for(version, record)


@st.cache_data(show_spinner=False, max_entries=8)
def _stored_metrics(version: str, graph_key: str, _run: Any, _g: Named, _res: Named) -> Any:
    from analysis.results import stored_metrics
    from dashboard.page_cache import fetch

    return fetch(_run, ("metrics", graph_key), lambda: stored_metrics(_g.value, _res.value))


@st.cache_data(show_spinner=False, max_entries=4)
def _counts(_store: Store, version: str) -> dict[str, int]:
    return _store.counts()


def _resolve(target: str) -> Callable[..., Any]:
    module, _, name = target.partition(":")
    if not module.startswith("analysis.") or not name.isidentifier():
        raise ValueError(f"not an analysis function: {target!r}")
    return getattr(importlib.import_module(module), name)


_UNSET = object()


class Named:
    """An argument that is itself a cached result (a graph, a frame): its ``key`` stands for it in cache keys.

    The ``value`` is given, or made by ``make()`` on first use (once, thread-safe): a cached call whose
    result is already cached, in memory or on disk, never makes it.
    """

    __slots__ = ("_lock", "_make", "_value", "key")

    def __init__(self, key: str, value: Any = _UNSET, *, make: Callable[[], Any] | None = None) -> None:
        if value is _UNSET and make is None:
            raise TypeError("Named needs a value or make")
        self.key, self._value, self._make, self._lock = key, value, make, threading.Lock()

    @property
    def value(self) -> Any:
        """The value, made now when it was given as ``make``."""
        if self._value is _UNSET:
            with self._lock:
                if self._value is _UNSET:
                    self._value = self._make()  # type: ignore[misc]
                    self._make = None
        return self._value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Named) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)

    def __repr__(self) -> str:
        return f"<{self.key}>"


def _key(kwargs: dict[str, Any]) -> str:
    return repr(sorted(kwargs.items()))


def _unwrap(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {k: v.value if isinstance(v, Named) else v for k, v in kwargs.items()}


def _kept(target: str, on: str, key: str, run: Any, g: Named, kwargs: dict[str, Any]) -> Any:
    # the analysis result from the run's disk directory, else computed (and kept there)
    from dashboard.page_cache import fetch

    return fetch(run, ("data", target, on, key), lambda: _resolve(target)(g.value, **_unwrap(kwargs)))


@st.cache_data(show_spinner="Computing…", max_entries=256)
def _cached_data(version: str, target: str, on: str, key: str, _run: Any, _g: Named, _kwargs: dict[str, Any]) -> Any:
    return _kept(target, on, key, _run, _g, _kwargs)


@st.cache_resource(show_spinner="Computing…", max_entries=32)
def _cached_shared(version: str, target: str, on: str, key: str, _run: Any, _g: Named, _kwargs: dict[str, Any]) -> Any:
    return _kept(target, on, key, _run, _g, _kwargs)


@st.cache_resource(show_spinner="Computing…", max_entries=64)
def _cached_resource(version: str, target: str, on: str, key: str, _g: Named, _kwargs: dict[str, Any]) -> Any:
    return _resolve(target)(_g.value, **_unwrap(_kwargs))


@st.cache_data(show_spinner="Laying out the graph…", max_entries=64)
def _cached_layout(version: str, key: str, _run: Any, _g: Named) -> dict[Any, tuple[float, float]]:
    from dashboard.network_view import layout
    from dashboard.page_cache import fetch

    return fetch(_run, ("layout", key), lambda: layout(_g.value))


@st.cache_data(show_spinner="Drawing…", max_entries=32)
def _cached_html(version: str, key: str, _run: Any, _render: Callable[..., str], _kwargs: dict[str, Any]) -> str:
    from dashboard.page_cache import fetch

    return fetch(_run, ("html", key), lambda: _render(**_unwrap(_kwargs)))


@dataclass(frozen=True)
class Communities:
    """Community membership (a `Named` dict actor -> community id), names (id -> label) and the table."""

    membership: Named
    names: dict[int, str]
    table: Any = None


@st.cache_resource(show_spinner=False, max_entries=4)
def _communities(version: str, _frame: Any) -> Communities:
    from analysis.gaps import community_series

    series = community_series(_frame)
    membership = {k: int(v) for k, v in series.items() if v == v}
    names: dict[int, str] = {c: f"community {c}" for c in sorted(set(membership.values()))}
    if hasattr(_frame, "columns") and "label" in _frame.columns and "community" in _frame.columns:
        for c, label in _frame.drop_duplicates("community")[["community", "label"]].itertuples(index=False):
            if c == c and label:
                names[int(c)] = f"{int(c)}: {label}"
    return Communities(Named(f"communities@{version}", membership), names, _frame)


def _stop_with(e: PartnetError) -> NoReturn:
    """Show an error a user can act on (message and hint, no traceback) and stop the page."""
    st.error(e.message)
    if e.hint:
        st.info(f"What to do: {e.hint}")
    st.stop()
    raise AssertionError("unreachable")  # st.stop raises; keeps type checkers honest


@dataclass
class Ctx:
    """What a page gets: the store, its data version, the graph, and cached calls into ``analysis``."""

    store: Store
    choice: StoreChoice
    version: str
    counts: dict[str, int]
    include_proposed: bool = False
    _graph: nx.MultiDiGraph | None = field(default=None, repr=False)

    @property
    def read_only(self) -> bool:
        """True when the dashboard must not write (``PARTNET_READ_ONLY``)."""
        return self.choice.read_only

    @property
    def empty(self) -> bool:
        """True when the store holds no actor and no partnership."""
        return not (self.counts.get("Actor") or self.counts.get("Partnership"))

    @property
    def whole_graph(self) -> nx.MultiDiGraph:
        """The whole property graph, proposals included (shared: never mutate it)."""
        if self._graph is None:
            self._graph = _graph(self.store, self.version)
            res = self.results()
            if res is not None:
                from analysis.results import prime

                prime(self._graph, res)  # once per graph object: a no-op when already primed
        return self._graph

    def results(self) -> Any:
        """The stored results of this data version (`analysis.results`; written back once per data version
        unless read-only), or None; the shared graph is primed with them."""
        # computing them reads the shared graph itself (not `whole_graph`, which primes it with these results)
        return _results(self.store, self.version, self.include_proposed, self.read_only,
                        lambda: _graph(self.store, self.version))

    def stored_run(self) -> Any:
        """The disk home of this data version's views (`dashboard.page_cache.Run`, named by the stored results,
        which are written back first when missing), or None (read-only without stored results, cache off)."""
        return _stored_run(self.store, self.version, self.include_proposed, self.read_only, self.results)

    @property
    def graph(self) -> nx.MultiDiGraph:
        """The graph the pages analyse (`analysis.status.analysed_graph`: proposed partnerships left out
        unless the sidebar's toggle includes them; shared: never mutate it)."""
        from analysis.status import analysed_graph

        return analysed_graph(self.whole_graph, include_proposed=self.include_proposed)

    @property
    def graph_key(self) -> str:
        """What `graph` is, in cache keys."""
        return "graph+proposed" if self.include_proposed else "graph"

    def data(self, target: str, on: Any = None, **kwargs: Any) -> Any:
        """Call ``module:function`` of ``analysis`` on the graph, cached per data version (``st.cache_data``).

        ``on`` is the graph to pass instead of the property graph: a `Named` result of `resource`.
        Keyword arguments must have a stable ``repr`` (numbers, strings, tuples, frozen dataclasses)
        or be `Named` cached results.
        """
        name, g = self._on(on)
        try:
            return _cached_data(self.version, target, name, _key(kwargs), self.stored_run(), g, kwargs)
        except PartnetError as e:
            _stop_with(e)

    def shared(self, target: str, on: Any = None, **kwargs: Any) -> Any:
        """Like `data` (kept on disk too), but one shared object (``st.cache_resource``): never mutate it. For large
        results a rerun would otherwise unpickle each time (``st.cache_data`` returns a fresh copy per call)."""
        name, g = self._on(on)
        try:
            return _cached_shared(self.version, target, name, _key(kwargs), self.stored_run(), g, kwargs)
        except PartnetError as e:
            _stop_with(e)

    def resource(self, target: str, on: Any = None, **kwargs: Any) -> Any:
        """Like `data` for results that are graphs: one shared object (``st.cache_resource``), never mutate it."""
        name, g = self._on(on)
        try:
            return _cached_resource(self.version, target, name, _key(kwargs), g, kwargs)
        except PartnetError as e:
            _stop_with(e)

    def _on(self, on: Named | None) -> tuple[str, Named]:
        if on is None:
            return self.graph_key, Named(self.graph_key, make=lambda: self.graph)
        return on.key, on

    def named(self, target: str, on: Named | None = None, **kwargs: Any) -> Named:
        """`resource` as a `Named` argument for further cached calls, made only when its value is used."""
        key = f"{target}@{on.key if on else self.graph_key}{_key(kwargs) if kwargs else ''}"
        return Named(key, make=lambda: self.resource(target, on=on, **kwargs))

    def layout(self, g: Named) -> dict[Any, tuple[float, float]]:
        """Positions of the nodes of a cached graph (`dashboard.network_view.layout`), cached per data version."""
        return _cached_layout(self.version, g.key, self.stored_run(), g)

    def html(self, key: str, render: Callable[..., str], **kwargs: Any) -> str:
        """``render(**kwargs)`` cached per data version and ``key`` (which must name everything it depends on);
        `Named` arguments are passed as their values, made only when the drawing is not cached."""
        return _cached_html(self.version, key, self.stored_run(), render, kwargs)

    def facets(self) -> dict[str, Any]:
        """What views can be filtered on (`analysis.views.graph_facets`)."""
        return self.data("analysis.views:graph_facets")

    @property
    def projection(self) -> Named:
        """The actor–actor projection of the whole graph (shared partnerships and links)."""
        return self.named("analysis.projection:actor_projection")

    def communities(self) -> Communities:
        """Louvain communities of the actor projection (`analysis.communities.louvain`), with their labels.

        Empty when the module is not installed (the views then offer no community colouring).
        """
        if importlib.util.find_spec("analysis.communities") is None:
            return Communities(Named("communities:none", {}), {})
        frame = self.data("analysis.communities:louvain", on=self.projection)
        return _communities(self.version, frame)

    def profile(self, actor: str) -> dict[str, Any]:
        """`analysis.views.actor_profile` of one actor (properties, partnerships, funding, links)."""
        return self.data("analysis.views:actor_profile", actor=actor)

    def export_file(self, fmt: str, build: Callable[[], nx.MultiDiGraph] | None = None,
                    **kwargs: Any) -> Callable[[], bytes]:
        """A callable giving the bytes of `analysis.export.export` (CSV as a zip), for ``st.download_button``.

        The export runs only when the user clicks; ``build`` gives the graph to export (default: the
        whole property graph).
        """
        kwargs.setdefault("include_proposed", self.include_proposed)

        def make() -> bytes:
            g = build() if build is not None else self.whole_graph
            import io
            import tempfile
            import zipfile

            from analysis.export import export

            with tempfile.TemporaryDirectory(prefix="partnet-export-") as tmp:
                out = Path(tmp) / ("csv" if fmt == "csv" else f"partnet.{fmt}")
                paths = export(g, fmt, out, **kwargs)
                if fmt != "csv":
                    return Path(paths[0]).read_bytes()
                buf = io.BytesIO()
                with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
                    for p in paths:
                        zf.write(p, arcname=Path(p).name)
                return buf.getvalue()

        return make

    def metrics(self) -> Any:
        """`analysis.export.actor_metrics`: every actor with centralities, community, distance to a union
        (read from the stored results when the store holds them for this data version)."""
        run = self.stored_run()
        if run is not None or self.results() is not None:
            return _stored_metrics(self.version, self.graph_key, run, Named(self.graph_key, make=lambda: self.graph),
                                   Named("results", make=self.results))
        comm = self.communities()
        kw: dict[str, Any] = {"projection": self.projection,
                              "centrality": Named("centrality", self.centrality())}
        if comm.membership.value:
            kw["communities"] = comm.membership
        return self.data("analysis.export:actor_metrics", **kw)

    def centrality(self) -> Any:
        """`analysis.centrality.actor_centrality` of the whole actor projection (a frame)."""
        return self.data("analysis.centrality:actor_centrality", on=self.projection)


def open_ctx(choice: StoreChoice) -> Ctx:
    """The `Ctx` of the store ``choice`` at its current data version (the store opened once per process).

    Draws nothing, so a thread other than a page's may call it (`dashboard.warmup`); raises
    `graph.errors.PartnetError` when the store cannot be read.
    """
    store = _open_store(choice.kind, choice.path, choice.read_only)
    version = store.data_version()
    return Ctx(store=store, choice=choice, version=version, counts=_counts(store, version))
