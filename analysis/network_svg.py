"""The network as a static inline SVG for the HTML brief (`analysis.report`): no script, nothing fetched.

Small networks are drawn actor by actor, coloured by family; above ``threshold`` actors the picture
is the aggregated map of `analysis.network_map.network_map` (largest communities, one node for
the actors that are not connected), coloured by each community's dominant family. Positions come
from `analysis.layout.layout`, the layout the dashboard's network view uses. Every text drawn from
the data goes through ``html.escape``.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from typing import Any

import networkx as nx

from analysis.layout import FAMILY_COLOURS, layout
from analysis.network_map import NOT_CONNECTED, SMALLER, central_actors, display_label, network_map, node_radius

__all__ = ["network_svg"]

_GREY = "#9c9c9c"


def network_svg(
    proj: nx.Graph,
    membership: Mapping[Any, int] | None = None,
    *,
    threshold: int = 400,
    top: int = 30,
    central: int = 15,
    font: int = 18,
) -> str:
    """An ``<svg>`` element drawing the actor graph ``proj``.

    Parameters
    ----------
    proj : networkx.Graph
        The actor projection (nodes carry ``name``, ``family``, ``country``).
    membership : mapping actor -> community, optional
        Communities for the aggregated picture (Louvain); without it, large graphs are still
        aggregated, with every actor in one "no community" group per connected status.
    threshold : int, default 400
        Above this many actors, communities are drawn instead of actors.
    top : int, default 30
        Communities drawn in the aggregated picture (`analysis.network_map.network_map`).
    central : int, default 15
        How many of the most central actors (degree, `analysis.network_map.central_actors`) are
        named on the actor picture.
    font : int, default 18
        Label size in layout units (the SVG is drawn in the layout's units and scales, text
        included, to its container's width).

    Returns
    -------
    str
        One ``<svg>`` element with a ``<title>``, lines for ties, circles for nodes (each with an
        escaped ``<title>`` tooltip), escaped ``<text>`` labels and a family legend.

    Notes
    -----
    Positions: the Fruchterman–Reingold layout of `analysis.layout.layout` (python-igraph) [1]_,
    scaled into the drawing with a margin.

    References
    ----------
    .. [1] T. M. J. Fruchterman and E. M. Reingold, "Graph drawing by force-directed placement",
       Software: Practice and Experience 21(11), 1129–1164 (1991).
    """
    if proj.number_of_nodes() <= threshold:
        nodes, edges, caption = _actors(proj, central)
    else:
        nodes, edges, caption = _communities(proj, membership or {}, top)
    return _draw(nodes, edges, caption, font)


def _actors(proj: nx.Graph, central: int) -> tuple[list[dict], list[tuple], str]:
    pos = layout(proj)
    named = set(central_actors(proj, central))
    nodes = []
    for n, d in proj.nodes(data=True):
        fam = d.get("family") or "other"
        name = str(d.get("name") or n)
        nodes.append({"xy": pos[n], "r": 7.0 + (5.0 if n in named else 0), "fill": FAMILY_COLOURS.get(fam, _GREY),
                      "tip": f"{name} ({d.get('country') or 'EU/intl'}, {fam.replace('_', ' ')})",
                      "label": name if n in named else ""})
    edges = [(pos[u], pos[v], 1.0) for u, v in proj.edges() if u != v]
    caption = (f"{proj.number_of_nodes():,} organisations and {proj.number_of_edges():,} ties, coloured by "
               f"family; the {len(named)} with the most partners are named.")
    return nodes, edges, caption


def _communities(proj: nx.Graph, membership: Mapping[Any, int], top: int) -> tuple[list[dict], list[tuple], str]:
    q = network_map(proj, membership, top=top)
    pos = q.graph["positions"]  # the layout the dashboard draws the map with
    biggest = max((d["size"] for _, d in q.nodes(data=True)), default=1)
    nodes = []
    for c, d in q.nodes(data=True):
        grey = c in (NOT_CONNECTED, SMALLER)
        fam = _fam_key(d.get("family"))
        stars = d.get("central") or []
        tip = d["label"] + (f"; most central: {', '.join(stars)}" if stars else "")
        nodes.append({"xy": pos[c], "r": node_radius(d["size"], biggest), "fill": _GREY if grey
                      else FAMILY_COLOURS.get(fam, _GREY), "tip": tip, "label": display_label(d)})
    top_w = max((float(d.get("weight", 1)) for _, _, d in q.edges(data=True)), default=1.0)
    edges = [(pos[a], pos[b], 1.0 + 8.0 * math.sqrt(float(d.get("weight", 1)) / top_w))
             for a, b, d in q.edges(data=True)]
    caption = (f"{proj.number_of_nodes():,} organisations in {q.graph['communities']:,} communities of two or more; "
               f"each circle is one of the largest communities (area = organisations, colour = its most frequent "
               f"family), labelled by its best-connected member, country and family; "
               f"{q.graph['not_connected']:,} organisations without a tie form the grey 'not connected' circle.")
    return nodes, edges, caption


def _fam_key(family: Any) -> str:
    return str(family or "other").replace(" ", "_")


def _draw(nodes: list[dict], edges: list[tuple], caption: str, font: int) -> str:
    """The SVG in the layout's own units (the labels' room was reserved there); it scales to its container."""
    pad = 40.0 + 10.0 * font
    xs = [n["xy"][0] for n in nodes] or [0.0]
    ys = [n["xy"][1] for n in nodes] or [0.0]
    x0, y0 = min(xs) - pad, min(ys) - pad
    width = max(max(xs) - x0 + pad, 700.0)
    height = max(ys) - y0 + pad

    def at(p: tuple[float, float]) -> tuple[float, float]:
        return round(p[0] - x0, 1), round(p[1] - y0, 1)

    e = html.escape
    out = [f'<svg class="net" viewBox="0 0 {width:.0f} {height + 3 * font:.0f}" width="100%" role="img" '
           f'aria-label="{e(caption)}"><title>{e(caption)}</title>', '<g stroke="#8892a0" stroke-opacity="0.35">']
    for a, b, w in edges:
        (ax, ay), (bx, by) = at(a), at(b)
        out.append(f'<line x1="{ax}" y1="{ay}" x2="{bx}" y2="{by}" stroke-width="{w:.2f}"/>')
    out.append('</g><g stroke="#ffffff" stroke-width="1">')
    for n in nodes:
        x, y = at(n["xy"])
        out.append(f'<circle cx="{x}" cy="{y}" r="{n["r"]:.1f}" fill="{n["fill"]}"><title>{e(n["tip"])}</title>'
                   "</circle>")
    out.append(f'<g fill="#1d2430" stroke="none" font-size="{font}">')
    for n in nodes:
        if n["label"]:
            x, y = at(n["xy"])
            lines = "".join(f'<tspan x="{x}" dy="{0 if i == 0 else round(font * 1.15)}">{e(t)}</tspan>'
                            for i, t in enumerate(n["label"].split("\n")))
            out.append(f'<text x="{x}" y="{round(y + n["r"] + font, 1)}" text-anchor="middle">{lines}</text>')
    out.append("</g></g>")
    step = width / len(FAMILY_COLOURS)
    out.append(f'<g font-size="{font}">')
    for i, (fam, colour) in enumerate(FAMILY_COLOURS.items()):
        x, y = 10 + i * step, height + 1.5 * font
        out.append(f'<circle cx="{x + font / 2:.0f}" cy="{y:.0f}" r="{font / 2:.0f}" fill="{colour}"/>'
                   f'<text x="{x + 1.3 * font:.0f}" y="{y + font / 3:.0f}">{e(fam.replace("_", " "))}</text>')
    out.append("</g></svg>")
    return "".join(out)
