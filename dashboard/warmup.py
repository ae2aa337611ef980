"""Warm the dashboard's caches before the first visit: the network page's first view (every page's on a large
store, `dashboard.prefetch`), per data version.

A first visit to the network page of a large store computes the graph, the actor projection, its
communities, the facets, the community graph, its layout and the drawing (tens of seconds at
10,000 actors with the analysis of 2026-11). Streamlit's caches (``st.cache_resource``,
``st.cache_data``) are process-wide, so the same cached calls made in a background thread fill
them for every later session:

- `boot` runs when ``partnet serve`` starts the dashboard process (`dashboard.serve`), before
  the server listens: it imports the analysis modules, waits for Streamlit's runtime (``st.cache_data``
  keeps its results in the runtime's storage) and warms the store's current data version;
- `ensure`, called by every page (`dashboard.state.page`), warms a data version nobody has warmed
  yet: after an ingest, or under a plain ``streamlit run``.

A page that needs a result still being computed waits for it instead of computing it again:
Streamlit takes a lock per cache key, and the warm-up makes exactly the page's calls
(`dashboard.network_page.prepare`, `dashboard.prefetch`), with the page's keys. The results are
kept on disk too (`dashboard.page_cache`): after a restart the warm-up, and the pages, read them.
Warming is best effort: a failure is logged and the page computes what it needs itself.
``PARTNET_WARMUP=0`` turns it off.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import threading
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dashboard.context import Ctx, StoreChoice

__all__ = ["PREFETCH_ALL_ACTORS", "boot", "enabled", "ensure", "warm", "warmed"]

_LOG = logging.getLogger("partnet.dashboard.warmup")
_LOCK = threading.Lock()
_JOBS: dict[tuple[StoreChoice, str], threading.Thread] = {}
_DONE: dict[tuple[StoreChoice, str], float] = {}
_OFF = {"0", "false", "no", "off"}
_THREAD = "partnet-warmup"


class _NoContextWarning(logging.Filter):
    """Drops Streamlit's "missing ScriptRunContext" warning for the warm-up's threads (no page to draw on)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.threadName or "").startswith(_THREAD)


logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(_NoContextWarning())


def enabled() -> bool:
    """False when ``PARTNET_WARMUP`` is 0/false/no/off."""
    return os.environ.get("PARTNET_WARMUP", "").strip().lower() not in _OFF


#: From this many actors the warm-up computes every page's first view, not only the network page's
#: (below it every page computes in about a second).
PREFETCH_ALL_ACTORS = 2_000


def warm(ctx: Ctx) -> None:
    """Compute, into the caches, what a first visit to the network page shows (blocking); on a store of
    `PREFETCH_ALL_ACTORS` actors or more, then every other page's first view (`dashboard.prefetch`).

    `dashboard.network_page.prepare` with the page's default settings: the facets, the
    communities, the selection, and the drawing (the community graph, its layout and HTML above
    `dashboard.network_view.MAX_NODES` actors; else the actors' layout and HTML). The results are
    also kept on disk under the store's stored run (`dashboard.page_cache`); once a warm-up has kept
    them all, a restart on an unchanged store skips the warm-up (each page reads its own views).
    """
    from dashboard.network_page import prepare
    from dashboard.prefetch import PAGES, prefetch

    run = ctx.stored_run()
    if run is not None and run.warmed:
        _LOG.info("partnet: the first views of %s are on disk (%s): nothing to warm", ctx.version, run.path)
        return  # each page reads its own views from disk: loading them all here would only slow the first visit
    prepare(ctx)
    complete = True
    if ctx.counts.get("Actor", 0) >= PREFETCH_ALL_ACTORS:
        others = [p for p in PAGES if p != "network"]
        took = prefetch(ctx, others)
        complete = len(took) == len(others)
        _LOG.info("partnet: first views prefetched: %s", ", ".join(f"{k} {v:.1f} s" for k, v in took.items()))
    if run is not None and complete:
        run.mark_warmed()


def warmed(ctx: Ctx) -> bool:
    """True when the warm-up of ``ctx``'s store and data version has finished without error."""
    return (ctx.choice, ctx.version) in _DONE


def ensure(ctx: Ctx) -> threading.Thread | None:
    """Start `warm` of ``ctx``'s store and data version in a daemon thread, unless started before.

    Returns the thread (the running or finished one when already started), or None when warming
    is turned off. Never raises: the thread logs a failure and ends.
    """
    if not enabled():
        return None
    key = (ctx.choice, ctx.version)
    with _LOCK:
        job = _JOBS.get(key)
        if job is None:
            mine = dataclasses.replace(ctx, _graph=None)  # the page's Ctx stays the page's
            job = threading.Thread(target=_run, args=(mine,), name=_THREAD, daemon=True)
            _JOBS[key] = job
            job.start()
    return job


def _run(ctx: Ctx) -> None:
    t = time.perf_counter()
    try:
        warm(ctx)
    except BaseException as e:  # noqa: BLE001 - best effort; the page computes what it needs itself
        _LOG.warning("partnet: warming the network page of %s failed (%s: %s); pages compute on demand",
                     ctx.choice.describe(), type(e).__name__, e)
        return
    _DONE[(ctx.choice, ctx.version)] = time.perf_counter() - t
    _LOG.info("partnet: network page of %s warmed in %.1f s", ctx.version, time.perf_counter() - t)


def boot(*, runtime_timeout: float = 120.0) -> threading.Thread:
    """At process start: in a daemon thread, import, wait for Streamlit's runtime, warm the store.

    For `dashboard.serve`, called before the server listens, so the work overlaps Streamlit's own
    start. Returns the thread; an unreachable or empty store is left to the pages to report.
    """

    def run() -> None:
        try:
            from streamlit import runtime

            # The modules a first visit imports (pandas, scipy, networkx, igraph, pyvis): seconds.
            import dashboard.network_page  # noqa: F401
            import dashboard.network_view  # noqa: F401
            from dashboard import context as state

            deadline = time.monotonic() + runtime_timeout
            while not runtime.exists():  # st.cache_data stores into the runtime's cache storage
                if time.monotonic() > deadline:
                    _LOG.warning("partnet: Streamlit's runtime did not start; no warm-up")
                    return
                time.sleep(0.02)
            ctx = state.open_ctx(state.store_choice())
            if ctx.empty:
                return
            job = ensure(ctx)
            if job is not None:
                job.join()
        except Exception as e:  # noqa: BLE001 - best effort: the pages report store errors themselves
            _LOG.warning("partnet: no warm-up (%s: %s)", type(e).__name__, e)

    thread = threading.Thread(target=run, name=f"{_THREAD}-boot", daemon=True)
    thread.start()
    return thread
