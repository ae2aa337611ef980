"""The pyvis network view: offline, precomputed positions, physics off, every text escaped.

Measured on this machine kind (see the team's pyvis notes): with pyvis's defaults nothing is drawn
until physics stabilisation ends (minutes at 1,500 nodes), ``Network.add_edge`` is quadratic, and
pyvis's template fetches Bootstrap (and tom-select) from a CDN in every mode. So here:

- positions come from python-igraph's Fruchterman–Reingold in Python (`analysis.layout.layout`,
  re-exported here), cached by the page, and physics is off: vis-network only builds its data sets and draws;
- pyvis's ``Network.nodes``/``Network.edges`` lists are filled directly (linear);
- the page is rendered from our own template (``templates/network.html``) that inlines pyvis's
  bundled vis-network 9.1.2 and nothing else, under a Content-Security-Policy that forbids every
  request and every script but its own two (a per-render nonce) — zero external requests;
- labels go to the canvas as text (vis-network never parses them as HTML); tooltips are built
  here with every value HTML-escaped; legend entries and notes are escaped by the template; the
  data is embedded with Jinja's ``tojson`` (``<``, ``>``, ``&`` and ``'`` escaped), so no name can
  close the script element.
"""

from __future__ import annotations

import functools
import html
import math
import re
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from pyvis.network import Network

from analysis.layout import FAMILY_COLOURS, layout

__all__ = [
    "COMMUNITY_PALETTE",
    "DRILL_MAX",
    "FAMILY_COLOURS",
    "MAX_NODES",
    "OfflineNetwork",
    "community_colour",
    "layout",
    "render_map",
    "render_network",
]

#: Above this many visible actors the view draws communities as aggregated nodes.
MAX_NODES = 1500
#: Inside chosen communities (a drill-down) actors are drawn up to this many (about 3 s in a browser).
DRILL_MAX = 5000

COMMUNITY_PALETTE: tuple[str, ...] = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
    "#bab0ac", "#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
)
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
_TEMPLATES = Path(__file__).resolve().parent / "templates"
_PYVIS_TEMPLATES = Path(Network().template_dir)


def community_colour(c: int) -> str:
    """The colour of community ``c`` (a fixed palette, cycled; grey for ``-1``/unknown)."""
    return "#9c9c9c" if c is None or c < 0 else COMMUNITY_PALETTE[c % len(COMMUNITY_PALETTE)]


class OfflineNetwork(Network):
    """A pyvis ``Network`` rendered by partnet's own template: vis-network inlined, nothing fetched."""

    def __init__(self, height: int = 640) -> None:
        super().__init__(height=f"{height}px", width="100%", cdn_resources="in_line", directed=False)
        self.px_height = height
        self.templateEnv = Environment(loader=FileSystemLoader(str(_TEMPLATES)),
                                       autoescape=select_autoescape(default=True, default_for_string=True))

    def render(self, *, legend: list[tuple[str, str]], note: str = "", focus: str | None = None,
               png_name: str = "partnet-network.png") -> str:
        """The complete HTML document: legend entries ``(colour, label)``, a note, a node to select."""
        for colour, _ in legend:
            if not _HEX.match(colour):
                raise ValueError(f"not a #rrggbb colour: {colour!r}")
        return self.templateEnv.get_template("network.html").render(
            nodes=self.nodes, edges=self.edges, options=self.options, height=self.px_height, legend=legend,
            note=note, focus=focus, png_name=png_name, nonce=secrets.token_urlsafe(16), vis_js=_vis_js(),
        )


@functools.cache
def _vis_js() -> Markup:
    """pyvis's bundled vis-network 9.1.2, without its source-map comment (which would name a file to fetch)."""
    text = (_PYVIS_TEMPLATES / "lib" / "vis-9.1.2" / "vis-network.min.js").read_text(encoding="utf-8")
    text = re.sub(r"//# sourceMappingURL=\S*", "", text)
    if "</script" in text.lower():
        raise RuntimeError("vis-network.min.js holds '</script': it cannot be inlined safely")
    return Markup(text)


