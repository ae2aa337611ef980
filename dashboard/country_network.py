"""The country co-participation network section of the Cross-border page: a drawing and the country table.

Countries are placed at their capital (the offline gazetteer of `dashboard.geo`), ties drawn with a
width by weight; the disparity-filter backbone can thin the ties. All numbers come from
`analysis.countries` and `analysis.backbone`.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from dashboard import geo, state, tables
from dashboard.context import Ctx

__all__ = ["country_network_section"]

_WEIGHT_HELP = {
    "participations": "co-participations Σ n_i·n_j over shared partnerships (n = members from the country)",
    "actor-pairs": "distinct pairs of actors, one in each country, that share a partnership",
    "partnerships": "partnerships with members from both countries",
}


def country_network_section(ctx: Ctx) -> None:
    """Draw the country network (weight and backbone chosen on the page) and its per-country table."""
    st.subheader("Country co-participation network")
    c = st.columns([2, 1])
    weight = c[0].radio("Tie weight", list(_WEIGHT_HELP), horizontal=True, key="xb_net_weight",
                        help="; ".join(f"{k}: {v}" for k, v in _WEIGHT_HELP.items()))
    use_backbone = c[1].toggle("Backbone only (disparity filter)", value=False, key="xb_net_backbone")
    alpha = c[1].select_slider("Significance α", options=[0.01, 0.05, 0.1, 0.2, 0.5], value=0.05,
                               key="xb_net_alpha", disabled=not use_backbone)
    table = ctx.data("analysis.countries:country_table", weight=weight)
    pairs = ctx.data("analysis.countries:country_edges", weight=weight)
    if use_backbone:
        kept = ctx.data("analysis.backbone:country_backbone_edges", alpha=alpha, weight=weight)
        st.caption(f"Backbone at α = {alpha}: keeps {len(kept):,} of {len(pairs):,} country ties "
                   "(Serrano, Boguñá & Vespignani 2009).")
        pairs = kept
    st.caption(f"Tie weight: {_WEIGHT_HELP[weight]}. Actors without a country (European and international "
               "bodies) are left out. Countries at their capital; line width by weight.")
    if len(table):
        st.plotly_chart(_figure(table, pairs), config={"displayModeBar": False})
    tables.table(table)
    tables.downloads(table, "country-network", "xb_net_table")
    tables.downloads(pairs, "country-pairs", "xb_net_pairs")


def _figure(table, pairs) -> go.Figure:
    caps = geo.countries().drop_duplicates("country").set_index("country")
    pos = {c: (float(caps.at[c, "lon"]), float(caps.at[c, "lat"])) for c in table["country"] if c in caps.index}
    fig = go.Figure()
    top = float(pairs["weight"].max()) if len(pairs) else 1.0
    shown = pairs[pairs["country_a"].isin(pos) & pairs["country_b"].isin(pos)].head(400)  # the heaviest ties
    for row in shown.itertuples(index=False):
        (x0, y0), (x1, y1) = pos[row.country_a], pos[row.country_b]
        fig.add_trace(go.Scatter(x=[x0, x1], y=[y0, y1], mode="lines", hoverinfo="skip", showlegend=False,
                                 line=dict(width=0.5 + 6 * float(row.weight) / top, color="rgba(180,60,60,0.45)")))
    placed = table[table["country"].isin(pos)]
    strength = placed["strength"].to_numpy(dtype=float)
    size = 8 + 30 * np.sqrt(strength / strength.max()) if len(placed) and strength.max() > 0 else 10
    fig.add_trace(go.Scatter(
        x=[pos[c][0] for c in placed["country"]], y=[pos[c][1] for c in placed["country"]], mode="markers+text",
        text=[state.plain(c) for c in placed["country"]], textposition="top center", showlegend=False,
        marker=dict(size=size, color="#c0392b", opacity=0.8, line=dict(width=0.5, color="#333")),
        customdata=placed[["country", "strength", "partnerships", "eigenvector"]].to_numpy(),
        hovertemplate="%{customdata[0]}: strength %{customdata[1]}, %{customdata[2]} partnerships, "
                      "eigenvector %{customdata[3]:.2f}<extra></extra>"))
    fig.update_layout(height=560, margin=dict(l=10, r=10, t=10, b=10),
                      xaxis=dict(title="longitude", zeroline=False),
                      yaxis=dict(title="latitude", zeroline=False, scaleanchor="x", scaleratio=1.5))
    return fig
