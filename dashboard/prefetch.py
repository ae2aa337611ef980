"""Every page's first view, computed ahead (the warm-up of `dashboard.warmup` runs `prefetch` on large stores).

Each function below makes the cached `Ctx` calls one page makes when it opens with its default
settings (the same targets, graphs and arguments, hence the same cache keys), so that its results
are in the caches — and on disk (`dashboard.page_cache`) — before anyone opens the page: after a
restart on an unchanged store every page's first view is read, not computed. The page files stay
the source of truth; ``tests/test_dashboard_prefetch.py`` opens every page after `prefetch` with
the graph unreadable and every analysis forbidden, so a page that asks for something not prefetched
fails there.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dashboard.context import Ctx

__all__ = ["PAGES", "prefetch"]

_LOG = logging.getLogger("partnet.dashboard.prefetch")


def _headline_args(ctx: Ctx) -> dict[str, Any]:
    comm = ctx.communities()
    kw: dict[str, Any] = {"projection": ctx.projection}
    if comm.membership.value:
        kw["communities"] = comm.membership
    return kw


def overview(ctx: Ctx) -> None:
    """dashboard/app_pages/overview.py."""
    from dashboard.context import Named

    ctx.data("analysis.headline:headline", top=10, include_proposed=ctx.include_proposed, **_headline_args(ctx))
    ctx.data("analysis.funding:funding_totals", by="programme")
    comm = ctx.communities()
    if comm.table is not None and comm.names:
        ctx.data("analysis.communities:community_summary", on=ctx.projection,
                 communities=Named("communities-frame", comm.table))


def network(ctx: Ctx) -> None:
    """dashboard/app_pages/network.py (`dashboard.network_page.prepare`, and the actor search's labels)."""
    from dashboard.network_page import NetworkChoice, prepare, selection

    prepare(ctx)
    sel = selection(ctx, NetworkChoice(), ctx.communities())
    ctx.data("analysis.network_map:view_summary", on=sel)


def actors(ctx: Ctx) -> None:
    """dashboard/app_pages/actors.py (the "All actors" view)."""
    ctx.metrics()


def partnerships(ctx: Ctx) -> None:
    """dashboard/app_pages/partnerships.py."""
    ctx.data("analysis.views:partnership_overview")


def gaps(ctx: Ctx, min_members: int = 2) -> None:
    """dashboard/app_pages/gaps.py (every tab: Streamlit runs them all)."""
    ctx.data("analysis.gaps:family_presence")
    for target in ("analysis.basis:evidence_basis", "analysis.gaps:partnerships_without_union",
                   "analysis.basis:outside_basis", "analysis.gaps:funded_without_union", "analysis.gaps:check_rules"):
        ctx.data(target, min_members=min_members)
    ctx.data("analysis.status:proposed_partnerships")
    ctx.data("analysis.gaps:countries_without_union")
    comm = ctx.communities()
    if comm.membership.value:
        ctx.data("analysis.gaps:communities_without_union", communities=comm.membership)
    ctx.data("analysis.gaps:distance_to_union", projection=ctx.projection)


def crossborder(ctx: Ctx) -> None:
    """dashboard/app_pages/crossborder.py and its country network section (`dashboard.country_network`)."""
    ctx.data("analysis.crossborder:cross_border_share")
    for target in ("countries_without_cross_border", "country_summary", "cross_border_actors"):
        ctx.data(f"analysis.crossborder:{target}", projection=ctx.projection)
    ctx.data("analysis.crossborder:country_matrix", measure="newman", max_members=20)
    ctx.metrics()
    ctx.data("analysis.countries:country_table", weight="participations")
    ctx.data("analysis.countries:country_edges", weight="participations")


def funding(ctx: Ctx) -> None:
    """dashboard/app_pages/funding.py."""
    ctx.data("analysis.funding:funding_table")
    ctx.data("analysis.funding:funding_totals", by="funder")
    ctx.data("analysis.funding:funding_concentration")
    ctx.data("analysis.funding:single_funder_dependence")


def planner(ctx: Ctx) -> None:
    """dashboard/app_pages/planner.py (invite list for families and countries, 12 seats; every introduction)."""
    ctx.facets()
    comm = ctx.communities()
    ctx.data("analysis.coverage:plan_invites", cover=("families", "countries"), seats=12, must=(), exclude=(),
             partnership=None, programme=None, country=None, projection=ctx.projection)
    kw: dict[str, Any] = {"gaps": ("union", "bridge", "cross_border"), "method": "adamic_adar", "top": 10,
                          "projection": ctx.projection, "cross_border": False}
    if comm.membership.value:
        kw["communities"] = comm.membership
    ctx.data("analysis.planner:suggest_introductions", **kw)


def change(ctx: Ctx, width: int = 5) -> None:
    """dashboard/app_pages/change.py (periods of five years, all of them compared)."""
    from dashboard.limits import PERIOD_ACTORS_DRAWN, PERIOD_TIES_DRAWN

    choices = [f"{lo}-{hi}" for lo, hi in ctx.data("analysis.change:periods_every", width=width)]
    if len(choices) < 2:
        return
    periods = tuple(tuple(int(x) for x in p.split("-")) for p in sorted(choices))
    ctx.shared("analysis.change:compare_periods", periods=periods)
    ctx.shared("analysis.change:period_drawing", periods=periods, max_actors=PERIOD_ACTORS_DRAWN,
             max_ties=PERIOD_TIES_DRAWN)


#: Page -> its first view, in the order the warm-up computes them (the network page first: the heaviest).
PAGES: dict[str, Callable[[Ctx], None]] = {
    "network": network, "overview": overview, "actors": actors, "partnerships": partnerships, "gaps": gaps,
    "crossborder": crossborder, "funding": funding, "planner": planner, "change": change,
}


def prefetch(ctx: Ctx, pages: list[str] | None = None) -> dict[str, float]:
    """Compute (into the caches) the first view of ``pages`` (default: every page of `PAGES`), in order.

    Returns page -> seconds. A page that fails is logged and skipped (it computes on its visit instead).
    """
    took: dict[str, float] = {}
    for name in pages or list(PAGES):
        t = time.perf_counter()
        try:
            PAGES[name](ctx)
        except Exception as e:  # noqa: BLE001 - best effort: the page computes what it needs itself
            _LOG.warning("partnet: prefetching the %s page failed (%s: %s)", name, type(e).__name__, e)
            continue
        took[name] = time.perf_counter() - t
    return took