def _options(n_nodes: int) -> dict[str, Any]:
    big = n_nodes > 800
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big,
                        "navigationButtons": False, "keyboard": False, "multiselect": False},
        "nodes": {"shape": "dot", "borderWidth": 1, "font": {"size": 12, "face": "sans-serif", "multi": False}},
        "edges": {"smooth": False, "color": {"color": "#bdbdc7", "highlight": "#555566", "hover": "#555566",
                                              "inherit": False}, "selectionWidth": 1.5},
    }


def _tip(title: str, rows: list[tuple[str, Any]]) -> str:
    """A tooltip as HTML in which every value is escaped."""
    lines = [f"<b>{html.escape(str(title))}</b>"]
    lines += [f"{html.escape(k)}: {html.escape(str(v))}" for k, v in rows if v not in (None, "")]
    return "<br>".join(lines)


def _sizes(values: Mapping[Any, float] | None, nodes: list[Any]) -> dict[Any, float]:
    if not values:
        return {n: 12.0 for n in nodes}
    vals = np.array([float(values.get(n, 0.0) or 0.0) for n in nodes])
    vals = np.where(np.isfinite(vals), vals, 0.0)
    top = vals.max() if len(vals) else 0.0
    scaled = np.sqrt(vals / top) if top > 0 else np.zeros_like(vals)
    return {n: round(6.0 + 22.0 * s, 1) for n, s in zip(nodes, scaled, strict=True)}


def render_network(
    g: nx.Graph,
    positions: Mapping[Any, tuple[float, float]],
    *,
    color_by: str = "family",
    membership: Mapping[Any, int] | None = None,
    community_names: Mapping[int, str] | None = None,
    sizes: Mapping[Any, float] | None = None,
    size_label: str = "",
    focus: str | None = None,
    note: str = "",
    height: int = 640,
    central: Any = (),
) -> str:
    """The HTML page drawing the actor graph ``g`` at ``positions``.

    Colour by ``family`` or by ``community`` (``membership``: actor -> community id, named by
    ``community_names``), size by ``sizes`` (any centrality; scaled by square root to 6–28 px),
    ``focus`` (the ego) selected. Tooltips show name, type, country, city, community and the size
    measure, every value HTML-escaped; tie tooltips show shared partnerships and links. The actors in
    ``central`` (the most central ones) get a larger label that vis-network draws at every zoom.
    """
    nodes = list(g.nodes)
    central = set(central)
    size_of = _sizes(sizes, nodes)
    membership = membership or {}
    net = OfflineNetwork(height)
    legend: dict[str, str] = {}
    for n in nodes:
        d = g.nodes[n]
        comm = membership.get(n, -1)
        if color_by == "community":
            colour = community_colour(comm)
            legend.setdefault(colour, _community_name(comm, community_names))
        else:
            fam = d.get("family") or "other"
            colour = FAMILY_COLOURS.get(fam, FAMILY_COLOURS["other"])
            legend.setdefault(colour, fam.replace("_", " "))
        rows = [("type", (d.get("type") or "").replace("_", " ")), ("country", d.get("country")),
                ("city", d.get("city")), ("community", _community_name(comm, community_names) if membership else "")]
        if sizes:
            rows.append((size_label or "size", _fmt(sizes.get(n))))
        if "hops" in d:
            rows.append(("hops from the ego", d["hops"]))
        x, y = positions.get(n, (0.0, 0.0))
        node = {"id": str(n), "label": _short(d.get("name") or str(n)), "title": _tip(d.get("name") or n, rows),
                "x": x, "y": y, "color": colour, "size": size_of[n]}
        if n in central:
            node.update(_ALWAYS_LABELLED)
        if focus is not None and str(n) == str(focus):
            node.update({"borderWidth": 4, "color": {"background": colour, "border": "#111111"},
                         "font": {"size": 16, "face": "sans-serif", "bold": True}})
        net.nodes.append(node)
    for u, v, d in g.edges(data=True):
        w = float(d.get("weight", 1) or 1)
        rows = [("shared partnerships", d.get("shared")), ("explicit links", d.get("links") or "")]
        net.edges.append({"from": str(u), "to": str(v), "width": round(min(1.0 + math.log1p(w), 6.0), 2),
                          "title": _tip(f"{g.nodes[u].get('name', u)} — {g.nodes[v].get('name', v)}", rows)})
    net.options = _options(len(nodes))
    order = sorted(legend.items(), key=lambda kv: kv[1])
    return net.render(legend=order, note=note, focus=str(focus) if focus is not None else None)


