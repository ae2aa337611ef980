"""What the network page draws for a choice of colour, size and filters, through the cached `Ctx`.

The page (``app_pages/network.py``) reads its widgets into a `NetworkChoice` and calls `selection`
and `drawing`; the warm-up (`dashboard.warmup`) calls `prepare`, which runs the same calls with
the widgets' defaults, so that the page finds every result of its first visit in the cache.

Nothing here is analysis: the actor graph, its selection, the ego network and the community graph
come from ``analysis`` (``analysis.projection``, ``analysis.views``); the drawing from
`dashboard.network_view`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from dashboard.context import Communities, Ctx, Named

__all__ = ["MEASURES", "Drawing", "NetworkChoice", "drawing", "prepare", "selection", "weighted_base"]

MEASURES = {"degree": "Degree (contacts)", "weighted_degree": "Weighted degree", "betweenness": "Betweenness",
            "closeness": "Closeness", "eigenvector": "Eigenvector", "pagerank": "PageRank"}


@dataclass(frozen=True)
class NetworkChoice:
    """The network page's settings; the defaults are its widgets' defaults (a first visit)."""

    color_by: str = "family"
    size_by: str = "degree"
    countries: tuple[str, ...] = ()
    families: tuple[str, ...] = ()
    partnerships: tuple[str, ...] = ()
    programmes: tuple[str, ...] = ()
    communities: tuple[int, ...] = ()
    period: tuple[int, int] | None = None
    min_weight: int = 1
    hide: bool = False
    tie_weight: str = "count"
    backbone: float | None = None
    top: int = 40

    def filters(self) -> Any:
        """The `analysis.projection.Filters` of the property graph (countries, partnerships, programmes, period)."""
        from analysis.projection import Filters

        return Filters(countries=self.countries, programmes=self.programmes, partnerships=self.partnerships,
                       period=self.period)


def selection(ctx: Ctx, choice: NetworkChoice, comm: Communities) -> Named:
    """The actor graph the choice selects (`analysis.views.select_actors` of the filtered projection).

    With no filter at all this is the shared projection of the whole graph (``ctx.projection``,
    the one every page uses) rather than a filtered copy of it and a selection that keeps
    everything: with empty `Filters` ``actor_projection`` equals the unfiltered projection, and a
    minimum tie weight of 1 drops nothing, since every tie of the projection has ``weight`` =
    shared partnerships + links >= 1. At 10,000 actors that saves two graph copies (seconds).
    """
    filters = choice.filters()
    if choice.tie_weight != "count" or choice.backbone is not None:
        return _weighted_selection(ctx, choice, comm, filters)
    proj = ctx.projection if filters.is_empty else ctx.named("analysis.projection:actor_projection",
                                                              filters=filters)
    if not (choice.families or choice.communities or choice.hide) and choice.min_weight <= 1:
        return proj
    return ctx.named("analysis.views:select_actors", on=proj, families=tuple(choice.families),
                     communities=tuple(choice.communities), membership=comm.membership,
                     min_weight=choice.min_weight, drop_isolates=choice.hide)


def _weighted_selection(ctx: Ctx, choice: NetworkChoice, comm: Communities, filters: Any) -> Named:
    """The selection on the re-weighted projection (`analysis.tie_weights`), optionally its backbone
    (`analysis.backbone`); the minimum tie weight is then a minimum of shared partnerships."""
    proj = weighted_base(ctx, choice)
    if not (choice.families or choice.communities or choice.hide):
        return proj
    return ctx.named("analysis.views:select_actors", on=proj, families=tuple(choice.families),
                     communities=tuple(choice.communities), membership=comm.membership, drop_isolates=choice.hide)


def weighted_base(ctx: Ctx, choice: NetworkChoice) -> Named:
    """The filtered projection with the chosen tie weight and stable-tie minimum, or its backbone.

    With a backbone, the graph's ``graph`` attributes ``ties`` and ``kept`` say how many ties it keeps.
    """
    proj = ctx.named("analysis.tie_weights:weighted_projection", weight=choice.tie_weight, filters=choice.filters(),
                     min_shared=choice.min_weight if choice.min_weight > 1 else None)
    if choice.backbone is not None:
        proj = ctx.named("analysis.backbone:backbone", on=proj, alpha=choice.backbone)
    return proj


@dataclass
class Drawing:
    """A drawn view: the HTML page, its caption, and what it shows.

    ``graph`` is the actor graph drawn (a `Named`: made only when used); ``map`` the `analysis.network_map.map_summary`
    of the network map when the view is aggregated (its communities, for the drill-down).
    """

    html: str
    note: str
    aggregated: bool
    graph: Named = field(repr=False)
    sizes: dict[Any, float] = field(default_factory=dict, repr=False)
    map: dict[str, Any] | None = field(default=None, repr=False)


def _render_actors(g: nx.Graph, sizes: dict[Any, float], **kwargs: Any) -> str:
    from analysis.network_map import central_actors
    from dashboard.network_view import render_network

    # the 30 most central actors (by the size measure) are labelled at every zoom
    return render_network(g=g, sizes=sizes, central=tuple(central_actors(g, 30, centrality=sizes)), **kwargs)


def _render_map(q: nx.Graph, note: str) -> str:
    from dashboard.network_view import render_map

    return render_map(q=q, positions=q.graph["positions"], note=note)


def drawing(ctx: Ctx, choice: NetworkChoice, comm: Communities, sel: Named, *, ego: str | None = None,
            hops: int = 1, actor_names: dict[str, str] | None = None) -> Drawing:
    """The network view of ``sel``: the ego network of ``ego`` at ``hops``, else every actor, or the
    network map (`analysis.network_map.network_map`: the ``choice.top`` largest communities, one
    "not connected (N)" node) when more than `MAX_NODES` actors are shown (`DRILL_MAX` inside chosen
    communities, a drill-down).

    Every step is cached per data version (graphs, layout, HTML), so a rerun only looks them up.
    The 30 most central actors (by the size measure) are labelled at every zoom. ``actor_names`` is
    kept for callers: the map names members from the graph itself.
    """
    from dashboard.network_view import DRILL_MAX, MAX_NODES

    view = ctx.named("analysis.views:ego_network", on=sel, actor=ego, radius=hops) if ego else sel
    limit = DRILL_MAX if choice.communities else MAX_NODES
    n = ctx.data("analysis.network_map:view_summary", on=view)["nodes"]
    if ego is None and n > limit:
        # the map, its summary and its drawing are cached (on disk too): a first visit after a restart
        # reads them and never builds the actor graph
        q = ctx.named("analysis.network_map:network_map", on=view, membership=comm.membership, top=choice.top)
        summary = ctx.data("analysis.network_map:map_summary", on=q)
        info = summary["info"]
        note = (f"{n:,} actors are more than {limit:,}: each node is a community (size = actors), "
                f"the {min(choice.top, info['communities']):,} largest of {info['communities']:,}, labelled by "
                f"top member · country · family; 'not connected ({info['not_connected']:,})' holds the actors "
                "without a tie or alone in their community. Open a community below, or search an actor.")
        html = ctx.html(f"map|{q.key}", _render_map, q=q, note=note)
        return Drawing(html, note, True, view, map=summary)
    sizes = ctx.data("analysis.views:actor_measure", on=ctx.projection, measure=choice.size_by)
    shown = ctx.data("analysis.network_map:view_summary", on=view)
    what = ""
    if ego:
        name = shown["labels"].get(ego, (ego,))[0]
        what = f"ego network of {name} at {hops} hop{'s' if hops > 1 else ''}, "
    note = f"{what}{shown['nodes']:,} actors, {shown['edges']:,} ties"
    html = ctx.html(f"actors|{view.key}|{choice.color_by}|{choice.size_by}", _render_actors, g=view,
                    positions=Named(f"layout|{view.key}", make=lambda: ctx.layout(view)), color_by=choice.color_by,
                    membership=comm.membership, community_names=comm.names, sizes=sizes,
                    size_label=MEASURES[choice.size_by], focus=ego)
    return Drawing(html, note, False, view, sizes)


def prepare(ctx: Ctx, choice: NetworkChoice | None = None) -> Drawing:
    """Compute (into the caches) everything a visit to the network page with ``choice`` shows.

    The facets and communities of the sidebar, the selection and its drawing: the same cached
    calls, with the same keys, as the page makes.
    """
    choice = choice or NetworkChoice()
    facets = ctx.facets()
    comm = ctx.communities()
    sel = selection(ctx, choice, comm)
    return drawing(ctx, choice, comm, sel, actor_names=facets["actors"])
