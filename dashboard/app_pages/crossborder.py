"""Cross-border: country × country ties, cross-border share, countries without cross-border ties, a map."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from dashboard import geo, state, tables
from dashboard.network_view import FAMILY_COLOURS

ctx = state.page()
st.title("Cross-border")
share = ctx.data("analysis.crossborder:cross_border_share")
overall = share[share["kind"] == "all"].iloc[0]
lonely = ctx.data("analysis.crossborder:countries_without_cross_border", projection=ctx.projection)
summary = ctx.data("analysis.crossborder:country_summary", projection=ctx.projection)
c = st.columns(3)
c[0].metric("Cross-border partnerships", f"{int(overall['cross_border']):,} of {int(overall['with_country']):,}")
c[1].metric("Share", "—" if overall["share"] != overall["share"] else f"{overall['share']:.0%}")
c[2].metric("Countries with no cross-border tie", f"{len(lonely):,} of {len(summary):,}")

tab_matrix, tab_map, tab_lists = st.tabs(["Country × country", "Map", "Lists"])
with tab_matrix:
    from analysis.crossborder import MATRIX_MEASURES

    labels = {"newman": "Newman-weighted ties", "pairs": "Distinct actor pairs", "partnerships": "Shared partnerships"}
    m1, m2, m3 = st.columns([2, 1, 1])
    measure = m1.radio("A cell counts", list(labels), format_func=labels.get, horizontal=True, key="xb_measure")
    cap = int(m2.number_input("Leave out partnerships above (members)", min_value=2, max_value=10_000, value=20,
                              step=1, key="xb_max_members"))
    hide_diag = m3.checkbox("Hide ties inside a country (the diagonal)", value=True, key="xb_diag")
    m = ctx.data("analysis.crossborder:country_matrix", measure=measure, max_members=cap)
    z = m.to_numpy(dtype=float).copy()
    if hide_diag and len(z):
        for i in range(len(z)):
            z[i, i] = math.nan
    left_out = m.attrs.get("left_out", [])
    st.caption(f"Cell = {MATRIX_MEASURES[measure]}. Co-membership only (explicit links are in the Lists tab). "
               f"{len(left_out):,} partnership(s) with more than {cap:,} members left out, so that one umbrella "
               "network does not tie every pair of its countries"
               + (f": {', '.join(state.md(x) for x in left_out[:5])}{' …' if len(left_out) > 5 else ''}."
                  if left_out else "."))
    if len(m):
        z_shown = np.where(z > 0, z, np.nan)
        unit = {"newman": "weighted ties", "pairs": "actor pairs", "partnerships": "shared partnerships"}[measure]
        fig = go.Figure(go.Heatmap(z=z_shown, x=list(m.columns), y=list(m.index), colorscale="Reds", xgap=1, ygap=1,
                                   hoverongaps=False, zmin=0,
                                   hovertemplate="%{y} – %{x}: %{z:.2f} " + unit + "<extra></extra>"))
        fig.update_layout(height=max(360, 22 * len(m) + 100), margin=dict(l=10, r=10, t=10, b=10),
                          yaxis=dict(autorange="reversed"), plot_bgcolor="#f7f7f9")
        st.plotly_chart(fig, config={"displayModeBar": False})
        st.caption("Blank cell: no tie between the two countries.")
    tables.downloads(m.reset_index(names="country"), "country-ties", "xb_matrix")
with tab_map:
    st.caption("Actors placed at their city (or their country's capital when the city is unknown), from an "
               "offline GeoNames gazetteer packaged with partnet; no map tiles are loaded. Size = actors there.")
    placed = geo.locate(ctx.metrics())
    places = geo.places(placed)
    fig = go.Figure()
    caps = geo.countries()
    caps = caps[caps["country"].isin(set(summary["country"]))]
    fig.add_trace(go.Scatter(x=caps["lon"], y=caps["lat"], mode="text", text=caps["country"],
                             textfont=dict(color="#9a9aa5", size=14), hoverinfo="skip", showlegend=False))
    for fam, grp in places.groupby("family"):
        fig.add_trace(go.Scatter(
            x=grp["lon"], y=grp["lat"], mode="markers", name=str(fam).replace("_", " "),
            marker=dict(size=6 + 4 * grp["actors"].pow(0.5) * 2, color=FAMILY_COLOURS.get(str(fam), "#9c9c9c"),
                        opacity=0.75, line=dict(width=0.5, color="#333")),
            customdata=grp[["place", "country", "actors", "cross_border"]].map(state.plain).to_numpy(),
            hovertemplate="%{customdata[0]} (%{customdata[1]}): %{customdata[2]} actors, "
                          "%{customdata[3]} cross-border ties<extra></extra>"))
    fig.update_layout(height=620, margin=dict(l=10, r=10, t=10, b=10), legend_title_text="main family",
                      xaxis=dict(title="longitude", showgrid=True, zeroline=False),
                      yaxis=dict(title="latitude", showgrid=True, zeroline=False, scaleanchor="x", scaleratio=1.5))
    st.plotly_chart(fig, config={"displayModeBar": False})
    unplaced = int(placed["lat"].isna().sum())
    if unplaced:
        st.caption(f"{unplaced:,} actors without a country (European or international bodies) are not on the map.")
with tab_lists:
    st.subheader("Countries with no cross-border tie")
    tables.table(lonely)
    st.subheader("Cross-border share by partnership kind")
    tables.table(share)
    st.subheader("Actors carrying the most cross-border ties")
    carriers = ctx.data("analysis.crossborder:cross_border_actors", projection=ctx.projection)
    tables.table(carriers)
    tables.downloads(carriers, "cross-border-actors", "xb_carriers")
    st.subheader("Per country")
    tables.table(summary)

# --- the country co-participation network (issue 16) ---------------------------------------------
from dashboard.country_network import country_network_section  # noqa: E402

country_network_section(ctx)