#: Node options of a label drawn at every zoom (vis-network hides labels under ``drawThreshold`` px).
_ALWAYS_LABELLED: dict[str, Any] = {"font": {"size": 18, "face": "sans-serif", "strokeWidth": 4,
                                             "strokeColor": "#ffffff"},
                                    "scaling": {"label": {"enabled": False, "drawThreshold": 0}}}
_MAP_GREY = "#b8b8c0"


def render_map(q: nx.Graph, positions: Mapping[Any, tuple[float, float]], *, note: str = "",
               height: int = 640) -> str:
    """The HTML page drawing a network map (`analysis.network_map.network_map`).

    One node per shown community, sized by the square root of its actors and labelled (at every
    zoom) by its top member, dominant country and family; grey nodes for "not connected (N)" and the
    smaller communities; "★k": it holds k of the most central actors, whom the tooltip names besides
    the top countries and families (every value escaped).
    """
    from analysis.network_map import display_label, node_radius

    net = OfflineNetwork(height)
    biggest = max((float(d.get("size", 1)) for _, d in q.nodes(data=True)), default=1.0)
    legend: dict[str, str] = {}
    for c, d in q.nodes(data=True):
        grey = d.get("kind") in ("not_connected", "smaller", "none")
        colour = _MAP_GREY if grey else FAMILY_COLOURS.get(str(d.get("family") or "other"), FAMILY_COLOURS["other"])
        legend.setdefault(colour, "not connected / smaller communities" if grey
                          else str(d.get("family") or "other").replace("_", " ") + " (dominant family)")
        stars = d.get("central") or []
        rows = [("actors", f"{d.get('size', 0):,}"), ("countries", d.get("top_countries")),
                ("families", d.get("top_families")), ("most central actors here", ", ".join(stars))]
        x, y = positions.get(c, (0.0, 0.0))
        label = display_label(d) + (f" ★{len(stars)}" if stars else "")
        net.nodes.append({"id": str(c), "label": label, "title": _tip(d["label"], rows), "x": x, "y": y,
                          "color": colour, "size": round(node_radius(d.get("size", 1), biggest), 1), "shape": "dot",
                          **_ALWAYS_LABELLED})
    top_w = max((float(d.get("weight", 1)) for _, _, d in q.edges(data=True)), default=1.0)
    for a, b, d in q.edges(data=True):
        net.edges.append({"from": str(a), "to": str(b), "color": {"color": "#c4c4ce", "opacity": 0.45},
                          "width": round(0.5 + 5.0 * math.sqrt(float(d.get("weight", 1)) / top_w), 2),
                          "title": _tip(f"{q.nodes[a]['label']} — {q.nodes[b]['label']}",
                                        [("ties", d.get("ties")), ("summed weight", _fmt(d.get("weight")))])})
    net.options = _options(len(net.nodes))
    net.options["nodes"]["font"]["multi"] = False
    order = sorted(legend.items(), key=lambda kv: kv[1])
    return net.render(legend=order, note=note, png_name="partnet-communities.png")


def _community_name(c: Any, names: Mapping[int, str] | None) -> str:
    if c is None or (isinstance(c, int) and c < 0):
        return "no community"
    if names and c in names and names[c]:
        return str(names[c])
    return f"community {c}"


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fmt(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.3g}"
    return str(v)
